"""`pmprb history` from the command line: files, the store, exit codes, languages."""

import json

import pytest
from click.testing import CliRunner

from history_tables import CONSISTENT, HEADER, ZI_2022, replace
from pmprb.cli import main


def pmprb(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def table(tmp_path):
    def write(text: str, name: str = "riwayat.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


# --- check --file -------------------------------------------------------------

def test_check_consistent_file(table):
    r = pmprb("history", "check", "--file", table(CONSISTENT))
    assert r.exit_code == 0, r.output
    assert "riwayat.csv: 2 tahun, 92 pemeriksaan, 0 tidak konsisten (instrumen pmprb-2014)." in r.stdout
    assert "Tidak ada angka yang tidak konsisten." in r.stdout


def test_check_reports_each_inconsistency_with_the_allowance_and_exits_1(table):
    bad = replace(replace(CONSISTENT, 2016, "MP", "percent", "70.00"), 2017, "GRADE", "value", "A")
    r = pmprb("--lang", "en", "history", "check", "--file", table(bad))
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert "  2016 MP percentage: published 70.00, recomputed 69.0000 (difference 1.0000, allowed 0.105)" \
           " — percentage ≠ value ÷ weight × 100" in lines
    assert "  2017 GRADE: published A; Indeks 74.43 ± 0.005 only gives BB — grade does not match the Indeks bands" in lines
    assert lines[0] == "riwayat.csv: 2 year(s), 92 checks, 2 inconsistent (instrument pmprb-2014)."


def test_check_in_indonesian_uses_decimal_commas(table):
    r = pmprb("history", "check", "--file", table(replace(CONSISTENT, 2016, "MP", "percent", "70.00")))
    assert "2016 MP persentase: dipublikasikan 70,00, dihitung ulang 69,0000 (selisih 1,0000, toleransi 0,105)" in r.stdout


def test_check_json(table):
    r = pmprb("history", "check", "--file", table(replace(CONSISTENT, 2017, "INDEKS", "value", "75.43")), "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["consistent"] is False and data["inconsistent"] == 2 and data["checked"] == 92
    # the Indeks is off by one, and its percentage (still 74.43) no longer matches it
    assert [(c["item"], c["field"]) for c in data["inconsistencies"]] == [("INDEKS", "percent"), ("INDEKS", "value")]
    value = data["inconsistencies"][1]
    assert value == {"year": 2017, "item": "INDEKS", "field": "value", "kind": "sum", "ok": False,
                     "published": 75.43, "recomputed": 74.43, "difference": 1.0, "allowed": 0.015,
                     "inputs": ["PENGUNGKIT", "HASIL"], "source": "riwayat.csv:30"}
    assert r.stderr == ""


def test_check_all_lists_consistent_figures_too(table):
    r = pmprb("--lang", "en", "history", "check", "--file", table(CONSISTENT), "--all")
    assert "  2016 PENGUNGKIT value: published 40.42, recomputed 40.4200 (difference 0.0000, allowed 0.045) — consistent" \
           in r.stdout.splitlines()


def test_invalid_file_names_row_and_field(table):
    r = pmprb("--lang", "en", "history", "check", "--file", table(HEADER + "2016,MP,5,abc,\n"))
    assert r.exit_code == 1
    assert "riwayat.csv:2: value: 'abc' is not a number" in r.stderr and r.stdout == ""


def test_usage_errors(table, tmp_path):
    r = pmprb("history", "check", "--file", str(tmp_path / "missing.csv"))
    assert r.exit_code == 2
    r = pmprb("history", "check", "--file", table(CONSISTENT), "--institution", "X")
    assert r.exit_code == 2 and "--institution" in r.stderr
    r = pmprb("history", "check", "--file", table(CONSISTENT), "--instrument", "pmprb-1999")
    assert r.exit_code == 3 and "pmprb-1999" in r.stderr


# --- show --file ----------------------------------------------------------------

def test_show_years_side_by_side(table):
    r = pmprb("history", "show", "--file", table(CONSISTENT))
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "riwayat — pmprb-2014 (riwayat.csv)"
    assert lines[1].split() == ["Komponen", "Bobot", "2016", "2017"]
    assert lines[3].split() == ["MP", "5", "3,45", "(69,00%)", "3,80", "(76,00%)"]
    assert lines[-1].split() == ["GRADE", "B", "BB"]


def test_show_json(table):
    data = json.loads(pmprb("history", "show", "--file", table(CONSISTENT), "--json").stdout)
    assert data["years"] == [2016, 2017]
    mp = data["rows"][0]
    assert mp == {"item": "MP", "name": "Manajemen Perubahan", "weight": 5.0,
                  "years": {"2016": {"weight": 5.0, "value": 3.45, "percent": 69.0},
                            "2017": {"weight": 5.0, "value": 3.8, "percent": 76.0}}}
    assert data["rows"][-1]["years"]["2017"] == {"grade": "BB"}


def test_show_html(table, tmp_path):
    out = tmp_path / "out" / "riwayat.html"
    r = pmprb("--lang", "en", "history", "show", "--file", table(replace(CONSISTENT, 2016, "MP", "percent", "70.00")),
              "--html", str(out))
    assert r.exit_code == 0 and f"HTML report written to {out}" in r.stderr
    html = out.read_text(encoding="utf-8")
    assert "<h1>Indeks RB history</h1>" in html and "<svg" in html
    assert '<td class="num bad">70.00</td>' in html
    assert "2016 MP percentage: published 70.00" in html


# --- the store ------------------------------------------------------------------

@pytest.fixture
def store(db_url):
    """A database with an institution whose first admin, "auditor", imports tables."""
    r = pmprb("--db", db_url, "init", "--institution-code", "inspektorat", "--institution", "Inspektorat Kota Madiun",
              "--admin", "auditor", "--admin-name", "Auditor Satu")
    assert r.exit_code == 0, r.output
    return db_url


def imp(db_url, *args):
    return pmprb("--db", db_url, "--as", "auditor", "history", "import", *args)


def test_import_then_check_and_show_from_the_store(store, table):
    path = table(CONSISTENT.replace("2016,MP,5,3.45,69.00", "2016,MP,5,3.40,68.00"))
    r = imp(store, path, "--institution", "Kota Madiun", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"institution": "Kota Madiun", "instrument": "pmprb-2014", "years": [2016, 2017],
                                    "rows": 30, "replaced_years": [], "source": "riwayat.csv", "inconsistent": 1}
    assert "30 baris untuk Kota Madiun (2016, 2017) diimpor dari riwayat.csv." in r.stderr
    # with 3.40 the areas add up to 40.37, beyond 40.42's allowance: named with the stored source
    r = pmprb("--db", store, "history", "check", "--institution", "Kota Madiun", "--json")
    assert r.exit_code == 1
    [data] = json.loads(r.stdout)["tables"]
    assert data["institution"] == "Kota Madiun" and data["source"] == "riwayat.csv"
    assert [(c["year"], c["item"], c["source"]) for c in data["inconsistencies"]] == [
        (2016, "PENGUNGKIT", "Kota Madiun/riwayat.csv:10")]
    # decimals survive the store: "3.40" still allows 0.005, and shows as written
    show = json.loads(pmprb("--db", store, "history", "show", "--institution", "Kota Madiun", "--json").stdout)
    from_file = json.loads(pmprb("history", "show", "--file", path, "--json").stdout)
    assert show["rows"] == from_file["rows"] and show["years"] == [2016, 2017]
    text = pmprb("--db", store, "history", "show").stdout     # the only institution is the default
    assert "3,40 (68,00%)" in text


def test_import_needs_a_registered_person(store, table):
    r = pmprb("--db", store, "history", "import", table(CONSISTENT), "--institution", "Kota Madiun")
    assert r.exit_code == 2          # nobody named: a usage mistake
    r = pmprb("--db", store, "--as", "nobody", "history", "import", table(CONSISTENT), "--institution", "Kota Madiun")
    assert r.exit_code == 6 and "nobody" in r.stderr
    r = pmprb("--db", store, "--as", "auditor", "person", "add", "asesor1", "--name", "Asesor", "--role", "asesor")
    assert r.exit_code == 0, r.output
    r = pmprb("--db", store, "--as", "asesor1", "history", "import", table(CONSISTENT), "--institution", "Kota Madiun")
    assert r.exit_code == 6


def test_import_again_is_a_conflict_unless_replace(store, table):
    path = table(CONSISTENT)
    assert imp(store, path, "--institution", "Kota Madiun").exit_code == 0
    r = imp(store, path, "--institution", "Kota Madiun")
    assert r.exit_code == 4 and "2016, 2017" in r.stderr and "--replace" in r.stderr
    fixed = table(replace(CONSISTENT, 2017, "GRADE", "value", "A"), "koreksi.csv")
    r = imp(store, fixed, "--institution", "Kota Madiun", "--replace")
    assert r.exit_code == 0 and "tahun 2016, 2017 diganti" in r.stderr
    r = pmprb("--db", store, "history", "check", "--institution", "Kota Madiun", "--json")
    assert [c["item"] for c in json.loads(r.stdout)["tables"][0]["inconsistencies"]] == ["GRADE"]
    # the replaced import is what the audit log now vouches for
    r = pmprb("--db", store, "audit", "verify")
    assert r.exit_code == 0, r.output


def test_invalid_file_stores_nothing(store, table):
    r = imp(store, table(CONSISTENT + "2018,MP,5,x,\n"), "--institution", "Kota Madiun")
    assert r.exit_code == 1 and "riwayat.csv:32: value:" in r.stderr
    r = pmprb("--db", store, "history", "show", "--institution", "Kota Madiun")
    assert r.exit_code == 3 and "belum ada tabel yang diimpor" in r.stderr


def test_several_institutions(store, table):
    imp(store, table(CONSISTENT), "--institution", "Kota Madiun")
    imp(store, table(replace(CONSISTENT, 2016, "GRADE", "value", "BB"), "b.csv"), "--institution", "Kabupaten Ngawi")
    r = pmprb("--lang", "en", "--db", store, "history", "check", "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [(t["institution"], t["inconsistent"]) for t in data["tables"]] == [("Kabupaten Ngawi", 1), ("Kota Madiun", 0)]
    r = pmprb("--lang", "en", "--db", store, "history", "show")
    assert r.exit_code == 2 and "Kabupaten Ngawi, Kota Madiun" in r.stderr
    r = pmprb("--lang", "en", "--db", store, "history", "check", "--institution", "Kota Bogor")
    assert r.exit_code == 3 and "'Kota Bogor'" in r.stderr and "Kabupaten Ngawi, Kota Madiun" in r.stderr


def test_nothing_imported_yet(store):
    r = pmprb("--lang", "en", "--db", store, "history", "check")
    assert r.exit_code == 2 and "no table imported yet" in r.stderr


def test_audit_verify_names_figures_edited_outside_pmprb(store, table):
    from sqlalchemy import create_engine, text

    assert imp(store, table(CONSISTENT), "--institution", "Kota Madiun").exit_code == 0
    r = pmprb("--lang", "en", "--db", store, "audit", "verify")
    assert r.exit_code == 0, r.output
    engine = create_engine(store)
    with engine.begin() as conn:
        conn.execute(text("UPDATE published_figure SET value = '4.45' WHERE year = 2016 AND item = 'MP'"))
        conn.execute(text("DELETE FROM published_figure WHERE year = 2017 AND item = 'GRADE'"))
        conn.execute(text("INSERT INTO published_figure (institution, year, item, weight, value, percent, "
                          "instrument_id, source_file, source_line, imported_at) VALUES ('Kota Madiun', 2018, "
                          "'INDEKS', NULL, '80.00', NULL, 'pmprb-2014', 'x.csv', 2, :at)"),
                     {"at": "2026-01-01 00:00:00"})
    engine.dispose()
    r = pmprb("--lang", "en", "--db", store, "audit", "verify")
    assert r.exit_code == 5
    out = r.stdout
    assert "published figure Kota Madiun 2016 MP changed since it was imported" in out and '"value":"4.45"' in out
    assert "published figure Kota Madiun 2017 GRADE was imported but no longer exists" in out
    assert "published figure Kota Madiun 2018 INDEKS has no audit event (written outside pmprb)" in out
    assert "(history.import)" in out        # the finding names the import event


def test_a_history_spanning_two_instruments(store, table):
    assert imp(store, table(CONSISTENT), "--institution", "Kota Madiun").exit_code == 0
    r = imp(store, table(ZI_2022, "zi.csv"), "--institution", "Kota Madiun", "--instrument", "zi-2021")
    assert r.exit_code == 0, r.output
    # each year is checked with the instrument it was published under
    r = pmprb("--db", store, "history", "check", "--institution", "Kota Madiun", "--json")
    assert r.exit_code == 0, r.output
    assert [(t["instrument"], t["years"]) for t in json.loads(r.stdout)["tables"]] == [
        ("pmprb-2014", [2016, 2017]), ("zi-2021", [2022])]
    r = pmprb("--lang", "en", "--db", store, "history", "show", "--institution", "Kota Madiun")
    assert r.exit_code == 1 and "spans several instruments (pmprb-2014, zi-2021)" in r.stderr
    r = pmprb("--db", store, "history", "show", "--institution", "Kota Madiun", "--instrument", "zi-2021", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["years"] == [2022]
