"""The batch engine: many loans as arrays, one call, no Python loop over loans.

Each public function validates its inputs once (vectorized), calls a Numba
kernel from :mod:`gjjcalc.amortize._kernels`, and wraps the arrays in a
NamedTuple. Results are float64 yuan; each value equals the single-loan
result rounded to the fen (exactly under ``ledger``; under ``center`` and
``exact`` except where the exact value lies within about 1e-6 fen of a
half-fen boundary, because those kernels carry float64 balances).

Limits of the batch path (checked): amounts at most 1,000,000,000 yuan in
whole fen, annual rates from 0 to 1 with at most 7 decimal places (so the
``ledger`` kernels can hold the rate as an exact integer ratio in int64).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gjjcalc.amortize import _kernels as kn
from gjjcalc.amortize._exact import level_for
from gjjcalc.amortize.prepay import prepay as _prepay_scalar
from gjjcalc.conventions import Convention, Method, PrepayMode, parse_enum
from gjjcalc.errors import InputError

__all__ = [
    "BatchPayoff",
    "BatchPrepayment",
    "BatchSchedule",
    "BatchSummary",
    "balances_after",
    "from_frame",
    "payments",
    "payoff",
    "prepay",
    "reprice",
    "schedules",
    "summaries",
]

Errors = Literal["raise", "mask"]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

MAX_BATCH_AMOUNT = 1_000_000_000.0
RATE_SCALE = 10_000_000

OK = 0
"""Status code of a row computed normally; other codes name the first bad argument."""
STATUS = {"principal": 1, "balance": 1, "annual_rate": 2, "new_rate": 2, "months": 3,
          "remaining_months": 3, "k": 4, "amount": 5, "days": 6, "payment": 7,
          "method": 8, "mode": 9}

_CONV = {Convention.CENTER: kn.CENTER, Convention.LEDGER: kn.LEDGER, Convention.EXACT: kn.EXACT}
_METHOD = {Method.EQUAL_INSTALLMENT: kn.INSTALLMENT, Method.EQUAL_PRINCIPAL: kn.PRINCIPAL}
_MODE = {PrepayMode.LOWER_PAYMENT: kn.LOWER, PrepayMode.SHORTEN_TERM: kn.SHORTEN}


def _frame(columns: dict[str, NDArray[Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(columns)


class BatchSummary(NamedTuple):
    """Per-loan totals without a schedule (yuan)."""

    total_interest: F64
    total_payment: F64
    first_payment: F64
    last_payment: F64
    status: NDArray[np.int8]

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per loan, columns named after the fields."""
        return _frame(self._asdict())


class BatchSchedule(NamedTuple):
    """Schedules of N loans as (N, max months) yuan arrays, zero after each loan ends."""

    payment: F64
    principal: F64
    interest: F64
    balance: F64
    months: I64
    status: NDArray[np.int8]

    def to_frame(self) -> Any:
        """A long DataFrame: one row per (loan, period) that exists."""
        import pandas as pd

        width = self.payment.shape[1]
        period = np.arange(1, width + 1)
        mask = period[None, :] <= self.months[:, None]
        loan, col = np.nonzero(mask)
        return pd.DataFrame(
            {
                "loan": loan,
                "period": col + 1,
                "payment": self.payment[mask],
                "principal": self.principal[mask],
                "interest": self.interest[mask],
                "balance": self.balance[mask],
            }
        )


class BatchPrepayment(NamedTuple):
    """Per-loan prepayment what-ifs, named like :class:`gjjcalc.PrepaymentResult`."""

    interest: F64
    total: F64
    new_balance: F64
    remaining_months: I64
    payment: F64
    interest_saved: F64
    status: NDArray[np.int8]

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per loan."""
        return _frame(self._asdict())


class BatchPayoff(NamedTuple):
    """Per-loan payoff quotes (提前结清), named like :class:`gjjcalc.PayoffQuote`."""

    principal: F64
    interest: F64
    total: F64
    status: NDArray[np.int8]

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per loan."""
        return _frame(self._asdict())


# --- validation, once per call --------------------------------------------------------------


