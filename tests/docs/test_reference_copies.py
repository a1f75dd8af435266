"""The official figures the oracle tests read from tests/data are byte-for-byte
copies of the shared reference (checked where ../shared is present; a fresh
clone in CI has only the copies) and each names its source."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
COPIES = sorted(p.name for p in DATA.glob("*.json"))


@pytest.mark.parametrize("name", COPIES)
def test_the_copy_names_its_source(name):
    assert f"`{name}`" in (DATA / "SOURCES.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COPIES)
def test_the_copy_is_the_shared_reference(name):
    original = SHARED / name
    if not original.is_file():
        pytest.skip(f"{original} is absent (it lives outside the repository)")
    assert (DATA / name).read_bytes() == original.read_bytes()
