"""Agreement between assessors: percent agreement and Krippendorff's alpha.

Reliability data are arranged the way Krippendorff arranges them: *units*
are the criteria of one change area, *coders* are the working papers (one
assessor's worksheet for one unit), and a cell is the value of that
worksheet's answer to that criterion (missing when it has none).

- **Percent agreement**: of the criteria answered by at least two working
  papers, the share on which every answer is the same. It is exactly the
  share that merges automatically, so it reads as "how much of this area
  needed no consensus meeting".
- **Krippendorff's alpha, ordinal**, over the answers' values (Ya 1 / Tidak
  0, A 1 / B 0.5 / C 0, ...), **per answer type**: values of different
  answer types are never pooled on one scale (B of A/B/C, 0.5, is not C of
  A/B/C/D/E, also 0.5). Each type's criteria form their own reliability data
  with their own ordinal scale; the area's alpha (and the round's overall
  alpha) combines the types as a stratified alpha,
  ``1 - sum(n_t * D_o,t) / sum(n_t * D_e,t)``, where ``n_t`` is the type's
  number of pairable values and the disagreements use the ordinal metric of
  that type's values scaled by ``n_t`` (rank distance as a share of the
  values), so no type counts by the size of its scale. For one type it is
  Krippendorff's ordinal alpha exactly. Only choice criteria take part:
  counts are not on the 0..1 value scale.
- An area whose alpha is below :data:`TENTATIVE` (0.667, Krippendorff's
  lowest cut-off for tentative conclusions) is flagged ``below_tentative``.

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
TENTATIVE = 0.667      # below: not even tentative conclusions (Krippendorff 2004)
RELIABLE = 0.800


@dataclass
class TypeAlpha:
    answer_type: str
    items: int                 # criteria of this type with at least two answers
    values: int                # pairable values (n_t)
    alpha: float | None

    def to_dict(self) -> dict:
        return {"answer_type": self.answer_type, "items": self.items, "values": self.values, "alpha": self.alpha}


@dataclass
class AreaAgreement:
    area: str
    items: int                 # criteria with at least two answers
    agreed: int                # of those, criteria on which every answer is the same
    coders: int                # working papers that answered at least one criterion of the area
    alpha: float | None
    alpha_items: int           # choice criteria with at least two answers (alpha's units)
    warnings: list[str] = field(default_factory=list)  # stable codes: few_items, no_variation, no_pairs, below_tentative
    by_type: list[TypeAlpha] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return self.agreed / self.items * 100 if self.items else None

    @property
    def flagged(self) -> bool:
        return "below_tentative" in self.warnings

    def to_dict(self) -> dict:
        return {"area": self.area, "items": self.items, "agreed": self.agreed, "percent": self.percent,
                "coders": self.coders, "alpha": self.alpha, "alpha_items": self.alpha_items,
                "alpha_level": "ordinal", "alpha_by": "answer_type", "min_alpha_items": MIN_ALPHA_ITEMS,
                "tentative": TENTATIVE, "flagged": self.flagged, "warnings": list(self.warnings),
                "by_type": [t.to_dict() for t in self.by_type]}


def _same(values: Sequence) -> bool:
    first = values[0]
    return all(v == first for v in values[1:])


def _ordinal_sums(units: Mapping[str, Mapping[str, float]]) -> tuple[float, float, int]:
    """(observed, expected, n) disagreement sums of one answer type's reliability data,
    the ordinal metric scaled by n: alpha = 1 - observed / expected."""
    coincidence: dict[tuple[float, float], float] = {}
    for vals in units.values():
        m = len(vals)
        if m < 2:
            continue
        counts: dict[float, int] = {}
        for v in vals.values():
            counts[float(v)] = counts.get(float(v), 0) + 1
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    coincidence[c, k] = coincidence.get((c, k), 0.0) + pairs / (m - 1)
    scale = sorted({c for c, _ in coincidence})
    n_c = {c: sum(coincidence.get((c, k), 0.0) for k in scale) for c in scale}
    n = sum(n_c.values())
    if n < 2 or len(scale) < 2:
        return 0.0, 0.0, round(n)
    cumulative = [0.0]
    for c in scale:
        cumulative.append(cumulative[-1] + n_c[c])

    def delta2(i: int, j: int) -> float:
        lo, hi = min(i, j), max(i, j)
        d = (cumulative[hi + 1] - cumulative[lo]) - (n_c[scale[i]] + n_c[scale[j]]) / 2
        return (d / n) ** 2

    observed = sum(coincidence.get((scale[i], scale[j]), 0.0) * delta2(i, j)
                   for i in range(len(scale)) for j in range(len(scale)) if i != j)
    expected = sum(n_c[scale[i]] * n_c[scale[j]] * delta2(i, j)
                   for i in range(len(scale)) for j in range(len(scale)) if i != j) / (n - 1)
    return observed, expected, round(n)


def stratified_alpha(strata: Mapping[str, Mapping[str, Mapping[str, float]]]) -> tuple[float | None, list[TypeAlpha]]:
    """Ordinal alpha per stratum (answer type) and combined: {type: {unit: {coder: value}}}."""
    observed = expected = 0.0
    parts = []
    for answer_type in sorted(strata):
        units = {u: v for u, v in strata[answer_type].items() if len(v) >= 2}
        o, e, n = _ordinal_sums(units)
        parts.append(TypeAlpha(answer_type, len(units), n, (1 - o / e) if e > 0 else None))
        observed, expected = observed + o, expected + e
    if expected <= 0:
        return None, parts
    return 1 - observed / expected, parts


def area_agreement(area: str, units: Mapping[str, Mapping[str, object]],
                   values: Mapping[str, Mapping[str, float]] | None = None,
                   types: Mapping[str, str] | None = None) -> AreaAgreement:
    """Agreement for one area.

    ``units``: criterion -> {coder: answer} (answers compared for percent
    agreement). ``values``: criterion -> {coder: value} for the choice
    criteria that take part in alpha (omit a criterion to leave it out).
    ``types``: criterion -> answer type (alpha is computed per type; without
    it every criterion counts as one type).
    """
    values = values or {}
    types = types or {}
    coders = sorted({c for answers in units.values() for c in answers})
    pairable = {cid: answers for cid, answers in units.items() if len(answers) >= 2}
    agreed = sum(1 for answers in pairable.values() if _same(list(answers.values())))
    alpha_units = {cid: vals for cid, vals in values.items() if len(vals) >= 2}
    result = AreaAgreement(area=area, items=len(pairable), agreed=agreed, coders=len(coders), alpha=None,
                           alpha_items=len(alpha_units))
    if len(alpha_units) < 2:
        result.warnings.append("no_pairs")
        return result
    strata: dict[str, dict] = {}
    for cid, vals in alpha_units.items():
        strata.setdefault(types.get(cid, ""), {})[cid] = vals
    result.alpha, result.by_type = stratified_alpha(strata)
    if result.alpha is None:
        result.warnings.append("no_variation")
        return result
    if len(alpha_units) < MIN_ALPHA_ITEMS:
        result.warnings.append("few_items")
    if result.alpha < TENTATIVE:
        result.warnings.append("below_tentative")
    return result


def overall_agreement(per_area: Mapping[str, tuple[Mapping, Mapping]], types: Mapping[str, str]) -> AreaAgreement:
    """Every area at once (``area`` is ``"*"``): percent agreement over every
    criterion, alpha per answer type over the whole instrument, combined."""
    units, values = {}, {}
    for area_units, area_values in per_area.values():
        units.update(area_units)
        values.update(area_values)
    return area_agreement("*", units, values, types)


def krippendorff_ordinal(units: Mapping[str, Mapping[str, float]]) -> float | None:
    """Ordinal alpha of {unit: {coder: value}} through the ``krippendorff``
    package (coders x units matrix, NaN where a coder gave no value): an
    independent check of :func:`stratified_alpha` for one answer type."""
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


__all__ = ["AreaAgreement", "TypeAlpha", "area_agreement", "overall_agreement", "stratified_alpha",
           "krippendorff_ordinal", "MIN_ALPHA_ITEMS", "TENTATIVE", "RELIABLE"]
