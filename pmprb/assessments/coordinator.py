"""The coordinator's part of the round workflow, plugged into the store's
round transitions (:mod:`pmprb.assessments.setup.rounds` imports this module
before every transition, so library callers get it as well as the CLI):

- entering ``consensus`` opens a consensus item per disputed criterion;
- ``finalise`` is refused while an item is open or a Hasil figure is missing;
- finalising computes and freezes the final result and generates the RATL;
- reopening a final round keeps the result in force in the store's snapshot;
- ``audit verify`` compares consensus and RATL items with their audit events.
"""

from __future__ import annotations

from pmprb.assessments.coordinate import consensus, final_result, hasil
from pmprb.assessments.setup import rounds

rounds.register_guard("consensus", consensus.guard_enter_consensus)
rounds.register_guard("finalise", consensus.guard_finalise)
rounds.register_guard("finalise", hasil.guard_finalise)
rounds.register_finalise_hook(final_result.finalise_hook)
rounds.register_snapshot_provider("final_result", final_result.snapshot_provider)

from pmprb.assessments.audit import coordination_checks  # noqa: E402,F401  (audit verify: consensus and RATL items against their events)
