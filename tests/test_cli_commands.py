"""The CLI's commands over the rules, a loan's life and the calendar: each against the library.

Every figure the command prints is checked against the public function it wraps, called
here directly; every error is one line on stderr, exit status 2, naming the flag typed.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

import gjjcalc
from gjjcalc import Loan
from gjjcalc.cli import _ELIGIBILITY_FACTS, _WITHDRAWAL_FACTS, main
from gjjcalc.rules import (
    add_working_days,
    check_eligibility,
    is_working_day,
    loan_from_area,
    loan_quota,
    next_working_day,
    offset_split,
    retirement_date,
    withdrawal_cap,
    working_days_between,
)
from gjjcalc.rules.eligibility import ELIGIBILITY_FACTS
from gjjcalc.rules.withdrawal import WITHDRAWAL_FACTS

# The deprecated rule keywords of gjjcalc.prepay / payoff are exercised here on purpose
# (tests/test_vocabulary.py checks that they warn).
pytestmark = pytest.mark.filterwarnings(r"ignore:gjjcalc\.(prepay|payoff)\(:DeprecationWarning")

JILIN = ["--principal", "690000", "--rate", "3.25%", "--months", "300", "--released", "2015-08-28",
         "--pack", "jilin"]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


def run_table(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    width = max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in out.splitlines())
    assert width <= 80, out  # fits a terminal
    return out


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert out == ""
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.strip()


def lines(out: str) -> dict[str, str]:
    """The summary lines as field → value."""
    found = {}
    for line in out.splitlines():
        words = line.split()
        if len(words) >= 2:
            found.setdefault(words[0], words[1])
    return found


# --- withdrawal ---------------------------------------------------------------------------


def test_withdrawal_liangshan_rent_is_the_part_above_15_percent_of_income(capsys):
    argv = ["withdrawal", "liangshan", "rent", "--balance", "30000", "--annual-rent", "24,000",
            "--annual-household-income", "10万"]  # fmt: skip
    lib = withdrawal_cap("liangshan", "rent", balance=30000, annual_rent=24000, annual_household_income=100000)
    data = run_json(capsys, *argv)
    assert (data["amount"], data["binding"]) == (str(lib.amount), lib.binding) == ("9000.00", "rent_above_income_share")
    assert data["pack"] == "liangshan"
    assert [x["name"] for x in data["limits"]] == [x.name for x in lib.limits]
    table = run_table(capsys, *argv)
    assert lines(table)["amount"] == "9000.00"
    assert "部分提取 4" in table  # the source, below the table


def test_withdrawal_errors_name_the_flag(capsys):
    err = refused(capsys, "withdrawal", "liangshan", "rent", "--balance", "-1", "--annual-rent", "1",
                  "--annual-household-income", "1")  # fmt: skip
    assert err.startswith("gjjcalc withdrawal: error: --balance='-1' is out of range")
    err = refused(capsys, "withdrawal", "liangshan", "rent", "--balance", "30000")
    assert err.startswith("gjjcalc withdrawal: error: --annual-rent=None")


def test_withdrawal_refusal_exits_2_with_enforce(capsys):
    argv = ["withdrawal", "liangshan", "retirement", "--balance", "30000", "--no-account-sealed",
            "--no-unsettled-loan"]  # fmt: skip
    lib = withdrawal_cap("liangshan", "retirement", balance=30000, account_sealed=False, has_unsettled_loan=False)
    data = run_json(capsys, *argv)
    assert (data["amount"], data["binding"]) == (str(lib.amount), lib.binding) == ("0.00", "account_sealed")
    assert refused(capsys, *argv, "--enforce").startswith("gjjcalc withdrawal: error:")
    sealed = run_json(capsys, *argv[:5], "--account-sealed", "--no-unsettled-loan")
    assert (sealed["amount"], sealed["closes_account"]) == ("30000.00", True)


def test_the_flags_cover_every_fact_the_library_takes():
    assert [name for name, _, _ in _WITHDRAWAL_FACTS] == list(WITHDRAWAL_FACTS)
    assert [name for name, _, _ in _ELIGIBILITY_FACTS] == list(ELIGIBILITY_FACTS)


# --- eligibility --------------------------------------------------------------------------

FACTS_FLAGS = ["--on", "2024/06/01", "--employer-unpaid-months", "0", "--last-withdrawal", "never",
               "--no-other-housing-loan", "--no-guarantee", "--overdue-consecutive", "0", "--overdue-total", "2",
               "--purchase-date", "2023-09-01", "--homes", "1"]  # fmt: skip
FACTS_LIB = {"on": "2024-06-01", "employer_unpaid_months": 0, "last_withdrawal": None, "other_housing_loan": False,
                 "guarantee": False, "overdue_consecutive": 0, "overdue_total": 2, "purchase_date": "2023-09-01", "homes": 1}  # fmt: skip


def test_eligibility_refuses_five_months_of_contributions_and_accepts_six(capsys):
    lib = check_eligibility("liangshan", contribution_months=5, **FACTS_LIB)
    data = run_json(capsys, "eligibility", "liangshan", "--contribution-months", "5", *FACTS_FLAGS)
    assert data["ok"] is lib.ok is False
    assert [r["name"] for r in data["reasons"]] == [r.name for r in lib.reasons] == ["contribution_months"]
    assert data["checked"] == list(lib.checked)
    table = run_table(capsys, "eligibility", "liangshan", "--contribution-months", "5", *FACTS_FLAGS)
    assert "refused by contribution_months" in table
    data = run_json(capsys, "eligibility", "liangshan", "--contribution-months", "6", *FACTS_FLAGS)
    assert data["ok"] is check_eligibility("liangshan", contribution_months=6, **FACTS_LIB).ok is True
    assert refused(capsys, "eligibility", "liangshan", "--contribution-months", "5", *FACTS_FLAGS, "--enforce")


def test_eligibility_with_nothing_to_check_says_so(capsys):
    data = run_json(capsys, "eligibility", "jilin")
    assert data["checked"] == []
    assert data["ok"] is not True
    assert "nothing checked" in run_table(capsys, "eligibility", "jilin")


def test_eligibility_errors_name_the_flag(capsys):
    err = refused(capsys, "eligibility", "liangshan", "--contribution-months", "-3", *FACTS_FLAGS)
    assert err.startswith("gjjcalc eligibility: error: --contribution-months=")


# --- term-change --------------------------------------------------------------------------


def test_term_change_from_the_balance_and_from_the_loan(capsys):
    lib = gjjcalc.change_term(balance="646609.84", annual_rate="3.25%", remaining_months=272,
                              new_remaining_months=200)  # fmt: skip
    data = run_json(capsys, "term-change", "--balance", "646,609.84", "--rate", "3.25％", "--remaining-months", "272",
                    "--new-remaining-months", "200")  # fmt: skip
    assert (data["payment"], data["remaining_months"]) == (str(lib.payment), 200)
    assert data["interest_saved"] == str(lib.interest_saved)

    loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    result, _ = loan.change_term(on="2018-01-10", remaining_months=200)
    data = run_json(capsys, "term-change", *JILIN, "--on", "2018-01-10", "--new-remaining-months", "200")
    assert (data["balance"], data["payment"], data["maturity"]) == (
        str(result.balance), str(result.payment), result.maturity.isoformat(),
    )  # fmt: skip
    assert data["balance"] == "646609.84"


def test_term_change_errors_name_the_flag(capsys):
    err = refused(capsys, "term-change", *JILIN, "--on", "2018-01-10", "--new-remaining-months", "0")
    assert err.startswith("gjjcalc term-change: error: --new-remaining-months=0")
    err = refused(capsys, "term-change", *JILIN, "--new-remaining-months", "200")
    assert err.startswith("gjjcalc term-change: error: --on=None")
    err = refused(capsys, "term-change", *JILIN, "--on", "2018-01-10", "--balance", "1", "--new-remaining-months", "2")
    assert err.startswith("gjjcalc term-change: error: --balance='1'")
    assert main(["term-change", "--balance", "1000"]) == 2  # neither target: argparse's usage error


# --- combination --------------------------------------------------------------------------


def test_combination_is_the_sum_of_the_two_parts(capsys):
    argv = ["combination", "--principal", "300000", "--rate", "3.1%", "--months", "240", "--released", "2024-03-01",
            "--commercial-principal", "20万", "--commercial-months", "120"]  # fmt: skip
    lib = gjjcalc.combination(Loan(300000, "3.1%", 240, released="2024-03-01"),
                              gjjcalc.commercial_loan(200000, 120, released="2024-03-01"))  # fmt: skip
    data = run_json(capsys, *argv)
    assert (data["payment"], data["total_payment"], data["total_interest"]) == (
        str(lib.first_payment), str(lib.total_payment), str(lib.total_interest),
    )  # fmt: skip
    assert data["payment"] == "3699.00"
    assert len(data["rows"]) == 240
    assert data["rows"][120]["commercial"] == "0.00"
    assert data["rows"][0]["payment"] == str(lib.total.payment[0])
    fixed = run_json(capsys, *argv[:-2], "--commercial-rate", "3.95%")
    assert fixed["commercial_rate"] == "0.0395"


def test_combination_errors_name_the_commercial_flags(capsys):
    err = refused(capsys, "combination", "--principal", "300000", "--rate", "3.1%", "--months", "240",
                  "--released", "2024-03-01", "--commercial-principal", "200000", "--commercial-months", "0")  # fmt: skip
    assert err.startswith("gjjcalc combination: error: --commercial-months=0")
    err = refused(capsys, "combination", "--principal", "300000", "--rate", "3.1%", "--months", "240",
                  "--released", "2024-03-01", "--commercial-principal", "-2")  # fmt: skip
    assert err.startswith("gjjcalc combination: error: --commercial-principal='-2'")


# --- by-area and offset -------------------------------------------------------------------


def test_by_area_is_price_times_area_less_the_down_payment(capsys):
    lib = loan_from_area(price_per_m2=6500, area_m2="89.5", down_payment="30%")
    data = run_json(capsys, "by-area", "--price-per-m2", "6500", "--area-m2", "89.5", "--down-payment", "30%")
    assert data == {"house_price": str(lib.house_price), "down_payment": str(lib.down_payment),
                    "amount": str(lib.amount)}  # fmt: skip
    assert data["amount"] == "407225.00"
    err = refused(capsys, "by-area", "--price-per-m2", "6500", "--area-m2", "89.5", "--down-payment", "100%")
    assert err.startswith("gjjcalc by-area: error: --down-payment='100%'")


def test_offset_splits_the_amount_due_between_fund_and_card(capsys):
    lib = offset_split(due="21013.64", own_available=1776, own_use=1500)
    data = run_json(capsys, "offset", "--due", "21013.64", "--own-available", "1776", "--own-use", "1500")
    assert (data["fund"], data["card"]) == (str(lib.fund), str(lib.card)) == ("1500.00", "19513.64")
    err = refused(capsys, "offset", "--due", "21013.64", "--own-available", "1776", "--own-use", "2000")
    assert err.startswith("gjjcalc offset: error: --own-use=")


# --- state --------------------------------------------------------------------------------


def test_state_on_a_date_is_the_loan_s(capsys):
    state = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin").state_on("2018-01-10")
    data = run_json(capsys, "state", *JILIN, "--on", "2018/01/10")
    assert (data["balance"], data["remaining_months"], data["next_due"]) == (
        str(state.balance), state.remaining_months, state.next_due.isoformat(),
    )  # fmt: skip
    assert (data["balance"], data["interest_from"]) == ("646609.84", "2017-12-29")
    assert lines(run_table(capsys, "state", *JILIN, "--on", "2018-01-10"))["balance"] == "646609.84"
    err = refused(capsys, "state", *JILIN, "--on", "2018-02-30")
    assert err.startswith("gjjcalc state: error: --on='2018-02-30'")


# --- loan FILE ----------------------------------------------------------------------------

LOAN_TOML = """\
principal = "69万"
annual_rate = "3.25%"
months = 300
released = 2015-08-28
pack = "jilin"

