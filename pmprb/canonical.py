"""Canonical JSON: the one serialisation used for hashing and byte-for-byte comparison."""

import hashlib
import json
from typing import Any


def canonical_json(obj: Any) -> str:
    # Sorted keys, no whitespace, UTF-8 text: the same data always gives the same bytes.
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_bytes(obj: Any) -> bytes:
    return canonical_json(obj).encode("utf-8")


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def canonical_hash(obj: Any) -> str:
    return sha256_hex(canonical_bytes(obj))
