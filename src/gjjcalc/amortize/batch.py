"""The batch engine: many loans as arrays, one call, no Python loop over loans.

Each public function checks its inputs once (one compiled pass over the loan
columns, numpy for the others), calls a Numba kernel from
:mod:`gjjcalc.amortize._kernels`, and wraps the arrays in a NamedTuple.
Results are float64 yuan; each value equals the single-loan result rounded
to the fen (exactly under ``ledger`` and for equal principal; for equal
installment under ``center`` and ``exact`` except where the exact value lies
within float64's error of a half-fen boundary, because those kernels carry
float64 balances: about 1e-8 fen for a 100,000-yuan loan, a few 1e-6 fen at
10,000,000 yuan; see docs/batch.md).

Columns that already are C-contiguous float64 (months: int64) are used as
they are; anything else is converted once. ``chunk_size=`` runs the loans
that many rows at a time and ``progress=True`` shows a tqdm bar (the
``progress`` extra); the results do not depend on either.

Limits of the batch path (checked): amounts at most 1,000,000,000 yuan in
whole fen; annual rates from 0 to 1, under ``ledger`` with at most 7 decimal
places (its kernels hold every rate as an exact integer ratio in int64). A
float within 1e-15 of a 7-place rate is that rate (float noise), as
:func:`gjjcalc.money.to_rate` reads it. Under ``center`` and ``exact`` any
other rate is computed as the decimal it prints as: equal installment in the
kernels in float64, as the 7-place rates are (equal principal then computes
each interest in float instead of int64), and the few rows where float
cannot tell a half fen are settled by the exact single-loan code. A loan whose
rounded payment does not exceed its first month's interest is refused
(``NO_REPAY``), as the single-loan functions refuse it, and so is equal
installment under ``center`` / ``exact`` beyond the float range
(``FLOAT_RANGE``: see docs/batch.md), which those functions compute.
"""

from __future__ import annotations

import functools
import inspect
import math
import mmap
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast, overload

import numpy as np
from numba import config as numba_config
from numba import parallel_chunksize
from numpy.typing import ArrayLike, NDArray

from gjjcalc._display import jsonable, pandas, table_html
from gjjcalc.amortize import _kernels as kn
from gjjcalc.amortize._exact import level_for, repays
from gjjcalc.amortize._runtime import guarded
from gjjcalc.amortize.prepay import accrued_interest, given_level
from gjjcalc.amortize.prepay import prepay as _prepay_scalar
from gjjcalc.amortize.schedule import Schedule, equal_installment, equal_principal
from gjjcalc.amortize.schedule import payment as _payment_scalar
from gjjcalc.conventions import Convention, Method, PrepayMode, parse_enum, round_div, to_convention
from gjjcalc.errors import InputError
from gjjcalc.money import MAX_MONTHS, to_rate

if TYPE_CHECKING:  # pandas is an extra: imported by to_frame() only
    import pandas as pd

__all__ = [
    "FLOAT_RANGE",
    "NO_REPAY",
    "BatchPayoff",
    "BatchPrepayment",
    "BatchSchedule",
    "BatchSummary",
    "Status",
    "balances_after",
    "from_frame",
    "payments",
    "payoff",
    "prepay",
    "reprice",
    "schedules",
    "summaries",
    "warmup",
]

Errors = Literal["raise", "mask"]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
I8 = NDArray[np.int8]

MAX_BATCH_AMOUNT = kn.MAX_YUAN
RATE_SCALE = kn.RATE_SCALE

class Status(IntEnum):
    """A row's status in a batch result (the ``status`` column, int8): 0 when computed,
    else why not. Compare with the members: ``result.status == Status.NO_REPAY``."""

    OK = 0
    AMOUNT = 1
    """``principal`` / ``balance``: not an amount from 0.01 to 1,000,000,000 yuan in whole fen."""
    RATE = 2
    """``annual_rate`` / ``new_rate``: not a rate from 0 to 1 (under ``ledger``: with at most 7
    decimal places)."""
    MONTHS = 3
    """``months`` / ``remaining_months``: not an integer from 1 to 600."""
    K = 4
    """``k``: not an integer from 0 to the loan's months."""
    PREPAID = 5
    """``amount`` (prepay): not an amount from 0 to the balance."""
    DAYS = 6
    """``days``: not an integer from 0 to 100,000."""
    PAYMENT = 7
    """``payment``: not this loan's payment, or one that cannot repay the rest."""
    METHOD = 8
    MODE = 9
    OTHER = 10
    NO_REPAY = 11
    """The payment, rounded, is no more than the first month's interest (or a lower_payment
    prepayment leaves such a balance): the loan does not amortize."""
    FLOAT_RANGE = 12
    """Equal installment under center / exact beyond the float range (docs/batch.md)."""


OK = Status.OK
"""Status code of a row computed normally; other codes name the first bad argument."""
STATUS = {"principal": Status.AMOUNT, "balance": Status.AMOUNT, "annual_rate": Status.RATE,
          "new_rate": Status.RATE, "months": Status.MONTHS, "remaining_months": Status.MONTHS,
          "k": Status.K, "amount": Status.PREPAID, "days": Status.DAYS, "payment": Status.PAYMENT,
          "method": Status.METHOD, "mode": Status.MODE}
NO_REPAY = Status.NO_REPAY
"""Status of a loan whose payment, rounded, is no more than its first month's interest (or,
from ``prepay`` with ``lower_payment``, that leaves such a balance)."""
FLOAT_RANGE = Status.FLOAT_RANGE
"""Status of an equal-installment loan under ``center`` / ``exact`` beyond the batch engine's
exact range (high rates over long terms); the single-loan functions compute it."""
assert (Status.NO_REPAY, Status.FLOAT_RANGE, Status.PAYMENT) == (kn.NO_REPAY, kn.FLOAT_RANGE, kn.STUCK)

_CONV = {Convention.CENTER: kn.CENTER, Convention.LEDGER: kn.LEDGER, Convention.EXACT: kn.EXACT}
LUMP = 2
"""Method code of a one-sum loan (到期一次还本付息) in a batch: computed in exact integers
beside the kernels, which never see it."""
_METHOD = {Method.EQUAL_INSTALLMENT: kn.INSTALLMENT, Method.EQUAL_PRINCIPAL: kn.PRINCIPAL,
           Method.LUMP_SUM: LUMP}
_PENDING = -1
"""Status of a one-sum row while the kernels run (they skip every row whose status is not 0)."""
LUMP_MONTHS = 12
_MODE = {PrepayMode.LOWER_PAYMENT: kn.LOWER, PrepayMode.SHORTEN_TERM: kn.SHORTEN}


def _frame(columns: dict[str, NDArray[Any]]) -> Any:
    return pandas().DataFrame(columns)


SHOWN = 5
"""Loans shown at each end of a batch result's HTML table (the middle is elided)."""


class _Rows(Sequence[list[object]]):
    """The rows of a batch result's table, each built only when asked for: a notebook shows
    the first and last few, so its cost does not depend on the number of loans."""

    def __init__(self, size: int, make: Callable[[int], list[object]]) -> None:
        self._size = size
        self._make = make

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> list[object]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[object]]: ...

    def __getitem__(self, index: int | slice) -> list[object] | list[list[object]]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(self._size))]
        if not -self._size <= index < self._size:
            raise IndexError(index)
        return self._make(index % self._size)


