"""pmprb db: schema status and upgrades."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.store import migrate
from pmprb.assessments.store.db import display_url, open_db
from pmprb.commands._common import echo_json, get_ctx, info, json_option
from pmprb.errors import ValidationError

def register(main: click.Group) -> None:
    @main.group("db")
    def db_group():
        """Database schema: status and upgrade (see --db / PMPRB_DATABASE_URL)."""

    @db_group.command("upgrade")
    def upgrade_cmd():
        """Apply every pending migration (a new database is created at head)."""
        db = open_db(get_ctx().db_url, auto_create=False, check_schema=False)
        st = migrate.upgrade(db)
        info(i18n.t("dbcmd.upgraded", url=display_url(db.url), current=", ".join(st.current)))

    @db_group.command("roles")
    @json_option
    def roles_cmd(as_json):
        """PostgreSQL: create one group role per pmprb role with its grants,
        row-level security and triggers, then every registered person's login
        and memberships. Run as the database owner; safe to run again."""
        from pmprb.assessments.store import pg_access

        db = open_db(get_ctx().db_url)
        if db.backend != "postgresql":
            raise ValidationError(i18n.t("dbcmd.roles_pg_only"))
        done = db.run(pg_access.setup)
        if as_json:
            echo_json(done)
            return
        info(i18n.t("dbcmd.roles_done", database=done["database"], owner=done["owner"],
                    groups=", ".join(done["groups"].values()), created=", ".join(done["created"]) or "-",
                    logins=", ".join(done["logins"]) or "-"))

    @db_group.command("status")
    @json_option
    def status_cmd(as_json):
        """Show the database URL, its schema revision and the evidence store."""
        db = open_db(get_ctx().db_url, auto_create=False, check_schema=False)
        st = migrate.status(db)
        state = "ok" if st.at_head else ("new" if st.is_new else "old")
        if as_json:
            echo_json({"url": display_url(db.url), "current": list(st.current), "heads": list(st.heads),
                       "state": state, "evidence_dir": str(db.evidence_dir)})
            return
        click.echo(i18n.t("dbcmd.status", url=display_url(db.url), current=", ".join(st.current) or "-",
                          heads=", ".join(st.heads), state=i18n.t(f"dbcmd.state_{state}"),
                          evidence=db.evidence_dir))
