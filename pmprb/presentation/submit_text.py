"""What stands between a worksheet and its submission, in the order a person
acts on it (``pmprb assess submit``): blocking problems first, each labelled
with its kind; then the warnings, grouped by kind and area on one line each;
then one line saying what to do next.
"""

from __future__ import annotations

from pmprb import i18n
from pmprb.engine.evidence_messages import flag_text
from pmprb.engine.evidence_requirements import FLAGS as EVIDENCE_FLAGS
from pmprb.engine.instrument import Instrument

def _kind(m) -> str:
    if m.problem in ("unanswered",) + EVIDENCE_FLAGS:
        return m.problem
    return "no_evidence_block" if m.blocking else "no_evidence"


def _kind_text(kind: str, lang: str) -> str:
    return flag_text(kind, lang) if kind in EVIDENCE_FLAGS else i18n.t(f"subt.kind.{kind}", lang=lang)


def render_check(check, inst: Instrument, *, round_code: str, lang: str | None = None) -> list[str]:
    """Lines for :class:`pmprb.assessments.assess.submission.Check` (no header or verdict)."""
    lang = lang or i18n.get_lang()
    lines: list[str] = []
    blocking = check.blocking
    if blocking:
        lines.append(i18n.t("subt.blocking_head", lang=lang, n=len(blocking)))
        for m in blocking:
            lines.append("  " + i18n.t("subt.item", lang=lang, kind=_kind_text(_kind(m), lang),
                                       cid=m.criterion, answer=f" = {m.answer}" if m.answer else "", text=m.text))
    warnings = check.warnings
    if warnings:
        lines.append(i18n.t("subt.warnings_head", lang=lang, n=len(warnings)))
        order = [a["code"] for a in inst.areas]
        groups: dict[tuple[str, str], list] = {}
        for m in warnings:
            groups.setdefault((_kind(m), inst.criteria[m.criterion].area), []).append(m)
        for (kind, area), items in sorted(groups.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1]))):
            lines.append("  " + i18n.t("subt.group", lang=lang, kind=_kind_text(kind, lang),
                                       area=area, n=len(items),
                                       items=", ".join(f"{m.criterion} = {m.answer}" if m.answer else m.criterion
                                                       for m in items)))
    if blocking:
        lines.append(i18n.t("subt.next_fix", lang=lang, cid=blocking[0].criterion, round=round_code,
                            unit=check.unit))
    return lines


__all__ = ["render_check"]
