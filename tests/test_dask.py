"""gjjcalc.dask: the batch engine over dask DataFrames equals the in-memory batch, row for row."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

import gjjcalc.dask as gd  # noqa: E402
from gjjcalc import InputError, batch  # noqa: E402

JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") != "1"
N_BIG = 100_000
SYNC = {"scheduler": "sync"}


def _what_if(part: pd.DataFrame) -> pd.DataFrame:
    """Prepayment columns derived row by row from the loan itself (deterministic)."""
    fen = np.round(part["principal"].to_numpy() * 100).astype(np.int64)
    share = np.arange(part.index[0], part.index[0] + len(part)) % 10_001 if len(part) else 0
    return pd.DataFrame(
        {
            "balance": part["principal"],
            "annual_rate": part["annual_rate"],
            "remaining_months": part["months"],
            "amount": (fen * share // 10_000) / 100.0,
            "days": part["months"] % 41,
            "mode": np.where(part["months"] % 2 == 0, "lower_payment", "shorten_term"),
        },
        index=part.index,
    )


def _prepay_frame(loans: dd.DataFrame) -> dd.DataFrame:
    meta = pd.DataFrame(
        {"balance": np.empty(0), "annual_rate": np.empty(0), "remaining_months": np.empty(0, np.int64),
         "amount": np.empty(0), "days": np.empty(0, np.int64), "mode": np.empty(0, object)},
        index=pd.RangeIndex(0, 0),
    )
    return loans.map_partitions(_what_if, meta=meta)


def _assert_frames_equal(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    assert got.index.equals(expected.index)
    for col in expected.columns:
        assert got[col].dtype == expected[col].dtype, col
        assert np.array_equal(got[col].to_numpy(), expected[col].to_numpy()), col


# --- the dask path equals the in-memory batch -------------------------------------------------


@pytest.fixture(scope="module")
def big() -> tuple[dd.DataFrame, pd.DataFrame]:
    loans = gd.synthetic_portfolio(N_BIG, partitions=7, seed=11)
    return loans, loans.compute()


@pytest.mark.jit_only
@pytest.mark.parametrize("convention", ["center", "ledger", "exact"])
@pytest.mark.parametrize("method", ["equal_installment", "equal_principal"])
def test_summaries_of_100k_loans_equal_the_in_memory_batch_exactly(
    big: tuple[dd.DataFrame, pd.DataFrame], method: str, convention: str
) -> None:
    loans, frame = big
    got = gd.summaries(loans, method=method, convention=convention)
    assert got.divisions == loans.divisions
    computed = got.compute()
    expected = batch.from_frame(frame, batch.summaries, method=method, convention=convention).to_frame()
    expected.index = frame.index
    assert len(computed) == N_BIG
    assert not computed["status"].any()
    _assert_frames_equal(computed, expected)


@pytest.mark.jit_only
def test_prepay_and_payoff_of_100k_loans_equal_the_in_memory_batch_exactly(
    big: tuple[dd.DataFrame, pd.DataFrame],
) -> None:
    loans, _ = big
    what_if = _prepay_frame(loans)
    frame = what_if.compute()
    assert frame["amount"].max() > 0
    assert set(frame["mode"]) == {"lower_payment", "shorten_term"}
    got = gd.prepay(what_if, convention="ledger").compute()
    expected = batch.prepay(frame["balance"].to_numpy(), frame["annual_rate"].to_numpy(),
                            frame["remaining_months"].to_numpy(), amount=frame["amount"].to_numpy(),
                            days=frame["days"].to_numpy(), mode=frame["mode"].to_numpy(),
                            convention="ledger").to_frame()
    expected.index = frame.index
    _assert_frames_equal(got, expected)
    assert (got["remaining_months"] <= frame["remaining_months"]).all()

    quote = gd.payoff(what_if).compute()
    expected_quote = batch.from_frame(frame, batch.payoff).to_frame()
    expected_quote.index = frame.index
    _assert_frames_equal(quote, expected_quote)
    assert np.array_equal(quote["principal"].to_numpy(), frame["balance"].to_numpy())


# --- small portfolios: every function, meta, index, errors (fast without the JIT too) ---------


@pytest.fixture
def small() -> tuple[dd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame(
        {
            "principal": [690000.0, 1_000_000.0, 120_000.0, 4.8, 50_000.0],
            "annual_rate": [0.0325, 0.049, 0.03, 0.0375, 0.026],
            "months": [300, 360, 1, 1, 24],
            "k": [28, 0, 1, 0, 12],
        },
        index=pd.Index([101, 102, 205, 206, 307], name="loan_id"),
    )
    return dd.from_pandas(frame, npartitions=3, sort=True), frame


def test_small_portfolio_summaries_by_hand_with_the_index_and_divisions_kept(
    small: tuple[dd.DataFrame, pd.DataFrame],
) -> None:
    loans, _ = small
    got = gd.summaries(loans)
    assert got.divisions == loans.divisions
    assert got.npartitions == 3
    out = got.compute(**SYNC)
    assert out.index.tolist() == [101, 102, 205, 206, 307]
    assert out.index.name == "loan_id"
    # seed 001's 3362.48; 1,000,000 at 4.9% over 360: 5307.27; 120,000 at 3% for a month: 120,300
    assert out["first_payment"].tolist()[:3] == [3362.48, 5307.27, 120300.0]
    # 4.80 yuan at 3.75% for a month: interest 1.5 fen, a tie, rounds up to 2 fen
    assert out.loc[206, "total_interest"] == 0.02
    assert out.loc[206, "total_payment"] == 4.82


@pytest.mark.parametrize(
    ("function", "kwargs", "columns"),
    [
        (gd.summaries, {}, ["total_interest", "total_payment", "first_payment", "last_payment", "status"]),
        (gd.payments, {}, "payment"),
        (gd.balances_after, {}, "balance"),
        (gd.reprice, {"new_rate": 0.031}, "payment"),
        (gd.prepay, {"amount": 1, "days": 11, "mode": "lower_payment"},
         ["interest", "total", "new_balance", "remaining_months", "payment", "interest_saved", "status"]),
        (gd.payoff, {"days": 12}, ["principal", "interest", "total", "status"]),
    ],
)
def test_meta_names_and_dtypes_match_what_the_batch_returns(
    small: tuple[dd.DataFrame, pd.DataFrame], function: object, kwargs: dict[str, object],
    columns: list[str] | str,
) -> None:
    loans, frame = small
    if function in (gd.reprice, gd.prepay, gd.payoff):
        loans = loans.rename(columns={"principal": "balance", "months": "remaining_months"})
        frame = frame.rename(columns={"principal": "balance", "months": "remaining_months"})
    result = function(loans, **kwargs)  # type: ignore[operator]
    out = result.compute(**SYNC)
    if isinstance(columns, str):
        assert result.name == out.name == columns
        assert result.dtype == out.dtype == np.float64
        assert out.index.equals(frame.index)
        return
    assert list(result.columns) == list(out.columns) == columns
    assert result.dtypes.to_dict() == out.dtypes.to_dict()
    assert out["status"].dtype == np.int8
    assert out.index.equals(frame.index)


def test_every_function_equals_its_batch_function_on_a_small_portfolio(
    small: tuple[dd.DataFrame, pd.DataFrame],
) -> None:
    loans, frame = small
    p, r, n, k = (frame[c].to_numpy() for c in ("principal", "annual_rate", "months", "k"))
    assert gd.payments(loans, convention="ledger").compute(**SYNC).tolist() == \
        batch.payments(p, r, n, convention="ledger").tolist()
    assert gd.balances_after(loans, convention="ledger").compute(**SYNC).tolist() == \
        batch.balances_after(p, r, n, k=k, convention="ledger").tolist()
    assert gd.balances_after(loans.drop(columns="k"), k=1).compute(**SYNC).tolist() == \
        batch.balances_after(p, r, n, k=1).tolist()
    assert gd.balances_after(loans, convention="ledger").compute(**SYNC).tolist()[0] == 646609.83
    moved = loans.rename(columns={"principal": "balance", "months": "remaining_months"})
    assert gd.reprice(moved, new_rate=0.031, method="equal_principal").compute(**SYNC).tolist() == \
        batch.reprice(p, new_rate=0.031, remaining_months=n, method="equal_principal").tolist()
    got = gd.prepay(moved, amount=1000, days=11, mode="shorten_term", recompute_payment=True,
                    errors="mask").compute(**SYNC)
    expected = batch.prepay(p, r, n, amount=1000, days=11, mode="shorten_term", recompute_payment=True,
                            errors="mask").to_frame()
    expected.index = frame.index
    _assert_frames_equal(got, expected)
    assert got["status"].tolist() == [0, 0, 0, 5, 0]  # 1,000 is more than the 4.80 balance
    assert got.loc[101, "interest"] == 0.99  # 1,000 × 3.25% / 360 × 11 days = 0.993


def test_a_method_column_is_read_per_loan(small: tuple[dd.DataFrame, pd.DataFrame]) -> None:
    _, frame = small
    methods = ["equal_installment", "equal_principal"] * 2 + ["equal_principal"]
    with_method = dd.from_pandas(frame.assign(method=methods), npartitions=2, sort=True)
    got = gd.summaries(with_method).compute(**SYNC)
    p, r, n = (frame[c].to_numpy() for c in ("principal", "annual_rate", "months"))
    assert got["first_payment"].tolist() == batch.summaries(p, r, n, method=methods).first_payment.tolist()
    assert got.loc[102, "first_payment"] == 6861.11  # equal principal, 1,000,000 at 4.9% over 360
    with pytest.raises(InputError, match=r"method='equal_principal' .* not both"):
        gd.summaries(with_method, method="equal_principal")


def test_seed_001_prepayment_rows_from_columns() -> None:
    frame = pd.DataFrame({"balance": [646609.84] * 2, "annual_rate": 0.0325, "remaining_months": 272,
                          "payment": 3362.48, "amount": 10_000.0, "days": [11, 12],
                          "mode": ["lower_payment", "shorten_term"]})
    got = gd.prepay(dd.from_pandas(frame, npartitions=2)).compute(**SYNC)
    assert got["interest"].tolist() == [9.93, 10.83]
    assert got["total"].tolist() == [10009.93, 10010.83]
    assert got["new_balance"].tolist() == [636609.84, 636609.84]
    assert got["remaining_months"].tolist() == [272, 266]
    assert got["payment"].tolist() == [3310.48, 3362.48]
    quote = gd.payoff(dd.from_pandas(frame, npartitions=1)).compute(**SYNC)  # days from the column
    assert quote.loc[1, "interest"] == 700.49  # seed 001's payoff: 12 days at 3.25% / 360
    assert quote.loc[1, "total"] == 647310.33


# --- errors ---------------------------------------------------------------------------------


def test_a_bad_row_is_named_by_its_index_label_or_masked(small: tuple[dd.DataFrame, pd.DataFrame]) -> None:
    _, frame = small
    bad = frame.copy()
    bad.loc[205, "principal"] = -5.0
    loans = dd.from_pandas(bad, npartitions=2, sort=True)
    with pytest.raises(InputError, match=r"principal\[205\]=-5.0 is out of range"):
        gd.summaries(loans).compute(**SYNC)
    masked = gd.summaries(loans, errors="mask").compute(**SYNC)
    assert masked["status"].tolist() == [0, 0, 1, 0, 0]
    assert masked.loc[205, "first_payment"] == 0.0
    assert masked.loc[101, "first_payment"] == 3362.48
    labelled = dd.from_pandas(bad.set_index(pd.Index(list("abcde"), name="id")), npartitions=1)
    with pytest.raises(InputError, match=r"principal\['c'\]=-5.0"):
        gd.payments(labelled).compute(**SYNC)


def test_missing_columns_conflicts_and_bad_options_fail_when_the_graph_is_built(
    small: tuple[dd.DataFrame, pd.DataFrame],
) -> None:
    loans, frame = small
    with pytest.raises(InputError, match=r"balance=None .* a column 'balance' of the loans or a keyword"):
        gd.payoff(loans, days=3)
    with pytest.raises(InputError, match=r"new_rate=None .* a column 'new_rate'"):
        gd.reprice(loans.rename(columns={"principal": "balance", "months": "remaining_months"}))
    with pytest.raises(InputError, match=r"k=3 .* not both"):
        gd.balances_after(loans, k=3)
    with pytest.raises(InputError, match="convention='bank'"):
        gd.summaries(loans, convention="bank")
    with pytest.raises(InputError, match="method='balloon'"):
        gd.payments(loans, method="balloon")
    with pytest.raises(InputError, match="errors='ignore'"):
        gd.summaries(loans, errors="ignore")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="errors='ignore'"):
        gd.payoff(loans, errors="ignore")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="mode='sooner'"):
        gd.prepay(loans, mode="sooner")
    with pytest.raises(InputError, match=r"loans='DataFrame' .* a dask DataFrame"):
        gd.summaries(frame)


# --- the synthetic portfolio ----------------------------------------------------------------


def test_a_ten_million_loan_portfolio_is_lazy_and_cheap_to_build() -> None:
    start = time.perf_counter()
    loans = gd.synthetic_portfolio(10_000_000, seed=3)
    result = gd.summaries(loans)
    assert time.perf_counter() - start < 2.0
    assert loans.npartitions == 10
    assert loans.divisions == (*range(0, 10_000_000, 1_000_000), 9_999_999)
    assert result.npartitions == 10
    assert list(loans.columns) == ["principal", "annual_rate", "months"]


def test_synthetic_partitions_are_seeded_realistic_and_independent() -> None:
    loans = gd.synthetic_portfolio(1_000, partitions=3, seed=5)
    whole = loans.compute(**SYNC)
    assert whole.index.tolist() == list(range(1_000))
    assert loans.divisions == (0, 333, 666, 999)
    again = gd.synthetic_portfolio(1_000, partitions=3, seed=5).partitions[2].compute(**SYNC)
    assert again.equals(whole.loc[666:])
    other = gd.synthetic_portfolio(1_000, partitions=3, seed=6).compute(**SYNC)
    assert not other.equals(whole)
    fen = whole["principal"].to_numpy() * 100
    assert np.array_equal(np.round(fen), np.round(fen, 6))
    assert whole["principal"].between(50_000, 1_200_000).all()
    assert set(whole["annual_rate"]) <= set(gd.SYNTHETIC_RATES)
    assert len(set(whole["annual_rate"])) == len(gd.SYNTHETIC_RATES)
    assert whole["months"].between(12, 360).all()
    assert whole.dtypes.tolist() == [np.float64, np.float64, np.int64]
    assert not batch.from_frame(whole, batch.summaries).status.any()


def test_synthetic_portfolio_bad_arguments() -> None:
    with pytest.raises(InputError, match="n_loans=0"):
        gd.synthetic_portfolio(0)
    with pytest.raises(InputError, match=r"partitions=11 .* from 1 to n_loans=10"):
        gd.synthetic_portfolio(10, partitions=11)
    with pytest.raises(InputError, match="seed=-1"):
        gd.synthetic_portfolio(10, seed=-1)


# --- a LocalCluster of two worker processes -------------------------------------------------


@pytest.mark.jit_only
def test_a_local_cluster_of_two_processes_computes_the_same_summaries_from_cached_kernels() -> None:
    distributed = pytest.importorskip("distributed")
    loans = gd.synthetic_portfolio(N_BIG, partitions=8, seed=13)
    expected = gd.summaries(loans, convention="ledger").compute(scheduler="threads")  # fills the cache
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        pids = client.run(os.getpid)
        assert len(pids) == 2
        assert os.getpid() not in pids.values()
        got = gd.summaries(loans, convention="ledger").compute()  # the client is the default

        def kernel_cache_hits() -> int:  # defined here so that it is pickled by value
            from numba.core.dispatcher import Dispatcher

            from gjjcalc.amortize import _kernels

            return sum(sum(obj.stats.cache_hits.values()) for obj in vars(_kernels).values()
                       if isinstance(obj, Dispatcher))

        hits = client.run(kernel_cache_hits)
    _assert_frames_equal(got, expected)
    # both worker processes ran batch kernels, loaded from numba's on-disk cache
    assert len(hits) == 2
    assert all(h > 0 for h in hits.values()), hits


def test_a_non_numeric_column_value_is_an_input_error_naming_its_label():
    frame = pd.DataFrame({"principal": [690000.0, 1000.0], "annual_rate": [0.0325, 0.0325],
                          "months": ["300", "x"]}, index=["A-01", "B-02"])
    with pytest.raises(InputError, match=r"months\['B-02'\]='x' is out of range: expected a number"):
        gd.summaries(dd.from_pandas(frame, npartitions=1)).compute(scheduler="sync")
