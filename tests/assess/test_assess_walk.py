"""The interactive walk driven by a script instead of a terminal."""

from __future__ import annotations

import pytest

from pmprb import i18n
from pmprb.presentation.walk import parse_command, run_walk

from assess_support import Script


@pytest.mark.parametrize("typed,name,arg", [
    (":lewati", "skip", ""), (":SKIP", "skip", ""), (":kembali", "back", ""), (":back", "back", ""),
    (":ke mp.2.a", "goto", "mp.2.a"), (":goto MP.1.b", "goto", "MP.1.b"), (":progres", "progress", ""),
    (":keluar", "quit", ""), (":quit", "quit", ""), (":simpan", "save", ""), (":bukti", "evidence", ""), (":bantuan", "help", ""),
    (":xyz", "unknown", ":xyz"),
])
def test_commands(typed, name, arg):
    cmd = parse_command(typed)
    assert (cmd.name, cmd.arg) == (name, arg)
    assert parse_command("A") is None


def test_answer_note_feedback_and_resume(world):
    io = Script("b", "SK Tim RB ada", "",      # MP.1.a = B, note, no evidence
                "A", "", "",                   # MP.1.b = A
                ":keluar")
    assert run_walk(world.session(), io) == "quit"
    t = io.text
    assert "Melanjutkan dari kriteria pertama yang belum dijawab: MP.1.a" in t
    assert "Area: MP \u2014 Manajemen Perubahan\nSub-area: MP.1 \u2014 Tim Reformasi Birokrasi" in t
    assert "Kriteria: Tim Reformasi Birokrasi telah dibentuk" in t
    assert "  C      Belum membentuk Tim Reformasi Birokrasi" in t
    assert "Tersimpan: MP.1.a = B (versi 1)" in t
    assert "  Nilai MP.1.a: 0.5\n  Peringatan: jawaban di atas pilihan terburuk tanpa bukti dukung" in t
    assert world.answers() == {"MP.1.a": ("B", "SK Tim RB ada", 1), "MP.1.b": ("A", None, 1)}
    io2 = Script(":quit")
    run_walk(world.session(), io2)
    assert "Melanjutkan dari kriteria pertama yang belum dijawab: MP.1.c" in io2.text
    assert "Progres: 2/" in io2.text


def test_gating_message_after_the_answer(world):
    io = Script(":ke MP.2.a", "t", "Belum ada Road Map", "",
                "a", "", "",   # MP.2.b, now the next unanswered
                ":quit")
    run_walk(world.session(), io)
    assert "Nilai MP.2.b: 0 (sebelum aturan gating: 1)\n  dinilai 0 karena MP.2.a = Tidak" in io.text


def test_skip_back_goto_progress_and_bad_input(world):
    io = Script(":lewati",            # MP.1.a -> MP.1.b
                ":kembali",           # -> MP.1.a
                "Z",                  # not allowed
                "",                   # nothing stored: Enter is not an answer
                ":ke PPU.1.a",        # not assigned
                ":ke",                # no id
                ":xyz",               # unknown command, asked again
                ":progress",
                ":bantuan",
                ":quit")
    run_walk(world.session(), io)
    t = io.text
    order = [p for p in t.split("\n") if p.startswith("\u2500\u2500 ")]
    # a wrong answer and an empty one cost one short line each, not the criterion again
    assert [line.split()[1] for line in order] == ["MP.1.a", "MP.1.b", "MP.1.a", "MP.1.a", "MP.1.a"]
    assert "'Z' bukan pilihan; ketik A/B/C atau :lewati." in t
    assert "Belum ada jawaban. Ketik jawaban, atau :lewati untuk melewati." in t
    assert "PPU.1.a tidak termasuk kriteria Anda" in t
    assert "Sebutkan id kriteria" in t
    assert "Perintah tidak dikenal ':xyz'" in t
    assert "Progres: 0/" in t and "(MP 0/18, SDM 0/" in t
    assert "MP  Manajemen Perubahan: 0/18 terjawab; nilai sejauh ini 0,00 dari 5,00" in t   # :progress
    assert "    Belum dijawab: MP.1.a, MP.1.b," in t
    assert ":kembali (:back)" in t
    assert world.answers() == {}


