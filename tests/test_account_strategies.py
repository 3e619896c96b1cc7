"""The fund's strategies, a prepayment from the fund, the packs' [offset] settings, offset_split as a
row of the plan, and supplementary contributions; expected values worked by hand or by a day-by-day
reference walk written here (independent of gjjcalc.account)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from gjjcalc.account import (
    Account,
    AccountRules,
    SpouseAuthorization,
    compare_fund_strategies,
    compare_prepay_vs_offset,
    contribution,
    offset_plan,
    prepay_from_fund,
)
from gjjcalc.account.settings import SHANGHAI_SUPPLEMENTARY
from gjjcalc.errors import InputError
from gjjcalc.loan import Loan
from gjjcalc.rules import load_pack, offset_split

RATE = Fraction(3, 200)  # 1.50 % a year from 2016-02-21
ZERO = Loan(24000, 0, 24, released="2020-07-10")  # 1,000.00 a month, due on the 10th, 2020-08..2022-07


def half_up(x: Fraction) -> int:
    """Round half-up to a whole number (fen)."""
    return int((2 * x + 1) // 2)


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


@dataclass
class Walk:
    """A day-by-day reference of an account: the 积数 summed one day at a time, interest on 30 June."""

    day: date
    balance: int  # fen
    deposit: int = 0  # fen on the 5th of each month
    daily: Fraction = Fraction(0)
    interest: int = 0  # fen credited
    log: list[tuple[date, str, int]] = field(default_factory=list)

    def close_day(self) -> None:
        """End of ``day``: the closing balance joins the 积数; on 30 June the interest is credited."""
        self.daily += self.balance
        if (self.day.month, self.day.day) == (6, 30):
            credited = half_up(self.daily * RATE / 360)
            self.balance += credited
            self.interest += credited
            self.daily = Fraction(0)
        self.day += timedelta(days=1)

    def run(self, until: date, due: object = None) -> None:
        """Walk through ``until``; ``due(walk)`` is called on each 10th, after that day's deposit."""
        while self.day <= until:
            if self.deposit and self.day.day == 5:
                self.balance += self.deposit
            if due is not None and self.day.day == 10:
                due(self)  # type: ignore[operator]
            self.close_day()


def account() -> Account:
    return Account("2020-07-01", 5000).monthly_deposits(600, "2020-07-05")


END = date(2022, 7, 10)


# --- compare_fund_strategies on a zero-rate loan (no interest to hide anything) --------------------


