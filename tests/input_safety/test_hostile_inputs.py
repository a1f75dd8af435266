"""Issue 15's hostile inputs, through the real commands: each ends in a named
error (exit 1, no traceback) in under 5 s and under 200 MB of RSS, measured
in a fresh process (see hostile_inputs.py; before this work the alias bomb
took 3.8 GB and 120 s, the deep JSON a RecursionError traceback, the 26 MB
worksheet 120 s and 1.1 GB, the 2 GiB XLSX entry more than 180 s)."""

from __future__ import annotations

import pytest

from hostile_inputs import CASES, RSS_LIMIT_MB, SECONDS_LIMIT, run_cases

EXPECTED = {
    "yaml_alias_bomb": ["bomb.yaml:", "alias YAML (*nama) mengembang menjadi lebih dari 10000 nilai tambahan",
                        "billion laughs"],
    "json_deep": ["deep.json: data JSON bersarang lebih dalam dari 64 tingkat"],
    "worksheet_26mb": ["big.yaml: berkas berukuran 26 MB, melebihi batas 20 MB", "PMPRB_MAX_INPUT_MB="],
    "xlsx_2gib_entry": ["bomb.xlsx: entri xl/worksheets/sheet1.xml mengembang menjadi 2048 MB, "
                        "melebihi batas 20 MB per entri", "PMPRB_MAX_INPUT_MB"],
    # the lie ends where the declared size does: the CRC of what was declared does not match
    "xlsx_size_lie": ["bomb.xlsx: entri xl/worksheets/sheet1.xml rusak: Bad CRC-32"],
    "xlsx_row_bomb": ["rows.xlsx: lembar 'Kertas Kerja' berisi baris setelah baris 100000", "PMPRB_MAX_INPUT_ROWS"],
    "csv_nul": ["nul.csv:3: berisi byte NUL (0x00) pada kolom 9: ini bukan berkas teks",
                "Simpan Sebagai → CSV UTF-8 (Comma delimited)"],
    "csv_cp1252": ["excel.csv:4: bukan teks UTF-8 (byte 0x93 pada kolom 12, dalam Windows-1252 berarti '“')",
                   "Simpan Sebagai → CSV UTF-8 (Comma delimited)"],
    "history_cp1252": ["riwayat.csv:2: bukan teks UTF-8 (byte 0x96 pada kolom 22, dalam Windows-1252 berarti '–')",
                       "Simpan Sebagai → CSV UTF-8 (Comma delimited)"],
    "jsonl_deep": ["log.jsonl:2: data JSON bersarang lebih dalam dari 64 tingkat"],
    "instrument_alias_bomb": ["02-ppu.yaml:5: alias YAML (*nama) mengembang"],
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    # One fresh process for all cases: its peak RSS only grows, so every case
    # is checked against the peak reached by the time it finished.
    return run_cases(CASES, tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_refused_by_name_quickly_and_small(results, case):
    r = results[case]
    assert "Traceback" not in r["stderr"], r["stderr"]
    assert r["exit"] == 1, r
    assert r["stderr"].startswith("Galat: ")
    for fragment in EXPECTED[case]:
        assert fragment in r["stderr"], r["stderr"]
    assert r["seconds"] < SECONDS_LIMIT, r
    assert r["peak_rss_mb"] < RSS_LIMIT_MB, r


def test_every_case_is_checked():
    assert set(EXPECTED) == set(CASES)
