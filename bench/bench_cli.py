#!/usr/bin/env python3
"""CLI start-up benchmark: ``pmprb --help`` paired with ``python -c "import click"``.

Each run starts, one after the other in the same loop so both see the same
machine load, ``python -c pass``, ``python -c "import click"`` and the
``pmprb --help`` console script (also ``pmprb rules --help`` and ``pmprb
score --help``), as child processes. Reported: wall time and the children's
CPU time (user + system, from ``getrusage``), median (min–max) of
``--runs`` >= 5 runs, and the ratio ``pmprb --help`` / ``import click``
per pair (target <= 2.5). Usage:

    python bench/bench_cli.py [--runs 10] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import measure

TARGET_RATIO = 2.5


def pmprb_command() -> list[str]:
    script = Path(sys.executable).with_name("pmprb")
    if script.exists():
        return [str(script)]
    found = shutil.which("pmprb")
    if found:
        return [found]
    raise SystemExit("the pmprb console script is not installed next to this Python nor on PATH")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="paired runs (>= 5; default 10)")
    ap.add_argument("--json", default=None, help="also write the figures as JSON to this file")
    args = ap.parse_args(argv)
    measure.check_runs(args.runs)
    pmprb = pmprb_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "pmprb --help": [*pmprb, "--help"],
        "pmprb rules --help": [*pmprb, "rules", "--help"],
        "pmprb score --help": [*pmprb, "score", "--help"],
    }
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    load_start = measure.load()
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for cmd in commands.values():   # warm the file cache and the bytecode caches once
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    runs: dict[str, list] = {k: [] for k in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            with measure.timed() as r:
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
            runs[name].append(r)
    load_end = measure.load()
    click, helped = runs["python -c 'import click'"], runs["pmprb --help"]
    result = {
        "benchmark": "cli-startup/1", "started_at": started, "machine": measure.machine(),
        "load_average_start": load_start, "load_average_end": load_end, "runs": args.runs,
        "commands": {k: {"wall_s": measure.spread(r.wall for r in v),
                         "child_cpu_s": measure.spread(r.child_cpu for r in v)} for k, v in runs.items()},
        "ratio_help_to_click_wall": measure.spread((h.wall / c.wall for h, c in zip(helped, click)), 3),
        "ratio_help_to_click_cpu": measure.spread((h.child_cpu / c.child_cpu for h, c in zip(helped, click)), 3),
    }
    result["target_met"] = result["ratio_help_to_click_wall"]["median"] <= TARGET_RATIO
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    m = result["machine"]
    print(f"{started}  nproc {m['nproc']}  {m['cpu']}  Python {m['python']}")
    print(f"load average at start {load_start}, at end {load_end}; median (min–max) of {args.runs} paired runs")
    print(f"  {'':28} {'wall ms':>24} {'CPU ms (child)':>24}")
    for k, v in result["commands"].items():
        print(f"  {k:28} {measure.fmt(v['wall_s'], scale=1000):>24} {measure.fmt(v['child_cpu_s'], scale=1000):>24}")
    print(f"  pmprb --help / import click: wall {measure.fmt(result['ratio_help_to_click_wall'], digits=2)}, "
          f"CPU {measure.fmt(result['ratio_help_to_click_cpu'], digits=2)} (target <= {TARGET_RATIO}: "
          f"{'met' if result['target_met'] else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
