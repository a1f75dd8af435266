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
                err((key,), f"{key!r} belongs to instruments scored in points (scoring: {{method: points}})")
        for path, c, _ in _lines(data):
            if kind_of.get(c["answer_type"]) in points.KINDS:
                err(path + ("answer_type",), f"{c['answer_type']!r} is a points line type; the instrument must "
                                             "declare scoring: {method: points}")
            for key in LINE_KEYS:
                if key in c:
                    err(path + (key,), f"{key!r} belongs to points lines (instruments scored in points)")
        return
    _check_instrument(data, err)
    lines = {c["id"]: (path, c) for path, c, _ in _lines(data)}
    for path, c, area in _lines(data):
        kind = kind_of.get(c["answer_type"])
        if kind not in points.KINDS:
            err(path + ("answer_type",), f"a points instrument holds only points lines (numeric types of kind "
                                         f"{', '.join(points.KINDS)}); {c['answer_type']!r} is not one")
            continue
        _check_line(c, kind, path, lines, kind_of, data, err)
    _check_weights(data, kind_of, err)
    _check_themes(data, err)
    seen: dict[str, str] = {}
    for path, c, _ in _lines(data):
        sid = c.get("source_id")
        if sid is not None:
            if sid in seen:
                err(path + ("source_id",), f"source_id {sid!r} is also the source of {seen[sid]}")
            seen.setdefault(sid, c["id"])


def _check_numeric_types(numeric: dict, err) -> None:
    for name, nt in numeric.items():
        cats = nt.get("categories")
        if nt["kind"] != "category":
            if cats is not None:
                err(("numeric_types", name, "categories"), f"only a numeric type of kind 'category' has categories")
            continue
        if not cats:
            err(("numeric_types", name), "a category type needs 'categories'")
            continue
        codes = [c["code"].upper() for c in cats]
        if len(set(codes)) != len(codes):
            err(("numeric_types", name, "categories"), "duplicate category codes")
        for k, cat in enumerate(cats):
            if "=" in cat["code"]:
                err(("numeric_types", name, "categories", k, "code"), "a category code cannot contain '='")
            if "points" in cat and (cat["points"] < 0 or not _decimals_ok(cat["points"])):
                err(("numeric_types", name, "categories", k, "points"),
                    f"points must be a number >= 0 with at most {points.MAX_DECIMALS} decimals")
        if not any("points" in c for c in cats):
            err(("numeric_types", name, "categories"), "at least one category needs its points")


def _check_instrument(data: dict, err) -> None:
    scoring = data["scoring"]
    for key in ("places",):
        if key in scoring and not 0 <= scoring[key] <= points.MAX_DECIMALS:
            err(("scoring", key), f"places must be within 0..{points.MAX_DECIMALS}")
    comps = [c["id"] for c in data.get("components", [])]
    if not comps:
        err(("components",), "a points instrument needs components (its lines' points are summed per component)")
    rescale = scoring.get("rescale")
    if rescale:
        if rescale["component"] not in comps:
            err(("scoring", "rescale", "component"), f"unknown component {rescale['component']!r} (declared: {comps})")
        if "places" in rescale and not 0 <= rescale["places"] <= points.MAX_DECIMALS:
            err(("scoring", "rescale", "places"), f"places must be within 0..{points.MAX_DECIMALS}")
    na = scoring.get("not_applicable")
    if na and not rescale:
        err(("scoring", "not_applicable"), "lines can only be not applicable where a component is rescaled "
                                           "(scoring.rescale)")
    if na:
        for name, nt in data.get("numeric_types", {}).items():
            if any(c["code"].upper() == na["answer"].upper() for c in nt.get("categories", [])):
                err(("scoring", "not_applicable", "answer"), f"{na['answer']!r} is also a category of {name!r}")
        if "=" in na["answer"] or not na["answer"].strip():
            err(("scoring", "not_applicable", "answer"), "the answer must be a non-empty code without '='")
    hasil = data["hasil"]
    if hasil["components"] or hasil["total"] != 0:
        err(("hasil",), "a points instrument has no Hasil parts (every input is a line): "
                        "write hasil: {total: 0, components: []}")
    for i, area in enumerate(data["areas"]):
        for j, sub in enumerate(area["subareas"]):
            if sub.get("gating"):
                err(("areas", i, "subareas", j, "gating"), "points lines take no gating; a line's 'multiplier' "
                                                           "scales it by another line")


