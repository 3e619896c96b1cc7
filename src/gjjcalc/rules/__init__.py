"""Rules as data: center packs and the functions that apply them.

Every rule function takes a pack (a name such as ``"liangshan"`` or a loaded
:class:`Pack`) and returns a result that names what bound it: amount rules
give ``amount``, ``binding`` and ``limits``; check rules give ``ok`` and
``reasons``. With ``enforce=True`` a refusal raises
:class:`~gjjcalc.errors.RuleViolation`.

>>> import gjjcalc.rules as rules
>>> rules.pack_names()
('beijing', 'guangzhou', 'hangzhou', 'jilin', 'liangshan', 'liuzhou', 'ningxia', 'qingdao', 'shanghai', 'shenzhen', 'tianjin')
>>> rules.loan_quota("liangshan", area="会理县", house_price=900_000).amount
Decimal('400000.00')
"""

from __future__ import annotations

import importlib
from typing import Any

from gjjcalc.rules.eligibility import EligibilityResult, check_contribution_ratio, check_eligibility
from gjjcalc.rules.offset import OffsetSplit, offset_split
from gjjcalc.rules.packs import Pack, Sourced, load_pack, pack_names, pack_schema, parse_pack
from gjjcalc.rules.prepayment_rules import check_prepayment
from gjjcalc.rules.quota import AreaLoan, QuotaResult, loan_from_area, loan_quota
from gjjcalc.rules.results import CheckResult, Limit, Reason
from gjjcalc.rules.retirement import retirement_age_months, retirement_date
from gjjcalc.rules.withdrawal import WithdrawalResult, withdrawal_cap
from gjjcalc.rules.workdays import (
    AssumedWeekendsWarning,
    Calendar,
    CalendarDay,
    add_working_days,
    calendar_day,
    is_working_day,
    load_calendar,
    next_working_day,
    working_days_between,
)

__all__ = [
    "AreaLoan",
    "AssumedWeekendsWarning",
    "Calendar",
    "CalendarDay",
    "CheckResult",
    "EligibilityResult",
    "Limit",
    "OffsetSplit",
    "Pack",
    "QuotaResult",
    "Reason",
    "Sourced",
    "WithdrawalResult",
    "add_working_days",
    "calendar_day",
    "check_contribution_ratio",
    "check_eligibility",
    "check_prepayment",
    "is_working_day",
    "load_calendar",
    "load_pack",
    "loan_from_area",
    "loan_quota",
    "next_working_day",
    "offset_split",
    "pack_names",
    "pack_schema",
    "parse_pack",
    "retirement_age_months",
    "retirement_date",
    "withdrawal_cap",
    "working_days_between",
]


_RATES = (
    "MAX_TABLE_RATE", "SHORT_LOAN_MONTHS", "TIER_MONTHS", "LprRow", "LprTable", "RateRow",
    "RateTable", "Repricing", "Tenor", "default_lpr_table", "default_rate_table", "loan_rate",
    "lpr", "provident_rate", "provident_rates", "repricing_date", "repricing_dates",
)
"""The rate-table API (``gjjcalc.rules.rates.__all__``), loaded from it on first use."""
__all__ += _RATES


def __getattr__(name: str) -> Any:
    if name in _RATES:
        rates = importlib.import_module("gjjcalc.rules.rates")
        if hasattr(rates, name):
            return getattr(rates, name)
    if name == "reprice_on":  # deprecated: the wrapper warns when called
        return importlib.import_module("gjjcalc.rules.rates").reprice_on
    raise AttributeError(f"module 'gjjcalc.rules' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*__all__, "packs", "rates"})
