"""Worksheets with citations and an evaluation period, through `pmprb score`."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.engine.instrument import Instrument
from pmprb.engine.worksheet import parse_worksheet, result_json
from pmprb.engine.worksheet_files import load_worksheet

from engine_support import engines, pmprb2014

WORKSHEET = """\
instrument: pmprb-2014
period: 2022
answers: {MP.1.a: A, MP.1.b: A, MP.2.a: Ya, MP.2.b: A, MP.3.c: B, PWS.1.a: Ya}
evidence:
  MP.1.a:
  - "Keputusan Bupati X Nomor: 061/17/2015 tentang Pembentukan Tim Reformasi Birokrasi sebagaimana telah diubah
    dengan Keputusan Bupati X Nomor 061/88/2018"
  MP.1.b:
  - "Keputusan Bupati X Nomor: 061/17/2015 tentang Pembentukan Tim Reformasi Birokrasi"
  - "1. Rapat Tim RB tanggal 3 Juni 2022 2. Rapat Tim RB tanggal 9 Agustus 2022"
  MP.2.a: ["Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020"]
  MP.2.b: 2
  MP.3.c:
  - {kind: kegiatan, subject: Bimtek Asesor PMPRB, date: 2023-02-01}
  PWS.1.a:
  - {kind: surat_edaran, number: 700/12/2022, year: 2022, subject: Larangan Gratifikasi}
