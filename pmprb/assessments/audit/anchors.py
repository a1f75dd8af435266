"""Anchors: chain heads kept outside the database, and the proof that the
database still extends them.

A hash chain inside the database protects against nobody who can rewrite the
database: they recompute every hash. What they cannot rewrite is a head that
already left the database — in a checkpoint file (optionally signed with a
key that never enters the database), in every report people sign or archive
(:func:`head_marker` in its footer), in the JSON Lines export (its header and
its event lines). :func:`check_against` takes any of those and proves that
the database still holds the event the anchor names, with the same hash —
and so, link by link, every event before it — or names what happened:

- the chain is shorter than the anchor: events were deleted from the end
  (truncation, or a finalisation rolled back);
- the event has another hash: the chain was rewritten at or before it; an
  export names the first event that differs, a checkpoint names the tables
  whose rows, as the log then gave them, differ from what it recorded;
- the chain or the round is gone; the final result the anchor recorded is
  gone or changed.

A checkpoint (``pmprb-checkpoint/1``) is a small JSON file::

    {"format": "pmprb-checkpoint/1", "institution": {...}, "round": {...} | null,
     "chain": {"name", "seq", "hash", "at"}, "global": {"name", "seq", "hash", "at"},
     "result_sha256": ... | null, "tables": {table: {"rows", "sha256"}},
     "made_at": ..., "made_by": ..., "generator": ...,
     "signature": {"algorithm": "ed25519", "signer", "fingerprint", "public_key", "value"}}

The signature covers the canonical JSON of everything else.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from pmprb import __version__, i18n
from pmprb.canonical import canonical_json, sha256_hex
from pmprb.engine import safe_input
from pmprb.errors import ValidationError
from pmprb.assessments.audit import signing
from pmprb.assessments.audit.row_checks import ledger
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.audit_log import GLOBAL_CHAIN, Problem
from pmprb.assessments.store.models import (AssessmentRound, AuditChain, AuditEvent, Institution, PersonKey,
                                            utcnow)
from pmprb.assessments.store.models.final_result import FinalResult

FORMAT = "pmprb-checkpoint/1"
MARKER = "pmprb-audit-head"
MARKER_RE = re.compile(MARKER + r":(global|round:\d+):(\d+):([0-9a-f]{64})")

@dataclass(frozen=True)
class Head:
    chain: str
    seq: int
    hash: str
    at: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.chain, "seq": self.seq, "hash": self.hash, "at": self.at}


@dataclass
class Anchor:
    """What an anchor file says: the heads it carries, and more for a
    checkpoint (tables, result hash, signature) or an export (every event)."""

    path: Path
    kind: str                                   # checkpoint | export | report
    heads: list[Head]
    checkpoint: dict | None = None
    events: dict[str, dict[int, dict]] = field(default_factory=dict)   # export: chain -> seq -> event line
    round_code: str | None = None

    @property
    def source(self) -> str:
        return f"{self.kind} {self.path.name}"


# ---------------------------------------------------------------------------
# heads and markers


def head_of(session: Session, round_id: int | None) -> Head:
    """The chain's head as the database holds it (sequence, hash, time of the last event)."""
    name = audit_log.chain_name(round_id)
    row = session.get(AuditChain, name)
    if row is None or row.last_seq == 0:
        return Head(name, 0, audit_log.GENESIS, None)
    at = session.exec(select(AuditEvent.at).where(AuditEvent.chain == name, AuditEvent.seq == row.last_seq)).first()
    return Head(name, row.last_seq, row.last_hash, at)


def head_marker(head: Head) -> str:
    """The machine-readable line a document carries (``verify --against`` finds it)."""
    return f"{MARKER}:{head.chain}:{head.seq}:{head.hash}"


def report_head(session: Session, rnd: AssessmentRound) -> dict:
    """The round's head for a report's context (``audit_head``)."""
    head = head_of(session, rnd.id)
    return {**head.to_dict(), "marker": head_marker(head)}


# ---------------------------------------------------------------------------
# checkpoints


def table_digests(evs: list[AuditEvent]) -> dict[str, dict]:
    """Every table's rows as the chain's ledger gives them after ``evs``: a
    count and the SHA-256 of the canonical rows, per table."""
    out = {}
    for table, rows in sorted(ledger(evs).items()):
        live = sorted((key, entry.last[1]) for key, entry in rows.items() if entry.last[1] is not None)
        out[table] = {"rows": len(live), "sha256": sha256_hex(canonical_json(live))}
    return out


