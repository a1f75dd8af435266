"""Step definitions for features/assess (the assessor journey)."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from pytest_bdd import given, parsers, scenarios, then, when

from assess_support import build_world
from pmprb.presentation import sheet_export
from pmprb.assessments.setup import people
from pmprb.presentation.walk import run_walk
from pmprb.cli import main
from pmprb.errors import StateError

from assess_support import Script

scenarios("assess")



@pytest.fixture
def db_backend() -> str:
    """The journey runs on SQLite; the library tests cover PostgreSQL."""
    return "sqlite"


@pytest.fixture
def ctx():
    return {}


def _areas(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",") if a.strip())


def _ids(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _cli(ctx, *args, user="ani"):
    r = CliRunner().invoke(main, ["--db", ctx["world"].db.url, "--as", user] + list(args), catch_exceptions=False)
    ctx["result"] = r
    return r


# ---------------------------------------------------------------------------
# given


@given(parsers.parse('round "{code}" is open with "{who}" assigned areas "{areas}" of "{unit}"'))
def open_round(ctx, db, code, who, areas, unit):
    assert (code, who, unit) == ("2024", "ani", "DINKES")
    ctx["world"] = build_world(db, ani_areas=_areas(areas))


@given(parsers.parse('round "{code}" on an instrument that blocks claims without evidence is open with "{who}" '
                     'assigned areas "{areas}" of "{unit}"'))
def open_round_blocking(ctx, db, blocking_instrument, code, who, areas, unit):
    ctx["world"] = build_world(db, instrument=blocking_instrument, ani_areas=_areas(areas))


@given(parsers.parse('"{who}" has answered "{ids}" of "{unit}"'))
def answered_some(ctx, who, ids, unit):
    s = ctx["world"].session(who, unit)
    for cid in _ids(ids):
        s.save(cid, s.criterion(cid).worst)


@given(parsers.parse('"{who}" has answered every assigned criterion of "{unit}" except "{ids}"'))
def answered_all_but(ctx, who, unit, ids):
    s = ctx["world"].session(who, unit)
    for cid in s.ids:
        if cid not in _ids(ids):
            s.save(cid, s.criterion(cid).worst)


@given(parsers.parse('"{who}" has answered every assigned criterion of "{unit}" with the worst option'))
def answered_all(ctx, who, unit):
    answered_all_but(ctx, who, unit, "")


@given(parsers.parse('"{who}" answers "{cid}" of "{unit}" with "{answer}"'))
def answers(ctx, who, cid, unit, answer):
    ctx["world"].session(who, unit).save(cid, answer)


@given(parsers.parse('"{who}" has saved "{cid}" of "{unit}" as "{answer}" twice, now at version 2'))
def saved_twice(ctx, who, cid, unit, answer):
    s = ctx["world"].session(who, unit)
    s.save(cid, answer, "pertama")
    s.save(cid, answer, "kedua")
    assert s.stored(cid).version == 2


@given(parsers.parse('a CSV file for "{unit}" with rows:'))
def csv_file(ctx, tmp_path, unit, datatable):
    path = tmp_path / "kertas-kerja.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(datatable)
    ctx["file"] = path


# ---------------------------------------------------------------------------
# when


@when(parsers.parse('"{who}" walks the worksheet of "{unit}" typing:'))
def walk(ctx, who, unit, datatable):
    replies = [KeyboardInterrupt if row[0] == "^C" else row[0] for row in datatable[1:]]
    io = Script(*replies)
    run_walk(ctx["world"].session(who, unit), io)
    ctx["walk"] = io


@when(parsers.parse('"{who}" submits the worksheet of "{unit}"'))
def submit(ctx, who, unit):
    _cli(ctx, "assess", "submit", "--round", "2024", "--unit", unit, "--yes", user=who)


@when(parsers.parse('"{who}" exports the worksheet of "{unit}" as "{fmt}" and imports it unchanged'))
def export_import(ctx, tmp_path, who, unit, fmt):
    world = ctx["world"]
    ctx["before"] = (world.answers(who, unit), world.events())
    path = tmp_path / f"ws.{fmt}"
    assert _cli(ctx, "assess", "export", "--round", "2024", "--unit", unit, "-o", str(path), user=who).exit_code == 0
    r = _cli(ctx, "assess", "import", str(path), "--round", "2024", "--unit", unit, "--json", user=who)
    assert r.exit_code == 0, r.stderr
    with world.db.session() as s:
        assert len(sheet_export.worksheet_rows(s, world.rnd(s), world.unit(s, unit), people.get_person(s, who))) \
            == json.loads(r.stdout)["rows"]


@when(parsers.parse('"{who}" imports the file into "{unit}" with --on-conflict {policy}'))
def import_file(ctx, who, unit, policy):
    _cli(ctx, "assess", "import", str(ctx["file"]), "--round", "2024", "--unit", unit, "--on-conflict", policy,
         user=who)


# ---------------------------------------------------------------------------
# then


@then(parsers.parse('the walk showed "{text}"'))
def walk_showed(ctx, text):
    assert text in ctx["walk"].text, ctx["walk"].text


@then(parsers.parse('the walk visited "{ids}" in that order'))
def walk_visited(ctx, ids):
    seen = [line.split()[1] for line in ctx["walk"].text.split("\n") if line.startswith("\u2500\u2500 ")]
    assert seen == _ids(ids)


@then(parsers.parse('"{who}" has no stored answers for "{unit}"'))
def no_answers(ctx, who, unit):
    assert ctx["world"].answers(who, unit) == {}


@then(parsers.parse('the stored answer of "{who}" to "{cid}" is "{answer}" with note "{note}"'))
def stored_with_note(ctx, who, cid, answer, note):
    got = ctx["world"].answers(who)[cid]
    assert (got[0], got[1] or "") == (answer, note)


@then(parsers.parse('the stored answer of "{who}" to "{cid}" is "{answer}" without a note'))
def stored_without_note(ctx, who, cid, answer):
    assert ctx["world"].answers(who)[cid][:2] == (answer, None)


@then(parsers.re(r'the stored answer of "(?P<who>[^"]+)" to "(?P<cid>[^"]+)" is "(?P<answer>[^"]+)"$'))
def stored(ctx, who, cid, answer):
    got = ctx["world"].answers(who).get(cid)
    assert (got[0] if got else "none") == answer


@then(parsers.parse("the submission is refused with exit code {code:d} listing:"))
def refused(ctx, code, datatable):
    r = ctx["result"]
    assert r.exit_code == code, r.stderr
    listed = [line[2:] for line in r.stderr.splitlines() if line.startswith("  [")]  # labelled blocking items
    assert listed == [row[0] for row in datatable[1:]]


@then(parsers.parse('the submission succeeds with the warning "{text}"'))
def submitted(ctx, text):
    r = ctx["result"]
    assert r.exit_code == 0, r.stderr
    assert f"  {text}" in r.stderr.splitlines()


@then(parsers.parse('the worksheet of "{who}" for "{unit}" is "{state}"'))
def worksheet_state(ctx, who, unit, state):
    from pmprb.assessments.assess import worksheets

    world = ctx["world"]
    with world.db.session() as s:
        assert worksheets.get_worksheet(s, world.rnd(s), world.unit(s, unit), people.get_person(s, who)).state == state


@then(parsers.parse('"{who}" can no longer change "{cid}" of "{unit}"'))
def read_only(ctx, who, cid, unit):
    with pytest.raises(StateError):
        ctx["world"].session(who, unit).save(cid, "B")


@then("no answer changed and no audit event was written")
def nothing_changed(ctx):
    world = ctx["world"]
    assert (world.answers(), world.events()) == ctx["before"]


@then(parsers.parse("the import fails with exit code {code:d}"))
def import_fails(ctx, code):
    assert ctx["result"].exit_code == code, ctx["result"].stderr


@then("the import succeeds")
def import_succeeds(ctx):
    assert ctx["result"].exit_code == 0, ctx["result"].stderr


@then(parsers.parse("the import fails with exit code {code:d} listing:"))
def import_fails_listing(ctx, code, datatable):
    r = ctx["result"]
    assert r.exit_code == code, r.stderr
    listed = [line[4:] for line in r.stderr.splitlines() if line.startswith("  - ")]
    assert listed == [row[0].strip() for row in datatable[1:]]
