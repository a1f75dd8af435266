"""The exported XLSX has a value column and protects its key columns
(issue 14: "the XLSX has no value column"; item 4: "sheet protection on the
key columns")."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from pmprb.assessments.setup import people
from pmprb.presentation.sheet_export import export_worksheet
from pmprb.presentation.sheet_format import read_sheet

from assess_support import build_world

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


@pytest.fixture
def world(db):
    w = build_world(db, ani_areas=("MP",))
    s = w.session()
    s.save("MP.1.a", "B")
    s.save("MP.2.a", "Tidak")
    s.save("MP.2.b", "A")        # 1 before gating, 0 after
    return w


def export(world, path, fmt="xlsx"):
    def op(s):
        rnd, unit = world.rnd(s), world.unit(s)
        return export_worksheet(s, rnd, unit, people.get_person(s, "ani"), path, fmt)
    with world.db.session() as s:
        return op(s)


def test_value_column_holds_what_the_rules_decided(world, tmp_path):
    path = tmp_path / "ani.xlsx"
    export(world, path)
    ws = load_workbook(path)["Kertas Kerja"]
    header = [c.value for c in ws[1]]
    col = header.index("nilai")
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["MP.1.a"][col] == 0.5
    assert rows["MP.2.a"][col] == 0
    assert rows["MP.2.b"][col] == 0          # gated: the value, not the answer's 1
    assert rows["MP.1.b"][col] is None       # unanswered: blank, not 0
    info = {r[0]: r[1] for r in load_workbook(path)["Info"].iter_rows(values_only=True)}
    assert "tidak dapat ditulis sebagai rumus" in info["note"]


def test_only_answer_note_and_evidence_can_be_edited(world, tmp_path):
    path = tmp_path / "ani.xlsx"
    export(world, path)
    ws = load_workbook(path)["Kertas Kerja"]
    assert ws.protection.sheet
    header = [c.value for c in ws[1]]
    locked = {h: ws.cell(row=2, column=j + 1).protection.locked for j, h in enumerate(header)}
    assert locked == {"kriteria": True, "area": True, "sub_area": True, "uraian": True, "pilihan": True,
                      "jawaban": False, "catatan": False, "bukti_dukung": False, "versi": True, "nilai": True,
                      "peringatan": True}
    assert ws.protection.autoFilter is False     # filtering still works


def test_the_value_column_is_ignored_on_import(world, tmp_path):
    for fmt in ("xlsx", "csv"):
        path = tmp_path / f"ani.{fmt}"
        export(world, path, fmt)
        with world.db.session() as s:
            from pmprb.assessments.setup.round_work import instrument_for

            sheet = read_sheet(path, instrument_for(world.rnd(s)))
        got = {r.criterion: r.answer for r in sheet.rows if r.answer}
        assert got == {"MP.1.a": "B", "MP.2.a": "Tidak", "MP.2.b": "A"}
