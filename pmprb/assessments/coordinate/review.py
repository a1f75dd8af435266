"""Coordinator review: every working paper side by side, what merges, what
is disputed, and how well the assessors agree.

**Blind scoring.** Assessors must not see each other's answers while they
are still scoring, or later answers copy earlier ones and agreement means
nothing. So while a round is ``draft`` or ``open``, the side-by-side view is
refused to anyone who has a worksheet in the round and to anyone whose only
role is asesor; coordinators, admins and auditors without a worksheet may
use it (a koordinator reviews submitted papers while the round is open).
From ``review`` on, every role may read it.

Merge status and spread are those of the institution's answer (all units);
``unit`` and ``area`` only narrow what is shown, and agreement is computed
over the answers shown.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine.agreement import area_agreement, overall_agreement
from pmprb.errors import ForbiddenError, ValidationError
from pmprb.engine.decision import Result
from pmprb.assessments.store.models import AssessmentRound, Person, WorkUnit, Worksheet
from pmprb.assessments.store.models.decisions import DecisionRecord
from pmprb.assessments.store.models.consensus import ConsensusItem
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.people import get_person
from pmprb.assessments.setup.round_work import instrument_for, reading
from pmprb.assessments.setup.units import get_unit
from pmprb.assessments.coordinate.working_papers import collect, evidence_documents, merged_answer, round_worksheets, spread, status_of
from pmprb.assessments.assess import worksheets as ws_lib
from pmprb.assessments.assess.worksheet_lock import require_readable
from pmprb.assessments.coordinate.institution_answers import compile_answers, evaluator_inputs
from pmprb.engine.evaluator import default_engine, evaluate
from pmprb.engine.state_labels import state_name

BLIND_STATES = ("draft", "open")
READER_ROLES = {"koordinator", "admin", "auditor"}

def check_blind(session: Session, actor: Actor, rnd: AssessmentRound) -> None:
    """Refuse the side-by-side view where it would break blind scoring."""
    require(actor, "review.read")
    if rnd.state not in BLIND_STATES:
        return
    has_ws = session.exec(select(Worksheet.id).where(Worksheet.round_id == rnd.id,
                                                     Worksheet.assessor_id == actor.id)).first() is not None
    if has_ws or not (actor.roles & READER_ROLES):
        why = i18n.t("review.why_worksheet") if has_ws else i18n.t("review.why_asesor")
        raise ForbiddenError(i18n.t("review.blind", who=actor.describe(), why=why, round=rnd.code,
                                            state=state_name("round", rnd.state)))


def submitted_evidence_flags(session: Session, rnd: AssessmentRound) -> dict[tuple[str, str, str], list[str]]:
    """(unit, assessor, criterion) -> the evidence flags the rules decided when the worksheet was
    submitted (its latest assessor decision records): what the cited documents lacked then."""
    q = (select(DecisionRecord.criterion_id, DecisionRecord.result_json, WorkUnit.code, Person.username)
         .join(WorkUnit, WorkUnit.id == DecisionRecord.unit_id).join(Person, Person.id == DecisionRecord.assessor_id)
         .where(DecisionRecord.round_id == rnd.id, DecisionRecord.kind == "assessor")
         .order_by(DecisionRecord.id))
    out: dict[tuple[str, str, str], list[str]] = {}
    for cid, result_json, unit, username in session.exec(q):
        out[(unit, username, cid)] = list(Result.from_record(json.loads(result_json)).evidence_flags)
    return out


def review(session: Session, actor: Actor, rnd: AssessmentRound, *, unit: str | None = None,
           area: str | None = None) -> dict:
    """The review of a round as plain data (what ``pmprb review --json`` prints)."""
    check_blind(session, actor, rnd)
    inst = instrument_for(rnd)
    unit_row = get_unit(session, unit) if unit else None
    if unit_row is not None:
        require_readable(session, actor, rnd, unit_row)
    area_codes = [a["code"] for a in inst.areas]
    if area:
        area = area.strip().upper()
        if area not in area_codes:
            raise ValidationError(i18n.t("review.bad_area", area=area, instrument=inst.id, areas=", ".join(area_codes)))
    every = collect(session, rnd, inst)
    shown = collect(session, rnd, inst, unit_id=unit_row.id) if unit_row else every
    documents = evidence_documents(session, rnd, unit_id=unit_row.id if unit_row else None)
    items = {i.criterion_id: i for i in session.exec(select(ConsensusItem).where(ConsensusItem.round_id == rnd.id))}
    flagged = submitted_evidence_flags(session, rnd)
    gates = institution_gates(session, rnd, inst)
    criteria, summary = [], {"criteria": 0, "merged": 0, "disputed": 0, "unanswered": 0, "computed": 0}
    per_area: dict[str, tuple[dict, dict]] = {}
    for cid, c in inst.criteria.items():
        if area and c.area != area:
            continue
        status = status_of(c, every[cid])
        summary["criteria"] += 1
        summary[status] += 1
        docs = documents.get(cid, [])
        item = items.get(cid)
        criteria.append({
            "criterion": cid, "text": c.text_in(i18n.get_lang()), "area": c.area, "subarea": c.subarea,
            "answer_type": c.answer_type, "options": [list(o) for o in c.options], "status": status,
            "merged_answer": merged_answer(c, every[cid]), "spread": spread(every[cid]) if status == "disputed" else 0.0,
            "consensus": ({"state": item.state, "final_answer": item.final_answer} if item else None),
            "gated_by": gates.get(cid, []),
            "answers": [dict(a.to_dict(), evidence=[d for d in docs if d["unit"] == a.unit],
                             evidence_flags=flagged.get((a.unit, a.assessor, cid), []))
                        for a in shown[cid]],
        })
        units, values = per_area.setdefault(c.area, ({}, {}))
        counted = [a for a in shown[cid] if a.counted]
        if counted and c.kind != "computed":
            units[cid] = {a.coder: a.answer for a in counted}
            if c.is_choice:
                values[cid] = {a.coder: a.value for a in counted if a.value is not None}
    # Alpha per answer type: values of different types are never on one scale.
    types = {cid: c.answer_type for cid, c in inst.criteria.items()}
    agreement = [area_agreement(code, *per_area.get(code, ({}, {})), types).to_dict()
                 for code in area_codes if not area or code == area]
    overall = overall_agreement(per_area, types).to_dict()
    papers = []
    work = reading(session, actor, rnd)   # one context for every paper's progress
    for wsr, unit_code, username in round_worksheets(session, rnd):
        if unit_row and wsr.unit_id != unit_row.id:
            continue
        prog = ws_lib.progress_in(work, wsr)
        papers.append({"unit": unit_code, "assessor": username, "state": wsr.state,
                       "return_reason": wsr.return_reason, "assigned": prog["assigned"],
                       "answered": prog["answered"]})
    return {"round": rnd.code, "state": rnd.state, "instrument": inst.id,
            "filters": {"unit": unit_row.code if unit_row else None, "area": area},
            "worksheets": papers, "criteria": criteria, "agreement": agreement, "agreement_overall": overall,
            "summary": summary}


def institution_gates(session: Session, rnd: AssessmentRound, inst) -> dict[str, list[dict]]:
    """criterion -> the gates that make its institution value 0 whatever
    the assessors answered (``[{"criterion": "MP.2.a", "answer": "Tidak"}]``),
    decided by the rules on the institution's answers as they stand."""
    given, evidence = evaluator_inputs(compile_answers(session, rnd))
    evaluation = evaluate(inst, given, evidence, default_engine())
    out: dict[str, list[dict]] = {}
    for cid, d in evaluation.decisions.items():
        pres = d.result.gates
        if pres and d.result.value == 0:
            # Only gates whose answer the institution has: an undecided one says nothing yet.
            decided = [{"criterion": p, "answer": given[p]} for p in pres if p in given]
            if decided:
                out[cid] = decided
    return out


