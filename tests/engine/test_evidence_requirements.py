"""Evidence requirements decided by the rules, on both engines.

Every flag has its cases here (and its worked examples in the instrument);
random worksheets with citations and structured documents are decided by
durable_rules and the plain evaluator and compared byte for byte; a worksheet
with counts only decides exactly as an instrument without requirements; the
decision input replays alone; and the facts stay within durable_rules' limits.
"""

from __future__ import annotations

import copy
import random
import uuid

import pytest

from pmprb.canonical import canonical_json
from pmprb.engine import evidence_advice, evidence_messages, evidence_requirements, replay
from pmprb.engine.citations import KINDS
from pmprb.engine.compiler import compile_instrument, without_document_rules
from pmprb.engine.evaluator import Evaluator, _match, make_fact
from pmprb.engine.instrument import Instrument, load_instrument
from pmprb.errors import ValidationError

from engine_support import copy_instrument, engines, pmprb2014

ROAD_MAP_2016 = "Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Kabupaten X Tahun 2016-2020"
ROAD_MAP_2021 = "Perbup Nomor 35 Tahun 2021 tentang Road Map Reformasi Birokrasi Tahun 2021-2025"
TEAM_AMENDED = ("Keputusan Bupati X Nomor: 061/17/2015 tentang Pembentukan Tim Reformasi Birokrasi sebagaimana telah "
                "diubah dengan Keputusan Bupati X Nomor: 061/88/2018")
TEAM_ORIGINAL = "Keputusan Bupati X Nomor: 061/17/2015 tentang Pembentukan Tim Reformasi Birokrasi"


@pytest.fixture(scope="module", params=engines())
def ev(request):
    e = Evaluator(pmprb2014(), request.param)
    yield e
    e.close()


def decide(ev, answers, documents, period=2022, evidence=None):
    return ev.evaluate(answers, evidence or {}, documents=documents, period=period).decisions


def flags(decisions, cid):
    return list(decisions[cid].result.flags)


# ---------------------------------------------------------------------------
# one flag at a time


def test_outdated_regulation(ev):
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [ROAD_MAP_2016]})
    assert flags(d, "MP.2.a") == ["evidence_outdated"]
    assert list(d["MP.2.a"].trace) == ["MP.2.a/answer:Ya", "MP.2.a/evidence:outdated:penetapan"]
    assert d["MP.2.a"].result.value == 1.0          # a warning: the value stands
    summary = d["MP.2.a"].input["documents"]
    assert summary["sets"] == {"penetapan": {"n": 1, "current": 0, "outdated": 1, "future": 0}}
    assert summary["cited"][0]["period"] == [2016, 2020] and summary["cited"][0]["status"] == "outdated"


def test_a_current_document_of_an_accepted_kind_is_enough(ev):
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [ROAD_MAP_2016, ROAD_MAP_2021]})
    assert flags(d, "MP.2.a") == []
    assert d["MP.2.a"].input["evidence"] == 2


def test_outdated_activity(ev):
    d = decide(ev, {"MP.1.b": "A"}, {"MP.1.b": ["Rapat Tim Reformasi Birokrasi tanggal 3 Juni 2019"]})
    assert flags(d, "MP.1.b") == ["evidence_outdated"]
    d = decide(ev, {"MP.1.b": "A"}, {"MP.1.b": ["Rapat Tim Reformasi Birokrasi tanggal 30 Desember 2021 s.d. "
                                                "2 Januari 2022"]})
    assert flags(d, "MP.1.b") == []                   # a range that reaches into the period


def test_future(ev):
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [ROAD_MAP_2021]}, period=2020)
    assert flags(d, "MP.2.a") == ["evidence_future"]
    d = decide(ev, {"MP.1.b": "B"}, {"MP.1.b": ["Rapat Tim RB tanggal 3 Juni 2023"]}, period=2022)
    assert flags(d, "MP.1.b") == ["evidence_future"]


