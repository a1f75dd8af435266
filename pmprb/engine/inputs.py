"""Worksheet inputs checked before evaluation: criterion ids, counts, computed items.

Choice answers pass through unchanged (an answer outside its options is left
to the rules, which fire no value rule for it). Counts may come inside
``answers`` or in a separate ``counts`` mapping; they must be whole numbers
>= 0 (numeric strings such as ``"12"`` from CSV or a database are accepted).
Computed items take no answer: their value comes from the counts they read.
"""

from __future__ import annotations

from pmprb import i18n
from pmprb.errors import ValidationError
from pmprb.engine.formulas import refs
from pmprb.engine.instrument import Criterion, Instrument
from pmprb.engine import points, points_messages

MAX_COUNT = 10**9  # keeps count x factor products far inside durable_rules' integer range

def answer_aliases(c: Criterion) -> dict[str, str]:
    """Accepted spellings (upper-cased) -> the instrument's answer.

    Matching is case-insensitive; word answers (Ya/Tidak) also accept their
    initial (Y/T) when the initials are unambiguous.
    """
    out = {a.upper(): a for a in c.values}
    initials = [a[0].upper() for a in c.values if len(a) > 1]
    if initials and len(set(initials)) == len(initials):
        for a in c.values:
            if len(a) > 1:
                out.setdefault(a[0].upper(), a)
    return out


def normalise_answer(inst: Instrument, cid: str, raw) -> str:
    """The one reading of an answer, for every way one enters (the walk,
    ``assess set``, imports, consensus resolutions): the instrument's spelling
    of a choice (case-insensitive; Ya/Tidak also Y/T), a count as a whole
    number, a points line's score or category as its canonical text; a
    computed item takes none. Raises :class:`ValidationError` naming the
    criterion and what is allowed."""
    c = inst.criterion(cid)
    text = ("" if raw is None else str(raw)).strip()
    if c.kind in points.KINDS:
        answer = points_messages.checked_answer(inst, c.id, raw)
        if answer is None:
            raise ValidationError(i18n.t("ans.empty", cid=c.id))
        return answer
    if c.kind == "computed":
        raise ValidationError(i18n.t("as.computed", cid=c.id, refs=", ".join(refs(c))))
    if not text:
        raise ValidationError(i18n.t("ans.empty", cid=c.id))
    if c.kind == "count":
        if not text.isdigit() or int(text) > MAX_COUNT:
            raise ValidationError(i18n.t("as.bad_count", cid=c.id, answer=raw))
        return str(int(text))
    found = answer_aliases(c).get(text.upper())
    if found is None:
        raise ValidationError(i18n.t("as.bad_answer", answer=text, cid=c.id, allowed=", ".join(c.values)))
    return found


def parse_count(cid: str, answer_type: str, raw) -> int | None:
    if raw is None:
        return None
    n = None
    if isinstance(raw, bool):
        n = None
    elif isinstance(raw, int):
        n = raw
    elif isinstance(raw, float) and raw.is_integer():
        n = int(raw)
    elif isinstance(raw, str) and raw.strip().isdigit():
        n = int(raw.strip())
    if n is None or not 0 <= n <= MAX_COUNT:
        raise ValidationError(
            i18n.t("inputs.criterion_count_must_whole", cid=cid, answer_type=answer_type, MAX_COUNT=MAX_COUNT, raw=raw))
    return n


def normalise_answers(inst: Instrument, answers: dict, counts: dict | None = None) -> dict:
    out: dict = {}
    for cid, ans in answers.items():
        if cid not in inst.criteria:
            raise ValidationError(i18n.t("inputs.unknown_criterion", cid=cid))
        out[cid] = ans
    for cid, n in (counts or {}).items():
        c = inst.criteria.get(cid)
        if c is None:
            raise ValidationError(i18n.t("inputs.unknown_criterion", cid=cid))
        if c.kind != "count":
            raise ValidationError(i18n.t("inputs.criterion_count_cannot_appear", cid=cid, answer_type=c.answer_type))
        if cid in out:
            raise ValidationError(i18n.t("inputs.criterion_given_both_answer", cid=cid))
        out[cid] = n
    for cid, ans in out.items():
        c = inst.criteria[cid]
        if c.kind == "count":
            out[cid] = parse_count(cid, c.answer_type, ans)
        elif c.kind in points.KINDS:
            out[cid] = points_messages.checked_answer(inst, cid, ans)
        elif c.kind == "computed" and ans is not None:
            raise ValidationError(
                i18n.t("inputs.criterion_computed_from_enter", cid=cid, answer_type=c.answer_type, items=', '.join(refs(c))))
    return out
