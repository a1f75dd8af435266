"""The hashes that link the audit log, as plain functions (no database), so
an exported file can be checked with no database at all.

An event's hash covers its chain, sequence number, actor, time, action, the
SHA-256 of its canonical payload and the previous event's hash. A decision
record's hash covers everything replay uses; its ``decision.record`` event
pins it.
"""

from __future__ import annotations

from pmprb import i18n

from typing import Any, Mapping

from pmprb.canonical import canonical_json, sha256_hex

GENESIS = "0" * 64


def event_hash(*, chain: str, seq: int, actor: str, at: str, action: str, payload_hash: str, prev_hash: str) -> str:
    return sha256_hex(canonical_json({"chain": chain, "seq": seq, "actor": actor, "at": at, "action": action,
                                      "payload_hash": payload_hash, "prev_hash": prev_hash}))


def record_hash(get) -> str:
    """``get(column)`` gives a decision record's stored values (texts for
    ``input_json``/``result_json``/``trace_json``)."""
    if isinstance(get, Mapping):
        get = get.get
    return sha256_hex(canonical_json({
        "decision_id": get("decision_id"), "round_id": get("round_id"), "unit_id": get("unit_id"),
        "assessor_id": get("assessor_id"), "criterion_id": get("criterion_id"), "kind": get("kind"),
        "instrument_id": get("instrument_id"), "instrument_revision": get("instrument_revision"),
        "engine": get("engine"), "input": get("input_json"), "result": get("result_json"),
        "trace": get("trace_json")}))


def verify_events(events: list[Mapping[str, Any]]) -> tuple[str | None, str]:
    """Recompute a chain from its events (oldest first). Returns (the first
    problem or None, the head hash)."""
    prev_hash, prev_seq = GENESIS, 0
    for ev in events:
        if ev["seq"] != prev_seq + 1:
            return i18n.t("chain.seq_gap", seq=ev['seq'], prev=prev_seq), prev_hash
        if ev["prev_hash"] != prev_hash:
            return i18n.t("chain.link_broken", seq=ev['seq']), prev_hash
        if ev["hash"] != event_hash(chain=ev["chain"], seq=ev["seq"], actor=ev["actor"], at=ev["at"],
                                    action=ev["action"], payload_hash=ev["payload_hash"], prev_hash=ev["prev_hash"]):
            return i18n.t("chain.hash_mismatch", seq=ev['seq'], action=ev['action']), prev_hash
        if "payload" in ev and sha256_hex(canonical_json(ev["payload"])) != ev["payload_hash"]:
            return i18n.t("chain.payload_mismatch", seq=ev['seq'], action=ev['action']), prev_hash
        prev_hash, prev_seq = ev["hash"], ev["seq"]
    return None, prev_hash
