"""How results show themselves in a notebook: pandas frames and HTML tables.

pandas is an optional extra (``pip install gjjcalc[pandas]``); it is imported
only when a ``to_frame`` method runs. The HTML needs nothing but the standard
library, so ``_repr_html_`` works in any Jupyter kernel.

Money columns of a frame are ``float64`` by default (what plots and
arithmetic in pandas expect; every value has at most two decimals and prints
back exactly) or the exact ``Decimal`` objects with ``exact=True``
(``object`` dtype).

For a service, :func:`jsonable` (``to_dict()`` of every result record),
:func:`json_default` and :func:`to_json` turn results into JSON values that
keep every amount exact: a ``Decimal`` becomes its decimal string (money has
two places: ``"3362.48"``), never a binary float.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Mapping, Sequence
from datetime import date, time
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias

if TYPE_CHECKING:  # pandas is an extra: imported by to_frame() only
    import pandas as pd

__all__ = [
    "HTML",
    "LABELS_ZH",
    "Labels",
    "Record",
    "Ruled",
    "dates",
    "json_default",
    "jsonable",
    "label",
    "pandas",
    "record_frame",
    "record_html",
    "rows_frame",
    "schedule_dict",
    "schedule_repr",
    "table_html",
    "to_json",
]


def pandas() -> Any:
    """The pandas module, or an ImportError that says which extra installs it."""
    try:
        import pandas as pd
    except ImportError as err:  # pragma: no cover - the test environment has pandas
        raise ImportError(
            "to_frame() needs pandas: pip install 'gjjcalc[pandas]'"
        ) from err
    return pd


def dates(values: Sequence[date | None]) -> Any:
    """Dates as a ``datetime64[ns]`` index, whatever unit the pandas version prefers."""
    return pandas().to_datetime(list(values)).as_unit("ns")


Labels: TypeAlias = Literal["en", "zh"]
"""The language of column labels in frames and HTML tables: the field names, or Chinese."""

LABELS_ZH: dict[str, str] = {
    "period": "期数", "due_date": "还款日", "payment": "月供", "principal": "本金",
    "interest": "利息", "balance": "剩余本金", "rate": "年利率", "prepaid": "提前还本",
    "method": "还款方式", "convention": "计算口径", "loan": "贷款金额", "annual_rate": "年利率",
    "months": "总期数", "first_payment": "首月月供", "last_payment": "末月月供",
    "total_interest": "利息总额", "total_payment": "还款总额", "monthly_decrease": "每月递减",
    "amount": "提前还本金额", "total": "合计", "new_balance": "变更后贷款余额",
    "remaining_months": "剩余期数", "maturity": "到期日期", "interest_saved": "节省利息",
    "days": "计息天数", "mode": "提前还款方式",
    "equal_installment": "等额本息", "equal_principal": "等额本金", "lump_sum": "到期一次还本付息",
    "lower_payment": "减少月供", "shorten_term": "缩短期限",
}
"""Chinese labels of the fields and choices users see (a name not listed keeps its own)."""

_YUAN = {"en": " (yuan)", "zh": "（元）"}
"""The unit in the heading of a column of amounts."""
_UNIT = {"en": " yuan", "zh": " 元"}
"""The unit after an amount in a summary."""
_RATES = frozenset({"annual_rate", "rate", "new_rate"})


def label(name: str, labels: str) -> str:
    """The label of a field or choice: itself, or its Chinese name with ``labels="zh"``.

    >>> label("payment", "zh"), label("balance", "zh"), label("payment", "en")
    ('月供', '剩余本金', 'payment')
    >>> label("payment", "fr")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: labels='fr' is out of range: expected 'en' or 'zh'
    """
    if labels == "zh":
        return LABELS_ZH.get(name, name)
    if labels != "en":
        from gjjcalc.errors import InputError  # here: errors is a leaf, imported when needed

        raise InputError("labels", labels, "'en' or 'zh'")
    return name


class HTML(str):
    """HTML text that a notebook shows as a table when it is a cell's value (``_repr_html_``).

    It is a ``str``: write it to a file or send it as it is.

    >>> HTML("<b>3,362.48</b>")._repr_html_()
    '<b>3,362.48</b>'
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def _is_money(value: object) -> bool:
    """A money amount: a ``Decimal`` quantized to the fen (every amount gjjcalc returns)."""
    return isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent == -2


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def _percent(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _cell(value: object, exact: bool) -> object:
    if isinstance(value, Decimal) and not exact:
        return float(value)
    if isinstance(value, Enum) or _is_convention(value):
        return value.value  # type: ignore[attr-defined]
    return value


def _fields(record: object) -> dict[str, object]:
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    if hasattr(record, "_asdict"):
        return dict(record._asdict())
    raise TypeError(f"not a record: {type(record).__name__}")


def _scalars(record: object) -> dict[str, object]:
    """The fields that are single values (tuples of limits or reasons are tables of their own)."""
    return {k: v for k, v in _fields(record).items() if not isinstance(v, tuple | list)}


def record_frame(record: object, *, exact: bool = False) -> Any:
    """A one-row DataFrame of a result record, one column per scalar field.

    >>> from gjjcalc import payoff
    >>> q = payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
    >>> record_frame(q).to_dict("records")
    [{'principal': 646609.84, 'interest': 700.49, 'total': 647310.33, 'days': 12}]
    """
    pd = pandas()
    row = {k: _cell(v, exact) for k, v in _scalars(record).items()}
    frame = pd.DataFrame([row])
    annotations = {f.name: str(f.type) for f in dataclasses.fields(record)} if dataclasses.is_dataclass(record) else {}
    for name, value in row.items():
        # a date field is datetime64 even when it is None (NaT), so dtypes never depend on the data
        if isinstance(value, date) or (value is None and "date" in annotations.get(name, "")):
            frame[name] = dates([value])
    return frame


def rows_frame(
    rows: Sequence[object], columns: Sequence[str], *, exact: bool = False, **extra: Sequence[object]
) -> Any:
    """A DataFrame of records (limits, reasons …), one row each, with the named columns.

    ``extra`` adds columns given as whole sequences.

    >>> from gjjcalc.rules.results import Reason
    >>> rows_frame([Reason("multiple", Decimal("1000"), "a manual", "m")], ["name", "value"]).to_dict("records")
    [{'name': 'multiple', 'value': 1000.0}]
    """
    pd = pandas()
    data: dict[str, list[object]] = {c: [_cell(getattr(r, c), exact) for r in rows] for c in columns}
    for name, values in extra.items():
        data[name] = list(values)
    return pd.DataFrame(data, columns=[*columns, *extra])


def _is_convention(value: object) -> bool:
    from gjjcalc.conventions import Convention  # here: conventions is imported lazily by callers

    return isinstance(value, Convention)


def _text(value: object, labels: str = "en", *, name: str = "", unit: bool = False) -> str:
    """A value as table text: amounts with thousands separators (and `` yuan`` / `` 元`` when
    ``unit``), the rate fields in per cent, dates ISO, choices by their (Chinese) name."""
    if isinstance(value, Enum) or _is_convention(value):
        value = value.value  # type: ignore[attr-defined]
    if isinstance(value, str) and labels == "zh":
        value = LABELS_ZH.get(value, value)
    if name in _RATES and isinstance(value, Decimal) and value.is_finite():
        value = _percent(value)
    elif isinstance(value, Decimal) and _is_money(value):
        value = _amount(value) + (_UNIT[labels] if unit else "")
    if isinstance(value, date):
        value = value.isoformat()
    return html.escape(str(value))


def record_html(title: str, record: object, *, labels: str = "en") -> str:
    """An HTML table of a record's fields (name, value): a result at a glance.

    >>> from gjjcalc import payoff
    >>> q = payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
    >>> "<td>647,310.33 yuan</td>" in record_html("PayoffQuote", q)
    True
    >>> "<th>合计</th><td>647,310.33 元</td>" in record_html("PayoffQuote", q, labels="zh")
    True
    """
    return table_html(title, _scalars(record), (), (), labels=labels)


def table_html(
    title: str,
    summary: Mapping[str, object],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    head: int = 5,
    tail: int = 5,
    labels: str = "en",
) -> str:
    """An HTML summary (name, value pairs) and, below it, the first and last rows of a table.

    When there are more than ``head + tail`` rows the middle is elided with a
    row of "…" and the count of rows is stated; only the rows shown are read
    from ``rows`` (its ``len`` and two slices), so a sequence that builds its
    rows on demand costs the same for ten rows or a million.

    Amounts (``Decimal`` to the fen) show with thousands separators, in the
    summary with their unit (``690,000.00 yuan``) and in the table with the
    unit in the column's heading (``payment (yuan)``); the rate fields show in
    per cent; counts from 10,000 up with separators. ``labels="zh"`` labels
    the fields and choices in Chinese (期数, 还款日, 月供, 本金, 利息, 剩余本金 …,
    amounts in 元).

    >>> text = table_html("Schedule", {"months": 12}, ["period"], [[k] for k in range(1, 13)])
    >>> text.count("<tr>"), "12 rows" in text
    (13, True)
    >>> text = table_html("Schedule", {"loan": Decimal("690000.00"), "annual_rate": Decimal("0.0325")},
    ...                   ["period", "payment"], [[1, Decimal("3362.48")]], labels="zh")
    >>> "<th>贷款金额</th><td>690,000.00 元</td>" in text, "<td>3.25%</td>" in text
    (True, True)
    >>> "<th>月供（元）</th>" in text, "<td>3,362.48</td>" in text, "共 1 期" in text
    (True, True, True)
    """
    label("", labels)  # refuses anything but "en" and "zh"
    out = [f"<div><strong>{html.escape(title)}</strong>"]
    if summary:
        out.append("<table>")
        out.extend(
            f"<tr><th>{html.escape(label(k, labels))}</th><td>{_text(v, labels, name=k, unit=True)}</td></tr>"
            for k, v in summary.items()
        )
        out.append("</table>")
    if columns:
        # only the rows shown are read: ``rows`` may build each row on demand
        shown: list[Sequence[object] | None]
        if len(rows) > head + tail:
            shown = [*rows[:head], None, *rows[len(rows) - tail :]]
        else:
            shown = list(rows)
        present = [r for r in shown if r is not None]
        money = [bool(present) and all(_is_money(r[j]) for r in present) for j in range(len(columns))]
        if labels == "zh":
            count = f"共 {len(rows):,} 期" if "period" in columns else f"共 {len(rows):,} 行"
        else:
            count = f"{len(rows)} row{'' if len(rows) == 1 else 's'}"
        out.append(f"<p>{count}</p><table><thead><tr>")
        out.extend(
            f"<th>{html.escape(label(c, labels) + (_YUAN[labels] if is_money else ''))}</th>"
            for c, is_money in zip(columns, money, strict=True)
        )
        out.append("</tr></thead><tbody>")
        for row in shown:
            cells = ["…"] * len(columns) if row is None else [
                _text(v, labels, name=c) for c, v in zip(columns, row, strict=True)]
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
    out.append("</div>")
    return "".join(out)


# --- JSON: what a service sends --------------------------------------------------------------


def jsonable(value: object) -> Any:
    """A result as JSON-ready values: ``dict``, ``list``, ``str``, ``int``, ``bool`` and ``None``.

    ``Decimal`` becomes its exact decimal string (money is quantized to the
    fen, so it has two places: ``"3362.48"``; a rate keeps its digits:
    ``"0.0325"``), dates and times their ISO text, enums their value,
    records (dataclasses and NamedTuples) a dict of their fields, tuples and
    lists a list, a :class:`gjjcalc.Schedule` the dict of
    :func:`schedule_dict`, numpy arrays and scalars their Python values.
    In a batch result (a NamedTuple of arrays) the float arrays are amounts
    in yuan rounded to the fen: lists of two-place strings. Floats and other
    JSON types are kept as they are.

    >>> from gjjcalc import payoff
    >>> jsonable(payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29"))
    {'principal': '646609.84', 'interest': '700.49', 'total': '647310.33', 'days': 12}
    >>> jsonable(object())
    Traceback (most recent call last):
    ...
    TypeError: Object of type object is not JSON serializable by gjjcalc
    """
    if isinstance(value, Enum):  # before str: the enums are str enums
        return jsonable(value.value)
    from gjjcalc.conventions import Convention

    if isinstance(value, Convention):  # a preset by name, a custom one by its choices
        return value.preset or value.choices()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")  # exact, never an exponent ('1E+3')
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "_asdict"):  # a NamedTuple: a dict, not the list json gives a tuple
        # a batch result's float arrays are amounts in yuan, to the fen: exact strings
        return {str(k): _amount_strings(v) if _float_array(v) else jsonable(v)
                for k, v in value._asdict().items()}
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    from gjjcalc.amortize.schedule import Schedule  # here: that module imports this one

    if isinstance(value, Schedule):
        return schedule_dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "tolist") and hasattr(value, "dtype"):  # numpy, without importing it
        return jsonable(value.tolist())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable by gjjcalc")


