"""Published Indeks RB tables: parse them and check that they add up.

Institutions publish their Indeks RB history as a table per year: each
area's value and percentage of its weight, the Hasil components, Pengungkit,
Hasil, Indeks and grade. The CSV form has the columns
``year,item,weight,value,percent``; ``item`` is an area code or a Hasil
component of the instrument (e.g. MP … PP, H.1 … H.3), or
PENGUNGKIT, HASIL, INDEKS, GRADE. GRADE rows carry the letter in ``value``.

:func:`check` recomputes every derived figure from the published ones — each
percentage from its value and weight, Pengungkit and Hasil as sums, Indeks as
their sum, the grade from the instrument's bands — and compares. Published
figures are rounded, so a figure is inconsistent only when it differs from
the recomputation by more than rounding can explain: every input written
with d decimals may be off by 0.5×10^-d, the published figure itself too,
and the errors add up (see :func:`rounding_error`). The allowance is part of
each result. Pure: no I/O besides reading the file in :func:`read_csv` (bounded by
:mod:`pmprb.engine.safe_input`).

Numbers are kept as :class:`~decimal.Decimal` exactly as written, because
the number of decimals written ("3.40" vs "3.4") is what bounds the rounding.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping

from pmprb.errors import NotFoundError, ValidationError
from pmprb import i18n
from pmprb.i18n import t
from pmprb.engine.instrument import Instrument, default_id, load_instrument
from pmprb.engine.safe_input import csv_rows, decode, read_bytes

DEFAULT_INSTRUMENT = default_id()  # data: pmprb/rules/default.yaml
COLUMNS = ("year", "item", "weight", "value", "percent")
PENGUNGKIT, HASIL, INDEKS, GRADE = "PENGUNGKIT", "HASIL", "INDEKS", "GRADE"
TOTALS = (PENGUNGKIT, HASIL, INDEKS)

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_GRADE = re.compile(r"^[A-Z]{1,3}[+-]?$")
HUNDRED = Decimal(100)


# ---------------------------------------------------------------------------
# the table


@dataclass(frozen=True)
class Figure:
    """One published row. ``value`` is None on GRADE rows, which use ``grade``."""
    year: int
    item: str
    weight: Decimal | None
    value: Decimal | None
    percent: Decimal | None
    grade: str | None = None
    source: str = ""          # where it was read: "file.csv:7"


@dataclass(frozen=True)
class Layout:
    """What an instrument's published table holds, in display order."""
    instrument: Instrument
    areas: tuple[str, ...]
    hasil: tuple[str, ...]
    weights: Mapping[str, Decimal]      # item -> the instrument's weight (totals too)
    names: Mapping[str, tuple[str, str]]   # item -> (Indonesian name, English name)

    @property
    def items(self) -> tuple[str, ...]:
        return (*self.areas, PENGUNGKIT, *self.hasil, HASIL, INDEKS, GRADE)

    def name(self, item: str, lang: str) -> str:
        names = self.names.get(item)
        if names is None:
            return item
        return names[1] if lang == "en" and names[1] else names[0]


def layout(instrument: Instrument | str = DEFAULT_INSTRUMENT) -> Layout:
    inst = load_instrument(instrument) if isinstance(instrument, str) else instrument
    weights: dict[str, Decimal] = {}
    names: dict[str, tuple[str, str]] = {}
    for area in inst.areas:
        weights[area["code"]] = _exact(area["weight"])
        names[area["code"]] = (area["name"], area.get("name_en", ""))
    components = inst.data["hasil"]["components"]
    for comp in components:
        weights[comp["id"]] = _exact(comp["weight"])
        names[comp["id"]] = (comp["name"], comp.get("name_en", ""))
    weights[PENGUNGKIT] = _exact(inst.data["pengungkit_total"])
    weights[HASIL] = _exact(inst.data["hasil"]["total"])
    weights[INDEKS] = weights[PENGUNGKIT] + weights[HASIL]
    names.update({PENGUNGKIT: ("Pengungkit", "Enablers (Pengungkit)"), HASIL: ("Hasil", "Results (Hasil)"),
                  INDEKS: ("Indeks RB", "Indeks RB"), GRADE: ("Predikat", "Grade")})
    return Layout(instrument=inst, areas=tuple(a["code"] for a in inst.areas),
                  hasil=tuple(c["id"] for c in components), weights=weights, names=names)


def _exact(x) -> Decimal:
    # Instrument weights are exact constants: repr keeps 5.0 as 5.0, 2.5 as 2.5.
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


