"""A finalised round built through the library, for the auditor tests
(imported by name; pytest puts this folder on sys.path).

Kota Audit: koordinator kora, asesor ani/budi/citra on unit DINKES (areas
MP and PPU), auditor audi. The assessors answer alike except on MP.2.b and
PPU.1.a, which become consensus items that kora resolves in a meeting;
MP.1.a = C gates MP.1.b and MP.1.c to 0. Two evidence files back MP.1.b and
MP.2.b. Finalising freezes the result and generates the RATL (the
coordinator's finalise hook).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from pmprb.assessments import wiring
from pmprb.assessments.assess import answers
from pmprb.assessments.setup import assignments
from pmprb.assessments.coordinate import consensus
from pmprb.assessments.assess import evidence
from pmprb.assessments.coordinate import hasil
from pmprb.assessments.setup import people, rounds, units, round_work
from pmprb.assessments.assess import worksheets
from pmprb.assessments.assess.answers import AnswerInput
from pmprb.assessments.store.db import Database
from pmprb.assessments.assess.evidence import EvidenceStore
from pmprb.assessments.setup.permissions import resolve_actor

AREAS = ["MP", "PPU"]
TODAY = date(2024, 6, 1)
ROUND = "2024"

# Each assessor's answers where they differ from BASE; the coordinator's pick settles them.
DISAGREE = {"budi": {"MP.2.b": "A", "PPU.1.a": "C"}, "citra": {"MP.2.b": "C"}}
RESOLVED = {"MP.2.b": "A", "PPU.1.a": "B"}
RATIONALE = {"MP.2.b": "Road Map RB 2020-2024 ditetapkan dengan Perwal dan dipantau tiap semester",
             "PPU.1.a": "Ada identifikasi peraturan tetapi belum mencakup seluruh unit"}
MEETING = date(2024, 4, 22)
PARTICIPANTS = ["kora", "ani", "budi", "citra"]
HASIL = {"H.1.a": "70.05", "H.1.b": "3.8", "H.2.a": "3.31", "H.2.b": "WTP", "H.3.a": "3.117"}


def base_answers(inst, areas=AREAS) -> dict:
    """A realistic worksheet: the second-best option on every criterion of
    ``areas`` (Ya for yes/no items), MP.1.a = C (no Tim RB, which gates MP.1.b
    and MP.1.c)."""
    out = {}
    for cid, c in inst.criteria.items():
        if c.area in areas and c.is_choice:
            opts = list(c.values)
            out[cid] = opts[0] if len(opts) == 2 else opts[1]
    out["MP.1.a"] = "C"
    return out


@dataclass
class AuditWorld:
    db: Database
    tmp: Path
    notes: dict = field(default_factory=dict)

    def actor(self, username):
        with self.db.session() as s:
            return resolve_actor(s, username)

    def run(self, fn):
        return self.db.run(fn)

    def rnd(self, s):
        return rounds.get_round(s, ROUND)

    def cli(self, *args, lang=None):
        from pmprb.cli import main

        pre = ["--db", self.db.url] + (["--lang", lang] if lang else [])
        return CliRunner().invoke(main, pre + list(args), catch_exceptions=False)

    def sql(self, statement, **params):
        with self.db.engine.begin() as conn:
            conn.execute(text(statement), params)

    def scalar(self, statement, **params):
        with self.db.engine.connect() as conn:
            return conn.execute(text(statement), params).scalar()


def build(db: Database, tmp: Path, *, assessors=("ani", "budi", "citra"), finalise: bool = True) -> AuditWorld:
    w = AuditWorld(db, tmp)

    def setup(s):
        people.init(s, institution_code="kota-audit", institution_name="Pemerintah Kota Audit",
                    admin_username="admin", admin_name="Admin")
        admin = resolve_actor(s, "admin")
        people.add_person(s, admin, username="kora", name="Kora Koordinator", roles=["koordinator"])
        people.add_person(s, admin, username="audi", name="Audi Auditor", roles=["auditor"])
        for a in assessors:
            people.add_person(s, admin, username=a, name=f"{a.title()} Asesor", roles=["asesor"])
        units.add_unit(s, admin, code="DINKES", name="Dinas Kesehatan")
        kora = resolve_actor(s, "kora")
        rnd = rounds.create_round(s, kora, year=2024, instrument="pmprb-2014", deadline=date(2024, 5, 31))
        for a in assessors:
            assignments.assign(s, kora, rnd, people.get_person(s, a), [units.get_unit(s, "DINKES")], AREAS)
        wiring.open_round(s, kora, rnd)

    db.run(setup)
    ani = w.actor(assessors[0])
    for name, title, number, criteria in (("sk-tim-rb.pdf", "SK Tim Reformasi Birokrasi", "800/12/2024", ["MP.1.b"]),
                                          ("roadmap.pdf", "Road Map RB 2020-2024", "050/7/2020", ["MP.2.b"])):
        path = tmp / name
        path.write_bytes(f"%PDF-1.4 {title}\n".encode())
        store = EvidenceStore(db.evidence_dir)
        w.run(lambda s: evidence.add_evidence(s, store, ani, w.rnd(s), units.get_unit(s, "DINKES"), criteria=criteria,
                                              title=title, number=number, document_date=date(2024, 1, 15),
                                              file=path, today=TODAY))
    with db.session() as s:
        inst = round_work.instrument_for(w.rnd(s))
    for a in assessors:
        mine = dict(base_answers(inst), **DISAGREE.get(a, {}))
        note = {"MP.1.a": f"{a}: belum ada SK Tim RB", "MP.2.b": f"{a}: Road Map ada, belum lengkap"}
        actor = w.actor(a)
        items = [AnswerInput(cid, ans, note.get(cid)) for cid, ans in mine.items()]
        w.run(lambda s: answers.save_answers(s, actor, w.rnd(s), units.get_unit(s, "DINKES"), items))
        w.run(lambda s: worksheets.submit(s, actor, w.rnd(s), _ws(s, w, a)))
    kora = w.actor("kora")
    for a in assessors:
        w.run(lambda s: worksheets.accept(s, kora, w.rnd(s), _ws(s, w, a)))
    w.run(lambda s: wiring.start_review(s, kora, w.rnd(s)))
    w.run(lambda s: wiring.start_consensus(s, kora, w.rnd(s)))
    if finalise:
        finalise_round(w)
    return w


def _ws(s, w, username):
    return worksheets.get_worksheet(s, w.rnd(s), units.get_unit(s, "DINKES"), people.get_person(s, username))


def finalise_round(w: AuditWorld) -> None:
    """Resolve the consensus items, enter the Hasil figures and finalise."""
    kora = w.actor("kora")
    for cid, answer in RESOLVED.items():
        w.run(lambda s: consensus.resolve(s, kora, w.rnd(s), cid, final_answer=answer, rationale=RATIONALE[cid],
                                          participants=PARTICIPANTS, meeting_date=MEETING, today=TODAY))
    w.run(lambda s: hasil.set_inputs(s, kora, w.rnd(s), dict(HASIL)))
    w.run(lambda s: wiring.finalise(s, kora, w.rnd(s)))


def decision_row(w: AuditWorld, criterion: str, kind: str = "final", assessor: str | None = None) -> dict:
    q = ("SELECT d.decision_id, d.result_json, d.input_json, d.trace_json FROM decision_record d "
         "LEFT JOIN person p ON p.id = d.assessor_id WHERE d.criterion_id = :c AND d.kind = :k")
    params = {"c": criterion, "k": kind}
    if assessor:
        q += " AND p.username = :a"
        params["a"] = assessor
    with w.db.engine.connect() as conn:
        row = conn.execute(text(q + " ORDER BY d.id DESC"), params).mappings().first()
    return dict(row)


def json_out(res) -> object:
    return json.loads(res.stdout)
