#!/usr/bin/env python3
"""Replay benchmark: every decision record of a large round, re-decided and compared.

Builds the decision records of one round the way pmprb stores them: 50
units x 3 assessors, each a complete pmprb-2014 worksheet (146 criteria,
realistic answers: mostly middle options, some unanswered, evidence counts
0-3) evaluated level by level through durable_rules, plus the 146 final
decisions: 22,046 records. Then, from one run:

- replay throughput through durable_rules (records/s): parse the stored
  input, re-decide in batches, encode result and trace canonically, compare
  with the stored bytes (``pmprb.engine.replay``);
- the same replay through the plain-Python evaluator, for the ratio;
- end to end from a SQLite database (``pmprb audit replay --round``'s
  library call: stream the rows, replay, recompute nothing else), durable;
- a check that the replay can fail: one record with a changed value must be
  reported, or the benchmark exits non-zero.

Target (issue 11): >= 40,000 decisions per CPU-second end to end from
SQLite. Every figure is the median (min–max) of ``--runs`` >= 5 runs, per
CPU-second of this process and per wall second, with the load average at
start and end. Usage:

    python bench/bench_replay.py [--units 50] [--assessors 3] [--runs 5] [--seed 1] [--no-db] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import measure
from pmprb.canonical import canonical_json
from pmprb.engine import replay
from pmprb.engine.evaluator import DURABLE_VERSION, Evaluator, durable_available
from pmprb.engine.instrument import load_instrument

TARGET_CPU_RATE = 40_000   # issue 11: end to end from SQLite, per CPU-second


def worksheet(rng: random.Random, inst) -> tuple[dict, dict]:
    """A plausible worksheet: answers lean to the middle options, ~3 % unanswered."""
    answers, evidence = {}, {}
    for cid, c in inst.criteria.items():
        if rng.random() < 0.03:
            continue
        opts = list(c.values)
        answers[cid] = opts[min(len(opts) - 1, int(rng.triangular(0, len(opts), len(opts) / 3)))]
        evidence[cid] = rng.choice((0, 1, 1, 2, 3))
    return answers, evidence


def build_records(inst, units: int, assessors: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    ev = Evaluator(inst, "durable" if durable_available() else "plain")
    out = []
    try:
        def add(decisions: dict, kind: str, unit: str | None, assessor: str | None) -> None:
            for cid, d in decisions.items():
                out.append({"decision_id": str(uuid.UUID(int=rng.getrandbits(128))), "round": "BENCH",
                            "criterion": cid, "kind": kind, "unit": unit, "assessor": assessor,
                            "instrument": {"id": inst.id, "revision": inst.revision}, "engine": d.engine,
                            "input_json": canonical_json(d.input), "result_json": canonical_json(d.result.record()),
                            "trace_json": canonical_json(d.trace)})

        for u in range(units):
            for a in range(assessors):
                answers, evidence = worksheet(rng, inst)
                add(ev.evaluate(answers, evidence).decisions, "assessor", f"U{u:02d}", f"asesor{a + 1}")
        answers, evidence = worksheet(rng, inst)
        add(ev.evaluate(answers, evidence).decisions, "final", None, None)
    finally:
        ev.close()
    return out


def time_replay(records: list[dict], inst, engine: str) -> tuple[float, float, replay.ReplayReport]:
    """(wall seconds, CPU seconds of this process, report)."""
    t0, c0 = time.perf_counter(), time.process_time()
    rep = replay.replay(records, {inst.revision: inst}, engine=engine)
    return time.perf_counter() - t0, time.process_time() - c0, rep


def load_db(records: list[dict], inst, folder: Path):
    """A SQLite round holding ``records`` as decision_record rows (set-up
    through the library; the records themselves inserted in bulk)."""
    from sqlalchemy import insert

    from pmprb.assessments.setup import people, rounds
    from pmprb.assessments.store.db import open_db
    from pmprb.assessments.store.models import DecisionRecord, utcnow
    from pmprb.assessments.setup.permissions import resolve_actor

    db = open_db(f"sqlite:///{folder / 'bench.db'}")

    def setup(s):
        people.init(s, institution_code="bench", institution_name="Bench", admin_username="admin",
                    admin_name="Admin")
        admin = resolve_actor(s, "admin")
        people.add_person(s, admin, username="kora", name="Kora", roles=["koordinator"])
        return rounds.create_round(s, resolve_actor(s, "kora"), year=2024, code="BENCH", instrument=inst.id).id

    round_id = db.run(setup)
    now = utcnow()
    rows = [{"decision_id": r["decision_id"], "round_id": round_id, "criterion_id": r["criterion"],
             "kind": r["kind"], "created_at": now, "instrument_id": r["instrument"]["id"],
             "instrument_revision": r["instrument"]["revision"], "engine": r["engine"], "input_json": r["input_json"],
             "result_json": r["result_json"], "trace_json": r["trace_json"]} for r in records]
    with db.engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(insert(DecisionRecord), rows[i:i + 5000])
    return db


def time_db_replay(db, engine: str) -> tuple[float, float, replay.ReplayReport]:
    from pmprb.assessments.audit import replay as store_replay
    from pmprb.assessments.setup import rounds

    t0, c0 = time.perf_counter(), time.process_time()
    with db.session() as s:
        rep = store_replay.replay_round(s, rounds.get_round(s, "BENCH"), engine=engine)
    return time.perf_counter() - t0, time.process_time() - c0, rep


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=50)
    ap.add_argument("--assessors", type=int, default=3)
    ap.add_argument("--runs", type=int, default=measure.MIN_RUNS, help="runs of each measurement (>= 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-db", action="store_true", help="skip the end-to-end SQLite measurement")
    ap.add_argument("--json", default=None, help="also write the figures as JSON to this file")
    args = ap.parse_args(argv)
    measure.check_runs(args.runs)
    load_start = measure.load()
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

    inst = load_instrument("pmprb-2014")
    t0 = time.perf_counter()
    records = build_records(inst, args.units, args.assessors, args.seed)
    build_s = time.perf_counter() - t0
    n = len(records)
    engines = ["durable", "plain"] if durable_available() else ["plain"]

    runs: dict[str, list] = {e: [] for e in engines}
    for _ in range(args.runs):
        for e in engines:  # interleaved, so both see the same machine load
            with measure.timed() as r:
                rep = replay.replay(records, {inst.revision: inst}, engine=e)
            if not rep.ok or rep.matched != n:
                print(f"replay with {e} did not match: {rep.to_dict()['mismatches'][:3]}", file=sys.stderr)
                return 1
            runs[e].append(r)

    tampered = [dict(r) for r in records]
    res = json.loads(tampered[n // 2]["result_json"])
    res["value"] = 0.5 if res["value"] != 0.5 else 0.25
    tampered[n // 2]["result_json"] = canonical_json(res)
    _, _, rep = time_replay(tampered, inst, engines[0])
    caught = [m.decision_id for m in rep.mismatches] == [tampered[n // 2]["decision_id"]]
    if not caught:
        print("a changed record was not reported: the benchmark measured nothing", file=sys.stderr)
        return 1

    db_runs = []
    if not args.no_db:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.setdefault("PMPRB_EVIDENCE_DIR", str(Path(tmp) / "evidence"))
            db = load_db(records, inst, Path(tmp))
            for _ in range(args.runs):
                with measure.timed() as r:
                    _s, _c, rep = time_db_replay(db, engines[0])
                if rep.matched != n:
                    print("database replay did not match", file=sys.stderr)
                    return 1
                db_runs.append(r)
            from pmprb.assessments.store.db import dispose_engines

            dispose_engines()

    main_engine = engines[0]
    per = {e: measure.summary(v, n) for e, v in runs.items()}
    db = measure.summary(db_runs, n) if db_runs else None
    result = {
        "benchmark": "replay/2", "started_at": started, "machine": measure.machine(),
        "load_average_start": load_start, "load_average_end": measure.load(), "durable_rules": DURABLE_VERSION,
        "records": n, "units": args.units, "assessors": args.assessors, "criteria": len(inst.criteria),
        "build_seconds": round(build_s, 2), "runs": args.runs,
        "in_memory": per,
        "durable_vs_plain_cpu": (measure.spread((p.cpu / d.cpu for d, p in zip(runs["durable"], runs["plain"])), 3)
                                 if "plain" in runs and main_engine != "plain" else None),
        "end_to_end_sqlite": db, "end_to_end_engine": main_engine,
        "tampered_record_caught": caught,
        "target_end_to_end_per_cpu_s": TARGET_CPU_RATE,
        "target_met": bool(db) and db["per_cpu_s"]["median"] >= TARGET_CPU_RATE,
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    m = result["machine"]
    print(f"{started}  nproc {m['nproc']}  {m['cpu']}  Python {m['python']}  durable_rules {DURABLE_VERSION}")
    print(f"load average at start {load_start}, at end {result['load_average_end']}")
    print(f"round: {args.units} units x {args.assessors} assessors x {len(inst.criteria)} criteria + final = "
          f"{n} decision records (built in {build_s:.1f} s); median (min–max) of {args.runs} runs")
    for e in engines:
        print(f"replay in memory, {e:<7}: {measure.fmt(per[e]['per_cpu_s'])} decisions per CPU-s; "
              f"{measure.fmt(per[e]['per_wall_s'])} per wall-s")
    if result["durable_vs_plain_cpu"]:
        print(f"durable / plain (CPU): {measure.fmt(result['durable_vs_plain_cpu'], digits=3)}")
    if db:
        print(f"end to end from SQLite ({main_engine}): {measure.fmt(db['per_cpu_s'])} decisions per CPU-s; "
              f"{measure.fmt(db['per_wall_s'])} per wall-s")
    print(f"a changed record is reported: {caught}")
    print(f"target >= {TARGET_CPU_RATE:,} decisions per CPU-second end to end from SQLite: "
          f"{'met' if result['target_met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
