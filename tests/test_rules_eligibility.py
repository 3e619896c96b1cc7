"""Loan eligibility (Liangshan's six conditions, Qingdao's unsettled loan) and the contribution ratio."""

from __future__ import annotations

import pytest

from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules import check_contribution_ratio, check_eligibility

GOOD = {
    "on": "2024-06-01",
    "contribution_months": 6,
    "employer_unpaid_months": 0,
    "last_withdrawal": None,
    "other_housing_loan": False,
    "guarantee": False,
    "overdue_consecutive": 2,
    "overdue_total": 5,
    "purchase_date": "2022-06-01",
    "homes": 2,
}


def _names(**changes: object) -> list[str]:
    result = check_eligibility("liangshan", **{**GOOD, **changes})
    assert result.ok is (not result.reasons)
    return [r.name for r in result.reasons]


def test_liangshan_borrower_meeting_every_condition_at_its_boundary_is_eligible():
    result = check_eligibility("liangshan", **GOOD)
    assert result.ok
    assert set(result.checked) >= {
        "contribution_months",
        "employer_arrears",
        "other_housing_loan",
        "guarantee",
        "overdue_consecutive",
        "overdue_total",
        "purchase_date",
        "homes",
    }


def test_liangshan_needs_6_consecutive_months_of_contributions():
    assert _names(contribution_months=5) == ["contribution_months"]


def test_liangshan_employer_arrears_with_a_withdrawal_within_a_year_is_refused():
    assert _names(employer_unpaid_months=6, last_withdrawal="2023-06-02") == ["employer_arrears"]
    # a withdrawal exactly a year back, or arrears of 5 months, do not meet the condition
    assert _names(employer_unpaid_months=6, last_withdrawal="2023-06-01") == []
    assert _names(employer_unpaid_months=5, last_withdrawal="2024-01-01") == []
    assert _names(employer_unpaid_months=6, last_withdrawal=None) == []


def test_liangshan_other_housing_loan_or_guarantee_is_refused():
    assert _names(other_housing_loan=True) == ["other_housing_loan"]
    assert _names(guarantee=True) == ["guarantee"]


def test_liangshan_credit_3_consecutive_or_6_cumulative_overdue_is_refused():
    assert _names(overdue_consecutive=3) == ["overdue_consecutive"]
    assert _names(overdue_total=6) == ["overdue_total"]


def test_liangshan_home_bought_more_than_2_years_ago_is_refused():
    assert _names(purchase_date="2022-05-31") == ["purchase_date"]


def test_liangshan_at_most_2_homes():
    assert _names(homes=3) == ["homes"]


def test_every_violation_is_reported_with_value_and_source_and_enforce_raises_them_all():
    bad = {**GOOD, "contribution_months": 1, "homes": 4, "overdue_total": 9}
    result = check_eligibility("liangshan", **bad)
    assert [r.name for r in result.reasons] == ["contribution_months", "overdue_total", "homes"]
    assert [r.value for r in result.reasons] == [6, 6, 2]
    assert all("凉山州住房公积金管理中心" in r.source for r in result.reasons)
    with pytest.raises(RuleViolation) as info:
        check_eligibility("liangshan", enforce=True, **bad)
    assert info.value.reasons == result.reasons


def test_an_or_reading_of_the_arrears_rule_can_be_written_as_a_variant_pack(tmp_path):
    path = tmp_path / "liangshan_or.toml"
    text = (
        '[pack]\nname = "ls_or"\ntitle = "Liangshan, or-reading"\neffective = "undated"\n'
        "[eligibility]\n"
        'employer_arrears_months = { value = 6, source = "seed 004" }\n'
        'withdrawal_within_months = { value = 12, source = "seed 004" }\n'
        'arrears_join = { value = "or", source = "seed 004" }\n'
    )
    path.write_text(text, encoding="utf-8")
    result = check_eligibility(
        str(path), on="2024-06-01", employer_unpaid_months=0, last_withdrawal="2024-01-01"
    )
    assert [r.name for r in result.reasons] == ["employer_arrears"]


