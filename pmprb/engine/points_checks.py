"""Semantic checks of points instruments and points lines (see :mod:`pmprb.engine.points`).

A points instrument (``scoring: {method: points}``) holds only points lines
(numeric types of kind ``score``, ``adjustment`` or ``category``), declares
components, takes no Hasil parts and no gating (a line's ``multiplier``
replaces gating), and its sub-area weights are the sums of their lines'
weights. Points keys on items of other instruments are errors, so an
instrument cannot half-use them. Every check reports through
``err(path, message)`` with merged-data paths, like :mod:`pmprb.engine.checks`.
"""

from __future__ import annotations

from pmprb import i18n

import math
from decimal import Decimal
from types import SimpleNamespace

from pmprb.engine import points
from pmprb.engine.points_messages import text_of

LINE_KEYS = ("source_id", "weight", "range", "multiplier", "theme", "evaluator")
TOLERANCE = 1e-9


def _is_points(data: dict) -> bool:
    return (data.get("scoring") or {}).get("method") == "points"


def _decimals_ok(x) -> bool:
    try:
        return points.decimals(points.to_decimal(x)) <= points.MAX_DECIMALS
    except ValueError:
        return False


def _lines(data: dict):
    """(path, criterion, area) for every criterion, in order."""
    for i, area in enumerate(data["areas"]):
        for j, sub in enumerate(area["subareas"]):
            for k, c in enumerate(sub["criteria"]):
                yield ("areas", i, "subareas", j, "criteria", k), c, area


def check(data: dict, err) -> None:
    numeric = data.get("numeric_types", {})
    kind_of = {name: nt["kind"] for name, nt in numeric.items()}
    _check_numeric_types(numeric, err)
    if not _is_points(data):
        for key in ("scoring", "themes"):
            if key in data:
                err((key,), i18n.t("pcheck.belongs_instruments_scored_points", field=key))
        for path, c, _ in _lines(data):
            if kind_of.get(c["answer_type"]) in points.KINDS:
                err(path + ("answer_type",), i18n.t("pcheck.points_line_type_instrument", answer_type=c['answer_type']))
            for key in LINE_KEYS:
                if key in c:
                    err(path + (key,), i18n.t("pcheck.belongs_points_lines_instruments", field=key))
        return
    _check_instrument(data, err)
    lines = {c["id"]: (path, c) for path, c, _ in _lines(data)}
    for path, c, area in _lines(data):
        kind = kind_of.get(c["answer_type"])
        if kind not in points.KINDS:
            err(path + ("answer_type",), i18n.t("pcheck.points_instrument_holds_only", items=', '.join(points.KINDS), answer_type=c['answer_type']))
            continue
        _check_line(c, kind, path, lines, kind_of, data, err)
    _check_weights(data, kind_of, err)
    _check_themes(data, err)
    seen: dict[str, str] = {}
    for path, c, _ in _lines(data):
        sid = c.get("source_id")
        if sid is not None:
            if sid in seen:
                err(path + ("source_id",), i18n.t("pcheck.source_id_also_source", sid=sid, value=seen[sid]))
            seen.setdefault(sid, c["id"])


def _check_numeric_types(numeric: dict, err) -> None:
    for name, nt in numeric.items():
        cats = nt.get("categories")
        if nt["kind"] != "category":
            if cats is not None:
                err(("numeric_types", name, "categories"), i18n.t("pcheck.only_numeric_type_kind"))
            continue
        if not cats:
            err(("numeric_types", name), i18n.t("pcheck.category_type_needs_categories"))
            continue
        codes = [c["code"].upper() for c in cats]
        if len(set(codes)) != len(codes):
            err(("numeric_types", name, "categories"), i18n.t("pcheck.duplicate_category_codes"))
        for k, cat in enumerate(cats):
            if "=" in cat["code"]:
                err(("numeric_types", name, "categories", k, "code"), i18n.t("pcheck.category_code_cannot_contain"))
            if "points" in cat and (cat["points"] < 0 or not _decimals_ok(cat["points"])):
                err(("numeric_types", name, "categories", k, "points"),
                    i18n.t("pcheck.points_must_number_with", MAX_DECIMALS=points.MAX_DECIMALS))
        if not any("points" in c for c in cats):
            err(("numeric_types", name, "categories"), i18n.t("pcheck.least_one_category_needs"))


def _check_instrument(data: dict, err) -> None:
    scoring = data["scoring"]
    for key in ("places",):
        if key in scoring and not 0 <= scoring[key] <= points.MAX_DECIMALS:
            err(("scoring", key), i18n.t("pcheck.places_must_within", MAX_DECIMALS=points.MAX_DECIMALS))
    comps = [c["id"] for c in data.get("components", [])]
    if not comps:
        err(("components",), i18n.t("pcheck.points_instrument_needs_components"))
    rescale = scoring.get("rescale")
    if rescale:
        if rescale["component"] not in comps:
            err(("scoring", "rescale", "component"), i18n.t("pcheck.unknown_component_declared", component=rescale['component'], comps=comps))
        if "places" in rescale and not 0 <= rescale["places"] <= points.MAX_DECIMALS:
            err(("scoring", "rescale", "places"), i18n.t("pcheck.places_must_within", MAX_DECIMALS=points.MAX_DECIMALS))
    na = scoring.get("not_applicable")
    if na and not rescale:
        err(("scoring", "not_applicable"), i18n.t("pcheck.lines_can_only_applicable"))
    if na:
        for name, nt in data.get("numeric_types", {}).items():
            if any(c["code"].upper() == na["answer"].upper() for c in nt.get("categories", [])):
                err(("scoring", "not_applicable", "answer"), i18n.t("pcheck.also_category", answer=na['answer'], name=name))
        if "=" in na["answer"] or not na["answer"].strip():
            err(("scoring", "not_applicable", "answer"), i18n.t("pcheck.answer_must_non_empty"))
    hasil = data["hasil"]
    if hasil["components"] or hasil["total"] != 0:
        err(("hasil",), i18n.t("pcheck.points_instrument_has_no"))
    for i, area in enumerate(data["areas"]):
        for j, sub in enumerate(area["subareas"]):
            if sub.get("gating"):
                err(("areas", i, "subareas", j, "gating"), i18n.t("pcheck.points_lines_take_no"))


