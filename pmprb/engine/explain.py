"""Explain one decision: from the answer, through every rule that fired, to
the value, and from the value to the sub-area, the area and the Indeks.

Pure functions over a :class:`~pmprb.engine.decision.Decision` and the pinned
instrument; the rule effects come from the compiled ruleset, so what is
explained is exactly what the evaluator applied.
"""

from __future__ import annotations

from pmprb.engine.compiler import compile_instrument
from pmprb.engine.decision import Decision
from pmprb.engine.instrument import Instrument


def rule_kind(name: str) -> str:
    """``MP.1.b/gate:zero_if_answer:MP.1.a`` -> ``gate``."""
    tail = name.split("/", 1)[1] if "/" in name else name
    return tail.split(":", 1)[0]


def decision_steps(inst: Instrument, decision: Decision) -> dict:
    """The value chain of a decision: answer, raw value, one step per rule in
    firing order (with the value after it), gating details and the result."""
    rules = {r["name"]: r for r in compile_instrument(inst)["rules"]}
    inp, result = decision.input, decision.result
    prereqs = inp.get("prerequisites") or {}
    if inp.get("multiplier"):  # a points line: its multiplier's answer is what scales it
        prereqs = {inp["multiplier"]["criterion"]: {"answer": inp["multiplier"]["answer"], "value": None}}
    steps, gating = [], []
    value = None
    for name in decision.trace:
        rule = rules.get(name)
        effect = rule["effect"] if rule else {}
        step = {"rule": name, "kind": rule_kind(name), "known": rule is not None, "effect": effect}
        if "raw" in effect:
            value = float(effect["raw"])
        elif "compute" in effect and result.raw_value is not None:
            value = result.raw_value
        elif "points" in effect:  # a points line: its value rule already includes its multiplier
            value = result.value
        if effect.get("zero"):
            value = 0.0
        if "multiply_by" in effect and value is not None:
            pre = prereqs.get(effect["multiply_by"], {})
            value = value * pre.get("value", 0.0)
        if "bound" in effect:
            value = float(effect["bound"])
        step["value_after"] = value
        steps.append(step)
        if step["kind"] == "gate":
            _, gate_kind, pre = name.split("/", 1)[1].split(":", 2)
            p = prereqs.get(pre, {})
            gating.append({"rule": name, "gate": gate_kind, "prerequisite": pre,
                           "prerequisite_text": inst.criteria[pre].text if pre in inst.criteria else None,
                           "prerequisite_answer": p.get("answer"), "prerequisite_value": p.get("value"),
                           "effect": "multiply" if "multiply_by" in effect or gate_kind == "multiplier" else "zero", "value_after": value})
    out = {"answer": inp.get("answer"), "evidence": inp.get("evidence"), "counts": inp.get("counts"),
           "raw_value": result.raw_value, "value": result.value, "count": result.count,
           "flags": list(result.flags), "steps": steps, "gating": gating,
           "prerequisites": prereqs}
    if "documents" in inp:
        # What the evidence rules read (pmprb.engine.evidence_requirements), and the advice it gives.
        from pmprb.engine.evidence_advice import advice

        out["documents"] = inp["documents"]
        out["evidence_advice"] = advice(decision, inst)
    return out


def contribution(inst: Instrument, criterion_id: str, value: float | None, score: dict | None = None) -> dict:
    """What the criterion adds to its sub-area, area and the Indeks.

    A sub-area is the mean of its scored items times its weight, so each item
    adds ``value × weight / n`` to the sub-area, and the same to its area and
    the Indeks (sums). ``score`` (a :func:`scoring.score` result) adds the
    totals those points sit in. A points line adds its own points
    (:func:`pmprb.engine.points_scoring.contribution`)."""
    from pmprb.engine import points

    if points.is_points(inst):
        from pmprb.engine import points_scoring

        return points_scoring.contribution(inst, criterion_id, value, score)
    c = inst.criterion(criterion_id)
    sub = inst.subarea(c.subarea)
    area = inst.area(c.area)
    n = sum(1 for x in sub["criteria"] if inst.criteria[x["id"]].scored)
    share = sub["weight"] / n if (c.scored and n) else 0.0
    points = (value or 0.0) * share if c.scored else 0.0
    best = c.best_value * share if c.scored else 0.0
    out = {
        "scored": c.scored, "items_in_subarea": n, "share": share, "points": points, "max_points": best,
        "gain_if_best": max(best - points, 0.0),
        "subarea": {"id": sub["id"], "name": sub.get("name"), "weight": sub["weight"]},
        "area": {"code": area["code"], "name": area.get("name"), "weight": area["weight"]},
        "indeks": {},
    }
    if score:
        a = score.get("areas", {}).get(c.area, {})
        s = a.get("subareas", {}).get(c.subarea, {})
        out["subarea"].update(score=s.get("score"), mean=s.get("mean"))
        out["area"].update(score=a.get("score"), percent=a.get("percent"))
        out["indeks"] = {"pengungkit": score.get("pengungkit"), "hasil": score.get("hasil"),
                         "indeks_rb": score.get("indeks_rb"), "grade": score.get("grade")}
    return out
