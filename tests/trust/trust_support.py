"""An insider's tools, for the tests of issue 12 (imported by name).

``build_full`` makes a database in which every table of the schema holds
rows: the finalised round of ``tests/audit/audit_support.py`` plus a
consensus meeting, a RATL role map, a registered public key, a reopen and a
second finalisation (round snapshot), and an imported published table.

The attacks work the way someone with the database file or the owner's
login would: plain SQL, foreign keys and triggers off, and for the
consistent rewrites every event hash and the chain head recomputed with the
published algorithm (``pmprb.engine.chain``).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "audit"))

import audit_support  # noqa: E402

from pmprb.assessments import wiring  # noqa: E402
from pmprb.assessments.audit import signing  # noqa: E402
from pmprb.assessments.coordinate import minutes, consensus, official, ratl  # noqa: E402
from pmprb.assessments.setup import people, rounds  # noqa: E402
from pmprb.assessments.setup.permissions import resolve_actor  # noqa: E402
from pmprb.assessments.store.db import Database, open_db  # noqa: E402
from pmprb.canonical import canonical_json, sha256_hex  # noqa: E402
from pmprb.engine.chain import GENESIS, event_hash  # noqa: E402

PUBLISHED = """year,item,weight,value,percent
2016,MP,5,3.45,69.00
2016,PENGUNGKIT,60,40.00,66.67
2016,INDEKS,100,70.00,70.00
2016,GRADE,,B,
"""


EVIDENCE: dict[str, Path] = {}   # where build_full stored the evidence files (copied into each test's store)


def build_full(db: Database, tmp: Path | None = None) -> None:
    import tempfile

    tmp = tmp or Path(tempfile.mkdtemp(prefix="trust-"))
    EVIDENCE[db.engine.dialect.name] = db.evidence_dir
    w = audit_support.build(db, tmp, finalise=False)
    kora = w.actor("kora")
    w.run(lambda s: consensus.record_meeting(s, kora, w.rnd(s), meeting_date=audit_support.MEETING,
                                             participants=audit_support.PARTICIPANTS, note="Rapat pleno",
                                             today=audit_support.TODAY))
    w.run(lambda s: minutes.set_minutes(s, kora, w.rnd(s), number="700/1/BA/2024", place="Aula Inspektorat"))
    audit_support.finalise_round(w)
    w.run(lambda s: ratl.map_role(s, kora, "BKPSDM", "DINKES"))
    # An official value (KemenPANRB's evaluated answer), so the official_value table holds a row.
    w.run(lambda s: official.record(s, kora, w.rnd(s), {"MP.1.a": ("A", "LHE RB KemenPANRB 2024")}))
    # A round on an instrument that rescales a component, with its official applicable weight, so the
    # applicable_weight table holds a row (pmprb-2014 rescales nothing: it takes no weight).
    w.run(lambda s: official.record(s, kora, rounds.create_round(
        s, kora, year=2024, code="RB2024", instrument="rb-2023-kabkota", deadline=date(2024, 5, 31)), {},
        source="LHE RB 2023 (bobot RB General penyesuaian)", applicable_weight="86.5"))
    key = signing.generate(tmp / "kora.pem")
    w.run(lambda s: people.register_key(s, kora, key, signing.fingerprint(key)))
    w.run(lambda s: wiring.reopen(s, kora, w.rnd(s), reason="Koreksi Hasil"))
    w.run(lambda s: wiring.finalise(s, kora, w.rnd(s)))
    csv = tmp / "tabel.csv"
    csv.write_text(PUBLISHED, encoding="utf-8")
    res = CliRunner().invoke(_main(), ["--db", db.url, "--as", "admin", "history", "import", str(csv),
                                       "--institution", "Kota Madiun"])
    assert res.exit_code == 0, res.output


def _main():
    from pmprb.cli import main

    return main


def cli(url: str, *args, env=None):
    return CliRunner().invoke(_main(), ["--db", url, *[str(a) for a in args]], env=env)


def verify_json(url: str, *args):
    res = cli(url, "--lang", "en", "audit", "verify", "--json", *args)
    return res, json.loads(res.stdout) if res.stdout.strip().startswith("[") else []


def problems(reports) -> list[dict]:
    return [p | {"chain": r["chain"]} for r in reports for p in r["problems"]]


# ---------------------------------------------------------------------------
# SQL as an insider


@contextmanager
def insider(url: str):
    """A connection that bypasses foreign keys and (owner-exempt) triggers."""
    from sqlalchemy import create_engine

    if url.startswith("sqlite"):
        engine = create_engine(url)   # a plain connection: SQLite enforces no foreign keys unless asked
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            engine.dispose()
        return
    with open_db(url).engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield conn


def sql(url: str, statement: str, **params):
    with insider(url) as conn:
        return conn.execute(text(statement), params)


def scalar(url: str, statement: str, **params):
    with open_db(url).engine.connect() as conn:
        return conn.execute(text(statement), params).scalar()


def rehash(conn, chain: str) -> None:
    """Recompute every event's payload hash and hash, and the head, of ``chain``."""
    rows = conn.execute(text("SELECT id, seq, actor, at, action, payload_json FROM audit_event WHERE chain = :c "
                             "ORDER BY seq"), {"c": chain}).all()
    prev = GENESIS
    for i, (ev_id, _seq, actor, at, action, payload) in enumerate(rows, start=1):
        p_hash = sha256_hex(payload)
        h = event_hash(chain=chain, seq=i, actor=actor, at=at, action=action, payload_hash=p_hash, prev_hash=prev)
        conn.execute(text("UPDATE audit_event SET seq = :s, payload_hash = :p, prev_hash = :v, hash = :h WHERE id = :i"),
                     {"s": -i, "p": p_hash, "v": prev, "h": h, "i": ev_id})
        prev = h
    conn.execute(text("UPDATE audit_event SET seq = -seq WHERE chain = :c AND seq < 0"), {"c": chain})
    conn.execute(text("UPDATE audit_chain SET last_seq = :s, last_hash = :h WHERE chain = :c"),
                 {"s": len(rows), "h": prev, "c": chain})


