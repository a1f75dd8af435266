"""Stored evidence as the rules read it: each criterion's documents parsed as citations and judged
against the round's evaluation period in every store evaluation (issue 16 item 4)."""

from __future__ import annotations

from datetime import date

import pytest

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers, evidence
from pmprb.assessments.assess.cited_documents import cited_documents, records_documents
from pmprb.assessments.assess.evaluation import evaluate_worksheet
from pmprb.assessments.assess.evidence import EvidenceStore, NewDocument
from pmprb.assessments.assess.submission import check_worksheet
from pmprb.assessments.setup import people, round_work, units
from pmprb.assessments.coordinate.ratl import kelemahan_text
from pmprb.engine.instrument import load_instrument
from pmprb.errors import ValidationError

TODAY = date(2024, 6, 1)
ROAD_MAP = "Peraturan Wali Kota Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020"
AMENDED = ("Keputusan Wali Kota Nomor 061/17/2015 tentang Tim Reformasi Birokrasi sebagaimana telah diubah "
           "dengan Keputusan Wali Kota Nomor 061/88/2023")


@pytest.fixture
def opened(world):
    kora = world.actor("kora")
    world.run(lambda s: wiring.open_round(s, kora, world.rnd(s)))
    return world


def cite(world, who, items: list[tuple[str, list[str]]]):
    actor = world.actor(who)
    store = EvidenceStore(world.db.evidence_dir)
    docs = [NewDocument(criteria=criteria, title=text, document_date=None, citation_only=True)
            for text, criteria in items]
    return world.run(lambda s: evidence.add_many(round_work.begin(s, actor, world.rnd(s)), store,
                                                 units.get_unit(s, "DINKES"), docs, today=TODAY))


def save(world, who, cid, answer):
    actor = world.actor(who)
    return world.run(lambda s: answers.save_answer(s, actor, world.rnd(s), units.get_unit(s, "DINKES"), cid, answer,
                                                   None, expected_version=0))


def evaluation(world, who="ani"):
    with world.db.session() as s:
        work = round_work.reading(s, None, world.rnd(s))
        person = people.get_person(s, who)
        return evaluate_worksheet(work, units.get_unit(s, "DINKES").id, person.id)


def test_every_store_evaluation_reads_the_documents_against_the_period(opened):
    cite(opened, "ani", [(ROAD_MAP, ["MP.2.a"]), (AMENDED, ["MP.1.a"]),
                         ("Keputusan Wali Kota Nomor 061/17/2015 tentang Tim Reformasi Birokrasi", ["MP.1.b"])])
    for cid, answer in (("MP.2.a", "Ya"), ("MP.1.a", "A"), ("MP.1.b", "A"), ("MP.1.c", "A")):
        save(opened, "ani", cid, answer)
    ev = evaluation(opened)
    dec = ev.decisions
    assert dec["MP.2.a"].input["documents"]["period"] == 2024       # the round's year: its default period
    assert list(dec["MP.2.a"].result.flags) == ["evidence_outdated"]
    assert dec["MP.1.a"].input["evidence"] == 2 and list(dec["MP.1.a"].result.flags) == []
    assert "evidence_superseded" in list(dec["MP.1.b"].result.flags)
    assert list(dec["MP.1.c"].result.flags) == ["claimed_without_evidence"]   # no documents: as before
    assert "documents" not in dec["MP.1.c"].input
    # The values are what they were with counts only: the flags are warnings.
    inst = load_instrument("pmprb-2014")
    from pmprb.engine.evaluator import evaluate
    counts = evaluate(inst, {"MP.2.a": "Ya", "MP.1.a": "A", "MP.1.b": "A", "MP.1.c": "A"},
                      {"MP.2.a": 1, "MP.1.a": 2, "MP.1.b": 1})
    assert ev.values() == counts.values()
    # Submit lists them as warnings, never blocking.
    with opened.db.session() as s:
        check = check_worksheet(s, opened.rnd(s), units.get_unit(s, "DINKES"), opened.actor("ani").id, "ani")
    flagged = {(m.criterion, m.problem, m.blocking) for m in check.missing if m.problem.startswith("evidence_")}
    assert ("MP.2.a", "evidence_outdated", False) in flagged and ("MP.1.b", "evidence_superseded", False) in flagged
    assert any("sudah tidak berlaku" in m.describe() for m in check.missing if m.criterion == "MP.2.a")


def test_cited_documents_per_unit_and_for_the_round(opened):
    cite(opened, "ani", [(AMENDED, ["MP.1.a", "MP.1.b"]), (ROAD_MAP, ["MP.2.a"])])
    with opened.db.session() as s:
        rnd = opened.rnd(s)
        unit = cited_documents(s, rnd, units.get_unit(s, "DINKES").id)
        everything = cited_documents(s, rnd)
        none = cited_documents(s, rnd, units.get_unit(s, "BAPPEDA").id)
    assert unit == everything and none == {}
    assert [d["number"] for d in unit["MP.1.a"]] == ["061/17/2015", "061/88/2023"]
    assert unit["MP.1.a"][1]["amends"] == 0 and unit["MP.2.a"][0]["period"] == [2016, 2020]
    read = records_documents({"X": [("7", "Perbup Nomor 7 Tahun 2018 tentang SOP", date(2018, 3, 1))], "Y": []})
    assert list(read) == ["X"]                         # a criterion without records has no documents
    (doc,) = read["X"]
    assert {k: v for k, v in doc.items() if k != "span"} == {
        "kind": "perkada", "issuer": None, "number": "7", "year": 2018, "date": "2018-03-01", "date_end": None,
        "period": None, "subject": "SOP", "amends": None}


