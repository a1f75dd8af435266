#!/usr/bin/env python3
"""Where the national pipeline's CPU goes, by library: a sampling profile, not cProfile.

cProfile charges its own overhead to every Python call, so it inflates the
share of Python-heavy libraries (SQLAlchemy, pmprb) against native code
(durable_rules' engine, sqlite3, the C JSON encoder). This script runs
``bench_national.py`` under py-spy (``pip install '.[bench]'``), which samples
the stacks 200 times a second from outside the process, and charges each
sample to the innermost frame that belongs to a native library of interest
or, failing that, to the innermost Python frame's library. The shares,
applied to the benchmark's own median CPU per institution from the same run,
give milliseconds per institution by library: what the stack itself costs
before any pmprb code runs. py-spy pauses the process for each sample (it
needs native stacks), which slows the run by about a fifth evenly over
time: the shares hold, and applying them to an unsampled run's median
(``--cpu-ms``) gives the milliseconds without that pause.

Usage::

    python bench/cpu_by_library.py -n 20 --runs 5            # record and summarise
    python bench/cpu_by_library.py --raw FILE --bench-json FILE.json   # summarise an earlier recording

py-spy needs to read the benchmark's memory (ptrace): run it as the owner of
the process; in a container, CAP_SYS_PTRACE may be needed.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Native code, recognised by its shared object's name in the frame.
NATIVE = (("durable_rules_engine", "durable_rules (native)"), ("_sqlite3", "sqlite3 (native)"),
          ("libsqlite3", "sqlite3 (native)"), ("_json", "json (native)"), ("libcrypto", "hashlib (native)"),
          ("_hashlib", "hashlib (native)"))
NATIVE_NAMES = {name for _key, name in NATIVE}
LIBRARY = ("SQLAlchemy", "SQLModel", "pydantic", "durable_rules (Python)", "python-statemachine")
PMPRB = ("pmprb engine", "pmprb store and jobs")
_STAGE = re.compile(r"Pipeline\.(\w+) \(")


# A Python frame's library by a fragment of its file's path, first match wins (pmprb's engine
# before the rest of pmprb).
PYTHON = (("/durable/", "durable_rules (Python)"), ("sqlalchemy/", "SQLAlchemy"), ("sqlmodel/", "SQLModel"),
          ("pydantic", "pydantic"), ("statemachine/", "python-statemachine"), ("json/", "json (Python)"),
          ("pmprb/canonical.py", "json (Python)"), ("pmprb/engine/", "pmprb engine"),
          ("pmprb/", "pmprb store and jobs"), ("bench/", "benchmark"), ("bench_national", "benchmark"))


def python_library(frame: str) -> str:
    return next((name for key, name in PYTHON if key in frame), "interpreter and stdlib")


def library_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for key, name in NATIVE:
            if key in frame:
                return name
        if ".py:" in frame:
            return python_library(frame)
    return "interpreter and stdlib"


def summarise(raw: Path) -> dict[str, collections.Counter]:
    """stage -> library -> samples (stage "all": every stage of the pipeline)."""
    by_stage: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with raw.open(encoding="utf-8", errors="replace") as fp:
        for line in fp:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            m = _STAGE.search(stack)
            if not m or not count.isdigit():
                continue   # outside the timed stages: start-up, data preparation, reporting
            lib = library_of(stack.split(";"))
            by_stage[m.group(1)][lib] += int(count)
            by_stage["all"][lib] += int(count)
    return by_stage


def report(by_stage: dict[str, collections.Counter], bench: dict | None, cpu_ms: float | None = None) -> str:
    total = sum(by_stage["all"].values())
    if not total:
        return "no samples inside the pipeline's stages"
    sampled = bench["total"]["cpu_ms_per_institution"]["median"] if bench else None
    cpu = cpu_ms or sampled
    lines = [f"samples in the pipeline's stages: {total:,}"
             + (f"; median CPU per institution {sampled:.1f} ms in the sampled run" if sampled else "")
             + (f"; ms below from {cpu_ms:.1f} ms (an unsampled run)" if cpu_ms else "")]
    lines.append(f"{'library':<28} {'share':>7}" + (f" {'ms per institution':>20}" if cpu else ""))
    for lib, n in by_stage["all"].most_common():
        lines.append(f"{lib:<28} {100 * n / total:6.1f}%" + (f" {cpu * n / total:20.1f}" if cpu else ""))
    groups = (("native libraries (durable_rules, sqlite3, json, hashlib)", NATIVE_NAMES),
              ("Python libraries (SQLAlchemy, SQLModel, pydantic, durable_rules, python-statemachine)", set(LIBRARY)),
              ("pmprb", set(PMPRB)))
    lines.append("")
    for title, names in groups:
        n = sum(v for k, v in by_stage["all"].items() if k in names)
        lines.append(f"{title}: {100 * n / total:.1f}%" + (f", {cpu * n / total:.0f} ms per institution" if cpu else ""))
    lines.append("")
    for stage, counter in by_stage.items():
        if stage == "all":
            continue
        n = sum(counter.values())
        top = ", ".join(f"{k} {100 * v / n:.0f}%" for k, v in counter.most_common(5))
        lines.append(f"{stage:<13} {100 * n / total:5.1f}% of the samples: {top}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, help="an earlier py-spy raw recording of bench_national.py")
    ap.add_argument("--bench-json", type=Path, help="with --raw: that run's --out JSON (for ms per institution)")
    ap.add_argument("--rate", type=int, default=200, help="samples per second (default 200)")
    ap.add_argument("--keep", type=Path, help="keep the recording and the benchmark's JSON in this folder")
    ap.add_argument("--cpu-ms", type=float, help="median CPU ms per institution of an unsampled run, for the ms column")
    args, bench_args = ap.parse_known_args(argv)
    if args.raw:
        bench = json.loads(args.bench_json.read_text()) if args.bench_json else None
        print(report(summarise(args.raw), bench, args.cpu_ms))
        return 0
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy is not installed: pip install '.[bench]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        raw, out = folder / "national.pyspy.raw", folder / "national.json"
        cmd = [spy, "record", "-r", str(args.rate), "-f", "raw", "--native", "-o", str(raw), "--",
               sys.executable, str(HERE / "bench_national.py"), "--no-baselines", "--out", str(out), *bench_args]
        done = subprocess.run(cmd)
        if done.returncode != 0 or not raw.exists():
            print(f"py-spy or the benchmark failed (exit {done.returncode})", file=sys.stderr)
            return 1
        print(report(summarise(raw), json.loads(out.read_text()), args.cpu_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