def _worksheet(session: Session, rnd: AssessmentRound, unit: str, assessor: str
               ) -> tuple[Worksheet, WorkUnit, Person]:
    # The unit and the person are returned too, for the caller to hold while it works: the
    # session's identity map holds objects weakly, and naming the worksheet's unit and assessor
    # in its audit event would otherwise select both again.
    unit_row, person = get_unit(session, unit), get_person(session, assessor)
    return ws_lib.get_worksheet(session, rnd, unit_row, person), unit_row, person


def return_worksheet(session: Session, actor: Actor, rnd: AssessmentRound, *, unit: str, assessor: str,
                     reason: str):
    """Send a working paper back to its assessor with a reason (worksheet ``returned``)."""
    ws, _unit, _person = _worksheet(session, rnd, unit, assessor)
    return ws_lib.return_worksheet(session, actor, rnd, ws, reason=reason)


def accept_worksheet(session: Session, actor: Actor, rnd: AssessmentRound, *, unit: str, assessor: str):
    """Accept a submitted working paper (the koordinator reviewed it: LKE MP.3)."""
    ws, _unit, _person = _worksheet(session, rnd, unit, assessor)
    return ws_lib.accept(session, actor, rnd, ws)


__all__ = ["review", "check_blind", "return_worksheet", "accept_worksheet"]
