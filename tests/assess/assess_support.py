"""Helpers shared by the assessor-journey tests (a module with a unique
name, so test modules import it safely next to other packages' conftests).

``build_world`` fills a database (SQLite, and PostgreSQL when
PMPRB_TEST_POSTGRES_URL is set) with an institution, people, units and an
open round; ``Script`` drives the interactive walk without a terminal.

Kota Contoh: admin; koordinator ``kora``; asesor ``ani`` (areas MP and SDM of
DINKES) and ``budi`` (MP of DINKES); auditor ``audi``; round ``2024`` on
pmprb-2014, open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pmprb.assessments import wiring
from pmprb.assessments.setup import assignments
from pmprb.assessments.store import audit_log
from pmprb.assessments.setup import people, rounds, units
from pmprb.presentation.walk_session import AssessSession
from pmprb.assessments.store.db import Database
from pmprb.assessments.assess.evidence import EvidenceStore, add_evidence
from pmprb.assessments.store.models import Answer
from pmprb.assessments.setup.permissions import Actor, resolve_actor


@dataclass
class World:
    db: Database
    round_code: str = "2024"

    def actor(self, username: str) -> Actor:
        with self.db.session() as s:
            return resolve_actor(s, username)

    def run(self, fn):
        return self.db.run(fn)

    def rnd(self, s):
        return rounds.get_round(s, self.round_code)

    def unit(self, s, code="DINKES"):
        return units.get_unit(s, code)

    def session(self, username="ani", unit="DINKES", **kw) -> AssessSession:
        return AssessSession(self.db, username, self.round_code, unit, **kw)

    def in_round(self, fn, username="ani", unit="DINKES"):
        """Run fn(session, actor, round, unit) in one write transaction."""
        return self.db.run(lambda s: fn(s, resolve_actor(s, username), self.rnd(s), self.unit(s, unit)))

    def answers(self, username="ani", unit="DINKES") -> dict[str, tuple]:
        """criterion -> (answer, note, version) as stored."""
        from sqlmodel import select

        with self.db.session() as s:
            person = people.get_person(s, username)
            rows = s.exec(select(Answer).where(Answer.round_id == self.rnd(s).id, Answer.assessor_id == person.id,
                                               Answer.unit_id == self.unit(s, unit).id))
            return {a.criterion_id: (a.answer, a.note, a.version) for a in rows}

    def events(self) -> int:
        with self.db.session() as s:
            return len(audit_log.events(s, self.rnd(s).id))

    def verify(self):
        with self.db.session() as s:
            return wiring.verify(s, self.rnd(s).id)

    def add_file(self, path: Path, criteria: list[str], *, username="ani", unit="DINKES", number=None,
                 title="SK Tim Reformasi Birokrasi", when=date(2024, 1, 10)):
        store = EvidenceStore(self.db.evidence_dir)
        return self.in_round(lambda s, a, r, u: add_evidence(
            s, store, a, r, u, criteria=criteria, title=title, document_date=when, number=number, file=path),
            username, unit)


def build_world(db: Database, *, instrument: str | Path = "pmprb-2014", open_round: bool = True,
                ani_areas: tuple[str, ...] = ("MP", "SDM")) -> World:
    w = World(db)

    def setup(s):
        people.init(s, institution_code="kota-contoh", institution_name="Pemerintah Kota Contoh",
                    admin_username="admin", admin_name="Admin Sistem")
        admin = resolve_actor(s, "admin")
        for username, name, roles in [("kora", "Kora Koordinator", ["koordinator"]),
                                      ("ani", "Ani Asesor", ["asesor"]), ("budi", "Budi Asesor", ["asesor"]),
                                      ("audi", "Audi Auditor", ["auditor"])]:
            people.add_person(s, admin, username=username, name=name, roles=roles)
        units.add_unit(s, admin, code="DINKES", name="Dinas Kesehatan")
        units.add_unit(s, admin, code="BAPPEDA", name="Badan Perencanaan Pembangunan Daerah")
        kora = resolve_actor(s, "kora")
        rnd = rounds.create_round(s, kora, year=2024, instrument=instrument, code=w.round_code)
        dinkes = units.get_unit(s, "DINKES")
        assignments.assign(s, kora, rnd, people.get_person(s, "ani"), [dinkes], list(ani_areas))
        assignments.assign(s, kora, rnd, people.get_person(s, "budi"), [dinkes], ["MP"])
        if open_round:
            wiring.open_round(s, kora, rnd)

    db.run(setup)
    return w


class Script:
    """Answers prompts from a list; a KeyboardInterrupt/EOFError item is raised instead."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.out: list[str] = []
        self.prompts: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        self.out.append(prompt)
        if not self.replies:
            raise AssertionError(f"the walk asked more than scripted: {prompt!r}")
        r = self.replies.pop(0)
        if isinstance(r, BaseException) or (isinstance(r, type) and issubclass(r, BaseException)):
            raise r
        self.out.append(r + "\n")
        return r

    def say(self, text: str) -> None:
        self.out.append(text + "\n")

    @property
    def text(self) -> str:
        return "".join(self.out)
