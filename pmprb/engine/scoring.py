"""Scoring: pure functions from decided values to the Indeks RB.

Full precision throughout; round only for display (:func:`display`).
Sub-area = mean of its scored items' values x weight (counts are inputs, not
scored); area = sum of its sub-areas; component / area group = sum of its
areas (when the instrument declares them); Pengungkit = sum of areas; Hasil
from its parts; Indeks RB = Pengungkit + Hasil; grade from bands whose lower
bound is exclusive (no grade when the instrument declares no bands);
predicates, when declared, are decided by rules (:mod:`pmprb.engine.predicates`).
"""

from __future__ import annotations

from pmprb import i18n

import math

from pmprb.errors import ValidationError
from pmprb.engine.grades import grade_for
from pmprb.engine.instrument import Instrument


def hasil_part_value(part: dict, raw) -> float:
    """Convert one Hasil input to its points (validated)."""
    if part["kind"] == "scale":
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            try:
                raw = float(str(raw).replace(",", "."))
            except ValueError:
                raise ValidationError(
                    i18n.t("scoring.hasil_expected_number_within", id=part['id'], name=part['name'], min=part['min'], max=part['max'], raw=raw)
                ) from None
        if not math.isfinite(raw) or not part["min"] <= raw <= part["max"]:
            raise ValidationError(
                i18n.t("scoring.hasil_outside", id=part['id'], name=part['name'], raw=raw, min=part['min'], max=part['max']))
        return (raw - part["min"]) / (part["max"] - part["min"]) * part["weight"]
    codes = {c["code"].upper(): c for c in part["categories"]}
    labels = {c["label"].upper(): c for c in part["categories"]}
    key = str(raw).strip().upper()
    cat = codes.get(key) or labels.get(key)
    if cat is None:
        raise ValidationError(
            i18n.t("scoring.unknown_category", id=part['id'], name=part['name'], raw=raw,
                   codes=", ".join(c["code"] for c in part["categories"])))
    return cat["points"] / part["max_points"] * part["weight"]


def score_hasil(inst: Instrument, inputs: dict | None) -> dict:
    inputs = inputs or {}
    parts = {p["id"]: p for p in inst.hasil_parts()}
    for key in inputs:
        if key not in parts:
            raise ValidationError(i18n.t("scoring.unknown_hasil_input_expected", field=key, items=', '.join(parts)))
    comps, total = {}, 0.0
    for comp in inst.data["hasil"]["components"]:
        comp_total = 0.0
        part_scores = {}
        for part in comp["parts"]:
            v = hasil_part_value(part, inputs[part["id"]]) if part["id"] in inputs else 0.0
            part_scores[part["id"]] = v
            comp_total += v
        comps[comp["id"]] = {"score": comp_total, "weight": comp["weight"], "parts": part_scores}
        total += comp_total
    missing = [p for p in parts if p not in inputs]
    return {"total": total, "components": comps, "missing": missing}


def score(inst: Instrument, values: dict, hasil_inputs: dict | None = None, engine: str | None = None,
          applicable_weight: float | None = None, *, with_predicates: bool = True) -> dict:
    """Aggregate decided criterion values into the instrument's result.

    ``engine`` only matters for instruments with predicates (rules decide them);
    ``with_predicates=False`` leaves them out (what-if scoring that needs the Indeks only).
    An instrument scored in points lines aggregates in :mod:`pmprb.engine.points_scoring`
    (``applicable_weight``: its rescaled component's official applicable weight, if given)."""
    from pmprb.engine import points

    if points.is_points(inst):
        from pmprb.engine import points_scoring

        if hasil_inputs:
            raise ValidationError(i18n.t("scoring.instrument_takes_no_hasil", id=inst.id))
        return points_scoring.aggregate(inst, values, applicable_weight)
    areas = {}
    components = {c["id"]: {"score": 0.0, "weight": c["weight"], "areas": []} for c in inst.components}
    groups = {g["id"]: {"score": 0.0, "weight": 0.0, "areas": []} for g in inst.area_groups}
    pengungkit = 0.0
    for area in inst.areas:
        area_total = 0.0
        subs = {}
        for sub in area["subareas"]:
            vals = [values.get(c["id"], 0.0) for c in sub["criteria"] if inst.criteria[c["id"]].scored]
            mean = sum(vals) / len(vals) if vals else 0.0
            s = mean * sub["weight"]
            subs[sub["id"]] = {"score": s, "weight": sub["weight"], "mean": mean}
            area_total += s
        areas[area["code"]] = {"score": area_total, "weight": area["weight"],
                               "percent": area_total / area["weight"] * 100 if area["weight"] else 0.0,
                               "subareas": subs}
        for key, parts in (("component", components), ("group", groups)):
            if area.get(key):
                parts[area[key]]["score"] += area_total
                parts[area[key]]["areas"].append(area["code"])
                if key == "group":
                    parts[area[key]]["weight"] += area["weight"]
        pengungkit += area_total
    hasil = score_hasil(inst, hasil_inputs)
    indeks = pengungkit + hasil["total"]
    band = grade_for(inst, indeks)
    out = {
        "instrument": inst.id, "revision": inst.revision,
        "pengungkit": pengungkit, "hasil": hasil["total"], "indeks_rb": indeks,
        "grade": band["grade"], "grade_label": band["label"],
        "areas": areas, "hasil_detail": hasil,
    }
    for key, parts in (("components", components), ("groups", groups)):
        if parts:
            for p in parts.values():
                p["percent"] = p["score"] / p["weight"] * 100 if p["weight"] else 0.0
            out[key] = parts
    if inst.predicates and with_predicates:
        from pmprb.engine import predicates

        out["predicates"] = predicates.evaluate(inst, out, engine)
    return out


def stored_columns(score: dict) -> dict:
    """The headline figures a stored result keeps in columns: Pengungkit and Hasil, or, for an
    instrument scored in points lines (no such split), the total and 0."""
    if score.get("method") == "points":
        return {"pengungkit": score["indeks_rb"], "hasil": 0.0, "indeks_rb": score["indeks_rb"],
                "grade": score.get("grade")}
    return {k: score.get(k) for k in ("pengungkit", "hasil", "indeks_rb", "grade")}
