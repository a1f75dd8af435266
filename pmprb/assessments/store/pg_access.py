"""PostgreSQL access control: one group role per pmprb role, grants, row-level
security, and writes that must be logged in the same transaction.

``pmprb db roles`` runs :func:`setup` as the database owner (the login that
migrates it); it is idempotent, so it is run again after an upgrade. What
it installs:

- group roles ``<database>_asesor``, ``_koordinator``, ``_auditor``,
  ``_admin`` (roles are cluster-wide, so their names carry the database's);
- SELECT on every table for every group; INSERT/UPDATE/DELETE only where the
  application writes for that role (:data:`WRITES`); the auditor group reads
  only; no group may UPDATE, DELETE or TRUNCATE ``audit_event`` (and the
  migration's trigger refuses it to every login but the owner);
- row-level security: an assessor writes only their own answers,
  worksheets and assessor decision records, and nobody appends an audit
  event in another person's name (:data:`POLICIES`);
- a deferred trigger on every table a group may write: at commit, a row a
  login other than the owner inserted, updated or deleted must be named in
  the ledger of an audit event appended in the same transaction, so a raw
  ``UPDATE answer …`` from ``psql`` is refused while pmprb's own writes pass;
- ``pmprb_sync_login(login, roles)``, run with the owner's rights and
  executable by the admin group: creates a person's login role and sets its
  memberships. pmprb calls it whenever a person with a login is registered,
  changed, or gains or loses a role.

The acting person is the one whose ``person.login`` is ``session_user``
(:mod:`pmprb.assessments.setup.identity`).
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlmodel import Session

from pmprb.assessments.store.models import ROLES, metadata

# table -> {role: privileges}; every other table is read-only for every group.
WRITES: dict[str, dict[str, str]] = {
    "institution": {"admin": "INSERT, UPDATE"},
    "person": {"admin": "INSERT, UPDATE"},
    "person_role": {"admin": "INSERT, DELETE"},
    "person_key": {r: "INSERT" for r in ("asesor", "koordinator", "admin")},
    "work_unit": {"admin": "INSERT, UPDATE"},
    "assessment_round": {"admin": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE"},
    "assignment": {"admin": "INSERT", "koordinator": "INSERT"},
    "worksheet": {"admin": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE", "asesor": "UPDATE"},
    "answer": {"asesor": "INSERT, UPDATE"},
    "evidence": {"asesor": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE"},
    "evidence_revision": {"asesor": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE"},
    # DELETE: `pmprb evidence unlink` (the deleted row is in the ledger of its audit event).
    "evidence_link": {"asesor": "INSERT, UPDATE, DELETE", "koordinator": "INSERT, UPDATE, DELETE"},
    "decision_record": {"asesor": "INSERT", "koordinator": "INSERT"},
    "consensus_item": {"admin": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE"},
    "consensus_event": {"admin": "INSERT", "koordinator": "INSERT"},
    "consensus_meeting": {"koordinator": "INSERT, UPDATE"},
    "hasil_input": {"admin": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE"},
    "official_value": {"koordinator": "INSERT, UPDATE"},
    # side "official" with the official values (koordinator), "estimate" with the Hasil figures (admin too).
    # DELETE: clearing it (back to the derived weight; the deleted row is in the ledger of its event).
    "applicable_weight": {"admin": "INSERT, UPDATE, DELETE", "koordinator": "INSERT, UPDATE, DELETE"},
    "final_result": {"koordinator": "INSERT, UPDATE"},
    "round_snapshot": {"koordinator": "INSERT"},
    "ratl_item": {"admin": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE", "asesor": "UPDATE"},
    "ratl_role_map": {"admin": "INSERT, UPDATE", "koordinator": "INSERT, UPDATE"},
    "published_figure": {"admin": "INSERT, DELETE", "koordinator": "INSERT, DELETE"},
    "audit_event": {r: "INSERT" for r in ("asesor", "koordinator", "admin")},
    "audit_chain": {r: "INSERT, UPDATE" for r in ("asesor", "koordinator", "admin")},
}
# Tables whose writes are not ledger rows (the log itself; published tables are logged by digest).
UNLEDGERED = ("audit_event", "audit_chain", "published_figure")

# Row-level security: (table, policy, command, roles, USING, WITH CHECK). Everyone reads every row.
# {me} is the acting person's id, {me_name} their username.
POLICIES = [
    ("answer", "asesor_own", "ALL", ("asesor",), "assessor_id = {me}", "assessor_id = {me}"),
    ("worksheet", "asesor_own", "UPDATE", ("asesor",), "assessor_id = {me}", "assessor_id = {me}"),
    ("worksheet", "coordination", "ALL", ("koordinator", "admin"), "true", "true"),
    ("decision_record", "asesor_own", "INSERT", ("asesor",), None,
     "kind = 'assessor' AND assessor_id = {me} AND actor_id = {me}"),
    ("decision_record", "coordination", "INSERT", ("koordinator",), None, "actor_id = {me}"),
    ("audit_event", "own_name", "INSERT", ("asesor",), None, "actor = {me_name}"),
    # Acts of a coordinator or admin may append events the system writes for them (consensus items).
    ("audit_event", "own_name_or_system", "INSERT", ("koordinator", "admin"), None,
     "actor IN ({me_name}, 'system')"),
    ("person_key", "own_key", "INSERT", ("asesor", "koordinator", "admin"), None, "person_id = {me}"),
]

LOGIN_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,63}$")


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def database_name(session: Session) -> str:
    return session.execute(text("SELECT current_database()")).scalar_one()


def group_role(dbname: str, role: str) -> str:
    """The group role of a pmprb role in database ``dbname``."""
    return f"{dbname}_{role}"[:63]


def quote(session: Session, ident: str) -> str:
    return session.get_bind().dialect.identifier_preparer.quote_identifier(ident)


def installed(session: Session) -> bool:
    """Whether ``pmprb db roles`` was run on this database."""
    if not is_postgresql(session):
        return False
    return bool(session.execute(text(
        "SELECT 1 FROM pg_proc WHERE proname = 'pmprb_sync_login' AND pronamespace = current_schema()::regnamespace"
    )).first())


def sync_login(session: Session, login: str, roles) -> bool:
    """Create ``login`` if needed and make its memberships exactly ``roles``
    (empty: none). Does nothing (False) unless ``pmprb db roles`` was run."""
    if not installed(session):
        return False
    session.execute(text("SELECT pmprb_sync_login(:login, CAST(:roles AS text[]))"),
                    {"login": login, "roles": sorted(roles)})
    return True


def memberships(session: Session) -> dict[str, set[str]]:
    """login -> the pmprb roles whose group it is a direct member of."""
    db = database_name(session)
    groups = {group_role(db, r): r for r in ROLES}
    rows = session.execute(text(
        "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member "
        "JOIN pg_roles g ON g.oid = a.roleid WHERE g.rolname = ANY(:groups)"), {"groups": list(groups)}).all()
    out: dict[str, set[str]] = {}
    for member, group in rows:
        out.setdefault(member, set()).add(groups[group])
    return out


# ---------------------------------------------------------------------------
# setting it up


def _trusted_sql(schema: str) -> str:
    return ("(current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID) "
            "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))")


def setup(session: Session) -> dict:
    """Install roles, grants, policies, triggers and functions (as the owner);
    then create every registered login and its memberships. Returns what was done."""
    db = database_name(session)
    schema = session.execute(text("SELECT current_schema()")).scalar_one()
    q = lambda ident: quote(session, ident)  # noqa: E731
    s = q(schema)
    groups = {r: group_role(db, r) for r in ROLES}
    owner = session.execute(text("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                            {"t": f"{schema}.audit_event"}).scalar_one()
    ex = lambda sql: session.execute(text(sql))  # noqa: E731
    created = []
    for role, name in groups.items():
        if not session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
            ex(f"CREATE ROLE {q(name)} NOLOGIN")
            created.append(name)
    all_groups = ", ".join(q(g) for g in groups.values())
    ex(f"GRANT CONNECT ON DATABASE {q(db)} TO {all_groups}")
    ex(f"GRANT USAGE ON SCHEMA {s} TO {all_groups}")
    ex(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC, {all_groups}")
    ex(f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {all_groups}")
    writers = ", ".join(q(groups[r]) for r in ROLES if r != "auditor")
    ex(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM PUBLIC, {all_groups}")
    ex(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {writers}")
    for table, by_role in WRITES.items():
        for role, privileges in by_role.items():
            ex(f"GRANT {privileges} ON {s}.{q(table)} TO {q(groups[role])}")

    # Who is acting: the active person whose login is session_user (schema-qualified, so a
    # temporary table named "person" cannot stand in for the real one).
    ex(f"""CREATE OR REPLACE FUNCTION {s}.pmprb_me() RETURNS integer LANGUAGE sql STABLE
           SET search_path = pg_catalog, pg_temp AS
           $$ SELECT id FROM {s}.person WHERE login = session_user AND active $$""")
    ex(f"""CREATE OR REPLACE FUNCTION {s}.pmprb_me_name() RETURNS text LANGUAGE sql STABLE
           SET search_path = pg_catalog, pg_temp AS
           $$ SELECT username FROM {s}.person WHERE login = session_user AND active $$""")
    me, me_name = f"{s}.pmprb_me()", f"{s}.pmprb_me_name()"
    for table in sorted({p[0] for p in POLICIES}):
        ex(f"ALTER TABLE {s}.{q(table)} ENABLE ROW LEVEL SECURITY")
        for (name,) in session.execute(text("SELECT policyname FROM pg_policies WHERE schemaname = :s AND tablename = :t"),
                                       {"s": schema, "t": table}).all():
            ex(f"DROP POLICY {q(name)} ON {s}.{q(table)}")
        ex(f"CREATE POLICY pmprb_read ON {s}.{q(table)} FOR SELECT USING (true)")
    for table, name, command, roles, using, check in POLICIES:
        to = ", ".join(q(groups[r]) for r in roles)
        clause = f"CREATE POLICY pmprb_{name} ON {s}.{q(table)} FOR {command} TO {to}"
        if using is not None:
            clause += f" USING ({using.format(me=me, me_name=me_name)})"
        if check is not None:
            clause += f" WITH CHECK ({check.format(me=me, me_name=me_name)})"
        ex(clause)

    # Every row a login other than the owner writes must be in the ledger of an event of its transaction.
    ex(f"""CREATE OR REPLACE FUNCTION {s}.pmprb_logged_write() RETURNS trigger LANGUAGE plpgsql
           SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rec jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
  me xid := pg_current_xact_id()::xid;
  key text;
  ch record;
  ev record;