def test_missing_and_unknown_facts_are_input_errors():
    facts = dict(GOOD)
    del facts["homes"]
    with pytest.raises(InputError) as info:
        check_eligibility("liangshan", **facts)
    assert info.value.name == "homes"
    with pytest.raises(InputError) as info:
        check_eligibility("liangshan", **GOOD, salary=1)
    assert info.value.name == "salary"
    with pytest.raises(InputError) as info:
        check_eligibility("liangshan", **{**GOOD, "purchase_date": "2024-07-01"})
    assert info.value.name == "purchase_date"


def test_qingdao_unsettled_loan():
    refused = check_eligibility("qingdao", has_unsettled_loan=True)
    assert refused.ok is False
    assert [(r.name, r.value) for r in refused.reasons] == [("has_unsettled_loan", True)]
    # the pack constant against its source: 青岛 manual §8.1, 贷款尚未结清，不能进行贷款额度试算
    assert "§8.1: 贷款尚未结清" in refused.reasons[0].source
    settled = check_eligibility("qingdao", has_unsettled_loan=False)
    assert (settled.ok, settled.checked) == (True, ("has_unsettled_loan",))
    assert (settled.used_facts, settled.ignored_facts) == (("has_unsettled_loan",), ())


def test_a_pack_with_no_conditions_checks_nothing_and_says_so():
    # the Jilin manual states no loan condition: nothing is checked, and ok is None (not known),
    # never True; it is falsy, so `if result.ok:` does not admit the borrower
    nothing = check_eligibility("jilin")
    assert (nothing.ok, nothing.checked, nothing.reasons) == (None, (), ())
    assert not nothing.ok
    assert (nothing.used_facts, nothing.ignored_facts) == ((), ())
    # facts given to it are listed as ignored, not silently dropped
    given = check_eligibility("jilin", contribution_months=24, homes=1, on="2024-06-01")
    assert given.ok is None
    assert given.ignored_facts == ("contribution_months", "homes")
    assert given.used_facts == ("on",)  # the day picks the constants in force, even when none apply
    # nothing refused, so enforce raises nothing
    assert check_eligibility("jilin", enforce=True, homes=1).ok is None
    d = given.to_dict()
    assert (d["ok"], d["checked"], d["ignored_facts"]) == (None, [], ["contribution_months", "homes"])


def test_liangshan_lists_the_facts_it_used_and_ignored():
    result = check_eligibility("liangshan", **GOOD, has_unsettled_loan=True)
    assert result.ok is True
    assert result.used_facts == (
        "on",
        "contribution_months",
        "employer_unpaid_months",
        "last_withdrawal",
        "other_housing_loan",
        "guarantee",
        "overdue_consecutive",
        "overdue_total",
        "purchase_date",
        "homes",
    )
    # Liangshan states no unsettled-loan condition: the fact is ignored, and said to be
    assert result.ignored_facts == ("has_unsettled_loan",)
    # a fact given as None is not given
    assert check_eligibility("liangshan", **GOOD, has_unsettled_loan=None).ignored_facts == ()
    # last_withdrawal=None (never) is used, not ignored; where nothing reads it, it is ignored
    assert "last_withdrawal" in check_eligibility("liangshan", **GOOD).used_facts
    assert check_eligibility("qingdao", has_unsettled_loan=False, last_withdrawal=None).ignored_facts == (
        "last_withdrawal",
    )


@pytest.mark.parametrize(
    ("ratio", "ok"),
    [
        ("5%", True),
        ("12%", True),
        (0.05, True),
        (0.12, True),
        ("8.5%", True),
        ("4.99%", False),
        ("12.01%", False),
        (0, False),
    ],
)
def test_liangshan_contribution_ratio_is_5_to_12_percent_inclusive(ratio, ok):
    result = check_contribution_ratio("liangshan", ratio)
    assert result.ok is ok
    assert result.checked == ("ratio_min", "ratio_max")


def test_contribution_ratio_reasons_and_enforce():
    low = check_contribution_ratio("liangshan", "4%")
    assert [(r.name, r.value) for r in low.reasons] == [("ratio_min", "5%")]
    with pytest.raises(RuleViolation, match="ratio_max"):
        check_contribution_ratio("liangshan", "13%", enforce=True)
    with pytest.raises(InputError) as info:
        check_contribution_ratio("liangshan", 12)
    assert info.value.name == "ratio"
    assert check_contribution_ratio("qingdao", "20%").checked == ()
