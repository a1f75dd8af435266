"""``audit verify`` on PostgreSQL: the logins' group memberships are the
pmprb roles the institution chain records (a membership granted with SQL,
around pmprb, is named)."""

from __future__ import annotations

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.assessments.store import pg_access
from pmprb.assessments.store.audit_log import Problem
from pmprb.assessments.store.models import AuditEvent, Person, PersonRole

def check_logins(session: Session, round_id: int | None, evs: list[AuditEvent]) -> list[Problem]:
    if round_id is not None or not pg_access.installed(session):
        return []
    want: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for person in session.exec(select(Person).where(Person.login.is_not(None))):
        names[person.login] = person.username
        want[person.login] = set(session.exec(select(PersonRole.role).where(PersonRole.person_id == person.id))) \
            if person.active else set()
    have = pg_access.memberships(session)
    problems = []
    for login in sorted(set(want) | set(have)):
        who = i18n.t("idchk.who", username=names[login]) if login in names else i18n.t("idchk.nobody")
        for role in sorted(have.get(login, set()) - want.get(login, set())):
            problems.append(Problem("logins", i18n.t("idchk.extra", login=login, role=role, who=who)))
        for role in sorted(want.get(login, set()) - have.get(login, set())):
            problems.append(Problem("logins", i18n.t("idchk.missing", login=login, username=names[login], role=role)))
    return problems
