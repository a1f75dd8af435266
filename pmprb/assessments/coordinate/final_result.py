"""The round's final result, computed and frozen when the round is finalised.

:func:`freeze` (the round's finalise hook) compiles the institution's
answers (merged + resolved), evaluates them with the round's pinned
instrument (decision records of kind ``final``), scores them with the Hasil
inputs, and writes a :class:`FinalResult`: the canonical JSON of the whole
result and its SHA-256, pinned in a ``final.freeze`` audit event. Then the
RATL is generated from it. Everything happens in the finalising transaction:
a rule error aborts the finalisation, never a partial result.

A reopened round keeps its earlier results (rows are never updated, and the
store's reopen snapshot includes the current result); finalising again
writes the next ``seq``.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine.state_labels import state_name
from pmprb.canonical import canonical_json, sha256_hex
from pmprb.engine import scoring
from pmprb.engine.decision import Decision
from pmprb.engine.evaluator import default_engine, evaluate
from pmprb.engine.evidence_advice import advice
from pmprb.errors import NotFoundError, StateError
from pmprb.assessments.store import audit_log
from pmprb.assessments.assess.cited_documents import cited_documents, evaluation_period
from pmprb.assessments.coordinate import applicable_weight, consensus, hasil
from pmprb.assessments.store.decision_records import record_decisions
from pmprb.assessments.coordinate.institution_answers import compile_answers, evaluator_inputs
from pmprb.assessments.store.models import AssessmentRound, Person, utcnow
from pmprb.assessments.store.models.consensus import ConsensusItem
from pmprb.assessments.store.models.final_result import FinalResult
from pmprb.assessments.setup.round_work import RoundWork
from pmprb.assessments.store.ledger import Rows

FORMAT = "pmprb-final-result/1"

# The clock of finalisation; tests replace it to get reproducible documents.
now = utcnow


def _evidence_advice(inst, decision: Decision) -> dict:
    """``{"evidence_advice": [...]}`` (Bahasa Indonesia, for the RATL) when the rules flagged the
    cited documents; nothing otherwise, so results without citations keep their exact form."""
    said = advice(decision, inst, lang="id")
    return {"evidence_advice": said} if said else {}


def _criterion_entry(inst, a, decision: Decision, decision_id: str) -> dict:
    """One criterion of the frozen result (hashed: its form is fixed)."""
    r = decision.result
    return {"answer": a.answer, "source": a.source, "evidence": a.evidence, "value": r.value,
            "raw_value": r.raw_value, "flags": list(r.flags), "decision_id": decision_id,
            **_evidence_advice(inst, decision)}


def freeze(work: RoundWork) -> FinalResult:
    """Compute and store the final result of a round that just became final
    (inside the finalising operation ``work``)."""
    session, rnd, actor, inst = work.session, work.round, work.actor, work.instrument
    answers = compile_answers(session, rnd)
    disputed = [cid for cid, a in answers.items() if a.source == "disputed"]
    if disputed:
        raise StateError(i18n.t("final.disputed", ids=", ".join(disputed)))
    seq = (session.exec(select(FinalResult.seq).where(FinalResult.round_id == rnd.id)
                        .order_by(FinalResult.seq.desc())).first() or 0) + 1
    given, evidence = evaluator_inputs(answers)
    engine = default_engine()
    # What the institution's documents are (all units), judged against the evaluation period.
    documents = cited_documents(session, rnd, None, inst.criteria)
    evidence = {cid: n for cid, n in evidence.items() if cid not in documents}
    evaluation = evaluate(inst, given, evidence, engine, documents=documents or None,
                          period=evaluation_period(rnd))
    records = record_decisions(session, actor, rnd, evaluation.decisions, kind="final", unit_id=rnd.scope_unit_id,
                               context={"final_result_seq": seq})
    decision_ids = {r["criterion_id"]: r["decision_id"] for r in records}
    hasil_inputs = hasil.scoring_inputs(session, rnd, inst)
    # The applicable weight entered as a figure (round hasil --applicable-weight), else derived from the lines.
    weight = applicable_weight.shown(session, rnd, "estimate")
    score = scoring.score(inst, evaluation.values(), hasil_inputs, engine=engine,
                          applicable_weight=weight["value"] if weight else None)
    coverage = consensus.discussion_coverage(session, rnd, inst)
    items = list(session.exec(select(ConsensusItem).where(ConsensusItem.round_id == rnd.id)))
    when = now()
    data = {
        "format": FORMAT,
        "round": {"code": rnd.code, "year": rnd.year, "scope": rnd.scope},
        "instrument": {"id": inst.id, "version": inst.version, "revision": inst.revision},
        "seq": seq, "finalised_at": when.isoformat(), "finalised_by": actor.username if actor else None,
        "engine": evaluation.engine,
        "criteria": {cid: _criterion_entry(inst, a, evaluation.decisions[cid], decision_ids[cid])
                     for cid, a in answers.items()},
        "score": {k: v for k, v in score.items() if k not in ("instrument", "revision")},
        "hasil_inputs": hasil_inputs,
        **({"applicable_weight": weight} if weight else {}),
        "consensus": {"items": len(items), "resolved": sum(i.state == "resolved" for i in items),
                      "withdrawn": sum(i.state == "withdrawn" for i in items)},
        "discussion": coverage,
    }
    text = canonical_json(data)
    # A points instrument has no Pengungkit/Hasil split: its total fills the first column, 0 the second
    # (its components are in result_json).
    cols = scoring.stored_columns(score)
    fr = FinalResult(round_id=rnd.id, seq=seq, finalised_at=when, finalised_by_id=actor.id if actor else None,
                     instrument_revision=inst.revision, engine=evaluation.engine, pengungkit=cols["pengungkit"],
                     hasil=cols["hasil"], indeks_rb=score["indeks_rb"], grade=score["grade"],
                     all_discussed=coverage["all_discussed"], result_json=text, result_hash=sha256_hex(text))
    session.add(fr)
    session.flush()
    rows = Rows()
    rows.put_obj(fr)
    audit_log.append(session, round_id=rnd.id, actor=actor.username if actor else "system", action="final.freeze",
                     when=when, payload={"final_result_id": fr.id, "seq": seq, "result_sha256": fr.result_hash,
                                         "indeks_rb": fr.indeks_rb, "grade": fr.grade,
                                         "all_discussed": fr.all_discussed}, rows=rows)
    from pmprb.assessments.coordinate import ratl

    # The answers compiled above (nothing changed them since): not compiled again for the RATL.
    ratl.generate(session, actor, rnd, fr, data, answers=answers, items=False)
    return fr


def finalise_hook(work: RoundWork) -> None:
    freeze(work)


# ---------------------------------------------------------------------------
# reading


def results(session: Session, rnd: AssessmentRound) -> list[FinalResult]:
    return list(session.exec(select(FinalResult).where(FinalResult.round_id == rnd.id).order_by(FinalResult.seq)))


def latest(session: Session, rnd: AssessmentRound) -> FinalResult | None:
    return session.exec(select(FinalResult).where(FinalResult.round_id == rnd.id)
                        .order_by(FinalResult.seq.desc())).first()


def current(session: Session, rnd: AssessmentRound) -> FinalResult | None:
    """The result in force: the latest one while the round is final."""
    return latest(session, rnd) if rnd.state == "final" else None


def require_current(session: Session, rnd: AssessmentRound) -> FinalResult:
    fr = current(session, rnd)
    if fr is None:
        old = latest(session, rnd)
        hint = i18n.t("final.hint_reopened", seq=old.seq) if old else ""
        raise NotFoundError(i18n.t("final.none", round=rnd.code, state=state_name("round", rnd.state), hint=hint))
    return fr


def data_of(fr: FinalResult) -> dict:
    return json.loads(fr.result_json)


def summary(session: Session, fr: FinalResult) -> dict:
    by = session.get(Person, fr.finalised_by_id) if fr.finalised_by_id else None
    return {"seq": fr.seq, "finalised_at": fr.finalised_at.isoformat(), "finalised_by": by.username if by else None,
            "indeks_rb": fr.indeks_rb, "pengungkit": fr.pengungkit, "hasil": fr.hasil, "grade": fr.grade,
            "all_discussed": fr.all_discussed, "result_sha256": fr.result_hash, "engine": fr.engine}


def previous_round(session: Session, rnd: AssessmentRound) -> tuple[AssessmentRound, FinalResult] | None:
    """The latest earlier final round of the same institution and scope
    (same unit for a unit-scoped round), with its result."""
    rows = session.exec(select(AssessmentRound).where(
        AssessmentRound.institution_id == rnd.institution_id, AssessmentRound.year < rnd.year,
        AssessmentRound.state == "final", AssessmentRound.scope == rnd.scope)
        .order_by(AssessmentRound.year.desc(), AssessmentRound.id.desc())).all()
    for other in rows:
        if other.scope_unit_id != rnd.scope_unit_id:
            continue
        fr = current(session, other)
        if fr is not None:
            return other, fr
    return None


def snapshot_provider(session: Session, rnd: AssessmentRound) -> dict | None:
    """What the store's reopen snapshot keeps of the result in force."""
    fr = current(session, rnd)
    if fr is None:
        return None
    return {"seq": fr.seq, "result_sha256": fr.result_hash, "result": data_of(fr)}
