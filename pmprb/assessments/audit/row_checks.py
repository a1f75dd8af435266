"""Every row of every table against the audit event that last wrote it.

Each audit event records the rows its act wrote (``payload["ledger"]``, see
:mod:`pmprb.assessments.store.ledger`). Replaying a chain's events in order
gives, for every row the chain owns, what it must hold now; this check
reads the rows and names every difference:

- a column that differs from the log, attributed to the event that last set
  that column's logged value ("answer … stored 'A' but the event records 'B'");
- a row the log does not know (inserted outside pmprb);
- a row the log knows that is gone (deleted outside pmprb).

Which chain owns a row: a table with a round (``round_id``, or its parent's)
belongs to that round's chain; the institution's tables (people, roles,
units, role map) belong to the global chain. :data:`TABLES` says so for
every table of the schema; ``tests/audit`` fails when a table is missing
from it, so a table added later cannot go unchecked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from pmprb import i18n
from pmprb.assessments.store.audit_log import Problem
from pmprb.assessments.store.ledger import HASHED_PREFIX, primary_key, snapshot
from pmprb.assessments.store.models import AuditEvent, metadata

@dataclass(frozen=True)
class TableSpec:
    check: str          # the name problems are reported under
    owner: str          # "round" | "global"
    round_via: str | None = None   # for a round table without round_id: its parent table (by <parent>_id)


# Every table of the schema. Tables checked by a dedicated check instead say so in DEDICATED.
TABLES: dict[str, TableSpec] = {
    "assessment_round": TableSpec("round", "round"),
    "assignment": TableSpec("assignments", "round"),
    "worksheet": TableSpec("worksheets", "round"),
    "answer": TableSpec("answers", "round"),
    "evidence": TableSpec("evidence", "round"),
    "evidence_revision": TableSpec("evidence", "round", round_via="evidence"),
    "evidence_link": TableSpec("evidence", "round", round_via="evidence"),
    "decision_record": TableSpec("decisions", "round"),
    "consensus_item": TableSpec("consensus", "round"),
    "consensus_event": TableSpec("consensus", "round"),
    "consensus_meeting": TableSpec("consensus", "round"),
    "round_minutes": TableSpec("minutes", "round"),
    "hasil_input": TableSpec("hasil", "round"),
    "official_value": TableSpec("official", "round"),
    "applicable_weight": TableSpec("official", "round"),
    "final_result": TableSpec("rows", "round"),
    "round_snapshot": TableSpec("rows", "round"),
    "ratl_item": TableSpec("ratl", "round"),
    "institution": TableSpec("people", "global"),
    "person": TableSpec("people", "global"),
    "person_role": TableSpec("people", "global"),
    "person_key": TableSpec("people", "global"),
    "work_unit": TableSpec("units", "global"),
    "ratl_role_map": TableSpec("ratl", "global"),
}
# Tables verified by their own checks: the chain itself, and published tables (``published``).
DEDICATED = {"audit_event": "chain", "audit_chain": "chain", "published_figure": "published"}


def uncovered_tables() -> list[str]:
    """Tables of the schema that no check covers (must stay empty)."""
    return sorted(t for t in metadata.tables if t not in TABLES and t not in DEDICATED)


# ---------------------------------------------------------------------------
# what the log says


@dataclass
class Logged:
    history: list[tuple[AuditEvent, dict | None]]   # (event, snapshot or None = deleted), oldest first

    @property
    def last(self) -> tuple[AuditEvent, dict | None]:
        return self.history[-1]

    def setter(self, column: str) -> AuditEvent | None:
        """The event that set the column's logged value: the first of the
        latest run of events that all logged that value."""
        value = self.history[-1][1].get(column)
        setter = None
        for ev, snap in reversed(self.history):
            if snap is None or snap.get(column) != value:
                break
            setter = ev
        return setter


def ledger(evs: list[AuditEvent]) -> dict[str, dict[str, Logged]]:
    out: dict[str, dict[str, Logged]] = {}
    for ev in evs:
        if '"ledger"' not in ev.payload_json:
            continue
        for table, rows in json.loads(ev.payload_json).get("ledger", {}).items():
            by_key = out.setdefault(table, {})
            for key, snap in rows.items():
                by_key.setdefault(key, Logged([])).history.append((ev, snap))
    return out


# ---------------------------------------------------------------------------
# what the database holds


def _rows(session: Session, table_name: str, round_id: int | None) -> list[dict]:
    table = metadata.tables[table_name]
    spec = TABLES[table_name]
    q = select(table)
    if spec.owner == "round":
        if table_name == "assessment_round":
            q = q.where(table.c.id == round_id)
        elif spec.round_via:
            parent = metadata.tables[spec.round_via]
            q = q.where(table.c[f"{spec.round_via}_id"].in_(select(parent.c.id).where(parent.c.round_id == round_id)))
        else:
            q = q.where(table.c.round_id == round_id)
    return [dict(r._mapping) for r in session.execute(q)]


class Names:
    """Readable names for ids met in rows (units, people, evidence keys, items), looked up once."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict[tuple[str, str], dict] = {}

    def of(self, table: str, column: str, ident):
        if ident is None:
            return "-"
        key = (table, column)
        if key not in self._cache:
            t = metadata.tables[table]
            self._cache[key] = {i: v for i, v in self.session.execute(select(t.c.id, t.c[column]))}
        return self._cache[key].get(ident, ident)


