"""pmprb round: create rounds and move them through their workflow."""

from __future__ import annotations

import click

from pmprb import dates, i18n
from pmprb.presentation.states import StateChoice, event_name, state_name
from pmprb.assessments import wiring
from pmprb.assessments.setup import assignments, rounds, units
from pmprb.assessments.assess import worksheets
from pmprb.engine.instrument import default_id
from pmprb.engine.workflow import REOPEN_TARGETS
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import DATE, col, read, run_as, table

def _day(iso: str | None) -> str:
    """An ISO date from the store as people read it (``31 Mei 2024``)."""
    return dates.format_date(dates.parse_date(iso)) if iso else ""


def _show_text(d: dict) -> str:
    rows = [
        (col("round"), f"{d['code']} (id {d['id']})" + (f" — {d['title']}" if d["title"] else "")),
        (col("year"), str(d["year"])),
        (col("state"), f"{state_name('round', d['state'])}  → {', '.join(event_name(e) for e in d['allowed_events']) or '-'}"),
        (col("instrument"), f"{d['instrument']['id']} @ {d['instrument']['revision'][:16]}"),
        (col("scope"), (i18n.t(f"scope.{d['scope']}") if i18n.has(f"scope.{d['scope']}") else d["scope"])
                        + (f" ({d['scope_unit']})" if d["scope_unit"] else "")),
        (col("deadline"), _day(d["deadline"]) or "-"),
        (i18n.t("round.period"), f"{d['period']} ({i18n.t('round.period_note')})"),
        (col("counts"), i18n.t("round.counts", **{k: d[k] for k in ("units", "assessors", "assignments", "answers",
                                                                      "evidence", "snapshots")})),
        (col("audit"), i18n.t("round.audit", events=d["audit"]["events"], head=d["audit"]["head_hash"][:16])),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.capitalize().ljust(width)}  {v}" for k, v in rows]
    if d["worksheets_detail"]:
        lines.append("")
        lines.append(table([[w["unit"], w["assessor"], state_name("worksheet", w["state"]), f"{w['answered']}/{w['assigned']}"]
                            for w in d["worksheets_detail"]], ["unit", "assessor", "state", "answered"]))
    return "\n".join(lines)


def _finalise_checkpoint(round_ref: str) -> None:
    """Finalising leaves the chain head outside the database at once: a
    checkpoint in the round's reports folder (``checkpoint-<round>-<seq>.json``)."""
    from pmprb.assessments.audit.anchors import head_of
    from pmprb.commands.audit import write_checkpoint_file
    from pmprb.commands.report import reports_dir

    def op(s):
        rnd = rounds.get_round(s, round_ref)
        return rnd.code, head_of(s, rnd.id).seq

    code, seq = read(op)
    write_checkpoint_file(round_ref, reports_dir() / f"checkpoint-{code}-{seq}.json")


