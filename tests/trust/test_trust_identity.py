"""Issue 12, identity: the acting person comes from something the user
cannot simply claim. PostgreSQL: each person's own login (``session_user``),
group roles with grants, row-level security and triggers (``pmprb db
roles``); SQLite: an operating-system account. And the keys that sign
checkpoints."""

from __future__ import annotations

import json
import stat

import psycopg
import pytest
from sqlalchemy.engine import make_url

from trust_support import cli

import audit_support
from pmprb.assessments.setup.identity import current_os_user
from pmprb.errors import EXIT_FORBIDDEN, EXIT_MISMATCH

ROLES = ("asesor", "koordinator", "auditor", "admin")


# ---------------------------------------------------------------------------
# SQLite: operating-system accounts


@pytest.fixture
def sqlite_round(db_url, db_backend, tmp_path):
    if db_backend != "sqlite":
        pytest.skip("operating-system accounts bind people on SQLite")
    from pmprb.assessments.store.db import open_db

    audit_support.build(open_db(db_url), tmp_path)
    return db_url


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_person_bound_to_another_os_account_cannot_be_acted_as(sqlite_round):
    url = sqlite_round
    assert cli(url, "--as", "admin", "person", "set", "kora", "--os-user", "kora-laptop").exit_code == 0
    res = cli(url, "--lang", "en", "--as", "kora", "round", "reopen", "2024", "--reason", "x")
    assert res.exit_code == EXIT_FORBIDDEN
    assert f"kora is bound to the operating-system account 'kora-laptop'; acting as them from account " \
           f"'{current_os_user()}' is refused" in res.output
    # Bound to this account: kora acts, and without --as too.
    assert cli(url, "--as", "admin", "person", "set", "kora", "--os-user", current_os_user()).exit_code == 0
    res = cli(url, "round", "reopen", "2024", "--reason", "Koreksi")
    assert res.exit_code == 0, res.output
    res = cli(url, "--lang", "en", "audit", "verify")
    assert res.exit_code == 0, res.output


# ---------------------------------------------------------------------------
# keys and signed checkpoints


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_signed_checkpoint_and_its_tampering(sqlite_round, tmp_path, monkeypatch):
    url = sqlite_round
    monkeypatch.setenv("PMPRB_KEY_DIR", str(tmp_path / "keys"))
    res = cli(url, "--as", "kora", "key", "init")
    assert res.exit_code == 0 and "BEGIN PUBLIC KEY" in res.stdout
    key = tmp_path / "keys" / "kora.ed25519.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    keys = json.loads(cli(url, "--as", "kora", "key", "show", "--json").stdout)
    assert [k["username"] for k in keys] == ["kora"]
    out = tmp_path / "cp.json"
    assert cli(url, "--as", "kora", "audit", "checkpoint", "--round", "2024", "-o", out).exit_code == 0
    cp = json.loads(out.read_text())
    assert cp["signature"]["signer"] == "kora" and cp["signature"]["fingerprint"] == keys[0]["fingerprint"]
    res = cli(url, "--lang", "en", "audit", "verify", "--round", "2024", "--against", out)
    assert res.exit_code == 0 and "is signed by kora" in res.stderr and "the signature is valid" in res.stderr
    # Checked with the public key the auditor was given outside the database.
    pub = tmp_path / "kora.pub"
    pub.write_text(cli(url, "--as", "kora", "key", "init").stdout)    # prints the public key (PEM)
    assert cli(url, "audit", "verify", "--round", "2024", "--against", out, "--public-key", pub).exit_code == 0
    # The file changed after signing (a head moved back): the signature fails.
    cp["chain"]["seq"] -= 1
    out.write_text(json.dumps(cp))
    res = cli(url, "--lang", "en", "audit", "verify", "--round", "2024", "--against", out)
    assert res.exit_code == EXIT_MISMATCH
    assert "is NOT valid: the file was changed after signing" in res.output
    # Another key than the auditor's copy.
    other = tmp_path / "other"
    from pmprb.assessments.audit import signing

    other_pub = signing.generate(other)
    cp["chain"]["seq"] += 1
    out.write_text(json.dumps(cp))
    res = cli(url, "--lang", "en", "audit", "verify", "--round", "2024", "--against", out, "--public-key", other_pub)
    assert res.exit_code == EXIT_MISMATCH and "not the key given" in res.output


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_finalising_writes_a_checkpoint_into_the_reports_folder(db_url, tmp_path, monkeypatch):
    from pmprb.assessments.store.db import open_db

    monkeypatch.setenv("PMPRB_KEY_DIR", str(tmp_path / "keys"))
    w = audit_support.build(open_db(db_url), tmp_path, finalise=False)
    kora = w.actor("kora")
    from pmprb.assessments.coordinate import consensus, hasil

    for cid, answer in audit_support.RESOLVED.items():
        w.run(lambda s: consensus.resolve(s, kora, w.rnd(s), cid, final_answer=answer,
                                          rationale=audit_support.RATIONALE[cid], participants=audit_support.PARTICIPANTS,
                                          meeting_date=audit_support.MEETING, today=audit_support.TODAY))
    w.run(lambda s: hasil.set_inputs(s, kora, w.rnd(s), dict(audit_support.HASIL)))
    assert cli(db_url, "--as", "kora", "key", "init").exit_code == 0
    res = cli(db_url, "--as", "kora", "round", "finalise", "2024")
    assert res.exit_code == 0, res.output
    [checkpoint] = (tmp_path / "reports").glob("checkpoint-2024-*.json")
    data = json.loads(checkpoint.read_text())
    assert data["round"]["state"] == "final" and data["result_sha256"] and data["signature"]["signer"] == "kora"
    assert cli(db_url, "audit", "verify", "--against", checkpoint).exit_code == 0


