"""Saving many answers of one worksheet at once (the import's write path).

Same rules as :func:`pmprb.assessments.assess.answers.save` — role, the
worksheet editable (``worksheet_lock.require_editable``), answers
normalised by the engine's one normaliser, compare-and-set on the version —
but set-based: new answers in one multi-row INSERT, changed ones in one executemany UPDATE whose total
row count proves every compare-and-set held, new evidence links in one
INSERT, and the whole batch logged as one ``answer.import`` audit event
that records every row it wrote.

The caller must hold the round lock (``RoundWork``) from the moment it read
the versions it passes, as ``import_sheet`` does; a version that moved
anyway is still refused with a conflict and the transaction rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, update

from pmprb import i18n
from pmprb.errors import ConflictError, ValidationError
from pmprb.assessments.assess.answers import MAX_NOTE
from pmprb.assessments.assess.worksheet_lock import require_editable
from pmprb.assessments.setup.permissions import require
from pmprb.assessments.setup.round_work import RoundWork
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.store.models import Answer, EvidenceLink, WorkUnit, utcnow
from pmprb.engine.inputs import normalise_answer

@dataclass
class Save:
    criterion: str
    answer: str
    note: str | None
    current: Answer | None      # the stored row as read under the lock, or None


def save_many(work: RoundWork, unit: WorkUnit, saves: list[Save], *, links: dict[int, list[str]] | None = None,
              source: str | None = None, progress=None) -> int:
    """Write every save and evidence link (or raise, leaving the caller to
    roll back) as one act; returns how many answers changed."""
    session, actor, rnd, inst = work.session, work.actor, work.round, work.instrument
    links = {ev_id: cids for ev_id, cids in (links or {}).items() if cids}
    if not saves and not links:
        return 0
    require(actor, "answer.write")
    require_editable(work, unit)
    now = utcnow()
    new: list[dict] = []
    changed: list[tuple[Answer, dict]] = []
    for sv in saves:
        value = normalise_answer(inst, sv.criterion, sv.answer)
        note = (sv.note or "").strip() or None
        if note and len(note) > MAX_NOTE:
            raise ValidationError(i18n.t("ans.note_long", n=len(note), max=MAX_NOTE))
        cur = sv.current
        if cur is not None and cur.answer == value and cur.note == note:
            continue
        if cur is None:
            new.append(dict(round_id=rnd.id, unit_id=unit.id, assessor_id=actor.id, criterion_id=sv.criterion,
                            answer=value, note=note, version=1, created_at=now, updated_at=now,
                            updated_by_id=actor.id))
        else:
            changed.append((cur, dict(b_id=cur.id, b_seen=cur.version, b_answer=value, b_note=note,
                                      b_version=cur.version + 1)))
    rows = Rows()
    insert_rows(session, Answer, new, key=("criterion_id",), record=rows)
    if changed:
        stmt = (update(Answer.__table__)
                .where(Answer.__table__.c.id == bindparam("b_id"), Answer.__table__.c.version == bindparam("b_seen"))
                .values(answer=bindparam("b_answer"), note=bindparam("b_note"), version=bindparam("b_version"),
                        updated_at=now, updated_by_id=actor.id))
        res = session.connection().execute(stmt, [params for _cur, params in changed])
        if res.rowcount != len(changed):
            raise ConflictError(i18n.t("abulk.moved", criterion=", ".join(c.criterion_id for c, _ in changed),
                                       unit=unit.code))
        for cur, params in changed:
            rows.put(Answer, {"id": cur.id, "round_id": rnd.id, "unit_id": unit.id, "assessor_id": actor.id,
                              "criterion_id": cur.criterion_id, "answer": params["b_answer"],
                              "note": params["b_note"], "version": params["b_version"],
                              "created_at": cur.created_at, "updated_at": now, "updated_by_id": actor.id})
            session.expire(cur)   # the session's copy is stale now
    link_rows = [dict(evidence_id=ev_id, criterion_id=cid, created_at=now, created_by_id=actor.id)
                 for ev_id, cids in sorted(links.items()) for cid in cids]
    insert_rows(session, EvidenceLink, link_rows, key=("evidence_id", "criterion_id"), record=rows)
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="answer.import", when=now,
                     payload={"unit": unit.code, "assessor": actor.username, "source": source,
                              "created": [r["criterion_id"] for r in new],
                              "updated": [c.criterion_id for c, _ in changed],
                              "links": {str(k): v for k, v in sorted(links.items())}}, rows=rows)
    work.forget(unit.id)
    if progress:
        progress(len(saves), len(saves))
    return len(new) + len(changed)


__all__ = ["Save", "save_many"]
