"""The first batch call of a process, cold (compiling) and warm (numba's disk cache), per function.

A process's first call of each batch function compiles its kernels, or loads them from numba's
on-disk cache. Each benchmark here runs that first call in a new Python process:

- ``cold``: ``NUMBA_CACHE_DIR`` is a new, empty directory, so every kernel the call needs is
  compiled (what a container pays on its first request when the image was built without
  ``python -m gjjcalc.batch --compile``);
- ``warm``: ``NUMBA_CACHE_DIR`` already holds every kernel (filled once by ``warmup()``), so
  they are loaded (what that first request costs after the build step).

The timed value is the whole process (start, ``import gjjcalc.batch``, the call);
``extra_info`` holds the first call alone (``first_call_s``), measured inside the process, and
``import_s``. The last group does the same for ``gjjcalc.batch.warmup()``, every kernel at once.
Each run checks the value the call returned, so a benchmark is also a test.

Run with ``make bench`` (or ``pytest benchmarks/test_bench_compile.py --benchmark-enable
--benchmark-only``); cold runs take seconds each.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

# name -> (the first call, the value it prints, the expected text)
CALLS: dict[str, tuple[str, str]] = {
    "summaries": ("r = b.summaries([690000.0], 0.0325, [300])", "f'{r.total_interest[0]:.2f}'"),
    "payments": ("r = b.payments([690000.0], 0.0325, [300])", "f'{r[0]:.2f}'"),
    "balances_after": ("r = b.balances_after([690000.0], 0.0325, [300], k=[28])", "f'{r[0]:.2f}'"),
    "schedules": ("r = b.schedules([690000.0], 0.0325, [300])", "f'{r.balance[0, 27]:.2f}'"),
    "reprice": ("r = b.reprice([646609.84], new_rate=0.031, remaining_months=[272])", "f'{r[0]:.2f}'"),
    "prepay": ("r = b.prepay([646609.84], 0.0325, [272], amount=10000.0, days=12, mode='lower_payment')",
               "f'{r.payment[0]:.2f}'"),
    "payoff": ("r = b.payoff([646609.84], 0.0325, days=12)", "f'{r.total[0]:.2f}'"),
    "warmup": ("r = b.warmup()", "'done'"),
}
EXPECTED = {
    "summaries": "318744.90",  # the Jilin center's loan: 690,000 at 3.25% over 300 months
    "payments": "3362.48",
    "balances_after": "646609.84",
    "schedules": "646609.84",
    "reprice": "",  # no published figure: the same call in this process (compiled already)
    "prepay": "",
    "payoff": "647310.33",
    "warmup": "done",
}
ROUNDS = {"cold": 2, "warm": 3}

SCRIPT = """\
import json, time
t0 = time.perf_counter()
import gjjcalc.batch as b
t1 = time.perf_counter()
{call}
t2 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "first_call_s": t2 - t1, "value": {value}}}))
"""


def _expected(name: str) -> str:
    if EXPECTED[name]:
        return EXPECTED[name]
    import gjjcalc.batch as b

    call, value = CALLS[name]
    scope: dict[str, Any] = {"b": b}
    exec(call, scope)
    return str(eval(value, scope))


def _first_call(name: str, cache: Path) -> dict[str, Any]:
    call, value = CALLS[name]
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    env.pop("NUMBA_DISABLE_JIT", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(call=call, value=value)],
                         capture_output=True, text=True, check=True, env=env, timeout=900)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A numba cache directory holding every kernel (``warmup()`` run once in it)."""
    cache = tmp_path_factory.mktemp("numba-cache-warm")
    _first_call("warmup", cache)
    return cache


@pytest.mark.parametrize("cache", ["cold", "warm"])
@pytest.mark.parametrize("name", list(CALLS))
def test_first_call_in_a_new_process(benchmark, request, name: str, cache: str) -> None:
    benchmark.group = f"first-call-{name}"
    runs: list[dict[str, Any]] = []
    fresh: list[tempfile.TemporaryDirectory[str]] = []

    def setup() -> tuple[tuple[Path], dict[str, Any]]:
        if cache == "warm":
            return (request.getfixturevalue("warm_cache"),), {}
        fresh.append(tempfile.TemporaryDirectory(prefix="numba-cache-cold-"))
        return (Path(fresh[-1].name),), {}

    def run(directory: Path) -> None:
        runs.append(_first_call(name, directory))

    try:
        benchmark.pedantic(run, setup=setup, rounds=ROUNDS[cache], iterations=1)
    finally:
        for d in fresh:
            d.cleanup()
    expected = _expected(name)
    assert all(r["value"] == expected for r in runs), (runs, expected)
    benchmark.extra_info["cache"] = cache
    benchmark.extra_info["first_call_s"] = round(statistics.median(r["first_call_s"] for r in runs), 3)
    benchmark.extra_info["import_s"] = round(statistics.median(r["import_s"] for r in runs), 3)
    if cache == "warm" and name != "warmup":
        # loading from the cache is what the build step buys: well under the cold compile
        assert benchmark.extra_info["first_call_s"] < 2.0
