"""Evidence as the assessor sees it: stable references, per-criterion lists,
and linking a document already in the store to another criterion.

A reference names one document of a unit in a round: its key (the document
number, else its file name or URL) or ``#<id>``. Exports write the key
unless it could be misread (it holds a separator or starts with ``#``), so a
reference written by pmprb always reads back as the same document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.errors import ForbiddenError, NotFoundError, StateError
from pmprb.assessments.store import audit_log
from pmprb.assessments.setup.assignments import assigned_areas
from pmprb.assessments.store.models import AssessmentRound, Evidence, EvidenceLink, EvidenceRevision, WorkUnit, utcnow
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.assess.worksheet_lock import require_editable
from pmprb.assessments.setup.round_work import RoundWork, begin
from pmprb.assessments.store.ledger import Rows, insert_rows

SEPARATORS = re.compile(r"[;\n\r]+")

@dataclass(frozen=True)
class Doc:
    """One document (its latest revision) as shown next to a criterion."""

    id: int
    key: str
    number: str | None
    title: str
    document_date: str | None
    url: str | None
    original_name: str | None
    revision: int
    criteria: tuple[str, ...]

    @property
    def ref(self) -> str:
        return format_ref(self.id, self.key)

    def to_dict(self) -> dict:
        return {"id": self.id, "ref": self.ref, "key": self.key, "number": self.number, "title": self.title,
                "document_date": self.document_date, "url": self.url, "original_name": self.original_name,
                "revision": self.revision, "criteria": list(self.criteria)}

    def describe(self) -> str:
        bits = [self.ref]
        if self.number and self.number != self.key:
            bits.append(self.number)
        bits.append(f"\u201c{self.title}\u201d")
        if self.document_date:
            bits.append(f"({self.document_date})")
        if self.url and self.url != self.key:
            bits.append(self.url)
        return " ".join(bits)


def format_ref(evidence_id: int, key: str) -> str:
    if key.startswith("#") or SEPARATORS.search(key) or key != key.strip() or not key:
        return f"#{evidence_id}"
    return key


def split_refs(cell: str | None) -> list[str]:
    """``"SK-1; #4"`` -> ``["SK-1", "#4"]`` (also one per line)."""
    return [p.strip() for p in SEPARATORS.split(cell or "") if p.strip()]


def unit_docs(session: Session, rnd: AssessmentRound, unit_id: int) -> list[Doc]:
    """Every document of a unit in a round, latest revision each, in key order (three queries)."""
    evs = list(session.exec(select(Evidence).where(Evidence.round_id == rnd.id, Evidence.unit_id == unit_id)
                            .order_by(Evidence.key)))
    if not evs:
        return []
    ids = [e.id for e in evs]
    latest: dict[int, EvidenceRevision] = {}
    for rev in session.exec(select(EvidenceRevision).where(EvidenceRevision.evidence_id.in_(ids))
                            .order_by(EvidenceRevision.evidence_id, EvidenceRevision.revision)):
        latest[rev.evidence_id] = rev
    links: dict[int, list[str]] = {}
    for ev_id, cid in session.exec(select(EvidenceLink.evidence_id, EvidenceLink.criterion_id)
                                   .where(EvidenceLink.evidence_id.in_(ids))):
        links.setdefault(ev_id, []).append(cid)
    out = []
    for e in evs:
        rev = latest[e.id]
        out.append(Doc(id=e.id, key=e.key, number=rev.number, title=rev.title,
                       document_date=rev.document_date.isoformat() if rev.document_date else None, url=rev.url,
                       original_name=rev.original_name, revision=rev.revision,
                       criteria=tuple(sorted(links.get(e.id, ())))))
    return out


def docs_by_criterion(docs: list[Doc]) -> dict[str, list[Doc]]:
    out: dict[str, list[Doc]] = {}
    for d in docs:
        for cid in d.criteria:
            out.setdefault(cid, []).append(d)
    return out


class RefResolver:
    """Resolves references against one unit's documents (loaded once)."""

    def __init__(self, docs: list[Doc]):
        self.by_id = {d.id: d for d in docs}
        self.by_key = {d.key: d for d in docs}

    def resolve(self, ref: str) -> Doc | None:
        ref = ref.strip()
        if ref in self.by_key:
            return self.by_key[ref]
        if ref.startswith("#") and ref[1:].isdigit():
            return self.by_id.get(int(ref[1:]))
        return None


