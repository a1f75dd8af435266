#!/usr/bin/env python3
"""National-scale pipeline benchmark: N institutions x 146 criteria x 3 assessors.

Runs a whole national PMPRB round set through the store and the rules
engine, stage by stage over every institution, on SQLite or PostgreSQL, and
prints time and throughput per stage, peak RSS, and the evaluation stage
against a plain-Python scorer measured in the same run.

What is modelled, and how (say so when quoting the figures):

- The store holds one institution per database (``people.institution``), so
  the national set is one database whose institution row stands for the
  national programme, and **each institution is its own round** (code
  ``I0001-2024``) with its own work unit (the institution as a whole), its
  own koordinator and three asesor, each assigned every area.
- **Evidence** is real rows: per institution and area, URL documents
  (``add_evidence``: Evidence + EvidenceRevision + EvidenceLink + audit
  event), document *j* of an area supporting every criterion of that area
  that needs more than *j* documents, so each criterion gets its seeded
  evidence count (0-3). No files are stored: URL evidence hashes the URL.
  About 8 % of the criteria answered above the worst option get no document
  (the "claimed without evidence" defect, flagged by the rules).
- Answers are seeded per institution (``--seed``): a maturity level, a
  "true" option per criterion, and each assessor giving it with probability
  ``--agreement`` (else a neighbouring option); every criterion answered,
  with a short note and the references of its documents.

Stages (each over all N institutions, through the library functions the CLI
calls; "tx" = one database transaction):

setup         unit, koordinator, 3 asesor, round (pinned instrument), assignments, open — 1 tx per institution
evidence      URL documents through ``evidence.add_evidence`` — 1 tx per institution
import        one CSV worksheet per assessor through ``sheet_format.read_sheet`` + ``sheet_import.import_sheet``
              (the bulk path of ``pmprb assess import``) — 1 tx per file
evaluation    ``submission.submit`` per worksheet (the submit check, then the store's submit, which
              evaluates through the rules engine and records one decision record per criterion) — 1 tx each
consensus     start review (1 tx), the koordinator's side-by-side ``review.review`` (read), accept each
              worksheet (1 tx each), enter consensus: disputed criteria become items (1 tx), then the
              meeting's outcome: every item resolved with an answer and a rationale and the merged
              criteria confirmed (MP.3.f) — 1 tx per institution
finalisation  Hasil figures + ``rounds.finalise`` (institution answers, final decision records, score,
              frozen result) — 1 tx; the RATL generation that the finalise hook runs inside it is timed
              separately and subtracted
ratl          ``ratl.generate`` (measured inside finalisation, see above)
replay        ``pmprb.assessments.audit.replay.replay_round`` per round: every stored decision re-decided and
              compared byte for byte, and each frozen result recomputed from the replayed decisions

Baselines measured in the same run, on the same worksheets: a plain-Python
scorer (option values by dict lookup + ``scoring.score``'s aggregation, no
rules engine, no database) and the rules engine alone (``Evaluator.evaluate``
+ the same scoring, no database).

Every figure is reported per institution as the median (min–max) of
``--runs`` (>= 5) runs, each on a fresh database: SQL statements, CPU ms of
this process, wall ms, and the plain evaluator's CPU ms on the same
worksheets; with the durability of the database, peak RSS and the load
average. ``--linearity 20,600`` is the big run (each size ``--runs`` times).

Usage::

    python bench/bench_national.py                              # 5 institutions, 5 runs, SQLite
    python bench/bench_national.py --linearity 20,600 --runs 5  # the big run
    python bench/bench_national.py --institutions 600 --db sqlite
    python bench/bench_national.py --institutions 600 --db postgres   # PMPRB_BENCH_POSTGRES_URL or :54329
    python bench/bench_national.py --institutions 60 --db postgresql+psycopg://postgres@host:5432/postgres

A PostgreSQL URL names the server; the benchmark drops and recreates its
own database on it (``--pg-database``, default ``pmprb_bench``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))   # bench/measure.py, also when loaded by a test

YEAR = 2024
DEADLINE = dt.date(YEAR, 5, 31)
MEETING = dt.date(YEAR, 4, 22)
DEFAULT_PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:54329/postgres"
TARGET_TOTAL_S = 600.0
TARGET_REPLAY_RATE = 20_000
TARGET_RSS_MB = 1024
STAGES = ("setup", "evidence", "import", "evaluation", "consensus", "finalisation", "ratl", "replay")
PIPELINE = STAGES  # every stage counts towards the whole pipeline
OPINI = ("WTP", "WTP", "WTP", "WTP-DPP", "WDP", "TMP")


# ---------------------------------------------------------------------------
# seeded data


@dataclass
class Institution:
    index: int
    code: str                       # I0001: the work unit; round I0001-2024
    name: str
    koordinator: str
    assessors: list[str]
    evidence: dict[str, int]        # criterion -> documents
    answers: list[dict[str, str]]   # per assessor: criterion -> answer
    hasil: dict[str, str]

    @property
    def round_code(self) -> str:
        return f"{self.code}-{YEAR}"


def institution_data(inst, index: int, seed: int, n_assessors: int, agreement: float) -> Institution:
    """One institution's seeded answers, evidence counts and Hasil figures
    (a string seed: the same data on every run, Python version and platform)."""
    rng = random.Random(f"pmprb-national:{seed}:{index}")
    code = f"I{index:04d}"
    maturity = rng.uniform(0.2, 0.9)   # institutions differ, so scores and grades spread
    evidence: dict[str, int] = {}
    answers: list[dict[str, str]] = [{} for _ in range(n_assessors)]
    for cid, c in inst.criteria.items():
        opts = [a for a, _text in c.options]          # best first
        last = len(opts) - 1
        true = min(last, max(0, round((1 - maturity) * last + rng.gauss(0, 0.7))))
        if true == last:
            evidence[cid] = rng.choice((0, 0, 1))
        else:
            evidence[cid] = 0 if rng.random() < 0.08 else rng.choice((1, 1, 2, 2, 3))
        for a in range(n_assessors):
            k = true
            if rng.random() >= agreement:
                k = true + rng.choice((-1, 1)) if 0 < true < last else (1 if true == 0 else last - 1)
            answers[a][cid] = opts[k]
    hasil = {"H.1.a": f"{rng.uniform(40, 85):.2f}", "H.1.b": f"{rng.uniform(2.5, 4.6):.2f}",
             "H.2.a": f"{rng.uniform(2.4, 3.8):.2f}", "H.2.b": rng.choice(OPINI),
             "H.3.a": f"{rng.uniform(2.4, 3.8):.2f}"}
    return Institution(index=index, code=code, name=f"Instansi {index:04d}", koordinator=f"{code.lower()}.kora",
                       assessors=[f"{code.lower()}.asesor{a + 1}" for a in range(n_assessors)],
                       evidence=evidence, answers=answers, hasil=hasil)


def documents(inst, data: Institution) -> list[dict]:
    """URL documents per area: document j supports every criterion of the area
    that needs more than j documents, so each criterion gets exactly its count."""
    out = []
    for area in inst.areas:
        code = area["code"]
        cids = [cid for cid, c in inst.criteria.items() if c.area == code]
        for j in range(max((data.evidence[c] for c in cids), default=0)):
            crit = [c for c in cids if data.evidence[c] > j]
            number = f"{code}/{j + 1:02d}/{YEAR}/{data.code}"
            out.append({"number": number, "criteria": crit,
                        "title": f"Bukti dukung {code} nomor {j + 1} {data.name}",
                        "url": f"https://jdih.{data.code.lower()}.go.id/bukti/{code.lower()}-{j + 1}.pdf",
                        "date": dt.date(YEAR - (j % 2), 1 + (j * 3) % 12, 10)})
    return out


def write_worksheets(inst, data: Institution, folder: Path) -> list[Path]:
    """One CSV per assessor in the format ``pmprb assess export`` writes."""
    from pmprb.presentation.sheet_format import write_csv

    refs: dict[str, list[str]] = {}
    for d in documents(inst, data):
        for cid in d["criteria"]:
            refs.setdefault(cid, []).append(d["number"])
    paths = []
    for who, answers in zip(data.assessors, data.answers):
        rows = [{"criterion": cid, "area": c.area, "subarea": c.subarea, "text": "", "options": "",
                 "answer": answers[cid], "note": f"Sintesis {who}: {cid} = {answers[cid]}, "
                                                 f"{len(refs.get(cid, []))} bukti dukung",
                 "evidence": "; ".join(refs.get(cid, [])), "version": None}
                for cid, c in inst.criteria.items()]
        path = folder / f"{data.code}-{who.split('.')[-1]}.csv"
        write_csv(path, rows, "id")
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------
# databases


def pg_conninfo(url: str, dbname: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if dbname:
        u = u.set(database=dbname)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def prepare_database(spec: str, folder: Path, pg_database: str) -> tuple[str, str, callable]:
    """(backend, SQLAlchemy URL, cleanup) for ``--db``: a fresh database every run."""
    from sqlalchemy.engine import make_url

    if spec == "sqlite":
        return "sqlite", f"sqlite:///{folder / 'national.db'}", lambda: None
    if spec in ("postgres", "postgresql"):
        spec = os.environ.get("PMPRB_BENCH_POSTGRES_URL") or os.environ.get("PMPRB_TEST_POSTGRES_URL") \
            or DEFAULT_PG_SERVER
    u = make_url(spec)
    if u.get_backend_name() == "sqlite":
        path = Path(u.database)
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return "sqlite", spec, lambda: None
    if u.get_backend_name() != "postgresql":
        raise SystemExit(f"--db: unsupported backend {u.get_backend_name()!r} (sqlite or postgresql)")
    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(pg_conninfo(spec), autocommit=True) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{pg_database}"')
    url = make_url(spec).set(database=pg_database)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return "postgresql", url.render_as_string(hide_password=False), \
        lambda: admin(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')


def set_sqlite_synchronous(db, mode: str | None) -> None:
    """``PRAGMA synchronous`` on every connection of a SQLite database (for a
    comparison with a PostgreSQL server at the same durability)."""
    if mode is None or db.backend != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def _sync(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA synchronous={mode}")
        cur.close()

    db.engine.dispose()   # connections opened before (migrations) reconnect with the setting


def durability(db) -> dict:
    """What a commit waits for: SQLite's synchronous mode, PostgreSQL's fsync and synchronous_commit."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            mode = conn.execute(text("PRAGMA synchronous")).scalar()
            journal = conn.execute(text("PRAGMA journal_mode")).scalar()
            return {"sqlite_synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(mode, mode),
                    "journal_mode": journal, "fsync_per_commit": mode >= 2}
        fsync = conn.execute(text("SHOW fsync")).scalar()
        sync_commit = conn.execute(text("SHOW synchronous_commit")).scalar()
        return {"pg_fsync": fsync, "pg_synchronous_commit": sync_commit,
                "fsync_per_commit": fsync == "on" and sync_commit != "off"}


