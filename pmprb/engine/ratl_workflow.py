"""The RATL item state machine (python-statemachine), in the style of
:mod:`pmprb.engine.workflow`: the state lives on the row (``RatlItem.status``),
data checks come in as ``blockers``.

planned -> in_progress (``start``) -> done (``complete``: evidence required)
-> verified (``verify``: by someone other than who marked it done).
``reject`` sends a done item back to in_progress with a reason, so a
verifier who is not satisfied has a recorded way to say so.
"""

from __future__ import annotations

from statemachine import Event, State

from pmprb.engine.workflow import _Workflow, allowed_events, fire, transition_table  # noqa: F401  (re-exported helpers)

class RatlWorkflow(_Workflow):
    what_key = "wf.ratl"
    kind = "ratl"
    reason_events = frozenset({"reject"})

    planned = State("planned", value="planned", initial=True)
    in_progress = State("in_progress", value="in_progress")
    done = State("done", value="done")
    verified = State("verified", value="verified", final=True)

    start = Event(planned.to(in_progress, validators="check_blockers"), id="start", name="start")
    complete = Event(in_progress.to(done, validators="check_blockers"), id="complete", name="complete")
    verify = Event(done.to(verified, validators="check_blockers"), id="verify", name="verify")
    reject = Event(done.to(in_progress, validators="check_blockers"), id="reject", name="reject")


RATL_STATES = tuple(s.value for s in RatlWorkflow.states)
RATL_EVENTS = ("start", "complete", "verify", "reject")
# Which event reaches a state, for `ratl update --status STATE`.
EVENT_TO = {"in_progress": "start", "done": "complete", "verified": "verify"}
