"""China's working days: the official calendar, working-day arithmetic, holiday files, assumptions.

Expected dates are copied by hand from the State Council notices, never computed by the code
under test:

- 2024: 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号, 2023-10-25):
  春节 2月10日至17日放假调休, 2月4日(星期日)、2月18日(星期日)上班; 国庆节 10月1日至7日,
  9月29日(星期日)、10月12日(星期六)上班.
- 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12):
  春节 1月28日至2月4日, 1月26日(周日)、2月8日(周六)上班; 国庆节、中秋节 10月1日至8日,
  9月28日(周日)、10月11日(周六)上班.
- 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): 元旦 1月1日至3日, 1月4日(周日)
  上班; 春节 2月15日至23日, 2月14日(周六)、2月28日(周六)上班; 国庆节 10月1日至7日,
  9月20日(周日)、10月10日(周六)上班.
- 2006: 国务院办公厅关于2006年部分节假日安排的通知 (国办发明电〔2005〕35号, 2005-12-16):
  元旦 1月1日—3日放假, 12月31日(星期六)上班.
"""

from __future__ import annotations

import os
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gjjcalc
from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules import (
    AssumedWeekendsWarning,
    Calendar,
    add_working_days,
    calendar_day,
    check_prepayment,
    is_working_day,
    load_calendar,
    next_working_day,
    working_days_between,
)
from gjjcalc.rules.workdays import ENV_VAR, parse_calendar, supported_years

ROOT = Path(__file__).resolve().parents[1]

# An illustrative 2027 schedule (not the official one, which is not published here).
HOLIDAYS_2027 = """\
source = "test schedule for 2027 (illustrative, not the State Council notice)"
years = [2027]
holidays = [
    2027-01-01,
    2027-02-05, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11, 2027-02-12,
    2027-10-01, 2027-10-04, 2027-10-05, 2027-10-06, 2027-10-07,
]
workdays = [2027-01-31, 2027-02-20, 2027-09-26, 2027-10-09]
"""


@pytest.fixture(autouse=True)
def _no_holiday_files_from_the_environment(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture
def file_2027(tmp_path: Path) -> Path:
    path = tmp_path / "holidays-2027.toml"
    path.write_text(HOLIDAYS_2027, encoding="utf-8")
    return path


# --- the official calendar -------------------------------------------------------------------


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
        # 2024 Spring Festival: 2-10..2-17 off, Sundays 2-4 and 2-18 worked, 除夕 2-9 a working Friday
        (date(2024, 2, 4), True),
        (date(2024, 2, 9), True),
        (date(2024, 2, 10), False),
        (date(2024, 2, 16), False),
        (date(2024, 2, 18), True),
        # 2025 Spring Festival: 1-28..2-4 off, Sunday 1-26 and Saturday 2-8 worked
        (date(2025, 1, 26), True),
        (date(2025, 1, 28), False),
        (date(2025, 2, 4), False),
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),
        # 2025 National Day and Mid-Autumn: 10-1..10-8 off, Sunday 9-28 and Saturday 10-11 worked
        (date(2025, 9, 28), True),
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        # 2026: 1-4 (Sunday) worked; Spring Festival 2-15..2-23, Saturdays 2-14 and 2-28 worked;
        # National Day 10-1..10-7, Sunday 9-20 and Saturday 10-10 worked
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),
        (date(2026, 2, 14), True),
        (date(2026, 2, 23), False),
        (date(2026, 2, 28), True),
        (date(2026, 9, 20), True),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),
        (date(2026, 12, 31), True),
    ],
)
def test_official_calendar_including_adjusted_working_weekends(day, working):
    assert is_working_day(day) is working


def test_strings_and_datetimes_are_accepted():
    assert is_working_day("2018-02-11") is True
    assert is_working_day(datetime(2024, 10, 1, 9, 30)) is False


def test_2005_12_31_is_a_working_saturday_by_the_2006_notice():
    # chinesecalendar 1.11.0 marks it a rest day; the shipped correction follows the notice
    assert is_working_day("2005-12-31") is True
    assert is_working_day("2006-01-03") is False
    day = calendar_day("2005-12-31")
    assert "国办发明电〔2005〕35号" in day.source
    assert day.assumed is False


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


