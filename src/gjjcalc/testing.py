"""Hypothesis strategies for provident fund loans, for your property tests and ours.

``import gjjcalc.testing`` needs the ``testing`` extra (``pip install
gjjcalc[testing]``, i.e. hypothesis); ``import gjjcalc`` never imports
hypothesis. Every draw is accepted by both the exact single-loan API and
the batch engine (amounts at most 1,000,000,000 yuan in whole fen, rates
with at most 7 decimal places, terms from 1 to 600 months).

| strategy | draws |
| --- | --- |
| :func:`rates` | annual rates as ``Decimal``: shipped benchmark rates, or any in a range |
| :func:`float_rates` | annual rates as ``float``: any in a range, as ``np.random`` or ``np.linspace`` make them |
| :func:`loans` | :class:`LoanCase` (principal, rate, months, method, convention) |
| :func:`half_fen_balances` | whole-fen balances whose month of interest is exactly x.5 fen |
| :func:`portfolios` | :class:`Portfolio`: numpy arrays for :mod:`gjjcalc.batch` |
| :func:`loans_with_history` | dated :class:`gjjcalc.Loan` objects with valid histories of events |

Example: a QA team checks its own system against the ``ledger`` convention
(every row in whole fen, interest rounded half-up). Their first-month
interest is computed in integer fen, so it agrees with gjjcalc on every
loan, half-fen ties included:

>>> from hypothesis import given, settings
>>> from gjjcalc.testing import loans
>>> def their_first_interest(principal, annual_rate):  # the system under test
...     fen = int(principal * 100)
...     num, den = annual_rate.as_integer_ratio()
...     return (2 * fen * num + 12 * den) // (24 * den)  # half-up, in fen
>>> @settings(max_examples=30, database=None, derandomize=True, deadline=None)
... @given(loans(convention="ledger", max_months=24))
... def check_first_interest(case):
...     expected = case.schedule().interest[0]
...     assert their_first_interest(case.principal, case.annual_rate) == expected * 100
>>> check_first_interest()

docs/testing.md shows the same check catching a float implementation on a
half-fen tie.
"""

from __future__ import annotations

import calendar
import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as err:  # the extra is not installed
    raise ModuleNotFoundError(
        f"gjjcalc.testing needs hypothesis ({err.name} is not installed): pip install 'gjjcalc[testing]'",
        name=err.name,
    ) from err

from gjjcalc.amortize.schedule import Schedule, equal_installment, equal_principal
from gjjcalc.conventions import Convention, Method, parse_enum, to_convention
from gjjcalc.errors import InputError
from gjjcalc.money import MAX_MONTHS, to_amount, to_flag, to_months, to_rate

__all__ = [
    "MAX_PLACES",
    "LoanCase",
    "Portfolio",
    "float_rates",
    "half_fen_balances",
    "loans",
    "loans_with_history",
    "portfolios",
    "rates",
]

MAX_PLACES = 7
"""Most decimal places of a drawn rate (the limit of the batch engine's ``ledger``)."""
BATCH_MAX_AMOUNT = Fraction(1_000_000_000)
"""Largest principal drawn: the batch engine's limit (the single-loan API allows more)."""


@dataclass(frozen=True, slots=True)
class LoanCase:
    """One drawn loan, accepted as is by the single-loan API and the batch engine.

    Attributes
    ----------
    principal
        贷款金额 in yuan, a ``Decimal`` in whole fen (``Decimal('123456.78')``).
    annual_rate
        The annual rate as a fraction (``Decimal('0.0325')``), at most 7 places.
    months
        The term in months (贷款期限).
    method
        :class:`~gjjcalc.Method` (a ``str``: ``'equal_installment'`` ...).
    convention
        :class:`~gjjcalc.Convention` (a ``str``: ``'center'``, ``'ledger'``, ``'exact'``).

    >>> case = LoanCase(Decimal("690000.00"), Decimal("0.0325"), 300,
    ...                 Method.EQUAL_INSTALLMENT, Convention.CENTER)
    >>> case.schedule().balance_after(28)
    Decimal('646609.84')
    """

    principal: Decimal
    annual_rate: Decimal
    months: int
    method: Method
    convention: Convention

    def schedule(self) -> Schedule:
        """The exact reference schedule of this loan (the slow, exact path).

        >>> LoanCase(Decimal("1000000.00"), Decimal("0.049"), 360, Method.EQUAL_PRINCIPAL,
        ...          Convention.CENTER).schedule().total_interest
        Decimal('737041.67')
        """
        build = equal_installment if self.method is Method.EQUAL_INSTALLMENT else equal_principal
        return build(self.principal, self.annual_rate, self.months, convention=self.convention)


