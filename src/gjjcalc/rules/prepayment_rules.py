"""When a partial prepayment (部分提前还本) or a payoff (提前结清) is allowed.

The rules come from the center's pack: an amount that is a multiple of the
pack's unit (Jilin: 1,000; Qingdao: 10,000), a partial prepayment only
while the loan balance exceeds a floor (Qingdao: 10,000), not on the agreed
repayment day or the day before, yearly blackout windows, working days and
opening hours. Working days follow China's official holiday calendar
(:mod:`gjjcalc.rules.workdays`); a date past it needs a holiday file
(``calendar=`` or ``GJJCALC_HOLIDAYS``) or ``assume="weekends"``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_date, to_months, yuan
from gjjcalc.rules.packs import Pack, PrepaymentRules, load_pack
from gjjcalc.rules.results import CheckResult, Reason, raise_if
from gjjcalc.rules.workdays import Assume, CalendarArg, _calendar_day, warn_assumed

__all__ = ["check_prepayment"]

_KINDS = ("partial", "payoff")


def _to_time(value: object) -> time:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError("at", value, "a time of day (datetime.time or 'HH:MM')")


def _due_date(year: int, month: int, due_day: int) -> date:
    """The agreed repayment date in a month; a day past the month's end falls on its last day."""
    return date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def _near_due(on: date, due_day: int) -> tuple[bool, bool]:
    """Whether ``on`` is the repayment day, and whether it is the day before it."""
    this_month = _due_date(on.year, on.month, due_day)
    tomorrow = on + timedelta(days=1)
    next_due = _due_date(tomorrow.year, tomorrow.month, due_day)
    return on == this_month, tomorrow in (this_month, next_due)


def _in_window(on: date, start: tuple[int, int], end: tuple[int, int]) -> bool:
    key = (on.month, on.day)
    if start <= end:
        return start <= key <= end
    return key >= start or key <= end  # wraps over the new year


def _md(pair: tuple[int, int]) -> str:
    return f"{pair[0]:02d}-{pair[1]:02d}"


