"""The ``gjjcalc`` command line: schedules, prepayment, payoff, quotas, rates, the rules,
a loan's life and the working-day calendar.

``gjjcalc`` (or ``python -m gjjcalc``) wraps the exact single-loan API and
the rules: ``schedule``, ``prepay``, ``payoff``, ``quota``, ``rate``,
``withdrawal``, ``eligibility``, ``term-change``, ``combination``,
``by-area``, ``offset``, ``state``, ``loan FILE``, ``workdays``,
``retirement`` and ``warmup``, each a thin layer over one public function.
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
and the loan's life load on first use by the commands that need them.

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
import warnings
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, overload

from gjjcalc import __version__
from gjjcalc._display import jsonable
from gjjcalc.amortize._exact import exact_only
from gjjcalc.amortize.schedule import Schedule, equal_installment, equal_principal, lump_sum
from gjjcalc.conventions import Convention, Method, PrepayMode
from gjjcalc.errors import GjjcalcError, InputError
from gjjcalc.loan import enforce_rules, payoff, prepay
from gjjcalc.money import MAX_DIGITS, to_amount, to_date

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
    "pack-schema": """\
  gjjcalc pack-schema > pack-schema.json   # point an editor's TOML/JSON schema setting at it""",
    "warmup": """\
  gjjcalc warmup            # compile the batch kernels once, e.g. in a Dockerfile's RUN step
  gjjcalc warmup --json     # {"seconds": "15.210", "cached": true}""",
    "withdrawal": """\
  gjjcalc withdrawal liangshan rent --balance 30000 --annual-rent 24000 --annual-household-income 10万
      # 9000.00: the rent above 15% of the household's income
  gjjcalc withdrawal qingdao rent --balance 5000.55 --json""",
    "eligibility": """\
  gjjcalc eligibility liangshan --on 2024-06-01 --contribution-months 5 --employer-unpaid-months 0 \\
      --last-withdrawal never --no-other-housing-loan --no-guarantee --overdue-consecutive 0 \\
      --overdue-total 2 --purchase-date 2023-09-01 --homes 1
      # ok false: contribution_months (6 months needed)""",
    "term-change": """\
  gjjcalc term-change --balance 646609.84 --rate 3.25% --remaining-months 272 --new-remaining-months 200
      # payment 4191.60
  gjjcalc term-change --principal 69万 --rate 3.25% --months 300 --released 2015-08-28 --pack jilin \\
      --on 2018-01-10 --new-remaining-months 200""",
    "combination": """\
  gjjcalc combination --principal 300000 --rate 3.1% --months 240 --released 2024-03-01 \\
      --commercial-principal 200000 --commercial-months 120      # first month 3699.00""",
    "by-area": """\
  gjjcalc by-area --price-per-m2 6500 --area-m2 89.5 --down-payment 30%     # 407225.00""",
    "offset": """\
  gjjcalc offset --due 21013.64 --own-available 1776 --own-use 1500          # card 19513.64""",
    "state": """\
  gjjcalc state --principal 690000 --rate 3.25% --months 300 --released 2015-08-28 --pack jilin \\
      --on 2018-01-10                                            # balance 646609.84""",
    "loan": """\
  gjjcalc loan loan.toml --on 2018-03-01       # the schedule with its events, and its state that day
  gjjcalc loan loan.json --json""",
    "workdays": """\
  gjjcalc workdays 2024-09-30 --add 5           # 2024-10-12: National Day, then a worked Saturday
  gjjcalc workdays 2027-01-04 --holidays 2027.toml
  gjjcalc workdays 2027-01-01 --assume-weekends""",
    "retirement": """\
  gjjcalc retirement --birth 1965-01-15 --sex 男                    # 2025-02-15, at 60 years 1 month
  gjjcalc retirement --birth 1975-06-10 --sex female --original-age 50   # 2025-09-10""",
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
  gjjcalc state --principal 690000 --rate 3.25% --months 300 --released 2015-08-28 \\
      --pack jilin --on 2018-01-10                             # balance 646609.84
  gjjcalc workdays 2024-09-30 --add 5                          # 2024-10-12
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
    ``table_columns`` names the columns the text table shows (default: all;
    long texts such as sources go to ``notes`` instead), and ``notes`` are
    paragraphs printed below it, wrapped to 80 columns.
    """

    summary: tuple[tuple[str, object, str], ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[object, ...], ...] = ()
    footer: tuple[object, ...] | None = None
    data: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    table_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


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
    given = [(k, v, label) for k, v, label in output.summary if v is not None and v != ()]
    shown = [(k, v, label) for k, v, label in given if _width(_cell(v)) <= _LONG]
    long_notes = [
        f"{k}{f' ({label})' if label else ''}: {_cell(v)}" for k, v, label in given if _width(_cell(v)) > _LONG
    ]
    if shown:
        parts.extend(_align(shown, [False, any(_is_number(v) for _, v, _ in shown), False]))
    if output.columns:
        if parts:
            parts.append("")
        keep = [
            c for c, name in enumerate(output.columns)
            if not output.table_columns or name in output.table_columns
        ]
        body: list[Sequence[object]] = [
            [r[c] for c in keep] for r in (output.columns, *output.rows)
        ]
        right = [any(_is_number(r[c]) for r in output.rows) for c in keep]
        if output.footer is not None:
            body.append([output.footer[c] for c in keep if c < len(output.footer)])
        parts.extend(_align(body, right))
    if long_notes or output.notes:
        if parts:
            parts.append("")
        for note in (*long_notes, *output.notes):
            parts.extend(_wrap(note))
    return "\n".join(parts)


WIDTH = 80
"""The terminal width the notes below a table are wrapped to."""
_LONG = 32
"""A summary value wider than this (a list of names, a sentence) is printed below the table, wrapped."""


def _tokens(text: str) -> list[str]:
    """``text`` as break units: a space, a wide (Chinese) character, or a run of other characters."""
    tokens: list[str] = []
    for ch in text:
        if ch.isspace():
            if tokens and tokens[-1] != " ":
                tokens.append(" ")
        elif _width(ch) == 2 or not tokens or tokens[-1] == " " or _width(tokens[-1][-1]) == 2:
            tokens.append(ch)
        else:
            tokens[-1] += ch
    return tokens


def _wrap(text: str, width: int = WIDTH, indent: str = "    ") -> list[str]:
    """``text`` as lines of at most ``width`` display columns (Chinese characters count
    two), broken at spaces or next to wide characters; lines after the first indented.

    >>> _wrap("region_cap: 最高贷款额度 for a purchase in 西昌市", 24)
    ['region_cap: 最高贷款额度', '    for a purchase in 西', '    昌市']
    """
    lines: list[str] = []
    line = ""
    for token in _tokens(text.strip()):
        if token == " ":
            line += token
            continue
        if line.strip() and _width(line + token) > width:
            lines.append(line.rstrip())
            line = indent
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


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
    [Method.EQUAL_INSTALLMENT.value, Method.EQUAL_PRINCIPAL.value],
    {"等额本息": Method.EQUAL_INSTALLMENT.value, "等额本金": Method.EQUAL_PRINCIPAL.value},
)
_SCHEDULE_METHODS = _Aliases(
    [m.value for m in Method],
    {"等额本息": Method.EQUAL_INSTALLMENT.value, "等额本金": Method.EQUAL_PRINCIPAL.value,
     "到期一次还本付息": Method.LUMP_SUM.value},
)
_CHOICES = ("payment", "carry", "split", "principal_part", "totals", "rounding", "daily_rate_places")
_CONVENTION_HELP = (
    "rounding convention: center (the default, as the Jilin center shows it), ledger or exact; "
    "or choices after a preset, e.g. center,totals=level,rounding=half_even "
    "(keys: " + ", ".join(_CHOICES) + "; docs: Reproducing a calculator)"
)


def _convention(text: str) -> Convention:
    """``--convention``: a preset, or a preset followed by ``key=value`` choices
    (``center,totals=level``; a bare ``totals=level`` starts from ``center``).

    >>> _convention("ledger")
    <Convention.LEDGER: 'ledger'>
    >>> _convention("center,totals=level,daily_rate_places=5")
    Convention(totals='level', daily_rate_places=5)
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    preset = parts.pop(0) if parts and "=" not in parts[0] else "center"
    choices: dict[str, Any] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in _CHOICES:
            raise argparse.ArgumentTypeError(
                f"{part!r}: expected key=value with a key among {', '.join(_CHOICES)}")
        value = value.strip()
        if key == "daily_rate_places":
            if value.lower() in ("none", ""):
                choices[key] = None
            elif value.isdigit():
                choices[key] = int(value)
            else:
                raise argparse.ArgumentTypeError(f"daily_rate_places={value!r}: expected none or a whole number")
        else:
            choices[key] = value
    try:
        return Convention(preset, **choices)  # type: ignore[arg-type]
    except (InputError, ValueError) as err:
        raise argparse.ArgumentTypeError(str(err)) from None


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

