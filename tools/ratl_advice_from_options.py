"""Draft an instrument's ``ratl.yaml`` from its option texts:
``python tools/ratl_advice_from_options.py pmprb/rules/<instrument> [--write]``.

For every scored choice criterion and every answer below the best, ``next``
says what the next better level requires: the next option's text, cleaned
("Ya, apabila telah terdapat X" becomes "Telah terdapat X"; an empty "Ya"
option becomes the criterion's own text). Numeric (computed) criteria get
``requires``: the criterion's text. An area file's ``ratl.action`` /
``ratl.output`` that says more than the converter's generic "Wujudkan
kondisi terbaik: <best option>" is carried over as the author's advice.

Entries already in ``ratl.yaml`` win key by key, so the author's edits
survive a re-run; only what is missing is derived. Prints the YAML, or
writes it with ``--write``. Review the result: it is a draft for the
instrument author, not a source of truth.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from pmprb.engine.instrument import RATL_FILE, load_instrument

# The earlier converter's filler texts: not the author's advice, so not carried over.
GENERIC_ACTION = "Wujudkan kondisi terbaik: "
GENERIC_NUMERIC = "Tingkatkan capaian hingga 100%: "
_YES_PREFIX = re.compile(r"^(?:(?:ya|yes)\b\s*[,:;-]?\s*)?(?:(?:apabila|jika|bila|if|when)\b\s*)?", re.IGNORECASE)

HEADER = """\
# What each criterion's next level requires, per answer below the best
# (next: answer -> requirement; requires: for any answer), with the author's
# recommended action and typical output where written. Drafted by
# tools/ratl_advice_from_options.py from the option texts, then edited.
# Loaded with the instrument (part of its revision); see
# docs/instrument-authoring.md.
"""


def _clean(text: str) -> str:
    text = " ".join((text or "").split())
    stripped = _YES_PREFIX.sub("", text)
    text = stripped or text
    return text[:1].upper() + text[1:]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def derive(inst) -> dict:
    out: dict = {}
    for cid, c in inst.criteria.items():
        if not c.scored:
            continue
        entry: dict = {}
        if c.is_choice:
            answers = [a for a, _ in c.options]
            texts = dict(c.options)
            levels = {}
            for i, answer in enumerate(answers[1:], start=1):
                levels[answer] = _clean(texts[answers[i - 1]]) or " ".join(c.text.split())
            if levels:
                entry["next"] = levels
        else:
            text = " ".join(c.text.split())
            kind = (c.formula or {}).get("kind")
            entry["requires"] = (f"{text}: capaian 100%" if kind == "ratio" else
                                 f"{text}: tidak ada lagi kejadian (penurunan penuh)" if kind == "decrease" else text)
        area_ratl = c.data.get("ratl", {})
        best_text = c.options[0][1] if c.options else ""
        action = area_ratl.get("action", "")
        generic = [GENERIC_ACTION + best_text, GENERIC_ACTION + _clean(best_text), GENERIC_NUMERIC + c.text]
        if action and not any(_same(action, g) for g in generic):
            entry["action"] = " ".join(action.split())
        if area_ratl.get("output"):
            entry["output"] = " ".join(area_ratl["output"].split())
        out[cid] = entry
    return out


def merge(derived: dict, existing: dict) -> dict:
    out = {}
    for cid, entry in derived.items():
        mine = dict(existing.get(cid) or {})
        merged = dict(entry)
        if isinstance(mine.get("next"), dict) and isinstance(entry.get("next"), dict):
            merged["next"] = {**entry["next"], **mine.pop("next")}
        merged.update(mine)
        out[cid] = merged
    for cid, entry in existing.items():
        out.setdefault(cid, entry)   # the loader reports criteria that do not exist
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instrument", help="instrument folder (or bundled id)")
    parser.add_argument("--write", action="store_true", help=f"write {RATL_FILE} into the instrument folder")
    args = parser.parse_args(argv)
    inst = load_instrument(args.instrument)
    folder = Path(inst.origin)
    target = folder / RATL_FILE
    existing = {}
    if target.is_file():
        existing = (yaml.safe_load(target.read_text(encoding="utf-8")) or {}).get("criteria") or {}
    data = {"criteria": merge(derive(inst), existing)}
    text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    if args.write:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target} ({len(data['criteria'])} criteria)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
