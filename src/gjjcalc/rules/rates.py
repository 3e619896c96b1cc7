"""Interest rates (利率): provident fund benchmarks, the LPR, and repricing.

The rates are data, not code: ``data/provident_rates.csv`` holds the
provident fund loan benchmark (公积金贷款利率) by effective date, both tiers,
first and second home; ``data/lpr.csv`` holds the loan prime rate
(贷款市场报价利率) from 2019-08-20 on. Each row names its sources (keys such as ``JS5``
or ``X24``, listed with their documents and URLs under Sources in the
Rates guide) and a confidence mark. The shipped tables are read on first
use, validated and cached; a caller can pass its own :class:`RateTable` or
:class:`LprTable` through ``table=``.

Rules (sources per rule in the Rates guide):

- an effective date applies from that day on; a new loan takes the rate in
  force on its release (放款) date;
- a term of at most 60 months uses the ≤5-year tier, a longer one the
  tier above 5 years;
- an existing loan of more than 12 months moves to a new benchmark on a
  repricing date (:class:`Repricing`); a loan of 12 months or less keeps its
  contract rate.

Rates are exact ``Decimal`` values built from the CSV strings, never through
a float. Only :func:`provident_rates` (the batch lookup) returns floats, and
it imports numpy on its first call so that importing this module stays light.
"""

from __future__ import annotations

import csv
import functools
import io
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from os import PathLike
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from dateutil.relativedelta import relativedelta

from gjjcalc import _deprecated
from gjjcalc.conventions import parse_enum
from gjjcalc.errors import InputError
from gjjcalc.money import EXACT, MAX_MONTHS, finite_decimal, to_date, to_flag, to_months, to_rate
from gjjcalc.rules.packs import _read_text

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MAX_TABLE_RATE",
    "SHORT_LOAN_MONTHS",
    "TIER_MONTHS",
    "LprRow",
    "LprTable",
    "RateRow",
    "RateTable",
    "Repricing",
    "Tenor",
    "default_lpr_table",
    "default_rate_table",
    "loan_rate",
    "lpr",
    "provident_rate",
    "provident_rates",
    "repricing_date",
    "repricing_dates",
]

TIER_MONTHS = 60
"""Longest term, in months, that uses the ≤5-year tier (五年以下含五年)."""
SHORT_LOAN_MONTHS = 12
"""Longest term, in months, that keeps its contract rate for life (1 year, 含1年)."""
MAX_TABLE_RATE = Decimal("0.2")
"""Largest rate a table may hold (20% a year): anything above is a typo, e.g. ``3.25``."""

_CONFIDENCE = ("", "H", "M", "L")
_RATE_COLUMNS = ("effective", "le5y", "gt5y", "second_le5y", "second_gt5y", "source", "confidence")
_RATE_REQUIRED = ("effective", "le5y", "gt5y", "source")
_LPR_COLUMNS = ("effective", "lpr_1y", "lpr_5y", "source", "confidence")
_LPR_REQUIRED = ("effective", "lpr_1y", "lpr_5y", "source")
_MARKUP_ALLOWED = "a markup (上浮比例) from 0 to 1 in finite decimals, e.g. 0 or '10%' (0.1)"


class _RowOnDeprecated(TypedDict, total=False):
    name: str


def _row_on_name(deprecated: Mapping[str, object]) -> str:
    unknown = sorted(set(deprecated) - {"name"})
    if unknown:
        raise TypeError(f"row_on() got an unexpected keyword argument {unknown[0]!r}")
    if "name" in deprecated:
        _deprecated.warn("row_on(on, name=...)", "row_on(on) (the error names 'on')", stacklevel=4)
        return str(deprecated["name"])
    return "on"


class Repricing(StrEnum):
    """When an existing loan moves to a new benchmark (存量贷款利率调整).

    Only loans of more than :data:`SHORT_LOAN_MONTHS` months reprice; the
    rule says on which day a change reaches them.
    """

    NEXT_JANUARY = "next_january"
    """1 January of the year after the change: the national rule (SUZ, A64, BN22, AA24, KC25)."""
    JULY_SAME_YEAR = "july_same_year"
    """1 July of the year of the change: Shenzhen 2024 and 2025 (SZ24, SZ25).

    Both sourced changes took effect in May. For a change effective after
    1 July we use the next 1 July (our extrapolation; no source).
    """
    IMMEDIATE = "immediate"
    """The change's own effective date: for what-if runs; no center is known to do it."""
    NEVER = "never"
    """The contract rate for the whole term (a fixed-rate contract, or a what-if without repricing)."""
    ANNIVERSARY = "anniversary"
    """The first anniversary of the release on or after the change (29 February → 28 February):
    the other repricing day PBoC announcement [2019] No. 16 allows an LPR-priced loan; for a
    provident fund loan a what-if (no center is known to do it). Needs the release date, so
    :func:`repricing_date` refuses it."""


class Tenor(StrEnum):
    """LPR tenor (期限品种)."""

    ONE_YEAR = "1y"
    """The 1-year LPR."""
    FIVE_YEAR = "5y"
    """The over-5-year LPR (5年期以上), the mortgage reference."""


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateRow:
    """One change of the provident fund benchmark, in force from ``effective`` on.

    ``second_le5y`` / ``second_gt5y`` are the second-home (二套) rates, or
    ``None`` where no value is known (asking for one then raises).

    >>> row = default_rate_table().rows[-1]
    >>> row.effective, row.le5y, row.gt5y, row.second_gt5y
    (datetime.date(2025, 5, 8), Decimal('0.021'), Decimal('0.026'), Decimal('0.03075'))
    """

    effective: date
    le5y: Decimal
    gt5y: Decimal
    second_le5y: Decimal | None = None
    second_gt5y: Decimal | None = None
    source: str = ""
    confidence: str = ""

    def rate(self, months: int, *, second_home: bool = False) -> Decimal | None:
        """The rate of this row for a term of ``months``; ``None`` if not known.

        >>> default_rate_table().rows[-1].rate(36)
        Decimal('0.021')
        """
        if second_home:
            return self.second_le5y if months <= TIER_MONTHS else self.second_gt5y
        return self.le5y if months <= TIER_MONTHS else self.gt5y


