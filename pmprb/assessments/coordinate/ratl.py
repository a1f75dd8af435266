"""RATL (Rencana Aksi Tindak Lanjut): the follow-up plan of a final round.

Generated at finalisation (:func:`generate`, called by the final-result
hook) from the plan of :mod:`pmprb.engine.ratl_plan`: one item per *action*
— a scored criterion whose own value is below its best. A criterion that is
only low because of a gate is not an action of its own: the item of its
gate lists it in ``unlocks``. Each item has

- *kelemahan*: the final answer and value, the rule flags (gating, no
  evidence, unanswered), the consensus rationale and the assessors' notes;
- *rekomendasi*: what the next level requires (the instrument's
  ``ratl.yaml``, else the next better option's text), the best condition,
  what the action unlocks or waits for (:mod:`pmprb.engine.ratl_advice`);
- *rencana aksi*: the author's recommended action, else the recommendation
  (editable);
- *output / indikator keberhasilan*: the author's typical output, else the
  evidence of the best condition;
- *penanggung jawab*: the instrument's responsible role mapped to a work
  unit (a mapping the koordinator set with ``pmprb ratl map-role``, else a
  unit whose code or name is the role), editable per item;
- *target*: the next round's deadline (a round of the following year, else
  this round's deadline + 1 year, else 31 May of the following year).

Items are ranked by their gain: the Indeks points the action alone adds
with everything the rules then unlock, re-scored by the engine; ties in
instrument order.

States (``pmprb.engine.ratl_workflow``): planned → in_progress → done
(evidence required) → verified (by someone other than who marked it done);
``reject`` sends done back to in_progress with a reason (the evidence it
rejected is cleared from the item; the audit log keeps it). Every change is
an audit event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine.state_labels import event_name, state_name
from pmprb.canonical import canonical_json
from pmprb.engine import ratl_advice, ratl_plan, ratl_workflow, workflow
from pmprb.engine.instrument import Criterion, Instrument
from pmprb.engine import codes
from pmprb.errors import ConflictError, NotFoundError, StateError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.coordinate.institution_answers import compile_answers
from pmprb.assessments.store.models import AssessmentRound, Person, WorkUnit, utcnow
from pmprb.assessments.store.models.final_result import FinalResult
from pmprb.assessments.store.models.ratl import RatlItem, RatlRoleMap
from pmprb.assessments.setup.people import institution
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import instrument_for, lock_round
from pmprb.assessments.setup.units import get_unit
from pmprb.engine import flags

EPS = 1e-9
MAX_TEXT = codes.MAX_TEXT  # pmprb.engine.codes: one set of limits

EVENT_ACTIONS = {"start": "ratl.progress", "complete": "ratl.progress", "verify": "ratl.verify",
                 "reject": "ratl.verify"}

# ---------------------------------------------------------------------------
# derived figures


def default_target_date(session: Session, rnd: AssessmentRound) -> date:
    nxt = session.exec(select(AssessmentRound).where(
        AssessmentRound.institution_id == rnd.institution_id, AssessmentRound.year == rnd.year + 1,
        AssessmentRound.scope == rnd.scope, AssessmentRound.deadline.is_not(None))
        .order_by(AssessmentRound.id)).all()
    for other in nxt:
        if other.scope_unit_id == rnd.scope_unit_id:
            return other.deadline
    if rnd.deadline is not None:
        d = rnd.deadline
        return d.replace(year=d.year + 1, day=28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year + 1)
    return date(rnd.year + 1, 5, 31)


def unit_for_role(session: Session, role: str) -> WorkUnit | None:
    """The unit responsible for an instrument role: the koordinator's
    mapping, else a unit whose code or name is the role (case-insensitive)."""
    unit_id = role_resolver(session)(role)
    return session.get(WorkUnit, unit_id) if unit_id is not None else None


def role_resolver(session: Session):
    """``role -> unit id or None`` over the mappings and units read once
    (two queries for a whole generation, whatever its roles)."""
    inst_row = institution(session)
    mapped = {m.role.casefold(): m.unit_id for m in session.exec(
        select(RatlRoleMap).where(RatlRoleMap.institution_id == inst_row.id))}
    # Only the compared columns: an institution may hold many units, and whole rows cost ~30x more.
    by_name: dict[str, int] = {}
    for unit_id, code, name in session.exec(select(WorkUnit.id, WorkUnit.code, WorkUnit.name).where(
            WorkUnit.institution_id == inst_row.id, WorkUnit.active.is_(True)).order_by(WorkUnit.code)):
        by_name.setdefault(code.casefold(), unit_id)
        by_name.setdefault(name.casefold(), unit_id)

    def resolve(role: str) -> int | None:
        key = role.strip().casefold()
        return mapped.get(key, by_name.get(key))
    return resolve


def _fmt(x: float) -> str:
    from pmprb.numbers import format_number

    return format_number(x, 2, "id")


def kelemahan_text(c: Criterion, entry: dict, rationale: str | None, notes: list[dict]) -> str:
    """The weakness, in Bahasa Indonesia (the language of the institution's documents)."""
    t = lambda key, **kw: i18n.t(key, lang="id", **kw)  # noqa: E731
    parts = []
    answer = entry.get("answer")
    options = dict(c.options)
    if answer is not None and options.get(answer):
        parts.append(t("ratl.value", answer=answer, option=options[answer], value=_fmt(entry["value"]),
                       best=_fmt(c.best_value)))
    elif answer is not None:
        parts.append(t("ratl.value_answer", answer=answer, value=_fmt(entry["value"]), best=_fmt(c.best_value)))
    else:
        parts.append(t("ratl.value_plain", value=_fmt(entry["value"]), best=_fmt(c.best_value)))
    for flag in entry.get("flags", []):
        if flags.is_gate(flag):
            parts.append(t("ratl.flag.gated_by", cid=flags.gate_of(flag)))
        elif i18n.has(f"ratl.flag.{flag}"):
            parts.append(t(f"ratl.flag.{flag}"))
    # What the cited documents lack, said as the action to take ("tetapkan Road Map periode berjalan").
    for sentence in entry.get("evidence_advice") or []:
        parts.append(_sentence(sentence))
    if rationale:
        parts.append(t("ratl.consensus", rationale=rationale))
    distinct = list(dict.fromkeys(n["note"].strip() for n in notes if (n.get("note") or "").strip()))
    if distinct:
        parts.append(t("ratl.notes", notes=" | ".join(distinct)))
    return " ".join(parts)


# ---------------------------------------------------------------------------
# generation


def plan_of(inst: Instrument, data: dict) -> ratl_plan.Plan:
    """The plan of a frozen final result's data. Close it when done (``with plan_of(...) as p:``)."""
    given = {cid: e["answer"] for cid, e in data["criteria"].items() if e["answer"] is not None}
    evidence = {cid: e["evidence"] for cid, e in data["criteria"].items() if e.get("evidence")}
    weight = data.get("applicable_weight")
    return ratl_plan.plan(inst, given, evidence, data.get("hasil_inputs"),
                          applicable_weight=weight["value"] if weight else None)



@dataclass(frozen=True)
class _EvidenceAction:
    """A RATL action that only renews the evidence of a criterion already at its best value."""

    criterion: str
    rank: int
    gain: float
    unlocks: tuple
    gates: tuple
    sentences: tuple


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def generate(session: Session, actor: Actor | None, rnd: AssessmentRound, fr: FinalResult, data: dict, *,
             answers: dict | None = None, items: bool = True) -> list[RatlItem] | None:
    """Create or refresh the RATL from a final result. Editable fields and
    progress of existing items are kept; derived fields are refreshed; items
    that are no longer actions become inactive. New items are written with
    one multi-row INSERT, refreshed ones with one executemany UPDATE, and the
    generation is one ``ratl.generate`` event recording every row.
    ``answers``: the institution's answers when the caller has compiled them
    (finalisation); ``items=False`` returns nothing instead of the items."""
    inst = instrument_for(rnd)
    if answers is None:
        answers = compile_answers(session, rnd)
    existing = {i.criterion_id: i for i in session.exec(select(RatlItem).where(RatlItem.round_id == rnd.id))}
    target = default_target_date(session, rnd)
    now = utcnow()
    new_rows: list[dict] = []
    refreshed: list[RatlItem] = []
    logged, deactivated = [], []
    unit_of = role_resolver(session)
    with plan_of(inst, data) as plan:
        actions = list(plan.actions)
    # Criteria at their best value whose cited documents the rules flagged (outdated, not of an accepted
    # kind, ...): an action that gains nothing now but keeps the answer supported, after the gains.
    planned = {a.criterion for a in actions}
    for cid, entry in data["criteria"].items():
        if entry.get("evidence_advice") and cid not in planned and cid in inst.criteria:
            actions.append(_EvidenceAction(cid, len(actions) + 1, 0.0, (), (), tuple(entry["evidence_advice"])))
    for action in actions:
        c, entry, rank, gain = inst.criteria[action.criterion], data["criteria"][action.criterion], action.rank, action.gain
        a = answers[c.id]
        kelemahan = kelemahan_text(c, entry, a.rationale, a.notes)
        advice = ratl_advice.advice(inst, c.id, entry["answer"])
        if isinstance(action, _EvidenceAction):
            rekomendasi = " ".join(_sentence(x) for x in action.sentences)
        else:
            rekomendasi = ratl_advice.rekomendasi(advice, unlocks=action.unlocks, gates=action.gates)
        unlocks = canonical_json(action.unlocks)
        item = existing.pop(c.id, None)
        if item is None:
            new_rows.append(dict(
                round_id=rnd.id, criterion_id=c.id, final_result_id=fr.id, active=True, rank=rank,
                value=entry["value"], best_value=c.best_value, gain=gain, unlocks_json=unlocks, kelemahan=kelemahan,
                rekomendasi=rekomendasi, rencana_aksi=(rekomendasi if isinstance(action, _EvidenceAction)
                              else ratl_advice.rencana_aksi(advice, rekomendasi)),
                output=ratl_advice.output(advice), responsible_role=c.ratl_responsible,
                responsible_unit_id=unit_of(c.ratl_responsible), responsible_manual=False, target_date=target,
                state="planned", done_evidence=None, done_evidence_sha256=None, done_evidence_path=None,
                done_by_id=None, done_at=None, verified_by_id=None, verified_at=None, state_note=None, version=1,
                created_at=now, updated_at=now))
        else:
            item.final_result_id, item.active, item.rank = fr.id, True, rank
            item.value, item.best_value, item.gain, item.kelemahan = entry["value"], c.best_value, gain, kelemahan
            item.rekomendasi, item.unlocks_json = rekomendasi, unlocks
            item.version += 1
            item.updated_at = now
            refreshed.append(item)
        logged.append({"criterion": c.id, "rank": rank, "value": entry["value"], "gain": gain,
                       "unlocks": list(action.unlocks)})
    for item in existing.values():
        if item.active:
            item.active = False
            item.version += 1
            item.updated_at = now
            refreshed.append(item)
            deactivated.append(item.criterion_id)
    session.flush()
    rows = Rows()
    ids = insert_rows(session, RatlItem, new_rows, key=("criterion_id",), record=rows)
    rows.put_obj(*refreshed)
    audit_log.append(session, round_id=rnd.id, actor=actor.username if actor else "system", action="ratl.generate",
                     when=now, payload={"final_result_id": fr.id, "seq": fr.seq, "items": logged,
                                        "deactivated": deactivated, "target_date": target.isoformat()}, rows=rows)
    if not items:
        return None
    created = [RatlItem(id=i, **cols) for i, cols in zip(ids, new_rows)]
    return sorted(created + [i for i in refreshed if i.active], key=lambda i: i.rank)


# ---------------------------------------------------------------------------
# reading


def list_items(session: Session, rnd: AssessmentRound, *, include_inactive: bool = False,
               state: str | None = None) -> list[RatlItem]:
    q = select(RatlItem).where(RatlItem.round_id == rnd.id)
    if not include_inactive:
        q = q.where(RatlItem.active.is_(True))
    if state:
        q = q.where(RatlItem.state == state)
    return list(session.exec(q.order_by(RatlItem.active.desc(), RatlItem.rank, RatlItem.criterion_id)))


def get_item(session: Session, rnd: AssessmentRound, criterion: str) -> RatlItem:
    item = session.exec(select(RatlItem).where(RatlItem.round_id == rnd.id,
                                               RatlItem.criterion_id == (criterion or "").strip())).first()
    if item is None:
        raise NotFoundError(i18n.t("ratl.unknown", criterion=criterion, round=rnd.code))
    return item


def item_to_dict(session: Session, item: RatlItem, inst: Instrument, *, lang: str | None = None) -> dict:
    c = inst.criteria.get(item.criterion_id)
    unit = session.get(WorkUnit, item.responsible_unit_id) if item.responsible_unit_id else None

    def who(pid):
        p = session.get(Person, pid) if pid else None
        return p.username if p else None

    en = (lang or i18n.get_lang()) == "en"
    return {
        "criterion": item.criterion_id, "text": c.text_in("en" if en else "id") if c else None,
        "area": c.area if c else None, "subarea": c.subarea if c else None,
        "rank": item.rank, "active": item.active, "value": item.value, "best_value": item.best_value,
        "gain": item.gain, "kelemahan": item.kelemahan, "rekomendasi": item.rekomendasi,
        "rencana_aksi": item.rencana_aksi, "output": item.output, "responsible_role": item.responsible_role,
        "responsible_unit": unit.code if unit else None, "responsible_unit_name": unit.name if unit else None,
        "responsible_manual": item.responsible_manual,
        "target_date": item.target_date.isoformat(), "state": item.state, "status": item.state,
        "unlocks": json.loads(item.unlocks_json or "[]"),
        "done_evidence": item.done_evidence, "done_evidence_sha256": item.done_evidence_sha256,
        "done_by": who(item.done_by_id), "done_at": item.done_at.isoformat() if item.done_at else None,
        "verified_by": who(item.verified_by_id),
        "verified_at": item.verified_at.isoformat() if item.verified_at else None,
        "state_note": item.state_note, "version": item.version,
        "allowed_events": workflow.allowed_events(ratl_workflow.RatlWorkflow, item.state),
    }


# ---------------------------------------------------------------------------
# editing


def _check_text(value: str, field_key: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(i18n.t("ratl.empty_field", field=i18n.t(field_key)))
    if len(text) > MAX_TEXT:
        raise ValidationError(i18n.t("ratl.long_field", field=i18n.t(field_key), n=len(text), max=MAX_TEXT))
    return text


def _editable(item: RatlItem, expected_version: int | None) -> None:
    if item.state == "verified":
        raise StateError(i18n.t("ratl.verified_locked", criterion=item.criterion_id))
    if not item.active:
        raise StateError(i18n.t("ratl.inactive", criterion=item.criterion_id))
    if expected_version is not None and expected_version != item.version:
        raise ConflictError(i18n.t("ratl.version", criterion=item.criterion_id, current=item.version,
                                   expected=expected_version))


def update(session: Session, actor: Actor, rnd: AssessmentRound, criterion: str, *, rencana_aksi: str | None = None,
           output: str | None = None, unit: str | None = None, target_date: date | None = None,
           expected_version: int | None = None) -> RatlItem:
    """Edit an item's plan: rencana aksi, output, penanggung jawab (a unit
    code), target date. One audit event with the changed fields and their
    previous values."""
    require(actor, "ratl.write")
    lock_round(session, rnd)
    item = get_item(session, rnd, criterion)
    _editable(item, expected_version)
    changes: dict[str, dict] = {}

    def change(field: str, new, old) -> None:
        if new != old:
            changes[field] = {"from": old, "to": new}

    if rencana_aksi is not None:
        text = _check_text(rencana_aksi, "ratl.field.rencana_aksi")
        change("rencana_aksi", text, item.rencana_aksi)
        item.rencana_aksi = text
    if output is not None:
        text = _check_text(output, "ratl.field.output")
        change("output", text, item.output)
        item.output = text
    if unit is not None:
        u = get_unit(session, unit)
        old = session.get(WorkUnit, item.responsible_unit_id) if item.responsible_unit_id else None
        change("responsible_unit", u.code, old.code if old else None)
        item.responsible_unit_id, item.responsible_manual = u.id, True
    if target_date is not None:
        if target_date.year < rnd.year:
            raise ValidationError(i18n.t("ratl.bad_target", date=target_date.isoformat(), year=rnd.year))
        change("target_date", target_date.isoformat(), item.target_date.isoformat())
        item.target_date = target_date
    if rencana_aksi is None and output is None and unit is None and target_date is None:
        raise ValidationError(i18n.t("ratl.nothing"))
    if not changes:
        return item
    item.version += 1
    item.updated_at = utcnow()
    session.add(item)
    session.flush()
    rows = Rows()
    rows.put_obj(item)
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="ratl.update", when=item.updated_at,
                     payload={"item_id": item.id, "criterion": item.criterion_id, "version": item.version,
                              "changes": changes}, rows=rows)
    return item


def transition(session: Session, actor: Actor, rnd: AssessmentRound, criterion: str, event: str, *,
               evidence: str | None = None, evidence_file: str | Path | None = None, store=None,
               reason: str | None = None, expected_version: int | None = None) -> workflow.Transition:
    """Move an item through planned → in_progress → done → verified (or
    done → in_progress with ``reject``). ``complete`` needs evidence: a
    document reference and/or a file (copied into the evidence store,
    ``store``); ``verify`` needs a verifier other than who completed it."""
    if event not in EVENT_ACTIONS:
        raise ValidationError(i18n.t("ratl.bad_state", state=event, states=", ".join(event_name(e) for e in ratl_workflow.RATL_EVENTS)))
    require(actor, EVENT_ACTIONS[event])
    lock_round(session, rnd)
    item = get_item(session, rnd, criterion)
    if not item.active:
        raise StateError(i18n.t("ratl.inactive", criterion=item.criterion_id))
    if expected_version is not None and expected_version != item.version:
        raise ConflictError(i18n.t("ratl.version", criterion=item.criterion_id, current=item.version,
                                   expected=expected_version))
    evidence = (evidence or "").strip() or None
    stored = None

    def blockers(ev: str) -> list[str]:
        if ev == "complete" and not (evidence or evidence_file or item.done_evidence):
            return [i18n.t("ratl.no_evidence", criterion=item.criterion_id)]
        if ev == "verify" and item.done_by_id == actor.id:
            return [i18n.t("ratl.same_verifier", who=actor.describe(), criterion=item.criterion_id)]
        return []

    if event == "complete" and evidence_file is not None and item.state == "in_progress":
        if store is None:
            raise ValueError("an evidence store is needed to keep the file")
        stored = store.put(evidence_file)
    tr = workflow.fire(ratl_workflow.RatlWorkflow, item, event, subject=item.criterion_id, blockers=blockers,
                       reason=reason)
    now = utcnow()
    payload = {"item_id": item.id, "criterion": item.criterion_id, "event": event, "from": tr.source,
               "to": tr.target, "reason": (reason or "").strip() or None}
    if event == "complete":
        if evidence or stored:
            item.done_evidence = evidence or (Path(evidence_file).name if evidence_file else None)
            item.done_evidence_sha256 = stored.sha256 if stored else None
            item.done_evidence_path = stored.storage_path if stored else None
        item.done_by_id, item.done_at = actor.id, now
        item.state_note = None   # a new completion answers the last rejection
        payload["evidence"] = {"reference": item.done_evidence, "sha256": item.done_evidence_sha256}
    elif event == "verify":
        item.verified_by_id, item.verified_at = actor.id, now
    elif event == "reject":
        # The rejected evidence is no evidence of completion any more (the audit log keeps it).
        payload["rejected_evidence"] = {"reference": item.done_evidence, "sha256": item.done_evidence_sha256}
        item.verified_by_id = item.verified_at = None
        item.done_evidence = item.done_evidence_sha256 = item.done_evidence_path = None
        item.done_by_id = item.done_at = None
    if reason:
        item.state_note = reason.strip()
    item.version += 1
    item.updated_at = now
    session.add(item)
    session.flush()
    payload["version"] = item.version
    rows = Rows()
    rows.put_obj(item)
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="ratl.transition", when=now,
                     payload=payload, rows=rows)
    return tr


