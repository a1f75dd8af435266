"""The state machines alone: every legal transition, every illegal one."""

from __future__ import annotations

import pytest

from pmprb.engine import workflow as wf
from pmprb.engine.state_labels import event_name, state_name
from pmprb.errors import StateError


class Row:
    def __init__(self, state):
        self.state = state


ROUND_TABLE = {("draft", "open"): "open", ("open", "review"): "review", ("review", "open"): "open",
               ("review", "consensus"): "consensus", ("consensus", "finalise"): "final",
               ("final", "reopen"): "consensus"}
WS_TABLE = {("in_progress", "submit"): "submitted", ("submitted", "return"): "returned",
            ("submitted", "accept"): "accepted", ("returned", "submit"): "submitted",
            ("returned", "resume"): "in_progress", ("accepted", "return"): "returned"}
ROUND_EVENTS = ["open", "review", "consensus", "finalise", "reopen"]
WS_EVENTS = ["submit", "return", "accept", "resume"]


def test_tables_are_as_documented():
    assert {(s, e) for s, e, _ in wf.transition_table(wf.RoundWorkflow)} == set(ROUND_TABLE)
    assert {(s, e): t for s, e, t in wf.transition_table(wf.WorksheetWorkflow)} == WS_TABLE


@pytest.mark.parametrize("machine,table,events,kw", [
    (wf.RoundWorkflow, ROUND_TABLE, ROUND_EVENTS, {"reason": "alasan"}),
    (wf.WorksheetWorkflow, WS_TABLE, WS_EVENTS, {"reason": "alasan"}),
])
def test_every_pair(machine, table, events, kw):
    for state in (s.value for s in machine.states):
        for event in events:
            row = Row(state)
            if (state, event) in table:
                tr = wf.fire(machine, row, event, subject="x", **kw)
                assert (tr.source, tr.target, row.state) == (state, table[(state, event)], table[(state, event)])
            else:
                with pytest.raises(StateError) as exc:
                    wf.fire(machine, row, event, subject="x", **kw)
                allowed = wf.allowed_events(machine, state)
                # People read the states and steps by their Indonesian names, never the internal ones.
                assert f"berstatus {state_name(machine.kind, state)};" in str(exc.value)
                assert ", ".join(event_name(e) for e in allowed) in str(exc.value)
                assert f"'{state}'" not in str(exc.value)
                assert row.state == state


def test_reopen_targets_and_reason():
    for target in wf.REOPEN_TARGETS:
        row = Row("final")
        assert wf.fire(wf.RoundWorkflow, row, "reopen", subject="r", reason="salah hitung", to=target).target == target
    with pytest.raises(StateError, match="alasan wajib"):
        wf.fire(wf.RoundWorkflow, Row("final"), "reopen", subject="r", reason="  ")
    with pytest.raises(StateError, match="bukan “draft”"):
        wf.fire(wf.RoundWorkflow, Row("final"), "reopen", subject="r", reason="x", to="draft")


def test_blockers_stop_the_transition_and_are_all_listed():
    row = Row("open")
    with pytest.raises(StateError) as exc:
        wf.fire(wf.RoundWorkflow, row, "review", subject="2024", blockers=lambda e: ["satu", "dua"])
    assert exc.value.details == ["satu", "dua"] and row.state == "open"


def test_unknown_event_names_allowed_ones():
    with pytest.raises(StateError, match="berstatus reviu; .*Langkah yang dapat dilakukan: buka, mulai konsensus"):
        wf.fire(wf.RoundWorkflow, Row("review"), "terbang", subject="2024")
