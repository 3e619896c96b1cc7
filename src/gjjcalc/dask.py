"""The batch engine over a dask DataFrame of loans, partition by partition.

``import gjjcalc.dask`` needs the ``dask`` extra (``pip install
gjjcalc[dask]``). Each function maps the matching :mod:`gjjcalc.batch`
function over the partitions of a dask DataFrame (``map_partitions``) and
returns a lazy dask DataFrame (or Series) with the same index and divisions,
so ``gjjcalc.dask.summaries(loans).compute()`` equals
``gjjcalc.batch.summaries`` on the same loans, row for row.

Arguments are read from the columns named like the batch function's
arguments (``principal``, ``annual_rate``, ``months``; ``balance``,
``remaining_months``, ``amount``, ``days``, ``mode``, ``k``, ``new_rate``,
``payment``, ``method``), as :func:`gjjcalc.batch.from_frame` does. A
keyword gives a value for every loan instead (``amount=10_000``); giving both
a column and a keyword for one argument is an error. Rename columns first
(``loans.rename(columns={"principal": "balance"})``) when yours differ.

A bad row raises :class:`~gjjcalc.errors.InputError` when the result is
computed, naming the row by its index label (``principal[1017]=-5.0 ...``),
or with ``errors="mask"`` gets a status code and zeros.

>>> import gjjcalc.dask as gd
>>> loans = gd.synthetic_portfolio(1_000, partitions=4, seed=7)
>>> gd.summaries(loans).compute(scheduler="sync").shape
(1000, 5)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, cast

import numpy as np

try:
    import dask.dataframe as dd
    import pandas as pd
except ModuleNotFoundError as err:  # the extra is not installed
    raise ModuleNotFoundError(
        f"gjjcalc.dask needs dask and pandas ({err.name} is not installed): pip install 'gjjcalc[dask]'",
        name=err.name,
    ) from err

from gjjcalc.amortize import batch
from gjjcalc.conventions import Convention, Method, PrepayMode, parse_enum, to_convention
from gjjcalc.errors import InputError

__all__ = [
    "SYNTHETIC_RATES",
    "balances_after",
    "payments",
    "payoff",
    "prepay",
    "reprice",
    "summaries",
    "synthetic_portfolio",
]

SYNTHETIC_RATES = (0.021, 0.026, 0.0285, 0.031, 0.0325, 0.03075, 0.03325)
"""Annual rates of :func:`synthetic_portfolio`: first-home benchmark rates of 2015–2025
(up to and over five years) and the second-home rates of 2024–2025."""

_LABELS = ("method", "mode")
"""Arguments read as labels or codes; every other column is read as float64 numbers."""

_DTYPES: Mapping[str, str] = {"status": "int8", "remaining_months": "int64"}
"""Result columns that are not float64."""


def _frame_meta(fields: tuple[str, ...], index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(
        {name: np.empty(0, dtype=_DTYPES.get(name, "float64")) for name in fields}, index=index
    )


def _column(part: pd.DataFrame, name: str) -> np.ndarray[Any, Any]:
    column = part[name]
    if name in _LABELS:
        return np.asarray(column.to_numpy())
    try:
        return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan))
    except (TypeError, ValueError):
        label, bad = next((k, v) for k, v in column.items() if not _is_number(v))
        raise InputError(f"{name}[{label!r}]", bad, "a number (the column must be numeric)") from None


def _is_number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _relabel(err: InputError, index: pd.Index) -> InputError:
    """A batch error names a row by its position in the partition (``err.loc``: argument,
    row); name it by its label in the whole frame."""
    loc = err.loc
    if len(loc) != 2 or not isinstance(loc[1], int):
        return err
    label = index[loc[1]:loc[1] + 1].tolist()[0]
    return InputError(f"{loc[0]}[{label!r}]", err.value, err.allowed)


def _partition(
    part: pd.DataFrame,
    function: Callable[..., Any],
    columns: tuple[str, ...],
    values: dict[str, object],
    name: str | None,
) -> pd.DataFrame | pd.Series:
    """Run one batch function on one pandas partition; the result keeps the partition's index."""
    arrays = {col: _column(part, col) for col in columns}
    try:
        result = function(**arrays, **values)
    except InputError as err:
        raise _relabel(err, part.index) from None
    if name is not None:
        return pd.Series(result, index=part.index, name=name)
    frame = result.to_frame()
    frame.index = part.index
    return frame


