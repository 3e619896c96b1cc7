"""The Numba kernels of :mod:`gjjcalc.account.batch`: int64 fen and day numbers, no validation.

Days are numbers of days since 1970-01-01 (numpy's ``datetime64[D]``). One
borrower's plan is :func:`plan_one`, the walk of :func:`gjjcalc.account.offset_plan`
(monthly or yearly mode, no spouse) over one account with a standing monthly
deposit, under one deposit rate ``p / q`` a year and interest = round half-up
(积数 × p / (q × basis)) on each settlement day; :func:`plans_batch` calls it
for every borrower in a ``prange`` loop.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from gjjcalc.amortize._runtime import CACHE

NEVER = np.iinfo(np.int64).min
"""``runs_out`` of a borrower whose fund never stops covering (NaT as ``datetime64[D]``)."""

OUTPUTS = 8
"""Columns of ``out``: card, fund, withdrawn, fund balance, fund interest (fen), runs-out day,
runs-out row, rows."""

I64 = NDArray[np.int64]


@njit(cache=CACHE, inline="always")
def civil(y: int, m: int, d: int) -> int:
    """The day number of ``y-m-d`` (proleptic Gregorian)."""
    y -= 1 if m <= 2 else 0
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return int(era * 146097 + doe - 719468)


@njit(cache=CACHE, inline="always")
def month_day(y: int, m: int, k: int, want: int) -> int:
    """The day number ``k`` months after the month ``y-m``, on day ``want`` clamped to its end."""
    t = m - 1 + k
    yy = y + t // 12
    mm = t % 12 + 1
    if mm == 2:
        leap = yy % 4 == 0 and (yy % 100 != 0 or yy % 400 == 0)
        last = 29 if leap else 28
    elif mm in (4, 6, 9, 11):
        last = 30
    else:
        last = 31
    return civil(yy, mm, min(want, last))


@njit(cache=CACHE, inline="always")
def settle_before(
    limit: int, bal: int, acc: int, mark: int, interest: int, syear: int, nxt: int,
    p: int, q: int, basis: int, den: int, start: int, sm: int, sd: int,
) -> tuple[int, int, int, int, int, int]:
    """Credit every yearly settlement dated before ``limit``: the fen-days ``acc`` up to and
    including the settlement day, interest round half-up (积数 × p / (q × basis)), counted in
    ``interest`` from ``start`` on. Returns the new ``(bal, acc, mark, interest, syear, nxt)``."""
    while nxt < limit:
        if nxt + 1 > mark:
            acc += bal * (nxt + 1 - mark)
            mark = nxt + 1
        credited = (2 * acc * p + q * basis) // den
        bal += credited
        interest += credited if nxt >= start else 0
        acc = 0
        syear += 1
        nxt = civil(syear, sm, sd)
    return bal, acc, mark, interest, syear, nxt


@njit(cache=CACHE)
def plan_one(
    level: int, last: int, n: int, fy: int, fm: int, due_day: int, start: int, end: int,
    balance: int, opened: int, deposit: int, dy: int, dm: int, dd: int, keep: int, yearly: bool,
    p: int, q: int, basis: int, sy: int, sm: int, sd: int, out: I64,
) -> None:
    """One borrower's plan into ``out`` (``OUTPUTS`` int64)."""
    bal = balance
    acc = 0  # fen-days since the last settlement
    mark = opened  # the first day not yet in ``acc``
    syear = sy
    nxt = civil(syear, sm, sd)
    den = 2 * q * basis
    interest = 0
    first = 1
    while first <= n and month_day(fy, fm, first - 1, due_day) < start:
        first += 1
    stop = first - 1
    while stop < n and month_day(fy, fm, stop, due_day) <= end:
        stop += 1
    rows = stop - first + 1
    j = 0
    dep_day = month_day(dy, dm, 0, dd) if deposit > 0 else end + 1
    card = fund = drawn = window = 0
    runs_out = NEVER
    runs_row = -1
    k = first
    while True:
        due = month_day(fy, fm, k - 1, due_day) if k <= stop else end + 1
        through = due if k <= stop else end
        # the deposits on or before ``through``, then the settlements before each day
        while dep_day <= through:
            bal, acc, mark, interest, syear, nxt = settle_before(
                dep_day, bal, acc, mark, interest, syear, nxt, p, q, basis, den, start, sm, sd)
            if dep_day > mark:
                acc += bal * (dep_day - mark)
                mark = dep_day
            bal += deposit
            j += 1
            dep_day = month_day(dy, dm, j, dd)
        limit = due if k <= stop else end + 1  # settle strictly before ``limit``
        bal, acc, mark, interest, syear, nxt = settle_before(
            limit, bal, acc, mark, interest, syear, nxt, p, q, basis, den, start, sm, sd)
        if k > stop:
            break
        pay = last if k == n else level
        take = 0
        if yearly:
            window += pay
            card += pay
            if (k - first + 1) % 12 == 0 or k == stop:
                take = max(min(window, bal - keep), 0)
                if take < window and runs_out == NEVER:
                    runs_out = due
                    runs_row = k - first
                window = 0
                drawn += take
        else:
            take = max(min(pay, bal - keep), 0)
            card += pay - take
            if take < pay and runs_out == NEVER:
                runs_out = due
                runs_row = k - first
        if take:
            if due > mark:
                acc += bal * (due - mark)
                mark = due
            bal -= take
            fund += take
        k += 1
    out[0] = card
    out[1] = fund
    out[2] = drawn
    out[3] = bal
    out[4] = interest
    out[5] = runs_out
    out[6] = runs_row
    out[7] = rows


@njit(cache=CACHE, parallel=True)
def plans_batch(
    level: I64, last: I64, n: I64, fy: I64, fm: I64, due_day: I64, start: I64, end: I64,
    balance: I64, opened: I64, deposit: I64, dy: I64, dm: I64, dd: I64, keep: I64, yearly: bool,
    p: int, q: int, basis: int, sy: I64, sm: int, sd: int, out: I64,
) -> None:
    """:func:`plan_one` for every borrower; ``out`` is (N, ``OUTPUTS``)."""
    for i in prange(level.shape[0]):
        plan_one(level[i], last[i], n[i], fy[i], fm[i], due_day[i], start[i], end[i], balance[i],
                 opened[i], deposit[i], dy[i], dm[i], dd[i], keep[i], yearly, p, q, basis, sy[i], sm, sd,
                 out[i])
