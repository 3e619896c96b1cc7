"""Hostile input to the rules layer and the rate tables: a typed error, never a raw exception,
a hang or a silently wrong number (issue 11: "Hangs", "Untyped errors")."""

from __future__ import annotations

import builtins
import contextlib
import importlib
import os
import pickle
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gjjcalc.errors import GjjcalcError, InputError
from gjjcalc.rules import (
    check_contribution_ratio,
    check_eligibility,
    load_pack,
    loan_quota,
    offset_split,
    parse_pack,
    withdrawal_cap,
)
from gjjcalc.rules.packs import FileInputError
from gjjcalc.rules.rates import (
    LprTable,
    RateRow,
    RateTable,
    loan_rate,
    lpr,
    provident_rate,
    provident_rates,
    repricing_date,
    repricing_dates,
)

HEAD = '[pack]\nname = "demo"\ntitle = "Demo"\neffective = "undated"\n'
CSV_HEAD = "effective,le5y,gt5y,source\n"
packs_module = importlib.import_module("gjjcalc.rules.packs")  # gjjcalc.rules.packs is also a function


def refused(call: Any, *args: Any, **kwargs: Any) -> InputError:
    """Run ``call``; it must raise an InputError quickly, and the error must pickle."""
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    err = info.value
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err)
    assert str(again) == str(err)
    for word in ("SPEC", "DOMAIN", "seed 0"):
        assert word not in str(err)
    return err


