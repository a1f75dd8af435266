"""One answer without a walk (``pmprb assess set``), as one operation.

The round is locked once and its instrument loaded once; the answer is
saved, the named documents linked, and the worksheet evaluated once to give
back what the rules decided for this criterion.
"""

from __future__ import annotations

from sqlmodel import Session

from pmprb.assessments.assess import answers, evidence_refs
from pmprb.assessments.assess.evaluation import evaluate_worksheet
from pmprb.assessments.assess.evidence_refs import RefResolver, unit_docs
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import begin
from pmprb.assessments.store.models import AssessmentRound, WorkUnit
from pmprb import i18n
from pmprb.errors import NotFoundError

KEEP = object()   # "leave the stored note as it is"


def set_answer(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, criterion: str, answer: str, *,
               note=KEEP, refs: list[str] | tuple = (), expected_version: int | None = None,
               engine: str | None = None) -> dict:
    """Save one answer (and link evidence already in the store) in the
    caller's transaction; ``expected_version`` None means "the version stored
    now" (read under the round lock, so still no lost update). Returns the
    saved answer and the rules' decision for the criterion."""
    require(actor, "answer.write")
    work = begin(session, actor, rnd)
    inst = work.instrument
    wanted = criterion.strip().upper()
    cid = next((c for c in inst.criteria if c.upper() == wanted), criterion.strip())
    inst.criterion(cid)
    docs_now = unit_docs(session, rnd, unit.id)
    resolver = RefResolver(docs_now)
    docs = []
    for ref in refs:
        doc = resolver.resolve(ref)
        if doc is None:
            raise NotFoundError(i18n.t("aev.unknown_ref", ref=ref, unit=unit.code, round=rnd.code))
        docs.append(doc)
    current = answers.get_answer(session, rnd, unit, actor.person, cid)
    if note is KEEP:
        note = current.note if current else None
    if expected_version is None:
        expected_version = current.version if current else 0
    before = current.version if current else 0
    row = answers.save(work, unit, cid, answer, note, expected_version=expected_version)
    linked = [d.ref for d in docs if evidence_refs.link(work, unit, d, [cid])]
    decision = evaluate_worksheet(work, unit.id, actor.id, engine=engine).decisions[cid]
    evidence = [d.ref for d in docs_now if cid in d.criteria or d.ref in linked]
    return {"criterion": cid, "answer": row.answer, "note": row.note, "version": row.version,
            "changed": row.version != before, "linked": linked, "evidence": evidence, "decision": decision}
