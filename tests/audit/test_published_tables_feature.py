"""Step definitions for features/audit/history.feature (published Indeks RB tables)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from pytest_bdd import given, parsers, scenarios, then, when

from pmprb.cli import main

scenarios("audit/history.feature")

COLUMNS = ("year", "item", "weight", "value", "percent")


@pytest.fixture
def state(tmp_path):
    return {"rows": [], "tmp": tmp_path, "result": None, "data": None}


def _run(state, *args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    state["result"] = result
    if "--json" in args and result.stdout.strip():
        state["data"] = json.loads(result.stdout)
    return result


def _csv(state) -> str:
    path = state["tmp"] / "published.csv"
    lines = [",".join(COLUMNS)] + [",".join(row[c] for c in COLUMNS) for row in state["rows"]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _set(state, year: int, item: str, column: str, text: str) -> None:
    for row in state["rows"]:
        if row["year"] == str(year) and row["item"] == item:
            row[column] = text
            return
    raise AssertionError(f"the table has no row {year} {item}")


@given(parsers.parse('a published table for "{institution}":'))
def published_table(state, institution, datatable):
    header, *rows = datatable
    assert tuple(header) == COLUMNS
    state["institution"] = institution
    state["rows"] = [dict(zip(COLUMNS, (cell.strip() for cell in row))) for row in rows]


@given(parsers.re(r'the published (?P<column>weight|value|percent) of (?P<year>\d+) (?P<item>\S+) is "(?P<text>[^"]*)"'))
def change_cell(state, column, year, item, text):
    _set(state, int(year), item, column, text)


@given(parsers.parse('the published grade of {year:d} is "{grade}"'))
def change_grade(state, year, grade):
    _set(state, year, "GRADE", "value", grade)


@when("the auditor checks the table")
def check_file(state):
    _run(state, "--lang", "en", "history", "check", "--file", _csv(state), "--json")


@when("the auditor checks the table in Bahasa Indonesia")
def check_file_id(state):
    _run(state, "history", "check", "--file", _csv(state))


@when(parsers.parse('the auditor imports the table for "{institution}"'))
def import_table(state, institution):
    state["db"] = str(state["tmp"] / "pmprb.db")
    r = _run(state, "--db", state["db"], "init", "--institution-code", "inspektorat",
             "--institution", "Inspektorat", "--admin", "auditor", "--admin-name", "Auditor")
    assert r.exit_code == 0, r.output
    r = _run(state, "--db", state["db"], "--as", "auditor", "history", "import", _csv(state),
             "--institution", institution)
    assert r.exit_code == 0, r.output


@when(parsers.parse('the auditor checks the stored table of "{institution}"'))
def check_stored(state, institution):
    _run(state, "--lang", "en", "--db", state["db"], "history", "check", "--institution", institution, "--json")
    [state["data"]] = state["data"]["tables"]


@then("the check passes")
def check_passes(state):
    assert state["result"].exit_code == 0, state["result"].output


@then("the check fails")
def check_fails(state):
    assert state["result"].exit_code == 1, state["result"].output


@then("nothing is flagged")
def nothing_flagged(state):
    assert state["data"]["inconsistencies"] == [] and state["data"]["consistent"] is True
    assert state["data"]["checked"] > 0


def _same(got, expected: str) -> bool:
    if isinstance(got, str):
        return got == expected
    return Decimal(str(got)) == Decimal(expected)


@then("exactly these figures are flagged:")
def flagged(state, datatable):
    header, *rows = datatable
    found = state["data"]["inconsistencies"]
    assert len(found) == len(rows), json.dumps(found, indent=1)
    for got, row in zip(found, rows):
        want = dict(zip(header, row))
        assert (str(got["year"]), got["item"], got["field"]) == (want["year"], want["item"], want["field"])
        for key in ("published", "recomputed", "allowed"):
            assert _same(got[key], want[key]), (key, got)


@then(parsers.parse("the check of the {year:d} {item} {field} recomputed {recomputed} and allowed {allowed}"))
def one_check(state, year, item, field, recomputed, allowed):
    [c] = [c for c in state["data"]["checks"]
           if (c["year"], c["item"], c["field"]) == (year, item, field) and c["kind"] == "sum"]
    assert c["ok"] and _same(c["recomputed"], recomputed) and _same(c["allowed"], allowed)


@then(parsers.parse("the grade of {year:d} is {verdict}"))
def grade_verdict(state, year, verdict):
    [c] = [c for c in state["data"]["checks"] if (c["year"], c["item"]) == (year, "GRADE")]
    assert c["ok"] is (verdict == "consistent"), c


@then(parsers.parse('the output says "{text}"'))
def output_says(state, text):
    assert text in state["result"].stdout, state["result"].stdout
