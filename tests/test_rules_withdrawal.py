"""Withdrawal caps (提取): seed figures, conditions, and never more than the balance."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules import load_pack, parse_pack, withdrawal_cap
from gjjcalc.rules.packs import Pack, Sourced, WithdrawalRules
from gjjcalc.rules.withdrawal import WITHDRAWAL_FACTS

LS = "凉山州住房公积金管理中心 网站页面 (官方网站 http://gjj.lsz.gov.cn/; undated)"

LIANGSHAN_RULES: dict[str, dict[str, dict[str, Any]]] = {
    "purchase": {
        "frequency": {
            "value": "once",
            "source": f"{LS} 部分提取 1: 职工购买、建造、翻建、大修自住住房办理一次提取手续",
        },
    },
    "repayment": {
        "frequency": {
            "value": "yearly",
            "source": f"{LS} 部分提取 2: 偿还购房贷款本息的，可每年提取; 偿还住房贷款提取住房公积金资料: 每年办理一次",
            "note": "每年 read as once a calendar year; 'every_12_months' is the other reading",
        },
        "refused_after": {
            "value": ["payoff"],
            "source": f"{LS} 部分提取 3: 一次性偿还贷款…以后年度不再提取",
        },
    },
    "payoff": {
        "refused_after": {
            "value": ["payoff"],
            "source": f"{LS} 部分提取 3: 一次性偿还贷款…以后年度不再提取",
        },
    },
    "illness": {
        "spouse_balance": {
            "value": True,
            "source": f"{LS} 部分提取 5: 可提取本人和其配偶的住房公积金缴存余额，但不超过该次疾病的医疗总费用",
        },
    },
    "rent": {
        "spouse_balance": {
            "value": True,
            "source": f"{LS} 租住住房提取住房公积金资料 3: 申请提取配偶帐户余额的提供配偶身份证和婚姻证明",
        },
    },
}
"""Liangshan's frequency and spouse rules, each with the sentence it comes from, as
``liangshan.toml`` states them under ``[withdrawal.<kind>]``."""


def _with_rules(pack: Pack, rules: dict[str, dict[str, dict[str, Any]]]) -> Pack:
    """``pack`` with withdrawal rule keys added to its data (keys it already has are kept)."""
    raw = copy.deepcopy(dict(pack.raw))
    for kind, keys in rules.items():
        table = raw.setdefault("withdrawal", {}).setdefault(kind, {})
        for key, constant in keys.items():
            table.setdefault(key, copy.deepcopy(constant))
    return dataclasses.replace(pack, raw=raw)


def _liangshan() -> Pack:
    return _with_rules(load_pack("liangshan"), LIANGSHAN_RULES)


def _bare() -> Pack:
    """Liangshan's repayment and purchase caps with no frequency rule: a base for other readings."""
    ls = load_pack("liangshan")
    keep = ("label", "source", "within_repaid", "total_within_loan", "within_price_paid", "unit")
    tables = {
        kind: {k: v for k, v in ls.raw["withdrawal"][kind].items() if k in keep}
        for kind in ("purchase", "repayment")
    }
    data = {"pack": {"name": "liangshan", "title": "Liangshan", "effective": "undated"}, "withdrawal": tables}
    return parse_pack(data, origin="liangshan.toml")


def test_liangshan_rule_constants_against_their_sources():
    pack = load_pack("liangshan")
    for kind, keys in LIANGSHAN_RULES.items():
        for key, constant in keys.items():
            stated = getattr(pack.withdrawal(kind), key)
            value = tuple(constant["value"]) if isinstance(constant["value"], list) else constant["value"]
            assert (stated.value, stated.source) == (value, constant["source"])
    sources = {(k, key): c["source"] for k, keys in LIANGSHAN_RULES.items() for key, c in keys.items()}
    assert "办理一次提取手续" in sources["purchase", "frequency"]
    assert "可每年提取" in sources["repayment", "frequency"]
    assert "每年办理一次" in sources["repayment", "frequency"]
    assert "以后年度不再提取" in sources["repayment", "refused_after"]
    assert "以后年度不再提取" in sources["payoff", "refused_after"]
    assert "可提取本人和其配偶的住房公积金缴存余额" in sources["illness", "spouse_balance"]
    assert "不超过该次疾病的医疗总费用" in load_pack("liangshan").withdrawal("illness").within_medical_costs.source
    assert "申请提取配偶帐户余额" in sources["rent", "spouse_balance"]


