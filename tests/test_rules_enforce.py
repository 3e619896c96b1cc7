"""Enforcing a pack's prepayment and payoff rules from Loan and the single-loan functions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import gjjcalc
from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules import check_prepayment

# The deprecated rule keywords of gjjcalc.prepay / payoff are exercised here on purpose
# (tests/test_vocabulary.py checks that they warn).
pytestmark = pytest.mark.filterwarnings(r"ignore:gjjcalc\.(prepay|payoff)\(:DeprecationWarning")

SEED = {"released": "2015-08-28", "first_due": "2015-09-28"}


def _names(err: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [r.name for r in err.value.reasons]  # type: ignore[attr-defined]


def test_seed_loan_passes_jilin_rules_with_the_centers_own_figures():
    loan = gjjcalc.Loan(690000, "3.25%", 300, pack="jilin", enforce=True, **SEED)
    r, _ = loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term", at="10:00")
    assert (r.interest, r.remaining_months) == (Decimal("10.83"), 266)
    r, _ = loan.prepay(amount=10000, on="2018-01-09", mode="lower_payment", at="09:00")
    assert (r.interest, r.payment) == (Decimal("9.93"), Decimal("3310.48"))
    assert loan.payoff(on="2018-01-10", at="15:59").total == Decimal("647310.33")


def test_loan_prepay_refuses_an_amount_that_is_not_a_multiple_of_1000():
    loan = gjjcalc.Loan(690000, "3.25%", 300, pack="jilin", **SEED)
    with pytest.raises(RuleViolation) as err:
        loan.prepay(amount=10500, on="2018-01-10", mode="shorten_term", enforce=True)
    assert _names(err) == ["multiple"]
    assert err.value.reasons[0].value == Decimal("1000.00")  # type: ignore[attr-defined]
    # the same request without enforcement is computed
    r, _ = loan.prepay(amount=10500, on="2018-01-10", mode="shorten_term")
    assert r.amount == Decimal("10500.00")


def test_loan_level_enforce_is_the_default_and_a_call_can_override_it():
    loan = gjjcalc.Loan(690000, "3.25%", 300, pack="jilin", enforce=True, **SEED)
    with pytest.raises(RuleViolation):
        loan.prepay(amount=10500, on="2018-01-10", mode="shorten_term")
    r, after = loan.prepay(amount=10500, on="2018-01-10", mode="shorten_term", enforce=False)
    assert r.amount == Decimal("10500.00")
    assert after.enforce is True  # the loan after the event keeps the policy


@pytest.mark.parametrize(
    ("on", "at", "names"),
    [
        ("2018-01-02", None, ["blackout"]),  # 30 Dec - 3 Jan; also a working Tuesday
        ("2017-12-30", None, ["working_day", "blackout"]),  # a Saturday in the blackout
        ("2018-02-28", None, ["due_day"]),
        ("2018-02-27", None, ["day_before_due"]),
        ("2018-01-10", "09:59", ["hours"]),
        ("2018-01-10", "16:00", ["hours"]),
        ("2018-01-13", None, ["working_day"]),  # Saturday
    ],
)
def test_loan_payoff_refusals_name_the_jilin_rule(on, at, names):
    loan = gjjcalc.Loan(690000, "3.25%", 300, pack="jilin", enforce=True, **SEED)
    with pytest.raises(RuleViolation) as err:
        loan.payoff(on=on, at=at)
    assert _names(err) == names


def test_enforce_without_a_pack_is_an_input_error_naming_it():
    with pytest.raises(InputError, match="enforce"):
        gjjcalc.Loan(690000, "3.25%", 300, enforce=True, **SEED)
    loan = gjjcalc.Loan(690000, "3.25%", 300, **SEED)
    with pytest.raises(InputError, match="enforce=True"):
        loan.payoff(on="2018-01-10", enforce=True)
    with pytest.raises(InputError, match="enforce=True"):
        gjjcalc.payoff(
            balance=1000, annual_rate=0.03, on="2018-01-10", interest_from="2018-01-01", enforce=True
        )


def test_standalone_prepay_enforces_qingdao_multiple_and_balance_floor():
    common = {
        "annual_rate": "3.1%", "remaining_months": 120, "on": "2024-03-01",
        "interest_from": "2024-02-21", "mode": "lower_payment", "pack": "qingdao", "enforce": True,
    }
    r = gjjcalc.prepay(balance=200000, amount=20000, **common)  # type: ignore[arg-type]
    assert r.new_balance == Decimal("180000.00")
    with pytest.raises(RuleViolation) as err:
        gjjcalc.prepay(balance=200000, amount=15000, **common)  # type: ignore[arg-type]
    assert _names(err) == ["multiple"]
    with pytest.raises(RuleViolation) as err:
        gjjcalc.prepay(balance="9800.50", amount=0.5, **common)  # type: ignore[arg-type]
    assert _names(err) == ["multiple", "balance_above"]


def test_qingdao_payoff_is_computed_for_a_date_within_one_year_only():
    common = {
        "balance": 100000, "annual_rate": "3.1%", "interest_from": "2024-02-21",
        "pack": "qingdao", "today": "2024-03-01", "enforce": True,
    }
    q = gjjcalc.payoff(on="2025-03-01", **common)  # type: ignore[arg-type]
    assert q.days == 374
    with pytest.raises(RuleViolation) as err:
        gjjcalc.payoff(on="2025-03-02", **common)  # type: ignore[arg-type]
    assert _names(err) == ["months_ahead"]
    assert err.value.reasons[0].value == 12  # type: ignore[attr-defined]
    assert "一年内" in err.value.reasons[0].source  # type: ignore[attr-defined]
    with pytest.raises(RuleViolation, match="before 2024-03-01"):
        gjjcalc.payoff(on="2024-02-29", **common)  # type: ignore[arg-type]
    # without today the rule cannot be judged: the fact is required, as due_day is for jilin
    with pytest.raises(InputError, match="today=None"):
        check_prepayment("qingdao", kind="payoff", on="2030-01-01")
    with pytest.raises(InputError, match="today=None"):
        gjjcalc.Loan(100000, "3.1%", 120, released="2024-01-01", pack="qingdao", enforce=True).payoff(
            on="2030-03-02"
        )
    assert "months_ahead" in check_prepayment("qingdao", kind="payoff", on="2024-03-01", today="2024-03-01").checked


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(-400, 800))
def test_qingdao_window_is_exactly_today_to_one_year_ahead(today, offset):
    on = today + timedelta(days=offset)
    result = check_prepayment("qingdao", kind="payoff", on=on, today=today)
    assert result.ok is (today <= on <= today + relativedelta(months=12))


@given(st.integers(1, 60).map(lambda k: k * 1000), st.integers(0, 999))
def test_loan_enforce_agrees_with_check_prepayment(thousands, extra):
    amount = thousands + extra
    loan = gjjcalc.Loan(690000, "3.25%", 300, pack="jilin", **SEED)
    expected = check_prepayment("jilin", kind="partial", amount=amount, balance="646609.84", on="2018-01-10")
    if expected.ok:
        loan.prepay(amount=amount, on="2018-01-10", mode="shorten_term", enforce=True)
    else:
        with pytest.raises(RuleViolation) as err:
            loan.prepay(amount=amount, on="2018-01-10", mode="shorten_term", enforce=True)
        assert err.value.reasons == expected.reasons  # type: ignore[attr-defined]


def test_an_unknown_pack_is_an_input_error_even_without_enforce():
    with pytest.raises(InputError, match="pack"):
        gjjcalc.payoff(balance=1000, annual_rate=0.03, on="2018-01-10", interest_from="2018-01-01",
                       pack="nosuch")
    with pytest.raises(InputError, match="pack"):
        gjjcalc.prepay(balance=1000, annual_rate=0.03, remaining_months=12, amount=100,
                       on="2018-01-10", interest_from="2018-01-01", mode="lower_payment", pack="nosuch")
