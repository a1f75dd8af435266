"""Who may do what: actions mapped to the roles that allow them.

The acting person is resolved into an :class:`Actor` from what proves it
(the PostgreSQL login, or the operating-system account a person is bound
to on SQLite: :mod:`pmprb.assessments.setup.identity`) and otherwise from
``--as`` / ``PMPRB_USER``; library functions call :func:`require` before writing, so a
web service or a notebook gets the same refusals as the CLI. Every action
and the roles allowed it are listed here, in one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.errors import ActorRequiredError, ForbiddenError
from pmprb.assessments.store.models import Person, PersonRole

i18n.register({
    "perm.no_actor": {
        "id": "siapa yang bertindak? Sebutkan dengan --as NAMA_PENGGUNA atau variabel PMPRB_USER",
        "en": "who is acting? Name the person with --as USERNAME or PMPRB_USER",
    },
    "perm.unknown_actor": {
        "id": "pengguna '{username}' tidak terdaftar (lihat `pmprb person list`)",
        "en": "user '{username}' is not registered (see `pmprb person list`)",
    },
    "perm.inactive_actor": {
        "id": "pengguna '{username}' tidak aktif",
        "en": "user '{username}' is not active",
    },
    "perm.denied": {
        "id": "{who}, {roles}, tidak berwenang untuk {action}; diperlukan peran: {needed}",
        "en": "{who}, {roles}, may not {action}; required role: {needed}",
    },
    "perm.read_only": {
        "id": "{who} adalah auditor dengan akses baca saja dan tidak dapat {action}",
        "en": "{who} is an auditor with read-only access and may not {action}",
    },
    "perm.no_roles": {"id": "tanpa peran", "en": "with no role"},
    "perm.roles": {"id": "dengan peran {roles}", "en": "with the role {roles}"},
    "perm.or": {"id": " atau ", "en": " or "},
})

# action -> (roles allowed, {lang: what the action does, for messages})
_ACTIONS: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    _action: (frozenset(_roles), {"id": _id, "en": _en}) for _action, _roles, _id, _en in [
    ("person.write", {"admin"}, "mendaftarkan orang", "register people"),
    ("key.register", {"asesor", "koordinator", "admin"}, "mendaftarkan kunci publik sendiri",
     "register one's own public key"),
    ("unit.write", {"admin"}, "mengelola unit kerja", "manage work units"),
    ("round.create", {"admin", "koordinator"}, "membuat ronde", "create rounds"),
    ("round.assign", {"admin", "koordinator"}, "menugaskan asesor", "assign assessors"),
    ("round.open", {"admin", "koordinator"}, "membuka ronde", "open a round"),
    ("round.review", {"admin", "koordinator"}, "memulai reviu ronde", "start the round's review"),
    ("round.consensus", {"admin", "koordinator"}, "memulai konsensus", "start consensus"),
    # Separation of duties: only coordinators decide the final result.
    ("round.finalise", {"koordinator"}, "memfinalisasi ronde", "finalise a round"),
    ("round.reopen", {"koordinator"}, "membuka kembali ronde final", "reopen a final round"),
    ("answer.write", {"asesor"}, "mengisi jawaban penilaian", "save assessment answers"),
    ("worksheet.submit", {"asesor"}, "mengirim kertas kerja", "submit a worksheet"),
    ("worksheet.review", {"koordinator"}, "mereviu kertas kerja (terima/kembalikan)",
     "review worksheets (accept/return)"),
    ("evidence.write", {"asesor", "koordinator"}, "menambah bukti dukung", "add evidence"),
    ("review.read", {"asesor", "koordinator", "admin", "auditor"}, "melihat reviu kertas kerja semua asesor",
     "view every assessor's working paper"),
    ("consensus.resolve", {"koordinator"}, "menyelesaikan atau membuka kembali butir konsensus",
     "resolve or reopen consensus items"),
    ("consensus.meeting", {"koordinator"}, "mencatat rapat konsensus", "record consensus meetings"),
    ("round.hasil", {"admin", "koordinator"}, "mengisi nilai Hasil", "enter Hasil figures"),
    ("round.official", {"koordinator"}, "mencatat nilai resmi indikator dari instansi penilai",
     "record the evaluating agencies' official indicator values"),
    ("ratl.write", {"admin", "koordinator"}, "menyusun RATL (rencana aksi, penanggung jawab, target)",
     "edit the RATL (action plan, responsible unit, target)"),
    ("ratl.progress", {"asesor", "koordinator", "admin"}, "memperbarui kemajuan RATL", "update RATL progress"),
    ("ratl.verify", {"koordinator"}, "memverifikasi butir RATL", "verify RATL items"),
    # Auditors read only (on PostgreSQL their login cannot write at all).
    ("history.import", {"admin", "koordinator"}, "mengimpor tabel Indeks RB yang dipublikasikan",
     "import published Indeks RB tables"),
]}


@dataclass(frozen=True)
class Actor:
    person: Person
    roles: frozenset[str]

    @property
    def id(self) -> int:
        return self.person.id

    @property
    def username(self) -> str:
        return self.person.username

    @property
    def name(self) -> str:
        return self.person.name

    def has(self, role: str) -> bool:
        return role in self.roles

    def describe(self) -> str:
        return f"{self.person.name} ({self.person.username})" if self.person.name != self.person.username \
            else self.person.username


def roles_of(session: Session, person_id: int) -> frozenset[str]:
    return frozenset(session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id)))


def resolve_actor(session: Session, username: str | None) -> Actor:
    """The registered, active person acting: the one the PostgreSQL login
    (or, on SQLite, the operating-system account) proves, which ``--as`` /
    ``PMPRB_USER`` may only confirm; else the one they name."""
    from pmprb.assessments.setup import identity

    person = identity.acting_person(session, username)
    roles = None
    if person is None:
        if not username or not username.strip():
            raise ActorRequiredError(i18n.t("perm.no_actor"))
        username = username.strip()
        # The person and their roles in one statement (every operation starts here).
        rows = session.exec(select(Person, PersonRole.role).outerjoin(PersonRole, PersonRole.person_id == Person.id)
                            .where(Person.username == username)).all()
        if not rows:
            raise ForbiddenError(i18n.t("perm.unknown_actor", username=username))
        person = rows[0][0]
        roles = frozenset(role for _p, role in rows if role is not None)
        if session.get_bind().dialect.name != "postgresql":
            identity.check_os_user(person)
    if not person.active:
        raise ForbiddenError(i18n.t("perm.inactive_actor", username=person.username))
    return Actor(person=person, roles=roles_of(session, person.id) if roles is None else roles)


def action_text(action: str) -> str:
    texts = _ACTIONS[action][1]
    return texts.get(i18n.get_lang()) or texts["id"]


def known_action(action: str) -> bool:
    return action in _ACTIONS


def allowed(actor: Actor, action: str) -> bool:
    return bool(actor.roles & _ACTIONS[action][0])


def require(actor: Actor, action: str) -> None:
    """Raise :class:`ForbiddenError` unless one of the actor's roles allows ``action``."""
    if action not in _ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if allowed(actor, action):
        return
    if actor.roles == {"auditor"}:
        raise ForbiddenError(i18n.t("perm.read_only", who=actor.describe(), action=action_text(action)))
    raise ForbiddenError(i18n.t(
        "perm.denied", who=actor.describe(),
        roles=i18n.t("perm.roles", roles=", ".join(sorted(actor.roles))) if actor.roles else i18n.t("perm.no_roles"),
        action=action_text(action), needed=i18n.t("perm.or").join(sorted(_ACTIONS[action][0]))))


