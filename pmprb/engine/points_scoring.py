"""Scoring a points instrument: from decided line points to its total, exactly.

Pure aggregation, like :mod:`pmprb.engine.scoring`, but for instruments that
sum points lines (:mod:`pmprb.engine.points`): a sub-area, area, theme and
component is the sum of its lines' points (each already rounded per line, so
sums are exact decimals); a line answered not applicable counts nothing. The
rescaled component (``scoring.rescale``) is divided by its applicable weight
and multiplied by its full weight, rounded to ``rescale.places``; the
applicable weight is the component's weight minus the weights of its lines
that do not apply, or an official figure given as input (the official result
may state it without saying which lines it leaves out). The total is the sum
of the components, the rescaled one after rescaling.

:func:`what_if` and :func:`gains` re-decide a changed worksheet with the
rules (both engines), so what a change would add to the total includes every
line it scales (a multiplier) and the rescaling.
"""

from __future__ import annotations

from pmprb import i18n

from decimal import Decimal
from fractions import Fraction

from pmprb.errors import ValidationError
from pmprb.engine import points
from pmprb.engine.grades import grade_for


def _d(x) -> Decimal:
    return Decimal(0) if x is None else Decimal(repr(float(x)))


def _f(d: Decimal | Fraction) -> float:
    return float(d)


def _pct(score: Decimal, weight) -> float:
    return _f(score / _d(weight) * 100) if weight else 0.0


def line_weight(inst, cid: str) -> float:
    """The weight a line brings to its sub-area, area, theme and component (0 for adjustments)."""
    c = inst.criteria[cid]
    return float(c.data.get("weight", 0)) if c.kind in ("score", "category") else 0.0


def applicable_weight(inst, values: dict, given=None) -> dict | None:
    """The rescaled component's applicable weight: given, or derived from the lines not applicable."""
    comp_id = points.rescaled_component(inst)
    if comp_id is None:
        if given is not None:
            raise ValidationError(i18n.t("pscore.this_instrument_rescales_no"))
        return None
    comp = next(c for c in inst.components if c["id"] == comp_id)
    area_comp = points.component_of_area(inst)
    na = [cid for cid, c in inst.criteria.items()
          if area_comp.get(c.area) == comp_id and cid in values and values[cid] is None]
    derived = _d(comp["weight"]) - sum((_d(line_weight(inst, cid)) for cid in na), Decimal(0))
    if given is not None:
        w = _d(given)
        if not 0 < w <= _d(comp["weight"]):
            raise ValidationError(i18n.t("pscore.applicable_weight_must_above", weight=comp['weight'], given=given))
    else:
        w = derived
        if w <= 0:
            raise ValidationError(i18n.t("pscore.no_line_component_applies", comp_id=comp_id))
    return {"component": comp_id, "weight": _f(w), "full_weight": comp["weight"],
            "source": "input" if given is not None else "derived", "derived_weight": _f(derived),
            "not_applicable": na}


