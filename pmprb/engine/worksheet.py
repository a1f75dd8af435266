"""Worksheets: one institution's answers, evidence counts and Hasil inputs.

A worksheet file is YAML or JSON::

    instrument: <bundled id or folder>
    answers: {MP.1.a: A, MP.2.a: Ya}
    evidence: {MP.1.a: 2}          # optional: documents per criterion (a count), or
                                   # a list of citations / structured documents
    period: 2022                   # optional: the evaluation period the documents are judged against
    hasil: {H.1.a: 70.05, H.2.b: WTP}

or CSV with the columns ``criterion,answer,evidence`` where Hasil inputs are
rows whose criterion is a Hasil part id (``H.1.a``) with the value in
``answer``. Parsing checks everything against the instrument and reports all
problems at once, each naming the file, the line and the field, in the
current language (:mod:`pmprb.i18n`). Answers are matched case-insensitively
and normalised to the instrument's spelling (``ya`` -> ``Ya``, ``b`` -> ``B``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pmprb import i18n
from pmprb.errors import NotFoundError, ValidationError
from pmprb.engine import evidence_requirements, scoring
from pmprb.engine import formulas
from pmprb.engine.inputs import answer_aliases
from pmprb.engine.evaluator import Evaluation, default_engine, evaluate
from pmprb.engine.instrument import Criterion, Instrument, bundled_ids, load_instrument
from pmprb.engine.yamlsrc import format_path
from pmprb.engine import points, points_worksheet

KEYS = ("instrument", "period", "answers", "evidence", "hasil", "applicable_weight", "published")  # the last two: points_worksheet
MAX_SHOWN_PROBLEMS = 100   # problems listed; the count in the summary is always the total
REQUIRED = ("answers",)
CSV_COLUMNS = ("criterion", "answer", "evidence")


@dataclass(frozen=True)
class WorksheetFile:
    """A validated worksheet: answers normalised, counts checked, Hasil inputs converted."""

    source: str
    instrument: Instrument
    answers: dict[str, str]                                # criterion -> answer, instrument order
    evidence: dict[str, int] = field(default_factory=dict)  # criterion -> documents
    hasil: dict[str, Any] = field(default_factory=dict)    # part id -> number, or category code
    # Points instruments only (pmprb.engine.points_worksheet): the official applicable weight, published figures.
    applicable_weight: float | None = None
    published: dict | None = None
    # criterion -> cited documents (citation texts parsed, or structured); such criteria are not in
    # ``evidence``: the rules read what the documents are (pmprb.engine.evidence_requirements).
    documents: dict[str, list] = field(default_factory=dict)
    period: int | None = None                              # evaluation period (a year)

    def evaluate(self, engine: str | None = None) -> Evaluation:
        return evaluate(self.instrument, self.answers, self.evidence, engine=engine,
                        documents=self.documents or None, period=self.period)

    def score(self, engine: str | None = None) -> dict:
        """Evaluate and score; a rule error raises before any score exists."""
        engine = engine or default_engine()
        return result_json(self, self.evaluate(engine), engine)


def result_json(ws: WorksheetFile, ev: Evaluation, engine: str | None = None) -> dict:
    """The full-precision result of one worksheet (what ``pmprb score --json`` prints).

    ``engine`` also decides the instrument's predicates, if it declares any."""
    inst = ws.instrument
    if points.is_points(inst):
        return points_worksheet.result_json(ws, ev, engine)
    s = scoring.score(inst, ev.values(), ws.hasil, engine=engine)
    areas = {}
    for area in inst.areas:
        a = s["areas"][area["code"]]
        areas[area["code"]] = {"name": area["name"], "name_en": area.get("name_en", area["name"]),
                               "score": a["score"], "weight": a["weight"], "percent": a["percent"],
                               "subareas": a["subareas"]}
    criteria = {}
    for cid, dec in ev.decisions.items():
        r, inp = dec.result, dec.input
        criteria[cid] = {"answer": inp["answer"], "evidence": inp["evidence"],
                         "value": r.value, "raw_value": r.raw_value, "flags": list(r.flags)}
        if "documents" in inp:
            criteria[cid]["documents"] = inp["documents"]
    out = {
        "instrument": inst.id, "revision": inst.revision, "engine": ev.engine,
        **({"period": ws.period} if ws.period is not None else {}),
        "pengungkit": s["pengungkit"], "hasil": s["hasil"], "indeks_rb": s["indeks_rb"],
        "grade": s["grade"], "grade_label": s["grade_label"],
        "areas": areas,
        "hasil_detail": {"inputs": dict(ws.hasil), "components": s["hasil_detail"]["components"],
                         "missing": s["hasil_detail"]["missing"]},
        "criteria": criteria,
    }
    for key in ("components", "groups", "predicates"):
        if key in s:
            out[key] = s[key]
    return out


