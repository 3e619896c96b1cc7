"""One vocabulary: each concept has one name across the API (docs/glossary.md), and every
old name keeps working for a minor version with a DeprecationWarning that names the new one."""

from __future__ import annotations

import inspect
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gjjcalc
from gjjcalc import InputError
from gjjcalc.loan import Loan, commercial_loan
from gjjcalc.rules import Repricing, calendar_day, is_working_day, repricing_date
from gjjcalc.rules.rates import default_lpr_table, default_rate_table

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def deprecated(match: str) -> Any:
    return pytest.warns(DeprecationWarning, match=match)


def test_repricing_date_and_its_old_name() -> None:
    assert repricing_date("2024-05-18") == date(2025, 1, 1)
    from gjjcalc.rules.rates import reprice_on

    with deprecated(r"reprice_on is deprecated: use gjjcalc\.rules\.repricing_date"):
        assert reprice_on("2024-05-18", "july_same_year") == date(2024, 7, 1)
    with deprecated("repricing_date"):
        assert gjjcalc.rules.reprice_on("2024-05-18") == date(2025, 1, 1)


def test_repricing_date_names_its_own_argument() -> None:
    # Found: a bad rule was reported as repricing=..., an argument reprice_on does not have.
    with pytest.raises(InputError) as err:
        repricing_date("2024-05-18", "yearly")
    assert err.value.name == "rule"
    with pytest.raises(InputError) as err:
        repricing_date("2024-05-18", "anniversary")
    assert err.value.name == "rule"
    assert "repricing_dates" in str(err.value)


def test_change_rate_and_the_old_reprice() -> None:
    loan = Loan(690000, "3.25%", 300, released="2015-08-28")
    new = loan.change_rate(on="2023-01-01", annual_rate="3.1%")
    assert new.state_on("2023-02-28").payment == Decimal("3322.38")
    with deprecated(r"Loan\.reprice\(on=, annual_rate=\) is deprecated: use Loan\.change_rate"):
        old = loan.reprice(on="2023-01-01", annual_rate="3.1%")
    assert old == new


def test_table_and_the_old_rate_table() -> None:
    table = default_rate_table()
    loan = Loan(690000, None, 300, released="2015-08-28", table=table)
    with deprecated(r"Loan\(rate_table=\.\.\.\) is deprecated: use Loan\(table=\.\.\.\)"):
        old = Loan(690000, None, 300, released="2015-08-28", rate_table=table)
    assert old == loan
    with pytest.raises(TypeError, match="both table= and its deprecated spelling rate_table="):
        Loan(690000, None, 300, released="2015-08-28", table=table, rate_table=table)
    with pytest.raises(TypeError, match="unexpected keyword argument 'rate_tabel'"):
        Loan(690000, None, 300, released="2015-08-28", rate_tabel=table)  # type: ignore[call-arg]
    with pytest.raises(InputError) as err:
        Loan(690000, None, 300, released="2015-08-28", table="shipped")  # type: ignore[arg-type]
    assert err.value.name == "table"


def test_withdrawal_facts_and_the_old_facts() -> None:
    from gjjcalc.rules import withdrawal

    assert "medical_costs" in withdrawal.WITHDRAWAL_FACTS
    with deprecated(r"withdrawal\.FACTS is deprecated: use gjjcalc\.rules\.withdrawal\.WITHDRAWAL_FACTS"):
        assert withdrawal.FACTS == withdrawal.WITHDRAWAL_FACTS
    assert "FACTS" not in withdrawal.__all__
    with pytest.raises(AttributeError):
        withdrawal.FACTZ  # noqa: B018


def test_no_error_plumbing_in_public_signatures() -> None:
    # Found: is_working_day(day, name="day") and row_on(on, *, name="on").
    for func in (is_working_day, calendar_day, default_rate_table().row_on, default_lpr_table().row_on):
        assert "name" not in inspect.signature(func).parameters, func
    with deprecated(r"is_working_day\(day, name=\.\.\.\) is deprecated"), pytest.raises(InputError) as err:
        is_working_day("not a day", name="when")
    assert err.value.name == "when"
    with pytest.raises(InputError) as err:
        is_working_day("not a day")
    assert err.value.name == "day"
    with deprecated(r"row_on\(on, name=\.\.\.\) is deprecated"), pytest.raises(InputError) as err:
        default_rate_table().row_on("1990-01-01", name="released")
    assert err.value.name == "released"
    with deprecated("calendar_day"):
        assert calendar_day("2026-02-14", name="x").working


