"""Faults of the machine as named errors (issue 15, item 4): a full disk, a
read-only file system or database file, a database locked past its retries,
a PostgreSQL connection lost mid-command, an evidence store that refuses
writes. Each ends in one line (Indonesian; English with --lang en), its
documented exit code, and nothing half-written; read-only commands work on a
read-only SQLite file.

Real faults, not mocks: a small tmpfs fills up; a tmpfs is remounted
read-only; an unprivileged user (``setpriv``) meets a file mode root would
ignore; ``chattr +i`` refuses even root; a second connection holds the lock
or terminates the backend. Each test skips, saying why, where the machine
does not allow it (no root, no mount, no PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.errors import EXIT_CONFLICT, EXIT_CONNECTION, EXIT_STORAGE

PMPRB = [sys.executable, "-m", "pmprb.cli"]


def cli(db: str, *args, actor: str | None = "admin", lang: str | None = None):
    full = ["--db", db] + (["--lang", lang] if lang else []) + (["--as", actor] if actor else []) + list(args)
    return CliRunner().invoke(main, full)


def ok(res):
    assert res.exit_code == 0, res.output
    return res


def one_line_error(res, code: int, *fragments: str) -> str:
    assert res.exit_code == code, (res.exit_code, res.output, res.exception)
    # progress lines ("mengimpor unit: 5000/5000") may come first; the error is one last line
    lines = [line for line in res.stderr.splitlines() if line.strip()][-1:]
    assert lines and lines[0].startswith(("Galat: ", "Error: ")), res.stderr
    assert sum(line.startswith(("Galat: ", "Error: ", "  ")) for line in res.stderr.splitlines()) == 1, res.stderr
    assert "Traceback" not in res.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def build(db: str) -> None:
    """An institution, a unit, a koordinator and a round, through the CLI."""
    ok(cli(db, "init", "--institution-code", "kota-k", "--institution", "Kota K", "--admin", "admin",
           "--admin-name", "Admin", actor=None))
    ok(cli(db, "unit", "add", "DINKES", "Dinas Kesehatan"))
    ok(cli(db, "person", "add", "kora", "--name", "Kora", "--role", "koordinator"))
    ok(cli(db, "person", "add", "ani", "--name", "Ani", "--role", "asesor"))
    ok(cli(db, "round", "create", "--year", "2024", actor="kora"))
    ok(cli(db, "assign", "--round", "2024", "--assessor", "ani", "--unit", "DINKES", "--area", "MP", actor="kora"))


def units_of(db: str) -> list[str]:
    import json

    return [u["code"] for u in json.loads(ok(cli(db, "unit", "list", "--json")).stdout)]


def _dispose():
    from pmprb.assessments.store.db import dispose_engines

    dispose_engines()


@pytest.fixture
def tmpfs(tmp_path):
    """mount(size) -> a folder on a fresh tmpfs of that size; ro() remounts it read-only."""
    mounted: list[Path] = []

    class Mount:
        def __call__(self, size: str = "8m") -> Path:
            where = tmp_path / f"tmpfs{len(mounted)}"
            where.mkdir()
            res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                                 capture_output=True, text=True)
            if res.returncode != 0:
                pytest.skip(f"cannot mount a tmpfs here (needs root in a namespace that allows it): "
                            f"{res.stderr.strip()}")
            mounted.append(where)
            return where

        def ro(self, where: Path) -> None:
            _dispose()
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)

        def rw(self, where: Path) -> None:
            _dispose()
            subprocess.run(["mount", "-o", "remount,rw", str(where)], check=True)

    yield Mount()
    _dispose()
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` up, then give ``leave`` bytes back."""
    path = folder / "fill"
    # Unbuffered: a buffered file would try to flush the block that did not fit again on close.
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    if leave:
        os.truncate(path, max(0, path.stat().st_size - leave))
    return path


# ---------------------------------------------------------------------------
# disk full


def test_disk_full_during_an_import_is_named_and_writes_nothing(tmpfs, tmp_path):
    disk = tmpfs("8m")
    db = str(disk / "pmprb.db")
    build(db)
    big = tmp_path / "units.csv"
    big.write_text("code,name\n" + "".join(f"U{i},Unit nomor {i} {'x' * 200}\n" for i in range(5000)))
    _dispose()
    filler = fill(disk, leave=192 * 1024)
    res = cli(db, "unit", "import", str(big))
    one_line_error(res, EXIT_STORAGE, "disk penuh", "tidak ada yang diubah", str(disk / "pmprb.db"))
    res = cli(db, "unit", "import", str(big), lang="en")
    one_line_error(res, EXIT_STORAGE, "disk full", "nothing was changed")
    filler.unlink()
    _dispose()
    assert units_of(db) == ["DINKES"]
    ok(cli(db, "audit", "verify"))


