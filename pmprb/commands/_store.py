"""Helpers for the commands that work on the assessment store."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import Callable, TypeVar

import click

from pmprb import dates, i18n
from pmprb.assessments.store.db import Database, open_db
from pmprb.assessments.setup.permissions import Actor, resolve_actor
from pmprb.commands._common import get_ctx
from pmprb.errors import ActorRequiredError, ForbiddenError

T = TypeVar("T")

class DateType(click.ParamType):
    """A date typed as DD-MM-YYYY or YYYY-MM-DD (:func:`pmprb.dates.parse_date`) -> datetime.date."""

    name = "date"

    def get_metavar(self, param, ctx=None):
        return i18n.t("dates.format_hint")

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return dates.parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def database() -> Database:
    """The database named by --db / PMPRB_DATABASE_URL (created at head when new).
    Times are shown from then on in the institution's time zone."""
    db = open_db(get_ctx().db_url)
    _use_institution_zone(db)
    return db


def _use_institution_zone(db: Database) -> None:
    from sqlmodel import select

    from pmprb.assessments.store.models import Institution

    with db.session() as s:
        zone = s.exec(select(Institution.timezone).order_by(Institution.id)).first()
    dates.set_zone(zone)


@contextmanager
def _refusals():
    """A PostgreSQL login refused by a grant, a policy or a trigger is told so, without a traceback."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        raise ForbiddenError(i18n.t("cli.db_refused", error=str(exc.orig).splitlines()[0])) from None


def run_as(operation: Callable[..., T]) -> T:
    """Run ``operation(session, actor)`` as one transaction, as the acting
    person (proven by the PostgreSQL login or OS account, or named by --as /
    PMPRB_USER)."""
    db = database()
    username = get_ctx().actor
    with _refusals():
        return db.run(lambda s: operation(s, resolve_actor(s, username)))


def check_unit_reader(session, rnd, unit) -> None:
    """A read of one unit's worksheets by a known person (named with --as /
    PMPRB_USER, or proven by the login): refused with the one message of
    :func:`worksheet_lock.require_readable` unless that person may read
    them. With nobody named the read stays as it was (audit tooling)."""
    from pmprb.assessments.assess import worksheet_lock

    try:
        actor = resolve_actor(session, get_ctx().actor)
    except ActorRequiredError:
        return
    worksheet_lock.require_readable(session, actor, rnd, unit)


def unit_read_scope(session, rnd, unit) -> frozenset[int] | None:
    """Which units a read may show: with ``unit`` named, that unit once
    :func:`check_unit_reader` allows it (None: no further filter); with none
    named, the units the known person may read
    (:func:`worksheet_lock.readable_unit_ids`; None for those who read every
    unit, or when nobody is named or proven)."""
    from pmprb.assessments.assess import worksheet_lock

    if unit is not None:
        check_unit_reader(session, rnd, unit)
        return None
    try:
        actor = resolve_actor(session, get_ctx().actor)
    except ActorRequiredError:
        return None
    return worksheet_lock.readable_unit_ids(session, actor, rnd)


def read(operation: Callable[..., T]) -> T:
    """Run ``operation(session)`` for reading."""
    with _refusals(), database().session() as s:
        return operation(s)


def col(key: str) -> str:
    return i18n.t(f"col.{key}")


def table(rows: list[list], headers: list[str]) -> str:
    """A plain aligned text table (for humans; use --json for programs).
    Headers are ``col.*`` message keys (or literal text)."""
    cells = [[col(h) if i18n.has(f"col.{h}") else str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ask(value, prompt: str, missing: list[str], option: str, **kwargs):
    """Use the value if given; prompt on a TTY; otherwise note it missing."""
    if value not in (None, ""):
        return value
    if get_ctx().interactive():
        return click.prompt(prompt, **kwargs)
    missing.append(option)
    return None


def confirm(prompt: str, default: bool = False) -> bool:
    """Yes or no on the terminal, in the current language: ``[y/T]`` (ya/tidak)
    in Bahasa Indonesia; y/ya/j accept, anything else declines."""
    click.echo(prompt, nl=False, err=True)
    try:
        text = input().strip().lower()
    except EOFError:
        return default
    if not text:
        return default
    return text[0] in ("y", "j")


def fail_missing(missing: list[str]) -> None:
    if missing:
        raise click.UsageError(i18n.t("cli.missing", options=", ".join(missing)))


__all__ = ["DATE", "database", "run_as", "read", "table", "col", "ask", "confirm", "fail_missing", "Actor"]
