"""Step definitions for features/zi/*.feature (Zona Integritas: percentages, WBK, scoring, validation)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pytest_bdd import given, parsers, scenarios, then, when

from pmprb.canonical import canonical_json
from pmprb.engine import predicates
from pmprb.engine.evaluator import Evaluator, durable_available
from pmprb.engine.instrument import load_instrument
from pmprb.errors import ValidationError

from zi_support import WORKSHEET, copy_instrument, engines, full_marks, score_worksheet, with_measures

scenarios("zi")

TOL = 1e-9


@pytest.fixture
def ctx() -> dict:
    return {}


def _counts(text: str) -> dict:
    out = {}
    for part in text.split(","):
        if part.strip():
            cid, n = part.split("=")
            out[cid.strip()] = int(n)
    return out


def _decide(inst, answers: dict, evidence: dict) -> dict:
    """Decisions by every available engine, keyed by engine name."""
    out = {}
    for engine in engines():
        ev = Evaluator(inst, engine)
        try:
            out[engine] = ev.evaluate(answers, evidence)
        finally:
            ev.close()
    return out


# ---------------------------------------------------------------------------
# instrument and worksheets


@given("the language is English")
def _english():
    from pmprb import i18n

    i18n.set_lang("en")


@given(parsers.parse('the instrument "{ref}"'))
def _instrument(ctx, ref):
    ctx["inst"] = load_instrument(ref)


@given("a unit that answers every item of the instrument with its best option")
def _full_marks(ctx):
    ctx["answers"], ctx["evidence"], ctx["hasil"] = full_marks()
    ctx["base"] = score_worksheet(ctx["answers"], ctx["evidence"], ctx["hasil"])


@given("the complete ZI worksheet of a unit")
def _complete_worksheet(ctx):
    ctx["ws"] = yaml.safe_load(WORKSHEET.read_text(encoding="utf-8"))
    ctx["inst"] = load_instrument(ctx["ws"]["instrument"])


@given(parsers.parse("every item of area {area} is answered with its worst option"))
def _worst_area(ctx, area):
    for cid, c in ctx["inst"].criteria.items():
        if c.area == area and c.kind == "choice":
            ctx["ws"]["answers"][cid] = c.options[-1][0]


@given(parsers.parse("the service-quality perception survey H.2.a is {x:g}"))
def _survey(ctx, x):
    ctx["ws"]["hasil"]["H.2.a"] = x


# ---------------------------------------------------------------------------
# percentages


@when(parsers.parse('the counts "{counts}" are evaluated with one supporting document for {item}'))
def _eval_counts(ctx, counts, item):
    ctx["input"] = (_counts(counts), {item: 1})
    ctx["decided"] = _decide(ctx["inst"], *ctx["input"])


@when(parsers.parse('the counts "{counts}" are evaluated without documents'))
def _eval_counts_bare(ctx, counts):
    ctx["input"] = (_counts(counts), {})
    ctx["decided"] = _decide(ctx["inst"], *ctx["input"])


def _result(ctx, item) -> dict:
    return next(iter(ctx["decided"].values())).decisions[item]


@then(parsers.parse("{item} has raw value {raw:g} and value {value:g}"))
def _raw_value(ctx, item, raw, value):
    r = _result(ctx, item).result.record()
    assert r["raw_value"] == pytest.approx(raw, abs=TOL) and r["value"] == pytest.approx(value, abs=TOL), r


@then(parsers.re(r'(?P<item>\S+) is flagged "(?P<flags>[^"]*)"'))
def _flags(ctx, item, flags):
    want = [f.strip() for f in flags.split(",") if f.strip()]
    assert list(_result(ctx, item).result.flags) == want


@then(parsers.parse('the trace of {item} ends with "{rule}"'))
def _trace(ctx, item, rule):
    assert list(_result(ctx, item).trace)[-1] == rule


@then(parsers.parse("{item} has the count {n:d} and no value"))
def _count(ctx, item, n):
    r = _result(ctx, item).result.record()
    assert r["count"] == n and r["value"] is None


@then("both rule engines decide every criterion identically")
def _engines_agree(ctx):
    if not durable_available():
        pytest.skip("durable_rules does not import on this Python; only the plain engine ran")
    results = [{cid: {k: v for k, v in d.record().items() if k != "engine"} for cid, d in ev.decisions.items()}
               for ev in ctx["decided"].values()]
    assert canonical_json(results[0]) == canonical_json(results[1])


@when(parsers.re(r"the count (?P<cid>\S+) \(.*\) is changed to (?P<n>\d+)"))
def _change_count(ctx, cid, n):
    ctx["answers"][cid] = int(n)
    ctx["rescored"] = score_worksheet(ctx["answers"], ctx["evidence"], ctx["hasil"])


@then(parsers.parse("the Pengungkit is still {x:g}"))
def _pengungkit_still(ctx, x):
    assert ctx["base"]["pengungkit"] == pytest.approx(x, abs=TOL)
    assert ctx["rescored"]["pengungkit"] == pytest.approx(x, abs=TOL)


# ---------------------------------------------------------------------------
# thresholds


def _decide_predicates(ctx, result: dict) -> None:
    inst = ctx["inst"]
    ctx["preds_by_engine"] = {e: predicates.evaluate(inst, result, e) for e in engines()}
    ctx["preds"] = {p["id"]: p for p in next(iter(ctx["preds_by_engine"].values()))}


@when(parsers.parse("its measure {measure} is {value:g} and the predicates are decided"))
def _measure(ctx, measure, value):
    _decide_predicates(ctx, with_measures(ctx["base"], **{measure: value}))


def _threshold(ctx, tid) -> dict:
    return next(t for t in ctx["preds"]["WBK"]["thresholds"] if t["id"] == tid)


@then(parsers.parse('WBK threshold "{tid}" is met'))
def _met(ctx, tid):
    t = _threshold(ctx, tid)
    assert t["met"] and t["shortfall"] == 0 and t["rule"].endswith("/met")


@then(parsers.parse('WBK threshold "{tid}" is not met, short by {shortfall:g}'))
def _not_met(ctx, tid, shortfall):
    t = _threshold(ctx, tid)
    assert not t["met"] and t["rule"].endswith("/unmet")
    assert t["shortfall"] == pytest.approx(shortfall, abs=1e-9)


@then("it is the only WBK threshold not met")
def _only(ctx):
    assert len(ctx["preds"]["WBK"]["unmet"]) == 1


@then(parsers.re(r"the unit (?P<verb>does not meet|meets) (?P<pid>\w+)"))
def _verdict(ctx, verb, pid):
    assert ctx["preds"][pid]["met"] is (verb == "meets")


@then("both rule engines decide the predicates identically")
def _pred_engines(ctx):
    if not durable_available():
        pytest.skip("durable_rules does not import on this Python; only the plain engine ran")
    a, b = ([dict(p, engine=None) for p in r] for r in ctx["preds_by_engine"].values())
    assert a == b


@when(parsers.parse("the service-quality perception survey H.2.a is {x:g} and the worksheet is scored"))
def _score_with_survey(ctx, x):
    ctx["hasil"]["H.2.a"] = x
    ctx["scored"] = score_worksheet(ctx["answers"], ctx["evidence"], ctx["hasil"])
    _decide_predicates(ctx, ctx["scored"])


@when("the worksheet is scored")
def _score(ctx):
    ctx["scored"] = score_worksheet(ctx["answers"], ctx["evidence"], ctx["hasil"])
    _decide_predicates(ctx, ctx["scored"])


@then(parsers.parse("the Hasil component {hid} is {x:g}"))
def _hasil_component(ctx, hid, x):
    assert ctx["scored"]["hasil_detail"]["components"][hid]["score"] == pytest.approx(x, abs=1e-9)


@then("the verdict reads:")
def _verdict_reads(ctx, docstring):
    assert "\n".join(predicates.describe(ctx["preds"]["WBK"], "id")) == docstring


@then(parsers.parse('the WBBM verdict ends with "{text}"'))
def _wbbm_id(ctx, text):
    assert predicates.describe(ctx["preds"]["WBBM"], "id")[-1] == text


@then(parsers.parse('in English the WBBM verdict ends with "{text}"'))
def _wbbm_en(ctx, text):
    assert predicates.describe(ctx["preds"]["WBBM"], "en")[-1] == text


# ---------------------------------------------------------------------------
# the CLI


@when(parsers.parse('I run "{command}" on it'))
def _run(ctx, command, tmp_path):
    from pmprb.cli import main

    path = tmp_path / "worksheet.yaml"
    path.write_text(yaml.safe_dump(ctx["ws"], allow_unicode=True, sort_keys=False), encoding="utf-8")
    args = shlex.split(command)[1:] + [str(path)]
    runner = CliRunner()
    ctx["run"] = runner.invoke(main, args)
    ctx["json"] = runner.invoke(main, args + ["--json"])


@then("the command succeeds")
def _succeeds(ctx):
    assert ctx["run"].exit_code == 0, ctx["run"].output


@then(parsers.parse('the output contains "{text}"'))
def _contains(ctx, text):
    assert text in ctx["run"].output.splitlines() or text in ctx["run"].output, ctx["run"].output


@then(parsers.parse('the output does not contain "{text}"'))
def _not_contains(ctx, text):
    assert text not in ctx["run"].output


def _wbk_json(ctx) -> dict:
    assert ctx["json"].exit_code == 0, ctx["json"].output
    data = json.loads(ctx["json"].stdout)
    return next(p for p in data["predicates"] if p["id"] == "WBK")


@then("the JSON result says WBK is met with no threshold missed")
def _json_met(ctx):
    wbk = _wbk_json(ctx)
    assert wbk["met"] is True and wbk["unmet"] == []


@then(parsers.parse('the JSON result says WBK is missed on exactly "{ids}"'))
def _json_missed(ctx, ids):
    wbk = _wbk_json(ctx)
    assert wbk["met"] is False
    assert [t["id"] for t in wbk["unmet"]] == [i.strip() for i in ids.split(",")]


# ---------------------------------------------------------------------------
# validation


@given(parsers.parse('a copy of the instrument "{ref}"'))
def _copy(ctx, ref, tmp_path):
    ctx["dir"] = copy_instrument(tmp_path)


def _replace(path: Path, old: str, new: str, after: str | None = None) -> None:
    """Replace the first ``old`` (after the first ``after``) in place, keeping every other line."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    i = text.index(old, start)
    path.write_text(text[:i] + new + text[i + len(old):], encoding="utf-8")


