"""`pmprb rules`: list, show and validate instruments (the rules as data)."""

from __future__ import annotations

from collections import Counter

import click

from pmprb import i18n
from pmprb.engine import examples as examples_mod
from pmprb.engine.compiler import compile_instrument
from pmprb.engine.instrument import Instrument, bundled_ids, load_instrument
from pmprb.errors import PmprbError, ValidationError
from pmprb.commands._common import echo_json, info, json_option
from pmprb.engine import points


def _echo_overview(s: dict, title: str, head: list[tuple[str, str]], en: bool) -> None:
    """An instrument's title, its key facts and its table of areas (``rules show``)."""
    click.echo(f"{s['id']}: {title}")
    width = max(len(k) for k, _ in head)
    for k, v in head:
        click.echo(f"  {k.ljust(width)}  {v}")
    click.echo("")
    rows = [[i18n.t("rules.col.code"), i18n.t("rules.col.area"), i18n.t("rules.col.weight"),
             i18n.t("rules.col.subareas"), i18n.t("rules.col.criteria")]]
    for a in s["areas"]:
        rows.append([a["code"], a["name_en"] if en else a["name"], _num(a["weight"]), str(a["subareas"]),
                     str(a["criteria"])])
    for line in _table(rows, right={2, 3, 4}):
        click.echo(line)

def summary(inst: Instrument) -> dict:
    """Everything `rules show` prints, as data."""
    compiled = compile_instrument(inst)
    areas = []
    for a in inst.areas:
        areas.append({
            "code": a["code"], "name": a["name"], "name_en": a.get("name_en", a["name"]), "weight": a["weight"],
            "subareas": len(a["subareas"]), "criteria": sum(len(s["criteria"]) for s in a["subareas"]),
        })
    gating = [g for a in inst.areas for s in a["subareas"] for g in s.get("gating", [])]
    parts = inst.hasil_parts()
    return {
        "id": inst.id, "title": inst.title, "title_en": inst.data.get("title_en"), "version": inst.version,
        "legal_basis": inst.data["legal_basis"], "revision": inst.revision,
        "pengungkit_total": inst.data["pengungkit_total"], "hasil_total": inst.data["hasil"]["total"],
        "areas": areas,
        "counts": {"areas": len(areas), "subareas": sum(a["subareas"] for a in areas),
                   "criteria": len(inst.criteria), "hasil_parts": len(parts)},
        "hasil_parts": [{"id": p["id"], "name": p["name"], "weight": p["weight"], "kind": p["kind"]} for p in parts],
        "answer_types": dict(sorted(Counter(c.answer_type for c in inst.criteria.values()).items())),
        "answer_values": {t: {o["answer"]: o["value"] for o in opts} for t, opts in inst.data["answer_types"].items()},
        "gating_rules": len(gating),
        "gating_kinds": dict(sorted(Counter(g["kind"] for g in gating).items())),
        "compiled_rules": len(compiled["rules"]),
        "examples": sum(len(v or []) for v in inst.examples.values()),
        "grade_bands": [{"grade": b["grade"], "above": b["above"], "upto": b["upto"], "label": b["label"]}
                        for b in inst.data.get("grade_bands", [])],
        "components": [{k: c.get(k) for k in ("id", "name", "name_en", "weight")} for c in inst.components],
        "predicates": [{"id": p["id"], "name": p["name"], "name_en": p.get("name_en", p["name"]),
                        "confirmed": p["confirmed"], "note": p.get("note"),
                        "thresholds": [{k: t[k] for k in ("id", "name", "name_en", "measure", "target", "min") if k in t}
                                       for t in p["thresholds"]]} for p in inst.predicates],
        "decisions": list(inst.decisions),
        "criteria": criteria_rows(inst),
        "scoring": inst.data.get("scoring"),
        "themes": [{k: t.get(k) for k in ("id", "name", "name_en")} for t in inst.data.get("themes", [])],
    }


def criteria_rows(inst: Instrument) -> list[dict]:
    """Every criterion with its place, type and, for points lines, source id, weight, range and multiplier."""
    rows = []
    for cid, c in inst.criteria.items():
        row = {"id": cid, "text": c.text, "area": c.area, "subarea": c.subarea, "answer_type": c.answer_type,
               "kind": c.kind, "scored": c.scored}
        for key in ("source_id", "weight", "range", "multiplier", "theme", "evaluator"):
            row[key] = c.data.get(key)
        if c.kind in points.KINDS:
            row["max_points"] = points.max_points(inst, cid)
            if c.kind == "category":
                row["categories"] = [{"code": cat["code"], "label": cat["label"], "points": cat.get("points")}
                                     for cat in points.categories(inst, c.data)]
        rows.append(row)
    return rows


