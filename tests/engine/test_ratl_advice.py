"""RATL advice from the instrument data (ratl.yaml): loaded and validated with
the instrument, part of its revision, derived from the option texts where the
author wrote nothing — never one sentence over every row."""

from __future__ import annotations

import shutil

import pytest

from pmprb.engine import ratl_advice
from pmprb.engine.instrument import RULES_DIR, load_instrument
from pmprb.errors import ValidationError

from engine_support import pmprb2014


def copy(tmp_path, name="pmprb-2014"):
    folder = tmp_path / name
    shutil.copytree(RULES_DIR / name, folder)
    return folder


@pytest.mark.parametrize("name", ["pmprb-2014", "zi-2021"])
def test_bundled_advice_covers_every_scored_criterion(name):
    inst = load_instrument(name)
    scored = [cid for cid, c in inst.criteria.items() if c.scored]
    assert set(inst.data["ratl_advice"]) == set(scored)


def test_advice_is_part_of_the_revision(tmp_path):
    folder = copy(tmp_path)
    before = load_instrument(folder).revision
    path = folder / "ratl.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "output: Peraturan/Keputusan Kepala Daerah tentang Standar Pelayanan",
        "output: Keputusan Wali Kota tentang Standar Pelayanan"), encoding="utf-8")
    assert load_instrument(folder).revision != before
    (folder / "ratl.yaml").unlink()
    without = load_instrument(folder)
    assert "ratl_advice" not in without.data and without.revision != before


def test_next_level_from_the_answer_given():
    inst = pmprb2014()
    a = ratl_advice.advice(inst, "PP.1.b", "C")
    assert (a.answer, a.next_answer, a.best_answer) == ("C", "B", "A")
    assert a.requires == "Standar pelayanan telah dimaklumatkan pada sebagian besar jenis pelayanan"
    text = ratl_advice.rekomendasi(a)
    assert text.startswith("Naikkan dari jawaban C ke B: Standar pelayanan telah dimaklumatkan pada sebagian besar")
    assert "Kondisi terbaik (A): Standar pelayanan telah dimaklumatkan pada seluruh jenis pelayanan." in text
    pp1a = ratl_advice.advice(inst, "PP.1.a", "Tidak")
    assert pp1a.requires.startswith("Telah terdapat kebijakan standar pelayanan")   # "Ya, apabila" cleaned away
    assert pp1a.action.startswith("Susun dan tetapkan kebijakan standar pelayanan")
    assert ratl_advice.output(pp1a) == "Peraturan/Keputusan Kepala Daerah tentang Standar Pelayanan"
    assert "membuka nilai PP.1.b, PP.1.c" in ratl_advice.rekomendasi(pp1a, unlocks=["PP.1.b", "PP.1.c"])
    # Unanswered counts as the worst answer.
    assert ratl_advice.advice(inst, "PP.1.b", None).next_answer == "C"


def test_no_boilerplate_over_the_rows():
    inst = pmprb2014()
    texts = [ratl_advice.rekomendasi(ratl_advice.advice(inst, cid, c.options[-1][0]))
             for cid, c in inst.criteria.items() if c.scored]
    assert len(set(texts)) == len(texts)
    assert not any(t.startswith("Wujudkan kondisi terbaik") for t in texts)
    outputs = [ratl_advice.output(ratl_advice.advice(inst, cid, c.options[-1][0]))
               for cid, c in inst.criteria.items() if c.scored]
    assert len(set(outputs)) == len(outputs)


def test_derived_when_the_author_wrote_nothing(tmp_path):
    folder = copy(tmp_path)
    (folder / "ratl.yaml").write_text("criteria:\n  PP.1.a:\n    output: SK Standar Pelayanan\n", encoding="utf-8")
    inst = load_instrument(folder)
    a = ratl_advice.advice(inst, "PP.1.b", "D")
    assert a.requires == "Standar pelayanan telah dimaklumatkan pada sebagian kecil jenis pelayanan"
    assert not a.authored and a.action is None       # ratl.yaml supersedes the area files' template
    assert ratl_advice.output(a).startswith("Bukti dukung yang menunjukkan kondisi jawaban A")
    assert ratl_advice.output(ratl_advice.advice(inst, "PP.1.a", "Tidak")) == "SK Standar Pelayanan"


@pytest.mark.parametrize("text, message", [
    ("criteria:\n  XX.9.z:\n    requires: x\n", "ratl.yaml:2: criteria.XX.9.z: unknown criterion 'XX.9.z'"),
    ("criteria:\n  PP.1.b:\n    next:\n      A: x\n", "ratl.yaml:4: criteria.PP.1.b.next.A: 'A' is the best answer"),
    ("criteria:\n  PP.1.b:\n    next:\n      Q: x\n", "ratl.yaml:4: criteria.PP.1.b.next.Q: 'Q' is not an answer"),
    ("criteria:\n  PP.1.b:\n    advice: x\n", "ratl.yaml:3: criteria.PP.1.b.advice: unknown key 'advice'"),
    ("criteria:\n  PP.1.b:\n    action: '  '\n", "ratl.yaml:3: criteria.PP.1.b.action: must not be empty"),
    ("criteria:\n  PP.1.b: {}\n", "ratl.yaml:2: criteria.PP.1.b: give at least one of"),
    ("criteria: [1]\n", "ratl.yaml:1: criteria: expected a mapping"),
])
@pytest.mark.usefixtures("english")
def test_errors_name_file_line_and_path(tmp_path, text, message):
    folder = copy(tmp_path)
    (folder / "ratl.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_instrument(folder)
    assert any(message in d for d in exc.value.details), exc.value.details


@pytest.mark.usefixtures("english")
def test_a_stored_instrument_checks_its_advice_again():
    from pmprb.engine.instrument import Instrument
    import json

    data = json.loads(pmprb2014().canonical_json)
    data["ratl_advice"]["PP.1.b"]["next"]["A"] = "x"
    with pytest.raises(ValidationError) as exc:
        Instrument.from_canonical_json(json.dumps(data))
    assert any("'A' is the best answer of PP.1.b" in d for d in exc.value.details)


@pytest.mark.parametrize("text, message", [
    ("criteria:\n  XX.9.z:\n    requires: x\n", "ratl.yaml:2: criteria.XX.9.z: kriteria 'XX.9.z' tidak dikenal"),
    ("criteria:\n  PP.1.b:\n    advice: x\n",
     "ratl.yaml:3: criteria.PP.1.b.advice: kunci 'advice' tidak dikenal (yang diizinkan: action"),
    ("criteria:\n  PP.1.b: {}\n", "criteria.PP.1.b: berikan paling sedikit satu dari next, requires, action, output"),
])
def test_errors_are_in_bahasa_indonesia_by_default(tmp_path, text, message):
    folder = copy(tmp_path)
    (folder / "ratl.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_instrument(folder)
    assert any(message in d for d in exc.value.details), exc.value.details
    assert "instrumen tidak valid" in exc.value.message
