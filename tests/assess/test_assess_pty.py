"""A real interactive session through a pseudo-terminal (pexpect): answer,
attach a file, see a gating message, quit, resume where it stopped, and
submit to see the missing-evidence list."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)

PROMPT = r"Jawaban \[[^\]]+\] \(:bantuan\): "
EVIDENCE = r"Enter = lanjut: "


def command() -> list[str]:
    script = shutil.which("pmprb")
    return [script] if script else [sys.executable, "-c", "from pmprb.cli import cli_entry; cli_entry()"]


@pytest.fixture
def term(world, tmp_path):
    env = dict(os.environ, PMPRB_DATABASE_URL=world.db.url, PMPRB_USER="ani", PMPRB_LANG="id",
               PMPRB_EVIDENCE_DIR=os.environ["PMPRB_EVIDENCE_DIR"], COLUMNS="160", TERM="dumb")
    env.pop("PMPRB_NO_INPUT", None)
    spawned = []

    def spawn(*args):
        cmd = command()
        child = pexpect.spawn(cmd[0], cmd[1:] + list(args), env=env, encoding="utf-8", timeout=60,
                              dimensions=(50, 160))
        child.logfile_read = open(tmp_path / f"pty-{len(spawned)}.log", "w", encoding="utf-8")
        spawned.append(child)
        return child

    yield spawn
    for child in spawned:
        if child.isalive():
            child.terminate(force=True)
        child.logfile_read.close()


def answer(child, value, note=""):
    child.expect(PROMPT)
    child.sendline(value)
    child.expect(r"Catatan/sintesis \(Enter = [^)]*\): ")
    child.sendline(note)


def test_interactive_session_in_a_terminal(term, world, sk_file):
    walk = ["assess", "--round", "2024", "--unit", "DINKES"]
    child = term(*walk)
    child.expect("Melanjutkan dari kriteria pertama yang belum dijawab: MP.1.a")
    child.expect("Kriteria: Tim Reformasi Birokrasi telah dibentuk")
    answer(child, "a", "SK Tim RB ditetapkan Januari 2024")
    child.expect(r"Tersimpan: MP.1.a = A \(versi 1\)")
    child.expect("Peringatan: jawaban di atas pilihan terburuk tanpa bukti dukung")
    # attach the decree
    child.expect(EVIDENCE)
    child.sendline("b")
    child.expect("Lokasi berkas: ")
    child.sendline(str(sk_file))
    child.expect(r"Nomor dokumen \(Enter = tanpa nomor\): ")
    child.sendline("800/12/2024")
    child.expect("Judul dokumen: ")
    child.sendline("SK Tim Reformasi Birokrasi")
    child.expect(r"Tanggal dokumen \(HH-BB-TTTT\): ")
    child.sendline("2024-01-10")
    child.expect("Bukti dukung ditautkan ke MP.1.a.")
    child.expect(EVIDENCE)
    child.sendline("")
    # MP.1.b, then jump to the Road Map and see the gate
    answer(child, "B")
    child.expect(EVIDENCE)
    child.sendline("")
    child.expect(PROMPT)
    child.sendline(":ke MP.2.a")
    answer(child, "tidak", "Road Map belum disusun")
    child.expect(EVIDENCE)
    child.sendline("")
    answer(child, "A")  # MP.2.b, the next unanswered
    child.expect(r"Nilai MP.2.b: 0 \(sebelum aturan gating: 1\)")
    child.expect("dinilai 0 karena MP.2.a = Tidak")
    child.expect(EVIDENCE)
    child.sendline("")
    # an answer typed but not confirmed: Ctrl-C asks, and we discard it
    child.expect(PROMPT)
    child.sendline("c")
    child.expect("Catatan/sintesis")
    child.sendintr()
    child.expect(r"Jawaban C untuk MP.2.c belum disimpan. Simpan sebelum keluar\? \[Y/t\] ")
    child.sendline("n")
    child.expect("Jawaban yang belum disimpan dibuang.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert world.answers() == {"MP.1.a": ("A", "SK Tim RB ditetapkan Januari 2024", 1), "MP.1.b": ("B", None, 1),
                               "MP.2.a": ("Tidak", "Road Map belum disusun", 1), "MP.2.b": ("A", None, 1)}

    # resume: the first unanswered criterion is MP.1.c (skipped over by the jump)
    child = term(*walk)
    child.expect(r"Progres: 4/\d+ terjawab \(MP 4/18, SDM 0/\d+\)")
    child.expect("Melanjutkan dari kriteria pertama yang belum dijawab: MP.1.c")
    child.expect("Bukti dukung: belum ada")
    child.expect(PROMPT)
    child.sendline(":keluar")
    child.expect("Selesai untuk sekarang")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    # submit: refused, the blocking problems first and labelled, then the warnings by kind and area
    child = term("assess", "submit", "--round", "2024", "--unit", "DINKES")
    child.expect(r"Menghalangi pengiriman \(\d+\):")
    child.expect(r"\[belum dijawab\] MP.1.c: Tim Reformasi Birokrasi telah melakukan monitoring")
    child.expect(r"Peringatan \(2\), tidak menghalangi:")
    child.expect(r"tanpa bukti dukung, area MP \(2\): MP.1.b = B, MP.2.b = A")
    child.expect(r"belum dapat dikirim: \d+ masalah menghalangi, 2 peringatan")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1

    # answer the rest without prompts, then submit: the warnings, then a confirmation
    s = world.session()
    for cid in s.ids:
        if not s.is_answered(cid):
            s.save(cid, s.criterion(cid).worst)
    child = term("assess", "submit", "--round", "2024", "--unit", "DINKES")
    child.expect(r"tanpa bukti dukung, area MP \(2\): MP.1.b = B, MP.2.b = A")
    child.expect(r"Kirim sekarang\?.*\[y/T\] ")
    child.sendline("")                      # Enter = no
    child.expect("Tidak dikirim")
    child.expect(pexpect.EOF)
    child.close()
    assert world.session().worksheet_state == "in_progress"
    child = term("assess", "submit", "--round", "2024", "--unit", "DINKES")
    child.expect(r"\[y/T\] ")
    child.sendline("y")
    child.expect("dikirim")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert world.session().worksheet_state == "submitted"
    assert world.verify().ok


def test_no_terminal_no_prompt(term):
    """--no-input refuses even in a terminal, instead of waiting."""
    child = term("--no-input", "assess", "--round", "2024", "--unit", "DINKES")
    child.expect("--no-input")
    child.expect("pmprb assess set")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


def test_the_walk_on_a_submitted_worksheet_says_it_is_locked(term, world):
    """Issue 14 item 1: the walk is one of the writers the lock covers; it
    does not start on a submitted worksheet and says what to do."""
    from pmprb.assessments.assess import submission

    s = world.session()
    for cid in s.ids:
        s.save(cid, s.criterion(cid).worst)
    world.in_round(lambda ses, a, r, u: submission.submit(ses, a, r, u))
    child = term("assess", "--round", "2024", "--unit", "DINKES")
    child.expect("sudah dikirim dan terkunci")
    child.expect("pmprb review return")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 7