_KWARG_DEST = {
    "annual_rate": "rate",
    "first_home": "second_home",
    "has_unsettled_loan": "unsettled_loan",
    "uplifts": "uplift",
    "calendar": "holidays",
    "assume": "assume_weekends",
}
"""Library arguments whose flag has another name (``annual_rate=`` is ``--rate``)."""


_ALLOWED_FOR_FLAGS = {"(datetime.date or 'YYYY-MM-DD')": "(YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)"}
"""The library's wording of what it takes, in the forms a command line takes."""

_CALENDAR_FOR_FLAGS = {
    "calendar='file.toml'": "--holidays FILE.toml",
    "calendar=": "--holidays ",
    "assume='weekends'": "--assume-weekends",
}
"""The working-day error's remedies (``calendar=``, ``assume=``) as the flags of prepay and payoff."""


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
    allowed = exc.allowed
    if "holidays" in flags:  # the working-day error's remedies, as flags
        for python, typed_form in _CALENDAR_FOR_FLAGS.items():
            allowed = allowed.replace(python, typed_form)
    allowed = re.sub(
        r"(?<![\w-])(\w+)=",
        lambda m: f"{flags[m.group(1)][0]}=" if m.group(1) in flags else m.group(0),
        allowed,
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
    build = {Method.EQUAL_PRINCIPAL.value: equal_principal, Method.LUMP_SUM.value: lump_sum}.get(
        args.method, equal_installment)
    s: Schedule = build(
        _amount(args.principal),
        _rate_text(args.annual_rate),
        _whole(args.months),  # type: ignore[arg-type]
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
    )
    _enforce(args, "payoff", balance=args.balance)
    return Output(summary=_record(quote, _PAYOFF_LABELS), data=_jsonable(quote))


def _enforce(args: argparse.Namespace, kind: str, *, balance: str, amount: str | None = None) -> None:
    """The pack's rules for the request (after the arithmetic, so that a bad number is
    reported first); nothing without ``--pack``."""
    if args.pack is None:
        return
    enforce_rules(
        args.pack, kind=kind, on=_date_text(args.on), due_day=_whole(args.due_day), at=_time_text(args.at),
        today=_today(args), balance=to_amount(_amount(balance), "balance"),
        amount=None if amount is None else to_amount(_amount(amount), "amount"), **_calendar(args),
    )


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
        remaining_months=_whole(args.remaining_months),  # type: ignore[arg-type]
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
    )
    _enforce(args, "partial", amount=args.amount, balance=args.balance)
    labels = {"payment": "变更后月还款额", "mode": f"还款方式变更：{_MODE_LABELS[result.mode]}"}
    return Output(summary=_record(result, labels), data=_jsonable(result))


