"""Issue 12, part 4: verify covers every table. For each table of the SQLModel
metadata — so a table added later without coverage fails here — an insider
UPDATEs a column, INSERTs a row and DELETEs a row with plain SQL, and
``pmprb audit verify`` must exit 5 naming it under the check that owns the
table. On SQLite and PostgreSQL."""

from __future__ import annotations


import pytest
from sqlalchemy import Boolean, Float, Integer, String, Text, UniqueConstraint, select, text

from trust_support import insider, problems, verify_json

from pmprb.assessments.audit.row_checks import DEDICATED, TABLES, uncovered_tables
from pmprb.assessments.store.models import metadata
from pmprb.errors import EXIT_MISMATCH

TABLE_NAMES = sorted(metadata.tables)


def expected_checks(table: str) -> set[str]:
    """The checks allowed to name an attack on ``table``."""
    if table in DEDICATED:
        return {DEDICATED[table]}
    spec = TABLES[table]
    return {spec.check, "rounds"} if table == "assessment_round" else {spec.check}


def test_no_table_is_left_unchecked():
    assert uncovered_tables() == []
    assert set(TABLES) | set(DEDICATED) == set(metadata.tables)


def _plain(col) -> bool:
    return not col.primary_key and not col.foreign_keys and isinstance(
        col.type, (String, Text, Integer, Float, Boolean))


def _changed(value, col):
    if isinstance(col.type, Boolean):
        return not value
    if isinstance(col.type, Integer):
        return (value or 0) + 1000
    if isinstance(col.type, Float):
        return (value or 0) + 0.5
    value = str(value or "")
    if value and getattr(col.type, "length", None) and len(value) >= col.type.length:
        return value[:-1] + ("y" if value[-1] == "x" else "x")   # same length: full-length ids and hashes
    return f"{value}x"


def _first_row(conn, table):
    pk = list(table.primary_key.columns)
    return dict(conn.execute(select(table).order_by(*(c.desc() for c in pk)).limit(1)).mappings().one())


def attack_update(conn, table) -> str:
    row = _first_row(conn, table)
    col = next((c for c in table.columns if _plain(c)), None)
    if col is None:  # person_role: the key is the only data
        col = next(c for c in table.columns if c.primary_key and isinstance(c.type, String))
    where = " AND ".join(f"{c.name} = :k_{c.name}" for c in table.primary_key.columns)
    conn.execute(text(f"UPDATE {table.name} SET {col.name} = :v WHERE {where}"),
                 {"v": _changed(row[col.name], col), **{f"k_{c.name}": row[c.name] for c in table.primary_key.columns}})
    return col.name


def attack_insert(conn, table) -> None:
    row = _first_row(conn, table)
    if table.name == "person_role":
        row["role"] = "koordinator" if row["role"] != "koordinator" else "auditor"
        person = conn.execute(text("SELECT id FROM person WHERE id NOT IN "
                                   "(SELECT person_id FROM person_role WHERE role = :r) ORDER BY id"),
                              {"r": row["role"]}).scalar()
        row["person_id"] = person
    else:
        for c in table.primary_key.columns:
            if isinstance(c.type, Integer):
                row[c.name] = conn.execute(text(f"SELECT max({c.name}) FROM {table.name}")).scalar() + 1000
            else:
                row[c.name] = f"{row[c.name]}:x"
        uniques = [list(u.columns) for u in table.constraints if isinstance(u, UniqueConstraint)]
        uniques += [[c] for c in table.columns if c.unique]
        for cols in uniques:
            target = next((c for c in cols if isinstance(c.type, (String, Text))), None)
            if target is None:
                target = next((c for c in cols if isinstance(c.type, Integer) and not c.foreign_keys), cols[-1])
            row[target.name] = _changed(row[target.name], target)
    conn.execute(table.insert().values(**row))


def attack_delete(conn, table) -> None:
    row = _first_row(conn, table)
    where = " AND ".join(f"{c.name} = :{c.name}" for c in table.primary_key.columns)
    conn.execute(text(f"DELETE FROM {table.name} WHERE {where}"), {c.name: row[c.name] for c in table.primary_key.columns})


ATTACKS = {"update": attack_update, "insert": attack_insert, "delete": attack_delete}


@pytest.mark.parametrize("table_name", TABLE_NAMES)
def test_every_attack_on_every_table_is_named(full, table_name):
    table = metadata.tables[table_name]
    for name, attack in ATTACKS.items():
        url = full()
        with insider(url) as conn:
            attack(conn, table)
        res, reports = verify_json(url)
        found = problems(reports)
        assert res.exit_code == EXIT_MISMATCH, (name, table_name, res.output)
        checks = {p["check"] for p in found}
        assert checks & expected_checks(table_name), (name, table_name, [p["message"] for p in found])
        assert all(p["message"] for p in found)
