"""Quota forms: second_home= (first_home= deprecated), caps by household with uplifts and a
top cap, Guangzhou's balance × k + monthly contribution × months, and a quota from monthly
contributions. Every expected amount is computed by hand in the test."""

from __future__ import annotations

import warnings
from datetime import date
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
        if key in ("region_cap", "uplift") or isinstance(value, list):
            return value  # tables, or a constant's dated versions
        return {"value": value, "source": f"{SRC} {key}"}

    return parse_pack(
        {
            "pack": {"name": "forms", "title": "Forms", "effective": "undated"},
            "quota": {key: constant(key, value) for key, value in quota.items()},
        },
        origin="forms.toml",
    )


def _yuan(value: Fraction) -> Decimal:
    """An exact amount in whole fen as the Decimal the API returns."""
    assert (value * 100).denominator == 1
    return Decimal(value.numerator * 100 // value.denominator) / 100


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


# --- 2. caps by household, uplifts, a top cap ----------------------------------------------

def _uplift(share: str | None = None, amount: int | None = None, home: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"label": "an uplift", "source": SRC}
    if share is not None:
        body["share"] = {"value": share, "source": f"{SRC} share"}
    if amount is not None:
        body["amount"] = {"value": amount, "source": f"{SRC} amount"}
    if home is not None:
        body["home"] = {"value": home, "source": f"{SRC} home"}
    return body


SHENZHEN_LIKE = {
    "cap_single": 600_000,
    "cap_couple": 1_100_000,
    "top_cap_single": 1_260_000,
    "top_cap_couple": 2_310_000,
    "uplift": {
        "first_home": _uplift(share="40%"),
        "multi_child": _uplift(share="50%"),
        "green_building": _uplift(share="30%"),
    },
}


def test_a_couples_first_home_gets_the_first_home_uplift_and_the_ones_named():
    q = loan_quota(_pack(SHENZHEN_LIKE), couple=True, uplifts=["multi_child"])
    # 1,100,000 × (1 + 2/5 + 1/2) = 1,100,000 × 19/10, within the top cap 2,310,000
    assert q.amount == _yuan(Fraction(1_100_000) * Fraction(19, 10)) == Decimal("2090000.00")
    assert q.binding == "cap"
    assert q.caps_used == ("cap_couple", "top_cap_couple")
    assert [(u.name, u.value) for u in q.uplifts] == [
        ("first_home", _yuan(Fraction(1_100_000) * Fraction(2, 5))),
        ("multi_child", _yuan(Fraction(1_100_000) * Fraction(1, 2))),
    ]
    assert "within top_cap_couple" in q.limits[0].detail


def test_uplifts_past_the_top_cap_are_bounded_by_it():
    q = loan_quota(_pack(SHENZHEN_LIKE), couple=True, uplifts=["multi_child", "green_building"])
    # 1,100,000 × (1 + 0.4 + 0.5 + 0.3) = 2,420,000 > 2,310,000
    assert Fraction(1_100_000) * Fraction(22, 10) > 2_310_000
    assert q.amount == Decimal("2310000.00")
    assert "bounded by top_cap_couple 2310000.00" in q.limits[0].detail
    assert [u.name for u in q.uplifts] == ["first_home", "multi_child", "green_building"]


def test_a_single_borrowers_second_home_gets_the_single_cap_without_the_first_home_uplift():
    q = loan_quota(_pack(SHENZHEN_LIKE), couple=False, second_home=True, uplifts=["multi_child"])
    assert q.amount == _yuan(Fraction(600_000) * Fraction(3, 2)) == Decimal("900000.00")
    assert q.caps_used == ("cap_single", "top_cap_single")
    assert [u.name for u in q.uplifts] == ["multi_child"]


def test_caps_that_differ_by_household_need_couple_and_names_must_be_the_packs():
    with pytest.raises(InputError) as info:
        loan_quota(_pack(SHENZHEN_LIKE))
    assert info.value.name == "couple"
    with pytest.raises(InputError) as info:
        loan_quota(_pack(SHENZHEN_LIKE), couple=True, uplifts=["lottery"])
    assert (info.value.name, info.value.value) == ("uplifts", "lottery")
    assert "'multi_child'" in str(info.value)
    with pytest.raises(InputError) as info:
        loan_quota(_pack(SHENZHEN_LIKE), couple=True, uplifts="multi_child")  # type: ignore[arg-type]
    assert info.value.name == "uplifts"
    with pytest.raises(InputError) as info:
        loan_quota(_pack(SHENZHEN_LIKE), couple="yes")  # type: ignore[arg-type]
    assert info.value.name == "couple"


def test_uplifts_that_do_not_add_up_count_the_largest():
    pack = _pack({**SHENZHEN_LIKE, "uplift_combine": "max"})
    q = loan_quota(pack, couple=True, uplifts=["multi_child"])
    # max(440,000, 550,000) = 550,000
    assert q.amount == Decimal("1650000.00")
    assert "the largest counts" in q.limits[0].detail


BEIJING_LIKE = {
    "cap_couple": 2_400_000,
    "cap_second_home": 1_000_000,
    "top_cap_second_home": 1_400_000,
    "uplift": {"green_building": _uplift(amount=400_000, home="second")},
}


def test_an_amount_uplift_for_second_homes_only():
    pack = _pack(BEIJING_LIKE)
    second = loan_quota(pack, second_home=True, uplifts=["green_building"])
    assert second.amount == Decimal("1400000.00")  # 1,000,000 + 400,000
    assert second.caps_used == ("cap_second_home", "top_cap_second_home")
    first = loan_quota(pack, couple=True, uplifts=["green_building"])
    assert first.amount == Decimal("2400000.00")
    assert first.uplifts == ()
    assert "green_building: not for a first home" in first.limits[0].detail
    # a second home needs no household: the pack's second-home cap is one for all
    assert loan_quota(pack, second_home=True).amount == Decimal("1000000.00")


def test_the_cap_binds_with_the_other_limits_and_a_dated_cap_is_picked_by_the_day():
    pack = _pack({
        "ltv": "80%",
        "cap_couple": [
            {"value": 1_100_000, "source": f"{SRC} 2025", "effective": date(2025, 3, 24)},
            {"value": 1_300_000, "source": f"{SRC} 2026", "effective": date(2026, 4, 30)},
        ],
    })
    early = loan_quota(pack, couple=True, house_price=2_000_000, on="2026-04-29")
    late = loan_quota(pack, couple=True, house_price=2_000_000, on="2026-04-30")
    assert [(x.name, x.value) for x in early.limits] == [
        ("cap", Decimal("1100000.00")), ("loan_to_value", Decimal("1600000.00")),
    ]
    assert (early.amount, late.amount) == (Decimal("1100000.00"), Decimal("1300000.00"))
    assert late.limits[0].source == f"{SRC} 2026"
    with pytest.raises(InputError) as info:
        loan_quota(pack, couple=True, house_price=2_000_000, on="2025-03-23")
    assert info.value.name == "on"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (_uplift(share="10%", amount=1000), "quota.uplift.odd"),
        (_uplift(), "quota.uplift.odd"),
        ({**_uplift(share="10%"), "shares": 1}, "quota.uplift.odd.shares"),
    ],
)
def test_an_uplift_has_exactly_one_of_share_or_amount_and_only_its_keys(body: dict[str, Any], key: str):
    with pytest.raises(InputError) as info:
        _pack({"cap": 500_000, "uplift": {"odd": body}})
    assert info.value.name == f"forms.toml: {key}"


