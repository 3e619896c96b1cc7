"""The center's rules around the single-loan arithmetic: packs, enforcement, holiday calendars.

:func:`prepay` and :func:`payoff` are :func:`gjjcalc.amortize.prepay.prepay`
and :func:`~gjjcalc.amortize.prepay.payoff` with a pack: the arithmetic runs
first (so a bad number is an ``InputError`` whatever the rules say), then,
with ``enforce=True``, the pack's rules (:func:`gjjcalc.rules.check_prepayment`).
The rules are imported on first use, so ``import gjjcalc`` stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any, TypedDict, Unpack

from gjjcalc import _deprecated
from gjjcalc._types import (
    AmountLike,
    ConventionLike,
    DateLike,
    MethodLike,
    ModeLike,
    MonthsLike,
    PackLike,
    RateLike,
)
from gjjcalc.amortize import prepay as arithmetic
from gjjcalc.amortize.prepay import PayoffQuote, PrepaymentResult
from gjjcalc.conventions import Convention, Method
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_flag, yuan

__all__ = ["enforce_rules", "payoff", "prepay"]


class RuleKeywords(TypedDict, total=False):
    """The rule-check keywords :func:`prepay` and :func:`payoff` still take (deprecated)."""

    pack: PackLike | None
    due_day: int | None
    at: object
    today: object
    enforce: bool
    calendar: object
    assume: str | None


_RULE_KEYWORDS = ("pack", "due_day", "at", "today", "enforce", "calendar", "assume")


def _rule_keywords(func: str, given: Mapping[str, Any]) -> tuple[Any, ...]:
    """The deprecated rule keywords, in order (``None``/``False`` when not given); one
    warning names the policy layer's form."""
    unknown = sorted(set(given) - set(_RULE_KEYWORDS))
    if unknown:
        raise TypeError(f"{func}() got an unexpected keyword argument {unknown[0]!r}")
    if given:
        kind = "partial" if func == "prepay" else "payoff"
        _deprecated.warn(
            f"gjjcalc.{func}({', '.join(f'{k}=' for k in _RULE_KEYWORDS if k in given)})",
            f"Loan(..., pack=...).{func}(..., enforce=True) or "
            f"gjjcalc.rules.check_prepayment(pack, kind={kind!r}, ...) for the rules",
            stacklevel=4,
        )
    return tuple(given.get(k, False if k == "enforce" else None) for k in _RULE_KEYWORDS)


def enforce_rules(
    pack: object,
    *,
    kind: str,
    on: object,
    amount: Fraction | None = None,
    balance: Fraction | None = None,
    due_day: object = None,
    at: object = None,
    today: object = None,
    calendar: object = None,
    assume: str | None = None,
) -> None:
    """Raise :class:`~gjjcalc.errors.RuleViolation` when ``pack`` refuses the request.

    The single-loan functions and :class:`~gjjcalc.Loan` call this with
    ``enforce=True``; the rules and their facts are those of
    :func:`gjjcalc.rules.check_prepayment`.

    >>> enforce_rules("jilin", kind="partial", on="2018-01-10", amount=Fraction(10500))
    Traceback (most recent call last):
    ...
    gjjcalc.errors.RuleViolation: multiple: 10500.00 is not a multiple of 1000.00 (rule: 1000.00; source: ...)
    """
    if pack is None:
        raise InputError("enforce", True, "True only together with a pack (pack=None has no rules)")
    from gjjcalc.rules.prepayment_rules import check_prepayment  # the rules load on demand

    check_prepayment(
        pack,  # type: ignore[arg-type]
        kind=kind,
        amount=None if amount is None else yuan(amount),
        balance=None if balance is None else yuan(balance),
        on=on,
        due_day=due_day,
        at=at,
        today=today,
        enforce=True,
        calendar=calendar,  # type: ignore[arg-type]
        assume=assume,  # type: ignore[arg-type]
    )


