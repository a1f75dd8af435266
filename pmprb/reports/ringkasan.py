"""Ringkasan: the Indeks RB of a final round on one page — Pengungkit by
area (inline SVG bar chart), Hasil with where each figure came from, Indeks
and grade, predicates where the instrument has them, the comparison with the
earlier finalisation of this round, the previous final round and the
imported (published) history, consensus and RATL in numbers, and the
shortest RATL path to the next grade. Every figure with two decimals."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from pmprb import i18n
from pmprb.assessments.coordinate import final_result, hasil, ratl as ratl_lib
from pmprb.assessments.coordinate.ratl_path import path_of
from pmprb.assessments.store.models import AssessmentRound
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.reports.charts import Bar, bar_chart
from pmprb.reports.environment import format_date, render
from pmprb.numbers import MISSING, format_number
from pmprb.reports.round_common import header, name_in

TEMPLATE = "reports/ringkasan.html.j2"

_HEADLINE_KEYS = {"pengungkit": "rk.pengungkit", "hasil": "rk.hasil", "indeks_rb": "rk.headline"}


def _input_text(row: dict, lang: str) -> str | None:
    """A scale figure as a number of the reader's language, with the decimals it was entered with."""
    raw = row["value"]
    if raw is None or row["kind"] != "scale":
        return raw
    # At least two decimals like every other figure; more when the source gave more (3.117 stays 3,117).
    places = max(2, len(raw.partition(".")[2]))
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
    is_points = score.get("method") == "points"
    # An area of no weight (an adjustment line such as a coefficient) has no bar.
    chart = bar_chart([Bar(a["code"], a["score"], a["weight"], hint=a["name"]) for a in areas if a["weight"] > 0],
                      title=i18n.t("rk.chart_points" if is_points else "rk.chart", lang=lang), lang=lang,
                      label_width=70)
    parts = []
    for row in hasil.table(session, rnd, lang):
        comp = score["hasil_detail"]["components"][row["component"]]
        parts.append({"id": row["part"], "name": row["name"], "input": _input_text(row, lang), "weight": row["weight"],
                      "points": comp["parts"][row["part"]], "source": row["source"]})
    if is_points:
        headline = _points_headline(inst, score, prev_data, lang)
    else:
        totals = [("pengungkit", inst.data["pengungkit_total"]), ("hasil", inst.data["hasil"]["total"]),
                  ("indeks_rb", 100)]
        headline = [{"label": i18n.t(_HEADLINE_KEYS[k], lang=lang),
                     "value": score[k], "max": mx, "previous": prev_data["score"][k] if prev_data else None,
                     "change": score[k] - prev_data["score"][k] if prev_data else None} for k, mx in totals]
    items = ratl_lib.list_items(session, rnd)
    return {
        "comparisons": _comparisons(session, rnd, fr, data, prev, lang),
        "path": path_of(session, rnd, lang=lang, documents=True),
        "lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **header(session, rnd, inst, lang, fr),
        "title": i18n.t("rk.title", lang=lang), "subtitle": i18n.t("rk.subtitle", lang=lang, year=rnd.year),
        "indeks": score["indeks_rb"], "grade": score["grade"], "grade_label": score.get("grade_label"),
        "headline": headline, "areas": areas, "chart": chart, "hasil_parts": parts, "points": is_points,
        "components": _components(inst, score, areas, lang) if is_points else [],
        "deviation": _deviation(session, rnd, lang) if is_points else None,
        "predicates": _predicates(score, lang),
        "previous": ({"code": prev[0].code, "year": prev[0].year, "grade": prev_data["score"]["grade"],
                      "instrument": prev_data["instrument"]["id"],
                      "same_instrument": prev_data["instrument"]["revision"] == inst.revision} if prev else None),
        "consensus": data["consensus"], "all_discussed": data["discussion"]["all_discussed"],
        "ratl": {"n": len(items)},
    }


def _points_headline(inst, score: dict, prev_data: dict | None, lang: str) -> list[dict]:
    """A points instrument's components (as counted, after any rescaling) and its total."""
    prev = prev_data["score"] if prev_data and prev_data["score"].get("method") == "points" else None
    out = []
    for comp in inst.components:
        got = score["components"].get(comp["id"])
        if got is None:
            continue
        before = (prev or {}).get("components", {}).get(comp["id"], {}).get("counted")
        out.append({"label": name_in(comp, lang), "value": got["counted"], "max": comp["weight"],
                    "previous": before, "change": got["counted"] - before if before is not None else None})
    before = prev_data["score"]["indeks_rb"] if prev_data else None
    out.append({"label": i18n.t("rk.headline", lang=lang), "value": score["indeks_rb"],
                "max": inst.data["pengungkit_total"] + inst.data["hasil"]["total"], "previous": before,
                "change": score["indeks_rb"] - before if before is not None else None})
    return out


