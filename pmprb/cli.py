"""The `pmprb` command: a thin shell over the library.

Command groups live in ``pmprb/commands/<name>.py``; each module exposes
``register(main)``. Data goes to stdout, messages to stderr; library errors
(:mod:`pmprb.errors`) become their documented exit codes.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass

import click

from pmprb import __version__, i18n
from pmprb.errors import PmprbError


@dataclass
class Context:
    lang: str
    db_url: str | None
    actor: str | None
    no_input: bool

    def interactive(self) -> bool:
        return not self.no_input and sys.stdin.isatty()


class PmprbGroup(click.Group):
    """Turns library errors into a message on stderr and their exit code,
    for the console script and for ``CliRunner`` alike."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PmprbError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=PmprbGroup, context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "PMPRB"})
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


def _register_commands() -> None:
    from pmprb import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(main)


_register_commands()


def cli_entry() -> None:
    main(prog_name="pmprb")


if __name__ == "__main__":
    cli_entry()
