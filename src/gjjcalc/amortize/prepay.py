"""Partial prepayment (部分提前还本), term change (缩短/延长期限) and payoff (提前结清).

All of one loan, from its state: balance, rate, months left. The
exact functions here (``prepay_exact``, ``term_exact``) are shared with
:class:`gjjcalc.Loan`, which derives the state from the loan's history.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from gjjcalc._display import Record
from gjjcalc._types import (
    AmountLike,
    ConventionLike,
    DateLike,
    MethodLike,
    ModeLike,
    MonthsLike,
    RateLike,
)
from gjjcalc.amortize._exact import Run, annuity, first_interest, level_for, repays, step
from gjjcalc.conventions import Convention, Method, PrepayMode, parse_enum, to_convention
from gjjcalc.errors import InputError
from gjjcalc.money import MAX_MONTHS, fen, to_amount, to_date, to_flag, to_months, to_rate, yuan

__all__ = [
    "PayoffQuote",
    "PrepaymentResult",
    "TermChangeResult",
    "accrued_interest",
    "change_term",
    "payoff",
    "prepay",
]


@dataclass(frozen=True, slots=True)
class PrepaymentResult(Record):
    """The outcome of a partial prepayment, as a center's trial screen shows it."""

    amount: Decimal
    """提前还本金额: the principal prepaid."""
    interest: Decimal
    """提前还本利息: interest on the prepaid amount for the days since accrual began."""
    total: Decimal
    """提前还款总额 = amount + interest."""
    new_balance: Decimal
    """变更后贷款余额."""
    remaining_months: int
    """变更后剩余期数."""
    payment: Decimal
    """变更后月还款额: the first payment after the change."""
    maturity: date | None
    """变更后到期日期, when the maturity was given."""
    interest_saved: Decimal
    """Future scheduled interest without the prepayment minus with it."""
    days: int
    """Days of accrual on the prepaid amount (on − interest_from)."""
    mode: PrepayMode


@dataclass(frozen=True, slots=True)
class TermChangeResult(Record):
    """The outcome of shortening (缩短期限) or extending (延长期限) the term."""

    balance: Decimal
    remaining_months: int
    payment: Decimal
    """The first payment after the change."""
    maturity: date | None
    interest_saved: Decimal
    """Future interest before minus after (negative when the term is extended)."""


@dataclass(frozen=True, slots=True)
class PayoffQuote(Record):
    """提前结清: principal, interest to the payoff date, and the total to pay."""

    principal: Decimal
    """提前结清本金: the balance."""
    interest: Decimal
    """提前结清利息: balance × annual / 360 × days, rounded half-up."""
    total: Decimal
    """提前还款总额."""
    days: int


def accrued_interest(
    amount: Fraction, annual_rate: Fraction, days: int, convention: Convention = Convention.CENTER
) -> Fraction:
    """Interest on ``amount`` for ``days`` at ACT/360, rounded to the fen.

    The daily rate is annual / 360, rounded first when the convention has
    ``daily_rate_places``; the interest is rounded by the convention's rounding.
    """
    return convention.fen(amount * convention.daily_rate(annual_rate) * days)


def _days(on: object, interest_from: object) -> int:
    start = to_date(interest_from, "interest_from")
    end = to_date(on, "on")
    if end < start:
        raise InputError("on", end.isoformat(), f"a date on or after interest_from={start.isoformat()}")
    return (end - start).days


