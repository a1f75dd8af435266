"""Every command and option is documented, and the README's examples are real.

A command without help text, or a README example that names a command or an
option the CLI does not have, fails here (an idea taken from sqlite-utils).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from pmprb.cli import load_all_commands, main

load_all_commands()

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def walk(cmd: click.Command, path=()):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, path + (name,))


def test_every_command_and_option_has_help():
    missing = []
    for path, cmd in walk(main):
        name = " ".join(("pmprb",) + path)
        if not (cmd.help or cmd.short_help):
            missing.append(f"{name}: command has no help text")
        for p in cmd.params:
            if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip():
                missing.append(f"{name} {p.opts[0]}: option has no help text")
    assert not missing, "\n".join(missing)


def example_commands(doc: Path):
    """`pmprb ...` lines from the doc's sh code blocks (continuations joined)."""
    text = doc.read_text(encoding="utf-8")
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] in ("pmprb", ".venv/bin/pmprb"):
                yield line.strip(), words[1:]


def check(words: list[str]) -> str | None:
    cmd: click.Command = main
    ctx_opts = {o for p in main.params for o in getattr(p, "opts", [])}
    path = ["pmprb"]
    expect_value = False
    for w in words:
        if expect_value:
            expect_value = False
            continue
        if w.startswith("-"):
            opt = w.split("=", 1)[0]
            params = {o: p for p in cmd.params for o in (getattr(p, "opts", []) + getattr(p, "secondary_opts", []))}
            if cmd is not main and opt in ctx_opts and opt not in params:
                params = {o: p for p in main.params for o in p.opts}
            if opt in ("-h", "--help"):
                continue
            if opt not in params and cmd.context_settings.get("ignore_unknown_options"):
                # Options named by the instrument's data (e.g. Hasil inputs) are parsed by the command itself.
                expect_value = "=" not in w
                continue
            if opt not in params:
                return f"{' '.join(path)}: no option {opt}"
            p = params[opt]
            expect_value = "=" not in w and not (isinstance(p, click.Option) and (p.is_flag or p.count))
            continue
        if isinstance(cmd, click.Group) and w in cmd.commands:
            cmd = cmd.commands[w]
            path.append(w)
            continue
        if isinstance(cmd, click.Group) and not cmd.invoke_without_command:
            return f"{' '.join(path)}: no command {w!r}"
    return None


CASES = [(doc.name, line, words) for doc in DOCS for line, words in example_commands(doc)]


def test_the_readme_has_examples_to_check():
    assert sum(1 for name, _, _ in CASES if name == "README.md") >= 20


@pytest.mark.parametrize("doc,line,words", CASES, ids=[f"{d}:{ln[:60]}" for d, ln, _ in CASES])
def test_documented_command_exists(doc, line, words):
    problem = check(words)
    assert problem is None, f"{doc}: `{line}` — {problem}"


def test_the_checker_notices_a_wrong_example():
    assert check(["round", "create", "--yaer", "2024"]) == "pmprb round: no option --yaer".replace("round:", "round create:")
    assert check(["rounds", "list"]) == "pmprb: no command 'rounds'"
    assert check(["--as", "ani", "assess", "set", "--criterion", "MP.1.a"]) is None
