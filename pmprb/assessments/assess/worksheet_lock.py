"""Who may change a worksheet, and who may read one: the one place that says.

Writing. Every writer of an assessor's answers, notes or evidence (the walk,
``assess set``, every import, ``evidence add``/``link``/``unlink``) calls
:func:`require_editable` inside its operation, before it writes. A worksheet
is editable by its assessor while it is *sedang diisi* or *dikembalikan*
and the round is *dibuka* or, for a worksheet the koordinator returned
during the review, *reviu*: so a returned worksheet is corrected and sent
again without reopening the round. Once sent (*dikirim*) or accepted
(*diterima*) it is locked for its assessor through every path.

Reading. :func:`require_readable` (and :func:`readable_worksheet`, which
also picks the worksheet) refuse with one message everyone not entitled to
a unit's worksheets: its own assessors read theirs; koordinator, auditor
and admin read every worksheet (auditors only read: the write actions
refuse them, see :mod:`pmprb.assessments.setup.permissions`).
"""

from __future__ import annotations

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine.state_labels import state_name
from pmprb.errors import ForbiddenError, NotFoundError, StateError
from pmprb.assessments.setup.permissions import Actor
from pmprb.assessments.setup.round_work import RoundWork
from pmprb.assessments.store.models import AssessmentRound, Person, WorkUnit, Worksheet

# Worksheet states in which its assessor still writes, and the round states that allow it.
EDITABLE_STATES = ("in_progress", "returned")
EDITABLE_ROUND_STATES = ("open", "review")
# Roles that read every worksheet of every unit.
READ_ALL_ROLES = frozenset({"koordinator", "auditor", "admin"})

def worksheet_of(session: Session, rnd: AssessmentRound, unit: WorkUnit, person_id: int) -> Worksheet | None:
    return session.exec(select(Worksheet).where(Worksheet.round_id == rnd.id, Worksheet.unit_id == unit.id,
                                                Worksheet.assessor_id == person_id)).first()


def editable(round_state: str, worksheet_state: str) -> bool:
    """Whether a worksheet in ``worksheet_state`` can change in a round in ``round_state``."""
    return worksheet_state in EDITABLE_STATES and round_state in EDITABLE_ROUND_STATES


def lock_reason(round_code: str, round_state: str, worksheet_state: str, subject: str, *, evidence: bool = False
                ) -> str | None:
    """Why the assessor cannot change their worksheet (``subject``:
    ``assessor/unit``) now, and what to do next; None when they can.
    ``evidence``: documents may be gathered before the round opens."""
    if evidence and round_state == "draft" and worksheet_state in EDITABLE_STATES:
        return None
    if round_state == "draft":
        return i18n.t("lock.round_draft", code=round_code, state=state_name("round", round_state))
    if round_state not in EDITABLE_ROUND_STATES:
        return i18n.t("lock.round_closed", code=round_code, state=state_name("round", round_state))
    if worksheet_state == "submitted":
        return i18n.t("lock.submitted", subject=subject)
    if worksheet_state == "accepted":
        return i18n.t("lock.accepted", subject=subject)
    if not editable(round_state, worksheet_state):
        return i18n.t("lock.round_review", code=round_code)
    return None


def require_editable(work: RoundWork, unit: WorkUnit, *, evidence: bool = False) -> Worksheet | None:
    """Refuse (``StateError``) a change by ``work.actor`` to their worksheet
    of ``unit`` unless it is editable now; returns the worksheet.

    ``evidence``: the change is to the unit's evidence, which may be
    gathered while the round is still a draft, and which a koordinator with
    no worksheet of this unit may change (returns None); anyone else
    without a worksheet of the unit is refused as not assigned.
    """
    session, actor, rnd = work.session, work.actor, work.round
    ws = worksheet_of(session, rnd, unit, actor.id)
    if ws is None:
        if evidence and actor.has("koordinator"):
            return None
        raise NotFoundError(i18n.t("lock.not_assigned", assessor=actor.username, unit=unit.code, round=rnd.code))
    reason = lock_reason(rnd.code, rnd.state, ws.state, f"{actor.username}/{unit.code}", evidence=evidence)
    if reason is not None:
        raise StateError(reason)
    return ws


def can_read(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit) -> bool:
    return bool(actor.roles & READ_ALL_ROLES) or worksheet_of(session, rnd, unit, actor.id) is not None


def require_readable(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit) -> None:
    """Refuse (``ForbiddenError``, the same message for every read command)
    someone with no right to the worksheets of ``unit``."""
    if not can_read(session, actor, rnd, unit):
        raise ForbiddenError(i18n.t("lock.no_read", who=actor.describe(), unit=unit.code, round=rnd.code))


def readable_unit_ids(session: Session, actor: Actor, rnd: AssessmentRound) -> frozenset[int] | None:
    """The units whose worksheets ``actor`` may read in ``rnd``: None for
    every unit (koordinator, auditor, admin), else the units they are assigned
    to. Listings over several units (``evidence list``, ``audit explain``
    without ``--unit``) keep only these, so they show no more than ``assess show``."""
    if actor.roles & READ_ALL_ROLES:
        return None
    return frozenset(session.exec(select(Worksheet.unit_id).where(Worksheet.round_id == rnd.id,
                                                                  Worksheet.assessor_id == actor.id)).all())


def readable_worksheet(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit,
                       assessor: str | None = None) -> tuple[Worksheet, Person]:
    """The worksheet ``actor`` asks to read: their own, or (for those who read
    every worksheet) the one of ``assessor``, or the unit's only one."""
    require_readable(session, actor, rnd, unit)
    rows = session.exec(select(Worksheet, Person).join(Person, Person.id == Worksheet.assessor_id)
                        .where(Worksheet.round_id == rnd.id, Worksheet.unit_id == unit.id)
                        .order_by(Person.username)).all()
    own = [(ws, p) for ws, p in rows if p.id == actor.id]
    if assessor is not None and assessor.strip() and assessor.strip() != actor.username:
        if not actor.roles & READ_ALL_ROLES:
            raise ForbiddenError(i18n.t("lock.no_read", who=actor.describe(), unit=unit.code, round=rnd.code))
        wanted = [(ws, p) for ws, p in rows if p.username == assessor.strip()]
        if not wanted:
            raise NotFoundError(i18n.t("lock.not_assigned", assessor=assessor.strip(), unit=unit.code, round=rnd.code))
        return wanted[0]
    if own:
        return own[0]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFoundError(i18n.t("lock.no_assessors", unit=unit.code, round=rnd.code))
    raise NotFoundError(i18n.t("lock.pick_assessor", unit=unit.code, round=rnd.code,
                               names=", ".join(p.username for _ws, p in rows)))


__all__ = ["EDITABLE_STATES", "EDITABLE_ROUND_STATES", "READ_ALL_ROLES", "editable", "lock_reason",
           "require_editable", "can_read", "require_readable", "readable_unit_ids", "readable_worksheet", "worksheet_of"]