BEGIN
  IF {_trusted_sql(schema)} THEN
    RETURN NULL;
  END IF;
  SELECT string_agg(rec ->> a.col, '|' ORDER BY a.n) INTO key FROM unnest(TG_ARGV) WITH ORDINALITY AS a(col, n);
  FOR ch IN SELECT chain FROM {s}.audit_chain WHERE xmin = me LOOP
    FOR ev IN SELECT payload_json, xmin AS x FROM {s}.audit_event WHERE chain = ch.chain ORDER BY seq DESC LOOP
      EXIT WHEN ev.x <> me;
      IF (ev.payload_json::jsonb -> 'ledger' -> TG_TABLE_NAME) ? key THEN
        RETURN NULL;
      END IF;
    END LOOP;
  END LOOP;
  RAISE EXCEPTION 'pmprb: % of %(%) by % is not recorded by an audit event of the same transaction',
    TG_OP, TG_TABLE_NAME, key, session_user USING ERRCODE = 'insufficient_privilege';
END $$""")
    for table in WRITES:
        if table in UNLEDGERED:
            continue
        pk = [c.name for c in metadata.tables[table].primary_key.columns]
        ex(f"DROP TRIGGER IF EXISTS pmprb_logged_write ON {s}.{q(table)}")
        ex(f"""CREATE CONSTRAINT TRIGGER pmprb_logged_write AFTER INSERT OR UPDATE OR DELETE ON {s}.{q(table)}
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
               EXECUTE FUNCTION {s}.pmprb_logged_write({", ".join("'" + c + "'" for c in pk)})""")

    # Logins and their memberships, managed with the owner's rights on behalf of pmprb admins.
    role_list = ", ".join("'" + r + "'" for r in ROLES)
    ex(f"""CREATE OR REPLACE FUNCTION {s}.pmprb_sync_login(p_login text, p_roles text[]) RETURNS void
           LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r text;
  g text;
