"""Agreement between assessors: percent agreement and Krippendorff's alpha.

Reliability data are arranged the way Krippendorff arranges them: *units*
are the criteria of one change area, *coders* are the working papers (one
assessor's worksheet for one unit), and a cell is the value of that
worksheet's answer to that criterion (missing when it has none).

- **Percent agreement**: of the criteria answered by at least two working
  papers, the share on which every answer is the same. It is exactly the
  share that merges automatically, so it reads as "how much of this area
  needed no consensus meeting".
- **Krippendorff's alpha, ordinal** (the ``krippendorff`` package), over
  the answers' values (Ya 1 / Tidak 0, A 1 / B 0.5 / C 0, ...). Only choice
  criteria take part: counts are not on the 0..1 value scale. Values of
  different answer types share one ordinal scale by their value; the ordinal
  metric only uses the rank order and frequencies of the values observed, so
  a value nobody used does not change alpha.

**Too few items.** Alpha is reported with a warning when fewer than
:data:`MIN_ALPHA_ITEMS` (10) criteria in the area have two or more answers.
Why 10: with 3 coders on a 3-point scale, one changed answer moves alpha
from 1 to about 0.95 over 10 items but to about 0.86 over 5 and 0.85 over 3
(two changed answers over 5 items give 0.72), so below 10 items a single
answer can carry alpha across Krippendorff's conventional cut-offs (0.800
"reliable", 0.667 "tentative") and the figure says more about one criterion
than about the assessors. Alpha is not computed at all (``None``) when fewer
than two criteria are pairable or the answers show no variation (every
value the same: expected disagreement is zero, alpha is undefined — not 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

MIN_ALPHA_ITEMS = 10


@dataclass
class AreaAgreement:
    area: str
    items: int                 # criteria with at least two answers
    agreed: int                # of those, criteria on which every answer is the same
    coders: int                # working papers that answered at least one criterion of the area
    alpha: float | None
    alpha_items: int           # choice criteria with at least two answers (alpha's units)
    warnings: list[str] = field(default_factory=list)  # stable codes: few_items, no_variation, no_pairs

    @property
    def percent(self) -> float | None:
        return self.agreed / self.items * 100 if self.items else None

    def to_dict(self) -> dict:
        return {"area": self.area, "items": self.items, "agreed": self.agreed, "percent": self.percent,
                "coders": self.coders, "alpha": self.alpha, "alpha_items": self.alpha_items,
                "alpha_level": "ordinal", "min_alpha_items": MIN_ALPHA_ITEMS, "warnings": list(self.warnings)}


def _same(values: Sequence) -> bool:
    first = values[0]
    return all(v == first for v in values[1:])


def area_agreement(area: str, units: Mapping[str, Mapping[str, object]],
                   values: Mapping[str, Mapping[str, float]] | None = None) -> AreaAgreement:
    """Agreement for one area.

    ``units``: criterion -> {coder: answer} (answers compared for percent
    agreement). ``values``: criterion -> {coder: value} for the choice
    criteria that take part in alpha (omit a criterion to leave it out).
    """
    values = values or {}
    coders = sorted({c for answers in units.values() for c in answers})
    pairable = {cid: answers for cid, answers in units.items() if len(answers) >= 2}
    agreed = sum(1 for answers in pairable.values() if _same(list(answers.values())))
    alpha_units = {cid: vals for cid, vals in values.items() if len(vals) >= 2}
    result = AreaAgreement(area=area, items=len(pairable), agreed=agreed, coders=len(coders), alpha=None,
                           alpha_items=len(alpha_units))
    if len(alpha_units) < 2:
        result.warnings.append("no_pairs")
        return result
    observed = sorted({v for vals in alpha_units.values() for v in vals.values()})
    if len(observed) < 2:
        result.warnings.append("no_variation")
        return result
    result.alpha = krippendorff_ordinal(alpha_units)
    if len(alpha_units) < MIN_ALPHA_ITEMS:
        result.warnings.append("few_items")
    return result


def krippendorff_ordinal(units: Mapping[str, Mapping[str, float]]) -> float | None:
    """Ordinal alpha of {unit: {coder: value}} through the ``krippendorff``
    package (coders x units matrix, NaN where a coder gave no value)."""
    import numpy as np
    import krippendorff

    coders = sorted({c for vals in units.values() for c in vals})
    unit_ids = list(units)
    matrix = np.full((len(coders), len(unit_ids)), np.nan)
    index = {c: i for i, c in enumerate(coders)}
    for j, uid in enumerate(unit_ids):
        for coder, v in units[uid].items():
            matrix[index[coder], j] = float(v)
    domain = sorted({float(v) for vals in units.values() for v in vals.values()})
    if len(domain) < 2:
        return None
    alpha = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal", value_domain=domain))
    return alpha if math.isfinite(alpha) else None


__all__ = ["AreaAgreement", "area_agreement", "krippendorff_ordinal", "MIN_ALPHA_ITEMS"]
