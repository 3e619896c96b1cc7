"""Rates off the 7-place grid in the batch engine: the same loans at random float rates and at
those rates rounded to 7 places, beside numpy_financial on the float rates (issue 13, item 6).

Equal installment stays in the compiled kernels at any rate; equal principal at a rate off the
grid is computed by the exact single-loan code, row by row, so its group has 2,000 loans.
"""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

import gjjcalc
from gjjcalc import batch

N_BIG = 1_000_000
N_SLOW = 2_000
ROUNDS = {"rounds": 5, "iterations": 1, "warmup_rounds": 1}
FEN = 0.01 + 1e-9


def _loans(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(13)
    principal = rng.integers(10_000_000, 200_000_001, n) / 100.0
    rate = rng.uniform(0.02, 0.04, n)  # 17 significant digits: off the grid
    months = rng.integers(12, 361, n)
    return principal, rate, months


@pytest.fixture(scope="module")
def loans1m() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _loans(N_BIG)


def _rates(impl: str, rate: np.ndarray) -> np.ndarray:
    return np.round(rate, 7) if impl == "gjjcalc-7-places" else rate


@pytest.mark.benchmark(group="payments-any-rate-1M")
@pytest.mark.parametrize("impl", ["gjjcalc-any-float", "gjjcalc-7-places", "numpy_financial"])
def test_payments_at_any_rate(benchmark, loans1m, impl: str) -> None:
    p, r, n = loans1m
    benchmark.extra_info["loans"] = N_BIG
    if impl == "numpy_financial":
        got = np.round(benchmark.pedantic(lambda: npf.pmt(r / 12.0, n, -p), **ROUNDS), 2)
    else:
        rates = _rates(impl, r)
        batch.payments(p[:10], rates[:10], n[:10])  # compiled outside the timed call
        got = benchmark.pedantic(lambda: batch.payments(p, rates, n), **ROUNDS)
    assert np.abs(got - np.round(npf.pmt(r / 12.0, n, -p), 2)).max() <= FEN
    if impl == "gjjcalc-any-float":  # and exactly the single-loan payment at the rate as given
        for i in range(0, N_BIG, N_BIG // 50):
            assert got[i] == float(gjjcalc.payment(float(p[i]), float(r[i]), int(n[i])))


@pytest.mark.benchmark(group="prepay-any-rate-1M")
@pytest.mark.parametrize("impl", ["gjjcalc-any-float", "gjjcalc-7-places"])
def test_prepay_at_any_rate(benchmark, loans1m, impl: str) -> None:
    bal, r, n = loans1m
    rates = _rates(impl, r)
    amount = np.minimum(50_000.0, bal)
    benchmark.extra_info["loans"] = N_BIG
    run = lambda: batch.prepay(bal, rates, n, amount=amount, days=15, mode="lower_payment")  # noqa: E731
    run()
    res = benchmark.pedantic(run, **ROUNDS)
    assert np.abs(res.payment - np.round(npf.pmt(rates / 12.0, n, -(bal - amount)), 2)).max() <= FEN


@pytest.mark.benchmark(group="summaries-principal-any-rate-2k")
@pytest.mark.parametrize("impl", ["gjjcalc-any-float", "gjjcalc-7-places"])
def test_equal_principal_summaries_at_any_rate(benchmark, impl: str) -> None:
    p, r, n = _loans(N_SLOW)
    rates = _rates(impl, r)
    benchmark.extra_info["loans"] = N_SLOW
    run = lambda: batch.summaries(p, rates, n, method="equal_principal")  # noqa: E731
    run()
    got = benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=0)
    one = gjjcalc.equal_principal(float(p[7]), float(rates[7]), int(n[7]))
    assert got.total_interest[7] == float(one.total_interest)
