"""Bounded readers for files that come from outside (worksheets, instrument
folders, CSV tables, decision logs).

A hostile or broken file must end in a :class:`InputRefused` naming the file,
the line and the limit — never a traceback, never minutes of work or
gigabytes of memory. So every reader here checks before it works:

- size: a file is read at most up to :attr:`Limits.max_bytes` (env
  ``PMPRB_MAX_INPUT_MB``, default 20), checked on the size the file system
  reports *and* while reading (a pipe or a growing file cannot slip past);
- text: UTF-8 (a UTF-8 BOM is dropped; a UTF-16 BOM decodes as UTF-16),
  no NUL bytes; undecodable bytes name their line and column. A non-UTF-8
  CSV is refused, naming Excel's "Save As → CSV UTF-8 (Comma delimited)",
  rather than guessed as Windows-1252: the text goes into an audit-logged
  store, a wrong guess (Mac Excel, other code pages) would be silent and
  permanent, and the fix is one Excel command;
- JSON: nesting depth and the number of values are bounded (a deep ``[[[[``
  is a named error, not ``RecursionError``), NaN/Infinity and numbers of
  thousands of digits are refused;
- CSV: physical line length, cell size, row and column counts;
- JSON Lines: line length and line count, decoded line by line.

YAML is bounded in :mod:`pmprb.engine.yamlsrc` (it keeps line numbers) and
XLSX in :mod:`pmprb.safe_xlsx`, both with these :class:`Limits`.
Pure: no database, no click.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from pmprb import i18n
from pmprb.errors import ValidationError

MB = 1024 * 1024
ENV_MAX_MB = "PMPRB_MAX_INPUT_MB"
ENV_MAX_ROWS = "PMPRB_MAX_INPUT_ROWS"
ENV_MAX_LOG_LINES = "PMPRB_MAX_LOG_LINES"


class InputRefused(ValidationError):
    """An input refused before or while it is read: over a limit, not text,
    or built to exhaust the reader. ``reason`` is a stable id (``size``,
    ``encoding``, ``nul``, ``depth``, ``nodes``, ``aliases``, ``number``,
    ``csv``, ``rows``, ``columns``, ``line``, ``lines``, ``zip``, ``cells``)."""

    def __init__(self, message: str, *, reason: str, details: list[str] | None = None):
        super().__init__(message, details=details)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """What a reader accepts. Only the three with an environment variable
    are ones a genuine file could need more of; the others are far above
    anything pmprb reads (a worksheet is 3 levels deep and ~500 values; an
    instrument area file ~2,000 values)."""

    max_bytes: int = 20 * MB          # one file; an XLSX entry unpacked; one JSON Lines line  (PMPRB_MAX_INPUT_MB)
    max_rows: int = 100_000           # CSV rows, XLSX rows                                     (PMPRB_MAX_INPUT_ROWS)
    max_log_lines: int = 10_000_000   # decision-log lines                                      (PMPRB_MAX_LOG_LINES)
    max_depth: int = 64               # JSON/YAML nesting
    max_nodes: int = 100_000          # JSON/YAML values in one document
    max_alias_nodes: int = 10_000     # extra YAML values produced by expanding aliases
    max_field: int = 131_072          # one CSV cell (the csv module's own default)
    max_line: int = 1 * MB            # one physical CSV line
    max_columns: int = 100            # CSV and XLSX columns
    max_zip_entries: int = 1_000      # entries in an XLSX
    unpack_factor: int = 5            # an XLSX unpacks to at most unpack_factor * max_bytes

    @property
    def max_mb(self) -> str:
        return format_mb(self.max_bytes)

    @property
    def max_unpacked(self) -> int:
        return self.unpack_factor * self.max_bytes


def limits() -> Limits:
    """The limits in force, from the environment as it is now."""
    env = os.environ
    return _limits(env.get(ENV_MAX_MB), env.get(ENV_MAX_ROWS), env.get(ENV_MAX_LOG_LINES))


@lru_cache(maxsize=8)
def _limits(mb_raw, rows_raw, lines_raw) -> Limits:
    mb = _env_number(ENV_MAX_MB, mb_raw, float)
    rows = _env_number(ENV_MAX_ROWS, rows_raw, int)
    lines = _env_number(ENV_MAX_LOG_LINES, lines_raw, int)
    base = Limits()
    return Limits(max_bytes=int(mb * MB) if mb is not None else base.max_bytes,
                  max_rows=rows if rows is not None else base.max_rows,
                  max_log_lines=lines if lines is not None else base.max_log_lines)


def _env_number(var: str, raw: str | None, kind):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value <= 0:
        raise ValidationError(i18n.t("input.bad_env", var=var, value=raw))
    return value


def format_mb(n: int | float) -> str:
    """Bytes as MB for messages: 20, 2.5, 26.31, 0.01."""
    return f"{round(n / MB, 2):g}"


# ---------------------------------------------------------------------------
# bytes


def read_bytes(path: str | Path, *, limits_: Limits | None = None) -> bytes:
    """The file's bytes, at most ``max_bytes`` of them. ``OSError`` (missing,
    unreadable, a folder) propagates: callers word it for their own users."""
    lim = limits_ or limits()
    path = Path(path)
    size = path.stat().st_size
    if size > lim.max_bytes:
        raise _too_big(path, size, lim)
    with path.open("rb") as f:
        data = f.read(lim.max_bytes + 1)
    if len(data) > lim.max_bytes:   # a pipe, a device, or a file that grew
        raise InputRefused(i18n.t("input.too_big_stream", file=str(path), limit=lim.max_mb, var=ENV_MAX_MB),
                           reason="size")
    return data


def check_size(path: str | Path, *, limits_: Limits | None = None) -> int:
    """Refuse a file over ``max_bytes`` by the size the file system reports."""
    lim = limits_ or limits()
    size = Path(path).stat().st_size
    if size > lim.max_bytes:
        raise _too_big(Path(path), size, lim)
    return size


def _too_big(path: Path, size: int, lim: Limits) -> InputRefused:
    suggest = max(int(size / MB) + 1, int(lim.max_bytes / MB) * 2)
    return InputRefused(i18n.t("input.too_big", file=str(path), size=format_mb(size), limit=lim.max_mb,
                               var=ENV_MAX_MB, suggest=suggest), reason="size")


# ---------------------------------------------------------------------------
# text


def decode(data: bytes, name: str, *, csv_hint: bool = False) -> str:
    """Bytes to text: UTF-8 (BOM dropped) or UTF-16 with a BOM; no NUL.

    ``csv_hint`` words the refusal for a spreadsheet user (Excel's plain
    "CSV" is Windows-1252; "CSV UTF-8" is what pmprb reads)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputRefused(i18n.t("input.not_utf16", file=name), reason="encoding") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _not_utf8(data, exc.start, name, csv_hint) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _position(text, nul)
        hint = i18n.t("input.nul_csv_hint") if csv_hint else ""
        raise InputRefused(i18n.t("input.nul", file=name, line=line, col=col, hint=hint), reason="nul")
    return text


