"""save_answer: every check, optimistic locking, no-op saves."""

from __future__ import annotations

import pytest

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers
from pmprb.assessments.setup import people, rounds, units, round_work
from pmprb.assessments.assess import worksheets
from pmprb.errors import ConflictError, ForbiddenError, NotFoundError, StateError, ValidationError


def save(world, who, criterion, answer, version, unit="DINKES", note=None):
    actor = world.actor(who)
    return world.run(lambda s: answers.save_answer(s, actor, world.rnd(s), units.get_unit(s, unit), criterion,
                                                   answer, note, expected_version=version))


@pytest.fixture
def opened(world):
    kora = world.actor("kora")
    world.run(lambda s: wiring.open_round(s, kora, world.rnd(s)))
    return world


def test_answers_only_while_open(world):
    with pytest.raises(StateError, match="masih draf: .*setelah koordinator membuka ronde"):
        save(world, "ani", "MP.1.a", "A", 0)


def test_save_update_and_conflict(opened):
    a = save(opened, "ani", "MP.1.a", "a", 0, note="SK Tim RB ada")
    assert (a.answer, a.version) == ("A", 1)  # normalised to the option's spelling
    b = save(opened, "ani", "MP.1.a", "B", 1)
    assert b.version == 2 and b.note is None
    with pytest.raises(ConflictError) as exc:
        save(opened, "ani", "MP.1.a", "C", 1)
    assert "Ani Asesor (ani)" in str(exc.value) and "versi 2" in str(exc.value)
    assert exc.value.exit_code == 4 and exc.value.changed_by == "ani"
    with opened.db.session() as s:
        rnd = opened.rnd(s)
        cur = answers.get_answer(s, rnd, units.get_unit(s, "DINKES"), people.get_person(s, "ani"), "MP.1.a")
        assert (cur.answer, cur.version) == ("B", 2)  # nothing lost
    with pytest.raises(ConflictError, match="belum pernah disimpan"):
        save(opened, "ani", "MP.1.b", "A", 3)
    with pytest.raises(ConflictError):
        save(opened, "ani", "MP.1.a", "A", 0)  # someone already created it


def test_unchanged_save_is_a_noop(opened):
    save(opened, "ani", "MP.1.a", "A", 0, note="n")
    again = save(opened, "ani", "MP.1.a", "A", 1, note="n")
    assert again.version == 1


@pytest.mark.parametrize("who,criterion,answer,err,match", [
    ("ani", "MP.1.a", "Z", ValidationError, "pilihan: A, B, C"),
    ("ani", "MP.1.a", " ", ValidationError, "kosong"),
    ("ani", "XX.9", "A", NotFoundError, "XX.9"),
    ("ani", "PPU.1.a", "Ya", ForbiddenError, "area PPU"),       # ani has MP and SDM only
    ("kora", "MP.1.a", "A", ForbiddenError, "diperlukan peran: asesor"),
    ("audi", "MP.1.a", "A", ForbiddenError, "baca saja"),
])
def test_refusals(opened, who, criterion, answer, err, match):
    with pytest.raises(err, match=match):
        save(opened, who, criterion, answer, 0)


def test_unassigned_unit(opened):
    with pytest.raises(NotFoundError, match="tidak ditugaskan pada unit BAPPEDA"):
        save(opened, "ani", "MP.1.a", "A", 0, unit="BAPPEDA")


def test_cannot_answer_for_someone_else(opened):
    ani = opened.actor("ani")
    with pytest.raises(ForbiddenError, match="atas nama budi"):
        opened.run(lambda s: answers.save_answer(s, ani, opened.rnd(s), units.get_unit(s, "DINKES"), "MP.1.a", "A",
                                                 expected_version=0, assessor=people.get_person(s, "budi")))


def test_bad_expected_version(opened):
    with pytest.raises(ValidationError, match="bilangan bulat"):
        save(opened, "ani", "MP.1.a", "A", -1)


def _answer_all(world, who):
    from pmprb.assessments.setup.assignments import assigned_criteria

    actor = world.actor(who)

    def op(s):
        rnd, unit = world.rnd(s), units.get_unit(s, "DINKES")
        inst = round_work.instrument_for(rnd)
        have = answers.answers_of(s, rnd, unit.id, actor.id)
        items = [answers.AnswerInput(c, list(inst.criterion(c).values)[-1]) for c in
                 assigned_criteria(s, rnd, unit.id, actor.id) if c not in have]
        answers.save_answers(s, actor, rnd, unit, items)
    world.run(op)


