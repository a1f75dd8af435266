"""The institution worksheet (LKE) of a final round: every criterion with its
options, the institution's answer, value, evidence and note, by area and
sub-area with their scores; HTML and XLSX from one context."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from pmprb import i18n
from pmprb.assessments.coordinate import final_result
from pmprb.assessments.coordinate.institution_answers import compile_answers
from pmprb.assessments.store.models import AssessmentRound
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.assessments.coordinate.working_papers import evidence_documents
from pmprb.reports.environment import render
from pmprb.reports.round_common import flag_text, header, name_in
from pmprb.reports.xlsx import Column, Sheet, write_xlsx

TEMPLATE = "reports/lke.html.j2"

i18n.register({
    "lke.title": {"id": "Lembar Kerja Evaluasi (LKE) Instansi", "en": "Institution Evaluation Worksheet (LKE)"},
    "lke.col.no": {"id": "No", "en": "No"},
    "lke.col.area": {"id": "Area", "en": "Area"},
    "lke.col.subarea": {"id": "Sub-area", "en": "Sub-area"},
    "lke.col.criterion": {"id": "Kriteria", "en": "Criterion"},
    "lke.col.text": {"id": "Uraian", "en": "Description"},
    "lke.col.options": {"id": "Pilihan jawaban", "en": "Answer options"},
    "lke.col.answer": {"id": "Jawaban", "en": "Answer"},
    "lke.col.value": {"id": "Nilai", "en": "Value"},
    "lke.col.evidence": {"id": "Bukti dukung", "en": "Evidence"},
    "lke.col.documents": {"id": "Dokumen", "en": "Documents"},
    "lke.col.note": {"id": "Catatan", "en": "Note"},
    "lke.col.source": {"id": "Sumber jawaban", "en": "Answer source"},
    "lke.col.weight": {"id": "Bobot", "en": "Weight"},
    "lke.col.score": {"id": "Nilai", "en": "Score"},
    "lke.col.percent": {"id": "%", "en": "%"},
    "lke.source.merged": {"id": "sepakat", "en": "agreed"},
    "lke.source.consensus": {"id": "konsensus", "en": "consensus"},
    "lke.source.unanswered": {"id": "belum dijawab", "en": "unanswered"},
    "lke.source.computed": {"id": "dihitung", "en": "computed"},
    "lke.source.disputed": {"id": "belum disepakati", "en": "not agreed"},
    "lke.docs": {"id": "{n} dokumen", "en": "{n} documents"},
    "lke.subarea_total": {"id": "Nilai sub-area {id}: rerata {mean} × bobot {weight} = {score}",
                          "en": "Sub-area {id}: mean {mean} × weight {weight} = {score}"},
    "lke.area_total": {"id": "Jumlah area {code}", "en": "Area {code} total"},
    "lke.summary": {"id": "Rekapitulasi", "en": "Summary"},
    "lke.pengungkit": {"id": "Pengungkit", "en": "Pengungkit (enablers)"},
    "lke.hasil": {"id": "Hasil", "en": "Hasil (results)"},
    "lke.indeks": {"id": "Indeks RB", "en": "Indeks RB"},
    "lke.grade": {"id": "Predikat", "en": "Grade"},
    "lke.sheet": {"id": "LKE", "en": "LKE"},
    "lke.sheet_summary": {"id": "Rekap", "en": "Summary"},
    "lke.consensus_note": {"id": "Konsensus: {text}", "en": "Consensus: {text}"},
})


def _note(answer, lang: str) -> str | None:
    if answer.rationale:
        return i18n.t("lke.consensus_note", lang=lang, text=answer.rationale)
    notes = list(dict.fromkeys(n["note"].strip() for n in answer.notes if n.get("note")))
    return " | ".join(notes) or None


def build(session: Session, rnd: AssessmentRound, lang: str) -> dict:
    """The report's data (plain values; figures at full precision)."""
    fr = final_result.require_current(session, rnd)
    data = final_result.data_of(fr)
    inst = instrument_for(rnd)
    answers = compile_answers(session, rnd)
    docs = evidence_documents(session, rnd)
    score = data["score"]
    areas = []
    no = 0
    for area in inst.areas:
        a_score = score["areas"][area["code"]]
        subs = []
        for sub in area["subareas"]:
            s_score = a_score["subareas"][sub["id"]]
            rows = []
            for c in sub["criteria"]:
                no += 1
                cid = c["id"]
                crit = inst.criteria[cid]
                entry = data["criteria"][cid]
                options = dict(crit.options)
                unique_docs = list({d["id"]: d for d in docs.get(cid, [])}.values())
                rows.append({
                    "no": no, "id": cid, "text": crit.text_in(lang), "options": [list(o) for o in crit.options],
                    "answer": entry["answer"], "answer_text": options.get(entry["answer"]),
                    "value": entry["value"], "raw_value": entry["raw_value"], "scored": crit.scored,
                    "flags": [flag_text(f, lang) for f in entry["flags"]],
                    "evidence": entry["evidence"],
                    "documents": [(d["number"] or d["key"]) + " — " + d["title"] for d in unique_docs],
                    "note": _note(answers[cid], lang), "source": i18n.t(f"lke.source.{entry['source']}", lang=lang),
                })
            subs.append({"id": sub["id"], "name": name_in(sub, lang), "weight": sub["weight"],
                         "mean": s_score["mean"], "score": s_score["score"], "criteria": rows})
        areas.append({"code": area["code"], "name": name_in(area, lang), "weight": area["weight"],
                      "score": a_score["score"], "percent": a_score["percent"], "subareas": subs})
    return {
        "lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **header(session, rnd, inst, lang, fr),
        "title": i18n.t("lke.title", lang=lang), "subtitle": inst.title,
        "areas": areas, "totals": {"pengungkit": score["pengungkit"], "hasil": score["hasil"],
                                   "indeks": score["indeks_rb"], "grade": score["grade"],
                                   "grade_label": score.get("grade_label"),
                                   "pengungkit_max": inst.data["pengungkit_total"],
                                   "hasil_max": inst.data["hasil"]["total"]},
    }


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)


