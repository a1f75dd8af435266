"""`pmprb round official`: the evaluating agencies' official indicator values of a
round, recorded with their source, and the deviation of the internal estimate
from them (added to the store's `round` group)."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.coordinate import official
from pmprb.assessments.setup import rounds
from pmprb.numbers import MISSING, format_number
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import read, run_as, table

def _num(x, places: int = 2) -> str:
    return MISSING if x is None else format_number(x, places)


def _signed(x) -> str:
    return MISSING if x is None else ("+" if x > 0 else "") + format_number(x, 2)


def _short(ids: list[str], n: int = 12) -> str:
    return ", ".join(ids[:n]) + (", …" if len(ids) > n else "")


def weight_lines(d: dict) -> list[str]:
    """The applicable weight each side is rescaled by: given as a figure (with its source) or derived."""
    out = []
    for side, w in (d.get("applicable_weight") or {}).items():
        if w["given"]:
            out.append(i18n.t(f"offcmd.weight.{side}.given", weight=_num(w["weight"]), source=w["given"]["source"]))
        else:
            out.append(i18n.t(f"offcmd.weight.{side}.derived", weight=_num(w["weight"]),
                              ids=_short(w["not_applicable"]) or MISSING))
    return out


def render(d: dict) -> list[str]:
    if not d["lines"] and not ((d.get("applicable_weight") or {}).get("official") or {}).get("given"):
        return [i18n.t("offcmd.none", round=d["round"])]
    out = [i18n.t("offcmd.title", basis=i18n.t(f"offcmd.basis.{d['basis']}"), round=d["round"])]
    if d["lines"]:
        out.append(table([[x["criterion"], x["estimate"] or MISSING, x["official"] or MISSING,
                           _num(x["estimate_points"]), _num(x["official_points"]), _signed(x["difference"]),
                           _signed(x["effect"]), x["source"]] for x in d["lines"]],
                         [i18n.t(f"offcmd.h.{k}") for k in ("criterion", "estimate", "official", "est_points",
                                                             "off_points", "difference", "effect", "source")]))
    out.append(i18n.t("offcmd.totals", estimate=_num(d["estimate_total"]), official=_num(d["official_total"]),
                      difference=_signed(d["difference"])))
    out.extend(weight_lines(d))
    if d["missing"]:
        out.append(i18n.t("offcmd.partial", n=len(d["missing"]), ids=_short(d["missing"])))
    return out


def register(main: click.Group) -> None:
    round_group = main.commands["round"]

    @round_group.command("official")
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--criterion", default=None, help="The indicator whose official value this is.")
    @click.option("--value", default=None, help="The official value: a number, or the category (e.g. WTP).")
    @click.option("--source", default=None,
                  help="Where it comes from: the evaluating agency's result document (number, title, date).")
    @click.option("--file", "file_", type=click.Path(dir_okay=False), default=None,
                  help="A CSV or XLSX of several values: columns kriteria,nilai[,sumber] (criterion,value[,source]).")
    @click.option("--applicable-weight", "weight", default=None,
                  help="The official applicable weight (e.g. 86.5) of the rescaled component "
                       "as the official result states it; needs --source. The official side is rescaled by it "
                       "instead of the weight derived from the lines not applicable.")
    @click.option("--clear-applicable-weight", "clear_weight", is_flag=True,
                  help="Remove the official applicable weight: the official side goes back to the weight derived "
                       "from the lines not applicable.")
    @json_option
    def official_cmd(round_ref, criterion, value, source, file_, weight, clear_weight, as_json):
        """Record official indicator values with their source, or show the deviation of the internal
        estimate from them (per indicator and its effect on the Indeks) when none is given.
        Koordinator; any state of the round; the round's own answers and result do not change.
        Official values are the institution's (one per indicator for the round), not per unit."""
        if (criterion is None) != (value is None):
            raise click.UsageError(i18n.t("offcmd.value_without_criterion"))
        values: dict = {}
        if file_:
            from pmprb.presentation import official_file

            values.update(official_file.read(file_))
        if criterion is not None:
            values[criterion] = (value, None)
        recording = bool(values) or weight is not None or clear_weight
        if recording:
            def op(s, actor):
                rnd = rounds.get_round(s, round_ref)
                return rnd.code, official.record(s, actor, rnd, values, source=source, applicable_weight=weight,
                                                 clear_applicable_weight=clear_weight)

            code, changes = run_as(op)
            ids = [c.get("criterion") or i18n.t("offcmd.weight_name") for c in changes]
            info(i18n.t("offcmd.saved", round=code, ids=", ".join(ids)) if changes
                 else i18n.t("offcmd.unchanged", round=code))
        d = read(lambda s: official.deviation(s, rounds.get_round(s, round_ref)))
        if as_json:
            echo_json(d)
            return
        if recording:
            return
        click.echo("\n".join(render(d)))
