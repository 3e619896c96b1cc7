"""Tests that kill the mutants ``make mutation`` left alive (docs/testing.md, "Mutation testing").

Every expected amount is computed here, independently of the code under test, with
``fractions.Fraction`` and the rules of SPEC §1–3 written out by hand (``_reference``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from gjjcalc import (
    Convention,
    InputError,
    Loan,
    Method,
    PrepayMode,
    change_term,
    equal_installment,
    equal_principal,
    payment,
    payoff,
    prepay,
)
from gjjcalc.amortize._exact import Run
from gjjcalc.amortize.prepay import (
    _after,
    _shortens,
    future_interest,
    given_level,
    months_to_repay,
    prepay_exact,
    term_exact,
)
from gjjcalc.amortize.schedule import _ordinal, last_due

EI, EP = Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL
CENTER, LEDGER, EXACT = Convention.CENTER, Convention.LEDGER, Convention.EXACT
R325 = Fraction(325, 10000)

# --- an independent reference: SPEC §1–2 by hand, in Fraction yuan ---------------------------


def half_up(x: Fraction) -> Fraction:
    """x rounded half-up to the fen (x ≥ 0)."""
    return Fraction((x * 100 + Fraction(1, 2)).__floor__(), 100)


def d(x: Fraction) -> Decimal:
    """A whole-fen Fraction as the library shows it."""
    assert (x * 100).denominator == 1
    return Decimal(int(x * 100)).scaleb(-2)


def shown(x: Fraction) -> Decimal:
    return d(half_up(x))


def annuity_by_hand(b: Fraction, r: Fraction, n: int) -> Fraction:
    if r == 0:
        return b / n
    g = (1 + r) ** n
    return b * r * g / (g - 1)


def level_by_hand(b: Fraction, annual: Fraction, n: int, method: Method, conv: Convention) -> Fraction:
    if method is EI:
        a = annuity_by_hand(b, annual / 12, n)
        return a if conv is EXACT else half_up(a)
    part = b / n
    return half_up(part) if conv is LEDGER else part


@dataclass
class Ref:
    payment: list[Fraction]
    interest: list[Fraction]
    balance: list[Fraction]
    end: Fraction

    @property
    def total_payment(self) -> Fraction:
        return sum(self.payment, Fraction(0))

    @property
    def total_interest(self) -> Fraction:
        return sum(self.interest, Fraction(0))


def reference(
    b: Fraction, annual: Fraction, periods: int, method: Method, conv: Convention,
    *, remaining: int | None = None, level: Fraction | None = None,
) -> Ref:
    """Period by period: interest B·r (whole fen under ledger), the last or overshooting period
    takes the balance, periods after a zero balance pay nothing. Exact amounts."""
    remaining = periods if remaining is None else remaining
    if level is None:
        level = level_by_hand(b, annual, remaining, method, conv)
    out = Ref([], [], [], b)
    for k in range(periods):
        interest = b * annual / 12
        if conv is LEDGER:
            interest = half_up(interest)
        principal = level - interest if method is EI else level
        if k == remaining - 1 or principal >= b:
            principal = b
        if b == 0:
            interest = principal = Fraction(0)
        b -= principal
        out.payment.append(principal + interest)
        out.interest.append(interest)
        out.balance.append(b)
    out.end = b
    return out


def assert_rows(s: object, ref: Ref) -> None:
    pay = [shown(x) for x in ref.payment]
    interest = [shown(x) for x in ref.interest]
    assert list(s.payment) == pay  # type: ignore[attr-defined]
    assert list(s.interest) == interest  # type: ignore[attr-defined]
    assert list(s.principal) == [p - i for p, i in zip(pay, interest, strict=True)]  # type: ignore[attr-defined]
    assert list(s.balance) == [shown(x) for x in ref.balance]  # type: ignore[attr-defined]
    assert s.total_payment == shown(ref.total_payment)  # type: ignore[attr-defined]
    assert s.total_interest == shown(ref.total_interest)  # type: ignore[attr-defined]


# --- seed 001's loan: 690,000 at 3.25% over 300 months (SPEC §2) -----------------------------


@pytest.mark.parametrize("conv", list(Convention))
def test_seed_loan_every_row_matches_the_reference_in_every_convention(conv: Convention) -> None:
    s = equal_installment(690000, "3.25%", 300, convention=conv)
    assert_rows(s, reference(Fraction(690000), R325, 300, EI, conv))


def test_seed_loan_ledger_rows_are_pinned_and_differ_from_center_where_interest_rounds() -> None:
    ledger = equal_installment(690000, "3.25%", 300, convention="ledger")
    center = equal_installment(690000, "3.25%", 300)
    # by hand, in whole fen: B0 = 69,000,000 fen, r = 13/4800 a month, A = 3362.48
    bal, rows = 69_000_000, []
    for _ in range(300):
        interest = (2 * bal * 13 + 4800) // (2 * 4800)  # half-up of bal·13/4800
        principal = min(336248 - interest, bal) if len(rows) < 299 else bal
        bal -= principal
        rows.append((principal + interest, principal, interest, bal))
    as_yuan = [tuple(Decimal(v).scaleb(-2) for v in row) for row in rows]
    got = [(r.payment, r.principal, r.interest, r.balance) for r in ledger]
    assert got == as_yuan
    assert got[0] == (Decimal("3362.48"), Decimal("1493.73"), Decimal("1868.75"), Decimal("688506.27"))
    assert got[27][3] == Decimal("646609.83")  # SPEC §2: the ledger's balance after 28 payments
    assert sum(ledger.principal) == Decimal("690000.00")
    assert center.balance_after(28) == Decimal("646609.84")
    # the pin is sensitive: rounding each interest down instead of half-up changes many rows
    bal, down = 69_000_000, []
    for k in range(300):
        interest = bal * 13 // 4800
        principal = min(336248 - interest, bal) if k < 299 else bal
        bal -= principal
        down.append(interest)
    assert sum(a != b for a, b in zip(down, (r[2] for r in rows), strict=True)) > 50


def test_exact_is_not_rounded_to_the_fen() -> None:
    s = equal_installment(690000, "3.25%", 300, convention="exact")
    a = annuity_by_hand(Fraction(690000), R325 / 12, 300)
    assert s.payment[0] == shown(a)
    assert s.total_payment == shown(300 * a) != shown(300 * half_up(a))
    assert s.total_interest == shown(300 * a - 690000)


@pytest.mark.parametrize("conv", list(Convention))
@pytest.mark.parametrize(("principal", "rate", "months"), [(100000, "0.0325", 7), (1000, "0.0325", 6)])
def test_equal_principal_rows_match_the_reference(conv: Convention, principal: int, rate: str, months: int) -> None:
    annual = Fraction(rate)
    s = equal_principal(principal, rate, months, convention=conv)
    assert_rows(s, reference(Fraction(principal), annual, months, EP, conv))
    part = level_by_hand(Fraction(principal), annual, months, EP, conv)
    assert s.monthly_decrease == shown(part * annual / 12)


def test_ledger_equal_principal_decrease_uses_the_rounded_part() -> None:
    # 1000/6 = 166.666… is shown 166.67 under ledger; at 100% a year the decrease tells them apart
    s = equal_principal(1000, 1, 6, convention="ledger")
    assert s.monthly_decrease == shown(Fraction(16667, 100) / 12) == Decimal("13.89")
    assert equal_principal(1000, 1, 6).monthly_decrease == shown(Fraction(1000, 6) / 12)
    # 113/12 = 9.41666… is 9.42 under ledger: 9.42/12 = 0.785 → 0.79, while 9.41666…/12 → 0.78
    assert equal_principal(113, 1, 12, convention="ledger").monthly_decrease == Decimal("0.79")
    assert equal_principal(113, 1, 12).monthly_decrease == Decimal("0.78")


def test_payment_of_center_equal_principal_adds_the_unrounded_interest() -> None:
    # 100000/7 + 100000·3.25%/12 = 14556.5476… while rounding the interest first gives 14556.54
    expected = shown(Fraction(100000, 7) + Fraction(100000) * R325 / 12)
    assert expected == Decimal("14556.55")
    assert payment(100000, "3.25%", 7, method="equal_principal") == expected
    assert equal_principal(100000, "3.25%", 7).payment[0] == expected


# --- schedule metadata, iteration and dates ----------------------------------------------------


def test_schedule_records_its_method_convention_and_rate() -> None:
    s = equal_principal(120000, "3.1%", 24, convention="ledger", first_due="2024-01-31")
    assert s.method is EP
    assert s.convention is LEDGER
    assert s.annual_rate == Decimal("0.031")
    assert s.months == len(s) == 24
    assert s.due_dates is not None
    assert s.due_dates[:3] == (date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31))
    t = equal_installment(120000, "3.1%", 24, convention="exact")
    assert (t.method, t.convention, t.monthly_decrease, t.due_dates) == (EI, EXACT, None, None)


@pytest.mark.parametrize("first_due", [None, "2020-01-31"])
def test_iterating_a_schedule_gives_every_row_in_order(first_due: str | None) -> None:
    s = equal_installment(50000, "2.85%", 13, first_due=first_due)
    rows = list(s)
    assert len(rows) == 13
    for k, row in enumerate(rows):
        assert row.period == k + 1
        assert row.due_date == (None if s.due_dates is None else s.due_dates[k])
        assert (row.payment, row.principal, row.interest, row.balance, row.rate) == (
            s.payment[k], s.principal[k], s.interest[k], s.balance[k], s.rate[k],
        )
    assert rows[-1].balance == Decimal("0.00")


def test_last_due_is_first_due_plus_months_minus_one() -> None:
    assert last_due(date(2020, 1, 31), 13) == date(2021, 1, 31)
    assert last_due(date(2020, 1, 31), 2) == date(2020, 2, 29)
    with pytest.raises(InputError) as err:
        last_due(date(9999, 1, 28), 13, "released")
    assert str(err.value) == (
        "released=datetime.date(9999, 1, 28) is out of range: expected a date whose 13th due date "
        "is in year 9999 or before"
    )
    with pytest.raises(InputError) as err:
        last_due(date(9999, 12, 1), 2)
    assert str(err.value) == (
        "first_due=datetime.date(9999, 12, 1) is out of range: expected a first due date whose 2nd "
        "due date is in year 9999 or before"
    )


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (9, "9th"), (10, "10th"), (11, "11th"),
     (12, "12th"), (13, "13th"), (20, "20th"), (21, "21st"), (22, "22nd"), (23, "23rd"),
     (101, "101st"), (110, "110th"), (111, "111th"), (120, "120th"), (121, "121st"), (212, "212th")],
)
def test_ordinals(n: int, text: str) -> None:
    assert _ordinal(n) == text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"principal": "abc"}, "principal='abc' is out of range: expected an amount in yuan greater "
         "than 0 and at most 10000000000.00, in whole fen"),
        ({"convention": "nope"}, "convention='nope' is out of range: expected one of 'center', "
         "'ledger', 'exact', or a gjjcalc.Convention"),
        ({"first_due": "nope"}, "first_due='nope' is out of range: expected a date (datetime.date or "
         "'YYYY-MM-DD')"),
    ],
)
def test_schedule_errors_name_the_argument(kwargs: dict[str, object], message: str) -> None:
    args = {"principal": 1000, "annual_rate": "3.25%", "months": 12} | kwargs
    principal, rate, months = args.pop("principal"), args.pop("annual_rate"), args.pop("months")
    for fn in (equal_installment, equal_principal):
        with pytest.raises(InputError) as err:
            fn(principal, rate, months, **args)  # type: ignore[arg-type]
        assert str(err.value) == message


def test_a_ledger_payment_equal_to_the_rounded_first_interest_is_refused() -> None:
    # 2 yuan at 3.25% over 360 months: A = 0.0087… → 0.01; interest 0.0054… → 0.01 under ledger
    assert half_up(annuity_by_hand(Fraction(2), R325 / 12, 360)) == Fraction(1, 100)
    assert half_up(2 * R325 / 12) == Fraction(1, 100)
    with pytest.raises(InputError) as err:
        equal_installment(2, "3.25%", 360, convention="ledger")
    assert str(err.value) == (
        "principal=2 is out of range: expected a loan whose payment rounded to the fen (0.01) is "
        "more than its first month's interest (0.01) at annual_rate=0.0325 over months=360"
    )
    with pytest.raises(InputError):
        payment(2, "3.25%", 360, convention="ledger")
    assert payment(2, "3.25%", 360) == Decimal("0.01")  # center: 0.01 > 0.0054…
    assert equal_installment(2, "3.25%", 360).payment[0] == Decimal("0.01")


# --- runs after an event: early repayment, several stretches -----------------------------------


@pytest.mark.parametrize("conv", list(Convention))
def test_rows_after_an_early_repayment_are_zero(conv: Convention) -> None:
    run = Run()
    end = run.extend(Fraction(100), Fraction(3, 100), 5, EI, conv, level=Fraction(60))
    ref = reference(Fraction(100), Fraction(3, 100), 5, EI, conv, level=Fraction(60))
    assert end == ref.end == 0
    assert run.payment == [int(half_up(x) * 100) for x in ref.payment]
    assert run.interest == [int(half_up(x) * 100) for x in ref.interest]
    assert run.payment[2:] == run.interest[2:] == run.balance[2:] == [0, 0, 0]
    assert run.total_payment == ref.total_payment
    assert run.total_interest == ref.total_interest


@pytest.mark.parametrize("conv", list(Convention))
@pytest.mark.parametrize("method", [Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL])
def test_totals_accumulate_over_stretches(conv: Convention, method: Method) -> None:
    b, annual = Fraction(50000), Fraction(31, 1000)
    level = level_by_hand(b, annual, 24, method, conv)
    run = Run()
    mid = run.extend(b, annual, 10, method, conv, remaining=24, level=level)
    run.extend(mid - 5000, annual, 14, method, conv, remaining=14)
    first = reference(b, annual, 10, method, conv, remaining=24, level=level)
    second = reference(first.end - 5000, annual, 14, method, conv)
    assert mid == first.end
    assert run.total_payment == first.total_payment + second.total_payment
    assert run.total_interest == first.total_interest + second.total_interest


def test_loan_schedule_totals_after_a_prepayment_are_the_sums_of_its_rows() -> None:
    loan = Loan(100000, "3.25%", 12, released="2020-01-15", convention="ledger")
    _, after = loan.prepay(amount=30000, on="2020-04-20", mode="lower_payment")
    s = after.schedule()
    assert s.total_payment == sum(s.payment)
    assert s.total_interest == sum(s.interest)
    assert sum(s.principal) + sum(s.prepaid) == Decimal("100000.00")
    _, cleared = loan.prepay(amount=100000, on="2020-01-20", mode="lower_payment")
    t = cleared.schedule()
    assert t.total_payment == sum(t.payment) == Decimal("0.00")
    assert all(x == 0 for x in t.payment + t.interest + t.balance)


# --- prepay internals, against the reference ---------------------------------------------------


@pytest.mark.parametrize("conv", list(Convention))
def test_future_interest_is_the_reference_interest(conv: Convention) -> None:
    b = Fraction(7777777, 100)
    level = level_by_hand(b, R325, 37, EI, conv)
    assert future_interest(b, R325, 37, level, EI, conv) == reference(b, R325, 37, EI, conv).total_interest
    assert future_interest(b, R325, 1, b * (1 + R325 / 12), EI, conv) == reference(
        b, R325, 1, EI, conv, level=b * (1 + R325 / 12)).total_interest
    assert future_interest(b, R325, 0, level, EI, conv) == 0
    assert future_interest(Fraction(0), R325, 12, level, EI, conv) == 0
    r12 = Fraction(12, 100)
    one = future_interest(Fraction(1), r12, 2, Fraction(51, 100), EI, conv)
    assert one == reference(Fraction(1), r12, 2, EI, conv, level=Fraction(51, 100)).total_interest > 0


def months_by_hand(b: Fraction, r: Fraction, level: Fraction) -> int:
    n = 1
    while annuity_by_hand(b, r, n) > level:
        n += 1
    return n


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33])
def test_months_to_repay_is_the_least_n_whose_annuity_fits(n: int) -> None:
    b, r = Fraction(10000), Fraction(1, 100)
    exact = annuity_by_hand(b, r, n)
    for level in (exact, exact + Fraction(1, 100), exact - Fraction(1, 100)):
        assert months_to_repay(b, r, level) == months_by_hand(b, r, level)
    assert months_to_repay(b, r, exact) == n


def test_months_to_repay_edges() -> None:
    assert months_to_repay(Fraction(0), Fraction(1, 100), Fraction(5)) == 0
    assert months_to_repay(Fraction(5), Fraction(0), Fraction(1, 2)) == 10
    assert months_to_repay(Fraction(5), Fraction(0), Fraction(2)) == 3
    assert months_to_repay(Fraction(1), Fraction(1, 100), Fraction(1, 2)) == months_by_hand(
        Fraction(1), Fraction(1, 100), Fraction(1, 2))
    for level in (Fraction(10), Fraction(9)):  # at or below one month's interest (10.00)
        with pytest.raises(InputError) as err:
            months_to_repay(Fraction(1000), Fraction(1, 100), level)
        assert str(err.value) == (
            f"payment=Decimal('{level}.00') is out of range: expected more than one month's "
            "interest 10.00"
        )
    with pytest.raises(InputError) as err:
        _shortens(Fraction(0))
    assert str(err.value) == (
        "payment=Decimal('0.00') is out of range: expected a kept payment (or principal part) of "
        "at least 0.01 to shorten the term with; this one rounds to 0.00, so use mode='lower_payment'"
    )
    _shortens(Fraction(1, 2))  # half a yuan still repays


def test_after_with_no_months_or_no_balance_is_a_cleared_loan() -> None:
    cleared = _after(Fraction(100), R325, 0, Fraction(50), EI, CENTER, lambda: Fraction(7))
    assert (cleared.balance, cleared.months, cleared.level, cleared.first_payment) == (0, 0, 0, 0)
    assert cleared.interest_saved == 7
    paid_off = prepay_exact(Fraction(1000), R325, 12, Fraction(90), Fraction(1000),
                            PrepayMode.LOWER_PAYMENT, EI, CENTER)
    assert (paid_off.balance, paid_off.months, paid_off.level, paid_off.first_payment) == (0, 0, 0, 0)


@pytest.mark.parametrize("conv", list(Convention))
@pytest.mark.parametrize("months", [1, 2, 12])
def test_lower_payment_first_payment_and_saving_are_the_references(conv: Convention, months: int) -> None:
    b, amount = Fraction(100123, 10), Fraction(3000)
    for method in (Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL):
        level = level_by_hand(b, R325, months, method, conv)
        got = prepay_exact(b, R325, months, level, amount, PrepayMode.LOWER_PAYMENT, method, conv)
        rest = b - amount
        level2 = min(level, level_by_hand(rest, R325, months, method, conv))
        after = reference(rest, R325, months, method, conv, level=level2)
        before = reference(b, R325, months, method, conv, level=level)
        assert (got.balance, got.months, got.level) == (rest, months, level2)
        assert got.first_payment == after.payment[0]
        assert got.interest_saved == before.total_interest - after.total_interest


@pytest.mark.parametrize("conv", list(Convention))
def test_shorten_term_keeps_or_recomputes_the_payment(conv: Convention) -> None:
    b, amount = Fraction(200000), Fraction(50000)
    level = level_by_hand(b, R325, 120, EI, conv)
    kept = prepay_exact(b, R325, 120, level, amount, PrepayMode.SHORTEN_TERM, EI, conv)
    n = months_by_hand(b - amount, R325 / 12, level)
    assert (kept.months, kept.level) == (n, level)
    new = prepay_exact(b, R325, 120, level, amount, PrepayMode.SHORTEN_TERM, EI, conv, recompute_payment=True)
    assert (new.months, new.level) == (n, level_by_hand(b - amount, R325, n, EI, conv))
    given = prepay_exact(b, R325, 120, level, amount, PrepayMode.SHORTEN_TERM, EI, conv, new_months=60)
    assert (given.months, given.level) == (60, level_by_hand(b - amount, R325, 60, EI, conv))


@pytest.mark.parametrize("conv", list(Convention))
def test_term_change_saving_is_the_reference(conv: Convention) -> None:
    b = Fraction(64660984, 100)
    kept = Fraction(336248, 100)  # seed 001's kept payment, not the recomputed one
    got = term_exact(b, R325, 272, kept, 212, EI, conv)
    level2 = level_by_hand(b, R325, 212, EI, conv)
    before = reference(b, R325, 272, EI, conv, level=kept).total_interest
    after = reference(b, R325, 212, EI, conv, level=level2).total_interest
    assert (got.level, got.interest_saved) == (level2, before - after)
    r = change_term(balance="646609.84", annual_rate="3.25%", remaining_months=272, payment="3362.48",
                    new_remaining_months=212, convention=conv)
    assert (r.balance, r.remaining_months, r.interest_saved) == (Decimal("646609.84"), 212, shown(before - after))
    assert r.payment == shown(level2)
    default = change_term(balance="646609.84", annual_rate="3.25%", remaining_months=272,
                          new_remaining_months=212, convention=conv)
    level = level_by_hand(b, R325, 272, EI, conv)
    assert default.interest_saved == shown(reference(b, R325, 272, EI, conv, level=level).total_interest - after)


def test_prepay_under_exact_saves_the_exact_interest() -> None:
    r = prepay(balance="646609.84", annual_rate="3.25%", remaining_months=272, amount=10000,
               on="2018-01-09", interest_from="2017-12-29", mode="lower_payment", convention="exact")
    b = Fraction(64660984, 100)
    a1 = annuity_by_hand(b, R325 / 12, 272)
    a2 = annuity_by_hand(b - 10000, R325 / 12, 272)
    assert r.interest_saved == shown((272 * a1 - b) - (272 * a2 - (b - 10000)))
    assert (r.amount, r.mode, r.days) == (Decimal("10000.00"), PrepayMode.LOWER_PAYMENT, 11)


# --- given payments -------------------------------------------------------------------------


def floor_fen(x: Fraction) -> Fraction:
    return Fraction((x * 100).__floor__(), 100)


def ceil_fen(x: Fraction) -> Fraction:
    return Fraction((x * 100).__ceil__(), 100)


@pytest.mark.parametrize("months", [1, 2, 3, 272])
def test_given_payment_bounds_are_inclusive_and_tight(months: int) -> None:
    b = Fraction(64660984, 100)
    low = floor_fen(annuity_by_hand(b, R325 / 12, months + 1))
    high = ceil_fen(annuity_by_hand(b, R325 / 12, max(months - 1, 1)))
    for ok in (low, high):
        assert given_level(d(ok), b, R325, months) == ok
    for bad in (low - Fraction(1, 100), high + Fraction(1, 100)):
        with pytest.raises(InputError) as err:
            given_level(d(bad), b, R325, months)
        assert str(err.value) == (
            f"payment=Decimal('{d(bad)}') is out of range: expected the current payment of a "
            f"balance of 646609.84 over {months} months: from {d(low)} to {d(high)}"
        )
    with pytest.raises(InputError, match=r"^payment='x' is out of range"):
        given_level("x", b, R325, months)


# --- public error messages of prepay, change_term and payoff -------------------------------

SEED = {"balance": 646609.84, "annual_rate": 0.0325, "remaining_months": 272, "amount": 10000,
        "on": "2018-01-10", "interest_from": "2017-12-29"}
DATE = "expected a date (datetime.date or 'YYYY-MM-DD')"
AMOUNT = "expected an amount in yuan greater than 0 and at most 10000000000.00, in whole fen"
PACKS = ("expected one of 'beijing', 'guangzhou', 'hangzhou', 'jilin', 'liangshan', 'liuzhou', 'ningxia', 'qingdao', 'shanghai', 'shenzhen', 'tianjin', or a path to a .toml pack file; "
         "not found in the packs shipped with gjjcalc")


@pytest.mark.filterwarnings(r"ignore:gjjcalc\.(prepay|payoff)\(:DeprecationWarning")  # the old rule keywords, on purpose
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on": "2017-12-01"}, "on='2017-12-01' is out of range: expected a date on or after interest_from=2017-12-29"),
        ({"on": "x"}, f"on='x' is out of range: {DATE}"),
        ({"interest_from": "x"}, f"interest_from='x' is out of range: {DATE}"),
        ({"balance": "x"}, f"balance='x' is out of range: {AMOUNT}"),
        ({"convention": "x"}, "convention='x' is out of range: expected one of 'center', 'ledger', 'exact', "
         "or a gjjcalc.Convention"),
        ({"payment": "x"}, f"payment='x' is out of range: {AMOUNT}"),
        ({"enforce": "yes"}, "enforce='yes' is out of range: expected True or False"),
        ({"pack": "nosuch"}, f"pack='nosuch' is out of range: {PACKS}"),
        ({"mode": "lower_payment", "new_remaining_months": 100},
         "new_remaining_months=100 is out of range: expected None unless mode='shorten_term'"),
        ({"new_remaining_months": 272},
         "new_remaining_months=272 is out of range: expected fewer remaining months than the current 272 (at least 1)"),
        ({"maturity": "x"}, f"maturity='x' is out of range: {DATE}"),
        ({"on": "0001-01-10", "interest_from": "0001-01-01", "maturity": "0001-03-28"},
         "maturity='0001-03-28' is out of range: expected a maturity that stays within years 1 to 9999 "
         "when moved by -6 months"),
        ({"balance": 1000, "remaining_months": 360, "amount": 998, "mode": "lower_payment", "convention": "ledger"},
         "amount=Decimal('998.00') is out of range: expected an amount that leaves a balance whose payment "
         "over 360 months is more than its month's interest 0.01 (this leaves 2.00 repaid by 0.01 a month); "
         "prepay the whole balance or use mode='shorten_term'"),
    ],
)
def test_prepay_errors_name_the_argument(kwargs: dict[str, object], message: str) -> None:
    args = SEED | {"mode": "shorten_term"} | kwargs
    with pytest.raises(InputError) as err:
        prepay(**args)  # type: ignore[arg-type]
    assert str(err.value) == message


def test_prepay_shortens_to_one_month_when_asked() -> None:
    r = prepay(**SEED, mode="shorten_term", new_remaining_months=1)  # type: ignore[arg-type]
    rest = Fraction(63660984, 100)
    assert (r.remaining_months, r.payment) == (1, shown(rest * (1 + R325 / 12)))
    assert r.mode is PrepayMode.SHORTEN_TERM


@pytest.mark.filterwarnings(r"ignore:gjjcalc\.(prepay|payoff)\(:DeprecationWarning")  # the old rule keywords, on purpose
def test_payoff_errors_and_days() -> None:
    base = {"balance": 1000, "annual_rate": 0.03, "on": "2018-01-10", "interest_from": "2018-01-01"}
    for kwargs, message in (
        ({"enforce": "yes"}, "enforce='yes' is out of range: expected True or False"),
        ({"pack": "nosuch"}, f"pack='nosuch' is out of range: {PACKS}"),
    ):
        with pytest.raises(InputError) as err:
            payoff(**base | kwargs)  # type: ignore[arg-type]
        assert str(err.value) == message
    q = payoff(**base)  # type: ignore[arg-type]
    assert (q.days, q.interest, q.total) == (9, shown(Fraction(1000) * Fraction(3, 100) * 9 / 360), Decimal("1000.75"))


TERM = {"balance": 646609.84, "annual_rate": "3.25%", "remaining_months": 272}
RANGE = "expected from 1 to 600 remaining months, other than the current 272"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "new_remaining_months=None is out of range: expected a number of months, or new_maturity_year"),
        ({"maturity": "x", "new_maturity_year": 2035}, f"maturity='x' is out of range: {DATE}"),
        ({"new_maturity_year": 2035},
         "maturity=None is out of range: expected the current maturity date when new_maturity_year is given"),
        ({"new_remaining_months": 10, "new_maturity_year": 2035},
         "new_maturity_year=2035 is out of range: expected None when new_remaining_months is given"),
        ({"maturity": "2040-08-28", "new_maturity_year": 1899},
         "new_maturity_year=1899 is out of range: expected an integer from 1900 to 2200"),
        ({"maturity": "2040-08-28", "new_maturity_year": 1900}, f"new_maturity_year=1900 is out of range: {RANGE}"),
        ({"maturity": "2040-08-28", "new_maturity_year": 2200}, f"new_maturity_year=2200 is out of range: {RANGE}"),
        ({"maturity": "2040-08-28", "new_maturity_year": 2201},
         "new_maturity_year=2201 is out of range: expected an integer from 1900 to 2200"),
        ({"new_remaining_months": 0}, f"new_remaining_months=0 is out of range: {RANGE}"),
        ({"new_remaining_months": -600}, f"new_remaining_months=-600 is out of range: {RANGE}"),
        ({"new_remaining_months": -601},
         "new_remaining_months=-601 is out of range: expected an integer from -600 to 600"),
        ({"new_remaining_months": 601},
         "new_remaining_months=601 is out of range: expected an integer from -600 to 600"),
    ],
)
def test_change_term_errors_name_the_argument(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as err:
        change_term(**TERM | kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message


def test_change_term_to_one_month_is_allowed() -> None:
    r = change_term(**TERM, new_remaining_months=1)  # type: ignore[arg-type]
    assert (r.remaining_months, r.payment) == (1, shown(Fraction(64660984, 100) * (1 + R325 / 12)))


# --- display: the frame and the notebook view ---------------------------------------------


@pytest.mark.parametrize("first_due", [None, "2024-01-31"])
@pytest.mark.parametrize("method", [Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL])
def test_repr_html_shows_the_summary_and_the_rows(first_due: str | None, method: Method) -> None:
    from gjjcalc._display import table_html

    fn = equal_installment if method is EI else equal_principal
    s = fn(12000, "3.1%", 12, convention="ledger", first_due=first_due)
    summary: dict[str, object] = {
        "method": method.value, "convention": "ledger", "loan": Decimal("12000.00"),
        "annual_rate": Decimal("0.031"), "months": 12, "first_payment": s.payment[0],
        "total_interest": s.total_interest, "total_payment": s.total_payment,
    }
    if method is EP:
        summary["monthly_decrease"] = shown(Fraction(1000) * Fraction(31, 1000) / 12)
    rows = [
        [k + 1, "" if s.due_dates is None else s.due_dates[k], s.payment[k], s.principal[k],
         s.interest[k], s.balance[k]]
        for k in range(12)
    ]
    columns = ["period", "due_date", "payment", "principal", "interest", "balance"]
    assert s._repr_html_() == table_html("Schedule", summary, columns, rows)


@pytest.mark.parametrize("first_due", [None, "2024-01-31"])
def test_to_frame_has_every_column_of_every_row(first_due: str | None) -> None:
    pd = pytest.importorskip("pandas")
    loan = Loan(12000, "3.1%", 12, released="2023-12-31", first_due=first_due or "2024-01-31")
    _, after = loan.prepay(amount=3000, on="2024-03-10", mode="lower_payment")
    for s in (equal_principal(12000, "3.1%", 12, first_due=first_due), after.schedule()):
        for exact in (False, True):
            frame = s.to_frame(exact=exact) if exact else s.to_frame()
            assert list(frame.columns) == [
                "due_date", "payment", "principal", "interest", "balance", "rate", "prepaid",
            ]
            assert frame.index.name == "period"
            assert list(frame.index) == list(range(1, s.months + 1))
            assert str(frame["due_date"].dtype) == "datetime64[ns]"
            if s.due_dates is None:
                assert frame["due_date"].isna().all()
            else:
                assert list(frame["due_date"]) == [pd.Timestamp(x) for x in s.due_dates]
            for name in ("payment", "principal", "interest", "balance", "rate", "prepaid"):
                column = tuple(getattr(s, name))
                values = list(frame[name])
                if exact:
                    assert values == list(column)
                    assert all(isinstance(v, Decimal) for v in values)
                else:
                    assert str(frame[name].dtype) == "float64"
                    assert values == [float(x) for x in column]
    assert any(x > 0 for x in after.schedule().prepaid)


def test_a_prepayment_that_leaves_one_yuan_keeps_it() -> None:
    b = Fraction(1001)
    level = level_by_hand(b, R325, 12, EI, CENTER)
    got = prepay_exact(b, R325, 12, level, Fraction(1000), PrepayMode.LOWER_PAYMENT, EI, CENTER)
    assert (got.balance, got.months, got.level) == (1, 12, level_by_hand(Fraction(1), R325, 12, EI, CENTER))
    assert got.first_payment == Fraction(8, 100)
