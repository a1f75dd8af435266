"""Issue 12: every insider attack it lists ends with ``pmprb audit verify``
(or ``audit replay --from``) exiting 5 and naming what changed — with
``--against`` an anchor made before the attack (checkpoint, report, export)
for the rewrite, truncation and rollback, which leave the database
self-consistent. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from trust_support import (cli, insider, problems, rehash, rewrite_ledger, roll_back, round_id, scalar, sql,
                           verify_json)

from pmprb.errors import EXIT_MISMATCH

REPORTS = [("lke", "html"), ("lke", "xlsx"), ("berita-acara", "html"), ("ratl", "html"), ("ratl", "xlsx"),
           ("ringkasan", "html")]


def anchors(url, tmp_path):
    """A checkpoint, every report and the export, made before the attack."""
    out = {"checkpoint": tmp_path / "checkpoint.json", "export": tmp_path / "keputusan.jsonl"}
    assert cli(url, "audit", "checkpoint", "--round", "2024", "-o", out["checkpoint"]).exit_code == 0
    assert cli(url, "audit", "export", "--round", "2024", "-o", out["export"]).exit_code == 0
    for name, fmt in REPORTS:
        path = out[f"{name}.{fmt}"] = tmp_path / f"{name}.{fmt}"
        res = cli(url, "report", name, "--round", "2024", "-o", path)
        assert res.exit_code == 0, res.output
    return out


def against(url, path):
    res, reports = verify_json(url, "--round", "2024", "--against", path)
    return res, [p["message"] for p in problems(reports)]


def test_clean_database_verifies_against_every_anchor(full, tmp_path):
    url = full()
    for name, path in anchors(url, tmp_path).items():
        res, found = against(url, path)
        assert res.exit_code == 0 and found == [], (name, found)
        assert "unchanged" in res.stderr or "tidak berubah" in res.stderr


def test_consistent_rewrite_of_an_answer_is_named_against_any_earlier_anchor(full, tmp_path):
    url = full()
    made = anchors(url, tmp_path)
    rid = round_id(url)
    answer = scalar(url, "SELECT id FROM answer WHERE criterion_id = 'MP.2.a' ORDER BY id LIMIT 1")
    with insider(url) as conn:   # the answer, every event that logged it, every hash and the head
        conn.execute(text("UPDATE answer SET answer = 'Tidak' WHERE id = :i"), {"i": answer})
        assert rewrite_ledger(conn, f"round:{rid}", "answer", str(answer), {"answer": "Tidak"}) >= 1
        rehash(conn, f"round:{rid}")
    res, found = verify_json(url)
    assert res.exit_code == 0 and problems(found) == []           # self-consistent: the chain alone cannot tell
    assert cli(url, "audit", "replay", "--round", "2024").exit_code == 0
    for name, path in made.items():
        res, found = against(url, path)
        assert res.exit_code == EXIT_MISMATCH, name
        assert any("was rewritten at or before event" in m for m in found), (name, found)
    _res, found = against(url, made["checkpoint"])
    assert any(m.startswith("table answer at event") for m in found), found   # the checkpoint names the table
    _res, found = against(url, made["export"])
    assert any(m.startswith("first event that differs") and "answer.save" in m for m in found), found


def test_truncated_chain_is_named(full, tmp_path):
    url = full()
    made = anchors(url, tmp_path)
    rid = round_id(url)
    last = scalar(url, "SELECT last_seq FROM audit_chain WHERE chain = :c", c=f"round:{rid}")
    with insider(url) as conn:
        undone = roll_back(conn, f"round:{rid}", last - 1)
    assert undone == ["final.freeze", "ratl.generate"]
    res, found = verify_json(url)
    assert res.exit_code == 0 and problems(found) == []
    for name in ("checkpoint", "export", "berita-acara.html", "lke.xlsx"):
        res, found = against(url, made[name])
        assert res.exit_code == EXIT_MISMATCH
        assert any(f"events {last - 1}–{last} were deleted" in m for m in found), (name, found)


def test_rolled_back_finalisation_is_named(full, tmp_path):
    url = full()
    made = anchors(url, tmp_path)
    rid = round_id(url)
    finalise = scalar(url, "SELECT max(seq) FROM audit_event WHERE chain = :c AND action = 'round.transition' "
                           "AND payload_json LIKE '%\"event\":\"finalise\"%'", c=f"round:{rid}")
    with insider(url) as conn:
        undone = roll_back(conn, f"round:{rid}", finalise)
    assert undone[0] == "round.transition" and "final.freeze" in undone
    assert scalar(url, "SELECT state FROM assessment_round WHERE id = :r", r=rid) == "consensus"
    res, found = verify_json(url)
    assert res.exit_code == 0 and problems(found) == []    # a clean-looking round in consensus
    res, found = against(url, made["checkpoint"])
    assert res.exit_code == EXIT_MISMATCH
    assert any("were deleted (chain truncated or a finalisation rolled back)" in m for m in found), found
    assert any(m.startswith("the final result (sha256") and "no longer in the database" in m for m in found), found
    res, found = against(url, made["ringkasan.html"])
    assert res.exit_code == EXIT_MISMATCH


def test_deleted_round_is_named_by_the_institution_chain(full, tmp_path):
    url = full()
    made = anchors(url, tmp_path)
    rid = round_id(url)
    with insider(url) as conn:
        for table in ("ratl_item", "final_result", "hasil_input", "consensus_event", "consensus_item",
                      "consensus_meeting", "decision_record", "answer", "worksheet", "assignment", "round_snapshot"):
            conn.execute(text(f"DELETE FROM {table} WHERE round_id = :r"), {"r": rid})
        conn.execute(text("DELETE FROM evidence_link WHERE evidence_id IN (SELECT id FROM evidence WHERE round_id = :r)"),
                     {"r": rid})
        conn.execute(text("DELETE FROM evidence_revision WHERE evidence_id IN "
                          "(SELECT id FROM evidence WHERE round_id = :r)"), {"r": rid})
        conn.execute(text("DELETE FROM evidence WHERE round_id = :r"), {"r": rid})
        conn.execute(text("DELETE FROM audit_event WHERE chain = :c"), {"c": f"round:{rid}"})
        conn.execute(text("DELETE FROM audit_chain WHERE chain = :c"), {"c": f"round:{rid}"})
        conn.execute(text("DELETE FROM assessment_round WHERE id = :r"), {"r": rid})
    res, reports = verify_json(url)
    assert res.exit_code == EXIT_MISMATCH
    assert any(p["check"] == "rounds" and p["message"] == "round 2024 is in the log but no longer in the database "
               "(deleted outside pmprb)" and p["action"] == "round.register" for p in problems(reports))
    res, reports = verify_json(url, "--against", made["checkpoint"])
    assert any("chain round:" in p["message"] and "no longer in the database" in p["message"]
               for p in problems(reports))


def test_granted_role_is_named(full):
    url = full()
    sql(url, "INSERT INTO person_role (person_id, role) SELECT id, 'koordinator' FROM person WHERE username = 'ani'")
    res, reports = verify_json(url)
    assert res.exit_code == EXIT_MISMATCH
    assert any(p["check"] == "people" and p["message"] == "role koordinator of ani has no audit event "
               "(written outside pmprb)" for p in problems(reports))


@pytest.mark.parametrize("statement, check, words", [
    ("UPDATE ratl_item SET rencana_aksi = 'diubah' WHERE criterion_id = 'MP.1.a' AND active", "ratl",
     "rencana_aksi is stored as 'diubah'"),
    ("UPDATE ratl_item SET target_date = '2030-01-01' WHERE criterion_id = 'MP.1.a' AND active", "ratl", "target_date"),
    ("DELETE FROM ratl_item WHERE criterion_id = 'MP.1.a' AND active", "ratl", "is in the log but no longer"),
    ("UPDATE hasil_input SET raw = '99' WHERE part_id = 'H.1.a'", "hasil", "raw is stored as '99'"),
    ("UPDATE consensus_item SET participants_json = '[\"kora\"]'", "consensus", "participants_json"),
    ("UPDATE consensus_meeting SET participants_json = '[\"kora\"]'", "consensus", "participants_json"),
    ("DELETE FROM consensus_meeting", "consensus", "consensus meeting 2024-04-22 is in the log but no longer"),
    ("UPDATE assignment SET area = 'SDM' WHERE area = 'PPU'", "assignments", "area is stored as 'SDM'"),
    ("UPDATE person SET name = 'Orang Lain' WHERE username = 'audi'", "people", "person audi: name"),
    ("UPDATE work_unit SET name = 'Dinas Lain' WHERE code = 'DINKES'", "units", "unit DINKES: name"),
    ("UPDATE assessment_round SET instrument_revision = 'x' || substr(instrument_revision, 2)", "rounds",
     "instrument_revision"),
])
def test_what_was_not_compared_before_is_named(full, statement, check, words):
    url = full()
    sql(url, statement)
    res, reports = verify_json(url)
    found = problems(reports)
    assert res.exit_code == EXIT_MISMATCH
    assert any(p["check"] == check and words in p["message"] for p in found), [p["message"] for p in found]


# ---------------------------------------------------------------------------
# replay from a file


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _recompute(rec):
    from pmprb.canonical import canonical_json
    from pmprb.engine.chain import record_hash

    ids = rec["ids"]
    return record_hash({"decision_id": rec["decision_id"], "round_id": ids["round_id"], "unit_id": ids["unit_id"],
                        "assessor_id": ids["assessor_id"], "criterion_id": rec["criterion"], "kind": rec["kind"],
                        "instrument_id": rec["instrument"]["id"], "instrument_revision": rec["instrument"]["revision"],
                        "engine": rec["engine"], "input_json": canonical_json(rec["input"]),
                        "result_json": canonical_json(rec["result"]), "trace_json": canonical_json(rec["trace"])})


def replay_file(path, *args):
    from click.testing import CliRunner

    from pmprb.cli import main

    res = CliRunner().invoke(main, ["--lang", "en", "audit", "replay", "--from", str(path), "--json", *map(str, args)])
    return res, json.loads(res.stdout) if res.stdout.strip().startswith("{") else {}


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
def test_replay_from_a_file_checks_each_line_the_count_and_the_chain(full, tmp_path):
    from pmprb.canonical import canonical_json

    url = full()
    made = anchors(url, tmp_path)
    res, rep = replay_file(made["export"], "--against", made["checkpoint"])
    assert res.exit_code == 0 and rep["problems"] == [], rep.get("problems")
    lines = _lines(made["export"])
    decisions = [i for i, line in enumerate(lines) if '"type":"decision"' in line]

    # input, result and trace changed together, the line's hash recomputed: no event pins it
    changed = list(lines)
    rec = json.loads(changed[decisions[5]])
    rec["input"]["answer"], rec["result"]["value"], rec["trace"] = "A", 1, rec["trace"][:1]
    rec["record_sha256"] = _recompute(rec)
    changed[decisions[5]] = canonical_json(rec)
    _write(tmp_path / "changed.jsonl", changed)
    res, rep = replay_file(tmp_path / "changed.jsonl")
    assert res.exit_code == EXIT_MISMATCH
    assert any(f"decision {rec['decision_id']}" in p and "is pinned by no event" in p for p in rep["problems"])

    # a zeroed record_sha256
    zeroed = list(lines)
    rec = json.loads(zeroed[decisions[0]])
    rec["record_sha256"] = "0" * 64
    zeroed[decisions[0]] = canonical_json(rec)
    _write(tmp_path / "zeroed.jsonl", zeroed)
    res, rep = replay_file(tmp_path / "zeroed.jsonl")
    assert res.exit_code == EXIT_MISMATCH
    assert any("record_sha256" in p and "does not match its content" in p for p in rep["problems"])

    # a deleted line with the header's count fixed
    gone = json.loads(lines[decisions[3]])["decision_id"]
    shorter = [line for i, line in enumerate(lines) if i != decisions[3]]
    head = json.loads(shorter[0])
    head["records"] -= 1
    shorter[0] = canonical_json(head)
    _write(tmp_path / "shorter.jsonl", shorter)
    res, rep = replay_file(tmp_path / "shorter.jsonl")
    assert res.exit_code == EXIT_MISMATCH
    assert any(f"decision {gone} pinned by event" in p and "missing from the file" in p for p in rep["problems"])

    # the whole file rewritten consistently (events, hashes, header head): only an earlier anchor tells
    from pmprb.canonical import sha256_hex
    from pmprb.engine.chain import GENESIS, event_hash

    forged = list(lines)
    rec = json.loads(forged[decisions[5]])
    rec["input"]["answer"], rec["result"]["value"] = "A", 1
    old = rec["record_sha256"]
    rec["record_sha256"] = _recompute(rec)
    forged[decisions[5]] = canonical_json(rec)
    prev = GENESIS
    for i, line in enumerate(forged):
        ev = json.loads(line)
        if ev.get("type") != "event":
            continue
        if "payload" in ev and ev["payload"].get("records", {}).get(rec["decision_id"]) == old:
            ev["payload"]["records"][rec["decision_id"]] = rec["record_sha256"]
            ev["payload_hash"] = sha256_hex(canonical_json(ev["payload"]))
        ev["prev_hash"] = prev
        ev["hash"] = prev = event_hash(chain=ev["chain"], seq=ev["seq"], actor=ev["actor"], at=ev["at"],
                                       action=ev["action"], payload_hash=ev["payload_hash"], prev_hash=prev)
        forged[i] = canonical_json(ev)
    head = json.loads(forged[0])
    head["chain"]["hash"] = prev
    forged[0] = canonical_json(head)
    _write(tmp_path / "forged.jsonl", forged)
    res, rep = replay_file(tmp_path / "forged.jsonl")
    assert not any("pinned" in p or "chain" in p or "record_sha256" in p for p in rep.get("problems", [])), rep
    res, rep = replay_file(tmp_path / "forged.jsonl", "--against", made["checkpoint"])
    assert res.exit_code == EXIT_MISMATCH
    assert any("was rewritten at or before event" in p for p in rep["problems"]), rep["problems"]
