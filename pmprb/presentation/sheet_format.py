"""The fillable worksheet file: writing it (XLSX, CSV) and reading it back
(XLSX, CSV, or the YAML/JSON/CSV worksheet of ``pmprb score``).

One row per criterion the assessor answers. Columns, with their Indonesian
and English headers (either is accepted on import, in any case)::

    kriteria/criterion  area  sub_area/subarea  uraian/text  pilihan/options
    jawaban/answer  catatan/note  bukti_dukung/evidence_refs  versi/version

    nilai/value  peringatan/warnings

Only ``criterion``, ``answer``, ``note``, ``evidence_refs`` and ``version``
are read back; the others are there for the person filling it in.
``value`` is what the rules decided for the stored answer at export time
(values, not formulas: a gated value depends on other criteria's answers
through the instrument's gating rules, which a cell formula cannot follow;
export again after importing to refresh it); ``warnings`` what ``assess set`` warns about
the row (claimed without evidence, the cited documents' kind or date against the round's
evaluation period). The XLSX sheet is protected
without a password (against slips, not against a determined editor; the
import checks everything anyway): only the answer, note and evidence cells
can be edited, so the criterion id and version that tie a row to the store
stay as exported.
``version`` is the stored answer's version at export time: it tells an edit
of that answer apart from a conflicting change made meanwhile. An XLSX also
has an ``Info`` sheet naming the round, unit, assessor and instrument, so a
file is not imported into the wrong worksheet by mistake.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterable

from pmprb import i18n
from pmprb.engine.instrument import Instrument
from pmprb.assessments.assess.sheet_data import SheetData, SheetRow
from pmprb.errors import NotFoundError, ValidationError
from pmprb.engine import points, points_messages, safe_input
from pmprb import safe_xlsx
from pmprb.safe_output import append_row, csv_row, restore_csv_cell, write_atomically

FORMAT = "pmprb-assess/1"
SHEET_TITLES = ("Kertas Kerja", "Worksheet")
INFO_TITLE = "Info"

# column id -> (Indonesian header, English header)
COLUMNS: dict[str, tuple[str, str]] = {
    "criterion": ("kriteria", "criterion"),
    "area": ("area", "area"),
    "subarea": ("sub_area", "subarea"),
    "text": ("uraian", "text"),
    "options": ("pilihan", "options"),
    "answer": ("jawaban", "answer"),
    "note": ("catatan", "note"),
    "evidence": ("bukti_dukung", "evidence_refs"),
    "version": ("versi", "version"),
    "value": ("nilai", "value"),
    "warnings": ("peringatan", "warnings"),
}
EDITABLE = ("answer", "note", "evidence")  # unlocked cells; every other column is protected
_ALIASES = {h: cid for cid, names in COLUMNS.items() for h in names} | {"sub-area": "subarea", "id": "criterion"}
SCORE_CSV_COLUMNS = {"criterion", "answer", "evidence"}  # pmprb score's CSV: evidence is a count there

# ---------------------------------------------------------------------------
# export


def options_text(inst: Instrument, cid: str, lang: str) -> str:
    c = inst.criteria[cid]
    if c.kind in points.KINDS:
        return points_messages.answer_hint(inst, cid, lang)
    if not c.is_choice:
        return i18n.t("ash.count_hint", lang=lang)
    raw = {o["answer"]: o for o in c.data.get("options", [])}
    lines = []
    for answer, text in c.options:
        if lang == "en":
            text = raw.get(answer, {}).get("text_en") or text
        lines.append(f"{answer} = {text}")
    return "\n".join(lines)


def headers(lang: str) -> list[str]:
    k = 1 if lang == "en" else 0
    return [names[k] for names in COLUMNS.values()]


def _cells(row: dict) -> list:
    """A row's cells; a column the caller did not fill (e.g. no ``value``) stays blank."""
    return [row[k] if row.get(k) is not None else "" for k in COLUMNS]


def write_csv(path: str | Path, rows: list[dict], lang: str) -> None:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
    tab, CR) gets a leading ``'`` (:func:`pmprb.safe_output.csv_cell`);
    :func:`read_csv` takes it off again, so a round trip is lossless."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(csv_row(headers(lang)))
    for r in rows:
        w.writerow(csv_row(_cells(r)))
    # utf-8-sig: Excel opens a UTF-8 CSV with Indonesian text correctly only with the BOM.
    write_atomically(path, lambda tmp: tmp.write_text(buf.getvalue(), encoding="utf-8-sig", newline=""))


