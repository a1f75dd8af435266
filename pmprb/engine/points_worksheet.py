"""Worksheets of points instruments: their extra keys and their full result.

Two keys only a points instrument's worksheet takes:

``applicable_weight``
    the rescaled component's applicable weight as an official figure (when
    the official result states it without naming the lines it leaves out);
    without it the weight is derived from the lines answered not applicable.
``published``
    figures published for this worksheet, to check that they follow from its
    answers: ``points`` (line -> points), ``components`` (component ->
    sum of its lines), ``rescaled`` (the rescaled component after
    rescaling), ``applicable_weight`` and ``total``. Each is compared to the
    cent with what the rules compute; every figure that cannot be reproduced
    is named (:func:`compare`).

:func:`result_json` is what ``pmprb score --json`` prints for a points
instrument: every line with its answer, points, flags and what raising it to
its best answer would add to the total, the sums per sub-area, area, theme and
component, the rescaling, the total and grade, and the comparison with the
published figures when the worksheet gives them.
"""

from __future__ import annotations

from decimal import Decimal

from pmprb.engine import points, points_scoring
from pmprb.engine import flags

KEYS = ("applicable_weight", "published")
PUBLISHED_KEYS = ("points", "components", "rescaled", "applicable_weight", "total")


def _number(raw) -> float:
    d = points.to_decimal(raw)  # ValueError for anything but a plain number
    return float(d)


def parse_extras(data: dict, inst, problems, line) -> dict:
    """``{"applicable_weight": float | None, "published": dict | None}``; problems are reported, not raised."""
    out = {"applicable_weight": None, "published": None}
    given = [k for k in KEYS if data.get(k) is not None]
    if not points.is_points(inst):
        for key in given:
            problems.add(line((key,)), key, "pt.ws_only_points", field=key)
        return out
    if "applicable_weight" in given:
        raw = data["applicable_weight"]
        comp_id = points.rescaled_component(inst)
        if comp_id is None:
            problems.add(line(("applicable_weight",)), "applicable_weight", "pt.ws_no_rescale")
        else:
            top = next(c["weight"] for c in inst.components if c["id"] == comp_id)
            try:
                w = _number(raw)
                ok = 0 < w <= top
            except ValueError:
                ok = False
            if ok:
                out["applicable_weight"] = w
            else:
                problems.add(line(("applicable_weight",)), "applicable_weight", "pt.ws_weight",
                             max=f"{top:g}", value=raw)
    if "published" in given:
        out["published"] = _published(data["published"], inst, problems, line)
    return out


def _published(raw, inst, problems, line) -> dict | None:
    if not isinstance(raw, dict):
        problems.add(line(("published",)), "published", "ws.not_mapping", got=type(raw).__name__)
        return None
    out: dict = {}
    comps = [c["id"] for c in inst.components]

    def number(path: tuple, value):
        where = ".".join(str(p) for p in path)
        try:
            return _number(value)
        except ValueError:
            problems.add(line(path), where, "pt.ws_published_number", value=value)
            return None

    for key, value in raw.items():
        path = ("published", key)
        if key not in PUBLISHED_KEYS:
            problems.add(line(path), "published", "pt.ws_published_key", field=key,
                         allowed=", ".join(PUBLISHED_KEYS))
            continue
        if key in ("points", "components"):
            if not isinstance(value, dict):
                problems.add(line(path), f"published.{key}", "ws.not_mapping", got=type(value).__name__)
                continue
            figures = {}
            for item, v in value.items():
                ipath = path + (item,)
                if key == "points" and (item not in inst.criteria or inst.criteria[item].kind not in points.KINDS):
                    problems.add(line(ipath), f"published.points.{item}", "pt.ws_published_line", cid=item,
                                 inst=inst.id)
                    continue
                if key == "components" and item not in comps:
                    problems.add(line(ipath), f"published.components.{item}", "pt.ws_published_component",
                                 cid=item, allowed=", ".join(comps))
                    continue
                n = number(ipath, v)
                if n is not None:
                    figures[item] = n
            out[key] = figures
        else:
            n = number(path, value)
            if n is not None:
                out[key] = n
    return out


