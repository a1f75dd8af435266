"""The rows an act wrote, as its audit event records them, and set-based writes.

Every audit event carries, under ``payload["ledger"]``, the rows the act
created, changed or deleted: ``{table: {primary key: snapshot or None}}``.
A snapshot holds every column of the row as the database gives it back
(datetimes as ISO-8601 UTC, dates as ISO, long texts by their SHA-256), so
``audit verify`` can compare any table with its log column by column and
name the column that changed (:mod:`pmprb.assessments.audit.row_checks`).
One event per logical act (an import, a meeting, an evidence batch), not
one per row.

:func:`insert_rows` writes many rows of one table in one multi-row
``INSERT … RETURNING`` per chunk on SQLite and PostgreSQL alike and hands
back the generated ids, so the snapshots can be recorded without reading
the rows again.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Mapping, Sequence

from sqlalchemy import Table, insert
from sqlmodel import Session, SQLModel

from pmprb.canonical import sha256_hex

# Texts longer than this are recorded by their SHA-256 (instrument JSON, notes of a page, results).
LONG_TEXT = 200
HASHED_PREFIX = "sha256:"
# Rows per INSERT statement: far inside SQLite's 32,766 bound variables for our widest table.
CHUNK = 500


def normalise(value: Any) -> Any:
    """A column value as the snapshot records it (JSON-able, the same on both databases)."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    text = str(value)
    return HASHED_PREFIX + sha256_hex(text) if len(text) > LONG_TEXT else text


def table_of(model: type[SQLModel] | Table) -> Table:
    return model if isinstance(model, Table) else model.__table__


def primary_key(table: Table, values: Mapping) -> str:
    """The ledger's key of a row: its primary key column(s), ``|``-joined."""
    return "|".join(str(values[c.name]) for c in table.primary_key.columns)


def snapshot(table: Table, values: Mapping) -> dict:
    """Every column of a row (``values`` by column name; absent columns are null)."""
    return {c.name: normalise(values.get(c.name)) for c in table.columns}


def row_values(obj: SQLModel) -> dict:
    table = table_of(type(obj))
    return {c.name: getattr(obj, c.key) for c in table.columns}


class Rows:
    """What one act wrote, table by table, for its audit event."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict | None]] = {}

    def put(self, model: type[SQLModel] | Table, values: Mapping) -> None:
        table = table_of(model)
        self.tables.setdefault(table.name, {})[primary_key(table, values)] = snapshot(table, values)

    def put_obj(self, *objs: SQLModel) -> None:
        """ORM objects already flushed (their ids set)."""
        for obj in objs:
            self.put(type(obj), row_values(obj))

    def delete(self, model: type[SQLModel] | Table, values: Mapping) -> None:
        table = table_of(model)
        self.tables.setdefault(table.name, {})[primary_key(table, values)] = None

    def __bool__(self) -> bool:
        return any(self.tables.values())

    def to_payload(self) -> dict:
        return {name: dict(sorted(rows.items())) for name, rows in sorted(self.tables.items()) if rows}


def insert_rows(session: Session, model: type[SQLModel] | Table, rows: Sequence[dict], *,
                key: Sequence[str] = (), record: Rows | None = None) -> list[int]:
    """Insert ``rows`` (dicts of column values without ``id``) with one
    multi-row statement per :data:`CHUNK` rows; return their new ids in the
    order given. ``key``: columns that tell the rows apart within the call
    (their RETURNING values map the ids back, whatever order the database
    returns them in). With ``record``, every row's snapshot is added to it."""
    table = table_of(model)
    if not rows:
        return []
    id_col = table.c.id
    key_cols = [table.c[k] for k in key]
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if len(chunk) == 1 or not key_cols:
            if len(chunk) > 1:
                raise ValueError("insert_rows: several rows need key columns to map ids back")
            stmt = insert(table).values(list(chunk)).returning(id_col)
            ids.extend(session.execute(stmt).scalars().all())
            continue
        stmt = insert(table).values(list(chunk)).returning(id_col, *key_cols)
        by_key = {tuple(r[1:]): r[0] for r in session.execute(stmt).all()}
        ids.extend(by_key[tuple(row[k] for k in key)] for row in chunk)
    if record is not None:
        for row, new_id in zip(rows, ids):
            record.put(table, {**row, "id": new_id})
    return ids


def insert_many(session: Session, model: type[SQLModel] | Table, rows: Sequence[dict], *,
                record: Rows | None = None) -> None:
    """Insert rows whose primary key is given (no ids to read back): one
    multi-row statement per chunk."""
    table = table_of(model)
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table).values(list(rows[start:start + CHUNK])))
    if record is not None:
        for row in rows:
            record.put(table, row)