@dataclass(frozen=True, slots=True)
class LprRow:
    """One LPR fixing that changed a rate, in force from ``effective`` on.

    >>> default_lpr_table().rows[0]
    LprRow(effective=datetime.date(2019, 8, 20), lpr_1y=Decimal('0.0425'), lpr_5y=Decimal('0.0485'), source='LPR-a', confidence='H')
    """

    effective: date
    lpr_1y: Decimal
    lpr_5y: Decimal
    source: str = ""
    confidence: str = ""


def _where(name: str, k: int, column: str, line: int | None = None) -> str:
    at = f"row {k}" if line is None else f"row {k} (line {line})"
    return f"{name} {at}, column {column}"


def _check_rate(value: object, where: str, *, required: bool) -> None:
    allowed = f"a rate from 0 to {MAX_TABLE_RATE} as a Decimal (e.g. 0.0325)"
    if value is None:
        if required:
            raise InputError(where, value, allowed)
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InputError(where, value, allowed)
    try:  # bounded digits and exponent, so that no later conversion can expand them
        to_rate(value, where)
    except InputError:
        raise InputError(where, value, allowed) from None
    if not 0 <= value <= MAX_TABLE_RATE:
        raise InputError(where, value, allowed)


def _check_common(
    effective: object, source: object, confidence: object, prev: date | None, where: str
) -> None:
    if not isinstance(effective, date):
        raise InputError(where + "effective", effective, "a datetime.date")
    if prev is not None and effective <= prev:
        raise InputError(
            where + "effective",
            effective.isoformat(),
            f"a date after {prev.isoformat()} (effective dates strictly ascending)",
        )
    if not isinstance(source, str) or not source.strip():
        raise InputError(where + "source", source, "a non-empty source (a document key or a URL)")
    if confidence not in _CONFIDENCE:
        raise InputError(where + "confidence", confidence, "one of 'H', 'M', 'L' or empty")


def _check_rows(rows: object, cls: type[Any], name: str) -> tuple[Any, ...]:
    if not isinstance(rows, Iterable):
        raise InputError(f"{name} rows", rows, f"a sequence of {cls.__name__}")
    items: tuple[Any, ...] = tuple(rows)
    if not items:
        raise InputError(f"{name} rows", items, "at least one row")
    for k, row in enumerate(items, 1):
        if not isinstance(row, cls):
            raise InputError(f"{name} row {k}", row, f"a {cls.__name__}")
    return items


@dataclass(frozen=True, slots=True)
class RateTable:
    """A provident fund benchmark table: rows of :class:`RateRow`, validated.

    Validation: at least one row; effective dates strictly ascending; every
    rate a ``Decimal`` from 0 to :data:`MAX_TABLE_RATE`; ``le5y``, ``gt5y``
    and ``source`` present; ``confidence`` one of H, M, L or empty. A failure
    raises :class:`~gjjcalc.errors.InputError` naming the table, the row
    (1 = the first data row) and the column.

    Examples
    --------
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> table = RateTable(
    ...     (RateRow(date(2030, 1, 1), Decimal("0.02"), Decimal("0.025"), source="what-if"),),
    ...     name="scenario",
    ... )
    >>> provident_rate("2031-06-01", 360, table=table)
    Decimal('0.025')
    >>> RateTable((RateRow(date(2030, 1, 1), Decimal("2.5"), Decimal("0.025"), source="x"),))
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: RateTable row 1, column le5y=Decimal('2.5') is out of range: expected a rate from 0 to 0.2 as a Decimal (e.g. 0.0325)
    """

    rows: tuple[RateRow, ...]
    name: str = "RateTable"
    _effective: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rows = _check_rows(self.rows, RateRow, self.name)
        prev: date | None = None
        for k, row in enumerate(rows, 1):
            where = _where(self.name, k, "")
            _check_common(row.effective, row.source, row.confidence, prev, where)
            _check_rate(row.le5y, where + "le5y", required=True)
            _check_rate(row.gt5y, where + "gt5y", required=True)
            _check_rate(row.second_le5y, where + "second_le5y", required=False)
            _check_rate(row.second_gt5y, where + "second_gt5y", required=False)
            prev = row.effective
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "_effective", tuple(r.effective for r in rows))

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, str | None]], *, name: str) -> RateTable:
        """Build a table from rows of strings, as read from a CSV file.

        Columns: ``effective`` (ISO date), ``le5y``, ``gt5y``,
        ``second_le5y``, ``second_gt5y`` (rates such as ``0.0325`` or
        ``3.25%``; the second-home ones may be empty), ``source``,
        ``confidence`` (H, M, L or empty; the column may be absent).

        >>> t = RateTable.from_records(
        ...     [{"effective": "2030-01-01", "le5y": "2%", "gt5y": "2.5%", "source": "what-if"}],
        ...     name="scenario",
        ... )
        >>> t.rows[0].gt5y
        Decimal('0.025')
        """
        parsed = _parse_records(records, name, _RATE_COLUMNS, _RATE_REQUIRED)
        return cls(tuple(RateRow(**rec) for rec in parsed), name=name)

    @classmethod
    def from_csv(
        cls, path: str | PathLike[str] | Traversable, *, name: str | None = None
    ) -> RateTable:
        """Read and validate a table from a UTF-8 CSV file (see :meth:`from_records`).

        ``name`` (default: the path) is used in error messages. Unknown
        columns are refused, so that a misspelt header cannot be ignored.
        A file that cannot be read (not found, a directory, permission
        denied, larger than 1 MiB, not UTF-8) is a
        :class:`~gjjcalc.rules.packs.FileInputError` naming it; a rate cell
        goes through :func:`~gjjcalc.money.to_rate` (bounded digits and
        exponent) before it is read.

        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = pathlib.Path(tmp, "rates.csv")
        ...     _ = p.write_text("effective,le5y,gt5y,source\\n2030-01-01,0.02,0.025,what-if\\n")
        ...     RateTable.from_csv(p, name="rates.csv").rows[0].le5y
        Decimal('0.02')
        """
        label = str(path) if name is None else name
        records, lines = _read_csv(path, label, _RATE_COLUMNS, _RATE_REQUIRED)
        parsed = _parse_records(records, label, _RATE_COLUMNS, _RATE_REQUIRED, lines)
        return cls(tuple(RateRow(**rec) for rec in parsed), name=label)

    def row_on(self, on: object, **deprecated: Unpack[_RowOnDeprecated]) -> RateRow:
        """The row in force on ``on`` (an effective date applies from that day on).

        (``name=``, the argument name for the error message, is deprecated.)

        Raises
        ------
        InputError
            If ``on`` is before the first row.

        >>> default_rate_table().row_on("2015-08-26").gt5y
        Decimal('0.0325')
        >>> default_rate_table().row_on("2015-08-25").gt5y
        Decimal('0.035')
        """
        return self._row_on(on, _row_on_name(deprecated))

    def _row_on(self, on: object, name: str) -> RateRow:
        day = to_date(on, name)
        i = bisect_right(self._effective, day) - 1
        if i < 0:
            first = self._effective[0].isoformat()
            raise InputError(name, on, f"a date on or after {first} (the first row of {self.name})")
        return self.rows[i]


