"""canonical_json reuses one C encoder: it must give exactly what json.dumps gives."""

import json
import math

import pytest
from hypothesis import given, settings, strategies as st

from pmprb.canonical import canonical_json

_OPTIONS = dict(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
            | st.text())
_TREES = st.recursive(_SCALARS, lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                                               | st.dictionaries(st.text(), inner, max_size=4)), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_TREES)
def test_the_same_bytes_as_json_dumps(obj):
    assert canonical_json(obj) == json.dumps(obj, **_OPTIONS)


@pytest.mark.parametrize("bad", [{"x": math.nan}, [math.inf], {"d": object()}, {1: "a", "b": 2}])
def test_the_same_refusals_as_json_dumps(bad):
    with pytest.raises((ValueError, TypeError)) as expected:
        json.dumps(bad, **_OPTIONS)
    with pytest.raises(expected.type):
        canonical_json(bad)


def test_a_failed_encoding_leaves_the_encoder_usable():
    with pytest.raises(ValueError):
        canonical_json({"a": [1, {"b": math.nan}]})
    assert canonical_json({"b": [1, 2], "a": "é"}) == '{"a":"é","b":[1,2]}'