@when(parsers.parse('in "{file}" the formula of {item} takes its numerator from "{ref}"'))
def _numerator(ctx, file, item, ref):
    _replace(ctx["dir"] / file, "numerator: ", f"numerator: {ref}\n      _was: ", after=f"- id: {item}\n")
    _replace(ctx["dir"] / file, "\n      _was: ", "\n      # was: ")


@when(parsers.parse('in "instrument.yaml" component {cid} weighs {w:g}'))
def _component_weight(ctx, cid, w):
    _replace(ctx["dir"] / "instrument.yaml", "weight: 30", f"weight: {w:g}", after=f"- id: {cid}\n")


@when(parsers.parse('in "{file}" the area belongs to component "{cid}"'))
def _area_component(ctx, file, cid):
    _replace(ctx["dir"] / file, "component: R", f"component: {cid}")


@when(parsers.parse('in "{file}" item {item} is marked scored'))
def _count_scored(ctx, file, item):
    _replace(ctx["dir"] / file, "answer_type: Jumlah\n", "answer_type: Jumlah\n    scored: true\n",
             after=f"- id: {item}\n")


@when(parsers.parse('in "{file}" item {item} loses its formula'))
def _no_formula(ctx, file, item):
    path = ctx["dir"] / file
    text = path.read_text(encoding="utf-8")
    start = text.index("    formula:\n", text.index(f"- id: {item}\n"))
    end = text.index("    ratl:\n", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")


@when(parsers.parse('in "{file}" the formula of {item} loses "{key}"'))
def _formula_key(ctx, file, item, key):
    path = ctx["dir"] / file
    text = path.read_text(encoding="utf-8")
    start = text.index(f"      {key}:", text.index(f"- id: {item}\n"))
    end = text.index("\n", start) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")


@when(parsers.parse('in "{file}" the formula of {item} is capped at {cap:g}'))
def _cap(ctx, file, item, cap):
    _replace(ctx["dir"] / file, "cap: 1\n", f"cap: {cap:g}\n", after=f"- id: {item}\n")


@when(parsers.parse('in "instrument.yaml" the WBK area threshold targets "{target}"'))
def _target(ctx, target):
    _replace(ctx["dir"] / "instrument.yaml", "target: '*'", f"target: {target}")


@then(parsers.parse('loading fails with "{message}"'))
def _fails(ctx, message):
    with pytest.raises(ValidationError) as exc:
        load_instrument(ctx["dir"])
    details = exc.value.details
    assert any(message in d for d in details), "\n".join(details)
