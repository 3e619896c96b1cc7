"""Rate tables, benchmark and LPR lookups, repricing of existing loans (SPEC §4, DOMAIN §1)."""

from __future__ import annotations

import doctest
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.errors import InputError
from gjjcalc.rules.rates import (
    LprRow,
    LprTable,
    RateRow,
    RateTable,
    Repricing,
    default_lpr_table,
    default_rate_table,
    loan_rate,
    lpr,
    provident_rate,
    provident_rates,
    repricing_date,
    repricing_dates,
)

D = Decimal
DOCS = Path(__file__).resolve().parent.parent / "docs" / "rates.md"

# SPEC §4, first-home table: (effective, ≤5 y, >5 y), typed from the SPEC.
SPEC_ROWS = [
    ("2008-12-23", "3.33", "3.87"),
    ("2010-10-20", "3.50", "4.05"),
    ("2010-12-26", "3.75", "4.30"),
    ("2011-02-09", "4.00", "4.50"),
    ("2011-04-06", "4.20", "4.70"),
    ("2011-07-07", "4.45", "4.90"),
    ("2012-06-08", "4.20", "4.70"),
    ("2012-07-06", "4.00", "4.50"),
    ("2014-11-22", "3.75", "4.25"),
    ("2015-03-01", "3.50", "4.00"),
    ("2015-05-11", "3.25", "3.75"),
    ("2015-06-28", "3.00", "3.50"),
    ("2015-08-26", "2.75", "3.25"),
    ("2022-10-01", "2.60", "3.10"),
    ("2024-05-18", "2.35", "2.85"),
    ("2025-05-08", "2.10", "2.60"),
]
# SPEC §4: the second-home values stated as their own column.
SPEC_SECOND = [
    ("2022-10-01", "3.025", "3.575"),
    ("2024-05-18", "2.775", "3.325"),
    ("2025-05-08", "2.525", "3.075"),
]
# Rows before 2008-12-23 (a published rate-history table / RL08, medium confidence).
DOMAIN_EARLY = [
    ("2006-04-28", "4.14", "4.59", "M"),
    ("2007-03-18", "4.32", "4.77", "M"),
    ("2007-05-19", "4.41", "4.86", "M"),
    ("2007-07-21", "4.50", "4.95", "M"),
    ("2007-08-22", "4.59", "5.04", "M"),
    ("2007-09-15", "4.77", "5.22", "M"),
    ("2007-12-21", "4.77", "5.22", "M"),
    ("2008-09-16", "4.59", "5.13", "M"),
    ("2008-10-09", "4.32", "4.86", "M"),
    ("2008-10-27", "4.05", "4.59", "M"),
    ("2008-11-27", "3.51", "4.05", "M"),
]
# DOMAIN §1.3: LPR fixings that changed a rate.
DOMAIN_LPR = [
    ("2019-08-20", "4.25", "4.85"),
    ("2019-09-20", "4.20", "4.85"),
    ("2019-11-20", "4.15", "4.80"),
    ("2020-02-20", "4.05", "4.75"),
    ("2020-04-20", "3.85", "4.65"),
    ("2021-12-20", "3.80", "4.65"),
    ("2022-01-20", "3.70", "4.60"),
    ("2022-05-20", "3.70", "4.45"),
    ("2022-08-22", "3.65", "4.30"),
    ("2023-06-20", "3.55", "4.20"),
    ("2023-08-21", "3.45", "4.20"),
    ("2024-02-20", "3.45", "3.95"),
    ("2024-07-22", "3.35", "3.85"),
    ("2024-10-21", "3.10", "3.60"),
    ("2025-05-20", "3.00", "3.50"),
]


def pct(text: str) -> Decimal:
    return D(text) / 100


# --- the shipped tables ------------------------------------------------------


@pytest.mark.parametrize(("effective", "le5y", "gt5y"), SPEC_ROWS)
def test_every_spec_row_is_in_the_shipped_table(effective: str, le5y: str, gt5y: str) -> None:
    rows = {r.effective: r for r in default_rate_table().rows}
    row = rows[date.fromisoformat(effective)]
    assert (row.le5y, row.gt5y) == (pct(le5y), pct(gt5y))
    assert row.confidence == "H"


