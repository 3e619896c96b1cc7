"""The borrower's fund account (住房公积金个人账户), in the policy layer.

* :func:`contribution`: the month's contribution of each side (月缴存额);
* :class:`Account`: the account with its deposits, withdrawals, offsets and
  transfers, its statement and its yearly interest (年终结息, the 积数 method);
* :func:`offset_plan`: the loan's installments paid from the fund month by
  month (逐月冲还贷 / 内转还款) or reimbursed once a year (每年提取);
* :func:`compare_prepay_vs_offset`: withdraw the fund now to prepay, or keep it
  and offset the installments.
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
    OffsetPlan,
    OffsetRow,
    SpouseAuthorization,
    Strategy,
    compare_prepay_vs_offset,
    offset_plan,
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
    "MonthlyDeposits",
    "Offset",
    "OffsetPlan",
    "OffsetRow",
    "SpouseAuthorization",
    "Statement",
    "StatementRow",
    "Strategy",
    "TransferIn",
    "Withdrawal",
    "compare_prepay_vs_offset",
    "contribution",
    "deposit_rates",
    "offset_plan",
]