def aggregate(inst, values: dict, applicable: float | None = None) -> dict:
    """Sub-areas, areas, themes, components, the rescaling, the total and the grade.

    ``values``: line -> points (None for a line answered not applicable); missing lines count 0.
    ``applicable``: the rescaled component's applicable weight when given as an official figure."""
    area_comp = points.component_of_area(inst)
    pts = {cid: _d(values.get(cid)) for cid in inst.criteria}
    areas, comps, themes = {}, {}, {}
    for comp in inst.components:
        comps[comp["id"]] = {"name": comp["name"], "name_en": comp.get("name_en", comp["name"]),
                             "weight": comp["weight"], "areas": [], "_score": Decimal(0)}
    for t in inst.data.get("themes", []):
        themes[t["id"]] = {"name": t["name"], "name_en": t.get("name_en", t["name"]), "lines": [],
                           "_score": Decimal(0), "_weight": Decimal(0)}
    for area in inst.areas:
        subs, area_score = {}, Decimal(0)
        for sub in area["subareas"]:
            s = sum((pts[c["id"]] for c in sub["criteria"]), Decimal(0))
            subs[sub["id"]] = {"name": sub["name"], "name_en": sub.get("name_en", sub["name"]), "score": _f(s),
                               "weight": sub["weight"], "percent": _pct(s, sub["weight"])}
            area_score += s
            for c in sub["criteria"]:
                t = c.get("theme")
                if t:
                    themes[t]["_score"] += pts[c["id"]]
                    themes[t]["_weight"] += _d(line_weight(inst, c["id"]))
                    themes[t]["lines"].append(c["id"])
        areas[area["code"]] = {"name": area["name"], "name_en": area.get("name_en", area["name"]),
                               "component": area_comp.get(area["code"]), "score": _f(area_score),
                               "weight": area["weight"], "percent": _pct(area_score, area["weight"]),
                               "subareas": subs}
        comp = comps.get(area_comp.get(area["code"]))
        if comp is not None:
            comp["_score"] += area_score
            comp["areas"].append(area["code"])
    rescale = applicable_weight(inst, values, applicable)
    total = Decimal(0)
    for cid, comp in comps.items():
        score = comp.pop("_score")
        counted = score
        if rescale and rescale["component"] == cid:
            places = inst.data["scoring"]["rescale"].get("places", 2)
            counted = points.round_half_up(Fraction(score) / Fraction(_d(rescale["weight"])) *
                                           Fraction(_d(comp["weight"])), places)
            rescale.update(score=_f(score), rescaled=_f(counted))
        comp.update(score=_f(score), counted=_f(counted), percent=_pct(counted, comp["weight"]))
        total += counted
    for t in themes.values():
        s, w = t.pop("_score"), t.pop("_weight")
        t.update(score=_f(s), weight=_f(w), percent=_pct(s, w))
    band = grade(inst, _f(total))
    return {
        "instrument": inst.id, "revision": inst.revision, "method": "points",
        "indeks_rb": _f(total), "grade": band["grade"], "grade_label": band["label"],
        "grade_confirmed": band["confirmed"], "components": comps, "areas": areas, "themes": themes,
        "rescale": rescale,
    }


def grade(inst, total: float) -> dict:
    """The grade band of a total; a total beyond the bands (a positive or negative
    adjustment line can push it there) takes the nearest band."""
    bands = inst.data.get("grade_bands")
    if not bands:
        return {"grade": None, "label": None, "confirmed": None}
    top = max(b["upto"] for b in bands)
    band = grade_for(inst, min(max(total, 0.0), top))
    return {"grade": band["grade"], "label": band["label"], "confirmed": band.get("confirmed", True)}


# ---------------------------------------------------------------------------
# what a change would do


def what_if(inst, answers: dict, changes: dict, *, evidence: dict | None = None, applicable: float | None = None,
            engine: str | None = None, evaluator=None) -> dict:
    """The aggregate of ``answers`` with ``changes`` applied, re-decided by the rules."""
    from pmprb.engine.evaluator import Evaluator

    ev = evaluator or Evaluator(inst, engine)
    try:
        evaluation = ev.evaluate({**answers, **changes}, evidence or {})
    finally:
        if evaluator is None:
            ev.close()
    return aggregate(inst, evaluation.values(), applicable)


def gains(inst, answers: dict, *, evidence: dict | None = None, applicable: float | None = None,
          engine: str | None = None, evaluator=None, lines: list[str] | None = None) -> dict:
    """For each line: what raising it to its best answer adds to the total, with every
    line it multiplies and the rescaling included.

    ``{line: {"to": answer, "gain": points, "total": new total}}``; None for a line that
    does not apply (or has no known best answer)."""
    from pmprb.engine.evaluator import Evaluator

    from pmprb.engine.inputs import normalise_answers

    answers = normalise_answers(inst, answers)
    ev = evaluator or Evaluator(inst, engine)
    try:
        base = _d(what_if(inst, answers, {}, evidence=evidence, applicable=applicable, evaluator=ev)["indeks_rb"])
        out = {}
        na = points.na_answer(inst)
        for cid in lines or list(inst.criteria):
            best = points.best_answer(inst, cid)
            if best is None or (na is not None and answers.get(cid) == na):
                out[cid] = None
                continue
            new = what_if(inst, answers, {cid: best}, evidence=evidence, applicable=applicable, evaluator=ev)
            out[cid] = {"to": best, "gain": _f(_d(new["indeks_rb"]) - base), "total": new["indeks_rb"]}
        return out
    finally:
        if evaluator is None:
            ev.close()