def resolve_ref(session: Session, rnd: AssessmentRound, unit: WorkUnit, ref: str) -> Doc:
    doc = RefResolver(unit_docs(session, rnd, unit.id)).resolve(ref)
    if doc is None:
        raise NotFoundError(i18n.t("aev.unknown_ref", ref=ref, unit=unit.code, round=rnd.code))
    return doc


def link_existing(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, doc: Doc,
                  criteria: list[str]) -> list[str]:
    """Link a stored document to more criteria of its unit, as one operation."""
    require(actor, "evidence.write")
    return link(begin(session, actor, rnd), unit, doc, criteria)


def link(work: RoundWork, unit: WorkUnit, doc: Doc, criteria: list[str]) -> list[str]:
    """Link a stored document to more criteria of its unit inside ``work``;
    returns the criteria newly linked. Audited like ``add_evidence``
    re-adding an unchanged document (``evidence.add`` with ``new_revision:
    false``), so ``pmprb audit verify`` accounts for every link."""
    session, actor, rnd, inst = work.session, work.actor, work.round, work.instrument
    require(actor, "evidence.write")
    if rnd.state == "final":
        raise StateError(i18n.t("ev.final", code=rnd.code))
    require_editable(work, unit, evidence=True)
    wanted = list(dict.fromkeys(inst.criterion(c).id for c in criteria))
    if not actor.has("koordinator"):
        areas = assigned_areas(session, rnd, unit.id, actor.id)
        for cid in wanted:
            if inst.criteria[cid].area not in areas:
                raise ForbiddenError(i18n.t("ev.not_assigned", who=actor.describe(), area=inst.criteria[cid].area,
                                            unit=unit.code, criterion=cid))
    ev = session.get(Evidence, doc.id)
    if ev is None or ev.round_id != rnd.id or ev.unit_id != unit.id:
        raise NotFoundError(i18n.t("aev.unknown_ref", ref=doc.ref, unit=unit.code, round=rnd.code))
    have = set(session.exec(select(EvidenceLink.criterion_id).where(EvidenceLink.evidence_id == ev.id)))
    linked = [c for c in wanted if c not in have]
    if not linked:
        return []
    rows = Rows()
    now = utcnow()
    insert_rows(session, EvidenceLink, [dict(evidence_id=ev.id, criterion_id=cid, created_at=now,
                                             created_by_id=actor.id) for cid in linked],
                key=("criterion_id",), record=rows)
    rev = session.exec(select(EvidenceRevision).where(EvidenceRevision.evidence_id == ev.id)
                       .order_by(EvidenceRevision.revision.desc())).first()
    audit_log.append(session, round_id=rnd.id, actor=actor.username, action="evidence.add", when=now,
                     payload={"unit": unit.code, "documents": [{
                         "evidence_id": ev.id, "key": ev.key, "revision": rev.revision, "revision_id": rev.id,
                         "new_revision": False, "sha256": rev.sha256, "number": rev.number, "title": rev.title,
                         "document_date": rev.document_date.isoformat() if rev.document_date else None,
                         "original_name": rev.original_name, "size": rev.size, "storage_path": rev.storage_path,
                         "url": rev.url, "linked": linked}]}, rows=rows)
    work.forget(unit.id)
    return linked


__all__ = ["Doc", "format_ref", "split_refs", "unit_docs", "docs_by_criterion", "RefResolver", "resolve_ref",
           "link_existing", "link"]