def _float_array(value: object) -> bool:
    dtype = getattr(value, "dtype", None)
    return hasattr(value, "ndim") and getattr(dtype, "kind", "") == "f"


def _amount_strings(values: Any) -> Any:
    """A float array of amounts rounded to the fen as nested lists of two-place strings.

    >>> import numpy as np
    >>> _amount_strings(np.array([[3362.48, -0.0], [0.1 + 0.2, 1e6]]))
    [['3362.48', '0.00'], ['0.30', '1000000.00']]
    """
    if values.ndim == 0:
        return f"{float(values) + 0.0:.2f}"  # + 0.0: no '-0.00'
    if values.ndim > 1:
        return [_amount_strings(row) for row in values]
    return [f"{x + 0.0:.2f}" for x in values.tolist()]


def json_default(value: object) -> Any:
    """The ``default=`` of :func:`json.dumps` for gjjcalc results: amounts stay exact strings.

    ``json.dumps(result, default=gjjcalc.json_default)`` encodes any result
    (a Schedule, a LoanState, a PrepaymentResult, a rule result …) or a dict
    and list holding them; ``Decimal`` becomes its exact string, never a
    float. Anything else raises :class:`TypeError`, as ``json`` expects.
    (``json`` itself writes a bare NamedTuple such as a
    :class:`gjjcalc.Row` as a list; :func:`to_json` writes it as an object.)

    >>> import json
    >>> from decimal import Decimal
    >>> json.dumps({"payment": Decimal("3362.48")}, default=json_default)
    '{"payment": "3362.48"}'
    >>> json.dumps({"when": object()}, default=json_default)
    Traceback (most recent call last):
    ...
    TypeError: Object of type object is not JSON serializable by gjjcalc
    """
    return jsonable(value)


