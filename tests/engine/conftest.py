"""Fixtures and the Gherkin steps shared by the engine features (features/engine/*.feature)."""

from __future__ import annotations

import math

import pytest
from pytest_bdd import given, parsers, then, when

from pmprb import i18n
from pmprb.engine import scoring
from pmprb.engine.instrument import load_instrument
from pmprb.engine.worksheet import parse_worksheet
from pmprb.engine.worksheet_files import load_worksheet
from pmprb.errors import ValidationError

from engine_support import TOL, comparable, copy_instrument, engines, evaluator, full_answers, pmprb2014


@pytest.fixture(autouse=True)
def _default_engine(monkeypatch):
    # A developer's PMPRB_RULES_ENGINE must not change what the tests exercise.
    monkeypatch.delenv("PMPRB_RULES_ENGINE", raising=False)


@pytest.fixture
def ctx() -> dict:
    """State carried between the steps of one scenario."""
    return {"answers": {}, "evidence": {}, "hasil": {}}


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n")


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=TOL)


# ---------------------------------------------------------------------------
# instruments


@given("a copy of the pmprb-2014 instrument", target_fixture="inst_dir")
def _copy(tmp_path):
    return copy_instrument(tmp_path)


@given(parsers.parse('in "{file}" the text "{old}" is replaced by "{new}"'))
def _edit(inst_dir, file, old, new):
    path = inst_dir / file
    text = path.read_text(encoding="utf-8")
    old, new = _unescape(old), _unescape(new)
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@given(parsers.parse('in "{file}" the text "{old}" is removed'))
def _remove(inst_dir, file, old):
    _edit(inst_dir, file, old, "")


@when("the instrument is loaded")
def _load_instrument(inst_dir, ctx):
    try:
        ctx["instrument"] = load_instrument(inst_dir)
    except ValidationError as exc:
        ctx["error"] = exc
        ctx["dir"] = str(inst_dir)


@then("loading fails with exactly these errors:")
def _fails_with(ctx, datatable):
    assert "error" in ctx, "loading succeeded"
    expected = [row[0].replace("{dir}", ctx["dir"]) for row in datatable[1:]]
    assert ctx["error"].details == expected


@then(parsers.parse('the error summary is "{summary}"'))
def _summary(ctx, summary):
    assert ctx["error"].message == summary.replace("{dir}", ctx["dir"])


# ---------------------------------------------------------------------------
# worksheets


@given("the language is English")
def _english():
    i18n.set_lang("en")


@given("the language is Bahasa Indonesia")
def _indonesian():
    i18n.set_lang("id")


@given(parsers.parse('a worksheet file "{name}":'))
def _worksheet_file(tmp_path, ctx, name, docstring):
    (tmp_path / name).write_text(docstring + "\n", encoding="utf-8")
    ctx["dir"] = str(tmp_path)


@when(parsers.parse('the worksheet "{name}" is loaded'))
def _load_worksheet(tmp_path, ctx, name):
    try:
        ctx["worksheet"] = load_worksheet(tmp_path / name)
    except ValidationError as exc:
        ctx["error"] = exc
    ctx["dir"] = str(tmp_path)


@then(parsers.parse("the worksheet is accepted with {n:d} answers"))
def _accepted(ctx, n):
    assert "error" not in ctx, str(ctx.get("error"))
    assert len(ctx["worksheet"].answers) == n


@then(parsers.parse('{cid} is recorded as "{answer}"'))
def _recorded(ctx, cid, answer):
    assert ctx["worksheet"].answers[cid] == answer


# ---------------------------------------------------------------------------
# answers, evaluation, decisions


@given(parsers.parse('a worksheet answering {cid} with "{answer}" and {n:d} evidence documents'))
def _one_answer(ctx, cid, answer, n):
    ctx["answers"][cid] = answer
    ctx["evidence"][cid] = n


@given("the answers:")
def _answers(ctx, datatable):
    head = datatable[0]
    for row in datatable[1:]:
        rec = dict(zip(head, row))
        if rec["answer"]:
            ctx["answers"][rec["criterion"]] = rec["answer"]
        if rec.get("evidence"):
            ctx["evidence"][rec["criterion"]] = int(rec["evidence"])