def check_prepayment(
    pack: Pack | str,
    *,
    kind: str,
    amount: object = None,
    balance: object = None,
    on: object,
    due_day: object = None,
    at: object = None,
    today: object = None,
    enforce: bool = False,
    calendar: CalendarArg = None,
    assume: Assume | None = None,
) -> CheckResult:
    """Check a partial prepayment or a payoff against a center's rules.

    Parameters
    ----------
    pack : Pack or str
        The center pack (a name such as ``"jilin"`` or a loaded pack).
    kind : {"partial", "payoff"}
        部分提前还本 or 提前结清.
    amount : amount, optional
        The prepaid principal (required for ``"partial"``), in yuan.
    balance : amount, optional
        The loan balance before prepaying; required when the pack has a
        balance floor (Qingdao), and used to check that a partial prepayment
        leaves a balance.
    on : date, datetime or str
        The booked date (约定还款日期). A ``datetime`` also gives ``at``.
    due_day : int, optional
        The day of the month of the agreed repayment day (e.g. 28); required
        when the pack forbids the repayment day or the day before.
    at : time or str, optional
        The time of day; opening hours are checked only when it is known.
    today : date or str, optional
        The day the request is made; required when the pack has an "at most
        so many months ahead" rule (Qingdao's payoff: within one year). The
        library never reads the machine's clock, so a result never depends
        on the day it runs.
    enforce : bool
        Raise :class:`~gjjcalc.errors.RuleViolation` instead of returning a
        refusal.
    calendar : Calendar, path, or a list of them, optional
        Holiday files (:func:`~gjjcalc.rules.load_calendar`) for the working
        day rule, before those named by ``GJJCALC_HOLIDAYS`` and the shipped
        calendar; needed for a date past the shipped data (2026).
    assume : {"weekends"}, optional
        For a date past every calendar, check the working-day rule taking
        Saturdays and Sundays as the only rest days. The result then lists
        ``"assumed_weekends"`` in ``checked`` and an
        :class:`~gjjcalc.rules.AssumedWeekendsWarning` is given.

    Returns
    -------
    CheckResult
        ``ok``, the violated ``reasons`` (name, rule value, source, message)
        and the names of the rules ``checked``.

    Raises
    ------
    InputError
        For a bad argument, a missing fact the pack's rules need, or a date
        outside every working-day calendar when the pack needs working days
        and ``assume`` is not given (the message names the last covered
        year and how to add one).
    RuleViolation
        With ``enforce=True``, when a rule refuses.

    Notes
    -----
    Rules: the Jilin center's manual (multiple of 1,000; payoff on working days 10:00-16:00,
    not 30 Dec-3 Jan, not on or the day before the repayment day), Qingdao's
    (multiple of 10,000; balance > 10,000; a payoff date at most one year
    ahead, §8.4 提前结清计算). Windows are inclusive; opening
    hours include the opening minute and exclude the closing one. A day
    past a month's end (due day 31 in February) falls on its last day.

    Examples
    --------
    The Jilin manual's own payoff, booked for Wednesday 2018-01-10 on a loan due on
    the 28th, is allowed; a partial prepayment of 10,500 is not a multiple of
    1,000:

    >>> check_prepayment("jilin", kind="payoff", on="2018-01-10", due_day=28, at="10:30").ok
    True
    >>> result = check_prepayment("jilin", kind="partial", amount=10500, on="2018-01-09")
    >>> result.ok, [r.name for r in result.reasons]
    (False, ['multiple'])
    >>> check_prepayment("qingdao", kind="partial", amount=10000, balance="9800.50", on="2024-03-01").reasons[0].name
    'balance_above'

    Qingdao computes a payoff only for a date within one year of the request:

    >>> check_prepayment("qingdao", kind="payoff", on="2025-03-02", today="2024-03-01").reasons[0].message
    '2025-03-02 is more than 12 months after 2024-03-01'

    Past the official calendar (2027 here), a payoff needs the year's
    holiday file or an explicit assumption, which the result states:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     r = check_prepayment("jilin", kind="payoff", on="2027-02-10", due_day=28, assume="weekends")
    >>> r.ok, r.checked
    (True, ('working_day', 'assumed_weekends', 'blackout', 'due_day', 'day_before_due'))
    """
    rules_pack = load_pack(pack)
    if kind not in _KINDS:
        raise InputError("kind", kind, "'partial' or 'payoff'")
    rules: PrepaymentRules = rules_pack.partial if kind == "partial" else rules_pack.payoff
    day = to_date(on, "on")
    clock = _to_time(at) if at is not None else (on.time() if isinstance(on, datetime) else None)

    reasons: list[Reason] = []
    checked: list[str] = []
    money = None
    if kind == "partial":
        if amount is None:
            raise InputError(
                "amount",
                None,
                "the prepaid principal in yuan, greater than 0 (required for a partial prepayment)",
            )
        money = to_amount(amount, "amount")
    left = None
    if balance is not None:
        left = to_amount(balance, "balance")
    elif kind == "partial" and rules.balance_above is not None:
        raise InputError(
            "balance", None, f"the loan balance in yuan (the {rules_pack.name} pack needs it)"
        )

    if money is not None and rules.multiple is not None:
        checked.append("multiple")
        unit = rules.multiple.value
        if (money / unit).denominator != 1:
            reasons.append(
                Reason(
                    "multiple",
                    yuan(unit),
                    rules.multiple.source,
                    f"{yuan(money)} is not a multiple of {yuan(unit)}",
                )
            )
    if kind == "partial" and left is not None and rules.balance_above is not None:
        checked.append("balance_above")
        floor = rules.balance_above.value
        if not left > floor:
            reasons.append(
                Reason(
                    "balance_above",
                    yuan(floor),
                    rules.balance_above.source,
                    f"the balance {yuan(left)} is not above {yuan(floor)}: only a payoff is possible",
                )
            )
    if money is not None and left is not None:
        checked.append("leaves_balance")
        if money >= left:
            reasons.append(
                Reason(
                    "leaves_balance",
                    yuan(left),
                    "a partial prepayment (部分提前还本) leaves a balance; paying all of it is a payoff (提前结清)",
                    f"{yuan(money)} does not leave a balance of the {yuan(left)} owed: use kind='payoff'",
                )
            )

    if rules.working_days_only is not None and rules.working_days_only.value:
        checked.append("working_day")
        status = _calendar_day(day, "on", calendar, assume)
        if status.assumed:
            checked.append("assumed_weekends")
            warn_assumed({day.year})
        if not status.working:
            note = " (assumed: Saturdays and Sundays rest)" if status.assumed else ""
            reasons.append(
                Reason(
                    "working_day",
                    True,
                    rules.working_days_only.source,
                    f"{day.isoformat()} is not a working day{note}",
                )
            )
    if rules.hours is not None and clock is not None:
        checked.append("hours")
        start, end = rules.hours.value
        if not start <= clock < end:
            reasons.append(
                Reason(
                    "hours",
                    f"{start:%H:%M}-{end:%H:%M}",
                    rules.hours.source,
                    f"{clock:%H:%M} is outside the opening hours",
                )
            )
    if rules.blackout is not None:
        checked.append("blackout")
        for start_md, end_md in rules.blackout.value:
            if _in_window(day, start_md, end_md):
                reasons.append(
                    Reason(
                        "blackout",
                        f"{_md(start_md)}..{_md(end_md)}",
                        rules.blackout.source,
                        f"{day.isoformat()} falls in the yearly blackout",
                    )
                )
    needs_due = any(r is not None and r.value for r in (rules.no_due_day, rules.no_day_before_due))
    if needs_due:
        if due_day is None:
            raise InputError(
                "due_day",
                None,
                f"the day of the month of the agreed repayment day, 1-31 (the {rules_pack.name} pack needs it)",
            )
        due = to_months(due_day, "due_day", minimum=1, maximum=31)
        is_due, is_eve = _near_due(day, due)
        if rules.no_due_day is not None and rules.no_due_day.value:
            checked.append("due_day")
            if is_due:
                reasons.append(
                    Reason(
                        "due_day",
                        due,
                        rules.no_due_day.source,
                        f"{day.isoformat()} is the agreed repayment day",
                    )
                )
        if rules.no_day_before_due is not None and rules.no_day_before_due.value:
            checked.append("day_before_due")
            if is_eve:
                reasons.append(
                    Reason(
                        "day_before_due",
                        due,
                        rules.no_day_before_due.source,
                        f"{day.isoformat()} is the day before the agreed repayment day",
                    )
                )
    if rules.max_months_ahead is not None:
        if today is None:
            raise InputError(
                "today",
                None,
                f"the day of the request (the {rules_pack.name} pack allows a {kind} at most "
                f"{rules.max_months_ahead.value} months ahead)",
            )
        checked.append("months_ahead")
        asked = to_date(today, "today")
        months = rules.max_months_ahead.value
        if day < asked:
            reasons.append(
                Reason(
                    "months_ahead",
                    months,
                    rules.max_months_ahead.source,
                    f"{day.isoformat()} is before {asked.isoformat()}",
                )
            )
        elif day > asked + relativedelta(months=months):
            reasons.append(
                Reason(
                    "months_ahead",
                    months,
                    rules.max_months_ahead.source,
                    f"{day.isoformat()} is more than {months} months after {asked.isoformat()}",
                )
            )
    found = tuple(reasons)
    raise_if(enforce, found)
    return CheckResult(ok=not found, reasons=found, checked=tuple(checked))
