"""`pmprb audit verify`: a chain recomputed, then the data compared with it.

The checks are functions ``check(session, round_id, events) -> [Problem]``
given by the caller in the order they run (the list is
:data:`pmprb.assessments.wiring.VERIFY_CHECKS`). Only events before the
chain's first broken link are trusted when data is compared with the log.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from sqlmodel import Session

from pmprb.assessments.store.audit_log import AuditEvent, Problem, VerifyReport, events, verify_chain

Check = Callable[[Session, "int | None", list[AuditEvent]], Iterable[Problem]]


def verify(session: Session, round_id: int | None, checks: Sequence[tuple[str, Check]]) -> VerifyReport:
    """The chain of ``round_id`` (None: the global chain), then every check."""
    report = verify_chain(session, round_id)
    evs = events(session, round_id)
    if report.first_broken is not None:
        evs = [e for e in evs if e.seq < report.first_broken.seq]
    for name, check in checks:
        report.checks.append(name)
        report.problems.extend(check(session, round_id, evs))
    return report
