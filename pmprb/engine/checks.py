"""Semantic checks for the instrument parts beyond areas, sub-areas and gating:
numeric items (counts and computed items with formulas), area groups,
predicates and decisions.

Kept apart from :mod:`pmprb.engine.instrument` so each stays readable. Every
check reports through ``err(path, message)``; paths are merged-data paths
(``("areas", i, "subareas", j, "criteria", k, ...)``) that the loader maps back
to file and line.
"""

from __future__ import annotations

from pmprb.engine.formulas import FORMULA_REFS
from pmprb.engine.points import KINDS as POINTS_KINDS  # points lines, checked by pmprb.engine.points_checks

# Formula kind -> the keys naming referenced criteria.
# Smallest non-zero cap/floor distance: rule conditions multiply counts by these,
# and durable_rules rejects floats written in exponent form (1e-05).
MIN_STEP = 0.001


def item_kind(c: dict, numeric_types: dict) -> str:
    """'choice' (answer from options), 'count' (number entered) or 'computed' (formula)."""
    nt = numeric_types.get(c["answer_type"])
    return nt["kind"] if nt else "choice"


def count_valued(c: dict, numeric_types: dict) -> bool:
    """A count input, or a computed sum of counts: items whose result is a count, not a value."""
    kind = item_kind(c, numeric_types)
    return kind == "count" or (kind == "computed" and (c.get("formula") or {}).get("kind") == "sum")


def check_numeric_types(data: dict, err) -> None:
    for name in data.get("numeric_types", {}):
        if name in data["answer_types"]:
            err(("numeric_types", name), f"{name!r} is declared both as an answer type and as a numeric type")


def check_item(c: dict, cp: tuple, data: dict, err) -> None:
    """One criterion's type, options, formula and scored flag."""
    numeric = data.get("numeric_types", {})
    at = c["answer_type"]
    if at not in data["answer_types"] and at not in numeric:
        declared = list(data["answer_types"]) + list(numeric)
        err(cp + ("answer_type",), f"unknown answer type {at!r} (declared: {', '.join(declared)})")
        return
    kind = item_kind(c, numeric)
    if "ratl" not in c and kind != "count" and c.get("scored", True):
        # Counts are never 'below their best'; every scored item needs a follow-up template.
        err(cp, "missing required key 'ratl'")
    if kind == "choice":
        allowed = [o["answer"] for o in data["answer_types"][at]]
        got = [o["answer"] for o in c.get("options", [])]
        if got != allowed:
            err(cp + ("options",), f"options {got} do not match answer type {at} {allowed}")
        if c.get("formula"):
            err(cp + ("formula",), "only a computed item (a numeric type of kind 'computed') may have a formula")
        return
    if c.get("options"):
        err(cp + ("options",), f"answer type {at} takes no options")
    if kind in POINTS_KINDS:  # points lines: pmprb.engine.points_checks
        return
    if kind == "count":
        if c.get("formula"):
            err(cp + ("formula",), f"{at} is entered by the assessor (kind 'count'); it takes no formula")
        if c.get("scored") is True:
            err(cp + ("scored",), "a count is an input, not a value; it cannot be scored")
        return
    f = c.get("formula")
    if not f:
        err(cp, f"a computed item ({at}) needs a 'formula'")
        return
    _check_formula(c, f, cp + ("formula",), err)


def _check_formula(c: dict, f: dict, fp: tuple, err) -> None:
    kind = f["kind"]
    need = FORMULA_REFS[kind]
    for key in need:
        if key not in f:
            err(fp, f"a {kind} formula needs {key!r}")
    for key in ("numerator", "denominator", "previous", "current", "terms"):
        if key in f and key not in need:
            err(fp + (key,), f"a {kind} formula takes {', '.join(repr(k) for k in need)}, not {key!r}")
    if kind == "sum":
        if c.get("scored", True):
            err(fp, "a sum formula gives a count, not a value: the item must say 'scored: false'")
        for key in ("cap", "floor", "when_both_zero", "when_zero_denominator"):
            if key in f:
                err(fp + (key,), f"a sum formula takes no {key!r}")
        if not f.get("terms"):
            err(fp + ("terms",), "a sum formula needs at least one term")
        return
    for key in ("cap", "when_both_zero", "when_zero_denominator"):
        if key not in f:
            err(fp, f"a {kind} formula must declare {key!r}")
    cap, floor = f.get("cap", 1), f.get("floor", 0)
    if not (MIN_STEP <= cap <= 1) or (cap < 1 and 1 - cap < MIN_STEP) or round(cap, 3) != cap:
        err(fp + ("cap",), f"cap must be within {MIN_STEP}..1 with at most 3 decimals, got {cap:g}")
    if not (0 <= floor < cap) or round(floor, 3) != floor:
        err(fp + ("floor",), f"floor must be within 0..cap with at most 3 decimals, got {floor:g}")
    for key in ("when_both_zero", "when_zero_denominator"):
        v = f.get(key)
        if v is not None and not 0 <= v <= 1:
            err(fp + (key,), f"{key} must be within 0..1, got {v:g}")