def test_a_disk_too_full_to_open_the_database_is_named(tmpfs):
    disk = tmpfs("8m")
    db = str(disk / "pmprb.db")
    build(db)
    _dispose()
    filler = fill(disk)
    one_line_error(cli(db, "unit", "list"), EXIT_STORAGE, "disk penuh")
    filler.unlink()
    assert units_of(db) == ["DINKES"]


# ---------------------------------------------------------------------------
# read-only


def test_read_only_file_system_reads_work_and_writes_are_named(tmpfs):
    disk = tmpfs("8m")
    db = str(disk / "pmprb.db")
    build(db)
    tmpfs.ro(disk)
    assert "2024" in ok(cli(db, "round", "show", "2024")).stdout
    assert "MP.1.a" in ok(cli(db, "assess", "show", "--round", "2024", "--unit", "DINKES", actor="ani")).output
    assert "rantai utuh" in ok(cli(db, "audit", "verify")).output
    assert units_of(db) == ["DINKES"]
    res = cli(db, "unit", "add", "BAPPEDA", "Badan Perencanaan")
    one_line_error(res, EXIT_STORAGE, "hanya dapat dibaca", "tidak ada yang diubah")
    one_line_error(cli(db, "unit", "add", "BAPPEDA", "Badan", lang="en"), EXIT_STORAGE, "read-only",
                   "Read-only commands still work")
    tmpfs.rw(disk)
    assert units_of(db) == ["DINKES"]


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        pytest.skip("needs root to run pmprb as the unprivileged user nobody (root ignores file modes)")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    # A checkout in a private folder (e.g. `mktemp -d`, mode 0700) cannot be imported by nobody.
    probe = subprocess.run(prefix + [sys.executable, "-c", "import pmprb.cli"], capture_output=True, text=True,
                           timeout=60, cwd="/")
    if probe.returncode != 0:
        pytest.skip(f"the user nobody cannot import pmprb from this checkout: {probe.stderr.strip()[-200:]}")
    return prefix


def _as_nobody(prefix: list[str], db: Path, *args: str, lang: str = "id") -> subprocess.CompletedProcess:
    env = {**os.environ, "PMPRB_DATABASE_URL": str(db), "PMPRB_LANG": lang, "HOME": str(db.parent),
           "XDG_DATA_HOME": str(db.parent / "xdg"), "PMPRB_EVIDENCE_DIR": str(db.parent / "evidence")}
    env.pop("PMPRB_USER", None)
    return subprocess.run(prefix + PMPRB + list(args), capture_output=True, text=True, env=env, timeout=120,
                          cwd=db.parent)


@pytest.mark.parametrize("folder_writable", [True, False], ids=["file-read-only", "folder-read-only"])
def test_read_only_database_file_for_another_user(folder_writable):
    prefix = _unprivileged()
    top = Path(tempfile.mkdtemp(prefix="pmprb-ro-"))
    try:
        top.chmod(0o777 if folder_writable else 0o755)
        db = top / "pmprb.db"
        build(str(db))
        _dispose()
        db.chmod(0o644)  # owned by root: nobody reads it, cannot write it
        for args in (["round", "show", "2024"], ["audit", "verify"], ["unit", "list"],
                     ["assess", "show", "--round", "2024", "--unit", "DINKES", "--as", "ani"]):
            res = _as_nobody(prefix, db, "--as", "admin", *args)
            assert res.returncode == 0, (args, res.stdout, res.stderr)
        res = _as_nobody(prefix, db, "--as", "admin", "unit", "add", "BAPPEDA", "Badan Perencanaan")
        assert res.returncode == EXIT_STORAGE, (res.stdout, res.stderr)
        assert res.stderr.strip().count("\n") == 0 and "hanya dapat dibaca" in res.stderr, res.stderr
        res = _as_nobody(prefix, db, "--as", "admin", "unit", "add", "BAPPEDA", "Badan", lang="en")
        assert res.returncode == EXIT_STORAGE and "Error: the database" in res.stderr and "read-only" in res.stderr
        assert units_of(str(db)) == ["DINKES"]
    finally:
        _dispose()
        shutil.rmtree(top, ignore_errors=True)


# ---------------------------------------------------------------------------
# locked


def test_database_locked_past_its_retries(tmp_path, monkeypatch):
    db = str(tmp_path / "pmprb.db")
    build(db)
    _dispose()
    monkeypatch.setenv("PMPRB_SQLITE_BUSY_TIMEOUT_MS", "50")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        res = cli(db, "unit", "add", "BAPPEDA", "Badan Perencanaan")
        one_line_error(res, EXIT_CONFLICT, "terkunci", "Coba lagi")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert units_of(db) == ["DINKES"]


# ---------------------------------------------------------------------------
# evidence store


