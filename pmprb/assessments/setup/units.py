"""Work units (unit kerja / perangkat daerah): add, import from CSV, list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from sqlmodel import Session, select

from pmprb import i18n
from pmprb.canonical import sha256_hex
from pmprb.errors import ConflictError, NotFoundError, ValidationError
from pmprb.assessments.store import audit_log
from pmprb.assessments.store.ledger import Rows, insert_rows
from pmprb.assessments.store.models import WorkUnit, utcnow
from pmprb.assessments.setup.people import institution
from pmprb.assessments.setup.permissions import Actor, require
from pmprb.engine import codes, safe_input

FLUSH_EVERY = 500

CODE_COLUMNS = ("code", "kode")
NAME_COLUMNS = ("name", "nama")


def check_code(code: str | None) -> str:
    """The one pattern of codes (:mod:`pmprb.engine.codes`): a unit code
    names export files, so ``../x`` or ``A/B`` is refused."""
    return codes.check_code(code, "field.unit_code")


def check_name(code: str, name: str | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > codes.MAX_NAME:
        raise ValidationError(i18n.t("units.bad_name", code=code, n=len(name), max=codes.MAX_NAME))
    return name


def get_unit(session: Session, code: str) -> WorkUnit:
    inst = institution(session)
    unit = session.exec(select(WorkUnit).where(WorkUnit.institution_id == inst.id,
                                               WorkUnit.code == (code or "").strip())).first()
    if unit is None:
        raise NotFoundError(i18n.t("units.unknown", code=code))
    return unit


def list_units(session: Session) -> list[WorkUnit]:
    inst = institution(session)
    return list(session.exec(select(WorkUnit).where(WorkUnit.institution_id == inst.id).order_by(WorkUnit.code)))


def add_unit(session: Session, actor: Actor, *, code: str, name: str) -> WorkUnit:
    require(actor, "unit.write")
    inst = institution(session)
    code = check_code((code or "").strip())
    name = check_name(code, name)
    existing = session.exec(select(WorkUnit).where(WorkUnit.institution_id == inst.id, WorkUnit.code == code)).first()
    if existing is not None:
        raise ConflictError(i18n.t("units.exists", code=code, name=existing.name))
    unit = WorkUnit(institution_id=inst.id, code=code, name=name)
    session.add(unit)
    session.flush()
    rows = Rows()
    rows.put_obj(unit)
    audit_log.append(session, round_id=None, actor=actor.username, action="unit.add", payload={"code": code, "name": name},
                     rows=rows)
    return unit


def update_unit(session: Session, actor: Actor, code: str, *, name: str | None = None,
                active: bool | None = None) -> WorkUnit:
    """Rename a unit or (de)activate it: one ``unit.update`` event of the
    institution chain. Units are never deleted (rounds refer to them)."""
    require(actor, "unit.write")
    unit = get_unit(session, code)
    changes: dict = {}
    if name is not None and check_name(unit.code, name) != unit.name:
        changes["name"] = {"from": unit.name, "to": check_name(unit.code, name)}
        unit.name = changes["name"]["to"]
    if active is not None and bool(active) != unit.active:
        changes["active"] = {"from": unit.active, "to": bool(active)}
        unit.active = bool(active)
    if not changes:
        raise ValidationError(i18n.t("units.nothing"))
    session.add(unit)
    session.flush()
    rows = Rows()
    rows.put_obj(unit)
    audit_log.append(session, round_id=None, actor=actor.username, action="unit.update",
                     payload={"code": unit.code, "changes": changes}, rows=rows)
    return unit


# ---------------------------------------------------------------------------
# import


@dataclass
class UnitRow:
    line: int
    code: str
    name: str


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged)}


def read_units_file(path: str | Path) -> tuple[list[UnitRow], str]:
    """Rows of a CSV file with columns code,name (or kode,nama); comma,
    semicolon or tab separated (spreadsheet exports differ), UTF-8 with or
    without BOM. Returns the rows and the file's SHA-256. Every bad row is
    reported at once."""
    p = Path(path)
    if not p.is_file():
        raise ValidationError(i18n.t("units.file_missing", path=p)) if p.exists() else \
            NotFoundError(i18n.t("units.file_missing", path=p))
    try:
        raw = safe_input.read_bytes(p)  # at most PMPRB_MAX_INPUT_MB
        text = safe_input.decode(raw, str(p), csv_hint=True)  # non-UTF-8: names the line and Excel's CSV UTF-8
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(i18n.t("units.file_unreadable", path=p, error=i18n.os_error(exc))) from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    # bounded rows, columns, cells and lines; every problem names the line
    reader = safe_input.csv_rows(text, str(p), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, (0, []))[1]]
    try:
        ci = next(header.index(c) for c in CODE_COLUMNS if c in header)
        ni = next(header.index(c) for c in NAME_COLUMNS if c in header)
    except StopIteration:
        raise ValidationError(i18n.t("units.no_header", path=p)) from None
    rows: list[UnitRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, cells in reader:
        if not any(c.strip() for c in cells):
            continue
        code = cells[ci].strip() if ci < len(cells) else ""
        name = cells[ni] if ni < len(cells) else ""
        try:
            code = check_code(code)
            name = check_name(code, name)
        except ValidationError as exc:
            errors.append(i18n.t("units.row_error", line=line, message=exc.message))
            continue
        if code in seen:
            errors.append(i18n.t("units.dup_in_file", line=line, code=code, first=seen[code]))
            continue
        seen[code] = line
        rows.append(UnitRow(line, code, name))
    if errors:
        raise ValidationError(i18n.t("units.import_invalid", path=p, n=len(errors)), details=errors)
    return rows, sha256_hex(raw)


def import_units(session: Session, actor: Actor, rows: Iterable[UnitRow], *, source: str, source_sha256: str,
                 update: bool = False, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Create (and with ``update`` rename) units in the caller's transaction:
    either every row is imported or none. Units already present with the
    same name are left as they are, so importing a file twice is harmless."""
    require(actor, "unit.write")
    inst = institution(session)
    rows = list(rows)
    existing = {u.code: u for u in session.exec(select(WorkUnit).where(WorkUnit.institution_id == inst.id))}
    conflicts = [i18n.t("units.changed", line=r.line, code=r.code, old=existing[r.code].name)
                 for r in rows if r.code in existing and existing[r.code].name != r.name and not update]
    if conflicts:
        raise ConflictError(i18n.t("units.import_invalid", path=source, n=len(conflicts)), details=conflicts)
    result = ImportResult()
    new_rows: list[dict] = []
    renamed: list[WorkUnit] = []
    now = utcnow()
    for r in rows:
        unit = existing.get(r.code)
        if unit is None:
            new_rows.append(dict(institution_id=inst.id, code=r.code, name=r.name, active=True, created_at=now))
            result.created.append(r.code)
        elif unit.name != r.name:
            renamed.append(unit)
            result.updated.append(r.code)
        else:
            result.unchanged.append(r.code)
    # Set-based: one multi-row INSERT per chunk, one UPDATE per renamed unit.
    written = Rows()
    insert_rows(session, WorkUnit, new_rows, key=("code",), record=written)
    for unit in renamed:
        unit.name = next(r.name for r in rows if r.code == unit.code)
        session.add(unit)
    session.flush()
    written.put_obj(*renamed)
    if progress:
        progress(len(rows), len(rows))
    if result.created or result.updated:
        audit_log.append(session, round_id=None, actor=actor.username, action="unit.import",
                         payload={"source": source, "sha256": source_sha256, "created": result.created,
                                  "updated": result.updated, "unchanged": len(result.unchanged)}, rows=written)
    return result
