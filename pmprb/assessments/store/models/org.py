"""Institutions, their work units, and the people who act in rounds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow

# A person may hold several; see pmprb.assessments.setup.permissions for what each allows.
ROLES = ("asesor", "koordinator", "auditor", "admin")


class Institution(SQLModel, table=True):
    """The ministry, agency or regional government that runs PMPRB."""

    __tablename__ = "institution"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(255), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # IANA zone in which people read times (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).
    timezone: str = Field(default="Asia/Jakarta", sa_column=Column(String(64), nullable=False,
                                                                   server_default="Asia/Jakarta"))


class WorkUnit(SQLModel, table=True):
    """A unit kerja / perangkat daerah (OPD), identified by its code."""

    __tablename__ = "work_unit"
    __table_args__ = (UniqueConstraint("institution_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True, nullable=False)
    code: str = Field(sa_column=Column(String(64), nullable=False))
    name: str = Field(sa_column=Column(String(255), nullable=False))
    active: bool = Field(default=True, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Person(SQLModel, table=True):
    """Someone who acts: ``username`` is what ``--as`` / ``PMPRB_USER`` names.
    ``login`` is their own PostgreSQL login (the actor is then taken from
    ``session_user``), ``os_user`` the operating-system account a SQLite
    user must run under to act as them (see ``setup/identity.py``)."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True, nullable=False)
    username: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(255), nullable=False))
    email: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    # For the documents people sign (berita acara): civil-servant number (18 digits) and position.
    nip: str | None = Field(default=None, sa_column=Column(String(18), nullable=True))
    jabatan: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    active: bool = Field(default=True, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    login: str | None = Field(default=None, sa_column=Column(String(63), nullable=True, unique=True))
    os_user: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))


class PersonRole(SQLModel, table=True):
    __tablename__ = "person_role"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    role: str = Field(sa_column=Column(String(16), primary_key=True))
