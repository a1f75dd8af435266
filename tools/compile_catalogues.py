"""Compile the gettext catalogues in ``pmprb/locale/*/LC_MESSAGES/*.po`` to ``.mo``.

``python tools/compile_catalogues.py`` writes every ``.mo`` beside its ``.po``;
``--check`` only reports the ``.mo`` files that are missing or out of date
(a test runs it). Pure Python (the format of CPython's Tools/i18n/msgfmt.py),
so neither GNU gettext nor Babel is needed; output is deterministic (entries
sorted by msgid), so a compiled file changes only when its ``.po`` does.
"""

from __future__ import annotations

import argparse
import ast
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "pmprb" / "locale"


def parse_po(text: str, source: str = "<po>") -> dict[str, str]:
    """msgid (plural forms joined by NUL, as in .mo files) -> msgstr; fuzzy entries are skipped."""
    entries: dict[str, str] = {}
    msgid = msgid_plural = None
    strs: dict[int, str] = {}
    fuzzy = False
    section = None

    def flush():
        nonlocal msgid, msgid_plural, strs, fuzzy
        if msgid is not None and not fuzzy:
            key = msgid if msgid_plural is None else msgid + "\0" + msgid_plural
            value = "\0".join(strs[i] for i in sorted(strs))
            if key == "" or any(strs.values()):
                entries[key] = value
        msgid = msgid_plural = None
        strs = {}
        fuzzy = False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        if keyword == "msgid":
            if msgid is not None and strs:
                saved_fuzzy = fuzzy
                flush()
                fuzzy = saved_fuzzy
            msgid, section = "", "id"
        elif keyword == "msgid_plural":
            msgid_plural, section = "", "plural"
        elif keyword is not None and keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            strs[index] = ""
            section = index
        elif keyword is not None:
            raise ValueError(f"{source}:{number}: unknown keyword {keyword!r}")
        try:
            value = ast.literal_eval(rest.strip())
        except (ValueError, SyntaxError):
            raise ValueError(f"{source}:{number}: not a quoted string: {rest.strip()!r}") from None
        if section == "id":
            msgid += value
        elif section == "plural":
            msgid_plural += value
        else:
            strs[section] += value
    flush()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    keys = sorted(entries)
    ids = strs = b""
    offsets = []
    for k in keys:
        kb, vb = k.encode("utf-8"), entries[k].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets) \
        + ids + strs


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale .mo files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for po in catalogues():
        data = mo_bytes(parse_po(po.read_text(encoding="utf-8"), str(po)))
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.read_bytes() == data:
            continue
        stale.append(mo)
        if not args.check:
            mo.write_bytes(data)
    for mo in stale:
        print(("stale: " if args.check else "wrote: ") + str(mo))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