@pytest.mark.parametrize(("effective", "le5y", "gt5y"), SPEC_SECOND)
def test_spec_second_home_values_are_in_the_shipped_table(
    effective: str, le5y: str, gt5y: str
) -> None:
    rows = {r.effective: r for r in default_rate_table().rows}
    row = rows[date.fromisoformat(effective)]
    assert (row.second_le5y, row.second_gt5y) == (pct(le5y), pct(gt5y))


def test_shipped_table_has_exactly_the_domain_rows_in_order() -> None:
    expected = [(e, pct(a), pct(b)) for e, a, b, _ in DOMAIN_EARLY] + [
        (e, pct(a), pct(b)) for e, a, b in SPEC_ROWS
    ]
    got = [(r.effective.isoformat(), r.le5y, r.gt5y) for r in default_rate_table().rows]
    assert got == expected
    early = {r.effective.isoformat(): r.confidence for r in default_rate_table().rows}
    assert [early[e] for e, *_, c in DOMAIN_EARLY] == [c for *_, c in DOMAIN_EARLY]


def test_second_home_is_one_point_one_times_first_home_from_2010_12_26_to_2015_08_26() -> None:
    rows = [
        r
        for r in default_rate_table().rows
        if date(2010, 12, 26) <= r.effective <= date(2015, 8, 26)
    ]
    assert len(rows) == 11
    for r in rows:
        assert r.second_le5y == r.le5y * D("1.1")
        assert r.second_gt5y == r.gt5y * D("1.1")
        assert "1.1 x first home" in r.source


def test_second_home_is_unknown_before_2010_12_26_and_says_so_in_the_source() -> None:
    for r in default_rate_table().rows:
        if r.effective < date(2010, 12, 26):
            assert r.second_le5y is None
            assert r.second_gt5y is None
            assert "second" in r.source


def test_since_2022_the_second_home_rate_is_not_one_point_one_times_first_home() -> None:
    row = default_rate_table().row_on("2022-10-01")
    assert row.second_gt5y != row.gt5y * D("1.1")


def test_every_shipped_row_names_a_source_and_a_confidence() -> None:
    for table in (default_rate_table(), default_lpr_table()):
        for r in table.rows:
            assert r.source.strip()
            assert r.confidence in ("H", "M", "L")


def test_shipped_lpr_table_has_exactly_the_domain_rows() -> None:
    got = [(r.effective.isoformat(), r.lpr_1y, r.lpr_5y) for r in default_lpr_table().rows]
    assert got == [(e, pct(a), pct(b)) for e, a, b in DOMAIN_LPR]


def test_default_tables_are_loaded_once() -> None:
    assert default_rate_table() is default_rate_table()
    assert default_lpr_table() is default_lpr_table()


def test_importing_and_scalar_lookups_do_not_import_numpy() -> None:
    code = (
        "import sys, gjjcalc.rules.rates as r\n"
        "r.provident_rate('2018-01-01', 300); r.lpr('2020-01-01', '1y')\n"
        "r.loan_rate(released='2015-08-28', months=300, on='2026-01-01')\n"
        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- provident_rate ----------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "months", "second_home", "expected"),
    [
        ("2018-01-01", 300, False, "0.0325"),
        ("2018-01-01", 60, False, "0.0275"),
        ("2018-01-01", 61, False, "0.0325"),
        ("2023-01-01", 120, False, "0.031"),
        ("2023-01-01", 120, True, "0.03575"),
        ("2024-06-01", 360, False, "0.0285"),
        ("2025-05-08", 36, False, "0.021"),
        ("2025-05-07", 36, False, "0.0235"),
        ("2012-06-08", 240, False, "0.047"),
        ("2012-06-07", 240, False, "0.049"),
        ("2015-08-26", 300, True, "0.03575"),
        ("2007-12-21", 1, False, "0.0477"),
    ],
)
def test_provident_rate_matches_the_table_on_and_around_effective_dates(
    on: str, months: int, second_home: bool, expected: str
) -> None:
    got = provident_rate(on, months, second_home=second_home)
    assert got == D(expected)
    assert isinstance(got, Decimal)


