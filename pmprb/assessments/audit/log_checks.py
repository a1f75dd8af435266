"""Checks that compare a round's current data with what its audit log says
was written. Listed in :data:`pmprb.assessments.wiring.VERIFY_CHECKS`.

Each finding names the audit event the data no longer matches, so an
answer edited directly in the database is reported as, e.g., "event 17
(answer.save): answer MP.1.a … stored 'A' but the event records 'C'".
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.canonical import sha256_hex
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.audit_log import Problem
from pmprb.assessments.store.decision_records import record_hash
from pmprb.assessments.store.models import Answer, AssessmentRound, AuditEvent, DecisionRecord, Evidence, EvidenceLink, EvidenceRevision, \
    Person, WorkUnit, Worksheet

i18n.register({
    "chk.instrument": {
        "id": "JSON instrumen yang tersimpan (sha256 {actual}) tidak cocok dengan revisi ronde {stored}",
        "en": "the stored instrument JSON (sha256 {actual}) does not match the round's revision {stored}",
    },
    "chk.round_field": {
        "id": "ronde: {field} tersimpan {stored!r} tetapi event mencatat {logged!r}",
        "en": "round: {field} is stored as {stored!r} but the event records {logged!r}",
    },
    "chk.no_create": {"id": "ronde tidak memiliki event round.create", "en": "the round has no round.create event"},
    "chk.mismatch": {
        "id": "{what}: {field} tersimpan {stored!r} tetapi event mencatat {logged!r}",
        "en": "{what}: {field} is stored as {stored!r} but the event records {logged!r}",
    },
    "chk.unlogged": {
        "id": "{what} tidak memiliki event audit (ditulis di luar pmprb)",
        "en": "{what} has no audit event (written outside pmprb)",
    },
    "chk.deleted": {
        "id": "{what} tercatat di log tetapi tidak ada lagi di basis data (dihapus di luar pmprb)",
        "en": "{what} is in the log but no longer in the database (deleted outside pmprb)",
    },
    "chk.what_answer": {"id": "jawaban {criterion} unit {unit} asesor {assessor}",
                        "en": "answer {criterion} of unit {unit} by {assessor}"},
    "chk.what_ws": {"id": "kertas kerja {assessor}/{unit}", "en": "worksheet {assessor}/{unit}"},
    "chk.what_ev": {"id": "bukti {doc} (unit {unit}) revisi {revision}", "en": "evidence {doc} (unit {unit}) revision {revision}"},
    "chk.what_link": {"id": "tautan bukti {doc} ke {criterion}", "en": "evidence link {doc} to {criterion}"},
    "chk.what_decision": {"id": "catatan keputusan {decision_id} ({criterion})",
                          "en": "decision record {decision_id} ({criterion})"},
})


def _payloads(evs: list[AuditEvent], action: str):
    for ev in evs:
        if ev.action == action:
            yield ev, json.loads(ev.payload_json)


def _p(check: str, message: str, ev: AuditEvent | None = None) -> Problem:
    return Problem(check, message, ev.seq if ev else None, ev.action if ev else None)


def check_round(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    """The pinned instrument still matches its revision; the round's state and
    identity match the log."""
    if round_id is None:
        return []
    rnd = session.get(AssessmentRound, round_id)
    problems = []
    actual = sha256_hex(rnd.instrument_json)
    if actual != rnd.instrument_revision:
        problems.append(_p("instrument", i18n.t("chk.instrument", actual=actual[:12], stored=rnd.instrument_revision[:12])))
    created = next(_payloads(evs, "round.create"), None)
    if created is None:
        return problems + [_p("round", i18n.t("chk.no_create"))]
    ev, p = created
    for field, stored in (("code", rnd.code), ("year", rnd.year), ("instrument_revision", rnd.instrument_revision)):
        if p.get(field) != stored:
            problems.append(_p("round", i18n.t("chk.round_field", field=field, stored=stored, logged=p.get(field)), ev))
    last_ev, state = ev, "draft"
    for ev, p in _payloads(evs, "round.transition"):
        last_ev, state = ev, p["to"]
    if rnd.state != state:
        problems.append(_p("round", i18n.t("chk.round_field", field="state", stored=rnd.state, logged=state), last_ev))
    return problems


def _names(session: Session, model, ids) -> dict[int, str]:
    field = model.code if model is WorkUnit else model.username
    return {i: n for i, n in session.exec(select(model.id, field).where(model.id.in_(set(ids))))} if ids else {}


def check_answers(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    rows = list(session.exec(select(Answer).where(Answer.round_id == round_id)))
    units = _names(session, WorkUnit, [a.unit_id for a in rows])
    people = _names(session, Person, [a.assessor_id for a in rows])
    last: dict[int, tuple[AuditEvent, dict]] = {}
    for ev, p in _payloads(evs, "answer.save"):
        last[p["answer_id"]] = (ev, p)
    problems = []
    for a in sorted(rows, key=lambda r: r.id):
        what = i18n.t("chk.what_answer", criterion=a.criterion_id, unit=units.get(a.unit_id),
                      assessor=people.get(a.assessor_id))
        logged = last.pop(a.id, None)
        if logged is None:
            problems.append(_p("answers", i18n.t("chk.unlogged", what=what)))
            continue
        ev, p = logged
        for field, stored, want in (("answer", a.answer, p["answer"]), ("note", a.note, p["note"]),
                                    ("version", a.version, p["version"]), ("criterion", a.criterion_id, p["criterion"]),
                                    ("unit", units.get(a.unit_id), p["unit"]),
                                    ("assessor", people.get(a.assessor_id), p["assessor"])):
            if stored != want:
                problems.append(_p("answers", i18n.t("chk.mismatch", what=what, field=field, stored=stored,
                                                     logged=want), ev))
    for answer_id, (ev, p) in sorted(last.items()):
        what = i18n.t("chk.what_answer", criterion=p["criterion"], unit=p["unit"], assessor=p["assessor"])
        problems.append(_p("answers", i18n.t("chk.deleted", what=what), ev))
    return problems


def check_worksheets(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    last: dict[int, tuple[AuditEvent, dict]] = {}
    for ev, p in _payloads(evs, "worksheet.transition"):
        last[p["worksheet_id"]] = (ev, p)
    problems = []
    for ws, unit, user in session.exec(
            select(Worksheet, WorkUnit.code, Person.username).join(WorkUnit, WorkUnit.id == Worksheet.unit_id)
            .join(Person, Person.id == Worksheet.assessor_id).where(Worksheet.round_id == round_id)
            .order_by(Worksheet.id)).all():
        ev, p = last.get(ws.id, (None, {"to": "in_progress"}))
        if ws.state != p["to"]:
            problems.append(_p("worksheets", i18n.t("chk.mismatch", what=i18n.t("chk.what_ws", assessor=user, unit=unit),
                                                    field="state", stored=ws.state, logged=p["to"]), ev))
    return problems


def check_evidence(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    logged: dict[int, tuple[AuditEvent, dict]] = {}
    links_logged: dict[tuple[int, str], AuditEvent] = {}
    for ev, p in _payloads(evs, "evidence.add"):
        if p["new_revision"]:
            logged[p["revision_id"]] = (ev, p)
        for cid in p["linked"]:
            links_logged[(p["evidence_id"], cid)] = ev
    problems = []
    rows = session.exec(
        select(EvidenceRevision, Evidence, WorkUnit.code).join(Evidence, Evidence.id == EvidenceRevision.evidence_id)
        .join(WorkUnit, WorkUnit.id == Evidence.unit_id).where(Evidence.round_id == round_id)
        .order_by(EvidenceRevision.id)).all()
    keys = {}
    for rev, ev_row, unit in rows:
        keys[ev_row.id] = ev_row.key
        what = i18n.t("chk.what_ev", doc=ev_row.key, unit=unit, revision=rev.revision)
        entry = logged.pop(rev.id, None)
        if entry is None:
            problems.append(_p("evidence", i18n.t("chk.unlogged", what=what)))
            continue
        ev, p = entry
        stored_date = rev.document_date.isoformat() if rev.document_date else None
        for field, stored, want in (("sha256", rev.sha256, p["sha256"]), ("number", rev.number, p["number"]),
                                    ("title", rev.title, p["title"]), ("document_date", stored_date, p["document_date"]),
                                    ("storage_path", rev.storage_path, p["storage_path"]), ("url", rev.url, p["url"]),
                                    ("key", ev_row.key, p["key"]), ("unit", unit, p["unit"]),
                                    ("revision", rev.revision, p["revision"])):
            if stored != want:
                problems.append(_p("evidence", i18n.t("chk.mismatch", what=what, field=field, stored=stored,
                                                      logged=want), ev))
    for _rid, (ev, p) in sorted(logged.items()):
        problems.append(_p("evidence", i18n.t("chk.deleted", what=i18n.t("chk.what_ev", doc=p["key"], unit=p["unit"],
                                                                         revision=p["revision"])), ev))
    for link, ev_row_id in session.exec(
            select(EvidenceLink, Evidence.id).join(Evidence, Evidence.id == EvidenceLink.evidence_id)
            .where(Evidence.round_id == round_id).order_by(EvidenceLink.id)).all():
        if links_logged.pop((ev_row_id, link.criterion_id), None) is None:
            problems.append(_p("evidence", i18n.t("chk.unlogged", what=i18n.t(
                "chk.what_link", doc=keys.get(ev_row_id, ev_row_id), criterion=link.criterion_id))))
    for (ev_id, cid), ev in sorted(links_logged.items()):
        problems.append(_p("evidence", i18n.t("chk.deleted", what=i18n.t("chk.what_link", doc=keys.get(ev_id, ev_id),
                                                                         criterion=cid)), ev))
    return problems


def check_decisions(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    logged: dict[str, tuple[AuditEvent, str]] = {}
    for ev, p in _payloads(evs, "decision.record"):
        for decision_id, h in p["records"].items():
            logged[decision_id] = (ev, h)
    problems = []
    for rec in session.exec(select(DecisionRecord).where(DecisionRecord.round_id == round_id)
                            .order_by(DecisionRecord.id)):
        what = i18n.t("chk.what_decision", decision_id=rec.decision_id, criterion=rec.criterion_id)
        entry = logged.pop(rec.decision_id, None)
        if entry is None:
            problems.append(_p("decisions", i18n.t("chk.unlogged", what=what)))
        elif record_hash(rec) != entry[1]:
            problems.append(_p("decisions", i18n.t("chk.mismatch", what=what, field="sha256", stored=record_hash(rec)[:12],
                                                   logged=entry[1][:12]), entry[0]))
    for decision_id, (ev, _h) in sorted(logged.items()):
        problems.append(_p("decisions", i18n.t("chk.deleted", what=decision_id), ev))
    return problems
