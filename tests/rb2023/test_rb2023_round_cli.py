"""`pmprb round official`, `round result` and the help of the new command, through the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import rb_round_support as rs
from pmprb import i18n
from pmprb.cli import main

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


@pytest.fixture
def run(db):
    rs.finalised(db)
    runner = CliRunner()

    def invoke(*args, actor="kora", lang=None):
        env = {"PMPRB_LANG": lang, "PMPRB_USER": actor, "PMPRB_DATABASE_URL": db.url, "PMPRB_NO_INPUT": "1",
               "COLUMNS": "200"}
        return runner.invoke(main, list(args), env=env)

    yield invoke
    i18n.set_lang(None)


def test_official_values_one_and_from_a_file(run, tmp_path):
    r = run("round", "official", "--round", "RB2024")
    assert r.exit_code == 0 and "Belum ada nilai resmi" in r.output
    r = run("round", "official", "--round", "RB2024", "--criterion", "1B15", "--value", "75,2",
            "--source", "LHE AKIP 2023 No. 17")
    assert r.exit_code == 0, r.output
    assert "Nilai resmi ronde RB2024 dicatat: 1B15" in r.output
    f = tmp_path / "resmi.csv"
    f.write_text("kriteria;nilai;sumber\n1C13a;wtp;LHP BPK 2024\n1C22;72,5;\n", encoding="utf-8")
    r = run("round", "official", "--round", "RB2024", "--file", str(f), "--source", "Hasil SPI 2024")
    assert r.exit_code == 0, r.output
    r = run("round", "official", "--round", "RB2024")
    assert r.exit_code == 0, r.output
    lines = {ln.split()[0]: ln for ln in r.output.splitlines() if ln[:4] in ("1B15", "1C13", "1C22")}
    assert set(lines) == {"1B15", "1C13a", "1C22"}
    assert "WTP" in lines["1C13a"] and "-1,67" in lines["1C13a"] and "LHP BPK 2024" in lines["1C13a"]
    assert "Hasil SPI 2024" in lines["1C22"]
    assert "Indeks RB estimasi" in r.output and "belum memiliki nilai resmi" in r.output
    d = json.loads(run("round", "official", "--round", "RB2024", "--json").output)
    assert d["recorded"] == 3 and d["basis"] == "final" and not d["complete"]
    assert d["difference"] == pytest.approx(d["estimate_total"] - d["official_total"], abs=1e-9)
    en = run("round", "official", "--round", "RB2024", lang="en")
    assert "Internal estimate (final result) against the official values" in en.output


@pytest.mark.parametrize("args,fragment", [
    (("--criterion", "1B15"), "--value"),
    (("--criterion", "1B15", "--value", "abc", "--source", "x"), "1B15"),
    (("--criterion", "1B15", "--value", "70"), "sumber"),
])
def test_official_values_refused_without_traceback(run, args, fragment):
    r = run("round", "official", "--round", "RB2024", *args)
    assert r.exit_code != 0 and fragment in r.output and "Traceback" not in r.output


def test_a_bad_file_is_named(run, tmp_path):
    f = tmp_path / "resmi.csv"
    f.write_text("indikator,angka\n1B15,70\n", encoding="utf-8")
    r = run("round", "official", "--round", "RB2024", "--file", str(f), "--source", "x")
    assert r.exit_code != 0 and "resmi.csv" in r.output and "kriteria dan nilai" in r.output


def test_an_evaluator_cannot_record_official_values(run):
    r = run("round", "official", "--round", "RB2024", "--criterion", "1B15", "--value", "70", "--source", "x",
            actor="ani")
    assert r.exit_code != 0 and "Traceback" not in r.output


def test_round_result_by_component_and_theme(run):
    r = run("round", "result", "--round", "RB2024")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "RB General:" in out and "bobot yang berlaku" in out and "RB Tematik:" in out
    themes = [ln.strip().split(":")[0] for ln in out.splitlines() if ln.startswith("  tema ")]
    assert themes == ["tema Pengentasan Kemiskinan", "tema Realisasi Investasi",
                      "tema Digitalisasi Administrasi Pemerintahan Fokus Penanganan Stunting",
                      "tema Penggunaan Produk Dalam Negeri", "tema Pengendalian Inflasi"]
    assert "Pengungkit" not in out


def test_ratl_list_shows_the_gain(run):
    d = json.loads(run("ratl", "list", "--round", "RB2024", "--json").output)
    gains = [i["gain"] for i in d["items"]]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0


def test_official_values_from_an_xlsx(run, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["kriteria", "nilai", "sumber"])
    ws.append(["1C22", 72.5, "Hasil SPI 2024"])
    ws.append(["1C13a", "WTP", None])
    path = tmp_path / "resmi.xlsx"
    wb.save(path)
    r = run("round", "official", "--round", "RB2024", "--file", str(path), "--source", "LHP BPK 2024")
    assert r.exit_code == 0, r.output
    d = json.loads(run("round", "official", "--round", "RB2024", "--json").output)
    got = {x["criterion"]: (x["official"], x["source"]) for x in d["lines"]}
    assert got == {"1C13a": ("WTP", "LHP BPK 2024"), "1C22": ("72.5", "Hasil SPI 2024")}
    ws.append(["1C23", "=1+1", "x"])
    wb.save(path)
    r = run("round", "official", "--round", "RB2024", "--file", str(path), "--source", "x")
    assert r.exit_code != 0 and "Traceback" not in r.output
