"""What is left to do on a worksheet, and what it is worth so far
(``:progres`` in the walk, ``pmprb assess progress``).

Per area in the assessor's scope: answered/total, the criteria still
unanswered, the claims without evidence, and the area and sub-area values
so far — computed by :func:`pmprb.engine.scoring.score` from the decisions
the rules made on the stored answers (an unanswered criterion counts 0, a
gated one its gated value), so they are exactly what the final scoring
would give for the worksheet as it stands.
"""

from __future__ import annotations

from pmprb import i18n
from pmprb.engine import scoring
from pmprb.engine.instrument import Instrument
from pmprb.numbers import format_number
from pmprb.engine import flags
from pmprb.engine.decision import Decision

def _name(item: dict, lang: str) -> str:
    return item.get("name_en", item["name"]) if lang == "en" else item["name"]


def progress_detail(inst: Instrument, ids: list[str], answered: set[str], decisions: dict[str, Decision], *,
                    lang: str | None = None, engine: str | None = None) -> dict:
    """``ids``: the criteria the assessor answers (in order); ``answered``: those
    with a stored answer; ``decisions``: the evaluator's decisions for the
    whole worksheet. JSON-ready."""
    lang = lang or i18n.get_lang()
    values = {cid: d.result.value for cid, d in decisions.items() if d.result.value is not None}
    score = scoring.score(inst, values, None, engine)
    in_scope = set(ids)
    areas = []
    for area in inst.areas:
        area_ids = [cid for cid in ids if inst.criteria[cid].area == area["code"]]
        if not area_ids:
            continue
        a_score = score["areas"][area["code"]]
        subs = []
        for sub in area["subareas"]:
            if not any(c["id"] in in_scope for c in sub["criteria"]):
                continue
            s_score = a_score["subareas"][sub["id"]]
            subs.append({"subarea": sub["id"], "name": _name(sub, lang), "value": s_score["score"],
                         "weight": s_score["weight"]})
        areas.append({
            "area": area["code"], "name": _name(area, lang),
            "answered": sum(1 for cid in area_ids if cid in answered), "total": len(area_ids),
            "value": a_score["score"], "weight": a_score["weight"], "subareas": subs,
            "unanswered": [cid for cid in area_ids if cid not in answered],
            "no_evidence": [cid for cid in area_ids if cid in decisions
                            and decisions[cid].result.has_flag(flags.CLAIMED_WITHOUT_EVIDENCE)],
        })
    return {"answered": sum(a["answered"] for a in areas), "total": sum(a["total"] for a in areas),
            "areas": areas}


def render_progress_detail(p: dict, *, round_code: str | None = None, unit: str | None = None,
                           lang: str | None = None) -> str:
    """Lines for people; the caller wraps them to the terminal."""
    lang = lang or i18n.get_lang()
    num = lambda x: format_number(x, 2, lang)  # noqa: E731
    lines = [i18n.t("prog.head", lang=lang, answered=p["answered"], total=p["total"])]
    first_gap = None
    for a in p["areas"]:
        lines.append(i18n.t("prog.area", lang=lang, code=a["area"], name=a["name"], answered=a["answered"],
                            total=a["total"], value=num(a["value"]), weight=num(a["weight"])))
        for s in a["subareas"]:
            lines.append("    " + i18n.t("prog.subarea", lang=lang, code=s["subarea"], name=s["name"],
                                         value=num(s["value"]), weight=num(s["weight"])))
        if a["unanswered"]:
            lines.append("    " + i18n.t("prog.unanswered", lang=lang, ids=", ".join(a["unanswered"])))
            first_gap = first_gap or ("prog.next_answer", a["unanswered"][0])
        if a["no_evidence"]:
            lines.append("    " + i18n.t("prog.no_evidence", lang=lang, ids=", ".join(a["no_evidence"])))
            first_gap = first_gap or ("prog.next_evidence", a["no_evidence"][0])
    if first_gap:
        lines.append(i18n.t("prog.next", lang=lang, what=i18n.t(first_gap[0], lang=lang, cid=first_gap[1])))
    elif round_code and unit:
        lines.append(i18n.t("prog.complete", lang=lang))
        lines.append(i18n.t("prog.next", lang=lang,
                            what=i18n.t("prog.next_submit", lang=lang, round=round_code, unit=unit)))
    return "\n".join(lines)


__all__ = ["progress_detail", "render_progress_detail"]
