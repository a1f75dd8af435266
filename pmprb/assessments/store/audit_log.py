"""The tamper-evident audit log: an append-only hash chain per round.

Every write (answers, evidence, transitions, assignments, and later
consensus and RATL) calls :func:`append` in the same transaction as the
write itself. An event's ``hash`` covers its chain, sequence number, actor,
time, action, the SHA-256 of its canonical payload and the previous event's
hash, so changing, removing or reordering an event breaks every later link.

:func:`verify_chain` recomputes a chain; the checks that compare the
current data with what the log says was written (an answer edited with SQL
no longer matches its last ``answer.save`` event) live in
:mod:`pmprb.assessments.audit` and are listed in
:mod:`pmprb.assessments.wiring`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session as _OrmSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.canonical import canonical_json, sha256_hex
from pmprb.assessments.store.ledger import Rows, insert_many
from pmprb.assessments.store.models import AssessmentRound, AuditChain, AuditEvent, utcnow

GENESIS = "0" * 64
GLOBAL_CHAIN = "global"

@dataclass(frozen=True)
class Problem:
    """One verification finding. ``seq``/``action`` name the audit event it
    concerns, when there is one."""

    check: str
    message: str
    seq: int | None = None
    action: str | None = None

    def describe(self) -> str:
        where = f"event {self.seq} ({self.action}): " if self.seq is not None else ""
        return f"[{self.check}] {where}{self.message}"


@dataclass
class VerifyReport:
    chain: str
    events: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_broken(self) -> Problem | None:
        """The first broken link of the chain itself (None if the chain is intact)."""
        return next((p for p in self.problems if p.check == "chain"), None)

    def to_dict(self) -> dict:
        return {"chain": self.chain, "events": self.events, "head_hash": self.head_hash, "ok": self.ok,
                "checks": self.checks, "problems": [asdict(p) for p in self.problems]}


def chain_name(round_id: int | None) -> str:
    return GLOBAL_CHAIN if round_id is None else f"round:{round_id}"


def timestamp(when: datetime | None = None) -> str:
    """The time as stored and hashed: ISO-8601 UTC with microseconds."""
    return (when or utcnow()).isoformat(timespec="microseconds")


def payload_text(payload: dict) -> str:
    return canonical_json(payload)


from pmprb.engine.chain import event_hash  # noqa: E402  (one definition, shared with exported files)


# ---------------------------------------------------------------------------
# writing


def ensure_chain(session: Session, round_id: int | None) -> AuditChain:
    """The chain head, locked for this transaction (PostgreSQL ``FOR UPDATE``;
    SQLite writers already hold the database write lock). Taking it first in
    every write keeps concurrent writers of one round in a single order."""
    chain = chain_name(round_id)
    # Once locked, the head stays locked (and in this session) until the transaction ends: later
    # writes of the same transaction take it from here instead of selecting it again (a consensus
    # resolution locked and re-selected it twice; a national run made ~400,000 such selects).
    tx = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(_HELD)
    if held is not None and held[0] is tx and tx is not None:
        head = held[1].get(chain)
        if head is not None and head in session:
            return head
    head = session.exec(select(AuditChain).where(AuditChain.chain == chain).with_for_update()).first()
    if head is None:
        head = AuditChain(chain=chain, round_id=round_id, last_seq=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    _hold(session, chain, head)
    return head


def _hold(session: Session, chain: str, head: AuditChain) -> None:
    tx = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(_HELD)
    if held is None or held[0] is not tx:
        held = session.info[_HELD] = (tx, {})
    held[1][chain] = head


def chain_held(session: Session, round_id: int | None) -> bool:
    """True when this transaction already holds the round's chain head."""
    tx = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(_HELD)
    if held is None or held[0] is not tx or tx is None:
        return False
    head = held[1].get(chain_name(round_id))
    return head is not None and head in session


def lock_chain_reading(session: Session, round_id: int, columns: list) -> Any | None:
    """PostgreSQL: lock the round's existing chain head and read ``columns``
    of its ``assessment_round`` row in one statement; None when the chain
    does not exist yet (then :func:`ensure_chain` creates it).

    Both rows are locked (``FOR NO KEY UPDATE``, which still lets other
    transactions insert rows referencing the round): when a concurrent writer
    holds the chain, this waits for it to commit and PostgreSQL then re-reads
    the latest version of every locked row, so the round columns returned are
    the committed ones, as a separate read after the lock would give. A row
    that is only joined, not locked, would come from the statement's snapshot
    (stale)."""
    chain = chain_name(round_id)
    stmt = (select(AuditChain, *columns).join(AssessmentRound, AssessmentRound.id == AuditChain.round_id)
            .where(AuditChain.chain == chain).with_for_update(key_share=True))
    row = session.exec(stmt).first()
    if row is None:
        return None
    _hold(session, chain, row[0])
    return row


_HELD = "pmprb.audit.locked_chains"   # session.info key: (transaction, {chain: locked head})


