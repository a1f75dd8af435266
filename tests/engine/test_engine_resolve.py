"""Which instrument a reference names."""

import shutil

from pmprb.engine.instrument import RULES_DIR, load_instrument, resolve


def test_bare_id_is_the_bundled_instrument_even_with_a_same_named_folder_here(tmp_path, monkeypatch):
    shutil.copytree(RULES_DIR / "pmprb-2014", tmp_path / "pmprb-2014")
    area = tmp_path / "pmprb-2014" / "instrument.yaml"
    area.write_text(area.read_text().replace("version: '2015'", "version: 'local copy'"))
    monkeypatch.chdir(tmp_path)
    assert resolve("pmprb-2014") == RULES_DIR / "pmprb-2014"
    assert load_instrument("./pmprb-2014").version == "local copy"
    assert load_instrument("pmprb-2014").version == "2015"
