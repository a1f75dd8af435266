"""User-facing text in Bahasa Indonesia (default) and English.

Messages live in gettext catalogues, ``pmprb/locale/<lang>/LC_MESSAGES/pmprb.po``
(compiled to ``.mo`` by ``tools/compile_catalogues.py``). A message's msgid is
a stable key (``ans.conflict``) so that tests can assert on either language and
a translator sees every text of a language in one file; the msgstr is a
``str.format`` template. ``PMPRB_LANG`` or ``--lang`` picks the language.
``tests/docs/test_catalogues.py`` checks with Babel's extractor that every key
the code uses is in both catalogues with the same fields.
"""

from __future__ import annotations

import functools
import gettext
import os
from pathlib import Path

LANGS = ("id", "en")
DOMAIN = "pmprb"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = None


@functools.cache
def catalogue(lang: str) -> gettext.GNUTranslations:
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as fh:
        return gettext.GNUTranslations(fh)


def has(key: str) -> bool:
    """Whether a message exists (for keys built from data, such as flag names)."""
    return catalogue("id").gettext(key) != key


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
    lang = lang or get_lang()
    # gettext answers the msgid itself for a key it does not hold; keys are
    # never texts ("ans.conflict"), so that means the message is missing.
    template = catalogue(lang).gettext(key)
    if template == key:
        template = catalogue("id").gettext(key)
        if template == key:
            raise KeyError(f"no message {key!r}")
    return template.format(**fields)


# Operating-system errors (their strerror is English) in the current language: os.<errno name>.
def os_error(exc: BaseException, lang: str | None = None) -> str:
    """``[Errno 2] No such file or directory`` -> ``berkas atau folder tidak ada``;
    a decoding error -> a note that the file is not UTF-8; an errno the catalogues
    do not name -> its number in the current language (never English text)."""
    import errno

    if isinstance(exc, UnicodeDecodeError):
        return t("os.not_utf8", lang=lang)
    code = getattr(exc, "errno", None)
    if code is None:
        return str(exc)
    key = f"os.{errno.errorcode.get(code, '')}"
    return t(key, lang=lang) if has(key) else t("os.other", lang=lang, code=code)
