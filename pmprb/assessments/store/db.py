"""Where the data lives and how it is opened.

The URL comes from ``--db`` / ``PMPRB_DATABASE_URL``; without one, a SQLite
file ``pmprb.db`` in the user data directory (platformdirs). A plain file
path is accepted as a SQLite database too. PostgreSQL works through the same
URL (``postgresql+psycopg://user@host:port/dbname``).

Every logical write is one transaction: call :meth:`Database.run` with a
function of the session; it commits when the function returns, rolls back
when it raises, and on SQLite retries "database is locked" with backoff
before reporting :class:`DatabaseBusyError`. Library functions take a
session and never commit, so one command can combine several of them
atomically.

The schema is managed by the Alembic migrations shipped in
``pmprb/assessments/store/migrations``. A brand-new (empty) database is created at
head automatically; an older one must be upgraded with ``pmprb db upgrade``.
"""

from __future__ import annotations

import os
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import platformdirs
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from pmprb import i18n
from pmprb.errors import EXIT_CONFLICT, PmprbError, ValidationError
from pmprb.assessments.store import models  # noqa: F401  (registers every table on the metadata)

T = TypeVar("T")

ENV_URL = "PMPRB_DATABASE_URL"
ENV_EVIDENCE_DIR = "PMPRB_EVIDENCE_DIR"
DB_FILE_NAME = "pmprb.db"

SQLITE_BUSY_TIMEOUT_MS = 5000  # PMPRB_SQLITE_BUSY_TIMEOUT_MS overrides
# Whole-transaction retries after SQLite's own busy timeout gave up.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)

class DatabaseBusyError(PmprbError):
    """The database stayed locked by another writer; nothing was written."""

    exit_code = EXIT_CONFLICT


class SchemaError(PmprbError):
    """The database schema is not the one this pmprb expects."""


# ---------------------------------------------------------------------------
# locations


def default_url() -> str:
    path = Path(platformdirs.user_data_dir("pmprb", appauthor=False)) / DB_FILE_NAME
    return f"sqlite:///{path}"


def resolve_url(url: str | None = None) -> str:
    """``--db`` value, else ``PMPRB_DATABASE_URL``, else the default file.
    A value without ``://`` is a SQLite file path."""
    url = (url or os.environ.get(ENV_URL) or "").strip() or default_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    try:
        make_url(url)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError and friends
        raise ValidationError(i18n.t("db.bad_url", url=url, error=exc)) from None
    return url


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other backends or memory)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def evidence_dir(url: str) -> Path:
    """The evidence store: ``PMPRB_EVIDENCE_DIR``, else beside the SQLite
    file (``<name>.evidence/``), else in the user data directory per
    server database. A shared PostgreSQL deployment should set
    ``PMPRB_EVIDENCE_DIR`` to a shared folder."""
    env = os.environ.get(ENV_EVIDENCE_DIR, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    path = sqlite_path(url)
    if path is not None:
        return path.parent / f"{path.name}.evidence"
    u = make_url(url)
    slug = f"{u.get_backend_name()}-{u.host or 'local'}-{u.port or ''}-{u.database or ''}".replace("/", "_")
    return Path(platformdirs.user_data_dir("pmprb", appauthor=False)) / "evidence" / slug


def display_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


# ---------------------------------------------------------------------------
# engines


def busy_timeout_ms() -> int:
    raw = os.environ.get("PMPRB_SQLITE_BUSY_TIMEOUT_MS", "").strip()
    return int(raw) if raw.isdigit() else SQLITE_BUSY_TIMEOUT_MS


def sqlite_read_only(path: Path) -> str | None:
    """How a SQLite file we cannot write is opened: None when it is writable
    (or does not exist yet); ``"ro"`` when the file or its folder is not
    writable but SQLite can still keep its WAL index beside it; ``"immutable"``
    when nothing can be created there (a read-only file system or folder and
    no ``-wal``/``-shm`` left): then no writer can change it either."""
    if not path.exists():
        return None
    folder_writable = os.access(path.parent, os.W_OK)
    if folder_writable and os.access(path, os.W_OK):
        return None
    beside = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    return "ro" if folder_writable or all(p.exists() for p in beside) else "immutable"


def _make_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        kwargs: dict = {"connect_args": {"timeout": busy_timeout_ms() / 1000}}
        read_only = None
        if path is None:  # in-memory: one shared connection, or each would see an empty database
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            read_only = sqlite_read_only(path)
            if read_only is None:
                path.parent.mkdir(parents=True, exist_ok=True)
            else:
                # Read-only commands (round show, audit verify, assess show) work on a file
                # we cannot write; a write fails with "attempt to write a readonly database",
                # which pmprb.faults names.
                import sqlite3
                from urllib.parse import quote

                uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if read_only == "immutable" else "")
                timeout = busy_timeout_ms() / 1000
                kwargs = {"creator": lambda: sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)}
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, in_memory=path is None, read_only=read_only is not None)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, in_memory: bool, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's "begin" event decide how transactions start (see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
        if not in_memory and not read_only:  # setting the journal mode writes the file
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the write lock up front: a deferred transaction that
        # reads and then writes can fail at once with SQLITE_BUSY when another
        # writer got in between, which busy_timeout cannot wait out.
        if conn.get_execution_options().get("pmprb_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(url: str) -> Engine:
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _make_engine(url)
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, and before forking)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _checked.clear()


