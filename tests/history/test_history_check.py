"""Checking published tables: recomputation, rounding allowance, grades."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from history_tables import CONSISTENT, HEADER, ZI_2022, replace
from pmprb.engine.history import check, decimals, layout, parse_csv, possible_grades, rounding_error

D = Decimal


def run(text: str):
    return check(parse_csv(text, "t.csv"))


def flagged(result) -> list[tuple]:
    return [(c.year, c.item, c.field, c.published, c.recomputed, c.allowed) for c in result.inconsistencies]


def test_consistent_table_flags_nothing():
    result = run(CONSISTENT)
    assert result.consistent and result.inconsistencies == [] and result.skipped == []
    assert result.years == (2016, 2017) and result.instrument == "pmprb-2014"
    kinds = {(c.item, c.kind) for c in result.checks if c.year == 2016}
    assert {("MP", "percent"), ("MP", "weight"), ("MP", "range"), ("PENGUNGKIT", "sum"), ("HASIL", "sum"),
            ("INDEKS", "sum"), ("GRADE", "grade")} <= kinds


def test_wrong_percentage():
    result = run(replace(CONSISTENT, 2016, "MP", "percent", "70.00"))
    # 3.45 / 5 x 100 = 69; the value's rounding (0.005) moves that by 0.1, the percentage's own by 0.005
    assert flagged(result) == [(2016, "MP", "percent", D("70.00"), D("69"), D("0.105"))]


def test_wrong_indeks():
    result = run(replace(CONSISTENT, 2017, "INDEKS", "value", "75.43").replace("2017,INDEKS,100,75.43,74.43",
                                                                              "2017,INDEKS,100,75.43,75.43"))
    [c] = result.inconsistencies
    assert (c.year, c.item, c.kind, c.published, c.recomputed, c.allowed) == (
        2017, "INDEKS", "sum", D("75.43"), D("74.43"), D("0.015"))
    assert c.inputs == ("PENGUNGKIT", "HASIL")


def test_wrong_pengungkit_shows_in_its_own_sum_and_in_the_indeks_it_feeds():
    result = run(replace(CONSISTENT, 2017, "PENGUNGKIT", "value", "44.62").replace(
        "2017,PENGUNGKIT,60,44.62,72.70", "2017,PENGUNGKIT,60,44.62,74.37"))
    assert [(c.item, c.kind, c.recomputed, c.allowed) for c in result.inconsistencies] == [
        ("PENGUNGKIT", "sum", D("43.62"), D("0.045")),   # 8 areas x 0.005 + 0.005
        ("INDEKS", "sum", D("75.43"), D("0.015")),
    ]


@pytest.mark.parametrize("pengungkit, flagged_", [
    ("40.46", False), ("40.38", False), ("40.47", True), ("40.37", True),
    ("40.465", True),   # a 3-decimal total claims more precision, so it is allowed less: 0.0405
])
def test_a_total_off_only_by_rounding_is_not_flagged(pengungkit, flagged_):
    # The eight areas add up to 40.42; each was rounded to 2 decimals, the total too:
    # 8 x 0.005 + 0.005 (or 0.0005 for a 3-decimal total) is what rounding can explain.
    table = HEADER + "\n".join([
        "2016,MP,5,3.45,", "2016,PPU,5,2.80,", "2016,ORG,6,4.20,", "2016,TL,5,3.60,", "2016,SDM,15,9.75,",
        "2016,AKT,6,4.50,", "2016,PWS,12,7.80,", "2016,PP,6,4.32,", f"2016,PENGUNGKIT,60,{pengungkit},"]) + "\n"
    [c] = [c for c in run(table).checks if c.kind == "sum"]
    assert c.recomputed == D("40.42")
    assert c.allowed == (D("0.0405") if pengungkit == "40.465" else D("0.045"))
    assert c.ok is not flagged_


def test_official_bps_results_are_consistent():
    # KemenPANRB's evaluation of BPS: Pengungkit 40.4543 + Hasil 30.952 = 71.4063, published as 71.41 (BB);
    # 2014: 32.0727 + 28.7875 = 60.8602 -> 60.86 (B).
    table = HEADER + """\