def write_xlsx(path: str | Path, rows: list[dict], lang: str, meta: dict, inst: Instrument) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLES[1] if lang == "en" else SHEET_TITLES[0]
    append_row(ws, headers(lang))  # every text a string cell, never a formula
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3ECF3")
    widths = {"criterion": 12, "area": 7, "subarea": 9, "text": 50, "options": 50, "answer": 10, "note": 40,
              "evidence": 24, "version": 7, "value": 8, "warnings": 40}
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for r in rows:
        append_row(ws, _cells(r))
    for j, key in enumerate(COLUMNS, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = widths[key]
        for i in range(2, len(rows) + 2):
            ws[f"{letter}{i}"].alignment = wrap if key in ("text", "options", "note", "evidence", "warnings") else top
            if key in ("answer", "note", "evidence"):
                ws[f"{letter}{i}"].number_format = "@"  # text: "1" stays "1", a date-like number stays as typed
            if key in EDITABLE:
                ws[f"{letter}{i}"].protection = Protection(locked=False)
                ws[f"{letter}{i}"].fill = PatternFill("solid", fgColor="FFF9E5")  # where to type
            if key == "value":
                ws[f"{letter}{i}"].number_format = "0.00"
    ws.freeze_panes = "B2"
    # Protection (no password) keeps criterion id and version as exported; filtering and
    # resizing stay allowed (False = not protected in openpyxl's SheetProtection).
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"

    # One drop-down per answer type, restricted to its answers.
    answer_col = get_column_letter(list(COLUMNS).index("answer") + 1)
    by_type: dict[str, list[int]] = {}
    for i, r in enumerate(rows, start=2):
        by_type.setdefault(inst.criteria[r["criterion"]].answer_type, []).append(i)
    for answer_type, row_numbers in by_type.items():
        c = next(inst.criteria[r["criterion"]] for r in rows if inst.criteria[r["criterion"]].answer_type == answer_type)
        if c.kind in points.KINDS:
            continue  # a number, a category (with its points where unknown) or TB: checked on import
        if c.is_choice:
            dv = DataValidation(type="list", formula1='"' + ",".join(c.values) + '"', allow_blank=True,
                                showErrorMessage=True, error=i18n.t("ash.dv_error", lang=lang))
        else:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                showErrorMessage=True, error=i18n.t("ash.dv_count", lang=lang))
        dv.errorStyle = "stop"
        ws.add_data_validation(dv)
        for n in row_numbers:
            dv.add(f"{answer_col}{n}")

    info = wb.create_sheet(INFO_TITLE)
    for key in ("format", "round", "unit", "assessor", "instrument", "instrument_revision"):
        append_row(info, [key, meta.get(key)])
    append_row(info, ["note", i18n.t("ash.value_note", lang=lang)])
    append_row(info, ["protection", i18n.t("ash.protected_note", lang=lang)])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 70
    write_atomically(path, wb.save)  # a full disk leaves no half-written workbook


# ---------------------------------------------------------------------------
# import