# --- working-day arithmetic across Spring Festival and National Day ---------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 2024 Spring Festival
        ("2024-02-03", 1, date(2024, 2, 4)),  # Saturday -> the worked Sunday
        ("2024-02-08", 1, date(2024, 2, 9)),
        ("2024-02-08", 2, date(2024, 2, 18)),  # over 2-10..2-17 to the worked Sunday
        ("2024-02-08", 3, date(2024, 2, 19)),
        # 2024 National Day
        ("2024-09-27", 1, date(2024, 9, 29)),
        ("2024-09-27", 3, date(2024, 10, 8)),
        ("2024-10-11", 1, date(2024, 10, 12)),  # Friday -> the worked Saturday
        # 2025 Spring Festival
        ("2025-01-24", 1, date(2025, 1, 26)),
        ("2025-01-24", 3, date(2025, 2, 5)),
        ("2025-02-07", 1, date(2025, 2, 8)),
        # 2025 National Day and Mid-Autumn
        ("2025-09-30", 1, date(2025, 10, 9)),
        ("2025-09-30", 3, date(2025, 10, 11)),
        # 2026 Spring Festival and National Day
        ("2026-02-13", 1, date(2026, 2, 14)),
        ("2026-02-13", 2, date(2026, 2, 24)),
        ("2026-02-13", 6, date(2026, 2, 28)),
        ("2026-09-18", 1, date(2026, 9, 20)),
        ("2026-09-30", 1, date(2026, 10, 8)),
        ("2026-09-30", 3, date(2026, 10, 10)),
        # backwards
        ("2026-10-08", -1, date(2026, 9, 30)),
        ("2026-02-24", -1, date(2026, 2, 14)),
        ("2026-02-24", -2, date(2026, 2, 13)),
        ("2025-02-05", -1, date(2025, 1, 27)),
        # n = 0 rolls a rest day forward (遇法定节假日顺延) and keeps a working day
        ("2026-10-01", 0, date(2026, 10, 8)),
        ("2026-10-10", 0, date(2026, 10, 10)),
        ("2024-02-17", 0, date(2024, 2, 18)),
    ],
)
def test_add_working_days_over_the_official_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-02-09", date(2024, 2, 18)),
        ("2025-09-26", date(2025, 9, 28)),
        ("2025-09-30", date(2025, 10, 9)),
        ("2025-10-10", date(2025, 10, 11)),
        ("2026-02-14", date(2026, 2, 24)),
        ("2026-12-30", date(2026, 12, 31)),
    ],
)
def test_next_working_day_is_strictly_after_the_day(day, expected):
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2024-09-30", "2024-10-12", 5),  # 10-8..10-11 and the worked Saturday 10-12
        ("2024-02-09", "2024-02-18", 1),  # only the worked Sunday
        ("2025-01-27", "2025-02-08", 4),  # 2-5, 2-6, 2-7 and the worked Saturday 2-8
        ("2026-02-13", "2026-02-28", 6),  # 2-14, 2-24..2-27, 2-28
        ("2026-09-30", "2026-10-10", 3),
        ("2026-10-10", "2026-09-30", -3),
        ("2026-10-03", "2026-10-03", 0),
        ("2026-10-02", "2026-10-03", 0),
    ],
)
def test_working_days_between_excludes_start_and_includes_end(start, end, count):
    assert working_days_between(start, end) == count


official_days = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30))


@given(official_days, st.integers(min_value=0, max_value=20))
def test_add_working_days_reaches_a_working_day_and_counts_back(day, n):
    reached = add_working_days(day, n)
    assert is_working_day(reached)
    assert reached >= day
    if n > 0:
        assert working_days_between(day, reached) == n
        assert working_days_between(day, reached - timedelta(days=1)) == n - 1
        assert add_working_days(reached, -n) <= day or not is_working_day(day)
    if is_working_day(day):
        assert add_working_days(reached, -n) == day


