"""The fund account (住房公积金个人账户): its movements, its statement and its yearly interest.

An :class:`Account` is immutable: each operation returns a new account with
the movement recorded. The balance on a date is derived by walking the
movements from the opening, in whole fen, and crediting the yearly interest
(年终结息) on each settlement day.

Yearly interest, the 积数 method: every day from the day after the last
settlement (or the opening day) through the settlement day adds that day's
closing balance to the year's 积数 (a deposit counts from its own day, an
amount withdrawn stops counting on the day it leaves); the interest is
Σ closing balance × the rate in force that day / 360, rounded half-up to the
fen once, at the settlement, and it joins the balance the same day. While the
year's deposits and the carried-over balance earned different rates (until
2016-02-20), the two parts are accumulated apart.

Sources: the rates and their split are those of the People's Bank of China
notices in ``data/deposit_rates.csv`` (银发〔2015〕325号; 银发〔2016〕43号, which
states the old split: the year's deposits at the demand rate, the carried-over
balance at the three-month rate). The settlement on 30 June follows the
centers' statements (the Ningxia center's app: 年终结息 booked 2020-06-30). No
public text stating the day count (a deposit's own day counted, /360) or the
rounding of the yearly interest could be retrieved: they follow the daily
rate = annual / 360 convention that the library's loan interest reproduces to
the fen (the Jilin center's prepayment figures) and the usual bank rule that
interest runs from the day of deposit to the day before withdrawal; both are
settings (``AccountRules.day_basis``) or documented here for checking.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

from dateutil.relativedelta import relativedelta

from gjjcalc._display import Record
from gjjcalc.account.settings import AccountRules, resolve
from gjjcalc.errors import InputError
from gjjcalc.money import round_fen, to_amount, to_date, to_months, yuan

__all__ = [
    "Account",
    "Deposit",
    "MonthlyDeposits",
    "Offset",
    "Statement",
    "StatementRow",
    "TransferIn",
    "Withdrawal",
]

INTEREST = "年终结息"
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, init=False)
class _Movement:
    """A dated movement of the account, in yuan (whole fen)."""

    on: date
    amount: Fraction
    kind: str
    sign: ClassVar[int] = 1
    label: ClassVar[str] = ""

    def __init__(self, on: date | str, amount: object, kind: str | None = None) -> None:
        object.__setattr__(self, "on", to_date(on, "on"))
        object.__setattr__(self, "amount", to_amount(amount, "amount"))
        object.__setattr__(self, "kind", self.label if kind is None else str(kind))


class Deposit(_Movement):
    """A deposit (汇缴: the month's contribution of both sides; or 补缴, a back payment).

    >>> Deposit("2020-05-19", 568).kind
    '汇缴'
    """

    __slots__ = ()
    label = "汇缴"


class Withdrawal(_Movement):
    """A withdrawal (提取; ``kind`` names it, e.g. ``"部分提取"``), at most the balance.

    >>> Withdrawal("2019-09-09", 36700, "部分提取").amount
    Fraction(36700, 1)
    """

    __slots__ = ()
    sign = -1
    label = "提取"


class Offset(_Movement):
    """An offset (冲还贷): the fund pays an installment or a prepayment of the loan.

    >>> Offset("2018-01-28", "3362.48").kind
    '冲还贷'
    """

    __slots__ = ()
    sign = -1
    label = "冲还贷"


class TransferIn(_Movement):
    """A transfer in (转入), e.g. a balance moved from another city's center.

    >>> TransferIn("2019-03-01", 12000).kind
    '转入'
    """

    __slots__ = ()
    label = "转入"


@dataclass(frozen=True, slots=True, init=False)
class MonthlyDeposits:
    """A standing monthly deposit (汇缴): ``amount`` on ``first`` and each month after.

    Deposit k falls on ``first + k months`` (a 31st becomes the month's last
    day). ``months=None`` keeps depositing for as long as the account is
    looked at (a plan to a loan's maturity, say).

    >>> [d.on.isoformat() for d in MonthlyDeposits("2020-01-31", 568, months=3).expand(None)]
    ['2020-01-31', '2020-02-29', '2020-03-31']
    """

    first: date
    amount: Fraction
    months: int | None
    kind: str

    def __init__(self, first: date | str, amount: object, *, months: int | None = None,
                 kind: str = "汇缴") -> None:
        object.__setattr__(self, "first", to_date(first, "first"))
        object.__setattr__(self, "amount", to_amount(amount, "amount"))
        object.__setattr__(self, "months", None if months is None else to_months(months, "months",
                                                                                   maximum=1200))
        object.__setattr__(self, "kind", str(kind))

    @property
    def on(self) -> date:
        """The first deposit's date (for ordering)."""
        return self.first

    @property
    def last(self) -> date | None:
        """The last deposit's date, ``None`` for an open-ended series."""
        if self.months is None:
            return None
        return self.first + relativedelta(months=self.months - 1)

    def expand(self, until: date | None) -> Iterator[Deposit]:
        """The deposits on or before ``until`` (all of them for ``until=None`` and a finite series)."""
        if until is None and self.months is None:
            raise InputError("until", None, "a date for an open-ended series")
        k = 0
        while self.months is None or k < self.months:
            day = self.first + relativedelta(months=k)
            if until is not None and day > until:
                return
            yield Deposit(day, self.amount, self.kind)
            k += 1


Event = Deposit | Withdrawal | Offset | TransferIn | MonthlyDeposits


@dataclass(frozen=True, slots=True)
class StatementRow(Record):
    """One line of a statement (账户明细): 记账日期, 摘要, 发生额 (signed) and the balance after."""

    date: date
    kind: str
    amount: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Statement(Record):
    """The rows from ``start`` to ``end``, with the balance before and after them."""

    start: date
    end: date
    opening: Decimal
    closing: Decimal
    rows: tuple[StatementRow, ...]
    interest: Decimal
    """The yearly interest credited within the statement's dates."""

    def __iter__(self) -> Iterator[StatementRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class _Ledger:
    """The walk: balances in whole fen, the year's 积数 per rate row, rows as they are booked."""

    def __init__(self, rules: AccountRules, opened: date, balance: int) -> None:
        self.rates = rules.deposit_rates
        self.rules = rules
        self.current = 0
        self.carried = balance
        self.mark = opened
        self.next_settle = rules.settlement_on_or_after(opened)
        self.acc: dict[int, list[int]] = {}
        self.rows: list[tuple[date, str, int, int]] = []
        self.interest = 0

    @property
    def balance(self) -> int:
        return self.current + self.carried

    def _accumulate(self, until: date) -> None:
        """Add the closing balance of each day from ``mark`` to the day before ``until``."""
        day = self.mark
        rows = self.rates.rows
        while day < until:
            k = self.rates.index_on(day)
            end = min(until, rows[k + 1].effective) if k + 1 < len(rows) else until
            days = (end - day).days
            part = self.acc.setdefault(k, [0, 0])
            part[0] += self.current * days
            part[1] += self.carried * days
            day = end
        self.mark = max(self.mark, until)

    def _settle(self, day: date) -> None:
        self._accumulate(day + _DAY)
        basis = self.rules.day_basis
        total = Fraction(0)
        for k, (current, carried) in self.acc.items():
            row = self.rates.rows[k]
            total += current * row.current_year + carried * row.carried_over
        credited = round_fen(total / basis / 100)  # fen-days × rate / basis → fen; /100 → yuan
        self.acc = {}
        self.carried += self.current + credited
        self.current = 0
        if credited:
            self.interest += credited
            self.rows.append((day, INTEREST, credited, self.balance))
        month, dd = self.rules.settlement
        self.next_settle = date(day.year + 1, month, dd)

    def settle_before(self, day: date) -> None:
        """Credit every settlement strictly before ``day``."""
        while self.next_settle < day:
            self._settle(self.next_settle)

    def close(self, day: date) -> None:
        """Credit every settlement on or before ``day`` (nothing more is booked on ``day``)."""
        self.settle_before(day + _DAY)

    def post(self, day: date, fen: int, kind: str, name: str) -> None:
        """Book ``fen`` (signed) on ``day``; a debit above the balance names ``name``."""
        self.settle_before(day)
        self._accumulate(day)
        if fen < 0:
            if -fen > self.balance:
                raise InputError(name, yuan(Fraction(-fen, 100)),
                                 f"at most the balance {yuan(Fraction(self.balance, 100))} on {day}")
            take = -fen
            if self.rules.withdraw_from == "current_first":
                first = min(take, self.current)
                self.current -= first
                self.carried -= take - first
            else:
                first = min(take, self.carried)
                self.carried -= first
                self.current -= take - first
        else:
            self.current += fen
        self.rows.append((day, kind, fen, self.balance))


def _fen(amount: Fraction) -> int:
    return int(amount * 100)


@dataclass(frozen=True, slots=True, init=False)
class Account:
    """A provident fund account (住房公积金个人账户) from its opening, with its movements.

    Parameters
    ----------
    opened : date
        The first day modelled: the account's opening, or the day whose
        balance ``balance`` is (a statement's opening balance). On or after the
        deposit rate table's first row (2015-10-24 for the shipped table).
    balance : amount
        The balance on ``opened`` before that day's movements, at least 0; it
        counts as carried over (上年结转).
    rules : AccountRules, pack or None, keyword-only
        Settlement day, day basis, rate table (default :class:`AccountRules()`).
    events : sequence of Deposit, Withdrawal, Offset, TransferIn, MonthlyDeposits
        The movements, on or after ``opened``; same-day movements are booked
        in the order given.

    Raises
    ------
    InputError
        Naming the argument or ``events[k].field``: a negative amount, a date
        before ``opened``, a withdrawal or offset above the balance of its day.

    Examples
    --------
    A balance of 40,000 on 2019-07-01, a year of deposits of 568.00 on the 19th and a
    partial withdrawal of 36,700.00 (积数 5,001,408 yuan-days over 366 days, × 1.5 % / 360):

    >>> acct = Account("2019-07-01", 40000, events=[
    ...     MonthlyDeposits("2019-07-19", 568, months=12),
    ...     Withdrawal("2019-09-09", 36700, "部分提取")])
    >>> acct.balance_on("2019-09-09")
    Decimal('4436.00')
    >>> for row in acct.statement("2020-05-01", "2020-06-30"):
    ...     print(row.date, row.kind, row.amount, row.balance)
    2020-05-19 汇缴 568.00 9548.00
    2020-06-19 汇缴 568.00 10116.00
    2020-06-30 年终结息 208.39 10324.39

    Every operation returns a new account:

    >>> acct.withdraw("2020-07-01", 20000)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: events[2].amount=Decimal('20000.00') is out of range: expected at most the balance 10324.39 on 2020-07-01
    """

    opened: date
    balance: Decimal
    rules: AccountRules = field(repr=False)
    events: tuple[Event, ...]

    def __init__(
        self,
        opened: date | str,
        balance: object = 0,
        *,
        rules: AccountRules | object = None,
        events: Sequence[Event] = (),
    ) -> None:
        start = to_date(opened, "opened")
        settings = resolve(rules)
        if start < settings.deposit_rates.start:
            raise InputError("opened", start.isoformat(),
                             f"a date on or after {settings.deposit_rates.start}, the first deposit rate "
                             "the table sources (pass rules=AccountRules(deposit_rates=...) for earlier years)")
        opening = to_amount(balance, "balance", allow_zero=True)
        for k, event in enumerate(events):
            if not isinstance(event, Deposit | Withdrawal | Offset | TransferIn | MonthlyDeposits):
                raise InputError(f"events[{k}]", event,
                                 "a Deposit, Withdrawal, Offset, TransferIn or MonthlyDeposits")
            if event.on < start:
                raise InputError(f"events[{k}].on", event.on.isoformat(), f"a date on or after opened={start}")
        object.__setattr__(self, "opened", start)
        object.__setattr__(self, "balance", yuan(opening))
        object.__setattr__(self, "rules", settings)
        object.__setattr__(self, "events", tuple(events))
        ends = [e.last if isinstance(e, MonthlyDeposits) else e.on for e in self.events]
        if any(d is not None for d in ends):
            self._walk(max(d for d in ends if d is not None))  # checks every debit against its day

    # --- the walk ------------------------------------------------------------------------------

    def _ledger(self) -> _Ledger:
        return _Ledger(self.rules, self.opened, _fen(Fraction(self.balance)))

    def _movements(self, until: date) -> list[tuple[date, int, Deposit | Withdrawal | Offset | TransferIn, str]]:
        """The movements on or before ``until``, in date order (same day: as given)."""
        out: list[tuple[date, int, int, Deposit | Withdrawal | Offset | TransferIn, str]] = []
        for k, event in enumerate(self.events):
            if isinstance(event, MonthlyDeposits):
                out.extend((d.on, k, j, d, f"events[{k}]") for j, d in enumerate(event.expand(until)))
            elif event.on <= until:
                out.append((event.on, k, 0, event, f"events[{k}].amount"))
        out.sort(key=lambda m: (m[0], m[1], m[2]))
        return [(on, 0, event, name) for on, _, _, event, name in out]

    def _feed(self, ledger: _Ledger, until: date) -> None:
        for on, _, event, name in self._movements(until):
            ledger.post(on, event.sign * _fen(event.amount), event.kind, name)

    def _walk(self, until: date) -> _Ledger:
        ledger = self._ledger()
        self._feed(ledger, until)
        ledger.close(until)
        return ledger

    # --- queries -------------------------------------------------------------------------------

    def _check(self, day: object, name: str = "on") -> date:
        d = to_date(day, name)
        if d < self.opened:
            raise InputError(name, d.isoformat(), f"a date on or after opened={self.opened}")
        return d

    def balance_on(self, on: date | str) -> Decimal:
        """The balance at the end of ``on`` (that day's movements and interest included).

        >>> Account("2020-07-01", 10000).balance_on("2021-06-30")   # 10,000 × 365 days × 1.5% / 360
        Decimal('10152.08')
        """
        day = self._check(on)
        return yuan(Fraction(self._walk(day).balance, 100))

    def statement(self, start: date | str, end: date | str) -> Statement:
        """The statement (账户明细) from ``start`` to ``end`` inclusive, rows in booking order.

        The yearly interest row (年终结息) is the last row of its settlement day.

        >>> s = Account("2020-07-01", 10000).deposit("2020-07-15", 568).statement("2020-07-01", "2021-06-30")
        >>> s.opening, [(r.kind, r.amount) for r in s], s.closing
        (Decimal('10000.00'), [('汇缴', Decimal('568.00')), ('年终结息', Decimal('160.39'))], Decimal('10728.39'))
        """
        first = self._check(start, "start")
        last = self._check(end, "end")
        if last < first:
            raise InputError("end", last.isoformat(), f"a date on or after start={first}")
        ledger = self._walk(last)
        before = [r for r in ledger.rows if r[0] < first]
        opening = before[-1][3] if before else _fen(Fraction(self.balance))
        rows = tuple(
            StatementRow(d, kind, yuan(Fraction(amount, 100)), yuan(Fraction(bal, 100)))
            for d, kind, amount, bal in ledger.rows if first <= d
        )
        interest = sum((a for d, k, a, _ in ledger.rows if k == INTEREST and first <= d), 0)
        return Statement(first, last, yuan(Fraction(opening, 100)), yuan(Fraction(ledger.balance, 100)),
                         rows, yuan(Fraction(interest, 100)))

    # --- operations (each returns a new account) -------------------------------------------------

    def with_events(self, *events: Event) -> Account:
        """A copy with more movements recorded (checked like the constructor's)."""
        return Account(self.opened, self.balance, rules=self.rules, events=(*self.events, *events))

    def deposit(self, on: date | str, amount: object, kind: str = "汇缴") -> Account:
        """A copy with a deposit (汇缴) recorded."""
        return self.with_events(Deposit(on, amount, kind))

    def withdraw(self, on: date | str, amount: object, kind: str = "提取") -> Account:
        """A copy with a withdrawal (提取) recorded; above the balance: ``InputError``."""
        return self.with_events(Withdrawal(on, amount, kind))

    def offset(self, on: date | str, amount: object) -> Account:
        """A copy with an offset (冲还贷) recorded."""
        return self.with_events(Offset(on, amount))

    def transfer_in(self, on: date | str, amount: object) -> Account:
        """A copy with a transfer in (转入) recorded."""
        return self.with_events(TransferIn(on, amount))

    def monthly_deposits(self, amount: object, first: date | str, months: int | None = None) -> Account:
        """A copy with a standing monthly deposit (see :class:`MonthlyDeposits`).

        >>> Account("2020-07-01").monthly_deposits(568, "2020-07-19").balance_on("2020-12-31")
        Decimal('3408.00')
        """
        return self.with_events(MonthlyDeposits(first, amount, months=months))
