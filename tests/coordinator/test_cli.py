"""The coordinator's commands through the real CLI (CliRunner): exit codes,
messages on stderr, data on stdout, prompts, files written."""

from __future__ import annotations

import csv
import json
import re

import pytest
from click.testing import CliRunner

import coordinator_support as cs
from pmprb import cli
from pmprb.cli import main

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


def run(w, *args, who="kora", lang=None, input=None):
    pre = ["--db", w.db.url, "--as", who] + (["--lang", lang] if lang else [])
    return CliRunner().invoke(main, pre + list(args), input=input)


def test_review_text_json_and_blind(small):
    res = run(small, "review", "--round", "2024", who="ani")
    assert res.exit_code == 6 and "penilaian dilakukan secara buta" in res.stderr and res.stdout == ""
    res = run(small, "review", "--round", "2024", "--area", "MP")
    assert res.exit_code == 0, res.output
    assert "MP.1.b" in res.stdout and "[berbeda, selisih 0,33]" in res.stdout
    assert "ani@DINKES" in res.stdout and "Kesepakatan antarasesor per area" in res.stdout
    assert "18 kriteria: 17 sepakat, 1 berbeda" in res.stdout
    res = run(small, "review", "--round", "2024", "--area", "MP", lang="en")
    assert "[disputed, spread 0.33]" in res.stdout and "Agreement between assessors per area" in res.stdout
    assert "alpha per answer type" in res.stdout and "\nall " in res.stdout
    d = json.loads(run(small, "review", "--round", "2024", "--json").stdout)
    assert d["summary"]["disputed"] == 1 and d["agreement"][0]["area"] == "MP"
    assert d["agreement"][0]["alpha_by"] == "answer_type" and d["agreement"][0]["by_type"]
    assert d["agreement_overall"]["area"] == "*" and d["agreement_overall"]["items"] >= d["agreement"][0]["items"]
    assert run(small, "review").exit_code == 2


def test_review_return_and_accept(small):
    res = run(small, "review", "return", "--round", "2024", "--unit", "DINKES", "--assessor", "ani")
    assert res.exit_code == 2 and "--reason" in res.stderr
    res = run(small, "review", "return", "--round", "2024", "--unit", "DINKES", "--assessor", "ani",
              "--reason", "Lengkapi bukti MP.2")
    assert res.exit_code == 0 and "(dikirim → dikembalikan); asesor dapat memperbaikinya" in res.stderr
    res = run(small, "review", "accept", "--round", "2024", "--unit", "DINKES", "--assessor", "budi")
    assert res.exit_code == 0 and "diterima: dikirim → diterima" in res.stderr
    res = run(small, "review", "accept", "--round", "2024", "--unit", "DINKES", "--assessor", "budi")
    assert res.exit_code == 7 and "berstatus diterima" in res.stderr and "'accepted'" not in res.stderr


def test_consensus_commands(small):
    cs.to_consensus(small, ("ani", "budi"))
    res = run(small, "consensus", "list", "--round", "2024")
    assert res.exit_code == 0 and "MP.1.b" in res.stdout and "ani@DINKES=B, budi@DINKES=A" in res.stdout
    assert "Dibahas: 0 dari 146 kriteria" in res.stderr
    res = run(small, "consensus", "resolve", "--round", "2024", "MP.1.b", "--answer", "A", "--participant", "kora",
              "--date", "2024-04-22")
    assert res.exit_code == 1 and "alasan (rationale) wajib diisi" in res.stderr
    # Participants are registered people; an unknown name gets no signature line.
    res = run(small, "consensus", "resolve", "--round", "2024", "MP.1.b", "--answer", "A", "--rationale",
              "Laporan Tim RB lengkap", "--participant", "kora,hantu", "--date", "2024-04-22")
    assert res.exit_code == 1 and "tidak dikenal: hantu" in res.stderr and "--guest" in res.stderr
    res = run(small, "consensus", "resolve", "--round", "2024", "MP.1.b", "--answer", "A", "--rationale",
              "Laporan Tim RB lengkap", "--participant", "kora,ani", "--participant", "budi", "--date", "2024-04-22",
              "--guest", "Iwan Setiawan|Inspektur Kota Contoh")
    assert res.exit_code == 0 and "jawaban akhir A" in res.stderr
    d = json.loads(run(small, "consensus", "show", "--round", "2024", "MP.1.b", "--json").stdout)
    assert d["state"] == "resolved" and [p["name"] for p in d["participants"]] == ["Kora Koordinator", "Ani Asesor",
                                                                                    "Budi Asesor", "Iwan Setiawan"]
    assert d["participants"][-1] == {"name": "Iwan Setiawan", "jabatan": "Inspektur Kota Contoh", "guest": True}
    assert [e["kind"] for e in d["history"]] == ["opened", "resolved"]
    res = run(small, "consensus", "reopen", "--round", "2024", "MP.1.b")
    assert res.exit_code == 1 and "alasan wajib" in res.stderr
    res = run(small, "consensus", "meeting", "--round", "2024", "--date", "2024-04-22", "--participant", "kora")
    assert res.exit_code == 0 and "145 kriteria dikonfirmasi" in res.stderr
    listing = json.loads(run(small, "consensus", "list", "--round", "2024", "--json").stdout)
    assert listing["discussion"]["all_discussed"] is True
    assert run(small, "consensus", "show", "--round", "2024", "MP.1.a").exit_code == 3


