"""The official regression: KemenPANRB's evaluation of BPS (2015 and 2014) must be reproduced."""

from __future__ import annotations

import pytest

from pmprb.numbers import machine_number
from pmprb.engine.worksheet import parse_worksheet

from engine_support import bps, engines

# The reference's official figures are rounded (Pengungkit and Hasil to 4 places,
# the Indeks to 2); full precision must sit within 0.0001 of them before rounding.
TOL = 1e-4


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize("year", [2015, 2014])
def test_bps_official_result_is_reproduced(year, engine):
    ev = bps()[year]
    official = ev["official"]
    ws = parse_worksheet({"instrument": "pmprb-2014", "answers": ev["answers"], "hasil": ev["hasil_inputs"]},
                         source=f"bps-{year}")
    assert len(ws.answers) == 146
    r = ws.score(engine)
    assert abs(r["pengungkit"] - official["pengungkit"]) < TOL
    assert abs(r["hasil"] - official["hasil"]) < TOL
    # The published Indeks is Pengungkit + Hasil rounded to 2 places.
    assert abs(r["indeks_rb"] - (official["pengungkit"] + official["hasil"])) < TOL
    assert machine_number(r["indeks_rb"]) == f"{official['indeks_rb']:.2f}"
    assert r["grade"] == official["grade"]


def test_bps_2015_figures_are_the_ones_the_issue_names():
    # Guards against a changed reference file silently moving the target.
    ev = bps()
    assert ev[2015]["official"] == {"pengungkit": 40.4543, "hasil": 30.952, "indeks_rb": 71.41, "grade": "BB"}
    assert (ev[2014]["official"]["indeks_rb"], ev[2014]["official"]["grade"]) == (60.86, "B")


@pytest.mark.parametrize("engine", engines())
def test_bps_2015_promosi_terbuka_is_multiplied_as_the_2015_worksheet_does(engine):
    ev = bps()[2015]
    ws = parse_worksheet({"instrument": "pmprb-2014", "answers": ev["answers"]})
    crit = ws.score(engine)["criteria"]
    # SDM.4.b = C (0.33): SDM.4.c = Ya scores 1 x 0.33; SDM.4.d/e = Tidak stay 0.
    assert (ev["answers"]["SDM.4.b"], ev["answers"]["SDM.4.c"]) == ("C", "Ya")
    assert crit["SDM.4.c"]["value"] == pytest.approx(0.33, abs=1e-12)
    assert crit["SDM.4.c"]["flags"] == ["claimed_without_evidence", "gated_by:SDM.4.b"]
