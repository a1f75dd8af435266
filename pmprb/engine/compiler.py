"""Instrument -> durable_rules ruleset as JSON, with stable rule names.

Every rule is named ``<criterion>/<kind>[:<detail>]`` (e.g.
``MP.1.b/gate:zero_if_answer:MP.1.a``) so decision traces stay meaningful
across versions. A rule's condition is plain durable_rules JSON; its
``effect`` is data the evaluators apply the same way (set the raw value, add
a flag, zero the value, multiply by a prerequisite's value).

Facts are one per criterion: ``t`` (type), ``ar`` (area; tested first so
durable_rules never sees more than a few hundred values at its first test
level), ``c`` (criterion), ``ans`` (1 answered / 0 not), ``a`` (answer),
``ev`` (evidence documents), and for each prerequisite P (dots become
underscores) ``pa_P`` (its answer or ``~``), ``pz_P`` (1 when its value is 0)
and ``pl_P`` (1 when its value is below 1). A computed item's fact carries
``n_P`` for each count P its formula reads (absent when P is not entered;
``ans`` is 1 only when all are present); a count's fact carries the count in
``a``. Numeric items' rules are built by :mod:`pmprb.engine.formulas`.
"""

from __future__ import annotations

from functools import lru_cache

from pmprb.engine import formulas
from pmprb.engine.instrument import Instrument, _previous_in_subarea
from pmprb.engine import points, points_rules
from pmprb.engine import evidence_requirements
from pmprb.engine import flags

FORMAT = "pmprb-ruleset/1"
PRI_VALUE, PRI_EVIDENCE, PRI_GATE, PRI_SINK = 1, 2, 3, 9
SINK = "_sink"
UNANSWERED = "~"


def field_id(cid: str) -> str:
    return cid.replace(".", "_")


def _base(area: str, cid: str) -> list:
    return [{"t": "ans"}, {"ar": area}, {"c": cid}]


def compile_instrument(inst: Instrument) -> dict:
    return _compile_cached(inst.revision, inst)


_LEAN: dict[int, tuple[dict, dict]] = {}   # id(compiled) -> (compiled, its rules without document rules)
_LEAN_MAX = 16


def without_document_rules(compiled: dict) -> dict:
    """The ruleset without the rules that read a document summary (``"reads": "documents"``, the
    evidence requirement rules): no fact without one can match them, and a durable_rules session
    costs in proportion to its rules, so the evaluator runs such facts on this one. The same
    object for the same ruleset (durable hosts are reused per ruleset object); the ruleset itself
    when it has no such rules."""
    entry = _LEAN.get(id(compiled))
    if entry is not None and entry[0] is compiled:   # the entry keeps compiled alive: ids stay unique
        return entry[1]
    rules = [r for r in compiled["rules"] if r.get("reads") != "documents"]
    lean = compiled if len(rules) == len(compiled["rules"]) else dict(compiled, name=compiled["name"] + ":counts",
                                                                       rules=rules)
    if len(_LEAN) >= _LEAN_MAX:
        del _LEAN[next(iter(_LEAN))]
    _LEAN[id(compiled)] = (compiled, lean)
    return lean


