"""Fixtures of the input-safety tests."""

from __future__ import annotations

import tracemalloc

import pytest

LIMIT_VARS = ("PMPRB_MAX_INPUT_MB", "PMPRB_MAX_INPUT_ROWS", "PMPRB_MAX_LOG_LINES", "PMPRB_RULES_ENGINE")


@pytest.fixture(autouse=True)
def _default_limits(monkeypatch):
    # A developer's limits (or rules engine) must not change what these tests exercise.
    for var in LIMIT_VARS:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def traced():
    """tracemalloc running for a module's fuzz tests (see safety_support.bounded),
    after the bundled instruments are loaded once: that one-time cost (seconds of
    pure-Python YAML under tracemalloc) is not what an example is measured for."""
    from pmprb.engine.instrument import bundled_ids, load_instrument

    for ref in bundled_ids():
        load_instrument(ref)
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    yield
    if started:
        tracemalloc.stop()
