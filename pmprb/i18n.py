"""User-facing text in Bahasa Indonesia (default) and English.

Messages live in one catalogue keyed by a stable id so that tests can assert
on either language. ``PMPRB_LANG`` or ``--lang`` picks the language.
"""

from __future__ import annotations

import os

LANGS = ("id", "en")

_current = None

# key -> {lang: template}; templates use str.format fields.
CATALOGUE: dict[str, dict[str, str]] = {}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Modules add their own messages so the catalogue stays next to its users."""
    for key, texts in messages.items():
        if key in CATALOGUE and CATALOGUE[key] != texts:
            raise ValueError(f"message {key!r} registered twice with different text")
        CATALOGUE[key] = texts


def set_lang(lang: str | None) -> None:
    global _current
    if lang is not None and lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    _current = lang


def get_lang() -> str:
    if _current:
        return _current
    env = os.environ.get("PMPRB_LANG", "").strip().lower()
    return env if env in LANGS else "id"


def t(key: str, lang: str | None = None, **fields) -> str:
    texts = CATALOGUE.get(key)
    if texts is None:
        raise KeyError(f"no message {key!r}")
    lang = lang or get_lang()
    template = texts.get(lang) or texts["id"]
    return template.format(**fields)