def test_kind_not_accepted(ev):
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": ["Rancangan Peraturan Bupati tentang Road Map RB 2021-2025"]})
    assert flags(d, "MP.2.a") == ["evidence_kind_not_accepted"]
    assert list(d["MP.2.a"].trace)[-1] == "MP.2.a/evidence:kind:penetapan"
    # A citation the parser cannot read is not judged by kind.
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": ["lihat lampiran"]})
    assert flags(d, "MP.2.a") == []


def test_superseded_needs_the_amendment_somewhere_in_the_worksheet(ev):
    d = decide(ev, {"MP.1.a": "A", "MP.1.b": "A"},
               {"MP.1.a": [TEAM_AMENDED], "MP.1.b": [TEAM_ORIGINAL, "Rapat Tim RB tanggal 3 Juni 2022"]})
    assert flags(d, "MP.1.a") == []
    assert flags(d, "MP.1.b") == ["evidence_superseded"]
    cited = d["MP.1.b"].input["documents"]["cited"]
    assert [c["superseded"] for c in cited] == [True, False]
    # Without the amendment anywhere, nobody knows it was amended.
    d = decide(ev, {"MP.1.b": "A"}, {"MP.1.b": [TEAM_ORIGINAL, "Rapat Tim RB tanggal 3 Juni 2022"]})
    assert flags(d, "MP.1.b") == []
    # An amendment dated after the period did not supersede anything yet.
    d = decide(ev, {"MP.1.a": "A", "MP.1.b": "A"},
               {"MP.1.a": [TEAM_AMENDED], "MP.1.b": [TEAM_ORIGINAL, "Rapat Tim RB tanggal 3 Juni 2017"]}, period=2017)
    assert flags(d, "MP.1.b") == []


def test_an_amendment_shares_the_period_and_the_amended_document_lives_through_it(ev):
    text = (ROAD_MAP_2016 + " sebagaimana telah diubah dengan Perbup Nomor 9 Tahun 2021 tentang Perubahan Road Map "
            "Reformasi Birokrasi Tahun 2016-2024")
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [text]})
    assert flags(d, "MP.2.a") == []
    assert [c["status"] for c in d["MP.2.a"].input["documents"]["cited"]] == ["current", "current"]
    # An amendment naming no period shares the original's: both expired.
    text = ROAD_MAP_2016 + " sebagaimana telah diubah dengan Perbup Nomor 9 Tahun 2018"
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [text]})
    assert flags(d, "MP.2.a") == ["evidence_outdated"]


def test_several_flags_at_once_in_rule_order(ev):
    d = decide(ev, {"MP.1.a": "A", "MP.1.b": "A"},
               {"MP.1.a": [TEAM_AMENDED], "MP.1.b": [TEAM_ORIGINAL, "Rapat Tim RB tanggal 3 Juni 2019",
                                                     "Rapat Tim RB tanggal 3 Juni 2023"]})
    assert flags(d, "MP.1.b") == ["evidence_outdated", "evidence_future", "evidence_superseded"]


def test_no_period_judges_only_the_kind_and_amendments(ev):
    d = decide(ev, {"MP.2.a": "Ya", "MP.1.b": "A"},
               {"MP.2.a": [ROAD_MAP_2016], "MP.1.b": ["Rapat Tim RB tanggal 3 Juni 2019"]}, period=None)
    assert flags(d, "MP.2.a") == [] and flags(d, "MP.1.b") == []
    assert d["MP.2.a"].input["documents"]["period"] is None


def test_the_worst_answer_and_no_answer_claim_nothing(ev):
    d = decide(ev, {"MP.2.a": "Tidak"}, {"MP.2.a": ["Rancangan Road Map"], "MP.1.b": [ROAD_MAP_2016]})
    assert flags(d, "MP.2.a") == []
    assert flags(d, "MP.1.b") == ["unanswered"]


def test_an_empty_list_is_claimed_without_evidence(ev):
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": []})
    assert flags(d, "MP.2.a") == ["claimed_without_evidence"]
    assert d["MP.2.a"].input["evidence"] == 0