def make_checkpoint(session: Session, rnd: AssessmentRound | None, *, made_by: str | None = None) -> dict:
    """The checkpoint of a round's chain (None: the institution chain only),
    with the institution chain's head beside it."""
    inst = session.exec(select(Institution).order_by(Institution.id)).first()
    round_id = rnd.id if rnd is not None else None
    head = head_of(session, round_id)
    evs = [e for e in audit_log.events(session, round_id) if e.seq <= head.seq]
    result = None
    if rnd is not None:
        fr = session.exec(select(FinalResult).where(FinalResult.round_id == rnd.id)
                          .order_by(FinalResult.seq.desc())).first()
        result = fr.result_hash if fr is not None else None
    return {
        "format": FORMAT,
        "institution": {"code": inst.code, "name": inst.name} if inst else None,
        "round": {"id": rnd.id, "code": rnd.code, "year": rnd.year, "state": rnd.state,
                  "instrument_id": rnd.instrument_id, "instrument_revision": rnd.instrument_revision}
        if rnd is not None else None,
        "chain": head.to_dict(),
        "global": head_of(session, None).to_dict(),
        "result_sha256": result,
        "tables": table_digests(evs),
        "made_at": utcnow().isoformat(timespec="seconds"),
        "made_by": made_by,
        "generator": f"pmprb {__version__}",
    }


def signed_bytes(checkpoint: dict) -> bytes:
    return canonical_json({k: v for k, v in checkpoint.items() if k != "signature"}).encode("utf-8")


def sign_checkpoint(checkpoint: dict, private_key, signer: str) -> dict:
    public = signing.public_of(private_key)
    return {**checkpoint, "signature": {"algorithm": signing.ALGORITHM, "signer": signer,
                                        "fingerprint": signing.fingerprint(public), "public_key": public,
                                        "value": signing.sign(private_key, signed_bytes(checkpoint))}}


