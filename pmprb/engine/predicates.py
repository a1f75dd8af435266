"""Predicates as data: thresholds over a scored result, decided by rules.

An instrument may declare predicates (e.g. a status a unit qualifies for when
every threshold is met). Each threshold names a measure of the result —
``total``, ``pengungkit``, ``hasil``, ``component:<id>``,
``hasil_component:<id>``, ``area_percent:<code>``, ``group_percent:<id>`` (a
target ``*`` means every area / group) — and a minimum.

The thresholds compile to durable_rules rules (``<predicate>/<threshold>[:<target>]/met``
and ``.../unmet``) over one small fact per measure, ``{t: "ms", c: <measure>, v: <micro>}``,
and run through the same two engines as the criteria. Measures travel as
integer millionths: facts never carry exponent-form floats, and binary noise
(74.99999999999999 for a sum that is 75 on paper) does not decide a threshold.
Shortfalls are reported at full precision.
"""

from __future__ import annotations

from functools import lru_cache

from pmprb import i18n
from pmprb.errors import RuleError
from pmprb.engine.compiler import SINK
from pmprb.engine.evaluator import DurableMatcher, PlainMatcher, default_engine, engine_label
from pmprb.engine.instrument import Instrument

FORMAT = "pmprb-predicates/1"
SCALE = 10**6
PERCENT_MEASURES = ("area_percent", "group_percent")


def micro(x: float) -> int:
    return int(round(x * SCALE))


def _targets(inst: Instrument, th: dict) -> list[tuple[str | None, str | None, str | None]]:
    """(target id, name, name_en) per expanded target."""
    m, target = th["measure"], th.get("target")
    if m in ("total", "pengungkit", "hasil"):
        return [(None, None, None)]
    if m == "area_percent":
        pool = [(a["code"], a["name"], a.get("name_en")) for a in inst.areas]
    elif m == "group_percent":
        pool = [(g["id"], g["name"], g.get("name_en")) for g in inst.area_groups]
    elif m == "component":
        pool = [(c["id"], c["name"], c.get("name_en")) for c in inst.components]
    else:
        pool = [(c["id"], c["name"], c.get("name_en")) for c in inst.data["hasil"]["components"]]
    return pool if target in (None, "*") else [t for t in pool if t[0] == target]


def measure_key(measure: str, target: str | None) -> str:
    return measure if target is None else f"{measure}:{target}"


def compile_predicates(inst: Instrument) -> dict:
    return _compile_cached(inst.revision, inst)


@lru_cache(maxsize=16)
def _compile_cached(revision: str, inst: Instrument) -> dict:
    rules, checks = [], []
    for pred in inst.predicates:
        for th in pred["thresholds"]:
            expand = th.get("target") in (None, "*") and th["measure"] not in ("total", "pengungkit", "hasil")
            for target, tname, tname_en in _targets(inst, th):
                key = measure_key(th["measure"], target)
                stem = f"{pred['id']}/{th['id']}" + (f":{target}" if expand else "")
                # A named target is part of the threshold's own name; '*' expands to one check per target.
                check = {"predicate": pred["id"], "threshold": th["id"], "target": target, "measure": key,
                         "target_name": tname if expand else None, "target_name_en": tname_en if expand else None,
                         "stem": stem}
                checks.append(check)
                bound = micro(th["min"])
                for outcome, op in (("met", "$gte"), ("unmet", "$lt")):
                    rules.append({"name": f"{stem}/{outcome}", "criterion": key, "pri": 1,
                                  "when": {"$and": [{"t": "ms"}, {"c": key}, {op: {"v": bound}}]},
                                  "effect": {"stem": stem, "met": outcome == "met"}})
    rules.append({"name": SINK, "criterion": None, "pri": 9, "when": {"t": "ms"}, "effect": {}})
    return {"format": FORMAT, "name": f"{inst.id}@{inst.revision[:16]}#predicates", "instrument": inst.id,
            "revision": inst.revision, "checks": checks,
            "measures": sorted({c["measure"] for c in checks}), "rules": rules}


def measures(result: dict) -> dict[str, float]:
    """Every measure a threshold may name, from a :func:`pmprb.engine.scoring.score` result."""
    out = {"total": result["indeks_rb"], "pengungkit": result["pengungkit"], "hasil": result["hasil"]}
    for code, a in result["areas"].items():
        out[measure_key("area_percent", code)] = a["percent"]
    for gid, g in result.get("groups", {}).items():
        out[measure_key("group_percent", gid)] = g["percent"]
    for cid, c in result.get("components", {}).items():
        out[measure_key("component", cid)] = c["score"]
    for hid, h in result["hasil_detail"]["components"].items():
        out[measure_key("hasil_component", hid)] = h["score"]
    return out


