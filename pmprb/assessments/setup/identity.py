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

from sqlalchemy import func, text
from sqlmodel import Session, select

from pmprb import i18n
from pmprb.errors import ForbiddenError
from pmprb.assessments.store.models import Person

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


def acting_person(session: Session, claimed: str | None) -> Person | None:
    """The person the connection or the OS account proves, checked against
    the claimed username. None: nothing proves anyone, use the claim."""
    login = session_login(session)
    if login is not None:
        # One statement for two questions: the person of this login if there is one, else any
        # person with a login (logins are in use), else none.
        found = session.exec(select(Person).where(Person.login.is_not(None))
                             .order_by(Person.login != login, Person.id).limit(1)).first()
        person = found if found is not None and found.login == login else None
        if person is not None:
            if claimed and claimed.strip() and claimed.strip() != person.username:
                raise ForbiddenError(i18n.t("ident.login_is_other", login=login, person=person.username,
                                            claimed=claimed.strip()))
            if not person.active:
                raise ForbiddenError(i18n.t("ident.login_inactive", login=login, person=person.username))
            return person
        if found is not None and not login_is_trusted(session):   # logins in use, none is this one
            raise ForbiddenError(i18n.t("ident.login_unknown", login=login))
        return None
    if not (claimed and claimed.strip()):
        bound = session.exec(select(Person).where(Person.os_user == current_os_user(), Person.active)).all()
        return bound[0] if len(bound) == 1 else None
    return None


def check_os_user(person: Person) -> None:
    """A person bound to an OS account is acted as from that account only."""
    if person.os_user and person.os_user != current_os_user():
        raise ForbiddenError(i18n.t("ident.os_user", person=person.username, bound=person.os_user,
                                    current=current_os_user()))
