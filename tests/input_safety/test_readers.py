"""The readers outside pmprb/assessments go through the bounded readers and keep
their located messages: YAML (worksheets, instrument folders), JSON worksheets,
CSV (worksheets, published history), the decision log and replay."""

from __future__ import annotations

import json
import shutil

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import decision_log, history
from pmprb.engine.evaluator import Evaluator
from pmprb.engine.instrument import RULES_DIR, Instrument, _load_folder, load_instrument
from pmprb.engine.replay import Replayer
from pmprb.engine.safe_input import InputRefused
from pmprb.engine.worksheet_files import load_worksheet
from pmprb.engine.yamlsrc import load_source, load_text
from pmprb.errors import PmprbError, ValidationError

from hostile_inputs import _alias_bomb


# -- YAML ---------------------------------------------------------------------


def test_yaml_alias_bomb_recursion_and_depth_are_named_with_their_line():
    with pytest.raises(InputRefused) as exc:
        load_text("a: 1\n" + _alias_bomb(), "w.yaml")
    assert exc.value.reason == "aliases"
    # line 6 (lol4: 9^5 strings) is the first level whose expansion passes 10,000 extra values
    assert str(exc.value).startswith("w.yaml:6: alias YAML (*nama) mengembang menjadi lebih dari 10000 nilai")
    with pytest.raises(InputRefused, match=r"^w.yaml:2: x.b\[1\]: alias YAML merujuk ke nilai yang memuatnya sendiri$"):
        load_text("x: &a\n  b: [1, *a]\n", "w.yaml")
    with pytest.raises(InputRefused, match=r"^w.yaml:1: YAML bersarang lebih dalam dari 64 tingkat") as exc:
        load_text("[" * 100_000, "w.yaml")
    assert exc.value.reason == "depth"
    # aliases nested in aliases go deeper than any one of them
    lines = ["a1: &a1 " + "[" * 60 + "1" + "]" * 60]
    lines += [f"a{i}: &a{i} " + "[" * 60 + f"*a{i - 1}" + "]" * 60 for i in range(2, 30)]
    with pytest.raises(InputRefused, match="lebih dalam dari 64 tingkat"):
        load_text("\n".join(lines), "w.yaml")
    with pytest.raises(InputRefused, match=r"^w.yaml:1: YAML berisi lebih dari 100000 nilai") as exc:
        load_text("[" + ",".join("1" for _ in range(100_001)) + "]", "w.yaml")
    assert exc.value.reason == "nodes"


def test_yaml_aliases_within_bounds_still_work_with_their_lines():
    src = load_text("opsi: &o [A, B, C]\nlagi: *o\npeta:\n  k: *o\n", "w.yaml")
    assert src.data == {"opsi": ["A", "B", "C"], "lagi": ["A", "B", "C"], "peta": {"k": ["A", "B", "C"]}}
    assert src.line(("peta", "k")) == 4 and src.line(("lagi",)) == 2