# ---------------------------------------------------------------------------
# parsing


def read_csv(path: str | Path, instrument: Instrument | str = DEFAULT_INSTRUMENT) -> list[Figure]:
    path = Path(path)
    try:
        data = read_bytes(path)  # at most PMPRB_MAX_INPUT_MB
    except FileNotFoundError:
        raise NotFoundError(t("history.err.no_file", source=str(path))) from None
    except OSError as exc:
        raise ValidationError(t("history.err.unreadable", source=str(path), reason=i18n.os_error(exc))) from None
    # UTF-8 or UTF-16 with a BOM; anything else is refused naming the line and Excel's "CSV UTF-8".
    return parse_csv(decode(data, path.name, csv_hint=True), source=path.name, instrument=instrument)


def parse_csv(text: str, source: str = "<csv>", instrument: Instrument | str = DEFAULT_INSTRUMENT) -> list[Figure]:
    """Parse the CSV text; every problem is reported at once as ``source:line: field: message``.

    Comma or semicolon separated (Excel writes ``;`` in Indonesian locales);
    numbers may use a decimal comma when quoted or ``;``-separated.
    """
    text = text.lstrip("\ufeff")
    first = next((line for line in io.StringIO(text) if line.strip()), None)
    if first is None:
        raise ValidationError(t("history.err.empty", source=source, columns=",".join(COLUMNS)))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    errors: list[str] = []
    header: list[str] | None = None
    records: list[tuple[int, dict[str, str]]] = []
    for line, row in csv_rows(text, source, delimiter=delimiter):  # bounded: line, cell, row and column limits
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            dupes = sorted({c for c in header if c and header.count(c) > 1})
            for c in dupes:
                errors.append(f"{source}:{line}: header: " + t("history.err.duplicate_column", column=c))
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                errors.append(f"{source}:{line}: header: " + t(
                    "history.err.missing_columns", missing=", ".join(f"`{m}`" for m in missing), columns=",".join(COLUMNS)))
            if errors:
                break
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            errors.append(f"{source}:{line}: " + t("history.err.extra_cells", got=len(row), expected=len(header)))
            continue
        records.append((line, {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}))
    if header is None and not errors:
        raise ValidationError(t("history.err.empty", source=source, columns=",".join(COLUMNS)))
    figures = _figures(records, source, instrument, errors)   # no records after a bad header
    if errors:
        # Rows are validated in two passes (shape, then fields); report them in file order.
        errors.sort(key=lambda e: int(e[len(source) + 1:].split(":", 1)[0]))
        raise ValidationError(t("history.err.invalid", source=source, count=len(errors)), details=errors)
    return figures


def figures_from_records(records: Iterable[Mapping[str, str | None]], source: str,
                         instrument: Instrument | str = DEFAULT_INSTRUMENT) -> list[Figure]:
    """Validate rows that come from elsewhere (e.g. the store) the same way as
    CSV rows; each mapping may carry ``line`` for error messages."""
    errors: list[str] = []
    numbered = []
    for i, rec in enumerate(records, start=1):
        line = int(rec.get("line") or i)
        numbered.append((line, {c: "" if rec.get(c) is None else str(rec.get(c)).strip() for c in COLUMNS}))
    figures = _figures(numbered, source, instrument, errors)
    if errors:
        raise ValidationError(t("history.err.invalid", source=source, count=len(errors)), details=errors)
    return figures


def _figures(records, source: str, instrument, errors: list[str]) -> list[Figure]:
    lay = layout(instrument)
    allowed = lay.items
    seen: dict[tuple[int, str], int] = {}
    figures = []
    for line, rec in records:
        here = f"{source}:{line}"
        before = len(errors)

        def err(field_name: str, message: str) -> None:
            errors.append(f"{here}: {field_name}: {message}")

        year = None
        raw_year = rec["year"]
        if not raw_year:
            err("year", t("history.err.required"))
        elif not raw_year.isdigit() or not 1900 <= int(raw_year) <= 2100:
            err("year", t("history.err.year", value=raw_year))
        else:
            year = int(raw_year)
        item = rec["item"].upper()
        if not item:
            err("item", t("history.err.required"))
        elif item not in allowed:
            err("item", t("history.err.item", value=rec["item"], items=", ".join(allowed)))
        weight = _number(rec["weight"], "weight", err)
        percent = _number(rec["percent"], "percent", err)
        if weight is not None and weight == 0:
            err("weight", t("history.err.zero_weight"))
        value, grade = None, None
        if item == GRADE:
            grade = rec["value"].upper()
            if not grade:
                err("value", t("history.err.required"))
            elif not _GRADE.match(grade):
                err("value", t("history.err.grade_letter", value=rec["value"]))
            for name in ("weight", "percent"):
                if rec[name]:
                    err(name, t("history.err.grade_extra", field=name))
        else:
            if not rec["value"]:
                err("value", t("history.err.required"))
            else:
                value = _number(rec["value"], "value", err)
        if year is not None and item in allowed:
            key = (year, item)
            if key in seen:
                err("item", t("history.err.duplicate", item=item, year=year, first=seen[key]))
            else:
                seen[key] = line
        if len(errors) == before:
            figures.append(Figure(year=year, item=item, weight=weight, value=value, percent=percent,
                                  grade=grade, source=here))
    return sorted(figures, key=lambda f: (f.year, allowed.index(f.item)))