def test_the_five_strategies_match_a_day_by_day_walk_of_the_fund() -> None:
    c = compare_fund_strategies(ZERO, account(), on="2020-07-10")
    assert c.horizon == END == ZERO.maturity
    dues = [date(2020 + (7 + k) // 12, (7 + k) % 12 + 1, 10) for k in range(24)]
    assert dues[0] == date(2020, 8, 10)
    assert dues[-1] == END

    # do nothing: the card pays 24 × 1,000, the fund only saves
    nothing = Walk(date(2020, 7, 1), 500000, 60000)
    nothing.run(END)
    s = c.do_nothing
    assert (s.card_paid, s.fund_paid, s.loan_interest) == (Decimal("24000.00"), Decimal("0.00"), Decimal("0.00"))
    assert (s.fund_balance, s.fund_interest) == (yuan(nothing.balance), yuan(nothing.interest))
    assert s.net == s.fund_balance - Decimal(24000)

    # offset monthly: on each due date the fund pays min(1,000, balance)
    card = 0

    def offset(w: Walk) -> None:
        nonlocal card
        if date(2020, 8, 10) <= w.day <= END:
            own = min(100000, w.balance)
            w.balance -= own
            card += 100000 - own

    monthly = Walk(date(2020, 7, 1), 500000, 60000)
    monthly.run(END, offset)
    s = c.offset_monthly
    assert (s.card_paid, s.fund_balance, s.fund_interest) == (yuan(card), yuan(monthly.balance),
                                                             yuan(monthly.interest))
    assert s.fund_paid == Decimal(24000) - yuan(card)

    # offset yearly: on the 12th and the 24th due date the fund reimburses what was repaid
    drawn = 0

    def yearly_draw(w: Walk) -> None:
        nonlocal drawn
        if w.day in (dues[11], dues[23]):
            take = min(1200000, w.balance)
            w.balance -= take
            drawn += take

    yearly = Walk(date(2020, 7, 1), 500000, 60000)
    yearly.run(END, yearly_draw)
    s = c.offset_yearly
    assert (s.card_paid, s.fund_paid, s.fund_balance) == (
        Decimal(24000) - yuan(drawn), yuan(drawn), yuan(yearly.balance))

    # prepay: on 2020-07-10 the fund holds 5,000 + 600 = 5,600, no interest at 0 %: 5,600 prepaid
    assert c.prepaid == Decimal("5600.00")
    prepaid = Walk(date(2020, 7, 1), 500000, 60000)
    prepaid.run(date(2020, 7, 9))
    prepaid.balance -= 560000  # the offset on 07-10, after that day's (no) deposit
    prepaid.run(END)
    for s in (c.prepay_lower_payment, c.prepay_shorten_term):
        # 18,400 left: lower payment 766.67 × 23 + 766.59; shorter term 1,000 × 18 + 400
        assert (s.card_paid, s.fund_paid) == (Decimal("18400.00"), Decimal("5600.00"))
        assert (s.fund_balance, s.fund_interest) == (yuan(prepaid.balance), yuan(prepaid.interest))
        assert s.loan_balance == 0
    assert c.prepay_lower_payment.maturity == END
    assert c.prepay_shorten_term.maturity == date(2022, 2, 10)  # 19 installments from 2020-08-10
    assert c.best == max(c, key=lambda s: s.net).name
    assert [s.name for s in c] == ["offset_monthly", "offset_yearly", "prepay_lower_payment",
                                   "prepay_shorten_term", "do_nothing"]


def test_a_horizon_before_maturity_counts_the_loan_balance_left() -> None:
    c = compare_fund_strategies(ZERO, account(), on="2020-07-10", horizon="2021-01-31")
    # six installments, 2020-08-10..2021-01-10: 6,000 paid, 18,000 left; the fund 5,000 + 7 × 600
    s = c.do_nothing
    assert (s.card_paid, s.loan_balance, s.fund_balance) == (Decimal("6000.00"), Decimal("18000.00"),
                                                             Decimal("9200.00"))
    assert s.net == Decimal(9200) - 6000 - 18000
    # prepaying 5,600: lower payment 18,400 / 24 = 766.67 for six months, 13,799.98 left
    s = c.prepay_lower_payment
    assert (s.card_paid, s.loan_balance) == (Decimal("4600.02"), Decimal("13799.98"))
    assert (s.fund_balance, s.fund_paid) == (Decimal("3600.00"), Decimal("5600.00"))
    assert c.prepay_shorten_term.loan_balance == Decimal("12400.00")


def test_the_strategies_with_interest_reconcile_with_the_loans_own_figures() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    acct = Account("2018-01-01", 60000).monthly_deposits(2000, "2018-01-15")
    c = compare_fund_strategies(loan, acct, on="2018-01-09", amount=10000)
    result, after = loan.prepay(amount=10000, on="2018-01-09", mode="lower_payment")
    assert result.interest == Decimal("9.93")  # the Jilin center's figure: 10,000 × 3.25 % × 11 / 360
    s_before, s_after = loan.schedule(), after.schedule()
    assert s_before.due_dates is not None
    k = s_before.due_dates.index(date(2018, 1, 28))
    s = c.prepay_lower_payment
    assert s.fund_paid == Decimal("10009.93")
    assert s.card_paid == sum(s_after.payment[k:], Decimal(0))
    assert s.loan_interest == sum(s_after.interest[k:], Decimal(0)) + Decimal("9.93")
    for name in ("offset_monthly", "offset_yearly", "do_nothing"):  # offsets never prepay
        assert c[name].loan_interest == sum(s_before.interest[k:], Decimal(0))
    old = compare_prepay_vs_offset(loan, acct, on="2018-01-09", amount=10000)
    assert old.prepay == c.prepay_lower_payment.__class__(**{**_fields(c.prepay_lower_payment), "name": "prepay"})
    assert old.offset.fund_balance == c.offset_monthly.fund_balance


def _fields(s: object) -> dict[str, object]:
    return {name: getattr(s, name) for name in s.__dataclass_fields__}  # type: ignore[attr-defined]


def test_an_empty_fund_makes_the_prepaying_strategies_do_nothing() -> None:
    c = compare_fund_strategies(ZERO, Account("2020-07-01"), on="2020-07-10")
    assert c.prepaid == 0
    assert c.prepay_lower_payment.card_paid == c.do_nothing.card_paid == Decimal("24000.00")


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"on": "2020-07-09"}, "on"),
    ({"on": "2020-07-10", "horizon": "2020-07-09"}, "horizon"),
    ({"on": "2020-07-10", "amount": 6000}, "amount"),
    ({"on": "2020-07-10", "keep": -1}, "keep"),
])
def test_bad_comparison_input_names_the_argument(kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(InputError) as err:
        compare_fund_strategies(ZERO, account(), **kwargs)  # type: ignore[arg-type]
    assert err.value.name == name


# --- prepay_from_fund -------------------------------------------------------------------------------


def test_prepay_from_fund_debits_the_total_the_loan_computes() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    after, acct = prepay_from_fund(loan, Account("2018-01-01", 20000), on="2018-01-10", amount=10000,
                                   mode="shorten_term")
    # the Jilin center's figures: 10,000 on 2018-01-10, 12 days: 10.83, 266 months left, 2040-02-28
    assert Fraction(10000) * Fraction(325, 10000) * 12 / 360 == Fraction(1300, 120)  # 10.833
    assert after.maturity == date(2040, 2, 28)
    assert acct.balance_on("2018-01-10") == Decimal("20000.00") - Decimal("10010.83")
    (row,) = list(acct.statement("2018-01-10", "2018-01-10"))
    assert (row.kind, row.amount) == ("一次性冲还贷", Decimal("-10010.83"))


def test_prepay_from_fund_by_default_takes_the_most_the_fund_can_pay_above_keep() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    after, acct = prepay_from_fund(loan, Account("2018-01-01", 20000), on="2018-01-10", keep=5000)
    # P + P × 3.25 % × 12 / 360 ≤ 15,000: P ≤ 14,983.77…; whole yuan: 14,983 (interest 16.23)
    assert Fraction(15000) / (1 + Fraction(325, 10000) * 12 / 360) < 14984
    assert half_up(Fraction(1498300) * Fraction(325, 10000) * 12 / 360) == 1623
    assert acct.balance_on("2018-01-10") == Decimal("20000.00") - Decimal("14999.23")
    assert after.state_on("2018-01-11").balance == Decimal("646609.84") - 14983


def test_prepay_from_fund_pays_off_when_the_fund_holds_the_payoff_total() -> None:
    after, acct = prepay_from_fund(ZERO, Account("2020-07-01", 30000), on="2021-01-11")
    assert after.state_on("2021-01-12").balance == 0
    assert acct.balance_on("2021-01-11") == Decimal(30000) - 18000  # six of 24 paid


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"on": "2018-01-10", "amount": 20000}, "amount"),   # 20,000 + its interest > 20,000
    ({"on": "2018-01-10", "keep": 20000}, "account"),    # nothing above keep
    ({"on": "2017-11-30"}, "on"),  # before the account's opening
])
def test_prepay_from_fund_refuses_naming_the_argument(kwargs: dict[str, object], name: str) -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    acct = Account("2017-12-01", 20000)
    with pytest.raises(InputError) as err:
        prepay_from_fund(loan, acct, **kwargs)  # type: ignore[arg-type]
    assert err.value.name == name


