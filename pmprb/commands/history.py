"""`pmprb history`: import, check and show published Indeks RB tables.

Exit codes: 0 consistent / done, 1 invalid file or inconsistent figures
(``check``), 2 usage, 3 unknown institution, 4 years already imported
(without ``--replace``), 6 the acting person may not import.
"""

from __future__ import annotations

from pathlib import Path

import click

from pmprb import i18n
from pmprb.assessments.audit import history_tables  # also registers the audit check for imported figures
from pmprb.canonical import sha256_hex
from pmprb.engine import history, safe_input
from pmprb.errors import EXIT_INVALID, ValidationError
from pmprb.reports import history as history_report, write_report
from pmprb.commands._common import echo_json, get_ctx, info, json_option

instrument_option = click.option(
    "--instrument", "instrument_id", default=None, metavar="ID",
    help=f"Instrument whose weights and grade bands apply (default for a file: {history.DEFAULT_INSTRUMENT}; "
         "for the store: the one recorded at import).")
file_option = click.option("--file", "csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="Read the table from this CSV instead of the store.")
institution_option = click.option("--institution", default=None, metavar="NAME",
                                  help="Institution whose imported table to use.")


def _open_db():
    from pmprb.assessments.store.db import open_db

    return open_db(get_ctx().db_url)


def _tables(institution: str | None, csv_file: Path | None, instrument_id: str | None) -> list[dict]:
    """Tables to work on: ``{"institution", "source", "instrument", "figures"}``."""
    if institution and csv_file:
        raise click.UsageError(i18n.t("history.cli.one_source"))
    if csv_file:
        inst = instrument_id or history.DEFAULT_INSTRUMENT
        return [{"institution": institution or csv_file.stem, "source": csv_file.name, "instrument": inst,
                 "figures": history.read_csv(csv_file, inst)}]
    db = _open_db()
    with db.session() as session:
        names = [institution] if institution else history_tables.institutions(session)
        if not names:
            raise click.UsageError(i18n.t("history.cli.nothing"))
        out = []
        for name in names:
            for table in history_tables.load_tables(session, name, instrument_id):
                out.append({"institution": name, "source": ", ".join(table.sources),
                            "instrument": table.instrument_id, "figures": table.figures})
    return out


def register(main: click.Group) -> None:
    @main.group("history")
    def history_group() -> None:
        """Published Indeks RB tables: import them, check that they add up, show the years side by side."""

    @history_group.command("import")
    @click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--institution", required=True, metavar="NAME", help="Institution that published the table.")
    @click.option("--instrument", "instrument_id", default=history.DEFAULT_INSTRUMENT, show_default=True,
                  metavar="ID", help="Instrument the table was published under.")
    @click.option("--replace", is_flag=True, help="Replace years already imported for this institution.")
    @json_option
    def import_cmd(csv_file: Path, institution: str, instrument_id: str, replace: bool, as_json: bool) -> None:
        """Import FILE.csv (columns year,item,weight,value,percent) for an institution.

        The whole file is validated first; nothing is stored when any row is
        invalid. Done as the acting person (--as / PMPRB_USER, or the one the
        login proves: koordinator or admin) and recorded in the audit log.
        """
        from pmprb.assessments.setup.permissions import resolve_actor

        figures = history.read_csv(csv_file, instrument_id)
        inst = history.layout(instrument_id).instrument.id
        digest = sha256_hex(safe_input.read_bytes(csv_file))  # bounded, like read_csv above
        username = get_ctx().actor
        summary = _open_db().run(lambda s: history_tables.import_figures(
            s, resolve_actor(s, username), institution, figures, instrument_id=inst, source_file=csv_file,
            source_sha256=digest, replace=replace))
        replaced = (i18n.t("history.cli.replaced", years=", ".join(map(str, summary.replaced_years)))
                    if summary.replaced_years else "")
        info(i18n.t("history.cli.imported", rows=summary.rows, institution=summary.institution,
                    years=", ".join(map(str, summary.years)), file=csv_file.name, replaced=replaced))
        result = history.check(figures, inst)
        info(i18n.t("history.cli.import_check", bad=len(result.inconsistencies), checked=len(result.checks)))
        if as_json:
            echo_json({"institution": summary.institution, "instrument": inst, "years": list(summary.years),
                       "rows": summary.rows, "replaced_years": list(summary.replaced_years),
                       "source": csv_file.name, "inconsistent": len(result.inconsistencies)})

    @history_group.command("check")
    @institution_option
    @file_option
    @instrument_option
    @click.option("--all", "everything", is_flag=True, help="List every check, not only the inconsistent ones.")
    @json_option
    def check_cmd(institution, csv_file, instrument_id, everything: bool, as_json: bool) -> None:
        """Recompute every derived figure and list the inconsistent ones.

        Percentages from value and weight, Pengungkit and Hasil as sums, the
        Indeks as their sum, the grade from the instrument's bands. Published
        figures are rounded, so a difference counts only beyond what the
        rounding of the inputs explains; the allowance is shown. Without
        --institution or --file, every stored institution is checked.
        Exit 1 when any figure is inconsistent.
        """
        reports, bad = [], 0
        for table in _tables(institution, csv_file, instrument_id):
            result = history.check(table["figures"], table["instrument"])
            bad += len(result.inconsistencies)
            if as_json:
                data = history_report.result_to_json(result, table["source"])
                data["institution"] = table["institution"]
                reports.append(data)
            else:
                label = f"{table['institution']} ({table['source']})" if not csv_file else table["source"]
                for line in history_report.result_lines(result, label, everything=everything):
                    click.echo(line)
        if as_json:
            # A file is one table; the store gives a list (institutions, and instrument versions within one).
            echo_json(reports[0] if csv_file else {"tables": reports, "inconsistent": bad})
        if bad:
            get_ctx_exit(EXIT_INVALID)

    @history_group.command("show")
    @institution_option
    @file_option
    @instrument_option
    @click.option("--html", "html_out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
                  metavar="OUT.html", help="Also write a self-contained HTML report with trend charts.")
    @json_option
    def show_cmd(institution, csv_file, instrument_id, html_out: Path | None, as_json: bool) -> None:
        """Print the published figures with the years side by side."""
        tables = _tables(institution, csv_file, instrument_id)
        names = sorted({t_["institution"] for t_ in tables})
        if len(names) > 1:
            raise click.UsageError(i18n.t("history.cli.which_institution", names=", ".join(names)))
        if len(tables) > 1:
            raise ValidationError(i18n.t("history.cli.mixed_instruments", institution=names[0],
                                         ids=", ".join(t_["instrument"] for t_ in tables)))
        table = tables[0]
        lay = history.layout(table["instrument"])
        years = history_report.years_table(table["figures"], lay)
        if as_json:
            data = history_report.years_table_json(years)
            data.update(institution=table["institution"], instrument=lay.instrument.id, source=table["source"])
            echo_json(data)
        else:
            click.echo(f"{table['institution']} — {lay.instrument.id} ({table['source']})")
            for line in history_report.years_table_lines(years):
                click.echo(line)
        if html_out:
            result = history.check(table["figures"], lay.instrument)
            html = history_report.render_history_html(table["figures"], lay, institution=table["institution"],
                                                      source=table["source"], result=result)
            write_report(html_out, html)
            info(i18n.t("history.cli.html_written", path=html_out))


def get_ctx_exit(code: int) -> None:
    click.get_current_context().exit(code)
