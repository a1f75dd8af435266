"""Reading an XLSX that comes from outside, bounded, before and while openpyxl reads it.

An XLSX is a zip of XML files. A few hundred bytes of zip can declare or
hold gigabytes (a zero-filled entry deflates ~1000:1), an XML entry can
declare entities that expand, and a sheet can claim a row a trillion rows
down (openpyxl's read-only mode pads every missing row up to it). So:

1. :func:`check_xlsx` reads the file once (at most ``PMPRB_MAX_INPUT_MB``),
   then, before openpyxl sees it, checks the zip's entry count and each
   entry's *declared* uncompressed size (per entry ``max_bytes``, in all
   ``unpack_factor * max_bytes``), and then *streams* every entry with a cap
   — a zip whose declared sizes lie is refused too — refusing XML entries
   that declare a DTD or entities (no XLSX needs one);
2. :func:`open_workbook` opens exactly the checked bytes, read-only and with
   ``data_only=False``, so formulas are seen as formulas, not as whatever
   value the last program cached for them;
3. :func:`sheet_rows` / :func:`sheet_values` iterate a sheet up to
   ``max_rows`` rows and ``max_columns`` columns, whatever its dimension
   claims, and refuse formulas and error values (``#DIV/0!``) with their
   cell reference: ``Sheet1!C7: rumus '=1+1' tidak diterima; isikan nilainya``.

Pure: no database, no click; openpyxl is imported when a workbook is opened.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterator

from pmprb import i18n
from pmprb.engine.safe_input import ENV_MAX_MB, ENV_MAX_ROWS, InputRefused, Limits, format_mb, limits, read_bytes

_CHUNK = 64 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# A DTD or entity declaration, in the encodings an XML parser accepts.
_DTD_MARKS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(m) for m in _DTD_MARKS)
_EOCD = b"PK\x05\x06"


# ---------------------------------------------------------------------------
# the archive


def check_xlsx(path: str | Path, *, limits_: Limits | None = None) -> bytes:
    """Read and check an XLSX; returns the checked bytes (open those, not the
    path again). ``OSError`` (missing, unreadable) propagates."""
    lim = limits_ or limits()
    data = read_bytes(path, limits_=lim)
    check_xlsx_bytes(data, str(path), limits_=lim)
    return data


def check_xlsx_bytes(data: bytes, name: str, *, limits_: Limits | None = None) -> None:
    lim = limits_ or limits()
    count = _declared_entry_count(data)
    if count is not None and count > lim.max_zip_entries:  # before zipfile builds an object per entry
        raise _refuse("xlsx.entries", "zip", file=name, count=count, limit=lim.max_zip_entries)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError, struct.error) as exc:
        raise _refuse("xlsx.not_zip", "zip", file=name, reason=exc) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.max_zip_entries:
            raise _refuse("xlsx.entries", "zip", file=name, count=len(infos), limit=lim.max_zip_entries)
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise _refuse("xlsx.encrypted", "zip", file=name, entry=info.filename)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _refuse("xlsx.method", "zip", file=name, entry=info.filename, method=info.compress_type)
            if info.file_size > lim.max_bytes:
                raise _refuse("xlsx.entry_size", "size", file=name, entry=info.filename, size=format_mb(info.file_size),
                              limit=lim.max_mb, var=ENV_MAX_MB)
            total += info.file_size
        if total > lim.max_unpacked:
            raise _refuse("xlsx.total_size", "size", file=name, size=format_mb(total), limit=format_mb(lim.max_unpacked),
                          factor=lim.unpack_factor, var=ENV_MAX_MB)
        for info in infos:
            _stream(zf, info, name, lim)


def _declared_entry_count(data: bytes) -> int | None:
    """Entries the end-of-central-directory record announces (the record is
    in the last 22 + 65,535 bytes); None when there is none (not a zip)."""
    at = data.rfind(_EOCD, max(0, len(data) - 22 - 65_535))
    if at < 0 or at + 22 > len(data):
        return None
    entries, cd_size = struct.unpack_from("<HI", data, at + 10)
    if entries == 0xFFFF:  # zip64: the real count lives elsewhere; each entry takes >= 46 bytes of directory
        return cd_size // 46
    return entries


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, lim: Limits) -> None:
    """Unpack one entry in chunks, never past its declared size (nor the
    limit), looking for DTD/entity declarations in XML."""
    cap = min(info.file_size, lim.max_bytes)
    xml = info.filename.lower().endswith(_XML_SUFFIXES)
    seen = 0
    tail = b""
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    return
                seen += len(chunk)
                # zipfile itself stops at the declared size and then fails the CRC; this
                # check keeps the bound independent of that detail.
                if seen > cap:
                    raise _refuse("xlsx.size_lie", "zip", file=name, entry=info.filename, size=info.file_size)
                if xml:
                    window = tail + chunk
                    if any(mark in window for mark in _DTD_MARKS):
                        raise _refuse("xlsx.dtd", "zip", file=name, entry=info.filename)
                    tail = window[-_OVERLAP:]
    except InputRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError, NotImplementedError) as exc:
        # a CRC that does not match (sizes that lie), a truncated or corrupt stream
        raise _refuse("xlsx.damaged", "zip", file=name, entry=info.filename, reason=exc) from None


def _refuse(key: str, why: str, /, **fields) -> InputRefused:
    return InputRefused(i18n.t(key, **fields), reason=why)


# ---------------------------------------------------------------------------
# the workbook


def open_workbook(path: str | Path, *, limits_: Limits | None = None):
    """The workbook after :func:`check_xlsx`: read-only, formulas as
    formulas (``data_only=False``), no external links. Close it after use."""
    from openpyxl import load_workbook

    data = check_xlsx(path, limits_=limits_)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError, ParseError... on a bad part
        raise _refuse("xlsx.unreadable", "zip", file=str(path), reason=_reason(exc)) from None


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def sheet_ref(sheet: str) -> str:
    """A sheet name as an Excel reference writes it: quoted unless plain."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def sheet_rows(ws, *, name: str, limits_: Limits | None = None) -> Iterator[tuple[int, tuple]]:
    """``(row number, cells)`` of a read-only sheet, at most ``max_rows``
    rows of ``max_columns`` cells whatever the sheet's dimension claims.
    A value after the last allowed row or column is refused (rows further
    down are not looked at). ``name`` is the file, for messages."""
    lim = limits_ or limits()
    ws.reset_dimensions()  # a dimension of A1:XFD1048576 must not decide how much is padded
    rows = ws.iter_rows(min_row=1, max_row=lim.max_rows + 1, max_col=lim.max_columns + 1)
    number = 0
    padding = None  # openpyxl yields one shared tuple for every missing row: pass it on as () cheaply
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except InputRefused:
            raise
        except Exception as exc:  # the sheet's XML is parsed lazily, here
            raise _refuse("xlsx.unreadable", "zip", file=name, reason=_reason(exc)) from None
        number += 1
        if number > lim.max_rows:
            # openpyxl yields row max_rows + 1 only when the sheet has a row there or further
            # down (whose cells it no longer reads): refuse rather than drop data unseen.
            raise _refuse("xlsx.rows", "rows", file=name, sheet=sheet_ref(ws.title), limit=lim.max_rows,
                          var=ENV_MAX_ROWS)
        if cells is padding:
            yield number, ()
            continue
        if padding is None and cells and all(c.value is None and c.data_type == "n" for c in cells):
            padding = cells
        extra = cells[lim.max_columns] if len(cells) > lim.max_columns else None
        if extra is not None and extra.value is not None:
            raise _refuse("xlsx.columns", "columns", file=name, sheet=sheet_ref(ws.title),
                          cell=extra.coordinate, limit=lim.max_columns)
        yield number, cells[:lim.max_columns]


