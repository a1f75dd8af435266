"""An institution's evidence table (``pmprb evidence import``): one citation per row, all or nothing.

Institutions list their evidence per criterion as citations ("Keputusan
Wali Kota Nomor 061/17/2015 tentang ..."). The table is CSV with the columns
``criterion,evidence`` (or ``kriteria,bukti``; Excel's ``;`` works too). Each
row's text is read as a citation (:func:`pmprb.engine.citations.parse`) and
stored as a document without a file (its text is its title and its content),
linked to the row's criterion. The same text on several rows is one
document linked to each of their criteria; importing the same table again
changes nothing.

Every row is checked first (criterion known and assigned to the actor,
text present and read as at least one document, no date after today); any
bad row stops the import with every problem named by file, line and what
was expected, and nothing is written. Otherwise all documents are added in
one :func:`pmprb.assessments.assess.evidence.add_many` call: one
transaction, one ``evidence.add`` audit event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pmprb import i18n
from pmprb.errors import PmprbError, ValidationError
from pmprb.assessments.assess.evidence import (AddResult, EvidenceStore, NewDocument, add_many, check_document_date,
                                                writable_check)
from pmprb.assessments.setup.round_work import RoundWork
from pmprb.assessments.store.models import WorkUnit
from pmprb.engine.citations import parse
from pmprb.engine.safe_input import csv_rows, decode, read_bytes

# Indonesian headers -> the English ones.
COLUMNS = {"criterion": "criterion", "kriteria": "criterion", "evidence": "evidence", "bukti": "evidence",
           "bukti_dukung": "evidence", "bukti dukung": "evidence"}
KEY_MAX = 255
EXAMPLE = "Keputusan Wali Kota Nomor 061/17/2015 tentang Pembentukan Tim Reformasi Birokrasi"

@dataclass
class TableRow:
    line: int
    criterion: str
    text: str
    documents: list[dict] = field(default_factory=list)


@dataclass
class ImportedDocument:
    lines: list[int]
    result: AddResult


@dataclass
class TableImport:
    rows: int
    documents: list[ImportedDocument]

    @property
    def links(self) -> int:
        return sum(len(d.result.linked) for d in self.documents)


def _cells_ok(text: str) -> str:
    return " ".join(text.split())


def read_table(path: str | Path) -> tuple[list[TableRow], list[str]]:
    """The rows of an evidence table and the problems of its form (header, cells), by line."""
    name = str(path)
    try:
        data = read_bytes(path)
    except OSError as exc:
        raise ValidationError(i18n.t("evt.unreadable", file=name, reason=i18n.os_error(exc))) from None
    text = decode(data, name, csv_hint=True)
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv_rows(text, name, delimiter=delimiter)
    header = next(reader, (None, None))[1]
    if header is None or not any(h.strip() for h in header):
        raise ValidationError(i18n.t("evt.empty", file=name))
    problems = []
    cols = []
    for h in header:
        key = h.strip().lower().lstrip("\ufeff")
        if key not in COLUMNS:
            problems.append(i18n.t("evt.column", file=name, col=h.strip()))
        cols.append(COLUMNS.get(key, key))
    if sorted(set(cols)) != ["criterion", "evidence"] or len(cols) != 2:
        problems.append(i18n.t("evt.header", file=name, got=delimiter.join(header)))
    if problems:
        raise ValidationError(problems[0], details=problems[1:])
    rows = []
    for line, cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 2:
            problems.append(i18n.t("evt.row", file=name, line=line,
                                   what=i18n.t("evt.cells", got=len(cells), want=2)))
            continue
        values = dict(zip(cols, cells))
        rows.append(TableRow(line, values["criterion"].strip(), values["evidence"].strip()))
    return rows, problems


def document_key(text: str) -> str:
    """A citation's key: its text with spaces collapsed (a long one shortened, with its hash)."""
    flat = _cells_ok(text)
    if len(flat) <= KEY_MAX:
        return flat
    return flat[:KEY_MAX - 20].rstrip() + " \u2026#" + hashlib.sha256(flat.encode()).hexdigest()[:16]


def is_citation(text: str) -> bool:
    """Whether an evidence entry that names no stored document is a citation: words (a space),
    not a link, and read as at least one document of a known kind. A mistyped reference
    (``800/1/2024x``, ``sk-tim.pdf``) is not."""
    text = text.strip()
    if " " not in text or text.lower().startswith(("http://", "https://", "#")):
        return False
    return any(d["kind"] != "lainnya" for d in parse(text))


def _first_date(docs: list[dict]) -> date | None:
    for d in docs:
        if d.get("date"):
            return date.fromisoformat(d["date"])
    return None


def check_rows(work: RoundWork, unit: WorkUnit, name: str, rows: list[TableRow], problems: list[str],
               today: date | None = None) -> list[str]:
    """Check every row (adds to ``problems``); fills each good row's parsed documents."""
    inst = work.instrument
    for r in rows:
        def bad(what: str) -> None:
            problems.append(i18n.t("evt.row", file=name, line=r.line, what=what))

        if not r.criterion:
            bad(i18n.t("evt.no_criterion"))
            continue
        try:
            r.criterion = inst.criterion(r.criterion).id
            writable_check(work, unit, [r.criterion])
        except PmprbError as exc:   # unknown criterion, not assigned, round final: named on its row
            bad(i18n.t("evt.problem", cid=r.criterion, problem=exc))
            continue
        if not r.text:
            bad(i18n.t("evt.no_text", cid=r.criterion, example=EXAMPLE))
            continue
        docs = parse(r.text)
        if not docs or all(d["kind"] == "lainnya" for d in docs):
            shown = r.text if len(r.text) <= 60 else r.text[:57] + "\u2026"
            bad(i18n.t("evt.not_read", cid=r.criterion, text=shown, example=EXAMPLE))
            continue
        try:
            check_document_date(work.round, _first_date(docs), today, required=False)
        except ValidationError as exc:
            bad(i18n.t("evt.problem", cid=r.criterion, problem=exc))
            continue
        r.documents = docs
    return problems


def import_table(work: RoundWork, store: EvidenceStore, unit: WorkUnit, path: str | Path, *,
                 today: date | None = None) -> TableImport:
    """Import an evidence table into ``unit`` inside ``work``; raises :class:`ValidationError`
    naming every bad row (nothing written)."""
    name = str(path)
    rows, problems = read_table(path)
    check_rows(work, unit, name, rows, problems, today)
    if problems:
        n = len(problems)
        raise ValidationError(i18n.t("evt.invalid", file=name, n=n, s="" if n == 1 else "s"), details=problems)
    by_key: dict[str, tuple[list[int], NewDocument]] = {}
    for r in rows:
        key = document_key(r.text)
        if key in by_key:
            lines, doc = by_key[key]
            lines.append(r.line)
            if r.criterion not in doc.criteria:
                doc.criteria.append(r.criterion)
            continue
        by_key[key] = ([r.line], NewDocument(criteria=[r.criterion], title=_cells_ok(r.text),
                                             document_date=_first_date(r.documents), citation_only=True, key=key))
    planned = list(by_key.values())
    results = add_many(work, store, unit, [doc for _, doc in planned], today=today) if planned else []
    return TableImport(rows=len(rows), documents=[ImportedDocument(lines, res)
                                                  for (lines, _), res in zip(planned, results)])


__all__ = ["read_table", "import_table", "document_key", "is_citation", "TableImport", "TableRow", "COLUMNS"]
