"""The interactive walk through a worksheet, over any line-based I/O.

``run_walk(session, io)`` asks for each criterion's answer, note and
evidence and prints what the rules decided. ``io`` only needs ``ask(prompt)
-> str`` (raising ``KeyboardInterrupt`` on Ctrl-C — :class:`Interrupted`
carries what was typed — and ``EOFError`` at the end of input) and
``say(text)``; an ``io.width`` (columns) makes the walk wrap every line at
word boundaries with hanging indents. The CLI passes the terminal
(:mod:`pmprb.presentation.terminal_io`), tests pass a script.

Commands work at every prompt (Indonesian or English keyword)::

    :lewati  / :skip        leave this criterion unanswered, go to the next unanswered
    :kembali / :back        go back to the previous criterion
    :ke ID   / :goto ID     go to criterion ID
    :progres / :progress    what is left per area, and the values so far
    :bukti   / :evidence    attach evidence to the current criterion
    :keluar  / :quit        stop for now (every confirmed answer is already saved)
    :bantuan / :help        this list

``:simpan`` no longer quits: answers are saved the moment they are
confirmed, so a "save" command has nothing to do; typing it says so and how
to quit. An answer is saved when its note prompt is confirmed (Enter keeps
the stored note). Ctrl-C never loses typed text silently: at the note prompt
it offers to save the answer with the note typed so far; in an evidence form
it asks before dropping the fields typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from pmprb import dates, i18n
from pmprb.errors import PmprbError
from pmprb.presentation.feedback import Feedback, gate_reasons
from pmprb.presentation.progress_text import progress_detail, render_progress_detail
from pmprb.presentation.terminal_text import split_prompt, wrap_text
from pmprb.engine import points, points_messages
from pmprb.engine.inputs import normalise_answer
from pmprb.presentation.walk_session import AssessSession, allowed_text
from pmprb.assessments.assess.evidence import describe_document

COMMANDS = {
    "skip": (":lewati", ":skip"),
    "back": (":kembali", ":back"),
    "goto": (":ke", ":goto"),
    "progress": (":progres", ":progress"),
    "evidence": (":bukti", ":evidence"),
    "quit": (":keluar", ":quit", ":q"),
    "save": (":simpan", ":save"),
    "help": (":bantuan", ":help", ":?"),
}
_KEYWORDS = {kw: name for name, kws in COMMANDS.items() for kw in kws}

class Interrupted(KeyboardInterrupt):
    """Ctrl-C at a prompt, with the text typed on that line so far."""

    def __init__(self, typed: str = ""):
        super().__init__()
        self.typed = typed


def _typed(exc: BaseException) -> str:
    return getattr(exc, "typed", "") or ""


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


class _Cancel(Exception):
    """An evidence form given up (Enter at a field that offered to cancel)."""


def _lang() -> str:
    return i18n.get_lang()


def describe_doc(d) -> str:
    """A document as the walk lists it, its date in words (``20 Mei 2024``)."""
    text = d.describe()
    if d.document_date:
        try:
            text = text.replace(f"({d.document_date})", f"({dates.format_date(dates.parse_date(d.document_date))})")
        except ValueError:
            pass
    return text


def render(session: AssessSession, cid: str) -> str:
    """The criterion as the assessor sees it (one logical line per item; the
    walk wraps them to the terminal)."""
    lang = _lang()
    c = session.criterion(cid)
    inst = session.inst
    area = inst.area(c.area)
    sub = inst.subarea(c.subarea)
    area_name = area.get("name_en", area["name"]) if lang == "en" else area["name"]
    sub_name = sub.get("name_en", sub["name"]) if lang == "en" else sub["name"]
    i = session.ids.index(cid) + 1
    lines = [f"\u2500\u2500 {cid}  ({i}/{len(session.ids)}) " + "\u2500" * 30,
             f"{i18n.t('aw.area')}: {c.area} \u2014 {area_name}",
             f"{i18n.t('aw.subarea')}: {c.subarea} \u2014 {sub_name}",
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
    elif c.kind in points.KINDS:
        lines.append(i18n.t("aw.points_input", hint=points_messages.answer_hint(inst, cid)))
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
        lines.extend(f"  - {describe_doc(d)}" for d in docs)
    else:
        lines.append(i18n.t("aw.evidence_none"))
    return "\n".join(lines)


def render_progress(session: AssessSession) -> str:
    """One line: answered/total, overall and per area (after each answer)."""
    p = session.progress()
    parts = ", ".join(f"{a['area']} {a['answered']}/{a['total']}" for a in p["areas"])
    return i18n.t("aw.progress", answered=p["answered"], total=p["total"]) + f" ({parts})"


def render_progress_full(session: AssessSession) -> str:
    """``:progres``: per area what is unanswered or lacks evidence, and the
    area and sub-area values so far."""
    decisions = session.evaluate()
    answered = {cid for cid in session.ids if session.is_answered(cid)}
    p = progress_detail(session.inst, session.ids, answered, decisions, engine=session.engine)
    return render_progress_detail(p, round_code=session.round_code, unit=session.unit_code)


def render_feedback(fb: Feedback) -> str:
    lines = [i18n.t("aw.rules")] + [f"  {line}" for line in fb.lines]
    lines += [f"  {i18n.t('aw.warning', text=w)}" for w in fb.warnings]
    lines += [f"  {e}" for e in fb.effects]
    return "\n".join(lines)


class Walk:
    def __init__(self, session: AssessSession, io: WalkIO):
        self.s = session
        self.io = io
        self._what_if = None  # an evaluator for "what would this answer be worth"
        self._said: list[str] = []  # evidence warnings already said while the form was filled in

    # -- output -----------------------------------------------------------
    @property
    def width(self) -> int | None:
        return getattr(self.io, "width", None)

    def say(self, text: str) -> None:
        self.io.say(wrap_text(text, self.width))

    def raw_ask(self, prompt: str) -> str:
        """Ask with a prompt that fits: a long one is wrapped, its last line asked."""
        before, last = split_prompt(prompt, self.width)
        for line in before:
            self.io.say(line)
        return self.io.ask(last)

    # -- prompts ----------------------------------------------------------
    def ask(self, prompt: str) -> str:
        """Ask; navigation commands typed here leave the current step."""
        while True:
            text = self.raw_ask(prompt)
            cmd = parse_command(text)
            if cmd is None:
                return text.strip()
            if cmd.name == "help":
                self.say(i18n.t("aw.help"))
            elif cmd.name == "progress":
                self.say(render_progress_full(self.s))
            elif cmd.name == "unknown":
                self.say(i18n.t("aw.unknown_command", cmd=cmd.arg))
            elif cmd.name == "save":
                self.say(i18n.t("aw.save_not_needed"))
            elif cmd.name == "quit":
                raise _Quit()
            else:
                raise _Navigate(cmd)

    def yes(self, prompt: str, default: bool) -> bool:
        text = self.raw_ask(prompt).strip().lower()
        if not text:
            return default
        return text[0] in ("y", "j")  # y(a/es), j(a); t(idak)/n(o) and anything else: no

    # -- the loop ---------------------------------------------------------
    def run(self) -> str:
        """Returns why the walk ended: 'done', 'quit' or 'interrupted'."""
        s = self.s
        self.say(i18n.t("aw.start", who=s.actor_name, unit=s.unit_code, unit_name=s.unit_name,
                        round=s.round_code))
        self.say(render_progress(s))
        if s.first_unanswered() is None:
            self.say(i18n.t("aw.all_answered_start", cid=s.current))
        else:
            self.say(i18n.t("aw.resume", cid=s.current))
        try:
            while True:
                try:
                    if self.step() == "done":
                        p = s.progress()
                        self.say(i18n.t("aw.done", total=p["total"], round=s.round_code, unit=s.unit_code))
                        return "done"
                except _Navigate as nav:
                    self.navigate(nav.cmd)
        except _Quit:
            self.say(render_progress(s))
            self.say(i18n.t("aw.quit"))
            return "quit"
        except (KeyboardInterrupt, EOFError):
            self.io.say("")
            self.say(render_progress(s))
            self.say(i18n.t("aw.quit"))
            return "interrupted"
        finally:
            if self._what_if is not None:
                self._what_if.close()
            s.close()

    def navigate(self, cmd: Command) -> None:
        s = self.s
        if cmd.name == "skip":
            s.skip()
        elif cmd.name == "back":
            s.back()
        elif cmd.name == "goto":
            if not cmd.arg:
                self.say(i18n.t("aw.goto_needs_id"))
                return
            try:
                s.jump(cmd.arg)
            except PmprbError as exc:
                self.say(i18n.t("aw.error", error=exc))
        elif cmd.name == "evidence":
            try:
                self.evidence_menu(s.current)
            except _Navigate as nav:
                self.navigate(nav.cmd)

    def gate_notice(self, cid: str) -> str | None:
        """Before asking: will this criterion score 0 whatever the answer,
        because of a gate? Decided by the rules on the best answer."""
        s = self.s
        c = s.criterion(cid)
        if not c.is_choice or not c.scored:
            return None
        from pmprb.engine.evaluator import Evaluator

        if self._what_if is None:
            self._what_if = Evaluator(s.inst, s.engine)
        # The stored worksheet with its cited documents and the round's period, as feedback reads it.
        decision = s.what_if({cid: c.options[0][0]}, self._what_if)[cid]
        best = decision.result
        if best.value != 0 or not best.raw_value:
            return None
        prereqs = decision.input.get("prerequisites", {})
        fired = [name.split("/gate:", 1)[1].split(":", 1)[1] for name in decision.trace if "/gate:" in name]
        if not fired or any(prereqs.get(pre, {}).get("answer") is None for pre in fired):
            return None  # a prerequisite not answered yet may still lift the gate
        why = "; ".join(gate_reasons(decision))
        return i18n.t("aw.gated", cid=cid, why=why)

    def step(self) -> str | None:
        """One criterion: answer, note, save, feedback, evidence, move on."""
        s = self.s
        cid = s.current
        c = s.criterion(cid)
        self.io.say("")
        self.say(render(s, cid))
        notice = self.gate_notice(cid)
        if notice:
            self.say(notice)
        stored = s.stored(cid)
        while True:  # an invalid answer costs one short line, not the whole block again
            try:
                raw = self.ask(i18n.t("aw.ask_answer", allowed=allowed_text(c, s.inst)))
            except KeyboardInterrupt as exc:
                self._interrupted_at_answer(cid, _typed(exc))
                raise
            if not raw:
                if stored is None or stored.answer is None:
                    self.say(i18n.t("aw.need_answer"))
                    continue
                return "done" if s.next_in_order() is None else None
            try:
                answer = normalise_answer(s.inst, c.id, raw)
                break
            except PmprbError as exc:
                # A points line's refusal names the range, category or code it wanted.
                self.say(str(exc) if c.kind in points.KINDS else
                         i18n.t("aw.bad_answer", answer=raw, allowed=allowed_text(c)))
        note = self.ask_note(cid, answer, stored)
        try:
            changed, fb = s.save(cid, answer, note)
        except PmprbError as exc:
            self.say(i18n.t("aw.error", error=exc))
            return None
        st = s.stored(cid)
        self.say(i18n.t("aw.saved" if changed else "aw.unchanged", cid=cid, answer=st.answer, version=st.version))
        self.say(render_feedback(fb))
        self.say(render_progress(s))
        self.evidence_menu(cid)
        return "done" if s.advance() is None else None

    def _interrupted_at_answer(self, cid: str, typed: str) -> None:
        """Ctrl-C at the answer prompt: a valid answer typed is offered for saving."""
        try:
            answer = normalise_answer(self.s.inst, cid, typed) if typed.strip() else None
        except PmprbError:
            answer = None
        if answer is None:
            return
        self.io.say("")
        try:
            save = self.yes(i18n.t("aw.save_before_quit", answer=answer, cid=cid), True)
        except (KeyboardInterrupt, EOFError):
            save = False
        if save:
            self._save_quietly(cid, answer)
        else:
            self.say(i18n.t("aw.discarded"))

    def ask_note(self, cid: str, answer: str, stored):
        """The note for a pending answer; Ctrl-C or a command here must not lose it silently."""
        prompt = i18n.t("aw.ask_note_keep" if stored is not None and stored.note else "aw.ask_note")
        while True:
            try:
                text = self.ask(prompt)
            except EOFError:
                return AssessSession.KEEP  # end of input confirms the answer as typed
            except KeyboardInterrupt as exc:
                typed = _typed(exc).strip()
                self.io.say("")
                key = "aw.save_with_note" if typed else "aw.save_before_quit"
                try:
                    save = self.yes(i18n.t(key, answer=answer, cid=cid), True)
                except (KeyboardInterrupt, EOFError):
                    save = False
                if save:
                    note = AssessSession.KEEP if not typed else (None if typed == "-" else typed)
                    self._save_quietly(cid, answer, note)
                else:
                    self.say(i18n.t("aw.discarded"))
                raise _Quit() from None
            except _Quit:
                self._save_quietly(cid, answer)
                raise
            except _Navigate as nav:
                if nav.cmd.name == "evidence":
                    self.say(i18n.t("aw.need_answer"))
                    continue
                if self.yes(i18n.t("aw.discard", answer=answer, cid=cid), False):
                    self.say(i18n.t("aw.discarded"))
                    raise
                continue
            if not text:
                return AssessSession.KEEP
            return None if text == "-" else text

    def _save_quietly(self, cid: str, answer: str, note=AssessSession.KEEP) -> None:
        try:
            _changed, _fb = self.s.save(cid, answer, note)
            st = self.s.stored(cid)
            key = "aw.saved" if note is AssessSession.KEEP else "aw.saved_note"
            self.say(i18n.t(key, cid=cid, answer=st.answer, version=st.version))
        except PmprbError as exc:
            self.say(i18n.t("aw.error", error=exc))

    # -- evidence ---------------------------------------------------------
    def evidence_menu(self, cid: str) -> None:
        while True:
            choice = self.ask(i18n.t("aw.ev_menu")).lower()
            if not choice:
                return
            try:
                if choice[0] in ("b", "f"):
                    path = self._field(self._ask_path)
                    fb = self.s.add_file(cid, path, **self._document_fields())
                elif choice[0] == "u":
                    url = self._field(self._ask_url)
                    fb = self.s.add_url(cid, url, **self._document_fields())
                elif choice[0] == "p":
                    fb = self._pick(cid)
                    if fb is None:
                        continue
                else:
                    self.say(i18n.t("aw.ev_unknown_choice"))
                    continue
            except _Cancel:
                self.say(i18n.t("aw.ev_cancelled"))
                continue
            except PmprbError as exc:
                self.say(i18n.t("aw.error", error=exc))
                continue
            self.say(i18n.t("aw.ev_added", cid=cid))
            added = self.s.last_added
            if added is not None and choice[0] != "p":
                for doc in added.understood:
                    self.say(i18n.t("aw.ev_understood", what=describe_document(doc)))
                for w in added.warnings:
                    if w not in self._said:
                        self.say(i18n.t("aw.ev_warning", text=w))
            self.say(render_feedback(fb))

    def _field(self, ask_once):
        """One evidence field, validated as it is typed. Ctrl-C asks before
        dropping the form; answering no asks the same field again (a terminal
        puts back what was typed)."""
        while True:
            try:
                return ask_once()
            except KeyboardInterrupt as exc:
                self.io.say("")
                try:
                    leave = self.yes(i18n.t("aw.ev_interrupt"), False)
                except (KeyboardInterrupt, EOFError):
                    leave = True
                if leave:
                    raise _Quit() from None
                prefill = getattr(self.io, "prefill", None)
                if prefill is not None and _typed(exc):
                    prefill(_typed(exc))

    def _ask_path(self) -> Path:
        prompt = i18n.t("aw.ev_path")
        while True:
            raw = self.ask(prompt)
            if not raw:
                raise _Cancel()
            path = Path(raw.strip().strip("'\"")).expanduser()
            if not path.exists():
                self.say(i18n.t("aw.ev_no_file", path=raw))
                continue
            if not path.is_file():
                self.say(i18n.t("aw.ev_not_a_file", path=raw))
                continue
            if path.stat().st_size == 0 and not self.yes(i18n.t("aw.ev_empty_file", path=raw), False):
                continue
            return path

    def _ask_url(self) -> str:
        while True:
            raw = self.ask(i18n.t("aw.ev_url"))
            if not raw:
                raise _Cancel()
            if raw.lower().startswith(("http://", "https://")) and "." in raw:
                return raw
            self.say(i18n.t("aw.ev_bad_url", url=raw))

    def _ask_title(self) -> str:
        while True:
            title = self.ask(i18n.t("aw.ev_title"))
            if title:
                return title
            self.say(i18n.t("aw.ev_need_title"))

    def _ask_date(self) -> date:
        while True:
            raw = self.ask(i18n.t("aw.ev_date"))
            if not raw:
                self.say(i18n.t("aw.ev_need_date"))
                continue
            try:
                when = dates.parse_date(raw)
            except ValueError as exc:
                self.say(str(exc))
                continue
            today = date.today()
            if when > today:  # refused by the store too: said here, right after the field
                self.say(i18n.t("ev.future", date=when.isoformat(), today=today.isoformat()))
                continue
            return when

    def _document_fields(self) -> dict:
        number = self._field(lambda: self.ask(i18n.t("aw.ev_number"))) or None
        title = self._field(self._ask_title)
        when = self._field(self._ask_date)
        # Said right after the date, not after the form: what the rules will make of it (not refused).
        self._said = self.s.document_warnings(number, title, when)
        for w in self._said:
            self.say(i18n.t("aw.ev_warning", text=w))
        return {"number": number, "title": title, "document_date": when}

    def _pick(self, cid: str) -> Feedback | None:
        docs = self.s.linkable(cid)
        if not docs:
            self.say(i18n.t("aw.ev_none_to_pick"))
            return None
        for k, d in enumerate(docs, 1):
            self.say(f"  {k}) {describe_doc(d)}")
        choice = self.ask(i18n.t("aw.ev_pick"))
        if choice.isdigit() and 1 <= int(choice) <= len(docs):
            choice = docs[int(choice) - 1].ref
        return self.s.link(cid, choice)


def run_walk(session: AssessSession, io: WalkIO) -> str:
    return Walk(session, io).run()


__all__ = ["run_walk", "Walk", "WalkIO", "Interrupted", "parse_command", "render", "render_progress",
           "render_progress_full", "render_feedback", "describe_doc", "COMMANDS"]