def test_liangshan_purchase_is_rounded_down_to_units_of_100_yuan():
    never = {"last_withdrawal": None}
    result = withdrawal_cap("liangshan", "purchase", balance=200_000, price_paid="123456.78", **never)
    assert (result.amount, result.binding) == (Decimal("123400.00"), "price_paid")
    by_balance = withdrawal_cap("liangshan", "purchase", balance="50050.50", price_paid=300_000, **never)
    assert (by_balance.amount, by_balance.binding) == (Decimal("50000.00"), "balance")
    assert withdrawal_cap(
        "liangshan", "purchase", balance="99.99", price_paid=300_000, **never
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
        last_withdrawal=None,
    )
    assert (result.amount, result.binding) == (Decimal("20000.00"), "loan_amount")
    yearly = withdrawal_cap(
        "liangshan", "repayment", balance=80_000, repaid_last_year="40349.76", loan_amount=400_000,
        last_withdrawal=None,
    )  # fmt: skip
    assert (yearly.amount, yearly.binding) == (Decimal("40349.76"), "repaid_last_year")


def test_liangshan_payoff_couple_together_within_remaining_principal_and_interest():
    result = withdrawal_cap(
        "liangshan",
        "payoff",
        balance=100_000,
        remaining_principal_and_interest="150000.40",
        spouse_withdrawal=60_000,
        last_withdrawal=None,
    )
    assert (result.amount, result.binding) == (
        Decimal("90000.40"),
        "remaining_principal_and_interest",
    )
    alone = withdrawal_cap(
        "liangshan", "payoff", balance=100_000, remaining_principal_and_interest="150000.40",
        last_withdrawal=None,
    )  # fmt: skip
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
        withdrawal_cap("liangshan", kind, balance=1000, last_withdrawal=None, **facts)
    assert info.value.name == name


def test_negative_balance_is_an_input_error():
    with pytest.raises(InputError) as info:
        withdrawal_cap("qingdao", "rent", balance=-1)
    assert info.value.name == "balance"


amounts = st.integers(min_value=0, max_value=100_000_000).map(lambda fen: f"{fen / 100:.2f}")


@st.composite
def withdrawal_cases(draw: st.DrawFn) -> tuple[Pack, str, dict[str, object]]:
    name = draw(st.sampled_from(["liangshan", "liangshan+", "qingdao", "jilin", "liuzhou"]))
    pack = _liangshan() if name == "liangshan+" else load_pack(name)
    kind = draw(st.sampled_from(pack.withdrawal_kinds))
    facts: dict[str, object] = {}
    for fact in WITHDRAWAL_FACTS:
        if fact in ("last_withdrawal_kind", "previous_withdrawals"):
            continue
        if fact in ("on", "last_withdrawal"):
            facts[fact] = draw(st.sampled_from([None, "2024-06-01"])) if fact == "last_withdrawal" else "2024-06-01"
            if facts[fact] is not None and fact == "last_withdrawal":
                facts["last_withdrawal_kind"] = draw(st.sampled_from(pack.withdrawal_kinds))
        elif fact in ("age",):
            facts[fact] = draw(st.integers(18, 90))
        elif fact == "sex":
            facts[fact] = draw(st.sampled_from(["male", "female"]))
        elif fact in ("account_sealed", "has_unsettled_loan"):
            facts[fact] = draw(st.booleans())
        elif fact in ("months_unemployed", "months_sealed"):
            facts[fact] = draw(st.integers(0, 60))
        else:
            facts[fact] = draw(amounts)
    return pack, kind, facts