@given(official_days)
def test_next_working_day_is_rolling_the_day_after(day):
    assert next_working_day(day) == add_working_days(day + timedelta(days=1), 0)
    assert working_days_between(day, next_working_day(day)) == 1


@pytest.mark.parametrize("n", [1.5, "3", True, None, 10**6])
def test_n_must_be_a_whole_number_of_working_days(n):
    with pytest.raises(InputError) as info:
        add_working_days("2026-01-05", n)
    assert info.value.name == "n"


# --- past the data: the error, the override file, the assumption -------------------------------


def test_past_the_data_the_error_names_the_last_year_and_how_to_add_one():
    with pytest.raises(InputError) as info:
        is_working_day("2027-02-10")
    text = str(info.value)
    assert "the last covered year is 2026" in text
    assert "2004-2026" in text
    assert "GJJCALC_HOLIDAYS" in text
    assert "calendar=" in text
    assert "assume='weekends'" in text
    assert "国务院办公厅关于2027年部分节假日安排的通知" in text


def test_counting_past_the_data_names_the_input_and_the_date_reached():
    with pytest.raises(InputError) as info:
        add_working_days("2026-12-30", 3)
    assert info.value.name == "day"
    assert info.value.value == "2026-12-30"
    assert "reaches 2027-01-01" in str(info.value)
    with pytest.raises(InputError, match="last covered year is 2026"):
        working_days_between("2026-12-01", "2027-01-05")
    with pytest.raises(InputError, match="last covered year is 2026"):
        next_working_day("2026-12-31")


def test_a_2027_file_by_path(file_2027):
    cal = load_calendar(file_2027)
    assert cal.years == (2027,)
    assert len(cal.holidays) == 12
    assert len(cal.workdays) == 4
    for given_as in (cal, file_2027, str(file_2027), [cal]):
        assert is_working_day("2027-02-10", calendar=given_as) is False  # in the file's 春节
        assert is_working_day("2027-02-20", calendar=given_as) is True  # a worked Saturday
        assert is_working_day("2027-02-13", calendar=given_as) is False  # an ordinary Saturday
        assert is_working_day("2027-02-15", calendar=given_as) is True  # a Monday not listed
    assert add_working_days("2027-02-04", 1, calendar=file_2027) == date(2027, 2, 15)
    assert add_working_days("2027-02-19", 1, calendar=file_2027) == date(2027, 2, 20)
    assert add_working_days("2026-12-30", 3, calendar=file_2027) == date(2027, 1, 5)
    assert next_working_day("2027-09-30", calendar=file_2027) == date(2027, 10, 8)
    # 9-26 (worked Sunday), 9-27..9-30, 10-8, 10-9 (worked Saturday)
    assert working_days_between("2027-09-24", "2027-10-09", calendar=file_2027) == 7
    day = calendar_day("2027-01-31", calendar=file_2027)
    assert day.working
    assert not day.assumed
    assert "test schedule for 2027" in day.source
    assert file_2027.name in day.source
    # the years before stay the official ones
    assert is_working_day("2026-02-14", calendar=file_2027) is True


def test_a_2027_file_by_the_environment_variable(file_2027, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(file_2027))
    assert is_working_day("2027-02-10") is False
    assert is_working_day("2027-02-20") is True
    assert add_working_days("2027-02-04", 1) == date(2027, 2, 15)
    assert working_days_between("2027-01-29", "2027-02-15") == 6  # 1-31, 2-1..2-4, 2-15


def test_a_file_past_the_data_moves_the_last_covered_year(file_2027):
    with pytest.raises(InputError) as info:
        is_working_day("2028-01-03", calendar=file_2027)
    assert "the last covered year is 2027" in str(info.value)
    assert "2004-2027" in str(info.value)


def test_a_passed_file_comes_before_the_environment_and_the_shipped_data(tmp_path, file_2027, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(file_2027))
    mine = tmp_path / "mine.toml"
    mine.write_text('source = "mine"\nworkdays = [2027-02-13]\nholidays = [2026-02-24]\n', encoding="utf-8")
    assert is_working_day("2027-02-13", calendar=mine) is True
    assert is_working_day("2027-02-10", calendar=mine) is False  # still from the environment's file
    assert is_working_day("2026-02-24", calendar=mine) is False  # a one-day correction


