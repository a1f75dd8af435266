"""The decision log file: a round's decision records as JSON Lines.

One file is enough to replay a round with no database: line 1 is a header
that carries the pinned instrument (its canonical data, which must hash to
the revision the records name) and the frozen result when there is one;
every further line is one decision record::

    {"type": "header", "format": "pmprb-decision-log/1", "round": {...},
     "instrument": {"id", "version", "revision", "data": {...}},
     "records": N, "frozen_results": [...] | null, "exported_at": ..., "generator": ...}
    {"type": "decision", "decision_id", "round", "criterion", "kind", "unit",
     "assessor", "actor", "timestamp", "instrument": {"id", "revision"},
     "engine", "input", "result", "trace", "record_sha256"}

``input``/``result``/``trace`` are JSON values. Should the stored bytes not
be canonical JSON (an edit made outside pmprb), the line carries the exact
text as ``input_json``/``result_json``/``trace_json`` instead, so replaying
the file reports the same mismatch as replaying the database.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import IO, Iterable, Iterator

from .. import i18n
from ..canonical import canonical_json, canonical_hash
from ..errors import ValidationError
from .instrument import Instrument
from .safe_input import InputRefused, jsonl_lines, limits, load_json

FORMAT = "pmprb-decision-log/1"
REQUIRED = ("decision_id", "criterion", "instrument", "engine")

i18n.register({
    "dlog.empty": {"id": "{path}: berkas kosong; diharapkan baris judul {format}",
                   "en": "{path}: empty file; expected a {format} header line"},
    "dlog.not_json": {"id": "{path}:{line}: bukan JSON: {error}", "en": "{path}:{line}: not JSON: {error}"},
    "dlog.bad_header": {"id": "{path}:1: bukan judul {format} (format {got!r})",
                        "en": "{path}:1: not a {format} header (format {got!r})"},
    "dlog.bad_line": {"id": "{path}:{line}: bukan catatan keputusan ({problem})",
                      "en": "{path}:{line}: not a decision record ({problem})"},
    "dlog.instrument": {
        "id": "{path}:1: instrumen dalam berkas (sha256 {actual}) tidak cocok dengan revisinya {stored}",
        "en": "{path}:1: the instrument in the file (sha256 {actual}) does not match its revision {stored}"},
    "dlog.bad_frozen": {"id": "{path}:1: frozen_results harus berupa daftar atau null, bukan {got}",
                        "en": "{path}:1: frozen_results must be a list or null, not {got}"},
    "dlog.count": {"id": "judul berkas menyebut {expected} catatan, berkas berisi {actual} (berkas terpotong/diubah)",
                   "en": "the header announces {expected} records but the file holds {actual} (truncated or edited)"},
    "dlog.unreadable": {"id": "{path}: tidak dapat dibaca: {error}", "en": "{path}: cannot read: {error}"},
})


def header(*, round_info: dict, instrument: Instrument, records: int, frozen_results: list | None,
           exported_at: str, generator: str) -> dict:
    return {"type": "header", "format": FORMAT, "round": round_info,
            "instrument": {"id": instrument.id, "version": instrument.version, "revision": instrument.revision,
                           "data": instrument.data},
            "records": records, "frozen_results": frozen_results, "exported_at": exported_at,
            "generator": generator}


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


def write(fp: IO[str], head: dict, records: Iterable[dict]) -> int:
    """Write the header and one line per record; returns the number written."""
    fp.write(canonical_json(head) + "\n")
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
        self.limits = limits()
        try:
            lines = jsonl_lines(self.path, limits_=self.limits)  # bounded: line length, line count, UTF-8 per line
        except OSError as exc:
            raise ValidationError(i18n.t("dlog.unreadable", path=self.path, error=exc)) from None
        with closing(lines):
            first = next(lines, (1, ""))[1]
        if not first.strip():
            raise ValidationError(i18n.t("dlog.empty", path=self.path, format=FORMAT))
        head = self._json(first, 1)
        if not isinstance(head, dict) or head.get("type") != "header" or head.get("format") != FORMAT:
            got = head.get("format") if isinstance(head, dict) else None
            raise ValidationError(i18n.t("dlog.bad_header", path=self.path, format=FORMAT, got=got))
        frozen = head.get("frozen_results")
        if frozen is not None and not isinstance(frozen, list):
            raise ValidationError(i18n.t("dlog.bad_frozen", path=self.path, got=type(frozen).__name__))
        self.header = head
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

    def records(self) -> Iterator[dict]:
        self.count = 0
        try:
            lines = jsonl_lines(self.path, limits_=self.limits)
        except OSError as exc:
            raise ValidationError(i18n.t("dlog.unreadable", path=self.path, error=exc)) from None
        with closing(lines):
            for lineno, text in lines:
                if lineno == 1:
                    continue
                if not text.strip():
                    continue
                rec = self._json(text, lineno)
                problem = _record_problem(rec)
                if problem:
                    raise ValidationError(i18n.t("dlog.bad_line", path=self.path, line=lineno, problem=problem))
                rec["line"] = lineno
                self.count += 1
                yield rec

    def problems(self) -> list[str]:
        expected = self.header.get("records")
        if isinstance(expected, int) and expected != self.count:
            return [i18n.t("dlog.count", expected=expected, actual=self.count)]
        return []


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


def replay_log(log: DecisionLog, *, engine: str | None = None, progress=None):
    """Replay an exported decision log without a database: every record,
    the record count the header announced, and the frozen result if any."""
    from . import replay

    report = replay.replay(log.records(), log.instruments, engine=engine, progress=progress)
    report.problems.extend(log.problems())
    frozen = log.header.get("frozen_results")
    if frozen is not None:
        (inst,) = log.instruments.values()
        report.scores = replay.check_frozen(inst, report, frozen, engine)
    return report
