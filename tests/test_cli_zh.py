"""The command line takes what a Chinese-speaking user types, and names flags in its errors.

Chinese method and mode names (the words ``--help`` uses), the full-width percent sign,
``YYYY/MM/DD`` and ``YYYYMMDD`` dates, amounts in 万 and with thousands separators are
converted by the CLI before the library sees them; the library itself stays strict.
Errors name the flag a user typed (``--rate``), never the Python argument (``annual_rate=``).
"""

from __future__ import annotations

import json

import pytest

import gjjcalc
from gjjcalc.cli import build_parser, main
from gjjcalc.errors import InputError

PAYOFF = ["payoff", "--balance", "646609.84", "--rate", "3.25%", "--on", "2018-01-10"]
PREPAY = ["prepay", "--balance", "646609.84", "--rate", "3.25%", "--remaining-months", "272",
          "--payment", "3362.48", "--amount", "10000", "--on", "2018-01-10",
          "--interest-from", "2017-12-29"]  # fmt: skip


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr (returned without the prefix)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.strip()


# --- Chinese names for methods and modes -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "method", "first_payment"),
    [
        ("等额本息", "equal_installment", "3362.48"),
        ("equal_installment", "equal_installment", "3362.48"),
        ("等额本金", "equal_principal", "4168.75"),
        (" 等额本金 ", "equal_principal", "4168.75"),
    ],
)
def test_method_takes_the_chinese_name_help_uses(capsys, typed, method, first_payment):
    data = run_json(capsys, "schedule", "690000", "3.25%", "300", "--method", typed)
    assert (data["method"], data["payment"]) == (method, first_payment)


@pytest.mark.parametrize(
    ("typed", "mode", "months", "payment"),
    [
        ("还款额下降，止贷期不变", "lower_payment", 272, "3310.48"),
        ("还款额下降,止贷期不变", "lower_payment", 272, "3310.48"),  # ASCII comma
        ("减少月供", "lower_payment", 272, "3310.48"),
        ("还款额不变，止贷期提前", "shorten_term", 266, "3362.48"),
        ("缩短期限", "shorten_term", 266, "3362.48"),
        ("shorten_term", "shorten_term", 266, "3362.48"),
    ],
)
def test_mode_takes_the_chinese_names(capsys, typed, mode, months, payment):
    data = run_json(capsys, *PREPAY, "--mode", typed)
    assert (data["mode"], data["remaining_months"], data["payment"]) == (mode, months, payment)


def test_every_chinese_term_of_the_help_for_a_choice_is_accepted():
    parser = build_parser()
    for command, flag in (("schedule", "--method"), ("prepay", "--method"), ("prepay", "--mode")):
        sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
        action = next(a for a in sub._actions if flag in a.option_strings)
        chinese = [c for c in action.choices if not c.isascii()]
        assert chinese, (command, flag)
        for term in chinese:
            assert term in (action.help or ""), (command, flag, term)
            assert action.type(term) in {c for c in action.choices if c.isascii()}


def test_an_unknown_method_is_a_usage_error_listing_the_chinese_names_too(capsys):
    assert main(["schedule", "690000", "3.25%", "300", "--method", "等额"]) == 2
    out, usage = capsys.readouterr()
    assert (out, usage.startswith("usage: gjjcalc schedule")) == ("", True)
    err = usage.strip().splitlines()[-1]
    assert "invalid choice" in err
    for name in ("等额本息", "等额本金", "equal_installment", "equal_principal"):
        assert name in err


def test_sex_takes_the_chinese_words_for_male_and_female(capsys):
    common = ["quota", "liangshan", "--area", "西昌市", "--house-price", "700000", "--age", "40"]
    assert run_json(capsys, *common, "--sex", "男") == run_json(capsys, *common, "--sex", "male")
    assert run_json(capsys, *common, "--sex", "女") == run_json(capsys, *common, "--sex", "female")


# --- numbers, rates and dates as people type them ------------------------------------------------


@pytest.mark.parametrize("rate", ["3.25%", "3.25％", "3.25 %", "３.２５％", "0.0325"])
def test_rate_with_a_full_width_percent_sign_is_the_same_rate(capsys, rate):
    data = run_json(capsys, "schedule", "690000", rate, "300")
    assert (data["annual_rate"], data["payment"]) == ("0.0325", "3362.48")


@pytest.mark.parametrize("principal", ["69万", "69万元", "690,000", "690000元", "６９００００", "69.0万"])
def test_amounts_in_wan_and_with_separators_are_the_same_loan(capsys, principal):
    data = run_json(capsys, "schedule", principal, "3.25%", "300")
    assert (data["loan"], data["payment"]) == ("690000.00", "3362.48")


