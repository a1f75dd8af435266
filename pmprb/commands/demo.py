"""pmprb demo: the whole round on bundled synthetic data, as the real commands run it."""

from __future__ import annotations

import time
from pathlib import Path

import click
import platformdirs

from pmprb import i18n
from pmprb.numbers import format_number
from pmprb.commands._common import get_ctx, info

def default_folder() -> Path:
    """One folder, cleared and reused on every run: repeated demos leave nothing behind."""
    return Path(platformdirs.user_data_dir("pmprb", appauthor=False)) / "demo"


def register(main: click.Group) -> None:
    @main.command("demo")
    @click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Folder for the demo database, files and reports (default: the folder demo in the user data "
                       "directory, the same on every run). A folder from an earlier demo is cleared and reused.")
    def demo_cmd(folder: Path | None):
        """Run a whole PMPRB round on bundled synthetic data (a small fictional city) on SQLite:
        set-up, worksheets, evidence, review, consensus, finalisation, RATL, reports, audit replay."""
        from pmprb.demo.runner import run_demo

        if folder is None:
            folder = default_folder()
        folder = folder.resolve()
        info(i18n.t("demo.folder", path=folder))
        started = time.perf_counter()
        out = run_demo(folder, get_ctx().lang, lambda what: info(i18n.t("demo.step", what=what)))
        res, rep = out["result"], out["replay"]
        summary = res
        click.echo(i18n.t(
            "demo.summary", seconds=time.perf_counter() - started, steps=out["steps"],
            indeks=format_number(summary["indeks_rb"]), grade=summary["grade"], pengungkit=format_number(summary["pengungkit"]),
            hasil=format_number(summary["hasil"]), items=out["consensus_items"], ratl=out["ratl_items"],
            replayed=rep.get("total", rep.get("replayed")), mismatch=rep.get("mismatched", len(rep.get("mismatches", []))),
            replay_verdict=i18n.t("demo.replay_ok" if rep.get("ok", not rep.get("mismatches")) else "demo.replay_bad")))
        click.echo(i18n.t("demo.reports"))
        for name, path in out["reports"].items():
            click.echo(f"  {name:<18} {path}")
        click.echo(i18n.t("demo.more", db=out["db_url"], log=folder / "demo.log", round=out["round"],
                          criterion=out["explain"]))
        click.echo(i18n.t("demo.open_first", path=out["reports"]["ringkasan.html"],
                          minutes=out["reports"]["berita-acara.html"]))