def database_size(db) -> int | None:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            pages = conn.execute(text("PRAGMA page_count")).scalar()
            size = conn.execute(text("PRAGMA page_size")).scalar()
            return int(pages * size)
        if db.backend == "postgresql":
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar())
    return None


# ---------------------------------------------------------------------------
# measuring


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Clock:
    """Accumulates the wall time, CPU time and SQL statements spent inside a
    wrapped library function (to split the RATL generation out of the
    finalise transaction that runs it, and the rules engine out of the
    evaluation stage)."""

    def __init__(self, sent: list | None = None):
        self.seconds = self.cpu_seconds = 0.0
        self.calls = self.statements = 0
        self.sent = sent          # the statement counter

    def wrap(self, owner, name: str):
        original = getattr(owner, name)
        clock = self

        def timed(*args, **kwargs):
            t0, c0, n0 = time.perf_counter(), time.process_time(), clock.sent[0] if clock.sent else 0
            try:
                return original(*args, **kwargs)
            finally:
                clock.seconds += time.perf_counter() - t0
                clock.cpu_seconds += time.process_time() - c0
                clock.calls += 1
                if clock.sent:
                    clock.statements += clock.sent[0] - n0

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, original)


@dataclass
class Stage:
    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0        # this process only (not the PostgreSQL server)
    statements: int = 0             # SQL statements sent (an executemany counts once)
    items: int = 0
    unit: str = ""
    notes: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"seconds": round(self.seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
                "statements": self.statements, "items": self.items,
                "unit": self.unit, "rate": round(self.items / self.seconds, 1) if self.seconds else None,
                **self.notes}


# ---------------------------------------------------------------------------
# the stages


