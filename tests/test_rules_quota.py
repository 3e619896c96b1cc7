"""Loan quota (贷款额度): seed caps, refusals, every limit type, and the min-of-limits invariant."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gjjcalc.errors import InputError, RuleViolation
from gjjcalc.rules import AreaLoan, loan_from_area, loan_quota
from gjjcalc.rules.packs import Pack, parse_pack


@pytest.mark.parametrize(
    ("area", "cap"),
    [
        ("西昌市", "600000.00"),
        ("成都", "500000.00"),
        ("成都市", "500000.00"),
        ("德昌县", "400000.00"),
        ("会理县", "400000.00"),
        ("会理市", "400000.00"),
        ("会东县", "400000.00"),
        ("冕宁县", "400000.00"),
        ("木里县", "400000.00"),
        ("木里藏族自治县", "400000.00"),
        ("宁南县", "350000.00"),
        ("越西县", "350000.00"),
        ("盐源县", "350000.00"),
        ("普格县", "250000.00"),
        ("布拖县", "250000.00"),
        ("金阳县", "250000.00"),
        ("昭觉县", "250000.00"),
        ("喜德县", "250000.00"),
        ("甘洛县", "250000.00"),
        ("美姑县", "250000.00"),
        ("雷波县", "250000.00"),
    ],
)
def test_liangshan_cap_by_purchase_location_binds_for_an_expensive_home(area, cap):
    result = loan_quota("liangshan", area=area, house_price=5_000_000)
    assert result.amount == Decimal(cap)
    assert result.binding == "region_cap"
    region = next(limit for limit in result.limits if limit.name == "region_cap")
    assert region.value == Decimal(cap)
    assert "凉山州住房公积金管理中心" in region.source


def test_liangshan_loan_to_value_binds_below_the_cap_with_80_percent_of_the_price():
    result = loan_quota("liangshan", area="西昌市", house_price=700_000)
    assert (result.amount, result.binding) == (Decimal("560000.00"), "loan_to_value")
    assert [limit.name for limit in result.limits] == ["region_cap", "loan_to_value"]


def test_liangshan_unknown_area_is_an_input_error_not_the_default_cap():
    with pytest.raises(InputError) as info:
        loan_quota("liangshan", area="北京市", house_price=1_000_000)
    assert info.value.name == "area"
    assert "西昌市" in str(info.value)


def test_liangshan_needs_the_area_and_the_price():
    with pytest.raises(InputError, match="area"):
        loan_quota("liangshan", house_price=1_000_000)
    with pytest.raises(InputError, match="house_price"):
        loan_quota("liangshan", area="西昌市")


def test_qingdao_refuses_a_second_hand_house_older_than_30_years():
    refused = loan_quota("qingdao", house_type="再交易住房", house_age=31)
    assert refused.amount == Decimal("0.00")
    assert refused.binding == "house_age"
    assert refused.reasons[0].value == 30
    assert "房龄超过30年" in refused.reasons[0].source
    assert not refused.ok


def test_qingdao_30_year_old_house_is_not_refused_and_needs_the_price_and_the_amount_paid():
    # 30 is "not over 30": the gate passes; the trial requires 房价总额 and 已付金额.
    with pytest.raises(InputError) as info:
        loan_quota("qingdao", house_type="再交易住房", house_age=30)
    assert info.value.name == "house_price"
    with pytest.raises(InputError) as info:
        loan_quota("qingdao", house_type="再交易住房", house_age=30, house_price=800_000)
    assert info.value.name == "paid_amount"


def test_qingdao_refuses_a_borrower_with_an_unsettled_loan():
    refused = loan_quota("qingdao", house_type="普通商品住房", has_unsettled_loan=True)
    assert (refused.amount, refused.binding) == (Decimal("0.00"), "unsettled_loan")
    assert "贷款尚未结清" in refused.reasons[0].source
    assert [limit.value for limit in refused.limits] == [Decimal("0.00")]


def test_qingdao_refusal_with_enforce_raises_the_same_reasons():
    with pytest.raises(RuleViolation) as info:
        loan_quota("qingdao", has_unsettled_loan=True, enforce=True)
    assert [r.name for r in info.value.reasons] == ["unsettled_loan"]


def test_qingdao_second_hand_type_needs_the_house_age_and_unknown_types_are_rejected():
    with pytest.raises(InputError, match="house_age"):
        loan_quota("qingdao", house_type="再交易住房")
    with pytest.raises(InputError) as info:
        loan_quota("qingdao", house_type="别墅")
    assert info.value.name == "house_type"


def test_pack_with_no_quota_rules_is_an_input_error():
    with pytest.raises(InputError, match="publishes none"):
        loan_quota("jilin", house_price=1_000_000)


def _pack(quota: dict[str, Any]) -> Pack:
    constants = {
        key: (value if key == "region_cap" else {"value": value, "source": f"test {key}"})
        for key, value in quota.items()
    }
    return parse_pack(
        {"pack": {"name": "test", "title": "Test", "effective": "undated"}, "quota": constants},
        origin="test.toml",
    )


def test_balance_multiple_counts_the_spouse_and_lifts_a_small_balance_to_the_floor():
    pack = _pack({"balance_multiple": 16, "balance_floor": 70_000, "unit": 1000})
    assert loan_quota(pack, balance=30_000, spouse_balance=10_000.55).amount == Decimal(
        "1120000.00"
    )
    # 60,000 + 12,345.67 = 72,345.67 × 16 = 1,157,530.72 → 1,157,000 in units of 1,000
    assert loan_quota(pack, balance=60_000, spouse_balance="12345.67").amount == Decimal(
        "1157000.00"
    )
    second = _pack({"balance_multiple": 20, "balance_multiple_second_home": 10})
    assert loan_quota(second, balance=10_000, second_home=True).amount == Decimal("100000.00")
    assert loan_quota(second, balance=10_000).amount == Decimal("200000.00")


def test_repayment_capacity_linear_is_spare_income_times_months():
    pack = _pack({"capacity_ratio": "40%", "capacity_mode": "linear"})
    result = loan_quota(pack, monthly_income=10_000, monthly_debt=1_000, months=240)
    assert result.amount == Decimal("720000.00")  # (10,000 × 40% − 1,000) × 240
    assert result.binding == "repayment_capacity"


def test_repayment_capacity_annuity_inverts_the_payment_formula():
    # 4352.06 a month for 360 months at 3.25% repays 1,000,000 (SPEC §2), so the capacity
    # of a 4,352.06 spare payment is just under 1,000,000.
    pack = _pack({"capacity_ratio": "50%", "capacity_mode": "annuity"})
    result = loan_quota(pack, monthly_income="8704.12", months=360, annual_rate="3.25%")
    assert Decimal("999990") < result.amount <= Decimal("1000000.00")
    from gjjcalc import payment

    assert payment(result.amount, "3.25%", 360) <= Decimal("4352.06")


def test_income_can_be_inferred_from_the_contribution_and_the_combined_ratio():
    pack = _pack({"capacity_ratio": "40%", "capacity_mode": "linear"})
    inferred = loan_quota(pack, monthly_contribution=1200, combined_ratio="24%", months=120)
    assert inferred.amount == Decimal("240000.00")  # income 5,000 × 40% × 120


def test_debt_above_capacity_gives_zero_bound_by_capacity():
    pack = _pack({"capacity_ratio": "40%", "capacity_mode": "linear", "unit": 1000})
    result = loan_quota(pack, monthly_income=5_000, monthly_debt=3_000, months=120)
    assert (result.amount, result.binding) == (Decimal("0.00"), "repayment_capacity")


def _age_pack(**extra: Any) -> Pack:
    return _pack(
        {
            "retirement_age_male": 60,
            "retirement_age_female": 55,
            "age_extra_years": 5,
            "capacity_ratio": "40%",
            "capacity_mode": "linear",
            **extra,
        }
    )


def test_age_50_and_300_months_gives_the_longest_term_allowed_and_the_quota_for_it():
    # Regression: this was amount 0, "ends after age 68". On 2026-06-01 a man aged 50 was born
    # 1975-06-02 at the earliest; the 2024 decision delays a man born 1975-06 by 32 months
    # (annex 1: 62 years 8 months). The limit is 62y8m + 5 = 67y8m = 812 months of age, so the
    # longest term is 812 - 50 × 12 = 212 months, and the capacity (10,000 × 40%) × 212.
    result = loan_quota(
        _age_pack(), age=50, sex="male", months=300, monthly_income=10_000, on="2026-06-01"
    )
    assert result.ok
    assert (result.months, result.requested_months) == (212, 300)
    assert (result.amount, result.binding) == (Decimal("848000.00"), "repayment_capacity")
    assert [(r.name, r.value) for r in result.shortened_by] == [("age", 212)]
    assert "67 years 8 months" in result.shortened_by[0].message
    assert "渐进式延迟法定退休年龄" in result.shortened_by[0].source
    capacity = next(limit for limit in result.limits if limit.name == "repayment_capacity")
    assert "over 212 months" in capacity.detail


def test_age_limit_with_a_fixed_age_is_age_plus_term_in_whole_years():
    # "age + term ≤ 70": 70 is no statutory age, so no delay: (70 - 50) × 12 = 240 months.
    pack = _pack({"retirement_age_male": 70, "capacity_ratio": "40%", "capacity_mode": "linear"})
    result = loan_quota(pack, age=50, sex="男", months=300, monthly_income=10_000, on="2026-06-01")
    assert (result.months, result.amount) == (240, Decimal("960000.00"))  # 4,000 × 240
    assert result.shortened_by[0].value == 240


def test_age_limit_from_the_birth_date_ends_on_or_before_the_retirement_date_plus_extra_years():
    # Born 1976-03-15: 34 months of delay (62 years 10 months), retirement 2039-01-15, + 5 years
    # = 2044-01-15. From 2026-06-01, 211 months end 2044-01-01; 212 would end 2044-02-01.
    result = loan_quota(
        _age_pack(),
        birth="1976-03-15",
        sex="male",
        months=300,
        monthly_income=10_000,
        on="2026-06-01",
    )
    assert (result.months, result.amount) == (211, Decimal("844000.00"))  # 4,000 × 211
    assert "2044-01-15" in result.shortened_by[0].message
    assert result.shortened_by[0].value == 211


def test_a_term_within_the_age_limit_is_kept_and_a_woman_s_limit_uses_her_schedule():
    pack = _pack(
        {
            "retirement_age_male": 60,
            "retirement_age_female": 55,
            "age_extra_years": 5,
            "balance_multiple": 10,
        }
    )
    # a man aged 35 on 2026-06-01: born 1990-06-02 at the earliest, 63 + 5 = 68: 396 months
    ok = loan_quota(pack, age=35, sex="male", months=360, balance=10_000, on="2026-06-01")
    assert (ok.amount, ok.months, ok.shortened_by) == (Decimal("100000.00"), 360, ())
    # a woman (original age 55) aged 35: 58 + 5 = 63: (63 - 35) × 12 = 336 months
    woman = loan_quota(pack, age=35, sex="female", months=360, balance=10_000, on="2026-06-01")
    assert (woman.amount, woman.months, woman.ok) == (Decimal("100000.00"), 336, True)
    assert woman.shortened_by[0].name == "age"
    with pytest.raises(InputError, match="sex"):
        loan_quota(pack, age=35, months=360, balance=10_000)
    with pytest.raises(InputError) as info:
        loan_quota(pack, age=35, birth="1990-01-01", sex="male", months=360, balance=1)
    assert info.value.name == "age"


def test_an_age_limit_that_leaves_no_term_refuses():
    # a man aged 66 on 2026-06-01 was born before 1965: 60 + 5 = 65 < 66
    refused = loan_quota(
        _age_pack(), age=66, sex="male", months=120, monthly_income=10_000, on="2026-06-01"
    )
    assert (refused.amount, refused.binding, refused.months) == (Decimal("0.00"), "age", None)
    assert "no term is allowed" in refused.reasons[0].message
    assert refused.reasons[0].value == 65  # 60 (no delay before 1965) + 5
    with pytest.raises(RuleViolation):
        loan_quota(
            _age_pack(),
            age=66,
            sex="male",
            months=120,
            monthly_income=10_000,
            on="2026-06-01",
            enforce=True,
        )


def test_a_shortened_term_is_not_a_refusal_under_enforce():
    result = loan_quota(
        _age_pack(),
        age=50,
        sex="male",
        months=300,
        monthly_income=10_000,
        on="2026-06-01",
        enforce=True,
    )
    assert result.months == 212


def test_house_age_plus_term_and_max_term_shorten_the_term():
    pack = _pack({"house_age_plus_term_max": 50, "max_term_months": 360, "balance_multiple": 10})
    kept = loan_quota(pack, house_age=20, months=360, balance=1)
    assert (kept.binding, kept.months, kept.shortened_by) == ("balance_multiple", 360, ())
    # (50 - 21) × 12 = 348 months
    house = loan_quota(pack, house_age=21, months=360, balance=1)
    assert (house.ok, house.months) == (True, 348)
    assert [(r.name, r.value) for r in house.shortened_by] == [("house_age_plus_term", 348)]
    longest = loan_quota(pack, months=361, balance=1)
    assert (longest.months, longest.shortened_by[0].name) == (360, "max_term")
    # both exceeded: the shorter first, it sets the term
    both = loan_quota(pack, house_age=45, months=400, balance=1)
    assert both.months == 60
    assert [(r.name, r.value) for r in both.shortened_by] == [
        ("house_age_plus_term", 60),
        ("max_term", 360),
    ]
    refused = loan_quota(pack, house_age=50, months=120, balance=1)
    assert (refused.binding, refused.amount) == ("house_age_plus_term", Decimal("0.00"))


def test_the_capacity_is_computed_for_the_shortened_term_in_annuity_mode_too():
    from gjjcalc import payment

    pack = _pack(
        {"house_age_plus_term_max": 40, "capacity_ratio": "50%", "capacity_mode": "annuity"}
    )
    result = loan_quota(
        pack, house_age=25, months=360, monthly_income="8704.12", annual_rate="3.25%"
    )
    assert result.months == 180
    assert payment(result.amount, "3.25%", 180) <= Decimal("4352.06")
    assert payment(result.amount + Decimal("1"), "3.25%", 180) > Decimal("4352.06")


def test_qingdao_trial_answers_with_the_unpaid_part_of_the_price():
    result = loan_quota(
        "qingdao",
        house_type="普通商品住房",
        house_price=1_000_000,
        paid_amount=300_000,
        on="2026-06-01",
    )
    assert (result.amount, result.binding, result.ok) == (
        Decimal("700000.00"),
        "unpaid_price",
        True,
    )
    (limit,) = result.limits
    assert "房价总额和已付金额为必须项" in limit.source
    assert limit.detail.startswith("房价总额 1000000.00 − 已付金额 300000.00")


@pytest.mark.parametrize(
    ("year_built", "refused"),
    [(1996, False), (1995, True), (2026, False)],  # 30 years old on 2026-06-01 is not over 30
)
def test_qingdao_counts_the_house_age_from_the_year_built(year_built, refused):
    result = loan_quota(
        "qingdao",
        house_type="再交易住房",
        house_price="800000",
        paid_amount="240000",
        year_built=year_built,
        on="2026-06-01",
    )
    if refused:
        assert (result.binding, result.amount) == ("house_age", Decimal("0.00"))
        assert "the house is 31 years old" in result.reasons[0].message
    else:
        assert (result.binding, result.amount) == ("unpaid_price", Decimal("560000.00"))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"house_price": 100, "paid_amount": 101, "year_built": 2000}, "paid_amount"),
        ({"house_price": 100, "paid_amount": -1, "year_built": 2000}, "paid_amount"),
        ({"house_price": 100, "paid_amount": 0, "year_built": 2027}, "year_built"),
        ({"house_price": 100, "paid_amount": 0, "year_built": "2000"}, "year_built"),
        ({"house_price": 100, "paid_amount": 0, "year_built": 2000, "house_age": 5}, "year_built"),
        ({"house_price": 100, "paid_amount": 0, "on": "2026-13-01"}, "on"),
    ],
)
def test_qingdao_trial_inputs_are_checked(kwargs, name):
    kwargs.setdefault("on", "2026-06-01")
    with pytest.raises(InputError) as info:
        loan_quota("qingdao", house_type="再交易住房", **kwargs)
    assert info.value.name == name


def test_the_amount_paid_bounds_the_loan_in_any_pack():
    result = loan_quota("liangshan", area="西昌市", house_price=700_000, paid_amount=300_000)
    assert (result.amount, result.binding) == (Decimal("400000.00"), "unpaid_price")
    assert [limit.name for limit in result.limits] == [
        "region_cap",
        "loan_to_value",
        "unpaid_price",
    ]


def test_second_home_ltv_is_used_when_the_pack_has_one():
    pack = _pack({"ltv_first_home": "0.8", "ltv_second_home": "0.6"})
    assert loan_quota(pack, house_price=1_000_000).amount == Decimal("800000.00")
    assert loan_quota(pack, house_price=1_000_000, second_home=True).amount == Decimal("600000.00")


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"house_price": -1}, "house_price"),
        ({"house_price": "abc"}, "house_price"),
        ({"house_price": 1, "second_home": "yes"}, "second_home"),
        ({"house_price": 1, "has_unsettled_loan": 1}, "has_unsettled_loan"),
        ({"house_price": 1, "months": 0}, "months"),
    ],
)
def test_bad_input_names_the_argument(kwargs, name):
    with pytest.raises(InputError) as info:
        loan_quota("liangshan", area="西昌市", **kwargs)
    assert info.value.name == name


def test_ningxia_by_area_is_price_times_area_times_one_minus_down_payment():
    assert loan_from_area(price_per_m2=8000, area_m2=100, down_payment="30%") == AreaLoan(
        house_price=Decimal("800000.00"),
        down_payment=Decimal("240000.00"),
        amount=Decimal("560000.00"),
    )
    odd = loan_from_area(price_per_m2="6543.21", area_m2="87.65", down_payment=0.2)
    # 6543.21 × 87.65 = 573,512.3565 → 573,512.36; × 0.8 = 458,809.8852 → 458,809.89
    assert odd.house_price == Decimal("573512.36")
    assert odd.amount == Decimal("458809.89")
    assert odd.down_payment == Decimal("114702.47")


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"price_per_m2": 0, "area_m2": 90, "down_payment": 0.3}, "price_per_m2"),
        ({"price_per_m2": 8000, "area_m2": "90.125", "down_payment": 0.3}, "area_m2"),
        ({"price_per_m2": 8000, "area_m2": 90, "down_payment": 1}, "down_payment"),
        ({"price_per_m2": 8000, "area_m2": 90, "down_payment": "130%"}, "down_payment"),
    ],
)
def test_loan_from_area_rejects_bad_input(kwargs, name):
    with pytest.raises(InputError) as info:
        loan_from_area(**kwargs)
    assert info.value.name == name


# --- property: the quota never exceeds an enabled limit and equals one of them --------

money = st.integers(min_value=1, max_value=500_000_000).map(lambda fen: Fraction(fen, 100))


@st.composite
def packs_and_facts(draw: st.DrawFn) -> tuple[Pack, dict[str, Any]]:
    quota: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    quota["unit"] = draw(st.sampled_from([1, 100, 1000, 10_000, "0.01"]))
    if draw(st.booleans()):
        quota["region_cap"] = [
            {"value": draw(st.integers(10_000, 2_000_000)), "areas": ["A"], "source": "t"}
        ]
        facts["area"] = "A"
    if draw(st.booleans()):
        quota["ltv"] = f"{draw(st.integers(1, 100))}%"
        facts["house_price"] = str(float(draw(money)))
    if draw(st.booleans()):
        quota["balance_multiple"] = draw(st.integers(1, 30))
        facts["balance"] = f"{draw(st.integers(0, 50_000_000)) / 100:.2f}"
        facts["spouse_balance"] = f"{draw(st.integers(0, 50_000_000)) / 100:.2f}"
    if draw(st.booleans()) or not quota.keys() - {"unit"}:
        quota["capacity_ratio"] = f"{draw(st.integers(1, 100))}%"
        quota["capacity_mode"] = draw(st.sampled_from(["annuity", "linear"]))
        facts["monthly_income"] = draw(st.integers(1, 100_000))
        facts["monthly_debt"] = draw(st.integers(0, 20_000))
        facts["months"] = draw(st.integers(1, 360))
        facts["annual_rate"] = f"{draw(st.integers(0, 600)) / 100}%"
    if draw(st.booleans()):
        quota["unsettled_loan_refused"] = True
        facts["has_unsettled_loan"] = draw(st.booleans())
    return _pack(quota), facts


@settings(max_examples=80)
@given(packs_and_facts())
def test_quota_never_exceeds_an_enabled_limit_and_equals_one_of_them(case):
    pack, facts = case
    result = loan_quota(pack, **facts)
    values = [limit.value for limit in result.limits]
    assert result.amount >= 0
    assert all(result.amount <= value for value in values)
    assert result.amount in values
    assert result.binding in [limit.name for limit in result.limits]
    if result.reasons:
        assert result.amount == 0
    unit = pack.quota.unit.value if pack.quota.unit else Fraction(1, 100)
    assert (Fraction(result.amount) / unit).denominator == 1


@settings(max_examples=40)
@given(
    area=st.sampled_from(["西昌市", "成都", "会理县", "会理市", "宁南县", "美姑县"]),
    price=money,
)
def test_liangshan_quota_is_the_lesser_of_cap_and_80_percent(area, price):
    result = loan_quota("liangshan", area=area, house_price=str(float(price)))
    cap = next(limit.value for limit in result.limits if limit.name == "region_cap")
    eighty = Fraction(price) * Fraction(4, 5)
    expected = min(Fraction(cap), Fraction(int(eighty * 100), 100))
    assert Fraction(result.amount) == expected


@st.composite
def term_limited_requests(draw: st.DrawFn) -> tuple[Pack, dict[str, Any]]:
    quota: dict[str, Any] = {"capacity_ratio": "40%", "capacity_mode": "linear"}
    facts: dict[str, Any] = {
        "months": draw(st.integers(1, 600)),
        "monthly_income": draw(st.integers(1, 100_000)),
        "on": draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))),
    }
    if draw(st.booleans()):
        quota["max_term_months"] = draw(st.integers(1, 600))
    if draw(st.booleans()):
        quota["house_age_plus_term_max"] = draw(st.integers(1, 80))
        facts["house_age"] = draw(st.integers(0, 80))
    if draw(st.booleans()):
        quota["retirement_age_male"] = draw(st.sampled_from([60, 65, 70]))
        quota["retirement_age_female"] = draw(st.sampled_from([50, 55, 60]))
        quota["age_extra_years"] = draw(st.integers(0, 10))
        facts["sex"] = draw(st.sampled_from(["male", "female"]))
        if draw(st.booleans()):
            facts["age"] = draw(st.integers(18, 70))
        else:
            facts["birth"] = facts["on"] - timedelta(days=draw(st.integers(16 * 366, 90 * 365)))
    return _pack(quota), facts


@settings(max_examples=150)
@given(term_limited_requests())
def test_a_shortened_term_is_the_longest_allowed_and_asking_for_it_gives_the_same_quota(case):
    pack, facts = case
    result = loan_quota(pack, **facts)
    requested = facts["months"]
    assert result.requested_months == requested
    if not result.ok:
        assert (result.amount, result.months) == (Decimal("0.00"), None)
        return
    assert result.months is not None
    assert 1 <= result.months <= requested
    values = [r.value for r in result.shortened_by]
    assert values == sorted(values)
    if result.shortened_by:
        assert result.months == values[0] < requested
    else:
        assert result.months == requested
    assert result.amount == Decimal(40_000 * facts["monthly_income"] * result.months) / 100_000
    again = loan_quota(pack, **{**facts, "months": result.months})
    assert (again.amount, again.months, again.shortened_by) == (result.amount, result.months, ())
    if result.shortened_by:
        # one month more is still too long: the term is the longest allowed
        longer = loan_quota(pack, **{**facts, "months": result.months + 1})
        assert longer.months == result.months


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"birth": "9980-01-01", "on": "9999-12-31"}, "birth"),
        ({"age": 20, "on": "0001-01-01"}, "on"),
        ({"birth": "2020-01-01", "on": "2026-06-01"}, "birth"),
        ({"birth": 19760315, "on": "2026-06-01"}, "birth"),
        ({"age": 15, "on": "2026-06-01"}, "age"),
        ({"age": 50, "on": 20260601}, "on"),
    ],
)
def test_age_limit_dates_out_of_range_name_the_argument(kwargs, name):
    with pytest.raises(InputError) as info:
        loan_quota(_age_pack(), sex="male", months=100, monthly_income=1000, **kwargs)
    assert info.value.name == name


# --- dated caps: loan_quota(on=) uses the ones in force (issue 16 item 4) ----------------

DATED_SOURCE = "https://example.invalid/caps"
DATED = parse_pack(
    {
        "pack": {"name": "dated", "title": "Dated caps", "effective": "undated"},
        "quota": {
            "ltv": [
                {"value": "80%", "source": f"{DATED_SOURCE}/ltv", "effective": "undated"},
                {"value": "70%", "source": f"{DATED_SOURCE}/ltv-2025", "effective": date(2025, 3, 1)},
            ],
            "region_cap": [
                {"value": 500_000, "areas": ["市区"], "source": f"{DATED_SOURCE}/2021",
                 "effective": date(2021, 1, 1)},
                {"value": 600_000, "areas": ["市区"], "source": f"{DATED_SOURCE}/2024",
                 "effective": date(2024, 7, 1)},
                {"value": 300_000, "areas": ["县城"], "source": f"{DATED_SOURCE}/county"},
            ],
        },
    },
    origin="dated.toml",
)


@pytest.mark.parametrize(
    ("on", "price", "amount", "binding", "cap"),
    [
        ("2021-01-01", 1_000_000, "500000.00", "region_cap", "500000.00"),
        ("2024-06-30", 1_000_000, "500000.00", "region_cap", "500000.00"),
        ("2024-07-01", 1_000_000, "600000.00", "region_cap", "600000.00"),
        ("2024-07-01", 700_000, "560000.00", "loan_to_value", "600000.00"),  # 80% of 700,000
        ("2025-02-28", 800_000, "600000.00", "region_cap", "600000.00"),  # 80%: 640,000
        ("2025-03-01", 800_000, "560000.00", "loan_to_value", "600000.00"),  # 70%: 560,000
        ("2030-01-01", 1_000_000, "600000.00", "region_cap", "600000.00"),
    ],
)
def test_loan_quota_uses_the_caps_in_force_on_the_day(on, price, amount, binding, cap):
    q = loan_quota(DATED, area="市区", house_price=price, on=on)
    assert (q.amount, q.binding) == (Decimal(amount), binding)
    limits = {limit.name: limit for limit in q.limits}
    assert limits["region_cap"].value == Decimal(cap)
    expected_source = f"{DATED_SOURCE}/2021" if cap == "500000.00" else f"{DATED_SOURCE}/2024"
    assert limits["region_cap"].source == expected_source


def test_before_the_first_cap_of_an_area_the_quota_is_an_input_error_naming_on():
    with pytest.raises(InputError) as info:
        loan_quota(DATED, area="市区", house_price=1_000_000, on="2020-12-31")
    assert info.value.name == "on"
    assert str(info.value) == (
        "on='2020-12-31' is out of range: expected a date on or after 2021-01-01 "
        "(the dated pack's first cap for 市区 is in force then)"
    )
    # an undated cap is in force always
    q = loan_quota(DATED, area="县城", house_price=1_000_000, on="2000-01-01")
    assert (q.amount, q.binding) == (Decimal("300000.00"), "region_cap")


def test_a_constant_not_yet_in_force_is_an_input_error_naming_on_and_the_first_date():
    pack = parse_pack(
        {
            "pack": {"name": "late", "title": "Late", "effective": "undated"},
            "quota": {"ltv": [{"value": "80%", "source": DATED_SOURCE, "effective": date(2025, 3, 1)}]},
        },
        origin="late.toml",
    )
    with pytest.raises(InputError, match=r"^on='2025-02-28' is out of range: expected a date on or after 2025-03-01 "
                       r"\(late.toml: quota.ltv is first in force on 2025-03-01\)$"):
        loan_quota(pack, house_price=100_000, on="2025-02-28")
    assert loan_quota(pack, house_price=100_000, on="2025-03-01").amount == Decimal("80000.00")


def test_a_pack_whose_only_caps_are_not_yet_in_force_is_an_input_error_not_an_uncapped_quota():
    caps = [
        {"value": 500_000, "areas": ["市区"], "source": DATED_SOURCE, "effective": date(2021, 1, 1)},
        {"value": 600_000, "areas": ["市区"], "source": DATED_SOURCE, "effective": date(2024, 7, 1)},
    ]
    pack = parse_pack({"pack": {"name": "later", "title": "Later", "effective": "undated"},
                       "quota": {"region_cap": caps}})
    with pytest.raises(InputError) as info:
        loan_quota(pack, area="市区", house_price=800_000, on="2020-12-31")
    assert (info.value.name, info.value.value) == ("on", "2020-12-31")
    assert loan_quota(pack, area="市区", house_price=800_000, on="2021-01-01").amount == Decimal("500000.00")
    # a cap written once is in force always, whatever date it carries (as every shipped pack's)
    once = parse_pack({"pack": {"name": "once", "title": "Once", "effective": "undated"},
                       "quota": {"region_cap": caps[:1]}})
    assert not once.dated
    assert loan_quota(once, area="市区", house_price=800_000, on="2000-01-01").amount == Decimal("500000.00")