def _text(value: Any) -> str | None:
    """A cell as text: 2 and 2.0 -> '2'; blank -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _column_map(header: list, source: str) -> dict[str, int]:
    problems = []
    cols: dict[str, int] = {}
    for j, h in enumerate(header):
        name = (_text(h) or "").lower().replace(" ", "_")
        if not name:
            continue
        key = _ALIASES.get(name)
        if key is None:
            problems.append(i18n.t("ash.unknown_column", file=source, col=h, known=", ".join(sorted(_ALIASES))))
        elif key in cols:
            problems.append(i18n.t("ash.duplicate_column", file=source, col=h))
        else:
            cols[key] = j
    if "criterion" not in cols or "answer" not in cols:
        problems.append(i18n.t("ash.no_header", file=source, got=", ".join(str(h) for h in header if h is not None)))
    if problems:
        raise ValidationError(problems[0], details=problems[1:])
    return cols


def _rows_from_table(records: Iterable[tuple[int, list]], cols: dict[str, int]) -> list[SheetRow]:
    from pmprb.assessments.assess.evidence_refs import split_refs

    out = []
    for number, cells in records:
        def cell(key):
            j = cols.get(key)
            return _text(cells[j]) if j is not None and j < len(cells) else None

        cid = cell("criterion")
        if cid is None and not any(_text(c) for c in cells):
            continue  # blank line
        out.append(SheetRow(row=number, criterion=cid or "", answer=cell("answer"), note=cell("note"),
                            has_note="note" in cols,
                            refs=split_refs(cell("evidence")) if "evidence" in cols else None,
                            version=cell("version")))
    return out


def read_xlsx(path: Path) -> SheetData:
    """Read through :mod:`pmprb.safe_xlsx`: bounded, and a formula or an
    error value in any cell is refused with its cell reference (the value a
    program cached for a formula is not what the assessor typed)."""
    try:
        wb = safe_xlsx.open_workbook(path)
    except OSError as exc:
        raise ValidationError(i18n.t("ash.unreadable", file=str(path), reason=i18n.os_error(exc))) from None
    try:
        titles = wb.sheetnames
        name = next((t for t in titles if t in SHEET_TITLES), next((t for t in titles if t != INFO_TITLE), None))
        if name is None:
            raise ValidationError(i18n.t("ash.no_sheet", file=str(path)))
        records = safe_xlsx.sheet_values(wb[name], name=str(path))
        meta = {}
        if INFO_TITLE in titles:
            for _, r in safe_xlsx.sheet_values(wb[INFO_TITLE], name=str(path)):
                if r and r[0] is not None:
                    meta[str(r[0]).strip()] = _text(r[1]) if len(r) > 1 else None
    finally:
        wb.close()
    records = [(n, cells) for n, cells in records if cells] or records  # header is the first non-empty row
    if not records:
        raise ValidationError(i18n.t("ash.no_header", file=str(path), got=""))
    cols = _column_map(records[0][1], str(path))
    return SheetData(str(path), "xlsx", _rows_from_table(records[1:], cols), meta=meta)


def _read_text(path: Path) -> str:
    try:
        return safe_input.read_text(path, csv_hint=path.suffix.lower() == ".csv")  # bounded size, names bad bytes
    except UnicodeDecodeError:
        raise ValidationError(i18n.t("ash.unreadable", file=str(path), reason=i18n.t("ws.not_utf8"))) from None
    except OSError as exc:
        raise ValidationError(i18n.t("ash.unreadable", file=str(path), reason=i18n.os_error(exc))) from None


def read_csv(path: Path, inst: Instrument) -> SheetData:
    text = _read_text(path)
    first = text.split("\n", 1)[0]
    # Excel in an Indonesian locale writes ';' (the comma is the decimal separator).
    delimiter = ";" if ";" in first and "," not in first else ","
    # restore_csv_cell: a cell pmprb's own export neutralised ('=...) reads back as written.
    records = [(i, [restore_csv_cell(c) for c in row])
               for i, (_, row) in enumerate(safe_input.csv_rows(text, str(path), delimiter=delimiter), start=1)]
    if not records:
        raise ValidationError(i18n.t("ash.no_header", file=str(path), got=""))
    header = {(h or "").strip().lower() for h in records[0][1] if (h or "").strip()}
    if "evidence" in header and header <= SCORE_CSV_COLUMNS:
        return read_score(path, inst, records)
    cols = _column_map(records[0][1], str(path))
    return SheetData(str(path), "csv", _rows_from_table(records[1:], cols))


def read_score(path: Path, inst: Instrument, csv_records: list | None = None) -> SheetData:
    """A ``pmprb score`` worksheet (YAML/JSON, or CSV criterion,answer,evidence):
    validated by the engine's parser (all problems at once, located), then
    turned into rows. Its evidence counts and Hasil inputs are not the
    assessor's to import and are reported as ignored."""
    from pmprb.engine.worksheet_files import load_worksheet

    ws = load_worksheet(path, instrument=inst)  # raises ValidationError naming file:line: criterion
    lines: dict[str, int] = {}
    if csv_records is not None:
        cols = [(h or "").strip().lower() for h in csv_records[0][1]]
        k = cols.index("criterion")
        for number, cells in csv_records[1:]:
            if k < len(cells) and cells[k].strip():
                lines.setdefault(cells[k].strip(), number)
    else:
        from pmprb.engine.yamlsrc import load_text

        try:
            src = load_text(_read_text(path), str(path))
            lines = {p[1]: ln for p, ln in src.lines.items() if len(p) == 2 and p[0] == "answers"}
        except Exception:  # e.g. JSON indented with tabs: valid JSON, no line numbers
            lines = {}
    rows = [SheetRow(row=lines.get(cid, 0), criterion=cid, answer=str(ans)) for cid, ans in ws.answers.items()]
    notices = []
    if ws.evidence:
        notices.append(i18n.t("ash.score_ignored", file=str(path), what=i18n.t("ash.what_evidence")))
    if ws.hasil:
        notices.append(i18n.t("ash.score_ignored", file=str(path), what=i18n.t("ash.what_hasil")))
    return SheetData(str(path), "score", rows, notices=notices)


def read_sheet(path: str | Path, inst: Instrument) -> SheetData:
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(i18n.t("ev.missing", path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix == ".csv":
        return read_csv(path, inst)
    if suffix in (".yaml", ".yml", ".json"):
        return read_score(path, inst)
    raise ValidationError(i18n.t("ash.format", file=str(path), suffix=suffix))


__all__ = ["SheetRow", "SheetData", "COLUMNS", "FORMAT", "options_text", "headers", "write_csv", "write_xlsx",
           "read_sheet"]
