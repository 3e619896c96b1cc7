"""Every Numba kernel of the batch engine; no validation, no Decimal.

Units: amounts in fen. ``ledger`` works in int64 fen with the monthly rate as
an integer ratio ``a / b`` (exact); ``center`` and ``exact`` carry float64 fen.
Codes: method 0 = equal installment, 1 = equal principal; convention 0 =
center, 1 = ledger, 2 = exact; mode 0 = lower payment, 1 = shorten term.

The per-loan kernels (``level_one``, ``run_one``, ``prepay_one``) hold the
formulas once; the ``*_batch`` kernels only loop over loans with ``prange``
and call them (tested against the exact reference in ``_exact``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

CENTER = 0
LEDGER = 1
EXACT = 2
INSTALLMENT = 0
PRINCIPAL = 1
LOWER = 0
SHORTEN = 1

TIE_EPS = 1e-6
"""A float level within this many fen of a half-fen tie is flagged for exact rounding."""


@njit(cache=True)
def half_up(x: float) -> float:
    """Round fen half-up (x ≥ 0)."""
    return math.floor(x + 0.5)


@njit(cache=True)
def half_up_ratio(x: int, a: int, b: int) -> int:
    """round-half-up(x·a / b) exactly in int64 for x·a up to 9e18 (via quotient and rest)."""
    q = x // b
    rem = x - q * b
    return q * a + (2 * rem * a + b) // (2 * b)


@njit(cache=True)
def annuity(balance: float, r: float, n: int) -> float:
    """Level payment of ``balance`` over ``n`` months at monthly rate ``r`` (float)."""
    if r == 0.0:
        return balance / n
    g = (1.0 + r) ** n
    return balance * r * g / (g - 1.0)


@njit(cache=True)
def level_one(balance: float, rate: float, n: int, method: int, conv: int) -> tuple[float, bool]:
    """The level amount (payment or principal part) and whether it is near a half-fen tie."""
    if method == PRINCIPAL:
        if conv == LEDGER:
            return float((2 * int(balance) + n) // (2 * n)), False
        return balance / n, False
    r = rate / 12.0
    if r == 0.0 and conv != EXACT:
        return float((2 * int(balance) + n) // (2 * n)), False
    a = annuity(balance, r, n)
    if conv == EXACT:
        return a, False
    frac = a - math.floor(a)
    return half_up(a), abs(frac - 0.5) < TIE_EPS


@njit(cache=True)
def run_one(
    balance: float,
    rate: float,
    a: int,
    b: int,
    remaining: int,
    periods: int,
    level: float,
    pn: int,
    pd: int,
    method: int,
    conv: int,
    pay_out: NDArray[np.float64],
    int_out: NDArray[np.float64],
    bal_out: NDArray[np.float64],
    write: bool,
) -> tuple[float, float, float, float]:
    """Amortize ``periods`` of ``remaining`` months: (end balance, total paid, first, last).

    With ``write``, the shown payment, interest and balance (fen) go into the
    row buffers. The end balance is exact fen under ledger, carried otherwise.
    """
    first = 0.0
    last = 0.0
    paid = 0.0
    comp = 0.0  # Kahan compensation of ``paid``
    if conv == LEDGER:
        bal = int(balance)
        lev = int(level)
        for k in range(periods):
            interest = half_up_ratio(bal, a, b)
            principal = lev - interest if method == INSTALLMENT else lev
            if k == remaining - 1 or principal >= bal:
                principal = bal
            bal -= principal
            pay = principal + interest
            paid += pay
            if k == 0:
                first = float(pay)
            last = float(pay)
            if write:
                pay_out[k] = pay
                int_out[k] = interest
                bal_out[k] = bal
        return float(bal), paid, first, last
    if method == PRINCIPAL:
        return _principal_exact(balance, a, b, remaining, periods, pn, pd, pay_out, int_out, bal_out, write)
    r = rate / 12.0
    bal_f = balance
    for k in range(periods):
        interest_f = bal_f * r
        principal_f = level - interest_f if method == INSTALLMENT else level
        if k == remaining - 1 or principal_f >= bal_f:
            principal_f = bal_f
        pay_f = principal_f + interest_f
        bal_f = bal_f - principal_f
        y = pay_f - comp
        t = paid + y
        comp = (t - paid) - y
        paid = t
        shown = half_up(pay_f)
        if k == 0:
            first = shown
        last = shown
        if write:
            pay_out[k] = shown
            int_out[k] = half_up(interest_f)
            bal_out[k] = half_up(bal_f)
    return bal_f, paid, first, last


@njit(cache=True)
def _principal_exact(
    balance: float,
    a: int,
    b: int,
    remaining: int,
    periods: int,
    pn: int,
    pd: int,
    pay_out: NDArray[np.float64],
    int_out: NDArray[np.float64],
    bal_out: NDArray[np.float64],
    write: bool,
) -> tuple[float, float, float, float]:
    """Equal principal with an unrounded part ``pn / pd`` fen, exactly in int64.

    B_k·pd = S·pd − k·pn is an integer, so every shown amount is exact.
    """
    start = int(balance)
    first = 0.0
    last = 0.0
    paid = 0.0
    num = start * pd  # balance × pd
    den = pd * b
    for k in range(periods):
        if num <= 0:
            if write:
                pay_out[k] = 0.0
                int_out[k] = 0.0
                bal_out[k] = 0.0
            last = 0.0
            continue
        # interest = num·a / (pd·b) = iq + ir / den
        q = num // den
        rem = num - q * den
        iq = q * a + (rem * a) // den
        ir = (rem * a) % den
        interest = iq + (2 * ir + den) // (2 * den)
        step_num = pn if k < remaining - 1 and pn < num else num
        # payment = principal + interest = (step_num·b + num·a) / den, from exact parts
        pq = step_num // pd
        pr = step_num - pq * pd
        frac = pr * b + ir
        payment = pq + iq + frac // den + (2 * (frac % den) + den) // (2 * den)
        num -= step_num
        paid += float(step_num) / pd + float(iq) + float(ir) / den
        if k == 0:
            first = float(payment)
        last = float(payment)
        if write:
            pay_out[k] = payment
            int_out[k] = interest
            bal_out[k] = (2 * num + pd) // (2 * pd)
    return num / pd, paid, first, last


@njit(cache=True)
def nper_one(balance: float, rate: float, level: float, method: int) -> int:
    """ceil(nper): fewest months in which ``level`` repays ``balance``."""
    if balance <= 0.0:
        return 0
    if method == PRINCIPAL or rate == 0.0:
        if level == math.floor(level):  # whole fen: exact integer ceiling
            return (int(balance) + int(level) - 1) // int(level)
        return math.ceil(balance / level - 1e-9)
    r = rate / 12.0
    m = math.ceil(-math.log(1.0 - balance * r / level) / math.log(1.0 + r) - 1e-9)
    m = max(m, 1)
    while m > 1 and annuity(balance, r, m - 1) <= level:
        m -= 1
    while annuity(balance, r, m) > level:
        m += 1
    return m


@njit(cache=True)
def payoff_interest(amount: float, ra: int, rb: int, days: int) -> float:
    """round-half-up(amount × annual × days / 360) exactly; the annual rate is ra / rb."""
    return float(half_up_ratio(int(amount) * days, ra, rb * 360))


@njit(cache=True)
def prepay_one(
    balance: float,
    rate: float,
    a: int,
    b: int,
    ra: int,
    rb: int,
    n: int,
    level: float,
    amount: float,
    days: int,
    mode: int,
    method: int,
    conv: int,
    recompute: bool,
    scratch: NDArray[np.float64],
) -> tuple[float, float, float, int, float, float, bool]:
    """(interest, total, new balance, months, new payment, interest saved, near-tie) in fen."""
    interest = payoff_interest(amount, ra, rb, days)
    tie = False
    if amount == 0.0:
        _, _, first0, _ = run_one(
            balance, rate, a, b, n, 1, level, int(balance), n, method, conv,
            scratch, scratch, scratch, False,
        )
        return interest, amount + interest, balance, n, first0, 0.0, tie
    end, paid, _, _ = run_one(
        balance, rate, a, b, n, n, level, int(balance), n, method, conv,
        scratch, scratch, scratch, False,
    )
    before = paid - (balance - end)
    rest = balance - amount
    if rest <= 0.0:
        return interest, amount + interest, 0.0, 0, 0.0, half_up(before), tie
    pn, pd = int(balance), n  # equal principal's unrounded part, kept by shorten_term
    if mode == LOWER:
        months = n
        level2, tie = level_one(rest, rate, n, method, conv)
        pn, pd = int(rest), n
    else:
        if method == PRINCIPAL and conv != LEDGER:
            months = int((int(rest) * n + int(balance) - 1) // int(balance))
        else:
            months = nper_one(rest, rate, level, method)
        months = min(months, n)
        level2 = level
        if recompute:
            level2, tie = level_one(rest, rate, months, method, conv)
            pn, pd = int(rest), months
    end2, paid2, first2, _ = run_one(
        rest, rate, a, b, months, months, level2, pn, pd, method, conv,
        scratch, scratch, scratch, False,
    )
    after = paid2 - (rest - end2)
    return interest, amount + interest, rest, months, first2, half_up(before - after), tie


@njit(cache=True, parallel=True)
def levels_batch(
    balance: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[np.int64],
    method: NDArray[np.int64],
    conv: int,
    out: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> None:
    for i in prange(balance.shape[0]):
        out[i], tie[i] = level_one(balance[i], rate[i], months[i], method[i], conv)


@njit(cache=True, parallel=True)
def schedules_batch(
    balance: NDArray[np.float64],
    rate: NDArray[np.float64],
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    months: NDArray[np.int64],
    level: NDArray[np.float64],
    method: NDArray[np.int64],
    conv: int,
    pay: NDArray[np.float64],
    prin: NDArray[np.float64],
    inte: NDArray[np.float64],
    bal: NDArray[np.float64],
) -> None:
    """Fill (N, width) yuan arrays; columns past a loan's end are zero."""
    width = pay.shape[1]
    for i in prange(balance.shape[0]):
        n = months[i]
        run_one(
            balance[i], rate[i], a[i], b[i], n, n, level[i], int(balance[i]), n, method[i], conv,
            pay[i], inte[i], bal[i], True,
        )
        for k in range(n):
            prin[i, k] = (pay[i, k] - inte[i, k]) / 100.0
            pay[i, k] = pay[i, k] / 100.0
            inte[i, k] = inte[i, k] / 100.0
            bal[i, k] = bal[i, k] / 100.0
        for k in range(n, width):
            pay[i, k] = 0.0
            prin[i, k] = 0.0
            inte[i, k] = 0.0
            bal[i, k] = 0.0


