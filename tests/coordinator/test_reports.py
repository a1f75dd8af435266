"""The round documents: snapshots of the rendered HTML, a headless Chromium
render of each (screenshot and A4 print), and the spreadsheets read back
with openpyxl.

The rounds behind them are built once for the module, reproducibly: fixed
finalisation time, counted decision ids, the plain rules engine (its label
is part of the frozen result), fixed meeting and document dates, and a
fixed report timestamp. Two final rounds (2023 and 2024) so the summary
compares them.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

import coordinator_support as cs
from pmprb.assessments.coordinate import consensus, final_result, ratl
from pmprb.assessments.setup import rounds
from pmprb.assessments.store.db import dispose_engines, open_db
from pmprb.engine.instrument import load_instrument
from pmprb.reports import berita_acara, lke, ringkasan, ratl as ratl_report
from pmprb.reports.chromium import A4_POINTS, html_to_pdf, html_to_png, pdf_page_sizes, png_size
from pmprb.reports.environment import write_report
from report_support import assert_snapshot, require_chromium

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
GENERATED = datetime(2024, 5, 21, 8, 0, tzinfo=timezone.utc)
INST = load_instrument("pmprb-2014")
MODULES = {"lke": lke, "berita-acara": berita_acara, "ratl": ratl_report, "ringkasan": ringkasan}
CASES = [("lke", "id"), ("berita-acara", "id"), ("berita-acara", "en"), ("ratl", "id"), ("ringkasan", "id"),
         ("ringkasan", "en")]


def _round(db, *, code, year, overrides, agreed, init):
    w = cs.build(db, code=code, year=year, deadline=None if year == 2023 else date(year, 5, 31),
                 overrides=overrides, init=init, evidence_for={"MP.1.a": 2, "MP.2.a": 1})
    cs.to_consensus(w)
    for cid, answer in agreed.items():
        cs.resolve(w, cid, answer)
    w.as_("kora", lambda s, a, r: consensus.record_meeting(s, a, r, meeting_date=cs.MEETING,
                                                         participants=["kora", "ani", "budi", "citra"],
                                                         note="Rapat pleno tim asesor", today=cs.TODAY))
    cs.set_hasil(w, dict(cs.HASIL_2014, **({"H.1.a": "65.5", "H.2.b": "WDP"} if year == 2023 else {})))
    cs.finalise(w)
    return w


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Two final rounds in one SQLite file; yields the 2024 world."""
    folder = tmp_path_factory.mktemp("documents")
    with pytest.MonkeyPatch.context() as mp:
        counter = itertools.count(1)
        mp.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))
        mp.setattr(final_result, "now", lambda: cs.FIXED_NOW)
        mp.setenv("PMPRB_RULES_ENGINE", "plain")
        mp.setenv("PMPRB_EVIDENCE_DIR", str(folder / "evidence"))
        db = open_db(f"sqlite:///{folder / 'pmprb.db'}")
        # 2023: the year before, final, with a weaker Hasil.
        _round(db, code="2023", year=2023, init=True, overrides={"budi": {"MP.1.b": "A"}}, agreed={"MP.1.b": "B"})
        w = _round(db, code="2024", year=2024, init=False,
                   overrides={"citra": {"MP.1.b": "A", "SDM.5.d": "A"}, "budi": {"SDM.1.c": "Ya"}},
                   agreed={"MP.1.b": "A", "SDM.1.c": "Ya", "SDM.5.d": "B"})
        w.as_("kora", lambda s, a, r: ratl.map_role(s, a, "BKPSDM", "DINKES"))
        w.as_("kora", lambda s, a, r: ratl.update(s, a, r, "MP.2.a", rencana_aksi="Menyusun dan menetapkan Road Map RB "
                                                  "2025–2029 dengan Peraturan Wali Kota", target_date=date(2025, 3, 31)))
        w.as_("ani", lambda s, a, r: ratl.path_to(s, a, r, "MP.2.a", "done", evidence="Perwal 12/2025 Road Map RB"))
        dispose_engines()
    yield w
    dispose_engines()


def build(w, name, lang):
    return w.read(lambda s: MODULES[name].build(s, rounds.get_round(s, "2024"), lang))


