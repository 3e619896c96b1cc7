"""``Loan.prepay(..., from_fund=account)``: the prepayment paid by the fund (一次性冲还贷), with
the loan and the account after it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gjjcalc import InputError
from gjjcalc.account import Account, prepay_from_fund
from gjjcalc.loan import Loan
from gjjcalc.money import yuan

LOAN = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")


def test_the_fund_pays_the_total_and_the_loan_is_the_same_as_a_plain_prepayment() -> None:
    fund = Account("2017-12-01", 30000)
    result, after, fund_after = LOAN.prepay(amount=10000, on="2018-01-09", mode="lower_payment", from_fund=fund)
    # interest on 10,000 from 2017-12-29 to 2018-01-09 (11 days) at 3.25 % / 360
    interest = yuan(Fraction(10000) * Fraction(325, 10000) / 360 * 11)
    assert (result.interest, result.total) == (interest, Decimal("10000") + interest) == (
        Decimal("9.93"), Decimal("10009.93"))
    plain_result, plain_after = LOAN.prepay(amount=10000, on="2018-01-09", mode="lower_payment")
    assert result == plain_result
    assert after == plain_after
    assert fund.balance_on("2018-01-09") - fund_after.balance_on("2018-01-09") == result.total
    loan2, fund2 = prepay_from_fund(LOAN, fund, on="2018-01-09", amount=10000)
    assert (loan2, fund2.balance_on("2018-01-10")) == (after, fund_after.balance_on("2018-01-10"))


def test_more_than_the_fund_holds_is_refused() -> None:
    fund = Account("2017-12-01", 5000)
    with pytest.raises(InputError) as err:
        LOAN.prepay(amount=10000, on="2018-01-09", mode="lower_payment", from_fund=fund)
    assert err.value.name in ("amount", "account")


@pytest.mark.parametrize("keyword", [{"maturity_year": 2035}, {"new_remaining_months": 200}, {"at": "10:00"}])
def test_options_of_the_plain_prepayment_are_refused_with_the_fund(keyword: dict[str, object]) -> None:
    fund = Account("2017-12-01", 30000)
    with pytest.raises(InputError) as err:
        LOAN.prepay(amount=10000, on="2018-01-09", from_fund=fund, **keyword)  # type: ignore[call-overload]
    assert err.value.name == next(iter(keyword))
    assert "from_fund" in str(err.value)