class Pipeline:
    def __init__(self, db, inst, datas: list[Institution], folder: Path, engine: str, progress: bool):
        self.db, self.inst, self.datas, self.folder, self.engine = db, inst, datas, folder, engine
        self.progress = progress
        self.ids: dict[str, dict] = {}   # institution code -> {"round": id, "unit": id}
        self.sent: list | None = None      # the SQL statement counter
        self.final_answers: dict[str, dict] = {}   # institution code -> the answers the meeting settled

    def _tick(self, stage: str, i: int) -> None:
        if self.progress and (i % 50 == 0 or i == len(self.datas)):
            print(f"  {stage}: {i}/{len(self.datas)}", file=sys.stderr, flush=True)

    def _round(self, s, data):
        from pmprb.assessments.store.models import AssessmentRound

        return s.get(AssessmentRound, self.ids[data.code]["round"])

    def _unit(self, s, data):
        from pmprb.assessments.store.models import WorkUnit

        return s.get(WorkUnit, self.ids[data.code]["unit"])

    def init(self) -> None:
        from pmprb.assessments.setup import people

        self.db.run(lambda s: people.init(s, institution_code="nasional", institution_name=(
            "Program PMPRB nasional (benchmark: satu ronde per instansi)"), admin_username="admin",
            admin_name="Admin Nasional"))

    def setup(self, stage: Stage) -> None:
        from pmprb.assessments.setup import assignments, people, rounds, units
        from pmprb.assessments import wiring
        from pmprb.assessments.setup.permissions import resolve_actor

        def one(s, data):
            admin = resolve_actor(s, "admin")
            unit = units.add_unit(s, admin, code=data.code, name=data.name)
            people.add_person(s, admin, username=data.koordinator, name=f"Koordinator {data.name}",
                              roles=["koordinator"])
            assessors = [people.add_person(s, admin, username=u, name=f"Asesor {k + 1} {data.name}",
                                           roles=["asesor"]) for k, u in enumerate(data.assessors)]
            kora = resolve_actor(s, data.koordinator)
            rnd = rounds.create_round(s, kora, year=YEAR, code=data.round_code, title=f"PMPRB {YEAR} {data.name}",
                                      deadline=DEADLINE)
            for person in assessors:
                assignments.assign(s, kora, rnd, person, [unit])
            wiring.open_round(s, kora, rnd)
            return {"round": rnd.id, "unit": unit.id}

        t0 = time.perf_counter()
        for i, data in enumerate(self.datas, 1):
            self.ids[data.code] = self.db.run(lambda s: one(s, data))
            self._tick("setup", i)
        stage.seconds = time.perf_counter() - t0
        stage.items, stage.unit = len(self.datas), "institutions"

    def evidence(self, stage: Stage) -> None:
        from pmprb.assessments.assess import evidence
        from pmprb.assessments.setup import round_work
        from pmprb.assessments.setup.permissions import resolve_actor

        store = evidence.EvidenceStore(self.db.evidence_dir)
        docs = links = 0

        def one(s, data, docs_):
            # The unit's evidence table entered at once (`pmprb evidence add` of several files does the same).
            actor = resolve_actor(s, data.assessors[0])
            rnd, unit = self._round(s, data), self._unit(s, data)
            evidence.add_many(round_work.begin(s, actor, rnd), store, unit, [evidence.NewDocument(
                criteria=d["criteria"], title=d["title"], number=d["number"], url=d["url"], document_date=d["date"])
                for d in docs_])

        t0 = time.perf_counter()
        for i, data in enumerate(self.datas, 1):
            docs_ = documents(self.inst, data)
            self.db.run(lambda s: one(s, data, docs_))
            docs += len(docs_)
            links += sum(len(d["criteria"]) for d in docs_)
            self._tick("evidence", i)
        stage.seconds = time.perf_counter() - t0
        stage.items, stage.unit = docs, "documents"
        stage.notes = {"links": links, "stored_as": "URL evidence rows (no files)"}

    def import_(self, stage: Stage) -> None:
        from pmprb.assessments.assess import sheet_import
        from pmprb.presentation import sheet_format
        from pmprb.assessments.setup.permissions import resolve_actor

        created = 0
        t0 = time.perf_counter()
        for i, data in enumerate(self.datas, 1):
            for who in data.assessors:
                path = self.folder / "worksheets" / f"{data.code}-{who.split('.')[-1]}.csv"
                sheet = sheet_format.read_sheet(path, self.inst)
                plan = self.db.run(lambda s: sheet_import.import_sheet(
                    s, resolve_actor(s, who), self._round(s, data), self._unit(s, data), sheet, "stop"))
                created += sum(1 for c in plan.changes if c.kind == "create")
            self._tick("import", i)
        stage.seconds = time.perf_counter() - t0
        stage.items, stage.unit = created, "answers"
        stage.notes = {"files": len(self.datas) * len(self.datas[0].assessors) if self.datas else 0}

    def evaluation(self, stage: Stage) -> None:
        from pmprb.assessments.assess import submission
        from pmprb.engine.evaluator import Evaluator
        from pmprb.assessments.setup.permissions import resolve_actor

        rules = Clock()
        restore = rules.wrap(Evaluator, "evaluate")
        flagged = 0
        t0 = time.perf_counter()
        try:
            for i, data in enumerate(self.datas, 1):
                for who in data.assessors:
                    check = self.db.run(lambda s: submission.submit(
                        s, resolve_actor(s, who), self._round(s, data), self._unit(s, data), engine=self.engine))
                    flagged += len(check.warnings)
                self._tick("evaluation", i)
        finally:
            restore()
        stage.seconds = time.perf_counter() - t0
        n_ws = len(self.datas) * (len(self.datas[0].assessors) if self.datas else 0)
        stage.items, stage.unit = n_ws * len(self.inst.criteria), "decision records"
        stage.notes = {"worksheets": n_ws, "evaluations": rules.calls,
                       "rules_engine_seconds": round(rules.seconds, 3),
                       "claimed_without_evidence": flagged}

    def consensus(self, stage: Stage) -> None:
        from collections import Counter

        from pmprb.assessments.coordinate import consensus, review
        from pmprb.assessments import wiring
        from pmprb.assessments.setup.permissions import resolve_actor

        inst = self.inst
        items = resolved = merged_confirmed = 0

        def pick(cid: str, answers: list[dict]) -> tuple[str, str]:
            # The meeting agrees on the majority answer; a three-way split takes the middle value.
            c = inst.criteria[cid]
            counts = Counter(a["answer"] for a in answers)
            answer, n = counts.most_common(1)[0]
            if n == 1:
                ranked = sorted((a["answer"] for a in answers), key=lambda x: c.values[x])
                answer = ranked[len(ranked) // 2]
                why = "tiga jawaban berbeda; disepakati nilai tengah setelah memeriksa bukti dukung"
            else:
                why = f"{n} dari {len(answers)} asesor; bukti dukung diperiksa bersama dalam rapat"
            return answer, f"Rapat konsensus: jawaban {answer} ({why})."

        t0 = time.perf_counter()
        for i, data in enumerate(self.datas, 1):
            participants = [data.koordinator, *data.assessors]
            as_kora = lambda fn: self.db.run(  # noqa: E731
                lambda s: fn(s, resolve_actor(s, data.koordinator), self._round(s, data)))
            as_kora(lambda s, a, r: wiring.start_review(s, a, r))
            with self.db.session() as s:
                view = review.review(s, resolve_actor(s, data.koordinator), self._round(s, data))
            for who in data.assessors:
                as_kora(lambda s, a, r: review.accept_worksheet(s, a, r, unit=data.code, assessor=who))
            as_kora(lambda s, a, r: wiring.start_consensus(s, a, r))
            with self.db.session() as s:
                open_items = [(it.criterion_id, json.loads(it.answers_json))
                              for it in consensus.list_items(s, self._round(s, data), state="open", inst=inst)]
            decided = [(cid, *pick(cid, answers)) for cid, answers in open_items]
            final = dict(data.answers[0])
            final.update({cid: answer for cid, answer, _why in decided})
            self.final_answers[data.code] = final

            def meeting(s, a, r):
                # The meeting's outcome entered at once: every disputed item resolved, then the
                # merged criteria confirmed (one transaction, as `pmprb consensus import` does).
                consensus.resolve_many(s, a, r, [consensus.Resolution(cid, answer, rationale)
                                                 for cid, answer, rationale in decided],
                                       participants=participants, meeting_date=MEETING)
                return consensus.record_meeting(
                    s, a, r, meeting_date=MEETING, participants=participants,
                    note="Rapat konsensus: kriteria yang jawabannya sama dibahas dan dikonfirmasi")

            m = as_kora(meeting)
            items += len(open_items)
            resolved += len(open_items)
            merged_confirmed += len(json.loads(m.criteria_json))
            assert view["summary"]["disputed"] == len(open_items), (data.code, view["summary"], len(open_items))
            self._tick("consensus", i)
        stage.seconds = time.perf_counter() - t0
        stage.items, stage.unit = resolved, "items resolved"
        stage.notes = {"consensus_items": items, "merged_confirmed_in_meeting": merged_confirmed,
                       "disputed_share": round(items / (len(self.datas) * len(inst.criteria)), 3) if self.datas else 0}

    def finalisation(self, stage: Stage, ratl_stage: Stage) -> None:
        from pmprb.assessments.coordinate import final_result, hasil, ratl
        from pmprb.assessments import wiring
        from pmprb.assessments.store.models import RatlItem
        from pmprb.assessments.setup.permissions import resolve_actor
        from sqlmodel import func, select

        clock = Clock(self.sent)
        restore = clock.wrap(ratl, "generate")
        grades: dict[str, int] = {}
        indeks = []
        t0 = time.perf_counter()
        try:
            for i, data in enumerate(self.datas, 1):
                def one(s):
                    kora = resolve_actor(s, data.koordinator)
                    rnd = self._round(s, data)
                    hasil.set_inputs(s, kora, rnd, dict(data.hasil), source="benchmark (seeded)")
                    wiring.finalise(s, kora, rnd)
                    fr = final_result.current(s, rnd)
                    return fr.indeks_rb, fr.grade

                value, grade = self.db.run(one)
                indeks.append(value)
                grades[grade] = grades.get(grade, 0) + 1
                self._tick("finalisation", i)
        finally:
            restore()
        total = time.perf_counter() - t0
        with self.db.session() as s:
            n_ratl = s.exec(select(func.count()).select_from(RatlItem)).one()
        stage.seconds = total - clock.seconds
        stage.items, stage.unit = len(self.datas) * len(self.inst.criteria), "final decision records"
        stage.notes = {"rounds_finalised": len(self.datas), "grades": dict(sorted(grades.items())),
                       "indeks_rb_min": round(min(indeks), 2) if indeks else None,
                       "indeks_rb_max": round(max(indeks), 2) if indeks else None,
                       "includes_ratl_seconds": False}
        ratl_stage.seconds, ratl_stage.cpu_seconds = clock.seconds, clock.cpu_seconds
        ratl_stage.statements = clock.statements
        ratl_stage.items, ratl_stage.unit = int(n_ratl), "RATL items"
        ratl_stage.notes = {"generations": clock.calls, "measured": "ratl.generate inside the finalise transaction"}

    def replay(self, stage: Stage) -> dict:
        from pmprb.assessments.audit import replay as store_replay

        total = matched = frozen_ok = frozen = 0
        mismatches: list[dict] = []
        kinds: dict[str, int] = {}
        t0 = time.perf_counter()
        for i, data in enumerate(self.datas, 1):
            with self.db.session() as s:
                rep = store_replay.replay_round(s, self._round(s, data), engine=self.engine)
            total += rep.total
            matched += rep.matched
            for k, n in rep.kinds.items():
                kinds[k] = kinds.get(k, 0) + n
            for sc in rep.scores or []:
                frozen += 1
                frozen_ok += bool(sc["ok"])
            if not rep.ok and len(mismatches) < 5:
                mismatches.append({"round": data.round_code, **{k: v for k, v in rep.to_dict().items()
                                                                  if k in ("problems", "mismatched", "scores")}})
            self._tick("replay", i)
        stage.seconds = time.perf_counter() - t0
        stage.items, stage.unit = total, "decisions"
        stage.notes = {"matched": matched, "kinds": kinds, "frozen_results": frozen, "frozen_results_ok": frozen_ok}
        return {"total": total, "matched": matched, "ok": matched == total and frozen_ok == frozen and not mismatches,
                "frozen_results": frozen, "frozen_results_ok": frozen_ok, "mismatches": mismatches}


# ---------------------------------------------------------------------------
# baselines (same worksheets, no database)


def plain_scorer(inst, datas: list[Institution], repeat: int = 3) -> tuple[float, int]:
    """Option values by dict lookup, then scoring.score's own aggregation, per
    assessor worksheet (best of ``repeat``: it is short, so noise matters)."""
    from pmprb.engine import scoring

    values_of = {cid: dict(c.values) for cid, c in inst.criteria.items()}
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = 0
        for data in datas:
            for answers in data.answers:
                values = {cid: values_of[cid][a] for cid, a in answers.items()}
                scoring.score(inst, values, {})
                n += len(values)
        secs = time.perf_counter() - t0
        best = secs if best is None else min(best, secs)
    return best, n


def engine_scorer(inst, datas: list[Institution], engine: str) -> tuple[float, int]:
    """The rules engine alone on the same worksheets: Evaluator.evaluate + scoring.score."""
    from pmprb.engine import scoring
    from pmprb.engine.evaluator import Evaluator

    ev = Evaluator(inst, engine)
    n = 0
    t0 = time.perf_counter()
    try:
        for data in datas:
            for answers in data.answers:
                evaluation = ev.evaluate(answers, data.evidence)
                scoring.score(inst, evaluation.values(), {})
                n += len(evaluation.decisions)
    finally:
        ev.close()
    return time.perf_counter() - t0, n


# ---------------------------------------------------------------------------
# machine


def plain_evaluator_cpu(inst, datas: list[Institution], final_answers: dict[str, dict]) -> dict:
    """CPU seconds of the plain evaluator (``Evaluator(inst, "plain").evaluate``, with
    the decision records' canonical encoding) on the worksheets the pipeline
    decides: the assessors' (evaluation stage) and each institution's final
    answers (finalisation stage); replay re-decides both."""
    from pmprb.canonical import canonical_json
    from pmprb.engine.evaluator import Evaluator

    def encode(evaluation):
        for d in evaluation.decisions.values():
            canonical_json(d.input), canonical_json(d.result.record()), canonical_json(d.trace)

    ev = Evaluator(inst, "plain")
    try:
        c0 = time.process_time()
        for data in datas:
            for answers in data.answers:
                encode(ev.evaluate(answers, data.evidence))
        assessor = time.process_time() - c0
        c0 = time.process_time()
        for data in datas:
            encode(ev.evaluate(final_answers.get(data.code, data.answers[0]), data.evidence))
        final = time.process_time() - c0
    finally:
        ev.close()
    return {"evaluation": assessor, "finalisation": final, "replay": assessor + final,
            "total": assessor + final}


def machine(load_at_start=None) -> dict:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": ram, "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in (load_at_start or os.getloadavg())]}


