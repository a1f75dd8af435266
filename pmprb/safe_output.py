"""Cells a spreadsheet opens as data, never as formulas (CSV/formula injection).

A note such as ``=HYPERLINK("http://x", "klik")`` typed by one user must not
become a live formula in the file another user opens:

- CSV cannot say "this is text", so :func:`csv_cell` follows OWASP's advice
  (https://owasp.org/www-community/attacks/CSV_Injection): a text cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'``. Numbers stay numbers: a number (``-3.5``, or text that is
  exactly a plain decimal number such as ``"-0.25"``) is not a formula and is
  left alone. :func:`restore_csv_cell` undoes it when pmprb reads back a CSV
  it wrote.
- XLSX can, so :func:`set_text` writes user text as a string cell (openpyxl
  would otherwise store text starting with ``=`` as a formula and ``#N/A`` as
  an error value), replacing the control characters XML cannot hold.

Pure: no database, no click; works on any openpyxl cell.
"""

from __future__ import annotations

import re
import os
from pathlib import Path
from typing import Any, Callable, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
# What XML 1.0 cannot hold (openpyxl raises IllegalCharacterError on it): C0 controls but tab, LF, CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_cell(value: Any) -> Any:
    """``value`` made safe for a CSV cell; non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def restore_csv_cell(text: str) -> str:
    """The inverse of :func:`csv_cell` for a cell read back from a CSV pmprb wrote."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text


def clean_text(text: str) -> str:
    """Text an XLSX can hold: control characters XML forbids become U+FFFD."""
    return _ILLEGAL.sub("\ufffd", text)


def set_text(cell, text: str):
    """Write ``text`` into an openpyxl cell as a string cell (type ``s``),
    whatever it starts with; returns the cell."""
    cell.value = clean_text(text)
    cell.data_type = "s"  # after the assignment, which guesses 'f' for '=...' and 'e' for '#N/A'
    return cell


def set_value(cell, value: Any):
    """Write a value: text as a string cell (:func:`set_text`), anything else as it is."""
    if isinstance(value, str):
        return set_text(cell, value)
    cell.value = value
    return cell


def append_row(ws, values: Iterable[Any]) -> None:
    """``ws.append(values)`` with every text written as a string cell."""
    values = list(values)
    ws.append([clean_text(v) if isinstance(v, str) else v for v in values])
    row = ws.max_row  # append writes below every existing row, a cell per value (None too)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            ws.cell(row=row, column=column).data_type = "s"


def write_atomically(path: str | Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp)`` on a temporary name beside ``path``, then rename
    it over ``path``: a full disk or a crash midway leaves the old file (or
    none), never half a file, and no temporary file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        if exc.filename is None or exc.filename == str(tmp):  # a failed write names no file: name the one meant
            exc.filename = str(path)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    return path


__all__ = ["write_atomically", "FORMULA_START", "csv_cell", "csv_row", "restore_csv_cell", "clean_text", "set_text", "set_value",
           "append_row"]
