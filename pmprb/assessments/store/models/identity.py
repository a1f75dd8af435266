"""Public keys that sign checkpoints (the private key never enters the database)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from pmprb.assessments.store.models._types import UTCDateTime, utcnow


class PersonKey(SQLModel, table=True):
    """An Ed25519 public key registered by its holder (``pmprb key init``).
    Old keys stay, so checkpoints signed before a new key verify still."""

    __tablename__ = "person_key"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, nullable=False)
    algorithm: str = Field(sa_column=Column(String(16), nullable=False))
    public_key: str = Field(sa_column=Column(String(64), nullable=False))     # base64 of the 32 raw bytes
    fingerprint: str = Field(sa_column=Column(String(64), nullable=False, unique=True))  # SHA-256 of the raw key
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
