"""Agreement statistics: percent agreement and ordinal alpha against a hand computation."""

from __future__ import annotations

import math

import pytest

from agreement_by_hand import ordinal_alpha
from pmprb.engine.agreement import MIN_ALPHA_ITEMS, area_agreement, krippendorff_ordinal

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
