"""Texts for people about evidence: the flags, document kinds, and RATL advice.

Keys (``pmprb.i18n``, Bahasa Indonesia and English):

- ``evidence.flag.<flag>`` for the four flags of
  :mod:`pmprb.engine.evidence_requirements` (and ``claimed_without_evidence``);
- ``evidence.kind.<kind>`` for every document kind;
- ``evidence.advice.*``: the follow-up sentences :func:`advice` builds from a
  decision's flags and the document summary in its input, e.g. "Road Map yang
  dirujuk berlaku 2016–2020; tetapkan Road Map periode berjalan";
- ``evidence.doc.*``: problems with a structured document in a worksheet.

The walk, submit, review, ``audit explain``, the LKE report and the RATL can
show them with :func:`flag_text` and :func:`advice`.
"""

from __future__ import annotations

import re

from pmprb import i18n
from pmprb.engine.citations import KINDS

i18n.register({
    "evidence.flag.claimed_without_evidence": {"id": "jawaban di atas pilihan terburuk tanpa bukti dukung",
                                               "en": "answer above the worst option without evidence"},
    "evidence.flag.evidence_kind_not_accepted": {
        "id": "bukti dukung yang dirujuk bukan jenis yang diterima kriteria ini",
        "en": "the cited evidence is not of a kind this criterion accepts"},
    "evidence.flag.evidence_outdated": {
        "id": "bukti dukung yang dirujuk sudah tidak berlaku atau sebelum periode evaluasi",
        "en": "the cited evidence has expired or predates the evaluation period"},
    "evidence.flag.evidence_future": {
        "id": "bukti dukung yang dirujuk bertanggal setelah periode evaluasi",
        "en": "the cited evidence is dated after the evaluation period"},
    "evidence.flag.evidence_superseded": {
        "id": "dokumen yang dirujuk telah diubah, tetapi perubahannya tidak dirujuk",
        "en": "a cited document has been amended but its amendment is not cited"},

    "evidence.kind.perda": {"id": "Peraturan Daerah", "en": "regional regulation"},
    "evidence.kind.perkada": {"id": "Peraturan Kepala Daerah/Pimpinan", "en": "head-of-institution regulation"},
    "evidence.kind.keputusan": {"id": "Keputusan", "en": "decree"},
    "evidence.kind.surat_edaran": {"id": "Surat Edaran", "en": "circular"},
    "evidence.kind.surat": {"id": "Surat", "en": "letter"},
    "evidence.kind.pengumuman": {"id": "Pengumuman", "en": "announcement"},
    "evidence.kind.perjanjian": {"id": "Perjanjian", "en": "agreement"},
    "evidence.kind.laporan": {"id": "Laporan", "en": "report"},
    "evidence.kind.notulen": {"id": "Notulen", "en": "minutes"},
    "evidence.kind.berita_acara": {"id": "Berita Acara", "en": "official record"},
    "evidence.kind.kegiatan": {"id": "bukti kegiatan", "en": "activity proof"},
    "evidence.kind.dokumen": {"id": "dokumen", "en": "document"},
    "evidence.kind.aplikasi": {"id": "aplikasi/sistem", "en": "application/system"},
    "evidence.kind.lainnya": {"id": "dokumen tidak terbaca", "en": "unread document"},

    "evidence.advice.outdated_period": {"id": "{what} yang dirujuk berlaku {start}–{end}; tetapkan {what} periode berjalan",
                                        "en": "the cited {what} is valid {start}–{end}; adopt a {what} for the current period"},
    "evidence.advice.outdated_activity": {
        "id": "{what} yang dirujuk dilaksanakan {when}, sebelum periode evaluasi {period}; lampirkan bukti kegiatan "
              "tahun {period}",
        "en": "the cited {what} took place {when}, before the evaluation period {period}; attach proof of activity "
              "in {period}"},
    "evidence.advice.future": {
        "id": "{what} yang dirujuk bertanggal {when}, setelah periode evaluasi {period}; rujuk dokumen yang berlaku "
              "pada {period}",
        "en": "the cited {what} is dated {when}, after the evaluation period {period}; cite the document in force "
              "in {period}"},
    "evidence.advice.kind": {"id": "bukti dukung yang dirujuk ({cited}) bukan {accepted}; lampirkan {accepted}",
                             "en": "the cited evidence ({cited}) is not {accepted}; attach {accepted}"},
    "evidence.advice.kind_generic": {"id": "bukti dukung yang dirujuk ({cited}) bukan jenis yang diterima kriteria "
                                           "ini; lampirkan bukti dukung yang sesuai",
                                     "en": "the cited evidence ({cited}) is not of a kind this criterion accepts; "
                                           "attach suitable evidence"},
    "evidence.advice.superseded": {"id": "{what} telah diubah; rujuk perubahannya",
                                   "en": "{what} has been amended; cite its amendment"},
    "evidence.advice.or": {"id": " atau ", "en": " or "},
    "evidence.advice.number": {"id": "{kind} Nomor {number}", "en": "{kind} No. {number}"},

    "evidence.doc.not_mapping": {"id": "dokumen harus berupa pemetaan atau teks rujukan, bukan {got}",
                                 "en": "a document must be a mapping or a citation text, got {got}"},
    "evidence.doc.unknown_key": {"id": "kunci tidak dikenal {key!r} (yang diizinkan: {allowed})",
                                 "en": "unknown key {key!r} (allowed: {allowed})"},
    "evidence.doc.kind": {"id": "kind harus salah satu dari {allowed}, bukan {got!r}",
                          "en": "kind must be one of {allowed}, got {got!r}"},
    "evidence.doc.text": {"id": "{key} harus berupa teks, bukan {got!r}", "en": "{key} must be text, got {got!r}"},
    "evidence.doc.year": {"id": "year harus berupa tahun {lo}..{hi}, bukan {got!r}",
                          "en": "year must be a year {lo}..{hi}, got {got!r}"},
    "evidence.doc.date": {"id": "{key} harus berupa tanggal (YYYY-MM-DD), bukan {got!r}",
                          "en": "{key} must be a date (YYYY-MM-DD), got {got!r}"},
    "evidence.doc.date_end": {"id": "date_end memerlukan date, dan tidak boleh sebelum date",
                              "en": "date_end needs date and must not be before it"},
    "evidence.doc.period": {"id": "period harus berupa [tahun awal, tahun akhir], bukan {got!r}",
                            "en": "period must be [first year, last year], got {got!r}"},
    "evidence.doc.amends": {"id": "amends harus berupa nomor urut dokumen lain dalam daftar ini, bukan {got!r}",
                            "en": "amends must be the index of another document in this list, got {got!r}"},
    "evidence.doc.list": {"id": "harus berupa daftar rujukan atau dokumen, bukan {got}",
                          "en": "expected a list of citations or documents, got {got}"},
    "evidence.doc.item": {"id": "[{index}]: {reason}", "en": "[{index}]: {reason}"},
})

