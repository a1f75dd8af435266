"""`pmprb round hasil` and `pmprb round result`: the Hasil figures of a round
and its frozen final result (added to the store's `round` group).

Hasil parts are named generically: ``--part H.1.a=70.05`` for any
instrument, or ``--<input_name> VALUE`` with the names the round's
instrument declares as data (``input_name`` of each Hasil part, e.g.
``--sakip``, ``--kapasitas``, ``--opini-bpk``).
"""

from __future__ import annotations

import click

from pmprb.cli_language import TranslatedCommand, tr

from pmprb import i18n
from pmprb.dates import show_iso
from pmprb.assessments.coordinate import final_result, hasil
from pmprb.assessments.setup import rounds, round_work
from pmprb.engine import predicates
from pmprb.engine.instrument import bundled_ids, load_instrument
from pmprb.numbers import MISSING, format_number
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import read, run_as, table

def component_lines(inst, score: dict) -> list[str]:
    """A points instrument's components (the rescaled one with its applicable weight) and themes,
    in the instrument's order (the stored result's keys are sorted)."""
    en = i18n.get_lang() == "en"
    out = []
    rescale = score.get("rescale") or {}
    for cid in [c["id"] for c in inst.components if c["id"] in score["components"]]:
        comp = score["components"][cid]
        name = comp.get("name_en") if en else comp["name"]
        line = f"{name}: {_num(comp['counted'])} / {_num(comp['weight'])}"
        if rescale.get("component") == cid and rescale.get("weight") != comp["weight"]:
            line += " " + i18n.t("resultcmd.rescaled", score=_num(comp["score"]), weight=_num(rescale["weight"]))
        out.append(line)
    for tid in [t["id"] for t in inst.data.get("themes", []) if t["id"] in score.get("themes", {})]:
        th = score["themes"][tid]
        out.append("  " + i18n.t("resultcmd.theme", name=th.get("name_en") if en else th["name"],
                                 score=_num(th["score"]), weight=_num(th["weight"])))
    return out


def _bundled_names() -> str:
    rows = []
    for iid in bundled_ids():
        try:
            names = hasil.input_names(load_instrument(iid))
        except Exception:  # a broken bundled instrument must not break --help
            continue
        if names:
            rows.append(f"{iid}: " + ", ".join(f"--{n} ({pid})" for n, pid in names.items()))
    return "; ".join(rows)


class HasilCommand(TranslatedCommand):
    """Lists the input names of the bundled instruments in --help, read from their data."""

    def format_epilog(self, ctx, formatter):
        names = _bundled_names()
        if names:
            with formatter.section(tr("Named inputs")):
                formatter.write_text(names)


def parse_named(args: list[str]) -> dict[str, str]:
    """``--name VALUE`` / ``--name=VALUE`` pairs from the extra arguments."""
    out: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--") or len(arg) < 3:
            raise click.UsageError(i18n.t("hasilcmd.bad_arg", arg=arg))
        name, sep, value = arg[2:].partition("=")
        if not sep:
            if i + 1 >= len(args) or args[i + 1].startswith("--"):
                raise click.UsageError(i18n.t("hasilcmd.no_value", name=name))
            value = args[i + 1]
            i += 1
        out[name] = value
        i += 1
    return out


def _num(x, places=2):
    return MISSING if x is None else format_number(x, places)


