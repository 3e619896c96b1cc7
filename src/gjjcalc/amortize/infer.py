"""Which convention made a figure: search the choice space for those that reproduce it.

A borrower brings a payment, a balance or a total from a bank's statement or a web
calculator; :func:`infer_convention` recomputes the loan under every distinct
convention and keeps those that give every figure supplied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import product

from gjjcalc._types import AmountLike, MethodLike, MonthsLike, RateLike
from gjjcalc.amortize._exact import Run
from gjjcalc.amortize.schedule import _amortizes, check_method
from gjjcalc.conventions import Convention, Method, parse_enum
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_months, to_rate

__all__ = ["candidates", "infer_convention"]

RowFigures = Sequence[AmountLike | int | None]
"""(period, payment, principal, interest, balance); ``None`` for a cell not known."""

# How often each choice is met on calculator pages, banks' statements and centers'
# screens, most common first: the order of the result.
_COMMON = {
    "payment": ("fen", "unrounded"),
    "carry": ("unrounded", "fen"),
    "split": ("remainder", "independent", "truncate_principal"),
    "principal_part": ("carried", "fen"),
    "totals": ("exact", "level", "rows"),
    "rounding": ("half_up", "down", "half_even"),
}
_PRESETS = (Convention.CENTER, Convention.EXACT, Convention.LEDGER)


def candidates(method: Method) -> list[Convention]:
    """Every distinct convention for ``method``, most common first.

    Choices that cannot change a figure of the method are left at their default
    (``principal_part`` for equal installment, ``payment`` for equal principal;
    ``split`` and ``totals="rows"`` when every amount is whole fen), so no two
    candidates always agree. ``daily_rate_places`` is left at ``None``: it moves
    payoff and prepayment interest only.

    >>> len(candidates(Method.EQUAL_INSTALLMENT)), candidates(Method.EQUAL_INSTALLMENT)[:2]
    (60, [<Convention.CENTER: 'center'>, <Convention.EXACT: 'exact'>])
    """
    found: dict[Convention, int] = {}
    for values in product(*_COMMON.values()):
        choice = dict(zip(_COMMON, values, strict=True))
        if method is not Method.EQUAL_INSTALLMENT:
            choice["payment"] = "fen"
            if choice["totals"] == "level" and method is Method.EQUAL_PRINCIPAL:
                continue
        elif choice["carry"] == "unrounded":
            choice["principal_part"] = "carried"
        if choice["carry"] == "fen":
            if choice["payment"] != "fen" or choice["principal_part"] != "fen":
                continue
            choice["split"] = "remainder"
            if choice["totals"] == "rows":
                choice["totals"] = "exact"
        if method is Method.LUMP_SUM:
            choice.update(split="remainder", principal_part="carried", carry="unrounded")
            if choice["totals"] == "rows":
                choice["totals"] = "exact"
        conv = Convention(**choice)  # type: ignore[arg-type]
        rank = 0 if conv in _PRESETS else 1
        weight = sum(_COMMON[k].index(v) for k, v in choice.items())
        found.setdefault(conv, rank * 1000 + weight)
    presets = {p: i for i, p in enumerate(_PRESETS)}
    return sorted(found, key=lambda c: (found[c], presets.get(c, 0)))


def _figure(value: object, name: str) -> Fraction:
    return to_amount(value, name, allow_zero=True)


def _rows(rows: Iterable[RowFigures] | None, months: int) -> list[tuple[int, list[Fraction | None]]]:
    out: list[tuple[int, list[Fraction | None]]] = []
    for i, row in enumerate(rows or ()):
        cells = list(row)
        if len(cells) != 5:
            raise InputError(
                f"rows[{i}]", row, "a (period, payment, principal, interest, balance) tuple, None for unknown"
            )
        period = to_months(cells[0], f"rows[{i}][0]", maximum=months)
        names = ("payment", "principal", "interest", "balance")
        out.append((period, [
            None if c is None else _figure(c, f"rows[{i}][{k + 1}] ({names[k]})")
            for k, c in enumerate(cells[1:])
        ]))
    return out


def infer_convention(
    principal: AmountLike,
    annual_rate: RateLike,
    months: MonthsLike,
    *,
    method: MethodLike = Method.EQUAL_INSTALLMENT,
    payment: AmountLike | None = None,
    total_interest: AmountLike | None = None,
    total_payment: AmountLike | None = None,
    rows: Iterable[RowFigures] | None = None,
) -> list[Convention]:
    """Every convention that reproduces all the figures given, most common first.

    ``payment`` is the first period's payment; ``rows`` are (period, payment,
    principal, interest, balance) with ``None`` for a cell not known. Each candidate of
    :func:`candidates` is computed exactly and kept when every figure matches to the
    fen; the result is empty when none does. At least one figure is needed.

    Examples
    --------
    The Jilin center's loan (690,000 at 3.25 % over 300 months) shows 646,609.84 owed
    after 28 payments of 3,362.48: the center's own convention, not a bank ledger's.

    >>> infer_convention(690000, "3.25%", 300, payment="3362.48",
    ...                  rows=[(28, None, None, None, "646609.84")])[0]
    <Convention.CENTER: 'center'>
    >>> infer_convention(690000, "3.25%", 300, rows=[(28, None, None, None, "646609.83")])[0]
    <Convention.LEDGER: 'ledger'>

    A calculator page that shows 970.23 a month and 16,427.60 of interest for 100,000
    at 3.1 % over 120 months multiplies the rounded payment by the months (the center
    would show 16,427.64):

    >>> found = infer_convention(100000, "3.1%", 120, payment="970.23", total_interest="16427.60")
    >>> Convention(totals="level") in found, Convention.CENTER in found
    (True, False)
    """
    loan = to_amount(principal, "principal")
    rate = to_rate(annual_rate)
    n = to_months(months)
    meth = parse_enum(Method, method, "method")
    want_payment = None if payment is None else _figure(payment, "payment")
    want_interest = None if total_interest is None else _figure(total_interest, "total_interest")
    want_total = None if total_payment is None else _figure(total_payment, "total_payment")
    want_rows = _rows(rows, n)
    if want_payment is None and want_interest is None and want_total is None and not want_rows:
        raise InputError("payment", None, "at least one figure: payment, total_interest, total_payment or rows")
    check_method(meth, Convention.CENTER, n)
    found = []
    for conv in candidates(meth):
        run = Run()
        if meth is Method.LUMP_SUM:
            run.lump(loan, rate, n, conv)
        else:
            try:
                _amortizes(principal, loan, rate, n, meth, conv)
            except InputError:
                continue
            run.extend(loan, rate, n, meth, conv)
        if _matches(run, conv, want_payment, want_interest, want_total, want_rows):
            found.append(conv)
    return found


def _matches(
    run: Run,
    conv: Convention,
    payment: Fraction | None,
    total_interest: Fraction | None,
    total_payment: Fraction | None,
    rows: list[tuple[int, list[Fraction | None]]],
) -> bool:
    if payment is not None and run.payment[0] != payment * 100:
        return False
    if total_interest is not None or total_payment is not None:
        paid, interest = run.totals(conv)
        if total_interest is not None and conv.round_fen(interest) != total_interest * 100:
            return False
        if total_payment is not None and conv.round_fen(paid) != total_payment * 100:
            return False
    columns = (run.payment, run.principal, run.interest, run.balance)
    for period, cells in rows:
        if period > len(run.payment):
            return False
        for column, cell in zip(columns, cells, strict=True):
            if cell is not None and column[period - 1] != cell * 100:
                return False
    return True
