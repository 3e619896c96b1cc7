"""Center packs: shipped packs load, every constant has a source, the schema rejects bad files."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from datetime import date, time
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

import gjjcalc.rules as rules
from gjjcalc.conventions import AccrualStart
from gjjcalc.errors import InputError
from gjjcalc.rules.packs import Pack, Sourced, load_pack, pack_names, parse_pack

packs_module = importlib.import_module("gjjcalc.rules.packs")  # gjjcalc.rules.packs is also callable

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


SHIPPED = (
    "beijing", "guangzhou", "hangzhou", "jilin", "liangshan", "liuzhou", "ningxia", "qingdao",
    "shanghai", "shenzhen", "tianjin",
)  # fmt: skip


def test_packs_lists_exactly_the_shipped_centers_and_no_csv_tables():
    assert pack_names() == SHIPPED
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
        load_pack("atlantis")
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
        ('[withdrawal."Lottery!"]\nlabel = "x"\nsource = "x"\n', 'withdrawal.Lottery!'),
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


# --- dated constants (issue 16 item 4) ---------------------------------------------

SRC = "https://example.invalid/caps"


def dated_pack(**quota: Any) -> Pack:
    return parse_pack(
        {"pack": {"name": "dated", "title": "Dated", "effective": "undated"}, "quota": quota},
        origin="dated.toml",
    )


CAPS = [
    {"value": 300_000, "areas": ["甲区"], "source": f"{SRC}/2020", "effective": date(2020, 1, 1)},
    {"value": 400_000, "areas": ["甲区"], "source": f"{SRC}/2024", "effective": date(2024, 7, 1)},
    {"value": 200_000, "areas": ["乙区"], "source": f"{SRC}/undated"},
]


def test_a_pack_with_versions_is_dated_and_shows_the_newest_version():
    pack = dated_pack(region_cap=CAPS)
    assert pack.dated
    assert pack.on is None
    assert [(g.areas, g.cap.value, g.cap.effective) for g in pack.quota.region_caps] == [
        (("甲区",), Fraction(400_000), date(2024, 7, 1)),
        (("乙区",), Fraction(200_000), None),
    ]
    assert not load_pack("liangshan").dated


@pytest.mark.parametrize(
    ("on", "cap", "source"),
    [
        ("2020-01-01", 300_000, f"{SRC}/2020"),
        ("2022-03-15", 300_000, f"{SRC}/2020"),
        ("2024-06-30", 300_000, f"{SRC}/2020"),
        ("2024-07-01", 400_000, f"{SRC}/2024"),
        ("2030-01-01", 400_000, f"{SRC}/2024"),
    ],
)
def test_in_force_picks_the_latest_cap_on_or_before_the_day(on: str, cap: int, source: str):
    pack = dated_pack(region_cap=CAPS).in_force(on)
    assert pack.on == date.fromisoformat(on)
    first = pack.quota.region_caps[0]
    assert (first.areas, first.cap.value, first.cap.source) == (("甲区",), Fraction(cap), source)
    assert pack.quota.region_caps[1].cap.value == Fraction(200_000)  # undated: in force always


def test_before_the_first_cap_the_area_is_pending_and_the_undated_one_is_in_force():
    pack = dated_pack(region_cap=CAPS).in_force("2019-12-31")
    assert [(g.areas, g.cap.value) for g in pack.quota.region_caps] == [(("乙区",), Fraction(200_000))]
    assert pack.pending_areas == (("甲区", date(2020, 1, 1)),)


VERSIONS = [
    {"value": "80%", "source": f"{SRC}/ltv-2020", "effective": date(2020, 1, 1)},
    {"value": "60%", "source": f"{SRC}/ltv-2024", "effective": date(2024, 7, 1)},
]


@pytest.mark.parametrize(
    ("on", "ltv"),
    [("2020-01-01", "4/5"), ("2024-06-30", "4/5"), ("2024-07-01", "3/5"), ("2031-12-31", "3/5")],
)
def test_a_constant_written_as_versions_is_the_one_in_force(on: str, ltv: str):
    pack = dated_pack(ltv=list(reversed(VERSIONS)))  # file order does not matter
    assert pack.quota.ltv is not None
    assert pack.quota.ltv.value == Fraction(3, 5)
    in_force = pack.in_force(on).quota.ltv
    assert in_force is not None
    assert in_force.value == Fraction(ltv)


def test_before_every_version_is_an_input_error_naming_on_and_the_first_date():
    with pytest.raises(InputError) as info:
        dated_pack(ltv=VERSIONS).in_force("2019-12-31")
    assert info.value.name == "on"
    assert str(info.value) == (
        "on='2019-12-31' is out of range: expected a date on or after 2020-01-01 "
        "(dated.toml: quota.ltv is first in force on 2020-01-01)"
    )


def test_a_version_without_a_date_is_in_force_from_the_start():
    pack = dated_pack(ltv=[{"value": "90%", "source": SRC, "effective": "undated"}, VERSIONS[1]])
    assert pack.in_force("1999-01-01").quota.ltv.value == Fraction(9, 10)  # type: ignore[union-attr]
    assert pack.in_force("2024-07-01").quota.ltv.value == Fraction(3, 5)  # type: ignore[union-attr]


def test_in_force_is_cached_per_day_and_an_undated_pack_is_itself():
    pack = dated_pack(ltv=VERSIONS)
    assert pack.in_force("2025-01-01") is pack.in_force(date(2025, 1, 1))
    shipped = load_pack("jilin")
    assert shipped.in_force("1990-01-01") is shipped
    with pytest.raises(InputError, match=r"^on="):
        shipped.in_force("not a day")


@pytest.mark.parametrize(
    ("quota", "key"),
    [
        ({"ltv": [VERSIONS[0], {**VERSIONS[1], "effective": date(2020, 1, 1)}]}, "quota.ltv[1].effective"),
        ({"ltv": [VERSIONS[0], {**VERSIONS[1], "value": "160%"}]}, "quota.ltv[1].value"),
        ({"ltv": [VERSIONS[0], {"value": "60%"}]}, "quota.ltv[1].source"),
        ({"ltv": []}, "quota.ltv"),
        ({"region_cap": [CAPS[0], {**CAPS[1], "effective": date(2020, 1, 1)}]}, "quota.region_cap[1].areas"),
        ({"region_cap": [CAPS[0], {**CAPS[1], "value": -1}]}, "quota.region_cap[1].value"),
    ],
)
def test_dated_constants_errors_name_the_file_and_the_version(quota: dict[str, Any], key: str):
    with pytest.raises(InputError) as info:
        dated_pack(**quota)
    assert info.value.name == f"dated.toml: {key}"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('[withdrawal.rent]\nlabel = "x"\nsource = "x"\nsauce = 1\n', "withdrawal.rent.sauce"),
        ('[withdrawal.rent]\nsource = "x"\n', "withdrawal.rent.label"),
        ('[withdrawal.rent]\nlabel = "x"\nsource = "x"\n[withdrawal.illness]\nlabel = " "\nsource = "x"\n',
         "withdrawal.illness.label"),
        ('[variants.x]\n[variants.x.quota]\n', "variants.x.description"),
        ('[variants.x]\ndescription = "y"\n[variants.x.quota]\nltv = { value = 2, source = "x" }\n',
         "variants.x.quota.ltv.value"),
        ('[quota]\nmax_term_months = { value = 601, source = "x" }\n', "quota.max_term_months.value"),
        ('[prepayment.partial]\nhours = { value = ["09:00", "25:00"], source = "x" }\n',
         "prepayment.partial.hours.value[1]"),
        ('[offset]\nmodes = { value = ["monthly", "weekly"], source = "x" }\n', "offset.modes.value[1]"),
        ("[quota]\nunit = { value = 1, source = \"x\", note = 3 }\n", "quota.unit.note"),
        ("[quota]\nregion_cap = 5\n", "quota.region_cap"),
    ],
)
def test_more_schema_errors_name_the_file_and_the_key(tmp_path: Path, body: str, key: str):
    path = tmp_path / "bad.toml"
    path.write_text(MINIMAL + body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert info.value.name == f"{path}: {key}"
    assert "msgspec" not in str(info.value)
    assert "Expected `" not in str(info.value)


def test_a_schema_error_reads_as_gjjcalc_s_own_message(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text(MINIMAL + '[quota]\nmax_term_months = { value = 601, source = "x" }\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_pack(path)
    assert str(info.value) == (
        f"{path}: quota.max_term_months.value=601 is out of range: expected an integer from 1 to 600"
    )
    assert info.value.loc[1:] == ("quota", "max_term_months", "value")


def test_the_new_withdrawal_rule_keys_are_declared():
    pack = parse_pack({
        "pack": {"name": "w", "title": "W", "effective": date(2024, 1, 1)},
        "withdrawal": {"repayment": {
            "label": "还贷", "source": SRC,
            "frequency": {"value": "yearly", "source": SRC},
            "refused_after": {"value": ["payoff"], "source": SRC},
            "spouse_balance": {"value": True, "source": SRC},
        }},
    })
    rules = pack.withdrawal("repayment")
    assert rules.frequency == Sourced("yearly", SRC, date(2024, 1, 1))
    assert rules.refused_after == Sourced(("payoff",), SRC, date(2024, 1, 1))
    assert rules.spouse_balance == Sourced(True, SRC, date(2024, 1, 1))
    assert rules.effective == date(2024, 1, 1)


# --- packs found by name (GJJCALC_PACKS, entry points gjjcalc.packs) ------------------------


def write_named(folder: Path, name: str, unit: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(
        f'[pack]\nname = "{name}"\ntitle = "{name} center"\neffective = "undated"\n'
        f'[quota]\nunit = {{ value = {unit}, source = "{SRC}" }}\n',
        encoding="utf-8",
    )
    return path


def test_packs_are_found_by_name_in_the_gjjcalc_packs_directories(tmp_path: Path, monkeypatch):
    first, second = tmp_path / "one", tmp_path / "two"
    write_named(first, "beijing", 1000)
    write_named(second, "beijing", 2000)
    write_named(second, "atlantis", 500)
    monkeypatch.setenv("GJJCALC_PACKS", f"{first}{os.pathsep}{tmp_path / 'absent'}{os.pathsep}{second}")
    assert pack_names() == tuple(sorted({*SHIPPED, "atlantis"}))
    beijing = load_pack("beijing")  # the directory's beijing.toml replaces the shipped one
    assert (beijing.origin, beijing.quota.unit.value) == (str(first / "beijing.toml"), 1000)  # type: ignore[union-attr]
    assert load_pack("atlantis").quota.unit.value == 500  # type: ignore[union-attr]
    assert load_pack("beijing") is beijing  # cached
    write_named(first, "beijing", 10000)  # a changed file is read again
    assert load_pack("beijing").quota.unit.value == 10000  # type: ignore[union-attr]
    assert load_pack("jilin") is load_pack("jilin")


def test_a_pack_whose_name_differs_from_its_file_is_refused(tmp_path: Path, monkeypatch):
    path = write_named(tmp_path, "beijing", 1000)
    path.rename(tmp_path / "peking.toml")
    monkeypatch.setenv("GJJCALC_PACKS", str(tmp_path))
    with pytest.raises(InputError) as info:
        load_pack("peking")
    assert info.value.name == f"{tmp_path / 'peking.toml'}: pack.name"


def test_a_missing_pack_says_not_found_and_where_it_looked(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GJJCALC_PACKS", str(tmp_path))
    with pytest.raises(InputError) as info:
        load_pack("atlantis")
    assert info.value.name == "pack"
    assert str(info.value).endswith(
        f"or a path to a .toml pack file; not found in GJJCALC_PACKS directory {tmp_path}; "
        "the packs shipped with gjjcalc"
    )


def _entry_points(monkeypatch, *points: metadata.EntryPoint) -> None:
    def entry_points(*, group: str) -> tuple[metadata.EntryPoint, ...]:
        return points if group == "gjjcalc.packs" else ()

    monkeypatch.setattr(packs_module.metadata, "entry_points", entry_points)


def test_packs_are_found_in_installed_packages_entry_points(tmp_path: Path, monkeypatch):
    package = tmp_path / "site" / "gjjcalc_extra_packs"
    write_named(package, "entrya", 100)
    (package / "__init__.py").write_text("", encoding="utf-8")
    folder = tmp_path / "folder"
    write_named(folder, "entryb", 10)
    (tmp_path / "site" / "gjjcalc_folder_packs.py").write_text(f"PACKS = {str(folder)!r}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    _entry_points(
        monkeypatch,
        metadata.EntryPoint("extra", "gjjcalc_extra_packs", "gjjcalc.packs"),
        metadata.EntryPoint("folder", "gjjcalc_folder_packs:PACKS", "gjjcalc.packs"),
    )
    assert pack_names() == tuple(sorted({*SHIPPED, "entrya", "entryb"}))
    entrya = load_pack("entrya")
    assert entrya.quota.unit.value == 100  # type: ignore[union-attr]
    assert entrya.origin == str(package / "entrya.toml")
    assert load_pack("entryb").quota.unit.value == 10  # type: ignore[union-attr]


def test_a_broken_entry_point_is_a_warning_and_the_others_still_load(monkeypatch):
    _entry_points(monkeypatch, metadata.EntryPoint("broken", "gjjcalc_no_such_module", "gjjcalc.packs"))
    with pytest.warns(RuntimeWarning, match="entry point broken"):
        assert pack_names() == SHIPPED
