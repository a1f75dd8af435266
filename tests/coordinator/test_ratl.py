"""RATL: generated for exactly the criteria below their best, ordered by the
Indeks gain of fixing them, with a guarded workflow and audited edits."""

from __future__ import annotations

import json
from datetime import date

import pytest

import coordinator_support as cs
from pmprb.assessments import wiring
from pmprb.assessments.store import audit_log
from pmprb.assessments.coordinate import consensus, final_result, ratl
from pmprb.assessments.setup import rounds, round_work
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.engine import scoring
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument
from pmprb.errors import ConflictError, ForbiddenError, NotFoundError, StateError, ValidationError

INST = load_instrument("pmprb-2014")


def indeks(data: dict, fixed: dict | None = None) -> float:
    """The Indeks of the frozen answers with ``fixed`` answers changed: a full evaluation and score."""
    answers = {cid: e["answer"] for cid, e in data["criteria"].items() if e["answer"] is not None}
    answers.update(fixed or {})
    evaluation = evaluate(INST, answers, {cid: e["evidence"] for cid, e in data["criteria"].items()})
    return scoring.score(INST, evaluation.values(), data["hasil_inputs"])["indeks_rb"]


@pytest.fixture
def final(db):
    return cs.finalised(db)


def items(w, **kw):
    return w.read(lambda s: ratl.list_items(s, w.rnd(s), **kw))


def test_generated_for_exactly_the_actions_in_gain_order(final):
    data = final.read(lambda s: final_result.data_of(final_result.current(s, final.rnd(s))))
    got = items(final)
    assert [i.rank for i in got] == list(range(1, len(got) + 1))
    base = indeks(data)
    listed = set()
    for item in got:
        c = INST.criteria[item.criterion_id]
        entry = data["criteria"][c.id]
        # An action: its own value (before gating) is below its best.
        assert entry["raw_value"] < c.best_value
        # Its gain is the full re-score with this action alone done.
        assert item.gain == pytest.approx(indeks(data, {c.id: c.options[0][0]}) - base, abs=1e-9), c.id
        listed |= {c.id, *json.loads(item.unlocks_json)}
    gains = [(-round(i.gain, 9), INST.criteria[i.criterion_id].order) for i in got]
    assert gains == sorted(gains)
    # Every scored criterion below its best is an item or unlocked by one; those at best are neither.
    below = {cid for cid, e in data["criteria"].items() if INST.criteria[cid].scored and e["value"] < 1}
    assert listed == below
    # MP.2.a = Tidak zeroes MP.2.b–e: its item unlocks them.
    mp2a = next(i for i in got if i.criterion_id == "MP.2.a")
    assert json.loads(mp2a.unlocks_json) == ["MP.2.b", "MP.2.c", "MP.2.d", "MP.2.e"]
    assert mp2a.gain == pytest.approx(1 / 5 * (1 + 0.5 + 0 + 0.33 + 0))   # MP.2 weight 1, answers Ya/B/C/C/D
    # Unanswered areas are weaknesses too: every SDM criterion is an item or unlocked by one.
    assert {cid for cid in INST.criteria if cid.startswith("SDM.")} <= listed


def test_ties_are_broken_by_instrument_order(final):
    got = [(i.criterion_id, i.gain) for i in items(final)]
    sdm6 = [cid for cid, g in got if cid.startswith("SDM.6.")]
    assert sdm6 == ["SDM.6.a", "SDM.6.b", "SDM.6.c", "SDM.6.d"]
    assert len({round(g, 9) for cid, g in got if cid.startswith("SDM.6.")}) == 1


