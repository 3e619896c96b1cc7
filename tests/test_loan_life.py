"""A loan's whole life: events checked against the state they meet, term and payment changes,
and what has been repaid, with every figure computed by hand in Fractions."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

import gjjcalc
from gjjcalc import Loan
from gjjcalc.errors import InputError
from gjjcalc.loan import PaymentChange, Prepayment, RateChange, TermChange

R = Fraction(325, 10000) / 12  # seed 001: 3.25 % a year, monthly
B28 = Fraction(64660984, 100)  # its balance after 28 installments (the center's figure)


def seed() -> Loan:
    return Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack="jilin")


def half_up(x: Fraction) -> Fraction:
    """Round yuan half-up to the fen."""
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


def annuity(balance: Fraction, r: Fraction, n: int) -> Fraction:
    g = (1 + r) ** n
    return balance * r * g / (g - 1)


# --- events are checked against the loan's state on their date -------------------------------


def test_an_event_is_named_by_its_position_and_field() -> None:
    ok = Prepayment("2018-01-10", 10000, "lower_payment")
    too_much = Prepayment("2018-02-10", 1_000_000, "lower_payment")
    with pytest.raises(InputError, match=r"events\[1\]\.amount=Decimal\('1000000.00'\) .* to the balance"):
        Loan(690000, "3.25%", 300, released="2015-08-28", events=[ok, too_much])


def test_events_come_in_date_order() -> None:
    with pytest.raises(InputError, match=r"events\[1\]\.on='2018-01-10' .* previous event's 2019-01-10"):
        Loan(690000, "3.25%", 300, released="2015-08-28",
             events=[Prepayment("2019-01-10", 100, "lower_payment"),
                     Prepayment("2018-01-10", 100, "lower_payment")])
    loan = seed().with_events(Prepayment("2019-01-10", 1000, "lower_payment"))
    with pytest.raises(InputError, match=r"events\[0\]\.on='2018-01-10' .* 2019-01-10"):
        loan.with_events(Prepayment("2018-01-10", 1000, "lower_payment"))


def test_an_event_after_the_loan_is_repaid_is_refused() -> None:
    with pytest.raises(InputError, match=r"events\[0\]\.on='2041-01-10' .* before the loan is repaid \(maturity 2040-08-28\)"):
        seed().with_events(Prepayment("2041-01-10", 100, "lower_payment"))
    with pytest.raises(InputError, match=r"events\[1\]\.on='2019-01-10' .* repaid"):
        seed().with_events(Prepayment("2018-01-10", B28, "lower_payment"),
                           Prepayment("2019-01-10", 100, "lower_payment"))


def test_an_event_before_release_is_refused() -> None:
    with pytest.raises(InputError, match=r"events\[0\]\.on='2015-01-01' .* on or after released=2015-08-28"):
        seed().with_events(RateChange("2015-01-01", "3%"))


@pytest.mark.parametrize(("event", "field"), [
    (lambda: TermChange("2018-01-10"), "remaining_months"),
    (lambda: TermChange("2018-01-10", remaining_months=100, maturity_year=2030), "remaining_months"),
    (lambda: TermChange("2018-01-10", remaining_months=0), "remaining_months"),
    (lambda: PaymentChange("2018-01-10", -1), "payment"),
])
def test_a_malformed_term_or_payment_change_is_refused(event: object, field: str) -> None:
    with pytest.raises(InputError, match=rf"^{field}="):
        event()  # type: ignore[operator]


def test_a_term_change_to_the_current_term_or_past_600_months_is_refused() -> None:
    with pytest.raises(InputError, match=r"events\[0\]\.remaining_months=272 .* other than the current 272"):
        seed().with_events(TermChange("2018-01-10", remaining_months=272))
    with pytest.raises(InputError, match=r"events\[0\]\.remaining_months=580 .* within 600 months"):
        seed().with_events(TermChange("2018-01-10", remaining_months=580))


# --- change_term: 缩短期限 / 延长期限 ---------------------------------------------------------


def test_change_term_to_a_maturity_year_recomputes_the_payment() -> None:
    # 2035-08-28 is due date 240, so 212 months are left after the 28 paid
    result, after = seed().change_term(on="2018-01-10", maturity_year=2035)
    assert result.remaining_months == 212
    assert result.payment == half_up(annuity(B28, R, 212)) == Fraction("4013.02")
    assert result.maturity == after.maturity == after.schedule().due_dates[-1] == date(2035, 8, 28)
    assert result.balance == B28
    assert result.interest_saved > 0


def test_extending_the_term_costs_interest_and_lowers_the_payment() -> None:
    result, after = seed().change_term(on="2018-01-10", remaining_months=300)
    assert result.payment == half_up(annuity(B28, R, 300))
    assert result.interest_saved < 0
    assert after.maturity == date(2042, 12, 28)  # due date 28 + 300 = 2015-09-28 + 327 months
    assert after.schedule().due_dates[-1] == after.maturity


def test_change_term_on_an_equal_principal_loan_keeps_the_method() -> None:
    loan = Loan(120000, "3.1%", 120, released="2021-06-15", method="equal_principal")
    result, after = loan.change_term(on="2022-06-20", remaining_months=60)
    # 12 paid: 108,000 left, now over 60 months: 1,800 principal + 108,000 × 3.1 % / 12
    assert result.payment == half_up(Fraction(1800) + Fraction(108000) * Fraction(31, 12000)) == Fraction("2079")
    assert len(after.schedule()) == 72


# --- change_payment: 调整月还款额 --------------------------------------------------------------


def test_change_payment_sets_the_months_that_repay_the_balance() -> None:
    result, after = seed().change_payment(on="2018-01-10", payment=5000)
    # the fewest months n with B·gⁿ − 5000·(gⁿ − 1)/r ≤ 0, found by hand
    n = next(k for k in range(1, 300) if B28 * (1 + R) ** k - 5000 * ((1 + R) ** k - 1) / R <= 0)
    assert (result.remaining_months, n) == (160, 160)
    assert result.payment == 5000
    s = after.schedule()
    assert s.payment[28:-1] == (Decimal("5000.00"),) * 159
    assert 0 < s.payment[-1] < 5000  # the last period takes the remainder
    assert s.balance[-1] == 0
    assert after.maturity == s.due_dates[-1] == date(2031, 4, 28)  # due date 28 + 160


def test_a_payment_that_does_not_cover_the_interest_or_runs_too_long_is_refused() -> None:
    interest = B28 * R  # 1,751.23…
    with pytest.raises(InputError, match=r"^payment=Decimal\('1751.23'\) .* month's interest"):
        seed().change_payment(on="2018-01-10", payment=half_up(interest - Fraction(1, 200)))
    with pytest.raises(InputError, match=r"^payment=.* within 600 months"):
        seed().change_payment(on="2018-01-10", payment=1760)
    equal_principal = Loan(120000, "3.1%", 120, released="2021-06-15", method="equal_principal")
    with pytest.raises(InputError, match=r"^payment=.* equal principal"):
        equal_principal.change_payment(on="2022-06-20", payment=2000)


# --- what has been repaid (还款情况) ----------------------------------------------------------


def test_the_state_says_what_has_been_repaid_and_what_is_next() -> None:
    state = seed().state_on("2018-01-09")
    # 28 installments of 3362.48 under center: the interest shown each month is the carried
    # balance × r rounded; the balance is carried unrounded
    balance = Fraction(690000)
    interest = Fraction(0)
    for _ in range(28):
        interest += half_up(balance * R)
        balance = balance * (1 + R) - Fraction("3362.48")
    assert half_up(balance) == B28
    assert state.periods_paid == 28
    assert state.principal_repaid == Fraction(690000) - B28
    assert state.principal_repaid + state.balance == 690000
    assert state.interest_repaid == interest
    assert state.next_due == date(2018, 1, 28)


def test_interest_paid_with_a_prepayment_counts_as_repaid() -> None:
    result, after = seed().prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    before = seed().state_on("2018-01-10")
    now = after.state_on("2018-01-10")
    # 10,000 × 3.25 % / 360 × 12 days (from 2017-12-29, the day after the due date)
    assert result.interest == half_up(Fraction(10000) * Fraction(325, 10000) / 360 * 12) == Fraction("10.83")
    assert now.interest_repaid == before.interest_repaid + result.interest
    assert now.principal_repaid == before.principal_repaid + 10000


def test_paid_months_still_reads_with_a_warning() -> None:
    state = seed().state_on("2018-01-09")
    with pytest.warns(DeprecationWarning, match="periods_paid"):
        assert state.paid_months == 28


def test_events_are_exported_from_gjjcalc_loan() -> None:
    assert {"Prepayment", "RateChange", "TermChange", "PaymentChange"} <= set(gjjcalc.loan.__all__)


# --- arrears (逾期) ---------------------------------------------------------------------------

PENALTY = Fraction(4875, 100000)  # the caller's penalty rate: 4.875 % a year (3.25 % × 1.5)


def late_loan() -> Loan:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack="jilin",
                penalty_rate="4.875%")
    return loan.with_events(gjjcalc.Missed("2018-01-28"), gjjcalc.Missed("2018-02-28"))


def installment(k: int) -> tuple[Fraction, Fraction]:
    """(principal, interest) shown for installment k of the Jilin loan under center, by hand."""
    balance = Fraction(690000)
    for _ in range(k - 1):
        balance = balance * (1 + R) - Fraction("3362.48")
    interest = half_up(balance * R)
    return Fraction("3362.48") - interest, interest


def test_missed_installments_are_overdue_with_penalty_interest() -> None:
    (p29, i29), (p30, i30) = installment(29), installment(30)
    state = late_loan().state_on("2018-03-10")
    assert state.overdue_principal == p29 + p30
    assert state.overdue_interest == i29 + i30
    # per installment: principal × 4.875 % / 360 × days overdue (41 and 10 days), half-up
    penalty = half_up(p29 * PENALTY / 360 * 41) + half_up(p30 * PENALTY / 360 * 10)
    assert state.penalty_interest == penalty
    # the overdue principal is still owed: the balance includes it
    scheduled = seed().state_on("2018-03-10")
    assert state.balance == Fraction(scheduled.balance) + p29 + p30
    assert state.principal_repaid + state.balance == 690000
    assert state.interest_repaid == Fraction(scheduled.interest_repaid) - i29 - i30


def test_pay_overdue_settles_every_missed_installment() -> None:
    (p29, i29), (p30, i30) = installment(29), installment(30)
    result, after = late_loan().pay_overdue(on="2018-03-10")
    assert result.installments == (date(2018, 1, 28), date(2018, 2, 28))
    assert (result.principal, result.interest) == (p29 + p30, i29 + i30)
    assert result.total == result.principal + result.interest + result.penalty
    state = after.state_on("2018-03-11")
    assert (state.overdue_principal, state.overdue_interest, state.penalty_interest) == (0, 0, 0)
    assert state.balance == seed().state_on("2018-03-11").balance


def test_a_prepayment_or_payoff_with_open_arrears_is_refused() -> None:
    with pytest.raises(gjjcalc.RuleViolation, match=r"arrears: .* 2 installment\(s\) due 2018-01-28 to 2018-02-28"):
        late_loan().payoff(on="2018-03-10", enforce=True)
    with pytest.raises(InputError, match=r"no open arrears .*loan.pay_overdue"):
        late_loan().prepay(amount=10000, on="2018-03-10", mode="lower_payment")
    _, settled = late_loan().pay_overdue(on="2018-03-10")
    assert settled.payoff(on="2018-03-12").principal == seed().state_on("2018-03-12").balance


def test_arrears_events_are_checked() -> None:
    with pytest.raises(InputError, match=r"events\[0\]\.due='2018-01-27' .* one of the loan's due dates"):
        seed().with_events(gjjcalc.Missed("2018-01-27"))
    with pytest.raises(InputError, match=r"events\[0\]\.on='2018-01-10' .* arrears to settle"):
        seed().with_events(gjjcalc.ArrearsPaid("2018-01-10"))
    no_rate = Loan(690000, "3.25%", 300, released="2015-08-28").with_events(gjjcalc.Missed("2018-01-28"))
    assert no_rate.state_on("2018-02-01").penalty_interest is None
    with pytest.raises(InputError, match=r"^penalty_rate=None"):
        no_rate.pay_overdue(on="2018-02-01")


# --- Qingdao's trial: a prepaid amount and/or a year to shorten to ---------------------------


def test_prepay_with_a_maturity_year_re_amortizes_to_that_year() -> None:
    result, after = seed().prepay(amount=10000, on="2018-01-10", maturity_year=2035)
    assert (result.new_balance, result.remaining_months) == (B28 - 10000, 212)
    assert result.payment == half_up(annuity(B28 - 10000, R, 212))
    assert result.interest == Fraction("10.83")  # 12 days from 2017-12-29, as without the year
    assert result.maturity == after.maturity == date(2035, 8, 28)
    only_year, _ = seed().prepay(on="2018-01-10", maturity_year=2035)
    term, _ = seed().change_term(on="2018-01-10", maturity_year=2035)
    assert (only_year.amount, only_year.payment, only_year.remaining_months) == (0, term.payment, 212)


def test_prepay_needs_an_amount_or_a_year_and_a_year_sets_the_term() -> None:
    with pytest.raises(InputError, match=r"^amount=None .* maturity_year"):
        seed().prepay(on="2018-01-10", mode="lower_payment")
    with pytest.raises(InputError, match=r"^mode='lower_payment' .*the year sets the term"):
        seed().prepay(amount=1000, on="2018-01-10", mode="lower_payment", maturity_year=2035)
    with pytest.raises(InputError, match=r"^maturity_year=2041"):
        seed().prepay(amount=1000, on="2018-01-10", maturity_year=2041)