def test_answer_levels_accept_different_kinds(ev):
    meeting = ["Rapat pembahasan calon agen perubahan tanggal 10 Maret 2022"]
    decree = ["Keputusan Bupati X Nomor 5 Tahun 2022 tentang Agen Perubahan"]
    assert flags(decide(ev, {"MP.4.c": "C"}, {"MP.4.c": meeting}), "MP.4.c") == []
    assert flags(decide(ev, {"MP.4.c": "B"}, {"MP.4.c": meeting}), "MP.4.c") == ["evidence_kind_not_accepted"]
    d = decide(ev, {"MP.4.c": "A"}, {"MP.4.c": decree})
    assert flags(d, "MP.4.c") == []
    assert d["MP.4.c"].input["documents"]["sets"] == {
        "penetapan": {"n": 1, "current": 1, "outdated": 0, "future": 0},
        "hasil_kerja": {"n": 0, "current": 0, "outdated": 0, "future": 0}}


def test_structured_documents_decide_like_their_citations(ev):
    structured = [{"kind": "perkada", "issuer": "Bupati X", "number": "12", "year": 2016, "period": [2016, 2020],
                   "subject": "Road Map Reformasi Birokrasi Kabupaten X Tahun 2016-2020"}]
    a = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": structured})["MP.2.a"]
    b = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [ROAD_MAP_2016]})["MP.2.a"]
    assert (a.input, a.result.record(), list(a.trace)) == (b.input, b.result.record(), list(b.trace))


def test_gating_and_evidence_flags_together(ev):
    d = decide(ev, {"MP.2.a": "Tidak", "MP.2.b": "A"}, {"MP.2.b": ["Rancangan Road Map 2021-2025"]})
    # A draft Road Map is a document: MP.2.b (its content) accepts it; gating still zeroes.
    assert flags(d, "MP.2.b") == ["gated_by:MP.2.a"]
    d = decide(ev, {"MP.2.a": "Tidak", "MP.2.b": "A"}, {"MP.2.b": ["Rapat penyusunan Road Map 3 Mei 2019"]})
    assert flags(d, "MP.2.b") == ["evidence_kind_not_accepted", "gated_by:MP.2.a"]


@pytest.mark.parametrize("engine", engines())
def test_a_computed_item_claims_once_its_counts_are_entered(engine):
    inst = load_instrument("zi-2021")
    e = Evaluator(inst, engine)
    try:
        counts = {"R.PWS.3.a.2": 1, "R.PWS.3.a.3": 3, "R.PWS.3.a.4": 0, "R.PWS.3.a.5": 4}
        old = ["Laporan penyampaian LHKPN Tahun 2023 tanggal 20 Maret 2023"]
        d = e.evaluate({}, {}, counts, documents={"R.PWS.3.a": old}, period=2024).decisions
        assert list(d["R.PWS.3.a"].result.flags) == ["evidence_outdated"]
        d = e.evaluate({}, {}, {"R.PWS.3.a.2": 1}, documents={"R.PWS.3.a": old}, period=2024).decisions
        assert list(d["R.PWS.3.a"].result.flags) == ["unanswered"]
    finally:
        e.close()


@pytest.mark.usefixtures("english")
def test_bad_documents_are_named_by_criterion():
    e = Evaluator(pmprb2014(), "plain")
    with pytest.raises(ValidationError, match=r"MP\.2\.a: \[0\]: kind .* 'akta'"):
        e.evaluate({}, documents={"MP.2.a": [{"kind": "akta"}]})
    with pytest.raises(ValidationError, match=r"MP\.2\.a: give an evidence count or documents, not both"):
        e.evaluate({}, {"MP.2.a": 1}, documents={"MP.2.a": []})
    with pytest.raises(ValidationError, match=r"unknown criterion 'XX\.1'"):
        e.evaluate({}, documents={"XX.1": []})
    with pytest.raises(ValidationError, match="evaluation period"):
        e.evaluate({}, documents={"MP.2.a": []}, period=22)
    with pytest.raises(ValidationError, match=r"\[1\]: .*amends"):
        e.evaluate({}, documents={"MP.2.a": [{"kind": "perda"}, {"kind": "perda", "amends": 1}]})


