"""Properties of a loan's whole life, over dated loans with random valid histories."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gjjcalc import Loan, PaymentChange, Prepayment, RateChange, TermChange
from gjjcalc.errors import InputError
from gjjcalc.testing import loans_with_history

SETTINGS = settings(max_examples=60, deadline=None)


def cleared_by_a_prepayment(loan: Loan) -> bool:
    return loan.state_on(loan.maturity).balance == 0 and any(
        isinstance(e, Prepayment) and e.on == loan.maturity for e in loan.events)


@SETTINGS
@given(loans_with_history())
def test_maturity_is_the_last_due_date_after_every_event(loan: Loan) -> None:
    s = loan.schedule()
    if cleared_by_a_prepayment(loan):
        assert loan.maturity == max(e.on for e in loan.events if isinstance(e, Prepayment))
    else:
        assert loan.maturity == s.due_dates[-1]
    assert s.balance[-1] == 0


@SETTINGS
@given(loans_with_history(), st.lists(st.integers(0, 40 * 366), min_size=1, max_size=5))
def test_principal_repaid_and_balance_add_up_to_the_principal_on_every_date(
    loan: Loan, offsets: list[int]
) -> None:
    previous = None
    for offset in sorted(offsets):
        state = loan.state_on(loan.released + timedelta(days=offset))
        assert state.principal_repaid + state.balance == loan.principal
        assert state.interest_repaid >= 0
        if previous is not None:  # nothing is ever un-repaid
            assert state.balance <= previous.balance
            assert state.interest_repaid >= previous.interest_repaid
            assert state.periods_paid >= previous.periods_paid
        previous = state


@SETTINGS
@given(loans_with_history())
def test_the_schedule_repays_the_principal_with_its_prepayments(loan: Loan) -> None:
    s = loan.schedule()
    prepaid = sum((e.amount for e in loan.events if isinstance(e, Prepayment)), start=0)
    drift = abs(sum(s.principal) + Decimal(prepaid.numerator) / prepaid.denominator - loan.principal) \
        if prepaid else abs(sum(s.principal) - loan.principal)
    # whole fen under ledger; under center / exact each shown principal is rounded
    assert drift <= (0 if loan.convention.value == "ledger" else Decimal("0.005") * len(s))


@SETTINGS
@given(loans_with_history(), st.integers(1, 5000))
def test_a_prepayment_above_the_balance_is_refused_wherever_it_falls(loan: Loan, day: int) -> None:
    on = loan.released + timedelta(days=day)
    recorded = [e.on for e in loan.events if not getattr(e, "scheduled", False)]
    assume(on < loan.maturity and (not recorded or on >= recorded[-1]))
    state = loan.state_on(on)
    assume(state.balance > 0)
    with pytest.raises(InputError, match=r"events\[0\]\.amount"):
        loan.with_events(Prepayment(on, state.balance + 1, "lower_payment"))


@SETTINGS
@given(loans_with_history(), st.lists(st.integers(0, 40 * 366), min_size=1, max_size=4))
def test_a_state_resumed_from_a_snapshot_equals_the_walk_from_release(loan: Loan, offsets: list[int]) -> None:
    for offset in offsets:
        day = loan.released + timedelta(days=offset)
        from_release = loan._state(loan._walk(day), day)  # the reference: every installment again
        assert loan.state_on(day) == from_release


# --- the balance after the events, re-amortized by hand ------------------------------------


def _level(balance: Fraction, rate: Fraction, n: int, exact: bool) -> Fraction:
    r = rate / 12
    a = balance / n if r == 0 else balance * r * (1 + r) ** n / ((1 + r) ** n - 1)
    return a if exact else Fraction(math.floor(a * 100 + Fraction(1, 2)), 100)


def _nper(balance: Fraction, rate: Fraction, level: Fraction) -> int:
    n = 1
    while _level(balance, rate, n, exact=True) > level:
        n += 1
    return n


def balance_by_hand(loan: Loan, day: date) -> Fraction:
    """Equal installment under center or exact, the balance carried unrounded: every
    installment due by ``day`` and every event dated by it, applied as the docs describe."""
    exact = loan.convention.value == "exact"
    b, rate, n = Fraction(loan.principal), Fraction(loan.annual_rate), loan.months
    level = _level(b, rate, n, exact)
    events = [e for e in loan.events if e.on <= day]
    rates = [e for e in events if isinstance(e, RateChange)]
    others = [e for e in events if not isinstance(e, RateChange)]
    k, start = 0, loan.released
    while n > 0 and b > 0:
        due = loan.due(k + 1)
        for e in [e for e in rates if e.on <= start]:  # a new rate for periods starting after it
            rates.remove(e)
            rate, level = e.annual_rate, _level(b, e.annual_rate, n, exact)
        for e in [e for e in others if e.on < due]:  # the events before this installment
            others.remove(e)
            if isinstance(e, Prepayment):
                b -= e.amount
                if b == 0:
                    return b
                if e.mode.value == "lower_payment":
                    level = min(level, _level(b, rate, n, exact))
                else:
                    n = min(_nper(b, rate, level), n)
            elif isinstance(e, TermChange):
                n = e.remaining_months
                level = _level(b, rate, n, exact)
            elif isinstance(e, PaymentChange):
                level, n = e.payment, _nper(b, rate, e.payment)
        if due > day:
            break
        interest = b * rate / 12
        principal = b if n == 1 or level - interest >= b else level - interest
        b, n, k, start = b - principal, n - 1, k + 1, due
    return b


@SETTINGS
@given(loans_with_history(max_months=120), st.integers(0, 12 * 366))
def test_the_balance_after_the_events_is_the_re_amortization_by_hand(loan: Loan, offset: int) -> None:
    assume(loan.method.value == "equal_installment" and loan.convention.value != "ledger")
    day = loan.released + timedelta(days=offset)
    expected = balance_by_hand(loan, day)
    assert loan.state_on(day).balance == Fraction(math.floor(expected * 100 + Fraction(1, 2)), 100)
