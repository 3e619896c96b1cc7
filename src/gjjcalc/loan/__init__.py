"""The policy layer: a loan's whole life, where the arithmetic meets a center's rules.

Three layers, each importing only the ones below it:

* :mod:`gjjcalc.amortize`: the arithmetic of one loan and of many (schedules,
  prepayment, term change, payoff, the exact reference, the batch kernels);
  it knows no center;
* :mod:`gjjcalc.rules`: the centers' and the State's rules as data (rates,
  quotas, withdrawals, eligibility, packs, working days);
* :mod:`gjjcalc.loan` (here): what combines both: :class:`Loan` and its
  events, combination loans (:mod:`gjjcalc.loan.combination`; the function is
  :func:`gjjcalc.combination`), rate-table repricing, and the single-loan
  functions (:func:`prepay`, :func:`payoff`).

``docs/architecture.md`` says where a new rule, event or convention goes.
"""

from gjjcalc.loan import combination
from gjjcalc.loan.combination import CombinedSchedule, commercial_loan
from gjjcalc.loan.history import (
    ArrearsPaid,
    ArrearsResult,
    Loan,
    LoanState,
    Missed,
    PaymentChange,
    Prepayment,
    RateChange,
    TermChange,
)
from gjjcalc.loan.policy import enforce_rules, payoff, prepay

__all__ = [
    "ArrearsPaid",
    "ArrearsResult",
    "CombinedSchedule",
    "Loan",
    "LoanState",
    "Missed",
    "PaymentChange",
    "Prepayment",
    "RateChange",
    "TermChange",
    "combination",
    "commercial_loan",
    "enforce_rules",
    "payoff",
    "prepay",
]
