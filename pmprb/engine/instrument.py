"""Instruments: loading, full validation, and the in-memory model.

An instrument is a folder with ``instrument.yaml`` and one file per change
area. Loading validates everything and reports all problems at once, each
naming the file, the path inside it and the line. The merged, validated data
(without the worked examples) is the instrument's canonical form; its
SHA-256 is the revision that rounds pin.
"""

from __future__ import annotations

import dataclasses

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pmprb import i18n
from pmprb.canonical import canonical_hash, canonical_json
from pmprb.errors import NotFoundError, ValidationError
from pmprb.engine import checks, ratl_advice, schema
from pmprb.engine.yamlsrc import Source, format_path, load_source
from pmprb.engine import points_checks
from pmprb.engine import evidence_requirements
from pmprb.engine.safe_input import InputRefused, load_json

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

def syntax_reason(exc: BaseException) -> str:
    """What a YAML/JSON parser says went wrong, for a message: its own
    (English) words only in English; in Bahasa Indonesia the column to look at."""
    mark = getattr(exc, "problem_mark", None)
    col = mark.column + 1 if mark is not None else getattr(exc, "colno", None)
    if i18n.get_lang() == "en":
        return getattr(exc, "problem", None) or getattr(exc, "msg", None) or str(exc)
    return i18n.t("inst.syntax_column", col=col) if col else i18n.t("inst.syntax_check")


TOLERANCE = 1e-9


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    answer_type: str
    area: str
    subarea: str
    order: int
    options: tuple[tuple[str, str], ...]     # (answer, option text), best first
    values: dict                              # answer -> value, for choice items
    scored: bool
    evidence_min: int
    evidence_on_missing: str
    ratl_action: str
    ratl_responsible: str
    formula: dict | None = None
    kind: str = "choice"                      # choice | count | computed | score | adjustment | category
    data: dict = field(default_factory=dict, compare=False, repr=False)
    max_points: float | None = None           # a points line's most points (pmprb.engine.points)

    @property
    def is_choice(self) -> bool:
        return bool(self.values)

    @property
    def is_count_valued(self) -> bool:
        """Its result is a count (an entered count or a computed sum), not a value."""
        return self.kind == "count" or (self.kind == "computed" and self.formula["kind"] == "sum")

    @property
    def worst(self) -> str | None:
        return self.options[-1][0] if self.options else None

    @property
    def best_value(self) -> float:
        if self.max_points is not None:
            return self.max_points
        return max(self.values.values()) if self.values else 1.0

    def text_in(self, lang: str) -> str:
        return self.data.get("text_en") or self.text if lang == "en" else self.text