# ---------------------------------------------------------------------------
# both engines, random worksheets with citations

CITATIONS = [ROAD_MAP_2016, ROAD_MAP_2021, TEAM_AMENDED, TEAM_ORIGINAL, "lihat lampiran",
             "Rapat Tim RB tanggal 3 Juni 2021", "Notulen rapat tgl 03-06-2022", "Laporan Kinerja Tahun 2022",
             "Surat Edaran Bupati Nomor 700/12/2020 tentang Gratifikasi", "Aplikasi e-Kinerja",
             "Rancangan Road Map 2021-2025", "Pengumuman Seleksi Terbuka Tahun 2023",
             "Perjanjian Kinerja Tahun 2022", "1. Perbup 7/2018 tentang SOP 2. Sosialisasi SOP 5 s.d. 6 Mei 2022"]


def random_documents(rng: random.Random) -> list:
    docs: list = []
    for _ in range(rng.randint(0, 4)):
        if rng.random() < 0.5:
            docs.append(rng.choice(CITATIONS))
            continue
        year = rng.randint(2014, 2024)
        doc = {"kind": rng.choice(KINDS), "number": rng.choice([None, f"{rng.randint(1, 3)}/{year}"]),
               "year": rng.choice([None, year])}
        if rng.random() < 0.4:
            doc["date"] = f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        if rng.random() < 0.4:
            doc["period"] = [year, year + rng.randint(0, 5)]
        docs.append(doc)
    if docs and isinstance(docs[-1], dict) and rng.random() < 0.3 and len(docs) > 1:
        docs[-1]["amends"] = 0
    return docs


def random_worksheet(rng: random.Random, inst: Instrument):
    answers, evidence, documents = {}, {}, {}
    for cid, c in inst.criteria.items():
        if c.is_choice and rng.random() < 0.9:
            answers[cid] = rng.choice(list(c.values))
        r = rng.random()
        if r < 0.5:
            documents[cid] = random_documents(rng)
        elif r < 0.8:
            evidence[cid] = rng.randint(0, 2)
    return answers, evidence, documents


def test_random_worksheets_with_citations_decide_identically_on_both_engines():
    if len(engines()) < 2:
        pytest.skip("durable_rules does not import on this Python")
    inst = pmprb2014()
    rng = random.Random(16)
    d_ev, p_ev = Evaluator(inst, "durable"), Evaluator(inst, "plain")
    seen: set = set()
    try:
        for i in range(300):
            answers, evidence, documents = random_worksheet(rng, inst)
            period = rng.choice([None, 2019, 2022, 2024])
            d = d_ev.evaluate(answers, evidence, documents=documents, period=period).decisions
            p = p_ev.evaluate(answers, evidence, documents=documents, period=period).decisions
            for cid in d:
                assert (d[cid].input, d[cid].result.record(), list(d[cid].trace)) == \
                    (p[cid].input, p[cid].result.record(), list(p[cid].trace)), f"worksheet {i}: {cid}"
                seen.update(f for f in list(d[cid].result.flags) if f.startswith("evidence_"))
    finally:
        d_ev.close()
        p_ev.close()
    assert seen == set(evidence_requirements.FLAGS)


def _strip_requirements(inst: Instrument) -> Instrument:
    data = copy.deepcopy(inst.data)
    data.pop("evidence_kind_sets", None)
    data.pop("evidence_currency", None)
    for area in data["areas"]:
        for sub in area["subareas"]:
            for c in sub["criteria"]:
                c.pop("evidence_kinds", None)
    return Instrument(data=data, examples={}, origin="stripped")


