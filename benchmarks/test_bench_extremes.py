"""The slowest accepted single-loan calls, beside an ordinary loan in the same run.

The issue's bound: no call on one loan takes more than 50 ms for any accepted input. The
extremes are the largest amount (9,999,999,999.99), the longest term (600 months) and rates
with the most decimal places allowed (12), under every convention; ``exact`` equal
installment is the costly one (its balances are exact rationals whose denominators grow by
the monthly rate's every period). ``tests/test_extremes.py`` checks the same calls' answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import gjjcalc
from gjjcalc.loan import RateChange

TOP = "9999999999.99"
RATE = "0.032512345678"
ROUNDS = {"rounds": 5, "iterations": 1, "warmup_rounds": 1}


def _history(convention: str) -> gjjcalc.Loan:
    return gjjcalc.Loan(TOP, RATE, 600, released="2020-01-15", convention=convention,
                        events=[RateChange("2021-01-01", "0.031234567891"),
                                RateChange("2030-01-01", "0.051234567891")])


SEED = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28")

CASES: dict[str, Callable[[], Any]] = {
    "Jilin example loan: schedule (reference)": lambda: SEED.schedule(),
    "equal_installment exact, 600 months, 12 places": lambda: gjjcalc.equal_installment(
        TOP, RATE, 600, convention="exact", first_due="2020-01-31"),
    "equal_installment center, 600 months, 12 places": lambda: gjjcalc.equal_installment(
        TOP, RATE, 600, first_due="2020-01-31"),
    "equal_principal exact, 600 months, 12 places": lambda: gjjcalc.equal_principal(
        TOP, RATE, 600, convention="exact", first_due="2020-01-31"),
    "prepay shorten_term exact, 600 months": lambda: gjjcalc.prepay(
        balance=TOP, annual_rate=RATE, remaining_months=600, amount="1000", on="2024-01-10",
        interest_from="2023-12-10", mode="shorten_term", convention="exact", recompute_payment=True),
    "Loan.schedule exact, two 12-place rate changes": lambda: _history("exact").schedule(),
    "Loan.prepay exact, two 12-place rate changes": lambda: _history("exact").prepay(
        amount=1000, on="2060-01-10", mode="shorten_term"),
    "Loan.schedule center, two 12-place rate changes": lambda: _history("center").schedule(),
}


@pytest.mark.benchmark(group="single-loan-extremes")
@pytest.mark.parametrize("case", list(CASES))
def test_extreme_single_loan_calls(benchmark: Any, case: str) -> None:
    benchmark.extra_info["bound_ms"] = 50
    result = benchmark.pedantic(CASES[case], **ROUNDS)
    assert result is not None
