"""What a RATL action asks for, from the instrument's data.

An instrument may carry ``ratl.yaml`` beside its area files (merged in as
``ratl_advice``, so it is part of the revision a round pins). Per criterion:

- ``next``: answer → what reaching the next better level requires from that
  answer (derived from the option texts by ``tools/ratl_advice_from_options.py``
  and then edited by the author);
- ``requires``: the same for any answer (numeric items, or one text for all);
- ``action``: the recommended action, ``output``: the typical output
  (indicator of success), both optional and written by the author;
- ``*_en``: English versions.

A criterion without an entry gets advice derived from its option texts: the
text of the next better option (or the criterion's own text when that option
has none), never one sentence repeated over every row. An instrument that has
no ``ratl.yaml`` at all falls back on its area files' ``ratl.action`` /
``ratl.output``; with a ``ratl.yaml`` those are superseded (one place for the
RATL's texts per instrument).

Texts are composed here in Bahasa Indonesia by default (the language of the
institution's documents) through :mod:`pmprb.i18n`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmprb import i18n

@dataclass(frozen=True)
class Advice:
    criterion: str
    answer: str | None          # the answer the advice starts from (None: unanswered)
    next_answer: str | None     # the next better answer (None: numeric item or already best)
    best_answer: str | None
    requires: str               # what the next level requires
    best_text: str              # the best condition
    action: str | None          # the author's recommended action, if written
    output: str | None          # the author's typical output, if written
    authored: bool              # requires came from the instrument data, not derived


def _pick(entry: dict, key: str, lang: str):
    if lang == "en" and entry.get(f"{key}_en"):
        return entry[f"{key}_en"]
    return entry.get(key)


def _option_text(c, answer: str, lang: str) -> str:
    for opt in c.data.get("options", []):
        if opt["answer"] == answer:
            text = opt.get("text_en") if lang == "en" and opt.get("text_en") else opt.get("text")
            return " ".join((text or "").split())
    return ""


def advice(inst, cid: str, answer, *, lang: str = "id") -> Advice:
    """The advice for criterion ``cid`` whose final answer is ``answer``."""
    c = inst.criteria[cid]
    given = inst.data.get("ratl_advice")
    entry = (given or {}).get(cid, {})
    crit_text = " ".join(c.text_in(lang).split())
    answers = [a for a, _ in c.options]
    best = answers[0] if answers else None
    nxt = None
    if answers:
        # Unanswered counts as the worst option: the next level is the one above it.
        i = answers.index(answer) if answer in answers else len(answers) - 1
        nxt = answers[i - 1] if i > 0 else None
    authored_next = (_pick(entry, "next", lang) or {}) if isinstance(entry.get("next"), dict) else {}
    key = answer if answer in answers else answers[-1] if answers else None
    requires = authored_next.get(key) if key is not None else None
    authored = requires is not None
    if requires is None and _pick(entry, "requires", lang):
        requires, authored = _pick(entry, "requires", lang), True
    if requires is None:
        requires = (_option_text(c, nxt, lang) if nxt else "") or crit_text
    best_text = (_option_text(c, best, lang) if best else "") or crit_text
    if given is None:
        # No ratl.yaml: the area files' own RATL template is the author's advice.
        area_ratl = c.data.get("ratl", {})
        action = (area_ratl.get("action_en") if lang == "en" else None) or area_ratl.get("action") or None
        output = area_ratl.get("output") or None
    else:
        action, output = _pick(entry, "action", lang), _pick(entry, "output", lang)
    return Advice(criterion=cid, answer=answer, next_answer=nxt, best_answer=best, requires=requires,
                  best_text=best_text, action=action, output=output, authored=authored)


def rekomendasi(a: Advice, *, unlocks=(), gates=(), lang: str = "id") -> str:
    """The recommendation of one RATL item: the next level's requirement, the
    best condition when it is further, what the action unlocks or waits for."""
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    if a.next_answer and a.answer is None:
        parts = [t("advice.rekomendasi_unanswered", next=a.next_answer, requires=a.requires)]
    elif a.next_answer:
        parts = [t("advice.rekomendasi", answer=a.answer, next=a.next_answer, requires=a.requires)]
    else:
        parts = [t("advice.rekomendasi_plain", requires=a.requires)]
    if a.next_answer and a.best_answer and a.next_answer != a.best_answer:
        parts.append(t("advice.best_after", best=a.best_answer, text=a.best_text))
    if unlocks:
        parts.append(t("advice.unlocks", ids=", ".join(unlocks)))
    if gates:
        parts.append(t("advice.after_gate", ids=", ".join(gates)))
    return " ".join(_sentence(p) for p in parts)


def rencana_aksi(a: Advice, rekomendasi_text: str) -> str:
    """Where the plan starts (editable): the author's action, else the recommendation."""
    return a.action or rekomendasi_text


def output(a: Advice, *, lang: str = "id") -> str:
    if a.output:
        return a.output
    if a.best_answer:
        return i18n.t("advice.output_best", lang=lang, best=a.best_answer, text=a.best_text)
    return i18n.t("advice.output_value", lang=lang, text=a.best_text)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ")")) or not text else text + "."


# ---------------------------------------------------------------------------
# validation (called by the instrument loader; paths are merged-data paths)


def check_advice(data: dict, criteria: dict, err) -> None:
    given = data.get("ratl_advice")
    if not isinstance(given, dict):
        return
    types = data["answer_types"]
    numeric = data.get("numeric_types", {})
    for cid, entry in given.items():
        path = ("ratl_advice", cid)
        c = criteria.get(cid)
        if c is None:
            err(path, i18n.t("advcheck.unknown_criterion", cid=cid))
            continue
        if not isinstance(entry, dict):
            continue
        if c.get("answer_type") not in types and c.get("answer_type") not in numeric:
            continue  # an unknown answer type is reported once, with the criterion
        nt = numeric.get(c["answer_type"])
        kind = nt["kind"] if nt else "choice"
        if not c.get("scored", kind != "count"):
            err(path, i18n.t("advcheck.scored_never_enters_ratl", cid=cid))
            continue
        if not entry:
            err(path, i18n.t("advcheck.give_least_one_next"))
        for key, text in entry.items():
            if isinstance(text, str) and not text.strip():
                err(path + (key,), i18n.t("advcheck.must_empty"))
        for key in ("next", "next_en"):
            levels = entry.get(key)
            if not isinstance(levels, dict):
                continue
            if kind != "choice":
                err(path + (key,), i18n.t("advcheck.has_no_answer_levels", cid=cid, answer_type=c['answer_type']))
                continue
            answers = [o["answer"] for o in types.get(c["answer_type"], [])]
            for answer, text in levels.items():
                if answer not in answers:
                    err(path + (key, answer), i18n.t("advcheck.answer", answer=answer, cid=cid, answer_type=c['answer_type'], items=', '.join(answers)))
                elif answer == answers[0]:
                    err(path + (key, answer), i18n.t("advcheck.best_answer_has_no", answer=answer, cid=cid))
                elif isinstance(text, str) and not text.strip():
                    err(path + (key, answer), i18n.t("advcheck.must_empty"))


__all__ = ["Advice", "advice", "rekomendasi", "rencana_aksi", "output", "check_advice"]
