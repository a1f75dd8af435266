"""The set-up commands end to end: init, db, person, unit, round, assign, evidence."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.errors import EXIT_CONFLICT, EXIT_FORBIDDEN, EXIT_INVALID, EXIT_NOT_FOUND, EXIT_USAGE


@pytest.fixture
def run(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args, actor=None, input=None):
        full = ["--db", db_url] + (["--as", actor] if actor else []) + list(args)
        return CliRunner().invoke(main, full, input=input)
    return invoke


def ok(res):
    assert res.exit_code == 0, res.output
    return res


@pytest.fixture
def ready(run):
    ok(run("init", "--institution-code", "kota-madiun", "--institution", "Pemerintah Kota Madiun",
           "--admin", "admin", "--admin-name", "Admin Inspektorat"))
    ok(run("person", "add", "kora", "--name", "Kora", "--role", "koordinator", "--role", "asesor", actor="admin"))
    ok(run("person", "add", "ani", "--name", "Ani", "--role", "asesor", actor="admin"))
    ok(run("unit", "add", "DINKES", "Dinas Kesehatan", actor="admin"))
    return run


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_init_needs_its_options_without_a_terminal(empty_db_url, tmp_path):
    res = CliRunner().invoke(main, ["--db", empty_db_url, "--no-input", "init", "--institution-code", "x"])
    assert res.exit_code == EXIT_USAGE and "--institution, --admin, --admin-name" in res.output


def test_init_once(ready):
    res = ready("init", "--institution-code", "b", "--institution", "B", "--admin", "b", "--admin-name", "B")
    assert res.exit_code == EXIT_CONFLICT and "sudah diinisialisasi untuk Pemerintah Kota Madiun" in res.stderr


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_db_upgrade_and_status(empty_db_url):
    res = CliRunner().invoke(main, ["--db", empty_db_url, "db", "status", "--json"])
    assert json.loads(res.stdout)["state"] == "new"
    ok(CliRunner().invoke(main, ["--db", empty_db_url, "db", "upgrade"]))
    data = json.loads(CliRunner().invoke(main, ["--db", empty_db_url, "db", "status", "--json"]).stdout)
    assert data["state"] == "ok" and data["current"] == data["heads"]
    assert data["evidence_dir"]


def test_people_and_roles(ready):
    data = json.loads(ok(ready("person", "list", "--json")).stdout)
    assert {p["username"]: p["roles"] for p in data} == {"admin": ["admin"], "kora": ["asesor", "koordinator"],
                                                         "ani": ["asesor"]}
    assert ready("person", "add", "ani", "--name", "Lagi", "--role", "asesor", actor="admin").exit_code == EXIT_CONFLICT
    res = ready("person", "add", "bad name", "--name", "X", "--role", "asesor", actor="admin")
    assert res.exit_code == EXIT_INVALID and "tanpa spasi" in res.stderr
    res = ready("person", "list")
    assert "kora" in res.stdout and "asesor, koordinator" in res.stdout


def test_acting_person_is_required_and_must_exist(ready, monkeypatch):
    res = ready("unit", "add", "X", "Y")
    assert res.exit_code == EXIT_USAGE and "--as" in res.stderr  # nobody named: usage, not a role refusal
    res = ready("unit", "add", "X", "Y", actor="nobody")
    assert res.exit_code == EXIT_FORBIDDEN and "'nobody' tidak terdaftar" in res.stderr
    monkeypatch.setenv("PMPRB_USER", "admin")
    ok(ready("unit", "add", "X", "Unit X"))


def test_unit_import(ready, tmp_path):
    (tmp_path / "ok.csv").write_text("\ufeffkode;nama\nBAPPEDA;Badan Perencanaan\nDISDIK;Dinas Pendidikan\n\n",
                                     encoding="utf-8")
    res = ok(ready("unit", "import", "ok.csv", "--json", actor="admin"))
    assert json.loads(res.stdout) == {"created": 2, "updated": 0, "unchanged": 0}
    assert json.loads(ok(ready("unit", "import", "ok.csv", "--json", actor="admin")).stdout)["unchanged"] == 2
    (tmp_path / "bad.csv").write_text("code,name\nA1,Satu\nA1,Dua\n,Tanpa kode\nB1,\nDISDIK,Nama Baru\n")
    res = ready("unit", "import", "bad.csv", actor="admin")
    assert res.exit_code == EXIT_INVALID
    for expected in ("3 baris bermasalah", "baris 3: kode 'A1' sudah muncul di baris 2", "baris 4: kode unit tidak valid",
                     "nama unit B1 wajib diisi"):
        assert expected in res.stderr, res.stderr
    (tmp_path / "rename.csv").write_text("code,name\nDISDIK,Dinas Pendidikan dan Kebudayaan\nNEW,Baru\n")
    res = ready("unit", "import", "rename.csv", actor="admin")
    assert res.exit_code == EXIT_CONFLICT and "gunakan --update" in res.stderr
    codes = [u["code"] for u in json.loads(ready("unit", "list", "--json").stdout)]
    assert codes == ["BAPPEDA", "DINKES", "DISDIK"]  # all or nothing: NEW was not added
    ok(ready("unit", "import", "rename.csv", "--update", actor="admin"))
    units = {u["code"]: u["name"] for u in json.loads(ready("unit", "list", "--json").stdout)}
    assert units["DISDIK"] == "Dinas Pendidikan dan Kebudayaan" and "NEW" in units
    (tmp_path / "noheader.csv").write_text("A,B\n")
    assert "judul kolom" in ready("unit", "import", "noheader.csv", actor="admin").stderr
    res = ready("unit", "import", "missing.csv", actor="admin")
    assert res.exit_code == EXIT_NOT_FOUND


def test_rounds(ready):
    res = ok(ready("round", "create", "--year", "2024", "--deadline", "2024-05-31", "--title", "PMPRB 2024",
                   actor="kora"))
    assert "Ronde 2024 dibuat" in res.stderr
    assert ready("round", "create", "--year", "2024", actor="kora").exit_code == EXIT_CONFLICT
    res = ready("round", "create", "--year", "2024", "--code", "2024-b", "--deadline", "2031-01-01", actor="kora")
    assert res.exit_code == EXIT_INVALID and "di luar tahun ronde" in res.stderr
    res = ready("round", "create", "--year", "2024", "--code", "x", "--instrument", "no-such", actor="kora")
    assert res.exit_code == EXIT_NOT_FOUND
    ok(ready("assign", "--round", "2024", "--assessor", "ani", "--unit", "DINKES", "--area", "mp", "--area", "SDM",
             actor="kora"))
    res = ready("assign", "--round", "2024", "--assessor", "ani", "--unit", "DINKES", "--area", "XX", actor="kora")
    assert res.exit_code == EXIT_INVALID and "area 'XX' tidak ada" in res.stderr
    res = ready("assign", "--round", "2024", "--assessor", "admin", "--unit", "DINKES", actor="kora")
    assert "tidak memiliki peran asesor" in res.stderr
    rows = json.loads(ok(ready("round", "list", "--json")).stdout)
    assert [(r["code"], r["state"], r["deadline"]) for r in rows] == [("2024", "draft", "2024-05-31")]
    show = json.loads(ok(ready("round", "show", "2024", "--json")).stdout)
    assert show["state"] == "draft" and show["allowed_events"] == ["open"]
    assert show["assignments_detail"] == [{"assessor": "ani", "unit": "DINKES", "areas": ["MP", "SDM"]}]
    assert show["worksheets_detail"][0]["state"] == "in_progress"
    assert len(show["instrument"]["revision"]) == 64
    ok(ready("round", "open", "2024", actor="kora"))
    text = ok(ready("--lang", "en", "round", "show", "2024")).stdout
    assert "open  → start review" in text and "DINKES  ani" in text
    assert ready("round", "show", "1999").exit_code == EXIT_NOT_FOUND


def test_evidence_commands(ready, tmp_path):
    ok(ready("round", "create", "--year", "2024", actor="kora"))
    ok(ready("assign", "--round", "2024", "--assessor", "ani", "--unit", "DINKES", "--area", "MP", actor="kora"))
    (tmp_path / "sk.pdf").write_bytes(b"SK Walikota")
    (tmp_path / "notulen.pdf").write_bytes(b"Notulen rapat")
    common = ["--round", "2024", "--unit", "DINKES", "--criterion", "MP.1.a", "--title", "SK Tim RB",
              "--date", "2024-01-10"]
    res = ok(ready("evidence", "add", "sk.pdf", "notulen.pdf", *common, "--json", actor="ani"))
    assert [r["key"] for r in json.loads(res.stdout)] == ["sk.pdf", "notulen.pdf"]
    res = ok(ready("evidence", "add", "sk.pdf", *common, actor="ani"))
    assert "tidak berubah" in res.stderr
    res = ready("evidence", "add", "sk.pdf", "hilang.pdf", *common, actor="ani")
    assert res.exit_code == EXIT_NOT_FOUND and "hilang.pdf" in res.stderr
    res = ready("evidence", "add", "sk.pdf", "notulen.pdf", *common, "--number", "1/2024", actor="ani")
    assert res.exit_code == EXIT_INVALID and "satu berkas" in res.stderr
    res = ready("evidence", "add", *common[:-2], "--date", "2024-13-01", "--url", "https://x.go.id/a", actor="ani")
    assert res.exit_code == EXIT_USAGE
    ok(ready("evidence", "add", *common, "--url", "https://jdih.kota.go.id/sk", actor="ani"))
    rows = json.loads(ok(ready("evidence", "list", "--round", "2024", "--json")).stdout)
    assert sorted(r["key"] for r in rows) == ["https://jdih.kota.go.id/sk", "notulen.pdf", "sk.pdf"]
    assert "SK Tim RB" in ok(ready("evidence", "list", "--round", "2024", "--criterion", "MP.1.a")).stdout
    ok(ready("audit", "verify"))
