"""Every Numba kernel of the batch engine; no Decimal, and no validation in the compute kernels.

Units: amounts in fen. A rate on the 7-place grid is a whole number ``a`` of
1e-7, so the monthly rate is exactly ``a / MONTH`` and the daily rate
``a / YEAR_DAYS``: constant divisors, which the compiler turns into
multiplications. ``ledger`` works in int64 fen (exact); ``center`` and
``exact`` carry float64 fen for equal installment, and equal principal is
exact in int64 under every convention. Under ``center`` and ``exact`` a rate
may be off the grid: equal installment reads the float rate as it reads any;
the uses of the integer rate have float twins (``repays_any``, ``accrued_any``
and the ``principal_*_any`` kernels of equal principal) that flag a figure
within float error of a half fen, which ``batch`` then computes with the
exact single-loan code.
Codes: method 0 = equal installment, 1 = equal principal; convention 0 =
center, 1 = ledger, 2 = exact; mode 0 = lower payment, 1 = shorten term.

The formulas live once: in the per-period steps (``step_carried``,
``step_ledger``, ``principal_period``), the per-loan kernels built on them
(``level_one``, ``first_one``, ``summary_one``, ``schedule_one``,
``prepay_one``) and the closed forms (``principal_totals``,
``principal_payment``, ``carried_interest``). The ``*_batch`` kernels loop
over loans with ``prange`` and call them; ``schedules_batch`` advances
``LANES`` loans a period at a time so that the carried balances form one
vector. Small helpers are inlined into their callers (``inline="always"``)
and kept free of branches and integer division, so those loops vectorize.
``check_loans`` is the one kernel that looks at raw input: it classifies
rows (a status code per row) and never raises; ``batch`` decides what to do
with a bad row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numba import config, njit, prange
from numpy.typing import NDArray

from gjjcalc.amortize._runtime import CACHE
from gjjcalc.money import RATE_GRID_TOLERANCE

CENTER = 0
LEDGER = 1
EXACT = 2
INSTALLMENT = 0
PRINCIPAL = 1
LOWER = 0
SHORTEN = 1

RATE_SCALE = 10_000_000
"""A batch rate is a whole number ``a`` of 1 / RATE_SCALE a year."""
MONTH = 12 * RATE_SCALE
"""The monthly rate is exactly ``a / MONTH``."""
TWO_MONTH = 2 * MONTH
INV_TWO_MONTH = 1.0 / TWO_MONTH
YEAR_DAYS = 360 * RATE_SCALE
"""The daily rate (ACT/360) is exactly ``a / YEAR_DAYS``."""
MAX_YUAN = 1_000_000_000.0
"""Largest batch amount; in fen (1e11) every product below stays inside int64."""

TIE_EPS = 1e-6
"""A float level within this many fen of a half-fen tie is flagged for exact rounding."""

LANES = 32
"""Equal-installment schedules advance this many loans together (one vector of balances)."""

CHUNK_ROWS = 16_384
"""Loans a thread takes at a time in the batch kernels' prange loops (the caller sets numba's
parallel chunk size): with dynamic chunks a thread the OS has paused, because another
process runs on its core, holds back one chunk rather than half of the call."""
CHUNK_GROUPS = 4
"""The same for ``schedules_batch``, whose loop is over groups of LANES loans."""

# status codes written by check_loans (batch.STATUS names them)
BAD_AMOUNT = 1
BAD_RATE = 2
BAD_MONTHS = 3
STUCK = 7
"""prepay: the payment kept by shorten_term is no more than a month's interest."""
NO_REPAY = 11
"""The level payment, rounded, is no more than the first month's interest: the loan (or, for
lower_payment, the balance a prepayment leaves) does not amortize; the scalar API refuses it too."""
FLOAT_RANGE = 12
"""Equal installment under center / exact whose float64 balances could be off by more than
MAX_FLOAT_ERROR fen (high rates over long terms, or very large amounts): refused, not guessed."""

MAX_FLOAT_ERROR = 0.01
"""The largest bound, in fen, on a carried float64 balance's error that the batch accepts.

The bound is 2·principal·(1 + e + e/r)·2⁻⁵² (r the monthly rate, e = (1 + r)ⁿ − 1): each
period's rounding compounded to the end of the term (principal·e/r) plus the level payment's
own rounding carried through it (principal·(1 + e)). Measured errors stay below 11 % of it
(300 random loans against the exact reference; the median is under 1 %), and for ordinary
loans the bound is far below the limit: 2,000,000 yuan at 4.9 % over 30 years gives 1e-4 fen.
"""
MAX_GROWTH = 1e5
"""The largest (1 + r)ⁿ − 1 the float path accepts. Beyond it a loan is nearly a perpetuity:
its payment is principal·r plus a term too small for float64 to carry, so totals such as
n·payment − principal sit within float error of a half fen (0.01 yuan at 50 % over 540
months: 0.215 yuan plus 3e-11). A 24 % loan over 50 years has 1.5e5."""
RATE_TOLERANCE = RATE_GRID_TOLERANCE
"""A float rate is read as the 7-place rate within this many 1e-7 of it (1e-15 a year: float
arithmetic's noise; 0.0325 + 1e-14 is not 0.0325), as :func:`gjjcalc.money.to_rate` reads it."""


# --- scalar helpers ---------------------------------------------------------------------------

if getattr(config, "DISABLE_JIT", False):

    def to_yuan(fen: float) -> float:
        """Whole fen to yuan, correctly rounded: fen / 100."""
        return fen / 100.0

else:
    from llvmlite import ir  # type: ignore[import-untyped]
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def _fma(typingctx: Any, x: Any, y: Any, z: Any) -> Any:
        """x·y + z with one rounding (llvm.fma), which Python 3.11's math lacks."""
        sig = types.float64(types.float64, types.float64, types.float64)

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            f64 = ir.DoubleType()
            fn = cgutils.get_or_insert_function(  # type: ignore[no-untyped-call]
                builder.module, ir.FunctionType(f64, [f64, f64, f64]), "llvm.fma.f64"
            )
            return builder.call(fn, args)

        return sig, codegen

    fma = cast("Callable[[float, float, float], float]", _fma)

    @njit(cache=CACHE, inline="always")
    def to_yuan(fen: float) -> float:
        """Whole fen to yuan, correctly rounded: the same bits as fen / 100, without a division.

        q = fen·0.01 is within an ulp of fen / 100, the remainder fen − 100·q is
        exact under fma, and one correction step q + rem·0.01 rounds correctly
        (Markstein's theorem, 0.01 being 1/100 rounded to nearest). A test
        checks it against the division over every integer below 1e8 and random
        ones up to 2^52.
        """
        q = fen * 0.01
        return fma(fma(-q, 100.0, fen), 0.01, q)


