"""Any rate in the batch engine: under ``center`` and ``exact`` a rate off the 7-place grid is
computed as the decimal its float prints as, row by row equal to the single-loan functions given
that rate; ``ledger`` keeps the 7-place rule and names ``np.round(annual_rate, 7)``.

Found: ``np.linspace(0.02, 0.04, 1000)`` (0.02002002002002002, 17 places) was refused by every
batch function, and by the single-loan functions too.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import InputError, batch
from gjjcalc.amortize.prepay import payoff as scalar_payoff
from gjjcalc.testing import float_rates

RATES = np.linspace(0.02, 0.04, 1000)
R1 = Fraction(2002002002002002, 10**17)  # RATES[1] as it prints


def half_up(x: Fraction) -> int:
    """Whole fen of an amount in fen, half-up."""
    return (2 * x.numerator + x.denominator) // (2 * x.denominator)


def test_a_seventeen_place_rate_by_hand() -> None:
    assert repr(float(RATES[1])) == "0.02002002002002002"
    p, r, n = Fraction(100000), R1 / 12, 12
    level = half_up(100 * p * r * (1 + r) ** n / ((1 + r) ** n - 1))
    first_principal = half_up(100 * (p / n + p * r))
    interest_37_days = half_up(100 * p * R1 / 360 * 37)
    assert (level, first_principal, interest_37_days) == (842398, 850017, 20576)
    assert gjjcalc.payment(100000, RATES[1], 12) == Fraction(level, 100)
    for convention in ("center", "exact"):
        got = batch.payments([100000.0] * 2, RATES[:2], 12, method="equal_principal", convention=convention)
        assert got[1] == first_principal / 100
    assert batch.payments(100000.0, RATES[1], 12).tolist() == [level / 100]
    assert batch.payoff(100000.0, RATES[1], days=37).interest.tolist() == [interest_37_days / 100]


def test_a_half_fen_float_cannot_see_is_settled_exactly() -> None:
    # 160,000 yuan at 0.000375375 (9 places): the first month's interest is
    # 16,000,000 fen × 0.000375375 / 12 = 500.5 fen exactly, 500.49999999999994 in float64
    rate = 0.000375375
    assert Fraction(16_000_000) * Fraction("0.000375375") / 12 == Fraction(1001, 2)
    assert 16e6 * (rate / 12.0) < 500.5
    first = Fraction(160000, 100) + Fraction(1001, 200)  # 1,600 principal + 5.005 interest, in yuan
    assert half_up(first * 100) == 160501
    got = batch.payments(160000.0, rate, 100, method="equal_principal")
    assert got.tolist() == [1605.01]
    s = batch.schedules(160000.0, rate, 100, method="equal_principal")
    assert (s.interest[0, 0], s.payment[0, 0]) == (5.01, 1605.01)
    assert batch.summaries(160000.0, rate, 100, method="equal_principal").first_payment.tolist() == [1605.01]
    # the interest on 160,000 yuan prepaid after 30 days: 16e6 × 0.000375375 × 30 / 360 = 500.5 fen
    for method in ("equal_installment", "equal_principal"):
        r = batch.prepay(200000.0, rate, 100, amount=160000, days=30, mode="lower_payment", method=method)
        assert r.interest.tolist() == [5.01]
        e = gjjcalc.prepay(balance=200000, annual_rate=rate, remaining_months=100, amount=160000,
                           on="2000-01-31", interest_from="2000-01-01", mode="lower_payment", method=method)
        assert (r.payment[0], r.interest_saved[0]) == (float(e.payment), float(e.interest_saved))
    assert batch.payoff(160000.0, rate, days=30).interest.tolist() == [5.01]


@pytest.mark.parametrize("method", ["equal_installment", "equal_principal"])
def test_the_rate_is_used_as_given_not_rounded_to_seven_places(method: str) -> None:
    rates = [RATES[1], round(float(RATES[1]), 7)]  # 0.02002002002002002 and 0.02002
    got = batch.summaries(1_000_000.0, rates, 360, method=method)
    assert got.total_interest[0] != got.total_interest[1]
    for i, rate in enumerate(rates):
        assert got.total_interest[i] == float(getattr(gjjcalc, method)(1_000_000, rate, 360).total_interest)


@pytest.mark.parametrize("convention", ["center", "exact"])
@pytest.mark.parametrize("method", ["equal_installment", "equal_principal"])
def test_linspace_rates_equal_the_single_loan_functions_row_by_row(method: str, convention: str) -> None:
    rates = RATES[::25]  # 40 rates, every one off the grid but the ends
    size = rates.size
    principal = np.linspace(50_000, 1_500_000, size).round(2)
    months = np.linspace(12, 360, size).astype(np.int64)
    common = {"method": method, "convention": convention}
    s = batch.summaries(principal, rates, months, **common)
    pays = batch.payments(principal, rates, months, **common)
    after = batch.balances_after(principal, rates, months, k=months // 3, **common)
    sched = batch.schedules(principal, rates, months, **common)
    new = batch.reprice(principal, new_rate=rates, remaining_months=months, **common)
    assert (s.status == 0).all()
    for i, rate in enumerate(rates.tolist()):
        n = int(months[i])
        one = getattr(gjjcalc, method)(float(principal[i]), rate, n, convention=convention)
        assert s.total_interest[i] == float(one.total_interest), i
        assert s.total_payment[i] == float(one.total_payment), i
        assert (s.first_payment[i], s.last_payment[i]) == (float(one.payment[0]), float(one.payment[-1]))
        assert pays[i] == new[i] == float(one.payment[0]), i
        assert after[i] == float(one.balance_after(n // 3)), i
        for column in ("payment", "principal", "interest", "balance"):
            assert getattr(sched, column)[i, :n].tolist() == [float(x) for x in getattr(one, column)], (i, column)
        assert not sched.payment[i, n:].any()


@pytest.mark.parametrize("convention", ["center", "exact"])
@pytest.mark.parametrize("method", ["equal_installment", "equal_principal"])
@pytest.mark.parametrize("mode", ["lower_payment", "shorten_term"])
def test_prepayments_at_rates_off_the_grid_equal_the_single_loan_prepay(method: str, convention: str,
                                                                       mode: str) -> None:
    rates = RATES[::100]
    size = rates.size
    balance = np.linspace(100_000, 900_000, size).round(2)
    months = np.linspace(60, 300, size).astype(np.int64)
    days = np.arange(size) + 5
    got = batch.prepay(balance, rates, months, amount=20000, days=days, mode=mode, method=method,
                       convention=convention)
    assert (got.status == 0).all()
    for i, rate in enumerate(rates.tolist()):
        e = gjjcalc.prepay(balance=float(balance[i]), annual_rate=rate, remaining_months=int(months[i]),
                           amount=20000, on=date(2000, 1, 1) + timedelta(days=int(days[i])),
                           interest_from=date(2000, 1, 1), mode=mode, method=method, convention=convention)
        assert (got.interest[i], got.total[i], got.new_balance[i]) == (
            float(e.interest), float(e.total), float(e.new_balance)), i
        assert (got.payment[i], got.remaining_months[i]) == (float(e.payment), e.remaining_months), i
        assert got.interest_saved[i] == float(e.interest_saved), i


def test_payoffs_and_one_sum_loans_at_rates_off_the_grid() -> None:
    rates = RATES[::7]
    balance = np.linspace(1000, 5_000_000, rates.size).round(2)
    days = np.arange(rates.size) * 13
    got = batch.payoff(balance, rates, days=days)
    lump = batch.summaries(balance, rates, 9, method="lump_sum")
    for i, rate in enumerate(rates.tolist()):
        q = scalar_payoff(balance=float(balance[i]), annual_rate=rate, on=date(2000, 1, 1) + timedelta(days=int(days[i])),
                          interest_from=date(2000, 1, 1))
        assert (got.interest[i], got.total[i]) == (float(q.interest), float(q.total)), i
        one = gjjcalc.lump_sum(float(balance[i]), rate, 9)
        assert lump.total_interest[i] == float(one.total_interest), i


def test_ledger_keeps_the_seven_place_rule_and_names_the_rounding() -> None:
    with pytest.raises(InputError) as err:
        batch.summaries(np.full(1000, 100000.0), RATES, np.full(1000, 120), convention="ledger")
    assert err.value.name == "annual_rate[1]"
    assert "np.round(annual_rate, 7)" in str(err.value)
    assert "convention='center'" in str(err.value)
    rounded = batch.summaries(np.full(1000, 100000.0), np.round(RATES, 7), np.full(1000, 120), convention="ledger")
    assert (rounded.status == 0).all()
    masked = batch.summaries([100000.0, 100000.0], [0.031, 0.031234567891], [120, 120], convention="ledger",
                             errors="mask")
    assert masked.status.tolist() == [0, int(batch.Status.RATE)]
    assert masked.total_interest[1] == 0.0


def test_a_row_off_the_grid_among_good_rows_is_computed_not_masked() -> None:
    got = batch.summaries([100000.0, 100000.0, -5.0], [0.031, 0.031234567891, 0.03], [120, 120, 12],
                          errors="mask")
    assert got.status.tolist() == [0, 0, int(batch.Status.AMOUNT)]
    assert got.total_interest[1] == float(gjjcalc.equal_installment(100000, "0.031234567891", 120).total_interest)


def test_a_loan_off_the_grid_that_does_not_amortize_is_refused_as_the_scalar_refuses_it() -> None:
    rate = 0.99999999999999  # 1e-14 below 1: off the grid; over 600 months the payment is the interest
    with pytest.raises(InputError, match="first month's interest"):
        gjjcalc.payment(10_000_000, rate, 600)
    with pytest.raises(InputError, match=r"principal\[1\]"):
        batch.payments([1000.0, 10_000_000.0], [0.03, rate], [12, 600])
    got = batch.summaries([1000.0, 10_000_000.0], [0.03, rate], [12, 600], errors="mask")
    assert got.status.tolist() == [0, int(batch.Status.NO_REPAY)]


def test_a_row_the_exact_code_refuses_is_named_at_its_position() -> None:
    # an equal-principal prepayment (held for its rate) of more than the balance
    with pytest.raises(InputError, match=r"amount\[1\]"):
        batch.prepay([5000.0, 5000.0], [0.03, 0.031234567891], 12, amount=[100, 6000], days=3,
                     mode="lower_payment", method="equal_principal")
    got = batch.prepay([5000.0, 5000.0], [0.03, 0.031234567891], 12, amount=[100, 6000], days=3,
                       mode="lower_payment", method="equal_principal", errors="mask")
    assert got.status.tolist() == [0, int(batch.Status.PREPAID)]
    assert got.payment[1] == 0.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 10**9), float_rates(high="0.36"), st.integers(1, 120)),
                min_size=1, max_size=6),
       st.sampled_from(["equal_installment", "equal_principal"]), st.sampled_from(["center", "exact"]))
def test_any_float_rate_equals_the_single_loan_functions(rows: list[tuple[int, float, int]], method: str,
                                                         convention: str) -> None:
    principal = np.array([x[0] / 100 for x in rows])
    rate = np.array([x[1] for x in rows])
    months = np.array([x[2] for x in rows], dtype=np.int64)
    got = batch.summaries(principal, rate, months, method=method, convention=convention, errors="mask")
    for i, (fen, r, n) in enumerate(rows):
        if got.status[i] == batch.Status.FLOAT_RANGE:  # beyond the float range: the scalar computes it
            continue
        try:
            one = getattr(gjjcalc, method)(Fraction(fen, 100), r, n, convention=convention)
        except InputError:
            assert got.status[i] == batch.Status.NO_REPAY
            continue
        assert got.status[i] == 0
        assert got.total_interest[i] == float(one.total_interest), (fen, r, n)
        assert got.first_payment[i] == float(one.payment[0]), (fen, r, n)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(100_00, 10**9), float_rates(high="0.3"), st.integers(2, 360), st.integers(1, 100),
       st.integers(0, 400), st.sampled_from(["lower_payment", "shorten_term"]),
       st.sampled_from(["center", "exact"]), st.sampled_from(["equal_installment", "equal_principal"]))
def test_a_prepayment_at_any_float_rate_equals_the_single_loan_prepay(
        fen: int, rate: float, months: int, percent: int, days: int, mode: str, convention: str,
        method: str) -> None:
    balance = Fraction(fen, 100)
    amount = Fraction(fen * percent // 100, 100)
    got = batch.prepay(float(balance), rate, months, amount=float(amount), days=days, mode=mode,
                       method=method, convention=convention, errors="mask")
    if got.status[0] == batch.Status.FLOAT_RANGE:
        return
    try:
        e = gjjcalc.prepay(balance=balance, annual_rate=rate, remaining_months=months, amount=amount,
                           on=date(2000, 1, 1) + timedelta(days=days), interest_from=date(2000, 1, 1),
                           mode=mode, method=method, convention=convention)
    except InputError:
        assert got.status[0] in (batch.Status.NO_REPAY, batch.Status.PAYMENT)
        return
    assert got.status[0] == 0
    assert (got.interest[0], got.new_balance[0], got.remaining_months[0]) == (
        float(e.interest), float(e.new_balance), e.remaining_months)
    assert (got.payment[0], got.interest_saved[0]) == (float(e.payment), float(e.interest_saved))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 10**9), float_rates(high="0.2"), st.integers(1, 60)),
                min_size=1, max_size=5),
       st.sampled_from(["equal_installment", "equal_principal"]), st.sampled_from(["center", "exact"]))
def test_schedules_at_any_float_rate_equal_the_single_loan_schedules(
        rows: list[tuple[int, float, int]], method: str, convention: str) -> None:
    principal = np.array([x[0] / 100 for x in rows])
    got = batch.schedules(principal, [x[1] for x in rows], [x[2] for x in rows], method=method,
                          convention=convention, errors="mask")
    for i, (fen, r, n) in enumerate(rows):
        if got.status[i] != 0:
            assert got.status[i] in (batch.Status.NO_REPAY, batch.Status.FLOAT_RANGE)
            continue
        one = getattr(gjjcalc, method)(Fraction(fen, 100), r, n, convention=convention)
        for column in ("payment", "principal", "interest", "balance"):
            assert getattr(got, column)[i, :n].tolist() == [float(x) for x in getattr(one, column)], column


@pytest.mark.parametrize("mode", ["lower_payment", "shorten_term"])
def test_a_prepayment_of_a_loan_whose_own_payment_does_not_amortize_it(mode: str) -> None:
    # Found: 100 yuan at 30 % over 252 months pays 2.50 a month, its first month's interest
    # (gjjcalc.payment refuses the loan), but the single-loan prepay computes a prepayment of
    # 1 yuan from it; the batch refused the row (NO_REPAY). It now checks what is left, as the
    # single-loan prepay does.
    r = Fraction(3, 10) / 12
    fair = 9900 * r / (1 - (1 + r) ** -252)  # the payment of the 99 yuan left, in fen
    assert half_up(fair) == 248
    with pytest.raises(InputError, match="first month's interest"):
        gjjcalc.payment(100, "0.3", 252)
    got = batch.prepay(100.0, 0.3, 252, amount=1.0, days=0, mode=mode)
    e = gjjcalc.prepay(balance=100, annual_rate="0.3", remaining_months=252, amount=1, on="2000-01-01",
                       interest_from="2000-01-01", mode=mode)
    assert (got.payment[0], got.remaining_months[0]) == (float(e.payment), e.remaining_months)
    assert got.interest_saved[0] == float(e.interest_saved)
    if mode == "lower_payment":
        assert got.payment.tolist() == [2.48]


def _masked_call(function: str) -> tuple[object, list[float]]:
    """A batch call over three rows (a 7-place rate, a rate off the grid, a bad amount) under
    errors="mask", and the single-loan figure each good row must show."""
    p, r, n = [100000.0, 100000.0, -5.0], [0.031, float(RATES[1]), 0.03], [120, 120, 12]
    one = [gjjcalc.equal_installment(100000, rate, 120) for rate in r[:2]]
    if function == "summaries":
        got = batch.summaries(p, r, n, errors="mask")
        return got.total_interest, [float(s.total_interest) for s in one]
    if function == "payments":
        return batch.payments(p, r, n, errors="mask"), [float(s.payment[0]) for s in one]
    if function == "balances_after":
        return batch.balances_after(p, r, n, k=3, errors="mask"), [float(s.balance_after(3)) for s in one]
    if function == "schedules":
        got = batch.schedules(p, r, n, errors="mask")
        return got.interest[:, 5], [float(s.interest[5]) for s in one]
    if function == "reprice":
        return batch.reprice(p, new_rate=r, remaining_months=n, errors="mask"), [float(s.payment[0]) for s in one]
    if function == "prepay":
        got = batch.prepay(p, r, n, amount=1000, days=9, mode="lower_payment", errors="mask")
        want = [gjjcalc.prepay(balance=100000, annual_rate=rate, remaining_months=120, amount=1000,
                               on="2000-01-10", interest_from="2000-01-01", mode="lower_payment").payment
                for rate in r[:2]]
        return got.payment, [float(x) for x in want]
    got = batch.payoff(p, r, days=9, errors="mask")
    want = [scalar_payoff(balance=100000, annual_rate=rate, on="2000-01-10", interest_from="2000-01-01").interest
            for rate in r[:2]]
    return got.interest, [float(x) for x in want]


@pytest.mark.parametrize("function", ["summaries", "payments", "balances_after", "schedules", "reprice",
                                      "prepay", "payoff"])
def test_every_batch_function_computes_a_rate_off_the_grid_beside_a_masked_row(function: str) -> None:
    values, want = _masked_call(function)
    assert np.ma.getdata(values)[:2].tolist() == want
    if np.ma.isMaskedArray(values):  # the functions that return a bare array mask the bad row
        assert np.ma.getmaskarray(values).tolist() == [False, False, True]
    else:
        assert np.ma.getdata(values)[2] == 0.0


# --- found by review (each a regression test) ------------------------------------------------


def test_shorten_term_at_a_rate_just_above_float_noise_on_zero() -> None:
    # 1.2e-15 a year is off the grid (more than 1e-15 from 0); log(1 + r/12) is 0.0 in float64:
    # nper_one divided by it (ZeroDivisionError inside the kernel)
    got = batch.prepay([1000.0], [1.2e-15], [12], amount=[100.0], days=[0], mode="shorten_term")
    e = gjjcalc.prepay(balance=1000, annual_rate=1.2e-15, remaining_months=12, amount=100, on="2000-01-01",
                       interest_from="2000-01-01", mode="shorten_term")
    assert (got.remaining_months[0], got.payment[0]) == (e.remaining_months, float(e.payment)) == (11, 83.33)


@pytest.mark.parametrize(("call", "convention"), [
    (lambda c: batch.prepay([2264.44], [0.999], [402], amount=[2264.43], days=[0], mode="shorten_term",
                            convention=c, errors="mask"), "center"),
    (lambda c: batch.prepay([848597.79], [1.0], [255], amount=[21859.36], days=[4], mode="lower_payment",
                            convention=c, errors="mask"), "center"),
    (lambda c: batch.summaries([109936.18], [0.8882437064849806], [600], convention=c, errors="mask"), "center"),
    (lambda c: batch.summaries([109936.18], [0.8882437064849806], [600], convention=c, errors="mask"), "exact"),
])
def test_a_loan_beyond_the_float_range_is_refused_whether_it_repays_or_not(call, convention: str) -> None:
    # found: a loan whose payment does not (or, in float, seems not to) exceed its interest skipped
    # the float-range test, and prepay / summaries returned plausible wrong figures (interest
    # saved 5,083,153,601,344.06 where the single-loan prepay gives 5,083,153,601,334.75)
    assert call(convention).status.tolist() == [int(batch.Status.FLOAT_RANGE)]


def test_interest_saved_on_a_half_fen_is_settled_exactly() -> None:
    # 62.17 yuan at 100 % over one month, 28.86 prepaid: the interest saved is
    # (6217 − 3331) / 12 = 240.5 fen exactly, 2.41 half-up (the float closed form gave 2.40)
    assert Fraction(6217 - 3331, 12) == Fraction(481, 2)
    got = batch.prepay([62.17], [1.0], [1], payment=[67.34], amount=[28.86], days=[3], mode="lower_payment",
                       convention="exact")
    assert got.interest_saved.tolist() == [2.41]


@pytest.mark.parametrize(("balance", "rate", "months", "amount"), [
    (1.0, 1.2e-15, 100, 0.99), (2.27, 1.086398166327053e-15, 364, 2.26), (24.05, 1.0150820711290613e-15, 240, 23.95)])
def test_shorten_term_where_the_float_annuity_equals_the_payment(balance: float, rate: float, months: int,
                                                                  amount: float) -> None:
    # found by review: at a monthly rate below 2^-53 the float annuity of what is left over one
    # month equals the payment kept, so one month looked enough; exactly it pays a hair more
    got = batch.prepay([balance], [rate], [months], amount=[amount], days=[0], mode="shorten_term")
    e = gjjcalc.prepay(balance=balance, annual_rate=rate, remaining_months=months, amount=amount,
                       on="2000-01-01", interest_from="2000-01-01", mode="shorten_term")
    assert (got.remaining_months[0], got.payment[0]) == (e.remaining_months, float(e.payment))
    assert got.remaining_months[0] == 2


@pytest.mark.parametrize(("principal", "rate", "months"), [(87.6, 0.9000000000000012, 532),
                                                           (1.74, 0.9999999999999984, 505)])
def test_a_loan_that_does_not_repay_beyond_the_float_range_is_refused_as_the_scalar_refuses_it(
        principal: float, rate: float, months: int) -> None:
    # found by review: a close call on the interest beyond the float range came back FLOAT_RANGE
    # (naming annual_rate) where the single-loan functions refuse the loan for its payment
    with pytest.raises(InputError, match="first month's interest"):
        gjjcalc.equal_installment(principal, rate, months)
    with pytest.raises(InputError, match=r"principal\[0\].*first month's interest"):
        batch.summaries([principal], [rate], [months])
    assert batch.summaries([principal], [rate], [months], errors="mask").status.tolist() == [
        int(batch.Status.NO_REPAY)]
