"""Shared fixtures for every test package.

Databases
---------
``db_url``
    A fresh database already migrated to head, for one test. Parametrized
    over the backends: ``sqlite`` (a file in ``tmp_path``) and
    ``postgresql`` (a new database on the server named by
    ``PMPRB_TEST_POSTGRES_URL``, dropped afterwards). Without that variable
    the PostgreSQL case is skipped, saying so. Each backend builds one
    migrated template per test session and copies it per test, so a fresh
    database costs milliseconds. To run a test on one backend only::

        @pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)

``empty_db_url``
    Like ``db_url`` but with no schema at all (tests of automatic creation
    and of ``pmprb db upgrade``).
``db``
    ``pmprb.assessments.store.db.Database`` opened on ``db_url``.
``db_from_template``
    A factory for tests that need the same populated database many times:
    ``url = db_from_template("my-key", build)`` runs ``build(Database)``
    once per test session and backend (on a fresh migrated database) and
    returns the URL of a private copy for this test.
``pg_admin_url``
    The PostgreSQL server URL (skips when unset), for tests that manage
    databases themselves.

Environment isolation (autouse)
-------------------------------
Every test runs with ``XDG_DATA_HOME`` in its ``tmp_path`` (so the default
database and evidence store never touch the real user directory), without
``PMPRB_DATABASE_URL``, ``PMPRB_USER``, ``PMPRB_LANG``, ``PMPRB_EVIDENCE_DIR``
and ``PMPRB_NO_INPUT`` from the developer's shell, with the message language
reset to Bahasa Indonesia afterwards, and with cached database engines
disposed. The database fixtures set ``PMPRB_EVIDENCE_DIR`` to
``tmp_path / "evidence"`` for both backends.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path

import pytest

PG_ENV = "PMPRB_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
_ISOLATED_ENV = ("PMPRB_DATABASE_URL", "PMPRB_USER", "PMPRB_LANG", "PMPRB_EVIDENCE_DIR", "PMPRB_NO_INPUT")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for name in _ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    yield
    from pmprb import i18n
    from pmprb.assessments.store.db import dispose_engines

    i18n.set_lang(None)
    dispose_engines()


@pytest.fixture
def english():
    """Messages in English, for a test that asserts English texts (the default
    is Bahasa Indonesia); reset by :func:`_isolated_env`."""
    from pmprb import i18n

    i18n.set_lang("en")


# ---------------------------------------------------------------------------
# PostgreSQL plumbing


def _pg_url() -> str | None:
    return os.environ.get(PG_ENV, "").strip() or None


def _pg_conninfo(url: str, dbname: str | None = None) -> str:
    """SQLAlchemy URL -> libpq URL (psycopg), optionally for another database."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if dbname:
        u = u.set(database=dbname)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlalchemy_url(url: str, dbname: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url).set(database=dbname)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def _pg_admin(sql: str, url: str) -> None:
    import psycopg

    with psycopg.connect(_pg_conninfo(url), autocommit=True) as conn:
        conn.execute(sql)


_counter = itertools.count(1)
_SESSION_TAG = uuid.uuid4().hex[:8]


def _pg_new_name(kind: str) -> str:
    return f"pmprb_t_{_SESSION_TAG}_{kind}_{next(_counter)}"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = _pg_url()
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres)")
    return url


# ---------------------------------------------------------------------------
# migrated templates, one per backend and test session


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    from pmprb.assessments.store.db import dispose_engines, open_db

    path = tmp_path_factory.mktemp("db-template") / "template.db"
    open_db(f"sqlite:///{path}")
    dispose_engines()  # checkpoints the WAL into the file before it is copied
    return path


@pytest.fixture(scope="session")
def _pg_template(pg_admin_url):
    from pmprb.assessments.store.db import dispose_engines, open_db

    name = f"pmprb_t_{_SESSION_TAG}_template"
    _pg_admin(f'CREATE DATABASE "{name}"', pg_admin_url)
    open_db(_sqlalchemy_url(pg_admin_url, name))
    dispose_engines()
    yield name
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', pg_admin_url)


@pytest.fixture(params=BACKENDS)
def db_backend(request) -> str:
    if request.param == "postgresql" and not _pg_url():
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres)")
    return request.param


@pytest.fixture
def db_url(request, db_backend, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("PMPRB_EVIDENCE_DIR", str(tmp_path / "evidence"))
    if db_backend == "sqlite":
        path = tmp_path / "pmprb.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin = request.getfixturevalue("pg_admin_url")
    template = request.getfixturevalue("_pg_template")
    name = _pg_new_name("db")
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"', admin)
    yield _sqlalchemy_url(admin, name)
    from pmprb.assessments.store.db import dispose_engines

    dispose_engines()
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin)


@pytest.fixture
def empty_db_url(request, db_backend, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("PMPRB_EVIDENCE_DIR", str(tmp_path / "evidence"))
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = request.getfixturevalue("pg_admin_url")
    name = _pg_new_name("empty")
    _pg_admin(f'CREATE DATABASE "{name}"', admin)
    yield _sqlalchemy_url(admin, name)
    from pmprb.assessments.store.db import dispose_engines

    dispose_engines()
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin)


@pytest.fixture(scope="session")
def _built_templates(request):
    made: dict[tuple[str, str], object] = {}
    yield made
    for (backend, _key), ref in made.items():
        if backend == "postgresql":
            from pmprb.assessments.store.db import dispose_engines

            dispose_engines()
            _pg_admin(f'DROP DATABASE IF EXISTS "{ref}" WITH (FORCE)', _pg_url())


@pytest.fixture
def db_from_template(request, db_backend, tmp_path, tmp_path_factory, monkeypatch, _built_templates):
    from pmprb.assessments.store.db import dispose_engines, open_db

    monkeypatch.setenv("PMPRB_EVIDENCE_DIR", str(tmp_path / "evidence"))
    created: list[str] = []

    def make(key: str, build) -> str:
        ref = _built_templates.get((db_backend, key))
        if db_backend == "sqlite":
            if ref is None:
                ref = tmp_path_factory.mktemp(f"tpl-{key}") / "template.db"
                shutil.copyfile(request.getfixturevalue("_sqlite_template"), ref)
                build(open_db(f"sqlite:///{ref}"))
                dispose_engines()
                _built_templates[(db_backend, key)] = ref
            path = tmp_path / f"{key}.db"
            shutil.copyfile(ref, path)
            return f"sqlite:///{path}"
        admin = request.getfixturevalue("pg_admin_url")
        if ref is None:
            ref = _pg_new_name("tpl")
            _pg_admin(f'CREATE DATABASE "{ref}" TEMPLATE "{request.getfixturevalue("_pg_template")}"', admin)
            _built_templates[(db_backend, key)] = ref
            build(open_db(_sqlalchemy_url(admin, ref)))
            dispose_engines()
        name = _pg_new_name("db")
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{ref}"', admin)
        created.append(name)
        return _sqlalchemy_url(admin, name)

    yield make
    if created:
        dispose_engines()
        for name in created:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', _pg_url())


@pytest.fixture
def db(db_url):
    from pmprb.assessments.store.db import open_db

    return open_db(db_url)