def _components(inst, score: dict, areas: list[dict], lang: str) -> list[dict]:
    """Each component of a points instrument with its areas, or its themes where its lines have themes;
    the rescaled component with its applicable weight."""
    rescale = score.get("rescale") or {}
    by_code = {a["code"]: a for a in areas}
    out = []
    for comp in inst.components:
        got = score["components"].get(comp["id"])
        if got is None:
            continue
        codes = [a["code"] for a in inst.areas if a.get("component") == comp["id"]]
        themes = []
        for t in inst.data.get("themes", []):
            th = score.get("themes", {}).get(t["id"])
            if th and any(inst.criteria[x].area in codes for x in th["lines"]):
                themes.append({"id": t["id"], "name": name_in(t, lang), "weight": th["weight"], "score": th["score"],
                               "percent": th["percent"]})
        row = {"id": comp["id"], "name": name_in(comp, lang), "weight": comp["weight"], "score": got["score"],
               "counted": got["counted"], "areas": [by_code[c] for c in codes], "themes": themes,
               "rescale": None}
        if rescale.get("component") == comp["id"]:
            row["rescale"] = i18n.t("rk.rescaled", lang=lang, score=format_number(rescale["score"], 2, lang),
                                    weight=format_number(rescale["weight"], 2, lang),
                                    full=format_number(rescale["full_weight"], 2, lang),
                                    counted=format_number(rescale["rescaled"], 2, lang))
        out.append(row)
    return out


def _deviation(session: Session, rnd: AssessmentRound, lang: str) -> dict:
    """The internal estimate against the official values recorded so far (``pmprb round official``)."""
    from pmprb.assessments.coordinate import official

    d = official.deviation(session, rnd, lang=lang)
    # The applicable weight each side is rescaled by: given as a figure (with its source) or derived.
    d["weights"] = []
    for side, w in (d.get("applicable_weight") or {}).items():
        if w["given"]:
            d["weights"].append(i18n.t(f"offcmd.weight.{side}.given", lang=lang,
                                       weight=format_number(w["weight"], 2, lang), source=w["given"]["source"]))
        else:
            d["weights"].append(i18n.t(f"offcmd.weight.{side}.derived", lang=lang,
                                       weight=format_number(w["weight"], 2, lang),
                                       ids=", ".join(w["not_applicable"]) or MISSING))
    d["official_weight_given"] = bool(((d.get("applicable_weight") or {}).get("official") or {}).get("given"))
    return d


def _row(label: str, year: int, score: dict, grade, indeks_now: float) -> dict:
    return {"label": label, "year": year, "pengungkit": score.get("pengungkit"), "hasil": score.get("hasil"),
            "indeks": score.get("indeks_rb"), "grade": grade,
            "change": indeks_now - score["indeks_rb"] if score.get("indeks_rb") is not None else None}


def _comparisons(session: Session, rnd: AssessmentRound, fr, data: dict, prev, lang: str) -> list[dict]:
    """This result, the earlier finalisation of this round, the previous final round and
    the institution's published figures of earlier years, newest first."""
    now = data["score"]["indeks_rb"]
    when = lambda x: format_date(x, lang)  # noqa: E731
    rows = [_row(i18n.t("rk.src.current", lang=lang, seq=fr.seq, when=when(fr.finalised_at)), rnd.year,
                 data["score"], data["score"]["grade"], now)]
    earlier = [r for r in final_result.results(session, rnd) if r.seq < fr.seq]
    if earlier:
        e = earlier[-1]
        score = final_result.data_of(e)["score"]
        rows.append(_row(i18n.t("rk.src.earlier", lang=lang, seq=e.seq, when=when(e.finalised_at)), rnd.year,
                         score, score["grade"], now))
    if prev:
        score = final_result.data_of(prev[1])["score"]
        rows.append(_row(i18n.t("rk.src.round", lang=lang, code=prev[0].code), prev[0].year, score, score["grade"],
                         now))
    rows += _published(session, rnd, now, lang, skip_years={r["year"] for r in rows[1:]})
    return rows


def _published(session: Session, rnd: AssessmentRound, now: float, lang: str, skip_years: set) -> list[dict]:
    """Imported history (``pmprb history import``) of this institution, years before the round."""
    from sqlmodel import select

    from pmprb.assessments.store.models import Institution
    from pmprb.assessments.store.models.published import PublishedFigure
    from pmprb.engine.history import GRADE, HASIL, INDEKS, PENGUNGKIT

    inst_row = session.get(Institution, rnd.institution_id)
    names = {inst_row.name.casefold(), inst_row.code.casefold()}
    years: dict[int, dict] = {}
    for f in session.exec(select(PublishedFigure).where(PublishedFigure.year < rnd.year)
                          .order_by(PublishedFigure.year.desc(), PublishedFigure.id)):
        if f.institution.casefold() not in names or f.year in skip_years:
            continue
        y = years.setdefault(f.year, {"source": f.source_file})
        if f.item in (PENGUNGKIT, HASIL, INDEKS):
            y[f.item] = float(f.value)
        elif f.item == GRADE:
            y[GRADE] = f.value
    out = []
    for year, y in sorted(years.items(), reverse=True):
        score = {"pengungkit": y.get(PENGUNGKIT), "hasil": y.get(HASIL), "indeks_rb": y.get(INDEKS)}
        out.append(_row(i18n.t("rk.src.published", lang=lang, source=y["source"]), year, score, y.get(GRADE), now))
    return out


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)
