"""The snapshot helper itself: it must fail on a difference or a missing file."""

import pytest

from report_support import UPDATE_ENV, assert_snapshot


def test_matching_snapshot_passes(tmp_path):
    (tmp_path / "a.html").write_text("<p>x</p>\n", encoding="utf-8")
    assert_snapshot("<p>x</p>\n", tmp_path / "a.html")


def test_difference_fails_with_a_diff(tmp_path, monkeypatch):
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    (tmp_path / "a.html").write_text("<p>one</p>\n<p>same</p>\n", encoding="utf-8")
    with pytest.raises(AssertionError) as exc:
        assert_snapshot("<p>two</p>\n<p>same</p>\n", tmp_path / "a.html")
    assert "-<p>one</p>" in str(exc.value) and "+<p>two</p>" in str(exc.value) and UPDATE_ENV in str(exc.value)


def test_missing_snapshot_fails_instead_of_being_written(tmp_path, monkeypatch):
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    with pytest.raises(AssertionError, match="does not exist"):
        assert_snapshot("x", tmp_path / "new.html")
    assert not (tmp_path / "new.html").exists()


def test_update_mode_writes_the_snapshot(tmp_path, monkeypatch):
    monkeypatch.setenv(UPDATE_ENV, "1")
    assert_snapshot("fresh\n", tmp_path / "deep" / "s.html")
    assert (tmp_path / "deep" / "s.html").read_text(encoding="utf-8") == "fresh\n"
