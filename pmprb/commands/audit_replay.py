"""pmprb audit replay / export: re-decide every stored decision, archive the decision log."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from pmprb.cli_language import TranslatedCommand

from pmprb import i18n
from pmprb.assessments.audit import replay as store_replay
from pmprb.assessments.setup import rounds
from pmprb.canonical import canonical_json
from pmprb.engine import decision_log
from pmprb.engine.evaluator import ENGINES
from pmprb.errors import MismatchError, ValidationError
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import read

MAX_SHOWN = 50  # mismatches printed as text; --json lists them all

engine_option = click.option("--engine", type=click.Choice(ENGINES), envvar="PMPRB_RULES_ENGINE", default=None,
                             help="Rules engine for the replay (default: durable_rules when it imports, "
                                  "else plain). Also PMPRB_RULES_ENGINE.")


class _Progress:
    """A tqdm bar on stderr, only for a person watching a terminal."""

    def __init__(self, total: int | None, enabled: bool):
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=" " + i18n.t("replaycmd.progress"), file=sys.stderr, leave=False,
                            dynamic_ncols=True)

    def __call__(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _short(obj) -> str:
    return obj if isinstance(obj, str) else canonical_json(obj)


def _print_report(rep, source: str) -> None:
    click.echo(i18n.t("replaycmd.summary", source=source, total=rep.total, matched=rep.matched,
                      mismatched=len(rep.mismatches), engine=rep.engine, seconds=rep.seconds, rate=rep.rate))
    for rev, ins in sorted(rep.instruments.items()):
        click.echo(i18n.t("replaycmd.instrument", id=ins, revision=rev))
    click.echo(i18n.t("replaycmd.stored_engines", engines=", ".join(f"{k} × {v}" for k, v in sorted(rep.stored_engines.items())) or "-"))
    click.echo(i18n.t("replaycmd.kinds", kinds=", ".join(f"{k} {v}" for k, v in sorted(rep.kinds.items())) or "-"))
    if rep.scores is None:
        click.echo(i18n.t("replaycmd.scores_none"))
    for s in rep.scores or []:
        if s["ok"]:
            click.echo(i18n.t("replaycmd.scores_ok", seq=s["seq"]))
            continue
        click.echo(i18n.t("replaycmd.scores_bad", seq=s["seq"], message=f": {s['message']}" if s["message"] else ""))
        for d in s["differences"][:MAX_SHOWN]:
            click.echo(i18n.t("replaycmd.score_diff", path=d["path"], frozen=d["frozen"], recomputed=d["recomputed"]))
    for p in rep.problems:
        click.echo(i18n.t("replaycmd.problem", problem=p))
    if rep.mismatches:
        click.echo(i18n.t("replaycmd.mismatch_head"))
    for m in rep.mismatches[:MAX_SHOWN]:
        who = ", ".join(x for x in (m.kind, m.unit, m.assessor) if x) or "-"
        reason = i18n.t(f"replaycmd.reason.{m.reason}") + (f": {m.message}" if m.message else "")
        click.echo(i18n.t("replaycmd.mismatch", decision_id=m.decision_id, criterion=m.criterion, who=who, reason=reason))
        click.echo(i18n.t("replaycmd.stored", value=f"result {_short(m.stored['result'])} trace {_short(m.stored['trace'])}"))
        if m.replayed is not None:
            click.echo(i18n.t("replaycmd.replayed", value=f"result {_short(m.replayed['result'])} "
                                                       f"trace {_short(m.replayed['trace'])}"))
    if len(rep.mismatches) > MAX_SHOWN:
        click.echo(i18n.t("replaycmd.more", n=len(rep.mismatches) - MAX_SHOWN))


@click.command("replay", cls=TranslatedCommand)
@click.option("--round", "round_ref", default=None, help="Round code (or id) to replay from the database.")
@click.option("--from", "from_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Replay an exported decision log (pmprb audit export) without a database.")
@click.option("--against", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="An anchor made earlier (checkpoint, export or report): the file's or the database's chain "
                   "must still hold the event it names with the same hash.")
@click.option("--public-key", default=None, help="Public key of the checkpoint's signer (base64, PEM or a file).")
@engine_option
@json_option
def replay_cmd(round_ref, from_file, against, public_key, engine, as_json):
    """Re-decide every stored decision record with the round's pinned
    instrument and compare result and rule trace byte for byte.

    Also recomputes the frozen result from the final decisions when the
    round has one. From a file, also checks each line's record_sha256
    against its content and the audit event that pins it, the record count
    and the chain head in the header. Exit 0 when everything matches, 5 on
    any mismatch."""
    from pmprb.assessments.audit import anchors, signing

    if (round_ref is None) == (from_file is None):
        raise click.UsageError(i18n.t("replaycmd.need_source"))
    anchor = anchors.load_anchor(against) if against is not None else None
    key = signing.read_public(public_key) if public_key else None
    notes: list[str] = []
    if from_file is not None:
        log = decision_log.DecisionLog(from_file)
        progress = _Progress(log.header.get("records"), not as_json)
        try:
            rep = decision_log.replay_log(log, engine=engine, progress=progress)
        finally:
            progress.close()
        if anchor is not None:
            found, notes = anchors.check_file_against(anchor, log.events, key)
            rep.problems.extend(found)
        source = str(from_file)
    else:
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            progress = _Progress(store_replay.count_records(s, rnd), not as_json)
            try:
                return rnd.code, store_replay.replay_round(s, rnd, engine=engine, progress=progress)
            finally:
                progress.close()

        code, rep = read(op)
        source = i18n.t("replaycmd.source_round", code=code)
        if anchor is not None:
            def against_db(s):
                rnd = rounds.get_round(s, round_ref)
                sig_problems, note = anchors.check_signature(s, anchor, key)
                found, proved = anchors.check_against(s, anchor, [f"round:{rnd.id}", "global"])
                return sig_problems + [p for ps in found.values() for p in ps], ([note] if note else []) + proved

            found, notes = read(against_db)
            rep.problems.extend(p.message for p in found)
    for note in notes:
        info(note)
    if as_json:
        echo_json({"source": source, **rep.to_dict()})
    else:
        _print_report(rep, source)
    if not rep.ok:
        bad_scores = sum(1 for s in rep.scores or [] if not s["ok"])
        raise MismatchError(i18n.t("replaycmd.failed", n=len(rep.mismatches), p=len(rep.problems) + bad_scores))


@click.command("export", cls=TranslatedCommand)
@click.option("--round", "round_ref", required=True, help="Round code (or id).")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="jsonl: a header line (round, pinned instrument, frozen result) then one decision record per line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (atomically) instead of stdout.")
def export_cmd(round_ref, fmt, output):
    """Export the round's decision log; `pmprb audit replay --from FILE`
    replays it with no database."""
    if output is None:
        out = sys.stdout  # click.get_text_stream is deprecated (Click 9)
        read(lambda s: _export(s, round_ref, out))
        return
    output = output.expanduser()
    if not output.parent.is_dir():
        raise ValidationError(i18n.t("dlog.unreadable", path=output.parent, error="no such directory"))
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            code, n = read(lambda s: _export(s, round_ref, f))
        os.replace(tmp, output)
        tmp = None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    info(i18n.t("replaycmd.exported", n=n, code=code, path=output))


def _export(s, round_ref, f):
    store_replay.consistent_snapshot(s)
    rnd = rounds.get_round(s, round_ref)
    return rnd.code, store_replay.export_round(s, rnd, f)