def test_a_citation_only_document_needs_no_date_but_not_a_future_one(opened):
    (r,) = cite(opened, "ani", [("Rapat Koordinasi Tim PMPRB tanggal 3 Juni 2024", ["MP.1.b"])])
    assert r.revision.document_date is None and r.revision.storage_path is None and r.revision.url is None
    assert r.understood[0]["date"] == "2024-06-03"          # parsed at evaluation from the title
    with pytest.raises(ValidationError, match="file|berkas"):
        actor = opened.actor("ani")
        store = EvidenceStore(opened.db.evidence_dir)
        opened.run(lambda s: evidence.add_many(round_work.begin(s, actor, opened.rnd(s)), store,
                                               units.get_unit(s, "DINKES"),
                                               [NewDocument(criteria=["MP.1.a"], title="x", document_date=None)]))


def test_the_ratl_weakness_says_what_to_cite_instead():
    inst = load_instrument("pmprb-2014")
    c = inst.criteria["MP.2.a"]
    entry = {"answer": "Ya", "value": 1.0, "flags": ["evidence_outdated"],
             "evidence_advice": ["Road Map Reformasi Birokrasi yang dirujuk berlaku 2016–2020; tetapkan Road Map "
                                 "Reformasi Birokrasi periode berjalan"]}
    text = kelemahan_text(c, entry, None, [])
    assert "Road Map Reformasi Birokrasi yang dirujuk berlaku 2016–2020; tetapkan Road Map Reformasi Birokrasi " \
           "periode berjalan." in text


from hypothesis import given, settings, strategies as st  # noqa: E402

from pmprb.assessments.assess.evidence_table import KEY_MAX, document_key, is_citation  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_any_evidence_cell_is_judged_without_an_exception(text):
    assert isinstance(is_citation(text), bool)
    key = document_key(text)
    assert len(key) <= KEY_MAX and key == document_key(" ".join(text.split()))


def test_the_exported_sheet_and_assess_show_carry_the_evidence_flags(opened, tmp_path):
    """The export's value and warnings columns and `assess show` decide like `assess set`: the cited
    documents against the round's evaluation period, not the evidence counts alone."""
    from openpyxl import load_workbook

    from pmprb.presentation import sheet_export
    from pmprb.presentation.feedback import explain
    from pmprb.presentation.sheet_format import read_csv

    cite(opened, "ani", [(ROAD_MAP, ["MP.2.a"]),
                         ("Keputusan Wali Kota Nomor 061/17/2015 tentang Tim Reformasi Birokrasi", ["MP.1.b"])])
    for cid, answer in (("MP.2.a", "Ya"), ("MP.1.b", "A"), ("MP.1.c", "A")):
        save(opened, "ani", cid, answer)
    inst = load_instrument("pmprb-2014")
    dec = evaluation(opened).decisions
    want = {cid: "; ".join(explain(inst, dec[cid]).warnings) for cid in ("MP.2.a", "MP.1.b", "MP.1.c")}
    assert "2016" in want["MP.2.a"] and want["MP.1.b"] and want["MP.1.c"]
    with opened.db.session() as s:
        rnd, unit, ani = opened.rnd(s), units.get_unit(s, "DINKES"), people.get_person(s, "ani")
        sheet_export.export_worksheet(s, rnd, unit, ani, tmp_path / "kk.xlsx", "xlsx", lang="id")
        sheet_export.export_worksheet(s, rnd, unit, ani, tmp_path / "kk.csv", "csv", lang="en")
        shown = sheet_export.overview(s, rnd, unit, ani)
    ws = load_workbook(tmp_path / "kk.xlsx")["Kertas Kerja"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    for cid, text in want.items():
        assert rows[cid]["peringatan"] == text, cid
        assert rows[cid]["nilai"] == dec[cid].result.value
    assert not rows["MP.1.a"]["peringatan"]                      # unanswered: nothing to warn about
    import csv as csv_mod
    with open(tmp_path / "kk.csv", encoding="utf-8-sig", newline="") as f:
        by_id = {r["criterion"]: r for r in csv_mod.DictReader(f)}
    assert by_id["MP.2.a"]["warnings"] and by_id["MP.2.a"]["warnings"] != want["MP.2.a"]   # English text
    flags = {r["criterion"]: r["decision"]["flags"] for r in shown["criteria"]}
    assert flags["MP.2.a"] == ["evidence_outdated"] and flags["MP.1.b"] == ["evidence_kind_not_accepted"]
    assert all(flags[cid] == list(dec[cid].result.flags) for cid in flags)
    # The file imports back unchanged (the warnings column is written, never read).
    data = read_csv(tmp_path / "kk.csv", inst)
    assert {r.criterion for r in data.rows} >= {"MP.2.a", "MP.1.b"}


def test_the_walk_what_if_reads_the_documents_as_its_feedback(opened):
    """The walk's what-if (the gate notice before asking) decides with the cited documents and
    the round's period, as the walk's feedback and `assess set` do."""
    from pmprb.engine.evaluator import Evaluator
    from pmprb.presentation.walk_session import AssessSession

    cite(opened, "ani", [(ROAD_MAP, ["MP.2.a"])])
    save(opened, "ani", "MP.1.a", "A")
    with opened.db.session() as s:
        code = opened.rnd(s).code
    session = AssessSession(opened.db, "ani", code, "DINKES")
    ev = Evaluator(session.inst)
    try:
        what_if = session.what_if({"MP.2.a": "Ya"}, ev)
    finally:
        ev.close()
        session.close()
    assert list(what_if["MP.2.a"].result.flags) == ["evidence_outdated"]
    assert what_if["MP.2.a"].input["documents"]["period"] == 2024
    save(opened, "ani", "MP.2.a", "Ya")
    assert evaluation(opened).decisions["MP.2.a"].result.record() == what_if["MP.2.a"].result.record()
