"""Hasil inputs of a round: the external figures (SAKIP score, survey
results, BPK opinion, ...) that make up the Hasil component.

Generic over the instrument: a part is named by its id (``H.1.a``) or by
the ``input_name`` the instrument gives it (``sakip``), so each instrument
brings its own names as data. Values are checked by
:func:`pmprb.engine.scoring.hasil_part_value` (ranges for scales, codes or
labels for categories) and stored as entered, normalised: a scale as its
number, a category as its code.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine import scoring
from pmprb.engine.instrument import Instrument
from pmprb.errors import StateError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.models import AssessmentRound, Person, utcnow
from pmprb.assessments.store.models.final_result import HasilInput
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.assessments.setup.round_work import RoundWork, begin, instrument_for
from pmprb.assessments.store.ledger import Rows, insert_rows

def parts_by_id(inst: Instrument) -> dict[str, dict]:
    return {p["id"]: p for p in inst.hasil_parts()}


def input_names(inst: Instrument) -> dict[str, str]:
    """input_name -> part id, as the instrument declares them."""
    return {p["input_name"]: p["id"] for p in inst.hasil_parts() if p.get("input_name")}


def part_name(part: dict, lang: str | None = None) -> str:
    lang = lang or i18n.get_lang()
    return part.get("name_en", part["name"]) if lang == "en" else part["name"]


def resolve_inputs(inst: Instrument, named: dict[str, str] | None = None, assignments: list[str] | None = None
                   ) -> dict[str, str]:
    """Part id -> raw text from ``--<input_name> VALUE`` pairs and
    ``--part ID=VALUE`` strings. Unknown names and parts, and a part given
    twice, are errors naming what the instrument offers."""
    parts = parts_by_id(inst)
    names = input_names(inst)
    offered = ", ".join(f"{pid}" + (f" (--{p['input_name']})" if p.get("input_name") else "")
                        for pid, p in parts.items())
    out: dict[str, str] = {}
    problems: list[str] = []   # every bad name or assignment is reported, not only the first

    def put(pid: str, value: str) -> None:
        if pid in out and out[pid] != value:
            problems.append(i18n.t("hasil.twice", part=pid, a=out[pid], b=value))
        out[pid] = value

    for name, value in (named or {}).items():
        if name not in names:
            problems.append(i18n.t("hasil.unknown_name", instrument=inst.id, name=name, parts=offered))
            continue
        put(names[name], value)
    for text in assignments or []:
        pid, sep, value = text.partition("=")
        pid, value = pid.strip(), value.strip()
        if not sep or not pid or not value:
            problems.append(i18n.t("hasil.bad_assignment", text=text))
        elif pid not in parts:
            problems.append(i18n.t("hasil.unknown_part", part=pid, instrument=inst.id, parts=offered))
        else:
            put(pid, value)
    # The values themselves are checked here too, so one run names every problem.
    for pid, value in out.items():
        try:
            normalise(parts[pid], value)
        except ValidationError as exc:
            problems.append(exc.message)
    if len(problems) == 1:
        raise ValidationError(problems[0])
    if problems:
        raise ValidationError(i18n.t("hasil.invalid_many", n=len(problems)), details=problems)
    return out


# A figure as people write it: digits with one decimal point or comma. Not "1e1", "inf", "nan", "1_0".
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def normalise(part: dict, raw) -> tuple[str, float]:
    """(stored text, points) for one part's input, validated by the scoring
    module; the error names the part (and its option), its range or codes,
    in the user's language."""
    text = str(raw).strip()
    flag = f", --{part['input_name']}" if part.get("input_name") else ""
    try:
        if part["kind"] == "scale":
            if not _DECIMAL.fullmatch(text):
                raise ValueError(text)
            number = float(text.replace(",", "."))
            points = scoring.hasil_part_value(part, number)
            return _number_text(number), points
        points = scoring.hasil_part_value(part, text)
    except (ValueError, ValidationError):
        if part["kind"] == "scale":
            raise ValidationError(i18n.t("hasil.invalid_scale", part=part["id"], name=part_name(part), flag=flag,
                                         value=text, lo=f"{part['min']:g}", hi=f"{part['max']:g}")) from None
        raise ValidationError(i18n.t("hasil.invalid_category", part=part["id"], name=part_name(part), flag=flag,
                                     value=text, codes=", ".join(c["code"] for c in part["categories"]))) from None
    key = text.upper()
    cat = next(c for c in part["categories"] if key in (c["code"].upper(), c["label"].upper()))
    return cat["code"], points


def _number_text(x: float) -> str:
    return repr(float(x)).removesuffix(".0") if float(x).is_integer() else repr(float(x))


def stored(session: Session, rnd: AssessmentRound) -> dict[str, HasilInput]:
    return {h.part_id: h for h in session.exec(select(HasilInput).where(HasilInput.round_id == rnd.id))}


def scoring_inputs(session: Session, rnd: AssessmentRound, inst: Instrument | None = None) -> dict:
    """part id -> the value ``scoring.score`` takes (a number for a scale, a code for a category)."""
    inst = inst or instrument_for(rnd)
    parts = parts_by_id(inst)
    out = {}
    for pid, h in stored(session, rnd).items():
        part = parts.get(pid)
        if part is not None:
            out[pid] = float(h.raw) if part["kind"] == "scale" else h.raw
    return out


