"""Worksheet files: formats, normalisation, and located problems (all at once)."""

from __future__ import annotations

import json

import pytest

from pmprb import i18n
from pmprb.engine.instrument import RULES_DIR, load_instrument
from pmprb.engine.worksheet import answer_aliases, parse_worksheet
from pmprb.engine.worksheet_files import load_worksheet
from pmprb.errors import ValidationError

from engine_support import copy_instrument, pmprb2014

YAML = """\
instrument: pmprb-2014
answers:
  MP.1.a: a
  MP.2.a: YA
  MP.3.a: ''
  SDM.4.c: t
evidence: {MP.1.a: 2, MP.2.a: 1.0, SDM.4.c: '3'}
hasil: {H.1.a: 70.05, H.2.b: wtp-dpp, H.3.a: '3,117'}
"""
CSV = """\
criterion,answer,evidence
MP.1.a,a,2
MP.2.a,YA,1
MP.3.a,,
SDM.4.c,t,3
H.1.a,70.05,
H.2.b,wtp-dpp,
H.3.a,"3,117",
"""
EXPECTED = ({"MP.1.a": "A", "MP.2.a": "Ya", "SDM.4.c": "Tidak"}, {"MP.1.a": 2, "MP.2.a": 1, "SDM.4.c": 3},
            {"H.1.a": 70.05, "H.2.b": "WTP-DPP", "H.3.a": 3.117})


def _problems(path, **kw) -> list[str]:
    with pytest.raises(ValidationError) as err:
        load_worksheet(path, **kw)
    return [d.replace(str(path.parent), "{dir}") for d in err.value.details]


def test_yaml_json_and_csv_give_the_same_worksheet(tmp_path):
    import yaml

    (tmp_path / "w.yaml").write_text(YAML, encoding="utf-8")
    (tmp_path / "w.json").write_text(json.dumps(yaml.safe_load(YAML)), encoding="utf-8")
    (tmp_path / "w.csv").write_text("\ufeff" + CSV, encoding="utf-8")  # Excel writes a BOM
    for name in ("w.yaml", "w.json", "w.csv"):
        ws = load_worksheet(tmp_path / name)
        assert (ws.answers, ws.evidence, ws.hasil) == EXPECTED, name
        assert ws.instrument.id == "pmprb-2014"
        assert list(ws.answers) == ["MP.1.a", "MP.2.a", "SDM.4.c"]  # instrument order


def test_answers_are_matched_case_insensitively_word_answers_also_by_initial():
    inst = pmprb2014()
    assert answer_aliases(inst.criterion("MP.2.a")) == {"YA": "Ya", "TIDAK": "Tidak", "Y": "Ya", "T": "Tidak"}
    assert answer_aliases(inst.criterion("MP.1.a")) == {"A": "A", "B": "B", "C": "C"}
    ws = parse_worksheet({"instrument": "pmprb-2014",
                          "answers": {"MP.2.a": " tidak ", "MP.1.a": "c", "MP.4.b": "E", "MP.1.b": None}})
    assert ws.answers == {"MP.1.a": "C", "MP.2.a": "Tidak", "MP.4.b": "E"}


def test_non_text_answers_and_counts_are_rejected():
    with pytest.raises(ValidationError) as err:
        parse_worksheet({"instrument": "pmprb-2014", "answers": {"MP.2.a": True, "MP.1.a": 1},
                         "evidence": {"MP.1.a": 1.5, "MP.2.a": False}}, source="w")
    assert err.value.details == [
        "w: answers.MP.2.a: jawaban True tidak diizinkan untuk MP.2.a (Y/T); pilihan: Ya, Tidak",
        "w: answers.MP.1.a: jawaban 1 tidak diizinkan untuk MP.1.a (A/B/C); pilihan: A, B, C",
        "w: evidence.MP.1.a: jumlah bukti dukung harus bilangan bulat >= 0, bukan 1.5",
        "w: evidence.MP.2.a: jumlah bukti dukung harus bilangan bulat >= 0, bukan False",
    ]


