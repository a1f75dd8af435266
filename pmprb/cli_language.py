"""The language of the command line itself: click's messages and pmprb's
``--help`` texts, Bahasa Indonesia by default, English with ``--lang en`` /
``PMPRB_LANG=en``.

Two gettext catalogues in ``pmprb/locale/<lang>/LC_MESSAGES/``:

- ``click.po``: click's own strings (``Usage:``, ``Options``, ``Missing
  option``, ``Invalid value for …``, ``Error: …``), msgids exactly as click
  writes them;
- ``pmprb-help.po``: the help text of every pmprb command and option, msgid =
  the English text in the code (the ``help=`` argument or docstring).

How it is wired (and why not ``gettext.bindtextdomain``): click calls
``gettext.gettext``, which picks its language from the process locale
(``LANGUAGE``/``LC_ALL``/``LANG``), not from ``--lang``; forcing ``LANGUAGE``
would leak into child processes and stick across in-process invocations.
So :func:`install` rebinds the ``_``/``ngettext`` names that click's modules
imported from :mod:`gettext` to functions that look up the *current* pmprb
language (:func:`pmprb.i18n.get_lang`) in these catalogues. pmprb's own help
texts are translated when help is rendered, by :class:`TranslatedCommand` /
:class:`TranslatedGroup` (every command of the tree uses them; a test checks),
so switching language in one process (tests) works. The language is known
before click parses: :func:`detect_lang` reads ``--lang`` from argv and
``PMPRB_LANG`` (the root group calls it first).

Folding into pmprb's gettext catalogues later: ``pmprb-help.po`` is already
msgid=English; merge it (and ``click.po``, or keep it as its own domain) into
the ``pmprb`` domain and point :func:`catalogue` at it.

Kept light: imports only click and the standard library, so ``pmprb --help``
stays fast.
"""

from __future__ import annotations

import contextlib
import gettext
import inspect
import os
import sys
from functools import lru_cache
from pathlib import Path

import click

from pmprb import i18n

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAINS = ("pmprb-help", "click")


@lru_cache(maxsize=len(i18n.LANGS))
def catalogue(lang: str) -> gettext.NullTranslations:
    """pmprb's help texts, then click's messages, for ``lang`` (English: the msgids)."""
    if lang == "en":
        return gettext.NullTranslations()
    first: gettext.NullTranslations | None = None
    for domain in DOMAINS:
        t = gettext.translation(domain, LOCALE_DIR, languages=[lang], fallback=True)
        if first is None:
            first = t
        else:
            first.add_fallback(t)
    return first or gettext.NullTranslations()


def tr(text: str | None) -> str | None:
    """A help text or click message in the current language (unknown text as
    given). Docstrings are looked up without their indentation, as click shows them."""
    if not text:
        return text
    key = inspect.cleandoc(text) if "\n" in text else text
    found = catalogue(i18n.get_lang()).gettext(key)
    return text if found is key else found


def ntr(singular: str, plural: str, n: int) -> str:
    return catalogue(i18n.get_lang()).ngettext(singular, plural, n)


_installed = False


def install() -> None:
    """Point click's message lookups at :func:`tr`/:func:`ntr` (idempotent)."""
    global _installed
    if _installed:
        return
    import click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui, \
        click.types  # noqa: E401,F401  (the modules whose messages people see)

    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = tr
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ntr
    _installed = True


def detect_lang(args: list[str] | None, environ=None) -> str | None:
    """The language named on the command line (``--lang en`` / ``--lang=en``
    before the subcommand's own options) or by ``PMPRB_LANG``; None if neither
    names a known language."""
    environ = os.environ if environ is None else environ
    args = list(sys.argv[1:] if args is None else args)
    for i, a in enumerate(args):
        if a == "--":
            break
        value = None
        if a == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith("--lang="):
            value = a.split("=", 1)[1]
        if value is not None and value.strip().lower() in i18n.LANGS:
            return value.strip().lower()
    env = (environ.get("PMPRB_LANG") or "").strip().lower()
    return env if env in i18n.LANGS else None


@contextlib.contextmanager
def _swapped(objects_and_texts):
    """Temporarily give each object (command or option) its translated ``help``."""
    saved = []
    try:
        for obj, attr in objects_and_texts:
            original = getattr(obj, attr, None)
            if original:
                saved.append((obj, attr, original))
                setattr(obj, attr, tr(original))
        yield
    finally:
        for obj, attr, original in reversed(saved):
            setattr(obj, attr, original)


def first_sentence(text: str | None) -> str:
    """The first paragraph's first sentence, whole (never cut mid-phrase)."""
    if not text:
        return ""
    para = text.strip().split("\n\n", 1)[0]
    para = " ".join(line.strip() for line in para.splitlines() if line.strip() != "\b")
    if ". " in para:
        para = para.split(". ", 1)[0] + "."
    return para.rstrip()


def summary(cmd: click.Command) -> str:
    """A command's line in its group's listing, translated and whole."""
    if cmd.short_help:
        return tr(cmd.short_help) or ""
    return first_sentence(tr(cmd.help))


class TranslatedCommand(click.Command):
    """A command whose help, option help and listing summary are shown in the
    current language."""

    def format_help_text(self, ctx, formatter):
        with _swapped([(self, "help")]):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return summary(self)

    def format_options(self, ctx, formatter):
        with _swapped([(p, "help") for p in self.get_params(ctx)]):
            super().format_options(ctx, formatter)

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.MissingParameter as exc:
            # "Argumen belum diisi 'NAMA_PENGGUNA'": the argument's name as the usage line shows it
            if isinstance(exc.param, click.Argument) and exc.param_hint is None:
                exc.param_hint = "'" + (tr(exc.param.get_error_hint(ctx).strip("'")) or "") + "'"
            raise

    def collect_usage_pieces(self, ctx):
        return [tr(piece) for piece in super().collect_usage_pieces(ctx)]

    def format_epilog(self, ctx, formatter):
        with _swapped([(self, "epilog")]):
            super().format_epilog(ctx, formatter)


class TranslatedGroup(TranslatedCommand, click.Group):
    """A group that translates like :class:`TranslatedCommand`, lists its
    commands with whole first sentences (wrapped, not cut), and gives its
    subcommands and subgroups the same classes."""

    command_class = TranslatedCommand
    group_class = type  # subgroups are of the same class as their parent

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            rows.append((name, summary(cmd)))
        if rows:
            with formatter.section(tr("Commands")):
                formatter.write_dl(rows)


__all__ = ["install", "detect_lang", "tr", "ntr", "catalogue", "TranslatedCommand", "TranslatedGroup",
           "first_sentence", "summary"]
