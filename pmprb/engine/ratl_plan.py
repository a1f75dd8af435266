"""The RATL as a plan: which actions raise the Indeks RB, by how much, and the
fewest that reach the next grade.

Pure: given the instrument, the institution's final answers (and evidence
counts) and the Hasil inputs, every figure is found by deciding the answers
again with the rules engine and scoring the result — never by a formula of
our own — so gating, multiplied items and computed items count exactly as
they do in the final result.

- An **action** is a scored criterion whose own value (``raw_value``, before
  gating) is below its best: the action gives it the best answer (or, for a
  computed item, the counts that make its formula best) with the evidence it
  needs. Its **gain** is the Indeks increase if that action alone is done,
  with everything the rules then unlock: criteria gated by it count with
  their own answers (fixing PP.1.a = Tidak lifts PP.1.b–e to the values of
  their answers).
- A criterion whose own answer is already best but whose value is limited
  by a gate is **not an action** of its own: it is listed in ``unlocks`` of
  the action(s) its gating chain leads to (the rules' ``gated_by`` flags),
  and in :attr:`Plan.gated`.
- **Rank**: gain, largest first; ties in instrument order.
- :meth:`Plan.path` finds the fewest actions that lift the Indeks into the
  next grade band (or a target grade or Indeks). A criterion's value only
  depends on its own answer and its prerequisites', and the Indeks is a
  weighted sum of values, so criteria linked by gating or shared counts
  form independent *clusters* whose gains add up. Each cluster's best gain
  for 0..m of its actions is found by trying every subset (clusters are a
  handful of criteria; above :data:`MAX_EXACT` actions a greedy search is
  used and the path says it is not proven minimal), the clusters are
  combined by a knapsack over the number of actions, and the chosen set is
  checked by one full evaluation and score.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from pmprb import i18n
from pmprb.engine import points, scoring
from pmprb.engine.compiler import compile_instrument
from pmprb.engine.evaluator import Evaluator
from pmprb.engine.inputs import normalise_answers
from pmprb.engine.instrument import Criterion, Instrument
from pmprb.errors import RuleError, ValidationError

EPS = 1e-9
# Clusters with at most this many actions are searched exhaustively (2^12 what-ifs).
MAX_EXACT = 12

@dataclass(frozen=True)
class Action:
    criterion: str
    rank: int
    gain: float                    # Indeks points if this action alone is done
    unlocks: tuple[str, ...]       # criteria whose gate this action lifts, instrument order
    gates: tuple[str, ...]         # actions whose gate limits this one (its gain waits for them)
    answer: Any                    # the final answer (None: unanswered)
    value: float
    raw_value: float | None
    best_value: float

    def to_dict(self) -> dict:
        return {"criterion": self.criterion, "rank": self.rank, "gain": self.gain, "unlocks": list(self.unlocks),
                "gates": list(self.gates), "answer": self.answer, "value": self.value,
                "raw_value": self.raw_value, "best_value": self.best_value}


@dataclass(frozen=True)
class Path:
    target: str | None             # the grade aimed at (None: a numeric target)
    threshold: float               # the Indeks to pass: above it for a grade, at least it for a number
    actions: tuple[str, ...]       # the fewest actions, in rank order
    indeks_from: float
    indeks_to: float               # re-scored with every action of the path done
    grade_from: str | None
    grade_to: str | None
    reachable: bool
    already: bool                  # the Indeks is already there
    exact: bool                    # every cluster was searched exhaustively: no shorter path exists
    max_indeks: float              # with every action done

    @property
    def gain(self) -> float:
        return self.indeks_to - self.indeks_from

    def to_dict(self) -> dict:
        return {"target": self.target, "threshold": self.threshold, "actions": list(self.actions),
                "count": len(self.actions), "indeks_from": self.indeks_from, "indeks_to": self.indeks_to,
                "gain": self.gain, "grade_from": self.grade_from, "grade_to": self.grade_to,
                "reachable": self.reachable, "already": self.already, "exact": self.exact,
                "max_indeks": self.max_indeks}


@dataclass
class _Cluster:
    members: list[str]             # every criterion of the cluster, instrument order
    actions: list[str]             # its actions, instrument order
    best: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)  # k -> (gain, actions)
    exact: bool = True


class Plan:
    """The actions of one final result, ranked, and the paths to a grade."""

    def __init__(self, inst: Instrument, evaluator: Evaluator, answers: dict, evidence: dict,
                 hasil_inputs: dict | None, applicable_weight: float | None = None):
        self.instrument = inst
        self._ev = evaluator
        self._answers = answers
        self._evidence = evidence
        self._hasil = hasil_inputs or {}
        self._applicable = applicable_weight   # a points instrument's applicable weight given as a figure
        base = evaluator.evaluate(answers, evidence)
        self._decisions = base.decisions
        self._values = base.values()
        self.base_score = self._score(self._values, with_predicates=True)
        self.indeks = self.base_score["indeks_rb"]
        self._fixes: dict[str, tuple[dict, dict]] = {}
        self._known: dict[tuple[str, ...], float] = {}
        gated_only: list[str] = []
        for cid, c in inst.criteria.items():
            if not c.scored:
                continue
            result = self._decisions[cid].result
            if result.value is None or result.value >= c.best_value - EPS:
                continue
            raw = result.raw_value
            if raw is not None and raw >= c.best_value - EPS:
                gated_only.append(cid)
            else:
                self._fixes[cid] = _fix(inst, c, answers, evidence, self._decisions)
        roots = self._gate_roots(gated_only)
        for cid in gated_only:
            if not roots[cid]:
                # A gate no action lifts (should not happen with acyclic gating): keep it as its own action.
                self._fixes[cid] = _fix(inst, inst.criteria[cid], answers, evidence, self._decisions)
        #: gated-only criterion -> the actions whose gate it waits for
        self.gated = {cid: roots[cid] for cid in gated_only if roots[cid]}
        self._clusters = self._make_clusters()
        gains = {combo[0]: g for combo, g in self._gains([(cid,) for cid in self._fixes]).items()}
        below = gated_only + list(self._fixes)
        order = sorted(gains, key=lambda cid: (-round(gains[cid], 9), inst.criteria[cid].order))
        self.actions: list[Action] = []
        for rank, cid in enumerate(order, start=1):
            result = self._decisions[cid].result
            unlocks = sorted((x for x in below if x != cid and cid in roots.get(x, ())),
                             key=lambda x: inst.criteria[x].order)
            self.actions.append(Action(
                criterion=cid, rank=rank, gain=gains[cid], unlocks=tuple(unlocks),
                gates=tuple(g for g in roots.get(cid, ()) if g != cid), answer=answers.get(cid),
                value=result.value, raw_value=result.raw_value,
                best_value=inst.criteria[cid].best_value))
        self._by_id = {a.criterion: a for a in self.actions}

    def close(self) -> None:
        self._ev.close()

    def __enter__(self) -> "Plan":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def to_dict(self) -> dict:
        return {"instrument": self.instrument.id, "revision": self.instrument.revision, "indeks": self.indeks,
                "grade": self.base_score["grade"], "actions": [a.to_dict() for a in self.actions],
                "gated": {cid: list(r) for cid, r in self.gated.items()}}

    # -- what-if ------------------------------------------------------------
    def _score(self, values: dict, *, with_predicates: bool = False) -> dict:
        return scoring.score(self.instrument, values, self._hasil, engine=self._ev.engine,
                             applicable_weight=self._applicable,
                             with_predicates=with_predicates)

    def _apply(self, actions) -> tuple[dict, dict]:
        answers, evidence = dict(self._answers), dict(self._evidence)
        for cid in actions:
            changes, more_evidence = self._fixes[cid]
            answers.update(changes)
            evidence.update(more_evidence)
        return answers, evidence

    def _gain(self, actions: tuple[str, ...]) -> float:
        """Indeks gain of ``actions`` (all in one cluster), re-decided by the engine."""
        return self._gains([actions])[actions] if actions else 0.0

    def _gains(self, scenarios: list[tuple[str, ...]]) -> dict[tuple[str, ...], float]:
        """Indeks gain of each scenario (actions of one cluster each). Clusters share no
        criterion, so scenarios of different clusters are decided together — one engine
        call per level for a whole batch instead of one per scenario."""
        pending: dict[int, list[tuple[str, ...]]] = {}
        for combo in scenarios:
            pending.setdefault(id(self._cluster_of[combo[0]]), []).append(combo)
        out: dict[tuple[str, ...], float] = {}
        while pending:
            batch = [queue.pop(0) for queue in pending.values()]
            pending = {k: q for k, q in pending.items() if q}
            answers, evidence = self._apply([cid for combo in batch for cid in combo])
            members = [cid for combo in batch for cid in self._cluster_of[combo[0]].members]
            new = self._ev.redecide(answers, evidence, members, self._decisions)
            for combo in batch:
                values = dict(self._values)
                values.update({cid: new[cid].result.value for cid in self._cluster_of[combo[0]].members})
                out[combo] = self._score(values)["indeks_rb"] - self.indeks
        return out

    def rescore(self, actions) -> dict:
        """The full score with ``actions`` done: one complete evaluation."""
        answers, evidence = self._apply(actions)
        evaluation = self._ev.evaluate(answers, evidence)
        return self._score(evaluation.values(), with_predicates=True)

    # -- structure ----------------------------------------------------------
    def _gate_roots(self, gated_only: list[str]) -> dict[str, tuple[str, ...]]:
        """For every criterion below its best, the actions its ``gated_by`` chain leads to."""
        inst = self.instrument
        below = set(gated_only) | set(self._fixes)
        gates = {cid: list(self._decisions[cid].result.gates) for cid in below}
        memo: dict[str, set] = {}

        def roots(cid: str, stack: frozenset) -> set:
            if cid in memo:
                return memo[cid]
            out: set = set()
            for g in gates.get(cid, ()):
                if g in stack:
                    continue
                if g in self._fixes:
                    out.add(g)
                if g in below:
                    out |= roots(g, stack | {cid})
            memo[cid] = out
            return out

        return {cid: tuple(sorted(roots(cid, frozenset()), key=lambda x: inst.criteria[x].order)) for cid in below}

    def _make_clusters(self) -> list[_Cluster]:
        inst = self.instrument
        compiled = compile_instrument(inst)
        parent = {cid: cid for cid in inst.criteria}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for cid, info in compiled["criteria"].items():
            # A points line moves with the line that multiplies it, like a gated item with its gate.
            multiplier = (info.get("points") or {}).get("multiplier")
            for other in list(info["prereqs"]) + list(info.get("counts", [])) + ([multiplier] if multiplier else []):
                a, b = find(cid), find(other)
                if a != b:
                    parent[max(a, b, key=lambda x: inst.criteria[x].order)] = min(
                        a, b, key=lambda x: inst.criteria[x].order)
        groups: dict[str, _Cluster] = {}
        for cid in inst.criteria:
            groups.setdefault(find(cid), _Cluster(members=[], actions=[])).members.append(cid)
        self._cluster_of: dict[str, _Cluster] = {}
        out = []
        for cluster in groups.values():
            cluster.actions = [cid for cid in cluster.members if cid in self._fixes]
            if cluster.actions:
                out.append(cluster)
                for cid in cluster.actions:
                    self._cluster_of[cid] = cluster
        return out

    def _search(self, cluster: _Cluster) -> None:
        """Best gain of the cluster for every number of its actions."""
        if cluster.best:
            return
        acts = cluster.actions
        best: list[tuple[float, tuple[str, ...]]] = [(0.0, ())]
        if len(acts) <= MAX_EXACT:
            combos = [c for k in range(1, len(acts) + 1) for c in itertools.combinations(acts, k)]
            gains = self._known if combos and all(c in self._known for c in combos) else None
            if gains is None:
                gains = self._gains(combos)
            for k in range(1, len(acts) + 1):
                top = None
                for combo in itertools.combinations(acts, k):
                    g = gains[combo]
                    if top is None or g > top[0] + EPS:
                        top = (g, combo)
                best.append(top)
        else:
            cluster.exact = False
            chosen: tuple[str, ...] = ()
            for _ in acts:
                top = None
                for cid in acts:
                    if cid in chosen:
                        continue
                    combo = tuple(sorted(chosen + (cid,), key=acts.index))
                    g = self._gain(combo)
                    if top is None or g > top[0] + EPS:
                        top = (g, combo)
                best.append(top)
                chosen = top[1]
        cluster.best = best

    # -- reading ------------------------------------------------------------
    def action(self, cid: str) -> Action | None:
        return self._by_id.get(cid)

    def path(self, target: str | float | None = None) -> Path:
        """The fewest actions lifting the Indeks into the next grade band, or to
        ``target`` (a grade code, or an Indeks to reach)."""
        grade_from = self.base_score["grade"]
        goal, threshold, reached = self._goal(target)
        if reached(self.indeks):
            return Path(goal, threshold, (), self.indeks, self.indeks, grade_from, grade_from, True, True, True,
                        self.indeks)
        # Every subset of every small cluster, decided in batches across clusters.
        self._known = self._gains([c for cluster in self._clusters if len(cluster.actions) <= MAX_EXACT
                                   for k in range(1, len(cluster.actions) + 1)
                                   for c in itertools.combinations(cluster.actions, k)])
        for cluster in self._clusters:
            self._search(cluster)
        exact = all(c.exact for c in self._clusters)
        # Knapsack over the number of actions: dp[k] = (gain, actions) with the largest gain.
        dp: list[tuple[float, tuple[str, ...]] | None] = [(0.0, ())]
        for cluster in self._clusters:
            new: list = [None] * (len(dp) + len(cluster.actions))
            for k1, cur in enumerate(dp):
                if cur is None:
                    continue
                for k2, (g, combo) in enumerate(cluster.best):
                    cand = (cur[0] + g, cur[1] + combo)
                    slot = new[k1 + k2]
                    if slot is None or cand[0] > slot[0] + EPS:
                        new[k1 + k2] = cand
            dp = new
        rank = {a.criterion: a.rank for a in self.actions}
        everything = tuple(sorted(self._fixes, key=rank.get))
        max_score = self.rescore(everything)
        for entry in dp:
            if entry is None or not reached(self.indeks + entry[0], slack=1e-7):
                continue
            chosen = tuple(sorted(entry[1], key=rank.get))
            got = self.rescore(chosen)
            if abs(got["indeks_rb"] - (self.indeks + entry[0])) > 1e-6:
                raise RuleError(f"RATL path: clusters predicted Indeks {self.indeks + entry[0]!r} but the full "
                                f"re-score gives {got['indeks_rb']!r} for {', '.join(chosen)}")
            if reached(got["indeks_rb"]):
                return Path(goal, threshold, chosen, self.indeks, got["indeks_rb"], grade_from, got["grade"],
                            True, False, exact, max_score["indeks_rb"])
        return Path(goal, threshold, (), self.indeks, self.indeks, grade_from, grade_from, False, False, exact,
                    max_score["indeks_rb"])

    def _goal(self, target):
        inst = self.instrument
        bands = sorted(inst.data.get("grade_bands") or [], key=lambda b: b["above"])
        grades = [b["grade"] for b in bands]
        number = None
        if isinstance(target, (int, float)) and not isinstance(target, bool):
            number = float(target)
        elif isinstance(target, str) and target.strip():
            text = target.strip()
            match = next((b for b in bands if b["grade"].casefold() == text.casefold()), None)
            if match is None:
                try:
                    number = float(text.replace(",", "."))
                except ValueError:
                    raise ValidationError(i18n.t("plan.bad_target", target=target,
                                                 grades=", ".join(grades) or "–")) from None
            else:
                return self._band_goal(match)
        if number is not None:
            if not 0 <= number <= 100:
                raise ValidationError(i18n.t("plan.bad_target", target=target, grades=", ".join(grades) or "–"))
            return None, number, lambda x, slack=0.0: x >= number - EPS - slack
        if not bands:
            raise ValidationError(i18n.t("plan.no_bands", instrument=inst.id))
        current = scoring.grade_for(inst, self.indeks)
        above = [b for b in bands if b["above"] >= current["upto"] - EPS]
        if not above:
            # The top band already: the path is empty.
            return current["grade"], current["above"], lambda x, slack=0.0: True
        return self._band_goal(above[0])

    def _band_goal(self, band: dict):
        inst = self.instrument
        lower = band["above"]

        def reached(x: float, slack: float = 0.0) -> bool:
            # The official band decides (lower bound exclusive); slack only pre-screens candidates.
            if slack:
                return x > lower - slack
            return scoring.grade_for(inst, min(max(x, 0.0), 100.0))["above"] >= lower - EPS
        return band["grade"], lower, reached


def _fix(inst: Instrument, c: Criterion, answers: dict, evidence: dict, decisions: dict) -> tuple[dict, dict]:
    """The answer (or counts) and evidence that bring ``c`` to its best."""
    more_evidence = {c.id: max(int(evidence.get(c.id, 0)), c.evidence_min)}
    if c.kind in points.KINDS:  # a points line: its best answer (none for a category whose points are unknown)
        best = points.best_answer(inst, c.id)
        return ({c.id: best} if best is not None else {}), more_evidence
    if c.is_choice:
        return {c.id: c.options[0][0] if c.options else max(c.values, key=c.values.get)}, more_evidence
    f = c.formula or {}
    counts = decisions[c.id].input.get("counts", {})
    if f.get("kind") == "ratio":
        base = max(counts.get(f["denominator"]) or 0, 1)
        return {f["denominator"]: base, f["numerator"]: base}, more_evidence
    if f.get("kind") == "decrease":
        return {f["previous"]: max(counts.get(f["previous"]) or 0, 1), f["current"]: 0}, more_evidence
    return {}, more_evidence


def plan(inst: Instrument, answers: dict, evidence: dict | None = None, hasil_inputs: dict | None = None, *,
         counts: dict | None = None, engine: str | None = None, applicable_weight: float | None = None) -> Plan:
    """Rank the actions of a final result (answers as given to the evaluator:
    computed and unanswered criteria left out). Close the plan when done
    (``with plan(...) as p:``): it holds a rules-engine host for its what-ifs."""
    evaluator = Evaluator(inst, engine)
    try:
        normalised = normalise_answers(inst, answers, counts)
        return Plan(inst, evaluator, normalised, {k: int(v) for k, v in (evidence or {}).items()}, hasil_inputs,
                    applicable_weight)
    except BaseException:
        evaluator.close()
        raise


__all__ = ["Action", "Path", "Plan", "plan", "MAX_EXACT"]
