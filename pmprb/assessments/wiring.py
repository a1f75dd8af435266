"""Where the jobs of a round meet: every guard, hook and check, listed.

The round workflow (:func:`pmprb.assessments.setup.rounds.transition`) and
``audit verify`` (:func:`pmprb.assessments.audit.verify.verify`) are
mechanisms that take their guards, hooks and checks as arguments; this
module is the one place that says which exist, so no import registers
anything by side effect and the lower jobs never import the higher ones.
Callers (the CLI, tests, a notebook) move rounds and verify them through
the functions here.

- entering ``consensus`` opens a consensus item per disputed criterion;
- ``finalise`` is refused while an item is open or a Hasil figure is missing;
- finalising computes and freezes the final result and generates the RATL;
- reopening a final round keeps the result in force in the round's snapshot;
- ``audit verify`` compares every kind of row with its audit events.
"""

from __future__ import annotations

from sqlmodel import Session

from pmprb.assessments.audit import history_tables, identity_checks, integrity_checks, row_checks
from pmprb.assessments.audit.verify import verify as _verify
from pmprb.assessments.coordinate import consensus, final_result, hasil
from pmprb.assessments.setup import rounds
from pmprb.assessments.setup.permissions import Actor
from pmprb.assessments.store.audit_log import VerifyReport
from pmprb.assessments.store.models import AssessmentRound
from pmprb.engine import workflow

# Guards beyond the store's own (worksheets submitted / accepted), per round event.
ROUND_GUARDS: dict[str, list[rounds.Guard]] = {
    "consensus": [consensus.guard_enter_consensus],
    "finalise": [consensus.guard_finalise, hasil.guard_finalise],
}
FINALISE_HOOKS: list[rounds.FinaliseHook] = [final_result.finalise_hook]
SNAPSHOT_PROVIDERS: dict[str, rounds.SnapshotProvider] = {"final_result": final_result.snapshot_provider}

# `audit verify`, in the order the checks run and report.
VERIFY_CHECKS = [
    ("instrument", integrity_checks.check_instrument),
    ("rows", row_checks.check_rows),
    ("rounds", row_checks.check_round_register),
    ("evidence_files", integrity_checks.check_evidence_files),
    ("snapshots", integrity_checks.check_snapshots),
    ("final_results", integrity_checks.check_final_results),
    ("instrument_changes", integrity_checks.check_instrument_changes),
    ("published", history_tables.check_published),
    ("logins", identity_checks.check_logins),
]


def transition(session: Session, actor: Actor, rnd: AssessmentRound, event: str, *, reason: str | None = None,
               to: str | None = None) -> workflow.Transition:
    return rounds.transition(session, actor, rnd, event, reason=reason, to=to, guards=ROUND_GUARDS,
                             finalise_hooks=FINALISE_HOOKS, snapshot_providers=SNAPSHOT_PROVIDERS)


def open_round(session: Session, actor: Actor, rnd: AssessmentRound) -> workflow.Transition:
    return transition(session, actor, rnd, "open")


def start_review(session: Session, actor: Actor, rnd: AssessmentRound) -> workflow.Transition:
    return transition(session, actor, rnd, "review")


def start_consensus(session: Session, actor: Actor, rnd: AssessmentRound) -> workflow.Transition:
    return transition(session, actor, rnd, "consensus")


def finalise(session: Session, actor: Actor, rnd: AssessmentRound) -> workflow.Transition:
    """consensus -> final: the final result is frozen and the RATL generated in the same transaction."""
    return transition(session, actor, rnd, "finalise")


def reopen(session: Session, actor: Actor, rnd: AssessmentRound, *, reason: str, to: str = "consensus"
           ) -> workflow.Transition:
    """final -> consensus (or review/open); the reason is required and the
    final round is kept as a snapshot first."""
    return transition(session, actor, rnd, "reopen", reason=reason, to=to)


def snapshot_data(session: Session, rnd: AssessmentRound) -> dict:
    return rounds.snapshot_data(session, rnd, SNAPSHOT_PROVIDERS)


def verify(session: Session, round_id: int | None) -> VerifyReport:
    """``audit verify`` of one chain (None: the global chain)."""
    return _verify(session, round_id, VERIFY_CHECKS)


def check_names() -> list[str]:
    return [name for name, _ in VERIFY_CHECKS]
