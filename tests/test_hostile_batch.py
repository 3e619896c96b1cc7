"""The batch engine under hostile input: it equals the single-loan API, or refuses with a status.

Each test is a case found by trying the engine as an attacker would (high rates over long
terms, rates a hair off the 7-place grid, outputs given twice, booleans as months).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import pytest

import gjjcalc
from gjjcalc import batch
from gjjcalc.amortize import batch as batch_module
from gjjcalc.errors import InputError

# --- payments that do not amortize: refused as the scalar API refuses them -------------------


@pytest.mark.parametrize(("principal", "rate", "months"), [(100, 1, 360), (1, 0.0325, 360)])
def test_a_loan_whose_rounded_payment_does_not_exceed_its_interest_is_refused(
    principal: float, rate: float, months: int
) -> None:
    # 100 yuan at 100 %: the interest is 100/12 = 8.333… and the payment rounds to 8.33;
    # 1 yuan at 3.25 % over 360 months: the payment 0.0044 rounds to 0.00
    assert Fraction(100) / 12 > Fraction("8.33")
    with pytest.raises(InputError, match=r"principal"):
        gjjcalc.equal_installment(principal, rate, months)
    with pytest.raises(InputError, match=r"principal\[0\]=.* first month's interest"):
        batch.summaries(principal, rate, months)
    masked = batch.summaries([principal, 690000], [rate, 0.0325], [months, 300], errors="mask")
    assert masked.status.tolist() == [batch_module.NO_REPAY, 0]
    assert masked.first_payment.tolist() == [0.0, 3362.48]
    for function in (batch.payments, batch.reprice):
        with pytest.raises(InputError, match=r"\[0\]"):
            function(principal, new_rate=rate, remaining_months=months) if function is batch.reprice \
                else function(principal, rate, months)


def test_ledger_compares_the_payment_with_its_rounded_interest() -> None:
    # 0.06 yuan at 100 % over 2 months: the annuity is 6·(1/12)·(13/12)²/((13/12)² − 1) fen
    r = Fraction(1, 12)
    g = (1 + r) ** 2
    annuity = 6 * r * g / (g - 1)
    def half_up(x: Fraction) -> int:
        return int(x + Fraction(1, 2))

    assert half_up(annuity) == 3  # 3.38 fen
    assert half_up(6 * r) == 1  # the interest 0.5 fen rounds to 1 fen
    s = batch.summaries(0.06, 1, 2, convention="ledger")
    assert s.first_payment.tolist() == [0.03]


# --- high rates over long terms: the float path is refused, not guessed ----------------------


def test_a_high_rate_long_loan_is_refused_by_the_batch_not_answered_wrongly() -> None:
    # the single-loan API: 100 yuan at 100 % over 600 months, exact: 600 payments of
    # 100·(1/12)·g/(g − 1) with g = (13/12)^600, whose total less 100 rounds to 4900.00
    r = Fraction(1, 12)
    g = (1 + r) ** 600
    total = 600 * 100 * r * g / (g - 1) - 100
    assert round(total, 2) == Fraction(4900)
    assert gjjcalc.equal_installment(100, 1, 600, convention="exact").total_interest == 4900
    with pytest.raises(InputError, match=r"annual_rate\[0\]=1.0 .*gjjcalc.equal_installment"):
        batch.summaries(100, 1, 600, convention="exact")
    masked = batch.summaries([100, 100], [1, 0.03], [600, 12], convention="exact", errors="mask")
    assert masked.status.tolist() == [batch_module.FLOAT_RANGE, 0]


def test_100000_at_24_percent_over_600_months_is_refused_by_the_batch() -> None:
    with pytest.raises(InputError, match=r"annual_rate\[0\]=0.24"):
        batch.schedules(100_000, 0.24, 600)


GRID_RATES = [0.005, 0.05, 0.116, 0.16, 0.2, 0.3, 0.5, 1.0]
GRID_MONTHS = [1, 2, 12, 120, 360, 400, 480, 600]


@pytest.mark.parametrize("convention", ["center", "exact", "ledger"])
@pytest.mark.parametrize("principal", [0.01, 100, 1_000_000, 1_000_000_000])
def test_the_batch_equals_the_scalar_api_or_refuses_with_a_status(convention: str, principal: float) -> None:
    cases = [(r, n) for r in GRID_RATES for n in GRID_MONTHS]
    got = batch.summaries(principal, [r for r, _ in cases], [n for _, n in cases],
                          convention=convention, errors="mask")
    refused = 0
    for i, (r, n) in enumerate(cases):
        try:
            s = gjjcalc.equal_installment(principal, str(r), n, convention=convention)
        except InputError:
            assert got.status[i] == batch_module.NO_REPAY, (r, n)
            continue
        if got.status[i] == batch_module.FLOAT_RANGE:
            refused += 1
            continue
        assert got.status[i] == 0, (r, n)
        assert got.total_interest[i] == float(s.total_interest), (r, n)
        assert got.first_payment[i] == float(s.payment[0]), (r, n)
        assert got.last_payment[i] == float(s.payment[-1]), (r, n)
    # ordinary loans are never refused for range (at 1e9 yuan the float bound is too wide)
    if principal <= 10_000_000:
        assert got.status[cases.index((0.05, 360))] in (0, batch_module.NO_REPAY)
    if convention == "ledger":
        assert refused == 0


# --- rates: 7 places exactly, float noise accepted as the 7-place rate --------------------


@pytest.mark.parametrize("rate", [0.03250000000999, 1e-12, 0.0325 + 1e-12, 0.0325 + 1e-14])
def test_a_rate_near_but_not_on_the_seven_place_grid_is_refused_by_ledger(rate: float) -> None:
    with pytest.raises(InputError, match=r"annual_rate\[0\].* 7 decimal places under convention='ledger'"):
        batch.summaries(1e9, rate, 600, method="equal_principal", convention="ledger")


@pytest.mark.parametrize("rate", [0.03250000000999, 1e-12, 0.0325 + 1e-12, 0.0325 + 1e-14])
def test_a_rate_near_but_not_on_the_seven_place_grid_is_that_rate_under_center(rate: float) -> None:
    got = batch.summaries(1e9, rate, 600, method="equal_principal")
    s = gjjcalc.equal_principal(1e9, repr(rate), 600)  # the decimal the float prints as
    assert got.total_interest[0] == float(s.total_interest)
    assert got.first_payment[0] == float(s.payment[0])


def test_float_noise_in_a_rate_reads_as_the_seven_place_rate_in_every_kernel() -> None:
    noisy = 0.001 + 0.0002  # 0.0012000000000000001 in float64
    assert noisy != 0.0012
    for method in ("equal_installment", "equal_principal"):
        a = batch.summaries(1e7, noisy, 600, method=method)
        b = batch.summaries(1e7, 0.0012, 600, method=method)
        assert a.total_interest.tolist() == b.total_interest.tolist()
    s = gjjcalc.equal_principal(1e7, "0.0012", 600)
    assert batch.summaries(1e7, noisy, 600, method="equal_principal").total_interest[0] == float(
        s.total_interest)


def test_a_fraction_of_a_fen_is_refused_not_rounded() -> None:
    with pytest.raises(InputError, match=r"principal\[0\]=100.00001"):
        batch.payments(100.00001, 0.03, 12)
    assert batch.payments(0.1 + 0.2, 0.03, 1).tolist() == [0.3]  # 0.30000000000000004


# --- values that are not numbers -------------------------------------------------------------


@pytest.mark.parametrize(("value", "what"), [
    (True, "bool"), ([True, False], "bool"), (1 + 0j, "complex"),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), "date"),
    (np.array([b"100"]), "bytes"), ([dt.date(2020, 1, 1)], "date"),
])
def test_booleans_complex_dates_and_bytes_are_not_amounts_or_months(value: object, what: str) -> None:
    with pytest.raises(InputError, match=r"principal"):
        batch.payments(value, 0.03, 12)
    with pytest.raises(InputError, match=r"months"):
        batch.payments(1000, 0.03, value)


def test_a_method_array_of_the_wrong_shape_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"method=.*shape \(3,\)"):
        batch.summaries([1000, 2000, 3000], 0.03, 12, method=[0, 1])
    with pytest.raises(InputError, match=r"method"):
        batch.summaries([1000, 2000], 0.03, 12, method=[[0, 1]])
    with pytest.raises(InputError, match=r"method"):
        batch.summaries([1000, 2000], 0.03, 12, method=[True, False])


# --- out= --------------------------------------------------------------------------------


def test_one_array_given_four_times_as_out_is_refused() -> None:
    a = np.empty((1, 12))
    with pytest.raises(InputError, match=r"out\[1\]=.*sharing memory with out\[0\]"):
        batch.schedules(1000, 0.03, 12, out=(a, a, a, a))
    big = np.empty((2, 12))
    with pytest.raises(InputError, match=r"out\[1\]"):  # overlapping views of one buffer
        batch.schedules(1000, 0.03, 12, out=(big[:1], big[:1], np.empty((1, 12)), np.empty((1, 12))))


def test_out_as_lists_or_read_only_arrays_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"out\[0\]='list'"):
        batch.schedules(1000, 0.03, 12, out=([0.0] * 12, None, None, None))  # type: ignore[arg-type]
    frozen = [np.empty((1, 12)) for _ in range(4)]
    frozen[2].flags.writeable = False
    with pytest.raises(InputError, match=r"out\[2\]=.*read-only"):
        batch.schedules(1000, 0.03, 12, out=tuple(frozen))  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"out="):
        batch.schedules(1000, 0.03, 12, out=(np.empty((1, 12)),))  # type: ignore[arg-type]


# --- prepay: a given payment is checked as the scalar API checks it --------------------------


@pytest.mark.parametrize("payment", [float("inf"), 3362.485, 99999, 0.01, -5])
def test_a_given_payment_that_is_not_this_loans_payment_is_refused(payment: float) -> None:
    with pytest.raises(InputError, match=r"payment\[0\]"):
        batch.prepay(646609.84, 0.0325, 272, payment=payment, amount=10000, days=11, mode="shorten_term")


def test_nan_means_no_payment_given() -> None:
    got = batch.prepay(646609.84, 0.0325, 272, payment=float("nan"), amount=10000, days=11, mode="shorten_term")
    assert got.remaining_months.tolist() == [266]


def test_lower_payment_never_raises_the_payment_in_the_batch_either() -> None:
    # the kept payment 68.64 is below the recomputed 68.66 for the balance left: it stays
    scalar = gjjcalc.prepay(balance="3035.21", annual_rate="0.031", remaining_months=47,
                            payment="68.64", amount="0.30", on="2031-08-18",
                            interest_from="2031-08-15", mode="lower_payment")
    assert scalar.payment == Fraction("68.64")
    got = batch.prepay(3035.21, 0.031, 47, payment=68.64, amount=0.30, days=3, mode="lower_payment")
    assert got.payment.tolist() == [68.64]
    assert got.interest_saved.tolist() == [float(scalar.interest_saved)]


def test_lower_payment_leaving_a_balance_that_does_not_amortize_is_refused() -> None:
    with pytest.raises(InputError, match=r"amount\[0\]=999.97"):
        batch.prepay(1000.0, 0.03, 600, amount=999.97, days=5, mode="lower_payment")
    with pytest.raises(InputError, match=r"amount"):
        gjjcalc.prepay(balance=1000, annual_rate="0.03", remaining_months=600, amount="999.97",
                       on="2024-01-10", interest_from="2024-01-05", mode="lower_payment")


# --- dask: an array keyword is not a column ------------------------------------------------


def test_dask_refuses_an_array_keyword() -> None:
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    import gjjcalc.dask as gd

    loans = dd.from_pandas(pd.DataFrame({"balance": [1e5] * 4, "remaining_months": [120] * 4}),
                           npartitions=2)
    with pytest.raises(InputError, match=r"new_rate=.*column 'new_rate'"):
        gd.reprice(loans, new_rate=[0.03, 0.05])
    assert gd.reprice(loans, new_rate=0.03).compute(scheduler="sync").tolist() == [
        float(gjjcalc.payment(100000, "0.03", 120))] * 4


def test_masked_rows_of_a_bare_array_are_masked_not_zero() -> None:
    for got in (batch.payments([1000, -5], 0.03, 12, errors="mask"),
                batch.reprice([1000, -5], new_rate=0.03, remaining_months=12, errors="mask"),
                batch.balances_after([1000, -5], 0.03, 12, k=1, errors="mask")):
        assert isinstance(got, np.ma.MaskedArray)
        assert got.mask.tolist() == [False, True]
        assert got.tolist()[1] is None
        assert got.sum() == got[0]  # sums skip the bad row
    assert not isinstance(batch.payments([1000, 5], 0.03, 12, errors="mask"), np.ma.MaskedArray)


def test_a_call_in_the_old_positional_order_fails_showing_the_keyword_form() -> None:
    # reprice once took (balance, remaining_months, new_rate): never read another way
    with pytest.raises(TypeError, match=r"batch.reprice\(balance, new_rate=\.\.\., remaining_months=\.\.\.\)"):
        batch.reprice([646609.84], [272], [0.031])  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"payment=\.\.\., amount=\.\.\., days=\.\.\., mode=\.\.\."):
        batch.prepay(646609.84, 0.0325, 272, 3362.48, 10000, 11, "lower_payment")
    with pytest.raises(TypeError, match=r"k=\.\.\."):
        batch.balances_after(690000, 0.0325, 300, 28)
    with pytest.raises(TypeError, match=r"days=\.\.\."):
        batch.payoff(646609.84, 0.0325, 12)
    with pytest.raises(TypeError, match=r"missing keyword argument amount="):
        batch.prepay(646609.84, 0.0325, 272, days=11, mode="lower_payment")
