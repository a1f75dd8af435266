"""`pmprb audit explain` as text for people (Bahasa Indonesia by default)."""

from __future__ import annotations

from pmprb import i18n
from pmprb.dates import show_iso
from pmprb.numbers import format_number
from pmprb.engine.evidence_messages import flag_text as evidence_flag_text, kind_name as evidence_kind_name
from pmprb.engine.evidence_requirements import FLAGS as EVIDENCE_FLAGS

def _n(x, places: int = 2) -> str:
    return format_number(x, places) if x is not None else "–"


def _answer(a) -> str:
    return "–" if a is None else str(a)


def _effect(step: dict) -> str:
    eff = step["effect"]
    parts = []
    if "raw" in eff:
        parts.append(i18n.t("xpl.eff_raw", raw=_n(eff["raw"])))
    if eff.get("zero"):
        parts.append(i18n.t("xpl.eff_zero"))
    if "multiply_by" in eff:
        parts.append(i18n.t("xpl.eff_multiply", pre=eff["multiply_by"]))
    if eff.get("flag"):
        parts.append(i18n.t("xpl.eff_flag", flag=eff["flag"]))
    if isinstance(eff.get("points"), dict) and isinstance(eff["points"].get("line"), dict):
        # A points line's arithmetic (pmprb.engine.points): score ÷ range maximum × weight, per line.
        line = eff["points"]["line"]
        if "range" in line and "weight" in line:
            parts.append(i18n.t("xpl.eff_points", hi=line["range"][1], weight=line["weight"],
                                places=line.get("places", 2)))
        elif "categories" in line:
            parts.append(i18n.t("xpl.eff_category", cats=", ".join(
                f"{k}={'?' if v is None else v}" for k, v in line["categories"].items())))
        else:
            parts.append(i18n.t("xpl.eff_adjustment", places=line.get("places", 2)))
    extra = {k: v for k, v in eff.items() if k not in ("raw", "zero", "multiply_by", "flag", "points")}
    if extra or not parts:
        parts.append(i18n.t("xpl.eff_other", effect=extra))
    return "; ".join(parts)


