"""The plain `pmprb score` output uses the instrument's own words for its total."""

from pathlib import Path

from click.testing import CliRunner

from pmprb.cli import main

ZI_SHEET = Path(__file__).with_name("data") / "zi-wbk.yaml"


def test_zi_total_is_named_by_the_instrument_and_has_no_grade_line():
    out = CliRunner().invoke(main, ["score", str(ZI_SHEET)]).output
    assert "Nilai Total LKE ZI" in out and "Indeks RB" not in out
    assert "Predikat" not in out


def test_pmprb_2014_keeps_indeks_rb_and_grade(tmp_path):
    ws = tmp_path / "ws.yaml"
    ws.write_text("instrument: pmprb-2014\nanswers: {MP.1.a: A}\n")
    out = CliRunner().invoke(main, ["--lang", "en", "score", str(ws)]).output
    assert "Indeks RB" in out and "Grade" in out
