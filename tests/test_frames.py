"""Notebook views: to_frame() columns and dtypes, and _repr_html_ of every result type."""

from __future__ import annotations

from decimal import Decimal

import pytest

import gjjcalc
from gjjcalc.rules import check_prepayment, loan_from_area, loan_quota, offset_split, withdrawal_cap

pd = pytest.importorskip("pandas")

SEED = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")


def test_schedule_frame_columns_dtypes_and_values():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    frame = s.to_frame()
    assert list(frame.columns) == ["due_date", "payment", "principal", "interest", "balance", "rate", "prepaid"]
    assert frame.index.name == "period"
    assert list(frame.index[[0, -1]]) == [1, 300]
    assert str(frame["due_date"].dtype) == "datetime64[ns]"
    for column in ("payment", "principal", "interest", "balance", "rate", "prepaid"):
        assert frame[column].dtype == "float64"
    assert frame.loc[28, "balance"] == 646609.84
    assert frame.loc[1, "payment"] == 3362.48
    assert frame["due_date"].iloc[0] == pd.Timestamp("2015-09-28")
    # every float prints back as the exact Decimal
    assert [Decimal(repr(x)) for x in frame["balance"]] == list(s.balance)
    exact = s.to_frame(exact=True)
    assert exact["payment"].dtype == object
    assert list(exact["interest"]) == list(s.interest)


def test_schedule_without_dates_has_a_due_date_column_of_nat():
    frame = gjjcalc.equal_principal(1_000_000, "4.9%", 360).to_frame()
    assert str(frame["due_date"].dtype) == "datetime64[ns]"
    assert frame["due_date"].isna().all()
    assert frame.loc[1, "payment"] == 6861.11


def test_record_frames_have_a_column_per_field():
    result, _ = SEED.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    frame = result.to_frame()
    assert list(frame.columns) == [
        "amount", "interest", "total", "new_balance", "remaining_months", "payment",
        "maturity", "interest_saved", "days", "mode",
    ]
    row = frame.iloc[0]
    assert (row["interest"], row["remaining_months"], row["mode"]) == (10.83, 266, "shorten_term")
    assert frame["maturity"].iloc[0] == pd.Timestamp("2040-02-28")
    assert str(frame["maturity"].dtype) == "datetime64[ns]"
    assert frame["total"].dtype == "float64"
    assert result.to_frame(exact=True)["total"].iloc[0] == Decimal("10010.83")
    # a result without a maturity keeps the column's dtype
    plain = gjjcalc.prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272, amount=10000,
                           on="2018-01-10", interest_from="2017-12-29", mode="shorten_term")
    assert plain.maturity is None
    assert str(plain.to_frame()["maturity"].dtype) == "datetime64[ns]"
    assert list(plain.to_frame().dtypes) == list(frame.dtypes)

    quote = SEED.payoff(on="2018-01-10").to_frame()
    assert quote.to_dict("records") == [
        {"principal": 646609.84, "interest": 700.49, "total": 647310.33, "days": 12}
    ]
    state = SEED.state_on("2018-01-09").to_frame()
    assert state["balance"].iloc[0] == 646609.84
    assert state["remaining_months"].iloc[0] == 272
    split = offset_split(due="21013.64", own_available=1500, own_use=1500).to_frame()
    assert (split["fund"].iloc[0], split["card"].iloc[0]) == (1500.0, 19513.64)


def test_quota_frame_lists_every_limit_and_flags_the_binding_one():
    result = loan_quota("liangshan", area="西昌市", house_price=2_000_000, months=360,
                        annual_rate="3.1%", monthly_income=100_000, balance=500_000)
    frame = result.to_frame()
    assert list(frame.columns) == ["name", "value", "source", "detail", "binding"]
    assert len(frame) == len(result.limits)
    assert frame["binding"].dtype == bool
    assert list(frame.loc[frame["binding"], "name"]) == [result.binding]
    assert frame.loc[frame["binding"], "value"].iloc[0] == float(result.amount)
    assert frame.attrs["amount"] == result.amount
    assert frame.attrs["ok"] is True


def test_check_frame_lists_the_reasons():
    result = check_prepayment("jilin", kind="payoff", on="2017-12-30", due_day=28)
    frame = result.to_frame()
    assert list(frame.columns) == ["name", "value", "source", "message"]
    assert list(frame["name"]) == ["working_day", "blackout"]
    assert frame.attrs["ok"] is False
    assert check_prepayment("jilin", kind="payoff", on="2018-01-10", due_day=28).to_frame().empty


def test_withdrawal_frame_and_area_loan_frame():
    w = withdrawal_cap("qingdao", "rent", balance=20_000)
    frame = w.to_frame()
    assert frame.attrs["amount"] == Decimal("8400.00")
    assert frame.loc[frame["binding"], "value"].iloc[0] == 8400.0
    a = loan_from_area(price_per_m2=8000, area_m2=100, down_payment="30%").to_frame()
    assert a["amount"].iloc[0] == 560000.0


def test_combination_frame_exact_and_float():
    c = gjjcalc.combination(
        gjjcalc.Loan(300000, "3.1%", 240, released="2024-03-01"),
        gjjcalc.Loan(200000, "3.95%", 120, released="2024-03-01"),
    )
    frame = c.to_frame()
    assert frame.loc[1, "total_payment"] == 3699.0
    assert str(frame["due_date"].dtype) == "datetime64[ns]"
    assert c.to_frame(exact=True).loc[1, "total_payment"] == Decimal("3699.00")


