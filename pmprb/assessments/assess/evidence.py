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

What a document is comes from its title, number and date read as a citation
(:func:`pmprb.engine.citations.from_record`): every added document reports
what was understood, and warnings that do not stop it (an empty file, the
same content already stored under another document, a date that falls
outside the round's evaluation period as the rules will judge it). A
document may also be a citation alone, with no file or URL (an institution's
evidence table, ``pmprb evidence import``). :func:`unlink` removes links.
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
from pmprb.engine import codes
from pmprb.errors import ForbiddenError, NotFoundError, StateError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.setup.assignments import assigned_areas
from pmprb.assessments.store.models import (AssessmentRound, Evidence, EvidenceLink, EvidenceRevision, Person, WorkUnit,
                                            Worksheet, utcnow)
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.assess.worksheet_lock import require_editable
from pmprb.assessments.setup.round_work import RoundWork, begin
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.setup.rounds import evaluation_period
from pmprb.engine import citations
from pmprb.engine.evidence_messages import kind_name
from pmprb.engine.evidence_requirements import activity_kinds, statuses

# Road Map RB and RPJMD documents span five years: a document dated more than five years before
# the evaluation period is worth a second look (a warning, not a refusal).
YEARS_BACK = 5
CHUNK = 1 << 20

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
        crash leaves either no file or the complete one. A source that
        cannot be read is the user's (:class:`ValidationError`); a store
        that cannot be written (permission denied, disk full, read-only) is
        a named fault (:mod:`pmprb.faults`), naming the store."""
        src = check_readable(source)
        try:
            f = src.open("rb")
        except OSError as exc:
            raise ValidationError(i18n.t("ev.unreadable", path=src, error=exc.strerror or exc)) from None
        with f:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
            except OSError as exc:
                raise self._fault(exc) from None
            try:
                return self._copy(src, f, fd, tmp)
            except OSError as exc:
                raise self._fault(exc) from None
            finally:
                if os.path.exists(tmp):  # renamed on success; anything left is half-written
                    os.unlink(tmp)

    def _copy(self, src: Path, f, fd: int, tmp: str) -> StoredFile:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            while True:
                try:
                    chunk = f.read(CHUNK)
                except OSError as exc:
                    raise ValidationError(i18n.t("ev.unreadable", path=src, error=exc.strerror or exc)) from None
                if not chunk:
                    break
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
        return StoredFile(sha, rel, size, new=True)

    def _fault(self, exc: OSError):
        from pmprb import faults

        where = i18n.t("ev.store", path=self.root)
        return faults.from_os_error(exc, where, reading=False) or ValidationError(
            i18n.t("ev.store_failed", path=self.root, error=exc.strerror or exc))


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


def check_document_date(rnd: AssessmentRound, when: date | None, today: date | None = None,
                        required: bool = True) -> date | None:
    """A document date that can be true: given (unless not ``required``) and not after today.

    A date outside the round's evaluation period is not refused: a decree of 2015 may still be in
    force in 2024. :func:`document_warnings` says what the rules will make of it."""
    if when is None:
        if required:
            raise ValidationError(i18n.t("ev.no_date"))
        return None
    today = today or date.today()
    if when > today:
        raise ValidationError(i18n.t("ev.future", date=when.isoformat(), today=today.isoformat()))
    return when


def understood(number: str | None, title: str | None, when: date | None) -> list[dict]:
    """What a document's number, title and date say it is: the structured documents the rules read."""
    return citations.from_record(number, title, when)


def describe_document(doc: dict, lang: str | None = None) -> str:
    """One parsed document in words: "Keputusan Nomor 061/17/2015 tahun 2015 tentang ..."."""
    def part(key, cond, **kw):
        return i18n.t(key, lang=lang, **kw) if cond else ""
    when = part("ev.u.date", doc.get("date"), date=(doc.get("date") or "") + (
        f"–{doc['date_end']}" if doc.get("date_end") else "")) or part("ev.u.year", doc.get("year"), year=doc.get("year"))
    period = doc.get("period") or [None, None]
    return i18n.t("ev.understood", lang=lang, kind=kind_name(doc["kind"], lang),
                  issuer=part("ev.u.issuer", doc.get("issuer"), issuer=doc.get("issuer")),
                  number=part("ev.u.number", doc.get("number"), number=doc.get("number")), when=when,
                  period=part("ev.u.period", doc.get("period") and period[0] != period[1], start=period[0],
                              end=period[1]),
                  subject=part("ev.u.subject", doc.get("subject"), subject=doc.get("subject")),
                  amends=part("ev.u.amends", doc.get("amends") is not None,
                              n=(doc.get("amends") or 0) + 1))


def document_warnings(rnd: AssessmentRound, inst, docs: list[dict], when: date | None) -> list[str]:
    """What the rules will hold against a document's dates, said before it is stored: each parsed
    document outdated or future against the round's evaluation period (the statuses the evidence
    rules use), else a date far before the period."""
    period = evaluation_period(rnd)
    out = []
    activity = activity_kinds(inst.data)
    for d, st in zip(docs, statuses(docs, period, activity)):
        label = describe_document(d)
        if st == "outdated" and d["kind"] not in activity and d.get("period"):
            out.append(i18n.t("ev.warn.expired", doc=label, end=d["period"][1], period=period, code=rnd.code))
        elif st == "outdated":
            out.append(i18n.t("ev.warn.outdated", doc=label, period=period, code=rnd.code))
        elif st == "future":
            out.append(i18n.t("ev.warn.future", doc=label, period=period, code=rnd.code))
    if not out and when is not None and when.year < period - YEARS_BACK:
        out.append(i18n.t("ev.warn.old", doc=describe_document(docs[0]), date=when.isoformat(), years=YEARS_BACK,
                          period=period))
    return out


# ---------------------------------------------------------------------------
# records


@dataclass
class AddResult:
    evidence: Evidence
    revision: EvidenceRevision
    new_revision: bool
    stored_new_file: bool
    linked: list[str] = field(default_factory=list)
    understood: list[dict] = field(default_factory=list)   # what the title/number/date say it is
    warnings: list[str] = field(default_factory=list)      # said, not refused


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
    # A citation alone (no file, no URL): an institution's evidence table names its documents.
    citation_only: bool = False
    key: str | None = None        # the document's key when it is not the number/file name/URL


def add_many(work: RoundWork, store: EvidenceStore | None, unit: WorkUnit, docs: list[NewDocument], *,
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
    checked = []
    for d in docs:
        if d.citation_only:
            if d.file is not None or d.url is not None:
                raise ValidationError(i18n.t("ev.file_or_url"))
        elif (d.file is None) == (d.url is None):
            raise ValidationError(i18n.t("ev.file_or_url"))
        title = (d.title or "").strip()
        if not title:
            raise ValidationError(i18n.t("ev.no_title"))
        if not d.criteria:
            raise ValidationError(i18n.t("ev.no_criteria"))
        codes.check_length(title, "field.doc_title", codes.MAX_NAME)
        number = codes.check_length((d.number or "").strip() or None, "field.doc_number", codes.MAX_NUMBER)
        when = check_document_date(rnd, d.document_date, today, required=not d.citation_only)
        wanted = writable_check(work, unit, d.criteria)
        url = check_url(d.url) if d.url is not None else None
        if d.file is not None:
            check_readable(d.file)
        checked.append((d, title, number, when, wanted, url))
    # Files go into the content-addressed store first (idempotent); the rows follow in one go.
    prepared = []
    for d, title, number, when, wanted, url in checked:
        warnings = []
        if d.file is not None:
            stored = store.put(d.file)
            file_info = (stored.sha256, stored.storage_path, stored.size, Path(d.file).name, stored.new)
            if stored.size == 0:
                warnings.append(i18n.t("ev.warn.empty", path=d.file))
        elif url is not None:
            file_info = (hashlib.sha256(url.encode()).hexdigest(), None, None, None, False)
        else:  # a citation: its text is its content
            file_info = (hashlib.sha256(title.encode()).hexdigest(), None, None, None, False)
        sha, storage_path, size, original, stored_new = file_info
        docs_read = understood(number, title, when)
        warnings += document_warnings(rnd, inst, docs_read, when)
        prepared.append(dict(key=d.key or number or original or url or title, sha=sha, storage_path=storage_path,
                             size=size, original=original, stored_new=stored_new, title=title, number=number,
                             when=when, wanted=wanted, url=url, understood=docs_read, warnings=warnings))

    now = utcnow()
    rows = Rows()
    keys = list(dict.fromkeys(p["key"] for p in prepared))
    existing = {e.key: e for e in session.exec(select(Evidence).where(
        Evidence.round_id == rnd.id, Evidence.unit_id == unit.id, Evidence.key.in_(keys)))}
    _warn_same_content(session, rnd, unit, prepared, set(existing))
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
                                 stored_new_file=p_["stored_new"], linked=new_links, understood=p_["understood"],
                                 warnings=p_["warnings"]))
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


