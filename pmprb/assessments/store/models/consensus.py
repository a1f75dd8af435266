"""Consensus (rapat konsensus): disputed criteria, their history, and the
meetings where merged answers were confirmed.

A :class:`ConsensusItem` exists for each criterion of a round on which the
assessors' submitted answers differ; it is ``open`` until a koordinator
resolves it with a final answer and a rationale (``resolved``), may be
reopened with a reason before the round is final, and is ``withdrawn`` when
the answers come to agree (a returned worksheet was corrected). Every change
is a :class:`ConsensusEvent` row as well as an audit event, so the item's
history reads without replaying the audit log.

A :class:`ConsensusMeeting` records that criteria whose answers merged
automatically were discussed and confirmed too: the LKE asks whether *every*
criterion was discussed (MP.3.f), not only the disputed ones.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, Float, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow

ITEM_STATES = ("open", "resolved", "withdrawn")
EVENT_KINDS = ("opened", "updated", "resolved", "reopened", "withdrawn")


class ConsensusItem(SQLModel, table=True):
    __tablename__ = "consensus_item"
    __table_args__ = (UniqueConstraint("round_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    criterion_id: str = Field(sa_column=Column(String(64), nullable=False))
    state: str = Field(default="open", sa_column=Column(String(16), nullable=False))
    # Largest difference in value between the disputed answers (counts: in the count).
    spread: float = Field(sa_column=Column(Float, nullable=False))
    # The disputed answers as canonical JSON: [{unit, assessor, answer, value, note}].
    answers_json: str = Field(sa_column=Column(Text, nullable=False))
    final_answer: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    rationale: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Canonical JSON list of {"name", "username"?}.
    participants_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    meeting_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    resolved_by_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # Grows on every change; a resolver passes the version it saw (optimistic locking).
    version: int = Field(default=1, nullable=False)


class ConsensusEvent(SQLModel, table=True):
    """One step in an item's history (``seq`` counts per item from 1)."""

    __tablename__ = "consensus_event"
    __table_args__ = (UniqueConstraint("item_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="consensus_item.id", index=True, nullable=False)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    seq: int = Field(nullable=False)
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # What the step recorded (final answer, rationale, participants, meeting
    # date, or the disputed answers), as canonical JSON.
    data_json: str = Field(sa_column=Column(Text, nullable=False))


class ConsensusMeeting(SQLModel, table=True):
    """A consensus meeting that discussed and confirmed ``criteria_json``
    (criteria whose answers had merged automatically)."""

    __tablename__ = "consensus_meeting"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    meeting_date: date = Field(sa_column=Column(Date, nullable=False))
    participants_json: str = Field(sa_column=Column(Text, nullable=False))
    criteria_json: str = Field(sa_column=Column(Text, nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recorded_by_id: int = Field(foreign_key="person.id", nullable=False)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