@settings(max_examples=150)
@given(case=withdrawal_cases(), balance=amounts)
def test_no_withdrawal_exceeds_the_balance(case, balance):
    pack, kind, facts = case
    result = withdrawal_cap(pack, kind, balance=balance, **facts)
    spouse = Decimal(str(facts["spouse_balance"])) if "spouse_balance" in result.used_facts else 0
    assert Decimal("0") <= result.amount <= Decimal(balance) + spouse
    assert result.amount - result.spouse_amount <= Decimal(balance)
    assert all(result.amount <= limit.value for limit in result.limits if limit.name != "unit")
    assert result.amount == 0 or not result.reasons
    # every fact given is either used or ignored, never both, never neither
    assert set(result.used_facts) | set(result.ignored_facts) >= {k for k, v in facts.items() if v is not None}
    assert not set(result.used_facts) & set(result.ignored_facts)
    unit = pack.withdrawal(kind).unit
    if unit is not None:
        assert (Fraction(result.amount) / unit.value).denominator == 1


# --- the facts used and ignored ------------------------------------------------------------------


def test_medical_costs_bound_a_liangshan_illness_withdrawal():
    # 部分提取 5: 不超过该次疾病的医疗总费用 — 1,000 of costs against a 50,000 balance: 1,000
    result = withdrawal_cap(_liangshan(), "illness", balance=50_000, medical_costs=1000)
    assert (result.amount, result.binding) == (Decimal("1000.00"), "medical_costs")
    assert result.used_facts == ("balance", "medical_costs")
    assert result.ignored_facts == ()
    costs = next(limit for limit in result.limits if limit.name == "medical_costs")
    assert (costs.value, "不超过该次疾病的医疗总费用" in costs.source) == (Decimal("1000.00"), True)


def test_medical_costs_a_qingdao_illness_withdrawal_does_not_use_are_listed_as_ignored():
    # the Qingdao manual (§11.3) states no cap for an illness withdrawal: the balance binds, and the
    # costs given are reported as ignored rather than dropped
    result = withdrawal_cap("qingdao", "illness", balance="23456.78", medical_costs=1000)
    assert (result.amount, result.binding) == (Decimal("23456.78"), "balance")
    assert (result.used_facts, result.ignored_facts) == (("balance",), ("medical_costs",))
    both = withdrawal_cap("qingdao", "illness", balance="23456.78", medical_costs=1000, spouse_balance=5000)
    assert both.amount == Decimal("23456.78")
    assert both.spouse_amount == Decimal("0.00")
    assert both.ignored_facts == ("medical_costs", "spouse_balance")
    d = both.to_dict()
    assert (d["used_facts"], d["ignored_facts"]) == (["balance"], ["medical_costs", "spouse_balance"])


def test_facts_given_as_none_are_not_given_and_unknown_facts_are_errors():
    result = withdrawal_cap("qingdao", "rent", balance=10_000, medical_costs=None, price_paid=5)
    assert (result.amount, result.ignored_facts) == (Decimal("8400.00"), ("price_paid",))
    with pytest.raises(InputError) as info:
        withdrawal_cap("qingdao", "rent", balance=10_000, medical_cost=1000)
    assert info.value.name == "medical_cost"


# --- frequency rules ------------------------------------------------------------------------------


def test_liangshan_purchase_is_withdrawn_once():
    pack = _liangshan()
    first = withdrawal_cap(pack, "purchase", balance=200_000, price_paid="123456.78", last_withdrawal=None)
    assert (first.amount, first.binding) == (Decimal("123400.00"), "price_paid")
    assert first.used_facts == ("balance", "last_withdrawal", "price_paid")
    again = withdrawal_cap(
        pack, "purchase", balance=200_000, price_paid="123456.78",
        last_withdrawal="2023-05-10", last_withdrawal_kind="purchase",
    )  # fmt: skip
    assert (again.amount, again.binding, again.ok) == (Decimal("0.00"), "frequency", False)
    (reason,) = again.reasons
    assert (reason.name, reason.value) == ("frequency", "once")
    assert reason.message == "a 'purchase' withdrawal was made on 2023-05-10; the kind is withdrawn once"
    assert "办理一次提取手续" in reason.source
    assert again.used_facts == ("balance", "last_withdrawal", "last_withdrawal_kind", "price_paid")
    # a last withdrawal of another kind does not count; the whole history does
    other = withdrawal_cap(
        pack, "purchase", balance=200_000, price_paid=300_000,
        last_withdrawal="2024-01-05", last_withdrawal_kind="rent",
    )  # fmt: skip
    assert other.amount == Decimal("200000.00")
    history = [("2019-03-01", "purchase"), ("2024-01-05", "rent")]
    refused = withdrawal_cap(pack, "purchase", balance=200_000, price_paid=300_000, previous_withdrawals=history)
    assert [r.message for r in refused.reasons] == [
        "a 'purchase' withdrawal was made on 2019-03-01; the kind is withdrawn once"
    ]
    assert refused.used_facts == ("balance", "previous_withdrawals", "price_paid")