def test_an_uplift_name_is_a_lower_case_name():
    with pytest.raises(InputError) as info:
        _pack({"cap": 500_000, "uplift": {"Multi-Child": _uplift(share="10%")}})
    assert info.value.name == "forms.toml: quota.uplift.Multi-Child"


# --- 3. Guangzhou's form: balance × k + monthly contribution × months (× factor) --------------

GUANGZHOU_LIKE = {"formula_balance_multiple": 8, "formula_months": "to_retirement"}


def test_guangzhou_form_counts_each_persons_months_to_statutory_retirement():
    q = loan_quota(
        _pack(GUANGZHOU_LIKE), on="2026-06-01",
        balance="100000.50", monthly_contribution=3000, birth="1990-05-20", sex="male",
        spouse_balance=50_000, spouse_monthly_contribution=2000,
        spouse_birth="1992-03-10", spouse_sex="female", spouse_original_age=55,
    )
    # He (born 1990, original age 60) retires at 63 on 2053-05-20: from 2026-06-01 that is
    # 27 years less one month = 323 whole months (2026-06-01 + 323 months = 2053-05-01).
    # She (born 1992, original age 55) retires at 58 on 2050-03-10: 24 years less 3 months = 285.
    own = Fraction("100000.50") * 8 + 3000 * 323
    spouse = Fraction(50_000) * 8 + 2000 * 285
    assert q.amount == _yuan(own + spouse) == Decimal("2739004.00")
    assert q.binding == "balance_and_contributions"
    assert "323 months to retirement on 2053-05-20" in q.limits[0].detail
    assert "285 months to retirement on 2050-03-10" in q.limits[0].detail


