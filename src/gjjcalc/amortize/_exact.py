"""The exact reference engine: one loan, period by period, in ``Fraction`` yuan.

Nothing here rounds except where a convention says so (docs/conventions.md):

* ``ledger`` rounds each period's interest half-up to the fen, so every
  amount and the carried balance are whole fen;
* ``center`` rounds only the level payment (the balance is carried exactly);
* ``exact`` rounds nothing.

The batch kernels (``_kernels``) are tested against this module row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from gjjcalc.conventions import Convention, Method
from gjjcalc.money import fen, round_fen

__all__ = ["Run", "annuity", "first_interest", "level_for", "repays", "step"]


def annuity(balance: Fraction, monthly_rate: Fraction, months: int) -> Fraction:
    """Exact level payment A = B·r·(1+r)^n / ((1+r)^n − 1); B/n when r = 0."""
    if monthly_rate == 0:
        return balance / months
    growth = (1 + monthly_rate) ** months
    return balance * monthly_rate * growth / (growth - 1)


def level_for(
    balance: Fraction,
    annual_rate: Fraction,
    months: int,
    method: Method,
    convention: Convention,
) -> Fraction:
    """The amount held level: the payment (等额本息) or the principal part (等额本金).

    Rounded to the fen except under ``exact`` and, for the principal part,
    under ``center`` (the center carries P/n unrounded).
    """
    if method is Method.EQUAL_INSTALLMENT:
        level = annuity(balance, annual_rate / 12, months)
        return level if convention is Convention.EXACT else fen(level)
    part = balance / months
    return fen(part) if convention is Convention.LEDGER else part


def first_interest(balance: Fraction, annual_rate: Fraction, convention: Convention) -> Fraction:
    """The first period's interest B·annual/12 (rounded to the fen under ``ledger``)."""
    interest = balance * annual_rate / 12
    return fen(interest) if convention is Convention.LEDGER else interest


def repays(
    balance: Fraction, annual_rate: Fraction, level: Fraction, method: Method, convention: Convention
) -> bool:
    """Whether a level payment amortizes: more than the first month's interest.

    The domain rule of every equal-installment schedule: a payment rounded to
    the fen at or below the interest (``equal_installment(1, "3.25%", 360)``
    rounds 0.0044 to 0.00) would let the balance stand or grow and leave it
    all to the last period, so it is refused. Equal principal always repays.
    """
    if method is Method.EQUAL_PRINCIPAL:
        return level > 0
    return (annual_rate == 0 and level > 0) or level > first_interest(balance, annual_rate, convention)


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
    if convention is Convention.LEDGER:
        interest = fen(interest)
    principal = level - interest if method is Method.EQUAL_INSTALLMENT else level
    if last or principal >= balance:
        principal = balance
    return principal + interest, principal, interest


def _half_up(num: int, den: int) -> int:
    """round(num / den × 100) half-up, for num ≥ 0 and den > 0 (a yuan amount to fen)."""
    return (200 * num + den) // (2 * den)


@dataclass(slots=True)
class Run:
    """Per-period columns in whole fen as shown, with exact totals.

    The shown payment and interest are each the exact amount rounded half-up;
    the shown principal is their difference; the shown balance is the carried
    balance rounded half-up. ``total_payment`` and ``total_interest`` are the
    exact sums (rounded once, by the caller, for display).
    """

    payment: list[int] = field(default_factory=list)
    interest: list[int] = field(default_factory=list)
    balance: list[int] = field(default_factory=list)
    rate: list[Fraction] = field(default_factory=list)
    prepaid: list[int] = field(default_factory=list)
    total_payment: Fraction = Fraction(0)
    total_interest: Fraction = Fraction(0)

    def _row(self, payment: int, interest: int, balance: int, rate: Fraction) -> None:
        self.payment.append(payment)
        self.interest.append(interest)
        self.balance.append(balance)
        self.rate.append(rate)
        self.prepaid.append(0)

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
        if convention is Convention.LEDGER:
            end, paid = self._ledger(balance, annual_rate, periods, remaining, level, method)
        elif method is Method.EQUAL_INSTALLMENT:
            end, paid = self._carried_installment(balance, annual_rate, periods, remaining, level)
        else:
            end, paid = self._carried_principal(balance, annual_rate, periods, remaining, level)
        self.total_payment += paid
        self.total_interest += paid - (balance - end)
        return end

    def _ledger(
        self, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
        level: Fraction, method: Method,
    ) -> tuple[Fraction, Fraction]:
        """Whole fen throughout: interest = round-half-up(B × a / b), exactly in integers."""
        monthly = annual_rate / 12
        a, b = monthly.numerator, monthly.denominator
        bal = int(balance * 100)
        lev = int(level * 100)
        paid = 0
        for k in range(periods):
            interest = (2 * bal * a + b) // (2 * b)
            principal = lev - interest if method is Method.EQUAL_INSTALLMENT else lev
            if k == remaining - 1 or principal >= bal:
                principal = bal
            bal -= principal
            paid += principal + interest
            self._row(principal + interest, interest, bal, annual_rate)
        return Fraction(bal, 100), Fraction(paid, 100)

    def _carried_installment(
        self, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
        level: Fraction,
    ) -> tuple[Fraction, Fraction]:
        """Equal installment with the balance carried exactly, in big integers.

        The balance is N / (D·b^k) with the monthly rate a / b: no gcd per
        period, and the denominators grow by a small factor each period, never
        by a product of two big numbers.
        """
        monthly = annual_rate / 12
        a, b = monthly.numerator, monthly.denominator
        d = lcm(balance.denominator, level.denominator)
        num = balance.numerator * (d // balance.denominator)
        lev = level.numerator * (d // level.denominator)
        shown_level = _half_up(lev, d)
        den = d * b  # d·b^(k+1): the denominator of the balance grown by a period
        owed = lev * b  # the level over the same denominator
        paid = Fraction(0)
        levels = 0
        for k in range(periods):
            interest = _half_up(num * a, den)
            grown = num * (a + b)
            if num == 0:
                self._row(0, 0, 0, annual_rate)
            elif k == remaining - 1 or owed >= grown:
                paid += Fraction(grown, den)
                self._row(_half_up(grown, den), interest, 0, annual_rate)
                num = 0
            else:
                num = grown - owed
                levels += 1
                self._row(shown_level, interest, _half_up(num, den), annual_rate)
            den *= b  # small multiplications only: no product of two big numbers per period
            owed *= b
        return Fraction(num, den // b), paid + levels * level

    def _carried_principal(
        self, balance: Fraction, annual_rate: Fraction, periods: int, remaining: int,
        level: Fraction,
    ) -> tuple[Fraction, Fraction]:
        """Equal principal with the part carried unrounded (small denominators)."""
        paid = Fraction(0)
        for k in range(periods):
            pay, principal, interest = step(
                balance, annual_rate, level, Method.EQUAL_PRINCIPAL, Convention.CENTER,
                last=k == remaining - 1,
            )
            balance -= principal
            paid += pay
            self._row(round_fen(pay), round_fen(interest), round_fen(balance), annual_rate)
        return balance, paid
