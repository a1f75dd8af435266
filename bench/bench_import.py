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
Usage:

    python bench/bench_import.py [--units 50] [--format csv|xlsx] [--seed 1] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

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


def import_all(db, paths: list[Path]) -> tuple[float, int, int]:
    from pmprb.assessments.assess import sheet_import
    from pmprb.presentation import sheet_format
    from pmprb.assessments.setup import round_work, rounds, units
    from pmprb.assessments.setup.permissions import resolve_actor

    with db.session() as s:
        inst = round_work.instrument_for(rounds.get_round(s, "2024"))
    created = unchanged = 0
    t0 = time.perf_counter()
    for path in paths:
        sheet = sheet_format.read_sheet(path, inst)
        plan = db.run(lambda s: sheet_import.import_sheet(
            s, resolve_actor(s, "ani"), rounds.get_round(s, "2024"), units.get_unit(s, path.stem), sheet, "stop"))
        summary = plan.summary()
        created += summary["created"]
        unchanged += summary["unchanged"]
    return time.perf_counter() - t0, created, unchanged


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=50)
    ap.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from pmprb.engine.instrument import load_instrument

    inst = load_instrument("pmprb-2014")
    with tempfile.TemporaryDirectory(prefix="pmprb-bench-import-") as tmp:
        folder = Path(tmp)
        os.environ["PMPRB_EVIDENCE_DIR"] = str(folder / "evidence")
        db = build(f"sqlite:///{folder / 'bench.db'}", args.units)
        paths = write_files(folder, inst, args.units, args.format, args.seed)
        seconds, created, _ = import_all(db, paths)
        again, created_again, unchanged = import_all(db, paths)
        from pmprb.assessments.setup import rounds
        from pmprb.assessments import wiring

        with db.session() as s:
            report = wiring.verify(s, rounds.get_round(s, "2024").id)
    expected = args.units * len(inst.criteria)
    result = {
        "units": args.units, "criteria": len(inst.criteria), "format": args.format, "answers": created,
        "seconds": round(seconds, 2), "answers_per_second": round(created / seconds),
        "reimport_seconds": round(again, 2), "reimport_unchanged": unchanged, "reimport_created": created_again,
        "audit_events": report.events, "audit_ok": report.ok, "target_seconds": TARGET_SECONDS,
        "python": platform.python_version(), "machine": platform.machine(),
    }
    ok = (created == expected and unchanged == expected and created_again == 0 and report.ok
          and seconds < TARGET_SECONDS)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"imported {created} answers ({args.units} units x {len(inst.criteria)} criteria, {args.format}) "
              f"in {seconds:.2f} s = {created / seconds:,.0f} answers/s (target < {TARGET_SECONDS:.0f} s)")
        print(f"re-import of the same files: {again:.2f} s, {unchanged} unchanged, {created_again} written")
        print(f"audit log: {report.events} events, verifies: {report.ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
