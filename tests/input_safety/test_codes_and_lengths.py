"""One pattern for codes and named length limits on text fields (issue 15,
item 3), checked at the edge with the field named: on the command line and
in the files that carry them (units CSV, worksheet import)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.engine import codes
from pmprb.errors import EXIT_INVALID, ValidationError


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


@pytest.fixture
def run(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args, actor="admin", lang=None):
        full = ["--db", db_url] + (["--lang", lang] if lang else []) + (["--as", actor] if actor else []) + list(args)
        return CliRunner().invoke(main, full)

    assert invoke("init", "--institution-code", "kota-k", "--institution", "Kota K", "--admin", "admin",
                  "--admin-name", "Admin", actor=None).exit_code == 0
    return invoke


def refused(res, *fragments):
    assert res.exit_code == EXIT_INVALID, res.output
    assert "Traceback" not in res.output
    for fragment in fragments:
        assert fragment in res.stderr, res.stderr
    return res


@pytest.mark.parametrize("code", ["../../../../trav", "A/B", "..", ".hidden", "-x", "A B", "a\\b", "x" * 65, "",
                                  "=1+1", "DIN\nKES", "C:x", "unit\x00"])
def test_the_one_pattern(code):
    assert not codes.is_code(code)
    with pytest.raises(ValidationError, match="kode unit tidak valid"):
        codes.check_code(code, "field.unit_code")


@pytest.mark.parametrize("code", ["DINKES", "2024", "2024-ZI.DINKES", "ani@kota", "a_b", "x" * 64])
def test_codes_that_pass(code):
    assert codes.check_code(code, "field.unit_code") == code


def test_unit_codes_that_would_leave_the_folder_are_refused(run):
    refused(run("unit", "add", "../../../../trav", "Traversal"), "kode unit tidak valid '../../../../trav'",
            "garis miring")
    refused(run("unit", "add", "A/B", "Garis miring"), "kode unit tidak valid 'A/B'")
    res = refused(run("unit", "add", "A/B", "Slash", lang="en"), "invalid unit code 'A/B'", "no spaces or slashes")
    assert res.stderr.startswith("Error: ")
    assert json.loads(run("unit", "list", "--json").stdout) == []


def test_round_codes_and_usernames_share_the_pattern(run):
    refused(run("person", "add", "../evil", "--name", "Evil", "--role", "asesor"), "nama pengguna tidak valid")
    assert run("person", "add", "kora", "--name", "Kora", "--role", "koordinator").exit_code == 0
    refused(run("round", "create", "--year", "2024", "--code", "../2024", actor="kora"),
            "kode ronde tidak valid '../2024'")
    refused(run("round", "create", "--year", "2024", "--code", "2024/ZI", actor="kora", lang="en"),
            "invalid round code '2024/ZI'")


def test_a_100000_character_person_name_is_refused(run):
    refused(run("person", "add", "ani", "--name", "A" * 100_000, "--role", "asesor"),
            "nama orang terlalu panjang (100000 karakter, maks. 255)")
    refused(run("person", "add", "ani", "--name", "A" * 256, "--role", "asesor", lang="en"),
            "person name is too long (256 characters, max 255)")
    assert run("person", "add", "ani", "--name", "A" * 255, "--role", "asesor").exit_code == 0
    assert run("person", "set", "ani", "--name", "B" * 100_000).exit_code == EXIT_INVALID


def test_unit_names_have_a_limit(run):
    refused(run("unit", "add", "DINKES", "D" * 256), "nama unit DINKES wajib diisi (maks. 255 karakter; diberikan 256)")


def test_the_units_csv_is_checked_row_by_row(run, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("kode,nama\nDINKES,Dinas Kesehatan\n../../x,Traversal\nA/B,Garis\nBAPPEDA," + "N" * 300 + "\n",
                    encoding="utf-8")
    res = refused(run("unit", "import", str(path)), "3 baris bermasalah")
    for expected in ("baris 3: kode unit tidak valid '../../x'", "baris 4: kode unit tidak valid 'A/B'",
                     "baris 5: nama unit BAPPEDA"):
        assert expected in res.stderr, res.stderr
    assert json.loads(run("unit", "list", "--json").stdout) == []


def test_the_units_csv_is_bounded(run, tmp_path, monkeypatch):
    path = tmp_path / "units.csv"
    path.write_text("kode,nama\n" + "".join(f"U{i},Unit {i}\n" for i in range(20)), encoding="utf-8")
    monkeypatch.setenv("PMPRB_MAX_INPUT_ROWS", "10")
    res = refused(run("unit", "import", str(path)), "PMPRB_MAX_INPUT_ROWS")
    assert "baris" in res.stderr


def test_long_texts_are_refused_with_the_field_named():
    with pytest.raises(ValidationError, match=r"catatan terlalu panjang \(20001 karakter, maks. 20000\)"):
        codes.check_length("x" * 20_001, "field.note", codes.MAX_TEXT)
    assert codes.check_length(None, "field.note", codes.MAX_TEXT) is None
    with pytest.raises(ValidationError, match="judul dokumen wajib diisi"):
        codes.check_length("  ", "field.doc_title", codes.MAX_NAME, required=True)


def test_a_unit_code_made_before_the_rule_cannot_leave_the_folder(run, db_url, tmp_path):
    """A database written by an older pmprb may hold a unit code with a slash:
    the default export name keeps the file in the current folder."""
    import sqlite3

    assert run("person", "add", "kora", "--name", "Kora", "--role", "koordinator").exit_code == 0
    assert run("person", "add", "ani", "--name", "Ani", "--role", "asesor").exit_code == 0
    assert run("unit", "add", "AB", "Unit lama").exit_code == 0
    assert run("round", "create", "--year", "2024", actor="kora").exit_code == 0
    assert run("assign", "--round", "2024", "--assessor", "ani", "--unit", "AB", "--area", "MP",
               actor="kora").exit_code == 0
    from pmprb.assessments.store.db import dispose_engines, sqlite_path

    dispose_engines()
    with sqlite3.connect(sqlite_path(db_url)) as con:
        con.execute("UPDATE work_unit SET code = '../../A/B' WHERE code = 'AB'")
    work = tmp_path / "work"
    work.mkdir()
    import os

    os.chdir(work)
    res = run("assess", "export", "--round", "2024", "--unit", "../../A/B", actor="ani")
    assert res.exit_code == 0, res.output
    assert [p.name for p in work.iterdir()] == ["2024-.._.._A_B-ani.xlsx"]
