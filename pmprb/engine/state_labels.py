"""Workflow states and transitions as people read them (no click, no store).

The store and JSON keep the internal names (``in_progress``, ``submitted``,
``open``…); every message and every command's human output shows these
display names instead. Lives in the engine so the store's messages (which
may not import the presentation layer) use the same words as the screens;
:mod:`pmprb.presentation.states` re-exports them for commands.
"""

from __future__ import annotations

from pmprb import i18n

# kind -> internal names; what people read is in the catalogues (state.<kind>.<name>).
STATES: dict[str, tuple[str, ...]] = {
    "round": ("draft", "open", "review", "consensus", "final"),
    "worksheet": ("in_progress", "submitted", "accepted", "returned"),
    "consensus": ("open", "resolved", "withdrawn"),
    "ratl": ("planned", "in_progress", "done", "verified"),
}

# transitions (events), read as what a person does (event.<name>); the last four are RATL items'.
EVENTS: tuple[str, ...] = ("open", "review", "consensus", "finalise", "reopen", "submit", "accept", "return",
                           "resume", "start", "complete", "verify", "reject")


def state_name(kind: str, state: str | None, lang: str | None = None) -> str:
    """``state_name("worksheet", "submitted")`` -> ``dikirim`` (unknown names as given)."""
    if state is None:
        return "-"
    if state not in STATES.get(kind, ()):
        return state
    return i18n.t(f"state.{kind}.{state}", lang=lang)


def display_names(kind: str, state: str) -> set[str]:
    """Every name a person may type for a state: its display name in each language."""
    return {i18n.t(f"state.{kind}.{state}", lang=lang) for lang in i18n.LANGS}


def event_name(event: str, lang: str | None = None) -> str:
    if event not in EVENTS:
        return event
    return i18n.t(f"event.{event}", lang=lang)


__all__ = ["STATES", "EVENTS", "state_name", "event_name", "display_names"]
