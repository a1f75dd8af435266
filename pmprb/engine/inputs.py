"""Worksheet inputs checked before evaluation: criterion ids, counts, computed items.

Choice answers pass through unchanged (an answer outside its options is left
to the rules, which fire no value rule for it). Counts may come inside
``answers`` or in a separate ``counts`` mapping; they must be whole numbers
>= 0 (numeric strings such as ``"12"`` from CSV or a database are accepted).
Computed items take no answer: their value comes from the counts they read.
"""

from __future__ import annotations

from ..errors import ValidationError
from . import points, points_messages
from .formulas import refs
from .instrument import Instrument

MAX_COUNT = 10**9  # keeps count x factor products far inside durable_rules' integer range


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
            f"criterion {cid} ({answer_type}): a count must be a whole number from 0 to {MAX_COUNT}, got {raw!r}")
    return n


def normalise_answers(inst: Instrument, answers: dict, counts: dict | None = None) -> dict:
    out: dict = {}
    for cid, ans in answers.items():
        if cid not in inst.criteria:
            raise ValidationError(f"unknown criterion {cid!r}")
        out[cid] = ans
    for cid, n in (counts or {}).items():
        c = inst.criteria.get(cid)
        if c is None:
            raise ValidationError(f"unknown criterion {cid!r}")
        if c.kind != "count":
            raise ValidationError(f"criterion {cid} ({c.answer_type}) is not a count; it cannot appear under counts")
        if cid in out:
            raise ValidationError(f"criterion {cid} is given both as an answer and as a count")
        out[cid] = n
    for cid, ans in out.items():
        c = inst.criteria[cid]
        if c.kind == "count":
            out[cid] = parse_count(cid, c.answer_type, ans)
        elif c.kind in points.KINDS:
            out[cid] = points_messages.checked_answer(inst, cid, ans)
        elif c.kind == "computed" and ans is not None:
            raise ValidationError(
                f"criterion {cid} ({c.answer_type}) is computed from {', '.join(refs(c))}; enter those counts instead")
    return out
