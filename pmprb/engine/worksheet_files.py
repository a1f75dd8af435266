"""Reading worksheet files: YAML and JSON (with line numbers) and CSV (with row lines).

Everything read goes through :mod:`pmprb.engine.worksheet`'s checks, so every
format reports the same problems in the same words.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from pmprb import i18n
from pmprb.errors import ValidationError
from pmprb.engine.instrument import Instrument, default_id
from pmprb.engine.worksheet import CSV_COLUMNS, WorksheetFile, _Collector, _pick_instrument, _Problems, parse_worksheet
from pmprb.engine.yamlsrc import format_path, load_text


def read_worksheet_file(path: Path, instrument: Instrument | str | None = None) -> WorksheetFile:
    problems = _Problems(str(path))
    text = _read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _parse_csv(text, str(path), instrument, problems)
    fmt = "JSON" if suffix == ".json" else "YAML"
    data, lines = _parse_mapping_file(text, str(path), fmt, problems)
    return parse_worksheet(data, str(path), instrument, lines=lines, base=path.parent, problems=problems)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # -sig: Excel's CSV starts with a BOM
    except UnicodeDecodeError:
        reason = i18n.t("ws.not_utf8")
    except OSError as exc:
        reason = i18n.os_error(exc)
    raise ValidationError(i18n.t("ws.unreadable", file=str(path), reason=reason))


def _parse_mapping_file(text: str, name: str, fmt: str, problems: _Problems) -> tuple[Any, dict]:
    if fmt == "JSON":
        # Strict JSON first (YAML would accept more); YAML only to learn the lines.
        dup: list[str] = []

        def pairs(items):
            seen = {}
            for k, v in items:
                if k in seen:
                    dup.append(k)
                seen[k] = v
            return seen

        try:
            data = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            problems.add(exc.lineno, None, "ws.syntax", fmt=fmt, reason=exc.msg)
            problems.raise_if_any()
        try:
            src = load_text(text, name)
        except yaml.YAMLError:  # e.g. tab indentation: valid JSON, no line numbers
            for k in dup:
                problems.add(None, None, "ws.duplicate_key", field=k)
            return data, {}
    else:
        try:
            src = load_text(text, name)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.add(mark.line + 1 if mark else None, None, "ws.syntax", fmt=fmt,
                         reason=getattr(exc, "problem", None) or str(exc))
            problems.raise_if_any()
        data = src.data
    for path, line, msg in src.problems:
        if msg.startswith("duplicate key"):
            problems.add(line, format_path(path), "ws.duplicate_key", field=path[-1])
        else:
            problems.add(line, format_path(path), "ws.yaml_problem", what=msg)
    if data is None:
        problems.add(None, None, "ws.empty")
        problems.raise_if_any()
    return data, src.lines


# Indonesian column names -> the English ones; a note column is allowed and not scored.
CSV_ALIASES = {"kriteria": "criterion", "jawaban": "answer", "bukti": "evidence", "bukti_dukung": "evidence",
               "catatan": "note"}
CSV_IGNORED = ("note",)


def _parse_csv(text: str, source: str, instrument, problems: _Problems) -> WorksheetFile:
    first = text.split("\n", 1)[0]
    # Excel in an Indonesian locale writes ';' (the comma is the decimal separator).
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        problems.add(None, None, "ws.empty")
        problems.raise_if_any()
    # Indonesian headers too: the worksheet an assessor keeps (kriteria,jawaban,catatan) scores as it is.
    cols = [CSV_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    for h in cols:
        if h not in CSV_COLUMNS and h not in CSV_IGNORED:
            problems.add(1, None, "ws.csv_column", col=h, allowed=", ".join(CSV_COLUMNS + tuple(CSV_ALIASES)))
    if "criterion" not in cols or "answer" not in cols:
        problems.add(1, None, "ws.csv_header", got=delimiter.join(header))
    # Read the default only when needed (rules/default.yaml): importing must not depend on it.
    inst = _pick_instrument(None, instrument or default_id(), None, problems, None, None)
    problems.raise_if_any()
    col = _Collector(inst, problems)
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(cols):
            problems.add(line, None, "ws.csv_cells", got=len(row), want=len(cols))
            continue
        cells = {h: cell.strip() for h, cell in zip(cols, row)}
        cid = cells["criterion"]
        if not cid:
            problems.add(line, None, "ws.csv_no_criterion")
            continue
        if cid in first_line:
            problems.add(line, cid, "ws.csv_duplicate", cid=cid, first=first_line[cid])
            continue
        first_line[cid] = line
        if col.is_hasil(cid):
            col.hasil_input(cid, cells["answer"], line, cid)
            if cells.get("evidence"):
                problems.add(line, cid, "ws.csv_hasil_evidence")
            continue
        if col.criterion(cid, line, cid) is None:
            continue
        col.answer(cid, cells["answer"], line, cid)
        col.evidence_count(cid, cells.get("evidence"), line, cid, known=True)
    problems.raise_if_any()
    return col.worksheet(source)


def load_worksheet(path: str | Path, instrument: Instrument | str | None = None) -> WorksheetFile:
    """Read and validate a worksheet file; raises :class:`ValidationError` listing every problem.

    ``instrument`` is the instrument the caller expects (required for CSV,
    which cannot name one; default :func:`default_id`); a YAML/JSON worksheet that
    names a different one is rejected.
    """
    return read_worksheet_file(Path(path), instrument)
