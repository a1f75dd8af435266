"""The decision log file: one header line with the pinned instrument, one line per record;
replayable with nothing else."""

from __future__ import annotations

import io
import json

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import decision_log
from pmprb.errors import ValidationError

from test_audit_replay_engine import INST, records_from


def write_log(path, recs, records=None, frozen=None):
    head = decision_log.header(round_info={"code": "2024"}, instrument=INST,
                               records=len(recs) if records is None else records, frozen_results=frozen,
                               exported_at="2024-06-01T00:00:00+00:00", generator="test")
    with path.open("w", encoding="utf-8") as f:
        decision_log.write(f, head, recs)
    return path


def test_round_trip_replays_every_record(tmp_path):
    recs = records_from("plain", worksheets=2)
    path = write_log(tmp_path / "log.jsonl", recs)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(recs) + 1
    head, first = json.loads(lines[0]), json.loads(lines[1])
    assert head["format"] == "pmprb-decision-log/2" and head["instrument"]["revision"] == INST.revision
    # Objects, not texts: the line is readable by any JSON tool.
    assert first["type"] == "decision" and isinstance(first["result"], dict) and "result_json" not in first
    log = decision_log.DecisionLog(path)
    rep = decision_log.replay_log(log, engine="plain")
    assert rep.ok and rep.total == rep.matched == len(recs) and log.count == len(recs)


def test_non_canonical_stored_text_survives_export_and_is_found_offline(tmp_path):
    recs = records_from("plain", worksheets=1)
    recs[3] = dict(recs[3], result_json=json.dumps(json.loads(recs[3]["result_json"]), indent=2))
    path = write_log(tmp_path / "log.jsonl", recs)
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[4])
    assert line["result_json"] == recs[3]["result_json"] and "result" not in line
    rep = decision_log.replay_log(decision_log.DecisionLog(path), engine="plain")
    assert [m.decision_id for m in rep.mismatches] == [recs[3]["decision_id"]]


def test_edited_line_in_the_file_is_named(tmp_path):
    recs = records_from("plain", worksheets=1)
    path = write_log(tmp_path / "log.jsonl", recs)
    lines = path.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[10])
    rec["result"]["value"] = 1.0 if rec["result"]["value"] != 1.0 else 0.0
    lines[10] = canonical_json(rec)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = decision_log.replay_log(decision_log.DecisionLog(path), engine="plain")
    assert [(m.decision_id, m.reason) for m in rep.mismatches] == [(rec["decision_id"], "result")]


def test_truncated_file_is_a_problem(tmp_path):
    recs = records_from("plain", worksheets=1)
    path = write_log(tmp_path / "log.jsonl", recs, records=len(recs) + 2)
    rep = decision_log.replay_log(decision_log.DecisionLog(path), engine="plain")
    assert not rep.mismatches and not rep.ok
    assert rep.problems == [f"judul berkas menyebut {len(recs) + 2} catatan, berkas berisi {len(recs)} "
                            "(berkas terpotong/diubah)"]


def test_instrument_in_the_file_must_hash_to_its_revision(tmp_path):
    path = write_log(tmp_path / "log.jsonl", records_from("plain", worksheets=1))
    lines = path.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    head["instrument"]["data"]["areas"][0]["weight"] = 50
    lines[0] = canonical_json(head)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"log\.jsonl:1: instrumen dalam berkas .* tidak cocok dengan revisinya"):
        decision_log.DecisionLog(path)


@pytest.mark.parametrize("content,match", [
    ("", "berkas kosong"),
    ('{"type": "header", "format": "other/9"}\n', r":1: bukan judul pmprb-decision-log/2 \(format 'other/9'\)"),
    ("not json\n", ":1: bukan JSON"),
])
def test_bad_files_are_refused_with_their_place(tmp_path, content, match):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=match):
        decision_log.DecisionLog(path)


def test_bad_record_line_is_refused_with_its_line_number(tmp_path):
    recs = records_from("plain", worksheets=1)
    path = write_log(tmp_path / "log.jsonl", recs)
    with path.open("a", encoding="utf-8") as f:
        f.write('{"type": "decision", "criterion": "MP.1.a"}\n')
    log = decision_log.DecisionLog(path)
    with pytest.raises(ValidationError, match=rf":{len(recs) + 2}: bukan catatan keputusan \(decision_id\)"):
        list(log.records())


def test_decision_line_keeps_exact_text_only_when_needed():
    rec = {"decision_id": "d", "criterion": "MP.1.a", "instrument": {}, "engine": "e",
           "input_json": '{"answer":"A","evidence":1}', "result_json": "garbage", "trace_json": '[ "x" ]'}
    line = decision_log.decision_line(rec)
    assert line["input"] == {"answer": "A", "evidence": 1}
    assert line["result_json"] == "garbage" and line["trace_json"] == '[ "x" ]'
    assert "result" not in line and "trace" not in line and line["type"] == "decision"


def test_write_counts_lines():
    out = io.StringIO()
    head = decision_log.header(round_info={}, instrument=INST, records=0, frozen_results=None, exported_at="x",
                               generator="t")
    assert decision_log.write(out, head, []) == 0
    assert out.getvalue().count("\n") == 1