# ---------------------------------------------------------------------------
# the full result


def _line_info(inst, cid: str) -> dict:
    c = inst.criteria[cid]
    d = c.data
    return {"source_id": d.get("source_id"), "text": c.text, "text_en": d.get("text_en", c.text), "kind": c.kind,
            "component": points.component_of_area(inst).get(c.area), "area": c.area, "subarea": c.subarea,
            "theme": d.get("theme"), "weight": d.get("weight"), "range": d.get("range"),
            "multiplier": d.get("multiplier"), "max_points": points.max_points(inst, cid),
            "evaluator": d.get("evaluator")}


def result_json(ws, ev, engine: str | None = None) -> dict:
    """The full-precision result of one points worksheet (see the module docstring)."""
    from pmprb.engine.evaluator import Evaluator

    inst = ws.instrument
    agg = points_scoring.aggregate(inst, ev.values(), ws.applicable_weight)
    evaluator = Evaluator(inst, engine)
    try:
        gains = points_scoring.gains(inst, ws.answers, evidence=ws.evidence, applicable=ws.applicable_weight,
                                     evaluator=evaluator)
    finally:
        evaluator.close()
    lines, criteria = {}, {}
    for cid, dec in ev.decisions.items():
        r, inp = dec.result, dec.input
        criteria[cid] = {"answer": inp["answer"], "evidence": inp["evidence"],
                         "value": r.value, "raw_value": r.raw_value, "flags": list(r.flags)}
        lines[cid] = {**_line_info(inst, cid), "answer": inp["answer"],
                      "evidence": inp["evidence"], "applicable": not r.has_flag(flags.NOT_APPLICABLE),
                      "points": r.value, "raw_points": r.raw_value, "flags": list(r.flags),
                      "gain_if_max": gains.get(cid)}
    out = {"instrument": inst.id, "revision": inst.revision, "engine": ev.engine, **agg,
           "inputs": {"applicable_weight": ws.applicable_weight}, "lines": lines, "criteria": criteria}
    if ws.published is not None:
        out["published"] = compare(inst, out, ws.published)
    return out


# ---------------------------------------------------------------------------
# published figures


def _cents(x, places: int) -> Decimal:
    return points.round_half_up(points.exact(x), places)


def compare(inst, result: dict, published: dict) -> dict:
    """Every published figure against the computed one, to the cent (``scoring.places``).

    ``{"consistent", "checked", "mismatches": [{kind, id, published, computed, difference, ...}]}``;
    a component mismatch also gives what its published lines add up to, which tells a total
    that does not follow even from its own published lines."""
    p = points.places(inst)
    mismatches, checked = [], 0

    def check(kind: str, ident, pub, comp, **extra) -> None:
        nonlocal checked
        checked += 1
        a, b = _cents(pub, p), _cents(comp if comp is not None else 0, p)
        if a != b:
            mismatches.append({"kind": kind, "id": ident, "published": float(a), "computed": float(b),
                               "difference": float(b - a), **extra})

    lines = result["lines"]
    for cid, pub in (published.get("points") or {}).items():
        check("line", cid, pub, lines[cid]["points"], source_id=lines[cid]["source_id"], text=lines[cid]["text"])
    for comp_id, pub in (published.get("components") or {}).items():
        members = [cid for cid, ln in lines.items() if ln["component"] == comp_id]
        given = [cid for cid in members if cid in (published.get("points") or {})]
        extra = {}
        if given:
            s = sum((_cents(published["points"][cid], p) for cid in given), Decimal(0))
            extra["published_lines"] = {"sum": float(s), "lines": len(given), "of": len(members)}
        check("component", comp_id, pub, result["components"][comp_id]["score"], **extra)
    rescale = result.get("rescale")
    if "rescaled" in published and rescale:
        check("rescaled", rescale["component"], published["rescaled"], rescale["rescaled"])
    if "applicable_weight" in published and rescale:
        check("applicable_weight", rescale["component"], published["applicable_weight"], rescale["weight"])
    if "total" in published:
        check("total", None, published["total"], result["indeks_rb"])
    return {"consistent": not mismatches, "checked": checked, "mismatches": mismatches}
