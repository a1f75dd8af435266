"""Fixtures of the Indeks RB 2023 tests (instruments scored in points lines)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _default_engine(monkeypatch):
    # A developer's PMPRB_RULES_ENGINE must not change what the tests exercise.
    monkeypatch.delenv("PMPRB_RULES_ENGINE", raising=False)