def test_resolve_prompts_on_a_terminal(small, monkeypatch):
    cs.to_consensus(small, ("ani", "budi"))
    monkeypatch.setattr(cli.Context, "interactive", lambda self: True)
    res = run(small, "consensus", "resolve", "--round", "2024", "MP.1.b",
              input="B\nBukti hanya sebagian besar tugas\nkora, ani\n2024-04-23\n")
    assert res.exit_code == 0, res.output
    assert "ani@DINKES: B" in res.stderr  # the item is shown before the questions
    d = json.loads(run(small, "consensus", "show", "--round", "2024", "MP.1.b", "--json").stdout)
    assert (d["final_answer"], d["rationale"], d["meeting_date"]) == ("B", "Bukti hanya sebagian besar tugas",
                                                                      "2024-04-23")


def test_finalise_refused_with_open_items_then_accepted(small):
    cs.to_consensus(small, ("ani", "budi"))
    res = run(small, "round", "hasil", "--round", "2024", "--sakip", "70.05", "--kapasitas", "3.8",
              "--persepsi-korupsi", "3.31", "--opini-bpk", "WTP", "--pelayanan=3.117")
    assert res.exit_code == 0 and "H.1.a, H.1.b, H.2.a, H.2.b, H.3.a" in res.stderr
    res = run(small, "round", "finalise", "2024")
    assert res.exit_code == 7
    assert "1 butir konsensus masih terbuka" in res.stderr and "butir MP.1.b terbuka (selisih nilai 0,33)" in res.stderr
    cs.resolve_all(small)
    res = run(small, "round", "finalise", "2024")
    assert res.exit_code == 0 and "konsensus → final" in res.stderr
    d = json.loads(run(small, "round", "result", "--round", "2024", "--json").stdout)
    assert d["current"] and d["seq"] == 1 and d["result"]["score"]["indeks_rb"] == d["indeks_rb"]
    text = run(small, "round", "result", "--round", "2024").stdout
    assert "Indeks RB:" in text and d["result_sha256"] in text


def test_round_hasil_inputs(small):
    res = run(small, "round", "hasil", "--round", "2024", "--part", "H.1.a=170")
    assert res.exit_code == 1 and "harus angka desimal 0..100" in res.stderr
    res = run(small, "round", "hasil", "--round", "2024", "--ikm", "3")
    assert res.exit_code == 1 and "tidak mengenal masukan --ikm" in res.stderr
    res = run(small, "round", "hasil", "--round", "2024", "--sakip")
    assert res.exit_code == 2 and "--sakip membutuhkan nilai" in res.stderr
    res = run(small, "round", "hasil", "--round", "2024", "--part", "H.2.b=wdp")
    assert res.exit_code == 0
    d = json.loads(run(small, "round", "hasil", "--round", "2024", "--json").stdout)
    assert d["missing"] == ["H.1.a", "H.1.b", "H.2.a", "H.3.a"]
    assert next(p for p in d["parts"] if p["part"] == "H.2.b")["value"] == "WDP"
    assert "--persepsi-korupsi (H.2.a)" in run(small, "round", "hasil", "--help").stdout
    assert run(small, "round", "hasil", "--round", "2024", "--part", "H.1.a=1", who="ani").exit_code == 6


