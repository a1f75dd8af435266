"""Property-based fuzzing of every reader: arbitrary bytes, and the valid files
of the existing tests mutated, give either a valid parse or a named PmprbError
— never another exception — within a fixed time and a fixed peak of Python
allocations per example (``safety_support.bounded``, tracemalloc).

About 150 examples per reader (80 where an example validates an instrument or
replays a log): ~1 minute in all on a loaded 2-core machine.
``PMPRB_FUZZ_SCALE=20`` multiplies the examples for a deeper search."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pmprb.canonical import canonical_json
from pmprb import safe_xlsx
from pmprb.engine import decision_log, history
from pmprb.engine.evaluator import Evaluator
from pmprb.engine.instrument import RULES_DIR, _load_folder, load_instrument
from pmprb.engine.safe_input import csv_rows, load_json
from pmprb.engine.worksheet import WorksheetFile
from pmprb.engine.worksheet_files import load_worksheet
from pmprb.engine.yamlsrc import load_text

from safety_support import (bounded, file_bytes, history_seed, mutated, worksheet_seeds, xlsx_parts, xlsx_seed,
                            xlsx_with)

pytestmark = pytest.mark.usefixtures("traced")

# PMPRB_FUZZ_SCALE=20 runs twenty times the examples (a deeper search, minutes per reader).
SCALE = float(os.environ.get("PMPRB_FUZZ_SCALE", "1"))
FUZZ = settings(max_examples=int(150 * SCALE), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
SLOW_FUZZ = settings(FUZZ, max_examples=int(80 * SCALE))   # instrument validation; rebuilding a pinned instrument

SEEDS = worksheet_seeds()
WORK = Path()   # set by _workdir: hypothesis examples cannot take pytest's function-scoped tmp_path


@pytest.fixture(scope="module", autouse=True)
def _workdir():
    global WORK
    WORK = Path(tempfile.mkdtemp(prefix="pmprb-fuzz-"))
    yield
    shutil.rmtree(WORK, ignore_errors=True)


def _file(name: str, data: bytes) -> Path:
    p = WORK / name
    p.write_bytes(data)
    return p


# -- worksheets for `pmprb score` ---------------------------------------------------


@FUZZ
@given(st.one_of(file_bytes(SEEDS[".yaml"]), mutated(SEEDS["zi.yaml"])))
@example(SEEDS[".yaml"])
@example(SEEDS["zi.yaml"])
def test_fuzz_yaml_worksheet(data):
    ws, _ = bounded(load_worksheet, _file("w.yaml", data))
    assert ws is None or isinstance(ws, WorksheetFile)


@FUZZ
@given(file_bytes(SEEDS[".json"]))
@example(SEEDS[".json"])
def test_fuzz_json_worksheet(data):
    ws, _ = bounded(load_worksheet, _file("w.json", data))
    assert ws is None or isinstance(ws, WorksheetFile)


@FUZZ
@given(file_bytes(SEEDS[".csv"]))
@example(SEEDS[".csv"])
def test_fuzz_csv_worksheet(data):
    ws, err = bounded(load_worksheet, _file("w.csv", data))
    assert ws is None or isinstance(ws, WorksheetFile)


def test_the_seeds_are_valid():
    for name in (".yaml", ".json", ".csv"):
        assert load_worksheet(_file("w" + name, SEEDS[name])).answers
    assert load_worksheet(_file("zi.yaml", SEEDS["zi.yaml"])).answers
    assert history.read_csv(_file("h.csv", history_seed()))


# -- the primitives ------------------------------------------------------------------


@FUZZ
@given(st.one_of(st.text(max_size=2000), file_bytes(SEEDS[".json"]).map(lambda b: b.decode("utf-8", "replace"))))
def test_fuzz_yaml_and_json_text(text):
    def both():
        try:
            load_json(text, "f.json")
        except ValueError:   # json.JSONDecodeError: a located syntax error for the caller
            pass
        try:
            load_text(text, "f.yaml")
        except Exception as exc:  # noqa: BLE001 - only YAML's own syntax errors may pass unnamed
            import yaml

            if not isinstance(exc, yaml.YAMLError):
                raise
    bounded(both)


@FUZZ
@given(st.one_of(st.text(max_size=2000), file_bytes(SEEDS[".csv"]).map(lambda b: b.decode("utf-8", "replace"))),
       st.sampled_from([",", ";", "\t"]))
def test_fuzz_csv_text(text, delimiter):
    rows, _ = bounded(lambda: list(csv_rows(text, "f.csv", delimiter=delimiter)))
    if rows is not None:
        lines = [line for line, _ in rows]
        assert lines == sorted(lines)


# -- published history -----------------------------------------------------------------


@FUZZ
@given(file_bytes(history_seed()))
@example(history_seed())
def test_fuzz_history_csv(data):
    figures, _ = bounded(history.read_csv, _file("h.csv", data))
    if figures is not None:
        bounded(history.check, figures)


# -- instrument folders ------------------------------------------------------------------


def _small_instrument() -> dict[str, bytes]:
    """pmprb-2014 cut to one area (weights scaled so it is still valid): loading it
    takes milliseconds, so the fuzzing budget goes to mutations, not to YAML."""
    import re

    head = (RULES_DIR / "pmprb-2014" / "instrument.yaml").read_text(encoding="utf-8")
    area = (RULES_DIR / "pmprb-2014" / "02-ppu.yaml").read_text(encoding="utf-8")
    return {"instrument.yaml": re.sub(r"areas:\n(- .*\n)+", "areas:\n- 02-ppu.yaml\n", head).encode(),
            "02-ppu.yaml": area.replace("weight: 5.0", "weight: 60").replace("weight: 2.5", "weight: 30").encode()}


INSTRUMENT = _small_instrument()


@pytest.fixture(scope="module")
def instrument_folder():
    folder = WORK / "inst"
    folder.mkdir()
    for name, data in INSTRUMENT.items():
        (folder / name).write_bytes(data)
    assert len(_load_folder(folder).criteria) == 4   # the seed is valid
    return folder


@SLOW_FUZZ
@given(st.sampled_from(sorted(INSTRUMENT)), st.data())
def test_fuzz_instrument_folder(instrument_folder, name, data):
    seed = INSTRUMENT[name]
    target = instrument_folder / name
    target.write_bytes(data.draw(file_bytes(seed)))
    try:
        bounded(_load_folder, instrument_folder)
    finally:
        target.write_bytes(seed)


# -- the decision log (audit replay --from) -----------------------------------------------


def _valid_log() -> bytes:
    inst = load_instrument("pmprb-2014")
    answers = {cid: c.options[-1][0] for cid, c in list(inst.criteria.items())[:12] if c.is_choice}
    ev = Evaluator(inst, "plain").evaluate(answers, {cid: 1 for cid in list(answers)[:4]})
    lines = []
    for i, (cid, dec) in enumerate(ev.decisions.items()):
        lines.append(canonical_json(decision_log.decision_line({
            "decision_id": f"d{i}", "round": "2024", "criterion": cid, "kind": "final", "unit": "DINKES",
            "assessor": "ani", "actor": "ani", "timestamp": "2024-06-01T00:00:00+00:00",
            "instrument": {"id": inst.id, "revision": inst.revision}, "engine": dec.engine,
            "input_json": canonical_json(dec.input), "result_json": canonical_json(dec.result.record()),
            "trace_json": canonical_json(list(dec.trace))})))
    head = decision_log.header(round_info={"code": "2024"}, instrument=inst, records=len(lines), frozen_results=None,
                               exported_at="2024-06-01T00:00:00+00:00", generator="test")
    return (canonical_json(head) + "\n" + "\n".join(lines) + "\n").encode()


LOG = _valid_log()
LOG_HEAD, _, LOG_RECORDS = LOG.partition(b"\n")


def _replay(path):
    return decision_log.replay_log(decision_log.DecisionLog(path), engine="plain")


@SLOW_FUZZ
@given(st.one_of(st.binary(max_size=2048),
                 mutated(LOG_RECORDS).map(lambda b: LOG_HEAD + b"\n" + b),   # records mutated, header intact
                 mutated(LOG)))
@example(LOG)
def test_fuzz_decision_log_replay(data):
    report, _ = bounded(_replay, _file("log.jsonl", data))
    if data == LOG:
        assert report.ok and report.total == LOG.count(b"\n") - 1


# -- XLSX ---------------------------------------------------------------------------------


XLSX = xlsx_seed()
SHEET_XML = dict(xlsx_parts(XLSX))["xl/worksheets/sheet1.xml"]


def _read_xlsx(path):
    wb = safe_xlsx.open_workbook(path)
    try:
        return {ws.title: safe_xlsx.sheet_values(ws, name=str(path)) for ws in wb.worksheets}
    finally:
        wb.close()


@FUZZ
@given(st.one_of(st.binary(max_size=4096), mutated(XLSX),
                 mutated(SHEET_XML).map(lambda xml: xlsx_with(XLSX, {"xl/worksheets/sheet1.xml": xml}))))
@example(XLSX)
def test_fuzz_xlsx(data):
    tables, _ = bounded(_read_xlsx, _file("w.xlsx", data))
    if data == XLSX:
        assert tables["Kertas Kerja"][1] == (2, ["MP.1.a", "A", "SK ada"])
