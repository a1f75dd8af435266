"""Store and read published Indeks RB tables (``published_figure``).

Library functions take a session and never commit (see :mod:`.db`). A table
is validated by :mod:`pmprb.engine.history` before it is stored and again
when it is read back, so what ``history check`` sees from the store is
exactly what it would see from the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, delete, select

from .. import i18n
from ..engine.history import GRADE, Figure, figures_from_records
from ..errors import ConflictError, NotFoundError
from .models._types import utcnow
from .models.published import PublishedFigure

i18n.register({
    "history.store.conflict": {
        "id": "{institution} sudah memiliki angka untuk tahun {years}; pakai --replace untuk menggantinya",
        "en": "{institution} already has figures for {years}; use --replace to replace them"},
    "history.store.unknown": {
        "id": "tidak ada angka yang dipublikasikan untuk {institution!r} (tersimpan: {known})",
        "en": "no published figures for {institution!r} (stored: {known})"},
    "history.store.empty": {"id": "belum ada tabel yang diimpor", "en": "no table imported yet"},
    "history.store.name_required": {"id": "nama instansi wajib diisi", "en": "the institution name is required"},
})


@dataclass(frozen=True)
class ImportSummary:
    institution: str
    years: tuple[int, ...]
    rows: int
    replaced_years: tuple[int, ...]


def _text(d: Decimal | None) -> str | None:
    # "f" never switches to exponent notation, and keeps the decimals as written.
    return None if d is None else format(d, "f")


def import_figures(session: Session, institution: str, figures: list[Figure], *, instrument_id: str,
                   source_file: str | Path, replace: bool = False) -> ImportSummary:
    """Store validated figures. Years already stored for the institution are
    a conflict unless ``replace``, which replaces those years whole."""
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
    for f in figures:
        line = int(f.source.rsplit(":", 1)[1]) if ":" in f.source else 0
        session.add(PublishedFigure(
            institution=institution, year=f.year, item=f.item, weight=_text(f.weight),
            value=f.grade if f.item == GRADE else _text(f.value), percent=_text(f.percent),
            instrument_id=instrument_id, source_file=name, source_line=line, imported_at=now))
    session.flush()
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