def write_pack(tmp_path: Path, body: str, name: str = "demo.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


# --- provident_rates: the batch lookup ----------------------------------------------------------


@pytest.mark.parametrize(
    "on",
    [
        [20150101],  # an int is not a date (numpy would read days since 1970: year ~57,000)
        np.array([20150101], dtype=np.int64),
        [16000.0],
        [True],
        [1 + 2j],
        np.array([20150101], dtype=np.uint32),
        [b"2020-01-01"],
        np.array([np.timedelta64(1, "D")]),
    ],
)
def test_provident_rates_refuses_numbers_as_dates_naming_the_position(on: object):
    err = refused(provident_rates, on, [300])
    assert err.name == "on[0]"
    assert "a number is not a date" in str(err)


def test_provident_rates_names_the_first_bad_date_in_an_array():
    err = refused(provident_rates, np.array(["2020-01-01", "today", "2021-01-01"]), 300)
    assert (err.name, err.value) == ("on[1]", "today")
    err = refused(provident_rates, np.array([["2020-01-01", "2020"]]), 300)
    assert err.name == "on[0, 1]"
    err = refused(provident_rates, 20150101, 300)  # a 0-d array: the argument itself
    assert err.name == "on"


@pytest.mark.parametrize("text", ["2020-13-01", "2020-02-30", "2020", "2020-01", "now", "today", "", "2020-01-01T10:00"])
def test_provident_rates_takes_only_iso_days_as_text(text: str):
    err = refused(provident_rates, [text], [300])
    assert err.name == "on[0]"


@pytest.mark.parametrize(
    "on",
    [
        np.array([10**8], dtype="datetime64[D]"),  # year 275,760
        np.array(["10000-01-01"], dtype="datetime64[D]"),
        ["10000-01-01"],
        np.array([-(10**6)], dtype="datetime64[D]"),
    ],
)
def test_provident_rates_refuses_dates_outside_years_1_to_9999(on: object):
    err = refused(provident_rates, on, [300])
    assert err.name == "on[0]"


def test_provident_rates_refuses_objects_that_are_not_dates():
    err = refused(provident_rates, np.array([date(2020, 1, 1), 20150101], dtype=object), 300)
    assert (err.name, err.value) == ("on[1]", 20150101)
    err = refused(provident_rates, np.array([date(2020, 1, 1), "2020-02-30"], dtype=object), 300)
    assert err.name == "on[1]"


def test_provident_rates_still_takes_real_dates_of_every_form():
    expected = provident_rates(np.array(["2018-01-01"], dtype="datetime64[D]"), [300])
    for on in (
        ["2018-01-01"],
        [" 2018-01-01 "],
        [date(2018, 1, 1)],
        [datetime(2018, 1, 1, 12, 30)],
        np.array(["2018-01-01T12:00"], dtype="datetime64[s]"),
        np.array([np.datetime64("2018-01-01", "D")], dtype=object),
    ):
        assert provident_rates(on, [300]).tolist() == expected.tolist() == [0.0325]
    assert provident_rates(["9999-12-31"], [300]).tolist() == [0.026]


@pytest.mark.parametrize(
    ("months", "value"),
    [
        ([True], True),
        ([300 + 1j], 300 + 1j),
        ([np.inf], float("inf")),
        ([np.nan], None),
        ([1e300], 1e300),  # not cast to int64 first: the error shows what was given
        ([300.5], 300.5),
        (np.array([2**64 - 1], dtype=np.uint64), 2**64 - 1),
        ([0], 0),
        ([601], 601),
        (np.array([Decimal(300)], dtype=object), Decimal(300)),
        (["300"], "300"),
    ],
)
def test_provident_rates_refuses_terms_that_are_not_whole_months(months: object, value: object):
    err = refused(provident_rates, ["2020-01-01"], months)
    assert err.name == "months[0]"
    if value is None:
        assert np.isnan(err.value)  # type: ignore[call-overload]
    else:
        assert err.value == value


def test_provident_rates_takes_whole_float_terms():
    assert provident_rates(["2020-01-01"], [300.0]).tolist() == [0.0325]


@pytest.mark.parametrize("flag", [[1], ["yes"], [None], 1, "True"])
def test_provident_rates_takes_only_bools_for_second_home(flag: object):
    err = refused(provident_rates, ["2020-01-01"], [300], flag)
    assert err.name == "second_home"


# --- scalar rate lookups ------------------------------------------------------------------------


@pytest.mark.parametrize("on", [20200101, 20200101.0, True, b"2020-01-01", "2020-1-1", "today"])
def test_scalar_lookups_refuse_numbers_and_loose_text_as_dates(on: object):
    assert refused(provident_rate, on, 300).name == "on"
    assert refused(lpr, on, "5y").name == "on"
    assert refused(loan_rate, released=on, months=300, on="2020-01-01").name == "released"


@pytest.mark.parametrize("flag", ["yes", "no", 1, 0, None])
def test_scalar_lookups_refuse_truthy_values_as_second_home(flag: object):
    assert refused(provident_rate, "2020-01-01", 300, second_home=flag).name == "second_home"
    err = refused(loan_rate, released="2020-01-01", months=300, on="2021-01-01", second_home=flag)
    assert err.name == "second_home"


def test_scalar_lookups_take_numpy_bools():
    assert provident_rate("2023-01-01", 120, second_home=np.True_) == Decimal("0.03575")


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: repricing_date("9999-05-01"), "change_effective"),
        (lambda: repricing_date("9999-08-01", "july_same_year"), "change_effective"),
        (lambda: loan_rate(released="9999-01-01", months=300, on="9999-02-01"), "released"),
        (lambda: loan_rate(released="9999-12-31", months=1, on="9999-12-31"), "released"),
        (lambda: repricing_dates(released="9990-01-01", months=300), "released"),
        (lambda: repricing_dates(released="9999-12-01", months=1, until="9999-12-31"), "released"),
    ],
)
def test_dates_near_year_9999_are_input_errors(call: Any, name: str):
    assert refused(call).name == name


def test_dates_near_year_9999_that_fit_still_work():
    assert repricing_date("9999-05-01", "july_same_year") == date(9999, 7, 1)
    assert repricing_date("9999-12-31", "immediate") == date(9999, 12, 31)
    assert loan_rate(released="9999-01-01", months=11, on="9999-12-01") == Decimal("0.021")
    # a loan maturing in 9999: the 2025 cut reaches it, no later change exists
    assert repricing_dates(released="9974-01-01", months=300) == []
    assert provident_rate("9999-12-31", 300) == Decimal("0.026")


