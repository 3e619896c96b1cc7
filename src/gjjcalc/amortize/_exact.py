"""The exact reference engine: one loan, period by period, in ``Fraction`` yuan.

Nothing here rounds except where the convention's choices say so
(:class:`gjjcalc.Convention`, docs/conventions.md):

* ``payment="fen"`` rounds the level payment (等额本息) to the fen;
* ``carry="fen"`` rounds each period's interest to the fen, so every amount and
  the carried balance are whole fen (``ledger``);
* ``principal_part="fen"`` rounds the equal-principal part (等额本金);
* ``split`` decides how the shown row is cut from the exact amounts, ``totals``
  how the totals are formed, and ``rounding`` how every rounding to the fen rounds.

The batch kernels (``_kernels``) are tested against this module row by row.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from gjjcalc.conventions import Convention, Method, round_div

FAST = True
"""Whether stretches under ``carry="unrounded"`` take the fast exact path (``_fast``); the
tests turn it off to compare with this reference."""
FAST_FROM = 8
"""Shortest stretch (periods) for which the fast path is worth its fixed cost."""


@contextmanager
def exact_only() -> Iterator[None]:
    """Compute on the Fraction reference only, inside the block (the CLI: one loan per
    process is cheaper without importing numpy, which the fast path needs)."""
    global FAST
    before, FAST = FAST, False
    try:
        yield
    finally:
        FAST = before

def balance_after(
    balance: Fraction, annual_rate: Fraction, periods: int, level: Fraction, method: Method,
    convention: Convention,
) -> Fraction:
    """The exact balance after ``periods`` level periods under ``carry="unrounded"``, from the
    closed form (no rows): B·g^k − L·(g^k − 1)/r for equal installment, B − k·L for equal
    principal. Valid while no period has taken the rest (the caller checks).

    >>> balance_after(Fraction(1200), Fraction(0), 3, Fraction(100), Method.EQUAL_INSTALLMENT, Convention.CENTER)
    Fraction(900, 1)
    """
    if method is Method.EQUAL_PRINCIPAL or annual_rate == 0:
        return balance - periods * level
    monthly = annual_rate / 12
    a, b = monthly.numerator, monthly.denominator
    p, q = (a + b) ** periods, b**periods
    num = balance.numerator * level.denominator * a * p - level.numerator * balance.denominator * b * (p - q)
    return Fraction(num, balance.denominator * level.denominator * a * q)


__all__ = [
    "Run", "annuity", "annuity_fen", "balance_after", "first_interest", "level_for", "lump_interest",
    "next_payment", "repays", "step",
]


def annuity(balance: Fraction, monthly_rate: Fraction, months: int) -> Fraction:
    """Exact level payment A = B·r·(1+r)^n / ((1+r)^n − 1); B/n when r = 0."""
    if monthly_rate == 0:
        return balance / months
    growth = (1 + monthly_rate) ** months
    return balance * monthly_rate * growth / (growth - 1)


def annuity_fen(balance: Fraction, monthly_rate: Fraction, months: int, mode: str) -> int:
    """The level payment rounded to whole fen by ``mode``, in integers (no Fraction of the
    exact annuity, whose terms grow with the months): B·a·p / (b·(p − q)) with the monthly
    rate a / b, p = (a + b)^n and q = b^n.

    >>> annuity_fen(Fraction(690000), Fraction(325, 120000), 300, "half_up")
    336248
    """
    if monthly_rate == 0:
        return round_div(balance.numerator * 100, balance.denominator * months, mode)
    a, b = monthly_rate.numerator, monthly_rate.denominator
    fen = balance * 100
    if fen.denominator == 1 and fen.numerator < _FLOAT_INT and b < _FLOAT_INT:
        # B·r / (1 − g^−n) in floats, within a relative 1e-11 (every step is within a few ulps;
        # the margin is a hundred times that); decided there unless near a rounding boundary
        r = a / b
        x = fen.numerator * r / -math.expm1(-months * math.log1p(r))
        near = x * 1e-11 + 1e-9
        whole = math.floor(x if mode == "down" else x + 0.5)
        edge = whole if mode == "down" else whole - 0.5
        if near < x - edge < 1.0 - near:
            return whole
    p, q = (a + b) ** months, b**months
    return round_div(balance.numerator * a * p * 100, balance.denominator * b * (p - q), mode)


_FLOAT_INT = 2**53


def level_for(
    balance: Fraction,
    annual_rate: Fraction,
    months: int,
    method: Method,
    convention: Convention,
) -> Fraction:
    """The amount held level: the payment (等额本息) or the principal part (等额本金).

    The payment is rounded to the fen under ``payment="fen"``, the principal part
    under ``principal_part="fen"``; a lump sum's level is the whole balance.
    """
    if method is Method.EQUAL_INSTALLMENT:
        if convention.payment == "unrounded":
            return annuity(balance, annual_rate / 12, months)
        return Fraction(annuity_fen(balance, annual_rate / 12, months, convention.rounding), 100)
    if method is Method.LUMP_SUM:
        return balance
    part = balance / months
    return convention.fen(part) if convention.principal_part == "fen" else part


def first_interest(balance: Fraction, annual_rate: Fraction, convention: Convention) -> Fraction:
    """The first period's interest B·annual/12 (rounded to the fen under ``carry="fen"``)."""
    interest = balance * annual_rate / 12
    return convention.fen(interest) if convention.carry == "fen" else interest


