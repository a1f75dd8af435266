"""Tamper evidence: edits made with SQL, bypassing pmprb, are reported by
``pmprb audit verify`` naming the audit event they contradict."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers
from pmprb.assessments.store import audit_log
from pmprb.assessments.assess import evidence
from pmprb.assessments.setup import units, round_work
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.cli import main
from pmprb.errors import EXIT_MISMATCH


def verify_cli(world, *args):
    return CliRunner().invoke(main, ["--db", world.db.url, "audit", "verify", *args])


def sql(world, statement, **params):
    with world.db.engine.begin() as conn:
        conn.execute(text(statement), params)


@pytest.fixture
def answered(world):
    kora, ani = world.actor("kora"), world.actor("ani")
    world.run(lambda s: wiring.open_round(s, kora, world.rnd(s)))

    def op(s):
        rnd, unit = world.rnd(s), units.get_unit(s, "DINKES")
        answers.save_answer(s, ani, rnd, unit, "MP.1.a", "A", "SK ada", expected_version=0)
        answers.save_answer(s, ani, rnd, unit, "MP.1.b", "B", expected_version=0)
        answers.save_answer(s, ani, rnd, unit, "MP.1.a", "B", "SK ada, belum sesuai", expected_version=1)
        answers.save_answer(s, ani, rnd, unit, "MP.2.a", "Ya", expected_version=0)
    world.run(op)
    return world


def last_save_event(world, criterion):
    with world.db.session() as s:
        evs = [e for e in audit_log.events(s, world.rnd(s).id, action="answer.save")
               if json.loads(e.payload_json)["criterion"] == criterion]
        return evs[-1]


def test_clean_round_verifies(answered):
    res = verify_cli(answered, "--round", "2024")
    assert res.exit_code == 0, res.output
    assert "rantai utuh" in res.stderr
    res = verify_cli(answered, "--json")
    assert res.exit_code == 0 and all(r["ok"] for r in json.loads(res.stdout))


def test_answer_edited_with_sql_is_reported_with_its_event(answered):
    ev = last_save_event(answered, "MP.1.a")
    sql(answered, "UPDATE answer SET answer = 'A' WHERE criterion_id = 'MP.1.a'")
    res = verify_cli(answered, "--round", "2024")
    assert res.exit_code == EXIT_MISMATCH
    assert f"event {ev.seq} (answer.save)" in res.stdout
    assert "jawaban MP.1.a unit DINKES asesor ani: answer tersimpan 'A' tetapi event mencatat 'B'" in res.stdout
    assert "verifikasi audit gagal" in res.stderr
    data = json.loads(verify_cli(answered, "--round", "2024", "--json").stdout)[0]
    assert [(p["seq"], p["action"], p["check"]) for p in data["problems"]] == [(ev.seq, "answer.save", "answers")]


def test_answer_inserted_or_deleted_with_sql(answered):
    ev = last_save_event(answered, "MP.2.a")
    sql(answered, "DELETE FROM answer WHERE criterion_id = 'MP.2.a'")
    with answered.db.session() as s:
        rep = wiring.verify(s, answered.rnd(s).id)
    assert [(p.seq, p.check) for p in rep.problems] == [(ev.seq, "answers")] and "dihapus" in rep.problems[0].message


def test_edited_event_breaks_the_chain_at_that_event(answered):
    ev = last_save_event(answered, "MP.1.b")
    with answered.db.session() as s:
        total = len(audit_log.events(s, answered.rnd(s).id))
    sql(answered, "UPDATE audit_event SET payload_json = replace(payload_json, '\"B\"', '\"A\"') WHERE id = :i", i=ev.id)
    res = verify_cli(answered, "--round", "2024")
    assert res.exit_code == EXIT_MISMATCH
    assert f"rantai rusak pada event {ev.seq} (answer.save)" in res.stdout
    assert ev.seq < total  # the first broken link is named, not the last event


def test_rehashed_event_still_breaks_the_next_link(answered):
    """Recomputing the edited event's own hashes does not help: the next
    event still points at the old hash."""
    from pmprb.canonical import sha256_hex

    ev = last_save_event(answered, "MP.1.b")
    with answered.db.session() as s:
        e = s.get(type(ev), ev.id)
        payload = e.payload_json.replace('"B"', '"A"')
        p_hash = sha256_hex(payload)
        h = audit_log.event_hash(chain=e.chain, seq=e.seq, actor=e.actor, at=e.at, action=e.action,
                             payload_hash=p_hash, prev_hash=e.prev_hash)
    sql(answered, "UPDATE audit_event SET payload_json = :p, payload_hash = :ph, hash = :h WHERE id = :i",
        p=payload, ph=p_hash, h=h, i=ev.id)
    with answered.db.session() as s:
        rep = wiring.verify(s, answered.rnd(s).id)
    assert rep.first_broken.seq == ev.seq + 1 and "prev_hash" in rep.first_broken.message


def test_deleted_last_event_is_detected(answered):
    with answered.db.session() as s:
        last = audit_log.events(s, answered.rnd(s).id)[-1]
    sql(answered, "DELETE FROM audit_event WHERE id = :i", i=last.id)
    with answered.db.session() as s:
        rep = wiring.verify(s, answered.rnd(s).id)
    assert rep.first_broken is not None and "kepala rantai" in rep.first_broken.message


def test_round_state_and_instrument_edits(answered):
    sql(answered, "UPDATE assessment_round SET state = 'final'")
    sql(answered, "UPDATE assessment_round SET instrument_json = replace(instrument_json, :a, :b)",
        a='"weight":5.0', b='"weight":9.0')
    with answered.db.session() as s:
        rep = wiring.verify(s, answered.rnd(s).id)
    checks = {p.check: p for p in rep.problems}
    assert checks["round"].action == "round.transition" and "'final'" in checks["round"].message
    assert "instrument" in checks


def test_evidence_and_decision_edits(answered, tmp_path):
    f = tmp_path / "sk.pdf"
    f.write_bytes(b"SK")
    ani = answered.actor("ani")
    store = EvidenceStore(answered.db.evidence_dir)
    answered.run(lambda s: evidence.add_evidence(s, store, ani, answered.rnd(s), units.get_unit(s, "DINKES"),
                                                 criteria=["MP.1.a"], title="SK", document_date=date(2024, 1, 2),
                                                 file=f, today=date(2024, 6, 1)))
    from pmprb.assessments.store import decision_records
    from pmprb.engine.evaluator import evaluate

    def record(s):
        rnd = answered.rnd(s)
        ev = evaluate(round_work.instrument_for(rnd), {"MP.1.a": "A"})
        decision_records.record_decisions(s, None, rnd, {"MP.1.a": ev.decisions["MP.1.a"]}, kind="final")
    answered.run(record)
    sql(answered, "UPDATE evidence_revision SET document_date = :d", d=date(2024, 1, 3))
    sql(answered, "UPDATE decision_record SET result_json = replace(result_json, '1', '0')")
    with answered.db.session() as s:
        rep = wiring.verify(s, answered.rnd(s).id)
    found = {(p.check, p.action) for p in rep.problems}
    assert ("evidence", "evidence.add") in found and ("decisions", "decision.record") in found


def test_global_chain_covers_people_and_units(answered):
    sql(answered, "UPDATE audit_event SET actor = 'mallory' WHERE chain = 'global' AND action = 'unit.add'")
    res = verify_cli(answered)
    assert res.exit_code == EXIT_MISMATCH and "global: rantai rusak pada event" in res.stdout and "(unit.add)" in res.stdout
