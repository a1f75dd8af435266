"""Alembic, driven from code: schema status, upgrade, and the model check.

The migration scripts live in ``pmprb/assessments/store/migrations`` (shipped as
package data). Later features add a script in ``versions/`` whose
``down_revision`` is the current head; :func:`upgrade` goes to *all* heads,
so two features developed in parallel still migrate (merge them with
``alembic merge`` when convenient).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import inspect, text

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the database handle; db.py imports this module to migrate a new database
    from pmprb.assessments.store.db import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
from pmprb.assessments.store.models import metadata

VERSION_TABLE = "alembic_version"
# Any constant works; it only has to be the same for every pmprb process.
_PG_MIGRATION_LOCK = 0x706D7072  # "pmpr"


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _revision_graph() -> dict[str, tuple[str, ...]]:
    """revision -> its down revisions, read from the scripts' source.

    Importing Alembic costs about 0.3 s, paid by every command if opening a
    database needed it; reading the two assignments is enough to know the
    heads (tests/store/test_store_migrations.py checks this agrees with Alembic).
    """
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
                node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and node.value is not None:
                values[target.id] = ast.literal_eval(node.value)
        if "revision" in values:
            down = values.get("down_revision")
            graph[str(values["revision"])] = tuple(down) if isinstance(down, (list, tuple)) else \
                ((down,) if down else ())
    return graph


def script_heads() -> tuple[str, ...]:
    graph = _revision_graph()
    referenced = {d for downs in graph.values() for d in downs}
    return tuple(sorted(r for r in graph if r not in referenced))


def known_revisions() -> set[str]:
    return set(_revision_graph())


def alembic_heads() -> tuple[str, ...]:
    """The heads as Alembic itself computes them."""
    from alembic.script import ScriptDirectory

    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


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
        tables = inspect(conn).get_table_names()
        current = tuple(sorted(r for (r,) in conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")))) \
            if VERSION_TABLE in tables else ()
        tables = [t for t in tables if t != VERSION_TABLE]
    known = known_revisions()
    return SchemaStatus(current=current, heads=script_heads(), tables=tables,
                        unknown=tuple(r for r in current if r not in known))


def upgrade(db: Database, target: str = "heads") -> SchemaStatus:
    """Migrate to ``target`` (default: every head) in one transaction."""
    from alembic import command

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
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(ctx, metadata if target_metadata is None else target_metadata)
