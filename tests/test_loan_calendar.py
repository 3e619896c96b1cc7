"""Enforced prepayment rules past the shipped holiday calendar: a holiday file, or weekends assumed."""

from __future__ import annotations

from pathlib import Path

import pytest

import gjjcalc
from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules.workdays import AssumedWeekendsWarning

# The deprecated rule keywords of gjjcalc.prepay / payoff are exercised here on purpose
# (tests/test_vocabulary.py checks that they warn).
pytestmark = pytest.mark.filterwarnings(r"ignore:gjjcalc\.(prepay|payoff)\(:DeprecationWarning")

YEAR_2027 = """
source = "a test schedule for 2027 (not the official one)"
years = [2027]
holidays = [2027-02-09, 2027-02-10, 2027-02-11]
workdays = [2027-02-20]
"""


@pytest.fixture
def loan() -> gjjcalc.Loan:
    return gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin", enforce=True)


def test_a_payoff_past_the_calendar_names_the_last_covered_year(loan: gjjcalc.Loan) -> None:
    with pytest.raises(InputError, match=r"2026.*GJJCALC_HOLIDAYS|GJJCALC_HOLIDAYS.*2026"):
        loan.payoff(on="2027-02-10")


def test_a_holiday_file_decides_2027(loan: gjjcalc.Loan, tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_text(YEAR_2027, encoding="utf-8")
    with pytest.raises(RuleViolation, match=r"working_day"):
        loan.payoff(on="2027-02-10", calendar=str(path))  # a holiday in the file
    quote = loan.payoff(on="2027-02-12", calendar=str(path))  # a Friday that works
    assert quote.principal == loan.state_on("2027-02-12").balance
    result, _ = loan.prepay(amount=10000, on="2027-02-12", mode="lower_payment", calendar=str(path))
    assert result.amount == 10000
    with pytest.raises(RuleViolation, match=r"working_day"):
        gjjcalc.payoff(balance=1000, annual_rate="3.25%", on="2027-02-10", interest_from="2027-01-28",
                       pack="jilin", enforce=True, due_day=28, calendar=str(path))


def test_weekends_assumed_are_said(loan: gjjcalc.Loan) -> None:
    with pytest.warns(AssumedWeekendsWarning):
        quote = loan.payoff(on="2027-02-10", assume="weekends")
    assert quote.days == 12  # Jilin accrues from the day after the 2027-01-28 due date