class _Checker:
    """Collects per-row validity; raises on the first bad row or masks bad rows."""

    def __init__(self, size: int, errors: str) -> None:
        if errors not in ("raise", "mask"):
            raise InputError("errors", errors, "'raise' or 'mask'")
        self.raising = errors == "raise"
        self.status = np.zeros(size, dtype=np.int8)

    def check(self, name: str, values: NDArray[Any], bad: NDArray[np.bool_], allowed: str) -> None:
        if not bad.any():
            return
        if self.raising:
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{name}[{i}]", values[i].item(), allowed)
        fresh = bad & (self.status == OK)
        self.status[fresh] = STATUS.get(name, 10)

    @property
    def bad(self) -> NDArray[np.bool_]:
        return np.asarray(self.status != OK, dtype=np.bool_)


def _as_float(name: str, value: ArrayLike, size: int) -> F64:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(name, value, "numbers (an array or scalar of floats)") from None
    return np.broadcast_to(arr, (size,)) if arr.ndim == 0 else arr


def _size(*values: ArrayLike | None) -> int:
    shapes = [np.shape(v) for v in values if v is not None and not isinstance(v, str)]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise InputError("arrays", [str(s) for s in shapes], "shapes that broadcast together") from None
    if len(shape) > 1:
        raise InputError("arrays", shape, "one-dimensional arrays (one row per loan) or scalars")
    return int(shape[0]) if shape else 1


def _amounts(name: str, value: ArrayLike, size: int, chk: _Checker, *, zero: bool = False) -> F64:
    """Whole fen as float64 fen."""
    yuan = _as_float(name, value, size)
    fen = yuan * 100.0
    whole = np.round(fen)  # only to test integrality; never used to round money
    with np.errstate(invalid="ignore"):
        low = yuan < 0 if zero else yuan <= 0
        bad = ~np.isfinite(yuan) | low | (yuan > MAX_BATCH_AMOUNT) | (np.abs(fen - whole) > 1e-3)
    lowest = "at least 0" if zero else "greater than 0"
    chk.check(name, yuan, bad, f"an amount in yuan {lowest} and at most {MAX_BATCH_AMOUNT:.0f}, in whole fen")
    return np.where(bad, 0.0 if zero else 100.0, whole)


def _rates(name: str, value: ArrayLike, size: int, chk: _Checker) -> tuple[F64, I64]:
    rate = _as_float(name, value, size)
    scaled = rate * RATE_SCALE
    whole = np.round(scaled)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(rate) | (rate < 0) | (rate > 1) | (np.abs(scaled - whole) > 1e-4)
    chk.check(name, rate, bad, "an annual rate from 0 to 1 with at most 7 decimal places")
    return np.where(bad, 0.0, rate), np.where(bad, 0, whole).astype(np.int64)


def _ints(name: str, value: ArrayLike, size: int, chk: _Checker, low: int, high: I64 | int) -> I64:
    arr = _as_float(name, value, size)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(arr) | (arr != np.floor(arr)) | (arr < low) | (arr > high)
    top = high if isinstance(high, int) else "the loan's months"
    chk.check(name, arr, bad, f"an integer from {low} to {top}")
    return np.where(bad, low if low > 0 else 0, arr).astype(np.int64)


def _codes(name: str, value: object, size: int, enum: type[Any], table: dict[Any, int]) -> I64:
    if isinstance(value, str | enum):
        return np.full(size, table[parse_enum(enum, value, name)], dtype=np.int64)
    arr = np.asarray(value)
    if arr.dtype.kind in "iu":
        if not np.isin(arr, list(table.values())).all():
            i = int(np.flatnonzero(~np.isin(arr, list(table.values())))[0])
            raise InputError(f"{name}[{i}]", arr.flat[i].item(), f"codes {sorted(table.values())}")
        return np.broadcast_to(arr.astype(np.int64), (size,))
    out = np.empty(arr.shape, dtype=np.int64)
    for label in np.unique(arr):  # a loop over the distinct labels, not over loans
        out[arr == label] = table[parse_enum(enum, str(label), name)]
    return np.broadcast_to(out, (size,))


def _ratios(rate_num: I64) -> tuple[I64, I64, I64, I64]:
    """Annual (ra / rb) and monthly (a / b) rates as reduced integer ratios."""
    scale = np.int64(RATE_SCALE)
    g = np.gcd(rate_num, scale)
    ra, rb = rate_num // g, scale // g
    gm = np.gcd(rate_num, 12 * scale)
    return ra, rb, rate_num // gm, (12 * scale) // gm


