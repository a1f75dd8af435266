"""What the rules decide for one assessor's worksheet, in one place.

Every path that needs an assessor's decisions (``assess set``, the walk's
feedback, the submit check, the decision records kept at submission, the
exported sheet's value column) goes through :func:`evaluate_worksheet`:
stored answers and evidence counts in two queries, one evaluation with the
round's pinned instrument, kept for the rest of the operation in
``work.memo`` so an operation evaluates a worksheet at most once. A write
in the same operation that changes the worksheet calls ``work.forget``.
"""

from __future__ import annotations

from sqlmodel import select

from pmprb.assessments.assess.cited_documents import cited_documents, evaluation_period
from pmprb.assessments.assess.evidence import evidence_counts
from pmprb.assessments.setup.assignments import assigned_criteria
from pmprb.assessments.setup.round_work import RoundWork
from pmprb.assessments.store.models import Answer
from pmprb.engine.evaluator import Evaluation, evaluate


def worksheet_answers(work: RoundWork, unit_id: int, assessor_id: int) -> dict[str, str]:
    """criterion -> answer of one worksheet as stored, answered criteria only (once per operation)."""
    key = ("answers", unit_id, assessor_id)
    if key not in work.memo:
        work.memo[key] = dict(work.session.exec(select(Answer.criterion_id, Answer.answer).where(
            Answer.round_id == work.round.id, Answer.unit_id == unit_id, Answer.assessor_id == assessor_id,
            Answer.answer.is_not(None))).all())
    return work.memo[key]


def worksheet_inputs(work: RoundWork, unit_id: int, assessor_id: int) -> tuple[dict[str, str], dict[str, int]]:
    """(answers, evidence counts) of one worksheet as stored, for the evaluator (once per operation)."""
    return worksheet_answers(work, unit_id, assessor_id), unit_evidence_counts(work, unit_id)


def assigned_in(work: RoundWork, unit_id: int, assessor_id: int) -> list[str]:
    """The criteria assigned to an assessor for a unit, in instrument order (once per operation)."""
    key = ("assigned", unit_id, assessor_id)
    if key not in work.memo:
        work.memo[key] = assigned_criteria(work.session, work.round, unit_id, assessor_id)
    return work.memo[key]


def unit_evidence_counts(work: RoundWork, unit_id: int) -> dict[str, int]:
    """Documents supporting each criterion of a unit in the round (once per operation)."""
    key = ("evidence_counts", unit_id)
    if key not in work.memo:
        work.memo[key] = evidence_counts(work.session, work.round, unit_id)
    return work.memo[key]


def unit_documents(work: RoundWork, unit_id: int) -> dict[str, list[dict]]:
    """Each criterion's stored documents of a unit as parsed citations (once per operation)."""
    key = ("documents", unit_id)
    if key not in work.memo:
        work.memo[key] = cited_documents(work.session, work.round, unit_id, work.instrument.criteria)
    return work.memo[key]


def evaluate_worksheet(work: RoundWork, unit_id: int, assessor_id: int, *, engine: str | None = None) -> Evaluation:
    """The decisions of one assessor's worksheet as stored (once per operation).

    The rules read what each linked document is (its title, number and date parsed as a
    citation) against the round's evaluation period, so the evidence flags
    (``evidence_outdated`` ...) are decided here for every store path."""
    key = ("worksheet", unit_id, assessor_id, engine)
    if key not in work.memo:
        answers, evidence = worksheet_inputs(work, unit_id, assessor_id)
        documents = unit_documents(work, unit_id)
        counts = {cid: n for cid, n in evidence.items() if cid not in documents}
        work.memo[key] = evaluate(work.instrument, answers, counts, engine, documents=documents or None,
                                  period=evaluation_period(work.round))
    return work.memo[key]