@given("every criterion is answered with its best option and has evidence")
def _best(ctx):
    ctx["answers"] = full_answers(pick=0)
    ctx["evidence"] = {cid: 1 for cid in ctx["answers"]}


@given("every criterion is answered with its worst option")
def _worst(ctx):
    ctx["answers"] = full_answers(pick=-1)


@given(parsers.parse('the Hasil input {pid} is "{raw}"'))
def _hasil(ctx, pid, raw):
    ctx["hasil"][pid] = raw


@when("the worksheet is evaluated by every engine")
def _evaluate(ctx):
    ws = parse_worksheet({"instrument": "pmprb-2014", "answers": ctx["answers"], "evidence": ctx["evidence"]})
    results = [evaluator(e).evaluate(ws.answers, ws.evidence) for e in engines()]
    for r in results[1:]:
        assert comparable(r) == comparable(results[0]), f"{r.engine} disagrees with {results[0].engine}"
    ctx["decisions"] = results[0].decisions


@when("the worksheet is scored by every engine")
def _score(ctx):
    ws = parse_worksheet({"instrument": "pmprb-2014", "answers": ctx["answers"], "evidence": ctx["evidence"],
                          "hasil": ctx["hasil"]})
    results = [ws.score(e) for e in engines()]
    for r in results[1:]:
        assert {k: v for k, v in r.items() if k != "engine"} == {k: v for k, v in results[0].items() if k != "engine"}
    ctx["result"] = results[0]
    ctx["decisions"] = None


@then(parsers.parse("{cid} has raw value {raw:g} and value {value:g} with no flags"))
def _no_flags(ctx, cid, raw, value):
    r = ctx["decisions"][cid].result.record()
    assert _close(r["raw_value"], raw) and _close(r["value"], value) and r["flags"] == [], r


@then("the decisions are:")
def _decisions(ctx, datatable):
    head = datatable[0]
    for row in datatable[1:]:
        rec = dict(zip(head, row))
        d = ctx["decisions"][rec["criterion"]]
        want_answer = rec["answer"] or None
        assert d.input["answer"] == want_answer, (rec["criterion"], d.input)
        assert _close(d.result.raw_value, float(rec["raw_value"])), (rec["criterion"], d.result.record())
        assert _close(d.result.value, float(rec["value"])), (rec["criterion"], d.result.record())
        flags = [f.strip() for f in rec["flags"].split(",") if f.strip()]
        assert list(d.result.flags) == flags, (rec["criterion"], d.result.record())


@then(parsers.parse('the trace of {cid} is "{trace}"'))
def _trace(ctx, cid, trace):
    assert list(ctx["decisions"][cid].trace) == [t.strip() for t in trace.split(",")]


# ---------------------------------------------------------------------------
# Hasil and grades


def _part_points(result: dict, pid: str) -> float:
    for comp in result["hasil_detail"]["components"].values():
        if pid in comp["parts"]:
            return comp["parts"][pid]
    raise KeyError(pid)


@then(parsers.parse("Hasil part {pid} gives {points:g} points"))
def _points(ctx, pid, points):
    assert _close(_part_points(ctx["result"], pid), points), _part_points(ctx["result"], pid)


@then(parsers.parse("the Hasil total is {total:g}"))
def _hasil_total(ctx, total):
    assert _close(ctx["result"]["hasil"], total), ctx["result"]["hasil"]


@then(parsers.parse("the Pengungkit is {p:g}, the Indeks RB {x:g} and the grade {grade}"))
def _indeks(ctx, p, x, grade):
    r = ctx["result"]
    assert _close(r["pengungkit"], p) and _close(r["indeks_rb"], x) and r["grade"] == grade, r


@when(parsers.parse("the grade for Indeks {x:g} is looked up"))
def _grade(ctx, x):
    try:
        ctx["band"] = scoring.grade_for(pmprb2014(), x)
    except ValidationError as exc:
        ctx["error"] = exc


@then(parsers.parse('the grade is {grade} "{label}"'))
def _grade_is(ctx, grade, label):
    assert (ctx["band"]["grade"], ctx["band"]["label"]) == (grade, label)


@then(parsers.parse('the lookup fails with "{message}"'))
def _grade_fails(ctx, message):
    assert str(ctx["error"]) == message
