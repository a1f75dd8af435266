"""The LKE ZI instrument as data: structure, weights, formulas, decisions."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pmprb.engine.formulas import refs
from pmprb.engine.instrument import Instrument

from zi_support import zi

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "lke-zi-2021-partial.json"  # tests/data/SOURCES.md


def test_shape_components_areas_rows():
    inst = zi()
    assert inst.data["scope"] == "unit"
    assert len(inst.criteria) == 134
    kinds = Counter(c.kind for c in inst.criteria.values())
    assert kinds == {"choice": 102, "count": 22, "computed": 10}
    assert [(c["id"], c["weight"]) for c in inst.components] == [("P", 30), ("R", 30)]
    per_comp = Counter(a["component"] for a in inst.areas)
    assert per_comp == {"P": 6, "R": 6}
    codes = [a["code"] for a in inst.areas]
    assert len(set(codes)) == 12
    groups = {g["id"]: sum(a["weight"] for a in inst.areas if a["group"] == g["id"]) for g in inst.area_groups}
    assert groups == {"MP": 8, "TL": 7, "SDM": 10, "AKT": 10, "PWS": 15, "PP": 10}
    for area in inst.areas:
        assert sum(s["weight"] for s in area["subareas"]) == pytest.approx(area["weight"])
    hasil = {c["id"]: (c["weight"], [(p["id"], p["weight"]) for p in c["parts"]])
             for c in inst.data["hasil"]["components"]}
    assert hasil == {"H.1": (22.5, [("H.1.a", 17.5), ("H.1.b", 5)]), "H.2": (17.5, [("H.2.a", 17.5)])}


def test_counts_are_not_scored_and_percentages_are():
    inst = zi()
    for c in inst.criteria.values():
        if c.kind == "count" or c.is_count_valued:
            assert not c.scored, c.id
        else:
            assert c.scored, c.id


@pytest.mark.parametrize("cid, kind, a, b, both", [
    ("R.MP.1.a", "ratio", "R.MP.1.a.2", "R.MP.1.a.1", 0),
    ("R.MP.1.b", "ratio", "R.MP.1.b.2", "R.MP.1.b.1", 0),
    ("R.SDM.3.a", "decrease", "R.SDM.3.a.1", "R.SDM.3.a.2", 1),
    ("R.AKT.1.a", "ratio", "R.AKT.1.a.2", "R.AKT.1.a.1", 0),
    ("R.PWS.2.a", "ratio", "R.PWS.2.a.3", "R.PWS.2.a.1", 1),
    ("R.PWS.3.a", "ratio", "R.PWS.3.a.5", "R.PWS.3.a.1", 1),
    ("R.PWS.3.b", "ratio", "R.PWS.3.b.5", "R.PWS.3.b.1", 1),
    ("R.PP.1.b", "ratio", "R.PP.1.b.2", "R.PP.1.b.1", 0),
])
def test_each_percentage_declares_its_formula(cid, kind, a, b, both):
    f = zi().criterion(cid).formula
    assert f["kind"] == kind
    if kind == "ratio":
        assert (f["numerator"], f["denominator"]) == (a, b)
    else:
        assert (f["previous"], f["current"]) == (a, b)
    assert (f["cap"], f["floor"], f["when_both_zero"], f["when_zero_denominator"]) == (1, 0, both, 0)


def test_obliged_to_report_is_the_sum_of_its_breakdown():
    inst = zi()
    for item in ("R.PWS.3.a", "R.PWS.3.b"):
        total = inst.criterion(f"{item}.1")
        assert total.kind == "computed" and total.formula["kind"] == "sum"
        assert refs(total) == [f"{item}.2", f"{item}.3", f"{item}.4"]


def test_every_known_gap_has_a_decision_with_a_reason():
    inst = zi()
    gaps = {d["gap"]: d for d in inst.decisions}
    for gap in ("inovasi-weight", "lhkpn-list", "percentage-pairing", "zero-counts", "wbbm-thresholds"):
        assert gap in gaps
        assert gaps[gap]["decision"].strip() and gaps[gap]["reason"].strip()
        assert gaps[gap]["decision_en"].strip() and gaps[gap]["reason_en"].strip()


def test_reference_rows_all_present():
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    rows = [it for comp in ref["components"] for a in comp["areas"] for s in a["subareas"] for it in s["items"]]
    assert len(rows) == len(zi().criteria)
    ref_types = Counter(it["answer_type"] for it in rows)
    ours = Counter(c.answer_type for c in zi().criteria.values())
    # Two items become A/B/C (decision options-vs-guide) and two counts become computed sums (lhkpn-list).
    assert ours["A/B/C"] == ref_types["A/B/C"] + 2 and ours["A/B/C/D"] == ref_types["A/B/C/D"] - 2
    assert ours["Jumlah"] + ours["Jumlah (otomatis)"] == ref_types["Jumlah"]
    assert ours["%"] == ref_types["%"]


def test_wbbm_is_declared_but_not_confirmed():
    preds = {p["id"]: p for p in zi().predicates}
    assert preds["WBK"]["confirmed"] is True
    assert preds["WBBM"]["confirmed"] is False
    wbk = {t["id"]: (t["measure"], t.get("target"), t["min"]) for t in preds["WBK"]["thresholds"]}
    assert wbk == {"total": ("total", None, 75), "pengungkit": ("pengungkit", None, 40),
                   "area": ("group_percent", "*", 60), "bersih_akuntabel": ("hasil_component", "H.1", 18.25),
                   "pelayanan_prima": ("hasil_component", "H.2", 14)}


def test_revision_survives_a_round_trip_through_canonical_json():
    inst = zi()
    again = Instrument.from_canonical_json(inst.canonical_json)
    assert again.revision == inst.revision
    assert {c.kind for c in again.criteria.values()} == {"choice", "count", "computed"}
