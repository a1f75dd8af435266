"""The history HTML report: snapshot of the markup, and a real render in Chromium."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from history_tables import CONSISTENT, replace
from pmprb.engine.history import check, layout, parse_csv
from pmprb.reports import write_report
from pmprb.reports.chromium import A4_WINDOW, html_to_pdf, html_to_png, is_a4, pdf_page_sizes, png_size
from pmprb.reports.history import render_history_html
from report_support import assert_snapshot, require_chromium

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
WHEN = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
# One wrong percentage and one wrong grade, so the report shows both marks and findings.
TABLE = replace(replace(CONSISTENT, 2016, "MP", "percent", "70.00"), 2017, "GRADE", "value", "A")


def report(lang: str) -> str:
    figures = parse_csv(TABLE, "riwayat-kota-madiun.csv")
    lay = layout("pmprb-2014")
    return render_history_html(figures, lay, institution="Kota Madiun", source="riwayat-kota-madiun.csv",
                               result=check(figures, lay.instrument), lang=lang, generated_at=WHEN)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_history_report_snapshot(lang):
    assert_snapshot(report(lang), SNAPSHOTS / f"history.{lang}.html")


def test_report_content():
    html = report("id")
    assert html.count("<svg") == 3                              # trend, areas of the last year, areas over time
    assert '<td class="num bad">70,00</td>' in html             # the wrong percentage is marked
    assert '<td colspan="2" class="grade bad">A</td>' in html    # and the wrong grade
    assert "2017 GRADE: dipublikasikan A; Indeks 74,43 ± 0,005 hanya memberi BB" in html
    assert "Toleransi:" in html
    assert report("id") == html                                 # deterministic


def test_history_report_renders_and_prints_in_chromium(tmp_path):
    require_chromium()
    page = write_report(tmp_path / "riwayat.html", report("id"))
    png = html_to_png(page, tmp_path / "riwayat.png")
    assert png_size(png) == A4_WINDOW
    from PIL import Image

    with Image.open(png) as img:
        colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=1 << 22)}
    assert (0x00, 0x72, 0xB2) in colours          # first chart series / bars were drawn
    assert (0xFD, 0xEC, 0xEA) in colours          # a flagged cell's background
    sizes = pdf_page_sizes(html_to_pdf(page, tmp_path / "riwayat.pdf"))
    assert sizes and all(is_a4(size) for size in sizes), sizes
