"""The coordinator's flow is generic over the instrument: a Zona Integritas
round (one unit; count and computed % items; predicates instead of letter
grades; its own Hasil parts) goes through review, consensus, finalisation,
RATL and the documents with no code that knows which instrument it is."""

from __future__ import annotations

import pytest

import coordinator_support as cs
from pmprb.assessments import wiring
from pmprb.assessments.coordinate import consensus, final_result, hasil, ratl, review
from pmprb.engine import scoring
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument
from pmprb.reports import lke, ringkasan

ZI = load_instrument("zi-2021")
COUNTS = [cid for cid, c in ZI.criteria.items() if c.kind == "count"]
COMPUTED = [cid for cid, c in ZI.criteria.items() if c.kind == "computed"]
CHOICE = [cid for cid, c in ZI.criteria.items() if c.kind == "choice"]


def hasil_inputs() -> dict[str, str]:
    """Any valid figure for each part, from the instrument's own data."""
    out = {}
    for p in ZI.hasil_parts():
        out[p["id"]] = f"{(p['min'] + p['max']) / 2:g}" if p["kind"] == "scale" else p["categories"][1]["code"]
    return out


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_a_zi_round_end_to_end(db, tmp_path):
    disputed_count, disputed_choice = COUNTS[0], CHOICE[0]
    other = next(a for a, _t in ZI.criteria[disputed_choice].options if a != cs.baseline("zi-2021")[disputed_choice])
    w = cs.build(db, instrument="zi-2021", code="ZI-2024", unit_scoped=True,
                 overrides={"budi": {disputed_count: "12", disputed_choice: other},
                            "citra": {disputed_count: "12"}})
    cs.to_review(w)
    d = w.as_("kora", lambda s, a, r: review.review(s, a, r))
    status = {c["criterion"]: c["status"] for c in d["criteria"]}
    assert status[disputed_count] == "disputed" and status[disputed_choice] == "disputed"
    assert {status[c] for c in COMPUTED} == {"computed"}
    counts_area = next(a for a in d["agreement"] if a["area"] == ZI.criteria[disputed_count].area)
    assert counts_area["items"] > counts_area["alpha_items"]  # counts count in % agreement, not in alpha

    cs.accept_all(w)
    w.as_("kora", lambda s, a, r: wiring.start_consensus(s, a, r))
    assert w.read(lambda s: [i.criterion_id for i in consensus.list_items(s, w.rnd(s))]) == sorted(
        [disputed_count, disputed_choice], key=lambda c: ZI.criteria[c].order)
    cs.resolve(w, disputed_count, "12")
    cs.resolve(w, disputed_choice, other)
    parts = hasil_inputs()
    values = hasil.resolve_inputs(ZI, {}, [f"{k}={v}" for k, v in parts.items()])
    w.as_("kora", lambda s, a, r: hasil.set_inputs(s, a, r, values))
    cs.finalise(w)

    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    assert data["criteria"][disputed_count]["answer"] == "12"
    assert {data["criteria"][c]["source"] for c in COMPUTED} == {"computed"}
    answers = {cid: c["answer"] for cid, c in data["criteria"].items() if c["answer"] is not None}
    inputs = {k: (float(v) if p["kind"] == "scale" else v)
              for k, v, p in ((k, v, hasil.parts_by_id(ZI)[k]) for k, v in values.items())}
    direct = scoring.score(ZI, evaluate(ZI, answers).values(), inputs)
    assert data["score"]["indeks_rb"] == pytest.approx(direct["indeks_rb"], abs=1e-9)
    assert data["score"]["grade"] is None and [p["id"] for p in data["score"]["predicates"]] == [
        p["id"] for p in ZI.predicates]

    plan = w.read(lambda s: ratl.list_items(s, w.rnd(s)))
    assert plan and not {i.criterion_id for i in plan} & set(COUNTS)  # counts are inputs, not weaknesses
    below = {cid for cid, c in data["criteria"].items()
             if ZI.criteria[cid].scored and c["value"] < ZI.criteria[cid].best_value}
    assert {i.criterion_id for i in plan} == below

    for module in (lke, ringkasan):
        ctx = w.read(lambda s, m=module: m.build(s, w.rnd(s), "id"))
        assert module.render_html(ctx).startswith("<!DOCTYPE html>")
    rk = w.read(lambda s: ringkasan.build(s, w.rnd(s), "en"))
    assert rk["grade"] is None and rk["predicates"] and rk["predicates"][0]["thresholds"]

    # The LKE workbook of an instrument with counts, computed % items and no grade bands: LibreOffice
    # recalculates every formula (counts summed, ratios capped) to pmprb's figures.
    ctx = w.read(lambda s: lke.build(s, w.rnd(s), "id"))
    path = lke.write_xlsx_file(tmp_path / "lke-zi.xlsx", ctx)
    from openpyxl import load_workbook
    from report_support import recalculate, require_libreoffice

    cached = load_workbook(path, data_only=True)["LKE"]
    formulas = load_workbook(path)["LKE"]
    rows = {r[1].value: r[1].row for r in formulas.iter_rows(min_row=5) if r[1].value}
    for cid in COMPUTED:
        if ZI.criteria[cid].scored:
            assert formulas[f"G{rows[cid]}"].data_type == "f"
            assert cached[f"G{rows[cid]}"].value == pytest.approx(data["criteria"][cid]["value"])
    require_libreoffice()
    again = load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)["LKE"]
    for row in formulas.iter_rows():
        for c in row:
            if c.data_type == "f" and cached[c.coordinate].value is not None:
                want, got = cached[c.coordinate].value, again[c.coordinate].value
                assert got == (want if isinstance(want, str) else pytest.approx(want, abs=1e-9)), c.coordinate
