"""Reading published tables: every row problem named by file, line and field."""

from decimal import Decimal

import pytest

from history_tables import CONSISTENT, HEADER
from pmprb import i18n
from pmprb.engine.history import GRADE, figures_from_records, layout, parse_csv, read_csv
from pmprb.errors import NotFoundError, ValidationError


def errors_of(text: str, source: str = "t.csv") -> list[str]:
    with pytest.raises(ValidationError) as exc:
        parse_csv(text, source)
    return exc.value.details


def test_consistent_table_parses_in_instrument_order():
    figures = parse_csv(CONSISTENT, "t.csv")
    assert len(figures) == 30
    assert [f.item for f in figures[:15]] == ["MP", "PPU", "ORG", "TL", "SDM", "AKT", "PWS", "PP", "PENGUNGKIT",
                                              "H.1", "H.2", "H.3", "HASIL", "INDEKS", "GRADE"]
    mp = figures[0]
    assert (mp.year, mp.weight, mp.value, mp.percent, mp.source) == (2016, Decimal(5), Decimal("3.45"),
                                                                     Decimal("69.00"), "t.csv:2")
    grade = figures[14]
    assert grade.item == GRADE and grade.grade == "B" and grade.value is None and grade.weight is None


def test_decimals_are_kept_as_written():
    f = parse_csv(HEADER + "2016,MP,5,3.40,68\n")[0]
    assert str(f.value) == "3.40" and str(f.percent) == "68"


def test_semicolons_decimal_commas_bom_and_case():
    text = "\ufeffYear;Item;Weight;Value;Percent\r\n2016;mp;5;3,45;69,00\r\n\r\n2016;grade;;bb;\r\n"
    figures = parse_csv(text)
    assert figures[0].item == "MP" and figures[0].value == Decimal("3.45") and figures[0].percent == Decimal("69.00")
    assert figures[1].grade == "BB"


def test_quoted_decimal_comma_in_a_comma_separated_file():
    assert parse_csv(HEADER + '2016,MP,5,"3,45",\n')[0].value == Decimal("3.45")


def test_weight_and_percent_may_be_empty():
    f = parse_csv(HEADER + "2016,INDEKS,,71.41,\n")[0]
    assert f.weight is None and f.percent is None and f.value == Decimal("71.41")


def test_extra_columns_are_ignored():
    f = parse_csv("year,item,weight,value,percent,note\n2016,MP,5,3.45,69,dari laporan\n")[0]
    assert f.value == Decimal("3.45")


def test_every_row_error_is_reported_with_line_and_field():
    text = HEADER + "\n".join([
        "2016,MP,5,3.45,69",        # 2 fine
        "2016,XX,5,1,20",           # 3 unknown item
        "16,PPU,5,1,20",            # 4 bad year
        "2016,ORG,6,abc,",          # 5 not a number
        "2016,TL,5,-1,",            # 6 negative
        "2016,SDM,0,1,",            # 7 zero weight
        "2016,MP,5,3.45,69",        # 8 duplicate
        "2016,GRADE,3,BB,",         # 9 grade with a weight
        "2016,AKT,6,,",             # 10 value missing
        "2016,INDEKS,100,1.2.3,",   # 11 not a number
        "2017,GRADE,,B B,",         # 12 not a grade
        "2017,PWS,12,1,2,3",        # 13 too many cells
        ",,,,",                     # blank rows are skipped
    ]) + "\n"
    i18n.set_lang("en")
    errors = errors_of(text)
    assert errors == [
        "t.csv:3: item: unknown item 'XX'; expected one of MP, PPU, ORG, TL, SDM, AKT, PWS, PP, PENGUNGKIT, "
        "H.1, H.2, H.3, HASIL, INDEKS, GRADE",
        "t.csv:4: year: '16' is not a year (1900–2100)",
        "t.csv:5: value: 'abc' is not a number (e.g. 3.45 or 3,45)",
        "t.csv:6: value: '-1' must not be negative",
        "t.csv:7: weight: the weight must be greater than 0",
        "t.csv:8: item: MP for 2016 already given on line 2",
        "t.csv:9: weight: a GRADE row carries no weight",
        "t.csv:10: value: is required",
        "t.csv:11: value: '1.2.3' is not a number (e.g. 3.45 or 3,45)",
        "t.csv:12: value: 'B B' is not a grade (letters, e.g. BB)",
        "t.csv:13: this row has 6 cells but the header only 5 columns",
    ]


def test_errors_are_in_indonesian_by_default():
    with pytest.raises(ValidationError, match=r"t.csv: tabel tidak valid \(1 kesalahan\)") as exc:
        parse_csv(HEADER + "2016,MP,5,x,\n", "t.csv")
    assert exc.value.details == ["t.csv:2: value: 'x' bukan angka (contoh: 3.45 atau 3,45)"]


def test_header_problems():
    assert errors_of("year,item,value\n2016,MP,1\n") == [
        "t.csv:1: header: kolom tidak ada: `weight`, `percent` (judul yang diharapkan: `year,item,weight,value,percent`)"]
    assert errors_of("year,item,weight,value,percent,value\n")[0] == "t.csv:1: header: kolom 'value' muncul dua kali"
    with pytest.raises(ValidationError, match="berkas kosong"):
        parse_csv("\n  \n", "t.csv")


def test_read_csv_names_the_file(tmp_path):
    with pytest.raises(NotFoundError, match="tidak-ada.csv: berkas tidak ada"):
        read_csv(tmp_path / "tidak-ada.csv")
    path = tmp_path / "riwayat.csv"
    path.write_text(HEADER + "2016,MP,5,x,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        read_csv(path)
    assert exc.value.details[0].startswith("riwayat.csv:2: value:")
    path.write_bytes(b"year,item\n\xff\xfe")
    with pytest.raises(ValidationError, match="UTF-8"):
        read_csv(path)


def test_items_come_from_the_instrument():
    lay = layout("pmprb-2014")
    assert lay.areas == ("MP", "PPU", "ORG", "TL", "SDM", "AKT", "PWS", "PP")
    assert lay.hasil == ("H.1", "H.2", "H.3")
    assert lay.weights["SDM"] == 15 and lay.weights["H.1"] == 20
    assert (lay.weights["PENGUNGKIT"], lay.weights["HASIL"], lay.weights["INDEKS"]) == (60, 40, 100)
    assert lay.name("MP", "en") == "Change Management" and lay.name("MP", "id") == "Manajemen Perubahan"


def test_records_from_the_store_are_validated_the_same_way():
    figures = figures_from_records([{"year": "2016", "item": "MP", "weight": "5", "value": "3.40", "percent": None,
                                     "line": 7}], "store")
    assert str(figures[0].value) == "3.40" and figures[0].source == "store:7"
    with pytest.raises(ValidationError) as exc:
        figures_from_records([{"year": "2016", "item": "ZZ", "weight": None, "value": "1", "percent": None,
                               "line": 3}], "Kota X/t.csv")
    assert exc.value.details[0].startswith("Kota X/t.csv:3: item:")