def _map(
    loans: Any,
    function: Callable[..., Any],
    per_loan: dict[str, object],
    options: dict[str, object],
    *,
    required: tuple[str, ...],
    fields: tuple[str, ...] | None = None,
    name: str | None = None,
) -> Any:
    """Resolve each per-loan argument to a column or a keyword, then map over the partitions."""
    if not isinstance(loans, dd.DataFrame):
        raise InputError("loans", type(loans).__name__, "a dask DataFrame (dask.dataframe.DataFrame)")
    columns: list[str] = []
    values: dict[str, object] = dict(options)
    for arg, value in per_loan.items():
        if arg in loans.columns:
            if value is not None:
                raise InputError(arg, value, f"None when the loans have a column {arg!r} "
                                 "(a column or a keyword, not both)")
            columns.append(arg)
        elif value is not None:
            if not isinstance(value, str) and np.ndim(cast(Any, value)) > 0:
                # an array keyword would be applied to every partition from its start
                raise InputError(arg, f"<sequence of {np.size(cast(Any, value))} values>",
                                 f"one value for every loan; per-loan values go in a column "
                                 f"{arg!r} of the loans")
            values[arg] = value
        elif arg in required:
            raise InputError(arg, None, f"a column {arg!r} of the loans or a keyword {arg}=...")
    if "payment" in per_loan and "payment" not in columns:
        values.setdefault("payment", None)
    frame: Any = loans  # dask's methods are untyped
    index = frame._meta.index
    meta: Any = (pd.Series(np.empty(0), index=index, name=name) if name is not None
                 else _frame_meta(fields or (), index))
    return frame.map_partitions(_partition, function, tuple(columns), values, name, meta=meta)


def _options(convention: Convention | str, errors: str) -> dict[str, object]:
    conv = to_convention(convention)
    if errors not in ("raise", "mask"):
        raise InputError("errors", errors, "'raise' or 'mask'")
    return {"convention": conv, "errors": errors}


def _method(method: object) -> object:
    """Check a method label now, not when a worker computes; keep the caller's value."""
    if isinstance(method, str):
        parse_enum(Method, method, "method")
    return method


# --- public functions -----------------------------------------------------------------------


def summaries(
    loans: dd.DataFrame,
    *,
    method: Method | str | None = None,
    convention: Convention | str = Convention.CENTER,
    errors: batch.Errors = "raise",
) -> dd.DataFrame:
    """Totals of every loan (利息总额, 还款总额, first and last payment), as a dask DataFrame.

    Reads the columns ``principal``, ``annual_rate``, ``months`` and, when
    present, ``method`` (otherwise ``method=``, by default equal installment).
    The result has the columns of :class:`gjjcalc.batch.BatchSummary`
    (``total_interest``, ``total_payment``, ``first_payment``,
    ``last_payment`` float64 yuan; ``status`` int8) and the loans' index.

    >>> import dask.dataframe as dd, pandas as pd
    >>> loans = dd.from_pandas(pd.DataFrame({"principal": [690000.0, 1_000_000.0],
    ...     "annual_rate": [0.0325, 0.049], "months": [300, 360]}), npartitions=2)
    >>> summaries(loans, convention="ledger").compute(scheduler="sync")[["first_payment", "status"]]
       first_payment  status
    0        3362.48       0
    1        5307.27       0
    """
    result: dd.DataFrame = _map(loans, batch.summaries,
                {"principal": None, "annual_rate": None, "months": None, "method": _method(method)},
                _options(convention, errors), required=("principal", "annual_rate", "months"),
                fields=batch.BatchSummary._fields)
    return result


def payments(
    loans: dd.DataFrame,
    *,
    method: Method | str | None = None,
    convention: Convention | str = Convention.CENTER,
    errors: batch.Errors = "raise",
) -> dd.Series:
    """First payments (首月还款额) as a float64 dask Series named ``payment``.

    Reads ``principal``, ``annual_rate``, ``months`` (and ``method`` if present).

    >>> import dask.dataframe as dd, pandas as pd
    >>> loans = dd.from_pandas(pd.DataFrame({"principal": [1_000_000.0] * 4,
    ...     "annual_rate": [0.0325, 0.031, 0.0285, 0.026], "months": 360}), npartitions=2)
    >>> payments(loans).compute(scheduler="sync").tolist()
    [4352.06, 4270.16, 4135.57, 4003.4]
    """
    result: dd.Series = _map(loans, batch.payments,
                {"principal": None, "annual_rate": None, "months": None, "method": _method(method)},
                _options(convention, errors), required=("principal", "annual_rate", "months"),
                name="payment")
    return result


