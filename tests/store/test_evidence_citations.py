"""Everywhere evidence enters (issue 16 item 4, issue 14 item 3): the round's evaluation period,
stored evidence read as citations by every store evaluation, `evidence import`, `evidence unlink`,
`evidence parse` and what `evidence add` understood, end to end through the CLI."""

from __future__ import annotations

import json
import pytest
from click.testing import CliRunner
from sqlmodel import select

from pmprb.cli import main
from pmprb.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_STATE

TABLE = """\
kriteria,bukti
PPU.1.a,Laporan Hasil Identifikasi dan Pemetaan Peraturan Perundang-undangan Tahun 2022
PPU.1.b,"Rapat Harmonisasi Peraturan tanggal 3 Juni 2022 (undangan, daftar hadir, notulen)"
PPU.2.a,Rapat Koordinasi Penyusunan Peraturan Daerah tanggal 3 Juni 2019
PPU.2.b,Laporan Evaluasi Sistem Pengendalian Penyusunan Peraturan tanggal 5 Januari 2023
PPU.1.a,"Keputusan Bupati X Nomor: 180/17/2015 tentang Tim Harmonisasi sebagaimana telah diubah dengan Keputusan Bupati X Nomor 180/88/2021"
"""
ANSWERS = {"PPU.1.a": "A", "PPU.1.b": "A", "PPU.2.a": "A", "PPU.2.b": "A"}


