"""The applicable weight (bobot penyesuaian) as a figure in a round, both sides.

Kota Batam 2023 (tests/data/rb-2023-oracles.json): the official result rescales RB
General by 86.5 without saying which lines it leaves out. Its line scores entered
as a round's answers, with 86.5 entered for the round's own scoring and recorded
as the official figure, reproduce the official Indeks to the cent in the final
result, the deviation, the RATL, replay and the ringkasan; `audit verify` checks
the rows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import text

import rb_round_support as rs
from pmprb import i18n
from pmprb.assessments import wiring
from pmprb.assessments.audit.replay import replay_round
from pmprb.assessments.coordinate import consensus, final_result, hasil, official, ratl
from pmprb.cli import main
from pmprb.engine import points_scoring
from pmprb.errors import PmprbError, StateError, ValidationError
from pmprb.reports import ringkasan
from rb_support import institutions, oracle_worksheet

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)

(BATAM,) = [o for o in institutions(consistent=True) if o["name"] == "Kota Batam"]
WS = oracle_worksheet(BATAM, published=False)
# Lines the official result leaves blank (not assessed) count nothing: the team enters the lowest score.
# (the Koefisien, blank too, is entered as 0: its range starts at -10).
ANSWERS = {cid: WS["answers"].get(cid, "0" if c.kind == "adjustment" else c.data.get("range", ["WTP"])[0])
           for cid, c in rs.INST.criteria.items()}
ST = BATAM["stored_totals"]
SOURCE = "LHE RB Kota Batam 2023 (portal evaluasi RB, bobot RB General penyesuaian)"


def batam_round(db):
    w = rs.build(db, evaluators=("ani",), given=ANSWERS)
    return w


def finalise(w):
    rs.to_consensus(w, evaluators=("ani",))
    w.as_("kora", lambda s, a, r: consensus.record_meeting(
        s, a, r, meeting_date=rs.MEETING, participants=["kora", "ani"], note="Rapat konsensus", today=rs.TODAY))
    w.as_("kora", lambda s, a, r: wiring.finalise(s, a, r))


def test_batam_end_to_end_reproduces_the_official_indeks(db):
    assert WS["applicable_weight"] == ST["bobot_rb_general_penyesuaian"] == 86.5
    w = batam_round(db)
    # The official result arrives with its weight: the official side is rescaled by it, the estimate
    # (no weight entered, no line answered not applicable) is not.
    w.as_("kora", lambda s, a, r: official.record(s, a, r, {}, source=SOURCE, applicable_weight="86,5"))
    d = w.read(lambda s: official.deviation(s, w.rnd(s)))
    assert d["basis"] == "current" and d["lines"] == []
    assert (d["estimate_total"], d["official_total"]) == (float(BATAM["stored_extra"]["index_raw"]), 81.92)
    assert d["applicable_weight"]["official"]["weight"] == 86.5
    assert d["applicable_weight"]["official"]["given"]["source"] == SOURCE
    assert d["applicable_weight"]["estimate"]["given"] is None
    assert d["applicable_weight"]["estimate"]["weight"] == 100.0
    # The team takes the weight for its own scoring too (round hasil --applicable-weight).
    change = w.as_("kora", lambda s, a, r: hasil.set_applicable_weight(s, a, r, "86.5", source=SOURCE))
    assert change == {"applicable_weight": "86.5", "side": "estimate", "source": SOURCE, "previous": None}
    assert w.as_("kora", lambda s, a, r: hasil.set_applicable_weight(s, a, r, "86.50", source=SOURCE)) is None
    assert w.read(lambda s: official.deviation(s, w.rnd(s)))["estimate_total"] == 81.92
    finalise(w)
    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    score = data["score"]
    assert score["components"]["general"]["score"] == ST["rb_general"] == 61.89
    assert score["components"]["tematik"]["score"] == ST["rb_tematik"] == 10.37
    assert score["rescale"]["weight"] == 86.5 and score["rescale"]["source"] == "input"
    assert score["rescale"]["rescaled"] == BATAM["stored_extra"]["rb_general_penyesuaian"] == 71.55
    assert score["indeks_rb"] == ST["index_rb_penyesuaian"] == 81.92
    assert data["applicable_weight"]["value"] == 86.5 and data["applicable_weight"]["source"] == SOURCE
    fr = w.read(lambda s: final_result.current(s, w.rnd(s)))
    assert fr.indeks_rb == 81.92
    # The official line scores: the deviation is nil, to the cent, on the same weight.
    values = {cid: (str(v), None) for cid, v in ANSWERS.items()}
    w.as_("kora", lambda s, a, r: official.record(s, a, r, values, source=SOURCE))
    d = w.read(lambda s: official.deviation(s, w.rnd(s)))
    assert d["basis"] == "final" and d["recorded"] == len(ANSWERS)
    assert (d["estimate_total"], d["official_total"], d["difference"]) == (81.92, 81.92, 0.0)
    assert all(x["difference"] in (0.0, None) and x["effect"] == 0.0 for x in d["lines"])
    assert d["applicable_weight"]["estimate"]["given"]["value"] == 86.5
    # One line off: its effect on the Indeks is rescaled by the official weight.
    cid = next(c for c, v in ANSWERS.items() if rs.INST.criteria[c].kind == "score"
               and rs.INST.criteria[c].area in ("1A", "1B", "1C") and float(v) > 10)
    lower = str(float(ANSWERS[cid]) - 10)
    w.as_("kora", lambda s, a, r: official.record(s, a, r, {cid: (lower, None)}, source=SOURCE))
    d = w.read(lambda s: official.deviation(s, w.rnd(s)))
    want = points_scoring.deviations(rs.INST, ANSWERS, {**ANSWERS, cid: lower}, applicable=86.5,
                                     estimate_applicable=86.5)
    assert (d["estimate_total"], d["official_total"]) == (want["estimate_total"], want["official_total"])
    line = {x["criterion"]: x for x in d["lines"]}[cid]
    assert line["effect"] == want["lines"][cid]["effect"] != 0
    without = points_scoring.deviations(rs.INST, ANSWERS, {**ANSWERS, cid: lower})
    assert line["effect"] != without["lines"][cid]["effect"]
    # RATL gains are rescaled by the same weight; replay recomputes the frozen result with it.
    gains = points_scoring.gains(rs.INST, ANSWERS, applicable=86.5)
    items = w.read(lambda s: ratl.list_items(s, w.rnd(s)))
    assert items and all(i.gain == pytest.approx(gains[i.criterion_id]["gain"], abs=1e-9) for i in items)
    report = w.read(lambda s: replay_round(s, w.rnd(s)))
    assert report.ok and report.scores and all(x["ok"] for x in report.scores)
    # The ringkasan shows both weights with their source.
    html = ringkasan.render_html(w.read(lambda s: ringkasan.build(s, w.rnd(s), "id")))
    assert "bobot penyesuaian resmi" in html and "bobot penyesuaian yang dimasukkan" in html and "86,50" in html
    # audit verify checks the rows; a weight changed outside pmprb is named.
    assert w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems == []
    with db.session() as s:
        s.execute(text("UPDATE applicable_weight SET value = '90' WHERE side = 'official'"))
        s.commit()
    problems = w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems
    assert any(p.check == "official" and "bobot penyesuaian (official)" in p.message for p in problems)


@pytest.mark.parametrize("weight,source,fragment", [
    ("0", SOURCE, "di atas 0"),
    ("100,5", SOURCE, "paling tinggi 100"),
    ("abc", SOURCE, "'abc'"),
    ("86.5", None, "--source"),
    ("86.5", "   ", "--source"),
])
def test_a_bad_weight_is_refused_on_both_sides(db, weight, source, fragment):
    w = batam_round(db)
    for fn in (lambda s, a, r: official.record(s, a, r, {}, source=source, applicable_weight=weight),
               lambda s, a, r: hasil.set_applicable_weight(s, a, r, weight, source=source)):
        with pytest.raises(ValidationError) as exc:
            w.as_("kora", fn)
        assert fragment in str(exc.value)


def test_who_and_when(db):
    w = batam_round(db)
    with pytest.raises(PmprbError):
        w.as_("ani", lambda s, a, r: official.record(s, a, r, {}, source=SOURCE, applicable_weight="86.5"))
    with pytest.raises(PmprbError):
        w.as_("ani", lambda s, a, r: hasil.set_applicable_weight(s, a, r, "86.5", source=SOURCE))
    finalise(w)
    # The team's own figure is part of the final result: not on a final round; the official one any time.
    with pytest.raises(StateError):
        w.as_("kora", lambda s, a, r: hasil.set_applicable_weight(s, a, r, "86.5", source=SOURCE))
    assert w.as_("kora", lambda s, a, r: official.record(s, a, r, {}, source=SOURCE, applicable_weight="86.5"))


def test_cli(db):
    w = batam_round(db)
    runner = CliRunner()
    env = {"PMPRB_USER": "kora", "PMPRB_DATABASE_URL": db.url, "PMPRB_NO_INPUT": "1", "COLUMNS": "200"}
    try:
        r = runner.invoke(main, ["round", "official", "--round", w.code, "--applicable-weight", "86,5",
                                 "--source", SOURCE], env=env)
        assert r.exit_code == 0, r.output
        assert "Nilai resmi ronde RB2024 dicatat: bobot penyesuaian" in r.output
        r = runner.invoke(main, ["round", "hasil", "--round", w.code, "--applicable-weight", "86.5",
                                 "--source", SOURCE], env=env)
        assert r.exit_code == 0, r.output
        r = runner.invoke(main, ["round", "hasil", "--round", w.code], env=env)
        assert r.exit_code == 0 and "Estimasi internal disesuaikan dengan bobot 86,50" in r.output, r.output
        r = runner.invoke(main, ["round", "official", "--round", w.code], env=env)
        assert r.exit_code == 0, r.output
        assert "Nilai resmi disesuaikan dengan bobot 86,50 (bobot penyesuaian resmi; sumber: LHE RB" in r.output
        assert "Estimasi internal disesuaikan dengan bobot 86,50" in r.output
        d = json.loads(runner.invoke(main, ["round", "official", "--round", w.code, "--json"], env=env).output)
        assert d["official_total"] == d["estimate_total"] == 81.92
        r = runner.invoke(main, ["round", "official", "--round", w.code, "--applicable-weight", "120",
                                 "--source", "x"], env=env)
        assert r.exit_code != 0 and "paling tinggi 100" in r.output and "Traceback" not in r.output
        r = runner.invoke(main, ["round", "official", "--help"], env=env)
        assert "--applicable-weight" in r.output
    finally:
        i18n.set_lang(None)


def test_a_weight_is_cleared_back_to_the_derived_one(db):
    w = batam_round(db)
    w.as_("kora", lambda s, a, r: official.record(s, a, r, {}, source=SOURCE, applicable_weight="86.5"))
    w.as_("kora", lambda s, a, r: hasil.set_applicable_weight(s, a, r, "86.5", source=SOURCE))
    assert w.read(lambda s: official.deviation(s, w.rnd(s)))["estimate_total"] == 81.92
    with pytest.raises(ValidationError):
        w.as_("kora", lambda s, a, r: official.record(s, a, r, {}, source=SOURCE, applicable_weight="86.5",
                                                      clear_applicable_weight=True))
    changes = w.as_("kora", lambda s, a, r: official.record(s, a, r, {}, clear_applicable_weight=True))
    assert changes == [{"applicable_weight": None, "side": "official", "source": None, "previous": "86.5"}]
    assert w.as_("kora", lambda s, a, r: hasil.set_applicable_weight(s, a, r, None, source=None))["previous"] == "86.5"
    assert w.as_("kora", lambda s, a, r: hasil.set_applicable_weight(s, a, r, None, source=None)) is None
    d = w.read(lambda s: official.deviation(s, w.rnd(s)))
    assert d["estimate_total"] == d["official_total"] == 72.26
    assert all(x["given"] is None and x["weight"] == 100.0 for x in d["applicable_weight"].values())
    # The deleted rows are in the ledger of their events: verify finds nothing wrong.
    assert w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems == []


def test_the_lke_workbook_keeps_the_given_weight(db, tmp_path):
    """The LKE workbook derives the applicable weight from the TB answers with a formula; a weight
    given as a figure cannot be derived, so the workbook holds it as a value and recalculates to
    the final result's figures (81.92)."""
    from openpyxl import load_workbook
    from report_support import recalculate, require_libreoffice
    from pmprb.reports import lke

    w = batam_round(db)
    w.as_("kora", lambda s, a, r: hasil.set_applicable_weight(s, a, r, "86.5", source=SOURCE))
    finalise(w)
    ctx = w.read(lambda s: lke.build(s, w.rnd(s), "id"))
    path = lke.write_xlsx_file(tmp_path / "lke.xlsx", ctx)
    cached = load_workbook(path, data_only=True)["LKE"]
    formulas = load_workbook(path)["LKE"]
    values = [c.value for row in cached.iter_rows() for c in row]
    assert 86.5 in values and 81.92 in values
    weight = next(c for row in formulas.iter_rows() for c in row if c.value == 86.5)
    assert weight.data_type == "n"
    require_libreoffice()
    again = load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)["LKE"]
    n = 0
    for row in formulas.iter_rows():
        for c in row:
            if c.data_type == "f" and cached[c.coordinate].value is not None:
                want, got = cached[c.coordinate].value, again[c.coordinate].value
                assert got == (want if isinstance(want, str) else pytest.approx(want, abs=1e-9)), c.coordinate
                n += 1
    assert n > len(rs.INST.criteria)


def test_an_instrument_that_rescales_nothing_takes_no_weight(db):
    from datetime import date

    from pmprb.assessments.setup import rounds
    from pmprb.assessments.setup.permissions import resolve_actor

    batam_round(db)
    db.run(lambda s: rounds.create_round(s, resolve_actor(s, "kora"), year=2024, code="LKE2024",
                                         instrument="pmprb-2014", deadline=date(2024, 5, 31)))
    for fn in (lambda s, a, r: official.record(s, a, r, {}, source=SOURCE, applicable_weight="86.5"),
               lambda s, a, r: hasil.set_applicable_weight(s, a, r, "86.5", source=SOURCE)):
        with pytest.raises(ValidationError) as exc:
            db.run(lambda s, fn=fn: fn(s, resolve_actor(s, "kora"), rounds.get_round(s, "LKE2024")))
        assert "pmprb-2014 tidak menyesuaikan komponen" in str(exc.value)
