"""pmprb unit: work units (unit kerja / perangkat daerah)."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.setup import units
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import read, run_as, table

def register(main: click.Group) -> None:
    @main.group("unit")
    def unit_group():
        """Work units of the institution."""

    @unit_group.command("add")
    @click.argument("code")
    @click.argument("name")
    def add_cmd(code, name):
        """Add one unit (admin only)."""
        u = run_as(lambda s, actor: units.add_unit(s, actor, code=code, name=name))
        info(i18n.t("unit.added", code=u.code, name=u.name))

    @unit_group.command("set")
    @click.argument("code")
    @click.option("--name", default=None, help="New name.")
    @click.option("--active/--inactive", default=None, help="Activate or deactivate the unit.")
    def set_cmd(code, name, active):
        """Rename or (de)activate a unit (admin only); recorded in the institution's audit chain."""
        u = run_as(lambda s, actor: units.update_unit(s, actor, code, name=name, active=active))
        info(i18n.t("unit.updated", code=u.code, name=u.name, inactive="" if u.active else i18n.t("unit.inactive")))

    @unit_group.command("import")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("--update", is_flag=True, help="Rename units whose code exists with another name.")
    @json_option
    def import_cmd(path, update, as_json):
        """Import units from a CSV file with columns code,name (or kode,nama).

        All rows are imported in one transaction, or none when any row is
        invalid; importing the same file again changes nothing."""
        rows, sha = units.read_units_file(path)
        show = len(rows) >= 2 * units.FLUSH_EVERY

        def progress(done, total):
            if show:
                info(i18n.t("units.progress", done=done, total=total))

        result = run_as(lambda s, actor: units.import_units(s, actor, rows, source=str(path), source_sha256=sha,
                                                            update=update, progress=progress))
        if as_json:
            echo_json(result.to_dict())
        info(i18n.t("unit.imported", path=path, **result.to_dict()))

    @unit_group.command("list")
    @json_option
    def list_cmd(as_json):
        """List the institution's units."""
        rows = read(units.list_units)
        if as_json:
            echo_json([{"code": u.code, "name": u.name, "active": u.active} for u in rows])
            return
        click.echo(table([[u.code, u.name] for u in rows], ["code", "name"]))
