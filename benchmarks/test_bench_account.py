"""The fund plans of 100,000 borrowers (``gjjcalc.account.batch.offset_plans``) against the scalar loop.

Two workloads, each a group: a center's "how much will offsets draw from the fund next year"
(the 12 months of 2026) and every borrower's plan to the loan's maturity. The reference in the
same run is the scalar :func:`gjjcalc.account.offset_plan` looped over a sample of the same
borrowers; compare the medians per borrower (``extra_info["borrowers"]``). Each benchmark
checks its result (the batch rows of the sample equal the scalar plans), so it is also a test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from gjjcalc.account import Account, OffsetPlan, offset_plan
from gjjcalc.account.batch import OffsetPlans, offset_plans
from gjjcalc.loan import Loan

N = 100_000
SAMPLE = 50
SEED = 15
ROUNDS = {"rounds": 5, "iterations": 1, "warmup_rounds": 1}
SCALAR_ROUNDS = {"rounds": 3, "iterations": 1, "warmup_rounds": 0}
START = np.datetime64("2026-01-01")
HORIZONS = {"next-year": np.datetime64("2026-12-31"), "to-maturity": None}


def _borrowers(n: int) -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    released = np.datetime64("2017-01-01") + rng.integers(0, 9 * 365, n)  # 2017..2025
    return {
        "principal": rng.integers(100_000, 1_000_001, n).astype(np.float64),
        "annual_rate": rng.choice(np.array([0.026, 0.0285, 0.031, 0.0325]), n),
        "months": rng.integers(120, 361, n),
        "released": released,
        "start": np.full(n, START),
        "opened": np.full(n, START),
        "balance": rng.integers(0, 8_000_000, n) / 100.0,
        "deposit": rng.integers(50_000, 600_000, n) / 100.0,
        "first_deposit": START + rng.integers(0, 28, n),
        "keep": rng.choice(np.array([0.0, 10.0, 500.0]), n),
    }


@pytest.fixture(scope="module")
def borrowers() -> dict[str, Any]:
    return _borrowers(N)


def _batch(b: dict[str, Any], until: np.datetime64 | None) -> OffsetPlans:
    return offset_plans(b["principal"], b["annual_rate"], b["months"], b["released"], start=b["start"],
                        balance=b["balance"], deposit=b["deposit"], first_deposit=b["first_deposit"],
                        opened=b["opened"], keep=b["keep"], until=until)


def _scalar(b: dict[str, Any], i: int, until: np.datetime64 | None) -> OffsetPlan:
    def day(x: np.datetime64) -> date:
        value: date = x.astype(date)
        return value

    loan = Loan(b["principal"][i], float(b["annual_rate"][i]), int(b["months"][i]), released=day(b["released"][i]))
    acct = Account(day(b["opened"][i]), b["balance"][i]).monthly_deposits(b["deposit"][i],
                                                                          day(b["first_deposit"][i]))
    return offset_plan(loan, acct, start=day(b["start"][i]), keep=b["keep"][i],
                       until=None if until is None else day(until))


def _same(plans: OffsetPlans, sample: list[OffsetPlan]) -> None:
    for i, plan in enumerate(sample):
        assert Decimal(round(plans.card_total[i] * 100)) / 100 == plan.card_total
        assert Decimal(round(plans.fund_balance[i] * 100)) / 100 == plan.fund_balance
        assert plans.installments[i] == len(plan)


@pytest.mark.parametrize("horizon", list(HORIZONS))
@pytest.mark.parametrize("impl", ["gjjcalc-batch", "scalar-loop"])
def test_offset_plans_100k(benchmark: Any, borrowers: dict[str, Any], impl: str, horizon: str) -> None:
    benchmark.group = f"offset-plans-{horizon}-100k"
    until = HORIZONS[horizon]
    if impl == "gjjcalc-batch":
        _batch({k: v[:10] for k, v in borrowers.items()}, until)  # JIT warm-up outside the timed call
        benchmark.extra_info["borrowers"] = N
        plans = benchmark.pedantic(_batch, args=(borrowers, until), **ROUNDS)
        _same(plans, [_scalar(borrowers, i, until) for i in range(SAMPLE)])
        assert plans.card_total.shape == (N,)
    else:
        benchmark.extra_info["borrowers"] = SAMPLE
        sample = benchmark.pedantic(lambda: [_scalar(borrowers, i, until) for i in range(SAMPLE)],
                                    **SCALAR_ROUNDS)
        _same(_batch({k: v[:SAMPLE] for k, v in borrowers.items()}, until), sample)