def missing(session: Session, rnd: AssessmentRound, inst: Instrument | None = None) -> list[str]:
    inst = inst or instrument_for(rnd)
    have = stored(session, rnd)
    return [pid for pid in parts_by_id(inst) if pid not in have]


def guard_finalise(work: RoundWork) -> list[str]:
    """A final Indeks needs every Hasil figure: a missing one would silently count as 0."""
    rnd = work.round
    gaps = missing(work.session, rnd, work.instrument)
    return [i18n.t("hasil.missing", parts=", ".join(gaps), round=rnd.code)] if gaps else []


def set_inputs(session: Session, actor: Actor, rnd: AssessmentRound, values: dict[str, str], *,
               source: str | None = None) -> list[HasilInput]:
    """Enter or change Hasil figures (all or nothing); one audit event lists
    each change with the previous value."""
    require(actor, "round.hasil")
    if not values:
        raise ValidationError(i18n.t("hasil.nothing"))
    work = begin(session, actor, rnd)
    if rnd.state == "final":
        raise StateError(i18n.t("hasil.final", round=rnd.code))
    inst = work.instrument
    parts = parts_by_id(inst)
    checked, problems = {}, []
    for pid, raw in values.items():   # every bad figure is reported, not only the first
        if pid not in parts:
            problems.append(i18n.t("hasil.unknown_part", part=pid, instrument=inst.id, parts=", ".join(parts)))
            continue
        try:
            checked[pid] = normalise(parts[pid], raw)
        except ValidationError as exc:
            problems.append(exc.message)
    if len(problems) == 1:
        raise ValidationError(problems[0])
    if problems:
        raise ValidationError(i18n.t("hasil.invalid_many", n=len(problems)), details=problems)
    have = stored(session, rnd)
    changes, kept, changed_rows, new_rows = [], [], [], []
    now = utcnow()
    source = (source or "").strip() or None
    for pid in parts:  # instrument order
        if pid not in checked:
            continue
        text, points = checked[pid]
        row = have.get(pid)
        previous = row.raw if row else None
        if row is not None and row.raw == text and row.source == (source or row.source):
            kept.append(row)
            continue
        if row is None:
            new_rows.append(dict(round_id=rnd.id, part_id=pid, raw=text, source=source, entered_by_id=actor.id,
                                 entered_at=now))
        else:
            row.raw, row.entered_by_id, row.entered_at = text, actor.id, now
            row.source = source or row.source
            session.add(row)
            changed_rows.append(row)
        changes.append({"part": pid, "value": text, "points": points, "previous": previous})
    session.flush()
    written = Rows()
    ids = insert_rows(session, HasilInput, new_rows, key=("part_id",), record=written)
    written.put_obj(*changed_rows)
    if changes:
        audit_log.append(session, round_id=rnd.id, actor=actor.username, action="hasil.set", when=now,
                         payload={"changes": changes, "source": source}, rows=written)
    created = [HasilInput(id=i, **cols) for i, cols in zip(ids, new_rows)]
    order = list(parts)
    return sorted(kept + changed_rows + created, key=lambda r: order.index(r.part_id))


def set_applicable_weight(session: Session, actor: Actor, rnd: AssessmentRound, raw, *, source: str | None
                          ) -> dict | None:
    """Enter or change the applicable weight the round's own scoring rescales by (an instrument
    that rescales a component; instead of the weight derived from the lines answered not
    applicable), with its source; ``raw`` None removes it (back to the derived weight). One
    ``hasil.set`` event. The change, or None if unchanged."""
    from pmprb.assessments.coordinate import applicable_weight

    require(actor, "round.hasil")
    work = begin(session, actor, rnd)
    if rnd.state == "final":
        raise StateError(i18n.t("hasil.final", round=rnd.code))
    now = utcnow()
    written = Rows()
    if raw is None:
        src = None
        change = applicable_weight.clear(session, rnd, "estimate", written)
    else:
        text = applicable_weight.check(work.instrument, raw)
        src = applicable_weight.check_source(source)
        change = applicable_weight.put(session, actor, rnd, "estimate", text, src, written, now)
    if change is not None:
        audit_log.append(session, round_id=rnd.id, actor=actor.username, action="hasil.set", when=now,
                         payload={"changes": [change], "source": src}, rows=written)
    return change


def table(session: Session, rnd: AssessmentRound, lang: str | None = None) -> list[dict]:
    """Every Hasil part of the round's instrument with what was entered."""
    inst = instrument_for(rnd)
    have = stored(session, rnd)
    rows = []
    for comp in inst.data["hasil"]["components"]:
        for part in comp["parts"]:
            h = have.get(part["id"])
            points = normalise(part, h.raw)[1] if h else None
            who = session.get(Person, h.entered_by_id) if h else None
            rows.append({"component": comp["id"], "part": part["id"], "name": part_name(part, lang),
                         "input_name": part.get("input_name"), "kind": part["kind"], "weight": part["weight"],
                         "value": h.raw if h else None, "points": points, "source": h.source if h else None,
                         "entered_by": who.username if who else None,
                         "entered_at": h.entered_at.isoformat() if h else None,
                         "expected": (f"{part['min']:g}..{part['max']:g}" if part["kind"] == "scale"
                                      else ", ".join(c["code"] for c in part["categories"]))})
    return rows
