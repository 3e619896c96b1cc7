"""China's working days, adjusted weekends included, and no guessing outside the calendar."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gjjcalc.errors import InputError
from gjjcalc.rules import is_working_day
from gjjcalc.rules.workdays import supported_years


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2018, 2, 11), True),  # Sunday worked before Spring Festival 2018
        (date(2018, 2, 16), False),  # 春节 2018 (a Friday)
        (date(2018, 2, 24), True),  # Saturday worked after Spring Festival 2018
        (date(2024, 9, 29), True),  # Sunday worked before National Day 2024
        (date(2024, 10, 1), False),  # 国庆节 2024 (a Tuesday)
        (date(2024, 10, 12), True),  # Saturday worked after National Day 2024
        (date(2024, 10, 8), True),  # back to work
        (date(2024, 10, 13), False),  # an ordinary Sunday
    ],
)
def test_official_calendar_including_adjusted_working_weekends(day, working):
    assert is_working_day(day) is working


def test_strings_and_datetimes_are_accepted():
    assert is_working_day("2018-02-11") is True
    assert is_working_day(datetime(2024, 10, 1, 9, 30)) is False


@pytest.mark.parametrize("day", ["1999-10-01", date(2003, 12, 31), date(2100, 1, 4)])
def test_a_date_outside_the_calendar_is_an_input_error_not_a_guess(day):
    with pytest.raises(InputError) as info:
        is_working_day(day)
    assert info.value.name == "day"
    first, last = supported_years()
    assert f"{first}-{last}" in str(info.value)


@pytest.mark.parametrize("day", ["tomorrow", 20180211, None])
def test_not_a_date_is_an_input_error(day):
    with pytest.raises(InputError):
        is_working_day(day)