@dataclass(frozen=True, slots=True)
class LprTable:
    """An LPR table: rows of :class:`LprRow`, validated like :class:`RateTable`.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> t = LprTable((LprRow(date(2030, 1, 20), Decimal("0.03"), Decimal("0.034"), "what-if"),))
    >>> lpr("2030-02-01", "5y", table=t)
    Decimal('0.034')
    """

    rows: tuple[LprRow, ...]
    name: str = "LprTable"
    _effective: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rows = _check_rows(self.rows, LprRow, self.name)
        prev: date | None = None
        for k, row in enumerate(rows, 1):
            where = _where(self.name, k, "")
            _check_common(row.effective, row.source, row.confidence, prev, where)
            _check_rate(row.lpr_1y, where + "lpr_1y", required=True)
            _check_rate(row.lpr_5y, where + "lpr_5y", required=True)
            prev = row.effective
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "_effective", tuple(r.effective for r in rows))

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, str | None]], *, name: str) -> LprTable:
        """Build a table from rows of strings (columns ``effective, lpr_1y, lpr_5y, source[, confidence]``).

        >>> LprTable.from_records(
        ...     [{"effective": "2030-01-20", "lpr_1y": "3%", "lpr_5y": "3.4%", "source": "x"}],
        ...     name="scenario",
        ... ).rows[0].lpr_5y
        Decimal('0.034')
        """
        parsed = _parse_records(records, name, _LPR_COLUMNS, _LPR_REQUIRED)
        return cls(tuple(LprRow(**rec) for rec in parsed), name=name)

    @classmethod
    def from_csv(
        cls, path: str | PathLike[str] | Traversable, *, name: str | None = None
    ) -> LprTable:
        """Read and validate an LPR table from a UTF-8 CSV file.

        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = pathlib.Path(tmp, "lpr.csv")
        ...     _ = p.write_text("effective,lpr_1y,lpr_5y,source\\n2030-01-20,0.03,0.034,x\\n")
        ...     LprTable.from_csv(p).rows[0].lpr_1y
        Decimal('0.03')
        """
        label = str(path) if name is None else name
        records, lines = _read_csv(path, label, _LPR_COLUMNS, _LPR_REQUIRED)
        parsed = _parse_records(records, label, _LPR_COLUMNS, _LPR_REQUIRED, lines)
        return cls(tuple(LprRow(**rec) for rec in parsed), name=label)

    def row_on(self, on: object, **deprecated: Unpack[_RowOnDeprecated]) -> LprRow:
        """The fixing in force on ``on`` (``name=`` is deprecated, as for :meth:`RateTable.row_on`).

        >>> default_lpr_table().row_on("2024-10-20").lpr_5y
        Decimal('0.0385')
        """
        return self._row_on(on, _row_on_name(deprecated))

    def _row_on(self, on: object, name: str) -> LprRow:
        day = to_date(on, name)
        i = bisect_right(self._effective, day) - 1
        if i < 0:
            first = self._effective[0].isoformat()
            raise InputError(name, on, f"a date on or after {first} (the first row of {self.name})")
        return self.rows[i]