def test_ctrl_c_with_an_unsaved_answer_asks_and_saves(world):
    io = Script("c", KeyboardInterrupt, "")   # Enter = yes, save
    assert run_walk(world.session(), io) == "quit"
    assert "Jawaban C untuk MP.1.a belum disimpan. Simpan sebelum keluar? [Y/t]" in io.text
    assert world.answers() == {"MP.1.a": ("C", None, 1)}


def test_ctrl_c_can_discard_the_unsaved_answer(world):
    io = Script("c", KeyboardInterrupt, "n")
    run_walk(world.session(), io)
    assert "Jawaban yang belum disimpan dibuang." in io.text
    assert world.answers() == {}


def test_ctrl_c_with_nothing_pending_loses_nothing(world):
    io = Script("a", "", "", KeyboardInterrupt)
    assert run_walk(world.session(), io) == "interrupted"
    assert "Semua jawaban yang dikonfirmasi telah tersimpan" in io.text
    assert world.answers() == {"MP.1.a": ("A", None, 1)}


def test_navigating_away_from_an_unsaved_answer_asks_first(world):
    io = Script("a", ":lewati", "n",      # keep it: back to the note prompt
                "catatan", "",             # saved with the note
                "b", ":lewati", "y",       # MP.1.b discarded, skip to MP.1.c
                ":quit")
    run_walk(world.session(), io)
    assert world.answers() == {"MP.1.a": ("A", "catatan", 1)}
    assert io.text.count("belum disimpan. Buang? [y/T]") == 2


def test_quit_at_the_note_prompt_saves_the_answer(world):
    run_walk(world.session(), Script("b", ":keluar"))
    assert world.answers() == {"MP.1.a": ("B", None, 1)}


def test_keep_note_clear_note(world):
    s = world.session()
    s.save("MP.1.a", "B", "lama")
    io = Script(":ke MP.1.a", "a", "", "",      # Enter keeps the note
                ":ke MP.1.a", "a", "-", "",     # '-' clears it
                ":quit")
    run_walk(world.session(), io)
    assert world.answers()["MP.1.a"] == ("A", None, 3)
    assert "Catatan/sintesis: lama" in io.text


def test_evidence_file_url_and_pick(world, sk_file):
    io = Script("a", "",
                "b", str(sk_file), "800/1/2024", "SK Tim RB", "2024-01-10",   # a file
                "u", "https://jdih.example.go.id/sk", "", "SK di JDIH", "2024-13-01",  # bad date: asked again
                "15-01-2024",                                                 # day first
                "",
                "a", "",                                                      # MP.1.b = A
                "p", "9",                                                     # not in the list
                "p", "1",                                                     # pick the first document
                "",
                ":quit")
    run_walk(world.session(), io)
    t = io.text
    assert ("Bukti dukung ditautkan ke MP.1.a.\n"
            "Dipahami sebagai: Keputusan Nomor 800/1/2024 tanggal 2024-01-10 tentang Tim RB\n"
            "Keputusan aturan:\n  Nilai MP.1.a: 1\n") in t
    assert "'2024-13-01' bukan tanggal; tulis HH-BB-TTTT atau TTTT-BB-HH" in t
    assert "1) 800/1/2024 \u201cSK Tim RB\u201d (10 Januari 2024)" in t
    assert "Bukti dukung ditautkan ke MP.1.b." in t
    s = world.session()
    assert [d.ref for d in s.evidence("MP.1.a")] == ["800/1/2024", "https://jdih.example.go.id/sk"]
    assert [d.document_date for d in s.evidence("MP.1.a")] == ["2024-01-10", "2024-01-15"]
    assert [d.ref for d in s.evidence("MP.1.b")] == ["800/1/2024"]
    assert world.verify().ok


def test_evidence_command_for_an_answered_criterion(world, sk_file):
    world.add_file(sk_file, ["MP.1.b"], number="SK-1")
    world.session().save("MP.1.a", "A")
    io = Script(":ke MP.1.a", ":bukti", "p", "SK-1", "", ":quit")
    run_walk(world.session(), io)
    assert "Bukti dukung ditautkan ke MP.1.a." in io.text
    assert [d.ref for d in world.session().evidence("MP.1.a")] == ["SK-1"]