def lump_interest(balance: Fraction, annual_rate: Fraction, months: int) -> Fraction:
    """到期一次还本付息: the interest of a one-sum loan, B × annual × months / 12 (exact)."""
    return balance * annual_rate * months / 12


def repays(
    balance: Fraction, annual_rate: Fraction, level: Fraction, method: Method, convention: Convention
) -> bool:
    """Whether a level payment amortizes: more than the first month's interest.

    The domain rule of every equal-installment schedule: a payment rounded to
    the fen at or below the interest (``equal_installment(1, "3.25%", 360)``
    rounds 0.0044 to 0.00) would let the balance stand or grow and leave it
    all to the last period, so it is refused. Equal principal and a lump sum
    always repay.
    """
    if method is not Method.EQUAL_INSTALLMENT:
        return level > 0
    if annual_rate == 0:
        return level > 0
    # level > B·annual/12 (rounded to the fen under carry="fen"), in integers
    bn, bd, rn, rd = balance.numerator, balance.denominator, annual_rate.numerator, annual_rate.denominator
    if convention.carry == "fen":
        interest = round_div(bn * rn * 100, bd * rd * 12, convention.rounding)
        return level.numerator * 100 > interest * level.denominator
    return level.numerator * bd * rd * 12 > bn * rn * level.denominator


def step(
    balance: Fraction,
    annual_rate: Fraction,
    level: Fraction,
    method: Method,
    convention: Convention,
    *,
    last: bool,
) -> tuple[Fraction, Fraction, Fraction]:
    """One period: ``(payment, principal, interest)`` before display rounding.

    The last period, or one where the level principal would overshoot the
    balance, takes exactly the remaining balance.
    """
    interest = balance * annual_rate / 12
    if convention.carry == "fen":
        interest = convention.fen(interest)
    principal = level - interest if method is Method.EQUAL_INSTALLMENT else level
    if last or principal >= balance:
        principal = balance
    return principal + interest, principal, interest


def next_payment(
    balance: Fraction, annual_rate: Fraction, level: Fraction, method: Method, convention: Convention,
    *, last: bool,
) -> Fraction:
    """:func:`step`'s payment. A level period of an equal installment loan carried unrounded
    pays the level, decided in integers (no product with a reduced big fraction): the level
    covers the balance grown by its interest exactly when ``level·b ≥ B·(a + b)``, a / b the
    monthly rate.

    >>> next_payment(Fraction(1000), Fraction(3, 100), Fraction(100), Method.EQUAL_INSTALLMENT,
    ...              Convention.CENTER, last=False)
    Fraction(100, 1)
    """
    if method is Method.EQUAL_INSTALLMENT and convention.carry != "fen" and not last:
        monthly = annual_rate / 12
        a, b = monthly.numerator, monthly.denominator
        if level.numerator * balance.denominator * b < balance.numerator * (a + b) * level.denominator:
            return level
    return step(balance, annual_rate, level, method, convention, last=last)[0]


