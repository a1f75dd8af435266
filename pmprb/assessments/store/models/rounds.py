"""A round (one institution's self-assessment in one year), who assesses
what in it, the per-assessor worksheets and their answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class AssessmentRound(SQLModel, table=True):
    """Pinned to one instrument revision: ``instrument_json`` is the
    instrument's canonical JSON, so later edits of the rule files never
    change a round. ``state`` is driven by ``pmprb.engine.workflow``."""

    __tablename__ = "assessment_round"
    __table_args__ = (UniqueConstraint("institution_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True, nullable=False)
    code: str = Field(sa_column=Column(String(64), nullable=False))
    year: int = Field(nullable=False)
    title: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    instrument_id: str = Field(sa_column=Column(String(64), nullable=False))
    instrument_revision: str = Field(sa_column=Column(String(64), nullable=False))
    instrument_json: str = Field(sa_column=Column(Text, nullable=False))
    # "institution" (PMPRB) or "unit" (e.g. an integrity-zone unit: scope_unit_id).
    scope: str = Field(default="institution", sa_column=Column(String(16), nullable=False))
    scope_unit_id: int | None = Field(default=None, foreign_key="work_unit.id", nullable=True)
    deadline: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    # The evaluation period (a year) cited evidence is judged against; None (rounds made before
    # it existed) means the round's year: use ``pmprb.assessments.setup.rounds.evaluation_period``.
    period: int | None = Field(default=None, nullable=True)
    state: str = Field(default="draft", sa_column=Column(String(16), nullable=False))
    state_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created_by_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)


class RoundSnapshot(SQLModel, table=True):
    """What a round looked like at a moment worth keeping, e.g. the final
    result as it stood when the round was reopened (``kind='reopen'``)."""

    __tablename__ = "round_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actor_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    taken_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    data_json: str = Field(sa_column=Column(Text, nullable=False))
    data_hash: str = Field(sa_column=Column(String(64), nullable=False))


class Assignment(SQLModel, table=True):
    """An assessor assesses one change area (area code, e.g. ``MP``) of one unit."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("round_id", "assessor_id", "unit_id", "area"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    assessor_id: int = Field(foreign_key="person.id", index=True, nullable=False)
    unit_id: int = Field(foreign_key="work_unit.id", nullable=False)
    area: str = Field(sa_column=Column(String(32), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Worksheet(SQLModel, table=True):
    """One assessor's kertas kerja for one unit; its state is driven by
    ``pmprb.engine.workflow.WorksheetWorkflow``."""

    __tablename__ = "worksheet"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "assessor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    unit_id: int = Field(foreign_key="work_unit.id", nullable=False)
    assessor_id: int = Field(foreign_key="person.id", nullable=False)
    state: str = Field(default="in_progress", sa_column=Column(String(16), nullable=False))
    state_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # Why the koordinator returned it (kept until the next return).
    return_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Answer(SQLModel, table=True):
    """An assessor's answer to one criterion for one unit.

    ``version`` starts at 1 and grows on every change; writers pass the
    version they saw (optimistic locking) so a concurrent change is never
    silently overwritten.
    """

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "assessor_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    unit_id: int = Field(foreign_key="work_unit.id", nullable=False)
    assessor_id: int = Field(foreign_key="person.id", nullable=False)
    criterion_id: str = Field(sa_column=Column(String(64), nullable=False))
    answer: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_by_id: int = Field(foreign_key="person.id", nullable=False)