# ---------------------------------------------------------------------------
# problems, located


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self._items: list[tuple[int, str]] = []

    def add(self, line: int | None, where: str | None, message_id: str, **fields) -> None:
        loc = f"{self.file}:{line}" if line else self.file
        head = f"{loc}: {where}: " if where else f"{loc}: "
        self._items.append((line or 0, head + i18n.t(message_id, **fields)))

    @property
    def items(self) -> list[str]:
        """In file order (stable for problems on one line)."""
        return [text for _, text in sorted(self._items, key=lambda item: item[0])]

    def raise_if_any(self) -> None:
        if self._items:
            n = len(self._items)
            details = self.items
            if n > MAX_SHOWN_PROBLEMS:  # a hostile or wrong file must not flood the terminal
                details = details[:MAX_SHOWN_PROBLEMS] + [i18n.t("ws.more", n=n - MAX_SHOWN_PROBLEMS)]
            raise ValidationError(i18n.t("ws.invalid", file=self.file, n=n, s="" if n == 1 else "s"),
                                  details=details)


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _fmt(x: float) -> str:
    return f"{x:g}"


# ---------------------------------------------------------------------------
# answers, evidence, Hasil (shared by every format)


def _choice(c: Criterion, raw: Any) -> str | None:
    """A choice as a worksheet file gives it, read with the store's spelling
    rule (:func:`pmprb.engine.inputs.answer_aliases`) but strictly: only text
    is an answer (YAML's ``yes``/``1`` are not). None when unanswered; raises
    ValueError (located by the caller) when not allowed."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ValueError(raw)
    text = raw.strip()
    if not text:
        return None
    try:
        return answer_aliases(c)[text.upper()]
    except KeyError:
        raise ValueError(raw) from None


def _parse_count(raw: Any) -> int:
    """A whole number >= 0 (also from CSV text); ValueError otherwise."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        n = raw
    elif isinstance(raw, float) and raw.is_integer():
        n = int(raw)
    elif isinstance(raw, str) and raw.strip().isdigit():
        n = int(raw.strip())
    else:
        raise ValueError(raw)
    if n < 0:
        raise ValueError(raw)
    return n


def parse_hasil_value(part: dict, raw: Any, problems: _Problems, line, where) -> Any:
    """A scale part's number (decimal comma allowed) or a category part's code; None on error."""
    name = part["name"]
    if part["kind"] == "scale":
        lo, hi = _fmt(part["min"]), _fmt(part["max"])
        value = raw
        if isinstance(raw, str):
            try:
                value = float(raw.strip().replace(",", "."))
            except ValueError:
                value = None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            problems.add(line, where, "ws.hasil_number", pid=part["id"], name=name, lo=lo, hi=hi, value=raw)
            return None
        if not part["min"] <= value <= part["max"]:
            problems.add(line, where, "ws.hasil_range", pid=part["id"], name=name, lo=lo, hi=hi, value=_fmt(value))
            return None
        return value
    key = str(raw).strip().upper() if isinstance(raw, (str, int, float)) and not isinstance(raw, bool) else None
    for cat in part["categories"]:
        if key in (cat["code"].upper(), cat["label"].upper()):
            return cat["code"]
    problems.add(line, where, "ws.hasil_category", pid=part["id"], name=name, value=raw,
                 allowed=", ".join(c["code"] for c in part["categories"]))
    return None


