"""The `pmprb` command: a thin shell over the library.

Command groups live in ``pmprb/commands/<name>.py``; each module exposes
``register(main)``. They are loaded lazily: :data:`COMMANDS` names the
module of every top-level command and its one-line summary, so ``pmprb
--help`` imports no command module (and no database library), and ``pmprb
score`` loads only the engine. Data goes to stdout, messages to stderr;
library errors (:mod:`pmprb.errors`) become their documented exit codes.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

import click

from pmprb import __version__, cli_language, i18n
from pmprb.cli_language import TranslatedCommand, TranslatedGroup, tr
from pmprb.errors import PmprbError

@dataclass
class Context:
    lang: str
    db_url: str | None
    actor: str | None
    no_input: bool

    def interactive(self) -> bool:
        return not self.no_input and sys.stdin.isatty()


# name -> (module whose register(main) adds it, one-line summary for `pmprb --help`).
# The summary also becomes the loaded command's short help, so both listings agree.
COMMANDS: dict[str, tuple[str, str]] = {
    "assess": ("pmprb.commands.assess", "Fill in your worksheet (kertas kerja) for one unit."),
    "assign": ("pmprb.commands.assign", "Assign an assessor to units and areas."),
    "audit": ("pmprb.commands.audit", "Verify the audit log; replay, explain and export decisions."),
    "consensus": ("pmprb.commands.consensus", "Consensus items: criteria on which the assessors disagree."),
    "db": ("pmprb.commands.db", "Database schema: status and upgrade."),
    "demo": ("pmprb.commands.demo", "Run a whole PMPRB round on bundled synthetic data."),
    "evidence": ("pmprb.commands.evidence", "Evidence (bukti dukung) supporting criteria."),
    "history": ("pmprb.commands.history", "Published Indeks RB tables: import, check, show."),
    "init": ("pmprb.commands.init", "Create the institution and its first admin."),
    "key": ("pmprb.commands.key", "Your Ed25519 key that signs checkpoints."),
    "person": ("pmprb.commands.person", "People and their roles."),
    "ratl": ("pmprb.commands.ratl", "RATL: the follow-up action plan of a final round."),
    "report": ("pmprb.commands.report", "Round documents to sign and file."),
    "review": ("pmprb.commands.review", "Every assessor's answers side by side."),
    "round": ("pmprb.commands.round", "Assessment rounds and their workflow."),
    "rules": ("pmprb.commands.rules", "Instruments: criteria, weights and gating rules as data."),
    "score": ("pmprb.commands.score", "Score a worksheet file to its Indeks RB."),
    "unit": ("pmprb.commands.unit", "Work units of the institution."),
}


class PmprbGroup(TranslatedGroup):
    """The root group: loads a command's module the first time the command is
    needed, and turns library errors into a message on stderr and their exit
    code, for the console script and for ``CliRunner`` alike. The language
    (``--lang``/``PMPRB_LANG``) is settled before click parses anything, so
    usage errors and help are already in it (:mod:`pmprb.cli_language`)."""

    group_class = TranslatedGroup
    command_class = TranslatedCommand

    def main(self, args=None, *posargs, **kwargs):
        cli_language.install()
        i18n.set_lang(cli_language.detect_lang(args))
        return super().main(args, *posargs, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str):
        if name not in self.commands and name in COMMANDS:
            module, summary = COMMANDS[name]
            importlib.import_module(module).register(self)
            self.commands[name].short_help = summary
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, tr(COMMANDS[name][1]) if name in COMMANDS else cli_language.summary(self.commands[name]))
                for name in self.list_commands(ctx)]
        with formatter.section(tr("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PmprbError as exc:
            click.echo(i18n.t("cli.error", error=exc), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            # Faults of the machine (disk full, read-only, permission denied, a lost
            # connection, a lock) from any command, mapped here once (pmprb.faults).
            from pmprb import faults

            fault = faults.classify(exc, _database_named(ctx))
            if fault is None:
                raise
            click.echo(i18n.t("cli.error", error=fault), err=True)
            ctx.exit(fault.exit_code)


def _database_named(ctx: click.Context) -> str | None:
    """The database the command was working on, for a fault's message (no password)."""
    try:
        from pmprb.assessments.store.db import display_url, resolve_url

        obj = ctx.find_object(Context)
        return display_url(resolve_url(obj.db_url if obj else None))
    except Exception:  # the message must not fail because the URL cannot be shown
        return None


@click.group("pmprb", cls=PmprbGroup, context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "PMPRB"})
@click.version_option(__version__, prog_name="pmprb")
@click.option("--lang", type=click.Choice(i18n.LANGS), envvar="PMPRB_LANG", default="id", show_default=True,
              help="Language of prompts and reports (id = Bahasa Indonesia, en = English).")
@click.option("--db", "db_url", envvar="PMPRB_DATABASE_URL", default=None,
              help="Database URL (default: SQLite in the user data directory). Also PMPRB_DATABASE_URL.")
@click.option("--as", "actor", envvar="PMPRB_USER", default=None,
              help="Name of the person acting (also PMPRB_USER).")
@click.option("--no-input", is_flag=True, envvar="PMPRB_NO_INPUT",
              help="Never prompt; fail instead of waiting for input.")
@click.pass_context
def main(ctx: click.Context, lang: str, db_url: str | None, actor: str | None, no_input: bool) -> None:
    """pmprb: PMPRB self-assessment rules, rounds, consensus, RATL and audit."""
    i18n.set_lang(lang)
    ctx.obj = Context(lang=lang, db_url=db_url, actor=actor, no_input=no_input)


def load_all_commands() -> None:
    """Import every command module (tests and docs that walk the whole tree)."""
    for name in COMMANDS:
        main.get_command(None, name)


def cli_entry() -> None:
    main(prog_name="pmprb")


if __name__ == "__main__":
    cli_entry()
