"""The revision is the SHA-256 of the canonical instrument: stable under formatting, sensitive to content."""

from __future__ import annotations

import json

import pytest
import yaml

from pmprb.canonical import sha256_hex
from pmprb.engine.instrument import Instrument, load_instrument

from engine_support import copy_instrument, pmprb2014

# Pinned: rounds store this; a change here means every stored round refers to another instrument.
# (Changed by issue 16 — evidence requirements — and issue 13 — the RATL advice in ratl.yaml.
# Rounds pinned to an earlier revision keep it: they store its canonical JSON.)
PMPRB_2014_REVISION = "7a3b6f0750c90fb5d219c2f0d1c1ef68a379885ab8deae94ccb832ed1a39a6cd"


def _reverse_keys(node):
    if isinstance(node, dict):
        return {k: _reverse_keys(node[k]) for k in reversed(list(node))}
    if isinstance(node, list):
        return [_reverse_keys(x) for x in node]
    return node


def test_bundled_revision_is_pinned_and_is_the_hash_of_the_canonical_json():
    inst = pmprb2014()
    assert inst.revision == PMPRB_2014_REVISION
    assert sha256_hex(inst.canonical_json) == inst.revision


def test_reordering_every_mapping_in_every_file_keeps_the_revision(tmp_path):
    folder = copy_instrument(tmp_path)
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_reverse_keys(data), allow_unicode=True, sort_keys=False, width=60),
                        encoding="utf-8")
    first = (folder / "02-ppu.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("examples:")  # the keys really moved
    assert load_instrument(folder).revision == PMPRB_2014_REVISION


def test_examples_are_not_part_of_the_revision(tmp_path):
    folder = copy_instrument(tmp_path, [("02-ppu.yaml", "- name: Semua kriteria terbaik dengan bukti dukung",
                                         "- name: Semua kriteria terbaik, dengan bukti dukung")])
    inst = load_instrument(folder)
    assert inst.examples["PPU"][0]["name"] == "Semua kriteria terbaik, dengan bukti dukung"
    assert inst.revision == PMPRB_2014_REVISION


@pytest.mark.parametrize("edits", [
    pytest.param([("instrument.yaml", "  - answer: B\n    value: 0.67", "  - answer: B\n    value: 0.66")],
                 id="one answer value"),
    pytest.param([("instrument.yaml", "      - code: WTP-DPP\n        label: WTP-DPP (WTP dengan paragraf penjelas)\n"
                                      "        points: 2.5",
                   "      - code: WTP-DPP\n        label: WTP-DPP (WTP dengan paragraf penjelas)\n        points: 2.4")],
                 id="one BPK category weight"),
    pytest.param([("01-mp.yaml", "  name: Tim Reformasi Birokrasi\n  weight: 1.0",
                   "  name: Tim Reformasi Birokrasi\n  weight: 1.5"),
                  ("01-mp.yaml", "  name: Road Map Reformasi Birokrasi\n  weight: 1.0",
                   "  name: Road Map Reformasi Birokrasi\n  weight: 0.5")],
                 id="sub-area weights"),
    pytest.param([("02-ppu.yaml", "      text: Seluruh persyaratan lengkap dan diimplementasikan",
                   "      text: Seluruh persyaratan lengkap dan telah diimplementasikan")],
                 id="one option text"),
])
def test_changing_content_changes_the_revision(tmp_path, edits):
    inst = load_instrument(copy_instrument(tmp_path, edits))
    assert inst.revision != PMPRB_2014_REVISION


def test_a_stored_canonical_instrument_rebuilds_to_the_same_revision():
    inst = pmprb2014()
    again = Instrument.from_canonical_json(inst.canonical_json)
    assert again.revision == inst.revision
    assert list(again.criteria) == list(inst.criteria)
    # Canonical JSON: sorted keys, no whitespace.
    assert inst.canonical_json == json.dumps(inst.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
