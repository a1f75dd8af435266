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

LibreOffice: ``recalculate(xlsx, folder)`` opens a workbook in headless
LibreOffice Calc with a private profile set to recalculate every formula on
load (LibreOffice otherwise trusts the cached values of an .xlsx) and saves
the recalculated copy; ``require_libreoffice()`` skips when it is absent.
Printed pages: ``pdf_text_pages(pdf)`` is the text of each page (``pdftotext``).
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import shutil
import subprocess
import tempfile

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


_RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def find_libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def require_libreoffice() -> str:
    import pytest

    binary = find_libreoffice()
    if binary is None:
        pytest.skip("LibreOffice Calc is not installed (.ci/run installs 'libreoffice-calc-nogui'); "
                    "the workbook's formulas were not recalculated")
    return binary


def recalculate(xlsx: str | Path, folder: str | Path, fmt: str = "xlsx") -> Path:
    """``xlsx`` recalculated by LibreOffice, saved as ``folder/<name>.<fmt>``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pmprb-lo-") as profile:
        (Path(profile) / "user").mkdir()
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(_RECALC_PROFILE, encoding="utf-8")
        proc = subprocess.run([require_libreoffice(), f"-env:UserInstallation={Path(profile).as_uri()}",
                               "--headless", "--convert-to", fmt, "--outdir", str(folder), str(xlsx)],
                              capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    out = folder / (Path(xlsx).stem + "." + fmt)
    if proc.returncode != 0 or not out.is_file():
        raise AssertionError(f"LibreOffice did not convert {xlsx}: {proc.stdout} {proc.stderr}")
    return out


def pdf_text_pages(pdf: str | Path, layout: bool = True) -> list[str]:
    """The text of each printed page (``pdftotext [-layout]``), to check where things fell."""
    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; printed pages not checked")
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


_WORD = __import__("re").compile(r"[A-Za-zÀ-ÿ]{2,}")


def broken_words(html: str, pdf: str | Path) -> list[str]:
    """Words on the printed pages that are not words of the HTML: the pieces of a word
    broken across two lines ("direncanak" + "an"). A break at a hyphen is allowed
    (pdftotext joins "perundang-" and "undangan"); the page footer's words are allowed."""
    import html as html_lib
    import re

    text = re.sub(r"<style.*?</style>", " ", html, flags=re.S).replace("<wbr>", "")
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
    known = {w.casefold() for w in _WORD.findall(text)}
    known |= {w.replace("-", "").casefold() for w in re.findall(r"[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)+", text)}
    known |= {"halaman", "dari", "page", "of"}   # the @page footer
    printed = "\n".join(pdf_text_pages(pdf, layout=False))
    return sorted({w for w in _WORD.findall(printed) if w.casefold() not in known})
