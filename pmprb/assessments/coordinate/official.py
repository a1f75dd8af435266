"""Official values: what the evaluating agencies published for each indicator
of a round, against the team's internal estimate.

The institution's RB team estimates every indicator before the official
results come in (its consensus and final answers). When an official value
arrives, the koordinator records it with its source (:func:`record`, one
audit event for one or many values; a file of several is read by
:mod:`pmprb.presentation.official_file`). The round then shows, per indicator, the estimate, the
official value, the difference in points and the effect of the estimate of
that line on the Indeks (:func:`deviation`, from
:func:`pmprb.engine.points_scoring.deviations`: every figure re-decided by
the rules, multipliers and rescaling included).

The official side is the estimate with every official value known so far put
in its place: until every value has arrived it is the Indeks projected from
what is known. Any instrument takes official values (an evaluator's answer
per criterion); an instrument scored in points lines (``scoring: {method:
points}``) compares them with :func:`points_scoring.deviations`, any other
re-decides both sides with the rules and scores them with the round's Hasil
figures. They may be recorded in any state of the round (results arrive
after the internal evaluation is final) and never change the round's
answers or its frozen result.
"""

from __future__ import annotations

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine import points, points_scoring
from pmprb.engine.inputs import normalise_answer
from pmprb.engine.instrument import Instrument
from pmprb.errors import ValidationError
from pmprb.assessments.coordinate import applicable_weight as applicable_weight_store
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.store.models import AssessmentRound, Person, utcnow
from pmprb.assessments.store.models.official import OfficialValue
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import begin, instrument_for

MAX_SOURCE = 2000

def stored(session: Session, rnd: AssessmentRound) -> dict[str, OfficialValue]:
    """criterion -> its official value row."""
    return {o.criterion_id: o for o in session.exec(select(OfficialValue).where(OfficialValue.round_id == rnd.id))}


def _checked(inst: Instrument, values: dict[str, tuple[str, str | None]], default_source: str | None
             ) -> dict[str, tuple[str, str]]:
    """criterion -> (canonical answer, source), validated; every problem named."""
    out, problems = {}, []
    for cid, (raw, source) in values.items():
        if cid not in inst.criteria:
            problems.append(i18n.t("off.unknown", criterion=cid, instrument=inst.id))
            continue
        try:
            answer = normalise_answer(inst, cid, raw)
        except ValidationError as exc:
            problems.append(str(exc))
            continue
        src = (source or default_source or "").strip()
        if not src:
            problems.append(i18n.t("off.no_source", criterion=cid))
        elif len(src) > MAX_SOURCE:
            problems.append(i18n.t("off.long_source", criterion=cid, n=len(src), max=MAX_SOURCE))
        else:
            out[cid] = (answer, src)
    if problems:
        raise ValidationError(problems[0], details=problems[1:])
    return out


def record(session: Session, actor: Actor, rnd: AssessmentRound, values: dict[str, tuple[str, str | None]], *,
           source: str | None = None, applicable_weight: str | float | None = None,
           clear_applicable_weight: bool = False) -> list[dict]:
    """Record official values (all or nothing): ``{criterion: (value, source or None)}``, a missing
    source taking ``source``; ``applicable_weight``: the official applicable weight of the rescaled
    component as the official result states it (with ``source``); ``clear_applicable_weight``:
    remove it (the official side goes back to the weight derived from its lines). One
    ``official.set`` event lists each change with the previous value; returns the changes."""
    require(actor, "round.official")
    if not values and applicable_weight is None and not clear_applicable_weight:
        raise ValidationError(i18n.t("off.nothing"))
    if applicable_weight is not None and clear_applicable_weight:
        raise ValidationError(i18n.t("aw.set_and_clear"))
    work = begin(session, actor, rnd)
    inst = work.instrument
    weight = None
    if applicable_weight is not None:
        weight = (applicable_weight_store.check(inst, applicable_weight), applicable_weight_store.check_source(source))
    checked = _checked(inst, values, source)
    have = stored(session, rnd)
    now = utcnow()
    changes, new_rows, changed = [], [], []
    for cid in inst.criteria:  # instrument order
        if cid not in checked:
            continue
        answer, src = checked[cid]
        row = have.get(cid)
        if row is not None and row.value == answer and row.source == src:
            continue
        if row is None:
            new_rows.append(dict(round_id=rnd.id, criterion_id=cid, value=answer, source=src,
                                 entered_by_id=actor.id, entered_at=now))
        else:
            row.value, row.source, row.entered_by_id, row.entered_at = answer, src, actor.id, now
            session.add(row)
            changed.append(row)
        changes.append({"criterion": cid, "value": answer, "source": src,
                        "previous": row.value if row is not None else None})
    session.flush()
    written = Rows()
    insert_rows(session, OfficialValue, new_rows, key=("criterion_id",), record=written)
    written.put_obj(*changed)
    if weight is not None or clear_applicable_weight:
        change = (applicable_weight_store.put(session, actor, rnd, "official", *weight, written, now)
                  if weight is not None else applicable_weight_store.clear(session, rnd, "official", written))
        if change is not None:
            changes.append(change)
    if changes:
        audit_log.append(session, round_id=rnd.id, actor=actor.username, action="official.set", when=now,
                         payload={"changes": changes}, rows=written)
    return changes


