"""pmprb evidence: add and list bukti dukung."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.assess import evidence
from pmprb.assessments.setup import rounds, units
from pmprb.assessments.assess.evidence import EvidenceStore, check_readable
from pmprb.errors import ValidationError
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import DATE, check_unit_reader, database, read, table
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.assessments.setup.round_work import begin
from pmprb.commands._common import get_ctx

i18n.register({
    "evcmd.added": {"id": "{doc}: revisi {revision} ({status}), kriteria {criteria}",
                    "en": "{doc}: revision {revision} ({status}), criteria {criteria}"},
    "evcmd.new_rev": {"id": "revisi baru", "en": "new revision"},
    "evcmd.same": {"id": "tidak berubah", "en": "unchanged"},
    "evcmd.dedup": {"id": "berkas sudah tersimpan", "en": "file already stored"},
    "evcmd.none": {"id": "Belum ada bukti", "en": "No evidence yet"},
})


def register(main: click.Group) -> None:
    @main.group("evidence")
    def evidence_group():
        """Evidence (bukti dukung) supporting criteria."""

    @evidence_group.command("add")
    @click.argument("files", nargs=-1, type=click.Path(dir_okay=True))
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--unit", "unit_code", required=True, help="Unit code.")
    @click.option("--criterion", "criteria", multiple=True, required=True, help="Criterion id; repeat for several.")
    @click.option("--title", required=True, help="Document title.")
    @click.option("--date", "document_date", type=DATE, required=True, help="Document date, DD-MM-YYYY or YYYY-MM-DD.")
    @click.option("--number", default=None, help="Document number (e.g. a decree number); one file only.")
    @click.option("--url", default=None, help="Record a link instead of a file.")
    @json_option
    def add_cmd(files, round_ref, unit_code, criteria, title, document_date, number, url, as_json):
        """Add files (or a --url) as evidence for criteria of a unit.

        Files are stored once by SHA-256 beside the database; the same file
        added again is not stored twice, and a changed file under the same
        number (or file name) becomes a new revision. All files are added in
        one transaction."""
        if bool(files) == bool(url):
            raise ValidationError(i18n.t("ev.file_or_url"))
        if number and len(files) > 1:
            raise ValidationError(i18n.t("ev.number_many"))
        for f in files:  # every file checked before anything is written
            check_readable(f)
        db = database()
        store = EvidenceStore(db.evidence_dir)
        username = get_ctx().actor

        def op(s):
            actor = resolve_actor(s, username)
            rnd = rounds.get_round(s, round_ref)
            unit = units.get_unit(s, unit_code)
            common = dict(criteria=list(criteria), title=title, document_date=document_date, number=number)
            docs = [evidence.NewDocument(url=url, **common)] if url else \
                [evidence.NewDocument(file=f, **common) for f in files]
            return evidence.add_many(begin(s, actor, rnd), store, unit, docs)

        results = db.run(op)
        out = []
        for r in results:
            status = i18n.t("evcmd.new_rev") if r.new_revision else i18n.t("evcmd.same")
            if r.new_revision and not r.stored_new_file and r.revision.storage_path:
                status += "; " + i18n.t("evcmd.dedup")
            out.append({"evidence_id": r.evidence.id, "key": r.evidence.key, "revision": r.revision.revision,
                        "new_revision": r.new_revision, "stored_new_file": r.stored_new_file,
                        "sha256": r.revision.sha256, "linked": r.linked})
            info(i18n.t("evcmd.added", doc=r.evidence.key, revision=r.revision.revision, status=status,
                        criteria=", ".join(criteria)))
        if as_json:
            echo_json(out)

    @evidence_group.command("list")
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--unit", "unit_code", default=None, help="Only this unit.")
    @click.option("--criterion", default=None, help="Only evidence supporting this criterion.")
    @json_option
    def list_cmd(round_ref, unit_code, criterion, as_json):
        """List documents and the criteria they support (latest revision each)."""
        def op(s):
            rnd = rounds.get_round(s, round_ref)
            unit = units.get_unit(s, unit_code) if unit_code else None
            if unit is not None:
                check_unit_reader(s, rnd, unit)
            return evidence.list_evidence(s, rnd, unit=unit, criterion=criterion)

        rows = read(op)
        if as_json:
            echo_json(rows)
            return
        if not rows:
            info(i18n.t("evcmd.none"))
            return
        click.echo(table([[r["unit"], ", ".join(r["criteria"]), r["number"] or "", r["title"], r["document_date"],
                           r["revision"], (r["sha256"] or "")[:12] if not r["url"] else r["url"]] for r in rows],
                         ["unit", "criteria", "number", "title", "date", "rev", "sha256/url"]))
