"""Texts of the bounded readers (:mod:`pmprb.engine.safe_input`, :mod:`.safe_xlsx`,
YAML limits in :mod:`.yamlsrc`), in both languages (see :mod:`pmprb.i18n`).

Every limit names itself and, where a real file could need more, the
environment variable that raises it.
"""

from pmprb import i18n

EXCEL_UTF8_ID = "Simpan Sebagai → CSV UTF-8 (Comma delimited)"
EXCEL_UTF8_EN = "Save As → CSV UTF-8 (Comma delimited)"

i18n.register({
    "input.bad_env": {"id": "{var} harus berupa angka positif, bukan {value!r}",
                      "en": "{var} must be a positive number, got {value!r}"},
    # size
    "input.too_big": {
        "id": "{file}: berkas berukuran {size} MB, melebihi batas {limit} MB; bila berkas ini memang "
              "sebesar itu, naikkan batasnya dengan variabel lingkungan {var} (mis. {var}={suggest})",
        "en": "{file}: the file is {size} MB, over the limit of {limit} MB; if it really is that large, "
              "raise the limit with the environment variable {var} (e.g. {var}={suggest})"},
    "input.too_big_stream": {
        "id": "{file}: lebih dari {limit} MB terbaca, melebihi batas {limit} MB; naikkan dengan {var} "
              "bila memang perlu",
        "en": "{file}: more than {limit} MB read, over the limit of {limit} MB; raise it with {var} if needed"},
    # encoding
    "input.not_utf8": {
        "id": "{file}:{line}: bukan teks UTF-8 (byte 0x{byte} pada kolom {col}); simpan berkas sebagai UTF-8",
        "en": "{file}:{line}: not UTF-8 text (byte 0x{byte} at column {col}); save the file as UTF-8"},
    "input.not_utf8_csv": {
        "id": "{file}:{line}: bukan teks UTF-8 (byte 0x{byte} pada kolom {col}{cp1252}); CSV dari Excel "
              "biasa disimpan dalam Windows-1252: simpan ulang di Excel dengan " + EXCEL_UTF8_ID,
        "en": "{file}:{line}: not UTF-8 text (byte 0x{byte} at column {col}{cp1252}); Excel's plain CSV is "
              "Windows-1252: save it again in Excel with " + EXCEL_UTF8_EN},
    "input.cp1252_char": {"id": ", dalam Windows-1252 berarti {char!r}", "en": ", {char!r} in Windows-1252"},
    "input.not_utf16": {"id": "{file}: diawali tanda UTF-16 (BOM) tetapi bukan teks UTF-16 yang sah",
                        "en": "{file}: starts with a UTF-16 byte order mark but is not valid UTF-16 text"},
    "input.nul": {"id": "{file}:{line}: berisi byte NUL (0x00) pada kolom {col}: ini bukan berkas teks{hint}",
                  "en": "{file}:{line}: contains a NUL byte (0x00) at column {col}: this is not a text file{hint}"},
    "input.nul_csv_hint": {"id": " (mungkin UTF-16 tanpa BOM atau berkas biner); di Excel pilih " + EXCEL_UTF8_ID,
                           "en": " (perhaps UTF-16 without a byte order mark, or binary); in Excel use "
                                 + EXCEL_UTF8_EN},
    # JSON
    "input.json_depth": {
        "id": "{where}: data JSON bersarang lebih dalam dari {limit} tingkat (batas tetap; berkas pmprb "
              "tidak pernah sedalam itu)",
        "en": "{where}: JSON nested deeper than {limit} levels (a fixed limit; no pmprb file is that deep)"},
    "input.json_nodes": {
        "id": "{where}: data JSON berisi lebih dari {limit} nilai (batas tetap); pecah berkas ini",
        "en": "{where}: JSON holds more than {limit} values (a fixed limit); split the file"},
    "input.json_constant": {"id": "{where}: {value} bukan angka yang sah (NaN, tak hingga, atau di luar rentang)",
                            "en": "{where}: {value} is not a valid number (NaN, infinite, or out of range)"},
    "input.json_number": {"id": "{where}: angka terlalu panjang ({reason})",
                          "en": "{where}: a number is too long ({reason})"},
    # YAML
    "input.yaml_depth": {
        "id": "{file}:{line}: YAML bersarang lebih dalam dari {limit} tingkat (batas tetap)",
        "en": "{file}:{line}: YAML nested deeper than {limit} levels (a fixed limit)"},
    "input.yaml_nodes": {
        "id": "{file}:{line}: YAML berisi lebih dari {limit} nilai (batas tetap); pecah berkas ini",
        "en": "{file}:{line}: YAML holds more than {limit} values (a fixed limit); split the file"},
    "input.yaml_aliases": {
        "id": "{file}:{line}: alias YAML (*nama) mengembang menjadi lebih dari {limit} nilai tambahan; "
              "tulis nilainya langsung (batas tetap terhadap 'billion laughs')",
        "en": "{file}:{line}: YAML aliases (*name) expand to more than {limit} extra values; write the "
              "values out (a fixed limit against 'billion laughs')"},
    "input.yaml_recursive": {"id": "{file}:{line}: {path}: alias YAML merujuk ke nilai yang memuatnya sendiri",
                             "en": "{file}:{line}: {path}: a YAML alias refers to a value that contains it"},
    "input.yaml_value": {"id": "nilai {value!r} tidak valid: {reason}", "en": "invalid value {value!r}: {reason}"},
    # CSV
    "input.csv_line": {
        "id": "{file}:{line}: baris lebih panjang dari {limit} karakter (batas tetap)",
        "en": "{file}:{line}: the line is longer than {limit} characters (a fixed limit)"},
    "input.csv_field": {
        "id": "{file}:{line}: sel yang dimulai di baris {start} lebih panjang dari {limit} karakter; "
              "kemungkinan ada tanda kutip (\") yang tidak ditutup",
        "en": "{file}:{line}: a cell starting on line {start} is longer than {limit} characters; "
              "probably a quote (\") is never closed"},
    "input.csv_rows": {
        "id": "{file}:{line}: lebih dari {limit} baris; bila berkas ini memang sebesar itu, naikkan batasnya "
              "dengan variabel lingkungan {var}",
        "en": "{file}:{line}: more than {limit} rows; if the file really is that large, raise the limit with "
              "the environment variable {var}"},
    "input.csv_columns": {"id": "{file}:{line}: lebih dari {limit} kolom (batas tetap)",
                          "en": "{file}:{line}: more than {limit} columns (a fixed limit)"},
    "input.csv_error": {"id": "{file}:{line}: CSV tidak valid: {reason}", "en": "{file}:{line}: invalid CSV: {reason}"},
    # JSON Lines
    "input.jsonl_line": {
        "id": "{file}:{line}: baris lebih panjang dari {limit} MB; naikkan batasnya dengan {var} bila memang perlu",
        "en": "{file}:{line}: the line is longer than {limit} MB; raise the limit with {var} if needed"},
    "input.jsonl_lines": {
        "id": "{file}:{line}: lebih dari {limit} baris; bila berkas ini memang sebesar itu, naikkan batasnya "
              "dengan variabel lingkungan {var}",
        "en": "{file}:{line}: more than {limit} lines; if the file really is that large, raise the limit with "
              "the environment variable {var}"},
    # XLSX
    "xlsx.not_zip": {"id": "{file}: bukan berkas XLSX (arsip zip) yang sah: {reason}",
                     "en": "{file}: not a valid XLSX file (zip archive): {reason}"},
    "xlsx.entries": {"id": "{file}: arsip berisi {count} entri, melebihi batas {limit} (batas tetap)",
                     "en": "{file}: the archive holds {count} entries, over the limit of {limit} (a fixed limit)"},
    "xlsx.entry_size": {
        "id": "{file}: entri {entry} mengembang menjadi {size} MB, melebihi batas {limit} MB per entri; "
              "naikkan batasnya dengan {var} bila berkas ini sah",
        "en": "{file}: entry {entry} unpacks to {size} MB, over the limit of {limit} MB per entry; "
              "raise it with {var} if the file is genuine"},
    "xlsx.total_size": {
        "id": "{file}: isi arsip mengembang menjadi {size} MB, melebihi batas {limit} MB ({factor} × {var})",
        "en": "{file}: the archive unpacks to {size} MB, over the limit of {limit} MB ({factor} × {var})"},
    "xlsx.size_lie": {
        "id": "{file}: entri {entry} mengembang melebihi ukuran yang dinyatakannya ({size} byte); arsip rusak "
              "atau dibuat untuk menyerang",
        "en": "{file}: entry {entry} unpacks to more than its declared size ({size} bytes); the archive is "
              "damaged or hostile"},
    "xlsx.damaged": {"id": "{file}: entri {entry} rusak: {reason}", "en": "{file}: entry {entry} is damaged: {reason}"},
    "xlsx.encrypted": {"id": "{file}: entri {entry} terenkripsi; simpan berkas tanpa kata sandi",
                       "en": "{file}: entry {entry} is encrypted; save the file without a password"},
    "xlsx.method": {"id": "{file}: entri {entry} memakai metode kompresi {method} yang tidak dipakai XLSX",
                    "en": "{file}: entry {entry} uses compression method {method}, which XLSX does not use"},
    "xlsx.dtd": {"id": "{file}: entri {entry} memuat deklarasi DTD/ENTITY XML, yang tidak pernah ada di XLSX",
                 "en": "{file}: entry {entry} holds an XML DTD/ENTITY declaration, which XLSX never needs"},
    "xlsx.unreadable": {"id": "{file}: XLSX tidak dapat dibaca: {reason}", "en": "{file}: cannot read the XLSX: {reason}"},
    "xlsx.rows": {
        "id": "{file}: lembar {sheet} berisi baris setelah baris {limit}; hapus baris-baris kosong di bawah data, "
              "atau bila datanya memang sebanyak itu, naikkan batasnya dengan variabel lingkungan {var}",
        "en": "{file}: sheet {sheet} has rows after row {limit}; delete the empty rows below the data, or if "
              "there really is that much data, raise the limit with the environment variable {var}"},
    "xlsx.columns": {"id": "{file}: {sheet}!{cell}: data setelah kolom {limit} (batas tetap)",
                     "en": "{file}: {sheet}!{cell}: data after column {limit} (a fixed limit)"},
    "xlsx.formula": {"id": "{sheet}!{cell}: rumus {formula!r} tidak diterima; isikan nilainya",
                     "en": "{sheet}!{cell}: formula {formula!r} is not accepted; enter its value"},
    "xlsx.error_value": {"id": "{sheet}!{cell}: nilai galat {value} tidak diterima; perbaiki sel itu",
                         "en": "{sheet}!{cell}: error value {value} is not accepted; fix that cell"},
    "xlsx.cells_invalid": {"id": "{file}: {n} sel berisi rumus atau nilai galat",
                           "en": "{file}: {n} cell(s) hold formulas or error values"},
})
