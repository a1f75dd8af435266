"""pmprb audit explain: why a criterion got its value, who decided, on which evidence."""

from __future__ import annotations

import click

from pmprb.cli_language import TranslatedCommand

from pmprb import i18n
from pmprb.assessments.audit import explain as explain_lib
from pmprb.assessments.setup import rounds, units
from pmprb.commands._common import echo_json, json_option
from pmprb.presentation.explain_text import render
from pmprb.commands._store import read, unit_read_scope


@click.command("explain", cls=TranslatedCommand)
@click.option("--round", "round_ref", required=True, help="Round code (or id).")
@click.option("--criterion", required=True, help="Criterion id, e.g. MP.1.b.")
@click.option("--unit", default=None, help="Limit assessors' answers and evidence to one unit (code).")
@click.option("--lang", type=click.Choice(i18n.LANGS), default=None,
              help="Language of the explanation (default: the global --lang, Bahasa Indonesia).")
@json_option
def explain_cmd(round_ref, criterion, unit, lang, as_json):
    """Explain one criterion of a round: its text, each assessor's answer
    and note, the consensus item, the final answer → raw value → gating →
    value with the rules that fired in order, the evidence (number, title,
    date, SHA-256), the contribution to sub-area, area and Indeks, and the
    RATL item."""
    if lang:
        i18n.set_lang(lang)
    def op(s):
        rnd = rounds.get_round(s, round_ref)
        scope = unit_read_scope(s, rnd, units.get_unit(s, unit) if unit else None)
        return explain_lib.explain(s, rnd, criterion, unit=unit, unit_ids=scope)

    data = read(op)
    if as_json:
        echo_json(data)
    else:
        click.echo(render(data))
