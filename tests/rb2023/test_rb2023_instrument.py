"""The three Indeks RB 2023 instruments as data: structure, the portal's lines, `rules show` and
`rules validate`, the recorded decisions, and the loader's checks of points instruments."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.engine import points
from pmprb.engine.instrument import RULES_DIR, load_instrument
from pmprb.errors import ValidationError

from rb_support import KINDS, by_source, instrument, oracles

# Pinned like the other bundled instruments: rounds will store these.
REVISIONS = {
    "kabkota": "c2725efb75a523bce920bbd5cec775889606e779e62018f4c0d255deba948fd2",
    "provinsi": "77b63b1bb782699dc00931319b70ceafff52c9bb0a57fbd623f5f1efdaeb0323",
    "kl": "58eb3c27d7e326a7bae1658e32c0c82994f82e578f93bebf306736e8f4d64e46",
}
NOMINAL = {"kabkota": 120, "provinsi": 120, "kl": 110}


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("kind", KINDS)
def test_revision_is_pinned(kind):
    assert instrument(kind).revision == REVISIONS[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_components_areas_and_lines_add_up(kind):
    inst = instrument(kind)
    comps = {c["id"]: c["weight"] for c in inst.components}
    assert comps == {"general": 100, "tematik": NOMINAL[kind] - 100}
    weights = {"general": 0.0, "tematik": 0.0}
    for cid, c in inst.criteria.items():
        if c.kind != "adjustment":
            weights[points.component_of_area(inst)[c.area]] += c.data["weight"]
    assert {k: round(v, 9) for k, v in weights.items()} == comps
    assert [c.kind for c in inst.criteria.values()].count("adjustment") == 1
    assert [c.kind for c in inst.criteria.values()].count("category") == 1
    themes = {c.data.get("theme") for c in inst.criteria.values()} - {None}
    assert themes == {"kemiskinan", "investasi", "digitalisasi", "pdn", "inflasi"}


@pytest.mark.parametrize("kind", KINDS)
def test_every_portal_line_is_a_criterion_with_its_weight_range_and_multiplier(kind):
    inst = instrument(kind)
    src = by_source(inst)
    seen = set()
    for o in oracles()["institutions"]:
        if o["kind"] != kind:
            continue
        for line in o["lines"]:
            cid = src[str(line["question_id"])]
            seen.add(cid)
            c = inst.criteria[cid].data
            if c["answer_type"] == "Koefisien":
                assert c["range"] == [line["min"], line["max"]] and "weight" not in c
                continue
            assert c["weight"] == line["weight"], cid
            if c["answer_type"] != "Opini BPK":
                assert c["range"] == [line["min"], line["max"]], cid
            m = line["pengali_question_id"]
            assert c.get("multiplier") == (src[str(m)] if m else None), cid
    extra = set(inst.criteria) - seen
    # provinsi: question 1077 (inflation impact) has no line in the 2023 oracle
    assert extra == ({"2B1-5"} if kind == "provinsi" else set())
    if kind == "provinsi":
        assert inst.criteria["2B1-5"].data["source_id"] == "1077"


def test_kab_kota_ids_are_the_official_codes():
    inst = instrument("kabkota")
    assert list(inst.criteria)[:4] == ["1A11", "1A12", "1B11", "1B12"]
    assert {"1B22a", "1B22b", "1C12a", "1C12b", "1C13a", "1C13b", "KOEF04", "2A11-1", "2A12-5", "2B1-5"} <= set(
        inst.criteria)


@pytest.mark.parametrize("kind", KINDS)
def test_rules_show_json_lists_every_criterion(kind):
    res = run("rules", "show", f"rb-2023-{kind}", "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    inst = instrument(kind)
    assert [c["id"] for c in s["criteria"]] == list(inst.criteria)
    for row in s["criteria"]:
        assert {"id", "source_id", "weight", "range", "multiplier"} <= set(row)
        assert row["source_id"] == inst.criteria[row["id"]].data["source_id"]
    by_id = {r["id"]: r for r in s["criteria"]}
    assert (by_id["1A12"]["weight"], by_id["1A12"]["range"], by_id["1A12"]["multiplier"]) == (7, [0, 100], "1A11")
    assert by_id["1C13a"]["categories"][0] == {"code": "WTP", "label": "Wajar Tanpa Pengecualian", "points": 5}
    assert [c["points"] for c in by_id["1C13a"]["categories"][1:]] == [None, None, None]
    assert s["scoring"]["rescale"] == {"component": "general", "places": 2}
    assert {d["gap"] for d in s["decisions"]} >= {"line-points", "opini-bpk", "koefisien", "penyesuaian",
                                                 "grade-bands", "unanswered", "ids"}


def test_rules_show_on_other_instruments_lists_criteria_without_points():
    s = json.loads(run("rules", "show", "pmprb-2014", "--json").stdout)
    assert len(s["criteria"]) == 146 and s["scoring"] is None
    assert s["criteria"][0] == {**s["criteria"][0], "id": "MP.1.a", "weight": None, "range": None,
                                "multiplier": None, "source_id": None}


def test_rules_show_text():
    out = run("--lang", "en", "rules", "show", "rb-2023-kabkota").stdout.splitlines()
    assert "  Nominal total    120 (6 areas, 9 sub-areas, 41 lines)" in out
    row = next(x for x in out if x.startswith("1A12 "))
    assert row.split() == ["1A12", "1025", "7", "0..100", "1A11", "-"]
    row = next(x for x in out if x.startswith("1C13a "))
    assert "WTP 5, WDP ?, TW ?, TMP ?" in row


@pytest.mark.parametrize("kind", KINDS)
def test_rules_validate_runs_the_worked_examples_on_every_engine(kind):
    res = run("--lang", "en", "rules", "validate", f"rb-2023-{kind}")
    assert res.exit_code == 0, res.output
    assert "13 worked examples pass" in res.stdout


def test_a_wrong_worked_example_fails(tmp_path):
    folder = tmp_path / "rb"
    shutil.copytree(RULES_DIR / "rb-2023-kabkota", folder)
    area = folder / "01-1a.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("value: 0.23", "value: 0.22"), encoding="utf-8")
    res = run("--lang", "en", "rules", "validate", str(folder))
    assert res.exit_code == 1
    assert "1A12 value expected 0.22, got 0.23" in res.output
    res = run("rules", "validate", str(folder))
    assert res.exit_code == 1 and "1A12 nilai seharusnya 0.22, ternyata 0.23" in res.output


# ---------------------------------------------------------------------------
# the loader's checks


def _broken(tmp_path, edits: list[tuple[str, str, str]]):
    folder = tmp_path / "rb"
    shutil.copytree(RULES_DIR / "rb-2023-kabkota", folder)
    for name, old, new in edits:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_instrument(folder)
    return exc.value.details


@pytest.mark.usefixtures("english")
def test_lines_that_do_not_add_up_to_their_sub_area_are_located(tmp_path):
    details = _broken(tmp_path, [("01-1a.yaml", "    weight: 7\n", "    weight: 6\n")])
    assert any("01-1a.yaml:" in d and "the lines of sub-area 1A1 weigh 9 together, not its weight 10" in d
               for d in details), details


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("old, new, message", [
    ("    multiplier: 1A11\n", "    multiplier: 1A13\n", "unknown line '1A13'"),
    ("    multiplier: 1A11\n", "    multiplier: 1A12\n", "a line cannot be its own multiplier"),
    ("    range:\n    - 0\n    - 3\n", "    range:\n    - 3\n    - 0\n", "max 0 must be greater than min 3"),
    ("    range:\n    - 0\n    - 3\n", "", "a score line needs 'range: [min, max]'"),
])
def test_bad_lines_are_named(tmp_path, old, new, message):
    details = _broken(tmp_path, [("01-1a.yaml", old, new)])
    assert any(message in d for d in details), details


@pytest.mark.usefixtures("english")
def test_points_keys_in_an_instrument_that_averages_are_refused(tmp_path):
    folder = tmp_path / "p"
    shutil.copytree(RULES_DIR / "pmprb-2014", folder)
    path = folder / "01-mp.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: MP.1.a\n", "  - id: MP.1.a\n    weight: 2\n", 1), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_instrument(folder)
    assert any("'weight' belongs to points lines" in d for d in exc.value.details), exc.value.details


@pytest.mark.usefixtures("english")
def test_bands_must_cover_the_nominal_total(tmp_path):
    details = _broken(tmp_path, [("instrument.yaml", "  upto: 120\n", "  upto: 100\n")])
    assert any("grade bands must cover 0..120" in d for d in details), details


@pytest.mark.parametrize("kind", KINDS)
def test_a_pinned_copy_rebuilds_with_the_same_revision(kind):
    from pmprb.engine.instrument import Instrument

    inst = instrument(kind)
    again = Instrument.from_canonical_json(inst.canonical_json)
    assert again.revision == inst.revision and list(again.criteria) == list(inst.criteria)


@pytest.mark.usefixtures("english")
def test_an_example_answer_outside_its_range_is_located(tmp_path):
    details = _broken(tmp_path, [("02-1b.yaml", "    1B13: '3.277'\n", "    1B13: '7'\n")])
    assert any("02-1b.yaml:" in d and "1B13: 7 is outside 1..5" in d for d in details), details