def _number(raw: str, field_name: str, err) -> Decimal | None:
    if not raw:
        return None
    if not _NUMBER.match(raw):
        err(field_name, t("history.err.number", value=raw))
        return None
    d = Decimal(raw.replace(",", "."))
    if d < 0:
        err(field_name, t("history.err.negative", value=raw))
        return None
    return d


# ---------------------------------------------------------------------------
# checking


def decimals(d: Decimal) -> int:
    """Decimals as written: 3.40 -> 2, 3.4 -> 1, 71 -> 0."""
    return max(-d.as_tuple().exponent, 0)


def rounding_error(d: Decimal) -> Decimal:
    """The most a figure written with d decimals can differ from the exact
    figure it was rounded from: half a unit in its last place (0.005 for 71.41)."""
    return Decimal(5).scaleb(-decimals(d) - 1)


@dataclass(frozen=True)
class Check:
    """One recomputed figure compared with the published one.

    ``kind``: ``weight`` (against the instrument), ``percent`` (value ÷ weight
    × 100), ``range`` (a value above its weight), ``sum`` (Pengungkit, Hasil,
    Indeks), ``grade`` / ``grade_unknown``. For grades, ``published`` and
    ``recomputed`` are letters (``recomputed`` lists every grade an Indeks
    within the allowance can have) and ``basis`` is the Indeks used.
    """
    year: int
    item: str
    field: str
    kind: str
    published: Decimal | str
    recomputed: Decimal | str
    allowed: Decimal
    ok: bool
    inputs: tuple[str, ...] = ()
    basis: Decimal | None = None
    source: str = ""

    @property
    def difference(self) -> Decimal | None:
        if isinstance(self.published, Decimal) and isinstance(self.recomputed, Decimal):
            return abs(self.published - self.recomputed)
        return None


@dataclass(frozen=True)
class Skipped:
    """A published derived figure that could not be recomputed (inputs missing)."""
    year: int
    item: str
    field: str
    missing: tuple[str, ...]


