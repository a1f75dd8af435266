"""Rounds: create, find, summarise, and move through the workflow.

A round is pinned to one instrument revision when it is created; its
canonical JSON is stored on the row and :func:`instrument_for` rebuilds the
instrument from there, never from the rule files.

:func:`transition` checks the actor's role, the built-in guards and the
guards it is given (e.g. "no open consensus item" before ``finalise``),
moves the state, and writes the audit event, all in the caller's
transaction; on ``finalise`` it runs the hooks it is given (final scoring)
after the state change, and on ``reopen`` it keeps a snapshot of the final
round (answers, final decisions, and what the given snapshot providers add)
before leaving ``final``. Which guards, hooks and providers exist is decided
in one place, :mod:`pmprb.assessments.wiring`, whose transition functions
are the ones to call.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Callable, Mapping, Sequence

from sqlalchemy import func
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.canonical import canonical_json, sha256_hex
from pmprb.engine import codes, workflow
from pmprb.engine.instrument import default_id, load_instrument
from pmprb.engine.state_labels import state_name
from pmprb.errors import ConflictError, NotFoundError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows
from pmprb.assessments.store.models import (Answer, AssessmentRound, Assignment, AuditChain, DecisionRecord, Evidence, Person,
                     RoundSnapshot, WorkUnit, Worksheet, utcnow)
from pmprb.assessments.setup.people import institution
from pmprb.assessments.setup.permissions import Actor, known_action, require
from pmprb.assessments.setup.round_work import RoundWork, begin

SCOPES = ("institution", "unit")
# A round may evaluate its own year or an earlier one (a 2025 round assessing 2024), not a later one.
PERIOD_BACK = 5

# event -> [guard(work) -> reasons]; a non-empty list blocks the event.
Guard = Callable[[RoundWork], list[str]]
FinaliseHook = Callable[[RoundWork], None]
SnapshotProvider = Callable[[Session, AssessmentRound], object]


# ---------------------------------------------------------------------------
# finding


def get_round(session: Session, ref: str | int) -> AssessmentRound:
    """A round by code, or by numeric id."""
    inst = institution(session)
    ref_s = str(ref).strip()
    rnd = session.exec(select(AssessmentRound).where(AssessmentRound.institution_id == inst.id,
                                                     AssessmentRound.code == ref_s)).first()
    if rnd is None and ref_s.isdigit():
        rnd = session.get(AssessmentRound, int(ref_s))
    if rnd is None:
        raise NotFoundError(i18n.t("rounds.unknown", ref=ref_s))
    return rnd


def list_rounds(session: Session) -> list[AssessmentRound]:
    inst = institution(session)
    return list(session.exec(select(AssessmentRound).where(AssessmentRound.institution_id == inst.id)
                             .order_by(AssessmentRound.year.desc(), AssessmentRound.code)))


# ---------------------------------------------------------------------------
# creating


def create_round(session: Session, actor: Actor, *, year: int, instrument: str | Path | None = None,
                 code: str | None = None, title: str | None = None, deadline: date | None = None,
                 scope: str | None = None, scope_unit: WorkUnit | None = None,
                 period: int | None = None) -> AssessmentRound:
    require(actor, "round.create")
    inst_row = institution(session)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(i18n.t("rounds.bad_year", year=year))
    ins = load_instrument(instrument or default_id())
    scope = scope or ("unit" if scope_unit is not None else ins.data.get("scope", "institution"))
    if scope == "unit" and scope_unit is None:
        raise ValidationError(i18n.t("rounds.needs_unit", instrument=ins.id))
    if scope not in SCOPES or (scope == "unit") != (scope_unit is not None):
        raise ValidationError(i18n.t("rounds.bad_scope", scope=scope))
    code = (code or (f"{year}-{scope_unit.code}" if scope_unit is not None else str(year))).strip()
    code = codes.check_code(code, "field.round_code")  # names report folders and export files
    codes.check_length(title, "field.round_title", codes.MAX_NAME)
    period = int(year) if period is None else period
    if isinstance(period, bool) or not isinstance(period, int) or not 2000 <= period <= 2100 \
            or not int(year) - PERIOD_BACK <= period <= int(year):
        raise ValidationError(i18n.t("rounds.bad_period", period=period, year=year, back=PERIOD_BACK))
    if deadline is not None and deadline.year not in (int(year), int(year) + 1):
        raise ValidationError(i18n.t("rounds.bad_deadline", deadline=deadline.isoformat(), year=year))
    if session.exec(select(AssessmentRound).where(AssessmentRound.institution_id == inst_row.id,
                                                  AssessmentRound.code == code)).first():
        raise ConflictError(i18n.t("rounds.exists", code=code))
    rnd = AssessmentRound(institution_id=inst_row.id, code=code, year=int(year), title=title,
                          instrument_id=ins.id, instrument_revision=ins.revision, instrument_json=ins.canonical_json,
                          scope=scope, scope_unit_id=scope_unit.id if scope_unit else None, deadline=deadline,
                          period=period, state="draft", created_by_id=actor.id)
    session.add(rnd)
    session.flush()
    rows = Rows()
    rows.put_obj(rnd)
    identity = {"round_id": rnd.id, "code": code, "year": rnd.year, "instrument_id": ins.id,
                "instrument_revision": ins.revision}
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="round.create",
                     payload={**identity, "title": title, "instrument_version": ins.version,
                              "scope": scope, "scope_unit": scope_unit.code if scope_unit else None,
                              "deadline": deadline.isoformat() if deadline else None, "period": period,
                              "state": "draft"}, rows=rows)
    # The institution chain knows every round, so a round deleted with its own chain is still missed.
    audit_log.append(session, round_id=None, actor=actor.username, action="round.register", payload=identity)
    return rnd


# ---------------------------------------------------------------------------
# transitions


def _worksheet_rows(session: Session, rnd: AssessmentRound):
    return session.exec(
        select(Worksheet, WorkUnit.code, Person.username)
        .join(WorkUnit, WorkUnit.id == Worksheet.unit_id).join(Person, Person.id == Worksheet.assessor_id)
        .where(Worksheet.round_id == rnd.id).order_by(WorkUnit.code, Person.username)).all()


def _guard_open(session: Session, rnd: AssessmentRound) -> list[str]:
    if rnd.state != "draft":
        return []  # back from review: nothing more to check
    n = session.exec(select(func.count()).select_from(Assignment).where(Assignment.round_id == rnd.id)).one()
    return [] if n else [i18n.t("rounds.no_assignments")]


def _guard_review(session: Session, rnd: AssessmentRound) -> list[str]:
    return [i18n.t("rounds.ws_not_submitted", assessor=user, unit=unit, state=state_name("worksheet", ws.state))
            for ws, unit, user in _worksheet_rows(session, rnd) if ws.state not in ("submitted", "accepted")]


def _guard_consensus(session: Session, rnd: AssessmentRound) -> list[str]:
    # MP.3: the coordinator reviewed every working paper before consensus.
    return [i18n.t("rounds.ws_not_accepted", assessor=user, unit=unit, state=state_name("worksheet", ws.state),
                   hint=i18n.t(_ACCEPT_HINTS[ws.state]) if ws.state in _ACCEPT_HINTS else "")
            for ws, unit, user in _worksheet_rows(session, rnd) if ws.state != "accepted"]


_ACCEPT_HINTS = {"submitted": "rounds.hint_accept", "returned": "rounds.hint_returned",
                 "in_progress": "rounds.hint_returned"}
_BUILTIN_GUARDS: dict[str, Guard] = {"open": _guard_open, "review": _guard_review, "consensus": _guard_consensus}


def blockers_for(work: RoundWork, guards: Mapping[str, Sequence[Guard]] | None = None
                 ) -> Callable[[str], list[str]]:
    def blockers(event: str) -> list[str]:
        reasons: list[str] = []
        builtin = _BUILTIN_GUARDS.get(event)
        if builtin:
            reasons.extend(builtin(work.session, work.round))
        for guard in (guards or {}).get(event, ()):
            reasons.extend(guard(work))
        return reasons
    return blockers




def transition(session: Session, actor: Actor, rnd: AssessmentRound, event: str, *, reason: str | None = None,
               to: str | None = None, guards: Mapping[str, Sequence[Guard]] | None = None,
               finalise_hooks: Sequence[FinaliseHook] = (),
               snapshot_providers: Mapping[str, SnapshotProvider] | None = None) -> workflow.Transition:
    """Move the round by ``event``. The caller names the guards beyond the
    built-in ones, the hooks run after ``finalise`` and the snapshot
    providers of ``reopen`` (see :mod:`pmprb.assessments.wiring`)."""
    if known_action(f"round.{event}"):  # an unknown event is refused by the workflow, naming the allowed ones
        require(actor, f"round.{event}")
    work = begin(session, actor, rnd)
    snapshot = None
    codes.check_length(reason, "field.reason", codes.MAX_TEXT)
    if event == "reopen" and rnd.state == "final" and (reason or "").strip():
        snapshot = _take_snapshot(session, rnd, actor, "reopen", reason.strip(), snapshot_providers)
    tr = workflow.fire(workflow.RoundWorkflow, rnd, event, subject=rnd.code,
                       blockers=blockers_for(work, guards), reason=reason, to=to)
    rnd.state_changed_at = utcnow()
    session.add(rnd)   # written with the audit event at the next flush (one flush, not two)
    payload = {"event": event, "from": tr.source, "to": tr.target, "reason": (reason or "").strip() or None}
    rows = Rows()
    rows.put_obj(rnd)
    if snapshot is not None:
        payload["snapshot"] = {"id": snapshot.id, "sha256": snapshot.data_hash}
        rows.put_obj(snapshot)
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="round.transition", payload=payload,
                     rows=rows)
    if event == "finalise":
        for hook in finalise_hooks:
            hook(work)
    return tr


# ---------------------------------------------------------------------------
# snapshots and summaries


def snapshot_data(session: Session, rnd: AssessmentRound,
                  providers: Mapping[str, SnapshotProvider] | None = None) -> dict:
    """The round as it stands: answers, worksheets, final decision records,
    plus what the given providers add (e.g. the frozen final result)."""
    answers = session.exec(
        select(Answer, WorkUnit.code, Person.username).join(WorkUnit, WorkUnit.id == Answer.unit_id)
        .join(Person, Person.id == Answer.assessor_id).where(Answer.round_id == rnd.id)
        .order_by(WorkUnit.code, Person.username, Answer.criterion_id)).all()
    decisions = session.exec(select(DecisionRecord).where(DecisionRecord.round_id == rnd.id,
                                                          DecisionRecord.kind == "final")
                             .order_by(DecisionRecord.criterion_id, DecisionRecord.id)).all()
    return {
        "round": {"code": rnd.code, "year": rnd.year, "state": rnd.state, "instrument_id": rnd.instrument_id,
                  "instrument_revision": rnd.instrument_revision},
        "worksheets": [{"unit": unit, "assessor": user, "state": ws.state}
                       for ws, unit, user in _worksheet_rows(session, rnd)],
        "answers": [{"unit": unit, "assessor": user, "criterion": a.criterion_id, "answer": a.answer,
                     "note": a.note, "version": a.version} for a, unit, user in answers],
        "final_decisions": [{"decision_id": d.decision_id, "criterion": d.criterion_id, "unit_id": d.unit_id,
                             "result": json.loads(d.result_json)} for d in decisions],
        "extras": {name: provider(session, rnd) for name, provider in sorted((providers or {}).items())},
    }


def _take_snapshot(session: Session, rnd: AssessmentRound, actor: Actor, kind: str, reason: str | None,
                   providers: Mapping[str, SnapshotProvider] | None) -> RoundSnapshot:
    text = canonical_json(snapshot_data(session, rnd, providers))
    snap = RoundSnapshot(round_id=rnd.id, kind=kind, reason=reason, actor_id=actor.id, data_json=text,
                         data_hash=sha256_hex(text))
    session.add(snap)
    session.flush()
    return snap


def snapshots(session: Session, rnd: AssessmentRound) -> list[RoundSnapshot]:
    return list(session.exec(select(RoundSnapshot).where(RoundSnapshot.round_id == rnd.id)
                             .order_by(RoundSnapshot.id)))


def evaluation_period(rnd: AssessmentRound) -> int:
    """The year cited evidence is judged against (activity proof must fall in it, a regulation
    must still be in force): the round's own ``period``, else its year."""
    return rnd.period if rnd.period is not None else rnd.year


