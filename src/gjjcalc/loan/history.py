"""A loan with a history (贷款): state on any date, prepayments, payoff, rate changes.

A :class:`Loan` is immutable; each event returns a new loan with the event
recorded, so several prepayments in a row (and repricings) compose. The state
on a date is derived by walking the installments from the release date,
exactly, under the loan's convention.

Timeline rules (documented in ``docs/prepayment.md``):

* installment k falls due on ``first_due + (k − 1) months``; an installment
  due on a date counts as paid on that date;
* interest on a prepaid amount or a payoff accrues from the last due date (or
  the release date), or from the day after under a center's
  ``day_after_due`` rule (the Jilin center, the ``jilin`` pack);
* maturity = released + (installments paid + installments left) months
  (Jilin's example: 2015-08-28 + 300 months = 2040-08-28);
* a rate change effective on D applies from the first installment whose
  period starts (previous due date, or release) on or after D; the balance is
  re-amortized over the months left (equal installment: a new payment; equal
  principal: the same principal part). A period that straddles D pays the old
  rate for the whole period: its interest is not split by days (no seed center
  does so; ``docs/rates.md``). A prepayment made inside that period, on or
  after D, is applied before its installment, at the old rate;
* ``annual_rate=None`` or ``repricing=...`` makes the loan follow the benchmark
  tables (:mod:`gjjcalc.rules.rates`): the contract rate is the one in force
  on the release date and the repricings are recorded as *scheduled*
  :class:`RateChange` events (``scheduled=True``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, TypedDict, Unpack, overload

from dateutil.relativedelta import relativedelta

from gjjcalc import _deprecated
from gjjcalc._display import Record
from gjjcalc._types import (
    AmountLike,
    ConventionLike,
    DateLike,
    MethodLike,
    ModeLike,
    MonthsLike,
    PackLike,
    RateLike,
)
from gjjcalc.amortize._exact import (
    Run,
    balance_after,
    first_interest,
    level_for,
    lump_interest,
    next_payment,
    repays,
)
from gjjcalc.amortize.prepay import (
    PayoffQuote,
    PrepaymentResult,
    TermChangeResult,
    accrued_interest,
    future_interest,
    months_to_repay,
    prepay_exact,
    prepay_months,
    prepayment_result,
    target_months,
    term_exact,
)
from gjjcalc.amortize.schedule import (
    LUMP_SUM_MAX_MONTHS,
    Schedule,
    check_method,
    due_on,
    from_run,
    last_due,
)
from gjjcalc.conventions import (
    AccrualStart,
    Convention,
    Method,
    PrepayMode,
    parse_enum,
    to_convention,
)
from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.loan.policy import enforce_rules
from gjjcalc.money import (
    EXACT,
    MAX_MONTHS,
    fen,
    to_amount,
    to_date,
    to_flag,
    to_months,
    to_rate,
    yuan,
)

if TYPE_CHECKING:
    from gjjcalc.account import Account
    from gjjcalc.rules.rates import RateTable, Repricing

__all__ = [
    "ArrearsPaid", "ArrearsResult", "Loan", "LoanState", "Missed", "PaymentChange", "Prepayment",
    "RateChange", "TermChange",
]


@dataclass(frozen=True, slots=True, init=False)
class Prepayment:
    """A recorded partial prepayment (部分提前还本).

    It accepts what the rest of the API accepts and holds it exactly: ISO
    dates, amounts as ``int``, ``str`` (``"10,000"``), ``Decimal`` or
    ``float``, modes by name.

    >>> Prepayment("2018-01-10", "10,000", "lower_payment").amount
    Fraction(10000, 1)
    """

    on: date
    amount: Fraction
    mode: PrepayMode
    recompute_payment: bool
    new_remaining_months: int | None

    def __init__(
        self,
        on: DateLike,
        amount: AmountLike,
        mode: ModeLike,
        recompute_payment: bool = False,
        new_remaining_months: int | None = None,
    ) -> None:
        object.__setattr__(self, "on", to_date(on, "on"))
        object.__setattr__(self, "amount", to_amount(amount, "amount"))
        object.__setattr__(self, "mode", parse_enum(PrepayMode, mode, "mode"))
        object.__setattr__(self, "recompute_payment", to_flag(recompute_payment, "recompute_payment"))
        object.__setattr__(self, "new_remaining_months", None if new_remaining_months is None
                           else to_months(new_remaining_months, "new_remaining_months"))


@dataclass(frozen=True, slots=True, init=False)
class RateChange:
    """A new annual rate effective from ``on`` (applies to periods starting on or after it).

    ``scheduled`` marks a change derived from the rate tables when the loan
    was built (``repricing=...``): a future repricing, not recorded history,
    so a prepayment dated before it is still allowed. Changes recorded with
    :meth:`Loan.reprice` are not scheduled.

    >>> RateChange(date(2023, 1, 1), Fraction(31, 1000)).scheduled
    False
    """

    on: date
    annual_rate: Fraction
    scheduled: bool

    def __init__(self, on: date | str, annual_rate: object, scheduled: bool = False) -> None:
        object.__setattr__(self, "on", to_date(on, "on"))
        object.__setattr__(self, "annual_rate", to_rate(annual_rate))
        object.__setattr__(self, "scheduled", to_flag(scheduled, "scheduled"))


@dataclass(frozen=True, slots=True, init=False)
class TermChange:
    """A new term from ``on``: 缩短期限 (fewer months) or 延长期限 (more), the payment recomputed.

    Give ``remaining_months`` (the months left after the change) or
    ``maturity_year`` (the new maturity keeps its month and day in that year).

    >>> TermChange("2020-03-01", remaining_months=120).remaining_months
    120
    """

    on: date
    remaining_months: int | None
    maturity_year: int | None

    def __init__(
        self, on: date | str, remaining_months: int | None = None, maturity_year: int | None = None
    ) -> None:
        object.__setattr__(self, "on", to_date(on, "on"))
        if (remaining_months is None) == (maturity_year is None):
            raise InputError("remaining_months", remaining_months,
                             "exactly one of remaining_months and maturity_year")
        object.__setattr__(self, "remaining_months", None if remaining_months is None
                           else to_months(remaining_months, "remaining_months"))
        object.__setattr__(self, "maturity_year", None if maturity_year is None
                           else to_months(maturity_year, "maturity_year", minimum=1900, maximum=9999))


@dataclass(frozen=True, slots=True, init=False)
class PaymentChange:
    """A new level payment from ``on`` (调整月还款额): the months left follow from it.

    Equal installment only. The months left are the fewest that repay the
    balance at that payment; the last period takes the remainder.

    >>> PaymentChange("2020-03-01", "5,000").payment
    Fraction(5000, 1)
    """

    on: date
    payment: Fraction

    def __init__(self, on: date | str, payment: object) -> None:
        object.__setattr__(self, "on", to_date(on, "on"))
        object.__setattr__(self, "payment", to_amount(payment, "payment"))


@dataclass(frozen=True, slots=True, init=False)
class Missed:
    """The installment due on ``due`` was not paid (逾期): it stays owed, with penalty interest,
    until the arrears are settled (:class:`ArrearsPaid`, :meth:`Loan.pay_overdue`).

    >>> Missed("2018-02-28").on
    datetime.date(2018, 2, 28)
    """

    due: date

    def __init__(self, due: date | str) -> None:
        object.__setattr__(self, "due", to_date(due, "due"))

    @property
    def on(self) -> date:
        """The event's date: the missed due date."""
        return self.due


@dataclass(frozen=True, slots=True, init=False)
class ArrearsPaid:
    """Every missed installment due on or before ``on`` paid on ``on``, with its penalty interest."""

    on: date

    def __init__(self, on: date | str) -> None:
        object.__setattr__(self, "on", to_date(on, "on"))


