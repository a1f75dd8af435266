"""`assess submit` says what to do next (issue 14: "prints `2 masalah
menghalangi, 39 peringatan` and then 41 unlabelled lines, the blocking ones
mixed in; it asks no confirmation although it cannot be undone")."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pmprb.cli import main

from assess_support import build_world

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
RU = ["--round", "2024", "--unit", "DINKES"]


@pytest.fixture
def world(db):
    return build_world(db, ani_areas=("MP",))


def submit(world, *extra, user="ani"):
    return CliRunner().invoke(main, ["--db", world.db.url, "--as", user, "assess", "submit", *RU, *extra])


def answer_all_but(world, skip: set[str], best: set[str]):
    s = world.session()
    for cid in s.ids:
        if cid in skip:
            continue
        s.save(cid, s.criterion(cid).options[0][0] if cid in best else s.criterion(cid).worst)


def test_blocking_first_labelled_then_warnings_grouped_by_kind_and_area(world):
    answer_all_but(world, skip={"MP.1.c", "MP.4.a"}, best={"MP.1.a", "MP.1.b", "MP.3.a"})
    r = submit(world)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    head = lines.index("Menghalangi pengiriman (2):")
    assert lines[head + 1].startswith("  [belum dijawab] MP.1.c: Tim Reformasi Birokrasi telah melakukan monitoring")
    assert lines[head + 2].startswith("  [belum dijawab] MP.4.a: ")
    warn = lines.index("Peringatan (3), tidak menghalangi:")
    assert warn > head + 2                                   # blocking problems come first
    assert lines[warn + 1] == "  tanpa bukti dukung, area MP (3): MP.1.a = A, MP.1.b = A, MP.3.a = A"
    assert "Berikutnya: lengkapi yang menghalangi, mis. MP.1.c" in r.stderr
    assert "belum dapat dikirim: 2 masalah menghalangi, 3 peringatan" in r.stderr
    assert r.stderr.count("MP.1.a") == 1                     # each problem once


def test_without_a_terminal_submit_needs_yes(world):
    answer_all_but(world, skip=set(), best=set())
    r = submit(world)
    assert r.exit_code == 2
    assert "--yes" in r.stderr and "tidak dapat dibatalkan" in r.stderr
    assert world.session().worksheet_state == "in_progress"
    r = submit(world, "--yes")
    assert r.exit_code == 0, r.stderr
    assert world.session().worksheet_state == "submitted"
