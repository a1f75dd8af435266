"""The LKE workbook of an instrument scored in points lines (``scoring: {method: points}``).

Same sheet and columns as :mod:`pmprb.reports.lke_workbook`, with the points
arithmetic as formulas: a line's points are ``ROUND(score ÷ range maximum ×
weight [× multiplier's score ÷ its maximum], places)``, a category line's are
its known points or the points written with it (``WDP=3.33``), an adjustment
line adds its number; a sub-area and an area sum their lines; a component
sums its areas; the rescaled component is divided by its applicable weight
(its weight minus the weights of the lines answered with the
not-applicable code) and multiplied by its weight; the Indeks is the sum of
the components as counted, and the grade a formula of the bands.

A spreadsheet rounds binary doubles while pmprb rounds the exact decimal
value, so a recalculated line can differ from pmprb's by a cent at an exact
half; every formula cell carries pmprb's own figure as its cached value.
Everything comes from the instrument's data: nothing here knows a line.
"""

from __future__ import annotations

from pmprb import i18n
from pmprb.engine import points
from pmprb.engine.instrument import Instrument
from pmprb.reports.lke_workbook import (AREA_FILL, COL, COLUMNS, HEADER_ROW, SUB_FILL, TOTAL_FILL,
                                        _grade_formula, _num, _q, _row_height, start_sheet, t_docs)

def _line_formula(inst: Instrument, cid: str, answer: str, row_of: dict[str, int]) -> str:
    """The points of one line as a formula of its answer cell (and its multiplier's)."""
    s = points.spec(inst, cid)
    p = s["places"]
    na = s.get("na")
    blank_na = f'IF({answer}={_q(na)},"",' if na and s["may_be_na"] else "("
    if s["kind"] == "adjustment":
        return f'=IF({answer}="",0,ROUND({answer},{p}))'
    if s["kind"] == "category":
        expr = f'IFERROR(VALUE(MID({answer},FIND("=",{answer})+1,32)),0)'
        for code, pts in s["categories"].items():
            if pts is not None:
                expr = f"IF({answer}={_q(code)},{_num(float(pts))},{expr})"
        return f'={blank_na}IF({answer}="",0,ROUND({expr},{p})))'
    base = f"{answer}/{_num(float(s['range'][1]))}*{_num(float(s['weight']))}"
    if "multiplier" in s:
        m = f"{COL['answer']}{row_of[s['multiplier']]}"
        base += f"*IF(ISNUMBER({m}),{m}/{_num(float(s['multiplier_max']))},0)"
    return f'={blank_na}IF({answer}="",0,ROUND({base},{p})))'