def path_to(session: Session, actor: Actor, rnd: AssessmentRound, criterion: str, state: str, **kwargs
            ) -> list[workflow.Transition]:
    """Reach ``state`` from the item's current state by the forward events
    (e.g. planned → done fires start then complete); done → in_progress is
    ``reject`` (reason required). Every step is its own audit event. The
    state the item is already in is no move at all; any other way back is
    refused naming the item's state. A refused step of a longer path names
    the state the item stays in (the whole path is one transaction)."""
    if state not in ratl_workflow.RATL_STATES:
        raise ValidationError(i18n.t("ratl.bad_state", state=state,
                                            states=", ".join(state_name("ratl", s) for s in ratl_workflow.RATL_STATES)))
    item = get_item(session, rnd, criterion)
    order = list(ratl_workflow.RATL_STATES)
    start = item.state
    here, there = order.index(start), order.index(state)
    if (start, state) == ("done", "in_progress"):
        return [transition(session, actor, rnd, criterion, "reject", **kwargs)]
    if there == here:
        return []
    if there < here:
        allowed = workflow.allowed_events(ratl_workflow.RatlWorkflow, start)
        raise StateError(i18n.t("ratl.no_way_back", criterion=item.criterion_id, state=state_name("ratl", start),
                                target=state_name("ratl", state),
                                allowed=", ".join(event_name(e) for e in allowed) or i18n.t("wf.none")))
    moves = []
    for step in order[here + 1: there + 1]:
        event = ratl_workflow.EVENT_TO[step]
        try:
            moves.append(transition(session, actor, rnd, criterion, event, **kwargs))
        except StateError as exc:
            if not moves:
                raise
            raise StateError(i18n.t("ratl.path_blocked", criterion=item.criterion_id, state=state_name("ratl", start),
                                    event=event_name(event), target=state_name("ratl", state)), details=[exc.message, *exc.details]) from None
    return moves


