"""The berita acara's own particulars: its number, the place of the meeting,
and who signs under "Mengetahui".

Why these are round settings (:class:`RoundMinutes`): the number is given by
the institution's secretariat for that document; the place is that year's
venue; and the signatory under "Mengetahui" is the head of the Inspektorat
(or an acting one, "Plt.") *of that round* — a setting per round keeps an
earlier year's berita acara right when the office holder changes. The
signatory is a registered person (NIP and jabatan come from the person), not
a role: roles grant permissions in pmprb, and the Inspektur signs without
acting in the system.
"""

from __future__ import annotations

from sqlmodel import Session

from pmprb import i18n
from pmprb.engine import codes
from pmprb.assessments.setup.people import get_person
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import lock_round
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows
from pmprb.assessments.store.models import AssessmentRound, Person, utcnow
from pmprb.assessments.store.models.minutes import RoundMinutes
from pmprb.errors import ValidationError

MAX = {"number": codes.MAX_NUMBER, "place": codes.MAX_NAME}  # pmprb.engine.codes

_UNSET = object()


def get(session: Session, rnd: AssessmentRound) -> RoundMinutes | None:
    return session.get(RoundMinutes, rnd.id)


def to_dict(session: Session, row: RoundMinutes | None) -> dict:
    ack = session.get(Person, row.acknowledged_by_id) if row and row.acknowledged_by_id else None
    return {"number": row.number if row else None, "place": row.place if row else None,
            "acknowledged_by": ack.username if ack else None, "version": row.version if row else 0}


def set_minutes(session: Session, actor: Actor, rnd: AssessmentRound, *, number=_UNSET, place=_UNSET,
                acknowledged_by=_UNSET) -> RoundMinutes:
    """Set the berita acara's number, place and "Mengetahui" signatory (a
    username; empty clears). One ``consensus.minutes`` audit event with the changes."""
    require(actor, "consensus.meeting")
    lock_round(session, rnd)
    wanted: dict = {}
    for field, value in (("number", number), ("place", place)):
        if value is _UNSET:
            continue
        text = " ".join((value or "").split()) or None
        if text and len(text) > MAX[field]:
            raise ValidationError(i18n.t("minutes.long", field=i18n.t(f"minutes.f.{field}"), n=len(text),
                                         max=MAX[field]))
        wanted[field] = text
    if acknowledged_by is not _UNSET:
        wanted["acknowledged_by_id"] = get_person(session, acknowledged_by).id if (acknowledged_by or "").strip() \
            else None
    if not wanted:
        raise ValidationError(i18n.t("minutes.nothing"))
    row = get(session, rnd)
    before = to_dict(session, row)
    if row is None:
        row = RoundMinutes(round_id=rnd.id, set_by_id=actor.id, version=0)
    changed = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    if not changed and row.version:
        return row
    for k, v in changed.items():
        setattr(row, k, v)
    row.set_by_id, row.set_at, row.version = actor.id, utcnow(), row.version + 1
    session.add(row)
    session.flush()
    after = to_dict(session, row)
    rows = Rows()
    rows.put_obj(row)
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="consensus.minutes",
                     payload={"round": rnd.code, "version": row.version, "minutes": after,
                              "changes": {k: {"from": before[k], "to": after[k]} for k in after
                                          if k != "version" and before[k] != after[k]}}, rows=rows)
    return row


__all__ = ["get", "to_dict", "set_minutes"]