@pytest.fixture
def run(db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PMPRB_LANG", raising=False)

    def invoke(*args, actor=None):
        full = ["--db", db_url] + (["--as", actor] if actor else []) + list(args)
        return CliRunner().invoke(main, full)
    return invoke


def ok(res):
    assert res.exit_code == 0, res.output
    return res


@pytest.fixture
def opened(run):
    """Kota X, round 2022 (evaluation period 2022), asesor ani on PPU of DINKES, open."""
    ok(run("init", "--institution-code", "kota-x", "--institution", "Pemerintah Kota X", "--admin", "admin",
           "--admin-name", "Admin"))
    ok(run("person", "add", "kora", "--name", "Kora", "--role", "koordinator", actor="admin"))
    ok(run("person", "add", "ani", "--name", "Ani", "--role", "asesor", actor="admin"))
    ok(run("unit", "add", "DINKES", "Dinas Kesehatan", actor="admin"))
    ok(run("round", "create", "--year", "2022", "--period", "2022", actor="kora"))
    ok(run("assign", "--round", "2022", "--assessor", "ani", "--unit", "DINKES", "--area", "PPU", actor="kora"))
    ok(run("round", "open", "2022", actor="kora"))
    return run


RU = ["--round", "2022", "--unit", "DINKES"]


def test_the_round_carries_its_evaluation_period(run, tmp_path):
    ok(run("init", "--institution-code", "kota-x", "--institution", "Kota X", "--admin", "admin",
           "--admin-name", "Admin"))
    ok(run("person", "add", "kora", "--name", "Kora", "--role", "koordinator", actor="admin"))
    ok(run("round", "create", "--year", "2025", actor="kora"))
    ok(run("round", "create", "--year", "2025", "--code", "2025-evaluasi-2024", "--period", "2024", actor="kora"))
    assert json.loads(ok(run("round", "show", "2025", "--json")).stdout)["period"] == 2025   # default: its year
    show = ok(run("round", "show", "2025-evaluasi-2024"))
    assert "Periode evaluasi" in show.stdout and "2024 (bukti dukung dinilai terhadap tahun ini)" in show.stdout
    res = run("round", "create", "--year", "2025", "--code", "x", "--period", "2026", actor="kora")
    assert res.exit_code == EXIT_INVALID and "periode evaluasi 2026 tidak valid" in res.stderr
    ok(run("audit", "verify"))


def test_import_links_parsed_documents_and_the_rules_judge_them(opened, tmp_path):
    (tmp_path / "bukti.csv").write_text(TABLE, encoding="utf-8")
    res = ok(opened("evidence", "import", "bukti.csv", *RU, "--json", actor="ani"))
    out = json.loads(res.stdout)
    assert out["rows"] == 5 and len(out["documents"]) == 5 and out["links"] == 5
    amended = out["documents"][4]
    assert [d["kind"] for d in amended["understood"]] == ["keputusan", "keputusan"]
    assert amended["understood"][1]["amends"] == 0 and amended["lines"] == [6]
    assert "dipahami sebagai: Keputusan Bupati X Nomor 180/17/2015 tahun 2015 tentang Tim Harmonisasi" in res.stderr
    assert "setelah periode evaluasi 2022" in res.stderr          # warned at once, not refused
    assert "5 baris, 5 dokumen (5 baru), 5 tautan baru" in res.stderr
    ok(opened("audit", "verify"))          # the ledger accounts for every row (one event: see below)
    # The same table again changes nothing.
    again = ok(opened("evidence", "import", "bukti.csv", *RU, actor="ani"))
    assert "5 dokumen (0 baru), 0 tautan baru" in again.stderr

    flags = {}
    for cid, answer in ANSWERS.items():
        data = json.loads(ok(opened("assess", "set", *RU, "--criterion", cid, "--answer", answer, "--json",
                                    actor="ani")).stdout)
        flags[cid] = data["decision"]["flags"]
    assert flags == {"PPU.1.a": [], "PPU.1.b": ["evidence_kind_not_accepted"], "PPU.2.a": ["evidence_outdated"],
                     "PPU.2.b": ["evidence_future"]}

    # At submit: warnings by kind, not blocking.
    res = ok(opened("assess", "submit", *RU, "--yes", "--json", actor="ani"))
    warned = {(w["criterion"], w["problem"]) for w in json.loads(res.stdout)["warnings"]}
    assert {("PPU.1.b", "evidence_kind_not_accepted"), ("PPU.2.a", "evidence_outdated"),
            ("PPU.2.b", "evidence_future")} <= warned
    assert "bukti dukung yang dirujuk sudah tidak berlaku atau sebelum periode evaluasi" in res.stderr

    # In review: the flags the rules decided at submission, per working paper.
    ok(opened("round", "review", "2022", actor="kora"))
    review = json.loads(ok(opened("review", "--round", "2022", "--json", actor="kora")).stdout)
    by_cid = {c["criterion"]: c["answers"][0]["evidence_flags"] for c in review["criteria"] if c["area"] == "PPU"}
    assert by_cid["PPU.2.a"] == ["evidence_outdated"] and by_cid["PPU.1.a"] == []
    text = ok(opened("review", "--round", "2022", "--area", "PPU", actor="kora")).stdout
    assert "[bukti dukung yang dirujuk bertanggal setelah periode evaluasi]" in text
    ok(opened("audit", "verify"))


def test_import_names_every_bad_row_and_writes_nothing(opened, tmp_path):
    (tmp_path / "salah.csv").write_text(
        "criterion,evidence\n"
        "PPU.1.a,Laporan Pemetaan Peraturan 2022\n"
        ",Laporan tanpa kriteria\n"
        "XX.9.z,Laporan Pemetaan 2022\n"
        "MP.1.a,Keputusan Bupati Nomor 1 Tahun 2022 tentang Tim RB\n"
        "PPU.1.b,\n"
        "PPU.2.a,qwerty asdf\n"
        "PPU.2.b,Rapat Evaluasi tanggal 3 Juni 2099\n"
        "PPU.2.b,satu,dua\n", encoding="utf-8")
    res = opened("evidence", "import", "salah.csv", *RU, actor="ani")
    assert res.exit_code == EXIT_INVALID, res.output
    err = res.stderr
    assert "salah.csv: 7 baris tidak terbaca; tidak ada yang diimpor" in err
    assert "salah.csv:3: kolom kriteria kosong; diharapkan kode kriteria seperti MP.1.a" in err
    assert "salah.csv:4: XX.9.z:" in err
    assert "salah.csv:5: MP.1.a: Ani (ani) tidak ditugaskan untuk area MP pada unit DINKES" in err
    assert "salah.csv:6: PPU.1.b: kolom bukti kosong; diharapkan rujukan dokumen" in err
    assert "salah.csv:7: PPU.2.a: 'qwerty asdf' tidak terbaca sebagai rujukan dokumen" in err
    assert "salah.csv:8: PPU.2.b:" in err and "masa depan" in err
    assert "salah.csv:9: 3 sel, diharapkan 2" in err
    assert json.loads(ok(opened("evidence", "list", "--round", "2022", "--json")).stdout) == []
    (tmp_path / "kolom.csv").write_text("kriteria,jawaban\nPPU.1.a,A\n", encoding="utf-8")
    res = opened("evidence", "import", "kolom.csv", *RU, actor="ani")
    assert res.exit_code == EXIT_INVALID and "kolom.csv:1: kolom tidak dikenal 'jawaban'" in res.stderr
    res = opened("--lang", "en", "evidence", "import", "salah.csv", *RU, actor="ani")
    assert "salah.csv: 7 rows could not be read; nothing was imported" in res.stderr


def test_unlink_is_recorded_and_refused_once_submitted(opened, tmp_path):
    (tmp_path / "bukti.csv").write_text(TABLE, encoding="utf-8")
    ok(opened("evidence", "import", "bukti.csv", *RU, actor="ani"))
    rows = json.loads(ok(opened("evidence", "list", "--round", "2022", "--json")).stdout)
    rapat = next(r for r in rows if r["title"].startswith("Rapat Koordinasi"))
    res = ok(opened("evidence", "unlink", f"#{rapat['id']}", *RU, "--criterion", "PPU.2.a", "--json", actor="ani"))
    assert json.loads(res.stdout)["unlinked"] == ["PPU.2.a"]
    assert "tautan ke PPU.2.a dihapus" in res.stderr
    ok(opened("audit", "verify"))          # the deleted row is in the ledger
    res = opened("evidence", "unlink", f"#{rapat['id']}", *RU, "--criterion", "PPU.2.a", actor="ani")
    assert res.exit_code == EXIT_INVALID and "tidak ditautkan ke PPU.2.a" in res.stderr
    assert opened("evidence", "unlink", "#999", *RU, "--criterion", "PPU.2.a", actor="ani").exit_code == EXIT_NOT_FOUND
    # Answer and submit; then a link of a submitted worksheet cannot be removed.
    ok(opened("evidence", "import", "bukti.csv", *RU, actor="ani"))
    for cid, answer in ANSWERS.items():
        ok(opened("assess", "set", *RU, "--criterion", cid, "--answer", answer, actor="ani"))
    ok(opened("assess", "submit", *RU, "--yes", actor="ani"))
    res = opened("evidence", "unlink", f"#{rapat['id']}", *RU, "--criterion", "PPU.2.a", actor="ani")
    assert res.exit_code == EXIT_STATE and "kertas kerja ani/DINKES sudah dikirim" in res.stderr
    ok(opened("audit", "verify"))


def test_unlink_writes_one_audit_event_with_the_deleted_row(opened, tmp_path, db_url):
    from pmprb.assessments.store.db import open_db
    from pmprb.assessments.store.models import AuditEvent

    (tmp_path / "bukti.csv").write_text(TABLE, encoding="utf-8")
    ok(opened("evidence", "import", "bukti.csv", *RU, actor="ani"))
    ok(opened("evidence", "unlink", "#1", *RU, "--criterion", "PPU.1.a", actor="ani"))
    db = open_db(db_url)
    with db.session() as s:
        events = list(s.exec(select(AuditEvent).order_by(AuditEvent.id)))
    actions = [e.action for e in events]
    assert actions.count("evidence.add") == 1 and actions.count("evidence.unlink") == 1
    payload = json.loads(next(e for e in events if e.action == "evidence.unlink").payload_json)
    assert payload["unlinked"] == ["PPU.1.a"] and list(payload["ledger"]["evidence_link"].values()) == [None]


def test_evidence_add_shows_what_it_understood_and_warns(opened, tmp_path):
    (tmp_path / "kosong.pdf").write_bytes(b"")
    (tmp_path / "roadmap.pdf").write_bytes(b"%PDF road map")
    (tmp_path / "roadmap-lagi.pdf").write_bytes(b"%PDF road map")
    res = ok(opened("evidence", "add", "kosong.pdf", *RU, "--criterion", "PPU.1.a", "--title", "Laporan Pemetaan",
                    "--date", "10-01-2022", actor="ani"))
    assert "berkas kosong.pdf kosong (0 bita)" in res.stderr
    res = ok(opened("evidence", "add", "roadmap.pdf", *RU, "--criterion", "PPU.1.a", "--number", "12",
                    "--title", "Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi "
                               "Tahun 2016-2020", "--date", "2016-05-02", "--json", actor="ani"))
    (doc,) = json.loads(res.stdout)
    assert doc["understood"][0]["kind"] == "perkada" and doc["understood"][0]["period"] == [2016, 2020]
    assert "dipahami sebagai: Peraturan Kepala Daerah/Pimpinan Bupati X Nomor 12 tanggal 2016-05-02" in res.stderr
    assert "berlaku s.d. 2020, sebelum periode evaluasi 2022" in res.stderr
    res = ok(opened("evidence", "add", "roadmap-lagi.pdf", *RU, "--criterion", "PPU.1.b", "--title", "Road Map",
                    "--date", "2022-01-05", actor="ani"))
    assert "sama persis dengan dokumen 12" in res.stderr
    res = ok(opened("--lang", "en", "evidence", "add", "roadmap.pdf", *RU, "--criterion", "PPU.2.a", "--number",
                    "12", "--title", "Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi "
                                     "Tahun 2016-2020", "--date", "2016-05-02", actor="ani"))
    assert "understood as: head-of-institution regulation by Bupati X No. 12" in res.stderr
    ok(opened("audit", "verify"))


def test_evidence_parse_prints_exactly_the_documents(run):
    text = ("Keputusan Bupati X Nomor: 061-402.011/17/2015 tentang Pembentukan Tim Reformasi Birokrasi "
            "sebagaimana telah diubah dengan Keputusan Bupati X Nomor: 061-402.011/88/2018")
    out = json.loads(ok(run("evidence", "parse", text, "--json")).stdout)
    assert list(out) == ["documents"] and len(out["documents"]) == 2
    assert all(set(d) == {"kind", "issuer", "number", "year", "date", "date_end", "period", "subject", "amends",
                          "span"} for d in out["documents"])
    assert out["documents"][1]["amends"] == 0 and out["documents"][0]["number"] == "061-402.011/17/2015"
    lines = ok(run("evidence", "parse", text)).stdout.splitlines()
    assert lines[0].startswith("1. Keputusan Bupati X Nomor 061-402.011/17/2015 tahun 2015")
    assert lines[1].endswith("(mengubah dokumen ke-1)")
    assert ok(run("evidence", "parse", "")).stdout == ""
