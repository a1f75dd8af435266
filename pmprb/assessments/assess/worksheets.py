"""Per-assessor worksheets (kertas kerja) and their workflow:
in_progress -> submitted -> accepted | returned (-> in_progress | submitted).

Submitting records the assessor's decision records (one per assigned
criterion, kind ``assessor``), so the working paper a coordinator reviews is
exactly what the rules decided from it.
"""

from __future__ import annotations

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine import codes
from pmprb.engine import workflow
from pmprb.engine.state_labels import state_name
from pmprb.errors import ForbiddenError, NotFoundError, StateError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.models import AssessmentRound, Person, WorkUnit, Worksheet, utcnow
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import RoundWork, begin, reading, refresh_unless_current
from pmprb.assessments.assess.evaluation import assigned_in, evaluate_worksheet, worksheet_answers
from pmprb.assessments.store import decision_records
from pmprb.assessments.store.ledger import Rows
from pmprb.assessments.assess.worksheet_lock import EDITABLE_ROUND_STATES, editable

def get_worksheet(session: Session, rnd: AssessmentRound, unit: WorkUnit, assessor: Person) -> Worksheet:
    ws = session.exec(select(Worksheet).where(Worksheet.round_id == rnd.id, Worksheet.unit_id == unit.id,
                                              Worksheet.assessor_id == assessor.id)).first()
    if ws is None:
        raise NotFoundError(i18n.t("ws.unknown", assessor=assessor.username, unit=unit.code, round=rnd.code))
    return ws


def list_worksheets(session: Session, rnd: AssessmentRound) -> list[dict]:
    rows = session.exec(
        select(Worksheet, WorkUnit.code, Person.username).join(WorkUnit, WorkUnit.id == Worksheet.unit_id)
        .join(Person, Person.id == Worksheet.assessor_id).where(Worksheet.round_id == rnd.id)
        .order_by(WorkUnit.code, Person.username)).all()
    work = reading(session, None, rnd)   # one context: the round's instrument and reads shared by every row
    return [{"unit": unit, "assessor": user, "state": ws.state, "return_reason": ws.return_reason,
             **progress_in(work, ws)} for ws, unit, user in rows]


def progress_in(work: RoundWork, ws: Worksheet) -> dict:
    # Computed items (numeric_types of kind 'computed') take no answer: the counts they read do.
    inst = work.instrument
    assigned = [c for c in assigned_in(work, ws.unit_id, ws.assessor_id) if inst.criteria[c].kind != "computed"]
    answered = worksheet_answers(work, ws.unit_id, ws.assessor_id)
    missing = [c for c in assigned if c not in answered]
    return {"assigned": len(assigned), "answered": len(assigned) - len(missing), "missing": missing}


def _subject(session: Session, ws: Worksheet) -> tuple[str, str, str]:
    unit = session.get(WorkUnit, ws.unit_id).code
    owner = session.get(Person, ws.assessor_id).username
    return unit, owner, f"{owner}/{unit}"


def _fire(work: RoundWork, ws: Worksheet, event: str, blockers=None, reason: str | None = None
          ) -> tuple[workflow.Transition, Rows, dict]:
    """Move the worksheet; returns the transition, the rows written and the
    event payload, for the caller to add to and log as one act."""
    session = work.session
    unit, owner, subject = _subject(session, ws)
    tr = workflow.fire(workflow.WorksheetWorkflow, ws, event, subject=subject, blockers=blockers, reason=reason)
    ws.state_changed_at = utcnow()
    if event == "return":
        ws.return_reason = reason.strip()
    session.add(ws)
    session.flush()
    rows = Rows()
    rows.put_obj(ws)
    payload = {"worksheet_id": ws.id, "unit": unit, "assessor": owner, "event": event,
               "from": tr.source, "to": tr.target, "reason": (reason or "").strip() or None}
    return tr, rows, payload


def _log(work: RoundWork, rows: Rows, payload: dict) -> None:
    audit_log.append(work.session, round_id=work.round.id, actor=work.username, action="worksheet.transition",
                     payload=payload, rows=rows)


def _require_owner(session: Session, actor: Actor, ws: Worksheet, action_key: str) -> None:
    if ws.assessor_id != actor.id:
        owner = session.get(Person, ws.assessor_id).username
        raise ForbiddenError(i18n.t("ws.not_owner", who=actor.describe(), owner=owner,
                                    action=i18n.t(action_key)))


