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
    "person.updated": {"id": "Diperbarui: {username} ({fields})", "en": "Updated: {username} ({fields})"},
    "person.unchanged": {"id": "Tidak ada yang berubah untuk {username}", "en": "Nothing changed for {username}"},
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
    @click.option("--nip", default=None, help="NIP, 18 digits (optional; printed under the signature).")
    @click.option("--jabatan", default=None, help="Position, e.g. 'Inspektur Kota Madiun' (optional).")
    def add_cmd(username, name, roles, email, nip, jabatan):
        """Register a person (admin only)."""
        p = run_as(lambda s, actor: people.add_person(s, actor, username=username, name=name, roles=roles,
                                                      email=email, nip=nip, jabatan=jabatan))
        info(i18n.t("person.added", username=p.username, name=p.name, roles=", ".join(sorted(set(roles)))))

    @person_group.command("update")
    @click.argument("username")
    @click.option("--name", default=None, help="Full name.")
    @click.option("--nip", default=None, help="NIP, 18 digits ('' clears it).")
    @click.option("--jabatan", default=None, help="Position ('' clears it).")
    @click.option("--email", default=None, help="E-mail address ('' clears it).")
    def update_cmd(username, name, nip, jabatan, email):
        """Change a person's name, NIP, jabatan or e-mail (admin only)."""
        given = {k: v for k, v in {"name": name, "nip": nip, "jabatan": jabatan, "email": email}.items()
                 if v is not None}

        def op(s, actor):
            before = {k: getattr(people.get_person(s, username), k) for k in given}
            p = people.update_person(s, actor, username, **given)
            return p.username, [k for k in given if getattr(p, k) != before[k]]

        who, changed = run_as(op)
        info(i18n.t("person.updated", username=who, fields=", ".join(changed)) if changed
             else i18n.t("person.unchanged", username=who))

    @person_group.command("list")
    @json_option
    def list_cmd(as_json):
        """List registered people and their roles."""
        rows = read(people.list_people)
        if as_json:
            echo_json(rows)
            return
        click.echo(table([[r["username"], r["name"], ", ".join(r["roles"]), r["jabatan"] or "",
                           people.format_nip(r["nip"]) or "", r["email"] or "",
                           "" if r["active"] else col("inactive")] for r in rows],
                         ["username", "name", "roles", "jabatan", "NIP", "email", ""]))
