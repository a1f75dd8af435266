"""The engine and the rest of the package are instrument-agnostic.

Instruments are data in pmprb/rules/; nothing else may name an instrument id
(to compare it, default to it or document it) or a concept that belongs to
one instrument (the Zona Integritas predicates and components; the Indeks RB
2023 components, rescaling, adjustment line and audit-opinion line). A grep over
every source file of the package outside pmprb/rules fails on any of them,
comments and docstrings included, so a special case cannot hide in one.
"""

from __future__ import annotations

import re
from pathlib import Path

from pmprb.engine.instrument import RULES_DIR, bundled_ids

PACKAGE = Path(__file__).resolve().parents[2] / "pmprb"
SUFFIXES = {".py", ".j2", ".html", ".md", ".txt", ".toml", ".cfg", ".ini", ".sql"}
# Words that only make sense inside one instrument: the ZI predicates, components and items.
# 'Reform' is the ZI component; 'Bureaucratic Reform' (Reformasi Birokrasi) is the general subject.
INSTRUMENT_WORDS = [r"\bWBK\b", r"\bWBBM\b", r"\bPemenuhan\b", r"(?<!Bureaucratic )\bReform\b",
                    r"Zona\s+Integritas", r"\bLHKPN\b",
                    r"Wilayah\s+Bebas", r"Birokrasi\s+Bersih\s+dan\s+Melayani",
                    # the Indeks RB 2023 instruments (rb-2023-*): components, the rescaling, the adjustment
                    # line and the one category line are data, named only in their rules
                    r"\bRB\s+General\b", r"(?i)\bTematik\b", r"(?i)\bpenyesuaian\b", r"(?i)\bkoefisien\b",
                    r"\bOpini\s+BPK\b"]


def _patterns() -> list[re.Pattern]:
    ids = [re.escape(i) for i in bundled_ids()]
    assert len(ids) >= 2, "expected at least two bundled instruments"
    return [re.compile(p) for p in ids + INSTRUMENT_WORDS]


def _sources() -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES or "__pycache__" in path.parts:
            continue
        if RULES_DIR in path.parents:
            continue
        out.append(path)
    return out


def test_no_instrument_id_or_instrument_word_outside_the_rules():
    patterns = _patterns()
    found = []
    for path in _sources():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for pat in patterns:
                if pat.search(line):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{n}: {pat.pattern}: {line.strip()}")
    assert not found, ("instrument-specific names outside pmprb/rules (move them into the instrument's data, "
                       "or use pmprb.engine.instrument.default_id()):\n" + "\n".join(found))


def test_the_scan_covers_the_engine_and_sees_a_planted_word(tmp_path):
    sources = _sources()
    assert any(p.parent.name == "engine" and p.name == "evaluator.py" for p in sources)
    assert not any(RULES_DIR in p.parents for p in sources)
    planted = 'if inst.id == "zi-2021":  # WBK special case'
    assert sum(bool(p.search(planted)) for p in _patterns()) == 2
    planted = 'if inst.id == "rb-2023-kabkota":  # RB General / RB Tematik, bobot penyesuaian, Koefisien, Opini BPK'
    assert sum(bool(p.search(planted)) for p in _patterns()) == 6
    assert sum(bool(p.search("component Reform")) for p in _patterns()) == 1
    assert not any(p.search("Bureaucratic Reform Self-Assessment") for p in _patterns())
