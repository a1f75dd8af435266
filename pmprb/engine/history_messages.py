"""Texts for published Indeks RB tables (parsing errors, check results, the
``pmprb history`` commands and the history report), in both languages."""

from pmprb import i18n

i18n.register({
    # parsing
    "history.err.invalid": {"id": "{source}: tabel tidak valid ({count} kesalahan)",
                            "en": "{source}: invalid table ({count} errors)"},
    "history.err.no_file": {"id": "{source}: berkas tidak ada", "en": "{source}: no such file"},
    "history.err.empty": {"id": "{source}: berkas kosong; diharapkan baris judul {columns}",
                          "en": "{source}: empty file; expected a header line {columns}"},
    "history.err.unreadable": {"id": "{source}: tidak dapat dibaca sebagai teks UTF-8: {reason}",
                               "en": "{source}: cannot be read as UTF-8 text: {reason}"},
    "history.err.missing_columns": {"id": "kolom tidak ada: {missing} (judul yang diharapkan: `{columns}`)",
                                    "en": "missing column(s): {missing} (expected header: `{columns}`)"},
    "history.err.duplicate_column": {"id": "kolom {column!r} muncul dua kali", "en": "column {column!r} appears twice"},
    "history.err.extra_cells": {"id": "baris ini berisi {got} sel, judul hanya {expected} kolom",
                                "en": "this row has {got} cells but the header only {expected} columns"},
    "history.err.required": {"id": "wajib diisi", "en": "is required"},
    "history.err.year": {"id": "{value!r} bukan tahun (1900–2100)", "en": "{value!r} is not a year (1900–2100)"},
    "history.err.item": {"id": "{value!r} tidak dikenal; diharapkan salah satu dari {items}",
                         "en": "unknown item {value!r}; expected one of {items}"},
    "history.err.number": {"id": "{value!r} bukan angka (contoh: 3.45 atau 3,45)",
                           "en": "{value!r} is not a number (e.g. 3.45 or 3,45)"},
    "history.err.negative": {"id": "{value!r} tidak boleh negatif", "en": "{value!r} must not be negative"},
    "history.err.zero_weight": {"id": "bobot harus lebih dari 0", "en": "the weight must be greater than 0"},
    "history.err.grade_letter": {"id": "{value!r} bukan predikat (huruf, mis. BB)",
                                 "en": "{value!r} is not a grade (letters, e.g. BB)"},
    "history.err.grade_extra": {"id": "baris GRADE tidak memuat {field}", "en": "a GRADE row carries no {field}"},
    "history.err.duplicate": {"id": "{item} tahun {year} sudah ada di baris {first}",
                              "en": "{item} for {year} already given on line {first}"},
    # check results
    "history.kind.weight": {"id": "bobot berbeda dari instrumen", "en": "weight differs from the instrument"},
    "history.kind.percent": {"id": "persentase ≠ nilai ÷ bobot × 100", "en": "percentage ≠ value ÷ weight × 100"},
    "history.kind.range": {"id": "nilai melebihi bobot", "en": "value exceeds its weight"},
    "history.kind.sum": {"id": "{item} ≠ {formula}", "en": "{item} ≠ {formula}"},
    "history.kind.grade": {"id": "predikat tidak sesuai rentang Indeks", "en": "grade does not match the Indeks bands"},
    "history.kind.grade_unknown": {"id": "predikat tidak dikenal instrumen", "en": "grade unknown to the instrument"},
    "history.field.weight": {"id": "bobot", "en": "weight"},
    "history.field.value": {"id": "nilai", "en": "value"},
    "history.field.percent": {"id": "persentase", "en": "percentage"},
    "history.field.grade": {"id": "predikat", "en": "grade"},
    "history.skip.missing": {"id": "{year} {item} ({field}) tidak diperiksa: tidak ada {missing}",
                             "en": "{year} {item} ({field}) not checked: {missing} missing"},
    "history.check.summary": {
        "id": "{source}: {years} tahun, {checked} pemeriksaan, {bad} tidak konsisten (instrumen {instrument}).",
        "en": "{source}: {years} year(s), {checked} checks, {bad} inconsistent (instrument {instrument})."},
    "history.check.line": {
        "id": "{year} {item} {field}: dipublikasikan {published}, dihitung ulang {recomputed} "
              "(selisih {difference}, toleransi {allowed}) — {what}",
        "en": "{year} {item} {field}: published {published}, recomputed {recomputed} "
              "(difference {difference}, allowed {allowed}) — {what}"},
    "history.check.ok_line": {
        "id": "{year} {item} {field}: dipublikasikan {published}, dihitung ulang {recomputed} "
            "(selisih {difference}, toleransi {allowed}) — konsisten",
        "en": "{year} {item} {field}: published {published}, recomputed {recomputed} "
              "(difference {difference}, allowed {allowed}) — consistent"},
    "history.check.grade_line": {
        "id": "{year} GRADE: dipublikasikan {published}; Indeks {indeks} ± {allowed} hanya memberi {recomputed} — {what}",
        "en": "{year} GRADE: published {published}; Indeks {indeks} ± {allowed} only gives {recomputed} — {what}"},
    "history.check.grade_ok_line": {
        "id": "{year} GRADE: dipublikasikan {published}; Indeks {indeks} ± {allowed} memberi {recomputed} — konsisten",
        "en": "{year} GRADE: published {published}; Indeks {indeks} ± {allowed} gives {recomputed} — consistent"},
    "history.check.range_line": {
        "id": "{year} {item} nilai: dipublikasikan {published}, bobot {recomputed} (toleransi {allowed}) — {what}",
        "en": "{year} {item} value: published {published}, weight {recomputed} (allowed {allowed}) — {what}"},
    "history.check.weight_line": {
        "id": "{year} {item} bobot: dipublikasikan {published}, instrumen {recomputed} (toleransi {allowed}) — {what}",
        "en": "{year} {item} weight: published {published}, instrument {recomputed} (allowed {allowed}) — {what}"},
    "history.consistent": {"id": "konsisten", "en": "consistent"},
    "history.check.none": {"id": "Tidak ada angka yang tidak konsisten.", "en": "No inconsistent figures."},
    "history.check.tolerance_note": {
        "id": "Toleransi: angka yang dipublikasikan dibulatkan, jadi setiap masukan dengan d desimal boleh meleset "
              "0,5×10^-d, ditambah pembulatan angka itu sendiri.",
        "en": "Tolerance: published figures are rounded, so each input with d decimals may be off by 0.5×10^-d, "
              "plus the rounding of the figure itself."},
    "history.no_grade": {"id": "tidak ada", "en": "none"},
    # the report
    "history.report.title": {"id": "Riwayat Indeks Reformasi Birokrasi", "en": "Indeks RB history"},
    "history.report.subtitle": {"id": "Angka yang dipublikasikan, {first}–{last}",
                                "en": "Published figures, {first}–{last}"},
    "history.report.source": {"id": "Sumber", "en": "Source"},
    "history.report.trend": {"id": "Tren Indeks RB", "en": "Indeks RB trend"},
    "history.report.trend_areas": {"id": "Capaian area perubahan (% dari bobot)",
                                   "en": "Change areas (% of weight)"},
    "history.report.areas_latest": {"id": "Pengungkit per area, {year} (nilai terhadap bobot)",
                                    "en": "Pengungkit by area, {year} (value against weight)"},
    "history.report.table": {"id": "Angka per tahun", "en": "Figures by year"},
    "history.report.item": {"id": "Komponen", "en": "Component"},
    "history.report.weight": {"id": "Bobot", "en": "Weight"},
    "history.report.value": {"id": "Nilai", "en": "Value"},
    "history.report.percent": {"id": "%", "en": "%"},
    "history.report.check": {"id": "Pemeriksaan konsistensi", "en": "Consistency check"},
    "history.report.flagged": {"id": "Angka yang ditandai tidak konsisten dengan angka lain di tabel.",
                               "en": "Marked figures are inconsistent with the other figures of the table."},
    "history.report.skipped": {"id": "Tidak diperiksa", "en": "Not checked"},
    "history.report.grade_guides": {"id": "Garis putus-putus: batas bawah predikat.",
                                    "en": "Dashed lines: lower bounds of the grades."},
    "history.show.no_data": {"id": "Tidak ada angka yang dipublikasikan untuk {institution}.",
                             "en": "No published figures for {institution}."},
})