@pytest.mark.parametrize("instrument", ["pmprb-2014", "zi-2021"])
def test_counts_only_decide_exactly_as_an_instrument_without_requirements(instrument):
    inst = load_instrument(instrument)
    bare = _strip_requirements(inst)
    assert len(compile_instrument(bare)["rules"]) < len(compile_instrument(inst)["rules"])
    rng = random.Random(2014)
    for engine in engines():
        full, plain = Evaluator(inst, engine), Evaluator(bare, engine)
        try:
            for _ in range(40):
                answers = {cid: rng.choice(list(c.values)) for cid, c in inst.criteria.items()
                           if c.is_choice and rng.random() < 0.9}
                counts = {cid: rng.randint(0, 9) for cid, c in inst.criteria.items() if c.kind == "count"}
                evidence = {cid: rng.randint(0, 2) for cid in inst.criteria if rng.random() < 0.8}
                a = {c: d.record() for c, d in full.evaluate(answers, evidence, counts or None).decisions.items()}
                b = {c: d.record() for c, d in plain.evaluate(answers, evidence, counts or None).decisions.items()}
                assert canonical_json(a) == canonical_json(b)
        finally:
            full.close()
            plain.close()


@pytest.mark.parametrize("engine", engines())
def test_the_full_ruleset_fires_nothing_more_on_facts_without_documents(engine):
    """The evaluator runs count-only batches on the ruleset without the evidence rules; the full
    ruleset must decide them identically (rule order included)."""
    from pmprb.engine.evaluator import DurableMatcher, PlainMatcher

    inst = pmprb2014()
    full = compile_instrument(inst)
    lean = without_document_rules(full)
    assert lean is not full and len(lean["rules"]) < len(full["rules"]) and without_document_rules(full) is lean
    bare = compile_instrument(_strip_requirements(inst))
    assert without_document_rules(bare) is bare
    assert [r for r in full["rules"] if r.get("reads") != "documents"] == lean["rules"] == bare["rules"]
    rng = random.Random(3)
    e = Evaluator(inst, engine)
    matcher = DurableMatcher(full) if engine == "durable" else PlainMatcher(full)
    try:
        for _ in range(20):
            answers = {cid: rng.choice(list(c.values)) for cid, c in inst.criteria.items() if rng.random() < 0.9}
            decisions = e.evaluate(answers, {cid: rng.randint(0, 2) for cid in inst.criteria}).decisions
            facts = [make_fact(full, cid, d.input) for cid, d in sorted(decisions.items())]
            fired = matcher.fire(facts)
            assert {cid: fired.get(cid, []) for cid in decisions} == {cid: list(d.trace) for cid, d in decisions.items()}
    finally:
        matcher.close()
        e.close()


@pytest.mark.parametrize("recorded_by", engines())
def test_decisions_with_documents_replay_alone_byte_for_byte(recorded_by):
    inst = pmprb2014()
    rng = random.Random(7)
    e = Evaluator(inst, recorded_by)
    records = []
    try:
        for _ in range(4):
            answers, evidence, documents = random_worksheet(rng, inst)
            for cid, d in e.evaluate(answers, evidence, documents=documents, period=2022).decisions.items():
                records.append({"decision_id": str(uuid.uuid4()), "criterion": cid,
                                "instrument": {"id": inst.id, "revision": inst.revision}, "engine": d.engine,
                                "input_json": canonical_json(d.input), "result_json": canonical_json(d.result.record()),
                                "trace_json": canonical_json(list(d.trace))})
    finally:
        e.close()
    assert any('"documents"' in r["input_json"] for r in records)
    for engine in engines():
        rep = replay.replay(records, {inst.revision: inst}, engine=engine)
        assert rep.ok and rep.matched == len(records), rep.mismatches[:2]


