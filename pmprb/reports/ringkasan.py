"""Ringkasan: the Indeks RB of a final round on one page — Pengungkit by
area (inline SVG bar chart), Hasil, Indeks and grade, predicates where the
instrument has them, consensus and RATL in numbers, and the comparison with
the previous final round when there is one."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from pmprb import i18n
from pmprb.assessments.coordinate import final_result, hasil, ratl as ratl_lib
from pmprb.assessments.store.models import AssessmentRound
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.reports.charts import Bar, bar_chart
from pmprb.reports.environment import render
from pmprb.numbers import format_number
from pmprb.reports.round_common import header, name_in

TEMPLATE = "reports/ringkasan.html.j2"

i18n.register({
    "rk.title": {"id": "Ringkasan Indeks Reformasi Birokrasi", "en": "Indeks RB Summary"},
    "rk.subtitle": {"id": "Hasil Penilaian Mandiri Pelaksanaan Reformasi Birokrasi Tahun {year}",
                    "en": "Bureaucratic reform self-assessment {year}"},
    "rk.headline": {"id": "Indeks RB", "en": "Indeks RB"},
    "rk.grade": {"id": "Predikat", "en": "Grade"},
    "rk.pengungkit": {"id": "Pengungkit", "en": "Pengungkit (enablers)"},
    "rk.hasil": {"id": "Hasil", "en": "Hasil (results)"},
    "rk.chart": {"id": "Pengungkit per area perubahan (nilai / bobot)", "en": "Pengungkit by change area (score / weight)"},
    "rk.areas": {"id": "Pengungkit per area", "en": "Pengungkit by area"},
    "rk.col.area": {"id": "Area", "en": "Area"},
    "rk.col.weight": {"id": "Bobot", "en": "Weight"},
    "rk.col.score": {"id": "Nilai", "en": "Score"},
    "rk.col.percent": {"id": "% bobot", "en": "% of weight"},
    "rk.col.previous": {"id": "{year}", "en": "{year}"},
    "rk.col.change": {"id": "Perubahan", "en": "Change"},
    "rk.col.part": {"id": "Komponen", "en": "Component"},
    "rk.col.input": {"id": "Masukan", "en": "Input"},
    "rk.hasil_table": {"id": "Komponen Hasil", "en": "Hasil components"},
    "rk.compare": {"id": "Perbandingan dengan ronde {code} ({year})", "en": "Comparison with round {code} ({year})"},
    "rk.no_previous": {"id": "Belum ada ronde final sebelumnya untuk dibandingkan.",
                       "en": "There is no earlier final round to compare with."},
    "rk.process": {"id": "Proses penilaian", "en": "Assessment process"},
    "rk.consensus": {"id": "{items} kriteria dikonsensuskan ({resolved} disepakati); semua kriteria dibahas: {all}",
                     "en": "{items} criteria went to consensus ({resolved} agreed); every criterion discussed: {all}"},
    "rk.yes": {"id": "ya", "en": "yes"},
    "rk.no": {"id": "tidak", "en": "no"},
    "rk.ratl": {"id": "{n} kriteria di bawah nilai terbaik masuk RATL; potensi kenaikan {gain} poin",
                "en": "{n} criteria below their best are in the RATL; potential gain {gain} points"},
    "rk.predicate_met": {"id": "memenuhi", "en": "met"},
    "rk.predicate_not_met": {"id": "belum memenuhi", "en": "not met"},
    "rk.predicate_unconfirmed": {"id": "ambang belum dikonfirmasi; indikatif", "en": "thresholds not confirmed; indicative"},
    "rk.predicates": {"id": "Predikat", "en": "Predicates"},
    "rk.other_instrument": {"id": "Ronde pembanding memakai instrumen lain ({instrument}); bandingkan dengan hati-hati.",
                            "en": "The earlier round used another instrument ({instrument}); compare with care."},
    "rk.threshold": {"id": "Ambang", "en": "Threshold"},
    "rk.actual": {"id": "Capaian", "en": "Actual"},
    "rk.minimum": {"id": "Minimal", "en": "Minimum"},
})


def _input_text(row: dict, lang: str) -> str | None:
    """A scale figure as a number of the reader's language, with the decimals it was entered with."""
    raw = row["value"]
    if raw is None or row["kind"] != "scale":
        return raw
    places = len(raw.partition(".")[2])
    return format_number(float(raw), places, lang)


