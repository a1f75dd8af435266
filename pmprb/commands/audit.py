"""pmprb audit: verify the tamper-evident audit log.

``register`` adds the subcommands of ``audit_explain`` and ``audit_replay``.
"""

from __future__ import annotations

import click

from pmprb.cli_language import TranslatedGroup

from pmprb import i18n
from pmprb.assessments import wiring
from pmprb.assessments.setup import rounds
from pmprb.errors import MismatchError
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import read

i18n.register({
    "auditcmd.ok": {"id": "{chain}: {events} event, rantai utuh dan data cocok (head {head})",
                    "en": "{chain}: {events} events, chain intact and data matches (head {head})"},
    "auditcmd.broken": {"id": "{chain}: rantai rusak pada event {seq} ({action}): {message}",
                        "en": "{chain}: chain broken at event {seq} ({action}): {message}"},
    "auditcmd.failed": {"id": "verifikasi audit gagal: {n} masalah (pertama: {first})",
                        "en": "audit verification failed: {n} problems (first: {first})"},
})

audit_group = TranslatedGroup("audit", help=(
    "Audit a round: verify the hash chains, replay and explain decisions, export the decision log.\n\n"
    "verify checks the tamper-evident log and the data it covers; replay re-decides every stored "
    "decision with the pinned rules; explain shows why one criterion got its value; export writes "
    "the decision log for replay without the database."))


@audit_group.command("verify")
@click.option("--round", "round_ref", default=None, help="Round code (or id). Default: every round and the global chain.")
@json_option
def verify_cmd(round_ref, as_json):
    """Recompute the hash chain and compare the data with the log.

    Reports the first broken link (event number and action) and every
    record that no longer matches its event; exits with 5 when anything
    does not verify."""
    def op(s):
        if round_ref:
            rnds = [rounds.get_round(s, round_ref)]
            reports = []
        else:
            rnds = rounds.list_rounds(s)
            reports = [wiring.verify(s, None)]
        return reports + [wiring.verify(s, r.id) for r in rnds]

    reports = read(op)
    if as_json:
        echo_json([r.to_dict() for r in reports])
    problems = []
    for rep in reports:
        if rep.ok:
            if not as_json:
                info(i18n.t("auditcmd.ok", chain=rep.chain, events=rep.events, head=rep.head_hash[:16]))
            continue
        broken = rep.first_broken
        if not as_json:
            if broken is not None:
                click.echo(i18n.t("auditcmd.broken", chain=rep.chain, seq=broken.seq, action=broken.action,
                                  message=broken.message))
            for p in rep.problems:
                if p is not broken:
                    click.echo(f"{rep.chain}: {p.describe()}")
        problems.extend(f"{rep.chain}: {p.describe()}" for p in rep.problems)
    if problems:
        raise MismatchError(i18n.t("auditcmd.failed", n=len(problems), first=problems[0]))


def register(main: click.Group) -> None:
    from pmprb.commands import audit_explain, audit_replay

    for cmd in (audit_explain.explain_cmd, audit_replay.replay_cmd, audit_replay.export_cmd):
        audit_group.add_command(cmd)
    main.add_command(audit_group)