def _read_csv(
    path: str | PathLike[str] | Traversable,
    label: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
) -> tuple[list[dict[str | None, Any]], list[int]]:
    """The records of a CSV file and the line each one ends on; the header checked.

    A file that cannot be read (missing, a directory, not permitted, not
    UTF-8) is a :class:`~gjjcalc.rules.packs.FileInputError` naming ``label``.
    """
    records: list[dict[str | None, Any]] = []
    lines: list[int] = []
    text = _read_text(path, label, "a readable UTF-8 CSV file of rates")
    with io.StringIO(text.removeprefix("\ufeff"), newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames
        expected = f"a header with the columns {', '.join(required)} and optionally {', '.join(c for c in columns if c not in required)}"
        if header is None:
            raise InputError(f"{label} header", None, expected)
        names = [h.strip() for h in header]
        if any(c not in names for c in required) or any(h not in columns for h in names):
            raise InputError(f"{label} header", ",".join(header), expected)
        reader.fieldnames = names
        for rec in reader:
            records.append(dict(rec))
            lines.append(reader.line_num)
    return records, lines


def _parse_rate(text: str, where: str) -> Decimal:
    allowed = f"a rate from 0 to {MAX_TABLE_RATE} such as 0.0325 or 3.25%"
    body = text.strip()
    try:
        # Bounded digits and exponent first: "1e999999999" is refused before any arithmetic.
        to_rate(body, where)
        value = Decimal(body[:-1].strip()).scaleb(-2, EXACT) if body.endswith("%") else Decimal(body)
    except (InputError, InvalidOperation):
        raise InputError(where, text, allowed) from None
    if not value.is_finite() or not 0 <= value <= MAX_TABLE_RATE:
        raise InputError(where, text, allowed)
    return value


def _parse_records(
    records: Iterable[Mapping[Any, Any]],
    name: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    lines: list[int] | None = None,
) -> list[dict[str, Any]]:
    parsed: list[dict[str, Any]] = []
    if not isinstance(records, Iterable) or isinstance(records, str | bytes | Mapping):
        raise InputError(f"{name} records", records, "an iterable of mappings (column -> text)")
    for k, rec in enumerate(records, 1):
        line = lines[k - 1] if lines is not None else None
        if not isinstance(rec, Mapping):
            raise InputError(f"{name} row {k}", rec, "a mapping (column -> text)")
        unknown = [c for c in rec if c not in columns]
        if unknown:
            col = "(extra cells)" if unknown[0] is None else str(unknown[0])
            raise InputError(
                _where(name, k, col, line),
                rec[unknown[0]],
                f"only the columns {', '.join(columns)}",
            )
        out: dict[str, Any] = {}
        for col in columns:
            raw = rec.get(col)
            where = _where(name, k, col, line)
            if raw is not None and not isinstance(raw, str):  # never dropped as if empty
                raise InputError(where, raw, "text (a cell as read from a CSV file) or None")
            text = raw.strip() if raw is not None else ""
            if not text:
                if col in required:
                    raise InputError(where, raw, "a value: this column is required")
                out[col] = None if col not in ("source", "confidence") else ""
            elif col == "effective":
                try:
                    out[col] = date.fromisoformat(text)
                except ValueError:
                    raise InputError(where, raw, "a date written YYYY-MM-DD") from None
            elif col in ("source", "confidence"):
                out[col] = text
            else:
                out[col] = _parse_rate(text, where)
        parsed.append(out)
    if not parsed:
        raise InputError(f"{name} rows", 0, "at least one data row")
    # Row-level checks (order, confidence) with the same row/line naming.
    prev: date | None = None
    for k, out in enumerate(parsed, 1):
        line = lines[k - 1] if lines is not None else None
        _check_common(
            out["effective"], out["source"], out["confidence"], prev, _where(name, k, "", line)
        )
        prev = out["effective"]
    return parsed


@functools.cache
def default_rate_table() -> RateTable:
    """The shipped provident fund benchmark table (``data/provident_rates.csv``), read once.

    >>> t = default_rate_table()
    >>> t.rows[0].effective, len(t.rows) >= 16
    (datetime.date(2006, 4, 28), True)
    """
    resource = resources.files("gjjcalc.rules") / "data" / "provident_rates.csv"
    return RateTable.from_csv(resource, name="gjjcalc/rules/data/provident_rates.csv")


@functools.cache
def default_lpr_table() -> LprTable:
    """The shipped LPR table (``data/lpr.csv``), read once.

    >>> default_lpr_table().rows[0].effective
    datetime.date(2019, 8, 20)
    """
    resource = resources.files("gjjcalc.rules") / "data" / "lpr.csv"
    return LprTable.from_csv(resource, name="gjjcalc/rules/data/lpr.csv")


# ---------------------------------------------------------------------------
# Argument coercion
# ---------------------------------------------------------------------------


def _to_bool(value: object, name: str) -> bool:
    return to_flag(value, name)


def _to_markup(value: object) -> Decimal:
    try:
        frac = to_rate(value, "markup", what="a markup")
    except InputError:
        raise InputError("markup", value, _MARKUP_ALLOWED) from None
    exact = finite_decimal(frac)
    if exact is None:
        raise InputError("markup", value, _MARKUP_ALLOWED)
    return exact


def _apply_markup(rate: Decimal, markup: Decimal) -> Decimal:
    if not markup:
        return rate
    return EXACT.multiply(rate, EXACT.add(Decimal(1), markup))  # exact: EXACT holds every digit


def _table(table: RateTable | None) -> RateTable:
    if table is None:
        return default_rate_table()
    if not isinstance(table, RateTable):
        raise InputError("table", table, "a RateTable or None (the shipped table)")
    return table


def _lpr_table(table: LprTable | None) -> LprTable:
    if table is None:
        return default_lpr_table()
    if not isinstance(table, LprTable):
        raise InputError("table", table, "an LprTable or None (the shipped table)")
    return table


def _row_rate(
    row: RateRow, months: int, second_home: bool, table: RateTable, on: object
) -> Decimal:
    value = row.rate(months, second_home=second_home)
    if value is None:
        raise InputError(
            "second_home",
            True,
            f"False for on={on!r}: {table.name} has no second-home rate in its row "
            f"effective {row.effective.isoformat()}",
        )
    return value


# ---------------------------------------------------------------------------
# Public lookups
# ---------------------------------------------------------------------------


def provident_rate(
    on: object, months: object, *, second_home: bool = False, table: RateTable | None = None
) -> Decimal:
    """The provident fund loan benchmark (公积金贷款基准利率) in force on a date.

    Parameters
    ----------
    on : date or 'YYYY-MM-DD'
        The day asked about; an effective date applies from that day on. For
        a new loan, its release date (放款日).
    months : int
        The loan term, 1 to 600. At most 60 months uses the ≤5-year tier
        (五年以下含五年), more the >5-year tier.
    second_home : bool, keyword-only
        Use the second-home (二套) column instead of the first-home one.
    table : RateTable, optional
        A caller's table; by default the shipped ``provident_rates.csv``.

    Returns
    -------
    Decimal
        The annual rate exactly as written in the table (no rounding).

    Raises
    ------
    InputError
        ``on`` before the first row (2006-04-28 in the shipped table);
        ``months`` outside 1..600; ``second_home=True`` where the table knows
        no second-home rate (before 2010-12-26 in the shipped table).

    Notes
    -----
    Tiers and dates: the sources per row in the CSV (listed in the Rates guide).
    Before 2022-10-01 the second-home rate was 1.1 × the first-home rate;
    since then it is its own value (3.025% / 3.575% kept on 2022-10-01).

    Examples
    --------
    >>> provident_rate("2018-01-01", 300)
    Decimal('0.0325')
    >>> provident_rate("2023-01-01", 120, second_home=True)
    Decimal('0.03575')
    >>> provident_rate("2025-05-07", 36), provident_rate("2025-05-08", 36)
    (Decimal('0.0235'), Decimal('0.021'))
    >>> provident_rate("2007-01-01", 120), provident_rate("2007-09-15", 120)
    (Decimal('0.0459'), Decimal('0.0522'))
    >>> provident_rate("2006-01-01", 120)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: on='2006-01-01' is out of range: expected a date on or after 2006-04-28 (the first row of gjjcalc/rules/data/provident_rates.csv)
    """
    tbl = _table(table)
    n = to_months(months)
    second = _to_bool(second_home, "second_home")
    return _row_rate(tbl.row_on(on), n, second, tbl, on)


def lpr(on: object, tenor: Tenor | str, *, table: LprTable | None = None) -> Decimal:
    """The loan prime rate (贷款市场报价利率, LPR) in force on a date.

    Parameters
    ----------
    on : date or 'YYYY-MM-DD'
        The day asked about; a fixing applies from its date on.
    tenor : {"1y", "5y"}
        The 1-year or the over-5-year LPR (:class:`Tenor`).
    table : LprTable, optional
        A caller's table; by default the shipped ``lpr.csv`` (from 2019-08-20).

    Returns
    -------
    Decimal
        The annual rate as written in the table.

    Raises
    ------
    InputError
        ``on`` before 2019-08-20 (the first fixing); an unknown tenor.

    Notes
    -----
    Only fixings that changed a rate are stored. The last row
    (2025-05-20) was still in force on 2026-02-24 (LPR-p); dates after the
    last row get the last row.

    Examples
    --------
    >>> lpr("2024-10-21", "5y")
    Decimal('0.036')
    >>> lpr("2020-01-01", Tenor.ONE_YEAR)
    Decimal('0.0415')
    >>> lpr("2020-01-01", "10y")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: tenor='10y' is out of range: expected one of '1y', '5y'
    """
    tbl = _lpr_table(table)
    which = parse_enum(Tenor, tenor, "tenor")
    row = tbl.row_on(on)
    return row.lpr_1y if which is Tenor.ONE_YEAR else row.lpr_5y


def repricing_date(change_effective: object, rule: Repricing | str = Repricing.NEXT_JANUARY) -> date:
    """The day a benchmark change reaches existing loans (存量贷款调整日).

    Parameters
    ----------
    change_effective : date or 'YYYY-MM-DD'
        The effective date of the change.
    rule : Repricing or str
        ``"next_january"`` (1 January of the following year, national rule),
        ``"july_same_year"`` (1 July, Shenzhen; a change after 1 July waits
        for the next 1 July), or ``"immediate"`` (the effective date).

    Returns
    -------
    date

    Raises
    ------
    InputError
        An unknown rule or a bad date.

    Examples
    --------
    >>> repricing_date("2024-05-18")
    datetime.date(2025, 1, 1)
    >>> repricing_date("2024-05-18", "july_same_year")
    datetime.date(2024, 7, 1)
    >>> repricing_date("2024-05-18", "immediate")
    datetime.date(2024, 5, 18)

    ``reprice_on`` is its deprecated name (until gjjcalc 0.3).
    """
    day = to_date(change_effective, "change_effective")
    which = parse_enum(Repricing, rule, "rule")
    if which is Repricing.NEVER or which is Repricing.ANNIVERSARY:
        raise InputError("rule", rule, "'next_january', 'july_same_year' or 'immediate' ('never' has no day; "
                         "'anniversary' depends on the loan's release: see repricing_dates)")
    when = _reprice_day(day, which)
    if when is None:
        raise InputError(
            "change_effective",
            change_effective,
            f"a date whose {which.value} repricing day is in year {date.max.year} or before",
        )
    return when


reprice_on = _deprecated.renamed(repricing_date, "gjjcalc.rules.rates.reprice_on", "gjjcalc.rules.repricing_date")


def _reprice_day(day: date, rule: Repricing, released: date | None = None) -> date | None:
    """The day a change effective on ``day`` reaches existing loans; None past year 9999."""
    if rule is Repricing.IMMEDIATE:
        return day
    if rule is Repricing.ANNIVERSARY:
        assert released is not None
        years = max(day.year - released.year, 1)
        try:
            when = released + relativedelta(years=years)
            return when if when >= day else released + relativedelta(years=years + 1)
        except (ValueError, OverflowError):
            return None
    july = date(day.year, 7, 1)
    if rule is Repricing.JULY_SAME_YEAR and day <= july:
        return july
    if day.year == date.max.year:
        return None
    return date(day.year + 1, 1 if rule is Repricing.NEXT_JANUARY else 7, 1)


def _rate_path(
    released: object,
    months: object,
    second_home: object,
    markup: object,
    repricing: object,
    table: RateTable | None,
) -> tuple[date, date, list[tuple[date, Decimal]]]:
    """(release day, maturity, [(release day, contract rate), (change day, new rate), ...])."""
    tbl = _table(table)
    start = to_date(released, "released")
    n = to_months(months)
    second = _to_bool(second_home, "second_home")
    extra = _to_markup(markup)
    rule = parse_enum(Repricing, repricing, "repricing")
    try:
        maturity = start + relativedelta(months=n)
    except (ValueError, OverflowError):
        raise InputError(
            "released",
            released,
            f"a release date whose maturity ({n} months later) is in year {date.max.year} or before",
        ) from None
    first = tbl._row_on(released, "released")
    path = [(start, _apply_markup(_row_rate(first, n, second, tbl, released), extra))]
    if n <= SHORT_LOAN_MONTHS or rule is Repricing.NEVER:
        return start, maturity, path
    changes: dict[date, Decimal] = {}
    for row in tbl.rows[bisect_right(tbl._effective, start) :]:
        when = _reprice_day(row.effective, rule, start)
        if when is None or when > maturity:  # None: after year 9999, so after the maturity
            break
        # Several changes reaching the loan on one day: the latest one wins.
        changes[when] = _apply_markup(
            _row_rate(row, n, second, tbl, row.effective.isoformat()), extra
        )
    for when, rate in changes.items():
        if rate != path[-1][1]:
            path.append((when, rate))
    return start, maturity, path


def loan_rate(
    *,
    released: object,
    months: object,
    on: object,
    second_home: bool = False,
    markup: object = 0,
    repricing: Repricing | str = Repricing.NEXT_JANUARY,
    table: RateTable | None = None,
) -> Decimal:
    """The rate an existing loan pays on a date (存量贷款执行利率).

    Parameters
    ----------
    released : date or 'YYYY-MM-DD'
        The release date (放款日); it fixes the contract rate.
    months : int
        The original term, 1 to 600 (it chooses the tier and whether the
        loan reprices at all).
    on : date or 'YYYY-MM-DD'
        The day asked about, from ``released`` to the maturity
        (``released`` + ``months`` months), both included.
    second_home : bool, keyword-only
        Second-home (二套) column.
    markup : rate-like, keyword-only
        Qingdao's 上浮比例 (0 or 10%, its web hall manual §8.2 还款计划试算): the rate is the benchmark ×
        (1 + markup), exact, not rounded (3.1% × 1.1 = 3.41%). 0 to 1.
    repricing : Repricing or str, keyword-only
        When a change reaches the loan: ``"next_january"`` (default),
        ``"july_same_year"`` (Shenzhen 2024, 2025), ``"immediate"``, or
        ``"never"`` (the contract rate throughout).
    table : RateTable, optional
        A caller's table; by default the shipped one.

    Returns
    -------
    Decimal
        The annual rate in force on ``on``, exact.

    Raises
    ------
    InputError
        Any argument out of range: ``on`` before ``released`` or after the
        maturity, ``released`` before the first table row, ``months``
        outside 1..600, a negative markup, an unknown repricing rule.

    Notes
    -----
    A loan of at most 12 months keeps its contract rate (执行合同利率，不分段计息);
    a longer one moves to the benchmark of its tier on each repricing date
    (Suzhou center FAQ 2020, SUZ; the 2015 and 2025 cuts, A64, KC25, TG25;
    Shenzhen from 1 July, SZ24, SZ25: URLs in the Rates guide). When several
    changes reach the loan on the same day, the latest one applies.

    Examples
    --------
    The Jilin center's sample loan (个人网厅操作手册), released two days after the 2015-08-26 cut:

    >>> for day in ["2022-12-31", "2023-01-01", "2025-01-01", "2026-01-01"]:
    ...     print(day, loan_rate(released="2015-08-28", months=300, on=day))
    2022-12-31 0.0325
    2023-01-01 0.031
    2025-01-01 0.0285
    2026-01-01 0.026
    >>> loan_rate(released="2015-08-28", months=300, on="2024-07-01", repricing="july_same_year")
    Decimal('0.0285')
    >>> loan_rate(released="2015-08-28", months=300, on="2026-01-01", repricing="never")
    Decimal('0.0325')
    >>> loan_rate(released="2022-06-01", months=12, on="2023-01-01")
    Decimal('0.0275')
    >>> loan_rate(released="2023-03-01", months=240, on="2023-03-01", markup="10%")
    Decimal('0.0341')
    """
    start, maturity, path = _rate_path(released, months, second_home, markup, repricing, table)
    day = to_date(on, "on")
    if not start <= day <= maturity:
        raise InputError(
            "on",
            on,
            f"a date from released={start.isoformat()} to the maturity {maturity.isoformat()}",
        )
    rate = path[0][1]
    for when, new in path[1:]:
        if when > day:
            break
        rate = new
    return rate


def repricing_dates(
    *,
    released: object,
    months: object,
    until: object = None,
    second_home: bool = False,
    markup: object = 0,
    repricing: Repricing | str = Repricing.NEXT_JANUARY,
    table: RateTable | None = None,
) -> list[tuple[date, Decimal]]:
    """Each day an existing loan's rate changes, with the new rate.

    Parameters
    ----------
    released, months, second_home, markup, repricing, table
        As in :func:`loan_rate`.
    until : date or 'YYYY-MM-DD', optional
        Last day to report (included); by default the maturity.

    Returns
    -------
    list of (date, Decimal)
        Ascending days after ``released`` and up to ``until`` and the
        maturity, on which the rate differs from the day before; the rate is
        the one in force from that day on. Empty for a loan of at most 12
        months. The rate at release is ``loan_rate(..., on=released)``.

    Raises
    ------
    InputError
        As in :func:`loan_rate`; ``until`` before ``released``.

    Examples
    --------
    >>> repricing_dates(released="2015-08-28", months=300, until="2026-12-31")
    [(datetime.date(2023, 1, 1), Decimal('0.031')), (datetime.date(2025, 1, 1), Decimal('0.0285')), (datetime.date(2026, 1, 1), Decimal('0.026'))]
    >>> repricing_dates(released="2015-08-28", months=300, until="2026-12-31", repricing="july_same_year")[1:]
    [(datetime.date(2024, 7, 1), Decimal('0.0285')), (datetime.date(2025, 7, 1), Decimal('0.026'))]

    Four cuts in 2015 reach a 2014 loan together on 2016-01-01:

    >>> repricing_dates(released="2014-12-01", months=120, until="2016-12-31")
    [(datetime.date(2016, 1, 1), Decimal('0.0325'))]

    On the loan's anniversaries instead (a what-if: the cut of 2022-10-01 reaches it on
    2023-08-28):

    >>> repricing_dates(released="2015-08-28", months=300, until="2026-12-31", repricing="anniversary")[0]
    (datetime.date(2023, 8, 28), Decimal('0.031'))
    """
    start, _maturity, path = _rate_path(released, months, second_home, markup, repricing, table)
    if until is None:
        return path[1:]
    last = to_date(until, "until")
    if last < start:
        raise InputError("until", until, f"a date on or after released={start.isoformat()}")
    return [(when, rate) for when, rate in path[1:] if when <= last]


# ---------------------------------------------------------------------------
# Batch lookup
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _table_arrays(table: RateTable) -> tuple[Any, ...]:
    import numpy as np

    def col(values: Iterable[Decimal | None]) -> NDArray[np.float64]:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)

    rows = table.rows
    effective = np.array([r.effective.isoformat() for r in rows], dtype="datetime64[D]")
    return (
        effective,
        col(r.le5y for r in rows),
        col(r.gt5y for r in rows),
        col(r.second_le5y for r in rows),
        col(r.second_gt5y for r in rows),
    )


