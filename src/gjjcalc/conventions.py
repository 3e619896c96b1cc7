"""Named presets as string enums; plain strings are accepted everywhere.

| convention | payment | balance carried | interest shown | reproduces |
| --- | --- | --- | --- | --- |
| ``center`` | rounded to the fen | unrounded | rounded | the Jilin provincial center (个人网厅操作手册) |
| ``ledger`` | rounded to the fen | whole fen | whole fen | bank statements |
| ``exact`` | unrounded | unrounded | unrounded | web calculators, numpy-financial |
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from gjjcalc.errors import InputError

__all__ = ["AccrualStart", "Convention", "Method", "PrepayMode", "parse_enum"]


class Convention(StrEnum):
    """How amounts are rounded and carried between periods."""

    CENTER = "center"
    """Payment rounded to the fen; balance carried unrounded, shown rounded (the Jilin center's figures)."""
    LEDGER = "ledger"
    """Every amount in whole fen; the principal column sums exactly to the loan."""
    EXACT = "exact"
    """Nothing rounded until display (web calculators, numpy-financial)."""


class Method(StrEnum):
    """Repayment method (还款方式)."""

    EQUAL_INSTALLMENT = "equal_installment"
    """等额本息: the same payment every month."""
    EQUAL_PRINCIPAL = "equal_principal"
    """等额本金: the same principal every month; the payment falls."""


class PrepayMode(StrEnum):
    """What a partial prepayment (部分提前还本) changes (Jilin center manual, 6 部分提前还本)."""

    LOWER_PAYMENT = "lower_payment"
    """还款额下降, 止贷期不变: keep the maturity, lower the payment."""
    SHORTEN_TERM = "shorten_term"
    """还款额不变, 止贷期提前: keep the payment, end earlier."""


class AccrualStart(StrEnum):
    """The day interest starts to accrue after a due date (起息日规则)."""

    DUE_DATE = "due_date"
    """Interest accrues from the due date itself (the default without a center)."""
    DAY_AFTER_DUE = "day_after_due"
    """Interest accrues from the day after the due date (Jilin center manual: 2017-12-29 after 12-28)."""


E = TypeVar("E", bound=StrEnum)


def parse_enum(cls: type[E], value: object, name: str) -> E:
    """Turn a member or its string value into a member of ``cls``.

    >>> parse_enum(Convention, "ledger", "convention")
    <Convention.LEDGER: 'ledger'>
    >>> parse_enum(Convention, "bank", "convention")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: convention='bank' is out of range: expected one of 'center', 'ledger', 'exact'
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    allowed = ", ".join(repr(m.value) for m in cls)
    raise InputError(name, value, f"one of {allowed}")
