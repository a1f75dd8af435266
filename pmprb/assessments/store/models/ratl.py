"""RATL (Rencana Aksi Tindak Lanjut): the follow-up action plan of a final round.

One :class:`RatlItem` per criterion whose final value is below its best,
generated at finalisation and refreshed when the round is finalised again
(``active`` false: the criterion reached its best in a later finalisation;
the item stays on record). ``state`` is driven by
``pmprb.engine.ratl_workflow``. :class:`RatlRoleMap` maps an instrument's
responsible role ("Bagian Organisasi") to a work unit of the institution.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, Float, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow

RATL_STATES = ("planned", "in_progress", "done", "verified")


class RatlItem(SQLModel, table=True):
    __tablename__ = "ratl_item"
    __table_args__ = (UniqueConstraint("round_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    criterion_id: str = Field(sa_column=Column(String(64), nullable=False))
    final_result_id: int = Field(foreign_key="final_result.id", nullable=False)
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    rank: int = Field(sa_column=Column(Integer, nullable=False))
    value: float = Field(sa_column=Column(Float, nullable=False))
    best_value: float = Field(sa_column=Column(Float, nullable=False))
    # Indeks points gained by this action alone, with what gating then unlocks (pmprb.engine.ratl_plan).
    gain: float = Field(sa_column=Column(Float, nullable=False))
    # Criteria whose gate this action lifts, canonical JSON list in instrument order.
    unlocks_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))
    kelemahan: str = Field(sa_column=Column(Text, nullable=False))
    rekomendasi: str = Field(sa_column=Column(Text, nullable=False))
    rencana_aksi: str = Field(sa_column=Column(Text, nullable=False))
    output: str = Field(sa_column=Column(Text, nullable=False))
    responsible_role: str = Field(sa_column=Column(String(255), nullable=False))
    responsible_unit_id: int | None = Field(default=None, foreign_key="work_unit.id", nullable=True)
    # True once a person set the unit for this item: a later role mapping leaves it alone.
    responsible_manual: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    target_date: date = Field(sa_column=Column(Date, nullable=False))
    # planned | in_progress | done | verified (pmprb.engine.ratl_workflow)
    state: str = Field(default="planned", sa_column=Column(String(16), nullable=False))
    # What proves the action was done: a document reference, and the stored file if one was given.
    done_evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    done_evidence_sha256: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    done_evidence_path: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    done_by_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    verified_by_id: int | None = Field(default=None, foreign_key="person.id", nullable=True)
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    state_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class RatlRoleMap(SQLModel, table=True):
    __tablename__ = "ratl_role_map"
    __table_args__ = (UniqueConstraint("institution_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True, nullable=False)
    role: str = Field(sa_column=Column(String(255), nullable=False))
    unit_id: int = Field(foreign_key="work_unit.id", nullable=False)
    set_by_id: int = Field(foreign_key="person.id", nullable=False)
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
