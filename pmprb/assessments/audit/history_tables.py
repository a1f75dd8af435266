"""Store and read published Indeks RB tables (``published_figure``).

Library functions take a session and never commit (see :mod:`.db`). A table
is validated by :mod:`pmprb.engine.history` before it is stored and again
when it is read back, so what ``history check`` sees from the store is
exactly what it would see from the file.

An import is a write like any other: done by a registered person allowed
``history.import``, and logged on the global audit chain with the file's
SHA-256 and a hash of every stored row. The audit check registered here
(``published``) compares the rows with the log, so ``pmprb audit verify``
names a figure edited, added or deleted outside pmprb.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, delete, select

from pmprb import i18n
from pmprb.canonical import canonical_json, sha256_hex
from pmprb.engine.history import GRADE, Figure, figures_from_records
from pmprb.errors import ConflictError, NotFoundError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.audit_log import Problem
from pmprb.assessments.store.models import AuditEvent
from pmprb.assessments.store.models._types import utcnow
from pmprb.assessments.store.models.published import PublishedFigure
from pmprb.assessments.setup.permissions import Actor, require

IMPORT_ACTION = "history.import"

@dataclass(frozen=True)
class ImportSummary:
    institution: str
    years: tuple[int, ...]
    rows: int
    replaced_years: tuple[int, ...]


def _text(d: Decimal | None) -> str | None:
    # "f" never switches to exponent notation, and keeps the decimals as written.
    return None if d is None else format(d, "f")


def row_fields(row: PublishedFigure) -> dict:
    """What an audit event records of a stored row (and what verification compares)."""
    return {"weight": row.weight, "value": row.value, "percent": row.percent, "instrument": row.instrument_id,
            "source": f"{row.source_file}:{row.source_line}"}


def _key(row: PublishedFigure) -> str:
    return f"{row.year}/{row.item}"


def import_figures(session: Session, actor: Actor, institution: str, figures: list[Figure], *, instrument_id: str,
                   source_file: str | Path, source_sha256: str, replace: bool = False) -> ImportSummary:
    """Store validated figures and log the import. Years already stored for
    the institution are a conflict unless ``replace``, which replaces those years whole."""
    require(actor, IMPORT_ACTION)
    institution = institution.strip()
    if not institution:
        raise NotFoundError(i18n.t("history.store.name_required"))
    years = tuple(sorted({f.year for f in figures}))
    stored = set(session.exec(select(PublishedFigure.year).where(
        PublishedFigure.institution == institution, PublishedFigure.year.in_(years))).all())
    if stored and not replace:
        raise ConflictError(i18n.t("history.store.conflict", institution=institution,
                                   years=", ".join(str(y) for y in sorted(stored))))
    if stored:
        session.exec(delete(PublishedFigure).where(PublishedFigure.institution == institution,
                                                   PublishedFigure.year.in_(sorted(stored))))
    now = utcnow()
    name = Path(source_file).name
    rows = []
    for f in figures:
        line = int(f.source.rsplit(":", 1)[1]) if ":" in f.source else 0
        rows.append(PublishedFigure(
            institution=institution, year=f.year, item=f.item, weight=_text(f.weight),
            value=f.grade if f.item == GRADE else _text(f.value), percent=_text(f.percent),
            instrument_id=instrument_id, source_file=name, source_line=line, imported_at=now))
    session.add_all(rows)
    session.flush()
    audit_log.append(session, round_id=None, actor=actor.username, action=IMPORT_ACTION, payload={
        "institution": institution, "instrument": instrument_id, "source": name, "sha256": source_sha256,
        "years": list(years), "replaced_years": sorted(stored),
        "rows": {_key(r): sha256_hex(canonical_json(row_fields(r))) for r in rows},
    }, when=now)
    return ImportSummary(institution, years, len(figures), tuple(sorted(stored)))


def institutions(session: Session) -> list[str]:
    return sorted(set(session.exec(select(PublishedFigure.institution)).all()))


@dataclass(frozen=True)
class StoredTable:
    institution: str
    instrument_id: str
    figures: list[Figure]
    sources: tuple[str, ...]      # the files the years came from


def load_tables(session: Session, institution: str, instrument_id: str | None = None) -> list[StoredTable]:
    """The institution's stored figures, one table per instrument (a history
    can span instrument versions), validated again on the way out."""
    query = select(PublishedFigure).where(PublishedFigure.institution == institution)
    if instrument_id:
        query = query.where(PublishedFigure.instrument_id == instrument_id)
    rows = session.exec(query.order_by(PublishedFigure.year, PublishedFigure.id)).all()
    if not rows:
        known = institutions(session)
        raise NotFoundError(i18n.t("history.store.unknown", institution=institution,
                                   known=", ".join(known) if known else i18n.t("history.store.empty")))
    groups: dict[str, list[PublishedFigure]] = {}
    for r in rows:
        groups.setdefault(r.instrument_id, []).append(r)
    tables = []
    for inst_id, group in sorted(groups.items(), key=lambda kv: kv[1][0].year):
        figures = []
        for source in sorted({r.source_file for r in group}):
            records = [{"year": str(r.year), "item": r.item, "weight": r.weight, "value": r.value,
                        "percent": r.percent, "line": r.source_line} for r in group if r.source_file == source]
            figures += figures_from_records(records, source=f"{institution}/{source}", instrument=inst_id)
        figures.sort(key=lambda f: f.year)   # stable: each year keeps the instrument order
        tables.append(StoredTable(institution, inst_id, figures, tuple(sorted({r.source_file for r in group}))))
    return tables


# ---------------------------------------------------------------------------
# audit verification


def check_published(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    """Stored figures against the history.import events of the global chain."""
    if round_id is not None:
        return []
    logged: dict[tuple[str, str], tuple[AuditEvent, str]] = {}
    for ev in evs:
        if ev.action != IMPORT_ACTION:
            continue
        p = audit_log.payload(ev)
        # An import replaces its years whole, as import_figures does.
        years = {str(y) for y in p["years"]}
        for key in [k for k in logged if k[0] == p["institution"] and k[1].split("/")[0] in years]:
            del logged[key]
        for row_key, digest in p["rows"].items():
            logged[(p["institution"], row_key)] = (ev, digest)
    problems = []
    rows = session.exec(select(PublishedFigure).order_by(PublishedFigure.institution, PublishedFigure.year,
                                                         PublishedFigure.id)).all()
    for row in rows:
        what = i18n.t("history.audit.what", institution=row.institution, year=row.year, item=row.item)
        stored = canonical_json(row_fields(row))
        entry = logged.pop((row.institution, _key(row)), None)
        if entry is None:
            problems.append(Problem("published", i18n.t("history.audit.unlogged", what=what, stored=stored)))
        elif sha256_hex(stored) != entry[1]:
            problems.append(Problem("published", i18n.t("history.audit.changed", what=what, stored=stored,
                                                        logged=f"sha256 {entry[1][:12]}"), entry[0].seq, entry[0].action))
    for (institution, row_key), (ev, digest) in sorted(logged.items()):
        year, item = row_key.split("/", 1)
        what = i18n.t("history.audit.what", institution=institution, year=year, item=item)
        problems.append(Problem("published", i18n.t("history.audit.deleted", what=what, logged=f"sha256 {digest[:12]}"),
                                ev.seq, ev.action))
    return problems
