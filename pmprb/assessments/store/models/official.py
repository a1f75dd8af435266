"""Official values of a round: the figures the evaluating agencies published
for each indicator, recorded by the koordinator with their source.

Kept beside the round's own answers, never instead of them: the internal
estimate (the consensus and final answers) stays what the team decided, and
the deviation between the two is computed when shown. ``value`` is the
answer as the instrument reads it ("71.25", "WTP"); a later recording of the
same indicator replaces the row (the audit log keeps every earlier value).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class OfficialValue(SQLModel, table=True):
    __tablename__ = "official_value"
    __table_args__ = (UniqueConstraint("round_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    criterion_id: str = Field(sa_column=Column(String(32), nullable=False))
    value: str = Field(sa_column=Column(String(64), nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    entered_by_id: int = Field(foreign_key="person.id", nullable=False)
    entered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ApplicableWeight(SQLModel, table=True):
    """The applicable weight of a round's rescaled component (the official adjusted
    weight, e.g. 86.5), given as a figure instead of derived from the lines
    answered not applicable: ``side`` ``official`` is the figure the official result
    states (recorded with the official values), ``estimate`` the one the team's own
    scoring uses (entered with the round's external figures). ``value`` as the
    instrument reads it ("86.5"); recording it again replaces the row."""

    __tablename__ = "applicable_weight"
    __table_args__ = (UniqueConstraint("round_id", "side"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    side: str = Field(sa_column=Column(String(16), nullable=False))
    value: str = Field(sa_column=Column(String(32), nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    entered_by_id: int = Field(foreign_key="person.id", nullable=False)
    entered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
