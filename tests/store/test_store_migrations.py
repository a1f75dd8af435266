"""The shipped migrations create exactly the models' schema (the equivalent
of ``alembic check``): a model change without a migration fails here."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, text

from pmprb.assessments.store import db as dbmod, migrate
from pmprb.assessments.store.models import metadata


def test_new_database_is_created_at_head(empty_db_url):
    db = dbmod.open_db(empty_db_url)
    st = migrate.status(db)
    assert st.at_head and st.current == migrate.script_heads()
    assert set(metadata.tables) <= set(dbmod.table_names(db))


def test_quick_heads_agree_with_alembic():
    assert migrate.script_heads() == migrate.alembic_heads()


def test_models_match_migrations(db):
    assert migrate.diff(db) == [], "models changed without a migration: run python tools/new_migration.py"


def test_check_notices_a_model_change_without_migration(db):
    changed = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["answer"].append_column(Column("confidence", Integer, nullable=True))
    diffs = migrate.diff(db, changed)
    assert any(d[0] == "add_column" and d[3].name == "confidence" for d in diffs)


def test_new_database_without_auto_create_asks_for_upgrade(empty_db_url):
    with pytest.raises(dbmod.SchemaError, match="pmprb db upgrade"):
        dbmod.open_db(empty_db_url, auto_create=False)
    db = dbmod.open_db(empty_db_url, auto_create=False, check_schema=False)
    assert migrate.upgrade(db).at_head


def test_database_from_a_newer_pmprb_is_refused(db_url):
    db = dbmod.open_db(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    dbmod.dispose_engines()
    with pytest.raises(dbmod.SchemaError, match="lebih baru"):
        dbmod.open_db(db_url)


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_foreign_database_is_refused(empty_db_url):
    db = dbmod.open_db(empty_db_url, check_schema=False)
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE something_else (x INTEGER)"))
    with pytest.raises(dbmod.SchemaError, match="bukan basis data pmprb"):
        dbmod.open_db(empty_db_url)


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_sqlite_pragmas(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == dbmod.SQLITE_BUSY_TIMEOUT_MS


def test_plain_path_is_a_sqlite_url(tmp_path):
    url = dbmod.resolve_url(str(tmp_path / "x.db"))
    assert url == f"sqlite:///{tmp_path / 'x.db'}"
    assert dbmod.evidence_dir(url) == tmp_path / "x.db.evidence"


def test_default_database_is_in_user_data_dir(tmp_path):
    url = dbmod.resolve_url(None)
    assert url.startswith("sqlite:///") and url.endswith("/pmprb/pmprb.db")
    assert str(tmp_path) in url  # XDG_DATA_HOME points into tmp_path (tests/conftest.py)
