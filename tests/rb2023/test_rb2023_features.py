"""Step definitions for features/rb2023/*.feature (an internal evaluation round on the Indeks RB 2023)."""

from __future__ import annotations

import json

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import text

import rb_round_support as rs
from pmprb.assessments import wiring
from pmprb.assessments.coordinate import final_result, official, ratl, review
from pmprb.engine import points_scoring
from pmprb.engine.evaluator import evaluate

scenarios("rb2023")



def _ids(text_: str) -> list[str]:
    return [x.strip() for x in text_.split(",") if x.strip()]


@pytest.fixture
def db_backend() -> str:
    """Scenarios run on SQLite (steps ask for ``db`` by name, which a parametrized backend cannot serve)."""
    return "sqlite"


@pytest.fixture
def ctx() -> dict:
    return {}


@given(parsers.parse('a kabupaten round on "{instrument}" where "ani" and "budi" entered every indicator with the '
                     'result documents'))
def _round(ctx, db, instrument):
    assert instrument == rs.INSTRUMENT
    ctx["w"] = rs.build(db)


@given(parsers.parse('"budi" differs from "ani" on "{ids}"'))
def _differs(ctx, ids):
    w = ctx["w"]
    assert [c for c in rs.INST.criteria if w.given["ani"][c] != w.given["budi"][c]] == _ids(ids)


@given("the round is final")
def _final(ctx):
    w = ctx["w"]
    rs.to_consensus(w)
    for cid, answer in rs.DISPUTED.items():
        rs.resolve(w, cid, answer)
    w.as_("kora", lambda s, a, r: wiring.finalise(s, a, r))


@when("the koordinator starts the review and accepts both worksheets")
def _review(ctx):
    w = ctx["w"]
    w.as_("kora", lambda s, a, r: wiring.start_review(s, a, r))
    ctx["review"] = w.as_("kora", lambda s, a, r: review.review(s, a, r))
    for name in ("ani", "budi"):
        w.as_("kora", lambda s, a, r, name=name: review.accept_worksheet(s, a, r, unit="ORTALA", assessor=name))


@then(parsers.parse('the review shows "{cid}" disputed with a spread of {spread:g} points'))
def _spread(ctx, cid, spread):
    c = next(c for c in ctx["review"]["criteria"] if c["criterion"] == cid)
    assert c["status"] == "disputed" and c["spread"] == pytest.approx(spread)


@when("the koordinator settles every disputed indicator with budi's value and finalises")
def _settle(ctx):
    w = ctx["w"]
    w.as_("kora", lambda s, a, r: wiring.start_consensus(s, a, r))
    for cid, answer in rs.DISPUTED.items():
        rs.resolve(w, cid, answer)
    w.as_("kora", lambda s, a, r: wiring.finalise(s, a, r))


def _data(w) -> dict:
    return w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))


@then("the final Indeks equals the instrument's score of the agreed values")
def _indeks(ctx):
    w = ctx["w"]
    direct = points_scoring.aggregate(rs.INST, evaluate(rs.INST, rs.final_answers(w)).values())
    assert _data(w)["score"]["indeks_rb"] == direct["indeks_rb"]


@then(parsers.parse('RB General is rescaled by the applicable weight {weight:g} because "{cid}" does not apply'))
def _rescaled(ctx, weight, cid):
    r = _data(ctx["w"])["score"]["rescale"]
    assert r["weight"] == weight and r["not_applicable"] == [cid] and r["component"] == "general"


@then(parsers.parse('RB Tematik has the themes "{ids}"'))
def _themes(ctx, ids):
    score = _data(ctx["w"])["score"]
    assert sorted(score["themes"]) == sorted(_ids(ids))
    assert sum(t["score"] for t in score["themes"].values()) == pytest.approx(score["components"]["tematik"]["score"])


@when("the koordinator records the official values:")
def _record(ctx, datatable):
    w = ctx["w"]
    head, *rows = datatable
    values = {r[head.index("criterion")]: (r[head.index("value")], r[head.index("source")]) for r in rows}
    w.as_("kora", lambda s, a, r: official.record(s, a, r, values))
    ctx["official"] = {cid: v for cid, (v, _src) in values.items()}
    ctx["deviation"] = w.read(lambda s: official.deviation(s, w.rnd(s)))


def _line(ctx, cid) -> dict:
    return next(x for x in ctx["deviation"]["lines"] if x["criterion"] == cid)


@then(parsers.parse('the deviation of "{cid}" is {diff:g} points with an effect of {effect:g} on the Indeks ({why})'))
def _deviation_effect(ctx, cid, diff, effect, why):
    line = _line(ctx, cid)
    assert line["difference"] == pytest.approx(diff, abs=1e-9)
    assert line["effect"] == pytest.approx(effect, abs=1e-9)


@then(parsers.parse('the deviation of "{cid}" is {diff:g} points'))
def _deviation(ctx, cid, diff):
    assert _line(ctx, cid)["difference"] == pytest.approx(diff, abs=1e-9)


@then("the Indeks with the official values differs from the estimate by the sum of what changed")
def _totals(ctx):
    d = ctx["deviation"]
    w = ctx["w"]
    estimate = rs.final_answers(w)
    want = points_scoring.aggregate(rs.INST, evaluate(rs.INST, {**estimate, **ctx["official"]}).values())
    assert d["official_total"] == want["indeks_rb"] and d["estimate_total"] == _data(w)["score"]["indeks_rb"]
    assert d["difference"] == pytest.approx(d["estimate_total"] - d["official_total"], abs=1e-9)


@then("audit verify finds nothing wrong")
def _verify_ok(ctx):
    w = ctx["w"]
    assert w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems == []


@when("an official value is changed outside pmprb")
def _tamper(ctx, db):
    with db.session() as s:
        s.execute(text("UPDATE official_value SET source = 'dipalsukan' WHERE criterion_id = '1B15'"))
        s.commit()


@then(parsers.parse('audit verify names the official value "{cid}"'))
def _verify_names(ctx, cid):
    w = ctx["w"]
    problems = w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems
    assert any(p.check == "official" and f"nilai resmi {cid}" in p.message for p in problems), problems


@then("every RATL item's gain is what raising its indicator to the maximum adds to the Indeks")
def _gains(ctx):
    w = ctx["w"]
    gains = points_scoring.gains(rs.INST, rs.final_answers(w))
    items = w.read(lambda s: ratl.list_items(s, w.rnd(s)))
    assert items
    for item in items:
        assert item.gain == pytest.approx(gains[item.criterion_id]["gain"], abs=1e-9), item.criterion_id
    ctx["items"] = items


@then("the RATL items are ordered by gain")
def _ordered(ctx):
    gains = [i.gain for i in ctx["items"]]
    assert gains == sorted(gains, reverse=True)


@then(parsers.parse('raising "{cid}" gains more than its own points because "{scaled}" is multiplied by it'))
def _multiplier(ctx, cid, scaled):
    w = ctx["w"]
    item = next(i for i in ctx["items"] if i.criterion_id == cid)
    own = rs.INST.criteria[cid].best_value - _data(w)["criteria"][cid]["value"]
    assert item.gain > own and scaled in json.loads(item.unlocks_json)
