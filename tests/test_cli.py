"""The gjjcalc command line: seed 001 figures in every format, exit codes, help, import cost."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
import unicodedata
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import PrepaymentResult, equal_installment, equal_principal, payoff, prepay
from gjjcalc.cli import main
from gjjcalc.rules import loan_quota
from gjjcalc.rules.rates import lpr, provident_rate

SEED_LOAN = ["690000", "3.25%", "300"]
PAYOFF = ["payoff", "--balance", "646609.84", "--rate", "3.25%", "--on", "2018-01-10"]
PREPAY = [
    "prepay", "--balance", "646609.84", "--rate", "0.0325", "--remaining-months", "272",
    "--payment", "3362.48", "--amount", "10000", "--interest-from", "2017-12-29",
    "--maturity", "2040-08-28",
]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    return out


def table_block(out: str) -> list[str]:
    """The lines of the schedule table: from its header to the totals line."""
    lines = out.splitlines()
    start = next(k for k, line in enumerate(lines) if line.split()[:1] == ["period"])
    return lines[start:]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --- schedule ----------------------------------------------------------------------------


def test_schedule_table_shows_the_seed_payment_every_row_and_the_totals(capsys):
    out = run_ok(capsys, "schedule", *SEED_LOAN)
    lib = equal_installment(690000, "3.25%", 300)
    summary = dict(line.split()[:2] for line in out.splitlines()[: out.splitlines().index("")])
    assert summary["payment"] == "3362.48"
    assert summary["total_interest"] == str(lib.total_interest) == "318744.90"
    block = table_block(out)
    assert block[0].split() == ["period", "payment", "principal", "interest", "balance"]
    rows = [line.split() for line in block[1:-1]]
    assert len(rows) == 300
    assert rows[27] == ["28", "3362.48", "1606.89", "1755.59", "646609.84"]
    assert Decimal(rows[27][-1]) == lib.balance_after(28)
    assert rows[-1] == ["300", "3363.38", "3354.30", "9.08", "0.00"]
    assert block[-1].split() == ["total", "1008744.90", "690000.00", "318744.90"]
    # Right-aligned numeric columns: the header and every row end in the same column.
    assert {len(line) for line in block[:-1]} == {len(block[0])}


def test_schedule_rate_as_a_fraction_or_a_percent_gives_the_same_output(capsys):
    assert run_ok(capsys, "schedule", "690000", "0.0325", "300") == run_ok(capsys, "schedule", *SEED_LOAN)


def test_schedule_csv_has_the_header_and_300_rows_equal_to_the_library(capsys):
    out = run_ok(capsys, "schedule", *SEED_LOAN, "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["period", "payment", "principal", "interest", "balance"]
    assert len(rows) == 301
    lib = equal_installment(690000, "3.25%", 300)
    expected = [
        [str(r.period), str(r.payment), str(r.principal), str(r.interest), str(r.balance)] for r in lib
    ]
    assert rows[1:] == expected
    assert rows[28] == ["28", "3362.48", "1606.89", "1755.59", "646609.84"]


def test_schedule_first_due_adds_the_due_date_column(capsys):
    out = run_ok(capsys, "schedule", *SEED_LOAN, "--first-due", "2015-09-28", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["period", "due_date", "payment", "principal", "interest", "balance"]
    assert rows[28][:2] == ["28", "2017-12-28"]
    assert rows[28][-1] == "646609.84"
    assert rows[300][1] == "2040-08-28"  # seed 001's maturity
    table = run_ok(capsys, "schedule", *SEED_LOAN, "--first-due", "2015-09-28")
    row28 = next(line.split() for line in table_block(table) if line.split()[0] == "28")
    assert row28 == ["28", "2017-12-28", "3362.48", "1606.89", "1755.59", "646609.84"]


def test_schedule_json_equals_the_library_schedule(capsys):
    data = json.loads(run_ok(capsys, "schedule", *SEED_LOAN, "--json"))
    lib = equal_installment(690000, "3.25%", 300)
    assert data["payment"] == "3362.48"
    assert (data["method"], data["convention"], data["months"]) == ("equal_installment", "center", 300)
    assert (data["loan"], data["annual_rate"]) == ("690000.00", "0.0325")
    assert (data["total_payment"], data["total_interest"]) == (str(lib.total_payment), str(lib.total_interest))
    assert data["first_due"] is None
    assert data["monthly_decrease"] is None
    assert len(data["rows"]) == 300
    assert data["rows"][27] == {
        "period": 28, "payment": "3362.48", "principal": "1606.89",
        "interest": "1755.59", "balance": "646609.84",
    }  # fmt: skip
    for row, r in zip(data["rows"], lib, strict=True):
        assert row["period"] == r.period
        assert [Decimal(row[k]) for k in ("payment", "principal", "interest", "balance")] == [
            r.payment, r.principal, r.interest, r.balance,
        ]  # fmt: skip


def test_schedule_ledger_convention_shows_the_bank_statement_balance(capsys):
    data = json.loads(run_ok(capsys, "schedule", *SEED_LOAN, "--convention", "ledger", "--json"))
    assert data["rows"][27]["balance"] == "646609.83"
    assert data["convention"] == "ledger"


def test_schedule_equal_principal_matches_seed_004(capsys):
    data = json.loads(
        run_ok(capsys, "schedule", "1000000", "4.9%", "360", "--method", "equal_principal", "--json")
    )
    assert (data["payment"], data["monthly_decrease"], data["total_interest"]) == (
        "6861.11", "11.34", "737041.67",
    )  # fmt: skip
    table = run_ok(capsys, "schedule", "1000000", "4.9%", "360", "--method", "equal_principal")
    summary = {line.split()[0]: line.split()[1:] for line in table.splitlines()[:12] if line}
    assert summary["monthly_decrease"] == ["11.34", "每月递减"]
    assert summary["payment"] == ["6861.11", "首月还款额"]


@settings(max_examples=25, deadline=None)
@given(
    # at least a yuan a month, so the rounded payment repays (smaller loans are refused)
    fen=st.integers(min_value=36_000, max_value=200_000_000),
    basis_points=st.integers(min_value=0, max_value=1000),
    months=st.integers(min_value=1, max_value=360),
    method=st.sampled_from(["equal_installment", "equal_principal"]),
    convention=st.sampled_from(["center", "ledger", "exact"]),
)
def test_schedule_json_matches_the_library_for_any_loan(fen, basis_points, months, method, convention):
    principal = str(Decimal(fen).scaleb(-2))
    rate = f"{Decimal(basis_points).scaleb(-2)}%"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["schedule", principal, rate, str(months), "--method", method,
                     "--convention", convention, "--json"])  # fmt: skip
    assert code == 0
    data = json.loads(out.getvalue())
    build = equal_principal if method == "equal_principal" else equal_installment
    lib = build(principal, rate, months, convention=convention)
    assert [row["payment"] for row in data["rows"]] == [str(x) for x in lib.payment]
    assert [row["balance"] for row in data["rows"]] == [str(x) for x in lib.balance]
    assert data["rows"][-1]["balance"] == "0.00"
    assert data["total_interest"] == str(lib.total_interest)


# --- payoff ------------------------------------------------------------------------------


def test_payoff_json_is_the_seed_001_quote(capsys):
    data = json.loads(run_ok(capsys, *PAYOFF, "--interest-from", "2017-12-29", "--json"))
    assert data == {"principal": "646609.84", "interest": "700.49", "total": "647310.33", "days": 12}
    q = payoff(balance="646609.84", annual_rate="3.25%", on="2018-01-10", interest_from="2017-12-29")
    assert data == {f.name: (getattr(q, f.name) if f.name == "days" else str(getattr(q, f.name)))
                    for f in fields(q)}  # fmt: skip


def test_payoff_days_is_the_same_as_interest_from(capsys):
    by_date = run_ok(capsys, *PAYOFF, "--interest-from", "2017-12-29")
    assert run_ok(capsys, *PAYOFF, "--days", "12") == by_date
    assert by_date.split() == [
        "principal", "646609.84", "提前结清本金",
        "interest", "700.49", "提前结清利息",
        "total", "647310.33", "提前还款总额",
        "days", "12", "计息天数",
    ]  # fmt: skip


def test_payoff_csv_is_one_record(capsys):
    rows = list(csv.reader(io.StringIO(run_ok(capsys, *PAYOFF, "--days", "12", "--csv"))))
    assert rows == [["principal", "interest", "total", "days"], ["646609.84", "700.49", "647310.33", "12"]]


def test_payoff_with_a_pack_is_refused_in_jilins_year_end_blackout(capsys):
    code, out, err = run(capsys, "payoff", "--balance", "646609.84", "--rate", "3.25%",
                         "--on", "2018-01-02", "--interest-from", "2017-12-29",
                         "--pack", "jilin", "--due-day", "28")  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith("gjjcalc payoff: error: blackout: 2018-01-02 falls in the yearly blackout")
    assert "Traceback" not in err
    ok = run_ok(capsys, *PAYOFF, "--interest-from", "2017-12-29", "--pack", "jilin", "--due-day", "28")
    assert "647310.33" in ok


# --- prepay ------------------------------------------------------------------------------


def test_prepay_shorten_term_is_the_seed_001_trial(capsys):
    data = json.loads(run_ok(capsys, *PREPAY, "--on", "2018-01-10", "--mode", "shorten_term", "--json"))
    assert data == {
        "amount": "10000.00",
        "interest": "10.83",
        "total": "10010.83",
        "new_balance": "636609.84",
        "remaining_months": 266,
        "payment": "3362.48",
        "maturity": "2040-02-28",
        "interest_saved": data["interest_saved"],
        "days": 12,
        "mode": "shorten_term",
    }
    lib = prepay(balance="646609.84", annual_rate="0.0325", remaining_months=272, payment="3362.48",
                 amount=10000, on="2018-01-10", interest_from="2017-12-29", mode="shorten_term",
                 maturity="2040-08-28")  # fmt: skip
    assert data["interest_saved"] == str(lib.interest_saved)


def test_prepay_lower_payment_is_the_seed_001_trial(capsys):
    out = run_ok(capsys, *PREPAY, "--on", "2018-01-09", "--mode", "lower_payment", "--csv")
    header, row = list(csv.reader(io.StringIO(out)))
    assert header == [f.name for f in fields(PrepaymentResult)]
    record = dict(zip(header, row, strict=True))
    assert (record["interest"], record["total"], record["payment"]) == ("9.93", "10009.93", "3310.48")
    assert (record["remaining_months"], record["maturity"], record["days"]) == ("272", "2040-08-28", "11")


def test_prepay_table_names_the_mode_in_chinese(capsys):
    argv = [*PREPAY, "--on", "2018-01-10", "--mode", "shorten_term"]
    out = run_ok(capsys, *argv)
    argv[argv.index("--interest-from") : argv.index("--interest-from") + 2] = ["--days", "12"]
    assert run_ok(capsys, *argv) == out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()}
    assert lines["interest"] == ["10.83", "提前还本利息"]
    assert lines["remaining_months"] == ["266", "变更后剩余期数"]
    assert lines["payment"] == ["3362.48", "变更后月还款额"]
    assert lines["mode"] == ["shorten_term", "还款方式变更：还款额不变，止贷期提前"]


def test_prepay_with_jilins_pack_refuses_an_amount_not_a_multiple_of_1000(capsys):
    argv = [*PREPAY, "--on", "2018-01-10", "--mode", "shorten_term", "--pack", "jilin"]
    argv[argv.index("10000")] = "10500"
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("gjjcalc prepay: error: multiple: 10500.00 is not a multiple of 1000.00")


# --- quota -------------------------------------------------------------------------------


def test_quota_liangshan_xichang_cap_binds_for_an_expensive_home(capsys):
    argv = ["quota", "liangshan", "--area", "西昌市", "--house-price", "5000000"]
    data = json.loads(run_ok(capsys, *argv, "--json"))
    assert (data["amount"], data["binding"], data["ok"]) == ("600000.00", "region_cap", True)
    assert [(x["name"], x["value"]) for x in data["limits"]] == [
        ("region_cap", "600000.00"), ("loan_to_value", "4000000.00"),
    ]  # fmt: skip
    assert data["reasons"] == []
    lib = loan_quota("liangshan", area="西昌市", house_price=5_000_000)
    assert [x["source"] for x in data["limits"]] == [x.source for x in lib.limits]

    table = run_ok(capsys, *argv)
    assert table.splitlines()[1].split() == ["amount", "600000.00", "贷款额度"]
    assert table.splitlines()[2].split()[:2] == ["binding", "region_cap"]
    # Every line fits an 80-column terminal (Chinese characters take two): the table shows
    # limit and value, each limit's detail and source follow below it, wrapped.
    lines = table.splitlines()
    assert max(display_width(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("limit"))
    assert header.split() == ["limit", "value"]
    assert [line.split() for line in lines[lines.index(header) + 1 :][:2]] == [
        ["region_cap", "600000.00"], ["loan_to_value", "4000000.00"],
    ]  # fmt: skip
    notes = " ".join(line.strip() for line in lines[lines.index(header) + 3 :])
    for limit in lib.limits:
        assert f"{limit.name}: " in notes
        assert limit.source.replace(" ", "") in notes.replace(" ", "")

    rows = list(csv.reader(io.StringIO(run_ok(capsys, *argv, "--csv"))))
    assert rows[0] == ["limit", "value", "source", "detail"]
    assert [r[:2] for r in rows[1:]] == [["region_cap", "600000.00"], ["loan_to_value", "4000000.00"]]


def test_quota_loan_to_value_binds_below_the_cap(capsys):
    data = json.loads(run_ok(capsys, "quota", "liangshan", "--area", "西昌市", "--house-price", "700000", "--json"))
    assert (data["amount"], data["binding"]) == ("560000.00", "loan_to_value")


def test_quota_refusal_reports_zero_or_exits_2_with_enforce(capsys):
    argv = ["quota", "qingdao", "--house-type", "再交易住房", "--house-age", "31"]
    data = json.loads(run_ok(capsys, *argv, "--json"))
    assert (data["amount"], data["binding"], data["ok"]) == ("0.00", "house_age", False)
    assert [(r["name"], r["value"]) for r in data["reasons"]] == [("house_age", 30)]
    code, out, err = run(capsys, *argv, "--enforce")
    assert (code, out) == (2, "")
    assert err.startswith("gjjcalc quota: error: house_age: the house is 31 years old, more than 30")


# --- rate --------------------------------------------------------------------------------


def test_rate_on_2025_05_08_for_360_months_is_2_6_percent(capsys):
    data = json.loads(run_ok(capsys, "rate", "2025-05-08", "--months", "360", "--json"))
    assert data == {
        "on": "2025-05-08", "effective": "2025-05-08", "months": 360,
        "second_home": False, "rate": "0.026",
    }  # fmt: skip
    assert Decimal(data["rate"]) == provident_rate("2025-05-08", 360)
    table = run_ok(capsys, "rate", "2025-05-08", "--months", "360")
    assert table.splitlines()[-1].split() == ["rate", "0.026", "公积金贷款利率", "2.6%"]


def test_rate_the_day_before_a_change_and_the_second_home_column(capsys):
    data = json.loads(run_ok(capsys, "rate", "2025-05-07", "--months", "36", "--json"))
    assert (data["rate"], data["effective"]) == ("0.0235", "2024-05-18")
    second = json.loads(run_ok(capsys, "rate", "2023-01-01", "--months", "120", "--second-home", "--json"))
    assert (second["rate"], second["second_home"]) == ("0.03575", True)


def test_rate_without_months_shows_both_tiers_and_lpr_on_request(capsys):
    data = json.loads(run_ok(capsys, "rate", "2025-05-08", "--lpr", "--json"))
    assert (data["months"], data["le5y"], data["gt5y"]) == (None, "0.021", "0.026")
    assert (data["lpr_1y"], data["lpr_5y"]) == (str(lpr("2025-05-08", "1y")), str(lpr("2025-05-08", "5y")))
    rows = list(csv.reader(io.StringIO(run_ok(capsys, "rate", "2025-05-08", "--csv"))))
    assert rows == [["on", "effective", "months", "second_home", "le5y", "gt5y"],
                    ["2025-05-08", "2025-05-08", "", "false", "0.021", "0.026"]]  # fmt: skip


# --- errors, help, entry points ----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["schedule", "690000", "3.25%", "0"], "months=0 is out of range: expected an integer from 1 to 600"),
        (["schedule", "690000", "3.25%", "12.5"], "months='12.5' is out of range"),
        (["schedule", "690000", "3.25", "300"], "rate='3.25' is out of range: expected an annual rate from 0 to 1"),
        (["schedule", "-5", "3.25%", "300"], "principal='-5' is out of range"),
        (["schedule", "690000.001", "3.25%", "300"], "in whole fen"),
        (["schedule", *SEED_LOAN, "--first-due", "2015-02-30"], "--first-due='2015-02-30' is out of range: expected a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)"),
        ([*PAYOFF, "--interest-from", "2018-02-01"], "--on='2018-01-10' is out of range: expected a date on or after --interest-from=2018-02-01"),
        ([*PAYOFF, "--days", "-1"], "--days='-1' is out of range: expected a whole number of days, 0 or more"),
        ([*PREPAY, "--on", "2018-01-10", "--mode", "shorten_term", "--new-remaining-months", "272"],
         "--new-remaining-months=272 is out of range: expected fewer remaining months than the current 272"),
        (["quota", "liangshan", "--area", "北京市", "--house-price", "1000000"], "--area='北京市' is out of range"),
        (["quota", "jilin", "--house-price", "1000000"], "publishes none"),
        (["rate", "2006-01-01", "--months", "120"], "DATE='2006-01-01' is out of range: expected a date on or after 2006-04-28"),
        (["rate", "2025-13-01"], "DATE='2025-13-01' is out of range"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_the_message_and_no_traceback(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"gjjcalc {argv[0]}: error: ")
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["amortize"], "invalid choice: 'amortize'"),
        (["schedule", "690000", "3.25%"], "the following arguments are required: months"),
        (["schedule", *SEED_LOAN, "--method", "balloon"], "invalid choice: 'balloon'"),
        (["schedule", *SEED_LOAN, "--csv", "--json"], "not allowed with argument"),
        (PAYOFF, "one of the arguments --interest-from --days is required"),
    ],
)
def test_usage_errors_exit_2_as_argparse_does(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("usage: gjjcalc")
    assert message in err


SEED_HELP = ["690,000", "3.25%", "300 months", "3362.48", "646609.84", "2018-01-10", "2017-12-29", "647310.33"]


@pytest.mark.parametrize("command", [[], ["schedule"], ["prepay"], ["payoff"], ["quota"], ["rate"]])
def test_help_shows_the_seed_example_and_exits_0(capsys, command):
    code, out, err = run(capsys, *command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: gjjcalc {command[0]}" if command else "usage: gjjcalc")
    for figure in SEED_HELP:
        assert figure in out
    assert "examples:" in out
    assert "gjjcalc " + (command[0] if command else "schedule 690000 3.25% 300") in out.split("examples:")[1]


def test_top_level_help_lists_every_subcommand_and_version(capsys):
    out = run_ok(capsys, "--help")
    for command in ("schedule", "prepay", "payoff", "quota", "rate"):
        assert f"    {command}  " in out
    assert run_ok(capsys, "--version") == f"gjjcalc {gjjcalc.__version__}\n"


def test_python_dash_m_gjjcalc_runs_and_exits_2_on_bad_input():
    bad = subprocess.run(
        [sys.executable, "-m", "gjjcalc", "schedule", "690000", "3.25%", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr == (
        "gjjcalc schedule: error: months=0 is out of range: expected an integer from 1 to 600\n"
    )
    good = subprocess.run(
        [sys.executable, "-m", "gjjcalc", *PAYOFF, "--interest-from", "2017-12-29", "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert good.returncode == 0
    assert json.loads(good.stdout)["total"] == "647310.33"


def test_the_console_script_is_installed_and_prints_the_seed_payment():
    script = Path(sys.executable).parent / "gjjcalc"
    if not script.exists():
        pytest.skip("the gjjcalc console script is not installed next to this interpreter")
    done = subprocess.run(
        [str(script), "schedule", *SEED_LOAN, "--csv"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stdout.splitlines()[1] == "1,3362.48,1493.73,1868.75,688506.27"


def test_importing_gjjcalc_skips_the_cli_and_the_cli_never_loads_numba_or_numpy():
    code = (
        "import sys, io, contextlib, gjjcalc\n"
        "print('gjjcalc.cli' in sys.modules)\n"
        "from gjjcalc.cli import main\n"
        "argvs = [['schedule', '690000', '3.25%', '300'],\n"
        "         ['payoff', '--balance', '1', '--rate', '0', '--on', '2018-01-10', '--days', '1'],\n"
        "         ['prepay', '--balance', '2', '--rate', '0', '--remaining-months', '2', '--amount', '1',\n"
        "          '--on', '2018-01-10', '--days', '1', '--mode', 'shorten_term'],\n"
        "         ['quota', 'liangshan', '--area', '西昌市', '--house-price', '1'],\n"
        "         ['rate', '2025-05-08', '--lpr']]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [main(a) for a in argvs]\n"
        "print(codes, sorted(m for m in ('numba', 'numpy', 'pandas', 'matplotlib') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.splitlines() == ["False", "[0, 0, 0, 0, 0] []"]


def test_qingdao_payoff_window_uses_today_or_the_current_date(capsys):
    args = ["payoff", "--balance", "100000", "--rate", "3.1%", "--interest-from", "2024-02-21",
            "--pack", "qingdao"]
    assert main([*args, "--on", "2025-03-01", "--today", "2024-03-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["days"] == 374
    assert main([*args, "--on", "2025-03-02", "--today", "2024-03-01"]) == 2
    assert "months_ahead" in capsys.readouterr().err
    # without --today the CLI asks on the current date: a date decades ahead is refused
    assert main([*args, "--on", "2090-01-02"]) == 2
    assert "more than 12 months after" in capsys.readouterr().err
