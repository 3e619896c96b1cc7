"""Quota forms: second_home= (first_home= deprecated), caps by household with uplifts and a
top cap, Guangzhou's balance × k + monthly contribution × months, and a quota from monthly
contributions. Every expected amount is computed by hand in the test."""

from __future__ import annotations

import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from gjjcalc.errors import InputError
from gjjcalc.rules import loan_quota
from gjjcalc.rules.packs import Pack, parse_pack

SRC = "https://example.invalid/notice"


def _pack(quota: dict[str, Any]) -> Pack:
    def constant(key: str, value: Any) -> Any:
        if key in ("region_cap", "uplift"):
            return value
        return {"value": value, "source": f"{SRC} {key}"}

    return parse_pack(
        {
            "pack": {"name": "forms", "title": "Forms", "effective": "undated"},
            "quota": {key: constant(key, value) for key, value in quota.items()},
        },
        origin="forms.toml",
    )


def _yuan(value: Fraction) -> Decimal:
    assert value.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100)
    return Decimal(value.numerator) / Decimal(value.denominator)


# --- 1. second_home=, and first_home= deprecated -------------------------------------------

LTV = {"ltv_first_home": "80%", "ltv_second_home": "60%"}


def test_second_home_selects_the_second_home_ratio_and_defaults_to_a_first_home():
    pack = _pack(LTV)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new keyword never warns
        assert loan_quota(pack, house_price=1_000_000).amount == Decimal("800000.00")
        assert loan_quota(pack, house_price=1_000_000, second_home=False).amount == Decimal("800000.00")
        assert loan_quota(pack, house_price=1_000_000, second_home=True).amount == Decimal("600000.00")


@pytest.mark.parametrize(("first_home", "amount"), [(True, "800000.00"), (False, "600000.00")])
def test_first_home_still_works_inverted_with_a_deprecation_warning_naming_second_home(
    first_home: bool, amount: str
):
    pack = _pack(LTV)
    with pytest.warns(DeprecationWarning, match="second_home") as caught:
        result = loan_quota(pack, house_price=1_000_000, first_home=first_home)
    assert result.amount == Decimal(amount)
    assert caught[0].filename == __file__  # the warning points at the caller


@pytest.mark.parametrize("second_home", [True, False])
def test_first_home_and_second_home_together_is_an_input_error(second_home: bool):
    with pytest.raises(InputError) as info:
        loan_quota(_pack(LTV), house_price=1_000_000, second_home=second_home, first_home=True)
    assert info.value.name == "first_home"
    assert "second_home" in str(info.value)


def test_a_bad_second_home_names_it_and_an_unknown_keyword_is_a_type_error():
    with pytest.raises(InputError) as info:
        loan_quota(_pack(LTV), house_price=1, second_home="yes")  # type: ignore[arg-type]
    assert info.value.name == "second_home"
    with pytest.raises(TypeError, match="unexpected keyword argument 'frist_home'"):
        loan_quota(_pack(LTV), house_price=1, frist_home=True)  # type: ignore[call-arg]
