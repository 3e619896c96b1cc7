"""How results show themselves in a notebook: pandas frames and HTML tables.

pandas is an optional extra (``pip install gjjcalc[pandas]``); it is imported
only when a ``to_frame`` method runs. The HTML needs nothing but the standard
library, so ``_repr_html_`` works in any Jupyter kernel.

Money columns of a frame are ``float64`` by default (what plots and
arithmetic in pandas expect; every value has at most two decimals and prints
back exactly) or the exact ``Decimal`` objects with ``exact=True``
(``object`` dtype).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar

__all__ = ["Record", "Ruled", "dates", "pandas", "record_frame", "record_html", "rows_frame", "table_html"]


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


def _cell(value: object, exact: bool) -> object:
    if isinstance(value, Decimal) and not exact:
        return float(value)
    if isinstance(value, Enum):
        return value.value
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


def _text(value: object) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, date):
        value = value.isoformat()
    return html.escape(str(value))


def record_html(title: str, record: object) -> str:
    """An HTML table of a record's fields (name, value): a result at a glance.

    >>> from gjjcalc import payoff
    >>> q = payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
    >>> "<td>647310.33</td>" in record_html("PayoffQuote", q)
    True
    """
    return table_html(title, _scalars(record), (), ())


def table_html(
    title: str,
    summary: Mapping[str, object],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    head: int = 5,
    tail: int = 5,
) -> str:
    """An HTML summary (name, value pairs) and, below it, the first and last rows of a table.

    When there are more than ``head + tail`` rows the middle is elided with a
    row of "…" and the count of rows is stated.

    >>> text = table_html("Schedule", {"months": 12}, ["period"], [[k] for k in range(1, 13)])
    >>> text.count("<tr>"), "12 rows" in text
    (13, True)
    """
    out = [f"<div><strong>{html.escape(title)}</strong>"]
    if summary:
        out.append("<table>")
        out.extend(f"<tr><th>{_text(k)}</th><td>{_text(v)}</td></tr>" for k, v in summary.items())
        out.append("</table>")
    if columns:
        shown: list[Sequence[object] | None] = list(rows)
        if len(rows) > head + tail:
            shown = [*rows[:head], None, *rows[len(rows) - tail :]]
        out.append(f"<p>{len(rows)} row{'' if len(rows) == 1 else 's'}</p><table><thead><tr>")
        out.extend(f"<th>{_text(c)}</th>" for c in columns)
        out.append("</tr></thead><tbody>")
        for row in shown:
            cells = ["…"] * len(columns) if row is None else [_text(v) for v in row]
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
    out.append("</div>")
    return "".join(out)


class Record:
    """Mixin of the result records: ``to_frame()`` (one row) and ``_repr_html_``."""

    __slots__ = ()

    def to_frame(self, *, exact: bool = False) -> Any:
        """This result as a one-row pandas DataFrame, a column per field (needs pandas).

        Money is ``float64``, or the exact ``Decimal`` with ``exact=True``;
        a date field is ``datetime64[ns]`` (``NaT`` when absent).

        >>> from gjjcalc import payoff
        >>> q = payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
        >>> q.to_frame(exact=True)["total"].iloc[0]
        Decimal('647310.33')
        """
        return record_frame(self, exact=exact)

    def _repr_html_(self) -> str:
        return record_html(type(self).__name__, self)


class Ruled:
    """Mixin of the rule results: a table of their ``limits`` or ``reasons``."""

    __slots__ = ()
    _table: ClassVar[str] = "limits"

    def to_frame(self, *, exact: bool = False) -> Any:
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
