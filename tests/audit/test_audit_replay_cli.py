"""`pmprb audit replay` and `pmprb audit export` on a stored round."""

from __future__ import annotations

import json

import pytest

from pmprb.assessments import wiring
from pmprb.errors import EXIT_MISMATCH

from audit_support import decision_row, json_out


def test_finalised_round_replays_identically(final_round):
    res = final_round.cli("audit", "replay", "--round", "2024")
    assert res.exit_code == 0, res.output
    assert "Putar ulang ronde 2024: 212 keputusan, 212 cocok, 0 tidak cocok" in res.stdout
    assert "Jenis catatan: assessor 66, final 146" in res.stdout
    assert "Hasil akhir beku ke-1: cocok dengan hitung ulang dari keputusan final" in res.stdout
    res = final_round.cli("audit", "replay", "--round", "2024", "--json")
    data = json_out(res)  # stdout is nothing but the JSON document
    assert res.exit_code == 0 and data["ok"] and data["total"] == data["matched"] == 212
    assert data["kinds"] == {"assessor": 66, "final": 146} and data["mismatches"] == []
    assert data["scores"] == [{"seq": 1, "ok": True, "differences": [], "message": None}]


def test_frozen_result_edited_with_sql_is_recomputed_and_named(final_round):
    text_ = final_round.scalar("SELECT result_json FROM final_result WHERE seq = 1")
    data = json.loads(text_)
    data["score"]["areas"]["PPU"]["score"] += 0.5
    data["criteria"]["PPU.1.a"]["value"] = 1.0
    final_round.sql("UPDATE final_result SET result_json = :t", t=json.dumps(data, sort_keys=True, separators=(",", ":")))
    res = final_round.cli("audit", "replay", "--round", "2024")
    assert res.exit_code == EXIT_MISMATCH and "212 cocok, 0 tidak cocok" in res.stdout
    assert "Hasil akhir beku ke-1: TIDAK cocok" in res.stdout
    assert "    criteria.PPU.1.a.value: beku 1.0, dihitung ulang 0.5" in res.stdout
    assert "    score.areas.PPU.score: beku" in res.stdout
    assert "0 keputusan tidak cocok dan 1 masalah lain" in res.stderr


@pytest.mark.parametrize("engine", ["plain", "durable"])
def test_engine_can_be_chosen(final_round, engine):
    from pmprb.engine.evaluator import durable_available

    if engine == "durable" and not durable_available():
        pytest.skip("durable_rules does not import on this Python")
    data = json_out(final_round.cli("audit", "replay", "--round", "2024", "--json", "--engine", engine))
    assert data["ok"] and data["engine"].startswith({"plain": "pmprb-plain", "durable": "durable_rules"}[engine])


def test_decision_record_edited_with_sql_is_named(final_round):
    row = decision_row(final_round, "MP.2.b")
    result = json.loads(row["result_json"])
    assert result["value"] == 1.0
    final_round.sql("UPDATE decision_record SET result_json = :r WHERE decision_id = :d",
                    r=json.dumps({**result, "value": 0.5, "raw_value": 0.5}, sort_keys=True, separators=(",", ":")),
                    d=row["decision_id"])
    res = final_round.cli("audit", "replay", "--round", "2024")
    assert res.exit_code == EXIT_MISMATCH
    assert "211 cocok, 1 tidak cocok" in res.stdout
    assert f"keputusan {row['decision_id']} — MP.2.b (final): hasil berbeda" in res.stdout
    assert '"value":0.5' in res.stdout and '"value":1.0' in res.stdout
    assert "putar ulang menemukan 1 keputusan tidak cocok" in res.stderr
    data = json_out(final_round.cli("audit", "replay", "--round", "2024", "--json"))
    (m,) = data["mismatches"]
    assert (m["decision_id"], m["criterion"], m["reason"]) == (row["decision_id"], "MP.2.b", "result")
    assert (m["stored"]["result"]["value"], m["replayed"]["result"]["value"]) == (0.5, 1.0)


def test_edited_input_is_named_in_english(final_round):
    row = decision_row(final_round, "MP.1.a", kind="assessor", assessor="budi")
    final_round.sql("UPDATE decision_record SET input_json = replace(input_json, :a, :b) WHERE decision_id = :d",
                    a='"answer":"C"', b='"answer":"A"', d=row["decision_id"])
    res = final_round.cli("audit", "replay", "--round", "2024", lang="en")
    assert res.exit_code == EXIT_MISMATCH
    assert f"decision {row['decision_id']} — MP.1.a (assessor, DINKES, budi): result and rule trace differ" in res.stdout


def test_edited_instrument_refuses_replay(final_round):
    final_round.sql("UPDATE assessment_round SET instrument_json = replace(instrument_json, :a, :b)",
                    a='"weight":5', b='"weight":9')
    res = final_round.cli("audit", "replay", "--round", "2024")
    assert res.exit_code == EXIT_MISMATCH
    assert "tidak cocok dengan revisi yang dipatok" in res.stderr and "ronde 2024" in res.stderr