def test_item_contents(final):
    def item(cid):
        return final.read(lambda s: ratl.item_to_dict(s, ratl.get_item(s, final.rnd(s), cid),
                                                      round_work.instrument_for(final.rnd(s))))

    mp1b = item("MP.1.b")
    assert mp1b["value"] == 0.67 and mp1b["gain"] == pytest.approx(1 / 3 * 0.33)
    assert mp1b["kelemahan"].startswith("Jawaban akhir B (Sebagian besar tugas")
    assert "Hasil rapat konsensus: Disepakati setelah memeriksa bukti dukung" in mp1b["kelemahan"]
    # What the next level requires, from the instrument's ratl.yaml; the author's action and output.
    assert mp1b["rekomendasi"] == ("Naikkan dari jawaban B ke A: Seluruh tugas telah dilaksanakan oleh Tim "
                                   "Reformasi Birokrasi sesuai dengan rencana kerja.")
    assert mp1b["rencana_aksi"] == "Laksanakan rencana kerja Tim Reformasi Birokrasi dan dokumentasikan setiap kegiatannya"
    assert mp1b["output"] == "Laporan pelaksanaan rencana kerja Tim Reformasi Birokrasi"
    assert mp1b["responsible_role"] == "Tim Reformasi Birokrasi" and mp1b["responsible_unit"] is None
    assert mp1b["target_date"] == "2025-05-31" and mp1b["state"] == mp1b["status"] == "planned"
    assert mp1b["unlocks"] == []
    # The next option's text, and the best condition when it is further away.
    mp1c = item("MP.1.c")
    assert mp1c["rekomendasi"].startswith("Naikkan dari jawaban C ke B: Sebagian besar rencana kerja telah "
                                          "dimonitoring")
    assert "Kondisi terbaik (A): Seluruh rencana kerja telah dimonitoring" in mp1c["rekomendasi"]
    # No authored action or output: the plan starts from the recommendation; the output is the best condition.
    mp4a = item("MP.4.a")
    assert mp4a["rencana_aksi"] == mp4a["rekomendasi"]
    assert mp4a["output"].startswith("Bukti dukung yang menunjukkan kondisi jawaban A: ")
    mp2a = item("MP.2.a")
    assert mp2a["unlocks"] == ["MP.2.b", "MP.2.c", "MP.2.d", "MP.2.e"]
    assert "Tindakan ini membuka nilai MP.2.b, MP.2.c, MP.2.d, MP.2.e" in mp2a["rekomendasi"]
    # Gated and low by its own answer: an action that waits for its gate.
    mp2c = item("MP.2.c")
    assert "Nilai dibatasi aturan gating oleh MP.2.a." in mp2c["kelemahan"]
    assert "Kenaikan nilai baru terwujud setelah MP.2.a diperbaiki" in mp2c["rekomendasi"] and mp2c["gain"] == 0
    assert "Kriteria belum dinilai" in item("SDM.1.a")["kelemahan"]
    # No two items share a recommendation.
    texts = [i.rekomendasi for i in items(final)]
    assert len(set(texts)) == len(texts)
    # A role that is a unit's name maps to that unit without configuration.
    org = item("ORG.1.a")
    assert org["responsible_role"] == "Bagian Organisasi" and org["responsible_unit"] == "ORTALA"


def test_a_criterion_only_low_because_of_its_gate_is_not_an_item(db):
    w = cs.finalised(db, overrides={"ani": {"MP.2.b": "A"}, "budi": {"MP.1.b": "A", "MP.2.b": "A"}})
    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    assert data["criteria"]["MP.2.b"]["value"] == 0 and data["criteria"]["MP.2.b"]["raw_value"] == 1
    with pytest.raises(NotFoundError):
        w.read(lambda s: ratl.get_item(s, w.rnd(s), "MP.2.b"))
    mp2a = w.read(lambda s: ratl.get_item(s, w.rnd(s), "MP.2.a"))
    assert json.loads(mp2a.unlocks_json) == ["MP.2.b", "MP.2.c", "MP.2.d", "MP.2.e"]
    assert mp2a.gain == pytest.approx(1 / 5 * (1 + 1 + 0 + 0.33 + 0))
    listed = w.read(lambda s: ratl_lib_json(s, w))
    assert {i["criterion"]: i for i in listed}["MP.2.a"]["unlocks"] == ["MP.2.b", "MP.2.c", "MP.2.d", "MP.2.e"]
    # Explaining MP.2.b says which item unlocks it.
    from pmprb.assessments.audit.explain import explain

    d = w.read(lambda s: explain(s, w.rnd(s), "MP.2.b"))
    assert d["ratl"] is None and d["ratl_unlocked_by"] == ["MP.2.a"]


