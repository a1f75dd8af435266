"""Points lines as rules: which case applies to a line is decided by named
rules on both engines; the numbers come from :func:`pmprb.engine.points.line_points`.

A line's fact carries, besides the compiler's usual fields, ``na`` (1 when
answered not applicable), ``s`` (a score or adjustment in integer
millionths), ``a`` (a category line's code), ``pg``/``pt`` (1 when points
are given with the category, and those points in millionths) and, for a line
with a multiplier, ``mp`` (1 when the multiplier line holds a number) and
``ms`` (its score in millionths). Rules, by name:

- ``<line>/not_applicable``                 the line does not apply: no points
- ``<line>/points``                         a score, adjustment in range -> its points
- ``<line>/points:multiplier_missing:<m>``  the multiplier line has no number -> 0
- ``<line>/gate:multiplier:<m>``            the multiplier is below its maximum (flag ``gated_by:<m>``)
- ``<line>/category:<code>``                a category with known points
- ``<line>/category:<code>:given``          a category whose points are given (flag ``points_given``)
- ``<line>/evidence:missing``               answered without the evaluating agency's document

A score outside its range, or a category without a rule, fires no value
rule, and the evaluation fails closed. Unanswered lines take the compiler's
``<line>/unanswered`` rule (0 points).
"""

from __future__ import annotations

from pmprb.errors import RuleError
from pmprb.engine import points
from pmprb.engine import flags as flag_names
from pmprb.engine.decision import Result

PRI_VALUE, PRI_EVIDENCE, PRI_GATE = 1, 2, 3


def _rule(cid: str, kind: str, pri: int, base: list, conds: list, effect: dict) -> dict:
    return {"name": f"{cid}/{kind}", "criterion": cid, "pri": pri, "when": {"$and": base + conds},
            "effect": effect}


def line_rules(inst, c, base: list) -> list[dict]:
    """Every rule of one points line except the compiler's ``unanswered``."""
    s = points.spec(inst, c.id)
    cid = c.id
    applicable = [{"ans": 1}, {"na": 0}]
    rules = []
    if s["may_be_na"]:
        rules.append(_rule(cid, "not_applicable", PRI_VALUE, base, [{"ans": 1}, {"na": 1}],
                           {"points": {"case": "not_applicable", "line": s}, "flag": flag_names.NOT_APPLICABLE}))
    if s["kind"] in ("score", "adjustment"):
        lo, hi = (points.micro(x) for x in s["range"])
        in_range = applicable + [{"$gte": {"s": lo}}, {"$lte": {"s": hi}}]
        m = s.get("multiplier")
        if m is None:
            rules.append(_rule(cid, "points", PRI_VALUE, base, in_range, {"points": {"case": "points", "line": s}}))
        else:
            rules.append(_rule(cid, "points", PRI_VALUE, base, in_range + [{"mp": 1}],
                               {"points": {"case": "points", "line": s}}))
            rules.append(_rule(cid, f"points:multiplier_missing:{m}", PRI_VALUE, base, in_range + [{"mp": 0}],
                               {"points": {"case": "multiplier_missing", "line": s}, "flag": flag_names.gated_by(m)}))
            rules.append(_rule(cid, f"gate:multiplier:{m}", PRI_GATE, base,
                               applicable + [{"mp": 1}, {"$lt": {"ms": points.micro(s["multiplier_max"])}}],
                               {"flag": flag_names.gated_by(m)}))
    else:
        weight = points.micro(s["weight"])
        for code, pts in s["categories"].items():
            if pts is not None:
                rules.append(_rule(cid, f"category:{code}", PRI_VALUE, base, applicable + [{"a": code}, {"pg": 0}],
                                   {"points": {"case": "points", "line": s}}))
            else:
                rules.append(_rule(cid, f"category:{code}:given", PRI_VALUE, base,
                                   applicable + [{"a": code}, {"pg": 1}, {"$gte": {"pt": 0}},
                                                 {"$lte": {"pt": weight}}],
                                   {"points": {"case": "points", "line": s}, "flag": flag_names.POINTS_GIVEN}))
    if c.evidence_min > 0:
        rules.append(_rule(cid, "evidence:missing", PRI_EVIDENCE, base,
                           applicable + [{"$lt": {"ev": c.evidence_min}}], {"flag": flag_names.CLAIMED_WITHOUT_EVIDENCE}))
    return rules


def fact_fields(s: dict, inp: dict) -> dict:
    """The fields a points line adds to its fact (see the module docstring)."""
    answer, na = inp.get("answer"), s["na"]
    out = {"na": 1 if answer is not None and answer == na else 0}
    if answer is not None and not out["na"]:
        if s["kind"] == "category":
            code, given = points.split_category(answer)
            out["a"] = code
            out["pg"] = 0 if given is None else 1
            if given is not None:
                out["pt"] = points.micro(given)
        else:
            out["s"] = points.micro(answer)
    if "multiplier" in s:
        m = (inp.get("multiplier") or {}).get("answer")
        numeric = m is not None and m != na
        out["mp"] = 1 if numeric else 0
        if numeric:
            out["ms"] = points.micro(m)
    return out


def apply(rules_by_name: dict, fired: list[str], inp: dict) -> Result:
    """A points line's result from the rules that fired, in firing order (the line's
    description travels in its value rule's effect)."""
    value = raw = None
    decided = False
    flags: list[str] = []
    for name in fired:
        effect = rules_by_name[name]["effect"]
        if "points" in effect or "raw" in effect:
            if decided:
                raise RuleError(f"two value rules fired for one line: {fired}")
            decided = True
            case = effect["points"]["case"] if "points" in effect else "raw"
            if case == "raw":                       # the compiler's unanswered rule
                value = raw = float(effect["raw"])
            elif case != "not_applicable":
                m = (inp.get("multiplier") or {}).get("answer")
                v, r = points.line_points(effect["points"]["line"], inp["answer"], m, scaled=case == "points")
                value, raw = points.as_float(v), points.as_float(r)
        elif not decided:
            raise RuleError(f"rule {name} fired before any value rule (trace {fired})")
        elif set(effect) - {"flag"}:
            raise RuleError(f"rule {name} has an effect a points line cannot take: {sorted(effect)}")
        flag = effect.get("flag")
        if flag and flag not in flags:
            flags.append(flag)
    if not decided:
        raise RuleError(f"no value rule fired (trace {fired})")
    return Result(value, raw, tuple(flags))