def _check_line(c: dict, kind: str, path: tuple, lines: dict, kind_of: dict, data: dict, err) -> None:
    def no(key: str, why: str) -> None:
        if key in c:
            err(path + (key,), why)

    rng = c.get("range")
    if kind in ("score", "adjustment"):
        if rng is None:
            err(path, i18n.t("pcheck.line_needs_range_min", kind=kind))
        elif len(rng) != 2:
            err(path + ("range",), i18n.t("pcheck.range_must_min_max"))
        elif not all(_decimals_ok(x) for x in rng):
            err(path + ("range",), i18n.t("pcheck.range_bounds_take_most", MAX_DECIMALS=points.MAX_DECIMALS))
        elif rng[1] <= rng[0]:
            err(path + ("range",), i18n.t("pcheck.max_must_greater_than", value=rng[1], value2=rng[0]))
        elif kind == "score" and rng[1] <= 0:
            err(path + ("range",), i18n.t("pcheck.maximum_score_line_must"))
    else:
        no("range", i18n.t("pcheck.category_no_range"))
    if kind == "adjustment":
        no("weight", i18n.t("pcheck.adjustment_no_weight"))
        no("multiplier", i18n.t("pcheck.adjustment_no_multiplier"))
    else:
        w = c.get("weight")
        if w is None:
            err(path, i18n.t("pcheck.line_needs_weight_most", kind=kind))
        elif w <= 0 or not _decimals_ok(w):
            err(path + ("weight",), i18n.t("pcheck.weight_must_above_with", MAX_DECIMALS=points.MAX_DECIMALS))
        elif kind == "category":
            nt = data["numeric_types"][c["answer_type"]]
            for k, cat in enumerate(nt.get("categories", [])):
                if cat.get("points", 0) > w + TOLERANCE:
                    err(path + ("weight",), i18n.t("pcheck.category_gives_points_more", code=cat['code'], answer_type=c['answer_type'], points=cat['points'], w=w))
    m = c.get("multiplier")
    if m is not None and kind != "adjustment":
        if kind == "category":
            err(path + ("multiplier",), i18n.t("pcheck.category_line_takes_no"))
        elif m == c["id"]:
            err(path + ("multiplier",), i18n.t("pcheck.line_cannot_own_multiplier"))
        elif m not in lines:
            err(path + ("multiplier",), i18n.t("pcheck.unknown_line", m=m))
        else:
            other = lines[m][1]
            if kind_of.get(other["answer_type"]) != "score":
                err(path + ("multiplier",), i18n.t("pcheck.multiplier_must_score_line", m=m))
            elif other.get("multiplier"):
                err(path + ("multiplier",), i18n.t("pcheck.multiplier_has_multiplier_itself", m=m))


def _check_weights(data: dict, kind_of: dict, err) -> None:
    for i, area in enumerate(data["areas"]):
        for j, sub in enumerate(area["subareas"]):
            total = sum(Decimal(repr(float(c.get("weight", 0)))) for c in sub["criteria"]
                        if kind_of.get(c["answer_type"]) in ("score", "category"))
            if not math.isclose(float(total), sub["weight"], rel_tol=0, abs_tol=TOLERANCE):
                err(("areas", i, "subareas", j, "weight"),
                    i18n.t("pcheck.lines_sub_area_weigh", id=sub['id'], float=float(total), weight=sub['weight']))


def _check_themes(data: dict, err) -> None:
    themes = [t["id"] for t in data.get("themes", [])]
    if len(set(themes)) != len(themes):
        err(("themes",), i18n.t("pcheck.duplicate_theme_ids"))
    used = set()
    for path, c, _ in _lines(data):
        t = c.get("theme")
        if t is None:
            continue
        if t not in themes:
            err(path + ("theme",), i18n.t("pcheck.unknown_theme_declared", t=t, themes=themes))
        used.add(t)
    for k, t in enumerate(themes):
        if t not in used:
            err(("themes", k, "id"), i18n.t("pcheck.theme_has_no_lines", t=t))


# ---------------------------------------------------------------------------
# worked examples: answers are checked as a worksheet's would be


def view(data: dict):
    """Enough of an Instrument over validated data for :func:`points.normalise_answer`."""
    numeric = data.get("numeric_types", {})
    criteria = {}
    for _, c, area in _lines(data):
        nt = numeric.get(c["answer_type"])
        criteria[c["id"]] = SimpleNamespace(data=c, area=area["code"], kind=nt["kind"] if nt else "choice")
    return SimpleNamespace(data=data, areas=data["areas"], criteria=criteria)


def check_example(ex: dict, ep: tuple, data: dict, err, inst_view=None) -> None:
    if not _is_points(data):
        return
    inst_view = inst_view or view(data)
    for cid, ans in (ex.get("answers") or {}).items():
        c = inst_view.criteria.get(cid)
        if c is None or c.kind not in points.KINDS:
            continue
        try:
            points.normalise_answer(inst_view, cid, ans)
        except points.AnswerProblem as exc:
            err(ep + ("answers", cid), text_of(exc))
        except (KeyError, IndexError, TypeError):
            err(ep + ("answers", cid), i18n.t("pcheck.line_invalid_see_errors"))