def _levels(
    balance: F64, rate: F64, rate_num: I64, months: I64, method: I64, conv: Convention
) -> F64:
    """Level amounts in fen; near half-fen ties are settled by the exact reference."""
    out = np.empty(balance.shape[0])
    tie = np.empty(balance.shape[0], dtype=np.bool_)
    kn.levels_batch(balance, rate, months, method, _CONV[conv], out, tie)
    for i in np.flatnonzero(tie):  # rare: float cannot decide a half-fen tie
        meth = Method.EQUAL_PRINCIPAL if method[i] == kn.PRINCIPAL else Method.EQUAL_INSTALLMENT
        exact = level_for(Fraction(int(balance[i]), 100), Fraction(int(rate_num[i]), RATE_SCALE),
                          int(months[i]), meth, conv)
        out[i] = float(exact * 100)
    return out


def _zero(status: NDArray[np.int8], *arrays: NDArray[Any]) -> None:
    bad = status != OK
    if bad.any():
        for arr in arrays:
            arr[bad] = 0


class _Loans(NamedTuple):
    balance: F64
    rate: F64
    rate_num: I64
    months: I64
    method: I64
    conv: Convention
    chk: _Checker


def _loans(
    principal: ArrayLike, annual_rate: ArrayLike, months: ArrayLike, method: object,
    convention: object, errors: str, *extra: ArrayLike | None, names: tuple[str, str, str] = ("principal", "annual_rate", "months"),
) -> _Loans:
    size = _size(principal, annual_rate, months, *extra)
    conv = parse_enum(Convention, convention, "convention")
    chk = _Checker(size, errors)
    bal = _amounts(names[0], principal, size, chk)
    rate, rate_num = _rates(names[1], annual_rate, size, chk)
    n = _ints(names[2], months, size, chk, 1, 600)
    meth = _codes("method", method, size, Method, _METHOD)
    return _Loans(np.ascontiguousarray(bal), np.ascontiguousarray(rate), rate_num, n,
                  np.ascontiguousarray(meth), conv, chk)


# --- public functions -----------------------------------------------------------------------


def summaries(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
) -> BatchSummary:
    """Totals of many loans without materializing schedules (利息总额, 还款总额, first, last).

    >>> s = summaries([690000, 1_000_000], ["0.0325", 0.049], [300, 360], method=[0, 1])
    >>> s.first_payment.tolist(), s.total_interest.tolist()
    ([3362.48, 6861.11], [318744.9, 737041.67])
    """
    lo = _loans(principal, annual_rate, months, method, convention, errors)
    return _summaries(lo, lo.months)[0]


def _summaries(lo: _Loans, periods: I64) -> tuple[BatchSummary, F64]:
    """Totals of the first ``periods`` periods of each loan, and the balance after them."""
    _, _, a, b = _ratios(lo.rate_num)
    level = _levels(lo.balance, lo.rate, lo.rate_num, lo.months, lo.method, lo.conv)
    size = lo.balance.shape[0]
    end, tp, ti, first, last = (np.empty(size) for _ in range(5))
    kn.summaries_batch(lo.balance, lo.rate, a, b, lo.months, periods, level, lo.method,
                       _CONV[lo.conv], end, tp, ti, first, last)
    _zero(lo.chk.status, end, tp, ti, first, last)
    return BatchSummary(ti, tp, first, last, lo.chk.status), end


def payments(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
) -> F64:
    """First payments of many loans (首月还款额), float64 yuan.

    >>> payments([1_000_000] * 4, [0.0325, 0.031, 0.0285, 0.026], 360).tolist()
    [4352.06, 4270.16, 4135.57, 4003.4]
    >>> payments([100, -5], 0.03, 12)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: principal[1]=-5.0 is out of range: expected an amount in yuan greater than 0 and at most 1000000000, in whole fen
    """
    lo = _loans(principal, annual_rate, months, method, convention, errors)
    return _summaries(lo, np.ones_like(lo.months))[0].first_payment


