"""The borrower's fund account (住房公积金个人账户), in the policy layer.

* :func:`contribution`: the month's contribution of each side (月缴存额);
* :class:`Account`: the account with its deposits, withdrawals, offsets and
  transfers, its statement and its yearly interest (年终结息, the 积数 method);
* :func:`offset_plan`: the loan's installments paid from the fund month by
  month (逐月冲还贷 / 内转还款) or reimbursed once a year (每年提取);
* :func:`prepay_from_fund`: a prepayment paid from the fund (一次性冲还贷);
* :func:`compare_fund_strategies`: offset monthly or yearly, withdraw the fund
  now to prepay (lower payment, shorter term), or do nothing, on the same dates
  (:func:`compare_prepay_vs_offset`: two of them);
* :mod:`gjjcalc.account.batch`: the plans of many borrowers at once (numpy and
  numba, imported on its own).
"""

from gjjcalc.account.contributions import Contribution, contribution
from gjjcalc.account.ledger import (
    Account,
    Deposit,
    MonthlyDeposits,
    Offset,
    Statement,
    StatementRow,
    TransferIn,
    Withdrawal,
)
from gjjcalc.account.offset import (
    FundComparison,
    FundStrategies,
    OffsetPlan,
    OffsetRow,
    SpouseAuthorization,
    Strategy,
    StrategyName,
    compare_fund_strategies,
    compare_prepay_vs_offset,
    offset_plan,
    prepay_from_fund,
)
from gjjcalc.account.settings import AccountRules, DepositRate, DepositRates, deposit_rates

__all__ = [
    "Account",
    "AccountRules",
    "Contribution",
    "Deposit",
    "DepositRate",
    "DepositRates",
    "FundComparison",
    "FundStrategies",
    "MonthlyDeposits",
    "Offset",
    "OffsetPlan",
    "OffsetRow",
    "SpouseAuthorization",
    "Statement",
    "StatementRow",
    "Strategy",
    "StrategyName",
    "TransferIn",
    "Withdrawal",
    "compare_fund_strategies",
    "compare_prepay_vs_offset",
    "contribution",
    "deposit_rates",
    "offset_plan",
    "prepay_from_fund",
]
