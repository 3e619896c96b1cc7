"""The cost of a loan's state on a date, early and late in its life (a service's per-request cost).

Jilin's loan (690,000 yuan at 3.25 % over 300 months, released 2015-08-28), with 28 and with
268 installments paid: ``state_on``, ``payoff`` and ``prepay`` resume from the nearest
snapshot of the loan's whole walk, so the two columns should be about equal. The reference in
the same run is the walk from release (the previous implementation's cost).
"""

from __future__ import annotations

from typing import Any

import pytest

import gjjcalc

LOAN = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack="jilin")
DAYS = {"28 paid": "2018-01-10", "268 paid": "2038-01-10"}
ROUNDS = {"rounds": 20, "iterations": 5, "warmup_rounds": 2}

CALLS = {
    "state_on": lambda day: LOAN.state_on(day),
    "payoff": lambda day: LOAN.payoff(on=day),
    "prepay": lambda day: LOAN.prepay(amount=10000, on=day, mode="lower_payment"),
    "walk from release (reference)": lambda day: LOAN._walk(gjjcalc.money.to_date(day, "on")),
}


@pytest.mark.benchmark(group="loan-state-on-a-date")
@pytest.mark.parametrize("when", list(DAYS))
@pytest.mark.parametrize("call", list(CALLS))
def test_loan_calls_early_and_late(benchmark: Any, call: str, when: str) -> None:
    benchmark.extra_info["paid"] = int(when.split()[0])
    result = benchmark.pedantic(CALLS[call], args=(DAYS[when],), **ROUNDS)
    assert result is not None
