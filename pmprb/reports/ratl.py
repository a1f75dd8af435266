"""The RATL as a document (HTML, landscape A4) and as data (XLSX, CSV)."""

from __future__ import annotations

import csv
import os
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from .. import i18n
from ..assessments import final_result
from ..assessments import ratl as ratl_lib
from ..assessments.models import AssessmentRound
from ..assessments.rounds import instrument_for
from ..engine.safe_output import csv_row
from .environment import render
from .numbers import machine_number
from .round_common import header
from .xlsx import Column, Sheet, write_xlsx

TEMPLATE = "reports/ratl.html.j2"

i18n.register({
    "ratlr.title": {"id": "Rencana Aksi Tindak Lanjut (RATL)", "en": "Follow-up Action Plan (RATL)"},
    "ratlr.subtitle": {"id": "Hasil Penilaian Mandiri Pelaksanaan Reformasi Birokrasi Tahun {year}",
                       "en": "Following the {year} bureaucratic reform self-assessment"},
    "ratlr.intro": {
        "id": "{n} kriteria bernilai di bawah nilai terbaiknya. Rencana aksi diurutkan menurut potensi kenaikan "
              "Indeks RB bila kriteria mencapai nilai terbaik (bobot sub-area ÷ jumlah kriteria × (nilai terbaik − "
              "nilai)); total potensi {total} poin.",
        "en": "{n} criteria scored below their best. Actions are ordered by the Indeks RB points gained if the "
              "criterion reaches its best value (sub-area weight ÷ number of criteria × (best − value)); "
              "{total} points in total."},
    "ratlr.col.no": {"id": "No", "en": "No"},
    "ratlr.col.criterion": {"id": "Kriteria", "en": "Criterion"},
    "ratlr.col.text": {"id": "Uraian kriteria", "en": "Criterion text"},
    "ratlr.col.area": {"id": "Area", "en": "Area"},
    "ratlr.col.value": {"id": "Nilai", "en": "Value"},
    "ratlr.col.gain": {"id": "Potensi kenaikan", "en": "Indeks gain"},
    "ratlr.col.kelemahan": {"id": "Kelemahan", "en": "Weakness"},
    "ratlr.col.rekomendasi": {"id": "Rekomendasi", "en": "Recommendation"},
    "ratlr.col.rencana": {"id": "Rencana aksi", "en": "Action plan"},
    "ratlr.col.output": {"id": "Output / indikator keberhasilan", "en": "Output / indicator of success"},
    "ratlr.col.responsible": {"id": "Penanggung jawab", "en": "Responsible"},
    "ratlr.col.target": {"id": "Target waktu", "en": "Target date"},
    "ratlr.col.state": {"id": "Status", "en": "Status"},
    "ratlr.col.evidence": {"id": "Bukti penyelesaian", "en": "Evidence of completion"},
    "ratlr.state.planned": {"id": "direncanakan", "en": "planned"},
    "ratlr.state.in_progress": {"id": "dalam pelaksanaan", "en": "in progress"},
    "ratlr.state.done": {"id": "selesai", "en": "done"},
    "ratlr.state.verified": {"id": "terverifikasi", "en": "verified"},
    "ratlr.unmapped": {"id": "{role} (belum dipetakan ke unit)", "en": "{role} (not mapped to a unit)"},
    "ratlr.sheet": {"id": "RATL", "en": "RATL"},
})


def build(session: Session, rnd: AssessmentRound, lang: str) -> dict:
    fr = final_result.require_current(session, rnd)
    inst = instrument_for(rnd)
    items = [ratl_lib.item_to_dict(session, i, inst, lang=lang) for i in ratl_lib.list_items(session, rnd)]
    rows = []
    for d in items:
        rows.append({**d, "state_text": i18n.t(f"ratlr.state.{d['state']}", lang=lang),
                     "target": date.fromisoformat(d["target_date"]),
                     "responsible": (f"{d['responsible_unit_name']} ({d['responsible_unit']})"
                                     if d["responsible_unit"] else
                                     i18n.t("ratlr.unmapped", lang=lang, role=d["responsible_role"]))})
    total = sum(d["gain"] for d in items)
    return {"lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **header(session, rnd, inst, lang, fr),
            "title": i18n.t("ratlr.title", lang=lang), "subtitle": i18n.t("ratlr.subtitle", lang=lang, year=rnd.year),
            "intro_n": len(items), "total_gain": total, "items": rows}


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)


def _columns(lang: str) -> list[Column]:
    t = lambda key: i18n.t(key, lang=lang)  # noqa: E731
    return [Column("rank", t("ratlr.col.no"), width=5), Column("criterion", t("ratlr.col.criterion"), width=10),
            Column("area", t("ratlr.col.area"), width=7), Column("text", t("ratlr.col.text"), width=40, wrap=True),
            Column("value", t("ratlr.col.value"), places=2, width=8),
            Column("gain", t("ratlr.col.gain"), places=4, width=11),
            Column("kelemahan", t("ratlr.col.kelemahan"), width=44, wrap=True),
            Column("rekomendasi", t("ratlr.col.rekomendasi"), width=40, wrap=True),
            Column("rencana_aksi", t("ratlr.col.rencana"), width=40, wrap=True),
            Column("output", t("ratlr.col.output"), width=32, wrap=True),
            Column("responsible", t("ratlr.col.responsible"), width=26, wrap=True),
            Column("target_date", t("ratlr.col.target"), width=12), Column("state_text", t("ratlr.col.state"), width=14),
            Column("done_evidence", t("ratlr.col.evidence"), width=28, wrap=True)]


def write_xlsx_file(path: str | Path, ctx: dict) -> Path:
    sheet = Sheet(i18n.t("ratlr.sheet", lang=ctx["lang"]), _columns(ctx["lang"]), ctx["items"],
                  heading=f"{ctx['title']} — {ctx['institution']} {ctx['round']['year']}", landscape=True)
    return write_xlsx(path, [sheet], title=ctx["title"])


def write_csv(path: str | Path, ctx: dict) -> Path:
    """UTF-8 CSV with a BOM (spreadsheets detect the encoding); figures with
    a dot decimal whatever the language; text that a spreadsheet would run
    as a formula gets a leading ``'`` (:func:`pmprb.engine.safe_output.csv_cell`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = _columns(ctx["lang"])
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(csv_row(c.header for c in cols))
        for row in ctx["items"]:
            w.writerow(csv_row(machine_number(row[c.key], c.places) if c.places is not None else
                               ("" if row[c.key] is None else row[c.key]) for c in cols))
    os.replace(tmp, path)
    return path
