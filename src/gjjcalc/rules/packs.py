"""Center packs (地区规则包): each center's rules as a validated TOML file.

A pack is data: one TOML file per center under ``gjjcalc/rules/data/``.
Every constant is an inline table naming its value and its source::

    [prepayment.partial]
    multiple = { value = 1000, source = "吉林省住房公积金管理中心《个人网厅操作手册》 §6 注", effective = 2018-01-05 }

``effective`` defaults to the pack's own ``[pack] effective`` date, which is
either a TOML date or the string ``"undated"`` when the source states none.
A constant may also be an array of versions with different ``effective``
dates; :meth:`Pack.in_force` picks the ones in force on a day. Each key is
declared once, as a field of the section classes below, and files are
decoded with msgspec from those declarations (:func:`pack_schema` gives the
JSON Schema).
A pack says only what its source says: a limit a center does not publish is
absent. Unknown keys and out-of-range values raise
:class:`~gjjcalc.errors.InputError` naming the file and the key; a file that
is not valid TOML raises one naming the file. ``docs/rules.md`` documents
every key.

>>> pack = load_pack("jilin")
>>> pack.accrual_start
<AccrualStart.DAY_AFTER_DUE: 'day_after_due'>
>>> pack.partial.multiple.value
Fraction(1000, 1)
>>> pack.variants
('notes',)
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import stat
import sys
import threading
import tomllib
import types
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from fractions import Fraction
from functools import cache, lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, ClassVar, Generic, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from gjjcalc.conventions import AccrualStart
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_date, to_months, to_rate

__all__ = [
    "CalculatorRules",
    "ContributionRules",
    "EligibilityRules",
    "FileInputError",
    "OffsetRules",
    "Pack",
    "PrepaymentRules",
    "QuotaRules",
    "RegionCap",
    "Sourced",
    "UpliftRules",
    "WithdrawalRules",
    "load_pack",
    "pack_names",
    "pack_schema",
    "parse_pack",
]

T = TypeVar("T")

_DATA = "gjjcalc.rules.data"

MAX_FILE_BYTES = 1 << 20
"""Largest pack or rate file read, in bytes (1 MiB; the shipped ones are a few KiB)."""
MAX_DEPTH = 32
"""Deepest nesting of tables and arrays a pack may have (the shipped ones use 4)."""


class FileInputError(InputError):
    """A file given as an argument cannot be read: not found, a directory, not permitted, not UTF-8.

    An :class:`~gjjcalc.errors.InputError` (so also a ``ValueError``) whose
    message says what is wrong with the file instead of "out of range";
    ``problem`` holds that part.

    >>> raise FileInputError("/nowhere/x.toml", "/nowhere/x.toml", "a readable UTF-8 TOML pack file", "not found")
    Traceback (most recent call last):
    ...
    gjjcalc.rules.packs.FileInputError: /nowhere/x.toml: not found (expected a readable UTF-8 TOML pack file)
    """

    def __init__(self, name: str, value: object, allowed: str, problem: str) -> None:
        super().__init__(name, value, allowed)
        self.problem = problem
        where = name if value == name else f"{name} ({_shown(value)})"
        self.args = (f"{where}: {problem} (expected {allowed})",)

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.value, self.allowed, self.problem))


def _shown(value: object, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _problem(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "not found"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return f"cannot be read ({err.strerror or type(err).__name__})"


def _read_text(
    path: str | os.PathLike[str] | Traversable,
    name: str,
    allowed: str,
    *,
    limit: int = MAX_FILE_BYTES,
) -> str:
    """The text of a small UTF-8 file; every way it cannot be read is a :class:`FileInputError`.

    Only a regular file is opened (never a directory, a FIFO or a device), and
    at most ``limit`` bytes are read.

    >>> _read_text("/nowhere/rates.csv", "rates", "a readable UTF-8 CSV file")
    Traceback (most recent call last):
    ...
    gjjcalc.rules.packs.FileInputError: rates ('/nowhere/rates.csv'): not found (expected a readable UTF-8 CSV file)
    """
    shown = str(path)
    data: bytes
    if isinstance(path, str | os.PathLike):
        try:
            where = os.fsdecode(os.fspath(path))
            mode = os.stat(where).st_mode
        except OSError as err:
            raise FileInputError(name, shown, allowed, _problem(err)) from None
        except (TypeError, ValueError):  # a NUL character, an undecodable name
            raise FileInputError(name, shown, allowed, "is not a valid file name") from None
        if stat.S_ISDIR(mode):
            raise FileInputError(name, shown, allowed, "is a directory")
        if not stat.S_ISREG(mode):
            raise FileInputError(name, shown, allowed, "is not a regular file")
        try:
            with open(where, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError as err:
            raise FileInputError(name, shown, allowed, _problem(err)) from None
    elif isinstance(path, Traversable):
        try:
            data = path.read_bytes()
        except OSError as err:
            raise FileInputError(name, shown, allowed, _problem(err)) from None
    else:
        raise InputError(name, path, allowed)
    if len(data) > limit:
        raise FileInputError(name, shown, allowed, f"is larger than {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        problem = f"is not UTF-8 (byte {data[err.start]:#04x} at offset {err.start})"
        raise FileInputError(name, shown, allowed, problem) from None


# --- value kinds ----------------------------------------------------------------
#
# Each key of a pack is declared once, as a field of the section classes below, with its type.
# A value that needs gjjcalc's own coercion (an amount, a ratio, a bounded integer, a day of the
# year ...) is ``Annotated[<python type>, <kind>]``: the kind, a subclass of ``_Kind``, holds the
# parser (``to_amount``, ``to_rate``, ``to_months`` ...), the text an error shows as "expected"
# and the JSON Schema. From these declarations ``_file_type`` derives the msgspec types a pack
# file is decoded with, and ``pack_schema`` the JSON Schema.


Parser = Callable[[object, str], T]


class _Kind:
    """A value kind: msgspec decodes it by calling :meth:`parse` (through ``_dec_hook``)."""

    __slots__ = ("value",)
    allowed: ClassVar[str] = "a value"
    schema: ClassVar[dict[str, Any]] = {}

    def __init__(self, value: object) -> None:
        self.value = value

    @staticmethod
    def parse(value: object, name: str) -> object:  # pragma: no cover - every kind overrides it
        raise NotImplementedError


def _kind(
    title: str, parse: Parser[Any], allowed: str, schema: dict[str, Any]
) -> type[_Kind]:
    return type(
        title,
        (_Kind,),
        {
            "__slots__": (),
            "parse": staticmethod(parse),
            "allowed": allowed,
            "schema": {"title": title, "description": allowed, **schema},
        },
    )


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(name, value, "a non-empty string")
    return value.strip()


def _effective(value: object, name: str) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if value == "undated":
        return None
    raise InputError(
        name, value, 'a TOML date (YYYY-MM-DD) or "undated" when the source gives none'
    )


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(name, value, "true or false")
    return value


def _money(value: object, name: str) -> Fraction:
    return to_amount(value, name)


def _ratio(value: object, name: str) -> Fraction:
    frac = to_rate(value, name, what="a ratio")
    if frac == 0:
        raise InputError(name, value, "a ratio greater than 0 and at most 1 (e.g. 0.8 or '80%')")
    return frac


def _multiple(value: object, name: str) -> Fraction:
    return to_amount(value, name, maximum=Fraction(100))


def _strings(value: object, name: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise InputError(name, value, "a non-empty array of strings")
    return tuple(_text(item, f"{name}[{i}]") for i, item in enumerate(value))


def _clock(value: object, name: str) -> time:
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                return parsed
    raise InputError(name, value, "a time of day 'HH:MM'")


def _hours(value: object, name: str) -> tuple[time, time]:
    allowed = "an array of two times ['HH:MM', 'HH:MM'], opening before closing"
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InputError(name, value, allowed)
    start, end = _clock(value[0], f"{name}[0]"), _clock(value[1], f"{name}[1]")
    if not start < end:
        raise InputError(name, value, allowed)
    return start, end


def _month_day(value: object, name: str) -> tuple[int, int]:
    if isinstance(value, str):
        try:
            day = date.fromisoformat(f"2000-{value.strip()}")  # 2000 is a leap year
        except ValueError:
            pass
        else:
            return day.month, day.day
    raise InputError(name, value, "a day of the year 'MM-DD'")


def _blackout(value: object, name: str) -> tuple[tuple[tuple[int, int], tuple[int, int]], ...]:
    allowed = "an array of ['MM-DD', 'MM-DD'] pairs (inclusive; a pair may wrap over the new year)"
    if not isinstance(value, list | tuple) or not value:
        raise InputError(name, value, allowed)
    out = []
    for i, pair in enumerate(value):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InputError(f"{name}[{i}]", pair, allowed)
        out.append((_month_day(pair[0], f"{name}[{i}][0]"), _month_day(pair[1], f"{name}[{i}][1]")))
    return tuple(out)


def _ints(title: str, minimum: int, maximum: int) -> type[_Kind]:
    def parse(value: object, name: str) -> int:
        return to_months(value, name, minimum=minimum, maximum=maximum)

    allowed = f"an integer from {minimum} to {maximum}"
    return _kind(title, parse, allowed, {"type": "integer", "minimum": minimum, "maximum": maximum})


def _choice(title: str, *options: str) -> type[_Kind]:
    def parse(value: object, name: str) -> str:
        if value not in options:
            raise InputError(name, value, "one of " + ", ".join(repr(o) for o in options))
        return str(value)

    return _kind(title, parse, "one of " + ", ".join(repr(o) for o in options), {"enum": list(options)})


def _choices(title: str, *options: str) -> type[_Kind]:
    one = _choice(title, *options)

    def parse(value: object, name: str) -> tuple[str, ...]:
        items = _strings(value, name)
        for i, item in enumerate(items):
            one.parse(item, f"{name}[{i}]")
        return items

    allowed = "a non-empty array of " + one.allowed
    return _kind(f"{title}List", parse, allowed, {"type": "array", "items": {"enum": list(options)}, "minItems": 1})


_NUMBER_OR_TEXT = {"anyOf": [{"type": "number"}, {"type": "string"}]}
_TEXT = _kind("Text", _text, "a non-empty string", {"type": "string", "pattern": r"\S"})
_EFFECTIVE = _kind(
    "Effective",
    _effective,
    'a TOML date (YYYY-MM-DD) or "undated" when the source gives none',
    {"anyOf": [{"type": "string", "format": "date"}, {"const": "undated"}]},
)
_FLAG = _kind("Flag", _flag, "true or false", {"type": "boolean"})
_MONEY = _kind(
    "Money", _money, "an amount in yuan greater than 0, in whole fen (e.g. 1000 or '1,000')",
    {"anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"type": "string"}]},
)
_RATIO = _kind(
    "Ratio", _ratio, "a ratio greater than 0 and at most 1 (e.g. 0.8 or '80%')",
    {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 1}, {"type": "string"}]},
)
_MULTIPLE = _kind(
    "Multiple", _multiple, "a multiple greater than 0 and at most 100",
    {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 100}, {"type": "string"}]},
)
_STRINGS = _kind(
    "Strings", _strings, "a non-empty array of strings",
    {"type": "array", "items": {"type": "string", "pattern": r"\S"}, "minItems": 1},
)
_HOURS = _kind(
    "Hours", _hours, "an array of two times ['HH:MM', 'HH:MM'], opening before closing",
    {"type": "array", "items": {"type": "string", "pattern": r"^\d{1,2}:\d{2}$"}, "minItems": 2, "maxItems": 2},
)
_BLACKOUT = _kind(
    "Blackout", _blackout,
    "an array of ['MM-DD', 'MM-DD'] pairs (inclusive; a pair may wrap over the new year)",
    {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^\d{2}-\d{2}$"},
            "minItems": 2,
            "maxItems": 2,
        },
    },
)
_ACCRUAL = _choice("AccrualStart", *(m.value for m in AccrualStart))

Text = Annotated[str, _TEXT]
Effective = Annotated[date | None, _EFFECTIVE]
Flag = Annotated[bool, _FLAG]
Money = Annotated[Fraction, _MONEY]
Ratio = Annotated[Fraction, _RATIO]
Multiple = Annotated[Fraction, _MULTIPLE]
Strings = Annotated[tuple[str, ...], _STRINGS]
Months = Annotated[int, _ints("Months", 1, 600)]
MonthsOrZero = Annotated[int, _ints("MonthsOrZero", 0, 600)]
ShortMonths = Annotated[int, _ints("ShortMonths", 1, 12)]
"""A term of at most a year: loans repaid in one sum (到期一次还本付息)."""
Age = Annotated[int, _ints("Age", 40, 80)]
ExtraYears = Annotated[int, _ints("ExtraYears", 0, 20)]
HouseYears = Annotated[int, _ints("HouseYears", 1, 200)]
Count = Annotated[int, _ints("Count", 1, 100)]


# --- the declarations: one field per key -----------------------------------------


class Sourced(msgspec.Struct, Generic[T], frozen=True):
    """A pack constant: its value, where it comes from and since when.

    ``effective`` is ``None`` when the source states no date. In a file a
    constant is an inline table ``{ value, source, effective?, note? }``, or
    an array of them with different ``effective`` dates (see
    :meth:`Pack.in_force`).
    """

    value: T
    source: str
    effective: date | None
    note: str = ""


class _Constant(msgspec.Struct, Generic[T], forbid_unknown_fields=True, frozen=True):
    """How a :class:`Sourced` constant is written in a file (its ``effective`` may be left out)."""

    value: T
    source: _TEXT  # type: ignore[valid-type]
    effective: _EFFECTIVE | UnsetType = UNSET  # type: ignore[valid-type]
    note: _TEXT | UnsetType = UNSET  # type: ignore[valid-type]


class _Section(msgspec.Struct, frozen=True, kw_only=True):
    """A table of a pack; its fields are the table's keys."""


