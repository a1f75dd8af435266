"""Issue 14 acceptance: every command and subcommand, run with a wrong
option, with each required option or argument missing, with a bad value
for each of its options and arguments, and with good values (so the
library's refusals for the round's state or the person's role show), with ``PMPRB_LANG`` unset, says
nothing in English and no internal state or transition name.

Unlike ``tests/terminal/test_cli_language.py`` (which checks click's own
messages on an empty database), the commands here run against a populated
database (people, a unit, an open round with assignments and answers), and
every other option is given a good value, so a bad value reaches the library
and its refusal is what is checked. In-process (CliRunner); the database is
built once and copied for each invocation, so no command changes what the
next one sees.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pmprb import i18n
from pmprb.cli import load_all_commands, main
from pmprb.engine.instrument import load_instrument

load_all_commands()

# ("of" is left out: the instrument's own Indonesian texts say "agent of change".)
ENGLISH = {"error", "Error", "Missing", "missing", "Invalid", "invalid", "unknown", "Unknown", "Usage", "Options",
           "Commands", "Try", "such", "No", "found", "required", "not", "the", "is", "are", "and", "or",
           "with", "for", "to", "must", "cannot", "Aborted", "option", "argument", "expected", "got", "value",
           "should", "only", "may", "has", "been", "already", "does", "exist", "file", "directory", "Permission",
           "denied", "Traceback", "Exception"}
# Internal state and transition names (in any quoting) and Python's reprs of them.
INTERNAL = re.compile(r"\b(in_progress|submitted|accepted|returned|draft|resolved|withdrawn|planned|verified)\b"
                      r"|'(open|review|consensus|final|finalise|reopen|submit|accept|return|resume|start|"
                      r"complete|verify|reject|done)'")
BAD = "zz-salah"
# A good value per parameter name, so the one bad value is what the command refuses.
GOOD = {"round_ref": "2024", "unit_code": "DINKES", "unit": "DINKES", "unit_codes": "DINKES", "assessor": "ani",
        "criterion": "MP.1.a", "criteria": "MP.1.a", "answer": "A", "title": "SK Tim RB", "document_date": "10-01-2024",
        "meeting_date": "10-01-2024", "participants": "kora", "year": "2025", "reason": "alasan", "name": "Nama",
        "roles": "asesor", "role": "asesor", "username": "budi", "code": "DISDIK", "instrument": "pmprb-2014",
        "institution": "kota-x"}
# Arguments and options that name a file to read: a real file (written by the fixture).
FILES = {"file", "worksheet", "csv_file", "path", "files"}
TOP_ACTOR = {"assess": "ani", "evidence": "ani"}
SKIP = {("demo",), ("init",)}   # the demo runs a whole round; init is refused on an initialised database


def walk(cmd: click.Command, path=()):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, path + (name,))


LEAVES = [(path, cmd) for path, cmd in walk(main) if path and path not in SKIP]


def words(text: str) -> list[str]:
    """Prose words: commands in backticks, echoed values, options, paths and ids left out."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\u201c[^\u201d]*\u201d", " ", text)
    text = re.sub(r"(?<![\w])--?[\w-]+", " ", text)
    text = re.sub(r"\S*[/\\.]\S*", " ", text)
    text = re.sub(r"\b[0-9a-f]{8,}\b", " ", text)
    return re.findall(r"[A-Za-z_]+", text)


def leaks(text: str) -> list[str]:
    return sorted({w for w in words(text) if w in ENGLISH}) + [m.group(0) for m in INTERNAL.finditer(text)]


def _copy_db(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite database (its write-ahead log included)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    b.close()
    a.close()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leaks")
    home = folder / "home"
    home.mkdir()
    sheet = folder / "isian.csv"
    sheet.write_text("kriteria,jawaban,catatan\nMP.1.a,A,\n", encoding="utf-8")
    db = folder / "base.db"
    base = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "PMPRB_LANG": None, "PMPRB_NO_INPUT": "1", "PMPRB_EVIDENCE_DIR": None, "COLUMNS": "80"}
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(folder)

    def invoke(args, actor, url):
        return runner.invoke(main, list(args), env={**base, "PMPRB_USER": actor, "PMPRB_DATABASE_URL": url})

    url = f"sqlite:///{db}"
    setup = [
        (["init", "--institution-code", "kota-x", "--institution", "Kota X", "--admin", "admin", "--admin-name",
          "Admin"], "admin"),
        (["person", "add", "kora", "--name", "Kora", "--role", "koordinator"], "admin"),
        (["person", "add", "ani", "--name", "Ani", "--role", "asesor"], "admin"),
        (["person", "add", "audi", "--name", "Audi", "--role", "auditor"], "admin"),
        (["unit", "add", "DINKES", "Dinas Kesehatan"], "admin"),
        (["round", "create", "--year", "2024", "--instrument", "pmprb-2014"], "kora"),
        (["assign", "--round", "2024", "--assessor", "ani", "--unit", "DINKES", "--area", "MP"], "kora"),
        (["round", "open", "2024"], "kora"),
        (["assess", "set", "--round", "2024", "--unit", "DINKES", "--criterion", "MP.1.a", "--answer", "B"], "ani"),
    ]
    for args, actor in setup:
        r = invoke(args, actor, url)
        assert r.exit_code == 0, (args, r.output)
    # A second database, in review: ani's worksheet answered in full, submitted, and the round moved on.
    reviewed = folder / "review.db"
    _copy_db(db, reviewed)
    inst = load_instrument("pmprb-2014")
    full = folder / "lengkap.csv"
    full.write_text("kriteria,jawaban\n" + "".join(f"{cid},{c.worst}\n" for cid, c in inst.criteria.items()
                                                   if c.area == "MP" and c.kind != "computed"), encoding="utf-8")
    for args, actor in [(["assess", "import", str(full), "--round", "2024", "--unit", "DINKES", "--on-conflict",
                          "update"], "ani"),
                        (["assess", "submit", "--round", "2024", "--unit", "DINKES", "--yes"], "ani"),
                        (["round", "review", "2024"], "kora")]:
        r = invoke(args, actor, f"sqlite:///{reviewed}")
        assert r.exit_code == 0, (args, r.output)
    counter = iter(range(10 ** 6))

    def run(args, actor, base_db=db):
        """Run on a fresh copy of the database (and of its evidence folder), in
        an empty working folder (files a command writes are not read by the next)."""
        n = next(counter)
        work = folder / f"run{n}"
        work.mkdir()
        copy = work / "pmprb.db"
        _copy_db(base_db, copy)
        if (folder / "base.db.evidence").exists():
            shutil.copytree(folder / "base.db.evidence", work / "pmprb.db.evidence")
        os.chdir(work)
        try:
            return invoke(args, actor, f"sqlite:///{copy}")
        finally:
            os.chdir(folder)
            shutil.rmtree(work, ignore_errors=True)

    run.sheet = sheet
    run.reviewed = reviewed
    yield run
    os.chdir(cwd)
    i18n.set_lang(None)


