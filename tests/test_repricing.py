"""Repricing of existing loans (issue 4): ``Loan`` following the benchmark tables.

Expected values are computed here independently of the engine: the balance
of an equal-installment loan after k level payments has the closed form

    B(k) = B(0)·(1+r)^k − A·((1+r)^k − 1)/r,

which the tests evaluate exactly with ``Fraction`` (the ``center``
convention carries the balance unrounded, SPEC §1), and each new payment is
the annuity A = B·r·(1+r)^n / ((1+r)^n − 1) rounded half-up to the fen,
cross-checked against ``numpy_financial.pmt``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import numpy_financial as npf
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from gjjcalc import InputError, Loan, Method
from gjjcalc.loan import RateChange
from gjjcalc.rules.rates import (
    RateRow,
    RateTable,
    Repricing,
    loan_rate,
    provident_rate,
    repricing_date,
    repricing_dates,
)

# --- independent arithmetic ------------------------------------------------------------------


def _fen(x: Fraction) -> Fraction:
    """Half-up to the fen (x ≥ 0)."""
    n = x * 100
    return Fraction((2 * n.numerator + n.denominator) // (2 * n.denominator), 100)


def _annuity(balance: Fraction, r: Fraction, n: int) -> Fraction:
    g = (1 + r) ** n
    return balance * r * g / (g - 1)


def _balance(b0: Fraction, r: Fraction, level: Fraction, k: int) -> Fraction:
    g = (1 + r) ** k
    return b0 * g - level * (g - 1) / r


def _d(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


def _money(x: Fraction) -> Decimal:
    return _d(_fen(x)).quantize(Decimal("0.01"))


R1 = Fraction("0.0325") / 12
R2 = Fraction("0.031") / 12
R3 = Fraction("0.0285") / 12
R4 = Fraction("0.026") / 12


@pytest.fixture
def seed_tabled() -> Loan:
    """Seed 001's loan with its rate path from the tables (national rule)."""
    return Loan(690000, 0.0325, 300, released="2015-08-28", first_due="2015-09-28",
                repricing="next_january")


# --- seed 001 worked repricing ----------------------------------------------------------------