def test_html_reprs_show_the_summary_and_the_first_and_last_rows():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    text = s._repr_html_()
    assert "<td>3,362.48</td>" in text
    assert "300 rows" in text
    assert "…" in text
    assert "2015-09-28" in text
    assert "2040-08-28" in text
    assert "2020-01-28" not in text  # a middle row is elided
    result, _ = SEED.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    assert "<th>interest</th><td>10.83 yuan</td>" in result._repr_html_()
    assert "<td>647,310.33 yuan</td>" in SEED.payoff(on="2018-01-10")._repr_html_()
    quota = loan_quota("qingdao", has_unsettled_loan=True)
    assert "unsettled" in quota._repr_html_()
    reasons = check_prepayment("jilin", kind="partial", amount=10500, on="2018-01-09")
    assert "multiple" in reasons._repr_html_()
    assert "1000的倍数" in reasons._repr_html_()
    c = gjjcalc.combination(
        gjjcalc.Loan(300000, "3.1%", 240, released="2024-03-01"),
        gjjcalc.Loan(200000, "3.95%", 120, released="2024-03-01"),
    )
    assert "<td>3,699.00</td>" in c._repr_html_()


def test_batch_results_show_counts_sums_and_rows_in_html():
    from gjjcalc import batch

    summary = batch.summaries([690000, -1, 1000], 0.0325, 300, errors="mask")
    text = summary._repr_html_()
    assert "<th>loans</th><td>3</td>" in text
    assert "<th>rows with bad input</th><td>1</td>" in text
    assert "<td>318,744.90</td>" in text
    assert "<th>total_interest (yuan)</th>" in text
    quote = batch.payoff([646609.84], 0.0325, days=[12])._repr_html_()
    assert "<td>647,310.33</td>" in quote
    assert "1 row<" in quote
    schedule = batch.schedules([690000] * 12, 0.0325, 300)._repr_html_()
    assert "12 rows" in schedule
    assert "…" in schedule
    assert "3,362.48" in schedule
    prepaid = batch.prepay(646609.84, 0.0325, 272, payment=3362.48, amount=10000, days=12, mode="shorten_term")._repr_html_()
    assert "<td>266</td>" in prepaid


# --- Chinese labels, separators and units (to_frame(labels="zh"), to_html) -------------------------

ZH_COLUMNS = ["还款日", "月供", "本金", "利息", "剩余本金", "年利率", "提前还本"]


def test_schedule_frame_in_chinese_has_the_same_values_under_chinese_labels():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    en, zh = s.to_frame(), s.to_frame(labels="zh")
    assert zh.index.name == "期数"
    assert list(zh.columns) == ZH_COLUMNS
    assert (zh.to_numpy() == en.to_numpy()).all()
    assert zh.loc[1, "月供"] == 3362.48
    assert zh.loc[28, "剩余本金"] == 646609.84
    assert s.to_frame(exact=True, labels="zh").loc[1, "利息"] == Decimal("1868.75")


@pytest.mark.parametrize("bad", ["cn", "ZH", None, 1])
def test_labels_are_checked(bad):
    s = gjjcalc.equal_installment(12000, "3.1%", 12)
    with pytest.raises(gjjcalc.InputError, match=r"labels=.* expected 'en' or 'zh'"):
        s.to_frame(labels=bad)
    with pytest.raises(gjjcalc.InputError, match="labels="):
        s.to_html(labels=bad)


def test_schedule_html_in_chinese_labels_every_column_with_its_unit():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    html = s.to_html(labels="zh")
    heads = ["期数", "还款日", "月供（元）", "本金（元）", "利息（元）", "剩余本金（元）"]
    assert "<thead><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead>" in html
    assert "<tr><td>1</td><td>2015-09-28</td><td>3,362.48</td><td>1,493.73</td><td>1,868.75</td>" \
           "<td>688,506.27</td></tr>" in html
    assert "<th>还款方式</th><td>等额本息</td>" in html
    assert "<th>贷款金额</th><td>690,000.00 元</td>" in html
    assert "<th>年利率</th><td>3.25%</td>" in html
    assert "<th>利息总额</th><td>318,744.90 元</td>" in html
    assert "共 300 期" in html
    assert html._repr_html_() == html  # a cell's value shows as the table
    ep = gjjcalc.equal_principal(1_000_000, "4.9%", 360).to_html(labels="zh")
    assert "<td>等额本金</td>" in ep
    assert "<th>每月递减</th><td>11.34 元</td>" in ep


def test_schedule_html_in_english_has_separators_units_and_the_rate_in_per_cent():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    html = s._repr_html_()
    assert html == s.to_html()
    assert "<th>loan</th><td>690,000.00 yuan</td>" in html
    assert "<th>annual_rate</th><td>3.25%</td>" in html
    assert "<th>payment (yuan)</th>" in html
    assert "<th>due_date</th>" in html  # not an amount: no unit
    assert "<td>688,506.27</td>" in html


def test_schedule_html_without_dates_has_no_unit_on_the_empty_date_column():
    html = gjjcalc.equal_installment(1000, "3.1%", 2).to_html(labels="zh")
    assert "<th>还款日</th>" in html
    assert "共 2 期" in html