Event = Prepayment | RateChange | TermChange | PaymentChange | Missed | ArrearsPaid
_STATE_EVENTS = (Prepayment, TermChange, PaymentChange)
_WALKED = (Prepayment, RateChange, TermChange, PaymentChange)
"""Events that change the amortization; arrears do not (the contract's schedule stands)."""
"""Events applied to the balance between two installments (a rate change waits for a period)."""
LATEST_MONTHS = MAX_MONTHS
"""Without a pack, no change may take a loan past this many months from its release."""


def _check_events(events: Sequence[object], name: str = "events", after: date | None = None) -> None:
    """Every event is one of the event types, in date order (not before ``after``)."""
    previous = after
    for k, event in enumerate(events):
        if not isinstance(event, Prepayment | RateChange | TermChange | PaymentChange | Missed | ArrearsPaid):
            raise InputError(f"{name}[{k}]", event,
                             "a Prepayment, RateChange, TermChange, PaymentChange, Missed or ArrearsPaid")
        if previous is not None and event.on < previous:
            raise InputError(f"{name}[{k}].on", event.on.isoformat(),
                             f"a date on or after the previous event's {previous}")
        previous = event.on


@dataclass(frozen=True, slots=True)
class LoanState(Record):
    """A loan on a date: what a center's hall shows on its loan page."""

    balance: Decimal
    """贷款余额 after the installments due on or before the date."""
    remaining_months: int
    """剩余期数."""
    payment: Decimal
    """The next installment (当期应还)."""
    last_due: date | None
    """The last due date on or before the date (``None`` before the first)."""
    interest_from: date
    """The first day of accrual for a prepayment or payoff on the date."""
    maturity: date
    """到期日期."""
    annual_rate: Decimal
    """The rate of the current period."""
    periods_paid: int
    """当期期次: installments due on or before the date."""
    principal_repaid: Decimal
    """已还本金额: principal repaid by installments and prepayments (principal − balance)."""
    interest_repaid: Decimal
    """已还利息额: interest of the installments due so far plus the interest paid with prepayments."""
    next_due: date | None
    """The next due date (``None`` once the loan is repaid)."""
    overdue_principal: Decimal = Decimal("0.00")
    """逾期本金: the principal of the missed installments not yet settled (part of ``balance``)."""
    overdue_interest: Decimal = Decimal("0.00")
    """逾期利息: their interest."""
    penalty_interest: Decimal | None = Decimal("0.00")
    """罚息 on the overdue principal to the date (``None``: arrears but no ``penalty_rate``)."""

    @property
    def paid_months(self) -> int:
        """Deprecated name of :attr:`periods_paid`."""
        import warnings

        warnings.warn("LoanState.paid_months is now LoanState.periods_paid", DeprecationWarning,
                      stacklevel=2)
        return self.periods_paid


@dataclass(frozen=True, slots=True)
class ArrearsResult(Record):
    """What settling the arrears costs on a date (逾期还款)."""

    principal: Decimal
    """逾期本金."""
    interest: Decimal
    """逾期利息."""
    penalty: Decimal
    """罚息."""
    total: Decimal
    """The amount to pay."""
    installments: tuple[date, ...]
    """The due dates settled."""


@dataclass(slots=True)
class _Walk:
    balance: Fraction
    rate: Fraction
    level: Fraction
    paid: int
    remaining: int
    start: date
    run: Run = field(default_factory=Run)
    pending: int = 0
    prepaid_interest: Fraction = Fraction(0)
    cleared: date | None = None
    """The date of a prepayment that repaid the whole balance."""
    interest_before: int = 0
    """Shown interest (fen) of the installments before ``run``'s first row (a resumed walk)."""
    waiting: tuple[Event, ...] = ()
    """A snapshot's events not yet applied."""

    def snapshot(self, waiting: list[Event]) -> _Walk:
        """This state, to resume a walk from (its rows so far summed, not kept)."""
        return _Walk(self.balance, self.rate, self.level, self.paid, self.remaining, self.start,
                     Run(), self.pending, self.prepaid_interest, self.cleared,
                     self.interest_before + sum(self.run.interest), tuple(waiting))


@dataclass(slots=True)
class _Later:
    """A snapshot of the whole walk inside a stretch of level periods, built only when a
    state on a later date asks for it (its balance from the stretch's closed form).

    ``make(paid)`` builds the state after any number of installments ``paid`` of the same
    stretch up to ``last`` (each built once): a state on a date resumes there, not at the
    snapshot, and walks no row."""

    paid: int
    start: date
    waiting: tuple[Event, ...]
    make: Callable[[int], _Walk]
    last: int

    def build(self, paid: int | None = None) -> _Walk:
        return self.make(self.paid if paid is None else paid)


SNAPSHOT_ROWS = 24
"""The whole walk keeps a resumable state every this many installments (and at each event),
so that a state on any date costs at most this many installments to compute."""


class _LoanDeprecated(TypedDict, total=False):
    """Keywords :class:`Loan` still takes under their old names."""

    rate_table: RateTable | None


