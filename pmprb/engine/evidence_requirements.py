"""Evidence requirements: which kinds of document support a criterion, and how current they must be.

Instrument data (checked by the loader, see :func:`check`):

- ``evidence_kind_sets`` (instrument): named sets of document kinds
  (:data:`pmprb.engine.citations.KINDS`), e.g. ``penetapan: [perda, perkada, keputusan]``;
- ``evidence_currency.activity_kinds`` (instrument): kinds that prove an activity
  (``kegiatan``, ``notulen``, ``laporan`` ...) and must fall within the
  evaluation period; every other kind stands until its period ends;
- ``evidence_kinds`` (criterion): ``accept: <set>`` and optionally
  ``by_answer: {<answer>: <set>}`` where answer levels ask for different proof.

Evaluation splits the work the way the architecture asks: Python summarises a
criterion's cited documents (:func:`summarise`: each document's status against
the evaluation period, counts per kind set), the summary goes into the
decision ``input`` (so replay needs nothing else), and compiled rules
(:func:`rules`) test those counts to decide the flags on both engines:

- ``evidence_kind_not_accepted``: documents were read, none of a kind the
  answer accepts;
- ``evidence_outdated``: none of the accepted documents is current and one has
  expired (its period ended) or, for activity proof, predates the period;
- ``evidence_future``: none is current and one is dated after the period;
- ``evidence_superseded``: a cited document was amended (the worksheet cites
  the amendment elsewhere) but this criterion does not cite the amendment.

A document's status: a regulation or decree stays valid until its period
ends; an amendment shares the period of the document it amends and the
amended document stays valid through its amendment (a group's period ends
with the latest end any of them names). Activity proof is current when its
date (range), else its year, else its period overlaps the evaluation period.
Anything dated after the period is ``future``. Without an evaluation period,
or without any date, nothing contradicts a document: it is ``current``.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from pmprb import i18n
from pmprb.errors import ValidationError
from pmprb.engine import citations
from pmprb.engine.citations import KINDS
from pmprb.engine import flags

FLAGS = (flags.EVIDENCE_KIND_NOT_ACCEPTED, flags.EVIDENCE_OUTDATED, flags.EVIDENCE_FUTURE, flags.EVIDENCE_SUPERSEDED)
STATUSES = ("current", "outdated", "future")
SET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
PERIOD_MIN, PERIOD_MAX = 1900, 2100
DOCUMENT_KEYS = frozenset(citations.FIELDS)
SUBJECT_IN_INPUT = 160    # characters of a subject kept in the decision input


# ---------------------------------------------------------------------------
# instrument data


def kind_sets(data: dict) -> dict[str, list[str]]:
    return data.get("evidence_kind_sets") or {}


def activity_kinds(data: dict) -> frozenset:
    return frozenset((data.get("evidence_currency") or {}).get("activity_kinds", ()))


def requirement(c) -> dict | None:
    """A criterion's ``evidence_kinds`` (``accept``, optional ``by_answer``), or None."""
    return c.data.get("evidence_kinds")


def sets_of(c) -> list[str]:
    """The kind sets a criterion's rules read: ``accept`` first, then ``by_answer``'s, once each."""
    req = requirement(c)
    if not req:
        return []
    return list(dict.fromkeys([req["accept"]] + list((req.get("by_answer") or {}).values())))


def claims_by_set(c) -> dict[str, list[str]]:
    """Set name -> the claimed answers (better than the worst) that it must support, in option order."""
    req = requirement(c)
    out: dict[str, list[str]] = {}
    for answer in c.values:
        if answer != c.worst:
            out.setdefault((req.get("by_answer") or {}).get(answer, req["accept"]), []).append(answer)
    return out


