"""`pmprb score WORKSHEET`: evaluate one worksheet and print its Indeks RB."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.engine import predicates
from pmprb.engine.evaluator import ENGINES
from pmprb.engine.scoring import display
from pmprb.engine.worksheet import Worksheet, load_worksheet
from pmprb.commands._common import echo_json, info, json_option

i18n.register({
    "score.instrument": {"id": "Instrumen", "en": "Instrument"},
    "score.revision": {"id": "revisi", "en": "revision"},
    "score.engine": {"id": "Mesin aturan", "en": "Rules engine"},
    "score.worksheet": {"id": "Lembar kerja", "en": "Worksheet"},
    "score.area": {"id": "Area {code}: {name}", "en": "Area {code}: {name}"},
    "score.col.subarea": {"id": "Sub-area", "en": "Sub-area"},
    "score.col.part": {"id": "Bagian", "en": "Part"},
    "score.col.name": {"id": "Nama", "en": "Name"},
    "score.col.weight": {"id": "Bobot", "en": "Weight"},
    "score.col.mean": {"id": "Rerata", "en": "Mean"},
    "score.col.score": {"id": "Nilai", "en": "Score"},
    "score.col.criterion": {"id": "Kriteria", "en": "Criterion"},
    "score.col.answer": {"id": "Jawaban", "en": "Answer"},
    "score.col.raw": {"id": "Nilai awal", "en": "Raw"},
    "score.col.value": {"id": "Nilai akhir", "en": "Value"},
    "score.col.notes": {"id": "Catatan", "en": "Notes"},
    "score.col.input": {"id": "Masukan", "en": "Input"},
    "score.area_total": {"id": "Jumlah area {code}", "en": "Area {code} total"},
    "score.hasil": {"id": "Hasil", "en": "Hasil (results)"},
    "score.summary": {"id": "Ringkasan", "en": "Summary"},
    "score.pengungkit": {"id": "Pengungkit", "en": "Pengungkit"},
    "score.indeks": {"id": "Indeks RB", "en": "Indeks RB"},
    "score.grade": {"id": "Predikat", "en": "Grade"},
    "score.flag.unanswered": {"id": "belum dijawab", "en": "unanswered"},
    "score.flag.claimed_without_evidence": {"id": "diklaim tanpa bukti dukung",
                                            "en": "claimed without evidence"},
    "score.flag.gated_by": {"id": "dibatasi oleh {cid}", "en": "gated by {cid}"},
    "score.notes": {"id": "{unanswered} kriteria belum dijawab, {claimed} diklaim tanpa bukti dukung, "
                          "{gated} dibatasi aturan gating",
                    "en": "{unanswered} criteria unanswered, {claimed} claimed without evidence, "
                          "{gated} limited by gating rules"},
    "score.hasil_missing": {"id": "peringatan: masukan Hasil {ids} tidak diisi dan dihitung 0",
                            "en": "warning: Hasil inputs {ids} are missing and count as 0"},
})

NAME_WIDTH = 48


def flag_text(flag: str) -> str:
    if flag.startswith("gated_by:"):
        return i18n.t("score.flag.gated_by", cid=flag.split(":", 1)[1])
    key = f"score.flag.{flag}"
    return i18n.t(key) if key in i18n.CATALOGUE else flag


def _short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(rows: list[list[str]], right: set[int], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]


def render(ws: Worksheet, result: dict, show_criteria: bool = False) -> list[str]:
    """The human-readable report: one table per area, then Hasil and the summary (2 decimals)."""
    inst = ws.instrument
    en = i18n.get_lang() == "en"
    d = display
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
    lines += ["", i18n.t("score.notes", unanswered=flags.count("unanswered"),
                         claimed=flags.count("claimed_without_evidence"),
                         gated=sum(f.startswith("gated_by:") for f in flags))]
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

        Exit code 1 when the worksheet is invalid or a rule fails; nothing is
        printed on stdout then (never a partial score).
        """
        ws = load_worksheet(worksheet, instrument)
        result = ws.score(engine)
        missing = result["hasil_detail"]["missing"]
        if missing:
            info(i18n.t("score.hasil_missing", ids=", ".join(missing)))
        if as_json:
            echo_json(result)
            return
        for line in render(ws, result, show_criteria):
            click.echo(line)