def contribution(inst, cid: str, value: float | None, score: dict | None = None) -> dict:
    """What a points line adds to its sub-area, area, component and the total: its own points.

    ``gain_if_best`` is the line's own headroom; what raising it adds to the total, with the
    lines it multiplies and the rescaling, is :func:`gains`."""
    c = inst.criterion(cid)
    sub, area = inst.subarea(c.subarea), inst.area(c.area)
    best = points.max_points(inst, cid)
    pts = value or 0.0
    comp_id = points.component_of_area(inst).get(c.area)
    out = {
        "scored": True, "applicable": value is not None, "points": pts, "max_points": best,
        "gain_if_best": max(best - pts, 0.0) if value is not None else 0.0,
        "subarea": {"id": sub["id"], "name": sub.get("name"), "weight": sub["weight"]},
        "area": {"code": area["code"], "name": area.get("name"), "weight": area["weight"]},
        "component": {"id": comp_id}, "indeks": {},
    }
    if score:
        a = score.get("areas", {}).get(c.area, {})
        out["subarea"].update(score=a.get("subareas", {}).get(c.subarea, {}).get("score"))
        out["area"].update(score=a.get("score"), percent=a.get("percent"))
        comp = score.get("components", {}).get(comp_id, {})
        out["component"].update(score=comp.get("score"), counted=comp.get("counted"), weight=comp.get("weight"))
        out["indeks"] = {"indeks_rb": score.get("indeks_rb"), "grade": score.get("grade")}
    return out


def deviations(inst, estimate: dict, official: dict, *, applicable: float | None = None,
               estimate_applicable: float | None = None, engine: str | None = None, evaluator=None) -> dict:
    """An internal estimate against the official values, line by line.

    For every line either side answers: both answers and points, the difference in points,
    and ``effect``: what the estimate of that line alone changes in the official total
    (official answers with this one line at its estimate; multipliers and rescaling included).
    Totals of both sides and their difference come with it, and, for an instrument that rescales
    a component, the applicable weight each side is rescaled by (``rescale``: ``applicable`` for
    the official side, ``estimate_applicable`` for the estimate, else derived from the lines).
    Re-decided by the rules."""
    from pmprb.engine.evaluator import Evaluator
    from pmprb.engine.inputs import normalise_answers

    estimate, official = normalise_answers(inst, estimate), normalise_answers(inst, official)
    ev = evaluator or Evaluator(inst, engine)
    try:
        est = ev.evaluate(estimate)
        off = ev.evaluate(official)
        est_agg = aggregate(inst, est.values(), estimate_applicable)
        off_agg = aggregate(inst, off.values(), applicable)
        est_total, off_total = est_agg["indeks_rb"], off_agg["indeks_rb"]
        lines = {}
        for cid in inst.criteria:
            a, b = estimate.get(cid), official.get(cid)
            if a is None and b is None:
                continue
            pe, po = est.decisions[cid].result.value, off.decisions[cid].result.value
            entry = {"estimate": a, "official": b, "estimate_points": pe, "official_points": po,
                     "difference": None if pe is None or po is None else _f(_d(pe) - _d(po)), "effect": 0.0}
            if a != b:
                moved = what_if(inst, official, {cid: a}, applicable=applicable, evaluator=ev)["indeks_rb"]
                entry["effect"] = _f(_d(moved) - _d(off_total))
            lines[cid] = entry
    finally:
        if evaluator is None:
            ev.close()
    rescale = None
    if est_agg["rescale"]:
        keep = ("component", "weight", "full_weight", "source", "derived_weight", "not_applicable")
        rescale = {side: {k: agg["rescale"][k] for k in keep} for side, agg in (("estimate", est_agg),
                                                                                ("official", off_agg))}
    return {"estimate_total": est_total, "official_total": off_total,
            "difference": _f(_d(est_total) - _d(off_total)), "lines": lines, "rescale": rescale}
