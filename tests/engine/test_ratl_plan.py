"""The RATL plan: gains re-scored with the engine (gating unlocked), criteria
only low because of a gate listed under their gate's action, and the path to
the next grade checked against brute force on a small instrument."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from pmprb.engine import ratl_plan, scoring
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument
from pmprb.errors import ValidationError

from engine_support import engines, pmprb2014

TINY = Path(__file__).resolve().parent / "data" / "ratl-tiny"
HASIL_2014 = {"H.1.a": "70.05", "H.1.b": "3.8", "H.2.a": "3.31", "H.2.b": "WTP", "H.3.a": "3.117"}


def best_answers(inst) -> dict:
    return {cid: c.options[0][0] for cid, c in inst.criteria.items() if c.is_choice}


def indeks(inst, answers, hasil, engine) -> float:
    ev = evaluate(inst, answers, {}, engine=engine)
    return scoring.score(inst, ev.values(), hasil)["indeks_rb"]


@pytest.mark.parametrize("engine", engines())
def test_the_gate_of_a_whole_subarea_ranks_first_with_what_it_unlocks(engine):
    """The issue's case: PP.1.a = Tidak zeroes PP.1 although PP.1.b–e are
    answered well; fixing PP.1.a is worth more than any other action."""
    inst = pmprb2014()
    answers = best_answers(inst)
    answers.update({"PP.1.a": "Tidak", "PP.1.b": "A", "PP.1.c": "B", "PP.1.d": "A", "PP.1.e": "B",
                    "MP.1.b": "B", "SDM.2.a": "B", "PWS.7.d": "C", "TL.1.d": "D"})
    with ratl_plan.plan(inst, answers, {}, HASIL_2014, engine=engine) as plan:
        first = plan.actions[0]
        assert first.criterion == "PP.1.a" and first.rank == 1
        assert first.unlocks == ("PP.1.b", "PP.1.c", "PP.1.d", "PP.1.e")
        fixed = dict(answers, **{"PP.1.a": "Ya"})
        assert first.gain == pytest.approx(indeks(inst, fixed, HASIL_2014, engine)
                                           - indeks(inst, answers, HASIL_2014, engine), abs=1e-9)
        # Sub-area weight 1 over 5 criteria: (1 + 1 + 0.67 + 1 + 0.5) / 5 = 0.834, more than any other item.
        assert first.gain == pytest.approx(0.834) and all(a.gain < first.gain for a in plan.actions[1:])
        ids = [a.criterion for a in plan.actions]
        # Answered best but zeroed or multiplied by a gate: not actions of their own.
        assert "PP.1.b" not in ids and "PP.1.d" not in ids
        assert plan.gated == {"PP.1.b": ("PP.1.a",), "PP.1.d": ("PP.1.a",)}
        # PP.1.c and PP.1.e are low by their own answers too: actions, worth nothing until PP.1.a is fixed.
        assert ids[-2:] == ["PP.1.c", "PP.1.e"]
        for cid in ids[-2:]:
            assert plan.action(cid).gates == ("PP.1.a",) and plan.action(cid).gain == 0
        assert ids == sorted(ids, key=lambda cid: (-round(plan.action(cid).gain, 9), inst.criteria[cid].order))


@pytest.mark.parametrize("engine", engines())
def test_multiplied_items_wait_for_the_item_before_them(engine):
    inst = pmprb2014()
    answers = dict(best_answers(inst), **{"SDM.4.b": "B"})   # SDM.4.c–e (Ya) are multiplied by 0.67
    with ratl_plan.plan(inst, answers, {}, HASIL_2014, engine=engine) as plan:
        assert [a.criterion for a in plan.actions] == ["SDM.4.b"]
        sdm = plan.actions[0]
        assert sdm.unlocks == ("SDM.4.c", "SDM.4.d", "SDM.4.e")
        assert set(plan.gated) == {"SDM.4.c", "SDM.4.d", "SDM.4.e"}
        # To A it lifts itself and the three multiplied items by 0.33 each: sub-area weight 6 over 5 items.
        assert sdm.gain == pytest.approx(6 / 5 * 4 * 0.33)


def test_nothing_to_do_when_everything_is_best():
    inst = pmprb2014()
    with ratl_plan.plan(inst, best_answers(inst), {}, HASIL_2014) as plan:
        assert plan.actions == [] and plan.gated == {}
        path = plan.path()
        assert path.already and path.actions == () and path.grade_from == "AA"


def brute_force_fewest(plan, inst, answers, hasil, reached, engine):
    acts = [a.criterion for a in plan.actions]
    best_answer = {cid: inst.criteria[cid].options[0][0] for cid in acts}
    for k in range(len(acts) + 1):
        found = []
        for combo in itertools.combinations(acts, k):
            x = indeks(inst, dict(answers, **{c: best_answer[c] for c in combo}), hasil, engine)
            if reached(x):
                found.append(x)
        if found:
            return k, max(found)
    return None, None


@pytest.mark.parametrize("seed", range(12))
def test_path_has_the_fewest_actions_brute_force(seed):
    inst = load_instrument(TINY)
    rng = random.Random(seed)
    engine = engines()[seed % len(engines())]
    answers = {cid: rng.choice([a for a, _ in c.options]) for cid, c in inst.criteria.items()}
    hasil = {"H.1.a": rng.choice([10, 35.5, 50, 62.5, 90])}
    with ratl_plan.plan(inst, answers, {}, hasil, engine=engine) as plan:
        base = plan.indeks
        assert base == pytest.approx(indeks(inst, answers, hasil, engine))
        targets = [None] + [b["grade"] for b in inst.data["grade_bands"]] + [base + 3.5]
        for target in targets:
            path = plan.path(target)
            if isinstance(target, float):
                reached = lambda x: x >= target - 1e-9  # noqa: E731
            else:
                lower = path.threshold
                reached = lambda x: scoring.grade_for(inst, x)["above"] >= lower  # noqa: E731
            k, top = brute_force_fewest(plan, inst, answers, hasil, reached, engine)
            if path.already:
                assert k == 0
                continue
            if k is None:
                assert not path.reachable and path.max_indeks < 100
                continue
            assert path.reachable and path.exact and len(path.actions) == k, (target, path)
            # The Indeks reached is the full re-score of those actions, and the best a path of k can reach.
            fixed = dict(answers, **{c: inst.criteria[c].options[0][0] for c in path.actions})
            assert path.indeks_to == pytest.approx(indeks(inst, fixed, hasil, engine), abs=1e-9)
            assert path.indeks_to == pytest.approx(top, abs=1e-9) and reached(path.indeks_to)
            assert path.grade_to == scoring.grade_for(inst, path.indeks_to)["grade"]


def test_next_band_and_targets():
    inst = load_instrument(TINY)
    answers = {"X.1.a": "Tidak", "X.1.b": "A", "X.1.c": "A", "X.2.a": "B", "X.2.b": "Ya", "X.2.c": "Ya",
               "Y.1.a": "C", "Y.1.b": "A", "Y.1.c": "Ya", "Y.2.a": "B", "Y.2.b": "Tidak"}
    with ratl_plan.plan(inst, answers, {}, {"H.1.a": 80}) as plan:
        # By hand: X.1 0 (gated by X.1.a), X.2 12 x 0.5 = 6, Y.1 0 (zero chain from Y.1.a), Y.2 10 x 0.25 = 2.5;
        # Hasil 80 x 0.4 = 32; Indeks 40.5 (D).
        assert plan.indeks == pytest.approx(40.5) and plan.base_score["grade"] == "D"
        got = [(a.criterion, round(a.gain, 9), a.unlocks) for a in plan.actions]
        assert got == [("Y.1.a", 20, ("Y.1.b", "Y.1.c")), ("X.1.a", 18, ("X.1.b", "X.1.c")),
                       ("X.2.a", 6, ("X.2.b", "X.2.c")), ("Y.2.b", 5, ()), ("Y.2.a", 2.5, ())]
        assert plan.gated == {"X.1.b": ("X.1.a",), "X.1.c": ("X.1.a",), "X.2.b": ("X.2.a",),
                              "X.2.c": ("X.2.a",), "Y.1.b": ("Y.1.a",), "Y.1.c": ("Y.1.a",)}
        path = plan.path()
        assert (path.target, path.threshold, path.actions, path.grade_to) == ("C", 50, ("Y.1.a",), "C")
        assert path.indeks_to == pytest.approx(60.5) and path.gain == pytest.approx(20)
        assert plan.path("b").actions == ("Y.1.a", "X.1.a") and plan.path("B").indeks_to == pytest.approx(78.5)
        assert plan.path("A").actions == ("Y.1.a", "X.1.a", "X.2.a")
        assert plan.path(60.5).actions == ("Y.1.a",)
        with pytest.raises(ValidationError, match="bukan predikat"):
            plan.path("Z")
        with pytest.raises(ValidationError, match="bukan predikat"):
            plan.path(120)
        everything = plan.path(100)
        assert not everything.reachable and everything.actions == () and everything.max_indeks == pytest.approx(92)


def test_computed_items_are_actions_by_their_counts():
    inst = load_instrument("zi-2021")
    computed = [cid for cid, c in inst.criteria.items() if c.kind == "computed" and c.scored
                and c.formula["kind"] == "ratio"]
    assert computed
    cid = computed[0]
    c = inst.criteria[cid]
    answers = {k: v.options[0][0] for k, v in inst.criteria.items() if v.is_choice}
    answers[c.formula["numerator"]], answers[c.formula["denominator"]] = 1, 4
    with ratl_plan.plan(inst, answers) as plan:
        a = plan.action(cid)
        assert a is not None and a.value == pytest.approx(0.25) and a.answer is None
        # The action makes the numerator reach the denominator; the gain is that re-scored.
        fixed = dict(answers, **{c.formula["numerator"]: 4})
        assert a.gain == pytest.approx(indeks(inst, fixed, {}, None) - indeks(inst, answers, {}, None))
        assert a.gain > 0
