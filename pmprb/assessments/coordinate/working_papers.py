"""Every assessor's working paper (kertas kerja) of a round, criterion by
criterion: the raw material of review, consensus and the final result.

The institution's worksheet has one answer per criterion, compiled from all
working papers of the round (every unit, every assessor). Only worksheets
that were submitted or accepted count: an answer still being edited, or in a
worksheet returned to its assessor, is shown in review but never merged.

How answers compare: choice answers by their stored text (already
normalised to the instrument's spelling), counts by number, so "12" and
"12.0" agree. A criterion is

- ``merged`` when every counted answer is the same (one answer included),
- ``disputed`` when two counted answers differ (it becomes a consensus item),
- ``unanswered`` when no counted answer exists,
- ``computed`` when the instrument computes it from other items (it takes
  no answer of its own).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from pmprb.engine import points
from pmprb.engine.instrument import Criterion, Instrument
from pmprb.assessments.store.models import Answer, AssessmentRound, Evidence, EvidenceLink, EvidenceRevision, Person, WorkUnit, Worksheet

COUNTED_STATES = ("submitted", "accepted")
STATUSES = ("merged", "disputed", "unanswered", "computed")


@dataclass(frozen=True)
class PaperAnswer:
    """One working paper's answer to one criterion."""

    worksheet_id: int
    unit: str
    assessor: str
    assessor_name: str
    worksheet_state: str
    criterion: str
    answer: str | None
    note: str | None
    value: float | None

    @property
    def counted(self) -> bool:
        return self.worksheet_state in COUNTED_STATES and self.answer is not None

    @property
    def coder(self) -> str:
        """The working paper as a coder in agreement statistics."""
        return f"{self.assessor}@{self.unit}"

    def to_dict(self) -> dict:
        return {"unit": self.unit, "assessor": self.assessor, "assessor_name": self.assessor_name,
                "worksheet_state": self.worksheet_state, "answer": self.answer, "value": self.value,
                "note": self.note, "counted": self.counted}


def answer_value(criterion: Criterion, answer: str | None, inst: Instrument | None = None) -> float | None:
    """The value an answer stands for before gating: the option's value, the
    number for a count, or (given the instrument) a points line's points before
    its multiplier. ``None`` for no answer or an unknown option."""
    if answer is None:
        return None
    if inst is not None and criterion.kind in points.KINDS:
        return points.answer_points(inst, criterion.id, answer)
    if criterion.is_choice:
        value = criterion.values.get(answer)
        return None if value is None else float(value)
    try:
        return float(str(answer).replace(",", "."))
    except ValueError:
        return None


def comparable(criterion: Criterion, answer: str) -> object:
    """What decides whether two answers are the same (a points line's answers by their text:
    two scores that give the same points after rounding still differ)."""
    if criterion.is_choice or criterion.kind in points.KINDS:
        return answer
    value = answer_value(criterion, answer)
    return answer if value is None else value


def collect(session: Session, rnd: AssessmentRound, inst: Instrument, *, unit_id: int | None = None
            ) -> dict[str, list[PaperAnswer]]:
    """criterion -> answers of every worksheet (of one unit if given), in
    instrument order; worksheets ordered by unit code then assessor."""
    # Plain columns, not Answer/Worksheet entities: review, consensus and finalisation each read every
    # answer of the round, and building ORM objects was most of their cost.
    q = (select(Answer.criterion_id, Answer.answer, Answer.note, Worksheet.id, Worksheet.state, WorkUnit.code,
                Person.username, Person.name)
         .join(Worksheet, (Worksheet.round_id == Answer.round_id) & (Worksheet.unit_id == Answer.unit_id)
               & (Worksheet.assessor_id == Answer.assessor_id))
         .join(WorkUnit, WorkUnit.id == Answer.unit_id).join(Person, Person.id == Answer.assessor_id)
         .where(Answer.round_id == rnd.id))
    if unit_id is not None:
        q = q.where(Answer.unit_id == unit_id)
    out: dict[str, list[PaperAnswer]] = {cid: [] for cid in inst.criteria}
    rows = session.exec(q.order_by(WorkUnit.code, Person.username)).all()
    for cid, answer, note, ws_id, ws_state, unit, username, name in rows:
        criterion = inst.criteria.get(cid)
        if criterion is None:
            continue
        out[cid].append(PaperAnswer(
            worksheet_id=ws_id, unit=unit, assessor=username, assessor_name=name, worksheet_state=ws_state,
            criterion=cid, answer=answer, note=note, value=answer_value(criterion, answer, inst)))
    return out


