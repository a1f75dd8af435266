"""Evidence (bukti dukung): a content-addressed file store plus the records
that say which document supports which criterion.

Files are copied into the store under their SHA-256
(``<store>/sha256/ab/cd/abcd…``), so the same file added twice is stored
once and a stored file can always be checked against its hash. The store
sits beside the SQLite database (``<db>.evidence/``) or where
``PMPRB_EVIDENCE_DIR`` says.

A document is identified in a round by (unit, key), the key being its
number when given, else its file name or URL. Adding a changed file (or
changed title/number/date) under the same key makes a new revision; adding
it unchanged only links it to more criteria.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import func
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.errors import ForbiddenError, NotFoundError, StateError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.setup.assignments import assigned_areas
from pmprb.assessments.store.models import AssessmentRound, Evidence, EvidenceLink, EvidenceRevision, Person, WorkUnit, utcnow
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.assess.worksheet_lock import require_editable
from pmprb.assessments.setup.round_work import RoundWork, begin
from pmprb.assessments.store.ledger import Rows, insert_rows

# Road Map RB and RPJMD documents span five years, so a document from up to
# five years before the round year can still be valid evidence.
YEARS_BACK = 5
CHUNK = 1 << 20

i18n.register({
    "ev.missing": {"id": "berkas tidak ditemukan: {path}", "en": "file not found: {path}"},
    "ev.not_file": {"id": "bukan berkas biasa: {path}", "en": "not a regular file: {path}"},
    "ev.unreadable": {"id": "berkas tidak dapat dibaca: {path} ({error})", "en": "cannot read file: {path} ({error})"},
    "ev.file_or_url": {"id": "berikan berkas atau --url, tidak keduanya dan tidak kosong",
                       "en": "give files or --url, not both and not neither"},
    "ev.bad_url": {"id": "URL tidak valid {url!r}: harus http:// atau https:// dengan nama host",
                   "en": "invalid URL {url!r}: must be http:// or https:// with a host name"},
    "ev.no_title": {"id": "judul dokumen wajib diisi (--title)", "en": "a document title is required (--title)"},
    "ev.no_date": {"id": "tanggal dokumen wajib diisi (--date YYYY-MM-DD)",
                   "en": "a document date is required (--date YYYY-MM-DD)"},
    "ev.future": {"id": "tanggal dokumen {date} ada di masa depan (hari ini {today})",
                  "en": "document date {date} is in the future (today is {today})"},
    "ev.window": {
        "id": "tanggal dokumen {date} di luar rentang yang berlaku untuk ronde {code} (tahun {year}): "
              "{start} s.d. {end}",
        "en": "document date {date} is outside the window valid for round {code} (year {year}): {start} to {end}",
    },
    "ev.no_criteria": {"id": "sebutkan minimal satu kriteria (--criterion)",
                       "en": "name at least one criterion (--criterion)"},
    "ev.final": {"id": "ronde {code} sudah final; bukti tidak dapat ditambah (buka kembali ronde dengan alasan)",
                 "en": "round {code} is final; evidence cannot be added (reopen the round with a reason)"},
    "ev.not_assigned": {
        "id": "{who} tidak ditugaskan untuk area {area} pada unit {unit} (kriteria {criterion})",
        "en": "{who} is not assigned area {area} of unit {unit} (criterion {criterion})",
    },
    "ev.number_many": {"id": "--number hanya berlaku untuk satu berkas; tambahkan berkas satu per satu",
                       "en": "--number applies to one file only; add the files one at a time"},
})


# ---------------------------------------------------------------------------
# the file store


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    storage_path: str  # relative to the store root
    size: int
    new: bool          # False when the content was already stored


class EvidenceStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def relative_path(self, sha256: str) -> str:
        return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path_of(self, storage_path: str) -> Path:
        return self.root / storage_path

    def put(self, source: str | Path) -> StoredFile:
        """Copy ``source`` into the store (once per content); atomic: a
        crash leaves either no file or the complete one."""
        src = check_readable(source)
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as out, src.open("rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            rel = self.relative_path(sha)
            dest = self.root / rel
            if dest.exists() and file_sha256(dest) == sha:
                return StoredFile(sha, rel, size, new=False)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)
            os.replace(tmp, dest)
            tmp = None
            return StoredFile(sha, rel, size, new=True)
        except OSError as exc:
            raise ValidationError(i18n.t("ev.unreadable", path=src, error=exc.strerror or exc)) from None
        finally:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_readable(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists():
        raise NotFoundError(i18n.t("ev.missing", path=p))
    if not p.is_file():
        raise ValidationError(i18n.t("ev.not_file", path=p))
    try:
        with p.open("rb") as f:
            f.read(1)
    except OSError as exc:
        raise ValidationError(i18n.t("ev.unreadable", path=p, error=exc.strerror or exc)) from None
    return p


def check_url(url: str) -> str:
    url = (url or "").strip()
    u = urlparse(url)
    if u.scheme not in ("http", "https") or not u.netloc:
        raise ValidationError(i18n.t("ev.bad_url", url=url))
    return url


def date_window(rnd: AssessmentRound) -> tuple[date, date]:
    """Document dates valid for a round: 1 January of (year − 5) to
    31 December of the round year (and never after today)."""
    return date(rnd.year - YEARS_BACK, 1, 1), date(rnd.year, 12, 31)


def check_document_date(rnd: AssessmentRound, when: date | None, today: date | None = None) -> date:
    if when is None:
        raise ValidationError(i18n.t("ev.no_date"))
    today = today or date.today()
    if when > today:
        raise ValidationError(i18n.t("ev.future", date=when.isoformat(), today=today.isoformat()))
    start, end = date_window(rnd)
    if not start <= when <= end:
        raise ValidationError(i18n.t("ev.window", date=when.isoformat(), code=rnd.code, year=rnd.year,
                                     start=start.isoformat(), end=end.isoformat()))
    return when


# ---------------------------------------------------------------------------
# records


@dataclass
class AddResult:
    evidence: Evidence
    revision: EvidenceRevision
    new_revision: bool
    stored_new_file: bool
    linked: list[str] = field(default_factory=list)


def add_evidence(session: Session, store: EvidenceStore, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, *,
                 criteria: list[str], title: str, document_date: date | None, number: str | None = None,
                 file: str | Path | None = None, url: str | None = None, today: date | None = None) -> AddResult:
    """Add one document (a file or a URL) supporting ``criteria`` of ``unit``, as one operation."""
    require(actor, "evidence.write")
    (result,) = add_many(begin(session, actor, rnd), store, unit, [NewDocument(
        criteria=criteria, title=title, document_date=document_date, number=number, file=file, url=url)],
        today=today)
    return result


@dataclass
class NewDocument:
    """One document to add: a file or a URL, with what it is and which criteria it supports."""

    criteria: list[str]
    title: str
    document_date: date | None
    number: str | None = None
    file: str | Path | None = None
    url: str | None = None


def add_many(work: RoundWork, store: EvidenceStore, unit: WorkUnit, docs: list[NewDocument], *,
             today: date | None = None) -> list[AddResult]:
    """Add documents of one unit inside the operation ``work``, as one act:
    new evidence rows (or new revisions of documents already there under the
    same key) and their links, each table written with one multi-row
    statement, and one ``evidence.add`` audit event recording every row."""
    session, actor, rnd, inst = work.session, work.actor, work.round, work.instrument
    require(actor, "evidence.write")
    if rnd.state == "final":
        raise StateError(i18n.t("ev.final", code=rnd.code))
    require_editable(work, unit, evidence=True)
    areas = None if actor.has("koordinator") else assigned_areas(session, rnd, unit.id, actor.id)
    checked = []
    for d in docs:
        if (d.file is None) == (d.url is None):
            raise ValidationError(i18n.t("ev.file_or_url"))
        title = (d.title or "").strip()
        if not title:
            raise ValidationError(i18n.t("ev.no_title"))
        if not d.criteria:
            raise ValidationError(i18n.t("ev.no_criteria"))
        number = (d.number or "").strip() or None
        when = check_document_date(rnd, d.document_date, today)
        wanted = list(dict.fromkeys(inst.criterion(c.strip()).id for c in d.criteria))
        for cid in wanted if areas is not None else ():
            if inst.criteria[cid].area not in areas:
                raise ForbiddenError(i18n.t("ev.not_assigned", who=actor.describe(), area=inst.criteria[cid].area,
                                            unit=unit.code, criterion=cid))
        url = check_url(d.url) if d.url is not None else None
        if d.file is not None:
            check_readable(d.file)
        checked.append((d, title, number, when, wanted, url))
    # Files go into the content-addressed store first (idempotent); the rows follow in one go.
    prepared = []
    for d, title, number, when, wanted, url in checked:
        if d.file is not None:
            stored = store.put(d.file)
            file_info = (stored.sha256, stored.storage_path, stored.size, Path(d.file).name, stored.new)
        else:
            file_info = (hashlib.sha256(url.encode()).hexdigest(), None, None, None, False)
        sha, storage_path, size, original, stored_new = file_info
        prepared.append(dict(key=number or original or url, sha=sha, storage_path=storage_path, size=size,
                             original=original, stored_new=stored_new, title=title, number=number, when=when,
                             wanted=wanted, url=url))

    now = utcnow()
    rows = Rows()
    keys = list(dict.fromkeys(p["key"] for p in prepared))
    existing = {e.key: e for e in session.exec(select(Evidence).where(
        Evidence.round_id == rnd.id, Evidence.unit_id == unit.id, Evidence.key.in_(keys)))}
    new_keys = [k for k in keys if k not in existing]
    new_rows = [dict(round_id=rnd.id, unit_id=unit.id, key=k, created_at=now, created_by_id=actor.id) for k in new_keys]
    for k, new_id in zip(new_keys, insert_rows(session, Evidence, new_rows, key=("key",), record=rows)):
        existing[k] = Evidence(id=new_id, round_id=rnd.id, unit_id=unit.id, key=k, created_at=now,
                               created_by_id=actor.id)
    ids = [existing[k].id for k in keys]
    latest: dict[int, EvidenceRevision] = {}
    for rev in session.exec(select(EvidenceRevision).where(EvidenceRevision.evidence_id.in_(ids))
                            .order_by(EvidenceRevision.evidence_id, EvidenceRevision.revision)):
        latest[rev.evidence_id] = rev
    linked_before: dict[int, set[str]] = {}
    for ev_id, cid in session.exec(select(EvidenceLink.evidence_id, EvidenceLink.criterion_id)
                                   .where(EvidenceLink.evidence_id.in_(ids))):
        linked_before.setdefault(ev_id, set()).add(cid)

    revisions: list[dict] = []
    links: list[dict] = []
    plan = []
    for p_ in prepared:
        ev = existing[p_["key"]]
        last = latest.get(ev.id)
        same = last is not None and (last.sha256, last.number, last.title, last.document_date, last.url) == \
            (p_["sha"], p_["number"], p_["title"], p_["when"], p_["url"])
        if not same:
            rev = dict(evidence_id=ev.id, revision=(last.revision + 1) if last else 1, sha256=p_["sha"],
                       number=p_["number"], title=p_["title"], document_date=p_["when"], uploaded_at=now,
                       uploaded_by_id=actor.id, original_name=p_["original"], size=p_["size"],
                       storage_path=p_["storage_path"], url=p_["url"])
            revisions.append(rev)
            latest[ev.id] = EvidenceRevision(id=None, **rev)
        have = linked_before.setdefault(ev.id, set())
        new_links = [c for c in p_["wanted"] if c not in have]
        have.update(new_links)
        links.extend(dict(evidence_id=ev.id, criterion_id=c, created_at=now, created_by_id=actor.id)
                     for c in new_links)
        plan.append((p_, ev, not same, new_links))
    for rev_cols, rev_id in zip(revisions, insert_rows(session, EvidenceRevision, revisions,
                                                       key=("evidence_id", "revision"), record=rows)):
        latest[rev_cols["evidence_id"]].id = rev_id
    insert_rows(session, EvidenceLink, links, key=("evidence_id", "criterion_id"), record=rows)

    results, logged = [], []
    for p_, ev, new_revision, new_links in plan:
        rev = latest[ev.id]
        results.append(AddResult(evidence=ev, revision=rev, new_revision=new_revision,
                                 stored_new_file=p_["stored_new"], linked=new_links))
        if new_revision or new_links:
            logged.append({"evidence_id": ev.id, "key": ev.key, "revision": rev.revision, "revision_id": rev.id,
                           "new_revision": new_revision, "sha256": rev.sha256, "number": rev.number,
                           "title": rev.title,
                           "document_date": rev.document_date.isoformat() if rev.document_date else None,
                           "original_name": rev.original_name, "size": rev.size, "storage_path": rev.storage_path,
                           "url": rev.url, "linked": new_links})
    if logged:
        audit_log.append(session, round_id=rnd.id, actor=actor.username, action="evidence.add", when=now,
                         payload={"unit": unit.code, "documents": logged}, rows=rows)
        work.forget(unit.id)
    return results


def latest_revision(session: Session, evidence_id: int) -> EvidenceRevision | None:
    return session.exec(select(EvidenceRevision).where(EvidenceRevision.evidence_id == evidence_id)
                        .order_by(EvidenceRevision.revision.desc())).first()


def evidence_counts(session: Session, rnd: AssessmentRound, unit_id: int) -> dict[str, int]:
    """Documents supporting each criterion of a unit (the evaluator's ``evidence``)."""
    rows = session.exec(
        select(EvidenceLink.criterion_id, func.count(EvidenceLink.id)).join(Evidence, Evidence.id == EvidenceLink.evidence_id)
        .where(Evidence.round_id == rnd.id, Evidence.unit_id == unit_id).group_by(EvidenceLink.criterion_id)).all()
    return {cid: int(n) for cid, n in rows}


def list_evidence(session: Session, rnd: AssessmentRound, *, unit: WorkUnit | None = None,
                  criterion: str | None = None) -> list[dict]:
    """One row per document (its latest revision) and the criteria it supports."""
    q = (select(Evidence, WorkUnit.code).join(WorkUnit, WorkUnit.id == Evidence.unit_id)
         .where(Evidence.round_id == rnd.id))
    if unit is not None:
        q = q.where(Evidence.unit_id == unit.id)
    if criterion:
        q = q.where(Evidence.id.in_(select(EvidenceLink.evidence_id).where(EvidenceLink.criterion_id == criterion)))
    rows = []
    for ev, unit_code in session.exec(q.order_by(WorkUnit.code, Evidence.key)).all():
        rev = latest_revision(session, ev.id)
        links = sorted(session.exec(select(EvidenceLink.criterion_id).where(EvidenceLink.evidence_id == ev.id)))
        uploader = session.get(Person, rev.uploaded_by_id)
        rows.append({
            "id": ev.id, "unit": unit_code, "key": ev.key, "criteria": links, "revision": rev.revision,
            "number": rev.number, "title": rev.title,
            "document_date": rev.document_date.isoformat() if rev.document_date else None,
            "sha256": rev.sha256, "original_name": rev.original_name, "size": rev.size,
            "storage_path": rev.storage_path, "url": rev.url, "uploaded_at": rev.uploaded_at.isoformat(),
            "uploaded_by": uploader.username if uploader else None,
        })
    return rows
