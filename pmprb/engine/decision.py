"""A decision and its result as typed, immutable objects.

The evaluator returns :class:`Decision` objects and every module reads them by
attribute (``d.result.value``, ``d.trace``); flags are the names in
:mod:`pmprb.engine.flags`. The stored *record* (the database row, a decision
log line, a replay file, the hashes over them) keeps its dict shape
``{criterion, input, result: {value, raw_value, [count,] flags}, trace, engine}``:
:meth:`Decision.record` produces exactly that dict and
:meth:`Decision.from_record` reads one back, so the canonical JSON of a record
is byte-for-byte what it was when decisions were dicts.

Cheap on purpose (hundreds of thousands per national run): slotted, no
copies, no validation; ``input`` is the evaluator's dict, shared, not copied
(treat it as read-only). The ``__init__`` sets the slots through their
descriptors instead of the frozen dataclass's ``object.__setattr__`` per field
(half the construction cost); frozen they stay: assigning raises
``FrozenInstanceError``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmprb.engine import flags as flag_names


@dataclass(frozen=True, slots=True, init=False)
class Result:
    """One criterion's result. A count item (``is_count``) carries ``count`` and no
    value; any other item carries ``value``/``raw_value`` and no ``count`` key in
    its record (absent, not None: the record keeps that difference)."""

    value: float | None
    raw_value: float | None
    flags: tuple[str, ...] = ()
    count: int | None = None
    is_count: bool = False

    def __init__(self, value: float | None, raw_value: float | None, flags: tuple[str, ...] = (),
                 count: int | None = None, is_count: bool = False):
        _SET_RESULT(self, value, raw_value, flags, count, is_count)

    @classmethod
    def counted(cls, count: int | None, flags: tuple[str, ...] = ()) -> Result:
        return cls(None, None, flags, count, True)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    @property
    def gates(self) -> tuple[str, ...]:
        """The criteria that gated this result (from its ``gated_by:`` flags), in flag order."""
        return tuple(flag[len(flag_names.GATED_BY):] for flag in self.flags if flag.startswith(flag_names.GATED_BY))

    @property
    def evidence_flags(self) -> tuple[str, ...]:
        """The flags about the cited documents (:data:`pmprb.engine.flags.EVIDENCE`), in flag order."""
        return tuple(flag for flag in self.flags if flag in flag_names.EVIDENCE)

    def record(self) -> dict:
        """The stored result dict (a new dict; flags as a new list)."""
        if self.is_count:
            return {"value": self.value, "raw_value": self.raw_value, "count": self.count, "flags": list(self.flags)}
        return {"value": self.value, "raw_value": self.raw_value, "flags": list(self.flags)}

    @classmethod
    def from_record(cls, rec: dict) -> Result:
        """A result read back from its stored dict (a missing key reads as None / no flags)."""
        get = rec.get
        return cls(get("value"), get("raw_value"), tuple(get("flags") or ()), get("count"), "count" in rec)


@dataclass(frozen=True, slots=True, init=False)
class Decision:
    """One criterion decided: everything it read (``input``, enough to replay it
    alone), its ``result``, the rules that fired in firing order (``trace``) and
    the engine label."""

    criterion: str
    input: dict
    result: Result
    trace: tuple[str, ...]
    engine: str

    def __init__(self, criterion: str, input: dict, result: Result, trace: tuple[str, ...], engine: str):
        _SET_DECISION(self, criterion, input, result, trace, engine)

    @property
    def answer(self):
        return self.input.get("answer")

    def record(self) -> dict:
        """The stored decision dict, exactly as records, logs and hashes hold it."""
        return {"criterion": self.criterion, "input": self.input, "result": self.result.record(),
                "trace": list(self.trace), "engine": self.engine}

    @classmethod
    def from_record(cls, rec: dict) -> Decision:
        """A decision read back from a stored record dict (database row parsed, replay or log file)."""
        return cls(rec.get("criterion"), rec.get("input") or {}, Result.from_record(rec.get("result") or {}),
                   tuple(rec.get("trace") or ()), rec.get("engine"))


def _slot_setter(cls, names: tuple[str, ...]):
    s1, s2, s3, s4, s5 = (cls.__dict__[n].__set__ for n in names)

    def setter(obj, v1, v2, v3, v4, v5) -> None:
        s1(obj, v1)
        s2(obj, v2)
        s3(obj, v3)
        s4(obj, v4)
        s5(obj, v5)

    return setter


_SET_RESULT = _slot_setter(Result, ("value", "raw_value", "flags", "count", "is_count"))
_SET_DECISION = _slot_setter(Decision, ("criterion", "input", "result", "trace", "engine"))
