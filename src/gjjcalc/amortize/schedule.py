"""Repayment schedules of one loan (还款计划), exact to the fen.

Equal installment (等额本息) and equal principal (等额本金), under the three
conventions of docs/conventions.md. Amounts are computed exactly (``Fraction``) and
returned as ``Decimal`` quantized to the fen with ROUND_HALF_UP.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal
from fractions import Fraction
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from dateutil.relativedelta import relativedelta

from gjjcalc._display import (
    HTML,
    Labels,
    dates,
    jsonable,
    label,
    pandas,
    schedule_dict,
    schedule_repr,
    table_html,
)
from gjjcalc._types import (
    AmountLike,
    ConventionLike,
    DateLike,
    MethodLike,
    MonthsLike,
    RateLike,
)
from gjjcalc.amortize._exact import Run, first_interest, level_for, lump_interest, repays, step
from gjjcalc.conventions import Convention, Method, parse_enum, to_convention
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_date, to_months, to_rate, yuan

if TYPE_CHECKING:  # pandas is an extra: imported by to_frame() only
    import pandas as pd

__all__ = ["Row", "Schedule", "equal_installment", "equal_principal", "lump_sum", "payment"]


class Row(NamedTuple):
    """One period of a schedule, as shown."""

    period: int
    due_date: date | None
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal
    rate: Decimal

    def to_dict(self) -> dict[str, Any]:
        """This row with JSON-ready values (money as exact strings, the date ISO).

        >>> next(iter(equal_installment(690000, "3.25%", 300))).to_dict()["payment"]
        '3362.48'
        """
        return cast("dict[str, Any]", jsonable(self))


_LAZY = frozenset({"payment", "principal", "interest", "balance", "rate", "due_dates", "prepaid"})
_CONTEXT = Context(prec=60)  # the fen as Decimal, exact whatever the caller's decimal context
_FEN = Decimal("0.01")


class _Columns(NamedTuple):
    """A schedule's columns as computed (whole fen, exact rates), made ``Decimal`` on first use."""

    payment: list[int]
    principal: list[int]
    interest: list[int]
    balance: list[int]
    rate: list[Fraction]
    prepaid: list[int]
    first_due: date | None
    due_day: int | None

    def build(self, name: str) -> object:
        if name == "due_dates":
            return None if self.first_due is None else due_dates(self.first_due, len(self.payment), self.due_day)
        if name == "rate":
            seen: dict[Fraction, Decimal] = {}
            return tuple(seen[r] if r in seen else seen.setdefault(r, _rate_decimal(r)) for r in self.rate)
        # whole fen × 0.01 in a fixed context (exact, whatever the caller's decimal context)
        return tuple(map(_CONTEXT.multiply, map(Decimal, getattr(self, name)), repeat(_FEN)))


