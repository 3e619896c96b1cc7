"""The fund plans of many borrowers at once (``offset_plans``): numpy in and out, a Numba kernel.

For a center's question "how much will offsets draw from the fund next
year", or a portfolio's "when does each borrower's card stop paying". Each
row is one borrower: a loan (equal installment, the ``center`` convention, no
recorded events) and an account with a balance and a standing monthly
deposit; the result is per-borrower summary arrays, equal row by row to
:func:`gjjcalc.account.offset_plan` on the same loan and account (a property
test ties them). Importing this module imports numba; ``gjjcalc.account``
does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gjjcalc._display import pandas
from gjjcalc.account import _kernels as kn
from gjjcalc.account.settings import AccountRules, resolve
from gjjcalc.amortize import batch as engine
from gjjcalc.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OffsetPlans", "offset_plans"]

MAX_YUAN = 1_000_000_000.0
"""The largest batch amount (as for the loan batch engine): in fen every product stays inside int64."""
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
Days = NDArray[np.datetime64]


class OffsetPlans(NamedTuple):
    """Per-borrower totals of the plans (yuan, float64 of whole fen), in the order of the rows.

    Each field is the same-named one of :class:`gjjcalc.account.OffsetPlan`:
    ``fund_runs_out`` is ``NaT`` where the fund covers every installment of the
    plan, and ``runs_out_row`` the row of the plan it falls on (−1 where it never
    does); ``installments`` counts the plan's rows.
    """

    card_total: F64
    fund_total: F64
    withdrawn_total: F64
    card_net: F64
    fund_balance: F64
    fund_interest: F64
    fund_runs_out: Days
    runs_out_row: I64
    installments: I64

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per borrower, columns named after the fields (needs the
        ``pandas`` extra)."""
        return pandas().DataFrame(self._asdict())


def _days(name: str, value: object, size: int) -> I64:
    """Dates (``datetime64``, ``date``, ISO text; one or one per row) as day numbers."""
    try:
        arr = np.asarray(value, dtype="datetime64[D]")
    except (TypeError, ValueError):
        raise InputError(name, value, "dates (datetime64, datetime.date or 'YYYY-MM-DD'), one or one per row") from None
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] not in (1, size)):
        raise InputError(name, arr.shape, f"one date or {size} dates")
    days = np.broadcast_to(arr, (size,)).astype(np.int64)
    bad = np.flatnonzero(np.isnat(np.broadcast_to(arr, (size,))))
    if bad.size:
        raise InputError(f"{name}[{int(bad[0])}]", "NaT", "a date")
    return days