def _quota(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.quota import loan_quota  # the rules load on first use

    q = loan_quota(
        args.pack,
        area=args.area,
        house_price=_amount(args.house_price),
        paid_amount=_amount(args.paid_amount),
        second_home=args.second_home,
        house_type=args.house_type,
        house_age=_whole(args.house_age),
        year_built=_whole(args.year_built),
        months=_whole(args.months),
        annual_rate=_rate_text(args.rate),
        monthly_income=_amount(args.monthly_income),
        monthly_debt=_amount(args.monthly_debt),
        balance=_amount(args.balance),
        spouse_balance=_amount(args.spouse_balance),
        age=_whole(args.age),
        birth=_date_text(args.birth),
        sex=args.sex,
        on=_date_text(args.on),
        has_unsettled_loan=args.unsettled_loan,
        monthly_contribution=_amount(args.monthly_contribution),
        combined_ratio=_rate_text(args.combined_ratio),
        enforce=args.enforce,
        couple=args.couple,
        uplifts=tuple(args.uplift),
        original_age=_whole(args.original_age),  # type: ignore[arg-type]
        supplementary_contribution=_amount(args.supplementary_contribution),
        spouse_monthly_contribution=_amount(args.spouse_monthly_contribution),
        spouse_supplementary_contribution=_amount(args.spouse_supplementary_contribution),
        spouse_birth=_date_text(args.spouse_birth),
        spouse_sex=args.spouse_sex,
        spouse_original_age=_whole(args.spouse_original_age),  # type: ignore[arg-type]
    )
    summary = (
        ("pack", args.pack, _LABELS["pack"]),
        ("amount", q.amount, "贷款额度"),
        ("binding", q.binding, _LABELS["binding"]),
        ("ok", q.ok, _LABELS["ok"]),
        ("months", q.months, "贷款期限（月）"),
        ("requested_months", q.requested_months if q.requested_months != q.months else None,
         _RULE_LABELS["requested_months"]),
        ("shortened_by", tuple(r.name for r in q.shortened_by) or None, _RULE_LABELS["shortened_by"]),
    )
    columns = ("limit", "value", "source", "detail")
    rows = tuple((x.name, x.value, x.source, x.detail) for x in q.limits)
    data = {
        "pack": args.pack,
        "amount": q.amount,
        "binding": q.binding,
        "ok": q.ok,
        "months": q.months,
        "requested_months": q.requested_months,
        "shortened_by": [
            {"name": r.name, "value": r.value, "source": r.source, "message": r.message}
            for r in q.shortened_by
        ],
        "limits": [
            {"name": x.name, "value": x.value, "source": x.source, "detail": x.detail}
            for x in q.limits
        ],
        "reasons": [
            {"name": r.name, "value": r.value, "source": r.source, "message": r.message}
            for r in q.reasons
        ],
    }
    notes = _sourced_notes(q.limits, q.reasons, q.shortened_by)
    return Output(summary, columns, rows, None, _jsonable(data), table_columns=("limit", "value"), notes=tuple(notes))


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


def _pack_schema(args: argparse.Namespace) -> Output:
    from gjjcalc.rules import pack_schema

    return Output(data=pack_schema())


# ---------------------------------------------------------------------------
# Subcommands over the rules, the loan's life and the calendar
# ---------------------------------------------------------------------------

_RULE_LABELS = {
    "kind": "提取类型",
    "closes_account": "销户（全额提取）",
    "spouse_amount": "配偶提取额度",
    "checked": "检查的条件",
    "used_facts": "用到的情况",
    "ignored_facts": "未用到的情况",
    "requested_months": "申请的期限（月）",
    "shortened_by": "缩短期限的条件",
}

_FactSpec = tuple[str, str, str]
"""A fact a rule takes: (its name in the library, its kind, the flag's help)."""

_WITHDRAWAL_FACTS: tuple[_FactSpec, ...] = (
    ("price_paid", "amount", "purchase: the price paid (购房款)"),
    ("annual_rent", "amount", "rent: the year's rent"),
    ("annual_household_income", "amount", "rent: the household's income in a year"),
    ("repaid_last_year", "amount", "repayment: principal and interest repaid in the last year"),
    ("loan_amount", "amount", "repayment: the loan"),
    ("withdrawn_for_loan", "amount", "repayment: withdrawn for this loan so far (default 0)"),
    ("remaining_principal_and_interest", "amount", "payoff: the principal and interest left"),
    ("spouse_withdrawal", "amount", "payoff: what the spouse withdraws for it (default 0)"),
    ("medical_costs", "amount", "illness: the medical costs"),
    ("costs", "amount", "disaster: the costs"),
    ("age", "int", "retirement: age in whole years"),
    ("sex", "sex", "retirement: male (男) or female (女)"),
    ("account_sealed", "bool", "the account is sealed (封存)"),
    ("has_unsettled_loan", "bool", "still owes a provident fund loan"),
    ("months_unemployed", "int", "unemployed: months without work"),
    ("months_sealed", "int", "months the account has been sealed"),
    ("spouse_balance", "amount", "the spouse's balance, where the center lets it be withdrawn too"),
    ("on", "date", "the day of the withdrawal: picks the pack's rules in force, for frequency rules"),
    ("last_withdrawal", "never_date", "the date of the last withdrawal, or 'never' (frequency rules)"),
    ("last_withdrawal_kind", "text", "the kind of the last withdrawal"),
    ("previous_withdrawals", "pairs", "an earlier withdrawal: DATE KIND (repeatable)"),
)
_ELIGIBILITY_FACTS: tuple[_FactSpec, ...] = (
    ("on", "date", "the application date"),
    ("contribution_months", "int", "consecutive months paid on time and in full"),
    ("employer_unpaid_months", "int", "consecutive months, counted back from --on, the employer has not paid"),
    ("last_withdrawal", "never_date", "the date of the last withdrawal, or 'never'"),
    ("other_housing_loan", "bool", "has another housing loan"),
    ("guarantee", "bool", "guarantees someone else's loan"),
    ("overdue_consecutive", "int", "consecutive overdue payments (the worse spouse's credit report)"),
    ("overdue_total", "int", "overdue payments in total"),
    ("purchase_date", "date", "the purchase date"),
    ("homes", "int", "homes owned, this one included"),
    ("has_unsettled_loan", "bool", "still owes a provident fund loan"),
)
_METAVARS = {"amount": "YUAN", "int": "N", "date": "DATE", "never_date": "DATE", "text": "KIND"}
_NEVER = {"never", "none", "从未", "无"}


def _fact_dest(name: str) -> str:
    return _KWARG_DEST.get(name, name)


def _add_facts(parser: argparse.ArgumentParser, facts: Sequence[_FactSpec]) -> None:
    """One flag per fact (``--annual-rent``); only the facts given are passed on."""
    for name, kind, help_text in facts:
        dest = _fact_dest(name)
        flag = "--" + dest.replace("_", "-")
        if kind == "bool":
            parser.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction, default=None, help=help_text)
        elif kind == "pairs":
            parser.add_argument(flag.removesuffix("s"), dest=dest, nargs=2, action="append",
                                metavar=("DATE", "KIND"), help=help_text)
        elif kind == "sex":
            parser.add_argument(flag, dest=dest, choices=_SEXES, type=_SEXES.convert, metavar="SEX", help=help_text)
        else:
            parser.add_argument(flag, dest=dest, metavar=_METAVARS[kind], help=help_text)
    parser.set_defaults(facts=tuple(facts))