def future_interest(
    balance: Fraction,
    annual_rate: Fraction,
    months: int,
    level: Fraction,
    method: Method,
    convention: Convention,
) -> Fraction:
    """Exact scheduled interest of ``months`` more periods with a given level amount."""
    if months == 0 or balance == 0:
        return Fraction(0)
    if convention.carry == "unrounded" and level > 0:
        if method is Method.EQUAL_PRINCIPAL:  # B − k·L before each row: a sum in closed form
            rows = min(months, int(-(-balance // level)))
            return annual_rate / 12 * (rows * balance - level * Fraction(rows * (rows - 1), 2))
        if method is Method.EQUAL_INSTALLMENT and annual_rate > 0 and level > balance * annual_rate / 12:
            return _installment_interest(balance, annual_rate / 12, months, level)
    run = Run()
    run.extend(balance, annual_rate, months, method, convention, level=level)
    return run.total_interest


def _installment_interest(balance: Fraction, monthly: Fraction, months: int, level: Fraction) -> Fraction:
    """Interest of equal installments of ``level`` (carried unrounded) in closed form: the
    row ``f`` that takes the rest is the first whose level covers the balance grown by its
    interest (or the last), found from a logarithm and settled in integers; the interest is
    f·L + B_f·g − B."""
    a, b = monthly.numerator, monthly.denominator
    bn, bd, ln, ld = balance.numerator, balance.denominator, level.numerator, level.denominator

    def parts(k: int) -> tuple[int, int]:  # B_k = num / den
        p, q = (a + b) ** k, b**k
        return bn * ld * a * p - ln * bd * b * (p - q), bd * ld * a * q

    def covers(k: int) -> bool:  # L ≥ B_k·g
        num, den = parts(k)
        return ln * den * b >= num * (a + b) * ld

    g = float(a + b) / b
    over_r = float(level) * b / a
    lev = float(level)
    try:
        k = math.ceil(math.log((over_r - lev / g) / (over_r - float(balance))) / math.log(g))
    except (ValueError, ZeroDivisionError, OverflowError):
        k = months - 1
    k = min(max(k, 0), months - 1)
    while k > 0 and covers(k - 1):
        k -= 1
    while k < months - 1 and not covers(k):
        k += 1
    num, den = parts(k)
    return k * level + Fraction(num * (a + b), den * b) - balance


def _shortens(level: Fraction) -> None:
    """A kept level that rounds to 0 repays nothing: no term can be computed from it."""
    if level <= 0:
        raise InputError(
            "payment", yuan(level),
            "a kept payment (or principal part) of at least 0.01 to shorten the term with; "
            "this one rounds to 0.00, so use mode='lower_payment'",
        )


def months_to_repay(balance: Fraction, monthly_rate: Fraction, level: Fraction) -> int:
    """ceil(nper): the fewest months in which payments of ``level`` repay ``balance``."""
    if balance == 0:
        return 0
    _shortens(level)
    if monthly_rate == 0:
        return int(-(-balance // level))
    if level <= balance * monthly_rate:
        raise InputError("payment", yuan(level), f"more than one month's interest {yuan(balance * monthly_rate)}")
    # annuity(n) > level  ⟺  gⁿ·(level − balance·r) < level, g = 1 + r: with g = u/v and
    # level / (level − balance·r) = p/q, ⟺ uⁿ·q < p·vⁿ, decided in integers (no gcd); a float
    # logarithm gives the start and a step or two settles it exactly
    target = level / (level - balance * monthly_rate)
    p, q = target.numerator, target.denominator
    g = 1 + monthly_rate
    u, v = g.numerator, g.denominator

    def pays_more(n: int) -> bool:  # annuity(n) > level
        return bool(u**n * q < p * v**n)

    interest = balance * monthly_rate  # log1p: at a rate of 1e-40, log(1 + r) is 0.0 in float
    n = max(1, math.ceil(math.log1p(float(interest / (level - interest)))
                         / math.log1p(float(monthly_rate))))
    while n > 1 and not pays_more(n - 1):
        n -= 1
    while pays_more(n):
        n += 1
    return n


@dataclass(frozen=True, slots=True)
class ExactChange:
    """An exact new state after a prepayment or term change.

    ``interest_saved`` (the scheduled interest before minus after) is computed when read: a
    loan's walk applies the change without it.
    """

    balance: Fraction
    months: int
    level: Fraction
    first_payment: Fraction
    saved: Callable[[], Fraction] = field(repr=False, compare=False)

    @property
    def interest_saved(self) -> Fraction:
        """The exact scheduled interest before the change minus after it."""
        return self.saved()


def _after(
    balance: Fraction,
    annual_rate: Fraction,
    months: int,
    level: Fraction,
    method: Method,
    convention: Convention,
    before: Callable[[], Fraction],
) -> ExactChange:
    if months == 0 or balance == 0:
        return ExactChange(Fraction(0), 0, Fraction(0), Fraction(0), before)
    first, _, _ = step(balance, annual_rate, level, method, convention, last=months == 1)

    def saved() -> Fraction:
        return before() - future_interest(balance, annual_rate, months, level, method, convention)

    return ExactChange(balance, months, level, first, saved)


def prepay_exact(
    balance: Fraction,
    annual_rate: Fraction,
    months: int,
    level: Fraction,
    amount: Fraction,
    mode: PrepayMode,
    method: Method,
    convention: Convention,
    *,
    recompute_payment: bool = False,
    new_months: int | None = None,
) -> ExactChange:
    """The exact state after prepaying ``amount`` (validated by the caller)."""

    def before() -> Fraction:
        return future_interest(balance, annual_rate, months, level, method, convention)

    # Prepaying the balance as shown (rounded to the fen) settles a balance carried unrounded.
    rest = Fraction(0) if amount == fen(balance) else balance - amount
    if rest == 0:
        return _after(rest, annual_rate, 0, Fraction(0), method, convention, before)
    if mode is PrepayMode.LOWER_PAYMENT:
        # 还款额下降 never raises the payment: a current payment already below the recomputed
        # one (a kept payment rounded down) stays, and the last period takes the remainder.
        months2 = months
        level2 = min(level, level_for(rest, annual_rate, months, method, convention))
        if not repays(rest, annual_rate, level2, method, convention):
            raise InputError(
                "amount", yuan(amount),
                f"an amount that leaves a balance whose payment over {months} months is more than "
                f"its month's interest {yuan(first_interest(rest, annual_rate, convention))} "
                f"(this leaves {yuan(rest)} repaid by {yuan(level2)} a month); prepay the whole "
                "balance or use mode='shorten_term'",
            )
    elif new_months is not None:
        months2 = new_months
        level2 = level_for(rest, annual_rate, new_months, method, convention)
    else:
        if method is Method.EQUAL_INSTALLMENT:
            months2 = months_to_repay(rest, annual_rate / 12, level)
        else:
            _shortens(level)
            months2 = int(-(-rest // level))
        # A payment rounded down may not repay the rest in the months left (its last period
        # takes the remainder); shortening never lengthens the term.
        months2 = min(months2, months)
        level2 = level
        if recompute_payment:
            level2 = level_for(rest, annual_rate, months2, method, convention)
    return _after(rest, annual_rate, months2, level2, method, convention, before)


def term_exact(
    balance: Fraction,
    annual_rate: Fraction,
    months: int,
    level: Fraction,
    new_months: int,
    method: Method,
    convention: Convention,
) -> ExactChange:
    """The exact state after re-amortizing over ``new_months`` months."""

    def before() -> Fraction:
        return future_interest(balance, annual_rate, months, level, method, convention)

    level2 = level_for(balance, annual_rate, new_months, method, convention)
    return _after(balance, annual_rate, new_months, level2, method, convention, before)


def target_months(
    months: int,
    *,
    maturity: date | None,
    new_remaining_months: object,
    new_maturity_year: object,
    shorten_only: bool,
) -> int | None:
    """The new remaining months asked for directly or as a maturity year (缩至年份)."""
    if new_remaining_months is not None and new_maturity_year is not None:
        raise InputError("new_maturity_year", new_maturity_year, "None when new_remaining_months is given")
    if new_maturity_year is not None:
        if maturity is None:
            raise InputError("maturity", None, "the current maturity date when new_maturity_year is given")
        year = to_months(new_maturity_year, "new_maturity_year", minimum=1900, maximum=2200)
        new = months - 12 * (maturity.year - year)
        name, value = "new_maturity_year", year
    elif new_remaining_months is not None:
        new = to_months(new_remaining_months, "new_remaining_months", minimum=-MAX_MONTHS)
        name, value = "new_remaining_months", new
    else:
        return None
    if shorten_only and not 1 <= new < months:
        raise InputError(name, value, f"fewer remaining months than the current {months} (at least 1)")
    if not 1 <= new <= MAX_MONTHS or new == months:
        raise InputError(name, value, f"from 1 to {MAX_MONTHS} remaining months, other than the current {months}")
    return new


def given_level(payment: object, balance: Fraction, annual_rate: Fraction, months: int) -> Fraction:
    """A current equal-installment payment given by the caller, checked against the state.

    It must repay ``balance`` in about ``months`` months: from the level payment over
    ``months + 1`` months to the one over ``months - 1`` (each rounded outward to the
    fen), which holds for any payment a center has kept through rounding, rate changes
    and prepayments. A payment outside it describes another loan.

    >>> given_level("99999", Fraction(64660984, 100), Fraction(13, 400), 272)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: payment='99999' is out of range: expected the current payment of a balance of 646609.84 over 272 months: from 3354.14 to 3370.89
    """
    level = to_amount(payment, "payment")
    monthly = annual_rate / 12
    low = Fraction(int(annuity(balance, monthly, months + 1) * 100), 100)
    high = -(-annuity(balance, monthly, max(months - 1, 1)) * 100 // 1) / Fraction(100)
    if months == 1:
        high = max(high, fen(balance * (1 + monthly)))
    if not low <= level <= high:
        raise InputError(
            "payment", payment,
            f"the current payment of a balance of {yuan(balance)} over {months} months: "
            f"from {yuan(low)} to {yuan(high)}",
        )
    return level


def _state(
    balance: object, annual_rate: object, remaining_months: object, method: object, convention: object
) -> tuple[Fraction, Fraction, int, Method, Convention]:
    state = (
        to_amount(balance, "balance"),
        to_rate(annual_rate),
        to_months(remaining_months, "remaining_months"),
        parse_enum(Method, method, "method"),
        to_convention(convention),
    )
    if state[3] is Method.LUMP_SUM:
        raise InputError(
            "method", "lump_sum",
            "'equal_installment' or 'equal_principal': a one-sum loan (到期一次还本付息) has no "
            "installments to lower or shorten; pay it off instead (payoff)",
        )
    return state


_POLICY = ("pack", "due_day", "at", "today", "enforce", "calendar", "assume")


def _no_policy(function: str, moved: dict[str, object]) -> None:
    """The arithmetic takes no pack: its rules are applied by the policy layer's function."""
    if moved:
        names = ", ".join(f"{k}=" for k in moved)
        known = all(k in _POLICY for k in moved)
        raise TypeError(
            f"gjjcalc.amortize.prepay.{function}() is the pure arithmetic and takes no {names}"
            + (f"; a center's rules are applied by gjjcalc.{function}() (gjjcalc.loan.{function})"
               if known else "")
        )


def prepay_months(months: int, how: PrepayMode, new_remaining_months: int | None) -> int | None:
    """The borrower's ``new_remaining_months`` for a prepayment, checked (shorten_term only)."""
    if new_remaining_months is not None and how is not PrepayMode.SHORTEN_TERM:
        raise InputError("new_remaining_months", new_remaining_months, "None unless mode='shorten_term'")
    return target_months(
        months, maturity=None, new_remaining_months=new_remaining_months,
        new_maturity_year=None, shorten_only=True,
    )


def prepayment_result(
    paid: Fraction,
    annual_rate: Fraction,
    days: int,
    change: ExactChange,
    how: PrepayMode,
    maturity: date | None,
    saved: Fraction,
    convention: Convention = Convention.CENTER,
) -> PrepaymentResult:
    """The trial screen's figures: the prepaid amount's accrued interest and the new state."""
    interest = accrued_interest(paid, annual_rate, days, convention)
    return PrepaymentResult(
        amount=yuan(paid),
        interest=yuan(interest),
        total=yuan(paid + interest),
        new_balance=yuan(change.balance),
        remaining_months=change.months,
        payment=yuan(change.first_payment),
        maturity=maturity,
        interest_saved=yuan(saved),
        days=days,
        mode=how,
    )


def _moved(maturity: object, months: int, new_months: int) -> date | None:
    """The maturity moved by the change of remaining months, refused outside years 1..9999."""
    if maturity is None:
        return None
    day = to_date(maturity, "maturity")
    try:
        return day - relativedelta(months=months - new_months)
    except (ValueError, OverflowError):
        raise InputError(
            "maturity", day.isoformat(),
            f"a maturity that stays within years 1 to 9999 when moved by {new_months - months} months",
        ) from None


def prepay(
    *,
    balance: AmountLike,
    annual_rate: RateLike,
    remaining_months: MonthsLike,
    amount: AmountLike,
    on: DateLike,
    interest_from: DateLike,
    mode: ModeLike,
    payment: AmountLike | None = None,
    method: MethodLike = Method.EQUAL_INSTALLMENT,
    maturity: date | str | None = None,
    convention: ConventionLike = Convention.CENTER,
    recompute_payment: bool = False,
    new_remaining_months: int | None = None,
    **moved: object,
) -> PrepaymentResult:
    """Partial prepayment (部分提前还本) of a loan in a given state: the arithmetic.

    The parameters are those of :func:`gjjcalc.prepay` without the center's
    rules (``pack``, ``enforce`` and their facts), which the policy layer
    applies (:mod:`gjjcalc.loan`).

    >>> r = prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272,
    ...            payment=3362.48, amount=10000, on="2018-01-09",
    ...            interest_from="2017-12-29", mode="lower_payment")
    >>> r.interest, r.payment
    (Decimal('9.93'), Decimal('3310.48'))
    """
    bal, rate, months, meth, conv = _state(balance, annual_rate, remaining_months, method, convention)
    how = parse_enum(PrepayMode, mode, "mode")
    paid = to_amount(amount, "amount", maximum=bal)
    days = _days(on, interest_from)
    recompute_payment = to_flag(recompute_payment, "recompute_payment")
    _no_policy("prepay", moved)
    if meth is Method.EQUAL_INSTALLMENT and payment is not None:
        level = given_level(payment, bal, rate, months)
    else:
        level = level_for(bal, rate, months, meth, conv)
    new = prepay_months(months, how, new_remaining_months)
    change = prepay_exact(
        bal, rate, months, level, paid, how, meth, conv,
        recompute_payment=recompute_payment, new_months=new,
    )
    return prepayment_result(
        paid, rate, days, change, how, _moved(maturity, months, change.months), change.interest_saved, conv
    )


def change_term(
    *,
    balance: AmountLike,
    annual_rate: RateLike,
    remaining_months: MonthsLike,
    new_remaining_months: int | None = None,
    maturity: date | str | None = None,
    new_maturity_year: int | None = None,
    payment: AmountLike | None = None,
    method: MethodLike = Method.EQUAL_INSTALLMENT,
    convention: ConventionLike = Convention.CENTER,
) -> TermChangeResult:
    """Shorten (缩短期限, 缩至年份) or extend (延长期限) the term; the payment is recomputed.

    Give exactly one of ``new_remaining_months`` or ``new_maturity_year``
    (Qingdao's "shorten to year": the new maturity keeps its month and day in
    that year; needs ``maturity``). Qingdao's trial with both a prepaid
    amount and a maturity year is :func:`prepay` followed by this function
    on the result (``balance=r.new_balance, remaining_months=r.remaining_months``).

    Examples
    --------
    Jilin's example loan after 28 payments, shortened to end in 2035 (Qingdao's 缩至年份):

    >>> r = change_term(balance=646609.84, annual_rate="3.25%", remaining_months=272,
    ...                 maturity="2040-08-28", new_maturity_year=2035)
    >>> r.remaining_months, r.maturity, r.payment
    (212, datetime.date(2035, 8, 28), Decimal('4013.02'))
    >>> change_term(balance=646609.84, annual_rate="3.25%", remaining_months=272,
    ...             new_remaining_months=272)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: new_remaining_months=272 is out of range: expected from 1 to 600 remaining months, other than the current 272
    """
    bal, rate, months, meth, conv = _state(balance, annual_rate, remaining_months, method, convention)
    when = None if maturity is None else to_date(maturity, "maturity")
    new = target_months(
        months, maturity=when, new_remaining_months=new_remaining_months,
        new_maturity_year=new_maturity_year, shorten_only=False,
    )
    if new is None:
        raise InputError("new_remaining_months", None, "a number of months, or new_maturity_year")
    if meth is Method.EQUAL_INSTALLMENT and payment is not None:
        level = given_level(payment, bal, rate, months)
    else:
        level = level_for(bal, rate, months, meth, conv)
    change = term_exact(bal, rate, months, level, new, meth, conv)
    return TermChangeResult(
        balance=yuan(bal),
        remaining_months=new,
        payment=yuan(change.first_payment),
        maturity=_moved(when, months, new),
        interest_saved=yuan(change.interest_saved),
    )


def payoff(
    *,
    balance: AmountLike,
    annual_rate: RateLike,
    on: DateLike,
    interest_from: DateLike,
    convention: ConventionLike = Convention.CENTER,
    **moved: object,
) -> PayoffQuote:
    """Payoff quote (提前结清): the balance plus its interest since accrual began (arithmetic).

    interest = balance × annual_rate / 360 × (on − interest_from).days, rounded
    half-up to the fen (or as ``convention`` rounds: its ``rounding`` and
    ``daily_rate_places``). :func:`gjjcalc.payoff` adds the center's rules.

    >>> payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10",
    ...        interest_from="2017-12-29").total
    Decimal('647310.33')
    """
    bal = to_amount(balance, "balance")
    rate = to_rate(annual_rate)
    days = _days(on, interest_from)
    conv = to_convention(convention)
    _no_policy("payoff", moved)
    interest = accrued_interest(bal, rate, days, conv)
    return PayoffQuote(yuan(bal), yuan(interest), yuan(bal + interest), days)
