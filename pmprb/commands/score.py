"""`pmprb score WORKSHEET`: evaluate one worksheet and print its Indeks RB."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.engine import predicates
from pmprb.engine.evaluator import ENGINES
from pmprb.numbers import machine_number
from pmprb.engine.worksheet import WorksheetFile
from pmprb.engine.worksheet_files import load_worksheet
from pmprb.commands._common import echo_json, info, json_option
from pmprb.errors import EXIT_INVALID
from pmprb.engine import flags as flag_names

NAME_WIDTH = 48


def flag_text(flag: str) -> str:
    if flag_names.is_gate(flag):
        return i18n.t("score.flag.gated_by", cid=flag_names.gate_of(flag))
    key = f"score.flag.{flag}"
    return i18n.t(key) if i18n.has(key) else flag


def _short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(rows: list[list[str]], right: set[int], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]


def render(ws: WorksheetFile, result: dict, show_criteria: bool = False) -> list[str]:
    """The human-readable report: one table per area, then Hasil and the summary (2 decimals)."""
    inst = ws.instrument
    en = i18n.get_lang() == "en"
    d = machine_number
    lines = [
        f"{i18n.t('score.instrument')}: {inst.id} ({inst.version}), {i18n.t('score.revision')} {inst.revision[:12]}",
        f"{i18n.t('score.engine')}: {result['engine']}",
        f"{i18n.t('score.worksheet')}: {ws.source}",
    ]
    crit = result["criteria"]
    for area in inst.areas:
        a = result["areas"][area["code"]]
        name = a["name_en"] if en else a["name"]
        lines += ["", i18n.t("score.area", code=area["code"], name=name)]
        rows = [[i18n.t("score.col.subarea"), i18n.t("score.col.name"), i18n.t("score.col.weight"),
                 i18n.t("score.col.mean"), i18n.t("score.col.score"), "%"]]
        for sub in area["subareas"]:
            s = a["subareas"][sub["id"]]
            rows.append([sub["id"], _short(sub.get("name_en", sub["name"]) if en else sub["name"]),
                         d(s["weight"]), d(s["mean"]), d(s["score"]), d(s["mean"] * 100)])
        rows.append(["", i18n.t("score.area_total", code=area["code"]), d(a["weight"]), "", d(a["score"]),
                     d(a["percent"])])
        lines += _table(rows, right={2, 3, 4, 5})
        if show_criteria:
            rows = [[i18n.t("score.col.criterion"), i18n.t("score.col.answer"), i18n.t("score.col.raw"),
                     i18n.t("score.col.value"), i18n.t("score.col.notes")]]
            for sub in area["subareas"]:
                for c in sub["criteria"]:
                    r = crit[c["id"]]
                    rows.append([c["id"], "-" if r["answer"] is None else str(r["answer"]),
                                 "-" if r["raw_value"] is None else d(r["raw_value"]),
                                 "-" if r["value"] is None else d(r["value"]),
                                 "; ".join(flag_text(f) for f in r["flags"])])
            lines += [""] + _table(rows, right={2, 3}, indent="    ")
    lines += ["", i18n.t("score.hasil")]
    rows = [[i18n.t("score.col.part"), i18n.t("score.col.name"), i18n.t("score.col.input"),
             i18n.t("score.col.weight"), i18n.t("score.col.score")]]
    for comp in inst.data["hasil"]["components"]:
        for part in comp["parts"]:
            raw = result["hasil_detail"]["inputs"].get(part["id"])
            pts = result["hasil_detail"]["components"][comp["id"]]["parts"][part["id"]]
            rows.append([part["id"], _short(part.get("name_en", part["name"]) if en else part["name"]),
                         "-" if raw is None else (raw if isinstance(raw, str) else f"{raw:g}"),
                         d(part["weight"]), d(pts)])
    lines += _table(rows, right={2, 3, 4})
    flags = [f for r in crit.values() for f in r["flags"]]
    grade = result["grade"] or "-"
    if result.get("grade_label"):
        grade += f" ({result['grade_label']})"
    lines += ["", i18n.t("score.summary")]
    rows = [[i18n.t("score.pengungkit"), d(result["pengungkit"]), f"/ {d(inst.data['pengungkit_total'])}"],
            [i18n.t("score.hasil"), d(result["hasil"]), f"/ {d(inst.data['hasil']['total'])}"],
            [total_name(inst, en), d(result["indeks_rb"]), ""]]
    width = max(len(r[0]) for r in rows + [[i18n.t("score.grade")]])
    rows = [[r[0].ljust(width)] + r[1:] for r in rows]
    lines += _table(rows, right={1})
    if inst.data.get("grade_bands"):  # an instrument without letter grades decides by its predicates
        lines.append(f"  {i18n.t('score.grade').ljust(width)}  {grade}")
    for pred in result.get("predicates", []):
        lines += [""] + predicates.describe(pred)
    lines += ["", i18n.t("score.notes", unanswered=flags.count(flag_names.UNANSWERED),
                         claimed=flags.count(flag_names.CLAIMED_WITHOUT_EVIDENCE),
                         gated=sum(flag_names.is_gate(f) for f in flags))]
    return lines


def total_name(inst, en: bool) -> str:
    """What the instrument calls Pengungkit + Hasil (data), else the PMPRB name."""
    name = inst.data.get("total_name_en" if en else "total_name") or inst.data.get("total_name")
    return name or i18n.t("score.indeks")


def register(main: click.Group) -> None:
    @main.command("score")
    @click.argument("worksheet", type=click.Path(dir_okay=False))
    @json_option
    @click.option("--engine", type=click.Choice(ENGINES), envvar="PMPRB_RULES_ENGINE", default=None,
                  help="Rules engine (default: durable where it imports, else plain). Also PMPRB_RULES_ENGINE.")
    @click.option("--instrument", default=None,
                  help="Instrument the worksheet must use (a CSV worksheet cannot name one; default: rules/default.yaml).")
    @click.option("--criteria", "show_criteria", is_flag=True, help="Also list every criterion's answer and value.")
    def score(worksheet: str, as_json: bool, engine: str | None, instrument: str | None, show_criteria: bool) -> None:
        """Score a worksheet (YAML, JSON or CSV) to Pengungkit, Hasil, Indeks RB and grade.

        An instrument scored in points lines prints its components, themes,
        rescaling and each line's points instead; a worksheet that gives its
        published figures (`published:`) is checked against them.

        Exit code 1 when the worksheet is invalid or a rule fails; nothing is
        printed on stdout then (never a partial score). Exit code 1 also when
        a published figure cannot be reproduced: the result is printed and the
        figures are named.
        """
        ws = load_worksheet(worksheet, instrument)
        result = ws.score(engine)
        if result.get("method") == "points":
            _points_output(ws, result, as_json, show_criteria)
            return
        missing = result["hasil_detail"]["missing"]
        if missing:
            info(i18n.t("score.hasil_missing", ids=", ".join(missing)))
        if as_json:
            echo_json(result)
            return
        for line in render(ws, result, show_criteria):
            click.echo(line)


# ---------------------------------------------------------------------------
# instruments scored in points lines (pmprb.engine.points_worksheet)

def _name(item: dict, en: bool) -> str:
    return item.get("name_en", item["name"]) if en else item["name"]


def published_lines(inst, result: dict) -> list[str]:
    """The comparison with the published figures, one line per figure that cannot be reproduced."""
    pub = result.get("published")
    if pub is None:
        return []
    if pub["consistent"]:
        return [i18n.t("score.published.ok", n=pub["checked"])]
    en = i18n.get_lang() == "en"
    d = machine_number
    out = [i18n.t("score.published.bad", bad=len(pub["mismatches"]), n=pub["checked"])]
    for m in pub["mismatches"]:
        fig = {"published": d(m["published"]), "computed": d(m["computed"])}
        if m["kind"] == "line":
            ln = result["lines"][m["id"]]
            text = ln["text_en"] if en else ln["text"]
            out.append("  - " + i18n.t("score.published.line", id=m["id"], text=text, source=ln["source_id"], **fig))
        elif m["kind"] in ("component", "rescaled"):
            name = _name(result["components"][m["id"]], en)
            text = i18n.t(f"score.published.{m['kind']}", name=name, **fig)
            if m.get("published_lines"):
                pl = m["published_lines"]
                text += i18n.t("score.published.lines_sum", sum=d(pl["sum"]), lines=pl["lines"], of=pl["of"])
            out.append("  - " + text)
        elif m["kind"] == "applicable_weight":
            out.append("  - " + i18n.t("score.published.applicable_weight", **fig))
        else:
            out.append("  - " + i18n.t("score.published.total", name=total_name(inst, en), **fig))
    return out


def render_points(ws: WorksheetFile, result: dict, show_criteria: bool = False) -> list[str]:
    """The human-readable report of a points instrument: per component its areas (or themes),
    the rescaling, the summary, and optionally every line (2 decimals)."""
    inst = ws.instrument
    en = i18n.get_lang() == "en"
    d = machine_number
    lines = [
        f"{i18n.t('score.instrument')}: {inst.id} ({inst.version}), {i18n.t('score.revision')} {inst.revision[:12]}",
        f"{i18n.t('score.engine')}: {result['engine']}",
        f"{i18n.t('score.worksheet')}: {ws.source}",
    ]
    rescale = result["rescale"]
    for cid, comp in result["components"].items():
        name = _name(comp, en)
        lines += ["", i18n.t("score.component", name=name, weight=d(comp["weight"]))]
        themes = {t: th for t, th in result["themes"].items()
                  if any(result["lines"][x]["component"] == cid for x in th["lines"])}
        if themes:
            rows = [[i18n.t("score.col.theme"), i18n.t("score.col.name"), i18n.t("score.col.weight"),
                     i18n.t("score.col.points"), "%"]]
            for tid, th in themes.items():
                rows.append([tid, _short(_name(th, en)), d(th["weight"]), d(th["score"]), d(th["percent"])])
        else:
            rows = [[i18n.t("score.col.area"), i18n.t("score.col.name"), i18n.t("score.col.weight"),
                     i18n.t("score.col.points"), "%"]]
            for code in comp["areas"]:
                a = result["areas"][code]
                rows.append([code, _short(_name(a, en)), d(a["weight"]), d(a["score"]), d(a["percent"])])
        rows.append(["", i18n.t("score.component_total", name=name), d(comp["weight"]), d(comp["score"]),
                     d(comp["score"] / comp["weight"] * 100 if comp["weight"] else 0)])
        lines += _table(rows, right={2, 3, 4})
        if rescale and rescale["component"] == cid:
            if rescale["source"] == "input":
                why = i18n.t("score.applicable.input")
            elif rescale["not_applicable"]:
                why = i18n.t("score.applicable.derived", full=d(rescale["full_weight"]),
                             ids=", ".join(rescale["not_applicable"]))
            else:
                why = i18n.t("score.applicable.full")
            lines.append(f"  {i18n.t('score.applicable')}: {d(rescale['weight'])} ({why})")
            lines.append("  " + i18n.t("score.rescaled", name=name, score=d(rescale["score"]),
                                       weight=d(rescale["weight"]), full=d(rescale["full_weight"]))
                         + f": {d(rescale['rescaled'])}")
    if show_criteria:
        rows = [[i18n.t("score.col.line"), i18n.t("score.col.source"), i18n.t("score.col.answer"),
                 i18n.t("score.col.weight"), i18n.t("score.col.points"), i18n.t("score.col.gain"),
                 i18n.t("score.col.notes")]]
        for cid, ln in result["lines"].items():
            gain = ln["gain_if_max"]
            rows.append([cid, ln["source_id"] or "-", "-" if ln["answer"] is None else str(ln["answer"]),
                         "-" if ln["weight"] is None else d(ln["weight"]),
                         "-" if ln["points"] is None else d(ln["points"]),
                         "-" if gain is None else d(gain["gain"]),
                         "; ".join(flag_text(f) for f in ln["flags"])])
        lines += [""] + _table(rows, right={3, 4, 5})
    lines += ["", i18n.t("score.summary")]
    rows = []
    for cid, comp in result["components"].items():
        rows.append([_name(comp, en), d(comp["counted"]), f"/ {d(comp['weight'])}"])
    rows.append([total_name(inst, en), d(result["indeks_rb"]), ""])
    width = max(len(r[0]) for r in rows + [[i18n.t("score.grade")]])
    rows = [[r[0].ljust(width)] + r[1:] for r in rows]
    lines += _table(rows, right={1})
    if result["grade"] is not None:
        grade = result["grade"] + (f" ({result['grade_label']})" if result.get("grade_label") else "")
        lines.append(f"  {i18n.t('score.grade').ljust(width)}  {grade}")
        if result.get("grade_confirmed") is False:
            lines.append("  " + i18n.t("score.grade_unconfirmed"))
    flags = [f for ln in result["lines"].values() for f in ln["flags"]]
    lines += ["", i18n.t("score.points_notes", unanswered=flags.count(flag_names.UNANSWERED),
                         claimed=flags.count(flag_names.CLAIMED_WITHOUT_EVIDENCE), na=flags.count(flag_names.NOT_APPLICABLE),
                         given=flags.count(flag_names.POINTS_GIVEN))]
    pub = published_lines(inst, result)
    if pub:
        lines += ["", i18n.t("score.published")] + ["  " + x for x in pub]
    return lines


def _points_output(ws: WorksheetFile, result: dict, as_json: bool, show_criteria: bool) -> None:
    if as_json:
        echo_json(result)
    else:
        for line in render_points(ws, result, show_criteria):
            click.echo(line)
    pub = result.get("published")
    if pub is not None and not pub["consistent"]:
        for line in published_lines(ws.instrument, result):
            info(line)
        click.get_current_context().exit(EXIT_INVALID)