def submit(session: Session, actor: Actor, rnd: AssessmentRound, ws: Worksheet, *, record_decisions: bool = True
           ) -> workflow.Transition:
    """in_progress/returned -> submitted, when every assigned criterion is
    answered and the round is open (or in review, for a returned worksheet),
    as one operation."""
    require(actor, "worksheet.submit")
    _require_owner(session, actor, ws, "ws.verb_submitted")
    work = begin(session, actor, rnd)
    session.refresh(ws)  # read before the lock: take the committed state
    return submit_in(work, ws, record_decisions=record_decisions)


def submit_in(work: RoundWork, ws: Worksheet, *, record_decisions: bool = True,
              engine: str | None = None) -> workflow.Transition:
    """Submit inside ``work``. The assessor's decision records (one per
    assigned criterion, kind ``assessor``) come from the operation's one
    evaluation of the worksheet. ``ws`` must have been read under the round's lock."""
    session, rnd = work.session, work.round

    def blockers(event: str) -> list[str]:
        if not editable(rnd.state, ws.state):
            return [i18n.t("ws.round_not_open", code=rnd.code, state=state_name("round", rnd.state),
                           action=i18n.t("ws.verb_submitted"))]
        missing = progress_in(work, ws)["missing"]
        if missing:
            shown = ", ".join(missing[:10]) + (", …" if len(missing) > 10 else "")
            return [i18n.t("ws.unanswered", n=len(missing), ids=shown)]
        return []

    tr, rows, payload = _fire(work, ws, "submit", blockers=blockers)
    _log(work, rows, payload)
    if record_decisions:
        evaluation = evaluate_worksheet(work, ws.unit_id, ws.assessor_id, engine=engine)
        wanted = assigned_in(work, ws.unit_id, ws.assessor_id)
        decision_records.record_decisions(
            session, work.actor, rnd, {cid: evaluation.decisions[cid] for cid in wanted}, kind="assessor",
            unit_id=ws.unit_id, assessor_id=ws.assessor_id,
            context={"worksheet_id": ws.id, "unit": payload["unit"], "assessor": payload["assessor"]})
    return tr


def resume(session: Session, actor: Actor, rnd: AssessmentRound, ws: Worksheet) -> workflow.Transition:
    """returned -> in_progress, so the assessor can change answers again."""
    require(actor, "worksheet.submit")
    _require_owner(session, actor, ws, "ws.verb_resumed")
    work = begin(session, actor, rnd)
    refresh_unless_current(session, ws)

    def blockers(event: str) -> list[str]:
        if rnd.state not in EDITABLE_ROUND_STATES:
            return [i18n.t("ws.round_not_open", code=rnd.code, state=state_name("round", rnd.state),
                           action=i18n.t("ws.verb_resumed"))]
        return []

    tr, rows, payload = _fire(work, ws, "resume", blockers=blockers)
    _log(work, rows, payload)
    return tr


def _review(session: Session, actor: Actor, rnd: AssessmentRound, ws: Worksheet, event: str,
            reason: str | None = None) -> workflow.Transition:
    require(actor, "worksheet.review")
    if ws.assessor_id == actor.id:
        raise ForbiddenError(i18n.t("ws.own_review", who=actor.describe()))
    work = begin(session, actor, rnd)
    refresh_unless_current(session, ws)

    def blockers(event: str) -> list[str]:
        if rnd.state not in ("open", "review"):
            return [i18n.t("ws.round_not_reviewable", code=rnd.code, state=state_name("round", rnd.state))]
        return []

    if event == "accept" and ws.state in ("returned", "in_progress"):
        subject = _subject(session, ws)[2]
        if ws.state == "returned":
            raise StateError(i18n.t("ws.accept_returned", subject=subject, reason=ws.return_reason or "-"))
        raise StateError(i18n.t("ws.accept_in_progress", subject=subject))

    tr, rows, payload = _fire(work, ws, event, blockers=blockers, reason=reason)
    _log(work, rows, payload)
    return tr


def accept(session: Session, actor: Actor, rnd: AssessmentRound, ws: Worksheet) -> workflow.Transition:
    """submitted -> accepted (a koordinator, not the worksheet's assessor)."""
    return _review(session, actor, rnd, ws, "accept")


def return_worksheet(session: Session, actor: Actor, rnd: AssessmentRound, ws: Worksheet, *, reason: str
                     ) -> workflow.Transition:
    """submitted/accepted -> returned, with the reason the assessor will read."""
    codes.check_length(reason, "field.reason", codes.MAX_TEXT)
    return _review(session, actor, rnd, ws, "return", reason=reason)
