"""pmprb audit: verify the tamper-evident audit log, against anchors kept
outside the database too, and write checkpoints.

``register`` adds the subcommands of ``audit_explain`` and ``audit_replay``.
"""

from __future__ import annotations

from pathlib import Path

import click

from pmprb.cli_language import TranslatedGroup

from pmprb import i18n
from pmprb.assessments import wiring
from pmprb.assessments.setup import rounds
from pmprb.assessments.store import audit_log
from pmprb.errors import MismatchError
from pmprb.commands._common import echo_json, get_ctx, info, json_option
from pmprb.commands._store import read

audit_group = TranslatedGroup("audit", help=(
    "Audit a round: verify the hash chains, replay and explain decisions, export the decision log.\n\n"
    "verify checks the tamper-evident log and the data it covers; replay re-decides every stored "
    "decision with the pinned rules; explain shows why one criterion got its value; export writes "
    "the decision log for replay without the database."))


@audit_group.command("verify")
@click.option("--round", "round_ref", default=None, help="Round code (or id). Default: every round and the global chain.")
@click.option("--against", "against", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="An anchor made earlier: a checkpoint, a JSONL export or a report (HTML, XLSX, Markdown). "
                   "Proves the database still holds the event it names with the same hash.")
@click.option("--public-key", default=None,
              help="Public key of the checkpoint's signer (base64, PEM, or a file); default: the key registered "
                   "in the database under the signature's fingerprint.")
@json_option
def verify_cmd(round_ref, against, public_key, as_json):
    """Recompute the hash chain and compare the data with the log.

    Reports the first broken link (event number and action) and every
    record that no longer matches its event; with --against, also whether
    the database still extends the anchor (deleted events, a rolled-back
    finalisation, a rewritten chain). Exits with 5 when anything does not
    verify."""
    from pmprb.assessments.audit import anchors, signing

    anchor = anchors.load_anchor(against) if against is not None else None
    key = signing.read_public(public_key) if public_key else None
    notes: list[str] = []

    def op(s):
        if round_ref:
            rnds = [rounds.get_round(s, round_ref)]
            reports = [wiring.verify(s, None)] if anchor is not None else []
        elif anchor is not None:
            ids = [int(h.chain.split(":")[1]) for h in anchor.heads if h.chain.startswith("round:")]
            rnds = [r for r in _every_round(s) if r.id in ids]
            reports = [wiring.verify(s, None)]
        else:
            rnds = _every_round(s)
            reports = [wiring.verify(s, None)]
        reports += [wiring.verify(s, r.id) for r in rnds]
        if anchor is not None:
            sig_problems, note = anchors.check_signature(s, anchor, key)
            if note:
                notes.append(note)
            by_chain = {r.chain: r for r in reports}
            chains = list(by_chain)
            if round_ref and not any(h.chain in chains and h.chain != audit_log.GLOBAL_CHAIN for h in anchor.heads):
                from pmprb.assessments.store.audit_log import Problem

                reports[-1].problems.append(Problem("anchor", i18n.t("anchor.not_this_round", source=anchor.source,
                                                                     round=rnds[0].code)))
            found, proved = anchors.check_against(s, anchor, chains if round_ref else None)
            notes.extend(proved)
            target = reports[-1]
            target.checks.append("anchor")
            target.problems.extend(sig_problems)
            for chain, problems in found.items():
                by_chain.get(chain, target).problems.extend(problems)
        return reports

    reports = read(op)
    for note in notes:
        info(note)
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


def _every_round(s):
    """Every round, even when the institution row was deleted outside pmprb (verify then names that)."""
    from sqlmodel import select

    from pmprb.assessments.store.models import AssessmentRound

    return list(s.exec(select(AssessmentRound).order_by(AssessmentRound.id)))


@audit_group.command("checkpoint")
@click.option("--round", "round_ref", default=None,
              help="Round code (or id). Default: the institution chain only.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (JSON).")
@click.option("--sign/--no-sign", default=None,
              help="Sign with the acting person's key (`pmprb key init`). Default: sign when that key exists.")
@json_option
def checkpoint_cmd(round_ref, output, sign, as_json):
    """Write the chain head (sequence, hash, time, round, final result hash,
    the rows of every table as the log gives them) to a small file kept
    outside the database; `audit verify --against FILE` later proves the
    database still extends it."""
    out = write_checkpoint_file(round_ref, output, sign=sign)
    if as_json:
        echo_json(out)


def write_checkpoint_file(round_ref, output: Path, *, sign: bool | None = None, quiet: bool = False) -> dict:
    """Make, optionally sign, and write a checkpoint; ``sign=None`` signs
    when the acting person has a key registered in the database."""
    from pmprb.assessments.audit import anchors, signing
    from pmprb.assessments.setup import people
    from pmprb.assessments.setup.permissions import resolve_actor
    from pmprb.errors import NotFoundError

    claimed = get_ctx().actor

    def op(s):
        rnd = rounds.get_round(s, round_ref) if round_ref else None
        signer = None
        if sign is not False and (claimed or sign):
            signer = resolve_actor(s, claimed)
        elif sign is None:
            try:
                signer = resolve_actor(s, claimed)
            except Exception:  # nobody proven or named: an unsigned checkpoint
                signer = None
        cp = anchors.make_checkpoint(s, rnd, made_by=signer.username if signer else None)
        fps = {k["fingerprint"] for k in people.keys_of(s, signer.id)} if signer else set()
        return cp, signer.username if signer else None, fps

    cp, signer, registered = read(op)
    if signer and sign is not False:
        path = signing.key_path(signer)
        if path.is_file() or sign:
            key = signing.load_private(path)
            if signing.fingerprint(signing.public_of(key)) not in registered:
                if sign:
                    raise NotFoundError(i18n.t("sign.no_key", path=path))
            else:
                cp = anchors.sign_checkpoint(cp, key, signer)
    anchors.write_checkpoint(output, cp)
    sig = cp.get("signature")
    if not quiet:
        info(i18n.t("auditcmd.checkpoint", chain=cp["chain"]["name"], seq=cp["chain"]["seq"],
                    hash=cp["chain"]["hash"][:16], path=output,
                    signed=i18n.t("auditcmd.signed", signer=sig["signer"], fingerprint=sig["fingerprint"][:16])
                    if sig else ""))
    return cp


def register(main: click.Group) -> None:
    from pmprb.commands import audit_explain, audit_replay

    for cmd in (audit_explain.explain_cmd, audit_replay.replay_cmd, audit_replay.export_cmd):
        audit_group.add_command(cmd)
    main.add_command(audit_group)