def server_version(db) -> str | None:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            return "SQLite " + conn.execute(text("select sqlite_version()")).scalar()
        return conn.execute(text("select version()")).scalar().split(" on ")[0]


# ---------------------------------------------------------------------------
# main


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--institutions", "-n", type=int, default=5, help="institutions (rounds) (default 5)")
    ap.add_argument("--runs", type=int, default=5, help="runs, each on a fresh database (>= 5; default 5)")
    ap.add_argument("--linearity", default=None, metavar="N,N,...",
                    help="the big run: --runs runs at each of these institution counts (e.g. 20,600), "
                         "per-institution figures compared")
    ap.add_argument("--sqlite-synchronous", choices=("OFF", "NORMAL", "FULL"), default=None,
                    help="PRAGMA synchronous for SQLite (default: the store's own, FULL in WAL mode); "
                         "OFF to compare with a PostgreSQL server running fsync=off")
    ap.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)   # tests: fewer runs allowed
    ap.add_argument("--assessors", type=int, default=3, help="assessors per institution (default 3)")
    ap.add_argument("--db", default="sqlite",
                    help="sqlite | postgres | a SQLAlchemy URL (PostgreSQL: the server; default sqlite)")
    ap.add_argument("--pg-database", default="pmprb_bench", help="database dropped and recreated on a PostgreSQL server")
    ap.add_argument("--engine", choices=("durable", "plain"), default=None,
                    help="rules engine (default: durable when importable, else plain)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--agreement", type=float, default=0.9,
                    help="probability that an assessor gives the institution's 'true' answer (default 0.9)")
    ap.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one, removed after)")
    ap.add_argument("--keep", action="store_true", help="keep the database and work folder")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    ap.add_argument("--no-baselines", action="store_true", help="skip the plain-Python and engine-only baselines")
    ap.add_argument("--progress", action="store_true", help="progress lines on stderr")
    ap.add_argument("--profile", type=Path, default=None, help="cProfile the pipeline into this file")
    ap.add_argument("--profile-stage", choices=STAGES, default=None, help="with --profile: only this stage")
    ap.add_argument("--summarise", nargs="+", type=Path, metavar="JSON", default=None,
                    help="print Markdown tables from earlier --out files instead of running")
    args = ap.parse_args(argv)
    if args.institutions < 1 or args.assessors < 2:
        ap.error("--institutions >= 1 and --assessors >= 2 (consensus needs two)")
    if args.runs < 5 and not args.smoke:
        ap.error("--runs must be at least 5: the figures are the median (min–max) of the runs")
    args.sizes = [int(x) for x in args.linearity.split(",")] if args.linearity else [args.institutions]
    return args


