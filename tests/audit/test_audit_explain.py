"""`pmprb audit explain`: the value chain, contributions that add up, and refusals."""

from __future__ import annotations


import pytest

from pmprb.engine import explain as engine_explain
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument

from audit_support import build, json_out

INST = load_instrument("pmprb-2014")


def test_multiply_gate_is_explained_step_by_step():
    ev = evaluate(INST, {"SDM.4.b": "B", "SDM.4.c": "Ya"}, {"SDM.4.b": 1, "SDM.4.c": 1}, engine="plain")
    d = ev.decisions["SDM.4.c"]
    chain = engine_explain.decision_steps(INST, d)
    prev = ev.decisions["SDM.4.b"].result.value
    assert 0 < prev < 1
    assert [s["kind"] for s in chain["steps"]] == ["answer", "gate"]
    assert [s["value_after"] for s in chain["steps"]] == [1.0, prev]
    (g,) = chain["gating"]
    assert (g["prerequisite"], g["gate"], g["effect"], g["prerequisite_value"]) == \
        ("SDM.4.b", "multiply_by_previous", "multiply", prev)
    assert chain["value"] == d.result.value == prev


@pytest.mark.parametrize("instrument", ["pmprb-2014", "zi-2021"])
def test_every_step_agrees_with_the_evaluator_on_random_worksheets(instrument):
    """The explained chain ends where the evaluator ended, for choice, count and computed items."""
    import random

    inst = load_instrument(instrument)
    rng = random.Random(11)
    for _ in range(20):
        answers = {}
        for cid, c in inst.criteria.items():
            if c.kind == "computed" or rng.random() > 0.9:
                continue
            answers[cid] = rng.choice(list(c.values)) if c.is_choice else rng.randint(0, 20)
        ev = evaluate(inst, answers, {cid: rng.randint(0, 1) for cid in inst.criteria}, engine="plain")
        for d in ev.decisions.values():
            chain = engine_explain.decision_steps(inst, d)
            assert chain["steps"][-1]["value_after"] == d.result.value, d
            assert [s["rule"] for s in chain["steps"]] == list(d.trace) and all(s["known"] for s in chain["steps"])


def test_contributions_add_up_to_pengungkit(final_round):
    with final_round.db.session() as s:
        from pmprb.assessments.audit import explain
        from pmprb.assessments.setup import rounds

        rnd = rounds.get_round(s, "2024")
        total, pengungkit = 0.0, None
        for cid, c in INST.criteria.items():
            d = explain.explain(s, rnd, cid)
            total += d["contribution"]["points"]
            pengungkit = d["contribution"]["indeks"]["pengungkit"]
    assert total == pytest.approx(pengungkit, abs=1e-9) and pengungkit > 0


def test_gated_criterion_as_json(final_round):
    data = json_out(final_round.cli("audit", "explain", "--round", "2024", "--criterion", "MP.1.b", "--json"))
    assert data["criterion"]["id"] == "MP.1.b" and data["consensus"] is None
    assert [a["assessor"] for a in data["assessors"]] == ["ani", "budi", "citra"]
    # An SK (a decree) cited for MP.1.b, which asks for proof of activity: the rules say so (issue 16).
    assert data["final"]["trace"] == ["MP.1.b/answer:B", "MP.1.b/evidence:kind:kegiatan",
                                      "MP.1.b/gate:zero_if_answer:MP.1.a"]
    assert data["chain"]["documents"]["period"] == 2024 and data["chain"]["documents"]["cited"][0]["kind"] == "keputusan"
    assert data["chain"]["evidence_advice"] and "Keputusan" in data["chain"]["evidence_advice"][0]
    assert data["final_result"]["entry"]["decision_id"] == data["final"]["decision_id"]
    assert data["chain"]["gating"][0]["prerequisite_answer"] == "C"
    c = data["contribution"]
    assert c["points"] == 0 and c["gain_if_best"] == pytest.approx(c["share"]) and c["items_in_subarea"] == 3
    (ev,) = data["evidence"]
    assert ev["number"] == "800/12/2024" and len(ev["sha256"]) == 64 and ev["document_date"] == "2024-01-15"
    # The RATL action alone gains nothing while MP.1.a (C) zeroes it; it says it waits for MP.1.a.
    assert data["ratl"]["criterion"] == "MP.1.b" and data["ratl"]["gain"] == 0
    assert "setelah MP.1.a diperbaiki" in data["ratl"]["rekomendasi"]


