"""Test helpers for reports: snapshots of rendered text, and Chromium renders.

Snapshots: ``assert_snapshot(html, SNAPSHOTS / "history-show.id.html")``
compares with the stored file and fails with a diff; with
``PMPRB_UPDATE_SNAPSHOTS=1`` it (re)writes the file instead. A missing
snapshot is a failure, not a silent first write, so a test cannot pass
without a reviewed snapshot in the repository. Keep rendered reports
deterministic (``SOURCE_DATE_EPOCH`` or ``generated_at``) so snapshots hold.
The audit chain head a report carries hashes event times, so its hash is
replaced by ``<head>`` before comparing (its chain and sequence stay).

Chromium: ``require_chromium()`` skips the calling test, with the reason,
when the binary is absent.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from pmprb.reports.chromium import DEFAULT_CHROMIUM, find_chromium

UPDATE_ENV = "PMPRB_UPDATE_SNAPSHOTS"
MAX_DIFF_LINES = 80


def updating_snapshots() -> bool:
    return os.environ.get(UPDATE_ENV, "").strip().lower() in ("1", "true", "yes")


def snapshot_diff(expected: str, actual: str, name: str) -> str:
    lines = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                      f"{name} (stored)", f"{name} (rendered)", lineterm="", n=2))
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... {len(lines) - MAX_DIFF_LINES} more diff lines"]
    return "\n".join(lines)


_HEAD_HASH = re.compile(r"(pmprb-audit-head:(?:global|round:\d+):\d+:|event \d+, hash )[0-9a-f]{64}")


def stable_head(text: str) -> str:
    return _HEAD_HASH.sub(r"\1<head>", text)


def assert_snapshot(actual: str, path: str | Path) -> None:
    path = Path(path)
    actual = stable_head(actual)
    if updating_snapshots():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.is_file():
        raise AssertionError(f"snapshot {path} does not exist; render it, review it, and store it with "
                             f"{UPDATE_ENV}=1 python3 -m pytest <this test>")
    expected = path.read_text(encoding="utf-8")
    if expected != actual:
        raise AssertionError(f"rendered text differs from snapshot {path} "
                             f"(if the change is intended, refresh with {UPDATE_ENV}=1):\n"
                             + snapshot_diff(expected, actual, path.name))


def require_chromium() -> Path:
    """The Chromium binary, or skip the current test saying why."""
    import pytest

    binary = find_chromium()
    if binary is None:
        pytest.skip(f"headless Chromium not installed at {os.environ.get('PMPRB_CHROMIUM') or DEFAULT_CHROMIUM} "
                    "(.ci/run installs Debian's 'chromium'); report render not checked")
    return binary