@njit(cache=CACHE, inline="always")
def half_up(x: float) -> float:
    """Round fen half-up (x ≥ 0), staying in float64."""
    return float(np.floor(x + 0.5))


@njit(cache=CACHE, inline="always")
def fen_of(yuan: float) -> float:
    """A checked whole-fen amount in yuan as float64 fen."""
    return float(np.floor(yuan * 100.0 + 0.5))


@njit(cache=CACHE, inline="always")
def rate_units(rate: float) -> int:
    """A checked annual rate as a whole number of 1 / RATE_SCALE."""
    return math.floor(rate * RATE_SCALE + 0.5)


@njit(cache=CACHE, inline="always")
def ratio_half_up(x: int, a: int) -> int:
    """round-half-up(x·a / MONTH) exactly, for 0 ≤ x ≤ 1e11 and 0 ≤ a ≤ 1e7.

    The float quotient of 2·x·a + MONTH (at most 2e18) by 2·MONTH is within one
    of the integer quotient; the remainder corrects it. No integer division,
    so the loop over loans vectorizes.
    """
    num = 2 * x * a + MONTH
    q = int(num * INV_TWO_MONTH)
    rem = num - q * TWO_MONTH
    if rem < 0:
        q -= 1
    elif rem >= TWO_MONTH:
        q += 1
    return q


@njit(cache=CACHE)
def split_ratio(x: int, a: int, d: int) -> tuple[int, int]:
    """x·a / d as (quotient, remainder) exactly when x·a may exceed int64 (a ≤ 1e7, d ≤ 1e11)."""
    q = x // d
    t = (x - q * d) * a
    return q * a + t // d, t % d


@njit(cache=CACHE, inline="always")
def growth_excess(r: float, n: int) -> float:
    """(1 + r)ⁿ − 1 for 0 ≤ n < 1024 by square-and-multiply on the excess over 1.

    (1 + a)(1 + b) − 1 = a + b·(1 + a) keeps full relative precision even when
    r is tiny, where 1 + r rounded to float64 would lose most digits of r (at
    1e-7 a year a payment would be off by about 0.02 fen). Branch-free over
    n's ten bits (months never exceed 600), so loops over loans vectorize.
    """
    sq = r  # (1 + r)^(2^j) − 1
    out = 0.0
    for _ in range(10):
        out = out + sq * (1.0 + out) if n & 1 else out
        sq = sq * (2.0 + sq)
        n >>= 1
    return out


@njit(cache=CACHE, inline="always")
def annuity(balance: float, r: float, n: int) -> float:
    """Level payment of ``balance`` over ``n`` months at monthly rate ``r`` (float):
    balance·r·gⁿ / (gⁿ − 1) = balance·r + balance·r / (gⁿ − 1); balance / n at r = 0.
    Both are computed and one selected: no branch, so loops vectorize."""
    e = growth_excess(r, n)
    a = balance * r + balance * r / (e if r != 0.0 else 1.0)
    return a if r != 0.0 else balance / n


