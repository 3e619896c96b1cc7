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


@settings(max_examples=15, deadline=None)
@given(
    balance=st.integers(0, 3_000_000).map(lambda f: Decimal(f) / 100),
    deposit=st.integers(1, 400_000).map(lambda f: Decimal(f) / 100),
    keep=st.integers(0, 100_000).map(lambda f: Decimal(f) / 100),
    on=st.integers(0, 500),
    horizon=st.none() | st.integers(0, 900),
    convention=st.sampled_from(["center", "ledger"]),
)
def test_every_strategy_conserves_the_fund_and_the_loans_principal(
    balance: Decimal, deposit: Decimal, keep: Decimal, on: int, horizon: int | None, convention: str
) -> None:
    from datetime import timedelta

    from gjjcalc.account import compare_fund_strategies

    loan = Loan(120000, "3.1%", 24, released="2022-01-10", convention=convention)  # type: ignore[arg-type]
    acct = Account("2022-01-01", balance).monthly_deposits(deposit, "2022-01-05")
    day = loan.released + timedelta(days=on)
    end = None if horizon is None else day + timedelta(days=horizon)
    c = compare_fund_strategies(loan, acct, on=day, horizon=end, keep=keep)
    # owed before the installments due from ``on`` on (those due on ``on`` itself are in every plan)
    owed = loan.principal if day == loan.released else loan.state_on(day - timedelta(days=1)).balance
    # the same money came in (the balance on ``on`` and the deposits after it), whatever went out
    saved = {s.fund_balance + s.fund_paid - s.fund_interest for s in c}
    assert saved == {c.do_nothing.fund_balance - c.do_nothing.fund_interest}
    assert c.do_nothing.fund_balance == acct.balance_on(c.horizon)
    for s in c:
        assert s.card_paid >= 0
        assert s.fund_balance >= 0
        if convention == "ledger":  # (center shows each interest rounded from an unrounded balance)
            # what was paid = the principal repaid + the interest, whoever paid it
            assert s.card_paid + s.fund_paid - s.loan_interest == owed - s.loan_balance
    assert c.offset_monthly.loan_interest == c.offset_yearly.loan_interest == c.do_nothing.loan_interest
    assert c.best == max(c, key=lambda s: s.net).name
