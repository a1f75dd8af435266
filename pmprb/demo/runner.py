"""Run the demo round the way people would: one real `pmprb` command after another.

Every step is a command line passed to the CLI's own entry point (no
shortcuts through the library), so the demo exercises exactly what the
README documents. Each command and its output go to ``demo.log`` in the
demo folder; a step that fails stops the demo with its output.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import click

from pmprb import i18n
from pmprb.safe_output import csv_row

from pmprb.demo.scenario import Scenario, build

MARKER = ".pmprb-demo"


class DemoError(click.ClickException):
    exit_code = 1


@dataclass
class Runner:
    folder: Path
    db_url: str
    lang: str
    log: io.TextIOBase
    steps: int = 0
    outputs: dict = field(default_factory=dict)

    def __call__(self, *args: str, actor: str | None = None, capture: str | None = None) -> str:
        from pmprb.cli import main

        argv = ["--db", self.db_url, "--lang", self.lang, "--no-input"]
        if actor:
            argv += ["--as", actor]
        argv += [str(a) for a in args]
        self.steps += 1
        self.log.write(f"\n$ pmprb {shlex.join(argv[2:])}\n")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main.main(args=argv, prog_name="pmprb", standalone_mode=False)
            except click.ClickException as exc:
                exc.show(file=err)
                code = exc.exit_code
            except click.exceptions.Abort:
                code = 130
        code = code or 0
        self.log.write(out.getvalue() + err.getvalue())
        self.log.flush()
        if code != 0:
            raise DemoError(i18n.t("demorun.step_failed", code=code, cmd=shlex.join(argv[2:]),
                                   output=out.getvalue() + err.getvalue()))
        if capture:
            self.outputs[capture] = out.getvalue()
        return out.getvalue()


@contextlib.contextmanager
def _env(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def prepare_folder(folder: Path) -> None:
    """A fresh folder, or one a previous demo left (then cleared): safe to run twice."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise DemoError(i18n.t("demorun.not_demo", folder=folder))
        for child in folder.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by pmprb demo; the folder is cleared when the demo runs again\n")


