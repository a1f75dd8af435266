"""What the berita acara (minutes) of a round's consensus meeting needs
beyond the meeting records: its number, the place, and who signs under
"Mengetahui" (the head of the Inspektorat, a registered person). One row per
round, set by a koordinator; kept per round so a reprinted berita acara of an
earlier year still names that year's signatory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class RoundMinutes(SQLModel, table=True):
    __tablename__ = "round_minutes"

    round_id: int = Field(foreign_key="assessment_round.id", primary_key=True)
    number: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    place: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    acknowledged_by_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    set_by_id: int = Field(foreign_key="person.id", nullable=False)
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    version: int = Field(default=1, nullable=False)
