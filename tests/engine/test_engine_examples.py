"""Every worked example in the rule files passes on both engines, and the examples cover the rules."""

from __future__ import annotations

import pytest

from pmprb.engine import examples
from pmprb.engine.compiler import compile_instrument

from engine_support import engines, evaluator, pmprb2014


def _all():
    return examples.examples_of(pmprb2014())


@pytest.mark.parametrize("ex", _all(), ids=lambda ex: f"{ex.area}[{ex.index}]")
@pytest.mark.parametrize("engine", engines())
def test_example_gives_its_expected_values(ex, engine):
    assert examples.mismatches(ex, examples.run(evaluator(engine), ex)) == []


@pytest.mark.usefixtures("english")
def test_check_examples_reports_every_failure_on_every_engine(tmp_path):
    from engine_support import copy_instrument
    from pmprb.engine.instrument import load_instrument

    folder = copy_instrument(tmp_path, [(
        "05-sdm.yaml",
        "    SDM.4.c: {value: 0.33, raw_value: 1, flags: ['gated_by:SDM.4.b']}",
        "    SDM.4.c: {value: 0.34, raw_value: 1, flags: ['gated_by:SDM.4.b']}")])
    failures = examples.check_examples(load_instrument(folder))
    label = ("SDM.examples[2] 'Promosi terbuka (LKE 2015, jawaban BPS) - SDM.4.c dikalikan nilai SDM.4.b, "
             "dan seterusnya'")
    assert failures == [f"{label} ({evaluator(e).label}): SDM.4.c value expected 0.34, got 0.33" for e in engines()]


def test_every_area_has_examples_of_unanswered_and_claimed_without_evidence():
    inst = pmprb2014()
    for area in inst.areas:
        exs = inst.examples[area["code"]]
        assert len(exs) >= 2, area["code"]
        flags = {f for ex in exs for exp in ex["expect"].values() for f in exp.get("flags", [])}
        assert {"unanswered", "claimed_without_evidence"} <= flags, area["code"]


def test_every_compiled_gate_rule_fires_in_some_example():
    inst = pmprb2014()
    gate_rules = {r["name"] for r in compile_instrument(inst)["rules"] if "/gate:" in r["name"]}
    assert len(gate_rules) == 37  # one per (target, gating declaration)
    fired = set()
    for ex in _all():
        for d in examples.run(evaluator("plain"), ex).decisions.values():
            fired.update(name for name in list(d.trace) if "/gate:" in name)
    assert gate_rules - fired == set()


def test_every_gating_declaration_has_an_example_where_it_fires_and_one_where_it_does_not():
    inst = pmprb2014()
    runs = [examples.run(evaluator("plain"), ex) for ex in _all()]
    for area in inst.areas:
        for sub in area["subareas"]:
            for gate in sub.get("gating", []):
                targets = gate.get("then_zero") or (gate["criteria"][1:] if gate["kind"] == "zero_chain"
                                                    else gate["criteria"])
                kind = gate["kind"]
                fires = [any(f"/gate:{kind}:" in n for n in list(r.decisions[t].trace)) for r in runs for t in targets
                         if r.decisions[t].input["answer"] is not None]
                assert any(fires), (sub["id"], kind)
                assert not all(fires), (sub["id"], kind)