def sheets(ctx: dict) -> list[Sheet]:
    lang = ctx["lang"]
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    rows = []
    for area in ctx["areas"]:
        for sub in area["subareas"]:
            for c in sub["criteria"]:
                rows.append({"no": c["no"], "area": area["code"], "subarea": sub["id"], "id": c["id"], "text": c["text"],
                             "options": "\n".join(f"{a}: {text}" if text else a for a, text in c["options"]),
                             "answer": c["answer"], "value": c["value"], "evidence": c["evidence"],
                             "documents": "\n".join(c["documents"]), "note": "; ".join(
                                 [x for x in [c["note"], ", ".join(c["flags"])] if x]) or None,
                             "source": c["source"]})
    main = Sheet(t("lke.sheet"), [
        Column("no", t("lke.col.no"), width=5), Column("area", t("lke.col.area"), width=7),
        Column("subarea", t("lke.col.subarea"), width=9), Column("id", t("lke.col.criterion"), width=10),
        Column("text", t("lke.col.text"), width=48, wrap=True), Column("options", t("lke.col.options"), width=48, wrap=True),
        Column("answer", t("lke.col.answer"), width=9), Column("value", t("lke.col.value"), places=2, width=8),
        Column("evidence", t("lke.col.evidence"), places=0, width=9),
        Column("documents", t("lke.col.documents"), width=36, wrap=True), Column("note", t("lke.col.note"), width=40, wrap=True),
        Column("source", t("lke.col.source"), width=14)],
        rows, heading=f"{ctx['title']} — {ctx['institution']} {ctx['round']['year']}", landscape=True)
    summary_rows = [{"area": a["code"], "name": a["name"], "weight": a["weight"], "score": a["score"],
                     "percent": a["percent"]} for a in ctx["areas"]]
    tot = ctx["totals"]
    summary_rows += [{"area": "", "name": t("lke.pengungkit"), "weight": tot["pengungkit_max"], "score": tot["pengungkit"],
                      "percent": None},
                     {"area": "", "name": t("lke.hasil"), "weight": tot["hasil_max"], "score": tot["hasil"], "percent": None},
                     {"area": "", "name": t("lke.indeks"), "weight": 100, "score": tot["indeks"], "percent": None},
                     {"area": "", "name": t("lke.grade"), "weight": None, "score": tot["grade"], "percent": None}]
    summary = Sheet(t("lke.sheet_summary"), [
        Column("area", t("lke.col.area"), width=8), Column("name", t("lke.col.text"), width=48),
        Column("weight", t("lke.col.weight"), places=2), Column("score", t("lke.col.score"), places=4),
        Column("percent", t("lke.col.percent"), places=2)], summary_rows, heading=t("lke.summary"))
    return [main, summary]


def write_xlsx_file(path: str | Path, ctx: dict) -> Path:
    return write_xlsx(path, sheets(ctx), title=ctx["title"], audit_head=ctx.get("audit_head"))
