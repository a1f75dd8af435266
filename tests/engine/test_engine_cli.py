"""`pmprb rules ...` and `pmprb score ...` through click's CliRunner: output, languages, exit codes."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.engine import evaluator as evaluator_mod
from pmprb.engine import compiler

from engine_support import PMPRB_2014, bps, copy_instrument, needs_durable, pmprb2014

REV = pmprb2014().revision


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


@pytest.fixture
def bps2015(tmp_path):
    ev = bps()[2015]
    path = tmp_path / "bps2015.yaml"
    path.write_text(yaml.safe_dump({"instrument": "pmprb-2014", "answers": ev["answers"],
                                    "hasil": ev["hasil_inputs"]}, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# rules


def test_rules_list():
    r = run("rules", "list")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["ID", "Versi", "Revisi", "Kriteria", "Judul"]
    assert any(line.split()[:4] == ["pmprb-2014", "2015", REV[:12], "146"] for line in lines[1:])
    items = json.loads(run("rules", "list", "--json").stdout)
    mine = next(i for i in items if i["id"] == "pmprb-2014")
    assert mine["revision"] == REV
    assert mine["counts"] == {"areas": 8, "subareas": 33, "criteria": 146, "hasil_parts": 5}


def test_rules_show_json():
    r = run("rules", "show", "pmprb-2014", "--json")
    assert r.exit_code == 0
    s = json.loads(r.stdout)
    assert s["revision"] == REV
    assert [(a["code"], a["weight"], a["subareas"], a["criteria"]) for a in s["areas"]] == [
        ("MP", 5, 4, 18), ("PPU", 5, 2, 4), ("ORG", 6, 2, 10), ("TL", 5, 3, 11),
        ("SDM", 15, 8, 39), ("AKT", 6, 2, 8), ("PWS", 12, 7, 35), ("PP", 6, 5, 21)]
    assert sum(a["weight"] for a in s["areas"]) == 60 and s["hasil_total"] == 40
    assert s["answer_types"] == {"A/B/C": 38, "A/B/C/D": 64, "A/B/C/D/E": 3, "Y/T": 41}
    assert s["answer_values"] == {"Y/T": {"Ya": 1, "Tidak": 0}, "A/B/C": {"A": 1, "B": 0.5, "C": 0},
                                  "A/B/C/D": {"A": 1, "B": 0.67, "C": 0.33, "D": 0},
                                  "A/B/C/D/E": {"A": 1, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0}}
    assert s["gating_rules"] == 20
    assert s["gating_kinds"] == {"multiply_by_previous": 1, "zero_chain": 4, "zero_if_answer": 12,
                                 "zero_if_value_zero": 3}
    assert s["examples"] == 56


def test_rules_show_text_in_both_languages():
    out = run("rules", "show", "pmprb-2014").stdout.splitlines()
    assert out[0] == "pmprb-2014: Lembar Kerja Evaluasi PMPRB (Indeks Reformasi Birokrasi)"
    assert f"  Revisi               {REV}" in out
    assert "  Aturan gating        20 (multiply_by_previous 1, zero_chain 4, zero_if_answer 12, zero_if_value_zero 3)" in out
    assert "SDM   Penataan Sistem Manajemen SDM                                    15         8        39" in out
    out = run("--lang", "en", "rules", "show", "pmprb-2014").stdout.splitlines()
    assert "  Pengungkit (enablers)  60 (8 areas, 33 sub-areas, 146 criteria)" in out
    assert "  Answer types           A/B/C 38, A/B/C/D 64, A/B/C/D/E 3, Y/T 41" in out
    assert ("  Answer values          Y/T: Ya 1, Tidak 0; A/B/C: A 1, B 0.5, C 0; A/B/C/D: A 1, B 0.67, C 0.33, D 0; "
            "A/B/C/D/E: A 1, B 0.75, C 0.5, D 0.25, E 0") in out
    # The area table (decisions follow it since the instrument records its evidence requirements).
    assert ["PP", "Public", "Service", "Quality", "Improvement", "6", "5", "21"] in [line.split() for line in out]


def test_rules_show_unknown_instrument_is_not_found():
    r = run("rules", "show", "pmprb-1999")
    assert r.exit_code == 3
    assert r.stdout == ""
    assert r.stderr.startswith("Galat: instrumen 'pmprb-1999' tidak dikenal (yang tersedia: pmprb-2014")


def test_rules_validate_ok():
    r = run("rules", "validate", str(PMPRB_2014))
    assert r.exit_code == 0, r.stderr
    engines = "durable + plain" if evaluator_mod.durable_available() else "plain"
    assert r.stdout == f"OK pmprb-2014 revisi {REV} (146 kriteria, 56 contoh kerja lulus di {engines})\n"


def test_rules_validate_lists_every_error_and_exits_1(tmp_path):
    folder = copy_instrument(tmp_path, [("02-ppu.yaml", "weight: 5.0", "weight: lima"),
                                        ("01-mp.yaml", "ratl_responsible: Tim Reformasi Birokrasi", "")])
    r = run("rules", "validate", str(folder))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == (f"Galat: {folder}: instrumen tidak valid (2 kesalahan)\n"
                        f"  - {folder}/01-mp.yaml:1: (dokumen): kunci wajib 'ratl_responsible' tidak ada\n"
                        f"  - {folder}/02-ppu.yaml:4: weight: seharusnya angka, bukan str 'lima'\n")
    r = run("--lang", "en", "rules", "validate", str(folder))
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {folder}: instrument is invalid (2 errors)\n"
                        f"  - {folder}/01-mp.yaml:1: (document): missing required key 'ratl_responsible'\n"
                        f"  - {folder}/02-ppu.yaml:4: weight: expected a number, got str 'lima'\n")


def test_rules_validate_fails_when_a_worked_example_fails(tmp_path):
    folder = copy_instrument(tmp_path, [("02-ppu.yaml", "    PPU.2.a: {value: 0.33, raw_value: 0.33, flags: []}",
                                         "    PPU.2.a: {value: 0.67, raw_value: 0.33, flags: []}")])
    r = run("--lang", "en", "rules", "validate", str(folder))
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {folder}: ")
    assert "PPU.2.a value expected 0.67, got 0.33" in r.stderr


# ---------------------------------------------------------------------------
# score


def test_score_json_full_precision(bps2015):
    r = run("score", str(bps2015), "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["instrument"] == "pmprb-2014" and out["revision"] == REV
    assert out["engine"] == evaluator_mod.engine_label(evaluator_mod.default_engine())
    assert abs(out["pengungkit"] - 40.4543) < 1e-4 and out["pengungkit"] != 40.4543  # not rounded
    assert abs(out["hasil"] - 30.952) < 1e-9
    assert abs(out["indeks_rb"] - 71.4063) < 1e-4 and out["grade"] == "BB"
    assert sorted(out["areas"]) == sorted(["MP", "PPU", "ORG", "TL", "SDM", "AKT", "PWS", "PP"])
    assert out["areas"]["MP"]["weight"] == 5
    assert len(out["criteria"]) == 146
    assert out["criteria"]["SDM.4.c"]["value"] == pytest.approx(0.33, abs=1e-12)
    assert out["criteria"]["SDM.4.c"]["raw_value"] == 1
    assert out["criteria"]["SDM.4.c"]["flags"] == ["claimed_without_evidence", "gated_by:SDM.4.b"]
    assert r.stderr == ""


@needs_durable
def test_score_engine_option_and_environment(bps2015):
    plain = json.loads(run("score", str(bps2015), "--json", "--engine", "plain").stdout)
    durable = json.loads(run("score", str(bps2015), "--json", "--engine", "durable").stdout)
    assert plain.pop("engine").startswith("pmprb-plain ") and durable.pop("engine").startswith("durable_rules ")
    assert plain == durable
    env = json.loads(run("score", str(bps2015), "--json", env={"PMPRB_RULES_ENGINE": "plain"}).stdout)
    assert env["engine"].startswith("pmprb-plain ")


def test_score_table_in_indonesian_and_english(bps2015):
    out = run("score", str(bps2015)).stdout.splitlines()
    assert out[0] == f"Instrumen: pmprb-2014 (2015), revisi {REV[:12]}"
    assert "Area SDM: Penataan Sistem Manajemen SDM" in out
    assert [line.split()[-3:] for line in out if "Jumlah area MP" in line] == [["5.00", "3.83", "76.64"]]
    summary = out[out.index("Ringkasan") + 1:]
    assert summary[:4] == ["  Pengungkit  40.45  / 60.00", "  Hasil       30.95  / 40.00", "  Indeks RB   71.41",
                           "  Predikat    BB (Sangat Baik)"]
    assert out[-1] == "0 kriteria belum dijawab, 141 diklaim tanpa bukti dukung, 4 dibatasi aturan gating"
    en = run("--lang", "en", "score", str(bps2015), "--criteria").stdout.splitlines()
    assert "Area SDM: Human Resource Management System" in en
    assert "  Grade            BB (Sangat Baik)" in en
    row = next(line for line in en if line.strip().startswith("SDM.4.c "))
    assert row.split(None, 4) == ["SDM.4.c", "Ya", "1.00", "0.33", "claimed without evidence; gated by SDM.4.b"]


def test_score_csv_equals_yaml(tmp_path, bps2015):
    ev = bps()[2015]
    rows = ["criterion,answer,evidence"] + [f"{c},{a}," for c, a in ev["answers"].items()]
    rows += [f"{p},{v}," for p, v in ev["hasil_inputs"].items()]
    csv_path = tmp_path / "bps2015.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    from_csv = json.loads(run("score", str(csv_path), "--json").stdout)
    from_yaml = json.loads(run("score", str(bps2015), "--json").stdout)
    assert from_csv == from_yaml


def test_score_warns_on_stderr_about_missing_hasil_inputs(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text("instrument: pmprb-2014\nanswers: {MP.1.a: A}\nhasil: {H.2.b: WTP}\n", encoding="utf-8")
    r = run("score", str(p), "--json")
    assert r.exit_code == 0
    assert r.stderr == "peringatan: masukan Hasil H.1.a, H.1.b, H.2.a, H.3.a tidak diisi dan dihitung 0\n"
    assert json.loads(r.stdout)["hasil"] == 3


def test_score_invalid_worksheet_exits_1_with_every_problem_and_no_output(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text("instrument: pmprb-2014\nanswers: {MP.1.a: D, XX: A}\nhasil: {H.2.b: WTQ}\n", encoding="utf-8")
    r = run("--lang", "en", "score", str(p), "--json")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == (
        f"Error: {p}: worksheet is invalid (3 errors)\n"
        f"  - {p}:2: answers.MP.1.a: answer 'D' is not allowed for MP.1.a (A/B/C); allowed: A, B, C\n"
        f"  - {p}:2: answers.XX: unknown criterion 'XX' in instrument pmprb-2014\n"
        f"  - {p}:3: hasil.H.2.b: Hasil H.2.b (Opini BPK): unknown category 'WTQ'; expected one of WTP, WTP-DPP, "
        f"WDP, TMP, TW, TANPA-LK\n")


def test_score_unreadable_file_exits_1(tmp_path):
    r = run("score", str(tmp_path / "nope.yaml"))
    assert r.exit_code == 1
    assert r.stderr == f"Galat: {tmp_path / 'nope.yaml'}: berkas tidak dapat dibaca: berkas atau folder tidak ada\n"


def test_score_unknown_engine_is_a_usage_error(bps2015):
    r = run("score", str(bps2015), "--engine", "drools")
    assert r.exit_code == 2
    assert "'drools' bukan salah satu dari 'durable', 'plain'" in r.stderr


def test_score_rule_error_exits_1_and_prints_no_score(bps2015, monkeypatch):
    real = compiler.compile_instrument

    def broken(inst):
        c = dict(real(inst))
        c["rules"] = [r for r in c["rules"] if r["name"] != "MP.1.b/answer:B"]
        c["name"] = c["name"] + "-cli-broken"
        return c

    monkeypatch.setattr(evaluator_mod, "compile_instrument", broken)
    r = run("score", str(bps2015), "--json")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == ("Galat: MP.1.b: rule MP.1.b/evidence:missing fired before any value rule "
                        "(trace ['MP.1.b/evidence:missing'])\n")


def test_every_command_has_help():
    for args in (["rules"], ["rules", "list"], ["rules", "show"], ["rules", "validate"], ["score"]):
        r = run(*args, "--help")
        assert r.exit_code == 0 and len(r.stdout.splitlines()) > 3, args
