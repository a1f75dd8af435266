"""Verification checks for what lives outside the audit log's payloads:
evidence files on disk, round snapshots, and where an edited instrument was
changed. Listed in :data:`pmprb.assessments.wiring.VERIFY_CHECKS`.

- ``instrument``: the round's pinned instrument JSON still hashes to its
  revision.
- ``evidence_files``: every stored evidence revision's file, and every file
  proving a RATL action done, is present in the evidence store and still
  hashes to its recorded SHA-256 (the recorded hashes themselves are checked
  against their audit events by ``evidence``).
- ``snapshots``: each round snapshot still hashes to its recorded hash and
  to the hash its ``round.transition`` event logged.
- ``final_results``: each frozen final result still hashes to its recorded
  hash and to the one its ``final.freeze`` event logged, and its headline
  columns (Pengungkit, Hasil, Indeks, grade) equal the figures in its JSON.
  (Whether those figures follow from the decisions is ``audit replay``'s job.)
- ``instrument_changes``: when the stored instrument JSON no longer matches
  its revision (``round`` reports that), name the criteria and fields that
  differ, if the bundled instrument of the same id has exactly the pinned
  revision to compare with.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.canonical import sha256_hex
from pmprb.engine import scoring
from pmprb.assessments.store.audit_log import Problem
from pmprb.assessments.store.db import evidence_dir
from pmprb.assessments.assess.evidence import file_sha256
from pmprb.assessments.store.models import AssessmentRound, AuditEvent, Evidence, EvidenceRevision, RoundSnapshot, WorkUnit
from pmprb.assessments.store.models.final_result import FinalResult
from pmprb.assessments.store.models.ratl import RatlItem

MAX_PATHS = 12

def _p(check: str, message: str, ev: AuditEvent | None = None) -> Problem:
    return Problem(check, message, ev.seq if ev else None, ev.action if ev else None)


def store_root(session: Session) -> Path:
    """The evidence store of the database this session is bound to."""
    return evidence_dir(session.get_bind().url.render_as_string(hide_password=False))


def check_instrument(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    """The round's pinned instrument JSON still hashes to its revision."""
    if round_id is None:
        return []
    rnd = session.get(AssessmentRound, round_id)
    actual = sha256_hex(rnd.instrument_json)
    if actual == rnd.instrument_revision:
        return []
    return [_p("instrument", i18n.t("chk.instrument", actual=actual[:12], stored=rnd.instrument_revision[:12]))]