def check_formula_refs(criteria: dict, crit_path: dict, numeric_types: dict, deps: dict, err) -> None:
    """Computed items refer to count-valued items; the references become evaluation prerequisites."""
    for cid, c in criteria.items():
        f = c.get("formula")
        if not f or item_kind(c, numeric_types) != "computed":
            continue
        for key in FORMULA_REFS.get(f["kind"], ()):
            refs = f.get(key)
            if refs is None:
                continue
            for k, ref in enumerate(refs if isinstance(refs, list) else [refs]):
                path = crit_path[cid] + ("formula", key) + ((k,) if isinstance(refs, list) else ())
                if ref not in criteria:
                    err(path, f"refers to unknown criterion {ref!r}")
                elif ref == cid:
                    err(path, "a formula cannot refer to its own item")
                elif not count_valued(criteria[ref], numeric_types):
                    err(path, f"refers to {ref!r}, which is not a count (a count input or a sum of counts)")
                else:
                    deps[cid].add(ref)


def check_gate_targets(deps_gating: dict, criteria: dict, crit_path: dict, numeric_types: dict, err) -> None:
    """Gating reads and sets values; counts have none."""
    for cid, pres in deps_gating.items():
        if pres and count_valued(criteria[cid], numeric_types):
            err(crit_path[cid] + ("id",), f"{cid} is a count; gating rules cannot zero it")
        for pre in pres:
            if count_valued(criteria[pre], numeric_types):
                err(crit_path[cid] + ("id",), f"gating of {cid} depends on {pre}, a count without a value")


def check_groups(data: dict, err) -> None:
    groups = [g["id"] for g in data.get("area_groups", [])]
    seen: set = set()
    for i, g in enumerate(groups):
        if g in seen:
            err(("area_groups", i, "id"), f"duplicate area group {g!r}")
        seen.add(g)
    used = set()
    for i, area in enumerate(data["areas"]):
        g = area.get("group")
        if g is None:
            if groups:
                err(("areas", i), f"area {area['code']} must name its group (one of {groups})")
        elif g not in seen:
            err(("areas", i, "group"), f"unknown area group {g!r} (declared: {groups})")
        else:
            used.add(g)
    for i, g in enumerate(groups):
        if g not in used:
            err(("area_groups", i, "id"), f"area group {g!r} has no areas")


def check_predicates(data: dict, err) -> None:
    area_codes = {a["code"] for a in data["areas"]}
    group_ids = {g["id"] for g in data.get("area_groups", [])}
    hasil_ids = {c["id"] for c in data["hasil"]["components"]}
    comp_ids = {c["id"] for c in data.get("components", [])}
    pred_ids: set = set()
    for i, pred in enumerate(data.get("predicates", [])):
        if pred["id"] in pred_ids:
            err(("predicates", i, "id"), f"duplicate predicate {pred['id']!r}")
        pred_ids.add(pred["id"])
        if not pred["thresholds"]:
            err(("predicates", i, "thresholds"), "a predicate needs at least one threshold")
        th_ids: set = set()
        for j, th in enumerate(pred["thresholds"]):
            tp = ("predicates", i, "thresholds", j)
            if th["id"] in th_ids:
                err(tp + ("id",), f"duplicate threshold {th['id']!r} in predicate {pred['id']}")
            th_ids.add(th["id"])
            m, target = th["measure"], th.get("target")
            if m == "hasil_component" and target not in hasil_ids:
                err(tp + ("target",), f"expected a Hasil component id {sorted(hasil_ids)}, got {target!r}")
            elif m == "component" and target not in comp_ids:
                err(tp + ("target",), f"expected a component id {sorted(comp_ids)}, got {target!r}")
            elif m == "area_percent" and target not in (None, "*") and target not in area_codes:
                err(tp + ("target",), f"expected an area code or '*', got {target!r}")
            elif m == "group_percent" and (not group_ids or target not in (None, "*") and target not in group_ids):
                err(tp + ("target",), f"expected an area group id {sorted(group_ids)} or '*', got {target!r}")
            elif m in ("total", "pengungkit", "hasil") and target is not None:
                err(tp + ("target",), f"measure {m!r} takes no target")
            if th["min"] < 0:
                err(tp + ("min",), f"min must not be negative, got {th['min']:g}")


def check_decisions(data: dict, err) -> None:
    gaps: set = set()
    for i, d in enumerate(data.get("decisions", [])):
        if d["gap"] in gaps:
            err(("decisions", i, "gap"), f"duplicate decision for gap {d['gap']!r}")
        gaps.add(d["gap"])
        for key in ("decision", "reason"):
            if not d[key].strip():
                err(("decisions", i, key), f"{key} must not be empty")


def check_example_inputs(ex: dict, ep: tuple, criteria: dict, data: dict, err) -> None:
    """Examples give choice answers in 'answers' and counts in 'counts'."""
    numeric = data.get("numeric_types", {})
    for cid, ans in ex.get("answers", {}).items():
        c = criteria.get(cid)
        if c is None:
            continue
        if item_kind(c, numeric) in POINTS_KINDS:
            continue  # points_checks.check_example
        options = data["answer_types"].get(c["answer_type"])
        if item_kind(c, numeric) != "choice":
            err(ep + ("answers", cid), f"{cid} is not answered with an option; give counts under 'counts'")
        elif options is None:
            continue  # an unknown answer type is reported with the criterion
        elif not isinstance(ans, str) or ans not in {o["answer"] for o in options}:
            err(ep + ("answers", cid), f"answer {ans!r} is not allowed for {c['answer_type']}")
    for cid, n in (ex.get("counts") or {}).items():
        c = criteria.get(cid)
        if c is None:
            continue
        if item_kind(c, numeric) != "count":
            err(ep + ("counts", cid), f"{cid} is not a count input")
        elif isinstance(n, bool) or not isinstance(n, int) or n < 0:
            err(ep + ("counts", cid), f"a count must be a whole number >= 0, got {n!r}")
