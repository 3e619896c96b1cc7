"""User code as a service would write it, checked by ``mypy --strict`` in ``make test``.

``assert_type`` lines pin what the main calls return; the lines marked ``# type: ignore[...]``
must stay type errors (mypy's ``warn_unused_ignores`` fails the check if one stops being one).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, assert_type

import gjjcalc
from gjjcalc import LoanState, PayoffQuote, PrepaymentResult, Schedule, TermChangeResult


def main() -> None:
    assert_type(gjjcalc.payment(690000, "3.25%", 300), Decimal)
    s = gjjcalc.equal_installment(690000, 0.0325, 300, convention="ledger", first_due="2015-09-28")
    assert_type(s, Schedule)
    assert_type(s.total_interest, Decimal)
    loan = gjjcalc.Loan(690000, "3.25%", 300, released=date(2015, 8, 28), pack="jilin")
    assert_type(loan.state_on("2018-01-09"), LoanState)
    result, after = loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    assert_type(result, PrepaymentResult)
    assert_type(after, gjjcalc.Loan)
    assert_type(loan.payoff(on="2018-01-10"), PayoffQuote)
    assert_type(loan.change_term(on="2018-01-10", maturity_year=2035)[0], TermChangeResult)
    assert_type(gjjcalc.prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272,
                               amount=10000, on="2018-01-09", interest_from="2017-12-29",
                               mode="lower_payment"), PrepaymentResult)
    custom = gjjcalc.Convention(totals="level", rounding="half_even")
    assert_type(custom, gjjcalc.Convention)
    assert_type(custom.totals, Literal["exact", "rows", "level"])
    assert_type(gjjcalc.equal_installment(100000, "3.1%", 120, convention=custom), Schedule)
    assert_type(gjjcalc.infer_convention(100000, "3.1%", 120, payment="970.23"), list[gjjcalc.Convention])
    assert_type(gjjcalc.lump_sum(50000, "2.1%", 12), Schedule)

    # what must stay a type error
    gjjcalc.payment(None, [], {})  # type: ignore[arg-type]
    gjjcalc.payment(690000, "3.25%", 300, convention="ledgr")  # type: ignore[arg-type]
    loan.prepay(amount=10000, on="2018-01-10", mode="sideways")  # type: ignore[call-overload]
    gjjcalc.Loan(690000, "3.25%", "300", released="2015-08-28")  # type: ignore[arg-type]
    gjjcalc.Convention(totals="sideways")  # type: ignore[arg-type]
    gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", pack=3)  # type: ignore[arg-type]
    gjjcalc.Convention("bank")  # type: ignore[arg-type]
    gjjcalc.payment(50000, "2.1%", 12, method="lumpsum")  # type: ignore[arg-type]


def frames() -> None:
    """The frame-returning calls are typed (pandas and dask objects, not Any)."""
    import dask.dataframe as dd

    import gjjcalc.dask as gd

    loans = gd.synthetic_portfolio(10)
    assert_type(loans, dd.DataFrame)
    assert_type(gd.summaries(loans), dd.DataFrame)
    assert_type(gd.payments(loans), dd.Series)
    gd.payments([1, 2, 3])  # type: ignore[arg-type]


def fund_prepayment() -> None:
    from gjjcalc.account import Account

    loan = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28")
    fund = Account("2017-12-01", 30000)
    result, _after, fund_after = loan.prepay(amount=10000, on="2018-01-09", mode="lower_payment", from_fund=fund)
    assert_type(result, PrepaymentResult)
    assert_type(fund_after, Account)
    _result2, after2 = loan.prepay(amount=10000, on="2018-01-09", mode="lower_payment")
    assert_type(after2, gjjcalc.Loan)
