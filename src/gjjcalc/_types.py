"""The types of what the public API accepts, for users' type checkers.

Every number is coerced exactly (:mod:`gjjcalc.money`), so the aliases name what a
caller may pass, not what is held: a ``Decimal``, a ``Fraction``, an ``int`` or a
``float`` amount, or its text (``"690,000"``, ``"3.25%"``).

>>> from gjjcalc import AmountLike, RateLike
>>> AmountLike
int | float | str | decimal.Decimal | fractions.Fraction
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from os import PathLike
from typing import TYPE_CHECKING, Literal, TypeAlias

from gjjcalc.conventions import Convention, Method, PrepayMode

if TYPE_CHECKING:  # the rules layer is imported on first use, not by ``import gjjcalc``
    from gjjcalc.rules.packs import Pack

__all__ = [
    "AmountLike",
    "ConventionLike",
    "DateLike",
    "MethodLike",
    "ModeLike",
    "MonthsLike",
    "PackLike",
    "RateLike",
]

AmountLike: TypeAlias = int | float | str | Decimal | Fraction
"""An amount in yuan: 690000, 690000.0, "690,000", Decimal("690000.00"), Fraction."""
RateLike: TypeAlias = int | float | str | Decimal | Fraction
"""An annual rate: 0.0325, "3.25%", Decimal("0.0325"), Fraction(13, 400)."""
MonthsLike: TypeAlias = int
"""A number of months (期数), 1 to 600."""
DateLike: TypeAlias = date | str
"""A date, or its ISO text "2015-08-28"."""
ConventionLike: TypeAlias = Convention | Literal["center", "ledger", "exact"]
"""A rounding convention, as a member or its name."""
MethodLike: TypeAlias = Method | Literal["equal_installment", "equal_principal", "lump_sum"]
"""A repayment method (还款方式), as a member or its name."""
ModeLike: TypeAlias = PrepayMode | Literal["lower_payment", "shorten_term"]
"""What a prepayment changes, as a member or its name."""
PackLike: TypeAlias = "Pack | str | PathLike[str]"
"""A center pack: a loaded ``Pack``, a pack's name ("jilin") or the path of a pack file."""
