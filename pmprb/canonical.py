"""Canonical JSON: the one serialisation used for hashing and byte-for-byte comparison."""

import hashlib
import json
from json import encoder as _json_encoder
from typing import Any

_OPTIONS = dict(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _one_shot_encoder():
    """The C encoder ``json.dumps(obj, **_OPTIONS)`` builds on every call, built once.

    Every decision record is encoded three times and its audit event once more, so
    the per-call set-up is a visible share of a round's CPU. No circular-reference
    markers (the data are trees; a cycle still fails, as RecursionError). None where
    the C accelerator is missing."""
    make = getattr(_json_encoder, "c_make_encoder", None)
    if make is None:
        return None
    default = json.JSONEncoder(**_OPTIONS).default
    try:
        return make(None, default, _json_encoder.encode_basestring, None, ":", ",", True, False, False)
    except TypeError:   # another C signature: the plain call below is always right
        return None


_ENCODE = _one_shot_encoder()
_CONTAINERS = (dict, list, tuple)   # a tuple is an array, as in json.dumps


def canonical_json(obj: Any) -> str:
    # Sorted keys, no whitespace, UTF-8 text: the same data always gives the same bytes.
    if _ENCODE is not None and type(obj) in _CONTAINERS:
        return "".join(_ENCODE(obj, 0))
    return json.dumps(obj, **_OPTIONS)


def canonical_bytes(obj: Any) -> bytes:
    return canonical_json(obj).encode("utf-8")


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def canonical_hash(obj: Any) -> str:
    return sha256_hex(canonical_bytes(obj))
