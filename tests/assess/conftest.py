"""Fixtures for the assessor journey (helpers in ``assess_support``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assess_support import World, build_world
from pmprb.engine.instrument import RULES_DIR

@pytest.fixture
def world(db) -> World:
    return build_world(db)


@pytest.fixture
def blocking_instrument(tmp_path) -> Path:
    """pmprb-2014 with ``evidence_default.on_missing: block``: a claim without evidence blocks submission."""
    folder = tmp_path / "pmprb-2014-block"
    folder.mkdir()
    for f in (RULES_DIR / "pmprb-2014").glob("*.yaml"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    head = yaml.safe_load((folder / "instrument.yaml").read_text(encoding="utf-8"))
    head["evidence_default"]["on_missing"] = "block"
    head["id"] = "pmprb-2014-block"
    (folder / "instrument.yaml").write_text(yaml.safe_dump(head, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    return folder


@pytest.fixture
def sk_file(tmp_path) -> Path:
    p = tmp_path / "sk-tim-rb.pdf"
    p.write_bytes(b"%PDF-1.4 SK Tim Reformasi Birokrasi Dinas Kesehatan 2024\n")
    return p