[[events]]
type = "prepayment"
on = 2018-01-10
amount = 10000
mode = "shorten_term"

[[events]]
type = "rate_change"
on = 2019-01-01
annual_rate = "3.1%"

[[events]]
type = "prepayment"
on = "2019/03/10"
amount = "2万"
mode = "lower_payment"
"""


def _lib_loan() -> Loan:
    return Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin", events=[
        gjjcalc.Prepayment("2018-01-10", 10000, "shorten_term"),
        gjjcalc.RateChange("2019-01-01", "3.1%"),
        gjjcalc.Prepayment("2019-03-10", 20000, "lower_payment"),
    ])  # fmt: skip


def test_loan_file_toml_and_json_give_the_library_s_schedule_and_state(capsys, tmp_path: Path):
    path = tmp_path / "loan.toml"
    path.write_text(LOAN_TOML, encoding="utf-8")
    lib = _lib_loan()
    s, state = lib.schedule(), lib.state_on("2019-06-01")
    data = run_json(capsys, "loan", str(path), "--on", "2019-06-01")
    assert (data["schedule"]["total_interest"], data["schedule"]["periods"]) == (str(s.total_interest), len(s))
    assert (data["state"]["balance"], data["state"]["annual_rate"]) == (str(state.balance), "0.031")
    assert data["state"]["payment"] == str(state.payment)
    table = run_table(capsys, "loan", str(path), "--on", "2019-06-01")
    assert lines(table)["state.balance"] == str(state.balance)

    doc = {"principal": "690000", "annual_rate": "0.0325", "months": 300, "released": "2015-08-28",
           "pack": "jilin", "events": [
               {"type": "prepayment", "on": "2018-01-10", "amount": 10000, "mode": "shorten_term"},
               {"type": "rate_change", "on": "2019-01-01", "annual_rate": "3.1%"},
               {"type": "prepayment", "on": "2019-03-10", "amount": 20000.00, "mode": "lower_payment"}]}  # fmt: skip
    (tmp_path / "loan.json").write_text(json.dumps(doc), encoding="utf-8")
    assert run_json(capsys, "loan", str(tmp_path / "loan.json"), "--on", "2019-06-01") == data
    assert run_json(capsys, "loan", str(path))["state"] is None


def test_loan_file_errors_name_the_file_and_the_event(capsys, tmp_path: Path):
    path = tmp_path / "loan.toml"
    path.write_text(LOAN_TOML.replace('amount = "2万"', 'amount = "-5"'), encoding="utf-8")
    err = refused(capsys, "loan", str(path))
    assert err.startswith(f"gjjcalc loan: error: {path}: events[2].amount='-5' is out of range")
    path.write_text(LOAN_TOML.replace('type = "rate_change"', 'type = "rate"'), encoding="utf-8")
    assert f"{path}: events[1].type='rate'" in refused(capsys, "loan", str(path))
    path.write_text(LOAN_TOML.replace("on = 2018-01-10", "day = 2018-01-10"), encoding="utf-8")
    assert f"{path}: events[0].day=" in refused(capsys, "loan", str(path))
    path.write_text(LOAN_TOML.replace("months = 300", "months = 0"), encoding="utf-8")
    assert f"{path}: months=0" in refused(capsys, "loan", str(path))
    path.write_text("principal = ", encoding="utf-8")
    assert "valid TOML" in refused(capsys, "loan", str(path))
    assert "FILE=" in refused(capsys, "loan", str(tmp_path / "missing.toml"))


# --- workdays, holidays and retirement ----------------------------------------------------

HOLIDAYS_2027 = """\
source = "a test schedule for 2027"
years = [2027]
holidays = [2027-01-01, 2027-02-10, 2027-02-11]
workdays = [2027-02-20]
"""


def test_workdays_across_national_day_2024(capsys):
    data = run_json(capsys, "workdays", "2024-09-30", "--add", "5", "--until", "2024-10-12")
    assert data["working_day"] is is_working_day("2024-09-30") is True
    assert data["next_working_day"] == next_working_day("2024-09-30").isoformat() == "2024-10-08"
    assert data["added"] == add_working_days("2024-09-30", 5).isoformat() == "2024-10-12"
    assert data["working_days"] == working_days_between("2024-09-30", "2024-10-12") == 5
    assert data["assumed"] is None


def test_workdays_past_the_data_need_a_holiday_file_or_assume_weekends(capsys, tmp_path: Path):
    err = refused(capsys, "workdays", "2027-02-10")
    assert err.startswith("gjjcalc workdays: error: day='2027-02-10'")
    assert "--holidays FILE.toml" in err
    assert "--assume-weekends" in err
    assert "calendar=" not in err
    path = tmp_path / "2027.toml"
    path.write_text(HOLIDAYS_2027, encoding="utf-8")
    data = run_json(capsys, "workdays", "2027-02-10", "--holidays", str(path), "--add", "1")
    assert data["working_day"] is False
    assert data["next_working_day"] == next_working_day("2027-02-10", calendar=path).isoformat() == "2027-02-12"
    assert data["added"] == add_working_days("2027-02-10", 1, calendar=[path]).isoformat()
    assumed = run_json(capsys, "workdays", "2027-02-10", "--assume-weekends")
    assert assumed["working_day"] is True
    assert "2027" in assumed["assumed"]


def test_payoff_and_prepay_take_a_holiday_file_past_the_shipped_data(capsys, tmp_path: Path):
    path = tmp_path / "2027.toml"
    path.write_text(HOLIDAYS_2027, encoding="utf-8")
    argv = ["payoff", "--balance", "646609.84", "--rate", "3.25%", "--on", "2027-02-12", "--days", "14",
            "--pack", "jilin", "--due-day", "28", "--today", "2027-02-12", "--at", "10:00"]  # fmt: skip
    err = refused(capsys, *argv)
    assert "--holidays FILE.toml" in err
    quote = gjjcalc.payoff(balance="646609.84", annual_rate="3.25%", on="2027-02-12", interest_from="2027-01-29",
                           pack="jilin", due_day=28, today="2027-02-12", at="10:00", enforce=True,
                           calendar=path)  # fmt: skip
    data = run_json(capsys, *argv, "--holidays", str(path))
    assert (data["interest"], data["total"]) == (str(quote.interest), str(quote.total))
    code, out, err = run(capsys, *argv, "--assume-weekends", "--json")
    assert code == 0
    assert json.loads(out)["total"] == str(quote.total)
    assert err.startswith("gjjcalc payoff: warning: no official holiday calendar for 2027")
    prepay = ["prepay", "--balance", "646609.84", "--rate", "3.25%", "--remaining-months", "272",
              "--amount", "10000", "--mode", "lower_payment", *argv[5:], "--holidays", str(path)]  # fmt: skip
    result = gjjcalc.prepay(balance="646609.84", annual_rate="3.25%", remaining_months=272, amount=10000,
                            mode="lower_payment", on="2027-02-12", interest_from="2027-01-29", pack="jilin",
                            due_day=28, today="2027-02-12", at="10:00", enforce=True, calendar=path)  # fmt: skip
    assert run_json(capsys, *prepay)["payment"] == str(result.payment)


@pytest.mark.parametrize(
    ("birth", "sex", "original", "expected"),
    [("1965-01-15", "男", None, date(2025, 2, 15)), ("1976-12-03", "male", None, date(2039, 12, 3)),
     ("1970-01-31", "female", "55", date(2025, 2, 28)), ("1975-06-10", "女", "50", date(2025, 9, 10))],
)  # fmt: skip
def test_retirement_date_is_the_library_s(capsys, birth, sex, original, expected):
    extra = [] if original is None else ["--original-age", original]
    data = run_json(capsys, "retirement", "--birth", birth, "--sex", sex, *extra)
    lib = retirement_date(birth, sex, None if original is None else int(original))
    assert data["retirement_date"] == lib.isoformat() == expected.isoformat()


def test_retirement_errors_name_the_flag(capsys):
    err = refused(capsys, "retirement", "--birth", "1965-01-15", "--sex", "male", "--original-age", "50")
    assert err.startswith("gjjcalc retirement: error: --original-age=50")
    err = refused(capsys, "retirement", "--birth", "1965-13-15", "--sex", "male")
    assert err.startswith("gjjcalc retirement: error: --birth='1965-13-15'")


# --- quota: the new inputs and a shortened term ------------------------------------------

AGE_PACK = """\
[pack]
name = "test"
title = "Test"
effective = "undated"

