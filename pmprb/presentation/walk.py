"""The interactive walk through a worksheet, over any line-based I/O.

``run_walk(session, io)`` asks for each criterion's answer, note and
evidence and prints what the rules decided. ``io`` only needs ``ask(prompt)
-> str`` (raising ``KeyboardInterrupt`` on Ctrl-C and ``EOFError`` at the end
of input) and ``say(text)``; the CLI passes the terminal, tests pass a
script.

Commands work at every prompt (Indonesian or English keyword)::

    :lewati  / :skip        leave this criterion unanswered, go to the next unanswered
    :kembali / :back        go back to the previous criterion
    :ke ID   / :goto ID     go to criterion ID
    :progres / :progress    answered/total, overall and per area
    :bukti   / :evidence    attach evidence to the current criterion
    :simpan  / :quit        quit (every confirmed answer is already saved)
    :bantuan / :help        this list

An answer is saved when its note prompt is confirmed (Enter keeps the
stored note). Ctrl-C with an answer typed but not yet saved asks whether to
save it before quitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from pmprb import i18n
from pmprb.errors import PmprbError, ValidationError
from pmprb.presentation.feedback import Feedback
from pmprb.engine.inputs import normalise_answer
from pmprb.presentation.walk_session import AssessSession, allowed_text

COMMANDS = {
    "skip": (":lewati", ":skip"),
    "back": (":kembali", ":back"),
    "goto": (":ke", ":goto"),
    "progress": (":progres", ":progress"),
    "evidence": (":bukti", ":evidence"),
    "quit": (":simpan", ":quit", ":keluar", ":q"),
    "help": (":bantuan", ":help", ":?"),
}
_KEYWORDS = {kw: name for name, kws in COMMANDS.items() for kw in kws}

i18n.register({
    "aw.help": {
        "id": "Perintah (dapat diketik di setiap pertanyaan):\n"
              "  :lewati  (:skip)       lewati kriteria ini, ke kriteria berikutnya yang belum dijawab\n"
              "  :kembali (:back)       kembali ke kriteria sebelumnya\n"
              "  :ke ID   (:goto ID)    ke kriteria ID, mis. :ke MP.2.a\n"
              "  :progres (:progress)   jumlah terjawab, total dan per area\n"
              "  :bukti   (:evidence)   tambah bukti dukung untuk kriteria ini\n"
              "  :simpan  (:quit)       keluar; jawaban yang sudah dikonfirmasi telah tersimpan\n"
              "  :bantuan (:help)       daftar ini\n"
              "Jawaban: huruf pilihan atau Ya/Tidak (Y/T), huruf besar/kecil sama saja. "
              "Enter tanpa isian = pertahankan jawaban tersimpan.",
        "en": "Commands (at any prompt; Indonesian keywords work too):\n"
              "  :skip     (:lewati)    leave this criterion, go to the next unanswered one\n"
              "  :back     (:kembali)   go back to the previous criterion\n"
              "  :goto ID  (:ke ID)     go to criterion ID, e.g. :goto MP.2.a\n"
              "  :progress (:progres)   answered/total, overall and per area\n"
              "  :evidence (:bukti)     attach evidence to this criterion\n"
              "  :quit     (:simpan)    quit; every confirmed answer is already saved\n"
              "  :help     (:bantuan)   this list\n"
              "Answers: the option letter or Ya/Tidak (Y/T), in any case. "
              "Enter alone keeps the stored answer.",
    },
    "aw.start": {"id": "Kertas kerja {who}, unit {unit} ({unit_name}), ronde {round}. Ketik :bantuan untuk perintah.",
                 "en": "Worksheet of {who}, unit {unit} ({unit_name}), round {round}. Type :help for commands."},
    "aw.resume": {"id": "Melanjutkan dari kriteria pertama yang belum dijawab: {cid}",
                  "en": "Resuming at the first unanswered criterion: {cid}"},
    "aw.all_answered_start": {"id": "Semua kriteria sudah dijawab; mulai dari {cid} untuk ditinjau.",
                              "en": "Every criterion is answered; starting at {cid} for review."},
    "aw.progress": {"id": "Progres: {answered}/{total} terjawab", "en": "Progress: {answered}/{total} answered"},
    "aw.area": {"id": "Area", "en": "Area"},
    "aw.subarea": {"id": "Sub-area", "en": "Sub-area"},
    "aw.criterion": {"id": "Kriteria", "en": "Criterion"},
    "aw.options": {"id": "Pilihan", "en": "Options"},
    "aw.count_input": {"id": "Isian: jumlah (bilangan bulat \u2265 0)", "en": "Input: a count (whole number \u2265 0)"},
    "aw.current": {"id": "Jawaban saat ini: {answer} (versi {version})", "en": "Current answer: {answer} (version {version})"},
    "aw.current_none": {"id": "Jawaban saat ini: belum dijawab", "en": "Current answer: not answered"},
    "aw.note": {"id": "Catatan/sintesis: {note}", "en": "Note (sintesis): {note}"},
    "aw.evidence": {"id": "Bukti dukung:", "en": "Evidence:"},
    "aw.evidence_none": {"id": "Bukti dukung: belum ada", "en": "Evidence: none yet"},
    "aw.ask_answer": {"id": "Jawaban [{allowed}] (:bantuan): ", "en": "Answer [{allowed}] (:help): "},
    "aw.ask_note_keep": {"id": "Catatan/sintesis (Enter = tetap, - = hapus): ",
                         "en": "Note/sintesis (Enter = keep, - = clear): "},
    "aw.ask_note": {"id": "Catatan/sintesis (Enter = kosong): ", "en": "Note/sintesis (Enter = none): "},
    "aw.need_answer": {"id": "Belum ada jawaban. Ketik jawaban, atau :lewati untuk melewati.",
                       "en": "No answer yet. Type an answer, or :skip to leave it."},
    "aw.saved": {"id": "Tersimpan: {cid} = {answer} (versi {version})", "en": "Saved: {cid} = {answer} (version {version})"},
    "aw.unchanged": {"id": "Tidak berubah: {cid} = {answer}", "en": "Unchanged: {cid} = {answer}"},
    "aw.rules": {"id": "Keputusan aturan:", "en": "The rules decided:"},
    "aw.warning": {"id": "Peringatan: {text}", "en": "Warning: {text}"},
    "aw.ev_menu": {"id": "Bukti dukung: [b]erkas, [u]rl, [p]ilih yang sudah ada, Enter = lanjut: ",
                   "en": "Evidence: [f]ile, [u]rl, [p]ick one already stored, Enter = continue: "},
    "aw.ev_path": {"id": "Path berkas: ", "en": "File path: "},
    "aw.ev_url": {"id": "URL: ", "en": "URL: "},
    "aw.ev_number": {"id": "Nomor dokumen (Enter = tanpa nomor): ", "en": "Document number (Enter = none): "},
    "aw.ev_title": {"id": "Judul dokumen: ", "en": "Document title: "},
    "aw.ev_date": {"id": "Tanggal dokumen (YYYY-MM-DD): ", "en": "Document date (YYYY-MM-DD): "},
    "aw.ev_bad_date": {"id": "{value!r} bukan tanggal YYYY-MM-DD", "en": "{value!r} is not a date YYYY-MM-DD"},
    "aw.ev_pick": {"id": "Nomor urut atau referensi bukti: ", "en": "List number or evidence reference: "},
    "aw.ev_none_to_pick": {"id": "Tidak ada bukti lain pada unit ini untuk dipilih.",
                           "en": "There is no other evidence in this unit to pick."},
    "aw.ev_added": {"id": "Bukti dukung ditautkan ke {cid}.", "en": "Evidence linked to {cid}."},
    "aw.ev_unknown_choice": {"id": "Pilih b, u, p atau Enter.", "en": "Choose f, u, p or Enter."},
    "aw.unknown_command": {"id": "Perintah tidak dikenal {cmd!r}; ketik :bantuan.",
                           "en": "Unknown command {cmd!r}; type :help."},
    "aw.goto_needs_id": {"id": "Sebutkan id kriteria, mis. :ke MP.2.a", "en": "Name a criterion id, e.g. :goto MP.2.a"},
    "aw.discard": {"id": "Jawaban {answer} untuk {cid} belum disimpan. Buang? [y/N] ",
                   "en": "The answer {answer} to {cid} is not saved. Discard it? [y/N] "},
    "aw.save_before_quit": {"id": "Jawaban {answer} untuk {cid} belum disimpan. Simpan sebelum keluar? [Y/n] ",
                            "en": "The answer {answer} to {cid} is not saved. Save it before quitting? [Y/n] "},
    "aw.discarded": {"id": "Jawaban yang belum disimpan dibuang.", "en": "The unsaved answer was discarded."},
    "aw.quit": {"id": "Selesai untuk sekarang. Semua jawaban yang dikonfirmasi telah tersimpan; "
                      "jalankan perintah yang sama untuk melanjutkan.",
                "en": "Stopped for now. Every confirmed answer is saved; run the same command to resume."},
    "aw.done": {"id": "Semua {total} kriteria telah dijawab. Kirim kertas kerja dengan: pmprb assess submit "
                      "--round {round} --unit {unit}",
                "en": "All {total} criteria are answered. Submit the worksheet with: pmprb assess submit "
                      "--round {round} --unit {unit}"},
    "aw.error": {"id": "Galat: {error}", "en": "Error: {error}"},
})


class WalkIO(Protocol):
    def ask(self, prompt: str) -> str: ...

    def say(self, text: str) -> None: ...


@dataclass
class Command:
    name: str
    arg: str = ""


def parse_command(text: str) -> Command | None:
    """``":ke mp.2.a"`` -> Command("goto", "mp.2.a"); None when not a command."""
    text = (text or "").strip()
    if not text.startswith(":"):
        return None
    word, _, arg = text.partition(" ")
    name = _KEYWORDS.get(word.lower())
    return Command(name or "unknown", arg.strip() if name else word)


class _Quit(Exception):
    pass


class _Navigate(Exception):
    """A navigation command typed at an inner prompt (note, evidence)."""

    def __init__(self, cmd: Command):
        self.cmd = cmd


def _lang() -> str:
    return i18n.get_lang()


def render(session: AssessSession, cid: str) -> str:
    """The criterion as the assessor sees it."""
    lang = _lang()
    c = session.criterion(cid)
    inst = session.inst
    area = inst.area(c.area)
    sub = inst.subarea(c.subarea)
    area_name = area.get("name_en", area["name"]) if lang == "en" else area["name"]
    sub_name = sub.get("name_en", sub["name"]) if lang == "en" else sub["name"]
    i = session.ids.index(cid) + 1
    lines = [f"\u2500\u2500 {cid}  ({i}/{len(session.ids)}) " + "\u2500" * 30,
             f"{i18n.t('aw.area')} {c.area} \u2014 {area_name} \u00b7 {i18n.t('aw.subarea')} {c.subarea} \u2014 {sub_name}",
             f"{i18n.t('aw.criterion')}: {c.text_in(lang)}"]
    if c.is_choice:
        lines.append(f"{i18n.t('aw.options')}:")
        raw_opts = {o["answer"]: o for o in c.data.get("options", [])}
        for answer, text in c.options:
            if lang == "en":
                text = raw_opts.get(answer, {}).get("text_en") or text
            lines.append(f"  {answer:<6} {text}")
    elif c.kind == "count":
        lines.append(i18n.t("aw.count_input"))
    st = session.stored(cid)
    if st is not None and st.answer is not None:
        lines.append(i18n.t("aw.current", answer=st.answer, version=st.version))
        if st.note:
            lines.append(i18n.t("aw.note", note=st.note))
    else:
        lines.append(i18n.t("aw.current_none"))
    docs = session.evidence(cid)
    if docs:
        lines.append(i18n.t("aw.evidence"))
        lines.extend(f"  - {d.describe()}" for d in docs)
    else:
        lines.append(i18n.t("aw.evidence_none"))
    return "\n".join(lines)


def render_progress(session: AssessSession) -> str:
    p = session.progress()
    parts = ", ".join(f"{a['area']} {a['answered']}/{a['total']}" for a in p["areas"])
    return i18n.t("aw.progress", answered=p["answered"], total=p["total"]) + f" ({parts})"


def render_feedback(fb: Feedback) -> str:
    lines = [i18n.t("aw.rules")] + [f"  {line}" for line in fb.lines]
    lines += [f"  {i18n.t('aw.warning', text=w)}" for w in fb.warnings]
    lines += [f"  {e}" for e in fb.effects]
    return "\n".join(lines)


class Walk:
    def __init__(self, session: AssessSession, io: WalkIO):
        self.s = session
        self.io = io

    # -- prompts ----------------------------------------------------------
    def ask(self, prompt: str) -> str:
        """Ask; navigation commands typed here leave the current step."""
        text = self.io.ask(prompt)
        cmd = parse_command(text)
        if cmd is None:
            return text.strip()
        if cmd.name == "help":
            self.io.say(i18n.t("aw.help"))
            return self.ask(prompt)
        if cmd.name == "progress":
            self.io.say(render_progress(self.s))
            return self.ask(prompt)
        if cmd.name == "unknown":
            self.io.say(i18n.t("aw.unknown_command", cmd=cmd.arg))
            return self.ask(prompt)
        if cmd.name == "quit":
            raise _Quit()
        raise _Navigate(cmd)

    def yes(self, prompt: str, default: bool) -> bool:
        text = self.io.ask(prompt).strip().lower()
        if not text:
            return default
        return text[0] in ("y", "j")  # y(es/a), j(a)

    # -- the loop ---------------------------------------------------------
    def run(self) -> str:
        """Returns why the walk ended: 'done', 'quit' or 'interrupted'."""
        s = self.s
        self.io.say(i18n.t("aw.start", who=s.actor_name, unit=s.unit_code, unit_name=s.unit_name,
                           round=s.round_code))
        self.io.say(render_progress(s))
        if s.first_unanswered() is None:
            self.io.say(i18n.t("aw.all_answered_start", cid=s.current))
        else:
            self.io.say(i18n.t("aw.resume", cid=s.current))
        try:
            while True:
                try:
                    if self.step() == "done":
                        p = s.progress()
                        self.io.say(i18n.t("aw.done", total=p["total"], round=s.round_code, unit=s.unit_code))
                        return "done"
                except _Navigate as nav:
                    self.navigate(nav.cmd)
        except _Quit:
            self.io.say(render_progress(s))
            self.io.say(i18n.t("aw.quit"))
            return "quit"
        except (KeyboardInterrupt, EOFError):
            self.io.say("")
            self.io.say(render_progress(s))
            self.io.say(i18n.t("aw.quit"))
            return "interrupted"
        finally:
            s.close()

    def navigate(self, cmd: Command) -> None:
        s = self.s
        if cmd.name == "skip":
            s.skip()
        elif cmd.name == "back":
            s.back()
        elif cmd.name == "goto":
            if not cmd.arg:
                self.io.say(i18n.t("aw.goto_needs_id"))
                return
            try:
                s.jump(cmd.arg)
            except PmprbError as exc:
                self.io.say(i18n.t("aw.error", error=exc))
        elif cmd.name == "evidence":
            try:
                self.evidence_menu(s.current)
            except _Navigate as nav:
                self.navigate(nav.cmd)

    def step(self) -> str | None:
        """One criterion: answer, note, save, feedback, evidence, move on."""
        s = self.s
        cid = s.current
        c = s.criterion(cid)
        self.io.say("")
        self.io.say(render(s, cid))
        raw = self.ask(i18n.t("aw.ask_answer", allowed=allowed_text(c)))
        stored = s.stored(cid)
        if not raw:
            if stored is None or stored.answer is None:
                self.io.say(i18n.t("aw.need_answer"))
                return None
            return "done" if s.next_in_order() is None else None
        try:
            answer = normalise_answer(s.inst, c.id, raw)
        except PmprbError as exc:
            self.io.say(i18n.t("aw.error", error=exc))
            return None
        note = self.ask_note(cid, answer, stored)
        try:
            changed, fb = s.save(cid, answer, note)
        except PmprbError as exc:
            self.io.say(i18n.t("aw.error", error=exc))
            return None
        st = s.stored(cid)
        self.io.say(i18n.t("aw.saved" if changed else "aw.unchanged", cid=cid, answer=st.answer, version=st.version))
        self.io.say(render_feedback(fb))
        self.io.say(render_progress(s))
        self.evidence_menu(cid)
        return "done" if s.advance() is None else None

    def ask_note(self, cid: str, answer: str, stored):
        """The note for a pending answer; Ctrl-C or a command here must not lose it silently."""
        prompt = i18n.t("aw.ask_note_keep" if stored is not None and stored.note else "aw.ask_note")
        while True:
            try:
                text = self.ask(prompt)
            except EOFError:
                return AssessSession.KEEP  # end of input confirms the answer as typed
            except KeyboardInterrupt:
                try:
                    save = self.yes(i18n.t("aw.save_before_quit", answer=answer, cid=cid), True)
                except (KeyboardInterrupt, EOFError):
                    save = False
                if save:
                    self._save_quietly(cid, answer)
                else:
                    self.io.say(i18n.t("aw.discarded"))
                raise _Quit() from None
            except _Quit:
                self._save_quietly(cid, answer)
                raise
            except _Navigate as nav:
                if nav.cmd.name == "evidence":
                    self.io.say(i18n.t("aw.need_answer"))
                    continue
                if self.yes(i18n.t("aw.discard", answer=answer, cid=cid), False):
                    self.io.say(i18n.t("aw.discarded"))
                    raise
                continue
            if not text:
                return AssessSession.KEEP
            return None if text == "-" else text

    def _save_quietly(self, cid: str, answer: str) -> None:
        try:
            _changed, _fb = self.s.save(cid, answer)
            st = self.s.stored(cid)
            self.io.say(i18n.t("aw.saved", cid=cid, answer=st.answer, version=st.version))
        except PmprbError as exc:
            self.io.say(i18n.t("aw.error", error=exc))

    # -- evidence ---------------------------------------------------------
    def evidence_menu(self, cid: str) -> None:
        while True:
            choice = self.ask(i18n.t("aw.ev_menu")).lower()
            if not choice:
                return
            try:
                if choice[0] in ("b", "f"):
                    path = self.ask(i18n.t("aw.ev_path"))
                    fb = self.s.add_file(cid, path, **self._document_fields())
                elif choice[0] == "u":
                    url = self.ask(i18n.t("aw.ev_url"))
                    fb = self.s.add_url(cid, url, **self._document_fields())
                elif choice[0] == "p":
                    fb = self._pick(cid)
                    if fb is None:
                        continue
                else:
                    self.io.say(i18n.t("aw.ev_unknown_choice"))
                    continue
            except PmprbError as exc:
                self.io.say(i18n.t("aw.error", error=exc))
                continue
            self.io.say(i18n.t("aw.ev_added", cid=cid))
            self.io.say(render_feedback(fb))

    def _document_fields(self) -> dict:
        number = self.ask(i18n.t("aw.ev_number")) or None
        title = self.ask(i18n.t("aw.ev_title"))
        raw = self.ask(i18n.t("aw.ev_date"))
        try:
            when = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise ValidationError(i18n.t("aw.ev_bad_date", value=raw)) from None
        return {"number": number, "title": title, "document_date": when}

    def _pick(self, cid: str) -> Feedback | None:
        docs = self.s.linkable(cid)
        if not docs:
            self.io.say(i18n.t("aw.ev_none_to_pick"))
            return None
        for k, d in enumerate(docs, 1):
            self.io.say(f"  {k}) {d.describe()}")
        choice = self.ask(i18n.t("aw.ev_pick"))
        if choice.isdigit() and 1 <= int(choice) <= len(docs):
            choice = docs[int(choice) - 1].ref
        return self.s.link(cid, choice)


def run_walk(session: AssessSession, io: WalkIO) -> str:
    return Walk(session, io).run()


__all__ = ["run_walk", "Walk", "WalkIO", "parse_command", "render", "render_progress", "render_feedback", "COMMANDS"]
