"""gjjcalc.testing: every draw is a valid loan, half-fen draws are ties, portfolios fit the batch."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import Convention, InputError, Method, batch
from gjjcalc.money import to_rate
from gjjcalc.rules.rates import default_rate_table
from gjjcalc.testing import (
    LoanCase,
    Portfolio,
    half_fen_balances,
    loans,
    portfolios,
    rates,
)

JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") != "1"
CENT = Decimal("0.01")


def _monthly_interest_fen(balance: Decimal, annual_rate: Decimal) -> Fraction:
    return Fraction(balance) * 100 * Fraction(annual_rate) / 12


def _is_tie(balance: Decimal, annual_rate: Decimal) -> bool:
    return _monthly_interest_fen(balance, annual_rate) % 1 == Fraction(1, 2)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


# --- rates ------------------------------------------------------------------------------------


@given(rates())
def test_default_rates_lie_in_0_to_10_percent_with_at_most_7_places_and_the_batch_accepts_them(
    rate: Decimal,
) -> None:
    assert isinstance(rate, Decimal)
    assert Decimal(0) <= rate <= Decimal("0.1")
    assert _places(rate) <= 7
    assert to_rate(rate) == Fraction(rate)
    assert batch.payments(1000, float(rate), 12).tolist() == [float(gjjcalc.payment(1000, rate, 12))]


@given(st.data(), st.integers(0, 7), st.integers(0, 10_000), st.integers(0, 10_000))
def test_rates_respect_their_bounds_and_places_or_say_none_exist(
    data: st.DataObject, places: int, low_bp: int, width_bp: int
) -> None:
    low = Decimal(low_bp).scaleb(-4)
    high = min(low + Decimal(width_bp).scaleb(-6), Decimal(1))
    scale = 10**places
    if math.ceil(low * scale) > math.floor(high * scale):  # no rate with that few places
        with pytest.raises(InputError, match=f"places={places} "):
            rates(low=low, high=high, places=places)
        return
    rate = data.draw(rates(low=low, high=high, places=places))
    assert low <= rate <= high
    assert _places(rate) <= places


def test_rates_in_a_percent_string_range_and_bad_bounds() -> None:
    @settings(max_examples=40, database=None)
    @given(rates(low="2.6%", high="3.25%", places=4))
    def check(rate: Decimal) -> None:
        assert Decimal("0.026") <= rate <= Decimal("0.0325")
        assert _places(rate) <= 4

    check()
    with pytest.raises(InputError, match=r"high='2%' is out of range: expected a rate at least low='5%'"):
        rates(low="5%", high="2%")
    with pytest.raises(InputError, match="places=8"):
        rates(places=8)
    with pytest.raises(InputError, match=r"places=2 .* between '0.031' and '0.0315'"):
        rates(low="0.031", high="0.0315", places=2)
    with pytest.raises(InputError, match="high=2"):
        rates(high=2)


def test_rates_draw_the_shipped_benchmark_rates() -> None:
    table = {row.gt5y for row in default_rate_table().rows}
    seen: set[Decimal] = set()

    @settings(max_examples=200, database=None)
    @given(rates(low="0.02", high="0.06"))
    def collect(rate: Decimal) -> None:
        seen.add(rate)

    collect()
    assert len(seen & table) >= 3


# --- loans ------------------------------------------------------------------------------------


@given(loans())
def test_every_drawn_loan_is_accepted_by_the_single_loan_api_and_the_batch(case: LoanCase) -> None:
    assert case.principal == case.principal.quantize(CENT)
    assert Decimal("1000") <= case.principal <= Decimal("10000000")
    assert 1 <= case.months <= 360
    assert isinstance(case.method, Method)
    assert isinstance(case.convention, Convention)
    s = case.schedule()
    assert s.loan == case.principal
    assert len(s) == case.months
    assert s.method is case.method
    assert s.convention is case.convention
    first = gjjcalc.payment(case.principal, case.annual_rate, case.months,
                            method=case.method, convention=case.convention)
    assert first == s.first_payment
    got = batch.summaries([float(case.principal)], [float(case.annual_rate)], [case.months],
                          method=case.method, convention=case.convention)
    assert got.status.tolist() == [0]
    if case.convention is Convention.LEDGER:
        # exact in the batch too (SPEC §1), tiny rates included (see the regression that follows)
        assert got.total_interest[0] == float(s.total_interest)
        assert got.last_payment[0] == float(s.last_payment)


def test_ledger_batch_level_at_a_tiny_rate_equals_the_exact_api() -> None:
    # found by loans(): the exact level is 43,333,335.500000015 fen, just above a half-fen tie;
    # (1 + r)**n - 1 in float64 gave 43,333,335.4355 fen, which rounded to the wrong fen (fixed
    # by computing the excess of the power directly)
    case = LoanCase(Decimal("1300000.00"), Decimal("3E-7"), 3, Method.EQUAL_INSTALLMENT,
                    Convention.LEDGER)
    s = case.schedule()
    assert s.payment == (Decimal("433333.36"), Decimal("433333.36"), Decimal("433333.34"))
    got = batch.summaries([1300000.0], [3e-7], [3], convention="ledger")
    assert (got.first_payment[0], got.last_payment[0]) == (433333.36, 433333.34)


@settings(max_examples=40)
@given(loans(method="equal_principal", convention=Convention.LEDGER, min_principal="0.01",
             max_principal="500", min_months=3, max_months=5, annual_rates=st.just(Decimal("0.0375"))))
def test_loans_respect_fixed_method_convention_rate_and_bounds(case: LoanCase) -> None:
    assert (case.method, case.convention, case.annual_rate) == (
        Method.EQUAL_PRINCIPAL, Convention.LEDGER, Decimal("0.0375"))
    assert Decimal("0.01") <= case.principal <= Decimal("500")
    assert 3 <= case.months <= 5


def test_loans_include_half_fen_principals_and_can_leave_them_out() -> None:
    ties = {True: 0, False: 0}

    @settings(max_examples=150, database=None)
    @given(loans(annual_rates=st.just(Decimal("0.0325"))), loans(annual_rates=st.just(Decimal("0.0325")), half_fen=False))
    def count(with_ties: LoanCase, without: LoanCase) -> None:
        ties[True] += _is_tie(with_ties.principal, with_ties.annual_rate)
        ties[False] += _is_tie(without.principal, without.annual_rate)

    count()
    # a tie at 3.25% is an odd multiple of 24 yuan: 1 whole-fen principal in 4,800 by chance
    assert ties[True] >= 20
    assert ties[False] <= 3


def test_loans_bad_bounds_name_the_argument() -> None:
    with pytest.raises(InputError, match=r"min_principal='-5'"):
        loans(min_principal="-5")
    with pytest.raises(InputError, match=r"max_principal='2000000000' .* at most 1000000000.00"):
        loans(max_principal="2000000000")
    with pytest.raises(InputError, match=r"max_principal='10' is out of range: expected an amount at least"):
        loans(min_principal="100", max_principal="10")
    with pytest.raises(InputError, match=r"max_months=601"):
        loans(max_months=601)
    with pytest.raises(InputError, match=r"max_months=5 .* from 6 to 600"):
        loans(min_months=6, max_months=5)
    with pytest.raises(InputError, match="method='balloon'"):
        loans(method="balloon")
    with pytest.raises(InputError, match="convention='bank'"):
        loans(convention="bank")


# --- half-fen balances ------------------------------------------------------------------------


tie_rates = rates(places=5).filter(lambda r: r > 0 and (Fraction(r) / 12).denominator % 2 == 0)


@given(st.data(), tie_rates)
def test_every_half_fen_draw_is_an_exact_tie_that_ledger_rounds_up(
    data: st.DataObject, rate: Decimal
) -> None:
    balance = data.draw(half_fen_balances(rate))
    assert balance == balance.quantize(CENT)
    assert Decimal("0.01") <= balance <= Decimal("10000000")
    exact = _monthly_interest_fen(balance, rate)
    assert exact % 1 == Fraction(1, 2)
    # ROUND_HALF_UP sends the tie up, in the exact API and in the int64 ledger kernel alike
    up = math.ceil(exact)
    s = gjjcalc.equal_installment(balance, rate, 12, convention="ledger")
    assert s.interest[0] * 100 == up
    got = batch.schedules([float(balance)], [float(rate)], [12], convention="ledger")
    assert round(got.interest[0, 0] * 100) == up


@given(st.data(), tie_rates, st.integers(1, 10**9), st.integers(0, 10**9))
def test_half_fen_balances_respect_their_bounds(
    data: st.DataObject, rate: Decimal, low_fen: int, width_fen: int
) -> None:
    high_fen = min(low_fen + width_fen, 10**11)
    low, high = Decimal(low_fen).scaleb(-2), Decimal(high_fen).scaleb(-2)
    step = (Fraction(rate) / 12).denominator // 2
    first_odd = -(-low_fen // step) | 1  # the smallest odd multiple of the step at or above low
    has_tie = first_odd * step <= high_fen
    if not has_tie:
        with pytest.raises(InputError, match=r"earns exactly x\.5 fen a month"):
            half_fen_balances(rate, min_balance=low, max_balance=high)
        return
    balance = data.draw(half_fen_balances(rate, min_balance=low, max_balance=high))
    assert low <= balance <= high
    assert _is_tie(balance, rate)


@given(st.data(), rates(places=3))
def test_half_fen_balances_exist_exactly_when_brute_force_finds_ties_and_miss_none(
    data: st.DataObject, rate: Decimal
) -> None:
    # brute force over two periods of the monthly interest (c fen): which balances tie?
    monthly = Fraction(rate) / 12
    a, c = monthly.numerator, monthly.denominator
    ties = [b for b in range(1, 2 * c + 1) if rate > 0 and 2 * (b * a % c) == c]
    if not ties:
        with pytest.raises(InputError, match=r"annual_rate=Decimal\("):
            half_fen_balances(rate)
        return
    top = Decimal(ties[-1]).scaleb(-2)
    assert int(data.draw(half_fen_balances(rate, max_balance=top)) * 100) in ties
    for tie in ties:  # each tie alone in its range is drawn: the construction misses none
        only = Decimal(tie).scaleb(-2)
        assert data.draw(half_fen_balances(rate, min_balance=only, max_balance=only)) == only
    # and a range between two ties holds none
    if len(ties) > 1 and ties[1] - ties[0] > 2:
        with pytest.raises(InputError, match=r"earns exactly x\.5 fen a month"):
            half_fen_balances(rate, min_balance=Decimal(ties[0] + 1).scaleb(-2),
                              max_balance=Decimal(ties[1] - 1).scaleb(-2))


def test_half_fen_balances_at_3_75_percent_are_odd_multiples_of_1_60_yuan() -> None:
    @settings(max_examples=50, database=None)
    @given(half_fen_balances("3.75%", max_balance="1000"))
    def check(balance: Decimal) -> None:
        assert (balance * 100) % 160 == 0
        assert (balance * 100 / 160) % 2 == 1

    check()
    with pytest.raises(InputError, match="annual_rate=0 "):
        half_fen_balances(0)
    with pytest.raises(InputError, match=r"annual_rate=.3\.75%."):
        half_fen_balances("3.75%", min_balance="1.61", max_balance="4.79")


# --- portfolios -------------------------------------------------------------------------------


@settings(max_examples=40 if JIT else 10)
@given(portfolios(max_size=40 if JIT else 8), st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]))
def test_portfolio_arrays_have_equal_lengths_valid_ranges_and_fit_the_batch(
    p: Portfolio, method: Method
) -> None:
    assert 1 <= len(p.principal) <= 40
    assert len(p.principal) == len(p.annual_rate) == len(p.months)
    assert (p.principal.dtype, p.annual_rate.dtype, p.months.dtype) == (np.float64, np.float64, np.int64)
    assert ((p.principal >= 1000) & (p.principal <= 10_000_000)).all()
    assert all(Decimal(repr(x)) == Decimal(repr(x)).quantize(CENT) for x in p.principal.tolist())
    assert ((p.annual_rate >= 0) & (p.annual_rate <= 0.1)).all()
    assert ((p.months >= 1) & (p.months <= 360)).all()
    got = batch.summaries(*p, method=method, convention="ledger")
    by_name = batch.summaries(**p._asdict(), method=method, convention="ledger")
    assert not got.status.any()
    assert got.total_interest.tolist() == by_name.total_interest.tolist()
    for i, case in enumerate(p.cases(method=method, convention="ledger")):
        assert float(case.principal) == p.principal[i]
        assert float(case.annual_rate) == p.annual_rate[i]
        assert _places(case.annual_rate) <= 7
        s = case.schedule()
        assert got.total_interest[i] == float(s.total_interest)
        assert got.first_payment[i] == float(s.first_payment)


def test_portfolio_sizes_and_bad_sizes() -> None:
    @settings(max_examples=20, database=None)
    @given(portfolios(min_size=0, max_size=3, max_months=12))
    def check(p: Portfolio) -> None:
        assert 0 <= len(p.months) <= 3
        assert p.months.max(initial=1) <= 12

    check()
    with pytest.raises(InputError, match="min_size=-1"):
        portfolios(min_size=-1)
    with pytest.raises(InputError, match=r"max_size=2 .* at least min_size=3"):
        portfolios(min_size=3, max_size=2)


def test_importing_gjjcalc_and_its_batch_does_not_import_hypothesis() -> None:
    code = ("import sys, gjjcalc, gjjcalc.batch; gjjcalc.payment(1, 0, 1); "
            "print('hypothesis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