def ratl_lib_json(s, w):
    inst = round_work.instrument_for(w.rnd(s))
    return [ratl.item_to_dict(s, i, inst) for i in ratl.list_items(s, w.rnd(s))]


def test_target_date_defaults(db):
    w = cs.build(db, areas=("PPU",), assessors=("ani",), deadline=None)
    with db.session() as s:
        assert ratl.default_target_date(s, w.rnd(s)) == date(2025, 5, 31)
    w.as_("kora", lambda s, a, r: rounds.create_round(s, a, year=2025, code="2025", deadline=date(2025, 6, 15)))
    with db.session() as s:
        assert ratl.default_target_date(s, w.rnd(s)) == date(2025, 6, 15)


def move(w, who, cid, event, **kw):
    return w.as_(who, lambda s, a, r: ratl.transition(s, a, r, cid, event, **kw))


def test_status_transitions_and_guards(final, tmp_path):
    with pytest.raises(StateError, match="berstatus direncanakan; langkah “selesaikan” tidak dapat dilakukan.*mulai"):
        move(final, "kora", "MP.1.b", "complete", evidence="SK")
    with pytest.raises(ForbiddenError):
        move(final, "audi", "MP.1.b", "start")
    move(final, "ani", "MP.1.b", "start")
    with pytest.raises(StateError, match="hanya dapat ditandai selesai dengan bukti"):
        move(final, "ani", "MP.1.b", "complete")
    proof = tmp_path / "laporan-tim-rb.pdf"
    proof.write_bytes(b"%PDF laporan pelaksanaan rencana kerja Tim RB 2025")
    store = EvidenceStore(final.db.evidence_dir)
    move(final, "ani", "MP.1.b", "complete", evidence_file=proof, store=store)
    item = final.read(lambda s: ratl.get_item(s, final.rnd(s), "MP.1.b"))
    assert item.state == "done" and item.done_evidence == "laporan-tim-rb.pdf"
    assert (final.db.evidence_dir / item.done_evidence_path).read_bytes() == proof.read_bytes()
    with pytest.raises(ForbiddenError):
        move(final, "ani", "MP.1.b", "verify")  # an asesor does not verify
    with pytest.raises(StateError, match="alasan wajib"):
        move(final, "kora", "MP.1.b", "reject")
    move(final, "kora", "MP.1.b", "reject", reason="Laporan belum ditandatangani")
    # Rejected: the reason shows and the rejected evidence no longer counts as proof.
    item = final.read(lambda s: ratl.get_item(s, final.rnd(s), "MP.1.b"))
    assert item.state == "in_progress" and item.state_note == "Laporan belum ditandatangani"
    assert item.done_evidence is None and item.done_evidence_sha256 is None and item.done_by_id is None
    with pytest.raises(StateError, match="hanya dapat ditandai selesai dengan bukti"):
        move(final, "kora", "MP.1.b", "complete")
    move(final, "kora", "MP.1.b", "complete", evidence="Laporan Tim RB 2025 (ditandatangani)")
    with pytest.raises(StateError, match="menandai butir RATL MP.1.b selesai.*tidak dapat memverifikasinya"):
        move(final, "kora", "MP.1.b", "verify")
    move(final, "kasi", "MP.1.b", "verify")
    item = final.read(lambda s: ratl.get_item(s, final.rnd(s), "MP.1.b"))
    assert item.state == "verified" and item.state_note is None   # the new completion answered the rejection
    with pytest.raises(StateError, match="sudah diverifikasi"):
        final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", rencana_aksi="lain"))
    with pytest.raises(StateError, match="berstatus terverifikasi"):
        move(final, "kasi", "MP.1.b", "reject", reason="x")
    logged = final.read(lambda s: [json.loads(e.payload_json) for e in audit_log.events(s, final.rnd(s).id,
                                                                                   action="ratl.transition")])
    assert [(e["event"], e["to"]) for e in logged] == [
        ("start", "in_progress"), ("complete", "done"), ("reject", "in_progress"), ("complete", "done"),
        ("verify", "verified")]
    assert logged[2]["rejected_evidence"]["reference"] == "laporan-tim-rb.pdf"


