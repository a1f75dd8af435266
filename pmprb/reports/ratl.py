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

i18n.register({
    "ratlr.title": {"id": "Rencana Aksi Tindak Lanjut (RATL)", "en": "Follow-up Action Plan (RATL)"},
    "ratlr.subtitle": {"id": "Hasil Penilaian Mandiri Pelaksanaan Reformasi Birokrasi Tahun {year}",
                       "en": "Following the {year} bureaucratic reform self-assessment"},
    "ratlr.intro": {
        "id": "{n} tindakan: kriteria yang nilainya sendiri di bawah nilai terbaik. Kriteria yang hanya rendah "
              "karena aturan gating tidak menjadi tindakan tersendiri; tindakan pada kriteria prasyaratnya "
              "menyebutnya (\"membuka\"). Urutan menurut potensi kenaikan Indeks RB bila tindakan itu saja "
              "dilaksanakan, termasuk nilai yang dibukanya, dihitung ulang dengan mesin aturan. Terakhir, kriteria "
              "bernilai terbaik yang bukti dukungnya ditandai aturan (kedaluwarsa, bukan jenis yang diterima) "
              "dengan kenaikan 0.",
        "en": "{n} actions: criteria whose own value is below their best. A criterion only low because of a "
              "gating rule is not an action of its own; the action on its prerequisite names it (\"unlocks\"). "
              "Ordered by the Indeks RB points the action alone adds, with what it unlocks, re-scored by the "
              "rules engine. Last, criteria at their best whose cited evidence the rules flagged (outdated, not "
              "of an accepted kind), gaining 0."},
    "ratlr.path_title": {"id": "Jalur tercepat ke predikat {target}", "en": "Shortest path to grade {target}"},
    "ratlr.path_title_number": {"id": "Jalur tercepat ke Indeks {target}", "en": "Shortest path to Indeks {target}"},
    "ratlr.path": {"id": "{n} tindakan ({ids}) menaikkan Indeks RB dari {from_} ({grade_from}) menjadi {to} ({grade_to}).",
                   "en": "{n} actions ({ids}) lift the Indeks RB from {from_} ({grade_from}) to {to} ({grade_to})."},
    "ratlr.path_already": {"id": "Indeks RB {from_} sudah berada pada predikat tertinggi ({grade_from}).",
                           "en": "The Indeks RB {from_} is already in the top grade ({grade_from})."},
    "ratlr.path_unreachable": {
        "id": "Predikat {target} tidak tercapai dengan seluruh tindakan RATL (Indeks paling tinggi {max}); "
              "Hasil juga perlu naik.",
        "en": "Grade {target} cannot be reached with every RATL action (the Indeks reaches at most {max}); "
              "Hasil must rise too."},
    "ratlr.path_not_exact": {"id": "Pencarian pada gugus besar tidak menyeluruh; mungkin ada jalur lebih pendek.",
                             "en": "The search was not exhaustive on a large cluster; a shorter path may exist."},
    "ratlr.unlocks": {"id": "Membuka: {ids}", "en": "Unlocks: {ids}"},
    "ratlr.rejected": {"id": "Dikembalikan: {reason}", "en": "Sent back: {reason}"},
    "ratlr.col.no": {"id": "No", "en": "No"},
    "ratlr.col.criterion": {"id": "Kriteria", "en": "Criterion"},
    "ratlr.col.text": {"id": "Uraian kriteria", "en": "Criterion text"},
    "ratlr.col.area": {"id": "Area", "en": "Area"},
    "ratlr.col.value": {"id": "Nilai", "en": "Value"},
    "ratlr.col.gain": {"id": "Potensi kenaikan (poin)", "en": "Indeks gain (points)"},
    "ratlr.col.gain_short": {"id": "Naik (poin)", "en": "Gain (pts)"},
    "ratlr.col.kelemahan": {"id": "Kelemahan", "en": "Weakness"},
    "ratlr.col.rekomendasi": {"id": "Rekomendasi", "en": "Recommendation"},
    "ratlr.col.rencana": {"id": "Rencana aksi", "en": "Action plan"},
    "ratlr.col.output": {"id": "Output / indikator keberhasilan", "en": "Output / indicator of success"},
    "ratlr.col.responsible": {"id": "Penanggung jawab", "en": "Responsible"},
    "ratlr.col.target": {"id": "Target waktu", "en": "Target date"},
    "ratlr.col.state": {"id": "Status", "en": "Status"},
    "ratlr.col.evidence": {"id": "Bukti penyelesaian", "en": "Evidence of completion"},
    "ratlr.col.unlocks": {"id": "Membuka (gating)", "en": "Unlocks (gating)"},
    "ratlr.col.note": {"id": "Catatan status", "en": "Status note"},
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