class Portfolio(NamedTuple):
    """Loans as a struct of arrays, ready for :mod:`gjjcalc.batch`.

    ``principal`` is float64 yuan in whole fen, ``annual_rate`` float64 with
    at most 7 decimal places, ``months`` int64; all three have one row per
    loan. Pass it positionally (``batch.summaries(*p)``) or by name
    (``batch.summaries(**p._asdict())``).

    >>> p = Portfolio(np.array([690000.0]), np.array([0.0325]), np.array([300]))
    >>> from gjjcalc import batch
    >>> batch.payments(*p).tolist()
    [3362.48]
    >>> next(p.cases(convention="ledger")).schedule().balance_after(28)
    Decimal('646609.83')
    """

    principal: NDArray[np.float64]
    annual_rate: NDArray[np.float64]
    months: NDArray[np.int64]

    def cases(
        self,
        *,
        method: Method | str = Method.EQUAL_INSTALLMENT,
        convention: Convention | str = Convention.CENTER,
    ) -> Iterator[LoanCase]:
        """Each row as an exact :class:`LoanCase` (the reference to compare a batch row with).

        Floats go back to ``Decimal`` through their shortest repr, which is
        the decimal they were made from (whole fen, at most 7 places).

        >>> p = Portfolio(np.array([0.1, 2.5]), np.array([0.0375, 0.0]), np.array([1, 2]))
        >>> [(c.principal, c.annual_rate) for c in p.cases()]
        [(Decimal('0.10'), Decimal('0.0375')), (Decimal('2.50'), Decimal('0'))]
        """
        meth = parse_enum(Method, method, "method")
        conv = to_convention(convention)
        for p, r, n in zip(self.principal.tolist(), self.annual_rate.tolist(),
                           self.months.tolist(), strict=True):
            yield LoanCase(Decimal(repr(p)).quantize(Decimal("0.01")), _as_rate(Fraction(repr(r))),
                           int(n), meth, conv)


# --- helpers -----------------------------------------------------------------------------------


