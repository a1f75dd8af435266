"""An internal evaluation round on an Indeks RB 2023 instrument, end to end with the
existing workflow: indicator values with the evaluating agencies' result documents,
review, consensus, finalisation, official values and their deviation, RATL ranked by
Indeks gain, documents, replay and explain — with no code that knows the instrument."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

import rb_round_support as rs
from pmprb.assessments import wiring
from pmprb.assessments.audit import explain as audit_explain
from pmprb.assessments.audit.replay import replay_round
from pmprb.assessments.coordinate import consensus, final_result, official, ratl, review
from pmprb.engine import points_scoring
from pmprb.engine.evaluator import evaluate
from pmprb.errors import PmprbError, ValidationError
from pmprb.reports import berita_acara, lke, ratl as ratl_report, ringkasan

INST = rs.INST
pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


@pytest.fixture
def final(db):
    return rs.finalised(db)


def test_review_and_consensus_compare_points(db):
    w = rs.build(db)
    rs.to_consensus(w)
    items = w.read(lambda s: {i.criterion_id: i for i in consensus.list_items(s, w.rnd(s))})
    assert set(items) == set(rs.DISPUTED)
    # Answers compare by the points they give before any multiplier: WTP (5) against WDP=3.33.
    assert items["1C13a"].spread == pytest.approx(1.67)
    assert items["1B15"].spread == pytest.approx(abs(float(rs.estimate("1B15")) - 70) / 100 * 4)
    d = w.as_("kora", lambda s, a, r: review.review(s, a, r))
    status = {c["criterion"]: c for c in d["criteria"]}
    assert {cid for cid, c in status.items() if c["status"] == "disputed"} == set(rs.DISPUTED)
    assert status["1C13a"]["spread"] == pytest.approx(1.67)


def test_a_round_end_to_end(final):
    w = final
    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    answers = rs.final_answers(w)
    assert {cid: e["answer"] for cid, e in data["criteria"].items()} == answers
    direct = points_scoring.aggregate(INST, evaluate(INST, answers).values())
    assert data["score"]["indeks_rb"] == direct["indeks_rb"]
    assert data["score"]["components"] == json.loads(json.dumps(direct["components"]))
    assert data["score"]["rescale"]["not_applicable"] == [rs.NOT_APPLICABLE]
    fr = w.read(lambda s: final_result.current(s, w.rnd(s)))
    assert (fr.pengungkit, fr.hasil, fr.indeks_rb) == (direct["indeks_rb"], 0.0, direct["indeks_rb"])
    assert w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems == []


def test_ratl_is_ranked_by_indeks_gain_multipliers_included(final):
    w = final
    items = w.read(lambda s: ratl.list_items(s, w.rnd(s)))
    gains = points_scoring.gains(INST, rs.final_answers(w))
    assert items, "lines below their maximum are actions"
    for item in items:
        assert item.gain == pytest.approx(gains[item.criterion_id]["gain"], abs=1e-9), item.criterion_id
        assert item.best_value == INST.criteria[item.criterion_id].best_value
    assert [i.gain for i in items] == sorted((i.gain for i in items), reverse=True)
    # Raising a multiplier line adds what the lines it scales gain too.
    by_id = {i.criterion_id: i for i in items}
    assert "1C12b" in json.loads(by_id["1B15"].unlocks_json)
    own = INST.criteria["1B15"].best_value - data_value(w, "1B15")
    assert by_id["1B15"].gain > own
    assert rs.NOT_APPLICABLE not in by_id


def data_value(w, cid):
    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    return data["criteria"][cid]["value"]


def test_official_values_deviation_and_audit(final, db, tmp_path):
    w = final
    changes = w.as_("kora", lambda s, a, r: official.record(
        s, a, r, {"1B15": ("75,2", None), "1C13a": ("WDP=3.33", "LHP BPK No. 5/2024")},
        source="LHE AKIP Kabupaten Contoh 2023"))
    assert [c["criterion"] for c in changes] == ["1B15", "1C13a"]
    d = w.read(lambda s: official.deviation(s, w.rnd(s)))
    assert d["basis"] == "final" and [x["criterion"] for x in d["lines"]] == ["1B15", "1C13a"]
    estimate = rs.final_answers(w)
    want = points_scoring.deviations(INST, estimate, {**estimate, "1B15": "75.2", "1C13a": "WDP=3.33"})
    assert (d["estimate_total"], d["official_total"], d["difference"]) == (
        want["estimate_total"], want["official_total"], want["difference"])
    line = {x["criterion"]: x for x in d["lines"]}
    assert line["1B15"]["effect"] == want["lines"]["1B15"]["effect"] != 0
    assert line["1C13a"]["official_points"] == 3.33 and line["1C13a"]["source"] == "LHP BPK No. 5/2024"
    assert line["1B15"]["official"] == "75.2" and line["1B15"]["source"] == "LHE AKIP Kabupaten Contoh 2023"
    # The frozen result does not move; recording the same again changes nothing.
    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    assert data["criteria"]["1B15"]["answer"] == estimate["1B15"]
    assert w.as_("kora", lambda s, a, r: official.record(s, a, r, {"1B15": ("75.2", "LHE AKIP Kabupaten Contoh "
                                                                            "2023")})) == []
    assert w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems == []
    # A value changed outside pmprb is named by verify.
    with db.session() as s:
        s.execute(text("UPDATE official_value SET value = '90' WHERE criterion_id = '1B15'"))
        s.commit()
    problems = w.read(lambda s: wiring.verify(s, w.rnd(s).id)).problems
    assert any(p.check == "official" and "1B15" in p.message for p in problems)


@pytest.mark.parametrize("values,fragment", [
    ({"1B15": ("101", "x")}, "1B15"),                 # outside its range
    ({"1C13a": ("WDP", "x")}, "WDP=<poin>"),          # points unknown: must be given
    ({"KOEF04": ("TB", "x")}, "KOEF04"),             # the Koefisien cannot be not applicable
    ({"XX": ("1", "x")}, "XX"),
    ({"1B15": ("70", None)}, "sumber"),                # no source
])
def test_official_values_refused(final, values, fragment):
    w = final
    with pytest.raises(ValidationError) as exc:
        w.as_("kora", lambda s, a, r: official.record(s, a, r, values))
    assert fragment in str(exc.value)


def test_only_a_koordinator_records_official_values(final):
    with pytest.raises(PmprbError):
        final.as_("ani", lambda s, a, r: official.record(s, a, r, {"1B15": ("70", "x")}))


def test_documents_render(final, tmp_path):
    w = final
    w.as_("kora", lambda s, a, r: official.record(s, a, r, {"1C22": ("72.5", "Hasil SPI 2024")}))
    rk = w.read(lambda s: ringkasan.build(s, w.rnd(s), "id"))
    assert [h["label"] for h in rk["headline"]] == ["RB General", "RB Tematik", "Indeks RB"]
    general, tematik = rk["components"]
    assert [a["code"] for a in general["areas"]] == ["1A", "1B", "1C", "KOEF"] and general["rescale"]
    assert [t["id"] for t in tematik["themes"]] == ["kemiskinan", "investasi", "digitalisasi", "pdn", "inflasi"]
    assert sum(t["score"] for t in tematik["themes"]) == pytest.approx(tematik["score"])
    assert [x["criterion"] for x in rk["deviation"]["lines"]] == ["1C22"]
    html = ringkasan.render_html(rk)
    for fragment in ("RB Tematik per tema", "Estimasi internal dan nilai resmi", "Hasil SPI 2024", "Disesuaikan"):
        assert fragment in html
    en = ringkasan.render_html(w.read(lambda s: ringkasan.build(s, w.rnd(s), "en")))
    assert "RB Tematik (thematic) by theme" in en and "Internal estimate and official values" in en
    for module in (lke, ratl_report, berita_acara):
        ctx = w.read(lambda s, m=module: m.build(s, w.rnd(s), "id"))
        assert module.render_html(ctx).startswith("<!DOCTYPE html>")
    ctx = w.read(lambda s: ratl_report.build(s, w.rnd(s), "id"))
    html = ratl_report.render_html(ctx)
    assert "Naik (poin)" in html and "1C12b" in html


def test_lke_workbook_recalculates_to_pmprb_figures(final, tmp_path):
    from openpyxl import load_workbook
    from report_support import recalculate, require_libreoffice

    w = final
    ctx = w.read(lambda s: lke.build(s, w.rnd(s), "id"))
    path = lke.write_xlsx_file(tmp_path / "lke.xlsx", ctx)
    cached = load_workbook(path, data_only=True)["LKE"]
    formulas = load_workbook(path)["LKE"]
    rows = {r[1].value: r[1].row for r in formulas.iter_rows(min_row=5) if r[1].value}
    assert formulas[f"G{rows['1A12']}"].data_type == "f"
    assert cached[f"G{rows['1A12']}"].value == data_value(w, "1A12")
    require_libreoffice()
    again = load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)["LKE"]
    n = 0
    for row in formulas.iter_rows():
        for c in row:
            if c.data_type == "f" and cached[c.coordinate].value is not None:
                want, got = cached[c.coordinate].value, again[c.coordinate].value
                assert got == (want if isinstance(want, str) else pytest.approx(want, abs=1e-9)), c.coordinate
                n += 1
    assert n > len(INST.criteria)


def test_replay_and_explain(final):
    w = final
    report = w.read(lambda s: replay_round(s, w.rnd(s)))
    assert report.ok and report.total == report.matched > len(INST.criteria)
    assert report.scores and all(s["ok"] for s in report.scores)
    d = w.read(lambda s: audit_explain.explain(s, w.rnd(s), "1A12", lang="id"))
    assert d["contribution"]["points"] == data_value(w, "1A12")
    assert d["contribution"]["component"]["id"] == "general"
    from pmprb.presentation.explain_text import render

    out = render(d)
    assert "poin = nilai ÷ 100 × bobot 7" in out and "komponen general" in out
    assert "dikali" in out or "gated_by:1A11" in out