_PERIOD_WORDS = re.compile(r"\s*(?:\b(?:tahun|periode|th\.?|thn)\s{0,3})?(?:19|20)\d\d(?:\s{0,3}(?:-|–|—|s\.?\s?d\.?|"
                           r"s/d|sampai\s{1,3}dengan|hingga|/)\s{0,3}(?:19|20)\d\d)?\b", re.I)
_PLACE = re.compile(r"\s+(?:di\s+lingkungan|pemerintah|pemkab|pemkot|pemprov|kabupaten|kota|provinsi)\b.*$", re.I)


def flag_text(flag: str, lang: str | None = None) -> str:
    """A flag for people; unknown flags come back as they are."""
    key = f"evidence.flag.{flag}"
    return i18n.t(key, lang=lang) if key in i18n.CATALOGUE else flag


def kind_name(kind: str, lang: str | None = None) -> str:
    return i18n.t(f"evidence.kind.{kind}", lang=lang) if kind in KINDS else kind


def document_label(doc: dict, lang: str | None = None) -> str:
    """What a cited document is called in advice: its subject without the period and the place
    ("Road Map Reformasi Birokrasi"), else its kind and number."""
    subject = doc.get("subject") or ""
    short = _PLACE.sub("", _PERIOD_WORDS.sub("", subject)).strip(" ,.;:-–")
    if short and len(short) <= 80:
        return short
    if doc.get("number"):
        return i18n.t("evidence.advice.number", lang=lang, kind=kind_name(doc["kind"], lang), number=doc["number"])
    return short[:77].rstrip() + "…" if short else kind_name(doc["kind"], lang)