def _check_line(c: dict, kind: str, path: tuple, lines: dict, kind_of: dict, data: dict, err) -> None:
    def no(key: str, why: str) -> None:
        if key in c:
            err(path + (key,), why)

    rng = c.get("range")
    if kind in ("score", "adjustment"):
        if rng is None:
            err(path, f"a {kind} line needs 'range: [min, max]'")
        elif len(rng) != 2:
            err(path + ("range",), "range must be [min, max]")
        elif not all(_decimals_ok(x) for x in rng):
            err(path + ("range",), f"range bounds take at most {points.MAX_DECIMALS} decimals")
        elif rng[1] <= rng[0]:
            err(path + ("range",), f"max {rng[1]:g} must be greater than min {rng[0]:g}")
        elif kind == "score" and rng[1] <= 0:
            err(path + ("range",), "the maximum of a score line must be above 0 (points = score / max x weight)")
    else:
        no("range", "a category line takes no range (its categories carry the points)")
    if kind == "adjustment":
        no("weight", "an adjustment line adds its value as it is; it takes no weight")
        no("multiplier", "an adjustment line takes no multiplier")
    else:
        w = c.get("weight")
        if w is None:
            err(path, f"a {kind} line needs 'weight' (its most points)")
        elif w <= 0 or not _decimals_ok(w):
            err(path + ("weight",), f"weight must be above 0 with at most {points.MAX_DECIMALS} decimals")
        elif kind == "category":
            nt = data["numeric_types"][c["answer_type"]]
            for k, cat in enumerate(nt.get("categories", [])):
                if cat.get("points", 0) > w + TOLERANCE:
                    err(path + ("weight",), f"category {cat['code']} of {c['answer_type']!r} gives {cat['points']:g} "
                                            f"points, more than the line's weight {w:g}")
    m = c.get("multiplier")
    if m is not None and kind != "adjustment":
        if kind == "category":
            err(path + ("multiplier",), "a category line takes no multiplier")
        elif m == c["id"]:
            err(path + ("multiplier",), "a line cannot be its own multiplier")
        elif m not in lines:
            err(path + ("multiplier",), f"unknown line {m!r}")
        else:
            other = lines[m][1]
            if kind_of.get(other["answer_type"]) != "score":
                err(path + ("multiplier",), f"the multiplier {m} must be a score line (it scales by score / max)")
            elif other.get("multiplier"):
                err(path + ("multiplier",), f"the multiplier {m} has a multiplier itself; chains are not supported")


def _check_weights(data: dict, kind_of: dict, err) -> None:
    for i, area in enumerate(data["areas"]):
        for j, sub in enumerate(area["subareas"]):
            total = sum(Decimal(repr(float(c.get("weight", 0)))) for c in sub["criteria"]
                        if kind_of.get(c["answer_type"]) in ("score", "category"))
            if not math.isclose(float(total), sub["weight"], rel_tol=0, abs_tol=TOLERANCE):
                err(("areas", i, "subareas", j, "weight"),
                    f"the lines of sub-area {sub['id']} weigh {float(total):g} together, not its weight {sub['weight']:g}")


def _check_themes(data: dict, err) -> None:
    themes = [t["id"] for t in data.get("themes", [])]
    if len(set(themes)) != len(themes):
        err(("themes",), "duplicate theme ids")
    used = set()
    for path, c, _ in _lines(data):
        t = c.get("theme")
        if t is None:
            continue
        if t not in themes:
            err(path + ("theme",), f"unknown theme {t!r} (declared: {themes})")
        used.add(t)
    for k, t in enumerate(themes):
        if t not in used:
            err(("themes", k, "id"), f"theme {t!r} has no lines")


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
            err(ep + ("answers", cid), text_of(exc, "en"))
        except (KeyError, IndexError, TypeError):
            err(ep + ("answers", cid), "the line is invalid (see the errors above)")