def read_text(path: str | Path, *, csv_hint: bool = False, limits_: Limits | None = None) -> str:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path, limits_=limits_), str(path), csv_hint=csv_hint)


def _position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _not_utf8(data: bytes, start: int, name: str, csv_hint: bool) -> InputRefused:
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    col = len(data[line_start:start].decode("utf-8", "replace")) + 1
    byte = f"{data[start]:02X}"
    if not csv_hint:
        return InputRefused(i18n.t("input.not_utf8", file=name, line=line, col=col, byte=byte), reason="encoding")
    try:
        char = bytes([data[start]]).decode("cp1252")
        cp = i18n.t("input.cp1252_char", char=char)
    except UnicodeDecodeError:
        cp = ""
    return InputRefused(i18n.t("input.not_utf8_csv", file=name, line=line, col=col, byte=byte, cp1252=cp),
                        reason="encoding")


# ---------------------------------------------------------------------------
# JSON


class _NotFinite(Exception):
    pass


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400, or 400 digits: out of float range
        raise _NotFinite(text[:40])
    return value


def _no_constant(text: str):
    raise _NotFinite(text)  # NaN, Infinity, -Infinity: Python accepts them, JSON does not


# Built once: json.loads with hooks would build a decoder (and its scanner) per call.
_DECODER = json.JSONDecoder(parse_float=_finite_float, parse_constant=_no_constant)


def load_json(text: str, where: str, *, limits_: Limits | None = None, object_pairs_hook=None) -> Any:
    """``json.loads`` with bounded depth and size; ``where`` names the file
    (and line) in messages. Syntax errors stay ``json.JSONDecodeError`` so
    callers can locate them; NaN, Infinity, numbers out of float range and
    integers of thousands of digits are refused.

    Cheap on the common case (replay parses every line of a decision log):
    counts of brackets and commas bound depth and values from above, so the
    parsed data is walked only when those counts do not settle it."""
    lim = limits_ or limits()
    # Containers are what costs memory; count them before building any
    # (brackets inside strings over-count, which errs on the safe side).
    containers = text.count("[") + text.count("{")
    if containers > lim.max_nodes:
        raise InputRefused(i18n.t("input.json_nodes", where=where, limit=lim.max_nodes), reason="nodes")
    decoder = _DECODER if object_pairs_hook is None else json.JSONDecoder(
        parse_float=_finite_float, parse_constant=_no_constant, object_pairs_hook=object_pairs_hook)
    try:
        data = decoder.decode(text)
    except RecursionError:
        raise InputRefused(i18n.t("input.json_depth", where=where, limit=lim.max_depth), reason="depth") from None
    except _NotFinite as exc:
        raise InputRefused(i18n.t("input.json_constant", where=where, value=exc.args[0]), reason="number") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer of more digits than int() converts (sys.get_int_max_str_digits)
        reason = str(exc).split(";")[0]  # drop Python's advice on sys.set_int_max_str_digits
        raise InputRefused(i18n.t("input.json_number", where=where, reason=reason), reason="number") from None
    if containers > lim.max_depth or containers + text.count(",") >= lim.max_nodes:
        check_shape(data, where, limits_=lim)
    return data


