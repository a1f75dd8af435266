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

Target (issue 6): >= 20,000 replayed decisions/s through durable_rules
(wall clock). Each figure is the best of ``--repeat`` runs, with the median;
decisions per CPU-second of this process are printed too, because the
machine is shared and wall-clock rates move with everyone else's load. Usage:

    python bench/bench_replay.py [--units 50] [--assessors 3] [--repeat 3] [--seed 1] [--no-db] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from pmprb.canonical import canonical_json
from pmprb.engine import replay
from pmprb.engine.evaluator import DURABLE_VERSION, Evaluator, durable_available
from pmprb.engine.instrument import load_instrument

TARGET_RATE = 20_000


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
                            "instrument": {"id": inst.id, "revision": inst.revision}, "engine": d["engine"],
                            "input_json": canonical_json(d["input"]), "result_json": canonical_json(d["result"]),
                            "trace_json": canonical_json(d["trace"])})

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
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-db", action="store_true", help="skip the end-to-end SQLite measurement")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    inst = load_instrument("pmprb-2014")
    t0 = time.perf_counter()
    records = build_records(inst, args.units, args.assessors, args.seed)
    build_s = time.perf_counter() - t0
    n = len(records)
    engines = ["durable", "plain"] if durable_available() else ["plain"]

    runs: dict[str, list[float]] = {e: [] for e in engines}
    cpu_runs: dict[str, list[float]] = {e: [] for e in engines}
    for _ in range(args.repeat):
        for e in engines:  # interleaved, so both see the same machine load
            secs, cpu, rep = time_replay(records, inst, e)
            if not rep.ok or rep.matched != n:
                print(f"replay with {e} did not match: {rep.to_dict()['mismatches'][:3]}", file=sys.stderr)
                return 1
            runs[e].append(n / secs)
            cpu_runs[e].append(n / cpu)

    tampered = [dict(r) for r in records]
    res = json.loads(tampered[n // 2]["result_json"])
    res["value"] = 0.5 if res["value"] != 0.5 else 0.25
    tampered[n // 2]["result_json"] = canonical_json(res)
    _, _, rep = time_replay(tampered, inst, engines[0])
    caught = [m.decision_id for m in rep.mismatches] == [tampered[n // 2]["decision_id"]]
    if not caught:
        print("a changed record was not reported: the benchmark measured nothing", file=sys.stderr)
        return 1

    db_rates, db_cpu_rates = [], []
    if not args.no_db:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.setdefault("PMPRB_EVIDENCE_DIR", str(Path(tmp) / "evidence"))
            db = load_db(records, inst, Path(tmp))
            for _ in range(args.repeat):
                secs, cpu, rep = time_db_replay(db, engines[0])
                if rep.matched != n:
                    print("database replay did not match", file=sys.stderr)
                    return 1
                db_rates.append(n / secs)
                db_cpu_rates.append(n / cpu)
            from pmprb.assessments.store.db import dispose_engines

            dispose_engines()

    best = {e: max(r) for e, r in runs.items()}
    median = {e: statistics.median(r) for e, r in runs.items()}
    main_engine = engines[0]
    result = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(), "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": os.getloadavg()[0], "durable_rules": DURABLE_VERSION,
        "records": n, "units": args.units, "assessors": args.assessors, "criteria": len(inst.criteria),
        "build_seconds": round(build_s, 2), "repeat": args.repeat,
        "replay_rate_best": {e: round(v) for e, v in best.items()},
        "replay_rate_median": {e: round(v) for e, v in median.items()},
        "replay_rate_per_cpu_second_best": {e: round(max(v)) for e, v in cpu_runs.items()},
        "ratio_to_plain": round(best[main_engine] / best["plain"], 3) if "plain" in best else None,
        "ratio_to_plain_per_cpu_second": (round(max(cpu_runs[main_engine]) / max(cpu_runs["plain"]), 3)
                                          if "plain" in cpu_runs else None),
        "db_replay_rate_best": round(max(db_rates)) if db_rates else None,
        "db_replay_rate_median": round(statistics.median(db_rates)) if db_rates else None,
        "db_replay_rate_per_cpu_second_best": round(max(db_cpu_rates)) if db_cpu_rates else None,
        "tampered_record_caught": caught,
        "target": TARGET_RATE, "target_met": best[main_engine] >= TARGET_RATE,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"round: {args.units} units x {args.assessors} assessors x {len(inst.criteria)} criteria + final = "
              f"{n} decision records (built in {build_s:.1f} s)")
        for e in engines:
            print(f"replay, {e:<7}: best {best[e]:>9,.0f} decisions/s, median {median[e]:>9,.0f}; "
                  f"per CPU-second {max(cpu_runs[e]):>9,.0f}")
        if result["ratio_to_plain"] is not None and main_engine != "plain":
            print(f"durable / plain: {result['ratio_to_plain']:.2f} (wall clock), "
                  f"{result['ratio_to_plain_per_cpu_second']:.2f} (per CPU-second)")
        if db_rates:
            print(f"end to end from SQLite ({main_engine}): best {max(db_rates):,.0f} decisions/s, "
                  f"median {statistics.median(db_rates):,.0f}; per CPU-second {max(db_cpu_rates):,.0f}")
        print(f"a changed record is reported: {caught}")
        print(f"target >= {TARGET_RATE:,} decisions/s ({main_engine}): {'met' if result['target_met'] else 'NOT met'}"
              f"  (load average {result['load_average']:.2f}, {result['machine']}, Python {result['python']})")
    return 0 if result["target_met"] else 2


if __name__ == "__main__":
    sys.exit(main())