def rewrite_ledger(conn, chain: str, table: str, key: str, changes: dict) -> int:
    """Make every event of ``chain`` that logged row ``key`` of ``table`` log
    ``changes`` instead; returns how many events were rewritten."""
    n = 0
    for ev_id, payload in conn.execute(text("SELECT id, payload_json FROM audit_event WHERE chain = :c"),
                                       {"c": chain}).all():
        data = json.loads(payload)
        snap = data.get("ledger", {}).get(table, {}).get(key)
        if not snap:
            continue
        snap.update(changes)
        for field, value in changes.items():
            if field in data:
                data[field] = value
        conn.execute(text("UPDATE audit_event SET payload_json = :p WHERE id = :i"),
                     {"p": canonical_json(data), "i": ev_id})
        n += 1
    return n


def round_id(url: str, code: str = audit_support.ROUND) -> int:
    return scalar(url, "SELECT id FROM assessment_round WHERE code = :c", c=code)


def actor_of(db: Database, username: str):
    with db.session() as s:
        return resolve_actor(s, username)


TODAY = date(2024, 6, 1)


def _parse(value, col):
    from sqlalchemy import Date, DateTime

    if value is None:
        return None
    if isinstance(col.type, DateTime) or type(col.type).__name__ == "UTCDateTime":
        return datetime.fromisoformat(value)
    if isinstance(col.type, Date):
        return date.fromisoformat(value)
    return value


def roll_back(conn, chain: str, from_seq: int) -> list[str]:
    """Undo, as an insider would, every event of ``chain`` from ``from_seq``
    on: the rows they created are deleted, the rows they changed get back
    the values the earlier events logged, the events are deleted and the
    head is moved back. Returns the actions undone."""
    from pmprb.assessments.audit.row_checks import ledger
    from pmprb.assessments.store.ledger import HASHED_PREFIX, normalise
    from pmprb.assessments.store.models import AuditEvent, metadata

    rows = conn.execute(text("SELECT id, chain, seq, action, payload_json FROM audit_event WHERE chain = :c "
                             "ORDER BY seq"), {"c": chain}).all()
    as_events = [AuditEvent(id=r.id, chain=r.chain, seq=r.seq, action=r.action, payload_json=r.payload_json,
                            actor="", at="", payload_hash="", prev_hash="", hash="") for r in rows]
    kept = [e for e in as_events if e.seq < from_seq]
    dropped = [e for e in as_events if e.seq >= from_seq]
    before = ledger(kept)
    for table_name, by_key in ledger(dropped).items():
        table = metadata.tables[table_name]
        pk = list(table.primary_key.columns)
        for key in by_key:
            parts = key.split("|")
            where = {c.name: (int(v) if c.type.python_type is int else v) for c, v in zip(pk, parts)}
            cond = " AND ".join(f"{c} = :k_{c}" for c in where)
            params = {f"k_{c}": v for c, v in where.items()}
            prev = before.get(table_name, {}).get(key)
            if prev is None or prev.last[1] is None:
                conn.execute(text(f"DELETE FROM {table_name} WHERE {cond}"), params)
                continue
            snap = prev.last[1]
            current = conn.execute(table.select().where(*(table.c[c] == v for c, v in where.items()))).mappings().first()
            values = {c.name: _parse(snap[c.name], c) for c in table.columns
                      if not str(snap[c.name]).startswith(HASHED_PREFIX)
                      and (current is None or normalise(current[c.name]) != snap[c.name])}
            if current is None:
                conn.execute(table.insert().values(**{c.name: _parse(snap[c.name], c) for c in table.columns}))
            elif values:
                conn.execute(table.update().where(*(table.c[c] == v for c, v in where.items())).values(**values))
    conn.execute(text("DELETE FROM audit_event WHERE chain = :c AND seq >= :s"), {"c": chain, "s": from_seq})
    last = kept[-1] if kept else None
    head = conn.execute(text("SELECT hash FROM audit_event WHERE chain = :c AND seq = :s"),
                        {"c": chain, "s": last.seq if last else 0}).scalar()
    conn.execute(text("UPDATE audit_chain SET last_seq = :s, last_hash = :h WHERE chain = :c"),
                 {"s": last.seq if last else 0, "h": head or GENESIS, "c": chain})
    return [e.action for e in dropped]
