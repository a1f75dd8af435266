"""XLSX checked before openpyxl reads it, and read bounded: pmprb.safe_xlsx."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from pmprb import i18n
from pmprb import safe_xlsx
from pmprb.engine.safe_input import InputRefused

from safety_support import build_zip, xlsx_parts, xlsx_seed, xlsx_with, zero_deflate

GIB = 1 << 30
SHEET = "xl/worksheets/sheet1.xml"


def _write(tmp_path, data: bytes, name: str = "w.xlsx"):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _read(path):
    wb = safe_xlsx.open_workbook(path)
    try:
        return {ws.title: safe_xlsx.sheet_values(ws, name=str(path)) for ws in wb.worksheets}
    finally:
        wb.close()


def test_a_valid_workbook_reads_as_rows_of_values(tmp_path):
    p = _write(tmp_path, xlsx_seed([["kriteria", "jawaban", "catatan"], ["MP.1.a", "A", "SK ada"], [None, None, None],
                                    ["SDM.4.c", 2, None], [None, None, None]]))
    assert _read(p) == {"Kertas Kerja": [(1, ["kriteria", "jawaban", "catatan"]), (2, ["MP.1.a", "A", "SK ada"]),
                                         (3, []), (4, ["SDM.4.c", 2])],
                        "Info": [(1, ["format", "pmprb-assess/1"])]}


def test_formulas_and_error_values_are_refused_with_their_cell_reference(tmp_path):
    from openpyxl import Workbook
    from openpyxl.worksheet.formula import ArrayFormula

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["kriteria", "jawaban", "catatan"])
    for _ in range(5):
        ws.append(["MP.1.a", "A", "ok"])
    ws["C7"] = "=1+1"
    ws["B3"] = "#DIV/0!"
    ws["B4"] = ArrayFormula("B4:B4", "=SUM(A1:A2)")
    ws["C5"] = "=" + "A1+" * 40 + "1"
    text = ws["C6"]
    text.value = "=teks yang memang teks"
    text.data_type = "s"            # a string cell starting with '=' is text, not a formula
    p = tmp_path / "f.xlsx"
    wb.save(p)
    with pytest.raises(InputRefused) as exc:
        _read(p)
    assert exc.value.reason == "cells"
    assert str(exc.value.message) == f"{p}: 4 sel berisi rumus atau nilai galat"
    assert exc.value.details == [
        "Sheet1!B3: nilai galat #DIV/0! tidak diterima; perbaiki sel itu",
        "Sheet1!B4: rumus '=SUM(A1:A2)' tidak diterima; isikan nilainya",
        "Sheet1!C5: rumus '=A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1+A1…' tidak diterima; isikan nilainya",
        "Sheet1!C7: rumus '=1+1' tidak diterima; isikan nilainya",
    ]
    i18n.set_lang("en")
    with pytest.raises(InputRefused) as exc:
        _read(p)
    assert exc.value.details[3] == "Sheet1!C7: formula '=1+1' is not accepted; enter its value"


def test_sheet_names_are_quoted_as_excel_quotes_them():
    assert safe_xlsx.sheet_ref("Sheet1") == "Sheet1"
    assert safe_xlsx.sheet_ref("Kertas Kerja") == "'Kertas Kerja'"
    assert safe_xlsx.sheet_ref("Andi's") == "'Andi''s'"


def test_rows_and_columns_are_bounded_whatever_the_dimension_claims(tmp_path, monkeypatch):
    seed = xlsx_seed()
    sheet = dict(xlsx_parts(seed))[SHEET]
    grid = sheet.replace(b'<dimension ref="A1:C4"', b'<dimension ref="A1:XFD1048576"')
    assert grid != sheet
    p = _write(tmp_path, xlsx_with(seed, {SHEET: grid}))
    assert len(_read(p)["Kertas Kerja"]) == 4       # the claim pads nothing
    far = grid.replace(b"</sheetData>", b'<row r="999999999999"><c r="A999999999999" t="inlineStr"><is><t>x</t>'
                                        b"</is></c></row></sheetData>")
    p = _write(tmp_path, xlsx_with(seed, {SHEET: far}))
    started = time.perf_counter()
    with pytest.raises(InputRefused) as exc:
        _read(p)
    assert time.perf_counter() - started < 5
    assert exc.value.reason == "rows"
    assert str(exc.value) == (f"{p}: lembar 'Kertas Kerja' berisi baris setelah baris 100000; hapus baris-baris kosong "
                              "di bawah data, atau bila datanya memang sebanyak itu, naikkan batasnya dengan variabel "
                              "lingkungan PMPRB_MAX_INPUT_ROWS")
    wide = sheet.replace(b"</row></sheetData>", b'<c r="CW4" t="n"><v>1</v></c></row></sheetData>')  # column 101
    p = _write(tmp_path, xlsx_with(seed, {SHEET: wide}))
    with pytest.raises(InputRefused, match=r"'Kertas Kerja'!CW4: data setelah kolom 100 \(batas tetap\)$"):
        _read(p)
    monkeypatch.setenv("PMPRB_MAX_INPUT_ROWS", "4")
    assert len(_read(_write(tmp_path, seed))["Kertas Kerja"]) == 4
    monkeypatch.setenv("PMPRB_MAX_INPUT_ROWS", "3")
    with pytest.raises(InputRefused, match="berisi baris setelah baris 3"):
        _read(_write(tmp_path, seed))


def test_an_entry_that_unpacks_to_2_gib_is_refused_from_its_declared_size(tmp_path):
    parts = xlsx_parts(xlsx_seed())
    entries = [{"name": n, "data": d} if n != SHEET else
               {"name": n, "raw": zero_deflate(2 * GIB), "crc": 0, "size": 2 * GIB} for n, d in parts]
    p = _write(tmp_path, build_zip(entries))
    assert p.stat().st_size < 3 * 2**20
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputRefused) as exc:
            safe_xlsx.open_workbook(p)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5 and peak < 50 * 2**20
    assert exc.value.reason == "size"
    assert str(exc.value) == (f"{p}: entri {SHEET} mengembang menjadi 2048 MB, melebihi batas 20 MB per entri; naikkan "
                              "batasnya dengan PMPRB_MAX_INPUT_MB bila berkas ini sah")


@pytest.mark.parametrize("prefix_crc", [False, True])
def test_an_entry_whose_declared_size_lies_is_read_only_as_far_as_declared(tmp_path, prefix_crc):
    import zlib

    parts = xlsx_parts(xlsx_seed())
    crc = zlib.crc32(bytes(1024)) if prefix_crc else 0   # a CRC that matches what the entry declares, or none
    entries = [{"name": n, "data": d} if n != SHEET else
               {"name": n, "raw": zero_deflate(2 * GIB), "crc": crc, "size": 2 * GIB, "declared": 1024}
               for n, d in parts]
    p = _write(tmp_path, build_zip(entries))
    started = time.perf_counter()
    with pytest.raises(InputRefused) as exc:
        _read(p)
    assert time.perf_counter() - started < 5
    if prefix_crc:   # the archive holds 1 KiB of zeros there, which is not a sheet
        assert str(exc.value).startswith(f"{p}: XLSX tidak dapat dibaca:")
    else:
        assert str(exc.value) == f"{p}: entri {SHEET} rusak: Bad CRC-32 for file '{SHEET}'"


def test_archive_shape_is_checked(tmp_path, monkeypatch):
    p = _write(tmp_path, b"kriteria,jawaban\nMP.1.a,A\n", "csv-renamed.xlsx")
    with pytest.raises(InputRefused, match=r"csv-renamed.xlsx: bukan berkas XLSX \(arsip zip\) yang sah: File is not"):
        safe_xlsx.open_workbook(p)
    many = build_zip([{"name": f"x/{i}.xml", "data": b"<a/>"} for i in range(1001)])
    with pytest.raises(InputRefused, match="arsip berisi 1001 entri, melebihi batas 1000"):
        safe_xlsx.open_workbook(_write(tmp_path, many))
    seed = xlsx_seed()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in xlsx_parts(seed):
            zf.writestr(name, data, compress_type=zipfile.ZIP_BZIP2 if name == SHEET else zipfile.ZIP_DEFLATED)
    with pytest.raises(InputRefused, match=f"entri {SHEET} memakai metode kompresi 12"):
        safe_xlsx.open_workbook(_write(tmp_path, buf.getvalue()))
    damaged = bytearray(seed)
    at = damaged.find(b"PK\x01\x02")      # the central directory's first entry: set its 'encrypted' flag
    damaged[at + 8] |= 1
    with pytest.raises(InputRefused, match="terenkripsi; simpan berkas tanpa kata sandi"):
        safe_xlsx.open_workbook(_write(tmp_path, bytes(damaged)))
    monkeypatch.setenv("PMPRB_MAX_INPUT_MB", "0.5")   # each entry under 0.5 MB, all of them over 2.5 MB
    big = build_zip([{"name": f"xl/media/{i}.bin", "data": bytes(400_000)} for i in range(7)])
    with pytest.raises(InputRefused, match=r"isi arsip mengembang menjadi 2.67 MB, melebihi batas 2.5 MB \(5 × PMPRB_MAX"):
        safe_xlsx.open_workbook(_write(tmp_path, big))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_that_declares_a_dtd_or_entities_is_refused(tmp_path, encoding):
    seed = xlsx_seed()
    sheet = dict(xlsx_parts(seed))[SHEET].decode()
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    sheet = f'<?xml version="1.0" encoding="{encoding.upper()}"?>' + lol + sheet.replace("MP.1.a", "&lol2;")
    p = _write(tmp_path, xlsx_with(seed, {SHEET: sheet.encode(encoding)}))
    with pytest.raises(InputRefused, match=f"entri {SHEET} memuat deklarasi DTD/ENTITY XML"):
        safe_xlsx.open_workbook(p)


def test_a_declared_zip64_entry_count_is_bounded_before_zipfile_reads_it(tmp_path):
    import struct

    data = bytearray(xlsx_seed())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HHI", data, at + 8, 0xFFFF, 0xFFFF, 46 * 5000)   # zip64 marker, a huge directory
    with pytest.raises(InputRefused, match="arsip berisi 5000 entri"):
        safe_xlsx.check_xlsx_bytes(bytes(data), "z.xlsx")


def test_a_broken_part_is_a_named_error(tmp_path):
    seed = xlsx_seed()
    p = _write(tmp_path, xlsx_with(seed, {SHEET: b"<worksheet><sheetData><row r='1'><c r='A1'"}))
    with pytest.raises(InputRefused, match=f"^{p}: XLSX tidak dapat dibaca: "):
        _read(p)
    p = _write(tmp_path, xlsx_with(seed, {"xl/workbook.xml": b"<workbook"}))
    with pytest.raises(InputRefused, match=f"^{p}: XLSX tidak dapat dibaca: "):
        _read(p)
    p = _write(tmp_path, xlsx_with(seed, {"xl/workbook.xml": b"<bukan/>"}))
    assert _read(p) == {}      # a workbook without sheets: the caller says "no sheet"
