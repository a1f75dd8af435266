"""Evaluate a compiled ruleset: durable_rules, or the plain-Python twin.

Both engines take the same compiled JSON (:mod:`pmprb.engine.compiler`),
decide which rules fire for each criterion fact, and then apply the rules'
declared effects in one shared function, so a difference between the two
can only come from rule matching. Criteria are evaluated level by level
(prerequisites first) because gating needs the prerequisites' final values.

A decision is a :class:`pmprb.engine.decision.Decision` (criterion, input,
result, trace, engine; its ``record()`` is the stored dict); ``input`` holds
everything needed to re-run that one decision (answer, evidence count, the
prerequisites' answers and values, and for a computed item the counts its
formula reads), so replay needs no other state. Counts are checked and
normalised first (:mod:`pmprb.engine.inputs`); a count-valued item's result
carries ``count`` and no value.
"""

from __future__ import annotations

from pmprb import i18n

import copy
import itertools
import os
import threading
from dataclasses import dataclass

from pmprb.errors import RuleError, ValidationError
from pmprb.engine import formulas
from pmprb.engine.decision import Decision, Result
from pmprb.engine.compiler import SINK, UNANSWERED, compile_instrument, durable_definition, field_id, without_document_rules
from pmprb.engine.instrument import Instrument
from pmprb.engine.inputs import normalise_answers
from pmprb.engine import points_rules
from pmprb.engine import evidence_requirements

try:  # durable-rules 2.0.28 does not import on Python 3.13+.
    import durable.engine as _durable_engine
    from importlib.metadata import version as _pkg_version

    DURABLE_VERSION = _pkg_version("durable_rules")
except Exception:  # pragma: no cover - depends on the interpreter
    _durable_engine = None
    DURABLE_VERSION = None

ENGINES = ("durable", "plain")


def durable_available() -> bool:
    return _durable_engine is not None


def default_engine() -> str:
    wanted = os.environ.get("PMPRB_RULES_ENGINE", "").strip().lower()
    if wanted:
        if wanted not in ENGINES:
            raise ValidationError(i18n.t("engine.pmprb_rules_engine_must_one_got", items=', '.join(ENGINES), wanted=wanted))
        if wanted == "durable" and not durable_available():
            raise ValidationError(i18n.t("engine.pmprb_rules_engine_durable_but_durable_rules"))
        return wanted
    return "durable" if durable_available() else "plain"


def engine_label(engine: str) -> str:
    from pmprb import __version__

    return f"durable_rules {DURABLE_VERSION}" if engine == "durable" else f"pmprb-plain {__version__}"


# ---------------------------------------------------------------------------
# facts and effects (shared by both engines)


def make_fact(compiled: dict, cid: str, inp: dict) -> dict:
    fact = {"t": "ans", "ar": compiled["criteria"][cid]["area"], "c": cid, "ev": int(inp.get("evidence", 0))}
    answer = inp.get("answer")
    if answer is None:
        fact["ans"] = 0
    else:
        fact["ans"] = 1
        fact["a"] = answer
    for pre, p in inp.get("prerequisites", {}).items():
        f = field_id(pre)
        fact[f"pa_{f}"] = p["answer"] if p["answer"] is not None else UNANSWERED
        fact[f"pz_{f}"] = 1 if p["value"] == 0 else 0
        fact[f"pl_{f}"] = 1 if p["value"] < 1 else 0
    if "documents" in inp:
        fact.update(evidence_requirements.fact_fields(inp["documents"]))
    if "counts" in inp:
        # A computed item is answered when every count its formula reads is entered.
        counts = inp["counts"]
        fact["ans"] = int(all(n is not None for n in counts.values()))
        for ref, n in counts.items():
            if n is not None:
                fact[formulas.count_field(ref)] = n
    if "points" in compiled["criteria"][cid]:
        fact.update(points_rules.fact_fields(compiled["criteria"][cid]["points"], inp))
    return fact


_UNSET = object()


