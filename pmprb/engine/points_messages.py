"""Texts about points lines and points worksheets, in both languages (see :mod:`pmprb.i18n`)."""

from __future__ import annotations

from pmprb import i18n
from pmprb.errors import ValidationError
from pmprb.engine import points

def text_of(problem: points.AnswerProblem, lang: str | None = None) -> str:
    return i18n.t(problem.key, lang, **problem.fields)


def checked_answer(inst, cid: str, raw) -> str | None:
    """:func:`points.normalise_answer`, raising ValidationError with the located text."""
    try:
        return points.normalise_answer(inst, cid, raw)
    except points.AnswerProblem as exc:
        raise ValidationError(text_of(exc)) from None


def answer_hint(inst, cid: str, lang: str | None = None) -> str:
    """What a points line takes, in one line: its range and weight (or categories), its multiplier,
    and the not-applicable code where the line may take it."""
    s = points.spec(inst, cid)
    if s["kind"] == "category":
        cats = [i18n.t("pt.hint_points", lang, code=code, points=pts) if pts is not None
                else i18n.t("pt.hint_given", lang, code=code) for code, pts in s["categories"].items()]
        parts = [i18n.t("pt.hint_category", lang, cats=", ".join(cats))]
    elif s["kind"] == "adjustment":
        parts = [i18n.t("pt.hint_adjustment", lang, lo=s["range"][0], hi=s["range"][1])]
    else:
        parts = [i18n.t("pt.hint_number", lang, lo=s["range"][0], hi=s["range"][1], weight=s["weight"])]
    if "multiplier" in s:
        parts.append(i18n.t("pt.hint_multiplier", lang, cid=s["multiplier"], max=s["multiplier_max"]))
    if s["may_be_na"]:
        parts.append(i18n.t("pt.hint_na", lang, na=s["na"]))
    return "; ".join(parts)