def test_prepay_from_fund_names_a_later_withdrawal_left_without_balance() -> None:
    acct = Account("2020-07-01", 10000).withdraw("2020-09-01", 5000)
    with pytest.raises(InputError) as err:
        prepay_from_fund(ZERO, acct, on="2020-07-10", amount=6000)
    assert err.value.name == "events[0].amount"  # the withdrawal of 5,000 on 2020-09-01


# --- the packs' [offset] settings -------------------------------------------------------------------


def _pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text('[pack]\nname = "mine"\ntitle = "my center"\neffective = "undated"\n\n' + body,
                    encoding="utf-8")
    return path


def test_a_mode_the_pack_does_not_offer_is_an_input_error_citing_its_source(tmp_path: Path) -> None:
    pack = _pack(tmp_path, '[offset]\nmodes = { value = ["one_off"], source = "my guide §7" }\n')
    loan = Loan(24000, 0, 24, released="2020-07-10", pack=str(pack))
    with pytest.raises(InputError) as err:
        offset_plan(loan, account(), start="2020-07-10")
    assert err.value.name == "mode"
    assert "my guide §7" in str(err.value)
    assert "'one_off'" in str(err.value)
    after, _ = prepay_from_fund(loan, account(), on="2020-07-10", amount=1000)  # one_off is offered
    assert after.state_on("2020-07-11").balance == Decimal("23000.00")