@pytest.mark.parametrize("name, lang", CASES)
def test_html_snapshot(documents, name, lang):
    html = MODULES[name].render_html(build(documents, name, lang), generated_at=GENERATED)
    assert html == MODULES[name].render_html(build(documents, name, lang), generated_at=GENERATED)
    assert_snapshot(html, SNAPSHOTS / f"{name}.{lang}.html")


def test_documents_say_what_they_must(documents):
    rk = build(documents, "ringkasan", "id")
    assert rk["previous"]["code"] == "2023" and rk["previous"]["grade"]
    assert [h["change"] for h in rk["headline"]][1] > 0  # Hasil rose: SAKIP 65.5 -> 70.05, WDP -> WTP
    ba = build(documents, "berita-acara", "id")
    assert [r["id"] for r in ba["items"]] == ["MP.1.b", "SDM.1.c", "SDM.5.d"]
    assert ba["coverage"]["all_discussed"] and ba["made_on"] == cs.MEETING
    sdm = next(r for r in ba["items"] if r["id"] == "SDM.5.d")
    assert [(a["who"], a["answer"]) for a in sdm["answers"]] == [("ani", "C"), ("budi", "C"), ("citra", "A")]
    assert sdm["final"] == "B" and sdm["rationale"]
    plan = build(documents, "ratl", "id")
    road_map = next(i for i in plan["items"] if i["criterion"] == "MP.2.a")
    assert road_map["state_text"] == "selesai" and road_map["done_evidence"] == "Perwal 12/2025 Road Map RB"


def test_lke_spreadsheet_holds_every_criterion(documents, tmp_path):
    ctx = build(documents, "lke", "id")
    path = lke.write_xlsx_file(tmp_path / "lke.xlsx", ctx)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["LKE", "Rekap"]
    rows = list(wb["LKE"].iter_rows(min_row=3, values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("No", "Area", "Sub-area", "Kriteria")
    assert [r[3] for r in body] == list(INST.criteria)
    data = documents.read(lambda s: final_result.data_of(final_result.current(s, rounds.get_round(s, "2024"))))
    by_id = {r[3]: r for r in body}
    for cid, entry in data["criteria"].items():
        assert by_id[cid][6] == entry["answer"] and by_id[cid][7] == pytest.approx(entry["value"])
    # Two documents of this round; the 2023 round's documents do not count.
    assert by_id["MP.1.a"][8] == 2 and "MP.1.a/1/2024" in by_id["MP.1.a"][9] and "/2023" not in by_id["MP.1.a"][9]
    summary = {r[1]: r for r in wb["Rekap"].iter_rows(min_row=4, values_only=True)}
    assert summary["Indeks RB"][3] == pytest.approx(data["score"]["indeks_rb"])


def test_ratl_spreadsheet_and_csv(documents, tmp_path):
    ctx = build(documents, "ratl", "id")
    wb = load_workbook(ratl_report.write_xlsx_file(tmp_path / "ratl.xlsx", ctx), read_only=True)
    body = list(wb["RATL"].iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in body] == [i["criterion"] for i in ctx["items"]]
    assert [r[0] for r in body] == list(range(1, len(body) + 1))
    text = ratl_report.write_csv(tmp_path / "ratl.csv", ctx).read_text(encoding="utf-8-sig")
    assert text.count("\n") == len(ctx["items"]) + sum(i["kelemahan"].count("\n") for i in ctx["items"]) + 1


@pytest.mark.parametrize("name", list(MODULES))
def test_renders_in_chromium_and_prints_on_a4(documents, name, tmp_path):
    require_chromium()
    html = write_report(tmp_path / f"{name}.html",
                        MODULES[name].render_html(build(documents, name, "id"), generated_at=GENERATED))
    png = html_to_png(html, tmp_path / f"{name}.png")
    from PIL import Image

    with Image.open(png) as img:
        assert img.size == png_size(png)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 22)
    assert len(colours) > 50, "the page rendered (text and tables), not a blank window"
    if name == "ringkasan":
        assert (0x00, 0x72, 0xB2) in {c for _, c in colours}  # the SVG chart's bars
    sizes = pdf_page_sizes(html_to_pdf(html, tmp_path / f"{name}.pdf"))
    assert sizes, "no page printed"
    want = sorted(A4_POINTS)
    assert all(sorted(size) == pytest.approx(want, abs=1.5) for size in sizes), sizes
    if name == "ratl":  # the wide action plan prints landscape
        assert all(w > h for w, h in sizes)
