"""What the rules decided, in words an assessor reads after each answer.

Turns evaluator decisions (:mod:`pmprb.engine.evaluator`) into short lines:
the value, why a gate changed it ("dinilai 0 karena MP.2.a = Tidak"), and
warnings ("jawaban di atas pilihan terburuk tanpa bukti dukung"). The text
comes from the decision itself (its trace and recorded prerequisites), so it
always explains the same decision that scoring uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pmprb import i18n
from pmprb.engine import points
from pmprb.engine.instrument import Instrument
from pmprb.engine import flags
from pmprb.engine.decision import Decision
from pmprb.engine.evidence_advice import advice
from pmprb.engine.evidence_messages import flag_text

def fmt_value(v) -> str:
    """0.6667 -> '0.6667', 1.0 -> '1', None -> '-'."""
    if v is None:
        return "-"
    return f"{round(float(v), 4):g}"


@dataclass
class Feedback:
    criterion: str
    value: float | None
    raw_value: float | None
    count: int | None
    flags: list[str]
    lines: list[str]                  # value and gating explanation
    warnings: list[str]               # e.g. claimed without evidence
    effects: list[str] = field(default_factory=list)  # other criteria whose result changed

    def to_dict(self) -> dict:
        return {"criterion": self.criterion, "value": self.value, "raw_value": self.raw_value, "count": self.count,
                "flags": list(self.flags), "messages": list(self.lines), "warnings": list(self.warnings),
                "effects": list(self.effects)}


def gate_reasons(decision: Decision) -> list[str]:
    """Why gating changed a decision's value, one line per gate that fired."""
    out = []
    prereqs = decision.input.get("prerequisites", {})
    for name in decision.trace:
        if "/gate:" not in name:
            continue
        kind, pre = name.split("/gate:", 1)[1].split(":", 1)
        p = prereqs.get(pre, {"answer": None, "value": 0})
        answer = p.get("answer")
        mult = decision.input.get("multiplier")
        if kind == "multiplier" and isinstance(mult, dict):
            # A points line scaled by another line's score (pmprb.engine.points).
            answer = mult.get("answer")
            out.append(i18n.t("afb.multiplier", pre=pre, answer=answer) if answer is not None
                       else i18n.t("afb.gate_zero_unanswered", pre=pre))
        elif kind == "multiply_by_previous":
            out.append(i18n.t("afb.gate_multiply", pre=pre, value=fmt_value(p.get("value")),
                              answer=answer if answer is not None else i18n.t("afb.not_answered_short")))
        elif answer is None:
            out.append(i18n.t("afb.gate_zero_unanswered", pre=pre))
        elif kind == "zero_if_answer":
            out.append(i18n.t("afb.gate_zero", pre=pre, answer=answer))
        else:
            out.append(i18n.t("afb.gate_zero_value", pre=pre, answer=answer))
    return out


def result_text(decision: Decision) -> str:
    r = decision.result
    cid = decision.criterion
    if r.is_count:
        return i18n.t("afb.count", cid=cid, count=r.count if r.count is not None else "-")
    if r.has_flag(flags.UNANSWERED):
        return i18n.t("afb.unanswered", cid=cid)
    if r.raw_value is not None and r.value != r.raw_value:
        return i18n.t("afb.value_raw", cid=cid, value=fmt_value(r.value), raw=fmt_value(r.raw_value))
    return i18n.t("afb.value", cid=cid, value=fmt_value(r.value))


def short_result(decision: Decision) -> str:
    r = decision.result
    if r.is_count:
        return "-" if r.count is None else str(r.count)
    return fmt_value(r.value)


def warnings_of(inst: Instrument, decision: Decision, lang: str | None = None) -> list[str]:
    """What an assessor is warned about for a decision (claimed without evidence, the evidence flags)."""
    cid = decision.criterion
    r = decision.result
    warnings = []
    if r.has_flag(flags.CLAIMED_WITHOUT_EVIDENCE):
        block = inst.criteria[cid].evidence_on_missing == "block"
        if inst.criteria[cid].kind in points.KINDS and not block:
            warnings.append(i18n.t("afb.no_evidence_points", lang=lang))
        else:
            warnings.append(i18n.t("afb.no_evidence_block" if block else "afb.no_evidence", lang=lang))
    # What the cited documents are: the advice sentence when the summary can say it, else the flag.
    evidence_flags = r.evidence_flags
    if evidence_flags:
        said = advice(decision, inst, lang=lang)
        warnings.extend(said or [flag_text(f, lang) for f in evidence_flags])
    return warnings


def explain(inst: Instrument, decision: Decision) -> Feedback:
    cid = decision.criterion
    r = decision.result
    warnings = warnings_of(inst, decision)
    return Feedback(criterion=cid, value=r.value, raw_value=r.raw_value, count=r.count,
                    flags=list(r.flags), lines=[result_text(decision)] + gate_reasons(decision), warnings=warnings)


def effects(before: dict[str, Decision] | None, after: dict[str, Decision], skip: str, wanted: set[str]) -> list[str]:
    """Lines for the other criteria (of ``wanted``) whose result changed between two evaluations."""
    if before is None:
        return []
    out = []
    for cid, dec in after.items():
        if cid == skip or cid not in wanted or cid not in before:
            continue
        old, new = short_result(before[cid]), short_result(dec)
        if old != new:
            why = gate_reasons(dec)
            out.append(i18n.t("afb.effect", cid=cid, old=old, new=new) + (f" ({'; '.join(why)})" if why else ""))
    return out


__all__ = ["Feedback", "explain", "warnings_of", "effects", "gate_reasons", "fmt_value", "short_result"]