class Loan:
    """A provident fund loan (公积金贷款) from its release, with its events.

    Parameters
    ----------
    principal, months
        As for :func:`gjjcalc.equal_installment`.
    annual_rate : rate-like or None
        The contract rate (``0.0325`` or ``"3.25%"``, 0 to 1). ``None``: look
        it up in the provident fund benchmark table at ``released``
        (:func:`gjjcalc.rules.rates.loan_rate`, tier by ``months``,
        ``second_home`` and ``markup`` applied) and follow the table's
        repricings (``repricing`` then defaults to ``"next_january"``).
    released
        放款日期, the release date.
    first_due
        The first due date (default: ``released`` + 1 month).
    method, convention
        Repayment method and convention (docs/conventions.md). ``method=None``
        (the default): ``"lump_sum"`` when the pack repays loans of this term in
        one sum at maturity (its ``[loan] lump_sum_months``), else
        ``"equal_installment"``.
    pack
        A center pack (name, path or loaded pack) whose rules the loan follows:
        the start of accrual (``accrual_start``) among them. Without a pack,
        interest accrues from the due date itself.
    events
        Prepayments and rate changes already recorded.
    second_home : bool, keyword-only
        Table lookups use the second-home (二套) column.
    markup : rate-like, keyword-only
        Qingdao's 上浮比例 on table rates (0 or 10%): benchmark × (1 + markup).
    repricing : {"next_january", "july_same_year", "immediate", "never"} or None
        When given, the rate path follows the benchmark table: each day from
        :func:`gjjcalc.rules.rates.repricing_dates` (the new benchmark of the
        loan's tier, markup applied) becomes a scheduled :class:`RateChange`,
        also when ``annual_rate`` is given (then only the contract rate is
        the caller's). Default ``None``: with an explicit ``annual_rate`` the
        rate never changes unless :meth:`reprice` records a change; with
        ``annual_rate=None`` it means ``"next_january"``, the national rule
        (the provident fund rate notices: a change applies from the next 1 January). ``"never"`` takes the table rate at release and keeps
        it (a fixed-rate contract). A loan of at most 12 months never
        reprices.
    table : RateTable, optional
        A caller's benchmark table for the lookups (default: the shipped one).
        ``rate_table=`` is its deprecated spelling (until gjjcalc 0.3).
    enforce : bool, keyword-only
        Check the pack's prepayment and payoff rules on every
        :meth:`prepay` and :meth:`payoff` (each call may override it) and
        raise :class:`~gjjcalc.errors.RuleViolation` on a refusal.

    Raises
    ------
    InputError
        Naming the argument: a bad amount, rate, term or date; ``released``
        before the table's first row (with ``annual_rate=None``); an unknown
        ``repricing`` rule; ``second_home``, ``markup`` or ``table``
        given with an explicit ``annual_rate`` and no ``repricing`` (they
        would be ignored).

    Notes
    -----
    A rate change reaches the first installment whose period starts (the
    previous due date, or the release date for period 1) on or after its
    effective day; the balance is then re-amortized over the months left
    (docs/rates.md). A period that straddles the day pays the old rate throughout.

    Examples
    --------
    The loan in the Jilin center's online-hall manual (吉林省住房公积金管理中心《个人网厅操作手册》):

    >>> loan = Loan(690000, 0.0325, 300, released="2015-08-28", first_due="2015-09-28", pack="jilin")
    >>> s = loan.state_on("2018-01-09")
    >>> s.balance, s.remaining_months, s.payment, s.interest_from, s.maturity
    (Decimal('646609.84'), 272, Decimal('3362.48'), datetime.date(2017, 12, 29), datetime.date(2040, 8, 28))
    >>> result, after = loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    >>> result.interest, result.remaining_months, result.maturity
    (Decimal('10.83'), 266, datetime.date(2040, 2, 28))
    >>> loan.payoff(on="2018-01-10").total
    Decimal('647310.33')

    The same loan with its rate from the tables, repriced on 1 January after
    each benchmark change: the installment due 2023-01-28 still pays 3.25%
    (its period started 2022-12-28), the next one 3.1%:

    >>> tabled = Loan(690000, None, 300, released="2015-08-28", first_due="2015-09-28")
    >>> tabled.annual_rate, tabled.repricing
    (Decimal('0.0325'), <Repricing.NEXT_JANUARY: 'next_january'>)
    >>> [(e.on.isoformat(), float(e.annual_rate)) for e in tabled.events]
    [('2023-01-01', 0.031), ('2025-01-01', 0.0285), ('2026-01-01', 0.026)]
    >>> s = tabled.schedule()
    >>> s.due_dates[88], s.rate[88], s.payment[88], s.due_dates[89], s.rate[89], s.payment[89]
    (datetime.date(2023, 1, 28), Decimal('0.0325'), Decimal('3362.48'), datetime.date(2023, 2, 28), Decimal('0.031'), Decimal('3322.38'))
    >>> tabled.state_on("2026-02-01").payment
    Decimal('3207.68')
    """

    __slots__ = (
        "_accrual",
        "_due_day",
        "_events",
        "_level",
        "_principal",
        "_rate",
        "_sealed",
        "_snaps",
        "_walked",
        "convention",
        "enforce",
        "first_due",
        "method",
        "months",
        "pack",
        "penalty_rate",
        "released",
        "repricing",
    )

    def __init__(
        self,
        principal: AmountLike,
        annual_rate: RateLike | None,
        months: MonthsLike,
        *,
        released: DateLike,
        first_due: DateLike | None = None,
        method: MethodLike | None = None,
        convention: ConventionLike = Convention.CENTER,
        pack: PackLike | None = None,
        events: Sequence[Event] = (),
        second_home: bool = False,
        markup: object = 0,
        repricing: Repricing | str | None = None,
        table: RateTable | None = None,
        enforce: bool = False,
        penalty_rate: object = None,
        **deprecated: Unpack[_LoanDeprecated],
    ) -> None:
        table = _deprecated.pop_renamed_keyword("Loan", dict(deprecated), "rate_table", "table", table)
        self._principal = to_amount(principal, "principal")
        self.months = to_months(months)
        self.released = to_date(released, "released")
        scheduled: tuple[RateChange, ...] = ()
        self.repricing: Repricing | None = None
        if annual_rate is None or repricing is not None:
            self._rate, self.repricing, scheduled = _table_path(
                annual_rate, self.months, released, second_home, markup, repricing, table
            )  # the argument as given, so that an error message shows it
        else:
            self._rate = to_rate(annual_rate)
            _refuse_ignored(second_home, markup, table)
        self.method = _method_for(method, pack, self.months)
        lump = self.method is Method.LUMP_SUM  # one installment, at maturity
        if lump:
            _check_lump(self.months, annual_rate, repricing, events)
        if first_due is None:
            last_due(self.released, self.months + 1, "released")
        self.first_due = (
            self.released + relativedelta(months=self.months if lump else 1)
            if first_due is None
            else to_date(first_due, "first_due")
        )
        last_due(self.first_due, 1 if lump else self.months)
        # The due day: the release day when the first due date is a month after it (a loan
        # released on the 31st is due on 02-29, 03-31, 04-30, ...), else the first due date's.
        self._due_day = self.released.day if first_due is None else self.first_due.day
        if self.first_due <= self.released:
            raise InputError(
                "first_due", self.first_due.isoformat(), f"a date after released={self.released}"
            )
        self.convention = to_convention(convention)
        self.pack = pack
        self._accrual = _accrual_start(pack)
        if enforce and pack is None:
            raise InputError("enforce", enforce, "True only together with a pack (pack=None has no rules)")
        self.enforce = to_flag(enforce, "enforce")
        self.penalty_rate = None if penalty_rate is None else to_rate(penalty_rate, "penalty_rate")
        _check_events(events)
        for k, event in enumerate(events):
            if event.on < self.released:
                raise InputError(f"events[{k}].on", event.on.isoformat(),
                                 f"a date on or after released={self.released}")
        self._events = tuple(sorted((*events, *scheduled), key=lambda e: e.on))
        self._level = level_for(self._principal, self._rate, self.months, self.method, self.convention)
        # the whole walk, which checks each event against the state it meets, is kept: the
        # loan is immutable, so its schedule, maturity and totals are computed once
        self._snaps: list[_Walk | _Later] | None = []
        labels = {id(e): f"events[{k}]" for k, e in enumerate(events)}
        self._walked: _Walk | None = self._walk(None, labels, snapshots=self._snaps)
        self._check_arrears(labels)
        object.__setattr__(self, "_sealed", True)

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(self, "_sealed", False):
            raise AttributeError(
                f"Loan is immutable: {name!r} cannot be set; build a new Loan, or record an event "
                "with with_events(), prepay() or reprice(), which return one"
            )
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Loan is immutable: {name!r} cannot be deleted")

    # --- public attributes -------------------------------------------------------------------

    @property
    def principal(self) -> Decimal:
        """贷款金额."""
        return yuan(self._principal)

    @property
    def annual_rate(self) -> Decimal:
        """The contract rate at release."""
        return EXACT.divide(Decimal(self._rate.numerator), Decimal(self._rate.denominator))

    @property
    def events(self) -> tuple[Event, ...]:
        """Recorded prepayments and rate changes, in date order."""
        return self._events

    def __repr__(self) -> str:
        return (
            f"Loan({self.principal}, {self.annual_rate}, {self.months}, released={self.released},"
            f" first_due={self.first_due}, method={self.method.value!r},"
            f" convention={self.convention.value!r}, pack={self.pack!r}, events={len(self._events)})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Loan):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (
            self._principal, self._rate, self.months, self.released, self.first_due,
            self.method, self.convention, self._accrual, self._events,
        )

    def with_events(self, *events: Event) -> Loan:
        """A copy of this loan with more events recorded, each checked against the loan's
        state on its date (an ``InputError`` names ``events[k]`` and the field).

        Events come in date order, on or after the last recorded one.
        """
        recorded = [e for e in self._events if not (isinstance(e, RateChange) and e.scheduled)]
        _check_events(events, after=recorded[-1].on if recorded else None)
        if self.method is Method.LUMP_SUM and events:
            _check_lump(self.months, self._rate, None, events)
        for k, event in enumerate(events):
            if event.on < self.released:
                raise InputError(f"events[{k}].on", event.on.isoformat(),
                                 f"a date on or after released={self.released}")
        new = self._copy_with(events)
        labels = {id(e): f"events[{k}]" for k, e in enumerate(events)}
        new._walk_whole(labels)
        new._check_arrears(labels)
        return new

    def _copy_with(self, events: tuple[Event, ...]) -> Loan:
        """A copy with ``events`` merged in, not yet walked."""
        new = object.__new__(Loan)
        for name in Loan.__slots__:
            object.__setattr__(new, name, getattr(self, name))
        merged = sorted((*self._events, *events), key=lambda e: e.on)
        object.__setattr__(new, "_events", tuple(merged))
        object.__setattr__(new, "_walked", None)
        object.__setattr__(new, "_snaps", None)
        return new

    def _walk_whole(self, labels: dict[int, str] | None = None) -> _Walk:
        snapshots: list[_Walk | _Later] = []
        w = self._walk(None, labels, snapshots=snapshots)
        object.__setattr__(self, "_walked", w)
        object.__setattr__(self, "_snaps", snapshots)
        return w

    @property
    def _full(self) -> _Walk:
        """The whole walk (every event applied), computed on first use for a loan made by a
        method that has already checked its event against the same state."""
        return self._walk_whole() if self._walked is None else self._walked

    @property
    def _snapshots(self) -> list[_Walk | _Later]:
        if self._snaps is None:
            self._walk_whole()
        assert self._snaps is not None
        return self._snaps

    # --- the walk ----------------------------------------------------------------------------

    def _term_installments(self) -> int:
        """The number of installments: one for a loan repaid in one sum, else the months."""
        return 1 if self.method is Method.LUMP_SUM else self.months

    def due(self, k: int) -> date:
        """The due date of installment ``k`` (1-based)."""
        return due_on(self.first_due, k - 1, self._due_day)

    def _accrues_from(self, start: date) -> date:
        if self._accrual is AccrualStart.DAY_AFTER_DUE:
            return start + timedelta(days=1)
        return start

    def _dues_through(self, day: date) -> int:
        """How many installments fall due on or before ``day``."""
        months = (day.year - self.first_due.year) * 12 + day.month - self.first_due.month
        return max(months + (self.due(months + 1) <= day), 0)

    def _walk(
        self,
        until: date | None,
        labels: dict[int, str] | None = None,
        resume: _Walk | None = None,
        snapshots: list[_Walk | _Later] | None = None,
    ) -> _Walk:
        """Walk the installments and events up to ``until`` (or the end), exactly.

        With ``labels`` (event id → ``events[k]``), every event so labelled is
        checked against the state it meets, and an event the loan never reaches
        (dated after it is repaid) is refused. ``resume`` starts from a snapshot
        of the whole walk; ``snapshots`` collects them (every SNAPSHOT_ROWS rows).
        """
        if resume is None:
            w = _Walk(
                balance=self._principal, rate=self._rate, level=self._level,
                paid=0, remaining=self._term_installments(), start=self.released,
            )
            pending: list[Event] = [
                e for e in self._events if isinstance(e, _WALKED) and (until is None or e.on <= until)
            ]
        else:
            w = resume.snapshot(list(resume.waiting))
            pending = [e for e in resume.waiting if until is None or e.on <= until]
        while w.remaining > 0 and w.balance > 0:
            pending = self._apply_due(w, pending, labels)
            if snapshots is not None:
                snapshots.append(w.snapshot(pending))
            if w.remaining == 0 or w.balance == 0:
                break
            # installments up to the next event (or ``until``) run in one exact stretch
            last = w.paid + w.remaining
            if until is not None:
                last = min(last, self._dues_through(until))
            elif snapshots is None:  # the whole walk without snapshots: in stretches as before
                last = min(last, (w.paid // SNAPSHOT_ROWS + 1) * SNAPSHOT_ROWS)
            next_rate = next((e for e in pending if isinstance(e, RateChange)), None)
            if next_rate is not None:
                last = min(last, self._periods_before(next_rate.on))
            next_event = next((e for e in pending if isinstance(e, _STATE_EVENTS)), None)
            if next_event is not None:
                last = min(last, self._dues_through(next_event.on))
            count = last - w.paid
            if count <= 0:
                break
            first_row = len(w.run.payment)
            if self.method is Method.LUMP_SUM:
                w.run.lump(w.balance, w.rate, self.months, self.convention)
                w.balance = Fraction(0)
            else:
                begin = w.balance
                w.balance = w.run.extend(
                    w.balance, w.rate, count, self.method, self.convention,
                    remaining=w.remaining, level=w.level,
                )
                if snapshots is not None and until is None:
                    self._later(w, begin, first_row, count, pending, snapshots)
            w.run.prepaid[first_row] += w.pending
            w.pending = 0
            w.paid += count
            w.remaining -= count
            w.start = self.due(w.paid)
        if labels:
            late = [e for e in pending if id(e) in labels]
            if late:
                end = w.cleared or (self.due(w.paid) if w.paid else self.released)
                raise InputError(f"{labels[id(late[0])]}.on", late[0].on.isoformat(),
                                 f"a date before the loan is repaid (maturity {end})")
        if w.pending and until is None:
            # repaid in full by a prepayment: a last row with no installment shows it
            w.run.extend(Fraction(0), w.rate, 1, self.method, self.convention, level=Fraction(0))
            w.run.prepaid[-1] = w.pending
        return w

    def _later(
        self, w: _Walk, begin: Fraction, first_row: int, count: int, pending: list[Event],
        snapshots: list[_Walk | _Later],
    ) -> None:
        """Snapshots every SNAPSHOT_ROWS installments inside the stretch just walked (``w``
        before its counters moved on, its run holding the stretch's rows from ``first_row``),
        each built on demand, and only where the balance is still owed."""
        rows = w.run.payment[first_row:first_row + count]
        owed = count if w.balance else max(k for k, p in enumerate(rows) if p)  # rows before the last
        paid0, remaining0, rate, level = w.paid, w.remaining, w.rate, w.level
        run, before, interest_paid, cleared = w.run, w.interest_before, w.prepaid_interest, w.cleared
        waiting = tuple(pending)
        carry_fen = self.convention.carry == "fen"
        method, convention = self.method, self.convention
        first = (paid0 // SNAPSHOT_ROWS + 1) * SNAPSHOT_ROWS - paid0
        last = min(count - 1, owed)
        built: dict[int, _Walk] = {}

        def build(paid: int) -> _Walk:
            j = paid - paid0
            if j not in built:
                if carry_fen:  # whole fen throughout: the shown balance is the exact one
                    balance = Fraction(run.balance[first_row + j - 1], 100)
                else:
                    balance = balance_after(begin, rate, j, level, method, convention)
                built[j] = _Walk(balance, rate, level, paid, remaining0 - j, self.due(paid),
                                 Run(), 0, interest_paid, cleared,
                                 before + sum(run.interest[:first_row + j]), waiting)
            return built[j]

        # one at the stretch's first installment, then every SNAPSHOT_ROWS: a state in the
        # stretch resumes from the one before it, built at its own installment (_on)
        for j in sorted({1, *range(first, last + 1, SNAPSHOT_ROWS)} - {k for k in (1,) if k > last}):
            snapshots.append(_Later(paid0 + j, self.due(paid0 + j), waiting, build, paid0 + last))

    def _on(self, day: date) -> _Walk:
        """The walk up to ``day``, resumed from the latest snapshot of the whole walk that
        ``day`` has reached; inside a stretch of level periods, the state after the
        installments due by ``day`` itself (its closed form): no row is walked."""
        dues = self._dues_through(day)
        start = None
        for snap in self._snapshots:  # in walk order: paid and the events applied only grow
            applied_by_day = all(e.on <= day for e in self._events if e not in snap.waiting)
            if snap.paid > dues or not applied_by_day or (snap.paid and snap.start > day):
                break
            start = snap
        if isinstance(start, _Later):
            return self._walk(day, resume=start.build(min(dues, start.last)))
        return self._walk(day, resume=start)

    def _apply_due(self, w: _Walk, pending: list[Event], labels: dict[int, str] | None) -> list[Event]:
        """Apply, in date order, the events that come before the next installment.

        A rate change effective on or before the period's start applies now;
        a later one waits for the first period starting on or after it, but a
        prepayment (or a term or payment change) made after it and before the
        next due date is still applied now (inside the straddling period, at
        the old rate). Returns the events still pending, in order.
        """
        rest: list[Event] = []
        due = self.due(w.paid + 1)
        for k, event in enumerate(pending):
            if isinstance(event, RateChange):
                if event.on <= w.start:
                    self._reprice(w, event)
                else:
                    rest.append(event)
            elif event.on < due:
                if w.balance == 0 or w.remaining == 0:
                    rest.extend(pending[k:])  # after a prepayment that cleared the loan
                    break
                label = None if labels is None else labels.get(id(event))
                assert isinstance(event, _STATE_EVENTS)  # arrears never enter the walk
                try:
                    self._apply(w, event, label is not None)
                except InputError as err:
                    if label is None:
                        raise
                    raise InputError(f"{label}.{err.name}", err.value, err.allowed) from None
            else:
                rest.extend(pending[k:])
                break
        return rest
    def _periods_before(self, day: date) -> int:
        """Installments whose period starts before ``day``: they keep the old rate.

        Period k starts on due(k − 1), period 1 on the release date.
        """
        if day <= self.released:
            return 0
        return self._dues_through(day - timedelta(days=1)) + 1

    def _reprice(self, w: _Walk, event: RateChange) -> None:
        w.rate = event.annual_rate
        if self.method is Method.EQUAL_INSTALLMENT and w.remaining > 0 and w.balance > 0:
            w.level = level_for(w.balance, w.rate, w.remaining, self.method, self.convention)

    def _apply(self, w: _Walk, event: Prepayment | TermChange | PaymentChange, check: bool) -> None:
        """Apply an event between installments; ``check``: refuse one the state cannot take."""
        if isinstance(event, TermChange):
            self._change_term(w, event)
            return
        if isinstance(event, PaymentChange):
            self._change_payment(w, event)
            return
        if check and event.amount > fen(w.balance):
            raise InputError("amount", yuan(event.amount),
                             f"an amount from 0.01 to the balance {yuan(fen(w.balance))} on {event.on}")
        change = prepay_exact(
            w.balance, w.rate, w.remaining, w.level, event.amount, event.mode,
            self.method, self.convention,
            recompute_payment=event.recompute_payment,
            new_months=prepay_months(w.remaining, event.mode, event.new_remaining_months),
        )
        start = self._accrues_from(w.start)
        days_prepaid = max((event.on - start).days, 0)
        w.prepaid_interest += fen(accrued_interest(event.amount, w.rate, days_prepaid, self.convention))
        w.pending += int(event.amount * 100)
        if change.balance == 0:
            w.cleared = event.on
        w.balance = change.balance
        w.remaining = change.months
        w.level = change.level

    def _latest(self, w: _Walk, months: int, name: str, value: object) -> None:
        """A change may not take the loan past LATEST_MONTHS from release."""
        if w.paid + months > LATEST_MONTHS:
            raise InputError(name, value, f"a change that ends the loan within {LATEST_MONTHS} months of "
                             f"its release ({w.paid} paid, so at most {LATEST_MONTHS - w.paid} left)")

    def _change_term(self, w: _Walk, event: TermChange) -> None:
        try:
            new = target_months(
                w.remaining, maturity=self.due(w.paid + w.remaining),
                new_remaining_months=event.remaining_months, new_maturity_year=event.maturity_year,
                shorten_only=False,
            )
        except InputError as err:  # the event's own field names
            name = {"new_remaining_months": "remaining_months",
                    "new_maturity_year": "maturity_year"}.get(err.name, err.name)
            raise InputError(name, err.value, err.allowed) from None
        assert new is not None  # TermChange holds one of the two
        self._latest(w, new, "remaining_months", new)
        change = term_exact(w.balance, w.rate, w.remaining, w.level, new, self.method, self.convention)
        w.remaining = change.months
        w.level = change.level

    def _change_payment(self, w: _Walk, event: PaymentChange) -> None:
        if self.method is not Method.EQUAL_INSTALLMENT:
            raise InputError("payment", yuan(event.payment),
                             "no payment change on an equal principal loan (change its term instead)")
        level = event.payment
        if not repays(w.balance, w.rate, level, self.method, self.convention):
            interest = first_interest(w.balance, w.rate, self.convention)
            raise InputError("payment", yuan(level),
                             f"a payment above the month's interest {yuan(interest)} on the balance "
                             f"{yuan(fen(w.balance))}")
        months = months_to_repay(w.balance, w.rate / 12, level)
        self._latest(w, months, "payment", yuan(level))
        w.remaining = months
        w.level = level

    def _state(self, w: _Walk, on: date | None = None) -> LoanState:
        if w.remaining and w.balance and self.method is Method.LUMP_SUM:
            pay = w.balance + self.convention.fen(lump_interest(w.balance, w.rate, self.months))
        elif w.remaining and w.balance:
            pay = next_payment(w.balance, w.rate, w.level, self.method, self.convention, last=w.remaining == 1)
        else:
            pay = Fraction(0)
        overdue, overdue_interest, penalty, _ = (
            self._arrears(on) if on is not None else (Fraction(0), Fraction(0), Fraction(0), ())
        )
        balance = yuan(w.balance + overdue)  # the overdue principal is still owed
        left = w.remaining if w.balance else 0
        return LoanState(
            balance=balance,
            remaining_months=left,
            payment=yuan(pay),
            last_due=self.due(w.paid) if w.paid else None,
            interest_from=self._accrues_from(w.start),
            maturity=self._maturity(w, on),
            annual_rate=EXACT.divide(Decimal(w.rate.numerator), Decimal(w.rate.denominator)),
            periods_paid=w.paid,
            principal_repaid=EXACT.subtract(self.principal, balance),
            interest_repaid=yuan(Fraction(w.interest_before + sum(w.run.interest), 100)
                                 + w.prepaid_interest - overdue_interest),
            next_due=self.due(w.paid + 1) if left else None,
            overdue_principal=yuan(overdue),
            overdue_interest=yuan(overdue_interest),
            penalty_interest=None if penalty is None else yuan(penalty),
        )

    # --- arrears (逾期) --------------------------------------------------------------------

    def _installments(self) -> int:
        """How many installments the loan has after every event (rows of the whole walk)."""
        return self._full.paid

    def _check_arrears(self, labels: dict[int, str]) -> None:
        """Each Missed names a due date of the loan, once; each ArrearsPaid settles something."""
        missed: set[date] = set()
        for event in self._events:
            label = labels.get(id(event))
            if isinstance(event, Missed):
                k = self._dues_through(event.due)
                is_due = 1 <= k <= self._installments() and self.due(k) == event.due
                if not is_due and label is not None:
                    raise InputError(f"{label}.due", event.due.isoformat(),
                                     "one of the loan's due dates (an installment it has)")
                if event.due in missed and label is not None:
                    raise InputError(f"{label}.due", event.due.isoformat(), "a due date not already missed")
                missed.add(event.due)
            elif isinstance(event, ArrearsPaid) and label is not None and not self._open_arrears(event.on, before=event):
                raise InputError(f"{label}.on", event.on.isoformat(),
                                 "a date with arrears to settle (a Missed installment due on or before it)")

    def _open_arrears(self, day: date, before: object = None) -> list[int]:
        """The installments (1-based) missed by ``day`` and not settled by then."""
        open_: list[int] = []
        for event in self._events:
            if event is before or event.on > day:
                break
            if isinstance(event, Missed):
                open_.append(self._dues_through(event.due))
            elif isinstance(event, ArrearsPaid):
                open_.clear()
        return open_

    def _arrears(self, day: date) -> tuple[Fraction, Fraction, Fraction | None, tuple[date, ...]]:
        """Overdue principal, interest and penalty on ``day`` (penalty None without a rate)."""
        run = self._full.run
        principal = interest = penalty = Fraction(0)
        dues = []
        for k in self._open_arrears(day):
            part = Fraction(run.principal[k - 1], 100)
            principal += part
            interest += Fraction(run.interest[k - 1], 100)
            due = self.due(k)
            dues.append(due)
            if self.penalty_rate is not None:
                penalty += fen(part * self.penalty_rate / 360 * (day - due).days)
        rated = penalty if self.penalty_rate is not None or not dues else None
        return principal, interest, rated, tuple(dues)

    def _no_arrears(self, day: date, enforced: bool) -> None:
        principal, interest, penalty, dues = self._arrears(day)
        if not dues:
            return
        owed = yuan(principal + interest + (penalty or 0))
        what = (f"the arrears of {len(dues)} installment(s) due {dues[0]}"
                f"{'' if len(dues) == 1 else f' to {dues[-1]}'}: {owed} to settle first "
                "with loan.pay_overdue(on=...)")
        if enforced:
            raise RuleViolation([f"arrears: {what}"])
        raise InputError("on", day.isoformat(), f"a date with no open arrears ({what})")

    def pay_overdue(self, *, on: date | str) -> tuple[ArrearsResult, Loan]:
        """Settle the arrears on ``on`` (逾期还款): what it costs, and the loan after.

        The overdue principal and interest of every missed installment due on or
        before ``on``, and penalty interest on the overdue principal
        (``penalty_rate`` of the loan, per 360 days, from each due date to ``on``,
        rounded half-up per installment). No penalty rule of the five seed centers
        is published, so the rate is the caller's (the loan contract's).

        >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", penalty_rate="4.875%")
        >>> late = loan.with_events(Missed("2018-01-28"))
        >>> late.state_on("2018-02-07").overdue_principal
        Decimal('1611.25')
        >>> r, after = late.pay_overdue(on="2018-02-07")
        >>> r.principal, r.interest, r.penalty, r.total
        (Decimal('1611.25'), Decimal('1751.23'), Decimal('2.18'), Decimal('3364.66'))
        >>> after.state_on("2018-02-08").overdue_principal
        Decimal('0.00')
        """
        day = self._check_date(on)
        principal, interest, penalty, dues = self._arrears(day)
        if not dues:
            raise InputError("on", day.isoformat(), "a date with arrears to settle")
        if penalty is None:
            raise InputError("penalty_rate", None, "the loan's penalty rate (Loan(..., penalty_rate=...)) "
                             "to settle arrears with their penalty interest")
        result = ArrearsResult(yuan(principal), yuan(interest), yuan(penalty),
                               yuan(principal + interest + penalty), dues)
        return result, self.with_events(ArrearsPaid(day))

    # --- queries and events ------------------------------------------------------------------

    @property
    def maturity(self) -> date:
        """到期日期 after every recorded event."""
        return self._maturity(self._full, None)

    def _maturity(self, w: _Walk, on: date | None) -> date:
        """The last due date; for a loan cleared by a prepayment, that prepayment's date."""
        if w.remaining and w.balance:
            return self.due(w.paid + w.remaining)
        ends = [self.due(w.paid)] if w.paid else []
        prepaid = [e.on for e in self._events if isinstance(e, Prepayment) and (on is None or e.on <= on)]
        ends += prepaid[-1:]
        return max(ends) if ends else self.first_due

    def state_on(self, on: date | str) -> LoanState:
        """The loan's state on a date, after the installments due on or before it.

        >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
        >>> s = loan.state_on("2018-01-09")
        >>> s.balance, s.periods_paid, s.last_due, s.interest_from
        (Decimal('646609.84'), 28, datetime.date(2017, 12, 28), datetime.date(2017, 12, 29))
        """
        day = self._check_date(on)
        return self._state(self._on(day), day)

    def schedule(self) -> Schedule:
        """The whole schedule with every recorded event applied (``prepaid`` per period).

        ``rate`` shows each period's annual rate; ``annual_rate`` and, for
        equal principal, ``monthly_decrease`` are those of the contract rate
        (the decrease changes at each repricing).

        >>> s = Loan(120000, None, 120, released="2021-06-15", method="equal_principal").schedule()
        >>> s.annual_rate, s.monthly_decrease, s.rate[19]  # 1,000 × 3.25%/12 = 2.7083…
        (Decimal('0.0325'), Decimal('2.71'), Decimal('0.031'))
        """
        w = self._full
        return from_run(
            w.run,
            loan=self._principal,
            annual_rate=self._rate,
            method=self.method,
            convention=self.convention,
            first_due=self.first_due,
            due_day=self._due_day,
            monthly_decrease=None
            if self.method is not Method.EQUAL_PRINCIPAL
            else yuan(self._level * self._rate / 12),
        )

    def _check_date(self, on: object) -> date:
        day = to_date(on, "on")
        if day < self.released:
            raise InputError("on", day.isoformat(), f"a date on or after released={self.released}")
        return day

    def _open(self, on: object, installments: str | None = None) -> tuple[date, _Walk]:
        day = self._check_date(on)
        if installments and self.method is Method.LUMP_SUM:
            raise InputError(
                "method", "lump_sum", f"a method with installments for {installments}() (a one-sum "
                "loan, 到期一次还本付息, is repaid at maturity or paid off: use payoff)",
            )
        recorded = [e for e in self._events if not (isinstance(e, RateChange) and e.scheduled)]
        if recorded and day < recorded[-1].on:
            raise InputError(
                "on", day.isoformat(), f"a date on or after the last recorded event {recorded[-1].on}"
            )
        w = self._on(day)
        if w.balance == 0 or w.remaining == 0:
            raise InputError("on", day.isoformat(), "a date before the loan is repaid")
        return day, w

    @overload
    def prepay(
        self, *, amount: AmountLike | None = None, on: DateLike, mode: ModeLike | None = None,
        recompute_payment: bool = False, new_remaining_months: int | None = None,
        maturity_year: int | None = None, at: object = None, today: object = None,
        enforce: bool | None = None, calendar: object = None, assume: str | None = None,
        from_fund: None = None,
    ) -> tuple[PrepaymentResult, Loan]: ...

    @overload
    def prepay(
        self, *, amount: AmountLike | None = None, on: DateLike, mode: ModeLike | None = None,
        recompute_payment: bool = False, new_remaining_months: int | None = None,
        maturity_year: int | None = None, at: object = None, today: object = None,
        enforce: bool | None = None, calendar: object = None, assume: str | None = None,
        from_fund: Account,
    ) -> tuple[PrepaymentResult, Loan, Account]: ...

    def prepay(
        self,
        *,
        amount: AmountLike | None = None,
        on: DateLike,
        mode: ModeLike | None = None,
        recompute_payment: bool = False,
        new_remaining_months: int | None = None,
        maturity_year: int | None = None,
        at: object = None,
        today: object = None,
        enforce: bool | None = None,
        calendar: object = None,
        assume: str | None = None,
        from_fund: Account | None = None,
    ) -> tuple[PrepaymentResult, Loan] | tuple[PrepaymentResult, Loan, Account]:
        """Prepay part of the principal on ``on``: the trial result and the loan after it.

        Interest on the prepaid amount runs from the state's ``interest_from``
        (the center's accrual rule). Returns ``(result, loan_after)``; the new
        loan has the prepayment recorded, so its ``schedule()`` and later
        events reflect it.

        >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
        >>> r, after = loan.prepay(amount=10000, on="2018-01-09", mode="lower_payment")
        >>> r.total, r.payment, after.state_on("2018-02-01").payment
        (Decimal('10009.93'), Decimal('3310.48'), Decimal('3310.48'))

        With ``enforce=True`` (here or on the loan) the pack's rules are
        checked first (:func:`gjjcalc.rules.check_prepayment`; the due day is
        ``first_due``'s day, ``at`` is the time of day, ``today`` the day of
        the request) and a refusal raises :class:`~gjjcalc.errors.RuleViolation`.
        Past the shipped holiday calendar, give the year's official schedule
        (``calendar=``, a holiday file or the ``GJJCALC_HOLIDAYS`` variable;
        see :func:`gjjcalc.rules.load_calendar`) or ``assume="weekends"``:

        >>> loan.prepay(amount=10500, on="2018-01-09", mode="lower_payment", enforce=True)
        Traceback (most recent call last):
        ...
        gjjcalc.errors.RuleViolation: multiple: 10500.00 is not a multiple of 1000.00 (rule: 1000.00; source: ...)

        Qingdao's trial takes a prepaid amount and/or a year to shorten the loan to
        (缩至年份), at least one, in one call: ``maturity_year=`` re-amortizes what is
        left so that the loan ends in that year (the maturity keeps its month and day):

        >>> r, after = loan.prepay(amount=10000, on="2018-01-10", maturity_year=2035)
        >>> r.new_balance, r.remaining_months, r.maturity
        (Decimal('636609.84'), 212, datetime.date(2035, 8, 28))

        From the borrower's fund (一次性冲还贷): ``from_fund=`` an
        :class:`~gjjcalc.account.Account` pays the prepayment's total (principal and
        interest) on ``on``, and the account after it is returned too. Without
        ``amount``, the most whole yuan the fund can pay (see
        :func:`gjjcalc.account.prepay_from_fund`, which also takes ``keep=``):

        >>> from gjjcalc.account import Account
        >>> fund = Account("2016-01-01", 30000)
        >>> r, after, fund_after = loan.prepay(amount=20000, on="2018-01-09", mode="lower_payment",
        ...                                    from_fund=fund)
        >>> r.total, fund.balance_on("2018-01-09") - fund_after.balance_on("2018-01-09")
        (Decimal('20019.86'), Decimal('20019.86'))
        """
        if from_fund is not None:
            others = {"recompute_payment": recompute_payment or None, "new_remaining_months": new_remaining_months,
                      "maturity_year": maturity_year, "at": at, "today": today, "calendar": calendar,
                      "assume": assume}
            given = next((k for k, v in others.items() if v is not None), None)
            if given is not None:
                raise InputError(given, others[given], "None with from_fund= (gjjcalc.account.prepay_from_fund "
                                 "prepays principal with the loan's own mode)")
            from gjjcalc.account.offset import (
                _prepay_from_fund,  # the account layer imports this one
            )

            return _prepay_from_fund(self, from_fund, on=on, amount=amount,
                                     mode="lower_payment" if mode is None else mode)
        enforced = bool(self.enforce if enforce is None else enforce)
        if maturity_year is not None:
            return self._prepay_to_year(amount, on, mode, new_remaining_months, maturity_year,
                                        enforced, at, today, calendar, assume)
        if amount is None:
            raise InputError("amount", None, "an amount to prepay (or maturity_year=, 缩至年份)")
        if mode is None:
            raise InputError("mode", None, "'lower_payment' or 'shorten_term'")
        day, w = self._open(on, "prepay")
        how = parse_enum(PrepayMode, mode, "mode")
        paid = to_amount(amount, "amount", maximum=fen(w.balance))
        self._no_arrears(day, bool(self.enforce if enforce is None else enforce))
        if self.enforce if enforce is None else enforce:
            enforce_rules(
                self.pack, kind="partial", on=day, amount=paid, balance=fen(w.balance),
                due_day=self.first_due.day, at=at, today=today, calendar=calendar, assume=assume,
            )
        new = prepay_months(w.remaining, how, new_remaining_months)
        change = prepay_exact(
            w.balance, w.rate, w.remaining, w.level, paid, how, self.method, self.convention,
            recompute_payment=recompute_payment, new_months=new,
        )
        start = self._accrues_from(w.start)
        days = max((day - start).days, 0)
        event = Prepayment(day, paid, how, recompute_payment, new)
        # prepay_exact has checked the event against the state it meets (the walk's own
        # check), so the loan after it is walked when it is first used
        if self._settled(w):
            after = self._copy_with((event,))
            saved = change.interest_saved
        else:  # events pending or to come (a rate change): compare the two whole walks
            after = self.with_events(event)
            saved = self._full.run.total_interest - after._full.run.total_interest
        maturity = self.due(w.paid + change.months) if change.months else day
        return prepayment_result(paid, w.rate, days, change, how, maturity, saved, self.convention), after

    def _settled(self, w: _Walk) -> bool:
        """Whether every event (scheduled rate changes included) is dated on or before the
        start of ``w``'s period, so none is pending or to come: an event added now meets the
        state ``w`` and only it."""
        return not self._events or self._events[-1].on <= w.start

    def _prepay_to_year(
        self, amount: object, on: date | str, mode: object, new_remaining_months: object,
        maturity_year: int, enforced: bool, at: object, today: object, calendar: object,
        assume: str | None,
    ) -> tuple[PrepaymentResult, Loan]:
        """Qingdao's trial: an optional prepaid amount, then the term shortened to a year."""
        day, w = self._open(on, "prepay")
        if mode is not None and parse_enum(PrepayMode, mode, "mode") is not PrepayMode.SHORTEN_TERM:
            raise InputError("mode", mode, "None or 'shorten_term' with maturity_year (the year sets the term)")
        if new_remaining_months is not None:
            raise InputError("new_remaining_months", new_remaining_months, "None with maturity_year")
        try:  # 缩至年份 shortens: a year before the current maturity's
            target_months(w.remaining, maturity=self.due(w.paid + w.remaining), new_remaining_months=None,
                          new_maturity_year=maturity_year, shorten_only=True)
        except InputError as err:
            raise InputError("maturity_year", err.value, err.allowed) from None
        self._no_arrears(day, enforced)
        events: list[Event] = []
        paid = Fraction(0)
        if amount is not None:
            paid = to_amount(amount, "amount", maximum=fen(w.balance))
            if enforced:
                enforce_rules(
                    self.pack, kind="partial", on=day, amount=paid, balance=fen(w.balance),
                    due_day=self.first_due.day, at=at, today=today, calendar=calendar, assume=assume,
                )
            events.append(Prepayment(day, paid, PrepayMode.LOWER_PAYMENT))
        events.append(TermChange(day, maturity_year=maturity_year))
        try:
            after = self.with_events(*events)
        except InputError as err:  # name the keywords, not the events
            name = err.name.removeprefix(f"events[{len(events) - 1}].").removeprefix("events[0].")
            raise InputError(name, err.value, err.allowed) from None
        state = after.state_on(day)
        days = max((day - self._accrues_from(w.start)).days, 0)
        interest = accrued_interest(paid, w.rate, days, self.convention)
        return PrepaymentResult(
            amount=yuan(paid), interest=yuan(interest), total=yuan(paid + interest),
            new_balance=state.balance, remaining_months=state.remaining_months,
            payment=state.payment, maturity=state.maturity,
            interest_saved=yuan(self._full.run.total_interest - after._full.run.total_interest),
            days=days, mode=PrepayMode.SHORTEN_TERM,
        ), after

    def payoff(
        self,
        *,
        on: DateLike,
        at: object = None,
        today: object = None,
        enforce: bool | None = None,
        calendar: object = None,
        assume: str | None = None,
    ) -> PayoffQuote:
        """Payoff quote (提前结清) on ``on``: the balance and its accrued interest.

        >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin", enforce=True)
        >>> loan.payoff(on="2018-01-10", at="10:30")
        PayoffQuote(principal=Decimal('646609.84'), interest=Decimal('700.49'), total=Decimal('647310.33'), days=12)

        The rules are checked as for :meth:`prepay`; Jilin takes no payoff on
        the day before the agreed repayment day (the 28th):

        >>> loan.payoff(on="2018-02-27")
        Traceback (most recent call last):
        ...
        gjjcalc.errors.RuleViolation: day_before_due: 2018-02-27 is the day before the agreed repayment day (rule: 28; ...)
        """
        day, w = self._open(on)
        self._no_arrears(day, bool(self.enforce if enforce is None else enforce))
        if self.enforce if enforce is None else enforce:
            enforce_rules(
                self.pack, kind="payoff", on=day, balance=fen(w.balance),
                due_day=self.first_due.day, at=at, today=today, calendar=calendar, assume=assume,
            )
        start = self._accrues_from(w.start)
        days = max((day - start).days, 0)
        principal = fen(w.balance)  # the balance as shown settles the loan
        interest = accrued_interest(principal, w.rate, days, self.convention)
        return PayoffQuote(yuan(principal), yuan(interest), yuan(principal + interest), days)

    def change_term(
        self,
        *,
        on: DateLike,
        remaining_months: int | None = None,
        maturity_year: int | None = None,
    ) -> tuple[TermChangeResult, Loan]:
        """Shorten (缩短期限) or extend (延长期限) the term on ``on``: the result and the loan after.

        The balance is re-amortized over the new months left (both methods);
        ``interest_saved`` is the scheduled interest before minus after (negative
        for an extension). Give ``remaining_months`` or ``maturity_year``.

        >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28")
        >>> r, after = loan.change_term(on="2018-01-10", maturity_year=2035)
        >>> r.remaining_months, r.payment, r.maturity, after.maturity
        (212, Decimal('4013.02'), datetime.date(2035, 8, 28), datetime.date(2035, 8, 28))
        >>> r.interest_saved > 0
        True
        """
        day, w = self._open(on, "change_term")
        event = TermChange(day, remaining_months, maturity_year)
        return self._changed(w, event)

    def change_payment(self, *, on: date | str, payment: object) -> tuple[TermChangeResult, Loan]:
        """Set a new level payment on ``on`` (调整月还款额): the result and the loan after.

        Equal installment only. The months left become the fewest that repay
        the balance at that payment (the last period takes the remainder); a
        payment at or below a month's interest, or one that would run past 600
        months from release, is an ``InputError``.

        >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28")
        >>> r, after = loan.change_payment(on="2018-01-10", payment=5000)
        >>> r.remaining_months, r.payment, after.schedule().payment[-1] < 5000
        (160, Decimal('5000.00'), True)
        """
        day, w = self._open(on, "change_payment")
        event = PaymentChange(day, to_amount(payment, "payment"))
        return self._changed(w, event)

    def _changed(self, w: _Walk, event: TermChange | PaymentChange) -> tuple[TermChangeResult, Loan]:
        if self._settled(w):  # the change meets ``w`` only: apply it there, walk the loan after later
            changed = w.snapshot([])
            self._apply(changed, event, check=True)
            after = self._copy_with((event,))
            state = self._state(changed, event.on)
            saved = (future_interest(w.balance, w.rate, w.remaining, w.level, self.method, self.convention)
                     - future_interest(changed.balance, changed.rate, changed.remaining, changed.level,
                                       self.method, self.convention))
        else:
            try:
                after = self.with_events(event)
            except InputError as err:  # name the keyword, not the event
                raise InputError(err.name.removeprefix("events[0]."), err.value, err.allowed) from None
            state = after.state_on(event.on)
            saved = self._full.run.total_interest - after._full.run.total_interest
        return TermChangeResult(
            balance=state.balance,
            remaining_months=state.remaining_months,
            payment=state.payment,
            maturity=state.maturity,
            interest_saved=yuan(saved),
        ), after

    def change_rate(self, *, on: DateLike, annual_rate: RateLike) -> Loan:
        """The loan with a new rate from ``on`` (periods starting on or after it), as
        :class:`RateChange` records it.

        Jilin's example loan moved to 3.1% on 2023-01-01; the installment due
        2023-02-28 is the first whose period starts after that day:

        >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28")
        >>> after = loan.change_rate(on="2023-01-01", annual_rate="3.1%")
        >>> after.state_on("2023-01-28").payment, after.state_on("2023-02-28").annual_rate
        (Decimal('3322.38'), Decimal('0.031'))

        ``reprice`` is its deprecated name (until gjjcalc 0.3).
        """
        day = self._check_date(on)
        return self.with_events(RateChange(day, to_rate(annual_rate)))

    def reprice(self, *, on: DateLike, annual_rate: RateLike) -> Loan:
        """Deprecated: use :meth:`change_rate` (the same call)."""
        _deprecated.warn("Loan.reprice(on=, annual_rate=)", "Loan.change_rate(on=, annual_rate=)")
        return self.change_rate(on=on, annual_rate=annual_rate)


def _table_path(
    annual_rate: RateLike | None,
    months: int,
    released: date | str,
    second_home: object,
    markup: object,
    repricing: object,
    table: RateTable | None,
) -> tuple[Fraction, Repricing, tuple[RateChange, ...]]:
    """The contract rate, the repricing rule and the scheduled rate changes from the tables."""
    from gjjcalc.rules import rates  # lazily: ``import gjjcalc`` stays light

    rule = parse_enum(
        rates.Repricing, rates.Repricing.NEXT_JANUARY if repricing is None else repricing, "repricing"
    )
    if table is not None and not isinstance(table, rates.RateTable):
        raise InputError("table", table, "a gjjcalc.rules.rates.RateTable or None")
    if not isinstance(second_home, bool):
        raise InputError("second_home", second_home, "True or False")
    if annual_rate is None:
        rate = to_rate(
            rates.loan_rate(
                released=released, months=months, on=released, second_home=second_home,
                markup=markup, repricing=rule, table=table,
            )
        )
    else:
        rate = to_rate(annual_rate)
    changes = rates.repricing_dates(
        released=released, months=months, second_home=second_home, markup=markup,
        repricing=rule, table=table,
    )
    return rate, rule, tuple(RateChange(day, to_rate(new), scheduled=True) for day, new in changes)


def _check_lump(months: int, annual_rate: object, repricing: object, events: Sequence[object]) -> None:
    """A loan repaid in one sum (到期一次还本付息): a year at most, at a fixed rate, no events."""
    check_method(Method.LUMP_SUM, Convention.CENTER, months)
    fixed = "a one-sum loan (到期一次还本付息) keeps its contract rate to maturity"
    if annual_rate is None:
        raise InputError("annual_rate", None, f"the contract rate for method='lump_sum': {fixed}")
    if repricing is not None:
        raise InputError("repricing", repricing, f"None for method='lump_sum': {fixed}")
    if events:
        raise InputError(
            "method", "lump_sum", "a method with installments for events (a one-sum loan is repaid "
            "at maturity or paid off: use payoff)",
        )


def _refuse_ignored(second_home: object, markup: object, table: object) -> None:
    """Table options with an explicit rate and no repricing would be silently ignored: refuse."""
    why = "when annual_rate is given and repricing=None (it applies to table rates only)"
    if second_home is not False:
        raise InputError("second_home", second_home, f"False {why}")
    if to_rate(markup, "markup") != 0:
        raise InputError("markup", markup, f"0 {why}")
    if table is not None:
        raise InputError("table", table, f"None {why}")


def _method_for(method: object, pack: object, months: int) -> Method:
    """The method given, else the pack's for the term: one sum at maturity (到期一次还本付息)
    for a loan of at most its ``lump_sum_months``, equal installment otherwise."""
    if method is not None:
        return parse_enum(Method, method, "method")
    if pack is not None and months <= LUMP_SUM_MAX_MONTHS:  # only a short term may be one sum
        from gjjcalc.rules.packs import load_pack

        short = load_pack(pack).lump_sum_months
        if short is not None and months <= short:
            return Method.LUMP_SUM
    return Method.EQUAL_INSTALLMENT


def _accrual_start(pack: object) -> AccrualStart:
    if pack is None:
        return AccrualStart.DUE_DATE
    from gjjcalc.rules.packs import load_pack

    return load_pack(pack).accrual_start