def _known(pack: object) -> None:
    """A pack given by name or path must exist, enforced or not: a typo is an InputError."""
    if pack is not None:
        from gjjcalc.rules.packs import load_pack

        load_pack(pack)


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
    **deprecated: Unpack[RuleKeywords],
) -> PrepaymentResult:
    """Partial prepayment (部分提前还本) of a loan in a given state.

    Parameters
    ----------
    balance, annual_rate, remaining_months
        The loan now: balance in yuan (> 0, whole fen), annual rate (0 to 1),
        months left (1 to 600).
    amount
        Principal to prepay: greater than 0 and at most ``balance``. Equal to
        the balance, it is a payoff.
    on, interest_from
        The prepayment date and the first day of accrual; the prepaid amount
        pays ``amount × annual_rate / 360 × (on − interest_from).days``,
        rounded half-up. ``on`` must not be before ``interest_from``.
    mode
        ``"lower_payment"`` (还款额下降, 止贷期不变) or ``"shorten_term"``
        (还款额不变, 止贷期提前).
    payment
        Equal installment only: the current payment, kept by ``shorten_term``
        (default: the payment that repays ``balance`` in ``remaining_months``).
        Equal principal loans keep the principal part balance / months.
    maturity
        The current maturity; the result's is moved earlier by the months saved.
    recompute_payment
        ``shorten_term`` only: recompute the payment for the new whole number
        of months instead of keeping it (what many banks do).
    new_remaining_months
        ``shorten_term`` only: the months left after the change, entered by
        the borrower (the Jilin center: fewer than the current); the payment is
        recomputed.
    **deprecated
        ``pack``, ``due_day``, ``at``, ``today``, ``enforce``, ``calendar`` and
        ``assume``, the rule checks, are deprecated here (until gjjcalc 0.3; they
        still work and warn): check a center's rules with
        ``Loan(..., pack=...).prepay(..., enforce=True)`` or
        :func:`gjjcalc.rules.check_prepayment` (``kind="partial"``).

    Returns
    -------
    PrepaymentResult
        ``interest_saved`` is the scheduled interest of the remaining months
        without the prepayment minus with it (the accrued interest paid now
        is not part of it).

    Examples
    --------
    The Jilin center's own trial figures, from the Jilin center's online-hall manual (吉林省住房公积金管理中心《个人网厅操作手册》).

    >>> r = prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272,
    ...            payment=3362.48, amount=10000, on="2018-01-09",
    ...            interest_from="2017-12-29", mode="lower_payment", maturity="2040-08-28")
    >>> r.interest, r.total, r.new_balance, r.remaining_months, r.payment, r.maturity
    (Decimal('9.93'), Decimal('10009.93'), Decimal('636609.84'), 272, Decimal('3310.48'), datetime.date(2040, 8, 28))
    >>> r = prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272,
    ...            payment=3362.48, amount=10000, on="2018-01-10",
    ...            interest_from="2017-12-29", mode="shorten_term", maturity="2040-08-28")
    >>> r.interest, r.total, r.remaining_months, r.payment, r.maturity
    (Decimal('10.83'), Decimal('10010.83'), 266, Decimal('3362.48'), datetime.date(2040, 2, 28))

    The center's rules are the policy layer's: 10,500 is not a multiple of 1,000.

    >>> from gjjcalc.rules import check_prepayment
    >>> check_prepayment("jilin", kind="partial", on="2018-01-10", amount=10500).reasons[0].name
    'multiple'
    """
    pack, due_day, at, today, enforce, calendar, assume = _rule_keywords("prepay", deprecated)
    result = arithmetic.prepay(
        balance=balance, annual_rate=annual_rate, remaining_months=remaining_months, amount=amount,
        on=on, interest_from=interest_from, mode=mode, payment=payment, method=method,
        maturity=maturity, convention=convention, recompute_payment=recompute_payment,
        new_remaining_months=new_remaining_months,
    )
    _known(pack)
    if to_flag(enforce, "enforce"):
        enforce_rules(
            pack, kind="partial", on=on, amount=to_amount(amount, "amount"),
            balance=to_amount(balance, "balance"), due_day=due_day, at=at, today=today,
            calendar=calendar, assume=assume,
        )
    return result


def payoff(
    *,
    balance: AmountLike,
    annual_rate: RateLike,
    on: DateLike,
    interest_from: DateLike,
    convention: ConventionLike = Convention.CENTER,
    **deprecated: Unpack[RuleKeywords],
) -> PayoffQuote:
    """Payoff quote (提前结清): the balance plus its interest since accrual began.

    interest = balance × annual_rate / 360 × (on − interest_from).days,
    rounded half-up to the fen (or as ``convention`` rounds: its ``rounding``
    and ``daily_rate_places``). The rule keywords (``pack``, ``enforce``, …) are
    deprecated, as for :func:`prepay`: check a center's payoff rules with
    ``Loan(..., pack=...).payoff(..., enforce=True)`` or
    :func:`gjjcalc.rules.check_prepayment` (``kind="payoff"``).

    Examples
    --------
    The Jilin center quotes 700.49 of interest and 647,310.33 in all.

    >>> q = payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10",
    ...            interest_from="2017-12-29")
    >>> q.principal, q.interest, q.total, q.days
    (Decimal('646609.84'), Decimal('700.49'), Decimal('647310.33'), 12)

    Jilin takes no payoff from 30 December to 3 January:

    >>> from gjjcalc.rules import check_prepayment
    >>> check_prepayment("jilin", kind="payoff", on="2018-01-02", due_day=28).reasons[0].name
    'blackout'
    """
    pack, due_day, at, today, enforce, calendar, assume = _rule_keywords("payoff", deprecated)
    quote = arithmetic.payoff(balance=balance, annual_rate=annual_rate, on=on,
                              interest_from=interest_from, convention=convention)
    _known(pack)
    if to_flag(enforce, "enforce"):
        enforce_rules(pack, kind="payoff", on=on, balance=to_amount(balance, "balance"),
                      due_day=due_day, at=at, today=today, calendar=calendar, assume=assume)
    return quote
