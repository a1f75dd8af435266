"""Replay without a database: records as dicts, every engine, every kind of difference."""

from __future__ import annotations

import json
import random
import uuid

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import replay
from pmprb.engine.evaluator import Evaluator, durable_available
from pmprb.engine.examples import available_engines
from pmprb.engine.instrument import load_instrument
from pmprb.engine.scoring import score

ENGINES = available_engines()
INST = load_instrument("pmprb-2014")


def records_from(engine: str, worksheets: int = 6, seed: int = 7, kind: str = "assessor") -> list[dict]:
    """Decision records as ``record_decisions`` stores them: whole worksheets
    evaluated level by level, texts in canonical JSON."""
    rng = random.Random(seed)
    ev = Evaluator(INST, engine)
    out = []
    try:
        for w in range(worksheets):
            answers = {cid: rng.choice(list(c.values)) for cid, c in INST.criteria.items() if rng.random() < 0.9}
            evidence = {cid: rng.randint(0, 2) for cid in INST.criteria}
            for cid, d in ev.evaluate(answers, evidence).decisions.items():
                out.append({"decision_id": str(uuid.uuid4()), "criterion": cid, "kind": kind, "unit": f"U{w}",
                            "instrument": {"id": INST.id, "revision": INST.revision}, "engine": d.engine,
                            "input_json": canonical_json(d.input), "result_json": canonical_json(d.result.record()),
                            "trace_json": canonical_json(list(d.trace))})
    finally:
        ev.close()
    return out


@pytest.mark.parametrize("recorded_by", ENGINES)
@pytest.mark.parametrize("replayed_by", ENGINES)
def test_stored_worksheets_replay_identically_in_any_batch_order(recorded_by, replayed_by):
    recs = records_from(recorded_by)
    random.Random(3).shuffle(recs)  # batches then mix criteria of different worksheets and levels
    rep = replay.replay(recs, {INST.revision: INST}, engine=replayed_by)
    assert (rep.total, rep.matched, rep.mismatches) == (len(recs), len(recs), [])
    assert rep.ok and rep.stored_engines == {recs[0]["engine"]: len(recs)}
    assert rep.engine.startswith("durable_rules" if replayed_by == "durable" else "pmprb-plain")


def test_small_chunks_give_the_same_verdict():
    recs = records_from("plain", worksheets=3)
    rep = replay.replay(recs, {INST.revision: INST}, engine="plain", chunk=37)
    assert rep.matched == len(recs) and not rep.mismatches


def _tamper(rec: dict, **texts) -> dict:
    return dict(rec, **texts)


def test_every_kind_of_difference_is_named():
    recs = records_from("plain", worksheets=2)
    by = {(r["unit"], r["criterion"]): i for i, r in enumerate(recs)}
    gated = recs[by[("U0", "MP.1.b")]]

    i_value = by[("U0", "MP.2.a")]
    res = json.loads(recs[i_value]["result_json"])
    res["value"] = 1 - res["value"]
    recs[i_value] = _tamper(recs[i_value], result_json=canonical_json(res))

    i_trace = by[("U0", "SDM.1.a")]
    recs[i_trace] = _tamper(recs[i_trace], trace_json=canonical_json(json.loads(recs[i_trace]["trace_json"])[::-1] + ["x"]))

    i_input = by[("U1", "MP.3.a")]
    inp = json.loads(recs[i_input]["input_json"])
    inp["answer"] = "A" if inp.get("answer") != "A" else "D"
    recs[i_input] = _tamper(recs[i_input], input_json=canonical_json(inp))

    i_spaces = by[("U1", "PWS.1.a")]
    recs[i_spaces] = _tamper(recs[i_spaces], result_json=json.dumps(json.loads(recs[i_spaces]["result_json"]), indent=1))

    i_rev = by[("U1", "AKT.1.a")]
    recs[i_rev] = dict(recs[i_rev], instrument={"id": INST.id, "revision": "0" * 64})

    i_unreadable = by[("U1", "TL.1.a")]
    recs[i_unreadable] = _tamper(recs[i_unreadable], input_json="{not json")

    i_refused = by[("U1", "PP.1.a")]
    recs[i_refused] = _tamper(recs[i_refused], input_json=canonical_json({"answer": "Z", "evidence": 0}))

    rep = replay.replay(recs, {INST.revision: INST}, engine="plain")
    got = {m.index: m for m in rep.mismatches}
    assert set(got) == {i_value, i_trace, i_input, i_spaces, i_rev, i_unreadable, i_refused}
    assert rep.matched == len(recs) - 7 and not rep.ok
    assert got[i_value].reason == "result" and got[i_value].decision_id == recs[i_value]["decision_id"]
    assert got[i_value].stored["result"]["value"] == res["value"]
    assert got[i_value].replayed["result"]["value"] == 1 - res["value"]
    assert got[i_trace].reason == "trace"
    assert got[i_input].reason in ("result", "result+trace") and got[i_input].criterion == "MP.3.a"
    assert got[i_spaces].reason == "result"  # same meaning, other bytes: not what pmprb wrote
    assert got[i_rev].reason == "revision" and "000000000000" in got[i_rev].message
    assert got[i_unreadable].reason == "unreadable"
    assert got[i_refused].reason == "error" and "PP.1.a" in got[i_refused].message
    # the refused record shared its batch with others, which still replayed
    assert not any(m.criterion == gated["criterion"] and m.unit == "U0" for m in rep.mismatches)
    assert [m.index for m in rep.mismatches] == sorted(got)