def balances_after(
    loans: dd.DataFrame,
    *,
    k: object = None,
    method: Method | str | None = None,
    convention: Convention | str = Convention.CENTER,
    errors: batch.Errors = "raise",
) -> dd.Series:
    """Balances after ``k`` payments as a float64 dask Series named ``balance``.

    Reads ``principal``, ``annual_rate``, ``months`` and ``k`` (a column, or
    ``k=`` for every loan).

    >>> import dask.dataframe as dd, pandas as pd
    >>> loans = dd.from_pandas(pd.DataFrame({"principal": [690000.0], "annual_rate": [0.0325],
    ...     "months": [300]}), npartitions=1)
    >>> balances_after(loans, k=28, convention="ledger").compute(scheduler="sync").tolist()
    [646609.83]
    """
    result: dd.Series = _map(loans, batch.balances_after,
                {"principal": None, "annual_rate": None, "months": None, "k": k,
                 "method": _method(method)},
                _options(convention, errors), required=("principal", "annual_rate", "months", "k"),
                name="balance")
    return result


def reprice(
    loans: dd.DataFrame,
    *,
    new_rate: object = None,
    method: Method | str | None = None,
    convention: Convention | str = Convention.CENTER,
    errors: batch.Errors = "raise",
) -> dd.Series:
    """New payments after a rate change, as a float64 dask Series named ``payment``.

    Reads ``balance``, ``remaining_months`` and ``new_rate`` (a column, or
    ``new_rate=`` for every loan: "what if the rate falls to 3.1%?").

    >>> import dask.dataframe as dd, pandas as pd
    >>> loans = dd.from_pandas(pd.DataFrame({"balance": [646609.84],
    ...     "remaining_months": [272]}), npartitions=1)
    >>> reprice(loans, new_rate=0.031).compute(scheduler="sync").tolist()
    [3312.41]
    """
    result: dd.Series = _map(loans, batch.reprice,
                {"balance": None, "remaining_months": None, "new_rate": new_rate,
                 "method": _method(method)},
                _options(convention, errors),
                required=("balance", "remaining_months", "new_rate"), name="payment")
    return result


def prepay(
    loans: dd.DataFrame,
    *,
    amount: object = None,
    days: object = None,
    mode: PrepayMode | str | None = None,
    payment: object = None,
    method: Method | str | None = None,
    convention: Convention | str = Convention.CENTER,
    recompute_payment: bool = False,
    errors: batch.Errors = "raise",
) -> dd.DataFrame:
    """Partial prepayment what-ifs (部分提前还本) as a dask DataFrame.

    Reads ``balance``, ``annual_rate``, ``remaining_months``, ``amount``,
    ``days`` (since interest last accrued), ``mode`` and, when present,
    ``payment`` (the installment kept by ``shorten_term``; without it, the
    payment that repays the balance in the months left) and ``method``. The
    result has the columns of :class:`gjjcalc.batch.BatchPrepayment`
    (``remaining_months`` int64, ``status`` int8, the rest float64 yuan).

    >>> import dask.dataframe as dd, pandas as pd
    >>> loans = dd.from_pandas(pd.DataFrame({"balance": [646609.84] * 2, "annual_rate": 0.0325,
    ...     "remaining_months": 272, "payment": 3362.48, "days": [11, 12],
    ...     "mode": ["lower_payment", "shorten_term"]}), npartitions=2)
    >>> r = prepay(loans, amount=10_000).compute(scheduler="sync")
    >>> r[["interest", "payment", "remaining_months"]]
       interest  payment  remaining_months
    0      9.93  3310.48               272
    1     10.83  3362.48               266
    """
    if isinstance(mode, str):
        parse_enum(PrepayMode, mode, "mode")
    options = _options(convention, errors)
    options["recompute_payment"] = bool(recompute_payment)
    result: dd.DataFrame = _map(loans, batch.prepay,
                {"balance": None, "annual_rate": None, "remaining_months": None, "payment": payment,
                 "amount": amount, "days": days, "mode": mode, "method": _method(method)},
                options,
                required=("balance", "annual_rate", "remaining_months", "amount", "days", "mode"),
                fields=batch.BatchPrepayment._fields)
    return result


