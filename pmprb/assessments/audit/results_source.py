"""What the audit features read from the coordinator's results: frozen final
results, consensus items and RATL items (``final_result``, ``consensus``,
``ratl``).

Kept in one place so replay, export and explain do not depend on how those
are stored, and keep working for rounds that have none of them.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from pmprb.assessments.store.models import AssessmentRound
from pmprb.assessments.store.models.final_result import FinalResult


def frozen_results(session: Session, rnd: AssessmentRound) -> list[dict] | None:
    """Every frozen final result of the round (each finalisation, oldest
    first) as its stored ``pmprb-final-result/1`` data; None when the round
    was never finalised. Replay recomputes each from its decision records."""
    rows = session.exec(select(FinalResult).where(FinalResult.round_id == rnd.id).order_by(FinalResult.seq)).all()
    if not rows:
        return None
    out = []
    for fr in rows:
        try:
            out.append(json.loads(fr.result_json))
        except ValueError:  # edited outside pmprb; replay reports it instead of crashing
            out.append({"seq": fr.seq, "error": f"final result no. {fr.seq} is not JSON any more"})
    return out