def describe(table: str, row: dict, names: Names) -> str:
    t = i18n.t
    unit = lambda: names.of("work_unit", "code", row.get("unit_id"))          # noqa: E731
    person = lambda col: names.of("person", "username", row.get(col))         # noqa: E731
    if table == "answer":
        return t("chk.what_answer", criterion=row["criterion_id"], unit=unit(), assessor=person("assessor_id"))
    if table == "worksheet":
        return t("chk.what_ws", assessor=person("assessor_id"), unit=unit())
    if table == "assignment":
        return t("rchk.what_assignment", assessor=person("assessor_id"), unit=unit(), area=row["area"])
    if table == "assessment_round":
        return t("rchk.what_round", code=row["code"])
    if table == "evidence":
        return t("rchk.what_evidence", doc=row["key"], unit=unit())
    if table == "evidence_revision":
        doc = names.of("evidence", "key", row["evidence_id"])
        ev_unit = names.of("work_unit", "code", names.of("evidence", "unit_id", row["evidence_id"]))
        return t("chk.what_ev", doc=doc, unit=ev_unit, revision=row["revision"])
    if table == "evidence_link":
        return t("chk.what_link", doc=names.of("evidence", "key", row["evidence_id"]), criterion=row["criterion_id"])
    if table == "decision_record":
        return t("chk.what_decision", decision_id=row["decision_id"], criterion=row["criterion_id"])
    if table == "consensus_item":
        return t("cchk.what_item", criterion=row["criterion_id"])
    if table == "consensus_event":
        return t("rchk.what_cevent", criterion=names.of("consensus_item", "criterion_id", row["item_id"]),
                 seq=row["seq"])
    if table == "consensus_meeting":
        return t("rchk.what_meeting", date=row["meeting_date"])
    if table == "round_minutes":
        return t("rchk.what_minutes")
    if table == "ratl_item":
        return t("cchk.what_ratl", criterion=row["criterion_id"])
    if table == "official_value":
        return t("rchk.what_official", criterion=row["criterion_id"])
    if table == "applicable_weight":
        return t("rchk.what_applicable_weight", side=row["side"])
    if table == "hasil_input":
        return t("rchk.what_hasil", part=row["part_id"])
    if table == "final_result":
        return t("rchk.what_final", seq=row["seq"])
    if table == "round_snapshot":
        return t("rchk.what_snapshot", id=row["id"])
    if table == "person":
        return t("rchk.what_person", username=row["username"])
    if table == "person_role":
        return t("rchk.what_role", role=row["role"], username=person("person_id"))
    if table == "work_unit":
        return t("rchk.what_unit", code=row["code"])
    if table == "institution":
        return t("rchk.what_institution", code=row["code"])
    if table == "person_key":
        return t("rchk.what_key", fingerprint=str(row["fingerprint"])[:16], username=person("person_id"))
    if table == "ratl_role_map":
        return t("rchk.what_role_map", role=row["role"])
    return t("rchk.what_row", table=table, ref=row.get("id"))


def _shown(value):
    """A logged or stored value as a message shows it (hashed texts shortened)."""
    if isinstance(value, str) and value.startswith(HASHED_PREFIX):
        return value[: len(HASHED_PREFIX) + 12]
    return value


