"""A round's decision records for replay and export (the database side of
:mod:`pmprb.engine.replay` and :mod:`pmprb.engine.decision_log`).

Records are read as the exact stored texts, oldest first, and streamed, so
a national-size round never sits in memory at once. The instrument comes
from the round row (``instrument_json``) and must hash to the pinned
revision before anything is replayed against it.
"""

from __future__ import annotations

import json
from typing import IO, Callable, Iterator

from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select

from pmprb import __version__, i18n
from pmprb.canonical import sha256_hex
from pmprb.engine import decision_log, replay as engine_replay
from pmprb.engine.instrument import Instrument
from pmprb.errors import MismatchError
from pmprb.assessments.store.decision_records import record_hash
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.models import (AssessmentRound, AuditEvent, DecisionRecord, Institution, Person, WorkUnit,
                                            utcnow)
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.assessments.audit import results_source

STREAM_ROWS = 2000

def pinned_instrument(rnd: AssessmentRound) -> Instrument:
    """The round's instrument from its stored JSON, refused when it no longer
    hashes to the pinned revision (replaying against edited rules proves nothing)."""
    actual = sha256_hex(rnd.instrument_json)
    if actual != rnd.instrument_revision:
        raise MismatchError(i18n.t("replay.instrument", code=rnd.code, actual=actual[:12],
                                   stored=rnd.instrument_revision[:12]))
    # The store's cache of instruments by the hash of their stored JSON (just checked): rebuilding
    # and validating it costs ~12 ms, a fifth of replaying a round of one unit.
    return instrument_for(rnd)


def consistent_snapshot(session: Session) -> None:
    """Read everything that follows from one snapshot, so an export's header
    count and its lines agree even while others write (PostgreSQL's default
    READ COMMITTED would not; SQLite transactions already are snapshots).
    Call before the session's first query."""
    if not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def count_records(session: Session, rnd: AssessmentRound) -> int:
    return session.exec(select(func.count()).select_from(DecisionRecord)
                        .where(DecisionRecord.round_id == rnd.id)).one()


def records(session: Session, rnd: AssessmentRound, *, kind: str | None = None, full: bool = False
            ) -> Iterator[dict]:
    """Every decision record of the round, oldest first, in the decision-log
    shape with the stored texts (``input_json``, ``result_json``, ``trace_json``).
    ``full`` adds what an export carries beyond replay: the acting person, the
    timestamp and ``record_sha256`` (the hash its audit event pins)."""
    assessor, actor = aliased(Person), aliased(Person)
    d = DecisionRecord
    # Plain columns, not ORM objects: a national round streams hundreds of thousands of rows.
    cols = [d.decision_id, d.criterion_id, d.kind, d.instrument_id, d.instrument_revision, d.engine, d.input_json,
            d.result_json, d.trace_json, WorkUnit.code, assessor.username]
    if full:
        cols += [d.round_id, d.unit_id, d.assessor_id, d.created_at, actor.username]
    q = (select(*cols).outerjoin(WorkUnit, WorkUnit.id == d.unit_id)
         .outerjoin(assessor, assessor.id == d.assessor_id).where(d.round_id == rnd.id))
    if full:
        q = q.outerjoin(actor, actor.id == d.actor_id)
    if kind:
        q = q.where(d.kind == kind)
    q = q.order_by(d.id).execution_options(yield_per=STREAM_ROWS)
    # Through the session's connection (Core rows): the ORM's per-row loading did nothing here
    # but cost a fifth of streaming a national round.
    pins: dict[tuple, dict] = {}   # one instrument mapping per pinned revision, not one per row
    code = rnd.code
    for row in session.connection().execute(q):
        (decision_id, criterion, rec_kind, instrument_id, revision, engine, input_json, result_json, trace_json,
         unit, assessor_name) = row[:11]
        pin = pins.get((instrument_id, revision))
        if pin is None:
            pin = pins[(instrument_id, revision)] = {"id": instrument_id, "revision": revision}
        rec = {
            "decision_id": decision_id, "round": code, "criterion": criterion, "kind": rec_kind,
            "unit": unit, "assessor": assessor_name, "instrument": pin, "engine": engine,
            "input_json": input_json, "result_json": result_json, "trace_json": trace_json,
        }
        if full:
            round_id, unit_id, assessor_id, created_at, actor_name = row[11:]
            rec["actor"] = actor_name
            rec["timestamp"] = created_at.isoformat(timespec="microseconds")
            rec["ids"] = {"round_id": round_id, "unit_id": unit_id, "assessor_id": assessor_id}
            rec["record_sha256"] = record_hash(DecisionRecord(
                decision_id=decision_id, round_id=round_id, unit_id=unit_id, assessor_id=assessor_id,
                criterion_id=criterion, kind=rec_kind, instrument_id=instrument_id, instrument_revision=revision,
                engine=engine, input_json=input_json, result_json=result_json, trace_json=trace_json))
        yield rec


def round_info(session: Session, rnd: AssessmentRound) -> dict:
    inst = session.get(Institution, rnd.institution_id)
    return {"id": rnd.id, "code": rnd.code, "year": rnd.year, "title": rnd.title, "state": rnd.state,
            "institution": {"code": inst.code, "name": inst.name} if inst else None,
            "instrument_id": rnd.instrument_id, "instrument_revision": rnd.instrument_revision}


def replay_round(session: Session, rnd: AssessmentRound, *, engine: str | None = None,
                 progress: Callable[[int], None] | None = None) -> engine_replay.ReplayReport:
    """Replay every decision record of ``rnd`` and recompute each of its
    frozen final results (every finalisation) from the replayed final decisions."""
    inst = pinned_instrument(rnd)
    report = engine_replay.replay(records(session, rnd), {inst.revision: inst}, engine=engine, progress=progress)
    frozen = results_source.frozen_results(session, rnd)
    if frozen is not None:
        report.scores = engine_replay.check_frozen(inst, report, frozen, engine)
    return report


def chain_events(session: Session, rnd: AssessmentRound) -> Iterator[dict]:
    """The round's audit chain for an export: every event's hashed fields, and
    the payload of the events that pin decision records."""
    q = (select(AuditEvent.chain, AuditEvent.seq, AuditEvent.actor, AuditEvent.at, AuditEvent.action,
                AuditEvent.payload_hash, AuditEvent.prev_hash, AuditEvent.hash, AuditEvent.payload_json)
         .where(AuditEvent.chain == audit_log.chain_name(rnd.id)).order_by(AuditEvent.seq)
         .execution_options(yield_per=STREAM_ROWS))
    for chain, seq, actor, at, action, payload_hash, prev_hash, digest, payload_json in session.exec(q):
        ev = {"chain": chain, "seq": seq, "actor": actor, "at": at, "action": action, "payload_hash": payload_hash,
              "prev_hash": prev_hash, "hash": digest}
        if action == "decision.record":
            ev["payload"] = json.loads(payload_json)
        yield ev


def export_round(session: Session, rnd: AssessmentRound, fp: IO[str]) -> int:
    """Write the round's decision log: header (with the chain head), the
    round's audit chain, one line per record."""
    from pmprb.assessments.audit.anchors import head_of

    inst = pinned_instrument(rnd)
    head = decision_log.header(round_info=round_info(session, rnd), instrument=inst,
                               records=count_records(session, rnd),
                               frozen_results=results_source.frozen_results(session, rnd),
                               exported_at=utcnow().isoformat(timespec="seconds"), generator=f"pmprb {__version__}",
                               chain=head_of(session, rnd.id).to_dict())
    return decision_log.write(fp, head, records(session, rnd, full=True), chain_events(session, rnd))
