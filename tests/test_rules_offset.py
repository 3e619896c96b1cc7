"""Offset repayment (内转还款 / 对冲还贷): what the fund pays and what the card pays."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.errors import InputError
from gjjcalc.rules import load_pack, offset_split


def test_qingdao_example_1500_from_the_fund_leaves_19513_64_for_the_card():
    split = offset_split(due="21013.64", own_available=1776, own_use=1500)
    assert split.fund == Decimal("1500.00")
    assert split.card == Decimal("19513.64")
    assert split.due == Decimal("21013.64")


def test_spouse_authorized_amount_adds_to_the_fund_part():
    split = offset_split(
        due="3362.48",
        own_available=2000,
        own_use=2000,
        spouse_authorized=5000,
        spouse_use="1362.48",
    )
    assert (split.own, split.spouse, split.fund, split.card) == (
        Decimal("2000.00"),
        Decimal("1362.48"),
        Decimal("3362.48"),
        Decimal("0.00"),
    )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"due": 1000, "own_available": 100, "own_use": 101}, "own_use"),
        (
            {
                "due": 1000,
                "own_available": 100,
                "own_use": 0,
                "spouse_authorized": 50,
                "spouse_use": 60,
            },
            "spouse_use",
        ),
        (
            {
                "due": 100,
                "own_available": 100,
                "own_use": 60,
                "spouse_authorized": 50,
                "spouse_use": 50,
            },
            "own_use + spouse_use",
        ),
        ({"due": 0, "own_available": 0, "own_use": 0}, "due"),
        ({"due": 100, "own_available": -1, "own_use": 0}, "own_available"),
    ],
)
def test_bad_splits_are_input_errors(kwargs, name):
    with pytest.raises(InputError) as info:
        offset_split(**kwargs)
    assert info.value.name == name


def test_packs_record_the_offset_services_their_seeds_name():
    assert load_pack("qingdao").offset.spouse_authorized is not None
    liuzhou = load_pack("liuzhou").offset.modes
    assert liuzhou is not None
    assert liuzhou.value == ("monthly", "one_off")


fen = st.integers(min_value=0, max_value=10_000_000)


@settings(max_examples=60)
@given(due=st.integers(1, 10_000_000), own=fen, spouse=fen, data=st.data())
def test_fund_plus_card_is_the_amount_due(due, own, spouse, data):
    own_use = data.draw(st.integers(0, min(own, due)))
    spouse_use = data.draw(st.integers(0, min(spouse, due - own_use)))
    split = offset_split(
        due=due / 100,
        own_available=own / 100,
        own_use=own_use / 100,
        spouse_authorized=spouse / 100,
        spouse_use=spouse_use / 100,
    )
    assert split.fund + split.card == split.due
    assert split.card >= 0
    assert split.fund == Decimal(own_use + spouse_use) / 100
