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

# action -> the roles allowed to do it (what the action does, for messages: action.<name> in the
# catalogues).
_ACTIONS: dict[str, frozenset[str]] = {
    "person.write": frozenset({"admin"}),
    "key.register": frozenset({"admin", "asesor", "koordinator"}),
    "unit.write": frozenset({"admin"}),
    "round.create": frozenset({"admin", "koordinator"}),
    "round.assign": frozenset({"admin", "koordinator"}),
    "round.open": frozenset({"admin", "koordinator"}),
    "round.review": frozenset({"admin", "koordinator"}),
    "round.consensus": frozenset({"admin", "koordinator"}),
    # Separation of duties: only coordinators decide the final result.
    "round.finalise": frozenset({"koordinator"}),
    "round.reopen": frozenset({"koordinator"}),
    "answer.write": frozenset({"asesor"}),
    "worksheet.submit": frozenset({"asesor"}),
    "worksheet.review": frozenset({"koordinator"}),
    "evidence.write": frozenset({"asesor", "koordinator"}),
    "review.read": frozenset({"admin", "asesor", "auditor", "koordinator"}),
    "consensus.resolve": frozenset({"koordinator"}),
    "consensus.meeting": frozenset({"koordinator"}),
    "round.hasil": frozenset({"admin", "koordinator"}),
    "round.official": frozenset({"koordinator"}),
    "ratl.write": frozenset({"admin", "koordinator"}),
    "ratl.progress": frozenset({"admin", "asesor", "koordinator"}),
    "ratl.verify": frozenset({"koordinator"}),
    # Auditors read only (on PostgreSQL their login cannot write at all).
    "history.import": frozenset({"admin", "koordinator"}),
}


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

    person, roles, rows = identity.acting_person(session, username)
    if person is None:
        if not username or not username.strip():
            raise ActorRequiredError(i18n.t("perm.no_actor"))
        username = username.strip()
        if rows is None:   # the person and their roles in one statement (every operation starts here)
            rows = session.exec(select(Person, PersonRole.role)
                                .outerjoin(PersonRole, PersonRole.person_id == Person.id)
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
    return i18n.t(f"action.{action}")


def known_action(action: str) -> bool:
    return action in _ACTIONS


def allowed(actor: Actor, action: str) -> bool:
    return bool(actor.roles & _ACTIONS[action])


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
        action=action_text(action), needed=i18n.t("perm.or").join(sorted(_ACTIONS[action]))))