def check_evidence_files(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    root = store_root(session)
    hashes: dict[Path, str | OSError | None] = {}  # one read per file: revisions may share content
    files: list[tuple[str, str, str]] = []          # (what, storage path, recorded sha256)
    for rev, key, unit in session.exec(
            select(EvidenceRevision, Evidence.key, WorkUnit.code)
            .join(Evidence, Evidence.id == EvidenceRevision.evidence_id).join(WorkUnit, WorkUnit.id == Evidence.unit_id)
            .where(Evidence.round_id == round_id, EvidenceRevision.storage_path.is_not(None))
            .order_by(EvidenceRevision.id)).all():
        files.append((i18n.t("ichk.what_file", doc=key, unit=unit, revision=rev.revision, title=rev.title),
                      rev.storage_path, rev.sha256))
    for item in session.exec(select(RatlItem).where(RatlItem.round_id == round_id,
                                                    RatlItem.done_evidence_path.is_not(None))
                             .order_by(RatlItem.id)):
        files.append((i18n.t("ichk.what_ratl_file", criterion=item.criterion_id, reference=item.done_evidence),
                      item.done_evidence_path, item.done_evidence_sha256))
    problems = []
    for what, storage_path, recorded in files:
        path = root / storage_path
        if path not in hashes:
            try:
                hashes[path] = file_sha256(path) if path.is_file() else None
            except OSError as exc:
                hashes[path] = exc
        actual = hashes[path]
        if actual is None:
            problems.append(_p("evidence_files", i18n.t("ichk.file_missing", what=what, path=path)))
        elif isinstance(actual, OSError):
            problems.append(_p("evidence_files", i18n.t("ichk.file_unreadable", what=what, path=path,
                                                         error=i18n.os_error(actual))))
        elif actual != recorded:
            problems.append(_p("evidence_files", i18n.t("ichk.file_changed", what=what, path=path,
                                                         actual=actual[:12], stored=(recorded or "-")[:12])))
    return problems


def check_snapshots(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    logged: dict[int, tuple[AuditEvent, str]] = {}
    for ev in evs:
        if ev.action == "round.transition":
            snap = json.loads(ev.payload_json).get("snapshot")
            if snap:
                logged[snap["id"]] = (ev, snap["sha256"])
    problems = []
    for snap in session.exec(select(RoundSnapshot).where(RoundSnapshot.round_id == round_id)
                             .order_by(RoundSnapshot.id)):
        what = i18n.t("ichk.what_snap", id=snap.id, kind=snap.kind, at=snap.taken_at.isoformat(timespec="seconds"))
        actual = sha256_hex(snap.data_json)
        entry = logged.pop(snap.id, None)
        if actual != snap.data_hash:
            problems.append(_p("snapshots", i18n.t("ichk.snap_content", what=what, actual=actual[:12],
                                                    stored=snap.data_hash[:12]), entry[0] if entry else None))
        if entry is None:
            problems.append(_p("snapshots", i18n.t("chk.unlogged", what=what)))
        elif entry[1] != snap.data_hash:
            problems.append(_p("snapshots", i18n.t("chk.mismatch", what=what, field="sha256",
                                                    stored=snap.data_hash[:12], logged=entry[1][:12]), entry[0]))
    for snap_id, (ev, _h) in sorted(logged.items()):
        problems.append(_p("snapshots", i18n.t("chk.deleted", what=f"snapshot {snap_id}"), ev))
    return problems


def check_final_results(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    logged: dict[int, tuple[AuditEvent, dict]] = {}
    for ev in evs:
        if ev.action == "final.freeze":
            p = json.loads(ev.payload_json)
            logged[p["final_result_id"]] = (ev, p)
    problems = []
    for fr in session.exec(select(FinalResult).where(FinalResult.round_id == round_id).order_by(FinalResult.seq)):
        what = i18n.t("ichk.what_final", seq=fr.seq)
        entry = logged.pop(fr.id, None)
        ev = entry[0] if entry else None
        actual = sha256_hex(fr.result_json)
        if actual != fr.result_hash:
            problems.append(_p("final_results", i18n.t("ichk.final_content", what=what, actual=actual[:12],
                                                        stored=fr.result_hash[:12]), ev))
        if entry is None:
            problems.append(_p("final_results", i18n.t("chk.unlogged", what=what)))
        else:
            p = entry[1]
            for field, stored, want in (("result_sha256", fr.result_hash, p.get("result_sha256")),
                                        ("seq", fr.seq, p.get("seq")), ("indeks_rb", fr.indeks_rb, p.get("indeks_rb")),
                                        ("grade", fr.grade, p.get("grade"))):
                if stored != want:
                    problems.append(_p("final_results", i18n.t("chk.mismatch", what=what, field=field, stored=stored,
                                                                logged=want), ev))
        try:
            score = json.loads(fr.result_json).get("score", {})
        except ValueError:
            continue  # reported above: the text no longer matches its hash
        try:
            score = scoring.stored_columns(score)
        except (KeyError, TypeError, AttributeError):
            score = {}
        for field in ("pengungkit", "hasil", "indeks_rb", "grade"):
            if getattr(fr, field) != score.get(field):
                problems.append(_p("final_results", i18n.t("ichk.final_column", what=what, field=field,
                                                            stored=getattr(fr, field), data=score.get(field)), ev))
    for _id, (ev, p) in sorted(logged.items()):
        problems.append(_p("final_results", i18n.t("chk.deleted", what=i18n.t("ichk.what_final", seq=p.get("seq"))),
                           ev))
    return problems


def check_instrument_changes(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is None:
        return []
    rnd = session.get(AssessmentRound, round_id)
    if sha256_hex(rnd.instrument_json) == rnd.instrument_revision:
        return []
    reference = _reference_data(rnd.instrument_id, rnd.instrument_revision)
    if reference is None:
        return [_p("instrument_changes", i18n.t("ichk.instrument_unknown", rev=rnd.instrument_revision[:12]))]
    try:
        stored = json.loads(rnd.instrument_json)
    except ValueError:
        stored = None
    paths = changed_paths(reference, stored)
    shown = ", ".join(paths[:MAX_PATHS]) + (f", … (+{len(paths) - MAX_PATHS})" if len(paths) > MAX_PATHS else "")
    return [_p("instrument_changes", i18n.t("ichk.instrument_paths", paths=shown or "?", id=rnd.instrument_id,
                                            rev=rnd.instrument_revision[:12]))]


def _reference_data(instrument_id: str, revision: str) -> dict | None:
    """The bundled instrument, only if it is exactly the pinned revision: used
    to name what changed, never to decide anything."""
    from pmprb.engine.instrument import load_instrument

    try:
        inst = load_instrument(instrument_id)
    except Exception:
        return None
    return inst.data if inst.revision == revision else None


def changed_paths(a, b, path: str = "") -> list[str]:
    """JSON paths where ``a`` and ``b`` differ; list items that carry an ``id``
    or ``code`` are named by it (``criteria[MP.1.a].text``)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            sub = f"{path}.{key}" if path else key
            if key not in a or key not in b:
                out.append(sub)
            else:
                out.extend(changed_paths(a[key], b[key], sub))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            name = x.get("id") or x.get("code") if isinstance(x, dict) else None
            out.extend(changed_paths(x, y, f"{path}[{name or i}]"))
        return out
    return [] if a == b and type(a) is type(b) else [path or "(root)"]
