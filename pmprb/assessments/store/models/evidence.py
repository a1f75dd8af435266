"""Bukti dukung: an evidence identity with immutable revisions, linked to criteria.

Identity is (round, unit, key): the document number when given, otherwise
the original file name or URL. Adding a changed file under the same key
makes a new revision; the file itself lives in the content-addressed store
(``pmprb.assessments.assess.evidence``) under its SHA-256.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Date, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class Evidence(SQLModel, table=True):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="assessment_round.id", index=True, nullable=False)
    unit_id: int = Field(foreign_key="work_unit.id", nullable=False)
    key: str = Field(sa_column=Column(String(255), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created_by_id: int = Field(foreign_key="person.id", nullable=False)


class EvidenceRevision(SQLModel, table=True):
    """Never updated: a change is a new row with the next ``revision``."""

    __tablename__ = "evidence_revision"
    __table_args__ = (UniqueConstraint("evidence_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True, nullable=False)
    revision: int = Field(nullable=False)
    # SHA-256 of the file content; for a URL, of the URL text.
    sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    number: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    title: str = Field(sa_column=Column(Text, nullable=False))
    document_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    uploaded_by_id: int = Field(foreign_key="person.id", nullable=False)
    original_name: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    size: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # Relative to the evidence store root, so the store can move with the database.
    storage_path: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class EvidenceLink(SQLModel, table=True):
    """Evidence supports a criterion (of its unit, in its round)."""

    __tablename__ = "evidence_link"
    __table_args__ = (UniqueConstraint("evidence_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True, nullable=False)
    criterion_id: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created_by_id: int = Field(foreign_key="person.id", nullable=False)
