#!/usr/bin/env python3
"""Engine benchmark: the durable_rules evaluator against its like-for-like baselines.

N complete pmprb-2014 worksheets (every criterion answered at random,
evidence counts 0-3; ``--seed``) go, in every run and interleaved so all
three see the same machine load, through:

- **durable**: ``Evaluator(inst, "durable").evaluate`` and the decision
  records it yields (input, result and trace encoded canonically, as
  ``record_decisions`` stores them; no database);
- **plain**: the same with the plain-Python evaluator of the same compiled
  rules. Before timing, both engines' records are checked byte-equal on every
  worksheet (the engine label aside), so the baseline does the same work;
- **raw durable_rules**: the fact batches the durable evaluator asserted
  (captured from it, one batch per prerequisite level per worksheet) asserted
  again through durable_rules' own API on a host of the same ruleset
  definition with stock action dispatch (each action records the rule
  name), one session per batch, deleted after. Nothing of pmprb runs.

Reported per engine: decisions per wall second and per CPU second (median,
min and max of ``--runs`` >= 5 runs), the adapter ratio (durable evaluator
rate / raw durable_rules rate, per run, then median/min/max; target
>= 0.85), durable / plain, the load average at start and end, RSS.

    python bench/bench_engine.py [--worksheets 500] [--runs 5] [--seed 1] [--json FILE]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import json
import random
import sys

import measure
from pmprb.canonical import canonical_json
from pmprb.engine import evaluator as ev_mod
from pmprb.engine.compiler import SINK, durable_definition
from pmprb.engine.evaluator import DURABLE_VERSION, Evaluator, durable_available
from pmprb.engine.instrument import Instrument, load_instrument

TARGET_ADAPTER_RATIO = 0.85


def worksheets(inst: Instrument, n: int, seed: int) -> list[tuple[dict, dict]]:
    rng = random.Random(seed)
    return [({cid: rng.choice(list(c.values)) for cid, c in inst.criteria.items()},
             {cid: rng.randint(0, 3) for cid in inst.criteria}) for _ in range(n)]


def records(evaluation) -> list[tuple[str, str, str, str]]:
    """What a decision record stores of each decision (the columns replay reads)."""
    return [(cid, canonical_json(d.input), canonical_json(d.result.record()), canonical_json(d.trace))
            for cid, d in evaluation.decisions.items()]


def capture_batches(inst: Instrument, sheets) -> tuple[dict, list[list[dict]]]:
    """The fact batches the durable evaluator asserts, and the compiled ruleset they go to."""
    batches: list[list[dict]] = []
    original = ev_mod.DurableMatcher.fire
    seen = {}

    def fire(self, facts):
        seen.setdefault("compiled", self._compiled)
        if self._compiled is not seen["compiled"]:
            raise SystemExit("the worksheets used two rulesets; the capture assumes one")
        batches.append([dict(f) for f in facts])
        return original(self, facts)

    ev_mod.DurableMatcher.fire = fire
    try:
        ev = Evaluator(inst, "durable")
        for answers, evidence in sheets:
            ev.evaluate(answers, evidence)
        ev.close()
    finally:
        ev_mod.DurableMatcher.fire = original
    return seen["compiled"], batches


class RawDurable:
    """durable_rules through its own API: a host of the same definition, stock dispatch."""

    def __init__(self, compiled: dict):
        import durable.engine as de

        sink = self.fired = []

        class Host(de.Host):
            def _run(self):   # no background timer threads (the evaluator's host has none either)
                pass

            def get_action(self, action_name):
                def action(c):
                    sink.append((c.m["c"], action_name))
                return action

        self.name = compiled["name"]
        self.host = Host()
        self.host.set_rulesets(copy.deepcopy(durable_definition(compiled)))
        self.sid = 0

    def run(self, batches: list[list[dict]]) -> int:
        fired = 0
        for facts in batches:
            self.sid += 1
            sid = str(self.sid)
            self.fired.clear()
            self.host.assert_facts(self.name, [dict(f, sid=sid) for f in facts])
            state = self.host.get_state(self.name, sid)
            if state and "exception" in state:
                raise SystemExit(f"raw durable_rules failed: {state['exception']}")
            self.host.delete_state(self.name, sid)
            fired += sum(1 for _c, name in self.fired if name != SINK)
        return fired


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--worksheets", type=int, default=500, help="full worksheets per run (default 500)")
    ap.add_argument("--runs", type=int, default=measure.MIN_RUNS, help="runs per engine (>= 5; default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--instrument", default="pmprb-2014")
    ap.add_argument("--json", default=None, help="also write the figures as JSON to this file")
    args = ap.parse_args(argv)
    measure.check_runs(args.runs)
    if not durable_available():
        print("durable_rules does not import on this Python; nothing to benchmark", file=sys.stderr)
        return 2
    load_start = measure.load()
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    inst = load_instrument(args.instrument)
    sheets = worksheets(inst, args.worksheets, args.seed)
    decisions = args.worksheets * len(inst.criteria)

    durable, plain = Evaluator(inst, "durable"), Evaluator(inst, "plain")
    rss_start = measure.peak_rss_mb()
    # Same records from both engines, on every worksheet (the label aside).
    for answers, evidence in sheets:
        if records(durable.evaluate(answers, evidence)) != records(plain.evaluate(answers, evidence)):
            raise SystemExit("durable and plain evaluators disagree: the baseline would not do the same work")
    compiled, batches = capture_batches(inst, sheets)
    raw = RawDurable(compiled)
    fired = raw.run(batches)   # warm-up, and the check that raw fires what the evaluator traced
    traced = sum(len(d.trace) for a, e in sheets for d in durable.evaluate(a, e).decisions.values())
    if fired != traced:
        raise SystemExit(f"raw durable_rules fired {fired} rules, the evaluator traced {traced}")

    def run_evaluator(ev):
        def go():
            for answers, evidence in sheets:
                records(ev.evaluate(answers, evidence))
        return go

    def run_raw():
        raw.run(batches)

    def run_matcher():
        # The C engine through the evaluator's own matcher (its action dispatch), nothing else.
        m = ev_mod.DurableMatcher(compiled)
        for facts in batches:
            m.fire(facts)
        m.close()

    runs = {"durable": [], "plain": [], "raw_durable_rules": [], "durable_matcher_only": []}
    fns = {"durable": run_evaluator(durable), "plain": run_evaluator(plain), "raw_durable_rules": run_raw,
           "durable_matcher_only": run_matcher}
    for _ in range(args.runs):
        for name, fn in fns.items():
            gc.collect()
            with measure.timed() as r:
                fn()
            runs[name].append(r)
    durable.close()
    plain.close()
    load_end = measure.load()

    per = {k: measure.summary(v, decisions) for k, v in runs.items()}

    def ratio(a: str, b: str, key: str) -> dict:
        get = (lambda r: r.wall) if key == "wall" else (lambda r: r.cpu)
        return measure.spread((get(rb) / get(ra) for ra, rb in zip(runs[a], runs[b])), 3)

    result = {
        "benchmark": "engine/2", "started_at": started, "machine": measure.machine(),
        "durable_rules": DURABLE_VERSION, "instrument": f"{inst.id}@{inst.revision[:12]}",
        "worksheets": args.worksheets, "criteria": len(inst.criteria), "decisions_per_run": decisions,
        "fact_batches_per_run": len(batches), "rules_fired_per_raw_run": fired, "runs": args.runs,
        "load_average_start": load_start, "load_average_end": load_end,
        "engines": per,
        # rate(durable evaluator) / rate(raw) = time(raw) / time(durable evaluator)
        "adapter_ratio_cpu": ratio("durable", "raw_durable_rules", "cpu"),
        "adapter_ratio_wall": ratio("durable", "raw_durable_rules", "wall"),
        "adapter_ratio_vs_matcher_only_cpu": ratio("durable", "durable_matcher_only", "cpu"),
        "durable_vs_plain_cpu": ratio("durable", "plain", "cpu"),
        "peak_rss_mb": {"after_setup": round(rss_start, 1), "end": round(measure.peak_rss_mb(), 1)},
    }
    result["targets"] = {"adapter_ratio_cpu": {"target": TARGET_ADAPTER_RATIO,
                                               "median": result["adapter_ratio_cpu"]["median"],
                                               "met": result["adapter_ratio_cpu"]["median"] >= TARGET_ADAPTER_RATIO}}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    m = result["machine"]
    print(f"{started}  nproc {m['nproc']}  {m['cpu']}  Python {m['python']}  durable_rules {DURABLE_VERSION}")
    print(f"load average at start {load_start}, at end {load_end}")
    print(f"{args.worksheets} worksheets x {len(inst.criteria)} criteria = {decisions:,} decisions per run, "
          f"{len(batches):,} fact batches; median (min–max) of {args.runs} runs")
    print(f"  {'':22}  {'decisions per CPU-s':>30}  {'decisions per wall-s':>30}")
    for key, label in (("durable", "durable evaluator"), ("plain", "plain evaluator"),
                       ("raw_durable_rules", "raw durable_rules"), ("durable_matcher_only", "matcher only")):
        print(f"  {label:22}  {measure.fmt(per[key]['per_cpu_s']):>30}  {measure.fmt(per[key]['per_wall_s']):>30}")
    print(f"  adapter ratio (durable evaluator / raw durable_rules), CPU: "
          f"{measure.fmt(result['adapter_ratio_cpu'], digits=3)}; wall: "
          f"{measure.fmt(result['adapter_ratio_wall'], digits=3)}  (target >= {TARGET_ADAPTER_RATIO})")
    print(f"  durable evaluator / matcher only, CPU: {measure.fmt(result['adapter_ratio_vs_matcher_only_cpu'], digits=3)}")
    print(f"  durable / plain, CPU: {measure.fmt(result['durable_vs_plain_cpu'], digits=3)}")
    print(f"  peak RSS {result['peak_rss_mb']['end']} MB; target adapter ratio: "
          f"{'met' if result['targets']['adapter_ratio_cpu']['met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
