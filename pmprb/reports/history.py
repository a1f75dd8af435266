"""Published Indeks RB tables for people and machines: the check result as
JSON and text lines, the years-side-by-side table, and the HTML report with
its trend charts. Data comes from :mod:`pmprb.engine.history`."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from pmprb import i18n
from pmprb.engine.history import (GRADE, HASIL, INDEKS, PENGUNGKIT, Check, CheckResult, Figure, Layout, decimals)
from pmprb.reports.charts import Bar, Series, bar_chart, line_chart
from pmprb.reports.environment import render
from pmprb.numbers import MISSING, format_number

TEMPLATE = "reports/history.html.j2"
_MICRO = Decimal("0.000001")


# ---------------------------------------------------------------------------
# machine output


def _machine(d: Decimal | None) -> float | None:
    return None if d is None else float(d.quantize(_MICRO, rounding=ROUND_HALF_UP))


def check_to_json(c: Check) -> dict:
    grade = c.field == "grade"
    out = {
        "year": c.year, "item": c.item, "field": c.field, "kind": c.kind, "ok": c.ok,
        "published": c.published if grade else float(c.published),
        "recomputed": c.recomputed if grade else _machine(c.recomputed),
        "difference": _machine(c.difference), "allowed": _machine(c.allowed),
        "inputs": list(c.inputs), "source": c.source,
    }
    if grade:
        out["indeks"] = _machine(c.basis)
    return out


def result_to_json(result: CheckResult, source: str) -> dict:
    return {
        "source": source, "instrument": result.instrument, "years": list(result.years),
        "consistent": result.consistent, "checked": len(result.checks),
        "inconsistent": len(result.inconsistencies),
        "inconsistencies": [check_to_json(c) for c in result.inconsistencies],
        "checks": [check_to_json(c) for c in result.checks],
        "skipped": [{"year": s.year, "item": s.item, "field": s.field, "missing": list(s.missing)}
                    for s in result.skipped],
    }


# ---------------------------------------------------------------------------
# text for people


def _places(c: Check) -> int:
    return min(max(decimals(c.published) + 2, 2), 6) if isinstance(c.published, Decimal) else 2


def _allowed_text(allowed: Decimal, lang: str) -> str:
    # Show the allowance exactly when it is short (0,045), else to 6 decimals.
    places = min(decimals(allowed.normalize()), 6)
    return format_number(allowed, places, lang)


def check_line(c: Check, lang: str | None = None) -> str:
    lang = lang or i18n.get_lang()
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    allowed = _allowed_text(c.allowed, lang)
    if c.field == "grade":
        key = "history.check.grade_ok_line" if c.ok else "history.check.grade_line"
        what = t(f"history.kind.{c.kind}")
        return t(key, year=c.year, published=c.published, recomputed=c.recomputed or t("history.no_grade"),
                 indeks=format_number(c.basis, max(decimals(c.basis), 2), lang), allowed=allowed, what=what)
    published = format_number(c.published, decimals(c.published), lang)
    if c.kind in ("range", "weight"):
        what = t("history.consistent") if c.ok else t(f"history.kind.{c.kind}")
        return t(f"history.check.{c.kind}_line", year=c.year, item=c.item, published=published,
                 recomputed=format_number(c.recomputed, decimals(c.recomputed.normalize()), lang),
                 allowed=allowed, what=what)
    places = _places(c)
    if c.kind == "sum":
        what = t("history.kind.sum", item=c.item, formula=" + ".join(c.inputs))
    else:
        what = t(f"history.kind.{c.kind}")
    return t("history.check.ok_line" if c.ok else "history.check.line", year=c.year, item=c.item,
             field=t(f"history.field.{c.field}"), published=published,
             recomputed=format_number(c.recomputed, places, lang),
             difference=format_number(c.difference, places, lang), allowed=allowed, what=what)


def skipped_line(s, lang: str | None = None) -> str:
    lang = lang or i18n.get_lang()
    return i18n.t("history.skip.missing", lang=lang, year=s.year, item=s.item,
                  field=i18n.t(f"history.field.{s.field}", lang=lang), missing=", ".join(s.missing))


def result_lines(result: CheckResult, source: str, lang: str | None = None, everything: bool = False) -> list[str]:
    """The summary line, then each inconsistency (or every check), then what was not checked."""
    lang = lang or i18n.get_lang()
    lines = [i18n.t("history.check.summary", lang=lang, source=source, years=len(result.years),
                    checked=len(result.checks), bad=len(result.inconsistencies), instrument=result.instrument)]
    shown = result.checks if everything else result.inconsistencies
    lines += ["  " + check_line(c, lang) for c in shown]
    if not result.inconsistencies:
        lines.append("  " + i18n.t("history.check.none", lang=lang))
    lines += ["  " + skipped_line(s, lang) for s in result.skipped]
    lines.append(i18n.t("history.check.tolerance_note", lang=lang))
    return lines


# ---------------------------------------------------------------------------
# years side by side


def years_table(figures: Sequence[Figure], lay: Layout, lang: str | None = None) -> dict:
    """Rows in the instrument's order (only items published in some year), one
    cell per year: ``{"weight", "value", "percent", "grade"}`` as published, or None."""
    lang = lang or i18n.get_lang()
    years = sorted({f.year for f in figures})
    cells = {(f.year, f.item): f for f in figures}
    present = {f.item for f in figures}
    rows = []
    for item in lay.items:
        if item not in present:
            continue
        rows.append({
            "item": item, "name": lay.name(item, lang),
            "weight": lay.weights.get(item),
            "total": item in (PENGUNGKIT, HASIL, INDEKS, GRADE),
            "years": {y: cells.get((y, item)) for y in years},
        })
    return {"years": years, "rows": rows}


def years_table_json(table: dict) -> dict:
    def cell(f: Figure | None):
        if f is None:
            return None
        if f.item == GRADE:
            return {"grade": f.grade}
        return {"weight": None if f.weight is None else float(f.weight), "value": float(f.value),
                "percent": None if f.percent is None else float(f.percent)}

    return {"years": table["years"], "rows": [
        {"item": r["item"], "name": r["name"], "weight": None if r["weight"] is None else float(r["weight"]),
         "years": {str(y): cell(f) for y, f in r["years"].items()}} for r in table["rows"]]}


def _fig_text(f: Figure | None, lang: str) -> str:
    if f is None:
        return MISSING
    if f.item == GRADE:
        return f.grade
    text = format_number(f.value, decimals(f.value), lang)
    if f.percent is not None:
        text += f" ({format_number(f.percent, decimals(f.percent), lang)}%)"
    return text


def years_table_lines(table: dict, lang: str | None = None) -> list[str]:
    """Plain-text columns: item, weight, then one column per year."""
    lang = lang or i18n.get_lang()
    head = [i18n.t("history.report.item", lang=lang), i18n.t("history.report.weight", lang=lang)]
    head += [str(y) for y in table["years"]]
    body = []
    for r in table["rows"]:
        weight = "" if r["item"] == GRADE or r["weight"] is None else format_number(r["weight"], 0, lang)
        body.append([r["item"], weight] + [_fig_text(r["years"][y], lang) for y in table["years"]])
    widths = [max(len(row[i]) for row in [head] + body) for i in range(len(head))]
    fmt = lambda row: "  ".join(  # noqa: E731
        cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip()
    return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(row) for row in body]


# ---------------------------------------------------------------------------
# the HTML report


def _flagged(result: CheckResult | None) -> dict:
    """(year, item) -> the fields found inconsistent, for marking cells."""
    out: dict = {}
    for c in (result.inconsistencies if result else []):
        out.setdefault((c.year, c.item), set()).add(c.field)
    return out


def _charts(table: dict, lay: Layout, lang: str) -> dict:
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    years = table["years"]
    by_item = {r["item"]: r["years"] for r in table["rows"]}

    def values(item: str):
        cells = by_item.get(item, {})
        return [float(cells[y].value) if cells.get(y) is not None else None for y in years]

    charts = {}
    totals = [Series(lay.name(i, lang), values(i)) for i in (INDEKS, PENGUNGKIT, HASIL) if i in by_item]
    if totals:
        bands = sorted(lay.instrument.data.get("grade_bands", []), key=lambda b: b["above"])
        guides = [(float(b["above"]), b["grade"]) for b in bands if b["above"] > 0]
        charts["trend"] = line_chart([str(y) for y in years], totals, title=t("history.report.trend"), lang=lang,
                                     y_min=0, y_max=100, guides=guides)
    area_rows = [a for a in lay.areas if a in by_item]
    if area_rows and len(years) > 1:
        series = [Series(a, [None if v is None else v / float(lay.weights[a]) * 100 for v in values(a)])
                  for a in area_rows]
        charts["areas_trend"] = line_chart([str(y) for y in years], series, title=t("history.report.trend_areas"),
                                           lang=lang, y_min=0, y_max=100, value_labels=False, height=320)
    latest = next((y for y in reversed(years) if any(by_item[a].get(y) for a in area_rows)), None)
    if latest is not None:
        bars = [Bar(a, None if by_item[a].get(latest) is None else float(by_item[a][latest].value),
                    float(lay.weights[a]), hint=lay.name(a, lang)) for a in area_rows]
        charts["areas_latest"] = bar_chart(bars, title=t("history.report.areas_latest", year=latest), lang=lang)
    return charts


def render_history_html(figures: Sequence[Figure], lay: Layout, *, institution: str, source: str,
                        result: CheckResult | None = None, lang: str | None = None,
                        generated_at: datetime | None = None) -> str:
    lang = lang or i18n.get_lang()
    table = years_table(figures, lay, lang)
    flagged = _flagged(result)
    rows = []
    for r in table["rows"]:
        cells = []
        for y in table["years"]:
            f = r["years"][y]
            bad = flagged.get((y, r["item"]), set())
            if f is None:
                cells.append({"grade": None, "value": None, "percent": None, "value_bad": False, "percent_bad": False})
            else:
                cells.append({
                    "grade": f.grade, "value": None if f.value is None else format_number(f.value, decimals(f.value), lang),
                    "percent": None if f.percent is None else format_number(f.percent, decimals(f.percent), lang),
                    "value_bad": bool(bad & {"value", "weight", "grade"}), "percent_bad": "percent" in bad})
        rows.append({"item": r["item"], "name": r["name"], "total": r["total"],
                     "weight": None if r["item"] == GRADE or r["weight"] is None else format_number(r["weight"], 0, lang),
                     "cells": cells})
    years = table["years"]
    context = {
        "title": i18n.t("history.report.title", lang=lang),
        "subtitle": i18n.t("history.report.subtitle", lang=lang, first=years[0], last=years[-1]) if years else "",
        "institution": institution,
        "meta": [[i18n.t("report.instrument", lang=lang), f"{lay.instrument.id} — {lay.instrument.title}"],
                 [i18n.t("history.report.source", lang=lang), source]],
        "years": years, "rows": rows, "charts": _charts(table, lay, lang),
        "checked": result is not None,
        "check_summary": (i18n.t("history.check.summary", lang=lang, source=source, years=len(result.years),
                                 checked=len(result.checks), bad=len(result.inconsistencies),
                                 instrument=result.instrument) if result else ""),
        "inconsistencies": [check_line(c, lang) for c in (result.inconsistencies if result else [])],
        "skipped": [skipped_line(s, lang) for s in (result.skipped if result else [])],
    }
    return render(TEMPLATE, context, lang=lang, generated_at=generated_at)