def run(args: argparse.Namespace) -> dict:
    from pmprb.engine.evaluator import DURABLE_VERSION, default_engine, durable_available
    from pmprb.engine.instrument import default_id, load_instrument

    engine = args.engine or ("durable" if durable_available() else "plain")
    started_at = dt.datetime.now(dt.timezone.utc)
    load_at_start = os.getloadavg()
    tmp = None
    folder = args.dir
    if folder is None:
        folder = Path(tmp := tempfile.mkdtemp(prefix="pmprb-national-"))
    folder.mkdir(parents=True, exist_ok=True)
    saved_env = {k: os.environ.get(k) for k in ("PMPRB_RULES_ENGINE", "PMPRB_EVIDENCE_DIR")}
    os.environ["PMPRB_RULES_ENGINE"] = engine   # the store's own Evaluator calls use it too
    os.environ["PMPRB_EVIDENCE_DIR"] = str(folder / "evidence")
    from pmprb.assessments.store.db import dispose_engines, open_db

    cleanup = None
    try:
        backend, url, cleanup = prepare_database(args.db, folder, args.pg_database)
        inst = load_instrument(default_id())
        assert default_engine() == engine
        t0 = time.perf_counter()
        datas = [institution_data(inst, i, args.seed, args.assessors, args.agreement)
                 for i in range(1, args.institutions + 1)]
        (folder / "worksheets").mkdir(exist_ok=True)
        for data in datas:
            write_worksheets(inst, data, folder / "worksheets")
        prepare_s = time.perf_counter() - t0

        db = open_db(url)   # a new database: migrated to head here (not timed as a stage)
        set_sqlite_synchronous(db, args.sqlite_synchronous)
        from sqlalchemy import event

        sent = [0]

        trace = os.environ.get("PMPRB_BENCH_SQL_TRACE")   # a file: every statement's first line, for diffs

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, *_args):
            sent[0] += 1
            if trace:
                with open(trace, "a") as fp:
                    fp.write(" ".join(statement.split())[:160] + "\n")

        pipe = Pipeline(db, inst, datas, folder, engine, args.progress)
        pipe.sent = sent
        pipe.init()
        stages = {name: Stage(name) for name in STAGES}
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        runners = {"setup": pipe.setup, "evidence": pipe.evidence, "import": pipe.import_,
                   "evaluation": pipe.evaluation, "consensus": pipe.consensus,
                   "finalisation": lambda st: pipe.finalisation(st, stages["ratl"]), "replay": pipe.replay}
        replay = None
        for name, runner in runners.items():
            if args.progress:
                print(f"stage {name} ...", file=sys.stderr, flush=True)
            if trace:
                with open(trace, "a") as fp:
                    fp.write(f"=== stage {name}\n")
            profiling = profiler is not None and args.profile_stage in (None, name)
            if profiling:
                profiler.enable()
            st = stages[name]
            cpu0, sent0 = time.process_time(), sent[0]
            out = runner(st)
            st.cpu_seconds += time.process_time() - cpu0
            st.statements += sent[0] - sent0
            if profiling:
                profiler.disable()
            if name == "replay":
                replay = out
            if name == "finalisation":  # the RATL generation ran inside: its own stage
                st.cpu_seconds -= stages["ratl"].cpu_seconds
                st.statements -= stages["ratl"].statements
        if profiler is not None:
            profiler.dump_stats(str(args.profile))
        rss_pipeline = peak_rss_mb()
        plain_cpu = plain_evaluator_cpu(inst, datas, pipe.final_answers)

        baselines = None
        if not args.no_baselines:
            plain_s, plain_n = plain_scorer(inst, datas)
            eng_s, eng_n = engine_scorer(inst, datas, engine)
            ev = stages["evaluation"]
            baselines = {
                "plain_python": {"seconds": round(plain_s, 4), "decisions": plain_n, "best_of": 3,
                                 "rate": round(plain_n / plain_s) if plain_s else None,
                                 "what": "option values by dict lookup + scoring.score aggregation; no gating, "
                                         "flags or trace; no database"},
                "rules_engine_only": {"seconds": round(eng_s, 3), "decisions": eng_n,
                                      "rate": round(eng_n / eng_s) if eng_s else None, "engine": engine,
                                      "what": "Evaluator.evaluate + scoring.score on the same worksheets; no database"},
                "ratio_evaluation_stage_to_plain": round(ev.seconds / plain_s, 1) if plain_s else None,
                "ratio_rules_engine_only_to_plain": round(eng_s / plain_s, 1) if plain_s else None,
            }
        total = sum(stages[n].seconds for n in PIPELINE)
        with db.session() as s:
            from sqlmodel import func, select

            from pmprb.assessments.store import models

            counts = {table: int(s.exec(select(func.count()).select_from(model)).one()) for table, model in (
                ("answer", models.Answer), ("decision_record", models.DecisionRecord),
                ("evidence", models.Evidence), ("evidence_link", models.EvidenceLink),
                ("audit_event", models.AuditEvent), ("consensus_item", models.ConsensusItem),
                ("final_result", models.FinalResult), ("ratl_item", models.RatlItem))}
        size = database_size(db)
        result = {
            "benchmark": "national-pipeline/1",
            "started_at": started_at.isoformat(timespec="seconds"),
            "institutions": args.institutions, "assessors": args.assessors, "criteria": len(inst.criteria),
            "assessor_answers": args.institutions * args.assessors * len(inst.criteria),
            "instrument": {"id": inst.id, "revision": inst.revision},
            "database": {"backend": backend, "server": server_version(db), "size_mb": round(size / 2**20, 1)
                         if size else None, "durability": durability(db)},
            "engine": engine, "durable_rules": DURABLE_VERSION if engine == "durable" else None,
            "seed": args.seed, "agreement": args.agreement,
            "prepare_seconds": round(prepare_s, 3),
            "stages": {n: stages[n].to_dict() for n in STAGES},
            "total_seconds": round(total, 3),
            "per_institution_seconds": round(total / args.institutions, 4),
            "replay": replay,
            "baselines": baselines,
            "rows": counts,
            "peak_rss_mb": round(peak_rss_mb(), 1), "peak_rss_mb_pipeline": round(rss_pipeline, 1),
            "plain_evaluator_cpu_seconds": plain_cpu,
            "machine": dict(machine(load_at_start), load_average_at_end=[round(x, 2) for x in os.getloadavg()]),
            "modelled": {
                "institution": "one round per institution in one database (the store keeps one institution "
                               "row per database); each has its own work unit, koordinator and asesor",
                "evidence": "URL evidence rows through evidence.add_evidence (documents, revisions, links, "
                            "audit events); no files stored",
            },
        }
        result["targets"] = {
            "total_under_10_min": total < TARGET_TOTAL_S,
            "replay_at_least_20k_per_s": (stages["replay"].items / stages["replay"].seconds
                                          if stages["replay"].seconds else 0) >= TARGET_REPLAY_RATE,
            "peak_rss_under_1_gb": result["peak_rss_mb"] < TARGET_RSS_MB,
        }
        dispose_engines()
        return result
    finally:
        dispose_engines()
        for k, v in saved_env.items():   # a caller (the smoke test) keeps its own environment
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if not args.keep:
            if cleanup is not None:
                cleanup()
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)