def status_of(criterion: Criterion, answers: list[PaperAnswer]) -> str:
    if criterion.kind == "computed":
        return "computed"
    counted = [a for a in answers if a.counted]
    if not counted:
        return "unanswered"
    distinct = {comparable(criterion, a.answer) for a in counted}
    return "merged" if len(distinct) == 1 else "disputed"


def spread(answers: list[PaperAnswer]) -> float:
    """Largest difference in value between the counted answers."""
    values = [a.value for a in answers if a.counted and a.value is not None]
    # Rounded: 1 - 0.67 is 0.32999999999999996 in binary, and spreads are shown and compared.
    return round(max(values) - min(values), 9) if values else 0.0


def merged_answer(criterion: Criterion, answers: list[PaperAnswer]) -> str | None:
    """The common answer when the counted answers agree, else None."""
    if status_of(criterion, answers) != "merged":
        return None
    return next(a.answer for a in answers if a.counted)


def dispute_record(answers: list[PaperAnswer]) -> list[dict]:
    """The counted answers as a consensus item keeps them (canonical order)."""
    return [{"unit": a.unit, "assessor": a.assessor, "answer": a.answer, "value": a.value, "note": a.note}
            for a in sorted((a for a in answers if a.counted), key=lambda a: (a.unit, a.assessor))]


def evidence_documents(session: Session, rnd: AssessmentRound, *, unit_id: int | None = None
                       ) -> dict[str, list[dict]]:
    """criterion -> documents linked to it in the round (latest revision of
    each), ordered by unit and key."""
    q = (select(EvidenceLink.criterion_id, Evidence, WorkUnit.code)
         .join(Evidence, Evidence.id == EvidenceLink.evidence_id).join(WorkUnit, WorkUnit.id == Evidence.unit_id)
         .where(Evidence.round_id == rnd.id))
    if unit_id is not None:
        q = q.where(Evidence.unit_id == unit_id)
    out: dict[str, list[dict]] = {}
    rows = session.exec(q.order_by(WorkUnit.code, Evidence.key)).all()
    # The latest revision of every document of the round (or unit) in one query, not one per document.
    rq = (select(EvidenceRevision).join(Evidence, Evidence.id == EvidenceRevision.evidence_id)
          .where(Evidence.round_id == rnd.id))
    if unit_id is not None:
        rq = rq.where(Evidence.unit_id == unit_id)
    revisions: dict[int, EvidenceRevision] = {}
    if rows:
        for rev in session.exec(rq.order_by(EvidenceRevision.evidence_id, EvidenceRevision.revision)):
            revisions[rev.evidence_id] = rev
    for cid, ev, unit in rows:
        rev = revisions[ev.id]
        out.setdefault(cid, []).append({
            "id": ev.id, "unit": unit, "key": ev.key, "number": rev.number, "title": rev.title,
            "document_date": rev.document_date.isoformat() if rev.document_date else None,
            "sha256": rev.sha256, "url": rev.url, "revision": rev.revision})
    return out


def institution_evidence_counts(session: Session, rnd: AssessmentRound) -> dict[str, int]:
    """criterion -> number of distinct documents linked to it in the round
    (all units): the evidence summary of the institution's answer."""
    rows = session.exec(
        select(EvidenceLink.criterion_id, func.count(func.distinct(EvidenceLink.evidence_id)))
        .join(Evidence, Evidence.id == EvidenceLink.evidence_id).where(Evidence.round_id == rnd.id)
        .group_by(EvidenceLink.criterion_id)).all()
    return {cid: int(n) for cid, n in rows}


def round_worksheets(session: Session, rnd: AssessmentRound) -> list[tuple[Worksheet, str, str]]:
    """(worksheet, unit code, assessor username), ordered."""
    return list(session.exec(
        select(Worksheet, WorkUnit.code, Person.username).join(WorkUnit, WorkUnit.id == Worksheet.unit_id)
        .join(Person, Person.id == Worksheet.assessor_id).where(Worksheet.round_id == rnd.id)
        .order_by(WorkUnit.code, Person.username)).all())