def _warn_same_content(session: Session, rnd: AssessmentRound, unit: WorkUnit, prepared: list[dict],
                       existing: set) -> None:
    """Warn (in ``prepared[i]["warnings"]``) when a file's content is already stored in this unit
    under another document, or twice in this batch: the same file added again without a number
    makes a second document, which is seldom what was meant."""
    shas = {p["sha"] for p in prepared if p["storage_path"] is not None}
    if not shas:
        return
    holders: dict[str, list[str]] = {}
    q = (select(EvidenceRevision.sha256, Evidence.key).join(Evidence, Evidence.id == EvidenceRevision.evidence_id)
         .where(Evidence.round_id == rnd.id, Evidence.unit_id == unit.id, EvidenceRevision.sha256.in_(shas))
         .order_by(Evidence.key))
    for sha, key in session.exec(q):
        holders.setdefault(sha, []).append(key)
    for p in prepared:
        if p["storage_path"] is None:
            continue
        others = [k for k in holders.get(p["sha"], []) if k != p["key"]]
        if others and p["key"] not in existing:   # a new document; a known one is only re-linked
            p["warnings"].append(i18n.t("ev.warn.same_content", what=p["original"] or p["key"], other=others[0]))
        holders.setdefault(p["sha"], []).append(p["key"])


