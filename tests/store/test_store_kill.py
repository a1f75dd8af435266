"""SIGKILL in the middle of a large import leaves the database exactly as
before the import, and usable (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from pmprb.assessments import wiring
from pmprb.assessments.setup import units
from pmprb.assessments.store.db import dispose_engines, open_db, sqlite_path

N_UNITS = 10000
PMPRB = [sys.executable, "-c", "from pmprb.cli import cli_entry; cli_entry()"]


def test_killed_unit_import_changes_nothing(world, tmp_path):
    big = tmp_path / "units.csv"
    big.write_text("kode,nama\n" + "".join(f"OPD-{i:05d},Perangkat Daerah {i}\n" for i in range(N_UNITS)),
                   encoding="utf-8")
    with world.db.session() as s:
        before = [(u.code, u.name) for u in units.list_units(s)]
        head_before = wiring.verify(s, None).head_hash
    env = dict(os.environ, PMPRB_DATABASE_URL=world.db.url, PMPRB_USER="admin", PMPRB_LANG="en")
    proc = subprocess.Popen([*PMPRB, "unit", "import", str(big)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stderr:  # progress lines: rows already flushed inside the open transaction
        seen.append(line)
        if line.startswith("importing units: ") and int(line.split()[-1].split("/")[0]) >= 2000:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    dispose_engines()

    db = open_db(world.db.url)
    with db.session() as s:
        assert [(u.code, u.name) for u in units.list_units(s)] == before
        rep = wiring.verify(s, None)
        assert rep.ok and rep.head_hash == head_before
    path = sqlite_path(db.url)
    if path is not None:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    small = tmp_path / "small.csv"
    small.write_text("code,name\nOPD-00001,Perangkat Daerah 1\nDISKOMINFO,Dinas Komunikasi dan Informatika\n")
    res = subprocess.run([*PMPRB, "unit", "import", str(small)], env=env,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    with db.session() as s:
        assert len(units.list_units(s)) == len(before) + 2
        assert wiring.verify(s, None).ok
