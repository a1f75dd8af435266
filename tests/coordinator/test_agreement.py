"""Agreement statistics: percent agreement and ordinal alpha against a hand computation."""

from __future__ import annotations

import math

import pytest

from agreement_by_hand import ordinal_alpha, ordinal_sums
from pmprb.engine.agreement import MIN_ALPHA_ITEMS, TENTATIVE, area_agreement, krippendorff_ordinal, overall_agreement

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": four observers A-D,
# twelve units, values 1..5, with gaps. Published: nominal .743, ordinal .815, interval .849.
_ROWS = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
         "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
         "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
         "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
KRIPPENDORFF_2011 = {f"u{j + 1}": {coder: row[j] for coder, row in _ROWS.items() if row[j] is not None}
                     for j in range(12)}


def test_package_matches_the_hand_computation_on_krippendorffs_example():
    by_hand = ordinal_alpha(KRIPPENDORFF_2011)
    assert krippendorff_ordinal(KRIPPENDORFF_2011) == pytest.approx(float(by_hand), abs=1e-12)
    assert round(float(by_hand), 3) == 0.815  # the published ordinal alpha


def test_three_assessors_on_lke_values():
    # Three working papers, five criteria on the A/B/C/D scale; one disagreement on c2.
    units = {"c1": {"x": 1, "y": 1, "z": 1}, "c2": {"x": 0.67, "y": 0.67, "z": 1}, "c3": {"x": 0.33, "y": 0.33, "z": 0.33},
             "c4": {"x": 0, "y": 0, "z": 0}, "c5": {"x": 0.67, "y": 0.67, "z": 0.67}}
    a = area_agreement("MP", {k: {c: str(v) for c, v in u.items()} for k, u in units.items()}, units)
    assert (a.items, a.agreed, a.coders) == (5, 4, 3)
    assert a.percent == 80.0
    assert a.alpha == pytest.approx(float(ordinal_alpha(units)), abs=1e-12)
    assert a.warnings == ["few_items"]  # 5 < 10


def test_no_warning_from_ten_items_and_single_answers_do_not_count():
    units = {f"c{i}": {"x": i % 3 / 2, "y": i % 3 / 2} for i in range(MIN_ALPHA_ITEMS)}
    units["single"] = {"x": 1.0}
    a = area_agreement("SDM", {k: {c: str(v) for c, v in u.items()} for k, u in units.items()}, units)
    assert a.items == MIN_ALPHA_ITEMS and a.alpha_items == MIN_ALPHA_ITEMS
    assert a.alpha == 1.0 and a.warnings == []


def test_no_variation_gives_no_alpha_not_one():
    units = {f"c{i}": {"x": 1.0, "y": 1.0} for i in range(12)}
    a = area_agreement("PP", {k: {c: "A" for c in u} for k, u in units.items()}, units)
    assert a.percent == 100.0 and a.alpha is None and a.warnings == ["no_variation"]


def test_too_few_pairable_items():
    a = area_agreement("PPU", {"c1": {"x": "A", "y": "B"}, "c2": {"x": "A"}}, {"c1": {"x": 1.0, "y": 0.5}})
    assert a.items == 1 and a.agreed == 0 and a.percent == 0.0
    assert a.alpha is None and a.warnings == ["no_pairs"]
    empty = area_agreement("TL", {}, {})
    assert empty.percent is None and empty.to_dict()["percent"] is None


def test_counts_join_percent_agreement_but_not_alpha():
    answers = {"n1": {"x": "12", "y": "13"}, **{f"c{i}": {"x": "A", "y": "A" if i else "B"} for i in range(3)}}
    values = {f"c{i}": {"x": 1.0, "y": 1.0 if i else 0.5} for i in range(3)}
    a = area_agreement("P.SDM", answers, values)
    assert (a.items, a.agreed, a.alpha_items) == (4, 2, 3)
    assert not math.isnan(a.alpha)


# Two answer types in one area: A/B/C (B = 0.5) and A/B/C/D/E (C = 0.5). Pooled on one value scale,
# B of A/B/C would count as C of A/B/C/D/E; per type, each keeps its own ordinal scale.
ABC = {"t1": {"x": 1, "y": 0.5, "z": 1}, "t2": {"x": 0.5, "y": 0.5, "z": 0}, "t3": {"x": 0, "y": 0, "z": 0.5},
       "t4": {"x": 1, "y": 1, "z": 1}}
ABCDE = {"f1": {"x": 0.75, "y": 0.5, "z": 0.75}, "f2": {"x": 0.25, "y": 0.25, "z": 0},
         "f3": {"x": 1, "y": 1, "z": 0.75}, "f4": {"x": 0.5, "y": 0.5, "z": 0.5}}
TYPES = {**{k: "A/B/C" for k in ABC}, **{k: "A/B/C/D/E" for k in ABCDE}}


def _answers(units):
    return {k: {c: str(v) for c, v in u.items()} for k, u in units.items()}


def test_alpha_per_answer_type_is_never_pooled_across_types():
    units = {**ABC, **ABCDE}
    a = area_agreement("MP", _answers(units), units, TYPES)
    by_type = {t.answer_type: t for t in a.by_type}
    # Each type's alpha is Krippendorff's ordinal alpha of that type alone (by hand and by the package).
    for name, data in (("A/B/C", ABC), ("A/B/C/D/E", ABCDE)):
        assert by_type[name].alpha == pytest.approx(float(ordinal_alpha(data)), abs=1e-12)
        assert by_type[name].alpha == pytest.approx(krippendorff_ordinal(data), abs=1e-12)
        assert by_type[name].items == 4 and by_type[name].values == 12
    # The area's alpha combines the types' disagreements (each on its own scale), by hand in fractions.
    sums = [ordinal_sums(ABC), ordinal_sums(ABCDE)]
    assert a.alpha == pytest.approx(float(1 - sum(o for o, _ in sums) / sum(e for _, e in sums)), abs=1e-12)
    # Pooling every value on one scale (what alpha did before) gives another figure.
    assert abs(a.alpha - float(ordinal_alpha(units))) > 0.01
    d = a.to_dict()
    assert d["alpha_by"] == "answer_type" and [t["answer_type"] for t in d["by_type"]] == ["A/B/C", "A/B/C/D/E"]


def test_an_area_below_0667_is_flagged_and_overall_alpha_covers_every_area():
    good = {f"g{i}": {"x": v, "y": v, "z": v} for i, v in enumerate([1, 0.5, 0, 1, 0.5, 0, 1, 0.5, 0, 1])}
    poor = {f"p{i}": {"x": 1, "y": 0, "z": 0.5 if i % 2 else 1} for i in range(10)}
    types = {k: "A/B/C" for k in {**good, **poor}}
    ok = area_agreement("AKT", _answers(good), good, types)
    bad = area_agreement("PWS", _answers(poor), poor, types)
    assert ok.alpha == 1.0 and not ok.flagged and ok.warnings == []
    assert bad.alpha < TENTATIVE and bad.flagged and bad.warnings == ["below_tentative"]
    assert bad.to_dict()["flagged"] is True and bad.to_dict()["tentative"] == 0.667
    overall = overall_agreement({"AKT": (_answers(good), good), "PWS": (_answers(poor), poor)}, types)
    assert overall.area == "*" and overall.items == 20 and overall.alpha_items == 20
    assert overall.alpha == pytest.approx(float(ordinal_alpha({**good, **poor})), abs=1e-12)  # one type: plain alpha
    assert bad.alpha < overall.alpha < ok.alpha
