"""Figures for people (language-specific) and for machines (always a dot)."""

from decimal import Decimal

import pytest

from pmprb import i18n
from pmprb.numbers import MISSING, format_number, format_percent, machine_number, round_half_up


@pytest.mark.parametrize("value, lang, expected", [
    (71.41, "id", "71,41"),
    (71.41, "en", "71.41"),
    (1234567.125, "id", "1.234.567,13"),
    (1234567.125, "en", "1,234,567.13"),
    (0.285, "id", "0,29"),          # binary 0.28499999... must still round half up
    (2.675, "en", "2.68"),
    (-0.001, "en", "0.00"),         # no "-0.00"
    (-12.5, "id", "-12,50"),
    (Decimal("40.4543"), "id", "40,45"),
    ("3.117", "en", "3.12"),
    (7, "id", "7,00"),
])
def test_format_number(value, lang, expected):
    assert format_number(value, 2, lang) == expected


def test_places_and_grouping():
    assert format_number(40.4543, 4, "id") == "40,4543"
    assert format_number(1500, 0, "id") == "1.500"
    assert format_number(1500, 0, "id", grouping=False) == "1500"


def test_missing_values_show_a_dash():
    assert format_number(None, 2, "id") == MISSING
    assert format_number(float("nan"), 2, "en") == MISSING
    assert format_percent(None, 2, "id") == MISSING


def test_percent():
    assert format_percent(69, 2, "id") == "69,00%"
    assert format_percent(69, 2, "en") == "69.00%"


def test_machine_numbers_ignore_the_language():
    i18n.set_lang("id")
    assert machine_number(71.405) == "71.41"
    assert machine_number(1234.5, 1) == "1234.5"
    assert machine_number(None) == ""


def test_default_language_follows_i18n():
    i18n.set_lang("en")
    assert format_number(3.5) == "3.50"
    i18n.set_lang("id")
    assert format_number(3.5) == "3,50"


def test_rejects_non_numbers():
    with pytest.raises(TypeError, match="not a number"):
        format_number("abc")
    with pytest.raises(TypeError):
        format_number(True)
    assert round_half_up("1.005", 2) == Decimal("1.01")
