"""Workflow states and transitions as people read them (no click, no store).

The store and JSON keep the internal names (``in_progress``, ``submitted``,
``open``…); every message and every command's human output shows these
display names instead. Lives in the engine so the store's messages (which
may not import the presentation layer) use the same words as the screens;
:mod:`pmprb.presentation.states` re-exports them for commands.
"""

from __future__ import annotations

from pmprb import i18n

# kind -> internal name -> (Bahasa Indonesia, English)
STATES: dict[str, dict[str, tuple[str, str]]] = {
    "round": {"draft": ("draf", "draft"), "open": ("dibuka", "open"), "review": ("reviu", "review"),
              "consensus": ("konsensus", "consensus"), "final": ("final", "final")},
    "worksheet": {"in_progress": ("sedang diisi", "in progress"), "submitted": ("dikirim", "submitted"),
                  "accepted": ("diterima", "accepted"), "returned": ("dikembalikan", "returned")},
    "consensus": {"open": ("terbuka", "open"), "resolved": ("diputuskan", "resolved"),
                  "withdrawn": ("ditarik", "withdrawn")},
    "ratl": {"planned": ("direncanakan", "planned"), "in_progress": ("berjalan", "in progress"),
             "done": ("selesai", "done"), "verified": ("terverifikasi", "verified")},
}

# transitions (events) -> what a person does
EVENTS: dict[str, tuple[str, str]] = {
    "open": ("buka", "open"), "review": ("mulai reviu", "start review"),
    "consensus": ("mulai konsensus", "start consensus"), "finalise": ("finalisasi", "finalise"),
    "reopen": ("buka kembali", "reopen"), "submit": ("kirim", "submit"), "accept": ("terima", "accept"),
    "return": ("kembalikan", "return"), "resume": ("lanjutkan pengisian", "resume"),
    # RATL items
    "start": ("mulai", "start"), "complete": ("selesaikan", "complete"), "verify": ("verifikasi", "verify"),
    "reject": ("tolak", "reject"),
}


def state_name(kind: str, state: str | None, lang: str | None = None) -> str:
    """``state_name("worksheet", "submitted")`` -> ``dikirim`` (unknown names as given)."""
    if state is None:
        return "-"
    lang = lang or i18n.get_lang()
    names = STATES.get(kind, {}).get(state)
    if names is None:
        return state
    return names[1] if lang == "en" else names[0]


def event_name(event: str, lang: str | None = None) -> str:
    lang = lang or i18n.get_lang()
    names = EVENTS.get(event)
    if names is None:
        return event
    return names[1] if lang == "en" else names[0]


__all__ = ["STATES", "EVENTS", "state_name", "event_name"]
