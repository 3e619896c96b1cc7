"""The ``gjjcalc`` command line: schedules, prepayment, payoff, quota and rates.

``gjjcalc`` (or ``python -m gjjcalc``) wraps the exact single-loan API and
the rules: ``schedule``, ``prepay``, ``payoff``, ``quota`` and ``rate``.
Every subcommand prints an aligned plain-text table by default, or ``--csv``
or ``--json``. Amounts go through the library as the text typed (never a
float) and come back as the library's ``Decimal`` values; JSON carries them
as strings (``"647310.33"``) so that no reader turns them into binary floats
and loses the fen. Dates print as ISO ``YYYY-MM-DD``.

Input is taken as people type it, and converted here before the (strict)
library sees it: amounts with thousands separators or in 万 (``69万`` is
690,000), rates with a full-width percent sign (``3.25％``), dates as
``YYYY/MM/DD``, ``YYYYMMDD`` or ``2015年9月28日``, full-width digits, and the
Chinese names ``--help`` uses for a method or a mode (``--method 等额本金``).
Errors name the flag (``--rate``), not the library's argument (``annual_rate=``).

Exit status: 0 on success; 2 on bad input (:class:`~gjjcalc.errors.InputError`),
a refused rule (:class:`~gjjcalc.errors.RuleViolation`), a usage error or
output that cannot be written (a full disk, a closed stdout), with one line
on stderr and no traceback; 1, quietly, when the reader closes the pipe
(``gjjcalc ... | head``).

This module imports only the exact API (never numba or numpy); the rules
load on first use by ``quota`` and ``rate``.

>>> main(["payoff", "--balance", "646609.84", "--rate", "3.25%",
...       "--on", "2018-01-10", "--interest-from", "2017-12-29"])
principal  646609.84  提前结清本金
interest   700.49     提前结清利息
total      647310.33  提前还款总额
days       12         计息天数
0
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import errno
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, overload

from gjjcalc import __version__
from gjjcalc._display import jsonable
from gjjcalc.amortize.schedule import Schedule, equal_installment, equal_principal
from gjjcalc.conventions import Convention, Method, PrepayMode
from gjjcalc.errors import GjjcalcError, InputError
from gjjcalc.loan import payoff, prepay
from gjjcalc.money import MAX_DIGITS, to_date

__all__ = ["Output", "build_parser", "main", "render"]

PROG = "gjjcalc"

EXIT_OK = 0
"""Exit status of a successful run."""
EXIT_ERROR = 2
"""Exit status of bad input, a refused rule, a usage error (argparse's own code) or output that cannot be written."""
EXIT_PIPE = 1
"""Exit status when the reader closes the pipe before the output is written (``| head``)."""

_SEED = """\
Jilin provincial center (个人网厅操作手册): a loan of 690,000 yuan at 3.25% over 300 months pays 3362.48
a month (equal installment, center convention); after 28 payments the balance
is 646609.84, and paying it off on 2018-01-10 with interest from 2017-12-29
(12 days) costs 646609.84 + 700.49 = 647310.33."""

_EXAMPLES = {
    "schedule": """\
  gjjcalc schedule 690000 3.25% 300                      # payment 3362.48, 300 rows
  gjjcalc schedule 690000 0.0325 300 --first-due 2015-09-28 --csv
  gjjcalc schedule 1000000 4.9% 360 --method equal_principal --json
  gjjcalc schedule 69万 3.25％ 300 --method 等额本金 --first-due 2015/09/28""",
    "payoff": """\
  gjjcalc payoff --balance 646609.84 --rate 3.25% --on 2018-01-10 --interest-from 2017-12-29
      # interest 700.49, total 647310.33
  gjjcalc payoff --balance 646609.84 --rate 3.25% --on 2018-01-10 --days 12 --json""",
    "prepay": """\
  gjjcalc prepay --balance 646609.84 --rate 3.25% --remaining-months 272 --payment 3362.48 \\
      --amount 10000 --on 2018-01-10 --interest-from 2017-12-29 --mode shorten_term
      # interest 10.83, total 10010.83, 266 months left, payment 3362.48
  gjjcalc prepay --balance 646609.84 --rate 3.25% --remaining-months 272 --payment 3362.48 \\
      --amount 10000 --on 2018-01-09 --interest-from 2017-12-29 --mode lower_payment
      # interest 9.93, new payment 3310.48 over the same 272 months""",
    "quota": """\
  gjjcalc quota liangshan --area 西昌市 --house-price 5000000
      # 600000.00: the 西昌市 region cap binds (80% of the price is 4,000,000)
  gjjcalc quota liangshan --area 西昌市 --house-price 700000     # 560000.00, loan_to_value
  gjjcalc quota qingdao --house-type 再交易住房 --house-age 31   # 0.00, refused: house_age""",
    "warmup": """\
  gjjcalc warmup            # compile the batch kernels once, e.g. in a Dockerfile's RUN step
  gjjcalc warmup --json     # {"seconds": "15.210", "cached": true}""",
    "rate": """\
  gjjcalc rate 2025-05-08 --months 360          # 0.026 (2.6%), the >5-year tier
  gjjcalc rate 2018-01-01 --months 300          # 0.0325, the Jilin manual loan's rate
  gjjcalc rate 2025-05-08 --lpr --json          # both tiers and the LPR""",
}

_TOP_EXAMPLES = """\
  gjjcalc schedule 690000 3.25% 300          # payment 3362.48; balance 646609.84 after row 28
  gjjcalc payoff --balance 646609.84 --rate 3.25% --on 2018-01-10 --interest-from 2017-12-29
      # interest 700.49, total 647310.33
  gjjcalc prepay --balance 646609.84 --rate 3.25% --remaining-months 272 --payment 3362.48 \\
      --amount 10000 --on 2018-01-10 --days 12 --mode shorten_term
      # interest 10.83, 266 months left
  gjjcalc quota liangshan --area 西昌市 --house-price 5000000   # 600000.00, the region cap
  gjjcalc rate 2025-05-08 --months 360                         # 0.026
  gjjcalc COMMAND --help                                       # a command's options"""

_OUTPUT_NOTE = """\
output: an aligned table by default; --csv or --json instead. JSON amounts and
rates are strings of the exact decimal ("647310.33", "0.0325"), so that no
JSON reader turns them into binary floats; dates are YYYY-MM-DD.
exit status: 0 on success; 2 on bad input or a refused rule (message on stderr)."""

_LABELS = {
    # schedule
    "method": "还款方式",
    "convention": "舍入约定",
    "loan": "贷款金额",
    "annual_rate": "年利率",
    "months": "贷款期限（月）",
    "first_due": "首次还款日",
    "payment": "月还款额",
    "last_payment": "末月还款额",
    "monthly_decrease": "每月递减",
    "total_payment": "还款总额",
    "total_interest": "利息总额",
    # prepay
    "amount": "提前还本金额",
    "total": "提前还款总额",
    "new_balance": "变更后贷款余额",
    "remaining_months": "变更后剩余期数",
    "maturity": "变更后到期日期",
    "interest_saved": "节省的计划利息",
    "days": "计息天数",
    "mode": "还款方式变更",
    # payoff
    "principal": "提前结清本金",
    "interest": "提前还本利息",
    # quota
    "pack": "公积金中心",
    "binding": "起约束作用的条件",
    "ok": "未被拒绝",
    # rate
    "on": "查询日期",
    "effective": "利率生效日期",
    "second_home": "二套住房",
    "rate": "公积金贷款利率",
    "le5y": "五年以下（含五年）",
    "gt5y": "五年以上",
    "lpr_effective": "LPR 生效日期",
    "lpr_1y": "1年期 LPR",
    "lpr_5y": "5年期以上 LPR",
}
_PAYOFF_LABELS = {"interest": "提前结清利息"}
_MODE_LABELS = {
    PrepayMode.LOWER_PAYMENT: "还款额下降，止贷期不变",
    PrepayMode.SHORTEN_TERM: "还款额不变，止贷期提前",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Output:
    """What a subcommand prints, before it is formatted.

    ``summary`` holds ``(field, value, label)`` lines (the text table leaves
    out a ``None`` value; CSV keeps an empty cell, JSON a null); ``columns`` and
    ``rows`` an optional table (``footer`` is a totals row shown only in the
    text table); ``data`` is the JSON document. CSV prints the table when
    there is one, else the summary as a header line and one record.
    """

    summary: tuple[tuple[str, object, str], ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[object, ...], ...] = ()
    footer: tuple[object, ...] | None = None
    data: Mapping[str, Any] = dataclasses.field(default_factory=dict)


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def _percent(rate: Decimal) -> str:
    """A fraction as a percent without trailing zeros: 0.026 → '2.6%'."""
    return f"{(rate * 100).normalize():f}%"


def _cell(value: object) -> str:
    """The text of one table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _jsonable(value: object) -> Any:
    """A value as JSON (:func:`gjjcalc.json_default`'s rules): Decimal → its exact string,
    dates ISO, enums their value; anything else its text."""
    try:
        return jsonable(value)
    except TypeError:
        return str(value)


def _width(text: str) -> int:
    """Display width in a terminal: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _align(
    rows: Sequence[Sequence[object]], right: Sequence[bool] | None = None
) -> list[str]:
    """Rows of cells as aligned lines, two spaces apart, trailing blanks stripped.

    A column is right-aligned when ``right`` says so, or (by default) when
    any of its cells after the first row is a number.
    """
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    text = [[_cell(v) for v in r] + [""] * (ncols - len(r)) for r in rows]
    if right is None:
        right = [any(_is_number(r[c]) for r in rows[1:] if c < len(r)) for c in range(ncols)]
    widths = [max(_width(r[c]) for r in text) for c in range(ncols)]
    lines = []
    for r in text:
        cells = []
        for c, cell in enumerate(r):
            gap = " " * (widths[c] - _width(cell))
            cells.append(gap + cell if right[c] else cell + gap)
        lines.append("  ".join(cells).rstrip())
    return lines


def render(output: Output, fmt: str) -> str:
    """Format an :class:`Output` as ``"table"``, ``"csv"`` or ``"json"`` text.

    >>> out = Output(summary=(("total", Decimal("647310.33"), "提前还款总额"),),
    ...              data={"total": Decimal("647310.33")})
    >>> print(render(out, "table"))
    total  647310.33  提前还款总额
    >>> print(render(out, "csv"))
    total
    647310.33
    >>> print(render(out, "json"))
    {
      "total": "647310.33"
    }
    """
    if fmt == "json":
        return json.dumps(_jsonable(output.data), ensure_ascii=False, indent=2)
    if fmt == "csv":
        lines: list[list[str]]
        if output.columns:
            lines = [list(output.columns)] + [[_cell(v) for v in r] for r in output.rows]
        else:
            lines = [[k for k, _, _ in output.summary], [_cell(v) for _, v, _ in output.summary]]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(lines)
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise InputError("fmt", fmt, "one of 'table', 'csv', 'json'")
    parts: list[str] = []
    shown = [(k, v, label) for k, v, label in output.summary if v is not None]
    if shown:
        parts.extend(_align(shown, [False, any(_is_number(v) for _, v, _ in shown), False]))
    if output.columns:
        if parts:
            parts.append("")
        body: list[Sequence[object]] = [output.columns, *output.rows]
        right = [any(_is_number(r[c]) for r in output.rows) for c in range(len(output.columns))]
        if output.footer is not None:
            body.append(output.footer)
        parts.extend(_align(body, right))
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# What a person types: normalized here, before the (strict) library sees it
# ---------------------------------------------------------------------------

_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_PLAIN = re.compile(_NUMBER)
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_UNIT = re.compile(r"(?P<number>.+?)\s*(?P<unit>万元|万|元)")
_RATE = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<percent>%?)")
_DATES = (
    re.compile(r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"),
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    re.compile(r"(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日?"),
)
_TIME = re.compile(r"[0-9]{1,2}:[0-9]{2}")


def _nfkc(text: str) -> str:
    """Full-width forms folded to ASCII (``３.２５％`` → ``3.25%``, ``，`` → ``,``), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


@overload
def _amount(text: str) -> str: ...


@overload
def _amount(text: None) -> None: ...


def _amount(text: str | None) -> str | None:
    """An amount as a person types it, as the plain decimal text the library takes.

    Accepts thousands separators (``1,234.56``), 万 (10,000 yuan: ``69万``,
    ``69.5万元``), a trailing 元 and full-width digits. Anything else is passed
    on as typed, for the library to refuse with its message.

    >>> [_amount(t) for t in ["69万", "1,234.56", "69.5万元", "１２００元", "646609.84", "12,34"]]
    ['690000', '1234.56', '695000', '1200', '646609.84', '12,34']
    """
    if text is None:
        return None
    folded = _nfkc(text)
    unit = _UNIT.fullmatch(folded)
    number = unit.group("number") if unit else folded
    if _GROUPED.fullmatch(number):
        number = number.replace(",", "")
    if len(number) > MAX_DIGITS or not _PLAIN.fullmatch(number):
        return text
    if unit and unit.group("unit").startswith("万"):
        wan = Decimal(number) * 10_000
        number = format(wan.normalize(), "f")
    return number


@overload
def _rate_text(text: str) -> str: ...


@overload
def _rate_text(text: None) -> None: ...


def _rate_text(text: str | None) -> str | None:
    """A rate as typed (``3.25%``, ``3.25％``, ``3.25 %``, ``0.0325``) as the library's text.

    >>> [_rate_text(t) for t in ["3.25％", "3.25 %", "0.0325", "3.25"]]
    ['3.25%', '3.25%', '0.0325', '3.25']
    """
    if text is None:
        return None
    match = _RATE.fullmatch(_nfkc(text))
    if match is None or len(match.group("number")) > MAX_DIGITS:
        return text
    return match.group("number") + match.group("percent")


@overload
def _date_text(text: str) -> str: ...


@overload
def _date_text(text: None) -> None: ...


def _date_text(text: str | None) -> str | None:
    """A date as typed (``2015-09-28``, ``2015/09/28``, ``2015.9.28``, ``20150928``,
    ``2015年9月28日``) as ISO text; a day that does not exist is passed on as typed.

    >>> [_date_text(t) for t in ["2015/09/28", "20150928", "2015年9月28日", "2015/02/30"]]
    ['2015-09-28', '2015-09-28', '2015-09-28', '2015/02/30']
    """
    if text is None:
        return None
    folded = _nfkc(text)
    for form in _DATES:
        match = form.fullmatch(folded)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                return text
    return text


def _time_text(text: str | None) -> str | None:
    """``10:30`` also typed with full-width digits or colon (``１０：３０``)."""
    if text is None:
        return None
    folded = _nfkc(text)
    return folded if _TIME.fullmatch(folded) else text


def _key(text: str) -> str:
    return re.sub(r"\s+", "", _nfkc(text))


class _Aliases(tuple[str, ...]):
    """A flag's choices: the library's names and the Chinese terms ``--help`` uses.

    argparse converts a value with :meth:`convert` (its ``type=``) and then
    checks it against this tuple, which lists every accepted spelling, so a
    usage error names them all.
    """

    table: dict[str, str]

    def __new__(cls, names: Sequence[str], aliases: Mapping[str, str]) -> _Aliases:
        self = super().__new__(cls, (*names, *aliases))
        self.table = {_key(k): v for k, v in aliases.items()} | {n: n for n in names}
        return self

    def convert(self, text: str) -> str:
        return self.table.get(_key(text), text)


_METHODS = _Aliases(
    [m.value for m in Method],
    {"等额本息": Method.EQUAL_INSTALLMENT.value, "等额本金": Method.EQUAL_PRINCIPAL.value},
)
_MODES = _Aliases(
    [m.value for m in PrepayMode],
    {
        "还款额下降，止贷期不变": PrepayMode.LOWER_PAYMENT.value,
        "减少月供": PrepayMode.LOWER_PAYMENT.value,
        "还款额不变，止贷期提前": PrepayMode.SHORTEN_TERM.value,
        "缩短期限": PrepayMode.SHORTEN_TERM.value,
    },
)
_SEXES = _Aliases(["male", "female"], {"男": "male", "女": "female"})

_KWARG_DEST = {"annual_rate": "rate", "first_home": "second_home", "has_unsettled_loan": "unsettled_loan"}
"""Library arguments whose flag has another name (``annual_rate=`` is ``--rate``)."""


_ALLOWED_FOR_FLAGS = {"(datetime.date or 'YYYY-MM-DD')": "(YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)"}
"""The library's wording of what it takes, in the forms a command line takes."""


def _flags(parser: argparse.ArgumentParser) -> dict[str, tuple[str, str]]:
    """Each argument's name in the library → (its flag as --help shows it, its ``args`` field)."""
    flags: dict[str, tuple[str, str]] = {}
    for action in parser._actions:  # argparse has no public list of a parser's arguments
        if action.dest in ("help", argparse.SUPPRESS):
            continue
        longs = [s for s in action.option_strings if s.startswith("--")]
        shown = longs[0] if longs else action.metavar if isinstance(action.metavar, str) else action.dest
        flags[action.dest] = (shown, action.dest)
    for kwarg, dest in _KWARG_DEST.items():
        if kwarg not in flags and dest in flags:
            flags[kwarg] = flags[dest]
    return flags


def _for_flags(exc: InputError, parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """The library's message with its argument names replaced by the flags a user typed.

    The value shown is the text as typed (``-69万``), not what the CLI turned it into.
    """
    flags = _flags(parser)
    if exc.name not in flags:
        return str(exc)
    shown, dest = flags[exc.name]
    typed = getattr(args, dest, None)
    number = isinstance(exc.value, int) and str(exc.value) == typed  # months=0, not months='0'
    value = typed if isinstance(typed, str) and not number else exc.value
    allowed = re.sub(
        r"(?<![\w-])(\w+)=",
        lambda m: f"{flags[m.group(1)][0]}=" if m.group(1) in flags else m.group(0),
        exc.allowed,
    )
    for python, typed_form in _ALLOWED_FOR_FLAGS.items():
        allowed = allowed.replace(python, typed_form)
    return str(InputError(shown, value, allowed))


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------


_INTEGER = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}")


def _whole(text: str | None) -> int | str | None:
    """An integer argument as an ``int`` when it is one, else the text.

    Text that is not an integer goes to the library as typed, so that its
    :class:`~gjjcalc.errors.InputError` names the argument and the range
    (hence the ``type: ignore`` where a parameter is annotated ``int``).

    >>> _whole("272"), _whole("12.5"), _whole(None), _whole("３００")
    (272, '12.5', None, 300)
    >>> _whole("9" * 5000)[:3]   # too long for a number: left for the library to refuse
    '999'
    """
    if text is None:
        return None
    folded = _nfkc(text)  # full-width digits (３００) are digits; other scripts' are not
    if _INTEGER.fullmatch(folded):
        return int(folded)
    return text  # a huge or non-ASCII number stays text, for the library to refuse


def _interest_from(args: argparse.Namespace) -> date | str:
    """``--interest-from``, or ``--on`` minus ``--days``."""
    if args.interest_from is not None:
        return str(_date_text(args.interest_from))
    days = _whole(args.days)
    if not isinstance(days, int) or days < 0:
        raise InputError("days", args.days, "a whole number of days, 0 or more")
    on = to_date(_date_text(args.on), "on")
    longest = (on - date.min).days
    if days > longest:
        raise InputError(
            "days",
            args.days,
            f"a whole number of days from 0 to {longest} (accrual from {date.min.isoformat()} at the earliest)",
        )
    return on - timedelta(days=days)


def _record(result: object, labels: Mapping[str, str] | None = None) -> tuple[tuple[str, object, str], ...]:
    """A dataclass result as summary lines (field, value, Chinese label)."""
    names = [f.name for f in dataclasses.fields(result)]  # type: ignore[arg-type]
    extra = labels or {}
    return tuple((n, getattr(result, n), extra.get(n, _LABELS.get(n, ""))) for n in names)


# ---------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------


def _schedule(args: argparse.Namespace) -> Output:
    build = equal_principal if args.method == Method.EQUAL_PRINCIPAL.value else equal_installment
    s: Schedule = build(
        _amount(args.principal),
        _rate_text(args.annual_rate),
        _whole(args.months),
        convention=args.convention,
        first_due=_date_text(args.first_due),
    )
    dated = s.due_dates is not None
    columns = ("period", *(("due_date",) if dated else ()), "payment", "principal", "interest", "balance")
    rows = tuple(
        (r.period, *((r.due_date,) if dated else ()), r.payment, r.principal, r.interest, r.balance)
        for r in s
    )
    footer = ("total", *(("",) if dated else ()), s.total_payment, s.loan, s.total_interest, "")
    first_due = s.due_dates[0] if s.due_dates else None
    fields: list[tuple[str, object]] = [
        ("method", s.method),
        ("convention", s.convention),
        ("loan", s.loan),
        ("annual_rate", s.annual_rate),
        ("months", s.months),
        ("first_due", first_due),
        ("payment", s.first_payment),
        ("last_payment", s.last_payment),
        ("monthly_decrease", s.monthly_decrease),
        ("total_payment", s.total_payment),
        ("total_interest", s.total_interest),
    ]
    labels = dict(_LABELS, annual_rate=f"年利率 {_percent(s.annual_rate)}")
    if s.method is Method.EQUAL_PRINCIPAL:
        labels["payment"] = "首月还款额"
    summary = tuple((k, v, labels[k]) for k, v in fields if v is not None)
    data: dict[str, Any] = dict(fields)
    data["rows"] = [dict(zip(columns, r, strict=True)) for r in rows]
    return Output(summary, columns, rows, footer, data)


def _payoff(args: argparse.Namespace) -> Output:
    quote = payoff(
        balance=_amount(args.balance),
        annual_rate=_rate_text(args.rate),
        on=_date_text(args.on),
        interest_from=_interest_from(args),
        pack=args.pack,
        due_day=_whole(args.due_day),  # type: ignore[arg-type]
        at=_time_text(args.at),
        today=_today(args),
        enforce=args.pack is not None,
    )
    return Output(summary=_record(quote, _PAYOFF_LABELS), data=_jsonable(quote))


def _today(args: argparse.Namespace) -> object:
    """The day of the request for the pack's rules: as given, or the current date (the library
    itself never reads the clock)."""
    if args.today is not None or args.pack is None:
        return _date_text(args.today)
    return date.today()


def _prepay(args: argparse.Namespace) -> Output:
    result = prepay(
        balance=_amount(args.balance),
        annual_rate=_rate_text(args.rate),
        remaining_months=_whole(args.remaining_months),
        amount=_amount(args.amount),
        on=_date_text(args.on),
        interest_from=_interest_from(args),
        mode=args.mode,
        payment=_amount(args.payment),
        method=args.method,
        maturity=_date_text(args.maturity),
        convention=args.convention,
        recompute_payment=args.recompute_payment,
        new_remaining_months=_whole(args.new_remaining_months),  # type: ignore[arg-type]
        pack=args.pack,
        due_day=_whole(args.due_day),  # type: ignore[arg-type]
        at=_time_text(args.at),
        today=_today(args),
        enforce=args.pack is not None,
    )
    labels = {"payment": "变更后月还款额", "mode": f"还款方式变更：{_MODE_LABELS[result.mode]}"}
    return Output(summary=_record(result, labels), data=_jsonable(result))


def _quota(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.quota import loan_quota  # the rules load on first use

    q = loan_quota(
        args.pack,
        area=args.area,
        house_price=_amount(args.house_price),
        first_home=not args.second_home,
        house_type=args.house_type,
        house_age=_whole(args.house_age),
        months=_whole(args.months),
        annual_rate=_rate_text(args.rate),
        monthly_income=_amount(args.monthly_income),
        monthly_debt=_amount(args.monthly_debt),
        balance=_amount(args.balance),
        spouse_balance=_amount(args.spouse_balance),
        age=_whole(args.age),
        sex=args.sex,
        has_unsettled_loan=args.unsettled_loan,
        monthly_contribution=_amount(args.monthly_contribution),
        combined_ratio=_rate_text(args.combined_ratio),
        enforce=args.enforce,
    )
    summary = (
        ("pack", args.pack, _LABELS["pack"]),
        ("amount", q.amount, "贷款额度"),
        ("binding", q.binding, _LABELS["binding"]),
        ("ok", q.ok, _LABELS["ok"]),
    )
    columns = ("limit", "value", "source", "detail")
    rows = tuple((x.name, x.value, x.source, x.detail) for x in q.limits)
    data = {
        "pack": args.pack,
        "amount": q.amount,
        "binding": q.binding,
        "ok": q.ok,
        "limits": [
            {"name": x.name, "value": x.value, "source": x.source, "detail": x.detail}
            for x in q.limits
        ],
        "reasons": [
            {"name": r.name, "value": r.value, "source": r.source, "message": r.message}
            for r in q.reasons
        ],
    }
    return Output(summary, columns, rows, None, _jsonable(data))


def _rate(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.rates import default_lpr_table, default_rate_table, lpr, provident_rate

    on = _date_text(args.on)  # an error shows the text as typed (main)
    months = _whole(args.months)
    second = bool(args.second_home)
    fields: list[tuple[str, object, str]] = [
        ("on", to_date(on, "on"), _LABELS["on"]),
        ("effective", default_rate_table().row_on(on).effective, _LABELS["effective"]),
        ("months", months, _LABELS["months"]),
        ("second_home", second, _LABELS["second_home"]),
    ]
    if months is not None:
        rate = provident_rate(on, months, second_home=second)
        fields.append(("rate", rate, f"{_LABELS['rate']} {_percent(rate)}"))
    else:  # both tiers: 60 months is the last of the ≤5-year tier
        for key, n in (("le5y", 60), ("gt5y", 61)):
            rate = provident_rate(on, n, second_home=second)
            fields.append((key, rate, f"{_LABELS[key]} {_percent(rate)}"))
    if args.lpr:
        fields.append(("lpr_effective", default_lpr_table().row_on(on).effective, _LABELS["lpr_effective"]))
        for key, tenor in (("lpr_1y", "1y"), ("lpr_5y", "5y")):
            rate = lpr(on, tenor)
            fields.append((key, rate, f"{_LABELS[key]} {_percent(rate)}"))
    summary = tuple(fields)
    return Output(summary=summary, data=_jsonable({k: v for k, v, _ in fields}))


def _warmup(args: argparse.Namespace) -> Output:
    from gjjcalc.amortize import _runtime
    from gjjcalc.amortize.batch import warmup

    seconds = Decimal(f"{warmup():.3f}")
    fields = (
        ("seconds", seconds, "用时（秒）"),
        ("cached", _runtime.CACHE, "kernels cached on disk (编译结果已缓存)"),
    )
    return Output(summary=fields, data=_jsonable({k: v for k, v, _ in fields}))


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------


def _epilog(command: str | None) -> str:
    examples = _TOP_EXAMPLES if command is None else _EXAMPLES[command]
    return f"{_SEED}\n\nexamples:\n{examples}\n\n{_OUTPUT_NOTE}"


def _add_output(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--csv", dest="format", action="store_const", const="csv", help="print CSV instead of a table"
    )
    group.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="print JSON (amounts as exact decimal strings, dates ISO)",
    )
    parser.set_defaults(format="table")


def _add_accrual(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--on", required=True, metavar="DATE", help=f"the {what} date: YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD"
    )
    start = parser.add_mutually_exclusive_group(required=True)
    start.add_argument(
        "--interest-from",
        metavar="DATE",
        help="the first day of accrual (起息日), a date as --on; interest = amount × rate / 360 × days",
    )
    start.add_argument("--days", metavar="N", help="days of accrual instead: --interest-from is --on minus N days")
    parser.add_argument(
        "--pack",
        metavar="NAME",
        help="check this center's rules first (jilin, qingdao, ...); a refusal exits with status 2",
    )
    parser.add_argument("--due-day", metavar="DAY", help="the agreed repayment day of the month, for --pack")
    parser.add_argument("--at", metavar="HH:MM", help="the time of the request, for --pack's opening hours")
    parser.add_argument(
        "--today", metavar="DATE", help="the day the request is made, for --pack (default: the current date)"
    )


def _subparser(
    subparsers: Any, name: str, help_text: str, handler: Callable[[argparse.Namespace], Output]
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=_epilog(name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler, command_parser=parser)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that a failed write of ``--help`` to stdout is not ignored."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if not message or file is None or file is not sys.stdout:
            super()._print_message(message, file)  # stderr: a failure there is ignored
            return
        file.write(message)  # an OSError reaches main(), which reports it


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``gjjcalc`` and its six subcommands.

    >>> parser = build_parser()
    >>> args = parser.parse_args(["schedule", "690000", "3.25%", "300", "--json"])
    >>> args.principal, args.annual_rate, args.months, args.format, args.convention
    ('690000', '3.25%', '300', 'json', 'center')
    """
    parser = _Parser(
        prog=PROG,
        description="Exact arithmetic and rules of Chinese housing provident fund (住房公积金) loans.",
        epilog=_epilog(None),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    conventions = [c.value for c in Convention]

    p = _subparser(subparsers, "schedule", "repayment schedule (还款计划) of a loan", _schedule)
    p.add_argument("principal", help="the loan in yuan, whole fen: 690000, 690,000 or 69万")
    p.add_argument("annual_rate", metavar="rate", help="annual rate: 3.25%%, 3.25％ or 0.0325")
    p.add_argument("months", help="term in months, 1 to 600")
    p.add_argument("--method", choices=_METHODS, type=_METHODS.convert, default=Method.EQUAL_INSTALLMENT.value,
                   metavar="METHOD", help="equal_installment or 等额本息 (the default); equal_principal or 等额本金")
    p.add_argument("--convention", choices=conventions, default=Convention.CENTER.value,
                   help="rounding convention (default: center, as the Jilin center shows it)")
    p.add_argument("--first-due", metavar="DATE", help="first due date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD): adds a due_date column")
    _add_output(p)

    p = _subparser(subparsers, "prepay", "partial prepayment (部分提前还本) what-if", _prepay)
    p.add_argument("--balance", required=True, help="the balance now, in yuan (646609.84, 646,609.84; 万 = 10,000)")
    p.add_argument("--rate", required=True, help="annual rate: 3.25%%, 3.25％ or 0.0325")
    p.add_argument("--remaining-months", required=True, metavar="N", help="months left, 1 to 600")
    p.add_argument("--amount", required=True, help="principal to prepay, at most the balance (10000 or 1万)")
    p.add_argument("--mode", required=True, choices=_MODES, type=_MODES.convert, metavar="MODE",
                   help="lower_payment, 还款额下降，止贷期不变 or 减少月供; "
                   "shorten_term, 还款额不变，止贷期提前 or 缩短期限")
    p.add_argument("--payment", help="the current payment (equal installment); kept by shorten_term")
    p.add_argument("--method", choices=_METHODS, type=_METHODS.convert, default=Method.EQUAL_INSTALLMENT.value,
                   metavar="METHOD", help="equal_installment (等额本息, the default) or equal_principal (等额本金)")
    p.add_argument("--convention", choices=conventions, default=Convention.CENTER.value)
    p.add_argument("--maturity", metavar="DATE", help="the current maturity; the result's is moved")
    p.add_argument("--recompute-payment", action="store_true",
                   help="shorten_term: recompute the payment for the new whole number of months")
    p.add_argument("--new-remaining-months", metavar="N",
                   help="shorten_term: the months left after the change, as the borrower enters them")
    _add_accrual(p, "prepayment")
    _add_output(p)

    p = _subparser(subparsers, "payoff", "payoff quote (提前结清)", _payoff)
    p.add_argument("--balance", required=True, help="the balance to pay off, in yuan (646609.84, 646,609.84; 万 = 10,000)")
    p.add_argument("--rate", required=True, help="annual rate: 3.25%%, 3.25％ or 0.0325")
    _add_accrual(p, "payoff")
    _add_output(p)

    p = _subparser(subparsers, "quota", "loan quota (贷款额度) under a center's pack", _quota)
    p.add_argument("pack", help="the center pack: jilin, liangshan, liuzhou, ningxia, qingdao, or a .toml pack file")
    p.add_argument("--area", help="purchase location, for region caps (e.g. 西昌市)")
    p.add_argument("--house-price", metavar="YUAN", help="house price, for loan-to-value (5000000 or 500万)")
    p.add_argument("--second-home", action="store_true", help="a second home (二套)")
    p.add_argument("--house-type", help="one of the pack's house types (e.g. 再交易住房)")
    p.add_argument("--house-age", metavar="YEARS", help="age of a second-hand house, whole years")
    p.add_argument("--months", metavar="N", help="term in months")
    p.add_argument("--rate", help="annual rate, for repayment capacity")
    p.add_argument("--monthly-income", metavar="YUAN")
    p.add_argument("--monthly-debt", metavar="YUAN", default="0")
    p.add_argument("--balance", metavar="YUAN", help="the borrower's fund balance")
    p.add_argument("--spouse-balance", metavar="YUAN")
    p.add_argument("--age", metavar="YEARS")
    p.add_argument("--sex", choices=_SEXES, type=_SEXES.convert, metavar="SEX", help="male (男) or female (女)")
    p.add_argument("--unsettled-loan", action="store_true", help="still owes a provident fund loan")
    p.add_argument("--monthly-contribution", metavar="YUAN")
    p.add_argument("--combined-ratio", metavar="RATE", help="employer + employee contribution ratio")
    p.add_argument("--enforce", action="store_true",
                   help="exit with status 2 when a rule refuses instead of reporting 0")
    _add_output(p)

    p = _subparser(subparsers, "rate", "provident fund rate (公积金贷款利率) in force on a date", _rate)
    p.add_argument("on", metavar="DATE", help="the day asked about, YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD (a new loan: its release date)")
    p.add_argument("--months", metavar="N", help="the term: ≤60 months is the ≤5-year tier; default both tiers")
    p.add_argument("--second-home", action="store_true", help="the second-home (二套) rate")
    p.add_argument("--lpr", action="store_true", help="also the 1-year and over-5-year LPR")
    _add_output(p)

    p = _subparser(
        subparsers, "warmup",
        "compile the batch engine's kernels now, or load them from the cache (编译批量计算内核), "
        "e.g. when building a container image", _warmup,
    )
    _add_output(p)
    return parser


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def _write(text: str) -> None:
    """Print ``text`` on stdout and flush it.

    An error writing (a closed pipe, a full disk, a closed stdout, an
    encoding that cannot show the text) propagates to :func:`main`, after
    stdout is pointed at ``os.devnull`` so that the interpreter's final flush
    does not fail a second time.
    """
    stream = sys.stdout
    if stream is None:  # started with stdout closed (gjjcalc ... >&-)
        raise OSError(errno.EBADF, "stdout is closed")
    try:
        stream.write(text + "\n")
    except (OSError, UnicodeEncodeError):
        _drop_stdout()
        raise
    _flush()


def _flush() -> None:
    """Flush stdout, so that a write error is seen here and not at the interpreter's exit."""
    stream = sys.stdout
    if stream is None:
        raise OSError(errno.EBADF, "stdout is closed")
    try:
        stream.flush()
    except OSError:
        _drop_stdout()
        raise


def _drop_stdout() -> None:
    """Point file descriptor 1 at ``os.devnull`` (nothing to do if stdout has no descriptor)."""
    try:
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass


def _error(text: str) -> None:
    """One line on stderr; a closed or failing stderr is ignored (the exit status still says it)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``gjjcalc`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Prints the result on stdout. Bad input, a refused rule, a usage error
    or output that cannot be written (``> /dev/full``, stdout closed) print
    one line on stderr and return 2 (``--help`` and ``--version`` return
    0); no traceback is shown. A reader that closes the pipe before the
    output is written gets a quiet exit with status 1.

    Examples
    --------
    The Jilin manual's loan over its first 3 months (a short term, to keep it short):

    >>> main(["schedule", "690000", "3.25%", "3", "--first-due", "2015-09-28", "--csv"])
    period,due_date,payment,principal,interest,balance
    1,2015-09-28,231246.96,229378.21,1868.75,460621.79
    2,2015-10-28,231246.96,229999.44,1247.52,230622.35
    3,2015-11-28,231246.95,230622.35,624.60,0.00
    0
    >>> main(["rate", "2025-05-08", "--months", "360", "--json"])
    {
      "on": "2025-05-08",
      "effective": "2025-05-08",
      "months": 360,
      "second_home": false,
      "rate": "0.026"
    }
    0

    Bad input names the argument, the value and the allowed range:

    >>> import contextlib, io
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     main(["schedule", "690000", "3.25%", "0"])
    2
    >>> print(err.getvalue().strip())
    gjjcalc schedule: error: months=0 is out of range: expected an integer from 1 to 600
    """
    where, doing = PROG, ""
    args: argparse.Namespace | None = None
    try:
        parser = build_parser()
        doing = "cannot write the output: "  # parsing writes only --help and --version
        try:
            args = parser.parse_args(None if argv is None else list(argv))
        except SystemExit as exc:  # --help and --version exit 0, usage errors 2
            if exc.code is None or exc.code == 0:
                _flush()
                return EXIT_OK
            return exc.code if isinstance(exc.code, int) else EXIT_ERROR
        where, doing = f"{PROG} {args.command}", ""
        handler: Callable[[argparse.Namespace], Output] = args.handler
        text = render(handler(args), args.format)
        doing = "cannot write the output: "
        _write(text)
    except BrokenPipeError:  # the reader left (gjjcalc ... | head): end quietly
        _drop_stdout()
        return EXIT_PIPE
    except InputError as exc:  # named as the user typed it: --rate, not annual_rate=
        _error(f"{where}: error: {_for_flags(exc, args.command_parser, args) if args else exc}")
        return EXIT_ERROR
    except GjjcalcError as exc:
        _error(f"{where}: error: {exc}")
        return EXIT_ERROR
    except (OSError, UnicodeEncodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _error(f"{where}: error: {doing}{reason}")
        return EXIT_ERROR
    return EXIT_OK
