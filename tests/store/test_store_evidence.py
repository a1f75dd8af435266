"""Evidence store: content addressing, dedup, revisions, links and refusals."""

from __future__ import annotations

import os
from datetime import date

import pytest

from pmprb.assessments.assess import evidence
from pmprb.assessments.setup import rounds, units
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.errors import ForbiddenError, NotFoundError, StateError, ValidationError

TODAY = date(2024, 6, 1)


def add(world, who="ani", criteria=("MP.1.a",), title="SK Tim Reformasi Birokrasi", when=date(2024, 1, 15),
        unit="DINKES", **kw):
    actor = world.actor(who)
    store = EvidenceStore(world.db.evidence_dir)
    return world.run(lambda s: evidence.add_evidence(s, store, actor, world.rnd(s), units.get_unit(s, unit),
                                                     criteria=list(criteria), title=title, document_date=when,
                                                     today=TODAY, **kw))


def listing(world, **kw):
    with world.db.session() as s:
        return evidence.list_evidence(s, world.rnd(s), **kw)


def test_same_file_stored_once_changed_file_is_a_revision(world, tmp_path):
    f = tmp_path / "sk.pdf"
    f.write_bytes(b"%PDF SK 188/1/2024")
    r1 = add(world, file=f, number="188/1/2024")
    assert r1.new_revision and r1.stored_new_file and r1.revision.revision == 1
    stored = world.db.evidence_dir / r1.revision.storage_path
    assert stored.read_bytes() == f.read_bytes() and r1.revision.sha256 in stored.name
    r2 = add(world, file=f, number="188/1/2024", criteria=["MP.1.b"])
    assert not r2.new_revision and r2.linked == ["MP.1.b"]
    copy = tmp_path / "copy-of-sk.pdf"
    copy.write_bytes(f.read_bytes())
    r3 = add(world, file=copy, unit="DINKES", number="OTHER-1")  # another document, same bytes
    assert r3.new_revision and not r3.stored_new_file
    f.write_bytes(b"%PDF SK 188/1/2024 (perubahan)")
    r4 = add(world, file=f, number="188/1/2024")
    assert r4.new_revision and r4.revision.revision == 2 and r4.revision.sha256 != r1.revision.sha256
    files = [p for p in (world.db.evidence_dir / "sha256").rglob("*") if p.is_file()]
    assert len(files) == 2
    rows = listing(world)
    sk = next(r for r in rows if r["key"] == "188/1/2024")
    assert sk["revision"] == 2 and sk["criteria"] == ["MP.1.a", "MP.1.b"]
    assert [r["key"] for r in listing(world, criterion="MP.1.b")] == ["188/1/2024"]
    with world.db.session() as s:
        assert evidence.evidence_counts(s, world.rnd(s), units.get_unit(s, "DINKES").id) == {"MP.1.a": 2, "MP.1.b": 1}


def test_url_evidence(world):
    r = add(world, url="https://jdih.contoh.go.id/perwal-12-2024", title="Perwal 12/2024")
    assert r.revision.url.startswith("https://") and r.revision.storage_path is None
    with pytest.raises(ValidationError, match="http"):
        add(world, url="ftp://x/y")


def test_a_document_dated_after_today_is_refused(world, tmp_path):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"x")
    with pytest.raises(ValidationError, match="masa depan"):
        add(world, file=f, when=date(2024, 6, 2))


