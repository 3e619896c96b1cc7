"""Prepayment and payoff rules: multiples, balance floor, due-day, blackout, working days, hours."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules import check_prepayment, load_pack


def _names(pack: object, **kwargs: object) -> list[str]:
    result = check_prepayment(pack, **kwargs)  # type: ignore[arg-type]
    assert result.ok is (not result.reasons)
    return [r.name for r in result.reasons]


@pytest.mark.parametrize(
    ("amount", "ok"), [(10_000, True), (1_000, True), (10_500, False), ("9999.99", False)]
)
def test_jilin_partial_prepayment_is_a_multiple_of_1000(amount, ok):
    result = check_prepayment("jilin", kind="partial", amount=amount, on="2018-01-09")
    assert result.ok is ok
    if not ok:
        assert result.reasons[0].name == "multiple"
        assert str(result.reasons[0].value) == "1000.00"
        assert "1000的倍数" in result.reasons[0].source


@pytest.mark.parametrize(
    ("amount", "ok"), [(10_000, True), (30_000, True), (15_000, False), (1_000, False)]
)
def test_qingdao_partial_prepayment_is_a_multiple_of_10000(amount, ok):
    result = check_prepayment(
        "qingdao", kind="partial", amount=amount, balance=500_000, on="2024-03-01"
    )
    assert result.ok is ok


@pytest.mark.parametrize(
    ("balance", "ok"), [("10000.01", True), (10_000, False), ("9999.99", False)]
)
def test_qingdao_partial_prepayment_only_while_balance_exceeds_10000(balance, ok):
    names = _names("qingdao", kind="partial", amount=10_000, balance=balance, on="2024-03-01")
    if ok:
        # 10,000 from 10,000.01 still leaves a balance
        assert names == []
    else:
        assert names[0] == "balance_above"


def test_qingdao_partial_needs_the_balance_and_an_amount():
    with pytest.raises(InputError) as info:
        check_prepayment("qingdao", kind="partial", amount=10_000, on="2024-03-01")
    assert info.value.name == "balance"
    with pytest.raises(InputError) as info:
        check_prepayment("qingdao", kind="partial", balance=50_000, on="2024-03-01")
    assert info.value.name == "amount"


def test_a_partial_prepayment_of_the_whole_balance_is_refused_as_a_payoff():
    assert _names("jilin", kind="partial", amount=20_000, balance=20_000, on="2018-01-09") == [
        "leaves_balance"
    ]


def test_seed_001_payoff_on_2018_01_10_is_allowed_under_the_default_rules():
    result = check_prepayment("jilin", kind="payoff", on="2018-01-10", due_day=28, at="10:00")
    assert result.ok
    assert set(result.checked) == {"working_day", "hours", "blackout", "due_day", "day_before_due"}


def test_the_notes_variant_refuses_the_same_payoff_by_its_december_january_blackout():
    notes = load_pack("jilin").variant("notes")
    result = check_prepayment(notes, kind="payoff", on="2018-01-10", due_day=28, at="10:00")
    assert [r.name for r in result.reasons] == ["blackout"]
    assert result.reasons[0].value == "12-01..01-31"
    assert _names(notes, kind="payoff", on="2018-02-01", due_day=28, at="09:30") == []
    assert _names(notes, kind="payoff", on="2018-11-30", due_day=28, at="09:29") == ["hours"]
    # the notes set does not forbid the day before the repayment day
    assert _names(notes, kind="payoff", on="2018-03-27", due_day=28, at="10:00") == []


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2017-12-29", []),  # Friday, before the blackout
        ("2018-01-02", ["blackout"]),  # Tuesday, a working day inside 30 Dec - 3 Jan
        ("2018-01-03", ["blackout"]),
        ("2018-01-04", []),
        ("2018-03-28", ["due_day"]),  # the agreed repayment day (Wednesday)
        ("2018-03-27", ["day_before_due"]),
        ("2018-02-11", []),  # a working Sunday before Spring Festival
        ("2018-02-16", ["working_day"]),  # 春节
        ("2018-01-13", ["working_day"]),  # a Saturday
    ],
)
def test_jilin_payoff_dates(on, expected):
    assert _names("jilin", kind="payoff", on=on, due_day=28, at="11:00") == expected


@pytest.mark.parametrize(
    ("at", "ok"), [("09:59", False), ("10:00", True), ("15:59", True), ("16:00", False)]
)
def test_jilin_payoff_hours_are_10_to_16(at, ok):
    assert check_prepayment("jilin", kind="payoff", on="2018-01-10", due_day=28, at=at).ok is ok


def test_time_can_come_with_the_datetime_and_is_skipped_when_unknown():
    assert not check_prepayment(
        "jilin", kind="payoff", on=datetime(2018, 1, 10, 17, 0), due_day=28
    ).ok
    assert check_prepayment("jilin", kind="payoff", on=date(2018, 1, 10), due_day=28).ok
    assert (
        "hours" not in check_prepayment("jilin", kind="payoff", on="2018-01-10", due_day=28).checked
    )
    assert check_prepayment("jilin", kind="payoff", on="2018-01-10", due_day=28, at=time(10, 30)).ok


def test_due_day_31_falls_on_the_last_day_of_a_short_month():
    assert _names("jilin", kind="payoff", on="2018-02-28", due_day=31, at="11:00") == ["due_day"]
    assert _names("jilin", kind="payoff", on="2018-02-27", due_day=31, at="11:00") == [
        "day_before_due"
    ]
    # due on the 1st: the day before is the last day of the previous month
    assert _names("jilin", kind="payoff", on="2018-02-28", due_day=1, at="11:00") == [
        "day_before_due"
    ]


def test_jilin_partial_prepayment_follows_the_general_service_hours():
    assert _names("jilin", kind="partial", amount=1000, on="2018-01-09", at="16:29") == []
    assert _names("jilin", kind="partial", amount=1000, on="2018-01-09", at="16:30") == ["hours"]


def test_enforce_raises_every_reason():
    with pytest.raises(RuleViolation) as info:
        check_prepayment(
            "jilin", kind="payoff", on="2018-12-30", due_day=28, at="08:00", enforce=True
        )
    assert [r.name for r in info.value.reasons] == ["working_day", "hours", "blackout"]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"kind": "full", "on": "2018-01-10"}, "kind"),
        ({"kind": "payoff", "on": "2018-13-10", "due_day": 28}, "on"),
        ({"kind": "payoff", "on": "2018-01-10"}, "due_day"),
        ({"kind": "payoff", "on": "2018-01-10", "due_day": 32}, "due_day"),
        ({"kind": "payoff", "on": "2018-01-10", "due_day": 28, "at": "25:00"}, "at"),
        ({"kind": "payoff", "on": "2035-01-10", "due_day": 28}, "on"),
        ({"kind": "partial", "amount": -1000, "on": "2018-01-10"}, "amount"),
    ],
)
def test_bad_input_names_the_argument(kwargs, name):
    with pytest.raises(InputError) as info:
        check_prepayment("jilin", **kwargs)
    assert info.value.name == name


def test_packs_without_prepayment_rules_check_nothing():
    result = check_prepayment("liuzhou", kind="payoff", on="2035-01-01")
    assert result.ok
    assert result.checked == ()


@settings(max_examples=60)
@given(
    day=st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31)), due=st.integers(1, 31)
)
def test_a_payoff_allowed_by_jilin_is_never_on_a_blackout_holiday_or_due_day(day, due):
    result = check_prepayment("jilin", kind="payoff", on=day, due_day=due, at="12:00")
    if result.ok:
        assert not ((day.month, day.day) >= (12, 30))
        assert not ((day.month, day.day) <= (1, 3))
        assert day.day != due
        import chinese_calendar

        assert chinese_calendar.is_workday(day)


def test_the_leaves_balance_reason_explains_itself_without_internal_documents():
    result = check_prepayment("jilin", kind="partial", amount=20_000, balance=20_000, on="2018-01-09")
    source = result.reasons[0].source
    assert "提前结清" in source
    assert "SPEC" not in source


def test_a_pack_without_a_working_day_rule_needs_no_calendar_past_the_data():
    # Qingdao publishes no working-day rule, so a 2027 date is fine without a holiday file
    result = check_prepayment("qingdao", kind="partial", amount=10_000, balance=500_000, on="2027-02-10")
    assert result.ok
    assert "working_day" not in result.checked