@pytest.mark.parametrize("instrument", ["pmprb-2014", "zi-2021"])
def test_facts_stay_within_durable_rules_limits(instrument):
    """At most 253 properties per fact and 64 rules matching one fact, even with every kind of document."""
    inst = load_instrument(instrument)
    compiled = compile_instrument(inst)
    docs = [{"kind": k, "number": "1", "year": 2016, "period": [2016, 2020]} for k in KINDS]
    for cid, c in inst.criteria.items():
        (n, summary), = evidence_requirements.document_inputs(inst, {cid: docs}, 2022).values()
        for answer in list(c.values) or [None]:
            inp = {"answer": answer, "evidence": n, "documents": summary,
                   "prerequisites": {p: {"answer": None, "value": 0.0} for p in compiled["criteria"][cid]["prereqs"]}}
            if "counts" in compiled["criteria"][cid]:
                inp["counts"] = {ref: 1 for ref in compiled["criteria"][cid]["counts"]}
            fact = make_fact(compiled, cid, inp)
            assert len(fact) + 1 <= 253      # + the session id
            matching = [r for r in compiled["rules"] if _match(r["when"], fact)]
            assert len(matching) <= 64


def test_every_bundled_criterion_declares_its_evidence_kinds_and_the_decisions_name_it():
    for instrument in ("pmprb-2014", "zi-2021"):
        inst = load_instrument(instrument)
        decisions = " ".join(d["decision"] for d in inst.decisions if d["gap"].startswith("evidence-"))
        for cid, c in inst.criteria.items():
            if c.is_count_valued:
                assert not evidence_requirements.requirement(c)
                continue
            req = evidence_requirements.requirement(c)
            assert req, f"{instrument} {cid} declares no evidence_kinds"
            assert f" {cid}" in decisions or f"{cid}," in decisions, f"{cid} is not explained in decisions"
    assert sum(1 for c in pmprb2014().criteria.values() if evidence_requirements.requirement(c)) == 146


# ---------------------------------------------------------------------------
# the loader checks the new keys


def _errors(tmp_path, edits):
    folder = copy_instrument(tmp_path, edits)
    with pytest.raises(ValidationError) as exc:
        load_instrument(folder)
    return exc.value.details


@pytest.mark.usefixtures("english")
def test_an_unknown_kind_set_is_named_with_file_and_line(tmp_path):
    errors = _errors(tmp_path, [("01-mp.yaml", "evidence_kinds: {accept: penetapan}\n    options:\n    - answer: A\n"
                                               "      text: Telah membentuk",
                                 "evidence_kinds: {accept: resmi}\n    options:\n    - answer: A\n"
                                 "      text: Telah membentuk")])
    assert len(errors) == 1
    assert errors[0].startswith(f"{tmp_path}/pmprb-2014/01-mp.yaml:23: subareas[0].criteria[0].evidence_kinds.accept: "
                                "unknown evidence kind set 'resmi' (declared: penetapan,")


@pytest.mark.usefixtures("english")
def test_by_answer_must_name_a_better_answer(tmp_path):
    errors = _errors(tmp_path, [("01-mp.yaml", "evidence_kinds: {accept: penetapan, by_answer: {C: hasil_kerja}}",
                                 "evidence_kinds: {accept: penetapan, by_answer: {D: hasil_kerja, E: x}}")])
    assert any("criteria[2].evidence_kinds.by_answer.D: 'D' is the worst answer" in e for e in errors)
    assert any("by_answer.E: unknown evidence kind set 'x'" in e for e in errors)
    assert any("by_answer.E: 'E' is not an answer of A/B/C/D" in e for e in errors)


@pytest.mark.usefixtures("english")
def test_kind_sets_name_known_kinds(tmp_path):
    errors = _errors(tmp_path, [("instrument.yaml", "  penetapan: [perda, perkada, keputusan]",
                                 "  penetapan: [perda, perkada, sk, perda]\n  Bad-Name: [perda]")])
    assert any("instrument.yaml:" in e and "evidence_kind_sets.penetapan[2]: expected one of 'perda'" in e
               for e in errors)


@pytest.mark.usefixtures("english")
def test_a_count_row_cannot_require_kinds(tmp_path):
    src = load_instrument("zi-2021").origin
    import shutil

    folder = tmp_path / "zi-2021"
    shutil.copytree(src, folder)
    path = folder / "07-r-mp.yaml"
    text = path.read_text()
    old = "  - id: R.MP.1.a.1\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old + "    evidence_kinds: {accept: laporan}\n"))
    with pytest.raises(ValidationError) as exc:
        load_instrument(folder)
    assert any("07-r-mp.yaml" in e and "R.MP.1.a.1 is a count; evidence requirements belong to the item its counts "
               "feed" in e for e in exc.value.details)


