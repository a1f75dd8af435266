"""Reading worksheet files: YAML and JSON (with line numbers) and CSV (with row lines).

Everything read goes through :mod:`pmprb.engine.worksheet`'s checks, so every
format reports the same problems in the same words. Reading is bounded by
:mod:`pmprb.engine.safe_input` (size, encoding, nesting, values, aliases,
CSV cells and rows): a hostile file ends in a named error, quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pmprb import i18n
from pmprb.errors import ValidationError
from pmprb.engine.instrument import Instrument, default_id, syntax_reason
from pmprb.engine.worksheet import CSV_COLUMNS, WorksheetFile, _Collector, _pick_instrument, _Problems, parse_worksheet
from pmprb.engine.yamlsrc import format_path, load_text
from pmprb.engine.safe_input import InputRefused, csv_rows, decode, load_json, read_bytes


def read_worksheet_file(path: Path, instrument: Instrument | str | None = None) -> WorksheetFile:
    problems = _Problems(str(path))
    suffix = path.suffix.lower()
    text = _read_text(path, csv_file=suffix == ".csv")
    if suffix == ".csv":
        return _parse_csv(text, str(path), instrument, problems)
    fmt = "JSON" if suffix == ".json" else "YAML"
    data, lines = _parse_mapping_file(text, str(path), fmt, problems)
    return parse_worksheet(data, str(path), instrument, lines=lines, base=path.parent, problems=problems)


def _read_text(path: Path, csv_file: bool = False) -> str:
    try:
        data = read_bytes(path)  # at most PMPRB_MAX_INPUT_MB
    except OSError as exc:
        raise ValidationError(i18n.t("ws.unreadable", file=str(path), reason=i18n.os_error(exc))) from None
    # UTF-8 (Excel's CSV UTF-8 starts with a BOM) or UTF-16 with a BOM; else refused naming the line.
    return decode(data, str(path), csv_hint=csv_file)


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
            data = load_json(text, name, object_pairs_hook=pairs)
        except InputRefused:
            raise
        except ValueError as exc:  # json.JSONDecodeError
            problems.add(getattr(exc, "lineno", None), None, "ws.syntax", fmt=fmt, reason=syntax_reason(exc))
            problems.raise_if_any()
        try:
            src = load_text(text, name)
        except (yaml.YAMLError, InputRefused):  # e.g. tab indentation: valid JSON, no line numbers
            for k in dup:
                problems.add(None, None, "ws.duplicate_key", field=k)
            return data, {}
    else:
        try:
            src = load_text(text, name)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.add(mark.line + 1 if mark else None, None, "ws.syntax", fmt=fmt, reason=syntax_reason(exc))
            problems.raise_if_any()
        data = src.data
    for path, line, msg in src.problems:
        if path and msg == i18n.t("yaml.duplicate_key", field=path[-1]):   # said in the worksheet's words
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
# A row naming the evaluation period the cited documents are judged against (its year in the answer column).
PERIOD_ROWS = ("period", "periode")


def _parse_csv(text: str, source: str, instrument, problems: _Problems) -> WorksheetFile:
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    # Excel in an Indonesian locale writes ';' (the comma is the decimal separator).
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv_rows(text, source, delimiter=delimiter)  # bounded: line, cell, row and column limits
    header = next(reader, (None, None))[1]
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
    for line, row in reader:
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
        if cid.lower() in PERIOD_ROWS:   # the evaluation period: `period,2022,`
            col.evaluation_period(cells["answer"], line, cid)
            continue
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
