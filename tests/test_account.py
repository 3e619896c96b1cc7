"""The fund account: contributions, statement and yearly interest, offsets; values worked by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from gjjcalc.account import (
    Account,
    AccountRules,
    Deposit,
    MonthlyDeposits,
    SpouseAuthorization,
    Withdrawal,
    compare_prepay_vs_offset,
    contribution,
    offset_plan,
)
from gjjcalc.errors import InputError
from gjjcalc.loan import Loan


def half_up_fen(x: Fraction) -> Decimal:
    """Round an exact yuan amount half-up to the fen, written out independently of gjjcalc.money."""
    fen = (x * 100 * 2 + 1) // 2
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def interest(segments: list[tuple[str, int]], rate: Fraction = Fraction(3, 200)) -> Decimal:
    """Σ balance × days × rate / 360, rounded once (the 积数 method)."""
    return half_up_fen(sum(Fraction(b) * d for b, d in segments) * rate / 360)


# --- contributions -------------------------------------------------------------------------------


def test_contribution_rounds_each_side_to_the_yuan_by_default_and_to_the_fen_when_asked() -> None:
    # 4,733 × 6 % = 283.98 a side: 284 + 284 = 568 to the yuan, 567.96 to the fen
    side = Fraction(4733) * Fraction(6, 100)
    assert side == Fraction(28398, 100)
    assert contribution(4733, "6%", "6%").total == Decimal("568.00")
    fen = contribution(4733, "6%", "6%", rules=AccountRules(rounding="fen"))
    assert (fen.employee, fen.total) == (Decimal("283.98"), Decimal("567.96"))


def test_contribution_rounds_a_half_yuan_up() -> None:
    assert Fraction(4110) * Fraction(5, 100) == Fraction(411, 2)  # 205.50
    c = contribution(4110, "5%", "12%")
    assert (c.employee, c.employer) == (Decimal("206.00"), Decimal("493.00"))  # 493.20 → 493


def test_contribution_clamps_the_base_and_names_the_bound() -> None:
    rules = AccountRules(base_min=2690, base_max=37302, base_min_source="lower", base_max_source="upper")
    low = contribution(2000, "7%", "7%", rules=rules)  # 2,690 × 7 % = 188.30 → 188
    assert (low.base_used, low.bound, low.bound_source, low.total) == (
        Decimal("2690.00"), "base_min", "lower", Decimal("376.00"))
    high = contribution(50000, "7%", "7%", rules=rules)  # 37,302 × 7 % = 2,611.14 → 2,611
    assert (high.bound, high.employee, high.total) == ("base_max", Decimal("2611.00"), Decimal("5222.00"))
    inside = contribution(10000, "7%", "7%", rules=rules)
    assert (inside.bound, inside.bound_source) == (None, "")


@pytest.mark.parametrize(("args", "name"), [
    ((5000, "4%", "5%"), "employee_ratio"),
    ((5000, "5%", "12.5%"), "employer_ratio"),
    ((-1, "5%", "5%"), "base"),
    ((5000, "abc", "5%"), "employee_ratio"),
])
def test_contribution_refuses_bad_input_naming_the_argument(args: tuple[object, ...], name: str) -> None:
    with pytest.raises(InputError) as err:
        contribution(*args)
    assert err.value.name == name
    if "ratio" in name:
        assert "from 5% to 12%" in str(err.value)


def test_a_packs_ratio_range_applies() -> None:
    assert contribution(5000, "12%", "5%", rules="liangshan").total == Decimal("850.00")


# --- statement and yearly interest ----------------------------------------------------------------


def test_a_year_of_deposits_earns_interest_by_the_daily_balance_method() -> None:
    acct = Account("2019-07-01", 40000, events=[
        MonthlyDeposits("2019-07-19", 568, months=12), Withdrawal("2019-09-09", 36700, "部分提取")])
    # closing balance of each day from 2019-07-01 through 2020-06-30 (366 days: 2020 is a leap year)
    segments = [
        ("40000", 18),  # 07-01..07-18
        ("40568", 31),  # 07-19..08-18
        ("41136", 21),  # 08-19..09-08
        ("4436", 10),   # 09-09..09-18: the withdrawal stops counting on its own day
        ("5004", 30), ("5572", 31), ("6140", 30), ("6708", 31), ("7276", 31),
        ("7844", 29),   # 02-19..03-18 (29 February counted)
        ("8412", 31), ("8980", 30), ("9548", 31),
        ("10116", 12),  # 06-19..06-30: the settlement day counts
    ]
    assert sum(d for _, d in segments) == (date(2020, 6, 30) - date(2019, 6, 30)).days == 366
    expected = interest(segments)
    assert expected == Decimal("208.39")  # 5,001,408 yuan-days × 1.5 % / 360 = 208.392
    rows = list(acct.statement("2020-06-01", "2020-06-30"))
    assert [(r.date, r.kind, r.amount, r.balance) for r in rows] == [
        (date(2020, 6, 19), "汇缴", Decimal("568.00"), Decimal("10116.00")),
        (date(2020, 6, 30), "年终结息", expected, Decimal("10116.00") + expected),
    ]
    withdrawal = [r for r in acct.statement("2019-09-01", "2019-09-30") if r.kind == "部分提取"]
    assert withdrawal[0].amount == Decimal("-36700.00")
    assert acct.balance_on("2020-06-29") == Decimal("10116.00")
    assert acct.balance_on("2020-06-30") == Decimal("10324.39")


def test_before_2016_02_21_the_years_deposits_and_the_carried_balance_earn_their_own_rates() -> None:
    acct = Account("2015-11-01", 10000).deposit("2015-12-01", 1000)
    # carried 10,000: 112 days (11-01..02-20) at 1.10 %, then 131 days (02-21..06-30) at 1.50 %;
    # the year's 1,000: 82 days (12-01..02-20) at 0.35 %, then 131 days at 1.50 %
    assert (date(2016, 2, 21) - date(2015, 11, 1)).days == 112
    assert (date(2016, 7, 1) - date(2016, 2, 21)).days == 131
    assert (date(2016, 2, 21) - date(2015, 12, 1)).days == 82
    total = (Fraction(10000) * 112 * Fraction(11, 1000) + Fraction(1000) * 82 * Fraction(35, 10000)
             + Fraction(11000) * 131 * Fraction(15, 1000)) / 360
    assert half_up_fen(total) == Decimal("95.06")
    assert acct.statement("2016-06-30", "2016-06-30").interest == Decimal("95.06")


def test_the_interest_joins_the_balance_and_earns_in_the_next_year() -> None:
    acct = Account("2020-07-01", 10000)
    first = interest([("10000", 365)])
    assert first == Decimal("152.08")  # 10,000 × 365 × 1.5 % / 360 = 152.083
    second = interest([(str(Decimal(10000) + first), 365)])
    assert acct.balance_on("2022-06-30") == Decimal(10000) + first + second


def test_the_settlement_day_is_a_setting() -> None:
    acct = Account("2020-01-01", 10000, rules=AccountRules(settlement=(12, 31)))
    assert acct.statement("2020-01-01", "2020-12-31").interest == interest([("10000", 366)])


def test_a_statement_row_list_keeps_the_booking_order_and_the_opening_balance() -> None:
    acct = Account("2020-07-01", 500, events=[Deposit("2020-07-05", 100), Withdrawal("2020-07-05", 50)])
    s = acct.statement("2020-07-02", "2020-07-31")
    assert s.opening == Decimal("500.00")
    assert [(r.kind, r.balance) for r in s] == [("汇缴", Decimal("600.00")), ("提取", Decimal("550.00"))]
    assert s.closing == Decimal("550.00")


def test_an_account_is_frozen_and_operations_return_new_accounts() -> None:
    acct = Account("2020-07-01", 100)
    after = acct.deposit("2020-07-02", 1)
    assert acct.events == ()
    assert len(after.events) == 1
    with pytest.raises(AttributeError):
        acct.balance = Decimal(5)  # type: ignore[misc]


@pytest.mark.parametrize(("build", "name"), [
    (lambda: Account("2020-07-01", 100).deposit("2020-07-02", -5), "amount"),
    (lambda: Account("2020-07-01", 100).withdraw("2020-07-02", "100.01"), "events[0].amount"),
    (lambda: Account("2020-07-01", -1), "balance"),
    (lambda: Account("2020-07-01").deposit("2020-06-30", 5), "events[0].on"),
    (lambda: Account("2010-01-01"), "opened"),
])
def test_bad_account_input_names_the_field(build: object, name: str) -> None:
    with pytest.raises(InputError) as err:
        build()  # type: ignore[operator]
    assert err.value.name == name


# --- paying the loan from the fund ----------------------------------------------------------------

ZERO = Loan(24000, 0, 24, released="2020-07-10")  # 1,000.00 a month, due on the 10th, 2020-08..2022-07


def _first_year_segments() -> list[tuple[str, int]]:
    """The account below, 2020-07-01..2021-06-30: +600 on the 5th, −1,000 on the 10th."""
    segs = [("5000", 4), ("5600", 31)]
    balance = 5600
    starts = [date(2020, m, 5) for m in range(8, 13)] + [date(2021, m, 5) for m in range(1, 7)]
    for k, fifth in enumerate(starts):
        balance += 600
        segs.append((str(balance), 5))  # 5th..9th
        balance -= 1000
        nxt = starts[k + 1] if k + 1 < len(starts) else date(2021, 7, 1)
        segs.append((str(balance), (nxt - (fifth + timedelta(days=5))).days))
    return segs


def test_a_24_month_monthly_offset_runs_out_in_a_known_month() -> None:
    acct = Account("2020-07-01", 5000).monthly_deposits(600, "2020-07-05")
    plan = offset_plan(ZERO, acct, start="2020-07-10")
    segs = _first_year_segments()
    assert sum(d for _, d in segs) == 365
    i = interest(segs)
    # balance after the 2021-06-10 installment: 1,200; +i on 06-30; then +600 −1,000 a month:
    # 07-10: 800 + i, 08-10: 400 + i, 09-10: i, 10-10: 600 + i < 1,000 → the fund runs out
    assert plan.fund_runs_out == date(2021, 10, 10)
    row = plan.rows[14]
    assert row.due == date(2021, 10, 10)
    assert (row.from_fund, row.from_card, row.fund_balance) == (Decimal(600) + i, Decimal(400) - i, Decimal(0))
    assert plan.rows[13].fund_balance == i
    assert len(plan) == 24
    assert plan.card_stops is None
    assert all(r.from_fund == Decimal(1000) for r in plan.rows[:14])


def test_every_row_reconciles_and_the_loan_is_the_loan_without_offsets() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    acct = Account("2018-01-01", 30000).monthly_deposits(1800, "2018-01-15")
    plan = offset_plan(loan, acct, start="2018-01-28", keep=1000,
                       spouse=SpouseAuthorization(4000, "2018-03-01", "2018-09-30"))
    s = loan.schedule()
    assert s.due_dates is not None
    first = s.due_dates.index(date(2018, 1, 28))
    for k, row in enumerate(plan.rows):
        assert row.from_fund + row.from_spouse + row.from_card == row.installment == s.payment[first + k]
        assert row.fund_balance >= Decimal(1000) or row.from_fund == 0
        assert row.from_fund >= 0
        assert row.from_card >= 0
        assert row.from_spouse >= 0
        assert row.loan_balance == s.balance[first + k]
    assert plan.spouse_total <= Decimal(4000)


def test_a_spouses_authorisation_stops_at_its_validity_and_the_rest_is_void() -> None:
    acct = Account("2020-07-01")
    plan = offset_plan(ZERO, acct, start="2020-07-10",
                       spouse=SpouseAuthorization(5000, "2020-08-01", "2020-11-30"))
    assert [r.from_spouse for r in plan.rows[:6]] == [Decimal(1000)] * 4 + [Decimal(0)] * 2
    assert plan.spouse_total == Decimal("4000.00")
    assert plan.fund_runs_out == date(2020, 12, 10)
    assert plan.card_total == Decimal("20000.00")


def test_a_spouse_amount_below_the_installment_leaves_the_rest_to_the_card() -> None:
    plan = offset_plan(ZERO, Account("2020-07-01"), start="2020-07-10",
                       spouse=SpouseAuthorization("1500.50", "2020-08-01", "2021-12-31"))
    assert [(r.from_spouse, r.from_card) for r in plan.rows[:3]] == [
        (Decimal(1000), Decimal(0)), (Decimal("500.50"), Decimal("499.50")), (Decimal(0), Decimal(1000))]


def test_yearly_withdrawal_reimburses_what_was_repaid_within_the_balance() -> None:
    acct = Account("2020-07-01", 20000)
    plan = offset_plan(ZERO, acct, start="2020-07-10", mode="yearly")
    first = interest([("20000", 365)])  # 2021-06-30: 304.17
    assert first == Decimal("304.17")
    assert plan.rows[11].due == date(2021, 7, 10)
    assert plan.rows[11].withdrawn == Decimal("12000.00")
    left = Decimal(20000) + first - 12000
    second = interest([(str(Decimal(20000) + first), 9), (str(left), 356)])  # 07-01..07-09, 07-10..06-30
    assert second == Decimal("130.79")
    assert plan.rows[23].withdrawn == left + second  # below the 12,000 repaid: all of it
    assert plan.fund_runs_out == date(2022, 7, 10)
    assert all(r.from_card == r.installment for r in plan.rows)
    assert plan.card_net == Decimal(24000) - 12000 - (left + second)
    kept = offset_plan(ZERO, acct, start="2020-07-10", mode="yearly", keep=1000)
    assert kept.rows[23].withdrawn == left + second - 1000


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"start": "2020-07-01"}, "start"),
    ({"start": "2020-07-10", "mode": "weekly"}, "mode"),
    ({"start": "2020-07-10", "keep": -1}, "keep"),
    ({"start": "2020-07-10", "mode": "yearly", "spouse": SpouseAuthorization(1, "2020-08-01", "2020-09-01")},
     "spouse"),
])
def test_bad_plan_input_names_the_field(kwargs: dict[str, object], name: str) -> None:
    acct = Account("2020-07-01", 100) if kwargs["start"] != "2020-07-01" else Account("2020-06-01")
    with pytest.raises(InputError) as err:
        offset_plan(ZERO, acct, **kwargs)  # type: ignore[arg-type]
    assert err.value.name == name


def test_an_account_withdrawal_the_offsets_left_no_balance_for_names_the_event() -> None:
    acct = Account("2020-07-01", 1500, events=[Withdrawal("2020-09-01", 1000)])
    assert acct.balance_on("2020-09-01") == Decimal("500.00")
    with pytest.raises(InputError) as err:
        offset_plan(ZERO, acct, start="2020-07-10")
    assert err.value.name == "account.events[0].amount"


def test_prepay_against_offset_uses_the_loans_own_prepayment() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    acct = Account("2018-01-01", 60000).monthly_deposits(2000, "2018-01-15")
    c = compare_prepay_vs_offset(loan, acct, on="2018-01-09", amount=50000)
    result, after = loan.prepay(amount=50000, on="2018-01-09", mode="lower_payment")
    # 50,000 × 3.25 % × 11 days / 360 (interest from 2017-12-29, the Jilin rule)
    assert result.interest == half_up_fen(Fraction(50000) * Fraction(325, 10000) * 11 / 360) == Decimal("49.65")
    assert c.prepay.fund_paid == result.total == Decimal("50049.65")
    s_after, s_before = after.schedule(), loan.schedule()
    assert s_after.due_dates is not None
    assert s_before.due_dates is not None
    k = s_before.due_dates.index(date(2018, 1, 28))
    assert c.prepay.card_paid == sum(s_after.payment[k:], Decimal(0))
    assert c.prepay.loan_interest == sum(s_after.interest[k:], Decimal(0)) + result.interest
    assert c.offset.loan_interest == sum(s_before.interest[k:], Decimal(0))
    assert c.horizon == loan.maturity == date(2040, 8, 28)
    assert c.better in ("prepay", "offset")
    assert c.prepay.net == c.prepay.fund_balance - c.prepay.card_paid
