"""Finalisation: Hasil inputs, the frozen final result, and reopening."""

from __future__ import annotations

import json
from datetime import date

import pytest

import coordinator_support as cs
from pmprb.assessments import wiring
from pmprb.assessments.store import audit_log, decision_records
from pmprb.assessments.assess import evidence
from pmprb.assessments.coordinate import final_result, hasil
from pmprb.assessments.setup import rounds, units
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.canonical import sha256_hex
from pmprb.engine import scoring
from pmprb.engine.evaluator import evaluate
from pmprb.engine.instrument import load_instrument
from pmprb.errors import ForbiddenError, NotFoundError, StateError, ValidationError

INST = load_instrument("pmprb-2014")


# ---------------------------------------------------------------------------
# Hasil inputs


def test_named_inputs_come_from_the_instrument_data():
    got = hasil.resolve_inputs(INST, {"sakip": "70.05", "opini-bpk": "wtp"}, ["H.3.a=3.117", "H.1.b = 3,8"])
    assert got == {"H.1.a": "70.05", "H.2.b": "wtp", "H.3.a": "3.117", "H.1.b": "3,8"}
    with pytest.raises(ValidationError, match="tidak mengenal masukan --ikm.*H.1.a \\(--sakip\\)"):
        hasil.resolve_inputs(INST, {"ikm": "3"})
    with pytest.raises(ValidationError, match="bagian Hasil tidak dikenal 'H.9'"):
        hasil.resolve_inputs(INST, {}, ["H.9=1"])
    with pytest.raises(ValidationError, match="ID=NILAI"):
        hasil.resolve_inputs(INST, {}, ["H.1.a"])
    with pytest.raises(ValidationError, match="diisi dua kali"):
        hasil.resolve_inputs(INST, {"sakip": "70"}, ["H.1.a=71"])


def test_named_inputs_of_another_instrument_are_its_own():
    zi = load_instrument("zi-2021")
    parts = [p["id"] for p in zi.hasil_parts()]
    assert hasil.resolve_inputs(zi, {}, [f"{parts[0]}=3.1"]) == {parts[0]: "3.1"}
    with pytest.raises(ValidationError, match="tidak mengenal masukan --sakip"):
        hasil.resolve_inputs(zi, {"sakip": "70"})


@pytest.mark.parametrize("part, raw, message", [
    ("H.1.a", "100.01", "harus angka desimal 0..100"), ("H.1.b", "-1", "0..5"), ("H.2.a", "tiga", "0..4"),
    ("H.2.b", "BAIK", "pilihan: WTP, WTP-DPP, WDP, TMP, TW, TANPA-LK"), ("H.3.a", "nan", "0..4"),
])
def test_values_are_validated_by_the_scoring_module(part, raw, message):
    with pytest.raises(ValidationError, match=message):
        hasil.normalise(hasil.parts_by_id(INST)[part], raw)


def test_stored_as_entered_normalised(small):
    small.as_("kora", lambda s, a, r: hasil.set_inputs(s, a, r, {"H.1.a": "70,05", "H.2.b": "wtp-dpp"},
                                                      source="LHE 2023"))
    rows = {r["part"]: r for r in small.read(lambda s: hasil.table(s, small.rnd(s)))}
    assert rows["H.1.a"]["value"] == "70.05" and rows["H.1.a"]["points"] == pytest.approx(9.807)
    assert rows["H.2.b"]["value"] == "WTP-DPP" and rows["H.2.b"]["points"] == pytest.approx(2.5)
    assert rows["H.1.a"]["source"] == "LHE 2023" and rows["H.3.a"]["value"] is None
    assert small.read(lambda s: hasil.missing(s, small.rnd(s))) == ["H.1.b", "H.2.a", "H.3.a"]
    evs = small.read(lambda s: audit_log.events(s, small.rnd(s).id, action="hasil.set"))
    assert [c["part"] for c in json.loads(evs[-1].payload_json)["changes"]] == ["H.1.a", "H.2.b"]
    with pytest.raises(ForbiddenError):
        small.as_("ani", lambda s, a, r: hasil.set_inputs(s, a, r, {"H.1.a": "1"}))


def test_finalise_refused_without_every_hasil_figure(small):
    cs.to_consensus(small, ("ani", "budi"))
    cs.resolve_all(small)
    cs.set_hasil(small, {"H.1.a": "70.05"})
    with pytest.raises(StateError) as exc:
        cs.finalise(small)
    assert exc.value.details == ["nilai Hasil belum lengkap: H.1.b, H.2.a, H.2.b, H.3.a "
                                 "(pmprb round hasil --round 2024)"]


# ---------------------------------------------------------------------------
# the frozen result


