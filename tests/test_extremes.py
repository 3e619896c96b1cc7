"""Every single-loan entry point at the extremes of what it accepts: it answers, and the answer
reconciles (the principal is repaid to the fen, the last balance is 0, totals add up).

The largest amount, the longest term, the smallest and largest non-zero rates with the most
significant digits allowed (17), and a 12-place rate history. How long these take is measured in
``benchmarks/test_bench_extremes.py`` (no timing here).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import gjjcalc
from gjjcalc.errors import InputError
from gjjcalc.loan import RateChange
from gjjcalc.money import MAX_AMOUNT, MAX_MONTHS

TOP = Decimal(MAX_AMOUNT.numerator) - Decimal("0.01")  # 9,999,999,999.99
RATES = ["1.2345678901234567e-40", "0.032512345678901234", "0.5", "0." + "9" * 17]
"""The smallest non-zero rate with the most digits, an ordinary one with 17, and the largest."""
CONVENTIONS = ["center", "exact", "ledger"]


def repays(principal: list[Decimal], loan: Decimal, convention: str) -> bool:
    """The shown principals add up to the loan: exactly under ledger (whole fen throughout);
    under center / exact each row shows its exact part rounded, so within half a fen a row."""
    drift = abs(sum(principal) - loan)
    return drift == 0 if convention == "ledger" else drift <= Decimal("0.005") * len(principal)
METHODS = ["equal_installment", "equal_principal"]


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("rate", RATES)
def test_a_schedule_at_the_extremes_repays_the_principal(method: str, convention: str, rate: str) -> None:
    build = getattr(gjjcalc, method)
    if rate == RATES[3] and method == "equal_installment" and convention != "exact":
        # at ~100 % over 50 years the annuity exceeds the interest by under half a fen: the
        # payment rounds to the interest and would never repay, so it is refused
        with pytest.raises(InputError, match=r"principal=.* first month's interest"):
            build(TOP, rate, MAX_MONTHS, convention=convention)
        return
    s = build(TOP, rate, MAX_MONTHS, convention=convention, first_due="2020-01-31")
    assert len(s) == MAX_MONTHS
    assert repays(list(s.principal), TOP, convention)
    assert s.balance[-1] == 0
    assert s.total_payment - s.total_interest == TOP
    assert s.due_dates[-1].isoformat() == "2069-12-31"


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("rate", [RATES[0], RATES[1], RATES[3]])
def test_prepay_and_change_term_at_the_extremes(method: str, convention: str, rate: str) -> None:
    for mode in ("lower_payment", "shorten_term"):
        if rate == RATES[3] and method == "equal_installment" and convention == "ledger":
            # the rounded payment of the balance left is its rounded interest: refused
            with pytest.raises(InputError, match=r"month's interest"):
                gjjcalc.prepay(balance=TOP, annual_rate=rate, remaining_months=MAX_MONTHS,
                               amount="1000", on="2024-01-10", interest_from="2023-12-10",
                               mode="lower_payment", method=method, convention=convention)
            return
        r = gjjcalc.prepay(balance=TOP, annual_rate=rate, remaining_months=MAX_MONTHS, amount="1000",
                           on="2024-01-10", interest_from="2023-12-10", mode=mode, method=method,
                           convention=convention, recompute_payment=True)
        assert r.new_balance == TOP - 1000
        assert 1 <= r.remaining_months <= MAX_MONTHS
    t = gjjcalc.change_term(balance=TOP, annual_rate=rate, remaining_months=MAX_MONTHS,
                            new_remaining_months=300, method=method, convention=convention)
    assert t.remaining_months == 300


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("method", METHODS)
def test_a_loan_with_a_twelve_place_rate_history_at_the_extremes(method: str, convention: str) -> None:
    loan = gjjcalc.Loan(TOP, RATES[1], MAX_MONTHS, released="2020-01-15", method=method,
                        convention=convention,
                        events=[RateChange("2021-01-01", "0.031234567891"),
                                RateChange("2030-01-01", "0.051234567891")])
    s = loan.schedule()
    assert repays(list(s.principal), TOP, convention)
    assert s.balance[-1] == 0
    state = loan.state_on("2069-01-10")
    assert (state.periods_paid, state.remaining_months) == (587, 13)  # due 2020-02-15 … 2068-12-15
    quote = loan.payoff(on="2069-01-10")
    assert quote.principal == state.balance
    result, after = loan.prepay(amount=1000, on="2060-01-10", mode="shorten_term")
    assert repays([*after.schedule().principal, Decimal(1000)], TOP, convention)
    assert result.new_balance == loan.state_on("2060-01-10").balance - 1000
