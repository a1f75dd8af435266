"""The flags a decision's result can carry, by name.

A flag is a string in the decision record (so records, replay files and
hashes stay as they are); code names it through these constants instead of
spelling the string, so a typo is an AttributeError, not a silent miss.
"""

from __future__ import annotations

UNANSWERED = "unanswered"
CLAIMED_WITHOUT_EVIDENCE = "claimed_without_evidence"
NOT_APPLICABLE = "not_applicable"
POINTS_GIVEN = "points_given"

EVIDENCE_KIND_NOT_ACCEPTED = "evidence_kind_not_accepted"
EVIDENCE_OUTDATED = "evidence_outdated"
EVIDENCE_FUTURE = "evidence_future"
EVIDENCE_SUPERSEDED = "evidence_superseded"
EVIDENCE = (EVIDENCE_KIND_NOT_ACCEPTED, EVIDENCE_OUTDATED, EVIDENCE_FUTURE, EVIDENCE_SUPERSEDED)

# A gated criterion carries ``gated_by:<prerequisite or multiplier>``.
GATED_BY = "gated_by:"


def gated_by(criterion: str) -> str:
    return GATED_BY + criterion


def gate_of(flag: str) -> str | None:
    """``gated_by:MP.2.a`` -> ``MP.2.a``; any other flag -> None."""
    return flag[len(GATED_BY):] if flag.startswith(GATED_BY) else None


def is_gate(flag: str) -> bool:
    return flag.startswith(GATED_BY)