@lru_cache(maxsize=16)
def _matcher(revision: str, engine: str, inst: Instrument):
    # One matcher per instrument revision and engine, reused: a durable Host is costly to build.
    compiled = compile_predicates(inst)
    return DurableMatcher(compiled) if engine == "durable" else PlainMatcher(compiled)


def evaluate(inst: Instrument, result: dict, engine: str | None = None) -> list[dict]:
    """Decide every declared predicate for one scored result."""
    if not inst.predicates:
        return []
    engine = engine or default_engine()
    compiled = compile_predicates(inst)
    actual = measures(result)
    facts = [{"t": "ms", "c": key, "v": micro(actual[key])} for key in compiled["measures"]]
    fired = _matcher(inst.revision, engine, inst).fire(facts)
    by_name = {r["name"]: r for r in compiled["rules"]}
    outcome: dict[str, tuple[bool, str]] = {}
    for key in compiled["measures"]:
        for name in fired.get(key, []):
            stem = by_name[name]["effect"]["stem"]
            if stem in outcome:
                raise RuleError(f"threshold {stem}: two outcomes fired ({outcome[stem][1]}, {name})")
            outcome[stem] = (by_name[name]["effect"]["met"], name)
    return [_assemble(inst, pred, compiled, outcome, actual, result, engine_label(engine))
            for pred in inst.predicates]


def _assemble(inst, pred, compiled, outcome, actual, result, label) -> dict:
    ths = {th["id"]: th for th in pred["thresholds"]}
    entries, trace = [], []
    for chk in compiled["checks"]:
        if chk["predicate"] != pred["id"]:
            continue
        if chk["stem"] not in outcome:
            raise RuleError(f"threshold {chk['stem']}: no rule decided it")
        met, rule = outcome[chk["stem"]]
        th = ths[chk["threshold"]]
        value = actual[chk["measure"]]
        entry = {
            "id": chk["stem"].split("/", 1)[1], "threshold": th["id"], "name": th["name"],
            "name_en": th.get("name_en", th["name"]), "measure": th["measure"], "target": chk["target"],
            "target_name": chk["target_name"], "target_name_en": chk["target_name_en"] or chk["target_name"],
            "unit": "percent" if th["measure"] in PERCENT_MEASURES else "points",
            "min": th["min"], "actual": value, "met": met,
            "shortfall": 0.0 if met else th["min"] - value, "rule": rule,
        }
        if not met and th["measure"] in PERCENT_MEASURES:
            part = (result["areas"] if th["measure"] == "area_percent" else result["groups"])[chk["target"]]
            entry["shortfall_points"] = part["weight"] * th["min"] / 100 - part["score"]
        entries.append(entry)
        trace.append(rule)
    met = all(e["met"] for e in entries)
    return {
        "id": pred["id"], "name": pred["name"], "name_en": pred.get("name_en", pred["name"]),
        "confirmed": pred["confirmed"], "note": pred.get("note"), "met": met,
        "unmet": [e for e in entries if not e["met"]], "thresholds": entries, "trace": trace, "engine": label,
    }


# ---------------------------------------------------------------------------
# people-facing text

def describe(pred: dict, lang: str | None = None) -> list[str]:
    """Lines for people: the verdict, each unmet threshold with its shortfall, and a
    warning when the thresholds are not confirmed."""
    from pmprb.numbers import machine_number

    lang = lang or i18n.get_lang()
    name = pred["name_en"] if lang == "en" else pred["name"]
    if pred["met"]:
        lines = [i18n.t("predicate.met", lang, name=name)]
    else:
        lines = [i18n.t("predicate.not_met", lang, name=name)]
        for e in pred["unmet"]:
            label = e["name_en"] if lang == "en" else e["name"]
            target = e["target_name_en"] if lang == "en" else e["target_name"]
            if target:
                label = f"{label} — {target}"
            unit = "%" if e["unit"] == "percent" else ""
            lines.append("  - " + i18n.t("predicate.shortfall", lang, label=label, actual=machine_number(e["actual"]),
                                          min=machine_number(e["min"]), shortfall=machine_number(e["shortfall"]), unit=unit))
    if not pred["confirmed"]:
        lines.append(i18n.t("predicate.unconfirmed", lang, name=name))
    return lines
