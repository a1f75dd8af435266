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

from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from pmprb import i18n
from pmprb.canonical import sha256_hex
from pmprb.errors import ValidationError
from pmprb.assessments.setup.permissions import Actor
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.models import AssessmentRound, Worksheet
from pmprb.engine.instrument import Instrument

_instrument_cache: dict[str, Instrument] = {}


_by_text: dict[int, tuple[str, Instrument]] = {}   # id(JSON text) -> (that text, its instrument)


def instrument_for(rnd: AssessmentRound) -> Instrument:
    """The round's pinned instrument, rebuilt from the stored JSON."""
    text = rnd.instrument_json
    # The same text object as last time (the round object is kept across operations): no need to
    # hash its ~100 KB again (every operation starts here).
    seen = _by_text.get(id(text))
    if seen is not None and seen[0] is text:
        inst = seen[1]
    else:
        key = sha256_hex(text)
        inst = _instrument_cache.get(key)
        if inst is None:
            inst = Instrument.from_canonical_json(text, origin=f"ronde {rnd.code}")
            if len(_instrument_cache) > 32:
                _instrument_cache.clear()
            _instrument_cache[key] = inst
        if len(_by_text) > 32:
            _by_text.clear()
        _by_text[id(text)] = (text, inst)   # the entry keeps the text alive: its id names no other
    if inst.revision != rnd.instrument_revision:
        raise ValidationError(i18n.t("rounds.instrument_mismatch", code=rnd.code, stored=rnd.instrument_revision[:12],
                                     actual=inst.revision[:12]))
    return inst


def lock_round(session: Session, rnd: AssessmentRound) -> AssessmentRound:
    """Serialise writers of one round: lock its audit chain head, then
    re-read the round so its state is the committed one (unless this
    transaction already read it under the lock, see :func:`_current`)."""
    if (rnd.id is not None and rnd in session and not _current(session, rnd)
            and session.get_bind().dialect.name == "postgresql" and not audit_log.chain_held(session, rnd.id)):
        # Lock the chain and re-read the round in one statement (see audit_log.lock_chain_reading).
        row = audit_log.lock_chain_reading(session, rnd.id, _REFRESHED_COLUMNS)
        if row is not None:
            for key, value in zip(_REFRESHED, row[1:]):
                set_committed_value(rnd, key, value)
            _mark(session, rnd)
            return rnd
    audit_log.ensure_chain(session, rnd.id)
    if not _current(session, rnd):
        # Every column but the pinned instrument's JSON, which is never written after creation: re-reading
        # its ~100 KB on every write cost more than the rest of the write (e.g. a consensus resolution).
        session.refresh(rnd, attribute_names=_REFRESHED)
        _mark(session, rnd)
    return rnd


_REFRESHED = [c.key for c in AssessmentRound.__table__.columns if c.key != "instrument_json"]
_REFRESHED_COLUMNS = [AssessmentRound.__table__.c[k] for k in _REFRESHED]
_FRESH = "pmprb.round.read_in"   # session.info key: (transaction, {id(round) of rounds read in it})


def _mark(session: Session, rnd: AssessmentRound) -> None:
    tx = session.get_transaction()
    fresh = session.info.get(_FRESH)
    if fresh is None or fresh[0] is not tx:
        fresh = session.info[_FRESH] = (tx, set())
    fresh[1].add(id(rnd))


def _current(session: Session, rnd: AssessmentRound) -> bool:
    """True when ``rnd`` holds what the database holds for the rest of this
    transaction: it was read (or refreshed) after the round's chain was
    locked, or, on SQLite, anywhere in this transaction (a SQLite writer holds
    the whole database from its first statement, so nothing can change under
    it; a PostgreSQL row read before the lock may be stale)."""
    if rnd not in session:
        return False
    fresh = session.info.get(_FRESH)
    if fresh is None or fresh[0] is not session.get_transaction() or id(rnd) not in fresh[1]:
        return False
    return True


@event.listens_for(AssessmentRound, "load")
@event.listens_for(Worksheet, "load")
def _loaded(row, context) -> None:
    # Read from the database in this transaction. On PostgreSQL that is only current once the chain
    # is locked, so the mark counts there only when made after the lock (lock_round's own refresh).
    session = context.session
    if session is not None and session.get_bind().dialect.name == "sqlite":
        _mark(session, row)


def refresh_unless_current(session: Session, row) -> None:
    """After :func:`begin`: re-read a row (a worksheet) read before the round
    was locked, unless nothing can have changed it since (SQLite, read in
    this transaction: the writer holds the whole database)."""
    if not _current(session, row):
        session.refresh(row)


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
