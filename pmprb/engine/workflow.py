"""Workflow state machines for rounds and worksheets (python-statemachine).

The state lives on the database row (``AssessmentRound.state``,
``Worksheet.state``); a machine is built around the row for one transition
and writes the new state back onto it. This module knows nothing about the
database: the checks that need data (every worksheet submitted, no open
consensus item, ...) are passed in as ``blockers``, a function of the event
name returning the reasons that block it, so the store decides what to
check and the machine decides what is reachable.

An event that is not possible from the current state, or that a blocker
stops, raises :class:`pmprb.errors.StateError` naming the current state and
the transitions allowed from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from statemachine import Event, State, StateMachine
from statemachine.exceptions import TransitionNotAllowed

from pmprb import i18n
from pmprb.engine.state_labels import event_name, state_name
from pmprb.errors import StateError

Blockers = Callable[[str], Iterable[str]]

class _Workflow(StateMachine):
    """Common behaviour: every transition consults the caller's blockers."""

    what_key = ""
    kind = ""           # the state_labels kind of the states
    reason_events: frozenset[str] = frozenset()

    def check_blockers(self, event: str, blockers: Blockers | None = None, reason: str | None = None, **_):
        problems: list[str] = []
        if event in self.reason_events and not (reason or "").strip():
            problems.append(i18n.t("wf.reason_required", event=event_name(event)))
        if blockers is not None:
            problems.extend(blockers(event))
        if problems:
            raise _Blocked(problems)


class _Blocked(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class RoundWorkflow(_Workflow):
    """draft -> open -> review -> consensus -> final, and back:

    - ``open`` also from ``review`` (assessment reopened, e.g. so a returned
      worksheet can be corrected);
    - ``reopen`` from ``final`` (reason required) to ``consensus`` (default),
      ``review`` or ``open``, chosen with ``to=``.
    """

    what_key = "wf.round"
    kind = "round"
    reason_events = frozenset({"reopen"})

    draft = State("draft", value="draft", initial=True)
    opened = State("open", value="open")
    in_review = State("review", value="review")
    in_consensus = State("consensus", value="consensus")
    finalised = State("final", value="final")

    open = Event(draft.to(opened, validators="check_blockers") | in_review.to(opened, validators="check_blockers"),
                 id="open", name="open")
    review = Event(opened.to(in_review, validators="check_blockers"), id="review", name="review")
    consensus = Event(in_review.to(in_consensus, validators="check_blockers"), id="consensus", name="consensus")
    finalise = Event(in_consensus.to(finalised, validators="check_blockers"), id="finalise", name="finalise")
    reopen = Event(
        finalised.to(opened, cond="reopen_to_open", validators="check_blockers")
        | finalised.to(in_review, cond="reopen_to_review", validators="check_blockers")
        | finalised.to(in_consensus, validators="check_blockers"),
        id="reopen", name="reopen")

    def reopen_to_open(self, to: str | None = None, **_) -> bool:
        return to == "open"

    def reopen_to_review(self, to: str | None = None, **_) -> bool:
        return to == "review"


REOPEN_TARGETS = ("consensus", "review", "open")


class WorksheetWorkflow(_Workflow):
    """in_progress -> submitted -> accepted | returned; returned -> in_progress
    (``resume``) or submitted again; ``return`` (reason required) also from
    accepted, so a koordinator can send back an accepted worksheet after a
    round was reopened."""

    what_key = "wf.worksheet"
    kind = "worksheet"
    reason_events = frozenset({"return"})

    in_progress = State("in_progress", value="in_progress", initial=True)
    submitted = State("submitted", value="submitted")
    returned = State("returned", value="returned")
    accepted = State("accepted", value="accepted")

    submit = Event(in_progress.to(submitted, validators="check_blockers")
                   | returned.to(submitted, validators="check_blockers"), id="submit", name="submit")
    return_ = Event(submitted.to(returned, validators="check_blockers")
                    | accepted.to(returned, validators="check_blockers"), id="return", name="return")
    accept = Event(submitted.to(accepted, validators="check_blockers"), id="accept", name="accept")
    resume = Event(returned.to(in_progress, validators="check_blockers"), id="resume", name="resume")


ROUND_STATES = tuple(s.value for s in RoundWorkflow.states)
WORKSHEET_STATES = tuple(s.value for s in WorksheetWorkflow.states)


@dataclass(frozen=True)
class Transition:
    event: str
    source: str
    target: str


def allowed_events(machine_cls: type[_Workflow], state: str) -> list[str]:
    """Event names possible from ``state`` (ignoring data-dependent guards)."""
    st = machine_cls.states_map[state]
    seen: list[str] = []
    for tr in st.transitions:
        for ev in tr.events:
            name = str(ev)
            if name not in seen:
                seen.append(name)
    return seen


def transition_table(machine_cls: type[_Workflow]) -> list[tuple[str, str, str]]:
    """(source, event, target) rows, for documentation and tests."""
    rows = []
    for st in machine_cls.states:
        for tr in st.transitions:
            for ev in tr.events:
                rows.append((st.value, str(ev), tr.target.value))
    return rows


def fire(machine_cls: type[_Workflow], row, event: str, *, subject: str, blockers: Blockers | None = None,
         **kwargs) -> Transition:
    """Apply ``event`` to ``row`` (which has a ``state`` attribute) and return
    the transition; ``row.state`` holds the new state afterwards.

    Raises :class:`StateError` when the event is impossible from the current
    state or a blocker (or a missing reason) stops it; ``details`` lists
    every blocking reason.
    """
    source = row.state
    what = i18n.t(machine_cls.what_key)
    if source not in machine_cls.states_map:
        raise StateError(i18n.t("wf.unknown_state", what=what, subject=subject, state=source))
    allowed = allowed_events(machine_cls, source)
    shown = dict(what=what, subject=subject, state=state_name(machine_cls.kind, source), event=event_name(event))

    def not_allowed() -> StateError:
        return StateError(i18n.t("wf.not_allowed", **shown,
                                 allowed=", ".join(event_name(e) for e in allowed) or i18n.t("wf.none")))

    if event not in allowed:
        raise not_allowed()
    if event == "reopen" and kwargs.get("to") not in (None, *REOPEN_TARGETS):
        raise StateError(i18n.t("wf.unknown_reopen_target",
                                targets=", ".join(state_name("round", t) for t in REOPEN_TARGETS),
                                target=kwargs.get("to")))
    machine = machine_cls(model=row, state_field="state")
    try:
        machine.send(event, blockers=blockers, **kwargs)
    except _Blocked as exc:
        row.state = source  # the machine never changed it, but be explicit
        raise StateError(i18n.t("wf.blocked", what_lower=what.lower(), **shown), details=exc.problems) from None
    except TransitionNotAllowed:
        raise not_allowed() from None
    return Transition(event=event, source=source, target=row.state)
