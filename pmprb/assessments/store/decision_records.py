"""Decision records: store what the rules decided, and for whom.

A record holds the canonical input, result and trace of one evaluator
decision with the round's pinned instrument revision and the engine label,
so ``replay`` can re-run it byte for byte. Storing a batch writes one audit
event listing each record's id and hash, so a record edited later is
detected by ``pmprb audit verify``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import insert
from sqlmodel import Session, select

from pmprb.canonical import canonical_json, sha256_hex
from pmprb.engine.evaluator import Evaluator
from pmprb.assessments.store import audit_log
from pmprb.assessments.assess.answers import answers_of
from pmprb.assessments.setup.assignments import assigned_criteria
from pmprb.assessments.assess.evidence import evidence_counts
from pmprb.assessments.store.models import AssessmentRound, DecisionRecord, Person, WorkUnit, Worksheet, utcnow
from pmprb.assessments.setup.permissions import Actor
from pmprb.assessments.setup.rounds import instrument_for

KINDS = ("assessor", "final")  # later features may add their own kinds


def record_hash(rec: DecisionRecord) -> str:
    """What the audit event pins for a record: everything that replay uses."""
    return sha256_hex(canonical_json({
        "decision_id": rec.decision_id, "round_id": rec.round_id, "unit_id": rec.unit_id,
        "assessor_id": rec.assessor_id, "criterion_id": rec.criterion_id, "kind": rec.kind,
        "instrument_id": rec.instrument_id, "instrument_revision": rec.instrument_revision, "engine": rec.engine,
        "input": rec.input_json, "result": rec.result_json, "trace": rec.trace_json}))


def record_decisions(session: Session, actor: Actor | None, rnd: AssessmentRound, decisions: dict[str, dict], *,
                     kind: str, unit_id: int | None = None, assessor_id: int | None = None,
                     context: dict | None = None) -> list[DecisionRecord]:
    """Store evaluator decisions (``{criterion: decision}`` as returned by
    ``Evaluator.evaluate(...).decisions``) and their audit event."""
    rows = [dict(
        decision_id=str(uuid.uuid4()), round_id=rnd.id, unit_id=unit_id, assessor_id=assessor_id,
        criterion_id=cid, kind=kind, actor_id=actor.id if actor else None, created_at=utcnow(),
        instrument_id=rnd.instrument_id, instrument_revision=rnd.instrument_revision, engine=d["engine"],
        input_json=canonical_json(d["input"]), result_json=canonical_json(d["result"]),
        trace_json=canonical_json(d["trace"])) for cid, d in decisions.items()]
    # One multi-row INSERT ... RETURNING the persistent records, in the given order: half the
    # CPU of an ORM object and flush per record (a worksheet stores 146 of them).
    out = list(session.scalars(insert(DecisionRecord).returning(DecisionRecord, sort_by_parameter_order=True),
                               rows)) if rows else []
    if out:
        audit_log.append(session, round_id=rnd.id, actor=actor.username if actor else "system", action="decision.record",
                     payload={"kind": kind, "unit_id": unit_id, "assessor_id": assessor_id, "context": context or {},
                              "engine": out[0].engine,
                              "records": {r.decision_id: record_hash(r) for r in out}})
    return out


def record_worksheet_decisions(session: Session, actor: Actor, rnd: AssessmentRound, ws: Worksheet
                               ) -> list[DecisionRecord]:
    """Evaluate one assessor's worksheet with the round's pinned instrument
    and keep the decisions for the criteria assigned to them."""
    inst = instrument_for(rnd)
    wanted = assigned_criteria(session, rnd, ws.unit_id, ws.assessor_id)
    answers = {cid: a.answer for cid, a in answers_of(session, rnd, ws.unit_id, ws.assessor_id).items()
               if a.answer is not None and cid in inst.criteria}
    evidence = evidence_counts(session, rnd, ws.unit_id)
    evaluator = Evaluator(inst)
    try:
        evaluation = evaluator.evaluate(answers, {c: n for c, n in evidence.items() if c in inst.criteria})
    finally:
        evaluator.close()
    unit = session.get(WorkUnit, ws.unit_id)
    assessor = session.get(Person, ws.assessor_id)
    return record_decisions(session, actor, rnd, {cid: evaluation.decisions[cid] for cid in wanted}, kind="assessor",
                            unit_id=ws.unit_id, assessor_id=ws.assessor_id,
                            context={"worksheet_id": ws.id, "unit": unit.code, "assessor": assessor.username})


def list_decisions(session: Session, rnd: AssessmentRound, *, kind: str | None = None, criterion: str | None = None,
                   unit_id: int | None = None) -> list[DecisionRecord]:
    q = select(DecisionRecord).where(DecisionRecord.round_id == rnd.id)
    if kind:
        q = q.where(DecisionRecord.kind == kind)
    if criterion:
        q = q.where(DecisionRecord.criterion_id == criterion)
    if unit_id is not None:
        q = q.where(DecisionRecord.unit_id == unit_id)
    return list(session.exec(q.order_by(DecisionRecord.id)))
