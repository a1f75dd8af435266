"""pmprb report: the documents of a round — LKE, berita acara, RATL, ringkasan.

Every HTML report is one self-contained file that prints on A4. Without
-o the file goes to a ``reports/`` folder beside the database (SQLite), or
in the user data directory for a server database; the path is printed on
stdout.
"""

from __future__ import annotations

from pathlib import Path

import click
import platformdirs

from pmprb import i18n
from pmprb.assessments.setup import rounds
from pmprb.assessments.store.db import resolve_url, sqlite_path
from pmprb.reports import berita_acara, lke, ratl, ringkasan
from pmprb.reports.environment import write_report
from pmprb.commands._common import get_ctx, info
from pmprb.commands._store import read

REPORTS = {
    # name: (module, formats); pdf is the HTML printed by headless Chromium
    "lke": (lke, ("html", "pdf", "xlsx")),
    "berita-acara": (berita_acara, ("html", "pdf")),
    "ratl": (ratl, ("html", "pdf", "xlsx", "csv")),
    "ringkasan": (ringkasan, ("html", "pdf")),
}


def reports_dir() -> Path:
    """``reports/`` beside a SQLite database, else in the user data directory."""
    path = sqlite_path(resolve_url(get_ctx().db_url))
    if path is not None:
        return path.parent / "reports"
    return Path(platformdirs.user_data_dir("pmprb", appauthor=False)) / "reports"


def default_output(stem: str, fmt: str, lang: str) -> Path:
    suffix = "" if lang == "id" else f".{lang}"
    return reports_dir() / f"{stem}{suffix}.{fmt}"


def _format_for(output: str | None, fmt: str | None, allowed: tuple[str, ...]) -> str:
    if fmt:
        if output and Path(output).suffix.lower().lstrip(".") not in (fmt, "htm" if fmt == "html" else fmt):
            raise click.UsageError(i18n.t("reportcmd.bad_suffix", path=output, fmt=fmt))
        return fmt
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        suffix = "html" if suffix == "htm" else suffix
        if suffix in allowed:
            return suffix
    return "html"


def write(name: str, round_ref: str, fmt: str | None, output: str | None) -> Path:
    module, allowed = REPORTS[name]
    fmt = _format_for(output, fmt, allowed)
    lang = i18n.get_lang()
    ctx = read(lambda s: module.build(s, rounds.get_round(s, round_ref), lang))
    path = Path(output) if output else default_output(f"{name}-{ctx['round']['code']}", fmt, lang)
    if fmt == "html":
        write_report(path, module.render_html(ctx))
    elif fmt == "pdf":
        from pmprb.reports.chromium import write_pdf

        write_pdf(module.render_html(ctx), path)
    elif fmt == "xlsx":
        module.write_xlsx_file(path, ctx)
    else:
        module.write_csv(path, ctx)
    return path


def register(main: click.Group) -> None:
    @main.group("report")
    def report_group():
        """Round documents to sign and file (Bahasa Indonesia; --lang en for English)."""

    def report_command(name: str, doc: str):
        _module, allowed = REPORTS[name]

        @report_group.command(name, help=doc)
        @click.option("--round", "round_ref", required=True, help="Round code (or id).")
        @click.option("--format", "fmt", type=click.Choice(allowed), default=None,
                      help="Output format (default: from the -o suffix, else html); pdf prints the HTML "
                           "with headless Chromium.")
        @click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                      help="File to write (default: reports/ beside the database).")
        def cmd(round_ref, fmt, output):
            path = write(name, round_ref, fmt, output)
            info(i18n.t("reportcmd.written", path=path))
            click.echo(str(path))
        return cmd

    report_command("lke", "The institution worksheet in the LKE layout: criterion, options, answer, value, "
                          "evidence, note, with area and sub-area scores (HTML or XLSX). Needs a final round.")
    report_command("berita-acara", "Minutes of the consensus meeting: dates, participants, every disputed "
                                   "criterion with each assessor's answer, the final answer and rationale, "
                                   "a signature block. Round in consensus or final.")
    report_command("ratl", "The RATL action plan table, best Indeks gain first (HTML, XLSX or CSV). "
                           "Needs a final round.")
    report_command("ringkasan", "Indeks RB summary: Pengungkit by area (chart), Hasil, Indeks, grade, and the "
                                "comparison with the previous final round. Needs a final round.")
