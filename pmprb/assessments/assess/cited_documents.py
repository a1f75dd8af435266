"""What stored evidence cites, for the rules: each criterion's documents as parsed citations.

A stored document (its latest revision) has a title, a number and a date;
:func:`pmprb.engine.citations.from_records` reads them into the structured
documents the evaluator judges against the round's evaluation period
(``Evaluator.evaluate(documents=..., period=...)``). A title that cites an
amendment ("... sebagaimana telah diubah dengan ...") gives two documents,
so ``evidence_superseded`` and the period of an amended regulation work for
stored evidence exactly as for a worksheet file.

Documents are ordered by unit code and key, so the same store always gives
the same decision inputs.
"""

from __future__ import annotations

from sqlmodel import Session, select

from pmprb.assessments.setup.rounds import evaluation_period
from pmprb.assessments.store.models import AssessmentRound, Evidence, EvidenceLink, EvidenceRevision, WorkUnit
from pmprb.engine.citations import from_records


def _records(session: Session, rnd: AssessmentRound, unit_id: int | None) -> dict[str, list[tuple]]:
    """criterion -> (number, title, document_date) of every document linked to it, in unit/key order."""
    q = (select(EvidenceLink.criterion_id, Evidence.id)
         .join(Evidence, Evidence.id == EvidenceLink.evidence_id).join(WorkUnit, WorkUnit.id == Evidence.unit_id)
         .where(Evidence.round_id == rnd.id))
    rq = (select(EvidenceRevision).join(Evidence, Evidence.id == EvidenceRevision.evidence_id)
          .where(Evidence.round_id == rnd.id))
    if unit_id is not None:
        q = q.where(Evidence.unit_id == unit_id)
        rq = rq.where(Evidence.unit_id == unit_id)
    rows = session.exec(q.order_by(WorkUnit.code, Evidence.key, EvidenceLink.criterion_id)).all()
    if not rows:
        return {}
    latest: dict[int, EvidenceRevision] = {}
    for rev in session.exec(rq.order_by(EvidenceRevision.evidence_id, EvidenceRevision.revision)):
        latest[rev.evidence_id] = rev
    out: dict[str, list[tuple]] = {}
    seen: set[tuple[str, int]] = set()
    for cid, ev_id in rows:
        if (cid, ev_id) in seen or ev_id not in latest:
            continue
        seen.add((cid, ev_id))
        rev = latest[ev_id]
        out.setdefault(cid, []).append((rev.number, rev.title, rev.document_date))
    return out


def cited_documents(session: Session, rnd: AssessmentRound, unit_id: int | None = None,
                    criteria=None) -> dict[str, list[dict]]:
    """criterion -> its documents as parsed citations (one unit, or the whole round when
    ``unit_id`` is None: each document once per criterion). ``criteria``: keep only these."""
    out = {}
    memo: dict = {}   # a document supports several criteria: parse it once per call
    for cid, recs in _records(session, rnd, unit_id).items():
        if criteria is None or cid in criteria:
            out[cid] = from_records(recs, memo)
    return out


def records_documents(records_by_criterion: dict[str, list], criteria=None) -> dict[str, list[dict]]:
    """The same from records already loaded (``(number, title, document_date)`` or mappings)."""
    memo: dict = {}
    return {cid: from_records(recs, memo) for cid, recs in records_by_criterion.items()
            if recs and (criteria is None or cid in criteria)}


__all__ = ["cited_documents", "records_documents", "evaluation_period"]