def test_seed_001_worked_repricing_through_2023_2025_and_2026(seed_tabled: Loan) -> None:
    """Seed 001's loan (690,000, 300 months, released 2015-08-28, due on the 28th).

    Rate path (``repricing_dates``, national rule): 3.25% until the repricing
    of 2023-01-01, then 3.1%; 2.85% from 2025-01-01; 2.6% from 2026-01-01.

    Which installment first pays a new rate: installment k is due
    2015-09-28 + (k − 1) months, and its period starts on the previous due
    date. The installment due 2023-01-28 is k = 89; its period started on
    2022-12-28, *before* 2023-01-01, so it still pays 3.25%. The first at
    3.1% is k = 90, due 2023-02-28 (period from 2023-01-28).

    By hand (r = annual/12, center convention: payment rounded, balance
    carried unrounded):

    * A1 = annuity(690,000, 3.25%/12, 300) = 3362.48 (SPEC §2).
    * B(89) = 690,000·(1+r1)^89 − 3362.48·((1+r1)^89 − 1)/r1
      = 539,895.582013… ; 300 − 89 = 211 months left.
      A2 = annuity(539,895.582013…, 3.1%/12, 211) = 3322.377259… → 3322.38.
    * 2025: k = 113 is due 2025-01-28 (period from 2024-12-28, still 3.1%);
      k = 114 (due 2025-02-28) is the first at 2.85%.
      B(113) = B(89) carried 24 periods at 3.1% with 3322.38 = 492,231.179501… ;
      187 months left. A3 = annuity(492,231.179501…, 2.85%/12, 187)
      = 3262.976008… → 3262.98.
    * 2026: k = 126 (due 2026-02-28) is the first at 2.6%.
      B(125) = B(113) carried 12 periods at 2.85% with 3262.98
      = 466,773.172065… ; 175 months left.
      A4 = annuity(466,773.172065…, 2.6%/12, 175) = 3207.679675… → 3207.68.
    * The last installment (k = 300, due 2040-08-28) pays the rest:
      B(299)·(1 + r4) = 3207.61.
    * Total interest = 89·3362.48 + 24·3322.38 + 12·3262.98 + 174·3207.68
      + B(299)·(1 + r4) − 690,000 = 289,497.53 (the exact sum, rounded once).
    """
    p = Fraction(690000)
    a1 = _fen(_annuity(p, R1, 300))
    assert a1 == Fraction("3362.48")
    b89 = _balance(p, R1, a1, 89)
    a2 = _fen(_annuity(b89, R2, 211))
    b113 = _balance(b89, R2, a2, 24)
    a3 = _fen(_annuity(b113, R3, 187))
    b125 = _balance(b113, R3, a3, 12)
    a4 = _fen(_annuity(b125, R4, 175))
    b299 = _balance(b125, R4, a4, 174)
    last = _fen(b299 * (1 + R4))
    # the hand figures of the docstring
    assert (_money(b89), _money(a2)) == (Decimal("539895.58"), Decimal("3322.38"))
    assert (_money(b113), _money(a3)) == (Decimal("492231.18"), Decimal("3262.98"))
    assert (_money(b125), _money(a4)) == (Decimal("466773.17"), Decimal("3207.68"))
    assert _money(last) == Decimal("3207.61")
    total_interest = 89 * a1 + 24 * a2 + 12 * a3 + 174 * a4 + b299 * (1 + R4) - p
    assert _money(total_interest) == Decimal("289497.53")
    # numpy-financial agrees on each new payment to the fen
    for balance, rate, n, level in [
        (b89, "0.031", 211, a2), (b113, "0.0285", 187, a3), (b125, "0.026", 175, a4),
    ]:
        pmt = -npf.pmt(float(rate) / 12, n, float(balance))
        assert abs(Decimal(str(pmt)) - _d(level)) < Decimal("0.005")

    s = seed_tabled.schedule()
    assert s.months == 300
    assert s.due_dates is not None
    # installment 89 (index 88), due 2023-01-28: still 3.25%, the old payment
    assert s.due_dates[88] == date(2023, 1, 28)
    assert (s.rate[88], s.payment[88]) == (Decimal("0.0325"), Decimal("3362.48"))
    assert s.interest[88] == _money(_balance(p, R1, a1, 88) * R1)
    assert s.balance[88] == Decimal("539895.58")
    # installment 90, due 2023-02-28: the first at 3.1%
    assert s.due_dates[89] == date(2023, 2, 28)
    assert (s.rate[89], s.payment[89]) == (Decimal("0.031"), _money(a2))
    assert s.interest[89] == _money(b89 * R2) == Decimal("1394.73")
    assert (s.rate[112], s.payment[112]) == (Decimal("0.031"), _money(a2))
    assert (s.rate[113], s.payment[113], s.due_dates[113]) == (
        Decimal("0.0285"), _money(a3), date(2025, 2, 28)
    )
    assert (s.rate[124], s.payment[124]) == (Decimal("0.0285"), _money(a3))
    assert (s.rate[125], s.payment[125], s.due_dates[125]) == (
        Decimal("0.026"), _money(a4), date(2026, 2, 28)
    )
    assert s.payment[-1] == _money(last)
    assert s.total_interest == _money(total_interest)
    assert s.balance[-1] == 0
    assert s.due_dates[-1] == date(2040, 8, 28)
    # every payment is one of the four levels, except the last
    assert set(s.payment[:-1]) == {_money(a1), _money(a2), _money(a3), _money(a4)}


def test_seed_001_state_after_each_repricing(seed_tabled: Loan) -> None:
    # On 2023-01-27 the loan still owes installment 89 at the old payment.
    before = seed_tabled.state_on("2023-01-27")
    assert (before.periods_paid, before.payment, before.annual_rate) == (88, Decimal("3362.48"), Decimal("0.0325"))
    after = seed_tabled.state_on("2023-01-28")
    assert (after.periods_paid, after.remaining_months) == (89, 211)
    assert (after.balance, after.payment, after.annual_rate) == (
        Decimal("539895.58"), Decimal("3322.38"), Decimal("0.031")
    )
    assert seed_tabled.state_on("2025-01-28").payment == Decimal("3262.98")
    assert seed_tabled.state_on("2026-01-28").payment == Decimal("3207.68")
    assert seed_tabled.maturity == date(2040, 8, 28)


def test_annual_rate_none_looks_up_the_release_date_and_defaults_to_next_january(
    seed_tabled: Loan,
) -> None:
    tabled = Loan(690000, None, 300, released="2015-08-28", first_due="2015-09-28")
    # 2015-08-28 is two days after the 2015-08-26 cut: >5-year tier 3.25%
    assert tabled.annual_rate == Decimal("0.0325") == provident_rate("2015-08-28", 300)
    assert tabled.repricing is Repricing.NEXT_JANUARY
    assert [(e.on, e.annual_rate, e.scheduled) for e in tabled.events] == [
        (date(2023, 1, 1), Fraction("0.031"), True),
        (date(2025, 1, 1), Fraction("0.0285"), True),
        (date(2026, 1, 1), Fraction("0.026"), True),
    ]
    assert tabled.schedule() == seed_tabled.schedule()