def _num(x) -> str:
    return f"{x:g}"


def _band(b: dict) -> str:
    # Lower bounds are exclusive except the lowest band, which includes 0.
    low = _num(b["above"]) if b["above"] == 0 else ">" + _num(b["above"])
    return f"{b['grade']} {low}-{_num(b['upto'])}"


def _table(rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append("  ".join(cells).rstrip())
    return out


def _show_extras(s: dict, en: bool) -> None:
    """Components, predicates and the documented decisions (instruments that declare them)."""
    if s["components"]:
        click.echo("")
        click.echo(i18n.t("rules.components") + ": " + ", ".join(
            f"{c['id']} {(c['name_en'] or c['name']) if en else c['name']} {_num(c['weight'])}" for c in s["components"]))
    for p in s["predicates"]:
        click.echo("")
        flag = "" if p["confirmed"] else f" [{i18n.t('rules.unconfirmed')}]"
        click.echo(f"{i18n.t('rules.predicates')} {p['id']}: {p['name_en'] if en else p['name']}{flag}")
        for t in p["thresholds"]:
            target = f" {t['target']}" if t.get("target") else ""
            click.echo(f"  - {t.get('name_en', t['name']) if en else t['name']}: {t['measure']}{target} >= {_num(t['min'])}")
        if p.get("note"):
            click.echo(f"  {p['note']}")
    if s["decisions"]:
        click.echo("")
        click.echo(i18n.t("rules.decisions") + ":")
        for d in s["decisions"]:
            decision = d.get("decision_en", d["decision"]) if en else d["decision"]
            reason = d.get("reason_en", d["reason"]) if en else d["reason"]
            click.echo(f"  [{d['gap']}] {decision}")
            click.echo(f"      {i18n.t('rules.reason')}: {reason}")


def _show_points(s: dict, en: bool) -> None:
    """`rules show` of an instrument scored in points lines: components, scoring, areas and every line."""
    title = (s["title_en"] or s["title"]) if en else s["title"]
    c = s["counts"]
    sc = s["scoring"]
    comps = {x["id"]: x for x in s["components"]}
    head = [
        (i18n.t("rules.version"), s["version"]),
        (i18n.t("rules.legal_basis"), s["legal_basis"]),
        (i18n.t("rules.revision"), s["revision"]),
        (i18n.t("rules.points_total"), i18n.t("rules.points_detail", weight=_num(s["pengungkit_total"]),
                                              areas=c["areas"], subareas=c["subareas"], criteria=c["criteria"])),
        (i18n.t("rules.points_method"), i18n.t("rules.points_method_text", places=sc.get("places", 2))),
    ]
    if sc.get("rescale"):
        comp = comps[sc["rescale"]["component"]]
        na = sc.get("not_applicable", {}).get("answer", "-")
        head.append(("", i18n.t("rules.points_rescale", component=(comp["name_en"] or comp["name"]) if en
                                else comp["name"], weight=_num(comp["weight"]), na=na)))
    head += [
        (i18n.t("rules.compiled"), str(s["compiled_rules"])),
        (i18n.t("rules.examples"), str(s["examples"])),
        (i18n.t("rules.grades"), ", ".join(_band(b) for b in s["grade_bands"]) or "-"),
    ]
    _echo_overview(s, title, head, en)
    click.echo("")
    rows = [[i18n.t("rules.col.line"), i18n.t("rules.col.source"), i18n.t("rules.col.weight"),
             i18n.t("rules.col.range"), i18n.t("rules.col.multiplier"), i18n.t("rules.col.theme")]]
    for r in s["criteria"]:
        rng = "-" if r["range"] is None else f"{_num(r['range'][0])}..{_num(r['range'][1])}"
        if r["kind"] == "category":
            rng = ", ".join(f"{x['code']} {'?' if x['points'] is None else _num(x['points'])}" for x in r["categories"])
        rows.append([r["id"], r["source_id"] or "-", "-" if r["weight"] is None else _num(r["weight"]), rng,
                     r["multiplier"] or "-", r["theme"] or "-"])
    for line in _table(rows, right={2}):
        click.echo(line)
    if s["themes"]:
        click.echo("")
        click.echo(i18n.t("rules.themes") + ": " + ", ".join(
            f"{t['id']} {(t['name_en'] or t['name']) if en else t['name']}" for t in s["themes"]))
    _show_extras(s, en)


def register(main: click.Group) -> None:
    @main.group("rules")
    def rules() -> None:
        """Instruments: the PMPRB criteria, weights and gating rules as versioned data."""

    @rules.command("list")
    @json_option
    def list_(as_json: bool) -> None:
        """List the bundled instruments with their revisions."""
        items = []
        for ref in bundled_ids():
            try:
                s = summary(load_instrument(ref))
                items.append({k: s[k] for k in ("id", "title", "version", "legal_basis", "revision", "counts")})
            except PmprbError as exc:  # one broken folder must not hide the others
                items.append({"id": ref, "error": exc.message})
        if as_json:
            echo_json(items)
            return
        rows = [[i18n.t("rules.col.id"), i18n.t("rules.col.version"), i18n.t("rules.col.revision"),
                 i18n.t("rules.col.criteria"), i18n.t("rules.col.title")]]
        for it in items:
            if "error" in it:
                rows.append([it["id"], "-", "-", "-", i18n.t("rules.invalid_bundled", error=it["error"])])
            else:
                rows.append([it["id"], it["version"], it["revision"][:12], str(it["counts"]["criteria"]), it["title"]])
        for line in _table(rows, right={3}):
            click.echo(line)

    @rules.command("show")
    @click.argument("instrument")
    @json_option
    def show(instrument: str, as_json: bool) -> None:
        """Show an instrument (bundled id or folder): areas, weights, counts, revision."""
        s = summary(load_instrument(instrument))
        if as_json:
            echo_json(s)
            return
        en = i18n.get_lang() == "en"
        if s["scoring"] and s["scoring"].get("method") == "points":
            _show_points(s, en)
            return
        title = (s["title_en"] or s["title"]) if en else s["title"]
        c = s["counts"]
        head = [
            (i18n.t("rules.version"), s["version"]),
            (i18n.t("rules.legal_basis"), s["legal_basis"]),
            (i18n.t("rules.revision"), s["revision"]),
            (i18n.t("rules.pengungkit"), i18n.t("rules.pengungkit_detail", weight=_num(s["pengungkit_total"]),
                                                areas=c["areas"], subareas=c["subareas"], criteria=c["criteria"])),
            (i18n.t("rules.hasil"), i18n.t("rules.hasil_detail", weight=_num(s["hasil_total"]), parts=c["hasil_parts"],
                                           ids=", ".join(p["id"] for p in s["hasil_parts"]))),
            (i18n.t("rules.answer_types"), ", ".join(f"{k} {v}" for k, v in s["answer_types"].items())),
            (i18n.t("rules.answer_values"), "; ".join(
                f"{t}: " + ", ".join(f"{a} {_num(v)}" for a, v in vals.items())
                for t, vals in s["answer_values"].items())),
            (i18n.t("rules.gating"), str(s["gating_rules"]) + (" (" + ", ".join(
                f"{k} {v}" for k, v in s["gating_kinds"].items()) + ")" if s["gating_kinds"] else "")),
            (i18n.t("rules.compiled"), str(s["compiled_rules"])),
            (i18n.t("rules.examples"), str(s["examples"])),
            (i18n.t("rules.grades"), ", ".join(_band(b) for b in s["grade_bands"]) or "-"),
        ]
        _echo_overview(s, title, head, en)
        _show_extras(s, en)

    @rules.command("validate")
    @click.argument("path")
    def validate(path: str) -> None:
        """Validate an instrument folder and run its worked examples; exit 1 listing every error."""
        inst = load_instrument(path)  # raises ValidationError listing every problem
        engines = examples_mod.available_engines()
        failures = examples_mod.check_examples(inst, engines)
        if failures:
            raise ValidationError(i18n.t("rules.examples_failed", origin=inst.origin, n=len(failures)),
                                  details=failures)
        n = len(examples_mod.examples_of(inst))
        click.echo(i18n.t("rules.ok", id=inst.id, revision=inst.revision, criteria=len(inst.criteria),
                          examples=n, engines=" + ".join(engines)))
        if n == 0:
            info(i18n.t("rules.no_examples"))