def report(r: dict) -> str:
    lines = [f"national pipeline: {r['institutions']} institutions x {r['criteria']} criteria x {r['assessors']} "
             f"assessors = {r['assessor_answers']:,} assessor answers",
             f"database: {r['database']['server']} ({r['database']['size_mb']} MB), engine: {r['engine']}"
             f"{' ' + r['durable_rules'] if r['durable_rules'] else ''}, seed {r['seed']}",
             f"{'stage':<13} {'seconds':>9} {'cpu s':>8} {'SQL stmts':>10} {'items':>10}  {'unit':<24} "
             f"{'per second':>11}"]
    for name, st in r["stages"].items():
        rate = f"{st['rate']:,.0f}" if st["rate"] else "-"
        lines.append(f"{name:<13} {st['seconds']:>9.2f} {st['cpu_seconds']:>8.2f} {st['statements']:>10,} "
                     f"{st['items']:>10,}  "
                     f"{st['unit']:<24} {rate:>11}")
    lines.append(f"{'total':<13} {r['total_seconds']:>9.2f}  ({r['per_institution_seconds'] * 1000:.0f} ms per "
                 f"institution; data preparation {r['prepare_seconds']:.1f} s not counted)")
    ev = r["stages"]["evaluation"]
    lines.append(f"evaluation: rules engine {ev['rules_engine_seconds']:.2f} s of {ev['seconds']:.2f} s "
                 f"({ev['evaluations']} evaluations), {ev['claimed_without_evidence']} claimed-without-evidence flags")
    b = r["baselines"]
    if b:
        lines.append(f"plain-Python scorer: {b['plain_python']['seconds']:.3f} s "
                     f"({b['plain_python']['rate']:,} decisions/s); rules engine alone: "
                     f"{b['rules_engine_only']['seconds']:.2f} s ({b['rules_engine_only']['rate']:,} decisions/s)")
        lines.append(f"ratio evaluation stage / plain scorer: {b['ratio_evaluation_stage_to_plain']}x; "
                     f"rules engine alone / plain scorer: {b['ratio_rules_engine_only_to_plain']}x")
    rp = r["replay"]
    lines.append(f"replay: {rp['matched']:,}/{rp['total']:,} matched, frozen results recomputed "
                 f"{rp['frozen_results_ok']}/{rp['frozen_results']}: {'OK' if rp['ok'] else 'MISMATCH'}")
    lines.append(f"peak RSS {r['peak_rss_mb']:.0f} MB; rows: " + ", ".join(f"{k} {v:,}" for k, v in r["rows"].items()))
    t = r["targets"]
    lines.append("targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in t.items()))
    m = r["machine"]
    lines.append(f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['ram_gib']} GiB RAM, Python {m['python']}; "
                 f"load average {m['load_average_at_start'][0]} at start, {m['load_average_at_end'][0]} at end")
    return "\n".join(lines)


