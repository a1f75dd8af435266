"""The decision log file: a round's decision records as JSON Lines.

One file is enough to replay a round with no database: line 1 is a header
that carries the pinned instrument (its canonical data, which must hash to
the revision the records name) and the frozen result when there is one;
every further line is one decision record::

    {"type": "header", "format": "pmprb-decision-log/2", "round": {...},
     "instrument": {"id", "version", "revision", "data": {...}},
     "records": N, "frozen_results": [...] | null, "exported_at": ..., "generator": ...,
     "chain": {"name", "seq", "hash", "at"}}
    {"type": "event", "chain", "seq", "actor", "at", "action", "payload_hash",
     "prev_hash", "hash", "payload"?}          (every event of the round's chain)
    {"type": "decision", "decision_id", "round", "criterion", "kind", "unit",
     "assessor", "actor", "timestamp", "instrument": {"id", "revision"},
     "engine", "input", "result", "trace", "ids": {"round_id", "unit_id",
     "assessor_id"}, "record_sha256"}

The header's ``chain`` is the head of the round's audit chain the file was
made from; the event lines are that chain (``decision.record`` events with
their payload, which pins every record's hash). Replaying a file therefore
also checks, with no database: each line's ``record_sha256`` against its
content and against the event that pins it, every pinned record present,
the record count, and the chain recomputed up to the header's head
(:meth:`DecisionLog.problems`). What the file cannot prove alone — that it
is the chain an auditor saw before — ``--against`` a checkpoint does.
Files of format ``/1`` (no chain) still replay; their records are then
checked by replay alone.

``input``/``result``/``trace`` are JSON values. Should the stored bytes not
be canonical JSON (an edit made outside pmprb), the line carries the exact
text as ``input_json``/``result_json``/``trace_json`` instead, so replaying
the file reports the same mismatch as replaying the database.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import IO, Iterable, Iterator

from pmprb import i18n
from pmprb.canonical import canonical_json, canonical_hash
from pmprb.errors import ValidationError
from pmprb.engine import chain as chain_hashes
from pmprb.engine.instrument import Instrument
from pmprb.engine.safe_input import InputRefused, jsonl_lines, limits, load_json

FORMAT = "pmprb-decision-log/2"
FORMATS = ("pmprb-decision-log/1", FORMAT)
REQUIRED = ("decision_id", "criterion", "instrument", "engine")

def header(*, round_info: dict, instrument: Instrument, records: int, frozen_results: list | None,
           exported_at: str, generator: str, chain: dict | None = None) -> dict:
    return {"type": "header", "format": FORMAT, "round": round_info,
            "instrument": {"id": instrument.id, "version": instrument.version, "revision": instrument.revision,
                           "data": instrument.data},
            "records": records, "frozen_results": frozen_results, "exported_at": exported_at,
            "generator": generator, "chain": chain}


def event_line(ev: dict) -> dict:
    """An audit event (chain, seq, actor, at, action, payload_hash, prev_hash,
    hash; ``payload`` for the events that pin decision records)."""
    return {"type": "event", **ev}


def decision_line(rec: dict) -> dict:
    """A stored record (texts in ``*_json``) as one log line (JSON values)."""
    line = {k: v for k, v in rec.items() if not k.endswith("_json")}
    line["type"] = "decision"
    for key in ("input", "result", "trace"):
        text = rec.get(f"{key}_json")
        if text is None:
            continue
        try:
            value = load_json(text, f"{key}_json")  # stored text may have been edited outside pmprb
        except (ValueError, InputRefused):  # not JSON, or over a limit: exported as the exact text
            line[f"{key}_json"] = text
            continue
        if canonical_json(value) == text:
            line[key] = value
        else:  # keep the exact bytes: replay must see what the database holds
            line[f"{key}_json"] = text
    return line


def write(fp: IO[str], head: dict, records: Iterable[dict], events: Iterable[dict] = ()) -> int:
    """Write the header, the chain's events and one line per record; returns
    the number of records written."""
    fp.write(canonical_json(head) + "\n")
    for ev in events:
        fp.write(canonical_json(event_line(ev)) + "\n")
    n = 0
    for rec in records:
        fp.write(canonical_json(decision_line(rec)) + "\n")
        n += 1
    return n


class DecisionLog:
    """A decision log file opened for replay: ``header``, ``instruments``
    ({revision: Instrument}) and :meth:`records` (streamed; :attr:`count`
    and :meth:`problems` are known after it is exhausted)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.count = 0
        self.events: list[dict] = []
        self.pinned: dict[str, tuple[str, int]] = {}   # decision_id -> (record hash, event seq)
        self.seen: set[str] = set()
        self.line_problems: list[str] = []
        self.limits = limits()
        try:
            lines = jsonl_lines(self.path, limits_=self.limits)  # bounded: line length, line count, UTF-8 per line
        except OSError as exc:
            raise ValidationError(i18n.t("dlog.unreadable", path=self.path, error=i18n.os_error(exc))) from None
        with closing(lines):
            first = next(lines, (1, ""))[1]
        if not first.strip():
            raise ValidationError(i18n.t("dlog.empty", path=self.path, format=FORMAT))
        head = self._json(first, 1)
        if not isinstance(head, dict) or head.get("type") != "header" or head.get("format") not in FORMATS:
            got = head.get("format") if isinstance(head, dict) else None
            raise ValidationError(i18n.t("dlog.bad_header", path=self.path, format=FORMAT, got=got))
        self.header = head
        frozen = head.get("frozen_results")
        if frozen is not None and not isinstance(frozen, list):
            raise ValidationError(i18n.t("dlog.bad_frozen", path=self.path, got=type(frozen).__name__))
        ins = head.get("instrument") if isinstance(head.get("instrument"), dict) else {}
        data = ins.get("data")
        actual = canonical_hash(data) if data is not None else "-"
        if actual != ins.get("revision"):
            raise ValidationError(i18n.t("dlog.instrument", path=self.path, actual=actual[:12],
                                         stored=str(ins.get("revision"))[:12]))
        inst = Instrument.from_canonical_json(canonical_json(data), origin=f"{self.path}:1")
        self.instruments = {inst.revision: inst}

    def _json(self, text: str, line: int):
        try:
            return load_json(text, f"{self.path}:{line}", limits_=self.limits)  # bounded depth and values
        except ValueError as exc:
            raise ValidationError(i18n.t("dlog.not_json", path=self.path, line=line, error=exc)) from None

    @property
    def has_chain(self) -> bool:
        """The file carries the round's audit chain (format /2 written by ``pmprb audit export``)."""
        return bool(self.header.get("chain"))

    def records(self) -> Iterator[dict]:
        self.count = 0
        self.events, self.pinned, self.seen, self.line_problems = [], {}, set(), []
        try:
            lines = jsonl_lines(self.path, limits_=self.limits)
        except OSError as exc:
            raise ValidationError(i18n.t("dlog.unreadable", path=self.path, error=i18n.os_error(exc))) from None
        with closing(lines):
            for lineno, text in lines:
                if lineno == 1 or not text.strip():
                    continue
                rec = self._json(text, lineno)
                if isinstance(rec, dict) and rec.get("type") == "event":
                    self._event(rec, lineno)
                    continue
                problem = _record_problem(rec)
                if problem:
                    raise ValidationError(i18n.t("dlog.bad_line", path=self.path, line=lineno, problem=problem))
                rec["line"] = lineno
                self.count += 1
                if self.has_chain:
                    self._check_record(rec, lineno)
                yield rec

    def _event(self, ev: dict, lineno: int) -> None:
        missing = next((k for k in ("chain", "seq", "actor", "at", "action", "payload_hash", "prev_hash", "hash")
                        if k not in ev), None)
        if missing:
            raise ValidationError(i18n.t("dlog.bad_line", path=self.path, line=lineno, problem=missing))
        self.events.append(ev)
        if ev["action"] == "decision.record" and isinstance(ev.get("payload"), dict):
            for decision_id, digest in (ev["payload"].get("records") or {}).items():
                self.pinned[decision_id] = (digest, ev["seq"])

    def _check_record(self, rec: dict, lineno: int) -> None:
        ids = rec.get("ids") or {}
        texts = {key: rec[f"{key}_json"] if f"{key}_json" in rec else canonical_json(rec.get(key))
                 for key in ("input", "result", "trace")}
        stored = {"decision_id": rec["decision_id"], "round_id": ids.get("round_id"), "unit_id": ids.get("unit_id"),
                  "assessor_id": ids.get("assessor_id"), "criterion_id": rec.get("criterion"),
                  "kind": rec.get("kind"), "instrument_id": rec["instrument"].get("id"),
                  "instrument_revision": rec["instrument"].get("revision"), "engine": rec.get("engine"),
                  "input_json": texts["input"], "result_json": texts["result"], "trace_json": texts["trace"]}
        actual = chain_hashes.record_hash(stored)
        who = {"line": lineno, "decision_id": rec["decision_id"], "criterion": rec.get("criterion")}
        if rec.get("record_sha256") != actual:
            self.line_problems.append(i18n.t("dlog.record_hash", **who))
        elif self.pinned.get(rec["decision_id"], (None,))[0] != actual:
            self.line_problems.append(i18n.t("dlog.not_pinned", **who))
        self.seen.add(rec["decision_id"])

    def problems(self) -> list[str]:
        """What the file itself contradicts (known once :meth:`records` is exhausted)."""
        out = list(self.line_problems)
        expected = self.header.get("records")
        if isinstance(expected, int) and expected != self.count:
            out.append(i18n.t("dlog.count", expected=expected, actual=self.count))
        if not self.has_chain:
            return out
        for decision_id, (_digest, seq) in sorted(self.pinned.items(), key=lambda kv: (kv[1][1], kv[0])):
            if decision_id not in self.seen:
                out.append(i18n.t("dlog.missing", decision_id=decision_id, seq=seq))
        problem, head_hash = chain_hashes.verify_events(sorted(self.events, key=lambda e: e["seq"]))
        if problem:
            out.append(i18n.t("dlog.chain", problem=problem))
        head = self.header.get("chain") or {}
        last = max((e["seq"] for e in self.events), default=0)
        if not problem and (head.get("seq") != last or head.get("hash") != head_hash):
            out.append(i18n.t("dlog.head", seq=head.get("seq"), hash=str(head.get("hash"))[:16], last=last,
                              actual=head_hash[:16]))
        return out


def replay_log(log: DecisionLog, *, engine: str | None = None, progress=None):
    """Replay an exported decision log without a database: every record,
    the record count the header announced, and the frozen result if any."""
    from pmprb.engine import replay

    report = replay.replay(log.records(), log.instruments, engine=engine, progress=progress)
    report.problems.extend(log.problems())
    frozen = log.header.get("frozen_results")
    if frozen is not None:
        (inst,) = log.instruments.values()
        report.scores = replay.check_frozen(inst, report, frozen, engine)
    return report


def _record_problem(rec) -> str | None:
    """The first field of a decision line that replay cannot use as it is, or None."""
    if not isinstance(rec, dict) or rec.get("type") != "decision":
        return "type"
    missing = next((k for k in REQUIRED if k not in rec), None)
    if missing:
        return missing
    if not isinstance(rec["instrument"], dict) or not isinstance(rec["instrument"].get("revision"), str):
        return "instrument"
    for key in ("criterion", "engine"):
        if not isinstance(rec[key], str):
            return key
    for key in ("decision_id", "kind", "unit", "assessor", "input_json", "result_json", "trace_json"):
        if rec.get(key) is not None and not isinstance(rec[key], (str, int) if key == "decision_id" else str):
            return key
    return None
