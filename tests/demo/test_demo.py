"""The README's main job: `pmprb demo` runs a whole round on bundled data."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from pmprb.demo.scenario import build


def run_demo(folder, *extra):
    return subprocess.run([sys.executable, "-m", "pmprb.cli", *extra, "demo", "--dir", str(folder)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    proc = run_demo(folder, "--lang", "en")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return folder, proc


def test_demo_runs_the_whole_round_and_reports(demo_dir):
    folder, proc = demo_dir
    out = proc.stdout
    sc = build()
    planted = {d["criterion"] for d in sc.plan["disagreements"]}
    assert f"Consensus items: {len(planted)}" in out
    assert "0 mismatches — all match" in out
    assert f"Open ringkasan.html first in a browser (Indeks RB, grade, score per area): {folder}" in out
    for name in ("lke.html", "lke.xlsx", "berita-acara.html", "ratl.html", "ringkasan.html", "ratl.xlsx"):
        assert (folder / "laporan" / name).stat().st_size > 1000, name
    wb = openpyxl.load_workbook(folder / "laporan" / "lke.xlsx")
    text = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert all(cid in text for cid in sc.instrument.criteria)
    # The decision log holds a header and one line per decision.
    lines = (folder / "keputusan.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > len(sc.instrument.criteria)
    json.loads(lines[1])


def test_demo_result_equals_scoring_the_agreed_answers(demo_dir, tmp_path):
    """The finalised Indeks is what `pmprb score` gives for the agreed answers."""
    folder, proc = demo_dir
    sc = build()
    ws = tmp_path / "agreed.json"
    ws.write_text(json.dumps({"instrument": sc.instrument.id, "answers": sc.agreed,
                              "hasil": {"H.1.a": sc.plan["hasil"]["sakip"], "H.1.b": sc.plan["hasil"]["kapasitas"],
                                        "H.2.a": sc.plan["hasil"]["persepsi_korupsi"],
                                        "H.2.b": sc.plan["hasil"]["opini_bpk"],
                                        "H.3.a": sc.plan["hasil"]["pelayanan"]}}))
    scored = subprocess.run([sys.executable, "-m", "pmprb.cli", "score", str(ws), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert scored.returncode == 0, scored.stderr
    expected = json.loads(scored.stdout)
    result = subprocess.run([sys.executable, "-m", "pmprb.cli", "--db", f"sqlite:///{folder / 'pmprb.db'}",
                             "--as", "dewi", "round", "result", "--round", sc.plan["round"]["code"], "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["indeks_rb"] == pytest.approx(expected["indeks_rb"], abs=1e-9)
    assert got["grade"] == expected["grade"]


def test_demo_is_safe_to_run_twice(demo_dir):
    folder, _ = demo_dir
    again = run_demo(folder)
    assert again.returncode == 0, again.stderr
    assert "Item konsensus" in again.stdout


def test_demo_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "thesis.docx").write_text("precious")
    proc = run_demo(tmp_path)
    assert proc.returncode == 1
    assert "tidak kosong dan tidak dibuat oleh `pmprb demo`; pilih --dir lain" in proc.stderr
    assert (tmp_path / "thesis.docx").read_text() == "precious"