def _fen(name: str, value: ArrayLike, size: int) -> I64:
    """Amounts in yuan, at least 0 and in whole fen, as int64 fen."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(name, value, "amounts in yuan (numbers), one or one per row") from None
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] not in (1, size)):
        raise InputError(name, arr.shape, f"one amount or {size} amounts")
    arr = np.broadcast_to(arr, (size,))
    fen = np.rint(arr * 100.0)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > MAX_YUAN) | (np.abs(arr * 100.0 - fen) > 1e-6)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}[{i}]", float(arr[i]),
                         f"an amount in yuan at least 0 and at most {MAX_YUAN:,.0f}, in whole fen")
    return fen.astype(np.int64)


def _size(columns: Mapping[str, ArrayLike | None]) -> int:
    """The number of rows: the length of the columns given one value per row (the others broadcast)."""
    sizes: dict[int, str] = {}
    for name, value in columns.items():
        if value is None:
            continue
        shape = np.shape(value)
        if len(shape) > 1:
            raise InputError(name, shape, "one value, or one per row (a one-dimensional array)")
        if shape and shape[0] != 1:
            sizes.setdefault(shape[0], name)
    if len(sizes) > 1:
        (a, first), (b, second) = list(sizes.items())[:2]
        raise InputError(second, f"{b} rows", f"one value or {a} values, as {first} has")
    return next(iter(sizes), 1)


def _ymd(days: I64) -> tuple[I64, I64, I64]:
    d = days.astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    y = months.astype(np.int64) // 12 + 1970
    m = months.astype(np.int64) % 12 + 1
    return y, m, (d - months.astype("datetime64[D]")).astype(np.int64) + 1


def _first_bad(mask: NDArray[np.bool_], name: str, days: I64, allowed: Any) -> None:
    if mask.any():
        i = int(np.flatnonzero(mask)[0])
        shown = str(days[i].astype("datetime64[D]"))
        raise InputError(f"{name}[{i}]", shown, allowed(i) if callable(allowed) else allowed)


def _iso(day: object) -> str:
    return str(np.asarray(day, dtype=np.int64).astype("datetime64[D]"))


def offset_plans(
    principal: ArrayLike,
    annual_rate: ArrayLike,
    months: ArrayLike,
    released: ArrayLike,
    *,
    start: ArrayLike,
    balance: ArrayLike,
    deposit: ArrayLike = 0,
    first_deposit: ArrayLike | None = None,
    opened: ArrayLike | None = None,
    keep: ArrayLike = 0,
    until: ArrayLike | None = None,
    first_due: ArrayLike | None = None,
    mode: Literal["monthly", "yearly"] = "monthly",
    rules: AccountRules | None = None,
) -> OffsetPlans:
    """The offset plans (逐月冲还贷 or 每年提取) of many borrowers, one per row.

    Row ``i`` is :func:`gjjcalc.account.offset_plan` of
    ``Loan(principal[i], annual_rate[i], months[i], released=released[i], first_due=first_due[i])``
    and ``Account(opened[i], balance[i]).monthly_deposits(deposit[i], first_deposit[i])``
    (no deposits where ``deposit[i]`` is 0), with ``start=start[i]``, ``keep=keep[i]``,
    ``until=until[i]`` and ``mode``.

    Parameters
    ----------
    principal, annual_rate, months : array_like
        The loans (equal installment, ``center`` convention), as for
        :func:`gjjcalc.batch.summaries`.
    released : dates
        Each loan's release date (``datetime64``, ``date`` or ISO text).
    start : dates
        Each plan's first due date considered: on or after the release and the
        account's opening, on or before the maturity.
    balance : array_like
        Each account's balance on ``opened`` (yuan, whole fen, at least 0).
    deposit : array_like
        Each account's monthly deposit (汇缴, yuan, at least 0; 0: none).
    first_deposit : dates, optional
        The first deposit's date, on or after ``opened`` (default: ``opened``);
        the next ones a month apart (a 31st becomes the month's last day).
    opened : dates, optional
        The day ``balance`` is on (default: ``start``); on or after the deposit
        rate table's last change (2016-02-21 for the shipped table), as the
        kernel takes one rate.
    keep : array_like
        The balance each fund keeps (yuan, at least 0).
    until : dates, optional
        Each plan's end (default: each loan's maturity); on or after ``start``.
    first_due : dates, optional
        Each loan's first due date (default: a month after ``released``).
    mode : {"monthly", "yearly"}
        As for :func:`gjjcalc.account.offset_plan`, for every row.
    rules : AccountRules, optional
        The settlement day, day basis and deposit rates (default: ``AccountRules()``).

    Returns
    -------
    OffsetPlans
        Per-borrower ``card_total``, ``fund_total``, ``withdrawn_total``,
        ``card_net``, ``fund_balance`` (at ``until``), ``fund_interest``,
        ``fund_runs_out``, ``runs_out_row`` and ``installments``.

    Raises
    ------
    InputError
        Naming the column and the row (``balance[3]``, ``start[0]``) and the
        allowed range; ``mode``; what :func:`gjjcalc.batch.summaries` raises for
        the loan columns.

    Examples
    --------
    The Jilin center's loan (690,000 at 3.25 % over 300 months) with two accounts,
    the first as in :func:`gjjcalc.account.offset_plan`'s example, for the 12 months
    from 2018-01-28:

    >>> p = offset_plans(690000, 0.0325, 300, "2015-08-28", start="2018-01-28",
    ...                  balance=[10000, 60000], deposit=2000, first_deposit="2018-01-15",
    ...                  opened="2018-01-01", until="2018-12-31")
    >>> p.fund_total.tolist(), p.card_total.tolist(), p.fund_runs_out.tolist()
    ([34055.06, 40349.76], [6294.7, 0.0], [datetime.date(2018, 8, 28), None])
    >>> p.fund_balance.tolist(), p.installments.tolist()
    ([0.0, 44082.39], [12, 12])
    >>> offset_plans(690000, 0.0325, 300, "2015-08-28", start="2018-01-28", balance=[10, -1])
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: balance[1]=-1.0 is out of range: expected an amount in yuan at least 0 and at most 1,000,000,000, in whole fen
    """
    if mode not in ("monthly", "yearly"):
        raise InputError("mode", mode, "'monthly' or 'yearly'")
    settings = resolve(rules)
    if not isinstance(settings, AccountRules):  # pragma: no cover - resolve always returns one
        raise InputError("rules", rules, "an AccountRules or None")
    columns = {"principal": principal, "annual_rate": annual_rate, "months": months, "released": released,
               "start": start, "balance": balance, "deposit": deposit, "first_deposit": first_deposit,
               "opened": opened, "keep": keep, "until": until, "first_due": first_due}
    size = _size(columns)
    summary = engine.summaries(principal, annual_rate, months)  # validated there, rows named
    level = np.broadcast_to(np.rint(summary.first_payment * 100.0).astype(np.int64), (size,)).copy()
    last = np.broadcast_to(np.rint(summary.last_payment * 100.0).astype(np.int64), (size,)).copy()
    n = np.broadcast_to(np.asarray(months, dtype=np.int64), (size,)).copy()
    rel = _days("released", released, size)
    begin = _days("start", start, size)
    opened_days = begin.copy() if opened is None else _days("opened", opened, size)
    bal = _fen("balance", balance, size)
    dep = _fen("deposit", deposit, size)
    floor = _fen("keep", keep, size)
    first_dep = opened_days.copy() if first_deposit is None else _days("first_deposit", first_deposit, size)
    ry, rm, rd = _ymd(rel)
    if first_due is None:
        fy, fm, due_day = ry + (rm == 12), rm % 12 + 1, rd
    else:
        fd = _days("first_due", first_due, size)
        _first_bad(fd <= rel, "first_due", fd, lambda i: f"a date after released={_iso(rel[i])}")
        fy, fm, due_day = _ymd(fd)
    maturity = _maturity(fy, fm, due_day, n)
    end = maturity.copy() if until is None else _days("until", until, size)
    table = settings.deposit_rates
    rate = table.rows[-1]
    if rate.current_year != rate.carried_over:  # pragma: no cover - the shipped table's last row is one rate
        raise InputError("rules", settings, "a deposit rate table whose last row is one rate")
    since = np.datetime64(table.rows[-1].effective, "D").astype(np.int64)
    _first_bad(opened_days < since, "opened", opened_days,
               f"a date on or after {table.rows[-1].effective}, the last change of the deposit rate "
               "(the batch takes one rate; use offset_plan for earlier years)")
    _first_bad(begin < rel, "start", begin, lambda i: f"a date on or after the loan's release {_iso(rel[i])}")
    _first_bad(begin < opened_days, "start", begin,
               lambda i: f"a date on or after the account's opening {_iso(opened_days[i])}")
    _first_bad(begin > maturity, "start", begin,
               lambda i: f"a date on or before the loan's maturity {_iso(maturity[i])}")
    _first_bad(end < begin, "until", end, lambda i: f"a date on or after start={_iso(begin[i])}")
    _first_bad((dep > 0) & (first_dep < opened_days), "first_deposit", first_dep,
               lambda i: f"a date on or after opened={_iso(opened_days[i])}")
    dy, dm, dd = _ymd(first_dep)
    sm, sd = settings.settlement
    oy, om, od = _ymd(opened_days)
    sy = oy + ((om > sm) | ((om == sm) & (od > sd)))  # the first settlement on or after the opening
    frac = Fraction(rate.current_year)
    out = np.empty((size, kn.OUTPUTS), dtype=np.int64)
    kn.plans_batch(level, last, n, fy.astype(np.int64), fm.astype(np.int64), due_day.astype(np.int64),
                   begin, end, bal, opened_days, dep, dy, dm, dd, floor, mode == "yearly",
                   frac.numerator, frac.denominator, settings.day_basis, sy.astype(np.int64), sm, sd, out)
    runs = out[:, 5].copy()
    runs_out = np.where(runs == kn.NEVER, np.datetime64("NaT", "D"), runs.astype("datetime64[D]"))
    card, drawn = out[:, 0], out[:, 2]
    return OffsetPlans(
        card_total=card / 100.0, fund_total=out[:, 1] / 100.0, withdrawn_total=drawn / 100.0,
        card_net=(card - drawn) / 100.0, fund_balance=out[:, 3] / 100.0, fund_interest=out[:, 4] / 100.0,
        fund_runs_out=runs_out.astype("datetime64[D]"), runs_out_row=out[:, 6].copy(),
        installments=out[:, 7].copy(),
    )


def _maturity(fy: I64, fm: I64, due_day: I64, n: I64) -> I64:
    """The day number of installment ``n`` (the maturity)."""
    t = fm - 1 + n - 1
    yy, mm = fy + t // 12, t % 12 + 1
    first = (yy - 1970) * 12 + (mm - 1)
    month_start = first.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    month_len = (first + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - month_start
    out: I64 = month_start + np.minimum(due_day, month_len) - 1
    return out
