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
    """Every column of a row (``values`` by column name; absent columns are null).
    The same as :func:`normalise` per column, with the common types inline (an
    operation snapshots every row it writes: hundreds per decision batch)."""
    names = _COLUMN_NAMES.get(table)
    if names is None:
        names = _COLUMN_NAMES[table] = tuple(c.name for c in table.columns)
    global _last_datetime
    out = {}
    get = values.get
    for name in names:
        v = get(name)
        t = type(v)
        if v is None or t is int or t is float or t is bool:
            out[name] = v
        elif t is str:
            out[name] = v if len(v) <= LONG_TEXT else HASHED_PREFIX + sha256_hex(v)
        elif t is datetime:
            last = _last_datetime   # the rows of one act share their timestamp object
            if last[0] is not v:
                last = _last_datetime = (v, normalise(v))   # one tuple: safe across threads
            out[name] = last[1]
        else:
            out[name] = normalise(v)
    return out


_COLUMN_NAMES: dict[Table, tuple[str, ...]] = {}
_last_datetime: tuple = (None, None)


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


class _Template:
    """A multi-row INSERT for one table, column list and RETURNING list: one
    row's VALUES clause compiled once per process and repeated for the rows
    of a call, sent with the driver's own parameters (SQLAlchemy compiling a
    statement of thousands of bound values on every call was most of the CPU
    of a decision batch)."""

    __slots__ = ("head", "row", "tail", "columns", "processors", "positional", "sqls")

    PREFIX = "pmprb_r0_"

    def __init__(self, dialect, table: Table, columns: tuple[str, ...], returning: tuple[str, ...]):
        from sqlalchemy import bindparam

        stmt = insert(table).values({c: bindparam(f"{self.PREFIX}{j}", type_=table.c[c].type)
                                     for j, c in enumerate(columns)})
        if returning:
            stmt = stmt.returning(*(table.c[c] for c in returning))
        compiled = stmt.compile(dialect=dialect)
        sql = compiled.string
        at = sql.index(" VALUES ")
        # (PostgreSQL compiles an implicit RETURNING of the key even when none is asked: dropped.)
        end = sql.rindex(" RETURNING ") if " RETURNING " in sql else len(sql)
        self.head, self.row = sql[:at + len(" VALUES ")], sql[at + len(" VALUES "):end]
        self.tail = sql[end:] if returning else ""
        if not (self.row.startswith("(") and self.row.endswith(")")):
            raise RuntimeError(f"insert_rows: unexpected statement {sql!r}")   # pragma: no cover
        self.columns = columns
        self.positional = bool(compiled.positional)
        if self.positional and list(compiled.positiontup) != [f"{self.PREFIX}{j}" for j in range(len(columns))]:
            raise RuntimeError("insert_rows: unexpected parameter order")   # pragma: no cover
        self.processors = [table.c[c].type._cached_bind_processor(dialect) for c in columns]
        self.sqls: dict[int, str] = {}

    def sql(self, n: int) -> str:
        text = self.sqls.get(n)
        if text is None:
            if self.positional:
                rows = ", ".join([self.row] * n)
            else:
                rows = ", ".join(self.row.replace(self.PREFIX, f"pmprb_r{i}_") for i in range(n))
            text = self.sqls[n] = self.head + rows + self.tail
        return text

    def params(self, rows: Sequence[Mapping]):
        procs = self.processors
        flat = [p(row[c]) if p is not None else row[c]
                for row in rows for c, p in zip(self.columns, procs)]
        if self.positional:
            return tuple(flat)
        width = len(self.columns)
        return {f"pmprb_r{k // width}_{k % width}": v for k, v in enumerate(flat)}


_TEMPLATES: dict[tuple, _Template] = {}


def _complete(table: Table, rows: Sequence[dict]) -> tuple[tuple[str, ...], list[dict]] | None:
    """The column list of ``rows`` and the rows with Python-side column defaults
    filled in (as SQLAlchemy's INSERT would), or None when the rows do not all
    name the same columns (then SQLAlchemy's own statement is used)."""
    given = tuple(rows[0])
    keys = set(given)
    if any(len(r) != len(given) or r.keys() != keys for r in rows):
        return None
    missing = [c for c in table.columns if c.name not in keys and c.default is not None]
    if not missing:
        return given, list(rows)
    if any(not (c.default.is_scalar or c.default.is_callable) for c in missing):
        return None
    filled = []
    for r in rows:
        r = dict(r)
        for c in missing:
            r[c.name] = c.default.arg if c.default.is_scalar else c.default.arg(None)
        filled.append(r)
    return given + tuple(c.name for c in missing), filled


def _execute(session: Session, table: Table, chunk: Sequence[dict], returning: tuple[str, ...]):
    """One multi-row INSERT of ``chunk``; the RETURNING rows (tuples) if asked."""
    done = _complete(table, chunk)
    if done is None:
        stmt = insert(table).values(list(chunk))
        if returning:
            stmt = stmt.returning(*(table.c[c] for c in returning))
        result = session.execute(stmt)
        return [tuple(r) for r in result.all()] if returning else None
    columns, chunk = done
    # Not flushed first: the rows carry the ids they refer to, so whatever they reference is in the
    # database already; pending ORM changes (an audit event, the chain head) go out with the next flush.
    conn = session.connection()
    dialect = conn.dialect
    key = (dialect.name, dialect.paramstyle, table.name, columns, returning)
    template = _TEMPLATES.get(key)
    if template is None:
        if len(_TEMPLATES) > 256:
            _TEMPLATES.clear()
        template = _TEMPLATES[key] = _Template(dialect, table, columns, returning)
    result = conn.exec_driver_sql(template.sql(len(chunk)), template.params(chunk))
    return [tuple(r) for r in result.fetchall()] if returning else None


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
    key = tuple(key)
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if len(chunk) == 1 or not key:
            if len(chunk) > 1:
                raise ValueError("insert_rows: several rows need key columns to map ids back")
            ids.extend(r[0] for r in _execute(session, table, chunk, ("id",)))
            continue
        by_key = {tuple(r[1:]): r[0] for r in _execute(session, table, chunk, ("id", *key))}
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
        _execute(session, table, rows[start:start + CHUNK], ())
    if record is not None:
        for row in rows:
            record.put(table, row)
