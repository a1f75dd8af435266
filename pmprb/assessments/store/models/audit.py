"""The append-only audit log: one hash chain per round (plus ``global``
for set-up such as units and people)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class AuditChain(SQLModel, table=True):
    """The head of one chain. Writers lock this row, so events get gap-free
    sequence numbers; verification compares it with the last event, so
    deleting events from the end is detected too."""

    __tablename__ = "audit_chain"

    chain: str = Field(sa_column=Column(String(64), primary_key=True))
    round_id: int | None = Field(default=None, foreign_key="assessment_round.id", nullable=True)
    last_seq: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    last_hash: str = Field(sa_column=Column(String(64), nullable=False))


class AuditEvent(SQLModel, table=True):
    """``hash`` covers chain, seq, actor, time, action, payload hash and the
    previous event's hash (see ``pmprb.assessments.store.audit_log``). ``at`` is kept
    as ISO-8601 text so the hashed bytes survive any database round trip."""

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    chain: str = Field(sa_column=Column(String(64), nullable=False))
    round_id: int | None = Field(default=None, foreign_key="assessment_round.id", nullable=True, index=True)
    seq: int = Field(nullable=False)
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    at: str = Field(sa_column=Column(String(32), nullable=False))
    action: str = Field(sa_column=Column(String(64), nullable=False))
    payload_json: str = Field(sa_column=Column(Text, nullable=False))
    payload_hash: str = Field(sa_column=Column(String(64), nullable=False))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))
