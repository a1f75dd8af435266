"""An internal evaluation round of a kabupaten on rb-2023-kabkota, built with the library
(imported by name; pytest puts this folder on sys.path).

Kabupaten Contoh: admin; koordinator ``kora``; internal evaluators ``ani`` and ``budi`` on
unit ORTALA (the RB team's unit). Each evaluator enters every indicator: a number within
its range (spread over the range by the line's position, so lines differ), WTP for the
Opini BPK, 0 for the Koefisien, TB for one line that does not apply; ``budi`` differs on the
lines named in ``DISPUTED``. The evaluating agencies' result documents are linked as evidence
to the lines they report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers, evidence, worksheets
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.assessments.coordinate import consensus, review
from pmprb.assessments.setup import assignments, people, rounds, units
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.assessments.store.db import Database
from pmprb.engine import points
from pmprb.engine.instrument import load_instrument

INSTRUMENT = "rb-2023-kabkota"
INST = load_instrument(INSTRUMENT)
NOT_APPLICABLE = "1B19"
# line -> budi's answer where it differs from ani's
DISPUTED = {"1A11": "2.1", "1B15": "70", "1C13a": "WDP=3.33", "2A12-3": "70"}
MEETING = date(2024, 4, 22)
TODAY = date(2024, 6, 1)
# Result documents of the evaluating agencies, each with the lines it reports.
DOCUMENTS = [
    ("B/100/M.RB.06/2024", "Laporan Hasil Evaluasi RB 2023", ["1A11", "1A12"]),
    ("LHE-SAKIP/2024/17", "LHE AKIP Kabupaten Contoh 2023", ["1B15", "1C12b"]),
    ("LHP-BPK/2024/5", "LHP BPK atas LKPD 2023", ["1C13a"]),
]


def estimate(cid: str) -> str:
    """ani's answer to a line: deterministic, within the line's range."""
    c = INST.criteria[cid]
    if cid == NOT_APPLICABLE:
        return points.na_answer(INST)
    if c.kind == "category":
        return "WTP"
    if c.kind == "adjustment":
        return "0"
    lo, hi = (float(x) for x in c.data["range"])
    share = 0.55 + 0.05 * (c.order % 7)
    return points.text(points.to_decimal(round(lo + (hi - lo) * share, 2)))


@dataclass
class RbRound:
    db: Database
    code: str = "RB2024"
    given: dict[str, dict[str, str]] = field(default_factory=dict)

    def rnd(self, s):
        return rounds.get_round(s, self.code)

    def read(self, fn):
        with self.db.session() as s:
            return fn(s)

    def as_(self, username: str, fn):
        """``fn(session, actor, round)`` as one transaction."""
        return self.db.run(lambda s: fn(s, resolve_actor(s, username), self.rnd(s)))


def build(db: Database, *, evaluators=("ani", "budi"), answered: bool = True, given: dict | None = None) -> RbRound:
    """People, ORTALA, the round, both evaluators' indicator values with the result documents,
    submitted (round open); ``answered=False``: the open round only; ``given``: ani's answers
    instead of :func:`estimate`'s."""
    w = RbRound(db)
    base = dict(given) if given is not None else {cid: estimate(cid) for cid in INST.criteria}
    w.given = {"ani": dict(base), "budi": {**base, **DISPUTED}}

    def setup(s):
        people.init(s, institution_code="kab-contoh", institution_name="Pemerintah Kabupaten Contoh",
                    admin_username="admin", admin_name="Admin Sistem")
        admin = resolve_actor(s, "admin")
        for username, name, roles in [("kora", "Kora Koordinator", ["koordinator"]), ("ani", "Ani", ["asesor"]),
                                      ("budi", "Budi", ["asesor"]), ("audi", "Audi Auditor", ["auditor"])]:
            people.add_person(s, admin, username=username, name=name, roles=roles)
        units.add_unit(s, admin, code="ORTALA", name="Bagian Organisasi")
        kora = resolve_actor(s, "kora")
        rnd = rounds.create_round(s, kora, year=2024, code=w.code, instrument=INSTRUMENT, deadline=date(2024, 5, 31))
        for a in evaluators:
            assignments.assign(s, kora, rnd, people.get_person(s, a), [units.get_unit(s, "ORTALA")], None)
        wiring.open_round(s, kora, rnd)

    db.run(setup)
    if not answered:
        return w
    store = EvidenceStore(db.evidence_dir)
    for number, title, lines in DOCUMENTS:
        w.as_("ani", lambda s, a, r, number=number, title=title, lines=lines: evidence.add_evidence(
            s, store, a, r, units.get_unit(s, "ORTALA"), criteria=lines, title=title, number=number,
            url=f"https://evaluasi.contoh.go.id/{number}", document_date=date(2024, 3, 1), today=TODAY))
    for a in evaluators:
        items = [answers.AnswerInput(criterion=cid, answer=ans) for cid, ans in w.given[a].items()]
        w.as_(a, lambda s, actor, r, items=items: answers.save_answers(s, actor, r, units.get_unit(s, "ORTALA"), items))
        w.as_(a, lambda s, actor, r: worksheets.submit(
            s, actor, r, worksheets.get_worksheet(s, r, units.get_unit(s, "ORTALA"), people.get_person(s, actor.username))))
    return w


def to_consensus(w: RbRound, evaluators=("ani", "budi")) -> None:
    w.as_("kora", lambda s, a, r: wiring.start_review(s, a, r))
    for name in evaluators:
        w.as_("kora", lambda s, a, r, name=name: review.accept_worksheet(s, a, r, unit="ORTALA", assessor=name))
    w.as_("kora", lambda s, a, r: wiring.start_consensus(s, a, r))


def resolve(w: RbRound, cid: str, answer: str, rationale: str = "Sesuai dokumen hasil instansi penilai"):
    return w.as_("kora", lambda s, a, r: consensus.resolve(s, a, r, cid, final_answer=answer, rationale=rationale,
                                                         participants=["kora", "ani", "budi"], meeting_date=MEETING,
                                                         today=TODAY))


def finalised(db: Database) -> RbRound:
    """The round through review and consensus (budi's answers agreed where they differ), final."""
    w = build(db)
    to_consensus(w)
    for cid, answer in DISPUTED.items():
        resolve(w, cid, answer)
    w.as_("kora", lambda s, a, r: consensus.record_meeting(
        s, a, r, meeting_date=MEETING, participants=["kora", "ani", "budi"], note="Rapat konsensus", today=TODAY))
    w.as_("kora", lambda s, a, r: wiring.finalise(s, a, r))
    return w


def final_answers(w: RbRound) -> dict[str, str]:
    return {**w.given["ani"], **DISPUTED}
