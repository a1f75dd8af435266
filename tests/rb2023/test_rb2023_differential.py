"""durable_rules and the plain evaluator decide points lines identically (input, result, trace).

Random worksheets of each Indeks RB 2023 variant: scores at the range bounds,
inside the range with up to three decimals, lines not applicable,
unanswered lines (multipliers without a value), every Opini category with
and without known points, random evidence. Both engines decide them and
the aggregates must be equal too; the random worksheets must exercise every
rule kind, so the comparison cannot pass by never reaching one.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import points, points_scoring
from pmprb.engine.evaluator import Evaluator, durable_available
from pmprb.engine.worksheet import parse_worksheet

from rb_support import KINDS, instrument

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable_rules does not import on this Python")

RANDOM_WORKSHEETS = 400


def random_answer(rng: random.Random, inst, cid: str):
    c = inst.criteria[cid]
    s = points.spec(inst, cid)
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.2 and s["may_be_na"]:
        return s["na"]
    if c.kind == "category":
        code = rng.choice(list(s["categories"]))
        if s["categories"][code] is not None:
            return code.lower() if rng.random() < 0.2 else code
        return f"{code}={rng.randint(0, int(float(s['weight']) * 100)) / 100}"
    lo, hi = (float(x) for x in s["range"])
    if roll < 0.35:
        return rng.choice((lo, hi))
    places = rng.choice((0, 1, 2, 3))
    value = round(rng.uniform(lo, hi), places)
    value = min(max(value, lo), hi)
    return rng.choice((value, str(value).replace(".", ",") if rng.random() < 0.3 else value))


def random_worksheet(rng: random.Random, inst) -> tuple[dict, dict]:
    answers, evidence = {}, {}
    for cid in inst.criteria:
        a = random_answer(rng, inst, cid)
        if a is not None:
            answers[cid] = a
        if rng.random() < 0.6:
            evidence[cid] = rng.randint(0, 2)
    return answers, evidence


@pytest.mark.parametrize("kind", KINDS)
def test_random_worksheets_decide_identically(kind):
    inst = instrument(kind)
    rng = random.Random(f"rb-2023-{kind}")
    durable, plain = Evaluator(inst, "durable"), Evaluator(inst, "plain")
    fired = Counter()
    try:
        for i in range(RANDOM_WORKSHEETS):
            answers, evidence = random_worksheet(rng, inst)
            d = durable.evaluate(answers, evidence)
            p = plain.evaluate(answers, evidence)
            diff = [cid for cid, dd in d.decisions.items()
                    if (dd.input, dd.result.record(), list(dd.trace)) != (p.decisions[cid].input,
                                                                    p.decisions[cid].result.record(),
                                                                    list(p.decisions[cid].trace))]
            assert not diff, f"worksheet {i}: engines disagree on {diff[:5]}"
            a_d = points_scoring.aggregate(inst, d.values())
            a_p = points_scoring.aggregate(inst, p.values())
            assert canonical_json(a_d) == canonical_json(a_p)
            for dec in d.decisions.values():
                for name in list(dec.trace):
                    tail = name.split("/", 1)[1]
                    fired[tail.split(":", 1)[0]] += 1
                    fired[":".join(tail.split(":")[:2])] += 1
                fired.update(f.split(":")[0] for f in list(dec.result.flags))
    finally:
        durable.close()
        plain.close()
    # Every rule kind and flag was exercised.
    for kind_ in ("points", "unanswered", "not_applicable", "category", "gate", "evidence"):
        assert fired[kind_] > 0, (kind_, fired)
    for flag in ("gated_by", "points_given", "claimed_without_evidence", "not_applicable", "unanswered"):
        assert fired[flag] > 0, (flag, fired)
    if any("multiplier" in points.spec(inst, cid) for cid in inst.criteria):
        assert fired["points:multiplier_missing"] > 0 and fired["gate:multiplier"] > 0, fired


@pytest.mark.parametrize("kind", KINDS)
def test_full_results_agree_too(kind):
    """`pmprb score --json` on both engines: everything but the engine label is equal (gains included)."""
    inst = instrument(kind)
    rng = random.Random(kind)
    for _ in range(3):
        answers, evidence = random_worksheet(rng, inst)
        ws = parse_worksheet({"instrument": inst.id, "answers": answers, "evidence": evidence})
        d, p = ws.score("durable"), ws.score("plain")
        assert d.pop("engine") != p.pop("engine")
        assert canonical_json(d) == canonical_json(p)