def test_english_text(final_round):
    res = final_round.cli("audit", "explain", "--round", "2024", "--criterion", "MP.2.b", lang="en")
    assert res.exit_code == 0
    assert "Criterion MP.2.b: Road Map telah mencakup 8 area perubahan" in res.stdout
    assert "final answer: A (source: consensus meeting decision)" in res.stdout
    assert "item MP.2.b: resolved, value spread 1.00" in res.stdout


@pytest.mark.parametrize("args,code,message", [
    (["--criterion", "XX.9"], 3, "kriteria 'XX.9' tidak ada dalam instrumen"),
    (["--criterion", "MP.1.a", "--unit", "NOPE"], 3, "NOPE"),
    (["--criterion", "MP.1.a", "--round", "1999"], 3, "ronde '1999' tidak ditemukan"),
])
def test_refusals(final_round, args, code, message):
    base = ["audit", "explain"] + (["--round", "2024"] if "--round" not in args else [])
    res = final_round.cli(*base, *args)
    assert res.exit_code == code and message in res.stderr


def test_unit_filter_and_a_unit_outside_the_round(final_round):
    from pmprb.assessments.setup import units

    admin = final_round.actor("admin")
    final_round.run(lambda s: units.add_unit(s, admin, code="BAPPEDA", name="Bappeda"))
    res = final_round.cli("audit", "explain", "--round", "2024", "--criterion", "MP.1.a", "--unit", "BAPPEDA")
    assert res.exit_code == 3 and "unit BAPPEDA tidak dinilai pada ronde 2024" in res.stderr
    data = json_out(final_round.cli("audit", "explain", "--round", "2024", "--criterion", "MP.1.a", "--unit",
                                    "DINKES", "--json"))
    assert data["unit"] == "DINKES" and {a["unit"] for a in data["assessors"]} == {"DINKES"}


def test_round_not_finalised_explains_what_there_is(db, tmp_path):
    w = build(db, tmp_path, finalise=False)
    res = w.cli("audit", "explain", "--round", "2024", "--criterion", "MP.2.b")
    assert res.exit_code == 0
    assert "belum ada keputusan akhir (ronde belum difinalisasi)" in res.stdout
    assert "butir MP.2.b: status open, selisih nilai 1,00" in res.stdout
    assert "DINKES · citra (Citra Asesor): C → nilai 0,00" in res.stdout
    data = json_out(w.cli("audit", "explain", "--round", "2024", "--criterion", "MP.2.b", "--json"))
    assert data["final"] is None and data["contribution"] is None and data["ratl"] is None


@pytest.mark.parametrize("lang,clock", [("id", r"\d\d\.\d\d"), ("en", r"\d\d:\d\d")])
def test_times_and_dates_read_as_people_write_them(final_round, lang, clock):
    import re

    from pmprb.dates import MONTHS

    res = final_round.cli("audit", "explain", "--round", "2024", "--criterion", "MP.2.b", lang=lang)
    assert res.exit_code == 0, res.output
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", res.stdout), res.stdout   # no ISO timestamps
    # "20 Mei 2024 14.05 WIB": the final decision, the frozen result, the evidence upload at least.
    words = re.compile(r"\d{1,2} (%s) \d{4} %s WI(B|TA|T)\b" % ("|".join(MONTHS[lang]), clock))
    assert len([line for line in res.stdout.splitlines() if words.search(line)]) >= 3, res.stdout