def test_a_table_change_in_year_9999_never_reaches_past_the_maturity():
    table = RateTable(
        (
            RateRow(date(2020, 1, 1), Decimal("0.02"), Decimal("0.03"), source="x"),
            RateRow(date(9999, 6, 1), Decimal("0.01"), Decimal("0.02"), source="x"),
        )
    )
    # next_january of 9999-06-01 would be year 10000: after any maturity, so ignored
    assert repricing_dates(released="9975-01-01", months=299, table=table) == []
    assert loan_rate(released="9975-01-01", months=299, on="9999-12-01", table=table) == Decimal("0.03")


def test_dates_near_year_1_are_refused_by_the_table_not_by_an_overflow():
    assert refused(provident_rate, "0001-01-01", 300).name == "on"
    assert refused(provident_rates, ["0001-01-01"], [300]).name == "on[0]"
    assert refused(lpr, "0001-01-01", "1y").name == "on"
    assert refused(loan_rate, released="0001-01-01", months=600, on="0001-01-01").name == "released"


# --- rate tables: files and cells ---------------------------------------------------------------


@pytest.mark.parametrize("cls", [RateTable, LprTable])
def test_a_missing_rate_file_says_not_found_and_names_it(cls: Any, tmp_path: Path):
    path = tmp_path / "missing.csv"
    err = refused(cls.from_csv, path)
    assert isinstance(err, FileInputError)
    assert err.name == str(path)
    assert "not found" in str(err)
    assert "out of range" not in str(err)
    err = refused(cls.from_csv, path, name="scenario")
    assert err.name == "scenario"
    assert str(path) in str(err)


def test_a_rate_file_that_cannot_be_read_is_an_input_error_naming_it(tmp_path: Path):
    assert "is a directory" in str(refused(RateTable.from_csv, tmp_path))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(CSV_HEAD.encode() + b"2030-01-01,0.02,0.025,caf\xe9\n")
    err = refused(RateTable.from_csv, latin)
    assert (err.name, "not UTF-8" in str(err)) == (str(latin), True)
    long_name = tmp_path / ("a" * 256 + ".csv")
    assert refused(RateTable.from_csv, long_name).name == str(long_name)
    assert "not a valid file name" in str(refused(RateTable.from_csv, "bad\0name.csv"))


