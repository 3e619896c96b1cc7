"""gjjcalc.dask over a 10,000,000-loan synthetic portfolio, generated lazily (issue 7).

The portfolio is never whole in memory: each of its partitions is generated
from its own seeded RNG inside the task that needs it, summarized with
``gjjcalc.dask.summaries`` and reduced to one row of checks (rows, bad rows,
loans whose total repayment minus total interest is not the principal, and
the total interest in fen). Two schedulers: a ``LocalCluster`` of two worker
processes on loopback (one thread and one numba thread each) and dask's
default threaded scheduler in this process. Workers are warmed (imports,
numba's on-disk cache) outside the timed call; one partition's interest is
recomputed in memory with ``gjjcalc.batch`` to check the run.

Run: ``python -m pytest benchmarks/test_bench_dask.py --benchmark-enable --benchmark-only``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import gjjcalc.dask as gd  # noqa: E402
from gjjcalc import batch  # noqa: E402

N_LOANS = 10_000_000
PARTITIONS = 20
SEED = 2026
CHECKS = pd.DataFrame({name: np.empty(0, dtype=np.int64)
                       for name in ("rows", "bad", "unbalanced", "interest_fen")})


def _checks(result: pd.DataFrame, loans: pd.DataFrame) -> pd.DataFrame:
    """One row per partition: what the benchmark checks, computed next to the data."""
    principal = np.round(loans["principal"].to_numpy() * 100)
    interest = np.round(result["total_interest"].to_numpy() * 100)
    repaid = np.round(result["total_payment"].to_numpy() * 100) - interest
    return pd.DataFrame({
        "rows": [len(result)],
        "bad": [int(np.count_nonzero(result["status"].to_numpy()))],
        "unbalanced": [int(np.count_nonzero(repaid != principal))],
        "interest_fen": [int(interest.sum())],
    })


def _pipeline(n_loans: int, partitions: int) -> Any:
    loans = gd.synthetic_portfolio(n_loans, partitions=partitions, seed=SEED)
    return gd.summaries(loans).map_partitions(_checks, loans, meta=CHECKS)


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[Any]:
    # one worker thread each, and one numba thread each: two processes share two cores
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None,
                                  env={"NUMBA_NUM_THREADS": "1"}) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        yield client


@pytest.mark.benchmark(group="dask")
@pytest.mark.parametrize("impl", ["local-cluster-2-processes", "threads"])
def test_dask_summaries_10m_lazy_portfolio(benchmark, request, impl: str) -> None:
    if impl == "threads":
        batch.summaries([690000.0], [0.0325], [300])  # JIT / cache load outside the timed call

        def run() -> pd.DataFrame:
            return _pipeline(N_LOANS, PARTITIONS).compute(scheduler="threads")
    else:
        client = request.getfixturevalue("cluster_client")
        client.compute(_pipeline(100_000, 2)).result()  # warm both workers

        def run() -> pd.DataFrame:
            return client.compute(_pipeline(N_LOANS, PARTITIONS)).result()

    start = time.perf_counter()
    checks = benchmark.pedantic(run, rounds=1, iterations=1)
    stats = getattr(benchmark, "stats", None)  # None when benchmarks are disabled
    seconds = stats.stats.median if stats is not None else time.perf_counter() - start

    assert len(checks) == PARTITIONS
    assert int(checks["rows"].sum()) == N_LOANS
    assert int(checks["bad"].sum()) == 0
    assert int(checks["unbalanced"].sum()) == 0  # total repayment − total interest = the loan
    # one partition recomputed in memory, independently of dask's scheduling
    last = gd.synthetic_portfolio(N_LOANS, partitions=PARTITIONS, seed=SEED).partitions[-1]
    frame = last.compute(scheduler="sync")
    alone = batch.from_frame(frame, batch.summaries)
    assert len(frame) == int(checks["rows"].iloc[-1])
    assert int(np.round(alone.total_interest * 100).sum()) == int(checks["interest_fen"].iloc[-1])

    benchmark.extra_info["loans"] = N_LOANS
    benchmark.extra_info["loans_per_second"] = N_LOANS / seconds
    benchmark.extra_info["partitions"] = PARTITIONS
    benchmark.extra_info["scheduler"] = (
        "distributed.LocalCluster: 2 worker processes x 1 thread, NUMBA_NUM_THREADS=1, 127.0.0.1"
        if impl != "threads" else "dask threaded scheduler (this process)"
    )
    benchmark.extra_info["total_interest_yuan"] = int(checks["interest_fen"].sum()) / 100
