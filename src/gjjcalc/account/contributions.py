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
    lies within them) and ``bound_source`` cites it. The supplementary fund
    (补充住房公积金月缴存额) is apart: ``supplementary_employee`` and
    ``supplementary_employer`` (0 without a supplementary ratio), their sum
    ``supplementary_total``; ``total`` is the basic fund's only.
    """

    base: Decimal
    base_used: Decimal
    bound: Literal["base_min", "base_max"] | None
    bound_source: str
    employee: Decimal
    employer: Decimal
    total: Decimal
    rounding: Rounding
    supplementary_employee: Decimal = Decimal("0.00")
    supplementary_employer: Decimal = Decimal("0.00")
    supplementary_total: Decimal = Decimal("0.00")


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
    supplementary_ratio: object = None,
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
    supplementary_ratio : rate-like, a pair of them, or None, keyword-only
        The supplementary fund's ratio (补充住房公积金缴存比例): one ratio for both
        sides, or ``(employee, employer)``; each within the rules'
        ``supplementary_min`` to ``supplementary_max`` (default: above 0 up to
        ``ratio_max``, as no national rule bounds it; the shipped packs state
        no supplementary range). On the same clamped base, rounded alike.

    Returns
    -------
    Contribution
        Each side = base_used × ratio, rounded half-up as ``rules.rounding``
        says (to the yuan by default); ``total`` is their sum.

    Raises
    ------
    InputError
        Naming ``base``, ``employee_ratio``, ``employer_ratio`` or
        ``supplementary_ratio``, the value and the allowed range.

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

    With a supplementary fund of 5 % a side within Shanghai's 1 %–5 %
    (``SHANGHAI_SUPPLEMENTARY``): 10,000 × 5 % = 500 a side:

    >>> from gjjcalc.account.settings import SHANGHAI_SUPPLEMENTARY
    >>> sh = AccountRules(supplementary_min="1%", supplementary_max="5%",
    ...                   supplementary_source=SHANGHAI_SUPPLEMENTARY)
    >>> c = contribution(10000, "7%", "7%", rules=sh, supplementary_ratio="5%")
    >>> c.total, c.supplementary_employee, c.supplementary_total
    (Decimal('1400.00'), Decimal('500.00'), Decimal('1000.00'))
    >>> contribution(10000, "7%", "7%", rules=sh, supplementary_ratio=("5%", "6%"))
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: supplementary_ratio[1]='6%' is out of range: expected a supplementary ratio from 1% to 5% (上海市公积金管理中心, ...)
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
    sup = [Fraction(0), Fraction(0)]
    if supplementary_ratio is not None:
        sup = [round_contribution(used * r, settings.rounding)
               for r in _supplementary(supplementary_ratio, settings)]
    return Contribution(
        base=yuan(given), base_used=yuan(used), bound=bound,  # type: ignore[arg-type]
        bound_source=source, employee=yuan(employee), employer=yuan(employer),
        total=yuan(employee + employer), rounding=settings.rounding,
        supplementary_employee=yuan(sup[0]), supplementary_employer=yuan(sup[1]),
        supplementary_total=yuan(sup[0] + sup[1]),
    )


def _supplementary(value: object, settings: AccountRules) -> tuple[Fraction, Fraction]:
    """The two sides' supplementary ratios, each checked against the rules' range."""
    low = settings.supplementary_min
    high = settings.supplementary_max if settings.supplementary_max is not None else settings.ratio_max
    allowed = (f"a supplementary ratio from {_pct(low)} to {_pct(high)}" if low is not None
               else f"a supplementary ratio above 0% and at most {_pct(high)}")
    if settings.supplementary_source:
        allowed += f" ({settings.supplementary_source})"
    pair = isinstance(value, tuple | list)
    items = list(value) if isinstance(value, tuple | list) else [value, value]
    if len(items) != 2:
        raise InputError("supplementary_ratio", value, "one ratio, or (employee, employer)")
    out = []
    for k, item in enumerate(items):
        name = f"supplementary_ratio[{k}]" if pair else "supplementary_ratio"
        try:
            ratio = to_rate(item, name, what="a supplementary ratio")
        except InputError:
            raise InputError(name, item, allowed) from None
        if ratio > high or (ratio < low if low is not None else ratio <= 0):
            raise InputError(name, item, allowed)
        out.append(ratio)
    return out[0], out[1]


def _pct(ratio: Fraction) -> str:
    """``Fraction(1, 20)`` → ``'5%'``."""
    text = format(Decimal(ratio.numerator) / Decimal(ratio.denominator) * 100, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
