"""Consensus: disputed criteria become items a koordinator resolves.

When a round enters ``consensus`` (every working paper accepted), each
criterion whose counted answers differ gets a :class:`ConsensusItem`
(:func:`sync_items`, run by a guard on the round's ``consensus`` event and
again before ``finalise``; it is idempotent). An item is resolved with the
final answer, a required rationale, the participants and the meeting date
(:func:`resolve`); it may be reopened with a reason while the round is not
final (:func:`reopen_item`). Criteria whose answers merged are confirmed in a
meeting too (:func:`record_meeting`), so the round can show that *every*
criterion was discussed (LKE item MP.3.f) — :func:`discussion_coverage`.

Every change writes a :class:`ConsensusEvent` (the item's history) and an
audit event in the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine.state_labels import state_name
from pmprb.canonical import canonical_json
from pmprb.engine.instrument import Instrument
from pmprb.engine import codes
from pmprb.errors import ConflictError, NotFoundError, StateError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.engine.inputs import normalise_answer
from pmprb.assessments.store.models import AssessmentRound, Person, utcnow
from pmprb.assessments.store.models.consensus import ConsensusEvent, ConsensusItem, ConsensusMeeting
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.assessments.setup.round_work import RoundWork, begin
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.coordinate.working_papers import (COUNTED_STATES, collect, dispute_record, round_worksheets, spread, status_of)

SYSTEM = "system"
MAX_TEXT = codes.MAX_TEXT  # pmprb.engine.codes: one set of limits

# ---------------------------------------------------------------------------
# reading


def get_item(session: Session, rnd: AssessmentRound, criterion: str) -> ConsensusItem:
    item = session.exec(select(ConsensusItem).where(ConsensusItem.round_id == rnd.id,
                                                    ConsensusItem.criterion_id == (criterion or "").strip())).first()
    if item is None:
        raise NotFoundError(i18n.t("cons.unknown", criterion=criterion, round=rnd.code))
    return item


def list_items(session: Session, rnd: AssessmentRound, *, state: str | None = None,
               inst: Instrument | None = None) -> list[ConsensusItem]:
    """Items of the round in instrument order (optionally of one state)."""
    inst = inst or instrument_for(rnd)
    q = select(ConsensusItem).where(ConsensusItem.round_id == rnd.id)
    if state:
        q = q.where(ConsensusItem.state == state)
    order = {cid: c.order for cid, c in inst.criteria.items()}
    return sorted(session.exec(q), key=lambda i: order.get(i.criterion_id, len(order)))


def history(session: Session, item: ConsensusItem) -> list[ConsensusEvent]:
    return list(session.exec(select(ConsensusEvent).where(ConsensusEvent.item_id == item.id)
                             .order_by(ConsensusEvent.seq)))


def participants_of(text: str | None) -> list[dict]:
    return json.loads(text) if text else []


def item_to_dict(session: Session, item: ConsensusItem, inst: Instrument, *, with_history: bool = False) -> dict:
    c = inst.criteria.get(item.criterion_id)
    resolver = session.get(Person, item.resolved_by_id) if item.resolved_by_id else None
    d = {
        "criterion": item.criterion_id, "text": c.text if c else None, "area": c.area if c else None,
        "subarea": c.subarea if c else None, "state": item.state, "spread": item.spread,
        "answers": json.loads(item.answers_json), "final_answer": item.final_answer,
        "final_value": (c.values.get(item.final_answer) if c and c.is_choice and item.final_answer else None),
        "rationale": item.rationale, "participants": participants_of(item.participants_json),
        "meeting_date": item.meeting_date.isoformat() if item.meeting_date else None,
        "resolved_by": resolver.username if resolver else None,
        "resolved_by_name": resolver.name if resolver else None,
        "resolved_at": item.resolved_at.isoformat() if item.resolved_at else None,
        "opened_at": item.opened_at.isoformat(), "version": item.version,
    }
    if with_history:
        d["history"] = [{"seq": e.seq, "kind": e.kind, "actor": e.actor, "at": e.at.isoformat(), "reason": e.reason,
                         "data": json.loads(e.data_json)} for e in history(session, item)]
    return d


# ---------------------------------------------------------------------------
# writing helpers


class Journal:
    """The item changes of one act (a sync, a meeting's resolutions, a
    reopening): each becomes a :class:`ConsensusEvent` row of its item's
    history, and the act one ``consensus.<kind>`` audit event that records
    every item and history row it wrote. Written by :meth:`flush`."""

    def __init__(self, work: RoundWork, actor: str):
        self.work, self.actor = work, actor
        self.entries: list[tuple[str, ConsensusItem, dict, str | None]] = []

    def add(self, kind: str, item: ConsensusItem, data: dict, reason: str | None = None) -> None:
        self.entries.append((kind, item, data, reason))

    def flush(self) -> None:
        if not self.entries:
            return
        session, rnd = self.work.session, self.work.round
        session.flush()   # the items' changes (one executemany per column set) and ids of new items
        item_ids = [item.id for _k, item, _d, _r in self.entries]
        last = dict(session.exec(select(ConsensusEvent.item_id, func.max(ConsensusEvent.seq))
                                 .where(ConsensusEvent.item_id.in_(item_ids)).group_by(ConsensusEvent.item_id)).all())
        now = utcnow()
        history = []
        for kind, item, data, reason in self.entries:
            last[item.id] = last.get(item.id, 0) + 1
            history.append(dict(item_id=item.id, round_id=rnd.id, seq=last[item.id], kind=kind, actor=self.actor,
                                at=now, reason=reason, data_json=canonical_json(data)))
        rows = Rows()
        insert_rows(session, ConsensusEvent, history, key=("item_id", "seq"), record=rows)
        rows.put_obj(*{id(item): item for _k, item, _d, _r in self.entries}.values())
        by_kind: dict[str, list[dict]] = {}
        for (kind, item, data, reason), h in zip(self.entries, history):
            by_kind.setdefault(kind, []).append(
                {"item_id": item.id, "criterion": item.criterion_id, "seq": h["seq"], "state": item.state,
                 "version": item.version, "reason": reason, "data": data})
        kinds = list(by_kind)
        action = f"consensus.{kinds[0]}" if len(kinds) == 1 else "consensus.sync"
        audit_log.append(session, round_id=rnd.id, actor=self.actor, action=action, when=now,
                         payload={"items": [e for k in kinds for e in by_kind[k]]}, rows=rows)
        self.entries = []


def _require_consensus_state(rnd: AssessmentRound, verb_key: str) -> None:
    if rnd.state != "consensus":
        raise StateError(i18n.t("cons.round_state", round=rnd.code, state=state_name("round", rnd.state),
                                action=i18n.t(verb_key)))


def _text(value: str | None, field_key: str, missing_key: str, criterion: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(i18n.t(missing_key, criterion=criterion))
    if len(text) > MAX_TEXT:
        raise ValidationError(i18n.t("cons.text_long", field=i18n.t(field_key), n=len(text), max=MAX_TEXT))
    return text


def check_meeting_date(rnd: AssessmentRound, when: date | None, today: date | None = None) -> date:
    if when is None:
        raise ValidationError(i18n.t("cons.no_date"))
    today = today or date.today()
    if when > today:
        raise ValidationError(i18n.t("cons.future_date", date=when.isoformat(), today=today.isoformat()))
    if when.year not in (rnd.year, rnd.year + 1):
        raise ValidationError(i18n.t("cons.date_window", date=when.isoformat(), year=rnd.year))
    return when


def normalise_participants(session: Session, names, guests=()) -> list[dict]:
    """Participants as given (usernames, repeated or comma-separated), each a
    registered person, recorded with the person's name; outside guests only
    explicitly, as "Name|Position" (``{"name", "jabatan", "guest": true}``)."""
    wanted: list[str] = []
    seen: set[str] = set()
    for raw in names or []:
        for part in str(raw).split(","):
            name = part.strip()
            if not name or name.lower() in seen:
                continue
            seen.add(name.lower())
            wanted.append(name)
    # One query for every name (a resolution names the whole meeting, for every item).
    people = {p.username: p for p in session.exec(select(Person).where(Person.username.in_(wanted)))} \
        if wanted else {}
    unknown = [name for name in wanted if name not in people]
    if unknown:
        raise ValidationError(i18n.t("cons.unknown_participants", names=", ".join(unknown)))
    out = [{"username": people[name].username, "name": people[name].name} for name in wanted]
    for raw in guests or []:
        name, _, jabatan = str(raw).partition("|")
        name, jabatan = " ".join(name.split()), " ".join(jabatan.split())
        if not name or not jabatan or len(name) > 255 or len(jabatan) > 255:
            raise ValidationError(i18n.t("cons.bad_guest", guest=raw))
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append({"name": name, "jabatan": jabatan, "guest": True})
    if not out:
        raise ValidationError(i18n.t("cons.no_participants"))
    return out


# ---------------------------------------------------------------------------
# items from the working papers


@dataclass
class SyncResult:
    opened: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.opened or self.updated or self.reopened or self.withdrawn)


def sync_items(session: Session, rnd: AssessmentRound, *, actor: str = SYSTEM) -> SyncResult:
    """Bring the items in line with the counted answers: open an item for a
    new disagreement; update an open item whose disputed answers changed;
    reopen a resolved (or withdrawn) item whose disputed answers changed,
    since its resolution was about other answers; withdraw an item whose
    answers now agree. Resolved items whose answers did not change are left
    alone. Idempotent; one audit event for everything it changed."""
    work = begin(session, None, rnd)
    return sync_in(work, actor=actor)


def sync_in(work: RoundWork, *, actor: str = SYSTEM) -> SyncResult:
    session, rnd, inst = work.session, work.round, work.instrument
    papers = collect(session, rnd, inst)
    items = {i.criterion_id: i for i in session.exec(select(ConsensusItem).where(ConsensusItem.round_id == rnd.id))}
    result = SyncResult()
    journal = Journal(work, actor)
    now = utcnow()
    opened: list[tuple[ConsensusItem, list]] = []
    for cid, criterion in inst.criteria.items():
        answers = papers[cid]
        disputed = status_of(criterion, answers) == "disputed"
        item = items.get(cid)
        if disputed:
            record = dispute_record(answers)
            text = canonical_json(record)
            if item is None:
                opened.append((ConsensusItem(round_id=rnd.id, criterion_id=cid, state="open", spread=spread(answers),
                                             answers_json=text, final_answer=None, rationale=None,
                                             participants_json=None, meeting_date=None, resolved_by_id=None,
                                             resolved_at=None, opened_at=now, version=1), record))
                result.opened.append(cid)
            elif item.answers_json != text or item.state == "withdrawn":
                was = item.state
                item.answers_json, item.spread = text, spread(answers)
                item.version += 1
                if was == "open":
                    journal.add("updated", item, {"answers": record, "spread": item.spread})
                    result.updated.append(cid)
                else:
                    _clear_resolution(item)
                    item.state = "open"
                    journal.add("reopened", item, {"answers": record, "spread": item.spread},
                                reason=i18n.t("cons.reason_answers_changed", lang="id"))
                    result.reopened.append(cid)
        elif item is not None and item.state in ("open", "resolved"):
            # No dispute any more (a returned worksheet was corrected): the
            # merged answer stands; an earlier resolution stays in the history.
            _clear_resolution(item)
            item.state = "withdrawn"
            item.version += 1
            journal.add("withdrawn", item, {"answers": dispute_record(answers)},
                        reason=i18n.t("cons.withdrawn", lang="id", criterion=cid))
            result.withdrawn.append(cid)
    # New items in one multi-row INSERT (the ORM would send one statement per item on SQLite).
    columns = [c.name for c in ConsensusItem.__table__.columns if c.name != "id"]
    ids = insert_rows(session, ConsensusItem, [{c: getattr(item, c) for c in columns} for item, _r in opened],
                      key=("criterion_id",))
    for (item, record), new_id in zip(opened, ids):
        item.id = new_id
        journal.add("opened", item, {"answers": record, "spread": item.spread})
    journal.flush()
    return result


def _clear_resolution(item: ConsensusItem) -> None:
    item.final_answer = item.rationale = item.participants_json = None
    item.meeting_date = item.resolved_by_id = item.resolved_at = None


def _all_accepted(session: Session, rnd: AssessmentRound) -> bool:
    rows = round_worksheets(session, rnd)
    return bool(rows) and all(ws.state == "accepted" for ws, _u, _a in rows)


def guard_enter_consensus(work: RoundWork) -> list[str]:
    """Round guard on ``consensus``: opens the items as the round enters
    consensus (in the transition's transaction, so a refused transition
    rolls them back too). Blocks nothing itself; the store's own guard
    reports worksheets that are not accepted."""
    if _all_accepted(work.session, work.round):
        sync_in(work)
    return []


def guard_finalise(work: RoundWork) -> list[str]:
    """Round guard on ``finalise``: refused while any item is open; each
    open item is listed with its spread and the answers in dispute."""
    sync_in(work)
    rnd = work.round
    open_items = list_items(work.session, rnd, state="open", inst=work.instrument)
    if not open_items:
        return []
    reasons = [i18n.t("cons.open_items", n=len(open_items), round=rnd.code)]
    for item in open_items:
        answers = ", ".join(f"{a['assessor']}@{a['unit']}={a['answer']}" for a in json.loads(item.answers_json))
        reasons.append(i18n.t("cons.open_item", criterion=item.criterion_id, spread=_fmt(item.spread), answers=answers))
    return reasons


def _fmt(x: float) -> str:
    from pmprb.numbers import format_number

    return format_number(x, 2)


# ---------------------------------------------------------------------------
# resolving and reopening


@dataclass
class Resolution:
    """One agreed answer, as a meeting's minutes give it."""

    criterion: str
    final_answer: str
    rationale: str
    expected_version: int | None = None


