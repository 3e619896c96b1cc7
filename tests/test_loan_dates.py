"""A loan's due dates and maturity off the happy path (regressions from the loan-life issue)."""

from __future__ import annotations

from datetime import date

import gjjcalc
from gjjcalc import Loan


def test_a_loan_released_on_the_31st_is_due_on_each_months_last_day_up_to_the_31st():
    loan = Loan(300000, "3.1%", 12, released="2024-01-31")
    dues = loan.schedule().due_dates
    assert dues == (
        date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30), date(2024, 5, 31),
        date(2024, 6, 30), date(2024, 7, 31), date(2024, 8, 31), date(2024, 9, 30),
        date(2024, 10, 31), date(2024, 11, 30), date(2024, 12, 31), date(2025, 1, 31),
    )
    assert loan.maturity == date(2025, 1, 31)
    assert loan.state_on("2024-03-31").last_due == date(2024, 3, 31)


def test_maturity_is_the_last_due_date_with_a_first_due_two_months_out():
    loan = Loan(300000, "3.1%", 240, released="2024-01-15", first_due="2024-03-15")
    assert loan.schedule().due_dates[-1] == loan.maturity == date(2044, 2, 15)
    result, after = loan.prepay(amount=10000, on="2025-03-20", mode="shorten_term")
    last = after.schedule().due_dates[-1]
    assert result.maturity == after.state_on("2025-03-21").maturity == after.maturity == last


def test_a_prepayment_of_the_whole_balance_is_a_payoff_on_its_date():
    loan = Loan(690000, "3.25%", 300, released="2015-08-28")
    balance = loan.state_on("2018-01-10").balance
    assert balance == gjjcalc.equal_installment(690000, "3.25%", 300).balance_after(28)
    result, after = loan.prepay(amount=balance, on="2018-01-10", mode="shorten_term")
    assert (result.remaining_months, result.maturity) == (0, date(2018, 1, 10))
    assert after.maturity == after.state_on("2018-02-01").maturity == date(2018, 1, 10)


def test_a_loan_is_immutable():
    import pytest

    loan = Loan(690000, "3.25%", 300, released="2015-08-28")
    before = hash(loan)
    with pytest.raises(AttributeError, match="immutable"):
        loan.months = 120  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        loan.convention = "ledger"  # type: ignore[assignment]
    with pytest.raises(AttributeError, match="immutable"):
        del loan.months
    assert hash(loan) == before
    assert loan.months == 300
    after = loan.with_events(gjjcalc.loan.RateChange("2020-01-01", "3.1%"))
    with pytest.raises(AttributeError, match="immutable"):
        after.pack = "jilin"


def test_loan_events_are_checked_when_the_loan_is_built():
    import pytest

    with pytest.raises(gjjcalc.InputError, match=r"events\[0\]="):
        Loan(690000, "3.25%", 300, released="2015-08-28", events=["garbage"])  # type: ignore[list-item]