@dataclass
class Instrument:
    data: dict                    # canonical data (areas merged in, no examples)
    examples: dict                # area code -> list of worked examples
    origin: str                   # folder it came from, or "stored round"
    revision: str = ""
    criteria: dict[str, Criterion] = field(default_factory=dict)

    def __post_init__(self):
        self.revision = canonical_hash(self.data)
        order = 0
        ev_default = self.data["evidence_default"]
        answer_types = self.data["answer_types"]
        numeric_types = self.data.get("numeric_types", {})
        for area in self.data["areas"]:
            for sub in area["subareas"]:
                for c in sub["criteria"]:
                    ev = c.get("evidence", ev_default)
                    type_values = {o["answer"]: o["value"] for o in answer_types.get(c["answer_type"], [])}
                    kind = checks.item_kind(c, numeric_types)
                    self.criteria[c["id"]] = Criterion(
                        id=c["id"], text=c["text"], answer_type=c["answer_type"], area=area["code"],
                        subarea=sub["id"], order=order,
                        options=tuple((o["answer"], o["text"]) for o in c.get("options", [])),
                        values=type_values, scored=c.get("scored", kind != "count"),
                        evidence_min=ev["min_documents"], evidence_on_missing=ev["on_missing"],
                        ratl_action=c.get("ratl", {}).get("action", ""),
                        ratl_responsible=c.get("ratl", {}).get("responsible", area["ratl_responsible"]),
                        formula=c.get("formula"), kind=kind, data=c,
                    )
                    order += 1
        from pmprb.engine import points

        for cid, c in list(self.criteria.items()):
            if c.kind in points.KINDS:
                self.criteria[cid] = dataclasses.replace(c, max_points=points.max_points(self, cid))

    @property
    def criteria_data(self) -> dict:
        """Criterion id -> its raw data, in instrument order."""
        return {cid: c.data for cid, c in self.criteria.items()}

    def __hash__(self) -> int:
        return hash(self.revision)

    def __eq__(self, other) -> bool:
        return isinstance(other, Instrument) and other.revision == self.revision

    # -- identity -------------------------------------------------------
    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def version(self) -> str:
        return self.data["version"]

    @property
    def canonical_json(self) -> str:
        return canonical_json(self.data)

    # -- structure --------------------------------------------------------
    @property
    def areas(self) -> list[dict]:
        return self.data["areas"]

    def area(self, code: str) -> dict:
        for a in self.areas:
            if a["code"] == code:
                return a
        raise NotFoundError(i18n.t("inst.no_area", inst=self.id, code=code))

    def subarea(self, sub_id: str) -> dict:
        for a in self.areas:
            for s in a["subareas"]:
                if s["id"] == sub_id:
                    return s
        raise NotFoundError(i18n.t("inst.no_subarea", inst=self.id, code=sub_id))

    def criterion(self, cid: str) -> Criterion:
        try:
            return self.criteria[cid]
        except KeyError:
            raise NotFoundError(i18n.t("inst.unknown_criterion", cid=cid, inst=self.id)) from None

    def hasil_parts(self) -> list[dict]:
        return [p for comp in self.data["hasil"]["components"] for p in comp["parts"]]

    @property
    def components(self) -> list[dict]:
        return self.data.get("components", [])

    @property
    def area_groups(self) -> list[dict]:
        return self.data.get("area_groups", [])

    @property
    def predicates(self) -> list[dict]:
        return self.data.get("predicates", [])

    @property
    def decisions(self) -> list[dict]:
        """Documented decisions on gaps in the source material: {gap, decision, reason}."""
        return self.data.get("decisions", [])

    @classmethod
    def from_canonical_json(cls, text: str, origin: str = "stored round") -> "Instrument":
        """Rebuild a pinned instrument from the JSON a round stored (validated again)."""
        try:
            data = load_json(text, origin)  # bounded: stored text may have been edited outside pmprb
        except ValueError as exc:
            raise ValidationError(i18n.t("inst.instrument_json_valid_json", origin=origin, exc=exc)) from None
        errors: list[str] = []
        _validate_merged(data, origin, errors, sources=None)
        if errors:
            raise ValidationError(i18n.t("inst.stored_instrument_invalid", origin=origin, count=_count(len(errors))), details=errors)
        return cls(data=data, examples={}, origin=origin)


# ---------------------------------------------------------------------------
# locating instruments


def _count(n: int) -> str:
    return i18n.t("inst.error_count", n=n, s="" if n == 1 else "s")


def bundled_ids() -> list[str]:
    return sorted(p.name for p in RULES_DIR.iterdir() if (p / "instrument.yaml").is_file())


def default_id() -> str:
    """The bundled instrument used when none is named, read from ``rules/default.yaml``."""
    try:
        ref = (yaml.safe_load((RULES_DIR / "default.yaml").read_text(encoding="utf-8")) or {}).get("instrument")
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise ValidationError(i18n.t("inst.cannot_read_default_instrument", value=RULES_DIR / 'default.yaml', exc=exc)) from None
    if ref not in bundled_ids():
        raise ValidationError(i18n.t("inst.default_instrument_bundled_bundled", value=RULES_DIR / 'default.yaml', ref=ref, items=', '.join(bundled_ids())))
    return ref


def resolve(ref: str | Path) -> Path:
    """An instrument reference is a bundled id, a folder, or an instrument.yaml path."""
    p = Path(ref)
    # A bare name is a bundled id even if a folder of that name happens to be
    # in the current directory (write ./name to mean the folder).
    if isinstance(ref, str) and "/" not in ref and _is_file(RULES_DIR / ref / "instrument.yaml"):
        return RULES_DIR / ref
    if _is_file(p):
        return p.parent.resolve()
    if _is_dir(p) and _is_file(p / "instrument.yaml"):
        return p.resolve()
    if isinstance(ref, str) and _is_file(RULES_DIR / ref / "instrument.yaml"):
        return RULES_DIR / ref
    if _is_dir(p):
        raise ValidationError(i18n.t("inst.no_yaml", folder=p))
    raise NotFoundError(i18n.t("inst.unknown", ref=str(ref)[:80], bundled=", ".join(bundled_ids())))


# A reference comes from a worksheet: a name too long for the file system (or
# otherwise unusable as a path) names no instrument, it is not a crash.
def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except (OSError, ValueError):
        return False


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except (OSError, ValueError):
        return False