def summary(session: Session, rnd: AssessmentRound) -> dict:
    """What ``pmprb round show`` prints: identity, state, allowed next
    events, and counts of what the round holds."""
    def count(model, *where):
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    ws_states: dict[str, int] = {}
    for ws, _unit, _user in _worksheet_rows(session, rnd):
        ws_states[ws.state] = ws_states.get(ws.state, 0) + 1
    head = session.get(AuditChain, audit_log.chain_name(rnd.id))
    scope_unit = session.get(WorkUnit, rnd.scope_unit_id) if rnd.scope_unit_id else None
    return {
        "code": rnd.code, "id": rnd.id, "year": rnd.year, "title": rnd.title, "state": rnd.state,
        "allowed_events": workflow.allowed_events(workflow.RoundWorkflow, rnd.state),
        "instrument": {"id": rnd.instrument_id, "revision": rnd.instrument_revision},
        "scope": rnd.scope, "scope_unit": scope_unit.code if scope_unit else None,
        "deadline": rnd.deadline.isoformat() if rnd.deadline else None,
        "period": evaluation_period(rnd),
        "created_at": rnd.created_at.isoformat(), "state_changed_at": rnd.state_changed_at.isoformat(),
        "units": len(set(session.exec(select(Assignment.unit_id).where(Assignment.round_id == rnd.id)))),
        "assessors": len(set(session.exec(select(Assignment.assessor_id).where(Assignment.round_id == rnd.id)))),
        "assignments": count(Assignment, Assignment.round_id == rnd.id),
        "worksheets": ws_states,
        "answers": count(Answer, Answer.round_id == rnd.id),
        "evidence": count(Evidence, Evidence.round_id == rnd.id),
        "snapshots": len(snapshots(session, rnd)),
        "audit": {"events": head.last_seq if head else 0, "head_hash": head.last_hash if head else audit_log.GENESIS},
    }