def append(session: Session, *, round_id: int | None, actor: str, action: str, payload: dict[str, Any],
           when: datetime | None = None, rows: "Rows | None" = None) -> AuditEvent:
    """Append one event to the round's chain (``round_id=None``: the global
    chain) inside the caller's transaction. ``rows``: what the act wrote
    (:class:`pmprb.assessments.store.ledger.Rows`), recorded under
    ``payload["ledger"]`` so ``audit verify`` can compare every row with it."""
    head = ensure_chain(session, round_id)
    if rows:
        payload = {**payload, "ledger": rows.to_payload()}
    text = payload_text(payload)
    at = timestamp(when)
    seq = head.last_seq + 1
    prev_hash = head.last_hash
    p_hash = sha256_hex(text)
    h = event_hash(chain=head.chain, seq=seq, actor=actor, at=at, action=action, payload_hash=p_hash,
                   prev_hash=head.last_hash)
    row = dict(chain=head.chain, round_id=round_id, seq=seq, actor=actor, at=at, action=action, payload_json=text,
               payload_hash=p_hash, prev_hash=prev_hash, hash=h)
    pending = _pending(session)
    pending[2][head.chain] = (seq, h)
    if session.in_nested_transaction():
        # A savepoint may roll back alone: its event and head are written at once, tracked by the ORM.
        head.last_seq, head.last_hash = seq, h
        session.add(head)
        insert_many(session, AuditEvent, [row])
    else:
        # The event waits for the transaction's next ORM statement or its commit, and the head is
        # written once at the commit: an operation's events go out in one INSERT and the head in one
        # UPDATE, instead of an INSERT and an UPDATE per event. The head object holds the new values
        # as if loaded (it is locked for this transaction; a rollback expires it).
        set_committed_value(head, "last_seq", seq)
        set_committed_value(head, "last_hash", h)
        pending[1].append(row)
    return AuditEvent(**row)


_PENDING = "pmprb.audit.pending"   # session.info key: (transaction, [event rows], {chain: (seq, hash)})


def _pending(session: Session) -> tuple:
    tx = session.get_transaction()
    pending = session.info.get(_PENDING)
    if pending is None or pending[0] is not tx:
        pending = session.info[_PENDING] = (tx, [], {})
    return pending


def _write_events(session) -> None:
    pending = session.info.get(_PENDING)
    if pending and pending[1] and pending[0] is session.get_transaction():
        rows = list(pending[1])
        pending[1].clear()
        insert_many(session, AuditEvent, rows)


@event.listens_for(_OrmSession, "do_orm_execute")
def _before_orm_statement(state) -> None:
    # Any ORM read (or write) of this transaction sees the events appended so far.
    if state.session.info.get(_PENDING):
        _write_events(state.session)


@event.listens_for(_OrmSession, "before_flush")
def _before_flush(session, _flush_context, _instances) -> None:
    _write_events(session)


@event.listens_for(_OrmSession, "before_commit")
def _before_commit(session) -> None:
    pending = session.info.get(_PENDING)
    if not pending or pending[0] is not session.get_transaction():
        return
    _write_events(session)
    table = AuditChain.__table__
    conn = session.connection()
    for chain, (seq, h) in sorted(pending[2].items()):
        conn.execute(update(table).where(table.c.chain == chain).values(last_seq=seq, last_hash=h))
    del session.info[_PENDING]


@event.listens_for(_OrmSession, "after_transaction_end")
def _drop_pending(session, transaction) -> None:
    pending = session.info.get(_PENDING)
    if pending is not None and pending[0] is transaction:
        del session.info[_PENDING]   # rolled back (a commit wrote them first)


def events(session: Session, round_id: int | None, *, action: str | None = None) -> list[AuditEvent]:
    q = select(AuditEvent).where(AuditEvent.chain == chain_name(round_id))
    if action:
        q = q.where(AuditEvent.action == action)
    return list(session.exec(q.order_by(AuditEvent.seq)))


# ---------------------------------------------------------------------------
# verifying

def verify_chain(session: Session, round_id: int | None) -> VerifyReport:
    """Recompute the chain; stop at the first broken link, since every later
    link depends on it."""
    report = VerifyReport(chain=chain_name(round_id), checks=["chain"])
    evs = events(session, round_id)
    report.events = len(evs)
    prev_hash, prev_seq = GENESIS, 0
    for ev in evs:
        problem = None
        actual_payload = sha256_hex(ev.payload_json)
        if ev.seq != prev_seq + 1:
            problem = i18n.t("audit.seq_gap", prev=prev_seq, seq=ev.seq)
        elif ev.payload_hash != actual_payload:
            problem = i18n.t("audit.payload_hash", stored=ev.payload_hash[:12], actual=actual_payload[:12])
        elif ev.prev_hash != prev_hash:
            problem = i18n.t("audit.prev_hash", stored=ev.prev_hash[:12], expected=prev_hash[:12])
        elif ev.hash != event_hash(chain=ev.chain, seq=ev.seq, actor=ev.actor, at=ev.at, action=ev.action,
                                   payload_hash=ev.payload_hash, prev_hash=ev.prev_hash):
            problem = i18n.t("audit.hash")
        if problem:
            report.problems.append(Problem("chain", problem, ev.seq, ev.action))
            return report
        prev_hash, prev_seq = ev.hash, ev.seq
    report.head_hash = prev_hash
    head = session.get(AuditChain, report.chain)
    if head is None and evs:
        report.problems.append(Problem("chain", i18n.t("audit.no_head", seq=prev_seq), evs[-1].seq, evs[-1].action))
    if head is not None and (head.last_seq != prev_seq or head.last_hash != prev_hash):
        last = evs[-1] if evs else None
        report.problems.append(Problem("chain", i18n.t("audit.head", head_seq=head.last_seq,
                                                       head_hash=head.last_hash[:12], seq=prev_seq),
                                       last.seq if last else None, last.action if last else None))
    return report


def payload(ev: AuditEvent) -> dict:
    import json

    return json.loads(ev.payload_json)
