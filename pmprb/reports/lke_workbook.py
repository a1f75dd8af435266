"""The LKE as the official workbook: live formulas an evaluator can recalculate.

Sheet ``LKE`` lists every area, sub-area and criterion with its weight,
the answer (an input cell with the answer list as a drop-down), the value
(a formula: the answer's value from the instrument's answer types, with the
instrument's gating rules — zeroing and multiplying — written as ``IF``s),
each sub-area's score (mean of its scored criteria × weight), each area's
subtotal, Pengungkit, the Hasil inputs with their points, Hasil, the Indeks
and the grade (a formula from the grade bands, lower bound exclusive). So
editing an answer or a Hasil input and recalculating moves every total, as
in the official KemenPANRB workbook. Sheet ``Rekap`` repeats the totals by
reference.

Every formula cell also carries pmprb's own figure as its cached value, so
a reader that does not recalculate (a viewer, a script with ``data_only``)
sees the frozen result; the file asks spreadsheet programs to recalculate
when opened. Every text written from user data is a string cell, never a
formula (:func:`pmprb.safe_output.set_value`).

Everything comes from the instrument's data: nothing here knows a criterion.
"""

from __future__ import annotations

from dataclasses import dataclass

import re
import zipfile
from pathlib import Path

from pmprb import i18n
from pmprb.engine.instrument import Instrument, _previous_in_subarea
from pmprb.reports.environment import report_timestamp
from pmprb.safe_output import set_value

COLUMNS = ("no", "code", "text", "weight", "options", "answer", "value", "score", "percent", "evidence", "note",
           "source")
WIDTHS = {"no": 5, "code": 10, "text": 52, "weight": 8, "options": 44, "answer": 9, "value": 8, "score": 10,
          "percent": 9, "evidence": 34, "note": 36, "source": 13}
COL = {key: chr(ord("A") + i) for i, key in enumerate(COLUMNS)}
HEADER_ROW = 4
AREA_FILL, SUB_FILL, TOTAL_FILL, HEADER_FILL = "D9E4EE", "EEF3F7", "FFF4D6", "E3ECF3"


