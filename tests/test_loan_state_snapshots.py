"""``Loan.state_on`` resumes from the whole walk's snapshots, inside a stretch of level periods at
the installment the date has reached (its closed form): the state must be the one a walk from
the release gives, on every date, with and without events."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc import Convention, Method
from gjjcalc.loan import Loan, Prepayment, RateChange


def _from_release(loan: Loan, day: object) -> object:
    """The state by a walk from the release (no snapshot)."""
    return loan._state(loan._walk(day), day)  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(
    st.integers(500, 9000), st.integers(150, 600), st.integers(30, 360),
    st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]), st.sampled_from(list(Convention)),
    st.booleans(), st.data(),
)
def test_state_on_every_date_equals_the_walk_from_release(
    principal: int, rate: int, months: int, method: Method, convention: Convention, events: bool,
    data: st.DataObject,
) -> None:
    loan = Loan(principal * 100, f"{rate / 100}%", months, released="2016-03-31", method=method,
                convention=convention)
    if events:
        k = data.draw(st.integers(2, months - 1))
        day = loan.due(k) + timedelta(days=3)
        loan = loan.with_events(Prepayment(day, 100, "shorten_term"))
        loan = loan.with_events(RateChange(day + timedelta(days=40), "2.5%"))
    ks = data.draw(st.lists(st.integers(1, loan.months), min_size=1, max_size=8))
    for k in ks:
        for day in (loan.due(k), loan.due(k) + timedelta(days=1), loan.due(k) - timedelta(days=1)):
            assert loan.state_on(day) == _from_release(loan, day), (k, day)
            assert loan.state_on(day) == loan.state_on(day)  # the built snapshot, again