def _good(param: click.Parameter, sheet: Path) -> str | None:
    if param.name in FILES:
        return str(sheet)
    if param.name in GOOD:
        return GOOD[param.name]
    if isinstance(param.type, click.Choice):
        return param.type.choices[0]
    if param.required:
        return "1" if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)) else "x"
    return None


def _argv(path, cmd, sheet, *, drop=None, bad=None) -> list[str]:
    """The command with a good value for every required parameter (and for
    --round/--unit where it has them), one of them dropped or made bad."""
    args: list[str] = list(path)
    for p in cmd.params:
        if p is drop or (isinstance(p, click.Option) and (p.is_flag or p.count)) or p.name in ("help", "version"):
            continue
        wanted = p.required or p is bad or p.name in ("round_ref", "unit_code", "unit")
        if not wanted:
            continue
        value = BAD if p is bad else _good(p, sheet)
        if value is None:
            continue
        if isinstance(p, click.Argument):
            args.append(value)
        else:
            args += [p.opts[0], value]
    return args


def _cases():
    cases = []
    for path, cmd in LEAVES:
        if isinstance(cmd, click.Group) and not cmd.invoke_without_command:
            continue
        cases.append((path, "wrong", None))
        cases.append((path, "good", None))   # every value good: the library's own refusals (states, roles…)
        cases.append((path, "review", None))  # the same in a round under review (a submitted worksheet)
        for p in cmd.params:
            if p.name in ("help", "version") or (isinstance(p, click.Option) and (p.is_flag or p.count)):
                continue
            if p.required:
                cases.append((path, "missing", p.name))
            cases.append((path, "bad", p.name))
    return cases


CASES = _cases()


def _command(path):
    cmd = main
    for name in path:
        cmd = cmd.commands[name]
    return cmd


@pytest.mark.parametrize("path,kind,param", CASES, ids=[" ".join(p) + f" {k}:{n or ''}" for p, k, n in CASES])
def test_no_english_and_no_internal_names(env, path, kind, param):
    cmd = _command(path)
    p = next((x for x in cmd.params if x.name == param), None)
    if kind == "wrong":
        args = _argv(path, cmd, env.sheet) + ["--tidak-ada"]
    elif kind == "missing":
        args = _argv(path, cmd, env.sheet, drop=p)
    elif kind in ("good", "review"):
        args = _argv(path, cmd, env.sheet)
    else:
        args = _argv(path, cmd, env.sheet, bad=p)
    if kind == "review":
        r = env(args, TOP_ACTOR.get(path[0], "kora"), base_db=env.reviewed)
    else:
        r = env(args, TOP_ACTOR.get(path[0], "kora"))
    shown = f"`pmprb {' '.join(args)}` (exit {r.exit_code}):\n{r.stderr[:3000]}"
    assert r.exception is None or isinstance(r.exception, SystemExit), shown + repr(r.exception)
    # Messages (stderr) in Bahasa Indonesia only; data on stdout (JSON, exports, the
    # instrument's own texts) may hold anything but a state shown by its internal name.
    assert not leaks(r.stderr), f"{leaks(r.stderr)} in {shown}"
    if not r.stdout.lstrip().startswith(("{", "[")):
        internal = [m.group(0) for m in INTERNAL.finditer(r.stdout)]
        assert not internal, f"{internal} on stdout of `pmprb {' '.join(args)}`:\n{r.stdout[:3000]}"
    if kind in ("wrong", "missing"):
        assert r.exit_code != 0, shown


def test_the_walk_covers_every_command():
    covered = {p for p, _k, _n in CASES}
    every = {p for p, c in LEAVES if not isinstance(c, click.Group) or c.invoke_without_command}
    assert covered == every and len(CASES) > 300