@pytest.mark.usefixtures("english")
def test_example_citations_are_checked(tmp_path):
    errors = _errors(tmp_path, [("01-mp.yaml", "  answers: {MP.2.a: Tidak, MP.1.a: A}\n",
                                 "  answers: {MP.2.a: Tidak, MP.1.a: A}\n  evidence: {MP.1.a: 1}\n"),
                                ("01-mp.yaml", "    MP.1.a: []\n", "    MP.1.a: []\n    XX.1: []\n")])
    assert any("citations.MP.1.a: MP.1.a is given both an evidence count and citations" in e for e in errors)
    assert any("citations.XX.1: unknown criterion 'XX.1'" in e for e in errors)


# ---------------------------------------------------------------------------
# texts for people


def test_flag_texts_in_both_languages():
    for flag in evidence_requirements.FLAGS:
        assert evidence_messages.flag_text(flag, "id") != flag
        assert evidence_messages.flag_text(flag, "en") != evidence_messages.flag_text(flag, "id")
    assert evidence_messages.flag_text("gated_by:MP.1.a") == "gated_by:MP.1.a"


def test_ratl_advice_from_a_decision(ev):
    inst = pmprb2014()
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [ROAD_MAP_2016]})["MP.2.a"]
    assert evidence_advice.advice(d, inst, "id") == [
        "Road Map Reformasi Birokrasi yang dirujuk berlaku 2016–2020; tetapkan Road Map Reformasi Birokrasi "
        "periode berjalan"]
    assert evidence_advice.advice(d, inst, "en") == [
        "the cited Road Map Reformasi Birokrasi is valid 2016–2020; adopt a Road Map Reformasi Birokrasi for the "
        "current period"]
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": ["Rancangan Peraturan Bupati tentang Road Map RB 2021-2025"]})["MP.2.a"]
    assert evidence_advice.advice(d, inst, "id") == [
        "bukti dukung yang dirujuk (dokumen) bukan Peraturan Daerah atau Peraturan Kepala Daerah/Pimpinan atau "
        "Keputusan; lampirkan Peraturan Daerah atau Peraturan Kepala Daerah/Pimpinan atau Keputusan"]
    assert evidence_advice.advice(d, None, "en")[0].startswith("the cited evidence (document) is not of a kind")
    d = decide(ev, {"MP.1.b": "A"}, {"MP.1.b": ["Rapat Tim Reformasi Birokrasi tanggal 3 Juni 2019"]})["MP.1.b"]
    assert evidence_advice.advice(d, inst, "id") == [
        "Rapat Tim Reformasi Birokrasi yang dirujuk dilaksanakan 2019-06-03, sebelum periode evaluasi 2022; "
        "lampirkan bukti kegiatan tahun 2022"]
    d = decide(ev, {"MP.2.a": "Ya"}, {"MP.2.a": [ROAD_MAP_2021]}, period=2020)["MP.2.a"]
    assert evidence_advice.advice(d, inst, "id") == [
        "Road Map Reformasi Birokrasi yang dirujuk bertanggal 2021, setelah periode evaluasi 2020; rujuk dokumen "
        "yang berlaku pada 2020"]
    d = decide(ev, {"MP.1.a": "A", "MP.1.b": "A"},
               {"MP.1.a": [TEAM_AMENDED], "MP.1.b": [TEAM_ORIGINAL, "Rapat Tim RB tanggal 3 Juni 2022"]})["MP.1.b"]
    assert evidence_advice.advice(d, inst, "id") == ["Keputusan Nomor 061/17/2015 telah diubah; rujuk perubahannya"]
    assert evidence_advice.advice(decide(ev, {"MP.2.a": "Ya"}, {}, evidence={"MP.2.a": 1})["MP.2.a"], inst) == []
