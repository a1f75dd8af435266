"""A rule error aborts the evaluation with RuleError: never a partial decision set, never a score."""

from __future__ import annotations

import copy
import subprocess
import sys
import textwrap

import pytest

from pmprb.engine import compiler
from pmprb.engine import evaluator as evaluator_mod
from pmprb.engine.evaluator import Evaluator, raise_if_failed
from pmprb.engine.worksheet import parse_worksheet
from pmprb.errors import RuleError

from engine_support import REPO, engines, needs_durable, pmprb2014

BEST = {"MP.1.a": "A", "MP.1.b": "A"}


def _broken(drop=None, duplicate=None) -> dict:
    """A compiled pmprb-2014 ruleset with some rules removed or duplicated (its own name, so
    durable_rules registers it fresh)."""
    good = compiler.compile_instrument(pmprb2014())
    bad = copy.deepcopy(good)
    bad["name"] = good["name"] + "-broken"
    if drop:
        bad["rules"] = [r for r in bad["rules"] if not drop(r)]
    if duplicate:
        extra = [dict(copy.deepcopy(r), name=r["name"] + "-twin") for r in bad["rules"] if r["name"] == duplicate]
        bad["rules"] += extra
    return bad


@pytest.fixture
def broken_evaluator(monkeypatch):
    def make(engine, **kw):
        monkeypatch.setattr(evaluator_mod, "compile_instrument", lambda inst: _broken(**kw))
        return Evaluator(pmprb2014(), engine)
    return make


@pytest.mark.parametrize("engine", engines())
def test_a_fact_no_rule_matches_aborts(broken_evaluator, engine):
    ev = broken_evaluator(engine, drop=lambda r: r["criterion"] == "MP.1.a" or r["name"] == compiler.SINK)
    with pytest.raises(RuleError) as err:
        ev.evaluate(BEST, {"MP.1.a": 1})
    assert "no rule matched" in str(err.value) and "MP.1.a" in str(err.value)


@pytest.mark.parametrize("engine", engines())
def test_two_value_rules_for_one_criterion_abort(broken_evaluator, engine):
    ev = broken_evaluator(engine, duplicate="MP.3.a/answer:A")
    with pytest.raises(RuleError) as err:
        ev.evaluate({"MP.3.a": "A"})
    assert str(err.value) == ("MP.3.a: two value rules fired for one criterion: "
                              "['MP.3.a/answer:A', 'MP.3.a/answer:A-twin', 'MP.3.a/evidence:missing']")


@pytest.mark.parametrize("engine", engines())
def test_no_value_rule_aborts(broken_evaluator, engine):
    # Only the answer:B rule is gone; the sink still catches the fact, so the rule set "works".
    ev = broken_evaluator(engine, drop=lambda r: r["name"] == "MP.3.a/answer:B")
    with pytest.raises(RuleError) as err:
        ev.evaluate({"MP.3.a": "B"}, {"MP.3.a": 1})
    assert str(err.value) == "MP.3.a: no value rule fired (trace [])"


@pytest.mark.parametrize("engine", engines())
def test_a_rule_error_never_yields_a_score(broken_evaluator, engine, monkeypatch):
    broken = broken_evaluator(engine, drop=lambda r: r["name"] == "SDM.4.c/answer:Ya")
    monkeypatch.setattr(evaluator_mod, "Evaluator", lambda inst, engine=None: broken)
    ws = parse_worksheet({"instrument": "pmprb-2014", "answers": {"SDM.4.b": "A", "SDM.4.c": "Ya"},
                          "evidence": {"SDM.4.c": 1}, "hasil": {"H.2.b": "WTP"}})
    with pytest.raises(RuleError, match=r"^SDM\.4\.c: no value rule fired \(trace \[\]\)$"):
        ws.score(engine)


@needs_durable
def test_an_action_error_aborts_and_the_next_evaluation_is_clean(monkeypatch):
    ev = Evaluator(pmprb2014(), "durable")
    real = evaluator_mod._Host._record

    def record(self, rule_name):
        if rule_name == "MP.1.b/gate:zero_if_answer:MP.1.a":
            raise ValueError("boom in action")
        real(self, rule_name)

    monkeypatch.setattr(evaluator_mod._Host, "_record", record)
    with pytest.raises(RuleError, match="durable_rules failed: boom in action"):
        ev.evaluate({"MP.1.a": "C", "MP.1.b": "A"})
    monkeypatch.setattr(evaluator_mod._Host, "_record", real)
    # The matcher dropped the failed host; the same evaluator decides correctly afterwards.
    again = ev.evaluate({"MP.1.a": "C", "MP.1.b": "A"}, {"MP.1.b": 1})
    assert again.decisions["MP.1.b"].result.record() == {"value": 0.0, "raw_value": 1.0, "flags": ["gated_by:MP.1.a"]}


