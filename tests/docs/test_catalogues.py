"""The message catalogues are complete: every key the code uses (found by
Babel's extractor, as a translator's tool would) is in both languages with
the same str.format fields, and the compiled .mo files match their .po."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract

from pmprb import i18n

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from compile_catalogues import parse_po  # noqa: E402


def entries(lang: str) -> dict[str, str]:
    path = ROOT / "pmprb" / "locale" / lang / "LC_MESSAGES" / "pmprb.po"
    found = parse_po(path.read_text(encoding="utf-8"), str(path))
    found.pop("", None)
    return found


def used_keys() -> dict[str, str]:
    """key -> first place it is used, for every literal ``t("key")``/``i18n.t("key")``."""
    keys: dict[str, str] = {}
    for path in sorted((ROOT / "pmprb").rglob("*.py")):
        with path.open("rb") as fh:
            for lineno, message, _comments, _context in extract(
                    "python", fh, keywords={"t": (1,)}, comment_tags=()):
                if isinstance(message, str) and "." in message and " " not in message:
                    keys.setdefault(message, f"{path.relative_to(ROOT)}:{lineno}")
    return keys


def known(message: str, catalogue: dict[str, str]) -> bool:
    """Babel joins the literals of ``t("a" if x else "b")`` into one message;
    such a message is known when it splits wholly into catalogue keys."""
    if message in catalogue:
        return True
    return any(message.startswith(key) and known(message[len(key):], catalogue)
               for key in catalogue if len(key) < len(message))


# English adds plural endings ("{n} row{s}") that Indonesian does not need.
PLURAL_FIELDS = {"s", "ws", "es"}


def fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_used_key_is_in_both_catalogues():
    ids, ens = entries("id"), entries("en")
    used = used_keys()
    assert len(used) > 500, "the extractor found too few keys; is the keyword still t()?"
    missing = [f"{where}: {key}" for key, where in sorted(used.items())
               if not known(key, ids) or not known(key, ens)]
    assert not missing, "keys used in the code but missing from a catalogue:\n" + "\n".join(missing)


def test_both_languages_hold_the_same_keys_and_fields():
    ids, ens = entries("id"), entries("en")
    assert set(ids) == set(ens), sorted(set(ids) ^ set(ens))
    differ = [key for key in ids if fields(ids[key]) != fields(ens[key]) - PLURAL_FIELDS]
    assert not differ, "id and en texts use different fields: " + ", ".join(differ)


def test_no_message_is_registered_in_code():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "pmprb").rglob("*.py")
                 if "i18n.register(" in p.read_text(encoding="utf-8")]
    assert not offenders, "messages belong in pmprb/locale/*/pmprb.po, not in code: " + ", ".join(offenders)


def test_compiled_catalogues_are_current():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "compile_catalogues.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
def test_t_reads_the_catalogue_of_the_language(lang):
    assert i18n.t("cli.db_refused", lang=lang, error="X").endswith("X")
    assert i18n.t("cli.db_refused", lang="id", error="X") != i18n.t("cli.db_refused", lang="en", error="X")


def test_an_unknown_key_is_an_error_not_a_silent_key():
    with pytest.raises(KeyError):
        i18n.t("no.such.message")
    assert not i18n.has("no.such.message")
