"""Center packs (地区规则包): each center's rules as a validated TOML file.

A pack is data: one TOML file per center under ``gjjcalc/rules/data/``.
Every constant is an inline table naming its value and its source::

    [prepayment.partial]
    multiple = { value = 1000, source = "吉林省住房公积金管理中心《个人网厅操作手册》 §6 注", effective = 2018-01-05 }

``effective`` defaults to the pack's own ``[pack] effective`` date, which is
either a TOML date or the string ``"undated"`` when the source states none.
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
import os
import stat
import sys
import tomllib
import types
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from fractions import Fraction
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Generic, TypeVar

from gjjcalc.conventions import AccrualStart
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_flag, to_months, to_rate

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
    "WithdrawalRules",
    "load_pack",
    "pack_names",
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


@dataclass(frozen=True, slots=True)
class Sourced(Generic[T]):
    """A pack constant: its value, where it comes from and since when.

    ``effective`` is ``None`` when the source states no date.
    """

    value: T
    source: str
    effective: date | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class RegionCap:
    """One group of purchase locations sharing a maximum loan (最高贷款额度)."""

    areas: tuple[str, ...]
    cap: Sourced[Fraction]


@dataclass(frozen=True, slots=True)
class QuotaRules:
    """Loan-quota limits (贷款额度). Every field is optional."""

    unit: Sourced[Fraction] | None = None
    region_caps: tuple[RegionCap, ...] = ()
    ltv: Sourced[Fraction] | None = None
    ltv_first_home: Sourced[Fraction] | None = None
    ltv_second_home: Sourced[Fraction] | None = None
    balance_multiple: Sourced[Fraction] | None = None
    balance_multiple_second_home: Sourced[Fraction] | None = None
    balance_floor: Sourced[Fraction] | None = None
    capacity_ratio: Sourced[Fraction] | None = None
    capacity_mode: Sourced[str] | None = None
    retirement_age_male: Sourced[int] | None = None
    retirement_age_female: Sourced[int] | None = None
    age_extra_years: Sourced[int] | None = None
    max_term_months: Sourced[int] | None = None
    house_types: Sourced[tuple[str, ...]] | None = None
    second_hand_types: Sourced[tuple[str, ...]] | None = None
    house_age_max: Sourced[int] | None = None
    house_age_plus_term_max: Sourced[int] | None = None
    unsettled_loan_refused: Sourced[bool] | None = None
    within_unpaid_price: Sourced[bool] | None = None


@dataclass(frozen=True, slots=True)
class EligibilityRules:
    """Loan eligibility (贷款条件, as Liangshan's center page states them). Every field is optional."""

    min_contribution_months: Sourced[int] | None = None
    employer_arrears_months: Sourced[int] | None = None
    withdrawal_within_months: Sourced[int] | None = None
    arrears_join: Sourced[str] | None = None
    no_other_housing_loan: Sourced[bool] | None = None
    no_guarantee: Sourced[bool] | None = None
    overdue_consecutive_refused_at: Sourced[int] | None = None
    overdue_total_refused_at: Sourced[int] | None = None
    purchase_within_years: Sourced[int] | None = None
    max_homes: Sourced[int] | None = None
    no_unsettled_loan: Sourced[bool] | None = None


@dataclass(frozen=True, slots=True)
class ContributionRules:
    """Contribution ratio range (缴存比例)."""

    ratio_min: Sourced[Fraction] | None = None
    ratio_max: Sourced[Fraction] | None = None


@dataclass(frozen=True, slots=True)
class WithdrawalRules:
    """One withdrawal kind (提取) a center names, with its caps and conditions."""

    kind: str
    label: str
    source: str
    effective: date | None
    note: str = ""
    unit: Sourced[Fraction] | None = None
    full: Sourced[bool] | None = None
    within_price_paid: Sourced[bool] | None = None
    within_repaid: Sourced[bool] | None = None
    total_within_loan: Sourced[bool] | None = None
    couple_within_remaining: Sourced[bool] | None = None
    income_share: Sourced[Fraction] | None = None
    fixed_amount: Sourced[Fraction] | None = None
    within_medical_costs: Sourced[bool] | None = None
    within_costs: Sourced[bool] | None = None
    retirement_age_male: Sourced[int] | None = None
    retirement_age_female: Sourced[int] | None = None
    account_sealed: Sourced[bool] | None = None
    loan_settled: Sourced[bool] | None = None
    unemployed_months_more_than: Sourced[int] | None = None
    unemployed_months_at_least: Sourced[int] | None = None
    sealed_months_at_least: Sourced[int] | None = None


@dataclass(frozen=True, slots=True)
class PrepaymentRules:
    """When and how a partial prepayment or a payoff may be made."""

    multiple: Sourced[Fraction] | None = None
    balance_above: Sourced[Fraction] | None = None
    working_days_only: Sourced[bool] | None = None
    hours: Sourced[tuple[time, time]] | None = None
    blackout: Sourced[tuple[tuple[tuple[int, int], tuple[int, int]], ...]] | None = None
    no_due_day: Sourced[bool] | None = None
    no_day_before_due: Sourced[bool] | None = None
    max_months_ahead: Sourced[int] | None = None


@dataclass(frozen=True, slots=True)
class OffsetRules:
    """Paying the loan from fund balances (对冲还贷 / 内转还款)."""

    modes: Sourced[tuple[str, ...]] | None = None
    spouse_authorized: Sourced[bool] | None = None


@dataclass(frozen=True, slots=True)
class CalculatorRules:
    """What a center's own calculator takes (informational)."""

    amount_unit: Sourced[Fraction] | None = None
    by_area: Sourced[bool] | None = None


@dataclass(frozen=True, slots=True)
class Pack:
    """One center's rules, loaded and validated.

    ``accrual_start`` is the center's start of interest accrual after a due
    date; a pack that does not state it gets
    ``AccrualStart.DUE_DATE`` and an empty ``accrual_start_source``.
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
    variant_name: str | None = None
    variants: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

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
        return parse_pack(merged, origin=self.origin, variant=name)


# --- validation -------------------------------------------------------------

Parser = Callable[[object, str], T]


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


class _Table:
    """One TOML table being read: takes known keys, then rejects the rest."""

    def __init__(self, origin: str, path: str, data: object, effective: date | None) -> None:
        if not isinstance(data, dict):
            raise InputError(self._name(origin, path), data, "a table")
        self.origin = origin
        self.path = path
        self.data: dict[str, Any] = dict(data)
        self.effective = effective
        self.known: set[str] = set()

    @staticmethod
    def _name(origin: str, path: str) -> str:
        return f"{origin}: {path}" if path else origin

    def key_name(self, key: str) -> str:
        return self._name(self.origin, f"{self.path}.{key}" if self.path else key)

    def has(self, key: str) -> bool:
        return key in self.data

    def table(self, key: str) -> _Table | None:
        self.known.add(key)
        if key not in self.data:
            return None
        sub = f"{self.path}.{key}" if self.path else key
        return _Table(self.origin, sub, self.data[key], self.effective)

    def plain(self, key: str, parse: Parser[T]) -> T | None:
        self.known.add(key)
        if key not in self.data:
            return None
        return parse(self.data[key], self.key_name(key))

    def const(self, key: str, parse: Parser[T]) -> Sourced[T] | None:
        self.known.add(key)
        if key not in self.data:
            return None
        return _constant(self.data[key], self.key_name(key), parse, self.effective)

    def consts(self, keys: Mapping[str, Parser[Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, parse in keys.items():
            value = self.const(key, parse)
            if value is not None:
                out[key] = value
        return out

    def done(self) -> None:
        for key in self.data:
            if key not in self.known:
                allowed = ", ".join(sorted(self.known)) or "(no keys)"
                raise InputError(self.key_name(key), self.data[key], f"one of the keys {allowed}")


def _constant(raw: object, name: str, parse: Parser[T], default: date | None) -> Sourced[T]:
    """Read ``{ value, source, effective?, note? }``; ``effective`` defaults to the pack's."""
    allowed = "a constant: an inline table { value = ..., source = '...', effective = YYYY-MM-DD, note = '...' }"
    if not isinstance(raw, dict) or "value" not in raw:
        raise InputError(name, raw, allowed)
    for key in raw:
        if key not in ("value", "source", "effective", "note"):
            raise InputError(
                f"{name}.{key}", raw[key], "one of the keys value, source, effective, note"
            )
    source = _text(raw.get("source"), f"{name}.source")
    effective = _effective(raw["effective"], f"{name}.effective") if "effective" in raw else default
    note = _text(raw["note"], f"{name}.note") if "note" in raw else ""
    return Sourced(parse(raw["value"], f"{name}.value"), source, effective, note)


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
    try:
        return to_flag(value, name)
    except InputError:
        raise InputError(name, value, "true or false") from None


def _money(value: object, name: str) -> Fraction:
    return to_amount(value, name)


def _ratio(value: object, name: str) -> Fraction:
    frac = to_rate(value, name, what="a ratio")
    if frac == 0:
        raise InputError(name, value, "a ratio greater than 0 and at most 1 (e.g. 0.8 or '80%')")
    return frac


def _multiple(value: object, name: str) -> Fraction:
    return to_amount(value, name, maximum=Fraction(100))


def _ints(minimum: int, maximum: int) -> Parser[int]:
    def parse(value: object, name: str) -> int:
        return to_months(value, name, minimum=minimum, maximum=maximum)

    return parse


def _choice(*options: str) -> Parser[str]:
    def parse(value: object, name: str) -> str:
        if value not in options:
            raise InputError(name, value, "one of " + ", ".join(repr(o) for o in options))
        return str(value)

    return parse


def _strings(value: object, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InputError(name, value, "a non-empty array of strings")
    return tuple(_text(item, f"{name}[{i}]") for i, item in enumerate(value))


def _modes(value: object, name: str) -> tuple[str, ...]:
    items = _strings(value, name)
    options = ("monthly", "one_off", "installment", "prepayment", "payoff")
    for i, item in enumerate(items):
        _choice(*options)(item, f"{name}[{i}]")
    return items


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
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(
            name, value, "an array of two times ['HH:MM', 'HH:MM'], opening before closing"
        )
    start, end = _clock(value[0], f"{name}[0]"), _clock(value[1], f"{name}[1]")
    if not start < end:
        raise InputError(
            name, value, "an array of two times ['HH:MM', 'HH:MM'], opening before closing"
        )
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
    if not isinstance(value, list) or not value:
        raise InputError(name, value, allowed)
    out = []
    for i, pair in enumerate(value):
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f"{name}[{i}]", pair, allowed)
        out.append((_month_day(pair[0], f"{name}[{i}][0]"), _month_day(pair[1], f"{name}[{i}][1]")))
    return tuple(out)


_QUOTA: dict[str, Parser[Any]] = {
    "unit": _money,
    "ltv": _ratio,
    "ltv_first_home": _ratio,
    "ltv_second_home": _ratio,
    "balance_multiple": _multiple,
    "balance_multiple_second_home": _multiple,
    "balance_floor": _money,
    "capacity_ratio": _ratio,
    "capacity_mode": _choice("annuity", "linear"),
    "retirement_age_male": _ints(40, 80),
    "retirement_age_female": _ints(40, 80),
    "age_extra_years": _ints(0, 20),
    "max_term_months": _ints(1, 600),
    "house_types": _strings,
    "second_hand_types": _strings,
    "house_age_max": _ints(1, 200),
    "house_age_plus_term_max": _ints(1, 200),
    "unsettled_loan_refused": _flag,
    "within_unpaid_price": _flag,
}

_ELIGIBILITY: dict[str, Parser[Any]] = {
    "min_contribution_months": _ints(1, 600),
    "employer_arrears_months": _ints(1, 600),
    "withdrawal_within_months": _ints(1, 600),
    "arrears_join": _choice("and", "or"),
    "no_other_housing_loan": _flag,
    "no_guarantee": _flag,
    "overdue_consecutive_refused_at": _ints(1, 600),
    "overdue_total_refused_at": _ints(1, 600),
    "purchase_within_years": _ints(1, 100),
    "max_homes": _ints(1, 100),
    "no_unsettled_loan": _flag,
}

_CONTRIBUTION: dict[str, Parser[Any]] = {"ratio_min": _ratio, "ratio_max": _ratio}

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
"""Every withdrawal kind a pack may name (the union over the shipped centers)."""

_WITHDRAWAL: dict[str, Parser[Any]] = {
    "unit": _money,
    "full": _flag,
    "within_price_paid": _flag,
    "within_repaid": _flag,
    "total_within_loan": _flag,
    "couple_within_remaining": _flag,
    "income_share": _ratio,
    "fixed_amount": _money,
    "within_medical_costs": _flag,
    "within_costs": _flag,
    "retirement_age_male": _ints(40, 80),
    "retirement_age_female": _ints(40, 80),
    "account_sealed": _flag,
    "loan_settled": _flag,
    "unemployed_months_more_than": _ints(0, 600),
    "unemployed_months_at_least": _ints(1, 600),
    "sealed_months_at_least": _ints(1, 600),
}

_PREPAYMENT: dict[str, Parser[Any]] = {
    "multiple": _money,
    "balance_above": _money,
    "working_days_only": _flag,
    "hours": _hours,
    "blackout": _blackout,
    "no_due_day": _flag,
    "no_day_before_due": _flag,
    "max_months_ahead": _ints(1, 600),
}

_OFFSET: dict[str, Parser[Any]] = {"modes": _modes, "spouse_authorized": _flag}
_CALCULATOR: dict[str, Parser[Any]] = {"amount_unit": _money, "by_area": _flag}


def _section(top: _Table, key: str, spec: Mapping[str, Parser[Any]]) -> dict[str, Any]:
    table = top.table(key)
    if table is None:
        return {}
    out = table.consts(spec)
    table.done()
    return out


def _region_caps(quota: _Table) -> tuple[RegionCap, ...]:
    quota.known.add("region_cap")
    if not quota.has("region_cap"):
        return ()
    raw = quota.data["region_cap"]
    name = quota.key_name("region_cap")
    if not isinstance(raw, list) or not raw:
        raise InputError(
            name, raw, "an array of tables [[quota.region_cap]] with value, areas, source"
        )
    groups = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        group_name = f"{name}[{i}]"
        if not isinstance(item, dict):
            raise InputError(group_name, item, "a table with value, areas, source")
        areas = _strings(item.get("areas"), f"{group_name}.areas")
        for area in areas:
            if area in seen:
                raise InputError(f"{group_name}.areas", area, "each area named in one group only")
            seen.add(area)
        constant = {k: v for k, v in item.items() if k != "areas"}
        groups.append(RegionCap(areas, _constant(constant, group_name, _money, quota.effective)))
    return tuple(groups)


def _withdrawals(top: _Table) -> tuple[WithdrawalRules, ...]:
    table = top.table("withdrawal")
    if table is None:
        return ()
    out = []
    for kind in table.data:
        if kind not in WITHDRAWAL_KINDS:
            raise InputError(
                table.key_name(kind), kind, "one of the kinds " + ", ".join(WITHDRAWAL_KINDS)
            )
        sub = table.table(kind)
        assert sub is not None
        label = sub.plain("label", _text)
        source = sub.plain("source", _text)
        if label is None or source is None:
            missing = "label" if label is None else "source"
            raise InputError(sub.key_name(missing), None, "a non-empty string")
        effective = sub.plain("effective", _effective) if sub.has("effective") else sub.effective
        note = sub.plain("note", _text) or ""
        consts = sub.consts(_WITHDRAWAL)
        sub.done()
        out.append(WithdrawalRules(kind, label, source, effective, note, **consts))
    table.done()
    return tuple(out)


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
    data: Mapping[str, Any], *, origin: str = "<pack>", variant: str | None = None
) -> Pack:
    """Validate a pack's parsed TOML (a mapping) and build the :class:`Pack`.

    ``origin`` names the file in error messages. :func:`load_pack` calls
    this; call it directly to build a pack in code.

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
    _check_depth(data, origin)
    top = _Table(origin, "", data, None)
    head = top.table("pack")
    if head is None:
        raise InputError(f"{origin}: pack", None, "a [pack] table with name, title and effective")
    name = head.plain("name", _text)
    title = head.plain("title", _text)
    if name is None or title is None:
        missing = "name" if name is None else "title"
        raise InputError(head.key_name(missing), None, "a non-empty string")
    if not head.has("effective"):
        raise InputError(head.key_name("effective"), None, 'a TOML date or "undated"')
    effective = head.plain("effective", _effective)
    note = head.plain("note", _text) or ""
    head.done()
    top.effective = effective

    loan = top.table("loan")
    accrual: Sourced[str] | None = None
    if loan is not None:
        loan.effective = effective
        accrual = loan.const("accrual_start", _choice(*(m.value for m in AccrualStart)))
        loan.done()

    quota_table = top.table("quota")
    quota = QuotaRules()
    if quota_table is not None:
        caps = _region_caps(quota_table)
        quota = QuotaRules(region_caps=caps, **quota_table.consts(_QUOTA))
        quota_table.done()

    prepayment = top.table("prepayment")
    partial: dict[str, Any] = {}
    payoff: dict[str, Any] = {}
    if prepayment is not None:
        partial = _section(prepayment, "partial", _PREPAYMENT)
        payoff = _section(prepayment, "payoff", _PREPAYMENT)
        prepayment.done()

    variants_table = top.table("variants")
    variants: tuple[str, ...] = ()
    if variants_table is not None:
        for key, body in variants_table.data.items():
            if not isinstance(body, dict) or not isinstance(body.get("description"), str):
                raise InputError(variants_table.key_name(key), body, "a table with a description")
        variants = tuple(variants_table.data)
        variants_table.known.update(variants)
        variants_table.done()

    pack = Pack(
        name=name if variant is None else f"{name}:{variant}",
        title=title,
        origin=origin,
        effective=effective,
        accrual_start=AccrualStart(accrual.value) if accrual else AccrualStart.DUE_DATE,
        accrual_start_source=accrual.source if accrual else "",
        quota=quota,
        eligibility=EligibilityRules(**_section(top, "eligibility", _ELIGIBILITY)),
        contribution=ContributionRules(**_section(top, "contribution", _CONTRIBUTION)),
        withdrawals=_withdrawals(top),
        partial=PrepaymentRules(**partial),
        payoff=PrepaymentRules(**payoff),
        offset=OffsetRules(**_section(top, "offset", _OFFSET)),
        calculator=CalculatorRules(**_section(top, "calculator", _CALCULATOR)),
        note=note,
        variant_name=variant,
        variants=variants,
        raw=copy.deepcopy(dict(data)),
    )
    top.done()
    return pack


# --- loading ------------------------------------------------------------------


def pack_names() -> tuple[str, ...]:
    """The names of the packs shipped with gjjcalc (the ``*.toml`` files).

    >>> pack_names()
    ('jilin', 'liangshan', 'liuzhou', 'ningxia', 'qingdao')
    """
    folder = resources.files(_DATA)
    return tuple(
        sorted(
            entry.name[: -len(".toml")]
            for entry in folder.iterdir()
            if entry.name.endswith(".toml") and entry.is_file()
        )
    )


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


def load_pack(name_or_path: object) -> Pack:
    """Load a center pack by name (cached), from a TOML file, or pass one through.

    Parameters
    ----------
    name_or_path : Pack, str or path
        A shipped pack's name (see :func:`packs`), a path to a ``.toml``
        pack file of your own (a path object, or text ending in ``.toml``
        or containing a ``/``), or an already loaded :class:`Pack`.

    Returns
    -------
    Pack
        The validated pack. Shipped packs are loaded once and cached.

    Raises
    ------
    FileInputError
        (an :class:`~gjjcalc.errors.InputError`) for a path that cannot be
        read, naming the file: not found, a directory or not a regular file,
        permission denied, a name too long, larger than 1 MiB, not UTF-8.
    InputError
        For an unknown name, a file that is not TOML or is nested more than
        32 deep (naming the file), or an unknown key or out-of-range value
        (naming the file and the key).

    Examples
    --------
    >>> load_pack("liangshan").quota.region_caps[0].cap.value
    Fraction(600000, 1)
    >>> load_pack("liangshan") is load_pack("liangshan")
    True
    >>> load_pack("beijing")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: pack='beijing' is out of range: expected one of 'jilin', 'liangshan', 'liuzhou', 'ningxia', 'qingdao', or a path to a .toml pack file
    """
    if isinstance(name_or_path, Pack):
        return name_or_path
    names = pack_names()
    if isinstance(name_or_path, str) and name_or_path in names:
        return _shipped(name_or_path)
    allowed = f"one of {', '.join(repr(n) for n in names)}, or a path to a .toml pack file"
    if _is_pack_path(name_or_path):
        assert isinstance(name_or_path, str | os.PathLike)
        path = str(name_or_path)
        text = _read_text(name_or_path, path, "a readable UTF-8 .toml pack file")
        return _read(path, text, expect_name=None)
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
