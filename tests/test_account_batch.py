"""offset_plans over many borrowers equals the scalar offset_plan row by row."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.account import Account, offset_plan
from gjjcalc.account.batch import OffsetPlans, offset_plans
from gjjcalc.errors import InputError
from gjjcalc.loan import Loan


def scalar(principal: int, rate: str, months: int, released: date, start: date, balance: Decimal,
           deposit: Decimal, first_deposit: date, opened: date, keep: Decimal, until: date | None,
           mode: str):  # type: ignore[no-untyped-def]
    loan = Loan(principal, rate, months, released=released)
    acct = Account(opened, balance)
    if deposit:
        acct = acct.monthly_deposits(deposit, first_deposit)
    return offset_plan(loan, acct, start=start, keep=keep, until=until, mode=mode)  # type: ignore[arg-type]


def check_row(plans: OffsetPlans, i: int, plan) -> None:  # type: ignore[no-untyped-def]
    def fen(x: float) -> Decimal:
        return Decimal(round(x * 100)) / 100

    assert fen(plans.card_total[i]) == plan.card_total
    assert fen(plans.fund_total[i]) == plan.fund_total
    assert fen(plans.withdrawn_total[i]) == plan.withdrawn_total
    assert fen(plans.card_net[i]) == plan.card_net
    assert fen(plans.fund_balance[i]) == plan.fund_balance
    assert fen(plans.fund_interest[i]) == plan.fund_interest
    assert plans.installments[i] == len(plan)
    runs = plans.fund_runs_out[i]
    assert (None if np.isnat(runs) else runs.astype(date)) == plan.fund_runs_out
    row = plans.runs_out_row[i]
    assert row == (-1 if plan.fund_runs_out is None else [r.due for r in plan.rows].index(plan.fund_runs_out))


fen = st.integers(0, 5_000_000).map(lambda f: Decimal(f) / 100)
borrower = st.fixed_dictionaries({
    "principal": st.integers(1000, 300_000),
    "rate": st.sampled_from(["0", "2.6%", "3.1%", "3.25%", "2.85%"]),
    "months": st.integers(1, 48),
    "released": st.dates(date(2016, 3, 1), date(2024, 12, 31)),
    "opened_lag": st.integers(0, 400),
    "start_lag": st.integers(0, 900),
    "first_deposit_lag": st.integers(0, 60),
    "balance": fen,
    "deposit": st.integers(0, 600_000).map(lambda f: Decimal(f) / 100),
    "keep": st.integers(0, 300_000).map(lambda f: Decimal(f) / 100),
    "until_lag": st.none() | st.integers(0, 800),
})


@settings(max_examples=12, deadline=None)
@given(rows=st.lists(borrower, min_size=1, max_size=4), mode=st.sampled_from(["monthly", "yearly"]))
def test_the_batch_equals_the_scalar_plan_row_by_row(rows: list[dict[str, object]], mode: str) -> None:
    cases = []
    for r in rows:
        released: date = r["released"]  # type: ignore[assignment]
        loan = Loan(r["principal"], r["rate"], r["months"], released=released)  # type: ignore[arg-type]
        opened = max(released - timedelta(days=r["opened_lag"]), date(2016, 2, 21))  # type: ignore[operator]
        start = min(released + timedelta(days=r["start_lag"]), loan.maturity)  # type: ignore[operator]
        until = None if r["until_lag"] is None else start + timedelta(days=r["until_lag"])  # type: ignore[operator]
        first_deposit = opened + timedelta(days=r["first_deposit_lag"])  # type: ignore[operator]
        cases.append((r["principal"], r["rate"], r["months"], released, start, r["balance"], r["deposit"],
                      first_deposit, opened, r["keep"], until))
    columns = list(zip(*cases, strict=True))
    until_col = columns[10]
    plans = offset_plans(
        columns[0], [float(x.rstrip("%")) / 100 for x in columns[1]], columns[2], columns[3],  # type: ignore[attr-defined]
        start=columns[4], balance=[float(x) for x in columns[5]], deposit=[float(x) for x in columns[6]],  # type: ignore[arg-type]
        first_deposit=columns[7], opened=columns[8], keep=[float(x) for x in columns[9]],  # type: ignore[arg-type]
        until=None if all(u is None for u in until_col) else [
            u if u is not None else Loan(c[0], c[1], c[2], released=c[3]).maturity  # type: ignore[arg-type]
            for u, c in zip(until_col, cases, strict=True)],
        mode=mode,  # type: ignore[arg-type]
    )
    for i, case in enumerate(cases):
        check_row(plans, i, scalar(*case, mode))  # type: ignore[arg-type]


def test_a_month_end_loan_and_deposits_on_the_31st_follow_the_scalar_dates() -> None:
    case = (50000, "3.1%", 36, date(2019, 1, 31), date(2019, 2, 28), Decimal("3000"), Decimal("1200.50"),
            date(2019, 1, 31), date(2019, 1, 31), Decimal("100"), None)
    for mode in ("monthly", "yearly"):
        plans = offset_plans(50000, 0.031, 36, "2019-01-31", start="2019-02-28", balance=3000, deposit=1200.5,
                             first_deposit="2019-01-31", opened="2019-01-31", keep=100, mode=mode)  # type: ignore[arg-type]
        check_row(plans, 0, scalar(*case, mode))


def test_the_fund_runs_out_in_the_known_month() -> None:
    # the 24-month zero-rate loan of tests/test_account.py: the fund stops covering on 2021-10-10
    plans = offset_plans([24000, 24000], 0, 24, "2020-07-10", start="2020-07-10", balance=[5000, 50000],
                         deposit=600, first_deposit="2020-07-05", opened="2020-07-01")
    assert plans.fund_runs_out.tolist() == [date(2021, 10, 10), None]
    assert plans.runs_out_row.tolist() == [14, -1]
    assert plans.card_total[1] == 0.0


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"balance": [100, -5]}, "balance[1]"),
    ({"balance": 100, "keep": [0, 0.001]}, "keep[1]"),
    ({"balance": 100, "start": ["2020-07-10", "2020-07-09"]}, "start[1]"),
    ({"balance": 100, "opened": "2016-01-01"}, "opened[0]"),
    ({"balance": 100, "until": "2020-07-01"}, "until[0]"),
    ({"balance": [1, 2, 3], "keep": [1, 2]}, "keep"),
    ({"balance": 100, "mode": "weekly"}, "mode"),
    ({"balance": 100, "deposit": 5, "first_deposit": "2020-01-01"}, "first_deposit[0]"),
])
def test_a_bad_row_names_the_column_and_the_row(kwargs: dict[str, object], name: str) -> None:
    given = {"start": "2020-07-10", **kwargs}
    with pytest.raises(InputError) as err:
        offset_plans(24000, 0, 24, "2020-07-10", **given)  # type: ignore[arg-type]
    assert err.value.name == name