def check(data: dict, examples: dict, err) -> None:
    """Loader checks of the evidence requirement keys; ``err(path, message)`` as in the loader."""
    sets = kind_sets(data)
    for name, kinds in sets.items():
        path = ("evidence_kind_sets", name)
        if not SET_NAME.match(name):
            err(path, i18n.t("evreq.kind_set_name_must", name=name))
        if not kinds:
            err(path, i18n.t("evreq.kind_set_needs_least"))
        seen: set = set()
        for k, kind in enumerate(kinds):
            if kind in seen:
                err(path + (k,), i18n.t("evreq.kind_listed_twice_2", kind=kind))
            seen.add(kind)
    act = (data.get("evidence_currency") or {}).get("activity_kinds", [])
    if len(set(act)) != len(act):
        err(("evidence_currency", "activity_kinds"), i18n.t("evreq.kind_listed_twice"))
    numeric = data.get("numeric_types", {})
    ev_default = data["evidence_default"]
    criteria = {}
    for i, area in enumerate(data["areas"]):
        for j, sub in enumerate(area["subareas"]):
            for k, c in enumerate(sub["criteria"]):
                criteria.setdefault(c["id"], c)
                req = c.get("evidence_kinds")
                if req is None:
                    continue
                cp = ("areas", i, "subareas", j, "criteria", k, "evidence_kinds")
                _check_requirement(c, req, cp, sets, numeric, data["answer_types"], ev_default, err)
    for code, exs in examples.items():
        idx = next((i for i, a in enumerate(data["areas"]) if a["code"] == code), None)
        for e, ex in enumerate(exs or []):
            ep = ("areas", idx, "examples", e)
            for cid in ex.get("citations") or {}:
                if cid not in criteria:
                    err(ep + ("citations", cid), i18n.t("evreq.unknown_criterion", cid=cid))
                elif cid in (ex.get("evidence") or {}):
                    err(ep + ("citations", cid), i18n.t("evreq.given_both_evidence_count", cid=cid))
            period = ex.get("period")
            if period is not None and not PERIOD_MIN <= period <= PERIOD_MAX:
                err(ep + ("period",), i18n.t("evreq.evaluation_period_must_year_2", PERIOD_MIN=PERIOD_MIN, PERIOD_MAX=PERIOD_MAX, period=period))


def _check_requirement(c, req, cp, sets, numeric, answer_types, ev_default, err) -> None:
    names = [("accept",), *[("by_answer", a) for a in (req.get("by_answer") or {})]]
    for key in names:
        name = req["accept"] if key == ("accept",) else req["by_answer"][key[1]]
        if name not in sets:
            declared = ", ".join(sets) if sets else "none: declare evidence_kind_sets in instrument.yaml"
            err(cp + key, i18n.t("evreq.unknown_evidence_kind_set", name=name, declared=declared))
    nt = numeric.get(c["answer_type"])
    kind = nt["kind"] if nt else "choice"
    if kind == "count" or (kind == "computed" and (c.get("formula") or {}).get("kind") == "sum"):
        err(cp, i18n.t("evreq.count_evidence_requirements_belong", id=c['id']))
        return
    ev = c.get("evidence", ev_default)
    if ev["min_documents"] < 1:
        err(cp, i18n.t("evreq.needs_no_documents_evidence", id=c['id']))
    by_answer = req.get("by_answer") or {}
    if kind == "computed":
        if by_answer:
            err(cp + ("by_answer",), i18n.t("evreq.computed_item_has_no"))
        return
    answers = [o["answer"] for o in answer_types.get(c["answer_type"], [])]
    for a in by_answer:
        if a not in answers:
            err(cp + ("by_answer", a), i18n.t("evreq.answer", a=a, answer_type=c['answer_type'], items=', '.join(answers)))
        elif answers and a == answers[-1]:
            err(cp + ("by_answer", a), i18n.t("evreq.worst_answer_claims_nothing", a=a))


# ---------------------------------------------------------------------------
# documents