def build_workbook(ctx: dict, inst: Instrument):
    """The workbook (openpyxl) and the cached value of every formula cell, {(sheet, cell): value}."""
    from openpyxl.styles import Alignment, Font

    lang = ctx["lang"]
    na = points.na_answer(inst) or "-"
    lke = start_sheet(ctx, inst, i18n.t("lkp.howto", lang=lang, na=na))
    wb, ws, sheet, cached, put = lke.wb, lke.ws, lke.sheet, lke.cached, lke.put
    t, fill, wrap = lke.t, lke.fill, lke.wrap
    fr = ctx["final"]

    layout, row_of, area_rows, sub_rows, area_span = [], {}, {}, {}, {}
    row = HEADER_ROW + 1
    for area in ctx["areas"]:
        area_rows[area["code"]] = row
        layout.append(("area", area))
        row += 1
        for sub in area["subareas"]:
            sub_rows[sub["id"]] = row
            layout.append(("sub", sub))
            row += 1
            for c in sub["criteria"]:
                row_of[c["id"]] = row
                layout.append(("criterion", c))
                row += 1
        area_span[area["code"]] = (area_rows[area["code"]], row - 1)

    for kind, node in layout:
        if kind == "area":
            r = area_rows[node["code"]]
            put(r, "code", node["code"], text=True)
            put(r, "text", node["name"], text=True)
            put(r, "weight", node["weight"], fmt="0.00")
            subs = [f"{COL['score']}{sub_rows[s['id']]}" for s in node["subareas"]]
            put(r, "score", f"=SUM({','.join(subs)})", fmt="0.00", cache=node["score"])
            if node["weight"]:
                put(r, "percent", f"={COL['score']}{r}/{COL['weight']}{r}", fmt="0.00%", cache=node["percent"] / 100)
            for key in COLUMNS:
                ws[f"{COL[key]}{r}"].font = Font(bold=True)
                ws[f"{COL[key]}{r}"].fill = fill(AREA_FILL)
        elif kind == "sub":
            r = sub_rows[node["id"]]
            put(r, "code", node["id"], text=True)
            put(r, "text", node["name"], text=True)
            put(r, "weight", node["weight"], fmt="0.00")
            lines = [f"{COL['value']}{row_of[c['id']]}" for c in node["criteria"]]
            put(r, "score", f"=SUM({','.join(lines)})", fmt="0.00", cache=node["score"])
            for key in COLUMNS:
                ws[f"{COL[key]}{r}"].font = Font(bold=True)
                ws[f"{COL[key]}{r}"].fill = fill(SUB_FILL)
            ws[f"{COL['text']}{r}"].alignment = wrap
        else:
            c = node
            r = row_of[c["id"]]
            crit = inst.criteria[c["id"]]
            put(r, "no", c["no"])
            put(r, "code", c["id"], text=True)
            put(r, "text", c["text"], text=True)
            if crit.kind in ("score", "category"):
                put(r, "weight", float(crit.data["weight"]), fmt="0.00")
            put(r, "options", c.get("spec") or "", text=True)
            answer = c["answer"]
            if crit.kind in ("score", "adjustment") and answer not in (None, "") and answer != na:
                put(r, "answer", float(points.to_decimal(answer)))   # a number, so formulas can use it
            else:
                put(r, "answer", answer, text=True)                   # a category, the NA code: text, never a formula
            put(r, "value", _line_formula(inst, c["id"], f"{COL['answer']}{r}", row_of), fmt="0.00",
                cache=c["value"])
            put(r, "evidence", "\n".join([t_docs(c["evidence"], lang)] + c["documents"]), text=True)
            put(r, "note", "; ".join(x for x in [c["note"], ", ".join(c["flags"])] if x) or None, text=True)
            put(r, "source", c["source"], text=True)
            for key in ("text", "options", "evidence", "note"):
                ws[f"{COL[key]}{r}"].alignment = wrap
            for key in COLUMNS:
                ws[f"{COL[key]}{r}"].font = Font(size=9)
            ws.row_dimensions[r].height = _row_height(ws, r, ("text", "options", "evidence", "note"))
            ws[f"{COL['answer']}{r}"].alignment = Alignment(horizontal="center", vertical="top")

    # Components, the rescaling, the Indeks and the grade.
    r = row + 1
    counted_cells, comp_rows = [], {}
    rescaled = points.rescaled_component(inst)
    by_id = {comp["id"]: comp for comp in ctx["components"]}
    for comp in inst.components:
        got = by_id.get(comp["id"])
        if got is None:
            continue
        codes = [a["code"] for a in inst.areas if a.get("component") == comp["id"]]
        put(r, "code", comp["id"], text=True)
        put(r, "text", got["name"], text=True)
        put(r, "weight", comp["weight"], fmt="0.00")
        put(r, "score", "=SUM(" + ",".join(f"{COL['score']}{area_rows[x]}" for x in codes) + ")", fmt="0.00",
            cache=got["score"])
        comp_rows[comp["id"]] = r
        score_cell = f"{COL['score']}{r}"
        r += 1
        if comp["id"] == rescaled:
            ranges = [(f"{COL['answer']}{a}:{COL['answer']}{b}", f"{COL['weight']}{a}:{COL['weight']}{b}")
                      for a, b in (area_span[x] for x in codes)]
            applicable = "-".join([_num(comp["weight"])] + [f"SUMIF({ans},{_q(na)},{w})" for ans, w in ranges])
            rescale = ctx.get("rescale") or {}
            put(r, "text", t("lkp.applicable", name=got["name"]), text=True)
            if rescale.get("source") == "input":
                # Given as a figure (the official adjusted weight): not derivable from the answers.
                put(r, "weight", rescale["weight"], fmt="0.00")
            else:
                put(r, "weight", f"={applicable}", fmt="0.00", cache=rescale.get("weight"))
            weight_cell = f"{COL['weight']}{r}"
            r += 1
            put(r, "text", t("lkp.counted", name=got["name"]), text=True)
            places = (inst.data["scoring"].get("rescale") or {}).get("places", 2)
            put(r, "score", f"=ROUND({score_cell}/{weight_cell}*{_num(comp['weight'])},{places})", fmt="0.00",
                cache=got["counted"])
            counted_cells.append(f"{COL['score']}{r}")
            r += 1
        else:
            counted_cells.append(score_cell)
    tot = ctx["totals"]
    indeks_row, grade_row = r, r + 1
    put(indeks_row, "text", t("lkw.indeks"), text=True)
    put(indeks_row, "weight", tot["max"], fmt="0.00")
    put(indeks_row, "score", f"=SUM({','.join(counted_cells)})", fmt="0.00", cache=tot["indeks"])
    # A total beyond the bands (a positive or negative adjustment) takes the nearest band.
    top = max((b["upto"] for b in inst.data.get("grade_bands") or []), default=None)
    clamp = f"MAX(MIN({COL['score']}{indeks_row},{_num(top)}),0)" if top is not None else f"{COL['score']}{indeks_row}"
    grade = _grade_formula(inst, clamp)
    put(grade_row, "text", t("lkw.grade"), text=True)
    if grade:
        put(grade_row, "score", grade, cache=tot["grade"]).alignment = Alignment(horizontal="right")
    for rr in range(row + 1, grade_row + 1):
        for key in COLUMNS:
            ws[f"{COL[key]}{rr}"].font = Font(bold=True)
            ws[f"{COL[key]}{rr}"].fill = fill(TOTAL_FILL)
    lke.finish(grade_row, t("lkw.footer", hash=fr["hash"][:16]))
    counted = [(by_id[c]["name"], c_cell, by_id[c]["counted"], "0.00")
               for c, c_cell in zip([c["id"] for c in inst.components if c["id"] in by_id], counted_cells)]
    lke.summary(ctx["areas"], area_rows,
                counted + [(t("lkw.indeks"), f"{COL['score']}{indeks_row}", tot["indeks"], "0.00"),
                           (t("lkw.grade"), f"{COL['score']}{grade_row}", tot["grade"], None)],
                score_fmt="0.00", percent=False, grade=grade, footer=t("lkw.footer", hash=fr["hash"][:16]))
    locations = {"indeks": (sheet, f"{COL['score']}{indeks_row}"), "grade": (sheet, f"{COL['score']}{grade_row}"),
                 "answers": {cid: (sheet, f"{COL['answer']}{r}") for cid, r in row_of.items()},
                 "values": {cid: (sheet, f"{COL['value']}{r}") for cid, r in row_of.items()},
                 "areas": {code: (sheet, f"{COL['score']}{r}") for code, r in area_rows.items()},
                 "subareas": {sid: (sheet, f"{COL['score']}{r}") for sid, r in sub_rows.items()},
                 "components": {cid: (sheet, f"{COL['score']}{r}") for cid, r in comp_rows.items()}}
    return wb, cached, locations
