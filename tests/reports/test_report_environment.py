"""The shared jinja2 environment and base layout."""

import re
from datetime import datetime, timezone

import jinja2
import pytest

from pmprb.errors import ValidationError

from pmprb import i18n
from pmprb.reports import BASE_TEMPLATE, Bar, bar_chart, environment, render, report_timestamp, write_report
from pmprb.reports.environment import format_date

WHEN = datetime(2026, 5, 31, 9, 30, tzinfo=timezone.utc)

PAGE = """{% extends "reports/base.html.j2" %}
{% import "reports/_macros.html.j2" as m %}
{% block content %}
<h2>{{ t('report.year') }}</h2>
{{ m.data_table(columns, rows, caption=caption, total=total) }}
{{ m.key_values([["A", note]]) }}
{{ m.figure(chart, caption="Grafik") }}
{{ m.signatures(signers, place="Madiun", on=day) }}
{% endblock %}"""


def page_context(**extra):
    ctx = dict(
        title="Laporan <uji>", institution="Kota Madiun", subtitle="PMPRB 2025",
        meta=[["Instrumen", "pmprb-2014"]],
        columns=[{"key": "item", "label": "Item"}, {"key": "value", "label": "Nilai", "num": True},
                 {"key": "pct", "label": "%", "num": True, "places": 1}],
        rows=[{"item": "MP & co", "value": 3.456, "pct": 69.12}, {"item": "PPU", "value": None, "pct": None}],
        total={"item": "Jumlah", "value": 3.456, "pct": 69.12}, caption="Tabel 1", note="<b>tebal</b>",
        chart=bar_chart([Bar("MP", 3.45, 5)], title="Area"), day=WHEN.date(),
        signers=[{"role": "Ketua Tim", "name": "Budi", "nip": "1970"}, {"role": "Anggota", "name": "Sari"}],
    )
    ctx.update(extra)
    return ctx


def render_page(lang="id", **extra):
    return environment(lang).from_string(PAGE).render(generated_at=WHEN, **page_context(**extra))


def test_base_layout_is_one_self_contained_file_that_prints_on_a4():
    html = render_page()
    assert html.startswith("<!DOCTYPE html>")
    # nothing fetched from elsewhere: no scripts, stylesheets, images, fonts or URLs
    assert not re.search(r"<(script|link|img|iframe|object)\b", html)
    assert not re.search(r"""(src|href)\s*=|url\(|@import|https?://""", html.replace('xmlns="http://www.w3.org/2000/svg"', ""))
    assert "size: A4" in html
    assert "thead { display: table-header-group; }" in html            # headers repeat on every page
    assert "break-inside: avoid" in html and "break-before: page" in html
    assert '<html lang="id">' in html


def test_layout_fills_header_table_chart_signatures_and_footer():
    html = render_page()
    assert "<title>Laporan &lt;uji&gt; — Kota Madiun</title>" in html
    assert "<h1>Laporan &lt;uji&gt;</h1>" in html
    assert "<dt>Instansi</dt><dd>Kota Madiun</dd>" in html
    assert '<td class="num">3,46</td>' in html and '<td class="num">69,1</td>' in html
    assert '<td class="num">–</td>' in html                             # missing figure
    assert "MP &amp; co" in html and "&lt;b&gt;tebal&lt;/b&gt;" in html  # autoescaped
    assert '<tr class="total">' in html
    assert "<svg" in html and "3,45 / 5,00 (69,00%)" in html            # chart inserted unescaped
    assert "Madiun, 31 Mei 2026" in html and "NIP 1970" in html
    assert "Dibuat 31 Mei 2026 16.30 WIB oleh pmprb" in html  # the institution's zone (default WIB)


def test_english():
    html = render_page("en")
    assert '<html lang="en">' in html
    assert "<dt>Institution</dt>" in html and '<td class="num">3.46</td>' in html
    assert "Madiun, 31 May 2026" in html and "Generated 31 May 2026 16:30 WIB by pmprb" in html
    assert 'content: "Page " counter(page) " of " counter(pages)' in html


def test_missing_context_value_is_an_error_not_a_blank():
    with pytest.raises(jinja2.UndefinedError, match="caption"):
        environment("id").from_string(PAGE).render(generated_at=WHEN, **{
            k: v for k, v in page_context().items() if k != "caption"})
    with pytest.raises(jinja2.UndefinedError):
        environment("id").from_string(PAGE).render(**page_context(rows=[{"item": "MP"}]))


def test_optional_header_fields_may_be_left_out():
    html = environment("en").from_string('{% extends "reports/base.html.j2" %}{% block content %}x{% endblock %}').render(
        title="Only a title", generated_at=WHEN)
    assert "<h1>Only a title</h1>" in html and "<dl" not in html


def test_autoescape_by_template_kind():
    env = environment("id")
    assert env.autoescape("reports/x.html.j2") and env.autoescape("reports/x.svg")
    assert not env.autoescape("reports/x.md.j2")


def test_render_uses_packaged_templates_and_the_current_language(monkeypatch):
    i18n.set_lang("en")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    html = render(BASE_TEMPLATE, {"title": "T"})
    assert '<html lang="en">' in html and "Generated 29 May 2026 03:26 WIB" in html  # 1780000000 s = 28 May 20:26 UTC
    assert html == render(BASE_TEMPLATE, {"title": "T"})   # reproducible
    assert "Dibuat 29 Mei 2026 03.26 WIB" in render(BASE_TEMPLATE, {"title": "T"}, lang="id")
    assert "31 May 2026" in render(BASE_TEMPLATE, {"title": "T"}, generated_at=WHEN)


def test_unknown_language_and_bad_epoch(monkeypatch):
    with pytest.raises(ValueError, match="unknown language"):
        environment("fr")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValidationError, match="SOURCE_DATE_EPOCH.*'yesterday'"):
        report_timestamp()


def test_format_date():
    # times in the institution's zone (default Asia/Jakarta, WIB); Indonesian writes 16.30
    assert format_date(WHEN, "id", with_time=True) == "31 Mei 2026 16.30 WIB"
    assert format_date(WHEN, "en", with_time=True, zone="Asia/Makassar") == "31 May 2026 17:30 WITA"
    assert format_date(WHEN.date(), "en") == "31 May 2026"
    assert format_date(None, "en") == "–"


def test_write_report_replaces_the_file_whole(tmp_path):
    target = tmp_path / "out" / "r.html"
    write_report(target, "first")
    write_report(target, "second ü")
    assert target.read_text(encoding="utf-8") == "second ü"
    assert [p.name for p in target.parent.iterdir()] == ["r.html"]