def register(main: click.Group) -> None:
    round_group = main.commands["round"]

    @round_group.command("hasil", cls=HasilCommand,
                         context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--part", "parts", multiple=True, metavar="ID=VALUE",
                  help="A Hasil part by id, e.g. --part H.1.a=70.05 (any instrument). Repeat.")
    @click.option("--source", default=None, help="Where the figures come from (e.g. 'LHE SAKIP 2023').")
    @click.option("--applicable-weight", "weight", default=None,
                  help="For an instrument that rescales a component: the applicable weight (e.g. "
                       "86.5) the round's own scoring rescales by, instead of the weight derived from the "
                       "lines answered not applicable; needs --source.")
    @click.option("--clear-applicable-weight", "clear_weight", is_flag=True,
                  help="Remove that applicable weight: the round's own scoring goes back to the weight derived "
                       "from the lines answered not applicable.")
    @json_option
    @click.pass_context
    def hasil_cmd(ctx, round_ref, parts, source, weight, clear_weight, as_json):
        """Enter the Hasil figures (validated ranges and categories), or show them when none is given.

        Example (the default instrument): --sakip 70.05 --kapasitas 3.8 --persepsi-korupsi 3.31
        --opini-bpk WTP --pelayanan 3.117. Koordinator or admin; not on a final round.
        """
        named = parse_named(list(ctx.args))
        if weight is not None and clear_weight:
            raise click.UsageError(i18n.t("aw.set_and_clear"))
        if named or parts or weight is not None or clear_weight:
            def op(s, actor):
                rnd = rounds.get_round(s, round_ref)
                changed = []
                if named or parts:
                    values = hasil.resolve_inputs(round_work.instrument_for(rnd), named, list(parts))
                    before = {k: v.raw for k, v in hasil.stored(s, rnd).items()}
                    rows = hasil.set_inputs(s, actor, rnd, values, source=source)
                    changed = [r.part_id for r in rows if before.get(r.part_id) != r.raw]
                if (weight is not None or clear_weight) and hasil.set_applicable_weight(s, actor, rnd, weight,
                                                                                        source=source):
                    changed.append(i18n.t("offcmd.weight_name"))
                return rnd.code, changed

            code, changed = run_as(op)
            info(i18n.t("hasilcmd.saved", round=code, parts=", ".join(changed)) if changed
                 else i18n.t("hasilcmd.unchanged", round=code))

        def show(s):
            from pmprb.assessments.coordinate import applicable_weight

            rnd = rounds.get_round(s, round_ref)
            return rnd.code, hasil.table(s, rnd), hasil.missing(s, rnd), applicable_weight.shown(s, rnd, "estimate")

        code, rows, missing, given = read(show)
        if as_json:
            echo_json({"round": code, "parts": rows, "missing": missing, "applicable_weight": given})
            return
        if named or parts or weight is not None or clear_weight:
            return
        if given:
            click.echo(i18n.t("offcmd.weight.estimate.given", weight=_num(given["value"]), source=given["source"]))
        if given and not rows:   # an instrument without Hasil parts: the weight is all there is
            return
        click.echo(table([[r["part"], f"--{r['input_name']}" if r["input_name"] else "", r["name"], r["expected"],
                           r["value"] or MISSING, _num(r["points"], 4), _num(r["weight"])] for r in rows],
                         [i18n.t(f"hasilcmd.h.{k}") for k in ("part", "flag", "name", "expected", "value", "points",
                                                              "weight")]))
        if missing:
            info(i18n.t("hasilcmd.missing", parts=", ".join(missing)))

    @round_group.command("result")
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--all", "show_all", is_flag=True, help="Also list earlier finalisations (after reopen).")
    @json_option
    def result_cmd(round_ref, show_all, as_json):
        """The frozen final result: Pengungkit per area, Hasil, Indeks RB, grade, predicates."""
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            fr = final_result.current(s, rnd)
            reopened = fr is None
            if fr is None:
                fr = final_result.latest(s, rnd)
            if fr is None:
                final_result.require_current(s, rnd)  # raises, naming the state
            inst = round_work.instrument_for(rnd)
            return (rnd.code, inst, final_result.summary(s, fr), final_result.data_of(fr), reopened,
                    [final_result.summary(s, x) for x in final_result.results(s, rnd)])

        code, inst, summ, data, reopened, history = read(op)
        if as_json:
            out = {"round": code, "current": not reopened, **summ, "result": data}
            if show_all:
                out["history"] = history
            echo_json(out)
            return
        score = data["score"]
        lines = [i18n.t("resultcmd.title", round=code, seq=summ["seq"], when=show_iso(summ["finalised_at"]),
                        who=summ["finalised_by"])]
        if reopened:
            lines.append(i18n.t("resultcmd.previous"))
        lines.append(table([[a["code"], a["name"], _num(score["areas"][a["code"]]["score"]),
                             _num(a["weight"]), _num(score["areas"][a["code"]]["percent"])] for a in inst.areas],
                           [i18n.t("resultcmd.h.area"), "", i18n.t("resultcmd.h.score"), i18n.t("resultcmd.h.weight"),
                            i18n.t("resultcmd.h.percent")]))
        if score.get("method") == "points":
            lines += component_lines(inst, score)
        else:
            lines += [f"{i18n.t('resultcmd.pengungkit')}: {_num(score['pengungkit'])}",
                      f"{i18n.t('resultcmd.hasil')}: {_num(score['hasil'])}"]
        lines += [f"{i18n.t('resultcmd.indeks')}: {_num(score['indeks_rb'])}",
                  f"{i18n.t('resultcmd.grade')}: {score['grade'] or MISSING}"
                  + (f" ({score['grade_label']})" if score.get("grade_label") else "")]
        for pred in score.get("predicates", []):
            lines += predicates.describe(pred)
        cov = data["discussion"]
        lines.append(i18n.t("resultcmd.discussed", yes=i18n.t("resultcmd.yes") if cov["all_discussed"]
                            else i18n.t("resultcmd.no", n=len(cov["undiscussed"]))))
        lines.append(f"{i18n.t('resultcmd.hash')}: {summ['result_sha256']}")
        if show_all:
            lines += ["", i18n.t("resultcmd.history")]
            lines += [f"  {h['seq']}. {show_iso(h['finalised_at'])} {h['finalised_by']}: Indeks {_num(h['indeks_rb'])} "
                      f"{h['grade'] or ''} ({h['result_sha256'][:16]})" for h in history]
        click.echo("\n".join(lines))