@dataclass(frozen=True, repr=False)
class Schedule:
    """A repayment schedule (还款计划); index 0 of each column is period 1.

    Amounts are ``Decimal`` yuan quantized to the fen. Each row reconciles:
    ``payment == principal + interest``. ``balance`` is the balance after the
    period, as the convention carries it, shown rounded.
    """

    method: Method
    convention: Convention
    loan: Decimal
    """The amount amortized (贷款金额)."""
    annual_rate: Decimal
    """The annual rate of period 1, as a fraction (0.0325)."""
    months: int
    payment: tuple[Decimal, ...]
    """月还款额 per period."""
    principal: tuple[Decimal, ...]
    """本金 per period."""
    interest: tuple[Decimal, ...]
    """利息 per period."""
    balance: tuple[Decimal, ...]
    """贷款余额 after each period."""
    rate: tuple[Decimal, ...]
    """The annual rate each period pays."""
    due_dates: tuple[date, ...] | None
    """Due dates (anchor + k months) when ``first_due`` was given."""
    total_interest: Decimal
    """利息总额: the exact sum of the interest, rounded once."""
    total_payment: Decimal
    """还款总额: the exact sum of the payments, rounded once."""
    monthly_decrease: Decimal | None
    """每月递减 for equal principal: principal part × monthly rate; ``None`` otherwise."""
    prepaid: tuple[Decimal, ...] = field(default_factory=tuple)
    """Principal prepaid (提前还本) in each period before its installment (a loan's history)."""

    if not TYPE_CHECKING:  # the columns of a computed schedule, built on first use and kept

        def __getattr__(self, name: str) -> object:
            columns = self.__dict__.get("_columns") if name in _LAZY else None
            if columns is None:
                raise AttributeError(f"'Schedule' object has no attribute {name!r}")
            value = columns.build(name)
            object.__setattr__(self, name, value)
            return value

    def __getstate__(self) -> dict[str, object]:
        for name in _LAZY:  # a pickle holds the values, not the recipe
            getattr(self, name)
        return {k: v for k, v in self.__dict__.items() if k != "_columns"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def __len__(self) -> int:
        return self.months

    def __iter__(self) -> Iterator[Row]:
        dates: Sequence[date | None] = self.due_dates or [None] * self.months
        for k in range(self.months):
            yield Row(
                k + 1,
                dates[k],
                self.payment[k],
                self.principal[k],
                self.interest[k],
                self.balance[k],
                self.rate[k],
            )

    @property
    def first_payment(self) -> Decimal:
        """首月还款额."""
        return self.payment[0]

    @property
    def last_payment(self) -> Decimal:
        """末月还款额 (the remainder under rounding conventions)."""
        return self.payment[-1]

    def balance_after(self, k: int) -> Decimal:
        """The balance after ``k`` payments; ``k = 0`` gives the loan.

        >>> equal_installment(690000, "3.25%", 300).balance_after(28)
        Decimal('646609.84')
        """
        k = to_months(k, "k", minimum=0, maximum=self.months)
        return self.loan if k == 0 else self.balance[k - 1]

    def to_frame(self, *, exact: bool = False, labels: Labels = "en") -> pd.DataFrame:
        """The schedule as a pandas DataFrame, one row per period (needs pandas).

        Columns ``due_date`` (``NaT`` when the schedule has no dates), ``payment``, ``principal``,
        ``interest``, ``balance``, ``rate`` and ``prepaid``, indexed by
        ``period`` from 1. Money and rates are ``float64`` (each value prints
        back exactly), or the exact ``Decimal`` objects with ``exact=True``.
        ``labels="zh"`` names them in Chinese: 还款日, 月供, 本金, 利息,
        剩余本金, 年利率, 提前还本, indexed by 期数.

        >>> s = equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
        >>> frame = s.to_frame()
        >>> float(frame.loc[28, "balance"]), str(frame["payment"].dtype), str(frame["due_date"].dtype)
        (646609.84, 'float64', 'datetime64[ns]')
        >>> s.to_frame(exact=True).loc[1, "payment"]
        Decimal('3362.48')
        >>> zh = s.to_frame(labels="zh")
        >>> zh.index.name, list(zh.columns)
        ('期数', ['还款日', '月供', '本金', '利息', '剩余本金', '年利率', '提前还本'])
        >>> float(zh.loc[28, "剩余本金"])
        646609.84
        """
        label("", labels)  # refuses anything but "en" and "zh"
        pd = pandas()

        def column(values: tuple[Decimal, ...]) -> list[object]:
            return list(values) if exact else [float(x) for x in values]

        frame = pd.DataFrame(
            {
                "payment": column(self.payment),
                "principal": column(self.principal),
                "interest": column(self.interest),
                "balance": column(self.balance),
                "rate": column(self.rate),
                "prepaid": column(self.prepaid),
            },
            index=pd.RangeIndex(1, self.months + 1, name="period"),
        )
        frame.insert(0, "due_date", dates(self.due_dates or [None] * self.months))
        if labels == "zh":
            frame = frame.rename(columns=lambda c: label(c, "zh")).rename_axis(label("period", "zh"))
        return frame

    def __repr__(self) -> str:
        return schedule_repr(self)

    def to_dict(self) -> dict[str, Any]:
        """The schedule as JSON-ready values: the summary and a list of rows.

        >>> d = equal_installment(690000, "3.25%", 300).to_dict()
        >>> d["total_interest"], len(d["rows"])
        ('318744.90', 300)
        """
        return schedule_dict(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, *, labels: Labels = "en") -> HTML:
        """The notebook view: the summary, then the first and last five rows (还款计划表).

        Amounts show with thousands separators and their unit, the rate in per
        cent; ``labels="zh"`` labels it in Chinese (期数, 还款日, 月供, 本金,
        利息, 剩余本金). The result is a ``str`` that a notebook shows as a
        table when it is a cell's value; a schedule itself shows the English
        view. The whole table is :meth:`to_frame`.

        >>> s = equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
        >>> html = s.to_html(labels="zh")
        >>> "<th>月供（元）</th>" in html, "<td>3,362.48</td>" in html, "<td>等额本息</td>" in html
        (True, True, True)
        >>> "<th>first_payment</th><td>3,362.48 yuan</td>" in s._repr_html_()
        True
        """
        summary = {
            "method": self.method.value,
            "convention": self.convention.value,
            "loan": self.loan,
            "annual_rate": self.annual_rate,
            "months": self.months,
            "first_payment": self.first_payment,
            "total_interest": self.total_interest,
            "total_payment": self.total_payment,
        }
        if self.monthly_decrease is not None:
            summary["monthly_decrease"] = self.monthly_decrease
        columns = ["period", "due_date", "payment", "principal", "interest", "balance"]
        rows = [
            [r.period, "" if r.due_date is None else r.due_date, r.payment, r.principal, r.interest, r.balance]
            for r in self
        ]
        return HTML(table_html("Schedule", summary, columns, rows, labels=labels))


def due_dates(first_due: date, months: int, day: int | None = None) -> tuple[date, ...]:
    """Due dates ``first_due + k months`` on the due day, never month-on-month.

    The due day (``first_due.day`` unless given, e.g. the release day 31 when the
    first due date fell on 29 February) is clamped to each month's end and
    restored after it.

    >>> due_dates(date(2015, 1, 31), 3)
    (datetime.date(2015, 1, 31), datetime.date(2015, 2, 28), datetime.date(2015, 3, 31))
    >>> due_dates(date(2024, 2, 29), 3, day=31)
    (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31), datetime.date(2024, 4, 30))
    """
    want = first_due.day if day is None else day
    out = []
    year, month = first_due.year, first_due.month - 1  # months from 0
    for k in range(months):  # as due_on, inline: a schedule asks for hundreds
        y, m = divmod(month + k, 12)
        y += year
        if want <= 28:
            out.append(date(y, m + 1, want))
        else:
            leap = m == 1 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
            out.append(date(y, m + 1, min(want, 29 if leap else _MONTH_DAYS[m])))
    return tuple(out)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def due_on(first_due: date, k: int, day: int | None = None) -> date:
    """The due date ``k`` months after ``first_due``, on the due day clamped to the month's end.

    >>> due_on(date(2015, 1, 31), 1), due_on(date(2024, 2, 29), 12, day=31)
    (datetime.date(2015, 2, 28), datetime.date(2025, 2, 28))
    """
    want = first_due.day if day is None else day
    y, m = divmod(first_due.month - 1 + k, 12)
    y += first_due.year
    if want <= 28:
        return date(y, m + 1, want)
    leap = m == 1 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return date(y, m + 1, min(want, 29 if leap else _MONTH_DAYS[m]))


def from_run(
    run: Run,
    *,
    loan: Fraction,
    annual_rate: Fraction,
    method: Method,
    convention: Convention,
    first_due: date | None,
    monthly_decrease: Decimal | None,
    due_day: int | None = None,
) -> Schedule:
    """Wrap a run's shown fen columns as a schedule: the shared last step of every schedule."""
    total_payment, total_interest = run.rounded_totals(convention)
    schedule = object.__new__(Schedule)  # the columns become Decimal when first read
    scalars = {
        "method": method, "convention": convention, "loan": yuan(loan),
        "annual_rate": _rate_decimal(annual_rate), "months": len(run.payment),
        "total_interest": _fen(total_interest),
        "total_payment": _fen(total_payment),
        "monthly_decrease": monthly_decrease,
        "_columns": _Columns(list(run.payment), list(run.principal), list(run.interest),
                             list(run.balance), list(run.rate), list(run.prepaid), first_due, due_day),
    }
    for name, value in scalars.items():
        object.__setattr__(schedule, name, value)
    return schedule


def _amortizes(
    principal: object, loan: Fraction, rate: Fraction, months: int, method: Method, conv: Convention
) -> Fraction:
    """The level amount of a loan, refused when it does not repay (see ``_exact.repays``)."""
    level = level_for(loan, rate, months, method, conv)
    if not repays(loan, rate, level, method, conv):
        raise InputError(
            "principal", principal,
            f"a loan whose payment rounded to the fen ({yuan(level)}) is more than its first "
            f"month's interest ({yuan(first_interest(loan, rate, conv))}) at "
            f"annual_rate={_rate_decimal(rate)} over months={months}",
        )
    return level


def last_due(first_due: date, months: int, name: str = "first_due") -> date:
    """The last due date, refused when it falls after 9999-12-31.

    >>> last_due(date(9999, 1, 28), 13)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: first_due=datetime.date(9999, 1, 28) is out of range: expected a first due date whose 13th due date is in year 9999 or before
    """
    try:
        return first_due + relativedelta(months=months - 1)
    except (ValueError, OverflowError):
        what = "a first due date whose" if name == "first_due" else "a date whose"
        raise InputError(
            name, first_due, f"{what} {_ordinal(months)} due date is in year 9999 or before"
        ) from None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _fen(value: int) -> Decimal:
    """Whole fen as Decimal yuan with two places."""
    return Decimal(value).scaleb(-2, _CONTEXT)


def _rate_decimal(rate: Fraction) -> Decimal:
    """An annual rate as a Decimal (rates have terminating decimal expansions)."""
    return _CONTEXT.divide(Decimal(rate.numerator), Decimal(rate.denominator)).normalize(_CONTEXT)


def _schedule(
    principal: AmountLike,
    annual_rate: RateLike,
    months: MonthsLike,
    method: Method,
    convention: object,
    first_due: object,
) -> Schedule:
    loan = to_amount(principal, "principal")
    rate = to_rate(annual_rate)
    n = to_months(months)
    conv = to_convention(convention)
    check_method(method, conv, n)
    first = None if first_due is None else to_date(first_due, "first_due")
    run = Run()
    decrease = None
    if method is Method.LUMP_SUM:
        if first is not None:
            last_due(first, 1)
        run.lump(loan, rate, n, conv)
    else:
        level = _amortizes(principal, loan, rate, n, method, conv)
        if first is not None:
            last_due(first, n)
        run.extend(loan, rate, n, method, conv, level=level)
        if method is Method.EQUAL_PRINCIPAL:
            decrease = _fen(conv.round_fen(level_for(loan, rate, n, method, conv) * rate / 12))
    return from_run(
        run,
        loan=loan,
        annual_rate=rate,
        method=method,
        convention=conv,
        first_due=first,
        monthly_decrease=decrease,
    )


LUMP_SUM_MAX_MONTHS = 12
"""The longest term repaid in one sum at maturity (到期一次还本付息): one year."""


def check_method(method: Method, convention: Convention, months: int) -> None:
    """Refuse a method that cannot be run with this convention or term, naming the choice.

    >>> check_method(Method.LUMP_SUM, Convention.CENTER, 24)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: months=24 is out of range: expected an integer from 1 to 12 for method='lump_sum' (到期一次还本付息)
    >>> check_method(Method.EQUAL_PRINCIPAL, Convention(totals="level"), 12)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: convention.totals='level' is out of range: expected 'exact' or 'rows' for method='equal_principal' (there is no level payment to multiply)
    """
    if method is Method.LUMP_SUM and months > LUMP_SUM_MAX_MONTHS:
        raise InputError(
            "months", months,
            f"an integer from 1 to {LUMP_SUM_MAX_MONTHS} for method='lump_sum' (到期一次还本付息)",
        )
    if method is Method.EQUAL_PRINCIPAL and convention.totals == "level":
        raise InputError(
            "convention.totals", "level",
            "'exact' or 'rows' for method='equal_principal' (there is no level payment to multiply)",
        )


def equal_installment(
    principal: AmountLike,
    annual_rate: RateLike,
    months: MonthsLike,
    *,
    convention: ConventionLike = Convention.CENTER,
    first_due: DateLike | None = None,
) -> Schedule:
    """Equal installment schedule (等额本息还款计划).

    Parameters
    ----------
    principal
        The loan in yuan: ``int``, ``str``, ``Decimal`` or ``float``; greater
        than 0, at most 10,000,000,000, in whole fen.
    annual_rate
        Annual rate as a fraction (``0.0325``) or percent string (``"3.25%"``),
        from 0 to 1. The monthly rate is annual / 12.
    months
        Term in months, an integer from 1 to 600.
    convention
        ``"center"`` (default), ``"ledger"`` or ``"exact"`` (docs/conventions.md).
    first_due
        The first due date; if given, ``due_dates[k] = first_due + k months``.

    Returns
    -------
    Schedule
        Payment A = P·r·(1+r)^n / ((1+r)^n − 1) (rounded to the fen except
        under ``exact``); the last period pays the remaining balance.

    Raises
    ------
    InputError
        Naming the argument, the value and the allowed range.

    Examples
    --------
    The loan in the Jilin center's online-hall manual (吉林省住房公积金管理中心《个人网厅操作手册》): 690,000 at 3.25% over 300 months.

    >>> s = equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    >>> s.payment[0], s.interest[0], s.principal[0]
    (Decimal('3362.48'), Decimal('1868.75'), Decimal('1493.73'))
    >>> s.balance_after(28), s.due_dates[27]
    (Decimal('646609.84'), datetime.date(2017, 12, 28))
    >>> equal_installment(690000, "3.25%", 300, convention="ledger").balance_after(28)
    Decimal('646609.83')
    """
    return _schedule(principal, annual_rate, months, Method.EQUAL_INSTALLMENT, convention, first_due)


def equal_principal(
    principal: AmountLike,
    annual_rate: RateLike,
    months: MonthsLike,
    *,
    convention: ConventionLike = Convention.CENTER,
    first_due: DateLike | None = None,
) -> Schedule:
    """Equal principal schedule (等额本金还款计划).

    The principal part P/n is carried unrounded under ``center`` and
    ``exact`` and rounded to the fen under ``ledger`` (the last period takes
    the remainder). Interest is B(k−1)·annual/12; the payment falls each
    month by ``monthly_decrease`` (每月递减 = P/n × annual/12).

    Parameters and errors are those of :func:`equal_installment`.

    Examples
    --------
    The Liangshan center's online calculator (凉山州住房公积金管理中心 网站页面, http://gjj.lsz.gov.cn/):

    >>> s = equal_principal(1_000_000, "4.9%", 360)
    >>> s.first_payment, s.monthly_decrease, s.total_interest
    (Decimal('6861.11'), Decimal('11.34'), Decimal('737041.67'))
    >>> s.total_payment
    Decimal('1737041.67')
    """
    return _schedule(principal, annual_rate, months, Method.EQUAL_PRINCIPAL, convention, first_due)


def payment(
    principal: AmountLike,
    annual_rate: RateLike,
    months: MonthsLike,
    *,
    method: MethodLike = Method.EQUAL_INSTALLMENT,
    convention: ConventionLike = Convention.CENTER,
) -> Decimal:
    """The first period's payment (首月月还款额), without building the schedule.

    Examples
    --------
    >>> payment(690000, 0.0325, 300)
    Decimal('3362.48')
    >>> payment(1_000_000, "2.6%", 360)
    Decimal('4003.40')
    >>> payment(1_000_000, "4.9%", 360, method="equal_principal")
    Decimal('6861.11')
    >>> payment(1000, 0, 0)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: months=0 is out of range: expected an integer from 1 to 600
    """
    loan = to_amount(principal, "principal")
    rate = to_rate(annual_rate)
    n = to_months(months)
    meth = parse_enum(Method, method, "method")
    conv = to_convention(convention)
    check_method(meth, conv, n)
    if meth is Method.LUMP_SUM:
        return _fen(conv.round_fen(loan) + conv.round_fen(lump_interest(loan, rate, n)))
    level = _amortizes(principal, loan, rate, n, meth, conv)
    if meth is Method.EQUAL_INSTALLMENT and n > 1 and conv.payment == "fen":
        return _fen(level.numerator * (100 // level.denominator))  # the level itself, whole fen
    pay, _, _ = step(loan, rate, level, meth, conv, last=n == 1)
    return _fen(conv.round_fen(pay))


def lump_sum(
    principal: AmountLike,
    annual_rate: RateLike,
    months: MonthsLike,
    *,
    convention: ConventionLike = Convention.CENTER,
    first_due: DateLike | None = None,
) -> Schedule:
    """One-sum schedule (到期一次还本付息): principal and interest paid at maturity, one row.

    For terms of at most 12 months: the payment is principal × (1 + annual rate ×
    months / 12), the interest rounded to the fen; ``first_due`` is the maturity.
    ``Schedule.months`` is 1 (one period).

    Examples
    --------
    >>> lump_sum(50_000, "2.1%", 12).payment
    (Decimal('51050.00'),)
    >>> s = lump_sum(50_000, "2.1%", 6, first_due="2026-06-30")
    >>> s.interest[0], s.total_payment, s.due_dates
    (Decimal('525.00'), Decimal('50525.00'), (datetime.date(2026, 6, 30),))
    """
    return _schedule(principal, annual_rate, months, Method.LUMP_SUM, convention, first_due)