def cell_problem(cell, sheet: str) -> str | None:
    """Why an imported cell is not a value, or None: a formula (``=1+1``;
    read with ``data_only=False``) or an error value (``#DIV/0!``)."""
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        formula = getattr(cell.value, "text", cell.value)  # an ArrayFormula carries its text
        formula = str(formula)
        if not formula.startswith("="):
            formula = "=" + formula
        if len(formula) > 60:
            formula = formula[:60] + "…"
        return i18n.t("xlsx.formula", sheet=sheet_ref(sheet), cell=cell.coordinate, formula=formula)
    if kind == "e":
        return i18n.t("xlsx.error_value", sheet=sheet_ref(sheet), cell=cell.coordinate, value=cell.value)
    return None


def sheet_values(ws, *, name: str, limits_: Limits | None = None) -> list[tuple[int, list[Any]]]:
    """Every row of a sheet as ``(row number, values)`` up to its last
    non-empty row (trailing empty cells dropped), bounded as
    :func:`sheet_rows`. Formulas and error values are refused, all at once,
    each with its cell reference."""
    out: list[tuple[int, list[Any]]] = []
    problems: list[str] = []
    last = 0
    for number, cells in sheet_rows(ws, name=name, limits_=limits_):
        values = []
        for cell in cells:
            problem = cell_problem(cell, ws.title)
            if problem:
                problems.append(problem)
            values.append(cell.value if problem is None else None)
        while values and values[-1] is None:
            values.pop()
        out.append((number, values))
        if values:
            last = len(out)
    if problems:
        raise InputRefused(i18n.t("xlsx.cells_invalid", file=name, n=len(problems)), reason="cells",
                           details=problems)
    return out[:last]


__all__ = ["check_xlsx", "check_xlsx_bytes", "open_workbook", "sheet_rows", "sheet_values", "cell_problem",
           "sheet_ref"]
