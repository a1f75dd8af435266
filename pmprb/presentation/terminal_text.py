"""Text for a terminal of a given width: wrapped at word boundaries with
hanging indents, so nothing is cut mid-word by the terminal itself.

Why :mod:`textwrap` and not rich or prompt_toolkit: the walk prints plain
lines on stderr and reads with ``input()`` (readline keeps line editing and
history); textwrap does exactly the wrapping needed, is in the standard
library, costs nothing at start-up, and cannot misread a ``[Y/t]`` in a
prompt as markup the way rich's console markup would. Every character pmprb
prints (Latin letters, ``—``, ``·``, ``≥``, box-drawing ``─``) is one column
wide, so ``len()`` is the display width here.

Hanging indent is read from the line itself: leading spaces, then a short
label ending in ``": "`` (``Kriteria: …``), a list bullet (``- ``), or a
word followed by two or more spaces (``A      option text``); continuation
lines start under the text after it.
"""

from __future__ import annotations

import re
import shutil
import textwrap

# leading spaces + (label ": " | bullet | word + 2+ spaces | "N) ")
_HANG = re.compile(r"^(\s*)((?:[^\s:][^:]{0,28}?:\s+)|(?:[-•*]\s+)|(?:\S{1,8}\s{2,})|(?:\d+\)\s+))?")
MIN_WIDTH = 30


def terminal_width(default: int = 80) -> int:
    """Columns of the terminal on stderr (where the walk writes), else ``default``."""
    try:
        import os

        return max(MIN_WIDTH, os.get_terminal_size(2).columns)
    except OSError:
        return max(MIN_WIDTH, shutil.get_terminal_size((default, 24)).columns)


def hanging_indent(line: str) -> int:
    m = _HANG.match(line)
    if not m:
        return 0
    indent = len(m.group(0))
    # a label longer than a third of the line is text, not a label
    return indent if indent <= 32 else len(m.group(1))


def wrap_line(line: str, width: int | None) -> list[str]:
    """One logical line as one or more screen lines of at most ``width`` columns."""
    if width is None or len(line) <= width:
        return [line]
    indent = hanging_indent(line)
    if indent >= width - 10:
        indent = len(line) - len(line.lstrip(" "))
    lead = line[:len(line) - len(line.lstrip(" "))]
    first_prefix, body = line[:indent], line[indent:]
    if not first_prefix.strip():
        first_prefix = lead
        body = line[len(lead):]
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first_prefix, subsequent_indent=" " * indent,
                                   break_long_words=True, break_on_hyphens=False, drop_whitespace=True)
    return wrapper.wrap(body) or [line[:width]]


def wrap_text(text: str, width: int | None) -> str:
    """Every line of ``text`` wrapped (blank lines kept)."""
    if width is None:
        return text
    return "\n".join(out for line in text.split("\n") for out in (wrap_line(line, width) if line else [""]))


def split_prompt(prompt: str, width: int | None) -> tuple[list[str], str]:
    """A prompt that does not fit on one line: the lines to print before it,
    and its last line to ask with (so the typed answer follows it)."""
    if width is None or len(prompt) < width - 8:
        return [], prompt
    trailing = prompt[len(prompt.rstrip(" ")):]
    lines = wrap_line(prompt.rstrip(" "), width - 8)
    return lines[:-1], lines[-1] + trailing


__all__ = ["terminal_width", "hanging_indent", "wrap_line", "wrap_text", "split_prompt"]
