"""bench/cpu_by_library.py charges each py-spy sample to a library: native code first."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "cpu_by_library.py"


def _module():
    spec = importlib.util.spec_from_file_location("cpu_by_library", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROOT = "<module> (bench_national.py:1120);Pipeline.evaluation (bench_national.py:450)"
RAW = "\n".join([
    # a native durable_rules call under pmprb's evaluator: durable_rules, not pmprb
    ROOT + ";decide (pmprb/engine/evaluator.py:545);assert_facts (durable/engine.py:819);"
           "0x7f (durable_rules_engine.cpython-311-x86_64-linux-gnu.so) 7",
    # the interpreter running SQLAlchemy code: SQLAlchemy
    ROOT + ";run (pmprb/assessments/store/db.py:271);execute (sqlalchemy/orm/session.py:2283);"
           "_PyEval_EvalFrameDefault (libpython3.11.so) 2",
    ROOT + ";summarise (pmprb/engine/evidence_requirements.py:351) 1",
    ROOT.replace("evaluation", "consensus") + ";collect (pmprb/assessments/coordinate/working_papers.py:105) 3",
    # outside the pipeline's stages: not counted
    "<module> (bench_national.py:1120);prepare (bench_national.py:200) 50",
]) + "\n"


def test_samples_go_to_the_innermost_native_library_or_python_frame(tmp_path):
    m = _module()
    raw = tmp_path / "x.raw"
    raw.write_text(RAW, encoding="utf-8")
    by_stage = m.summarise(raw)
    assert dict(by_stage["all"]) == {"durable_rules (native)": 7, "SQLAlchemy": 2, "pmprb engine": 1,
                                     "pmprb store and jobs": 3}
    assert dict(by_stage["evaluation"]) == {"durable_rules (native)": 7, "SQLAlchemy": 2, "pmprb engine": 1}
    text = m.report(by_stage, {"total": {"cpu_ms_per_institution": {"median": 200.0}}}, cpu_ms=130.0)
    assert "samples in the pipeline's stages: 13" in text
    row = next(line for line in text.splitlines() if line.startswith("durable_rules (native)"))
    assert row.split()[-2:] == ["53.8%", "70.0"]   # 7 of 13 samples, of 130 ms
    assert "pmprb: 30.8%, 40 ms per institution" in text