def _index_name(name: str, mask: NDArray[np.bool_]) -> str:
    import numpy as np

    where = np.argwhere(mask)[0]
    return f"{name}[{', '.join(str(int(i)) for i in where)}]" if where.size else name


_DATES_ALLOWED = (
    "a date from 0001-01-01 to 9999-12-31 as datetime64, datetime.date or 'YYYY-MM-DD'"
    " (a number is not a date)"
)


def _date_array(value: object, name: str) -> NDArray[np.datetime64]:
    """``value`` as ``datetime64[D]``, element by element as strictly as :func:`~gjjcalc.money.to_date`.

    Accepted: datetime64 of any unit, ``datetime.date`` / ``datetime``
    objects and ISO ``YYYY-MM-DD`` strings, years 1 to 9999. Refused, naming
    the first bad element (``on[0]``): numbers of any kind (numpy would read
    an int as days since 1970), bools, NaT, other text (``"today"``,
    ``"2020"``), dates outside years 1..9999.
    """
    import numpy as np

    raw = np.asarray(value)
    kind = raw.dtype.kind
    if kind == "M":
        days = raw.astype("datetime64[D]")
    elif kind == "U":
        text = np.char.strip(raw.astype(str))
        bad_mask = _unparsed(text)
        if bad_mask.any():
            raise InputError(_index_name(name, bad_mask), _first(raw, bad_mask), _DATES_ALLOWED)
        days = text.astype("datetime64[D]")
    elif kind == "O":
        days = np.empty(raw.shape, dtype="datetime64[D]")
        for index, item in np.ndenumerate(raw):
            where = _at(name, index)
            if isinstance(item, np.datetime64):
                days[index] = item.astype("datetime64[D]")
            elif isinstance(item, str | date):
                days[index] = np.datetime64(to_date(item, where).isoformat(), "D")
            else:
                raise InputError(where, item, _DATES_ALLOWED)
    else:  # numbers, bools, complex, bytes: never read as days since 1970
        bad = _index_name(name, np.ones(raw.shape, dtype=bool))
        raise InputError(bad, _first(raw, np.ones(raw.shape, dtype=bool)), _DATES_ALLOWED)
    nat = np.isnat(days)
    if nat.any():
        raise InputError(_index_name(name, nat), "NaT", "a date, not NaT")
    outside = (days < np.datetime64("0001-01-01", "D")) | (days > np.datetime64("9999-12-31", "D"))
    if outside.any():
        raise InputError(_index_name(name, outside), str(days[outside][0]), _DATES_ALLOWED)
    result: NDArray[np.datetime64] = days
    return result