def frozen_from(recs: list[dict], hasil: dict) -> dict:
    """A frozen result as ``final_result.freeze`` writes it, through JSON."""
    results = {r["criterion"]: json.loads(r["result_json"]) for r in recs}
    sc = score(INST, {cid: res["value"] for cid, res in results.items()}, hasil)
    return json.loads(canonical_json({
        "seq": 1, "hasil_inputs": hasil,
        "criteria": {r["criterion"]: {"decision_id": r["decision_id"], **{k: results[r["criterion"]][k]
                                                                          for k in ("value", "raw_value", "flags")}}
                     for r in recs},
        "score": {k: v for k, v in sc.items() if k not in ("instrument", "revision")}}))


HASIL = {"H.1.a": 70.05, "H.1.b": 3.8, "H.2.a": 3.31, "H.2.b": "WTP", "H.3.a": 3.117}


def test_frozen_result_recomputed_from_its_own_decisions():
    old = records_from("plain", worksheets=1, seed=1, kind="final")
    new = records_from("plain", worksheets=1, seed=2, kind="final")
    rep = replay.replay(old + new, {INST.revision: INST}, engine="plain")
    checks = replay.check_frozen(INST, rep, [frozen_from(old, HASIL), frozen_from(new, HASIL)], "plain")
    assert [c["ok"] for c in checks] == [True, True]


def test_changed_frozen_figures_are_named():
    recs = records_from("plain", worksheets=1, kind="final")
    rep = replay.replay(recs, {INST.revision: INST}, engine="plain")
    frozen = frozen_from(recs, HASIL)
    frozen["score"]["areas"]["MP"]["score"] += 0.01
    frozen["score"]["grade"] = "AA"
    frozen["criteria"]["SDM.1.a"]["value"] = 0.123
    (check,) = replay.check_frozen(INST, rep, [frozen], "plain")
    assert not check["ok"]
    assert [d["path"] for d in check["differences"]] == ["criteria.SDM.1.a.value", "score.areas.MP.score",
                                                         "score.grade"]


def test_frozen_result_resting_on_unknown_decisions_is_reported():
    recs = records_from("plain", worksheets=1, kind="final")
    rep = replay.replay(recs[1:], {INST.revision: INST}, engine="plain")
    (check,) = replay.check_frozen(INST, rep, [frozen_from(recs, HASIL)], "plain")
    assert not check["ok"] and "tidak ada di antara catatan yang diputar ulang" in check["message"]
    assert check["differences"] == [{"path": f"criteria.{recs[0]['criterion']}.decision_id",
                                     "frozen": recs[0]["decision_id"], "recomputed": None}]
    (check,) = replay.check_frozen(INST, rep, [{"seq": 2, "error": "final result no. 2 is not JSON any more"}])
    assert check == {"seq": 2, "ok": False, "differences": [], "message": "final result no. 2 is not JSON any more"}


def test_differences_compares_numbers_as_numbers_but_not_booleans():
    assert replay.differences({"a": 3, "b": [1, 2]}, {"a": 3.0, "b": [1, 2], "extra": 1}) == []
    assert replay.differences({"a": True}, {"a": 1}) == [{"path": "a", "frozen": True, "recomputed": 1}]
    assert replay.differences({"a": [1]}, {"a": [1, 2]}) == [{"path": "a", "frozen": [1], "recomputed": [1, 2]}]
    assert replay.differences({"a": 1}, {}) == [{"path": "a", "frozen": 1, "recomputed": None}]


def test_local_encoder_is_canonical_json():
    sample = {"value": 0.67, "raw_value": 1.0, "flags": ["gated_by:MP.1.a", "é"], "n": None}
    assert replay._ENCODE(sample) == canonical_json(sample)


@pytest.mark.skipif(not durable_available(), reason="durable_rules does not import on this Python")
def test_durable_replay_after_a_refused_batch_keeps_working():
    recs = records_from("durable", worksheets=2)
    recs[5] = dict(recs[5], input_json=canonical_json({"answer": "Z", "evidence": 0}))
    rep = replay.replay(recs, {INST.revision: INST}, engine="durable")
    assert [m.index for m in rep.mismatches] == [5] and rep.matched == len(recs) - 1


def test_nothing_to_replay_is_not_a_failure():
    rep = replay.replay([], {INST.revision: INST}, engine="plain")
    assert rep.ok and rep.total == rep.matched == 0 and rep.rate == 0.0
