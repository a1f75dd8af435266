"""durable_rules and fact identity: every fact the matcher asserts names its own ``id``.

Without one, durable_rules derives a fact's identity from a hash of the fact and its session
id, and two distinct facts of one batch can collide: the batch is refused as "already
observed". The 600-institution national run met such a batch (below) in session 89,616.
"""

from __future__ import annotations

import itertools

import pytest

from pmprb.engine import evaluator as evaluator_mod
from pmprb.engine.evaluator import Evaluator, durable_available
from pmprb.engine.instrument import load_instrument

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable_rules does not import here")

# criterion=answer/evidence count of the batch refused in session 89,616 (pmprb-2014, level 0).
REFUSED_BATCH = (
    "AKT.1.a=A/0 AKT.1.b=B/1 AKT.1.c=A/3 AKT.2.a=B/1 AKT.2.b=Ya/2 AKT.2.c=A/1 AKT.2.d=B/2 AKT.2.e=B/1 "
    "MP.1.a=B/1 MP.2.a=Ya/2 MP.3.a=B/1 MP.3.b=A/1 MP.3.c=B/1 MP.3.d=C/1 MP.3.e=A/2 MP.3.f=A/2 MP.3.g=A/2 "
    "MP.4.a=B/2 MP.4.b=A/3 MP.4.c=A/3 ORG.1.a=C/0 ORG.1.b=A/2 ORG.1.c=A/1 ORG.1.d=B/3 ORG.1.e=B/2 "
    "ORG.1.f=B/2 ORG.1.g=B/2 ORG.1.h=Ya/3 ORG.1.i=Tidak/0 ORG.2.a=B/1 PP.1.a=Tidak/0 PP.2.a=C/1 "
    "PP.2.b=B/3 PP.2.c=B/1 PP.2.d=C/3 PP.2.e=Ya/1 PP.3.a=Ya/2 PP.3.b=C/0 PP.3.c=Ya/3 PP.3.d=A/1 "
    "PP.3.e=A/1 PP.4.a=A/2 PP.4.b=Tidak/0 PP.4.c=B/0 PP.5.a=Ya/1 PP.5.b=B/2 PP.5.c=C/0 PPU.1.a=B/0 "
    "PPU.1.b=A/0 PPU.2.a=B/2 PPU.2.b=A/1 PWS.1.a=Ya/1 PWS.1.b=B/2 PWS.1.c=Ya/2 PWS.2.a=Tidak/0 "
    "PWS.2.b=C/1 PWS.2.c=B/3 PWS.2.d=B/1 PWS.2.e=B/2 PWS.2.f=B/1 PWS.3.a=Tidak/1 PWS.3.b=C/1 "
    "PWS.4.a=Tidak/0 PWS.5.a=Tidak/1 PWS.6.a=Ya/3 PWS.7.a=C/2 PWS.7.b=B/1 PWS.7.c=B/2 PWS.7.d=C/1 "
    "SDM.1.a=C/0 SDM.1.c=Ya/2 SDM.1.d=Ya/2 SDM.1.e=C/1 SDM.2.a=A/2 SDM.2.b=Tidak/3 SDM.2.c=Ya/2 "
    "SDM.2.d=Ya/2 SDM.2.e=Ya/1 SDM.3.a=Ya/2 SDM.3.b=C/0 SDM.3.c=B/2 SDM.3.d=C/2 SDM.3.e=B/2 SDM.3.f=B/3 "
    "SDM.4.a=Ya/1 SDM.4.b=B/2 SDM.5.a=A/1 SDM.5.b=C/1 SDM.5.c=B/1 SDM.5.d=A/2 SDM.5.e=A/0 SDM.5.f=B/1 "
    "SDM.5.g=B/1 SDM.6.a=Ya/3 SDM.6.b=B/1 SDM.6.c=B/3 SDM.6.d=B/2 SDM.7.a=Tidak/0 SDM.7.b=C/3 SDM.7.c=A/2 "
    "SDM.8.a=Tidak/1 SDM.8.b=Tidak/0 SDM.8.c=C/2 SDM.8.d=Tidak/0 TL.1.a=B/1 TL.2.a=Tidak/1 TL.2.b=A/1 "
    "TL.2.c=B/2 TL.2.d=B/2 TL.3.a=Ya/2 "
)


def _facts(ev):
    facts = []
    for item in REFUSED_BATCH.split():
        cid, rest = item.split("=")
        answer, evidence = rest.rsplit("/", 1)
        facts.append(evaluator_mod.make_fact(ev.compiled, cid, {"answer": answer, "evidence": int(evidence)}))
    return facts


def test_the_batch_durable_refused_in_session_89616_is_decided_there(monkeypatch):
    inst = load_instrument("pmprb-2014")
    durable, plain = Evaluator(inst, "durable"), Evaluator(inst, "plain")
    facts = _facts(durable)
    assert len(facts) == 110 and len({f["c"] for f in facts}) == 110
    monkeypatch.setattr(evaluator_mod.DurableMatcher, "_sids", itertools.count(89616))
    fired = durable.matcher.fire(facts)
    assert fired == plain.matcher.fire(facts)


def test_every_asserted_fact_carries_its_criterion_as_identity(monkeypatch):
    inst = load_instrument("pmprb-2014")
    ev = Evaluator(inst, "durable")
    seen = []
    real = evaluator_mod._Host.assert_facts

    def spy(self, name, facts):
        seen.extend(facts)
        return real(self, name, facts)

    monkeypatch.setattr(evaluator_mod._Host, "assert_facts", spy)
    ev.evaluate({"MP.1.a": "C", "MP.1.b": "A"})
    assert seen and all(f["id"] == f["c"] for f in seen)