def test_submit_needs_every_assigned_answer_and_locks_answers(opened):
    budi = opened.actor("budi")

    def ws_op(fn, **kw):
        def op(s):
            rnd = opened.rnd(s)
            ws = worksheets.get_worksheet(s, rnd, units.get_unit(s, "DINKES"), people.get_person(s, "budi"))
            return fn(s, kw.pop("actor", budi), rnd, ws, **kw)
        return opened.run(op)

    save(opened, "budi", "MP.1.a", "A", 0)
    with pytest.raises(StateError) as exc:
        ws_op(worksheets.submit)
    assert "belum dijawab" in str(exc.value) and "MP.1.b" in str(exc.value)
    _answer_all(opened, "budi")
    ws_op(worksheets.submit)
    with pytest.raises(StateError, match="sudah dikirim dan terkunci.*pmprb review return"):
        save(opened, "budi", "MP.1.a", "B", 1)
    with pytest.raises(ForbiddenError, match="miliknya sendiri"):
        ws_op(worksheets.submit, actor=opened.actor("ani"))
    kora = opened.actor("kora")
    with pytest.raises(StateError, match="alasan wajib"):
        ws_op(worksheets.return_worksheet, actor=kora, reason="")
    ws_op(worksheets.return_worksheet, actor=kora, reason="MP.1.a butuh SK")
    # A returned worksheet is corrected directly (no separate "resume" step).
    assert save(opened, "budi", "MP.1.a", "B", 1).version == 2
    ws_op(worksheets.resume)
    assert save(opened, "budi", "MP.1.a", "C", 2).version == 3


def test_submit_records_assessor_decisions(opened):
    from pmprb.assessments.store import decision_records

    _answer_all(opened, "budi")
    budi = opened.actor("budi")
    opened.run(lambda s: worksheets.submit(s, budi, opened.rnd(s), worksheets.get_worksheet(
        s, opened.rnd(s), units.get_unit(s, "DINKES"), people.get_person(s, "budi"))))
    with opened.db.session() as s:
        recs = decision_records.list_decisions(s, opened.rnd(s), kind="assessor")
        assert {r.criterion_id for r in recs} == {c for c in round_work.instrument_for(opened.rnd(s)).criteria
                                                  if c.startswith("MP.")}
        assert all(r.instrument_revision == opened.rnd(s).instrument_revision for r in recs)
        assert all(r.assessor_id == budi.id for r in recs)


def test_koordinator_cannot_review_own_worksheet(db):
    from tests.store.conftest import build_world
    from pmprb.assessments.setup import assignments

    w = build_world(db, assign=False)
    kora, kasi = w.actor("kora"), w.actor("kasi")
    w.run(lambda s: assignments.assign(s, kora, w.rnd(s), people.get_person(s, "kasi"),
                                       [units.get_unit(s, "DINKES")], ["MP"]))
    w.run(lambda s: wiring.open_round(s, kora, w.rnd(s)))
    _answer_all(w, "kasi")

    def ws(s):
        return worksheets.get_worksheet(s, w.rnd(s), units.get_unit(s, "DINKES"), people.get_person(s, "kasi"))

    w.run(lambda s: worksheets.submit(s, kasi, w.rnd(s), ws(s)))
    with pytest.raises(ForbiddenError, match="kertas kerjanya sendiri"):
        w.run(lambda s: worksheets.accept(s, kasi, w.rnd(s), ws(s)))
    w.run(lambda s: worksheets.accept(s, kora, w.rnd(s), ws(s)))


def test_unit_scoped_round_with_counts_and_computed_items(world):
    """An instrument of unit scope (here the bundled Zona Integritas one) with
    count items (whole numbers) and computed items (no answer of their own)."""
    from pmprb.assessments.setup import assignments

    kora, ani = world.actor("kora"), world.actor("ani")
    with pytest.raises(ValidationError, match="menilai satu unit kerja"):
        world.run(lambda s: rounds.create_round(s, kora, year=2024, instrument="zi-2021", code="zi"))

    def setup(s):
        unit = units.get_unit(s, "DINKES")
        rnd = rounds.create_round(s, kora, year=2024, instrument="zi-2021", scope_unit=unit)
        assert (rnd.code, rnd.scope) == ("2024-DINKES", "unit")
        with pytest.raises(ValidationError, match="hanya mencakup unit DINKES"):
            assignments.assign(s, kora, rnd, people.get_person(s, "ani"), [units.get_unit(s, "BAPPEDA")], ["r.mp"])
        assignments.assign(s, kora, rnd, people.get_person(s, "ani"), [unit], ["r.mp"])
        wiring.open_round(s, kora, rnd)
    world.run(setup)

    def save_zi(criterion, answer):
        return world.run(lambda s: answers.save_answer(s, ani, rounds.get_round(s, "2024-DINKES"),
                                                       units.get_unit(s, "DINKES"), criterion, answer,
                                                       expected_version=0))

    assert save_zi("R.MP.1.a.1", " 012 ").answer == "12"
    with pytest.raises(ValidationError, match="bilangan bulat"):
        save_zi("R.MP.1.a.2", "1.5")
    with pytest.raises(ValidationError, match="dihitung dari jumlah-jumlah lain"):
        save_zi("R.MP.1.a", "50")