# ---------------------------------------------------------------------------
# PostgreSQL: logins, group roles, grants, row-level security


def _admin_exec(url: str, dbname: str | None, *statements: str) -> None:
    u = make_url(url)
    if dbname:
        u = u.set(database=dbname)
    with psycopg.connect(u.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True) as c:
        for statement in statements:
            c.execute(statement)


def _as_login(url: str, login: str) -> str:
    return make_url(url).set(username=login).render_as_string(hide_password=False)


@pytest.fixture
def pg_world(db_url, db_backend, tmp_path, monkeypatch):
    """A round in consensus whose people have their own logins (unique to
    this test's database, dropped afterwards), after ``pmprb db roles``."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL logins")
    from pmprb.assessments.store.db import dispose_engines, open_db

    dbname = make_url(db_url).database
    audit_support.build(open_db(db_url), tmp_path, finalise=False)
    logins = {u: f"{dbname}_u_{u}" for u in ("admin", "kora", "ani", "budi", "audi")}
    for username, login in logins.items():
        res = cli(db_url, "--as", "admin", "person", "set", username, "--login", login)
        assert res.exit_code == 0, res.output
    res = cli(db_url, "db", "roles")
    assert res.exit_code == 0, res.output
    yield db_url, {u: _as_login(db_url, login) for u, login in logins.items()}, logins
    dispose_engines()
    roles = [*logins.values(), f"{dbname}_mallory", *(f"{dbname}_{r}" for r in ROLES)]
    _admin_exec(db_url, dbname, *(f'DROP OWNED BY "{r}"' for r in roles if _role_exists(db_url, r)))
    _admin_exec(db_url, None, *(f'DROP ROLE IF EXISTS "{r}"' for r in roles))


def _role_exists(url, role) -> bool:
    u = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(u) as c:
        return c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def _raw(url: str, statement: str):
    """Run one statement as that login with psql-like autocommit; the error text or the row count."""
    u = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(u, autocommit=True) as c:
            return c.execute(statement).rowcount
    except psycopg.Error as exc:
        return str(exc).splitlines()[0]


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_assessor_login_cannot_change_answers_or_the_log_with_sql(pg_world):
    owner_url, urls, logins = pg_world
    ani = urls["ani"]
    own = "SELECT a.id FROM answer a JOIN person p ON p.id = a.assessor_id WHERE p.username = 'ani' LIMIT 1"
    assert "is not recorded by an audit event of the same transaction" in str(
        _raw(ani, f"UPDATE answer SET answer = 'A' WHERE id = ({own})"))
    # Someone else's answers are not even visible to an UPDATE (row-level security).
    assert _raw(ani, "UPDATE answer SET answer = 'A' WHERE assessor_id <> "
                     "(SELECT id FROM person WHERE username = 'ani')") == 0
    assert "permission denied for table audit_event" in str(_raw(ani, "DELETE FROM audit_event"))
    assert "permission denied for table audit_event" in str(_raw(ani, "UPDATE audit_event SET actor = 'x'"))
    assert "permission denied for table audit_event" in str(_raw(ani, "TRUNCATE audit_event"))
    assert "permission denied for table person_role" in str(
        _raw(ani, "INSERT INTO person_role SELECT id, 'koordinator' FROM person WHERE username = 'ani'"))
    assert "row-level security" in str(_raw(ani, "INSERT INTO audit_event (chain, seq, actor, at, action, payload_json, "
                                                 "payload_hash, prev_hash, hash) VALUES ('global', 999, 'kora', 'x', "
                                                 "'x', '{}', 'x', 'x', 'x')"))
    assert "must name its last event" in str(_raw(ani, "UPDATE audit_chain SET last_seq = 1 WHERE chain = 'global'"))
    # Even the owner's trigger-protected table refuses everyone else an UPDATE of an event.
    assert cli(owner_url, "audit", "verify").exit_code == 0


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_auditor_login_cannot_write_at_all(pg_world):
    _owner, urls, _logins = pg_world
    audi = urls["audi"]
    for statement in ("UPDATE answer SET note = 'x'", "INSERT INTO work_unit (institution_id, code, name, active, "
                      "created_at) VALUES (1, 'X', 'X', true, now())", "DELETE FROM ratl_role_map",
                      "UPDATE assessment_round SET state = 'final'", "UPDATE audit_chain SET last_seq = 0",
                      "INSERT INTO person_key (person_id, algorithm, public_key, fingerprint, created_at) "
                      "SELECT id, 'ed25519', 'x', 'y', now() FROM person WHERE username = 'audi'"):
        assert "permission denied" in str(_raw(audi, statement)), statement
    res = cli(audi, "--lang", "en", "audit", "verify")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_the_login_is_the_actor_and_cannot_claim_another(pg_world):
    owner, urls, logins = pg_world
    res = cli(urls["ani"], "--lang", "en", "--as", "kora", "round", "open", "2024")
    assert res.exit_code == EXIT_FORBIDDEN
    assert f"PostgreSQL login '{logins['ani']}' belongs to ani; acting as 'kora' is refused" in res.output
    # The coordinator's own login resolves, finalises and gets the checkpoint, through every grant and policy.
    for cid, answer in audit_support.RESOLVED.items():
        res = cli(urls["kora"], "consensus", "resolve", cid, "--round", "2024", "--answer", answer,
                  "--rationale", audit_support.RATIONALE[cid], "--participant", "kora,ani,budi",
                  "--date", "2024-04-22")
        assert res.exit_code == 0, res.output
    res = cli(urls["kora"], "round", "hasil", "--round", "2024", "--sakip", "70.05", "--kapasitas", "3.8",
              "--persepsi-korupsi", "3.31", "--opini-bpk", "WTP", "--pelayanan", "3.117")
    assert res.exit_code == 0, res.output
    res = cli(urls["kora"], "round", "finalise", "2024")
    assert res.exit_code == 0, res.output
    res = cli(urls["ani"], "--lang", "en", "round", "reopen", "2024", "--reason", "x")
    assert res.exit_code == EXIT_FORBIDDEN and "ani" in res.output
    res = cli(urls["audi"], "--lang", "en", "audit", "verify")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
def test_role_changes_follow_and_memberships_around_pmprb_are_named(pg_world):
    owner, urls, logins = pg_world
    dbname = make_url(owner).database

    def groups_of(login):
        u = make_url(owner).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(u) as c:
            return sorted(r for (r,) in c.execute(
                "SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = %s", (login,)))

    assert groups_of(logins["ani"]) == [f"{dbname}_asesor"]
    res = cli(urls["admin"], "person", "grant", "ani", "koordinator")
    assert res.exit_code == 0, res.output
    assert groups_of(logins["ani"]) == [f"{dbname}_asesor", f"{dbname}_koordinator"]
    assert cli(urls["admin"], "person", "revoke", "ani", "koordinator").exit_code == 0
    assert groups_of(logins["ani"]) == [f"{dbname}_asesor"]
    assert cli(urls["admin"], "person", "set", "budi", "--inactive").exit_code == 0
    assert groups_of(logins["budi"]) == []
    assert cli(owner, "audit", "verify").exit_code == 0
    # Granted with SQL around pmprb, and a login nobody is registered with: named, and refused.
    _admin_exec(owner, None, f'GRANT "{dbname}_koordinator" TO "{logins["ani"]}"',
                f'CREATE ROLE "{dbname}_mallory" LOGIN IN ROLE "{dbname}_asesor"')
    res = cli(owner, "--lang", "en", "audit", "verify")
    assert res.exit_code == EXIT_MISMATCH
    assert f"login {logins['ani']} is a member of group koordinator without that pmprb role (ani)" in res.output
    assert f"login {dbname}_mallory is a member of group asesor without that pmprb role (registered to nobody)" \
        in res.output
    res = cli(_as_login(owner, f"{dbname}_mallory"), "--lang", "en", "--as", "ani", "assess", "progress",
              "--round", "2024", "--unit", "DINKES")
    assert res.exit_code == EXIT_FORBIDDEN
    assert f"PostgreSQL login '{dbname}_mallory' is not registered to any person" in res.output
    # An admin's login cannot make a superuser or the owner a person's login.
    assert "cannot be a person's login" in cli(urls["admin"], "person", "set", "audi", "--login",
                                                make_url(owner).username).output
