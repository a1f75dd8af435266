"""`assess progress` lists what is left per area with the values so far
(issue 14: "`:progres`/`assess progress` print one line"; "No area or
sub-area score is visible to the assessor")."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pmprb.cli import main

from assess_support import build_world

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
RU = ["--round", "2024", "--unit", "DINKES"]


@pytest.fixture
def world(db):
    w = build_world(db, ani_areas=("MP",))
    s = w.session()
    s.save("MP.1.a", "A")          # claimed without evidence
    s.save("MP.1.b", "B")          # 0.67
    s.save("MP.2.a", "Tidak")      # gates MP.2.b..e
    s.save("MP.2.b", "A")          # 1 before gating, 0 after
    return w


def progress(world, *extra):
    return CliRunner().invoke(main, ["--db", world.db.url, "--as", "ani", "assess", "progress", *RU, *extra])


def test_progress_lists_gaps_and_values_per_area(world):
    r = progress(world)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Progres: 4/18 terjawab" in out
    assert "MP  Manajemen Perubahan: 4/18 terjawab; nilai sejauh ini " in out
    # MP.1: mean(1, 0.67, 0) x 1 = 0.56; MP.2: (0 + 0 gated + 0 ...) = 0
    assert "    MP.1  Tim Reformasi Birokrasi: 0,56 dari 1,00" in out
    assert "    MP.2  Road Map Reformasi Birokrasi: 0,00 dari 1,00" in out
    assert "    Belum dijawab: MP.1.c, MP.2.c, MP.2.d, MP.2.e, MP.3.a" in out
    assert "    Tanpa bukti dukung: MP.1.a, MP.1.b, MP.2.b\n" in out
    assert "Berikutnya: jawab MP.1.c" in out
    assert "Status kertas kerja: sedang diisi" in r.stderr


def test_progress_json_keeps_the_old_keys_and_adds_the_detail(world):
    data = json.loads(progress(world, "--json").stdout)
    assert data["answered"] == 4 and data["total"] == 18 and data["state"] == "in_progress"
    mp = data["areas"][0]
    assert mp["area"] == "MP" and mp["answered"] == 4 and mp["total"] == 18
    assert mp["unanswered"][:2] == ["MP.1.c", "MP.2.c"] and mp["no_evidence"] == ["MP.1.a", "MP.1.b", "MP.2.b"]
    assert [s["subarea"] for s in mp["subareas"]] == ["MP.1", "MP.2", "MP.3", "MP.4"]
    assert round(mp["subareas"][0]["value"], 4) == round((1 + 0.67) / 3, 4)