@pytest.mark.parametrize(
    ("facts", "name"),
    [
        ({}, "last_withdrawal"),
        ({"last_withdrawal": "2023-05-10"}, "last_withdrawal_kind"),
        ({"last_withdrawal": "2023-05-10", "last_withdrawal_kind": "lottery"}, "last_withdrawal_kind"),
        ({"last_withdrawal": "2023-13-10", "last_withdrawal_kind": "rent"}, "last_withdrawal"),
        ({"previous_withdrawals": "2023-05-10"}, "previous_withdrawals"),
        ({"previous_withdrawals": [("2023-05-10",)]}, "previous_withdrawals[0]"),
        ({"previous_withdrawals": [("2023-05-10", "rent"), ("x", "rent")]}, "previous_withdrawals[1][0]"),
    ],
)
def test_a_frequency_rule_needs_the_earlier_withdrawals(facts, name):
    with pytest.raises(InputError) as info:
        withdrawal_cap(_liangshan(), "purchase", balance=1000, price_paid=1000, **facts)
    assert info.value.name == name


REPAYMENT = {"balance": 80_000, "repaid_last_year": "40349.76", "loan_amount": 400_000}


def test_liangshan_repayment_is_withdrawn_once_a_calendar_year_within_what_was_repaid():
    pack = _liangshan()
    # the last one in December 2023, this one in June 2024: a new year, within the 40,349.76 repaid
    allowed = withdrawal_cap(
        pack, "repayment", **REPAYMENT, on="2024-06-01",
        last_withdrawal="2023-12-20", last_withdrawal_kind="repayment",
    )  # fmt: skip
    assert (allowed.amount, allowed.binding) == (Decimal("40349.76"), "repaid_last_year")
    # on (given) also picks the constants in force, so it is read first
    assert allowed.used_facts == (
        "balance", "on", "last_withdrawal", "last_withdrawal_kind",
        "repaid_last_year", "loan_amount", "withdrawn_for_loan",
    )  # fmt: skip
    # already one in January 2024: refused, with the rule's source
    refused = withdrawal_cap(
        pack, "repayment", **REPAYMENT, on="2024-06-01",
        last_withdrawal="2024-01-15", last_withdrawal_kind="repayment",
    )  # fmt: skip
    assert (refused.amount, refused.binding) == (Decimal("0.00"), "frequency")
    assert [(r.value, r.message) for r in refused.reasons] == [
        ("yearly", "a 'repayment' withdrawal is allowed once a calendar year, and one was made on 2024-01-15")
    ]
    assert "每年办理一次" in refused.reasons[0].source
    with pytest.raises(RuleViolation) as info:
        withdrawal_cap(
            pack, "repayment", **REPAYMENT, on="2024-06-01", enforce=True,
            last_withdrawal="2024-01-15", last_withdrawal_kind="repayment",
        )  # fmt: skip
    assert info.value.reasons == refused.reasons
    # the date of this withdrawal is needed once there is an earlier one, and must not precede it
    with pytest.raises(InputError) as missing:
        withdrawal_cap(pack, "repayment", **REPAYMENT, last_withdrawal="2024-01-15", last_withdrawal_kind="repayment")
    assert missing.value.name == "on"
    with pytest.raises(InputError) as later:
        withdrawal_cap(
            pack, "repayment", **REPAYMENT, on="2024-06-01",
            last_withdrawal="2024-07-01", last_withdrawal_kind="repayment",
        )  # fmt: skip
    assert later.value.name == "last_withdrawal"
    # never withdrawn: no date needed
    first = withdrawal_cap(pack, "repayment", **REPAYMENT, last_withdrawal=None)
    assert first.amount == Decimal("40349.76")


