"""A round ready for the coordinator: Kota Contoh, three assessors who answer
every criterion of DINKES, with disagreements planted where a test wants
them.

Baseline answers are deterministic and varied (so agreement statistics have
something to measure): criterion number ``i`` in instrument order takes
option ``i % len(options)``; a test overrides single answers per assessor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers
from pmprb.assessments.setup import assignments
from pmprb.assessments.coordinate import consensus
from pmprb.assessments.assess import evidence
from pmprb.assessments.coordinate import hasil
from pmprb.assessments.setup import people, rounds, units
from pmprb.assessments.assess import worksheets
from pmprb.assessments.store.db import Database
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.assessments.setup.permissions import Actor, resolve_actor
from pmprb.engine.instrument import load_instrument

ASSESSORS = ("ani", "budi", "citra")
TODAY = date(2024, 6, 1)
MEETING = date(2024, 4, 22)
FIXED_NOW = datetime(2024, 5, 20, 9, 30, tzinfo=timezone.utc)
HASIL_2014 = {"H.1.a": "70.05", "H.1.b": "3.8", "H.2.a": "3.31", "H.2.b": "WTP", "H.3.a": "3.117"}


def baseline(instrument: str = "pmprb-2014", areas=None) -> dict[str, str]:
    inst = load_instrument(instrument)
    out = {}
    for i, (cid, c) in enumerate(inst.criteria.items()):
        if c.kind == "computed" or (areas and c.area not in areas):
            continue
        if c.is_choice:
            out[cid] = c.options[i % len(c.options)][0]
        else:
            out[cid] = str(10 + i)
    return out


@dataclass
class World:
    db: Database
    round_code: str = "2024"
    answers: dict[str, dict[str, str]] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        with self.db.session() as s:
            return resolve_actor(s, username)

    def run(self, fn):
        return self.db.run(fn)

    def read(self, fn):
        with self.db.session() as s:
            return fn(s)

    def rnd(self, s):
        return rounds.get_round(s, self.round_code)

    def as_(self, username: str, fn):
        """Run ``fn(session, actor, round)`` as one transaction."""
        return self.db.run(lambda s: fn(s, resolve_actor(s, username), self.rnd(s)))


def build(db: Database, *, overrides: dict[str, dict[str, str]] | None = None, instrument: str = "pmprb-2014",
          assessors=ASSESSORS, year: int = 2024, code: str = "2024", deadline: date | None = date(2024, 5, 31),
          init: bool = True, evidence_for: dict[str, int] | None = None, areas=None,
          unit_scoped: bool = False) -> World:
    """People, DINKES, a round, every assessor on ``areas`` (default: every
    area) of DINKES, answers saved and submitted (round still ``open``)."""
    w = World(db, round_code=code)
    base = baseline(instrument, areas)
    w.answers = {a: dict(base, **(overrides or {}).get(a, {})) for a in assessors}

    def setup(s):
        if init:
            people.init(s, institution_code="kota-contoh", institution_name="Pemerintah Kota Contoh",
                        admin_username="admin", admin_name="Admin Sistem")
            admin = resolve_actor(s, "admin")
            for username, name, roles in [("kora", "Kora Koordinator", ["koordinator"]),
                                          ("kasi", "Kasi Koordinator Dua", ["koordinator"]),
                                          ("ani", "Ani Asesor", ["asesor"]), ("budi", "Budi Asesor", ["asesor"]),
                                          ("citra", "Citra Asesor", ["asesor"]),
                                          ("audi", "Audi Auditor", ["auditor"])]:
                people.add_person(s, admin, username=username, name=name, roles=roles)
            units.add_unit(s, admin, code="DINKES", name="Dinas Kesehatan")
            units.add_unit(s, admin, code="ORTALA", name="Bagian Organisasi")
        kora = resolve_actor(s, "kora")
        dinkes = units.get_unit(s, "DINKES")
        rnd = rounds.create_round(s, kora, year=year, code=code, instrument=instrument, deadline=deadline,
                                  scope_unit=dinkes if unit_scoped else None)
        for a in assessors:
            assignments.assign(s, kora, rnd, people.get_person(s, a), [dinkes], list(areas) if areas else None)
        wiring.open_round(s, kora, rnd)

    db.run(setup)
    store = EvidenceStore(db.evidence_dir)
    for cid, n in (evidence_for or {}).items():
        for k in range(n):
            w.as_("kora", lambda s, a, r, cid=cid, k=k: evidence.add_evidence(
                s, store, a, r, units.get_unit(s, "DINKES"), criteria=[cid], title=f"Dokumen {cid} #{k + 1}",
                number=f"{cid}/{k + 1}/{year}", url=f"https://jdih.contoh.go.id/{cid}/{k + 1}",
                document_date=date(year, 1, 10), today=date(year, 6, 1)))
    for a in assessors:
        items = [answers.AnswerInput(criterion=cid, answer=ans, note=f"catatan {a} {cid}" if cid.endswith(".a") else None)
                 for cid, ans in w.answers[a].items()]
        w.as_(a, lambda s, actor, r, items=items: answers.save_answers(s, actor, r, units.get_unit(s, "DINKES"), items))
        w.as_(a, lambda s, actor, r: worksheets.submit(
            s, actor, r, worksheets.get_worksheet(s, r, units.get_unit(s, "DINKES"), people.get_person(s, actor.username))))
    return w


def to_review(w: World) -> None:
    w.as_("kora", lambda s, a, r: wiring.start_review(s, a, r))


def accept_all(w: World, assessors=ASSESSORS) -> None:
    from pmprb.assessments.coordinate import review

    for name in assessors:
        w.as_("kora", lambda s, a, r, name=name: review.accept_worksheet(s, a, r, unit="DINKES", assessor=name))


def to_consensus(w: World, assessors=ASSESSORS) -> None:
    to_review(w)
    accept_all(w, assessors)
    w.as_("kora", lambda s, a, r: wiring.start_consensus(s, a, r))


def resolve(w: World, cid: str, answer: str, rationale: str = "Disepakati setelah memeriksa bukti dukung",
            participants=("kora", "ani", "budi", "citra"), who: str = "kora"):
    return w.as_(who, lambda s, a, r: consensus.resolve(s, a, r, cid, final_answer=answer, rationale=rationale,
                                                      participants=list(participants), meeting_date=MEETING,
                                                      today=TODAY))


def set_hasil(w: World, values: dict[str, str] = HASIL_2014):
    return w.as_("kora", lambda s, a, r: hasil.set_inputs(s, a, r, dict(values)))


def finalise(w: World):
    return w.as_("kora", lambda s, a, r: wiring.finalise(s, a, r))


def resolve_all(w: World, answer_for=None) -> None:
    """Resolve every open item, with ``answer_for(criterion)`` (default: the
    first assessor's answer)."""
    items = w.read(lambda s: [(i.criterion_id, json.loads(i.answers_json))
                              for i in consensus.list_items(s, w.rnd(s), state="open")])
    for cid, answers_ in items:
        resolve(w, cid, answer_for(cid) if answer_for else answers_[0]["answer"])


def finalised(db: Database, **kw) -> World:
    """A small round (MP and PPU, two assessors, one dispute on MP.1.b) taken to final."""
    kw.setdefault("areas", ("MP", "PPU"))
    kw.setdefault("assessors", ("ani", "budi"))
    kw.setdefault("overrides", {"budi": {"MP.1.b": "A"}})
    w = build(db, **kw)
    to_consensus(w, kw["assessors"])
    resolve_all(w)
    set_hasil(w)
    finalise(w)
    return w
