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
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from gjjcalc._display import Record
from gjjcalc.account.ledger import INTEREST, Account, Offset, _fen
from gjjcalc.amortize.prepay import PrepaymentResult
from gjjcalc.conventions import PrepayMode, parse_enum
from gjjcalc.errors import InputError
from gjjcalc.loan import Loan
from gjjcalc.money import to_amount, to_date, yuan

if TYPE_CHECKING:
    from gjjcalc.rules.packs import Pack

__all__ = [
    "ONE_OFF",
    "FundComparison",
    "FundStrategies",
    "OffsetPlan",
    "OffsetRow",
    "SpouseAuthorization",
    "Strategy",
    "StrategyName",
    "compare_fund_strategies",
    "compare_prepay_vs_offset",
    "offset_plan",
    "prepay_from_fund",
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


def _installments(
    loan: Loan, start: date, end: date | None = None
) -> list[tuple[date, Fraction, Fraction, Decimal]]:
    """(due, payment, interest, balance after) of every installment due from ``start`` through ``end``."""
    s = loan.schedule()
    dates = s.due_dates or tuple(loan.due(k + 1) for k in range(len(s.payment)))
    return [
        (d, Fraction(s.payment[k]), Fraction(s.interest[k]), s.balance[k])
        for k, d in enumerate(dates) if d >= start and (end is None or d <= end)
    ]


def _check_start(loan: Loan, account: Account, start: object, name: str = "start") -> date:
    day = to_date(start, name)
    if day < loan.released:
        raise InputError(name, day.isoformat(), f"a date on or after the loan's release {loan.released}")
    if day < account.opened:
        raise InputError(name, day.isoformat(), f"a date on or after the account's opening {account.opened}")
    if day > loan.maturity:
        raise InputError(name, day.isoformat(), f"a date on or before the loan's maturity {loan.maturity}")
    return day


# --- the packs' [offset] settings ------------------------------------------------------------------

_SERVICES: dict[str, tuple[str, ...]] = {
    "monthly": ("monthly", "installment"),
    "one_off": ("one_off", "prepayment"),
    "payoff": ("one_off", "payoff"),
}
"""Which of a pack's ``[offset] modes`` allow each use of the fund: an installment paid from it each
month (Liuzhou's 逐月冲还贷, Qingdao's 内转还款 of an installment), a prepayment (一次性冲还贷; Qingdao's
减少月供 paid by 内转) or a payoff from it."""


def _packs(loan: Loan, account: Account) -> list[Pack]:
    """The packs the loan and the account follow (each once)."""
    from gjjcalc.rules.packs import load_pack  # on first use: ``import gjjcalc`` stays light

    found: dict[tuple[str, str], Pack] = {}
    for given in (loan.pack, account.rules.pack):
        if given is not None:
            pack = load_pack(given)
            found.setdefault((pack.name, pack.origin), pack)
    return list(found.values())


def _offered(packs: list[Pack], service: str, name: str, value: object) -> None:
    """A pack that lists its offset modes must list one that allows ``service``."""
    for pack in packs:
        modes = pack.offset.modes
        if modes is not None and not set(_SERVICES[service]) & set(modes.value):
            listed = ", ".join(repr(m) for m in modes.value)
            raise InputError(name, value, f"a use of the fund the {pack.name} pack offers (modes {listed}; "
                             f"source: {modes.source})")


def _spouse_allowed(packs: list[Pack], spouse: SpouseAuthorization) -> None:
    """A pack with an ``[offset]`` table must authorise a spouse's amount (``spouse_authorized = true``)."""
    for pack in packs:
        rules = pack.offset
        stated = rules.spouse_authorized
        if stated is not None and stated.value:
            continue
        if stated is None and rules.modes is None:
            continue  # the pack says nothing of offsets
        source = stated.source if stated is not None else rules.modes.source  # type: ignore[union-attr]
        raise InputError("spouse", spouse, f"None: the {pack.name} pack does not authorise a spouse's "
                         f"amount (配偶内转还款授权; source: {source})")


def _yearly_limits(packs: list[Pack], loan: Loan) -> int | None:
    """Yearly mode under a pack's ``[withdrawal.repayment]``: refused if it is once only; the total
    withdrawn capped at the loan amount (in fen) where the pack says so."""
    cap: int | None = None
    for pack in packs:
        if "repayment" not in pack.withdrawal_kinds:
            continue
        rules = pack.withdrawal("repayment")
        if rules.frequency is not None and rules.frequency.value == "once":
            raise InputError("mode", "yearly", f"'monthly': the {pack.name} pack allows the repayment "
                             f"withdrawal once (source: {rules.frequency.source})")
        if rules.total_within_loan is not None and rules.total_within_loan.value:
            cap = _fen(Fraction(loan.principal))
    return cap


# --- the plan --------------------------------------------------------------------------------------


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
    """Pay the loan's installments from the fund, from ``start`` to maturity (or ``until``).

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
        paying the rest (:func:`gjjcalc.rules.offset_split` with the most used).
        ``"yearly"`` (每年提取): the card pays every installment and on every 12th
        due date of the plan (and on its last) the fund reimburses what was
        repaid since the last withdrawal, never more than the balance less ``keep``.
    keep : amount
        The balance the fund keeps (at least 0).
    spouse : SpouseAuthorization, optional
        Monthly mode only.
    until : date, optional
        The plan's end: the installments due through it, and the fund balance
        read at the end of it (default: the loan's maturity). It may be before
        the maturity (a center's "what will offsets draw next year") or after it.

    Returns
    -------
    OffsetPlan
        One row per installment; money rounded to the fen (the account works in whole fen).

    Raises
    ------
    InputError
        Naming ``start``, ``until``, ``mode``, ``keep`` or ``spouse``; or an account
        movement (``account.events[k].amount``) that the offsets left no balance for.
        Under a pack (the loan's ``pack``, or the account's rules from a pack):
        ``mode`` when its ``[offset] modes`` lists no installment offset
        (``"monthly"`` or ``"installment"``) or its repayment withdrawal is once
        only; ``spouse`` when it has an ``[offset]`` table without
        ``spouse_authorized = true``; the message cites the pack's source.

    Notes
    -----
    Yearly mode under a pack whose repayment withdrawal says the total withdrawn
    stays within the loan (Liangshan: 提取总额不得超过住房贷款总额) caps the plan's
    withdrawals at the loan amount.

    Examples
    --------
    The Jilin center's loan (690,000 at 3.25 % over 300 months, 3,362.48 a month)
    and a fund of 10,000 that receives 2,000 a month: from 2018-01-28 the fund pays
    everything it has, the card the rest (on 2018-08-28 the fund holds 2,462.64 and
    the 55.06 of interest credited on 30 June):

    >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> acct = Account("2018-01-01", 10000).monthly_deposits(2000, "2018-01-15")
    >>> plan = offset_plan(loan, acct, start="2018-01-28")
    >>> [(r.due.isoformat(), r.from_fund, r.from_card, r.fund_balance) for r in plan.rows[:2]]
    [('2018-01-28', Decimal('3362.48'), Decimal('0.00'), Decimal('8637.52')), ('2018-02-28', Decimal('3362.48'), Decimal('0.00'), Decimal('7275.04'))]
    >>> plan.fund_runs_out, plan.rows[7].from_fund, plan.rows[7].from_card
    (datetime.date(2018, 8, 28), Decimal('2517.70'), Decimal('844.78'))

    The next 12 months only:

    >>> year = offset_plan(loan, acct, start="2018-01-28", until="2018-12-31")
    >>> len(year), year.fund_total, year.card_total
    (12, Decimal('34055.06'), Decimal('6294.70'))

    Liuzhou's center offers 逐月冲还贷 and 一次性冲还贷 and states no spouse's authorisation:

    >>> offset_plan(Loan(100000, "3.1%", 120, released="2023-03-15", pack="liuzhou"),
    ...             Account("2023-03-01", 5000), start="2023-04-15",
    ...             spouse=SpouseAuthorization(1000, "2023-04-01", "2023-12-31"))
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: spouse=SpouseAuthorization(... is out of range: expected None: the liuzhou pack does not authorise a spouse's amount (配偶内转还款授权; source: 柳州市住房公积金管理中心 网上办理指南 ...)
    """
    from gjjcalc.rules.offset import split_fen  # the rules load on first use

    day = _check_start(loan, account, start)
    if mode not in ("monthly", "yearly"):
        raise InputError("mode", mode, "'monthly' or 'yearly'")
    floor = _fen(to_amount(keep, "keep", allow_zero=True))
    if spouse is not None and mode == "yearly":
        raise InputError("spouse", spouse, "None with mode='yearly' (a spouse's authorised amount pays "
                         "installments, 内转还款, in monthly mode)")
    if spouse is not None and not isinstance(spouse, SpouseAuthorization):
        raise InputError("spouse", spouse, "a SpouseAuthorization or None")
    end = loan.maturity if until is None else to_date(until, "until")
    if end < day:
        raise InputError("until", end.isoformat(), f"a date on or after start={day}")
    packs = _packs(loan, account)
    cap: int | None = None
    if mode == "monthly":
        _offered(packs, "monthly", "mode", mode)
        if spouse is not None:
            _spouse_allowed(packs, spouse)
    else:
        cap = _yearly_limits(packs, loan)
    rows_in = _installments(loan, day, end)
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
    drawn = 0  # yearly mode: fen withdrawn so far
    runs_out: date | None = None
    for n, (due, payment, interest, loan_balance) in enumerate(rows_in, start=1):
        feed(due)
        ledger.settle_before(due)
        due_fen = _fen(payment)
        own = from_spouse = withdrawn = 0
        if mode == "monthly":
            valid = spouse is not None and spouse.valid_from <= due <= spouse.valid_until
            own, from_spouse, _ = split_fen(due_fen, ledger.balance - floor, spouse_left if valid else 0)
            if own:
                ledger.post(due, -own, Offset.label, "offset")
            spouse_left -= from_spouse
            if runs_out is None and own + from_spouse < due_fen:
                runs_out = due
        else:
            window += due_fen
            if n % 12 == 0 or n == len(rows_in):
                allowed = window if cap is None else min(window, cap - drawn)
                withdrawn = max(min(allowed, ledger.balance - floor), 0)
                if withdrawn:
                    ledger.post(due, -withdrawn, "偿还贷款提取", "withdrawal")
                    drawn += withdrawn
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
        fund_runs_out=runs_out, card_stops=stops if mode == "monthly" and rows else None,
    )


