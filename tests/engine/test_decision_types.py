"""The typed Decision and Result: immutable, and their records are byte for byte the stored dicts.

A record goes to the database, a decision log or a replay file as canonical JSON and is hashed;
``Decision.record()`` must give exactly the dict the evaluator used to build, and
``Decision.from_record`` must read any stored record back so that it re-encodes identically.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import flags
from pmprb.engine.decision import Decision, Result
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument

from engine_support import engines, pmprb2014

ROAD_MAP_2016 = "Perbup Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Kabupaten X Tahun 2016-2020"


def _round_trip(d: Decision) -> str:
    """The decision's record as stored, read back from its JSON text and stored again."""
    text = canonical_json(d.record())
    again = Decision.from_record(json.loads(text))
    assert again == d
    assert canonical_json(again.record()) == text
    # Each stored column on its own (decision_records stores input, result and trace apart).
    assert canonical_json(Result.from_record(json.loads(canonical_json(d.result.record()))).record()) == \
        canonical_json(d.result.record())
    return text


@pytest.mark.parametrize("engine", engines())
def test_a_choice_decision_records_the_dict_it_always_stored(engine):
    d = evaluate(pmprb2014(), {"MP.1.a": "A"}, {"MP.1.a": 1}, engine=engine).decisions["MP.1.a"]
    assert isinstance(d, Decision) and isinstance(d.result, Result)
    assert d.record() == {"criterion": "MP.1.a", "input": {"answer": "A", "evidence": 1},
                          "result": {"value": 1.0, "raw_value": 1.0, "flags": []},
                          "trace": ["MP.1.a/answer:A"], "engine": d.engine}
    assert "count" not in d.result.record() and not d.result.is_count
    _round_trip(d)


@pytest.mark.parametrize("engine", engines())
def test_a_gated_decision_names_its_gate(engine):
    ev = evaluate(pmprb2014(), {"MP.1.a": "C", "MP.1.b": "A"}, {"MP.1.b": 1}, engine=engine)
    r = ev.decisions["MP.1.b"].result
    assert r.has_flag(flags.gated_by("MP.1.a")) and r.gates == ("MP.1.a",)
    assert r.record()["flags"] == ["gated_by:MP.1.a"] and r.value == 0.0 and r.raw_value == 1.0
    assert ev.decisions["MP.1.a"].result.gates == ()
    _round_trip(ev.decisions["MP.1.b"])


@pytest.mark.parametrize("engine", engines())
def test_count_decisions_keep_count_present_even_when_none(engine):
    inst = load_instrument("zi-2021")
    ev = evaluate(inst, {"R.MP.1.a.1": 10}, {"R.MP.1.a": 1}, engine=engine)
    entered, missing = ev.decisions["R.MP.1.a.1"], ev.decisions["R.MP.1.a.2"]
    assert entered.result.is_count and entered.result.count == 10
    assert entered.result.record() == {"value": None, "raw_value": None, "count": 10, "flags": []}
    # An unanswered count item: "count": null is stored, not left out.
    assert missing.result.is_count and missing.result.count is None
    assert missing.result.record() == {"value": None, "raw_value": None, "count": None,
                                       "flags": [flags.UNANSWERED]}
    assert '"count":null' in _round_trip(missing)
    _round_trip(entered)
    # The computed item reads both counts from their decisions.
    assert ev.decisions["R.MP.1.a"].input["counts"] == {"R.MP.1.a.1": 10, "R.MP.1.a.2": None}


@pytest.mark.parametrize("engine", engines())
def test_a_points_decision_round_trips(engine):
    ev = evaluate(load_instrument("rb-2023-kabkota"), {"1A11": 2.04, "1A12": 4.76}, engine=engine)
    d = ev.decisions["1A12"]
    assert d.result.record() == {"value": 0.23, "raw_value": 0.33,
                                 "flags": [flags.CLAIMED_WITHOUT_EVIDENCE, "gated_by:1A11"]}
    assert d.result.gates == ("1A11",)
    _round_trip(d)


@pytest.mark.parametrize("engine", engines())
def test_an_evidence_flag_decision_round_trips_with_its_documents(engine):
    d = evaluate(pmprb2014(), {"MP.2.a": "Ya"}, documents={"MP.2.a": [ROAD_MAP_2016]}, period=2022,
                 engine=engine).decisions["MP.2.a"]
    assert d.result.evidence_flags == (flags.EVIDENCE_OUTDATED,) and d.result.has_flag(flags.EVIDENCE_OUTDATED)
    assert "documents" in d.input
    _round_trip(d)


def test_stored_records_of_every_shape_re_encode_byte_for_byte():
    """Records as other code or older rounds wrote them, read back and written again unchanged."""
    for text in ('{"count":3,"flags":[],"raw_value":null,"value":null}',
                 '{"count":null,"flags":["unanswered"],"raw_value":null,"value":null}',
                 '{"flags":["gated_by:MP.1.a","claimed_without_evidence"],"raw_value":1.0,"value":0.0}',
                 '{"flags":[],"raw_value":0.6666666666666666,"value":0.6666666666666666}',
                 '{"flags":["not_applicable"],"raw_value":null,"value":null}'):
        assert canonical_json(Result.from_record(json.loads(text)).record()) == text


def test_decisions_are_immutable_and_not_mappings():
    d = evaluate(pmprb2014(), {"MP.1.a": "A"}, {"MP.1.a": 1}, engine="plain").decisions["MP.1.a"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.trace = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.result.value = 0.0
    with pytest.raises(TypeError):
        d["result"]
    assert not hasattr(d, "__dict__") and not hasattr(d.result, "__dict__")   # slotted: cheap
    assert isinstance(d.trace, tuple) and isinstance(d.result.flags, tuple)
    # A record handed out is a new dict: changing it changes nothing in the decision.
    rec = d.record()
    rec["result"]["flags"].append("x")
    rec["trace"].append("y")
    assert d.result.flags == () and d.trace == ("MP.1.a/answer:A",)


def test_results_kept_by_trace_read_nothing_of_the_input():
    """The evaluator keeps a Result per trace only for rules that set, zero, bound or flag a
    value: applied again to an empty input, each kept trace gives the same Result."""
    from pmprb.engine import evaluator as evaluator_mod
    from pmprb.engine.evaluator import Evaluator, _apply_value_effects
    from pmprb.engine.instrument import load_instrument

    for inst_id in ("pmprb-2014", "zi-2021"):
        inst = load_instrument(inst_id)
        ev = Evaluator(inst, "plain")
        try:
            answers = {cid: list(c.values)[-1] for cid, c in inst.criteria.items() if c.is_choice}
            ev.evaluate(answers, {cid: 0 for cid in answers})
            ev.evaluate({cid: list(c.values)[0] for cid, c in inst.criteria.items() if c.is_choice})
            kept = ev._results
            assert kept, inst_id
            for trace, result in kept.items():
                assert all(ev.rules_by_name[n]["effect"].keys() <= evaluator_mod._INPUT_FREE_EFFECTS for n in trace)
                assert _apply_value_effects(ev.rules_by_name, list(trace), {}) == result
            reading = 0
            for worksheet in (answers, {}):
                for d in ev.evaluate(worksheet).decisions.values():
                    if any(ev.rules_by_name[n]["effect"].keys() - evaluator_mod._INPUT_FREE_EFFECTS for n in d.trace):
                        reading += 1
                        assert d.trace not in kept, (d.criterion, d.trace)
            assert reading, inst_id   # the instrument has rules that read the input (counts, gates)
        finally:
            ev.close()
