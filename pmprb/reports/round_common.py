"""What every round document shares: the header (institution, round,
instrument, which final result), names in the reader's language, and the
text of rule flags."""

from __future__ import annotations

from sqlmodel import Session

from pmprb import i18n
from pmprb.engine.evidence_messages import flag_text as evidence_flag_text
from pmprb.assessments.store.models import AssessmentRound, Institution
from pmprb.engine.instrument import Instrument
from pmprb.engine import flags

def name_in(node: dict, lang: str) -> str:
    return node.get("name_en", node["name"]) if lang == "en" else node["name"]


def flag_text(flag: str, lang: str) -> str:
    if flags.is_gate(flag):
        return i18n.t("rdoc.flag.gated_by", lang=lang, cid=flags.gate_of(flag))
    key = f"rdoc.flag.{flag}"
    return i18n.t(key, lang=lang) if i18n.has(key) else evidence_flag_text(flag, lang)


def header(session: Session, rnd: AssessmentRound, inst: Instrument, lang: str, fr=None) -> dict:
    """institution name, the meta rows of the base layout, and the head of the
    round's audit chain the document was made from (``audit_head``: every
    document people sign or archive carries it; the base template prints it
    in the footer and ``pmprb audit verify --against`` reads it back)."""
    from pmprb.assessments.audit.anchors import report_head
    from pmprb.reports.environment import format_date

    inst_row = session.get(Institution, rnd.institution_id)
    meta = [[i18n.t("report.year", lang=lang), str(rnd.year)],
            [i18n.t("rdoc.round", lang=lang), rnd.code + (f" — {rnd.title}" if rnd.title else "")],
            [i18n.t("rdoc.instrument", lang=lang), f"{inst.title} ({inst.id}, {inst.version})"]]
    if fr is not None:
        meta.append([i18n.t("rdoc.final", lang=lang),
                     i18n.t("rdoc.final_value", lang=lang, seq=fr.seq, when=format_date(fr.finalised_at, lang),
                            hash=fr.result_hash[:16])])
    head = report_head(session, rnd)
    head["text"] = i18n.t("rdoc.audit_head", lang=lang, chain=head["name"], seq=head["seq"], hash=head["hash"])
    return {"institution": inst_row.name, "meta": meta, "audit_head": head}