def map_role(session: Session, actor: Actor, role: str, unit_code: str) -> tuple[RatlRoleMap, list[str]]:
    """Map an instrument role to a unit; active, unverified items of that
    role whose unit nobody set by hand follow the mapping. Returns the
    mapping and the items (round:criterion) that changed."""
    require(actor, "ratl.write")
    role = _check_text(role, "ratl.field.role")
    unit = get_unit(session, unit_code)
    inst_row = institution(session)
    audit_log.ensure_chain(session, None)
    m = None
    for row in session.exec(select(RatlRoleMap).where(RatlRoleMap.institution_id == inst_row.id)):
        if row.role.casefold() == role.casefold():
            m = row
    previous = None
    if m is None:
        m = RatlRoleMap(institution_id=inst_row.id, role=role, unit_id=unit.id, set_by_id=actor.id)
    else:
        old = session.get(WorkUnit, m.unit_id)
        previous = old.code if old else None
        m.unit_id, m.set_by_id, m.set_at = unit.id, actor.id, utcnow()
    session.add(m)
    session.flush()
    rows = Rows()
    rows.put_obj(m)
    audit_log.append(session, round_id=None, actor=actor.username, action="ratl.map_role",
                     payload={"role": m.role, "unit": unit.code, "previous": previous}, rows=rows)
    changed = []
    items = session.exec(select(RatlItem, AssessmentRound).join(AssessmentRound, AssessmentRound.id == RatlItem.round_id)
                         .where(AssessmentRound.institution_id == inst_row.id, RatlItem.active.is_(True),
                                RatlItem.responsible_manual.is_(False), RatlItem.state != "verified")).all()
    by_round: dict[int, list[RatlItem]] = {}
    for item, rnd in items:
        if item.responsible_role.casefold() == role.casefold() and item.responsible_unit_id != unit.id:
            by_round.setdefault(rnd.id, []).append(item)
    for round_id, round_items in sorted(by_round.items()):
        rnd = session.get(AssessmentRound, round_id)
        lock_round(session, rnd)
        for item in round_items:
            item.responsible_unit_id = unit.id
            item.version += 1
            item.updated_at = utcnow()
            session.add(item)
            changed.append(f"{rnd.code}:{item.criterion_id}")
        session.flush()
        rows = Rows()
        rows.put_obj(*round_items)
        audit_log.append(session, round_id=rnd.id, actor=actor.username, action="ratl.update",
                         payload={"role_mapping": {"role": m.role, "unit": unit.code},
                                  "items": [i.criterion_id for i in round_items]}, rows=rows)
    return m, changed


def role_mappings(session: Session) -> list[dict]:
    inst_row = institution(session)
    out = []
    for m in session.exec(select(RatlRoleMap).where(RatlRoleMap.institution_id == inst_row.id)
                          .order_by(RatlRoleMap.role)):
        unit = session.get(WorkUnit, m.unit_id)
        out.append({"role": m.role, "unit": unit.code, "unit_name": unit.name})
    return out


__all__ = ["generate", "list_items", "get_item", "item_to_dict", "update", "transition", "path_to",
           "map_role", "role_mappings", "default_target_date", "unit_for_role"]
