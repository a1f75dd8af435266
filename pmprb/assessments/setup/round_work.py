"""One operation on one round, as one unit of work.

An operation (save an answer, import a sheet, submit, resolve items,
finalise, …) calls :func:`begin` once: it locks the round (so writers of one
round run one after another and read committed state) and loads the pinned
instrument. What the operation's steps need is then passed down in the
:class:`RoundWork`, so no step locks the round again, reloads the
instrument or re-reads what its caller holds. Steps that evaluate a
worksheet keep the evaluation in :attr:`RoundWork.memo`, so one operation
evaluates each worksheet at most once; a step that writes to a unit's
worksheets calls :meth:`RoundWork.forget`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from pmprb import i18n
from pmprb.canonical import sha256_hex
from pmprb.errors import ValidationError
from pmprb.assessments.setup.permissions import Actor
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.models import AssessmentRound
from pmprb.engine.instrument import Instrument

i18n.register({
    "rounds.instrument_mismatch": {
        "id": "instrumen yang tersimpan pada ronde {code} tidak cocok dengan revisinya "
            "(tersimpan {stored}, dihitung {actual})",
        "en": "the instrument stored with round {code} does not match its revision "
            "(stored {stored}, computed {actual})"},
})


_instrument_cache: dict[str, Instrument] = {}


def instrument_for(rnd: AssessmentRound) -> Instrument:
    """The round's pinned instrument, rebuilt from the stored JSON."""
    key = sha256_hex(rnd.instrument_json)
    inst = _instrument_cache.get(key)
    if inst is None:
        inst = Instrument.from_canonical_json(rnd.instrument_json, origin=f"ronde {rnd.code}")
        if len(_instrument_cache) > 32:
            _instrument_cache.clear()
        _instrument_cache[key] = inst
    if inst.revision != rnd.instrument_revision:
        raise ValidationError(i18n.t("rounds.instrument_mismatch", code=rnd.code, stored=rnd.instrument_revision[:12],
                                     actual=inst.revision[:12]))
    return inst


def lock_round(session: Session, rnd: AssessmentRound) -> AssessmentRound:
    """Serialise writers of one round: lock its audit chain head, then
    re-read the round so its state is the committed one."""
    audit_log.ensure_chain(session, rnd.id)
    # Every column but the pinned instrument's JSON, which is never written after creation: re-reading
    # its ~100 KB on every write cost more than the rest of the write (e.g. a consensus resolution).
    session.refresh(rnd, attribute_names=_REFRESHED)
    return rnd


_REFRESHED = [c.key for c in AssessmentRound.__table__.columns if c.key != "instrument_json"]


@dataclass
class RoundWork:
    session: Session
    actor: Actor | None
    round: AssessmentRound
    instrument: Instrument
    memo: dict = field(default_factory=dict)

    @property
    def username(self) -> str:
        return self.actor.username if self.actor else "system"

    def forget(self, unit_id: int) -> None:
        """Drop what the operation knew of a unit (after it wrote to its
        answers or evidence): memo keys are tuples ``(kind, unit_id, ...)``."""
        for key in [k for k in self.memo if isinstance(k, tuple) and len(k) > 1 and k[1] == unit_id]:
            del self.memo[key]


def begin(session: Session, actor: Actor | None, rnd: AssessmentRound) -> RoundWork:
    """Lock ``rnd`` for this transaction and load its pinned instrument, once."""
    lock_round(session, rnd)
    return RoundWork(session=session, actor=actor, round=rnd, instrument=instrument_for(rnd))


def reading(session: Session, actor: Actor | None, rnd: AssessmentRound) -> RoundWork:
    """The same context for a read-only operation (no lock)."""
    return RoundWork(session=session, actor=actor, round=rnd, instrument=instrument_for(rnd))
