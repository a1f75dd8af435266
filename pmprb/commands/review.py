"""pmprb review: the koordinator's review of every working paper.

``pmprb review --round R`` shows each criterion with every assessor's
answer, value, note and evidence side by side, what merges and what is
disputed (with its spread), and agreement per area. ``review accept`` and
``review return`` decide on one working paper.
"""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.presentation.states import state_name
from pmprb.assessments.coordinate import review as review_lib
from pmprb.assessments.setup import rounds
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.engine.agreement import MIN_ALPHA_ITEMS, TENTATIVE
from pmprb.engine.evidence_messages import flag_text as evidence_flag_text
from pmprb.numbers import MISSING, format_number
from pmprb.commands._common import echo_json, get_ctx, info, json_option
from pmprb.commands._store import ask, database, fail_missing, run_as, table

def _num(x) -> str:
    return format_number(x, 2) if x is not None else MISSING


def _status(c: dict) -> str:
    if c["status"] == "disputed":
        return i18n.t("rev.status.disputed", spread=_num(c["spread"]))
    return i18n.t(f"rev.status.{c['status']}")


def warning_text(w: str, a: dict) -> str:
    return i18n.t(f"rev.warn.{w}", n=a["alpha_items"], min=MIN_ALPHA_ITEMS, tentative=format_number(TENTATIVE, 3))


def _by_type(a: dict) -> str:
    return "; ".join(f"{t['answer_type']} {_num(t['alpha']) if t['alpha'] is not None else MISSING} ({t['items']})"
                     for t in a.get("by_type", []))


def agreement_table(rows: list[dict], overall: dict | None = None) -> str:
    rows = list(rows) + ([dict(overall, area=i18n.t("rev.all_areas"))] if overall else [])
    return table([[a["area"], a["items"], a["agreed"], _num(a["percent"]), _num(a["alpha"]) if a["alpha"] is not None
                   else MISSING, _by_type(a), "; ".join(warning_text(w, a) for w in a["warnings"])] for a in rows],
                 [i18n.t("rev.col.area"), i18n.t("rev.col.items"), i18n.t("rev.col.agreed"),
                  i18n.t("rev.col.percent"), i18n.t("rev.col.alpha"), i18n.t("rev.col.by_type"),
                  i18n.t("rev.col.note")])


def render_text(d: dict) -> list[str]:
    lines = [i18n.t("rev.title", round=d["round"], state=state_name("round", d["state"]), instrument=d["instrument"]),
             i18n.t("rev.filters", unit=d["filters"]["unit"] or i18n.t("rev.all"),
                    area=d["filters"]["area"] or i18n.t("rev.all")), "", i18n.t("rev.worksheets")]
    lines.append(table([[w["unit"], w["assessor"], state_name("worksheet", w["state"]), f"{w['answered']}/{w['assigned']}",
                         w["return_reason"] or ""] for w in d["worksheets"]],
                       [i18n.t("rev.col.unit"), i18n.t("rev.col.assessor"), i18n.t("rev.col.state"),
                        i18n.t("rev.col.answered"), i18n.t("rev.col.return_reason")]))
    area = None
    for c in d["criteria"]:
        if c["area"] != area:
            area = c["area"]
            lines += ["", f"== {area} =="]
        head = f"{c['criterion']}  {c['text']}  [{_status(c)}]"
        if c["consensus"]:
            final = f" → {c['consensus']['final_answer']}" if c["consensus"]["final_answer"] else ""
            head += "  " + i18n.t("rev.consensus", state=state_name("consensus", c["consensus"]["state"]), final=final)
        lines.append(head)
        if c.get("gated_by"):
            gates = ", ".join(f"{g['criterion']} = {g['answer']}" for g in c["gated_by"])
            lines.append(i18n.t("rev.gated", gates=gates))
        for a in c["answers"]:
            docs = ", ".join(doc["number"] or doc["key"] for doc in a["evidence"])
            ev = i18n.t("rev.evidence", docs=docs) if docs else i18n.t("rev.no_evidence")
            if a.get("evidence_flags"):
                ev += " [" + "; ".join(evidence_flag_text(f) for f in a["evidence_flags"]) + "]"
            extra = "" if a["counted"] or a["answer"] is None else "  (" + i18n.t("rev.not_counted",
                                                                                 state=state_name("worksheet", a["worksheet_state"])) + ")"
            note = f"  \"{a['note']}\"" if a["note"] else ""
            who = f"{a['assessor']}@{a['unit']}"
            lines.append(f"    {who:<20} {a['answer'] or MISSING:<6} {_num(a['value']):>6}  {ev}{note}{extra}")
    lines += ["", i18n.t("rev.agreement"), agreement_table(d["agreement"], d.get("agreement_overall")),
              i18n.t("rev.alpha_note", tentative=format_number(TENTATIVE, 3)), "", i18n.t("rev.summary", **d["summary"])]
    return lines


