"""Official 2023 results reproduced to the cent, on both engines, through `pmprb score`.

The oracles (tests/data/rb-2023-oracles.json) hold every line's official score
and points and the stored totals of four institutions. For each one marked
consistent, scoring its line scores must give every line's points, RB General,
RB Tematik, the rescaled RB General and the Indeks exactly as stored. The one
marked inconsistent must be reported: `pmprb score` names the line and the
totals its published figures cannot be reproduced from, and exits 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pmprb.cli import main

from rb_support import ORACLES, by_source, engines, institutions, instrument, oracle_worksheet

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "rb-2023-oracles.json"


def score(tmp_path, ws: dict, *args: str):
    return CliRunner().invoke(main, ["score", str(_write(tmp_path, ws)), *args])


def test_the_copy_is_the_shared_reference():
    if not SHARED.is_file():
        pytest.skip(f"{SHARED} is absent (it lives outside the repository)")
    assert ORACLES.read_bytes() == SHARED.read_bytes()


def test_the_oracles_cover_every_kind_and_one_inconsistent_institution():
    assert sorted({o["kind"] for o in institutions(consistent=True)}) == ["kabkota", "kl"]
    assert [o["name"] for o in institutions(consistent=False)] == ["Provinsi Jawa Barat"]
    assert any(o["stored_totals"]["bobot_rb_general_penyesuaian"] != 100 for o in institutions(consistent=True))


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize("o", institutions(consistent=True), ids=lambda o: o["name"])
def test_every_line_and_total_is_reproduced_to_the_cent(tmp_path, o, engine):
    res = score(tmp_path, oracle_worksheet(o), "--json", "--engine", engine)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["engine"].startswith("durable_rules" if engine == "durable" else "pmprb-plain")
    src = by_source(instrument(o["kind"]))
    for line in o["lines"]:
        cid = src[str(line["question_id"])]
        want = line["score_index_stored"] or 0.0
        assert out["lines"][cid]["points"] == want, (cid, line["question_id"], out["lines"][cid])
    st = o["stored_totals"]
    assert out["components"]["general"]["score"] == st["rb_general"]
    assert out["components"]["tematik"]["score"] == st["rb_tematik"]
    assert out["rescale"]["weight"] == st["bobot_rb_general_penyesuaian"]
    assert out["rescale"]["rescaled"] == o["stored_extra"]["rb_general_penyesuaian"]
    assert out["indeks_rb"] == st["index_rb_penyesuaian"]
    assert out["published"]["consistent"] and out["published"]["mismatches"] == []
    # every published line, both components, the rescaled RB General, the applicable weight and the Indeks
    assert out["published"]["checked"] == sum(ln["score_index_stored"] is not None for ln in o["lines"]) + 5


def test_the_rescaled_institution_needs_its_official_weight(tmp_path):
    """Kota Batam: 86.5 is stated, not derivable from its lines; without it the unrescaled index is the
    portal's plain index string (RB General + RB Tematik)."""
    (batam,) = [o for o in institutions(consistent=True) if o["stored_totals"]["bobot_rb_general_penyesuaian"] != 100]
    ws = oracle_worksheet(batam, published=False)
    assert ws.pop("applicable_weight") == 86.5
    out = json.loads(score(tmp_path, ws, "--json").stdout)
    assert out["rescale"] == {**out["rescale"], "weight": 100.0, "source": "derived", "not_applicable": []}
    assert out["indeks_rb"] == float(batam["stored_extra"]["index_raw"]) == 72.26
    ws["applicable_weight"] = 86.5
    out = json.loads(score(tmp_path, ws, "--json").stdout)
    assert out["rescale"]["source"] == "input" and out["indeks_rb"] == 81.92


@pytest.mark.parametrize("engine", engines())
def test_the_inconsistent_institution_is_named_line_by_line(tmp_path, engine):
    (o,) = institutions(consistent=False)
    res = score(tmp_path, oracle_worksheet(o), "--json", "--engine", engine)
    assert res.exit_code == 1
    out = json.loads(res.stdout)  # the result is printed all the same
    bad = {(m["kind"], m["id"]): m for m in out["published"]["mismatches"]}
    assert sorted(bad, key=str) == sorted([("line", "1B113"), ("component", "general"), ("component", "tematik"),
                                           ("rescaled", "general"), ("total", None)], key=str)
    line = bad[("line", "1B113")]
    assert (line["source_id"], line["published"], line["computed"]) == ("956", 1.22, 2.03)
    # RB General follows from its published lines (one of them is wrong); RB Tematik does not even do that.
    assert bad[("component", "general")]["published_lines"]["sum"] == 79.27 == o["stored_totals"]["rb_general"]
    assert bad[("component", "tematik")]["published_lines"]["sum"] == 11.31 != o["stored_totals"]["rb_tematik"]
    assert (bad[("total", None)]["published"], bad[("total", None)]["computed"]) == (93.08, 91.39)
    # every other line is reproduced
    src = by_source(instrument(o["kind"]))
    for ln in o["lines"]:
        cid = src[str(ln["question_id"])]
        if cid != "1B113":
            assert out["lines"][cid]["points"] == (ln["score_index_stored"] or 0.0), cid
    assert "1B113" in res.stderr and "956" in res.stderr and "93.08" in res.stderr


def test_the_text_output_names_what_cannot_be_reproduced(tmp_path):
    (o,) = institutions(consistent=False)
    res = CliRunner().invoke(main, ["--lang", "en", "score", str(_write(tmp_path, oracle_worksheet(o)))])
    assert res.exit_code == 1
    assert "5 of 45 published figures cannot be reproduced from this worksheet:" in res.stdout
    assert "line 1B113 (Procurement governance index, source 956): published 1.22, computed 2.03" in res.stdout
    assert ("RB Tematik (thematic): published 13.81, computed 11.31; its published lines add up to 11.31 "
            "(14 of 15 lines)") in res.stdout
    assert "Indeks RB: published 93.08, computed 91.39" in res.stdout


def test_a_consistent_text_report(tmp_path):
    (batu,) = [o for o in institutions(consistent=True) if o["name"] == "Kota Batu"]
    res = CliRunner().invoke(main, ["score", str(_write(tmp_path, oracle_worksheet(batu))), "--criteria"])
    assert res.exit_code == 0, res.output
    text = res.stdout
    assert "  Indeks RB   76.41" in text
    assert "rentang predikat belum dikonfirmasi" in text
    assert "angka terbitan diperiksa; semuanya tereproduksi sampai sen" in text
    row = next(x for x in text.splitlines() if x.strip().startswith("1A12 "))
    assert row.split()[:5] == ["1A12", "1025", "100", "7.00", "4.18"]


def _write(tmp_path, ws: dict) -> Path:
    path = tmp_path / "ws.yaml"
    path.write_text(yaml.safe_dump(ws, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
