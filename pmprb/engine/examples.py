"""Worked examples: each area file's ``examples`` run as tests of its rules.

An example gives answers (criteria not listed are unanswered), counts for
count items, evidence counts (default 0) and the expected
``value``/``raw_value``/``count``/``flags`` of some criteria. Every example runs through each available engine; the engines
must also agree on every decision (result and trace), so one checks the
other. Messages are in English like the instrument loader's.
"""

from __future__ import annotations

from pmprb import i18n

import math
from dataclasses import dataclass

from pmprb.engine.evaluator import ENGINES, Evaluation, Evaluator, durable_available
from pmprb.engine.instrument import Instrument

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Example:
    area: str
    index: int
    data: dict

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def label(self) -> str:
        return f"{self.area}.examples[{self.index}] {self.name!r}"


def examples_of(inst: Instrument) -> list[Example]:
    return [Example(area, i, ex) for area, exs in inst.examples.items() for i, ex in enumerate(exs or [])]


def available_engines() -> tuple[str, ...]:
    return ENGINES if durable_available() else tuple(e for e in ENGINES if e != "durable")


def run(evaluator: Evaluator, ex: Example) -> Evaluation:
    return evaluator.evaluate(ex.data.get("answers", {}), ex.data.get("evidence", {}), ex.data.get("counts"),
                              documents=ex.data.get("citations"), period=ex.data.get("period"))


def mismatches(ex: Example, ev: Evaluation) -> list[str]:
    """What differs from the example's expectations (empty when it passes)."""
    out = []
    for cid, want in ex.data["expect"].items():
        got = ev.decisions[cid].result
        for key in ("value", "raw_value", "count"):  # count: count inputs and computed sums
            have = getattr(got, key)
            if key in want and (have is None or not math.isclose(have, want[key], rel_tol=0, abs_tol=TOLERANCE)):
                what = i18n.t(f"examples.what.{key}")
                out.append(f"{ex.label} ({ev.engine}): " + i18n.t("examples.value_differs", cid=cid, what=what,
                                                                  want=f"{want[key]:g}", got=have))
        if "flags" in want and list(got.flags) != want["flags"]:
            out.append(f"{ex.label} ({ev.engine}): " + i18n.t("examples.flags_differ", cid=cid, want=want["flags"],
                                                              got=list(got.flags)))
    return out


def comparable(ev: Evaluation) -> dict:
    """A decision without the engine name: what two engines must agree on."""
    return {cid: (d.input, d.result, d.trace) for cid, d in ev.decisions.items()}


def check_examples(inst: Instrument, engines: tuple[str, ...] | None = None) -> list[str]:
    """Run every example through every engine; return all failures (empty = all pass)."""
    engines = engines or available_engines()
    evaluators = [Evaluator(inst, e) for e in engines]
    failures = []
    try:
        for ex in examples_of(inst):
            results = [run(ev, ex) for ev in evaluators]
            for res in results:
                failures.extend(mismatches(ex, res))
            first = comparable(results[0])
            for res in results[1:]:
                other = comparable(res)
                diff = [cid for cid in first if first[cid] != other[cid]]
                if diff:
                    failures.append(f"{ex.label}: {results[0].engine} and {res.engine} disagree on {', '.join(diff)}")
    finally:
        for ev in evaluators:
            ev.close()
    return failures