def apply_effects(rules_by_name: dict, points_names: frozenset, fired: list[str], inp: dict) -> Result:
    """The result of the rules that ``fired`` (in firing order) for input ``inp``: a points
    line's when one of them is in ``points_names`` (the rules deciding a points line)."""
    if points_names and not points_names.isdisjoint(fired):
        return points_rules.apply(rules_by_name, fired, inp)
    return _apply_value_effects(rules_by_name, fired, inp)


def _apply_value_effects(rules_by_name: dict, fired: list[str], inp: dict) -> Result:
    """:func:`apply_effects` for a trace without a points rule."""
    raw = None
    flags: list[str] = []
    value = None
    count = _UNSET
    for name in fired:
        effect = rules_by_name[name]["effect"]
        if "raw" in effect or "compute" in effect or "count" in effect:  # a value rule
            if raw is not None or count is not _UNSET:
                raise RuleError(f"two value rules fired for one criterion: {fired}")
            if "raw" in effect:
                raw = float(effect["raw"])
            elif "count" in effect:
                count = inp.get("answer") if effect["count"] == "answer" else None
            elif effect["compute"]["kind"] == "sum":
                count = formulas.compute(effect["compute"], inp["counts"])
            else:
                raw = float(formulas.compute(effect["compute"], inp["counts"]))
            value = raw
        if count is not _UNSET:
            # Counts carry no value; nothing may adjust them.
            if "zero" in effect or "multiply_by" in effect or "bound" in effect:
                raise RuleError(f"rule {name} adjusts a count (trace {fired})")
        elif value is None:
            raise RuleError(f"rule {name} fired before any value rule (trace {fired})")
        if effect.get("zero"):
            value = 0.0
        if "multiply_by" in effect:
            value = value * inp["prerequisites"][effect["multiply_by"]]["value"]
        if "bound" in effect:
            value = float(effect["bound"])
        flag = effect.get("flag")
        if flag and flag not in flags:
            flags.append(flag)
    if count is not _UNSET:
        return Result.counted(count, tuple(flags))
    if raw is None:
        raise RuleError(f"no value rule fired (trace {fired})")
    return Result(value, raw, tuple(flags))


# ---------------------------------------------------------------------------
# matchers


def _match(cond, fact: dict) -> bool:
    """The plain engine's reading of durable_rules' JSON condition subset."""
    for key, arg in cond.items():
        if key == "$and":
            if not all(_match(c, fact) for c in arg):
                return False
        elif key == "$or":
            if not any(_match(c, fact) for c in arg):
                return False
        elif key in _CMP:
            ((fname, bound),) = arg.items()
            if fname not in fact:
                return False
            bound = _operand(bound, fact)
            if bound is _MISSING or not _CMP[key](fact[fname], bound):
                return False
        elif key == "$ex":
            if not all(f in fact for f in arg):
                return False
        elif key == "$nex":
            if any(f in fact for f in arg):
                return False
        elif key.startswith("$"):
            raise RuleError(f"the plain evaluator does not support operator {key}")
        else:
            if fact.get(key, _MISSING) != arg:
                return False
    return True


_MISSING = object()


def _operand(arg, fact: dict):
    """A right-hand side: a constant, ``{"$m": field}`` or ``{"$mul": {"$l": .., "$r": ..}}``."""
    if not isinstance(arg, dict):
        return arg
    ((op, x),) = arg.items()
    if op == "$m":
        return fact.get(x, _MISSING)
    if op in _ARITH:
        left, right = _operand(x["$l"], fact), _operand(x["$r"], fact)
        if left is _MISSING or right is _MISSING:
            return _MISSING
        return _ARITH[op](left, right)
    raise RuleError(f"the plain evaluator does not support operand {op}")


_ARITH = {"$mul": lambda a, b: a * b, "$add": lambda a, b: a + b, "$sub": lambda a, b: a - b}
_CMP = {
    "$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b, "$gt": lambda a, b: a > b,
    "$gte": lambda a, b: a >= b, "$neq": lambda a, b: a != b,
}