# ---------------------------------------------------------------------------
# errors worth retrying


def is_locked_error(exc: BaseException) -> bool:
    """SQLite "database is locked/busy", PostgreSQL serialization failure or deadlock."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in ("40001", "40P01", "55P03"):
        return True
    msg = str(orig).lower()
    return isinstance(exc, OperationalError) and ("database is locked" in msg or "database is busy" in msg)


# ---------------------------------------------------------------------------
# the database handle


@dataclass
class Database:
    url: str
    engine: Engine

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def evidence_dir(self) -> Path:
        return evidence_dir(self.url)

    def session(self) -> Session:
        """A session for reading (the caller closes it; use as a context manager)."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll back on error.
        No retry here; prefer :meth:`run` for whole operations."""
        session = Session(self.engine.execution_options(pmprb_write=True), expire_on_commit=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def run(self, operation: Callable[[Session], T], *, delays: tuple[float, ...] = RETRY_DELAYS) -> T:
        """Run ``operation(session)`` as one transaction and return its result.

        The whole operation is retried while the database is locked by another
        writer (it must therefore not have side effects outside the session,
        or make them idempotent); after the last attempt
        :class:`DatabaseBusyError` says so clearly.
        """
        started = time.monotonic()
        for attempt in range(len(delays) + 1):
            try:
                with self.transaction() as session:
                    return operation(session)
            except DBAPIError as exc:
                if not is_locked_error(exc):
                    raise
                if attempt == len(delays):
                    raise DatabaseBusyError(i18n.t(
                        "db.busy", tries=attempt + 1, seconds=time.monotonic() - started,
                        url=display_url(self.url))) from exc
                # Jitter keeps two waiting writers from retrying in lockstep.
                time.sleep(delays[attempt] * (1 + random.random() / 2))
        raise AssertionError("unreachable")


_checked: set[str] = set()


def open_db(url: str | None = None, *, auto_create: bool = True, check_schema: bool = True) -> Database:
    """Open the database at ``url`` (resolved as in :func:`resolve_url`).

    A brand-new database is migrated to head when ``auto_create`` is true;
    otherwise, with ``check_schema``, a schema behind or ahead of this pmprb
    raises :class:`SchemaError` naming the fix.
    """
    from pmprb.assessments.store import migrate  # late import: Alembic is only needed when opening

    url = resolve_url(url)
    db = Database(url=url, engine=get_engine(url))
    if check_schema and url not in _checked:
        try:
            status = migrate.status(db)
        except OperationalError as exc:
            raise _open_fault(url, exc) or SchemaError(
                i18n.t("db.unreachable", url=display_url(url), error=" ".join(str(exc.orig).split()))) from None
        if status.is_new and auto_create:
            migrate.upgrade(db)
        elif status.is_new or not status.at_head:
            if status.unknown:
                raise SchemaError(i18n.t("db.newer", url=display_url(url), current=", ".join(status.current)))
            if status.foreign:
                raise SchemaError(i18n.t("db.foreign", url=display_url(url)))
            raise SchemaError(i18n.t("db.needs_upgrade", url=display_url(url),
                                     current=", ".join(status.current) or "(kosong)",
                                     heads=", ".join(status.heads)))
        _checked.add(url)
    return db


def _open_fault(url: str, exc: OperationalError) -> PmprbError | None:
    """A database that cannot be opened because of the machine: a full disk
    (SQLite says "disk I/O error" when it cannot create its WAL index),
    a read-only place, a lost server."""
    from pmprb import faults

    path = sqlite_path(url)
    if path is not None and "disk i/o error" in str(exc.orig).lower():
        import shutil

        try:
            if shutil.disk_usage(path.parent).free < 1024 * 1024:
                return faults.DiskFullError(i18n.t("fault.disk_full", where=display_url(url)))
        except OSError:
            pass
    fault = faults.from_db_error(exc, display_url(url))
    # A server that cannot be reached at all is "cannot open the database", not a connection lost midway.
    return None if isinstance(fault, faults.ConnectionLostError) else fault


def table_names(db: Database) -> list[str]:
    return sorted(inspect(db.engine).get_table_names())


def ping(db: Database) -> None:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
