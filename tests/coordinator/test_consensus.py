"""Consensus items: opened on entering consensus, resolved with a rationale,
reopened with a reason, history kept, finalise refused while any is open,
and the MP.3.f record of whether every criterion was discussed."""

from __future__ import annotations

import json
from datetime import date

import pytest

import coordinator_support as cs
from pmprb.assessments import wiring
from pmprb.assessments.store import audit_log
from pmprb.assessments.coordinate import consensus
from pmprb.assessments.setup import round_work
from pmprb.errors import ConflictError, ForbiddenError, StateError, ValidationError


def items(w, **kw):
    return w.read(lambda s: [(i.criterion_id, i.state) for i in consensus.list_items(s, w.rnd(s), **kw)])


def item(w, cid):
    return w.read(lambda s: consensus.item_to_dict(s, consensus.get_item(s, w.rnd(s), cid),
                                                   round_work.instrument_for(w.rnd(s)), with_history=True))


def test_items_open_when_the_round_enters_consensus(small):
    cs.to_review(small)
    cs.accept_all(small, ("ani", "budi"))
    assert items(small) == []  # review shows disputes; items come with the consensus phase
    small.as_("kora", lambda s, a, r: wiring.start_consensus(s, a, r))
    assert items(small) == [("MP.1.b", "open")]
    d = item(small, "MP.1.b")
    assert d["spread"] == 0.33
    assert [(a["assessor"], a["answer"], a["value"]) for a in d["answers"]] == [("ani", "B", 0.67), ("budi", "A", 1.0)]
    assert [e["kind"] for e in d["history"]] == ["opened"]
    evs = small.read(lambda s: audit_log.events(s, small.rnd(s).id, action="consensus.opened"))
    assert len(evs) == 1 and [i["criterion"] for i in json.loads(evs[0].payload_json)["items"]] == ["MP.1.b"]


def test_a_refused_transition_opens_nothing(small):
    cs.to_review(small)
    cs.accept_all(small, ("ani",))  # budi's paper is not accepted: the store refuses consensus
    with pytest.raises(StateError, match="budi"):
        small.as_("kora", lambda s, a, r: wiring.start_consensus(s, a, r))
    assert items(small) == []


@pytest.fixture
def in_consensus(small):
    cs.to_consensus(small, ("ani", "budi"))
    return small


def resolve(w, who="kora", **kw):
    args = dict(final_answer="A", rationale="SK Tim RB dan laporan kerja lengkap", participants=["kora", "ani", "budi"],
                meeting_date=cs.MEETING, today=cs.TODAY)
    args.update(kw)
    return w.as_(who, lambda s, a, r: consensus.resolve(s, a, r, "MP.1.b", **args))


@pytest.mark.parametrize("rationale", [None, "", "   "])
def test_resolve_without_rationale_is_refused(in_consensus, rationale):
    with pytest.raises(ValidationError, match="alasan \\(rationale\\) wajib diisi.*MP.1.b"):
        resolve(in_consensus, rationale=rationale)
    assert items(in_consensus) == [("MP.1.b", "open")]


@pytest.mark.parametrize("kw, message", [
    ({"final_answer": "E"}, "jawaban 'E' tidak diizinkan untuk MP.1.b"),
    ({"participants": []}, "peserta rapat"),
    ({"participants": [" , "]}, "peserta rapat"),
    # Participants are registered people; an unknown name is refused, outside guests are explicit.
    ({"participants": ["kora", "hantu"]}, "peserta rapat harus orang yang terdaftar; tidak dikenal: hantu.*--guest"),
    ({"participants": ["Kepala Inspektorat"]}, "tidak dikenal: Kepala Inspektorat"),
    ({"guests": ["Iwan Setiawan"]}, r"tamu 'Iwan Setiawan': tulis \"Nama\|Jabatan\""),
    ({"guests": ["|Inspektur"]}, "keduanya wajib"),
    ({"meeting_date": None}, "tanggal rapat konsensus wajib"),
    ({"meeting_date": date(2024, 6, 2)}, "masa depan"),
    ({"meeting_date": date(2023, 12, 31)}, "di luar tahun ronde 2024"),
])
def test_resolve_checks_its_inputs(in_consensus, kw, message):
    with pytest.raises(ValidationError, match=message):
        resolve(in_consensus, **kw)