def _unparsed(text: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Which ISO strings do not read back as the same ``YYYY-MM-DD`` date (``"today"``, ``"2020"``)."""
    import numpy as np

    try:
        days = text.astype("datetime64[D]")
    except (TypeError, ValueError):
        pass
    else:
        same: NDArray[np.bool_] = days.astype(str) == text
        if same.all():
            return ~same
    bad = np.zeros(text.shape, dtype=bool)
    for index, item in np.ndenumerate(text):
        try:
            bad[index] = str(np.datetime64(str(item), "D")) != item
        except (TypeError, ValueError):
            bad[index] = True
    return bad


def _at(name: str, index: tuple[int, ...]) -> str:
    """``name[i, j]`` for an element (``name`` itself for a 0-d array)."""
    return f"{name}[{', '.join(str(i) for i in index)}]" if index else name


def _first(raw: NDArray[Any], mask: NDArray[np.bool_]) -> object:
    """The first element of ``raw`` where ``mask`` is set, as a Python value."""
    import numpy as np

    where = np.argwhere(mask)
    item = raw[tuple(where[0])] if where.size else raw[()]
    return item.item() if isinstance(item, np.generic) else item


def _month_array(value: object, name: str) -> NDArray[np.int64]:
    """Whole terms from 1 to 600 as int64; bools, complex, NaN, inf and fractions refused."""
    import numpy as np

    raw = np.asarray(value)
    allowed = f"an integer from 1 to {MAX_MONTHS}"
    if raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O":
            out = np.empty(raw.shape, dtype=np.int64)
            for index, item in np.ndenumerate(raw):
                out[index] = to_months(item, _at(name, index))
            return out
        every = np.ones(raw.shape, dtype=bool)
        raise InputError(_index_name(name, every), _first(raw, every), allowed)
    with np.errstate(invalid="ignore"):
        good = (raw >= 1) & (raw <= MAX_MONTHS)
        if raw.dtype.kind == "f":
            good &= raw == np.floor(raw)
    if not good.all():
        bad = _index_name(name, ~good)
        first = _first(raw, ~good)
        raise InputError(bad, first, allowed)
    terms: NDArray[np.int64] = raw.astype(np.int64)
    return terms


def provident_rates(
    on: ArrayLike,
    months: ArrayLike,
    second_home: ArrayLike = False,
    *,
    table: RateTable | None = None,
) -> NDArray[np.float64]:
    """Vectorized :func:`provident_rate`: benchmark rates for arrays of loans.

    Parameters
    ----------
    on : array of datetime64 (or ISO strings / dates)
        Days asked about, years 1 to 9999; converted to ``datetime64[D]``.
        Numbers are refused (numpy would read ``20150101`` as days since
        1970), and so is text other than ``YYYY-MM-DD``.
    months : array of int
        Terms, 1 to 600 (integral floats accepted; bools and complex not).
    second_home : array of bool, default False
        Second-home column per row.
    table : RateTable, optional
        A caller's table; by default the shipped one.

    Returns
    -------
    ndarray of float64
        The broadcast shape; each value is ``float(provident_rate(...))`` of
        the same row, i.e. the double nearest the table's decimal.

    Raises
    ------
    InputError
        Naming the first bad element, e.g. ``on[3]``: a date before the
        first row or NaT, a term outside 1..600, a non-bool ``second_home``,
        a second-home row with no known rate, shapes that do not broadcast.

    Notes
    -----
    Scalars broadcast against arrays (numpy broadcasting rules).
    One ``np.searchsorted`` over the table's effective dates; no Python loop
    over rows. numpy is imported on the first call.

    Examples
    --------
    >>> import numpy as np
    >>> days = np.array(["2018-01-01", "2023-01-01", "2025-05-08"], dtype="datetime64[D]")
    >>> provident_rates(days, [300, 120, 36], [False, True, False])
    array([0.0325 , 0.03575, 0.021  ])
    >>> provident_rates(days, 360)
    array([0.0325, 0.031 , 0.026 ])
    >>> provident_rates([20150101], [300])
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: on[0]=20150101 is out of range: expected a date from 0001-01-01 to 9999-12-31 as datetime64, datetime.date or 'YYYY-MM-DD' (a number is not a date)
    """
    import numpy as np

    tbl = _table(table)
    effective, le5y, gt5y, second_le5y, second_gt5y = _table_arrays(tbl)

    days = _date_array(on, "on")
    early = days < effective[0]
    if early.any():
        bad = _index_name("on", early)
        raise InputError(
            bad,
            str(days[early][0]),
            f"a date on or after {effective[0]} (the first row of {tbl.name})",
        )
    terms = _month_array(months, "months")

    flags = np.asarray(second_home)
    if flags.dtype.kind != "b":
        raise InputError("second_home", second_home, "a bool or an array of bool")

    try:
        days_b, terms_b, flags_b = np.broadcast_arrays(days, terms, flags)
    except ValueError:
        shapes = (days.shape, terms.shape, flags.shape)
        raise InputError(
            "on, months, second_home", shapes, "shapes that broadcast together"
        ) from None

    idx = np.searchsorted(effective, days_b, side="right") - 1
    short = terms_b <= TIER_MONTHS
    first = np.where(short, le5y[idx], gt5y[idx])
    second = np.where(short, second_le5y[idx], second_gt5y[idx])
    unknown = flags_b & np.isnan(second)
    if unknown.any():
        bad = _index_name("second_home", unknown)
        raise InputError(
            bad,
            True,
            f"False for on={days_b[unknown][0]}: {tbl.name} has no second-home rate on that date",
        )
    result: NDArray[np.float64] = np.where(flags_b, second, first).astype(np.float64)
    return result
