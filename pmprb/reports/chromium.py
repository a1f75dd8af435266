"""Render an HTML report with headless Chromium: a PNG screenshot (proof that
it renders) or an A4 PDF (proof that it prints).

Chromium comes from the system (Debian's ``chromium`` package, installed by
``.ci/run``); ``PMPRB_CHROMIUM`` names another binary. Each run gets a fresh
profile folder and the flags that keep a headless browser from reaching the
network on its own (updates, sync, QUIC), so a render is offline and
repeatable.
"""

from __future__ import annotations

from pmprb import i18n

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pmprb.errors import NotFoundError, PmprbError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# A4 at 150 dpi: one printed page fills the window.
A4_WINDOW = (1240, 1754)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_QUIET_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


class RenderError(PmprbError):
    """Chromium ran but did not produce the expected file."""


def find_chromium() -> Path | None:
    """The Chromium binary to use, or None when there is none."""
    candidate = os.environ.get("PMPRB_CHROMIUM", "").strip() or DEFAULT_CHROMIUM
    path = Path(candidate)
    return path if path.is_file() and os.access(path, os.X_OK) else None


def _require() -> Path:
    binary = find_chromium()
    if binary is None:
        raise NotFoundError(i18n.t("render.chromium_found_install_debian", value=os.environ.get('PMPRB_CHROMIUM') or DEFAULT_CHROMIUM))
    return binary


def _run(html_path: Path, output_flags: list[str], output: Path, timeout: float) -> None:
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise NotFoundError(i18n.t("render.no_such_html_file", html_path=html_path))
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        output.unlink()   # a stale file must not pass for a fresh render
    with tempfile.TemporaryDirectory(prefix="pmprb-chromium-") as profile:
        cmd = [str(_require()), *_QUIET_FLAGS, f"--user-data-dir={profile}", *output_flags, html_path.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RenderError(i18n.t("render.chromium_did_finish_within", html_path=html_path, timeout=timeout)) from None
    if proc.returncode != 0 or not output.is_file() or output.stat().st_size == 0:
        tail = "\n".join(line for line in proc.stderr.splitlines()[-8:] if "dbus" not in line)
        raise RenderError(i18n.t("render.chromium_exited_with_wrote", html_path=html_path, returncode=proc.returncode, name=output.name),
                          details=[tail] if tail else None)


def html_to_png(html_path: str | Path, png_path: str | Path, *, window: tuple[int, int] = A4_WINDOW,
                timeout: float = 90) -> Path:
    """Screenshot the page at ``window`` size (default: one A4 page at 150 dpi)."""
    png = Path(png_path).resolve()
    _run(Path(html_path), [f"--screenshot={png}", f"--window-size={window[0]},{window[1]}",
                           "--hide-scrollbars"], png, timeout)
    if png.read_bytes()[:8] != PNG_SIGNATURE:
        raise RenderError(i18n.t("render.chromium_wrote_file_that", png=png))
    return png


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, *, timeout: float = 90) -> Path:
    """Print the page to PDF the way a user would; the report's ``@page`` rule
    sets A4 and the margins, and Chromium's own header and footer are off."""
    pdf = Path(pdf_path).resolve()
    _run(Path(html_path), [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"], pdf, timeout)
    if not pdf.read_bytes().startswith(b"%PDF-"):
        raise RenderError(i18n.t("render.chromium_wrote_file_that_2", pdf=pdf))
    return pdf


def write_pdf(html: str, pdf_path: str | Path, *, timeout: float = 90) -> Path:
    """Print a rendered HTML report to ``pdf_path`` (``pmprb report … --format pdf``).
    The HTML goes to a private temporary file first: Chromium prints files, and a
    report is self-contained, so its folder does not matter."""
    pdf = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="pmprb-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        produced = html_to_pdf(page, Path(tmp) / "report.pdf", timeout=timeout)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(produced, pdf)
    return pdf


def png_size(png_path: str | Path) -> tuple[int, int]:
    """Width and height from the PNG header (no imaging library needed)."""
    head = Path(png_path).read_bytes()[:24]
    if head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise RenderError(i18n.t("render.png_file", png_path=png_path))
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


A4_POINTS = (595.28, 841.89)


def pdf_page_sizes(pdf_path: str | Path) -> list[tuple[float, float]]:
    """Width and height in points of every page of a PDF Chromium printed
    (read from its uncompressed /MediaBox entries; enough to prove A4)."""
    import re

    data = Path(pdf_path).read_bytes()
    return [(float(w), float(h)) for w, h in
            re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)]


def is_a4(size: tuple[float, float], tolerance: float = 1.5) -> bool:
    return all(abs(got - want) <= tolerance for got, want in zip(size, A4_POINTS))
