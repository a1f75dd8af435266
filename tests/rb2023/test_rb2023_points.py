"""Points lines: rounding, answers, not applicable and the rescaling, multipliers, categories with unknown
points, the gain of raising a line, failing closed, and worksheet keys."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction

import pytest

from pmprb.engine import explain, points, points_scoring, scoring
from pmprb.engine.evaluator import Evaluator, evaluate
from pmprb.engine.worksheet import parse_worksheet
from pmprb.engine.worksheet_files import load_worksheet
from pmprb.errors import RuleError, ValidationError

from rb_support import engines, instrument

KAB = "kabkota"


def decide(kind: str, answers: dict, engine: str = "plain", evidence: dict | None = None):
    return evaluate(instrument(kind), answers, evidence or {}, engine=engine)


# ---------------------------------------------------------------------------
# arithmetic


@pytest.mark.parametrize("q, want, float_round_differs", [
    (Fraction(1, 8), "0.13", True),             # 0.125: Python's round() gives 0.12 (half to even)
    (Fraction(1005, 1000), "1.01", True),       # 1.005 is 1.00499... as a float
    (Fraction(-125, 1000), "-0.13", True),      # ties away from zero, like the portal
    (Fraction(375, 1000), "0.38", False),
    (Fraction(2, 3), "0.67", False), (Fraction(0), "0.00", False), (Fraction(4), "4.00", False),
])
def test_round_half_up_on_the_exact_value(q, want, float_round_differs):
    assert points.round_half_up(q, 2) == Decimal(want)
    assert (round(float(q), 2) != float(want)) is float_round_differs


@pytest.mark.parametrize("engine", engines())
def test_ties_round_up_on_both_engines(engine):
    # 1B17 Tingkat Digitalisasi Arsip, weight 2.5 over 0..100: 5 -> 0.125 -> 0.13; 25.125 x 4 / 100 = 1.005 -> 1.01
    ev = decide(KAB, {"1B17": 5, "1B15": "25.125"}, engine)
    assert ev.decisions["1B17"].result.value == 0.13
    assert ev.decisions["1B15"].result.value == 1.01


def test_the_multiplier_scales_before_the_one_rounding():
    ev = decide(KAB, {"1A11": 2.04, "1A12": 4.76})
    r = ev.decisions["1A12"]
    assert r.result.record() == {"value": 0.23, "raw_value": 0.33, "flags": ["claimed_without_evidence", "gated_by:1A11"]}
    assert list(r.trace) == ["1A12/points", "1A12/evidence:missing", "1A12/gate:multiplier:1A11"]
    assert r.input == {"answer": "4.76", "evidence": 0, "multiplier": {"criterion": "1A11", "answer": "2.04"}}


def test_a_line_whose_multiplier_has_no_value_scores_0():
    for ra in (None, "TB"):
        answers = {"1A12": 100} if ra is None else {"1A11": ra, "1A12": 100}
        r = decide(KAB, answers).decisions["1A12"]
        assert r.result.value == 0 and r.result.raw_value == 7
        assert list(r.trace)[0] == "1A12/points:multiplier_missing:1A11"


# ---------------------------------------------------------------------------
# answers


@pytest.mark.parametrize("raw, want", [
    (3.277, "3.277"), ("3,277", "3.277"), (100, "100"), (100.0, "100"), ("  2.50 ", "2.5"), ("tb", "TB"),
])
def test_answers_are_kept_in_one_canonical_text(raw, want):
    assert points.normalise_answer(instrument(KAB), "1B15", raw) == want   # SAKIP, 0..100


@pytest.mark.parametrize("cid, raw, key", [
    ("1B13", 5.5, "pt.range"),            # SPIP 1..5
    ("1B13", 0.5, "pt.range"),
    ("1B13", "tinggi", "pt.bad_number_na"),
    ("1B13", True, "pt.bad_number_na"),
    ("1B13", "1e3", "pt.bad_number_na"),
    ("1B13", "3.1234567", "pt.decimals"),
    ("2B1-1", "TB", "pt.na_not_here"),    # only RB General lines may be not applicable
    ("KOEF04", "TB", "pt.na_not_here"),   # nor the Koefisien
    ("KOEF04", 2, "pt.range"),            # -10..1
    ("1C13a", "WTT", "pt.bad_category"),
    ("1C13a", "WDP", "pt.points_unknown"),
    ("1C13a", "WTP=5", "pt.points_known"),
    ("1C13a", "WDP=6", "pt.points_range"),
    ("1C13a", 5, "pt.bad_category"),
])
def test_bad_answers_are_named(cid, raw, key):
    with pytest.raises(points.AnswerProblem) as exc:
        points.normalise_answer(instrument(KAB), cid, raw)
    assert exc.value.key == key


def test_the_engine_entry_rejects_bad_answers_with_a_clear_message():
    with pytest.raises(ValidationError) as exc:
        decide(KAB, {"1C13a": "WDP"})
    assert str(exc.value) == ("instrumen tidak mengetahui poin WDP untuk 1C13a (lihat keputusan instrumen); "
                              "tuliskan poinnya: WDP=<poin>")


def test_a_category_with_unknown_points_takes_them_as_a_flagged_input():
    ev = decide(KAB, {"1C13a": "wdp = 3,33"}, evidence={"1C13a": 1})
    d = ev.decisions["1C13a"]
    assert d.input["answer"] == "WDP=3.33"
    assert d.result.record() == {"value": 3.33, "raw_value": 3.33, "flags": ["points_given"]}
    assert list(d.trace) == ["1C13a/category:WDP:given"]
    assert decide(KAB, {"1C13a": "Wajar Tanpa Pengecualian"}).decisions["1C13a"].result.value == 5


# ---------------------------------------------------------------------------
# not applicable and the rescaling


def test_lines_not_applicable_leave_the_applicable_weight():
    inst = instrument(KAB)
    answers = {cid: points.best_answer(inst, cid) for cid in inst.criteria}
    answers.update({"1B14": "TB", "KOEF04": "0"})   # no integrity zone: 100 - 3.5 = 96.5
    ev = evaluate(inst, answers, engine="plain")
    assert ev.decisions["1B14"].result.record() == {"value": None, "raw_value": None, "flags": ["not_applicable"]}
    s = scoring.score(inst, ev.values())
    assert s["rescale"] == {"component": "general", "weight": 96.5, "full_weight": 100, "source": "derived",
                            "derived_weight": 96.5, "not_applicable": ["1B14"], "score": 96.5, "rescaled": 100.0}
    assert s["components"]["general"] == {**s["components"]["general"], "score": 96.5, "counted": 100.0}
    assert s["indeks_rb"] == 120.0 and s["grade"] == "AA"
    # an official weight given as input wins over the derived one, and the result says which
    s2 = scoring.score(inst, ev.values(), applicable_weight=86.5)
    assert s2["rescale"]["source"] == "input" and s2["rescale"]["derived_weight"] == 96.5
    assert s2["rescale"]["rescaled"] == 111.56    # 96.5 / 86.5 x 100 = 111.5606...


def test_a_positive_coefficient_can_pass_the_nominal_maximum_and_takes_the_top_band():
    inst = instrument(KAB)
    answers = {cid: points.best_answer(inst, cid) for cid in inst.criteria}
    s = scoring.score(inst, evaluate(inst, answers, engine="plain").values())
    assert s["components"]["general"]["score"] == 101.0 and s["indeks_rb"] == 121.0
    assert (s["grade"], s["grade_confirmed"]) == ("AA", False)


@pytest.mark.usefixtures("english")
def test_scoring_rejects_hasil_inputs_and_impossible_weights():
    inst = instrument(KAB)
    with pytest.raises(ValidationError):
        scoring.score(inst, {}, {"H.1.a": 3})
    with pytest.raises(ValidationError, match="at most 100"):
        scoring.score(inst, {}, applicable_weight=101)
    every_general_line_na = {cid: None for cid, c in inst.criteria.items()
                             if points.spec(inst, cid)["may_be_na"]}
    with pytest.raises(ValidationError, match="no line of component general applies"):
        scoring.score(inst, every_general_line_na)


# ---------------------------------------------------------------------------
# what raising a line would add


@pytest.mark.parametrize("engine", engines())
def test_gains_include_the_lines_a_multiplier_scales_and_the_rescaling(engine):
    inst = instrument(KAB)
    answers = {"1A11": "2.04", "1A12": "4.76", "1B15": "60", "1C12b": "50", "2A11-3": "0.13", "2A12-3": "50",
               "1C13a": "WDP=3.33"}
    g = points_scoring.gains(inst, answers, applicable=86.5, engine=engine)
    # 1A11 to 3: itself +0.96, and 1A12 from 0.23 to 0.33; RB General / 86.5 x 100
    assert g["1A11"]["to"] == "3"
    for cid, gain in g.items():
        if gain is None:
            continue
        base = points_scoring.what_if(inst, answers, {}, applicable=86.5, engine=engine)["indeks_rb"]
        new = points_scoring.what_if(inst, answers, {cid: gain["to"]}, applicable=86.5, engine=engine)["indeks_rb"]
        assert gain["gain"] == float(Decimal(repr(new)) - Decimal(repr(base))), cid
    assert g["1A11"]["gain"] == round((0.96 + 0.10) / 86.5 * 100, 2)
    assert g["1C13a"] == {"to": "WTP", "gain": g["1C13a"]["gain"], "total": g["1C13a"]["total"]}
    assert g["1C13a"]["gain"] > 0
    # a tematik action plan raises its output too (50 / 100 x 0.6 x 0.13 / 0.4 = 0.10 -> 0.30), not rescaled
    assert g["2A11-3"]["gain"] == 0.47   # 0.27 + 0.20


def test_a_line_not_applicable_has_no_gain():
    g = points_scoring.gains(instrument(KAB), {"1B14": "TB"}, engine="plain", lines=["1B14", "1B13"])
    assert g["1B14"] is None and g["1B13"]["gain"] == round(4 / 96.5 * 100, 2)


# ---------------------------------------------------------------------------
# failing closed, replay and explain


@pytest.mark.parametrize("engine", engines())
def test_a_stored_input_outside_its_range_fails_closed(engine):
    ev = Evaluator(instrument(KAB), engine)
    try:
        good = ev.decide({"1B13": {"answer": "3.5", "evidence": 1}})
        assert good["1B13"].result.value == 2.8
        with pytest.raises(RuleError, match="no value rule fired"):
            ev.decide({"1B13": {"answer": "7", "evidence": 1}})
        with pytest.raises(RuleError):
            ev.decide({"1C13a": {"answer": "WDP", "evidence": 1}})   # unknown points, none given
    finally:
        ev.close()


@pytest.mark.parametrize("engine", engines())
def test_every_decision_replays_alone(engine):
    inst = instrument(KAB)
    ev = evaluate(inst, {"1A11": "1.79", "1A12": "100", "1B14": "TB", "1C13a": "TMP=0", "KOEF04": "-1.255"},
                  engine=engine)
    again = Evaluator(inst, engine)
    try:
        replayed = again.decide({cid: copy.deepcopy(d.input) for cid, d in ev.decisions.items()})
    finally:
        again.close()
    for cid, d in ev.decisions.items():
        assert (replayed[cid].result.record(), list(replayed[cid].trace)) == (d.result.record(), list(d.trace)), cid
    assert ev.decisions["KOEF04"].result.value == -1.26


def test_explain_walks_a_multiplied_line():
    inst = instrument(KAB)
    ev = decide(KAB, {"1A11": "2.04", "1A12": "4.76"})
    steps = explain.decision_steps(inst, ev.decisions["1A12"])
    assert [s["value_after"] for s in steps["steps"]] == [0.23, 0.23, 0.23]
    assert steps["gating"][0]["prerequisite"] == "1A11" and steps["gating"][0]["prerequisite_answer"] == "2.04"
    c = explain.contribution(inst, "1A12", 0.23, scoring.score(inst, ev.values()))
    assert (c["points"], c["max_points"], c["component"]["id"]) == (0.23, 7.0, "general")


# ---------------------------------------------------------------------------
# worksheets


def test_worksheet_problems_are_all_reported_with_their_place():
    with pytest.raises(ValidationError) as exc:
        parse_worksheet({"instrument": "rb-2023-kabkota",
                         "answers": {"1B13": 9, "1C13a": "WDP", "2B1-1": "TB"},
                         "applicable_weight": 0,
                         "published": {"points": {"1B13": "x", "ZZ": 1}, "components": {"umum": 1}, "sum": 3}},
                        source="ws.yaml")
    details = exc.value.details
    assert len(details) == 8, details
    assert "ws.yaml: answers.1B13: 1B13: 9 di luar rentang 1..5" in details


def test_points_keys_are_refused_by_other_instruments():
    with pytest.raises(ValidationError) as exc:
        parse_worksheet({"instrument": "pmprb-2014", "answers": {}, "applicable_weight": 90,
                         "published": {"total": 70}}, source="ws.yaml")
    assert len(exc.value.details) == 2
    assert all("hanya untuk instrumen yang dinilai dengan poin per indikator" in d for d in exc.value.details)


def test_a_csv_worksheet_of_a_points_instrument(tmp_path):
    path = tmp_path / "ws.csv"
    path.write_text("criterion;answer;evidence\n1B13;3,277;1\n1C13a;WTP;1\n1B14;TB;\n", encoding="utf-8")
    ws = load_worksheet(path, "rb-2023-kabkota")
    assert ws.answers == {"1B13": "3.277", "1B14": "TB", "1C13a": "WTP"}
    out = ws.score("plain")
    assert out["lines"]["1B13"]["points"] == 2.62 and out["rescale"]["weight"] == 96.5


def test_the_readme_example_scores_as_its_comments_say(tmp_path):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "instrument: rb-2023-kabkota" in b]
    path = tmp_path / "ws.yaml"
    path.write_text(block, encoding="utf-8")
    
    out = load_worksheet(path).score("plain")
    assert (out["lines"]["1A12"]["points"], out["lines"]["1B13"]["points"]) == (4.18, 2.62)
    assert out["rescale"]["weight"] == 96.5 and out["rescale"]["not_applicable"] == ["1B14"]
    assert out["components"]["general"]["counted"] == 14.08 and out["indeks_rb"] == 14.33


@pytest.mark.parametrize("engine", engines())
def test_deviations_of_an_estimate_from_the_official_values(engine):
    from rb_support import institutions, oracle_worksheet

    (batu,) = [o for o in institutions(consistent=True) if o["name"] == "Kota Batu"]
    official = oracle_worksheet(batu, published=False)["answers"]
    estimate = {**official, "1B13": 3.5, "1A11": 3}     # SPIP over-estimated, the action plan at its maximum
    estimate.pop("1C22")                                 # the integrity survey not yet in
    dev = points_scoring.deviations(instrument(KAB), estimate, official, engine=engine)
    assert dev["official_total"] == 76.41
    spip, plan, survey = dev["lines"]["1B13"], dev["lines"]["1A11"], dev["lines"]["1C22"]
    assert (spip["estimate_points"], spip["official_points"], spip["difference"], spip["effect"]) == (
        2.8, 2.62, 0.18, 0.18)
    # the action plan moves the implementation line it multiplies: 1.21 + (7.00 - 4.18)
    assert (plan["difference"], plan["effect"]) == (1.21, 4.03)
    assert (survey["estimate"], survey["official_points"], survey["effect"]) == (None, 7.59, -7.59)
    assert dev["lines"]["1B15"]["effect"] == 0.0
    assert dev["difference"] == round(dev["estimate_total"] - 76.41, 2) == round(0.18 + 4.03 - 7.59, 2)