def test_walk_ends_when_everything_is_answered(world):
    s = world.session(area="MP")
    for cid in s.ids[:-1]:
        s.save(cid, s.criterion(cid).worst)
    io = Script("a", "", "")
    assert run_walk(world.session(area="MP"), io) == "done"
    assert "Semua 18 kriteria telah dijawab. Kirim kertas kerja dengan: pmprb assess submit --round 2024 " \
           "--unit DINKES" in io.text


def test_english_labels(world):
    i18n.set_lang("en")
    io = Script("b", "", "", ":quit")
    run_walk(world.session(), io)
    t = io.text
    assert "Criterion: Tim Reformasi Birokrasi telah dibentuk" in t  # texts stay in Indonesian
    assert "Area: MP \u2014 Change Management" in t
    assert "Answer [A/B/C] (:help): " in io.prompts
    assert "Saved: MP.1.a = B (version 1)" in t
    assert "Warning: answer above the worst option without supporting evidence" in t


def test_end_of_input_at_the_note_prompt_keeps_the_answer(world):
    io = Script("a", EOFError, EOFError)  # a closed input stays closed
    run_walk(world.session(), io)
    assert world.answers() == {"MP.1.a": ("A", None, 1)}


def test_evidence_date_is_checked_right_after_it_is_typed(world, sk_file):
    """Issue 14: a bad date is reported right after that field, not after the whole form; what the rules
    will make of the date (issue 16) is said there too, and what was understood after adding."""
    io = Script("a", "",
                "b", str(sk_file), "", "Rapat Koordinasi Tim PMPRB", "01-01-2099",   # after today: asked again
                "03-06-2019",                                                          # before the period: warned
                "",
                ":quit")
    run_walk(world.session(), io)
    t = io.text
    future = t.index("tanggal dokumen 2099-01-01 ada di masa depan")
    warned = t.index("Peringatan: bukti kegiatan tanggal 2019-06-03 tentang Rapat Koordinasi Tim PMPRB: sebelum "
                     "periode evaluasi 2024")
    added = t.index("Bukti dukung ditautkan ke MP.1.a.")
    assert future < warned < added
    assert t.count("sebelum periode evaluasi 2024") == 1          # said once, not again after adding
    assert "Dipahami sebagai: bukti kegiatan tanggal 2019-06-03 tentang Rapat Koordinasi Tim PMPRB" in t
    # The rules' feedback reads the document: MP.1.a asks for a decree, not a meeting.
    assert "bukan Peraturan Daerah atau Peraturan Kepala Daerah/Pimpinan atau Keputusan" in t[added:]
    assert [d.document_date for d in world.session().evidence("MP.1.a")] == ["2019-06-03"]


def test_ctrl_c_at_every_evidence_prompt_keeps_or_asks(world, sk_file):
    """Issue 14 item 3: Ctrl-C at any prompt keeps what was typed or asks. At
    an evidence field it asks (no: the same field again; the saved answer
    stays); at the evidence menu and the pick prompt nothing typed is lost
    (the answer before them is already saved)."""
    from pmprb.presentation.walk import Interrupted

    io = Script("a", "",                                    # MP.1.a = A, saved
                "b", str(sk_file), Interrupted("800/1"),    # Ctrl-C while typing the number
                "t",                                        # no, do not leave: the number is asked again
                "800/1/2024", Interrupted("SK Ti"), "t",   # Ctrl-C at the title: asked again
                "SK Tim RB", "2024-01-10",                  # the document is added
                KeyboardInterrupt)                          # Ctrl-C at the evidence menu
    assert run_walk(world.session(), io) == "interrupted"
    assert io.text.count("Isian bukti dukung ini belum disimpan. Keluar tanpa menyimpannya? [y/T]") == 2
    assert world.answers() == {"MP.1.a": ("A", None, 1)}
    assert [d.ref for d in world.session().evidence("MP.1.a")] == ["800/1/2024"]
    # Ctrl-C at a field, then yes: the form is dropped, the saved answer kept, nothing half-written
    io = Script(":ke MP.1.b", "b", "", "u", "https://jdih.example.go.id/x", Interrupted(""), "y")
    assert run_walk(world.session(), io) == "quit"
    assert world.answers()["MP.1.b"] == ("B", None, 1)
    assert [d.ref for d in world.session().evidence("MP.1.b")] == []