def test_a_rate_file_that_is_a_fifo_or_too_large_is_refused_without_reading(tmp_path: Path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in str(refused(RateTable.from_csv, fifo))  # would block on open
    big = tmp_path / "big.csv"
    big.write_text(CSV_HEAD + "2030-01-01,0.02,0.025,x\n" * 50_000)
    assert "larger than" in str(refused(RateTable.from_csv, big))


def test_a_rate_file_without_permission_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "rates.csv"
    path.write_text(CSV_HEAD + "2030-01-01,0.02,0.025,x\n")

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(packs_module, "open", denied, raising=False)
    err = refused(RateTable.from_csv, path)
    assert (err.name, "permission denied" in str(err)) == (str(path), True)


def test_a_rate_file_without_permission_on_disk(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "rates.csv"
    path.write_text(CSV_HEAD + "2030-01-01,0.02,0.025,x\n")
    path.chmod(0)
    try:
        assert "permission denied" in str(refused(RateTable.from_csv, path))
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    "cell", ["1e999999999", "1e-999999999", "1e999999999%", "0." + "1" * 5000, "1,5", "0,0325", "nan", "inf", "-0.01", "0.2000000000001"]
)
def test_rate_cells_are_bounded_before_any_arithmetic(cell: str, tmp_path: Path):
    path = tmp_path / "rates.csv"
    path.write_text(f'{CSV_HEAD}2030-01-01,"{cell}",0.025,x\n')
    err = refused(RateTable.from_csv, path)
    assert err.name == f"{path} row 1 (line 2), column le5y"
    records = [{"effective": "2030-01-01", "lpr_1y": cell, "lpr_5y": "0.03", "source": "x"}]
    assert refused(LprTable.from_records, records, name="t").name == "t row 1, column lpr_1y"


def test_rate_cells_keep_their_written_decimal(tmp_path: Path):
    path = tmp_path / "rates.csv"
    path.write_text(f"\ufeff{CSV_HEAD}2030-01-01,3.250%,0.0250,x\n")  # a BOM is allowed
    row = RateTable.from_csv(path).rows[0]
    assert (str(row.le5y), str(row.gt5y)) == ("0.03250", "0.0250")


@pytest.mark.parametrize("value", [Decimal("1e-999999999"), Decimal("0." + "1" * 200), Decimal("NaN")])
def test_a_table_built_in_code_bounds_its_decimals_too(value: Decimal):
    # Fraction(Decimal("1e-999999999")) would expand the exponent later, in the amortizer
    err = refused(RateTable, (RateRow(date(2030, 1, 1), value, Decimal("0.025"), source="x"),))
    assert err.name == "RateTable row 1, column le5y"


def test_a_table_source_message_cites_no_internal_document():
    err = refused(RateTable, (RateRow(date(2030, 1, 1), Decimal("0.02"), Decimal("0.025"), source=""),))
    assert "DOMAIN" not in str(err)


# --- packs ---------------------------------------------------------------------------------------


def test_a_missing_pack_file_says_not_found(tmp_path: Path):
    path = tmp_path / "nowhere.toml"
    err = refused(load_pack, path)
    assert isinstance(err, FileInputError)
    assert err.name == str(path)
    assert "not found" in str(err)
    assert "out of range" not in str(err)
    assert "not found" in str(refused(load_pack, str(path)))


def test_a_pack_path_that_is_a_directory_or_not_a_file(tmp_path: Path):
    assert "is a directory" in str(refused(load_pack, tmp_path))
    assert "is a directory" in str(refused(load_pack, str(tmp_path)))
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert refused(load_pack, folder).name == str(folder)
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert "not a regular file" in str(refused(load_pack, fifo))
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")  # would fill memory if read
    assert "not a regular file" in str(refused(load_pack, link))


def test_a_pack_file_name_of_256_bytes_is_an_input_error(tmp_path: Path):
    path = tmp_path / ("a" * 256 + ".toml")
    err = refused(load_pack, path)
    assert err.name == str(path)
    assert "cannot be read" in str(err)


def test_a_pack_file_without_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_pack(tmp_path, "")

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(packs_module, "open", denied, raising=False)
    err = refused(load_pack, path)
    assert (err.name, "permission denied" in str(err)) == (str(path), True)
    monkeypatch.setattr(packs_module, "open", builtins.open)
    assert load_pack(path).name == "demo"


def test_a_pack_file_without_permission_on_disk(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = write_pack(tmp_path, "")
    path.chmod(0)
    try:
        assert "permission denied" in str(refused(load_pack, path))
    finally:
        path.chmod(0o644)


def test_a_pack_file_that_is_not_utf8_or_too_large(tmp_path: Path):
    path = tmp_path / "latin.toml"
    path.write_bytes(HEAD.encode() + b'note = "\xe9"\n')
    err = refused(load_pack, path)
    assert (err.name, "not UTF-8" in str(err)) == (str(path), True)
    big = tmp_path / "big.toml"
    big.write_text(HEAD + "# padding\n" * 200_000)
    assert "larger than" in str(refused(load_pack, big))


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 100_000,
        "a = " + "[" * 500 + "]" * 500,
        "a = " + "{b = " * 100_000,
        HEAD + "[quota]\nhouse_types = { value = " + "[" * 40 + '"x"' + "]" * 40 + ', source = "x" }\n',
        HEAD + "x = 1" + "0" * 5000 + "\n",
    ],
)
def test_deeply_nested_or_huge_toml_is_an_input_error_naming_the_file(text: str, tmp_path: Path):
    path = tmp_path / "deep.toml"
    path.write_text(text)
    err = refused(load_pack, path)
    assert err.name == str(path)


