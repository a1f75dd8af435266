"""An assessor's worksheet as rows (``pmprb assess export`` / ``show``)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from pmprb import i18n
from pmprb.errors import ValidationError
from pmprb.assessments.assess.answers import answers_of
from pmprb.assessments.assess.evidence_refs import docs_by_criterion, unit_docs
from pmprb.presentation.sheet_format import FORMAT, options_text, write_csv, write_xlsx
from pmprb.assessments.setup.assignments import assigned_criteria
from pmprb.assessments.store.models import AssessmentRound, Person, WorkUnit
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.engine import flags
from pmprb.engine.decision import Decision

def worksheet_rows(session: Session, rnd: AssessmentRound, unit: WorkUnit, assessor: Person, *,
                   area: str | None = None, lang: str | None = None, computed: bool = False,
                   decisions: dict | None = None) -> list[dict]:
    """One row per assigned criterion that takes an answer, in instrument order
    (with ``computed``, also the computed items, marked ``"computed": True``);
    ``value`` is the decided value (or count) when ``decisions`` are given."""
    lang = lang or i18n.get_lang()
    inst = instrument_for(rnd)
    stored = answers_of(session, rnd, unit.id, assessor.id)
    docs = docs_by_criterion(unit_docs(session, rnd, unit.id))
    rows = []
    for cid in assigned_criteria(session, rnd, unit.id, assessor.id):
        c = inst.criteria[cid]
        if (c.kind == "computed" and not computed) or (area and c.area != area.upper()):
            continue
        a = stored.get(cid)
        rows.append({
            "criterion": cid, "area": c.area, "subarea": c.subarea, "text": c.text_in(lang),
            "options": options_text(inst, cid, lang),
            "answer": a.answer if a else None, "note": a.note if a else None,
            "evidence": "; ".join(d.ref for d in docs.get(cid, [])),
            "version": a.version if a else None,
            "value": _decided(decisions, cid),
            "warnings": _warnings(inst, decisions, cid, lang),
        })
        if computed:
            rows[-1]["computed"] = c.kind == "computed"
    return rows


def _decided(decisions: dict | None, cid: str):
    if not decisions or cid not in decisions:
        return None
    r = decisions[cid].result
    if r.has_flag(flags.UNANSWERED):
        return None
    return r.count if r.is_count else r.value


def _warnings(inst, decisions: dict | None, cid: str, lang: str) -> str | None:
    """The warnings ``assess set`` shows for a row (claimed without evidence, the evidence flags)."""
    if not decisions or cid not in decisions:
        return None
    from pmprb.presentation.feedback import warnings_of

    return "; ".join(warnings_of(inst, decisions[cid], lang)) or None


def decide(session: Session, rnd: AssessmentRound, unit: WorkUnit, assessor: Person,
           engine: str | None = None) -> dict[str, Decision]:
    """The rules' decisions on the assessor's stored answers and the unit's evidence: what each
    linked document is, judged against the round's evaluation period, exactly as ``assess set``
    decides them (:func:`pmprb.assessments.assess.evaluation.evaluate_worksheet`)."""
    from pmprb.assessments.assess.evaluation import evaluate_worksheet
    from pmprb.assessments.setup.round_work import reading

    return evaluate_worksheet(reading(session, None, rnd), unit.id, assessor.id, engine=engine).decisions


def export_worksheet(session: Session, rnd: AssessmentRound, unit: WorkUnit, assessor: Person, path: str | Path,
                     fmt: str, *, lang: str | None = None) -> int:
    """Write the fillable worksheet; returns the number of rows."""
    lang = lang or i18n.get_lang()
    fmt = fmt.lower()
    if fmt not in ("xlsx", "csv"):
        raise ValidationError(i18n.t("aex.format", fmt=fmt))
    rows = worksheet_rows(session, rnd, unit, assessor, lang=lang, decisions=decide(session, rnd, unit, assessor))
    if fmt == "csv":
        write_csv(path, rows, lang)
    else:
        inst = instrument_for(rnd)
        meta = {"format": FORMAT, "round": rnd.code, "unit": unit.code, "assessor": assessor.username,
                "instrument": inst.id, "instrument_revision": inst.revision}
        write_xlsx(path, rows, lang, meta, inst)
    return len(rows)


def progress_of(rows: list[dict]) -> dict:
    """Answered/total overall and per area, from :func:`worksheet_rows`."""
    areas: dict[str, dict] = {}
    for r in rows:
        if r.get("computed"):
            continue
        a = areas.setdefault(r["area"], {"area": r["area"], "answered": 0, "total": 0})
        a["total"] += 1
        a["answered"] += r["answer"] is not None
    return {"answered": sum(a["answered"] for a in areas.values()), "total": sum(a["total"] for a in areas.values()),
            "areas": list(areas.values())}


def overview(session: Session, rnd: AssessmentRound, unit: WorkUnit, assessor: Person, *, area: str | None = None,
             lang: str | None = None, engine: str | None = None) -> dict:
    """The worksheet with what the rules decide for each row, and its progress."""
    from pmprb.presentation.feedback import explain
    from pmprb.assessments.assess.worksheets import get_worksheet

    inst = instrument_for(rnd)
    ws = get_worksheet(session, rnd, unit, assessor)
    rows = worksheet_rows(session, rnd, unit, assessor, area=area, lang=lang, computed=True)
    decisions = decide(session, rnd, unit, assessor, engine)
    from pmprb.presentation.progress_text import progress_detail

    for r in rows:
        r["decision"] = explain(inst, decisions[r["criterion"]]).to_dict()
    ids = [r["criterion"] for r in rows if not r.get("computed")]
    detail = progress_detail(inst, ids, {r["criterion"] for r in rows if r["answer"] is not None}, decisions,
                             lang=lang, engine=engine)
    return {"round": rnd.code, "unit": unit.code, "assessor": assessor.username, "state": ws.state,
            "instrument": inst.id, "progress": progress_of(rows), "progress_detail": detail, "criteria": rows}


__all__ = ["worksheet_rows", "export_worksheet", "progress_of", "overview"]