def register(main: click.Group) -> None:
    @main.group("review", invoke_without_command=True)
    @click.option("--round", "round_ref", default=None, help="Round code (or id).")
    @click.option("--unit", default=None, help="Show only this unit's working papers.")
    @click.option("--area", default=None, help="Show only this change area (code, e.g. MP).")
    @json_option
    @click.pass_context
    def review_group(ctx, round_ref, unit, area, as_json):
        """Every assessor's answer, value, note and evidence side by side.

        Identical answers merge into the institution's answer; differing ones
        are listed with their spread and become consensus items when the round
        enters consensus. Agreement per area: percent agreement and
        Krippendorff's alpha (ordinal), with a warning when an area has fewer
        than 10 criteria answered twice. Merge status is institution-wide;
        --unit/--area narrow what is shown (agreement is over what is shown).

        Blind scoring: while the round is draft or open, nobody with a
        worksheet in it (and no plain asesor) may see this view.
        """
        if ctx.invoked_subcommand is not None:
            return
        if not round_ref:
            raise click.UsageError(i18n.t("rev.need_round"))
        db = database()
        with db.session() as s:
            actor = resolve_actor(s, get_ctx().actor)
            d = review_lib.review(s, actor, rounds.get_round(s, round_ref), unit=unit, area=area)
        if as_json:
            echo_json(d)
            return
        for line in render_text(d):
            click.echo(line)

    @review_group.command("return")
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--unit", required=True, help="Unit code of the working paper.")
    @click.option("--assessor", required=True, help="Username of the assessor.")
    @click.option("--reason", default=None, help="Why it goes back (the assessor reads it). Prompted on a terminal.")
    def return_cmd(round_ref, unit, assessor, reason):
        """Return a working paper to its assessor (worksheet → returned). Koordinator."""
        missing: list[str] = []
        reason = ask(reason, i18n.t("rev.prompt_reason"), missing, "--reason")
        fail_missing(missing)
        tr = run_as(lambda s, actor: review_lib.return_worksheet(s, actor, rounds.get_round(s, round_ref), unit=unit,
                                                                 assessor=assessor, reason=reason))
        info(i18n.t("rev.returned", assessor=assessor, unit=unit, source=state_name("worksheet", tr.source),
                    target=state_name("worksheet", tr.target)))

    @review_group.command("accept")
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--unit", required=True, help="Unit code of the working paper.")
    @click.option("--assessor", required=True, help="Username of the assessor.")
    def accept_cmd(round_ref, unit, assessor):
        """Accept a submitted working paper (worksheet → accepted). Koordinator, not its own assessor."""
        tr = run_as(lambda s, actor: review_lib.accept_worksheet(s, actor, rounds.get_round(s, round_ref), unit=unit,
                                                                 assessor=assessor))
        info(i18n.t("rev.accepted", assessor=assessor, unit=unit, source=state_name("worksheet", tr.source),
                    target=state_name("worksheet", tr.target)))
