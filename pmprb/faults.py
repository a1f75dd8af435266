"""Faults of the machine, not of the input: each a named error with one line
and a documented exit code (README, "Exit codes").

- disk full (SQLite "database or disk is full", PostgreSQL 53100, ``ENOSPC``,
  ``EDQUOT``) -> :class:`DiskFullError`, exit 8;
- read-only file system or database (``EROFS``, SQLite "attempt to write a
  readonly database", PostgreSQL 25006) -> :class:`ReadOnlyError`, exit 8;
- permission denied (``EACCES``/``EPERM``: the evidence store, an output
  file) -> :class:`PermissionDeniedError`, exit 8;
- the database connection lost mid-command (PostgreSQL restarted or the
  session terminated, SQLSTATE class 08 or 57P0x) ->
  :class:`ConnectionLostError`, exit 9;
- a database still locked by another writer after the retries ->
  :class:`pmprb.assessments.store.db.DatabaseBusyError`, exit 4 (raised by
  ``Database.run``; :func:`classify` maps a lock met outside it the same way).

Nothing is half-written: every write is one transaction (rolled back by the
database when it fails) and files are written to a temporary name and
renamed. :func:`classify` is called by the one CLI error handler
(``pmprb.cli.PmprbGroup.invoke``), not per command. It imports no database
library: it looks at the exception's class names and its ``orig``.
"""

from __future__ import annotations

import errno

from pmprb import i18n
from pmprb.errors import EXIT_CONFLICT, EXIT_CONNECTION, EXIT_STORAGE, PmprbError

class FaultError(PmprbError):
    """A fault of the machine (disk, file system, permissions, network)."""

    exit_code = EXIT_STORAGE


class DiskFullError(FaultError):
    exit_code = EXIT_STORAGE


class ReadOnlyError(FaultError):
    exit_code = EXIT_STORAGE


class PermissionDeniedError(FaultError):
    exit_code = EXIT_STORAGE


class ConnectionLostError(FaultError):
    exit_code = EXIT_CONNECTION


class LockedError(FaultError):
    exit_code = EXIT_CONFLICT


_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_PERMISSION = (errno.EACCES, errno.EPERM)


def from_os_error(exc: OSError, where: str | None = None, *, reading: bool | None = None) -> FaultError | None:
    """The fault an ``OSError`` stands for, or None when it is not one
    (a missing file is the caller's to word)."""
    where = where or exc.filename or "?"
    if exc.errno in _DISK_FULL:
        return DiskFullError(i18n.t("fault.disk_full", where=where))
    if exc.errno == errno.EROFS:
        return ReadOnlyError(i18n.t("fault.read_only", where=where))
    if exc.errno in _PERMISSION:
        return PermissionDeniedError(i18n.t("fault.permission", where=where,
                                            what=i18n.t({True: "fault.what_read", False: "fault.what_write",
                                                         None: "fault.what_access"}[reading])))
    if exc.errno == errno.EIO:
        return FaultError(i18n.t("fault.io", where=where, reason=exc.strerror or exc))
    return None


def _sqlstate(orig) -> str:
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def from_db_error(exc: BaseException, where: str | None = None) -> FaultError | None:
    """The fault a SQLAlchemy ``DBAPIError`` (or a bare driver error) stands
    for, or None."""
    orig = getattr(exc, "orig", None) or exc
    where = where or i18n.t("fault.the_database")
    state = _sqlstate(orig)
    text = str(orig).strip()
    low = text.lower()
    first = text.splitlines()[0] if text else type(orig).__name__
    if "database or disk is full" in low or state == "53100" or "no space left on device" in low:
        return DiskFullError(i18n.t("fault.disk_full", where=where))
    if "readonly database" in low or "read-only" in low and "file system" in low or state == "25006":
        return ReadOnlyError(i18n.t("fault.read_only_db", where=where))
    if "database is locked" in low or "database is busy" in low:
        return LockedError(i18n.t("fault.locked", where=where))
    if "disk i/o error" in low:
        return FaultError(i18n.t("fault.io", where=where, reason=first))
    if (getattr(exc, "connection_invalidated", False) or state.startswith("08") or state in ("57P01", "57P02", "57P03")
            or any(m in low for m in ("server closed the connection", "connection is lost", "connection is closed",
                                      "terminating connection", "consuming input failed",
                                      "connection refused", "could not receive data", "ssl connection has been closed"))):
        return ConnectionLostError(i18n.t("fault.connection_lost", where=where, reason=first[:200]))
    return None


def classify(exc: BaseException, where: str | None = None) -> FaultError | None:
    """The named fault behind ``exc`` (looking through its cause chain), or
    None when ``exc`` is no fault of the machine."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, FaultError):
            return exc
        if isinstance(exc, OSError):
            fault = from_os_error(exc)
            if fault is not None:
                return fault
        elif _is_db_error(exc):
            fault = from_db_error(exc, where)
            if fault is not None:
                return fault
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _is_db_error(exc: BaseException) -> bool:
    """A SQLAlchemy DBAPIError or a DB-API driver error, without importing either."""
    module = type(exc).__module__ or ""
    return module.startswith(("sqlalchemy", "sqlite3", "psycopg")) or hasattr(exc, "orig")


__all__ = ["FaultError", "DiskFullError", "ReadOnlyError", "PermissionDeniedError", "ConnectionLostError",
           "LockedError", "classify", "from_os_error", "from_db_error"]
