"""pmprb consensus: the items of the rapat konsensus and their resolution."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.dates import show_iso
from pmprb.presentation.states import StateChoice, state_name
from pmprb.assessments.coordinate import consensus as cons, minutes
from pmprb.assessments.setup import rounds, round_work
from pmprb.numbers import MISSING, format_number
from pmprb.commands._common import echo_json, get_ctx, info, json_option
from pmprb.commands._store import DATE, ask, fail_missing, read, run_as, table

def _answers(d: dict) -> str:
    return ", ".join(f"{a['assessor']}@{a['unit']}={a['answer']}" for a in d["answers"])


def _people(people: list[dict]) -> str:
    return ", ".join(p["name"] for p in people)


def _coverage_line(cov: dict) -> str:
    if cov["all_discussed"]:
        rest = i18n.t("conscmd.coverage_all")
    else:
        shown = ", ".join(cov["undiscussed"][:12]) + (", …" if len(cov["undiscussed"]) > 12 else "")
        rest = i18n.t("conscmd.coverage_missing", ids=shown)
    return i18n.t("conscmd.coverage", discussed=cov["discussed"], total=cov["total"], rest=rest)


def register(main: click.Group) -> None:
    @main.group("consensus")
    def consensus_group():
        """Consensus items: criteria on which the assessors' answers differ.

        Items open when the round enters consensus; a koordinator resolves
        each with the final answer, a rationale, the participants and the
        meeting date. `pmprb round finalise` is refused while any is open.
        """

    round_option = click.option("--round", "round_ref", required=True, help="Round code (or id).")

    @consensus_group.command("list")
    @round_option
    @click.option("--state", type=StateChoice("consensus"), default=None,
                  help="Show only items in this state.")
    @json_option
    def list_cmd(round_ref, state, as_json):
        """List the round's consensus items in instrument order, and how many criteria were discussed."""
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            inst = round_work.instrument_for(rnd)
            items = [cons.item_to_dict(s, i, inst) for i in cons.list_items(s, rnd, state=state, inst=inst)]
            return rnd.code, items, cons.discussion_coverage(s, rnd, inst)

        code, items, cov = read(op)
        if as_json:
            echo_json({"round": code, "items": items, "discussion": cov})
            return
        if not items:
            info(i18n.t("conscmd.none", round=code))
        else:
            click.echo(table([[d["criterion"], state_name("consensus", d["state"]), format_number(d["spread"], 2), _answers(d),
                               d["final_answer"] or MISSING, d["meeting_date"] or ""] for d in items],
                             [i18n.t("conscmd.h.criterion"), i18n.t("conscmd.h.state"), i18n.t("conscmd.h.spread"),
                              i18n.t("conscmd.h.answers"), i18n.t("conscmd.h.final"), i18n.t("conscmd.h.meeting")]))
        info(_coverage_line(cov))

    def show_text(d: dict) -> list[str]:
        lines = [f"{d['criterion']} [{state_name('consensus', d['state'])}]  {i18n.t('conscmd.h.spread')} {format_number(d['spread'], 2)}",
                 f"{i18n.t('conscmd.show.text')}: {d['text']}", f"{i18n.t('conscmd.h.answers')}:"]
        for a in d["answers"]:
            lines.append(f"  {a['assessor']}@{a['unit']}: {a['answer']}" + (f"  \"{a['note']}\"" if a["note"] else ""))
        if d["state"] == "resolved":
            lines += [f"{i18n.t('conscmd.h.final')}: {d['final_answer']}",
                      f"{i18n.t('conscmd.show.rationale')}: {d['rationale']}",
                      f"{i18n.t('conscmd.show.participants')}: {_people(d['participants'])}",
                      f"{i18n.t('conscmd.h.meeting')}: {show_iso(d['meeting_date'])}",
                      f"{i18n.t('conscmd.show.resolver')}: {d['resolved_by']} ({show_iso(d['resolved_at'])})"]
        if "history" in d:
            lines.append(f"{i18n.t('conscmd.show.history')}:")
            for e in d["history"]:
                lines.append(f"  {e['seq']}. {e['at']} {e['kind']} ({e['actor']})" + (f": {e['reason']}" if e["reason"] else ""))
        return lines

    @consensus_group.command("show")
    @round_option
    @click.argument("criterion")
    @json_option
    def show_cmd(round_ref, criterion, as_json):
        """One item: the disputed answers and notes, the resolution, and its history."""
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            return cons.item_to_dict(s, cons.get_item(s, rnd, criterion), round_work.instrument_for(rnd), with_history=True)

        d = read(op)
        if as_json:
            echo_json(d)
        else:
            click.echo("\n".join(show_text(d)))

    @consensus_group.command("resolve")
    @round_option
    @click.argument("criterion")
    @click.option("--answer", "final_answer", default=None, help="The agreed answer (any valid answer of the criterion).")
    @click.option("--rationale", default=None, help="Why the meeting agreed on it (required).")
    @click.option("--participant", "participants", multiple=True,
                  help="A participant (a registered username); repeat or separate with commas.")
    @click.option("--guest", "guests", multiple=True,
                  help='An outside participant who is not registered: "Name|Position"; repeat for several.')
    @click.option("--date", "meeting_date", type=DATE, default=None, help="Meeting date, DD-MM-YYYY or YYYY-MM-DD.")
    @click.option("--expected-version", type=int, default=None,
                  help="Refuse if the item changed since this version (see `consensus show --json`).")
    def resolve_cmd(round_ref, criterion, final_answer, rationale, participants, guests, meeting_date,
                    expected_version):
        """Resolve an open item. Missing values are prompted for on a terminal (koordinator)."""
        missing: list[str] = []
        if get_ctx().interactive() and not (final_answer and rationale and participants and meeting_date):
            def op(s):
                rnd = rounds.get_round(s, round_ref)
                inst = round_work.instrument_for(rnd)
                d = cons.item_to_dict(s, cons.get_item(s, rnd, criterion), inst)
                return d, [a for a, _t in inst.criterion(d["criterion"]).options]
            d, options = read(op)
            click.echo("\n".join(show_text(d)), err=True)
            final_answer = ask(final_answer, i18n.t("conscmd.p.answer", options="/".join(options)), missing, "--answer")
            rationale = ask(rationale, i18n.t("conscmd.p.rationale"), missing, "--rationale")
            if not participants:
                participants = (ask(None, i18n.t("conscmd.p.participants"), missing, "--participant"),)
            meeting_date = ask(meeting_date, i18n.t("conscmd.p.date"), missing, "--date", type=DATE)
            fail_missing(missing)
        # Without a terminal, the library names what is missing (e.g. the rationale) with exit code 1.
        item = run_as(lambda s, actor: cons.resolve(s, actor, rounds.get_round(s, round_ref), criterion,
                                                    final_answer=final_answer, rationale=rationale,
                                                    participants=list(participants), meeting_date=meeting_date,
                                                    expected_version=expected_version, guests=list(guests)))
        info(i18n.t("conscmd.resolved", criterion=item.criterion_id, answer=item.final_answer))

    @consensus_group.command("reopen")
    @round_option
    @click.argument("criterion")
    @click.option("--reason", default=None, help="Why the resolution is reopened (required; prompted on a terminal).")
    def reopen_cmd(round_ref, criterion, reason):
        """Reopen a resolved item before the round is final; the resolution stays in its history."""
        missing: list[str] = []
        if get_ctx().interactive():
            reason = ask(reason, i18n.t("conscmd.p.reason"), missing, "--reason")
        item = run_as(lambda s, actor: cons.reopen_item(s, actor, rounds.get_round(s, round_ref), criterion,
                                                        reason=reason or ""))
        info(i18n.t("conscmd.reopened", criterion=item.criterion_id))

    @consensus_group.command("meeting")
    @round_option
    @click.option("--date", "meeting_date", type=DATE, required=True, help="Meeting date, DD-MM-YYYY or YYYY-MM-DD.")
    @click.option("--participant", "participants", multiple=True, required=True,
                  help="A participant (a registered username); repeat or separate with commas.")
    @click.option("--guest", "guests", multiple=True,
                  help='An outside participant who is not registered: "Name|Position"; repeat for several.')
    @click.option("--criterion", "criteria", multiple=True,
                  help="A criterion discussed and confirmed (default: every undisputed one not yet discussed).")
    @click.option("--note", default=None, help="Minutes or remarks.")
    def meeting_cmd(round_ref, meeting_date, participants, guests, criteria, note):
        """Record that a meeting discussed and confirmed merged criteria (LKE MP.3.f: every criterion discussed)."""
        m = run_as(lambda s, actor: cons.record_meeting(s, actor, rounds.get_round(s, round_ref),
                                                        meeting_date=meeting_date, participants=list(participants),
                                                        criteria=list(criteria) or None, note=note,
                                                        guests=list(guests)))
        import json

        info(i18n.t("conscmd.meeting", date=m.meeting_date.isoformat(), n=len(json.loads(m.criteria_json))))

    @consensus_group.command("minutes")
    @round_option
    @click.option("--number", default=None, help="The berita acara's number ('' clears it).")
    @click.option("--place", default=None, help="Where the meeting was held ('' clears it).")
    @click.option("--acknowledged-by", default=None,
                  help='Username of who signs under "Mengetahui" (the head of the Inspektorat; \'\' clears it).')
    @json_option
    def minutes_cmd(round_ref, number, place, acknowledged_by, as_json):
        """Set (or show) the berita acara's number, place and "Mengetahui" signatory (koordinator)."""
        given = {k: v for k, v in {"number": number, "place": place, "acknowledged_by": acknowledged_by}.items()
                 if v is not None}
        if given:
            d = run_as(lambda s, actor: minutes.to_dict(s, minutes.set_minutes(
                s, actor, rounds.get_round(s, round_ref), **given)))
        else:
            d = read(lambda s: minutes.to_dict(s, minutes.get(s, rounds.get_round(s, round_ref))))
        if as_json:
            echo_json(d)
            return
        for key in ("number", "place", "acknowledged_by"):
            click.echo(f"{i18n.t('conscmd.minutes.' + key)}: {d[key] or '–'}")

    @consensus_group.command("sync")
    @round_option
    def sync_cmd(round_ref):
        """Bring the items in line with the working papers (normally automatic on entering consensus)."""
        def op(s, actor):
            from pmprb.assessments.setup.permissions import require

            require(actor, "consensus.resolve")
            rnd = rounds.get_round(s, round_ref)
            round_work.lock_round(s, rnd)
            return cons.sync_items(s, rnd, actor=actor.username)

        r = run_as(op)
        info(i18n.t("conscmd.synced", opened=len(r.opened), updated=len(r.updated), reopened=len(r.reopened),
                    withdrawn=len(r.withdrawn)))
