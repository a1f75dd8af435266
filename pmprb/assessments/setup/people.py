"""The institution and its people: init, register, change, grant and revoke
roles, look up. Every change is one event of the institution (``global``)
chain recording the rows it wrote; on PostgreSQL, once ``pmprb db roles``
was run, a person's login role and its group memberships follow their
pmprb roles in the same transaction."""

from __future__ import annotations


from sqlalchemy import func
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine import codes
from pmprb.errors import ConflictError, NotFoundError, ValidationError
from pmprb.assessments.store import audit_log, pg_access
from pmprb.assessments.store.ledger import Rows
from pmprb.assessments.store.models import ROLES, Institution, Person, PersonKey, PersonRole
from pmprb.assessments.setup.permissions import Actor, require, roles_of

USERNAME_RE = codes.CODE_RE  # the one pattern of codes (pmprb.engine.codes)
SYSTEM_ACTOR = "system"

def check_nip(nip: str | None) -> str | None:
    """A civil servant's NIP: 18 digits, stored without spaces (None or blank: no NIP)."""
    if nip is None or not str(nip).strip():
        return None
    digits = "".join(str(nip).split())
    if not (digits.isdigit() and len(digits) == 18):
        raise ValidationError(i18n.t("people.bad_nip", nip=nip))
    return digits


def format_nip(nip: str | None) -> str | None:
    """As printed under a signature: 19800101 200501 1 001 (birth date, appointment, sex, number)."""
    if not nip:
        return None
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" if len(nip) == 18 else nip


def check_jabatan(jabatan: str | None) -> str | None:
    text = " ".join((jabatan or "").split())
    if len(text) > 255:
        raise ValidationError(i18n.t("people.long_jabatan", n=len(text)))
    return text or None


