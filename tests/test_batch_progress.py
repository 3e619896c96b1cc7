"""Chunked batch runs with a progress bar (issue 7): same results, a bar that counts loans."""

from __future__ import annotations

import functools
import io
import os
import sys
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import InputError, batch
from gjjcalc.amortize import batch as batch_module
from gjjcalc.conventions import Convention, Method
from gjjcalc.testing import portfolios

JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") != "1"
EXAMPLES = 25 if JIT else 5


def _calls(p, size, rng):
    """Every batch function that takes chunk_size, on one portfolio."""
    k = (rng.random(size) * (p.months + 1)).astype(np.int64)
    amount = np.floor(p.principal * 100 * rng.integers(0, 10_001, size) / 10_000) / 100
    modes = rng.choice(["lower_payment", "shorten_term"], size).tolist()
    days = rng.integers(0, 40, size)
    return {
        "summaries": (batch.summaries, (*p,), {}),
        "payments": (batch.payments, (*p,), {}),
        "balances_after": (batch.balances_after, (*p,), {"k": k}),
        "reprice": (batch.reprice, (p.principal,), {"new_rate": p.annual_rate, "remaining_months": p.months}),
        "schedules": (batch.schedules, (*p,), {}),
        "prepay": (batch.prepay, (p.principal, p.annual_rate, p.months),
                   {"amount": amount, "days": days, "mode": modes}),
        "payoff": (batch.payoff, (p.principal, p.annual_rate), {"days": days}),
    }


def _same(a, b) -> None:
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype
        assert (a == b).all()
        return
    for field in a._fields:
        _same(getattr(a, field), getattr(b, field))


@settings(max_examples=EXAMPLES, deadline=None)
@given(portfolios(max_size=40), st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]), st.sampled_from(list(Convention)),
       st.integers(1, 45), st.randoms(use_true_random=False))
def test_chunked_results_equal_the_unchunked_call(p, method, conv, chunk, rnd) -> None:
    rng = np.random.default_rng(rnd.randrange(2**32))
    size = len(p.principal)
    bad = rng.random(size) < 0.15  # masked rows must stay where they are
    p = p._replace(principal=np.where(bad, -1.0, p.principal))
    for name, (fn, args, kw) in _calls(p, size, rng).items():
        if name != "payoff":
            kw = {**kw, "method": method, "convention": conv}
        whole = fn(*args, errors="mask", **kw)
        chunked = fn(*args, errors="mask", chunk_size=chunk, **kw)
        _same(whole, chunked)


def test_a_bad_row_in_a_later_chunk_is_named_by_its_row_in_the_whole_call() -> None:
    p = np.full(10, 1000.0)
    p[7] = -5.0
    with pytest.raises(InputError, match=r"principal\[7\]=-5.0"):
        batch.summaries(p, 0.03, 12, chunk_size=3)
    amount = np.full(10, 10.0)
    amount[8] = 2000.0
    with pytest.raises(InputError, match=r"amount\[8\]=2000.0"):
        batch.prepay(np.full(10, 1000.0), 0.03, 12, amount=amount, days=5, mode="lower_payment", chunk_size=4)


def test_schedules_with_out_buffers_are_filled_chunk_by_chunk() -> None:
    principal = np.linspace(100_000, 1_000_000, 11).round(2)
    out = tuple(np.full((11, 300), 7.0) for _ in range(4))
    got = batch.schedules(principal, 0.031, [300] * 10 + [2], out=out, chunk_size=4)
    assert got.payment is out[0]
    whole = batch.schedules(principal, 0.031, [300] * 10 + [2])
    _same(got, whole)
    assert not out[0][10, 2:].any()


# --- the bar --------------------------------------------------------------------------------


class FakeBar:
    """Records what the batch engine asks of tqdm."""

    made: ClassVar[list[FakeBar]] = []

    def __init__(self, total: int, **kwargs: object) -> None:
        self.total = total
        self.kwargs = kwargs
        self.updates: list[int] = []
        self.closed = False
        FakeBar.made.append(self)

    def update(self, n: int) -> None:
        self.updates.append(n)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_tqdm(monkeypatch):
    tqdm_auto = pytest.importorskip("tqdm.auto")
    FakeBar.made = []
    monkeypatch.setattr(tqdm_auto, "tqdm", FakeBar)
    return FakeBar.made