def test_only_a_koordinator_resolves(in_consensus):
    with pytest.raises(ForbiddenError, match="asesor"):
        in_consensus.as_("ani", lambda s, a, r: consensus.resolve(
            s, a, r, "MP.1.b", final_answer="A", rationale="x", participants=["ani"], meeting_date=cs.MEETING,
            today=cs.TODAY))


def test_resolve_records_everything_and_a_second_resolve_conflicts(in_consensus):
    resolve(in_consensus, final_answer="b", participants=["kora, ani", "ANI"],
            guests=["Iwan  Setiawan | Inspektur Kota Contoh", "iwan setiawan|x"])
    d = item(in_consensus, "MP.1.b")
    assert d["state"] == "resolved" and d["final_answer"] == "B" and d["final_value"] == 0.67
    assert d["participants"] == [{"username": "kora", "name": "Kora Koordinator"},
                                 {"username": "ani", "name": "Ani Asesor"},
                                 {"name": "Iwan Setiawan", "jabatan": "Inspektur Kota Contoh", "guest": True}]
    assert d["meeting_date"] == "2024-04-22" and d["resolved_by"] == "kora"
    assert [e["kind"] for e in d["history"]] == ["opened", "resolved"]
    with pytest.raises(ConflictError, match="sudah diselesaikan oleh kora.*jawaban akhir B"):
        resolve(in_consensus, who="kasi")


def test_stale_version_is_a_conflict(in_consensus):
    with pytest.raises(ConflictError, match="versi 1, Anda melihat versi 7"):
        resolve(in_consensus, expected_version=7)
    resolve(in_consensus, expected_version=1)


def test_reopen_needs_a_reason_keeps_history_and_blocks_finalise_again(in_consensus):
    resolve(in_consensus)
    with pytest.raises(ValidationError, match="alasan wajib.*membuka kembali"):
        in_consensus.as_("kora", lambda s, a, r: consensus.reopen_item(s, a, r, "MP.1.b", reason=""))
    in_consensus.as_("kora", lambda s, a, r: consensus.reopen_item(s, a, r, "MP.1.b",
                                                                 reason="Bukti baru dari Inspektorat"))
    d = item(in_consensus, "MP.1.b")
    assert d["state"] == "open" and d["final_answer"] is None
    reopened = d["history"][-1]
    assert reopened["kind"] == "reopened" and reopened["reason"] == "Bukti baru dari Inspektorat"
    assert reopened["data"]["previous"]["final_answer"] == "A"
    cs.set_hasil(in_consensus)
    with pytest.raises(StateError, match="1 butir konsensus masih terbuka") as exc:
        cs.finalise(in_consensus)
    assert any("MP.1.b" in d and "0,33" in d and "ani@DINKES=B" in d for d in exc.value.details)
    with pytest.raises(StateError, match="kini terbuka, belum diputuskan"):
        in_consensus.as_("kora", lambda s, a, r: consensus.reopen_item(s, a, r, "MP.1.b", reason="lagi"))


def test_finalise_refused_with_open_items_lists_them(in_consensus):
    cs.set_hasil(in_consensus)
    with pytest.raises(StateError) as exc:
        cs.finalise(in_consensus)
    assert exc.value.details[0].startswith("1 butir konsensus masih terbuka")
    assert "butir MP.1.b terbuka (selisih nilai 0,33): ani@DINKES=B, budi@DINKES=A" in exc.value.details
    assert in_consensus.read(lambda s: in_consensus.rnd(s).state) == "consensus"


