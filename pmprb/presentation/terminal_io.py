"""The walk's terminal: prompts and text on stderr (stdout stays for data),
input with readline's line editing, lines wrapped to the terminal's width.

Ctrl-C does not lose what was typed: while a prompt waits, SIGINT is handled
by a function that reads readline's line buffer before raising, so the walk
gets :class:`~pmprb.presentation.walk.Interrupted` with the text typed so
far (readline runs Python signal handlers before it clears its buffer).
The prompt is written to stderr, not given to readline, so stdout stays
free of prompts.
:meth:`TerminalIO.prefill` puts text back on the next prompt's line.
"""

from __future__ import annotations

import signal
import sys

import click

from pmprb.presentation.terminal_text import terminal_width
from pmprb.presentation.walk import Interrupted


class TerminalIO:
    def __init__(self):
        try:
            import readline
        except ImportError:  # pragma: no cover - not on every platform
            readline = None
        self._readline = readline
        self._prefill = ""

    @property
    def width(self) -> int:
        return terminal_width()

    def prefill(self, text: str) -> None:
        """The next prompt starts with ``text`` already typed (editable)."""
        self._prefill = text

    def ask(self, prompt: str) -> str:
        rl = self._readline

        def on_interrupt(signum, frame):
            typed = rl.get_line_buffer() if rl is not None else ""
            raise Interrupted(typed)

        previous = signal.signal(signal.SIGINT, on_interrupt)
        if rl is not None and self._prefill:
            text = self._prefill
            rl.set_startup_hook(lambda: rl.insert_text(text))
        self._prefill = ""
        try:
            sys.stderr.write(prompt)
            sys.stderr.flush()
            text = input()
            if text == "" and rl is not None and sys.stdin.isatty() and sys.stdout.isatty():
                # readline ends a line with a newline only when its own line (prompt + text)
                # is not empty; its prompt is empty here (ours is on stderr), so Enter alone
                # would leave the cursor after the prompt.
                sys.stderr.write("\n")
            return text
        finally:
            signal.signal(signal.SIGINT, previous)
            if rl is not None:
                rl.set_startup_hook(None)

    def say(self, text: str) -> None:
        click.echo(text, err=True)


__all__ = ["TerminalIO"]