@njit(cache=CACHE)
def payoff_interest(amount: float, a: int, days: int) -> float:
    """round-half-up(amount × annual × days / 360) exactly, the annual rate being a / RATE_SCALE."""
    x = int(amount) * days
    q = x // YEAR_DAYS
    rem = x - q * YEAR_DAYS
    return float(q * a + (2 * rem * a + YEAR_DAYS) // (2 * YEAR_DAYS))


# --- input classification (the only kernel that sees unchecked values) -----------------------


@njit(cache=CACHE, inline="always")
def fen_tolerance(fen: float) -> float:
    """How far a float amount in fen may be from whole fen and still be read as whole fen:
    a few ulps (0.1 + 0.2 yuan is 30 fen), never a fraction of a fen that was typed."""
    return 1e-6 + abs(fen) * 1e-14


@njit(cache=CACHE, inline="always")
def amount_ok(yuan: float, zero: bool) -> bool:
    """A positive (or, with ``zero``, non-negative) amount up to MAX_YUAN in whole fen."""
    fen = yuan * 100.0
    low = yuan >= 0.0 if zero else yuan > 0.0
    return low and yuan <= MAX_YUAN and abs(fen - math.floor(fen + 0.5)) <= fen_tolerance(fen)


@njit(cache=CACHE, inline="always")
def on_grid(rate: float) -> bool:
    """A float within RATE_TOLERANCE of a 7-place rate (NaN is not)."""
    scaled = rate * RATE_SCALE
    return abs(scaled - math.floor(scaled + 0.5)) <= RATE_TOLERANCE


@njit(cache=CACHE, parallel=True)
def check_loans(
    amount: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[Any],
    high: int,
    grid: bool,
    status: NDArray[np.int8],
) -> tuple[int, int, int]:
    """Status per row: 0, or the first bad argument (amount, rate, months). A rate is from 0
    to 1 and, with ``grid`` (ledger), within RATE_TOLERANCE of a 7-place rate.

    Returns the bad count, the count of good rows whose rate is near but not exactly the
    float of its 7-place value (the caller then snaps them, so every kernel reads one value),
    and the count of good rows whose rate is off the grid (only without ``grid``).
    """
    bad = 0
    off = 0
    free = 0
    for i in prange(amount.shape[0]):
        n = months[i]
        r = rate[i]
        ranged = r >= 0.0 and r <= 1.0  # (False for NaN)
        near = ranged and on_grid(r)
        code = 0
        if not amount_ok(amount[i], False):
            code = BAD_AMOUNT
        elif not (ranged and (near or not grid)):
            code = BAD_RATE
        elif not (n == math.floor(n) and n >= 1 and n <= high):
            code = BAD_MONTHS
        status[i] = code
        if code != 0:
            bad += 1
        elif not near:
            free += 1
        elif r != rate_units(r) / RATE_SCALE:
            off += 1
    return bad, off, free


@njit(cache=CACHE, inline="always")
def float_error_bound(balance: float, rate: float, n: int) -> float:
    """A bound (fen) on the error of balances carried in float64 over ``n`` months: each
    period's rounding, compounded to the end of the term (see MAX_FLOAT_ERROR); infinite
    for a nearly perpetual loan (see MAX_GROWTH)."""
    r = rate / 12.0
    e = growth_excess(r, n)
    if e > MAX_GROWTH:
        return math.inf
    return 2.0 * balance * (1.0 + e + e / r) * 2.220446049250313e-16


@njit(cache=CACHE, parallel=True)
def check_domain(
    amount: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[np.int64],
    method: NDArray[np.int8],
    conv: int,
    amortizing: bool,
    status: NDArray[np.int8],
    tie: NDArray[np.bool_],
) -> int:
    """Rows the arithmetic refuses: NO_REPAY (the rounded level is no more than the first
    month's interest, as the scalar API refuses; only when ``amortizing``) and FLOAT_RANGE (see
    MAX_FLOAT_ERROR), whether the loan repays or not, unless it surely does not repay.

    ``tie`` marks good rows whose float level is within TIE_EPS of a half fen and within a
    fen of the interest, which the caller decides with the exact reference. Returns the
    count of refused rows.
    """
    bad = 0
    for i in prange(amount.shape[0]):
        tie[i] = False
        if status[i] != 0:
            continue
        bal = fen_of(amount[i])
        n = months[i]
        m = kind(method[i], conv, rate[i])
        level, t = level_one(bal, rate[i], n, m, conv)
        code = 0
        pays, close = True, False  # exact: an unrounded annuity always exceeds the interest
        if conv != EXACT and amortizing:  # off the grid the caller decides a close call
            pays, close = repays_any(bal, rate[i], level, m, conv)
        far = carried(m, conv, rate[i]) and float_error_bound(bal, rate[i], n) > MAX_FLOAT_ERROR
        if not pays and not t and not close:
            code = NO_REPAY  # (decided exactly: refused as the single-loan functions refuse it)
        elif far:
            code = FLOAT_RANGE
        elif not pays:
            code = NO_REPAY
        near = (t or close) and amortizing and level - bal * rate[i] / 12.0 < 2.0
        if near and (code != FLOAT_RANGE or not pays):
            # a close call the caller decides exactly: NO_REPAY if the loan does not repay, else
            # OK, or FLOAT_RANGE (kept) for a loan beyond the float range
            tie[i] = True
            if code != FLOAT_RANGE:
                code = 0
        status[i] = code
        if code != 0:
            bad += 1
    return bad


# --- per-period steps -------------------------------------------------------------------------


@njit(cache=CACHE, inline="always")
def step_carried(bal: float, r: float, level: float, last: bool) -> tuple[float, float, float]:
    """One equal-installment period, balance carried in float: (balance after, payment, interest).

    The last period, or one where the level principal would overshoot the
    balance, takes exactly the remaining balance.
    """
    interest = bal * r
    principal = level - interest
    if last or principal >= bal:
        principal = bal
    return bal - principal, principal + interest, interest


@njit(cache=CACHE, inline="always")
def step_ledger(bal: int, a: int, level: int, method: int, last: bool) -> tuple[int, int, int]:
    """One ledger period in whole fen: interest = round-half-up(bal·a / MONTH)."""
    interest = ratio_half_up(bal, a)
    principal = level - interest if method == INSTALLMENT else level
    if last or principal >= bal:
        principal = bal
    return bal - principal, principal + interest, interest


# --- equal principal under center / exact: the part pn / pd fen carried unrounded ------------


@njit(cache=CACHE)
def principal_totals(
    start: int, a: int, months: int, periods: int, pn: int, pd: int
) -> tuple[int, int, int]:
    """Over the first ``periods``: (principal repaid × pd, interest quotient, remainder / (pd·MONTH)).

    The balance before period k is (start·pd − k·pn) / pd, so the interest of
    the periods that still have a balance sums in closed form, exactly.
    """
    num0 = start * pd
    live = min((num0 + pn - 1) // pn, months)  # periods that start with a balance
    p = min(periods, live)
    total = p * num0 - pn * (p * (p - 1) // 2)
    iq, ir = split_ratio(total, a, pd * MONTH)
    repaid = num0 if periods >= live else periods * pn
    return repaid, iq, ir


@njit(cache=CACHE)
def principal_payment(start: int, a: int, months: int, k: int, pn: int, pd: int) -> tuple[int, int]:
    """Shown (payment, interest) of period ``k`` in fen, exactly."""
    num = start * pd - k * pn
    if num <= 0:
        return 0, 0
    den = pd * MONTH
    iq, ir = split_ratio(num, a, den)
    step = num if k == months - 1 or pn >= num else pn
    sq = step // pd
    frac = (step - sq * pd) * MONTH + ir
    return sq + iq + (2 * frac + den) // (2 * den), iq + (2 * ir + den) // (2 * den)


@njit(cache=CACHE, inline="always")
def floor_div(x: int, d: int, inv: float) -> int:
    """floor(x / d) for 0 ≤ x ≤ 2^50 and d ≥ 1 (inv = 1 / d): the float quotient, corrected by
    at most one from the remainder. No integer division, so loops over periods vectorize."""
    q = int(x * inv)
    rem = x - q * d
    if rem < 0:
        q -= 1
    elif rem >= d:
        q += 1
    return q


@njit(cache=CACHE, inline="always")
def principal_period(
    k: int, n: int, sq: int, sr: int, big_q: int, big_r: int, den: int, inv_2den: float,
    inv_2n: float,
) -> tuple[int, int, int]:
    """Shown (payment, interest, balance after) of period k of an n-month equal-principal loan
    of S fen with the part S / n unrounded, exactly: S = sq·n + sr, S·a = big_q·den + big_r,
    den = n·MONTH. The balance before period k is S·(n − k) / n, so each period stands alone."""
    left = n - k
    x = big_r * left  # < den · 600
    interest = big_q * left + floor_div(2 * x + den, 2 * den, inv_2den)
    payment = sq + big_q * left + floor_div(2 * (sr * MONTH + x) + den, 2 * den, inv_2den)
    balance = sq * (left - 1) + floor_div(2 * sr * (left - 1) + n, 2 * n, inv_2n)
    return payment, interest, balance


@njit(cache=CACHE)
def principal_row(
    start: int, a: int, n: int, pay: NDArray[np.float64], prin: NDArray[np.float64],
    inte: NDArray[np.float64], bal: NDArray[np.float64],
) -> None:
    """One equal-principal row (center / exact) in yuan; zeros after period ``n``."""
    den = n * MONTH
    sq = start // n
    big_q = (start * a) // den
    big_r = start * a - big_q * den
    inv_2den = 1.0 / (2 * den)
    inv_2n = 1.0 / (2 * n)
    for k in range(n):
        p, i, b = principal_period(k, n, sq, start - sq * n, big_q, big_r, den, inv_2den, inv_2n)
        pay[k] = to_yuan(p)
        inte[k] = to_yuan(i)
        prin[k] = to_yuan(p - i)
        bal[k] = to_yuan(b)
    for k in range(n, pay.shape[0]):
        pay[k] = 0.0
        prin[k] = 0.0
        inte[k] = 0.0
        bal[k] = 0.0


# --- equal principal at a rate off the 7-place grid (center / exact): float, close calls flagged


@njit(cache=CACHE, inline="always")
def off_grid(rate: float) -> bool:
    """A checked rate that is not a 7-place rate (``batch`` snaps the ones within float noise)."""
    return rate != rate_units(rate) / RATE_SCALE


@njit(cache=CACHE, inline="always")
def near_half(x: float, scale: float) -> bool:
    """Whether fen ``x``, computed in float from terms no larger than ``scale`` fen with a few
    roundings (each 2⁻⁵³ of a term; the rate's float is within as much of its decimal), could
    lie on the other side of a half fen from the exact value: then the caller computes it
    exactly."""
    return abs(x - math.floor(x) - 0.5) <= scale * 4e-15 + 1e-9


@njit(cache=CACHE, inline="always")
def principal_payment_any(
    start: int, rate: float, months: int, k: int, pn: int, pd: int
) -> tuple[float, float, bool]:
    """:func:`principal_payment` at a float rate: shown (payment, interest) of period ``k``
    and whether float could not tell a half fen."""
    num = start * pd - k * pn
    if num <= 0:
        return 0.0, 0.0, False
    interest = num * (rate / 12.0) / pd
    step = num if k == months - 1 or pn >= num else pn
    pay = step / pd + interest
    return half_up(pay), half_up(interest), near_half(pay, pay) or near_half(interest, pay)


@njit(cache=CACHE, inline="always")
def principal_totals_any(
    start: int, rate: float, months: int, periods: int, pn: int, pd: int
) -> tuple[int, float]:
    """:func:`principal_totals` at a float rate: (principal repaid × pd, interest in fen
    unrounded, within a few ulps)."""
    num0 = start * pd
    live = min((num0 + pn - 1) // pn, months)
    p = min(periods, live)
    total = p * num0 - pn * (p * (p - 1) // 2)
    repaid = num0 if periods >= live else periods * pn
    return repaid, total * (rate / 12.0) / pd


@njit(cache=CACHE)
def principal_summary_any(
    start: int, rate: float, n: int, periods: int
) -> tuple[float, float, float, float, float, bool]:
    """:func:`summary_one` of equal principal at a float rate, and whether float could not
    tell a half fen in any of them."""
    repaid, isum = principal_totals_any(start, rate, n, periods, start, n)
    paid = repaid / n + isum
    end = (2 * (start * n - repaid) + n) // (2 * n)
    unsure = near_half(paid, paid) or near_half(isum, isum)
    first = 0.0
    last = 0.0
    if periods > 0:
        first, _, u1 = principal_payment_any(start, rate, n, 0, start, n)
        last, _, u2 = principal_payment_any(start, rate, n, periods - 1, start, n)
        unsure = unsure or u1 or u2
    return float(end), half_up(paid), half_up(isum), first, last, unsure


@njit(cache=CACHE)
def principal_row_any(
    start: int, rate: float, n: int, pay: NDArray[np.float64], prin: NDArray[np.float64],
    inte: NDArray[np.float64], bal: NDArray[np.float64],
) -> bool:
    """:func:`principal_row` at a float rate; whether float could not tell a half fen."""
    unsure = False
    for k in range(n):
        p, i, u = principal_payment_any(start, rate, n, k, start, n)
        unsure = unsure or u
        pay[k] = to_yuan(p)
        inte[k] = to_yuan(i)
        prin[k] = to_yuan(p - i)
        bal[k] = to_yuan(float((2 * start * (n - k - 1) + n) // (2 * n)))
    for k in range(n, pay.shape[0]):
        pay[k] = 0.0
        prin[k] = 0.0
        inte[k] = 0.0
        bal[k] = 0.0
    return unsure


# --- per-loan kernels -------------------------------------------------------------------------


@njit(cache=CACHE, inline="always")
def kind(method: int, conv: int, rate: float) -> int:
    """The method a loan is computed as: at a zero rate an unrounded (``exact``) level
    payment balance / n is the equal-principal part, whose exact int64 path then applies."""
    if method == INSTALLMENT and conv == EXACT and rate == 0.0:
        return PRINCIPAL
    return method


@njit(cache=CACHE, inline="always")
def level_installment(balance: float, r: float, n: int, conv: int) -> tuple[float, bool]:
    """The level payment at monthly rate r ≠ 0 (rounded to the fen unless ``exact``), and
    whether the annuity is within TIE_EPS of a half fen. Branch-free: loops over it vectorize."""
    a = annuity(balance, r, n)
    if conv == EXACT:
        return a, False
    frac = a - np.floor(a)
    return half_up(a), abs(frac - 0.5) < TIE_EPS


@njit(cache=CACHE)
def level_one(balance: float, rate: float, n: int, method: int, conv: int) -> tuple[float, bool]:
    """The level amount (payment or principal part) and whether it is near a half-fen tie."""
    if method == PRINCIPAL:
        if conv == LEDGER:
            return float((2 * int(balance) + n) // (2 * n)), False
        return balance / n, False
    r = rate / 12.0
    if r == 0.0:
        if conv == EXACT:
            return balance / n, False
        return float((2 * int(balance) + n) // (2 * n)), False
    return level_installment(balance, r, n, conv)


@njit(cache=CACHE, inline="always")
def carried(method: int, conv: int, rate: float) -> bool:
    """Whether a loan takes the float path: equal installment, a rate, center or exact."""
    return method == INSTALLMENT and conv != LEDGER and rate != 0.0


@njit(cache=CACHE)
def first_one(
    balance: float, rate: float, a: int, n: int, level: float, pn: int, pd: int,
    method: int, conv: int,
) -> float:
    """The shown first payment (fen) of a loan with ``n`` months left."""
    if conv == LEDGER:
        _, pay, _ = step_ledger(int(balance), a, int(level), method, n == 1)
        return float(pay)
    if method == PRINCIPAL:
        return float(principal_payment(int(balance), a, n, 0, pn, pd)[0])
    _, pay_f, _ = step_carried(balance, rate / 12.0, level, n == 1)
    return half_up(pay_f)


@njit(cache=CACHE)
def run_carried(
    balance: float, r: float, remaining: int, periods: int, level: float
) -> tuple[float, float, float, float]:
    """Simulate equal installment in float: (end balance, total paid, first shown, last shown)."""
    bal = balance
    paid = 0.0
    comp = 0.0  # Kahan compensation of ``paid``
    first = 0.0
    last = 0.0
    for k in range(periods):
        bal, pay_f, _ = step_carried(bal, r, level, k == remaining - 1)
        y = pay_f - comp
        t = paid + y
        comp = (t - paid) - y
        paid = t
        shown = half_up(pay_f)
        if k == 0:
            first = shown
        last = shown
    return bal, paid, first, last


@njit(cache=CACHE)
def run_ledger(
    balance: float, a: int, remaining: int, periods: int, level: float, method: int
) -> tuple[int, int, float, float]:
    """Simulate a ledger loan: (end balance, total paid, first, last) in whole fen."""
    bal = int(balance)
    lev = int(level)
    paid = 0
    first = 0
    last = 0
    for k in range(periods):
        bal, pay, _ = step_ledger(bal, a, lev, method, k == remaining - 1)
        paid += pay
        if k == 0:
            first = pay
        last = pay
    return bal, paid, float(first), float(last)


@njit(cache=CACHE)
def summary_one(
    balance: float, rate: float, a: int, n: int, periods: int, level: float, method: int, conv: int
) -> tuple[float, float, float, float, float]:
    """Over the first ``periods`` of ``n``: (end balance, total paid, total interest, first, last), shown fen."""
    if conv == LEDGER:
        end, paid, first, last = run_ledger(balance, a, n, periods, level, method)
        return float(end), float(paid), float(paid - (int(balance) - end)), first, last
    if method == PRINCIPAL:
        start = int(balance)
        repaid, iq, ir = principal_totals(start, a, n, periods, start, n)
        den = n * MONTH
        rq = repaid // n
        frac = (repaid - rq * n) * MONTH + ir
        paid = rq + iq + (2 * frac + den) // (2 * den)
        interest = iq + (2 * ir + den) // (2 * den)
        end = (2 * (start * n - repaid) + n) // (2 * n)
        first = principal_payment(start, a, n, 0, start, n)[0] if periods > 0 else 0
        last = principal_payment(start, a, n, periods - 1, start, n)[0] if periods > 0 else 0
        return float(end), float(paid), float(interest), float(first), float(last)
    e, paid_f, first_f, last_f = run_carried(balance, rate / 12.0, n, periods, level)
    return half_up(e), half_up(paid_f), half_up(paid_f - (balance - e)), first_f, last_f


@njit(cache=CACHE)
def schedule_one(
    balance: float, rate: float, a: int, n: int, level: float, method: int, conv: int,
    pay: NDArray[np.float64], inte: NDArray[np.float64], bal: NDArray[np.float64],
) -> None:
    """One loan's shown payment, interest and balance (fen) for its ``n`` periods."""
    if conv == LEDGER:
        b = int(balance)
        lev = int(level)
        for k in range(n):
            b, p, i = step_ledger(b, a, lev, method, k == n - 1)
            pay[k] = p
            inte[k] = i
            bal[k] = b
    elif method == PRINCIPAL:
        start = int(balance)
        den = n * MONTH
        sq = start // n
        big_q = (start * a) // den
        for k in range(n):
            p, i, b_ = principal_period(k, n, sq, start - sq * n, big_q, start * a - big_q * den,
                                        den, 1.0 / (2 * den), 1.0 / (2 * n))
            pay[k] = p
            inte[k] = i
            bal[k] = b_
    else:
        r = rate / 12.0
        b_f = balance
        for k in range(n):
            b_f, p_f, i_f = step_carried(b_f, r, level, k == n - 1)
            pay[k] = half_up(p_f)
            inte[k] = half_up(i_f)
            bal[k] = half_up(b_f)


@njit(cache=CACHE)
def write_yuan(
    pay_fen: NDArray[np.float64], int_fen: NDArray[np.float64], bal_fen: NDArray[np.float64],
    n: int, pay: NDArray[np.float64], prin: NDArray[np.float64],
    inte: NDArray[np.float64], bal: NDArray[np.float64],
) -> None:
    """Shown fen rows to yuan rows (principal = payment − interest); zeros after period ``n``."""
    for k in range(n):
        p = pay_fen[k]
        i = int_fen[k]
        pay[k] = to_yuan(p)
        inte[k] = to_yuan(i)
        prin[k] = to_yuan(p - i)
        bal[k] = to_yuan(bal_fen[k])
    for k in range(n, pay.shape[0]):
        pay[k] = 0.0
        prin[k] = 0.0
        inte[k] = 0.0
        bal[k] = 0.0


@njit(cache=CACHE)
def carried_interest(balance: float, rate: float, n: int, level: float, e: float) -> float:
    """Total interest (fen, unrounded) of an n-month equal-installment schedule, balance carried.

    Closed form: with g = 1 + r, e = gⁿ − 1 (the caller's expm1(n·log1p(r)),
    accurate to a few ulps), S = e / r and the fair payment a* = balance·r·gⁿ / e,
    the balance left after n level payments is (a* − level)·S, which the last
    period pays, so the interest is n·level − balance − (level − a*)·S. Valid
    while the level does not repay the loan before its last period; otherwise
    the schedule is simulated.
    """
    r = rate / 12.0
    if r == 0.0:
        return 0.0
    s = e / r
    over = level - (balance * r + balance * r / e)
    if level - over * s > 1e-3:  # the last payment: positive, so no earlier period overshoots
        return n * level - balance - over * s
    end, paid, _, _ = run_carried(balance, r, n, n, level)
    return paid - (balance - end)


@njit(cache=CACHE)
def ledger_interest(balance: float, a: int, n: int, level: float, method: int) -> int:
    """Total interest (fen, exact) of an n-month ledger schedule."""
    end, paid, _, _ = run_ledger(balance, a, n, n, level, method)
    return paid - (int(balance) - end)


@njit(cache=CACHE)
def nper_one(balance: float, rate: float, level: float, method: int, limit: int) -> tuple[int, bool]:
    """min(ceil(nper), limit): the fewest months in which ``level`` repays ``balance``, and
    whether a float annuity it was decided by lies within float error of the level (then the
    caller decides exactly: at a monthly rate below 2⁻⁵³, 100 fen over one month is 100 fen
    in float but more than 100 exactly)."""
    if balance <= 0.0:
        return 0, False
    if method == PRINCIPAL or rate == 0.0:
        if level == math.floor(level):  # whole fen: exact integer ceiling
            return min((int(balance) + int(level) - 1) // int(level), limit), False
        return min(math.ceil(balance / level - 1e-9), limit), False
    r = rate / 12.0
    m = math.ceil(-math.log1p(-balance * r / level) / math.log1p(r) - 1e-9)  # (log1p: r < 2⁻⁵³)
    m = min(max(m, 1), limit)
    while m > 1 and annuity(balance, r, m - 1) <= level:
        m -= 1
    while m < limit and annuity(balance, r, m) > level:
        m += 1
    tol = level * 1e-12
    unsure = abs(annuity(balance, r, m) - level) <= tol
    if m > 1:
        unsure = unsure or abs(annuity(balance, r, m - 1) - level) <= tol
    return m, unsure


@njit(cache=CACHE)
def repays(balance: float, rate: float, a: int, level: float, method: int, conv: int) -> bool:
    """Whether a kept level exceeds a month's interest on ``balance`` (exactly for whole fen)."""
    if level <= 0.0:
        return False
    if method == PRINCIPAL:
        return True
    if conv == EXACT:
        return level > balance * rate / 12.0
    q, rem = split_ratio(int(balance), a, MONTH)  # balance·a / MONTH = q + rem / MONTH
    if conv == LEDGER and 2 * rem >= MONTH:  # ledger's interest is rounded half-up
        q += 1
    return int(level) > q


@njit(cache=CACHE, inline="always")
def repays_any(balance: float, rate: float, level: float, method: int, conv: int) -> tuple[bool, bool]:
    """:func:`repays` at any rate: (whether the level exceeds a month's interest, whether float
    could not tell). Off the 7-place grid (center, equal installment) the interest is compared in
    float, a close call left to the caller."""
    if conv == EXACT or method == PRINCIPAL or rate == rate_units(rate) / RATE_SCALE:
        return repays(balance, rate, rate_units(rate), level, method, conv), False
    gap = level - balance * rate / 12.0
    return gap > 0.0, abs(gap) <= 1e-6 + balance * rate * 1e-14


@njit(cache=CACHE, inline="always")
def accrued_any(amount: float, rate: float, a: int, days: int) -> tuple[float, bool]:
    """:func:`payoff_interest` at any rate: (interest in fen, whether float could not tell).
    Off the grid the float product is within about 5e-16 of the exact one at the rate's decimal,
    so it rounds alike unless it lies that close to a half fen."""
    if rate == a / RATE_SCALE:
        return payoff_interest(amount, a, days), False
    x = amount * rate * days / 360.0
    return math.floor(x + 0.5), abs(x - math.floor(x) - 0.5) <= x * 1e-15 + 1e-9


@njit(cache=CACHE)
def prepay_principal_any(
    balance: float, rate: float, a: int, n: int, amount: float, days: int, mode: int,
    recompute: bool,
) -> tuple[float, float, float, int, float, float, bool]:
    """:func:`prepay_one` of equal principal under center / exact at a float rate (the part
    carried unrounded), the last value whether float could not tell a half fen."""
    interest, unsure = accrued_any(amount, rate, a, days)
    start = int(balance)
    if amount == 0.0:
        first0, _, u = principal_payment_any(start, rate, n, 0, start, n)
        return interest, interest, balance, n, first0, 0.0, unsure or u
    rest = balance - amount
    months = 0
    first2 = 0.0
    pn, pd = start, n
    if rest > 0.0:
        if mode == LOWER:
            months = n
            pn, pd = int(rest), n
        else:
            months = min(int((int(rest) * n + start - 1) // start), n)
            if recompute:
                pn, pd = int(rest), months
        first2, _, u = principal_payment_any(int(rest), rate, months, 0, pn, pd)
        unsure = unsure or u
    else:
        rest = 0.0
    _, before = principal_totals_any(start, rate, n, n, start, n)
    after = 0.0
    if rest > 0.0:
        _, after = principal_totals_any(int(rest), rate, months, months, pn, pd)
    saved = before - after
    unsure = unsure or near_half(saved, before)
    return interest, amount + interest, rest, months, first2, half_up(saved), unsure


@njit(cache=CACHE)
def prepay_one(
    balance: float, rate: float, a: int, n: int, level: float, amount: float, days: int,
    mode: int, method: int, conv: int, recompute: bool,
) -> tuple[float, float, float, int, float, float, bool]:
    """(interest, total, new balance, months, new payment, interest saved, near-tie) in fen.

    Months is −1 when ``shorten_term`` keeps a level that cannot repay the rest
    (no more than a month's interest on it: tiny balances whose payment rounds
    to 0); the caller reports the row.

    Interest saved is the scheduled interest before minus after: exact sums
    under ``ledger``, exact closed forms for equal principal, the closed form
    of :func:`carried_interest` for equal installment under center / exact.
    """
    if method == PRINCIPAL and conv != LEDGER and off_grid(rate):
        return prepay_principal_any(balance, rate, a, n, amount, days, mode, recompute)
    interest, close = accrued_any(amount, rate, a, days)
    if amount == 0.0:
        first0 = first_one(balance, rate, a, n, level, int(balance), n, method, conv)
        return interest, amount + interest, balance, n, first0, 0.0, False
    rest = balance - amount
    tie = False
    months = 0
    level2 = 0.0
    first2 = 0.0
    pn, pd = int(balance), n  # equal principal's unrounded part, kept by shorten_term
    if rest > 0.0:
        if mode == LOWER:
            months = n
            level2, tie = level_one(rest, rate, n, method, conv)
            if method == INSTALLMENT and level < level2:  # 还款额下降 never raises the payment
                level2, tie = level, False
            pays, unsure = repays_any(rest, rate, level2, method, conv)
            if not pays and not unsure:
                return interest, amount + interest, rest, -2, 0.0, 0.0, False
            close = close or unsure
            pn, pd = int(rest), n
        else:
            pays, unsure = repays_any(rest, rate, level, method, conv)
            if method == PRINCIPAL and conv != LEDGER:
                months = int((int(rest) * n + int(balance) - 1) // int(balance))
            elif not pays and not unsure:
                return interest, amount + interest, rest, -1, 0.0, 0.0, False
            else:
                months, unsure_n = nper_one(rest, rate, level, method, n) if pays else (n, True)
                unsure = unsure or unsure_n
            close = close or unsure
            months = min(months, n)
            level2 = level
            if recompute:
                level2, tie = level_one(rest, rate, months, method, conv)
                pn, pd = int(rest), months
        first2 = first_one(rest, rate, a, months, level2, pn, pd, method, conv)
    else:
        rest = 0.0
    if conv == LEDGER:
        saved = float(ledger_interest(balance, a, n, level, method))
        if rest > 0.0:
            saved -= ledger_interest(rest, a, months, level2, method)
    elif method == PRINCIPAL:
        start = int(balance)
        _, iq1, ir1 = principal_totals(start, a, n, n, start, n)
        iq2, ir2, pd2 = 0, 0, 1
        if rest > 0.0:
            _, iq2, ir2 = principal_totals(int(rest), a, months, months, pn, pd)
            pd2 = pd
        # (iq1 + ir1 / (n·MONTH)) − (iq2 + ir2 / (pd2·MONTH)), rounded half-up exactly
        den = n * pd2 * MONTH
        frac = ir1 * pd2 - ir2 * n
        saved = float(iq1 - iq2 + (2 * frac + den) // (2 * den))
    else:
        lg = math.log1p(rate / 12.0)
        e = math.expm1(n * lg)
        before = carried_interest(balance, rate, n, level, e)
        after = 0.0
        if rest > 0.0:
            e2 = e if months == n else math.expm1(months * lg)
            after = carried_interest(rest, rate, months, level2, e2)
        saved = half_up(before - after)
        close = close or near_half(before - after, n * level + balance)
    return interest, amount + interest, rest, months, first2, saved, tie or close


# --- batch kernels: a prange over loans calling the per-loan kernels ---------------------------


@njit(cache=CACHE, parallel=True)
def payments_batch(
    principal: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[np.int64],
    method: NDArray[np.int8],
    status: NDArray[np.int8],
    conv: int,
    out: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> int:
    """First payments (yuan); rows with a status are zero. Returns the count of near-tie rows.

    A first, branch-free pass computes every row as a float equal-installment loan (the
    compiler vectorizes it; other rows get values that the second pass replaces); the
    second pass computes the other rows through ``level_one`` and ``first_one``.
    """
    for i in prange(principal.shape[0]):
        bal = fen_of(principal[i])
        r = rate[i] / 12.0
        n = months[i]
        level, t = level_installment(bal, r, n, conv)
        _, pay_f, _ = step_carried(bal, r, level, n == 1)
        out[i] = to_yuan(half_up(pay_f))
        tie[i] = t
    ties = 0
    for i in prange(principal.shape[0]):
        if status[i] != 0:
            out[i] = 0.0
            tie[i] = False
            continue
        m = kind(method[i], conv, rate[i])
        if carried(m, conv, rate[i]):
            if tie[i]:
                ties += 1
            continue
        bal = fen_of(principal[i])
        n = months[i]
        if m == PRINCIPAL and conv != LEDGER and off_grid(rate[i]):
            f, _, t = principal_payment_any(int(bal), rate[i], n, 0, int(bal), n)
            out[i] = to_yuan(f)
        else:
            level, t = level_one(bal, rate[i], n, m, conv)
            out[i] = to_yuan(first_one(bal, rate[i], rate_units(rate[i]), n, level, int(bal), n, m, conv))
        tie[i] = t
        if t:
            ties += 1
    return ties


@njit(cache=CACHE, parallel=True)
def summaries_batch(
    principal: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[np.int64],
    periods: NDArray[np.int64],
    method: NDArray[np.int8],
    status: NDArray[np.int8],
    conv: int,
    end: NDArray[np.float64],
    total_payment: NDArray[np.float64],
    total_interest: NDArray[np.float64],
    first: NDArray[np.float64],
    last: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> int:
    """Per loan, without a schedule: balance after ``periods`` and the totals of those periods (yuan)."""
    ties = 0
    for i in prange(principal.shape[0]):
        if status[i] != 0:
            end[i] = 0.0
            total_payment[i] = 0.0
            total_interest[i] = 0.0
            first[i] = 0.0
            last[i] = 0.0
            tie[i] = False
            continue
        bal = fen_of(principal[i])
        n = months[i]
        m = kind(method[i], conv, rate[i])
        if m == PRINCIPAL and conv != LEDGER and off_grid(rate[i]):
            e, tp, ti, f, la, t = principal_summary_any(int(bal), rate[i], n, periods[i])
        else:
            level, t = level_one(bal, rate[i], n, m, conv)
            e, tp, ti, f, la = summary_one(bal, rate[i], rate_units(rate[i]), n, periods[i], level, m, conv)
        end[i] = to_yuan(e)
        total_payment[i] = to_yuan(tp)
        total_interest[i] = to_yuan(ti)
        first[i] = to_yuan(f)
        last[i] = to_yuan(la)
        tie[i] = t
        if t:
            ties += 1
    return ties


@njit(cache=CACHE)
def carried_row(
    before: NDArray[np.float64], r: float, level: float, n: int, pay: NDArray[np.float64],
    prin: NDArray[np.float64], inte: NDArray[np.float64], bal: NDArray[np.float64],
) -> None:
    """One equal-installment row in yuan from its carried balances (``before[k]``: the balance
    before period k), each period recomputed by ``step_carried``; zeros after period ``n``."""
    for k in range(n):
        _, pay_f, int_f = step_carried(before[k], r, level, k == n - 1)
        p = half_up(pay_f)
        i = half_up(int_f)
        pay[k] = to_yuan(p)
        inte[k] = to_yuan(i)
        prin[k] = to_yuan(p - i)
        bal[k] = to_yuan(half_up(before[k + 1]))
    for k in range(n, pay.shape[0]):
        pay[k] = 0.0
        prin[k] = 0.0
        inte[k] = 0.0
        bal[k] = 0.0


@njit(cache=CACHE)
def ledger_row(
    before: NDArray[np.float64], a: int, level: int, method: int, n: int,
    pay: NDArray[np.float64], prin: NDArray[np.float64], inte: NDArray[np.float64],
    bal: NDArray[np.float64],
) -> None:
    """One ledger row in yuan from its whole-fen balances, each period recomputed by ``step_ledger``."""
    for k in range(n):
        _, p, i = step_ledger(int(before[k]), a, level, method, k == n - 1)
        pay[k] = to_yuan(p)
        inte[k] = to_yuan(i)
        prin[k] = to_yuan(p - i)
        bal[k] = to_yuan(before[k + 1])
    for k in range(n, pay.shape[0]):
        pay[k] = 0.0
        prin[k] = 0.0
        inte[k] = 0.0
        bal[k] = 0.0


@njit(cache=CACHE)
def _schedule_lanes(
    start: int,
    principal: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[np.int64],
    method: NDArray[np.int8],
    status: NDArray[np.int8],
    conv: int,
    pay: NDArray[np.float64],
    prin: NDArray[np.float64],
    inte: NDArray[np.float64],
    bal: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> int:
    """Rows start … start + LANES − 1. The balances of their loans advance together, one
    period at a time (the loop over lanes vectorizes; one loan alone would wait on each
    period's multiply-subtract chain), into one row of balances per loan; each row is then
    shown from its balances. Equal principal under center / exact has no chain: each
    period stands alone (``principal_row``)."""
    size = pay.shape[0]
    b0 = np.zeros(LANES)
    b = np.zeros(LANES)
    r = np.zeros(LANES)
    lev = np.zeros(LANES)
    ni = np.zeros(LANES, dtype=np.int64)
    ai = np.zeros(LANES, dtype=np.int64)
    mi = np.zeros(LANES, dtype=np.int64)
    lane = np.zeros(LANES, dtype=np.bool_)
    ties = 0
    top = 0
    for j in range(LANES):
        i = start + j
        if i >= size:
            break
        tie[i] = False
        if status[i] != 0:
            continue
        n = months[i]
        bal_fen = fen_of(principal[i])
        m = kind(method[i], conv, rate[i])
        level, t = level_one(bal_fen, rate[i], n, m, conv)
        tie[i] = t
        if t:
            ties += 1
        b0[j] = bal_fen
        r[j] = rate[i] / 12.0
        lev[j] = level
        ni[j] = n
        ai[j] = rate_units(rate[i])
        mi[j] = m
        lane[j] = conv == LEDGER or m == INSTALLMENT
        if lane[j]:
            b[j] = bal_fen
            top = max(top, n)
    before = np.empty((LANES, top + 1))
    for j in range(LANES):
        before[j, 0] = b[j]
    if conv == LEDGER:
        bi = b.astype(np.int64)
        li = lev.astype(np.int64)
        for k in range(top):
            for j in range(LANES):
                nb, _, _ = step_ledger(bi[j], ai[j], li[j], mi[j], k == ni[j] - 1)
                bi[j] = nb
                before[j, k + 1] = nb
    else:
        for k in range(top):
            for j in range(LANES):
                nf, _, _ = step_carried(b[j], r[j], lev[j], k == ni[j] - 1)
                b[j] = nf
                before[j, k + 1] = nf
    pay_fen = np.empty(0)
    int_fen = np.empty(0)
    bal_fen_row = np.empty(0)
    for j in range(LANES):
        i = start + j
        if i >= size:
            break
        n = ni[j]  # 0 for a bad row: all zeros
        if lane[j] and conv == LEDGER:
            ledger_row(before[j], ai[j], int(lev[j]), mi[j], n, pay[i], prin[i], inte[i], bal[i])
        elif lane[j]:
            carried_row(before[j], r[j], lev[j], n, pay[i], prin[i], inte[i], bal[i])
        elif n > 0 and off_grid(rate[i]):
            if principal_row_any(int(b0[j]), rate[i], n, pay[i], prin[i], inte[i], bal[i]):
                tie[i] = True
                ties += 1
        elif n > 0:
            principal_row(int(b0[j]), ai[j], n, pay[i], prin[i], inte[i], bal[i])
        else:
            write_yuan(pay_fen, int_fen, bal_fen_row, 0, pay[i], prin[i], inte[i], bal[i])
    return ties


@njit(cache=CACHE, parallel=True)
def schedules_batch(
    principal: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[np.int64],
    method: NDArray[np.int8],
    status: NDArray[np.int8],
    conv: int,
    pay: NDArray[np.float64],
    prin: NDArray[np.float64],
    inte: NDArray[np.float64],
    bal: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> int:
    """Fill (N, width) yuan arrays; columns past a loan's end, and bad rows, are zero."""
    ties = 0
    groups = (principal.shape[0] + LANES - 1) // LANES
    for g in prange(groups):
        ties += _schedule_lanes(g * LANES, principal, rate, months, method, status, conv,
                                pay, prin, inte, bal, tie)
    return ties


@njit(cache=CACHE, parallel=True)
def prepay_batch(
    balance: NDArray[np.float64],
    rate: NDArray[np.float64],
    months: NDArray[np.int64],
    method: NDArray[np.int8],
    status: NDArray[np.int8],
    given: NDArray[np.float64],
    amount: NDArray[np.float64],
    days: NDArray[np.int64],
    mode: NDArray[np.int8],
    conv: int,
    recompute: bool,
    interest: NDArray[np.float64],
    total: NDArray[np.float64],
    new_balance: NDArray[np.float64],
    new_months: NDArray[np.int64],
    payment: NDArray[np.float64],
    saved: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> tuple[int, int]:
    """Prepayment what-ifs (yuan). ``given`` is a kept payment in fen, NaN for the default.

    Returns (near-tie rows, rows given status STUCK or NO_REPAY: a payment that cannot repay).
    """
    ties = 0
    stuck = 0
    for i in prange(balance.shape[0]):
        if status[i] != 0:
            interest[i] = 0.0
            total[i] = 0.0
            new_balance[i] = 0.0
            new_months[i] = 0
            payment[i] = 0.0
            saved[i] = 0.0
            tie[i] = False
            continue
        bal = fen_of(balance[i])
        n = months[i]
        g = given[i]
        m = method[i]
        if m == INSTALLMENT and g == g:
            level, t0 = g, False
        else:
            m = kind(m, conv, rate[i])
            level, t0 = level_one(bal, rate[i], n, m, conv)
        it, tt, nb, nm, pm, sv, t1 = prepay_one(
            bal, rate[i], rate_units(rate[i]), n, level, fen_of(amount[i]), days[i], mode[i],
            m, conv, recompute,
        )
        if nm < 0:  # the kept level cannot repay the rest (-1), or lower_payment's rest (-2)
            status[i] = STUCK if nm == -1 else NO_REPAY
            interest[i] = 0.0
            total[i] = 0.0
            new_balance[i] = 0.0
            new_months[i] = 0
            payment[i] = 0.0
            saved[i] = 0.0
            tie[i] = False
            stuck += 1
            continue
        interest[i] = to_yuan(it)
        total[i] = to_yuan(tt)
        new_balance[i] = to_yuan(nb)
        new_months[i] = nm
        payment[i] = to_yuan(pm)
        saved[i] = to_yuan(sv)
        tie[i] = t0 or t1
        if t0 or t1:
            ties += 1
    return ties, stuck


@njit(cache=CACHE, parallel=True)
def payoff_batch(
    balance: NDArray[np.float64],
    rate: NDArray[np.float64],
    days: NDArray[np.int64],
    status: NDArray[np.int8],
    principal: NDArray[np.float64],
    interest: NDArray[np.float64],
    total: NDArray[np.float64],
    tie: NDArray[np.bool_],
) -> int:
    """Payoff quotes (yuan); rows with a status are zero. Returns the count of rows whose
    interest, at a rate off the grid, float could not round (marked in ``tie``)."""
    ties = 0
    for i in prange(balance.shape[0]):
        tie[i] = False
        if status[i] != 0:
            principal[i] = 0.0
            interest[i] = 0.0
            total[i] = 0.0
            continue
        bal = fen_of(balance[i])
        it, t = accrued_any(bal, rate[i], rate_units(rate[i]), days[i])
        if t:
            tie[i] = True
            ties += 1
        principal[i] = to_yuan(bal)
        interest[i] = to_yuan(it)
        total[i] = to_yuan(bal + it)
    return ties
