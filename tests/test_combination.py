"""Combination loans (组合贷款, issue 4): a provident fund part and an LPR-priced commercial part.

Expected payments are computed here by hand (exact annuity, closed-form
balance after k level payments, SPEC §2) and cross-checked with
``numpy_financial.pmt``; none is copied from the implementation's output.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import numpy_financial as npf
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import CombinedSchedule, InputError, Loan, Method, combination, commercial_loan
from gjjcalc.rules.rates import LprRow, LprTable, lpr


def _fen(x: Fraction) -> Fraction:
    n = x * 100
    return Fraction((2 * n.numerator + n.denominator) // (2 * n.denominator), 100)


def _annuity(balance: Fraction, r: Fraction, n: int) -> Fraction:
    g = (1 + r) ** n
    return balance * r * g / (g - 1)


def _balance(b0: Fraction, r: Fraction, level: Fraction, k: int) -> Fraction:
    g = (1 + r) ** k
    return b0 * g - level * (g - 1) / r


def _money(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"))


def _path(principal: int, rates: list[str]) -> list[Fraction]:
    """Payments of a 360-month loan repriced before installments 11 and 23 (by hand).

    Installments 1–10 at rates[0]; 11–22 at rates[1] over the 350 months left;
    23 on at rates[2] over the 338 months left. Each payment is cross-checked with
    numpy-financial to half a fen.
    """
    r = [Fraction(x) / 12 for x in rates]
    a1 = _fen(_annuity(Fraction(principal), r[0], 360))
    b10 = _balance(Fraction(principal), r[0], a1, 10)
    a2 = _fen(_annuity(b10, r[1], 350))
    b22 = _balance(b10, r[1], a2, 12)
    a3 = _fen(_annuity(b22, r[2], 338))
    for balance, rate, n, level in [
        (principal, rates[0], 360, a1), (b10, rates[1], 350, a2), (b22, rates[2], 338, a3),
    ]:
        pmt = -npf.pmt(float(rate) / 12, n, float(balance))
        assert abs(pmt - float(level)) < 0.005
    return [a1, a2, a3]


@pytest.fixture
def worked() -> CombinedSchedule:
    provident = Loan(600000, None, 360, released="2024-03-01")
    commercial = commercial_loan(400000, 360, released="2024-03-01", spread_bp=30)
    return combination(provident, commercial)


def test_worked_combination_first_payments_and_repricings_by_hand(worked: CombinedSchedule) -> None:
    """1,000,000 over 360 months released 2024-03-01, due on the 1st from 2024-04-01.

    Provident part 600,000: benchmark >5 y on 2024-03-01 = 3.1% (since
    2022-10-01); the 2024-05-18 cut reaches it on 2025-01-01 (2.85%), the
    2025-05-08 cut on 2026-01-01 (2.6%).
    Commercial part 400,000: 5-year LPR in force on 2024-03-01 = 3.95% (fixed
    2024-02-20) + 30 bp = 4.25%; repriced each 1 January to the LPR then in
    force + 30 bp: 2025-01-01 → 3.6% (fixed 2024-10-21) + 0.3% = 3.9%;
    2026-01-01 → 3.5% (2025-05-20) + 0.3% = 3.8%.

    The installment due 2025-01-01 (k = 10) has its period from 2024-12-01:
    old rates. k = 11 (due 2025-02-01, period from 2025-01-01, the repricing
    day itself) is the first at the new rates; likewise k = 23 for 2026.

    By hand: provident 600,000 × annuity(3.1%/12, 360) = 2562.0984 → 2562.10;
    B(10) = 589,760.5292; annuity(2.85%/12, 350) = 2483.1868 → 2483.19;
    B(22) = 576,599.3905; annuity(2.6%/12, 338) = 2407.9008 → 2407.90.
    Commercial 400,000 at 4.25% → 1967.7596 → 1967.76; B(10) = 394,400.4015;
    3.9% over 350 → 1888.3662 → 1888.37; B(22) = 386,990.0483; 3.8% over
    338 → 1866.5971 → 1866.60.
    First combined payment 2562.10 + 1967.76 = 4529.86.
    """
    p1, p2, p3 = (_money(x) for x in _path(600000, ["0.031", "0.0285", "0.026"]))
    c1, c2, c3 = (_money(x) for x in _path(400000, ["0.0425", "0.039", "0.038"]))
    assert (p1, p2, p3) == (Decimal("2562.10"), Decimal("2483.19"), Decimal("2407.90"))
    assert (c1, c2, c3) == (Decimal("1967.76"), Decimal("1888.37"), Decimal("1866.60"))
    assert lpr("2024-03-01", "5y") == Decimal("0.0395")
    assert lpr("2025-01-01", "5y") == Decimal("0.036")

    c = worked
    assert c.months == len(c) == 360
    assert (c.due_dates[0], c.due_dates[-1]) == (date(2024, 4, 1), date(2054, 3, 1))
    assert (c.provident.payment[0], c.commercial.payment[0], c.first_payment) == (p1, c1, Decimal("4529.86"))
    for k, (p, cm) in {9: (p1, c1), 10: (p2, c2), 21: (p2, c2), 22: (p3, c3), 100: (p3, c3)}.items():
        assert (c.provident.payment[k], c.commercial.payment[k]) == (p, cm), k
        assert c.total.payment[k] == p + cm
    assert (c.due_dates[10], c.due_dates[22]) == (date(2025, 2, 1), date(2026, 2, 1))
    assert c.provident_schedule.rate[9] == Decimal("0.031")
    assert c.provident_schedule.rate[10] == Decimal("0.0285")
    assert c.commercial_schedule.rate[9] == Decimal("0.0425")
    assert c.commercial_schedule.rate[10] == Decimal("0.039")
    assert c.commercial_schedule.rate[22] == Decimal("0.038")
    assert c.loan == Decimal("1000000.00")
    assert c.total.balance[-1] == 0


def test_combined_columns_are_the_row_by_row_sums_and_totals_add_up(worked: CombinedSchedule) -> None:
    c = worked
    for name in ("payment", "principal", "interest", "balance"):
        p, cm, t = (getattr(part, name) for part in (c.provident, c.commercial, c.total))
        assert all(x + y == z for x, y, z in zip(p, cm, t, strict=True)), name
    assert c.total_interest == c.provident.total_interest + c.commercial.total_interest
    assert c.total_payment == c.provident.total_payment + c.commercial.total_payment
    assert c.total_payment - c.total_interest == c.loan
    assert c.provident.total_interest == c.provident_schedule.total_interest
    assert c.commercial.total_payment == c.commercial_schedule.total_payment
    row = list(c)[10]
    assert (row.period, row.due_date) == (11, date(2025, 2, 1))
    assert row.total.payment == row.provident.payment + row.commercial.payment


def test_parts_of_different_terms_pad_the_shorter_with_zeros() -> None:
    # 300,000 at 3.1% over 240 months and 200,000 at 3.95% over 120 months
    provident = Loan(300000, "3.1%", 240, released="2024-03-01")
    commercial = Loan(200000, "3.95%", 120, released="2024-03-01")
    c = combination(provident, commercial)
    assert c.months == 240
    # by hand: 300,000 × annuity(3.1%/12, 240) and 200,000 × annuity(3.95%/12, 120)
    p = _fen(_annuity(Fraction(300000), Fraction("0.031") / 12, 240))
    q = _fen(_annuity(Fraction(200000), Fraction("0.0395") / 12, 120))
    assert abs(float(p) + npf.pmt(0.031 / 12, 240, 300000)) < 0.005
    assert abs(float(q) + npf.pmt(0.0395 / 12, 120, 200000)) < 0.005
    assert c.first_payment == _money(p + q)
    assert c.commercial.balance[119] == 0
    zero = Decimal("0.00")
    for k in range(120, 240):
        assert (c.commercial.payment[k], c.commercial.principal[k], c.commercial.interest[k],
                c.commercial.balance[k]) == (zero, zero, zero, zero)
        assert c.total.payment[k] == c.provident.payment[k]
    assert len(c.commercial_schedule) == 120


def test_parts_keep_their_own_method_convention_and_prepayments() -> None:
    provident = Loan(300000, "3.1%", 240, released="2024-03-01", method="equal_principal")
    commercial = Loan(200000, "3.95%", 240, released="2024-03-01", convention="ledger")
    _, prepaid = commercial.prepay(amount=50000, on="2025-06-10", mode="shorten_term")
    c = combination(provident, prepaid)
    # equal principal: 300,000 / 240 = 1,250 every month
    assert set(c.provident.principal) == {Decimal("1250.00")}
    assert sum(c.commercial.principal) + sum(prepaid.schedule().prepaid) == Decimal("200000.00")
    assert c.months == 240 > len(c.commercial_schedule)


def test_commercial_tenor_defaults_by_term_and_can_be_chosen() -> None:
    # 2024-03-01: 1 y LPR 3.45%, 5 y LPR 3.95%
    assert commercial_loan(100000, 60, released="2024-03-01").annual_rate == Decimal("0.0345")
    assert commercial_loan(100000, 61, released="2024-03-01").annual_rate == Decimal("0.0395")
    assert commercial_loan(100000, 360, released="2024-03-01", tenor="1y").annual_rate == Decimal("0.0345")
    assert commercial_loan(100000, 12, released="2024-03-01", tenor="5y", spread_bp=5).annual_rate == (
        Decimal("0.04")
    )


def test_commercial_repricing_on_1_january_or_on_the_anniversary() -> None:
    # Released 2022-06-15 at 5 y LPR 4.45% (2022-05-20). In force on each 1 January:
    # 2023: 4.3% (2022-08-22), 2024: 4.2%, 2025: 3.6%, 2026: 3.5%.
    january = commercial_loan(100000, 360, released="2022-06-15")
    assert january.annual_rate == Decimal("0.0445")
    assert [(e.on, e.annual_rate) for e in january.events] == [
        (date(2023, 1, 1), Fraction("0.043")), (date(2024, 1, 1), Fraction("0.042")),
        (date(2025, 1, 1), Fraction("0.036")), (date(2026, 1, 1), Fraction("0.035")),
    ]
    # On each 15 June, the LPR in force: 2023-06-15 → 4.3% (2022-08-22; the 2023-06-20
    # fixing comes five days later); 2024-06-15 → 3.95% (2024-02-20);
    # 2025-06-15 → 3.5% (2025-05-20); later years unchanged.
    anniversary = commercial_loan(100000, 360, released="2022-06-15", repricing="anniversary")
    assert [(e.on, e.annual_rate) for e in anniversary.events] == [
        (date(2023, 6, 15), Fraction("0.043")), (date(2024, 6, 15), Fraction("0.0395")),
        (date(2025, 6, 15), Fraction("0.035")),
    ]
    assert all(e.scheduled for e in anniversary.events)
    # 29 February: the anniversary falls on 28 February
    leap = commercial_loan(100000, 120, released="2020-02-29", repricing="anniversary")
    assert leap.events[0].on == date(2021, 2, 28)


@settings(max_examples=25)
@given(
    released=st.dates(date(2019, 8, 20), date(2025, 12, 31)),
    months=st.integers(1, 360),
    spread=st.integers(0, 300),
    rule=st.sampled_from(["next_january", "anniversary"]),
)
def test_commercial_rate_of_each_period_is_the_lpr_on_its_last_repricing_day_plus_spread(
    released: date, months: int, spread: int, rule: str
) -> None:
    loan = commercial_loan(100000, months, released=released, spread_bp=spread, repricing=rule)
    s = loan.schedule()
    assert s.due_dates is not None
    tenor = "5y" if months > 60 else "1y"
    starts = [released, *s.due_dates[:-1]]
    # repricing days: each 1 January after the release, or each anniversary (29 Feb → 28 Feb)
    if rule == "next_january":
        days = [date(released.year + k, 1, 1) for k in range(1, 32)]
    else:
        days = [released + relativedelta(years=k) for k in range(1, 32)]
    for start, rate in zip(starts, s.rate, strict=True):
        # the last repricing day on or before the period's start (or the release)
        fixing_day = max([released, *(d for d in days if d <= start)])
        assert rate == (lpr(fixing_day, tenor) + Decimal(spread) / 10000).normalize()


@settings(max_examples=25)
@given(
    parts=st.lists(
        st.tuples(
            st.integers(100_000, 100_000_000), st.integers(0, 800), st.integers(1, 360),
            st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]), st.sampled_from(["center", "ledger", "exact"]),
        ),
        min_size=2, max_size=2,
    ),
)
def test_combined_schedule_is_the_sum_of_its_parts_for_any_two_loans(
    parts: list[tuple[int, int, int, Method, str]],
) -> None:
    loans = [
        Loan(Decimal(p) / 100, Decimal(bp) / 10000, n, released="2021-05-31", method=m, convention=conv)
        for p, bp, n, m, conv in parts
    ]
    c = combination(loans[0], loans[1])
    assert c.months == max(n for _, _, n, _, _ in parts)
    for name in ("payment", "principal", "interest", "balance"):
        p, cm, t = (getattr(part, name) for part in (c.provident, c.commercial, c.total))
        assert len(p) == len(cm) == len(t) == c.months
        assert all(x + y == z for x, y, z in zip(p, cm, t, strict=True))
    balances = [c.loan, *c.total.balance]
    assert all(b1 <= b0 for b0, b1 in pairwise(balances))
    assert c.total.balance[-1] == 0
    assert c.total_interest == c.provident.total_interest + c.commercial.total_interest
    assert c.total_payment == c.provident.total_payment + c.commercial.total_payment
    assert c.total_payment - c.total_interest == c.loan


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"released": "2019-08-19"}, "released='2019-08-19' is out of range: expected a date on or after 2019-08-20"),
        ({"spread_bp": -101}, "spread_bp=-101 is out of range: expected a whole number of basis points from -100 to 1000"),
        ({"spread_bp": 2.5}, "spread_bp=2.5 is out of range"),
        ({"spread_bp": 1001}, "spread_bp=1001 is out of range"),
        ({"months": 0}, "months=0 is out of range: expected an integer from 1 to 600"),
        ({"tenor": "10y"}, "tenor='10y' is out of range: expected one of '1y', '5y'"),
        ({"repricing": "monthly"}, "repricing='monthly' is out of range: expected 'next_january' (every 1 January) or 'anniversary'"),
        ({"principal": -1}, "principal=-1 is out of range"),
        ({"table": "lpr.csv"}, "table='lpr.csv' is out of range"),
    ],
)
def test_commercial_loan_bad_input_names_the_argument_and_range(kwargs: dict[str, object], needle: str) -> None:
    args: dict[str, object] = {"principal": 400000, "months": 360, "released": "2024-03-01", **kwargs}
    principal, months = args.pop("principal"), args.pop("months")
    with pytest.raises(InputError) as err:
        commercial_loan(principal, months, **args)  # type: ignore[arg-type]
    assert needle in str(err.value)


def test_a_callers_lpr_table_is_used() -> None:
    table = LprTable((LprRow(date(2030, 1, 20), Decimal("0.03"), Decimal("0.034"), "what-if"),))
    loan = commercial_loan(100000, 240, released="2030-03-01", spread_bp=10, table=table)
    assert loan.annual_rate == Decimal("0.035")
    with pytest.raises(InputError, match="released='2030-01-01' is out of range"):
        commercial_loan(100000, 240, released="2030-01-01", table=table)


def test_combination_bad_input() -> None:
    loan = Loan(100000, "3.1%", 240, released="2024-03-01")
    with pytest.raises(InputError, match=r"^provident=.*expected a gjjcalc\.Loan"):
        combination("loan", loan)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^commercial=.*expected a gjjcalc\.Loan"):
        combination(loan, None)  # type: ignore[arg-type]
    other = Loan(100000, "3.95%", 240, released="2024-03-01", first_due="2024-03-20")
    with pytest.raises(InputError, match=r"^commercial=.*first_due=2024-04-01"):
        combination(loan, other)


def test_combination_is_exported_from_the_top_level() -> None:
    assert {"combination", "commercial_loan", "CombinedSchedule"} <= set(gjjcalc.__all__)
    assert gjjcalc.combination is combination


def test_a_negative_spread_prices_below_the_lpr() -> None:
    # the 5-year LPR on 2024-03-01 was 3.95 %; the first-home floor of 2022 is LPR − 20 bp
    loan = commercial_loan(400000, 360, released="2024-03-01", spread_bp=-20)
    assert loan.annual_rate == Decimal("0.0375")
    lowest = commercial_loan(400000, 360, released="2024-03-01", spread_bp=-100)
    assert lowest.annual_rate == Decimal("0.0295")