def test_finalise_freezes_the_result_of_the_institution_answers(db):
    w = cs.finalised(db)
    with w.db.session() as s:
        rnd = w.rnd(s)
        assert rnd.state == "final"
        fr = final_result.current(s, rnd)
        data = final_result.data_of(fr)
        finals = decision_records.list_decisions(s, rnd, kind="final")
        events = audit_log.events(s, rnd.id, action="final.freeze")
    assert fr.seq == 1 and fr.result_hash == sha256_hex(fr.result_json)
    assert json.loads(events[0].payload_json)["result_sha256"] == fr.result_hash
    # One final decision per criterion, named in the frozen result.
    assert len(finals) == 146 and {d.decision_id for d in finals} == {c["decision_id"] for c in data["criteria"].values()}
    # The institution answers: merged ones, the resolved MP.1.b (first assessor's answer, B), nothing elsewhere.
    base = cs.baseline(areas=("MP", "PPU"))
    expected = dict(base, **{"MP.1.b": "B"})
    assert {cid: c["answer"] for cid, c in data["criteria"].items() if c["answer"]} == expected
    assert data["criteria"]["MP.1.b"]["source"] == "consensus" and data["criteria"]["MP.1.a"]["source"] == "merged"
    assert data["criteria"]["SDM.1.a"]["source"] == "unanswered"
    assert "unanswered" in data["criteria"]["SDM.1.a"]["flags"]
    # Scoring those answers directly gives the frozen figures.
    direct = scoring.score(INST, evaluate(INST, expected).values(),
                           {k: (v if k == "H.2.b" else float(v)) for k, v in cs.HASIL_2014.items()})
    assert fr.indeks_rb == pytest.approx(direct["indeks_rb"], abs=1e-9)
    assert data["score"]["areas"]["MP"]["subareas"]["MP.1"]["score"] == direct["areas"]["MP"]["subareas"]["MP.1"]["score"]
    assert (fr.pengungkit, fr.hasil, fr.grade) == (direct["pengungkit"], direct["hasil"], direct["grade"])


def test_evidence_summary_counts_distinct_documents_across_units(db):
    w = cs.build(db, areas=("PPU",), assessors=("ani", "budi"), evidence_for={"PPU.1.a": 2})
    store = EvidenceStore(db.evidence_dir)
    # The same document linked to two criteria, and a document of another unit.
    w.as_("kora", lambda s, a, r: evidence.add_evidence(
        s, store, a, r, units.get_unit(s, "DINKES"), criteria=["PPU.1.a", "PPU.1.b"], title="Dokumen PPU.1.a #1",
        number="PPU.1.a/1/2024", url="https://jdih.contoh.go.id/PPU.1.a/1", document_date=date(2024, 1, 10),
        today=cs.TODAY))
    w.as_("kora", lambda s, a, r: evidence.add_evidence(
        s, store, a, r, units.get_unit(s, "ORTALA"), criteria=["PPU.1.a"], title="Perwal harmonisasi",
        number="PW-7/2024", url="https://jdih.contoh.go.id/pw7", document_date=date(2024, 2, 1), today=cs.TODAY))
    cs.to_consensus(w, ("ani", "budi"))
    cs.set_hasil(w)
    cs.finalise(w)
    data = w.read(lambda s: final_result.data_of(final_result.current(s, w.rnd(s))))
    assert data["criteria"]["PPU.1.a"]["evidence"] == 3
    assert data["criteria"]["PPU.1.b"]["evidence"] == 1
    assert data["criteria"]["PPU.2.a"]["evidence"] == 0


def test_reopen_keeps_the_previous_result_and_refinalising_adds_the_next(db):
    w = cs.finalised(db)
    first = w.read(lambda s: final_result.current(s, w.rnd(s)))
    w.as_("kora", lambda s, a, r: wiring.reopen(s, a, r, reason="Nilai SAKIP terkoreksi"))
    with w.db.session() as s:
        rnd = w.rnd(s)
        assert final_result.current(s, rnd) is None and final_result.latest(s, rnd).seq == 1
        with pytest.raises(NotFoundError, match="belum memiliki hasil akhir.*ke-1"):
            final_result.require_current(s, rnd)
        snap = rounds.snapshots(s, rnd)[-1]
    kept = json.loads(snap.data_json)["extras"]["final_result"]
    assert kept["seq"] == 1 and kept["result_sha256"] == first.result_hash
    assert kept["result"]["score"]["indeks_rb"] == first.indeks_rb
    cs.set_hasil(w, {"H.1.a": "80"})
    cs.finalise(w)
    with w.db.session() as s:
        rnd = w.rnd(s)
        results = final_result.results(s, rnd)
        current = final_result.current(s, rnd)
    assert [r.seq for r in results] == [1, 2] and current.seq == 2
    assert results[0].result_hash == first.result_hash and results[0].result_json == first.result_json
    assert current.hasil == pytest.approx(first.hasil + (80 - 70.05) * 14 / 100)


def test_hasil_cannot_change_on_a_final_round(db):
    w = cs.finalised(db)
    with pytest.raises(StateError, match="sudah final"):
        cs.set_hasil(w, {"H.1.a": "80"})


@pytest.mark.parametrize("raw", ["1e1", "inf", "nan", "7_0", "0x10", "70.", ".5", "70,05,1"])
def test_a_scale_figure_is_a_plain_decimal(raw):
    """Issue 14: `round hasil --sakip 1e1` was accepted as 10."""
    with pytest.raises(ValidationError) as exc:
        hasil.normalise(hasil.parts_by_id(INST)["H.1.a"], raw)
    assert f"{raw!r} tidak valid" in exc.value.message and "--sakip" in exc.value.message


def test_every_bad_figure_is_reported_not_only_the_first():
    with pytest.raises(ValidationError) as exc:
        hasil.resolve_inputs(INST, {"sakip": "1e1", "opini-bpk": "bagus", "ikm": "3"}, ["H.1.b=lima"])
    assert "4 nilai Hasil tidak valid" in exc.value.message
    text = "\n".join(exc.value.details)
    for named in ("'1e1' tidak valid", "--opini-bpk): 'bagus' tidak dikenal", "masukan --ikm", "'lima' tidak valid"):
        assert named in text, text
