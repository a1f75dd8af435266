"""Step definitions for features/audit/{replay,verify,explain}.feature."""

from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner
from pytest_bdd import given, parsers, scenarios, then, when

from audit_support import build, decision_row

# Only steps request the database, which pytest cannot see when it
# parametrizes; naming it here runs every scenario on each backend.
pytestmark = pytest.mark.usefixtures("db")

scenarios("audit/replay.feature")
scenarios("audit/verify.feature")
scenarios("audit/explain.feature")


@pytest.fixture
def ctx(db, monkeypatch, tmp_path):
    """Scenario state; on each database backend (``db`` is parametrized)."""
    monkeypatch.chdir(tmp_path)  # relative file names in the steps live in the test's folder
    return {}


@given(parsers.parse('a finalised round "{code}" with three assessors and two consensus items'))
def finalised_round(ctx, db, tmp_path, code):
    ctx["world"] = build(db, tmp_path)
    ctx["url"] = db.url
    assert code == "2024"


# -- tampering ---------------------------------------------------------------


@given(parsers.parse('the final decision record of "{criterion}" has its value changed to {value:g} with SQL'))
def edit_decision(ctx, criterion, value):
    w = ctx["world"]
    row = decision_row(w, criterion)
    result = json.loads(row["result_json"])
    result.update(value=value, raw_value=value)
    w.sql("UPDATE decision_record SET result_json = :r WHERE decision_id = :d",
          r=json.dumps(result, sort_keys=True, separators=(",", ":")), d=row["decision_id"])
    ctx["edited"] = row["decision_id"]


@given(parsers.parse('the frozen Indeks RB of round "{code}" is raised by 1 point with SQL'))
def edit_frozen(ctx, code):
    w = ctx["world"]
    data = json.loads(w.scalar("SELECT result_json FROM final_result WHERE seq = 1"))
    data["score"]["indeks_rb"] += 1
    w.sql("UPDATE final_result SET result_json = :t", t=json.dumps(data, sort_keys=True, separators=(",", ":")))


@given(parsers.parse('the weight of area "{area}" in the instrument of round "{code}" is changed with SQL'))
def edit_instrument(ctx, area, code):
    w = ctx["world"]
    data = json.loads(w.scalar("SELECT instrument_json FROM assessment_round WHERE code = :c", c=code))
    (a,) = [x for x in data["areas"] if x["code"] == area]
    a["weight"] += 1
    w.sql("UPDATE assessment_round SET instrument_json = :j WHERE code = :c",
          j=json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False), c=code)


def _evidence_file(w, number):
    rel = w.scalar("SELECT storage_path FROM evidence_revision WHERE number = :n", n=number)
    return w.db.evidence_dir / rel


@given(parsers.parse('the stored file of evidence "{number}" is altered on disk'))
def alter_file(ctx, number):
    path = _evidence_file(ctx["world"], number)
    os.chmod(path, 0o644)  # the store keeps files read-only; an editor would get past that
    path.write_bytes(path.read_bytes() + b"% diubah\n")


@given(parsers.parse('the stored file of evidence "{number}" is deleted'))
def delete_file(ctx, number):
    _evidence_file(ctx["world"], number).unlink()


# -- running -------------------------------------------------------------------


def _run(ctx, command, lang=None):
    from pmprb.cli import main

    args = ["--db", ctx["url"]] + (["--lang", lang] if lang else []) + command.split()
    ctx["result"] = CliRunner().invoke(main, args, catch_exceptions=False)


@when(parsers.parse('the auditor runs "{command}"'))
def run(ctx, command):
    _run(ctx, command)


@when(parsers.parse('the auditor runs "{command}" in English'))
def run_en(ctx, command):
    _run(ctx, command, lang="en")


@when("the database is out of reach")
def no_database(ctx, tmp_path):
    ctx["url"] = f"sqlite:///{tmp_path / 'gone' / 'pmprb.db'}"


# -- checking ------------------------------------------------------------------


@then(parsers.parse("the command exits with code {code:d}"))
def exit_code(ctx, code):
    res = ctx["result"]
    assert res.exit_code == code, res.output


@then(parsers.parse('the output says "{text}"'))
def says(ctx, text):
    assert text in ctx["result"].stdout, ctx["result"].stdout


@then(parsers.parse('the output names the edited decision record of "{criterion}" as "{reason}"'))
def names_record(ctx, criterion, reason):
    assert f"keputusan {ctx['edited']} — {criterion} (final): {reason}" in ctx["result"].stdout


@then("no database was opened")
def no_db_opened(tmp_path):
    assert not (tmp_path / "gone").exists()


@then(parsers.parse('the rules listed in order are "{rules}"'))
def rules_in_order(ctx, rules):
    out = ctx["result"].stdout
    section = out.split("Aturan yang berlaku, berurutan\n", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^  \d+\. (\S+) — ", section, flags=re.M)
    assert listed == [r.strip() for r in rules.split(",")]


@then(parsers.parse('the output names the SHA-256 of evidence "{number}"'))
def names_sha(ctx, number):
    w = ctx["world"]
    sha = w.scalar("SELECT sha256 FROM evidence_revision WHERE number = :n", n=number)
    assert f"sha256 {sha}" in ctx["result"].stdout


@then(parsers.parse('the JSON final value of the criterion is {value:g} with raw value {raw:g} gated by "{pre}"'))
def json_final(ctx, value, raw, pre):
    data = json.loads(ctx["result"].stdout)
    assert data["final"]["result"]["value"] == value and data["chain"]["raw_value"] == raw
    assert [g["prerequisite"] for g in data["chain"]["gating"]] == [pre]
    assert data["criterion"]["area"]["name"] == "Change Management"  # --lang en on the subcommand
