"""All database tables, on one shared ``SQLModel.metadata``.

Each submodule of this package holds the tables of one subject (people and
units, rounds, evidence, decisions, audit). Submodules are imported
automatically, so a later feature adds its tables by adding a module here
(e.g. ``models/consensus.py``) plus an Alembic migration in
``pmprb/assessments/store/migrations/versions/``; the migration check in
``tests/store/test_store_migrations.py`` fails when the two disagree.

Conventions for new tables: integer ``id`` primary key, ``__tablename__``
set explicitly, timestamps as :class:`UTCDateTime` filled with
:func:`utcnow`, JSON kept as canonical text (``pmprb.canonical``) in
``Text`` columns so hashes survive a round trip through any database.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlmodel import SQLModel

# Deterministic constraint names: Alembic needs them to alter SQLite tables
# (batch mode) and to compare the models with a migrated database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata

from pmprb.assessments.store.models._types import UTCDateTime, utcnow  # noqa: E402
from pmprb.assessments.store.models.org import ROLES, Institution, Person, PersonRole, WorkUnit  # noqa: E402
from pmprb.assessments.store.models.rounds import Answer, AssessmentRound, Assignment, RoundSnapshot, Worksheet  # noqa: E402
from pmprb.assessments.store.models.evidence import Evidence, EvidenceLink, EvidenceRevision  # noqa: E402
from pmprb.assessments.store.models.decisions import DecisionRecord  # noqa: E402
from pmprb.assessments.store.models.audit import AuditChain, AuditEvent  # noqa: E402


def load_all() -> None:
    """Import every table module so ``metadata`` knows every table
    (including those added by later features), and make each table class
    importable from this package (``from pmprb.assessments.store.models import X``)."""
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, SQLModel) and getattr(obj, "__table__", None) is not None \
                    and obj.__module__ == module.__name__ and name not in globals():
                globals()[name] = obj
                __all__.append(name)


__all__ = [
    "metadata", "load_all", "UTCDateTime", "utcnow", "ROLES",
    "Institution", "WorkUnit", "Person", "PersonRole",
    "AssessmentRound", "RoundSnapshot", "Assignment", "Worksheet", "Answer",
    "Evidence", "EvidenceRevision", "EvidenceLink", "DecisionRecord", "AuditChain", "AuditEvent",
]

load_all()
