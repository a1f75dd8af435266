"""The bounded readers of pmprb.engine.safe_input, one limit at a time."""

from __future__ import annotations

import json

import pytest

from pmprb import i18n
from pmprb.engine import safe_input
from pmprb.engine.safe_input import InputRefused, Limits, csv_rows, decode, jsonl_lines, load_json, read_bytes
from pmprb.errors import ValidationError

EXCEL_ID = "Simpan Sebagai → CSV UTF-8 (Comma delimited)"
EXCEL_EN = "Save As → CSV UTF-8 (Comma delimited)"


# -- limits -------------------------------------------------------------------


def test_limits_come_from_the_environment(monkeypatch):
    assert safe_input.limits() == Limits()
    assert Limits().max_bytes == 20 * 2**20 and Limits().max_unpacked == 100 * 2**20
    monkeypatch.setenv("PMPRB_MAX_INPUT_MB", "2.5")
    monkeypatch.setenv("PMPRB_MAX_INPUT_ROWS", "7")
    monkeypatch.setenv("PMPRB_MAX_LOG_LINES", "9")
    lim = safe_input.limits()
    assert (lim.max_bytes, lim.max_rows, lim.max_log_lines, lim.max_mb) == (int(2.5 * 2**20), 7, 9, "2.5")


@pytest.mark.parametrize("var,value", [("PMPRB_MAX_INPUT_MB", "dua puluh"), ("PMPRB_MAX_INPUT_MB", "0"),
                                       ("PMPRB_MAX_INPUT_MB", "nan"), ("PMPRB_MAX_INPUT_ROWS", "1.5"),
                                       ("PMPRB_MAX_LOG_LINES", "-3")])
def test_a_bad_limit_in_the_environment_is_named(monkeypatch, var, value):
    monkeypatch.setenv(var, value)
    with pytest.raises(ValidationError, match=f"^{var} harus berupa angka positif, bukan '{value}'$"):
        safe_input.limits()


# -- size ---------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    p = tmp_path / "w.yaml"
    p.write_bytes(b"x" * 3 * 2**20)
    assert read_bytes(p) == b"x" * 3 * 2**20
    monkeypatch.setenv("PMPRB_MAX_INPUT_MB", "2")
    with pytest.raises(InputRefused) as exc:
        read_bytes(p)
    assert exc.value.reason == "size"
    assert str(exc.value) == (f"{p}: berkas berukuran 3 MB, melebihi batas 2 MB; bila berkas ini memang sebesar itu, "
                              "naikkan batasnya dengan variabel lingkungan PMPRB_MAX_INPUT_MB (mis. PMPRB_MAX_INPUT_MB=4)")
    i18n.set_lang("en")
    with pytest.raises(InputRefused, match=r"the file is 3 MB, over the limit of 2 MB; .* PMPRB_MAX_INPUT_MB=4\)$"):
        read_bytes(p)


def test_a_stream_that_does_not_end_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setenv("PMPRB_MAX_INPUT_MB", "0.01")
    with pytest.raises(InputRefused, match="/dev/zero: lebih dari 0.01 MB terbaca") as exc:
        read_bytes("/dev/zero")  # the file system says 0 bytes; reading says otherwise
    assert exc.value.reason == "size"


