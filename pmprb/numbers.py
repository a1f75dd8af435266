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


# ---------------------------------------------------------------------------
# numbers in words (berita acara: "tanggal dua puluh ... tahun dua ribu dua puluh empat")

_ID_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
             "sebelas")
_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _words_id(n: int) -> str:
    if n < 12:
        return _ID_UNITS[n]
    if n < 20:
        return f"{_ID_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_ID_UNITS[tens]} puluh" + (f" {_ID_UNITS[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {_words_id(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ID_UNITS[hundreds]} ratus" + (f" {_words_id(rest)}" if rest else "")
    if n < 2000:
        return "seribu" + (f" {_words_id(n - 1000)}" if n > 1000 else "")
    for size, name in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= size:
            head, rest = divmod(n, size)
            return f"{_words_id(head)} {name}" + (f" {_words_id(rest)}" if rest else "")
    raise AssertionError(n)


def _words_en(n: int) -> str:
    if n < 20:
        return _EN_UNITS[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{_EN_UNITS[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_EN_UNITS[hundreds]} hundred" + (f" and {_words_en(rest)}" if rest else "")
    for size, name in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= size:
            head, rest = divmod(n, size)
            tail = "" if not rest else (f" and {_words_en(rest)}" if rest < 100 else f" {_words_en(rest)}")
            return f"{_words_en(head)} {name}{tail}"
    raise AssertionError(n)


def number_in_words(n: int, lang: str | None = None) -> str:
    """A whole number 0..10^15 in words: ``2024`` → "dua ribu dua puluh empat" /
    "two thousand and twenty-four" (Indonesian *terbilang*)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < 10**15:
        raise ValueError(f"number_in_words takes a whole number from 0 to 10^15, got {n!r}")
    return _words_en(n) if (lang or i18n.get_lang()) == "en" else _words_id(n)