@needs_durable
def test_an_error_durable_stores_in_the_session_state_is_detected():
    import durable.engine

    class Host(durable.engine.Host):
        def _run(self):
            pass

        def get_action(self, name):
            def action(c):
                raise ValueError("kaboom")
            return action

    host = Host()
    host.set_rulesets({"probe": {"r": {"all": [{"m": {"t": "x"}}], "run": "r"}}})
    # durable_rules swallows the action's exception and returns normally ...
    host.assert_facts("probe", [{"sid": "1", "t": "x"}])
    state = host.get_state("probe", "1")
    assert "kaboom" in state["exception"]
    # ... and the adapter turns what it stored into a RuleError.
    with pytest.raises(RuleError, match="durable_rules reported an error: exception caught kaboom"):
        raise_if_failed(state)
    raise_if_failed({"sid": "1"})  # a clean state passes


@needs_durable
def test_the_durable_matcher_checks_the_session_state_after_every_batch(monkeypatch):
    ev = Evaluator(pmprb2014(), "durable")
    monkeypatch.setattr(evaluator_mod._Host, "get_state", lambda self, rs, sid=None: {"sid": sid, "exception": "x"})
    with pytest.raises(RuleError, match="durable_rules reported an error: x"):
        ev.evaluate(BEST)


@needs_durable
def test_an_unmatched_fact_does_not_crash_the_process():
    # durable_rules segfaults if the session is touched after MessageNotHandledException;
    # run it in a child process so a regression fails this test instead of killing pytest.
    code = textwrap.dedent("""
        import copy
        from pmprb.engine import compiler
        from pmprb.engine.evaluator import DurableMatcher, make_fact
        from pmprb.engine.instrument import load_instrument
        from pmprb.errors import RuleError
        c = copy.deepcopy(compiler.compile_instrument(load_instrument("pmprb-2014")))
        c["rules"] = [r for r in c["rules"] if r["criterion"] != "MP.1.a" and r["name"] != compiler.SINK]
        m = DurableMatcher(c)
        for _ in range(3):
            try:
                m.fire([make_fact(c, "MP.1.a", {"answer": "A", "evidence": 0})])
            except RuleError as exc:
                print("RuleError", str(exc)[:40])
        print(m.fire([make_fact(c, "MP.2.a", {"answer": "Ya", "evidence": 1})]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["RuleError no rule matched a fact: Could not handle"] * 3 + [
        "{'MP.2.a': ['MP.2.a/answer:Ya']}"]


def test_the_plain_engine_refuses_operators_it_does_not_know():
    with pytest.raises(RuleError, match=r"the plain evaluator does not support operator \$mt"):
        evaluator_mod._match({"$mt": {"a": "x"}}, {"a": "x"})


@needs_durable
def test_a_batch_refused_as_already_observed_is_decided_again_on_a_fresh_host(monkeypatch):
    import durable.engine

    ev = Evaluator(pmprb2014(), "durable")
    expected = Evaluator(pmprb2014(), "plain").evaluate({"MP.1.a": "C", "MP.1.b": "A"}, {"MP.1.b": 1})
    real = evaluator_mod._Host.assert_facts
    hosts = []

    def refuse_once(self, name, facts):
        hosts.append(self)
        if len(hosts) == 1:
            raise durable.engine.MessageObservedException(facts)
        return real(self, name, facts)

    monkeypatch.setattr(evaluator_mod._Host, "assert_facts", refuse_once)
    got = ev.evaluate({"MP.1.a": "C", "MP.1.b": "A"}, {"MP.1.b": 1})
    assert hosts[0] is not hosts[1]          # the refused host was replaced, not reused
    assert {c: d.result for c, d in got.decisions.items()} == \
        {c: d.result for c, d in expected.decisions.items()}

    def refuse_always(self, name, facts):
        raise durable.engine.MessageObservedException(facts)

    monkeypatch.setattr(evaluator_mod._Host, "assert_facts", refuse_always)
    with pytest.raises(RuleError, match="durable_rules failed"):
        ev.evaluate({"MP.1.a": "C"})
