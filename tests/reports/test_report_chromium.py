"""Headless Chromium renders the base layout to a PNG and prints it on A4."""

from datetime import datetime, timezone

import pytest

from pmprb.errors import NotFoundError
from pmprb.reports import Bar, bar_chart, environment, write_report
from pmprb.reports.chromium import (A4_WINDOW, RenderError, find_chromium, html_to_pdf, html_to_png, is_a4,
                                    pdf_page_sizes, png_size)
from report_support import require_chromium

LONG_TABLE = """{% extends "reports/base.html.j2" %}
{% import "reports/_macros.html.j2" as m %}
{% block content %}{{ m.figure(chart) }}{{ m.data_table(columns, rows) }}{% endblock %}"""


@pytest.fixture
def long_report(tmp_path):
    rows = [{"n": i, "v": i / 7} for i in range(160)]   # long enough for several A4 pages
    html = environment("id").from_string(LONG_TABLE).render(
        title="Uji cetak", generated_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        chart=bar_chart([Bar("MP", 3.45, 5), Bar("SDM", 9, 15)], title="Area"),
        columns=[{"key": "n", "label": "No"}, {"key": "v", "label": "Nilai", "num": True}], rows=rows)
    return write_report(tmp_path / "long.html", html)


def test_screenshot(long_report, tmp_path):
    require_chromium()
    png = html_to_png(long_report, tmp_path / "long.png")
    assert png_size(png) == A4_WINDOW
    from PIL import Image

    with Image.open(png) as img:
        colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert (0x00, 0x72, 0xB2) in colours      # the chart's bar: the SVG was drawn


def test_prints_on_a4_pages(long_report, tmp_path):
    require_chromium()
    sizes = pdf_page_sizes(html_to_pdf(long_report, tmp_path / "long.pdf"))
    assert len(sizes) >= 2, "a 160-row table should need more than one page"
    assert all(is_a4(size) for size in sizes), sizes


def test_missing_html_and_missing_chromium(tmp_path, monkeypatch):
    require_chromium()
    with pytest.raises(NotFoundError, match="berkas HTML tidak ada"):
        html_to_png(tmp_path / "nope.html", tmp_path / "x.png")
    monkeypatch.setenv("PMPRB_CHROMIUM", str(tmp_path / "no-chromium"))
    assert find_chromium() is None
    (tmp_path / "a.html").write_text("<p>x</p>")
    with pytest.raises(NotFoundError, match="Chromium tidak ditemukan"):
        html_to_png(tmp_path / "a.html", tmp_path / "x.png")


@pytest.mark.usefixtures("english")
def test_png_size_rejects_other_files(tmp_path):
    (tmp_path / "x.png").write_bytes(b"GIF89a....")
    with pytest.raises(RenderError, match="not a PNG"):
        png_size(tmp_path / "x.png")


def test_a_bad_source_date_epoch_is_a_clear_refusal(monkeypatch):
    from pmprb.errors import ValidationError
    from pmprb.reports.environment import report_timestamp

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "kemarin")
    with pytest.raises(ValidationError, match="SOURCE_DATE_EPOCH harus berupa jumlah detik bulat sejak 1970, bukan 'kemarin'"):
        report_timestamp()