def test_os_errors_are_left_to_the_caller(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_bytes(tmp_path / "tidak-ada.csv")
    with pytest.raises(IsADirectoryError):
        read_bytes(tmp_path)


# -- text ---------------------------------------------------------------------


def test_utf8_with_or_without_bom_and_utf16_with_bom_are_text():
    assert decode("a,é\n".encode("utf-8-sig"), "f") == "a,é\n"
    assert decode("a,é\n".encode(), "f") == "a,é\n"
    assert decode("a,é\n".encode("utf-16"), "f") == "a,é\n"            # BOM + native order
    assert decode(b"\xfe\xff" + "a,é\n".encode("utf-16-be"), "f") == "a,é\n"


def test_bytes_that_are_not_utf8_name_line_column_and_byte():
    data = "kriteria,jawaban\nMP.1.a,A\nMP.2.a,catatan \u201cSK\u201d\n".encode("cp1252")
    with pytest.raises(InputRefused) as exc:
        decode(data, "f.yaml")
    assert exc.value.reason == "encoding"
    assert str(exc.value) == "f.yaml:3: bukan teks UTF-8 (byte 0x93 pada kolom 16); simpan berkas sebagai UTF-8"
    # A CSV names what Excel wrote and the command that writes UTF-8 instead.
    with pytest.raises(InputRefused) as exc:
        decode(data, "f.csv", csv_hint=True)
    assert str(exc.value) == ("f.csv:3: bukan teks UTF-8 (byte 0x93 pada kolom 16, dalam Windows-1252 berarti '“'); "
                              "CSV dari Excel biasa disimpan dalam Windows-1252: simpan ulang di Excel dengan " + EXCEL_ID)
    i18n.set_lang("en")
    with pytest.raises(InputRefused) as exc:
        decode(data, "f.csv", csv_hint=True)
    assert str(exc.value) == ("f.csv:3: not UTF-8 text (byte 0x93 at column 16, '“' in Windows-1252); Excel's plain CSV "
                              "is Windows-1252: save it again in Excel with " + EXCEL_EN)


def test_a_byte_windows_1252_does_not_define_is_named_without_a_guess():
    with pytest.raises(InputRefused) as exc:
        decode(b"ab\n\xe2\x28", "f.csv", csv_hint=True)  # a broken UTF-8 sequence; 0xE2 is 'â' in Windows-1252
    assert str(exc.value).startswith("f.csv:2: bukan teks UTF-8 (byte 0xE2 pada kolom 1, dalam Windows-1252 berarti 'â')")
    with pytest.raises(InputRefused, match=r"^f.csv:1: bukan teks UTF-8 \(byte 0x81 pada kolom 3\); CSV"):
        decode(b"ab\x81", "f.csv", csv_hint=True)


def test_nul_bytes_name_their_line():
    with pytest.raises(InputRefused) as exc:
        decode(b"a,b\nc,d\x00e\n", "f.csv", csv_hint=True)
    assert exc.value.reason == "nul"
    assert str(exc.value) == ("f.csv:2: berisi byte NUL (0x00) pada kolom 4: ini bukan berkas teks (mungkin UTF-16 "
                              "tanpa BOM atau berkas biner); di Excel pilih " + EXCEL_ID)
    with pytest.raises(InputRefused, match=r"^f.yaml:1: berisi byte NUL \(0x00\) pada kolom 2: ini bukan berkas teks$"):
        decode("a: b".encode("utf-16-le"), "f.yaml")   # UTF-16 without a BOM
    with pytest.raises(InputRefused, match="diawali tanda UTF-16"):
        decode(b"\xff\xfe\x00\xd8", "f.csv")            # a lone surrogate


# -- JSON ---------------------------------------------------------------------


def test_json_nested_100000_deep_is_a_named_error_not_a_recursion_error():
    with pytest.raises(InputRefused) as exc:
        load_json("[" * 100_000, "deep.json")
    assert exc.value.reason == "depth"
    assert str(exc.value) == ("deep.json: data JSON bersarang lebih dalam dari 64 tingkat (batas tetap; berkas pmprb "
                              "tidak pernah sedalam itu)")
    assert load_json("[" * 64 + "]" * 64, "f")
    with pytest.raises(InputRefused, match="lebih dalam dari 64"):
        load_json("[" * 65 + "]" * 65, "f")             # parses, but deeper than the limit
    with pytest.raises(InputRefused, match="lebih dalam dari 64"):
        load_json('{"a":' * 500 + "1" + "}" * 500, "f")


def test_json_values_numbers_and_syntax():
    with pytest.raises(InputRefused, match=r"^f:7: data JSON berisi lebih dari 100000 nilai") as exc:
        load_json("[" + ",".join(["[]"] * 100_001) + "]", "f:7")
    assert exc.value.reason == "nodes"
    with pytest.raises(InputRefused, match="lebih dari 100000 nilai"):
        load_json("[" + ",".join(["0"] * 100_001) + "]", "f")
    for text, shown in (("NaN", "NaN"), ("[-Infinity]", "-Infinity"), ('{"a": 1e400}', "1e400")):
        with pytest.raises(InputRefused, match=f"^f: {shown} bukan angka yang sah") as exc:
            load_json(text, "f")
        assert exc.value.reason == "number"
    with pytest.raises(InputRefused, match=r"^f: angka terlalu panjang \(Exceeds the limit \(4300 digits\).*5000 digits\)$"):
        load_json("1" * 5000, "f")
    with pytest.raises(json.JSONDecodeError) as err:   # syntax errors stay locatable by the caller
        load_json('{\n"a": [1,\n}', "f")
    assert err.value.lineno == 3
    pairs = []
    assert load_json('{"a": 1, "a": 2}', "f", object_pairs_hook=lambda kv: pairs.extend(kv) or dict(kv)) == {"a": 2}
    assert pairs == [("a", 1), ("a", 2)]
    assert load_json('{"a": [1, 2.5, "x", null, true]}', "f") == {"a": [1, 2.5, "x", None, True]}


# -- CSV ----------------------------------------------------------------------


def test_csv_rows_carry_the_physical_line_they_end_on():
    text = 'criterion,note\nMP.1.a,"dua\nbaris"\n\nMP.2.a,x\n'
    assert list(csv_rows(text, "f.csv")) == [(1, ["criterion", "note"]), (3, ["MP.1.a", "dua\nbaris"]), (4, []),
                                             (5, ["MP.2.a", "x"])]
    assert list(csv_rows("a;b\r\n1;2\r\n", "f.csv", delimiter=";")) == [(1, ["a", "b"]), (2, ["1", "2"])]


def test_an_unclosed_quote_is_named_with_the_line_it_starts_on():
    text = 'criterion,note\nMP.1.a,ok\nMP.2.a,"tidak ditutup\n' + ("x" * 100 + "\n") * 2000
    with pytest.raises(InputRefused) as exc:
        list(csv_rows(text, "f.csv"))
    assert exc.value.reason == "csv"
    assert str(exc.value).startswith("f.csv:")
    assert "sel yang dimulai di baris 3 lebih panjang dari 131072 karakter; kemungkinan ada tanda kutip" in str(exc.value)


def test_csv_line_rows_and_columns_are_bounded(monkeypatch):
    with pytest.raises(InputRefused, match=r"^f.csv:2: baris lebih panjang dari 1048576 karakter") as exc:
        list(csv_rows("a\n" + "," * 2**20 + "\n", "f.csv"))
    assert exc.value.reason == "line"
    with pytest.raises(InputRefused, match=r"^f.csv:1: lebih dari 100 kolom \(batas tetap\)$"):
        list(csv_rows("," * 100 + "\n", "f.csv"))
    assert len(list(csv_rows("," * 99 + "\n", "f.csv"))[0][1]) == 100
    monkeypatch.setenv("PMPRB_MAX_INPUT_ROWS", "3")
    assert len(list(csv_rows("a\nb\nc\n", "f.csv"))) == 3
    with pytest.raises(InputRefused) as exc:
        list(csv_rows("a\nb\nc\nd\n", "f.csv"))
    assert exc.value.reason == "rows"
    assert str(exc.value) == ("f.csv:4: lebih dari 3 baris; bila berkas ini memang sebesar itu, naikkan batasnya "
                              "dengan variabel lingkungan PMPRB_MAX_INPUT_ROWS")


# -- JSON Lines ---------------------------------------------------------------


def test_jsonl_lines_are_bounded_in_length_count_and_encoding(tmp_path, monkeypatch):
    p = tmp_path / "log.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"a": 1}\n\n{"b": 2}')
    assert list(jsonl_lines(p)) == [(1, '{"a": 1}\n'), (2, "\n"), (3, '{"b": 2}')]
    p.write_bytes(b"{}\n{}\n" + b'"\xe9"\n')
    with pytest.raises(InputRefused, match=r"^.*log.jsonl:3: bukan teks UTF-8 \(byte 0xE9 pada kolom 2\)") as exc:
        list(jsonl_lines(p))
    assert exc.value.reason == "encoding"
    monkeypatch.setenv("PMPRB_MAX_LOG_LINES", "2")
    with pytest.raises(InputRefused, match="log.jsonl:3: lebih dari 2 baris; .*PMPRB_MAX_LOG_LINES") as exc:
        list(jsonl_lines(p))
    assert exc.value.reason == "lines"
    monkeypatch.delenv("PMPRB_MAX_LOG_LINES")
    monkeypatch.setenv("PMPRB_MAX_INPUT_MB", "0.01")
    p.write_bytes(b"{}\n" + b"[" + b"0," * 10_000 + b"0]\n")
    with pytest.raises(InputRefused, match=r"log.jsonl:2: baris lebih panjang dari 0.01 MB; .*PMPRB_MAX_INPUT_MB") as exc:
        list(jsonl_lines(p))
    assert exc.value.reason == "line"
    with pytest.raises(FileNotFoundError):   # at the call, not at the first line
        jsonl_lines(tmp_path / "tidak-ada.jsonl")
