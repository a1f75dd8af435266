"""assess submit: what blocks, what only warns, and what submission changes."""

from __future__ import annotations

import pytest

from pmprb.assessments.assess import submission
from pmprb.assessments.store import decision_records
from pmprb.errors import StateError

from assess_support import build_world


def submit(world, username="ani"):
    return world.in_round(lambda s, a, r, u: submission.submit(s, a, r, u), username)


def answer_all(world, username="ani", answer=None, skip=()):
    s = world.session(username)
    for cid in s.ids:
        if cid not in skip:
            s.save(cid, answer or s.criterion(cid).worst)
    return s


def test_refused_lists_unanswered_criteria_by_id_and_text(world):
    answer_all(world, skip=("MP.1.b", "SDM.8.d"))
    with pytest.raises(submission.SubmitRefused) as exc:
        submit(world)
    assert exc.value.exit_code == 1
    assert exc.value.details == [
        "MP.1.b belum dijawab: Tim Reformasi Birokrasi telah melaksanakan tugas sesuai rencana kerja Tim "
        "Reformasi Birokrasi",
        "SDM.8.d belum dijawab: " + world.session().criterion("SDM.8.d").text,
    ]
    assert exc.value.check.to_dict()["answered"] == exc.value.check.total - 2
    assert world.session().worksheet_state == "in_progress"


def test_missing_evidence_only_warns_when_the_instrument_says_warn(world):
    s = answer_all(world)
    s.save("MP.1.a", "A")  # better than the worst, no evidence
    result = submit(world)
    assert result.ok and [m.criterion for m in result.warnings] == ["MP.1.a"]
    assert result.warnings[0].describe() == "MP.1.a = A tanpa bukti dukung: Tim Reformasi Birokrasi telah dibentuk"
    assert world.session().worksheet_state == "submitted"
    with world.db.session() as ses:  # the assessor's decision records are kept with the submission
        recs = decision_records.list_decisions(ses, world.rnd(ses), kind="assessor")
    assert len(recs) == len(s.ids)
    assert world.verify().ok


def test_missing_evidence_blocks_when_the_instrument_says_block(db, blocking_instrument, sk_file):
    world = build_world(db, instrument=blocking_instrument)
    s = answer_all(world)
    s.save("MP.1.a", "B")
    s.save("SDM.1.c", "Ya")
    with pytest.raises(submission.SubmitRefused) as exc:
        submit(world)
    assert exc.value.details == [
        "MP.1.a = B tanpa bukti dukung (wajib): Tim Reformasi Birokrasi telah dibentuk",
        "SDM.1.c = Ya tanpa bukti dukung (wajib): " + s.criterion("SDM.1.c").text,
    ]
    world.add_file(sk_file, ["MP.1.a", "SDM.1.c"])
    assert submit(world).ok


def test_gated_claims_still_need_evidence(world):
    """The rules flag a claim without evidence even when gating zeroes it."""
    s = answer_all(world)
    s.save("MP.2.c", "A")
    result = submit(world)
    assert [m.criterion for m in result.warnings] == ["MP.2.c"]


def test_submitted_worksheet_cannot_be_submitted_or_changed_again(world):
    answer_all(world)
    submit(world)
    with pytest.raises(StateError, match="berstatus dikirim; langkah “kirim” tidak dapat dilakukan"):
        submit(world)
    with pytest.raises(StateError):
        world.session().save("MP.1.a", "A")


def test_english(world):
    from pmprb import i18n

    i18n.set_lang("en")
    answer_all(world, skip=("MP.1.a",))
    with pytest.raises(submission.SubmitRefused) as exc:
        submit(world)
    assert str(exc.value).startswith("the worksheet ani/DINKES cannot be submitted yet: 1 blocking problem, 0 warnings")
    assert exc.value.details == ["MP.1.a is not answered: Tim Reformasi Birokrasi telah dibentuk"]