def test_dates_outside_the_evaluation_period_are_warned_not_refused(world, tmp_path):
    """Issue 14: a document dated 2019 in a 2024 round was accepted silently; issue 16: a decree of
    2015 may still be in force, so the window is a warning with the rules' reasoning."""
    f = tmp_path / "a.pdf"
    f.write_bytes(b"x")
    r = add(world, file=f, when=date(2019, 3, 4), title="Rapat Koordinasi Tim PMPRB")
    assert r.new_revision and r.understood[0]["kind"] == "kegiatan"
    assert len(r.warnings) == 1 and "sebelum periode evaluasi 2024" in r.warnings[0]
    r = add(world, file=f, number="061/17/2015", when=date(2015, 2, 1),
            title="Keputusan Wali Kota tentang Pembentukan Tim Reformasi Birokrasi")
    assert r.understood[0]["kind"] == "keputusan" and r.understood[0]["number"] == "061/17/2015"
    assert any("lebih dari 5 tahun sebelum periode evaluasi 2024" in w for w in r.warnings)
    r = add(world, file=f, number="12", when=date(2016, 5, 2),
            title="Peraturan Wali Kota Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020")
    assert r.understood[0]["period"] == [2016, 2020]
    assert "evidence_outdated" in r.warnings[0]
    r = add(world, file=f, number="SK-2024", when=date(2024, 1, 15), title="Keputusan Wali Kota tentang Tim RB")
    assert r.warnings == [w for w in r.warnings if "sama persis" in w]     # only the same-content warning


def test_window_message_in_english(world, tmp_path):
    from pmprb import i18n

    f = tmp_path / "a.pdf"
    f.write_bytes(b"x")
    i18n.set_lang("en")
    r = add(world, file=f, when=date(2017, 1, 2), title="Workshop PMPRB")
    assert r.warnings == ["activity proof dated 2017-01-02 on Workshop PMPRB: before the evaluation "
                          "period 2024 of round 2024; activity proof must fall in it and a regulation must still be "
                          "in force (the rules will flag evidence_outdated)"]


def test_empty_file_and_same_content_under_a_new_document_are_warned(world, tmp_path):
    empty = tmp_path / "kosong.pdf"
    empty.write_bytes(b"")
    r = add(world, file=empty)
    assert r.new_revision and any("kosong (0 bita)" in w for w in r.warnings)
    f = tmp_path / "sk.pdf"
    f.write_bytes(b"%PDF SK")
    assert not [w for w in add(world, file=f).warnings if "sama persis" in w]
    again = tmp_path / "sk-lagi.pdf"
    again.write_bytes(b"%PDF SK")
    r = add(world, file=again)            # same bytes, no number: a second document
    assert r.new_revision and r.evidence.key == "sk-lagi.pdf"
    assert [w for w in r.warnings if "sama persis dengan dokumen sk.pdf" in w]
    r = add(world, file=f, criteria=["MP.1.b"])    # the same document again: only linked, no warning
    assert not r.new_revision and not [w for w in r.warnings if "sama persis" in w]


def test_missing_and_unreadable_files(world, tmp_path):
    with pytest.raises(NotFoundError, match="tidak ditemukan"):
        add(world, file=tmp_path / "tidak-ada.pdf")
    with pytest.raises(ValidationError, match="bukan berkas biasa"):
        add(world, file=tmp_path)
    if os.geteuid() != 0:  # root reads anything
        f = tmp_path / "rahasia.pdf"
        f.write_bytes(b"x")
        f.chmod(0)
        with pytest.raises(ValidationError, match="tidak dapat dibaca"):
            add(world, file=f)


def test_refusals(world, tmp_path):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"x")
    with pytest.raises(ForbiddenError, match="baca saja"):
        add(world, who="audi", file=f)
    with pytest.raises(ForbiddenError, match="area PPU"):
        add(world, who="ani", file=f, criteria=["PPU.1.a"])
    add(world, who="kora", file=f, criteria=["PPU.1.a"])  # coordinators may add for any criterion
    with pytest.raises(ValidationError, match="judul"):
        add(world, file=f, title=" ")
    with pytest.raises(ValidationError, match="tidak keduanya"):
        add(world, file=f, url="https://x.go.id")
    with pytest.raises(NotFoundError, match="ZZ.1"):
        add(world, file=f, criteria=["ZZ.1"])


def test_no_evidence_after_final(world, tmp_path):
    with world.db.transaction() as s:  # jump to final (the lifecycle itself is tested elsewhere)
        rounds.get_round(s, "2024").state = "final"
    f = tmp_path / "a.pdf"
    f.write_bytes(b"x")
    with pytest.raises(StateError, match="sudah final"):
        add(world, file=f)
