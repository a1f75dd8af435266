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

_PERIOD_WORDS = re.compile(r"\s*(?:\b(?:tahun|periode|th\.?|thn)\s{0,3})?(?:19|20)\d\d(?:\s{0,3}(?:-|–|—|s\.?\s?d\.?|"
                           r"s/d|sampai\s{1,3}dengan|hingga|/)\s{0,3}(?:19|20)\d\d)?\b", re.I)
_PLACE = re.compile(r"\s+(?:di\s+lingkungan|pemerintah|pemkab|pemkot|pemprov|kabupaten|kota|provinsi)\b.*$", re.I)


def flag_text(flag: str, lang: str | None = None) -> str:
    """A flag for people; unknown flags come back as they are."""
    key = f"evidence.flag.{flag}"
    return i18n.t(key, lang=lang) if i18n.has(key) else flag


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