def payoff(loans: dd.DataFrame, *, days: object = None, errors: batch.Errors = "raise") -> dd.DataFrame:
    """Payoff quotes (提前结清) as a dask DataFrame.

    Reads ``balance``, ``annual_rate`` and ``days`` (a column, or ``days=``).
    The result has the columns of :class:`gjjcalc.batch.BatchPayoff`
    (``principal``, ``interest``, ``total`` float64 yuan; ``status`` int8).

    >>> import dask.dataframe as dd, pandas as pd
    >>> loans = dd.from_pandas(pd.DataFrame({"balance": [646609.84], "annual_rate": [0.0325]}),
    ...                        npartitions=1)
    >>> payoff(loans, days=12).compute(scheduler="sync")["total"].tolist()
    [647310.33]
    """
    if errors not in ("raise", "mask"):
        raise InputError("errors", errors, "'raise' or 'mask'")
    result: dd.DataFrame = _map(loans, batch.payoff, {"balance": None, "annual_rate": None, "days": days},
                {"errors": errors}, required=("balance", "annual_rate", "days"),
                fields=batch.BatchPayoff._fields)
    return result


# --- a lazy synthetic portfolio -------------------------------------------------------------


def _synthetic_partition(bounds: tuple[int, int, int], seed: int) -> pd.DataFrame:
    """Rows ``start`` to ``stop - 1`` of a synthetic portfolio, from partition ``i``'s own RNG."""
    start, stop, i = bounds
    rng = np.random.default_rng([seed, i])
    size = stop - start
    rates = np.array(SYNTHETIC_RATES)
    return pd.DataFrame(
        {
            "principal": rng.integers(5_000_000, 120_000_001, size) / 100.0,
            "annual_rate": rates[rng.integers(0, len(rates), size)],
            "months": rng.integers(12, 361, size),
        },
        index=pd.RangeIndex(start, stop),
    )


def synthetic_portfolio(n_loans: int, *, partitions: int | None = None, seed: int = 0) -> dd.DataFrame:
    """A lazy dask DataFrame of ``n_loans`` made-up loans, generated partition by partition.

    Nothing is generated until computed, and each partition comes from its
    own seeded RNG, so a portfolio of any size is never whole in memory and
    the same ``(n_loans, partitions, seed)`` always gives the same loans.
    Columns: ``principal`` (50,000 to 1,200,000 yuan in whole fen),
    ``annual_rate`` (one of :data:`SYNTHETIC_RATES`), ``months`` (12 to 360);
    the index runs from 0 to ``n_loans - 1`` with known divisions.

    Parameters
    ----------
    n_loans
        Number of loans, at least 1.
    partitions
        Number of partitions, 1 to ``n_loans``; by default one per million loans.
    seed
        Seed of the generator (with the partition number).

    Examples
    --------
    >>> loans = synthetic_portfolio(10, partitions=3, seed=1)
    >>> loans.npartitions, loans.divisions
    (3, (0, 3, 6, 9))
    >>> part = loans.partitions[1].compute(scheduler="sync")
    >>> part.index.tolist(), bool(part.months.between(12, 360).all())
    ([3, 4, 5], True)
    """
    if isinstance(n_loans, bool) or not isinstance(n_loans, int) or n_loans < 1:
        raise InputError("n_loans", n_loans, "an integer at least 1")
    count = max(1, math.ceil(n_loans / 1_000_000)) if partitions is None else partitions
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= n_loans:
        raise InputError("partitions", partitions, f"an integer from 1 to n_loans={n_loans}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed", seed, "an integer at least 0")
    edges = [n_loans * i // count for i in range(count + 1)]
    bounds = [(edges[i], edges[i + 1], i) for i in range(count)]
    meta = pd.DataFrame(
        {"principal": np.empty(0), "annual_rate": np.empty(0), "months": np.empty(0, dtype=np.int64)},
        index=pd.RangeIndex(0, 0),
    )
    divisions = (*edges[:-1], n_loans - 1)
    from_map: Any = dd.from_map  # untyped
    result: dd.DataFrame = from_map(_synthetic_partition, bounds, args=(seed,), meta=meta, divisions=divisions,
                    label="gjjcalc-synthetic-portfolio")
    return result