def summarise(paths: list[Path]) -> str:
    """Markdown tables (per stage, and totals) from --out files, ordered by database then N."""
    loaded = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    if any(r.get("benchmark") == "national-pipeline/2" for r in loaded):   # medians of several runs
        return "\n\n".join(report_aggregate(agg, r["database"]) for r in loaded
                            for agg in r.get("by_institutions", {}).values())
    runs = sorted(loaded, key=lambda r: (r["database"]["backend"] != "sqlite", r["institutions"]))
    head = [f"{r['database']['backend']} N={r['institutions']}" for r in runs]
    out = ["| stage | " + " | ".join(head) + " |", "| --- |" + " ---: |" * len(runs)]
    for name in STAGES:
        cells = []
        for r in runs:
            st = r["stages"][name]
            cells.append(f"{st['seconds']:.1f} s · {st['rate']:,.0f} {st['unit']}/s" if st["rate"] else "-")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    rows = [
        ("**whole pipeline**", lambda r: f"**{r['total_seconds']:.1f} s** ({r['total_seconds'] / 60:.1f} min)"),
        ("per institution", lambda r: f"{r['per_institution_seconds'] * 1000:.0f} ms"),
        ("CPU of this process", lambda r: f"{sum(st['cpu_seconds'] for st in r['stages'].values()):.1f} s"),
        ("SQL statements", lambda r: f"{sum(st['statements'] for st in r['stages'].values()):,}"),
        ("replay", lambda r: f"{r['replay']['matched']:,}/{r['replay']['total']:,} matched, "
                             f"{r['replay']['frozen_results_ok']}/{r['replay']['frozen_results']} frozen results"),
        ("rules engine inside evaluation", lambda r: f"{r['stages']['evaluation']['rules_engine_seconds']:.1f} s"),
        ("plain-Python scorer (best of 3)", lambda r: f"{r['baselines']['plain_python']['seconds']:.3f} s"
         if r.get("baselines") else "-"),
        ("rules engine alone", lambda r: f"{r['baselines']['rules_engine_only']['seconds']:.2f} s"
         if r.get("baselines") else "-"),
        ("evaluation stage / plain scorer", lambda r: f"{r['baselines']['ratio_evaluation_stage_to_plain']:,}x"
         if r.get("baselines") else "-"),
        ("rules engine alone / plain scorer", lambda r: f"{r['baselines']['ratio_rules_engine_only_to_plain']}x"
         if r.get("baselines") else "-"),
        ("peak RSS", lambda r: f"{r['peak_rss_mb']:.0f} MB"),
        ("database size", lambda r: f"{r['database']['size_mb']:.0f} MB"),
        ("load average (start / end)", lambda r: f"{r['machine']['load_average_at_start'][0]:.2f} / "
                                                 f"{r['machine']['load_average_at_end'][0]:.2f}"),
        ("started (UTC)", lambda r: r["started_at"][:16].replace("T", " ")),
    ]
    for label, fmt in rows:
        out.append(f"| {label} | " + " | ".join(fmt(r) for r in runs) + " |")
    return "\n".join(out)


PER_INSTITUTION_STAGES = ("setup", "evidence", "import", "evaluation", "consensus", "finalisation", "ratl",
                          "replay")