def test_evidence_store_permission_denied(tmp_path, monkeypatch):
    if shutil.which("chattr") is None:
        pytest.skip("chattr (e2fsprogs) is not installed")
    store = tmp_path / "evidence"
    store.mkdir()
    monkeypatch.setenv("PMPRB_EVIDENCE_DIR", str(store))
    db = str(tmp_path / "pmprb.db")
    build(db)
    doc = tmp_path / "sk.pdf"
    doc.write_bytes(b"%PDF-1.4 SK Tim RB\n")
    res = subprocess.run(["chattr", "+i", str(store)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"chattr +i is not allowed here: {res.stderr.strip()}")
    try:
        args = ("evidence", "add", str(doc), "--round", "2024", "--unit", "DINKES", "--criterion", "MP.1.a",
                "--title", "SK Tim RB", "--date", "02-01-2024")
        res = cli(db, *args, actor="kora")
        one_line_error(res, EXIT_STORAGE, "izin ditolak", "penyimpanan bukti dukung", str(store))
        one_line_error(cli(db, *args, actor="kora", lang="en"), EXIT_STORAGE, "permission denied",
                       "the evidence store")
    finally:
        subprocess.run(["chattr", "-i", str(store)], check=True)
    assert list(store.iterdir()) == []
    import json

    listed = json.loads(ok(cli(db, "evidence", "list", "--round", "2024", "--unit", "DINKES", "--json",
                               actor="kora")).stdout)
    assert not (listed.get("documents") if isinstance(listed, dict) else listed), listed


# ---------------------------------------------------------------------------
# PostgreSQL connection lost mid-command


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_lost_postgresql_connection_mid_command(db_url, pg_admin_url, monkeypatch):
    import psycopg

    from pmprb.assessments.setup import units

    build(db_url)
    conninfo = pg_admin_url.replace("postgresql+psycopg://", "postgresql://")
    original = units.add_unit

    def add_unit_after_the_server_dropped_us(session, *a, **kw):
        pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with psycopg.connect(conninfo, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return original(session, *a, **kw)

    monkeypatch.setattr(units, "add_unit", add_unit_after_the_server_dropped_us)
    res = cli(db_url, "unit", "add", "BAPPEDA", "Badan Perencanaan")
    one_line_error(res, EXIT_CONNECTION, "terputus", "tidak ada yang diubah")
    res = cli(db_url, "unit", "add", "BAPPEDA", "Badan Perencanaan", lang="en")
    one_line_error(res, EXIT_CONNECTION, "connection", "was lost")
    monkeypatch.setattr(units, "add_unit", original)
    _dispose()
    assert units_of(db_url) == ["DINKES"]


# ---------------------------------------------------------------------------
# the mapping itself (fast, no machine needed)


@pytest.mark.parametrize("err, kind, code", [
    (OSError(28, "No space left on device", "/x/out.xlsx"), "DiskFullError", EXIT_STORAGE),
    (OSError(30, "Read-only file system", "/x/out.xlsx"), "ReadOnlyError", EXIT_STORAGE),
    (PermissionError(13, "Permission denied", "/x/store"), "PermissionDeniedError", EXIT_STORAGE),
    (sqlite3.OperationalError("database or disk is full"), "DiskFullError", EXIT_STORAGE),
    (sqlite3.OperationalError("attempt to write a readonly database"), "ReadOnlyError", EXIT_STORAGE),
    (sqlite3.OperationalError("database is locked"), "LockedError", EXIT_CONFLICT),
])
def test_classify(err, kind, code):
    from sqlalchemy.exc import OperationalError

    from pmprb import faults

    for exc in (err, OperationalError("INSERT ...", {}, err)):
        if isinstance(err, OSError) and exc is not err:
            continue
        fault = faults.classify(exc, "sqlite:////x/pmprb.db")
        assert type(fault).__name__ == kind and fault.exit_code == code
        assert "\n" not in str(fault)


def test_classify_looks_through_the_cause_and_leaves_other_errors_alone():
    from pmprb import faults

    try:
        try:
            raise OSError(28, "No space left on device")
        except OSError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert isinstance(faults.classify(outer), faults.DiskFullError)
    assert faults.classify(ValueError("no fault")) is None
    assert faults.classify(FileNotFoundError(2, "No such file or directory", "x")) is None


def test_written_files_name_themselves_when_the_disk_fills(tmp_path):
    from pmprb import faults
    from pmprb.safe_output import write_atomically

    target = tmp_path / "out.csv"

    def write(tmp):
        tmp.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError) as err:
        write_atomically(target, write)
    assert err.value.filename == str(target)
    assert "disk penuh" in str(faults.classify(err.value)) and str(target) in str(faults.classify(err.value))
    assert list(tmp_path.iterdir()) == []  # no half file, no temporary file