def to_json(value: object, **kwargs: Any) -> str:
    """A result as JSON text, amounts as exact decimal strings (``kwargs`` go to :func:`json.dumps`).

    Chinese stays readable (``ensure_ascii=False`` unless given).

    >>> import gjjcalc
    >>> print(to_json(gjjcalc.payoff(balance=646609.84, annual_rate="3.25%", on="2018-01-10", interest_from="2017-12-29")))
    {"principal": "646609.84", "interest": "700.49", "total": "647310.33", "days": 12}
    """
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(jsonable(value), **kwargs)


def schedule_dict(s: Any) -> dict[str, Any]:
    """A :class:`gjjcalc.Schedule` as JSON-ready values: its summary and one object per row.

    >>> import gjjcalc
    >>> d = schedule_dict(gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28"))
    >>> d["method"], d["loan"], d["annual_rate"], d["total_interest"]
    ('equal_installment', '690000.00', '0.0325', '318744.90')
    >>> d["rows"][0]
    {'period': 1, 'due_date': '2015-09-28', 'payment': '3362.48', 'principal': '1493.73', 'interest': '1868.75', 'balance': '688506.27', 'rate': '0.0325', 'prepaid': '0.00'}
    """
    prepaid = s.prepaid or (Decimal("0.00"),) * s.months
    rows = [{**jsonable(row), "prepaid": jsonable(extra)} for row, extra in zip(s, prepaid, strict=True)]
    return {
        "method": jsonable(s.method),
        "convention": jsonable(s.convention),
        "loan": jsonable(s.loan),
        "annual_rate": jsonable(s.annual_rate),
        "months": s.months,
        "first_payment": jsonable(s.first_payment),
        "last_payment": jsonable(s.last_payment),
        "total_interest": jsonable(s.total_interest),
        "total_payment": jsonable(s.total_payment),
        "monthly_decrease": jsonable(s.monthly_decrease),
        "rows": rows,
    }


