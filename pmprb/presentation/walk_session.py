"""One assessor working through their worksheet for one unit: the state and
navigation behind ``pmprb assess`` (no terminal I/O here, so tests and other
front ends drive it directly).

The walk covers the criteria assigned to the assessor (optionally one area),
in instrument order, leaving out computed items (their value follows from
the counts the assessor enters). It starts at the first unanswered
criterion. Every confirmed answer is saved at once in its own transaction
with the version the assessor saw (optimistic locking), so quitting or a
crash never loses a confirmed answer, and a concurrent change is reported
instead of overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from pmprb.engine import points, points_messages
from pmprb import i18n
from pmprb.engine.decision import Decision
from pmprb.engine.evaluator import Evaluator
from pmprb.engine import formulas
from pmprb.engine.inputs import normalise_answer
from pmprb.engine.instrument import Criterion, Instrument
from pmprb.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from pmprb.assessments.setup import rounds, units, round_work
from pmprb.assessments.assess.answers import answers_of, save_answer
from pmprb.assessments.assess.cited_documents import records_documents
from pmprb.assessments.assess.worksheet_lock import editable
from pmprb.assessments.assess.evidence_refs import Doc, docs_by_criterion, link_existing, resolve_ref, unit_docs
from pmprb.presentation.feedback import Feedback, effects, explain
from pmprb.assessments.setup.assignments import assigned_areas, assigned_criteria
from pmprb.assessments.store.db import Database
from pmprb.assessments.assess.evidence import EvidenceStore, add_evidence, document_warnings, understood
from pmprb.assessments.setup.permissions import Actor, require, resolve_actor
from pmprb.assessments.assess.worksheets import get_worksheet

@dataclass(frozen=True)
class Stored:
    """The assessor's saved answer to one criterion, as last read."""

    answer: str | None
    note: str | None
    version: int


def allowed_text(c: Criterion, inst=None) -> str:
    if inst is not None and c.kind in points.KINDS:
        return points_messages.answer_hint(inst, c.id)
    return "/".join(c.values) if c.is_choice else "0, 1, 2, …"