def render(d: dict) -> str:
    c, ins, rnd = d["criterion"], d["instrument"], d["round"]
    out = [i18n.t("xpl.round", code=rnd["code"], state=rnd["state"], instrument=ins["id"], version=ins["version"],
                  revision=ins["revision"][:16]),
           i18n.t("xpl.criterion", id=c["id"], text=c["text"]),
           i18n.t("xpl.where", area=c["area"]["code"], area_name=c["area"]["name"], sub=c["subarea"]["id"],
                  sub_name=c["subarea"]["name"] or "", type=c["answer_type"])]
    out += [i18n.t("xpl.option", answer=o["answer"], value=_n(o["value"]), text=o["text"]) for o in c["options"]]
    if d["unit"]:
        out.append(i18n.t("xpl.unit", unit=d["unit"]))

    out += ["", i18n.t("xpl.h_assessors")]
    for a in d["assessors"]:
        flags = (a["decision"] or {}).get("result", {}).get("flags") or []
        out.append(i18n.t("xpl.assessor", unit=a["unit"], assessor=a["assessor"], name=a["assessor_name"],
                          answer=_answer(a["answer"]), value=_n(a["value"]),
                          flags=f" [{', '.join(flags)}]" if flags else ""))
        if a["note"]:
            out.append(i18n.t("xpl.note", note=a["note"]))
    if not d["assessors"]:
        out.append(i18n.t("xpl.no_assessors"))

    out += ["", i18n.t("xpl.h_consensus")]
    item = d["consensus"]
    entry = (d["final_result"] or {}).get("entry") or {}
    if item is None:
        source = entry.get("source")
        out.append(i18n.t("xpl.no_item", why=i18n.t(f"xpl.source.{source}") if source else "–"))
    else:
        out.append(i18n.t("xpl.item", criterion=item["criterion"], state=item["state"], spread=_n(item["spread"])))
        if item["state"] == "resolved":
            who = f"{item['resolved_by']} ({item['resolved_by_name']})" if item["resolved_by_name"] else item["resolved_by"]
            out.append(i18n.t("xpl.item_resolved", answer=item["final_answer"], value=_n(item["final_value"]), who=who,
                              at=show_iso(item["resolved_at"]), meeting=show_iso(item["meeting_date"])))
            out.append(i18n.t("xpl.participants", names=", ".join(
                p.get("username") or p.get("name") for p in item["participants"])))
            out.append(i18n.t("xpl.rationale", text=item["rationale"]))
        steps = [f"{h['seq']}. {h['kind']} {show_iso(h['at'])} {h['actor']}" + (f" ({h['reason']})" if h["reason"] else "")
                 for h in item.get("history", [])]
        if steps:
            out.append(i18n.t("xpl.history", steps="; ".join(steps)))

    out += ["", i18n.t("xpl.h_final")]
    final, chain, fr = d["final"], d["chain"], d["final_result"]
    if final is None:
        out.append(i18n.t("xpl.no_final"))
    else:
        out.append(i18n.t("xpl.decision", id=final["decision_id"], at=show_iso(final["created_at"]),
                          actor=final.get("actor") or "system", engine=final["engine"]))
        if fr:
            out.append(i18n.t("xpl.frozen", seq=fr["seq"], when=show_iso(fr["finalised_at"]), who=fr["finalised_by"],
                              force="" if fr["in_force"] else i18n.t("xpl.not_in_force")))
        source = entry.get("source")
        out.append(i18n.t("xpl.answer", answer=_answer(chain["answer"]),
                          source=i18n.t(f"xpl.source.{source}") if source else "–", evidence=chain["evidence"]))
        if chain["count"] is not None:
            out.append(i18n.t("xpl.count", count=chain["count"]))
        else:
            out.append(i18n.t("xpl.raw", raw=_n(chain["raw_value"])))
            for g in chain["gating"]:
                out.append(i18n.t("xpl.gate", pre=g["prerequisite"], pre_text=g["prerequisite_text"],
                                  pre_answer=_answer(g["prerequisite_answer"]), pre_value=_n(g["prerequisite_value"]),
                                  rule=g["rule"], effect=i18n.t(f"xpl.gate_{g['effect']}"),
                                  after=_n(g["value_after"])))
            if not chain["gating"]:
                out.append(i18n.t("xpl.no_gate"))
            out.append(i18n.t("xpl.value", value=_n(chain["value"])))
        if chain["flags"]:
            out.append(i18n.t("xpl.flags", flags=", ".join(chain["flags"])))
            for f in chain["flags"]:
                if f in EVIDENCE_FLAGS:
                    out.append(i18n.t("xpl.evidence_flag", flag=f, text=evidence_flag_text(f)))
        for sentence in chain.get("evidence_advice") or []:
            out.append(i18n.t("xpl.evidence_advice", text=sentence))
        if chain.get("documents"):
            out.append(i18n.t("xpl.documents", period=chain["documents"].get("period") or "–"))
            for doc in chain["documents"].get("cited") or []:
                out.append(i18n.t("xpl.document", kind=evidence_kind_name(doc["kind"]),
                                  number=doc.get("number") or "–", when=show_iso(doc["date"]) if doc.get("date") else doc.get("year") or "–",
                                  status=doc["status"], subject=doc.get("subject") or ""))
        out += ["", i18n.t("xpl.h_rules")]
        for n, step in enumerate(chain["steps"], 1):
            out.append(i18n.t("xpl.rule", n=n, rule=step["rule"], effect=_effect(step), after=_n(step["value_after"])))

    out += ["", i18n.t("xpl.h_evidence")]
    for e in d["evidence"]:
        cited_only = not (e["url"] or e["storage_path"])   # a citation without a file (evidence import)
        number = e["number"] or ("–" if cited_only and e["key"] == e["title"] else e["key"])
        out.append(i18n.t("xpl.evidence", unit=e["unit"], number=number, title=e["title"],
                          date=show_iso(e["document_date"]) if e["document_date"] else "–", revision=e["revision"], sha256=e["sha256"]))
        out.append(i18n.t("xpl.evidence_where", where=e["url"] or e["storage_path"] or i18n.t("xpl.cited_only"),
                          at=show_iso(e["uploaded_at"]), who=e["uploaded_by"]))
    if not d["evidence"]:
        out.append(i18n.t("xpl.no_evidence"))

    contrib = d["contribution"]
    if contrib is not None:
        out += ["", i18n.t("xpl.h_contribution")]
        if not contrib["scored"]:
            out.append(i18n.t("xpl.c_unscored"))
        else:
            sub, area, ix = contrib["subarea"], contrib["area"], contrib["indeks"]
            if "items_in_subarea" in contrib:
                out.append(i18n.t("xpl.c_sub", id=sub["id"], name=sub["name"] or "", weight=_n(sub["weight"], 4),
                                  n=contrib["items_in_subarea"], share=_n(contrib["share"], 4),
                                  points=_n(contrib["points"], 4), max=_n(contrib["max_points"], 4),
                                  score=_n(sub.get("score"), 4)))
            else:  # a points line adds its own points (pmprb.engine.points_scoring.contribution)
                out.append(i18n.t("xpl.c_line", id=sub["id"], name=sub["name"] or "", weight=_n(sub["weight"]),
                                  points=_n(contrib["points"]), max=_n(contrib["max_points"]),
                                  score=_n(sub.get("score"))))
                comp = contrib.get("component") or {}
                if comp.get("score") is not None:
                    out.append(i18n.t("xpl.c_component", id=comp["id"], score=_n(comp["score"]),
                                      counted=_n(comp.get("counted")), weight=_n(comp.get("weight"))))
            out.append(i18n.t("xpl.c_area", code=area["code"], name=c["area"]["name"], points=_n(contrib["points"], 4),
                              score=_n(area.get("score"), 4), weight=_n(area["weight"]),
                              percent=_n(area.get("percent"))))
            out.append(i18n.t("xpl.c_indeks", points=_n(contrib["points"], 4), indeks=_n(ix.get("indeks_rb")),
                              grade=ix.get("grade") or "–", gain=_n(contrib["gain_if_best"], 4)))

    out += ["", i18n.t("xpl.h_ratl")]
    r = d["ratl"]
    if r is None:
        best = final is not None and contrib and contrib["gain_if_best"] == 0
        gated = d.get("ratl_unlocked_by")
        why = (i18n.t("xpl.no_ratl_gated", ids=", ".join(gated)) if gated
               else i18n.t("xpl.no_ratl_best") if best else "")
        out.append(i18n.t("xpl.no_ratl", why=why))
    else:
        who = r["responsible_unit"] or r["responsible_role"]
        out.append(i18n.t("xpl.ratl", rank=r["rank"], state=r["state"], target=r["target_date"], who=who))
        out.append(i18n.t("xpl.ratl_k", text=r["kelemahan"]))
        out.append(i18n.t("xpl.ratl_r", text=r["rekomendasi"]))
        out.append(i18n.t("xpl.ratl_a", text=r["rencana_aksi"]))
        out.append(i18n.t("xpl.ratl_o", text=r["output"]))
    return "\n".join(out)
