"""The RATL as a document (HTML, landscape A4) and as data (XLSX, CSV)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from pmprb import i18n
from pmprb.assessments.coordinate import final_result, ratl as ratl_lib
from pmprb.assessments.coordinate.ratl_path import path_of
from pmprb.assessments.store.models import AssessmentRound
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.reports.environment import render
from pmprb.numbers import machine_number
from pmprb.reports.round_common import header
from pmprb.reports.xlsx import Column, Sheet, write_xlsx
from pmprb.safe_output import csv_row, write_atomically

TEMPLATE = "reports/ratl.html.j2"

def build(session: Session, rnd: AssessmentRound, lang: str) -> dict:
    fr = final_result.require_current(session, rnd)
    inst = instrument_for(rnd)
    items = [ratl_lib.item_to_dict(session, i, inst, lang=lang) for i in ratl_lib.list_items(session, rnd)]
    rows = []
    for d in items:
        rows.append({**d, "state_text": i18n.t(f"ratlr.state.{d['state']}", lang=lang),
                     "unlocks_text": ", ".join(d["unlocks"]),
                     "target": date.fromisoformat(d["target_date"]),
                     "responsible": (f"{d['responsible_unit_name']} ({d['responsible_unit']})"
                                     if d["responsible_unit"] else
                                     i18n.t("ratlr.unmapped", lang=lang, role=d["responsible_role"]))})
    total = sum(d["gain"] for d in items)
    return {"lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **header(session, rnd, inst, lang, fr),
            "title": i18n.t("ratlr.title", lang=lang), "subtitle": i18n.t("ratlr.subtitle", lang=lang, year=rnd.year),
            "intro_n": len(items), "total_gain": total, "items": rows,
            "path": path_of(session, rnd, lang=lang, documents=True)}


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)


def _columns(lang: str) -> list[Column]:
    t = lambda key: i18n.t(key, lang=lang)  # noqa: E731
    return [Column("rank", t("ratlr.col.no"), width=5), Column("criterion", t("ratlr.col.criterion"), width=10),
            Column("area", t("ratlr.col.area"), width=7), Column("text", t("ratlr.col.text"), width=40, wrap=True),
            Column("value", t("ratlr.col.value"), places=2, width=8),
            Column("gain", t("ratlr.col.gain"), places=4, width=11),
            Column("unlocks_text", t("ratlr.col.unlocks"), width=22, wrap=True),
            Column("kelemahan", t("ratlr.col.kelemahan"), width=44, wrap=True),
            Column("rekomendasi", t("ratlr.col.rekomendasi"), width=40, wrap=True),
            Column("rencana_aksi", t("ratlr.col.rencana"), width=40, wrap=True),
            Column("output", t("ratlr.col.output"), width=32, wrap=True),
            Column("responsible", t("ratlr.col.responsible"), width=26, wrap=True),
            Column("target_date", t("ratlr.col.target"), width=12), Column("state_text", t("ratlr.col.state"), width=14),
            Column("done_evidence", t("ratlr.col.evidence"), width=28, wrap=True),
            Column("state_note", t("ratlr.col.note"), width=28, wrap=True)]


def write_xlsx_file(path: str | Path, ctx: dict) -> Path:
    sheet = Sheet(i18n.t("ratlr.sheet", lang=ctx["lang"]), _columns(ctx["lang"]), ctx["items"],
                  heading=f"{ctx['title']} — {ctx['institution']} {ctx['round']['year']}", landscape=True)
    return write_xlsx(path, [sheet], title=ctx["title"], audit_head=ctx.get("audit_head"))


def write_csv(path: str | Path, ctx: dict) -> Path:
    """UTF-8 CSV with a BOM (spreadsheets detect the encoding); figures with
    a dot decimal whatever the language; text that a spreadsheet would run
    as a formula gets a leading ``'`` (:func:`pmprb.safe_output.csv_cell`)."""
    cols = _columns(ctx["lang"])

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(csv_row(c.header for c in cols))
            for row in ctx["items"]:
                w.writerow(csv_row(machine_number(row[c.key], c.places) if c.places is not None else
                                   ("" if row[c.key] is None else row[c.key]) for c in cols))

    return write_atomically(path, write)