def load_instrument(ref: str | Path) -> Instrument:
    folder = resolve(ref)
    stamp = tuple(sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in folder.glob("*.y*ml")))
    return _load_cached(str(folder), stamp)


@lru_cache(maxsize=16)
def _load_cached(folder: str, _stamp: tuple) -> Instrument:
    return _load_folder(Path(folder))


# ---------------------------------------------------------------------------
# loading and validation


class _Errors:
    def __init__(self):
        self.items: list[str] = []

    def at(self, src: Source | None, path: tuple, message: str, file: str | None = None) -> None:
        if src is None:
            self.items.append(f"{file or i18n.t('inst.the_instrument')}: {format_path(path)}: {message}")
            return
        line = src.line(path)
        where = f"{src.file}:{line}" if line else src.file
        self.items.append(f"{where}: {format_path(path)}: {message}")


def _read(path: Path, errors: _Errors) -> Source | None:
    try:
        src = load_source(path)
    except OSError as exc:
        errors.items.append(i18n.t("inst.unreadable", path=path, reason=i18n.os_error(exc)))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        errors.items.append(i18n.t("inst.yaml_syntax", path=path, line=line, reason=": " + syntax_reason(exc)))
        return None
    except InputRefused as exc:  # over a size/nesting/alias limit, or not UTF-8 text: already names file and line
        errors.items.append(exc.message)
        return None
    for p, line, msg in src.problems:
        errors.items.append(f"{src.file}:{line}: {format_path(p)}: {msg}")
    return src


def _load_folder(folder: Path) -> Instrument:
    errors = _Errors()
    head = _read(folder / "instrument.yaml", errors)
    if head is None:
        raise ValidationError(i18n.t("inst.not_loaded", folder=folder), details=errors.items)
    sources: dict[tuple, Source] = {}
    schema.check(head.data, "instrument", (), lambda p, m: errors.at(head, p, m))
    data = dict(head.data) if isinstance(head.data, dict) else {}
    areas, examples = [], {}
    area_files = data.get("areas") if isinstance(data.get("areas"), list) else []
    for i, name in enumerate(area_files):
        if not isinstance(name, str):
            continue
        if Path(name).is_absolute() or ".." in Path(name).parts:  # a rule file outside its folder
            errors.at(head, ("areas", i), i18n.t("inst.area_file_must_file", name=name))
            continue
        path = folder / name
        if not path.is_file():
            errors.at(head, ("areas", i), i18n.t("inst.area_file_does_exist", name=name))
            continue
        src = _read(path, errors)
        if src is None:
            continue
        schema.check(src.data, "area", (), lambda p, m, s=src: errors.at(s, p, m))
        if not isinstance(src.data, dict):
            continue
        area = {k: v for k, v in src.data.items() if k != "examples"}
        examples[area.get("code")] = src.data.get("examples", [])
        sources[("areas", len(areas))] = src
        areas.append(area)
    data["areas"] = areas
    ratl_src = _read_ratl_file(folder, data, head, errors)
    # Map merged-data paths back to the file they came from.
    def locate(path: tuple):
        if len(path) >= 2 and path[0] == "areas" and ("areas", path[1]) in sources:
            return sources[("areas", path[1])], path[2:]
        if ratl_src is not None and path[:1] == ("ratl_advice",):
            return ratl_src, ("criteria",) + path[1:]
        return head, path

    if not errors.items:
        _validate_semantics(data, examples, locate, errors)
    if errors.items:
        n = len(errors.items)
        raise ValidationError(i18n.t("inst.invalid", folder=folder, n=n, s="" if n == 1 else "s"),
                              details=errors.items)
    return Instrument(data=data, examples=examples, origin=str(folder))


RATL_FILE = "ratl.yaml"


def _read_ratl_file(folder: Path, data: dict, head: Source, errors: _Errors) -> Source | None:
    """``ratl.yaml`` beside the area files (optional): what each criterion's next level
    requires and the author's advice, merged in as ``ratl_advice`` (part of the revision)."""
    path = folder / RATL_FILE
    if not path.is_file():
        return None
    src = _read(path, errors)
    if src is None:
        return None
    schema.check(src.data, "ratl_file", (), lambda p, m: errors.at(src, p, m))
    if "ratl_advice" in data:
        errors.at(head, ("ratl_advice",), i18n.t("inst.advice_given_both_here", RATL_FILE=RATL_FILE))
    elif isinstance(src.data, dict) and isinstance(src.data.get("criteria"), dict):
        data["ratl_advice"] = src.data["criteria"]
    return src


