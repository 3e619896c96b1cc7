"""``Loan.prepay``, ``change_term`` and ``change_payment`` apply their event to the state they
read and walk the loan after it only when it is used: the results and the loan after must be
those of the eager path (``with_events``, the whole walk with the event checked)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc import Convention, Method
from gjjcalc.loan import Loan, PaymentChange, Prepayment, RateChange, TermChange
from gjjcalc.money import yuan


def _rows(loan: Loan) -> list[tuple[object, ...]]:
    s = loan.schedule()
    return list(zip(s.due_dates, s.payment, s.principal, s.interest, s.balance, s.prepaid, strict=True))


def _saved(before: Loan, after: Loan) -> Decimal:
    return yuan(before._full.run.total_interest - after._full.run.total_interest)


def _eager(loan: Loan, event: object) -> Loan:
    eager = loan.with_events(event)  # type: ignore[arg-type]
    assert eager._walked is not None
    return eager


loans = st.builds(
    lambda principal, rate, months, method, convention: Loan(
        principal * 100, f"{rate / 100}%", months, released="2016-03-31",
        method=method, convention=convention,
    ),
    st.integers(500, 9000), st.integers(150, 600), st.integers(24, 360),
    st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]), st.sampled_from(list(Convention)),
)


@settings(max_examples=40, deadline=None)
@given(loans, st.integers(1, 20), st.integers(1, 95), st.booleans())
def test_prepay_equals_the_eager_walk(loan: Loan, paid: int, share: int, shorten: bool) -> None:
    day = loan.due(min(paid, loan.months - 1)) + timedelta(days=3)
    balance = loan.state_on(day).balance
    amount = max((balance * share / 100).quantize(Decimal("1")), Decimal(1))
    mode = "shorten_term" if shorten else "lower_payment"
    result, after = loan.prepay(amount=amount, on=day, mode=mode)
    assert after._walked is None  # not walked yet
    eager = _eager(loan, Prepayment(day, amount, mode))
    assert after == eager
    assert _rows(after) == _rows(eager)
    assert result.interest_saved == _saved(loan, eager)
    assert after.state_on(day) == eager.state_on(day)


@settings(max_examples=40, deadline=None)
@given(loans, st.integers(1, 20), st.integers(-12, 60))
def test_change_term_equals_the_eager_walk(loan: Loan, paid: int, delta: int) -> None:
    day = loan.due(min(paid, loan.months - 1)) + timedelta(days=1)
    left = loan.state_on(day).remaining_months
    new = max(1, min(left + delta, 600 - (loan.months - left) - 1))
    if new == left:  # the current term is no change
        new = left - 1
    result, after = loan.change_term(on=day, remaining_months=new)
    eager = _eager(loan, TermChange(day, remaining_months=new))
    assert after == eager
    assert _rows(after) == _rows(eager)
    state = eager.state_on(day)
    assert (result.balance, result.remaining_months, result.payment, result.maturity) == (
        state.balance, state.remaining_months, state.payment, state.maturity)
    assert result.interest_saved == _saved(loan, eager)


def test_change_payment_equals_the_eager_walk() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28")
    result, after = loan.change_payment(on="2018-01-10", payment=5000)
    eager = _eager(loan, PaymentChange("2018-01-10", 5000))
    assert _rows(after) == _rows(eager)
    assert result.remaining_months == eager.state_on("2018-01-10").remaining_months
    assert result.interest_saved == _saved(loan, eager)


def test_a_pending_rate_change_takes_the_eager_walk() -> None:
    # The rate change of 2023-01-01 waits for the period starting 2023-01-28: a prepayment
    # on 2023-01-10 meets the old rate, and the loan after must be walked with both events.
    # Found: the saving was the old rate's for every month left (3,157.41), not the
    # difference of the two walks (3,001.19), as the rate change was dated before the day.
    loan = Loan(690000, "3.25%", 300, released="2015-08-28").with_events(RateChange("2023-01-01", "3.1%"))
    result, after = loan.prepay(amount=10000, on="2023-01-10", mode="lower_payment")
    assert after._walked is not None
    eager = _eager(loan, Prepayment("2023-01-10", 10000, "lower_payment"))
    assert _rows(after) == _rows(eager)
    assert result.interest_saved == _saved(loan, eager)
    _r2, after2 = loan.change_term(on="2023-01-10", remaining_months=100)
    assert _rows(after2) == _rows(_eager(loan, TermChange("2023-01-10", remaining_months=100)))


def test_an_impossible_change_is_refused_by_the_direct_path_too() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28")
    import pytest

    from gjjcalc.errors import InputError

    with pytest.raises(InputError) as err:
        loan.change_payment(on="2018-01-10", payment=100)
    assert err.value.name == "payment"
    with pytest.raises(InputError) as err:
        loan.change_term(on="2018-01-10", remaining_months=700)
    assert err.value.name == "remaining_months"
