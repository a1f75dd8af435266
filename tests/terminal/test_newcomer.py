"""The first ten minutes of a newcomer (issue 14, item 6)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from click.testing import CliRunner

from pmprb.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROSE = " ".join(README.split())


def test_score_accepts_the_demo_worksheet_headers(tmp_path):
    """The demo's assessor CSVs (kriteria,jawaban,catatan) score as they are."""
    ws = tmp_path / "ani.csv"
    ws.write_text("kriteria,jawaban,catatan\nMP.1.a,A,SK Tim RB ada\nMP.1.b,b,\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["score", str(ws), "--json"], env={"PMPRB_LANG": None})
    assert r.exit_code == 0, r.output
    en = tmp_path / "en.csv"
    en.write_text("criterion,answer,evidence\nMP.1.a,A,1\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["score", str(en), "--json"]).exit_code == 0


def test_demo_without_dir_reuses_one_folder(monkeypatch, tmp_path):
    from pmprb.commands.demo import default_folder
    from pmprb.demo.runner import MARKER, prepare_folder

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    first = default_folder()
    assert first == default_folder() == tmp_path / "pmprb" / "demo"
    prepare_folder(first)
    (first / "pmprb.db").write_text("old")
    prepare_folder(first)                              # the next run clears it
    assert sorted(p.name for p in first.iterdir()) == [MARKER]


def test_top_level_help_summaries_are_whole_phrases():
    r = CliRunner().invoke(main, ["--lang", "en", "--help"], terminal_width=80)
    assert r.exit_code == 0
    assert "..." not in r.output.split("Commands:")[-1]
    for _module, summary in COMMANDS.values():
        assert summary.endswith("."), summary


def test_group_listings_are_not_cut():
    for group in ("audit", "assess", "round", "consensus", "review", "ratl", "report", "history", "rules"):
        r = CliRunner().invoke(main, ["--lang", "en", group, "--help"], terminal_width=80)
        assert r.exit_code == 0, r.output
        assert "..." not in r.output.split("Commands:")[-1], r.output


def test_audit_help_lists_all_its_subcommands():
    r = CliRunner().invoke(main, ["audit", "--help"], env={"PMPRB_LANG": None})
    listing = r.output.split("Perintah:")[-1]
    for sub in ("explain", "export", "replay", "verify"):
        assert re.search(rf"^  {sub}\s", listing, re.M), r.output
    assert "verifikasi" in r.output.split("Opsi:")[0]   # the group's own text names them too


def test_license_is_an_spdx_string():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"
    assert "tzdata" in " ".join(meta["project"]["dependencies"])


def test_readme_uses_one_command_form():
    """After scripts/setup people activate the venv once; every example then says bare `pmprb`."""
    assert "source .venv/bin/activate" in README
    assert ".venv/bin/pmprb" not in README
    assert "33 sub-areas" in PROSE and "41 sub-areas" not in PROSE
    assert "gcc" in README and "python3-dev" in README


def test_setup_checks_for_a_c_compiler():
    text = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert "gcc" in text and "Python.h" in text


def test_ci_stops_the_server_it_starts_and_never_reuses_one():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"trap .*EXIT", text)
    assert "mktemp -d" in text