def _facts(args: argparse.Namespace) -> dict[str, object]:
    """The facts given on the command line, converted as typed, keyed by the library's names."""
    out: dict[str, object] = {}
    for name, kind, _ in args.facts:
        value = getattr(args, _fact_dest(name))
        if value is None:
            continue
        if kind == "amount":
            value = _amount(value)
        elif kind == "int":
            value = _whole(value)
        elif kind == "date":
            value = _date_text(value)
        elif kind == "never_date":
            value = None if _key(value).lower() in _NEVER else _date_text(value)
        elif kind == "pairs":
            value = [(_date_text(day), what) for day, what in value]
        out[name] = value
    return out


def _sourced_notes(limits: Sequence[Any], reasons: Sequence[Any] = (), shortened: Sequence[Any] = ()) -> list[str]:
    """Each limit's detail and source, each refusal and each term limit, as notes below the table."""
    notes = [f"{x.name}: {x.detail}. source: {x.source}" for x in limits]
    notes += [f"refused by {r.name}: {r.message}. source: {r.source}" for r in reasons]
    notes += [
        f"term shortened by {r.name} to {r.value} months: {r.message}. source: {r.source}" for r in shortened
    ]
    return notes


def _rule_output(pack: str, result: Any, labels: Mapping[str, str]) -> Output:
    """A rule's result: its scalar fields as the summary, its limits as the table (sources below)."""
    summary: list[tuple[str, object, str]] = [("pack", pack, _LABELS["pack"])]
    limits: tuple[Any, ...] = ()
    reasons: tuple[Any, ...] = ()
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        if f.name == "limits":
            limits = value
        elif f.name == "reasons":
            reasons = value
        else:
            summary.append((f.name, value, labels.get(f.name, _RULE_LABELS.get(f.name, _LABELS.get(f.name, "")))))
    columns = ("limit", "value", "source", "detail")
    rows = tuple((x.name, x.value, x.source, x.detail) for x in limits)
    data = {"pack": pack, **_jsonable(result)}
    return Output(
        tuple(summary), columns if rows else (), rows, None, data,
        table_columns=("limit", "value"), notes=tuple(_sourced_notes(limits, reasons)),
    )


