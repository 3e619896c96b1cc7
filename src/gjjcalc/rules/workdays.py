"""China's official working days (工作日), adjusted working weekends included.

The calendar comes from the maintained ``chinesecalendar`` package (imported
on first use). A date outside the years it covers is an
:class:`~gjjcalc.errors.InputError`, never a guess from the weekday.
"""

from __future__ import annotations

from functools import lru_cache

from gjjcalc.errors import InputError
from gjjcalc.money import to_date

__all__ = ["is_working_day", "supported_years"]


@lru_cache(maxsize=1)
def supported_years() -> tuple[int, int]:
    """The first and last year the installed calendar data covers.

    >>> first, last = supported_years()
    >>> first <= 2018 and last >= 2024
    True
    """
    import chinese_calendar

    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def is_working_day(day: object, name: str = "day") -> bool:
    """Whether ``day`` is a working day in China (工作日).

    Parameters
    ----------
    day : date, datetime or str
        The date to test (a ``datetime`` is reduced to its date; a string is
        ISO ``YYYY-MM-DD``).
    name : str
        The argument name to use in error messages.

    Returns
    -------
    bool
        True on a weekday that is not a public holiday, and on an adjusted
        working weekend day (调休上班); False on weekends and holidays.

    Raises
    ------
    InputError
        If ``day`` is not a date, or falls outside the years the
        ``chinesecalendar`` data covers (:func:`supported_years`).

    Notes
    -----
    Source: the State Council's yearly holiday notices as packaged by
    ``chinesecalendar`` (SPEC §5: "use a maintained library").

    Examples
    --------
    Spring Festival 2018 and National Day 2024:

    >>> is_working_day("2018-02-11")   # a Sunday worked in lieu
    True
    >>> is_working_day("2018-02-16")   # 春节 holiday
    False
    >>> from datetime import date
    >>> is_working_day(date(2024, 9, 29)), is_working_day(date(2024, 10, 1))
    (True, False)
    >>> is_working_day("1999-10-01")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: day='1999-10-01' is out of range: expected a date in the years ... that chinesecalendar covers
    """
    when = to_date(day, name)
    first, last = supported_years()
    if not first <= when.year <= last:
        raise InputError(
            name, day, f"a date in the years {first}-{last} that chinesecalendar covers"
        )
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(when))
    except NotImplementedError:  # pragma: no cover - the range check above comes first
        raise InputError(
            name, day, f"a date in the years {first}-{last} that chinesecalendar covers"
        ) from None
