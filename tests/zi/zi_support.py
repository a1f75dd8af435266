"""Shared helpers for the Zona Integritas (zi-2021) tests: worksheets, results, engines."""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path

import yaml

from pmprb.engine import scoring
from pmprb.engine.evaluator import ENGINES, Evaluator, durable_available
from pmprb.engine.instrument import RULES_DIR, load_instrument

ZI = "zi-2021"
DATA = Path(__file__).resolve().parent / "data"
WORKSHEET = DATA / "zi-wbk.yaml"


def engines() -> tuple[str, ...]:
    return ENGINES if durable_available() else ("plain",)


def zi():
    return load_instrument(ZI)


def full_marks() -> tuple[dict, dict, dict]:
    """answers (best option, counts giving 100%), evidence (1 per scored item), Hasil at maximum."""
    inst = zi()
    answers, evidence = {}, {}
    for cid, c in inst.criteria.items():
        if c.kind == "choice":
            answers[cid] = c.options[0][0]
        elif c.kind == "count":
            answers[cid] = 4
        if c.scored:
            evidence[cid] = 1
    # The decrease needs a fall to none for 100%: previous 4, now 0.
    answers["R.SDM.3.a.2"] = 0
    # LHKPN: obliged = 4 + 4 + 4, all 12 reported.
    answers["R.PWS.3.a.5"] = answers["R.PWS.3.b.5"] = 12
    return answers, evidence, {"H.1.a": 4, "H.1.b": "A", "H.2.a": 4}


def score_worksheet(answers: dict, evidence: dict, hasil: dict, engine: str = "plain") -> dict:
    inst = zi()
    ev = Evaluator(inst, engine)
    try:
        result = ev.evaluate(answers, evidence)
    finally:
        ev.close()
    return scoring.score(inst, result.values(), hasil, engine=engine)


def with_measures(result: dict, **overrides) -> dict:
    """A copy of a scored result with some measures replaced (total, pengungkit, group:<id> percent,
    hasil:<id> score) to put a threshold exactly where a test wants it."""
    out = copy.deepcopy(result)
    for key, value in overrides.items():
        if key == "total":
            out["indeks_rb"] = value
        elif key == "pengungkit":
            out["pengungkit"] = value
        elif key.startswith("group_"):
            g = out["groups"][key[len("group_"):]]
            g["percent"] = value
            g["score"] = g["weight"] * value / 100
        elif key.startswith("hasil_"):
            out["hasil_detail"]["components"][key[len("hasil_"):].replace("_", ".")]["score"] = value
        else:
            raise KeyError(key)
    return out


def random_worksheet(rng: random.Random, inst) -> tuple[dict, dict]:
    """Any mix of answered / unanswered choices, counts with zeros and gaps, and evidence."""
    answers, evidence = {}, {}
    for cid, c in inst.criteria.items():
        roll = rng.random()
        if c.kind == "choice":
            if roll < 0.9:
                answers[cid] = rng.choice([a for a, _ in c.options])
        elif c.kind == "count":
            if roll < 0.93:
                answers[cid] = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 40, rng.randint(0, 200)])
        if rng.random() < 0.7:
            evidence[cid] = rng.randint(0, 3)
    return answers, evidence


def copy_instrument(tmp_path: Path) -> Path:
    dst = tmp_path / ZI
    shutil.copytree(RULES_DIR / ZI, dst)
    return dst


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
