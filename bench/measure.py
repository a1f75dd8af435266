"""Shared measuring for the benchmarks in bench/: repeated runs summarised
as median, min and max, CPU time beside wall time, and the machine and its
load average, so no benchmark quotes a best run.

Each benchmark script imports this module from its own folder
(``python bench/x.py`` puts bench/ on ``sys.path``).
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from contextlib import contextmanager
from typing import Callable, Iterable

MIN_RUNS = 5


def spread(values: Iterable[float], digits: int = 4) -> dict:
    """Median, min and max (and the runs) of one measured quantity."""
    vals = [float(v) for v in values]
    if not vals:
        return {"median": None, "min": None, "max": None, "runs": 0}
    return {"median": round(statistics.median(vals), digits), "min": round(min(vals), digits),
            "max": round(max(vals), digits), "runs": len(vals)}


def fmt(s: dict, unit: str = "", scale: float = 1.0, digits: int = 0) -> str:
    """``median (min–max) unit`` for a :func:`spread`."""
    if s["median"] is None:
        return "-"
    f = f"{{:,.{digits}f}}"
    return (f"{f.format(s['median'] * scale)} ({f.format(s['min'] * scale)}–{f.format(s['max'] * scale)})"
            f"{' ' + unit if unit else ''}")


def children_cpu() -> float:
    """CPU seconds of finished child processes (user + system)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Run:
    """Wall, process CPU and child CPU of one timed block."""

    def __init__(self) -> None:
        self.wall = self.cpu = self.child_cpu = 0.0

    def as_dict(self) -> dict:
        return {"wall": self.wall, "cpu": self.cpu, "child_cpu": self.child_cpu}


@contextmanager
def timed():
    run = Run()
    t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
    try:
        yield run
    finally:
        run.wall = time.perf_counter() - t0
        run.cpu = time.process_time() - c0
        run.child_cpu = children_cpu() - k0


def repeat(fn: Callable[[], object], runs: int = MIN_RUNS) -> list[Run]:
    out = []
    for _ in range(runs):
        with timed() as r:
            fn()
        out.append(r)
    return out


def summary(runs: list[Run], count: float | None = None) -> dict:
    """Spreads of wall, CPU and child CPU seconds; with ``count``, of the
    rates per wall second and per CPU second (process + children) as well."""
    out = {"wall_s": spread(r.wall for r in runs), "cpu_s": spread(r.cpu for r in runs),
           "child_cpu_s": spread(r.child_cpu for r in runs)}
    if count:
        out["per_wall_s"] = spread((count / r.wall for r in runs), 1)
        out["per_cpu_s"] = spread((count / (r.cpu + r.child_cpu) for r in runs), 1)
    return out


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict:
    return {"nproc": os.cpu_count(), "cpu": cpu_model(), "python": platform.python_version(),
            "platform": platform.platform()}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def check_runs(n: int) -> int:
    if n < MIN_RUNS:
        raise SystemExit(f"--runs must be at least {MIN_RUNS} (a median of fewer runs is not reported)")
    return n
