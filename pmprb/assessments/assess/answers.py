"""Saving an assessor's answers, with optimistic locking.

Every save says which version of the answer the writer saw
(``expected_version``: 0 when there was none). If someone saved in between,
:class:`pmprb.errors.ConflictError` names who and when, and nothing is
overwritten; the caller re-reads and decides. Each save is written with its
audit event in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from pmprb import dates, i18n
from pmprb.errors import ConflictError, ForbiddenError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows
from pmprb.engine.inputs import normalise_answer
from pmprb.engine import codes
from pmprb.assessments.setup.assignments import assigned_areas
from pmprb.assessments.store.models import Answer, AssessmentRound, Person, WorkUnit, utcnow
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import RoundWork, begin
from pmprb.assessments.assess.worksheet_lock import require_editable

MAX_NOTE = codes.MAX_TEXT  # pmprb.engine.codes: one set of limits

def get_answer(session: Session, rnd: AssessmentRound, unit: WorkUnit, assessor: Person, criterion_id: str
               ) -> Answer | None:
    return session.exec(select(Answer).where(
        Answer.round_id == rnd.id, Answer.unit_id == unit.id, Answer.assessor_id == assessor.id,
        Answer.criterion_id == criterion_id)).first()


def answers_of(session: Session, rnd: AssessmentRound, unit_id: int, assessor_id: int) -> dict[str, Answer]:
    return {a.criterion_id: a for a in session.exec(select(Answer).where(
        Answer.round_id == rnd.id, Answer.unit_id == unit_id, Answer.assessor_id == assessor_id))}


def save_answer(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, criterion_id: str,
                answer: str, note: str | None = None, *, expected_version: int, assessor: Person | None = None
                ) -> Answer:
    """Save the acting assessor's answer to one criterion for one unit, as
    one operation (see :func:`save` for the checks)."""
    require(actor, "answer.write")
    assessor = assessor or actor.person
    if assessor.id != actor.id:
        raise ForbiddenError(i18n.t("ans.other_assessor", who=actor.describe(), assessor=assessor.username))
    return save(begin(session, actor, rnd), unit, criterion_id, answer, note, expected_version=expected_version)


def save(work: RoundWork, unit: WorkUnit, criterion_id: str, answer: str, note: str | None = None, *,
         expected_version: int) -> Answer:
    """Save ``work.actor``'s answer inside the operation ``work``.

    Checks, in order: the worksheet editable (:func:`require_editable`), criterion in the
    round's pinned instrument and in the assessor's assigned areas, answer
    valid for its type, then the version. An unchanged answer and note is a
    no-op (no new version, no event)."""
    session, actor, rnd = work.session, work.actor, work.round
    require(actor, "answer.write")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) or expected_version < 0:
        raise ValidationError(i18n.t("ans.bad_version", v=expected_version))
    require_editable(work, unit)
    criterion = work.instrument.criterion(criterion_id)
    if criterion.area not in assigned_areas(session, rnd, unit.id, actor.id):
        raise ForbiddenError(i18n.t("ans.area_not_assigned", assessor=actor.username, area=criterion.area,
                                    unit=unit.code, criterion=criterion.id))
    value = normalise_answer(work.instrument, criterion.id, answer)
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise ValidationError(i18n.t("ans.note_long", n=len(note), max=MAX_NOTE))

    current = get_answer(session, rnd, unit, actor.person, criterion.id)
    if current is None and expected_version != 0:
        raise ConflictError(i18n.t("ans.conflict_missing", expected=expected_version, criterion=criterion.id,
                                   unit=unit.code))
    if current is not None and current.version != expected_version:
        raise _conflict(session, current, unit, expected_version)
    if current is not None and current.answer == value and current.note == note:
        return current

    now = utcnow()
    previous = None
    if current is None:
        current = Answer(round_id=rnd.id, unit_id=unit.id, assessor_id=actor.id, criterion_id=criterion.id,
                         answer=value, note=note, version=1, created_at=now, updated_at=now, updated_by_id=actor.id)
        session.add(current)
        session.flush()
    else:
        previous = {"answer": current.answer, "version": current.version}
        # Compare-and-set on the version: the row changes only if nobody else did.
        res = session.execute(update(Answer).where(Answer.id == current.id, Answer.version == expected_version)
                              .values(answer=value, note=note, version=expected_version + 1, updated_at=now,
                                      updated_by_id=actor.id).execution_options(synchronize_session=False))
        if res.rowcount != 1:
            session.expire(current)
            raise _conflict(session, current, unit, expected_version)
        for attr, v in (("answer", value), ("note", note), ("version", expected_version + 1), ("updated_at", now),
                        ("updated_by_id", actor.id)):
            set_committed_value(current, attr, v)
    rows = Rows()
    rows.put_obj(current)
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="answer.save", when=now,
                     payload={"answer_id": current.id, "unit": unit.code, "assessor": actor.username,
                              "criterion": criterion.id, "answer": value, "note": note, "version": current.version,
                              "previous": previous}, rows=rows)
    work.forget(unit.id)
    return current


def _conflict(session: Session, current: Answer, unit: WorkUnit, expected: int) -> ConflictError:
    session.refresh(current)
    who = session.get(Person, current.updated_by_id)
    err = ConflictError(i18n.t("ans.conflict", criterion=current.criterion_id, unit=unit.code,
                               who=f"{who.name} ({who.username})" if who else "?",
                               at=dates.format_datetime(current.updated_at), version=current.version,
                               answer=current.answer, expected=expected))
    err.current_version = current.version
    err.changed_by = who.username if who else None
    return err


@dataclass
class AnswerInput:
    criterion: str
    answer: str
    note: str | None = None
    expected_version: int = 0


def save_answers(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, items: Iterable[AnswerInput],
                 *, progress: Callable[[int, int], None] | None = None) -> list[Answer]:
    """Save many answers as one operation: all of them or none."""
    require(actor, "answer.write")
    items = list(items)
    work = begin(session, actor, rnd)
    out = []
    for i, item in enumerate(items, 1):
        out.append(save(work, unit, item.criterion, item.answer, item.note, expected_version=item.expected_version))
        if progress and (i % 50 == 0 or i == len(items)):
            progress(i, len(items))
    return out


__all__ = ["save_answer", "save", "save_answers", "AnswerInput", "get_answer", "answers_of"]
