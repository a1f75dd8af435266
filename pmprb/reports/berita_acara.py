"""Berita acara (minutes) of the consensus meeting, as people sign it: its
number, the day and date in words and the place, the participants with NIP
and jabatan, every disputed criterion with the assessors' answers grouped by
answer, the agreed answer and its rationale, whether every criterion was
discussed, and the closing sentence kept on one page with the signatures:
the team's list, the koordinator who drew it up, and the head of the
Inspektorat under "Mengetahui" (``pmprb consensus minutes``)."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.engine.state_labels import state_name
from pmprb.assessments.coordinate import consensus, minutes
from pmprb.assessments.store.models import AssessmentRound, Person
from pmprb.assessments.setup.people import format_nip
from pmprb.assessments.setup.permissions import roles_of
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.errors import StateError
from pmprb.dates import date_in_words
from pmprb.reports.environment import render
from pmprb.reports.round_common import header

TEMPLATE = "reports/berita_acara.html.j2"
STATES = ("consensus", "final")
SHOW_UNDISCUSSED = 20  # the full list is in `pmprb consensus list`

def _person_row(session: Session, p: dict, lang: str) -> dict:
    """A participant as the document shows them: name, NIP, jabatan, capacity."""
    if p.get("guest") or not p.get("username"):
        return {"name": p["name"], "username": None, "nip": None, "jabatan": p.get("jabatan"),
                "role": i18n.t("ba.role.guest" if p.get("guest") else "ba.role.other", lang=lang),
                "koordinator": False, "guest": True}
    person = session.exec(select(Person).where(Person.username == p["username"])).first()
    roles = roles_of(session, person.id) if person else frozenset()
    role = next((i18n.t(f"ba.role.{r}", lang=lang) for r in ("koordinator", "asesor") if r in roles),
                i18n.t("ba.role.other", lang=lang))
    return {"name": person.name if person else p["name"], "username": p["username"],
            "nip": format_nip(person.nip) if person else None, "jabatan": person.jabatan if person else None,
            "role": role, "koordinator": "koordinator" in roles, "guest": False}


def _grouped_answers(answers: list[dict], names: dict[str, str], order: list[str]) -> list[dict]:
    """The assessors' answers, one line per answer: who gave it (by name, with the
    unit when the item spans several units), in the order of the options (best first)."""
    units = {a["unit"] for a in answers}
    groups: dict[str, list[str]] = {}
    for a in answers:
        who = names.get(a["assessor"], a["assessor"])
        groups.setdefault(str(a["answer"]), []).append(f"{who} ({a['unit']})" if len(units) > 1 else who)
    rank = {ans: i for i, ans in enumerate(order)}
    return [{"answer": ans, "who": who, "n": len(who)}
            for ans, who in sorted(groups.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))]


def build(session: Session, rnd: AssessmentRound, lang: str) -> dict:
    if rnd.state not in STATES:
        raise StateError(i18n.t("ba.state", round=rnd.code, state=state_name("round", rnd.state)))
    inst = instrument_for(rnd)
    items = [i for i in consensus.list_items(session, rnd, inst=inst) if i.state in ("open", "resolved")]
    meetings = consensus.meetings(session, rnd)
    settings = minutes.to_dict(session, minutes.get(session, rnd))
    dates: list[date] = sorted({i.meeting_date for i in items if i.meeting_date}
                               | {m.meeting_date for m in meetings})
    people: dict[str, dict] = {}
    for source in [i.participants_json for i in items if i.participants_json] + [m.participants_json for m in meetings]:
        for p in json.loads(source):
            people.setdefault((p.get("username") or p["name"]).casefold(), p)
    participants = [_person_row(session, p, lang) for p in people.values()]
    names = {p["username"]: p["name"] for p in participants if p["username"]}
    for row in session.exec(select(Person.username, Person.name)):
        names.setdefault(row[0], row[1])
    rows = []
    for n, item in enumerate(items, start=1):
        c = inst.criteria[item.criterion_id]
        options = dict(c.options)
        rows.append({
            "no": n, "id": item.criterion_id, "text": c.text_in(lang),
            "answers": _grouped_answers(json.loads(item.answers_json), names, [a for a, _ in c.options]),
            "final": item.final_answer, "final_text": options.get(item.final_answer) if item.final_answer else None,
            "rationale": item.rationale, "resolved": item.state == "resolved",
            "date": item.meeting_date,
        })
    cov = consensus.discussion_coverage(session, rnd, inst)
    dates_text = i18n.t("ba.dates_and", lang=lang).join(date_in_words(d, lang) for d in dates) \
        or i18n.t("ba.no_meeting", lang=lang)
    place = i18n.t("ba.place", lang=lang, place=settings["place"]) if settings["place"] else ""
    base = header(session, rnd, inst, lang)
    # Who signs where: the head of the Inspektorat under "Mengetahui" (never as an ordinary participant),
    # the first koordinator as the one who drew the minutes up, everyone else in the team's list.
    acknowledger = None
    if settings["acknowledged_by"]:
        acknowledger = _person_row(session, {"username": settings["acknowledged_by"], "name": ""}, lang)
        acknowledger["title"] = acknowledger["jabatan"] or i18n.t("ba.acknowledger_role", lang=lang)
    maker = next((p for p in participants if p["koordinator"]
                  and p["username"] != (acknowledger or {}).get("username")), None)
    if maker:
        maker = dict(maker, title=maker["role"])
    skip = {x["username"] for x in (acknowledger, maker) if x}
    team = [p for p in participants if not p["username"] or p["username"] not in skip]
    return {
        "lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **base,
        "title": i18n.t("ba.title", lang=lang), "subtitle": i18n.t("ba.subtitle", lang=lang, year=rnd.year),
        "number": settings["number"], "place": settings["place"],
        "opening": i18n.t("ba.opening", lang=lang, dates=dates_text, place=place, institution=base["institution"],
                          year=rnd.year, discussed=cov["discussed"], total=cov["total"], disputed=len(rows)),
        "participants": participants, "items": rows, "one_date": len({r["date"] for r in rows if r["date"]}) <= 1,
        "confirmations": [{"date": m.meeting_date, "n": len(json.loads(m.criteria_json)), "note": m.note}
                          for m in meetings],
        "coverage": cov, "made_on": dates[-1] if dates else None,
        "undiscussed_shown": ", ".join(cov["undiscussed"][:SHOW_UNDISCUSSED])
                             + (f", … (+{len(cov['undiscussed']) - SHOW_UNDISCUSSED})"
                                if len(cov["undiscussed"]) > SHOW_UNDISCUSSED else ""),
        "team": team, "maker": maker, "acknowledger": acknowledger,
    }


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)