def test_the_accounts_pack_applies_too(tmp_path: Path) -> None:
    pack = _pack(tmp_path, '[offset]\nmodes = { value = ["monthly"], source = "my guide §8" }\n')
    acct = Account("2020-07-01", 5000, rules=AccountRules.from_pack(str(pack)))
    assert acct.rules.pack is not None
    assert acct.rules.pack.name == "mine"
    assert len(offset_plan(ZERO, acct, start="2020-07-10")) == 24
    with pytest.raises(InputError) as err:
        prepay_from_fund(ZERO, acct, on="2020-07-10", amount=1000)
    assert (err.value.name, err.value.value) == ("account", "一次性冲还贷")
    assert "my guide §8" in str(err.value)


def test_a_spouse_needs_a_pack_that_authorises_one() -> None:
    spouse = SpouseAuthorization(3000, "2020-08-01", "2020-12-31")
    qingdao = Loan(24000, 0, 24, released="2020-07-10", pack="qingdao")  # 配偶内转还款授权
    assert offset_plan(qingdao, Account("2020-07-01"), start="2020-07-10", spouse=spouse).spouse_total == 3000
    liuzhou = Loan(24000, 0, 24, released="2020-07-10", pack="liuzhou")
    with pytest.raises(InputError) as err:
        offset_plan(liuzhou, Account("2020-07-01"), start="2020-07-10", spouse=spouse)
    assert err.value.name == "spouse"
    assert load_pack("liuzhou").offset.modes.source in str(err.value)  # type: ignore[union-attr]
    jilin = Loan(24000, 0, 24, released="2020-07-10", pack="jilin")  # no [offset] table: nothing stated
    assert offset_plan(jilin, Account("2020-07-01"), start="2020-07-10", spouse=spouse).spouse_total == 3000


def test_liangshans_yearly_withdrawals_stay_within_the_loan_amount() -> None:
    loan = Loan(12000, "3.1%", 24, released="2022-01-10", pack="liangshan")
    r = Fraction(31, 12000)
    a = half_up(Fraction(1200000) * r * (1 + r) ** 24 / ((1 + r) ** 24 - 1))
    assert a == 51631  # 516.31 a month: 24 × 516.31 = 12,391.44 repaid, above the 12,000 lent
    plan = offset_plan(loan, Account("2022-01-01", 50000), start="2022-01-10", mode="yearly")
    assert plan.rows[11].withdrawn == yuan(12 * a)
    assert plan.rows[23].withdrawn == Decimal(12000) - yuan(12 * a)  # 提取总额不得超过住房贷款总额
    assert plan.withdrawn_total == Decimal("12000.00")
    assert plan.fund_runs_out == plan.rows[23].due
    free = offset_plan(Loan(12000, "3.1%", 24, released="2022-01-10"), Account("2022-01-01", 50000),
                       start="2022-01-10", mode="yearly")
    assert free.withdrawn_total == sum((row.installment for row in free.rows), Decimal(0)) > 12000


def test_a_once_only_repayment_withdrawal_refuses_the_yearly_mode(tmp_path: Path) -> None:
    pack = _pack(tmp_path, '[withdrawal.repayment]\nlabel = "还贷提取"\nsource = "my guide"\n'
                           'frequency = { value = "once", source = "my guide §9: once" }\n')
    loan = Loan(24000, 0, 24, released="2020-07-10", pack=str(pack))
    with pytest.raises(InputError) as err:
        offset_plan(loan, account(), start="2020-07-10", mode="yearly")
    assert err.value.name == "mode"
    assert "my guide §9" in str(err.value)


# --- offset_split is one row of the plan -------------------------------------------------------------


