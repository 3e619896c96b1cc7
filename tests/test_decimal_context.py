"""Results never depend on the caller's decimal context: a notebook that set ``getcontext().prec
= 3`` (or another rounding, or every trap) gets the same figures to the fen."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import Any

import pytest

import gjjcalc
from gjjcalc.account import Account, contribution, offset_plan
from gjjcalc.loan import Loan
from gjjcalc.rules import loan_quota, withdrawal_cap

HOSTILE = [
    decimal.Context(prec=3, rounding=decimal.ROUND_DOWN),
    decimal.Context(prec=5, rounding=decimal.ROUND_CEILING, traps=[decimal.Inexact, decimal.Rounded]),
]


def _loan() -> Loan:
    return Loan(690000, None, 300, released="2015-08-28", markup="10%", pack="jilin")


CALLS: dict[str, Callable[[], Any]] = {
    "payment": lambda: gjjcalc.payment(690000, "3.25%", 300),
    "schedule": lambda: (lambda s: (s.payment, s.principal, s.interest, s.balance, s.rate, s.total_interest,
                                    s.total_payment, s.annual_rate, s.loan))(
        gjjcalc.equal_installment(1000000, "3.1%", 360, first_due="2024-02-15")),
    "equal_principal": lambda: gjjcalc.equal_principal(123456.78, "3.1234567%", 120).total_interest,
    "state": lambda: _loan().state_on("2018-01-09"),
    "prepay": lambda: _loan().prepay(amount=10000, on="2018-01-09", mode="lower_payment")[0],
    "payoff": lambda: _loan().payoff(on="2018-01-10"),
    "change_term": lambda: _loan().change_term(on="2018-01-10", remaining_months=200)[0],
    "scalar prepay": lambda: gjjcalc.prepay(balance=646609.84, annual_rate="3.1234567%", remaining_months=272,
                                            amount=10000, on="2018-01-09", interest_from="2017-12-29",
                                            mode="shorten_term"),
    "combination": lambda: gjjcalc.combination(
        Loan(300000, "3.1%", 120, released="2024-03-01"),
        gjjcalc.commercial_loan(200000, 120, released="2024-03-01", spread_bp=-20)).total_payment,
    "quota": lambda: loan_quota("liangshan", area="西昌市", house_price=700_000).amount,
    "withdrawal": lambda: withdrawal_cap("liangshan", "illness", balance=50000, medical_costs=1234.56).amount,
    "contribution": lambda: contribution(7654.32, "7%", "12%"),
    "offset": lambda: offset_plan(Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin"),
                                  Account("2018-01-01", 10000).monthly_deposits(2000, "2018-01-15"),
                                  start="2018-01-28", until="2020-01-28").rows[-1],
    "combination loan": lambda: gjjcalc.combination(
        Loan(300000, "3.1%", 120, released="2024-03-01"),
        gjjcalc.commercial_loan(200000, 120, released="2024-03-01")).loan,
    "rate": lambda: gjjcalc.rules.provident_rate("2015-08-28", 300),
}


@pytest.mark.parametrize("context", HOSTILE, ids=["prec3-down", "prec5-ceiling-traps"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_callers_decimal_context_changes_nothing(name: str, context: decimal.Context) -> None:
    expected = CALLS[name]()
    with decimal.localcontext(context):
        got = CALLS[name]()
    assert repr(got) == repr(expected)
