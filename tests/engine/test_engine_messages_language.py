"""Engine refusals a user can meet outside instrument files (issue 14, item 5):
Bahasa Indonesia by default, English on request."""

from __future__ import annotations

import pytest

from pmprb import i18n
from pmprb.engine import evaluator, scoring
from pmprb.engine.instrument import load_instrument
from pmprb.errors import ValidationError


def test_a_bad_rules_engine_setting(monkeypatch):
    monkeypatch.setenv("PMPRB_RULES_ENGINE", "cepat")
    with pytest.raises(ValidationError, match="PMPRB_RULES_ENGINE harus salah satu dari durable, plain, bukan 'cepat'"):
        evaluator.default_engine()
    i18n.set_lang("en")
    with pytest.raises(ValidationError, match="PMPRB_RULES_ENGINE must be one of durable, plain, got 'cepat'"):
        evaluator.default_engine()


def test_an_unknown_engine_name():
    with pytest.raises(ValidationError, match="mesin aturan 'cepat' tidak dikenal"):
        evaluator.Evaluator(load_instrument("pmprb-2014"), "cepat")


def test_an_unknown_hasil_category():
    inst = load_instrument("pmprb-2014")
    with pytest.raises(ValidationError, match="kategori 'unqualified' tidak dikenal; seharusnya salah satu dari WTP"):
        scoring.score_hasil(inst, {"H.2.b": "unqualified"})