def test_no_liangshan_repayment_or_payoff_withdrawal_after_a_one_off_payoff():
    pack = _liangshan()
    after = withdrawal_cap(pack, "repayment", **REPAYMENT, previous_withdrawals=[("2023-03-01", "payoff")])
    assert (after.amount, after.binding) == (Decimal("0.00"), "refused_after")
    (reason,) = after.reasons
    assert (reason.value, reason.message) == (
        ("payoff",),
        "a 'payoff' withdrawal was made on 2023-03-01; no 'repayment' withdrawal after it",
    )
    assert "以后年度不再提取" in reason.source
    payoff = withdrawal_cap(
        pack, "payoff", balance=100_000, remaining_principal_and_interest=150_000,
        last_withdrawal="2022-05-01", last_withdrawal_kind="payoff",
    )  # fmt: skip
    assert [r.name for r in payoff.reasons] == ["refused_after"]
    # a repayment this year and a payoff since: both rules refuse, the first binds
    both = withdrawal_cap(
        pack, "repayment", **REPAYMENT, on="2024-06-01",
        previous_withdrawals=[("2024-02-01", "repayment"), ("2024-03-01", "payoff")],
    )  # fmt: skip
    assert ([r.name for r in both.reasons], both.binding) == (["frequency", "refused_after"], "frequency")
    # payoff once, with no payoff before: within the remaining principal and interest
    first = withdrawal_cap(
        pack, "payoff", balance=100_000, remaining_principal_and_interest="150000.40",
        spouse_withdrawal=60_000, previous_withdrawals=[("2023-12-20", "repayment")],
    )  # fmt: skip
    assert (first.amount, first.binding) == (Decimal("90000.40"), "remaining_principal_and_interest")


@pytest.mark.parametrize(
    ("on", "last", "ok"),
    [
        ("2024-06-01", "2023-12-20", False),
        ("2024-06-01", "2023-06-02", False),
        ("2024-06-01", "2023-06-01", True),
        ("2024-02-29", "2023-03-01", False),
        ("2024-02-29", "2023-02-28", True),
    ],
)
def test_every_12_months_is_the_other_reading_a_pack_may_choose(on, last, ok):
    reading = {"frequency": {"value": "every_12_months", "source": "https://example.invalid/reading"}}
    pack = _with_rules(_bare(), {"repayment": reading})
    result = withdrawal_cap(
        pack, "repayment", **REPAYMENT, on=on, last_withdrawal=last, last_withdrawal_kind="repayment"
    )
    assert result.ok is ok
    assert result.amount == (Decimal("40349.76") if ok else Decimal("0.00"))
    if not ok:
        assert result.reasons[0].message == (
            f"a 'repayment' withdrawal is allowed once in 12 months, and one was made on {last}"
        )


@pytest.mark.parametrize(
    ("rules", "key"),
    [
        ({"frequency": {"value": "monthly", "source": "x"}}, "frequency.value"),
        ({"frequency": {"value": "once"}}, "frequency.source"),
        ({"frequency": "once"}, "frequency"),
        ({"frequency": {"value": "once", "source": "x", "since": 1}}, "frequency.since"),
        ({"refused_after": {"value": ["lottery"], "source": "x"}}, "refused_after.value[0]"),
        ({"refused_after": {"value": [], "source": "x"}}, "refused_after.value"),
        ({"spouse_balance": {"value": "yes", "source": "x"}}, "spouse_balance.value"),
    ],
)
def test_bad_rule_keys_name_the_pack_and_the_key(rules, key):
    pack = _with_rules(_bare(), {"purchase": rules})
    with pytest.raises(InputError) as info:
        withdrawal_cap(pack, "purchase", balance=1000, price_paid=1000, last_withdrawal=None)
    assert info.value.name == f"liangshan.toml: withdrawal.purchase.{key}"


