"""Helpers shared by the engine tests (imported by name; pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
import random
import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine.evaluator import Evaluator, durable_available
from pmprb.engine.examples import available_engines
from pmprb.engine.instrument import RULES_DIR, Instrument, load_instrument

REPO = Path(__file__).resolve().parents[2]
BPS_FILE = REPO / "tests" / "data" / "bps-lke-2014-2015.json"  # copy of ../shared/reference (tests/data/SOURCES.md)
PMPRB_2014 = RULES_DIR / "pmprb-2014"
TOL = 1e-9

needs_durable = pytest.mark.skipif(not durable_available(), reason="durable_rules does not import on this Python")


def engines() -> tuple[str, ...]:
    return available_engines()


@lru_cache(maxsize=1)
def pmprb2014() -> Instrument:
    return load_instrument("pmprb-2014")


@lru_cache(maxsize=4)
def evaluator(engine: str) -> Evaluator:
    """One evaluator per engine for the whole session (a fresh session id per evaluation)."""
    return Evaluator(pmprb2014(), engine)


def bps() -> dict:
    """The official BPS evaluation (2015 and 2014), or skip saying why."""
    data = json.loads(BPS_FILE.read_text(encoding="utf-8"))
    return {e["year"]: e for e in data["evaluations"]}


def comparable(evaluation) -> str:
    """Decisions without the engine label, canonically: what both engines must agree on byte for byte."""
    return canonical_json({cid: {k: v for k, v in d.record().items() if k != "engine"}
                           for cid, d in evaluation.decisions.items()})


def random_worksheet(rng: random.Random, inst: Instrument | None = None,
                     p_answer: float = 0.85, max_evidence: int = 3) -> tuple[dict, dict]:
    """Random answers (some missing) and random evidence counts (some absent, some 0)."""
    inst = inst or pmprb2014()
    answers, evidence = {}, {}
    for cid, c in inst.criteria.items():
        if rng.random() < p_answer:
            answers[cid] = rng.choice(list(c.values))
        if rng.random() < 0.8:
            evidence[cid] = rng.randint(0, max_evidence)
    return answers, evidence


def full_answers(inst: Instrument | None = None, pick: int = 0) -> dict:
    """Every criterion answered with its option number ``pick`` (0 = best, -1 = worst)."""
    inst = inst or pmprb2014()
    return {cid: list(c.values)[pick] for cid, c in inst.criteria.items()}


def copy_instrument(dest: Path, edits: list[tuple[str, str, str]] = ()) -> Path:
    """A copy of pmprb-2014 in ``dest`` with exact text replacements (each must match once)."""
    folder = dest / "pmprb-2014"
    shutil.copytree(PMPRB_2014, folder)
    for name, old, new in edits:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder

