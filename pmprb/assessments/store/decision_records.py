"""Decision records: store what the rules decided, and for whom.

A record holds the canonical input, result and trace of one evaluator
decision with the round's pinned instrument revision and the engine label,
so ``replay`` can re-run it byte for byte. A batch is written with one
multi-row statement and one ``decision.record`` audit event that lists each
record's id and hash (and the rows it wrote), so a record edited later is
detected by ``pmprb audit verify``.
"""

from __future__ import annotations

import uuid
from typing import Any, Mapping

from sqlmodel import Session, select

from pmprb.canonical import canonical_json
from pmprb.engine import chain
from pmprb.engine.decision import Decision
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.store.models import AssessmentRound, DecisionRecord, utcnow

KINDS = ("assessor", "final")  # later features may add their own kinds


def record_hash(rec: DecisionRecord | Mapping[str, Any]) -> str:
    """What the audit event pins for a record: everything that replay uses."""
    return chain.record_hash(rec.get if isinstance(rec, Mapping) else (lambda k: getattr(rec, k)))


def record_decisions(session: Session, actor, rnd: AssessmentRound, decisions: Mapping[str, Decision], *,
                     kind: str, unit_id: int | None = None, assessor_id: int | None = None,
                     context: dict | None = None) -> list[dict]:
    """Store evaluator decisions (``{criterion: decision}`` as returned by
    ``Evaluator.evaluate(...).decisions``) and their audit event, in the
    caller's transaction (which must hold the round's lock). Returns the
    stored rows (column -> value, with ``id``), in the order given. This is
    where a :class:`Decision` becomes its stored record (``Decision.record``)."""
    if not decisions:
        return []
    now = utcnow()
    rows = [dict(
        decision_id=str(uuid.uuid4()), round_id=rnd.id, unit_id=unit_id, assessor_id=assessor_id,
        criterion_id=cid, kind=kind, actor_id=actor.id if actor else None, created_at=now,
        instrument_id=rnd.instrument_id, instrument_revision=rnd.instrument_revision, engine=d.engine,
        input_json=canonical_json(d.input), result_json=canonical_json(d.result.record()),
        trace_json=canonical_json(d.trace)) for cid, d in decisions.items()]
    written = Rows()
    ids = insert_rows(session, DecisionRecord, rows, key=("decision_id",), record=written)
    for row, new_id in zip(rows, ids):
        row["id"] = new_id
    audit_log.append(session, round_id=rnd.id, actor=actor.username if actor else "system", action="decision.record",
                     when=now, payload={"kind": kind, "unit_id": unit_id, "assessor_id": assessor_id,
                                        "context": context or {}, "engine": rows[0]["engine"],
                                        "records": {r["decision_id"]: record_hash(r) for r in rows}},
                     rows=written)
    return rows


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