def test_ratl_commands(db, tmp_path):
    w = cs.finalised(db)
    res = run(w, "ratl", "list", "--round", "2024")
    items = json.loads(run(w, "ratl", "list", "--round", "2024", "--json").stdout)["items"]
    assert res.exit_code == 0 and res.stdout.splitlines()[2].split()[:2] == ["1", items[0]["criterion"]]
    assert [i["rank"] for i in items] == list(range(1, len(items) + 1))
    assert [i["gain"] for i in items] == sorted((i["gain"] for i in items), reverse=True)
    for i in items:
        assert {"criterion", "gain", "unlocks", "rank", "status"} <= set(i) and i["status"] == i["state"]
    assert next(i for i in items if i["criterion"] == "MP.2.a")["unlocks"] == ["MP.2.b", "MP.2.c", "MP.2.d", "MP.2.e"]
    # Figures shown as people write them, never binary noise (0.39599999999999996).
    shown = run(w, "ratl", "show", "--round", "2024", "MP.2.a").stdout
    assert re.search(r"^gain +0,3660$", shown, re.M) and re.search(r"^unlocks +MP.2.b, MP.2.c, MP.2.d, MP.2.e$", shown, re.M)
    # The state an item is in is no move.
    res = run(w, "ratl", "update", "--round", "2024", "MP.1.b", "--status", "planned")
    assert res.exit_code == 0 and "sudah direncanakan; status tidak berubah" in res.stderr
    assert json.loads(run(w, "ratl", "show", "--round", "2024", "MP.1.b", "--json").stdout)["version"] == 1
    res = run(w, "ratl", "update", "--round", "2024", "MP.1.b", "--status", "done")
    assert res.exit_code == 7 and "dengan bukti" in res.stderr and "tetap direncanakan" in res.stderr
    assert json.loads(run(w, "ratl", "show", "--round", "2024", "MP.1.b", "--json").stdout)["state"] == "planned"
    res = run(w, "ratl", "update", "--round", "2024", "MP.1.b", "--rencana-aksi", "Rapat evaluasi bulanan",
              "--target", "2025-03-31", "--status", "done", "--evidence", "Notulen 3/2025")
    assert res.exit_code == 0 and "direncanakan → berjalan; berjalan → selesai" in res.stderr
    assert run(w, "ratl", "update", "--round", "2024", "MP.1.b", "--status", "verified").exit_code == 7
    assert run(w, "ratl", "update", "--round", "2024", "MP.1.b", "--status", "verified", who="kasi").exit_code == 0
    assert run(w, "ratl", "update", "--round", "2024", "MP.1.c").exit_code == 1
    res = run(w, "ratl", "map-role", "BKPSDM", "DINKES")
    assert res.exit_code == 0 and "dipetakan ke unit DINKES" in res.stderr
    out = tmp_path / "ratl.csv"
    res = run(w, "ratl", "export", "--round", "2024", "--format", "csv", "-o", str(out))
    assert res.exit_code == 0 and res.stdout.strip() == str(out)
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][:2] == ["No", "Kriteria"] and len(rows) == len(items) + 1
    mp = next(r for r in rows if r[1] == "MP.1.b")
    assert "Rapat evaluasi bulanan" in mp and "terverifikasi" in mp and "0.67" in mp