@dataclass
class CheckResult:
    instrument: str
    years: tuple[int, ...]
    checks: list[Check] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def inconsistencies(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def consistent(self) -> bool:
        return not self.inconsistencies


def check(figures: Iterable[Figure], instrument: Instrument | str = DEFAULT_INSTRUMENT) -> CheckResult:
    """Recompute every derived figure of every year and compare (see module doc)."""
    lay = layout(instrument)
    by_year: dict[int, dict[str, Figure]] = {}
    for f in figures:
        if f.item in by_year.setdefault(f.year, {}):
            raise ValueError(f"{f.source}: {f.item} for {f.year} given twice")
        by_year[f.year][f.item] = f
    result = CheckResult(instrument=lay.instrument.id, years=tuple(sorted(by_year)))
    for year in result.years:
        _check_year(year, by_year[year], lay, result)
    return result


def _check_year(year: int, rows: dict[str, Figure], lay: Layout, out: CheckResult) -> None:
    for item in lay.items:
        f = rows.get(item)
        if f is None or item == GRADE:
            continue
        expected_weight = lay.weights[item]
        if f.weight is not None:
            allowed = rounding_error(f.weight)
            out.checks.append(Check(year, item, "weight", "weight", f.weight, expected_weight, allowed,
                                    abs(f.weight - expected_weight) <= allowed, source=f.source))
        weight = f.weight if f.weight is not None else expected_weight
        # Weights are exact constants, so only the value's rounding spreads into the percentage.
        allowed = rounding_error(f.value)
        out.checks.append(Check(year, item, "value", "range", f.value, weight, allowed,
                                f.value <= weight + allowed, inputs=("weight",), source=f.source))
        if f.percent is not None:
            recomputed = f.value / weight * HUNDRED
            allowed = rounding_error(f.value) * HUNDRED / weight + rounding_error(f.percent)
            out.checks.append(Check(year, item, "percent", "percent", f.percent, recomputed, allowed,
                                    abs(f.percent - recomputed) <= allowed, inputs=("value", "weight"),
                                    source=f.source))
    # Each relation is checked on its own, between published figures: a total
    # against its published parts, the Indeks against the published Pengungkit
    # and Hasil (or their parts' sum when a total is not published), the grade
    # against the published Indeks. A wrong total therefore also shows up in
    # the Indeks it feeds, unless the Indeks was added up from the right one:
    # the pair of findings points at the figure that is wrong.
    derived: dict[str, Basis] = {}
    for total, parts in ((PENGUNGKIT, lay.areas), (HASIL, lay.hasil)):
        missing = tuple(p for p in parts if p not in rows)
        if missing:
            if total in rows:
                out.skipped.append(Skipped(year, total, "value", missing))
            continue
        derived[total] = _sum_of([rows[p] for p in parts])
        if total in rows:
            _sum_check(year, rows[total], derived[total], out)
    halves = [_sum_of([rows[x]]) if x in rows else derived.get(x) for x in (PENGUNGKIT, HASIL)]
    indeks = None
    if None not in halves:
        indeks = Basis(halves[0].value + halves[1].value, halves[0].spread + halves[1].spread,
                       halves[0].inputs + halves[1].inputs)
    if INDEKS in rows:
        if indeks is not None:
            _sum_check(year, rows[INDEKS], indeks, out)
        else:
            missing = tuple(x for x, h in zip((PENGUNGKIT, HASIL), halves) if h is None)
            out.skipped.append(Skipped(year, INDEKS, "value", missing))
        indeks = _sum_of([rows[INDEKS]])
    if GRADE in rows:
        if not lay.instrument.data.get("grade_bands"):
            # instruments without grade bands (their outcome is a predicate, not a letter)
            out.skipped.append(Skipped(year, GRADE, "grade", ("grade_bands",)))
        elif indeks is not None:
            _grade_check(year, rows[GRADE], indeks, lay, out)
        else:
            out.skipped.append(Skipped(year, GRADE, "grade", (INDEKS,)))


@dataclass(frozen=True)
class Basis:
    """A recomputed figure with the most its published inputs' rounding can move it."""
    value: Decimal
    spread: Decimal
    inputs: tuple[str, ...]


def _sum_of(figures: list[Figure]) -> Basis:
    return Basis(sum((f.value for f in figures), Decimal(0)),
                 sum((rounding_error(f.value) for f in figures), Decimal(0)),
                 tuple(f.item for f in figures))


def _sum_check(year: int, f: Figure, basis: Basis, out: CheckResult) -> None:
    allowed = basis.spread + rounding_error(f.value)
    out.checks.append(Check(year, f.item, "value", "sum", f.value, basis.value, allowed,
                            abs(f.value - basis.value) <= allowed, inputs=basis.inputs, source=f.source))


def possible_grades(lay: Layout, low: Decimal, high: Decimal) -> list[str]:
    """Grades of every Indeks in [low, high], best first. Bands exclude their
    lower bound (70.00 is B, 70.01 is BB), except a band starting at 0."""
    found = []
    for band in sorted(lay.instrument.data.get("grade_bands", []), key=lambda b: -b["above"]):
        above, upto = _exact(band["above"]), _exact(band["upto"])
        reaches_above = high > above or (above == 0 and high >= 0)
        if reaches_above and low <= upto:
            found.append(band["grade"])
    return found


def _grade_check(year, f: Figure, indeks: Basis, lay: Layout, out: CheckResult) -> None:
    """Inconsistent only when no Indeks within the allowance has the published grade."""
    known = {b["grade"] for b in lay.instrument.data["grade_bands"]}
    grades = possible_grades(lay, indeks.value - indeks.spread, indeks.value + indeks.spread)
    kind = "grade" if f.grade in known else "grade_unknown"
    out.checks.append(Check(year, GRADE, "grade", kind, f.grade, "/".join(grades), indeks.spread,
                            f.grade in grades, inputs=indeks.inputs, basis=indeks.value, source=f.source))