def test_path_to_a_state_goes_step_by_step(final):
    moves = final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "done", evidence="SK 1/2025"))
    assert [(m.source, m.target) for m in moves] == [("planned", "in_progress"), ("in_progress", "done")]
    moves = final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "in_progress", reason="revisi"))
    assert [(m.source, m.target) for m in moves] == [("done", "in_progress")]
    with pytest.raises(ValidationError, match="status tidak dikenal 'selesai'"):
        final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "selesai"))


def test_the_state_an_item_is_in_is_no_move(final):
    assert final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "planned")) == []
    item = final.read(lambda s: ratl.get_item(s, final.rnd(s), "MP.1.b"))
    assert item.state == "planned" and item.version == 1
    move(final, "kora", "MP.1.b", "start")
    with pytest.raises(StateError, match="kini berjalan: tidak dapat kembali ke direncanakan.*selesaikan"):
        final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "planned"))


def test_a_refused_step_names_the_state_the_item_stays_in(final):
    with pytest.raises(StateError) as exc:
        final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "done"))
    assert "tetap direncanakan" in exc.value.message and "“selesaikan”" in exc.value.message
    assert any("hanya dapat ditandai selesai dengan bukti" in d for d in exc.value.details)
    assert final.read(lambda s: ratl.get_item(s, final.rnd(s), "MP.1.b")).state == "planned"


def test_edits_are_checked_and_audited(final):
    with pytest.raises(ForbiddenError):
        final.as_("ani", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", rencana_aksi="x"))
    with pytest.raises(ValidationError, match="rencana aksi tidak boleh kosong"):
        final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", rencana_aksi="  "))
    with pytest.raises(ValidationError, match="lebih awal dari tahun ronde"):
        final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", target_date=date(2023, 1, 1)))
    with pytest.raises(NotFoundError):
        final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", unit="TIDAKADA"))
    with pytest.raises(NotFoundError, match="tidak ada butir RATL untuk MP.1.a"):
        final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.a", output="x"))
    item = final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", rencana_aksi="Susun laporan bulanan",
                                                         unit="ORTALA", target_date=date(2025, 3, 31)))
    assert item.responsible_manual and item.version == 2
    with pytest.raises(ConflictError, match="versi 2, Anda melihat versi 1"):
        final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", output="x", expected_version=1))
    ev = final.read(lambda s: audit_log.events(s, final.rnd(s).id, action="ratl.update"))[-1]
    changes = json.loads(ev.payload_json)["changes"]
    assert changes["responsible_unit"] == {"from": None, "to": "ORTALA"}
    assert changes["target_date"] == {"from": "2025-05-31", "to": "2025-03-31"}


def test_role_mapping_updates_items_nobody_set_by_hand(final):
    final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", unit="DINKES"))
    m, changed = final.as_("kora", lambda s, a, r: ratl.map_role(s, a, "tim reformasi birokrasi", "ORTALA"))
    assert "2024:MP.1.b" not in changed and "2024:MP.1.c" in changed
    by_cid = {i.criterion_id: i for i in items(final)}
    with final.db.session() as s:
        from pmprb.assessments.setup.units import get_unit

        ortala, dinkes = get_unit(s, "ORTALA").id, get_unit(s, "DINKES").id
    assert by_cid["MP.1.c"].responsible_unit_id == ortala and by_cid["MP.1.b"].responsible_unit_id == dinkes
    assert final.read(ratl.role_mappings) == [{"role": "tim reformasi birokrasi", "unit": "ORTALA",
                                                "unit_name": "Bagian Organisasi"}]
    with pytest.raises(ForbiddenError):
        final.as_("ani", lambda s, a, r: ratl.map_role(s, a, "BKPSDM", "DINKES"))