def test_ratl_path_command(db):
    w = cs.finalised(db)
    p = json.loads(run(w, "ratl", "path", "--round", "2024", "--json").stdout)
    assert p["reachable"] and p["grade_from"] == "C" and p["target"] == "CC" and p["threshold"] == 50
    assert p["count"] == len(p["actions"]) == len(p["steps"]) and p["indeks_to"] > 50 >= p["indeks_from"]
    assert p["grade_to"] == "CC" and p["exact"]
    res = run(w, "ratl", "path", "--round", "2024", "--target", "BB")
    assert res.exit_code == 0 and "→ target BB:" in res.stdout and "BB)" in res.stdout
    res = run(w, "ratl", "path", "--round", "2024", "--target", "95")   # Hasil 30.95 + Pengungkit 60 at most
    assert res.exit_code == 0 and "tidak tercapai" in res.stdout and "90,95" in res.stdout
    res = run(w, "ratl", "path", "--round", "2024", "--target", "ZZ")
    assert res.exit_code == 1 and "bukan predikat" in res.stderr


def test_reports_default_to_a_folder_beside_the_database(db, tmp_path):
    w = cs.finalised(db)
    for name in ("lke", "berita-acara", "ratl", "ringkasan"):
        res = run(w, "report", name, "--round", "2024")
        assert res.exit_code == 0, res.output
        path = res.stdout.strip()
        assert path == str(tmp_path / "reports" / f"{name}-2024.html")
        text = open(path, encoding="utf-8").read()
        assert text.startswith("<!DOCTYPE html>") and "<script" not in text and "<link" not in text
        assert not re.search(r"\b(src|href)=", text)  # self-contained: nothing loaded from elsewhere
    res = run(w, "report", "ringkasan", "--round", "2024", lang="en")
    assert res.stdout.strip().endswith("ringkasan-2024.en.html")
    res = run(w, "report", "lke", "--round", "2024", "-o", str(tmp_path / "x" / "lke.xlsx"))
    assert res.exit_code == 0 and (tmp_path / "x" / "lke.xlsx").stat().st_size > 0
    assert run(w, "report", "lke", "--round", "2024", "--format", "xlsx", "-o", str(tmp_path / "a.html")).exit_code == 2
    assert run(w, "report", "ringkasan", "--round", "2024", "--format", "xlsx").exit_code == 2


def test_reports_need_a_final_round(small):
    res = run(small, "report", "ringkasan", "--round", "2024")
    assert res.exit_code == 3 and "belum memiliki hasil akhir" in res.stderr
    res = run(small, "report", "berita-acara", "--round", "2024")
    assert res.exit_code == 7 and "tahap konsensus atau final (ronde 2024 kini dibuka)" in res.stderr


def test_people_nip_jabatan_and_the_minutes_settings(small):
    res = run(small, "person", "add", "yusuf", "--name", "Yusuf Hidayat", "--role", "auditor", "--nip", "1970",
              who="admin")
    assert res.exit_code == 1 and "NIP terdiri atas 18 angka" in res.stderr
    res = run(small, "person", "add", "yusuf", "--name", "Yusuf Hidayat", "--role", "auditor",
              "--nip", "19700101 199503 1 005", "--jabatan", "Inspektur Kota Contoh", who="admin")
    assert res.exit_code == 0
    res = run(small, "person", "set", "kora", "--nip", "197806202003121004", "--jabatan", "Sekretaris Inspektorat",
              who="admin")
    assert res.exit_code == 0 and "nip, jabatan" in res.stderr
    assert run(small, "person", "set", "kora", "--nip", "1", who="kora").exit_code == 6   # admin only
    people = {p["username"]: p for p in json.loads(run(small, "person", "list", "--json").stdout)}
    assert people["yusuf"]["nip"] == "197001011995031005" and people["kora"]["jabatan"] == "Sekretaris Inspektorat"
    assert "19700101 199503 1 005" in run(small, "person", "list").stdout
    res = run(small, "consensus", "minutes", "--round", "2024", "--number", "700/1/BA/2024", "--place",
              "Aula Inspektorat", "--acknowledged-by", "yusuf")
    assert res.exit_code == 0
    d = json.loads(run(small, "consensus", "minutes", "--round", "2024", "--json").stdout)
    assert d == {"number": "700/1/BA/2024", "place": "Aula Inspektorat", "acknowledged_by": "yusuf", "version": 1}
    assert run(small, "consensus", "minutes", "--round", "2024", "--acknowledged-by", "hantu").exit_code == 3
    assert run(small, "consensus", "minutes", "--round", "2024", "--place", "x", who="ani").exit_code == 6