def aggregate(runs: list[dict]) -> dict:
    """Per stage and in total over the runs: statements, CPU ms and wall ms per
    institution, and the plain evaluator's CPU ms per institution on the same
    worksheets, each as median (min–max)."""
    import measure

    n = runs[0]["institutions"]
    stages = {}
    for name in PER_INSTITUTION_STAGES:
        plain = [r["plain_evaluator_cpu_seconds"].get(name) for r in runs]
        stages[name] = {
            "statements_per_institution": measure.spread((r["stages"][name]["statements"] / n for r in runs), 1),
            "cpu_ms_per_institution": measure.spread((r["stages"][name]["cpu_seconds"] * 1000 / n for r in runs), 1),
            "wall_ms_per_institution": measure.spread((r["stages"][name]["seconds"] * 1000 / n for r in runs), 1),
            "plain_cpu_ms_per_institution": (measure.spread((p * 1000 / n for p in plain), 2)
                                             if all(p is not None for p in plain) else None),
        }
    def tot(r, key):
        return sum(st[key] for st in r["stages"].values())

    total = {
        "statements_per_institution": measure.spread((tot(r, "statements") / n for r in runs), 1),
        "cpu_ms_per_institution": measure.spread((tot(r, "cpu_seconds") * 1000 / n for r in runs), 1),
        "wall_ms_per_institution": measure.spread((tot(r, "seconds") * 1000 / n for r in runs), 1),
        "plain_cpu_ms_per_institution": measure.spread((r["plain_evaluator_cpu_seconds"]["total"] * 1000 / n
                                                        for r in runs), 2),
        "cpu_to_plain_ratio": measure.spread((tot(r, "cpu_seconds") / r["plain_evaluator_cpu_seconds"]["total"]
                                              for r in runs), 1),
    }
    return {"institutions": n, "runs": len(runs), "stages": stages, "total": total,
            "peak_rss_mb": measure.spread((r["peak_rss_mb"] for r in runs), 1),
            "replay_ok": all(r["replay"]["ok"] for r in runs),
            "load_average_start": runs[0]["machine"]["load_average_at_start"],
            "load_average_end": runs[-1]["machine"]["load_average_at_end"]}


TARGET_STATEMENTS = 300
TARGET_CPU_MS = 150
TARGET_CPU_RATIO = 15
TARGET_PEAK_RSS_MB = 200


def report_aggregate(agg: dict, database: dict) -> str:
    import measure

    lines = [f"{agg['institutions']} institutions, {agg['runs']} runs, {database['server']} "
             f"{database['durability']}; median (min–max) per institution",
             f"{'stage':<13} {'statements':>22} {'CPU ms':>24} {'wall ms':>24} {'plain evaluator CPU ms':>24}"]
    for name, st in list(agg["stages"].items()) + [("total", agg["total"])]:
        plain = st["plain_cpu_ms_per_institution"]
        lines.append(f"{name:<13} {measure.fmt(st['statements_per_institution']):>22} "
                     f"{measure.fmt(st['cpu_ms_per_institution'], digits=1):>24} "
                     f"{measure.fmt(st['wall_ms_per_institution'], digits=1):>24} "
                     f"{measure.fmt(plain, digits=2) if plain else '-':>24}")
    t = agg["total"]
    lines.append(f"CPU / plain evaluator: {measure.fmt(t['cpu_to_plain_ratio'], digits=1)}x; peak RSS "
                 f"{measure.fmt(agg['peak_rss_mb'], digits=0)} MB; load average {agg['load_average_start']} at start, "
                 f"{agg['load_average_end']} at end; replay {'OK' if agg['replay_ok'] else 'MISMATCH'}")
    lines.append(f"targets: statements <= {TARGET_STATEMENTS}: "
                 f"{'met' if t['statements_per_institution']['median'] <= TARGET_STATEMENTS else 'NOT met'}; "
                 f"CPU <= {TARGET_CPU_MS} ms: {'met' if t['cpu_ms_per_institution']['median'] <= TARGET_CPU_MS else 'NOT met'}; "
                 f"CPU <= {TARGET_CPU_RATIO}x plain: "
                 f"{'met' if t['cpu_to_plain_ratio']['median'] <= TARGET_CPU_RATIO else 'NOT met'}; "
                 f"peak RSS < {TARGET_PEAK_RSS_MB} MB: "
                 f"{'met' if agg['peak_rss_mb']['max'] < TARGET_PEAK_RSS_MB else 'NOT met'}")
    return "\n".join(lines)


def main(argv=None) -> int:
    """Exit 0 when every stored decision replayed identically in every run, 1
    otherwise (targets missed are reported, not turned into a failure)."""
    import copy

    args = parse_args(argv)
    if args.summarise:
        print(summarise(args.summarise))
        return 0
    import measure

    load_start = measure.load()
    by_size = {}
    last = None
    for n in args.sizes:
        runs = []
        for k in range(args.runs):
            a = copy.copy(args)
            a.institutions = n
            if args.dir is not None:
                a.dir = args.dir / f"n{n}-run{k + 1}"
            last = run(a)
            runs.append(last)
            if args.progress:
                print(report(last), file=sys.stderr)
        by_size[n] = {"aggregate": aggregate(runs), "runs": runs}
    sizes = list(by_size)
    out = {
        "benchmark": "national-pipeline/2", "institutions": sizes[0] if len(sizes) == 1 else sizes,
        "runs": args.runs, "smoke": bool(args.smoke), "criteria": last["criteria"], "assessors": args.assessors,
        "database": last["database"], "engine": last["engine"], "machine": last["machine"],
        "load_average_start": load_start, "load_average_end": measure.load(),
        **by_size[sizes[0]]["aggregate"],
        "by_institutions": {str(n): v["aggregate"] for n, v in by_size.items()},
        # the last run's own figures (rows, replay, notes), as the smoke test reads them
        "last_run": {k: last[k] for k in ("stages", "replay", "rows", "baselines", "started_at")},
        "replay": dict(last["replay"], ok=all(r["replay"]["ok"] for v in by_size.values() for r in v["runs"])),
        "rows": last["rows"],
        "every_run": {str(n): v["runs"] for n, v in by_size.items()},
    }
    if len(sizes) > 1:
        small, big = str(sizes[0]), str(sizes[-1])
        bi = out["by_institutions"]
        out["linearity"] = {
            "cpu_ms_per_institution_ratio": round(bi[big]["total"]["cpu_ms_per_institution"]["median"]
                                                  / bi[small]["total"]["cpu_ms_per_institution"]["median"], 3),
            "statements_per_institution_ratio": round(bi[big]["total"]["statements_per_institution"]["median"]
                                                      / bi[small]["total"]["statements_per_institution"]["median"], 3),
            "from": sizes[0], "to": sizes[-1]}
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"national pipeline, {out['database']['backend']}, engine {out['engine']}, machine: nproc "
          f"{out['machine']['nproc']}, Python {out['machine']['python']}; load average {load_start} at start, "
          f"{out['load_average_end']} at end")
    for n, v in by_size.items():
        print(report_aggregate(v["aggregate"], last["database"]))
    if "linearity" in out:
        lin = out["linearity"]
        print(f"linearity {lin['from']} -> {lin['to']} institutions: CPU per institution x"
              f"{lin['cpu_ms_per_institution_ratio']}, statements per institution x"
              f"{lin['statements_per_institution_ratio']}")
    return 0 if out["replay"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