def test_offset_split_with_the_most_used_is_each_row_of_the_monthly_plan() -> None:
    spouse = SpouseAuthorization("2500.50", "2020-09-01", "2021-03-31")
    plan = offset_plan(ZERO, Account("2020-07-01", 1500).monthly_deposits(400, "2020-07-05"),
                       start="2020-07-10", keep=200, spouse=spouse)
    left = Decimal("2500.50")
    for row in plan.rows:
        valid = spouse.valid_from <= row.due <= spouse.valid_until
        before = row.fund_balance + row.from_fund  # the balance on the due date, before the offset
        split = offset_split(due=row.installment, own_available=max(before - 200, Decimal(0)),
                             spouse_authorized=left if valid else 0)
        assert (split.own, split.spouse, split.card) == (row.from_fund, row.from_spouse, row.from_card)
        left -= row.from_spouse
    assert plan.spouse_total == Decimal("2500.50")
    assert plan.rows[0].from_fund == Decimal("1000.00")  # 1,500 + 400 − 200 kept = 1,700 available


def test_offset_split_takes_own_then_spouse_by_hand() -> None:
    s = offset_split(due="3362.48", own_available="1200.10", spouse_authorized=1000)
    assert (s.own, s.spouse, s.card) == (Decimal("1200.10"), Decimal("1000.00"), Decimal("1162.38"))


# --- supplementary contributions ---------------------------------------------------------------------


def test_supplementary_ratios_round_like_the_basic_fund_on_the_clamped_base() -> None:
    # 4,733 × 3 % = 141.99: 142 to the yuan, 141.99 to the fen
    assert Fraction(4733) * Fraction(3, 100) == Fraction(14199, 100)
    c = contribution(4733, "6%", "6%", supplementary_ratio="3%")
    assert (c.total, c.supplementary_employee, c.supplementary_total) == (
        Decimal("568.00"), Decimal("142.00"), Decimal("284.00"))
    fen = contribution(4733, "6%", "6%", supplementary_ratio=("3%", "2%"), rules=AccountRules(rounding="fen"))
    # 4,733 × 2 % = 94.66
    assert (fen.supplementary_employee, fen.supplementary_employer, fen.supplementary_total) == (
        Decimal("141.99"), Decimal("94.66"), Decimal("236.65"))
    sh = AccountRules(base_max=37302, supplementary_min="1%", supplementary_max="5%",
                      supplementary_source=SHANGHAI_SUPPLEMENTARY)
    high = contribution(50000, "7%", "7%", rules=sh, supplementary_ratio="5%")
    assert high.supplementary_employee == Decimal("1865.00")  # 37,302 × 5 % = 1,865.10 → 1,865
    assert contribution(4733, "6%", "6%").supplementary_total == 0


@pytest.mark.parametrize(("ratio", "name", "allowed"), [
    ("6%", "supplementary_ratio", "from 1% to 5%"),
    ("0.5%", "supplementary_ratio", "from 1% to 5%"),
    (("2%", "x"), "supplementary_ratio[1]", "from 1% to 5%"),
    (("2%",), "supplementary_ratio", "(employee, employer)"),
])
def test_a_supplementary_ratio_outside_the_range_names_it(ratio: object, name: str, allowed: str) -> None:
    sh = AccountRules(supplementary_min="1%", supplementary_max="5%", supplementary_source=SHANGHAI_SUPPLEMENTARY)
    with pytest.raises(InputError) as err:
        contribution(5000, "7%", "7%", rules=sh, supplementary_ratio=ratio)
    assert err.value.name == name
    assert allowed in str(err.value)


def test_without_bounds_a_supplementary_ratio_is_above_0_and_at_most_ratio_max() -> None:
    assert contribution(5000, "7%", "7%", supplementary_ratio="12%").supplementary_employee == 600
    for bad in ("0%", "12.5%"):
        with pytest.raises(InputError, match="above 0% and at most 12%"):
            contribution(5000, "7%", "7%", supplementary_ratio=bad)


def test_on_a_settlement_day_the_prepayment_finds_the_balance_before_that_days_interest() -> None:
    # 30.43 a month from 2022-01-05: 182.58 on 2022-06-30 before the year's interest is credited
    acct = Account("2022-01-01").monthly_deposits("30.43", "2022-01-05")
    assert acct.balance_on("2022-06-30") > Decimal("182.58") == 6 * Decimal("30.43")
    loan = Loan(24000, 0, 24, released="2022-01-10")
    after, funded = prepay_from_fund(loan, acct, on="2022-06-30")
    assert after.state_on("2022-07-01").balance == Decimal(24000) - 5000 - 182  # five paid, 182 prepaid
    rows = list(funded.statement("2022-06-30", "2022-06-30"))
    assert [r.kind for r in rows] == ["一次性冲还贷", "年终结息"]
