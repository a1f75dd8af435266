"""The institution and its people (init, register, look up)."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.errors import ConflictError, NotFoundError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows
from pmprb.assessments.store.models import ROLES, Institution, Person, PersonRole
from pmprb.assessments.setup.permissions import Actor, require, roles_of

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
SYSTEM_ACTOR = "system"

i18n.register({
    "people.already_init": {
        "id": "basis data ini sudah diinisialisasi untuk {name} ({code})",
        "en": "this database is already initialised for {name} ({code})",
    },
    "people.not_init": {
        "id": "basis data belum diinisialisasi; jalankan `pmprb init` terlebih dahulu",
        "en": "the database is not initialised; run `pmprb init` first",
    },
    "people.bad_username": {
        "id": "nama pengguna tidak valid {username!r}: gunakan huruf, angka, titik, garis bawah, @ atau tanda hubung "
              "(maks. 64, tanpa spasi)",
        "en": "invalid username {username!r}: use letters, digits, dot, underscore, @ or hyphen "
              "(max 64, no spaces)",
    },
    "people.bad_role": {
        "id": "peran tidak dikenal {role!r}; pilih dari: {roles}",
        "en": "unknown role {role!r}; choose from: {roles}",
    },
    "people.no_role": {"id": "sebutkan minimal satu peran ({roles})", "en": "give at least one role ({roles})"},
    "people.exists": {
        "id": "pengguna '{username}' sudah terdaftar",
        "en": "user '{username}' is already registered",
    },
    "people.unknown": {
        "id": "pengguna '{username}' tidak terdaftar",
        "en": "user '{username}' is not registered",
    },
    "people.empty": {"id": "{field} tidak boleh kosong", "en": "{field} must not be empty"},
    "people.f_inst_code": {"id": "kode instansi", "en": "institution code"},
    "people.f_inst_name": {"id": "nama instansi", "en": "institution name"},
    "people.f_name": {"id": "nama", "en": "name"},
    "people.bad_nip": {"id": "NIP tidak valid {nip!r}: NIP terdiri atas 18 angka (spasi boleh)",
                       "en": "invalid NIP {nip!r}: a NIP is 18 digits (spaces allowed)"},
    "people.long_jabatan": {"id": "jabatan terlalu panjang ({n} karakter, maks. 255)",
                            "en": "jabatan is too long ({n} characters, max 255)"},
    "people.nothing": {"id": "tidak ada perubahan yang diminta (--name, --nip, --jabatan, --email)",
                       "en": "no change requested (--name, --nip, --jabatan, --email)"},
})


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
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ValidationError(i18n.t("people.bad_username", username=username))
    return username


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
    inst = Institution(code=_required(institution_code, "people.f_inst_code"),
                       name=_required(institution_name, "people.f_inst_name"), timezone=zone)
    session.add(inst)
    session.flush()
    rows = Rows()
    rows.put_obj(inst)
    admin = _insert_person(session, inst, check_username(admin_username), _required(admin_name, "people.f_name"),
                           ["admin"], admin_email, rows)
    audit_log.append(session, round_id=None, actor=admin.username, action="institution.init",
                     payload={"institution": {"code": inst.code, "name": inst.name, "timezone": inst.timezone},
                              "admin": {"username": admin.username, "name": admin.name}}, rows=rows)
    return inst, admin


def _insert_person(session: Session, inst: Institution, username: str, name: str, roles: list[str],
                   email: str | None, rows: Rows, *, nip: str | None = None, jabatan: str | None = None) -> Person:
    if session.exec(select(Person).where(func.lower(Person.username) == username.lower())).first():
        raise ConflictError(i18n.t("people.exists", username=username))
    person = Person(institution_id=inst.id, username=username, name=name, email=(email or None), nip=nip,
                    jabatan=jabatan)
    session.add(person)
    session.flush()
    grants = [PersonRole(person_id=person.id, role=role) for role in roles]
    session.add_all(grants)
    session.flush()
    rows.put_obj(person, *grants)
    return person


def add_person(session: Session, actor: Actor, *, username: str, name: str, roles, email: str | None = None,
               nip: str | None = None, jabatan: str | None = None) -> Person:
    require(actor, "person.write")
    username = check_username(username)
    roles = check_roles(roles)
    nip, jabatan = check_nip(nip), check_jabatan(jabatan)
    rows = Rows()
    person = _insert_person(session, institution(session), username, _required(name, "people.f_name"), roles, email,
                            rows, nip=nip, jabatan=jabatan)
    payload = {"username": username, "name": person.name, "roles": roles, "email": person.email}
    if nip or jabatan:
        payload.update(nip=nip, jabatan=jabatan)
    audit_log.append(session, round_id=None, actor=actor.username, action="person.add", payload=payload, rows=rows)
    return person


_UNSET = object()


def update_person(session: Session, actor: Actor, username: str, *, name=_UNSET, nip=_UNSET, jabatan=_UNSET,
                  email=_UNSET) -> Person:
    """Change a person's name, NIP, jabatan or e-mail (an empty NIP, jabatan or
    e-mail clears it). One ``person.update`` event with each change."""
    require(actor, "person.write")
    person = get_person(session, username)
    wanted = {}
    if name is not _UNSET:
        wanted["name"] = _required(name, "people.f_name")
    if nip is not _UNSET:
        wanted["nip"] = check_nip(nip)
    if jabatan is not _UNSET:
        wanted["jabatan"] = check_jabatan(jabatan)
    if email is not _UNSET:
        wanted["email"] = (email or "").strip() or None
    if not wanted:
        raise ValidationError(i18n.t("people.nothing"))
    changes = {k: {"from": getattr(person, k), "to": v} for k, v in wanted.items() if getattr(person, k) != v}
    if not changes:
        return person
    for k, change in changes.items():
        setattr(person, k, change["to"])
    session.add(person)
    session.flush()
    rows = Rows()
    rows.put_obj(person)
    audit_log.append(session, round_id=None, actor=actor.username, action="person.update",
                     payload={"username": person.username, "changes": changes}, rows=rows)
    return person


def get_person(session: Session, username: str) -> Person:
    person = session.exec(select(Person).where(Person.username == (username or "").strip())).first()
    if person is None:
        raise NotFoundError(i18n.t("people.unknown", username=username))
    return person


def list_people(session: Session) -> list[dict]:
    rows = []
    for p in session.exec(select(Person).order_by(Person.username)):
        rows.append({"username": p.username, "name": p.name, "email": p.email, "nip": p.nip,
                     "jabatan": p.jabatan, "active": p.active, "roles": sorted(roles_of(session, p.id))})
    return rows