def _validate_merged(data: Any, origin: str, errors: list[str], sources) -> None:
    """Validate instrument data already merged (areas inline), e.g. from a round."""
    errs = _Errors()
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        errors.append(f"{origin}: " + i18n.t("inst.expected_object"))
        return
    head = {k: v for k, v in data.items() if k != "areas"}
    head["areas"] = [a.get("code", "?") if isinstance(a, dict) else "?" for a in data["areas"]]
    schema.check(head, "instrument", (), lambda p, m: errs.at(None, p, m, file=origin))
    for i, area in enumerate(data["areas"]):
        schema.check(area, "area", ("areas", i), lambda p, m: errs.at(None, p, m, file=origin))
    if not errs.items:
        _validate_semantics(data, {}, lambda p: (None, p), errs, origin=origin)
    errors.extend(errs.items)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=TOLERANCE)


def _validate_semantics(data: dict, examples: dict, locate, errors: _Errors, origin: str | None = None) -> None:
    def err(path: tuple, message: str) -> None:
        src, inner = locate(path)
        errors.at(src, inner, message, file=origin)

    answer_types = data["answer_types"]
    for name, opts in answer_types.items():
        seen = set()
        for j, o in enumerate(opts):
            if o["answer"] in seen:
                err(("answer_types", name, j, "answer"), i18n.t("inst.duplicate_answer", answer=o['answer']))
            seen.add(o["answer"])
            if not 0 <= o["value"] <= 1:
                err(("answer_types", name, j, "value"), i18n.t("inst.value_must_within_got", value=o['value']))
        if not opts:
            err(("answer_types", name), i18n.t("inst.answer_type_needs_least"))
    checks.check_numeric_types(data, err)
    numeric_types = data.get("numeric_types", {})

    components = {c["id"]: c for c in data.get("components", [])}
    seen_components: set = set()
    for k, comp in enumerate(data.get("components", [])):
        if comp["id"] in seen_components:
            err(("components", k, "id"), i18n.t("inst.duplicate_component", id=comp['id']))
        seen_components.add(comp["id"])
    ids: dict[str, tuple] = {}
    criteria: dict[str, dict] = {}
    crit_path: dict[str, tuple] = {}
    order: dict[str, int] = {}

    def claim(id_: str, path: tuple, what: str) -> None:
        if id_ in ids:
            first_src, first_inner = locate(ids[id_])
            first = (f"{first_src.file}:{first_src.line(first_inner)}" if first_src is not None
                     else format_path(ids[id_]))
            err(path, i18n.t("inst.duplicate_id_first_defined", id=id_, what=what, first=first))
        else:
            ids[id_] = path

    area_total = 0.0
    comp_totals: dict[str, float] = {}
    for i, area in enumerate(data["areas"]):
        claim(area["code"], ("areas", i, "code"), i18n.t("inst.kind.area"))
        area_total += area["weight"]
        if components:
            comp = area.get("component")
            if comp not in components:
                err(("areas", i, "component"), i18n.t("inst.area_must_name_one", sorted=sorted(components), comp=comp))
            else:
                comp_totals[comp] = comp_totals.get(comp, 0.0) + area["weight"]
        elif "component" in area:
            err(("areas", i, "component"), i18n.t("inst.instrument_declares_no_components"))
        sub_total = 0.0
        for j, sub in enumerate(area["subareas"]):
            sp = ("areas", i, "subareas", j)
            claim(sub["id"], sp + ("id",), i18n.t("inst.kind.subarea"))
            sub_total += sub["weight"]
            if not sub["criteria"]:
                err(sp + ("criteria",), i18n.t("inst.sub_area_needs_least"))
            elif not any(c.get("scored", checks.item_kind(c, numeric_types) != "count") for c in sub["criteria"]):
                err(sp + ("criteria",), i18n.t("inst.sub_area_needs_least_2"))
            for k, c in enumerate(sub["criteria"]):
                cp = sp + ("criteria", k)
                claim(c["id"], cp + ("id",), i18n.t("inst.kind.criterion"))
                criteria.setdefault(c["id"], c)
                crit_path.setdefault(c["id"], cp)
                order.setdefault(c["id"], len(order))
                checks.check_item(c, cp, data, err)
        if not _close(sub_total, area["weight"]):
            err(("areas", i, "weight"),
                i18n.t("inst.sub_area_weights_area", code=area['code'], sub_total=sub_total, weight=area['weight']))
    if components:
        comp_sum = sum(c["weight"] for c in components.values())
        if not _close(comp_sum, data["pengungkit_total"]):
            err(("components",), i18n.t("inst.component_weights_add_up", comp_sum=comp_sum, pengungkit_total=data['pengungkit_total']))
        for k, comp in enumerate(data["components"]):
            got = comp_totals.get(comp["id"], 0.0)
            if not _close(got, comp["weight"]):
                err(("components", k, "weight"),
                    i18n.t("inst.areas_component_add_up", id=comp['id'], got=got, weight=comp['weight']))
    if not _close(area_total, data["pengungkit_total"]):
        err(("pengungkit_total",),
            i18n.t("inst.area_weights_add_up", area_total=area_total, pengungkit_total=data['pengungkit_total']))

    # Gating rules, then computed items' references to counts: both are prerequisites.
    deps: dict[str, set] = {cid: set() for cid in criteria}
    for i, area in enumerate(data["areas"]):
        for j, sub in enumerate(area["subareas"]):
            for g, gate in enumerate(sub.get("gating", [])):
                gp = ("areas", i, "subareas", j, "gating", g)
                _check_gate(gate, gp, criteria, answer_types, deps, err)
    checks.check_gate_targets(deps, criteria, crit_path, numeric_types, err)
    checks.check_formula_refs(criteria, crit_path, numeric_types, deps, err)
    checks.check_groups(data, err)
    _check_cycles(deps, order, lambda cid, m: err(crit_path[cid] + ("id",), m))

    # Hasil.
    hasil = data["hasil"]
    comp_sum = 0.0
    for i, comp in enumerate(hasil["components"]):
        hp = ("hasil", "components", i)
        claim(comp["id"], hp + ("id",), i18n.t("inst.kind.hasil_component"))
        comp_sum += comp["weight"]
        part_sum = 0.0
        for j, part in enumerate(comp["parts"]):
            pp = hp + ("parts", j)
            claim(part["id"], pp + ("id",), i18n.t("inst.kind.hasil_part"))
            part_sum += part["weight"]
            if part["kind"] == "scale":
                if "min" not in part or "max" not in part:
                    err(pp, i18n.t("inst.scale_part_needs_min"))
                elif part["max"] <= part["min"]:
                    err(pp + ("max",), i18n.t("inst.max_must_greater_than", max=part['max'], min=part['min']))
            else:
                cats = part.get("categories") or []
                if not cats:
                    err(pp, i18n.t("inst.category_part_needs_categories"))
                if "max_points" not in part:
                    err(pp, i18n.t("inst.category_part_needs_max_points"))
                codes = [c["code"] for c in cats]
                if len(set(codes)) != len(codes):
                    err(pp + ("categories",), i18n.t("inst.duplicate_category_codes"))
                for k, cat in enumerate(cats):
                    if "max_points" in part and not 0 <= cat["points"] <= part["max_points"]:
                        err(pp + ("categories", k, "points"), i18n.t("inst.points_must_within", max_points=part['max_points']))
        if not _close(part_sum, comp["weight"]):
            err(hp + ("weight",), i18n.t("inst.parts_hasil_component_add", id=comp['id'], part_sum=part_sum, weight=comp['weight']))
    if not _close(comp_sum, hasil["total"]):
        err(("hasil", "total"), i18n.t("inst.hasil_components_add_up", comp_sum=comp_sum, total=hasil['total']))
    points_model = "scoring" in data  # lines' points summed per component: pmprb.engine.points_checks
    if not points_model and not _close(data["pengungkit_total"] + hasil["total"], 100):
        err(("hasil", "total"), i18n.t("inst.pengungkit_total_hasil_total_must", value=data['pengungkit_total'] + hasil['total']))

    if "grade_bands" in data:
        _check_bands(data["grade_bands"], err, top=data["pengungkit_total"] if points_model else 100)
    checks.check_predicates(data, err)
    checks.check_decisions(data, err)
    points_checks.check(data, err)
    inst_view = points_checks.view(data) if points_model else None
    evidence_requirements.check(data, examples, err)
    ratl_advice.check_advice(data, criteria, err)

    for code, exs in examples.items():
        idx = next((i for i, a in enumerate(data["areas"]) if a["code"] == code), None)
        for e, ex in enumerate(exs or []):
            ep = ("areas", idx, "examples", e)
            for key in ("answers", "evidence", "counts", "expect"):  # citations: evidence_requirements.check
                for cid in ex.get(key, {}) or {}:
                    if cid not in criteria:
                        err(ep + (key, cid), i18n.t("inst.ref_unknown_criterion", cid=cid))
            checks.check_example_inputs(ex, ep, criteria, data, err)
            points_checks.check_example(ex, ep, data, err, inst_view)


