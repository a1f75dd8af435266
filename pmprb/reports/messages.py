"""Texts of the shared report layout, in both languages (see :mod:`pmprb.i18n`)."""

from pmprb import i18n

i18n.register({
    "report.generated_at": {"id": "Dibuat {when}", "en": "Generated {when}"},
    "report.generated_by": {"id": "oleh pmprb {version}", "en": "by pmprb {version}"},
    "report.page": {"id": "Halaman", "en": "Page"},
    "report.of": {"id": "dari", "en": "of"},
    "report.institution": {"id": "Instansi", "en": "Institution"},
    "report.instrument": {"id": "Instrumen", "en": "Instrument"},
    "report.year": {"id": "Tahun", "en": "Year"},
    "report.none": {"id": "Tidak ada.", "en": "None."},
    "report.signature.place_date": {"id": "{place}, {date}", "en": "{place}, {date}"},
    "report.signature.name": {"id": "Nama", "en": "Name"},
    "report.signature.nip": {"id": "NIP", "en": "Employee ID (NIP)"},
})
