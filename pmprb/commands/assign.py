"""pmprb assign: give an assessor change areas of work units in a round."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.setup import assignments, people, rounds, units
from pmprb.commands._common import info
from pmprb.commands._store import run_as

def register(main: click.Group) -> None:
    @main.command("assign")
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--assessor", required=True, help="Username of the assessor (role asesor).")
    @click.option("--unit", "unit_codes", multiple=True, required=True, help="Unit code; repeat for several.")
    @click.option("--area", "areas", multiple=True,
                  help="Change area code (e.g. MP, SDM); repeat for several. Default: every area.")
    def assign_cmd(round_ref, assessor, unit_codes, areas):
        """Assign an assessor to units and areas (admin or koordinator; round draft or open)."""
        def op(s, actor):
            rnd = rounds.get_round(s, round_ref)
            return assignments.assign(s, actor, rnd, people.get_person(s, assessor),
                                      [units.get_unit(s, c) for c in unit_codes], list(areas) or None)

        created = run_as(op)
        info(i18n.t("assign.done", assessor=assessor, n=len(created), round=round_ref, units=", ".join(unit_codes),
                    areas=", ".join(areas) if areas else i18n.t("assign.all_areas")))