def test_guangzhou_form_over_the_term_with_a_factor():
    pack = _pack({"formula_balance_multiple": 10, "formula_months": "term", "formula_factor": "0.5"})
    q = loan_quota(pack, balance=20_000, monthly_contribution=2500, months=240)
    assert q.amount == _yuan(Fraction(20_000) * 10 + 2500 * 240 * Fraction(1, 2)) == Decimal("500000.00")


def test_guangzhou_form_needs_the_facts_it_counts():
    pack = _pack(GUANGZHOU_LIKE)
    facts = {"on": "2026-06-01", "balance": 1000, "monthly_contribution": 100}
    for missing, name in (({"sex": "male"}, "birth"), ({"birth": "1990-01-01"}, "sex")):
        with pytest.raises(InputError) as info:
            loan_quota(pack, **facts, **missing)
        assert info.value.name == name
    with pytest.raises(InputError) as info:
        loan_quota(pack, **facts, birth="1990-01-01", sex="female")
    assert info.value.name == "original_age"
    with pytest.raises(InputError) as info:
        loan_quota(pack, **facts, birth="1990-01-01", sex="male", spouse_monthly_contribution=100)
    assert info.value.name == "spouse_birth"
    with pytest.raises(InputError) as info:
        loan_quota(pack, on="2026-06-01", monthly_contribution=100, birth="1990-01-01", sex="male")
    assert info.value.name == "balance"


def test_guangzhou_form_after_retirement_counts_the_balance_only():
    q = loan_quota(_pack(GUANGZHOU_LIKE), on="2026-06-01", balance=1000, monthly_contribution=100,
                   birth="1960-01-01", sex="male")
    assert q.amount == Decimal("8000.00")  # retired in 2020: 0 months left


# --- 4. a quota from monthly contributions --------------------------------------------------


def test_monthly_contributions_times_months_with_the_supplementary_ones_where_the_pack_counts_them():
    facts = {"monthly_contribution": 1500, "supplementary_contribution": 500,
             "spouse_monthly_contribution": 1200, "spouse_supplementary_contribution": 300}
    counted = _pack({"contribution_multiple": 240, "supplementary_included": True})
    q = loan_quota(counted, **facts)
    assert (q.amount, q.binding) == (_yuan(Fraction(1500 + 500 + 1200 + 300) * 240), "monthly_contributions")
    assert q.amount == Decimal("840000.00")
    plain = _pack({"contribution_multiple": 240})
    assert loan_quota(plain, **facts).amount == Decimal("648000.00")  # (1,500 + 1,200) × 240
    with pytest.raises(InputError) as info:
        loan_quota(plain)
    assert info.value.name == "monthly_contribution"


def test_a_first_home_cap_is_not_a_second_homes():
    only_first = _pack({"cap_first_home": 2_400_000})
    assert loan_quota(only_first).caps_used == ("cap_first_home",)
    with pytest.raises(InputError) as info:  # no cap, no other limit: nothing to compute
        loan_quota(only_first, second_home=True)
    assert info.value.name == "pack"
    both = _pack({"cap_first_home": 2_400_000, "cap": 1_000_000})
    assert loan_quota(both, second_home=True).amount == Decimal("1000000.00")
    assert loan_quota(both).amount == Decimal("2400000.00")


def test_a_pack_lists_what_its_sources_leave_out():
    head = {"name": "forms", "title": "Forms", "effective": "undated"}
    pack = parse_pack({"pack": {**head, "missing": ["quota.cap_single: not stated"]}})
    assert pack.missing == ("quota.cap_single: not stated",)
    assert parse_pack({"pack": head}).missing == ()
    with pytest.raises(InputError) as info:
        parse_pack({"pack": {**head, "missing": []}}, origin="forms.toml")
    assert info.value.name == "forms.toml: pack.missing"
