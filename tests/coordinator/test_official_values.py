"""Official values on an instrument scored by sub-area means (pmprb-2014): the evaluator's
answer per criterion, recorded with its source, re-decided and scored with the round's Hasil."""

from __future__ import annotations

import pytest

import coordinator_support as cs
from pmprb.assessments import wiring
from pmprb.assessments.coordinate import final_result, hasil, official
from pmprb.engine import scoring
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_official_answers_and_their_deviation(db):
    w = cs.finalised(db)
    inst = load_instrument("pmprb-2014")
    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    estimate = {cid: e["answer"] for cid, e in data["criteria"].items() if e["answer"] is not None}
    other = next(a for a, _t in inst.criteria["PPU.1.a"].options if a != estimate["PPU.1.a"])
    w.as_("kora", lambda s, a, r: official.record(s, a, r, {"PPU.1.a": (other.lower(), "LHE RB KemenPANRB")}))
    d = w.read(lambda s: official.deviation(s, w.rnd(s)))
    assert [x["criterion"] for x in d["lines"]] == ["PPU.1.a"] and d["lines"][0]["official"] == other
    inputs = w.read(lambda s: hasil.scoring_inputs(s, w.rnd(s)))
    want = scoring.score(inst, evaluate(inst, {**estimate, "PPU.1.a": other}).values(), inputs)["indeks_rb"]
    assert d["official_total"] == pytest.approx(want, abs=1e-9)
    assert d["estimate_total"] == pytest.approx(data["score"]["indeks_rb"], abs=1e-9)
    assert d["lines"][0]["effect"] == pytest.approx(d["estimate_total"] - d["official_total"], abs=1e-9)
    assert w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems == []
