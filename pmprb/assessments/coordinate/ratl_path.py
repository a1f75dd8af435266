"""The RATL plan of a round's final result, read back: the fewest actions to
the next grade band (``pmprb ratl path``, the RATL report, the ringkasan).

Computed on demand from the frozen result (answers, evidence and Hasil as
frozen, the round's pinned instrument) by :mod:`pmprb.engine.ratl_plan`, so
it always agrees with the items' gains written at finalisation. Read only.
"""

from __future__ import annotations

from sqlmodel import Session

from pmprb.assessments.coordinate import final_result
from pmprb.assessments.coordinate.ratl import plan_of
from pmprb.assessments.setup.round_work import instrument_for
from pmprb.assessments.store.models import AssessmentRound


def path_of(session: Session, rnd: AssessmentRound, target=None, *, lang: str | None = None,
            documents: bool = False) -> dict | None:
    """The path to ``target`` (a grade, an Indeks, or None: the next grade band) as
    plain data: the path's figures plus ``steps`` (rank, criterion, text, gain, unlocks).
    ``documents``: for a report, None when the instrument has no grade bands and no
    target is given (there is no "next grade" to aim at)."""
    from pmprb import i18n

    fr = final_result.require_current(session, rnd)
    inst = instrument_for(rnd)
    if documents and target is None and not inst.data.get("grade_bands"):
        return None
    with plan_of(inst, final_result.data_of(fr)) as plan:
        path = plan.path(target)
        steps = []
        for cid in path.actions:
            a = plan.action(cid)
            steps.append({"rank": a.rank, "criterion": cid, "gain": a.gain, "unlocks": list(a.unlocks),
                          "text": inst.criteria[cid].text_in(lang or i18n.get_lang())})
    return {"round": rnd.code, **path.to_dict(), "steps": steps}


__all__ = ["plan_of", "path_of"]
