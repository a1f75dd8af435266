"""Importing a filled worksheet file into an assessor's answers, all or nothing.

Every row is checked first (criterion known and assigned, answer allowed
for its type, evidence references that exist, version well formed, no
duplicate rows); any bad row stops the import with every problem listed by
row number and criterion, and nothing is written.

A row *conflicts* when it would change an answer that is stored and that
the file did not start from: the file carries no version (a YAML/JSON
worksheet, a hand-made CSV) or an older one than stored (someone saved
since the export). An edit of the exported version is not a conflict, and a
row equal to what is stored changes nothing (no new version, no event).
``--on-conflict``: ``stop`` writes nothing when any row conflicts, ``skip``
keeps the stored answers of conflicting rows and imports the rest,
``update`` overwrites them. The whole import is one transaction.

Evidence references in a row link those documents to the criterion;
documents that the row no longer lists are left linked (links are never
removed by an import). An entry that names no stored document but reads as
a citation ("Keputusan Wali Kota Nomor 5 Tahun 2024 tentang Tim RB": words
with spaces naming a kind of document) becomes a document without a file,
linked to the criterion (``pmprb evidence import`` makes the same); any
other unknown entry is a bad row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from pmprb import dates, i18n
from pmprb.errors import ConflictError, ValidationError
from pmprb.assessments.assess.answers import MAX_NOTE, answers_of
from pmprb.assessments.assess.bulk_save import Save, save_many
from pmprb.assessments.assess.evidence import NewDocument, add_many
from pmprb.assessments.assess.evidence_refs import RefResolver, unit_docs
from pmprb.assessments.assess.evidence_table import document_key, is_citation
from pmprb.engine.inputs import normalise_answer
from pmprb.engine import formulas
from pmprb.assessments.assess.sheet_data import SheetData
from pmprb.assessments.setup.assignments import assigned_areas
from pmprb.assessments.store.models import AssessmentRound, Person, WorkUnit
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import RoundWork, begin, reading
from pmprb.assessments.assess.worksheets import get_worksheet

POLICIES = ("stop", "skip", "update")

@dataclass
class Change:
    row: int
    criterion: str
    answer: str
    note: str | None
    expected_version: int
    kind: str                    # create | update | overwrite


def _shown(text: str | None, limit: int = 40) -> str:
    if not text:
        return i18n.t("aim.empty")
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "\u2026")


@dataclass
class Conflict:
    row: int
    criterion: str
    file_answer: str
    answer: str | None
    version: int
    who: str
    at: str
    basis: int | None            # the version the file says it started from
    file_note: str | None = None
    note: str | None = None
    new_evidence: list[str] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        """Which fields differ from the stored worksheet: answer, note, evidence."""
        out = []
        if self.file_answer != self.answer:
            out.append("answer")
        if self.file_note != self.note:
            out.append("note")
        if self.new_evidence:
            out.append("evidence")
        return out

    def diffs(self) -> str:
        parts = []
        for f in self.fields:
            if f == "answer":
                parts.append(i18n.t("aim.diff_answer", file=_shown(self.file_answer), stored=_shown(self.answer)))
            elif f == "note":
                parts.append(i18n.t("aim.diff_note", file=_shown(self.file_note), stored=_shown(self.note)))
            else:
                parts.append(i18n.t("aim.diff_evidence", refs=", ".join(self.new_evidence)))
        return "; ".join(parts)

    def describe(self) -> str:
        if self.basis is None:
            basis = i18n.t("aim.basis_none")
        elif self.answer is None:
            basis = i18n.t("aim.basis_missing", v=self.basis)
        else:
            basis = i18n.t("aim.basis_version", v=self.basis)
        return i18n.t("aim.conflict", row=self.row, cid=self.criterion, diffs=self.diffs(), version=self.version,
                      who=self.who, at=dates.show_iso(self.at) if self.at != "-" else "-", basis=basis)

    def to_dict(self) -> dict:
        return {"row": self.row, "criterion": self.criterion, "fields": self.fields,
                "file_answer": self.file_answer, "stored_answer": self.answer, "file_note": self.file_note,
                "stored_note": self.note, "new_evidence": list(self.new_evidence), "stored_version": self.version,
                "changed_by": self.who, "changed_at": self.at, "file_version": self.basis}


@dataclass
class Plan:
    source: str
    policy: str
    rows: int = 0
    changes: list[Change] = field(default_factory=list)
    links: dict[int, list[str]] = field(default_factory=dict)   # evidence id -> criteria to link
    # Citations written in an evidence cell that name no stored document: key -> (text, criteria);
    # they become documents without a file (as `pmprb evidence import` makes them).
    citations: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    stored: dict = field(default_factory=dict, repr=False)    # criterion -> Answer row, as read

    def summary(self) -> dict:
        count = lambda kind: sum(1 for c in self.changes if c.kind == kind)  # noqa: E731
        return {"file": self.source, "policy": self.policy, "rows": self.rows, "created": count("create"),
                "updated": count("update"), "overwritten": count("overwrite"), "unchanged": self.unchanged,
                "skipped": len(self.conflicts) if self.policy == "skip" else 0,
                "links": sum(len(v) for v in self.links.values()),
                "cited_documents": len(self.citations),
                "conflicts": [c.to_dict() for c in self.conflicts], "notices": list(self.notices)}


def _version(raw) -> int | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(raw)
    return int(text)


def check_meta(sheet: SheetData, rnd: AssessmentRound, unit: WorkUnit) -> bool:
    """Raise when an exported XLSX names another round or unit; returns
    whether its versions may be trusted (same assessor)."""
    meta = sheet.meta
    for key, want in (("round", rnd.code), ("unit", unit.code), ("instrument", rnd.instrument_id)):
        got = meta.get(key)
        if got is not None and got != want:
            raise ValidationError(i18n.t("aim.meta", file=sheet.source, field=key, got=got, want=want))
    return True


def plan_import(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, sheet: SheetData,
                policy: str = "stop", *, work: RoundWork | None = None, clear_empty: bool = False) -> Plan:
    """Check every row against the instrument, the assignment and the store (reads only).

    An empty or missing note cell keeps the stored note (a file never
    deletes a note by leaving it out) unless ``clear_empty``."""
    work = work or reading(session, actor, rnd)
    if policy not in POLICIES:
        raise ValidationError(i18n.t("aim.bad_policy", p=policy, allowed=", ".join(POLICIES)))
    require(actor, "answer.write")
    check_meta(sheet, rnd, unit)
    trust_versions = sheet.meta.get("assessor") in (None, actor.username)
    get_worksheet(session, rnd, unit, actor.person)  # the assessor works on this unit at all
    inst = work.instrument
    areas = assigned_areas(session, rnd, unit.id, actor.id)
    stored = answers_of(session, rnd, unit.id, actor.id)
    who = {p.id: p.username for p in session.exec(select(Person).where(
        Person.id.in_({a.updated_by_id for a in stored.values()})))} if stored else {}
    resolver = RefResolver(unit_docs(session, rnd, unit.id))
    plan = Plan(source=sheet.source, policy=policy, rows=len(sheet.rows), notices=list(sheet.notices), stored=stored)
    first: dict[str, int] = {}

    def bad(row, cid, key, **fields):
        plan.errors.append(i18n.t("aim.row", row=row.row, cid=cid or "-", problem=i18n.t(key, **fields)))

    for row in sheet.rows:
        cid = row.criterion.strip()
        if not cid:
            bad(row, None, "aim.no_criterion")
            continue
        c = inst.criteria.get(cid) or next((x for k, x in inst.criteria.items() if k.upper() == cid.upper()), None)
        if c is None:
            bad(row, cid, "aim.unknown", inst=inst.id)
            continue
        cid = c.id
        if cid in first:
            bad(row, cid, "aim.duplicate", first=first[cid])
            continue
        first[cid] = row.row
        if c.area not in areas:
            bad(row, cid, "aim.not_assigned", area=c.area, who=actor.username)
            continue
        if c.kind == "computed":
            if row.answer is not None:
                bad(row, cid, "aim.computed", refs=", ".join(formulas.refs(c)))
            continue
        ok = True
        answer = None
        if row.answer is not None:
            try:
                answer = normalise_answer(inst, c.id, row.answer)
            except ValidationError as exc:
                plan.errors.append(i18n.t("aim.row", row=row.row, cid=cid, problem=exc.message))
                ok = False
        basis = None
        try:
            basis = _version(row.version) if trust_versions else None
        except ValueError:
            bad(row, cid, "aim.bad_version", value=row.version)
            ok = False
        docs = []
        cited = []
        for ref in row.refs or []:
            doc = resolver.resolve(ref)
            if doc is not None:
                docs.append(doc)
            elif is_citation(ref):
                cited.append(ref)
            else:
                bad(row, cid, "aim.unknown_ref", ref=ref, unit=unit.code)
                ok = False
        note = (row.note or "").strip() or None
        if note and len(note) > MAX_NOTE:
            bad(row, cid, "aim.note_long", n=len(note), max=MAX_NOTE)
            ok = False
        current = stored.get(cid)
        if ok and answer is None:
            if current is not None and current.answer is not None:
                bad(row, cid, "aim.cleared", answer=current.answer)
                ok = False
            elif note:
                bad(row, cid, "aim.note_without_answer")
                ok = False
        if not ok:
            continue
        links = [d for d in docs if cid not in d.criteria] + [_Cited(text) for text in cited]
        if answer is None:
            _add_links(plan, links, cid)
            continue
        if not row.has_note or (note is None and not clear_empty):
            note = current.note if current else None
        if current is not None and current.answer == answer and current.note == note:
            plan.unchanged += 1
            _add_links(plan, links, cid)
            continue
        if current is None and not basis:
            plan.changes.append(Change(row.row, cid, answer, note, 0, "create"))
        elif current is not None and basis == current.version:
            plan.changes.append(Change(row.row, cid, answer, note, current.version, "update"))
        else:
            conflict = Conflict(row.row, cid, answer, current.answer if current else None,
                                current.version if current else 0,
                                who.get(current.updated_by_id, "?") if current else "-",
                                current.updated_at.isoformat(timespec="seconds") if current else "-", basis,
                                file_note=note, note=current.note if current else None,
                                new_evidence=[d.ref for d in links])
            plan.conflicts.append(conflict)
            if policy == "update":
                plan.changes.append(Change(row.row, cid, answer, note, current.version if current else 0,
                                           "overwrite"))
            elif policy == "skip":
                continue
        _add_links(plan, links, cid)
    return plan


@dataclass(frozen=True)
class _Cited:
    """A citation to be stored as a new document (it has no id yet)."""

    text: str


def _add_links(plan: Plan, docs, cid: str) -> None:
    for d in docs:
        if isinstance(d, _Cited):
            entry = plan.citations.setdefault(document_key(d.text), (d.text, []))
            if cid not in entry[1]:
                entry[1].append(cid)
        else:
            plan.links.setdefault(d.id, []).append(cid)


def import_sheet(session: Session, actor: Actor, rnd: AssessmentRound, unit: WorkUnit, sheet: SheetData,
                 policy: str = "stop", *, progress=None, clear_empty: bool = False) -> Plan:
    """Plan, refuse on bad rows (or conflicts under ``stop``), then write
    every change in the caller's transaction, as one operation and one act."""
    require(actor, "answer.write")
    work = begin(session, actor, rnd)
    plan = plan_import(session, actor, rnd, unit, sheet, policy, work=work, clear_empty=clear_empty)
    if plan.errors:
        n = len(plan.errors)
        raise ValidationError(i18n.t("aim.invalid", file=sheet.source, n=n, s="" if n == 1 else "s"),
                              details=plan.errors + [c.describe() for c in plan.conflicts])
    if plan.conflicts and policy == "stop":
        n = len(plan.conflicts)
        raise ConflictError(i18n.t("aim.conflicts", file=sheet.source, n=n, s="" if n == 1 else "s"),
                            details=[c.describe() for c in plan.conflicts])
    if plan.citations:   # new documents first (their own evidence.add event), in the same transaction
        add_many(work, None, unit, [NewDocument(criteria=cids, title=" ".join(text.split()), document_date=None,
                                                citation_only=True, key=key)
                                    for key, (text, cids) in plan.citations.items()])
    # The versions were read under the round lock taken above, so they are still current.
    save_many(work, unit, [Save(ch.criterion, ch.answer, ch.note, plan.stored.get(ch.criterion))
                           for ch in plan.changes], links=plan.links, source=sheet.source, progress=progress)
    return plan


__all__ = ["POLICIES", "Plan", "Change", "Conflict", "plan_import", "import_sheet", "check_meta"]
