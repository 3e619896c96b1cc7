"""The exact reference engine: one loan, period by period, in ``Fraction`` yuan.

Nothing here rounds except where a convention says so (SPEC §1):

* ``ledger`` rounds each period's interest half-up to the fen, so every
  amount and the carried balance are whole fen;
* ``center`` rounds only the level payment (the balance is carried exactly);
* ``exact`` rounds nothing.

The batch kernels (``_kernels``) are tested against this module row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from gjjcalc.conventions import Convention, Method
from gjjcalc.money import fen

__all__ = ["Run", "annuity", "level_for", "step"]


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
    under ``center`` (SPEC §2: the center carries P/n unrounded).
    """
    if method is Method.EQUAL_INSTALLMENT:
        level = annuity(balance, annual_rate / 12, months)
        return level if convention is Convention.EXACT else fen(level)
    part = balance / months
    return fen(part) if convention is Convention.LEDGER else part


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


@dataclass(slots=True)
class Run:
    """Exact per-period columns; ``balance`` is the balance after each period."""

    payment: list[Fraction] = field(default_factory=list)
    principal: list[Fraction] = field(default_factory=list)
    interest: list[Fraction] = field(default_factory=list)
    balance: list[Fraction] = field(default_factory=list)
    rate: list[Fraction] = field(default_factory=list)

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
        prepayment); returns the balance after the last period computed.
        """
        remaining = periods if remaining is None else remaining
        if level is None:
            level = level_for(balance, annual_rate, remaining, method, convention)
        for k in range(periods):
            pay, principal, interest = step(
                balance, annual_rate, level, method, convention, last=k == remaining - 1
            )
            balance -= principal
            self.payment.append(pay)
            self.principal.append(principal)
            self.interest.append(interest)
            self.balance.append(balance)
            self.rate.append(annual_rate)
        return balance
