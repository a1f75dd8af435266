"""A whole walk in a real 80-column pseudo-terminal (issue 14, acceptance):
no screen line is cut mid-word (every line the walk writes fits in 80
columns, so the terminal never breaks one), an invalid answer adds at most
two lines, a gated criterion is announced before it is asked, and Ctrl-C at
the note prompt keeps the note typed."""

from __future__ import annotations

import os
import re
import shutil
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

from assess_support import build_world  # noqa: E402

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)

COLUMNS = 80
PROMPT = r"Jawaban \[[^\]]+\] \(:bantuan\): "
NOTE = r"Catatan/sintesis \(Enter = [^)]*\): "
EVIDENCE = r"Enter = lanjut: "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")


def command() -> list[str]:
    script = shutil.which("pmprb")
    return [script] if script else [sys.executable, "-c", "from pmprb.cli import cli_entry; cli_entry()"]


@pytest.fixture
def world(db):
    return build_world(db, ani_areas=("MP",))


@pytest.fixture
def walk(world, tmp_path):
    env = dict(os.environ, PMPRB_DATABASE_URL=world.db.url, PMPRB_USER="ani", TERM="xterm",
               PMPRB_EVIDENCE_DIR=os.environ["PMPRB_EVIDENCE_DIR"])
    for name in ("PMPRB_LANG", "PMPRB_NO_INPUT", "COLUMNS", "LINES"):
        env.pop(name, None)
    cmd = command()
    child = pexpect.spawn(cmd[0], cmd[1:] + ["assess", "--round", "2024", "--unit", "DINKES"], env=env,
                          encoding="utf-8", timeout=60, dimensions=(40, COLUMNS))
    log = tmp_path / "pty.log"
    child.logfile_read = open(log, "w", encoding="utf-8")
    yield child, log
    if child.isalive():
        child.terminate(force=True)
    child.logfile_read.close()


def screen_lines(text: str) -> list[str]:
    text = ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def test_a_whole_walk_reads_at_80_columns(walk, world):
    child, log = walk
    # MP.1.a: a wrong answer first
    child.expect(PROMPT)
    child.sendline("Z")
    child.expect(PROMPT)
    added = [line for line in screen_lines(child.before) if line.strip()]
    assert added == ["Z", "'Z' bukan pilihan; ketik A/B/C atau :lewati."]   # the echo, then one line
    child.sendline("b")
    child.expect(NOTE)
    child.sendline("SK Tim RB ada")
    child.expect(EVIDENCE)
    child.sendline("")
    # MP.1.b, then the Road Map fails
    child.expect(PROMPT)
    child.sendline(":ke MP.2.a")
    child.expect(PROMPT)
    child.sendline("tidak")
    child.expect(NOTE)
    child.sendline("Belum ada Road Map")
    child.expect(EVIDENCE)
    child.sendline("")
    # MP.2.b is announced as gated before it is asked
    child.expect("Perhatian: MP.2.b akan dinilai 0 apa pun jawabannya")
    child.expect(PROMPT)
    child.sendline("a")
    # Ctrl-C at the note prompt keeps the note typed so far
    child.expect(NOTE)
    child.send("Road Map belum ditetapkan")
    child.expect("ditetapkan")            # echoed: readline has it in its line buffer
    child.sendintr()
    child.expect(r"Simpan sebelum keluar\? \[Y/t\] ")
    child.sendline("")
    child.expect("dengan catatan yang diketik")
    child.expect("Selesai untuk sekarang")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert world.answers() == {"MP.1.a": ("B", "SK Tim RB ada", 1), "MP.2.a": ("Tidak", "Belum ada Road Map", 1),
                               "MP.2.b": ("A", "Road Map belum ditetapkan", 1)}
    lines = screen_lines(log.read_text(encoding="utf-8"))
    too_long = [line for line in lines if len(line) > COLUMNS]
    assert not too_long, "lines the terminal would cut:\n" + "\n".join(too_long)
    text = "\n".join(lines)
    # wrapped at word boundaries, continuation under the text (hanging indent)
    assert "  B      Telah membentuk Tim Reformasi Birokrasi namun belum sesuai kebutuhan\n" \
           "         organisasi" in text
    assert "Perhatian: MP.2.b akan dinilai 0 apa pun jawabannya (dinilai 0 karena MP.2.a =\n" \
           "           Tidak)." in text
