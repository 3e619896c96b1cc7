"""China's official working days (工作日), adjusted working weekends included.

A day's status comes from, in this order:

1. the holiday files the caller gives (``calendar=`` a path or a
   :class:`Calendar` from :func:`load_calendar`), then those named by the
   environment variable ``GJJCALC_HOLIDAYS`` (one path, or several joined by
   ``os.pathsep``);
2. the corrections shipped with gjjcalc (one day so far: 2005-12-31, a
   working Saturday by the State Council notice 国办发明电〔2005〕35号 of
   2005-12-16, which ``chinesecalendar`` 1.11.0 marks as a rest day);
3. the maintained ``chinesecalendar`` package (imported on first use), which
   packages the State Council's yearly notices (国务院办公厅关于某年部分节假日
   安排的通知) from 2004 on.

A date that none of them covers is an :class:`~gjjcalc.errors.InputError`
that names the last covered year and how to add a year, never a guess from
the weekday, unless the caller passes ``assume="weekends"``: then Saturdays
and Sundays are rest days and every other day works, and every function that
assumed so says it with an :class:`AssumedWeekendsWarning` (and
:func:`calendar_day` in its result).

A holiday file is a small TOML file::

    source = "国务院办公厅关于2027年部分节假日安排的通知, <URL>, <date>"
    years = [2027]                       # years the file covers in full
    holidays = [2027-01-01, 2027-02-05]  # 放假 days (weekends may be listed too)
    workdays = [2027-02-20]              # 调休上班: weekend days that are worked

In a year the file covers, a day is a working day when it is listed in
``workdays``, or is a Monday-Friday not listed in ``holidays``. A listed date
outside ``years`` corrects that one day only.
"""

from __future__ import annotations

import os
import tomllib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, TypedDict, Unpack

from gjjcalc import _deprecated
from gjjcalc.errors import InputError
from gjjcalc.money import to_date

__all__ = [
    "ENV_VAR",
    "Assume",
    "AssumedWeekendsWarning",
    "Calendar",
    "CalendarArg",
    "CalendarDay",
    "DateLike",
    "add_working_days",
    "calendar_day",
    "is_working_day",
    "load_calendar",
    "next_working_day",
    "parse_calendar",
    "supported_years",
    "warn_assumed",
    "working_days_between",
]

ENV_VAR = "GJJCALC_HOLIDAYS"
"""The environment variable naming holiday files (paths joined by ``os.pathsep``)."""

DateLike = date | str
"""A ``date`` (a ``datetime`` is reduced to its date) or an ISO ``YYYY-MM-DD`` string."""

Assume = Literal["weekends"]
"""What to assume for a date past every calendar: only ``"weekends"`` (Sat/Sun rest)."""


_KEYS = frozenset({"source", "years", "holidays", "workdays", "note"})
_CORRECTIONS = "calendar/corrections.toml"
_PACKAGE = "chinesecalendar"


class AssumedWeekendsWarning(UserWarning):
    """A date past every holiday calendar was decided by ``assume="weekends"``.

    The message names the dates' years: no official schedule was known, so
    Saturdays and Sundays were taken as the only rest days. Turn it into an
    error with ``warnings.simplefilter("error", AssumedWeekendsWarning)``.
    """


@dataclass(frozen=True, slots=True)
class Calendar:
    """A holiday schedule added by the user (a State Council notice as data).

    Attributes
    ----------
    source : str
        Where the schedule comes from (the notice's title, URL and date).
    years : tuple of int
        The years the schedule covers in full.
    holidays : frozenset of date
        Rest days (放假), weekends included or not.
    workdays : frozenset of date
        Adjusted working days (调休上班), usually weekend days.
    origin : str
        The file it was read from (or ``"<code>"``).
    """

    source: str
    years: tuple[int, ...]
    holidays: frozenset[date]
    workdays: frozenset[date]
    origin: str = "<code>"

    def decides(self, day: date) -> bool | None:
        """Whether ``day`` works by this schedule, or None when it does not cover the day.

        >>> cal = Calendar("example", (2027,), frozenset({date(2027, 1, 1)}),
        ...                frozenset({date(2027, 2, 20)}))
        >>> cal.decides(date(2027, 1, 1)), cal.decides(date(2027, 2, 20)), cal.decides(date(2028, 1, 3))
        (False, True, None)
        """
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in self.years:
            return day.weekday() < 5
        return None


