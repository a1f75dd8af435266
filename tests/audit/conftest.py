"""Fixtures for the auditor tests (replay, verify, explain, export)."""

from __future__ import annotations

import pytest

from audit_support import build


@pytest.fixture
def final_round(db, tmp_path):
    """A finalised round (see ``audit_support``), on each database backend."""
    return build(db, tmp_path)
