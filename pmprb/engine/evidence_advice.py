"""RATL advice from a decision's evidence flags: the sentence that says what to cite instead.

Built on the requirements (:mod:`pmprb.engine.evidence_requirements`) and
the texts (:mod:`pmprb.engine.evidence_messages`).
"""

from __future__ import annotations

from pmprb import i18n
from pmprb.engine.evidence_messages import document_label, kind_name
from pmprb.engine.evidence_requirements import activity_kinds, claims_by_set, kind_sets, requirement
from pmprb.engine import flags as flag_names
from pmprb.engine.decision import Decision


def _when(doc: dict) -> str:
    if doc.get("date"):
        return doc["date"] + (f"–{doc['date_end']}" if doc.get("date_end") else "")
    if doc.get("year") is not None:
        return str(doc["year"])
    if doc.get("period"):
        return f"{doc['period'][0]}–{doc['period'][1]}"
    return "?"


def _effective_period(cited: list, i: int) -> list | None:
    """A document's period, or the one it shares with the documents it amends / that amend it."""
    seen, todo, best = set(), [i], None
    while todo:
        j = todo.pop()
        if j in seen or not 0 <= j < len(cited):
            continue
        seen.add(j)
        p = cited[j].get("period")
        if p and (best is None or p[1] > best[1]):
            best = p
        if cited[j].get("amends") is not None:
            todo.append(cited[j]["amends"])
        todo.extend(k for k, d in enumerate(cited) if d.get("amends") == j)
    return best


def advice(decision: Decision, instrument=None, lang: str | None = None) -> list[str]:
    """One RATL sentence per evidence flag of ``decision``, built from its input's document summary.

    ``instrument`` (optional) names the kinds the criterion accepts for the recorded answer."""
    flags = decision.result.flags
    inp = decision.input
    summary = inp.get("documents")
    if not summary:
        return []
    cited = summary.get("cited") or []
    period = summary.get("period")
    out = []
    for flag in flags:
        if flag == flag_names.EVIDENCE_OUTDATED:
            i = next((k for k, d in enumerate(cited) if d["status"] == "outdated"), None)
            if i is None:
                continue
            d = cited[i]
            p = _effective_period(cited, i)
            if d["kind"] in _activity(instrument) or not p:
                out.append(i18n.t("evidence.advice.outdated_activity", lang=lang, what=document_label(d, lang),
                                  when=_when(d), period=period))
            else:
                out.append(i18n.t("evidence.advice.outdated_period", lang=lang, what=document_label(d, lang),
                                  start=p[0], end=p[1]))
        elif flag == "evidence_future":
            d = next((d for d in cited if d["status"] == "future"), None)
            if d is not None:
                out.append(i18n.t("evidence.advice.future", lang=lang, what=document_label(d, lang), when=_when(d),
                                  period=period))
        elif flag == flag_names.EVIDENCE_KIND_NOT_ACCEPTED:
            kinds = list(dict.fromkeys(kind_name(d["kind"], lang) for d in cited if d["kind"] != "lainnya"))
            accepted = _accepted(instrument, decision, lang)
            if accepted:
                out.append(i18n.t("evidence.advice.kind", lang=lang, cited=", ".join(kinds), accepted=accepted))
            else:
                out.append(i18n.t("evidence.advice.kind_generic", lang=lang, cited=", ".join(kinds)))
        elif flag == "evidence_superseded":
            d = next((d for d in cited if d.get("superseded")), None)
            if d is not None:
                label = (i18n.t("evidence.advice.number", lang=lang, kind=kind_name(d["kind"], lang), number=d["number"])
                         if d.get("number") else document_label(d, lang))
                out.append(i18n.t("evidence.advice.superseded", lang=lang, what=label))
    return out


def _activity(instrument) -> frozenset:
    if instrument is None:
        return frozenset({"kegiatan", "notulen", "laporan", "berita_acara"})
    return activity_kinds(instrument.data)


def _accepted(instrument, decision: Decision, lang) -> str | None:
    if instrument is None:
        return None
    c = instrument.criteria.get(decision.criterion)
    if c is None or not requirement(c):
        return None
    answer = decision.input.get("answer")
    name = next((s for s, answers in claims_by_set(c).items() if answer in answers), None) if c.is_choice \
        else requirement(c)["accept"]
    if name is None:
        return None
    kinds = [kind_name(k, lang) for k in kind_sets(instrument.data).get(name, ())]
    return i18n.t("evidence.advice.or", lang=lang).join(kinds) if kinds else None
