"""SQL statements per operation are bounded by a constant, not by the rows.

Each operation of a round (save one answer, import a sheet, submit, resolve
consensus items, finalise) is run on a round of N rows and on one of about
2N rows, counting every statement sent to the database with a SQLAlchemy
``before_cursor_execute`` listener (an ``executemany`` counts once). The
count must be the same for both sizes, give or take :data:`SLACK`, and below
the operation's named bound. Nothing is timed. Runs on SQLite, and on
PostgreSQL when ``PMPRB_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from pmprb.assessments import wiring
from pmprb.assessments.assess import set_answer, sheet_import, submission
from pmprb.assessments.assess.sheet_data import SheetData, SheetRow
from pmprb.assessments.coordinate import consensus, hasil, review
from pmprb.assessments.setup import assignments, people, rounds, units
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.engine.instrument import load_instrument

# Upper bounds per operation (statements, whatever the number of rows), the whole
# transaction as the CLI runs it: resolving the actor, the round and the unit
# included. Measured (save one answer / import / submit / resolve / finalise):
# SQLite 17 / 14 / 15 / 14 / 32 (its BEGIN IMMEDIATE counts), PostgreSQL 16 / 13 / 14 / 13 / 31
# (the round's lock and re-read are one statement; the login's person and the claimed one
# are read together). A change that sends one statement per row breaks them at once (a
# 146-row import would send hundreds).
BOUND = {
    "save_one_answer": 18,
    "import_sheet": 15,
    "submit": 16,
    "resolve_items": 15,
    "finalise": 33,
}
SLACK = 2   # statements the N and 2N cases may differ by (never proportional to rows)

HALF_AREAS = ["MP", "PPU", "ORG", "SDM"]   # 71 of pmprb-2014's 146 criteria
MEETING = dt.date(2024, 4, 22)
HASIL = {"H.1.a": "70.00", "H.1.b": "3.50", "H.2.a": "3.00", "H.2.b": "WTP", "H.3.a": "3.00"}


class Statements:
    """Counts statements sent by one engine while active."""

    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def _count(self, *_args):
        self.n += 1

    def __enter__(self):
        self.n = 0
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def _answers(inst, areas, disputed: int, who: int) -> dict[str, str]:
    """The worst option everywhere (no evidence needed); assessor 2 gives another
    option on the first ``disputed`` criteria."""
    out = {}
    k = 0
    for cid, c in inst.criteria.items():
        if areas is not None and c.area not in areas:
            continue
        opts = [a for a, _ in c.options]
        answer = c.worst
        if who == 2 and k < disputed:
            answer = next(o for o in opts if o != c.worst)
        k += 1
        out[cid] = answer
    return out


def _sheet(answers: dict[str, str]) -> SheetData:
    return SheetData("budget.csv", "csv", [SheetRow(row=i + 2, criterion=cid, answer=a, note=f"catatan {cid}",
                                                    has_note=True)
                                           for i, (cid, a) in enumerate(answers.items())])


def run_round(db, code: str, areas, disputed: int) -> dict[str, int]:
    """One round through every counted operation; statements per operation."""
    inst = load_instrument("pmprb-2014")
    counter = Statements(db.engine)
    counts: dict[str, int] = {}
    kora, a1, a2 = f"{code}.kora", f"{code}.a1", f"{code}.a2"

    def setup(s):
        admin = resolve_actor(s, "admin")
        unit = units.add_unit(s, admin, code=code, name=f"Unit {code}")
        people.add_person(s, admin, username=kora, name="Kora", roles=["koordinator"])
        ps = [people.add_person(s, admin, username=u, name=u, roles=["asesor"]) for u in (a1, a2)]
        k = resolve_actor(s, kora)
        rnd = rounds.create_round(s, k, year=2024, code=code, instrument="pmprb-2014",
                                  deadline=dt.date(2024, 5, 31))
        for p in ps:
            assignments.assign(s, k, rnd, p, [unit], areas)
        wiring.open_round(s, k, rnd)

    db.run(setup)

    def as_(who, fn):
        return db.run(lambda s: fn(s, resolve_actor(s, who), rounds.get_round(s, code), units.get_unit(s, code)))

    first = _answers(inst, areas, disputed, 1)
    with counter:
        as_(a1, lambda s, a, r, u: sheet_import.import_sheet(s, a, r, u, _sheet(first), "stop"))
    counts["import_sheet"] = counter.n
    cid = next(iter(first))
    other = next(o for o, _ in inst.criteria[cid].options if o != first[cid])
    with counter:
        as_(a1, lambda s, a, r, u: set_answer.set_answer(s, a, r, u, cid, other))
    counts["save_one_answer"] = counter.n
    as_(a1, lambda s, a, r, u: set_answer.set_answer(s, a, r, u, cid, first[cid]))
    as_(a2, lambda s, a, r, u: sheet_import.import_sheet(s, a, r, u, _sheet(_answers(inst, areas, disputed, 2)),
                                                         "stop"))
    with counter:
        as_(a1, lambda s, a, r, u: submission.submit(s, a, r, u))
    counts["submit"] = counter.n
    as_(a2, lambda s, a, r, u: submission.submit(s, a, r, u))

    as_(kora, lambda s, a, r, u: wiring.start_review(s, a, r))
    for who in (a1, a2):
        as_(kora, lambda s, a, r, u: review.accept_worksheet(s, a, r, unit=code, assessor=who))
    as_(kora, lambda s, a, r, u: wiring.start_consensus(s, a, r))
    with db.session() as s:
        items = consensus.list_items(s, rounds.get_round(s, code), state="open", inst=inst)
        open_ids = [it.criterion_id for it in items]
    assert len(open_ids) == disputed
    participants = [kora, a1, a2]
    with counter:
        as_(kora, lambda s, a, r, u: consensus.resolve_many(
            s, a, r, [consensus.Resolution(c, first[c], "disepakati dalam rapat") for c in open_ids],
            participants=participants, meeting_date=MEETING))
    counts["resolve_items"] = counter.n
    as_(kora, lambda s, a, r, u: consensus.record_meeting(s, a, r, meeting_date=MEETING, participants=participants))
    as_(kora, lambda s, a, r, u: hasil.set_inputs(s, a, r, dict(HASIL), source="test"))
    with counter:
        as_(kora, lambda s, a, r, u: wiring.finalise(s, a, r))
    counts["finalise"] = counter.n
    return counts


@pytest.fixture
def budget_db(db):
    def init(s):
        people.init(s, institution_code="budget", institution_name="Instansi Anggaran", admin_username="admin",
                    admin_name="Admin")

    db.run(init)
    return db


def test_statements_per_operation_do_not_grow_with_rows(budget_db):
    small = run_round(budget_db, "N1", HALF_AREAS, disputed=5)    # 71-row sheet, 5 items
    big = run_round(budget_db, "N2", None, disputed=10)           # 146-row sheet, 10 items
    for op, bound in BOUND.items():
        assert abs(big[op] - small[op]) <= SLACK, (op, small[op], big[op])
        assert big[op] <= bound and small[op] <= bound, (op, small[op], big[op], bound)
