"""Step definitions for features/rounds (round lifecycle and roles).

Commands run through the real CLI (``CliRunner``); worksheet actions that
have no command of their own yet go through the library, as the assess and
review commands will. Behaviour is the same on every backend, so these run
on SQLite only; storage on PostgreSQL is covered by tests/store.
"""

from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner
from pytest_bdd import given, parsers, then, when

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers
from pmprb.assessments.store import audit_log
from pmprb.assessments.setup import people, rounds, units, round_work
from pmprb.assessments.assess import worksheets
from pmprb.assessments.setup.assignments import assigned_criteria
from pmprb.assessments.store.db import open_db
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.cli import main
from pmprb.errors import PmprbError

STATES = ["draft", "open", "review", "consensus", "final"]


@pytest.fixture
def db_backend():
    return "sqlite"


@pytest.fixture
def ctx(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sk.pdf").write_bytes(b"%PDF SK Tim RB")
    (tmp_path / "units.csv").write_text("code,name\nDISDIK,Dinas Pendidikan\n")
    state = {"url": db_url, "result": None, "error": None, "monkeypatch": monkeypatch}
    yield state


def cli(ctx, actor: str | None, args: list[str]):
    assert ctx["error"] is None, f"unexpected refusal before this step: {ctx['error']}"
    full = ["--db", ctx["url"]] + (["--as", actor] if actor else []) + args
    ctx["result"] = CliRunner().invoke(main, full)
    return ctx["result"]


def ok(result):
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}"
    return result


def lib(ctx, actor: str, fn):
    """Run ``fn(session, actor, round)`` as one transaction; keep a refusal for the Then step."""
    db = open_db(ctx["url"])
    try:
        return db.run(lambda s: fn(s, resolve_actor(s, actor), rounds.get_round(s, "2024")))
    except PmprbError as exc:
        ctx["error"] = exc
        return None


def state_of(ctx, code: str) -> str:
    with open_db(ctx["url"]).session() as s:
        return rounds.get_round(s, code).state


def _ws(s, owner: str, unit: str, rnd):
    return worksheets.get_worksheet(s, rnd, units.get_unit(s, unit), people.get_person(s, owner))


# ---------------------------------------------------------------------------
# Given


@given(parsers.parse('the institution "{name}" with admin "{admin}"'))
def institution(ctx, name, admin):
    ok(cli(ctx, None, ["init", "--institution-code", "kota-contoh", "--institution", name, "--admin", admin,
                       "--admin-name", "Admin Sistem"]))


@given("these people:")
def these_people(ctx, datatable):
    header, *rows = datatable
    for row in rows:
        r = dict(zip(header, row))
        roles = sum((["--role", x.strip()] for x in r["roles"].split(",")), [])
        ok(cli(ctx, "admin", ["person", "add", r["username"], "--name", r["name"], *roles]))


@given(parsers.parse('the units "{a}" and "{b}"'))
def two_units(ctx, a, b):
    for code in (a, b):
        ok(cli(ctx, "admin", ["unit", "add", code, f"Unit {code}"]))


@given(parsers.parse('"{actor}" has created round "{code}" for year {year:d}'))
def created_round(ctx, actor, code, year):
    ok(cli(ctx, actor, ["round", "create", "--year", str(year), "--code", code, "--deadline", f"{year}-05-31"]))


@given(parsers.parse('"{assessor}" is assigned area "{area}" of "{unit}" in round "{code}"'))
def assigned(ctx, assessor, area, unit, code):
    ok(cli(ctx, "kora", ["assign", "--round", code, "--assessor", assessor, "--unit", unit, "--area", area]))


def answer_and_submit(ctx, actor: str, unit: str):
    def op(s, a, rnd):
        u = units.get_unit(s, unit)
        inst = round_work.instrument_for(rnd)
        have = answers.answers_of(s, rnd, u.id, a.id)
        items = [answers.AnswerInput(c, next(iter(inst.criterion(c).values)), "bukti terlampir")
                 for c in assigned_criteria(s, rnd, u.id, a.id) if c not in have]
        answers.save_answers(s, a, rnd, u, items)
        worksheets.submit(s, a, rnd, _ws(s, actor, unit, rnd))
    lib(ctx, actor, op)


def enter_hasil(ctx):
    """A final result needs every Hasil figure when the final-result feature
    is installed (it guards finalise); enter valid ones."""
    try:
        from pmprb.assessments.coordinate import hasil
    except ImportError:
        return

    def op(s, a, rnd):
        values = {p["id"]: (str(p["max"]) if p["kind"] == "scale" else p["categories"][0]["code"])
                  for p in round_work.instrument_for(rnd).hasil_parts()}
        hasil.set_inputs(s, a, rnd, values)
    lib(ctx, "kora", op)


@given(parsers.parse('round "{code}" has reached "{target}"'))
def reached(ctx, code, target):
    """Drive the round there through the real workflow (ani assesses MP of DINKES)."""
    steps = STATES.index(target)
    if steps >= 1:
        assigned(ctx, "ani", "MP", "DINKES", code)
        ok(cli(ctx, "kora", ["round", "open", code]))
    if steps >= 2:
        answer_and_submit(ctx, "ani", "DINKES")
        ok(cli(ctx, "kora", ["round", "review", code]))
    if steps >= 3:
        lib(ctx, "kora", lambda s, a, rnd: worksheets.accept(s, a, rnd, _ws(s, "ani", "DINKES", rnd)))
        ok(cli(ctx, "kora", ["round", "consensus", code]))
    if steps >= 4:
        enter_hasil(ctx)
        ok(cli(ctx, "kora", ["round", "finalise", code]))
    assert state_of(ctx, code) == target


