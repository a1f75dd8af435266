"""Numeric items as rules: counts entered by the assessor, and computed items
whose formula (ratio, decrease, sum) is declared in the instrument data.

The compiler turns each formula into named rules whose conditions compare the
referenced counts carried on the item's fact (``n_<criterion>``), one rule per
case of the formula:

- ``formula:both_zero``        both counts 0 -> the declared ``when_both_zero``
- ``formula:zero_denominator`` denominator (previous) 0, the other count > 0
                               -> the declared ``when_zero_denominator``
- ``formula:ratio`` / ``formula:decrease`` -> compute numerator / denominator,
                               or (previous - current) / previous
- ``formula:cap`` / ``formula:floor``  the result is above the cap / below the
                               floor -> bounded, flagged ``capped`` / ``floored``
- ``formula:sum``              a count that adds up other counts (not scored)

Rules decide *which* case applies; the arithmetic of an effect is applied by
:func:`compute`, shared by both engines, so they cannot disagree on numbers.
Bounds are tested as ``numerator > cap x denominator`` (no division in a
condition) with durable_rules' ``$m`` / ``$mul`` operands.
"""

from __future__ import annotations

from pmprb.errors import RuleError
from pmprb.engine import flags

PRI_VALUE, PRI_BOUND = 1, 2


def count_field(cid: str) -> str:
    return "n_" + cid.replace(".", "_")


# The keys of each formula kind that name the counts it reads.
FORMULA_REFS = {"ratio": ("numerator", "denominator"), "decrease": ("previous", "current"), "sum": ("terms",)}


def formula_refs(formula: dict) -> list[str]:
    """The counts a formula reads, in declaration order, each once."""
    out: list[str] = []
    for key in FORMULA_REFS.get(formula.get("kind"), ()):
        v = formula.get(key)
        out.extend(v if isinstance(v, list) else [] if v is None else [v])
    return list(dict.fromkeys(out))


def refs(c) -> list[str]:
    """The counts a computed item reads, in declaration order (empty for other items)."""
    return formula_refs(c.formula) if c.kind == "computed" and c.formula else []


def _times(cid: str, factor: float) -> dict:
    """Right-hand operand ``count(cid) x factor`` in durable_rules JSON."""
    ref = {"$m": count_field(cid)}
    return ref if factor == 1 else {"$mul": {"$l": ref, "$r": factor}}


def _rule(c, kind: str, pri: int, conds: list, effect: dict, base: list) -> dict:
    return {"name": f"{c.id}/{kind}", "criterion": c.id, "pri": pri,
            "when": {"$and": base + conds}, "effect": effect}


def numeric_rules(c, base: list) -> list[dict]:
    """Value rules for a count or a computed item (the unanswered rule of a
    scored computed item is the compiler's ordinary one)."""
    if c.kind == "count":
        return [_rule(c, "count", PRI_VALUE, [{"ans": 1}], {"count": "answer"}, base),
                _rule(c, flags.UNANSWERED, PRI_VALUE, [{"ans": 0}], {"count": None, "flag": flags.UNANSWERED}, base)]
    f = c.formula
    if f["kind"] == "sum":
        return [_rule(c, "formula:sum", PRI_VALUE, [{"ans": 1}],
                      {"compute": {"kind": "sum", "terms": refs(c)}}, base),
                _rule(c, flags.UNANSWERED, PRI_VALUE, [{"ans": 0}], {"count": None, "flag": flags.UNANSWERED}, base)]
    if f["kind"] == "ratio":
        top, bottom = f["numerator"], f["denominator"]
        compute = {"kind": "ratio", "numerator": top, "denominator": bottom}
    else:
        top, bottom = f["current"], f["previous"]
        compute = {"kind": "decrease", "previous": bottom, "current": top}
    nt, nb = count_field(top), count_field(bottom)
    cap, floor = f.get("cap", 1), f.get("floor", 0)
    rules = [
        _rule(c, "formula:both_zero", PRI_VALUE, [{"ans": 1}, {nb: 0}, {nt: 0}],
              {"raw": f["when_both_zero"]}, base),
        _rule(c, "formula:zero_denominator", PRI_VALUE, [{"ans": 1}, {nb: 0}, {"$gt": {nt: 0}}],
              {"raw": f["when_zero_denominator"], "flag": "zero_denominator"}, base),
        _rule(c, f"formula:{f['kind']}", PRI_VALUE, [{"ans": 1}, {"$gt": {nb: 0}}], {"compute": compute}, base),
    ]
    positive = [{"ans": 1}, {"$gt": {nb: 0}}]
    if f["kind"] == "ratio":
        # ratio > cap  <=>  numerator > cap x denominator (denominator > 0)
        rules.append(_rule(c, "formula:cap", PRI_BOUND, positive + [{"$gt": {nt: _times(bottom, cap)}}],
                           {"bound": cap, "flag": "capped"}, base))
        if floor > 0:
            rules.append(_rule(c, "formula:floor", PRI_BOUND, positive + [{"$lt": {nt: _times(bottom, floor)}}],
                               {"bound": floor, "flag": "floored"}, base))
    else:
        # (previous - current) / previous > cap  <=>  current < (1 - cap) x previous
        if cap < 1:
            rules.append(_rule(c, "formula:cap", PRI_BOUND,
                               positive + [{"$lt": {nt: _times(bottom, round(1 - cap, 3))}}],
                               {"bound": cap, "flag": "capped"}, base))
        # ... < floor  <=>  current > (1 - floor) x previous (with floor 0: it went up)
        rules.append(_rule(c, "formula:floor", PRI_BOUND,
                           positive + [{"$gt": {nt: _times(bottom, round(1 - floor, 3))}}],
                           {"bound": floor, "flag": "floored"}, base))
    return rules


def evidence_rule(c, base: list, pri: int) -> dict:
    # The counts are the claim: once all are entered they need supporting documents.
    return _rule(c, "evidence:missing", pri, [{"ans": 1}, {"$lt": {"ev": c.evidence_min}}],
                 {"flag": flags.CLAIMED_WITHOUT_EVIDENCE}, base)


def compute(spec: dict, counts: dict) -> float | int:
    """The arithmetic of a ``compute`` effect over the item's input counts."""
    try:
        if spec["kind"] == "ratio":
            return counts[spec["numerator"]] / counts[spec["denominator"]]
        if spec["kind"] == "decrease":
            prev = counts[spec["previous"]]
            return (prev - counts[spec["current"]]) / prev
        if spec["kind"] == "sum":
            return sum(counts[t] for t in spec["terms"])
    except (KeyError, TypeError, ZeroDivisionError) as exc:
        raise RuleError(f"formula {spec['kind']} cannot be computed from counts {counts}: {exc}") from None
    raise RuleError(f"unknown formula kind {spec['kind']!r}")
