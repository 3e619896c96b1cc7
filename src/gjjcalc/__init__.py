"""gjjcalc: exact, fast arithmetic of Chinese housing provident fund loans.

The single-loan API (this namespace) is exact to the fen and never imports
numba; the batch engine lives in :mod:`gjjcalc.batch` and is loaded on first
use.

>>> import gjjcalc
>>> gjjcalc.payment(690000, "3.25%", 300)
Decimal('3362.48')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gjjcalc._display import json_default, to_json
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
from gjjcalc.account import (
    Account,
    AccountRules,
    Contribution,
    MonthlyDeposits,
    OffsetPlan,
    SpouseAuthorization,
    compare_prepay_vs_offset,
    contribution,
    offset_plan,
)
from gjjcalc.amortize.infer import infer_convention
from gjjcalc.amortize.prepay import PayoffQuote, PrepaymentResult, TermChangeResult, change_term
from gjjcalc.amortize.schedule import (
    Row,
    Schedule,
    equal_installment,
    equal_principal,
    lump_sum,
    payment,
)
from gjjcalc.conventions import AccrualStart, Convention, Method, PrepayMode
from gjjcalc.errors import GjjcalcError, InputError, RuleViolation
from gjjcalc.loan import (
    ArrearsPaid,
    ArrearsResult,
    CombinedSchedule,
    Loan,
    LoanState,
    Missed,
    PaymentChange,
    Prepayment,
    RateChange,
    TermChange,
    commercial_loan,
    payoff,
    prepay,
)
from gjjcalc.loan.combination import combination

__version__ = "0.1.0"

__all__ = [
    "Account",
    "AccountRules",
    "AccrualStart",
    "AmountLike",
    "ArrearsPaid",
    "ArrearsResult",
    "CombinedSchedule",
    "Contribution",
    "Convention",
    "ConventionLike",
    "DateLike",
    "GjjcalcError",
    "InputError",
    "Loan",
    "LoanState",
    "Method",
    "MethodLike",
    "Missed",
    "ModeLike",
    "MonthlyDeposits",
    "MonthsLike",
    "OffsetPlan",
    "PackLike",
    "PaymentChange",
    "PayoffQuote",
    "PrepayMode",
    "Prepayment",
    "PrepaymentResult",
    "RateChange",
    "RateLike",
    "Row",
    "RuleViolation",
    "Schedule",
    "SpouseAuthorization",
    "TermChange",
    "TermChangeResult",
    "__version__",
    "change_term",
    "combination",
    "commercial_loan",
    "compare_prepay_vs_offset",
    "contribution",
    "equal_installment",
    "equal_principal",
    "infer_convention",
    "json_default",
    "lump_sum",
    "offset_plan",
    "payment",
    "payoff",
    "prepay",
    "to_json",
]

_LAZY = {"batch", "cli", "dask", "plot", "rules", "testing"}

if TYPE_CHECKING:  # the lazy submodules, typed for checkers (imported on first use at run time)
    from gjjcalc import batch as batch
    from gjjcalc import cli as cli
    from gjjcalc import dask as dask
    from gjjcalc import plot as plot
    from gjjcalc import rules as rules
    from gjjcalc import testing as testing


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"gjjcalc.{name}")
    raise AttributeError(f"module 'gjjcalc' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names and the subpackages (not this module's own imports)."""
    return sorted({*__all__, *_LAZY, "account", "amortize", "conventions", "errors", "loan", "money"})
