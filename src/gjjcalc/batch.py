"""The batch engine (numba is imported here, and only here): ``import gjjcalc.batch``.

See :mod:`gjjcalc.amortize.batch` for the functions and their conventions.
"""

from gjjcalc.amortize.batch import (
    BatchPayoff,
    BatchPrepayment,
    BatchSchedule,
    BatchSummary,
    balances_after,
    from_frame,
    payments,
    payoff,
    prepay,
    reprice,
    schedules,
    summaries,
)

__all__ = [
    "BatchPayoff",
    "BatchPrepayment",
    "BatchSchedule",
    "BatchSummary",
    "balances_after",
    "from_frame",
    "payments",
    "payoff",
    "prepay",
    "reprice",
    "schedules",
    "summaries",
]
