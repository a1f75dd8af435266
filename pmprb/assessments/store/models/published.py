"""Indeks RB figures as an institution published them (``pmprb history import``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class PublishedFigure(SQLModel, table=True):
    """One row of a published table: an area, a Hasil component, a total or the grade for one year.

    ``institution`` is the name as the publication gives it, not a link to
    ``institution``: an auditor checks tables of institutions that never ran
    a round here. Figures are kept as the text that was published ("3.40",
    not 3.4), because the decimals written bound the rounding the check allows.
    """

    __tablename__ = "published_figure"
    __table_args__ = (UniqueConstraint("institution", "year", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    # The unique constraint (institution first) also serves lookups by institution.
    institution: str = Field(sa_column=Column(String(255), nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    item: str = Field(sa_column=Column(String(16), nullable=False))
    weight: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    value: str = Field(sa_column=Column(String(32), nullable=False))
    percent: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    instrument_id: str = Field(sa_column=Column(String(64), nullable=False))
    source_file: str = Field(sa_column=Column(String(512), nullable=False))
    source_line: int = Field(sa_column=Column(Integer, nullable=False))
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