def test_a_scalar_its_type_cannot_hold_is_a_located_problem_not_a_traceback(tmp_path):
    src = load_text("a: 2024-02-30\nb: " + "1" * 5000 + "\nc: ok\n", "w.yaml")
    assert src.data == {"a": None, "b": None, "c": "ok"}
    assert [(p, line) for p, line, _ in src.problems] == [(("a",), 1), (("b",), 2)]
    assert src.problems[0][2] == "nilai '2024-02-30' tidak valid: day is out of range for month"
    p = tmp_path / "w.yaml"
    p.write_text("instrument: pmprb-2014\nanswers:\n  MP.1.a: A\nevidence: {MP.1.a: 2024-02-30}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_worksheet(p)
    assert f"{p}:4: evidence.MP.1.a: nilai '2024-02-30' tidak valid: day is out of range for month" in exc.value.details


def test_yaml_files_are_size_bounded(tmp_path, monkeypatch):
    p = tmp_path / "a.yaml"
    p.write_text("a: " + "x" * 2**20 + "\n", encoding="utf-8")
    assert len(load_source(p).data["a"]) == 2**20
    monkeypatch.setenv("PMPRB_MAX_INPUT_MB", "1")
    with pytest.raises(InputRefused, match="melebihi batas 1 MB"):
        load_source(p)


# -- instrument folders -----------------------------------------------------------


def _instrument_copy(tmp_path):
    folder = tmp_path / "inst"
    shutil.copytree(RULES_DIR / "pmprb-2014", folder)
    return folder


def test_an_instrument_file_over_a_limit_is_one_of_the_folders_errors(tmp_path):
    folder = _instrument_copy(tmp_path)
    (folder / "02-ppu.yaml").write_text(_alias_bomb(), encoding="utf-8")
    (folder / "03-org.yaml").write_bytes((folder / "03-org.yaml").read_bytes() + b"\n# \xe9\n")
    with pytest.raises(ValidationError) as exc:
        _load_folder(folder)
    assert str(exc.value).startswith(f"{folder}: instrumen tidak valid (2 kesalahan)")
    assert exc.value.details[0].startswith(f"{folder}/02-ppu.yaml:5: alias YAML (*nama) mengembang")
    assert exc.value.details[1].startswith(f"{folder}/03-org.yaml:")
    assert "bukan teks UTF-8 (byte 0xE9 pada kolom 3)" in exc.value.details[1]


@pytest.mark.usefixtures("english")
def test_area_files_must_stay_inside_the_instrument_folder(tmp_path):
    folder = _instrument_copy(tmp_path)
    (tmp_path / "luar.yaml").write_bytes((folder / "02-ppu.yaml").read_bytes())
    head = (folder / "instrument.yaml").read_text(encoding="utf-8")
    (folder / "instrument.yaml").write_text(head.replace("02-ppu.yaml", "../luar.yaml"), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        _load_folder(folder)
    assert any("area file '../luar.yaml' must be a file inside the instrument folder" in d for d in exc.value.details)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("value,message", [
    ("9" * 400, "expected a finite number within ±1e+15, got 9999999999999999999999999999999999999999…"),
    (".inf", "expected a finite number within ±1e+15, got inf"),
    (".nan", "expected a finite number within ±1e+15, got nan")])
def test_instrument_numbers_out_of_range_are_located_not_overflow_errors(tmp_path, value, message):
    # found by fuzzing: a weight of 400 digits overflowed float(), .inf broke canonical JSON
    folder = _instrument_copy(tmp_path)
    head = (folder / "instrument.yaml").read_text(encoding="utf-8")
    (folder / "instrument.yaml").write_text(head.replace("pengungkit_total: 60", f"pengungkit_total: {value}"),
                                            encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        _load_folder(folder)
    assert exc.value.details == [f"{folder}/instrument.yaml:8: pengungkit_total: {message}"]


@pytest.mark.usefixtures("english")
def test_an_example_of_a_criterion_with_an_unknown_answer_type_is_not_a_key_error(tmp_path):
    # found by fuzzing: the worked examples were checked against the unknown type itself
    folder = _instrument_copy(tmp_path)
    area = (folder / "02-ppu.yaml").read_text(encoding="utf-8")
    (folder / "02-ppu.yaml").write_text(area.replace("answer_type: A/B/C", "answer_type: X/Y", 1), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        _load_folder(folder)
    assert len(exc.value.details) == 1 and "unknown answer type 'X/Y'" in exc.value.details[0]


@pytest.mark.parametrize("ref", ["a" * 400, "x\0y"])
def test_an_instrument_name_that_is_no_usable_path_is_unknown_not_an_os_error(tmp_path, ref):
    # found by fuzzing: a 400-character name made os.stat raise "File name too long"
    p = tmp_path / "w.yaml"
    p.write_text(f"instrument: {json.dumps(ref)}\nanswers: {{MP.1.a: A}}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_worksheet(p)
    assert exc.value.details[0].startswith(f"{p}:1: instrument: instrumen tidak dikenal ")


def test_a_stored_instrument_nested_too_deep_is_a_validation_error():
    with pytest.raises(ValidationError, match="stored round: data JSON bersarang lebih dalam"):
        Instrument.from_canonical_json("[" * 100_000)


# -- JSON and CSV worksheets --------------------------------------------------------


def test_json_worksheets_keep_their_syntax_lines_and_refuse_what_is_not_json(tmp_path):
    p = tmp_path / "w.json"
    p.write_text('{"instrument": "pmprb-2014",\n "answers": {"MP.1.a": "A",}\n}', encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_worksheet(p)
    assert exc.value.details == [f"{p}:2: sintaks JSON tidak valid: periksa tanda baca dan indentasi di sekitar kolom 28"]
    p.write_text('{"instrument": "pmprb-2014", "answers": {"MP.1.a": "A"}, "hasil": {"H.1.a": NaN}}', encoding="utf-8")
    with pytest.raises(InputRefused, match=f"^{p}: NaN bukan angka yang sah"):
        load_worksheet(p)


def test_a_csv_worksheet_with_an_unclosed_quote_names_where_it_starts(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text('criterion,answer\nMP.1.a,A\nMP.2.a,"Ya\n' + "x" * 140_000 + "\n", encoding="utf-8")
    with pytest.raises(InputRefused, match="sel yang dimulai di baris 3 lebih panjang dari 131072 karakter"):
        load_worksheet(p)


def test_a_worksheet_with_thousands_of_problems_lists_the_first_hundred(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("criterion,answer\n" + "".join(f"K{i},A\n" for i in range(5000)), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_worksheet(p)
    assert exc.value.message == f"{p}: lembar kerja tidak valid (5000 kesalahan)"
    assert len(exc.value.details) == 101 and exc.value.details[-1] == "… dan 4900 kesalahan lain"
    assert exc.value.details[0].startswith(f"{p}:2: K0: kriteria tidak dikenal 'K0'")


def test_a_utf16_csv_worksheet_with_its_bom_is_read(tmp_path):
    p = tmp_path / "w.csv"
    p.write_bytes("criterion,answer\nMP.1.a,a\n".encode("utf-16"))
    assert load_worksheet(p).answers == {"MP.1.a": "A"}


# -- published history ------------------------------------------------------------


def test_history_csv_is_bounded_and_names_bad_bytes(tmp_path, monkeypatch):
    p = tmp_path / "riwayat.csv"
    p.write_bytes(b"year;item;weight;value;percent\n2016;MP;5;3,45;69\x0000\n")
    with pytest.raises(InputRefused, match=r"^riwayat.csv:2: berisi byte NUL \(0x00\) pada kolom 18"):
        history.read_csv(p)
    p.write_text("year,item,weight,value,percent\n" + "2016,MP,5,3.45,69.00\n" * 10, encoding="utf-8")
    monkeypatch.setenv("PMPRB_MAX_INPUT_ROWS", "5")
    with pytest.raises(InputRefused, match="riwayat.csv:6: lebih dari 5 baris"):
        history.read_csv(p)
    with pytest.raises(PmprbError, match="tidak-ada.csv: berkas tidak ada"):
        history.read_csv(tmp_path / "tidak-ada.csv")


# -- the decision log and replay ------------------------------------------------------


@pytest.fixture(scope="module")
def log_lines():
    inst = load_instrument("pmprb-2014")
    ev = Evaluator(inst, "plain").evaluate({cid: c.options[0][0] for cid, c in list(inst.criteria.items())[:5]}, {})
    recs = []
    for i, (cid, dec) in enumerate(ev.decisions.items()):
        recs.append({"decision_id": f"d{i}", "round": "2024", "criterion": cid, "kind": "final", "unit": None,
                     "assessor": None, "actor": "x", "timestamp": "2024-06-01T00:00:00+00:00",
                     "instrument": {"id": inst.id, "revision": inst.revision}, "engine": dec.engine,
                     "input_json": canonical_json(dec.input), "result_json": canonical_json(dec.result.record()),
                     "trace_json": canonical_json(list(dec.trace))})
    head = decision_log.header(round_info={"code": "2024"}, instrument=inst, records=len(recs), frozen_results=None,
                               exported_at="2024-06-01T00:00:00+00:00", generator="test")
    return [canonical_json(head)] + [canonical_json(decision_log.decision_line(r)) for r in recs]


def _replay(path):
    return decision_log.replay_log(decision_log.DecisionLog(path), engine="plain")


def test_a_valid_log_replays(tmp_path, log_lines):
    p = tmp_path / "log.jsonl"
    p.write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    rep = _replay(p)
    assert rep.ok and rep.total == len(log_lines) - 1


@pytest.mark.parametrize("field,value,problem", [
    ("criterion", ["MP.1.a"], "criterion"), ("engine", {"a": 1}, "engine"), ("kind", [1], "kind"),
    ("instrument", {"id": "x", "revision": ["r"]}, "instrument"), ("input_json", 5, "input_json"),
    ("decision_id", [1], "decision_id")])
def test_a_record_field_of_the_wrong_type_is_named_not_a_crash(tmp_path, log_lines, field, value, problem):
    rec = json.loads(log_lines[2])
    rec[field] = value
    p = tmp_path / "log.jsonl"
    p.write_text("\n".join([log_lines[0], log_lines[1], canonical_json(rec)]) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=f"log.jsonl:3: bukan catatan keputusan \\({problem}\\)$"):
        _replay(p)


def test_a_header_of_the_wrong_shape_is_named(tmp_path, log_lines):
    head = json.loads(log_lines[0])
    head["instrument"] = [1, 2]
    p = tmp_path / "log.jsonl"
    p.write_text(canonical_json(head) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"log.jsonl:1: instrumen dalam berkas \(sha256 -\) tidak cocok"):
        decision_log.DecisionLog(p)


@pytest.mark.parametrize("frozen,message", [
    ([5], "hasil yang dibekukan bukan objek: int"),
    ([{"criteria": [1]}], "criteria pada hasil yang dibekukan bukan objek"),
    ([{"criteria": {"MP.1.a": 1}}], "criteria.MP.1.a pada hasil yang dibekukan bukan objek"),
    ([{"criteria": {"MP.1.a": {"decision_id": [1]}}}], "criteria.MP.1.a.decision_id pada hasil yang dibekukan bukan id"),
    ([{"criteria": {"MP.1.a": {"decision_id": "d0"}}, "hasil_inputs": {"H.1.a": [1]}}],
     "hasil yang dibekukan tidak dapat dihitung ulang: "),
])
def test_a_frozen_result_of_the_wrong_shape_is_a_finding_not_a_crash(tmp_path, log_lines, frozen, message):
    # found by fuzzing the header of a decision log: replay crashed on frozen_results it could not walk
    head = json.loads(log_lines[0])
    head["frozen_results"] = frozen
    p = tmp_path / "log.jsonl"
    p.write_text("\n".join([canonical_json(head)] + log_lines[1:]) + "\n", encoding="utf-8")
    rep = _replay(p)
    assert not rep.ok and rep.scores[0]["message"].startswith(message)
    head["frozen_results"] = 5
    p.write_text("\n".join([canonical_json(head)] + log_lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="log.jsonl:1: frozen_results harus berupa daftar atau null, bukan int"):
        _replay(p)


def test_log_lines_that_are_too_deep_or_not_utf8_are_named(tmp_path, log_lines):
    p = tmp_path / "log.jsonl"
    p.write_text("\n".join([log_lines[0], log_lines[1], '{"type": "decision", "x": ' + "[" * 5000]) + "\n",
                 encoding="utf-8")
    with pytest.raises(InputRefused, match="log.jsonl:3: data JSON bersarang lebih dalam dari 64 tingkat"):
        _replay(p)
    p.write_bytes(("\n".join(log_lines[:2]) + "\n").encode() + b'{"a": "\xe9"}\n')
    with pytest.raises(InputRefused, match=r"log.jsonl:3: bukan teks UTF-8 \(byte 0xE9 pada kolom 8\)"):
        _replay(p)


def test_a_stored_input_nested_too_deep_is_an_unreadable_record_not_a_crash(log_lines):
    inst = load_instrument("pmprb-2014")
    rec = json.loads(log_lines[1])
    rec["input_json"] = "[" * 100_000
    rec.pop("input", None)
    rep = Replayer({inst.revision: inst}, engine="plain").run([rec])
    assert [(m.reason, m.message) for m in rep.mismatches] == [
        ("unreadable", "stored input: data JSON bersarang lebih dalam dari 64 tingkat (batas tetap; berkas pmprb "
                       "tidak pernah sedalam itu)")]
    # exported as the exact stored text (not JSON any more), so replaying the file finds the same record
    rec.pop("result", None)
    line = decision_log.decision_line({**rec, "result_json": "[" * 100_000})
    assert line["result_json"] == "[" * 100_000 and "result" not in line
