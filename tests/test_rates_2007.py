"""Every 2007 change of the provident fund benchmark rates (a published rate-history table,
历次公积金利率调整表), so a loan released on any day of 2007 is served."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

import gjjcalc
from gjjcalc.rules.rates import default_rate_table, loan_rate, provident_rate

# (effective, ≤5 years, >5 years), as the table prints them, in percent.
CHANGES_2007 = [
    ("2007-03-18", "4.32", "4.77"),
    ("2007-05-19", "4.41", "4.86"),
    ("2007-07-21", "4.50", "4.95"),
    ("2007-08-22", "4.59", "5.04"),
    ("2007-09-15", "4.77", "5.22"),
]
IN_FORCE_ON_2007_01_01 = ("2006-04-28", "4.14", "4.59")


def pct(text: str) -> Decimal:
    return Decimal(text) / 100


@pytest.mark.parametrize(("effective", "short", "long"), CHANGES_2007)
def test_each_2007_change_takes_effect_on_its_day(effective: str, short: str, long: str) -> None:
    day = date.fromisoformat(effective)
    assert provident_rate(day, 60) == pct(short)
    assert provident_rate(day, 61) == pct(long)
    assert provident_rate(day - timedelta(days=1), 61) != pct(long)


def test_the_rate_in_force_on_new_year_2007() -> None:
    _, short, long = IN_FORCE_ON_2007_01_01
    assert provident_rate("2007-01-01", 60) == pct(short)
    assert provident_rate("2007-03-17", 300) == pct(long)


def test_every_day_of_2007_has_a_rate_and_steps_only_on_the_change_days() -> None:
    steps = []
    day = date(2007, 1, 1)
    before = provident_rate(day, 300)
    while day.year == 2007:
        now = provident_rate(day, 300)
        if now != before:
            steps.append(day.isoformat())
        before = now
        day += timedelta(days=1)
    assert steps == [e for e, *_ in CHANGES_2007]


def test_december_2007_left_the_rates_unchanged() -> None:
    assert provident_rate("2007-12-20", 300) == provident_rate("2007-12-21", 300) == pct("5.22")


def test_rows_name_their_source_and_second_home_stays_unknown() -> None:
    rows = [r for r in default_rate_table().rows if r.effective.year in (2006, 2007)]
    assert len(rows) == 7
    assert all("WD99" in r.source and r.confidence == "M" for r in rows)
    with pytest.raises(gjjcalc.InputError, match="second_home"):
        provident_rate("2007-06-01", 300, second_home=True)


def test_a_loan_released_in_autumn_2007_pays_the_5_22_percent_annuity() -> None:
    # 300,000 over 240 months at 5.22 %: the payment rounded half-up to the fen.
    assert loan_rate(released="2007-10-08", months=240, on="2007-10-08") == pct("5.22")
    loan = gjjcalc.Loan(300_000, None, 240, released="2007-10-08", repricing="immediate")
    assert loan.annual_rate == pct("5.22")


def test_before_the_table_is_refused_naming_its_first_row() -> None:
    with pytest.raises(gjjcalc.InputError, match="on or after 2006-04-28"):
        provident_rate("2006-04-27", 300)
