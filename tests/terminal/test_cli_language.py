"""Click's own messages, every --help and every usage error in Bahasa
Indonesia by default, English with --lang en (issue 14: "English and internal
names leak: `error:` vs `Galat:`, click's `Missing option`/`Invalid value`,
all `--help` text, `[Y/n]`, state names").

Every command of the tree is run with PMPRB_LANG unset: with --help, with an
option it does not have, with nothing (a missing option or argument), and
with a bad value for every typed option; the output may contain no English
word from the list and no internal state name.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from pmprb import cli_language, i18n
from pmprb.cli import load_all_commands, main

load_all_commands()

ENGLISH = ["error", "Error", "Missing", "missing", "Invalid", "invalid", "unknown", "Unknown", "Usage", "Options",
           "Commands", "COMMAND", "OPTIONS", "ARGS", "Try", "such", "required", "Show", "the", "is", "not", "of",
           "and", "or", "with", "for", "to", "a", "an", "must", "Aborted", "option", "argument", "default",
           "version", "exit", "message", "which", "when", "from", "by", "only", "every", "one", "this", "each"]
STATES = ["in_progress", "submitted", "accepted", "returned", "draft", "resolved", "withdrawn", "planned",
          "verified", "'open'", "'review'", "'consensus'"]
# words that are the same in both languages or are names (commands, options, formats, file names)
ALLOWED = {"pmprb", "PMPRB", "RB", "SAKIP", "BPK", "WTP", "LKE", "RATL", "SHA-256", "JSON", "jsonl", "CSV", "XLSX",
           "HTML", "YAML", "SQLite", "PostgreSQL", "URL", "IANA", "WIB", "WITA", "WIT", "id", "en"}


def walk(cmd: click.Command, path=()):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, path + (name,))


COMMANDS = [path for path, _cmd in walk(main)]


def words(text: str) -> list[str]:
    """Prose words: option names, commands in backticks, paths and quoted values left out."""
    text = re.sub(r"`[^`]*`", " ", text)                       # commands quoted as code
    text = re.sub(r"'[^']*'|\"[^\"]*\"", " ", text)            # values echoed back
    text = re.sub(r"(?<![\w])--?[\w-]+", " ", text)             # --options, -o
    text = re.sub(r"\S*[/\\.]\S*", " ", text)                  # paths, ids such as MP.1.a, file names
    text = re.sub(r"\b[0-9a-f]{8,}\b", " ", text)              # hashes
    return re.findall(r"[A-Za-z_]+", text)


def leaks(text: str) -> list[str]:
    found = sorted({w for w in words(text) if w in ENGLISH and w not in ALLOWED})
    found += [s for s in STATES if s in text]
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lang")
    url = f"sqlite:///{folder / 'pmprb.db'}"
    runner = CliRunner()

    def invoke(*args, actor="admin"):
        env = {"PMPRB_LANG": None, "PMPRB_USER": actor, "PMPRB_DATABASE_URL": url, "PMPRB_NO_INPUT": "1",
               "COLUMNS": "80"}
        return runner.invoke(main, list(args), env=env)

    r = invoke("init", "--institution-code", "kota-x", "--institution", "Kota X", "--admin", "admin",
               "--admin-name", "Admin")
    assert r.exit_code == 0, r.output
    yield invoke
    i18n.set_lang(None)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "pmprb" for p in COMMANDS])
def test_help_is_indonesian(run, path):
    r = run(*path, "--help")
    assert r.exit_code == 0, r.output
    assert "Cara pakai: pmprb" in r.output
    assert not leaks(r.output), f"English in `pmprb {' '.join(path)} --help`: {leaks(r.output)}\n{r.output}"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "pmprb" for p in COMMANDS])
def test_a_wrong_option_is_reported_in_indonesian(run, path):
    r = run(*path, "--tidak-ada")
    assert r.exit_code == 2
    if path != ("round", "hasil"):  # reads its instrument-named options itself (--sakip …)
        assert "Galat: Tidak ada opsi '--tidak-ada'" in r.output
    assert not leaks(r.output), f"`pmprb {' '.join(path)} --tidak-ada`: {leaks(r.output)}\n{r.output}"


@pytest.mark.parametrize("path", [p for p in COMMANDS if p and p[0] != "demo"],
                         ids=[" ".join(p) for p in COMMANDS if p and p[0] != "demo"])
def test_nothing_given_is_reported_in_indonesian(run, path):
    r = run(*path)
    assert not leaks(r.output), f"`pmprb {' '.join(path)}`: {leaks(r.output)}\n{r.output}"


def bad_values():
    cases = []
    for path, cmd in walk(main):
        for p in cmd.params:
            if not isinstance(p, click.Option) or p.is_flag or p.name in ("help", "version"):
                continue
            if path == ("demo",):
                continue  # any folder name is a good value: the demo would run
            if isinstance(p.type, (click.types.StringParamType,)) and not getattr(p.type, "name", "") == "date":
                continue
            if isinstance(p.type, click.Path) and not p.type.exists:
                continue  # a file to write: any name is a good value
            cases.append((path, p.opts[0]))
    return cases


@pytest.mark.parametrize("path,option", bad_values(), ids=[" ".join(p + (o,)) for p, o in bad_values()])
def test_a_bad_value_is_reported_in_indonesian(run, path, option):
    r = run(*path, option, "zz-salah")
    assert r.exit_code != 0
    assert not leaks(r.output), f"`pmprb {' '.join(path)} {option} zz-salah`: {leaks(r.output)}\n{r.output}"


def test_missing_actor_and_missing_option_in_indonesian(run):
    r = run("unit", "add", "X", "Unit X", actor=None)
    assert r.exit_code == 2 and r.output.startswith("Galat: siapa yang bertindak?")
    r = run("person", "add", "budi")
    assert r.exit_code == 2 and "Galat: Opsi wajib belum diisi '--name'" in r.output
    r = run("person", "add")
    assert r.exit_code == 2 and "Galat: Argumen belum diisi 'NAMA_PENGGUNA'" in r.output


def test_english_on_request(run):
    r = run("--lang", "en", "round", "create", "--year", "dua")
    assert r.exit_code == 2
    assert "Usage: pmprb round create [OPTIONS]" in r.output
    assert "Error: Invalid value for '--year': 'dua' is not a valid integer." in r.output
    r = run("--lang", "en", "assess", "--help")
    assert "Fill in your worksheet (kertas kerja) for one unit." in r.output and "Options:" in r.output


def test_the_language_is_known_before_click_parses():
    assert cli_language.detect_lang(["--lang", "en", "round", "list"], {}) == "en"
    assert cli_language.detect_lang(["--lang=id"], {"PMPRB_LANG": "en"}) == "id"
    assert cli_language.detect_lang(["round", "list"], {"PMPRB_LANG": "EN"}) == "en"
    assert cli_language.detect_lang(["round", "list"], {}) is None


def test_every_command_translates_its_help():
    plain = [" ".join(p) for p, cmd in walk(main) if not isinstance(cmd, cli_language.TranslatedCommand)]
    assert not plain, f"commands not using the translated classes: {plain}"


def test_the_compiled_catalogues_are_up_to_date():
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(__file__).resolve().parents[2] / "tools" / "compile_catalogues.py"
    r = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_an_unknown_criterion_is_named_in_indonesian():
    from pmprb.engine.instrument import load_instrument
    from pmprb.errors import NotFoundError

    i18n.set_lang(None)
    with pytest.raises(NotFoundError, match=r"^kriteria 'ZZ.1' tidak ada dalam instrumen pmprb-2014$"):
        load_instrument("pmprb-2014").criterion("ZZ.1")