class _Collector:
    """Checks entries one by one against the instrument; keeps the good ones."""

    def __init__(self, inst: Instrument, problems: _Problems):
        self.inst = inst
        self.problems = problems
        self.parts = {p["id"]: p for p in inst.hasil_parts()}
        # A part may also be named by its input_name (the instrument's short name for it).
        self.aliases = {p["input_name"]: p["id"] for p in inst.hasil_parts() if p.get("input_name")}
        self._hasil_seen: set[str] = set()
        self.answers: dict[str, str] = {}
        self.evidence: dict[str, int] = {}
        self.documents: dict[str, list] = {}
        self.period: int | None = None
        self.hasil: dict[str, Any] = {}

    def criterion(self, cid: Any, line, where) -> Criterion | None:
        c = self.inst.criteria.get(cid) if isinstance(cid, str) else None
        if c is None:
            self.problems.add(line, where, "ws.unknown_criterion", cid=cid, inst=self.inst.id)
        return c

    def answer(self, cid: str, raw: Any, line, where) -> None:
        c = self.criterion(cid, line, where)
        if c is None:
            return
        kind = getattr(c, "kind", "choice")  # count/computed items (numeric_types)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return
        if kind == "computed":
            self.problems.add(line, where, "ws.computed", cid=cid, type=c.answer_type, refs=", ".join(formulas.refs(c)))
            return
        if kind in points.KINDS:
            try:
                self.answers[cid] = points.normalise_answer(self.inst, cid, raw)
            except points.AnswerProblem as exc:
                self.problems.add(line, where, exc.key, **exc.fields)
            return
        try:
            self.answers[cid] = _parse_count(raw) if kind == "count" else _choice(c, raw)
        except ValueError:
            if kind == "count":
                self.problems.add(line, where, "ws.bad_count", answer=raw, cid=cid, type=c.answer_type)
            else:
                self.problems.add(line, where, "ws.bad_answer", answer=raw, cid=cid, type=c.answer_type,
                                  allowed=", ".join(c.values))

    def evidence_count(self, cid: str, raw: Any, line, where, known: bool = False) -> None:
        if not known and self.criterion(cid, line, where) is None:
            return
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return
        if isinstance(raw, list):
            try:
                self.documents[cid] = evidence_requirements.documents(raw)
            except ValueError as exc:
                self.problems.add(line, where, "ws.bad_documents", reason=str(exc))
            return
        try:
            self.evidence[cid] = _parse_count(raw)
        except ValueError:
            if isinstance(raw, str) and not raw.strip().lstrip("-").isdigit():
                self.citation_text(cid, raw, line, where)
            else:
                self.problems.add(line, where, "ws.bad_evidence", value=raw)

    def citation_text(self, cid: str, raw: str, line, where) -> None:
        """One text of citations (a CSV evidence cell, or a YAML string): the documents it cites.
        A text that names no document it can read is a problem, not a silent ``lainnya``."""
        docs = evidence_requirements.documents([raw])
        if not docs or all(d["kind"] == "lainnya" for d in docs):
            self.problems.add(line, where, "ws.bad_citation", value=raw if len(raw) <= 60 else raw[:57] + "…")
            return
        self.documents[cid] = docs

    def evaluation_period(self, raw: Any, line, where) -> None:
        lo, hi = evidence_requirements.PERIOD_MIN, evidence_requirements.PERIOD_MAX
        try:
            year = _parse_count(raw)
        except ValueError:
            year = None
        if year is None or not lo <= year <= hi:
            self.problems.add(line, where, "ws.bad_period", value=raw, lo=lo, hi=hi)
        else:
            self.period = year

    def is_hasil(self, key: str) -> bool:
        return key in self.parts or key in self.aliases

    def hasil_input(self, pid: Any, raw: Any, line, where) -> None:
        if isinstance(pid, str):
            pid = self.aliases.get(pid, pid)
        part = self.parts.get(pid) if isinstance(pid, str) else None
        if part is None:
            self.problems.add(line, where, "ws.unknown_hasil", field=pid, expected=", ".join(self.parts))
            return
        if pid in self._hasil_seen:
            self.problems.add(line, where, "ws.hasil_twice", pid=pid)
            return
        self._hasil_seen.add(pid)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return
        value = parse_hasil_value(part, raw, self.problems, line, where)
        if value is not None:
            self.hasil[pid] = value

    def worksheet(self, source: str) -> WorksheetFile:
        order = list(self.inst.criteria)
        answers = {cid: self.answers[cid] for cid in order if cid in self.answers}
        evidence = {cid: self.evidence[cid] for cid in order if cid in self.evidence}
        hasil = {pid: self.hasil[pid] for pid in self.parts if pid in self.hasil}
        documents = {cid: self.documents[cid] for cid in order if cid in self.documents}
        return WorksheetFile(source=source, instrument=self.inst, answers=answers, evidence=evidence, hasil=hasil,
                             documents=documents, period=self.period)


