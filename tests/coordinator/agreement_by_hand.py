"""Krippendorff's alpha computed the long way, independently of the
``krippendorff`` package: the coincidence matrix and the ordinal metric of
Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", in exact
fractions. Tests compare the package's figure (through pmprb) with this."""

from __future__ import annotations

from fractions import Fraction


def ordinal_alpha(units: dict[str, dict[str, float]]) -> Fraction:
    # Coincidences: every ordered pair of values within a unit counts 1/(m_u - 1).
    pairable = {u: list(v.values()) for u, v in units.items() if len(v) >= 2}
    values = sorted({x for vals in pairable.values() for x in vals})
    o = {(c, k): Fraction(0) for c in values for k in values}
    for vals in pairable.values():
        m = len(vals)
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    o[a, b] += Fraction(1, m - 1)
    n_c = {c: sum(o[c, k] for k in values) for c in values}
    n = sum(n_c.values())

    def delta2(c, k):
        # Ordinal: the frequencies from c to k, minus half of the two ends, squared.
        lo, hi = sorted((values.index(c), values.index(k)))
        between = sum(n_c[values[g]] for g in range(lo, hi + 1))
        return (between - (n_c[c] + n_c[k]) / 2) ** 2

    d_o = sum(o[c, k] * delta2(c, k) for c in values for k in values)
    d_e = sum(n_c[c] * n_c[k] * delta2(c, k) for c in values for k in values) / (n - 1)
    return 1 - d_o / d_e


def ordinal_sums(units: dict[str, dict[str, float]]) -> tuple[Fraction, Fraction]:
    """(observed, expected) disagreement of one answer type, the ordinal metric
    divided by n (rank distance as a share of the n pairable values), so strata
    of different sizes combine: alpha = 1 - sum(observed) / sum(expected)."""
    pairable = {u: list(v.values()) for u, v in units.items() if len(v) >= 2}
    values = sorted({x for vals in pairable.values() for x in vals})
    o = {(c, k): Fraction(0) for c in values for k in values}
    for vals in pairable.values():
        m = len(vals)
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    o[a, b] += Fraction(1, m - 1)
    n_c = {c: sum(o[c, k] for k in values) for c in values}
    n = sum(n_c.values())

    def delta2(c, k):
        lo, hi = sorted((values.index(c), values.index(k)))
        between = sum(n_c[values[g]] for g in range(lo, hi + 1))
        return ((between - (n_c[c] + n_c[k]) / 2) / n) ** 2

    d_o = sum(o[c, k] * delta2(c, k) for c in values for k in values)
    d_e = sum(n_c[c] * n_c[k] * delta2(c, k) for c in values for k in values) / (n - 1)
    return d_o, d_e
