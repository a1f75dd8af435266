"""The round documents: snapshots of the rendered HTML, a headless Chromium
render of each (screenshot and A4 print), and the spreadsheets read back
with openpyxl.

The rounds behind them are built once for the module, reproducibly: fixed
finalisation time, counted decision ids, the plain rules engine (its label
is part of the frozen result), fixed meeting and document dates, and a
fixed report timestamp. Two final rounds (2023 and 2024) so the summary
compares them.
"""

from __future__ import annotations

import itertools
import re
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

import coordinator_support as cs
from pmprb.assessments.coordinate import consensus, final_result, hasil, minutes, ratl
from pmprb.assessments.setup import people, rounds
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.assessments.store.db import dispose_engines, open_db
from pmprb.engine import scoring
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument
from pmprb.reports import berita_acara, lke, ringkasan, ratl as ratl_report
from pmprb.reports.chromium import A4_POINTS, html_to_pdf, html_to_png, pdf_page_sizes, png_size
from pmprb.reports.environment import write_report
from report_support import (assert_snapshot, broken_words, pdf_text_pages, recalculate, require_chromium,
                            require_libreoffice)

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
GENERATED = datetime(2024, 5, 21, 8, 0, tzinfo=timezone.utc)
INST = load_instrument("pmprb-2014")
MODULES = {"lke": lke, "berita-acara": berita_acara, "ratl": ratl_report, "ringkasan": ringkasan}
CASES = [("lke", "id"), ("berita-acara", "id"), ("berita-acara", "en"), ("ratl", "id"), ("ringkasan", "id"),
         ("ringkasan", "en")]


PEOPLE = {"kora": ("197806202003121004", "Sekretaris Inspektorat"),
          "ani": ("198503122010012007", "Analis Kebijakan Ahli Muda"),
          "budi": ("198807242011011003", "Analis SDM Aparatur Ahli Muda"),
          "citra": ("199001152015032002", None)}
GUEST = "Rahmat Saputra|Kepala Bagian Organisasi Setda"


def _people(db):
    def op(s):
        admin = resolve_actor(s, "admin")
        for username, (nip, jabatan) in PEOPLE.items():
            people.update_person(s, admin, username, nip=nip, jabatan=jabatan)
        people.add_person(s, admin, username="yusuf", name="Yusuf Hidayat", roles=["auditor"],
                          nip="197001011995031005", jabatan="Inspektur Kota Contoh")
    db.run(op)