def resolve(session: Session, actor: Actor, rnd: AssessmentRound, criterion: str, *, final_answer: str,
            rationale: str, participants, meeting_date: date | None, expected_version: int | None = None,
            today: date | None = None, guests=()) -> ConsensusItem:
    """Record the agreed answer of an open item. The final answer may be any
    valid answer of the criterion (the meeting may agree on an answer nobody
    gave, e.g. after reading the evidence); the rationale is required."""
    (item,) = resolve_many(session, actor, rnd, [Resolution(criterion, final_answer, rationale, expected_version)],
                           participants=participants, meeting_date=meeting_date, today=today, guests=guests)
    return item


def resolve_many(session: Session, actor: Actor, rnd: AssessmentRound, resolutions: list[Resolution], *,
                 participants, meeting_date: date | None, today: date | None = None, guests=()
                 ) -> list[ConsensusItem]:
    """Record the agreed answers of a meeting, all or none, as one operation
    and one ``consensus.resolved`` event (the participants and date are the
    meeting's)."""
    require(actor, "consensus.resolve")
    work = begin(session, actor, rnd)
    _require_consensus_state(rnd, "cons.verb_resolve")
    inst = work.instrument
    people = normalise_participants(session, participants, guests)
    when = check_meeting_date(rnd, meeting_date, today)
    wanted = [(r.criterion or "").strip() for r in resolutions]
    items = {i.criterion_id: i for i in session.exec(select(ConsensusItem).where(
        ConsensusItem.round_id == rnd.id, ConsensusItem.criterion_id.in_(wanted)))}
    resolvers = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(
        {i.resolved_by_id for i in items.values() if i.resolved_by_id})))} if items else {}
    now = utcnow()
    journal = Journal(work, actor.username)
    out = []
    for r, cid in zip(resolutions, wanted):
        item = items.get(cid)
        if item is None:
            raise NotFoundError(i18n.t("cons.unknown", criterion=cid, round=rnd.code))
        c = inst.criterion(item.criterion_id)
        if item.state == "resolved":
            who = resolvers.get(item.resolved_by_id)
            raise ConflictError(i18n.t("cons.already_resolved", criterion=item.criterion_id,
                                       who=who.username if who else "?",
                                       at=item.resolved_at.isoformat(timespec="seconds") if item.resolved_at else "?",
                                       answer=item.final_answer))
        if item.state != "open":
            raise StateError(i18n.t("cons.withdrawn", criterion=item.criterion_id))
        if r.expected_version is not None and r.expected_version != item.version:
            raise ConflictError(i18n.t("cons.version", criterion=item.criterion_id, current=item.version,
                                       expected=r.expected_version))
        answer = normalise_answer(inst, c.id, r.final_answer)
        text = _text(r.rationale, "cons.field_rationale", "cons.no_rationale", item.criterion_id)
        item.state, item.final_answer, item.rationale = "resolved", answer, text
        item.participants_json, item.meeting_date = canonical_json(people), when
        item.resolved_by_id, item.resolved_at = actor.id, now
        item.version += 1
        journal.add("resolved", item, {"final_answer": answer, "rationale": text, "participants": people,
                                       "meeting_date": when.isoformat()})
        out.append(item)
    journal.flush()
    return out


