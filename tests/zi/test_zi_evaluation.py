"""Evaluating ZI worksheets: worked examples, the two engines against each other,
replay of single decisions, and count inputs."""

from __future__ import annotations

import json
import random

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import examples, predicates, scoring
from pmprb.engine.evaluator import Evaluator, durable_available
from pmprb.errors import ValidationError

from zi_support import engines, full_marks, random_worksheet, zi

needs_durable = pytest.mark.skipif(not durable_available(), reason="durable_rules does not import on this Python")


def test_every_worked_example_passes_on_every_engine_and_they_agree():
    inst = zi()
    assert len(examples.examples_of(inst)) >= 25
    assert examples.check_examples(inst, engines()) == []


def _comparable(ev) -> str:
    return canonical_json({cid: {k: v for k, v in d.record().items() if k != "engine"} for cid, d in ev.decisions.items()})


@needs_durable
def test_durable_and_plain_agree_on_random_zi_worksheets():
    inst = zi()
    rng = random.Random(20210090)
    durable, plain = Evaluator(inst, "durable"), Evaluator(inst, "plain")
    seen: set = set()
    try:
        for _ in range(600):
            answers, evidence = random_worksheet(rng, inst)
            hasil = {"H.1.a": round(rng.uniform(0, 4), 3), "H.1.b": rng.choice("ABCDE"),
                     "H.2.a": round(rng.uniform(0, 4), 3)}
            a, b = durable.evaluate(answers, evidence), plain.evaluate(answers, evidence)
            assert _comparable(a) == _comparable(b)
            seen.update(name.split("/")[-1] for d in a.decisions.values() for name in list(d.trace))
            sa = scoring.score(inst, a.values(), hasil, engine="durable")
            sb = scoring.score(inst, b.values(), hasil, engine="plain")
            for pa, pb in zip(sa["predicates"], sb["predicates"]):
                pa, pb = dict(pa, engine=None), dict(pb, engine=None)
                assert pa == pb
    finally:
        durable.close()
        plain.close()
    # The random worksheets must reach every case of every formula.
    assert {"formula:ratio", "formula:decrease", "formula:sum", "formula:both_zero", "formula:zero_denominator",
            "formula:cap", "formula:floor", "count", "unanswered", "evidence:missing"} <= seen


@needs_durable
def test_both_engines_decide_predicates_identically_around_every_bound():
    inst = zi()
    answers, evidence, hasil = full_marks()
    ev = Evaluator(inst, "plain")
    values = ev.evaluate(answers, evidence).values()
    for x in (0.0, 1.5, 3.19, 3.2, 3.2000001, 3.3, 4.0):
        results = [scoring.score(inst, values, dict(hasil, **{"H.2.a": x}), engine=e)["predicates"]
                   for e in ("durable", "plain")]
        strip = [[dict(p, engine=None) for p in r] for r in results]
        assert strip[0] == strip[1]


def test_a_decision_replays_alone_from_its_stored_input():
    inst = zi()
    rng = random.Random(7)
    for engine in engines():
        ev = Evaluator(inst, engine)
        try:
            answers, evidence = random_worksheet(rng, inst)
            result = ev.evaluate(answers, evidence)
            for cid, dec in result.decisions.items():
                again = ev.decide({cid: json.loads(json.dumps(dec.input))})[cid]
                assert canonical_json(again.record()) == canonical_json(dec.record()), cid
        finally:
            ev.close()


def test_a_percentage_decision_carries_its_counts():
    inst = zi()
    ev = Evaluator(inst, "plain")
    dec = ev.evaluate({"R.MP.1.a.1": 10, "R.MP.1.a.2": 12}, {"R.MP.1.a": 1}).decisions["R.MP.1.a"]
    assert dec.input == {"answer": None, "evidence": 1, "counts": {"R.MP.1.a.2": 12, "R.MP.1.a.1": 10}}
    assert dec.result.record() == {"value": 1.0, "raw_value": 1.2, "flags": ["capped"]}
    assert list(dec.trace) == ["R.MP.1.a/formula:ratio", "R.MP.1.a/formula:cap"]


