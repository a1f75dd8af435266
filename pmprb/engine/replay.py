"""Replay: re-decide stored decision records and compare them byte for byte.

Pure: records are plain dicts (the decision-log shape, see
:mod:`pmprb.engine.decision_log`), so the same code replays a database round
and an exported JSONL file. Every record goes through the evaluator again
with the instrument revision it names (rebuilt from stored canonical JSON,
never from rule files), and the canonical JSON of the replayed result and
trace must equal the stored bytes.

A record dict holds ``decision_id``, ``criterion``, ``instrument``
(``{"id", "revision"}``), ``engine``, optionally ``kind``/``unit``/
``assessor``, and the stored ``input``/``result``/``trace`` either as texts
(``input_json``/``result_json``/``trace_json``: exactly the stored bytes) or
as parsed objects (``input``/``result``/``trace``: canonicalised first).

Batching: ``Evaluator.decide`` takes one input per criterion, so a batch
holds at most one record per criterion (up to the instrument's size, ~146
facts: the same bounded batch a worksheet evaluation asserts in one
durable_rules session). A criterion's trace does not depend on what else is
in the batch (priority, then rule order, within one fact), which the tests
check against records stored from whole-worksheet evaluations.
"""

from __future__ import annotations

import gc
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Mapping

from pmprb import i18n
from pmprb.canonical import canonical_json
from pmprb.errors import PmprbError
from pmprb.engine.evaluator import Evaluator
from pmprb.engine.instrument import Instrument
from pmprb.engine.safe_input import limits, load_json

# Records held in memory at once: bounds memory on very large rounds while
# keeping batches full (each chunk is split into one-per-criterion batches).
CHUNK = 20_000

# Replay encodes the result and trace of every record: canonical_json reuses one encoder.
_ENCODE = canonical_json

# Why a record did not replay identically.
RESULT, TRACE, BOTH, REVISION, UNREADABLE, ERROR = "result", "trace", "result+trace", "revision", "unreadable", "error"


@dataclass
class Mismatch:
    index: int               # position in the replayed sequence (0-based)
    decision_id: str | None
    criterion: str | None
    reason: str
    kind: str | None = None
    unit: str | None = None
    assessor: str | None = None
    stored: dict | None = None      # {"result": ..., "trace": ...} as stored (parsed when possible)
    replayed: dict | None = None    # {"result": ..., "trace": ...}
    message: str | None = None


