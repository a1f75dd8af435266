"""Step definitions for features/coordinator (review, consensus, RATL).

Actions go through the CLI (CliRunner), so the scenarios check exit codes
and messages as a user meets them; checks read the library."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pytest_bdd import given, parsers, scenarios, then, when

import coordinator_support as cs
from pmprb.assessments.coordinate import consensus, final_result, ratl
from pmprb.cli import main
from pmprb.engine import scoring
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument

scenarios("coordinator")

INST = load_instrument("pmprb-2014")


@pytest.fixture
def db_backend() -> str:
    """The journeys run on SQLite; the library tests cover PostgreSQL too."""
    return "sqlite"


@pytest.fixture
def ctx():
    return {}


def _list(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def cli(ctx, who, *args):
    res = CliRunner().invoke(main, ["--db", world(ctx).db.url, "--as", who] + list(args))
    ctx["result"] = res
    return res


def ok(res):
    assert res.exit_code == 0, res.output
    return res


# ---------------------------------------------------------------------------
# given


@given(parsers.parse('a round where "{a}" and "{b}" assessed areas "{areas}" of "{unit}" and submitted'))
def submitted_round(ctx, db, a, b, areas, unit):
    # Built on first use, so that the answers planted by the next steps are saved and submitted with the rest.
    assert unit == "DINKES"
    ctx.update(db=db, assessors=(a, b), areas=tuple(_list(areas)), overrides={})


@given(parsers.parse('"{a}" answered "{cid}" with "{x}" and "{b}" answered it with "{y}"'))
def planted(ctx, a, cid, x, b, y):
    ctx["overrides"].setdefault(a, {})[cid] = x
    ctx["overrides"].setdefault(b, {})[cid] = y


def world(ctx) -> cs.World:
    if "world" not in ctx:
        ctx["world"] = cs.build(ctx["db"], areas=ctx["areas"], assessors=ctx["assessors"], overrides=ctx["overrides"])
    return ctx["world"]


@given("the round is in consensus with its Hasil figures entered")
def in_consensus(ctx):
    cs.to_consensus(world(ctx), ctx["assessors"])
    cs.set_hasil(world(ctx))


@given(parsers.parse('a finalised round where "{a}" and "{b}" assessed areas "{areas}" of "{unit}"'))
def finalised_round(ctx, db, a, b, areas, unit):
    ctx["world"] = cs.finalised(db, areas=tuple(_list(areas)), assessors=(a, b))


@given(parsers.parse('"{who}" started the RATL item "{cid}"'))
def started(ctx, who, cid):
    ok(cli(ctx, who, "ratl", "update", "--round", "2024", cid, "--status", "in_progress"))


@given(parsers.parse('"{who}" marked the RATL item "{cid}" done with the evidence "{ev}"'))
def marked_done(ctx, who, cid, ev):
    ok(cli(ctx, who, "ratl", "update", "--round", "2024", cid, "--status", "done", "--evidence", ev))


# ---------------------------------------------------------------------------
# when


@when(parsers.parse('"{who}" reviews the round'))
def reviews(ctx, who):
    ctx["review"] = json.loads(ok(cli(ctx, who, "review", "--round", "2024", "--json")).stdout)


@when(parsers.parse('"{who}" tries to review the round'))
def tries_review(ctx, who):
    cli(ctx, who, "review", "--round", "2024", "--json")


@when("the round enters review")
def enters_review(ctx):
    cs.to_review(world(ctx))


@when("the round enters consensus")
def enters_consensus(ctx):
    cs.to_consensus(world(ctx), ctx["assessors"])


@when(parsers.parse('"{who}" resolves "{cid}" with the answer "{answer}" and no rationale'))
def resolve_no_rationale(ctx, who, cid, answer):
    cli(ctx, who, "consensus", "resolve", "--round", "2024", cid, "--answer", answer, "--participant", "kora,ani,budi",
        "--date", cs.MEETING.isoformat())


@when(parsers.parse('"{who}" resolves "{cid}" with the answer "{answer}" and the rationale "{why}"'))
def resolve_ok(ctx, who, cid, answer, why):
    ok(cli(ctx, who, "consensus", "resolve", "--round", "2024", cid, "--answer", answer, "--rationale", why,
           "--participant", "kora,ani,budi", "--date", cs.MEETING.isoformat()))


@when(parsers.parse('"{who}" reopens "{cid}" because "{why}"'))
def reopen(ctx, who, cid, why):
    ok(cli(ctx, who, "consensus", "reopen", "--round", "2024", cid, "--reason", why))


@when(parsers.parse('"{who}" finalises the round'))
def finalise(ctx, who):
    cli(ctx, who, "round", "finalise", "2024")


@when(parsers.parse('"{who}" marks the RATL item "{cid}" done without evidence'))
def done_without(ctx, who, cid):
    cli(ctx, who, "ratl", "update", "--round", "2024", cid, "--status", "done")


@when(parsers.parse('"{who}" marks the RATL item "{cid}" done with the evidence "{ev}"'))
def done_with(ctx, who, cid, ev):
    ok(cli(ctx, who, "ratl", "update", "--round", "2024", cid, "--status", "done", "--evidence", ev))


@when(parsers.parse('"{who}" verifies the RATL item "{cid}"'))
def verifies(ctx, who, cid):
    cli(ctx, who, "ratl", "update", "--round", "2024", cid, "--status", "verified")


@when(parsers.parse('"{who}" sends the RATL item "{cid}" back to in_progress without a reason'))
def back_without(ctx, who, cid):
    cli(ctx, who, "ratl", "update", "--round", "2024", cid, "--status", "in_progress")


@when(parsers.parse('"{who}" sends the RATL item "{cid}" back to in_progress because "{why}"'))
def back_with(ctx, who, cid, why):
    ok(cli(ctx, who, "ratl", "update", "--round", "2024", cid, "--status", "in_progress", "--reason", why))


# ---------------------------------------------------------------------------
# then


def _criterion(ctx, cid):
    return next(c for c in ctx["review"]["criteria"] if c["criterion"] == cid)


@then(parsers.parse('"{cid}" is merged with the answer "{answer}"'))
def is_merged(ctx, cid, answer):
    c = _criterion(ctx, cid)
    assert (c["status"], c["merged_answer"]) == ("merged", answer)


@then(parsers.parse("{n:d} of the {total:d} assessed criteria are merged"))
def merged_count(ctx, n, total):
    assessed = [c for c in ctx["review"]["criteria"] if c["answers"]]
    assert len(assessed) == total
    assert sum(c["status"] == "merged" for c in assessed) == n


@then(parsers.parse('"{cid}" is disputed with a spread of {spread:f}'))
def is_disputed(ctx, cid, spread):
    c = _criterion(ctx, cid)
    assert c["status"] == "disputed" and c["spread"] == pytest.approx(spread)


@then(parsers.parse('the open consensus items are exactly "{ids}"'))
def open_items(ctx, ids):
    w = world(ctx)
    assert w.read(lambda s: [i.criterion_id for i in consensus.list_items(s, w.rnd(s), state="open")]) == _list(ids)


@then(parsers.parse("it is refused with exit code {code:d} because assessment is blind"))
def refused_blind(ctx, code):
    res = ctx["result"]
    assert res.exit_code == code and "penilaian dilakukan secara buta" in res.stderr and res.stdout == ""


@then(parsers.parse('it is refused with exit code {code:d} saying "{text}"'))
def refused_saying(ctx, code, text):
    res = ctx["result"]
    assert res.exit_code == code, res.output
    assert text in res.stderr


@then(parsers.parse('it is refused with exit code {code:d} listing the open item "{cid}"'))
def refused_listing(ctx, code, cid):
    res = ctx["result"]
    assert res.exit_code == code, res.output
    assert "butir konsensus masih terbuka" in res.stderr and f"butir {cid} terbuka" in res.stderr


@then(parsers.parse('the consensus item "{cid}" is "{state}"'))
def item_state(ctx, cid, state):
    w = world(ctx)
    assert w.read(lambda s: consensus.get_item(s, w.rnd(s), cid).state) == state


@then(parsers.parse('the history of "{cid}" is "{kinds}"'))
def item_history(ctx, cid, kinds):
    w = world(ctx)
    assert w.read(lambda s: [e.kind for e in consensus.history(s, consensus.get_item(s, w.rnd(s), cid))]) == _list(kinds)


@then(parsers.parse('the round is "{state}"'))
def round_state(ctx, state):
    w = world(ctx)
    assert w.read(lambda s: w.rnd(s).state) == state


def _frozen(ctx):
    w = world(ctx)
    return w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))


@then(parsers.parse('the final answer to "{cid}" is "{answer}" from consensus'))
def final_answer(ctx, cid, answer):
    c = _frozen(ctx)["criteria"][cid]
    assert (c["answer"], c["source"]) == (answer, "consensus")


@then("the frozen result's Indeks RB equals scoring the institution answers directly")
def frozen_equals_direct(ctx):
    data = _frozen(ctx)
    answers = {cid: c["answer"] for cid, c in data["criteria"].items() if c["answer"] is not None}
    direct = scoring.score(INST, evaluate(INST, answers).values(), data["hasil_inputs"])
    assert data["score"]["indeks_rb"] == direct["indeks_rb"] and data["score"]["grade"] == direct["grade"]


def _items(ctx):
    w = world(ctx)
    return w.read(lambda s: ratl.list_items(s, w.rnd(s)))


@then("there is a RATL item for every criterion whose own value is below its best, and for no other")
def ratl_exact(ctx):
    frozen = _frozen(ctx)["criteria"]
    own_low = {cid for cid, c in frozen.items() if INST.criteria[cid].scored
               and c["raw_value"] is not None and c["raw_value"] < INST.criteria[cid].best_value}
    assert own_low and {i.criterion_id for i in _items(ctx)} == own_low


@then("every criterion below its best is a RATL item or unlocked by one")
def ratl_covers(ctx):
    frozen = _frozen(ctx)["criteria"]
    below = {cid for cid, c in frozen.items() if INST.criteria[cid].scored and c["value"] < INST.criteria[cid].best_value}
    listed = set()
    for i in _items(ctx):
        listed |= {i.criterion_id, *json.loads(i.unlocks_json)}
    assert listed == below


def _indeks(frozen: dict, fixed: dict | None = None) -> float:
    answers = {cid: c["answer"] for cid, c in frozen["criteria"].items() if c["answer"] is not None}
    answers.update(fixed or {})
    evaluation = evaluate(INST, answers, {cid: c["evidence"] for cid, c in frozen["criteria"].items()})
    return scoring.score(INST, evaluation.values(), frozen["hasil_inputs"])["indeks_rb"]


@then("the RATL items are ordered by the re-scored Indeks gain, ties in instrument order")
def ratl_order(ctx):
    frozen = _frozen(ctx)
    base = _indeks(frozen)
    got = _items(ctx)
    for i in got:
        best = INST.criteria[i.criterion_id].options[0][0]
        assert i.gain == pytest.approx(_indeks(frozen, {i.criterion_id: best}) - base, abs=1e-9)
    ids = [i.criterion_id for i in got]
    gains = {i.criterion_id: i.gain for i in got}
    assert ids == sorted(ids, key=lambda cid: (-round(gains[cid], 9), INST.criteria[cid].order))


@then(parsers.parse('the RATL item "{cid}" unlocks "{ids}"'))
def ratl_unlocks(ctx, cid, ids):
    w = world(ctx)
    item = w.read(lambda s: ratl.get_item(s, w.rnd(s), cid))
    assert json.loads(item.unlocks_json) == [x.strip() for x in ids.split(",")]


@then(parsers.parse('the gain of the RATL item "{cid}" counts the unlocked criteria with their own answers'))
def ratl_unlock_gain(ctx, cid):
    w = world(ctx)
    item = w.read(lambda s: ratl.get_item(s, w.rnd(s), cid))
    frozen = _frozen(ctx)
    sub = INST.subarea(INST.criteria[cid].subarea)
    own = [frozen["criteria"][x]["raw_value"] for x in [c["id"] for c in sub["criteria"]]]
    now = [frozen["criteria"][x]["value"] for x in [c["id"] for c in sub["criteria"]]]
    fixed = [1.0 if x == cid else v for x, v in zip([c["id"] for c in sub["criteria"]], own)]
    assert item.gain == pytest.approx(sub["weight"] * (sum(fixed) - sum(now)) / len(own))


@then("the first RATL items are:")
def first_items(ctx, datatable):
    want = [(row[0], row[1]) for row in datatable[1:]]
    got = [(i.criterion_id, f"{i.gain:.4f}") for i in _items(ctx)[:len(want)]]
    assert got == want


@then(parsers.parse('the RATL item "{cid}" is "{state}"'))
def ratl_state(ctx, cid, state):
    w = world(ctx)
    assert w.read(lambda s: ratl.get_item(s, w.rnd(s), cid).state) == state