def test_provident_rate_returns_the_csv_string_exactly() -> None:
    assert str(provident_rate(date(2023, 1, 1), 120, second_home=True)) == "0.03575"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"on": "2006-04-27", "months": 120}, "on"),
        ({"on": "2018-13-01", "months": 120}, "on"),
        ({"on": "2018-01-01", "months": 0}, "months"),
        ({"on": "2018-01-01", "months": 601}, "months"),
        ({"on": "2018-01-01", "months": 12.5}, "months"),
        ({"on": "2010-11-15", "months": 120, "second_home": True}, "second_home"),
        ({"on": "2018-01-01", "months": 120, "second_home": 1}, "second_home"),
        ({"on": "2018-01-01", "months": 120, "table": "mine"}, "table"),
    ],
)
def test_provident_rate_bad_input_names_the_argument(kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(InputError) as info:
        provident_rate(**kwargs)  # type: ignore[arg-type]
    assert info.value.name == name
    assert "expected" in str(info.value)


def test_date_before_the_table_names_the_first_row() -> None:
    with pytest.raises(InputError, match="on or after 2006-04-28"):
        provident_rate("2006-04-27", 120)


# --- lpr ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "tenor", "expected"),
    [
        ("2024-10-21", "5y", "0.036"),
        ("2024-10-20", "5y", "0.0385"),
        ("2020-01-01", "1y", "0.0415"),
        ("2019-08-20", "1y", "0.0425"),
        ("2026-02-24", "5y", "0.035"),
    ],
)
def test_lpr_matches_the_table(on: str, tenor: str, expected: str) -> None:
    assert lpr(on, tenor) == D(expected)


@pytest.mark.parametrize(
    ("on", "tenor", "name"),
    [("2019-08-19", "5y", "on"), ("2020-01-01", "10y", "tenor"), ("2020-01-01", 5, "tenor")],
)
def test_lpr_bad_input_names_the_argument(on: str, tenor: object, name: str) -> None:
    with pytest.raises(InputError) as info:
        lpr(on, tenor)  # type: ignore[arg-type]
    assert info.value.name == name


# --- repricing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2015-08-28", "0.0325"),
        ("2022-12-31", "0.0325"),
        ("2023-01-01", "0.031"),
        ("2024-12-31", "0.031"),
        ("2025-01-01", "0.0285"),
        ("2025-12-31", "0.0285"),
        ("2026-01-01", "0.026"),
        ("2040-08-28", "0.026"),
    ],
)
def test_seed_001_loan_reprices_on_1_january_after_each_change(on: str, expected: str) -> None:
    assert loan_rate(released="2015-08-28", months=300, on=on) == D(expected)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2023-06-30", "0.0325"),
        ("2023-07-01", "0.031"),
        ("2024-06-30", "0.031"),
        ("2024-07-01", "0.0285"),
        ("2025-07-01", "0.026"),
    ],
)
def test_shenzhen_rule_reprices_on_1_july(on: str, expected: str) -> None:
    rate = loan_rate(released="2015-08-28", months=300, on=on, repricing="july_same_year")
    assert rate == D(expected)


def test_immediate_rule_follows_the_table_from_the_effective_date() -> None:
    kw: dict[str, Any] = {"released": "2015-08-28", "months": 300, "repricing": Repricing.IMMEDIATE}
    assert loan_rate(on="2024-05-17", **kw) == D("0.031")
    assert loan_rate(on="2024-05-18", **kw) == D("0.0285")


def test_a_twelve_month_loan_keeps_its_contract_rate() -> None:
    assert loan_rate(released="2022-06-01", months=12, on="2023-01-01") == D("0.0275")
    assert repricing_dates(released="2022-06-01", months=12) == []


def test_a_thirteen_month_loan_reprices() -> None:
    assert loan_rate(released="2022-06-01", months=13, on="2023-01-01") == D("0.026")


def test_second_home_loan_from_before_2022_stays_at_3_575_percent_through_2024() -> None:
    kw: dict[str, Any] = {"released": "2016-03-01", "months": 240, "second_home": True}
    assert loan_rate(on="2023-01-01", **kw) == D("0.03575")  # LN22: unchanged by the 2022 cut
    assert repricing_dates(until="2026-12-31", **kw) == [
        (date(2025, 1, 1), D("0.03325")),
        (date(2026, 1, 1), D("0.03075")),
    ]


def test_markup_is_an_exact_product_without_rounding() -> None:
    kw: dict[str, Any] = {"released": "2015-08-28", "months": 300}
    assert loan_rate(on="2023-01-01", markup="10%", **kw) == D("0.0341")
    assert loan_rate(on="2015-09-01", markup=0.1, **kw) == D("0.03575")
    assert loan_rate(on="2015-09-01", markup="0.123", **kw) == D("0.0325") * D("1.123")