hasil: {sakip: 70.05, kapasitas: 3.8, persepsi-korupsi: 3.31, opini-bpk: WTP, pelayanan: 3.117}
"""

COUNTS_ONLY = """\
instrument: pmprb-2014
answers: {MP.1.a: A, MP.1.b: A, MP.2.a: Ya, MP.2.b: A, MP.3.c: B, PWS.1.a: Ya}
evidence: {MP.1.a: 2, MP.1.b: 3, MP.2.a: 1, MP.2.b: 2, MP.3.c: 1, PWS.1.a: 1}
hasil: {sakip: 70.05, kapasitas: 3.8, persepsi-korupsi: 3.31, opini-bpk: WTP, pelayanan: 3.117}
"""


def score(tmp_path, text: str, name: str = "ws.yaml", *args):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["score", str(path), "--json", *args])


@pytest.mark.parametrize("engine", engines())
def test_score_json_shows_the_evidence_flags(tmp_path, engine):
    res = score(tmp_path, WORKSHEET, "ws.yaml", "--engine", engine)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    crit = out["criteria"]
    assert out["period"] == 2022
    assert crit["MP.1.a"]["flags"] == []
    assert crit["MP.1.b"]["flags"] == ["evidence_superseded"]
    assert crit["MP.1.b"]["evidence"] == 3
    assert crit["MP.2.a"]["flags"] == ["evidence_outdated"]
    assert crit["MP.2.b"]["flags"] == [] and "documents" not in crit["MP.2.b"]
    assert crit["MP.3.c"]["flags"] == ["evidence_future"]
    assert crit["PWS.1.a"]["flags"] == ["evidence_kind_not_accepted"]     # "ditetapkan": a circular is not enough
    assert crit["MP.2.a"]["documents"]["cited"][0]["period"] == [2016, 2020]


def test_the_same_answers_with_counts_only_give_the_same_values_as_today(tmp_path):
    with_docs = json.loads(score(tmp_path, WORKSHEET, "a.yaml").stdout)
    counts = score(tmp_path, COUNTS_ONLY, "b.yaml")
    assert counts.exit_code == 0, counts.output
    counts = json.loads(counts.stdout)
    assert "period" not in counts
    for key in ("pengungkit", "hasil", "indeks_rb", "grade", "areas"):
        assert counts[key] == with_docs[key]
    for cid, c in counts["criteria"].items():
        assert (c["value"], c["raw_value"], c["evidence"]) == (with_docs["criteria"][cid]["value"],
                                                              with_docs["criteria"][cid]["raw_value"],
                                                              with_docs["criteria"][cid]["evidence"])
        assert "documents" not in c and not any(f.startswith("evidence_") for f in c["flags"])
    # ... and exactly what the instrument without any evidence requirement gives.
    data = copy.deepcopy(pmprb2014().data)
    for key in ("evidence_kind_sets", "evidence_currency"):
        data.pop(key)
    for area in data["areas"]:
        for sub in area["subareas"]:
            for c in sub["criteria"]:
                c.pop("evidence_kinds")
    bare = Instrument(data=data, examples={}, origin="bare")
    ws = load_worksheet(tmp_path / "b.yaml")
    bare_ws = parse_worksheet({"answers": ws.answers, "evidence": ws.evidence, "hasil": ws.hasil}, "b", bare)
    old = result_json(bare_ws, bare_ws.evaluate())
    new = result_json(ws, ws.evaluate())
    for r in (old, new):
        r.pop("revision")
        r.pop("engine")
    assert old == new


def test_a_json_worksheet_takes_citations_too(tmp_path):
    text = json.dumps({"instrument": "pmprb-2014", "period": 2022, "answers": {"MP.2.a": "Ya"},
                       "evidence": {"MP.2.a": ["Perbup Nomor 35 Tahun 2021 tentang Road Map RB Tahun 2021-2025"]}})
    res = score(tmp_path, text, "ws.json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["criteria"]["MP.2.a"]["flags"] == []


def test_bad_period_and_bad_documents_are_located(tmp_path):
    text = ("instrument: pmprb-2014\nperiod: dua ribu\nanswers: {MP.2.a: Ya}\nevidence:\n"
            "  MP.2.a: [{kind: akta}]\n  MP.2.b: {kind: perda}\n")
    (tmp_path / "x.yaml").write_text(text)
    res = CliRunner().invoke(main, ["--lang", "en", "score", str(tmp_path / "x.yaml")])
    assert res.exit_code == 1 and res.stdout == ""
    err = res.output
    assert f"{tmp_path / 'x.yaml'}:2: period: the evaluation period must be a year 1900..2100, got 'dua ribu'" in err
    assert (f"{tmp_path / 'x.yaml'}:5: evidence.MP.2.a: evidence must be a number of documents, or a list of "
            "citations (text) and structured documents: [0]: kind must be one of perda,") in err
    assert f"{tmp_path / 'x.yaml'}:6: evidence.MP.2.b: evidence must be a whole number of documents" in err


def test_a_worksheet_without_period_still_judges_kinds(tmp_path):
    text = WORKSHEET.replace("period: 2022\n", "")
    out = json.loads(score(tmp_path, text).stdout)["criteria"]
    assert out["MP.2.a"]["flags"] == [] and out["MP.3.c"]["flags"] == []
    assert out["PWS.1.a"]["flags"] == ["evidence_kind_not_accepted"]
    assert out["MP.1.b"]["flags"] == ["evidence_superseded"]


CSV_CITED = """\
kriteria,jawaban,bukti
periode,2022,
MP.1.a,A,"Keputusan Bupati X Nomor: 061/17/2015 tentang Pembentukan Tim Reformasi Birokrasi sebagaimana telah diubah dengan Keputusan Bupati X Nomor 061/88/2018"
MP.1.b,A,"Keputusan Bupati X Nomor: 061/17/2015 tentang Pembentukan Tim Reformasi Birokrasi"
MP.2.a,Ya,Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020
MP.2.b,A,2
"""
CSV_COUNTS = """\
kriteria,jawaban,bukti
MP.1.a,A,2
MP.1.b,A,1
MP.2.a,Ya,1
MP.2.b,A,2
"""


@pytest.mark.parametrize("engine", engines())
def test_a_csv_worksheet_gives_citations_in_its_evidence_column_and_a_period_row(tmp_path, engine):
    res = score(tmp_path, CSV_CITED, "ws.csv", "--engine", engine)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    crit = out["criteria"]
    assert out["period"] == 2022
    assert crit["MP.1.a"]["flags"] == [] and crit["MP.1.a"]["evidence"] == 2
    assert crit["MP.1.b"]["flags"] == ["evidence_kind_not_accepted", "evidence_superseded"]
    assert crit["MP.2.a"]["flags"] == ["evidence_outdated"]
    assert crit["MP.2.b"]["flags"] == [] and "documents" not in crit["MP.2.b"]
    counts = json.loads(ok_score(tmp_path, CSV_COUNTS, "counts.csv").stdout)
    assert "period" not in counts
    for key in ("pengungkit", "hasil", "indeks_rb", "grade", "areas"):
        assert counts[key] == out[key]
    for cid, c in counts["criteria"].items():
        assert (c["value"], c["raw_value"], c["evidence"]) == (crit[cid]["value"], crit[cid]["raw_value"],
                                                              crit[cid]["evidence"])


def ok_score(tmp_path, text, name):
    res = score(tmp_path, text, name)
    assert res.exit_code == 0, res.output
    return res


def test_a_csv_evidence_cell_that_cites_nothing_readable_is_named(tmp_path):
    res = score(tmp_path, "kriteria,jawaban,bukti\nMP.1.a,A,qwerty\nMP.1.b,A,-3\nperiode,20x2,\n", "bad.csv")
    assert res.exit_code == 1
    assert "bad.csv:2: MP.1.a: bukti dukung harus berupa jumlah dokumen atau rujukan dokumen yang terbaca" in res.stderr
    assert "bad.csv:3: MP.1.b: jumlah bukti dukung harus bilangan bulat >= 0, bukan '-3'" in res.stderr
    assert "bad.csv:4: periode: periode evaluasi harus berupa tahun 1900..2100, bukan '20x2'" in res.stderr


def test_a_yaml_string_of_citations_reads_like_a_list_of_one(tmp_path):
    text = WORKSHEET.replace('MP.2.a: ["Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi '
                             'Tahun 2016-2020"]',
                             'MP.2.a: "Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi '
                             'Tahun 2016-2020"')
    assert text != WORKSHEET
    out = json.loads(ok_score(tmp_path, text, "ws.yaml").stdout)
    assert out["criteria"]["MP.2.a"]["flags"] == ["evidence_outdated"]
