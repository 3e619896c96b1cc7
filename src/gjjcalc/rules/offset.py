"""Paying from fund balances (对冲还贷, Liuzhou; 内转还款, Qingdao).

An installment, a prepayment or a payoff may be paid partly from the
borrower's withdrawable fund balance and a spouse's authorised amount; the
repayment card pays the rest (Liuzhou's 网上办理指南, 七、住房公积金对冲还贷; Qingdao's
个人专业版网厅操作手册 §9.3 贷款还款).

:func:`offset_split` is one row of :func:`gjjcalc.account.offset_plan`: given
what the fund and the spouse's authorisation hold on a due date, the plan pays
the installment with the most it can, own fund first, and both use
:func:`split_fen`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from gjjcalc._display import Record
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, yuan

__all__ = ["OffsetSplit", "offset_split"]


@dataclass(frozen=True, slots=True)
class OffsetSplit(Record):
    """How an amount due is paid: ``fund`` (own + spouse) and ``card``."""

    due: Decimal
    own: Decimal
    spouse: Decimal
    fund: Decimal
    card: Decimal


def split_fen(due: int, own_available: int, spouse_available: int) -> tuple[int, int, int]:
    """The most the fund pays of ``due`` (whole fen): own first, then the spouse's, the card the rest.

    Returns ``(own, spouse, card)``; each ``available`` below 0 counts as 0.

    >>> split_fen(336248, 200000, 500000)
    (200000, 136248, 0)
    >>> split_fen(336248, 100000, 0)
    (100000, 0, 236248)
    """
    own = max(min(due, own_available), 0)
    spouse = max(min(due - own, spouse_available), 0)
    return own, spouse, due - own - spouse


def offset_split(
    *,
    due: object,
    own_available: object,
    own_use: object = None,
    spouse_authorized: object = 0,
    spouse_use: object = None,
) -> OffsetSplit:
    """Split an amount due between the fund and the repayment card (内转还款).

    Parameters
    ----------
    due : amount
        The total due now (应还本息合计), greater than 0.
    own_available : amount
        The borrower's withdrawable fund balance (本人公积金可支额), at least 0.
    own_use : amount or None
        How much of it to use, from 0 to ``own_available``. ``None``: the
        most, ``min(due, own_available)``, as the monthly plan does.
    spouse_authorized : amount
        The spouse's authorised amount (配偶授权可支额), at least 0.
    spouse_use : amount or None
        How much of it to use, from 0 to ``spouse_authorized``. ``None``: the
        most of what ``own_use`` leaves due.

    Returns
    -------
    OffsetSplit
        ``fund`` = own_use + spouse_use and ``card`` = due − fund, in yuan.

    Raises
    ------
    InputError
        If a use exceeds what is available, or together they exceed ``due``.

    Notes
    -----
    Qingdao's manual, §9.3.2: own fund 1,776 available, 1,500 used, the card pays
    19,513.64 of 21,013.64. With both uses left out the split is the row of
    :func:`gjjcalc.account.offset_plan` for that due date (:func:`split_fen`).

    Examples
    --------
    >>> offset_split(due="21013.64", own_available=1776, own_use=1500)
    OffsetSplit(due=Decimal('21013.64'), own=Decimal('1500.00'), spouse=Decimal('0.00'), fund=Decimal('1500.00'), card=Decimal('19513.64'))
    >>> offset_split(due="3362.48", own_available=2000, spouse_authorized=5000).spouse   # the most
    Decimal('1362.48')
    """
    total = to_amount(due, "due")
    own_cap = to_amount(own_available, "own_available", allow_zero=True)
    spouse_cap = to_amount(spouse_authorized, "spouse_authorized", allow_zero=True)
    if own_use is None:
        own = min(total, own_cap)
    else:
        own = to_amount(own_use, "own_use", allow_zero=True, maximum=own_cap)
    if spouse_use is None:
        spouse = max(min(total - own, spouse_cap), Fraction(0))
    else:
        spouse = to_amount(spouse_use, "spouse_use", allow_zero=True, maximum=spouse_cap)
    if own + spouse > total:
        raise InputError(
            "own_use + spouse_use", yuan(own + spouse), f"at most the amount due {yuan(total)}"
        )
    return OffsetSplit(
        due=yuan(total),
        own=yuan(own),
        spouse=yuan(spouse),
        fund=yuan(own + spouse),
        card=yuan(total - own - spouse),
    )