# --- spouse balances ------------------------------------------------------------------------------


def test_a_liangshan_illness_withdrawal_may_take_the_spouse_balance():
    pack = _liangshan()
    # 30,000 own + 25,000 spouse's, costs 50,000: the costs bind; 20,000 comes from the spouse
    result = withdrawal_cap(pack, "illness", balance=30_000, spouse_balance=25_000, medical_costs=50_000)
    assert (result.amount, result.binding, result.spouse_amount) == (
        Decimal("50000.00"), "medical_costs", Decimal("20000.00"),
    )  # fmt: skip
    balance = result.limits[0]
    assert (balance.name, balance.value) == ("balance", Decimal("55000.00"))
    assert balance.detail == "the employee's balance 30000.00 and the spouse's 25000.00"
    assert "可提取本人和其配偶的住房公积金缴存余额" in balance.source
    # costs of 80,000: both balances, 55,000, bind
    big = withdrawal_cap(pack, "illness", balance=30_000, spouse_balance=25_000, medical_costs=80_000)
    assert (big.amount, big.binding, big.spouse_amount) == (Decimal("55000.00"), "balance", Decimal("25000.00"))
    assert result.used_facts == ("balance", "spouse_balance", "medical_costs")
    # no spouse balance given: the employee's alone, the limit as for any balance
    alone = withdrawal_cap(pack, "illness", balance=30_000, medical_costs=80_000)
    assert (alone.amount, alone.spouse_amount) == (Decimal("30000.00"), Decimal("0.00"))
    assert (alone.limits[0].value, alone.limits[0].detail) == (Decimal("30000.00"), "the account balance")
    assert alone.used_facts == ("balance", "medical_costs")


def test_a_liangshan_rent_withdrawal_may_take_the_spouse_balance():
    # 24,000 rent − 15% × 100,000 income = 9,000; own 5,000, so 4,000 from the spouse's 10,000
    result = withdrawal_cap(
        _liangshan(), "rent", balance=5000, spouse_balance=10_000, annual_rent=24_000, annual_household_income=100_000
    )
    assert (result.amount, result.binding, result.spouse_amount) == (
        Decimal("9000.00"), "rent_above_income_share", Decimal("4000.00"),
    )  # fmt: skip


def test_a_spouse_balance_is_ignored_where_the_pack_does_not_allow_it():
    # Liangshan's purchase rule takes the employee's balance only (units of 100 yuan)
    result = withdrawal_cap(
        _liangshan(), "purchase", balance="50050.50", price_paid=300_000, spouse_balance=40_000, last_withdrawal=None
    )
    assert (result.amount, result.binding, result.spouse_amount) == (
        Decimal("50000.00"), "balance", Decimal("0.00"),
    )  # fmt: skip
    assert result.ignored_facts == ("spouse_balance",)


# --- kinds a pack declares ------------------------------------------------------------------------

DEMO = "https://example.invalid/withdrawals"


def _demo_pack() -> Pack:
    """A pack with a built-in kind (rent) and a kind of its own (property_fee, yearly, 3,000)."""
    base = parse_pack({
        "pack": {"name": "demo", "title": "Demo center", "effective": "undated"},
        "withdrawal": {"rent": {"label": "租房", "source": DEMO, "fixed_amount": {"value": 6000, "source": DEMO}}},
    })  # fmt: skip
    fee = WithdrawalRules(
        kind="property_fee", label="支付物业费", source=DEMO, effective=None,
        fixed_amount=Sourced(value=Fraction(3000), source=DEMO, effective=None),
    )  # fmt: skip
    raw = copy.deepcopy(dict(base.raw))
    raw["withdrawal"]["property_fee"] = {
        "label": "支付物业费", "source": DEMO,
        "fixed_amount": {"value": 3000, "source": DEMO},
        "frequency": {"value": "yearly", "source": DEMO},
    }  # fmt: skip
    return dataclasses.replace(base, withdrawals=(*base.withdrawals, fee), raw=raw)


