"""Berita acara (minutes) of the consensus meeting: when, who, every disputed
criterion with each assessor's answer, the agreed answer and its rationale,
whether every criterion was discussed, and a signature block."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.assessments.coordinate import consensus
from pmprb.assessments.store.models import AssessmentRound, Person
from pmprb.assessments.setup.permissions import roles_of
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.errors import StateError
from pmprb.reports.environment import format_date, render
from pmprb.reports.round_common import header

TEMPLATE = "reports/berita_acara.html.j2"
STATES = ("consensus", "final")
SHOW_UNDISCUSSED = 20  # the full list is in `pmprb consensus list`

i18n.register({
    "ba.title": {"id": "Berita Acara Rapat Konsensus", "en": "Minutes of the Consensus Meeting"},
    "ba.subtitle": {"id": "Penilaian Mandiri Pelaksanaan Reformasi Birokrasi (PMPRB) Tahun {year}",
                    "en": "Bureaucratic Reform Self-Assessment (PMPRB) {year}"},
    "ba.state": {"id": "berita acara hanya dapat dibuat saat ronde berstatus consensus atau final (ronde {round}: '{state}')",
                 "en": "minutes can only be produced while the round is in consensus or final (round {round}: '{state}')"},
    "ba.opening": {
        "id": "Pada {dates} telah dilaksanakan rapat konsensus penilaian mandiri {institution} tahun {year} yang "
              "dihadiri oleh peserta yang tercantum di bawah ini. Rapat membahas {discussed} dari {total} kriteria "
              "Lembar Kerja Evaluasi. Terhadap {disputed} kriteria yang jawaban asesornya berbeda, rapat menyepakati "
              "jawaban akhir beserta alasannya sebagai berikut.",
        "en": "On {dates} the consensus meeting of the {year} self-assessment of {institution} was held, attended "
              "by the participants listed below. The meeting discussed {discussed} of the {total} criteria of the "
              "evaluation worksheet. For the {disputed} criteria on which the assessors' answers differed, the "
              "meeting agreed the final answers and their rationale as follows."},
    "ba.no_meeting": {"id": "(tanggal rapat belum dicatat)", "en": "(no meeting date recorded)"},
    "ba.participants": {"id": "Peserta rapat", "en": "Participants"},
    "ba.disputed": {"id": "Kriteria yang dikonsensuskan", "en": "Criteria settled by consensus"},
    "ba.col.no": {"id": "No", "en": "No"},
    "ba.col.criterion": {"id": "Kriteria", "en": "Criterion"},
    "ba.col.answers": {"id": "Jawaban asesor", "en": "Assessors' answers"},
    "ba.col.final": {"id": "Jawaban akhir", "en": "Final answer"},
    "ba.col.rationale": {"id": "Alasan kesepakatan", "en": "Rationale"},
    "ba.col.date": {"id": "Tanggal", "en": "Date"},
    "ba.col.name": {"id": "Nama", "en": "Name"},
    "ba.col.role": {"id": "Keterangan", "en": "Capacity"},
    "ba.open": {"id": "belum disepakati", "en": "not yet agreed"},
    "ba.confirmed": {"id": "Konfirmasi kriteria yang jawabannya sama", "en": "Confirmation of criteria with agreeing answers"},
    "ba.confirmed_row": {"id": "{n} kriteria dibahas dan dikonfirmasi", "en": "{n} criteria discussed and confirmed"},
    "ba.all_discussed": {"id": "Seluruh {total} kriteria telah dibahas dalam rapat konsensus.",
                         "en": "All {total} criteria were discussed in the consensus meeting."},
    "ba.not_all": {"id": "Belum seluruh kriteria dibahas: {n} kriteria belum tercatat dibahas ({ids}).",
                   "en": "Not every criterion was discussed: {n} criteria have no record of discussion ({ids})."},
    "ba.closing": {"id": "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.",
                   "en": "These minutes were drawn up to be used as appropriate."},
    "ba.made_on": {"id": "Ditetapkan pada {date}.", "en": "Adopted on {date}."},
    "ba.role.koordinator": {"id": "Koordinator Asesor", "en": "Coordinator"},
    "ba.role.asesor": {"id": "Asesor", "en": "Assessor"},
    "ba.role.other": {"id": "Peserta", "en": "Participant"},
    "ba.signatures": {"id": "Tanda tangan peserta", "en": "Participants' signatures"},
})


def _capacity(session: Session, p: dict, lang: str) -> str:
    if p.get("username"):
        person = session.exec(select(Person).where(Person.username == p["username"])).first()
        roles = roles_of(session, person.id) if person else frozenset()
        for role in ("koordinator", "asesor"):
            if role in roles:
                return i18n.t(f"ba.role.{role}", lang=lang)
    return i18n.t("ba.role.other", lang=lang)


def build(session: Session, rnd: AssessmentRound, lang: str) -> dict:
    if rnd.state not in STATES:
        raise StateError(i18n.t("ba.state", round=rnd.code, state=rnd.state))
    inst = instrument_for(rnd)
    items = [i for i in consensus.list_items(session, rnd, inst=inst) if i.state in ("open", "resolved")]
    meetings = consensus.meetings(session, rnd)
    dates: list[date] = sorted({i.meeting_date for i in items if i.meeting_date}
                               | {m.meeting_date for m in meetings})
    people: dict[str, dict] = {}
    for source in [i.participants_json for i in items if i.participants_json] + [m.participants_json for m in meetings]:
        for p in json.loads(source):
            people.setdefault((p.get("username") or p["name"]).casefold(), p)
    participants = [{"name": p["name"], "username": p.get("username"), "role": _capacity(session, p, lang)}
                    for p in people.values()]
    rows = []
    for n, item in enumerate(items, start=1):
        c = inst.criteria[item.criterion_id]
        options = dict(c.options)
        rows.append({
            "no": n, "id": item.criterion_id, "text": c.text_in(lang),
            "answers": [{"who": a["assessor"], "unit": a["unit"], "answer": a["answer"], "note": a["note"]}
                        for a in json.loads(item.answers_json)],
            "final": item.final_answer, "final_text": options.get(item.final_answer) if item.final_answer else None,
            "rationale": item.rationale, "resolved": item.state == "resolved",
            "date": item.meeting_date,
        })
    cov = consensus.discussion_coverage(session, rnd, inst)
    dates_text = ", ".join(format_date(d, lang) for d in dates) or i18n.t("ba.no_meeting", lang=lang)
    base = header(session, rnd, inst, lang)
    return {
        "lang": lang, "round": {"code": rnd.code, "year": rnd.year}, **base,
        "title": i18n.t("ba.title", lang=lang), "subtitle": i18n.t("ba.subtitle", lang=lang, year=rnd.year),
        "opening": i18n.t("ba.opening", lang=lang, dates=dates_text, institution=base["institution"], year=rnd.year,
                          discussed=cov["discussed"], total=cov["total"], disputed=len(rows)),
        "participants": participants, "items": rows,
        "confirmations": [{"date": m.meeting_date, "n": len(json.loads(m.criteria_json)), "note": m.note}
                          for m in meetings],
        "coverage": cov, "made_on": dates[-1] if dates else None,
        "undiscussed_shown": ", ".join(cov["undiscussed"][:SHOW_UNDISCUSSED])
                             + (f", … (+{len(cov['undiscussed']) - SHOW_UNDISCUSSED})"
                                if len(cov["undiscussed"]) > SHOW_UNDISCUSSED else ""),
        "signers": [{"role": p["role"], "name": p["name"]} for p in participants],
    }


def render_html(ctx: dict, *, generated_at: datetime | None = None) -> str:
    return render(TEMPLATE, ctx, lang=ctx["lang"], generated_at=generated_at)