def test_refinalising_keeps_progress_and_deactivates_fixed_criteria(final):
    final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "PPU.1.b", rencana_aksi="Rapat harmonisasi triwulanan"))
    move(final, "ani", "PPU.1.b", "start")
    before = {i.criterion_id for i in items(final)}
    assert "MP.1.b" in before
    final.as_("kora", lambda s, a, r: wiring.reopen(s, a, r, reason="MP.1.b dinilai ulang"))
    final.as_("kora", lambda s, a, r: consensus.reopen_item(s, a, r, "MP.1.b", reason="bukti baru"))
    cs.resolve(final, "MP.1.b", "A")
    cs.finalise(final)
    now = {i.criterion_id: i for i in items(final)}
    assert set(now) == before - {"MP.1.b"}
    kept = now["PPU.1.b"]
    assert kept.rencana_aksi == "Rapat harmonisasi triwulanan" and kept.state == "in_progress"
    old = [i for i in items(final, include_inactive=True) if i.criterion_id == "MP.1.b"]
    assert len(old) == 1 and not old[0].active
    with pytest.raises(StateError, match="tidak aktif"):
        move(final, "kora", "MP.1.b", "start")


def test_audit_verify_names_a_state_changed_outside_pmprb(final):
    from sqlalchemy import text


    move(final, "ani", "MP.1.b", "start")
    final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", output="Laporan bulanan Tim RB"))
    rid = final.read(lambda s: final.rnd(s).id)
    assert final.read(lambda s: wiring.verify(s, rid)).ok
    with final.db.engine.begin() as conn:
        conn.execute(text("UPDATE ratl_item SET state = 'verified', output = 'x' WHERE criterion_id = 'MP.1.b'"))
        conn.execute(text("UPDATE ratl_item SET state = 'done' WHERE criterion_id = 'MP.1.c'"))
    found = {(p.message.split(":")[0], p.action) for p in final.read(lambda s: wiring.verify(s, rid)).problems
             if p.check == "ratl"}
    assert found == {("butir RATL MP.1.b", "ratl.transition"), ("butir RATL MP.1.b", "ratl.update"),
                     ("butir RATL MP.1.c", "ratl.generate")}  # the generation logged its state


def test_a_criterion_at_its_best_with_flagged_evidence_is_an_action_that_renews_it(final):
    """Issue 16: the evidence flags reach the RATL as advice; a criterion already at its best value whose
    cited documents are outdated gets an action (gain 0, after the gains) saying what to cite instead."""
    advice = "Road Map Reformasi Birokrasi yang dirujuk berlaku 2016–2020; tetapkan Road Map periode berjalan"

    def regenerate(s):
        rnd = final.rnd(s)
        fr = final_result.current(s, rnd)
        data = final_result.data_of(fr)
        best = next(cid for cid, e in data["criteria"].items()
                    if INST.criteria[cid].scored and e["value"] == INST.criteria[cid].best_value)
        data["criteria"][best]["evidence_advice"] = [advice]
        data["criteria"][best]["flags"] = ["evidence_outdated"]
        ratl.generate(s, final.actor("kora"), rnd, fr, data)
        return best

    best = final.run(regenerate)
    got = items(final)
    item = next(i for i in got if i.criterion_id == best)
    assert item.rank == len(got) and item.gain == 0
    assert item.rekomendasi == advice + "." and item.rencana_aksi == advice + "."
    assert advice + "." in item.kelemahan