def balances_after(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    k: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
) -> F64:
    """Balances after ``k`` payments (k = 0 gives the principal).

    >>> balances_after(690000, 0.0325, 300, [28, 28], convention=["center", "ledger"][0]).tolist()
    [646609.84, 646609.84]
    >>> balances_after(690000, 0.0325, 300, 28, convention="ledger").tolist()
    [646609.83]
    """
    lo = _loans(principal, annual_rate, months, method, convention, errors, k)
    kk = _ints("k", k, lo.balance.shape[0], lo.chk, 0, lo.months)
    return _summaries(lo, kk)[1]


def schedules(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    out: tuple[F64, F64, F64, F64] | None = None,
    errors: Errors = "raise",
) -> BatchSchedule:
    """Schedules of many loans as 2-D arrays of shape (N, max(months)).

    ``out`` takes four preallocated C-contiguous float64 arrays (payment,
    principal, interest, balance) of that shape, reused across calls.

    >>> s = schedules([690000, 120000], "0.0325", [300, 1])
    >>> s.payment.shape, s.payment[0, :2].tolist(), s.balance[0, 27].item(), s.payment[1, :2].tolist()
    ((2, 300), [3362.48, 3362.48], 646609.84, [120325.0, 0.0])
    """
    lo = _loans(principal, annual_rate, months, method, convention, errors)
    _, _, a, b = _ratios(lo.rate_num)
    level = _levels(lo.balance, lo.rate, lo.rate_num, lo.months, lo.method, lo.conv)
    size = lo.balance.shape[0]
    width = int(lo.months.max()) if size else 0
    if out is None:
        arrays = tuple(np.empty((size, width)) for _ in range(4))
    else:
        if len(out) != 4 or any(
            x.shape != (size, width) or x.dtype != np.float64 or not x.flags.c_contiguous for x in out
        ):
            raise InputError("out", [getattr(x, "shape", None) for x in out],
                             f"four C-contiguous float64 arrays of shape ({size}, {width})")
        arrays = tuple(out)
    pay, prin, inte, bal = arrays
    kn.schedules_batch(lo.balance, lo.rate, a, b, lo.months, level, lo.method, _CONV[lo.conv],
                      pay, prin, inte, bal)
    _zero(lo.chk.status, pay, prin, inte, bal)
    return BatchSchedule(pay, prin, inte, bal, lo.months, lo.chk.status)


def reprice(
    balance: ArrayLike,
    remaining_months: ArrayLike,
    new_rate: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
) -> F64:
    """New payments after a rate change (e.g. every loan on 2026-01-01).

    The balance is re-amortized over the months left at the new rate (equal
    principal keeps its principal part balance / months); the result is the
    first payment at the new rate, equal to
    ``gjjcalc.payment(balance, new_rate, remaining_months)``.

    >>> reprice([646609.84], [272], [0.031]).tolist()
    [3312.41]
    """
    lo = _loans(balance, new_rate, remaining_months, method, convention, errors,
               names=("balance", "new_rate", "remaining_months"))
    return _summaries(lo, np.ones_like(lo.months))[0].first_payment


