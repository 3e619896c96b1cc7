"""Invariants of the offset plan over random accounts and keeps."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.account import Account, offset_plan
from gjjcalc.loan import Loan

LOAN = Loan(120000, "3.1%", 24, released="2022-01-10")


@settings(max_examples=40, deadline=None)
@given(
    balance=st.integers(0, 3_000_000).map(lambda f: Decimal(f) / 100),
    deposit=st.integers(1, 800_000).map(lambda f: Decimal(f) / 100),
    keep=st.integers(0, 500_000).map(lambda f: Decimal(f) / 100),
    mode=st.sampled_from(["monthly", "yearly"]),
)
def test_the_fund_never_goes_below_keep_and_every_installment_is_paid(
    balance: Decimal, deposit: Decimal, keep: Decimal, mode: str
) -> None:
    acct = Account("2022-01-01", balance).monthly_deposits(deposit, "2022-01-05")
    plan = offset_plan(LOAN, acct, start="2022-01-10", keep=keep, mode=mode)  # type: ignore[arg-type]
    schedule = LOAN.schedule()
    assert len(plan) == 24
    for k, row in enumerate(plan.rows):
        assert row.from_fund + row.from_spouse + row.from_card == row.installment == schedule.payment[k]
        assert row.loan_balance == schedule.balance[k]  # offsets pay installments, never prepay
        assert row.fund_balance >= 0
        if row.from_fund or row.withdrawn:
            assert row.fund_balance >= keep
    if mode == "yearly":
        assert plan.withdrawn_total <= sum(schedule.payment, Decimal(0))
        assert plan.card_net == plan.card_total - plan.withdrawn_total
