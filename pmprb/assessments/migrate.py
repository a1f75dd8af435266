"""Alembic, driven from code: schema status, upgrade, and the model check.

The migration scripts live in ``pmprb/assessments/migrations`` (shipped as
package data). Later features add a script in ``versions/`` whose
``down_revision`` is the current head; :func:`upgrade` goes to *all* heads,
so two features developed in parallel still migrate (merge them with
``alembic merge`` when convenient).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from .db import MIGRATIONS_DIR, Database
from .models import metadata

VERSION_TABLE = "alembic_version"
# Any constant works; it only has to be the same for every pmprb process.
_PG_MIGRATION_LOCK = 0x706D7072  # "pmpr"


def alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def script_heads() -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@dataclass
class SchemaStatus:
    current: tuple[str, ...]
    heads: tuple[str, ...]
    tables: list[str] = field(default_factory=list)
    unknown: tuple[str, ...] = ()

    @property
    def is_new(self) -> bool:
        return not self.current and not self.tables

    @property
    def foreign(self) -> bool:
        return not self.current and bool(self.tables)

    @property
    def at_head(self) -> bool:
        return bool(self.current) and set(self.current) == set(self.heads)


def status(db: Database) -> SchemaStatus:
    with db.engine.connect() as conn:
        current = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
        tables = [t for t in inspect(conn).get_table_names() if t != VERSION_TABLE]
    known = known_revisions()
    return SchemaStatus(current=current, heads=script_heads(), tables=tables,
                        unknown=tuple(r for r in current if r not in known))


def upgrade(db: Database, target: str = "heads") -> SchemaStatus:
    """Migrate to ``target`` (default: every head) in one transaction."""
    with db.engine.execution_options(pmprb_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes creating the same new database must not race.
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(conn), target)
    return status(db)


def diff(db: Database, target_metadata=None) -> list:
    """Differences between the models and the migrated database, as Alembic's
    autogenerate sees them (what ``alembic check`` reports). Empty means
    every model change has its migration."""
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(ctx, metadata if target_metadata is None else target_metadata)
