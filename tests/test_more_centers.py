"""The packs of the large centers (Beijing, Shanghai, Shenzhen, Guangzhou, Tianjin, Hangzhou):
every constant against the number its source prints, every pack loads by name, each says what
its sources leave out, and a quota per pack computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from gjjcalc.errors import InputError
from gjjcalc.rules import load_pack, loan_quota, pack_names
from gjjcalc.rules.packs import Sourced

NEW = ("beijing", "guangzhou", "hangzhou", "shanghai", "shenzhen", "tianjin")


def test_every_pack_loads_by_name_and_the_new_ones_are_shipped():
    assert set(NEW) <= set(pack_names())
    for name in pack_names():
        assert load_pack(name).name == name


@pytest.mark.parametrize("name", NEW)
def test_each_new_pack_lists_what_its_sources_do_not_give(name: str):
    missing = load_pack(name).missing
    assert missing
    assert all(item.strip() for item in missing)


def _quota(name: str, key: str) -> Sourced[Any]:
    found = getattr(load_pack(name).quota, key)
    assert found is not None, f"{name}: quota.{key}"
    return found  # type: ignore[no-any-return]


def _uplift(name: str, uplift: str) -> Any:
    return next(u for u in load_pack(name).quota.uplifts if u.name == uplift)


# (pack, key, value as the source prints it, the source's address, the source's words for it)
CONSTANTS = [
    ("shenzhen", "cap_single", Fraction(600_000), "https://reportify.ai/news/1098611972422897664", "500,000 to 600,000 yuan"),
    ("shenzhen", "cap_couple", Fraction(1_100_000), "https://reportify.ai/news/1098611972422897664", "900,000 to 1,100,000 yuan"),
    ("shenzhen", "top_cap_single", Fraction(1_260_000), "https://reportify.ai/news/1098611972422897664", "1,260,000 yuan"),
    ("shenzhen", "top_cap_couple", Fraction(2_310_000), "https://reportify.ai/news/1098611972422897664", "2,310,000 yuan"),
    ("shenzhen", "balance_multiple", Fraction(16), "https://reportify.ai/news/1098611972422897664", "16 times the account balance"),
    ("shenzhen", "ltv", Fraction(4, 5), "https://reportify.ai/social-media/1099091107360411648", "first and second homes is set at 20%"),
    ("shenzhen", "uplift_combine", "sum", "https://evrimagaci.org/tpg/shenzhen-eases-housing-loan-rules-to-boost-market-265172", "can be combined"),
    ("shanghai", "cap_first_home", Fraction(2_400_000), "https://chinadailybrief.com/article/69a103270c469af7c286fa38", "RMB 1.6M to RMB 2.4M"),
    ("shanghai", "top_cap_first_home", Fraction(3_240_000), "https://chinadailybrief.com/article/69a103270c469af7c286fa38", "reaching RMB 3.24M"),
    ("beijing", "cap_first_home_couple", Fraction(2_400_000), "https://www.peopleapp.com/column/30052875352-500007640471", "240 万元"),
    ("beijing", "top_cap_first_home_couple", Fraction(3_400_000), "https://emwap.eastmoney.com/a/202608073835569636.html", "340万元"),
    ("beijing", "cap_second_home", Fraction(1_000_000), "https://reportify.ai/news/1151286823180439552", "600,000 yuan to 1,000,000 yuan"),  # the newest version
    ("beijing", "top_cap_second_home", Fraction(1_400_000), "https://app.myzaker.com/news/article.php?pk=6895ff98b15ec059d047c362", "1.4 million yuan"),
    ("beijing", "ltv_second_home", Fraction(7, 10), "https://app.myzaker.com/news/article.php?pk=6895ff98b15ec059d047c362", "30 percent citywide"),
    ("hangzhou", "cap_single", Fraction(500_000), "http://lnmlw.com/Bankloan/wtjabjgxpt.html", "500,000 yuan"),
    ("hangzhou", "cap_couple", Fraction(1_000_000), "http://lnmlw.com/Bankloan/wtjabjgxpt.html", "1 million yuan"),
    ("guangzhou", "formula_balance_multiple", Fraction(8), "http://lnmlw.com/Loanintermediary/kbhybxltdh.html", "account balance × 8"),
    ("guangzhou", "formula_months", "to_retirement", "http://lnmlw.com/Loanintermediary/kbhybxltdh.html", "number of months to retirement age"),
    ("guangzhou", "ltv_first_home", Fraction(7, 10), "http://lnmlw.com/Loanintermediary/kbhybxltdh.html", "shall not be less than 30%"),
    ("tianjin", "cap", Fraction(700_000), "http://lnmlw.com/Bankloan/srkgseqyyh.html", "is 700,000"),
    ("tianjin", "capacity_ratio", Fraction(2, 5), "http://lnmlw.com/Bankloan/srkgseqyyh.html", "coefficient is 40"),
    ("tianjin", "capacity_mode", "linear", "http://lnmlw.com/Bankloan/srkgseqyyh.html", "× loan term (months)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "key", "value", "url", "words"), CONSTANTS)
def test_each_constant_is_its_sources_number(name: str, key: str, value: object, url: str, words: str):
    constant = _quota(name, key)
    assert constant.value == value
    assert constant.source.startswith(url)
    assert words in constant.source


# (pack, uplift, share or amount as the source prints it, the source's address, its words)
UPLIFTS = [
    ("shenzhen", "first_home", "share", Fraction(2, 5), "https://reportify.ai/news/1098611972422897664", "from 20% to 40%"),
    ("shenzhen", "multi_child", "share", Fraction(1, 2), "https://reportify.ai/news/1098611972422897664", "from 10% to 50%"),
    ("shanghai", "multi_child", "share", Fraction(1, 5), "https://chinadailybrief.com/article/69a103270c469af7c286fa38", "20% (multi-child)"),
    ("shanghai", "green_building", "share", Fraction(3, 20), "https://chinadailybrief.com/article/69a103270c469af7c286fa38", "15% (green buildings)"),
    ("beijing", "green_building", "amount", Fraction(400_000), "https://app.myzaker.com/news/article.php?pk=6895ff98b15ec059d047c362", "another 400,000 yuan"),
    ("beijing", "multi_child", "amount", Fraction(400_000), "https://app.myzaker.com/news/article.php?pk=6895ff98b15ec059d047c362", "another 400,000 yuan"),
    ("hangzhou", "no_home_no_loan", "share", Fraction(1, 5), "http://lnmlw.com/Bankloan/uiuarbbusc.html", "increased by 20"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "uplift", "kind", "value", "url", "words"), UPLIFTS)
def test_each_uplift_is_its_sources_number(name: str, uplift: str, kind: str, value: Fraction, url: str, words: str):
    constant = getattr(_uplift(name, uplift), kind)
    assert constant.value == value
    assert constant.source.startswith(url)
    assert words in constant.source


def test_the_top_caps_are_the_base_caps_with_every_uplift_the_sources_give():
    # Shenzhen: all uplifts together at most 110%: 600,000 × 2.1 and 1,100,000 × 2.1
    assert Fraction(600_000) * Fraction(21, 10) == _quota("shenzhen", "top_cap_single").value
    assert Fraction(1_100_000) * Fraction(21, 10) == _quota("shenzhen", "top_cap_couple").value
    # Shanghai: 2,400,000 × (1 + 20% + 15%) = 3,240,000
    assert Fraction(2_400_000) * Fraction(135, 100) == _quota("shanghai", "top_cap_first_home").value
    # Beijing: 2,400,000 + 1,000,000 and 1,000,000 + 400,000
    assert _quota("beijing", "top_cap_first_home_couple").value == 2_400_000 + 1_000_000
    assert _quota("beijing", "top_cap_second_home").value == 1_000_000 + 400_000
    # Hangzhou's 2022 page: the raised urban caps are 600,000 and 1,200,000
    assert Fraction(500_000) * Fraction(6, 5) == 600_000
    assert Fraction(1_000_000) * Fraction(6, 5) == 1_200_000


def test_beijings_second_home_cap_before_2025_08_09_is_the_one_it_replaced():
    old = load_pack("beijing").in_force("2025-08-08").quota.cap_second_home
    assert old is not None
    assert old.value == 600_000
    assert old.effective is None
    assert "from 600,000 yuan" in old.source


def test_dated_constants_carry_the_day_their_source_gives():
    assert _quota("shenzhen", "cap_couple").effective == date(2025, 3, 24)
    assert _quota("beijing", "cap_second_home").effective == date(2025, 8, 9)
    assert _quota("beijing", "cap_first_home_couple").effective == date(2026, 8, 7)
    assert _uplift("hangzhou", "no_home_no_loan").share.effective == date(2022, 6, 10)


# --- a quota per pack, by hand --------------------------------------------------------------


def test_shenzhen_a_couples_first_home_with_several_children():
    q = loan_quota("shenzhen", couple=True, uplifts=["multi_child"], house_price=3_000_000,
                   balance=200_000, on="2026-01-01")
    # cap 1,100,000 × (1 + 40% + 50%) = 2,090,000; 80% of 3,000,000 = 2,400,000; 200,000 × 16
    assert [(x.name, x.value) for x in q.limits] == [
        ("cap", Decimal("2090000.00")),
        ("loan_to_value", Decimal("2400000.00")),
        ("balance_multiple", Decimal("3200000.00")),
    ]
    assert (q.amount, q.binding, q.caps_used) == (Decimal("2090000.00"), "cap", ("cap_couple", "top_cap_couple"))


def test_shanghai_both_uplifts_reach_the_top_cap():
    q = loan_quota("shanghai", uplifts=["multi_child", "green_building"])
    assert q.amount == Decimal("3240000.00")
    with pytest.raises(InputError):  # no second-home cap is given: nothing to compute
        loan_quota("shanghai", second_home=True)


def test_beijing_picks_the_rules_in_force_on_the_day():
    q = loan_quota("beijing", second_home=True, uplifts=["multi_child"], house_price=3_000_000,
                   on="2025-09-01")
    # 1,000,000 + 400,000 = 1,400,000 below 70% of 3,000,000 = 2,100,000
    assert (q.amount, q.binding) == (Decimal("1400000.00"), "cap")
    assert loan_quota("beijing", couple=True, on="2026-09-01").amount == Decimal("2400000.00")
    # before 2025-08-09 the second-home cap was 600,000 ("from 600,000 yuan to 1,000,000")
    assert loan_quota("beijing", second_home=True, house_price=2_000_000, on="2025-08-08").amount == Decimal("600000.00")
    assert loan_quota("beijing", second_home=True, house_price=2_000_000, on="2025-08-09").amount == Decimal("1000000.00")
    with pytest.raises(InputError) as info:  # only the couple's first-home cap is sourced
        loan_quota("beijing", couple=False, on="2026-09-01")
    assert info.value.name == "pack"


def test_hangzhou_the_2022_uplift_for_a_family_without_a_home():
    assert loan_quota("hangzhou", couple=True, uplifts=["no_home_no_loan"]).amount == Decimal("1200000.00")
    assert loan_quota("hangzhou", couple=False, uplifts=["no_home_no_loan"]).amount == Decimal("600000.00")
    assert loan_quota("hangzhou", couple=True).amount == Decimal("1000000.00")


def test_guangzhou_balance_times_8_plus_contributions_to_retirement():
    q = loan_quota("guangzhou", balance=100_000, monthly_contribution=3000, birth="1990-05-20",
                   sex="male", house_price=3_000_000, on="2026-06-01")
    # born 1990, he retires at 63 on 2053-05-20: 323 whole months from 2026-06-01
    assert q.amount == Decimal(100_000 * 8 + 3000 * 323) == Decimal("1769000.00")
    assert [x.name for x in q.limits] == ["loan_to_value", "balance_and_contributions"]


def test_tianjin_the_cap_and_the_linear_capacity():
    q = loan_quota("tianjin", monthly_income=10_000, monthly_debt=1_000, months=240)
    # (10,000 × 40% − 1,000) × 240 = 720,000 above the 700,000 cap
    assert [(x.name, x.value) for x in q.limits] == [
        ("cap", Decimal("700000.00")),
        ("repayment_capacity", Decimal("720000.00")),
    ]
    assert q.binding == "cap"
