"""The CLI starts at once: command groups load lazily, and the commands that
need no database never import the database or spreadsheet libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "openpyxl", "alembic", "jinja2")


def loaded_after(*args: str) -> set[str]:
    code = ("import sys, json\n"
            f"sys.argv = ['pmprb', *{list(args)!r}]\n"
            "from pmprb.cli import cli_entry\n"
            "try:\n    cli_entry()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    return set(json.loads(r.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("rules", "list"), ("rules", "show", "pmprb-2014"), ("score", "--help")])
def test_commands_without_a_database_do_not_import_it(args):
    assert not loaded_after(*args) & set(HEAVY)


def test_help_lists_every_command_without_loading_them():
    from click.testing import CliRunner

    from pmprb.cli import COMMANDS, main

    r = CliRunner().invoke(main, ["--lang", "en", "--help"])
    assert r.exit_code == 0
    for name, (_module, summary) in COMMANDS.items():
        assert f"{name}" in r.output and summary in r.output
