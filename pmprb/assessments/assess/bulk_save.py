"""Saving many answers of one worksheet at once (the import's write path).

Same rules and the same records as :func:`pmprb.assessments.assess.answers.save_answer`
— role, round open, worksheet in progress, answers normalised by the store's
own function, compare-and-set on the version, one ``answer.save`` audit
event per changed answer with the same payload — but each check is made
once per batch instead of once per answer and rows and events are flushed
together. ``save_answer`` costs about 6 ms an answer in SQLAlchemy
round trips, too slow for the 7,300 answers of a city's 50 units.

The caller must hold the round lock (``lock_round``) from the moment it
read the versions it passes, as ``import_sheet`` does; a version that moved
anyway is still refused with a conflict and the transaction rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, update
from sqlmodel import Session

from pmprb import i18n
from pmprb.canonical import sha256_hex
from pmprb.errors import ConflictError, StateError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.assess.answers import MAX_NOTE, normalise_answer
from pmprb.assessments.store.models import Answer, AssessmentRound, AuditEvent, WorkUnit, utcnow
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.rounds import instrument_for
from pmprb.assessments.assess.worksheets import get_worksheet

i18n.register({
    "abulk.moved": {"id": "konflik: jawaban {criterion} untuk unit {unit} berubah selama impor; tidak ada yang "
                          "ditulis — ulangi impor",
                    "en": "conflict: the answer to {criterion} for unit {unit} changed during the import; nothing "
                          "was written — run the import again"},
})


@dataclass
class Save:
    criterion: str
    answer: str
    note: str | None
    current: Answer | None      # the stored row as read under the lock, or None


def save_many(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, saves: list[Save],
              *, progress=None) -> int:
    """Write every save (or raise, leaving the caller to roll back); returns how many changed."""
    if not saves:
        return 0
    require(actor, "answer.write")
    if rnd.state != "open":
        raise StateError(i18n.t("ans.round_not_open", code=rnd.code, state=rnd.state))
    ws = get_worksheet(session, rnd, unit, actor.person)
    if ws.state != "in_progress":
        raise StateError(i18n.t("ans.ws_not_in_progress", assessor=actor.username, unit=unit.code, state=ws.state,
                                hint=i18n.t("ans.hint_resume") if ws.state == "returned" else ""))
    inst = instrument_for(rnd)
    now = utcnow()
    rows: list[tuple[Save, object, dict | None]] = []
    new: list[tuple[int, dict]] = []   # (position in rows, the new answer's columns)
    for sv in saves:
        value = normalise_answer(inst.criterion(sv.criterion), sv.answer)
        note = (sv.note or "").strip() or None
        if note and len(note) > MAX_NOTE:
            raise ValidationError(i18n.t("ans.note_long", n=len(note), max=MAX_NOTE))
        cur = sv.current
        if cur is not None and cur.answer == value and cur.note == note:
            continue
        if cur is None:
            new.append((len(rows), dict(round_id=rnd.id, unit_id=unit.id, assessor_id=actor.id,
                                        criterion_id=sv.criterion, answer=value, note=note, version=1,
                                        created_at=now, updated_at=now, updated_by_id=actor.id)))
            rows.append((sv, None, None))
            continue
        seen = cur.version
        previous = {"answer": cur.answer, "version": seen}
        res = session.execute(update(Answer).where(Answer.id == cur.id, Answer.version == seen)
                              .values(answer=value, note=note, version=seen + 1, updated_at=now,
                                      updated_by_id=actor.id).execution_options(synchronize_session=False))
        if res.rowcount != 1:
            raise ConflictError(i18n.t("abulk.moved", criterion=sv.criterion, unit=unit.code))
        rows.append((sv, _Updated(cur.id, value, note, seen + 1), previous))
        if progress and len(rows) % 500 == 0:
            progress(len(rows), len(saves))
    if new:
        # One multi-row INSERT ... RETURNING id, in order, for the events (an ORM object per
        # answer costs ~3x the CPU, and an import writes thousands).
        ids = session.scalars(insert(Answer).returning(Answer.id, sort_by_parameter_order=True),
                              [cols for _i, cols in new]).all()
        for (i, cols), answer_id in zip(new, ids):
            rows[i] = (rows[i][0], _Updated(answer_id, cols["answer"], cols["note"], 1), None)
    session.flush()
    _append_events(session, actor, rnd, [
        {"answer_id": row.id, "unit": unit.code, "assessor": actor.username, "criterion": sv.criterion,
         "answer": row.answer, "note": row.note, "version": row.version, "previous": previous}
        for sv, row, previous in rows], when=now)
    for sv, row, _prev in rows:  # the session's copies of updated rows are stale now
        if sv.current is not None:
            session.expire(sv.current)
    if progress:
        progress(len(rows), len(saves))
    return len(rows)


@dataclass
class _Updated:
    id: int
    answer: str
    note: str | None
    version: int


def _append_events(session: Session, actor: Actor, rnd: AssessmentRound, payloads: list[dict], *, when) -> None:
    """``audit_log.append`` for many events: the chain head is read once and the
    events flushed together; hashes are computed by ``audit``'s own functions."""
    if not payloads:
        return
    head = audit_log.ensure_chain(session, rnd.id)
    at = audit_log.timestamp(when)
    seq, prev = head.last_seq, head.last_hash
    events = []
    for payload in payloads:
        text = audit_log.payload_text(payload)
        p_hash = sha256_hex(text)
        seq += 1
        h = audit_log.event_hash(chain=head.chain, seq=seq, actor=actor.username, at=at, action="answer.save",
                             payload_hash=p_hash, prev_hash=prev)
        events.append(dict(chain=head.chain, round_id=rnd.id, seq=seq, actor=actor.username, at=at,
                           action="answer.save", payload_json=text, payload_hash=p_hash, prev_hash=prev, hash=h))
        prev = h
    session.execute(insert(AuditEvent), events)  # one executemany, no ORM object per event
    head.last_seq, head.last_hash = seq, prev
    session.add(head)
    session.flush()


__all__ = ["Save", "save_many"]
