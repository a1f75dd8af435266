"""Expand the bundled demo plan into concrete worksheets and evidence files.

The plan (``kota-tirta-asri.yaml``) names the people, units, planted
disagreements and defects; everything else (the agreed answer for each
criterion) is drawn from a seeded generator, so the demo is the same on
every run and every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pmprb.engine.instrument import Instrument, load_instrument

PLAN_FILE = Path(__file__).with_name("kota-tirta-asri.yaml")

# How likely each option is, best first: a city that is doing fairly well.
OPTION_WEIGHTS = [0.45, 0.33, 0.15, 0.05, 0.02]


@dataclass
class Document:
    unit: str
    subarea: str
    criteria: list[str]
    number: str
    title: str
    date: str
    filename: str
    content: str


@dataclass
class Scenario:
    plan: dict
    instrument: Instrument
    agreed: dict[str, str]                                   # criterion -> agreed answer
    worksheets: dict[tuple[str, str], dict[str, str]]        # (assessor, unit) -> answers
    notes: dict[tuple[str, str], dict[str, str]]             # (assessor, unit) -> notes
    documents: list[Document] = field(default_factory=list)

    @property
    def assessors(self) -> list[str]:
        return [p["username"] for p in self.plan["people"] if "asesor" in p["roles"]]

    def role(self, role: str) -> str:
        return next(p["username"] for p in self.plan["people"] if role in p["roles"])

    def unit_of_area(self, area: str) -> str:
        return next(u["code"] for u in self.plan["units"] if area in u["areas"])


def load_plan() -> dict:
    return yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))


def build(plan: dict | None = None) -> Scenario:
    plan = plan or load_plan()
    inst = load_instrument(plan["round"]["instrument"])
    rng = random.Random(plan["seed"])
    agreed: dict[str, str] = {}
    for cid, c in inst.criteria.items():
        answers = [a for a, _ in c.options] or list(c.values)
        weights = OPTION_WEIGHTS[: len(answers)]
        agreed[cid] = rng.choices(answers, weights=weights)[0]
    agreed.update(plan.get("agreed_overrides", {}))

    differs = {(d["criterion"], d["assessor"]): d["answer"] for d in plan["disagreements"]}
    for (cid, _), answer in list(differs.items()) + [((c, None), a) for c, a in agreed.items()]:
        c = inst.criterion(cid)
        if c.values and answer not in c.values:
            raise ValueError(f"demo plan: {answer!r} is not an answer of {cid} ({', '.join(c.values)})")
    sc = Scenario(plan=plan, instrument=inst, agreed=agreed, worksheets={}, notes={})
    for assessor in sc.assessors:
        for unit in plan["units"]:
            answers, notes = {}, {}
            for cid, c in inst.criteria.items():
                if c.area not in unit["areas"]:
                    continue
                answers[cid] = differs.get((cid, assessor), agreed[cid])
                notes[cid] = _note(inst, cid, answers[cid])
            sc.worksheets[(assessor, unit["code"])] = answers
            sc.notes[(assessor, unit["code"])] = notes

    missing = set(plan.get("without_evidence", []))
    year = plan["round"]["year"]
    for area in inst.areas:
        unit = sc.unit_of_area(area["code"])
        for k, sub in enumerate(area["subareas"]):
            covered = [c["id"] for c in sub["criteria"]
                       if c["id"] not in missing and agreed[c["id"]] != inst.criteria[c["id"]].worst]
            if not covered:
                continue
            month = 1 + (k % 4)
            number = f"{100 + len(sc.documents)}/{sub['id']}/{year}"
            title = f"Dokumen pendukung {sub['name']}"
            content = (f"{plan['institution']['name']}\n{title}\nNomor {number}\n"
                       f"Mendukung kriteria: {', '.join(covered)}\n")
            sc.documents.append(Document(unit=unit, subarea=sub["id"], criteria=covered, number=number, title=title,
                                         date=f"{year}-{month:02d}-15", filename=f"{sub['id'].lower()}.txt",
                                         content=content))
    return sc


def _note(inst: Instrument, cid: str, answer: str) -> str:
    c = inst.criteria[cid]
    text = dict(c.options).get(answer) or answer
    return f"Sintesis: {text}"[:200]