def test_parse_pack_refuses_deep_mappings_built_in_code():
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    err = refused(parse_pack, {"pack": {"name": "d", "title": "D", "effective": "undated"}, "x": deep}, origin="code")
    assert err.name == "code"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("unit", '"1e999999999"'),
        ("unit", '"1e-999999999"'),
        ("unit", '"1,000,00"'),  # a comma only as a thousands separator
        ("unit", '"690000,50"'),
        ("unit", "inf"),
        ("unit", "nan"),
        ("unit", "true"),
        ("ltv", '"1e-999999999"'),
        ("ltv", '"0.' + "1" * 5000 + '"'),
        ("balance_multiple", '"1e999999999"'),
        ("max_term_months", "1" + "0" * 4000),
        ("max_term_months", "12.0"),
        ("unsettled_loan_refused", '"yes"'),
        ("unsettled_loan_refused", "1"),
    ],
)
def test_pack_values_are_coerced_and_bounded(key: str, value: str, tmp_path: Path):
    path = write_pack(tmp_path, f'[quota]\n{key} = {{ value = {value}, source = "x" }}\n')
    err = refused(load_pack, path)
    assert err.name == f"{path}: quota.{key}.value"


def test_pack_values_with_thousands_separators_are_read(tmp_path: Path):
    path = write_pack(tmp_path, '[quota]\nunit = { value = "1,000", source = "x" }\n')
    assert load_pack(path).quota.unit.value == 1000  # type: ignore[union-attr]


def test_a_pack_name_that_is_not_a_path_is_still_an_unknown_pack():
    err = refused(load_pack, "atlantis")
    assert err.name == "pack"
    assert "out of range" in str(err)
    for value in (b"jilin.toml", 3, None, ["jilin"]):
        assert refused(load_pack, value).name == "pack"


# --- rule functions: booleans, dates and amounts ------------------------------------------------

LIANGSHAN_FACTS: dict[str, object] = {
    "on": "2024-06-01", "contribution_months": 6, "employer_unpaid_months": 0,
    "last_withdrawal": None, "other_housing_loan": False, "guarantee": False,
    "overdue_consecutive": 0, "overdue_total": 0, "purchase_date": "2023-09-01", "homes": 1,
}  # fmt: skip


@pytest.mark.parametrize("flag", ["yes", "no", "", 1, 0, None, 1.0])
def test_rule_booleans_are_bools_only(flag: object):
    if flag is not None:  # second_home=None is the default: a first home
        assert refused(loan_quota, "liangshan", area="西昌市", house_price=700_000,
                       second_home=flag).name == "second_home"
    err = refused(loan_quota, "qingdao", house_type="再交易住房", house_age=3, has_unsettled_loan=flag)
    assert err.name == "has_unsettled_loan"
    assert refused(loan_quota, "liangshan", area="西昌市", house_price=700_000, enforce=flag).name == "enforce"
    assert refused(withdrawal_cap, "qingdao", "rent", balance=5000, enforce=flag).name == "enforce"
    assert refused(check_contribution_ratio, "liangshan", "12%", enforce=flag).name == "enforce"
    assert refused(check_eligibility, "liangshan", enforce=flag, **LIANGSHAN_FACTS).name == "enforce"
    facts = {**LIANGSHAN_FACTS, "guarantee": flag}
    assert refused(check_eligibility, "liangshan", **facts).name == "guarantee"


def test_rule_booleans_take_numpy_bools():
    quota = loan_quota("liangshan", area="西昌市", house_price=700_000, second_home=np.False_)
    assert quota.amount == Decimal("560000.00")
    facts = {**LIANGSHAN_FACTS, "guarantee": np.False_}
    assert check_eligibility("liangshan", enforce=np.False_, **facts).ok


def test_withdrawal_flags_refuse_truthy_strings():
    pack = next(p for p in ("jilin", "liangshan") if "retirement" in load_pack(p).withdrawal_kinds)
    err = refused(
        withdrawal_cap, pack, "retirement", balance=1000, age=70, sex="male", account_sealed="yes"
    )
    assert err.name == "account_sealed"


@pytest.mark.parametrize(
    ("facts", "name"),
    [
        ({"on": "0001-01-01", "last_withdrawal": "0001-01-01", "purchase_date": "0001-01-01"}, "on"),
        ({"on": "0001-06-01", "last_withdrawal": None, "purchase_date": "0001-01-01"}, "on"),
        ({"on": "0002-06-01", "last_withdrawal": None, "purchase_date": "0002-01-01"}, "on"),
    ],
)
def test_eligibility_look_backs_before_year_1_are_input_errors(facts: dict[str, object], name: str):
    err = refused(check_eligibility, "liangshan", **{**LIANGSHAN_FACTS, **facts})
    assert err.name == name
    assert "0001-01-01" in str(err)


