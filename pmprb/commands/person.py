"""pmprb person: register and list the people who act in rounds."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.setup import people
from pmprb.assessments.store.models import ROLES
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import col, read, run_as, table

i18n.register({
    "person.added": {"id": "Terdaftar: {username} ({name}), peran: {roles}",
                     "en": "Registered: {username} ({name}), roles: {roles}"},
})


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
    def add_cmd(username, name, roles, email):
        """Register a person (admin only)."""
        p = run_as(lambda s, actor: people.add_person(s, actor, username=username, name=name, roles=roles,
                                                      email=email))
        info(i18n.t("person.added", username=p.username, name=p.name, roles=", ".join(sorted(set(roles)))))

    @person_group.command("list")
    @json_option
    def list_cmd(as_json):
        """List registered people and their roles."""
        rows = read(people.list_people)
        if as_json:
            echo_json(rows)
            return
        click.echo(table([[r["username"], r["name"], ", ".join(r["roles"]), r["email"] or "",
                           "" if r["active"] else col("inactive")] for r in rows],
                         ["username", "name", "roles", "email", ""]))
