"""`pmprb audit verify` extended: evidence files on disk, snapshots, and where
an edited instrument changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pmprb.assessments import wiring
from pmprb.assessments.audit import integrity_checks
from pmprb.errors import EXIT_MISMATCH


def stored_file(w, number: str) -> Path:
    rel = w.scalar("SELECT r.storage_path FROM evidence_revision r WHERE r.number = :n", n=number)
    return w.db.evidence_dir / rel


def problems(w, check: str) -> list:
    with w.db.session() as s:
        return [p for p in wiring.verify(s, w.rnd(s).id).problems if p.check == check]


def test_clean_round_runs_the_extra_checks(final_round):
    with final_round.db.session() as s:
        rep = wiring.verify(s, final_round.rnd(s).id)
    assert rep.ok, [p.describe() for p in rep.problems]
    assert {"evidence_files", "snapshots", "instrument_changes"} <= set(rep.checks)
    res = final_round.cli("audit", "verify", "--round", "2024")
    assert res.exit_code == 0, res.output


def test_altered_evidence_file_is_named(final_round):
    path = stored_file(final_round, "800/12/2024")
    os.chmod(path, 0o644)
    path.write_bytes(b"%PDF-1.4 SK Tim Reformasi Birokrasi (revised by hand)\n")
    res = final_round.cli("audit", "verify", "--round", "2024")
    assert res.exit_code == EXIT_MISMATCH
    assert ("[evidence_files] berkas bukti 800/12/2024 (unit DINKES, revisi 1, “SK Tim Reformasi Birokrasi”) "
            "telah diubah di luar pmprb") in res.stdout
    assert str(path) in res.stdout
    (p,) = problems(final_round, "evidence_files")
    assert p.check == "evidence_files" and "050/7/2020" not in p.message


def test_missing_evidence_file_is_named_in_english(final_round):
    path = stored_file(final_round, "050/7/2020")
    path.unlink()
    res = final_round.cli("audit", "verify", "--round", "2024", "--json", lang="en")
    assert res.exit_code == EXIT_MISMATCH
    (report,) = json.loads(res.stdout)
    (p,) = [p for p in report["problems"] if p["check"] == "evidence_files"]
    assert p["message"] == (f"evidence file 050/7/2020 (unit DINKES, revision 1, “Road Map RB 2020-2024”) is missing "
                            f"from the evidence store: {path}")


def test_instrument_edit_is_named_down_to_the_field(final_round):
    final_round.sql("UPDATE assessment_round SET instrument_json = replace(instrument_json, :a, :b)",
                    a='"weight":5', b='"weight":9')
    res = final_round.cli("audit", "verify", "--round", "2024")
    assert res.exit_code == EXIT_MISMATCH
    assert "[instrument] JSON instrumen yang tersimpan" in res.stdout
    (p,) = problems(final_round, "instrument_changes")
    assert "instrumen ronde diubah pada: areas[MP].weight" in p.message


def test_snapshot_edit_is_named(final_round):
    kora = final_round.actor("kora")
    final_round.run(lambda s: wiring.reopen(s, kora, final_round.rnd(s), reason="salah ketik jawaban PPU.1.a"))
    assert problems(final_round, "snapshots") == []
    final_round.sql("UPDATE round_snapshot SET data_json = replace(data_json, :a, :b)", a='"state":"final"',
                    b='"state":"consensus"')
    (p,) = problems(final_round, "snapshots")
    assert p.message.startswith("snapshot 1 (reopen, ") and "isi diubah" in p.message
    final_round.sql("UPDATE round_snapshot SET data_hash = :h", h="0" * 64)
    msgs = [p.message for p in problems(final_round, "snapshots")]
    assert len(msgs) == 2 and "tercatat 000000000000" in msgs[0] and "sha256" in msgs[1]


def test_changed_paths_names_list_items_by_id():
    a = {"areas": [{"code": "MP", "weight": 5, "subareas": [{"id": "MP.1", "criteria": [{"id": "MP.1.a", "text": "x"}]}]}]}
    b = json.loads(json.dumps(a))
    b["areas"][0]["subareas"][0]["criteria"][0]["text"] = "y"
    b["extra"] = 1
    assert integrity_checks.changed_paths(a, b) == ["areas[MP].subareas[MP.1].criteria[MP.1.a].text", "extra"]
    assert integrity_checks.changed_paths(1, True) == ["(root)"]


def test_frozen_result_edit_is_named(final_round):
    assert problems(final_round, "final_results") == []
    final_round.sql("UPDATE final_result SET indeks_rb = indeks_rb + 1, grade = 'AA'")
    msgs = [p.message for p in problems(final_round, "final_results")]
    assert any(m.startswith("hasil akhir ke-1: indeks_rb tersimpan") for m in msgs)
    assert any(m.startswith("hasil akhir ke-1: kolom grade = 'AA' tetapi JSON hasil memuat") for m in msgs)
    final_round.sql("UPDATE final_result SET result_json = replace(result_json, :a, :b)", a='"grade":"', b='"grade":"X')
    assert any("isi diubah" in p.message for p in problems(final_round, "final_results"))


def test_altered_ratl_evidence_file_is_named(final_round, tmp_path):
    from pmprb.assessments.coordinate import ratl
    from pmprb.assessments.assess.evidence import EvidenceStore

    proof = tmp_path / "laporan-tim-rb.pdf"
    proof.write_bytes(b"%PDF-1.4 laporan pelaksanaan rencana kerja Tim RB\n")
    kora = final_round.actor("kora")
    store = EvidenceStore(final_round.db.evidence_dir)
    final_round.run(lambda s: ratl.path_to(s, kora, final_round.rnd(s), "MP.1.b", "done",
                                           evidence="Laporan Tim RB 2024", evidence_file=proof, store=store))
    assert problems(final_round, "evidence_files") == []
    rel = final_round.scalar("SELECT done_evidence_path FROM ratl_item WHERE criterion_id = 'MP.1.b'")
    path = final_round.db.evidence_dir / rel
    os.chmod(path, 0o644)
    path.write_bytes(b"diganti\n")
    (p,) = problems(final_round, "evidence_files")
    assert p.message.startswith("berkas bukti RATL MP.1.b (“Laporan Tim RB 2024”) telah diubah di luar pmprb")
