"""Two separate processes writing to the same round at the same moment
(SQLite and PostgreSQL): different answers both land, the same answer gives
the second writer a conflict naming who changed it, the chain stays whole."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers
from pmprb.assessments.store import audit_log
from pmprb.assessments.setup import people, units, round_work
from pmprb.assessments.setup.assignments import assigned_criteria

WRITER = textwrap.dedent('''
    import json, os, sys, time
    from pmprb.assessments.assess import answers
    from pmprb.assessments.setup import round_work, rounds, units
    from pmprb.assessments.store.db import open_db
    from pmprb.assessments.setup.permissions import resolve_actor
    from pmprb.errors import PmprbError

    url, who, go, jobs = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    db = open_db(url)
    with db.session() as s:   # warm up: connect and load the instrument before the start signal
        round_work.instrument_for(rounds.get_round(s, "2024"))
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.005)
    out = []
    for criterion, answer, version in jobs:
        def op(s):
            actor = resolve_actor(s, who)
            a = answers.save_answer(s, actor, rounds.get_round(s, "2024"), units.get_unit(s, "DINKES"),
                                    criterion, answer, f"oleh {who}", expected_version=version)
            return a.version
        try:
            out.append({"criterion": criterion, "ok": True, "version": db.run(op)})
        except PmprbError as exc:
            out.append({"criterion": criterion, "ok": False, "error": type(exc).__name__,
                        "exit_code": exc.exit_code, "message": str(exc)})
    print(json.dumps(out), flush=True)
''')


def run_together(tmp_path, url, jobs_by_who: list[tuple[str, list]]) -> list[list[dict]]:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, str(script), url, who, str(go), json.dumps(jobs)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who, jobs in jobs_by_who]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    go.write_text("go")
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.fixture
def opened(world):
    kora = world.actor("kora")
    world.run(lambda s: wiring.open_round(s, kora, world.rnd(s)))
    return world


def test_different_criteria_from_two_processes_all_succeed(opened, tmp_path):
    with opened.db.session() as s:
        rnd, unit = opened.rnd(s), units.get_unit(s, "DINKES")
        inst = round_work.instrument_for(rnd)
        jobs = {}
        for who in ("ani", "budi"):
            p = people.get_person(s, who)
            jobs[who] = [(c, list(inst.criterion(c).values)[0], 0) for c in assigned_criteria(s, rnd, unit.id, p.id)]
    res_ani, res_budi = run_together(tmp_path, opened.db.url, [("ani", jobs["ani"]), ("budi", jobs["budi"])])
    assert all(r["ok"] for r in res_ani + res_budi), [r for r in res_ani + res_budi if not r["ok"]]
    with opened.db.session() as s:
        rnd = opened.rnd(s)
        assert len(answers.answers_of(s, rnd, units.get_unit(s, "DINKES").id, people.get_person(s, "ani").id)) \
            == len(jobs["ani"])
        rep = wiring.verify(s, rnd.id)
        assert rep.ok, [p.describe() for p in rep.problems]
        assert len(audit_log.events(s, rnd.id, action="answer.save")) == len(jobs["ani"]) + len(jobs["budi"])


def test_same_answer_from_two_processes_second_gets_conflict(opened, tmp_path):
    ani = opened.actor("ani")
    opened.run(lambda s: answers.save_answer(s, ani, opened.rnd(s), units.get_unit(s, "DINKES"), "MP.1.a", "C",
                                             expected_version=0))
    # Both terminals of ani loaded version 1 and now save different answers at once.
    r1, r2 = run_together(tmp_path, opened.db.url, [("ani", [["MP.1.a", "A", 1]]), ("ani", [["MP.1.a", "B", 1]])])
    outcomes = sorted([r1[0], r2[0]], key=lambda r: r["ok"])
    loser, winner = outcomes
    assert winner["ok"] and winner["version"] == 2
    assert not loser["ok"] and loser["error"] == "ConflictError" and loser["exit_code"] == 4
    assert "Ani Asesor (ani)" in loser["message"] and "versi 2" in loser["message"]
    with opened.db.session() as s:
        rnd = opened.rnd(s)
        a = answers.get_answer(s, rnd, units.get_unit(s, "DINKES"), people.get_person(s, "ani"), "MP.1.a")
        won = "A" if r1[0]["ok"] else "B"
        assert (a.answer, a.version) == (won, 2)  # the winner's write, nothing half-done
        assert wiring.verify(s, rnd.id).ok


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_sqlite_lock_is_retried_then_reported(db, monkeypatch):
    """A writer that keeps the database locked: pmprb retries with backoff,
    succeeds once the lock goes, and otherwise says clearly what happened."""
    import sqlite3
    import threading

    from pmprb.assessments.store import db as dbmod

    monkeypatch.setenv("PMPRB_SQLITE_BUSY_TIMEOUT_MS", "50")
    dbmod.dispose_engines()
    db = dbmod.open_db(db.url)
    blocker = sqlite3.connect(dbmod.sqlite_path(db.url), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    t0 = time.monotonic()
    with pytest.raises(dbmod.DatabaseBusyError, match="terkunci setelah 4 kali percobaan") as exc:
        db.run(lambda s: people.init(s, institution_code="x", institution_name="X", admin_username="a",
                                     admin_name="A"), delays=(0.01, 0.02, 0.04))
    assert exc.value.exit_code == 4 and time.monotonic() - t0 < 5
    threading.Timer(0.3, blocker.rollback).start()
    db.run(lambda s: people.init(s, institution_code="x", institution_name="X", admin_username="a", admin_name="A"),
           delays=(0.1, 0.2, 0.4, 0.8))
    blocker.close()
    with db.session() as s:
        assert people.institution(s).code == "x"


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_a_round_read_before_the_lock_is_read_again_under_it(world):
    """A writer that read the round before another writer changed it and
    committed: taking the round's lock waits for that writer and then holds
    the committed state (on PostgreSQL the lock and the re-read are one
    statement; on SQLite the first write waits for the database lock)."""
    import datetime as dt
    import threading

    from pmprb.assessments.store.models import AssessmentRound

    changed = dt.date(2024, 6, 30)
    with world.db.session() as a, world.db.session() as b:
        stale = world.rnd(a)                         # writer A reads the round (deadline 2024-05-31) ...
        assert stale.deadline == dt.date(2024, 5, 31)
        mine = round_work.lock_round(b, world.rnd(b))    # ... writer B locks it and changes it
        mine.deadline = changed
        b.flush()
        got: dict = {}
        blocked = threading.Event()

        def writer_a():
            blocked.set()
            got["deadline"] = round_work.lock_round(a, stale).deadline
            got["at"] = time.monotonic()

        t = threading.Thread(target=writer_a)
        t.start()
        blocked.wait()
        time.sleep(0.5)
        assert "deadline" not in got                     # A waits for B's lock
        committed_at = time.monotonic()
        b.commit()
        t.join(30)
        assert got["at"] >= committed_at and got["deadline"] == changed
        a.rollback()
    with world.db.session() as s:
        assert s.get(AssessmentRound, world.rnd(s).id).deadline == changed
