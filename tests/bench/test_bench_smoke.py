"""Smoke run of the national-scale benchmark (bench/bench_national.py): two
institutions through every stage, on SQLite and (with PMPRB_TEST_POSTGRES_URL)
PostgreSQL. Only that it finishes and that every stored decision replays
identically is asserted; its timings are not."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import uuid
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_national.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_national", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_national"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _backends():
    out = ["sqlite"]
    if os.environ.get("PMPRB_TEST_POSTGRES_URL", "").strip():
        out.append("postgresql")
    return out


@pytest.mark.parametrize("backend", _backends())
def test_two_institutions_run_every_stage_and_replay_identically(backend, tmp_path, monkeypatch):
    out = tmp_path / "result.json"
    argv = ["--institutions", "2", "--runs", "1", "--smoke", "--out", str(out), "--dir", str(tmp_path / "work")]
    if backend == "sqlite":
        argv += ["--db", "sqlite"]
    else:
        # Its own database on the test server, dropped afterwards (no --keep).
        argv += ["--db", os.environ["PMPRB_TEST_POSTGRES_URL"], "--pg-database",
                 f"pmprb_bench_smoke_{uuid.uuid4().hex[:8]}"]
    monkeypatch.delenv("PMPRB_RULES_ENGINE", raising=False)
    assert _bench().main(argv) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    replay = result["replay"]
    assert replay["ok"] and replay["matched"] == replay["total"] > 0
    assert replay["frozen_results_ok"] == replay["frozen_results"] == 2
    assert result["rows"]["answer"] == 2 * 3 * result["criteria"]
    assert result["total"]["statements_per_institution"]["median"] > 0
    assert result["total"]["plain_cpu_ms_per_institution"]["median"] > 0
    assert set(result["stages"]) == {"setup", "evidence", "import", "evaluation", "consensus", "finalisation",
                                     "ratl", "replay"}