def schedule_repr(s: Any) -> str:
    """A short text of a :class:`gjjcalc.Schedule` (its ``repr``): what it is, its first and last rows.

    The whole table is ``s.to_frame()`` (or the notebook's HTML view).

    >>> import gjjcalc
    >>> print(schedule_repr(gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")))
    Schedule(equal_installment, center: 690000.00 at 0.0325 over 300 months;
      first payment 3362.48, total interest 318744.90, total payment 1008744.90;
      period 1 2015-09-28: payment 3362.48 = principal 1493.73 + interest 1868.75, balance 688506.27
      ...
      period 300 2040-08-28: payment 3363.38 = principal 3354.30 + interest 9.08, balance 0.00)
    """
    head = (
        f"Schedule({s.method.value}, {s.convention.value}: {s.loan} at {s.annual_rate} over "
        f"{s.months} month{'' if s.months == 1 else 's'};\n"
        f"  first payment {s.first_payment}, total interest {s.total_interest}, "
        f"total payment {s.total_payment}"
    )
    if s.monthly_decrease is not None:
        head += f", monthly decrease {s.monthly_decrease}"
    prepaid = sum(s.prepaid, Decimal(0))
    if prepaid:
        head += f", prepaid {prepaid}"
    dates: Sequence[date | None] = s.due_dates or [None] * s.months

    def row(k: int) -> str:
        when = "" if dates[k] is None else f" {dates[k].isoformat()}"  # type: ignore[union-attr]
        return (
            f"  period {k + 1}{when}: payment {s.payment[k]} = principal {s.principal[k]} "
            f"+ interest {s.interest[k]}, balance {s.balance[k]}"
        )

    shown = [row(0)]
    if s.months > 2:
        shown.append("  ...")
    if s.months > 1:
        shown.append(row(s.months - 1))
    return head + ";\n" + "\n".join(shown) + ")"