BEGIN
  IF NOT (pg_has_role(session_user, {_lit(groups['admin'])}, 'MEMBER') OR session_user = {_lit(owner)}
          OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)) THEN
    RAISE EXCEPTION 'pmprb: only a pmprb admin manages logins' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_login !~ '^[A-Za-z0-9_.@-]{{1,63}}$' OR p_login LIKE 'pg\\_%' OR p_login = {_lit(owner)}
     OR p_login = ANY(ARRAY[{", ".join(_lit(g) for g in groups.values())}])
     OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND (rolsuper OR rolcreaterole OR rolbypassrls)) THEN
    RAISE EXCEPTION 'pmprb: % cannot be a person''s login', p_login USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', p_login);
  END IF;
  FOREACH r IN ARRAY ARRAY[{role_list}] LOOP
    g := {_lit(db + '_')} || r;
    IF r = ANY(p_roles) THEN
      EXECUTE format('GRANT %I TO %I', g, p_login);
    ELSIF pg_has_role(p_login, g, 'MEMBER') THEN
      EXECUTE format('REVOKE %I FROM %I', g, p_login);
    END IF;
  END LOOP;
END $$""")
    ex(f"REVOKE ALL ON FUNCTION {s}.pmprb_sync_login(text, text[]) FROM PUBLIC")
    ex(f"GRANT EXECUTE ON FUNCTION {s}.pmprb_sync_login(text, text[]) TO {q(groups['admin'])}")

    logins = session.execute(text(
        f"SELECT p.login, p.active, array_remove(array_agg(r.role), NULL) FROM {s}.person p "
        f"LEFT JOIN {s}.person_role r ON r.person_id = p.id WHERE p.login IS NOT NULL GROUP BY p.login, p.active")).all()
    for login, active, roles in logins:
        sync_login(session, login, roles if active else [])
    return {"database": db, "owner": owner, "groups": groups, "created": created, "logins": sorted(l for l, *_ in logins)}


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