@dataclass
class ReplayReport:
    engine: str                                  # label of the engine that replayed
    instruments: dict[str, str]                  # revision -> instrument id
    total: int = 0
    matched: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    stored_engines: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    # decision id -> replayed result, for records of kind "final" (what frozen results rest on).
    final_results: dict = field(default_factory=dict, repr=False)   # values: Result objects
    problems: list[str] = field(default_factory=list)   # findings that are not about one record
    scores: list[dict] | None = None                    # None: no frozen result to compare
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.problems and all(s["ok"] for s in self.scores or [])

    @property
    def rate(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        return {
            "ok": self.ok, "engine": self.engine, "instruments": self.instruments, "total": self.total,
            "matched": self.matched, "mismatched": len(self.mismatches), "stored_engines": self.stored_engines,
            "kinds": self.kinds, "problems": self.problems, "scores": self.scores,
            "mismatches": [asdict(m) for m in self.mismatches], "seconds": round(self.seconds, 3),
        }


def stored_texts(rec: dict) -> tuple[str | None, str | None, str | None]:
    """The stored input, result and trace as the exact bytes compared."""
    out = []
    for key in ("input", "result", "trace"):
        text = rec.get(key + "_json")
        if text is None and key in rec:
            text = canonical_json(rec[key])
        out.append(text)
    return out[0], out[1], out[2]


def _parsed(text: str | None):
    if text is None:
        return None
    try:
        return load_json(text, "stored")
    except (ValueError, PmprbError):
        return text  # shown as stored when it is not JSON any more (or over a limit)


class _Pending:
    __slots__ = ("index", "rec", "input", "result_text", "trace_text", "expected")

    def __init__(self, index, rec, inp, result_text, trace_text):
        self.index, self.rec, self.input = index, rec, inp
        self.result_text, self.trace_text = result_text, trace_text
        # Result and trace are encoded together (one encoder call per record): the
        # replayed pair must equal exactly these bytes.
        self.expected = "[" + result_text + "," + trace_text + "]"


# Parsed inputs by their stored text. Rounds repeat the same inputs (same
# answer, evidence count, prerequisites) thousands of times; parsing each
# text once is only a parsing cache: every record is still decided.
_PARSE_CACHE_MAX = 100_000


class Replayer:
    """Replays records against a fixed set of instruments with one engine.

    ``instruments`` maps revision -> Instrument; a record naming any other
    revision is reported, not replayed."""

    def __init__(self, instruments: Mapping[str, Instrument], engine: str | None = None):
        self.instruments = dict(instruments)
        self._evaluators: dict[str, Evaluator] = {}
        self._parsed: dict[str, object] = {}
        self._limits = limits()
        self.engine = engine
        label = None
        for rev, inst in self.instruments.items():
            ev = Evaluator(inst, engine)
            self._evaluators[rev] = ev
            label = ev.label
        if label is None:  # no instrument at all: still name the engine in the report
            from pmprb.engine.evaluator import default_engine, engine_label

            label = engine_label(engine or default_engine())
        self.label = label

    def close(self) -> None:
        for ev in self._evaluators.values():
            ev.close()

    def run(self, records: Iterable[dict], *, progress: Callable[[int], None] | None = None,
            chunk: int = CHUNK) -> ReplayReport:
        report = ReplayReport(engine=self.label,
                              instruments={rev: inst.id for rev, inst in self.instruments.items()})
        started = time.perf_counter()
        # A chunk holds ~10 small containers per record until it is decided: the cyclic garbage
        # collector would scan them again and again (a tenth of the replay's CPU) to find nothing
        # (records, inputs and decisions form no cycles). Switched off while replaying; what
        # memory a chunk holds stays bounded by ``chunk``.
        collecting = gc.isenabled()
        gc.disable()
        try:
            buf: list[tuple[int, dict]] = []
            for i, rec in enumerate(records):
                buf.append((i, rec))
                if len(buf) >= chunk:
                    self._run_chunk(buf, report, progress)
                    buf = []
            if buf:
                self._run_chunk(buf, report, progress)
        finally:
            if collecting:
                gc.enable()
        report.mismatches.sort(key=lambda m: m.index)
        report.seconds = time.perf_counter() - started
        return report

    # -- one chunk ---------------------------------------------------------

    def _run_chunk(self, items: list[tuple[int, dict]], report: ReplayReport, progress) -> None:
        by_rev: dict[str, dict[str, deque]] = {}
        engines = Counter([rec.get("engine") or "?" for _i, rec in items])
        kinds = Counter([rec.get("kind") or "?" for _i, rec in items])
        done = 0
        prepare = self._prepare
        for index, rec in items:
            pending = prepare(index, rec, report)
            if pending is None:
                done += 1
                continue
            queues = by_rev.get(rec["instrument"]["revision"])
            if queues is None:
                queues = by_rev[rec["instrument"]["revision"]] = {}
            q = queues.get(rec["criterion"])
            if q is None:
                q = queues[rec["criterion"]] = deque()
            q.append(pending)
        report.total += len(items)
        for counts, target in ((engines, report.stored_engines), (kinds, report.kinds)):
            for k, n in counts.items():
                target[k] = target.get(k, 0) + n
        if progress and done:
            progress(done)
        for rev, queues in by_rev.items():
            evaluator = self._evaluators[rev]
            while queues:
                batch = {cid: q.popleft() for cid, q in queues.items()}
                for cid in [c for c, q in queues.items() if not q]:
                    del queues[cid]
                self._decide_batch(evaluator, batch, report)
                if progress:
                    progress(len(batch))

    def _prepare(self, index: int, rec: dict, report: ReplayReport) -> _Pending | None:
        """Parse and pin one record; report it at once when it cannot be replayed."""
        input_text, result_text, trace_text = rec.get("input_json"), rec.get("result_json"), rec.get("trace_json")
        if input_text is None or result_text is None or trace_text is None:   # parsed objects (a file)
            input_text, result_text, trace_text = stored_texts(rec)
        rev = (rec.get("instrument") or {}).get("revision")
        cid = rec.get("criterion")
        problem = None
        inp = None
        if rev not in self._evaluators:
            known = ", ".join(r[:12] for r in self._evaluators) or "-"
            problem = (REVISION, i18n.t("replay.not_pinned", revision=str(rev)[:12], known=known))
        elif cid not in self.instruments[rev].criteria:
            problem = (ERROR, i18n.t("replay.unknown_criterion", cid=cid, inst=self.instruments[rev].id))
        elif input_text is None or result_text is None or trace_text is None:
            problem = (UNREADABLE, i18n.t("replay.stored_missing"))
        else:
            inp = self._parsed.get(input_text)
            if inp is None:
                try:
                    inp = load_json(input_text, "stored input", limits_=self._limits)  # bounded: it may come from a file
                except ValueError as exc:
                    problem = (UNREADABLE, i18n.t("replay.input_not_json", error=exc))
                except PmprbError as exc:  # InputRefused: nested too deep, too many values, NaN
                    problem = (UNREADABLE, exc.message)
                else:
                    if len(self._parsed) >= _PARSE_CACHE_MAX:
                        self._parsed.clear()
                    self._parsed[input_text] = inp
            if problem is None and not isinstance(inp, dict):
                problem = (UNREADABLE, i18n.t("replay.input_not_object"))
        if problem is not None:
            report.mismatches.append(_mismatch(index, rec, problem[0], result_text, trace_text, None, problem[1]))
            return None
        return _Pending(index, rec, inp, result_text, trace_text)

    def _decide_batch(self, evaluator: Evaluator, batch: dict[str, _Pending], report: ReplayReport) -> None:
        try:
            decided = evaluator.decide({cid: p.input for cid, p in batch.items()})
        except Exception:
            # One bad record must not hide the verdict on the others: decide one by one.
            decided = {}
            for cid, p in batch.items():
                try:
                    decided[cid] = evaluator.decide({cid: p.input})[cid]
                except Exception as exc:  # an input the rules cannot decide is a finding, not a crash
                    msg = exc.message if isinstance(exc, PmprbError) else f"{type(exc).__name__}: {exc}"
                    report.mismatches.append(_mismatch(p.index, p.rec, ERROR, p.result_text, p.trace_text, None,
                                                       i18n.t("replay.refused", reason=msg)))
        matched = 0
        finals = report.final_results
        for cid, dec in decided.items():
            p = batch[cid]
            result, trace = dec.result.record(), dec.trace   # the stored shape: compared as bytes
            if _ENCODE((result, trace)) == p.expected:
                matched += 1
            else:
                same_result, same_trace = _ENCODE(result) == p.result_text, _ENCODE(trace) == p.trace_text
                reason = TRACE if same_result else RESULT if same_trace else BOTH
                report.mismatches.append(_mismatch(p.index, p.rec, reason, p.result_text, p.trace_text,
                                                   {"result": result, "trace": list(trace)}))
            if p.rec.get("kind") == "final":
                finals[p.rec.get("decision_id")] = dec.result
        report.matched += matched


def _mismatch(index, rec, reason, result_text, trace_text, replayed, message=None) -> Mismatch:
    return Mismatch(index=index, decision_id=rec.get("decision_id"), criterion=rec.get("criterion"), reason=reason,
                    kind=rec.get("kind"), unit=rec.get("unit"), assessor=rec.get("assessor"),
                    stored={"result": _parsed(result_text), "trace": _parsed(trace_text)},
                    replayed=replayed, message=message)


def replay(records: Iterable[dict], instruments: Mapping[str, Instrument], *, engine: str | None = None,
           progress: Callable[[int], None] | None = None, chunk: int = CHUNK) -> ReplayReport:
    """Replay ``records`` (see module doc) and report every difference."""
    replayer = Replayer(instruments, engine)
    try:
        return replayer.run(records, progress=progress, chunk=chunk)
    finally:
        replayer.close()


def count_summary(report: ReplayReport) -> Counter:
    return Counter(m.reason for m in report.mismatches)




# ---------------------------------------------------------------------------
# frozen results


def differences(frozen, recomputed, path: str = "") -> list[dict]:
    """Every leaf of ``frozen`` that ``recomputed`` does not reproduce exactly
    (same JSON value; numbers compared as numbers, so 3 equals 3.0)."""
    if isinstance(frozen, dict) and isinstance(recomputed, dict):
        out = []
        for key in sorted(frozen):
            sub = f"{path}.{key}" if path else str(key)
            if key not in recomputed:
                out.append({"path": sub, "frozen": frozen[key], "recomputed": None})
            else:
                out.extend(differences(frozen[key], recomputed[key], sub))
        return out
    if isinstance(frozen, list) and isinstance(recomputed, list) and len(frozen) == len(recomputed):
        out = []
        for i, (a, b) in enumerate(zip(frozen, recomputed)):
            out.extend(differences(a, b, f"{path}[{i}]"))
        return out
    if _is_number(frozen) and _is_number(recomputed):
        same = float(frozen) == float(recomputed)
    else:
        same = type(frozen) is type(recomputed) and frozen == recomputed
    return [] if same else [{"path": path, "frozen": frozen, "recomputed": recomputed}]


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


RESULT_FIELDS = ("value", "raw_value", "flags")


def check_frozen(instrument: Instrument, report: ReplayReport, frozen_results: list[dict],
                 engine: str | None = None) -> list[dict]:
    """Recompute each frozen final result from the replayed final decisions.

    A frozen result (``pmprb-final-result/1``) names, per criterion, the
    decision record it rests on (``criteria.<id>.decision_id``) with its
    value, raw value and flags, plus the ``score`` and the ``hasil_inputs``.
    Each criterion entry must equal its replayed decision, and scoring the
    replayed values with the frozen Hasil inputs must reproduce every figure
    of ``score`` exactly (with the frozen ``applicable_weight``, when the result was rescaled by
    one given as a figure)."""
    from pmprb.engine.scoring import score

    checks = []
    for frozen in frozen_results:
        shape = _frozen_shape_problem(frozen)
        if shape:  # an edited file: a finding about this frozen result, not a crash
            seq = frozen.get("seq") if isinstance(frozen, dict) else None
            checks.append({"seq": seq, "ok": False, "differences": [], "message": shape})
            continue
        diffs: list[dict] = []
        values: dict = {}
        for cid, entry in sorted((frozen.get("criteria") or {}).items()):
            replayed = report.final_results.get(entry.get("decision_id"))
            if replayed is None:
                diffs.append({"path": f"criteria.{cid}.decision_id", "frozen": entry.get("decision_id"),
                              "recomputed": None})
                continue
            values[cid] = replayed.value
            for key in RESULT_FIELDS:
                if key in entry:
                    got = list(replayed.flags) if key == "flags" else getattr(replayed, key)
                    diffs.extend(differences(entry[key], got, f"criteria.{cid}.{key}"))
        message = None
        if frozen.get("error"):
            message = frozen["error"]
        elif not frozen.get("criteria"):
            message = i18n.t("replay.frozen_no_decisions")
        elif len(values) == len(frozen["criteria"]):
            try:
                weight = frozen.get("applicable_weight")   # given as a figure: {"value": ..., "source": ...}
                recomputed = score(instrument, values, frozen.get("hasil_inputs") or {}, engine,
                                   weight.get("value") if isinstance(weight, dict) else None)
            except Exception as exc:  # stored inputs the scoring refuses are a finding, as in _decide_batch
                msg = exc.message if isinstance(exc, PmprbError) else f"{type(exc).__name__}: {exc}"
                message = i18n.t("replay.frozen_not_recomputed", reason=msg)
            else:
                diffs.extend(differences(frozen.get("score") or {}, recomputed, "score"))
        else:
            message = i18n.t("replay.frozen_missing_decisions")
        checks.append({"seq": frozen.get("seq"), "ok": not diffs and message is None, "differences": diffs,
                       "message": message})
    return checks


def _frozen_shape_problem(frozen) -> str | None:
    """Why a frozen result (from a file or the database) cannot be compared as
    it is, or None. Its values are compared as they are; only the structure is checked."""
    if not isinstance(frozen, dict):
        return i18n.t("replay.frozen_not_object", type=type(frozen).__name__)
    for key, kind in (("criteria", dict), ("score", dict), ("hasil_inputs", dict), ("applicable_weight", dict),
                      ("error", str)):
        if frozen.get(key) is not None and not isinstance(frozen[key], kind):
            return i18n.t("replay.frozen_part_not_object" if kind is dict else "replay.frozen_part_not_text", part=key)
    for cid, entry in (frozen.get("criteria") or {}).items():
        if not isinstance(entry, dict):
            return i18n.t("replay.frozen_part_not_object", part=f"criteria.{cid}")
        if not isinstance(entry.get("decision_id"), (str, int, type(None))):
            return i18n.t("replay.frozen_not_id", part=f"criteria.{cid}.decision_id")
    return None
