"""XLSX for tabular reports (openpyxl).

Figures are written as numbers with a number format, never as formatted
text, so Excel or LibreOffice shows them in the reader's own locale (a
decimal comma in Indonesian) and they still add up. Text is always written
as a string cell (:func:`pmprb.safe_output.set_text`): a note that
starts with ``=`` or reads ``#N/A`` is shown as typed, never run as a formula
or turned into an error value. Each sheet has a bold header row that is
frozen, filtered and repeated on every printed page, and prints on A4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Sequence

from pmprb.safe_output import set_text, set_value, write_atomically
from pmprb.reports.environment import report_timestamp

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL_COLOUR = "E3ECF3"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float | None = None      # in characters; default from the header and values
    places: int | None = None       # a number column with this many decimals
    wrap: bool = False              # long text (notes, rationale): wrap inside the cell


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    heading: str | None = None      # a title line above the table
    landscape: bool = False
    notes: Sequence[str] = field(default_factory=tuple)   # lines below the table


def _check_title(title: str, seen: set[str]) -> str:
    if not title or len(title) > 31 or _BAD_TITLE.search(title):
        raise ValueError(f"sheet title {title!r}: 1 to 31 characters, none of []:*?/\\")
    if title.lower() in seen:
        raise ValueError(f"sheet title {title!r} used twice")
    seen.add(title.lower())
    return title


def _cell_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (str, int, float, date, datetime)):
        return value
    return str(value)


def build_workbook(sheets: Sequence[Sheet], *, title: str | None = None, audit_head: Mapping | None = None):
    """``audit_head``: the audit chain head the workbook was made from (see
    ``pmprb.reports.round_common.header``), kept in the document properties
    (where ``pmprb audit verify --against`` reads it) and printed in every
    sheet's page footer."""
    # openpyxl (and the numpy it pulls in) costs ~0.25 s: import it only when a workbook is built.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor=HEADER_FILL_COLOUR)
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "pmprb"
    wb.properties.created = report_timestamp().replace(tzinfo=None)
    if title:
        wb.properties.title = title
    if audit_head:
        wb.properties.keywords = audit_head["marker"]
    seen: set[str] = set()
    for spec in sheets:
        ws = wb.create_sheet(_check_title(spec.title, seen))
        header_row = 1
        if spec.heading:
            set_text(ws.cell(row=1, column=1), spec.heading).font = Font(bold=True, size=13)
            header_row = 3
        for j, col in enumerate(spec.columns, start=1):
            cell = set_text(ws.cell(row=header_row, column=j), col.header)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="bottom", wrap_text=True)
        widths = [len(col.header) for col in spec.columns]
        for i, row in enumerate(spec.rows, start=header_row + 1):
            for j, col in enumerate(spec.columns, start=1):
                try:
                    raw = row[col.key]
                except KeyError:
                    raise KeyError(f"sheet {spec.title!r}, row {i - header_row}: no value for column {col.key!r}") from None
                cell = set_value(ws.cell(row=i, column=j), _cell_value(raw))  # text: a string cell
                if col.places is not None and isinstance(cell.value, (int, float)):
                    cell.number_format = "0" if col.places == 0 else "0." + "0" * col.places
                if col.wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[j - 1] = max(widths[j - 1], min(len(str(raw)) if raw is not None else 0, 60))
        last_row = header_row + len(spec.rows)
        for k, line in enumerate(spec.notes, start=last_row + 2):
            set_text(ws.cell(row=k, column=1), line)
        for j, col in enumerate(spec.columns, start=1):
            ws.column_dimensions[get_column_letter(j)].width = col.width or min(max(widths[j - 1] + 2, 6), 62)
        last_col = get_column_letter(len(spec.columns))
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.auto_filter.ref = f"A{header_row}:{last_col}{max(last_row, header_row)}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if audit_head:
            ws.oddFooter.left.text = audit_head["text"][:250]
            ws.oddFooter.left.size = 7
    return wb


def write_xlsx(path: str | Path, sheets: Sequence[Sheet], *, title: str | None = None,
               audit_head: Mapping | None = None) -> Path:
    """Write the sheets to ``path`` (parent folders are created)."""
    wb = build_workbook(sheets, title=title, audit_head=audit_head)
    return write_atomically(path, wb.save)  # never half a workbook under the real name