def prepay(
    balance: ArrayLike,
    annual_rate: ArrayLike,
    remaining_months: ArrayLike,
    payment: ArrayLike | None,
    amount: ArrayLike,
    days: ArrayLike,
    mode: PrepayMode | str | ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    recompute_payment: bool = False,
    errors: Errors = "raise",
) -> BatchPrepayment:
    """Partial prepayment what-ifs over a portfolio ("what if everyone prepays 50,000?").

    Row by row equal to :func:`gjjcalc.prepay` with ``on − interest_from``
    = ``days``. ``payment`` (equal installment: the payment kept by
    ``shorten_term``) may be ``None`` or NaN for the payment that repays the
    balance in the months left. An ``amount`` of 0 changes nothing.

    >>> r = prepay([646609.84] * 2, 0.0325, 272, 3362.48, 10000, [11, 12],
    ...            ["lower_payment", "shorten_term"])
    >>> r.interest.tolist(), r.payment.tolist(), r.remaining_months.tolist()
    ([9.93, 10.83], [3310.48, 3362.48], [272, 266])
    """
    size = _size(balance, annual_rate, remaining_months, payment, amount, days)
    lo = _loans(balance, annual_rate, remaining_months, method, convention, errors, payment, amount, days,
               names=("balance", "annual_rate", "remaining_months"))
    chk = lo.chk
    paid = _amounts("amount", amount, size, chk, zero=True)
    over = paid > lo.balance
    chk.check("amount", _as_float("amount", amount, size), over, "an amount no more than the balance")
    paid = np.where(over, 0.0, paid)
    day = _ints("days", days, size, chk, 0, 100_000)
    how = _codes("mode", mode, size, PrepayMode, _MODE)
    default = _levels(lo.balance, lo.rate, lo.rate_num, lo.months, lo.method, lo.conv)
    if payment is None:
        level = default
    else:
        given = _as_float("payment", payment, size) * 100.0
        use = np.isfinite(given) & (lo.method == kn.INSTALLMENT)
        with np.errstate(invalid="ignore"):
            low = use & (given <= lo.balance * lo.rate / 12.0) & (lo.months > 1)
        chk.check("payment", given / 100.0, low, "more than one month's interest on the balance")
        level = np.where(use & ~low, np.round(given), default)
    ra, rb, a, b = _ratios(lo.rate_num)
    out = [np.empty(size) for _ in range(6)]
    months_out = np.empty(size, dtype=np.int64)
    tie = np.empty(size, dtype=np.bool_)
    kn.prepay_batch(lo.balance, lo.rate, a, b, ra, rb, lo.months, level, paid, day,
                   np.ascontiguousarray(how), lo.method, _CONV[lo.conv], recompute_payment,
                   out[0], out[1], out[2], months_out, out[3], out[4], tie)
    interest, total, new_balance, pay, saved = out[0], out[1], out[2], out[3], out[4]
    for i in np.flatnonzero(tie & ~chk.bad):  # rare: settle a half-fen tie exactly
        exact = _prepay_scalar(
            balance=Fraction(int(lo.balance[i]), 100), annual_rate=Fraction(int(lo.rate_num[i]), RATE_SCALE),
            remaining_months=int(lo.months[i]), amount=Fraction(int(paid[i]), 100) or Fraction(1, 100),
            on=date(2000, 1, 1) + timedelta(days=int(day[i])), interest_from=date(2000, 1, 1),
            mode=PrepayMode.SHORTEN_TERM if how[i] == kn.SHORTEN else PrepayMode.LOWER_PAYMENT,
            payment=Fraction(int(level[i]), 100) if lo.method[i] == kn.INSTALLMENT else None,
            method=Method.EQUAL_PRINCIPAL if lo.method[i] == kn.PRINCIPAL else Method.EQUAL_INSTALLMENT,
            convention=lo.conv, recompute_payment=recompute_payment,
        )
        pay[i], saved[i] = float(exact.payment), float(exact.interest_saved)
    _zero(chk.status, interest, total, new_balance, months_out, pay, saved)
    return BatchPrepayment(interest, total, new_balance, months_out, pay, saved, chk.status)


def payoff(
    balance: ArrayLike, annual_rate: ArrayLike, days: ArrayLike, *, errors: Errors = "raise"
) -> BatchPayoff:
    """Payoff quotes (提前结清): balance + balance × rate / 360 × days, rounded half-up.

    >>> payoff([646609.84], 0.0325, 12).total.tolist()
    [647310.33]
    """
    size = _size(balance, annual_rate, days)
    chk = _Checker(size, errors)
    bal = _amounts("balance", balance, size, chk)
    _, rate_num = _rates("annual_rate", annual_rate, size, chk)
    day = _ints("days", days, size, chk, 0, 100_000)
    ra, rb, _, _ = _ratios(rate_num)
    interest, total = np.empty(size), np.empty(size)
    kn.payoff_batch(np.ascontiguousarray(bal), ra, rb, day, interest, total)
    principal = bal / 100.0
    _zero(chk.status, principal, interest, total)
    return BatchPayoff(principal, interest, total, chk.status)


def from_frame(frame: Any, function: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a batch function with the columns of a pandas DataFrame named like its arguments.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"principal": [690000], "annual_rate": [0.0325], "months": [300]})
    >>> from_frame(df, summaries).to_frame()["first_payment"].tolist()
    [3362.48]
    """
    params = inspect.signature(function).parameters
    columns = {name: frame[name].to_numpy() for name in params if name in frame.columns}
    return function(**columns, **kwargs)
