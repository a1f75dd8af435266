"""durable_rules and the plain-Python evaluator must make identical decisions (result and trace).

Each engine checks the other: the BPS answers, every worked example and a
few thousand random worksheets (random answers, random missing answers,
random evidence counts) are decided by both and compared byte for byte.
"""

from __future__ import annotations

import random

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import examples
from pmprb.engine.worksheet import parse_worksheet

from engine_support import bps, comparable, evaluator, needs_durable, pmprb2014, random_worksheet

pytestmark = needs_durable

RANDOM_WORKSHEETS = 2000


@pytest.mark.parametrize("year", [2015, 2014])
def test_bps_answers(year):
    ev = bps()[year]
    d = evaluator("durable").evaluate(ev["answers"])
    p = evaluator("plain").evaluate(ev["answers"])
    assert comparable(d) == comparable(p)
    assert d.engine.startswith("durable_rules ") and p.engine.startswith("pmprb-plain ")


@pytest.mark.parametrize("ex", examples.examples_of(pmprb2014()), ids=lambda ex: f"{ex.area}[{ex.index}]")
def test_every_worked_example(ex):
    assert comparable(examples.run(evaluator("durable"), ex)) == comparable(examples.run(evaluator("plain"), ex))


def test_random_worksheets():
    rng = random.Random(20150531)
    gated = flagged = 0
    for i in range(RANDOM_WORKSHEETS):
        # Vary how complete the worksheets are, from mostly empty to complete.
        answers, evidence = random_worksheet(rng, p_answer=rng.choice((0.3, 0.7, 0.9, 1.0)))
        d = evaluator("durable").evaluate(answers, evidence)
        p = evaluator("plain").evaluate(answers, evidence)
        # Plain dict comparison (cheaper than canonical JSON; floats compare exactly either way).
        diff = [c for c, dd in d.decisions.items()
                if (dd.input, dd.result.record(), list(dd.trace)) != (p.decisions[c].input, p.decisions[c].result.record(),
                                                                list(p.decisions[c].trace))]
        assert not diff, f"worksheet {i}: engines disagree on {diff[:5]}"
        flags = [f for dec in d.decisions.values() for f in list(dec.result.flags)]
        gated += any(f.startswith("gated_by:") for f in flags)
        flagged += "claimed_without_evidence" in flags
    # The random worksheets must actually exercise gating and the evidence rule.
    assert gated > RANDOM_WORKSHEETS * 0.9 and flagged > RANDOM_WORKSHEETS * 0.9


def test_scores_agree_too():
    rng = random.Random(7)
    for _ in range(20):
        answers, evidence = random_worksheet(rng)
        ws = parse_worksheet({"instrument": "pmprb-2014", "answers": answers, "evidence": evidence,
                              "hasil": {"H.1.a": rng.uniform(0, 100), "H.2.b": rng.choice(["WTP", "WDP", "TW"])}})
        d, p = ws.score("durable"), ws.score("plain")
        assert d.pop("engine") != p.pop("engine")
        assert canonical_json(d) == canonical_json(p)