def test_counts_may_come_inside_answers_or_separately():
    inst = zi()
    ev = Evaluator(inst, "plain")
    a = ev.evaluate({"R.AKT.1.a.1": 8, "R.AKT.1.a.2": "6"}, {})
    b = ev.evaluate({}, {}, counts={"R.AKT.1.a.1": 8, "R.AKT.1.a.2": 6})
    assert _comparable(a) == _comparable(b)
    assert a.decisions["R.AKT.1.a"].result.value == 0.75


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("answers, counts, message", [
    ({"R.MP.1.a.1": -1}, None, "criterion R.MP.1.a.1 (Jumlah): a count must be a whole number"),
    ({"R.MP.1.a.1": 2.5}, None, "a count must be a whole number"),
    ({"R.MP.1.a.1": "dua"}, None, "a count must be a whole number"),
    ({"R.MP.1.a": 0.8}, None, "criterion R.MP.1.a (%) is computed from R.MP.1.a.2, R.MP.1.a.1; enter those counts"),
    ({"R.PWS.3.a.1": 6}, None, "criterion R.PWS.3.a.1 (Jumlah (otomatis)) is computed from"),
    ({}, {"P.MP.1.a": 1}, "criterion P.MP.1.a (Ya/Tidak) is not a count"),
    ({"R.MP.1.a.1": 1}, {"R.MP.1.a.1": 1}, "criterion R.MP.1.a.1 is given both as an answer and as a count"),
    ({}, {"X.1": 1}, "unknown criterion 'X.1'"),
])
def test_bad_count_inputs_are_named(answers, counts, message):
    ev = Evaluator(zi(), "plain")
    with pytest.raises(ValidationError) as exc:
        ev.evaluate(answers, {}, counts=counts)
    assert message in exc.value.message


def test_counts_are_never_scored():
    inst = zi()
    answers, evidence, hasil = full_marks()
    ev = Evaluator(inst, "plain")
    base = scoring.score(inst, ev.evaluate(answers, evidence).values(), hasil)
    # A count that does not feed a formula (complaints in process) changes nothing.
    answers["R.PWS.2.a.2"] = 999
    again = scoring.score(inst, ev.evaluate(answers, evidence).values(), hasil)
    assert again["indeks_rb"] == base["indeks_rb"] == 100.0


def test_describe_speaks_indonesian_by_default_and_english_on_request():
    inst = zi()
    answers, evidence, hasil = full_marks()
    values = Evaluator(inst, "plain").evaluate(answers, evidence).values()
    wbk, wbbm = scoring.score(inst, values, hasil, engine="plain")["predicates"]
    assert predicates.describe(wbk, "id") == ["memenuhi syarat Wilayah Bebas dari Korupsi (WBK)"]
    assert predicates.describe(wbk, "en") == ["meets the requirements for Corruption-Free Area (WBK)"]
    assert predicates.describe(wbbm, "id")[-1] == (
        "ambang batas Wilayah Birokrasi Bersih dan Melayani (WBBM) belum dikonfirmasi; hasil ini hanya indikatif")


@pytest.mark.parametrize("counts, item, raw, value, flags", [
    ({"R.MP.1.a.1": 10, "R.MP.1.a.2": 9}, "R.MP.1.a", 0.9, 0.9, []),          # exactly at a cap of 0.9
    ({"R.MP.1.a.1": 10, "R.MP.1.a.2": 10}, "R.MP.1.a", 1.0, 0.9, ["capped"]),
    ({"R.MP.1.a.1": 10, "R.MP.1.a.2": 1}, "R.MP.1.a", 0.1, 0.1, []),          # exactly at a floor of 0.1
    ({"R.MP.1.a.1": 20, "R.MP.1.a.2": 1}, "R.MP.1.a", 0.05, 0.1, ["floored"]),
    ({"R.SDM.3.a.1": 10, "R.SDM.3.a.2": 1}, "R.SDM.3.a", 0.9, 0.8, ["capped"]),
    ({"R.SDM.3.a.1": 10, "R.SDM.3.a.2": 2}, "R.SDM.3.a", 0.8, 0.8, []),
    ({"R.SDM.3.a.1": 10, "R.SDM.3.a.2": 9}, "R.SDM.3.a", 0.1, 0.2, ["floored"]),
])
def test_caps_and_floors_below_one_use_multiplied_bounds_on_both_engines(tmp_path, counts, item, raw, value, flags):
    from zi_support import copy_instrument
    from pmprb.engine.instrument import load_instrument

    folder = copy_instrument(tmp_path)
    for name, old, new in (("07-r-mp.yaml", "cap: 1\n      floor: 0\n", "cap: 0.9\n      floor: 0.1\n"),
                           ("09-r-sdm.yaml", "cap: 1\n      floor: 0\n", "cap: 0.8\n      floor: 0.2\n")):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    inst = load_instrument(folder)
    decided = []
    for engine in engines():
        ev = Evaluator(inst, engine)
        try:
            decided.append(ev.evaluate(counts, {item: 1}).decisions[item].record())
        finally:
            ev.close()
    r = decided[0]["result"]
    assert r["raw_value"] == pytest.approx(raw) and r["value"] == pytest.approx(value) and r["flags"] == flags
    assert all({k: v for k, v in d.items() if k != "engine"} == {k: v for k, v in decided[0].items() if k != "engine"}
               for d in decided)
