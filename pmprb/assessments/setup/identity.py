"""Who is acting, from something the user cannot simply claim.

- PostgreSQL: the login of the connection (``session_user``). A person
  registered with ``--login NAME`` acts whenever that login connects;
  ``--as`` / ``PMPRB_USER`` naming anyone else is refused. A login mapped to
  no person is refused as soon as any person has a login, except the
  database owner (and superusers), who can change everything anyway and are
  trusted to name the person they act for. While no person has a login,
  ``--as`` stays a claim, as on SQLite.
- SQLite (one machine): a person bound to an operating-system account
  (``--os-user``) can only be acted as from that account; without ``--as``
  the person bound to the current account acts.

Whatever the database, a file or server administrator can still write
around pmprb; what protects the data then are the anchors outside the
database (checkpoints, signed documents, exports: ``audit/anchors.py``).
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy import func, or_, text
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.errors import ForbiddenError
from pmprb.assessments.store.models import Person, PersonRole

def current_os_user() -> str:
    """The operating-system account running this process."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # Windows, or a uid without a passwd entry
        return getpass.getuser()


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def session_login(session: Session) -> str | None:
    """The PostgreSQL login of this connection (None on other databases)."""
    if not _postgresql(session):
        return None
    # A connection's login never changes (pmprb never sets the session authorisation): asked once
    # per database connection, not at the start of every operation.
    info = session.connection().info
    login = info.get(_LOGIN)
    if login is None:
        login = info[_LOGIN] = session.execute(text("SELECT session_user")).scalar_one()
    return login


_LOGIN = "pmprb.session_user"


def login_is_trusted(session: Session) -> bool:
    """The login owns pmprb's tables or is a superuser: it can rewrite
    anything, so pmprb lets it name the person it acts for."""
    return bool(session.execute(text(
        "SELECT session_user = (SELECT pg_get_userbyid(relowner) FROM pg_class "
        "WHERE oid = CAST('audit_event' AS regclass)) "
        "OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)")).scalar_one())


def logins_in_use(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Person).where(Person.login.is_not(None))).one() > 0


def acting_person(session: Session, claimed: str | None
                  ) -> tuple[Person | None, frozenset[str] | None, list | None]:
    """The person the connection or the OS account proves, checked against
    the claimed username: ``(person, roles or None, None)``. ``(None, None,
    rows)``: nothing proves anyone, use the claim; ``rows`` are the claimed
    person's ``(Person, role)`` rows when already read (None: not read)."""
    login = session_login(session)
    claim = claimed.strip() if claimed and claimed.strip() else None
    if login is not None:
        # One statement (every operation starts here): the person of this login and the claimed
        # person, each with their roles, and whether any person has a login (logins are in use).
        in_use = select(Person.id).where(Person.login.is_not(None)).exists().label("logins_in_use")
        who = Person.login == login if claim is None else or_(Person.login == login, Person.username == claim)
        rows = session.exec(select(Person, PersonRole.role, in_use)
                            .outerjoin(PersonRole, PersonRole.person_id == Person.id).where(who)).all()
        mine = [(p, role) for p, role, _in_use in rows if p.login == login]
        if mine:
            person = mine[0][0]
            if claim and claim != person.username:
                raise ForbiddenError(i18n.t("ident.login_is_other", login=login, person=person.username,
                                            claimed=claim))
            if not person.active:
                raise ForbiddenError(i18n.t("ident.login_inactive", login=login, person=person.username))
            return person, frozenset(role for _p, role in mine if role is not None), None
        in_use_now = rows[0][2] if rows else logins_in_use(session)
        if in_use_now and not login_is_trusted(session):   # logins in use, none is this one
            raise ForbiddenError(i18n.t("ident.login_unknown", login=login))
        return None, None, [(p, role) for p, role, _in_use in rows if p.username == claim]
    if claim is None:
        bound = session.exec(select(Person).where(Person.os_user == current_os_user(), Person.active)).all()
        return (bound[0], None, None) if len(bound) == 1 else (None, None, None)
    return None, None, None


def check_os_user(person: Person) -> None:
    """A person bound to an OS account is acted as from that account only."""
    if person.os_user and person.os_user != current_os_user():
        raise ForbiddenError(i18n.t("ident.os_user", person=person.username, bound=person.os_user,
                                    current=current_os_user()))
