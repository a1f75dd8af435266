"""The files `audit verify --against` reads (checkpoints, decision-log
exports, reports) are read bounded, like every other input (issue 15)."""

from __future__ import annotations

import time
import zlib

import pytest

from pmprb.assessments.audit.anchors import load_anchor
from pmprb.engine.safe_input import InputRefused
from pmprb.errors import ValidationError
from safety_support import build_zip, zero_deflate


def test_a_checkpoint_nested_without_end_is_refused(tmp_path):
    path = tmp_path / "checkpoint.json"
    path.write_text('{"a":' + "[" * 100_000 + "]" * 100_000 + "}")  # the 100,000 brackets
    with pytest.raises(InputRefused) as err:
        load_anchor(path)
    assert err.value.reason in ("depth", "nodes") and str(path) in str(err.value)


def test_a_checkpoint_of_the_wrong_shape_is_named(tmp_path):
    path = tmp_path / "checkpoint.json"
    from pmprb.assessments.audit import anchors

    path.write_text('{"format": "%s", "chain": "not a head"}' % anchors.FORMAT)
    with pytest.raises(ValidationError, match="checkpoint.json"):
        load_anchor(path)


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PMPRB_MAX_INPUT_MB", "0.01")
    path = tmp_path / "report.html"
    path.write_text("x" * 20_000)
    with pytest.raises(InputRefused, match="PMPRB_MAX_INPUT_MB"):
        load_anchor(path)


def test_a_report_xlsx_that_unpacks_to_gigabytes_is_refused_quickly(tmp_path):
    size = 2 << 30
    raw = zero_deflate(size)
    crc = zlib.crc32(bytes(1 << 20))
    for _ in range(size // (1 << 20) - 1):
        crc = zlib.crc32(bytes(1 << 20), crc)
    path = tmp_path / "report.xlsx"
    path.write_bytes(build_zip([{"name": "xl/worksheets/sheet1.xml", "raw": raw, "crc": crc, "size": size}]))
    started = time.monotonic()
    with pytest.raises(ValidationError):
        load_anchor(path)
    assert time.monotonic() - started < 5
