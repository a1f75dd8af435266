"""A filled worksheet as read from a file: what an import takes.

The file formats (XLSX, CSV, the YAML/JSON/CSV worksheets of ``pmprb
score``) are read by :mod:`pmprb.presentation.sheet_format`; the importer
(:mod:`pmprb.assessments.assess.sheet_import`) only sees these rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SheetRow:
    row: int                     # as a spreadsheet shows it (header = 1); YAML/JSON: the line
    criterion: str
    answer: str | None
    note: str | None = None
    has_note: bool = False       # the file has a note column (so an empty note clears it)
    refs: list[str] | None = None  # None: the file has no evidence column
    version: Any = None          # the cell as read (checked by the importer)


@dataclass
class SheetData:
    source: str
    format: str                  # xlsx | csv | score
    rows: list[SheetRow]
    meta: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