def _check_gate(gate, gp, criteria, answer_types, deps, err) -> None:
    kind = gate["kind"]

    def known(cid, path) -> bool:
        if cid not in criteria:
            err(path, i18n.t("inst.gating_rule_points_unknown", cid=cid))
            return False
        return True

    if kind in ("zero_if_answer", "zero_if_value_zero"):
        when = gate.get("when")
        targets = gate.get("then_zero")
        if when is None or not targets:
            err(gp, i18n.t("inst.needs_when_then_zero", kind=kind))
            return
        if "criteria" in gate:
            err(gp + ("criteria",), i18n.t("inst.takes_when_then_zero_criteria", kind=kind))
        pre = when["criterion"]
        ok = known(pre, gp + ("when", "criterion"))
        if kind == "zero_if_answer":
            if not when.get("answer_in"):
                err(gp + ("when",), i18n.t("inst.zero_if_answer_needs_answer_in"))
            elif ok:
                allowed = {o["answer"] for o in answer_types.get(criteria[pre]["answer_type"], [])}
                for k, a in enumerate(when["answer_in"]):
                    if a not in allowed:
                        err(gp + ("when", "answer_in", k), i18n.t("inst.answer", a=a, pre=pre, answer_type=criteria[pre]['answer_type']))
        elif "answer_in" in when:
            err(gp + ("when", "answer_in"), i18n.t("inst.zero_if_value_zero_takes_no_answer_in"))
        for k, t in enumerate(targets):
            if known(t, gp + ("then_zero", k)) and ok:
                deps[t].add(pre)
    else:
        chain = gate.get("criteria")
        if not chain or len(chain) < 2 and kind == "zero_chain":
            err(gp, i18n.t("inst.needs_criteria_least", kind=kind, n=2 if kind == 'zero_chain' else 1))
            return
        if "when" in gate or "then_zero" in gate:
            err(gp, i18n.t("inst.takes_criteria_when_then_zero", kind=kind))
        oks = [known(cid, gp + ("criteria", k)) for k, cid in enumerate(chain)]
        if not all(oks):
            return
        if kind == "zero_chain":
            for prev, cur in zip(chain, chain[1:]):
                deps[cur].add(prev)
        else:
            # multiply_by_previous: each item times the item just before it in its sub-area list.
            for cid in chain:
                prev = _previous_in_subarea(criteria, cid)
                if prev is None:
                    err(gp + ("criteria",), i18n.t("inst.has_no_item_before", cid=cid))
                else:
                    deps[cid].add(prev)


