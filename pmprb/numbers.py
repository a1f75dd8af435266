"""Number formatting for people (reports) and for machines (CSV, JSON, XLSX).

Indonesian documents write ``1.234,56`` (decimal comma, dot for thousands);
English ones ``1,234.56``. Machine outputs always use a plain dot and no
grouping, whatever the report language. Rounding is half up, the way
published LKE tables round.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pmprb import i18n

# What a report shows for a missing figure: an en dash, not "0" or "None".
MISSING = "–"

_SEPARATORS = {"id": (",", "."), "en": (".", ",")}   # lang -> (decimal, thousands)


def _decimal(x) -> Decimal | None:
    if x is None:
        return None
    if isinstance(x, Decimal):
        return x if x.is_finite() else None
    if isinstance(x, bool):
        raise TypeError(f"not a number: {x!r}")
    if isinstance(x, float):
        if not math.isfinite(x):
            return None
        # repr gives the shortest text that round-trips, so 0.285 stays 0.285
        # instead of the binary 0.28499999... that would round down.
        return Decimal(repr(x))
    if isinstance(x, int):
        return Decimal(x)
    try:
        return Decimal(str(x).strip())
    except InvalidOperation:
        raise TypeError(f"not a number: {x!r}") from None


def round_half_up(x, places: int = 2) -> Decimal | None:
    d = _decimal(x)
    if d is None:
        return None
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def machine_number(x, places: int = 2) -> str:
    """``71.41``: dot decimal, no grouping; empty string for a missing value."""
    d = round_half_up(x, places)
    return "" if d is None else _plain(d)


def format_number(x, places: int = 2, lang: str | None = None, grouping: bool = True) -> str:
    """A figure for people: ``71,41`` in Bahasa Indonesia, ``71.41`` in English."""
    d = round_half_up(x, places)
    if d is None:
        return MISSING
    lang = lang or i18n.get_lang()
    dec_sep, thou_sep = _SEPARATORS.get(lang, _SEPARATORS["id"])
    text = _plain(d)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, frac = text.partition(".")
    if grouping and len(whole) > 3:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = thou_sep.join([whole] + groups)
    return sign + whole + (dec_sep + frac if frac else "")


def format_percent(x, places: int = 2, lang: str | None = None) -> str:
    """``69,00%`` in Bahasa Indonesia, ``69.00%`` in English."""
    text = format_number(x, places, lang)
    return text if text == MISSING else text + "%"


def _plain(d: Decimal) -> str:
    # format(..., "f") never switches to exponent notation; "-0.00" becomes "0.00".
    text = format(d, "f")
    if text.startswith("-") and not any(ch not in "-0." for ch in text):
        text = text[1:]
    return text