@dataclass(slots=True)
class Run:
    """Per-period columns in whole fen as shown, with the totals of each kind.

    The shown payment and interest are each the exact amount rounded to the fen
    (the convention's rounding), the principal as the convention's ``split`` says;
    the shown balance is the carried balance rounded. ``total_payment`` and
    ``total_interest`` are the exact sums; ``shown_payment``/``shown_interest``
    the sums of the shown rows; ``level_payment`` the rounded level payment times
    the periods that paid it. :meth:`totals` picks by the convention.
    """

    payment: list[int] = field(default_factory=list)
    principal: list[int] = field(default_factory=list)
    interest: list[int] = field(default_factory=list)
    balance: list[int] = field(default_factory=list)
    rate: list[Fraction] = field(default_factory=list)
    prepaid: list[int] = field(default_factory=list)
    _paid: Fraction = Fraction(0)
    _interest: Fraction = Fraction(0)
    level_payment: int = 0
    _amortized: Fraction = Fraction(0)
    big: list[tuple[int, int]] = field(default_factory=list)
    """Exact amounts (yuan) paid and owed as interest, kept as unreduced ``(numerator,
    denominator)``: the final payment of a long stretch, whose reduction costs more than all
    its rows; folded into the totals only when they are read."""
    stretches: list[tuple[Fraction, Fraction, Fraction]] = field(default_factory=list)
    """``(paid, balance before, balance after)`` of each stretch, folded into the totals when
    they are read: a walk to a date reads only the rows."""

    def _fold_stretches(self) -> None:
        for paid, start, end in self.stretches:
            self._paid += paid
            self._interest += paid - (start - end)
            self._amortized += start - end
        self.stretches.clear()

    @property
    def amortized(self) -> Fraction:
        """The exact principal repaid by the installments."""
        self._fold_stretches()
        return self._amortized

    def _fold(self) -> None:
        self._fold_stretches()
        for num, den in self.big:
            part = Fraction(num, den)
            self._paid += part
            self._interest += part
        self.big.clear()

    @property
    def total_payment(self) -> Fraction:
        """The exact sum of the payments."""
        self._fold()
        return self._paid

    @total_payment.setter
    def total_payment(self, value: Fraction) -> None:
        self._fold()
        self._paid = value

    @property
    def total_interest(self) -> Fraction:
        """The exact sum of the interest."""
        self._fold()
        return self._interest

    @total_interest.setter
    def total_interest(self, value: Fraction) -> None:
        self._fold()
        self._interest = value

    def rounded_totals(self, convention: Convention) -> tuple[int, int]:
        """:meth:`totals` rounded to whole fen by the convention, without reducing the
        pending exact parts (their sum is rounded from one unreduced ratio)."""
        if convention.totals != "exact" or not self.big:
            paid, interest = self.totals(convention)
            return convention.round_fen(paid), convention.round_fen(interest)
        self._fold_stretches()
        out = []
        for known in (self._paid, self._interest):
            num, den = known.numerator, known.denominator
            for n, d in self.big:
                num, den = num * d + n * den, den * d
            out.append(round_div(num * 100, den, convention.rounding))
        return out[0], out[1]

    def _row(self, payment: int, principal: int, interest: int, balance: int, rate: Fraction) -> None:
        self.payment.append(payment)
        self.principal.append(principal)
        self.interest.append(interest)
        self.balance.append(balance)
        self.rate.append(rate)
        self.prepaid.append(0)

    def _add_level(self, shown_level: int, periods: int) -> None:
        """Count the rounded level payment once for each of the last ``periods`` rows that paid."""
        if periods > 0:
            rows = self.payment[-periods:]
            self.level_payment += shown_level * (len(rows) - rows.count(0))

    def totals(self, convention: Convention) -> tuple[Fraction, Fraction]:
        """``(total_payment, total_interest)`` as the convention's ``totals`` forms them (exact yuan)."""
        if convention.totals == "rows":
            return Fraction(sum(self.payment), 100), Fraction(sum(self.interest), 100)
        if convention.totals == "level":
            paid = Fraction(self.level_payment, 100)
            return paid, paid - self.amortized
        return self.total_payment, self.total_interest

    def extend(
        self,
        balance: Fraction,
        annual_rate: Fraction,
        periods: int,
        method: Method,
        convention: Convention,
        *,
        remaining: int | None = None,
        level: Fraction | None = None,
    ) -> Fraction:
        """Amortize ``periods`` periods of a loan with ``remaining`` months left.

        ``level`` overrides the level amount (a kept payment after a
        prepayment); returns the exact balance after the last period computed.
        A period that would overshoot, and the last of ``remaining``, takes
        exactly the remaining balance; periods after a zero balance are zero.
        """
        remaining = periods if remaining is None else remaining
        if level is None:
            level = level_for(balance, annual_rate, remaining, method, convention)
        fast = None
        if convention.carry == "fen":
            end, paid = self._ledger(balance, annual_rate, periods, remaining, level, method, convention)
        else:
            installment = method is Method.EQUAL_INSTALLMENT
            if FAST and periods >= FAST_FROM:
                # numpy: imported on first use, never by `import gjjcalc`
                from gjjcalc.amortize import _fast

                fast = (_fast.installment if installment else _fast.principal)(
                    self, balance, annual_rate, periods, remaining, level, convention)
            carried = self._carried_installment if installment else self._carried_principal
            end, paid = fast or carried(balance, annual_rate, periods, remaining, level, convention)
        self.stretches.append((paid, balance, end))
        return end

    def lump(self, balance: Fraction, annual_rate: Fraction, months: int, convention: Convention) -> None:
        """One row: the balance and its interest for ``months`` months, paid at maturity."""
        interest = lump_interest(balance, annual_rate, months)
        if convention.carry == "fen":
            interest = convention.fen(interest)
        shown = convention.round_fen(interest)
        whole = convention.round_fen(balance)
        self._row(whole + shown, whole, shown, 0, annual_rate)
        self.stretches.append((balance + interest, balance, Fraction(0)))
        self.level_payment += whole + shown

    def _ledger(
        self, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
        level: Fraction, method: Method, convention: Convention,
    ) -> tuple[Fraction, Fraction]:
        """Whole fen throughout: interest = round(B × a / b), exactly in integers."""
        monthly = annual_rate / 12
        a, b = monthly.numerator, monthly.denominator
        mode = convention.rounding
        bal = int(balance * 100)
        lev = int(level * 100)
        paid = 0
        for k in range(periods):
            interest = round_div(bal * a, b, mode)
            principal = lev - interest if method is Method.EQUAL_INSTALLMENT else lev
            if k == remaining - 1 or principal >= bal:
                principal = bal
            bal -= principal
            paid += principal + interest
            self._row(principal + interest, principal, interest, bal, annual_rate)
        if method is Method.EQUAL_INSTALLMENT:
            self._add_level(lev, periods)
        return Fraction(bal, 100), Fraction(paid, 100)

    def _carried_installment(
        self, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
        level: Fraction, convention: Convention,
    ) -> tuple[Fraction, Fraction]:
        """Equal installment with the balance carried exactly, in big integers.

        The balance is N / (D·b^k) with the monthly rate a / b: no gcd per
        period, and the denominators grow by a small factor each period, never
        by a product of two big numbers.
        """
        monthly = annual_rate / 12
        a, b = monthly.numerator, monthly.denominator
        mode, split = convention.rounding, convention.split
        d = lcm(balance.denominator, level.denominator)
        num = balance.numerator * (d // balance.denominator)
        lev = level.numerator * (d // level.denominator)
        shown_level = round_div(lev * 100, d, mode)
        den = d * b  # d·b^(k+1): the denominator of the balance grown by a period
        owed = lev * b  # the level over the same denominator
        paid = Fraction(0)
        levels = 0
        for k in range(periods):
            if num == 0:
                self._row(0, 0, 0, 0, annual_rate)
                den *= b
                owed *= b
                continue
            accrued = num * a  # the interest, over den
            grown = num * (a + b)
            interest = round_div(accrued * 100, den, mode)
            if k == remaining - 1 or owed >= grown:
                pay_num, num = grown, 0
                paid += Fraction(grown, den)
            else:
                pay_num = owed
                num = grown - owed
                levels += 1
            shown_pay = shown_level if num else round_div(pay_num * 100, den, mode)
            if split == "remainder":
                principal = shown_pay - interest
            elif split == "independent":
                principal = round_div((pay_num - accrued) * 100, den, mode)
            else:  # truncate_principal
                principal = round_div((pay_num - accrued) * 100, den, "down")
                interest = shown_pay - principal
            self._row(shown_pay, principal, interest, round_div(num * 100, den, mode), annual_rate)
            den *= b  # small multiplications only: no product of two big numbers per period
            owed *= b
        self._add_level(shown_level, periods)
        return Fraction(num, den // b), paid + levels * level

    def _carried_principal(
        self, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
        level: Fraction, convention: Convention,
    ) -> tuple[Fraction, Fraction]:
        """Equal principal with the part carried unrounded (small denominators)."""
        paid = Fraction(0)
        r = convention.round_fen
        for k in range(periods):
            pay, principal, interest = step(
                balance, annual_rate, level, Method.EQUAL_PRINCIPAL, convention,
                last=k == remaining - 1,
            )
            balance -= principal
            paid += pay
            shown_pay, shown_interest = r(pay), r(interest)
            if convention.split == "remainder":
                shown_principal = shown_pay - shown_interest
            elif convention.split == "independent":
                shown_principal = r(principal)
            else:
                shown_principal = round_div(principal.numerator * 100, principal.denominator, "down")
                shown_interest = shown_pay - shown_principal
            self._row(shown_pay, shown_principal, shown_interest, r(balance), annual_rate)
        return balance, paid
