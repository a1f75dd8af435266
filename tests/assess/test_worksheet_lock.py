"""Issue 14, item 1: a submitted worksheet is locked for its assessor through
every path; reads are scoped to those entitled to the unit, with one
message; a worksheet returned during the review is corrected and accepted
without reopening the round."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pmprb.assessments import wiring
from pmprb.assessments.assess import submission
from pmprb.assessments.assess.evidence_refs import link_existing, resolve_ref
from pmprb.cli import main
from pmprb.errors import StateError

RU = ["--round", "2024", "--unit", "DINKES"]


@pytest.fixture
def cli(world):
    runner = CliRunner()

    def run(*args, user="ani", input=None):
        base = ["--db", world.db.url] + (["--as", user] if user else [])
        return runner.invoke(main, base + list(args), input=input, catch_exceptions=False)

    return run


def answer_all(world, username="ani"):
    s = world.session(username)
    for cid in s.ids:
        s.save(cid, s.criterion(cid).worst)


def submit(world, username="ani"):
    return world.in_round(lambda s, a, r, u: submission.submit(s, a, r, u), username)


LOCKED = "sudah dikirim dan terkunci"


def test_submitted_worksheet_refuses_every_writer(cli, world, sk_file, tmp_path):
    world.add_file(sk_file, ["MP.1.a"], number="800/1/2024")
    answer_all(world)
    submit(world)
    before, events = world.answers(), world.events()

    r = cli("assess", "set", *RU, "--criterion", "MP.1.b", "--answer", "A")
    assert r.exit_code == 7 and LOCKED in r.stderr and "pmprb review return" in r.stderr
    # assess set that only links evidence (answer unchanged)
    r = cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", before["MP.1.a"][0], "--evidence", "800/1/2024")
    assert r.exit_code == 7 and LOCKED in r.stderr
    # evidence add of a new document on an assigned criterion
    other = tmp_path / "sop.pdf"
    other.write_bytes(b"%PDF-1.4 SOP\n")
    r = cli("evidence", "add", str(other), *RU, "--criterion", "SDM.8.b", "--title", "SOP", "--date", "10-01-2024")
    assert r.exit_code == 7 and LOCKED in r.stderr
    # linking a stored document (the walk's :bukti path)
    with pytest.raises(StateError, match=LOCKED):
        world.in_round(lambda s, a, r, u: link_existing(s, a, r, u, resolve_ref(s, r, u, "800/1/2024"), ["MP.1.c"]))
    # a hand-made CSV import: a changed answer, a changed note, a new evidence reference
    for body in ("kriteria,jawaban,catatan\nMP.1.b,A,\n",
                 "kriteria,jawaban,catatan\nMP.1.b,{a},catatan baru\n".format(a=before["MP.1.b"][0]),
                 "kriteria,jawaban,catatan,bukti_dukung\nMP.1.b,{a},,800/1/2024\n".format(a=before["MP.1.b"][0])):
        f = tmp_path / "isian.csv"
        f.write_text(body, encoding="utf-8")
        r = cli("assess", "import", str(f), *RU, "--on-conflict", "update")
        assert r.exit_code == 7 and LOCKED in r.stderr, (body, r.stderr)
    # the walk does not even start
    r = cli("assess", *RU)
    assert r.exit_code != 0
    assert world.answers() == before and world.events() == events


def test_reads_are_scoped_with_one_message(cli, world):
    answer_all(world, "budi")
    refused = "tidak ditugaskan pada unit DINKES di ronde 2024 dan tidak berhak membaca kertas kerjanya"
    # an asesor of another unit (give one on BAPPEDA only)
    from pmprb.assessments.setup import assignments, people, units

    def add_cici(s):
        from pmprb.assessments.setup.permissions import resolve_actor
        people.add_person(s, resolve_actor(s, "admin"), username="cici", name="Cici Asesor", roles=["asesor"])
        assignments.assign(s, resolve_actor(s, "kora"), world.rnd(s), people.get_person(s, "cici"),
                           [units.get_unit(s, "BAPPEDA")], ["MP"])
    world.run(add_cici)
    for cmd in (["assess", "show"], ["assess", "progress"], ["assess", "export", "-o", "x.csv"]):
        r = cli(*cmd, *RU, user="cici")
        assert r.exit_code == 6 and refused in r.stderr, (cmd, r.stderr)
    # an asesor of the unit may not read another assessor's worksheet
    r = cli("assess", "show", *RU, "--assessor", "budi", user="ani")
    assert r.exit_code == 6 and refused in r.stderr
    # auditors and koordinators read any worksheet, naming the assessor when there are several
    for reader in ("audi", "kora"):
        r = cli("assess", "show", *RU, user=reader)
        assert r.exit_code == 3 and "--assessor" in r.stderr and "ani, budi" in r.stderr
        r = cli("assess", "progress", *RU, "--assessor", "budi", "--json", user=reader)
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout)["assessor"] == "budi" and json.loads(r.stdout)["answered"] > 0
    r = CliRunner().invoke(main, ["--db", world.db.url, "--as", "audi", "assess", "export", *RU, "--assessor", "budi",
                                  "-o", str(world.db.evidence_dir.parent / "budi.csv")])
    assert r.exit_code == 0 and "MP.1.a" in (world.db.evidence_dir.parent / "budi.csv").read_text(encoding="utf-8")
    # ... but write nothing
    r = cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "A", user="audi")
    assert r.exit_code == 6 and "baca saja" in r.stderr


def test_returned_during_review_is_corrected_and_accepted(cli, world):
    for who in ("ani", "budi"):
        answer_all(world, who)
        submit(world, who)
    kora = world.actor("kora")
    world.run(lambda s: wiring.start_review(s, kora, world.rnd(s)))
    r = cli("review", "return", *RU, "--assessor", "ani", "--reason", "MP.1.a perlu SK", user="kora")
    assert r.exit_code == 0, r.stderr
    # the koordinator cannot accept it yet, and is told why and what happens next
    r = cli("review", "accept", *RU, "--assessor", "ani", user="kora")
    assert r.exit_code == 7 and "dikembalikan ke asesornya (MP.1.a perlu SK)" in r.stderr
    assert "pmprb assess submit" in r.stderr
    r = cli("review", "accept", *RU, "--assessor", "budi", user="kora")
    assert r.exit_code == 0, r.stderr
    # consensus says which worksheet holds it up, and how out
    r = cli("round", "consensus", "2024", user="kora")
    assert r.exit_code == 7 and "ani" in r.stderr and "mengirim ulang" in r.stderr
    assert "'returned'" not in r.stderr and "dikembalikan" in r.stderr
    # the assessor corrects it while the round stays in review, and sends it again
    r = cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "A", "--note", "SK terlampir")
    assert r.exit_code == 0, r.stderr
    r = cli("assess", "submit", *RU, "--yes")
    assert r.exit_code == 0, r.stderr
    r = cli("assess", "set", *RU, "--criterion", "MP.1.a", "--answer", "B")
    assert r.exit_code == 7 and LOCKED in r.stderr
    r = cli("review", "accept", *RU, "--assessor", "ani", user="kora")
    assert r.exit_code == 0, r.stderr
    r = cli("round", "consensus", "2024", user="kora")
    assert r.exit_code == 0, r.stderr
    with world.db.session() as s:
        assert world.rnd(s).state == "consensus"


def test_unit_reads_elsewhere_use_the_same_refusal(cli, world):
    """`evidence list --unit` and `audit explain --unit` by a named person
    who may not read the unit: the same message as `assess show`."""
    from pmprb.assessments.setup import assignments, people, units
    from pmprb.assessments.setup.permissions import resolve_actor

    def add_cici(s):
        people.add_person(s, resolve_actor(s, "admin"), username="cici", name="Cici Asesor", roles=["asesor"])
        assignments.assign(s, resolve_actor(s, "kora"), world.rnd(s), people.get_person(s, "cici"),
                           [units.get_unit(s, "BAPPEDA")], ["MP"])
    world.run(add_cici)
    world.session("ani").save("MP.1.a", "A")
    refused = "tidak ditugaskan pada unit DINKES di ronde 2024 dan tidak berhak membaca kertas kerjanya"
    for cmd in (["evidence", "list", "--round", "2024", "--unit", "DINKES"],
                ["audit", "explain", "--round", "2024", "--criterion", "MP.1.a", "--unit", "DINKES"]):
        r = cli(*cmd, user="cici")
        assert r.exit_code == 6 and refused in r.stderr, (cmd, r.stderr)
        assert cli(*cmd, user="audi").exit_code == 0
        assert cli(*cmd, user="ani").exit_code == 0


def test_listings_without_unit_keep_to_the_readers_units(cli, world, sk_file):
    """`evidence list` and `audit explain` with no --unit: a known person who
    is no koordinator/auditor/admin sees only the units they are assigned to
    (as `assess show` would let them read); auditors see every unit."""
    from pmprb.assessments.setup import assignments, people, units
    from pmprb.assessments.setup.permissions import resolve_actor

    def add_cici(s):
        people.add_person(s, resolve_actor(s, "admin"), username="cici", name="Cici Asesor", roles=["asesor"])
        assignments.assign(s, resolve_actor(s, "kora"), world.rnd(s), people.get_person(s, "cici"),
                           [units.get_unit(s, "BAPPEDA")], ["MP"])
    world.run(add_cici)
    world.add_file(sk_file, ["MP.1.a"], number="800/1/2024")
    world.session("ani").save("MP.1.a", "A")

    def units_listed(user):
        r = cli("evidence", "list", "--round", "2024", "--json", user=user)
        assert r.exit_code == 0, r.stderr
        return {row["unit"] for row in json.loads(r.stdout)}

    def units_explained(user):
        r = cli("audit", "explain", "--round", "2024", "--criterion", "MP.1.a", "--json", user=user)
        assert r.exit_code == 0, r.stderr
        data = json.loads(r.stdout)
        return {a["unit"] for a in data["assessors"]} | {e["unit"] for e in data["evidence"]}

    assert units_listed("cici") == set() and units_explained("cici") == set()
    assert units_listed("ani") == {"DINKES"} and units_explained("ani") == {"DINKES"}
    assert units_listed("audi") == {"DINKES"} and units_explained("audi") == {"DINKES"}