@given(parsers.parse('nobody is assigned in round "{code}"'))
def nobody_assigned(ctx, code):
    with open_db(ctx["url"]).session() as s:
        assert rounds.summary(s, rounds.get_round(s, code))["assignments"] == 0


@given(parsers.parse('the worksheet of "{owner}" for "{unit}" is still in progress'))
def ws_in_progress(ctx, owner, unit):
    with open_db(ctx["url"]).session() as s:
        assert _ws(s, owner, unit, rounds.get_round(s, "2024")).state == "in_progress"


@given(parsers.parse('the worksheet of "{owner}" for "{unit}" is not yet accepted'))
def ws_not_accepted(ctx, owner, unit):
    with open_db(ctx["url"]).session() as s:
        assert _ws(s, owner, unit, rounds.get_round(s, "2024")).state == "submitted"


@given(parsers.parse('a consensus item is still open in round "{code}"'))
def open_consensus_item(ctx, code):
    # Stands in for the consensus feature, which registers the real guard.
    def guard(work):
        return ["1 butir konsensus masih terbuka: MP.1.a"] if work.round.code == code else []
    ctx["monkeypatch"].setitem(wiring.ROUND_GUARDS, "finalise", [guard])


@given("nothing else")
def nothing_else():
    pass


# ---------------------------------------------------------------------------
# When


@when(parsers.re(r'"(?P<actor>[^"]*)" runs "(?P<command>.*)"'))
def runs(ctx, actor, command):
    cli(ctx, actor or None, shlex.split(command))


@when(parsers.parse('"{actor}" answers every assigned criterion of "{unit}" and submits the worksheet'))
def answers_all(ctx, actor, unit):
    answer_and_submit(ctx, actor, unit)


@when(parsers.parse('"{actor}" enters the Hasil figures of round "{code}"'))
def enters_hasil(ctx, actor, code):
    enter_hasil(ctx)


@when(parsers.parse('"{actor}" accepts the worksheet of "{owner}" for "{unit}"'))
def accepts(ctx, actor, owner, unit):
    lib(ctx, actor, lambda s, a, rnd: worksheets.accept(s, a, rnd, _ws(s, owner, unit, rnd)))


@when(parsers.parse('"{actor}" returns the worksheet of "{owner}" for "{unit}" because "{reason}"'))
def returns(ctx, actor, owner, unit, reason):
    lib(ctx, actor, lambda s, a, rnd: worksheets.return_worksheet(s, a, rnd, _ws(s, owner, unit, rnd), reason=reason))


@when(parsers.parse('"{actor}" saves answer "{answer}" to "{criterion}" of "{unit}"'))
def saves(ctx, actor, answer, criterion, unit):
    lib(ctx, actor, lambda s, a, rnd: answers.save_answer(s, a, rnd, units.get_unit(s, unit), criterion, answer,
                                                          expected_version=0))


# ---------------------------------------------------------------------------
# Then


@then(parsers.parse('the command succeeds and round "{code}" is "{state}"'))
def succeeds_in_state(ctx, code, state):
    ok(ctx["result"])
    assert state_of(ctx, code) == state


@then("the command succeeds")
def succeeds(ctx):
    ok(ctx["result"])


@then(parsers.parse('the command fails with exit code {code:d} and the message "{message}"'))
def fails(ctx, code, message):
    res = ctx["result"]
    assert res.exit_code == code, f"exit {res.exit_code}: {res.output}"
    assert message in res.stderr, res.stderr


@then(parsers.parse('it is refused with exit code {code:d} and the message "{message}"'))
def refused(ctx, code, message):
    err, ctx["error"] = ctx["error"], None
    assert err is not None, "the action was not refused"
    assert err.exit_code == code and message in str(err), f"{type(err).__name__} {err.exit_code}: {err}"


@then(parsers.parse('round "{code}" is still "{state}"'))
def still(ctx, code, state):
    assert state_of(ctx, code) == state


@then(parsers.parse('round "{code}" keeps a snapshot of its final state with reason "{reason}"'))
def keeps_snapshot(ctx, code, reason):
    import json

    with open_db(ctx["url"]).session() as s:
        snaps = rounds.snapshots(s, rounds.get_round(s, code))
    assert [(x.kind, x.reason) for x in snaps] == [("reopen", reason)]
    data = json.loads(snaps[0].data_json)
    assert data["round"]["state"] == "final" and data["answers"] and data["worksheets"][0]["state"] == "accepted"


@then(parsers.parse('every transition of round "{code}" is in its audit log and the log verifies'))
def logged(ctx, code):
    import json

    with open_db(ctx["url"]).session() as s:
        rnd = rounds.get_round(s, code)
        moves = [(p["from"], p["to"]) for p in (json.loads(e.payload_json) for e in
                                                audit_log.events(s, rnd.id, action="round.transition"))]
        assert moves == [("draft", "open"), ("open", "review"), ("review", "consensus"), ("consensus", "final"),
                         ("final", "review")]
        ws_moves = [json.loads(e.payload_json)["event"] for e in audit_log.events(s, rnd.id, action="worksheet.transition")]
        assert ws_moves == ["submit", "accept"]
        assert wiring.verify(s, rnd.id).ok
    res = CliRunner().invoke(main, ["--db", ctx["url"], "audit", "verify", "--round", code])
    assert res.exit_code == 0, res.output
