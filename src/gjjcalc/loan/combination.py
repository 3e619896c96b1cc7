"""Combination loans (组合贷款): a provident fund part and a commercial part, shown together.

A combination loan is two loans released together: the provident fund part
(公积金贷款, the benchmark rate of :mod:`gjjcalc.rules.rates`) and a bank's
commercial part (商业贷款), priced since 2019-10-08 as the LPR plus a spread
in basis points and repriced once a year, on 1 January or on the loan's
anniversary (PBoC announcement [2019] No. 16). Each part is amortized on its own, with its own
rate, method and convention; :func:`combination` lines their
schedules up period by period and adds them.

This module imports the rate tables only when :func:`commercial_loan` is
called, so ``import gjjcalc`` stays light.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from dateutil.relativedelta import relativedelta

from gjjcalc import _deprecated
from gjjcalc._display import dates, jsonable, pandas, table_html
from gjjcalc._types import AmountLike, ConventionLike, DateLike, MethodLike, MonthsLike
from gjjcalc.amortize.schedule import Schedule, due_dates
from gjjcalc.conventions import Convention, Method, parse_enum
from gjjcalc.errors import InputError
from gjjcalc.loan.history import Loan, RateChange
from gjjcalc.money import EXACT, to_date, to_months, to_rate

if TYPE_CHECKING:
    import pandas as pd

    from gjjcalc.rules.rates import LprTable, Repricing, Tenor

__all__ = [
    "MAX_SPREAD_BP",
    "MIN_SPREAD_BP",
    "Amounts",
    "CombinedRow",
    "CombinedSchedule",
    "PartColumns",
    "combination",
    "commercial_loan",
]

MAX_SPREAD_BP = 1000
"""Largest spread accepted, in basis points (10 percentage points above the LPR)."""
MIN_SPREAD_BP = -100
"""Lowest spread: the LPR minus 1 %. First homes were priced down to LPR − 20 bp from 2022
(PBoC and CBIRC notice of 2022-05-15 on the first-home floor) and lower in some cities."""

_ZERO = Decimal("0.00")


class _LprRepricing(StrEnum):
    """Deprecated: use :class:`gjjcalc.rules.Repricing` (``NEXT_JANUARY`` for ``JANUARY``,
    ``ANNIVERSARY``); until gjjcalc 0.3."""

    JANUARY = "january"
    ANNIVERSARY = "anniversary"


_LPR_RULES = ("next_january", "anniversary")


def _lpr_rule(repricing: object) -> Repricing:
    """An LPR loan's repricing rule: every 1 January or every anniversary (the deprecated
    ``"january"`` / ``LprRepricing`` spellings warn)."""
    from gjjcalc.rules import rates

    if repricing is _LprRepricing.JANUARY or repricing == "january":
        _deprecated.warn("commercial_loan(repricing='january') and LprRepricing.JANUARY",
                         "repricing='next_january' (Repricing.NEXT_JANUARY)", stacklevel=4)
        return rates.Repricing.NEXT_JANUARY
    if not isinstance(repricing, str) or repricing not in _LPR_RULES:
        raise InputError("repricing", repricing, "'next_january' (every 1 January) or 'anniversary' (every "
                         "anniversary of the release): the repricing days PBoC announcement [2019] No. 16 allows")
    return rates.Repricing(repricing)


class Amounts(NamedTuple):
    """One period of one part (or of the sum), in yuan to the fen."""

    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal


class CombinedRow(NamedTuple):
    """One period of a combination loan: each part and their sum."""

    period: int
    due_date: date
    provident: Amounts
    commercial: Amounts
    total: Amounts


@dataclass(frozen=True, slots=True)
class PartColumns:
    """Columns of one part, or of the sum, padded with zeros to the longer term.

    ``total_payment`` and ``total_interest`` are the part schedule's own
    totals (exact sums, rounded once); for the sum they are the sum of the
    two parts' totals, so that the totals add up exactly.
    """

    payment: tuple[Decimal, ...]
    principal: tuple[Decimal, ...]
    interest: tuple[Decimal, ...]
    balance: tuple[Decimal, ...]
    total_payment: Decimal
    total_interest: Decimal


@dataclass(frozen=True, slots=True)
class CombinedSchedule:
    """The schedule of a combination loan (组合贷款还款计划); index 0 is period 1.

    ``provident`` and ``commercial`` hold each part's columns padded with
    zeros to ``months`` (the longer term); ``total`` holds their sum, row by
    row. ``provident_schedule`` and ``commercial_schedule`` are the parts'
    own :class:`~gjjcalc.Schedule` objects (with their rates and prepayments).

    Examples
    --------
    >>> from gjjcalc import Loan
    >>> c = combination(
    ...     Loan(300000, "3.1%", 240, released="2024-03-01"),
    ...     Loan(200000, "3.95%", 120, released="2024-03-01"),
    ... )
    >>> c.months, c.first_payment, c.total.payment[0] == c.provident.payment[0] + c.commercial.payment[0]
    (240, Decimal('3699.00'), True)
    >>> c.commercial.payment[120], c.total.payment[120] == c.provident.payment[120]
    (Decimal('0.00'), True)
    """

    months: int
    due_dates: tuple[date, ...]
    provident: PartColumns
    commercial: PartColumns
    total: PartColumns
    provident_schedule: Schedule
    commercial_schedule: Schedule

    def __len__(self) -> int:
        return self.months

    def __iter__(self) -> Iterator[CombinedRow]:
        for k in range(self.months):
            yield CombinedRow(
                k + 1,
                self.due_dates[k],
                _amounts(self.provident, k),
                _amounts(self.commercial, k),
                _amounts(self.total, k),
            )

    @property
    def loan(self) -> Decimal:
        """The two parts together (贷款总额)."""
        return EXACT.add(self.provident_schedule.loan, self.commercial_schedule.loan)

    @property
    def first_payment(self) -> Decimal:
        """首月还款额 of both parts together."""
        return self.total.payment[0]

    @property
    def total_interest(self) -> Decimal:
        """利息总额 of both parts: the sum of the parts' totals."""
        return self.total.total_interest

    @property
    def total_payment(self) -> Decimal:
        """还款总额 of both parts: the sum of the parts' totals."""
        return self.total.total_payment

    def to_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """One row per period, columns ``provident_payment`` … ``total_balance`` (needs pandas).

        Money is ``float64``, or the exact ``Decimal`` objects with ``exact=True``.
        """
        pd = pandas()
        data: dict[str, Any] = {"due_date": dates(self.due_dates)}
        for name in ("provident", "commercial", "total"):
            part: PartColumns = getattr(self, name)
            for column in ("payment", "principal", "interest", "balance"):
                values = getattr(part, column)
                data[f"{name}_{column}"] = list(values) if exact else [float(x) for x in values]
        return pd.DataFrame(data, index=pd.RangeIndex(1, self.months + 1, name="period"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (money as exact strings, dates ISO): the totals and one row per
        period with each part and their sum.

        >>> from gjjcalc.loan import Loan, commercial_loan
        >>> c = combination(Loan(600000, "3.1%", 360, released="2024-03-01"),
        ...                 commercial_loan(400000, 360, released="2024-03-01"))
        >>> d = c.to_dict()
        >>> d["loan"], d["first_payment"], d["rows"][0]["due_date"], d["rows"][0]["total"]["payment"]
        ('1000000.00', '4460.25', '2024-04-01', '4460.25')
        """
        return {
            "months": self.months,
            "loan": jsonable(self.loan),
            "first_payment": jsonable(self.first_payment),
            "total_payment": jsonable(self.total_payment),
            "total_interest": jsonable(self.total_interest),
            "rows": [jsonable(row._asdict()) for row in self],
        }

    def _repr_html_(self) -> str:
        summary = {
            "months": self.months,
            "first_payment": self.first_payment,
            "total_interest": self.total.total_interest,
            "total_payment": self.total_payment,
        }
        columns = ["period", "due_date", "provident", "commercial", "total", "total_balance"]
        rows = [
            [k + 1, self.due_dates[k], self.provident.payment[k], self.commercial.payment[k],
             self.total.payment[k], self.total.balance[k]]
            for k in range(self.months)
        ]
        return table_html("CombinedSchedule", summary, columns, rows)


def _amounts(part: PartColumns, k: int) -> Amounts:
    return Amounts(part.payment[k], part.principal[k], part.interest[k], part.balance[k])


def _pad(values: tuple[Decimal, ...], months: int) -> tuple[Decimal, ...]:
    return values + (_ZERO,) * (months - len(values))


def _part(schedule: Schedule, months: int) -> PartColumns:
    return PartColumns(
        payment=_pad(schedule.payment, months),
        principal=_pad(schedule.principal, months),
        interest=_pad(schedule.interest, months),
        balance=_pad(schedule.balance, months),
        total_payment=schedule.total_payment,
        total_interest=schedule.total_interest,
    )


def _add(a: tuple[Decimal, ...], b: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
    return tuple(map(EXACT.add, a, b))  # exact whatever the caller's decimal context


def combination(provident: Loan, commercial: Loan) -> CombinedSchedule:
    """The combined schedule of a combination loan (组合贷款).

    Parameters
    ----------
    provident : Loan
        The provident fund part (公积金贷款), e.g. ``Loan(p, None, n, released=...)``
        to take the benchmark rate and its repricings from the tables.
    commercial : Loan
        The commercial part (商业贷款), typically from :func:`commercial_loan`.
        It must share the provident part's ``first_due`` (the parts are paid
        on the same days); its term may differ.

    Returns
    -------
    CombinedSchedule
        Per period, each part and their sum (payment, principal, interest,
        balance after the period), the due dates, and totals per part and
        combined. The shorter part is padded with zeros. Each part keeps its
        own rate, method, convention and recorded events.

    Raises
    ------
    InputError
        ``provident`` or ``commercial`` not a :class:`~gjjcalc.Loan`; the two
        parts with different first due dates.

    Notes
    -----
    Each combined amount is the sum of the two amounts as shown, so every
    column of ``total`` equals the sum of the parts row by row, and the
    totals are the sums of the parts' totals.

    Examples
    --------
    600,000 from the fund at 3.1% and 400,000 from a bank at the 5-year LPR
    of 2024-03-01 (3.95%), 360 months each:

    >>> from gjjcalc import Loan
    >>> c = combination(
    ...     Loan(600000, "3.1%", 360, released="2024-03-01"),
    ...     commercial_loan(400000, 360, released="2024-03-01", repricing="anniversary"),
    ... )
    >>> c.provident.payment[0], c.commercial.payment[0], c.first_payment
    (Decimal('2562.10'), Decimal('1898.15'), Decimal('4460.25'))
    >>> c.due_dates[0], c.loan
    (datetime.date(2024, 4, 1), Decimal('1000000.00'))
    """
    for name, value in (("provident", provident), ("commercial", commercial)):
        if not isinstance(value, Loan):
            raise InputError(name, value, "a gjjcalc.Loan")
    if commercial.first_due != provident.first_due:
        raise InputError(
            "commercial",
            f"a loan with first_due={commercial.first_due.isoformat()}",
            f"a loan with first_due={provident.first_due.isoformat()}, as the provident part"
            " (the two parts fall due on the same days)",
        )
    ps, cs = provident.schedule(), commercial.schedule()
    months = max(ps.months, cs.months)
    p, c = _part(ps, months), _part(cs, months)
    total = PartColumns(
        payment=_add(p.payment, c.payment),
        principal=_add(p.principal, c.principal),
        interest=_add(p.interest, c.interest),
        balance=_add(p.balance, c.balance),
        total_payment=EXACT.add(p.total_payment, c.total_payment),
        total_interest=EXACT.add(p.total_interest, c.total_interest),
    )
    return CombinedSchedule(
        months=months,
        due_dates=due_dates(provident.first_due, months),
        provident=p,
        commercial=c,
        total=total,
        provident_schedule=ps,
        commercial_schedule=cs,
    )


def _to_spread(value: object) -> int:
    allowed = f"a whole number of basis points from {MIN_SPREAD_BP} to {MAX_SPREAD_BP} (0.01% each)"
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("spread_bp", value, allowed)
    if not MIN_SPREAD_BP <= value <= MAX_SPREAD_BP:
        raise InputError("spread_bp", value, allowed)
    return value


def commercial_loan(
    principal: AmountLike,
    months: MonthsLike,
    *,
    released: DateLike,
    spread_bp: int = 0,
    tenor: Tenor | str | None = None,
    repricing: Repricing | str = "next_january",
    first_due: DateLike | None = None,
    method: MethodLike = Method.EQUAL_INSTALLMENT,
    convention: ConventionLike = Convention.CENTER,
    table: LprTable | None = None,
) -> Loan:
    """The commercial part of a combination loan (组合贷款的商业贷款部分), priced on the LPR.

    Parameters
    ----------
    principal : amount
        The commercial part in yuan (greater than 0, whole fen).
    months : int
        Term, 1 to 600.
    released : date or 'YYYY-MM-DD'
        放款日, on or after 2019-08-20 (the first LPR fixing) in the shipped table.
    spread_bp : int, keyword-only
        加点: basis points added to the LPR, a whole number from
        :data:`MIN_SPREAD_BP` (−100) to :data:`MAX_SPREAD_BP`; negative for a
        rate below the LPR (LPR − 20 bp, the first-home floor from 2022).
    tenor : {"1y", "5y"} or None
        The LPR used; by default ``"5y"`` for a term over 60 months, else ``"1y"``.
    repricing : {"next_january", "anniversary"}
        重定价日 (:class:`gjjcalc.rules.Repricing`): every 1 January after the
        release, or every anniversary of it. ``"january"`` and the
        ``LprRepricing`` enum are its deprecated spellings (until gjjcalc 0.3).
    first_due, method, convention
        As for :class:`~gjjcalc.Loan`.
    table : LprTable, optional
        A caller's LPR table (default: the shipped ``lpr.csv``).

    Returns
    -------
    Loan
        A loan at LPR + spread on the release date, with a scheduled
        :class:`~gjjcalc.loan.RateChange` on each repricing day (up
        to the maturity) where the LPR then in force + spread differs from
        the rate before. A change reaches the first installment whose period
        starts on or after the repricing day.

    Raises
    ------
    InputError
        Naming the argument: ``released`` before the table's first fixing,
        a negative or fractional spread, ``months`` outside 1..600, an
        unknown ``tenor`` or ``repricing``, a bad amount.

    Notes
    -----
    PBoC announcements [2019] No. 16 and No. 30:
    new mortgages are priced on the LPR of the matching tenor plus a spread
    fixed for the life of the loan, repriced at least a year apart on the
    agreed day to the LPR then in force (the latest fixing on or before
    that day). The spread was negative for many real loans (LPR − 20 bp was
    common in 2022); to model one, build a :class:`~gjjcalc.Loan` with the
    rate and :meth:`~gjjcalc.Loan.reprice` events yourself. Dates past the
    table's last fixing use that fixing, so later repricings only change the
    rate once the table is extended.

    Examples
    --------
    5-year LPR 3.95% on 2024-03-01 plus 30 bp, repriced each 1 January: the
    LPR in force on 2025-01-01 is 3.6% (fixed 2024-10-21), on 2026-01-01
    3.5% (2025-05-20):

    >>> loan = commercial_loan(400000, 360, released="2024-03-01", spread_bp=30)
    >>> loan.annual_rate
    Decimal('0.0425')
    >>> [(e.on.isoformat(), float(e.annual_rate)) for e in loan.events]
    [('2025-01-01', 0.039), ('2026-01-01', 0.038)]
    >>> anniversary = commercial_loan(400000, 360, released="2024-03-01", repricing="anniversary")
    >>> [e.on.isoformat() for e in anniversary.events]
    ['2025-03-01', '2026-03-01']

    A first home at the 2022 floor, LPR − 20 bp (3.95 % − 0.20 % = 3.75 %):

    >>> commercial_loan(400000, 360, released="2024-03-01", spread_bp=-20).annual_rate
    Decimal('0.0375')
    >>> commercial_loan(400000, 360, released="2024-03-01", spread_bp=-150)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: spread_bp=-150 is out of range: expected a whole number of basis points from -100 to 1000 (0.01% each)
    """
    from gjjcalc.rules import rates  # lazily: ``import gjjcalc`` stays light

    n = to_months(months)
    start = to_date(released, "released")
    spread = Fraction(_to_spread(spread_bp), 10_000)
    if tenor is None:
        which = rates.Tenor.FIVE_YEAR if n > rates.TIER_MONTHS else rates.Tenor.ONE_YEAR
    else:
        which = parse_enum(rates.Tenor, tenor, "tenor")
    rule = _lpr_rule(repricing)
    if table is not None and not isinstance(table, rates.LprTable):
        raise InputError("table", table, "a gjjcalc.rules.rates.LprTable or None")
    lprs = rates.default_lpr_table() if table is None else table

    def rate_on(day: object) -> Fraction:
        row = lprs._row_on(day, "released")
        return to_rate(row.lpr_1y if which is rates.Tenor.ONE_YEAR else row.lpr_5y) + spread

    rate = rate_on(released)  # the argument as given, so that an error message shows it
    maturity = start + relativedelta(months=n)
    events: list[RateChange] = []
    current = rate
    for day in _repricing_days(start, maturity, rule):
        new = rate_on(day)
        if new != current:
            events.append(RateChange(day, new, scheduled=True))
            current = new
    return Loan(
        principal, rate, n, released=start, first_due=first_due, method=method,
        convention=convention, events=events,
    )


def _repricing_days(start: date, maturity: date, rule: Repricing) -> Iterator[date]:
    """Repricing days after ``start`` and before ``maturity``."""
    k = 1
    while True:
        if rule.value == "next_january":
            day = date(start.year + k, 1, 1)
        else:
            day = start + relativedelta(years=k)
        if day >= maturity:
            return
        yield day
        k += 1


__getattr__ = _deprecated.module_getattr(
    "gjjcalc.loan.combination",
    {"LprRepricing": ("gjjcalc.rules.Repricing (NEXT_JANUARY for JANUARY, ANNIVERSARY)", lambda: _LprRepricing)},
)


class _CallableModule(types.ModuleType):
    """This module, still callable as the function that used to shadow it in
    ``gjjcalc.loan`` (``gjjcalc.loan.combination(provident, commercial)``)."""

    def __call__(self, provident: Loan, commercial: Loan) -> CombinedSchedule:
        _deprecated.warn("gjjcalc.loan.combination(provident, commercial) (gjjcalc.loan.combination is "
                         "the module)", "gjjcalc.combination(provident, commercial)")
        return combination(provident, commercial)


sys.modules[__name__].__class__ = _CallableModule
