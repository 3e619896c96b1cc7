"""Center packs: shipped packs load, every constant has a source, the schema rejects bad files."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from fractions import Fraction
from pathlib import Path

import pytest

import gjjcalc.rules as rules
from gjjcalc.conventions import AccrualStart
from gjjcalc.errors import InputError
from gjjcalc.rules.packs import Pack, Sourced, load_pack, pack_names, parse_pack

DOCUMENTS = {  # the public document each shipped pack cites: center and document title
    "liuzhou": "柳州市住房公积金管理中心 网上办理指南",
    "jilin": "吉林省住房公积金管理中心《个人网厅操作手册》",
    "qingdao": "青岛市住房公积金管理中心 个人专业版网厅操作手册",
    "ningxia": "宁夏住房公积金《手机APP使用手册》",
    "liangshan": "凉山州住房公积金管理中心 网站页面",
}

MINIMAL = '[pack]\nname = "mine"\ntitle = "My center"\neffective = 2024-01-01\n'


def _constants(obj: object) -> list[Sourced[object]]:
    found: list[Sourced[object]] = []
    if isinstance(obj, Sourced):
        return [obj]
    if isinstance(obj, tuple):
        for item in obj:
            found += _constants(item)
        return found
    slots = getattr(type(obj), "__slots__", ())
    for slot in slots:
        found += _constants(getattr(obj, slot))
    return found


def test_packs_lists_exactly_the_five_seed_centers_and_no_csv_tables():
    assert pack_names() == ("jilin", "liangshan", "liuzhou", "ningxia", "qingdao")
    assert rules.pack_names() == pack_names()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_constant_of_a_shipped_pack_names_its_center_and_document_or_a_url(name):
    pack = load_pack(name)
    constants = _constants(pack)
    assert constants, f"{name} carries no constants"
    for constant in constants:
        assert DOCUMENTS[name] in constant.source or "http" in constant.source, constant
    for kind in pack.withdrawals:
        assert DOCUMENTS[name] in kind.source


@pytest.mark.parametrize(
    ("name", "effective"),
    [
        ("jilin", date(2018, 1, 5)),
        ("qingdao", date(2020, 11, 23)),
        ("ningxia", date(2020, 6, 30)),
        ("liangshan", None),
        ("liuzhou", None),
    ],
)
def test_pack_effective_date_is_the_seed_date_or_none_when_the_seed_is_undated(name, effective):
    pack = load_pack(name)
    assert pack.effective == effective
    assert all(
        c.effective == effective for c in _constants(pack) if c is not None and name != "jilin"
    )


def test_jilin_accrues_from_the_day_after_the_due_date_and_others_default_to_the_due_date():
    assert load_pack("jilin").accrual_start is AccrualStart.DAY_AFTER_DUE
    assert "2017-12-29" in load_pack("jilin").accrual_start_source
    for name in ("qingdao", "liangshan", "ningxia", "liuzhou"):
        assert load_pack(name).accrual_start is AccrualStart.DUE_DATE
        assert load_pack(name).accrual_start_source == ""


def test_load_pack_caches_names_and_passes_a_pack_through():
    pack = load_pack("qingdao")
    assert load_pack("qingdao") is pack
    assert load_pack(pack) is pack
    assert isinstance(pack, Pack)


def test_a_pack_is_frozen():
    pack = load_pack("jilin")
    with pytest.raises(AttributeError):
        pack.name = "other"  # type: ignore[misc]


def test_unknown_pack_name_is_an_input_error_listing_the_packs():
    with pytest.raises(InputError, match="'jilin', 'liangshan'") as info:
        load_pack("shenzhen")
    assert info.value.name == "pack"


def test_a_users_own_file_loads_by_path(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(
        MINIMAL + '[quota]\nunit = { value = 1000, source = "https://example.invalid/quota" }\n',
        encoding="utf-8",
    )
    pack = load_pack(path)
    assert pack.name == "mine"
    assert pack.quota.unit == Sourced(
        Fraction(1000), "https://example.invalid/quota", date(2024, 1, 1)
    )
    assert load_pack(str(path)).quota.unit == pack.quota.unit


def test_a_file_that_is_not_toml_is_an_input_error_naming_the_file(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text("[pack\nname = ", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert info.value.name == str(path)
    assert "TOML" in str(info.value)


def test_a_file_that_is_not_utf8_is_an_input_error_naming_the_file(tmp_path: Path):
    path = tmp_path / "latin.toml"
    path.write_bytes(MINIMAL.encode() + b'note = "\xe9"\n')
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert info.value.name == str(path)


def test_shipped_packs_are_hashable_and_equal_when_reparsed():
    pack = load_pack("liangshan")
    again = parse_pack(pack.raw, origin=pack.origin)
    assert again == pack
    assert hash(again) == hash(pack)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('[quota]\nunti = { value = 1000, source = "x" }\n', "quota.unti"),
        ('[quota]\nunit = { value = -5, source = "x" }\n', "quota.unit.value"),
        ('[quota]\nltv = { value = 1.5, source = "x" }\n', "quota.ltv.value"),
        ('[quota]\nltv = { value = 0, source = "x" }\n', "quota.ltv.value"),
        ("[quota]\nltv = { value = 0.8 }\n", "quota.ltv.source"),
        ("[quota]\nltv = 0.8\n", "quota.ltv"),
        ('[quota]\nltv = { value = 0.8, source = "x", sauce = "y" }\n', "quota.ltv.sauce"),
        ('[quota]\nhouse_age_max = { value = 0, source = "x" }\n', "quota.house_age_max.value"),
        (
            '[quota]\ncapacity_mode = { value = "geometric", source = "x" }\n',
            "quota.capacity_mode.value",
        ),
        (
            '[prepayment.partial]\nhours = { value = ["16:00", "10:00"], source = "x" }\n',
            "prepayment.partial.hours.value",
        ),
        (
            '[prepayment.payoff]\nblackout = { value = [["13-01", "01-03"]], source = "x" }\n',
            "prepayment.payoff.blackout.value[0][0]",
        ),
        (
            '[prepayment.refinance]\nmultiple = { value = 1000, source = "x" }\n',
            "prepayment.refinance",
        ),
        ('[withdrawal.lottery]\nlabel = "x"\nsource = "x"\n', "withdrawal.lottery"),
        (
            '[withdrawal.rent]\nlabel = "x"\nsource = "x"\nincome_share = { value = "150%", source = "x" }\n',
            "withdrawal.rent.income_share.value",
        ),
        (
            '[contribution]\nratio_min = { value = "5%", source = "x", effective = "soon" }\n',
            "contribution.ratio_min.effective",
        ),
        (
            '[loan]\naccrual_start = { value = "payment_day", source = "x" }\n',
            "loan.accrual_start.value",
        ),
        (
            '[[quota.region_cap]]\nvalue = 100000\nareas = []\nsource = "x"\n',
            "quota.region_cap[0].areas",
        ),
        (
            '[[quota.region_cap]]\nvalue = 100000\nareas = ["A"]\nsource = "x"\ncolour = 1\n',
            "quota.region_cap[0].colour",
        ),
        (
            '[eligibility]\nmax_homes = { value = true, source = "x" }\n',
            "eligibility.max_homes.value",
        ),
        ("[surprise]\nx = 1\n", "surprise"),
    ],
)
def test_schema_errors_name_the_file_and_the_key(tmp_path: Path, body: str, key: str):
    path = tmp_path / "bad.toml"
    path.write_text(MINIMAL + body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert info.value.name == f"{path}: {key}"


def test_a_pack_without_an_effective_date_is_rejected():
    with pytest.raises(InputError, match=r"pack\.effective"):
        parse_pack({"pack": {"name": "x", "title": "X"}}, origin="x.toml")


def test_an_area_named_in_two_cap_groups_is_rejected():
    data = {
        "pack": {"name": "x", "title": "X", "effective": "undated"},
        "quota": {
            "region_cap": [
                {"value": 1, "areas": ["A"], "source": "s"},
                {"value": 2, "areas": ["A"], "source": "s"},
            ]
        },
    }
    with pytest.raises(InputError, match=r"region_cap\[1\].areas"):
        parse_pack(data, origin="x.toml")


def test_jilin_default_payoff_rules_are_the_screen_set_and_the_notes_variant_is_the_other():
    pack = load_pack("jilin")
    assert pack.payoff.hours is not None
    assert pack.payoff.hours.value == (time(10), time(16))
    assert pack.payoff.blackout is not None
    assert pack.payoff.blackout.value == (((12, 30), (1, 3)),)
    assert pack.payoff.no_day_before_due is not None
    assert pack.payoff.no_day_before_due.value
    notes = pack.variant("notes")
    assert notes.name == "jilin:notes"
    assert notes.payoff.hours is not None
    assert notes.payoff.hours.value == (time(9, 30), time(16))
    assert notes.payoff.blackout is not None
    assert notes.payoff.blackout.value == (((12, 1), (1, 31)),)
    assert notes.payoff.no_day_before_due is not None
    assert not notes.payoff.no_day_before_due.value
    assert notes.partial == pack.partial  # only the payoff table is overridden
    assert notes.accrual_start is AccrualStart.DAY_AFTER_DUE
    assert "9:30-16:00" in pack.note or "2018-01-10" in pack.note


def test_unknown_variant_is_an_input_error():
    with pytest.raises(InputError, match="notes"):
        load_pack("jilin").variant("screen")


def test_packs_state_no_limit_their_seed_does_not_publish():
    # Qingdao's manual states no cap, ratio or multiple; Jilin, Ningxia and Liuzhou no quota at all.
    qingdao = load_pack("qingdao").quota
    assert qingdao.region_caps == ()
    assert qingdao.ltv is None
    assert qingdao.balance_multiple is None
    assert qingdao.unit is None
    assert qingdao.capacity_ratio is None
    for name in ("jilin", "ningxia", "liuzhou"):
        assert _constants(load_pack(name).quota) == []
    assert load_pack("liangshan").quota.unit is None


def test_importing_gjjcalc_rules_does_not_import_numba_or_pandas():
    code = (
        "import sys, gjjcalc.rules as r; r.loan_quota('liangshan', area='西昌市', house_price=1);"
        "print('numba' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
