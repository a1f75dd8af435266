"""One pattern for codes and one set of length limits for text fields.

Round codes, unit codes and usernames end up in file names
(``assess export`` writes ``<round>-<unit>-<user>.xlsx``), in report
folders and in messages, so they share one pattern: letters, digits, dot,
underscore, ``@`` and hyphen, starting with a letter or digit, at most
:data:`MAX_CODE` characters. That refuses ``../../x``, ``A/B``, a leading
``-`` (an option, or a formula in a spreadsheet) and a leading ``.``
(``..``, hidden files). Evidence is stored under its SHA-256, so document
numbers never become file names; they get a length limit instead.

Every text field has a named limit. Checks are made at the edge (the
library function a command or a file import calls) and name the field:
``kode unit tidak valid '../x': ...``, ``nama orang terlalu panjang
(100000 karakter, maks. 255)``.

Pure: no database, no click.
"""

from __future__ import annotations

import re

from pmprb import i18n
from pmprb.errors import ValidationError

MAX_CODE = 64          # round codes, unit codes, usernames
MAX_NAME = 255         # person names, unit names, jabatan, titles, places, signatories
MAX_NUMBER = 128       # document numbers (evidence, berita acara)
MAX_TEXT = 20_000      # notes, rationale, RATL texts, reasons

CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._@-]{0,%d}" % (MAX_CODE - 1)
CODE_RE = re.compile(CODE_PATTERN)

def _shown(value: str) -> str:
    return value if len(value) <= 80 else value[:80] + "…"


def check_code(value: str | None, field: str) -> str:
    """``value`` stripped if it is a valid code, else :class:`ValidationError`
    naming ``field`` (a ``field.*`` message key or a plain text)."""
    code = (value or "").strip()
    if not CODE_RE.fullmatch(code):
        raise ValidationError(i18n.t("codes.bad", field=field_name(field), value=_shown(code), max=MAX_CODE))
    return code


def is_code(value: str | None) -> bool:
    return bool(CODE_RE.fullmatch(value or ""))


def check_length(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    """``value`` unchanged when at most ``limit`` characters (and present,
    when ``required``); otherwise :class:`ValidationError` naming ``field``."""
    if value is None or not str(value).strip():
        if required:
            raise ValidationError(i18n.t("codes.required", field=field_name(field)))
        return value
    if len(value) > limit:
        raise ValidationError(i18n.t("codes.too_long", field=field_name(field), n=len(value), max=limit))
    return value


def field_name(field: str) -> str:
    return i18n.t(field) if i18n.has(field) else field


__all__ = ["MAX_CODE", "MAX_NAME", "MAX_NUMBER", "MAX_TEXT", "CODE_PATTERN", "CODE_RE", "check_code", "is_code",
           "check_length", "field_name"]