class Record:
    """Mixin of the result records: ``to_frame()`` (one row) and ``_repr_html_``."""

    __slots__ = ()

    def to_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """This result as a one-row pandas DataFrame, a column per field (needs pandas).

        Money is ``float64``, or the exact ``Decimal`` with ``exact=True``;
        a date field is ``datetime64[ns]`` (``NaT`` when absent).

        >>> from gjjcalc import payoff
        >>> q = payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
        >>> q.to_frame(exact=True)["total"].iloc[0]
        Decimal('647310.33')
        """
        return record_frame(self, exact=exact)

    def to_dict(self) -> dict[str, Any]:
        """This result as JSON-ready values: ``Decimal`` as exact strings, dates ISO, enums their value.

        Return it from a web handler (FastAPI sends the strings as they
        are) or pass it to :func:`json.dumps`.

        >>> from gjjcalc import payoff
        >>> payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29").to_dict()
        {'principal': '646609.84', 'interest': '700.49', 'total': '647310.33', 'days': 12}
        """
        out: dict[str, Any] = jsonable(self)
        return out

    def _repr_html_(self) -> str:
        return record_html(type(self).__name__, self)


class Ruled:
    """Mixin of the rule results: a table of their ``limits`` or ``reasons``."""

    __slots__ = ()
    _table: ClassVar[str] = "limits"

    def to_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """The limits considered (amount rules) or the reasons (check rules), one row each.

        Amount rules give columns ``name``, ``value``, ``source``, ``detail``
        and ``binding`` (true for the limit that set the amount); check rules
        give ``name``, ``value``, ``source``, ``message``. The result's
        scalar fields (``ok``, ``amount`` …) are in ``frame.attrs``.

        >>> from gjjcalc.rules import loan_quota
        >>> frame = loan_quota("liangshan", area="西昌市", house_price=5_000_000).to_frame()
        >>> frame.loc[frame["binding"], ["name", "value"]].values.tolist()
        [['region_cap', 600000.0]]
        """
        rows = getattr(self, self._table)
        if self._table == "limits":
            binding = getattr(self, "binding", None)
            frame = rows_frame(
                rows, ["name", "value", "source", "detail"], exact=exact,
                binding=[r.name == binding for r in rows],
            )
        else:
            frame = rows_frame(rows, ["name", "value", "source", "message"], exact=exact)
        frame.attrs.update(self._summary())
        return frame

    def to_dict(self) -> dict[str, Any]:
        """This result as JSON-ready values: every field, ``ok``, and its limits or reasons as objects.

        >>> from gjjcalc.rules import loan_quota
        >>> d = loan_quota("liangshan", area="西昌市", house_price=5_000_000).to_dict()
        >>> d["amount"], d["binding"], d["ok"], d["limits"][0]["value"]
        ('600000.00', 'region_cap', True, '600000.00')
        """
        out: dict[str, Any] = jsonable(self)
        out["ok"] = jsonable(getattr(self, "ok", None))
        return out

    def _summary(self) -> dict[str, object]:
        summary = _scalars(self)
        summary["ok"] = getattr(self, "ok", None)
        return summary

    def _repr_html_(self) -> str:
        rows = getattr(self, self._table)
        if self._table == "limits":
            columns = ["name", "value", "source"]
        else:
            columns = ["name", "value", "message", "source"]
        table = [[getattr(r, c) for c in columns] for r in rows]
        return table_html(type(self).__name__, self._summary(), columns, table, head=20, tail=5)