def _y(fen: int) -> Decimal:
    return yuan(Fraction(fen, 100))


# --- a prepayment from the fund (一次性冲还贷) ---------------------------------------------------------

ONE_OFF = "一次性冲还贷"
"""The kind of the account's :class:`Offset` that pays a prepayment (Liuzhou's 一次性冲还贷)."""


def _prepay_from_fund(
    loan: Loan,
    account: Account,
    *,
    on: object,
    amount: object = None,
    mode: object = "lower_payment",
    keep: object = 0,
) -> tuple[PrepaymentResult, Loan, Account]:
    """:func:`prepay_from_fund` with the prepayment's result (for ``Loan.prepay(..., from_fund=)``)."""
    if not isinstance(loan, Loan):
        raise InputError("loan", type(loan).__name__, "a gjjcalc.Loan")
    if not isinstance(account, Account):
        raise InputError("account", type(account).__name__, "a gjjcalc.account.Account")
    day = _check_start(loan, account, on, "on")
    floor = to_amount(keep, "keep", allow_zero=True)
    available = Fraction(_before_settlement(account, day), 100) - floor
    state = loan.state_on(day)
    balance = Fraction(state.balance)
    packs = _packs(loan, account)
    how = parse_enum(PrepayMode, mode, "mode")

    def trial(principal: Fraction) -> tuple[PrepaymentResult, Loan]:
        return loan.prepay(amount=principal, on=day, mode=how)

    if amount is None:
        payoff = loan.payoff(on=day)
        if Fraction(payoff.total) <= available:
            paid = balance
        else:
            unit = Fraction(1)
            if loan.enforce and packs and packs[0].partial.multiple is not None:
                unit = packs[0].partial.multiple.value  # the center's multiple (e.g. 1,000)
            rate = Fraction(state.annual_rate)
            days = max((day - state.interest_from).days, 0)
            estimate = min(max(available, Fraction(0)) / (1 + rate * days / 360), balance)
            paid = (estimate // unit) * unit
        if paid <= 0:
            raise InputError("account", yuan(available + floor),
                             f"a fund that can pay a prepayment of at least 1 yuan on {day} above keep={yuan(floor)}")
        result, after = trial(paid)
        while Fraction(result.total) > available and paid > unit:
            paid -= unit
            result, after = trial(paid)
    else:
        paid = to_amount(amount, "amount")
        result, after = trial(paid)
    if Fraction(result.total) > available:
        raise InputError("amount", yuan(paid), f"a principal whose total (本息合计 {result.total}) the fund "
                         f"can pay on {day}: at most {yuan(max(available, Fraction(0)))} above keep={yuan(floor)}")
    _offered(packs, "payoff" if Fraction(result.amount) == balance else "one_off", "account", ONE_OFF)
    funded = account.with_events(Offset(day, result.total, ONE_OFF))
    return result, after, funded


def _before_settlement(account: Account, day: date) -> int:
    """The balance (fen) after the movements of ``day``, before its settlement: what an offset booked
    that day finds (the yearly interest joins the balance after the day's movements)."""
    ledger = account._ledger()
    account._feed(ledger, day)
    ledger.settle_before(day)
    return ledger.balance


def prepay_from_fund(
    loan: Loan,
    account: Account,
    *,
    on: date | str,
    amount: object = None,
    mode: Literal["lower_payment", "shorten_term"] = "lower_payment",
    keep: object = 0,
) -> tuple[Loan, Account]:
    """Prepay from the fund (一次性冲还贷): the loan and the account after it.

    The borrower enters the principal; the prepayment's interest and total
    (本息合计) are the loan's own (:meth:`Loan.prepay`), and the account pays the
    total on ``on``, booked as an :class:`Offset` of kind ``"一次性冲还贷"``.

    Parameters
    ----------
    loan : Loan
        The loan (its pack's accrual rule gives the interest's days).
    account : Account
        The borrower's account.
    on : date
        The prepayment's day (on or after the release and the account's opening).
    amount : amount, optional
        The principal to prepay (还款本金). Default: the most the fund can pay on
        ``on`` above ``keep``: the whole loan (a payoff, 提前结清) when the fund
        holds its payoff total, else the most whole yuan (the pack's multiple
        for a loan with ``enforce=True``) whose total the fund can pay.
    mode : {"lower_payment", "shorten_term"}
        What the prepayment does to the loan.
    keep : amount
        The balance the fund keeps (at least 0).

    Returns
    -------
    (Loan, Account)
        The loan with the prepayment recorded and the account with its offset.

    Raises
    ------
    InputError
        ``amount`` when its total is above the balance on ``on`` less ``keep`` (or
        what :meth:`Loan.prepay` refuses); ``on``, ``keep``; ``account`` when the
        fund cannot pay any prepayment, or the loan's or the account's pack
        lists offset modes without a prepayment from the fund (``"one_off"``,
        ``"prepayment"``; ``"payoff"`` for the whole loan), citing its source;
        ``account.events[k].amount`` when a later movement of the account no
        longer finds its balance.

    Notes
    -----
    Liuzhou's 网上办理指南, 七、住房公积金对冲还贷 (一次性冲还贷: the user enters the
    principal, 还款本金, and the system computes the interest and the total,
    本息合计); Qingdao's 个人专业版网厅操作手册 §9.3.2 (a prepayment paid by 内转).

    Examples
    --------
    The Jilin center's loan prepaying 10,000 on 2018-01-09 (interest 9.93 for 11 days)
    from a fund of 12,000:

    >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> after, acct = prepay_from_fund(loan, Account("2018-01-01", 12000), on="2018-01-09", amount=10000)
    >>> after.state_on("2018-02-01").payment, acct.balance_on("2018-01-09")
    (Decimal('3310.48'), Decimal('1990.07'))
    >>> [(r.kind, r.amount) for r in acct.statement("2018-01-09", "2018-01-09")]
    [('一次性冲还贷', Decimal('-10009.93'))]
    >>> prepay_from_fund(loan, Account("2018-01-01", 12000), on="2018-01-09", amount=12000)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: amount=Decimal('12000.00') is out of range: expected a principal whose total (本息合计 12011.92) the fund can pay on 2018-01-09: at most 12000.00 above keep=0.00
    """
    _, after, funded = _prepay_from_fund(loan, account, on=on, amount=amount, mode=mode, keep=keep)
    return after, funded


# --- comparisons -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Strategy(Record):
    """One choice, from ``on`` to the horizon: what the loan cost and what the fund holds.

    ``card_paid`` is what the borrower paid from the card (net of the yearly
    withdrawals that reimbursed it); ``fund_paid`` what the fund paid (offsets,
    withdrawals, a prepayment's total); ``loan_balance`` the loan's balance at
    the horizon (0 at the maturity). ``net`` = fund balance − card paid − loan
    balance (the larger, the better).
    """

    name: str
    loan_interest: Decimal
    card_paid: Decimal
    fund_paid: Decimal
    fund_interest: Decimal
    fund_balance: Decimal
    maturity: date
    net: Decimal
    loan_balance: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class FundComparison(Record):
    """Prepaying from the fund now against offsetting every installment, on the same dates."""

    on: date
    horizon: date
    prepaid: Decimal
    offset: Strategy
    prepay: Strategy
    better: str


def _left(loan: Loan, horizon: date) -> Decimal:
    """The loan's balance at the end of ``horizon`` (every event through it applied)."""
    return loan.state_on(horizon).balance


def _saving(name: str, loan: Loan, account: Account, on: date, horizon: date,
            prepaid: PrepaymentResult | None) -> Strategy:
    """The card pays the loan, the fund only saves (after paying ``prepaid``'s total, if any)."""
    rows = _installments(loan, on, horizon)
    paid = sum((p for _, p, _, _ in rows), Fraction(0))
    interest = sum((i for _, _, i, _ in rows), Fraction(0))
    left = _left(loan, horizon)
    statement = account.statement(on, horizon)
    fund_paid = prepaid.total if prepaid is not None else Decimal("0.00")
    interest += Fraction(prepaid.interest) if prepaid is not None else 0
    return Strategy(
        name=name, loan_interest=yuan(interest), card_paid=yuan(paid), fund_paid=fund_paid,
        fund_interest=statement.interest, fund_balance=statement.closing, maturity=loan.maturity,
        net=statement.closing - yuan(paid) - left, loan_balance=left,
    )


def _offsetting(name: str, plan: OffsetPlan, loan: Loan, horizon: date) -> Strategy:
    left = _left(loan, horizon)
    return Strategy(
        name=name, loan_interest=plan.loan_interest, card_paid=plan.card_net,
        fund_paid=plan.fund_total, fund_interest=plan.fund_interest, fund_balance=plan.fund_balance,
        maturity=loan.maturity, net=plan.fund_balance - plan.card_net - left, loan_balance=left,
    )


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

    Two of the five strategies of :func:`compare_fund_strategies`, to the loan's maturity.

    Parameters
    ----------
    loan, account
        As for :func:`offset_plan`.
    on : date
        The day of the choice: the prepayment's date, and the plan's start.
    amount : amount, optional
        The principal to prepay. Default: as for :func:`prepay_from_fund`.
    mode : {"lower_payment", "shorten_term"}
        What the prepayment does to the loan (:meth:`Loan.prepay`).
    keep : amount
        The balance the fund keeps in both choices.

    Returns
    -------
    FundComparison
        ``offset``: the fund pays every installment due from ``on`` as far as it can
        (:func:`offset_plan`); ``prepay``: the fund pays the prepayment's total on
        ``on`` (:func:`prepay_from_fund`) and then only saves, the card paying the
        loan after it. For each: the loan interest from ``on`` on (the
        prepayment's interest included), the card's and the fund's payments, the
        fund's interest and its balance at the horizon (the original maturity),
        and ``better``, the name of the larger ``net``.

    Raises
    ------
    InputError
        As :func:`offset_plan` and :func:`prepay_from_fund` do.

    Examples
    --------
    >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> acct = Account("2018-01-01", 60000).monthly_deposits(2000, "2018-01-15")
    >>> c = compare_prepay_vs_offset(loan, acct, on="2018-01-29")  # no interest the day after a due date
    >>> c.prepaid, c.prepay.loan_interest < c.offset.loan_interest, c.better
    (Decimal('62000.00'), True, 'prepay')
    """
    day = _check_start(loan, account, on, "on")
    horizon = loan.maturity
    plan = offset_plan(loan, account, start=day, keep=keep, until=horizon)
    offset = replace(_offsetting("offset", plan, loan, horizon), card_paid=plan.card_total)
    result, after, funded = _prepay_from_fund(loan, account, on=day, amount=amount, mode=mode, keep=keep)
    prepay = _saving("prepay", after, funded, day, horizon, result)
    better = "prepay" if prepay.net > offset.net else "offset"
    return FundComparison(on=day, horizon=horizon, prepaid=result.amount, offset=offset,
                          prepay=prepay, better=better)


StrategyName = Literal["offset_monthly", "offset_yearly", "prepay_lower_payment", "prepay_shorten_term",
                       "do_nothing"]
"""The names of :func:`compare_fund_strategies`' five strategies, in their order."""


@dataclass(frozen=True, slots=True)
class FundStrategies(Record):
    """The five uses of the fund from ``on`` to ``horizon`` (:func:`compare_fund_strategies`).

    ``prepaid`` is the principal the two prepaying strategies prepay (0 when
    the fund could pay none: they are then ``do_nothing``); ``best`` names the
    strategy with the largest ``net`` (the first of them on a tie).
    """

    on: date
    horizon: date
    prepaid: Decimal
    offset_monthly: Strategy
    offset_yearly: Strategy
    prepay_lower_payment: Strategy
    prepay_shorten_term: Strategy
    do_nothing: Strategy
    best: StrategyName

    @property
    def strategies(self) -> tuple[Strategy, ...]:
        """The five strategies, in the order of :data:`StrategyName`."""
        return (self.offset_monthly, self.offset_yearly, self.prepay_lower_payment,
                self.prepay_shorten_term, self.do_nothing)

    def __iter__(self) -> Iterator[Strategy]:
        return iter(self.strategies)

    def __getitem__(self, name: str) -> Strategy:
        for strategy in self.strategies:
            if strategy.name == name:
                return strategy
        raise KeyError(name)


def compare_fund_strategies(
    loan: Loan,
    account: Account,
    *,
    on: date | str,
    horizon: date | str | None = None,
    amount: object = None,
    keep: object = 0,
) -> FundStrategies:
    """Keep the fund and offset, withdraw it to prepay, or do nothing (公积金冲还贷还是提前还款)?

    Five strategies, each from ``on`` to ``horizon``, on the same account and loan:

    * ``offset_monthly``: every installment from the fund down to ``keep``, the
      card the rest (逐月冲还贷, :func:`offset_plan`);
    * ``offset_yearly``: the card pays, the fund reimburses what was repaid every
      12 installments (每年提取, ``mode="yearly"``);
    * ``prepay_lower_payment`` and ``prepay_shorten_term``: the fund pays a
      prepayment's total on ``on`` (一次性冲还贷, :func:`prepay_from_fund`) and
      then only saves, the card paying the new installments;
    * ``do_nothing``: the card pays, the fund only saves.

    Parameters
    ----------
    loan, account
        As for :func:`offset_plan` (its pack checks apply).
    on : date
        The day of the choice: the prepayment's date and the plans' start.
    horizon : date, optional
        The day the strategies are compared at (default: the loan's maturity,
        when every strategy has repaid the loan). On or after ``on``.
    amount : amount, optional
        The principal the prepaying strategies prepay; default as for
        :func:`prepay_from_fund` (the most the fund can pay).
    keep : amount
        The balance the fund keeps in every strategy.

    Returns
    -------
    FundStrategies
        For each strategy (:class:`Strategy`): the interest paid on the loan
        through the horizon (the prepayment's own interest included), the total
        paid from the card (net of yearly reimbursements), what the fund paid,
        the fund's yearly interest credited from ``on`` through the horizon, the
        fund's and the loan's balances at the horizon, and ``net`` = fund
        balance − card paid − loan balance. Exact to the fen.

    Raises
    ------
    InputError
        Naming ``on``, ``horizon``, ``amount`` or ``keep``; what :func:`offset_plan`
        and :func:`prepay_from_fund` raise.

    Notes
    -----
    The comparison adds yuan of different dates: it ignores the time value of
    the card's payments (the fund's own interest is in it). Offsets pay
    installments and never prepay, so the two offset strategies pay the same
    loan interest as doing nothing.

    Examples
    --------
    The Jilin center's loan and an account of 80,000 receiving 2,400 a month, on
    2018-01-29 (the day after a due date, so the prepayment carries no interest):

    >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> acct = Account("2018-01-01", 80000).monthly_deposits(2400, "2018-01-15")
    >>> c = compare_fund_strategies(loan, acct, on="2018-01-29")
    >>> c.prepaid, c.best
    (Decimal('82400.00'), 'prepay_shorten_term')
    >>> for s in c:
    ...     print(f"{s.name:21} {s.card_paid:>10} {s.fund_balance:>10} {s.net:>11}")
    offset_monthly         173132.47       0.00  -173132.47
    offset_yearly          167884.73       0.00  -167884.73
    prepay_lower_payment   794820.40  773325.37   -21495.03
    prepay_shorten_term    750376.95  773325.37    22948.42
    do_nothing             911232.98  888938.65   -22294.33
    """
    day = _check_start(loan, account, on, "on")
    end = loan.maturity if horizon is None else to_date(horizon, "horizon")
    if end < day:
        raise InputError("horizon", end.isoformat(), f"a date on or after on={day}")
    monthly = _offsetting("offset_monthly", offset_plan(loan, account, start=day, keep=keep, until=end),
                          loan, end)
    yearly = _offsetting("offset_yearly", offset_plan(loan, account, start=day, keep=keep, until=end,
                                                      mode="yearly"), loan, end)
    nothing = _saving("do_nothing", loan, account, day, end, None)
    prepaid = Decimal("0.00")
    prepays: list[Strategy] = []
    for name, how in (("prepay_lower_payment", "lower_payment"), ("prepay_shorten_term", "shorten_term")):
        try:
            result, after, funded = _prepay_from_fund(loan, account, on=day, amount=amount, mode=how, keep=keep)
        except InputError as err:
            if amount is not None or err.name != "account" or err.value == ONE_OFF:
                raise
            prepays.append(replace(nothing, name=name))  # nothing to prepay with
            continue
        prepaid = result.amount
        prepays.append(_saving(name, after, funded, day, end, result))
    chosen = (monthly, yearly, *prepays, nothing)
    best = max(chosen, key=lambda s: s.net)  # the first of equals
    return FundStrategies(on=day, horizon=end, prepaid=prepaid, offset_monthly=monthly, offset_yearly=yearly,
                          prepay_lower_payment=prepays[0], prepay_shorten_term=prepays[1], do_nothing=nothing,
                          best=best.name)  # type: ignore[arg-type]
