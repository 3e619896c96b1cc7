"""Paying the loan from the fund: month by month (逐月冲还贷 / 内转还款) or once a year (每年提取).

Offsets pay installments; they never prepay, so the loan's schedule is the
same with or without them: only who pays each installment changes. The
account keeps receiving its deposits and its yearly interest meanwhile.

Sources: the Liuzhou center's 网上办理指南, 七、住房公积金对冲还贷 (逐月冲还贷: each
installment from the fund; 一次性冲还贷: a prepayment from the fund, the user
enters the principal and the system computes the interest and the total); the
Qingdao center's 个人专业版网厅操作手册 §9.3 and §9.5 (内转还款 from the borrower's
fund and a spouse's authorised amount, 授权金额 and 授权有效期: past its validity
the authorised amount is void); the Liangshan center's site (偿还住房贷款提取:
每年办理一次, not above what was repaid).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from gjjcalc._display import Record
from gjjcalc.account.ledger import INTEREST, Account, Offset, Withdrawal, _fen
from gjjcalc.errors import InputError
from gjjcalc.loan import Loan
from gjjcalc.money import to_amount, to_date, yuan

__all__ = [
    "FundComparison",
    "OffsetPlan",
    "OffsetRow",
    "SpouseAuthorization",
    "Strategy",
    "compare_prepay_vs_offset",
    "offset_plan",
]


@dataclass(frozen=True, slots=True, init=False)
class SpouseAuthorization:
    """A spouse's authorisation (配偶内转还款授权): ``amount`` usable from ``valid_from`` to ``valid_until``.

    The amount is a total that the installments draw down; past
    ``valid_until`` what is left is void (Qingdao's manual, §9.5).

    >>> SpouseAuthorization(5000, "2020-01-01", "2020-12-31").amount
    Fraction(5000, 1)
    """

    amount: Fraction
    valid_from: date
    valid_until: date

    def __init__(self, amount: object, valid_from: date | str, valid_until: date | str) -> None:
        object.__setattr__(self, "amount", to_amount(amount, "spouse.amount"))
        start = to_date(valid_from, "spouse.valid_from")
        end = to_date(valid_until, "spouse.valid_until")
        if end < start:
            raise InputError("spouse.valid_until", end.isoformat(), f"a date on or after valid_from={start}")
        object.__setattr__(self, "valid_from", start)
        object.__setattr__(self, "valid_until", end)


@dataclass(frozen=True, slots=True)
class OffsetRow(Record):
    """One installment of the plan: who paid it, and the balances after it.

    ``withdrawn`` is the yearly withdrawal booked on this due date (yearly
    mode), which reimburses the card.
    """

    due: date
    installment: Decimal
    from_fund: Decimal
    from_spouse: Decimal
    from_card: Decimal
    withdrawn: Decimal
    fund_balance: Decimal
    loan_balance: Decimal
    interest: Decimal


@dataclass(frozen=True, slots=True)
class OffsetPlan(Record):
    """The installments from ``start`` to the loan's maturity, and the totals.

    ``card_total`` is what the card paid, ``card_net`` that less the yearly
    withdrawals; ``fund_runs_out`` is the first due date the fund (own and
    spouse) no longer covers in full (yearly mode: the first withdrawal below
    what was repaid); ``card_stops`` the due date from which the card pays
    nothing to the end (``None`` when it pays to the end).
    """

    mode: Literal["monthly", "yearly"]
    start: date
    keep: Decimal
    rows: tuple[OffsetRow, ...]
    fund_total: Decimal
    spouse_total: Decimal
    card_total: Decimal
    withdrawn_total: Decimal
    card_net: Decimal
    loan_interest: Decimal
    fund_interest: Decimal
    fund_balance: Decimal
    fund_runs_out: date | None
    card_stops: date | None

    def __iter__(self) -> Iterator[OffsetRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _installments(loan: Loan, start: date) -> list[tuple[date, Fraction, Fraction, Decimal]]:
    """(due, payment, interest, balance after) of every installment due on or after ``start``."""
    s = loan.schedule()
    dates = s.due_dates or tuple(loan.due(k + 1) for k in range(len(s.payment)))
    return [
        (d, Fraction(s.payment[k]), Fraction(s.interest[k]), s.balance[k])
        for k, d in enumerate(dates) if d >= start
    ]


def _check_start(loan: Loan, account: Account, start: object) -> date:
    day = to_date(start, "start")
    if day < loan.released:
        raise InputError("start", day.isoformat(), f"a date on or after the loan's release {loan.released}")
    if day < account.opened:
        raise InputError("start", day.isoformat(), f"a date on or after the account's opening {account.opened}")
    if day > loan.maturity:
        raise InputError("start", day.isoformat(), f"a date on or before the loan's maturity {loan.maturity}")
    return day


def offset_plan(
    loan: Loan,
    account: Account,
    *,
    start: date | str,
    mode: Literal["monthly", "yearly"] = "monthly",
    keep: object = 0,
    spouse: SpouseAuthorization | None = None,
    until: date | str | None = None,
) -> OffsetPlan:
    """Pay the loan's installments from the fund, from ``start`` to maturity.

    Parameters
    ----------
    loan : Loan
        The loan; its schedule (every recorded event applied) gives the installments.
    account : Account
        The borrower's account, with its deposits to come (e.g. :class:`MonthlyDeposits`).
    start : date
        The first due date considered (on or after the release and the account's opening).
    mode : {"monthly", "yearly"}
        ``"monthly"`` (逐月冲还贷): each installment is taken from the fund on its
        due date, down to ``keep``, then from the spouse's authorisation, the card
        paying the rest. ``"yearly"`` (每年提取): the card pays every installment and
        on every 12th due date of the plan (and on the last) the fund reimburses
        what was repaid since the last withdrawal, never more than the balance less ``keep``.
    keep : amount
        The balance the fund keeps (at least 0).
    spouse : SpouseAuthorization, optional
        Monthly mode only.
    until : date, optional
        The date the fund balance is read at the end (default: the loan's maturity).

    Returns
    -------
    OffsetPlan
        One row per installment; money rounded to the fen (the account works in whole fen).

    Raises
    ------
    InputError
        Naming ``start``, ``mode``, ``keep`` or ``spouse``; or an account movement
        (``account.events[k].amount``) that the offsets left no balance for.

    Examples
    --------
    The Jilin center's loan (690,000 at 3.25 % over 300 months, 3,362.48 a month)
    and a fund of 10,000 that receives 2,000 a month: from 2018-01-28 the fund pays
    everything it has, the card the rest (on 2018-08-28 the fund holds 2,462.64 and
the 55.06 of interest credited on 30 June):

    >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> acct = Account("2018-01-01", 10000).monthly_deposits(2000, "2018-01-15")
    >>> plan = offset_plan(loan, acct, start="2018-01-28")
    >>> [(r.due.isoformat(), r.from_fund, r.from_card, r.fund_balance) for r in plan.rows[:5]]
    [('2018-01-28', Decimal('3362.48'), Decimal('0.00'), Decimal('8637.52')), ('2018-02-28', Decimal('3362.48'), Decimal('0.00'), Decimal('7275.04')), ('2018-03-28', Decimal('3362.48'), Decimal('0.00'), Decimal('5912.56')), ('2018-04-28', Decimal('3362.48'), Decimal('0.00'), Decimal('4550.08')), ('2018-05-28', Decimal('3362.48'), Decimal('0.00'), Decimal('3187.60'))]
    >>> plan.fund_runs_out, plan.rows[7].from_fund, plan.rows[7].from_card
    (datetime.date(2018, 8, 28), Decimal('2517.70'), Decimal('844.78'))
    """
    day = _check_start(loan, account, start)
    if mode not in ("monthly", "yearly"):
        raise InputError("mode", mode, "'monthly' or 'yearly'")
    floor = _fen(to_amount(keep, "keep", allow_zero=True))
    if spouse is not None and mode == "yearly":
        raise InputError("spouse", spouse, "None with mode='yearly' (a spouse's authorised amount pays "
                         "installments, 内转还款, in monthly mode)")
    end = loan.maturity if until is None else to_date(until, "until")
    rows_in = _installments(loan, day)
    if end < (rows_in[-1][0] if rows_in else day):
        raise InputError("until", end.isoformat(), "a date on or after the plan's last due date")
    ledger = account._ledger()
    movements = account._movements(end)
    i = 0

    def feed(through: date) -> None:
        nonlocal i
        while i < len(movements) and movements[i][0] <= through:
            on, _, event, name = movements[i]
            ledger.post(on, event.sign * _fen(event.amount), event.kind, f"account.{name}")
            i += 1

    rows: list[OffsetRow] = []
    spouse_left = _fen(spouse.amount) if spouse is not None else 0
    window = 0  # yearly mode: fen repaid since the last withdrawal
    runs_out: date | None = None
    for n, (due, payment, interest, loan_balance) in enumerate(rows_in, start=1):
        feed(due)
        ledger.settle_before(due)
        due_fen = _fen(payment)
        own = from_spouse = withdrawn = 0
        if mode == "monthly":
            own = max(min(due_fen, ledger.balance - floor), 0)
            if own:
                ledger.post(due, -own, Offset.label, "offset")
            if spouse is not None and spouse.valid_from <= due <= spouse.valid_until:
                from_spouse = min(due_fen - own, spouse_left)
                spouse_left -= from_spouse
            if runs_out is None and own + from_spouse < due_fen:
                runs_out = due
        else:
            window += due_fen
            if n % 12 == 0 or n == len(rows_in):
                withdrawn = max(min(window, ledger.balance - floor), 0)
                if withdrawn:
                    ledger.post(due, -withdrawn, "偿还贷款提取", "withdrawal")
                if runs_out is None and withdrawn < window:
                    runs_out = due
                window = 0
        card = due_fen - own - from_spouse
        rows.append(OffsetRow(
            due=due, installment=yuan(payment), from_fund=_y(own), from_spouse=_y(from_spouse),
            from_card=_y(card), withdrawn=_y(withdrawn), fund_balance=_y(ledger.balance),
            loan_balance=loan_balance, interest=yuan(interest),
        ))
    feed(end)
    ledger.close(end)
    stops: date | None = None
    for row in reversed(rows):
        if row.from_card:
            break
        stops = row.due
    card_total = sum((Fraction(r.from_card) for r in rows), Fraction(0))
    withdrawn_total = sum((Fraction(r.withdrawn) for r in rows), Fraction(0))
    fund_interest = sum(a for d, k, a, _ in ledger.rows if k == INTEREST and d >= day)
    return OffsetPlan(
        mode=mode, start=day, keep=_y(floor), rows=tuple(rows),
        fund_total=yuan(sum((Fraction(r.from_fund) for r in rows), Fraction(0)) + withdrawn_total),
        spouse_total=yuan(sum((Fraction(r.from_spouse) for r in rows), Fraction(0))),
        card_total=yuan(card_total), withdrawn_total=yuan(withdrawn_total),
        card_net=yuan(card_total - withdrawn_total),
        loan_interest=yuan(sum((Fraction(r.interest) for r in rows), Fraction(0))),
        fund_interest=_y(fund_interest), fund_balance=_y(ledger.balance),
        fund_runs_out=runs_out, card_stops=stops if mode == "monthly" else None,
    )


def _y(fen: int) -> Decimal:
    return yuan(Fraction(fen, 100))


@dataclass(frozen=True, slots=True)
class Strategy(Record):
    """One choice, from ``on`` to the horizon: what the loan cost and what the fund holds.

    ``net`` = fund balance at the horizon − paid from the card (the larger, the better).
    """

    name: str
    loan_interest: Decimal
    card_paid: Decimal
    fund_paid: Decimal
    fund_interest: Decimal
    fund_balance: Decimal
    maturity: date
    net: Decimal


@dataclass(frozen=True, slots=True)
class FundComparison(Record):
    """Prepaying from the fund now against offsetting every installment, on the same dates."""

    on: date
    horizon: date
    prepaid: Decimal
    offset: Strategy
    prepay: Strategy
    better: str


def compare_prepay_vs_offset(
    loan: Loan,
    account: Account,
    *,
    on: date | str,
    amount: object = None,
    mode: Literal["lower_payment", "shorten_term"] = "lower_payment",
    keep: object = 0,
) -> FundComparison:
    """Is it better to withdraw the fund to prepay (一次性冲还贷) or to offset each month (逐月冲还贷)?

    Parameters
    ----------
    loan, account
        As for :func:`offset_plan`.
    on : date
        The day of the choice: the prepayment's date, and the plan's start.
    amount : amount, optional
        The principal to prepay. Default: the most, in whole yuan, whose total
        (principal and its interest, 本息合计) the fund can pay on ``on`` above ``keep``.
    mode : {"lower_payment", "shorten_term"}
        What the prepayment does to the loan (:meth:`Loan.prepay`).
    keep : amount
        The balance the fund keeps in both choices.

    Returns
    -------
    FundComparison
        ``offset``: the fund pays every installment due from ``on`` as far as it can
        (:func:`offset_plan`); ``prepay``: the fund pays the prepayment's total on
        ``on`` and then only saves, the card paying the loan after it. For each: the
        loan interest from ``on`` on (the prepayment's interest included), the card's
        and the fund's payments, the fund's interest and its balance at the
        horizon (the original maturity), and ``better``, the name of the larger ``net``.

    Examples
    --------
    >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> acct = Account("2018-01-01", 60000).monthly_deposits(2000, "2018-01-15")
    >>> c = compare_prepay_vs_offset(loan, acct, on="2018-01-29")  # no interest the day after a due date
    >>> c.prepaid, c.prepay.loan_interest < c.offset.loan_interest, c.better
    (Decimal('62000.00'), True, 'prepay')
    """
    day = _check_start(loan, account, on)
    floor = to_amount(keep, "keep", allow_zero=True)
    horizon = loan.maturity
    plan = offset_plan(loan, account, start=day, keep=floor, until=horizon)
    offset = Strategy(
        name="offset", loan_interest=plan.loan_interest, card_paid=plan.card_total,
        fund_paid=plan.fund_total, fund_interest=plan.fund_interest,
        fund_balance=plan.fund_balance, maturity=loan.maturity,
        net=plan.fund_balance - plan.card_total,
    )
    available = Fraction(account.balance_on(day)) - floor
    state = loan.state_on(day)
    if amount is None:
        rate = Fraction(state.annual_rate)
        days = max((day - state.interest_from).days, 0)
        principal = min(available / (1 + rate * days / 360), Fraction(state.balance))
        paid = Fraction(int(principal))
        result, after = loan.prepay(amount=paid, on=day, mode=mode)
        while Fraction(result.total) > available and paid > 1:
            paid -= 1
            result, after = loan.prepay(amount=paid, on=day, mode=mode)
    else:
        paid = to_amount(amount, "amount")
        result, after = loan.prepay(amount=paid, on=day, mode=mode)
    if paid <= 0 or Fraction(result.total) > available:
        raise InputError("amount", yuan(paid), f"a prepayment whose total the fund can pay on {day} "
                         f"(at most {yuan(max(available, Fraction(0)))} above keep)")
    funded = account.with_events(Withdrawal(day, result.total, "一次性冲还贷"))
    rows = _installments(after, day)
    card = sum((p for _, p, _, _ in rows), Fraction(0))
    interest = sum((i for _, _, i, _ in rows), Fraction(0)) + Fraction(result.interest)
    statement = funded.statement(day, horizon)
    prepay = Strategy(
        name="prepay", loan_interest=yuan(interest), card_paid=yuan(card),
        fund_paid=result.total, fund_interest=statement.interest,
        fund_balance=statement.closing, maturity=after.maturity,
        net=statement.closing - yuan(card),
    )
    better = "prepay" if prepay.net > offset.net else "offset"
    return FundComparison(on=day, horizon=horizon, prepaid=yuan(paid), offset=offset,
                          prepay=prepay, better=better)
