"""Inline SVG charts: well-formed, self-contained, escaped, deterministic."""

import xml.etree.ElementTree as ET

import pytest

from pmprb.reports.charts import Bar, Series, bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    return root


def texts(root) -> list[str]:
    return [el.text for el in root.iter(f"{SVG}text")]


AREAS = [Bar("MP", 3.45, 5, hint="Manajemen Perubahan"), Bar("SDM", 9.0, 15), Bar("PWS", None, 12)]


def test_bar_chart_scales_tracks_to_weights_and_fills_to_scores():
    root = parse(bar_chart(AREAS, title="Pengungkit per area", lang="id"))
    rects = list(root.iter(f"{SVG}rect"))
    # per bar a track; a filled bar only where there is a value
    tracks = [r for r in rects if r.get("fill") == "#e8eef4"]
    fills = [r for r in rects if r.get("fill") == "#0072B2"]
    assert len(tracks) == 3 and len(fills) == 2
    w = {float(t.get("width")) for t in tracks}
    mp_track, sdm_track = float(tracks[0].get("width")), float(tracks[1].get("width"))
    assert sdm_track == pytest.approx(mp_track * 3)           # weight 15 vs 5
    assert float(fills[0].get("width")) == pytest.approx(mp_track * 3.45 / 5, abs=0.01)
    assert len(w) == 3
    labels = texts(root)
    assert "3,45 / 5,00 (69,00%)" in labels
    assert "9,00 / 15,00 (60,00%)" in labels
    assert "–" in labels                                        # PWS has no value
    assert "Manajemen Perubahan" in [el.text for el in root.iter(f"{SVG}title")]


def test_bar_chart_english_numbers():
    assert "3.45 / 5.00 (69.00%)" in texts(parse(bar_chart(AREAS, title="x", lang="en")))


def test_value_above_its_maximum_is_drawn_in_the_warning_colour():
    root = parse(bar_chart([Bar("MP", 5.2, 5)], title="x", lang="en"))
    over = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#D55E00"]
    assert len(over) == 1


def test_labels_are_escaped():
    svg = str(bar_chart([Bar("<script>alert(1)</script>", 1, 2)], title="A & B", lang="en"))
    assert "<script>" not in svg and "A &amp; B" in svg
    parse(svg)


def test_bar_chart_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one"):
        bar_chart([], title="x")
    with pytest.raises(ValueError, match="positive maximum"):
        bar_chart([Bar("MP", 1, 0)], title="x")


def test_line_chart_draws_each_series_with_gaps_for_missing_years():
    years = ["2014", "2015", "2016", "2017"]
    svg = line_chart(years, [Series("Indeks RB", [60.86, 71.41, None, 74.2]), Series("Hasil", [28.79, 30.95, 31.0, 32.0])],
                     title="Tren", lang="id", y_min=0, y_max=100, guides=[(60, "B"), (70, "BB"), (110, "never")])
    root = parse(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    # Indeks: 2014-2015 is one run, 2017 stands alone (no line); Hasil is one run of 4 points
    assert sorted(len(p.get("points").split()) for p in lines) == [2, 4]
    labels = texts(root)
    assert {"2014", "2015", "2016", "2017"} <= set(labels)
    assert "71,41" in labels and "74,20" in labels
    assert "BB" in labels and "never" not in labels           # guide outside the range is left out
    assert "Indeks RB" in labels and "Hasil" in labels


def test_line_chart_widens_a_requested_range_to_show_every_value():
    root = parse(line_chart(["2020"], [Series("x", [120.0])], title="t", y_min=0, y_max=100, lang="en"))
    circle = next(root.iter(f"{SVG}circle"))
    assert 0 <= float(circle.get("cy")) <= float(root.get("height"))


def test_line_chart_validates_lengths():
    with pytest.raises(ValueError, match="2 values for 3 x labels"):
        line_chart(["a", "b", "c"], [Series("s", [1, 2])], title="t")


def test_charts_are_deterministic():
    args = (["2014", "2015"], [Series("Indeks", [60.86, 71.41])])
    assert str(line_chart(*args, title="t", lang="en")) == str(line_chart(*args, title="t", lang="en"))


@pytest.mark.parametrize("lo, hi, expected", [
    (0, 15, [0, 5, 10, 15]),
    (0, 100, [0, 20, 40, 60, 80, 100]),
    (0, 12, [0, 2.5, 5, 7.5, 10, 12.5]),
    (28.5, 31.2, [28, 29, 30, 31, 32]),
])
def test_nice_ticks(lo, hi, expected):
    assert nice_ticks(lo, hi) == expected