def test_eligibility_near_year_9999_works():
    facts = {**LIANGSHAN_FACTS, "on": "9999-12-31", "purchase_date": "9999-12-30", "last_withdrawal": "9999-01-01"}
    assert [r.name for r in check_eligibility("liangshan", **facts).reasons] == []
    assert check_eligibility("liangshan", **{**facts, "last_withdrawal": None}).ok


@pytest.mark.parametrize("amount", ["1e999999999", "1e-999999999", "690000,50", "1,5", b"1000", True, 1 + 0j, float("inf")])
def test_rule_amounts_are_bounded(amount: object):
    assert refused(loan_quota, "liangshan", area="西昌市", house_price=amount).name == "house_price"
    assert refused(withdrawal_cap, "qingdao", "rent", balance=amount).name == "balance"
    assert refused(offset_split, due=amount, own_available=1, own_use=1).name == "due"
    assert refused(check_contribution_ratio, "liangshan", amount).name == "ratio"


def test_withdrawal_limits_cite_no_internal_document():
    result = withdrawal_cap("qingdao", "rent", balance="5000.55")
    assert all("SPEC" not in limit.source for limit in result.limits)


def test_every_refusal_is_a_gjjcalc_error_and_a_value_error():
    err = refused(load_pack, "/nowhere/x.toml")
    assert isinstance(err, GjjcalcError)
    assert isinstance(err, ValueError)


# --- gjjcalc.testing: strategy bounds ------------------------------------------------------------


@pytest.mark.parametrize(
    "bound", ["1e999999999", "1e-999999999", "1" * 5000, "0." + "1" * 5000, "1,5", True, b"0.03", 1 + 0j, float("nan")]
)
def test_testing_rates_bounds_are_coerced_as_rates(bound: object):
    testing = pytest.importorskip("gjjcalc.testing")
    assert refused(testing.rates, low=bound).name == "low"
    assert refused(testing.rates, high=bound).name == "high"


def test_testing_strategies_refuse_hostile_bounds_and_flags():
    testing = pytest.importorskip("gjjcalc.testing")
    assert refused(testing.loans, max_principal="1e999999999").name == "max_principal"
    assert refused(testing.loans, min_months=True).name == "min_months"
    assert refused(testing.loans, half_fen="yes").name == "half_fen"
    assert refused(testing.portfolios, half_fen="no").name == "half_fen"
    assert refused(testing.half_fen_balances, "1e-999999999").name == "annual_rate"


# --- a sweep of date extremes -------------------------------------------------------------------

EXTREME_DAYS = ["0001-01-01", "0001-12-31", "0002-01-01", "9998-12-31", "9999-01-01", "9999-06-30", "9999-12-31"]
EARLY_TABLE = RateTable(
    (
        RateRow(date(1, 1, 1), Decimal("0.02"), Decimal("0.03"), source="x"),
        RateRow(date(1, 6, 1), Decimal("0.021"), Decimal("0.031"), source="x"),
        RateRow(date(9999, 6, 1), Decimal("0.01"), Decimal("0.02"), source="x"),
        RateRow(date(9999, 12, 31), Decimal("0.011"), Decimal("0.021"), source="x"),
    )
)


def _typed_or_value(call: Any) -> None:
    """``call()`` returns, or raises a GjjcalcError; nothing else escapes."""
    with contextlib.suppress(GjjcalcError):
        call()


@pytest.mark.parametrize("released", EXTREME_DAYS)
@pytest.mark.parametrize("table", [None, EARLY_TABLE], ids=["shipped", "early"])
def test_rate_lookups_at_date_extremes_raise_only_typed_errors(released: str, table: RateTable | None):
    for months in (1, 12, 13, 60, 61, 300, 600):
        for rule in ("next_january", "july_same_year", "immediate", "never"):
            for on in EXTREME_DAYS:
                _typed_or_value(lambda: loan_rate(released=released, months=months, on=on, repricing=rule, table=table))  # noqa: B023
            _typed_or_value(lambda: repricing_dates(released=released, months=months, repricing=rule, table=table))  # noqa: B023
            _typed_or_value(lambda: repricing_dates(released=released, months=months, until="9999-12-31", repricing=rule, table=table))  # noqa: B023
        _typed_or_value(lambda: provident_rate(released, months, table=table))  # noqa: B023
    for rule in ("next_january", "july_same_year", "immediate", "never"):
        _typed_or_value(lambda: repricing_date(released, rule))  # noqa: B023
    _typed_or_value(lambda: lpr(released, "5y"))
    _typed_or_value(lambda: provident_rates([released], [300], table=table))


