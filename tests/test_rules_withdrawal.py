"""Withdrawal caps (提取): seed figures, conditions, and never more than the balance."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules import load_pack, withdrawal_cap
from gjjcalc.rules.withdrawal import FACTS


def test_liangshan_purchase_is_rounded_down_to_units_of_100_yuan():
    result = withdrawal_cap("liangshan", "purchase", balance=200_000, price_paid="123456.78")
    assert (result.amount, result.binding) == (Decimal("123400.00"), "price_paid")
    by_balance = withdrawal_cap("liangshan", "purchase", balance="50050.50", price_paid=300_000)
    assert (by_balance.amount, by_balance.binding) == (Decimal("50000.00"), "balance")
    assert withdrawal_cap(
        "liangshan", "purchase", balance="99.99", price_paid=300_000
    ).amount == Decimal("0.00")
    unit = next(limit for limit in result.limits if limit.name == "unit")
    assert "以百元为单位" in unit.source


def test_liangshan_rent_is_the_part_above_15_percent_of_household_income():
    # 24,000 rent − 15% × 100,000 income = 24,000 − 15,000 = 9,000
    result = withdrawal_cap(
        "liangshan", "rent", balance=30_000, annual_rent=24_000, annual_household_income=100_000
    )
    assert (result.amount, result.binding) == (Decimal("9000.00"), "rent_above_income_share")
    assert "15%" in result.limits[1].source
    # 36,000 rent on 80,000 income: 36,000 − 12,000 = 24,000, but only 20,000.50 in the account
    capped = withdrawal_cap(
        "liangshan", "rent", balance="20000.50", annual_rent=36_000, annual_household_income=80_000
    )
    assert (capped.amount, capped.binding) == (Decimal("20000.50"), "balance")
    # rent below 15% of income: nothing to withdraw
    none = withdrawal_cap(
        "liangshan", "rent", balance=30_000, annual_rent=12_000, annual_household_income=100_000
    )
    assert none.amount == Decimal("0.00")
    # a fractional share is floored to the fen: 10,000.01 − 0.15 × 66,666.67 = 0.0095 → 0.00
    tiny = withdrawal_cap(
        "liangshan",
        "rent",
        balance=1000,
        annual_rent="10000.01",
        annual_household_income="66666.67",
    )
    assert tiny.amount == Decimal("0.00")


def test_qingdao_rent_is_the_fixed_8400():
    result = withdrawal_cap("qingdao", "rent", balance=50_000)
    assert (result.amount, result.binding) == (Decimal("8400.00"), "fixed_amount")
    assert "定额8400" in result.limits[1].source
    assert withdrawal_cap("qingdao", "rent", balance="3210.98").amount == Decimal("3210.98")


def test_liangshan_repayment_is_within_what_was_repaid_and_the_loan_total():
    result = withdrawal_cap(
        "liangshan",
        "repayment",
        balance=80_000,
        repaid_last_year="40349.76",
        loan_amount=400_000,
        withdrawn_for_loan=380_000,
    )
    assert (result.amount, result.binding) == (Decimal("20000.00"), "loan_amount")
    yearly = withdrawal_cap(
        "liangshan", "repayment", balance=80_000, repaid_last_year="40349.76", loan_amount=400_000
    )
    assert (yearly.amount, yearly.binding) == (Decimal("40349.76"), "repaid_last_year")


def test_liangshan_payoff_couple_together_within_remaining_principal_and_interest():
    result = withdrawal_cap(
        "liangshan",
        "payoff",
        balance=100_000,
        remaining_principal_and_interest="150000.40",
        spouse_withdrawal=60_000,
    )
    assert (result.amount, result.binding) == (
        Decimal("90000.40"),
        "remaining_principal_and_interest",
    )
    alone = withdrawal_cap(
        "liangshan", "payoff", balance=100_000, remaining_principal_and_interest="150000.40"
    )
    assert (alone.amount, alone.binding) == (Decimal("100000.00"), "balance")


def test_liangshan_illness_and_disaster_are_within_costs():
    ill = withdrawal_cap("liangshan", "illness", balance=100_000, medical_costs="45678.90")
    assert (ill.amount, ill.binding) == (Decimal("45678.90"), "medical_costs")
    storm = withdrawal_cap("liangshan", "disaster", balance="12000.00", costs=30_000)
    assert (storm.amount, storm.binding) == (Decimal("12000.00"), "balance")


@pytest.mark.parametrize(
    ("sex", "age", "ok"),
    [("male", 60, True), ("male", 59, False), ("female", 55, True), ("female", 54, False)],
)
def test_jilin_retirement_ages_are_60_for_men_and_55_for_women(sex, age, ok):
    result = withdrawal_cap(
        "jilin", "retirement", balance="24902.73", age=age, sex=sex, account_sealed=True
    )
    assert result.ok is ok
    assert result.amount == (Decimal("24902.73") if ok else Decimal("0.00"))
    assert result.closes_account
    if not ok:
        assert result.binding == "retirement_age"
        assert result.reasons[0].value == (60 if sex == "male" else 55)


def test_jilin_retirement_needs_a_sealed_account():
    result = withdrawal_cap(
        "jilin", "retirement", balance="24902.73", age=61, sex="male", account_sealed=False
    )
    assert (result.amount, result.binding) == (Decimal("0.00"), "account_sealed")
    with pytest.raises(RuleViolation) as info:
        withdrawal_cap(
            "jilin",
            "retirement",
            balance="24902.73",
            age=61,
            sex="male",
            account_sealed=False,
            enforce=True,
        )
    assert [r.name for r in info.value.reasons] == ["account_sealed"]


def test_liangshan_full_withdrawal_needs_the_loan_settled_and_then_takes_the_whole_balance():
    settled = withdrawal_cap(
        "liangshan", "retirement", balance="88888.88", account_sealed=True, has_unsettled_loan=False
    )
    assert (settled.amount, settled.binding, settled.closes_account) == (
        Decimal("88888.88"),
        "balance",
        True,
    )
    owing = withdrawal_cap(
        "liangshan", "retirement", balance="88888.88", account_sealed=True, has_unsettled_loan=True
    )
    assert (owing.amount, owing.binding) == (Decimal("0.00"), "loan_settled")


def test_unemployment_thresholds_liangshan_more_than_a_year_qingdao_two_years():
    base = {"balance": 5000, "account_sealed": True, "has_unsettled_loan": False}
    assert not withdrawal_cap("liangshan", "unemployed", months_unemployed=12, **base).ok
    assert withdrawal_cap("liangshan", "unemployed", months_unemployed=13, **base).ok
    assert not withdrawal_cap("qingdao", "unemployed", balance=5000, months_unemployed=23).ok
    assert withdrawal_cap("qingdao", "unemployed", balance=5000, months_unemployed=24).ok


def test_qingdao_nonlocal_departure_needs_half_a_year_sealed():
    assert not withdrawal_cap(
        "qingdao", "nonlocal_departure", balance=5000, account_sealed=True, months_sealed=5
    ).ok
    assert withdrawal_cap(
        "qingdao", "nonlocal_departure", balance=5000, account_sealed=True, months_sealed=6
    ).amount == Decimal("5000.00")


def test_a_kind_the_pack_does_not_name_is_an_input_error():
    with pytest.raises(InputError) as info:
        withdrawal_cap("jilin", "rent", balance=1000, annual_rent=1, annual_household_income=1)
    assert info.value.name == "kind"


@pytest.mark.parametrize(
    ("kind", "facts", "name"),
    [
        ("purchase", {}, "price_paid"),
        ("purchase", {"price_paid": -1}, "price_paid"),
        ("purchase", {"price_paid": 1, "colour": "red"}, "colour"),
        ("rent", {"annual_rent": 1000}, "annual_household_income"),
        ("retirement", {"account_sealed": "yes", "has_unsettled_loan": False}, "account_sealed"),
        (
            "unemployed",
            {"account_sealed": True, "has_unsettled_loan": False, "months_unemployed": 1.5},
            "months_unemployed",
        ),
    ],
)
def test_missing_or_bad_facts_name_the_fact(kind, facts, name):
    with pytest.raises(InputError) as info:
        withdrawal_cap("liangshan", kind, balance=1000, **facts)
    assert info.value.name == name


def test_negative_balance_is_an_input_error():
    with pytest.raises(InputError) as info:
        withdrawal_cap("qingdao", "rent", balance=-1)
    assert info.value.name == "balance"


amounts = st.integers(min_value=0, max_value=100_000_000).map(lambda fen: f"{fen / 100:.2f}")


@st.composite
def withdrawal_cases(draw: st.DrawFn) -> tuple[str, str, dict[str, object]]:
    name = draw(st.sampled_from(["liangshan", "qingdao", "jilin", "liuzhou"]))
    pack = load_pack(name)
    kind = draw(st.sampled_from(pack.withdrawal_kinds))
    facts: dict[str, object] = {}
    for fact in FACTS:
        if fact in ("age",):
            facts[fact] = draw(st.integers(18, 90))
        elif fact == "sex":
            facts[fact] = draw(st.sampled_from(["male", "female"]))
        elif fact in ("account_sealed", "has_unsettled_loan"):
            facts[fact] = draw(st.booleans())
        elif fact in ("months_unemployed", "months_sealed"):
            facts[fact] = draw(st.integers(0, 60))
        else:
            facts[fact] = draw(amounts)
    return name, kind, facts


@settings(max_examples=120)
@given(case=withdrawal_cases(), balance=amounts)
def test_no_withdrawal_exceeds_the_balance(case, balance):
    name, kind, facts = case
    result = withdrawal_cap(name, kind, balance=balance, **facts)
    assert Decimal("0") <= result.amount <= Decimal(balance)
    assert all(result.amount <= limit.value for limit in result.limits if limit.name != "unit")
    assert result.amount == 0 or not result.reasons
    unit = load_pack(name).withdrawal(kind).unit
    if unit is not None:
        assert (Fraction(result.amount) / unit.value).denominator == 1
