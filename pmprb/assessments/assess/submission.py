"""Checking and submitting an assessor's worksheet (``pmprb assess submit``).

A worksheet is complete when every assigned criterion that takes an answer
is answered and every answer better than the worst option has evidence.
Whether missing evidence blocks the submission or only warns is the
instrument's choice per criterion (``evidence.on_missing``: block | warn).
The check uses the evaluator, so "claimed without evidence" means exactly
what the rules flag. On success the worksheet moves to ``submitted`` (the
store records the assessor's decision records in the same transaction), and
the assessor can no longer change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from pmprb import i18n
from sqlmodel import select

from pmprb.errors import NotFoundError, ValidationError
from pmprb.engine.evidence_messages import flag_text
from pmprb.engine.evidence_requirements import FLAGS as EVIDENCE_FLAGS
from pmprb.assessments.assess import worksheets
from pmprb.assessments.assess.evaluation import assigned_in, evaluate_worksheet
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import RoundWork, begin, reading
from pmprb.assessments.store.models import AssessmentRound, WorkUnit, Worksheet
from pmprb.engine import flags

class SubmitRefused(ValidationError):
    """Submission refused; ``check`` says by criterion what is missing."""

    def __init__(self, message: str, check: "Check"):
        super().__init__(message, details=[m.describe() for m in check.missing])
        self.check = check


@dataclass
class Missing:
    criterion: str
    text: str
    problem: str          # unanswered | no_evidence | an evidence flag (evidence_outdated ...)
    blocking: bool
    answer: str | None = None

    def describe(self) -> str:
        if self.problem == "unanswered":
            return i18n.t("asub.unanswered", cid=self.criterion, text=self.text)
        if self.problem in EVIDENCE_FLAGS:
            return i18n.t("asub.evidence_flag", cid=self.criterion, answer=self.answer, text=self.text,
                          flag=flag_text(self.problem))
        key = "asub.no_evidence" if self.blocking else "asub.no_evidence_warn"
        return i18n.t(key, cid=self.criterion, answer=self.answer, text=self.text)

    def to_dict(self) -> dict:
        return {"criterion": self.criterion, "text": self.text, "problem": self.problem, "blocking": self.blocking,
                "answer": self.answer}


@dataclass
class Check:
    assessor: str
    unit: str
    state: str
    total: int
    answered: int
    missing: list[Missing] = field(default_factory=list)

    @property
    def blocking(self) -> list[Missing]:
        return [m for m in self.missing if m.blocking]

    @property
    def warnings(self) -> list[Missing]:
        return [m for m in self.missing if not m.blocking]

    @property
    def ok(self) -> bool:
        return not self.blocking

    def to_dict(self) -> dict:
        return {"assessor": self.assessor, "unit": self.unit, "state": self.state, "total": self.total,
                "answered": self.answered, "ok": self.ok, "blocking": [m.to_dict() for m in self.blocking],
                "warnings": [m.to_dict() for m in self.warnings]}


def check_worksheet(session: Session, rnd: AssessmentRound, unit: WorkUnit, assessor_id: int, assessor: str,
                    *, lang: str | None = None, engine: str | None = None) -> Check:
    """Everything that stands between the worksheet and submission, by criterion."""
    return check_in(reading(session, None, rnd), unit, assessor_id, assessor, lang=lang, engine=engine)


def check_in(work: RoundWork, unit: WorkUnit, assessor_id: int, assessor: str, *, lang: str | None = None,
             engine: str | None = None, ws: Worksheet | None = None) -> Check:
    session, rnd, inst = work.session, work.round, work.instrument
    if ws is None:
        ws = session.exec(select(Worksheet).where(Worksheet.round_id == rnd.id, Worksheet.unit_id == unit.id,
                                                  Worksheet.assessor_id == assessor_id)).first()
    if ws is None:
        raise NotFoundError(i18n.t("ws.unknown", assessor=assessor, unit=unit.code, round=rnd.code))
    assigned = assigned_in(work, unit.id, assessor_id)
    evaluation = evaluate_worksheet(work, unit.id, assessor_id, engine=engine)
    lang = lang or i18n.get_lang()
    total = answered = 0
    missing: list[Missing] = []
    for cid in assigned:
        c = inst.criteria[cid]
        text = c.text_in(lang)
        decision = evaluation.decisions[cid]
        given = decision.answer
        if c.kind != "computed":
            total += 1
            if given is not None:
                answered += 1
            else:
                missing.append(Missing(cid, text, "unanswered", True))
                continue
        result_flags = decision.result.flags
        if flags.CLAIMED_WITHOUT_EVIDENCE in result_flags:
            missing.append(Missing(cid, text, "no_evidence", c.evidence_on_missing == "block",
                                   None if given is None else str(given)))
        # What the cited documents are: warnings with the standing of claimed_without_evidence's "warn".
        for flag in result_flags:
            if flag in EVIDENCE_FLAGS:
                missing.append(Missing(cid, text, flag, False, None if given is None else str(given)))
    return Check(assessor=assessor, unit=unit.code, state=ws.state, total=total, answered=answered, missing=missing)


def submit(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, *, engine: str | None = None
           ) -> Check:
    """Submit the acting assessor's worksheet, or raise ValidationError
    listing every blocking problem (nothing changes then). One operation:
    the worksheet is evaluated once, for the check and the decision records."""
    require(actor, "worksheet.submit")
    work = begin(session, actor, rnd)
    ws = worksheets.get_worksheet(session, rnd, unit, actor.person)
    if ws.state not in ("in_progress", "returned"):
        worksheets.submit_in(work, ws)  # refused by the workflow, naming the state
    result = check_in(work, unit, actor.id, actor.username, engine=engine, ws=ws)
    if not result.ok:
        n, w = len(result.blocking), len(result.warnings)
        raise SubmitRefused(i18n.t("asub.refused", assessor=actor.username, unit=unit.code, n=n, w=w,
                                   s="" if n == 1 else "s", ws="" if w == 1 else "s"), result)
    worksheets.submit_in(work, ws, engine=engine)
    result.state = ws.state
    return result


__all__ = ["check_worksheet", "submit", "Check", "Missing", "SubmitRefused"]