def test_resolution_and_reopen_only_during_consensus(small):
    cs.to_consensus(small, ("ani", "budi"))
    resolve(small)
    cs.set_hasil(small)
    cs.finalise(small)
    with pytest.raises(StateError, match="hanya dapat dilakukan pada tahap konsensus"):
        small.as_("kora", lambda s, a, r: consensus.reopen_item(s, a, r, "MP.1.b", reason="terlambat"))


def test_every_criterion_discussed(in_consensus):
    cov = in_consensus.read(lambda s: consensus.discussion_coverage(s, in_consensus.rnd(s)))
    assert (cov["total"], cov["discussed"], cov["all_discussed"]) == (146, 0, False)
    resolve(in_consensus)
    with pytest.raises(ValidationError, match="MP.1.b tidak dapat dikonfirmasi"):
        in_consensus.as_("kora", lambda s, a, r: consensus.record_meeting(
            s, a, r, meeting_date=cs.MEETING, participants=["kora"], criteria=["MP.1.b"], today=cs.TODAY))
    in_consensus.as_("kora", lambda s, a, r: consensus.record_meeting(
        s, a, r, meeting_date=cs.MEETING, participants=["kora", "ani"], criteria=["MP.1.a"],
        today=cs.TODAY))
    cov = in_consensus.read(lambda s: consensus.discussion_coverage(s, in_consensus.rnd(s)))
    assert cov["discussed"] == 2 and "MP.1.a" not in cov["undiscussed"]
    m = in_consensus.as_("kora", lambda s, a, r: consensus.record_meeting(
        s, a, r, meeting_date=cs.MEETING, participants=["kora", "ani", "budi"], today=cs.TODAY))
    assert len(json.loads(m.criteria_json)) == 144  # every remaining, undisputed criterion
    cov = in_consensus.read(lambda s: consensus.discussion_coverage(s, in_consensus.rnd(s)))
    assert cov["all_discussed"] and cov["undiscussed"] == []
    with pytest.raises(ValidationError, match="semua sudah dibahas"):
        in_consensus.as_("kora", lambda s, a, r: consensus.record_meeting(
            s, a, r, meeting_date=cs.MEETING, participants=["kora"], today=cs.TODAY))
    cs.set_hasil(in_consensus)
    cs.finalise(in_consensus)
    from pmprb.assessments.coordinate import final_result

    fr = in_consensus.read(lambda s: final_result.current(s, in_consensus.rnd(s)))
    assert fr.all_discussed and final_result.data_of(fr)["discussion"]["all_discussed"]


def test_changed_answers_after_reopening_the_round_update_the_items(db):
    """A final round reopened to 'open': a corrected paper withdraws its item,
    a changed disputed answer reopens the resolution."""
    from pmprb.assessments.assess import answers
    from pmprb.assessments.coordinate import review
    from pmprb.assessments.setup import units
    from pmprb.assessments.assess import worksheets
    from pmprb.assessments.setup.people import get_person

    w = cs.build(db, areas=("PPU",), assessors=("ani", "budi"),
                 overrides={"budi": {"PPU.1.a": "C", "PPU.1.b": "A"}})
    cs.to_consensus(w, ("ani", "budi"))
    assert items(w) == [("PPU.1.a", "open"), ("PPU.1.b", "open")]
    cs.resolve(w, "PPU.1.a", "A")
    cs.resolve(w, "PPU.1.b", "B")
    cs.set_hasil(w)
    cs.finalise(w)
    w.as_("kora", lambda s, a, r: wiring.reopen(s, a, r, reason="Koreksi kertas kerja budi", to="open"))
    w.as_("kora", lambda s, a, r: review.return_worksheet(s, a, r, unit="DINKES", assessor="budi", reason="PPU.1"))

    def fix(s, actor, rnd):
        unit = units.get_unit(s, "DINKES")
        ws = worksheets.get_worksheet(s, rnd, unit, get_person(s, "budi"))
        worksheets.resume(s, actor, rnd, ws)
        for cid, new in (("PPU.1.a", "A"), ("PPU.1.b", "C")):
            cur = answers.get_answer(s, rnd, unit, get_person(s, "budi"), cid)
            answers.save_answer(s, actor, rnd, unit, cid, new, expected_version=cur.version)
        worksheets.submit(s, actor, rnd, ws)

    w.as_("budi", fix)
    cs.to_consensus(w, ("budi",))  # ani's paper is still accepted
    assert items(w) == [("PPU.1.a", "withdrawn"), ("PPU.1.b", "open")]
    hist = [e["kind"] for e in item(w, "PPU.1.b")["history"]]
    assert hist == ["opened", "resolved", "reopened"]
    assert [e["kind"] for e in item(w, "PPU.1.a")["history"]] == ["opened", "resolved", "withdrawn"]