def _previous_in_subarea(criteria: dict, cid: str) -> str | None:
    ids = list(criteria)
    i = ids.index(cid)
    if i == 0:
        return None
    prev = ids[i - 1]
    return prev if prev.rsplit(".", 1)[0] == cid.rsplit(".", 1)[0] else None


def _check_cycles(deps: dict, order: dict, err) -> None:
    state: dict[str, int] = {}

    def visit(n, stack):
        state[n] = 1
        for d in sorted(deps.get(n, ()), key=order.get):
            if state.get(d) == 1:
                err(n, i18n.t("inst.gating_rules_form_cycle", items=' -> '.join(stack + [n, d])))
            elif d in deps and state.get(d) is None:
                visit(d, stack + [n])
        state[n] = 2

    for n in sorted(deps, key=order.get):
        if state.get(n) is None:
            visit(n, [])


def _check_bands(bands: list, err, top: float = 100) -> None:
    spans = sorted((b["above"], b["upto"], i) for i, b in enumerate(bands))
    if not spans:
        err(("grade_bands",), i18n.t("inst.least_one_grade_band"))
        return
    if spans[0][0] != 0 or spans[-1][1] != top:
        err(("grade_bands",), i18n.t("inst.grade_bands_must_cover", top=top))
    for (a1, u1, i1), (a2, u2, i2) in zip(spans, spans[1:]):
        if not _close(u1, a2):
            err(("grade_bands", i2), i18n.t("inst.grade_band_starts_but", a2=a2, u1=u1))
    for a, u, i in spans:
        if u <= a:
            err(("grade_bands", i), i18n.t("inst.upto_must_above_above", u=u, a=a))
