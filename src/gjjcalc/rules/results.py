"""Result records shared by every rule function: what bound, and why.

Amount rules (:func:`~gjjcalc.rules.loan_quota`,
:func:`~gjjcalc.rules.withdrawal_cap`) return ``amount``, ``binding`` and
``limits``; check rules (:func:`~gjjcalc.rules.check_eligibility`,
:func:`~gjjcalc.rules.check_contribution_ratio`,
:func:`~gjjcalc.rules.check_prepayment`) return ``ok`` and ``reasons``. Every
limit and every reason carries the rule's value and its source, so a service
can show the borrower the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import ClassVar

from gjjcalc._display import Ruled
from gjjcalc.errors import RuleViolation
from gjjcalc.money import to_flag

__all__ = ["CheckResult", "Limit", "Reason", "RuleValue", "raise_if"]

RuleValue = Decimal | int | bool | str | date | time | tuple[object, ...] | None
"""The value of a rule as a reason reports it (an amount, a count, a window …)."""


@dataclass(frozen=True, slots=True)
class Limit:
    """One constraint an amount rule considered.

    ``value`` is the largest amount the constraint allows (0 for a refusal),
    ``source`` where the rule comes from (the center, its document and section, a URL where there is one), ``detail``
    how the value was computed.
    """

    name: str
    value: Decimal
    source: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Reason:
    """One violated rule: its name, the rule's value, its source and a message.

    >>> str(Reason("multiple", Decimal("1000"), "a manual §6", "10500 is not a multiple of 1000"))
    'multiple: 10500 is not a multiple of 1000 (rule: 1000; source: a manual §6)'
    """

    name: str
    value: RuleValue
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message} (rule: {self.value}; source: {self.source})"


@dataclass(frozen=True, slots=True)
class CheckResult(Ruled):
    """Outcome of a check rule.

    ``ok`` is true when no rule is violated; ``reasons`` names each violation;
    ``checked`` names every rule the pack enabled and the check evaluated (an
    empty ``checked`` means the pack publishes no such rule).
    """

    ok: bool
    reasons: tuple[Reason, ...]
    checked: tuple[str, ...]
    _table: ClassVar[str] = "reasons"


def raise_if(enforce: bool, reasons: tuple[Reason, ...]) -> None:
    """Raise :class:`~gjjcalc.errors.RuleViolation` when asked to and refused.

    >>> raise_if(False, (Reason("x", 1, "s", "m"),))
    >>> raise_if(True, (Reason("x", 1, "s", "m"),))
    Traceback (most recent call last):
    ...
    gjjcalc.errors.RuleViolation: x: m (rule: 1; source: s)
    >>> raise_if("no", ())   # a truthy string is not a flag
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: enforce='no' is out of range: expected True or False
    """
    if to_flag(enforce, "enforce") and reasons:
        raise RuleViolation(reasons)
