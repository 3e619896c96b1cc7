"""Batch-engine benchmarks against named peers in the same run (issue 6, STYLE.md).

Run with ``make bench``; ``benchmarks/report.py`` turns the JSON into
``docs/performance.md``. Each benchmark warms the JIT outside the timed call
and checks its result, so it is also a test.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

import numpy as np
import numpy_financial as npf
import pytest

from gjjcalc import batch

SEED = 6
RATES = np.array([0.026, 0.031, 0.0325])
N_SCHED = 10_000
MONTHS = 360
N_BIG = 1_000_000
ROUNDS = {"rounds": 5, "iterations": 1, "warmup_rounds": 1}
FEN = 0.01 + 1e-9


def _loans(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    principal = rng.integers(10_000_000, 200_000_001, n) / 100.0  # 100k–2M yuan, whole fen
    return principal, rng.choice(RATES, n)


@pytest.fixture(scope="module")
def loans10k() -> tuple[np.ndarray, np.ndarray]:
    return _loans(N_SCHED)


@pytest.fixture(scope="module")
def loans1m() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    principal, rate = _loans(N_BIG, SEED + 1)
    months = np.random.default_rng(SEED + 2).integers(12, 361, N_BIG)
    return principal, rate, months


def _buffers(n: int = N_SCHED) -> tuple[np.ndarray, ...]:
    return tuple(np.empty((n, MONTHS)) for _ in range(4))


def _run(benchmark, fn, loans: int):
    fn()  # JIT warm-up (and first-touch of buffers) outside the timed call
    benchmark.extra_info["loans"] = loans
    return benchmark.pedantic(fn, **ROUNDS)


# --- 1. equal installment, 10k x 360 ------------------------------------------------------


@pytest.mark.benchmark(group="schedule-installment-10k")
@pytest.mark.parametrize(
    "impl", ["gjjcalc", "gjjcalc-out", "numpy_financial", "floor-write", "floor-write-fresh"]
)
def test_schedule_installment(benchmark, loans10k, impl: str) -> None:
    p, r = loans10k
    period = np.arange(1, MONTHS + 1)[None, :]
    if impl == "gjjcalc":
        res = _run(benchmark, lambda: batch.schedules(p, r, MONTHS), N_SCHED)
        pay, inte = res.payment, res.interest
    elif impl == "gjjcalc-out":
        out = _buffers()
        res = _run(benchmark, lambda: batch.schedules(p, r, MONTHS, out=out), N_SCHED)
        pay, inte = res.payment, res.interest
    elif impl == "numpy_financial":
        rate = (r / 12.0)[:, None]
        pv = p[:, None]

        def peer() -> tuple[np.ndarray, np.ndarray]:
            return npf.ipmt(rate, period, MONTHS, pv), npf.ppmt(rate, period, MONTHS, pv)

        i, q = _run(benchmark, peer, N_SCHED)
        pay, inte = -(i + q), -i
    elif impl == "floor-write":
        out = _buffers()

        def floor() -> None:
            for a in out:
                a.fill(1.0)

        _run(benchmark, floor, N_SCHED)
        assert all((a == 1.0).all() for a in out)
        return
    else:  # the floor of fresh outputs: allocate the four arrays and write them once

        def floor_fresh() -> tuple[np.ndarray, ...]:
            arrays = _buffers()
            for a in arrays:
                a.fill(1.0)
            return arrays

        assert all((a == 1.0).all() for a in _run(benchmark, floor_fresh, N_SCHED))
        return
    want = np.round(npf.pmt(r / 12.0, MONTHS, -p), 2)
    assert np.abs(np.round(pay[:, 0], 2) - want).max() <= FEN
    want_i1 = np.round(p * r / 12.0, 2)
    assert np.abs(np.round(inte[:, 0], 2) - want_i1).max() <= FEN


# --- 2. equal principal, 10k x 360 --------------------------------------------------------


def _principal_numpy(p: np.ndarray, r: np.ndarray, out: tuple[np.ndarray, ...]) -> None:
    pay, prin, inte, bal = out
    k = np.arange(1, MONTHS + 1)[None, :]
    part = (p / MONTHS)[:, None]
    np.multiply(part, np.ones((1, MONTHS)), out=prin)
    np.multiply(part, (MONTHS - k), out=bal)  # balance after period k
    np.add(bal, prin, out=inte)  # balance before period k
    np.multiply(inte, (r / 12.0)[:, None], out=inte)
    np.add(prin, inte, out=pay)


@pytest.mark.benchmark(group="schedule-principal-10k")
@pytest.mark.parametrize("impl", ["gjjcalc", "gjjcalc-out", "numpy-broadcast", "numpy-broadcast-fresh"])
def test_schedule_principal(benchmark, loans10k, impl: str) -> None:
    p, r = loans10k
    out = _buffers()
    if impl == "numpy-broadcast":  # into preallocated buffers, like gjjcalc-out
        _run(benchmark, lambda: _principal_numpy(p, r, out), N_SCHED)
        pay = out[0]
    elif impl == "numpy-broadcast-fresh":  # allocating its outputs, like gjjcalc

        def fresh() -> tuple[np.ndarray, ...]:
            arrays = _buffers()
            _principal_numpy(p, r, arrays)
            return arrays

        pay = _run(benchmark, fresh, N_SCHED)[0]
    else:
        kw = {"out": out} if impl == "gjjcalc-out" else {}
        res = _run(
            benchmark,
            lambda: batch.schedules(p, r, MONTHS, method="equal_principal", **kw),
            N_SCHED,
        )
        pay = res.payment
        peer = _buffers()
        _principal_numpy(p, r, peer)
        assert np.abs(pay[:, 0] - np.round(peer[0][:, 0], 2)).max() <= FEN
    assert np.abs(pay[:, 0] - np.round(p / MONTHS + p * r / 12.0, 2)).max() <= FEN


# --- 3. ledger vs float ---------------------------------------------------------------------


@pytest.mark.benchmark(group="schedule-ledger-vs-float")
@pytest.mark.parametrize("impl", ["center", "ledger"])
def test_schedule_ledger_vs_float(benchmark, loans10k, impl: str) -> None:
    p, r = loans10k
    out = _buffers()
    res = _run(benchmark, lambda: batch.schedules(p, r, MONTHS, convention=impl, out=out), N_SCHED)
    want = np.round(npf.pmt(r / 12.0, MONTHS, -p), 2)
    assert np.abs(res.payment[:, 0] - want).max() <= FEN
    assert np.abs(res.balance[:, -1]).max() == 0.0


# --- 4. payments on 1M loans ------------------------------------------------------------------


@pytest.mark.benchmark(group="payments-1M")
@pytest.mark.parametrize("impl", ["gjjcalc", "numpy_financial"])
def test_payments(benchmark, loans1m, impl: str) -> None:
    p, r, n = loans1m
    if impl == "gjjcalc":
        got = _run(benchmark, lambda: batch.payments(p, r, n), N_BIG)
    else:
        got = np.round(_run(benchmark, lambda: npf.pmt(r / 12.0, n, -p), N_BIG), 2)
    want = np.round(npf.pmt(r / 12.0, n, -p), 2)
    assert np.abs(got - want).max() <= FEN


# --- 5. prepay / reprice on 1M loans ----------------------------------------------------------


@pytest.mark.benchmark(group="prepay-1M")
@pytest.mark.parametrize("impl", ["gjjcalc"])
def test_prepay(benchmark, loans1m, impl: str) -> None:
    bal, r, n = loans1m
    amount = np.minimum(50_000.0, bal)
    res = _run(benchmark, lambda: batch.prepay(bal, r, n, amount=amount, days=15, mode="lower_payment"), N_BIG)
    assert np.abs(res.new_balance - (bal - amount)).max() <= FEN
    want = np.round(npf.pmt(r / 12.0, n, -(bal - amount)), 2)
    assert np.abs(res.payment - want).max() <= FEN


@pytest.mark.benchmark(group="reprice-1M")
@pytest.mark.parametrize("impl", ["gjjcalc"])
def test_reprice(benchmark, loans1m, impl: str) -> None:
    bal, r, n = loans1m
    got = _run(benchmark, lambda: batch.reprice(bal, new_rate=r, remaining_months=n), N_BIG)
    want = np.round(npf.pmt(r / 12.0, n, -bal), 2)
    assert np.abs(got - want).max() <= FEN


# --- 6. import cost in a fresh process --------------------------------------------------------

IMPORT_CODE = {
    "import gjjcalc": "import gjjcalc",
    "import gjjcalc.batch + first call": (
        "import gjjcalc.batch as b; b.payments(690000, 0.0325, 300)"
    ),
}
IMPORT_REPS = 7


@pytest.mark.benchmark(group="import")
@pytest.mark.parametrize("impl", list(IMPORT_CODE))
def test_import_cost(benchmark, impl: str) -> None:
    code = (
        "import time; t = time.perf_counter(); "
        + IMPORT_CODE[impl]
        + "; print(time.perf_counter() - t)"
    )
    seconds: list[float] = []

    def fresh() -> None:
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
        seconds.append(float(done.stdout.strip().splitlines()[-1]))

    fresh()  # populates numba's on-disk cache, like any first run
    seconds.clear()
    benchmark.pedantic(fresh, rounds=IMPORT_REPS, iterations=1)
    benchmark.extra_info["in_process_seconds"] = seconds
    benchmark.extra_info["in_process_median"] = statistics.median(seconds)
    assert len(seconds) == IMPORT_REPS
