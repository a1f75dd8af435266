#!/usr/bin/env python3
"""Import benchmark: full 146-criterion worksheets for 50 units on SQLite.

Builds a fresh SQLite database (institution, one asesor assigned every area
of N units, round open), writes one filled worksheet file per unit (every
criterion answered, with a note; seeded random answers), then imports them
with the library call behind `pmprb assess import` (read file, check every
row, save every answer with its audit event; one transaction per unit) and
prints the time and answers per second. A second pass re-imports the same
files, which must change nothing (the export -> import no-op path).

Target (issue 4): 50 units x 146 criteria = 7,300 answers in under 30 s.
Every figure is the median (min–max) of ``--runs`` >= 5 runs, each on a
fresh database, wall and CPU time, with the load average. Usage:

    python bench/bench_import.py [--units 20] [--format csv|xlsx] [--seed 1] [--runs 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
from pathlib import Path

import measure

TARGET_SECONDS = 30.0


def build(db_url: str, n_units: int):
    from pmprb.assessments.setup import assignments, people, rounds, units
    from pmprb.assessments import wiring
    from pmprb.assessments.store.db import open_db
    from pmprb.assessments.setup.permissions import resolve_actor

    db = open_db(db_url)

    def setup(s):
        people.init(s, institution_code="kota-bench", institution_name="Pemerintah Kota Bench",
                    admin_username="admin", admin_name="Admin")
        admin = resolve_actor(s, "admin")
        people.add_person(s, admin, username="kora", name="Kora", roles=["koordinator"])
        people.add_person(s, admin, username="ani", name="Ani", roles=["asesor"])
        us = [units.add_unit(s, admin, code=f"OPD{i:02d}", name=f"Perangkat Daerah {i}") for i in range(1, n_units + 1)]
        kora = resolve_actor(s, "kora")
        rnd = rounds.create_round(s, kora, year=2024, code="2024")
        assignments.assign(s, kora, rnd, people.get_person(s, "ani"), us)
        wiring.open_round(s, kora, rnd)

    db.run(setup)
    return db


def write_files(folder: Path, inst, n_units: int, fmt: str, seed: int) -> list[Path]:
    from pmprb.presentation.sheet_format import write_xlsx

    rng = random.Random(seed)
    paths = []
    for i in range(1, n_units + 1):
        rows = []
        for cid, c in inst.criteria.items():
            rows.append({"criterion": cid, "area": c.area, "subarea": c.subarea, "text": c.text, "options": "",
                         "answer": rng.choice(list(c.values)), "note": f"sintesis {cid} unit {i}",
                         "evidence": "", "version": None})
        path = folder / f"OPD{i:02d}.{fmt}"
        if fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(["criterion", "area", "subarea", "text", "options", "answer", "note", "evidence_refs",
                            "version"])
                for r in rows:
                    w.writerow([r["criterion"], r["area"], r["subarea"], r["text"], r["options"], r["answer"],
                                r["note"], "", ""])
        else:
            write_xlsx(path, rows, "id", {"format": "pmprb-assess/1", "round": "2024", "unit": f"OPD{i:02d}",
                                          "assessor": "ani"}, inst)
        paths.append(path)
    return paths


def import_all(db, paths: list[Path]) -> tuple[measure.Run, int, int]:
    from pmprb.assessments.assess import sheet_import
    from pmprb.presentation import sheet_format
    from pmprb.assessments.setup import round_work, rounds, units
    from pmprb.assessments.setup.permissions import resolve_actor

    with db.session() as s:
        inst = round_work.instrument_for(rounds.get_round(s, "2024"))
    created = unchanged = 0
    with measure.timed() as run:
        for path in paths:
            sheet = sheet_format.read_sheet(path, inst)
            plan = db.run(lambda s: sheet_import.import_sheet(
                s, resolve_actor(s, "ani"), rounds.get_round(s, "2024"), units.get_unit(s, path.stem), sheet,
                "stop"))
            summary = plan.summary()
            created += summary["created"]
            unchanged += summary["unchanged"]
    return run, created, unchanged


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=20)
    ap.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=measure.MIN_RUNS, help="runs, each on a fresh database (>= 5)")
    ap.add_argument("--json", default=None, help="also write the figures as JSON to this file")
    args = ap.parse_args()
    measure.check_runs(args.runs)

    from pmprb.engine.instrument import load_instrument

    inst = load_instrument("pmprb-2014")
    expected = args.units * len(inst.criteria)
    load_start = measure.load()
    first, again, ok = [], [], True
    for k in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="pmprb-bench-import-") as tmp:
            folder = Path(tmp)
            os.environ["PMPRB_EVIDENCE_DIR"] = str(folder / "evidence")
            db = build(f"sqlite:///{folder / 'bench.db'}", args.units)
            paths = write_files(folder, inst, args.units, args.format, args.seed)
            run, created, _ = import_all(db, paths)
            run2, created_again, unchanged = import_all(db, paths)
            from pmprb.assessments.setup import rounds
            from pmprb.assessments import wiring
            from pmprb.assessments.store.db import dispose_engines

            with db.session() as s:
                report = wiring.verify(s, rounds.get_round(s, "2024").id)
            dispose_engines()
        first.append(run)
        again.append(run2)
        ok = ok and created == expected and unchanged == expected and created_again == 0 and report.ok
    imp, re = measure.summary(first, expected), measure.summary(again, expected)
    result = {
        "benchmark": "import/2", "machine": measure.machine(), "load_average_start": load_start,
        "load_average_end": measure.load(), "runs": args.runs,
        "units": args.units, "criteria": len(inst.criteria), "format": args.format, "answers": expected,
        "import": imp, "reimport": re, "all_checks_ok": ok,
        "target_seconds_for_50_units": TARGET_SECONDS,
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    m = result["machine"]
    print(f"nproc {m['nproc']}  {m['cpu']}  Python {m['python']}; load average {load_start} at start, "
          f"{result['load_average_end']} at end; median (min–max) of {args.runs} runs, each on a fresh database")
    print(f"import {expected:,} answers ({args.units} units x {len(inst.criteria)} criteria, {args.format}): "
          f"wall {measure.fmt(imp['wall_s'], 's', digits=2)}, CPU {measure.fmt(imp['cpu_s'], 's', digits=2)}; "
          f"{measure.fmt(imp['per_cpu_s'])} answers per CPU-s")
    print(f"re-import of the same files (nothing written): wall {measure.fmt(re['wall_s'], 's', digits=2)}, "
          f"CPU {measure.fmt(re['cpu_s'], 's', digits=2)}")
    print(f"every run wrote {expected:,} answers, the re-import none, audit verify passed: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