def estimate_answers(session: Session, rnd: AssessmentRound) -> tuple[dict[str, str], str]:
    """The internal estimate: the frozen final answers of a final round, else the institution's
    answers so far (merged and resolved). With where they come from (``final`` or ``current``)."""
    from pmprb.assessments.coordinate import final_result
    from pmprb.assessments.coordinate.institution_answers import compile_answers

    fr = final_result.current(session, rnd)
    if fr is not None:
        data = final_result.data_of(fr)
        return {cid: e["answer"] for cid, e in data["criteria"].items() if e["answer"] is not None}, "final"
    return {cid: a.answer for cid, a in compile_answers(session, rnd).items() if a.answer is not None}, "current"


def deviation(session: Session, rnd: AssessmentRound, *, lang: str | None = None) -> dict:
    """The estimate against the official values recorded so far, per line and in total."""
    inst = instrument_for(rnd)
    estimate, basis = estimate_answers(session, rnd)
    rows = stored(session, rnd)
    official = {cid: r.value for cid, r in rows.items() if cid in inst.criteria}
    weights = {}
    if points.is_points(inst):
        weights = {"estimate": estimate_weight(session, rnd, basis),
                   "official": applicable_weight_store.shown(session, rnd, "official")}
        result = points_scoring.deviations(
            inst, estimate, {**estimate, **official},
            applicable=weights["official"]["value"] if weights["official"] else None,
            estimate_applicable=weights["estimate"]["value"] if weights["estimate"] else None)
    else:
        from pmprb.assessments.coordinate import hasil

        result = _deviations(inst, estimate, {**estimate, **official}, hasil.scoring_inputs(session, rnd, inst))
    people = {}
    lines = []
    for cid in inst.criteria:
        if cid not in official:
            continue
        d = result["lines"].get(cid) or {"estimate": estimate.get(cid), "official": official[cid],
                                         "estimate_points": None, "official_points": None, "difference": None,
                                         "effect": 0.0}
        r = rows[cid]
        if r.entered_by_id not in people:
            p = session.get(Person, r.entered_by_id)
            people[r.entered_by_id] = p.username if p else None
        c = inst.criteria[cid]
        lines.append({"criterion": cid, "text": c.text_in(lang or i18n.get_lang()), **d,
                      "source": r.source, "entered_by": people[r.entered_by_id],
                      "entered_at": r.entered_at.isoformat()})
    missing = [cid for cid, c in inst.criteria.items() if cid not in official]
    out = {"round": rnd.code, "basis": basis, "estimate_total": result["estimate_total"],
           "official_total": result["official_total"], "difference": result["difference"],
           "lines": lines, "recorded": len(lines), "missing": missing, "complete": not missing}
    if points.is_points(inst) and result.get("rescale"):
        # The applicable weight each side is rescaled by: given (with its source) or derived from its lines.
        out["applicable_weight"] = {side: {**result["rescale"][side], "given": weights[side]}
                                    for side in ("estimate", "official")}
    return out


def estimate_weight(session: Session, rnd: AssessmentRound, basis: str) -> dict | None:
    """The applicable weight the internal estimate is rescaled by, when given as a figure: the one
    frozen with the final result, else the one the round holds now."""
    if basis == "final":
        from pmprb.assessments.coordinate import final_result

        return final_result.data_of(final_result.current(session, rnd)).get("applicable_weight")
    return applicable_weight_store.shown(session, rnd, "estimate")


def _deviations(inst: Instrument, estimate: dict, official: dict, hasil_inputs: dict) -> dict:
    """:func:`points_scoring.deviations` for an instrument scored by sub-area means: the same
    figures (values instead of points), re-decided by the rules and scored with the Hasil figures."""
    from decimal import Decimal

    from pmprb.engine import scoring
    from pmprb.engine.evaluator import Evaluator

    def total(ev, answers) -> float:
        return scoring.score(inst, ev.evaluate(answers).values(), hasil_inputs, engine=ev.engine,
                             with_predicates=False)["indeks_rb"]

    def diff(a, b) -> float | None:
        return None if a is None or b is None else float(Decimal(repr(float(a))) - Decimal(repr(float(b))))

    ev = Evaluator(inst)
    try:
        est, off = ev.evaluate(estimate), ev.evaluate(official)
        est_total = scoring.score(inst, est.values(), hasil_inputs, engine=ev.engine, with_predicates=False)["indeks_rb"]
        off_total = scoring.score(inst, off.values(), hasil_inputs, engine=ev.engine, with_predicates=False)["indeks_rb"]
        lines = {}
        for cid in inst.criteria:
            a, b = estimate.get(cid), official.get(cid)
            if a is None and b is None:
                continue
            pe, po = est.decisions[cid].result.value, off.decisions[cid].result.value
            moved = {k: v for k, v in official.items() if k != cid} | ({cid: a} if a is not None else {})
            lines[cid] = {"estimate": a, "official": b, "estimate_points": pe, "official_points": po,
                          "difference": diff(pe, po), "effect": diff(total(ev, moved), off_total) if a != b else 0.0}
    finally:
        ev.close()
    return {"estimate_total": est_total, "official_total": off_total, "difference": diff(est_total, off_total),
            "lines": lines}


__all__ = ["record", "stored", "deviation", "estimate_answers", "estimate_weight"]
