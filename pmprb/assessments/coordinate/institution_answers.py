"""The institution's worksheet: one answer per criterion, compiled from the
working papers (merged) and the consensus items (resolved).

Per criterion the source is

- ``consensus``: a resolved consensus item's final answer;
- ``merged``: every counted answer is the same;
- ``disputed``: the answers differ and no resolution exists yet (no
  answer; the round cannot be finalised in this state);
- ``unanswered``: no counted answer;
- ``computed``: the instrument computes it (no answer of its own).

The evidence summary is the number of distinct documents linked to the
criterion in the round, across units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from pmprb.assessments.store.models import AssessmentRound
from pmprb.assessments.store.models.consensus import ConsensusItem
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.assessments.coordinate.working_papers import collect, institution_evidence_counts, status_of

SOURCES = ("consensus", "merged", "disputed", "unanswered", "computed")


@dataclass
class InstitutionAnswer:
    criterion: str
    answer: str | None
    source: str
    evidence: int
    notes: list[dict] = field(default_factory=list)       # [{unit, assessor, note}] of counted answers
    answers: list[dict] = field(default_factory=list)     # every counted answer [{unit, assessor, answer}]
    rationale: str | None = None                          # the consensus rationale, when resolved
    item_state: str | None = None

    def to_dict(self) -> dict:
        return {"criterion": self.criterion, "answer": self.answer, "source": self.source,
                "evidence": self.evidence, "notes": self.notes, "rationale": self.rationale,
                "item_state": self.item_state}


def compile_answers(session: Session, rnd: AssessmentRound) -> dict[str, InstitutionAnswer]:
    """criterion -> the institution's answer, in instrument order."""
    inst = instrument_for(rnd)
    papers = collect(session, rnd, inst)
    evidence = institution_evidence_counts(session, rnd)
    items = {i.criterion_id: i for i in session.exec(select(ConsensusItem).where(ConsensusItem.round_id == rnd.id))}
    out: dict[str, InstitutionAnswer] = {}
    for cid, c in inst.criteria.items():
        answers = [a for a in papers[cid] if a.counted]
        status = status_of(c, papers[cid])
        item = items.get(cid)
        ia = InstitutionAnswer(
            criterion=cid, answer=None, source=status, evidence=evidence.get(cid, 0),
            notes=[{"unit": a.unit, "assessor": a.assessor, "note": a.note} for a in answers if a.note],
            answers=[{"unit": a.unit, "assessor": a.assessor, "answer": a.answer} for a in answers],
            item_state=item.state if item else None)
        if item is not None and item.state == "resolved":
            ia.answer, ia.source, ia.rationale = item.final_answer, "consensus", item.rationale
        elif status == "merged":
            ia.answer = answers[0].answer   # the counted answers agree (merged_answer, without re-deciding)
        out[cid] = ia
    return out


def evaluator_inputs(answers: dict[str, InstitutionAnswer]) -> tuple[dict, dict]:
    """(answers, evidence) for ``Evaluator.evaluate``: computed and
    unanswered criteria are left out of ``answers`` (the rules flag them)."""
    return ({cid: a.answer for cid, a in answers.items() if a.answer is not None},
            {cid: a.evidence for cid, a in answers.items() if a.evidence})


__all__ = ["InstitutionAnswer", "compile_answers", "evaluator_inputs", "SOURCES"]