[quota]
retirement_age_male = { value = 60, source = "test retirement_age_male" }
retirement_age_female = { value = 55, source = "test retirement_age_female" }
age_extra_years = { value = 5, source = "test age_extra_years" }
capacity_ratio = { value = "40%", source = "test capacity_ratio" }
capacity_mode = { value = "linear", source = "test capacity_mode" }
"""


def test_quota_shortened_by_age_shows_the_term_and_why(capsys, tmp_path: Path):
    path = tmp_path / "age.toml"
    path.write_text(AGE_PACK, encoding="utf-8")
    lib = loan_quota(str(path), age=50, sex="male", months=300, monthly_income=10_000, on="2026-06-01")
    argv = ["quota", str(path), "--age", "50", "--sex", "男", "--months", "300", "--monthly-income", "1万",
            "--on", "2026/06/01"]  # fmt: skip
    data = run_json(capsys, *argv)
    assert (data["amount"], data["months"], data["requested_months"]) == (str(lib.amount), lib.months, 300)
    assert (data["amount"], data["months"]) == ("848000.00", 212)
    assert [(r["name"], r["value"]) for r in data["shortened_by"]] == [("age", 212)]
    table = run_table(capsys, *argv)
    assert lines(table)["months"] == "212"
    assert lines(table)["shortened_by"] == "age"
    assert "term shortened by age to 212 months" in table
    by_birth = loan_quota(str(path), birth="1975-06-02", sex="male", months=300, monthly_income=10_000,
                          on="2026-06-01")  # fmt: skip
    data = run_json(capsys, "quota", str(path), "--birth", "1975-06-02", "--sex", "male", "--months", "300",
                    "--monthly-income", "10000", "--on", "2026-06-01")  # fmt: skip
    assert (data["amount"], data["months"]) == (str(by_birth.amount), by_birth.months)


def test_quota_qingdao_takes_the_paid_amount(capsys):
    lib = loan_quota("qingdao", house_price=1_000_000, paid_amount=300_000)
    data = run_json(capsys, "quota", "qingdao", "--house-price", "100万", "--paid-amount", "30万")
    assert (data["amount"], data["binding"]) == (str(lib.amount), lib.binding) == ("700000.00", "unpaid_price")
    err = refused(capsys, "quota", "qingdao", "--house-price", "100万", "--paid-amount", "-1")
    assert err.startswith("gjjcalc quota: error: --paid-amount='-1'")


def test_every_new_command_has_help_with_an_example(capsys):
    for command in ("withdrawal", "eligibility", "term-change", "combination", "by-area", "offset", "state",
                    "loan", "workdays", "retirement"):  # fmt: skip
        code, out, _ = run(capsys, command, "--help")
        assert code == 0, command
        assert "examples:" in out
        assert f"gjjcalc {command}" in out


def test_pack_schema_prints_the_schema_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from gjjcalc.rules import pack_schema

    assert main(["pack-schema"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == pack_schema()