def _html(result: Any) -> str:
    """A batch result in a notebook: counts, column sums, and the first and last loans.

    Only the rows shown are built; the sums are one numpy pass per column (a schedule's
    (N, months) arrays are not summed: its summary counts the rows instead).

    >>> text = payoff([646609.84] * 1000, 0.0325, days=12)._repr_html_()
    >>> text.count("<tr>"), "1000 rows" in text, "sum of total" in text
    (17, True, True)
    """
    fields = dict(result._asdict())
    status = fields.pop("status")
    size = len(status)
    summary: dict[str, object] = {"loans": size, "rows with bad input": int(np.count_nonzero(status))}
    if isinstance(result, BatchSchedule):
        # one row per loan: its months, first payment and the sums of its shown rows (which may
        # differ by fen from the exact totals that summaries() gives)
        months = fields.pop("months")
        summary["periods"] = int(months.sum())
        width = result.payment.shape[1] if result.payment.ndim == 2 else 0
        names = ["months", "first_payment", "payment_rows_sum", "interest_rows_sum"]

        def make(i: int) -> list[object]:
            first = result.payment[i, 0] if width else np.float64(0.0)
            return [i, int(months[i]), _cell(first), _cell(result.payment[i].sum()),
                    _cell(result.interest[i].sum()), int(status[i])]
    else:
        for name, values in fields.items():
            if values.dtype.kind == "f":
                summary[f"sum of {name}"] = Decimal(f"{values.sum():.2f}")
        names = list(fields)
        columns_of = list(fields.values())

        def make(i: int) -> list[object]:
            return [i, *(_cell(v[i]) for v in columns_of), int(status[i])]

    columns = ["loan", *names, "status"]
    return table_html(type(result).__name__, summary, columns, _Rows(size, make),
                      head=SHOWN, tail=SHOWN)


def _repr(result: Any) -> str:
    """A short text of a batch result: its size, the bad rows, and each field's ends.

    >>> payoff([646609.84, 1000], 0.0325, days=12)
    BatchPayoff(2 loans, 0 with bad input; principal=[646609.84, 1000.00], interest=[700.49, 1.08], total=[647310.33, 1001.08])
    >>> payoff([646609.84] * 1000, 0.0325, days=12)
    BatchPayoff(1,000 loans, 0 with bad input; principal=[646609.84, 646609.84, ..., 646609.84, 646609.84], ...)
    """
    fields = dict(result._asdict())
    status = fields.pop("status")
    parts = []
    for name, values in fields.items():
        text = np.array2string(values, threshold=4, edgeitems=2, separator=", ", max_line_width=10_000,
                               formatter={"float_kind": "{:.2f}".format}).replace("\n", "")
        parts.append(f"{name}={text}")
    bad = int(np.count_nonzero(status))
    return f"{type(result).__name__}({len(status):,} loans, {bad:,} with bad input; {', '.join(parts)})"


def _to_dict(result: Any) -> dict[str, Any]:
    """A batch result as JSON-ready values (``to_dict()``): one list per field, one item per loan.

    Amounts are exact two-place strings, as in the single-loan results' ``to_dict()``
    (never floats); counts and ``status`` are integers. A schedule's rows are lists of
    its maximum length, zero after each loan's ``months``.

    >>> payoff([646609.84, 1000], 0.0325, days=12).to_dict()
    {'principal': ['646609.84', '1000.00'], 'interest': ['700.49', '1.08'], 'total': ['647310.33', '1001.08'], 'status': [0, 0]}
    """
    out: dict[str, Any] = jsonable(result)
    return out


def _per_loan_frame(result: Any) -> Any:
    """A pandas DataFrame, one row per loan, columns named after the fields (``to_frame``).

    >>> payoff([646609.84], 0.0325, days=[12]).to_frame().to_dict("records")
    [{'principal': 646609.84, 'interest': 700.49, 'total': 647310.33, 'status': 0}]
    """
    return _frame(result._asdict())


def _cell(value: Any) -> object:
    """An amount as the ``Decimal`` of its two places (shown with separators and unit), else an int."""
    return Decimal(f"{value:.2f}") if isinstance(value, np.floating) else int(value)


class BatchSummary(NamedTuple):
    """Per-loan totals without a schedule (yuan)."""

    total_interest: F64
    total_payment: F64
    first_payment: F64
    last_payment: F64
    status: NDArray[np.int8]

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per loan, columns named after the fields."""
        return _per_loan_frame(self)

    def __repr__(self) -> str:
        return _repr(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: one list per field, amounts as exact two-place strings, never floats.

        >>> payoff([646609.84], 0.0325, days=12).to_dict()["total"]
        ['647310.33']
        """
        return _to_dict(self)

    def _repr_html_(self) -> str:
        return _html(self)


