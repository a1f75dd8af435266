"""AssessSession: the walk's state, navigation, saving and the rules' feedback."""

from __future__ import annotations

import pytest

from pmprb.assessments import wiring
from pmprb import i18n
from pmprb.engine.inputs import normalise_answer as normalise
from pmprb.errors import ConflictError, ForbiddenError, NotFoundError, StateError, ValidationError

MP = ["MP.1.a", "MP.1.b", "MP.1.c", "MP.2.a", "MP.2.b", "MP.2.c", "MP.2.d", "MP.2.e"]


def test_walk_covers_assigned_criteria_in_instrument_order(world):
    s = world.session("ani")
    assert s.ids[:8] == MP
    assert {s.criterion(c).area for c in s.ids} == {"MP", "SDM"}
    assert s.current == "MP.1.a"
    p = s.progress()
    assert (p["answered"], p["total"]) == (0, len(s.ids))
    assert [a["area"] for a in p["areas"]] == ["MP", "SDM"]
    only_sdm = world.session("ani", area="sdm")
    assert {only_sdm.criterion(c).area for c in only_sdm.ids} == {"SDM"}


def test_area_not_assigned_is_refused(world):
    with pytest.raises(ForbiddenError, match="area PPU tidak ditugaskan.*ditugaskan: MP, SDM"):
        world.session("ani", area="PPU")


def test_a_coordinator_has_no_walk(world):
    with pytest.raises(ForbiddenError, match="diperlukan peran: asesor"):
        world.session("kora")


@pytest.mark.parametrize("typed,stored", [("a", "A"), (" b ", "B"), ("C", "C")])
def test_letters_are_case_insensitive(world, typed, stored):
    session = world.session()
    assert normalise(session.inst, "MP.1.a", typed) == stored


@pytest.mark.parametrize("typed,stored", [("ya", "Ya"), ("TIDAK", "Tidak"), ("y", "Ya"), ("t", "Tidak")])
def test_ya_tidak_and_initials(world, typed, stored):
    session = world.session()
    assert normalise(session.inst, "MP.2.a", typed) == stored


def test_answer_not_allowed_names_the_options(world):
    s = world.session()
    with pytest.raises(ValidationError, match="'E' tidak diizinkan untuk MP.1.a; pilihan: A, B, C"):
        s.save("MP.1.a", "E")
    assert world.answers() == {}


def test_save_and_gating_feedback(world):
    s = world.session()
    changed, fb = s.save("MP.2.b", "a", "Road Map mencakup 8 area")
    assert changed and fb.value == 1.0 and fb.warnings == ["jawaban di atas pilihan terburuk tanpa bukti dukung"]
    changed, fb = s.save("MP.2.a", "tidak")
    assert changed and fb.value == 0.0
    # The prerequisite's answer zeroes the items it gates: the assessor sees it at once.
    assert any(e.startswith("Akibatnya MP.2.b: 1 \u2192 0") and "dinilai 0 karena MP.2.a = Tidak" in e
               for e in fb.effects)
    fb = s.feedback("MP.2.b")
    assert fb.lines == ["Nilai MP.2.b: 0 (sebelum aturan gating: 1)", "dinilai 0 karena MP.2.a = Tidak"]
    assert world.answers()["MP.2.b"] == ("A", "Road Map mencakup 8 area", 1)


def test_feedback_in_english(world):
    i18n.set_lang("en")
    s = world.session()
    s.save("MP.2.a", "Tidak")
    _, fb = s.save("MP.2.c", "A")
    assert fb.lines[1] == "scored 0 because MP.2.a = Tidak"
    assert fb.warnings == ["answer above the worst option without supporting evidence"]


def test_unchanged_save_makes_no_version(world):
    s = world.session()
    s.save("MP.1.a", "A", "catatan")
    events = world.events()
    changed, _ = s.save("MP.1.a", "a", "catatan")
    assert not changed and world.answers()["MP.1.a"][2] == 1 and world.events() == events
    changed, _ = s.save("MP.1.a", "B")  # the note is kept when not given
    assert changed and world.answers()["MP.1.a"] == ("B", "catatan", 2)


def test_skip_back_jump(world):
    s = world.session()
    assert s.skip() == "MP.1.b"
    assert s.skip() == "MP.1.c"
    assert s.back() == "MP.1.b"
    assert s.jump("mp.2.c") == "MP.2.c"
    assert s.back() == "MP.1.b"
    with pytest.raises(NotFoundError, match="'XX.1' tidak ada dalam instrumen pmprb-2014"):
        s.jump("XX.1")
    with pytest.raises(NotFoundError, match="PPU.1.a tidak termasuk kriteria Anda.*area PPU"):
        s.jump("PPU.1.a")
    assert s.current == "MP.1.b"  # a failed jump stays put


def test_skip_goes_to_the_next_unanswered(world):
    s = world.session()
    s.save("MP.1.b", "A")
    s.save("MP.1.c", "A")
    assert s.skip() == "MP.2.a"
    s.jump("MP.1.a")
    s.save("MP.1.a", "A")
    assert s.advance() == "MP.2.a"


def test_resume_at_first_unanswered_after_reopening(world):
    s = world.session()
    for cid in ["MP.1.a", "MP.1.b", "MP.1.c"]:
        s.save(cid, "A")
    s.jump("MP.2.c")
    s.save("MP.2.c", "B")
    again = world.session()
    assert again.current == "MP.2.a"
    p = again.progress()
    assert p["answered"] == 4 and p["areas"][0] == {"area": "MP", "answered": 4, "total": 18}