def test_several_changes_in_one_year_reach_the_loan_together() -> None:
    # 2015 had four cuts; the last (3.25%) applies from 2016-01-01.
    assert repricing_dates(released="2014-12-01", months=120, until="2016-12-31") == [
        (date(2016, 1, 1), D("0.0325"))
    ]
    assert loan_rate(released="2014-12-01", months=120, on="2015-12-31") == D("0.0425")


def test_repricing_dates_agree_with_loan_rate_day_by_day() -> None:
    kw: dict[str, Any] = {"released": "2014-06-10", "months": 180, "repricing": "july_same_year"}
    changes = dict(repricing_dates(**kw))
    day = date(2014, 6, 10)
    previous = loan_rate(on=day, **kw)
    while day < date(2026, 12, 31):
        day += timedelta(days=1)
        rate = loan_rate(on=day, **kw)
        if day in changes:
            assert rate == changes[day] != previous
        else:
            assert rate == previous
        previous = rate


def test_repricing_dates_stop_at_maturity() -> None:
    # 60 months from 2019-01-10: matures 2024-01-10, before the 2025-01-01 repricing.
    assert repricing_dates(released="2019-01-10", months=60) == [(date(2023, 1, 1), D("0.026"))]


@pytest.mark.parametrize(
    ("change", "rule", "expected"),
    [
        ("2024-05-18", "next_january", "2025-01-01"),
        ("2015-12-31", "next_january", "2016-01-01"),
        ("2024-05-18", "july_same_year", "2024-07-01"),
        ("2024-07-01", "july_same_year", "2024-07-01"),
        ("2022-10-01", "july_same_year", "2023-07-01"),
        ("2022-10-01", "immediate", "2022-10-01"),
    ],
)
def test_repricing_date(change: str, rule: str, expected: str) -> None:
    assert repricing_date(change, rule) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"on": "2015-08-27"}, "on"),
        ({"on": "2040-08-29"}, "on"),
        ({"on": "2020-01-01", "markup": -0.1}, "markup"),
        ({"on": "2020-01-01", "markup": "-10%"}, "markup"),
        ({"on": "2020-01-01", "markup": 2}, "markup"),
        ({"on": "2020-01-01", "repricing": "monthly"}, "repricing"),
        ({"on": "2020-01-01", "months": 0}, "months"),
    ],
)
def test_loan_rate_bad_input_names_the_argument(kwargs: dict[str, object], name: str) -> None:
    args: dict[str, object] = {"released": "2015-08-28", "months": 300} | kwargs
    with pytest.raises(InputError) as info:
        loan_rate(**args)  # type: ignore[arg-type]
    assert info.value.name == name


def test_release_before_the_table_is_refused() -> None:
    with pytest.raises(InputError) as info:
        loan_rate(released="2006-01-01", months=120, on="2008-01-01")
    assert info.value.name == "released"
    assert "2006-04-28" in str(info.value)


def test_repricing_date_unknown_rule_lists_the_rules() -> None:
    with pytest.raises(InputError, match="'next_january', 'july_same_year', 'immediate'"):
        repricing_date("2024-05-18", "yearly")


def test_repricing_dates_until_before_release_is_refused() -> None:
    with pytest.raises(InputError) as info:
        repricing_dates(released="2015-08-28", months=300, until="2015-01-01")
    assert info.value.name == "until"


# --- batch -------------------------------------------------------------------

