"""Dates typed as DD-MM-YYYY or YYYY-MM-DD everywhere, shown as `20 Mei 2024`,
times in the institution's zone (issue 14: "Dates only as YYYY-MM-DD;
timestamps as UTC ISO, not in the institution's time zone")."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner

from pmprb import dates
from pmprb.cli import main


@pytest.mark.parametrize("text", ["20-05-2024", "20/05/2024", "20.5.2024", "2024-05-20", "2024/5/20", " 20-5-2024 "])
def test_both_orders_are_read(text):
    assert dates.parse_date(text) == date(2024, 5, 20)


@pytest.mark.parametrize("text", ["31-02-2024", "2024-13-01", "20-05-24", "Mei 2024", "", "05-2024-20"])
def test_a_bad_date_says_both_accepted_forms(text):
    with pytest.raises(ValueError, match="HH-BB-TTTT atau TTTT-BB-HH"):
        dates.parse_date(text)


def test_dates_are_shown_in_words():
    assert dates.format_date(date(2024, 5, 20), "id") == "20 Mei 2024"
    assert dates.format_date(date(2024, 5, 20), "en") == "20 May 2024"


@pytest.mark.parametrize("zone,shown", [("WIB", "20 Mei 2024 14.05 WIB"), ("WITA", "20 Mei 2024 15.05 WITA"),
                                        ("WIT", "20 Mei 2024 16.05 WIT")])
def test_times_are_shown_in_the_zone(zone, shown):
    utc = datetime(2024, 5, 20, 7, 5, tzinfo=timezone.utc)
    assert dates.format_datetime(utc, "id", zone=dates.resolve_zone(zone)) == shown


def test_a_stored_naive_timestamp_is_utc():
    assert dates.format_datetime(datetime(2024, 5, 20, 7, 5), "en", zone="Asia/Jakarta") == "20 May 2024 14:05 WIB"


def test_an_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="WIB, WITA, WIT"):
        dates.resolve_zone("Mars/Olympus")


def test_reports_use_the_same_formatting():
    from pmprb.reports.environment import format_date

    assert format_date(date(2024, 5, 20), "id") == "20 Mei 2024"


def test_init_records_the_zone_and_options_take_day_first_dates(tmp_path):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    run = CliRunner().invoke
    r = run(main, ["--db", url, "init", "--institution-code", "kota-x", "--institution", "Kota X", "--admin", "admin",
                   "--admin-name", "Admin", "--timezone", "WITA", "--json"])
    assert r.exit_code == 0, r.output
    assert '"timezone": "Asia/Makassar"' in r.output
    r = run(main, ["--db", url, "--as", "admin", "round", "create", "--year", "2024", "--deadline", "31-05-2024"])
    assert r.exit_code == 0, r.output
    r = run(main, ["--db", url, "round", "list", "--json"])
    assert '"deadline": "2024-05-31"' in r.output
    r = run(main, ["--db", url, "--as", "admin", "round", "create", "--year", "2025", "--deadline", "31-13-2025"])
    assert r.exit_code == 2
    assert "HH-BB-TTTT atau TTTT-BB-HH" in r.output


def test_init_refuses_an_unknown_zone(tmp_path):
    r = CliRunner().invoke(main, ["--db", f"sqlite:///{tmp_path / 'z.db'}", "init", "--institution-code", "k",
                                  "--institution", "K", "--admin", "a", "--admin-name", "A", "--timezone", "Mars"])
    assert r.exit_code == 1
    assert "zona waktu tidak dikenal 'Mars'" in r.output


def test_iso_text_from_the_store_is_shown_in_words():
    assert dates.show_iso("2024-05-20", "id") == "20 Mei 2024"
    assert dates.show_iso("2024-05-20T07:05:00+00:00", "id") == "20 Mei 2024 14.05 WIB"
    assert dates.show_iso(None) == "–" and dates.show_iso("kemarin") == "kemarin"