def test_export_then_replay_without_a_database(final_round, tmp_path):
    out = tmp_path / "keputusan-2024.jsonl"
    res = final_round.cli("audit", "export", "--round", "2024", "--format", "jsonl", "-o", str(out))
    assert res.exit_code == 0 and "212 catatan keputusan ronde 2024" in res.stderr and res.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    events = [line for line in lines[1:] if json.loads(line)["type"] == "event"]
    # Header, the round's audit chain (its head in the header), then the records.
    assert json.loads(lines[0])["chain"]["seq"] == len(events) == json.loads(events[-1])["seq"]
    lines = [lines[0]] + lines[1 + len(events):]
    assert len(lines) == 213
    rec = json.loads(lines[1])
    assert set(rec) >= {"decision_id", "round", "criterion", "kind", "unit", "assessor", "actor", "timestamp",
                        "instrument", "engine", "input", "result", "trace", "record_sha256"}
    assert rec["round"] == "2024" and rec["instrument"]["id"] == "pmprb-2014"
    # record_sha256 is the hash the record's audit event pins: the export links back to the log.
    from pmprb.assessments.store import audit_log

    with final_round.db.session() as s:
        pinned = {}
        for ev in audit_log.events(s, final_round.rnd(s).id, action="decision.record"):
            pinned.update(json.loads(ev.payload_json)["records"])
    assert all(json.loads(line)["record_sha256"] == pinned[json.loads(line)["decision_id"]] for line in lines[1:])
    # No database at all: a --db that cannot even be created is never opened.
    from click.testing import CliRunner
    from pmprb.cli import main

    res = CliRunner().invoke(main, ["--db", "sqlite:////nonexistent/dir/pmprb.db", "audit", "replay", "--from", str(out),
                                    "--json"])
    assert res.exit_code == 0, res.output
    assert json_out(res)["matched"] == 212


def test_export_to_stdout_is_the_same_log(final_round, tmp_path):
    res = final_round.cli("audit", "export", "--round", "2024")
    lines = [line for line in res.stdout.splitlines() if json.loads(line)["type"] != "event"]
    assert res.exit_code == 0 and len(lines) == 213 and json.loads(lines[0])["type"] == "header"


def test_replay_needs_exactly_one_source(final_round, tmp_path):
    assert final_round.cli("audit", "replay").exit_code == 2
    assert final_round.cli("audit", "replay", "--round", "2024", "--from", str(tmp_path / "x")).exit_code == 2


def test_unknown_round_is_not_found(final_round):
    res = final_round.cli("audit", "replay", "--round", "1999")
    assert res.exit_code == 3 and "ronde '1999' tidak ditemukan" in res.stderr


class _FakeStderr:
    def __init__(self, tty):
        self.tty, self.text = tty, ""

    def isatty(self):
        return self.tty

    def write(self, s):
        self.text += s

    def flush(self):
        pass


@pytest.mark.parametrize("tty,enabled,shown", [(True, True, True), (False, True, False), (True, False, False)])
def test_progress_bar_only_for_a_person_at_a_terminal(monkeypatch, tty, enabled, shown):
    from pmprb.commands import audit_replay

    fake = _FakeStderr(tty)
    monkeypatch.setattr(audit_replay.sys, "stderr", fake)
    bar = audit_replay._Progress(100, enabled)
    bar(40)
    bar(60)
    bar.close()
    assert (bar.bar is not None) == shown
    assert ("keputusan" in fake.text) == shown


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_export_reads_one_snapshot_on_postgresql(db):
    from sqlalchemy import text

    from pmprb.assessments.audit import replay as store_replay

    with db.session() as s:
        store_replay.consistent_snapshot(s)
        assert s.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"
    with db.session() as s:
        assert s.execute(text("SHOW transaction_isolation")).scalar() == "read committed"


def test_reopened_and_refinalised_round_checks_every_frozen_result(final_round):

    kora = final_round.actor("kora")
    final_round.run(lambda s: wiring.reopen(s, kora, final_round.rnd(s), reason="periksa ulang bukti MP.2.b"))
    final_round.run(lambda s: wiring.finalise(s, kora, final_round.rnd(s)))
    data = json_out(final_round.cli("audit", "replay", "--round", "2024", "--json"))
    assert data["ok"] and data["kinds"] == {"assessor": 66, "final": 292}
    assert [(s["seq"], s["ok"]) for s in data["scores"]] == [(1, True), (2, True)]
    # The log alone reproduces both: the header carries every frozen result.
    res = final_round.cli("audit", "export", "--round", "2024")
    head = json.loads(res.stdout.splitlines()[0])
    assert [f["seq"] for f in head["frozen_results"]] == [1, 2]
