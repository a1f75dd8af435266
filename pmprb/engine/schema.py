"""The shape of an instrument's data files, checked key by key.

Each object kind maps its keys to ``(type, required)``. A type is a scalar
name (``str``, ``number``, ``int``, ``bool``), another kind, ``("list", t)``,
``("map", t)`` (string keys) or ``("enum", (values...))``. Unknown keys,
missing keys and wrong types are all reported, with the path of the value.
"""

from __future__ import annotations

from pmprb import i18n

from typing import Any

from pmprb.engine.citations import KINDS as DOCUMENT_KINDS

S, N, I, B = "str", "number", "int", "bool"


def L(t):
    return ("list", t)


def M(t):
    return ("map", t)


def E(*values):
    return ("enum", values)


KINDS: dict[str, dict[str, tuple[Any, bool]]] = {
    "instrument": {
        "id": (S, True), "title": (S, True), "title_en": (S, False), "version": (S, True),
        "legal_basis": (S, True), "source": (S, False), "scope": (E("institution", "unit"), False),
        "total_name": (S, False), "total_name_en": (S, False),
        "pengungkit_total": (N, True), "answer_types": (M(L("answer_value")), True),
        "numeric_types": (M("numeric_type"), False),
        "evidence_default": ("evidence", True), "components": (L("component"), False),
        "area_groups": (L("area_group"), False),
        "areas": (L(S), True), "hasil": ("hasil", True), "grade_bands": (L("band"), False),
        "predicates": (L("predicate"), False), "decisions": (L("decision"), False), "notes": (L(S), False),
        # Instruments that sum points lines (pmprb.engine.points).
        "scoring": ("scoring", False), "themes": (L("theme"), False),
        # Evidence requirements (pmprb.engine.evidence_requirements).
        "evidence_kind_sets": (M(L(E(*DOCUMENT_KINDS))), False), "evidence_currency": ("evidence_currency", False),
        "ratl_advice": (M("ratl_advice"), False),
    },
    "scoring": {"method": (E("points"), True), "places": (I, False), "rescale": ("rescale", False),
                "not_applicable": ("not_applicable", False), "note": (S, False)},
    "rescale": {"component": (S, True), "places": (I, False), "note": (S, False)},
    "not_applicable": {"answer": (S, True), "label": (S, True), "label_en": (S, False)},
    "theme": {"id": (S, True), "name": (S, True), "name_en": (S, False)},
    "points_category": {"code": (S, True), "label": (S, True), "label_en": (S, False), "points": (N, False),
                        "note": (S, False)},
    "evidence_currency": {"activity_kinds": (L(E(*DOCUMENT_KINDS)), True), "note": (S, False)},
    "evidence_kinds": {"accept": (S, True), "by_answer": (M(S), False), "note": (S, False)},
    "answer_value": {"answer": (S, True), "value": (N, True), "label_en": (S, False)},
    "evidence": {"min_documents": (I, True), "on_missing": (E("warn", "block"), True)},
    "numeric_type": {"kind": (E("count", "computed", "score", "adjustment", "category"), True),
                     "label_en": (S, False), "note": (S, False), "categories": (L("points_category"), False)},
    "component": {"id": (S, True), "name": (S, True), "name_en": (S, False), "weight": (N, True)},
    "area_group": {"id": (S, True), "name": (S, True), "name_en": (S, False)},
    "decision": {"gap": (S, True), "decision": (S, True), "reason": (S, True), "decision_en": (S, False),
                 "reason_en": (S, False)},
    "predicate": {
        "id": (S, True), "name": (S, True), "name_en": (S, False), "confirmed": (B, True),
        "note": (S, False), "thresholds": (L("threshold"), True),
    },
    "threshold": {
        "id": (S, True), "name": (S, True), "name_en": (S, False),
        "measure": (E("total", "pengungkit", "hasil", "area_percent", "group_percent", "hasil_component",
                      "component"), True),
        "target": (S, False), "min": (N, True), "note": (S, False),
    },
    "area": {
        "code": (S, True), "name": (S, True), "name_en": (S, False), "component": (S, False), "group": (S, False),
        "weight": (N, True), "ratl_responsible": (S, True), "subareas": (L("subarea"), True),
        "examples": (L("example"), False),
    },
    "subarea": {
        "id": (S, True), "name": (S, True), "name_en": (S, False), "weight": (N, True),
        "gating": (L("gate"), False), "criteria": (L("criterion"), True), "note": (S, False),
    },
    "gate": {
        "kind": (E("zero_if_answer", "zero_if_value_zero", "zero_chain", "multiply_by_previous"), True),
        "when": ("gate_when", False), "then_zero": (L(S), False), "criteria": (L(S), False), "note": (S, False),
    },
    "gate_when": {"criterion": (S, True), "answer_in": (L(S), False)},
    "criterion": {
        "id": (S, True), "text": (S, True), "text_en": (S, False), "answer_type": (S, True),
        "options": (L("option"), False), "guide": (S, False), "evidence": ("evidence", False),
        "ratl": ("ratl", False), "formula": ("formula", False), "scored": (B, False),
        # points lines (pmprb.engine.points)
        "source_id": (S, False), "weight": (N, False), "range": (L(N), False), "multiplier": (S, False),
        "theme": (S, False), "evaluator": (S, False),
        "evidence_kinds": ("evidence_kinds", False),
    },
    "formula": {
        "kind": (E("ratio", "decrease", "sum"), True), "numerator": (S, False), "denominator": (S, False),
        "previous": (S, False), "current": (S, False), "terms": (L(S), False), "cap": (N, False),
        "floor": (N, False), "when_both_zero": (N, False), "when_zero_denominator": (N, False),
        "note": (S, False),
    },
    "option": {"answer": (S, True), "text": (S, True), "text_en": (S, False)},
    "ratl": {"action": (S, True), "action_en": (S, False), "responsible": (S, False), "output": (S, False)},
    # ratl.yaml beside the area files: per criterion, what the next level requires (``next``: from the
    # answer given to the next better one; ``requires``: for any answer), and the author's advice.
    "ratl_file": {"criteria": (M("ratl_advice"), True), "notes": (L(S), False)},
    "ratl_advice": {"next": (M(S), False), "next_en": (M(S), False), "requires": (S, False),
                    "requires_en": (S, False), "action": (S, False), "action_en": (S, False),
                    "output": (S, False), "output_en": (S, False)},
    "hasil": {"total": (N, True), "components": (L("hasil_component"), True)},
    "hasil_component": {
        "id": (S, True), "name": (S, True), "name_en": (S, False), "weight": (N, True),
        "parts": (L("hasil_part"), True),
    },
    "hasil_part": {
        "id": (S, True), "name": (S, True), "name_en": (S, False), "weight": (N, True),
        "kind": (E("scale", "category"), True), "min": (N, False), "max": (N, False),
        "categories": (L("category"), False), "max_points": (N, False), "input_name": (S, False),
    },
    "category": {"code": (S, True), "label": (S, True), "points": (N, True)},
    "band": {"grade": (S, True), "above": (N, True), "upto": (N, True), "label": (S, True), "label_en": (S, False),
             "confirmed": (B, False), "note": (S, False)},
    "example": {
        "name": (S, True), "answers": (M(S), True), "evidence": (M(I), False), "counts": (M(N), False),
        "citations": (M(L(S)), False), "period": (I, False),
        "expect": (M("expectation"), True),
    },
    "expectation": {"value": (N, False), "raw_value": (N, False), "count": (N, False), "flags": (L(S), False)},
}


