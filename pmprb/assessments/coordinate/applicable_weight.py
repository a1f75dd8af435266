"""A round's applicable weight given as a figure (the official adjusted weight).

An instrument that rescales a component (``scoring.rescale``) derives the weight
that applies from the lines answered not applicable. An official result may
state it without saying which lines it leaves out (Kota Batam 2023: 86.5), so a
round can hold it as a figure, on either side:

- ``official``: the weight the official result states, recorded by the
  koordinator with the official values (:mod:`.official`, ``official.set``);
  the official side of the deviation is rescaled by it;
- ``estimate``: the weight the team's own scoring uses, entered like the
  round's external figures (``round hasil``, ``hasil.set``); the final result
  is rescaled by it (and keeps it, so replay and the RATL use it too).

Either is checked against the instrument (a rescaled component, above 0 and at
most its full weight), kept with its source, written with the ledger; a later
recording replaces it and clearing it goes back to the derived weight (the
audit log keeps every earlier value).
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine import points
from pmprb.engine.instrument import Instrument
from pmprb.errors import ValidationError
from pmprb.assessments.store.ledger import Rows, insert_rows, row_values
from pmprb.assessments.store.models import AssessmentRound, Person, utcnow
from pmprb.assessments.store.models.official import ApplicableWeight

SIDES = ("official", "estimate")
MAX_SOURCE = 2000


def rescaled(inst: Instrument) -> dict | None:
    """The component the instrument rescales (its declaration), or None."""
    cid = points.rescaled_component(inst) if points.is_points(inst) else None
    return next((c for c in inst.components if c["id"] == cid), None) if cid else None


def check(inst: Instrument, raw) -> str:
    """The canonical text of an applicable weight for ``inst``; a clear error otherwise."""
    comp = rescaled(inst)
    if comp is None:
        raise ValidationError(i18n.t("aw.no_rescale", instrument=inst.id))
    full = points.to_decimal(comp["weight"])
    try:
        w = points.to_decimal(raw)
    except ValueError:
        w = None
    if w is None or not Decimal(0) < w <= full:
        raise ValidationError(i18n.t("aw.invalid", value=str(raw).strip(), component=comp["id"],
                                     full=points.text(full)))
    return points.text(w)


def check_source(source: str | None) -> str:
    src = (source or "").strip()
    if not src:
        raise ValidationError(i18n.t("aw.no_source"))
    if len(src) > MAX_SOURCE:
        raise ValidationError(i18n.t("aw.long_source", n=len(src), max=MAX_SOURCE))
    return src


def stored(session: Session, rnd: AssessmentRound, side: str) -> ApplicableWeight | None:
    return session.exec(select(ApplicableWeight).where(ApplicableWeight.round_id == rnd.id,
                                                       ApplicableWeight.side == side)).first()


def value(session: Session, rnd: AssessmentRound, side: str) -> float | None:
    """The weight the round holds on ``side`` as scoring takes it, or None (derived from the lines)."""
    row = stored(session, rnd, side)
    return float(row.value) if row is not None else None


def clear(session: Session, rnd: AssessmentRound, side: str, written: Rows) -> dict | None:
    """Remove the weight of ``side`` (back to the weight derived from the lines); the deleted row goes
    into ``written``. The change, or None when there was none."""
    assert side in SIDES
    row = stored(session, rnd, side)
    if row is None:
        return None
    written.delete(ApplicableWeight, row_values(row))
    change = {"applicable_weight": None, "side": side, "source": None, "previous": row.value}
    session.delete(row)
    session.flush()
    return change


def put(session: Session, actor, rnd: AssessmentRound, side: str, text: str, source: str, written: Rows,
        now=None) -> dict | None:
    """Write the checked weight ``text`` of ``side`` (inside the caller's unit of work; the caller
    appends the audit event with ``written``). The change, or None when nothing changed."""
    assert side in SIDES
    row = stored(session, rnd, side)
    if row is not None and row.value == text and row.source == source:
        return None
    now = now or utcnow()
    previous = row.value if row is not None else None
    if row is None:
        session.flush()
        insert_rows(session, ApplicableWeight, [dict(round_id=rnd.id, side=side, value=text, source=source,
                                                     entered_by_id=actor.id, entered_at=now)],
                    key=("side",), record=written)
    else:
        row.value, row.source, row.entered_by_id, row.entered_at = text, source, actor.id, now
        session.add(row)
        session.flush()
        written.put_obj(row)
    return {"applicable_weight": text, "side": side, "source": source, "previous": previous}


def shown(session: Session, rnd: AssessmentRound, side: str) -> dict | None:
    """The stored weight of ``side`` with its source, who entered it and when (for output)."""
    row = stored(session, rnd, side)
    if row is None:
        return None
    who = session.get(Person, row.entered_by_id)
    return {"value": float(row.value), "source": row.source, "entered_by": who.username if who else None,
            "entered_at": row.entered_at.isoformat()}


__all__ = ["SIDES", "check", "check_source", "stored", "value", "put", "clear", "shown", "rescaled"]
