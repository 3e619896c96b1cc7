"""Prepayment, term change and payoff: SPEC §3's seed 001 rows, properties, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gjjcalc import (
    Convention,
    InputError,
    Loan,
    Method,
    PrepayMode,
    change_term,
    payoff,
    prepay,
    testing,
)
from gjjcalc.amortize._exact import level_for
from gjjcalc.amortize.prepay import prepay_exact
from gjjcalc.testing import LoanCase

SEED = {
    "balance": 646609.84,
    "annual_rate": 0.0325,
    "remaining_months": 272,
    "payment": 3362.48,
    "amount": 10000,
    "interest_from": date(2017, 12, 29),
    "maturity": date(2040, 8, 28),
}


def test_seed_001_prepay_lower_payment_row() -> None:
    r = prepay(**SEED, on=date(2018, 1, 9), mode="lower_payment")  # type: ignore[arg-type]
    assert r.interest == Decimal("9.93")
    assert r.total == Decimal("10009.93")
    assert r.new_balance == Decimal("636609.84")
    assert r.remaining_months == 272
    assert r.payment == Decimal("3310.48")
    assert r.maturity == date(2040, 8, 28)
    assert r.days == 11


def test_seed_001_prepay_shorten_term_row() -> None:
    r = prepay(**SEED, on=date(2018, 1, 10), mode="shorten_term")  # type: ignore[arg-type]
    assert r.interest == Decimal("10.83")
    assert r.total == Decimal("10010.83")
    assert r.new_balance == Decimal("636609.84")
    assert r.remaining_months == 266
    assert r.payment == Decimal("3362.48")
    assert r.maturity == date(2040, 2, 28)


def test_seed_001_payoff_row() -> None:
    q = payoff(balance=646609.84, annual_rate=0.0325, on=date(2018, 1, 10), interest_from=date(2017, 12, 29))
    assert q.principal == Decimal("646609.84")
    assert q.interest == Decimal("700.49")
    assert q.total == Decimal("647310.33")


def test_shorten_term_can_recompute_the_payment_for_the_whole_months() -> None:
    # 266 months: numpy_financial.pmt(0.0325/12, 266, -636609.84) = 3361.0735
    r = prepay(**SEED, on="2018-01-10", mode="shorten_term", recompute_payment=True)  # type: ignore[arg-type]
    assert (r.remaining_months, r.payment) == (266, Decimal("3361.07"))


def test_shorten_term_to_months_the_borrower_enters() -> None:
    # seed 001: "录入金额或者期数"; 260 months: pmt(0.0325/12, 260, -636609.84) = 3414.1038
    r = prepay(**SEED, on="2018-01-10", mode="shorten_term", new_remaining_months=260)  # type: ignore[arg-type]
    assert (r.remaining_months, r.payment, r.maturity) == (260, Decimal("3414.10"), date(2039, 8, 28))
    with pytest.raises(InputError, match="fewer remaining months than the current 272"):
        prepay(**SEED, on="2018-01-10", mode="shorten_term", new_remaining_months=272)  # type: ignore[arg-type]


def test_equal_principal_prepayment_by_hand() -> None:
    base = {"balance": 300_000, "annual_rate": "3.1%", "remaining_months": 120, "amount": 60_000,
            "on": "2024-03-10", "interest_from": "2024-02-20", "method": "equal_principal"}
    lower = prepay(**base, mode="lower_payment")  # type: ignore[arg-type]
    # part 240,000 / 120 = 2,000; interest 240,000 × 3.1% / 12 = 620
    assert (lower.remaining_months, lower.payment) == (120, Decimal("2620.00"))
    shorter = prepay(**base, mode="shorten_term")  # type: ignore[arg-type]
    # part stays 300,000 / 120 = 2,500; ceil(240,000 / 2,500) = 96 months
    assert (shorter.remaining_months, shorter.payment) == (96, Decimal("3120.00"))
    # 60,000 × 3.1% / 360 × 19 days = 98.1666…
    assert lower.interest == Decimal("98.17")


def test_change_term_shortens_and_extends_with_a_recomputed_payment() -> None:
    # numpy_financial.pmt(0.0325/12, 212, -646609.84) = 4013.0158; pmt(…, 300, …) = 3151.0347
    short = change_term(balance=646609.84, annual_rate=0.0325, remaining_months=272,
                        maturity="2040-08-28", new_maturity_year=2035)
    assert (short.remaining_months, short.maturity, short.payment) == (212, date(2035, 8, 28), Decimal("4013.02"))
    assert short.interest_saved > 0
    longer = change_term(balance=646609.84, annual_rate=0.0325, remaining_months=272, new_remaining_months=300)
    assert longer.payment == Decimal("3151.03")
    assert longer.interest_saved < 0


# --- a loan with history -------------------------------------------------------------------


@pytest.fixture
def seed_loan() -> Loan:
    return Loan(690000, 0.0325, 300, released=date(2015, 8, 28), first_due=date(2015, 9, 28), pack="jilin")


def test_seed_loan_state_on_2018_01_09(seed_loan: Loan) -> None:
    s = seed_loan.state_on(date(2018, 1, 9))
    assert s.balance == Decimal("646609.84")
    assert s.remaining_months == 272
    assert s.payment == Decimal("3362.48")
    assert s.last_due == date(2017, 12, 28)
    assert s.interest_from == date(2017, 12, 29)  # jilin: the day after the due date
    assert s.maturity == date(2040, 8, 28)


def test_seed_loan_prepay_and_payoff_reproduce_the_three_rows(seed_loan: Loan) -> None:
    lower, _ = seed_loan.prepay(amount=10000, on=date(2018, 1, 9), mode="lower_payment")
    assert (lower.interest, lower.total, lower.new_balance) == (Decimal("9.93"), Decimal("10009.93"), Decimal("636609.84"))
    assert (lower.remaining_months, lower.payment, lower.maturity) == (272, Decimal("3310.48"), date(2040, 8, 28))
    shorter, after = seed_loan.prepay(amount=10000, on=date(2018, 1, 10), mode="shorten_term")
    assert (shorter.interest, shorter.total, shorter.new_balance) == (Decimal("10.83"), Decimal("10010.83"), Decimal("636609.84"))
    assert (shorter.remaining_months, shorter.payment, shorter.maturity) == (266, Decimal("3362.48"), date(2040, 2, 28))
    quote = seed_loan.payoff(on=date(2018, 1, 10))
    assert (quote.interest, quote.total) == (Decimal("700.49"), Decimal("647310.33"))
    # the event is recorded: the loan after it is 6 months shorter and its schedule shows the prepayment
    assert after.maturity == date(2040, 2, 28)
    sched = after.schedule()
    assert len(sched) == 294
    assert sched.prepaid[28] == Decimal("10000.00")
    assert sum(sched.prepaid) == Decimal("10000.00")


def test_without_a_center_interest_accrues_from_the_due_date_itself() -> None:
    loan = Loan(690000, 0.0325, 300, released="2015-08-28", first_due="2015-09-28")
    assert loan.state_on("2018-01-09").interest_from == date(2017, 12, 28)
    # 12 days at 3.25%/360 on 10,000 = 10.83
    assert loan.prepay(amount=10000, on="2018-01-09", mode="lower_payment")[0].interest == Decimal("10.83")


def test_several_prepayments_in_a_row_compose(seed_loan: Loan) -> None:
    r1, after1 = seed_loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    r2, after2 = after1.prepay(amount=20000, on="2019-03-01", mode="lower_payment")
    assert after2.state_on("2019-03-01").payment == r2.payment
    assert after2.state_on("2019-03-01").remaining_months == r2.remaining_months == 252
    totals = [x.schedule().total_interest for x in (seed_loan, after1, after2)]
    assert totals[0] - totals[1] == r1.interest_saved
    assert totals[1] - totals[2] == r2.interest_saved
    with pytest.raises(InputError, match="on or after the last recorded event 2019-03-01"):
        after2.prepay(amount=1000, on="2019-01-01", mode="lower_payment")


def test_due_date_payment_counts_as_paid_on_that_day(seed_loan: Loan) -> None:
    assert seed_loan.state_on("2017-12-27").periods_paid == 27
    assert seed_loan.state_on("2017-12-28").periods_paid == 28
    assert seed_loan.state_on("2015-08-28").balance == Decimal("690000.00")
    assert seed_loan.state_on("2015-08-28").interest_from == date(2015, 8, 29)


# --- properties ----------------------------------------------------------------------------

loans = st.tuples(
    testing.loans(min_principal="10000", max_principal="5000000", min_months=2),
    st.integers(0, 359),  # k: the payments made before the event
)


def _loan(case: LoanCase, conv: Convention | None = None) -> Loan:
    return Loan(case.principal, case.annual_rate, case.months, released="2020-01-15",
                method=case.method, convention=conv or case.convention)


@given(loans, st.integers(1, 10_000), st.integers(0, 27), st.integers(0, 200))
def test_prepaying_then_paying_off_never_costs_more_than_paying_off(
    loan_args: tuple[LoanCase, int], share: int, day: int, later: int
) -> None:
    case, k = loan_args
    n, method, conv = case.months, case.method, case.convention
    assume(k < n - 1)
    loan = _loan(case)
    on = loan.due(k + 1) - timedelta(days=day + 1) if k else loan.released + timedelta(days=day)
    state = loan.state_on(on)
    amount = max(Decimal("0.01"), (state.balance * share / 10_000).quantize(Decimal("0.01")))
    assume(amount < state.balance)
    # a yuan a month left to repay, so lower_payment's rounded payment amortizes (it refuses less)
    assume(state.balance - amount >= state.remaining_months)
    end = on + timedelta(days=later)
    assume(end < loan.due(n))
    result, after = loan.prepay(amount=amount, on=on, mode="lower_payment")
    path_a = result.total + _installments(after, on, end) + after.payoff(on=end).total
    path_b = _installments(loan, on, end) + loan.payoff(on=end).total
    # Path A rounds one amount more than path B (the prepaid amount's interest), and under
    # center/exact each path settles its carried balance rounded to the fen: with a tiny
    # prepayment over a short time, rounding alone can make A dearer by up to 2 fen.
    # Under ``exact`` the installments themselves are unrounded and only shown rounded, so each
    # shown installment in the window adds up to half a fen on either path; so does equal
    # principal under ``center``, whose principal part is carried unrounded (SPEC §1).
    slack = Decimal("0.02")
    if conv is Convention.EXACT or (conv is Convention.CENTER and method is Method.EQUAL_PRINCIPAL):
        slack += Decimal("0.01") * sum(1 for d in loan.schedule().due_dates or () if on < d <= end)
    assert path_a <= path_b + slack


def _installments(loan: Loan, start: date, end: date) -> Decimal:
    sched = loan.schedule()
    assert sched.due_dates is not None
    return sum((pay for d, pay in zip(sched.due_dates, sched.payment, strict=True) if start < d <= end), Decimal(0))


@given(loans, st.integers(1, 9_999))
def test_shorten_term_never_pays_more_future_interest_than_lower_payment(
    loan_args: tuple[LoanCase, int], share: int
) -> None:
    case, k = loan_args
    assume(k < case.months - 1)
    loan = _loan(case)
    state = loan.state_on(loan.due(k + 1) + timedelta(days=3))
    amount = max(Decimal("0.01"), (state.balance * share / 10_000).quantize(Decimal("0.01")))
    assume(amount < state.balance)
    # a yuan a month left to repay, so lower_payment's rounded payment amortizes (it refuses less)
    assume(state.balance - amount >= state.remaining_months)
    on = loan.due(k + 1) + timedelta(days=3)
    lower, a = loan.prepay(amount=amount, on=on, mode="lower_payment")
    shorter, b = loan.prepay(amount=amount, on=on, mode="shorten_term")
    assert shorter.remaining_months <= lower.remaining_months
    # Keeping the payment repays sooner and so pays less interest, exactly: lower_payment never
    # raises the payment (a recomputed level rounded up above the current one is not taken), so
    # each month the kept payment's balance is at most lower_payment's, and so is its interest
    # (rounding the interest to the fen, under ledger, is monotone too).
    assert lower.payment <= state.payment
    assert shorter.interest_saved >= lower.interest_saved
    assert b.schedule().total_interest <= a.schedule().total_interest


@given(loans)
def test_a_prepayment_equal_to_the_balance_is_a_payoff(
    loan_args: tuple[LoanCase, int],
) -> None:
    case, k = loan_args
    conv = case.convention
    assume(k < case.months)
    loan = _loan(case)
    on = loan.due(k + 1) - timedelta(days=1)
    state = loan.state_on(on)
    for mode in PrepayMode:
        result, after = loan.prepay(amount=state.balance, on=on, mode=mode)
        assert result.total == loan.payoff(on=on).total
        assert (result.new_balance, result.remaining_months, result.payment) == (0, 0, 0)
        sched = after.schedule()
        assert sched.balance[-1] == 0
        assert len(sched) == state.periods_paid + 1
        assert sched.prepaid[-1] == state.balance
        assert sched.payment[-1] == 0
        if conv is Convention.LEDGER:
            assert sum(sched.principal) + sum(sched.prepaid) == sched.loan


@given(loans)
def test_a_prepayment_of_zero_changes_nothing(
    loan_args: tuple[LoanCase, int],
) -> None:
    case, _k = loan_args
    p, r, n, method, conv = (Fraction(case.principal), Fraction(case.annual_rate), case.months,
                             case.method, case.convention)
    loan = _loan(case)
    level = level_for(p, r, n, method, conv)
    for mode in PrepayMode:
        change = prepay_exact(p, r, n, level, Fraction(0), mode, method, conv)
        assert (change.balance, change.months, change.level, change.interest_saved) == (p, n, level, 0)
    # the public API refuses 0 as an amount (SPEC §7: a prepayment must prepay something)
    with pytest.raises(InputError, match="amount=0"):
        loan.prepay(amount=0, on=loan.released, mode="lower_payment")


@given(loans)
def test_ledger_principal_and_prepaid_sum_exactly_to_the_loan_after_a_prepayment(
    loan_args: tuple[LoanCase, int],
) -> None:
    case, k = loan_args
    assume(k < case.months - 1)
    loan = _loan(case, Convention.LEDGER)
    on = loan.due(k + 1) + timedelta(days=5)
    state = loan.state_on(on)
    amount = (state.balance / 3).quantize(Decimal("0.01"))
    assume(amount > 0)
    _, after = loan.prepay(amount=amount, on=on, mode="shorten_term")
    sched = after.schedule()
    assert sum(sched.principal) + sum(sched.prepaid) == sched.loan
    assert sched.balance[-1] == 0
    assert all(b2 <= b1 for b1, b2 in zip(sched.balance, sched.balance[1:], strict=False))


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"amount": 0}, "amount=0"),
        ({"amount": -100}, "amount=-100"),
        ({"amount": 700000}, "at most 646609.84"),
        ({"on": date(2017, 12, 1)}, "on='2017-12-01' is out of range: expected a date on or after interest_from=2017-12-29"),
        ({"remaining_months": 0}, "remaining_months=0"),
        ({"mode": "faster"}, "mode='faster'"),
        ({"method": "bullet"}, "method='bullet'"),
        ({"new_remaining_months": 300, "mode": "shorten_term"}, "fewer remaining months than the current 272"),
        ({"new_remaining_months": 200}, "None unless mode='shorten_term'"),
    ],
)
def test_prepay_bad_input(change: dict[str, object], needle: str) -> None:
    args: dict[str, object] = {**SEED, "on": date(2018, 1, 9), "mode": "lower_payment"}
    args.update(change)
    with pytest.raises(InputError) as info:
        prepay(**args)  # type: ignore[arg-type]
    assert needle in str(info.value)


def test_payoff_and_change_term_bad_input() -> None:
    with pytest.raises(InputError, match="interest_from"):
        payoff(balance=1000, annual_rate=0.03, on="2020-01-01", interest_from="2020-02-01")
    with pytest.raises(InputError, match="balance=-1"):
        payoff(balance=-1, annual_rate=0.03, on="2020-01-01", interest_from="2020-01-01")
    with pytest.raises(InputError, match="new_maturity_year"):
        change_term(balance=1000, annual_rate=0.03, remaining_months=12, new_maturity_year=2030)
    with pytest.raises(InputError, match="new_remaining_months=None"):
        change_term(balance=1000, annual_rate=0.03, remaining_months=12)


def test_loan_refuses_dates_before_release_and_after_repayment() -> None:
    loan = Loan(12_000, "3%", 12, released="2020-01-15")
    with pytest.raises(InputError, match="on or after released=2020-01-15"):
        loan.state_on("2019-12-31")
    with pytest.raises(InputError, match="before the loan is repaid"):
        loan.payoff(on="2021-02-01")


@pytest.mark.parametrize(
    ("rate", "method", "convention"),
    [(0, "equal_installment", "center"), ("0.01", "equal_principal", "ledger"), (0, "equal_principal", "ledger")],
)
def test_shorten_term_with_a_level_that_rounds_to_zero_is_an_input_error(rate, method, convention):
    # 0.05 yuan over 600 months: the payment (or principal part) rounds to 0.00 and repays nothing
    with pytest.raises(InputError, match=r"payment=Decimal\('0.00'\).*lower_payment"):
        prepay(balance="0.05", annual_rate=rate, remaining_months=600, amount="0.01",
                       on="2020-01-02", interest_from="2020-01-01", mode="shorten_term",
                       method=method, convention=convention)
    kwargs = {"balance": "0.05", "annual_rate": rate, "remaining_months": 600, "amount": "0.01",
                  "on": "2020-01-02", "interest_from": "2020-01-01", "mode": "lower_payment",
                  "method": method, "convention": convention}
    # lower_payment recomputes the level for 0.04 over 600 months: 0.04/600 rounds to 0.00
    # wherever the convention rounds the level, which would repay nothing until the last month
    rounds_level = convention == "ledger" or (convention == "center" and method == "equal_installment")
    if rounds_level:
        with pytest.raises(InputError, match=r"amount=Decimal\('0.01'\).*shorten_term"):
            prepay(**kwargs)
    else:
        assert prepay(**kwargs).new_balance == Decimal("0.04")