def test_explicit_rate_without_repricing_never_changes() -> None:
    plain = Loan(690000, 0.0325, 300, released="2015-08-28", first_due="2015-09-28")
    assert plain.repricing is None
    assert plain.events == ()
    assert set(plain.schedule().rate) == {Decimal("0.0325")}


def test_a_change_effective_on_a_period_start_reaches_that_period() -> None:
    # Due on the 1st: the period of the installment due 2023-02-01 starts on 2023-01-01,
    # the repricing day itself, so that installment is the first at 3.1%.
    loan = Loan(500000, None, 240, released="2015-09-01")
    s = loan.schedule()
    assert s.due_dates is not None
    k = s.due_dates.index(date(2023, 2, 1))
    assert (s.rate[k - 1], s.rate[k]) == (Decimal("0.0325"), Decimal("0.031"))


def test_shenzhen_rule_reprices_from_the_first_period_starting_on_or_after_1_july() -> None:
    loan = Loan(690000, None, 300, released="2015-08-28", first_due="2015-09-28",
                repricing="july_same_year")
    s = loan.schedule()
    assert s.due_dates is not None
    rates = dict(zip(s.due_dates, s.rate, strict=True))
    # the period 2024-06-28 → 2024-07-28 started before 2024-07-01: still 3.1%
    assert rates[date(2024, 7, 28)] == Decimal("0.031")
    assert rates[date(2024, 8, 28)] == Decimal("0.0285")
    assert rates[date(2025, 7, 28)] == Decimal("0.0285")
    assert rates[date(2025, 8, 28)] == Decimal("0.026")


def test_equal_principal_keeps_its_principal_part_and_pays_the_new_rate_by_hand() -> None:
    """120,000 over 120 months, equal principal, released 2021-06-15, due on the 15th.

    Contract rate: >5-year tier on 2021-06-15 = 3.25%. The 2022-10-01 cut
    reaches the loan on 2023-01-01; the first period starting on or after it
    is the one from 2023-01-15 to 2023-02-15 (installment 20).
    Principal part 120,000/120 = 1,000 throughout.
    Installment 19: interest = (120,000 − 18·1,000) × 3.25%/12 = 102,000 × 0.0325/12
    = 276.25 → payment 1,276.25.
    Installment 20: interest = 101,000 × 3.1%/12 = 260.9166… → 260.92 → payment 1,260.92.
    """
    loan = Loan(120000, None, 120, released="2021-06-15", method="equal_principal")
    s = loan.schedule()
    assert s.due_dates is not None
    assert (s.due_dates[18], s.due_dates[19]) == (date(2023, 1, 15), date(2023, 2, 15))
    assert (s.principal[18], s.interest[18], s.payment[18]) == (
        Decimal("1000.00"), Decimal("276.25"), Decimal("1276.25")
    )
    assert (s.principal[19], s.interest[19], s.payment[19]) == (
        Decimal("1000.00"), Decimal("260.92"), Decimal("1260.92")
    )
    assert all(x == Decimal("1000.00") for x in s.principal)
    assert sum(s.principal) == Decimal("120000.00")


def test_markup_and_second_home_apply_to_the_looked_up_rate_and_its_repricings() -> None:
    # 2023-03-01, 240 months: first home 3.1%; +10% markup = 3.41% exactly (Qingdao, S002)
    marked = Loan(300000, None, 240, released="2023-03-01", markup="10%")
    assert marked.annual_rate == Decimal("0.0341")
    # 2.85% × 1.1 = 3.135% from 2025-01-01, 2.6% × 1.1 = 2.86% from 2026-01-01
    assert [(e.on, e.annual_rate) for e in marked.events] == [
        (date(2025, 1, 1), Fraction("0.03135")), (date(2026, 1, 1), Fraction("0.0286")),
    ]
    second = Loan(300000, None, 240, released="2023-03-01", second_home=True)
    assert second.annual_rate == Decimal("0.03575")
    assert [e.annual_rate for e in second.events] == [Fraction("0.03325"), Fraction("0.03075")]


def test_explicit_rate_with_repricing_keeps_the_contract_rate_until_the_first_repricing() -> None:
    # a negotiated 3.0% contract rate, then the benchmark path of its tier
    loan = Loan(690000, "3%", 300, released="2015-08-28", repricing="next_january")
    s = loan.schedule()
    assert s.rate[0] == Decimal("0.03")
    assert loan.state_on("2023-01-28").annual_rate == Decimal("0.031")


