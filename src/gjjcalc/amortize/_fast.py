"""The fast exact path of one loan: closed forms in extended precision, exact where unsure.

Under ``carry="unrounded"`` every shown cell of a stretch is a closed form in the period
number ``k``: equal installment carries ``B_k = B0·g^k − L·(g^k − 1)/r`` (``g = 1 + r``, the
level ``L`` held), equal principal ``B_k = B0 − k·L``. Each column of a stretch is computed
at once, in ``numpy.longdouble``, with a bound on its error from the standard model of
floating-point arithmetic (every operation within a relative ``u`` of its exact value, ``u``
the unit roundoff of the type on this machine). A cell whose value lies within that bound
of a rounding boundary (a half fen for ``half_up`` and ``half_even``, a whole fen for
``down``) is computed again from the exact closed form in integers; so is a row where the
float cannot tell whether the level payment already repays the balance. Every other cell
rounds the same way the exact value does, so the rows equal the Fraction reference
(``_exact.Run``), which stays the oracle of the tests.

The totals stay exact: the level payments times their count plus one exact final payment.
Where a stretch is out of reach (a zero rate, integers too wide for the type, or a bound
of more than :data:`MAX_BOUND` fen) :func:`installment` and :func:`principal` return
``None`` and the caller runs the exact loop.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from gjjcalc.conventions import Convention, round_div

if TYPE_CHECKING:
    from gjjcalc.amortize._exact import Run

__all__ = ["MAX_BOUND", "installment", "principal", "stats"]

LD = np.longdouble
_INFO = np.finfo(LD)
U = float(_INFO.eps) / 2.0
"""Unit roundoff of ``numpy.longdouble`` here (2^-64 on x86-64, 2^-53 where it is a double)."""
_WIDE = 2 ** (_INFO.nmant + 1)
_EXACT_INT = 2**53
MAX_BOUND = 1e-3
"""Largest error bound (fen) at which a stretch is computed on this path."""
SAFETY = 4.0
"""Factor on the derived bound (the path is exact for any factor ≥ 1; larger only costs
more exact cells)."""

stats = {"cells": 0, "stretches": 0, "declined": 0}
"""Counters: cells computed exactly for want of float certainty, stretches computed here,
stretches declined to the exact loop (read by the tests)."""


def _ld(x: Fraction) -> Any:
    """``x`` in longdouble within 2u of its value: one division of two exact integers, or a
    float and the float of its remainder."""
    n, d = x.numerator, x.denominator
    if -_EXACT_INT < n < _EXACT_INT and d < _EXACT_INT:  # both exact as float64, so as longdouble
        return LD(n) / LD(d)
    hi = n / d
    lo = x - Fraction(hi)
    return LD(hi) + LD(lo.numerator / lo.denominator)


def _rounded(x: Any, mode: str, bound: float) -> tuple[Any, Any]:
    """Whole fen of the non-negative cells ``x`` rounded by ``mode``, and where unsure."""
    if mode == "down":
        whole = x.astype(np.int64)
        frac = x - whole
        # 1.0 - frac, not frac >= 1.0 - bound: in float64 1.0 - bound is 1.0 once bound < 1.1e-16
        # (balances of a few yuan), and a cell a hair under a whole fen went unflagged
        unsure = (frac <= bound) | (1.0 - frac <= bound)
        return whole, unsure
    shifted = x + 0.5
    whole = shifted.astype(np.int64)
    frac = shifted - whole
    unsure = (frac <= bound) | (1.0 - frac <= bound)
    return whole, unsure


def installment(
    run: Run, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
    level: Fraction, convention: Convention,
) -> tuple[Fraction, Fraction] | None:
    """Equal installment with the balance carried unrounded: rows appended to ``run``,
    ``(exact balance after, exact sum paid)`` returned (the final payment's part of the sum
    pending in ``run.big``); ``None`` to decline."""
    monthly = annual_rate / 12
    a, b = monthly.numerator, monthly.denominator
    b0, lev = balance * 100, level * 100  # fen
    if a <= 0 or b >= _WIDE or a >= _WIDE or b0 <= 0 or lev <= 0:
        stats["declined"] += 1
        return None
    r = _ld(monthly)
    g = LD(1) + r
    growth = np.empty(periods + 1, dtype=LD)
    growth[0] = 1
    growth[1:] = g
    np.cumprod(growth, out=growth)
    b0_ld, lev_ld = _ld(b0), _ld(lev)
    over_r = lev_ld / r
    bal = b0_ld * growth - over_r * (growth - 1)  # B_0 … B_periods in fen
    top = float(growth[-1])
    rf = float(r)
    err_b = 1.1 * U * top * (4 * periods + 8) * (float(b0_ld) + float(over_r))
    bound = SAFETY * (2.0 * err_b * (1.0 + rf) + 8.0 * U * (float(b0_ld) * top * (1.0 + rf) + float(lev_ld)))
    if bound > MAX_BOUND:
        stats["declined"] += 1
        return None
    stats["stretches"] += 1
    mode, split = convention.rounding, convention.split

    # Which period repays the rest: the last of ``remaining``, or the first whose level covers
    # the balance grown by its interest (decided exactly where the float is unsure).
    grown = bal[:periods] * g
    short = lev_ld - grown
    final = periods if remaining > periods else remaining - 1
    hits = np.flatnonzero(short[:final] >= -bound)
    exact_b: dict[int, Fraction] = {}

    def exact_parts(k: int) -> tuple[int, int]:  # B_k in fen as an unreduced ratio of integers
        p, q = (a + b) ** k, b**k
        num = b0.numerator * lev.denominator * a * p - lev.numerator * b0.denominator * b * (p - q)
        return num, b0.denominator * lev.denominator * a * q

    def exact(k: int) -> Fraction:  # the exact balance in fen before period k + 1
        if k not in exact_b:
            stats["cells"] += 1
            exact_b[k] = Fraction(*exact_parts(k))
        return exact_b[k]

    for k in hits.tolist():
        if short[k] > bound or lev >= exact(k) * (a + b) / b:
            final = k
            break
    rows = min(periods, final + 1)
    prev = bal[:rows]
    interest_x = prev * r
    interest, unsure_i = _rounded(interest_x, mode, bound)
    after, unsure_b = _rounded(bal[1 : rows + 1], mode, bound)
    shown_level = round_div(lev.numerator, lev.denominator, mode)
    pay = np.full(rows, shown_level, dtype=np.int64)
    unsure = unsure_i | unsure_b
    if split != "remainder":
        part, unsure_p = _rounded(lev_ld - interest_x, "down" if split == "truncate_principal" else mode, bound)
        unsure |= unsure_p
    ends = final < periods
    if ends:
        unsure[-1] = False
    part_a = part if split != "remainder" else None
    for k in np.flatnonzero(unsure).tolist():
        _exact_row(k, exact(k), a, b, lev, shown_level, mode, split, pay, interest, after, part_a)
    if ends:  # the final row pays the balance and its interest, in exact integers
        num, den = exact_parts(final)
        stats["cells"] += 1
        pay[-1] = round_div(num * (a + b), den * b, mode)
        interest[-1] = round_div(num * a, den * b, mode)
        after[-1] = 0
        if part_a is not None:
            part_a[-1] = round_div(num, den, "down" if split == "truncate_principal" else mode)
    part_l = None if part_a is None else part_a.tolist()
    _append(run, split, pay.tolist(), int_l=interest.tolist(), bal_l=after.tolist(), part_l=part_l,
            annual_rate=annual_rate, periods=periods)
    run._add_level(shown_level, periods)
    if ends:  # the big exact final payment (B·g / 100 yuan), reduced only if a total is read
        run.big.append((num * (a + b), den * b * 100))
        return Fraction(0), final * level
    num, den = exact_parts(periods)
    return Fraction(num, den * 100), periods * level


def _append(
    run: Run, split: str, pay_l: list[int], *, int_l: list[int], bal_l: list[int],
    part_l: list[int] | None, annual_rate: Fraction, periods: int,
) -> None:
    """Append the rows (payment, interest, balance after and, unless the split is the
    remainder, the principal part) to ``run``, padded with zero rows to ``periods``."""
    if split == "remainder" or part_l is None:
        prin_l = [p - i for p, i in zip(pay_l, int_l, strict=True)]
    elif split == "independent":
        prin_l = part_l
    else:  # truncate_principal: the interest is the remainder
        prin_l = part_l
        int_l = [p - c for p, c in zip(pay_l, part_l, strict=True)]
    zeros = [0] * (periods - len(pay_l))
    run.payment += pay_l + zeros
    run.principal += prin_l + zeros
    run.interest += int_l + zeros
    run.balance += bal_l + zeros
    run.rate += [annual_rate] * periods
    run.prepaid += [0] * periods


def _exact_row(
    k: int, prev: Fraction, a: int, b: int, lev: Fraction, shown_level: int,
    mode: str, split: str, pay: Any, interest: Any, balance: Any, part: Any,
) -> None:
    """Level row ``k`` from the exact balance before it (fen), as ``_exact.Run`` shows it."""
    accrued = prev * a / b
    pay[k] = shown_level
    interest[k] = round_div(accrued.numerator, accrued.denominator, mode)
    after = prev + accrued - lev
    balance[k] = round_div(after.numerator, after.denominator, mode)
    if part is not None:
        cut = lev - accrued
        part[k] = round_div(cut.numerator, cut.denominator, "down" if split == "truncate_principal" else mode)


def principal(
    run: Run, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
    level: Fraction, convention: Convention,
) -> tuple[Fraction, Fraction] | None:
    """Equal principal with the balance carried unrounded (``B_k = B0 − k·L``): rows appended
    to ``run``, ``(exact balance after, exact sum paid)`` returned; ``None`` to decline."""
    monthly = annual_rate / 12
    b0, lev = balance * 100, level * 100
    if b0 <= 0 or lev <= 0 or monthly < 0:
        stats["declined"] += 1
        return None
    # The row that takes the rest: the last of ``remaining``, or the first whose part covers it.
    cover = -((-b0) // lev)  # ceil(B0 / L): period number (from 1) of the first covering part
    final = min(remaining, int(cover)) - 1
    rows = min(periods, final + 1)
    k = np.arange(rows, dtype=LD)
    b0_ld, lev_ld, r = _ld(b0), _ld(lev), _ld(monthly)
    prev = b0_ld - k * lev_ld
    interest_x = prev * r
    bound = SAFETY * 8.0 * U * (float(b0_ld) + rows * float(lev_ld)) * (1.0 + float(r))
    if bound > MAX_BOUND:
        stats["declined"] += 1
        return None
    stats["stretches"] += 1
    mode, split = convention.rounding, convention.split
    paid_x = lev_ld + interest_x
    pay, unsure = _rounded(paid_x, mode, bound)
    interest, unsure_i = _rounded(interest_x, mode, bound)
    after, unsure_b = _rounded(prev - lev_ld, mode, bound)
    unsure |= unsure_i | unsure_b
    lev_fen = round_div(lev.numerator, lev.denominator, "down" if split == "truncate_principal" else mode)
    part_l = [lev_fen] * rows
    ends = final < periods
    if ends:
        unsure[-1] = True
    pay_l, int_l, bal_l = pay.tolist(), interest.tolist(), after.tolist()
    # Exact cells in integers over one denominator: the balance before row j is
    # (n0 − j·n1) / d, its interest that times a / b.
    a, b = monthly.numerator, monthly.denominator
    d = b0.denominator * lev.denominator
    n0, n1 = b0.numerator * lev.denominator, lev.numerator * b0.denominator
    cut_mode = "down" if split == "truncate_principal" else mode
    for j in np.flatnonzero(unsure).tolist():
        stats["cells"] += 1
        before = n0 - j * n1
        cut = before if j == final else n1
        pay_l[j] = round_div(cut * b + before * a, d * b, mode)
        int_l[j] = round_div(before * a, d * b, mode)
        bal_l[j] = round_div(before - cut, d, mode)
        part_l[j] = round_div(cut, d, cut_mode)
    _append(run, split, pay_l, int_l=int_l, bal_l=bal_l, part_l=part_l, annual_rate=annual_rate,
            periods=periods)
    # Exact sum paid: the principal repaid plus the interest on each balance before a row.
    end = Fraction(0) if ends else b0 - rows * lev
    interest_sum = monthly * (rows * b0 - lev * Fraction(rows * (rows - 1), 2))
    return end / 100, (b0 - end + interest_sum) / 100
