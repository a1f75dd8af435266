"""Every `pmprb …` command line in the README and docs/*.md parses with click.

Issue 14: docs/COORDINATOR.md documented `report … --format csv`, which
does not exist. ``test_cli_docs.py`` checks the names of commands and
options in ``sh`` blocks; this test runs click's own parser (a dry parse:
nothing is invoked) over every code block and every inline code span, so a
value a Choice refuses, an option a command lacks, or a stray argument is
caught too. The docs' synopsis notation is expanded first: ``a|b`` (each
alternative is checked), ``[--opt VALUE]`` (the brackets dropped), ``…``.
"""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path

import click
import pytest

from pmprb.cli import load_all_commands, main

load_all_commands()

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PROGRAMS = ("pmprb", ".venv/bin/pmprb")


def _lines(text: str):
    """Candidate command lines: every fenced block's lines (continuations
    joined, `;`-separated commands split) and every inline code span."""
    text = text.replace("\\|", "|")            # `|` escaped inside Markdown tables
    for block in re.findall(r"```[^\n]*\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            yield from (part.strip() for part in line.split(" ; "))
    for span in re.findall(r"(?<!`)`([^`\n]+)`(?!`)", text):
        yield span.strip()


def _tokens(line: str) -> list[tuple[str, bool]] | None:
    """(token, was_quoted) pairs, comments dropped; None when the line is not shell."""
    try:
        lexer = shlex.shlex(line, posix=False, punctuation_chars=False)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        raw = list(lexer)
    except ValueError:
        return None
    out = []
    for tok in raw:
        quoted = len(tok) >= 2 and tok[0] == tok[-1] and tok[0] in "'\""
        out.append((tok[1:-1] if quoted else tok, quoted))
    return out


def expand(line: str) -> list[list[str]]:
    """The concrete argument lists a synopsis line stands for (at most 64)."""
    toks = _tokens(line)
    if not toks or toks[0][0] not in PROGRAMS:
        return []
    choices: list[list[str]] = []
    for tok, quoted in toks[1:]:
        if not quoted:
            tok = tok.strip("[]")
            if tok in ("", "...", "\u2026") or tok.endswith(("...", "\u2026")):
                continue
            if tok in ("|", "&&", ">", "2>&1") or tok.startswith(("$", ">", "<")):
                break          # a pipe or redirection ends the pmprb command
        alternatives = tok.split("|") if not quoted and "|" in tok else [tok]
        choices.append(alternatives)
    combos = list(itertools.islice(itertools.product(*choices), 64))
    return [list(c) for c in combos]


PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_-]*")


def _value_of(param, args: list[str]) -> list[str]:
    """The value(s) given to ``param`` in ``args``."""
    opts = set(getattr(param, "opts", []) or [])
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a in opts] + \
        [a.split("=", 1)[1] for a in args if "=" in a and a.split("=", 1)[0] in opts]


def dry_parse(args: list[str]) -> str | None:
    """Parse like `pmprb ARGS` without invoking anything; the problem, or None."""
    cmd: click.Command = main
    ctx = None
    name = "pmprb"
    try:
        while True:
            ctx = cmd.make_context(name, list(args), parent=ctx)
            if not isinstance(cmd, click.Group):
                return None
            # click >= 8.2 keeps them in _protected_args (its protected_args property warns)
            protected = ctx._protected_args if hasattr(ctx, "_protected_args") else ctx.protected_args
            rest = list(protected) + ctx.args
            if not rest:
                return None
            name, cmd, args = cmd.resolve_command(ctx, rest)
            args = list(args)
    except click.exceptions.Exit:
        return None          # --help, --version
    except click.exceptions.NoArgsIsHelpError:
        return None          # a group named alone (`pmprb audit …`): a reference, not a call
    except click.MissingParameter:
        return None          # a synopsis may leave out what the surrounding text says
    except click.BadParameter as exc:
        if isinstance(getattr(exc.param, "type", None), click.Path):
            return None      # a file the example names but this checkout does not have
        if any(PLACEHOLDER.fullmatch(a) for a in _value_of(exc.param, args)):
            return None      # a placeholder such as V, N or YYYY-MM-DD in a synopsis
        return exc.format_message()
    except click.UsageError as exc:
        return exc.format_message()


CASES = []
for _doc in DOCS:
    for _line in dict.fromkeys(_lines(_doc.read_text(encoding="utf-8"))):
        for _args in expand(_line):
            CASES.append((_doc.name, _line, _args))


def test_there_are_many_lines_to_check():
    assert len(CASES) > 150


@pytest.mark.parametrize("doc,line,args", CASES, ids=[f"{d}:{' '.join(a)[:70]}" for d, _l, a in CASES])
def test_documented_command_line_parses(doc, line, args):
    problem = dry_parse(args)
    assert problem is None, f"{doc}: `{line}` as `pmprb {' '.join(args)}`: {problem}"


def test_the_check_notices_a_value_click_refuses():
    """The line issue 14 found in docs/COORDINATOR.md."""
    problems = [dry_parse(a) for a in expand("pmprb report lke --round 2024 [--format html|pdf|xlsx|csv]")]
    assert problems[:3] == [None, None, None] and problems[3] is not None and "csv" in problems[3]
    assert dry_parse(["round", "create", "--yaer", "2024"]) is not None
    assert dry_parse(["round", "show", "2024", "2025"]) is not None