def _predicates(score: dict, lang: str) -> list[dict]:
    out = []
    for p in score.get("predicates", []):
        rows = []
        for th in p["thresholds"]:
            label = th["name_en"] if lang == "en" else th["name"]
            target = th["target_name_en"] if lang == "en" else th["target_name"]
            rows.append({"label": f"{label} — {target}" if target else label, "actual": th["actual"],
                         "min": th["min"], "met": th["met"], "percent": th["unit"] == "percent"})
        out.append({"name": p["name_en"] if lang == "en" else p["name"], "met": p["met"],
                    "confirmed": p["confirmed"], "thresholds": rows})
    return out


def build(session: Session, rnd: AssessmentRound, lang: str) -> dict:
    fr = final_result.require_current(session, rnd)
    data = final_result.data_of(fr)
    score = data["score"]
    inst = instrument_for(rnd)
    prev = final_result.previous_round(session, rnd)
    prev_data = final_result.data_of(prev[1]) if prev else None
    areas = []
    for a in inst.areas:
        s = score["areas"][a["code"]]
        p = prev_data["score"]["areas"].get(a["code"]) if prev_data else None
        areas.append({"code": a["code"], "name": name_in(a, lang), "weight": a["weight"], "score": s["score"],
                      "percent": s["percent"], "previous": p["score"] if p else None,
                      "change": s["score"] - p["score"] if p else None})
    chart = bar_chart([Bar(a["code"], a["score"], a["weight"], hint=a["name"]) for a in areas],
                      title=i18n.t("rk.chart", lang=lang), lang=lang, label_width=70)
    parts = []
    for row in hasil.table(session, rnd, lang):
        comp = score["hasil_detail"]["components"][row["component"]]
        parts.append({"id": row["part"], "name": row["name"], "input": _input_text(row, lang), "weight": row["weight"],
                      "points": comp["parts"][row["part"]]})
    totals = [("pengungkit", inst.data["pengungkit_total"]), ("hasil", inst.data["hasil"]["total"]),
              ("indeks_rb", 100)]
    headline = [{"label": i18n.t({"pengungkit": "rk.pengungkit", "hasil": "rk.hasil",
                                  "indeks_rb": "rk.headline"}[k], lang=lang),
                 "value": score[k], "max": mx, "previous": prev_data["score"][k] if prev_data else None,
                 "change": score[k] - prev_data["score"][k] if prev_data else None} for k, mx in totals]
    items = ratl_lib.list_items(session, rnd)
    return {
        "lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **header(session, rnd, inst, lang, fr),
        "title": i18n.t("rk.title", lang=lang), "subtitle": i18n.t("rk.subtitle", lang=lang, year=rnd.year),
        "indeks": score["indeks_rb"], "grade": score["grade"], "grade_label": score.get("grade_label"),
        "headline": headline, "areas": areas, "chart": chart, "hasil_parts": parts,
        "predicates": _predicates(score, lang),
        "previous": ({"code": prev[0].code, "year": prev[0].year, "grade": prev_data["score"]["grade"],
                      "instrument": prev_data["instrument"]["id"],
                      "same_instrument": prev_data["instrument"]["revision"] == inst.revision} if prev else None),
        "consensus": data["consensus"], "all_discussed": data["discussion"]["all_discussed"],
        "ratl": {"n": len(items), "gain": sum(i.gain for i in items)},
    }


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)
