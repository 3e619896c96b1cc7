"""Paying from fund balances (对冲还贷, Liuzhou; 内转还款, Qingdao).

An installment, a prepayment or a payoff may be paid partly from the
borrower's withdrawable fund balance and a spouse's authorised amount; the
repayment card pays the rest (Liuzhou's 网上办理指南, 七、住房公积金对冲还贷; Qingdao's
个人专业版网厅操作手册 §9.3 贷款还款).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def offset_split(
    *,
    due: object,
    own_available: object,
    own_use: object,
    spouse_authorized: object = 0,
    spouse_use: object = 0,
) -> OffsetSplit:
    """Split an amount due between the fund and the repayment card (内转还款).

    Parameters
    ----------
    due : amount
        The total due now (应还本息合计), greater than 0.
    own_available : amount
        The borrower's withdrawable fund balance (本人公积金可支额), at least 0.
    own_use : amount
        How much of it to use, from 0 to ``own_available``.
    spouse_authorized : amount
        The spouse's authorised amount (配偶授权可支额), at least 0.
    spouse_use : amount
        How much of it to use, from 0 to ``spouse_authorized``.

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
    19,513.64 of 21,013.64.

    Examples
    --------
    >>> offset_split(due="21013.64", own_available=1776, own_use=1500)
    OffsetSplit(due=Decimal('21013.64'), own=Decimal('1500.00'), spouse=Decimal('0.00'), fund=Decimal('1500.00'), card=Decimal('19513.64'))
    """
    total = to_amount(due, "due")
    own_cap = to_amount(own_available, "own_available", allow_zero=True)
    spouse_cap = to_amount(spouse_authorized, "spouse_authorized", allow_zero=True)
    own = to_amount(own_use, "own_use", allow_zero=True, maximum=own_cap)
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
