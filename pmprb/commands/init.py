"""pmprb init: the institution and its first admin."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.dates import DEFAULT_TIMEZONE
from pmprb.assessments.setup import people
from pmprb.assessments.store.db import display_url
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import ask, col, database, fail_missing

def register(main: click.Group) -> None:
    @main.command("init")
    @click.option("--institution-code", help="Short code of the institution, e.g. kota-madiun.")
    @click.option("--institution", "institution_name", help="Name, e.g. 'Pemerintah Kota Madiun'.")
    @click.option("--admin", "admin_username", help="Username of the first admin (used with --as).")
    @click.option("--admin-name", help="Full name of the first admin.")
    @click.option("--admin-email", default=None, help="E-mail of the first admin (optional).")
    @click.option("--timezone", default=DEFAULT_TIMEZONE, show_default=True,
                  help="Time zone in which times are shown: WIB, WITA, WIT or an IANA name such as Asia/Makassar.")
    @json_option
    def init_cmd(institution_code, institution_name, admin_username, admin_name, admin_email, timezone, as_json):
        """Create the database (if new), the institution and its first admin."""
        missing: list[str] = []
        institution_code = ask(institution_code, col("prompt_inst_code"), missing, "--institution-code")
        institution_name = ask(institution_name, col("prompt_inst_name"), missing, "--institution")
        admin_username = ask(admin_username, col("prompt_admin"), missing, "--admin")
        admin_name = ask(admin_name, col("prompt_admin_name"), missing, "--admin-name")
        fail_missing(missing)
        db = database()
        inst, admin = db.run(lambda s: people.init(
            s, institution_code=institution_code, institution_name=institution_name,
            admin_username=admin_username, admin_name=admin_name, admin_email=admin_email, timezone=timezone))
        if as_json:
            echo_json({"database": display_url(db.url), "evidence_dir": str(db.evidence_dir),
                       "institution": {"code": inst.code, "name": inst.name, "timezone": inst.timezone},
                       "admin": admin.username})
        info(i18n.t("init.done", url=display_url(db.url), name=inst.name, code=inst.code, admin=admin.username,
                    zone=inst.timezone))