def test_one_repricing_enum() -> None:
    # Found: two repricing enums (Repricing, LprRepricing), both passed as repricing=.
    jan = commercial_loan(400000, 360, released="2024-03-01", repricing=Repricing.NEXT_JANUARY)
    assert jan == commercial_loan(400000, 360, released="2024-03-01")
    assert commercial_loan(400000, 360, released="2024-03-01", repricing="anniversary").events[0].on == date(
        2025, 3, 1)
    with deprecated(r"repricing='january'.* is deprecated: use repricing='next_january'"):
        assert commercial_loan(400000, 360, released="2024-03-01", repricing="january") == jan
    combination = sys.modules["gjjcalc.loan.combination"]
    with deprecated(r"LprRepricing is deprecated: use gjjcalc\.rules\.Repricing"):
        old = combination.LprRepricing
    with deprecated("next_january"):
        assert commercial_loan(400000, 360, released="2024-03-01", repricing=old.JANUARY) == jan
    with pytest.raises(InputError) as err:
        commercial_loan(400000, 360, released="2024-03-01", repricing="july_same_year")
    assert err.value.name == "repricing"
    assert "PBoC announcement [2019] No. 16" in str(err.value)


def test_the_glossary_names_every_concept_with_its_chinese_term() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", text, flags=re.M))
    for name, chinese in {
        "principal": "本金", "balance": "贷款余额", "annual_rate": "年利率", "months": "期数",
        "remaining_months": "剩余期数", "payment": "月供", "released": "放款日", "first_due": "首次还款日",
        "second_home": "二套房", "method": "还款方式", "table": "利率表", "repricing": "重定价",
    }.items():
        assert chinese in rows.get(name, ""), name


RETIRED = {"first_home": "second_home", "rate_table": "table", "term": "months", "loan_amount": "principal",
           "interest_rate": "annual_rate"}
"""Names a public signature may not use, with the glossary's name for the concept."""


def _public_callables() -> list[tuple[str, object]]:
    import gjjcalc.account
    import gjjcalc.loan
    import gjjcalc.rules

    found = []
    for module in (gjjcalc, gjjcalc.loan, gjjcalc.rules, gjjcalc.account):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if callable(member) and not attr.startswith("_"):
                        found.append((f"{module.__name__}.{name}.{attr}", member))
                found.append((f"{module.__name__}.{name}", obj))
            elif callable(obj):
                found.append((f"{module.__name__}.{name}", obj))
    return found


def test_public_signatures_use_the_glossary_names() -> None:
    offenders = []
    for where, obj in _public_callables():
        try:
            params = inspect.signature(obj).parameters  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        offenders += [f"{where}({p}=)" for p in params if p in RETIRED]
    assert offenders == []


def test_the_scalar_prepay_and_payoff_leave_the_rules_to_the_policy_layer() -> None:
    # Found: the scalar prepay took 18 parameters, five of them rule checks.
    for func in (gjjcalc.prepay, gjjcalc.payoff):
        params = inspect.signature(func).parameters
        assert not {"pack", "due_day", "at", "today", "enforce", "calendar", "assume"} & set(params)
    args = {"balance": 646609.84, "annual_rate": 0.0325, "on": "2018-01-10", "interest_from": "2017-12-29"}
    plain = gjjcalc.payoff(**args)  # type: ignore[arg-type]
    with deprecated(r"gjjcalc\.payoff\(pack=, due_day=, enforce=\) is deprecated: use Loan\(\.\.\., pack=\.\.\.\)"):
        assert gjjcalc.payoff(**args, pack="jilin", due_day=28, enforce=True) == plain  # type: ignore[arg-type]
    with deprecated("check_prepayment"), pytest.raises(gjjcalc.RuleViolation):
        gjjcalc.prepay(**args, remaining_months=272, amount=10500, mode="shorten_term",  # type: ignore[arg-type]
                       pack="jilin", due_day=28, enforce=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'packs'"):
        gjjcalc.payoff(**args, packs="jilin")  # type: ignore[arg-type, call-arg]
