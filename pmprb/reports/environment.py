"""The jinja2 environment every report renders through.

- Templates ship inside the package (``pmprb/templates/``), so an installed
  pmprb renders without the source tree.
- ``StrictUndefined``: a missing context value is an error, never a blank
  cell in a document someone signs.
- Autoescape for ``.html``/``.html.j2``/``.svg``/``.xml`` templates; Markdown
  (``.md.j2``) is left as written.
- One environment per language: ``t`` (messages), ``num``/``pct`` (figures)
  and ``date`` format for that language, so a template never passes ``lang``.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Mapping

import jinja2
from markupsafe import Markup, escape

from pmprb import __version__, dates, i18n
from pmprb.errors import ValidationError
from pmprb.numbers import MISSING, format_number, format_percent, machine_number

TEMPLATE_PACKAGE = "pmprb"
TEMPLATE_FOLDER = "templates"
BASE_TEMPLATE = "reports/base.html.j2"
MACROS_TEMPLATE = "reports/_macros.html.j2"

# One date format for reports, commands and the walk: pmprb.dates ("20 Mei 2024",
# times in the institution's zone).
format_date = dates.format_date



def report_timestamp() -> datetime:
    """When a report says it was made: now (UTC), or ``SOURCE_DATE_EPOCH`` when
    set, the reproducible-builds convention, so two runs give identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ValidationError(i18n.t("report.bad_epoch", value=epoch)) from None
    return datetime.now(timezone.utc).replace(microsecond=0)


@lru_cache(maxsize=len(i18n.LANGS))
def environment(lang: str = "id") -> jinja2.Environment:
    """The shared environment for one language (cached; treat it as read-only)."""
    if lang not in i18n.LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(i18n.LANGS)}")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(TEMPLATE_PACKAGE, TEMPLATE_FOLDER),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "svg", "html.j2", "svg.j2", "xml.j2"),
            disabled_extensions=("md", "md.j2", "txt", "txt.j2"),
            default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        lang=lang,
        t=partial(_translate, lang),
        MISSING=MISSING,
        pmprb_version=__version__,
    )
    env.filters.update(
        num=partial(_num, lang=lang),
        pct=partial(_pct, lang=lang),
        machine=machine_number,
        date=partial(_date, lang=lang),
        breakable=_breakable,
    )
    return env


def _breakable(value) -> Markup:
    """Text (escaped) that may wrap after a slash: "Akademis/kajian/policy" in a narrow
    column wraps at the slashes instead of spilling out or breaking inside a word."""
    if value is None:
        return Markup("")
    return Markup(str(escape(str(value))).replace("/", "/<wbr>"))


def _translate(lang: str, key: str, **fields) -> str:
    return i18n.t(key, lang=lang, **fields)


def _num(value, places: int = 2, *, lang: str) -> str:
    return format_number(value, places, lang)


def _pct(value, places: int = 2, *, lang: str) -> str:
    return format_percent(value, places, lang)


def _date(value, with_time: bool = False, *, lang: str) -> str:
    return format_date(value, lang, with_time)


def render(template: str, context: Mapping[str, Any], *, lang: str | None = None,
           generated_at: datetime | None = None) -> str:
    """Render a packaged template in ``lang`` (default: the current language).

    ``generated_at`` (default :func:`report_timestamp`) is passed to the
    template; the base layout prints it in the footer.
    """
    lang = lang or i18n.get_lang()
    env = environment(lang)
    data = dict(context)
    if generated_at is not None:
        data["generated_at"] = generated_at
    data.setdefault("generated_at", report_timestamp())
    return env.get_template(template).render(data)


def write_report(path: str | Path, text: str) -> Path:
    """Write a rendered report as UTF-8 through a temporary file, so an
    interrupted run never leaves half a document under the real name."""
    from pmprb.safe_output import write_atomically

    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