class PlainMatcher:
    engine = "plain"

    def __init__(self, compiled: dict):
        self.by_criterion: dict[str | None, list[tuple[int, int, dict]]] = {}
        for i, rule in enumerate(compiled["rules"]):
            self.by_criterion.setdefault(rule["criterion"], []).append((rule["pri"], i, rule))
        self.generic = self.by_criterion.pop(None, [])
        self._candidates: dict[str, list[dict]] = {}   # criterion -> its rules and the generic ones, in firing order

    def _candidates_of(self, cid: str) -> list[dict]:
        rules = sorted(self.by_criterion.get(cid, []) + self.generic, key=lambda r: (r[0], r[1]))
        out = self._candidates[cid] = [r for _, _, r in rules]
        return out

    def fire(self, facts: list[dict]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        known = self._candidates
        for fact in facts:
            candidates = known.get(fact["c"]) or self._candidates_of(fact["c"])
            fired = [r["name"] for r in candidates if _match(r["when"], fact)]
            if not fired:
                raise RuleError(f"no rule matched the fact for {fact['c']}")
            out[fact["c"]] = [n for n in fired if n != SINK]
        return out

    def close(self) -> None:
        pass


if _durable_engine is not None:
    import json as _json

    import durable_rules_engine as _dre

    class _Ruleset(_durable_engine.Ruleset):
        """Runs each fired rule's action without durable's per-action Closure, clock reads and
        state write-back (2x the throughput). Our actions only record (criterion, rule) and
        never change the session state, so there is nothing to write back."""

        def _flush_actions(self, state, result_container, state_offset, complete):
            record = self._host._record
            msg = result_container.pop("message", None)
            try:
                if msg is not None:
                    ((name, _),) = msg.items()
                    record(name)
                    nxt = _dre.complete_and_start_action(self._handle, state_offset)
                    while nxt:
                        record(_action_name(nxt))
                        nxt = _dre.complete_and_start_action(self._handle, state_offset)
            except Exception as exc:
                try:
                    _dre.abandon_action(self._handle, state_offset)
                except Exception:
                    pass  # the evaluator discards this host anyway
                complete(exc, None)
                return
            complete(None, state)

    def _action_name(text: str) -> str:
        """The rule name of a pending action, ``{"<rule>":{"m":{...}}}``, without decoding the
        whole fact (a quarter of the CPU time per decision); JSON-decode only if the name is escaped."""
        end = text.find('"', 2)
        name = text[2:end]
        if not text.startswith('{"') or end < 0 or "\\" in name:
            ((name, _),) = _json.loads(text).items()
        return name

    class _Host(_durable_engine.Host):
        """A Host without background dispatch threads, whose actions record the rule name.

        ``criterion_of`` maps rule names to the criterion (fact ``c``) each rule tests."""

        def __init__(self, sink: list, criterion_of: dict):
            self._sink = sink
            self._criterion_of = criterion_of
            super().__init__()

        def _run(self):  # background threads caused intermittent error 307
            pass

        def _record(self, rule_name: str) -> None:
            self._sink.append((self._criterion_of[rule_name], rule_name))

        def get_action(self, action_name):
            # Only reached if durable dispatches by itself; _Ruleset records directly.
            sink = self._sink

            def action(c):
                sink.append((c.m["c"], action_name))

            return action

        def register_rulesets(self, ruleset_definitions):
            for name, definition in ruleset_definitions.items():
                if name in self._ruleset_directory:
                    raise RuleError(f"ruleset {name} is already registered on this host")
                rs = _Ruleset(name, self, definition)
                self._ruleset_directory[name] = rs
                self._ruleset_list.append(rs)


def raise_if_failed(state: dict | None) -> None:
    """durable_rules stores an action's exception in the session state and returns normally."""
    if state and "exception" in state:
        raise RuleError(f"durable_rules reported an error: {state['exception']}")


class DurableMatcher:
    engine = "durable"
    _sids = itertools.count(1)

    # Idle hosts per compiled ruleset, handed from a closed matcher to the next one. Building a
    # host costs ~60 ms and ~6 MB that durable_rules never frees, and the store builds an
    # Evaluator per worksheet, finalisation and replayed round (a national run: thousands). A host
    # keeps nothing between evaluations (each session is deleted, a failed host is replaced), so
    # reusing it across matchers is the reuse one matcher already makes across its evaluations.
    _idle: dict[int, tuple[dict, list]] = {}   # id(compiled) -> (compiled, [(host, fired list)])
    _idle_lock = threading.Lock()
    IDLE_HOSTS = 4        # per compiled ruleset
    IDLE_RULESETS = 8

    def __init__(self, compiled: dict):
        if _durable_engine is None:
            raise RuleError(i18n.t("engine.durable_unavailable"))
        self.name = compiled["name"]
        self._compiled = compiled
        self._definition = None   # built with the first host of this matcher (an idle host needs none)
        idle = self._take_idle()
        if idle is not None:
            self._host, self._fired = idle
        else:
            self._fired: list[tuple[str, str]] = []
            self._host = self._new_host()
        self._lock = threading.Lock()

    def _take_idle(self):
        with DurableMatcher._idle_lock:
            entry = DurableMatcher._idle.get(id(self._compiled))
            # The entry keeps its compiled dict alive, so its id cannot name another one.
            if entry is not None and entry[0] is self._compiled and entry[1]:
                return entry[1].pop()
        return None

    def _new_host(self):
        if self._definition is None:
            self._definition = durable_definition(self._compiled)
            # Every rule tests exactly one criterion (its fact's ``c``): the sink's is None.
            self._criterion_of = {r["name"]: r["criterion"] for r in self._compiled["rules"]}
        host = _Host(self._fired, self._criterion_of)
        # Loading mutates the definition (deletes 'run'): hand it a copy.
        host.set_rulesets(copy.deepcopy(self._definition))
        return host

    def fire(self, facts: list[dict]) -> dict[str, list[str]]:
        with self._lock:
            for attempt in (1, 2):
                sid = str(next(self._sids))
                self._fired.clear()
                # Each fact names its own identity (its criterion, unique in a batch). Without an
                # ``id`` durable_rules derives one by hashing the fact with its session id, and
                # two distinct facts can collide: the 600-institution run stopped at session
                # 89,616 on a batch of 110 facts refused as "already observed", every time.
                batch = [dict(f, sid=sid, id=f["c"]) for f in facts]
                try:
                    self._host.assert_facts(self.name, batch)
                    raise_if_failed(self._host.get_state(self.name, sid))
                    break
                except Exception as exc:
                    # After a failed assert the session is unsafe: delete_state segfaults after
                    # MessageNotHandledException. Abandon the whole host and start clean.
                    self._fired.clear()
                    self._host = self._new_host()
                    if attempt == 1 and isinstance(exc, _durable_engine.MessageObservedException):
                        # Should an identity still collide, a new session (another sid) on the
                        # fresh host decides the same facts again; a second refusal is raised.
                        continue
                    self._raise_failure(exc)
            self._host.delete_state(self.name, sid)
            out: dict[str, list[str]] = {f["c"]: [] for f in facts}
            for cid, name in self._fired:
                if name != SINK:
                    out[cid].append(name)
            self._fired.clear()
            return out

    @staticmethod
    def _raise_failure(exc: Exception):
        if isinstance(exc, RuleError):
            raise exc
        if isinstance(exc, _durable_engine.MessageNotHandledException):
            raise RuleError(f"no rule matched a fact: {exc.message}") from None
        raise RuleError(f"durable_rules failed: {exc}") from exc

    def close(self) -> None:
        host, self._host = self._host, None
        if host is None:
            return
        with DurableMatcher._idle_lock:
            idle = DurableMatcher._idle
            entry = idle.get(id(self._compiled))
            if entry is None or entry[0] is not self._compiled:
                if len(idle) >= self.IDLE_RULESETS:
                    del idle[next(iter(idle))]
                entry = idle[id(self._compiled)] = (self._compiled, [])
            if len(entry[1]) < self.IDLE_HOSTS:
                entry[1].append((host, self._fired))


# ---------------------------------------------------------------------------
# the evaluator


@dataclass
class Evaluation:
    instrument: str
    revision: str
    engine: str
    decisions: dict[str, Decision]  # criterion -> decision, in instrument order

    def values(self) -> dict[str, float]:
        return {cid: d.result.value for cid, d in self.decisions.items()}


_TABLES: dict[int, tuple] = {}   # id(compiled) -> (compiled, by name, points rules, input-free rules, results)
_TABLES_MAX = 16
_RESULTS_MAX = 4096   # distinct traces per ruleset whose result is kept
_INPUT_FREE_EFFECTS = frozenset({"raw", "zero", "bound", "flag"})


def _rule_tables(compiled: dict) -> tuple[dict, frozenset, frozenset, dict]:
    """The rules by name; which of them decide a points line (apply_effects' dispatch); which
    only set, zero, bound or flag a value (their effect reads nothing of the input); and a
    table of results by trace for traces of those alone. Built once per compiled ruleset, not
    once per Evaluator (the store makes one per operation)."""
    entry = _TABLES.get(id(compiled))
    if entry is None or entry[0] is not compiled:   # the entry keeps compiled alive: ids stay unique
        by_name = {r["name"]: r for r in compiled["rules"]}
        points_names = frozenset(n for n, r in by_name.items() if "points" in r["effect"])
        input_free = frozenset(n for n, r in by_name.items() if r["effect"].keys() <= _INPUT_FREE_EFFECTS)
        if len(_TABLES) >= _TABLES_MAX:
            del _TABLES[next(iter(_TABLES))]
        entry = _TABLES[id(compiled)] = (compiled, by_name, points_names, input_free, {})
    return entry[1], entry[2], entry[3], entry[4]


class Evaluator:
    """Evaluates worksheets against one instrument; one batch, one engine host."""

    def __init__(self, inst: Instrument, engine: str | None = None):
        self.instrument = inst
        # Facts without a document summary run on the ruleset without the evidence requirement
        # rules (they cannot match them); batches with documents on the full one, built when needed.
        self._with_evidence = compile_instrument(inst)
        self.compiled = without_document_rules(self._with_evidence)
        self._evidence_matcher = None
        self.engine = engine or default_engine()
        if self.engine not in ENGINES:
            raise ValidationError(i18n.t("engine.unknown_rules_engine_expected", engine=self.engine, items=', '.join(ENGINES)))
        self.label = engine_label(self.engine)
        self.rules_by_name, self._points_rules, self._input_free, self._results = _rule_tables(self._with_evidence)
        self.matcher = self._make_matcher(self.compiled)

    def _make_matcher(self, compiled: dict):
        return DurableMatcher(compiled) if self.engine == "durable" else PlainMatcher(compiled)

    def _matcher_for(self, inputs: dict[str, dict]):
        if self._with_evidence is self.compiled or not any("documents" in inp for inp in inputs.values()):
            return self.matcher
        if self._evidence_matcher is None:
            self._evidence_matcher = self._make_matcher(self._with_evidence)
        return self._evidence_matcher

    # A worksheet is evaluated level by level: gating needs prerequisites' values,
    # computed items the counts they read.
    def evaluate(self, answers: dict, evidence: dict | None = None, counts: dict | None = None,
                 documents: dict | None = None, period: int | None = None) -> Evaluation:
        """``answers``: {criterion: option} for choice items and whole numbers for count
        items; ``counts`` may hold the count items instead (not both for one item).
        ``documents``: {criterion: [citation text or structured document]} instead of an
        evidence count, judged against the evaluation ``period`` (a year)."""
        inst = self.instrument
        evidence = evidence or {}
        answers = normalise_answers(inst, answers, counts)
        cited = evidence_requirements.document_inputs(inst, documents, period, evidence)
        decisions: dict[str, Decision] = {}
        for level in self.compiled["levels"]:
            inputs = {cid: self._input(cid, answers, evidence, decisions, cited) for cid in level}
            for cid, dec in self.decide(inputs).items():
                decisions[cid] = dec
        ordered = {cid: decisions[cid] for cid in inst.criteria}
        return Evaluation(inst.id, inst.revision, self.label, ordered)

    def _input(self, cid: str, answers: dict, evidence: dict, decisions: dict, cited: dict | None = None) -> dict:
        """Everything one decision reads (so it replays alone)."""
        info = self.compiled["criteria"][cid]
        prereqs = {}
        for pre in info["prereqs"]:
            prereqs[pre] = {"answer": answers.get(pre), "value": decisions[pre].result.value}
        inp = {"answer": answers.get(cid), "evidence": int(evidence.get(cid, 0))}
        if cited and cid in cited:
            inp["evidence"], inp["documents"] = cited[cid]
        if prereqs:
            inp["prerequisites"] = prereqs
        if "counts" in info:
            inp["counts"] = {ref: decisions[ref].result.count for ref in info["counts"]}
        if "multiplier" in info.get("points", {}):
            # The multiplier's answer, not its decision: the line replays alone.
            m = info["points"]["multiplier"]
            inp["multiplier"] = {"criterion": m, "answer": answers.get(m)}
        return inp

    def redecide(self, answers: dict, evidence: dict, criteria, decisions: dict) -> dict[str, Decision]:
        """Decide ``criteria`` again from normalised ``answers`` (level by level, so a
        prerequisite among them is decided first); prerequisites outside ``criteria``
        keep their decision in ``decisions``. For what-if questions (the RATL plan)."""
        wanted = set(criteria)
        known = dict(decisions)
        out: dict[str, Decision] = {}
        for level in self.compiled["levels"]:
            part = [cid for cid in level if cid in wanted]
            if not part:
                continue
            inputs = {cid: self._input(cid, answers, evidence, known) for cid in part}
            for cid, dec in self.decide(inputs).items():
                known[cid] = out[cid] = dec
        return out

    def decide(self, inputs: dict[str, dict]) -> dict[str, Decision]:
        """Decide independent criteria from their full inputs (also used by replay)."""
        ids = sorted(inputs)
        facts = [make_fact(self.compiled, cid, inputs[cid]) for cid in ids]
        fired = self._matcher_for(inputs).fire(facts)
        out = {}
        rules, points_rules_, input_free, results = (self.rules_by_name, self._points_rules, self._input_free,
                                                     self._results)
        for cid in ids:
            fired_rules = fired.get(cid, [])
            trace = tuple(fired_rules)
            # A trace of rules that only set, zero, bound or flag a value gives the same (immutable)
            # Result whatever the input: worked out once per ruleset. Counts, formulas, multipliers
            # and points lines read the input and are applied every time.
            result = results.get(trace)
            if result is None:
                try:
                    result = apply_effects(rules, points_rules_, fired_rules, inputs[cid])
                except RuleError as exc:
                    raise RuleError(f"{cid}: {exc.message}") from None
                if input_free.issuperset(trace):
                    if len(results) >= _RESULTS_MAX:
                        results.clear()
                    results[trace] = result
            out[cid] = Decision(cid, inputs[cid], result, trace, self.label)
        return out

    def close(self) -> None:
        self.matcher.close()
        if self._evidence_matcher is not None:
            self._evidence_matcher.close()


def evaluate(inst: Instrument, answers: dict, evidence: dict | None = None, engine: str | None = None,
             counts: dict | None = None, documents: dict | None = None, period: int | None = None) -> Evaluation:
    ev = Evaluator(inst, engine)
    try:
        return ev.evaluate(answers, evidence, counts, documents=documents, period=period)
    finally:
        ev.close()
