"""Statutory retirement dates under the 2024 NPCSC decision on the gradual delay.

Expected values are rows of the decision's annex tables (附件1-3 对照表,
https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm): month of birth →
retirement age (years, months) and retirement year-month, typed here as literals.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gjjcalc.rules as rules
from gjjcalc.errors import InputError
from gjjcalc.rules import retirement_age_months, retirement_date

# (birth, age years, age months, retirement year-month): 男职工延迟法定退休年龄对照表
MEN = [
    ("1964-12-31", 60, 0, "2024-12"),  # reached 60 before 2025: unchanged
    ("1965-01-01", 60, 1, "2025-02"),
    ("1965-02-10", 60, 1, "2025-03"),
    ("1965-04-30", 60, 1, "2025-05"),
    ("1965-05-01", 60, 2, "2025-07"),
    ("1965-08-15", 60, 2, "2025-10"),
    ("1965-09-15", 60, 3, "2025-12"),
    ("1966-01-20", 60, 4, "2026-05"),
    ("1970-05-01", 61, 5, "2031-10"),
    ("1972-12-05", 62, 0, "2034-12"),
    ("1975-06-18", 62, 8, "2038-02"),
    ("1976-08-08", 62, 11, "2039-07"),
    ("1976-09-01", 63, 0, "2039-09"),
    ("1976-12-03", 63, 0, "2039-12"),
]

# 原法定退休年龄五十五周岁的女职工延迟法定退休年龄对照表
WOMEN_55 = [
    ("1969-12-15", 55, 0, "2024-12"),
    ("1970-01-01", 55, 1, "2025-02"),
    ("1970-04-09", 55, 1, "2025-05"),
    ("1970-06-09", 55, 2, "2025-08"),
    ("1970-09-09", 55, 3, "2025-12"),
    ("1971-06-30", 55, 5, "2026-11"),
    ("1973-03-12", 55, 10, "2029-01"),
    ("1973-09-12", 56, 0, "2029-09"),
    ("1976-12-25", 56, 9, "2033-09"),
    ("1981-08-08", 57, 11, "2039-07"),
    ("1981-09-08", 58, 0, "2039-09"),
    ("1981-12-08", 58, 0, "2039-12"),
]

# 原法定退休年龄五十周岁的女职工延迟法定退休年龄对照表
WOMEN_50 = [
    ("1974-12-31", 50, 0, "2024-12"),
    ("1975-01-01", 50, 1, "2025-02"),
    ("1975-02-14", 50, 1, "2025-03"),
    ("1975-03-14", 50, 2, "2025-05"),
    ("1975-06-14", 50, 3, "2025-09"),
    ("1976-06-14", 50, 9, "2027-03"),
    ("1976-12-14", 51, 0, "2027-12"),
    ("1977-01-14", 51, 1, "2028-02"),
    ("1984-10-14", 54, 11, "2039-09"),
    ("1984-11-14", 55, 0, "2039-11"),
]


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@pytest.mark.parametrize(("birth", "years", "months", "month"), MEN)
def test_men_retire_at_the_annex_1_age_and_month(birth, years, months, month):
    assert divmod(retirement_age_months(birth, "male"), 12) == (years, months)
    assert divmod(retirement_age_months(birth, "男", 60), 12) == (years, months)
    assert _month(retirement_date(birth, "male")) == month


@pytest.mark.parametrize(("birth", "years", "months", "month"), WOMEN_55)
def test_women_with_original_age_55_retire_at_the_annex_2_age_and_month(
    birth, years, months, month
):
    assert divmod(retirement_age_months(birth, "female", 55), 12) == (years, months)
    assert _month(retirement_date(birth, "女", 55)) == month


@pytest.mark.parametrize(("birth", "years", "months", "month"), WOMEN_50)
def test_women_with_original_age_50_retire_at_the_annex_3_age_and_month(
    birth, years, months, month
):
    assert divmod(retirement_age_months(birth, "female", 50), 12) == (years, months)
    assert _month(retirement_date(birth, "female", 50)) == month


@pytest.mark.parametrize(
    ("birth", "sex", "original", "expected"),
    [
        # the day is the birthday in the table's month ...
        ("1965-01-15", "male", 60, date(2025, 2, 15)),
        ("1972-08-31", "male", 60, date(2034, 7, 31)),
        ("1976-12-03", "male", 60, date(2039, 12, 3)),
        ("1975-06-10", "female", 50, date(2025, 9, 10)),
        # ... or the month's last day when that month is shorter
        ("1970-01-31", "female", 55, date(2025, 2, 28)),
        ("1965-11-30", "male", 60, date(2026, 2, 28)),
        ("1972-02-29", "female", 50, date(2022, 2, 28)),
        ("1968-02-29", "male", 60, date(2028, 12, 29)),
        # unchanged before the reform: the original birthday
        ("1964-12-31", "male", 60, date(2024, 12, 31)),
        ("1969-12-31", "female", 55, date(2024, 12, 31)),
        ("1974-12-31", "female", 50, date(2024, 12, 31)),
        ("1950-07-01", "male", 60, date(2010, 7, 1)),
        # fully delayed long after the transition
        ("1990-03-01", "female", 50, date(2045, 3, 1)),
        ("2000-06-15", "male", 60, date(2063, 6, 15)),
    ],
)
def test_retirement_date_is_the_birthday_in_the_retirement_month(birth, sex, original, expected):
    assert retirement_date(birth, sex, original) == expected
    assert retirement_date(date.fromisoformat(birth), sex, original) == expected


def test_retirement_date_is_exported_from_gjjcalc_rules():
    assert rules.retirement_date is retirement_date
    assert "retirement_date" in rules.__all__


def test_the_source_is_the_public_decision():
    from gjjcalc.rules.retirement import DECISION

    assert "渐进式延迟法定退休年龄的决定" in DECISION
    assert "2024-09-13" in DECISION
    assert "https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm" in DECISION


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("1970-01-01", "x", 60), "sex"),
        (("1970-01-01", None, 60), "sex"),
        (("1970-01-01", "male", 55), "original_age"),
        (("1970-01-01", "female", 60), "original_age"),
        (("1970-01-01", "female", None), "original_age"),
        (("1970-01-01", "female", True), "original_age"),
        (("1970-01-01", "female", "55"), "original_age"),
        (("1970-13-01", "male", 60), "birth"),
        ((19700101, "male", 60), "birth"),
        (("9960-01-01", "male", 60), "birth"),  # would retire after the year 9999
    ],
)
def test_bad_input_names_the_argument(args, name):
    with pytest.raises(InputError) as info:
        retirement_date(*args)
    assert info.value.name == name


def test_a_woman_needs_her_original_age_and_the_message_says_which():
    with pytest.raises(InputError, match="50 for workers, 55 for cadres"):
        retirement_date("1975-01-01", "female")


@given(
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
    case=st.sampled_from([("male", 60, 63), ("female", 55, 58), ("female", 50, 55)]),
)
def test_delay_is_between_none_and_the_cap_and_never_falls_for_a_later_birth(birth, case):
    sex, original, cap = case
    months = retirement_age_months(birth, sex, original)
    assert original * 12 <= months <= cap * 12
    later = birth + timedelta(days=31)
    assert retirement_age_months(later, sex, original) >= months
    day = retirement_date(birth, sex, original)
    # in the month birth month + age months, on the birthday or the month's end
    index = birth.year * 12 + birth.month - 1 + months
    assert (day.year, day.month) == (index // 12, index % 12 + 1)
    assert day.day <= birth.day
    assert day.day == birth.day or (day + timedelta(days=1)).day == 1
    # anyone who reached the original age before 2025 keeps it
    if date(birth.year + original, birth.month, 1) < date(2025, 1, 1):
        assert months == original * 12
    else:
        assert months > original * 12
