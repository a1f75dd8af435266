"""Entering indicator values: the terminal walk, the fillable sheet (export and import) and
assessor feedback, for lines scored in points (numbers, a category, not applicable)."""

from __future__ import annotations

import csv

import pytest

import rb_round_support as rs
from pmprb.presentation.walk import run_walk
from pmprb.presentation.walk_session import AssessSession

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


class Script:
    """Answers the walk's prompts from a list."""

    def __init__(self, *replies):
        self.replies, self.out = list(replies), []

    def ask(self, prompt: str) -> str:
        self.out.append(prompt)
        if not self.replies:
            raise AssertionError(f"the walk asked more than scripted: {prompt!r}")
        r = self.replies.pop(0)
        self.out.append(r + "\n")
        return r

    def say(self, text: str) -> None:
        self.out.append(text + "\n")

    @property
    def text(self) -> str:
        return "".join(self.out)


def stored(w, username="ani") -> dict[str, str]:
    from sqlmodel import select

    from pmprb.assessments.store.models import Answer

    with w.db.session() as s:
        return {a.criterion_id: a.answer for a in s.exec(select(Answer).where(Answer.round_id == w.rnd(s).id))}


def test_the_walk_takes_numbers_categories_and_names_its_refusals(db):
    w = rs.build(db, answered=False)
    io = Script("abc",             # 1A11: not a number
                "4",               # outside 0..3
                "2,5", "", "",     # 1A11 = 2.5 (decimal comma), no note, no evidence
                "80", "", "",      # 1A12 = 80, scaled by 1A11
                ":ke 1C13a", "WDP", "wdp=3,33", "", "",
                ":quit")
    run_walk(AssessSession(db, "ani", w.code, "ORTALA"), io)
    t = io.text
    assert "Isian: angka 0..3 (bobot 3); atau TB (tidak berlaku)" in t
    assert "1A11 harus berupa angka 0..3 atau TB (tidak berlaku), bukan 'abc'" in t
    assert "1A11: 4 di luar rentang 0..3" in t
    assert "Isian: angka 0..100 (bobot 7); dikali nilai 1A11 ÷ 3" in t
    assert "Nilai 1A12: 4.67 (sebelum aturan gating: 5.6)" in t and "dikali nilai 1A11 (2.5)" in t
    assert "kategori: WTP (5 poin), WDP=<poin>" in t and "tuliskan poinnya: WDP=<poin>" in t
    assert "nilai diisi tanpa dokumen hasil dari instansi penilai" in t
    assert stored(w) == {"1A11": "2.5", "1A12": "80", "1C13a": "WDP=3.33"}


def test_the_sheet_through_the_cli(db, tmp_path):
    from click.testing import CliRunner

    from pmprb.cli import main

    w = rs.build(db, answered=False)
    env = {"PMPRB_LANG": None, "PMPRB_USER": "ani", "PMPRB_DATABASE_URL": db.url, "PMPRB_NO_INPUT": "1"}
    runner = CliRunner()
    out = tmp_path / "ani.csv"
    r = runner.invoke(main, ["assess", "export", "--round", w.code, "--unit", "ORTALA", "-o", str(out)], env=env)
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    options = {row[0]: row[4] for row in rows[1:]}
    assert options["1A12"] == "angka 0..100 (bobot 7); dikali nilai 1A11 ÷ 3; atau TB (tidak berlaku)"
    assert options["KOEF04"] == "angka -10..1, ditambahkan apa adanya"
    assert options["1C13a"].startswith("kategori: WTP (5 poin), WDP=<poin>")
    fill = {"1A11": "2,04", "1A12": "4.76", "1B19": "tb", "1C13a": "WDP=3,33", "KOEF04": "-1"}
    for row in rows[1:]:
        row[5] = fill.get(row[0], "")
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    r = runner.invoke(main, ["assess", "import", str(out), "--round", w.code, "--unit", "ORTALA"], env=env)
    assert r.exit_code == 0, r.output
    assert stored(w) == {"1A11": "2.04", "1A12": "4.76", "1B19": "TB", "1C13a": "WDP=3.33", "KOEF04": "-1"}
    xlsx = tmp_path / "ani.xlsx"
    r = runner.invoke(main, ["assess", "export", "--round", w.code, "--unit", "ORTALA", "-o", str(xlsx)], env=env)
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).worksheets[0]
    assert not ws.data_validations.dataValidation      # no whole-number rule on points lines
    values = {row[0].value: row[9].value for row in ws.iter_rows(min_row=2)}
    assert values["1A12"] == 0.23 and values["1C13a"] == 3.33
    r = runner.invoke(main, ["assess", "import", str(xlsx), "--round", w.code, "--unit", "ORTALA"], env=env)
    assert r.exit_code == 0 and "tetap 5" in r.output, r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("kriteria,jawaban\n1B15,101\n1C13a,WDP\n", encoding="utf-8")
    r = runner.invoke(main, ["assess", "import", str(bad), "--round", w.code, "--unit", "ORTALA"], env=env)
    assert r.exit_code != 0 and "1B15" in r.output and "Traceback" not in r.output