class BatchSchedule(NamedTuple):
    """Schedules of N loans as (N, max months) yuan arrays, zero after each loan ends."""

    payment: F64
    principal: F64
    interest: F64
    balance: F64
    months: I64
    status: NDArray[np.int8]

    def to_frame(self) -> pd.DataFrame:
        """A long DataFrame: one row per (loan, period) that exists.

        >>> frame = schedules([690000, 1000], 0.0325, [300, 2]).to_frame()
        >>> len(frame), int(frame.loc[27, "period"]), float(frame.loc[27, "balance"])
        (302, 28, 646609.84)
        """
        pd = pandas()
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

    def __repr__(self) -> str:
        return _repr(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: one list per field, amounts as exact two-place strings, never floats.

        >>> payoff([646609.84], 0.0325, days=12).to_dict()["total"]
        ['647310.33']
        """
        return _to_dict(self)

    def _repr_html_(self) -> str:
        return _html(self)


class BatchPrepayment(NamedTuple):
    """Per-loan prepayment what-ifs, named like :class:`gjjcalc.PrepaymentResult`."""

    interest: F64
    total: F64
    new_balance: F64
    remaining_months: I64
    payment: F64
    interest_saved: F64
    status: NDArray[np.int8]

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per loan, columns named after the fields."""
        return _per_loan_frame(self)

    def __repr__(self) -> str:
        return _repr(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: one list per field, amounts as exact two-place strings, never floats.

        >>> payoff([646609.84], 0.0325, days=12).to_dict()["total"]
        ['647310.33']
        """
        return _to_dict(self)

    def _repr_html_(self) -> str:
        return _html(self)


class BatchPayoff(NamedTuple):
    """Per-loan payoff quotes (提前结清), named like :class:`gjjcalc.PayoffQuote`."""

    principal: F64
    interest: F64
    total: F64
    status: NDArray[np.int8]

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per loan, columns named after the fields."""
        return _per_loan_frame(self)

    def __repr__(self) -> str:
        return _repr(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: one list per field, amounts as exact two-place strings, never floats.

        >>> payoff([646609.84], 0.0325, days=12).to_dict()["total"]
        ['647310.33']
        """
        return _to_dict(self)

    def _repr_html_(self) -> str:
        return _html(self)


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
        self.status[fresh] = STATUS.get(name, Status.OTHER)

    def classified(self, columns: list[tuple[str, NDArray[Any], str]]) -> None:
        """After ``check_loans`` wrote a code per row: raise for the first bad row, argument by
        argument (as if each argument were checked over all rows in turn), or keep the codes."""
        if not self.raising:
            return
        for name, values, allowed in columns:
            hits = np.flatnonzero(self.status == STATUS[name])
            if hits.size:
                i = int(hits[0])
                raise InputError(f"{name}[{i}]", float(values[i]), allowed)

    @property
    def bad(self) -> NDArray[np.bool_]:
        return np.asarray(self.status != OK, dtype=np.bool_)


_NUMERIC = frozenset("iuf")
_REFUSED = {"b": "booleans", "c": "complex numbers", "M": "dates (datetime64)",
            "m": "durations (timedelta64)", "S": "bytes", "V": "records"}


def _floats(name: str, value: ArrayLike, size: int) -> F64:
    """A C-contiguous float64 column of ``size`` rows (no copy when it already is one).

    Numbers and numeric strings are read; booleans, complex numbers, dates and bytes are
    refused (``True`` is not one month, a date is not an amount).
    """
    arr = value if isinstance(value, np.ndarray) else np.asarray(value)
    kind = arr.dtype.kind
    if kind == "O":
        for i, item in enumerate(arr.reshape(-1)):
            if isinstance(item, bool | np.bool_ | complex | np.complexfloating | bytes | date):
                where = f"{name}[{i}]" if arr.ndim else name
                raise InputError(where, item, "a number (not a bool, complex number, date or bytes)")
    elif kind in _REFUSED:
        raise InputError(name, _sample(arr), f"numbers, not {_REFUSED[kind]}")
    if kind != "f" or arr.dtype != np.float64:
        try:
            arr = np.asarray(arr, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise InputError(name, _sample(arr), "numbers (an array or scalar of floats)") from None
    if arr.shape != (size,):
        arr = np.broadcast_to(arr, (size,))
    return np.ascontiguousarray(arr)


def _sample(arr: NDArray[Any]) -> object:
    """A short stand-in for an array in an error message."""
    return arr.item() if arr.size == 1 else f"<array of {arr.size} {arr.dtype}>"


def _size(*values: ArrayLike | None) -> int:
    shapes = [np.shape(v) for v in values if v is not None and not isinstance(v, str)]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise InputError("arrays", [str(s) for s in shapes], "shapes that broadcast together") from None
    if len(shape) > 1:
        raise InputError("arrays", shape, "one-dimensional arrays (one row per loan) or scalars")
    return int(shape[0]) if shape else 1


def _amount_rule(zero: bool) -> str:
    lowest = "at least 0" if zero else "greater than 0"
    return f"an amount in yuan {lowest} and at most {MAX_BATCH_AMOUNT:.0f}, in whole fen"


RATE_RULE = ("an annual rate from 0 to 1 with at most 7 decimal places under convention='ledger' (its "
             "kernels hold each rate as an exact ratio in int64; round with np.round(annual_rate, 7), or "
             "use convention='center' or 'exact', or the single-loan functions, which take any rate)")
RATE_ANY = "an annual rate from 0 to 1 (a finite float)"


def _amounts(name: str, value: ArrayLike, size: int, chk: _Checker, *, zero: bool = False) -> F64:
    """Yuan amounts, checked: finite, positive (or ≥ 0), at most the limit, whole fen."""
    yuan = _floats(name, value, size)
    fen = yuan * 100.0
    whole = np.round(fen)  # only to test integrality; never used to round money
    with np.errstate(invalid="ignore"):
        low = yuan < 0 if zero else yuan <= 0
        bad = (~np.isfinite(yuan) | low | (yuan > MAX_BATCH_AMOUNT)
               | (np.abs(fen - whole) > 1e-6 + np.abs(fen) * 1e-14))
    chk.check(name, yuan, bad, _amount_rule(zero))
    return yuan


def _rates(name: str, value: ArrayLike, size: int, chk: _Checker) -> F64:
    """Any rate from 0 to 1, snapped onto the 7-place grid within float noise."""
    rate = _floats(name, value, size)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(rate) | (rate < 0) | (rate > 1)
    chk.check(name, rate, bad, RATE_ANY)
    return _snapped(rate, chk.status == OK)


def _snapped(rate: F64, good: NDArray[np.bool_]) -> F64:
    """The good rows' rates within float noise of a 7-place rate replaced by its float (a
    copy only when some row changes)."""
    with np.errstate(invalid="ignore"):
        scaled = rate * RATE_SCALE
        grid = np.floor(scaled + 0.5)
        change = good & (np.abs(scaled - grid) <= kn.RATE_TOLERANCE) & (grid / RATE_SCALE != rate)
    return np.where(change, grid / RATE_SCALE, rate) if change.any() else rate


def _exact_rate(rate: float) -> Fraction:
    """A checked batch rate as the exact rate the single-loan functions read from that float:
    its 7-place value when on the grid (after ``_snapped``), else the decimal it prints as."""
    return to_rate(float(rate))


def _ints(name: str, value: ArrayLike, size: int, chk: _Checker, low: int, high: I64 | int) -> I64:
    arr = _floats(name, value, size)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(arr) | (arr != np.floor(arr)) | (arr < low) | (arr > high)
    top = high if isinstance(high, int) else "the loan's months"
    chk.check(name, arr, bad, f"an integer from {low} to {top}")
    return np.where(bad, low if low > 0 else 0, arr).astype(np.int64)


def _codes(name: str, value: object, size: int, enum: type[Any], table: dict[Any, int]) -> I8:
    if isinstance(value, str | enum):
        return np.full(size, table[parse_enum(enum, value, name)], dtype=np.int8)
    arr = np.asarray(value)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] not in (1, size)):
        raise InputError(name, f"<array of shape {arr.shape}>",
                         f"a name, or one code or name per loan (shape ({size},))")
    if arr.dtype.kind == "b":
        raise InputError(name, _sample(arr), f"names or codes {sorted(table.values())}, not booleans")
    if arr.dtype.kind in "iu":
        if not np.isin(arr, list(table.values())).all():
            i = int(np.flatnonzero(~np.isin(arr, list(table.values())))[0])
            raise InputError(f"{name}[{i}]", arr.flat[i].item(), f"codes {sorted(table.values())}")
        return np.ascontiguousarray(np.broadcast_to(arr.astype(np.int8), (size,)))
    out = np.empty(arr.shape, dtype=np.int8)
    for label in np.unique(arr):  # a loop over the distinct labels, not over loans
        out[arr == label] = table[parse_enum(enum, str(label), name)]
    return np.ascontiguousarray(np.broadcast_to(out, (size,)))


def _months(value: ArrayLike, size: int, name: str) -> NDArray[Any]:
    """Months as a C-contiguous int64 column when given as integers (no copy), else float64."""
    arr = np.asarray(value)
    if arr.dtype.kind in "iu" and arr.shape == (size,):
        return np.ascontiguousarray(arr, dtype=np.int64)
    if arr.dtype.kind in "iu":
        try:
            return np.ascontiguousarray(np.broadcast_to(arr.astype(np.int64), (size,)))
        except OverflowError:
            raise InputError(name, _sample(arr), f"integers from 1 to {MAX_MONTHS}") from None
    return _floats(name, value, size)


def _fen(yuan: float) -> int:
    """A checked whole-fen yuan amount as integer fen (as the kernels read it)."""
    return math.floor(yuan * 100.0 + 0.5)


def _units(rate: float) -> int:
    """A checked rate as a whole number of 1e-7 (as the kernels read it)."""
    return math.floor(rate * RATE_SCALE + 0.5)


class _Loans(NamedTuple):
    principal: F64  # yuan, checked rows only
    rate: F64
    months: I64
    method: I8
    conv: Convention
    chk: _Checker
    lump: I64  # rows repaid in one sum, status _PENDING until _settle_lumps


def _loans(
    principal: ArrayLike, annual_rate: ArrayLike, months: ArrayLike, method: object,
    convention: object, errors: str, *extra: ArrayLike | None,
    names: tuple[str, str, str] = ("principal", "annual_rate", "months"),
    lumps: str | None = None,
    amortizing: bool = True,
) -> _Loans:
    """Check the three loan columns in one compiled pass (``check_loans``); no copies of
    columns that already are C-contiguous float64 (int64 for months).

    One-sum rows (``method`` ``lump_sum``) must have at most 12 months; ``lumps`` names what a
    function cannot do with them (it then refuses them). Under center / exact a rate may be off
    the 7-place grid; ledger refuses it. ``amortizing=False`` (prepay) lets through a loan
    whose own payment does not amortize it, as the single-loan prepay does: what the
    prepayment leaves is checked instead."""
    size = _size(principal, annual_rate, months, *extra)
    conv = _preset(to_convention(convention))
    chk = _Checker(size, errors)
    p = _floats(names[0], principal, size)
    r = _floats(names[1], annual_rate, size)
    n = _months(months, size, names[2])
    grid = conv is Convention.LEDGER
    with guarded(), parallel_chunksize(kn.CHUNK_ROWS):
        bad, off, _off_grid = kn.check_loans(p, r, n, MAX_MONTHS, grid, chk.status)
    if bad:
        chk.classified([(names[0], p, _amount_rule(False)), (names[1], r, RATE_RULE if grid else RATE_ANY),
                        (names[2], n, f"an integer from 1 to {MAX_MONTHS}")])
    if off:  # rates a few ulps off the 7-place grid: every kernel reads the grid value
        r = _snapped(r, chk.status == OK)
    if bad:
        r = np.where(chk.status == OK, r, 0.0)
    if n.dtype != np.int64:
        with np.errstate(invalid="ignore"):
            n = np.where(chk.status == OK, n, 1).astype(np.int64)
    meth = _codes("method", method, size, Method, _METHOD)
    lump = np.flatnonzero(meth == LUMP)
    if lump.size:
        is_lump = meth == LUMP
        if lumps is not None:
            chk.check("method", np.where(is_lump, "lump_sum", ""), is_lump,
                      f"'equal_installment' or 'equal_principal' (a lump_sum loan is repaid in "
                      f"one sum at maturity: {lumps})")
        chk.check(names[2], n, is_lump & (chk.status == OK) & (n > LUMP_MONTHS),
                  f"at most {LUMP_MONTHS} months for method='lump_sum' (到期一次还本付息)")
        lump = lump[chk.status[lump] == OK]
        chk.status[lump] = _PENDING
    lo = _Loans(p, r, n, meth, conv, chk, lump)
    _domain(lo, names, amortizing)
    return lo


def _exact_only(lo: _Loans, i: int) -> bool:
    """Whether a row the kernels flagged is settled by the exact single-loan code: equal
    principal at a rate off the 7-place grid (its kernels then compute in float)."""
    rate = float(lo.rate[i])
    return bool(lo.method[i] == kn.PRINCIPAL) and _units(rate) / RATE_SCALE != rate


_SCALAR_NAMES = {"principal": 0, "balance": 0, "annual_rate": 1, "months": 2, "remaining_months": 2}


def _exactly(lo: _Loans, i: int, names: tuple[str, str, str],
             compute: Callable[[int, Fraction, Fraction, int], None]) -> None:
    """Row ``i`` computed by the exact single-loan code (float could not decide it at its rate):
    ``compute(i, amount, rate, months)`` writes the row's results. A row that code refuses is
    refused as the kernels refuse one: an InputError naming the row, or under ``errors="mask"``
    the status of the argument it names (NO_REPAY for a loan that does not amortize)."""
    try:
        compute(i, Fraction(_fen(lo.principal[i]), 100), _exact_rate(lo.rate[i]), int(lo.months[i]))
    except InputError as err:
        arg = err.argument
        name = names[_SCALAR_NAMES[arg]] if arg in _SCALAR_NAMES else arg
        if lo.chk.raising:
            raise InputError(f"{name}[{i}]", err.value, err.allowed) from None
        code = STATUS.get(name, Status.OTHER)
        if code == Status.AMOUNT and "interest" in err.allowed:
            code = Status.NO_REPAY
        lo.chk.status[i] = code


def _preset(conv: Convention) -> Convention:
    """The batch engine runs the three presets; a custom convention is refused by the choice
    in which it differs from the nearest preset (never computed as another)."""
    if conv.preset is not None:
        return conv
    mine = conv.choices()
    nearest = min((Convention(name) for name in ("center", "ledger", "exact")),
                  key=lambda c: sum(v != mine[k] for k, v in c.choices().items()))
    name, value = next((k, mine[k]) for k, v in nearest.choices().items() if v != mine[k])
    raise InputError(
        f"convention.{name}", value,
        f"{nearest.choices()[name]!r}: the batch engine runs the presets 'center', 'ledger' and "
        f"'exact'; {conv!r} differs from {nearest.preset!r} in {name} (compute it with the "
        f"single-loan functions, which take any gjjcalc.Convention)",
    )


def _settle_lumps(lo: _Loans) -> tuple[I64, I64]:
    """The one-sum rows' principal and interest in fen (exact integers: principal × annual
    rate × months / 12 rounded half-up, as every preset rounds), their status back to OK."""
    fen = np.empty(lo.lump.size, dtype=np.int64)
    interest = np.empty(lo.lump.size, dtype=np.int64)
    for j, i in enumerate(lo.lump.tolist()):
        p = _fen(float(lo.principal[i]))
        fen[j] = p
        rate = _exact_rate(lo.rate[i])
        interest[j] = round_div(p * rate.numerator * int(lo.months[i]), 12 * rate.denominator, "half_up")
    lo.chk.status[lo.lump] = OK
    return fen, interest


def _plainly_in_domain(lo: _Loans) -> bool:
    """Whether every row clearly amortizes and stays in float range (a bound from the
    extremes of the columns: the bound grows with the amount, the rate and the term, and
    the margin of the payment over the interest shrinks with the rate and the term)."""
    ok = lo.chk.status == OK
    if not ok.all():
        return False
    low_fen = float(lo.principal.min()) * 100.0
    high_fen = float(lo.principal.max()) * 100.0
    rate, n = float(lo.rate.max()), int(lo.months.max())
    if low_fen < n + 1:  # a payment of at least a fen at a zero rate
        return False
    if rate == 0.0:
        return True
    r = rate / 12.0
    e = math.expm1(n * math.log1p(r))
    margin = low_fen * r / e  # payment − first interest ≥ this; at least a fen suffices
    bound = 2.0 * high_fen * (1.0 + e + e / r) * 2.3e-16
    return margin >= 1.01 and bound <= kn.MAX_FLOAT_ERROR * 0.99 and e <= kn.MAX_GROWTH * 0.99


def _domain(lo: _Loans, names: tuple[str, str, str], amortizing: bool) -> None:
    """Refuse, or give a status to, rows the arithmetic itself refuses: a loan whose rounded
    payment does not exceed its first month's interest (as the scalar API refuses; only
    when ``amortizing``), and equal installment under ``center`` / ``exact`` beyond the
    float range."""
    if _plainly_in_domain(lo):
        return
    size = lo.principal.shape[0]
    near = np.empty(size, dtype=np.bool_)
    with guarded(), parallel_chunksize(kn.CHUNK_ROWS):
        refused = kn.check_domain(lo.principal, lo.rate, lo.months, lo.method, _CONV[lo.conv],
                                  amortizing, lo.chk.status, near)
    for i in np.flatnonzero(near).tolist():  # a level near a half fen and near the interest
        loan = Fraction(_fen(lo.principal[i]), 100)
        rate = _exact_rate(lo.rate[i])
        how = _method(int(lo.method[i]))
        if not repays(loan, rate, level_for(loan, rate, int(lo.months[i]), how, lo.conv), how, lo.conv):
            lo.chk.status[i] = kn.NO_REPAY
            refused += 1
    if refused and lo.chk.raising:
        i = int(np.flatnonzero((lo.chk.status != OK) & (lo.chk.status != _PENDING))[0])
        _raise_domain(lo, i, names)


def _raise_domain(lo: _Loans, i: int, names: tuple[str, str, str]) -> None:
    yuan = float(lo.principal[i])
    rate = float(lo.rate[i])
    n = int(lo.months[i])
    if lo.chk.status[i] == kn.NO_REPAY:
        raise InputError(
            f"{names[0]}[{i}]", yuan,
            f"a loan whose payment rounded to the fen is more than its first month's interest "
            f"at {names[1]}={rate} over {names[2]}={n} (the single-loan functions refuse it too)",
        )
    raise InputError(
        f"{names[1]}[{i}]", rate,
        f"a rate at which {names[0]}={yuan} over {names[2]}={n} stays within the batch "
        f"engine's exact range for equal installment under {lo.conv.value!r} (float64 balances "
        f"within {kn.MAX_FLOAT_ERROR} fen); compute this loan with gjjcalc.equal_installment",
    )


def _method(code: int) -> Method:
    return Method.EQUAL_PRINCIPAL if code == kn.PRINCIPAL else Method.EQUAL_INSTALLMENT


def _default_level(lo: _Loans, i: int) -> float:
    """The level amount of row ``i`` in fen as the kernels compute it."""
    n = int(lo.months[i])
    code = kn.kind(int(lo.method[i]), _CONV[lo.conv], float(lo.rate[i]))
    return float(kn.level_one(float(_fen(lo.principal[i])), float(lo.rate[i]), n, code,
                              _CONV[lo.conv])[0])


def _exact_level(lo: _Loans, i: int) -> float:
    """The level amount of row ``i`` in fen from the exact reference (a half-fen tie)."""
    exact = level_for(Fraction(_fen(lo.principal[i]), 100), _exact_rate(lo.rate[i]),
                      int(lo.months[i]), _method(int(lo.method[i])), lo.conv)
    return float(exact * 100)


# --- output arrays ---------------------------------------------------------------------------

PREFAULT_BYTES = 4 << 20
"""New schedule arrays of at least this many bytes in all are mapped before the kernels run."""
MADV_POPULATE_WRITE = 23  # Linux 5.14+


@functools.cache
def _madvise() -> Callable[[int, int, int], int] | None:
    """libc's madvise on Linux, or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        fn = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):  # pragma: no cover - a libc without madvise
        return None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    fn.restype = ctypes.c_int
    return cast("Callable[[int, int, int], int]", fn)