def test_audit_verify_names_a_resolution_edited_outside_pmprb(in_consensus):
    from sqlalchemy import text


    resolve(in_consensus)
    rid = in_consensus.read(lambda s: in_consensus.rnd(s).id)
    assert in_consensus.read(lambda s: wiring.verify(s, rid)).ok
    with in_consensus.db.engine.begin() as conn:
        conn.execute(text("UPDATE consensus_item SET final_answer = 'D', rationale = 'diubah' "
                          "WHERE criterion_id = 'MP.1.b'"))
    report = in_consensus.read(lambda s: wiring.verify(s, rid))
    found = [p for p in report.problems if p.check == "consensus"]
    assert [p.action for p in found] == ["consensus.resolved", "consensus.resolved"]
    assert "final_answer" in found[0].message and "'D'" in found[0].message and "'A'" in found[0].message


def test_minutes_settings_are_audited_and_verified(in_consensus):
    from sqlalchemy import text

    from pmprb.assessments import wiring
    from pmprb.assessments.coordinate import minutes
    from pmprb.assessments.setup import people
    from pmprb.errors import NotFoundError

    w = in_consensus
    w.as_("admin", lambda s, a, r: people.add_person(s, a, username="yusuf", name="Yusuf Hidayat", roles=["auditor"],
                                                     nip="197001011995031005", jabatan="Inspektur Kota Contoh"))
    with pytest.raises(ValidationError, match="tidak ada perubahan"):
        w.as_("kora", lambda s, a, r: minutes.set_minutes(s, a, r))
    with pytest.raises(NotFoundError, match="hantu"):
        w.as_("kora", lambda s, a, r: minutes.set_minutes(s, a, r, acknowledged_by="hantu"))
    with pytest.raises(ForbiddenError):
        w.as_("ani", lambda s, a, r: minutes.set_minutes(s, a, r, place="x"))
    w.as_("kora", lambda s, a, r: minutes.set_minutes(s, a, r, number=" 700/1/BA/2024 ", place="Aula",
                                                      acknowledged_by="yusuf"))
    w.as_("kora", lambda s, a, r: minutes.set_minutes(s, a, r, place="Ruang Rapat Inspektorat"))
    got = w.read(lambda s: minutes.to_dict(s, minutes.get(s, w.rnd(s))))
    assert got == {"number": "700/1/BA/2024", "place": "Ruang Rapat Inspektorat", "acknowledged_by": "yusuf",
                   "version": 2}
    rid = w.read(lambda s: w.rnd(s).id)
    assert w.read(lambda s: wiring.verify(s, rid)).ok
    with w.db.engine.begin() as conn:
        conn.execute(text("UPDATE round_minutes SET number = '999/BA/2024'"))
    found = [p for p in w.read(lambda s: wiring.verify(s, rid)).problems if p.check == "minutes"]
    assert len(found) == 1 and "999/BA/2024" in found[0].message and found[0].action == "consensus.minutes"