def _round(db, *, code, year, overrides, agreed, init):
    w = cs.build(db, code=code, year=year, deadline=None if year == 2023 else date(year, 5, 31),
                 overrides=overrides, init=init, evidence_for={"MP.1.a": 2, "MP.2.a": 1})
    if init:
        _people(db)
    cs.to_consensus(w)
    for cid, answer in agreed.items():
        cs.resolve(w, cid, answer)
    w.as_("kora", lambda s, a, r: consensus.record_meeting(s, a, r, meeting_date=cs.MEETING,
                                                         participants=["kora", "ani", "budi", "citra"],
                                                         guests=[GUEST], note="Rapat pleno tim asesor",
                                                         today=cs.TODAY))
    if year == 2024:
        w.as_("kora", lambda s, a, r: minutes.set_minutes(s, a, r, number="700/12/BA-PMPRB/ITDA/2024",
                                                          place="Ruang Rapat Inspektorat Kota Contoh",
                                                          acknowledged_by="yusuf"))
    cs.set_hasil(w, dict(cs.HASIL_2014, **({"H.1.a": "65.5", "H.2.b": "WDP"} if year == 2023 else {})))
    cs.finalise(w)
    return w


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Two final rounds in one SQLite file; yields the 2024 world."""
    folder = tmp_path_factory.mktemp("documents")
    with pytest.MonkeyPatch.context() as mp:
        counter = itertools.count(1)
        mp.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))
        mp.setattr(final_result, "now", lambda: cs.FIXED_NOW)
        mp.setenv("PMPRB_RULES_ENGINE", "plain")
        mp.setenv("PMPRB_EVIDENCE_DIR", str(folder / "evidence"))
        db = open_db(f"sqlite:///{folder / 'pmprb.db'}")
        # 2023: the year before, final, with a weaker Hasil.
        _round(db, code="2023", year=2023, init=True, overrides={"budi": {"MP.1.b": "A"}}, agreed={"MP.1.b": "B"})
        w = _round(db, code="2024", year=2024, init=False,
                   overrides={"citra": {"MP.1.b": "A", "SDM.5.d": "A"}, "budi": {"SDM.1.c": "Ya"}},
                   agreed={"MP.1.b": "A", "SDM.1.c": "Ya", "SDM.5.d": "B"})
        w.as_("kora", lambda s, a, r: ratl.map_role(s, a, "BKPSDM", "DINKES"))
        w.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.2.a", rencana_aksi="Menyusun dan menetapkan Road Map RB "
                                                  "2025–2029 dengan Peraturan Wali Kota", target_date=date(2025, 3, 31)))
        w.as_("ani", lambda s, a, r: ratl.path_to(s, a, r, "MP.2.a", "done", evidence="Perwal 12/2025 Road Map RB"))
        dispose_engines()
    yield w
    dispose_engines()


def build(w, name, lang):
    return w.read(lambda s: MODULES[name].build(s, rounds.get_round(s, "2024"), lang))


@pytest.mark.parametrize("name, lang", CASES)
def test_html_snapshot(documents, name, lang):
    html = MODULES[name].render_html(build(documents, name, lang), generated_at=GENERATED)
    assert html == MODULES[name].render_html(build(documents, name, lang), generated_at=GENERATED)
    assert_snapshot(html, SNAPSHOTS / f"{name}.{lang}.html")


def test_documents_say_what_they_must(documents):
    rk = build(documents, "ringkasan", "id")
    assert rk["previous"]["code"] == "2023" and rk["previous"]["grade"]
    assert [h["change"] for h in rk["headline"]][1] > 0  # Hasil rose: SAKIP 65.5 -> 70.05, WDP -> WTP
    ba = build(documents, "berita-acara", "id")
    assert [r["id"] for r in ba["items"]] == ["MP.1.b", "SDM.1.c", "SDM.5.d"]
    assert ba["coverage"]["all_discussed"] and ba["made_on"] == cs.MEETING
    sdm = next(r for r in ba["items"] if r["id"] == "SDM.5.d")
    # Answers grouped by answer, best first, by name: compact for many assessors.
    assert [(a["answer"], a["who"]) for a in sdm["answers"]] == [("A", ["Citra Asesor"]),
                                                                 ("C", ["Ani Asesor", "Budi Asesor"])]
    assert sdm["final"] == "B" and sdm["rationale"]
    assert ba["number"] == "700/12/BA-PMPRB/ITDA/2024"
    # 22 April 2024 was a Monday.
    assert ba["opening"].startswith("Pada hari Senin tanggal dua puluh dua bulan April tahun dua ribu dua puluh "
                                    "empat, bertempat di Ruang Rapat Inspektorat Kota Contoh, telah dilaksanakan")
    by_name = {p["name"]: p for p in ba["participants"]}
    assert by_name["Kora Koordinator"]["nip"] == "19780620 200312 1 004"
    assert by_name["Kora Koordinator"]["jabatan"] == "Sekretaris Inspektorat"
    assert by_name["Rahmat Saputra"] == {"name": "Rahmat Saputra", "username": None, "nip": None,
                                         "jabatan": "Kepala Bagian Organisasi Setda", "role": "Tamu",
                                         "koordinator": False, "guest": True}
    # The head of the Inspektorat signs under "Mengetahui", the koordinator as the maker, never twice.
    assert ba["acknowledger"]["name"] == "Yusuf Hidayat" and ba["acknowledger"]["title"] == "Inspektur Kota Contoh"
    assert ba["maker"]["name"] == "Kora Koordinator" and ba["maker"]["title"] == "Koordinator Asesor"
    assert [p["name"] for p in ba["team"]] == ["Ani Asesor", "Budi Asesor", "Citra Asesor", "Rahmat Saputra"]
    html = berita_acara.render_html(ba, generated_at=GENERATED)
    assert "Mengetahui," in html and "NIP 19700101 199503 1 005" in html and "Nomor: 700/12/BA-PMPRB" in html
    en = build(documents, "berita-acara", "en")
    assert en["opening"].startswith("On Monday, 22 April 2024, at Ruang Rapat Inspektorat Kota Contoh, the consensus")
    plan = build(documents, "ratl", "id")
    road_map = next(i for i in plan["items"] if i["criterion"] == "MP.2.a")
    assert road_map["state_text"] == "selesai" and road_map["done_evidence"] == "Perwal 12/2025 Road Map RB"


def _frozen(w):
    return w.read(lambda s: final_result.data_of(final_result.current(s, rounds.get_round(s, "2024"))))


def _rows_by_code(ws) -> dict[str, int]:
    return {row[1].value: row[1].row for row in ws.iter_rows(min_row=5) if row[1].value}


def _formula_cells(wb):
    return [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def test_lke_workbook_is_the_official_one(documents, tmp_path):
    ctx = build(documents, "lke", "id")
    path = lke.write_xlsx_file(tmp_path / "lke.xlsx", ctx)
    formulas = load_workbook(path)
    values = load_workbook(path, data_only=True)
    assert formulas.sheetnames == ["LKE", "Rekap"]
    ws, cached = formulas["LKE"], values["LKE"]
    rows = _rows_by_code(ws)
    data = _frozen(documents)
    # Area, sub-area and criterion rows in instrument order, with their weights.
    order = [code for code in rows if code in INST.criteria or code in {a["code"] for a in INST.areas}
             or any(code == s["id"] for a in INST.areas for s in a["subareas"])]
    expected = []
    for area in INST.areas:
        expected.append(area["code"])
        for sub in area["subareas"]:
            expected += [sub["id"]] + [c["id"] for c in sub["criteria"]]
    assert order == expected
    assert ws[f"D{rows['MP']}"].value == 5 and ws[f"D{rows['MP.1']}"].value == 1
    # Live formulas: a value from the answer (and its gates), a sub-area mean x weight, an area subtotal.
    assert ws[f"G{rows['MP.2.b']}"].value.startswith(f'=IF(OR(F{rows["MP.2.a"]}="Tidak"),0,')
    assert ws[f"G{rows['MP.1']}"].value == f"=AVERAGE(G{rows['MP.1.a']},G{rows['MP.1.b']},G{rows['MP.1.c']})"
    assert ws[f"H{rows['MP.1']}"].value == f"=G{rows['MP.1']}*D{rows['MP.1']}"
    assert ws[f"H{rows['MP']}"].value.startswith("=SUM(")
    # Every formula carries pmprb's figure as its cached value.
    for cid, entry in data["criteria"].items():
        if entry["value"] is not None:
            assert cached[f"G{rows[cid]}"].value == pytest.approx(entry["value"]), cid
        assert ws[f"F{rows[cid]}"].value == entry["answer"]
        assert ws[f"F{rows[cid]}"].data_type == "s" or entry["answer"] is None   # an answer is text, never a formula
    score = data["score"]
    labels = {ws[f"C{r}"].value: r for r in range(1, ws.max_row + 1) if ws[f"C{r}"].value}
    assert cached[f"H{labels['Pengungkit']}"].value == pytest.approx(score["pengungkit"])
    assert cached[f"H{labels['Hasil']}"].value == pytest.approx(score["hasil"])
    assert cached[f"H{labels['Indeks RB']}"].value == pytest.approx(score["indeks_rb"])
    assert cached[f"H{labels['Predikat']}"].value == score["grade"]
    assert ws[f"H{labels['Predikat']}"].value == (
        f'=IF(H{labels["Indeks RB"]}>90,"AA",IF(H{labels["Indeks RB"]}>80,"A",IF(H{labels["Indeks RB"]}>70,"BB",'
        f'IF(H{labels["Indeks RB"]}>60,"B",IF(H{labels["Indeks RB"]}>50,"CC",IF(H{labels["Indeks RB"]}>30,"C",'
        f'IF(H{labels["Indeks RB"]}>=0,"D","")))))))')
    # The Hasil inputs and their points.
    assert ws[f"F{rows['H.1.a']}"].value == 70.05 and ws[f"F{rows['H.2.b']}"].value == "WTP"
    assert cached[f"H{rows['H.1.a']}"].value == pytest.approx(70.05 * 14 / 100)
    # No formula outside the figure columns: user text is never a formula.
    assert {ref[1][0] for ref in _formula_cells(formulas) if ref[0] == "LKE"} <= {"F", "G", "H", "I"}
    assert all(cached[f"{ref[1]}"].value is not None for ref in _formula_cells(formulas)
               if ref[0] == "LKE" and ref[1][0] != "F")
    summary = {r[1]: r for r in values["Rekap"].iter_rows(min_row=2, values_only=True)}
    assert summary["Indeks RB"][3] == pytest.approx(score["indeks_rb"])
    assert formulas["Rekap"]["D2"].value == f"='LKE'!H{rows['MP']}"


def test_lke_workbook_recalculated_by_libreoffice_equals_pmprb(documents, tmp_path):
    require_libreoffice()
    path = lke.write_xlsx_file(tmp_path / "lke.xlsx", build(documents, "lke", "id"))
    recalculated = load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)
    cached = load_workbook(path, data_only=True)
    cells = _formula_cells(load_workbook(path))
    assert len(cells) > 200
    for sheet, ref in cells:
        want, got = cached[sheet][ref].value, recalculated[sheet][ref].value
        if isinstance(want, str) or want is None:
            assert got == want, (sheet, ref)
        else:
            assert got == pytest.approx(want, abs=1e-9), (sheet, ref)


def test_editing_an_answer_cell_and_recalculating_moves_the_totals(documents, tmp_path):
    require_libreoffice()
    path = lke.write_xlsx_file(tmp_path / "lke.xlsx", build(documents, "lke", "id"))
    data = _frozen(documents)
    answers = {cid: e["answer"] for cid, e in data["criteria"].items() if e["answer"] is not None}
    edits = {"MP.2.a": "Ya", "SDM.4.c": "Ya", "PP.1.a": "Ya"}   # gates: zeroing, multiplying, zeroing
    assert all(answers[cid] == "Tidak" for cid in edits)
    # An evaluator opens the workbook and changes three answers and a Hasil input.
    wb = load_workbook(path)
    ws = wb["LKE"]
    rows = _rows_by_code(ws)
    for cid, answer in edits.items():
        ws[f"F{rows[cid]}"] = answer
    ws[f"F{rows['H.2.b']}"] = "WDP"
    edited = tmp_path / "edited" / "lke.xlsx"
    edited.parent.mkdir()
    wb.save(edited)
    got = load_workbook(recalculate(edited, tmp_path / "lo"), data_only=True)["LKE"]
    # pmprb on the same answers: the rules engine and the scoring.
    answers.update(edits)
    evaluation = evaluate(INST, answers, {cid: e["evidence"] for cid, e in data["criteria"].items()})
    expected = scoring.score(INST, evaluation.values(), dict(data["hasil_inputs"], **{"H.2.b": "WDP"}))
    labels = {got[f"C{r}"].value: r for r in range(1, got.max_row + 1) if got[f"C{r}"].value}
    assert got[f"H{labels['Pengungkit']}"].value == pytest.approx(expected["pengungkit"], abs=1e-9)
    assert got[f"H{labels['Hasil']}"].value == pytest.approx(expected["hasil"], abs=1e-9)
    assert got[f"H{labels['Indeks RB']}"].value == pytest.approx(expected["indeks_rb"], abs=1e-9)
    assert got[f"H{labels['Predikat']}"].value == expected["grade"]
    assert got[f"H{labels['Indeks RB']}"].value != pytest.approx(data["score"]["indeks_rb"], abs=1e-3)
    for cid in ("MP.2.b", "MP.2.c", "SDM.4.d", "PP.1.b", "PP.1.d", "PP.1.e"):   # unlocked, or still gated
        assert got[f"G{rows[cid]}"].value == pytest.approx(evaluation.decisions[cid].result.value), cid
    assert got[f"G{rows['SDM.4.d']}"].value == 1 and got[f"G{rows['PP.1.e']}"].value == 0   # PP.1.c = D still gates
    for code, area in expected["areas"].items():
        assert got[f"H{rows[code]}"].value == pytest.approx(area["score"], abs=1e-9), code


def test_ratl_spreadsheet_and_csv(documents, tmp_path):
    ctx = build(documents, "ratl", "id")
    wb = load_workbook(ratl_report.write_xlsx_file(tmp_path / "ratl.xlsx", ctx), read_only=True)
    body = list(wb["RATL"].iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in body] == [i["criterion"] for i in ctx["items"]]
    assert [r[0] for r in body] == list(range(1, len(body) + 1))
    text = ratl_report.write_csv(tmp_path / "ratl.csv", ctx).read_text(encoding="utf-8-sig")
    assert text.count("\n") == len(ctx["items"]) + sum(i["kelemahan"].count("\n") for i in ctx["items"]) + 1


@pytest.mark.parametrize("name", list(MODULES))
def test_renders_in_chromium_and_prints_on_a4(documents, name, tmp_path):
    require_chromium()
    html = write_report(tmp_path / f"{name}.html",
                        MODULES[name].render_html(build(documents, name, "id"), generated_at=GENERATED))
    png = html_to_png(html, tmp_path / f"{name}.png")
    from PIL import Image

    with Image.open(png) as img:
        assert img.size == png_size(png)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 22)
    assert len(colours) > 50, "the page rendered (text and tables), not a blank window"
    if name == "ringkasan":
        assert (0x00, 0x72, 0xB2) in {c for _, c in colours}  # the SVG chart's bars
    sizes = pdf_page_sizes(html_to_pdf(html, tmp_path / f"{name}.pdf"))
    assert sizes, "no page printed"
    want = sorted(A4_POINTS)
    assert all(sorted(size) == pytest.approx(want, abs=1.5) for size in sizes), sizes
    if name == "ratl":  # the wide action plan prints landscape
        assert all(w > h for w, h in sizes)


@pytest.mark.parametrize("name", list(MODULES))
def test_printed_pages_break_cleanly(documents, name, tmp_path):
    """Printed with Chromium and read back page by page: no word broken inside, no heading
    or row separated from what it introduces, the closing kept with the signatures."""
    require_chromium()
    text = MODULES[name].render_html(build(documents, name, "id"), generated_at=GENERATED)
    pdf = html_to_pdf(write_report(tmp_path / f"{name}.html", text), tmp_path / f"{name}.pdf")
    assert broken_words(text, pdf) == []
    pages = pdf_text_pages(pdf)
    if name == "lke":
        criterion_row = re.compile(r"^\s*\d+\s+[A-Z]+\.\d+\.[a-z]\b")
        for number, page in enumerate(pages, start=1):
            lines = page.splitlines()
            heads = [k for k, line in enumerate(lines) if "Nilai sub-area" in line]
            if heads:
                assert any(criterion_row.match(line) for line in lines[heads[-1] + 1:]), \
                    f"page {number} ends with a sub-area header: {lines[heads[-1]].strip()}"
        # The summary table (areas, Pengungkit, Hasil, Indeks) is printed whole on one page.
        first = pages[0]
        assert all(label in first for label in ("Pengungkit", "Hasil", "Indeks RB", "PP "))
    elif name == "ringkasan":
        hasil_page = next(p for p in pages if "Komponen Hasil" in p)
        assert all(part in hasil_page for part in ("H.1.a", "H.1.b", "H.2.a", "H.2.b", "H.3.a"))
    elif name == "berita-acara":
        closing = next(p for p in pages if "Demikian berita acara" in p)
        assert "Mengetahui," in closing and "Dibuat oleh," in closing and "Rahmat Saputra" in closing
        assert pages.index(closing) == len(pages) - 1
    elif name == "ratl":
        assert "Jalur tercepat ke predikat" in pages[0]


def test_ringkasan_compares_with_the_earlier_finalisation_and_published_history(db):
    import sys

    from pmprb.assessments import wiring
    from pmprb.assessments.audit import history_tables
    from pmprb.engine.history import parse_csv

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "history"))
    from history_tables import CONSISTENT

    w = cs.finalised(db)
    w.as_("kora", lambda s, a, r: history_tables.import_figures(
        s, a, "Pemerintah Kota Contoh", parse_csv(CONSISTENT, "published.csv"), instrument_id="pmprb-2014",
        source_file="published.csv", source_sha256="0" * 64))
    first = w.read(lambda s: final_result.current(s, w.rnd(s)).indeks_rb)
    w.as_("kora", lambda s, a, r: wiring.reopen(s, a, r, reason="SAKIP diperbaiki"))
    w.as_("kora", lambda s, a, r: hasil.set_inputs(s, a, r, {"H.1.a": "75"}, source="LHE SAKIP 2024 (revisi)"))
    cs.finalise(w)
    rk = w.read(lambda s: ringkasan.build(s, rounds.get_round(s, "2024"), "id"))
    rows = rk["comparisons"]
    assert [r["label"].split(" (")[0] for r in rows] == ["Hasil akhir ini", "Finalisasi sebelumnya ronde ini",
                                                         "Dipublikasikan", "Dipublikasikan"]
    assert rows[0]["label"].startswith("Hasil akhir ini (ke-2") and rows[1]["label"].startswith(
        "Finalisasi sebelumnya ronde ini (ke-1")
    assert rows[1]["indeks"] == pytest.approx(first) and rows[0]["indeks"] > first
    assert rows[1]["change"] == pytest.approx(rows[0]["indeks"] - first)
    assert [(r["year"], r["indeks"], r["grade"]) for r in rows[2:]] == [(2017, 74.43, "BB"), (2016, 69.96, "B")]
    assert rows[2]["label"] == "Dipublikasikan (published.csv)"
    sources = {p["id"]: p["source"] for p in rk["hasil_parts"]}
    assert sources["H.1.a"] == "LHE SAKIP 2024 (revisi)"
    html = ringkasan.render_html(rk, generated_at=GENERATED)
    assert "LHE SAKIP 2024 (revisi)" in html and "Finalisasi sebelumnya ronde ini (ke-1" in html
    # One number format: every figure with two decimals (inputs keep more when entered with more).
    assert re.findall(r'<td class="num">(\d+,\d+)</td>', html) and all(
        len(x.split(",")[1]) >= 2 for x in re.findall(r'<td class="num">(\d+,\d+)</td>', html))
