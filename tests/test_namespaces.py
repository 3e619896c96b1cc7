"""What users see when they type ``gjjcalc.`` and press Tab, and what the names resolve to."""

from __future__ import annotations

import importlib
import sys

import pytest

import gjjcalc
import gjjcalc.rules as rules


def test_dir_of_gjjcalc_shows_the_api_not_its_imports() -> None:
    names = dir(gjjcalc)
    for private in ("Any", "annotations", "importlib"):
        assert private not in names
    assert {"Loan", "payment", "batch", "rules", "loan"} <= set(names)


def test_the_rates_api_is_in_gjjcalc_rules_all_and_nothing_else_is_forwarded() -> None:
    rates = importlib.import_module("gjjcalc.rules.rates")
    assert set(rates.__all__) <= set(rules.__all__)
    assert set(rates.__all__) <= set(dir(rules))
    assert rules.provident_rate is rates.provident_rate
    for name in ("_rate_path", "csv", "nothing"):
        with pytest.raises(AttributeError):
            getattr(rules, name)


def test_import_of_the_packs_module_gives_the_module() -> None:
    import gjjcalc.rules.packs as packs_module

    assert packs_module.load_pack is rules.load_pack
    assert rules.pack_names() == ("beijing", "guangzhou", "hangzhou", "jilin", "liangshan", "liuzhou",
                                  "ningxia", "qingdao", "shanghai", "shenzhen", "tianjin")
    with pytest.warns(DeprecationWarning, match=r"gjjcalc.rules.pack_names\(\)"):
        assert rules.packs() == rules.pack_names()  # the old call keeps working for a version


def test_no_function_shadows_a_submodule() -> None:
    # Found: gjjcalc.loan.combination was the function, so the module could not be imported
    # as itself (as gjjcalc.rules.packs could not).
    import types

    import gjjcalc.loan
    import gjjcalc.loan.combination as module

    assert isinstance(module, types.ModuleType)
    assert module.commercial_loan is gjjcalc.commercial_loan
    for package in (gjjcalc, gjjcalc.loan, gjjcalc.rules, gjjcalc.amortize, gjjcalc.account):
        for name in dir(package):
            sub = f"{package.__name__}.{name}"
            if sub in sys.modules:
                assert isinstance(getattr(package, name), types.ModuleType), sub
    provident = gjjcalc.Loan(300000, "3.1%", 120, released="2024-03-01")
    commercial = gjjcalc.commercial_loan(200000, 120, released="2024-03-01")
    with pytest.warns(DeprecationWarning, match=r"use gjjcalc\.combination\(provident, commercial\)"):
        old = gjjcalc.loan.combination(provident, commercial)  # type: ignore[operator]
    assert old.total_payment == gjjcalc.combination(provident, commercial).total_payment


def test_an_input_error_says_where_as_a_path() -> None:
    from gjjcalc import batch
    from gjjcalc.errors import InputError

    with pytest.raises(InputError) as info:
        batch.payments([1000, -5], 0.03, 12)
    assert info.value.loc == ("principal", 1)
    assert info.value.argument == "principal"
    with pytest.raises(InputError) as info:
        gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28",
                     events=[gjjcalc.Prepayment("2018-01-10", 10_000_000, "lower_payment")])
    assert info.value.loc == ("events", 0, "amount")


def test_batch_statuses_are_a_public_enum() -> None:
    from gjjcalc import batch

    s = batch.summaries([1000, -5, 1], 0.0325, 360, errors="mask")
    assert [batch.Status(x) for x in s.status] == [batch.Status.OK, batch.Status.AMOUNT, batch.Status.NO_REPAY]
