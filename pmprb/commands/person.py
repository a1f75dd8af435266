"""pmprb person: register and list the people who act in rounds."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.setup import people
from pmprb.assessments.store.models import ROLES
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import col, read, run_as, table

def _roles_now(username: str) -> str:
    from pmprb.assessments.setup.permissions import roles_of

    return ", ".join(sorted(read(lambda s: roles_of(s, people.get_person(s, username).id))))


def register(main: click.Group) -> None:
    @main.group("person")
    def person_group():
        """People and their roles (asesor, koordinator, auditor, admin)."""

    @person_group.command("add")
    @click.argument("username")
    @click.option("--name", required=True, help="Full name.")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
                  help="Role; repeat for several (e.g. --role asesor --role koordinator).")
    @click.option("--email", default=None, help="E-mail address (optional).")
    @click.option("--login", default=None,
                  help="Their own PostgreSQL login: pmprb then takes the actor from the connection "
                       "(session_user) and, after `pmprb db roles`, creates the login with its role memberships.")
    @click.option("--os-user", default=None,
                  help="Operating-system account they work under (SQLite): acting as them from another "
                       "account is refused.")
    @click.option("--nip", default=None, help="NIP, 18 digits (optional; printed under the signature).")
    @click.option("--jabatan", default=None, help="Position, e.g. 'Inspektur Kota Madiun' (optional).")
    def add_cmd(username, name, roles, email, login, os_user, nip, jabatan):
        """Register a person (admin only)."""
        p = run_as(lambda s, actor: people.add_person(s, actor, username=username, name=name, roles=roles,
                                                      email=email, login=login, os_user=os_user, nip=nip,
                                                      jabatan=jabatan))
        info(i18n.t("person.added", username=p.username, name=p.name, roles=", ".join(sorted(set(roles)))))

    @person_group.command("grant")
    @click.argument("username")
    @click.argument("role", type=click.Choice(ROLES))
    def grant_cmd(username, role):
        """Give a person a role (admin only); their PostgreSQL login follows."""
        run_as(lambda s, actor: people.grant_role(s, actor, username, role))
        info(i18n.t("person.roles", username=username, roles=_roles_now(username)))

    @person_group.command("revoke")
    @click.argument("username")
    @click.argument("role", type=click.Choice(ROLES))
    def revoke_cmd(username, role):
        """Take a role from a person (admin only); their PostgreSQL login follows."""
        run_as(lambda s, actor: people.revoke_role(s, actor, username, role))
        info(i18n.t("person.roles", username=username, roles=_roles_now(username)))

    @person_group.command("set")
    @click.argument("username")
    @click.option("--name", default=None, help="Full name.")
    @click.option("--email", default=None, help="E-mail address ('' clears it).")
    @click.option("--login", default=None, help="PostgreSQL login ('' removes it).")
    @click.option("--os-user", default=None, help="Operating-system account ('' removes the binding).")
    @click.option("--active/--inactive", default=None, help="Activate or deactivate the person.")
    @click.option("--nip", default=None, help="NIP, 18 digits ('' clears it).")
    @click.option("--jabatan", default=None, help="Position ('' clears it).")
    def set_cmd(username, name, email, login, os_user, active, nip, jabatan):
        """Change a person (admin only); recorded in the institution's audit chain."""
        given = {k: v for k, v in (("name", name), ("email", email), ("login", login), ("os_user", os_user),
                                   ("active", active), ("nip", nip), ("jabatan", jabatan)) if v is not None}
        for key in ("email", "login", "os_user", "nip", "jabatan"):
            if given.get(key) == "":
                given[key] = None
        run_as(lambda s, actor: people.update_person(s, actor, username, **given))
        info(i18n.t("person.updated", username=username, fields=", ".join(given) or "-"))

    @person_group.command("list")
    @json_option
    def list_cmd(as_json):
        """List registered people and their roles."""
        rows = read(people.list_people)
        if as_json:
            echo_json(rows)
            return
        click.echo(table([[r["username"], r["name"], ", ".join(r["roles"]), r["jabatan"] or "",
                           people.format_nip(r["nip"]) or "", r["email"] or "", r["login"] or "",
                           r["os_user"] or "", "" if r["active"] else col("inactive")] for r in rows],
                         ["username", "name", "roles", "jabatan", "NIP", "email", "login", "os-user", ""]))