class RegionCap(msgspec.Struct, frozen=True):
    """One group of purchase locations sharing a maximum loan (最高贷款额度).

    In a file: ``[[quota.region_cap]]`` with ``value``, ``areas``, ``source``
    and optionally ``effective`` and ``note``. An area may be named in several
    groups with different ``effective`` dates: the group in force on a day is
    the latest on or before it.
    """

    areas: tuple[str, ...]
    cap: Sourced[Fraction]


class _CapEntry(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """How a :class:`RegionCap` is written in a file."""

    value: _MONEY  # type: ignore[valid-type]
    areas: _STRINGS  # type: ignore[valid-type]
    source: _TEXT  # type: ignore[valid-type]
    effective: _EFFECTIVE | UnsetType = UNSET  # type: ignore[valid-type]
    note: _TEXT | UnsetType = UNSET  # type: ignore[valid-type]


class UpliftRules(_Section, frozen=True, kw_only=True):
    """One uplift (上浮) of a pack's household cap: a share of the base cap, or an amount.

    In a file: ``[quota.uplift.<name>]`` with ``label`` and ``source`` (plain
    strings), optionally ``effective`` and ``note``, and exactly one of the
    constants ``share`` (of the base cap, e.g. ``"40%"``) or ``amount`` (in
    yuan); ``home`` (``"first"`` or ``"second"``) limits it to one kind of
    home. ``name`` is the table's name: the uplift named ``first_home``
    applies to every first home, the others when the borrower qualifies
    (``loan_quota(..., uplifts=[name, ...])``).
    """

    _not_in_file: ClassVar[tuple[str, ...]] = ("name",)

    name: str = ""
    label: Text
    source: Text
    effective: Effective = None
    note: Text = ""
    share: Sourced[Ratio] | None = None
    amount: Sourced[Money] | None = None
    home: Sourced[Annotated[str, _choice("UpliftHome", "first", "second")]] | None = None


class QuotaRules(_Section, frozen=True, kw_only=True):
    """Loan-quota limits (贷款额度). Every field is optional.

    The household caps (``cap`` …) are picked by the home and the household:
    for a second home the first of ``cap_second_home_single`` /
    ``cap_second_home_couple``, ``cap_second_home``, ``cap_single`` /
    ``cap_couple``, ``cap`` that the pack has; for a first home the same with
    ``cap_first_home…``. The ``top_cap`` keys (the most the uplifts may reach)
    are picked the same way.
    """

    unit: Sourced[Money] | None = None
    region_caps: tuple[RegionCap, ...] = msgspec.field(default=(), name="region_cap")
    ltv: Sourced[Ratio] | None = None
    ltv_first_home: Sourced[Ratio] | None = None
    ltv_second_home: Sourced[Ratio] | None = None
    balance_multiple: Sourced[Multiple] | None = None
    balance_multiple_second_home: Sourced[Multiple] | None = None
    balance_floor: Sourced[Money] | None = None
    capacity_ratio: Sourced[Ratio] | None = None
    capacity_mode: Sourced[Annotated[str, _choice("CapacityMode", "annuity", "linear")]] | None = None
    retirement_age_male: Sourced[Age] | None = None
    retirement_age_female: Sourced[Age] | None = None
    age_extra_years: Sourced[ExtraYears] | None = None
    max_term_months: Sourced[Months] | None = None
    house_types: Sourced[Strings] | None = None
    second_hand_types: Sourced[Strings] | None = None
    house_age_max: Sourced[HouseYears] | None = None
    house_age_plus_term_max: Sourced[HouseYears] | None = None
    unsettled_loan_refused: Sourced[Flag] | None = None
    within_unpaid_price: Sourced[Flag] | None = None
    # caps by household (单方 / 夫妻双方缴存) and home (首套 / 二套), uplifts and top caps
    cap: Sourced[Money] | None = None
    cap_single: Sourced[Money] | None = None
    cap_couple: Sourced[Money] | None = None
    cap_first_home: Sourced[Money] | None = None
    cap_first_home_single: Sourced[Money] | None = None
    cap_first_home_couple: Sourced[Money] | None = None
    cap_second_home: Sourced[Money] | None = None
    cap_second_home_single: Sourced[Money] | None = None
    cap_second_home_couple: Sourced[Money] | None = None
    top_cap: Sourced[Money] | None = None
    top_cap_single: Sourced[Money] | None = None
    top_cap_couple: Sourced[Money] | None = None
    top_cap_first_home: Sourced[Money] | None = None
    top_cap_first_home_single: Sourced[Money] | None = None
    top_cap_first_home_couple: Sourced[Money] | None = None
    top_cap_second_home: Sourced[Money] | None = None
    top_cap_second_home_single: Sourced[Money] | None = None
    top_cap_second_home_couple: Sourced[Money] | None = None
    uplift_combine: Sourced[Annotated[str, _choice("UpliftCombine", "sum", "max")]] | None = None
    uplifts: tuple[UpliftRules, ...] = msgspec.field(default=(), name="uplift")
    # Guangzhou's form: balance × k + monthly contribution × months (× factor)
    formula_balance_multiple: Sourced[Multiple] | None = None
    formula_months: Sourced[Annotated[str, _choice("FormulaMonths", "to_retirement", "term")]] | None = None
    formula_factor: Sourced[Multiple] | None = None
    # a quota from monthly contributions (月缴存额 [+ 补充住房公积金月缴存额]) × months
    contribution_multiple: Sourced[Months] | None = None
    supplementary_included: Sourced[Flag] | None = None


CAP_KEYS = (
    "cap", "cap_single", "cap_couple",
    "cap_first_home", "cap_first_home_single", "cap_first_home_couple",
    "cap_second_home", "cap_second_home_single", "cap_second_home_couple",
)  # fmt: skip
"""The household cap keys of ``[quota]`` (each also exists with the prefix ``top_``)."""


class EligibilityRules(_Section, frozen=True, kw_only=True):
    """Loan eligibility (贷款条件, as Liangshan's center page states them). Every field is optional."""

    min_contribution_months: Sourced[Months] | None = None
    employer_arrears_months: Sourced[Months] | None = None
    withdrawal_within_months: Sourced[Months] | None = None
    arrears_join: Sourced[Annotated[str, _choice("ArrearsJoin", "and", "or")]] | None = None
    no_other_housing_loan: Sourced[Flag] | None = None
    no_guarantee: Sourced[Flag] | None = None
    overdue_consecutive_refused_at: Sourced[Months] | None = None
    overdue_total_refused_at: Sourced[Months] | None = None
    purchase_within_years: Sourced[Count] | None = None
    max_homes: Sourced[Count] | None = None
    no_unsettled_loan: Sourced[Flag] | None = None


class ContributionRules(_Section, frozen=True, kw_only=True):
    """Contribution ratio range (缴存比例)."""

    ratio_min: Sourced[Ratio] | None = None
    ratio_max: Sourced[Ratio] | None = None


class WithdrawalRules(_Section, frozen=True, kw_only=True):
    """One withdrawal kind (提取) a center names, with its caps and conditions.

    ``kind`` is the table's name (``[withdrawal.<kind>]``); ``effective``
    defaults to the pack's.
    """

    _not_in_file: ClassVar[tuple[str, ...]] = ("kind",)

    kind: str = ""
    label: Text
    source: Text
    effective: Effective = None
    note: Text = ""
    unit: Sourced[Money] | None = None
    full: Sourced[Flag] | None = None
    within_price_paid: Sourced[Flag] | None = None
    within_repaid: Sourced[Flag] | None = None
    total_within_loan: Sourced[Flag] | None = None
    couple_within_remaining: Sourced[Flag] | None = None
    income_share: Sourced[Ratio] | None = None
    fixed_amount: Sourced[Money] | None = None
    within_medical_costs: Sourced[Flag] | None = None
    within_costs: Sourced[Flag] | None = None
    retirement_age_male: Sourced[Age] | None = None
    retirement_age_female: Sourced[Age] | None = None
    account_sealed: Sourced[Flag] | None = None
    loan_settled: Sourced[Flag] | None = None
    unemployed_months_more_than: Sourced[MonthsOrZero] | None = None
    unemployed_months_at_least: Sourced[Months] | None = None
    sealed_months_at_least: Sourced[Months] | None = None
    frequency: Sourced[Annotated[str, _choice("Frequency", "once", "yearly", "every_12_months")]] | None = None
    refused_after: Sourced[Strings] | None = None
    spouse_balance: Sourced[Flag] | None = None


class PrepaymentRules(_Section, frozen=True, kw_only=True):
    """When and how a partial prepayment or a payoff may be made."""

    multiple: Sourced[Money] | None = None
    balance_above: Sourced[Money] | None = None
    working_days_only: Sourced[Flag] | None = None
    hours: Sourced[Annotated[tuple[time, time], _HOURS]] | None = None
    blackout: Sourced[Annotated[tuple[tuple[tuple[int, int], tuple[int, int]], ...], _BLACKOUT]] | None = None
    no_due_day: Sourced[Flag] | None = None
    no_day_before_due: Sourced[Flag] | None = None
    max_months_ahead: Sourced[Months] | None = None


class OffsetRules(_Section, frozen=True, kw_only=True):
    """Paying the loan from fund balances (对冲还贷 / 内转还款)."""

    modes: Sourced[
        Annotated[
            tuple[str, ...],
            _choices("OffsetMode", "monthly", "one_off", "installment", "prepayment", "payoff"),
        ]
    ] | None = None
    spouse_authorized: Sourced[Flag] | None = None


class CalculatorRules(_Section, frozen=True, kw_only=True):
    """What a center's own calculator takes (informational)."""

    amount_unit: Sourced[Money] | None = None
    by_area: Sourced[Flag] | None = None


class _LoanRules(_Section, frozen=True, kw_only=True):
    accrual_start: Sourced[Annotated[str, _ACCRUAL]] | None = None
    # loans of at most this many months are repaid in one sum at maturity (到期一次还本付息)
    lump_sum_months: Sourced[ShortMonths] | None = None


class _PrepaymentTables(_Section, frozen=True, kw_only=True):
    partial: PrepaymentRules | None = None
    payoff: PrepaymentRules | None = None


class _Head(_Section, frozen=True, kw_only=True):
    name: Text
    title: Text
    effective: Effective
    note: Text = ""
    missing: Strings = ()


class _Variant(_Section, frozen=True, kw_only=True):
    description: Text
    loan: _LoanRules | None = None
    quota: QuotaRules | None = None
    eligibility: EligibilityRules | None = None
    contribution: ContributionRules | None = None
    withdrawal: dict[str, dict[str, Any]] | None = None  # partial tables: checked when applied
    prepayment: _PrepaymentTables | None = None
    offset: OffsetRules | None = None
    calculator: CalculatorRules | None = None


class _PackFile(_Section, frozen=True, kw_only=True):
    pack: _Head
    loan: _LoanRules | None = None
    quota: QuotaRules | None = None
    eligibility: EligibilityRules | None = None
    contribution: ContributionRules | None = None
    withdrawal: dict[str, WithdrawalRules] | None = None
    prepayment: _PrepaymentTables | None = None
    offset: OffsetRules | None = None
    calculator: CalculatorRules | None = None
    variants: dict[str, _Variant] | None = None


WITHDRAWAL_KINDS = (
    "purchase",
    "build",
    "repayment",
    "payoff",
    "rent",
    "public_rental",
    "illness",
    "disaster",
    "retirement",
    "early_retirement",
    "disability",
    "abroad",
    "unemployed",
    "death",
    "low_income",
    "nonlocal_departure",
    "renovation",
    "lift",
)
"""The built-in withdrawal kind names (the union over the shipped centers); a pack may declare others."""

_KIND_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
"""A withdrawal kind a pack declares of its own: a lower-case name."""


# --- deriving the file types from the declarations ---------------------------------


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def _unset_default(hint: object) -> bool:
    return _kind_of(hint) is _EFFECTIVE


def _kind_of(hint: object) -> type[_Kind] | None:
    if typing.get_origin(hint) is Annotated:
        for meta in hint.__metadata__:  # type: ignore[attr-defined]
            if isinstance(meta, type) and issubclass(meta, _Kind):
                return meta
    return None


@cache
def _file_type(hint: Any) -> Any:
    """The msgspec type a file's value for a key declared as ``hint`` is decoded with."""
    kind = _kind_of(hint)
    if kind is not None:
        return kind
    origin = typing.get_origin(hint)
    if origin is Annotated:
        return _file_type(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        args = [_file_type(a) for a in typing.get_args(hint)]
        for a in typing.get_args(hint):
            if typing.get_origin(a) is Sourced:  # a constant may also be an array of versions
                args.insert(1, Annotated[list[_file_type(a)], msgspec.Meta(min_length=1)])  # type: ignore[misc]
        return typing.Union[tuple(args)]  # noqa: UP007 (built at run time)
    if origin is Sourced:
        return _Constant[_file_type(typing.get_args(hint)[0])]  # type: ignore[misc]
    if origin is tuple and typing.get_args(hint) == (RegionCap, Ellipsis):
        return Annotated[list[_CapEntry], msgspec.Meta(min_length=1)]
    if origin is tuple and typing.get_args(hint) == (UpliftRules, Ellipsis):
        return dict[str, _file_struct(UpliftRules)]  # type: ignore[misc]
    if origin is dict:
        key, value = typing.get_args(hint)
        return dict[key, _file_type(value)]  # type: ignore[misc,valid-type]
    if isinstance(hint, type) and issubclass(hint, _Section):
        return _file_struct(hint)
    return hint


@cache
def _file_struct(cls: type[_Section]) -> type[msgspec.Struct]:
    hints = _hints(cls)
    skip: tuple[str, ...] = getattr(cls, "_not_in_file", ())
    fields: list[tuple[str, Any, Any]] = []
    for f in msgspec.structs.fields(cls):
        if f.name in skip:
            continue
        hint = hints[f.name]
        tp = _file_type(hint)
        if f.required:
            fields.append((f.encode_name, tp, msgspec.NODEFAULT))
        elif _unset_default(hint) or f.default == "":
            fields.append((f.encode_name, tp | UnsetType, UNSET))
        else:
            fields.append((f.encode_name, tp | None, None))
    return msgspec.defstruct(
        cls.__name__.lstrip("_"),
        fields,
        forbid_unknown_fields=True,
        frozen=True,
        kw_only=True,
        module=__name__,
    )


# --- decoding, and errors that name the file and the key -----------------------------


class _Fail(ValueError):
    """Raised by ``_dec_hook`` so that msgspec adds the path; carries the InputError."""

    def __init__(self, err: InputError) -> None:
        super().__init__(err.allowed)
        self.err = err


_LAST = threading.local()
"""The InputError of the last value a kind refused (msgspec keeps only the message)."""


def _dec_hook(tp: type, obj: object) -> object:
    if isinstance(tp, type) and issubclass(tp, _Kind):
        try:
            return tp(tp.parse(obj, ""))
        except InputError as err:
            _LAST.err = err
            raise _Fail(err) from None
    raise NotImplementedError(tp)


_AT = re.compile(r"^(?P<msg>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")


def _describe(info: msgspec.inspect.Type) -> str:
    """What a value of this type is, for "expected ..." in an error."""
    mi = msgspec.inspect
    if isinstance(info, mi.CustomType) and issubclass(info.cls, _Kind):
        return info.cls.allowed
    if isinstance(info, mi.StructType):
        names = [f.encode_name for f in info.fields]
        if names[:2] == ["value", "source"]:
            return "a constant: an inline table { value = ..., source = '...', effective = YYYY-MM-DD, note = '...' }"
        required = [f.encode_name for f in info.fields if f.required]
        return "a table" + (f" with {', '.join(required)}" if required else "")
    if isinstance(info, mi.UnionType):
        kinds = [t for t in info.types if not isinstance(t, mi.NoneType)]
        if len(kinds) == 2 and isinstance(kinds[1], mi.ListType):
            return _describe(kinds[0]) + ", or an array of them with different effective dates"
        return " or ".join(_describe(t) for t in kinds)
    if isinstance(info, mi.ListType | mi.VarTupleType):
        return "an array of tables"
    if isinstance(info, mi.DictType):
        return "a table"
    return "a valid value"


def _narrow(data: object, info: msgspec.inspect.Type) -> msgspec.inspect.Type:
    """The member of a union that the data's shape (table or array) selects."""
    mi = msgspec.inspect
    if isinstance(info, mi.UnionType):
        want = (mi.StructType, mi.DictType) if isinstance(data, Mapping) else (mi.ListType,)
        return next((t for t in info.types if isinstance(t, want)), info)
    return info


def _step(data: object, info: msgspec.inspect.Type, key: str | int) -> tuple[object, msgspec.inspect.Type]:
    """Go down one key (or index) in the data and its type together."""
    mi = msgspec.inspect
    info = _narrow(data, info)
    child = data[key] if isinstance(data, Mapping) and key in data else None
    if isinstance(key, int) and isinstance(data, list | tuple) and key < len(data):
        child = data[key]
    if isinstance(info, mi.StructType):
        field = next((f for f in info.fields if f.encode_name == key), None)
        return child, field.type if field is not None else mi.AnyType()
    if isinstance(info, mi.DictType):
        return child, info.value_type
    if isinstance(info, mi.ListType):
        return child, info.item_type
    return child, mi.AnyType()


def _input_error(origin: str, data: object, root: Any, err: msgspec.ValidationError) -> InputError:
    """The :class:`InputError` for msgspec's error: the file and the key path, never msgspec's text."""
    cause: InputError | None = getattr(_LAST, "err", None)
    _LAST.err = None
    match = _AT.match(str(err))
    assert match is not None
    message, where = match["msg"], match["path"] or "$"
    info = msgspec.inspect.type_info(root)
    value: object = data
    path = ""
    for step in _STEP.finditer(where):
        key: str | int
        if step[1] is not None:
            key = step[1]
            path = f"{path}.{key}" if path else key
        elif step[2] == "...":  # a table's key: msgspec does not name it, so find it
            entries = value if isinstance(value, Mapping) else {}
            value_type = _step(value, info, "")[1]
            key = next(
                (k for k, v in entries.items() if _fails(v, value_type, info)),
                next(iter(entries), ""),
            )
            path = f"{path}.{key}" if path else str(key)
        else:
            key = int(step[2])
            path = f"{path}[{key}]"
        value, info = _step(value, info, key)
    if isinstance(value, Mapping):
        info = _narrow(value, info)
    if "unknown field" in message:
        extra = re.search(r"`([^`]*)`", message)
        key = extra[1] if extra else "?"
        fields = info.fields if isinstance(info, msgspec.inspect.StructType) else ()
        allowed = "one of the keys " + ", ".join(sorted(f.encode_name for f in fields))
        child = value.get(key) if isinstance(value, Mapping) else None
        return InputError(f"{origin}: {_join(path, key)}", child, allowed)
    if "missing required field" in message:
        extra = re.search(r"`([^`]*)`", message)
        key = extra[1] if extra else "?"
        _, field_type = _step(value, info, key)
        return InputError(f"{origin}: {_join(path, key)}", None, _describe(field_type))
    if cause is not None and message == cause.allowed:
        return InputError(f"{origin}: {path}{cause.name}", cause.value, cause.allowed)
    return InputError(f"{origin}: {path}" if path else origin, value, _describe(info))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fails(value: object, info: msgspec.inspect.Type, _parent: msgspec.inspect.Type) -> bool:
    tp = getattr(info, "cls", None)
    if tp is None:
        return False
    try:
        msgspec.convert(value, tp, dec_hook=_dec_hook)
    except msgspec.ValidationError:
        return True
    return False


def _decode(data: Mapping[str, Any], origin: str) -> Any:
    root = _file_struct(_PackFile)
    _LAST.err = None
    try:
        return msgspec.convert(data, root, dec_hook=_dec_hook)
    except msgspec.ValidationError as err:
        failure = _input_error(origin, data, root, err)
    raise failure


# --- building a pack from the decoded file ----------------------------------------------


class _Build:
    """The context of one build: the file, the pack's date, and the day constants are picked for."""

    def __init__(self, origin: str, effective: date | None, on: date | None) -> None:
        self.origin = origin
        self.effective = effective
        self.on = on
        self.dated = False
        self.pending: dict[str, date] = {}

    def when(self, raw: object) -> date | None:
        if raw is UNSET:
            return self.effective
        assert isinstance(raw, _Kind)
        return typing.cast("date | None", raw.value)

    def constant(self, raw: Any) -> Sourced[Any]:
        value = raw.value.value if isinstance(raw.value, _Kind) else raw.value
        note = "" if raw.note is UNSET else raw.note.value
        return Sourced(value, raw.source.value, self.when(raw.effective), note)

    def versions(self, raw: list[Any], path: str) -> Sourced[Any]:
        """The version of a constant in force (the newest when no day is asked for)."""
        self.dated = True
        built = sorted(
            ((self.constant(item), i) for i, item in enumerate(raw)),
            key=lambda pair: _order(pair[0].effective),
        )
        for (a, _), (b, j) in itertools.pairwise(built):
            if a.effective == b.effective:
                raise InputError(
                    f"{self.origin}: {path}[{j}].effective",
                    b.effective if b.effective is not None else "undated",
                    "an effective date that no other version of the constant has",
                )
        if self.on is None:
            return built[-1][0]
        in_force = [c for c, _ in built if c.effective is None or c.effective <= self.on]
        if not in_force:
            first = built[0][0].effective
            raise InputError(
                "on",
                self.on.isoformat(),
                f"a date on or after {first} ({self.origin}: {path} is first in force on {first})",
            )
        return in_force[-1]

    def caps(self, raw: list[Any], path: str) -> tuple[RegionCap, ...]:
        groups = [(RegionCap(tuple(e.areas.value), self.constant(e)), i) for i, e in enumerate(raw)]
        named: dict[str, list[tuple[date | None, int]]] = {}
        for group, i in groups:
            for area in group.areas:
                dates = named.setdefault(area, [])
                if any(d == group.cap.effective for d, _ in dates):
                    raise InputError(
                        f"{self.origin}: {path}[{i}].areas",
                        area,
                        "each area named in one group only (or in groups with different effective dates)",
                    )
                dates.append((group.cap.effective, i))
        chosen: dict[str, int] = {}
        for area, dates in named.items():
            dates.sort(key=lambda pair: _order(pair[0]))
            if len(dates) > 1:
                self.dated = True
            if self.on is None:
                chosen[area] = dates[-1][1]
                continue
            on = self.on
            in_force = [i for d, i in dates if d is None or d <= on]
            if in_force:
                chosen[area] = in_force[-1]
            else:
                first = dates[0][0]
                assert first is not None
                self.pending[area] = first
        out = []
        for group, i in groups:
            kept = tuple(a for a in group.areas if chosen.get(a) == i)
            if kept:
                out.append(RegionCap(kept, group.cap))
        return tuple(out)

    def uplifts(self, raw: dict[str, Any], path: str) -> tuple[UpliftRules, ...]:
        out = []
        for name, body in raw.items():
            where = f"{self.origin}: {path}.{name}"
            if not _KIND_NAME.fullmatch(name):
                raise InputError(where, name, "an uplift name: a lower-case name (letters a-z, digits and _)")
            uplift = self.section(UpliftRules, body, f"{path}.{name}", name=name)
            if (uplift.share is None) == (uplift.amount is None):
                raise InputError(
                    where, {"share": uplift.share, "amount": uplift.amount},
                    "exactly one of share (of the base cap) or amount (in yuan)",
                )
            out.append(uplift)
        return tuple(out)

    def section(self, cls: type[S], raw: Any, path: str, **extra: Any) -> S:
        hints = _hints(cls)
        values: dict[str, Any] = dict(extra)
        for f in msgspec.structs.fields(cls):
            if f.name in values:
                continue
            item = getattr(raw, f.encode_name) if raw is not None else None
            key = f"{path}.{f.encode_name}"
            if item is UNSET and _unset_default(hints[f.name]):
                values[f.name] = self.effective
            elif item is None or item is UNSET:
                continue
            elif isinstance(item, _Kind):
                values[f.name] = item.value
            elif isinstance(item, _Constant):
                values[f.name] = self.constant(item)
            elif isinstance(item, list) and item and isinstance(item[0], _CapEntry):
                values[f.name] = self.caps(item, key)
            elif isinstance(item, dict) and hints[f.name] == tuple[UpliftRules, ...]:
                values[f.name] = self.uplifts(item, key)
            elif isinstance(item, list):
                values[f.name] = self.versions(item, key)
            else:
                values[f.name] = item
        return cls(**values)


S = TypeVar("S", bound=_Section)


def _order(day: date | None) -> tuple[int, date]:
    return (0, date.min) if day is None else (1, day)


@dataclass(frozen=True, slots=True)
class Pack:
    """One center's rules, loaded and validated.

    ``accrual_start`` is the center's start of interest accrual after a due
    date; a pack that does not state it gets
    ``AccrualStart.DUE_DATE`` and an empty ``accrual_start_source``.
    ``lump_sum_months`` (``[loan] lump_sum_months``, at most 12) says that the
    center repays loans of at most that many months in one sum at maturity
    (到期一次还本付息): a :class:`~gjjcalc.loan.Loan` with the pack and no
    ``method`` then uses ``"lump_sum"``; ``None`` when the pack does not say.

    A constant written as an array of versions with different ``effective``
    dates (or an area named in several cap groups) makes the pack *dated*
    (``dated`` is true): as loaded, each such constant is its newest version,
    and :meth:`in_force` gives the pack as in force on a day (``on`` is that
    day). ``pending_areas`` lists, for a pack in force on a day, the areas
    whose first cap starts later, with that date. ``missing`` lists what the
    pack's sources do not give (``[pack] missing``): constants left out rather
    than guessed.
    """

    name: str
    title: str
    origin: str
    effective: date | None
    accrual_start: AccrualStart
    accrual_start_source: str
    quota: QuotaRules
    eligibility: EligibilityRules
    contribution: ContributionRules
    withdrawals: tuple[WithdrawalRules, ...]
    partial: PrepaymentRules
    payoff: PrepaymentRules
    offset: OffsetRules
    calculator: CalculatorRules
    note: str = ""
    missing: tuple[str, ...] = ()
    variant_name: str | None = None
    variants: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)
    dated: bool = False
    on: date | None = None
    pending_areas: tuple[tuple[str, date], ...] = ()
    lump_sum_months: int | None = None
    lump_sum_months_source: str = ""
    _days: dict[date, Pack] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def withdrawal_kinds(self) -> tuple[str, ...]:
        """The withdrawal kinds this pack names, in file order."""
        return tuple(w.kind for w in self.withdrawals)

    def withdrawal(self, kind: str) -> WithdrawalRules:
        """The rules of one withdrawal kind.

        >>> load_pack("qingdao").withdrawal("rent").fixed_amount.value
        Fraction(8400, 1)
        >>> load_pack("qingdao").withdrawal("lottery")
        Traceback (most recent call last):
        ...
        gjjcalc.errors.InputError: kind='lottery' is out of range: expected one of the kinds the qingdao pack names: ...
        """
        for rules in self.withdrawals:
            if rules.kind == kind:
                return rules
        allowed = ", ".join(repr(k) for k in self.withdrawal_kinds) or "(none)"
        raise InputError("kind", kind, f"one of the kinds the {self.name} pack names: {allowed}")

    def in_force(self, on: object) -> Pack:
        """The pack with every dated constant picked as in force on ``on``.

        For each constant written as versions, the one in force is the latest
        whose ``effective`` is on or before ``on`` (a version without a date
        is in force from the start); for each area of the region caps, the
        same among the groups naming it. A constant written once is in force
        always, so an undated pack is returned as it is.

        Raises
        ------
        InputError
            Naming ``on`` and the first date, when ``on`` is before every
            version of a constant.

        >>> load_pack("liangshan").in_force("2026-06-01") is load_pack("liangshan")
        True
        """
        day = to_date(on, "on")
        if not self.dated:
            return self
        found = self._days.get(day)
        if found is None:
            found = parse_pack(self.raw, origin=self.origin, variant=self.variant_name, on=day)
            if len(self._days) >= 64:
                self._days.clear()
            self._days[day] = found
        return found

    def variant(self, name: str) -> Pack:
        """The pack with one of its named alternative rule sets applied.

        A variant overrides some of the pack's tables; the Jilin center's
        manual states two payoff rule sets, so ``jilin`` ships the second as variant ``notes``.

        >>> notes = load_pack("jilin").variant("notes")
        >>> notes.payoff.hours.value
        (datetime.time(9, 30), datetime.time(16, 0))
        """
        variants = self.raw.get("variants", {})
        if not isinstance(name, str) or name not in variants:
            allowed = ", ".join(repr(v) for v in self.variants) or "(none)"
            raise InputError("variant", name, f"one of the {self.name} pack's variants: {allowed}")
        override = dict(variants[name])
        override.pop("description", None)
        merged = _merge(self.raw, override)
        return parse_pack(merged, origin=self.origin, variant=name, on=self.on)


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge tables; a constant (a table with ``value``) or array is replaced whole."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        old = out.get(key)
        if (
            isinstance(value, dict)
            and isinstance(old, dict)
            and "value" not in value
            and "value" not in old
        ):
            out[key] = _merge(old, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _check_depth(data: object, origin: str) -> None:
    """Refuse tables and arrays nested deeper than :data:`MAX_DEPTH` (walked without recursion)."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Iterable[object] = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth >= MAX_DEPTH:
            raise InputError(
                origin, f"<nested more than {MAX_DEPTH} deep>", f"tables and arrays nested at most {MAX_DEPTH} deep"
            )
        stack.extend((child, depth + 1) for child in children)


def parse_pack(
    data: Mapping[str, Any],
    *,
    origin: str = "<pack>",
    variant: str | None = None,
    on: object = None,
) -> Pack:
    """Validate a pack's parsed TOML (a mapping) and build the :class:`Pack`.

    ``origin`` names the file in error messages. :func:`load_pack` calls
    this; call it directly to build a pack in code. ``on`` picks the dated
    constants in force on that day (see :meth:`Pack.in_force`); by default
    each is its newest version.

    >>> pack = parse_pack({
    ...     "pack": {"name": "demo", "title": "Demo center", "effective": "undated"},
    ...     "quota": {"unit": {"value": 1000, "source": "https://example.invalid/rules"}},
    ... })
    >>> pack.quota.unit.value, pack.quota.unit.effective is None
    (Fraction(1000, 1), True)
    >>> parse_pack({"pack": {"name": "demo", "title": "Demo", "effective": "undated"},
    ...             "quota": {"unti": {"value": 1000, "source": "x"}}}, origin="demo.toml")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: demo.toml: quota.unti={'value': 1000, 'source': 'x'} is out of range: expected one of the keys ...
    """
    if not isinstance(data, Mapping):
        raise InputError(origin, data, "a table (a mapping of the pack's sections)")
    _check_depth(data, origin)
    day = to_date(on, "on") if on is not None else None
    decoded = _decode(data, origin)
    head = decoded.pack
    effective = typing.cast("date | None", head.effective.value)
    build = _Build(origin, effective, day)

    accrual: Sourced[Any] | None = None
    lump: Sourced[Any] | None = None
    if decoded.loan is not None:
        loan_rules = build.section(_LoanRules, decoded.loan, "loan")
        accrual, lump = loan_rules.accrual_start, loan_rules.lump_sum_months
    withdrawals = []
    for kind, body in (decoded.withdrawal or {}).items():
        if kind not in WITHDRAWAL_KINDS and not _KIND_NAME.fullmatch(kind):
            raise InputError(
                f"{origin}: withdrawal.{kind}",
                kind,
                "a kind of the pack's own (a lower-case name: letters a-z, digits and _) or one of "
                + ", ".join(WITHDRAWAL_KINDS),
            )
        withdrawals.append(build.section(WithdrawalRules, body, f"withdrawal.{kind}", kind=kind))
    prepayment = decoded.prepayment
    partial = prepayment.partial if prepayment is not None else None
    payoff = prepayment.payoff if prepayment is not None else None

    pack = Pack(
        name=head.name.value if variant is None else f"{head.name.value}:{variant}",
        title=head.title.value,
        origin=origin,
        effective=effective,
        accrual_start=AccrualStart(accrual.value) if accrual else AccrualStart.DUE_DATE,
        accrual_start_source=accrual.source if accrual else "",
        lump_sum_months=None if lump is None else int(lump.value),
        lump_sum_months_source="" if lump is None else lump.source,
        quota=build.section(QuotaRules, decoded.quota, "quota"),
        eligibility=build.section(EligibilityRules, decoded.eligibility, "eligibility"),
        contribution=build.section(ContributionRules, decoded.contribution, "contribution"),
        withdrawals=tuple(withdrawals),
        partial=build.section(PrepaymentRules, partial, "prepayment.partial"),
        payoff=build.section(PrepaymentRules, payoff, "prepayment.payoff"),
        offset=build.section(OffsetRules, decoded.offset, "offset"),
        calculator=build.section(CalculatorRules, decoded.calculator, "calculator"),
        note="" if head.note is UNSET else head.note.value,
        missing=() if head.missing is None else tuple(head.missing.value),
        variant_name=variant,
        variants=tuple(decoded.variants or ()),
        raw=copy.deepcopy(dict(data)),
        dated=build.dated,
        on=day if build.dated else None,
        pending_areas=tuple(sorted(build.pending.items())),
    )
    return pack


def pack_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a pack file, for editors that complete TOML from one.

    Generated from the same declarations that :func:`load_pack` validates
    with; ``docs/pack-schema.json`` is this schema. TOML dates appear as
    strings of format ``date``.

    >>> schema = pack_schema()
    >>> schema["$defs"]["PackFile"]["required"]
    ['pack']
    >>> sorted(schema["$defs"]["QuotaRules"]["properties"])[:3]
    ['age_extra_years', 'balance_floor', 'balance_multiple']
    """

    def hook(tp: type) -> dict[str, Any]:
        if isinstance(tp, type) and issubclass(tp, _Kind):
            return dict(tp.schema)
        raise NotImplementedError(tp)

    body = msgspec.json.schema(_file_struct(_PackFile), schema_hook=hook)
    text = json.dumps(body, ensure_ascii=False)  # the file-level names, without their underscores
    text = text.replace("_Constant_", "Constant_").replace("_CapEntry", "RegionCapEntry")
    body = json.loads(text)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "gjjcalc center pack (地区规则包)",
        "description": (
            "One housing provident fund center's rules as data: every constant is an inline table "
            "{ value, source, effective?, note? } (or an array of them with different effective dates)."
        ),
        **body,
    }


# --- loading ------------------------------------------------------------------

PACKS_ENV = "GJJCALC_PACKS"
"""The environment variable naming directories of ``<name>.toml`` packs (joined by ``os.pathsep``)."""
ENTRY_POINTS = "gjjcalc.packs"
"""The entry-point group of installed packages that ship packs (each a directory or a module)."""

_Folder = Path | Traversable


def _env_folders() -> list[tuple[str, _Folder]]:
    text = os.environ.get(PACKS_ENV, "")
    return [
        (f"{PACKS_ENV} directory {part}", Path(part))
        for part in text.split(os.pathsep)
        if part.strip()
    ]


def _entry_point_folders() -> list[tuple[str, _Folder]]:
    found: list[tuple[str, _Folder]] = []
    for ep in sorted(metadata.entry_points(group=ENTRY_POINTS), key=lambda e: (e.name, e.value)):
        label = f"entry point {ep.name} = {ep.value!r} ({ENTRY_POINTS})"
        try:
            target = ep.load()
            folder: _Folder
            if isinstance(target, types.ModuleType):
                if hasattr(target, "__path__"):
                    folder = resources.files(target)
                else:
                    folder = Path(str(target.__file__)).parent
            elif isinstance(target, str | os.PathLike):
                folder = Path(target)
            elif isinstance(target, Traversable):
                folder = target
            else:
                raise TypeError(f"{type(target).__name__} is neither a module nor a directory")
        except Exception as err:  # a broken plugin must not stop the shipped packs
            warnings.warn(f"gjjcalc: {label} cannot be loaded: {err}", RuntimeWarning, stacklevel=3)
            continue
        found.append((label, folder))
    return found


def _places() -> Iterator[tuple[str, _Folder]]:
    """Where packs are looked for by name, in order: GJJCALC_PACKS, the shipped ones, entry
    points (these are scanned only when asked for: reading every installed distribution's
    metadata takes milliseconds)."""
    yield from _env_folders()
    yield "the packs shipped with gjjcalc", resources.files(_DATA)
    yield from _entry_point_folders()


def _names_in(folder: _Folder) -> list[str]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return [
        e.name[: -len(".toml")]
        for e in entries
        if e.name.endswith(".toml") and not e.name.startswith(".") and _is_file(e)
    ]


def _is_file(entry: _Folder) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def pack_names() -> tuple[str, ...]:
    """The names of the packs that :func:`load_pack` finds by name, sorted.

    The packs shipped with gjjcalc, those in the directories of the
    ``GJJCALC_PACKS`` environment variable (read on every call) and those of
    installed packages (entry points ``gjjcalc.packs``).

    >>> pack_names()
    ('beijing', 'guangzhou', 'hangzhou', 'jilin', 'liangshan', 'liuzhou', 'ningxia', 'qingdao', 'shanghai', 'shenzhen', 'tianjin')
    """
    names: set[str] = set()
    for _, folder in _places():
        names.update(_names_in(folder))
    return tuple(sorted(names))


def _read(path: str, text: str, *, expect_name: str | None) -> Pack:
    # the error is raised after the except blocks, so that it carries no context: a
    # RecursionError's thousand-frame traceback would otherwise travel with it (and make it
    # unpicklable where tracebacks are pickled, as tblib does under dask.distributed)
    problem = None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        problem = f"<not valid TOML: {err}>"
    except RecursionError:
        problem = "<nested too deeply>"
    except ValueError as err:  # tomllib lets some value errors through (an integer of 5000 digits)
        problem = f"<not valid TOML: {err}>"
    if problem == "<nested too deeply>":
        raise InputError(path, problem, f"a pack file in TOML syntax, nested at most {MAX_DEPTH} deep")
    if problem is not None:
        raise InputError(path, problem, "a pack file in TOML syntax")
    pack = parse_pack(data, origin=path)
    if expect_name is not None and pack.name != expect_name:
        raise InputError(f"{path}: pack.name", pack.name, f"{expect_name!r} (the file's name)")
    return pack


@cache
def _shipped(name: str) -> Pack:
    resource = resources.files(_DATA).joinpath(f"{name}.toml")
    return _read(f"{name}.toml", resource.read_text(encoding="utf-8"), expect_name=name)


@lru_cache(maxsize=64)
def _found(where: str, name: str, stamp: tuple[int, int]) -> Pack:
    """A pack found by name outside the shipped ones, reloaded when the file changes (``stamp``)."""
    text = _read_text(where, where, "a readable UTF-8 .toml pack file")
    return _read(where, text, expect_name=name)


def _by_name(name: str) -> Pack | None:
    for label, folder in _places():
        if label == "the packs shipped with gjjcalc":
            if name in _names_in(folder):
                return _shipped(name)
            continue
        entry = folder.joinpath(f"{name}.toml")
        if not _is_file(entry):
            continue
        if isinstance(entry, Path):
            try:
                info = entry.stat()
            except OSError:
                continue
            return _found(str(entry), name, (info.st_mtime_ns, info.st_size))
        text = _read_text(entry, f"{label}: {name}.toml", "a readable UTF-8 .toml pack file")
        return _read(f"{name}.toml ({label})", text, expect_name=name)
    return None


def load_pack(name_or_path: object) -> Pack:
    """Load a center pack by name (cached), from a TOML file, or pass one through.

    Parameters
    ----------
    name_or_path : Pack, str or path
        A pack's name (see :func:`pack_names`), a path to a ``.toml``
        pack file of your own (a path object, or text ending in ``.toml``
        or containing a ``/``), or an already loaded :class:`Pack`.

    Returns
    -------
    Pack
        The validated pack. Packs found by name are looked for, in order, in
        the directories of ``GJJCALC_PACKS``, among the shipped packs, and
        in installed packages (entry points ``gjjcalc.packs``); they are
        loaded once and cached (a file is reloaded when it changes).

    Raises
    ------
    FileInputError
        (an :class:`~gjjcalc.errors.InputError`) for a path that cannot be
        read, naming the file: not found, a directory or not a regular file,
        permission denied, a name too long, larger than 1 MiB, not UTF-8.
    InputError
        For an unknown name (listing the packs and, beyond the shipped ones,
        where it looked), a file that is not TOML or is nested more than
        32 deep (naming the file), or an unknown key or out-of-range value
        (naming the file and the key).

    Examples
    --------
    >>> load_pack("liangshan").quota.region_caps[0].cap.value
    Fraction(600000, 1)
    >>> load_pack("liangshan") is load_pack("liangshan")
    True
    >>> load_pack("atlantis")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: pack='atlantis' is out of range: expected one of 'beijing', 'guangzhou', ..., 'tianjin', or a path to a .toml pack file; not found in the packs shipped with gjjcalc
    """
    if isinstance(name_or_path, Pack):
        return name_or_path
    if isinstance(name_or_path, str) and name_or_path and not _is_pack_path(name_or_path):
        found = _by_name(name_or_path)
        if found is not None:
            return found
    if _is_pack_path(name_or_path):
        assert isinstance(name_or_path, str | os.PathLike)
        path = str(name_or_path)
        text = _read_text(name_or_path, path, "a readable UTF-8 .toml pack file")
        return _read(path, text, expect_name=None)
    names = pack_names()
    allowed = f"one of {', '.join(repr(n) for n in names)}, or a path to a .toml pack file"
    places = _places()
    allowed += "; not found in " + "; ".join(label for label, _ in places)
    raise InputError("pack", name_or_path, allowed)


def _is_pack_path(value: object) -> bool:
    """Whether ``value`` is meant as a file: a path object, or text naming a ``.toml`` file."""
    if isinstance(value, os.PathLike):
        return True
    if not isinstance(value, str):
        return False
    return value.strip().lower().endswith(".toml") or os.sep in value or "/" in value


class _CallableModule(types.ModuleType):
    """This module, still callable as the function it once shadowed (``gjjcalc.rules.packs()``)."""

    def __call__(self) -> tuple[str, ...]:
        warnings.warn("gjjcalc.rules.packs() is now gjjcalc.rules.pack_names() (gjjcalc.rules.packs "
                      "is the module); the old call will be removed in gjjcalc 0.3",
                      DeprecationWarning, stacklevel=2)
        return pack_names()


sys.modules[__name__].__class__ = _CallableModule
