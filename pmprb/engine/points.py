"""Points lines: indicators that score points of their own (instruments with
``scoring: {method: points}``), their answers and their exact arithmetic.

A points instrument sums its lines' points instead of averaging answers per
sub-area. A line's kind is its numeric type's ``kind``:

- ``score``: a number within the line's ``range``; points = score ÷ range
  maximum × ``weight``, times (when the line declares a ``multiplier``) the
  multiplier line's score ÷ its range maximum;
- ``adjustment``: a number within its ``range`` added as it is (no weight);
- ``category``: a category code mapped to the points its numeric type
  declares; a category whose points the instrument does not know takes them
  as input, written ``CODE=points``, and the decision is flagged
  ``points_given``.

Points are rounded per line to ``scoring.places`` decimals, half away from
zero on the exact decimal value (what a spreadsheet or PHP's ``round`` does,
not binary float rounding: 0.125 gives 0.13). The arithmetic runs on exact
fractions of the numbers as written, so no float noise can move a cent.

Any line of the rescaled component may be answered with the instrument's
``not_applicable`` answer: it scores nothing and its weight leaves the
component's applicable weight.

Answers are kept as text in one canonical form (``"3.277"``, ``"-2"``,
``"A"`` and ``"B=3.33"`` for categories, the not-applicable code), the same whether they
come from a worksheet, a spreadsheet cell or a database column. Facts carry
numbers as integer millionths: durable_rules rejects floats written in
exponent form, and integers compare exactly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

KINDS = ("score", "adjustment", "category")
MAX_DECIMALS = 6
MICRO = 10**MAX_DECIMALS


def is_points(inst) -> bool:
    """Whether the instrument sums points lines (``scoring: {method: points}``)."""
    return (inst.data.get("scoring") or {}).get("method") == "points"


# ---------------------------------------------------------------------------
# numbers


def to_decimal(raw) -> Decimal:
    """A number as written: int, float (its shortest repr), or text with a decimal point or comma.
    Raises ValueError for anything else (booleans, NaN, infinities, exponents in text)."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        text = repr(raw)
    elif isinstance(raw, Decimal):
        text = str(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(",", ".")
        if not text or any(ch not in "+-.0123456789" for ch in text):
            raise ValueError(raw)
    else:
        raise ValueError(raw)
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not d.is_finite():
        raise ValueError(raw)
    return d


def decimals(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp)


def text(d: Decimal) -> str:
    """Canonical text of a decimal: no exponent, no trailing zeros, no '-0'."""
    d = d.normalize()
    if d == 0:
        return "0"
    return format(d, "f")


def exact(x) -> Fraction:
    """The exact value of a number as written (a float by its shortest repr)."""
    return Fraction(to_decimal(x))


def micro(x) -> int:
    """Integer millionths of a number with at most six decimals (exact)."""
    q = exact(x) * MICRO
    if q.denominator != 1:
        raise ValueError(f"{x} has more than {MAX_DECIMALS} decimals")
    return int(q)


def round_half_up(q: Fraction, places: int) -> Decimal:
    """``q`` rounded to ``places`` decimals, ties away from zero (on the exact value)."""
    scale = 10**places
    n = abs(q) * scale
    whole = n.numerator // n.denominator
    if n - whole >= Fraction(1, 2):
        whole += 1
    sign = -1 if q < 0 else 1
    return Decimal(sign * whole).scaleb(-places)


def as_float(d: Decimal) -> float:
    """A rounded decimal as the float JSON prints back to the same digits."""
    return float(d)


# ---------------------------------------------------------------------------
# the instrument's description of one line


def scoring_of(inst) -> dict:
    return inst.data.get("scoring") or {}


def places(inst) -> int:
    return scoring_of(inst).get("places", 2)


def na_answer(inst) -> str | None:
    na = scoring_of(inst).get("not_applicable")
    return na["answer"] if na else None


def rescaled_component(inst) -> str | None:
    rescale = scoring_of(inst).get("rescale")
    return rescale["component"] if rescale else None


def component_of_area(inst) -> dict[str, str]:
    return {a["code"]: a.get("component") for a in inst.areas}


def line_kind(inst, c: dict) -> str | None:
    nt = inst.data.get("numeric_types", {}).get(c["answer_type"])
    return nt["kind"] if nt and nt["kind"] in KINDS else None


def categories(inst, c: dict) -> list[dict]:
    return inst.data["numeric_types"][c["answer_type"]].get("categories", [])


def spec(inst, cid: str) -> dict:
    """Everything the rules and the arithmetic need about one line (compiled into the ruleset)."""
    crit = inst.criteria[cid]
    c = crit.data
    kind = crit.kind
    out: dict = {"kind": kind, "places": places(inst)}
    if kind in ("score", "adjustment"):
        lo, hi = c["range"]
        out["range"] = [text(to_decimal(lo)), text(to_decimal(hi))]
    if kind in ("score", "category"):
        out["weight"] = text(to_decimal(c["weight"]))
    if kind == "category":
        out["categories"] = {cat["code"]: (text(to_decimal(cat["points"])) if "points" in cat else None)
                             for cat in categories(inst, c)}
    if c.get("multiplier"):
        m = c["multiplier"]
        out["multiplier"] = m
        out["multiplier_max"] = text(to_decimal(inst.criteria[m].data["range"][1]))
    comp = component_of_area(inst).get(crit.area)
    out["na"] = na_answer(inst)
    out["may_be_na"] = na_answer(inst) is not None and comp == rescaled_component(inst) and kind != "adjustment"
    return out


def max_points(inst, cid: str) -> float:
    """The most points the line can give (its multiplier at its maximum)."""
    c = inst.criteria[cid].data
    kind = inst.criteria[cid].kind
    if kind == "score":
        return float(c["weight"])
    if kind == "adjustment":
        return float(c["range"][1])
    known = [cat["points"] for cat in categories(inst, c) if "points" in cat]
    return float(max(known)) if known else float(c["weight"])


def best_answer(inst, cid: str) -> str | None:
    """The answer that gives a line its most points (None when no answer is known to)."""
    crit = inst.criteria[cid]
    if crit.kind in ("score", "adjustment"):
        return text(to_decimal(crit.data["range"][1]))
    known = [cat for cat in categories(inst, crit.data) if "points" in cat]
    return max(known, key=lambda cat: cat["points"])["code"] if known else None


# ---------------------------------------------------------------------------
# answers


class AnswerProblem(ValueError):
    """A bad answer to a points line: an i18n message id and its fields."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key = key
        self.fields = fields


def _fmt(d) -> str:
    return text(to_decimal(d))


def normalise_answer(inst, cid: str, raw) -> str | None:
    """The canonical text of an answer to a points line; None when unanswered.

    Raises :class:`AnswerProblem` naming what is wrong."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    crit = inst.criteria[cid]
    s = spec(inst, cid)
    na = na_answer(inst)
    if isinstance(raw, str) and na is not None and raw.strip().upper() == na.upper():
        if not s["may_be_na"]:
            raise AnswerProblem("pt.na_not_here", cid=cid, na=na, component=rescaled_component(inst) or "-")
        return na
    if crit.kind == "category":
        return _category_answer(inst, cid, s, raw)
    lo, hi = s["range"]
    try:
        d = to_decimal(raw)
    except ValueError:
        key = "pt.bad_number_na" if s["may_be_na"] else "pt.bad_number"
        raise AnswerProblem(key, cid=cid, lo=lo, hi=hi, answer=raw, na=na) from None
    if decimals(d) > MAX_DECIMALS:
        raise AnswerProblem("pt.decimals", cid=cid, answer=raw, n=MAX_DECIMALS)
    if not to_decimal(lo) <= d <= to_decimal(hi):
        raise AnswerProblem("pt.range", cid=cid, lo=lo, hi=hi, answer=text(d))
    return text(d)


def _category_answer(inst, cid: str, s: dict, raw) -> str:
    cats = categories(inst, inst.criteria[cid].data)
    allowed = ", ".join(c["code"] for c in cats)
    if not isinstance(raw, str):
        raise AnswerProblem("pt.bad_category", cid=cid, answer=raw, allowed=allowed)
    code_text, sep, points_text = raw.partition("=")
    key = code_text.strip().upper()
    cat = next((c for c in cats if key in (c["code"].upper(), c["label"].upper())), None)
    if cat is None:
        raise AnswerProblem("pt.bad_category", cid=cid, answer=raw, allowed=allowed)
    code = cat["code"]
    if "points" in cat:
        if sep:
            raise AnswerProblem("pt.points_known", cid=cid, code=code, points=_fmt(cat["points"]))
        return code
    if not sep:
        raise AnswerProblem("pt.points_unknown", cid=cid, code=code)
    try:
        pts = to_decimal(points_text)
    except ValueError:
        raise AnswerProblem("pt.points_range", cid=cid, code=code, answer=points_text.strip(),
                            weight=s["weight"]) from None
    if decimals(pts) > MAX_DECIMALS or not 0 <= pts <= to_decimal(s["weight"]):
        raise AnswerProblem("pt.points_range", cid=cid, code=code, answer=points_text.strip(), weight=s["weight"])
    return f"{code}={text(pts)}"


def split_category(answer: str) -> tuple[str, str | None]:
    """``"B=3.33"`` -> ``("B", "3.33")``; ``"A"`` -> ``("A", None)``."""
    code, sep, pts = answer.partition("=")
    return code, (pts if sep else None)


def numeric_score(inst, cid: str, answer: str | None) -> Fraction | None:
    """The number a score or adjustment answer stands for (None: unanswered or not applicable)."""
    if answer is None or answer == na_answer(inst):
        return None
    return exact(answer)


# ---------------------------------------------------------------------------
# arithmetic (applied for both engines from the rules' declared effects)


def line_points(s: dict, answer: str, multiplier_answer: str | None, scaled: bool) -> tuple[Decimal, Decimal]:
    """(points, points before the multiplier) of one answered, applicable line.

    ``scaled``: apply the multiplier (its answer must then be a number);
    otherwise the multiplier is missing and the line scores 0."""
    p = s["places"]
    if s["kind"] == "adjustment":
        v = round_half_up(exact(answer), p)
        return v, v
    if s["kind"] == "category":
        code, given = split_category(answer)
        pts = given if given is not None else s["categories"][code]
        v = round_half_up(exact(pts), p)
        return v, v
    base = exact(answer) / exact(s["range"][1]) * exact(s["weight"])
    raw = round_half_up(base, p)
    if "multiplier" not in s:
        return raw, raw
    if not scaled:
        return round_half_up(Fraction(0), p), raw
    factor = exact(multiplier_answer) / exact(s["multiplier_max"])
    return round_half_up(base * factor, p), raw


def answer_points(inst, cid: str, answer) -> float | None:
    """The points an answer to a line stands for before any multiplier (what two assessors'
    answers are compared by); None for no answer, not applicable, or an answer the line refuses."""
    if answer is None or answer == na_answer(inst):
        return None
    try:
        canonical = normalise_answer(inst, cid, answer)
    except AnswerProblem:
        return None
    if canonical is None or canonical == na_answer(inst):
        return None
    return as_float(line_points(spec(inst, cid), canonical, None, False)[1])
