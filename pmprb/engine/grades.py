"""Grade bands: the letter for an Indeks (lower bound exclusive: 70.00 is B, 70.01 is BB)."""

from __future__ import annotations

from pmprb import i18n

from pmprb.errors import ValidationError
from pmprb.engine.instrument import Instrument


def grade_for(inst: Instrument, indeks: float) -> dict:
    bands = inst.data.get("grade_bands")
    if not bands:
        return {"grade": None, "label": None}
    for band in sorted(bands, key=lambda b: b["above"]):
        lower_ok = indeks > band["above"] or (band["above"] == 0 and indeks >= 0)
        if lower_ok and indeks <= band["upto"]:
            return band
    raise ValidationError(i18n.t("grades.indeks_outside_every_grade", indeks=indeks))
