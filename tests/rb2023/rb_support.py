"""Helpers shared by the Indeks RB 2023 tests (imported by name; pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pmprb.engine.evaluator import ENGINES, durable_available
from pmprb.engine.instrument import load_instrument

DATA = Path(__file__).resolve().parents[1] / "data"
ORACLES = DATA / "rb-2023-oracles.json"
KINDS = ("kabkota", "provinsi", "kl")


def engines() -> tuple[str, ...]:
    return ENGINES if durable_available() else ("plain",)


def instrument(kind: str):
    return load_instrument(f"rb-2023-{kind}")


@lru_cache(maxsize=1)
def oracles() -> dict:
    return json.loads(ORACLES.read_text(encoding="utf-8"))


def institutions(consistent: bool | None = None) -> list[dict]:
    return [o for o in oracles()["institutions"] if consistent is None or o["consistent"] is consistent]


def by_source(inst) -> dict[str, str]:
    """The portal's question id -> the instrument's line id."""
    return {c.data["source_id"]: cid for cid, c in inst.criteria.items()}


def opinion(points: float) -> str:
    """An Opini BPK line stores points; the instrument knows only WTP's (5), others are given."""
    return "WTP" if points == 5 else f"WDP={points}"


def oracle_worksheet(o: dict, published: bool = True) -> dict:
    """The institution's official line scores as a worksheet, with its published figures."""
    inst = instrument(o["kind"])
    src = by_source(inst)
    answers, pub = {}, {}
    for line in o["lines"]:
        cid = src[str(line["question_id"])]
        if line["score_index_stored"] is not None:
            pub[cid] = line["score_index_stored"]
        if line["score"] is None:
            continue
        answers[cid] = opinion(line["score"]) if line["type"] == "qualitative" else line["score"]
    st = o["stored_totals"]
    ws = {"instrument": inst.id, "answers": answers}
    if st["bobot_rb_general_penyesuaian"] != 100:
        ws["applicable_weight"] = st["bobot_rb_general_penyesuaian"]
    if published:
        ws["published"] = {"points": pub, "components": {"general": st["rb_general"], "tematik": st["rb_tematik"]},
                           "rescaled": o["stored_extra"]["rb_general_penyesuaian"],
                           "applicable_weight": st["bobot_rb_general_penyesuaian"],
                           "total": st["index_rb_penyesuaian"]}
    return ws