# ---------------------------------------------------------------------------
# the instrument a worksheet names


def _resolve_instrument(ref: Any, base: Path | None, problems: _Problems, line, where) -> Instrument | None:
    if not isinstance(ref, str) or not ref.strip():
        problems.add(line, where, "ws.instrument_type", got=ref)
        return None
    ref = ref.strip()
    candidates: list[str | Path] = [ref]
    if base is not None and ref not in bundled_ids():
        candidates.insert(0, base / ref)  # a path is relative to the worksheet
    for cand in candidates:
        try:
            return load_instrument(cand)
        except NotFoundError:
            continue
        except ValidationError as exc:
            problems.add(line, where, "ws.instrument_invalid", ref=ref, reason=str(exc))
            return None
    problems.add(line, where, "ws.unknown_instrument", ref=ref, known=", ".join(bundled_ids()))
    return None


def _pick_instrument(named: Any, given: Instrument | str | None, base, problems, line, where) -> Instrument | None:
    """The worksheet's own instrument, checked against the one the caller expects (if any)."""
    wanted = given
    if isinstance(given, str):
        wanted = _resolve_instrument(given, None, problems, None, None)
        if wanted is None:
            return None
    if named is None:
        if wanted is None:
            problems.add(line, None, "ws.no_instrument")
        return wanted
    inst = _resolve_instrument(named, base, problems, line, where)
    if inst is not None and wanted is not None and inst.id != wanted.id:
        problems.add(line, where, "ws.instrument_mismatch", got=inst.id, want=wanted.id)
        return None
    return inst


# ---------------------------------------------------------------------------
# formats


def parse_worksheet(data: Any, source: str = "worksheet", instrument: Instrument | str | None = None,
                    lines: dict | None = None, base: Path | None = None,
                    problems: _Problems | None = None) -> WorksheetFile:
    """Validate worksheet data already read (a dict as in YAML/JSON); ``lines`` maps paths to lines."""
    problems = problems or _Problems(source)
    lines = lines or {}

    def line(path: tuple) -> int | None:
        while path not in lines and path:
            path = path[:-1]
        return lines.get(path)

    if not isinstance(data, dict):
        problems.add(line(()), None, "ws.not_object", got=_type_name(data))
        problems.raise_if_any()
    for key in data:
        if key not in KEYS:
            problems.add(line((key,)), format_path((key,)), "ws.unknown_key", field=key, allowed=", ".join(KEYS))
    for key in REQUIRED:
        if key not in data:
            problems.add(line(()), None, "ws.missing_key", field=key)
    sections = {}
    for key in ("answers", "evidence", "hasil"):
        value = data.get(key)
        if value is None:
            sections[key] = {}
        elif not isinstance(value, dict):
            problems.add(line((key,)), key, "ws.not_mapping", got=_type_name(value))
            sections[key] = {}
        else:
            sections[key] = value
    inst = _pick_instrument(data.get("instrument"), instrument, base, problems, line(("instrument",)), "instrument")
    if inst is None:
        problems.raise_if_any()
    col = _Collector(inst, problems)
    for cid, raw in sections["answers"].items():
        col.answer(cid, raw, line(("answers", cid)), format_path(("answers", cid)))
    for cid, raw in sections["evidence"].items():
        col.evidence_count(cid, raw, line(("evidence", cid)), format_path(("evidence", cid)))
    for pid, raw in sections["hasil"].items():
        col.hasil_input(pid, raw, line(("hasil", pid)), format_path(("hasil", pid)))
    if data.get("period") is not None:
        col.evaluation_period(data["period"], line(("period",)), "period")
    extras = points_worksheet.parse_extras(data, inst, problems, line)
    problems.raise_if_any()
    return replace(col.worksheet(source), **extras)