def _q(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + str(text).replace('"', '""') + '"'


def _num(x: float) -> str:
    """A constant inside a formula: plain decimal, no exponent (durable to every locale's parser)."""
    text = repr(float(x))
    if "e" in text or "E" in text:
        text = f"{float(x):.15f}".rstrip("0").rstrip(".")
    return text[:-2] if text.endswith(".0") else text


class _Cells:
    """Where each criterion's answer and value live (rows are known before formulas are written)."""

    def __init__(self):
        self.row: dict[str, int] = {}

    def answer(self, cid: str) -> str:
        return f"{COL['answer']}{self.row[cid]}"

    def value(self, cid: str) -> str:
        return f"{COL['value']}{self.row[cid]}"


def _gates(inst: Instrument) -> dict[str, list[tuple[str, str, list]]]:
    """target -> [(kind, prerequisite, answers)] from the instrument's gating rules."""
    out: dict[str, list] = {}
    for area in inst.areas:
        for sub in area["subareas"]:
            for gate in sub.get("gating", []):
                kind = gate["kind"]
                if kind in ("zero_if_answer", "zero_if_value_zero"):
                    for target in gate["then_zero"]:
                        out.setdefault(target, []).append((kind, gate["when"]["criterion"],
                                                           gate["when"].get("answer_in", [])))
                elif kind == "zero_chain":
                    for pre, target in zip(gate["criteria"], gate["criteria"][1:]):
                        out.setdefault(target, []).append((kind, pre, []))
                else:
                    for target in gate["criteria"]:
                        out.setdefault(target, []).append(
                            (kind, _previous_in_subarea(inst.criteria_data, target), []))
    return out


def _own_value_formula(inst: Instrument, cid: str, cells: _Cells) -> str | None:
    """The criterion's value before gating, as a formula; None for a count-valued item."""
    c = inst.criteria[cid]
    ans = cells.answer(cid)
    if c.is_choice:
        expr = "0"   # unanswered or not an answer of the type: 0, as the rules decide
        for answer, value in reversed(list(c.values.items())):
            expr = f"IF({ans}={_q(answer)},{_num(value)},{expr})"
        return expr
    if c.kind != "computed" or c.is_count_valued:
        return None
    f = c.formula
    if f["kind"] == "ratio":
        top, bottom = cells.answer(f["numerator"]), cells.answer(f["denominator"])
        raw = f"{top}/{bottom}"
    else:
        top, bottom = cells.answer(f["current"]), cells.answer(f["previous"])
        raw = f"({bottom}-{top})/{bottom}"
    cap, floor = _num(f.get("cap", 1)), _num(f.get("floor", 0))
    both = _num(f["when_both_zero"]) if "when_both_zero" in f else "0"
    zero_den = _num(f["when_zero_denominator"]) if "when_zero_denominator" in f else "0"
    return (f'IF(OR({top}="",{bottom}=""),0,IF(AND({bottom}=0,{top}=0),{both},'
            f"IF({bottom}=0,{zero_den},MIN({cap},MAX({floor},{raw})))))")


def value_formula(inst: Instrument, cid: str, cells: _Cells, gates: dict) -> str | None:
    own = _own_value_formula(inst, cid, cells)
    if own is None:
        return None
    zero, factors = [], []
    for kind, pre, answers in gates.get(cid, []):
        if kind == "zero_if_answer":
            zero += [f"{cells.answer(pre)}={_q(a)}" for a in answers]
        elif kind in ("zero_if_value_zero", "zero_chain"):
            zero.append(f"{cells.value(pre)}=0")
        else:
            factors.append(cells.value(pre))
    expr = own if not factors else f"({own})*" + "*".join(factors)
    if zero:
        expr = f"IF(OR({','.join(zero)}),0,{expr})"
    return "=" + expr


def _hasil_formula(part: dict, input_cell: str) -> str:
    if part["kind"] == "scale":
        span = part["max"] - part["min"]
        return (f'=IF({input_cell}="",0,({input_cell}-{_num(part["min"])})/{_num(span)}*{_num(part["weight"])})')
    expr = "0"
    for cat in reversed(part["categories"]):
        expr = f"IF({input_cell}={_q(cat['code'])},{_num(cat['points'])},{expr})"
    return f"=({expr})/{_num(part['max_points'])}*{_num(part['weight'])}"


def _grade_formula(inst: Instrument, indeks_cell: str) -> str | None:
    bands = sorted(inst.data.get("grade_bands") or [], key=lambda b: b["above"], reverse=True)
    if not bands:
        return None
    expr = '""'
    for band in reversed(bands):
        op = ">=" if band["above"] == 0 else ">"
        expr = f"IF({indeks_cell}{op}{_num(band['above'])},{_q(band['grade'])},{expr})"
    return "=" + expr


@dataclass
class LkeSheet:
    """The LKE sheet both workbooks start from: the workbook with its properties,
    the title rows and the column headers, and ``put`` — one cell, a user's text
    always a string cell, a formula remembered with pmprb's own value to cache."""

    wb: object
    ws: object
    cached: dict
    t: object
    fill: object
    border: object
    wrap: object
    audit_head: dict | None

    @property
    def sheet(self) -> str:
        return self.ws.title

    def put(self, row: int, key: str, value, *, fmt: str | None = None, cache=None, text: bool = False):
        cell = self.ws[f"{COL[key]}{row}"]
        if text:
            set_value(cell, value)
        else:
            cell.value = value
        if fmt:
            cell.number_format = fmt
        if isinstance(value, str) and value.startswith("=") and not text:
            self.cached[self.sheet, cell.coordinate] = cache
        return cell


    def finish(self, last_row: int, footer: str) -> None:
        """Borders to ``last_row``, frozen headers, print titles and page setup of the main sheet."""
        for rr in range(HEADER_ROW, last_row + 1):
            for key in COLUMNS:
                self.ws[f"{COL[key]}{rr}"].border = self.border
        self.ws.freeze_panes = f"{COL['weight']}{HEADER_ROW + 1}"
        self.ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        _print_setup(self.ws, footer, audit_head=self.audit_head)

    def summary_sheet(self):
        """The Rekap sheet with its header row: the totals again, by reference to the main sheet."""
        from openpyxl.styles import Font

        rk = self.wb.create_sheet(self.t("lkw.sheet_summary"))
        heads = [self.t(f"lkw.col.{k}") for k in ("code", "text", "weight", "score", "percent")]
        for j, head in enumerate(heads, start=1):
            cell = rk.cell(row=1, column=j, value=head)
            cell.font, cell.fill = Font(bold=True), self.fill(HEADER_FILL)
        for width, letter in zip((10, 52, 10, 12, 12), "ABCDE"):
            rk.column_dimensions[letter].width = width
        return rk

    def summary(self, areas: list[dict], area_rows: dict, totals: list[tuple], *, score_fmt: str,
                percent: bool, grade: bool, footer: str) -> None:
        """The Rekap sheet: one row per area (code, name, weight, and its score — and percent —
        by reference to the main sheet), then ``totals``: (label, main-sheet cell, pmprb's value,
        number format); a row without value or format is the grade, left out when no band applies."""
        from openpyxl.styles import Alignment, Font

        rk = self.summary_sheet()
        q = f"'{self.sheet}'!"
        out_row = 2
        for area in areas:
            ar = area_rows[area["code"]]
            set_value(rk.cell(row=out_row, column=1), area["code"])
            set_value(rk.cell(row=out_row, column=2), area["name"])
            rk.cell(row=out_row, column=3, value=area["weight"]).number_format = "0.00"
            _ref(rk, self.cached, out_row, 4, f"={q}{COL['score']}{ar}", area["score"], score_fmt)
            if percent:
                _ref(rk, self.cached, out_row, 5, f"={q}{COL['percent']}{ar}", area["percent"] / 100, "0.00%")
            out_row += 1
        for label, cell, value, fmt in totals:
            if value is None and fmt is None and not grade:
                continue
            set_value(rk.cell(row=out_row, column=2), label)
            rk.cell(row=out_row, column=2).font = Font(bold=True)
            _ref(rk, self.cached, out_row, 4, f"={q}{cell}", value, fmt)
            rk.cell(row=out_row, column=4).alignment = Alignment(horizontal="right")
            out_row += 1
        _print_setup(rk, footer, landscape=False, audit_head=self.audit_head)


def start_sheet(ctx: dict, inst: Instrument, howto: str) -> LkeSheet:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    lang = ctx["lang"]
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    fill = lambda colour: PatternFill("solid", fgColor=colour)  # noqa: E731
    thin = Side(style="thin", color="B0BEC5")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "pmprb"
    wb.properties.created = report_timestamp().replace(tzinfo=None)
    wb.properties.title = ctx["title"]
    wb.calculation.fullCalcOnLoad = True   # spreadsheet programs recompute on opening
    audit_head = ctx.get("audit_head")
    if audit_head:
        # The audit chain head the workbook was made from: `audit verify --against` reads it back.
        wb.properties.keywords = audit_head["marker"]
    ws = wb.create_sheet(t("lkw.sheet"))
    fr = ctx["final"]
    set_value(ws["A1"], f"{ctx['title']} — {ctx['institution']} {ctx['round']['year']}")
    ws["A1"].font = Font(bold=True, size=13)
    set_value(ws["A2"], t("lkw.subtitle", instrument=f"{inst.title} ({inst.id}, {inst.version})",
                         revision=inst.revision[:16], seq=fr["seq"], hash=fr["hash"]))
    set_value(ws["A3"], howto)
    ws["A3"].font = Font(italic=True, size=9)
    for key in COLUMNS:
        cell = ws[f"{COL[key]}{HEADER_ROW}"]
        cell.value = t(f"lkw.col.{key}")
        cell.font, cell.fill, cell.border = Font(bold=True), fill(HEADER_FILL), border
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        ws.column_dimensions[COL[key]].width = WIDTHS[key]
    return LkeSheet(wb=wb, ws=ws, cached={}, t=t, fill=fill, border=border,
                    wrap=Alignment(wrap_text=True, vertical="top"), audit_head=audit_head)


def build_workbook(ctx: dict, inst: Instrument):
    """The workbook (openpyxl) and the cached value of every formula cell, {(sheet, cell): value}."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = ctx["lang"]
    lke = start_sheet(ctx, inst, i18n.t("lkw.howto", lang=lang))
    wb, ws, sheet, cached, put = lke.wb, lke.ws, lke.sheet, lke.cached, lke.put
    t, fill, wrap = lke.t, lke.fill, lke.wrap
    fr = ctx["final"]

    # First pass: rows of every line, so formulas can point forwards (an area sums the sub-areas below it).
    layout: list[tuple[str, object]] = []
    cells = _Cells()
    row = HEADER_ROW + 1
    area_rows, sub_rows = {}, {}
    for area in ctx["areas"]:
        area_rows[area["code"]] = row
        layout.append(("area", area))
        row += 1
        for sub in area["subareas"]:
            sub_rows[sub["id"]] = row
            layout.append(("sub", sub))
            row += 1
            for c in sub["criteria"]:
                cells.row[c["id"]] = row
                layout.append(("criterion", c))
                row += 1
    pengungkit_row = row
    hasil_head = row + 2
    gates = _gates(inst)
    answer_lists: dict[str, list[str]] = {}
    # Counts are stored as text ("12"); the workbook needs numbers.
    counts = {c["id"]: int(c["answer"]) for kind, c in layout if kind == "criterion"
              and inst.criteria[c["id"]].kind == "count" and c["answer"] not in (None, "")}

    for kind, node in layout:
        if kind == "area":
            r = area_rows[node["code"]]
            put(r, "code", node["code"], text=True)
            put(r, "text", node["name"], text=True)
            put(r, "weight", node["weight"], fmt="0.00")
            subs = [f"{COL['score']}{sub_rows[s['id']]}" for s in node["subareas"]]
            put(r, "score", f"=SUM({','.join(subs)})", fmt="0.0000", cache=node["score"])
            put(r, "percent", f"={COL['score']}{r}/{COL['weight']}{r}", fmt="0.00%", cache=node["percent"] / 100)
            for key in COLUMNS:
                ws[f"{COL[key]}{r}"].font = Font(bold=True)
                ws[f"{COL[key]}{r}"].fill = fill(AREA_FILL)
        elif kind == "sub":
            r = sub_rows[node["id"]]
            put(r, "code", node["id"], text=True)
            put(r, "text", node["name"], text=True)
            put(r, "weight", node["weight"], fmt="0.00")
            scored = [f"{COL['value']}{cells.row[c['id']]}" for c in node["criteria"] if c["scored"]]
            put(r, "value", f"=AVERAGE({','.join(scored)})", fmt="0.0000", cache=node["mean"])
            put(r, "score", f"={COL['value']}{r}*{COL['weight']}{r}", fmt="0.0000", cache=node["score"])
            for key in COLUMNS:
                ws[f"{COL[key]}{r}"].font = Font(bold=True)
                ws[f"{COL[key]}{r}"].fill = fill(SUB_FILL)
            ws[f"{COL['text']}{r}"].alignment = wrap
            ws.row_dimensions[r].height = max(15.0, _row_height(ws, r, ("text",)) * 1.15)
        else:
            c = node
            r = cells.row[c["id"]]
            crit = inst.criteria[c["id"]]
            put(r, "no", c["no"])
            put(r, "code", c["id"], text=True)
            put(r, "text", c["text"], text=True)
            put(r, "options", "\n".join(f"{a}: {text}" if text else a for a, text in c["options"]), text=True)
            if crit.kind == "computed" and crit.is_count_valued:
                terms = ",".join(cells.answer(x) for x in crit.formula["terms"])
                given = [counts.get(x) for x in crit.formula["terms"]]
                put(r, "answer", f"=IF(COUNT({terms})=0,\"\",SUM({terms}))",
                    cache=sum(n for n in given if n is not None) if any(n is not None for n in given) else None)
            elif crit.is_choice:
                put(r, "answer", c["answer"], text=True)   # an answer is user data: never a formula
                answer_lists.setdefault(",".join(crit.values), []).append(f"{COL['answer']}{r}")
            elif crit.kind == "count":
                put(r, "answer", counts.get(c["id"]))   # a number, so formulas can add it up
            formula = value_formula(inst, c["id"], cells, gates)
            if formula:
                put(r, "value", formula, fmt="0.00", cache=c["value"])
            put(r, "evidence", "\n".join([t_docs(c["evidence"], lang)] + c["documents"]), text=True)
            put(r, "note", "; ".join(x for x in [c["note"], ", ".join(c["flags"])] if x) or None, text=True)
            put(r, "source", c["source"], text=True)
            for key in ("text", "options", "evidence", "note"):
                ws[f"{COL[key]}{r}"].alignment = wrap
            for key in COLUMNS:
                ws[f"{COL[key]}{r}"].font = Font(size=9)
                if key not in ("text", "options", "evidence", "note", "answer"):
                    ws[f"{COL[key]}{r}"].alignment = Alignment(vertical="top")
            ws.row_dimensions[r].height = _row_height(ws, r, ("text", "options", "evidence", "note"))
            ws[f"{COL['answer']}{r}"].alignment = Alignment(horizontal="center", vertical="top")
            ws[f"{COL['answer']}{r}"].fill = fill("FFFFFF")

    tot = ctx["totals"]
    r = pengungkit_row
    put(r, "text", t("lkw.pengungkit"), text=True)
    put(r, "weight", tot["pengungkit_max"], fmt="0.00")
    area_scores = [f"{COL['score']}{ar}" for ar in area_rows.values()]
    put(r, "score", f"=SUM({','.join(area_scores)})", fmt="0.0000", cache=tot["pengungkit"])
    for key in COLUMNS:
        ws[f"{COL[key]}{r}"].font = Font(bold=True)
        ws[f"{COL[key]}{r}"].fill = fill(TOTAL_FILL)

    r = hasil_head
    put(r, "text", t("lkw.hasil_input"), text=True)
    ws[f"{COL['text']}{r}"].font = Font(bold=True)
    r += 1
    part_cells = []
    for comp in ctx["hasil"]:
        put(r, "code", comp["id"], text=True)
        put(r, "text", comp["name"], text=True)
        put(r, "weight", comp["weight"], fmt="0.00")
        comp_row, r = r, r + 1
        rows_of_parts = []
        for part in comp["parts"]:
            spec = part["spec"]
            put(r, "code", part["id"], text=True)
            put(r, "text", part["name"], text=True)
            put(r, "weight", spec["weight"], fmt="0.00")
            put(r, "options", (t("lkw.range", min=f"{spec['min']:g}", max=f"{spec['max']:g}") if spec["kind"] == "scale"
                               else "\n".join(f"{c['code']}: {c['label']}" for c in spec["categories"])), text=True)
            if spec["kind"] == "scale":
                put(r, "answer", part["input"], fmt="0.00#")
            else:
                put(r, "answer", part["input"], text=True)
                answer_lists.setdefault(",".join(c["code"] for c in spec["categories"]), []).append(
                    f"{COL['answer']}{r}")
            put(r, "score", _hasil_formula(spec, f"{COL['answer']}{r}"), fmt="0.0000", cache=part["points"])
            put(r, "source", part["source"], text=True)
            ws[f"{COL['options']}{r}"].alignment = wrap
            ws[f"{COL['answer']}{r}"].alignment = Alignment(horizontal="center", vertical="top")
            ws.row_dimensions[r].height = _row_height(ws, r, ("text", "options"))
            rows_of_parts.append(f"{COL['score']}{r}")
            r += 1
        put(comp_row, "score", f"=SUM({','.join(rows_of_parts)})", fmt="0.0000", cache=comp["points"])
        ws[f"{COL['code']}{comp_row}"].font = ws[f"{COL['text']}{comp_row}"].font = Font(bold=True)
        part_cells += rows_of_parts
    hasil_row, indeks_row, grade_row = r, r + 1, r + 2
    put(hasil_row, "text", t("lkw.hasil"), text=True)
    put(hasil_row, "weight", tot["hasil_max"], fmt="0.00")
    put(hasil_row, "score", f"=SUM({','.join(part_cells)})", fmt="0.0000", cache=tot["hasil"])
    put(indeks_row, "text", t("lkw.indeks"), text=True)
    put(indeks_row, "weight", 100, fmt="0.00")
    put(indeks_row, "score", f"={COL['score']}{pengungkit_row}+{COL['score']}{hasil_row}", fmt="0.00",
        cache=tot["indeks"])
    grade = _grade_formula(inst, f"{COL['score']}{indeks_row}")
    put(grade_row, "text", t("lkw.grade"), text=True)
    if grade:
        put(grade_row, "score", grade, cache=tot["grade"]).alignment = Alignment(horizontal="right")
    for rr in (hasil_row, indeks_row, grade_row):
        for key in COLUMNS:
            ws[f"{COL[key]}{rr}"].font = Font(bold=True)
            ws[f"{COL[key]}{rr}"].fill = fill(TOTAL_FILL)

    for choices, refs in answer_lists.items():
        dv = DataValidation(type="list", formula1=_q(choices), allow_blank=True, showErrorMessage=True)
        ws.add_data_validation(dv)
        for ref in refs:
            dv.add(ref)
    lke.finish(grade_row, t("lkw.footer", hash=fr["hash"][:16]))
    score = COL["score"]
    lke.summary(ctx["areas"], area_rows,
                [(t("lkw.pengungkit"), f"{score}{pengungkit_row}", tot["pengungkit"], "0.0000"),
                 (t("lkw.hasil"), f"{score}{hasil_row}", tot["hasil"], "0.0000"),
                 (t("lkw.indeks"), f"{score}{indeks_row}", tot["indeks"], "0.00"),
                 (t("lkw.grade"), f"{score}{grade_row}", tot["grade"], None)],
                score_fmt="0.0000", percent=True, grade=grade, footer=t("lkw.footer", hash=fr["hash"][:16]))
    locations = {"pengungkit": (sheet, f"{COL['score']}{pengungkit_row}"),
                 "hasil": (sheet, f"{COL['score']}{hasil_row}"),
                 "indeks": (sheet, f"{COL['score']}{indeks_row}"),
                 "grade": (sheet, f"{COL['score']}{grade_row}"),
                 "answers": {cid: (sheet, cells.answer(cid)) for cid in cells.row},
                 "values": {cid: (sheet, cells.value(cid)) for cid in cells.row},
                 "areas": {code: (sheet, f"{COL['score']}{r}") for code, r in area_rows.items()},
                 "subareas": {sid: (sheet, f"{COL['score']}{r}") for sid, r in sub_rows.items()}}
    return wb, cached, locations


LINE_POINTS = 11.5       # a 9 pt line
CHARS_PER_WIDTH = 1.3    # 9 pt characters per column-width unit (widths are in 11 pt characters)


def _row_height(ws, row: int, keys) -> float:
    """Spreadsheet programs do not grow a row for wrapped text written by openpyxl (LibreOffice
    prints it overlapping): size the row for its longest wrapped cell."""
    import math

    lines = 1
    for key in keys:
        value = ws[f"{COL[key]}{row}"].value
        if not isinstance(value, str):
            continue
        per_line = max(int(WIDTHS[key] * CHARS_PER_WIDTH), 1)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n")))
    return round(lines * LINE_POINTS + 3, 1)


def t_docs(n: int, lang: str) -> str:
    return i18n.t("lke.docs", lang=lang, n=n)


def _ref(ws, cached: dict, row: int, col: int, formula: str, value, fmt: str | None) -> None:
    cell = ws.cell(row=row, column=col, value=formula)
    if fmt:
        cell.number_format = fmt
    cached[ws.title, cell.coordinate] = value


def _print_setup(ws, footer: str, landscape: bool = True, audit_head=None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = footer
    if audit_head:
        ws.oddFooter.left.text = audit_head["text"][:250]
    ws.oddFooter.center.size = 8


# ---------------------------------------------------------------------------
# cached values: openpyxl writes formulas with an empty <v/>; put pmprb's figure there.

_CELL = re.compile(r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)><f>(?P<f>.*?)</f><v\s*/>(?:</v>)?</c>', re.S)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cache_sheet(xml: str, values: dict[str, object]) -> str:
    def fill(m: re.Match) -> str:
        ref = m.group("ref")
        if ref not in values or values[ref] is None:
            return m.group(0)
        value = values[ref]
        attrs = re.sub(r'\s+t="[^"]*"', "", m.group("attrs"))
        if isinstance(value, str):
            return f'<c r="{ref}"{attrs} t="str"><f>{m.group("f")}</f><v>{_escape(value)}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{attrs} t="b"><f>{m.group("f")}</f><v>{int(value)}</v></c>'
        return f'<c r="{ref}"{attrs}><f>{m.group("f")}</f><v>{repr(float(value))}</v></c>'
    return _CELL.sub(fill, xml)


def save(wb, cached: dict, path: str | Path) -> Path:
    """Save ``wb`` with every formula's cached value (atomically)."""
    import os
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    titles = wb.sheetnames
    fd, raw = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(raw)
    out = path.with_name(f".{path.name}.tmp")
    try:
        wb.save(tmp)
        by_sheet: dict[str, dict[str, object]] = {}
        for (title, ref), value in cached.items():
            by_sheet.setdefault(f"xl/worksheets/sheet{titles.index(title) + 1}.xml", {})[ref] = value
        with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename in by_sheet:
                    data = _cache_sheet(data.decode("utf-8"), by_sheet[item.filename]).encode("utf-8")
                zout.writestr(item, data)
        os.replace(out, path)
    finally:
        tmp.unlink(missing_ok=True)
        out.unlink(missing_ok=True)
    return path


__all__ = ["build_workbook", "save", "value_formula"]
