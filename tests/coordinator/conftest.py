"""Fixtures for the coordinator tests (review, consensus, final result, RATL, reports)."""

from __future__ import annotations

import pytest

import coordinator_support as cs


@pytest.fixture
def fixed_clock(monkeypatch):
    """Finalisation time and decision ids made reproducible (documents are snapshot-tested)."""
    import itertools
    import uuid

    from pmprb.assessments.coordinate import final_result

    monkeypatch.setattr(final_result, "now", lambda: cs.FIXED_NOW)
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


@pytest.fixture
def small(db):
    """MP and PPU of DINKES by ani and budi, submitted; budi answers MP.1.b differently."""
    return cs.build(db, areas=("MP", "PPU"), assessors=("ani", "budi"), overrides={"budi": {"MP.1.b": "A"}})
