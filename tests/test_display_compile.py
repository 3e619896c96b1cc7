"""Compiling the batch kernels where a user can see it: the progress bar says "compiling" on a
first call, ``gjjcalc.batch.warmup()`` is public and ``python -m gjjcalc.batch --compile``
compiles every kernel in a container image's build step."""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import gjjcalc.batch
from gjjcalc.amortize import batch as engine

JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") != "1"


def _bar_text(monkeypatch: pytest.MonkeyPatch, call) -> str:
    tqdm_auto = pytest.importorskip("tqdm.auto")
    import tqdm.std

    stream = io.StringIO()
    monkeypatch.setattr(tqdm_auto, "tqdm", functools.partial(tqdm.std.tqdm, file=stream, ascii=True,
                                                              mininterval=0))
    call()
    return stream.getvalue().replace("\r", "\n")


def test_the_bar_says_compiling_until_the_first_chunk_of_a_first_call_is_done(monkeypatch):
    monkeypatch.setattr(engine, "_called", set())  # as in a fresh process
    text = _bar_text(monkeypatch, lambda: gjjcalc.batch.payments(
        np.full(40, 1000.0), 0.03, 12, chunk_size=10, progress=True))
    lines = [line for line in text.splitlines() if "gjjcalc.batch.payments" in line]
    if JIT:
        assert "0/40" in lines[0]
        assert "compiling" in lines[0]
    assert not any("compiling" in line for line in lines[1:])  # gone once a chunk is done
    assert "40/40" in lines[-1]
    assert "payments" in engine._called


def test_a_second_call_does_not_say_compiling(monkeypatch):
    gjjcalc.batch.summaries([1000.0], 0.03, 12)  # compiled in this process
    text = _bar_text(monkeypatch, lambda: gjjcalc.batch.summaries(
        np.full(40, 1000.0), 0.03, 12, chunk_size=10, progress=True))
    assert "gjjcalc.batch.summaries" in text
    assert "compiling" not in text


def test_warmup_marks_every_function_compiled(monkeypatch):
    monkeypatch.setattr(engine, "_called", set())
    gjjcalc.batch.warmup()
    assert {"summaries", "payments", "balances_after", "schedules", "reprice", "prepay",
            "payoff"} <= engine._called


def test_warmup_is_public_in_gjjcalc_batch():
    assert gjjcalc.batch.warmup is engine.warmup
    assert "warmup" in gjjcalc.batch.__all__
    assert "warmup" in dir(gjjcalc.batch)


def test_python_m_gjjcalc_batch_compile_prints_the_seconds():
    out = subprocess.run([sys.executable, "-m", "gjjcalc.batch", "--compile"], capture_output=True,
                         text=True, check=True, timeout=600)
    assert re.fullmatch(r"gjjcalc\.batch: kernels compiled or loaded in \d+\.\d{3} s; "
                        r"(cached on disk|not cached \(no writable cache directory\))\n", out.stdout)


def test_python_m_gjjcalc_batch_without_compile_shows_its_usage():
    out = subprocess.run([sys.executable, "-m", "gjjcalc.batch"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2
    assert "--compile" in out.stdout
