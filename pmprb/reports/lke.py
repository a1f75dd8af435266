"""The institution worksheet (LKE) of a final round: every criterion with its
options, the institution's answer, value, evidence and note, by area and
sub-area with their scores; HTML and XLSX from one context."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from pmprb import i18n
from pmprb.numbers import format_number
from pmprb.assessments.coordinate import final_result, hasil as hasil_lib
from pmprb.assessments.coordinate.institution_answers import compile_answers
from pmprb.assessments.store.models import AssessmentRound
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.assessments.coordinate.working_papers import evidence_documents
from pmprb.reports.environment import render
from pmprb.reports.round_common import flag_text, header, name_in

TEMPLATE = "reports/lke.html.j2"

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
    is_points = score.get("method") == "points"
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
                    "spec": line_spec(inst, cid, lang) if is_points else None,
                    "answer": entry["answer"], "answer_text": options.get(entry["answer"]),
                    "value": entry["value"], "raw_value": entry["raw_value"], "scored": crit.scored,
                    "flags": [flag_text(f, lang) for f in entry["flags"]],
                    "evidence": entry["evidence"],
                    "documents": [(d["number"] or d["key"]) + " — " + d["title"] for d in unique_docs],
                    "note": _note(answers[cid], lang), "source": i18n.t(f"lke.source.{entry['source']}", lang=lang),
                })
            subs.append({"id": sub["id"], "name": name_in(sub, lang), "weight": sub["weight"],
                         "mean": s_score.get("mean"), "score": s_score["score"], "criteria": rows})
        areas.append({"code": area["code"], "name": name_in(area, lang), "weight": area["weight"],
                      "score": a_score["score"], "percent": a_score["percent"], "subareas": subs})
    sources = {row["part"]: row for row in hasil_lib.table(session, rnd, lang)}
    hasil_rows = []
    for comp in inst.data["hasil"]["components"]:
        detail = score["hasil_detail"]["components"][comp["id"]]
        hasil_rows.append({"id": comp["id"], "name": name_in(comp, lang), "weight": comp["weight"],
                           "points": detail["score"],
                           "parts": [{"id": p["id"], "name": name_in(p, lang), "spec": p,
                                      "input": data["hasil_inputs"].get(p["id"]), "points": detail["parts"][p["id"]],
                                      "source": sources.get(p["id"], {}).get("source")}
                                     for p in comp["parts"]]})
    return {
        "lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **header(session, rnd, inst, lang, fr),
        "title": i18n.t("lke.title", lang=lang), "subtitle": inst.title,
        "final": {"seq": fr.seq, "hash": fr.result_hash}, "hasil": hasil_rows,
        "instrument_json": inst.canonical_json,
        "areas": areas, "points": is_points, "rescale": score.get("rescale"), "components": component_rows(inst, score, lang) if is_points else [],
        "totals": {"pengungkit": score.get("pengungkit"), "hasil": score.get("hasil"),
                   "max": inst.data["pengungkit_total"] + inst.data["hasil"]["total"],
                                   "indeks": score["indeks_rb"], "grade": score["grade"],
                                   "grade_label": score.get("grade_label"),
                                   "pengungkit_max": inst.data["pengungkit_total"],
                                   "hasil_max": inst.data["hasil"]["total"]},
    }


def _g(x, lang: str) -> str:
    """A figure of the instrument as written (no padding zeros), with the language's decimal mark."""
    text = f"{float(x):g}"
    return text.replace(".", ",") if lang == "id" else text


def line_spec(inst, cid: str, lang: str) -> str:
    """What a points line takes and gives: its range and weight, its multiplier, its categories."""
    from pmprb.engine import points

    c = inst.criteria[cid]
    d = c.data
    parts = []
    if c.kind in ("score", "adjustment"):
        parts.append(i18n.t("lke.line_spec", lang=lang, lo=_g(d["range"][0], lang),
                            hi=_g(d["range"][1], lang),
                            weight=_g(d.get("weight", 0), lang)))
    if d.get("multiplier"):
        m = d["multiplier"]
        parts.append(i18n.t("lke.line_multiplier", lang=lang, cid=m,
                            max=_g(inst.criteria[m].data["range"][1], lang)))
    if c.kind == "category":
        cats = [f"{cat['code']} = {_g(cat['points'], lang)}" if "points" in cat else f"{cat['code']} = ?"
                for cat in points.categories(inst, d)]
        parts.append(i18n.t("lke.line_categories", lang=lang, cats=", ".join(cats)))
    return "; ".join(parts)


def component_rows(inst, score: dict, lang: str) -> list[dict]:
    """A points instrument's components in instrument order, the rescaled one with its rescaling."""
    out = []
    rescale = score.get("rescale") or {}
    for comp in inst.components:
        got = score["components"].get(comp["id"])
        if got is None:
            continue
        row = {"id": comp["id"], "name": name_in(comp, lang), "weight": comp["weight"], "score": got["score"],
               "counted": got["counted"], "rescale": None, "themes": []}
        if rescale.get("component") == comp["id"]:
            row["rescale"] = i18n.t("lke.rescaled", lang=lang, name=row["name"],
                                    score=format_number(rescale["score"], 2, lang),
                                    weight=format_number(rescale["weight"], 2, lang),
                                    full=format_number(rescale["full_weight"], 2, lang))
        areas = {a["code"] for a in inst.areas if a.get("component") == comp["id"]}
        for t in inst.data.get("themes", []):
            th = score.get("themes", {}).get(t["id"])
            if th and any(inst.criteria[x].area in areas for x in th["lines"]):
                row["themes"].append({"id": t["id"], "name": name_in(t, lang), "weight": th["weight"],
                                      "score": th["score"], "percent": th["percent"]})
        out.append(row)
    return out


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)


def write_xlsx_file(path: str | Path, ctx: dict, inst=None) -> Path:
    """The official-style workbook: live formulas per sub-area, area, Pengungkit, Hasil,
    Indeks and grade, with pmprb's figures cached (:mod:`pmprb.reports.lke_workbook`)."""
    from pmprb.engine.instrument import Instrument
    from pmprb.reports import lke_workbook

    inst = inst or Instrument.from_canonical_json(ctx["instrument_json"])
    if ctx.get("points"):
        from pmprb.reports import lke_points_workbook

        wb, cached, _ = lke_points_workbook.build_workbook(ctx, inst)
    else:
        wb, cached, _ = lke_workbook.build_workbook(ctx, inst)
    return lke_workbook.save(wb, cached, path)
