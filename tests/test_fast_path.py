"""The fast exact path (``amortize._fast``) equals the Fraction reference on every cell.

The reference is ``_exact.Run`` with the fast path off. Every convention of the choice
space, both installment methods, whole schedules and stretches of a loan (a kept level, a
term longer than the stretch), ties by construction, tiny and large rates.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import Convention, Method
from gjjcalc.amortize import _exact, _fast
from gjjcalc.amortize._exact import Run, level_for
from gjjcalc.amortize.infer import candidates
from gjjcalc.testing import half_fen_balances, loans, rates

INSTALLMENTS = [Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]
EVERY = {m: candidates(m) for m in INSTALLMENTS}


def _run(fast: bool, balance: Fraction, rate: Fraction, periods: int, method: Method,
         conv: Convention, remaining: int, level: Fraction | None) -> tuple[object, ...]:
    before = _exact.FAST
    _exact.FAST = fast
    try:
        run = Run()
        end = run.extend(balance, rate, periods, method, conv, remaining=remaining, level=level)
    finally:
        _exact.FAST = before
    return (run.payment, run.principal, run.interest, run.balance, run.rate, run.prepaid,
            run.total_payment, run.total_interest, run.level_payment, run.amortized, end,
            run.totals(conv))


def _same(balance: Fraction, rate: Fraction, periods: int, method: Method, conv: Convention,
          remaining: int | None = None, level: Fraction | None = None) -> None:
    remaining = periods if remaining is None else remaining
    fast = _run(True, balance, rate, periods, method, conv, remaining, level)
    reference = _run(False, balance, rate, periods, method, conv, remaining, level)
    assert fast == reference


def _level(balance: Fraction, rate: Fraction, months: int, method: Method, conv: Convention) -> Fraction:
    return level_for(balance, rate, months, method, conv)


@settings(max_examples=60, deadline=None)
@given(loans(max_months=600), st.data())
def test_every_convention_and_method_equals_the_reference(case: object, data: st.DataObject) -> None:
    method = data.draw(st.sampled_from(INSTALLMENTS))
    conv = data.draw(st.sampled_from(EVERY[method]))
    balance = Fraction(case.principal)  # type: ignore[attr-defined]
    rate = Fraction(case.annual_rate)  # type: ignore[attr-defined]
    months = case.months  # type: ignore[attr-defined]
    if _exact.repays(balance, rate, _level(balance, rate, months, method, conv), method, conv):
        _same(balance, rate, months, method, conv)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["0.0375", "0.0325", "0.049", "0.0275"]), st.data())
def test_half_fen_ties_equal_the_reference(rate: str, data: st.DataObject) -> None:
    balance = Fraction(data.draw(half_fen_balances(rate, min_balance="1000")))
    method = data.draw(st.sampled_from(INSTALLMENTS))
    conv = data.draw(st.sampled_from(EVERY[method]))
    months = data.draw(st.integers(8, 400))
    _same(balance, Fraction(rate), months, method, conv)


@settings(max_examples=40, deadline=None)
@given(st.one_of(rates(low="0.0000001", high="0.0001"), rates(low="0.2", high="1")),
       st.integers(100_000, 100_000_000_000), st.integers(8, 600), st.sampled_from(INSTALLMENTS),
       st.sampled_from([Convention.CENTER, Convention.EXACT, Convention(split="independent"),
                        Convention(rounding="down"), Convention(rounding="half_even")]))
def test_tiny_and_large_rates_and_amounts(rate: Decimal, fen: int, months: int, method: Method,
                                          conv: Convention) -> None:
    balance, r = Fraction(fen, 100), Fraction(rate)
    if _exact.repays(balance, r, _level(balance, r, months, method, conv), method, conv):
        _same(balance, r, months, method, conv)


@settings(max_examples=40, deadline=None)
@given(st.integers(100_000, 10**9), st.sampled_from(["0.0325", "0.031", "0.0285", "0.0612345"]),
       st.integers(24, 360), st.data())
def test_stretches_of_a_loan_equal_the_reference(fen: int, rate: str, remaining: int,
                                                 data: st.DataObject) -> None:
    """A stretch shorter than the term (a rate change after it), and a kept level that is
    more than the annuity (a shortened term, ending early)."""
    method = data.draw(st.sampled_from(INSTALLMENTS))
    conv = data.draw(st.sampled_from([Convention.CENTER, Convention.EXACT,
                                      Convention(split="truncate_principal")]))
    balance, r = Fraction(fen, 100), Fraction(rate)
    periods = data.draw(st.integers(8, remaining))
    _same(balance, r, periods, method, conv, remaining=remaining)
    level = _level(balance, r, remaining, method, conv)
    kept = level * Fraction(data.draw(st.integers(101, 300)), 100)
    kept = Fraction(round(kept * 100), 100)
    _same(balance, r, remaining, method, conv, remaining=remaining, level=kept)


def test_the_seed_loan_is_on_the_fast_path_with_the_centers_figures() -> None:
    before = dict(_fast.stats)
    s = gjjcalc.equal_installment(690000, "3.25%", 300)
    assert _fast.stats["stretches"] == before["stretches"] + 1
    assert (s.payment[0], s.balance_after(28), s.total_interest) == (
        Decimal("3362.48"), Decimal("646609.84"), Decimal("318744.90"))


@pytest.mark.parametrize("method", INSTALLMENTS)
@pytest.mark.parametrize("conv", [Convention.CENTER, Convention.EXACT, Convention(split="independent"),
                                  Convention(split="truncate_principal", rounding="half_even")])
def test_a_forced_fallback_is_taken_and_changes_nothing(monkeypatch: pytest.MonkeyPatch,
                                                        method: Method, conv: Convention) -> None:
    """With the error bound inflated past a whole fen, every cell is unsure: every row is
    computed from the exact closed form, and the rows still equal the reference."""
    balance, rate = Fraction(690000), Fraction("0.0325")
    expected = _run(False, balance, rate, 300, method, conv, 300, None)
    monkeypatch.setattr(_fast, "SAFETY", 1e30)
    monkeypatch.setattr(_fast, "MAX_BOUND", float("inf"))
    before = _fast.stats["cells"]
    assert _run(True, balance, rate, 300, method, conv, 300, None) == expected
    assert _fast.stats["cells"] - before >= 300


def test_a_stretch_out_of_reach_is_declined_to_the_exact_loop() -> None:
    """1,000,000,000 yuan over 600 months at 7.5 %: the bound exceeds MAX_BOUND on this path."""
    balance, rate = Fraction(10**9), Fraction("0.075")
    before = _fast.stats["declined"]
    _same(balance, rate, 600, Method.EQUAL_INSTALLMENT, Convention.CENTER)
    assert _fast.stats["declined"] > before


def test_import_gjjcalc_does_not_import_numpy() -> None:
    import subprocess
    import sys

    code = "import gjjcalc, sys; gjjcalc.payment(1000, 0.03, 12); print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_schedules_columns_are_built_on_first_read_and_behave_as_tuples() -> None:
    import copy
    import decimal
    import pickle

    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    assert "payment" not in vars(s)  # nothing built yet
    with decimal.localcontext(decimal.Context(prec=3)):  # the caller's context changes nothing
        assert s.balance[27] == Decimal("646609.84")
    t = pickle.loads(pickle.dumps(gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")))
    assert t == s
    assert hash(t) == hash(s)
    assert copy.deepcopy(s) == s
    assert isinstance(s.payment, tuple)
    assert s.payment[:2] == (Decimal("3362.48"),) * 2
    assert s.due_dates is not None
    assert s.due_dates[-1].isoformat() == "2040-08-28"
    assert s.prepaid[0] == Decimal("0.00")
    assert s.rate[0] == Decimal("0.0325")
    with pytest.raises(AttributeError, match="paymnt"):
        s.paymnt  # type: ignore[attr-defined]  # noqa: B018


def test_payment_shortcuts_equal_the_integer_annuity() -> None:
    """The float annuity decides the fen only away from a rounding boundary; the integer
    form everywhere else (here: every rate step of 0.01 % over 360 months)."""
    from gjjcalc.amortize._exact import annuity_fen
    from gjjcalc.conventions import round_div

    for units in range(1, 1001):
        monthly = Fraction(units, 10000 * 12)
        a, b = monthly.numerator, monthly.denominator
        p, q = (a + b) ** 360, b**360
        for mode in ("half_up", "down"):
            expected = round_div(69_000_000 * a * p, b * (p - q), mode)
            assert annuity_fen(Fraction(690000), monthly, 360, mode) == expected


def test_a_cell_a_hair_under_a_whole_fen_on_a_tiny_balance_is_settled_exactly() -> None:
    # Found: 0.02 yuan over 12 months, equal principal: the balance after row 9 is
    # 2 − 9 × 2/12 = 0.5 fen exactly (0.01 half-up); in long double 0.49999999999999999995, and
    # the "unsure" test compared with 1.0 − bound, which is 1.0 in float64 for such a bound
    assert Fraction(2) - 9 * Fraction(2, 12) == Fraction(1, 2)
    s = gjjcalc.equal_principal("0.02", 0, 12)
    assert s.balance[8] == Decimal("0.01")
    _same(Fraction(2, 100), Fraction(0), 12, Method.EQUAL_PRINCIPAL, Convention.CENTER)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 100_000), st.one_of(st.just(0.0), st.floats(0, 0.4)), st.integers(1, 120),
       st.data())
def test_small_balances_and_float_rates_equal_the_reference(fen: int, rate: float, months: int,
                                                            data: st.DataObject) -> None:
    method = data.draw(st.sampled_from(INSTALLMENTS))
    conv = data.draw(st.sampled_from(EVERY[method]))
    balance, r = Fraction(fen, 100), gjjcalc.money.to_rate(rate)
    if _exact.repays(balance, r, _level(balance, r, months, method, conv), method, conv):
        _same(balance, r, months, method, conv)
