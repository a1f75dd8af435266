"""A closed durable evaluator hands its host to the next one (no rebuild, no leak), and
that changes no decision."""

from __future__ import annotations

import dataclasses

from pmprb.engine import evaluator as evaluator_mod
from pmprb.engine.evaluator import DurableMatcher, Evaluator

from engine_support import needs_durable, pmprb2014

ANSWERS = {"MP.1.a": "C", "MP.1.b": "A", "MP.2.a": "Ya", "SDM.4.b": "A", "SDM.4.c": "Ya"}
EVIDENCE = {"MP.1.b": 1, "SDM.4.c": 1}


def _evaluate(ev: Evaluator) -> dict:
    return ev.evaluate(ANSWERS, EVIDENCE).decisions


@needs_durable
def test_the_next_evaluator_reuses_the_closed_host_and_decides_the_same():
    first = Evaluator(pmprb2014(), "durable")
    before = _evaluate(first)
    host = first.matcher._host
    first.close()
    second = Evaluator(pmprb2014(), "durable")
    try:
        assert second.matcher._host is host
        assert _evaluate(second) == before
    finally:
        second.close()


@needs_durable
def test_evaluators_alive_at_once_never_share_a_host():
    a, b = Evaluator(pmprb2014(), "durable"), Evaluator(pmprb2014(), "durable")
    try:
        assert a.matcher._host is not b.matcher._host
        assert _evaluate(a) == _evaluate(b)
    finally:
        a.close()
        b.close()


@needs_durable
def test_idle_hosts_are_bounded():
    open_ = [Evaluator(pmprb2014(), "durable") for _ in range(DurableMatcher.IDLE_HOSTS + 3)]
    for ev in open_:
        ev.close()
    compiled = open_[0].compiled
    assert len(DurableMatcher._idle[id(compiled)][1]) == DurableMatcher.IDLE_HOSTS
    assert len(DurableMatcher._idle) <= DurableMatcher.IDLE_RULESETS


@needs_durable
def test_a_failed_host_is_replaced_before_it_is_handed_on(monkeypatch):
    ev = Evaluator(pmprb2014(), "durable")
    failed = ev.matcher._host
    real = evaluator_mod._Host._record

    def record(self, rule_name):
        raise ValueError("boom")

    monkeypatch.setattr(evaluator_mod._Host, "_record", record)
    try:
        _evaluate(ev)
    except Exception:
        pass
    monkeypatch.setattr(evaluator_mod._Host, "_record", real)
    assert ev.matcher._host is not failed
    ev.close()
    nxt = Evaluator(pmprb2014(), "durable")
    try:
        assert nxt.matcher._host is not failed
        fresh = Evaluator(pmprb2014(), "plain")
        assert _evaluate(nxt) == {cid: dataclasses.replace(d, engine=nxt.label) for cid, d in _evaluate(fresh).items()}
    finally:
        nxt.close()
