"""The `pmprb assess` commands through click (no terminal: CliRunner)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pmprb.cli import main


@pytest.fixture
def cli(world):
    runner = CliRunner()

    def run(*args, user="ani", input=None):
        base = ["--db", world.db.url] + (["--as", user] if user else [])
        return runner.invoke(main, base + list(args), input=input, catch_exceptions=False)

    return run


RU = ["--round", "2024", "--unit", "DINKES"]


def test_set_prints_data_on_stdout_and_messages_on_stderr(cli, world):
    r = cli("assess", "set", *RU, "--criterion", "mp.2.a", "--answer", "t", "--note", "Belum ada Road Map")
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert "MP.2.a = Tidak (versi 1)" in r.stderr
    r = cli("assess", "set", *RU, "--criterion", "MP.2.b", "--answer", "A", "--json")
    data = json.loads(r.stdout)
    assert data["decision"]["value"] == 0.0 and data["decision"]["messages"][1] == "dinilai 0 karena MP.2.a = Tidak"
    assert data["decision"]["warnings"] == ["jawaban di atas pilihan terburuk tanpa bukti dukung"]
    assert data["version"] == 1 and data["changed"] is True


def test_set_keeps_or_clears_the_note_and_checks_the_version(cli, world):
    cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "B", "--note", "SK ada")
    cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "A")
    assert world.answers()["MP.1.a"] == ("A", "SK ada", 2)
    r = cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "C", "--expected-version", "1")
    assert r.exit_code == 4 and "konflik" in r.stderr
    cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "A", "--note", "", "--expected-version", "2")
    assert world.answers()["MP.1.a"] == ("A", None, 3)


def test_set_links_stored_evidence(cli, world, sk_file):
    world.add_file(sk_file, ["MP.1.a"], number="800/1/2024")
    r = cli("assess", "set", *RU, "--criterion", "MP.1.b", "--answer", "A", "--evidence", "800/1/2024", "--json")
    data = json.loads(r.stdout)
    assert data["linked"] == ["800/1/2024"] and data["decision"]["flags"] == ["evidence_kind_not_accepted"]
    assert not [w for w in data["decision"]["warnings"] if "tanpa bukti" in w]    # linked: no longer unsupported
    r = cli("assess", "set", *RU, "--criterion", "MP.1.c", "--answer", "A", "--evidence", "nope")
    assert r.exit_code == 3 and "'nope' tidak ada pada unit DINKES" in r.stderr
    assert "MP.1.c" not in world.answers()  # the failed link undid the answer too


@pytest.mark.parametrize("args", [[], ["--no-input"]])
def test_walk_without_a_terminal_points_to_set_and_import(cli, args):
    r = CliRunner().invoke(main, args + ["--as", "ani", "assess", *RU])
    assert r.exit_code == 2
    assert "pmprb assess set" in r.stderr and "pmprb assess import" in r.stderr


def test_walk_needs_round_and_unit(cli):
    r = cli("assess")
    assert r.exit_code == 2 and "--round" in r.stderr


def test_submit_refused_then_accepted_with_json(cli, world):
    r = cli("assess", "submit", *RU, "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["ok"] is False and data["blocking"][0]["criterion"] == "MP.1.a"
    assert "[belum dijawab] MP.1.a: Tim Reformasi Birokrasi telah dibentuk" in r.stderr
    s = world.session()
    for cid in s.ids:
        s.save(cid, s.criterion(cid).worst)
    s.save("MP.1.a", "A")
    r = cli("assess", "submit", *RU, "--json")
    assert r.exit_code == 2 and "--yes" in r.stderr   # no terminal to confirm in
    r = cli("assess", "submit", *RU, "--json", "--yes")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["ok"] and data["state"] == "submitted" and data["warnings"][0]["criterion"] == "MP.1.a"
    assert "tanpa bukti dukung, area MP (1): MP.1.a = A" in r.stderr
    assert "kini hanya dapat dibaca oleh asesor" in r.stderr
    r = cli("assess", "set", *RU, "--criterion", "MP.1.b", "--answer", "A")
    assert r.exit_code == 7 and "sudah dikirim dan terkunci" in r.stderr and "'submitted'" not in r.stderr


def test_export_import_show_progress(cli, world, tmp_path):
    cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "A")
    out = tmp_path / "ani.csv"
    r = cli("assess", "export", *RU, "-o", str(out))
    assert r.exit_code == 0 and out.read_text(encoding="utf-8-sig").startswith("kriteria,area,sub_area")
    r = cli("assess", "import", str(out), *RU, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["unchanged"] == 1
    r = cli("assess", "progress", *RU, "--json")
    p = json.loads(r.stdout)
    assert (p["answered"], {k: p["areas"][0][k] for k in ("area", "answered", "total")}) == \
        (1, {"area": "MP", "answered": 1, "total": 18})
    r = cli("assess", "progress", *RU)
    assert r.stdout.startswith("Progres: 1/")
    r = cli("assess", "show", *RU, "--area", "MP", "--json")
    data = json.loads(r.stdout)
    assert data["criteria"][0]["decision"]["value"] == 1.0 and len(data["criteria"]) == 18
    r = cli("assess", "show", *RU)
    assert r.exit_code == 0 and "MP.1.a" in r.stdout and "Status kertas kerja: sedang diisi" in r.stderr


def test_export_default_name_and_xlsx(cli, world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("assess", "export", *RU)
    assert r.exit_code == 0 and (tmp_path / "2024-DINKES-ani.xlsx").is_file()


def test_group_options_are_inherited(cli, world):
    r = cli("assess", *RU, "progress", "--json", user=None)
    assert r.exit_code == 2 and "--as" in r.stderr  # nobody acting: a usage mistake
    r = CliRunner().invoke(main, ["--db", world.db.url, "assess", *RU, "--as", "ani", "progress", "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["assessor"] == "ani"


def test_import_bad_rows_exit_1_conflict_exit_4(cli, world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("criterion,answer\nMP.1.a,Q\n", encoding="utf-8")
    r = cli("assess", "import", str(bad), *RU)
    assert r.exit_code == 1 and "baris 2: MP.1.a: jawaban 'Q' tidak diizinkan" in r.stderr
    cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "A")
    conflict = tmp_path / "c.csv"
    conflict.write_text("criterion,answer\nMP.1.a,B\n", encoding="utf-8")
    r = cli("assess", "import", str(conflict), *RU)
    assert r.exit_code == 4 and "--on-conflict skip" in r.stderr
    r = cli("assess", "import", str(conflict), *RU, "--on-conflict", "skip")
    assert r.exit_code == 0 and "dilewati (jawaban tersimpan dipertahankan)" in r.stderr
    assert world.answers()["MP.1.a"][0] == "A"
    r = cli("assess", "import", str(conflict), *RU, "--on-conflict", "update")
    assert r.exit_code == 0 and world.answers()["MP.1.a"][0] == "B"


def test_every_assess_command_has_help():
    group = main.get_command(None, "assess")
    assert group.help
    for name, cmd in group.commands.items():
        assert cmd.help, name