def test_several_files_in_the_environment_variable(tmp_path, file_2027, monkeypatch):
    other = tmp_path / "2028.toml"
    other.write_text('source = "test 2028"\nyears = [2028]\nholidays = [2028-01-03]\n', encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, f"{file_2027}{os.pathsep}{other}")
    assert is_working_day("2027-02-20") is True
    assert is_working_day("2028-01-03") is False
    assert is_working_day("2028-01-04") is True


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('source = "x"\nyears = [2027]\nholidays = [2027-01-01]\nworkdays = [2027-01-01]\n', "workdays"),
        ('years = [2027]\n', "source"),
        ('source = "x"\nyear = 2027\n', "year"),
        ('source = "x"\nholidays = ["2027-13-01"]\n', "holidays[0]"),
        ('source = "x"\nyears = ["2027"]\n', "years"),
        ('source = "x"\nholidays = 2027-01-01\n', "holidays"),
        ("this is not toml", ".toml"),
    ],
)
def test_a_bad_holiday_file_names_the_file_and_the_key(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_calendar(path)
    assert "bad.toml" in info.value.name
    assert key in info.value.name or key in str(info.value)


def test_a_missing_file_is_an_input_error_by_path_and_by_the_environment(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="not found"):
        load_calendar(tmp_path / "missing.toml")
    with pytest.raises(InputError, match="not found"):
        is_working_day("2027-01-04", calendar=tmp_path / "missing.toml")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing.toml"))
    with pytest.raises(InputError) as info:
        is_working_day("2026-01-05")
    assert info.value.name == ENV_VAR


def test_a_calendar_can_be_built_in_code():
    cal = parse_calendar({"source": "code", "years": [2027], "workdays": [date(2027, 2, 20)]})
    assert isinstance(cal, Calendar)
    assert is_working_day("2027-02-20", calendar=cal) is True
    assert is_working_day("2027-02-19", calendar=cal) is True


def test_the_example_file_in_the_docs_loads_and_says_it_is_an_example():
    cal = load_calendar(ROOT / "docs" / "holidays-2027.example.toml")
    assert cal.years == (2027,)
    assert "EXAMPLE ONLY" in cal.source
    assert all(d.year == 2027 for d in cal.holidays | cal.workdays)
    assert all(d.weekday() >= 5 for d in cal.workdays)
    assert all(d.weekday() < 5 for d in cal.holidays)


def test_assume_weekends_decides_past_the_data_and_says_so():
    with pytest.warns(AssumedWeekendsWarning, match="no official holiday calendar for 2027") as seen:
        assert is_working_day("2027-01-15", assume="weekends") is True  # a Friday
    assert seen[0].filename == __file__
    with pytest.warns(AssumedWeekendsWarning):
        assert is_working_day("2027-01-16", assume="weekends") is False  # a Saturday
    with pytest.warns(AssumedWeekendsWarning) as seen:
        # 2026-12-31 (official), then 2027-01-01 (a Friday: assumed working), 2027-01-04
        assert add_working_days("2026-12-30", 3, assume="weekends") == date(2027, 1, 4)
    assert seen[0].filename == __file__
    with pytest.warns(AssumedWeekendsWarning):
        assert next_working_day("2027-01-15", assume="weekends") == date(2027, 1, 18)
    with pytest.warns(AssumedWeekendsWarning, match="2027-2028"):
        # 2027-12-31 (a Friday), 2028-01-03..01-07, 2028-01-10
        assert working_days_between("2027-12-30", "2028-01-10", assume="weekends") == 7
    day = calendar_day("2027-01-16", assume="weekends")
    assert (day.working, day.assumed) == (False, True)
    assert "assume='weekends'" in day.source


def test_assume_weekends_does_not_change_a_covered_day():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert is_working_day("2026-10-10", assume="weekends") is True  # the official answer
        assert add_working_days("2026-09-30", 3, assume="weekends") == date(2026, 10, 10)


def test_a_file_comes_before_the_assumption(file_2027):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert is_working_day("2027-01-01", calendar=file_2027, assume="weekends") is False


@pytest.mark.parametrize("assume", ["weekdays", True, "Weekends"])
def test_assume_takes_only_weekends(assume):
    with pytest.raises(InputError) as info:
        is_working_day("2027-01-15", assume=assume)
    assert info.value.name == "assume"


# --- the prepayment rule through a holiday file or the assumption ------------------------------

SEED = {"released": "2015-08-28", "first_due": "2015-09-28"}


def test_a_2027_payoff_is_checked_through_a_holiday_file(file_2027, monkeypatch):
    with pytest.raises(InputError, match="last covered year is 2026"):
        check_prepayment("jilin", kind="payoff", on="2027-02-10", due_day=28)
    refused = check_prepayment("jilin", kind="payoff", on="2027-02-10", due_day=28, calendar=file_2027)
    assert [r.name for r in refused.reasons] == ["working_day"]
    assert refused.reasons[0].message == "2027-02-10 is not a working day"
    allowed = check_prepayment("jilin", kind="payoff", on="2027-02-20", due_day=28, calendar=file_2027)
    assert allowed.ok
    assert "working_day" in allowed.checked
    assert "assumed_weekends" not in allowed.checked
    monkeypatch.setenv(ENV_VAR, str(file_2027))
    assert not check_prepayment("jilin", kind="payoff", on="2027-02-10", due_day=28).ok
    assert check_prepayment("jilin", kind="partial", amount=10_000, on="2027-01-31").ok


def test_a_2027_payoff_with_assumed_weekends_is_stated_in_the_result():
    with pytest.warns(AssumedWeekendsWarning) as seen:
        result = check_prepayment("jilin", kind="payoff", on="2027-02-10", due_day=28, assume="weekends")
    assert seen[0].filename == __file__
    assert result.ok
    assert result.checked == ("working_day", "assumed_weekends", "blackout", "due_day", "day_before_due")
    with pytest.warns(AssumedWeekendsWarning):
        refused = check_prepayment(
            "jilin", kind="payoff", on="2027-02-20", due_day=28, assume="weekends"
        )
    assert refused.reasons[0].message == (
        "2027-02-20 is not a working day (assumed: Saturdays and Sundays rest)"
    )


def test_loan_payoff_in_2027_works_with_the_environment_variable(file_2027, monkeypatch):
    # the regression of issue 16: Loan(..., enforce=True).payoff(on="2027-02-10") was an InputError
    loan = gjjcalc.Loan(690000, "3.25%", 300, pack="jilin", enforce=True, **SEED)
    with pytest.raises(InputError, match="GJJCALC_HOLIDAYS"):
        loan.payoff(on="2027-02-10")
    monkeypatch.setenv(ENV_VAR, str(file_2027))
    with pytest.raises(RuleViolation) as err:
        loan.payoff(on="2027-02-10")  # a holiday in the 2027 file
    assert [r.name for r in err.value.reasons] == ["working_day"]  # type: ignore[attr-defined]
    assert loan.payoff(on="2027-02-20").total > 0  # the worked Saturday


def test_cli_prepay_in_2027_works_with_the_environment_variable(file_2027, monkeypatch, capsys):
    from gjjcalc.cli import main

    args = [
        "prepay", "--balance", "646609.84", "--rate", "3.25%", "--remaining-months", "272",
        "--payment", "3362.48", "--amount", "10000", "--on", "2027-01-11",
        "--interest-from", "2026-12-28", "--mode", "shorten_term", "--pack", "jilin",
        "--due-day", "28", "--today", "2026-12-02",
    ]  # fmt: skip
    assert main(args) == 2
    assert "GJJCALC_HOLIDAYS" in capsys.readouterr().err
    monkeypatch.setenv(ENV_VAR, str(file_2027))
    assert main(args) == 0
