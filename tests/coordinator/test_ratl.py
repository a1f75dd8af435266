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
from pmprb.engine.instrument import load_instrument
from pmprb.errors import ConflictError, ForbiddenError, NotFoundError, StateError, ValidationError

INST = load_instrument("pmprb-2014")


def expected_plan(values: dict[str, float]) -> list[tuple[str, float]]:
    """By hand: every scored criterion below 1, gain = sub-area weight / its
    number of criteria x (1 - value), largest first, ties in instrument order."""
    rows = []
    for order, (cid, c) in enumerate(INST.criteria.items()):
        if values[cid] < 1:
            sub = INST.subarea(c.subarea)
            gain = sub["weight"] / len(sub["criteria"]) * (1 - values[cid])
            rows.append((-round(gain, 9), order, cid, gain))
    return [(cid, gain) for _g, _o, cid, gain in sorted(rows)]


@pytest.fixture
def final(db):
    return cs.finalised(db)


def items(w, **kw):
    return w.read(lambda s: ratl.list_items(s, w.rnd(s), **kw))


def test_generated_for_exactly_the_criteria_below_best_in_gain_order(final):
    data = final.read(lambda s: final_result.data_of(final_result.current(s, final.rnd(s))))
    values = {cid: c["value"] for cid, c in data["criteria"].items()}
    plan = expected_plan(values)
    got = items(final)
    assert [i.criterion_id for i in got] == [cid for cid, _ in plan]
    assert [i.rank for i in got] == list(range(1, len(plan) + 1))
    assert [i.gain for i in got] == pytest.approx([g for _, g in plan])
    at_best = {cid for cid, v in values.items() if v >= 1}
    assert at_best and not at_best & {i.criterion_id for i in got}
    # Unanswered areas are weaknesses too: every SDM criterion is in the plan.
    assert {cid for cid in INST.criteria if cid.startswith("SDM.")} <= {i.criterion_id for i in got}


def test_ties_are_broken_by_instrument_order(final):
    got = [(i.criterion_id, i.gain) for i in items(final)]
    sdm4 = [cid for cid, g in got if cid.startswith("SDM.4.")]
    assert sdm4 == sorted(sdm4, key=lambda c: INST.criteria[c].order)
    assert len({round(g, 9) for cid, g in got if cid.startswith("SDM.4.")}) == 1


def test_item_contents(final):
    item = final.read(lambda s: ratl.item_to_dict(s, ratl.get_item(s, final.rnd(s), "MP.1.b"),
                                                  round_work.instrument_for(final.rnd(s))))
    c = INST.criteria["MP.1.b"]
    assert item["value"] == 0.67 and item["gain"] == pytest.approx(1 / 3 * 0.33)
    assert item["kelemahan"].startswith("Jawaban akhir B (Sebagian besar tugas")
    assert "Hasil rapat konsensus: Disepakati setelah memeriksa bukti dukung" in item["kelemahan"]
    assert item["rekomendasi"] == c.ratl_action == item["rencana_aksi"]
    assert item["output"] == "Tercapai kondisi terbaik: " + c.options[0][1]
    assert item["responsible_role"] == "Tim Reformasi Birokrasi" and item["responsible_unit"] is None
    assert item["target_date"] == "2025-05-31" and item["state"] == "planned"
    gated = final.read(lambda s: ratl.get_item(s, final.rnd(s), "MP.2.b"))
    assert "Nilai dibatasi aturan gating oleh MP.2.a." in gated.kelemahan
    unanswered = final.read(lambda s: ratl.get_item(s, final.rnd(s), "SDM.1.a"))
    assert "Kriteria belum dinilai" in unanswered.kelemahan
    # A role that is a unit's name maps to that unit without configuration.
    org = final.read(lambda s: ratl.item_to_dict(s, ratl.get_item(s, final.rnd(s), "ORG.1.a"),
                                                 round_work.instrument_for(final.rnd(s))))
    assert org["responsible_role"] == "Bagian Organisasi" and org["responsible_unit"] == "ORTALA"


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
    with pytest.raises(StateError, match="'planned': transisi 'complete' tidak diizinkan.*start"):
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
    move(final, "kora", "MP.1.b", "complete", evidence="Laporan Tim RB 2025 (ditandatangani)")
    with pytest.raises(StateError, match="menandai butir RATL MP.1.b selesai.*tidak dapat memverifikasinya"):
        move(final, "kora", "MP.1.b", "verify")
    move(final, "kasi", "MP.1.b", "verify")
    item = final.read(lambda s: ratl.get_item(s, final.rnd(s), "MP.1.b"))
    assert item.state == "verified" and item.state_note == "Laporan belum ditandatangani"
    with pytest.raises(StateError, match="sudah diverifikasi"):
        final.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.1.b", rencana_aksi="lain"))
    with pytest.raises(StateError, match="'verified'"):
        move(final, "kasi", "MP.1.b", "reject", reason="x")
    logged = final.read(lambda s: [json.loads(e.payload_json) for e in audit_log.events(s, final.rnd(s).id,
                                                                                   action="ratl.transition")])
    assert [(e["event"], e["to"]) for e in logged] == [
        ("start", "in_progress"), ("complete", "done"), ("reject", "in_progress"), ("complete", "done"),
        ("verify", "verified")]


def test_path_to_a_state_goes_step_by_step(final):
    moves = final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "done", evidence="SK 1/2025"))
    assert [(m.source, m.target) for m in moves] == [("planned", "in_progress"), ("in_progress", "done")]
    moves = final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "in_progress", reason="revisi"))
    assert [(m.source, m.target) for m in moves] == [("done", "in_progress")]
    with pytest.raises(ValidationError, match="status tidak dikenal 'selesai'"):
        final.as_("kora", lambda s, a, r: ratl.path_to(s, a, r, "MP.1.b", "selesai"))


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