def write_worksheet(path: Path, answers: dict[str, str], notes: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kriteria", "jawaban", "catatan"])
        for cid, answer in answers.items():
            w.writerow(csv_row([cid, answer, notes.get(cid, "")]))  # pmprb reads its own neutralised cells back


def run_demo(folder: Path, lang: str, progress) -> dict:
    prepare_folder(folder)
    sc: Scenario = build()
    plan = sc.plan
    rnd = plan["round"]
    code = rnd["code"]
    db_url = f"sqlite:///{(folder / 'pmprb.db').as_posix()}"
    reports = folder / "laporan"
    reports.mkdir()
    with (folder / "demo.log").open("w", encoding="utf-8") as log:
        run = Runner(folder, db_url, lang, log)
        admin = plan["admin"]["username"]
        koordinator, auditor = sc.role("koordinator"), sc.role("auditor")

        progress("persiapan ronde / round set-up")
        run("init", "--institution-code", plan["institution"]["code"], "--institution", plan["institution"]["name"],
            "--admin", admin, "--admin-name", plan["admin"]["name"])
        for p in plan["people"]:
            run("person", "add", p["username"], "--name", p["name"], *[x for r in p["roles"] for x in ("--role", r)],
                *(["--nip", p["nip"]] if p.get("nip") else []), *(["--jabatan", p["jabatan"]] if p.get("jabatan") else []),
                actor=admin)
        for u in plan["units"]:
            run("unit", "add", u["code"], u["name"], actor=admin)
        run("round", "create", "--year", rnd["year"], "--code", code, "--title", rnd["title"],
            "--deadline", rnd["deadline"], "--instrument", rnd["instrument"], actor=admin)
        for assessor in sc.assessors:
            for u in plan["units"]:
                run("assign", "--round", code, "--assessor", assessor, "--unit", u["code"],
                    *[x for a in u["areas"] for x in ("--area", a)], actor=admin)
        run("round", "open", code, actor=admin)
        if plan.get("published"):
            table = folder / "indeks-dipublikasikan.csv"
            table.write_text(plan["published"], encoding="utf-8")
            run("history", "import", table, "--institution", plan["institution"]["name"],
                "--instrument", rnd["instrument"], actor=koordinator)

        progress("bukti dukung / evidence")
        evidence_dir = folder / "bukti"
        evidence_dir.mkdir()
        for doc in sc.documents:
            path = evidence_dir / doc.filename
            path.write_text(doc.content, encoding="utf-8")
            run("evidence", "add", path, "--round", code, "--unit", doc.unit,
                *[x for c in doc.criteria for x in ("--criterion", c)],
                "--number", doc.number, "--title", doc.title, "--date", doc.date, actor=sc.assessors[0])

        progress("kertas kerja asesor / assessor worksheets")
        sheets = folder / "kertas-kerja"
        sheets.mkdir()
        for (assessor, unit), answers in sc.worksheets.items():
            path = sheets / f"{assessor}-{unit.lower()}.csv"
            write_worksheet(path, answers, sc.notes[(assessor, unit)])
            run("assess", "import", path, "--round", code, "--unit", unit, actor=assessor)
            run("assess", "submit", "--round", code, "--unit", unit, "--yes", actor=assessor)

        progress("reviu koordinator dan konsensus / review and consensus")
        run("round", "review", code, actor=koordinator)
        run("review", "--round", code, actor=koordinator, capture="review")
        for (assessor, unit) in sc.worksheets:
            run("review", "accept", "--round", code, "--unit", unit, "--assessor", assessor, actor=koordinator)
        run("round", "consensus", code, actor=koordinator)
        items = json.loads(run("consensus", "list", "--round", code, "--json", actor=koordinator))["items"]
        participants = ",".join([koordinator] + sc.assessors)
        meeting = str(rnd["meeting_date"])
        rationale = {d["criterion"]: d["rationale"] for d in plan["disagreements"]}
        guests = [x for g in plan.get("guests", []) for x in ("--guest", g)]
        for item in items:
            cid = item["criterion"]
            run("consensus", "resolve", cid, "--round", code, "--answer", sc.agreed[cid],
                "--rationale", rationale.get(cid, "Disepakati dalam rapat konsensus berdasarkan bukti dukung."),
                "--participant", participants, *guests, "--date", meeting, actor=koordinator)
        run("consensus", "meeting", "--round", code, "--date", meeting, "--participant", participants, *guests,
            "--note", "Rapat konsensus membahas seluruh kriteria.", actor=koordinator)
        m = plan.get("minutes") or {}
        if m:
            run("consensus", "minutes", "--round", code, "--number", m["number"], "--place", m["place"],
                "--acknowledged-by", m["acknowledged_by"], actor=koordinator)
        h = plan["hasil"]
        run("round", "hasil", "--round", code, "--sakip", h["sakip"], "--kapasitas", h["kapasitas"],
            "--persepsi-korupsi", h["persepsi_korupsi"], "--opini-bpk", h["opini_bpk"], "--pelayanan", h["pelayanan"],
            "--source", "Data demo (fiktif)", actor=koordinator)

        progress("finalisasi, RATL dan laporan / finalise, RATL and reports")
        # The coordinator's signing key stays in the demo folder (a real one lives in the user's config folder).
        with _env("PMPRB_KEY_DIR", str(folder / "kunci")):
            run("key", "init", actor=koordinator)
            run("round", "finalise", code, actor=koordinator)     # writes a signed checkpoint to reports/
        result = json.loads(run("round", "result", "--round", code, "--json", actor=auditor))
        ratl = json.loads(run("ratl", "list", "--round", code, "--json", actor=koordinator))["items"]
        paths = {}
        for name, suffix in (("lke", "html"), ("lke", "xlsx"), ("berita-acara", "html"), ("ratl", "html"),
                             ("ringkasan", "html")):
            out = reports / f"{name}.{suffix}"
            run("report", name, "--round", code, "-o", out, actor=koordinator)
            paths[f"{name}.{suffix}"] = out
        ratl_xlsx = reports / "ratl.xlsx"
        run("ratl", "export", "--round", code, "--format", "xlsx", "-o", ratl_xlsx, actor=koordinator)
        paths["ratl.xlsx"] = ratl_xlsx

        progress("audit: replay dan verifikasi / replay and verify")
        replay = json.loads(run("audit", "replay", "--round", code, "--json", actor=auditor))
        run("audit", "verify", "--round", code, actor=auditor)
        log_path = folder / "keputusan.jsonl"
        run("audit", "export", "--round", code, "--format", "jsonl", "-o", log_path, actor=auditor)
        paths["keputusan.jsonl"] = log_path
        # The anchors outside the database: the checkpoint finalising wrote, and the export.
        checkpoint = sorted((folder / "reports").glob(f"checkpoint-{code}-*.json"))[-1]
        run("audit", "verify", "--round", code, "--against", checkpoint, actor=auditor)
        run("audit", "verify", "--round", code, "--against", paths["berita-acara.html"], actor=auditor)
        run("audit", "replay", "--from", log_path, "--against", checkpoint, actor=auditor)
        paths["checkpoint"] = checkpoint

    return {"folder": folder, "round": code, "explain": plan["explain"], "db_url": db_url, "result": result, "consensus_items": len(items),
            "ratl_items": len(ratl), "replay": replay, "reports": paths, "steps": run.steps}