class DocumentError(ValueError):
    """A structured document that cannot be used; its text is in the current language."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key, self.fields = key, fields

    def __str__(self) -> str:
        return i18n.t(self.key, **self.fields)


def document(raw: Any) -> dict:
    """One structured document (a mapping with at least ``kind``), checked and normalised.

    Raises :class:`DocumentError` naming the offending key."""
    if not isinstance(raw, dict):
        raise DocumentError("evidence.doc.not_mapping", got=type(raw).__name__)
    unknown = sorted(str(k) for k in raw if k not in DOCUMENT_KEYS)
    if unknown:
        raise DocumentError("evidence.doc.unknown_key", key=unknown[0], allowed=", ".join(citations.FIELDS))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise DocumentError("evidence.doc.kind", allowed=", ".join(KINDS), got=kind)
    doc = {k: None for k in citations.FIELDS}
    doc["kind"] = kind
    for key in ("issuer", "number", "subject"):
        v = raw.get(key)
        if v is not None:
            if isinstance(v, bool) or not isinstance(v, (str, int)):
                raise DocumentError("evidence.doc.text", key=key, got=v)
            doc[key] = str(v).strip() or None
    year = raw.get("year")
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int) or not PERIOD_MIN <= year <= PERIOD_MAX:
            raise DocumentError("evidence.doc.year", lo=PERIOD_MIN, hi=PERIOD_MAX, got=year)
        doc["year"] = year
    for key in ("date", "date_end"):
        v = raw.get(key)
        if v is not None:
            day = _iso_date(v)
            if day is None or not PERIOD_MIN <= day.year <= PERIOD_MAX:
                raise DocumentError("evidence.doc.date", key=key, got=v)
            doc[key] = day.isoformat()
    if doc["date_end"] is not None and (doc["date"] is None or doc["date_end"] < doc["date"]):
        raise DocumentError("evidence.doc.date_end")
    if doc["year"] is None and doc["date"] is not None:
        doc["year"] = int(doc["date"][:4])
    period = raw.get("period")
    if period is not None:
        if (not isinstance(period, (list, tuple)) or len(period) != 2
                or any(isinstance(y, bool) or not isinstance(y, int) for y in period)
                or not PERIOD_MIN <= period[0] <= period[1] <= PERIOD_MAX):
            raise DocumentError("evidence.doc.period", got=period)
        doc["period"] = [period[0], period[1]]
    amends = raw.get("amends")
    if amends is not None:
        if isinstance(amends, bool) or not isinstance(amends, int) or amends < 0:
            raise DocumentError("evidence.doc.amends", got=amends)
        doc["amends"] = amends
    return doc


def _iso_date(v) -> _dt.date | None:
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    if isinstance(v, str):
        try:
            return _dt.date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


def documents(items: Any) -> list[dict]:
    """A criterion's documents from a list of citation texts (parsed) and structured documents.

    ``amends`` of a structured document indexes this (expanded) list. Raises
    :class:`DocumentError` naming the item (``[2]: ...``)."""
    if not isinstance(items, (list, tuple)):
        raise DocumentError("evidence.doc.list", got=type(items).__name__)
    out: list[dict] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            base = len(out)
            for d in citations.parse(item):
                if d["amends"] is not None:
                    d["amends"] += base
                out.append(d)
            continue
        try:
            out.append(document(item))
        except DocumentError as exc:
            raise DocumentError("evidence.doc.item", index=i, reason=str(exc)) from None
    for i, d in enumerate(out):
        if d["amends"] is not None and (d["amends"] >= len(out) or d["amends"] == i):
            raise DocumentError("evidence.doc.item", index=i, reason=str(DocumentError("evidence.doc.amends",
                                                                                      got=d["amends"])))
    return out


def identity(doc: dict) -> tuple | None:
    """What makes two citations the same document: kind, number (spaces ignored) and year."""
    if not doc.get("number") or doc.get("year") is None:
        return None
    return doc["kind"], "".join(doc["number"].split()).lower(), doc["year"]


def _dated_year(doc: dict) -> int | None:
    return int(doc["date"][:4]) if doc.get("date") else doc.get("year")


def amended_identities(lists, period: int | None) -> set:
    """Identities of documents that some cited document amends (anywhere in the worksheet).

    An amendment dated after the evaluation period did not exist yet: it supersedes nothing."""
    out = set()
    for docs in lists:
        for d in docs:
            a = d.get("amends")
            if a is None or not 0 <= a < len(docs):
                continue
            y = _dated_year(d)
            if period is not None and y is not None and y > period:
                continue
            key = identity(docs[a])
            if key is not None:
                out.add(key)
    return out


def _groups(docs: list[dict]) -> list[int]:
    """Amendment groups: each document's root (union-find over ``amends``)."""
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, d in enumerate(docs):
        a = d.get("amends")
        if a is not None and 0 <= a < len(docs):
            ra, rb = root(i), root(a)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return [root(i) for i in range(len(docs))]


