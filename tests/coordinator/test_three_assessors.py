"""The acceptance scenario: three assessors, disagreements planted in two
areas (MP and SDM). The review shows exactly those disputes, the agreement
figures equal a hand computation, consensus resolves them, and the final
Indeks equals scoring the consensus answers directly with `pmprb score`."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import yaml
from click.testing import CliRunner

import coordinator_support as cs
from agreement_by_hand import ordinal_sums
from pmprb.assessments import wiring
from pmprb.assessments.coordinate import consensus, final_result, review
from pmprb.cli import main
from pmprb.engine.instrument import load_instrument

INST = load_instrument("pmprb-2014")

# Baseline: MP.1.b B, MP.3.c C, SDM.1.c Tidak, SDM.5.d C (see coordinator_support.baseline).
PLANTED = {
    "citra": {"MP.1.b": "A", "SDM.5.d": "A"},   # MP.1.b: B/B/A; SDM.5.d: C/C/A
    "budi": {"MP.3.c": "D", "SDM.1.c": "Ya"},   # MP.3.c: C/D/C; SDM.1.c: Tidak/Ya/Tidak
}
AGREED = {"MP.1.b": "B", "MP.3.c": "C", "SDM.1.c": "Ya", "SDM.5.d": "B"}  # B: nobody's answer, allowed


@pytest.fixture
def world(db, fixed_clock):
    return cs.build(db, overrides=PLANTED)


def by_hand_agreement(w, area: str) -> tuple[int, int, float]:
    """Percent agreement and ordinal alpha of one area from the answers themselves:
    alpha per answer type (never pooling values of different types), combined."""
    cids = [cid for cid, c in INST.criteria.items() if c.area == area]
    units = {cid: {a: INST.criteria[cid].values[w.answers[a][cid]] for a in cs.ASSESSORS} for cid in cids}
    agreed = sum(1 for u in units.values() if len(set(u.values())) == 1)
    strata: dict[str, dict] = {}
    for cid, u in units.items():
        strata.setdefault(INST.criteria[cid].answer_type, {})[cid] = u
    sums = [ordinal_sums(u) for u in strata.values() if len({v for x in u.values() for v in x.values()}) > 1]
    return len(cids), agreed, float(1 - sum(o for o, _ in sums) / sum(e for _, e in sums))


def test_three_assessors_two_areas(world, tmp_path, monkeypatch):
    cs.to_review(world)
    d = world.as_("kora", lambda s, a, r: review.review(s, a, r))
    disputed = {c["criterion"]: c for c in d["criteria"] if c["status"] == "disputed"}
    assert sorted(disputed) == sorted(AGREED)
    assert {cid: c["spread"] for cid, c in disputed.items()} == {"MP.1.b": 0.33, "MP.3.c": 0.33, "SDM.1.c": 1.0,
                                                                "SDM.5.d": 0.5}
    assert d["summary"]["merged"] == 146 - 4

    agreement = {a["area"]: a for a in d["agreement"]}
    for area in ("MP", "SDM"):
        items, agreed, alpha = by_hand_agreement(world, area)
        got = agreement[area]
        assert (got["items"], got["agreed"], got["coders"]) == (items, agreed, 3)
        assert got["percent"] == pytest.approx(agreed / items * 100)
        assert got["alpha"] == pytest.approx(alpha, abs=1e-12)
        assert got["warnings"] == []
    # The hand figures themselves: MP 16 of 18, SDM 37 of 39 criteria agreed.
    assert (agreement["MP"]["agreed"], agreement["MP"]["items"]) == (16, 18)
    assert agreement["MP"]["percent"] == pytest.approx(float(Fraction(16, 18) * 100))
    assert (agreement["SDM"]["agreed"], agreement["SDM"]["items"]) == (37, 39)
    # Areas without planted disputes agree fully; small ones carry the warning.
    assert agreement["PWS"]["percent"] == 100.0 and agreement["PWS"]["alpha"] == 1.0
    assert agreement["PPU"]["warnings"] == ["few_items"] and agreement["AKT"]["warnings"] == ["few_items"]

    cs.accept_all(world)
    world.as_("kora", lambda s, a, r: wiring.start_consensus(s, a, r))
    open_items = world.read(lambda s: [i.criterion_id for i in consensus.list_items(s, world.rnd(s), state="open")])
    assert open_items == ["MP.1.b", "MP.3.c", "SDM.1.c", "SDM.5.d"]
    for cid, answer in AGREED.items():
        cs.resolve(world, cid, answer)
    cs.set_hasil(world)
    cs.finalise(world)
    frozen = world.read(lambda s: final_result.data_of(final_result.current(s, world.rnd(s))))

    # The consensus answers: what every assessor agreed on, and the four agreed in the meeting.
    answers = dict(world.answers["ani"], **AGREED)
    assert {cid: c["answer"] for cid, c in frozen["criteria"].items()} == answers
    sheet = tmp_path / "konsensus.yaml"
    sheet.write_text(yaml.safe_dump({"instrument": "pmprb-2014", "answers": answers,
                                     "hasil": {k: (v if k == "H.2.b" else float(v)) for k, v in cs.HASIL_2014.items()}},
                                    allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("PMPRB_DATABASE_URL", world.db.url)
    res = CliRunner().invoke(main, ["score", str(sheet), "--json"])
    assert res.exit_code == 0, res.output
    scored = json.loads(res.stdout)
    score = frozen["score"]
    assert score["indeks_rb"] == scored["indeks_rb"]
    assert (score["pengungkit"], score["hasil"], score["grade"]) == (scored["pengungkit"], scored["hasil"],
                                                                    scored["grade"])
    assert {a: v["score"] for a, v in score["areas"].items()} == {a: v["score"] for a, v in scored["areas"].items()}
