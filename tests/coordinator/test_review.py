"""Coordinator review: blind scoring, side-by-side view, merge, disputes, return/accept."""

from __future__ import annotations

import pytest

import coordinator_support as cs
from pmprb.assessments.assess import answers
from pmprb.assessments.coordinate import review
from pmprb.assessments.setup import units
from pmprb.assessments.assess import worksheets
from pmprb.assessments.setup.people import get_person
from pmprb.errors import ForbiddenError, StateError, ValidationError


def view(w, who="kora", **kw):
    return w.as_(who, lambda s, a, r: review.review(s, a, r, **kw))


def by_id(d):
    return {c["criterion"]: c for c in d["criteria"]}


def test_blind_while_open_for_anyone_with_a_worksheet_and_plain_assessors(small):
    with pytest.raises(ForbiddenError, match="buta.*ani.*memiliki kertas kerja.*sekarang dibuka"):
        view(small, "ani")
    # citra is an asesor without a worksheet here: still no peeking while open.
    with pytest.raises(ForbiddenError, match="adalah asesor"):
        view(small, "citra")
    # The koordinator reviews submitted papers while the round is open; auditors may read.
    assert view(small, "kora")["state"] == "open"
    assert view(small, "audi")["summary"]["criteria"] == 146
    cs.to_review(small)
    assert view(small, "ani")["state"] == "review"  # from review on, assessors see each other


def test_side_by_side_merge_and_dispute(small):
    d = view(small, area="MP")
    rows = by_id(d)
    assert len(rows) == 18 and {c["area"] for c in d["criteria"]} == {"MP"}
    merged = rows["MP.1.a"]
    assert merged["status"] == "merged" and merged["merged_answer"] == "A" and merged["spread"] == 0.0
    assert [(a["assessor"], a["answer"], a["value"], a["note"]) for a in merged["answers"]] == [
        ("ani", "A", 1.0, "catatan ani MP.1.a"), ("budi", "A", 1.0, "catatan budi MP.1.a")]
    disputed = rows["MP.1.b"]
    assert disputed["status"] == "disputed" and disputed["merged_answer"] is None
    assert disputed["spread"] == 0.33  # B (0.67) against A (1), rounded off binary noise
    assert d["summary"] == {"criteria": 18, "merged": 17, "disputed": 1, "unanswered": 0, "computed": 0}
    mp = d["agreement"][0]
    assert (mp["area"], mp["items"], mp["agreed"], mp["coders"]) == ("MP", 18, 17, 2)


def test_unanswered_criteria_and_evidence_beside_answers(db):
    w = cs.build(db, areas=("PPU",), assessors=("ani", "budi"), evidence_for={"PPU.1.a": 2})
    d = view(w)
    rows = by_id(d)
    assert rows["MP.1.a"]["status"] == "unanswered" and rows["MP.1.a"]["answers"] == []
    docs = rows["PPU.1.a"]["answers"][0]["evidence"]
    assert [doc["number"] for doc in docs] == ["PPU.1.a/1/2024", "PPU.1.a/2/2024"]
    assert d["summary"]["unanswered"] == 146 - 4


def test_filters_are_checked(small):
    with pytest.raises(ValidationError, match="area 'XX'"):
        view(small, area="xx")
    assert view(small, unit="DINKES")["filters"] == {"unit": "DINKES", "area": None}


def test_answers_of_a_worksheet_in_progress_are_shown_but_not_merged(db):
    w = cs.build(db, areas=("PPU",), assessors=("ani", "budi"), overrides={"budi": {"PPU.1.a": "C"}})
    w.as_("kora", lambda s, a, r: review.return_worksheet(s, a, r, unit="DINKES", assessor="budi",
                                                        reason="PPU.1.a: periksa lagi Perda-nya"))
    rows = by_id(view(w))
    budi = next(a for a in rows["PPU.1.a"]["answers"] if a["assessor"] == "budi")
    assert budi["worksheet_state"] == "returned" and not budi["counted"]
    assert rows["PPU.1.a"]["status"] == "merged"  # only ani's counted answer remains
    papers = {p["assessor"]: p for p in view(w)["worksheets"]}
    assert papers["budi"]["state"] == "returned" and papers["budi"]["return_reason"].startswith("PPU.1.a")


def test_return_needs_a_reason_and_a_koordinator(small):
    with pytest.raises(StateError, match="alasan wajib"):
        small.as_("kora", lambda s, a, r: review.return_worksheet(s, a, r, unit="DINKES", assessor="ani", reason=" "))
    with pytest.raises(ForbiddenError):
        small.as_("budi", lambda s, a, r: review.return_worksheet(s, a, r, unit="DINKES", assessor="ani", reason="x"))
    tr = small.as_("kora", lambda s, a, r: review.return_worksheet(s, a, r, unit="DINKES", assessor="ani",
                                                                 reason="lengkapi bukti"))
    assert (tr.source, tr.target) == ("submitted", "returned")


def test_returned_worksheet_corrected_then_merges(db):
    w = cs.build(db, areas=("PPU",), assessors=("ani", "budi"), overrides={"budi": {"PPU.1.a": "C"}})
    assert by_id(view(w))["PPU.1.a"]["status"] == "disputed"
    w.as_("kora", lambda s, a, r: review.return_worksheet(s, a, r, unit="DINKES", assessor="budi", reason="cek"))

    def fix(s, actor, rnd):
        unit = units.get_unit(s, "DINKES")
        ws = worksheets.get_worksheet(s, rnd, unit, get_person(s, "budi"))
        worksheets.resume(s, actor, rnd, ws)
        current = answers.get_answer(s, rnd, unit, get_person(s, "budi"), "PPU.1.a")
        answers.save_answer(s, actor, rnd, unit, "PPU.1.a", "A", expected_version=current.version)
        worksheets.submit(s, actor, rnd, ws)

    w.as_("budi", fix)
    assert by_id(view(w))["PPU.1.a"]["status"] == "merged"


def test_a_gated_criterion_says_its_final_value_is_zero(db):
    """Issue 14: review showed MP.2.b at 1,00 per assessor while its final
    value is 0 (MP.2.a = Tidak gates it), without a word."""
    from pmprb.commands.review import render_text

    both = {"MP.2.a": "Tidak", "MP.2.b": "A"}
    w = cs.build(db, areas=("MP",), assessors=("ani", "budi"), overrides={"ani": both, "budi": both})
    d = view(w, area="MP")
    rows = by_id(d)
    assert rows["MP.2.b"]["gated_by"] == [{"criterion": "MP.2.a", "answer": "Tidak"}]
    assert [a["value"] for a in rows["MP.2.b"]["answers"]] == [1.0, 1.0]   # each assessor's own value, as before
    assert rows["MP.2.a"]["gated_by"] == [] and rows["MP.1.a"]["gated_by"] == []
    text = "\n".join(render_text(d))
    head = text.index("MP.2.b  ")
    assert text[head:].splitlines()[1] == ("    nilai akhir 0 karena gerbang MP.2.a = Tidak: nilai per asesor di bawah "
                                           "tidak dihitung")
    # a gate the institution has not decided yet (the assessors disagree on MP.2.a) says nothing yet
    w2 = cs.build(db, areas=("MP",), assessors=("ani", "budi"), code="2025", year=2025, init=False, deadline=None,
                  overrides={"ani": both, "budi": {"MP.2.a": "Ya", "MP.2.b": "A"}})
    assert by_id(view(w2, area="MP"))["MP.2.b"]["gated_by"] == []