def statuses(docs: list[dict], period: int | None, activity: frozenset) -> list[str]:
    """Each document's status against the evaluation period: current, outdated or future."""
    if period is None:
        return ["current"] * len(docs)
    roots = _groups(docs)
    group_end: dict[int, int] = {}
    for i, d in enumerate(docs):
        if d.get("period"):
            r = roots[i]
            group_end[r] = max(group_end.get(r, d["period"][1]), d["period"][1])
    out = []
    for i, d in enumerate(docs):
        if d["kind"] in activity:
            if d.get("date"):
                first = int(d["date"][:4])
                last = int(d["date_end"][:4]) if d.get("date_end") else first
            elif d.get("year") is not None:
                first = last = d["year"]
            elif d.get("period"):
                first, last = d["period"]
            else:
                out.append("current")     # undated: nothing contradicts it
                continue
            out.append("future" if first > period else "outdated" if last < period else "current")
            continue
        y = _dated_year(d)
        if y is not None and y > period:
            out.append("future")
            continue
        end = group_end.get(roots[i])
        out.append("outdated" if end is not None and end < period else "current")
    return out


def summarise(inst, c, docs: list[dict], period: int | None, amended: set) -> dict:
    """The ``documents`` field of a decision input: what the rules read, and what explains it."""
    data = inst.data
    status = statuses(docs, period, activity_kinds(data))
    local_ids = {d["amends"] for d in docs if d.get("amends") is not None}
    local_keys = {identity(docs[i]) for i in local_ids} - {None}
    cited, superseded, read = [], 0, 0
    for i, d in enumerate(docs):
        key = identity(d)
        sup = key is not None and key in amended and i not in local_ids and key not in local_keys
        superseded += sup
        read += d["kind"] != "lainnya"
        subject = d.get("subject")
        if subject and len(subject) > SUBJECT_IN_INPUT:
            subject = subject[:SUBJECT_IN_INPUT].rstrip() + " …"
        cited.append({"kind": d["kind"], "issuer": d.get("issuer"), "number": d.get("number"),
                      "year": d.get("year"), "date": d.get("date"), "date_end": d.get("date_end"),
                      "period": d.get("period"), "subject": subject, "amends": d.get("amends"),
                      "status": status[i], "superseded": sup})
    sets = {}
    all_sets = kind_sets(data)
    for name in sets_of(c):
        members = set(all_sets.get(name, ()))
        counts = {"n": 0, "current": 0, "outdated": 0, "future": 0}
        for d, st in zip(docs, status):
            if d["kind"] in members:
                counts["n"] += 1
                counts[st] += 1
        sets[name] = counts
    return {"period": period, "read": read, "superseded": superseded, "sets": sets, "cited": cited}