def test_all_answered_starts_at_the_first_and_advance_ends(world):
    s = world.session(area="MP")
    for cid in s.ids:
        s.save(cid, s.criterion(cid).worst)
    again = world.session(area="MP")
    assert again.first_unanswered() is None and again.current == "MP.1.a"
    assert again.advance() is None


def test_linking_evidence_clears_the_warning(world, sk_file):
    world.add_file(sk_file, ["MP.1.a"], number="800/1/2024")
    s = world.session()
    assert [d.ref for d in s.evidence("MP.1.a")] == ["800/1/2024"]
    _, fb = s.save("MP.1.b", "A")
    assert fb.warnings
    fb = s.link("MP.1.b", "800/1/2024")
    assert "claimed_without_evidence" not in fb.flags and [d.ref for d in s.evidence("MP.1.b")] == ["800/1/2024"]
    # What remains is what the document is: MP.1.b asks for activity proof, an SK is a decree (issue 16).
    assert fb.flags == ["evidence_kind_not_accepted"] and len(fb.warnings) == 1 and "Keputusan" in fb.warnings[0]
    assert world.verify().ok, world.verify().problems


def test_add_file_and_url_from_the_session(world, sk_file):
    from datetime import date

    s = world.session()
    s.save("MP.1.a", "A")
    fb = s.add_file("MP.1.a", sk_file, title="SK Tim RB", document_date=date(2024, 1, 10), number="SK-1")
    assert fb.warnings == []
    s.add_url("MP.1.a", "https://jdih.example.go.id/sk-1", title="SK di JDIH", document_date=date(2024, 1, 10))
    assert len(s.evidence("MP.1.a")) == 2
    with pytest.raises(ValidationError, match="masa depan"):
        s.add_url("MP.1.a", "https://example.go.id/x", title="x", document_date=date(2999, 1, 1))
    with pytest.raises(NotFoundError):
        s.link("MP.1.a", "#999")


def test_concurrent_change_is_a_conflict_not_an_overwrite(world):
    first, second = world.session(), world.session()
    first.save("MP.1.a", "A")
    with pytest.raises(ConflictError, match="Ani Asesor \\(ani\\)"):
        second.save("MP.1.a", "C")
    assert world.answers()["MP.1.a"] == ("A", None, 1)
    assert second.stored("MP.1.a").version == 1  # reloaded: the next save is on top of what is stored
    second.save("MP.1.a", "C")
    assert world.answers()["MP.1.a"][0] == "C"


def test_submitted_worksheet_is_read_only(world):
    from pmprb.assessments.assess import worksheets

    s = world.session()
    for cid in s.ids:
        s.save(cid, s.criterion(cid).worst)
    world.in_round(lambda ses, a, r, u: worksheets.submit(ses, a, r, worksheets.get_worksheet(ses, r, u, a.person)))
    again = world.session()
    assert not again.writable and again.worksheet_state == "submitted"
    with pytest.raises(StateError, match="sudah dikirim dan terkunci"):
        again.save("MP.1.a", "A")


def test_count_items_of_zona_integritas(db):
    """Counts are whole numbers; computed items are not in the walk, their value follows from the counts."""
    from assess_support import World

    from pmprb.assessments.setup import assignments, people, rounds, units
    from pmprb.assessments.setup.permissions import resolve_actor

    def setup(s):
        people.init(s, institution_code="kpp", institution_name="KPP Pratama", admin_username="admin",
                    admin_name="Admin")
        admin = resolve_actor(s, "admin")
        people.add_person(s, admin, username="kora", name="Kora", roles=["koordinator"])
        people.add_person(s, admin, username="ani", name="Ani", roles=["asesor"])
        unit = units.add_unit(s, admin, code="KPP", name="KPP Pratama Madiun")
        kora = resolve_actor(s, "kora")
        rnd = rounds.create_round(s, kora, year=2024, instrument="zi-2021", code="ZI-2024", scope_unit=unit)
        assignments.assign(s, kora, rnd, people.get_person(s, "ani"), [unit], ["R.MP"])
        wiring.open_round(s, kora, rnd)

    db.run(setup)
    w = World(db, round_code="ZI-2024")
    s = w.session("ani", unit="KPP")
    assert "R.MP.1.a" not in s.ids and s.ids[:2] == ["R.MP.1.a.1", "R.MP.1.a.2"]
    with pytest.raises(ValidationError, match="bilangan bulat >= 0"):
        s.save("R.MP.1.a.1", "2,5")
    with pytest.raises(NotFoundError, match="dihitung otomatis dari R.MP.1.a.2, R.MP.1.a.1"):
        s.jump("R.MP.1.a")
    s.save("R.MP.1.a.1", "8")
    _, fb = s.save("R.MP.1.a.2", "6")
    assert fb.count == 6 and fb.lines == ["Jumlah R.MP.1.a.2: 6"]
    assert any(e.startswith("Akibatnya R.MP.1.a: 0 \u2192 0.75") for e in fb.effects), fb.effects
    from pmprb.presentation import sheet_export

    with db.session() as ses:
        view = sheet_export.overview(ses, w.rnd(ses), w.unit(ses, "KPP"), people.get_person(ses, "ani"))
    rows = {r["criterion"]: r for r in view["criteria"]}
    assert rows["R.MP.1.a"]["computed"] and rows["R.MP.1.a"]["decision"]["value"] == 0.75
    assert view["progress"]["answered"] == 2 and view["progress"]["total"] == len(s.ids)