def test_thousands_separators_with_fen_and_fractions_of_wan(capsys):
    data = run_json(capsys, "payoff", "--balance", "646,609.84", "--rate", "3.25%",
                    "--on", "2018-01-10", "--days", "12")  # fmt: skip
    assert (data["principal"], data["total"]) == ("646609.84", "647310.33")
    data = run_json(capsys, *PREPAY[:10], "1.0万", *PREPAY[11:], "--mode", "减少月供")
    assert (data["amount"], data["interest"]) == ("10000.00", "10.83")
    quota = run_json(capsys, "quota", "liangshan", "--area", "西昌市", "--house-price", "62.5万")
    assert quota["amount"] == "500000.00"  # 80% of 625,000: the loan-to-value binds


@pytest.mark.parametrize("day", ["2015-09-28", "2015/09/28", "2015/9/28", "20150928", "2015.09.28",
                                 "2015年9月28日", "２０１５/０９/２８"])  # fmt: skip
def test_dates_in_slash_compact_and_chinese_forms(capsys, day):
    data = run_json(capsys, "schedule", "690000", "3.25%", "300", "--first-due", day)
    assert data["first_due"] == "2015-09-28"


def test_payoff_with_every_typed_form_at_once_gives_the_centers_figures(capsys):
    data = run_json(capsys, "payoff", "--balance", "646,609.84", "--rate", "3.25％",
                    "--on", "2018/01/10", "--interest-from", "20171229")  # fmt: skip
    assert (data["interest"], data["total"], data["days"]) == ("700.49", "647310.33", 12)


def test_rate_command_takes_a_compact_date(capsys):
    assert run_json(capsys, "rate", "20250508", "--months", "360")["rate"] == "0.026"


def test_the_library_itself_stays_strict():
    with pytest.raises(InputError):
        gjjcalc.payment("69万", "3.25%", 300)
    with pytest.raises(InputError):
        gjjcalc.payment(690000, "3.25％", 300)
    with pytest.raises(InputError):
        gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015/09/28")


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["schedule", "69万", "3.25%", "300", "--first-due", "2015/02/30"], "--first-due='2015/02/30'"),
        (["schedule", "69.1234567万", "3.25%", "300"], "principal='69.1234567万'"),
        (["payoff", "--balance=-1万", *PAYOFF[3:], "--days", "12"], "--balance='-1万'"),
        (["schedule", "690000", "3.25", "300"], "rate='3.25'"),
    ],
)
def test_a_refused_value_is_shown_as_typed(capsys, argv, shown):
    assert f"error: {shown} is out of range" in refused(capsys, *argv)


# --- errors name flags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["payoff", "--balance", "1000", "--rate", "3.25", "--on", "2018-01-10", "--days", "1"],
         "gjjcalc payoff: error: --rate='3.25' is out of range: expected an annual rate"),
        ([*PAYOFF, "--interest-from", "2018-02-01"],
         "gjjcalc payoff: error: --on='2018-01-10' is out of range: expected a date on or after --interest-from=2018-02-01"),
        ([*PREPAY, "--mode", "shorten_term", "--new-remaining-months", "272"],
         "gjjcalc prepay: error: --new-remaining-months=272 is out of range"),
        ([*PREPAY[:-2], "--days", "12", "--mode", "lower_payment", "--payment", "-1"],
         "gjjcalc prepay: error: --payment='-1' is out of range"),
        (["quota", "liangshan", "--area", "北京市", "--house-price", "1000000"],
         "gjjcalc quota: error: --area='北京市' is out of range"),
        (["quota", "liangshan", "--area", "西昌市", "--house-price", "700000", "--months", "0",
          "--rate", "3%", "--monthly-income", "10000"],
         "gjjcalc quota: error: --months=0 is out of range"),
        (["rate", "2025-05-08", "--months", "0"], "gjjcalc rate: error: --months=0 is out of range"),
        (["schedule", "690000", "3.25%", "0"], "gjjcalc schedule: error: months=0 is out of range"),
    ],
)  # fmt: skip
def test_errors_name_the_flag_not_the_python_argument(capsys, argv, start):
    err = refused(capsys, *argv)
    assert err.startswith(start), err
    for python_name in ("annual_rate=", "interest_from=", "new_remaining_months=", "first_due=",
                        "house_price=", "datetime.date"):  # fmt: skip
        assert python_name not in err


def test_a_date_error_names_the_forms_the_command_line_takes(capsys):
    err = refused(capsys, *PAYOFF[:-1], "2018-13-01", "--days", "1")
    assert err == (
        "gjjcalc payoff: error: --on='2018-13-01' is out of range: "
        "expected a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)"
    )


def test_help_describes_the_typed_forms(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["schedule", "--help"])
    out = capsys.readouterr().out
    for text in ("69万", "3.25％", "YYYY/MM/DD", "YYYYMMDD", "等额本息", "等额本金"):
        assert text in out, text
