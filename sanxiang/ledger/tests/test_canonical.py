import datetime as dt
import decimal

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.ledger.canonical import canonical_json, json_value

text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(st.characters(max_codepoint=127)), children, max_size=4)
    ),
    max_leaves=20,
)
any_keys = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(value=plain)
def test_the_fast_path_is_byte_for_byte_rfc_8785(value):
    assert canonical_json(value) == rfc8785.dumps(value)


@settings(max_examples=300, deadline=None)
@given(value=any_keys)
def test_every_value_is_rfc_8785_whatever_its_keys(value):
    assert canonical_json(value) == rfc8785.dumps(value)


def test_integers_beyond_the_safe_range_are_refused():
    with pytest.raises(ValueError):
        canonical_json({"amount": 2**53})


def test_known_rfc_8785_outputs():
    assert canonical_json({"b": 2, "a": [True, None, "é\n\u2028"], "c": {"z": 1, "y": -0}}) == (
        '{"a":[true,null,"é\\n\u2028"],"b":2,"c":{"y":0,"z":1}}'.encode()
    )


def test_field_values_become_json_safe_and_floats_are_refused():
    assert json_value(dt.date(2026, 10, 1)) == "2026-10-01"
    assert json_value(decimal.Decimal("12.50")) == "12.50"
    assert json_value(dt.datetime(2026, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))) == "2026-01-01T00:00:00Z"
    with pytest.raises(TypeError):
        json_value(1.5)