def _withdrawal(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.withdrawal import withdrawal_cap

    result = withdrawal_cap(
        args.pack, args.kind, balance=_amount(args.balance), enforce=args.enforce, **_facts(args)
    )
    return _rule_output(args.pack, result, {"amount": "提取额度"})


def _eligibility(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.eligibility import check_eligibility

    result = check_eligibility(args.pack, enforce=args.enforce, **_facts(args))
    output = _rule_output(args.pack, result, {"ok": "符合贷款条件"})
    if not result.checked:
        note = f"nothing checked: the {args.pack} pack publishes no loan conditions"
        output = dataclasses.replace(output, notes=(*output.notes, note))
    return output


def _renamed(exc: InputError, names: Mapping[str, str]) -> InputError:
    """The error with a library argument renamed to the flag's ``args`` field (``months`` →
    ``commercial_months``), when the same library name means another flag here."""
    if exc.name in names:
        return InputError(names[exc.name], exc.value, exc.allowed)
    return exc


def _not_with(args: argparse.Namespace, names: Sequence[str], because: str) -> None:
    """Refuse flags that the chosen form of a command does not take (never ignore them)."""
    for name in names:
        value = getattr(args, name)
        if value is not None and value is not False:
            raise InputError(name, value, because)


def _add_loan(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """The flags of a loan given by its release date (:class:`gjjcalc.Loan`)."""
    parser.add_argument("--principal", required=required, metavar="YUAN", help="the loan, in yuan (690000 or 69万)")
    parser.add_argument("--months", required=required, metavar="N", help="the contract term in months, 1 to 600")
    parser.add_argument("--released", required=required, metavar="DATE", help="the release date (放款日期)")
    parser.add_argument("--first-due", metavar="DATE", help="the first due date (default: --released + 1 month)")
    parser.add_argument("--pack", metavar="NAME", help="the center's pack (jilin, ...): its start of accrual")


def _add_terms(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--method", choices=_METHODS, type=_METHODS.convert, default=Method.EQUAL_INSTALLMENT.value,
                        metavar="METHOD", help="equal_installment (等额本息, the default) or equal_principal (等额本金)")
    parser.add_argument("--convention", type=_convention, default=Convention.CENTER, metavar="CONVENTION",
                        help=_CONVENTION_HELP)


def _loan(args: argparse.Namespace) -> Any:
    from gjjcalc.loan import Loan

    return Loan(
        _amount(args.principal),
        _rate_text(args.rate),
        _whole(args.months),  # type: ignore[arg-type]
        released=str(_date_text(args.released)),
        first_due=_date_text(args.first_due),
        method=args.method,
        convention=args.convention,
        pack=args.pack,
    )


def _term_change(args: argparse.Namespace) -> Output:
    from gjjcalc.amortize.prepay import change_term

    if args.released is not None:
        _not_with(args, ("balance", "remaining_months", "maturity", "payment"),
                  "not with --released: the balance, term and payment on --on come from the loan's schedule")
        if args.on is None:
            raise InputError("on", None, "the day of the change (with --released)")
        loan = _loan(args)
        try:
            result, _ = loan.change_term(
                on=str(_date_text(args.on)),
                remaining_months=_whole(args.new_remaining_months),
                maturity_year=_whole(args.new_maturity_year),
            )
        except InputError as exc:
            raise _renamed(exc, {"remaining_months": "new_remaining_months", "maturity_year": "new_maturity_year"}) from None
    else:
        _not_with(args, ("principal", "months", "first_due", "pack", "on"),
                  "only with --released (a loan given by its release date)")
        result = change_term(
            balance=_amount(args.balance),
            annual_rate=_rate_text(args.rate),
            remaining_months=_whole(args.remaining_months),  # type: ignore[arg-type]
            new_remaining_months=_whole(args.new_remaining_months),  # type: ignore[arg-type]
            maturity=_date_text(args.maturity),
            new_maturity_year=_whole(args.new_maturity_year),  # type: ignore[arg-type]
            payment=_amount(args.payment),
            method=args.method,
            convention=args.convention,
        )
    labels = {
        "balance": "贷款余额",
        "remaining_months": "变更后剩余期数",
        "payment": "变更后月还款额",
        "maturity": "变更后到期日期",
        "interest_saved": "节省的计划利息",
    }
    return Output(summary=_record(result, labels), data=_jsonable(result))


def _combination(args: argparse.Namespace) -> Output:
    from gjjcalc.loan import Loan, commercial_loan
    from gjjcalc.loan.combination import combination

    provident = _loan(args)
    months = args.months if args.commercial_months is None else args.commercial_months
    names = {"principal": "commercial_principal", "months": "commercial_months",
             "annual_rate": "commercial_rate", "repricing": "lpr_repricing", "tenor": "tenor"}
    try:
        if args.commercial_rate is not None:
            _not_with(args, ("spread_bp", "tenor", "lpr_repricing"), "not with --commercial-rate (a fixed rate)")
            commercial = Loan(
                _amount(args.commercial_principal), _rate_text(args.commercial_rate), _whole(months),  # type: ignore[arg-type]
                released=str(_date_text(args.released)), first_due=_date_text(args.first_due),
                method=args.method, convention=args.convention,
            )
        else:
            spread = _whole(args.spread_bp)
            commercial = commercial_loan(
                _amount(args.commercial_principal), _whole(months),  # type: ignore[arg-type]
                released=str(_date_text(args.released)), first_due=_date_text(args.first_due),
                spread_bp=0 if spread is None else spread,  # type: ignore[arg-type]
                tenor=args.tenor, method=args.method, convention=args.convention,
                **({} if args.lpr_repricing is None else {"repricing": args.lpr_repricing}),
            )
    except InputError as exc:
        raise _renamed(exc, names) from None
    c = combination(provident, commercial)
    columns = ("period", "due_date", "provident", "commercial", "payment", "balance")
    rows = tuple(
        (k + 1, c.due_dates[k], c.provident.payment[k], c.commercial.payment[k], c.total.payment[k], c.total.balance[k])
        for k in range(c.months)
    )
    footer = ("total", "", c.provident.total_payment, c.commercial.total_payment, c.total_payment, "")
    fields: list[tuple[str, object, str]] = [
        ("loan", c.loan, "贷款总额"),
        ("months", c.months, _LABELS["months"]),
        ("provident_rate", c.provident_schedule.annual_rate, "公积金贷款利率"),
        ("commercial_rate", c.commercial_schedule.annual_rate, "商业贷款利率（首期）"),
        ("provident_payment", c.provident_schedule.first_payment, "公积金首月还款额"),
        ("commercial_payment", c.commercial_schedule.first_payment, "商业贷款首月还款额"),
        ("payment", c.first_payment, "首月还款额合计"),
        ("total_payment", c.total_payment, _LABELS["total_payment"]),
        ("total_interest", c.total_interest, _LABELS["total_interest"]),
    ]
    data: dict[str, Any] = {k: v for k, v, _ in fields}
    data["rows"] = [dict(zip(columns, r, strict=True)) for r in rows]
    return Output(tuple(fields), columns, rows, footer, _jsonable(data))


def _by_area(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.quota import loan_from_area

    result = loan_from_area(
        price_per_m2=_amount(args.price_per_m2),
        area_m2=_amount(args.area_m2),
        down_payment=_rate_text(args.down_payment),
    )
    labels = {"house_price": "房屋总价", "down_payment": "首付款", "amount": "贷款金额"}
    return Output(summary=_record(result, labels), data=_jsonable(result))


def _offset(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.offset import offset_split

    own_use = args.own_available if args.own_use is None else args.own_use
    spouse_use = args.spouse_authorized if args.spouse_use is None else args.spouse_use
    result = offset_split(
        due=_amount(args.due),
        own_available=_amount(args.own_available),
        own_use=_amount(own_use),
        spouse_authorized=_amount(args.spouse_authorized),
        spouse_use=_amount(spouse_use),
    )
    labels = {"due": "应还本息合计", "own": "本人公积金支付", "spouse": "配偶公积金支付",
              "fund": "公积金支付合计", "card": "还款卡支付"}
    return Output(summary=_record(result, labels), data=_jsonable(result))


_STATE_LABELS = {
    "balance": "贷款余额",
    "remaining_months": "剩余期数",
    "payment": "月还款额",
    "last_due": "上次还款日",
    "interest_from": "起息日",
    "maturity": "到期日期",
    "annual_rate": "执行利率",
    "periods_paid": "已还期数",
    "principal_repaid": "已还本金",
    "interest_repaid": "已还利息",
    "next_due": "下次还款日",
    "overdue_principal": "逾期本金",
    "overdue_interest": "逾期利息",
    "penalty_interest": "罚息",
}


def _state(args: argparse.Namespace) -> Output:
    on = _date_text(args.on)
    state = _loan(args).state_on(on)
    summary = (("on", to_date(on, "on"), _LABELS["on"]), *_record(state, _STATE_LABELS))
    return Output(summary=summary, data={"on": to_date(on, "on"), **_jsonable(state)})


def _calendar(args: argparse.Namespace) -> dict[str, Any]:
    """``calendar=`` and ``assume=`` from ``--holidays FILE`` (repeatable) and ``--assume-weekends``."""
    given: dict[str, Any] = {}
    if args.holidays:
        given["calendar"] = args.holidays[0] if len(args.holidays) == 1 else list(args.holidays)
    if args.assume_weekends:
        given["assume"] = "weekends"
    return given


def _add_calendar(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--holidays", action="append", metavar="FILE",
        help="a holiday file (TOML: source, years, holidays, workdays) for a year the shipped data "
        "does not cover, e.g. the State Council's next schedule; repeatable",
    )
    parser.add_argument(
        "--assume-weekends", action="store_true",
        help="past every holiday calendar, take Saturdays and Sundays as the only rest days "
        "(stated in the output)",
    )


def _workdays(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.workdays import (
        add_working_days,
        is_working_day,
        next_working_day,
        working_days_between,
    )

    day = to_date(_date_text(args.day), "day")
    calendar = _calendar(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fields: list[tuple[str, object, str]] = [
            ("day", day, "日期"),
            ("working_day", is_working_day(day, calendar=calendar.get("calendar"), assume=calendar.get("assume")),
             "是工作日"),
            ("next_working_day", next_working_day(day, **calendar), "下一个工作日（遇节假日顺延）"),
        ]
        if args.add is not None:
            n = _whole(args.add)
            if not isinstance(n, int):
                raise InputError("add", args.add, "a whole number of working days (negative: before the day)")
            fields.append(("add", n, "工作日数"))
            fields.append(("added", add_working_days(day, n, **calendar), f"{n} 个工作日后"))
        if args.until is not None:
            until = to_date(_date_text(args.until), "until")
            fields.append(("until", until, "截止日期"))
            fields.append(("working_days", working_days_between(day, until, **calendar), "之间的工作日数（不含起日，含止日）"))
    assumed = sorted({str(w.message) for w in caught})
    fields.append(("assumed", "; ".join(assumed) or None, "按周末推定"))
    return Output(summary=tuple(fields), data=_jsonable({k: v for k, v, _ in fields}))


def _retirement(args: argparse.Namespace) -> Output:
    from gjjcalc.rules.retirement import retirement_age_months, retirement_date

    birth = _date_text(args.birth)
    original = _whole(args.original_age)
    when = retirement_date(birth, args.sex, original)  # type: ignore[arg-type]
    months = retirement_age_months(birth, args.sex, original)  # type: ignore[arg-type]
    years, extra = divmod(months, 12)
    fields: list[tuple[str, object, str]] = [
        ("birth", to_date(birth, "birth"), "出生日期"),
        ("sex", args.sex, "性别"),
        ("original_age", original, "原法定退休年龄"),
        ("age_months", months, f"法定退休年龄 {years} 岁" + (f" {extra} 个月" if extra else "")),
        ("retirement_date", when, "退休时间"),
    ]
    return Output(summary=tuple(fields), data=_jsonable({k: v for k, v, _ in fields}))


_LOAN_KEYS = (
    "principal", "annual_rate", "months", "released", "first_due", "method", "convention", "pack",
    "second_home", "markup", "repricing", "penalty_rate", "events",
)
"""The keys of a loan file: :class:`gjjcalc.Loan`'s arguments."""
_EVENT_TYPES = ("prepayment", "rate_change", "term_change", "payment_change", "missed", "arrears_paid")
_AMOUNT_KEYS = frozenset({"principal", "amount", "payment"})
_RATE_KEYS = frozenset({"annual_rate", "markup", "penalty_rate"})
_DATE_KEYS = frozenset({"released", "first_due", "on", "due"})


def _typed(key: str, value: object) -> object:
    """A value of a loan file as a person writes it (``69万``, ``3.25％``, ``2015/08/28``), converted."""
    if not isinstance(value, str):
        return value
    if key in _AMOUNT_KEYS:
        return _amount(value)
    if key in _RATE_KEYS:
        return _rate_text(value)
    if key in _DATE_KEYS:
        return _date_text(value)
    return value


def _read_loan_file(path: str) -> dict[str, Any]:
    import tomllib

    try:
        raw = open(path, "rb").read()  # noqa: SIM115 - read at once, closed by refcount
    except OSError as exc:
        raise InputError("file", path, f"a TOML or JSON loan file that can be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("file", path, "a TOML or JSON loan file in UTF-8 (this one is not UTF-8)") from None
    try:
        if path.lower().endswith(".json"):
            doc = json.loads(text, parse_float=Decimal)
        else:
            doc = tomllib.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError("file", path, f"valid JSON ({exc.msg} at line {exc.lineno})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError("file", path, f"valid TOML ({exc})") from None
    if not isinstance(doc, dict):
        raise InputError("file", path, "a TOML or JSON table of the loan's terms and its events")
    return doc


def _loan_from_file(path: str) -> Any:
    """The :class:`gjjcalc.Loan` a loan file describes; an error names the file and the key
    (``loan.toml: events[2].amount``, events counted from 0)."""
    import inspect

    from gjjcalc import loan as life

    classes = {
        "prepayment": life.Prepayment, "rate_change": life.RateChange, "term_change": life.TermChange,
        "payment_change": life.PaymentChange, "missed": life.Missed, "arrears_paid": life.ArrearsPaid,
    }
    doc = _read_loan_file(path)
    for key in doc:
        if key not in _LOAN_KEYS:
            raise InputError(f"{path}: {key}", doc[key], f"a key of a loan file: one of {', '.join(_LOAN_KEYS)}")
    for key in ("principal", "months", "released"):
        if key not in doc:
            raise InputError(f"{path}: {key}", None, f"the loan's {key} (required)")
    items = doc.get("events", [])
    if not isinstance(items, list):
        raise InputError(f"{path}: events", items, "a list of events (TOML [[events]] tables)")
    events = []
    for k, item in enumerate(items):
        where = f"{path}: events[{k}]"
        if not isinstance(item, dict):
            raise InputError(where, item, "a table with a type and the event's fields")
        kind = item.get("type")
        if kind not in classes:
            raise InputError(f"{where}.type", kind, f"one of {', '.join(_EVENT_TYPES)}")
        cls = classes[kind]
        fields = [p for p in inspect.signature(cls).parameters if p != "self"]
        given = {key: _typed(key, value) for key, value in item.items() if key != "type"}
        for key in given:
            if key not in fields:
                raise InputError(f"{where}.{key}", item[key], f"a field of {kind}: one of {', '.join(fields)}")
        try:
            events.append(cls(**given))
        except InputError as exc:
            raise InputError(f"{where}.{exc.name}", exc.value, exc.allowed) from None
        except TypeError:
            needed = [p.name for p in inspect.signature(cls).parameters.values() if p.default is p.empty]
            raise InputError(where, item, f"a {kind} with {', '.join(needed)}") from None
    terms: dict[str, Any] = {key: _typed(key, value) for key, value in doc.items() if key != "events"}
    try:
        return life.Loan(
            terms.pop("principal"), terms.pop("annual_rate", None), terms.pop("months"),
            released=terms.pop("released"), events=events, **terms,
        )
    except InputError as exc:
        raise InputError(f"{path}: {exc.name}", exc.value, exc.allowed) from None


def _loan_file(args: argparse.Namespace) -> Output:
    loan = _loan_from_file(args.file)
    s = loan.schedule()
    fields: list[tuple[str, object, str]] = [
        ("loan", s.loan, _LABELS["loan"]),
        ("annual_rate", s.annual_rate, f"年利率 {_percent(s.annual_rate)}"),
        ("months", loan.months, _LABELS["months"]),
        ("released", loan.released, "放款日期"),
        ("events", len(loan.events), "已记录的事件"),
        ("periods", len(s), "还款期数"),
        ("payment", s.first_payment, "首月还款额"),
        ("last_payment", s.last_payment, _LABELS["last_payment"]),
        ("maturity", s.due_dates[-1] if s.due_dates else None, "到期日期"),
        ("total_payment", s.total_payment, _LABELS["total_payment"]),
        ("total_interest", s.total_interest, _LABELS["total_interest"]),
    ]
    data: dict[str, Any] = {"schedule": {k: v for k, v, _ in fields}, "state": None}
    if args.on is not None:
        on = _date_text(args.on)
        state = loan.state_on(on)
        fields.append(("on", to_date(on, "on"), _LABELS["on"]))
        labels = {**_STATE_LABELS, "annual_rate": "当日执行利率"}
        fields.extend((f"state.{k}", v, label) for k, v, label in _record(state, labels))
        data["state"] = {"on": to_date(on, "on"), **_jsonable(state)}
    return Output(summary=tuple(fields), data=_jsonable(data))


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
    _add_calendar(parser)


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
    """The argument parser of ``gjjcalc`` and its subcommands.

    >>> parser = build_parser()
    >>> args = parser.parse_args(["schedule", "690000", "3.25%", "300", "--json"])
    >>> args.principal, args.annual_rate, args.months, args.format, args.convention
    ('690000', '3.25%', '300', 'json', <Convention.CENTER: 'center'>)
    """
    parser = _Parser(
        prog=PROG,
        description="Exact arithmetic and rules of Chinese housing provident fund (住房公积金) loans.",
        epilog=_epilog(None),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _subparser(subparsers, "schedule", "repayment schedule (还款计划) of a loan", _schedule)
    p.add_argument("principal", help="the loan in yuan, whole fen: 690000, 690,000 or 69万")
    p.add_argument("annual_rate", metavar="rate", help="annual rate: 3.25%%, 3.25％ or 0.0325")
    p.add_argument("months", help="term in months, 1 to 600")
    p.add_argument("--method", choices=_SCHEDULE_METHODS, type=_SCHEDULE_METHODS.convert,
                   default=Method.EQUAL_INSTALLMENT.value,
                   metavar="METHOD", help="equal_installment or 等额本息 (the default); equal_principal or 等额本金; "
                   "lump_sum or 到期一次还本付息 (at most 12 months: one payment at maturity)")
    p.add_argument("--convention", type=_convention, default=Convention.CENTER, metavar="CONVENTION",
                   help=_CONVENTION_HELP)
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
    p.add_argument("--convention", type=_convention, default=Convention.CENTER, metavar="CONVENTION",
                   help=_CONVENTION_HELP)
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
    p.add_argument("pack", help="the center pack: beijing, guangzhou, hangzhou, jilin, liangshan, liuzhou, ningxia, qingdao, shanghai, shenzhen, tianjin, or a .toml pack file")
    p.add_argument("--area", help="purchase location, for region caps (e.g. 西昌市)")
    p.add_argument("--house-price", metavar="YUAN", help="house price, for loan-to-value (5000000 or 500万)")
    p.add_argument("--paid-amount", metavar="YUAN", help="already paid (已付金额), for packs whose quota uses it")
    p.add_argument("--second-home", action="store_true", help="a second home (二套)")
    p.add_argument("--house-type", help="one of the pack's house types (e.g. 再交易住房)")
    p.add_argument("--house-age", metavar="YEARS", help="age of a second-hand house, whole years")
    p.add_argument("--year-built", metavar="YEAR", help="the year the house was built (建成年代)")
    p.add_argument("--months", metavar="N", help="term in months")
    p.add_argument("--rate", help="annual rate, for repayment capacity")
    p.add_argument("--monthly-income", metavar="YUAN")
    p.add_argument("--monthly-debt", metavar="YUAN", default="0")
    p.add_argument("--balance", metavar="YUAN", help="the borrower's fund balance")
    p.add_argument("--spouse-balance", metavar="YUAN")
    p.add_argument("--age", metavar="YEARS")
    p.add_argument("--birth", metavar="DATE", help="date of birth, for the statutory retirement age")
    p.add_argument("--sex", choices=_SEXES, type=_SEXES.convert, metavar="SEX", help="male (男) or female (女)")
    p.add_argument("--on", metavar="DATE", help="the application date: picks the pack's constants in force")
    p.add_argument("--unsettled-loan", action="store_true", help="still owes a provident fund loan")
    p.add_argument("--monthly-contribution", metavar="YUAN")
    p.add_argument("--combined-ratio", metavar="RATE", help="employer + employee contribution ratio")
    household = p.add_mutually_exclusive_group()
    household.add_argument("--couple", action="store_const", const=True, default=None,
                           help="both spouses contribute and apply together (夫妻双方缴存): the couple cap")
    household.add_argument("--single", dest="couple", action="store_const", const=False,
                           help="one borrower (单方缴存): the single cap")
    p.add_argument("--uplift", action="append", default=[], metavar="NAME",
                   help="an uplift of the pack's cap the borrower qualifies for (repeat for several; "
                   "e.g. multi_child)")
    p.add_argument("--original-age", metavar="YEARS",
                   help="original statutory retirement age (原法定退休年龄): 60, 55 or 50")
    p.add_argument("--supplementary-contribution", metavar="YUAN",
                   help="monthly supplementary contribution (补充住房公积金月缴存额)")
    p.add_argument("--spouse-monthly-contribution", metavar="YUAN", help="the spouse's monthly contribution")
    p.add_argument("--spouse-supplementary-contribution", metavar="YUAN",
                   help="the spouse's monthly supplementary contribution")
    p.add_argument("--spouse-birth", metavar="DATE", help="the spouse's date of birth")
    p.add_argument("--spouse-sex", choices=_SEXES, type=_SEXES.convert, metavar="SEX",
                   help="the spouse's sex: male (男) or female (女)")
    p.add_argument("--spouse-original-age", metavar="YEARS",
                   help="the spouse's original statutory retirement age")
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

    p = _subparser(
        subparsers, "pack-schema",
        "the JSON Schema of a pack file (数据包格式), for editors that complete custom packs", _pack_schema,
    )
    p.set_defaults(format="json")
    _add_new_commands(subparsers)
    return parser


def _add_new_commands(subparsers: Any) -> None:
    """The subcommands over the rules, a loan's life and the calendar."""
    p = _subparser(subparsers, "withdrawal", "withdrawal cap (提取额度) of one kind under a center's pack", _withdrawal)
    p.add_argument("pack", help="the center pack (jilin, liangshan, ...) or a .toml pack file")
    p.add_argument("kind", help="a withdrawal kind the pack names: purchase, repayment, payoff, rent, illness, ...")
    p.add_argument("--balance", required=True, metavar="YUAN", help="the account balance")
    _add_facts(p, _WITHDRAWAL_FACTS)
    p.add_argument("--enforce", action="store_true", help="exit with status 2 when a rule refuses")
    _add_output(p)

    p = _subparser(subparsers, "eligibility", "loan conditions (贷款条件) under a center's pack", _eligibility)
    p.add_argument("pack", help="the center pack (liangshan, ...) or a .toml pack file")
    _add_facts(p, _ELIGIBILITY_FACTS)
    p.add_argument("--enforce", action="store_true", help="exit with status 2 when refused")
    _add_output(p)

    p = _subparser(subparsers, "term-change", "shorten or extend the term (缩短/延长期限)", _term_change)
    p.add_argument("--balance", metavar="YUAN", help="the balance now")
    p.add_argument("--rate", help="annual rate: 3.25%%, 3.25％ or 0.0325 (with --released: default the table's)")
    p.add_argument("--remaining-months", metavar="N", help="the months left now")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--new-remaining-months", metavar="N", help="the months left after the change")
    target.add_argument("--new-maturity-year", metavar="YEAR", help="the year of the new maturity")
    p.add_argument("--maturity", metavar="DATE", help="the current maturity")
    p.add_argument("--payment", metavar="YUAN", help="the current payment (equal installment)")
    _add_loan(p, required=False)
    p.add_argument("--on", metavar="DATE", help="with --released: the day of the change")
    _add_terms(p)
    _add_output(p)

    p = _subparser(subparsers, "combination", "combination loan (组合贷款): provident + commercial", _combination)
    p.add_argument("--rate", help="the provident part's rate (default: the table's on --released)")
    _add_loan(p, required=True)
    p.add_argument("--commercial-principal", required=True, metavar="YUAN", help="the commercial part")
    p.add_argument("--commercial-months", metavar="N", help="its term (default: --months)")
    p.add_argument("--commercial-rate", metavar="RATE", help="a fixed commercial rate instead of LPR + spread")
    p.add_argument("--spread-bp", metavar="BP", help="LPR + this many basis points (default 0)")
    p.add_argument("--tenor", help="the LPR tenor: 1y or 5y (default: by the term)")
    p.add_argument("--lpr-repricing", metavar="RULE", help="when the LPR reprices the loan (default: january)")
    _add_terms(p)
    _add_output(p)

    p = _subparser(subparsers, "by-area", "loan by floor area (按面积计算): price × area × (1 − down payment)", _by_area)
    p.add_argument("--price-per-m2", required=True, metavar="YUAN", help="price per square metre (元/平米)")
    p.add_argument("--area-m2", required=True, metavar="M2", help="floor area in m², at most 2 decimals")
    p.add_argument("--down-payment", required=True, metavar="RATE", help="the down-payment ratio: 30%% or 0.3")
    _add_output(p)

    p = _subparser(subparsers, "offset", "split an amount due between the fund and the card (内转还款)", _offset)
    p.add_argument("--due", required=True, metavar="YUAN", help="the total due now (应还本息合计)")
    p.add_argument("--own-available", required=True, metavar="YUAN", help="the borrower's withdrawable balance")
    p.add_argument("--own-use", metavar="YUAN", help="how much of it to use (default: all of it)")
    p.add_argument("--spouse-authorized", default="0", metavar="YUAN", help="the spouse's authorised amount")
    p.add_argument("--spouse-use", metavar="YUAN", help="how much of it to use (default: all of it)")
    _add_output(p)

    p = _subparser(subparsers, "state", "a loan's state on a date (贷款信息): balance, months left, next due", _state)
    p.add_argument("--rate", help="annual rate (default: the table's on --released)")
    _add_loan(p, required=True)
    p.add_argument("--on", required=True, metavar="DATE", help="the day asked about")
    _add_terms(p)
    _add_output(p)

    p = _subparser(subparsers, "loan", "a loan with its history from a TOML or JSON file", _loan_file)
    p.add_argument("file", metavar="FILE", help="the loan file: Loan's arguments and [[events]] (see docs/cli.md)")
    p.add_argument("--on", metavar="DATE", help="also the loan's state on this day")
    _add_output(p)

    p = _subparser(subparsers, "workdays", "working days (工作日): holidays and adjusted weekends", _workdays)
    p.add_argument("day", help="the day: is it a working day, and the next one")
    p.add_argument("--add", metavar="N", help="also the N-th working day after it (negative: before)")
    p.add_argument("--until", metavar="DATE", help="also the working days after DATE up to and including this day")
    _add_calendar(p)
    _add_output(p)

    p = _subparser(subparsers, "retirement", "statutory retirement date (法定退休年龄) under the 2024 decision", _retirement)
    p.add_argument("--birth", required=True, metavar="DATE", help="date of birth")
    p.add_argument("--sex", required=True, choices=_SEXES, type=_SEXES.convert, metavar="SEX",
                   help="male (男) or female (女)")
    p.add_argument("--original-age", metavar="AGE",
                   help="the original statutory age: 60 (men, the default), 55 or 50 (women: required)")
    _add_output(p)


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


def _warning_for_flags(text: str) -> str:
    """A library warning in the flags' words (``assume='weekends'`` is ``--assume-weekends``)."""
    for python, typed_form in _CALENDAR_FOR_FLAGS.items():
        text = text.replace(python, typed_form)
    return text


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
        # one loan per process: the exact reference is faster than importing numpy
        with warnings.catch_warnings(record=True) as caught, exact_only():  # e.g. assume="weekends"
            warnings.simplefilter("always", UserWarning)
            output = handler(args)
        for seen in caught:
            if isinstance(seen.message, UserWarning):
                _error(f"{where}: warning: {_warning_for_flags(str(seen.message))}")
            else:
                warnings.showwarning(seen.message, seen.category, seen.filename, seen.lineno)
        text = render(output, args.format)
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