def _links_in_use(session: Session, rnd: AssessmentRound, unit: WorkUnit, inst, criteria: list[str]) -> None:
    """Refuse to change the evidence of criteria that a submitted (or accepted) worksheet of the unit
    answers: its assessor vouched for that evidence. The coordinator returns the worksheet first."""
    rows = session.exec(select(Worksheet, Person.username).join(Person, Person.id == Worksheet.assessor_id)
                        .where(Worksheet.round_id == rnd.id, Worksheet.unit_id == unit.id,
                               Worksheet.state.in_(("submitted", "accepted")))
                        .order_by(Person.username)).all()
    for ws, username in rows:
        areas = assigned_areas(session, rnd, unit.id, ws.assessor_id)
        for cid in criteria:
            if inst.criteria[cid].area in areas:
                raise StateError(i18n.t("ev.unlink_submitted", assessor=username, unit=unit.code, criterion=cid,
                                        state=i18n.t(f"ev.state.{ws.state}")))


def writable_check(work: RoundWork, unit: WorkUnit, criteria: list[str]) -> list[str]:
    """The checks ``evidence add`` makes before writing (the round is not final, the actor is
    assigned the criteria's areas); returns the criteria as instrument ids, once each."""
    session, actor, rnd, inst = work.session, work.actor, work.round, work.instrument
    require(actor, "evidence.write")
    if rnd.state == "final":
        raise StateError(i18n.t("ev.final", code=rnd.code))
    wanted = list(dict.fromkeys(inst.criterion(c.strip()).id for c in criteria))
    if not actor.has("koordinator"):
        key = ("assigned_areas", unit.id, actor.id)
        if key not in work.memo:
            work.memo[key] = assigned_areas(session, rnd, unit.id, actor.id)
        areas = work.memo[key]
        for cid in wanted:
            if inst.criteria[cid].area not in areas:
                raise ForbiddenError(i18n.t("ev.not_assigned", who=actor.describe(), area=inst.criteria[cid].area,
                                            unit=unit.code, criterion=cid))
    return wanted


@dataclass
class UnlinkResult:
    evidence: Evidence
    unlinked: list[str]
    left: list[str]          # criteria the document still supports


def unlink(work: RoundWork, unit: WorkUnit, evidence_id: int, criteria: list[str]) -> UnlinkResult:
    """Remove the links of one document of ``unit`` to ``criteria`` inside ``work``: one
    ``evidence.unlink`` audit event recording the deleted rows. The document and its revisions stay
    (a link added by mistake is undone, nothing is forgotten). Refused like ``evidence add`` and
    when a submitted worksheet answers one of the criteria."""
    session, actor, rnd, inst = work.session, work.actor, work.round, work.instrument
    require_editable(work, unit, evidence=True)
    wanted = writable_check(work, unit, criteria)
    ev = session.get(Evidence, evidence_id)
    if ev is None or ev.round_id != rnd.id or ev.unit_id != unit.id:
        raise NotFoundError(i18n.t("ev.unknown_doc", ref=f"#{evidence_id}", unit=unit.code, round=rnd.code))
    links = {link.criterion_id: link for link in session.exec(
        select(EvidenceLink).where(EvidenceLink.evidence_id == ev.id))}
    gone = [cid for cid in wanted if cid in links]
    if not gone:
        raise ValidationError(i18n.t("ev.unlink_none", doc=ev.key, criteria=", ".join(wanted)))
    _links_in_use(session, rnd, unit, inst, gone)
    rows = Rows()
    for cid in gone:
        link = links[cid]
        rows.delete(EvidenceLink, {"id": link.id})
        session.delete(link)
    session.flush()
    now = utcnow()
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="evidence.unlink", when=now,
                     payload={"unit": unit.code, "evidence_id": ev.id, "key": ev.key, "unlinked": gone},
                     rows=rows)
    work.forget(unit.id)
    return UnlinkResult(evidence=ev, unlinked=gone, left=sorted(c for c in links if c not in gone))


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
                  criterion: str | None = None, unit_ids: frozenset[int] | None = None) -> list[dict]:
    """One row per document (its latest revision) and the criteria it supports;
    ``unit_ids``: only these units (the reader's scope), None for all."""
    q = (select(Evidence, WorkUnit.code).join(WorkUnit, WorkUnit.id == Evidence.unit_id)
         .where(Evidence.round_id == rnd.id))
    if unit is not None:
        q = q.where(Evidence.unit_id == unit.id)
    if unit_ids is not None:
        q = q.where(Evidence.unit_id.in_(sorted(unit_ids)))
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
