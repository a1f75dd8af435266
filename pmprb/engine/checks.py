"""Semantic checks for the instrument parts beyond areas, sub-areas and gating:
numeric items (counts and computed items with formulas), area groups,
predicates and decisions.

Kept apart from :mod:`pmprb.engine.instrument` so each stays readable. Every
check reports through ``err(path, message)``; paths are merged-data paths
(``("areas", i, "subareas", j, "criteria", k, ...)``) that the loader maps back
to file and line.
"""

from __future__ import annotations

from pmprb import i18n

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
            err(("numeric_types", name), i18n.t("check.declared_both_answer_type", name=name))


def check_item(c: dict, cp: tuple, data: dict, err) -> None:
    """One criterion's type, options, formula and scored flag."""
    numeric = data.get("numeric_types", {})
    at = c["answer_type"]
    if at not in data["answer_types"] and at not in numeric:
        declared = list(data["answer_types"]) + list(numeric)
        err(cp + ("answer_type",), i18n.t("check.unknown_answer_type_declared", at=at, items=', '.join(declared)))
        return
    kind = item_kind(c, numeric)
    if "ratl" not in c and kind != "count" and c.get("scored", True):
        # Counts are never 'below their best'; every scored item needs a follow-up template.
        err(cp, i18n.t("check.missing_ratl"))
    if kind == "choice":
        allowed = [o["answer"] for o in data["answer_types"][at]]
        got = [o["answer"] for o in c.get("options", [])]
        if got != allowed:
            err(cp + ("options",), i18n.t("check.options_do_match_answer", got=got, at=at, allowed=allowed))
        if c.get("formula"):
            err(cp + ("formula",), i18n.t("check.only_computed_item_numeric"))
        return
    if c.get("options"):
        err(cp + ("options",), i18n.t("check.answer_type_takes_no", at=at))
    if kind in POINTS_KINDS:  # points lines: pmprb.engine.points_checks
        return
    if kind == "count":
        if c.get("formula"):
            err(cp + ("formula",), i18n.t("check.entered_assessor_kind_count", at=at))
        if c.get("scored") is True:
            err(cp + ("scored",), i18n.t("check.count_input_value_cannot"))
        return
    f = c.get("formula")
    if not f:
        err(cp, i18n.t("check.computed_item_needs_formula", at=at))
        return
    _check_formula(c, f, cp + ("formula",), err)


def _check_formula(c: dict, f: dict, fp: tuple, err) -> None:
    kind = f["kind"]
    need = FORMULA_REFS[kind]
    for key in need:
        if key not in f:
            err(fp, i18n.t("check.formula_needs", kind=kind, field=key))
    for key in ("numerator", "denominator", "previous", "current", "terms"):
        if key in f and key not in need:
            err(fp + (key,), i18n.t("check.formula_takes", kind=kind, items=', '.join(repr(k) for k in need), field=key))
    if kind == "sum":
        if c.get("scored", True):
            err(fp, i18n.t("check.sum_formula_gives_count"))
        for key in ("cap", "floor", "when_both_zero", "when_zero_denominator"):
            if key in f:
                err(fp + (key,), i18n.t("check.sum_formula_takes_no", field=key))
        if not f.get("terms"):
            err(fp + ("terms",), i18n.t("check.sum_formula_needs_least"))
        return
    for key in ("cap", "when_both_zero", "when_zero_denominator"):
        if key not in f:
            err(fp, i18n.t("check.formula_must_declare", kind=kind, field=key))
    cap, floor = f.get("cap", 1), f.get("floor", 0)
    if not (MIN_STEP <= cap <= 1) or (cap < 1 and 1 - cap < MIN_STEP) or round(cap, 3) != cap:
        err(fp + ("cap",), i18n.t("check.cap_must_within_with", MIN_STEP=MIN_STEP, cap=cap))
    if not (0 <= floor < cap) or round(floor, 3) != floor:
        err(fp + ("floor",), i18n.t("check.floor_must_within_cap", floor=floor))
    for key in ("when_both_zero", "when_zero_denominator"):
        v = f.get(key)
        if v is not None and not 0 <= v <= 1:
            err(fp + (key,), i18n.t("check.must_within_got", field=key, v=v))


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
                    err(path, i18n.t("check.refers_unknown_criterion", ref=ref))
                elif ref == cid:
                    err(path, i18n.t("check.formula_cannot_refer_own"))
                elif not count_valued(criteria[ref], numeric_types):
                    err(path, i18n.t("check.refers_which_count_count", ref=ref))
                else:
                    deps[cid].add(ref)


