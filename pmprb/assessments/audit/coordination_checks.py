"""`pmprb audit verify` checks for what the coordinator writes: each
consensus item and RATL item must still say what its last audit event says.
A final answer or rationale changed with SQL, or a RATL item marked verified
outside pmprb, is reported with the event it no longer matches. (Frozen
final results are checked by :mod:`pmprb.assessments.audit.integrity_checks`.)
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.assessments.store import audit_log
from pmprb.assessments.audit import log_checks  # noqa: F401  (audit_checks registers the shared chk.* messages)
from pmprb.assessments.store.audit_log import Problem
from pmprb.assessments.store.models import AuditEvent
from pmprb.assessments.store.models.consensus import ConsensusItem
from pmprb.assessments.store.models.ratl import RatlItem

i18n.register({
    "cchk.what_item": {"id": "butir konsensus {criterion}", "en": "consensus item {criterion}"},
    "cchk.what_ratl": {"id": "butir RATL {criterion}", "en": "RATL item {criterion}"},
    "cchk.what_minutes": {"id": "data berita acara (nomor, tempat, Mengetahui)",
                          "en": "the minutes' particulars (number, place, signatory)"},
})

RATL_FIELDS = ("rencana_aksi", "output", "target_date")


def _last_by_item(evs: list[AuditEvent], prefix: str, actions: tuple[str, ...] | None = None) -> dict[int, tuple]:
    out: dict[int, tuple] = {}
    for ev in evs:
        if not ev.action.startswith(prefix) or (actions and ev.action not in actions):
            continue
        p = json.loads(ev.payload_json)
        if "item_id" in p:
            out[p["item_id"]] = (ev, p)
    return out


def _problem(check: str, what: str, field: str, stored, logged, ev: AuditEvent) -> Problem:
    return Problem(check, i18n.t("chk.mismatch", what=what, field=field, stored=stored, logged=logged), ev.seq, ev.action)


def check_consensus(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    last = _last_by_item(evs, "consensus.")
    problems = []
    seen = set()
    for item in session.exec(select(ConsensusItem).where(ConsensusItem.round_id == round_id)
                             .order_by(ConsensusItem.id)):
        seen.add(item.id)
        what = i18n.t("cchk.what_item", criterion=item.criterion_id)
        if item.id not in last:
            problems.append(Problem("consensus", i18n.t("chk.unlogged", what=what)))
            continue
        ev, p = last[item.id]
        expected = {"criterion": item.criterion_id, "state": item.state, "version": item.version}
        if item.state == "resolved":
            data = p.get("data", {})
            expected_logged = {"final_answer": data.get("final_answer"), "rationale": data.get("rationale"),
                               "meeting_date": data.get("meeting_date")}
            stored = {"final_answer": item.final_answer, "rationale": item.rationale,
                      "meeting_date": item.meeting_date.isoformat() if item.meeting_date else None}
            for field, value in stored.items():
                if value != expected_logged[field]:
                    problems.append(_problem("consensus", what, field, value, expected_logged[field], ev))
        for field, value in expected.items():
            if p.get(field) != value:
                problems.append(_problem("consensus", what, field, value, p.get(field), ev))
    for item_id, (ev, p) in last.items():
        if item_id not in seen:
            what = i18n.t("cchk.what_item", criterion=p.get("criterion"))
            problems.append(Problem("consensus", i18n.t("chk.deleted", what=what), ev.seq, ev.action))
    return problems


def check_ratl(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    moves = _last_by_item(evs, "ratl.", ("ratl.transition",))
    edits: dict[tuple[int, str], tuple] = {}
    for ev in evs:
        if ev.action == "ratl.update":
            p = json.loads(ev.payload_json)
            for field, change in (p.get("changes") or {}).items():
                edits[p["item_id"], field] = (ev, change["to"])
    problems = []
    for item in session.exec(select(RatlItem).where(RatlItem.round_id == round_id).order_by(RatlItem.id)):
        what = i18n.t("cchk.what_ratl", criterion=item.criterion_id)
        logged = moves.get(item.id)
        logged_state = logged[1]["to"] if logged else "planned"
        if item.state != logged_state:
            ev = logged[0] if logged else None
            problems.append(Problem("ratl", i18n.t("chk.mismatch", what=what, field="state", stored=item.state,
                                                   logged=logged_state), ev.seq if ev else None,
                                    ev.action if ev else None))
        for field in RATL_FIELDS:
            if (item.id, field) not in edits:
                continue
            ev, value = edits[item.id, field]
            stored = getattr(item, field)
            stored = stored.isoformat() if field == "target_date" else stored
            if stored != value:
                problems.append(_problem("ratl", what, field, stored, value, ev))
    return problems


def check_minutes(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    """The berita acara's number, place and signatory against the last consensus.minutes event."""
    from pmprb.assessments.coordinate import minutes
    from pmprb.assessments.store.models.minutes import RoundMinutes

    if round_id is None:
        return []
    what = i18n.t("cchk.what_minutes")
    last = None
    for ev in evs:
        if ev.action == "consensus.minutes":
            last = (ev, json.loads(ev.payload_json).get("minutes") or {})
    row = session.get(RoundMinutes, round_id)
    if row is None:
        return [Problem("minutes", i18n.t("chk.deleted", what=what), last[0].seq, last[0].action)] if last else []
    if last is None:
        return [Problem("minutes", i18n.t("chk.unlogged", what=what))]
    ev, logged = last
    stored = minutes.to_dict(session, row)
    return [_problem("minutes", what, field, stored[field], logged.get(field), ev)
            for field in ("number", "place", "acknowledged_by", "version") if stored[field] != logged.get(field)]
