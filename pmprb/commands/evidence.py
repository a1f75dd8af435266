"""pmprb evidence: add, import, unlink, list and parse bukti dukung."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.assessments.assess import evidence
from pmprb.assessments.setup import rounds, units
from pmprb.assessments.assess.evidence import EvidenceStore, check_readable
from pmprb.errors import ValidationError
from pmprb.commands._common import echo_json, info, json_option
from pmprb.commands._store import DATE, database, read, table, unit_read_scope
from pmprb.assessments.setup.permissions import resolve_actor
from pmprb.assessments.setup.round_work import begin
from pmprb.commands._common import get_ctx


def _unit_work(s, username, round_ref, unit_code):
    """The unit of work of one evidence command on one unit (round locked, instrument loaded)."""
    actor = resolve_actor(s, username)
    rnd = rounds.get_round(s, round_ref)
    return begin(s, actor, rnd), units.get_unit(s, unit_code)

def _show_result(r, criteria: list[str]) -> dict:
    """Print one added document (what was understood, warnings); return its JSON form."""
    status = i18n.t("evcmd.new_rev") if r.new_revision else i18n.t("evcmd.same")
    if r.new_revision and not r.stored_new_file and r.revision.storage_path:
        status += "; " + i18n.t("evcmd.dedup")
    info(i18n.t("evcmd.added", doc=r.evidence.key, revision=r.revision.revision, status=status,
                criteria=", ".join(criteria)))
    for d in r.understood:
        info(i18n.t("evcmd.understood", what=evidence.describe_document(d)))
    for w in r.warnings:
        info(i18n.t("evcmd.warning", text=w))
    return {"evidence_id": r.evidence.id, "key": r.evidence.key, "revision": r.revision.revision,
            "new_revision": r.new_revision, "stored_new_file": r.stored_new_file,
            "sha256": r.revision.sha256, "linked": r.linked, "understood": r.understood, "warnings": r.warnings}


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
        one transaction. The title, number and date are read as a citation
        and what was understood is shown; an empty file, the same content
        under a new document and a date outside the round's evaluation
        period are warned about, not refused."""
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
            work, unit = _unit_work(s, username, round_ref, unit_code)
            common = dict(criteria=list(criteria), title=title, document_date=document_date, number=number)
            docs = [evidence.NewDocument(url=url, **common)] if url else \
                [evidence.NewDocument(file=f, **common) for f in files]
            return evidence.add_many(work, store, unit, docs)

        results = db.run(op)
        out = [_show_result(r, list(criteria)) for r in results]
        if as_json:
            echo_json(out)

    @evidence_group.command("import")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--unit", "unit_code", required=True, help="Unit code.")
    @json_option
    def import_cmd(file, round_ref, unit_code, as_json):
        """Import an evidence table: CSV with columns criterion,evidence (or kriteria,bukti).

        One citation per row ("Keputusan Wali Kota Nomor 061/17/2015 tentang
        ..."); each is read as the documents it cites and linked to the row's
        criterion, as a document without a file. All or nothing: every row
        that cannot be read is named (file:line, what was expected) and
        nothing is written; otherwise one transaction and one audit event."""
        from pmprb.assessments.assess.evidence_table import import_table

        db = database()
        store = EvidenceStore(db.evidence_dir)
        username = get_ctx().actor

        def op(s):
            work, unit = _unit_work(s, username, round_ref, unit_code)
            return import_table(work, store, unit, file)

        done = db.run(op)
        out = []
        for d in done.documents:
            r = d.result
            status = i18n.t("evcmd.new_rev") if r.new_revision else i18n.t("evcmd.same")
            info(i18n.t("evcmd.imported_doc", lines=", ".join(map(str, d.lines)), s="s" if len(d.lines) > 1 else "",
                        doc=r.evidence.key if len(r.evidence.key) <= 60 else r.evidence.key[:57] + "…",
                        criteria=", ".join(r.linked) or i18n.t("evcmd.nothing"), status=status))
            for doc in r.understood:
                info(i18n.t("evcmd.understood", what=evidence.describe_document(doc)))
            for w in r.warnings:
                info(i18n.t("evcmd.warning", text=w))
            out.append({"lines": d.lines, "evidence_id": r.evidence.id, "key": r.evidence.key,
                        "new_revision": r.new_revision, "linked": r.linked, "understood": r.understood,
                        "warnings": r.warnings})
        info(i18n.t("evcmd.imported", file=file, rows=done.rows, docs=len(done.documents),
                    new=sum(d.result.new_revision for d in done.documents), links=done.links))
        if as_json:
            echo_json({"rows": done.rows, "documents": out, "links": done.links})

    @evidence_group.command("unlink")
    @click.argument("document", metavar="DOCUMENT")
    @click.option("--round", "round_ref", required=True, help="Round code (or id).")
    @click.option("--unit", "unit_code", required=True, help="Unit code.")
    @click.option("--criterion", "criteria", multiple=True, required=True,
                  help="Criterion to unlink it from; repeat for several.")
    @json_option
    def unlink_cmd(document, round_ref, unit_code, criteria, as_json):
        """Remove a document's link to criteria (DOCUMENT: its number or key, or #id).

        The document and its revisions stay; the removal is recorded in the
        audit log. Refused on a final round and when a submitted worksheet
        answers the criterion."""
        from pmprb.assessments.assess.evidence_refs import resolve_ref

        db = database()
        username = get_ctx().actor

        def op(s):
            work, unit = _unit_work(s, username, round_ref, unit_code)
            doc = resolve_ref(s, work.round, unit, document)
            return evidence.unlink(work, unit, doc.id, list(criteria))

        r = db.run(op)
        info(i18n.t("evcmd.unlinked", doc=r.evidence.key, criteria=", ".join(r.unlinked),
                    left=", ".join(r.left) or i18n.t("evcmd.nothing")))
        if as_json:
            echo_json({"evidence_id": r.evidence.id, "key": r.evidence.key, "unlinked": r.unlinked,
                       "left": r.left})

    @evidence_group.command("parse")
    @click.argument("text")
    @json_option
    def parse_cmd(text, as_json):
        """Read a citation text and show the documents it cites.

        "Keputusan Bupati X Nomor: 061/17/2015 tentang ... sebagaimana telah
        diubah dengan ..." gives each document's kind, issuer, number, year,
        date, period, subject, the document it amends and where it stands in
        the text. Nothing is stored."""
        from pmprb.engine.citations import parse_json

        data = parse_json(text)
        if as_json:
            echo_json(data)
            return
        if not data["documents"]:
            info(i18n.t("evcmd.parsed_none"))
            return
        for k, d in enumerate(data["documents"], 1):
            click.echo(f"{k}. {evidence.describe_document(d)}")

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
            scope = unit_read_scope(s, rnd, unit)
            return evidence.list_evidence(s, rnd, unit=unit, criterion=criterion, unit_ids=scope)

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