def test_a_json_worksheet_indented_with_tabs_is_read_without_line_numbers(tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{\n\t"instrument": "pmprb-2014",\n\t"answers": {"MP.1.a": "Z"}\n}', encoding="utf-8")
    assert _problems(path) == ["{dir}/w.json: answers.MP.1.a: jawaban 'Z' tidak diizinkan untuk MP.1.a (A/B/C); "
                               "pilihan: A, B, C"]


def test_json_syntax_and_duplicate_keys_are_located(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"instrument": "pmprb-2014",\n "answers": {"MP.1.a": "A",}}', encoding="utf-8")
    # the parser's own (English) words only with --lang en; in Indonesian the column to look at
    assert _problems(bad) == ["{dir}/bad.json:2: sintaks JSON tidak valid: periksa tanda baca dan indentasi di "
                              "sekitar kolom 28"]
    dup = tmp_path / "dup.json"
    dup.write_text('{"instrument": "pmprb-2014",\n "answers": {"MP.1.a": "A",\n "MP.1.a": "B"}}', encoding="utf-8")
    assert _problems(dup) == ["{dir}/dup.json:3: answers.MP.1.a: kunci 'MP.1.a' muncul lebih dari sekali"]


def test_empty_files_other_documents_and_bad_sections(tmp_path):
    (tmp_path / "empty.yaml").write_text("# nothing\n", encoding="utf-8")
    assert _problems(tmp_path / "empty.yaml") == ["{dir}/empty.yaml: berkas kosong"]
    (tmp_path / "list.yaml").write_text("- MP.1.a\n", encoding="utf-8")
    assert _problems(tmp_path / "list.yaml") == [
        "{dir}/list.yaml:1: lembar kerja harus berupa pemetaan dengan kunci instrument dan answers, bukan list"]
    (tmp_path / "sec.yaml").write_text("instrument: pmprb-2014\nanswers: A\nevidence: [1]\n", encoding="utf-8")
    assert _problems(tmp_path / "sec.yaml") == [
        "{dir}/sec.yaml:2: answers: harus berupa pemetaan (id: nilai), bukan str",
        "{dir}/sec.yaml:3: evidence: harus berupa pemetaan (id: nilai), bukan list",
    ]


def test_unreadable_files(tmp_path):
    (tmp_path / "latin1.csv").write_bytes("criterion,answer\nMP.1.a,\xe9\n".encode("latin-1"))
    with pytest.raises(ValidationError) as err:
        load_worksheet(tmp_path / "absent.yaml")
    assert str(err.value) == f"{tmp_path / 'absent.yaml'}: berkas tidak dapat dibaca: berkas atau folder tidak ada"
    # A non-UTF-8 CSV (Excel's plain "CSV" is Windows-1252) names the line, the byte and the Excel command.
    with pytest.raises(ValidationError) as err:
        load_worksheet(tmp_path / "latin1.csv")
    assert str(err.value) == (
        f"{tmp_path / 'latin1.csv'}:2: bukan teks UTF-8 (byte 0xE9 pada kolom 8, dalam Windows-1252 berarti 'é'); "
        "CSV dari Excel biasa disimpan dalam Windows-1252: simpan ulang di Excel dengan "
        "Simpan Sebagai → CSV UTF-8 (Comma delimited)")
    i18n.set_lang("en")
    with pytest.raises(ValidationError, match=r"latin1.csv:2: not UTF-8 text .* Save As → CSV UTF-8 \(Comma delimited\)$"):
        load_worksheet(tmp_path / "latin1.csv")


def test_the_instrument_must_be_named_known_and_the_expected_one(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text("answers: {MP.1.a: A}\n", encoding="utf-8")
    assert _problems(p) == ["{dir}/w.yaml:1: kunci wajib 'instrument' tidak ada"]
    assert load_worksheet(p, instrument="pmprb-2014").answers == {"MP.1.a": "A"}
    p.write_text("instrument: pmprb-2014\nanswers: {MP.1.a: A}\n", encoding="utf-8")
    assert _problems(p, instrument="zi-2021") == [
        "{dir}/w.yaml:1: instrument: lembar kerja ini untuk instrumen 'pmprb-2014', bukan 'zi-2021'"]
    p.write_text("instrument: [pmprb-2014]\nanswers: {}\n", encoding="utf-8")
    assert _problems(p) == ["{dir}/w.yaml:1: instrument: id instrumen harus berupa teks, bukan ['pmprb-2014']"]


def test_an_instrument_folder_next_to_the_worksheet_can_be_named(tmp_path):
    copy_instrument(tmp_path)
    p = tmp_path / "w.yaml"
    p.write_text("instrument: pmprb-2014\nanswers: {MP.1.a: A}\n", encoding="utf-8")
    assert load_worksheet(p).instrument.origin == str(RULES_DIR / "pmprb-2014")  # a bundled id wins
    p.write_text("instrument: ./pmprb-2014\nanswers: {MP.1.a: A}\n", encoding="utf-8")
    ws = load_worksheet(p)
    assert ws.instrument.origin == str((tmp_path / "pmprb-2014").resolve())
    assert ws.instrument.revision == pmprb2014().revision


def test_a_broken_instrument_named_by_a_worksheet_is_reported(tmp_path):
    copy_instrument(tmp_path, [("02-ppu.yaml", "weight: 5.0", "weight: lima")])
    p = tmp_path / "w.yaml"
    p.write_text("instrument: ./pmprb-2014\nanswers: {}\n", encoding="utf-8")
    folder = tmp_path / "pmprb-2014"
    assert _problems(p) == [
        f"{{dir}}/w.yaml:1: instrument: instrumen './pmprb-2014' tidak valid: {folder}: instrumen tidak valid "
        f"(1 kesalahan)\n  - {folder}/02-ppu.yaml:4: weight: seharusnya angka, bukan str 'lima'".replace(
            str(tmp_path), "{dir}")]


def test_csv_header_problems(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("kode,nilai\nMP.1.a,A\n", encoding="utf-8")
    allowed = "criterion, answer, evidence, kriteria, jawaban, bukti, bukti_dukung, catatan"
    assert _problems(p) == [
        f"{{dir}}/w.csv:1: kolom tidak dikenal 'kode' (yang diizinkan: {allowed})",
        f"{{dir}}/w.csv:1: kolom tidak dikenal 'nilai' (yang diizinkan: {allowed})",
        "{dir}/w.csv:1: baris judul CSV harus memuat kolom criterion dan answer, atau kriteria dan jawaban "
        "(opsional: evidence/bukti, catatan), ditemukan: kode,nilai",
    ]
    p.write_text("kriteria,jawaban,catatan\nMP.1.a,A,SK ada\n", encoding="utf-8")   # the demo's worksheets
    assert load_worksheet(p).answers == {"MP.1.a": "A"}
    p.write_text("criterion,answer\n\n,A\nMP.1.a,b\n", encoding="utf-8")
    assert _problems(p) == ["{dir}/w.csv:3: kolom criterion kosong"]
    p.write_text("", encoding="utf-8")
    assert _problems(p) == ["{dir}/w.csv: berkas kosong"]


def test_count_and_computed_items_of_an_instrument_that_has_them(tmp_path):
    zi = load_instrument("zi-2021")
    count = next(c.id for c in zi.criteria.values() if c.kind == "count")
    computed = next(c for c in zi.criteria.values() if c.kind == "computed")
    ws = parse_worksheet({"instrument": "zi-2021", "answers": {count: "12"}})
    assert ws.answers == {count: 12}
    with pytest.raises(ValidationError) as err:
        parse_worksheet({"instrument": "zi-2021", "answers": {count: 1.5, computed.id: 0.8}}, source="w")
    assert err.value.details[0] == f"w: answers.{count}: {count} (Jumlah) berupa jumlah: harus bilangan bulat >= 0, bukan 1.5"
    assert err.value.details[1].startswith(f"w: answers.{computed.id}: {computed.id} ({computed.answer_type}) dihitung dari ")


def test_the_result_keeps_full_precision():
    ws = parse_worksheet({"instrument": "pmprb-2014", "answers": {"MP.3.a": "B", "MP.3.b": "C"},
                          "evidence": {"MP.3.a": 1, "MP.3.b": 1}, "hasil": {"H.3.a": 3.117}})
    r = ws.score("plain")
    # MP.3: mean of its 7 items (two answered) x weight 2
    assert r["areas"]["MP"]["subareas"]["MP.3"]["score"] == (0.67 + 0.33) / 7 * 2.0
    assert r["hasil"] == 3.117 / 4 * 10
    assert r["criteria"]["MP.3.a"] == {"answer": "B", "evidence": 1, "value": 0.67, "raw_value": 0.67, "flags": []}
    assert set(r) >= {"instrument", "revision", "engine", "pengungkit", "hasil", "indeks_rb", "grade", "areas",
                      "criteria"}
    assert r["hasil_detail"]["missing"] == ["H.1.a", "H.1.b", "H.2.a", "H.2.b"]


def test_a_hasil_part_may_be_named_by_its_input_name_but_only_once(tmp_path):
    import yaml

    folder = copy_instrument(tmp_path)
    head = yaml.safe_load((folder / "instrument.yaml").read_text(encoding="utf-8"))
    for comp in head["hasil"]["components"]:
        for part in comp["parts"]:
            part["input_name"] = {"H.1.a": "sakip", "H.2.b": "opini"}.get(part["id"], part["id"].lower())
    (folder / "instrument.yaml").write_text(yaml.safe_dump(head, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    p = tmp_path / "w.csv"
    p.write_text("criterion,answer,evidence\nsakip,70.05,\nopini,wtp,\n", encoding="utf-8")
    ws = load_worksheet(p, instrument=load_instrument(folder))
    assert ws.hasil == {"H.1.a": 70.05, "H.2.b": "WTP"}
    p.write_text("criterion,answer,evidence\nsakip,70.05,\nH.1.a,70,\n", encoding="utf-8")
    assert _problems(p, instrument=load_instrument(folder)) == ["{dir}/w.csv:3: H.1.a: Hasil H.1.a diisi lebih dari sekali"]
