"""Who assesses what: an assessor gets change areas of work units in a round.

Assigning creates the assessor's worksheet for each unit (state
``in_progress``). Assignments can be added while the round is in draft or
open.
"""

from __future__ import annotations

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine.state_labels import state_name
from pmprb.errors import StateError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.store.models import AssessmentRound, Assignment, Person, WorkUnit, Worksheet, utcnow
from pmprb.assessments.setup.permissions import Actor, require, roles_of
from pmprb.assessments.setup.round_work import instrument_for, lock_round

def assign(session: Session, actor: Actor, rnd: AssessmentRound, assessor: Person, units: list[WorkUnit],
           areas: list[str] | None = None) -> list[Assignment]:
    """Give ``assessor`` the ``areas`` (default: every area of the round's
    instrument) of each unit. Existing assignments are kept; returns the
    new ones."""
    require(actor, "round.assign")
    lock_round(session, rnd)
    if rnd.state not in ("draft", "open"):
        raise StateError(i18n.t("assign.state", code=rnd.code, state=state_name("round", rnd.state)))
    if "asesor" not in roles_of(session, assessor.id):
        raise ValidationError(i18n.t("assign.not_asesor", username=assessor.username))
    if not units:
        raise ValidationError(i18n.t("assign.no_units"))
    inst = instrument_for(rnd)
    all_areas = [a["code"] for a in inst.areas]
    wanted = list(dict.fromkeys(a.strip().upper() for a in areas)) if areas else all_areas
    for area in wanted:
        if area not in all_areas:
            raise ValidationError(i18n.t("assign.bad_area", area=area, instrument=inst.id, areas=", ".join(all_areas)))
    units = list({u.id: u for u in units}.values())
    for unit in units:
        if rnd.scope_unit_id is not None and unit.id != rnd.scope_unit_id:
            scope_unit = session.get(WorkUnit, rnd.scope_unit_id)
            raise ValidationError(i18n.t("assign.scope", code=rnd.code, scope_unit=scope_unit.code, unit=unit.code))
    unit_ids = [u.id for u in units]
    have = set(session.exec(select(Assignment.unit_id, Assignment.area).where(
        Assignment.round_id == rnd.id, Assignment.assessor_id == assessor.id, Assignment.unit_id.in_(unit_ids))).all())
    with_ws = set(session.exec(select(Worksheet.unit_id).where(
        Worksheet.round_id == rnd.id, Worksheet.assessor_id == assessor.id, Worksheet.unit_id.in_(unit_ids))).all())
    now = utcnow()
    new_assignments = [dict(round_id=rnd.id, assessor_id=assessor.id, unit_id=unit.id, area=area, created_at=now)
                       for unit in units for area in wanted if (unit.id, area) not in have]
    new_worksheets = [unit for unit in units if unit.id not in with_ws]
    rows = Rows()
    ids = insert_rows(session, Assignment, new_assignments, key=("unit_id", "area"), record=rows)
    insert_rows(session, Worksheet, [dict(round_id=rnd.id, unit_id=unit.id, assessor_id=assessor.id, state="in_progress",
                                          state_changed_at=now, return_reason=None, created_at=now)
                                     for unit in new_worksheets], key=("unit_id",), record=rows)
    created = [Assignment(id=i, **cols) for i, cols in zip(ids, new_assignments)]
    if created:
        audit_log.append(session, round_id=rnd.id, actor=actor.username, action="assignment.add",
                         payload={"assessor": assessor.username, "units": [u.code for u in units], "areas": wanted,
                                  "created": len(created), "new_worksheets": [u.code for u in new_worksheets]},
                         rows=rows)
    return created


def assigned_areas(session: Session, rnd: AssessmentRound, unit_id: int, assessor_id: int) -> set[str]:
    return set(session.exec(select(Assignment.area).where(
        Assignment.round_id == rnd.id, Assignment.unit_id == unit_id, Assignment.assessor_id == assessor_id)))


def assigned_criteria(session: Session, rnd: AssessmentRound, unit_id: int, assessor_id: int) -> list[str]:
    """Criterion ids the assessor must answer for the unit, in instrument order."""
    areas = assigned_areas(session, rnd, unit_id, assessor_id)
    return [cid for cid, c in instrument_for(rnd).criteria.items() if c.area in areas]


def list_assignments(session: Session, rnd: AssessmentRound) -> list[dict]:
    rows = session.exec(
        select(Assignment, Person.username, WorkUnit.code).join(Person, Person.id == Assignment.assessor_id)
        .join(WorkUnit, WorkUnit.id == Assignment.unit_id).where(Assignment.round_id == rnd.id)).all()
    grouped: dict[tuple[str, str], list[str]] = {}
    for a, user, unit in rows:
        grouped.setdefault((user, unit), []).append(a.area)
    order = {a["code"]: i for i, a in enumerate(instrument_for(rnd).areas)}
    return [{"assessor": user, "unit": unit, "areas": sorted(areas, key=lambda x: order.get(x, 99))}
            for (user, unit), areas in sorted(grouped.items())]
