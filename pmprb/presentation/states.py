"""Workflow states and transitions as people read them.

The store and JSON keep the internal names (``in_progress``, ``submitted``,
``open``…); every command's human output shows these display names instead:
worksheets *sedang diisi*, *dikirim*, *diterima*, *dikembalikan*; rounds
*draf*, *dibuka*, *reviu*, *konsensus*, *final*; consensus items, RATL items
likewise. Command options that take a state accept either name
(:class:`StateChoice`).
"""

from __future__ import annotations

import click

# The labels live in the engine so the store's messages use them too; re-exported here for commands.
from pmprb.engine.state_labels import EVENTS, STATES, display_names, event_name, state_name  # noqa: F401


class StateChoice(click.Choice):
    """A ``--state``/``--status`` option: accepts the internal name or the
    display name in either language (spaces or dashes alike), gives the
    internal name, and lists the Indonesian (or English) names in help and
    errors."""

    def __init__(self, kind: str, states=None):
        self.kind = kind
        self.internal = list(states or STATES[kind])
        super().__init__(self.internal, case_sensitive=False)

    def _shown(self) -> list[str]:
        return [state_name(self.kind, s).replace(" ", "-") for s in self.internal]

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(self._shown()) + "]"

    def to_info_dict(self):
        info = super().to_info_dict()
        info["choices"] = self._shown()
        return info

    def convert(self, value, param, ctx):
        text = str(value).strip().lower().replace("-", " ").replace("_", " ")
        for s in self.internal:
            names = {s.replace("_", " "), *display_names(self.kind, s)}
            if text in names:
                return s
        self.fail(click.types.ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.",
                                       len(self.internal)).format(value=value, choice=", ".join(self._shown()),
                                                                  choices=", ".join(self._shown())),
                  param, ctx)


__all__ = ["STATES", "EVENTS", "state_name", "event_name", "StateChoice"]
