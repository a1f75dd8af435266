"""pmprb ratl: the follow-up action plan (RATL) of a final round."""

from __future__ import annotations

from pathlib import Path

import click

from pmprb import i18n
from pmprb.presentation.states import StateChoice, state_name
from pmprb.assessments.coordinate import ratl as ratl_lib
from pmprb.assessments.coordinate.ratl_path import path_of
from pmprb.assessments.setup import rounds, round_work
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.engine.ratl_workflow import RATL_STATES
from pmprb.reports import ratl as ratl_report
from pmprb.numbers import format_number
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import DATE, database, read, run_as, table
from pmprb.commands.report import default_output

def _responsible(d: dict) -> str:
    return d["responsible_unit"] or f"({d['responsible_role']})"


def register(main: click.Group) -> None:
    @main.group("ratl")
    def ratl_group():
        """RATL: one action per criterion below its best, ordered by the Indeks it would gain.

        Generated when the round is finalised. Status: planned → in_progress →
        done (needs evidence) → verified (by someone other than who marked it done).
        """

    round_option = click.option("--round", "round_ref", required=True, help="Round code (or id).")

    @ratl_group.command("list")
    @round_option
    @click.option("--state", type=StateChoice("ratl", RATL_STATES), default=None,
                  help="Show only items in this state.")
    @click.option("--all", "include_inactive", is_flag=True, help="Include items whose criterion reached its best later.")
    @json_option
    def list_cmd(round_ref, state, include_inactive, as_json):
        """The RATL items, best Indeks gain first."""
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            inst = round_work.instrument_for(rnd)
            return rnd.code, [ratl_lib.item_to_dict(s, i, inst) for i in
                              ratl_lib.list_items(s, rnd, include_inactive=include_inactive, state=state)]

        code, items = read(op)
        if as_json:
            echo_json({"round": code, "items": items})
            return
        if not items:
            info(i18n.t("ratlcmd.none", round=code))
            return
        click.echo(table([[d["rank"] if d["active"] else i18n.t("ratlcmd.inactive"), d["criterion"],
                           format_number(d["gain"], 4), format_number(d["value"], 2), state_name("ratl", d["state"]),
                           _responsible(d),
                           d["target_date"], ", ".join(d["unlocks"])] for d in items],
                         [i18n.t(f"ratlcmd.h.{k}") for k in ("rank", "criterion", "gain", "value", "state",
                                                             "responsible", "target", "unlocks")]))

    @ratl_group.command("show")
    @round_option
    @click.argument("criterion")
    @json_option
    def show_cmd(round_ref, criterion, as_json):
        """One RATL item in full."""
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            return ratl_lib.item_to_dict(s, ratl_lib.get_item(s, rnd, criterion), round_work.instrument_for(rnd))

        d = read(op)
        if as_json:
            echo_json(d)
            return
        shown = {**d, "value": format_number(d["value"], 2), "gain": format_number(d["gain"], 4),
                 "unlocks": ", ".join(d["unlocks"]) or None, "state": state_name("ratl", d["state"])}
        for key in ("criterion", "text", "rank", "state", "value", "gain", "unlocks", "kelemahan", "rekomendasi",
                    "rencana_aksi", "output", "responsible_role", "responsible_unit", "target_date", "done_evidence",
                    "done_by", "verified_by", "state_note", "version"):
            click.echo(f"{key:<17} {'' if shown[key] is None else shown[key]}")

    @ratl_group.command("update")
    @round_option
    @click.argument("criterion")
    @click.option("--rencana-aksi", default=None, help="The action plan.")
    @click.option("--output", default=None, help="Output / indicator of success.")
    @click.option("--unit", default=None, help="Responsible unit (code); overrides the role mapping for this item.")
    @click.option("--target", "target_date", type=DATE, default=None, help="Target date, DD-MM-YYYY or YYYY-MM-DD.")
    @click.option("--status", "state", type=StateChoice("ratl", RATL_STATES), default=None,
                  help="Move to this status (forward steps in order; done → in_progress rejects).")
    @click.option("--evidence", default=None, help="What proves it is done (document number/title or URL).")
    @click.option("--evidence-file", type=click.Path(dir_okay=False), default=None,
                  help="A file proving it is done (kept in the evidence store by SHA-256).")
    @click.option("--reason", default=None, help="Reason (required to send a done item back).")
    @click.option("--expected-version", type=int, default=None, help="Refuse if the item changed since this version.")
    def update_cmd(round_ref, criterion, rencana_aksi, output, unit, target_date, state, evidence, evidence_file,
                   reason, expected_version):
        """Edit an item's plan and/or move its status; each change is an audit event."""
        store = EvidenceStore(database().evidence_dir) if evidence_file else None

        def op(s, actor):
            rnd = rounds.get_round(s, round_ref)
            version = expected_version
            if any(v is not None for v in (rencana_aksi, output, unit, target_date)):
                item = ratl_lib.update(s, actor, rnd, criterion, rencana_aksi=rencana_aksi, output=output, unit=unit,
                                       target_date=target_date, expected_version=version)
                version = None  # checked once, before the first change
            moves = []
            if state is not None:
                moves = ratl_lib.path_to(s, actor, rnd, criterion, state, evidence=evidence,
                                         evidence_file=evidence_file, store=store, reason=reason,
                                         expected_version=version)
            elif not any(v is not None for v in (rencana_aksi, output, unit, target_date)):
                ratl_lib.update(s, actor, rnd, criterion)  # raises "no change requested"
            item = ratl_lib.get_item(s, rnd, criterion)
            return item.criterion_id, item.version, item.state, moves

        cid, version, now, moves = run_as(op)
        if state is not None and not moves:
            info(i18n.t("ratlcmd.same_state", criterion=cid, state=state_name("ratl", now)))
        info(i18n.t("ratlcmd.updated", criterion=cid, version=version,
                    moves="".join(f"; {state_name('ratl', m.source)} → {state_name('ratl', m.target)}" for m in moves)))

    @ratl_group.command("path")
    @round_option
    @click.option("--target", default=None,
                  help="A grade (e.g. BB) or an Indeks to reach (default: the next grade band).")
    @json_option
    def path_cmd(round_ref, target, as_json):
        """The fewest RATL actions that lift the Indeks into the next grade band (or --target),
        found by re-scoring the final answers with the rules engine."""
        p = read(lambda s: path_of(s, rounds.get_round(s, round_ref), target))
        if as_json:
            echo_json(p)
            return
        n = lambda x: format_number(x, 2)  # noqa: E731
        goal = p["target"] or n(p["threshold"])
        if p["already"]:
            click.echo(i18n.t("ratlcmd.path_already", indeks=n(p["indeks_from"]), grade=p["grade_from"] or "–",
                              target=goal))
            return
        if not p["reachable"]:
            click.echo(i18n.t("ratlcmd.path_unreachable", target=goal, max=n(p["max_indeks"])))
            return
        click.echo(i18n.t("ratlcmd.path_head", indeks=n(p["indeks_from"]), grade=p["grade_from"] or "–",
                          target=goal, n=p["count"], reached=n(p["indeks_to"]), grade_to=p["grade_to"] or "–"))
        if not p["exact"]:
            click.echo(i18n.t("ratlcmd.path_not_exact"))
        click.echo(table([[a["rank"], a["criterion"], format_number(a["gain"], 4), ", ".join(a["unlocks"]),
                           a["text"]] for a in p["steps"]],
                         [i18n.t(f"ratlcmd.h.{k}") for k in ("rank", "criterion", "gain", "unlocks")] + [""]))

    @ratl_group.command("export")
    @round_option
    @click.option("--format", "fmt", type=click.Choice(("xlsx", "csv")), default="xlsx", show_default=True,
                  help="Spreadsheet format of the export.")
    @click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
                  help="File to write (default: reports/ beside the database).")
    def export_cmd(round_ref, fmt, output):
        """Export the RATL as XLSX or CSV (one row per item, every column)."""
        from pmprb import i18n as _i18n

        lang = _i18n.get_lang()
        data = read(lambda s: ratl_report.build(s, rounds.get_round(s, round_ref), lang))
        path = Path(output) if output else default_output(f"ratl-{data['round']['code']}", fmt, lang)
        if fmt == "csv":
            ratl_report.write_csv(path, data)
        else:
            ratl_report.write_xlsx_file(path, data)
        info(i18n.t("ratlcmd.written", path=path))
        click.echo(str(path))

    @ratl_group.command("map-role")
    @click.argument("role")
    @click.argument("unit")
    def map_role_cmd(role, unit):
        """Map an instrument's responsible role (e.g. "Bagian Organisasi") to a unit code."""
        m, changed = run_as(lambda s, actor: ratl_lib.map_role(s, actor, role, unit))
        info(i18n.t("ratlcmd.mapped", role=m.role, unit=unit, n=len(changed)))

    @ratl_group.command("roles")
    @json_option
    def roles_cmd(as_json):
        """The role → unit mappings."""
        rows = read(ratl_lib.role_mappings)
        if as_json:
            echo_json(rows)
            return
        click.echo(table([[r["role"], r["unit"], r["unit_name"]] for r in rows],
                         [i18n.t("ratlcmd.h.role"), i18n.t("ratlcmd.h.unit"), ""]))
