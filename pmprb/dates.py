"""Dates and times for people: reading what they type, writing what they read.

One module for every place a date is typed (command options, the terminal
walk) or shown (command output, reports), beside :mod:`pmprb.numbers`:

- typed: ``20-05-2024`` (the Indonesian habit, day first) and ``2024-05-20``
  (ISO) are both accepted, with ``-``, ``/`` or ``.`` between the parts;
- shown: ``20 Mei 2024`` (``20 May 2024`` in English);
- times: stored in UTC, shown in the institution's time zone with its
  Indonesian abbreviation (``14.05 WIB``). The zone is chosen at ``pmprb
  init --timezone`` (default Asia/Jakarta) and read with :mod:`zoneinfo`
  (the ``tzdata`` package supplies the zone data where the system has none).

Machine outputs (JSON, CSV, XLSX cells) keep ISO 8601.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from functools import lru_cache

from pmprb import i18n
from pmprb.numbers import number_in_words

DEFAULT_TIMEZONE = "Asia/Jakarta"
# What a person may type for the three Indonesian zones, besides any IANA name.
ZONE_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
MISSING = "–"  # as pmprb.numbers.MISSING: an en dash for a missing value

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}

_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def parse_date(text) -> date:
    """``20-05-2024``, ``20/5/2024``, ``2024-05-20`` -> date(2024, 5, 20);
    raises ValueError (with a message for people) otherwise."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = "" if text is None else str(text).strip()
    m = _DAY_FIRST.fullmatch(raw)
    if m:
        d, mo, y = (int(g) for g in m.groups())
    else:
        m = _YEAR_FIRST.fullmatch(raw)
        if not m:
            raise ValueError(i18n.t("dates.bad", value=raw))
        y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(i18n.t("dates.bad", value=raw)) from None


_current_zone: str | None = None


def set_zone(name: str | None) -> None:
    """The institution's zone for every time shown from now on (the CLI sets it
    when it opens the database; None goes back to the default)."""
    global _current_zone
    _current_zone = resolve_zone(name) if name else None


def current_zone() -> str:
    return _current_zone or DEFAULT_TIMEZONE


def format_date(value: date | datetime | None, lang: str | None = None, with_time: bool = False,
                zone: str | None = None) -> str:
    """``20 Mei 2024``; with ``with_time`` and a datetime, ``20 Mei 2024 14.05 WIB``
    (24-hour clock; Indonesian writes ``14.05``), in ``zone`` (default: the
    institution's, :func:`current_zone`)."""
    if value is None:
        return MISSING
    lang = lang or i18n.get_lang()
    if isinstance(value, datetime) and with_time:
        value = to_zone(value, zone)
    text = f"{value.day} {MONTHS.get(lang, MONTHS['id'])[value.month - 1]} {value.year}"
    if with_time and isinstance(value, datetime):
        clock = f"{value:%H.%M}" if lang == "id" else f"{value:%H:%M}"
        text += f" {clock}" + (f" {zone_abbreviation(value)}" if value.tzinfo else "")
    return text


def format_datetime(value: datetime | None, lang: str | None = None, zone: str | None = None) -> str:
    """A stored (UTC) timestamp as people read it: ``20 Mei 2024 14.05 WIB``."""
    return format_date(value, lang, with_time=True, zone=zone)


def show_iso(text: str | None, lang: str | None = None) -> str:
    """An ISO date or timestamp from the store or JSON, as people read it:
    ``2024-05-20`` -> ``20 Mei 2024``, ``2024-05-20T07:05:00+00:00`` ->
    ``20 Mei 2024 14.05 WIB``; anything else as given."""
    if not text:
        return MISSING
    try:
        if "T" in text or " " in text.strip():
            return format_datetime(datetime.fromisoformat(text.strip()), lang)
        return format_date(date.fromisoformat(text.strip()), lang)
    except ValueError:
        return text


def resolve_zone(name: str | None) -> str:
    """``WITA`` -> ``Asia/Makassar``; an IANA name is checked and returned as
    given; None or empty -> the default. Raises ValueError for an unknown zone."""
    text = (name or "").strip()
    if not text:
        return DEFAULT_TIMEZONE
    text = ZONE_ALIASES.get(text.upper(), text)
    try:
        _zone(text)
    except Exception:  # ZoneInfoNotFoundError, ValueError for a malformed key
        raise ValueError(i18n.t("dates.bad_zone", value=name)) from None
    return text


@lru_cache(maxsize=16)
def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def to_zone(value: datetime, zone: str | None = None) -> datetime:
    """A timestamp in ``zone`` (default: :func:`current_zone`); a naive value is
    taken as UTC, the way the store keeps them."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(_zone(zone or current_zone()))


def zone_abbreviation(value: datetime) -> str:
    """WIB / WITA / WIT for the Indonesian zones (from the zone data), else the
    zone's own abbreviation or its UTC offset."""
    name = value.tzname() or ""
    if name and not name[0] in "+-":
        return name
    offset = value.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


__all__ = ["DEFAULT_TIMEZONE", "ZONE_ALIASES", "MONTHS", "parse_date", "format_date", "format_datetime",
           "show_iso", "resolve_zone", "set_zone", "current_zone", "to_zone", "zone_abbreviation"]


_DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def day_name(value: date, lang: str | None = None) -> str:
    """``Senin`` / ``Monday``."""
    lang = lang or i18n.get_lang()
    return _DAYS.get(lang, _DAYS["id"])[value.weekday()]


def date_in_words(value: date, lang: str | None = None) -> str:
    """The way a berita acara states its date: "hari Senin tanggal dua puluh
    bulan Mei tahun dua ribu dua puluh empat"; in English "Monday, 20 May 2024"."""
    lang = lang or i18n.get_lang()
    if lang == "en":
        return f"{day_name(value, lang)}, {format_date(value, lang)}"
    return (f"hari {day_name(value, lang)} tanggal {number_in_words(value.day, lang)} bulan "
            f"{MONTHS['id'][value.month - 1]} tahun {number_in_words(value.year, lang)}")