def test_a_kind_a_pack_declares_works_with_its_rules_and_the_built_in_kinds_keep_working():
    pack = _demo_pack()
    assert pack.withdrawal_kinds == ("rent", "property_fee")
    fee = withdrawal_cap(pack, "property_fee", balance=10_000, last_withdrawal=None)
    assert (fee.amount, fee.binding, fee.ok) == (Decimal("3000.00"), "fixed_amount", True)
    again = withdrawal_cap(
        pack, "property_fee", balance=10_000, on="2024-09-01",
        last_withdrawal="2024-03-01", last_withdrawal_kind="property_fee",
    )  # fmt: skip
    assert (again.amount, again.binding) == (Decimal("0.00"), "frequency")
    rent = withdrawal_cap(pack, "rent", balance=10_000, last_withdrawal=None)
    assert (rent.amount, rent.binding, rent.ignored_facts) == (Decimal("6000.00"), "fixed_amount", ("last_withdrawal",))
    with pytest.raises(InputError) as info:
        withdrawal_cap(pack, "lottery", balance=10_000)
    assert info.value.name == "kind"


PACK_FILE = """\
[pack]
name = "demo"
title = "Demo center"
effective = "undated"

[withdrawal.property_fee]
label = "支付物业费"
source = "https://example.invalid/withdrawals"
fixed_amount = { value = 3000, source = "https://example.invalid/withdrawals" }
frequency = { value = "yearly", source = "https://example.invalid/withdrawals" }
"""


def test_a_kind_declared_in_a_pack_file_works(tmp_path: Path):
    path = tmp_path / "demo.toml"
    path.write_text(PACK_FILE, encoding="utf-8")
    pack = load_pack(path)
    fee = withdrawal_cap(pack, "property_fee", balance=10_000, last_withdrawal=None)
    assert (fee.amount, fee.binding) == (Decimal("3000.00"), "fixed_amount")
    again = withdrawal_cap(
        pack, "property_fee", balance=10_000, on="2024-09-01",
        last_withdrawal="2024-03-01", last_withdrawal_kind="property_fee",
    )  # fmt: skip
    assert again.binding == "frequency"
    assert again.used_facts == ("balance", "on", "last_withdrawal", "last_withdrawal_kind")
    # the built-in kinds and the pack's own kind side by side in one file
    both = tmp_path / "both.toml"
    both.write_text(PACK_FILE + '\n[withdrawal.rent]\nlabel = "租房"\nsource = "https://example.invalid/rent"\n'
                    'fixed_amount = { value = 6000, source = "https://example.invalid/rent" }\n', encoding="utf-8")
    mixed = load_pack(both)
    assert mixed.withdrawal_kinds == ("property_fee", "rent")
    assert withdrawal_cap(mixed, "rent", balance=10_000).amount == Decimal("6000.00")
    # a kind name that is not a lower-case identifier is refused, naming the file and the table
    bad = tmp_path / "bad.toml"
    bad.write_text(PACK_FILE.replace("[withdrawal.property_fee]", '[withdrawal."Property Fee"]'), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_pack(bad)
    assert "withdrawal" in info.value.name


def test_on_picks_the_withdrawal_constants_in_force():
    versions = [
        {"value": 8400, "source": f"{DEMO}/2020", "effective": date(2020, 1, 1)},
        {"value": 9600, "source": f"{DEMO}/2025", "effective": date(2025, 1, 1)},
    ]
    pack = parse_pack({
        "pack": {"name": "demo", "title": "Demo center", "effective": "undated"},
        "withdrawal": {"rent": {"label": "租房", "source": DEMO, "fixed_amount": versions}},
    })  # fmt: skip
    before = withdrawal_cap(pack, "rent", balance=20_000, on="2024-12-31")
    after = withdrawal_cap(pack, "rent", balance=20_000, on="2025-01-01")
    assert (before.amount, before.limits[1].source) == (Decimal("8400.00"), f"{DEMO}/2020")
    assert (after.amount, after.limits[1].source) == (Decimal("9600.00"), f"{DEMO}/2025")
    assert after.used_facts == ("balance", "on")
