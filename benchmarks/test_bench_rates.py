"""Rates off the 7-place grid in the batch engine: the same loans at random float rates and at
those rates rounded to 7 places, beside numpy_financial on the float rates (issue 13, item 6).

Every rate stays in the compiled kernels: equal installment reads the float rate as it reads a
7-place one; equal principal computes its interest in float64 instead of int64.
"""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

import gjjcalc
from gjjcalc import batch

N_BIG = 1_000_000
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


@pytest.mark.benchmark(group="summaries-principal-any-rate-1M")
@pytest.mark.parametrize("impl", ["gjjcalc-any-float", "gjjcalc-7-places"])
def test_equal_principal_summaries_at_any_rate(benchmark, loans1m, impl: str) -> None:
    p, r, n = loans1m
    rates = _rates(impl, r)
    benchmark.extra_info["loans"] = N_BIG
    run = lambda: batch.summaries(p, rates, n, method="equal_principal")  # noqa: E731
    run()
    got = benchmark.pedantic(run, **ROUNDS)
    for i in range(0, N_BIG, N_BIG // 20):  # exactly the single-loan figures at the rate as given
        one = gjjcalc.equal_principal(float(p[i]), float(rates[i]), int(n[i]))
        assert got.total_interest[i] == float(one.total_interest)
        assert got.first_payment[i] == float(one.payment[0])