def _type_name(t) -> str:
    if isinstance(t, tuple):
        if t[0] == "list":
            return i18n.t("schema.type.list", of=_type_name(t[1]))
        if t[0] == "map":
            return i18n.t("schema.type.map", of=_type_name(t[1]))
        if t[0] == "enum":
            return i18n.t("schema.type.enum", values=", ".join(repr(v) for v in t[1]))
    if t in (S, N, I, B):
        return i18n.t(f"schema.type.{t}")
    return i18n.t("schema.type.kind", kind=t)


# Weights, scores, thresholds and counts are small; a number of hundreds of
# digits (or inf/nan from YAML's .inf/.nan) would only overflow later, in float
# arithmetic or canonical JSON, far from the line that holds it.
MAX_MAGNITUDE = 1e15


def _in_range(value) -> bool:
    return -MAX_MAGNITUDE < value < MAX_MAGNITUDE   # False for nan; exact for ints of any size


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def check(value: Any, t, path: tuple, report) -> None:
    """Report every shape problem in ``value``; ``report(path, message)``."""
    if isinstance(t, tuple):
        kind = t[0]
        if kind == "list":
            if not isinstance(value, list):
                report(path, i18n.t("schema.expected_type", type_name=_type_name(t), name=type(value).__name__))
                return
            for i, item in enumerate(value):
                check(item, t[1], path + (i,), report)
        elif kind == "map":
            if not isinstance(value, dict):
                report(path, i18n.t("schema.expected_type", type_name=_type_name(t), name=type(value).__name__))
                return
            for key, item in value.items():
                check(item, t[1], path + (key,), report)
        elif kind == "enum":
            if value not in t[1]:
                report(path, i18n.t("schema.expected_enum", type_name=_type_name(t), value=value))
        return
    if t == S:
        if not isinstance(value, str):
            report(path, i18n.t("schema.expected_string", name=type(value).__name__, value=value))
    elif t == N:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            report(path, i18n.t("schema.expected_number", name=type(value).__name__, short=_short(value)))
        elif not _in_range(value):
            report(path, i18n.t("schema.expected_finite", MAX_MAGNITUDE=MAX_MAGNITUDE, short=_short(value)))
    elif t == I:
        if isinstance(value, bool) or not isinstance(value, int):
            report(path, i18n.t("schema.expected_integer", name=type(value).__name__, short=_short(value)))
        elif not _in_range(value):
            report(path, i18n.t("schema.expected_integer_range", MAX_MAGNITUDE=MAX_MAGNITUDE, short=_short(value)))
    elif t == B:
        if not isinstance(value, bool):
            report(path, i18n.t("schema.expected_bool", value=value))
    else:
        spec = KINDS[t]
        if not isinstance(value, dict):
            report(path, i18n.t("schema.expected_type", type_name=_type_name(t), name=type(value).__name__))
            return
        for key in value:
            if key not in spec:
                report(path + (key,), i18n.t("schema.unknown_key", field=key, items=', '.join(sorted(spec))))
        for key, (sub, required) in spec.items():
            if key in value:
                check(value[key], sub, path + (key,), report)
            elif required:
                report(path, i18n.t("schema.missing_key", field=key))
