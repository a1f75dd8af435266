"""The round's Hasil inputs and its frozen final results.

:class:`HasilInput` keeps each Hasil figure as it was entered ("70.05",
"WTP"); its points are recomputed from the pinned instrument when scoring.

:class:`FinalResult` is written once per finalisation (``seq`` 1, 2, ... when
a round is reopened and finalised again) and never updated: ``result_json``
is the canonical JSON of everything the result rests on (institution
answers, decision ids, scores, Hasil inputs, whether every criterion was
discussed) and ``result_hash`` its SHA-256. The current result is the
highest ``seq`` while the round is ``final``; earlier ones stay on record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, Float, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class HasilInput(SQLModel, table=True):
    __tablename__ = "hasil_input"
    __table_args__ = (UniqueConstraint("round_id", "part_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    part_id: str = Field(sa_column=Column(String(32), nullable=False))
    raw: str = Field(sa_column=Column(String(64), nullable=False))
    source: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    entered_by_id: int = Field(foreign_key="person.id", nullable=False)
    entered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class FinalResult(SQLModel, table=True):
    __tablename__ = "final_result"
    __table_args__ = (UniqueConstraint("round_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    seq: int = Field(nullable=False)
    finalised_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    finalised_by_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    instrument_revision: str = Field(sa_column=Column(String(64), nullable=False))
    engine: str = Field(sa_column=Column(String(64), nullable=False))
    # Full precision copies of the headline figures, for queries across rounds.
    pengungkit: float = Field(sa_column=Column(Float, nullable=False))
    hasil: float = Field(sa_column=Column(Float, nullable=False))
    indeks_rb: float = Field(sa_column=Column(Float, nullable=False))
    grade: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    all_discussed: bool = Field(sa_column=Column(Boolean, nullable=False))
    result_json: str = Field(sa_column=Column(Text, nullable=False))
    result_hash: str = Field(sa_column=Column(String(64), nullable=False))
