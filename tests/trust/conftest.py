"""Fixtures for the insider attacks of issue 12 (see ``trust_support``)."""

from __future__ import annotations

import itertools
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_support import EVIDENCE, build_full  # noqa: E402


@pytest.fixture
def full(db_from_template, db_backend, tmp_path, monkeypatch):
    """A factory: each call gives the URL of a fresh copy of a database in
    which every table holds rows, with its evidence files in this test's store."""
    monkeypatch.setenv("PMPRB_KEY_DIR", str(tmp_path / "keys"))

    calls = itertools.count(1)

    def make():
        url = db_from_template("trust-full", build_full)
        if url.startswith("sqlite:///"):  # the factory reuses one file name per test: give each call its own
            from pmprb.assessments.store.db import dispose_engines

            dispose_engines()
            path = tmp_path / f"full-{next(calls)}.db"
            shutil.copyfile(url[len("sqlite:///"):], path)
            url = f"sqlite:///{path}"
        store = tmp_path / "evidence"
        source = EVIDENCE["postgresql" if db_backend == "postgresql" else "sqlite"]
        if source != store and not store.exists():
            shutil.copytree(source, store)
        return url
    return make
