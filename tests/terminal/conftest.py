"""Fixtures for the terminal and newcomer tests (issue 14); the assessor
world comes from ``tests/assess/assess_support.py``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "assess"))