FIRST = date(2006, 4, 28)
# Every effective date and the day before it (but not before the table), plus any day.
BOUNDARIES = sorted(
    {r.effective for r in default_rate_table().rows}
    | {r.effective - timedelta(days=1) for r in default_rate_table().rows[1:]}
)
dates = st.one_of(
    st.sampled_from(BOUNDARIES), st.dates(min_value=FIRST, max_value=date(2030, 12, 31))
)
loans = st.lists(st.tuples(dates, st.integers(1, 600), st.booleans()), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(loans)
def test_provident_rates_equals_the_scalar_function_row_by_row(
    rows: list[tuple[date, int, bool]],
) -> None:
    known = [
        (d, m, s)
        for d, m, s in rows
        if not s or default_rate_table().row_on(d).second_le5y is not None
    ]
    if len(known) < len(rows):
        with pytest.raises(InputError, match=r"second_home\[\d+\]"):
            provident_rates(
                np.array([d for d, _, _ in rows], dtype="datetime64[D]"),
                np.array([m for _, m, _ in rows]),
                np.array([s for _, _, s in rows]),
            )
    if not known:
        return
    got = provident_rates(
        np.array([d for d, _, _ in known], dtype="datetime64[D]"),
        np.array([m for _, m, _ in known], dtype=np.int64),
        np.array([s for _, _, s in known]),
    )
    assert got.dtype == np.float64
    assert got.shape == (len(known),)
    want = [float(provident_rate(d, m, second_home=s)) for d, m, s in known]
    assert got.tolist() == want


@settings(max_examples=30, deadline=None)
@given(st.lists(dates, min_size=1, max_size=20), st.integers(1, 600))
def test_provident_rates_broadcasts_a_scalar_term(days: list[date], months: int) -> None:
    got = provident_rates(np.array(days, dtype="datetime64[D]"), months)
    assert got.tolist() == [float(provident_rate(d, months)) for d in days]


@pytest.mark.parametrize("second_home", [False, True])
def test_provident_rates_on_every_effective_date_and_the_day_before(second_home: bool) -> None:
    days = [d for d in BOUNDARIES if not second_home or d >= date(2010, 12, 26)]
    for months in (60, 61):
        got = provident_rates(np.array(days, dtype="datetime64[D]"), months, second_home)
        want = [float(provident_rate(d, months, second_home=second_home)) for d in days]
        assert got.tolist() == want


def test_provident_rates_broadcasts_to_two_dimensions() -> None:
    days = np.array(["2018-01-01", "2025-05-08"], dtype="datetime64[D]")[:, None]
    got = provident_rates(days, np.array([36, 360]))
    assert got.tolist() == [[0.0275, 0.0325], [0.021, 0.026]]


def test_provident_rates_accepts_iso_strings_and_integral_floats() -> None:
    got = provident_rates(["2018-01-01", "2023-01-01"], np.array([300.0, 120.0]), True)
    assert got.tolist() == [0.03575, 0.03575]


@pytest.mark.parametrize(
    ("on", "months", "second_home", "name"),
    [
        (["2018-01-01", "2006-01-01"], 120, False, "on[1]"),
        (np.array(["2018-01-01", "NaT"], dtype="datetime64[D]"), 120, False, "on[1]"),
        (["2018-01-01"], np.array([120, 0, 601]), False, "months[1]"),
        (["2018-01-01"], np.array([120.5]), False, "months[0]"),
        (["2018-01-01"], 120, np.array([1, 0]), "second_home"),
        (["2018-01-01", "2010-11-01"], 120, True, "second_home[1]"),
        (["2018-01-01", "2019-01-01"], np.array([1, 2, 3]), False, "on, months, second_home"),
        ("not a date", 120, False, "on"),
    ],
)
def test_provident_rates_names_the_first_bad_element(
    on: object, months: object, second_home: object, name: str
) -> None:
    with pytest.raises(InputError) as info:
        provident_rates(on, months, second_home)  # type: ignore[arg-type]
    assert info.value.name == name


# --- caller tables and validation -------------------------------------------

HEADER = "effective,le5y,gt5y,second_le5y,second_gt5y,source,confidence\n"


def write(tmp_path: Path, text: str, name: str = "rates.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_caller_table_from_csv_is_used_by_every_function(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "2020-01-01,3%,0.035,,,scenario A,\n2021-01-01,0.02,0.025,0.022,0.0275,scenario B,M\n",
    )
    table = RateTable.from_csv(path)
    assert provident_rate("2020-06-01", 360, table=table) == D("0.035")
    assert provident_rate("2021-06-01", 360, second_home=True, table=table) == D("0.0275")
    assert loan_rate(released="2020-06-01", months=360, on="2022-01-01", table=table) == D("0.025")
    assert provident_rates(["2021-06-01"], 360, table=table).tolist() == [0.025]
    with pytest.raises(InputError, match="second_home"):
        provident_rate("2020-06-01", 360, second_home=True, table=table)


def test_a_caller_lpr_table_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "effective,lpr_1y,lpr_5y,source\n2030-01-20,0.03,0.034,x\n", "lpr.csv")
    assert lpr("2030-02-01", "5y", table=LprTable.from_csv(path)) == D("0.034")