def reopen_item(session: Session, actor: Actor, rnd: AssessmentRound, criterion: str, *, reason: str
                ) -> ConsensusItem:
    """resolved -> open, with a reason, while the round is in consensus.
    The earlier resolution stays in the item's history."""
    require(actor, "consensus.resolve")
    work = begin(session, actor, rnd)
    _require_consensus_state(rnd, "cons.verb_reopen")
    item = get_item(session, rnd, criterion)
    text = _text(reason, "cons.field_reason", "cons.no_reason", item.criterion_id)
    if item.state != "resolved":
        raise StateError(i18n.t("cons.not_resolved", criterion=item.criterion_id, state=state_name("consensus", item.state)))
    previous = {"final_answer": item.final_answer, "rationale": item.rationale,
                "participants": participants_of(item.participants_json),
                "meeting_date": item.meeting_date.isoformat() if item.meeting_date else None}
    _clear_resolution(item)
    item.state = "open"
    item.version += 1
    journal = Journal(work, actor.username)
    journal.add("reopened", item, {"previous": previous}, reason=text)
    journal.flush()
    return item


# ---------------------------------------------------------------------------
# meetings and coverage (MP.3.f)


def meetings(session: Session, rnd: AssessmentRound) -> list[ConsensusMeeting]:
    return list(session.exec(select(ConsensusMeeting).where(ConsensusMeeting.round_id == rnd.id)
                             .order_by(ConsensusMeeting.meeting_date, ConsensusMeeting.id)))