def _fresh(count: int, shape: int | tuple[int, ...], dtype: type[Any] = np.float64) -> list[NDArray[Any]]:
    """``count`` new output arrays."""
    return [np.empty(shape, dtype=dtype) for _ in range(count)]


def _mapped(arrays: list[NDArray[Any]]) -> list[NDArray[Any]]:
    """Map the pages of new 2-D outputs before the kernels write them.

    The kernels write from several threads; where new memory is mapped on
    first touch, threads faulting pages in side by side took up to 100 ms
    for four 29 MB arrays on a two-core virtual machine, against about 15 ms
    for one ``madvise(MADV_POPULATE_WRITE)`` call per array. Contents are
    untouched. Before Linux 5.14 the call fails, which is ignored: the
    kernels then map the pages as they write.
    """
    madvise = _madvise()
    if madvise is not None and sum(a.nbytes for a in arrays) >= PREFAULT_BYTES:
        for arr in arrays:
            start = arr.ctypes.data - arr.ctypes.data % mmap.PAGESIZE
            madvise(start, arr.ctypes.data + arr.nbytes - start, MADV_POPULATE_WRITE)
    return arrays


# --- chunks and progress --------------------------------------------------------------------

DEFAULT_CHUNKS = 100
"""With ``progress=True`` and no ``chunk_size``: about this many chunks (at least MIN_CHUNK rows)."""
MIN_CHUNK = 1024


