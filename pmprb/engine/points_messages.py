"""Texts about points lines and points worksheets, in both languages (see :mod:`pmprb.i18n`)."""

from __future__ import annotations

from pmprb import i18n
from pmprb.errors import ValidationError
from pmprb.engine import points

i18n.register({
    "pt.bad_number": {"id": "{cid} harus berupa angka {lo}..{hi}, bukan {answer!r}",
                      "en": "{cid} takes a number within {lo}..{hi}, got {answer!r}"},
    "pt.bad_number_na": {"id": "{cid} harus berupa angka {lo}..{hi} atau {na} (tidak berlaku), bukan {answer!r}",
                         "en": "{cid} takes a number within {lo}..{hi} or {na} (not applicable), got {answer!r}"},
    "pt.range": {"id": "{cid}: {answer} di luar rentang {lo}..{hi}", "en": "{cid}: {answer} is outside {lo}..{hi}"},
    "pt.decimals": {"id": "{cid}: {answer!r} memiliki lebih dari {n} desimal",
                    "en": "{cid}: {answer!r} has more than {n} decimals"},
    "pt.na_not_here": {"id": "{cid} tidak dapat diisi {na}: hanya indikator komponen {component} yang dapat "
                             "dinyatakan tidak berlaku",
                       "en": "{cid} cannot be {na}: only lines of component {component} may be not applicable"},
    "pt.bad_category": {"id": "kategori {answer!r} tidak dikenal untuk {cid}; pilihan: {allowed}",
                        "en": "unknown category {answer!r} for {cid}; expected one of {allowed}"},
    "pt.points_unknown": {"id": "instrumen tidak mengetahui poin {code} untuk {cid} (lihat keputusan instrumen); "
                                "tuliskan poinnya: {code}=<poin>",
                          "en": "the instrument does not know the points of {code} for {cid} (see its decisions); "
                                "give them as {code}=<points>"},
    "pt.points_known": {"id": "{code} bernilai {points} poin menurut instrumen ({cid}); tulis kategorinya saja",
                        "en": "{code} is worth {points} points in the instrument ({cid}); give the category alone"},
    "pt.points_range": {"id": "{cid}: poin {code} harus berupa angka 0..{weight}, bukan {answer!r}",
                        "en": "{cid}: the points of {code} must be a number within 0..{weight}, got {answer!r}"},
    # worksheets
    "pt.ws_only_points": {"id": "{field} hanya untuk instrumen yang dinilai dengan poin per indikator",
                          "en": "{field} is only for instruments scored in points per line"},
    "pt.ws_weight": {"id": "bobot yang berlaku harus berupa angka lebih dari 0 sampai {max}, bukan {value!r}",
                     "en": "the applicable weight must be a number above 0 and at most {max}, got {value!r}"},
    "pt.ws_no_rescale": {"id": "instrumen ini tidak menyesuaikan bobot komponen mana pun",
                         "en": "this instrument rescales no component"},
    "pt.ws_published_key": {"id": "kunci tidak dikenal {field!r} (yang diizinkan: {allowed})",
                            "en": "unknown key {field!r} (allowed: {allowed})"},
    "pt.ws_published_number": {"id": "harus berupa angka, bukan {value!r}", "en": "expected a number, got {value!r}"},
    "pt.ws_published_line": {"id": "{cid} bukan indikator berpoin pada instrumen {inst}",
                             "en": "{cid} is not a points line of instrument {inst}"},
    "pt.ws_published_component": {"id": "komponen tidak dikenal {cid!r} (yang ada: {allowed})",
                                  "en": "unknown component {cid!r} (expected: {allowed})"},
})


def text_of(problem: points.AnswerProblem, lang: str | None = None) -> str:
    return i18n.t(problem.key, lang, **problem.fields)


def checked_answer(inst, cid: str, raw) -> str | None:
    """:func:`points.normalise_answer`, raising ValidationError with the located text."""
    try:
        return points.normalise_answer(inst, cid, raw)
    except points.AnswerProblem as exc:
        raise ValidationError(text_of(exc)) from None


i18n.register({
    "pt.hint_number": {"id": "angka {lo}..{hi} (bobot {weight})", "en": "a number {lo}..{hi} (weight {weight})"},
    "pt.hint_adjustment": {"id": "angka {lo}..{hi}, ditambahkan apa adanya",
                           "en": "a number {lo}..{hi}, added as it is"},
    "pt.hint_multiplier": {"id": "dikali nilai {cid} ÷ {max}", "en": "multiplied by {cid} ÷ {max}"},
    "pt.hint_category": {"id": "kategori: {cats}", "en": "category: {cats}"},
    "pt.hint_points": {"id": "{code} ({points} poin)", "en": "{code} ({points} points)"},
    "pt.hint_given": {"id": "{code}=<poin>", "en": "{code}=<points>"},
    "pt.hint_na": {"id": "atau {na} (tidak berlaku)", "en": "or {na} (not applicable)"},
})


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