def discussable(inst: Instrument) -> list[str]:
    """Criteria a consensus meeting discusses: every one that takes an answer."""
    return [cid for cid, c in inst.criteria.items() if c.kind != "computed"]


def discussed_criteria(session: Session, rnd: AssessmentRound) -> set[str]:
    done = {i.criterion_id for i in session.exec(select(ConsensusItem).where(
        ConsensusItem.round_id == rnd.id, ConsensusItem.state == "resolved"))}
    for m in meetings(session, rnd):
        done.update(json.loads(m.criteria_json))
    return done


def discussion_coverage(session: Session, rnd: AssessmentRound, inst: Instrument | None = None) -> dict:
    inst = inst or instrument_for(rnd)
    wanted = discussable(inst)
    done = discussed_criteria(session, rnd)
    undiscussed = [cid for cid in wanted if cid not in done]
    return {"total": len(wanted), "discussed": len(wanted) - len(undiscussed), "undiscussed": undiscussed,
            "all_discussed": not undiscussed}


def record_meeting(session: Session, actor: Actor, rnd: AssessmentRound, *, meeting_date: date | None,
                   participants, criteria: list[str] | None = None, note: str | None = None,
                   today: date | None = None, guests=()) -> ConsensusMeeting:
    """Record that a consensus meeting discussed and confirmed ``criteria``
    (default: every criterion not disputed and not yet discussed)."""
    require(actor, "consensus.meeting")
    work = begin(session, actor, rnd)
    _require_consensus_state(rnd, "cons.verb_meeting")
    inst = work.instrument
    items = {i.criterion_id: i for i in session.exec(select(ConsensusItem).where(ConsensusItem.round_id == rnd.id))}
    disputed = {cid for cid, i in items.items() if i.state in ("open", "resolved")}
    if criteria:
        wanted = list(dict.fromkeys(inst.criterion(c.strip()).id for c in criteria))
        for cid in wanted:
            if cid in disputed:
                raise ValidationError(i18n.t("cons.meeting_bad_criterion", criterion=cid,
                                             why=i18n.t("cons.why_disputed")))
            if inst.criteria[cid].kind == "computed":
                raise ValidationError(i18n.t("cons.meeting_bad_criterion", criterion=cid,
                                             why=i18n.t("cons.why_computed")))
    else:
        done = discussed_criteria(session, rnd)
        wanted = [cid for cid in discussable(inst) if cid not in disputed and cid not in done]
        if not wanted:
            raise ValidationError(i18n.t("cons.meeting_nothing"))
    people = normalise_participants(session, participants, guests)
    when = check_meeting_date(rnd, meeting_date, today)
    note = (note or "").strip() or None
    m = ConsensusMeeting(round_id=rnd.id, meeting_date=when, participants_json=canonical_json(people),
                         criteria_json=canonical_json(wanted), note=note, recorded_by_id=actor.id,
                         recorded_at=utcnow())
    session.add(m)
    session.flush()
    rows = Rows()
    rows.put_obj(m)
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="consensus.meeting",
                     payload={"meeting_id": m.id, "meeting_date": when.isoformat(), "participants": people,
                              "criteria": wanted, "note": note}, rows=rows)
    return m


def meeting_to_dict(session: Session, m: ConsensusMeeting) -> dict:
    by = session.get(Person, m.recorded_by_id)
    return {"id": m.id, "meeting_date": m.meeting_date.isoformat(), "participants": json.loads(m.participants_json),
            "criteria": json.loads(m.criteria_json), "note": m.note, "recorded_by": by.username if by else None,
            "recorded_at": m.recorded_at.isoformat()}


__all__ = ["sync_items", "resolve", "reopen_item", "record_meeting", "list_items", "get_item", "history",
           "item_to_dict", "discussion_coverage", "guard_finalise", "guard_enter_consensus", "COUNTED_STATES"]