@lru_cache(maxsize=16)
def _compile_cached(revision: str, inst: Instrument) -> dict:
    rules: list[dict] = []
    prereqs: dict[str, list[str]] = {cid: [] for cid in inst.criteria}
    gates: dict[str, list[tuple[str, str, dict]]] = {cid: [] for cid in inst.criteria}

    for area in inst.areas:
        for sub in area["subareas"]:
            for gate in sub.get("gating", []):
                kind = gate["kind"]
                if kind in ("zero_if_answer", "zero_if_value_zero"):
                    pre = gate["when"]["criterion"]
                    for target in gate["then_zero"]:
                        if kind == "zero_if_answer":
                            cond = {"$or": [{f"pa_{field_id(pre)}": a} for a in gate["when"]["answer_in"]]}
                        else:
                            cond = {f"pz_{field_id(pre)}": 1}
                        gates[target].append((kind, pre, cond))
                elif kind == "zero_chain":
                    chain = gate["criteria"]
                    for pre, target in zip(chain, chain[1:]):
                        gates[target].append((kind, pre, {f"pz_{field_id(pre)}": 1}))
                else:  # multiply_by_previous
                    for target in gate["criteria"]:
                        pre = _previous_in_subarea(inst.criteria_data, target)
                        gates[target].append((kind, pre, {f"pl_{field_id(pre)}": 1}))

    for cid, c in inst.criteria.items():
        base = _base(c.area, cid)
        if c.kind in points.KINDS:  # points lines: pmprb.engine.points_rules
            rules.extend(points_rules.line_rules(inst, c, base))
        elif not c.is_choice:
            rules.extend(formulas.numeric_rules(c, base))
        if c.is_choice:
            for answer, value in c.values.items():
                rules.append({"name": f"{cid}/answer:{answer}", "criterion": cid, "pri": PRI_VALUE,
                              "when": {"$and": base + [{"a": answer}]}, "effect": {"raw": value}})
        if c.kind != "count" and not c.is_count_valued:
            rules.append({"name": f"{cid}/unanswered", "criterion": cid, "pri": PRI_VALUE,
                          "when": {"$and": base + [{"ans": 0}]}, "effect": {"raw": 0, "flag": flags.UNANSWERED}})
        if c.kind == "computed" and not c.is_count_valued and c.evidence_min > 0:
            rules.append(formulas.evidence_rule(c, base, PRI_EVIDENCE))
        if c.is_choice and c.evidence_min > 0:
            better = [a for a in c.values if a != c.worst]
            claim = better[0] if len(better) == 1 else None
            cond = {"a": claim} if claim else {"$or": [{"a": a} for a in better]}
            rules.append({"name": f"{cid}/evidence:missing", "criterion": cid, "pri": PRI_EVIDENCE,
                          "when": {"$and": base + [cond, {"$lt": {"ev": c.evidence_min}}]},
                          "effect": {"flag": flags.CLAIMED_WITHOUT_EVIDENCE}})
        rules.extend(evidence_requirements.rules(c, base, PRI_EVIDENCE))
        for kind, pre, cond in gates[cid]:
            prereqs[cid].append(pre)
            effect = {"multiply_by": pre} if kind == "multiply_by_previous" else {"zero": True}
            effect["flag"] = flags.gated_by(pre)
            rules.append({"name": f"{cid}/gate:{kind}:{pre}", "criterion": cid, "pri": PRI_GATE,
                          "when": {"$and": base + [cond]}, "effect": effect})
    rules.append({"name": SINK, "criterion": None, "pri": PRI_SINK, "when": {"t": "ans"}, "effect": {}})

    return {
        "format": FORMAT,
        "name": f"{inst.id}@{inst.revision[:16]}",
        "instrument": inst.id,
        "revision": inst.revision,
        "criteria": {cid: _criterion_info(inst, cid, prereqs[cid]) for cid in inst.criteria},
        "levels": _levels({cid: prereqs[cid] + formulas.refs(c) for cid, c in inst.criteria.items()},
                          list(inst.criteria)),
        "rules": rules,
    }


def _criterion_info(inst: Instrument, cid: str, prereqs: list) -> dict:
    c = inst.criteria[cid]
    info = {"area": c.area, "prereqs": sorted(set(prereqs), key=lambda p: inst.criteria[p].order)}
    # Only numeric items get extra keys: choice items compile exactly as before.
    if c.kind != "choice":
        info["kind"] = c.kind
    if c.kind == "computed":
        info["counts"] = formulas.refs(c)
    if c.kind in points.KINDS:
        info["points"] = points.spec(inst, cid)
    return info


def _levels(prereqs: dict, order: list) -> list[list[str]]:
    level: dict[str, int] = {}

    def depth(cid: str) -> int:
        if cid not in level:
            level[cid] = 1 + max((depth(p) for p in prereqs[cid]), default=-1)
        return level[cid]

    out: list[list[str]] = []
    for cid in order:
        d = depth(cid)
        while len(out) <= d:
            out.append([])
        out[d].append(cid)
    return [sorted(lvl) for lvl in out]


def durable_definition(compiled: dict) -> dict:
    """The ruleset in durable_rules' own JSON form; ``run`` names the rule."""
    rules = {}
    for rule in compiled["rules"]:
        rules[rule["name"]] = {"all": [{"m": rule["when"]}], "pri": rule["pri"], "run": rule["name"]}
    return {compiled["name"]: rules}