def test_a_loan_of_twelve_months_keeps_its_contract_rate() -> None:
    loan = Loan(50000, None, 12, released="2022-06-01")
    assert loan.annual_rate == Decimal("0.0275")
    assert loan.events == ()
    assert set(loan.schedule().rate) == {Decimal("0.0275")}


def test_scheduled_repricings_do_not_block_prepayments_before_them() -> None:
    # Seed 001's own trial (SPEC §3) on the loan that follows the tables: the figures of
    # the day are unchanged (the repricings come five years later).
    loan = Loan(690000, None, 300, released="2015-08-28", first_due="2015-09-28", pack="jilin")
    result, after = loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    assert (result.interest, result.total, result.new_balance) == (
        Decimal("10.83"), Decimal("10010.83"), Decimal("636609.84")
    )
    assert (result.remaining_months, result.payment, result.maturity) == (
        266, Decimal("3362.48"), date(2040, 2, 28)
    )
    # interest saved is measured along the whole rate path, repricings included
    saved = loan.schedule().total_interest - after.schedule().total_interest
    assert abs(saved - result.interest_saved) <= Decimal("0.01")
    # the plain 3.25% loan saves more: its future interest is all at 3.25%
    plain = Loan(690000, 0.0325, 300, released="2015-08-28", first_due="2015-09-28", pack="jilin")
    assert plain.prepay(amount=10000, on="2018-01-10", mode="shorten_term")[0].interest_saved > (
        result.interest_saved
    )
    # a rate change recorded by hand is history: prepaying before it is refused
    recorded = plain.change_rate(on="2019-01-01", annual_rate="3%")
    with pytest.raises(InputError, match="last recorded event 2019-01-01"):
        recorded.prepay(amount=10000, on="2018-06-01", mode="lower_payment")


def test_prepayment_inside_the_straddling_period_is_applied_before_its_installment() -> None:
    """Prepay 10,000 on 2023-01-10, inside the period 2022-12-28 → 2023-01-28.

    The period started before the 2023-01-01 repricing, so it is a 3.25%
    period: the prepayment's interest runs 2022-12-29 → 2023-01-10 (12 days,
    seed 001's center accrues from the day after the due date) at 3.25%/360:
    10,000 × 0.0325 × 12 / 360 = 10.8333… → 10.83. Lower the payment: the
    installment due 2023-01-28 pays annuity(B(88) − 10,000, 3.25%/12, 212);
    the next one is re-amortized at 3.1% over 211 months.
    """
    loan = Loan(690000, None, 300, released="2015-08-28", first_due="2015-09-28", pack="jilin")
    result, after = loan.prepay(amount=10000, on="2023-01-10", mode="lower_payment")
    assert (result.interest, result.days) == (Decimal("10.83"), 12)
    p = Fraction(690000)
    a1 = _fen(_annuity(p, R1, 300))
    rest = _balance(p, R1, a1, 88) - 10000
    a89 = _fen(_annuity(rest, R1, 212))
    b89 = rest * (1 + R1) - a89
    a90 = _fen(_annuity(b89, R2, 211))
    assert result.payment == _money(a89)
    s = after.schedule()
    assert s.prepaid[88] == Decimal("10000.00")
    assert (s.rate[88], s.payment[88]) == (Decimal("0.0325"), _money(a89))
    assert (s.rate[89], s.payment[89]) == (Decimal("0.031"), _money(a90))
    assert s.balance[88] == _money(b89)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"released": "2006-01-01"}, "released='2006-01-01' is out of range: expected a date on or after 2006-04-28"),
        ({"repricing": "yearly"}, "repricing='yearly' is out of range: expected one of 'next_january'"),
        ({"months": 0}, "months=0 is out of range: expected an integer from 1 to 600"),
        ({"markup": "-10%"}, "markup="),
        ({"second_home": "yes"}, "second_home='yes' is out of range"),
        ({"table": "mine.csv"}, "table='mine.csv' is out of range"),
        ({"released": "2010-11-15", "second_home": True}, "second_home=True is out of range"),
    ],
)
def test_table_lookup_bad_input_names_the_argument(kwargs: dict[str, object], needle: str) -> None:
    args: dict[str, object] = {"released": "2015-08-28", "months": 300, **kwargs}
    months = args.pop("months")
    with pytest.raises(InputError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        Loan(690000, None, months, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"markup": "10%"}, "markup"), ({"second_home": True}, "second_home"),
     ({"table": RateTable((RateRow(date(2000, 1, 1), Decimal("0.03"), Decimal("0.04"), source="x"),))},
      "table")],
)
def test_table_options_with_an_explicit_rate_and_no_repricing_are_refused(
    kwargs: dict[str, object], name: str
) -> None:
    with pytest.raises(InputError, match=f"^{name}=.*when annual_rate is given and repricing=None"):
        Loan(690000, 0.0325, 300, released="2015-08-28", **kwargs)  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------------