CalendarArg = Calendar | str | os.PathLike[str] | Sequence[Calendar | str | os.PathLike[str]] | None
"""Holiday files for a call: a :class:`Calendar`, a path, or a list of them."""


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day's status and what decided it.

    ``working`` is the answer; ``source`` names the calendar that gave it (a
    holiday file, the shipped corrections, ``chinesecalendar``, or the
    assumption); ``assumed`` is True when ``assume="weekends"`` decided.
    """

    day: date
    working: bool
    source: str
    assumed: bool = False


def _dates(value: object, key: str, origin: str) -> frozenset[date]:
    if not isinstance(value, list):
        raise InputError(f"{origin}: {key}", value, "a list of dates (TOML dates or 'YYYY-MM-DD')")
    return frozenset(to_date(item, f"{origin}: {key}[{i}]") for i, item in enumerate(value))


def parse_calendar(data: dict[str, object], origin: str = "<code>") -> Calendar:
    """A :class:`Calendar` from the structure of a holiday file.

    >>> parse_calendar({"source": "example", "years": [2027], "holidays": ["2027-01-01"]}).years
    (2027,)
    >>> parse_calendar({"years": [2027]})
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: <code>: source=None is out of range: expected the schedule's source ...
    """
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(f"{origin}: {unknown[0]}", data[unknown[0]], f"one of the keys {sorted(_KEYS)}")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise InputError(
            f"{origin}: source",
            source,
            "the schedule's source as text (the State Council notice's title, URL and date)",
        )
    years = data.get("years", [])
    if not isinstance(years, list) or not all(
        isinstance(y, int) and not isinstance(y, bool) and 1949 <= y <= 2200 for y in years
    ):
        raise InputError(f"{origin}: years", years, "a list of years, e.g. [2027]")
    holidays = _dates(data.get("holidays", []), "holidays", origin)
    workdays = _dates(data.get("workdays", []), "workdays", origin)
    both = sorted(holidays & workdays)
    if both:
        raise InputError(f"{origin}: workdays", both[0].isoformat(), "a date not also in holidays")
    return Calendar(source.strip(), tuple(sorted(set(years))), holidays, workdays, origin)


def load_calendar(path: str | os.PathLike[str]) -> Calendar:
    """Read a holiday file (TOML) listing a year's holidays and adjusted working days.

    Parameters
    ----------
    path : str or path-like
        The file. Its keys: ``source`` (required text), ``years`` (the years
        it covers in full), ``holidays`` and ``workdays`` (lists of dates).

    Returns
    -------
    Calendar
        Pass it (or the path itself) as ``calendar=`` to the working-day
        functions and to :func:`~gjjcalc.rules.check_prepayment`, or name the
        file in the environment variable ``GJJCALC_HOLIDAYS``.

    Raises
    ------
    InputError
        If the file is missing, is not TOML, or has an unknown key, a bad
        date, or a date both in ``holidays`` and ``workdays``; the message
        names the file and the key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "2027.toml").write_text(
    ...     'source = "example"\\nyears = [2027]\\n'
    ...     'holidays = [2027-01-01]\\nworkdays = [2027-02-20]\\n', encoding="utf-8")
    >>> cal = load_calendar(folder / "2027.toml")
    >>> cal.years, sorted(cal.workdays)
    ((2027,), [datetime.date(2027, 2, 20)])
    >>> is_working_day("2027-02-20", calendar=cal), is_working_day("2027-01-01", calendar=cal)
    (True, False)
    """
    file = Path(path)
    try:
        stat = file.stat()
    except OSError:
        raise InputError(
            "calendar", str(path), "a path to a holiday TOML file (not found)"
        ) from None
    if not file.is_file():
        raise InputError("calendar", str(path), "a path to a holiday TOML file (not a file)")
    return _load_cached(str(file.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load_cached(path: str, _mtime: int, _size: int) -> Calendar:
    text = Path(path).read_text(encoding="utf-8")
    return _parse_text(text, path)


def _parse_text(text: str, origin: str) -> Calendar:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(origin, "<file>", f"a TOML holiday file ({err})") from None
    return parse_calendar(data, origin)


@lru_cache(maxsize=1)
def _corrections() -> Calendar:
    text = resources.files("gjjcalc.rules.data").joinpath(_CORRECTIONS).read_text(encoding="utf-8")
    return _parse_text(text, f"gjjcalc/rules/data/{_CORRECTIONS}")


@lru_cache(maxsize=1)
def supported_years() -> tuple[int, int]:
    """The first and last year of the installed ``chinesecalendar`` data.

    Years added with a holiday file are not included; see the error of
    :func:`is_working_day` for the years a call covers.

    >>> first, last = supported_years()
    >>> first <= 2018 and last >= 2026
    True
    """
    import chinese_calendar

    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


@lru_cache(maxsize=1)
def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{_PACKAGE} {version(_PACKAGE)}"
    except PackageNotFoundError:  # pragma: no cover - installed with gjjcalc
        return _PACKAGE


def _calendars(calendar: object) -> tuple[Calendar, ...]:
    """The user's calendars: those passed, then those named by ``GJJCALC_HOLIDAYS``."""
    given: list[Calendar] = []
    items: Iterable[object]
    if calendar is None:
        items = ()
    elif isinstance(calendar, Calendar | str | os.PathLike):
        items = (calendar,)
    elif isinstance(calendar, Sequence):
        items = calendar
    else:
        raise InputError("calendar", calendar, "a Calendar, a path to a holiday TOML file, or a list of them")
    for item in items:
        if isinstance(item, Calendar):
            given.append(item)
        elif isinstance(item, str | os.PathLike):
            given.append(load_calendar(item))
        else:
            raise InputError("calendar", item, "a Calendar or a path to a holiday TOML file")
    env = os.environ.get(ENV_VAR, "").strip()
    for part in env.split(os.pathsep) if env else ():
        if not part.strip():
            continue
        try:
            given.append(load_calendar(part.strip()))
        except InputError as err:
            raise InputError(ENV_VAR, env, f"paths to holiday TOML files ({err})") from None
    return tuple(given)