def register(main: click.Group) -> None:
    @main.group("round")
    def round_group():
        """Assessment rounds: one institution, one year, one pinned instrument."""

    @round_group.command("create")
    @click.option("--year", type=int, required=True, help="Assessment year, e.g. 2024.")
    @click.option("--instrument", default=default_id(), show_default=True,
                  help="Bundled instrument id or folder; pinned to its current revision.")
    @click.option("--code", default=None, help="Round code (default: the year).")
    @click.option("--title", default=None, help="Title shown on reports, e.g. 'PMPRB Kota Madiun 2024'.")
    @click.option("--deadline", type=DATE, default=None, help="Submission deadline, DD-MM-YYYY or YYYY-MM-DD.")
    @click.option("--unit", "scope_unit", default=None, help="Unit code for a unit-scoped round (e.g. an integrity-zone unit).")
    @click.option("--period", type=int, default=None,
                  help="Evaluation period (a year) cited evidence is judged against; default: the round's year.")
    def create_cmd(year, instrument, code, title, deadline, scope_unit, period):
        """Create a round in state draft (admin or koordinator)."""
        def op(s, actor):
            unit = units.get_unit(s, scope_unit) if scope_unit else None
            return rounds.create_round(s, actor, year=year, instrument=instrument, code=code, title=title,
                                       deadline=deadline, scope_unit=unit, period=period)

        rnd = run_as(op)
        info(i18n.t("round.created", code=rnd.code, year=rnd.year, instrument=rnd.instrument_id,
                    rev=rnd.instrument_revision[:12]))

    @round_group.command("list")
    @json_option
    def list_cmd(as_json):
        """List rounds, newest first."""
        rows = read(lambda s: [{"code": r.code, "year": r.year, "state": r.state, "instrument": r.instrument_id,
                                "revision": r.instrument_revision, "deadline": r.deadline.isoformat() if r.deadline
                                else None, "title": r.title} for r in rounds.list_rounds(s)])
        if as_json:
            echo_json(rows)
            return
        if not rows:
            info(i18n.t("round.none"))
            return
        click.echo(table([[r["code"], r["year"], state_name("round", r["state"]), r["instrument"], r["revision"][:12], _day(r["deadline"]),
                           r["title"] or ""] for r in rows],
                         ["code", "year", "state", "instrument", "revision", "deadline", "title"]))

    @round_group.command("show")
    @click.argument("round_ref", metavar="ROUND")
    @json_option
    def show_cmd(round_ref, as_json):
        """Show a round: state, allowed transitions, worksheets and counts."""
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            d = rounds.summary(s, rnd)
            d["assignments_detail"] = assignments.list_assignments(s, rnd)
            d["worksheets_detail"] = worksheets.list_worksheets(s, rnd)
            d["snapshots_detail"] = [{"id": x.id, "kind": x.kind, "reason": x.reason, "taken_at": x.taken_at.isoformat(),
                                      "sha256": x.data_hash} for x in rounds.snapshots(s, rnd)]
            return d

        d = read(op)
        if as_json:
            echo_json(d)
        else:
            click.echo(_show_text(d))

    def transition_command(name: str, doc: str, fn):
        @round_group.command(name, help=doc)
        @click.argument("round_ref", metavar="ROUND")
        def cmd(round_ref):
            tr = run_as(lambda s, actor: fn(s, actor, rounds.get_round(s, round_ref)))
            info(i18n.t("round.moved", code=round_ref, source=state_name("round", tr.source),
                        target=state_name("round", tr.target)))
        return cmd

    transition_command("open", "Open a round for assessment (draft → open; or back from review). "
                               "Needs at least one assignment. Admin or koordinator.", wiring.open_round)
    transition_command("review", "Close assessment for coordinator review (open → review). "
                                 "Every worksheet must be submitted. Admin or koordinator.", wiring.start_review)
    transition_command("consensus", "Start consensus (review → consensus). Every worksheet must be "
                                    "accepted by a koordinator. Admin or koordinator.", wiring.start_consensus)
    @round_group.command("finalise")
    @click.argument("round_ref", metavar="ROUND")
    def finalise_cmd(round_ref):
        """Finalise the round (consensus → final). No consensus item may be open. Koordinator only.
        A checkpoint of the audit chain (signed when you have a key: `pmprb key init`) is written to
        the reports folder."""
        tr = run_as(lambda s, actor: wiring.finalise(s, actor, rounds.get_round(s, round_ref)))
        info(i18n.t("round.moved", code=round_ref, source=state_name("round", tr.source),
                    target=state_name("round", tr.target)))
        _finalise_checkpoint(round_ref)

    @round_group.command("reopen")
    @click.argument("round_ref", metavar="ROUND")
    @click.option("--reason", required=True, help="Why the final round is reopened (kept on record).")
    @click.option("--to", "target", type=StateChoice("round", REOPEN_TARGETS), default="consensus", show_default=True,
                  help="State to return to.")
    def reopen_cmd(round_ref, reason, target):
        """Reopen a final round (koordinator). The final state is kept as a snapshot."""
        tr = run_as(lambda s, actor: wiring.reopen(s, actor, rounds.get_round(s, round_ref), reason=reason, to=target))
        info(i18n.t("round.moved", code=round_ref, source=state_name("round", tr.source),
                    target=state_name("round", tr.target)))

    from pmprb.commands import round_official, round_result

    round_result.register(main)
    round_official.register(main)
