"""A file of official indicator values (``pmprb round official --file``): CSV or XLSX with the
columns ``kriteria,nilai[,sumber]`` (``criterion,value[,source]``), read bounded like every
input file (:mod:`pmprb.engine.safe_input`, :mod:`pmprb.safe_xlsx`); every problem names the
file and line. The values are checked when recorded (:func:`pmprb.assessments.coordinate.official.record`)."""

from __future__ import annotations

from pathlib import Path

from pmprb import i18n
from pmprb.engine import safe_input
from pmprb.errors import NotFoundError, ValidationError
from pmprb.safe_xlsx import open_workbook, sheet_values

# Column names (Indonesian and English).
COLUMNS = {"kriteria": "criterion", "criterion": "criterion", "indikator": "criterion",
           "nilai": "value", "value": "value", "jawaban": "value", "answer": "value",
           "sumber": "source", "source": "source"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value).strip()


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    if path.suffix.lower() == ".xlsx":
        wb = open_workbook(path)
        try:
            return [(n, [_cell(v) for v in values]) for n, values in sheet_values(wb.worksheets[0], name=str(path))]
        finally:
            wb.close()
    try:
        text = safe_input.read_text(path, csv_hint=True)
    except UnicodeDecodeError:
        raise ValidationError(i18n.t("offf.header", file=str(path), got="?")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    return [(line, [c.strip() for c in cells]) for line, cells in safe_input.csv_rows(text, str(path),
                                                                                      delimiter=delimiter)]


def read(path: str | Path) -> dict[str, tuple[str, str | None]]:
    """``{criterion: (value, source or None)}`` in the file's order."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(i18n.t("offf.missing", file=str(path)))
    rows = _rows(path)
    if not rows:
        raise ValidationError(i18n.t("offf.empty", file=str(path)))
    header = [COLUMNS.get(h.lower().lstrip("\ufeff")) for h in rows[0][1]]
    if "criterion" not in header or "value" not in header:
        raise ValidationError(i18n.t("offf.header", file=str(path), got=", ".join(h for h in rows[0][1] if h)))
    col = {name: header.index(name) for name in ("criterion", "value", "source") if name in header}
    out: dict[str, tuple[str, str | None]] = {}
    for line, cells in rows[1:]:
        def cell(name):
            j = col.get(name)
            return cells[j] if j is not None and j < len(cells) else ""

        cid = cell("criterion")
        if not cid and not any(cells):
            continue
        if cid in out:
            raise ValidationError(i18n.t("offf.twice", file=str(path), line=line, criterion=cid))
        out[cid] = (cell("value"), cell("source") or None)
    if not out:
        raise ValidationError(i18n.t("offf.empty", file=str(path)))
    return out


__all__ = ["read", "COLUMNS"]
