"""Monthly contributions (月缴存额): the base clamped to its bounds, times each side's ratio."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from gjjcalc._display import Record
from gjjcalc.account.settings import AccountRules, Rounding, resolve
from gjjcalc.errors import InputError
from gjjcalc.money import round_fen, to_amount, to_rate, yuan

__all__ = ["Contribution", "contribution", "round_contribution"]


@dataclass(frozen=True, slots=True)
class Contribution(Record):
    """One month's contribution: each side and the total (月缴存额), in yuan.

    ``base_used`` is the base after the bounds; ``bound`` names the bound
    that applied (``"base_min"`` or ``"base_max"``, ``None`` when the base
    lies within them) and ``bound_source`` cites it.
    """

    base: Decimal
    base_used: Decimal
    bound: Literal["base_min", "base_max"] | None
    bound_source: str
    employee: Decimal
    employer: Decimal
    total: Decimal
    rounding: Rounding


def round_contribution(amount: Fraction, rounding: Rounding) -> Fraction:
    """Round one side of a contribution half-up to the yuan or to the fen.

    >>> round_contribution(Fraction(37302) * Fraction(7, 100), "yuan")   # 2611.14
    Fraction(2611, 1)
    >>> round_contribution(Fraction(5000) * Fraction(3, 40), "fen")      # 375.00
    Fraction(375, 1)
    >>> round_contribution(Fraction(4100) * Fraction(1, 20), "yuan")     # 205.00
    Fraction(205, 1)
    >>> round_contribution(Fraction(4110) * Fraction(1, 20), "yuan")     # 205.50: a tie, up
    Fraction(206, 1)
    """
    if rounding == "fen":
        return Fraction(round_fen(amount), 100)
    num, den = amount.numerator, amount.denominator
    return Fraction((2 * num + den) // (2 * den))


def contribution(
    base: object,
    employee_ratio: object,
    employer_ratio: object,
    *,
    rules: AccountRules | object = None,
) -> Contribution:
    """One month's contribution (月缴存额) of the employee and of the employer.

    Parameters
    ----------
    base : amount
        The contribution base (缴存基数: the employee's average monthly wage of
        the previous year), greater than 0; clamped to the rules' bounds.
    employee_ratio, employer_ratio : rate-like
        Each side's ratio (缴存比例, ``0.07`` or ``"7%"``), within the rules'
        range (5 % to 12 % by default).
    rules : AccountRules, pack or None
        The settings (rounding, base bounds, ratio range); a pack name takes
        its ``[contribution]`` ratio range. Default: :class:`AccountRules()`.

    Returns
    -------
    Contribution
        Each side = base_used × ratio, rounded half-up as ``rules.rounding``
        says (to the yuan by default); ``total`` is their sum.

    Raises
    ------
    InputError
        Naming ``base``, ``employee_ratio`` or ``employer_ratio``, the value
        and the allowed range.

    Notes
    -----
    《住房公积金管理条例》 (国务院令第262号, 2019 revision) art. 16: the monthly
    contribution is the previous year's average monthly wage times the ratio, for
    each side. The 5 %–12 % range is the national guidance (建金〔2005〕5号).
    The centers publish whole-yuan monthly amounts (Shanghai's 2025 bounds, 2,690 and
    37,302 at 7 %, give 188 and 2,611 a side, 376 and 5,222 together), hence the
    default rounding to the yuan.

    Examples
    --------
    Shanghai's 2025 upper bound at 7 % a side, with a base above it:

    >>> c = contribution(40000, "7%", "7%", rules=AccountRules(base_max=37302,
    ...                  base_max_source="上海市住房公积金管理委员会 2025 notice"))
    >>> c.base_used, c.bound, c.employee, c.total
    (Decimal('37302.00'), 'base_max', Decimal('2611.00'), Decimal('5222.00'))

    To the fen:

    >>> contribution(4733, "6%", "6%", rules=AccountRules(rounding="fen")).total
    Decimal('567.96')
    >>> contribution(4733, "6%", "6%").total
    Decimal('568.00')
    >>> contribution(4733, "13%", "6%")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: employee_ratio='13%' is out of range: expected a contribution ratio from 5% to 12%
    """
    settings = resolve(rules)
    given = to_amount(base, "base")
    low, high = settings.ratio_min, settings.ratio_max
    allowed = f"a contribution ratio from {_pct(low)} to {_pct(high)}"
    ratios = []
    for name, value in (("employee_ratio", employee_ratio), ("employer_ratio", employer_ratio)):
        try:
            ratio = to_rate(value, name, what="a contribution ratio")
        except InputError:
            raise InputError(name, value, allowed) from None
        if not low <= ratio <= high:
            raise InputError(name, value, allowed)
        ratios.append(ratio)
    used, bound, source = given, None, ""
    if settings.base_min is not None and given < settings.base_min:
        used, bound, source = settings.base_min, "base_min", settings.base_min_source
    elif settings.base_max is not None and given > settings.base_max:
        used, bound, source = settings.base_max, "base_max", settings.base_max_source
    employee = round_contribution(used * ratios[0], settings.rounding)
    employer = round_contribution(used * ratios[1], settings.rounding)
    return Contribution(
        base=yuan(given), base_used=yuan(used), bound=bound,  # type: ignore[arg-type]
        bound_source=source, employee=yuan(employee), employer=yuan(employer),
        total=yuan(employee + employer), rounding=settings.rounding,
    )


def _pct(ratio: Fraction) -> str:
    """``Fraction(1, 20)`` → ``'5%'``."""
    text = format(Decimal(ratio.numerator) / Decimal(ratio.denominator) * 100, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