def _decimal(value: Fraction) -> Decimal:
    """An exact decimal fraction (denominator 2^a 5^b) as a plain ``Decimal``."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _places(name: str, places: int) -> int:
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_PLACES:
        raise InputError(name, places, f"an integer from 0 to {MAX_PLACES}")
    return places


def _bounds_fen(low: object, high: object, low_name: str, high_name: str) -> tuple[int, int]:
    lo = to_amount(low, low_name, maximum=BATCH_MAX_AMOUNT)
    hi = to_amount(high, high_name, maximum=BATCH_MAX_AMOUNT)
    if hi < lo:
        raise InputError(high_name, high, f"an amount at least {low_name}={low!r}")
    return int(lo * 100), int(hi * 100)


def _bounds_months(low: int, high: int) -> tuple[int, int]:
    lo = to_months(low, "min_months")
    hi = to_months(high, "max_months", minimum=lo, maximum=MAX_MONTHS)
    return lo, hi


def _as_rate(value: Fraction) -> Decimal:
    """A rate as a short ``Decimal``: 0.0325, never 0.0325000 or 3.25E-2."""
    dec = _decimal(value)
    exponent = dec.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return dec.quantize(Decimal(1).scaleb(min(exponent, 0)))


@functools.cache
def _table_rates() -> tuple[Fraction, ...]:
    """Every rate in the shipped benchmark table (first and second home, both tiers)."""
    from gjjcalc.rules.rates import default_rate_table

    found: set[Fraction] = set()
    for row in default_rate_table().rows:
        for value in (row.le5y, row.gt5y, row.second_le5y, row.second_gt5y):
            if value is not None:
                found.add(Fraction(value))
    return tuple(sorted(found))


def _tie_step(annual_rate: Fraction) -> int | None:
    """The step in fen between balances with a half-fen month of interest, if there are any.

    Monthly interest on ``b`` fen is ``b * a / c`` with ``a / c`` the reduced
    monthly rate. It is an odd number of half fen exactly when ``c`` is even and
    ``b`` is an odd multiple of ``c / 2``; with ``c`` odd (or a zero rate) no
    whole-fen balance ever ties.
    """
    c = (annual_rate / 12).denominator
    if annual_rate == 0 or c % 2:
        return None
    return c // 2


def _odd_multiples(step: int, lo_fen: int, hi_fen: int) -> st.SearchStrategy[int] | None:
    """Odd multiples of ``step`` within ``[lo_fen, hi_fen]``, or ``None`` if there are none."""
    first = -(-lo_fen // step) // 2  # (2j + 1) * step >= lo_fen
    last = (hi_fen // step - 1) // 2  # (2j + 1) * step <= hi_fen
    if last < first:
        return None
    return st.integers(first, last).map(lambda j: (2 * j + 1) * step)


# --- strategies --------------------------------------------------------------------------------


def rates(*, low: object = "0", high: object = "0.1", places: int = MAX_PLACES) -> st.SearchStrategy[Decimal]:
    """Annual rates as ``Decimal``: benchmark rates from the shipped table, or any in a range.

    Half the draws come from the provident fund benchmark table
    (:func:`gjjcalc.rules.rates.default_rate_table`: 0.021 to 0.0539, first
    and second home) that lie in ``[low, high]``; the others are any rate in
    ``[low, high]`` with at most ``places`` decimal places (shrinking to
    ``low``).

    Parameters
    ----------
    low, high
        Bounds, from 0 to 1, in any form :func:`gjjcalc.payment` accepts (``"3.25%"``).
    places
        Most decimal places, 0 to 7 (7 is what the batch engine's ``ledger`` accepts;
        ``center`` and ``exact`` take any float).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(rates(low="2%", high="5%", places=4), lambda r: r > Decimal("0.03"))
    Decimal('0.0301')
    >>> rates(low="5%", high="2%")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: high='2%' is out of range: expected a rate at least low='5%'
    """
    lo, hi = to_rate(low, "low"), to_rate(high, "high")
    if hi < lo:
        raise InputError("high", high, f"a rate at least low={low!r}")
    scale = 10 ** _places("places", places)
    first, last = math.ceil(lo * scale), math.floor(hi * scale)
    if last < first:
        raise InputError("places", places, f"enough places for a rate between {low!r} and {high!r}")
    span = st.integers(first, last).map(lambda n: _as_rate(Fraction(n, scale)))
    table = [_as_rate(r) for r in _table_rates() if lo <= r <= hi and (r * scale).denominator == 1]
    return st.one_of(span, st.sampled_from(table)) if table else span


def float_rates(*, low: object = "0", high: object = "0.1") -> st.SearchStrategy[float]:
    """Annual rates as ``float``, any in ``[low, high]``: the rates a random draw or
    ``np.linspace`` gives, with up to 17 significant digits, 7-place ones among them.

    The single-loan functions read each as the decimal it prints as, and the batch engine
    under ``center`` and ``exact`` computes it so, row by row alike; ``ledger`` in the batch
    takes only the 7-place ones (use :func:`rates` there).

    Examples
    --------
    >>> import gjjcalc, gjjcalc.batch
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, database=None, derandomize=True, deadline=None)
    ... @given(float_rates(low="2%", high="4%"))
    ... def batch_equals_scalar(rate):
    ...     got = gjjcalc.batch.payments(100000.0, rate, 12)[0]
    ...     assert got == float(gjjcalc.payment(100000, rate, 12))
    >>> batch_equals_scalar()
    """
    lo, hi = to_rate(low, "low"), to_rate(high, "high")
    if hi < lo:
        raise InputError("high", high, f"a rate at least low={low!r}")
    return st.floats(float(lo), float(hi), allow_nan=False, allow_infinity=False)


def half_fen_balances(
    annual_rate: object, *, min_balance: object = "0.01", max_balance: object = "10000000"
) -> st.SearchStrategy[Decimal]:
    """Whole-fen balances whose month of interest at ``annual_rate`` is exactly x.5 fen.

    These are the ties that ROUND_HALF_UP sends up and float64 often sends
    down (480 fen at 3.75% earns 1.5 fen; float64 gives 1.4999999999999998).
    Drawn by construction, not by filtering: with ``a / c`` the reduced
    monthly rate, a balance ``b`` fen ties exactly when ``c`` is even and
    ``b`` is an odd multiple of ``c / 2``.

    Parameters
    ----------
    annual_rate
        The rate, e.g. ``"3.75%"`` or ``Decimal("0.0325")``; it must allow ties.
    min_balance, max_balance
        Bounds in yuan (whole fen, at most 1,000,000,000).

    Raises
    ------
    InputError
        When no whole-fen balance in the range ties at this rate (e.g. a rate of 0).

    Examples
    --------
    >>> from hypothesis import find
    >>> b = find(half_fen_balances("3.75%"), lambda b: b > 1000)
    >>> b, Fraction(b) * 100 * Fraction("0.0375") / 12   # 100,320 fen earn 313.5 fen a month
    (Decimal('1003.20'), Fraction(627, 2))
    >>> half_fen_balances(0)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: annual_rate=0 is out of range: expected a rate at which some whole-fen balance from 0.01 to 10000000 earns exactly x.5 fen a month (e.g. 0.0375)
    """
    rate = to_rate(annual_rate, "annual_rate")
    lo_fen, hi_fen = _bounds_fen(min_balance, max_balance, "min_balance", "max_balance")
    step = _tie_step(rate)
    balances = None if step is None else _odd_multiples(step, lo_fen, hi_fen)
    if balances is None:
        raise InputError(
            "annual_rate", annual_rate,
            f"a rate at which some whole-fen balance from {min_balance} to {max_balance} earns "
            "exactly x.5 fen a month (e.g. 0.0375)",
        )
    return balances.map(lambda fen: Decimal(fen).scaleb(-2))


def _principal(rate: Decimal, lo_fen: int, hi_fen: int, half_fen: bool) -> st.SearchStrategy[Decimal]:
    whole = st.integers(lo_fen, hi_fen)
    step = _tie_step(Fraction(rate)) if half_fen else None
    ties = None if step is None else _odd_multiples(step, lo_fen, hi_fen)
    fen = whole if ties is None else st.one_of(whole, ties)
    return fen.map(lambda f: Decimal(f).scaleb(-2))


def _parts(
    annual_rates: st.SearchStrategy[Decimal] | None,
    min_principal: object, max_principal: object, min_months: int, max_months: int, half_fen: bool,
) -> st.SearchStrategy[tuple[Decimal, Decimal, int]]:
    lo_fen, hi_fen = _bounds_fen(min_principal, max_principal, "min_principal", "max_principal")
    lo_n, hi_n = _bounds_months(min_months, max_months)
    half_fen = to_flag(half_fen, "half_fen")
    rate_st = rates() if annual_rates is None else annual_rates

    @st.composite
    def draw_parts(draw: st.DrawFn) -> tuple[Decimal, Decimal, int]:
        rate = draw(rate_st)
        principal = draw(_principal(rate, lo_fen, hi_fen, half_fen))
        return principal, rate, draw(st.integers(lo_n, hi_n))

    return draw_parts()


_INSTALLMENTS = (Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL)


def loans(
    *,
    method: Method | str | None = None,
    convention: Convention | str | None = None,
    annual_rates: st.SearchStrategy[Decimal] | None = None,
    min_principal: object = "1000",
    max_principal: object = "10000000",
    min_months: int = 1,
    max_months: int = 360,
    half_fen: bool = True,
) -> st.SearchStrategy[LoanCase]:
    """Loans (:class:`LoanCase`) that the single-loan API and the batch engine accept.

    The rate is drawn first (from ``annual_rates``, by default :func:`rates`),
    then the principal: with ``half_fen`` (the default) half the draws whose
    rate allows it are half-fen balances at that rate (:func:`half_fen_balances`),
    so the first month's interest is an exact tie.

    Parameters
    ----------
    method, convention
        Fix one, or ``None`` (the default) to draw both installment methods and every preset
        (``method="lump_sum"`` caps the term at 12 months).
    annual_rates
        A strategy of ``Decimal`` rates with at most 7 places (default ``rates()``).
    min_principal, max_principal
        Bounds in yuan, whole fen, at most 1,000,000,000.
    min_months, max_months
        Bounds of the term, 1 to 600.
    half_fen
        Include principals whose first month of interest is x.5 fen.

    Examples
    --------
    >>> from hypothesis import find
    >>> case = find(loans(method="equal_principal", convention="ledger"), lambda c: c.months > 12)
    >>> case.principal, case.annual_rate, case.months, case.schedule().total_interest
    (Decimal('1000.00'), Decimal('0'), 13, Decimal('0.00'))
    >>> loans(min_principal="-5")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: min_principal='-5' is out of range: expected an amount in yuan greater than 0 and at most 1000000000.00, in whole fen
    """
    chosen = None if method is None else parse_enum(Method, method, "method")
    methods = st.sampled_from(_INSTALLMENTS) if chosen is None else st.just(chosen)
    conventions = st.sampled_from(list(Convention)) if convention is None else st.just(
        to_convention(convention))
    if chosen is Method.LUMP_SUM:  # one sum at maturity: terms of a year at most
        max_months = min(max_months, 12)
        min_months = min(min_months, max_months)
    parts = _parts(annual_rates, min_principal, max_principal, min_months, max_months, half_fen)
    return st.builds(lambda x, m, c: LoanCase(x[0], x[1], x[2], m, c), parts, methods, conventions)


def portfolios(
    *,
    min_size: int = 1,
    max_size: int = 50,
    annual_rates: st.SearchStrategy[Decimal] | None = None,
    min_principal: object = "1000",
    max_principal: object = "10000000",
    min_months: int = 1,
    max_months: int = 360,
    half_fen: bool = True,
) -> st.SearchStrategy[Portfolio]:
    """Portfolios (:class:`Portfolio`): struct-of-arrays loans for the batch engine.

    Rows are drawn like :func:`loans` (same bounds, half-fen principals
    included); ``min_size`` and ``max_size`` bound the number of loans.

    >>> from hypothesis import given, settings
    >>> from gjjcalc import batch
    >>> @settings(max_examples=20, database=None, derandomize=True, deadline=None)
    ... @given(portfolios(max_size=20))
    ... def fits_the_batch(p):
    ...     assert len(p.principal) == len(p.annual_rate) == len(p.months) >= 1
    ...     assert not batch.summaries(*p, convention="ledger").status.any()
    >>> fits_the_batch()
    """
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 0:
        raise InputError("min_size", min_size, "an integer at least 0")
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < min_size:
        raise InputError("max_size", max_size, f"an integer at least min_size={min_size}")
    parts = _parts(annual_rates, min_principal, max_principal, min_months, max_months, half_fen)

    def arrays(rows: list[tuple[Decimal, Decimal, int]]) -> Portfolio:
        return Portfolio(
            np.array([float(p) for p, _, _ in rows], dtype=np.float64),
            np.array([float(r) for _, r, _ in rows], dtype=np.float64),
            np.array([n for _, _, n in rows], dtype=np.int64),
        )

    return st.lists(parts, min_size=min_size, max_size=max_size).map(arrays)


@st.composite
def _history(draw: st.DrawFn, max_events: int, max_months: int) -> Any:
    from gjjcalc.loan import Loan, PaymentChange, Prepayment, RateChange, TermChange

    year = draw(st.integers(2000, 2030))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    released = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    first_due = released + relativedelta(months=draw(st.sampled_from([1, 1, 2])))
    case = draw(loans(min_months=12, max_months=max_months, min_principal="10000", half_fen=False))
    loan = Loan(case.principal, case.annual_rate, case.months, released=released,
                first_due=first_due, method=case.method, convention=case.convention)
    on = released
    for _ in range(draw(st.integers(0, max_events))):
        on = on + timedelta(days=draw(st.integers(1, 400)))
        if on >= loan.maturity:
            break
        state = loan.state_on(on)
        if state.remaining_months == 0:
            break
        kind = draw(st.sampled_from(["prepay", "rate", "term", "payment"]))
        event: Any
        if kind == "prepay":
            share = draw(st.integers(1, 10_000))
            amount = max(Decimal("0.01"), (state.balance * share / 10_000).quantize(Decimal("0.01")))
            mode: Any = draw(st.sampled_from(["lower_payment", "shorten_term"]))
            event = Prepayment(on, amount, mode)
        elif kind == "rate":
            event = RateChange(on, draw(rates(high="0.08", places=4)))
        elif kind == "term":
            event = TermChange(on, remaining_months=draw(st.integers(1, 300)))
        else:
            factor = Decimal(draw(st.integers(100, 200))) / 100
            event = PaymentChange(on, max(Decimal("0.01"), (state.payment * factor).quantize(Decimal("0.01"))))
        try:
            loan = loan.with_events(event)
        except InputError:
            continue  # an event this state refuses (tests of refusals draw them on purpose)
    return loan


def loans_with_history(*, max_events: int = 4, max_months: int = 240) -> st.SearchStrategy[Any]:
    """Dated loans (:class:`gjjcalc.Loan`) with valid histories: any release day (1–31), a first
    due date one or two months out, and up to ``max_events`` prepayments, rate changes, term
    changes and payment changes, each accepted by the loan's state on its date.

    >>> from hypothesis import find
    >>> loan = find(loans_with_history(), lambda loan: len(loan.events) >= 2)
    >>> loan.maturity == loan.schedule().due_dates[-1] or loan.state_on(loan.maturity).balance == 0
    True
    """
    return _history(to_months(max_events, "max_events", minimum=0, maximum=50),
                    to_months(max_months, "max_months", minimum=12))
