"""pmprb assess: an assessor fills in their worksheet.

``pmprb assess --round R --unit U`` walks the criteria interactively (a
terminal is required); ``set``, ``import``, ``export``, ``submit``,
``show`` and ``progress`` do the same without prompts. The logic lives in
``pmprb.assessments.assess_*``; this module only reads options and prints.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from pmprb import i18n
from pmprb.presentation import sheet_export
from pmprb.assessments.assess import sheet_import
from pmprb.presentation import sheet_format
from pmprb.assessments.assess import submission, worksheet_lock
from pmprb.assessments.setup import rounds, units, round_work
from pmprb.assessments.assess.set_answer import KEEP, set_answer
from pmprb.presentation.feedback import explain as explain_decision
from pmprb.presentation.walk_session import AssessSession
from pmprb.errors import StateError, ValidationError
from pmprb.presentation.progress_text import render_progress_detail
from pmprb.presentation.states import state_name
from pmprb.presentation.submit_text import render_check
from pmprb.presentation.terminal_io import TerminalIO
from pmprb.presentation.terminal_text import terminal_width, wrap_text
from pmprb.presentation.walk import run_walk
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.commands._common import echo_json, get_ctx, info, json_option
from pmprb.commands._store import confirm, database, table

def _inherit(ctx: click.Context, **given) -> dict:
    """Options given to a subcommand, else to ``assess`` itself."""
    parent = ctx.parent.params if ctx.parent is not None else {}
    return {k: v if v not in (None, ()) else parent.get(k) for k, v in given.items()}


def _require(values: dict, *names: str) -> None:
    for name in names:
        if not values.get(name):
            raise click.UsageError(i18n.t("acli.need", opt="--" + name.replace("_ref", "").replace("_code", "")))


def _actor_name(values: dict) -> str | None:
    return values.get("actor") or get_ctx().actor


def _where(s, values):
    actor = resolve_actor(s, _actor_name(values))
    return actor, rounds.get_round(s, values["round_ref"]), units.get_unit(s, values["unit_code"])


def _reading(s, values, assessor: str | None):
    """The worksheet a read command shows: the actor's own, or (koordinator,
    auditor, admin) the one of --assessor; everyone else is refused with one
    message (:func:`worksheet_lock.readable_worksheet`)."""
    actor, rnd, unit = _where(s, values)
    _ws, person = worksheet_lock.readable_worksheet(s, actor, rnd, unit, assessor)
    return person, rnd, unit


round_option = click.option("--round", "round_ref", default=None, help="Round code (or id).")
unit_option = click.option("--unit", "unit_code", default=None, help="Work unit code.")
as_option = click.option("--as", "actor", default=None, help="Acting assessor (also the root --as / PMPRB_USER).")
assessor_option = click.option("--assessor", default=None,
                               help="Whose worksheet to read (koordinator, auditor, admin; default: your own, or "
                                    "the unit's only one).")


def register(main: click.Group) -> None:
    @main.group("assess", invoke_without_command=True)
    @round_option
    @unit_option
    @click.option("--area", default=None, help="Only this change area (e.g. MP).")
    @as_option
    @click.pass_context
    def assess_group(ctx, round_ref, unit_code, area, actor):
        """Fill in your worksheet (kertas kerja) for one unit.

        Without a subcommand: walk the criteria assigned to you, in instrument
        order, starting at the first unanswered one. Each criterion shows its
        area, sub-area, text, options, your current answer and its evidence;
        type the answer (letter, or Ya/Tidak, Y/T; any case), a note, and
        attach evidence (a file with number/title/date, a URL, or a document
        already stored). After each answer the rules' decision is shown
        (value, gating, missing-evidence warning). Every confirmed answer is
        saved at once.

        \b
        Commands at any prompt:
          :lewati  :skip       leave it, go to the next unanswered criterion
          :kembali :back       back to the previous criterion
          :ke ID   :goto ID    go to criterion ID
          :progres :progress   what is left per area, values so far
          :bukti   :evidence   attach evidence to this criterion
          :keluar  :quit       stop for now (answers are already saved)
          :bantuan :help       list the commands

        Needs a terminal; for scripts use `assess set` or `assess import`.
        """
        if ctx.invoked_subcommand is not None:
            return
        values = {"round_ref": round_ref, "unit_code": unit_code, "actor": actor}
        _require(values, "round_ref", "unit_code")
        root = get_ctx()
        if root.no_input or not sys.stdin.isatty():
            why = i18n.t("acli.why_no_input" if root.no_input else "acli.why_no_tty")
            raise click.UsageError(i18n.t("acli.no_tty", why=why))
        session = AssessSession(database(), _actor_name(values), round_ref, unit_code, area=area)
        reason = worksheet_lock.lock_reason(session.round_code, session.round_state, session.worksheet_state,
                                            f"{session.actor_username}/{session.unit_code}")
        if reason is not None:
            session.close()
            raise StateError(reason)
        run_walk(session, TerminalIO())

    @assess_group.command("set")
    @round_option
    @unit_option
    @as_option
    @click.option("--criterion", required=True, help="Criterion id, e.g. MP.1.a.")
    @click.option("--answer", required=True, help="Answer: option letter, Ya/Tidak (Y/T), or a count.")
    @click.option("--note", default=None, help="Note (sintesis); \"\" clears it; omitted keeps the stored note.")
    @click.option("--evidence", "refs", multiple=True,
                  help="Link evidence already stored (its number/key or #id); repeat for several. "
                       "Add new files with `pmprb evidence add`.")
    @click.option("--expected-version", type=click.IntRange(min=0), default=None,
                  help="Fail with a conflict unless the stored answer has this version (0: none yet).")
    @json_option
    @click.pass_context
    def set_cmd(ctx, round_ref, unit_code, actor, criterion, answer, note, refs, expected_version, as_json):
        """Save one answer without prompts; prints what the rules decided."""
        values = _inherit(ctx, round_ref=round_ref, unit_code=unit_code, actor=actor)
        _require(values, "round_ref", "unit_code")

        def op(s):
            actor_, rnd, unit = _where(s, values)
            out = set_answer(s, actor_, rnd, unit, criterion, answer, note=KEEP if note is None else note,
                             refs=list(refs), expected_version=expected_version)
            # What the rules decided, in words (the instrument is the round's pinned one, already loaded).
            out["decision"] = explain_decision(round_work.instrument_for(rnd), out["decision"]).to_dict()
            return out

        out = database().run(op)
        if as_json:
            echo_json(out)
            return
        info(i18n.t("acli.saved", cid=out["criterion"], answer=out["answer"], version=out["version"],
                    state="" if out["changed"] else i18n.t("acli.unchanged")))
        for line in out["decision"]["messages"] + out["decision"]["warnings"]:
            info(f"  {line}")

    @assess_group.command("submit")
    @round_option
    @unit_option
    @as_option
    @click.option("--yes", "-y", "yes", is_flag=True,
                  help="Submit without asking for confirmation (needed when not in a terminal).")
    @json_option
    @click.pass_context
    def submit_cmd(ctx, round_ref, unit_code, actor, yes, as_json):
        """Check and submit your worksheet.

        Every assigned criterion must be answered, and every answer better than
        the worst option needs evidence (the instrument says whether missing
        evidence blocks or only warns). Blocking problems are listed first,
        each labelled, then the warnings grouped by kind and area. In a
        terminal you are asked to confirm, since only a koordinator can send
        a submitted worksheet back; in scripts pass --yes. After submission
        the worksheet is read-only for you."""
        values = _inherit(ctx, round_ref=round_ref, unit_code=unit_code, actor=actor)
        _require(values, "round_ref", "unit_code")
        db = database()

        def check_op(s):
            actor_, rnd, unit = _where(s, values)
            return (submission.check_worksheet(s, rnd, unit, actor_.id, actor_.username), round_work.instrument_for(rnd),
                    rnd.code)

        with db.session() as s:
            check, inst, round_code = check_op(s)
        if check.state in ("in_progress", "returned"):
            for line in render_check(check, inst, round_code=round_code):
                info(wrap_text(line, _width()))
            if not check.ok:
                if as_json:
                    echo_json(check.to_dict())
                n, w = len(check.blocking), len(check.warnings)
                raise ValidationError(i18n.t("asub.refused", assessor=check.assessor, unit=check.unit, n=n, w=w,
                                             s="" if n == 1 else "s", ws="" if w == 1 else "s"))
            if not yes:
                if not get_ctx().interactive():
                    raise click.UsageError(i18n.t("acli.submit_needs_yes"))
                info(i18n.t("subt.ready", assessor=check.assessor, unit=check.unit, answered=check.answered,
                            total=check.total))
                if not confirm(i18n.t("acli.submit_confirm")):
                    info(i18n.t("acli.submit_cancelled"))
                    return
        try:
            result = db.run(lambda s: submission.submit(s, *_where(s, values)))
        except submission.SubmitRefused as exc:  # changed between the check and now
            if as_json:
                echo_json(exc.check.to_dict())
            raise
        if as_json:
            echo_json(result.to_dict())
        info(i18n.t("acli.submitted", assessor=result.assessor, unit=result.unit, answered=result.answered,
                    total=result.total))

    @assess_group.command("export")
    @round_option
    @unit_option
    @as_option
    @assessor_option
    @click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default=None,
                  help="File format (default: from -o, else xlsx).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                  help="File to write (default: <round>-<unit>-<assessor>.<format>).")
    @click.pass_context
    def export_cmd(ctx, round_ref, unit_code, actor, assessor, fmt, output):
        """Write your worksheet as a fillable XLSX (answer drop-downs) or CSV.

        One row per criterion: id, area, sub-area, text, options, answer, note,
        evidence references and the answer's version. Fill it in and read it
        back with `pmprb assess import`."""
        values = _inherit(ctx, round_ref=round_ref, unit_code=unit_code, actor=actor)
        _require(values, "round_ref", "unit_code")
        if fmt is None:
            fmt = "csv" if output and Path(output).suffix.lower() == ".csv" else "xlsx"

        def op(s):
            person, rnd, unit = _reading(s, values, assessor)
            # codes follow pmprb.engine.codes; one made before that rule cannot leave the folder either
            stem = re.sub(r"[^A-Za-z0-9._@-]", "_", f"{rnd.code}-{unit.code}-{person.username}").lstrip(".")
            path = Path(output or f"{stem}.{fmt}")
            return path, sheet_export.export_worksheet(s, rnd, unit, person, path, fmt)

        with database().session() as s:
            path, n = op(s)
        info(i18n.t("acli.exported", n=n, path=path))

    @assess_group.command("import")
    @click.argument("file", type=click.Path(dir_okay=False))
    @round_option
    @unit_option
    @as_option
    @click.option("--on-conflict", "policy", type=click.Choice(sheet_import.POLICIES), default="stop",
                  show_default=True,
                  help="A row that would change a stored answer the file did not start from: stop (import "
                       "nothing), skip (keep the stored answer) or update (overwrite it).")
    @click.option("--clear-empty", is_flag=True,
                  help="An empty note cell deletes the stored note (without it, empty or missing notes keep "
                       "the stored ones).")
    @json_option
    @click.pass_context
    def import_cmd(ctx, file, round_ref, unit_code, actor, policy, clear_empty, as_json):
        """Import answers from an XLSX or CSV (as exported), or a YAML/JSON/CSV
        worksheet of `pmprb score`.

        Every row is checked first; a bad row (unknown criterion, answer not
        allowed, unknown evidence reference, duplicate row...) stops the import
        with every problem listed by row and criterion, and nothing is written.
        The import is one transaction: all rows or none."""
        values = _inherit(ctx, round_ref=round_ref, unit_code=unit_code, actor=actor)
        _require(values, "round_ref", "unit_code")
        db = database()
        with db.session() as s:
            sheet = sheet_format.read_sheet(file, round_work.instrument_for(rounds.get_round(s, values["round_ref"])))
        for notice in sheet.notices:
            info(i18n.t("acli.warning", text=notice))

        def progress(i, n):
            if n >= 200:
                info(i18n.t("acli.import_progress", i=i, n=n))

        plan = db.run(lambda s: sheet_import.import_sheet(s, *_where(s, values), sheet, policy, progress=progress,
                                                                  clear_empty=clear_empty))
        summary = plan.summary()
        for c in plan.conflicts:
            info(i18n.t("acli.skipped", what=c.describe()) if policy == "skip"
                 else i18n.t("acli.overwritten", what=c.describe()))
        info(i18n.t("acli.imported", file=file, **{k: summary[k] for k in (
            "rows", "created", "updated", "overwritten", "unchanged", "skipped", "links")}))
        if summary["cited_documents"]:
            info(i18n.t("acli.cited", n=summary["cited_documents"]))
        if as_json:
            echo_json(summary)

    def _overview(ctx, values, area, assessor):
        _require(values, "round_ref", "unit_code")

        def op(s):
            person, rnd, unit = _reading(s, values, assessor)
            return sheet_export.overview(s, rnd, unit, person, area=area)

        with database().session() as s:
            return op(s)

    @assess_group.command("show")
    @round_option
    @unit_option
    @as_option
    @assessor_option
    @click.option("--area", default=None, help="Only this change area.")
    @json_option
    @click.pass_context
    def show_cmd(ctx, round_ref, unit_code, actor, assessor, area, as_json):
        """Your worksheet: answers, evidence and what the rules decide, with progress."""
        values = _inherit(ctx, round_ref=round_ref, unit_code=unit_code, actor=actor)
        data = _overview(ctx, values, area or ctx.parent.params.get("area"), assessor)
        if as_json:
            echo_json(data)
            return
        rows = [[r["criterion"], r["answer"] or (i18n.t("acli.computed") if r.get("computed") else "-"), "; ".join(r["decision"]["messages"][:1]),
                 len([x for x in r["evidence"].split(";") if x.strip()]),
                 "; ".join(r["decision"]["messages"][1:] + r["decision"]["warnings"])] for r in data["criteria"]]
        click.echo(table(rows, [i18n.t(f"acli.col.{k}") for k in ("criterion", "answer", "value", "evidence", "notes")]))
        info(i18n.t("acli.state", state=state_name("worksheet", data["state"])))
        info(_progress_text(data["progress"]))

    @assess_group.command("progress")
    @round_option
    @unit_option
    @as_option
    @assessor_option
    @click.option("--area", default=None, help="Only this change area.")
    @json_option
    @click.pass_context
    def progress_cmd(ctx, round_ref, unit_code, actor, assessor, area, as_json):
        """What is left, per area: unanswered criteria, claims without evidence,
        and the area and sub-area values so far."""
        values = _inherit(ctx, round_ref=round_ref, unit_code=unit_code, actor=actor)
        data = _overview(ctx, values, area or ctx.parent.params.get("area"), assessor)
        detail = data["progress_detail"]
        out = dict(data["progress"], state=data["state"], unit=data["unit"], assessor=data["assessor"],
                   areas=detail["areas"])
        if as_json:
            echo_json(out)
        else:
            click.echo(wrap_text(render_progress_detail(detail, round_code=data["round"], unit=data["unit"]),
                                 _width()))
            info(i18n.t("acli.state", state=state_name("worksheet", data["state"])))


def _width() -> int | None:
    """Wrap human output to the terminal; leave it unwrapped in a pipe or file."""
    return terminal_width() if sys.stderr.isatty() else None


def _progress_text(p: dict) -> str:
    parts = ", ".join(f"{a['area']} {a['answered']}/{a['total']}" for a in p["areas"])
    return i18n.t("aw.progress", answered=p["answered"], total=p["total"]) + f" ({parts})"