@njit(cache=True, parallel=True)
def summaries_batch(
    balance: NDArray[np.float64],
    rate: NDArray[np.float64],
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    months: NDArray[np.int64],
    periods: NDArray[np.int64],
    level: NDArray[np.float64],
    method: NDArray[np.int64],
    conv: int,
    end: NDArray[np.float64],
    total_payment: NDArray[np.float64],
    total_interest: NDArray[np.float64],
    first: NDArray[np.float64],
    last: NDArray[np.float64],
) -> None:
    """Per loan, without a schedule: balance after ``periods`` and the totals of those periods."""
    scratch = np.empty(0)
    for i in prange(balance.shape[0]):
        e, paid, f, la = run_one(
            balance[i], rate[i], a[i], b[i], months[i], periods[i], level[i], int(balance[i]),
            months[i], method[i], conv, scratch, scratch, scratch, False,
        )
        end[i] = half_up(e) / 100.0
        total_payment[i] = half_up(paid) / 100.0
        total_interest[i] = half_up(paid - (balance[i] - e)) / 100.0
        first[i] = f / 100.0
        last[i] = la / 100.0


@njit(cache=True, parallel=True)
def prepay_batch(
    balance: NDArray[np.float64],
    rate: NDArray[np.float64],
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    ra: NDArray[np.int64],
    rb: NDArray[np.int64],
    months: NDArray[np.int64],
    level: NDArray[np.float64],
    amount: NDArray[np.float64],
    days: NDArray[np.int64],
    mode: NDArray[np.int64],
    method: NDArray[np.int64],
    conv: int,
    recompute: bool,
    interest: NDArray[np.float64],
    total: NDArray[np.float64],
    new_balance: NDArray[np.float64],
    new_months: NDArray[np.int64],
    payment: NDArray[np.float64],
    saved: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> None:
    scratch = np.empty(0)
    for i in prange(balance.shape[0]):
        it, tt, nb, nm, pm, sv, ti = prepay_one(
            balance[i], rate[i], a[i], b[i], ra[i], rb[i], months[i], level[i], amount[i],
            days[i], mode[i], method[i], conv, recompute, scratch,
        )
        interest[i] = it / 100.0
        total[i] = tt / 100.0
        new_balance[i] = half_up(nb) / 100.0
        new_months[i] = nm
        payment[i] = pm / 100.0
        saved[i] = sv / 100.0
        tie[i] = ti


@njit(cache=True, parallel=True)
def payoff_batch(
    balance: NDArray[np.float64],
    ra: NDArray[np.int64],
    rb: NDArray[np.int64],
    days: NDArray[np.int64],
    interest: NDArray[np.float64],
    total: NDArray[np.float64],
) -> None:
    for i in prange(balance.shape[0]):
        it = payoff_interest(balance[i], ra[i], rb[i], days[i])
        interest[i] = it / 100.0
        total[i] = (balance[i] + it) / 100.0