def _chunk_rows(size: int, chunk_size: object, progress: bool) -> int:
    """Rows per chunk: ``chunk_size``, a default when only ``progress`` is asked, else all."""
    if not isinstance(progress, bool | np.bool_):
        raise InputError("progress", progress, "True or False")
    if chunk_size is None:
        if progress:
            return max(MIN_CHUNK, -(-size // DEFAULT_CHUNKS))
        return max(size, 1)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise InputError("chunk_size", chunk_size, "a whole number of rows (1 or more) or None")
    return int(chunk_size)


_COMPILING = "compiling (first call in this process)"
"""What the progress bar says until a function's first chunk is done: its kernels are being
compiled or loaded from numba's disk cache (seconds when cold; :func:`warmup` does it ahead)."""
_called: set[str] = set()
"""The batch functions that have run a chunk in this process (their kernels are compiled)."""


def _progress_bar(total: int, what: str, compiling: bool = False) -> Any:
    """A tqdm bar (``tqdm.auto``: a widget in notebooks, text on stderr elsewhere); it says
    "compiling" on a function's first call in the process, until its first chunk is done."""
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is the ``progress`` extra
        raise ImportError("progress=True needs tqdm: pip install 'gjjcalc[progress]'") from None
    return tqdm(total=total, desc=f"gjjcalc.batch.{what}", unit="loan",
                unit_scale=total >= 100_000,  # 1.20M/2.00M rather than 1200000/2000000
                postfix=_COMPILING if compiling else None)


def _in_chunks(
    size: int, chunk_size: object, progress: bool, what: str, run: Callable[[int, int], None],
    *, grain: int = kn.CHUNK_ROWS,
) -> None:
    """Call ``run(start, stop)`` on consecutive row ranges, updating a bar after each one.

    The kernels' threads take ``grain`` loop iterations at a time (numba's parallel chunk
    size) rather than one fixed share each.
    """
    step = _chunk_rows(size, chunk_size, progress)
    compiling = what not in _called and not getattr(numba_config, "DISABLE_JIT", False)
    bar = _progress_bar(size, what, compiling) if progress else None
    try:
        with parallel_chunksize(grain):
            for start in range(0, size, step):
                stop = min(start + step, size)
                with guarded():
                    run(start, stop)
                _called.add(what)
                if bar is not None:
                    if compiling:  # compiled: the bar drops the word at this update
                        bar.postfix, compiling = None, False
                    bar.update(stop - start)
    finally:
        if bar is not None:
            bar.close()


# --- public functions -----------------------------------------------------------------------


def _keyword_form(function: str, old: tuple[object, ...], form: str) -> None:
    """Arguments after the loan columns are keyword-only (gjjcalc 0.2): a call in the old
    positional order fails, showing the keyword form, rather than being read another way."""
    if old:
        raise TypeError(f"gjjcalc.batch.{function}() takes the arguments after the loan columns by "
                        f"keyword: gjjcalc.batch.{form}")


def _required(function: str, **value: Any) -> Any:
    ((name, given),) = value.items()
    if given is None:
        raise TypeError(f"gjjcalc.batch.{function}() missing keyword argument {name}=")
    return given


def summaries(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
    chunk_size: int | None = None,
    progress: bool = False,
) -> BatchSummary:
    """Totals of many loans without materializing schedules (利息总额, 还款总额, first, last).

    ``chunk_size`` rows at a time, with a tqdm bar when ``progress`` (both
    keyword-only, in every batch function; the results do not depend on them).

    >>> s = summaries([690000, 1_000_000], ["0.0325", 0.049], [300, 360], method=[0, 1])
    >>> s.first_payment.tolist(), s.total_interest.tolist()
    ([3362.48, 6861.11], [318744.9, 737041.67])
    """
    _chunk_rows(0, chunk_size, progress)
    lo = _loans(principal, annual_rate, months, method, convention, errors)
    return _summaries(lo, lo.months, chunk_size, progress, "summaries")[0]


def _exact_schedule(lo: _Loans, i: int, amount: Fraction, rate: Fraction, n: int) -> Schedule:
    """Row ``i``'s schedule by the single-loan code."""
    build = equal_principal if lo.method[i] == kn.PRINCIPAL else equal_installment
    return build(amount, rate, n, convention=lo.conv)


def _summaries(
    lo: _Loans, periods: I64, chunk_size: object, progress: bool, what: str
) -> tuple[BatchSummary, F64]:
    """Totals of the first ``periods`` periods of each loan, and the balance after them."""
    size = lo.principal.shape[0]
    end, tp, ti, first, last = _fresh(5, size)
    tie = np.empty(size, dtype=np.bool_)
    conv = _CONV[lo.conv]

    def exact(i: int, amount: Fraction, rate: Fraction, n: int) -> None:
        sched = _exact_schedule(lo, i, amount, rate, n)
        k = int(periods[i])
        if k == n:
            ti[i], tp[i] = float(sched.total_interest), float(sched.total_payment)
        else:  # (balances_after reads only the balance)
            ti[i], tp[i] = float(sum(sched.interest[:k])), float(sum(sched.payment[:k]))
        first[i] = float(sched.payment[0]) if k else 0.0
        last[i] = float(sched.payment[k - 1]) if k else 0.0
        end[i] = float(sched.balance_after(k))

    def run(s: int, e: int) -> None:
        if kn.summaries_batch(lo.principal[s:e], lo.rate[s:e], lo.months[s:e], periods[s:e],
                              lo.method[s:e], lo.chk.status[s:e], conv, end[s:e], tp[s:e],
                              ti[s:e], first[s:e], last[s:e], tie[s:e]):
            for i in (np.flatnonzero(tie[s:e]) + s).tolist():  # rare: float cannot decide a half-fen tie
                if _exact_only(lo, i):
                    _exactly(lo, i, _names(what), exact)
                    continue
                out = kn.summary_one(float(_fen(lo.principal[i])), float(lo.rate[i]),
                                     _units(lo.rate[i]), int(lo.months[i]), int(periods[i]),
                                     _exact_level(lo, i), int(lo.method[i]), conv)
                end[i], tp[i], ti[i], first[i], last[i] = (x / 100.0 for x in out)

    _in_chunks(size, chunk_size, progress, what, run)
    if lo.lump.size:  # one payment of principal and interest: paid once periods ≥ 1
        fen, interest = _settle_lumps(lo)
        done = periods[lo.lump] >= 1
        ti[lo.lump] = np.where(done, interest / 100.0, 0.0)
        tp[lo.lump] = np.where(done, (fen + interest) / 100.0, 0.0)
        first[lo.lump] = last[lo.lump] = (fen + interest) / 100.0
        end[lo.lump] = np.where(done, 0.0, fen / 100.0)
    return BatchSummary(ti, tp, first, last, lo.chk.status), end


def payments(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
    chunk_size: int | None = None,
    progress: bool = False,
) -> F64:
    """First payments of many loans (首月还款额), float64 yuan.

    >>> payments([1_000_000] * 4, [0.0325, 0.031, 0.0285, 0.026], 360).tolist()
    [4352.06, 4270.16, 4135.57, 4003.4]
    >>> payments([100, -5], 0.03, 12)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: principal[1]=-5.0 is out of range: expected an amount in yuan greater than 0 and at most 1000000000, in whole fen

    With ``errors="mask"`` a bad row is masked, not a plausible 0.0:

    >>> payments([1000, -5], 0.03, 12, errors="mask").tolist()
    [84.69, None]
    """
    _chunk_rows(0, chunk_size, progress)
    lo = _loans(principal, annual_rate, months, method, convention, errors)
    return _masked(_first_payments(lo, chunk_size, progress, "payments"), lo.chk)


def _masked(values: F64, chk: _Checker) -> F64:
    """Under ``errors="mask"`` a bare array carries no status: bad rows come back masked
    (a ``numpy.ma.MaskedArray``: ``tolist()`` shows ``None``, sums skip them), never as a
    plausible 0.0. With every row good, or under ``errors="raise"``, a plain array."""
    bad = chk.bad
    if chk.raising or not bad.any():
        return values
    return cast(F64, np.ma.MaskedArray(values, mask=bad))


def _first_payments(lo: _Loans, chunk_size: object, progress: bool, what: str) -> F64:
    size = lo.principal.shape[0]
    (out,) = _fresh(1, size)
    tie = np.empty(size, dtype=np.bool_)
    conv = _CONV[lo.conv]

    def exact(i: int, amount: Fraction, rate: Fraction, n: int) -> None:
        out[i] = float(_payment_scalar(amount, rate, n, method=_method(int(lo.method[i])),
                                       convention=lo.conv))

    def run(s: int, e: int) -> None:
        if kn.payments_batch(lo.principal[s:e], lo.rate[s:e], lo.months[s:e], lo.method[s:e],
                             lo.chk.status[s:e], conv, out[s:e], tie[s:e]):
            for i in (np.flatnonzero(tie[s:e]) + s).tolist():  # rare: float cannot decide a half-fen tie
                if _exact_only(lo, i):
                    _exactly(lo, i, _names(what), exact)
                    continue
                bal = _fen(lo.principal[i])
                n = int(lo.months[i])
                out[i] = kn.first_one(float(bal), float(lo.rate[i]), _units(lo.rate[i]), n,
                                      _exact_level(lo, i), bal, n, int(lo.method[i]), conv) / 100.0

    _in_chunks(size, chunk_size, progress, what, run)
    if lo.lump.size:
        fen, interest = _settle_lumps(lo)
        out[lo.lump] = (fen + interest) / 100.0
    return out


def _names(function: str) -> tuple[str, str, str]:
    """The loan columns' names in a batch function's signature."""
    if function == "reprice":
        return ("balance", "new_rate", "remaining_months")
    if function == "prepay":
        return ("balance", "annual_rate", "remaining_months")
    return ("principal", "annual_rate", "months")


def balances_after(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    *old: object,
    k: ArrayLike | None = None,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
    chunk_size: int | None = None,
    progress: bool = False,
) -> F64:
    """Balances after ``k`` payments (k = 0 gives the principal).

    >>> balances_after(690000, 0.0325, 300, k=[28, 28]).tolist()
    [646609.84, 646609.84]
    >>> balances_after(690000, 0.0325, 300, k=28, convention="ledger").tolist()
    [646609.83]
    """
    _keyword_form("balances_after", old, "balances_after(principal, annual_rate, months, k=...)")
    k = _required("balances_after", k=k)
    _chunk_rows(0, chunk_size, progress)
    lo = _loans(principal, annual_rate, months, method, convention, errors, k)
    top = lo.months if not lo.lump.size else np.where(lo.method == LUMP, 1, lo.months)
    kk = _ints("k", k, lo.principal.shape[0], lo.chk, 0, top)
    return _masked(_summaries(lo, kk, chunk_size, progress, "balances_after")[1], lo.chk)


def _outputs(out: object, shape: tuple[int, int]) -> tuple[F64, ...]:
    """``out=`` checked: four distinct, writeable, C-contiguous float64 arrays of ``shape``
    that share no memory (one array given twice would receive two columns)."""
    allowed = f"four separate writeable C-contiguous float64 arrays of shape {shape}"
    if not isinstance(out, tuple | list) or len(out) != 4:
        raise InputError("out", out, allowed)
    for i, x in enumerate(out):
        if not isinstance(x, np.ndarray):
            raise InputError(f"out[{i}]", type(x).__name__, allowed)
        if x.shape != shape or x.dtype != np.float64 or not x.flags.c_contiguous:
            raise InputError(f"out[{i}]", f"<array of shape {x.shape}, {x.dtype}>", allowed)
        if not x.flags.writeable:
            raise InputError(f"out[{i}]", "<read-only array>", allowed)
        for j in range(i):
            if np.may_share_memory(x, out[j]):
                raise InputError(f"out[{i}]", f"<array sharing memory with out[{j}]>", allowed)
    return tuple(out)


def schedules(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    *,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    out: tuple[F64, F64, F64, F64] | None = None,
    errors: Errors = "raise",
    chunk_size: int | None = None,
    progress: bool = False,
) -> BatchSchedule:
    """Schedules of many loans as 2-D arrays of shape (N, max(months)).

    ``out`` takes four preallocated C-contiguous float64 arrays (payment,
    principal, interest, balance) of that shape, reused across calls; chunks
    of ``chunk_size`` rows are written into them in turn.

    >>> s = schedules([690000, 120000], "0.0325", [300, 1])
    >>> s.payment.shape, s.payment[0, :2].tolist(), s.balance[0, 27].item(), s.payment[1, :2].tolist()
    ((2, 300), [3362.48, 3362.48], 646609.84, [120325.0, 0.0])
    """
    _chunk_rows(0, chunk_size, progress)
    lo = _loans(principal, annual_rate, months, method, convention, errors)
    size = lo.principal.shape[0]
    ok = lo.chk.status == OK
    width = max(int(lo.months[ok].max()) if ok.any() else 0, 1 if lo.lump.size else 0)
    arrays = tuple(_mapped(_fresh(4, (size, width)))) if out is None else _outputs(out, (size, width))
    pay, prin, inte, bal = arrays
    tie = np.empty(size, dtype=np.bool_)
    conv = _CONV[lo.conv]

    def exact(i: int, amount: Fraction, rate: Fraction, n: int) -> None:
        sched = _exact_schedule(lo, i, amount, rate, n)
        for column, values in ((pay, sched.payment), (prin, sched.principal),
                               (inte, sched.interest), (bal, sched.balance)):
            column[i, :n] = [float(x) for x in values]
            column[i, n:] = 0.0

    def run(s: int, e: int) -> None:
        if kn.schedules_batch(lo.principal[s:e], lo.rate[s:e], lo.months[s:e], lo.method[s:e],
                              lo.chk.status[s:e], conv, pay[s:e], prin[s:e], inte[s:e], bal[s:e],
                              tie[s:e]):
            p_row, i_row, b_row = np.empty(width), np.empty(width), np.empty(width)
            for i in (np.flatnonzero(tie[s:e]) + s).tolist():  # rare: float cannot decide a half-fen tie
                if _exact_only(lo, i):
                    _exactly(lo, i, _names("schedules"), exact)
                    continue
                n = int(lo.months[i])
                kn.schedule_one(float(_fen(lo.principal[i])), float(lo.rate[i]), _units(lo.rate[i]),
                                n, _exact_level(lo, i), int(lo.method[i]), conv, p_row, i_row, b_row)
                kn.write_yuan(p_row, i_row, b_row, n, pay[i], prin[i], inte[i], bal[i])

    _in_chunks(size, chunk_size, progress, "schedules", run, grain=kn.CHUNK_GROUPS)
    months_out = lo.months
    if lo.lump.size:  # one row: the whole principal and its interest at maturity
        fen, interest = _settle_lumps(lo)
        for a in (pay, prin, inte, bal):
            a[lo.lump] = 0.0
        pay[lo.lump, 0] = (fen + interest) / 100.0
        prin[lo.lump, 0] = fen / 100.0
        inte[lo.lump, 0] = interest / 100.0
        months_out = lo.months.copy()
        months_out[lo.lump] = 1
    return BatchSchedule(pay, prin, inte, bal, months_out, lo.chk.status)


def reprice(
    balance: ArrayLike,
    *old: object,
    new_rate: ArrayLike | None = None,
    remaining_months: ArrayLike | None = None,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    errors: Errors = "raise",
    chunk_size: int | None = None,
    progress: bool = False,
) -> F64:
    """New payments after a rate change (e.g. every loan on 2026-01-01).

    The balance is re-amortized over the months left at the new rate (equal
    principal keeps its principal part balance / months); the result is the
    first payment at the new rate, equal to
    ``gjjcalc.payment(balance, new_rate, remaining_months)``.

    >>> reprice([646609.84], new_rate=[0.031], remaining_months=[272]).tolist()
    [3312.41]
    """
    _keyword_form("reprice", old, "reprice(balance, new_rate=..., remaining_months=...)")
    new_rate = _required("reprice", new_rate=new_rate)
    remaining_months = _required("reprice", remaining_months=remaining_months)
    _chunk_rows(0, chunk_size, progress)
    lo = _loans(balance, new_rate, remaining_months, method, convention, errors,
                names=("balance", "new_rate", "remaining_months"), lumps="no rate change to apply")
    return _masked(_first_payments(lo, chunk_size, progress, "reprice"), lo.chk)


def prepay(
    balance: ArrayLike,
    annual_rate: ArrayLike,
    remaining_months: ArrayLike,
    *old: object,
    payment: ArrayLike | None = None,
    amount: ArrayLike | None = None,
    days: ArrayLike | None = None,
    mode: PrepayMode | str | ArrayLike | None = None,
    method: Method | str | ArrayLike = Method.EQUAL_INSTALLMENT,
    convention: Convention | str = Convention.CENTER,
    recompute_payment: bool = False,
    errors: Errors = "raise",
    chunk_size: int | None = None,
    progress: bool = False,
) -> BatchPrepayment:
    """Partial prepayment what-ifs over a portfolio ("what if everyone prepays 50,000?").

    Row by row equal to :func:`gjjcalc.prepay` with ``on − interest_from``
    = ``days``. ``payment`` (equal installment: the payment kept by
    ``shorten_term``) may be ``None`` or NaN for the payment that repays the
    balance in the months left. An ``amount`` of 0 changes nothing.

    >>> r = prepay([646609.84] * 2, 0.0325, 272, payment=3362.48, amount=10000, days=[11, 12],
    ...            mode=["lower_payment", "shorten_term"])
    >>> r.interest.tolist(), r.payment.tolist(), r.remaining_months.tolist()
    ([9.93, 10.83], [3310.48, 3362.48], [272, 266])
    """
    _keyword_form("prepay", old, "prepay(balance, annual_rate, remaining_months, payment=..., "
                  "amount=..., days=..., mode=...)")
    amount = _required("prepay", amount=amount)
    days = _required("prepay", days=days)
    mode = _required("prepay", mode=mode)
    _chunk_rows(0, chunk_size, progress)
    size = _size(balance, annual_rate, remaining_months, payment, amount, days)
    lo = _loans(balance, annual_rate, remaining_months, method, convention, errors, payment, amount,
                days, names=("balance", "annual_rate", "remaining_months"),
                lumps="nothing to prepay before it", amortizing=False)
    chk = lo.chk
    paid = _amounts("amount", amount, size, chk, zero=True)
    with np.errstate(invalid="ignore"):
        over = np.round(paid * 100.0) > np.round(lo.principal * 100.0)
    chk.check("amount", paid, over, "an amount no more than the balance")
    day = _ints("days", days, size, chk, 0, 100_000)
    how = _codes("mode", mode, size, PrepayMode, _MODE)
    given = _given_payments(payment, lo, size)
    out = _fresh(5, size)
    interest, total, new_balance, pay, saved = out
    (months_out,) = _fresh(1, size, np.int64)
    tie = np.empty(size, dtype=np.bool_)
    conv = _CONV[lo.conv]

    def one(i: int, amount: Fraction, rate: Fraction, n: int) -> None:
        """Row ``i`` by the single-loan prepay (a half-fen tie float cannot decide)."""
        exact = _prepay_scalar(
            balance=amount, annual_rate=rate, remaining_months=n,
            amount=Fraction(_fen(paid[i]), 100),
            on=date(2000, 1, 1) + timedelta(days=int(day[i])), interest_from=date(2000, 1, 1),
            mode=PrepayMode.SHORTEN_TERM if how[i] == kn.SHORTEN else PrepayMode.LOWER_PAYMENT,
            payment=Fraction(int(given[i]), 100) if np.isfinite(given[i]) else None,
            method=_method(int(lo.method[i])), convention=lo.conv,
            recompute_payment=recompute_payment,
        )
        interest[i], total[i] = float(exact.interest), float(exact.total)
        new_balance[i], months_out[i] = float(exact.new_balance), exact.remaining_months
        pay[i], saved[i] = float(exact.payment), float(exact.interest_saved)

    def run(s: int, e: int) -> None:
        ties, stuck = kn.prepay_batch(
            lo.principal[s:e], lo.rate[s:e], lo.months[s:e], lo.method[s:e], chk.status[s:e],
            given[s:e], paid[s:e], day[s:e], how[s:e], conv, recompute_payment, interest[s:e],
            total[s:e], new_balance[s:e], months_out[s:e], pay[s:e], saved[s:e], tie[s:e])
        if stuck and chk.raising:  # a payment that never repays the rest
            i = int(np.flatnonzero((chk.status[s:e] == kn.STUCK) | (chk.status[s:e] == kn.NO_REPAY))[0]) + s
            if chk.status[i] == kn.NO_REPAY:  # lower_payment: the rest's payment rounds too low
                raise InputError(f"amount[{i}]", float(paid[i]),
                                 "an amount that leaves a balance whose payment over the months left "
                                 "is more than its month's interest; prepay the whole balance or use "
                                 "mode='shorten_term'")
            level = float(given[i]) if np.isfinite(given[i]) else _default_level(lo, i)
            raise InputError(f"payment[{i}]", level / 100.0,
                             "more than one month's interest on the balance after the prepayment")
        if ties:
            for i in (np.flatnonzero(tie[s:e]) + s).tolist():  # rare: settle a half-fen tie exactly
                if paid[i] == 0:  # nothing changes: the payment is the current first payment
                    bal, n = _fen(lo.principal[i]), int(lo.months[i])
                    if _exact_only(lo, i):
                        pay[i] = float(_payment_scalar(Fraction(bal, 100), _exact_rate(lo.rate[i]), n,
                                                       method=Method.EQUAL_PRINCIPAL, convention=lo.conv))
                    else:
                        pay[i] = kn.first_one(float(bal), float(lo.rate[i]), _units(lo.rate[i]), n,
                                              _exact_level(lo, i), bal, n, int(lo.method[i]), conv) / 100.0
                    continue
                for column in out:  # (the exact code refusing it leaves zeros)
                    column[i] = 0.0
                months_out[i] = 0
                _exactly(lo, i, _names("prepay"), one)

    _in_chunks(size, chunk_size, progress, "prepay", run)
    return BatchPrepayment(interest, total, new_balance, months_out, pay, saved, chk.status)


def _given_payments(payment: ArrayLike | None, lo: _Loans, size: int) -> F64:
    """The payments kept by ``prepay``, in fen (NaN: not given), checked as the scalar
    ``prepay`` checks one: whole fen, and the current payment of the balance over about the
    months left (from the level over months + 1 to the one over months − 1, rounded outward)."""
    if payment is None:
        return np.full(size, np.nan)
    chk = lo.chk
    yuan = _floats("payment", payment, size)
    kept = yuan * 100.0
    use = ~np.isnan(kept) & (lo.method == kn.INSTALLMENT) & (chk.status == OK)
    with np.errstate(invalid="ignore"):
        whole = np.abs(kept - np.round(kept)) <= 1e-6 + np.abs(kept) * 1e-14
        bad = use & (np.isinf(kept) | (kept <= 0) | ~whole)
    chk.check("payment", yuan, bad, "a payment in yuan greater than 0, in whole fen (NaN: not given)")
    use &= ~bad
    if use.any():
        bal = np.round(lo.principal * 100.0)
        n = lo.months
        low = np.floor(_annuity_fen(bal, lo.rate, n + 1))
        high = np.ceil(_annuity_fen(bal, lo.rate, np.maximum(n - 1, 1)))
        one = n == 1
        high[one] = np.maximum(high[one], np.floor(bal[one] * (1 + lo.rate[one] / 12.0) + 0.5))
        with np.errstate(invalid="ignore"):
            fen = np.round(kept)
            near = use & ((np.abs(fen - low) <= 1) | (np.abs(fen - high) <= 1))
            out = use & ~near & ((fen < low) | (fen > high))
        for i in np.flatnonzero(near).tolist():  # within a fen of a bound: decide exactly
            try:
                given_level(Fraction(int(fen[i]), 100), Fraction(_fen(lo.principal[i]), 100),
                            _exact_rate(lo.rate[i]), int(n[i]))
            except InputError:
                out[i] = True
        chk.check("payment", yuan, out,
                  "the current payment of the balance over about the months left (from the level "
                  "payment over remaining_months + 1 to the one over remaining_months - 1)")
        use &= ~out
    return np.where(use, np.round(kept), np.nan)


def _annuity_fen(bal: F64, rate: F64, n: I64) -> F64:
    """Float level payments (fen) of ``bal`` over ``n`` months, for checks with a margin."""
    r = rate / 12.0
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.expm1(n * np.log1p(r))
        return np.where(r > 0, bal * r + bal * r / e, bal / n)


def payoff(
    balance: ArrayLike,
    annual_rate: ArrayLike,
    *old: object,
    days: ArrayLike | None = None,
    errors: Errors = "raise",
    chunk_size: int | None = None,
    progress: bool = False,
) -> BatchPayoff:
    """Payoff quotes (提前结清): balance + balance × rate / 360 × days, rounded half-up.

    >>> payoff([646609.84], 0.0325, days=12).total.tolist()
    [647310.33]
    """
    _keyword_form("payoff", old, "payoff(balance, annual_rate, days=...)")
    days = _required("payoff", days=days)
    _chunk_rows(0, chunk_size, progress)
    size = _size(balance, annual_rate, days)
    chk = _Checker(size, errors)
    bal = _amounts("balance", balance, size, chk)
    rate = _rates("annual_rate", annual_rate, size, chk)
    day = _ints("days", days, size, chk, 0, 100_000)
    principal, interest, total = _fresh(3, size)
    tie = np.empty(size, dtype=np.bool_)

    def run(s: int, e: int) -> None:
        if kn.payoff_batch(bal[s:e], rate[s:e], day[s:e], chk.status[s:e], principal[s:e],
                           interest[s:e], total[s:e], tie[s:e]):
            for i in (np.flatnonzero(tie[s:e]) + s).tolist():  # a rate off the grid, near a half fen
                fen = _fen(bal[i])
                exact = accrued_interest(Fraction(fen, 100), _exact_rate(rate[i]), int(day[i]))
                interest[i] = float(exact)
                total[i] = float(Fraction(fen, 100) + exact)

    _in_chunks(size, chunk_size, progress, "payoff", run)
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


def warmup() -> float:
    """Compile every kernel now (or load it from numba's disk cache) and return the seconds taken.

    The first call of each batch function otherwise compiles its kernels
    (seconds each, all of them about a quarter of a minute), with any
    progress bar standing still meanwhile. Call this at a service's start,
    or once when building a container image (``gjjcalc warmup``) so that
    the compiled kernels are in the image's cache: see docs/batch.md,
    "Compile at image build time". A second call in the same process
    returns in milliseconds.

    Every public function runs once on a few loans, for both methods, every
    convention and both prepayment modes, and so do the exact tie-breaking
    paths that rare rows take.

    >>> seconds = warmup()
    >>> seconds >= 0
    True
    """
    import time

    start = time.perf_counter()
    principal = np.array([690000.0, 100000.0])
    rate = np.array([0.0325, 0.031])
    months = np.array([300, 12], dtype=np.int64)
    method = np.array([Method.EQUAL_INSTALLMENT.value, Method.EQUAL_PRINCIPAL.value], dtype=object)
    for conv in Convention:
        common: dict[str, Any] = {"method": method, "convention": conv}
        summaries(principal, rate, months, **common)
        payments(principal, rate, months, **common)
        balances_after(principal, rate, months, k=np.array([28, 3], dtype=np.int64), **common)
        schedules(principal, rate, months, **common)
        reprice(principal, new_rate=rate, remaining_months=months, **common)
        for mode in PrepayMode:
            prepay(principal, rate, months, amount=10000.0, days=12, mode=mode, **common)
        code = _CONV[conv]
        for how in (kn.INSTALLMENT, kn.PRINCIPAL):  # the exact paths of half-fen ties
            fen, r, n = 69_000_000, 0.0325, 300
            units = _units(r)
            level = float(kn.level_one(float(fen), r, n, kn.kind(how, code, r), code)[0])
            kn.summary_one(float(fen), r, units, n, n, level, how, code)
            kn.first_one(float(fen), r, units, n, level, fen, n, how, code)
            rows = [np.empty(n) for _ in range(7)]
            kn.schedule_one(float(fen), r, units, n, level, how, code, rows[0], rows[1], rows[2])
            kn.write_yuan(rows[0], rows[1], rows[2], n, rows[3], rows[4], rows[5], rows[6])
        # a loan beyond the float range: the exact domain check, its row refused (masked)
        summaries([100000.0], [0.3], [600], convention=conv, errors="mask")
    payoff(principal, rate, days=12)
    return time.perf_counter() - start

