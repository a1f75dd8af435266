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


# Operating-system errors (their strerror is English) in the current language.
_OS_ERRORS = {
    "ENOENT": ("berkas atau folder tidak ada", "no such file or directory"),
    "EACCES": ("akses ditolak", "permission denied"),
    "EPERM": ("tidak diizinkan", "operation not permitted"),
    "EISDIR": ("ini folder, bukan berkas", "is a directory"),
    "ENOTDIR": ("bukan folder", "not a directory"),
    "ENOSPC": ("ruang disk habis", "no space left on device"),
    "EROFS": ("sistem berkas hanya-baca", "read-only file system"),
    "EEXIST": ("sudah ada", "already exists"),
}


def os_error(exc: BaseException, lang: str | None = None) -> str:
    """``[Errno 2] No such file or directory`` -> ``berkas atau folder tidak ada``;
    a decoding error -> a note that the file is not UTF-8; other errors as they are."""
    import errno

    lang = lang or get_lang()
    if isinstance(exc, UnicodeDecodeError):
        return "bukan teks UTF-8" if lang != "en" else "not UTF-8 text"
    code = getattr(exc, "errno", None)
    names = _OS_ERRORS.get(errno.errorcode.get(code, "")) if code is not None else None
    if names is None:
        return getattr(exc, "strerror", None) or str(exc)
    return names[1] if lang == "en" else names[0]