def _problem(check: str, message: str, ev: AuditEvent | None) -> Problem:
    return Problem(check, message, ev.seq if ev else None, ev.action if ev else None)


# ---------------------------------------------------------------------------
# the check


def check_rows(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    """Every row the chain owns against the chain's ledger (``round_id``
    None: the global chain and the institution's tables)."""
    owner = "global" if round_id is None else "round"
    logged_all = ledger(evs)
    names = Names(session)
    problems: list[Problem] = []
    for table_name, spec in TABLES.items():
        if spec.owner != owner:
            continue
        table = metadata.tables[table_name]
        logged = dict(logged_all.get(table_name, {}))
        for row in sorted(_rows(session, table_name, round_id), key=lambda r: primary_key(table, r)):
            key = primary_key(table, row)
            entry = logged.pop(key, None)
            what = describe(table_name, row, names)
            if entry is None or entry.last[1] is None:
                problems.append(_problem(spec.check, i18n.t("chk.unlogged", what=what), None))
                continue
            want, have = entry.last[1], snapshot(table, row)
            for column in (c.name for c in table.columns):
                if have.get(column) != want.get(column):
                    problems.append(_problem(spec.check, i18n.t(
                        "chk.mismatch", what=what, field=column, stored=_shown(have.get(column)),
                        logged=_shown(want.get(column))), entry.setter(column)))
        for key, entry in sorted(logged.items()):
            ev, snap = entry.last
            if snap is None:
                continue  # deleted through pmprb
            problems.append(_problem(spec.check, i18n.t("chk.deleted", what=describe(table_name, snap, names)), ev))
    return problems


def check_round_register(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    """The global chain knows every round (``round.register``): a round
    deleted with its own chain, or a round inserted outside pmprb, is named."""
    if round_id is not None:
        return []
    table = metadata.tables["assessment_round"]
    registered: dict[int, tuple[AuditEvent, dict]] = {}
    for ev in evs:
        if ev.action == "round.register":
            p = json.loads(ev.payload_json)
            registered[p["round_id"]] = (ev, p)
    problems = []
    pinned = ("code", "year", "instrument_id", "instrument_revision")
    for row in session.execute(select(table.c.id, *(table.c[c] for c in pinned))).all():
        what = i18n.t("rchk.what_round", code=row.code)
        entry = registered.pop(row.id, None)
        if entry is None:
            problems.append(_problem("rounds", i18n.t("chk.unlogged", what=what), None))
            continue
        # The institution chain pins each round's identity and instrument revision.
        for column in pinned:
            if column in entry[1] and entry[1][column] != getattr(row, column):
                problems.append(_problem("rounds", i18n.t("chk.mismatch", what=what, field=column,
                                                          stored=getattr(row, column), logged=entry[1][column]),
                                         entry[0]))
    for _rid, (ev, p) in sorted(registered.items()):
        problems.append(_problem("rounds", i18n.t("chk.deleted", what=i18n.t("rchk.what_round", code=p["code"])), ev))
    # Chains of no round: a head or events written outside pmprb (no round's verify would read them).
    known = {"global"} | {f"round:{rid}" for (rid,) in session.execute(select(table.c.id)).all()}
    heads, evt = metadata.tables["audit_chain"], metadata.tables["audit_event"]
    stray = {c for (c,) in session.execute(select(heads.c.chain))} | \
        {c for (c,) in session.execute(select(evt.c.chain).distinct())}
    for chain in sorted(stray - known):
        problems.append(_problem("chain", i18n.t("rchk.stray_chain", chain=chain), None))
    # Rows of a round that does not exist (written with the foreign keys off): no round's verify reads them.
    round_ids = select(table.c.id)
    for name, spec in TABLES.items():
        if spec.owner != "round" or name == "assessment_round":
            continue
        t = metadata.tables[name]
        if spec.round_via:
            parent = metadata.tables[spec.round_via]
            orphan = t.c[f"{spec.round_via}_id"].not_in(select(parent.c.id).where(parent.c.round_id.in_(round_ids)))
        else:
            orphan = t.c.round_id.not_in(round_ids)
        for row in session.execute(select(t).where(orphan)).mappings():
            problems.append(_problem(spec.check, i18n.t("rchk.orphan", what=i18n.t(
                "rchk.what_row", table=name, ref=primary_key(t, row))), None))
    return problems