@pytest.mark.parametrize("on", EXTREME_DAYS)
@pytest.mark.parametrize("other", EXTREME_DAYS)
def test_eligibility_at_date_extremes_raises_only_typed_errors(on: str, other: str):
    for pack in ("liangshan", "qingdao", "jilin", "liuzhou", "ningxia"):
        facts = {**LIANGSHAN_FACTS, "on": on, "purchase_date": other, "last_withdrawal": other}
        _typed_or_value(lambda: check_eligibility(pack, **facts))  # noqa: B023


def test_from_records_refuses_cells_that_are_not_text_instead_of_dropping_them():
    record = {"effective": "2030-01-01", "le5y": "2%", "gt5y": "2.5%", "source": "x"}
    err = refused(RateTable.from_records, [{**record, "second_le5y": Decimal("0.03")}], name="t")
    assert err.name == "t row 1, column second_le5y"
    err = refused(RateTable.from_records, [{**record, "effective": date(2030, 1, 1)}], name="t")
    assert err.name == "t row 1, column effective"
    assert RateTable.from_records([{**record, "second_le5y": None}], name="t").rows[0].second_le5y is None


@pytest.mark.parametrize(("records", "name"), [(5, "t records"), ("abc", "t records"), ([5], "t row 1"), ([None], "t row 1")])
def test_from_records_refuses_what_is_not_rows_of_mappings(records: object, name: str):
    assert refused(RateTable.from_records, records, name="t").name == name
    assert refused(LprTable.from_records, records, name="t").name == name


@pytest.mark.parametrize("name", [["notes"], None, 1, b"notes"])
def test_a_variant_name_that_is_not_text_is_an_input_error(name: object):
    assert refused(load_pack("jilin").variant, name).name == "variant"


def test_hostile_files_found_by_name_are_input_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "latin.toml").write_bytes(HEAD.encode() + b'note = "\xe9"\n')
    (tmp_path / "deep.toml").write_text(HEAD + "a = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    (tmp_path / "huge.toml").write_text(HEAD + '[quota]\nunit = { value = "1e999999999", source = "x" }\n',
                                        encoding="utf-8")
    (tmp_path / "folder.toml").mkdir()
    monkeypatch.setenv("GJJCALC_PACKS", f"{tmp_path}{os.pathsep}{tmp_path / 'absent'}")
    err = refused(load_pack, "latin")
    assert (err.name, "not UTF-8" in str(err)) == (str(tmp_path / "latin.toml"), True)
    assert refused(load_pack, "deep").name == str(tmp_path / "deep.toml")
    assert refused(load_pack, "huge").name == f"{tmp_path / 'huge.toml'}: quota.unit.value"
    err = refused(load_pack, "folder")  # a directory named like a pack is not one
    assert err.name == "pack"
    assert "not found in GJJCALC_PACKS directory" in str(err)


def test_deep_or_huge_dated_versions_stay_input_errors():
    deep: Any = "x"
    for _ in range(60):
        deep = [deep]
    data = {"pack": {"name": "d", "title": "D", "effective": "undated"},
            "quota": {"ltv": [{"value": deep, "source": "x"}]}}
    assert refused(parse_pack, data, origin="code").name == "code"
    data["quota"] = {"ltv": [{"value": "1e999999999", "source": "x", "effective": date(2020, 1, 1)}]}
    assert refused(parse_pack, data, origin="code").name == "code: quota.ltv[0].value"
    data["quota"] = {"ltv": [{"value": "80%", "source": "x", "effective": "2020-01-01"}]}
    assert refused(parse_pack, data, origin="code").name == "code: quota.ltv[0].effective"
