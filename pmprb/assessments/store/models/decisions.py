"""Decision records: why a criterion got its value (shape of an OPA decision log)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class DecisionRecord(SQLModel, table=True):
    """One evaluator decision, with everything needed to replay it byte for
    byte: the canonical input, the pinned instrument revision, the engine
    label, the canonical result and the rule trace.

    ``kind`` says whose decision it is: ``assessor`` (one assessor's
    worksheet; ``unit_id`` and ``assessor_id`` set), ``final`` (the agreed
    institution result; ``unit_id`` may be null), or a kind a later feature
    defines (e.g. ``consensus``).
    """

    __tablename__ = "decision_record"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    unit_id: int | None = Field(default=None, foreign_key="work_unit.id", nullable=True)
    assessor_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    criterion_id: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    actor_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    instrument_id: str = Field(sa_column=Column(String(64), nullable=False))
    instrument_revision: str = Field(sa_column=Column(String(64), nullable=False))
    engine: str = Field(sa_column=Column(String(64), nullable=False))
    input_json: str = Field(sa_column=Column(Text, nullable=False))
    result_json: str = Field(sa_column=Column(Text, nullable=False))
    trace_json: str = Field(sa_column=Column(Text, nullable=False))
