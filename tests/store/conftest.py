"""Fixtures for the store tests: a database with an institution, people,
units and a round (``world``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pmprb.assessments.setup import assignments, people, rounds, units
from pmprb.assessments.store.db import Database
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


def build_world(db: Database, *, assign: bool = True) -> World:
    """Kota Contoh: admin, koordinator kora, asesor ani (MP+SDM of DINKES) and
    budi (all areas of DINKES and BAPPEDA), auditor audi; round 2024 (draft)."""
    w = World(db)

    def setup(s):
        people.init(s, institution_code="kota-contoh", institution_name="Pemerintah Kota Contoh",
                    admin_username="admin", admin_name="Admin Sistem")
        admin = resolve_actor(s, "admin")
        for username, name, roles in [("kora", "Kora Koordinator", ["koordinator"]),
                                      ("ani", "Ani Asesor", ["asesor"]), ("budi", "Budi Asesor", ["asesor"]),
                                      ("audi", "Audi Auditor", ["auditor"]),
                                      ("kasi", "Kasi Dua Peran", ["asesor", "koordinator"])]:
            people.add_person(s, admin, username=username, name=name, roles=roles)
        units.add_unit(s, admin, code="DINKES", name="Dinas Kesehatan")
        units.add_unit(s, admin, code="BAPPEDA", name="Badan Perencanaan Pembangunan Daerah")
        kora = resolve_actor(s, "kora")
        from datetime import date

        rnd = rounds.create_round(s, kora, year=2024, instrument="pmprb-2014", deadline=date(2024, 5, 31))
        if assign:
            dinkes, bappeda = units.get_unit(s, "DINKES"), units.get_unit(s, "BAPPEDA")
            assignments.assign(s, kora, rnd, people.get_person(s, "ani"), [dinkes], ["MP", "SDM"])
            assignments.assign(s, kora, rnd, people.get_person(s, "budi"), [dinkes], ["MP"])

    db.run(setup)
    return w


@pytest.fixture
def world(db_from_template) -> World:
    from pmprb.assessments.store.db import open_db

    url = db_from_template("store-world", build_world)
    return World(open_db(url))