class AssessSession:
    """Loads one worksheet and keeps the walk's position.

    ``position`` indexes :attr:`ids`; :meth:`skip`, :meth:`back`,
    :meth:`jump` and :meth:`advance` move it. Writes go through the store's
    library functions (``save_answer``, ``add_evidence``) as the acting
    person, each in one transaction.
    """

    def __init__(self, db: Database, username: str | None, round_ref: str, unit_code: str, *,
                 area: str | None = None, engine: str | None = None):
        self.db = db
        self.username = username
        self.round_ref = round_ref
        self.unit_code = unit_code
        self.area = area.strip().upper() if area else None
        self.engine = engine
        self._evaluator: Evaluator | None = None
        self._last: dict[str, Decision] | None = None
        self.history: list[int] = []
        self.last_added = None  # the AddResult of the last document added (what was understood, warnings)
        self.reload()
        first = self.first_unanswered()
        self.position = first if first is not None else 0

    # -- loading ----------------------------------------------------------
    def _context(self, s: Session):
        actor = resolve_actor(s, self.username)
        return actor, rounds.get_round(s, self.round_ref), units.get_unit(s, self.unit_code)

    def reload(self) -> None:
        with self.db.session() as s:
            actor, rnd, unit = self._context(s)
            require(actor, "answer.write")
            ws = get_worksheet(s, rnd, unit, actor.person)
            inst = round_work.instrument_for(rnd)
            areas = assigned_areas(s, rnd, unit.id, actor.id)
            if self.area and self.area not in areas:
                order = [a["code"] for a in inst.areas]
                raise ForbiddenError(i18n.t("as.area_not_assigned", area=self.area, who=actor.username,
                                            unit=unit.code, areas=", ".join(sorted(areas, key=order.index))))
            assigned = assigned_criteria(s, rnd, unit.id, actor.id)
            self.assigned = set(assigned)
            self.ids = [cid for cid in assigned if inst.criteria[cid].kind != "computed"
                        and (self.area is None or inst.criteria[cid].area == self.area)]
            if not self.ids:
                raise ValidationError(i18n.t("as.nothing", who=actor.username, unit=unit.code))
            self.actor_name = actor.describe()
            self.actor_username = actor.username
            self.round_code, self.round_state, self.round_year = rnd.code, rnd.state, rnd.year
            self.period = rounds.evaluation_period(rnd)
            self.unit_name = unit.name
            self.worksheet_state = ws.state
            self.inst: Instrument = inst
            self.answers = {cid: Stored(a.answer, a.note, a.version)
                            for cid, a in answers_of(s, rnd, unit.id, actor.id).items()}
            self.docs = unit_docs(s, rnd, unit.id)
        self._by_criterion = docs_by_criterion(self.docs)

    @property
    def writable(self) -> bool:
        return editable(self.round_state, self.worksheet_state)

    # -- reading ----------------------------------------------------------
    @property
    def current(self) -> str:
        return self.ids[self.position]

    def criterion(self, cid: str | None = None) -> Criterion:
        return self.inst.criteria[cid or self.current]

    def stored(self, cid: str | None = None) -> Stored | None:
        return self.answers.get(cid or self.current)

    def is_answered(self, cid: str) -> bool:
        a = self.answers.get(cid)
        return a is not None and a.answer is not None

    def evidence(self, cid: str | None = None) -> list[Doc]:
        return list(self._by_criterion.get(cid or self.current, []))

    def linkable(self, cid: str | None = None) -> list[Doc]:
        """Documents of the unit not yet linked to the criterion."""
        cid = cid or self.current
        return [d for d in self.docs if cid not in d.criteria]

    def first_unanswered(self, start: int = 0) -> int | None:
        """The first unanswered criterion at or after ``start``, wrapping round."""
        n = len(self.ids)
        for k in range(n):
            i = (start + k) % n
            if not self.is_answered(self.ids[i]):
                return i
        return None

    def progress(self) -> dict:
        """Answered/total overall and per area (in instrument order)."""
        areas: dict[str, dict] = {}
        for cid in self.ids:
            code = self.inst.criteria[cid].area
            a = areas.setdefault(code, {"area": code, "answered": 0, "total": 0})
            a["total"] += 1
            a["answered"] += self.is_answered(cid)
        answered = sum(a["answered"] for a in areas.values())
        return {"answered": answered, "total": len(self.ids), "areas": list(areas.values())}

    # -- navigation -------------------------------------------------------
    def _go(self, index: int) -> str:
        if index != self.position:
            self.history.append(self.position)
            self.position = index
        return self.current

    def skip(self) -> str:
        """Leave the current criterion as it is and go to the next unanswered
        one after it (or simply the next one when all are answered)."""
        nxt = self.first_unanswered(self.position + 1)
        if nxt is None or nxt == self.position:
            nxt = (self.position + 1) % len(self.ids)
        return self._go(nxt)

    def advance(self) -> str | None:
        """After an answer: the next unanswered criterion, or None when every one is answered."""
        nxt = self.first_unanswered(self.position + 1)
        return None if nxt is None else self._go(nxt)

    def next_in_order(self) -> str | None:
        """After keeping an answer: the next criterion, else the first unanswered, else None."""
        if self.position + 1 < len(self.ids):
            return self._go(self.position + 1)
        nxt = self.first_unanswered(0)
        return None if nxt is None else self._go(nxt)

    def back(self) -> str:
        """Where the assessor was before (or the previous criterion)."""
        if self.history:
            self.position = self.history.pop()
        elif self.position > 0:
            self.position -= 1
        return self.current

    def find(self, ref: str) -> str:
        """A criterion id as typed (case-insensitive) that is part of this walk."""
        wanted = (ref or "").strip().upper()
        cid = next((c for c in self.inst.criteria if c.upper() == wanted), None)
        if cid is None:
            raise NotFoundError(i18n.t("as.unknown_criterion", cid=ref, inst=self.inst.id))
        if cid not in self.ids:
            c = self.inst.criteria[cid]
            why = (i18n.t("as.why_computed", refs=", ".join(formulas.refs(c))) if c.kind == "computed"
                   else i18n.t("as.why_area", area=c.area))
            raise NotFoundError(i18n.t("as.not_in_walk", cid=cid, why=why))
        return cid

    def jump(self, ref: str) -> str:
        return self._go(self.ids.index(self.find(ref)))

    # -- writing ----------------------------------------------------------
    def _write(self, fn):
        def op(s: Session):
            actor, rnd, unit = self._context(s)
            return fn(s, actor, rnd, unit)
        return self.db.run(op)

    KEEP = object()

    def save(self, cid: str, raw_answer: str, note=KEEP) -> tuple[bool, Feedback]:
        """Save an answer (``note`` KEEP leaves the stored note). Returns
        (changed, what the rules decided)."""
        c = self.criterion(cid)
        answer = normalise_answer(self.inst, c.id, raw_answer)
        old = self.answers.get(cid)
        if self._last is None:
            self._last = self.evaluate()  # the "before" for the effects this answer has
        if note is self.KEEP:
            note = old.note if old else None
        expected = old.version if old else 0

        def op(s, actor: Actor, rnd, unit):
            return save_answer(s, actor, rnd, unit, cid, answer, note, expected_version=expected)

        try:
            row = self._write(op)
        except ConflictError:
            self.reload()  # show what is stored now; nothing was overwritten
            raise
        self.answers[cid] = Stored(row.answer, row.note, row.version)
        return (old is None or row.version != old.version), self.feedback(cid)

    def add_file(self, cid: str, path: str | Path, *, title: str, document_date: date | None,
                 number: str | None = None) -> Feedback:
        store = EvidenceStore(self.db.evidence_dir)
        self.last_added = self._write(lambda s, actor, rnd, unit: add_evidence(
            s, store, actor, rnd, unit, criteria=[cid], title=title, document_date=document_date, number=number,
            file=path))
        return self._after_evidence(cid)

    def add_url(self, cid: str, url: str, *, title: str, document_date: date | None,
                number: str | None = None) -> Feedback:
        store = EvidenceStore(self.db.evidence_dir)
        self.last_added = self._write(lambda s, actor, rnd, unit: add_evidence(
            s, store, actor, rnd, unit, criteria=[cid], title=title, document_date=document_date, number=number,
            url=url))
        return self._after_evidence(cid)

    def document_warnings(self, number: str | None, title: str, when: date | None) -> list[str]:
        """What the rules will hold against a document's date, said as soon as the date is typed
        (before anything is stored): outdated or future against the round's evaluation period."""
        with self.db.session() as s:
            rnd = rounds.get_round(s, self.round_ref)
            return document_warnings(rnd, self.inst, understood(number, title, when), when)

    def link(self, cid: str, ref: str) -> Feedback:
        self._write(lambda s, actor, rnd, unit: link_existing(s, actor, rnd, unit, resolve_ref(s, rnd, unit, ref),
                                                              [cid]))
        return self._after_evidence(cid)

    def _after_evidence(self, cid: str) -> Feedback:
        with self.db.session() as s:
            _actor, rnd, unit = self._context(s)
            self.docs = unit_docs(s, rnd, unit.id)
        self._by_criterion = docs_by_criterion(self.docs)
        return self.feedback(cid)

    # -- the rules' view --------------------------------------------------
    def evaluate(self) -> dict[str, Decision]:
        """Decisions for the whole worksheet as it is stored now."""
        if self._evaluator is None:
            self._evaluator = Evaluator(self.inst, self.engine)
        return self.what_if({}, self._evaluator)

    def what_if(self, changes: dict[str, str], evaluator: Evaluator) -> dict[str, Decision]:
        """Decisions for the worksheet as stored with ``changes`` applied (nothing is stored), read
        with ``evaluator``: the same inputs as :meth:`evaluate`, so the same evidence flags."""
        answers = {cid: a.answer for cid, a in self.answers.items() if a.answer is not None and cid in self.inst.criteria}
        answers.update(changes)
        # What each linked document is (title, number, date parsed as a citation), as the store's
        # evaluation reads it (pmprb.assessments.assess.evaluation), so the walk shows the same flags.
        documents = records_documents({cid: [(d.number, d.title, d.document_date) for d in docs]
                                       for cid, docs in self._by_criterion.items()}, self.inst.criteria)
        return evaluator.evaluate(answers, {}, documents=documents or None, period=self.period).decisions

    def feedback(self, cid: str | None = None) -> Feedback:
        """What the rules decided for ``cid``, and which other assigned
        results changed since the previous feedback."""
        cid = cid or self.current
        decisions = self.evaluate()
        fb = explain(self.inst, decisions[cid])
        fb.effects = effects(self._last, decisions, cid, self.assigned)
        self._last = decisions
        return fb

    def close(self) -> None:
        if self._evaluator is not None:
            self._evaluator.close()
            self._evaluator = None


__all__ = ["AssessSession", "Stored", "allowed_text"]