def write_checkpoint(path: Path, checkpoint: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(checkpoint, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


# ---------------------------------------------------------------------------
# reading anchors


def load_anchor(path: str | Path) -> Anchor:
    """A checkpoint, a JSON Lines export, or a report (HTML, Markdown, CSV,
    XLSX) that carries a head marker."""
    path = Path(path)
    try:
        raw = safe_input.read_bytes(path)  # at most PMPRB_MAX_INPUT_MB
    except OSError as exc:
        raise ValidationError(i18n.t("anchor.unreadable", path=path, error=i18n.os_error(exc))) from None
    if raw[:2] == b"PK":
        return _from_xlsx(path, raw)
    text = raw.decode("utf-8-sig", errors="replace")
    stripped = text.lstrip()
    try:
        if stripped.startswith("{"):
            first = stripped.split("\n", 1)[0]
            try:
                data = safe_input.load_json(stripped, str(path))  # bounded depth and values
            except ValueError:
                data = None
            if isinstance(data, dict) and data.get("format") == FORMAT:
                heads = [_head(data["chain"])] + ([_head(data["global"])] if data.get("global") else [])
                return Anchor(path, "checkpoint", heads, checkpoint=data,
                              round_code=(data.get("round") or {}).get("code"))
            try:
                header = safe_input.load_json(first, f"{path}:1")
            except ValueError:
                header = None
            if isinstance(header, dict) and header.get("type") == "header" and header.get("chain"):
                return _from_export(path, header, text)
    except safe_input.InputRefused:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a checkpoint or export of the wrong shape
        raise ValidationError(i18n.t("anchor.unreadable", path=path, error=f"{type(exc).__name__}: {exc}")) from None
    return _from_markers(path, text)


def _head(d: dict) -> Head:
    return Head(str(d["name"]), int(d["seq"]), str(d["hash"]), d.get("at"))


def _from_export(path: Path, header: dict, text: str) -> Anchor:
    events: dict[str, dict[int, dict]] = {}
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if '"type":"event"' not in line:
            continue
        ev = safe_input.load_json(line, f"{path}:{number}")
        events.setdefault(ev["chain"], {})[int(ev["seq"])] = ev
    return Anchor(path, "export", [_head(header["chain"])], events=events,
                  round_code=(header.get("round") or {}).get("code"))


def _from_markers(path: Path, text: str) -> Anchor:
    heads = list(dict.fromkeys(Head(c, int(s), h) for c, s, h in MARKER_RE.findall(text)))
    if not heads:
        raise ValidationError(i18n.t("anchor.none", path=path))
    return Anchor(path, "report", heads)


def _from_xlsx(path: Path, raw: bytes) -> Anchor:
    """Head markers in a report XLSX's XML, each entry read with a cap: a
    zip that unpacks to gigabytes is refused, not unpacked."""
    import io

    lim = safe_input.limits()
    texts = []
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = z.infolist()
            if len(infos) > lim.max_zip_entries:
                raise ValidationError(i18n.t("anchor.unreadable", path=path, error=f"{len(infos)} zip entries"))
            for info in infos:
                if not info.filename.endswith(".xml"):
                    continue
                with z.open(info) as f:
                    data = f.read(lim.max_bytes + 1)
                total += len(data)
                if len(data) > lim.max_bytes or total > lim.max_unpacked:
                    raise safe_input.InputRefused(i18n.t("input.too_big_stream", file=f"{path}:{info.filename}",
                                                         limit=lim.max_mb, var=safe_input.ENV_MAX_MB), reason="size")
                texts.append(data.decode("utf-8", errors="replace"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            ValueError) as exc:
        raise ValidationError(i18n.t("anchor.unreadable", path=path, error=exc)) from None
    return _from_markers(path, "\n".join(texts))


# ---------------------------------------------------------------------------
# checking the database against an anchor


def _p(message: str, ev: AuditEvent | None = None) -> Problem:
    return Problem("anchor", message, ev.seq if ev else None, ev.action if ev else None)


def check_signature(session: Session, anchor: Anchor, public_key: str | None = None) -> tuple[list[Problem], str]:
    """The checkpoint's signature, with the given public key or the key the
    database registers under its fingerprint. Returns problems and a note."""
    sig = (anchor.checkpoint or {}).get("signature")
    if anchor.kind != "checkpoint":
        return [], ""
    if not sig:
        return ([_p(i18n.t("anchor.sig_other", source=anchor.source, fingerprint="-",
                           expected=signing.fingerprint(public_key)[:16]))] if public_key else [],
                i18n.t("anchor.unsigned", source=anchor.source))
    fp = str(sig.get("fingerprint", ""))
    if public_key is not None:
        key = public_key
        if signing.fingerprint(key) != fp:
            return [_p(i18n.t("anchor.sig_other", source=anchor.source, fingerprint=fp[:16],
                              expected=signing.fingerprint(key)[:16]))], ""
    else:
        row = session.exec(select(PersonKey).where(PersonKey.fingerprint == fp)).first()
        if row is None:
            return [_p(i18n.t("anchor.sig_unknown", source=anchor.source, fingerprint=fp[:16]))], ""
        key = row.public_key
    if not signing.verify(key, signed_bytes(anchor.checkpoint), str(sig.get("value", ""))):
        return [_p(i18n.t("anchor.sig_bad", source=anchor.source))], ""
    return [], i18n.t("anchor.sig_ok", source=anchor.source, signer=sig.get("signer"), fingerprint=fp[:16])


def check_against(session: Session, anchor: Anchor, chains: list[str] | None = None
                  ) -> tuple[dict[str, list[Problem]], list[str]]:
    """Every head of the anchor (limited to ``chains`` when given) against
    the database. Returns the problems by chain and notes that say what was proved."""
    problems: dict[str, list[Problem]] = {}
    notes: list[str] = []
    for head in anchor.heads:
        if chains is not None and head.chain not in chains:
            continue
        found, note = _check_head(session, anchor, head)
        problems.setdefault(head.chain, []).extend(found)
        if note:
            notes.append(note)
    cp = anchor.checkpoint
    if cp and cp.get("result_sha256") and (chains is None or cp["chain"]["name"] in chains):
        digest = cp["result_sha256"]
        if not session.exec(select(FinalResult.id).where(FinalResult.result_hash == digest)).first():
            problems.setdefault(cp["chain"]["name"], []).append(
                _p(i18n.t("anchor.result_gone", source=anchor.source, hash=digest[:16])))
    return problems, notes


def _check_head(session: Session, anchor: Anchor, head: Head) -> tuple[list[Problem], str | None]:
    src, short = anchor.source, head.hash[:16]
    if head.seq == 0:
        return [], None
    if session.get(AuditChain, head.chain) is None and not session.exec(
            select(AuditEvent.id).where(AuditEvent.chain == head.chain)).first():
        return [_p(i18n.t("anchor.chain_gone", chain=head.chain, source=src, round=anchor.round_code or "-"))], None
    round_id = None if head.chain == GLOBAL_CHAIN else int(head.chain.split(":", 1)[1])
    if anchor.round_code and round_id is not None and anchor.kind == "checkpoint":
        rnd = session.get(AssessmentRound, round_id)
        if rnd is not None and rnd.code != anchor.round_code:
            return [_p(i18n.t("anchor.round_changed", source=src, was=anchor.round_code, now=rnd.code,
                              chain=head.chain))], None
    evs = audit_log.events(session, round_id)
    by_seq = {e.seq: e for e in evs}
    last = evs[-1].seq if evs else 0
    ev = by_seq.get(head.seq)
    if ev is None:
        return [_p(i18n.t("anchor.truncated", source=src, seq=head.seq, hash=short, at=head.at or "-",
                          chain=head.chain, last=last, first_missing=last + 1), evs[-1] if evs else None)], None
    if ev.hash == head.hash:
        return [], i18n.t("anchor.ok", chain=head.chain, seq=head.seq, hash=short, source=src)
    problems = [_p(i18n.t("anchor.rewritten", source=src, seq=head.seq, hash=short, now=ev.hash[:16],
                          action=ev.action, chain=head.chain), ev)]
    recorded = anchor.events.get(head.chain)
    if recorded:
        for seq in sorted(recorded):
            was, now = recorded[seq], by_seq.get(seq)
            if now is None or now.hash != was["hash"]:
                problems.append(_p(i18n.t(
                    "anchor.first_diff", source=src, seq=seq, was_action=was.get("action"), was=was["hash"][:16],
                    now_action=now.action if now else "-", now=now.hash[:16] if now else "-"), now))
                break
    cp = anchor.checkpoint
    if cp and cp.get("tables") is not None and head.chain == cp["chain"]["name"]:
        now_tables = table_digests([e for e in evs if e.seq <= head.seq])
        for table in sorted(set(now_tables) | set(cp["tables"])):
            a, b = now_tables.get(table, {"rows": 0, "sha256": "-"}), cp["tables"].get(table, {"rows": 0, "sha256": "-"})
            if a != b:
                problems.append(_p(i18n.t("anchor.table_diff", table=table, seq=head.seq, rows_now=a["rows"],
                                          now=a["sha256"][:12], source=src, rows_was=b["rows"], was=b["sha256"][:12])))
    return problems, None


def check_file_against(anchor: Anchor, events: list[dict], public_key: str | None = None) -> tuple[list[str], list[str]]:
    """An exported file's chain (its event lines) against an anchor, with no
    database: the anchor's event must be in the file with the same hash.
    A checkpoint's signature is checked with ``public_key``, else with the
    key it carries (which proves only that the file was not changed since
    that key signed it). Returns (problems, notes)."""
    problems: list[str] = []
    notes: list[str] = []
    by_chain: dict[str, dict[int, dict]] = {}
    for ev in events:
        by_chain.setdefault(ev["chain"], {})[ev["seq"]] = ev
    sig = (anchor.checkpoint or {}).get("signature")
    if sig:
        key = public_key or sig.get("public_key", "")
        if public_key and signing.fingerprint(public_key) != sig.get("fingerprint"):
            problems.append(i18n.t("anchor.sig_other", source=anchor.source, fingerprint=str(sig.get("fingerprint"))[:16],
                                   expected=signing.fingerprint(public_key)[:16]))
        elif not signing.verify(key, signed_bytes(anchor.checkpoint), str(sig.get("value", ""))):
            problems.append(i18n.t("anchor.sig_bad", source=anchor.source))
        else:
            notes.append(i18n.t("anchor.sig_ok", source=anchor.source, signer=sig.get("signer"),
                                fingerprint=str(sig.get("fingerprint"))[:16]))
    for head in anchor.heads:
        chain = by_chain.get(head.chain)
        if chain is None:
            continue
        ev = chain.get(head.seq)
        last = max(chain, default=0)
        if ev is None:
            problems.append(i18n.t("anchor.truncated", source=anchor.source, seq=head.seq, hash=head.hash[:16],
                                   at=head.at or "-", chain=head.chain, last=last, first_missing=last + 1))
        elif ev["hash"] != head.hash:
            problems.append(i18n.t("anchor.rewritten", source=anchor.source, seq=head.seq, hash=head.hash[:16],
                                   now=ev["hash"][:16], action=ev["action"], chain=head.chain))
        else:
            notes.append(i18n.t("anchor.ok", chain=head.chain, seq=head.seq, hash=head.hash[:16], source=anchor.source))
    if not any(h.chain in by_chain for h in anchor.heads):
        problems.append(i18n.t("anchor.not_this_round", source=anchor.source, round=", ".join(by_chain) or "-"))
    return problems, notes