@st.composite
def tabled_loans(draw: st.DrawFn) -> tuple[date, int, RateTable | None]:
    """A release date, a term and a rate history: the shipped table or a random one.

    A random history has a row in force at the release and up to 10 changes
    after it (at least 2 for a loan of more than 12 months), 20 to 900 days apart, rates 0 to 8% in 0.005% steps, so that
    most loans live through several repricings.
    """
    short = draw(st.sampled_from([False, False, False, False, True]))  # 1 in 5
    months = draw(st.integers(1, 12) if short else st.integers(13, 360))
    if draw(st.booleans()):
        released = draw(st.dates(date(2008, 1, 1), date(2024, 12, 31)))
        return released, months, None
    released = draw(st.dates(date(2000, 1, 1), date(2040, 12, 31)))
    day = released - timedelta(days=draw(st.integers(0, 2000)))
    rows = []
    for k in range(draw(st.integers(1, 11)) if months <= 12 else draw(st.integers(3, 11))):
        if k:
            day += timedelta(days=draw(st.integers(20, 900)))
        le5y, gt5y = (Decimal(draw(st.integers(0, 1600))) * Decimal("0.00005") for _ in range(2))
        rows.append(RateRow(day, le5y, gt5y, source="hypothesis"))
    return released, months, RateTable(tuple(rows), name="random")


@given(
    tabled=tabled_loans(),
    principal=st.integers(100_000, 200_000_000),
    method=st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]),
    convention=st.sampled_from(["center", "ledger", "exact"]),
    rule=st.sampled_from(list(Repricing)),
    due_day=st.integers(0, 27),
)
def test_every_schedule_invariant_holds_across_repricings(
    tabled: tuple[date, int, RateTable | None],
    principal: int,
    method: Method,
    convention: str,
    rule: Repricing,
    due_day: int,
) -> None:
    released, months, table = tabled
    first_due = released + relativedelta(months=1) - timedelta(days=due_day)
    if first_due <= released:
        first_due = released + timedelta(days=1)
    loan = Loan(
        Decimal(principal) / 100, None, months, released=released, first_due=first_due,
        method=method, convention=convention, repricing=rule, table=table,
    )
    s = loan.schedule()
    assert s.months == months
    assert s.due_dates is not None
    balances = [s.loan, *s.balance]
    assert all(b1 <= b0 for b0, b1 in pairwise(balances))
    assert s.balance[-1] == 0
    assert all(i >= 0 for i in s.interest)
    assert all(r.payment == r.principal + r.interest for r in s)
    if convention == "ledger":
        assert sum(s.principal) == s.loan
    else:
        assert abs(sum(s.principal) - s.loan) <= Decimal("0.01") * months
    # the rate column is the loan's rate on each period's start (release, then each due date)
    starts = [released, *s.due_dates[:-1]]
    for start, rate in zip(starts, s.rate, strict=True):
        expected = loan_rate(released=released, months=months, on=start, repricing=rule, table=table)
        assert rate == expected.normalize()
    # between repricings an equal-installment loan pays one level payment
    if method is Method.EQUAL_INSTALLMENT:
        for k in range(1, months - 1):
            if s.rate[k] == s.rate[k - 1] and s.balance[k] > 0:
                assert s.payment[k] == s.payment[k - 1]
    # and each scheduled change is a RateChange at the table's new rate
    assert all(isinstance(e, RateChange) and e.scheduled for e in loan.events)


def test_repricing_never_keeps_the_table_rate_at_release() -> None:
    fixed = Loan(690000, None, 300, released="2015-08-28", first_due="2015-09-28", repricing="never")
    assert fixed.repricing is Repricing.NEVER
    assert fixed.annual_rate == Decimal("0.0325")
    assert fixed.events == ()
    assert fixed.state_on("2026-02-01").payment == Decimal("3362.48")
    assert set(fixed.schedule().rate) == {Decimal("0.0325")}
    assert repricing_dates(released="2015-08-28", months=300, repricing="never") == []
    with pytest.raises(InputError, match="rule"):
        repricing_date("2024-05-18", "never")
