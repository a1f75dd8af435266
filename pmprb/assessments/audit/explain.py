"""Why a criterion got its value in a round: everything an auditor asks, as data.

:func:`explain` gathers the criterion (from the round's pinned instrument),
each assessor's answer, note and decision, the consensus item with its
history, the final decision (answer → raw value → gating → value, the rules
in firing order), the evidence linked to the criterion, its contribution to
the sub-area, area and Indeks of the frozen result, and the RATL item. The
``audit explain`` command renders it; ``--json`` prints it as is.

The final decision is the one the frozen result names; without a frozen
result (a round not finalised yet), the latest final decision record if
any. Everything is read, nothing written.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine import explain as engine_explain
from pmprb.engine.decision import Decision, Result
from pmprb.errors import NotFoundError
from pmprb.assessments.store.models import (Answer, AssessmentRound, DecisionRecord, Evidence, EvidenceLink, EvidenceRevision, Person,
                     WorkUnit)
from pmprb.assessments.store.models.consensus import ConsensusItem
from pmprb.assessments.store.models.final_result import FinalResult
from pmprb.assessments.store.models.ratl import RatlItem
from pmprb.assessments.audit.replay import pinned_instrument

def _decision(rec: DecisionRecord | None) -> dict | None:
    """A stored record as the explanation shows it (the record's own dict shape)."""
    if rec is None:
        return None
    return {"decision_id": rec.decision_id, "kind": rec.kind, "created_at": rec.created_at.isoformat(),
            "engine": rec.engine, "instrument_revision": rec.instrument_revision,
            "input": json.loads(rec.input_json), "result": json.loads(rec.result_json),
            "trace": json.loads(rec.trace_json)}


def _criterion(inst, cid: str, lang: str) -> dict:
    c = inst.criterion(cid)
    area, sub = inst.area(c.area), inst.subarea(c.subarea)
    return {"id": c.id, "text": c.text_in(lang), "answer_type": c.answer_type, "kind": c.kind, "scored": c.scored,
            "options": [{"answer": a, "text": t, "value": c.values.get(a)} for a, t in c.options],
            "best_value": c.best_value, "evidence_min": c.evidence_min,
            "area": {"code": area["code"], "name": (area.get("name_en") if lang == "en" else None) or area["name"]},
            "subarea": {"id": sub["id"], "name": sub.get("name")}}


def _assessors(session: Session, rnd: AssessmentRound, cid: str, unit_id: int | None,
               unit_ids: frozenset[int] | None = None) -> list[dict]:
    """Each assessor's answer and note, with the decision recorded when the worksheet was submitted."""
    q = (select(Answer, WorkUnit.code, Person.username, Person.name).join(WorkUnit, WorkUnit.id == Answer.unit_id)
         .join(Person, Person.id == Answer.assessor_id)
         .where(Answer.round_id == rnd.id, Answer.criterion_id == cid))
    if unit_id is not None:
        q = q.where(Answer.unit_id == unit_id)
    if unit_ids is not None:
        q = q.where(Answer.unit_id.in_(sorted(unit_ids)))
    decisions = {}
    dq = select(DecisionRecord).where(DecisionRecord.round_id == rnd.id, DecisionRecord.criterion_id == cid,
                                      DecisionRecord.kind == "assessor").order_by(DecisionRecord.id)
    for rec in session.exec(dq):
        decisions[(rec.unit_id, rec.assessor_id)] = rec  # latest submission wins
    out = []
    for a, unit, username, name in session.exec(q.order_by(WorkUnit.code, Person.username)).all():
        rec = decisions.get((a.unit_id, a.assessor_id))
        dec = _decision(rec)
        out.append({"unit": unit, "assessor": username, "assessor_name": name, "answer": a.answer, "note": a.note,
                    "version": a.version, "updated_at": a.updated_at.isoformat(),
                    "value": Result.from_record(dec["result"]).value if dec else None,
                    "decision": dec})
    return out


def _consensus(session: Session, rnd: AssessmentRound, inst, cid: str) -> dict | None:
    from pmprb.assessments.coordinate import consensus

    item = session.exec(select(ConsensusItem).where(ConsensusItem.round_id == rnd.id,
                                                    ConsensusItem.criterion_id == cid)).first()
    return consensus.item_to_dict(session, item, inst, with_history=True) if item else None


def _ratl(session: Session, rnd: AssessmentRound, inst, cid: str, lang: str) -> dict | None:
    from pmprb.assessments.coordinate import ratl

    item = session.exec(select(RatlItem).where(RatlItem.round_id == rnd.id, RatlItem.criterion_id == cid)).first()
    return ratl.item_to_dict(session, item, inst, lang=lang) if item else None


def _unlocked_by(session: Session, rnd: AssessmentRound, cid: str) -> list[str]:
    """The RATL items whose action lifts the gate that keeps ``cid`` low (a criterion only
    low because of a gate has no item of its own)."""
    import json

    return [i.criterion_id for i in session.exec(select(RatlItem).where(
        RatlItem.round_id == rnd.id, RatlItem.active.is_(True)).order_by(RatlItem.rank))
        if cid in json.loads(i.unlocks_json or "[]")]


def _final(session: Session, rnd: AssessmentRound, cid: str) -> tuple[dict | None, dict | None]:
    """(frozen result summary + its entry for the criterion, final decision record)."""
    fr = session.exec(select(FinalResult).where(FinalResult.round_id == rnd.id)
                      .order_by(FinalResult.seq.desc())).first()
    frozen, rec = None, None
    if fr is not None:
        data = json.loads(fr.result_json)
        by = session.get(Person, fr.finalised_by_id) if fr.finalised_by_id else None
        entry = (data.get("criteria") or {}).get(cid)
        frozen = {"seq": fr.seq, "finalised_at": fr.finalised_at.isoformat(), "finalised_by": by.username if by else None,
                  "in_force": rnd.state == "final", "result_sha256": fr.result_hash, "entry": entry,
                  "score": data.get("score")}
        if entry and entry.get("decision_id"):
            rec = session.exec(select(DecisionRecord).where(DecisionRecord.decision_id == entry["decision_id"])).first()
    if rec is None:
        rec = session.exec(select(DecisionRecord).where(
            DecisionRecord.round_id == rnd.id, DecisionRecord.criterion_id == cid, DecisionRecord.kind == "final")
            .order_by(DecisionRecord.id.desc())).first()
    final = _decision(rec)
    if final is not None:
        actor = session.get(Person, rec.actor_id) if rec.actor_id else None
        final["actor"] = actor.username if actor else None
    return frozen, final


def _evidence(session: Session, rnd: AssessmentRound, cid: str, unit_id: int | None,
              unit_ids: frozenset[int] | None = None) -> list[dict]:
    uploader = aliased(Person)
    q = (select(Evidence, WorkUnit.code).join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
         .join(WorkUnit, WorkUnit.id == Evidence.unit_id)
         .where(Evidence.round_id == rnd.id, EvidenceLink.criterion_id == cid))
    if unit_id is not None:
        q = q.where(Evidence.unit_id == unit_id)
    if unit_ids is not None:
        q = q.where(Evidence.unit_id.in_(sorted(unit_ids)))
    out = []
    for ev, unit in session.exec(q.order_by(WorkUnit.code, Evidence.key)).all():
        rev, who = session.exec(select(EvidenceRevision, uploader.username)
                                .join(uploader, uploader.id == EvidenceRevision.uploaded_by_id)
                                .where(EvidenceRevision.evidence_id == ev.id)
                                .order_by(EvidenceRevision.revision.desc())).first()
        out.append({"unit": unit, "key": ev.key, "number": rev.number, "title": rev.title,
                    "document_date": rev.document_date.isoformat() if rev.document_date else None,
                    "sha256": rev.sha256, "revision": rev.revision, "url": rev.url,
                    "storage_path": rev.storage_path, "uploaded_at": rev.uploaded_at.isoformat(),
                    "uploaded_by": who})
    return out


def explain(session: Session, rnd: AssessmentRound, criterion: str, *, unit: str | None = None,
            lang: str | None = None, unit_ids: frozenset[int] | None = None) -> dict:
    """``unit_ids``: show assessors' answers and evidence of these units only
    (the reader's scope when no unit is named); None for all."""
    lang = lang or i18n.get_lang()
    inst = pinned_instrument(rnd)
    cid = inst.criterion((criterion or "").strip()).id
    unit_id = None
    if unit:
        from pmprb.assessments.setup.units import get_unit

        u = get_unit(session, unit)
        assessed = session.exec(select(Answer.id).where(Answer.round_id == rnd.id, Answer.unit_id == u.id)).first()
        if assessed is None:
            raise NotFoundError(i18n.t("explain.unit_not_in_round", unit=u.code, round=rnd.code))
        unit_id = u.id
    frozen, final = _final(session, rnd, cid)
    decision = Decision.from_record(final) if final else None
    chain = engine_explain.decision_steps(inst, decision) if decision else None
    value = decision.result.value if decision else None
    score = frozen["score"] if frozen else None
    return {
        "round": {"code": rnd.code, "year": rnd.year, "state": rnd.state},
        "instrument": {"id": inst.id, "version": inst.version, "revision": inst.revision},
        "unit": unit,
        "criterion": _criterion(inst, cid, lang),
        "assessors": _assessors(session, rnd, cid, unit_id, unit_ids),
        "consensus": _consensus(session, rnd, inst, cid),
        "final_result": {k: v for k, v in frozen.items() if k != "score"} if frozen else None,
        "final": final,
        "chain": chain,
        "evidence": _evidence(session, rnd, cid, unit_id, unit_ids),
        "contribution": engine_explain.contribution(inst, cid, value, score) if final else None,
        "ratl": _ratl(session, rnd, inst, cid, lang),
        "ratl_unlocked_by": _unlocked_by(session, rnd, cid),
    }