def _required(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(i18n.t("people.empty", field=i18n.t(field)))
    return value


def check_username(username: str) -> str:
    return codes.check_code(username, "field.username")


def check_person_name(name: str | None) -> str:
    """A person's full name: required, at most ``codes.MAX_NAME`` characters."""
    return codes.check_length(_required(name, "people.f_name"), "field.person_name", codes.MAX_NAME)


def _check_email(email: str | None) -> str | None:
    return codes.check_length((email or "").strip() or None, "people.f_email", codes.MAX_NAME)


def check_roles(roles) -> list[str]:
    out: list[str] = []
    for role in roles:
        role = role.strip().lower()
        if role not in ROLES:
            raise ValidationError(i18n.t("people.bad_role", role=role, roles=", ".join(ROLES)))
        if role not in out:
            out.append(role)
    if not out:
        raise ValidationError(i18n.t("people.no_role", roles=", ".join(ROLES)))
    return sorted(out)


def check_login(session: Session, login: str | None, person_id: int | None = None) -> str | None:
    """A PostgreSQL login name (None: no login), not used by another person."""
    if login is None:
        return None
    login = login.strip()
    if not pg_access.LOGIN_RE.match(login) or login.lower().startswith("pg_"):
        raise ValidationError(i18n.t("people.bad_login", login=login))
    other = session.exec(select(Person).where(Person.login == login)).first()
    if other is not None and other.id != person_id:
        raise ConflictError(i18n.t("people.login_taken", login=login, username=other.username))
    return login


def check_os_user(os_user: str | None) -> str | None:
    if os_user is None:
        return None
    os_user = os_user.strip()
    if not os_user or len(os_user) > 64 or any(c.isspace() for c in os_user):
        raise ValidationError(i18n.t("people.bad_os_user", os_user=os_user))
    return os_user


def institution(session: Session) -> Institution:
    """The institution this database belongs to (set by ``pmprb init``),
    read once per session: it never changes after ``init``."""
    inst = session.info.get(_INSTITUTION)
    if inst is None or inst not in session:
        inst = session.exec(select(Institution).order_by(Institution.id)).first()
        if inst is None:
            raise NotFoundError(i18n.t("people.not_init"))
        session.info[_INSTITUTION] = inst
    return inst


_INSTITUTION = "pmprb.institution"   # session.info key


def init(session: Session, *, institution_code: str, institution_name: str, admin_username: str,
         admin_name: str, admin_email: str | None = None, timezone: str | None = None
         ) -> tuple[Institution, Person]:
    """Create the institution and its first admin (once per database).
    ``timezone``: where people read times (WIB, WITA, WIT or an IANA name;
    default Asia/Jakarta)."""
    from pmprb.dates import resolve_zone

    existing = session.exec(select(Institution)).first()
    if existing is not None:
        raise ConflictError(i18n.t("people.already_init", name=existing.name, code=existing.code))
    try:
        zone = resolve_zone(timezone)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    inst = Institution(code=codes.check_length(_required(institution_code, "people.f_inst_code"), "people.f_inst_code",
                                               codes.MAX_CODE),
                       name=codes.check_length(_required(institution_name, "people.f_inst_name"), "people.f_inst_name",
                                               codes.MAX_NAME), timezone=zone)
    session.add(inst)
    session.flush()
    rows = Rows()
    rows.put_obj(inst)
    admin = _insert_person(session, inst, check_username(admin_username), check_person_name(admin_name),
                           ["admin"], _check_email(admin_email), rows)
    audit_log.append(session, round_id=None, actor=admin.username, action="institution.init",
                     payload={"institution": {"code": inst.code, "name": inst.name, "timezone": inst.timezone},
                              "admin": {"username": admin.username, "name": admin.name}}, rows=rows)
    return inst, admin


def _insert_person(session: Session, inst: Institution, username: str, name: str, roles: list[str],
                   email: str | None, rows: Rows, *, login: str | None = None, os_user: str | None = None,
                   nip: str | None = None, jabatan: str | None = None) -> Person:
    if session.exec(select(Person).where(func.lower(Person.username) == username.lower())).first():
        raise ConflictError(i18n.t("people.exists", username=username))
    person = Person(institution_id=inst.id, username=username, name=name, email=(email or None),
                    login=check_login(session, login), os_user=check_os_user(os_user), nip=nip, jabatan=jabatan)
    session.add(person)
    session.flush()
    grants = [PersonRole(person_id=person.id, role=role) for role in roles]
    session.add_all(grants)
    session.flush()
    rows.put_obj(person, *grants)
    return person


def add_person(session: Session, actor: Actor, *, username: str, name: str, roles, email: str | None = None,
               login: str | None = None, os_user: str | None = None, nip: str | None = None,
               jabatan: str | None = None) -> Person:
    """Register a person; with ``login`` their PostgreSQL login role is
    created with the memberships of their roles (after ``pmprb db roles``).
    NIP and jabatan are printed under their signature on the berita acara."""
    require(actor, "person.write")
    username = check_username(username)
    roles = check_roles(roles)
    nip, jabatan = check_nip(nip), check_jabatan(jabatan)
    rows = Rows()
    person = _insert_person(session, institution(session), username, check_person_name(name), roles, _check_email(email),
                            rows, login=login, os_user=os_user, nip=nip, jabatan=jabatan)
    payload = {"username": username, "name": person.name, "roles": roles, "email": person.email,
               "login": person.login, "os_user": person.os_user}
    if nip or jabatan:
        payload.update(nip=nip, jabatan=jabatan)
    audit_log.append(session, round_id=None, actor=actor.username, action="person.add", payload=payload, rows=rows)
    if person.login:
        pg_access.sync_login(session, person.login, roles)
    return person


def _sync(session: Session, person: Person, previous_login: str | None = None) -> None:
    """Make the PostgreSQL memberships follow the person (a no-op unless ``db roles`` was run)."""
    if previous_login and previous_login != person.login:
        pg_access.sync_login(session, previous_login, [])
    if person.login:
        pg_access.sync_login(session, person.login, roles_of(session, person.id) if person.active else [])


def _active_admins(session: Session) -> int:
    return session.exec(select(func.count()).select_from(PersonRole).join(Person, Person.id == PersonRole.person_id)
                        .where(PersonRole.role == "admin", Person.active)).one()


def grant_role(session: Session, actor: Actor, username: str, role: str) -> Person:
    require(actor, "person.write")
    person = get_person(session, username)
    (role,) = check_roles([role])
    if role in roles_of(session, person.id):
        raise ConflictError(i18n.t("people.has_role", username=person.username, role=role))
    grant = PersonRole(person_id=person.id, role=role)
    session.add(grant)
    session.flush()
    rows = Rows()
    rows.put_obj(grant)
    audit_log.append(session, round_id=None, actor=actor.username, action="person.grant",
                     payload={"username": person.username, "role": role}, rows=rows)
    _sync(session, person)
    return person


def revoke_role(session: Session, actor: Actor, username: str, role: str) -> Person:
    require(actor, "person.write")
    person = get_person(session, username)
    (role,) = check_roles([role])
    held = roles_of(session, person.id)
    if role not in held:
        raise ValidationError(i18n.t("people.lacks_role", username=person.username, role=role))
    if held == {role}:
        raise ValidationError(i18n.t("people.last_role", username=person.username))
    grant = session.get(PersonRole, (person.id, role))
    rows = Rows()
    rows.delete(PersonRole, {"person_id": person.id, "role": role})
    session.delete(grant)
    session.flush()
    if role == "admin" and person.active and _active_admins(session) == 0:
        raise ValidationError(i18n.t("people.last_admin"))
    audit_log.append(session, round_id=None, actor=actor.username, action="person.revoke",
                     payload={"username": person.username, "role": role}, rows=rows)
    _sync(session, person)
    return person


_UNSET = object()


def update_person(session: Session, actor: Actor, username: str, *, name=_UNSET, email=_UNSET, login=_UNSET,
                  os_user=_UNSET, active=_UNSET, nip=_UNSET, jabatan=_UNSET) -> Person:
    """Change a person's name, e-mail, login, OS account, active flag, NIP
    or jabatan (``None`` or empty clears login, OS account, e-mail, NIP and
    jabatan). One ``person.update`` event with each change."""
    require(actor, "person.write")
    person = get_person(session, username)
    previous_login = person.login
    changes: dict = {}
    for field_name, value, clean in (
            ("name", name, check_person_name), ("email", email, _check_email),
            ("login", login, lambda v: check_login(session, v, person.id)), ("os_user", os_user, check_os_user),
            ("active", active, bool), ("nip", nip, check_nip), ("jabatan", jabatan, check_jabatan)):
        if value is _UNSET:
            continue
        value = clean(value)
        if getattr(person, field_name) != value:
            changes[field_name] = {"from": getattr(person, field_name), "to": value}
            setattr(person, field_name, value)
    if not changes:
        raise ValidationError(i18n.t("people.nothing"))
    session.add(person)
    session.flush()
    if "active" in changes and not person.active and _active_admins(session) == 0:
        raise ValidationError(i18n.t("people.last_admin"))
    rows = Rows()
    rows.put_obj(person)
    audit_log.append(session, round_id=None, actor=actor.username, action="person.update",
                     payload={"username": person.username, "changes": changes}, rows=rows)
    _sync(session, person, previous_login)
    return person


def register_key(session: Session, actor: Actor, public_key: str, fingerprint: str, algorithm: str = "ed25519"
                 ) -> tuple[PersonKey, bool]:
    """Register the acting person's own public key (``person.key`` event);
    returns the key and whether it is new (a key already registered to
    them is kept as it is)."""
    require(actor, "key.register")
    existing = session.exec(select(PersonKey).where(PersonKey.fingerprint == fingerprint)).first()
    if existing is not None:
        if existing.person_id != actor.id:
            raise ConflictError(i18n.t("people.key_taken", fingerprint=fingerprint[:16]))
        return existing, False
    key = PersonKey(person_id=actor.id, algorithm=algorithm, public_key=public_key, fingerprint=fingerprint)
    session.add(key)
    session.flush()
    rows = Rows()
    rows.put_obj(key)
    audit_log.append(session, round_id=None, actor=actor.username, action="person.key",
                     payload={"username": actor.username, "algorithm": algorithm, "fingerprint": fingerprint,
                              "public_key": public_key}, rows=rows)
    return key, True


def keys_of(session: Session, person_id: int | None = None) -> list[dict]:
    q = select(PersonKey, Person.username).join(Person, Person.id == PersonKey.person_id)
    if person_id is not None:
        q = q.where(PersonKey.person_id == person_id)
    return [{"username": username, "algorithm": k.algorithm, "public_key": k.public_key,
             "fingerprint": k.fingerprint, "created_at": k.created_at.isoformat(timespec="seconds")}
            for k, username in session.exec(q.order_by(PersonKey.id))]


def get_person(session: Session, username: str) -> Person:
    person = session.exec(select(Person).where(Person.username == (username or "").strip())).first()
    if person is None:
        raise NotFoundError(i18n.t("people.unknown", username=username))
    return person


def list_people(session: Session) -> list[dict]:
    rows = []
    for p in session.exec(select(Person).order_by(Person.username)):
        rows.append({"username": p.username, "name": p.name, "email": p.email, "nip": p.nip, "jabatan": p.jabatan,
                     "active": p.active, "roles": sorted(roles_of(session, p.id)), "login": p.login,
                     "os_user": p.os_user})
    return rows