def check_gate_targets(deps_gating: dict, criteria: dict, crit_path: dict, numeric_types: dict, err) -> None:
    """Gating reads and sets values; counts have none."""
    for cid, pres in deps_gating.items():
        if pres and count_valued(criteria[cid], numeric_types):
            err(crit_path[cid] + ("id",), i18n.t("check.count_gating_rules_cannot", cid=cid))
        for pre in pres:
            if count_valued(criteria[pre], numeric_types):
                err(crit_path[cid] + ("id",), i18n.t("check.gating_depends_count_without", cid=cid, pre=pre))


def check_groups(data: dict, err) -> None:
    groups = [g["id"] for g in data.get("area_groups", [])]
    seen: set = set()
    for i, g in enumerate(groups):
        if g in seen:
            err(("area_groups", i, "id"), i18n.t("check.duplicate_area_group", g=g))
        seen.add(g)
    used = set()
    for i, area in enumerate(data["areas"]):
        g = area.get("group")
        if g is None:
            if groups:
                err(("areas", i), i18n.t("check.area_must_name_group", code=area['code'], groups=groups))
        elif g not in seen:
            err(("areas", i, "group"), i18n.t("check.unknown_area_group_declared", g=g, groups=groups))
        else:
            used.add(g)
    for i, g in enumerate(groups):
        if g not in used:
            err(("area_groups", i, "id"), i18n.t("check.area_group_has_no", g=g))


def check_predicates(data: dict, err) -> None:
    area_codes = {a["code"] for a in data["areas"]}
    group_ids = {g["id"] for g in data.get("area_groups", [])}
    hasil_ids = {c["id"] for c in data["hasil"]["components"]}
    comp_ids = {c["id"] for c in data.get("components", [])}
    pred_ids: set = set()
    for i, pred in enumerate(data.get("predicates", [])):
        if pred["id"] in pred_ids:
            err(("predicates", i, "id"), i18n.t("check.duplicate_predicate", id=pred['id']))
        pred_ids.add(pred["id"])
        if not pred["thresholds"]:
            err(("predicates", i, "thresholds"), i18n.t("check.predicate_needs_least_one"))
        th_ids: set = set()
        for j, th in enumerate(pred["thresholds"]):
            tp = ("predicates", i, "thresholds", j)
            if th["id"] in th_ids:
                err(tp + ("id",), i18n.t("check.duplicate_threshold_predicate", id=th['id'], id2=pred['id']))
            th_ids.add(th["id"])
            m, target = th["measure"], th.get("target")
            if m == "hasil_component" and target not in hasil_ids:
                err(tp + ("target",), i18n.t("check.expected_hasil_component_id", sorted=sorted(hasil_ids), target=target))
            elif m == "component" and target not in comp_ids:
                err(tp + ("target",), i18n.t("check.expected_component_id_got", sorted=sorted(comp_ids), target=target))
            elif m == "area_percent" and target not in (None, "*") and target not in area_codes:
                err(tp + ("target",), i18n.t("check.expected_area_code_got", target=target))
            elif m == "group_percent" and (not group_ids or target not in (None, "*") and target not in group_ids):
                err(tp + ("target",), i18n.t("check.expected_area_group_id", sorted=sorted(group_ids), target=target))
            elif m in ("total", "pengungkit", "hasil") and target is not None:
                err(tp + ("target",), i18n.t("check.measure_takes_no_target", m=m))
            if th["min"] < 0:
                err(tp + ("min",), i18n.t("check.min_must_negative_got", min=th['min']))


def check_decisions(data: dict, err) -> None:
    gaps: set = set()
    for i, d in enumerate(data.get("decisions", [])):
        if d["gap"] in gaps:
            err(("decisions", i, "gap"), i18n.t("check.duplicate_decision_gap", gap=d['gap']))
        gaps.add(d["gap"])
        for key in ("decision", "reason"):
            if not d[key].strip():
                err(("decisions", i, key), i18n.t("check.must_empty", field=key))


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
            err(ep + ("answers", cid), i18n.t("check.answered_with_option_give", cid=cid))
        elif options is None:
            continue  # an unknown answer type is reported with the criterion
        elif not isinstance(ans, str) or ans not in {o["answer"] for o in options}:
            err(ep + ("answers", cid), i18n.t("check.answer_allowed", ans=ans, answer_type=c['answer_type']))
    for cid, n in (ex.get("counts") or {}).items():
        c = criteria.get(cid)
        if c is None:
            continue
        if item_kind(c, numeric) != "count":
            err(ep + ("counts", cid), i18n.t("check.count_input", cid=cid))
        elif isinstance(n, bool) or not isinstance(n, int) or n < 0:
            err(ep + ("counts", cid), i18n.t("check.count_must_whole_number", n=n))