2015,PENGUNGKIT,60,40.4543,
2015,HASIL,40,30.952,
2015,INDEKS,100,71.41,
2015,GRADE,,BB,
2014,PENGUNGKIT,60,32.0727,
2014,HASIL,40,28.7875,
2014,INDEKS,100,60.86,
2014,GRADE,,B,
"""
    result = run(table)
    assert result.consistent
    indeks_2015 = next(c for c in result.checks if (c.year, c.item, c.kind) == (2015, "INDEKS", "sum"))
    assert indeks_2015.recomputed == D("71.4063") and indeks_2015.allowed == D("0.00555")
    # totals without their parts cannot be recomputed: said, not silently passed
    assert {(s.year, s.item) for s in result.skipped} == {(2014, "PENGUNGKIT"), (2014, "HASIL"),
                                                          (2015, "PENGUNGKIT"), (2015, "HASIL")}


def test_wrong_grade():
    result = run(replace(CONSISTENT, 2017, "GRADE", "value", "A"))
    [c] = result.inconsistencies
    assert (c.year, c.item, c.kind, c.published, c.recomputed, c.basis, c.allowed) == (
        2017, "GRADE", "grade", "A", "BB", D("74.43"), D("0.005"))


@pytest.mark.parametrize("indeks, grade, ok", [
    ("70.00", "B", True), ("70.00", "BB", True),     # 70.00 may be 69.995..70.005: B or BB
    ("69.99", "BB", False), ("70.01", "B", False),
    ("70", "BB", True), ("70", "B", True),           # written without decimals: 69.5..70.5
    ("90.00", "AA", True), ("30.00", "D", True), ("30.01", "D", False),
])
def test_grade_at_a_band_boundary(indeks, grade, ok):
    result = run(HEADER + f"2016,INDEKS,,{indeks},\n2016,GRADE,,{grade},\n")
    [c] = [c for c in result.checks if c.item == "GRADE"]
    assert c.ok is ok


def test_unknown_grade():
    [c] = run(HEADER + "2016,INDEKS,,74.43,\n2016,GRADE,,Z,\n").inconsistencies
    assert c.kind == "grade_unknown" and c.recomputed == "BB"


def test_grade_follows_the_indeks_from_totals_when_no_indeks_is_published():
    result = run(HEADER + "2016,PENGUNGKIT,,40.42,\n2016,HASIL,,29.54,\n2016,GRADE,,BB,\n")
    [c] = result.inconsistencies
    assert c.basis == D("69.96") and c.recomputed == "B" and c.allowed == D("0.010")


def test_indeks_from_the_parts_when_totals_are_not_published():
    text = "\n".join(line for line in CONSISTENT.splitlines()
                     if ",PENGUNGKIT," not in line and ",HASIL," not in line) + "\n"
    result = run(text)
    assert result.consistent
    c = next(c for c in result.checks if (c.year, c.item) == (2016, "INDEKS") and c.kind == "sum")
    assert c.recomputed == D("69.96") and len(c.inputs) == 11 and c.allowed == D("0.060")


def test_value_above_its_weight():
    [c] = run(HEADER + "2016,MP,5,5.20,104.00\n").inconsistencies
    assert (c.kind, c.published, c.recomputed) == ("range", D("5.20"), D("5"))


def test_weight_that_differs_from_the_instrument():
    result = run(HEADER + "2016,SDM,12,9.00,75.00\n")
    assert [(c.kind, c.published, c.recomputed) for c in result.inconsistencies] == [("weight", D("12"), D("15.0"))]


def test_nothing_to_check_for_a_grade_without_indeks():
    result = run(HEADER + "2016,GRADE,,BB,\n")
    assert result.checks == [] and [(s.item, s.missing) for s in result.skipped] == [("GRADE", ("INDEKS",))]


def test_rounding_error_follows_the_decimals_written():
    assert [decimals(D(x)) for x in ("71", "71.4", "71.41", "40.4543")] == [0, 1, 2, 4]
    assert [rounding_error(D(x)) for x in ("71", "71.4", "71.41")] == [D("0.5"), D("0.05"), D("0.005")]


def test_possible_grades():
    lay = layout()
    assert possible_grades(lay, D("69.995"), D("70.005")) == ["BB", "B"]
    assert possible_grades(lay, D("0"), D("0")) == ["D"]
    assert possible_grades(lay, D("100.1"), D("100.2")) == []


# ---------------------------------------------------------------------------
# The allowance is exactly what rounding explains: any honestly rounded table
# passes, and a figure moved beyond its allowance is caught.

AREAS = {"MP": 5, "PPU": 5, "ORG": 6, "TL": 5, "SDM": 15, "AKT": 6, "PWS": 12, "PP": 6}
HASIL = {"H.1": 20, "H.2": 10, "H.3": 10}


def rnd(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@st.composite
def honest_tables(draw):
    """True (unrounded) scores, published rounded to some number of decimals each."""
    fractions = st.integers(min_value=0, max_value=10**6)
    true = {item: D(draw(fractions)) / 10**6 * w for item, w in {**AREAS, **HASIL}.items()}
    true["PENGUNGKIT"] = sum(true[a] for a in AREAS)
    true["HASIL"] = sum(true[h] for h in HASIL)
    true["INDEKS"] = true["PENGUNGKIT"] + true["HASIL"]
    weights = {**AREAS, **HASIL, "PENGUNGKIT": 60, "HASIL": 40, "INDEKS": 100}
    rows = []
    for item, x in true.items():
        v, p = draw(st.integers(1, 4)), draw(st.integers(0, 3))
        rows.append(f"2020,{item},{weights[item]},{rnd(x, v)},{rnd(x / weights[item] * 100, p)}")
    return HEADER + "\n".join(rows) + "\n", true


@settings(max_examples=150, deadline=None)
@given(honest_tables())
def test_honestly_rounded_tables_are_never_flagged(case):
    text, _ = case
    assert run(text).inconsistencies == []


@settings(max_examples=100, deadline=None)
@given(honest_tables(), st.sampled_from(["MP", "SDM", "PENGUNGKIT", "H.2", "HASIL", "INDEKS"]))
def test_a_figure_moved_beyond_its_allowance_is_flagged(case, item):
    text, _ = case
    figures = {c.item: c for c in run(text).checks if c.kind == "sum"}
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if line.split(",")[1] == item)
    cells = lines[i].split(",")
    value = D(cells[3])
    # far enough to escape every relation the figure takes part in
    cells[3] = str(value + D("0.5") if value < 50 else value - D("0.5"))
    lines[i] = ",".join(cells)
    result = run("\n".join(lines) + "\n")
    assert any(c.item == item or item in c.inputs for c in result.inconsistencies), figures


def test_another_instrument_brings_its_own_items_and_weights():
    table = replace(ZI_2022, 2022, "R.PP", "percent", "85.00")
    result = check(parse_csv(table, "zi.csv", instrument="zi-2021"), "zi-2021")
    assert result.instrument == "zi-2021"
    assert [(c.item, c.field, c.recomputed) for c in result.inconsistencies] == [("R.PP", "percent", D("80"))]
    assert [(s.item, s.missing) for s in result.skipped] == [("GRADE", ("grade_bands",))]   # ZI has no letter grades
    with pytest.raises(Exception, match="'MP' tidak dikenal"):
        parse_csv(HEADER + "2022,MP,5,3.45,\n", instrument="zi-2021")