def check_shape(data: Any, where: str, *, limits_: Limits | None = None) -> None:
    """Refuse parsed data deeper than ``max_depth`` or with more than
    ``max_nodes`` values. Iterative: no recursion to exhaust."""
    lim = limits_ or limits()
    nodes = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > lim.max_nodes:
            raise InputRefused(i18n.t("input.json_nodes", where=where, limit=lim.max_nodes), reason="nodes")
        if depth > lim.max_depth:
            raise InputRefused(i18n.t("input.json_depth", where=where, limit=lim.max_depth), reason="depth")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


# ---------------------------------------------------------------------------
# CSV


def csv_rows(text: str, name: str, *, delimiter: str = ",", limits_: Limits | None = None
             ) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for every row of CSV text (``line``: the physical
    line the row ends on, as ``csv.reader.line_num``), bounded in line
    length, cell size, rows and columns. Every problem is an
    :class:`InputRefused` naming the line."""
    lim = limits_ or limits()
    state = {"line": 0}

    def lines():
        for line in io.StringIO(text, newline=""):
            state["line"] += 1
            if len(line) > lim.max_line:
                raise InputRefused(i18n.t("input.csv_line", file=name, line=state["line"], limit=lim.max_line),
                                   reason="line")
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    rows = 0
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise _field_too_big(name, state["line"], previous + 1, csv.field_size_limit()) from None
            raise InputRefused(i18n.t("input.csv_error", file=name, line=state["line"], reason=exc),
                               reason="csv") from None
        line = reader.line_num
        rows += 1
        if rows > lim.max_rows:
            raise InputRefused(i18n.t("input.csv_rows", file=name, line=line, limit=lim.max_rows, var=ENV_MAX_ROWS),
                               reason="rows")
        if len(row) > lim.max_columns:
            raise InputRefused(i18n.t("input.csv_columns", file=name, line=line, limit=lim.max_columns),
                               reason="columns")
        if any(len(cell) > lim.max_field for cell in row):
            raise _field_too_big(name, line, previous + 1, lim.max_field)
        previous = line
        yield line, row


def _field_too_big(name: str, line: int, start: int, limit: int) -> InputRefused:
    return InputRefused(i18n.t("input.csv_field", file=name, line=line, start=start, limit=limit), reason="csv")


# ---------------------------------------------------------------------------
# JSON Lines


def jsonl_lines(path: str | Path, *, limits_: Limits | None = None) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of a JSON Lines file, streamed: each line at
    most ``max_bytes`` long and strict UTF-8 (a BOM on line 1 is dropped),
    at most ``max_log_lines`` lines. The file is opened at once, so
    ``OSError`` comes from this call; close the iterator to close the file."""
    lim = limits_ or limits()
    path = Path(path)
    return _jsonl_lines(path.open("rb"), path, lim)


def _jsonl_lines(f, path: Path, lim: Limits) -> Iterator[tuple[int, str]]:
    with f:
        number = 0
        while True:
            raw = f.readline(lim.max_bytes + 1)
            if not raw:
                return
            number += 1
            if number > lim.max_log_lines:
                raise InputRefused(i18n.t("input.jsonl_lines", file=str(path), line=number, limit=lim.max_log_lines,
                                          var=ENV_MAX_LOG_LINES), reason="lines")
            if len(raw) > lim.max_bytes:
                raise InputRefused(i18n.t("input.jsonl_line", file=str(path), line=number, limit=lim.max_mb,
                                          var=ENV_MAX_MB), reason="line")
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                col = len(raw[:exc.start].decode("utf-8", "replace")) + 1
                raise InputRefused(i18n.t("input.not_utf8", file=str(path), line=number, col=col,
                                          byte=f"{raw[exc.start]:02X}"), reason="encoding") from None
            yield number, text


__all__ = ["InputRefused", "Limits", "limits", "read_bytes", "check_size", "decode", "read_text", "load_json",
           "check_shape", "csv_rows", "jsonl_lines", "format_mb", "ENV_MAX_MB", "ENV_MAX_ROWS", "ENV_MAX_LOG_LINES", "MB"]