def _check_assume(assume: object) -> bool:
    if assume is None:
        return False
    if assume == "weekends":
        return True
    raise InputError("assume", assume, "None or 'weekends' (Saturdays and Sundays rest, other days work)")


def _years_text(years: Iterable[int]) -> str:
    """``2004-2026, 2028`` for a set of years."""
    ordered = sorted(set(years))
    runs: list[str] = []
    start = prev = ordered[0]
    for year in [*ordered[1:], None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if year is not None:
            start = prev = year
    return ", ".join(runs)


class _Resolver:
    """Decides days for one call: the user's calendars, the corrections, chinesecalendar."""

    __slots__ = ("assume", "assumed", "calendars", "first", "last")

    def __init__(self, calendar: object, assume: object) -> None:
        self.assume = _check_assume(assume)
        self.calendars = (*_calendars(calendar), _corrections())
        self.first, self.last = supported_years()
        self.assumed: set[int] = set()

    def covered(self) -> str:
        years = set(range(self.first, self.last + 1))
        for cal in self.calendars:
            years.update(cal.years)
        return _years_text(years)

    def last_year(self) -> int:
        return max([self.last, *(y for cal in self.calendars for y in cal.years)])

    def decide(self, day: date) -> CalendarDay | None:
        for cal in self.calendars:
            working = cal.decides(day)
            if working is not None:
                return CalendarDay(day, working, f"{cal.source} ({cal.origin})")
        if self.first <= day.year <= self.last:
            import chinese_calendar

            return CalendarDay(
                day,
                bool(chinese_calendar.is_workday(day)),
                f"State Council holiday notice for {day.year}, as packaged by {_package_version()}",
            )
        if self.assume:
            self.assumed.add(day.year)
            return CalendarDay(
                day,
                day.weekday() < 5,
                f"assumed: no official holiday calendar for {day.year}, so Saturdays and "
                "Sundays are rest days and every other day works (assume='weekends')",
                assumed=True,
            )
        return None

    def error(self, name: str, value: object, day: date, counting: str = "") -> InputError:
        reach = f" ({counting} reaches {day.isoformat()})" if counting else ""
        return InputError(
            name,
            value,
            f"a date in the years {self.covered()} that the holiday calendar covers{reach}; the "
            f"last covered year is {self.last_year()} ({_package_version()} covers "
            f"{self.first}-{self.last}). To add "
            f"{day.year}, write its State Council schedule (国务院办公厅关于{day.year}年部分节假日"
            f"安排的通知) to a TOML file and pass calendar='file.toml' or set {ENV_VAR}=file.toml; "
            "or pass assume='weekends' to take Saturdays and Sundays as the only rest days",
        )

    def working(self, day: date, name: str, value: object, counting: str = "") -> bool:
        found = self.decide(day)
        if found is None:
            raise self.error(name, value, day, counting)
        return found.working

    def warn(self, stacklevel: int = 2) -> None:
        warn_assumed(self.assumed, stacklevel=stacklevel + 1)


def warn_assumed(years: Iterable[int], stacklevel: int = 2) -> None:
    """Emit :class:`AssumedWeekendsWarning` for ``years`` (nothing when empty).

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     warn_assumed({2027})
    >>> str(seen[0].message)
    "no official holiday calendar for 2027: assumed Saturdays and Sundays are the only rest days ..."
    """
    known = set(years)
    if known:
        warnings.warn(
            f"no official holiday calendar for {_years_text(known)}: assumed Saturdays and "
            f"Sundays are the only rest days (assume='weekends'); add the year's State Council "
            f"schedule with calendar= or {ENV_VAR} for the official answer",
            AssumedWeekendsWarning,
            stacklevel=stacklevel + 1,
        )


class _NameDeprecated(TypedDict, total=False):
    name: str


def _name(deprecated: Mapping[str, object], func: str) -> str:
    """``day``, or the deprecated ``name=`` (the argument name for an error message)."""
    unknown = sorted(set(deprecated) - {"name"})
    if unknown:
        raise TypeError(f"{func}() got an unexpected keyword argument {unknown[0]!r}")
    if "name" in deprecated:
        _deprecated.warn(f"{func}(day, name=...)", f"{func}(day) (the error names 'day')", stacklevel=4)
        return str(deprecated["name"])
    return "day"


def calendar_day(
    day: DateLike, *, calendar: CalendarArg = None, assume: Assume | None = None,
    **deprecated: Unpack[_NameDeprecated],
) -> CalendarDay:
    """A day's status (工作日 or not) together with the calendar that decided it.

    Parameters
    ----------
    day : date, datetime or str
        The date (ISO ``YYYY-MM-DD`` for a string).
    calendar : Calendar, path, or a list of them, optional
        Holiday files that take precedence over the shipped data (and over
        the files named by ``GJJCALC_HOLIDAYS``).
    assume : {"weekends"}, optional
        For a date past every calendar, take Saturdays and Sundays as the
        only rest days instead of raising.

    Returns
    -------
    CalendarDay
        ``working``, the ``source`` that decided, and ``assumed`` (True when
        ``assume="weekends"`` decided; no warning is given, the result says it).

    Raises
    ------
    InputError
        For a date no calendar covers (without ``assume``); the message
        names the covered years and how to add one.

    Examples
    --------
    >>> calendar_day("2026-02-14").working    # a Saturday worked before Spring Festival 2026
    True
    >>> calendar_day("2026-02-14").source
    'State Council holiday notice for 2026, as packaged by chinesecalendar ...'
    >>> d = calendar_day("2027-01-16", assume="weekends")
    >>> d.working, d.assumed
    (False, True)
    """
    return _calendar_day(day, _name(deprecated, "calendar_day"), calendar, assume)


def _calendar_day(day: DateLike, name: str, calendar: CalendarArg, assume: Assume | None) -> CalendarDay:
    """:func:`calendar_day`, an error naming the argument ``name``."""
    resolver = _Resolver(calendar, assume)
    when = to_date(day, name)
    found = resolver.decide(when)
    if found is None:
        raise resolver.error(name, day, when)
    return found


def is_working_day(
    day: DateLike, *, calendar: CalendarArg = None, assume: Assume | None = None,
    **deprecated: Unpack[_NameDeprecated],
) -> bool:
    """Whether ``day`` is a working day in China (工作日).

    Parameters
    ----------
    day : date, datetime or str
        The date to test (a ``datetime`` is reduced to its date; a string is
        ISO ``YYYY-MM-DD``).
    calendar : Calendar, path, or a list of them, optional
        Holiday files (:func:`load_calendar`) that take precedence over the
        shipped data and over ``GJJCALC_HOLIDAYS``.
    assume : {"weekends"}, optional
        For a date past every calendar, take Saturdays and Sundays as the
        only rest days; an :class:`AssumedWeekendsWarning` says so.

    Returns
    -------
    bool
        True on a weekday that is not a public holiday, and on an adjusted
        working weekend day (调休上班); False on weekends and holidays.

    Raises
    ------
    InputError
        If ``day`` is not a date, or no calendar covers it and ``assume`` is
        not given: the message names the covered years, the last one, and
        how to add a year (``calendar=`` or ``GJJCALC_HOLIDAYS``).

    Notes
    -----
    Source: the State Council's yearly notices (国务院办公厅关于某年部分节假日
    安排的通知), as packaged by ``chinesecalendar``; see the module notes.

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
    gjjcalc.errors.InputError: day='1999-10-01' is out of range: expected a date in the years 2004-... that the holiday calendar covers; the last covered year is ...
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", AssumedWeekendsWarning)
    ...     is_working_day("2027-01-15", assume="weekends")   # a Friday, assumed
    True
    """
    name = _name(deprecated, "is_working_day")
    resolver = _Resolver(calendar, assume)
    working = resolver.working(to_date(day, name), name, day)
    resolver.warn()
    return working


def next_working_day(
    day: DateLike, *, calendar: CalendarArg = None, assume: Assume | None = None
) -> date:
    """The first working day after ``day`` (``day`` itself is never the answer).

    For "on ``day``, or the next working day when it is a rest day" (遇法定
    节假日顺延) use ``add_working_days(day, 0)``.

    Parameters
    ----------
    day : date, datetime or str
        The date to start from.
    calendar, assume
        As for :func:`is_working_day`.

    Returns
    -------
    date
        The next working day, adjusted working weekends included.

    Raises
    ------
    InputError
        If the search reaches a date no calendar covers (without ``assume``).

    Examples
    --------
    National Day 2025 (1-8 October off, Saturday 11 October worked):

    >>> next_working_day("2025-09-30")
    datetime.date(2025, 10, 9)
    >>> next_working_day("2025-10-10")   # a Friday; the Saturday after is worked
    datetime.date(2025, 10, 11)
    """
    return _offset(day, 1, calendar, assume, f"searching the working day after {day}")


def add_working_days(
    day: DateLike, n: int, *, calendar: CalendarArg = None, assume: Assume | None = None
) -> date:
    """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

    ``day`` itself is not counted: "within five working days" (五个工作日内)
    of an application made on ``day`` ends on ``add_working_days(day, 5)``.
    ``n = 0`` gives ``day`` when it is a working day and otherwise the next
    working day (遇法定节假日顺延).

    Parameters
    ----------
    day : date, datetime or str
        The date to count from.
    n : int
        The number of working days, any integer (at most 100,000 in size).
    calendar, assume
        As for :func:`is_working_day`.

    Returns
    -------
    date
        The working day reached. It is always a working day, and
        ``working_days_between(day, add_working_days(day, n)) == n`` for
        ``n > 0``.

    Raises
    ------
    InputError
        If ``n`` is not an integer, or counting reaches a date no calendar
        covers (without ``assume``); the message says which.

    Examples
    --------
    Spring Festival 2026 (15-23 February off, Saturdays 14 and 28 February
    worked):

    >>> add_working_days("2026-02-12", 3)
    datetime.date(2026, 2, 24)
    >>> add_working_days("2026-02-24", -2)
    datetime.date(2026, 2, 13)
    >>> add_working_days("2026-02-15", 0)   # a holiday: rolls forward
    datetime.date(2026, 2, 24)
    """
    if isinstance(n, bool) or not isinstance(n, int) or abs(n) > 100_000:
        raise InputError("n", n, "an integer number of working days, -100000 to 100000")
    return _offset(day, n, calendar, assume, f"counting {n} working days from {day}")


def _offset(day: object, n: int, calendar: object, assume: object, counting: str) -> date:
    resolver = _Resolver(calendar, assume)
    when = to_date(day, "day")
    if n == 0:
        while not resolver.working(when, "day", day, f"rolling {day} to a working day"):
            when += timedelta(days=1)
    else:
        step = timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        while left:
            when += step
            if resolver.working(when, "day", day, counting):
                left -= 1
    resolver.warn(stacklevel=3)
    return when


def working_days_between(
    start: DateLike, end: DateLike, *, calendar: CalendarArg = None, assume: Assume | None = None
) -> int:
    """The number of working days after ``start`` up to and including ``end``.

    ``start`` is excluded and ``end`` included, so that
    ``working_days_between(d, add_working_days(d, n)) == n``. When ``end`` is
    before ``start`` the count is negative (minus the working days after
    ``end`` up to and including ``start``); equal dates give 0.

    Parameters
    ----------
    start, end : date, datetime or str
        The two dates.
    calendar, assume
        As for :func:`is_working_day`.

    Returns
    -------
    int
        The signed count of working days in ``(start, end]``.

    Raises
    ------
    InputError
        If a day in between is in no calendar (without ``assume``).

    Examples
    --------
    September 2024 to the end of National Day week: 29 September (a Sunday)
    is worked, 1-7 October are off:

    >>> working_days_between("2024-09-27", "2024-10-07")
    2
    >>> working_days_between("2024-10-08", "2024-09-27")   # 29 and 30 September, 8 October
    -3
    """
    resolver = _Resolver(calendar, assume)
    first = to_date(start, "start")
    last = to_date(end, "end")
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    if (last - first).days > 200_000:
        raise InputError("end", end, "a date within 200,000 days of start")
    count = 0
    when = first
    while when < last:
        when += timedelta(days=1)
        if resolver.working(when, "end" if sign > 0 else "start", end if sign > 0 else start):
            count += 1
    resolver.warn()
    return sign * count