def fact_fields(summary: dict) -> dict:
    """The small fact fields the rules test (all whole numbers)."""
    out = {"e_read": int(summary["read"]), "e_sup": int(summary["superseded"])}
    for name, counts in summary["sets"].items():
        out[f"e_{name}_n"] = int(counts["n"])
        out[f"e_{name}_c"] = int(counts["current"])
        out[f"e_{name}_o"] = int(counts["outdated"])
        out[f"e_{name}_f"] = int(counts["future"])
    return out


def document_inputs(inst, documents_by_criterion: dict | None, period: int | None,
                    evidence: dict | None = None) -> dict[str, tuple[int, dict]]:
    """criterion -> (evidence count, ``documents`` input field) for every criterion given documents.

    Raises :class:`ValidationError` naming the criterion for unknown criteria, bad documents, a
    criterion given both a count and documents, or a bad period."""
    if not documents_by_criterion:
        return {}
    if period is not None and (isinstance(period, bool) or not isinstance(period, int)
                               or not PERIOD_MIN <= period <= PERIOD_MAX):
        raise ValidationError(i18n.t("evreq.evaluation_period_must_year", PERIOD_MIN=PERIOD_MIN, PERIOD_MAX=PERIOD_MAX, period=period))
    lists: dict[str, list[dict]] = {}
    for cid, items in documents_by_criterion.items():
        if cid not in inst.criteria:
            raise ValidationError(i18n.t("evreq.documents_given_unknown_criterion", cid=cid, id=inst.id))
        if evidence and cid in evidence:
            raise ValidationError(i18n.t("evreq.give_evidence_count_documents", cid=cid))
        try:
            lists[cid] = documents(items)
        except DocumentError as exc:
            raise ValidationError(f"{cid}: {exc}") from None
    amended = amended_identities(lists.values(), period)
    return {cid: (len(docs), summarise(inst, inst.criteria[cid], docs, period, amended))
            for cid, docs in lists.items()}


# ---------------------------------------------------------------------------
# rules


def _one_of(answers: list[str]) -> dict:
    return {"a": answers[0]} if len(answers) == 1 else {"$or": [{"a": a} for a in answers]}


def rules(c, base: list, pri: int) -> list[dict]:
    """The flag rules of one criterion's evidence requirements (none when it declares none).

    Every condition tests fields only a fact with a ``documents`` summary carries, so a
    worksheet with evidence counts only fires none of them."""
    req = requirement(c)
    if not req or c.is_count_valued or not (c.is_choice or c.kind == "computed"):
        return []
    cid = c.id

    def rule(kind: str, conds: list, flag: str) -> dict:
        return {"name": f"{cid}/evidence:{kind}", "criterion": cid, "pri": pri, "reads": "documents",
                "when": {"$and": base + conds}, "effect": {"flag": flag}}

    if c.is_choice:
        groups = claims_by_set(c)
        every_claim = _one_of([a for a in c.values if a != c.worst])
        claim = {name: _one_of(answers) for name, answers in groups.items()}
    else:  # a computed item claims its value once all its counts are entered
        groups = {req["accept"]: []}
        every_claim = {"ans": 1}
        claim = {req["accept"]: {"ans": 1}}
    # The document counts come before the claim: a fact without a document summary (a worksheet
    # with counts only) fails at the first of them.
    out = []
    for name in groups:
        out.append(rule(f"kind:{name}", [{f"e_{name}_n": 0}, {"$gte": {"e_read": 1}}, claim[name]],
                        flags.EVIDENCE_KIND_NOT_ACCEPTED))
        out.append(rule(f"outdated:{name}", [{f"e_{name}_c": 0}, {"$gte": {f"e_{name}_o": 1}}, claim[name]],
                        flags.EVIDENCE_OUTDATED))
        out.append(rule(f"future:{name}", [{f"e_{name}_c": 0}, {"$gte": {f"e_{name}_f": 1}}, claim[name]],
                        "evidence_future"))
    out.append(rule("superseded", [{"$gte": {"e_sup": 1}}, every_claim], "evidence_superseded"))
    return out
