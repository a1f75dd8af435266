from pmprb.assessments import answers, audit, people, rounds, units, worksheets
from pmprb.assessments.rounds import instrument_for


def test_smoke(world):
    kora, ani, budi = world.actor("kora"), world.actor("ani"), world.actor("budi")
    world.run(lambda s: rounds.open_round(s, kora, world.rnd(s)))

    def answer_all(s, actor, person_name):
        rnd = world.rnd(s)
        unit = units.get_unit(s, "DINKES")
        person = people.get_person(s, person_name)
        from pmprb.assessments.assignments import assigned_criteria
        for cid in assigned_criteria(s, rnd, unit.id, person.id):
            answers.save_answer(s, actor, rnd, unit, cid, list(instrument_for(rnd).criterion(cid).values)[0], "ok",
                                expected_version=0)
        ws = worksheets.get_worksheet(s, rnd, unit, person)
        worksheets.submit(s, actor, rnd, ws)

    world.run(lambda s: answer_all(s, ani, "ani"))
    world.run(lambda s: answer_all(s, budi, "budi"))
    world.run(lambda s: rounds.start_review(s, kora, world.rnd(s)))

    def accept_all(s):
        rnd = world.rnd(s)
        for name in ("ani", "budi"):
            ws = worksheets.get_worksheet(s, rnd, units.get_unit(s, "DINKES"), people.get_person(s, name))
            worksheets.accept(s, kora, rnd, ws)

    world.run(accept_all)
    world.run(lambda s: rounds.start_consensus(s, kora, world.rnd(s)))
    world.run(lambda s: rounds.finalise(s, kora, world.rnd(s)))
    world.run(lambda s: rounds.reopen(s, kora, world.rnd(s), reason="koreksi"))
    with world.db.session() as s:
        rnd = world.rnd(s)
        rep = audit.verify(s, rnd.id)
        assert rep.ok, [p.describe() for p in rep.problems]
        print(rounds.summary(s, rnd))
        assert audit.verify(s, None).ok
