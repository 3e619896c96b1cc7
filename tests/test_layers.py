"""The three layers: arithmetic (amortize) and rules know nothing of each other; loan combines them."""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import gjjcalc
from gjjcalc.amortize import prepay as arithmetic

SRC = Path(__file__).resolve().parents[1] / "src" / "gjjcalc"
SHIMS = {"loan.py", "combination.py"}  # deprecated aliases of the moved modules


def imported(path: Path) -> set[str]:
    """Every gjjcalc module a file imports, at any depth (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("gjjcalc")}


@pytest.mark.parametrize("path", sorted((SRC / "amortize").glob("*.py")), ids=lambda p: p.name)
def test_the_arithmetic_imports_no_rules_and_no_policy(path: Path) -> None:
    bad = {n for n in imported(path) if n.startswith(("gjjcalc.rules", "gjjcalc.loan"))}
    assert not bad, f"{path.name} imports {sorted(bad)}"
    if path.name in SHIMS:  # an alias: nothing but a forwarding __getattr__
        assert "def __getattr__" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted((SRC / "rules").glob("*.py")), ids=lambda p: p.name)
def test_the_rules_import_no_arithmetic_and_no_policy(path: Path) -> None:
    bad = {n for n in imported(path) if n.startswith(("gjjcalc.amortize", "gjjcalc.loan"))}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_using_the_arithmetic_loads_no_rules() -> None:
    # (``import gjjcalc`` loads the policy layer's classes, which load the rules on demand)
    code = (
        "import sys, gjjcalc.amortize.schedule as s, gjjcalc.amortize.prepay as p\n"
        "s.equal_installment(690000, '3.25%', 300)\n"
        "p.prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272, amount=10000,"
        " on='2018-01-09', interest_from='2017-12-29', mode='lower_payment')\n"
        "print(sorted(m for m in sys.modules if m.startswith('gjjcalc.rules')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_moved_modules_forward_with_a_warning_naming_the_new_place() -> None:
    import gjjcalc.amortize.combination as old_combination
    import gjjcalc.amortize.loan as old_loan

    with pytest.warns(DeprecationWarning, match=r"gjjcalc.amortize.loan.Loan moved to gjjcalc.loan.Loan"):
        assert old_loan.Loan is gjjcalc.Loan
    with pytest.warns(DeprecationWarning, match=r"gjjcalc.loan.combination"):
        assert old_combination.combination is gjjcalc.combination
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning for a name that never lived there
        assert not hasattr(old_loan, "nothing_here")


def test_the_pure_prepay_refuses_a_pack_naming_the_function_that_takes_one() -> None:
    with pytest.raises(TypeError, match=r"takes no pack=, enforce=.*gjjcalc.prepay\(\)"):
        arithmetic.prepay(balance=1000, annual_rate="0.03", remaining_months=12, amount=100,  # type: ignore[call-arg]
                          on="2018-01-09", interest_from="2017-12-29", mode="lower_payment",
                          pack="jilin", enforce=True)
    with pytest.raises(TypeError, match=r"gjjcalc.payoff\(\)"):
        arithmetic.payoff(balance=1000, annual_rate="0.03", on="2018-01-09",  # type: ignore[call-arg]
                          interest_from="2017-12-29", pack="jilin")