def test_progress_updates_the_bar_once_per_chunk_with_the_rows_done(fake_tqdm) -> None:
    got = batch.payments(np.full(10, 1000.0), 0.03, 12, chunk_size=4, progress=True)
    assert got.tolist() == [84.69] * 10
    (bar,) = fake_tqdm
    assert bar.total == 10
    assert bar.updates == [4, 4, 2]
    assert bar.closed
    assert bar.kwargs["desc"] == "gjjcalc.batch.payments"
    assert bar.kwargs["unit"] == "loan"


def test_progress_without_chunk_size_picks_about_a_hundred_chunks(fake_tqdm) -> None:
    size = 250_000 if JIT else 20_000
    got = batch.summaries(np.full(size, 1000.0), 0.03, 12, progress=True)
    expected = float(gjjcalc.equal_installment("1000", "0.03", 12).total_interest)
    assert got.total_interest[0] == got.total_interest[-1] == expected == 16.33
    (bar,) = fake_tqdm
    rows = max(batch_module.MIN_CHUNK, -(-size // batch_module.DEFAULT_CHUNKS))
    assert bar.updates[0] == rows
    assert sum(bar.updates) == size
    assert len(bar.updates) == -(-size // rows) <= batch_module.DEFAULT_CHUNKS
    batch.payments([1000.0], 0.03, 12, progress=True)  # a small call: one chunk
    assert fake_tqdm[1].updates == [1]


def test_the_bar_is_closed_when_a_chunk_raises(fake_tqdm) -> None:
    # row 5's lower_payment leaves 0.03 yuan, whose payment over 600 months rounds to 0:
    # found while its chunk is computed
    with pytest.raises(InputError, match=r"amount\[5\]"):
        batch.prepay(1000.0, 0.03, 600, amount=np.r_[np.full(5, 10.0), 999.97],
                     days=5, mode="lower_payment", chunk_size=2, progress=True)
    (bar,) = fake_tqdm
    assert bar.updates == [2, 2]
    assert bar.closed


def test_real_tqdm_draws_on_the_stream_it_is_given(monkeypatch) -> None:
    tqdm_auto = pytest.importorskip("tqdm.auto")
    import tqdm.std

    stream = io.StringIO()
    monkeypatch.setattr(tqdm_auto, "tqdm", functools.partial(tqdm.std.tqdm, file=stream, ascii=True))
    batch.schedules(np.full(30, 1000.0), 0.03, 12, chunk_size=7, progress=True)
    text = stream.getvalue()
    assert "gjjcalc.batch.schedules" in text
    assert "100%" in text
    assert "30/30" in text


def test_no_progress_no_tqdm_import(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # importing it would fail
    assert batch.payments([1000.0] * 3, 0.03, 12, chunk_size=2).tolist() == [84.69] * 3
    with pytest.raises(ImportError, match=r"gjjcalc\[progress\]"):
        batch.payments([1000.0], 0.03, 12, progress=True)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "100", np.float64(10.0)])
def test_chunk_size_must_be_a_whole_number_of_rows(bad) -> None:
    for fn, args, kwargs in [(batch.payments, (1000.0, 0.03, 12), {}),
                             (batch.payoff, (1000.0, 0.03), {"days": 5}),
                             (batch.schedules, (1000.0, 0.03, 12), {})]:
        with pytest.raises(InputError, match=r"chunk_size=.* whole number of rows"):
            fn(*args, **kwargs, chunk_size=bad)
    assert batch.payments(1000.0, 0.03, 12, chunk_size=np.int64(5)).tolist() == [84.69]


def test_progress_must_be_a_bool() -> None:
    with pytest.raises(InputError, match="progress='yes'"):
        batch.summaries([1000.0], 0.03, 12, progress="yes")  # type: ignore[arg-type]