BAD_TABLES = [
    # (csv body after the header, name of the failing cell)
    (
        "2020-01-01,0.03,0.035,,,a,H\n2019-01-01,0.03,0.035,,,b,H\n",
        "row 2 (line 3), column effective",
    ),
    (
        "2020-01-01,0.03,0.035,,,a,H\n2020-01-01,0.03,0.035,,,b,H\n",
        "row 2 (line 3), column effective",
    ),
    ("2020-01-01,0.03,0.035,,,a,H\n2021-01-01,3.5,0.035,,,b,H\n", "row 2 (line 3), column le5y"),
    ("2020-01-01,0.03,-0.01,,,a,H\n", "row 1 (line 2), column gt5y"),
    ("2020-01-01,0.03,0.21,,,a,H\n", "row 1 (line 2), column gt5y"),
    ("2020-01-01,0.03,0.035,0.3,,a,H\n", "row 1 (line 2), column second_le5y"),
    ("2020-01-01,,0.035,,,a,H\n", "row 1 (line 2), column le5y"),
    ("2020-01-01,0.03,abc,,,a,H\n", "row 1 (line 2), column gt5y"),
    ("2020-01-01,0.03,NaN,,,a,H\n", "row 1 (line 2), column gt5y"),
    ("2020-01-01,0.03,0.035,,,,H\n", "row 1 (line 2), column source"),
    ("2020-01-01,0.03,0.035,,,a,X\n", "row 1 (line 2), column confidence"),
    ("2020-02-30,0.03,0.035,,,a,H\n", "row 1 (line 2), column effective"),
    ("", "rows"),
]


@pytest.mark.parametrize(("body", "where"), BAD_TABLES)
def test_a_bad_table_names_the_file_row_and_column(tmp_path: Path, body: str, where: str) -> None:
    path = write(tmp_path, HEADER + body, "bad.csv")
    with pytest.raises(InputError) as info:
        RateTable.from_csv(path)
    assert info.value.name == f"{path} {where}"


@pytest.mark.parametrize(
    "header",
    ["effective,le5y,source\n", "effective,le5y,gt5y,source,note\n", "effective,le5y,gt5y\n"],
)
def test_a_bad_header_is_refused(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, header + "2020-01-01,0.03,0.035,a\n", "bad.csv")
    with pytest.raises(InputError) as info:
        RateTable.from_csv(path, name="bad.csv")
    assert info.value.name == "bad.csv header"


def test_an_extra_cell_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "2020-01-01,0.03,0.035,,,a,H,surplus\n", "bad.csv")
    with pytest.raises(InputError, match=r"row 1 \(line 2\), column \(extra cells\)"):
        RateTable.from_csv(path)


def test_a_bad_lpr_table_names_the_file_row_and_column(tmp_path: Path) -> None:
    body = "effective,lpr_1y,lpr_5y,source\n2019-08-20,0.0425,0.0485,a\n2019-09-20,0.042,4.85,b\n"
    path = write(tmp_path, body, "lpr.csv")
    with pytest.raises(InputError) as info:
        LprTable.from_csv(path, name="lpr.csv")
    assert info.value.name == "lpr.csv row 2 (line 3), column lpr_5y"


def test_a_table_built_from_rows_is_validated_too() -> None:
    good = RateRow(date(2020, 1, 1), D("0.03"), D("0.035"), source="a")
    with pytest.raises(InputError) as info:
        RateTable((good, RateRow(date(2019, 1, 1), D("0.03"), D("0.035"), source="b")), name="mine")
    assert info.value.name == "mine row 2, column effective"
    with pytest.raises(InputError) as info:
        RateTable((RateRow(date(2020, 1, 1), 0.03, D("0.035"), source="a"),))  # type: ignore[arg-type]
    assert info.value.name == "RateTable row 1, column le5y"
    with pytest.raises(InputError):
        RateTable(())
    with pytest.raises(InputError) as info:
        LprTable((LprRow(date(2020, 1, 1), D("0.03"), D("0.035"), source=""),))
    assert info.value.name == "LprTable row 1, column source"


def test_tables_are_hashable_values() -> None:
    rows = (RateRow(date(2020, 1, 1), D("0.03"), D("0.035"), source="a"),)
    assert RateTable(rows, name="x") == RateTable(list(rows), name="x")  # type: ignore[arg-type]
    assert hash(RateTable(rows)) == hash(RateTable(rows))


# --- docs --------------------------------------------------------------------


def test_docs_examples_run() -> None:
    result = doctest.testfile(
        str(DOCS),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0
