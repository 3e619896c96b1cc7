"""The batch engine's fast paths give the same numbers as the slow ones (issue 6).

Each shortcut taken for speed is checked here against what it replaces: the
division-free fen-to-yuan conversion against ``/ 100``, the branch-free power
against exact rational powers, the division-free integer ratios against
integer division, the closed forms against period-by-period sums and the
exact reference, the compiled input check against the rules it implements,
and the zero-copy input path against converted inputs.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import InputError, Method, batch
from gjjcalc.amortize import _kernels as kn
from gjjcalc.amortize import batch as batch_module
from gjjcalc.amortize._exact import Run
from gjjcalc.conventions import Convention
from gjjcalc.testing import loans, portfolios, rates

JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") != "1"
EXAMPLES = 40 if JIT else 8


# --- fen to yuan without a division -------------------------------------------------------


def _yuan_rows(fen: np.ndarray) -> np.ndarray:
    """fen → yuan through write_yuan, the compiled loop that writes every schedule row."""
    pay, prin, inte, bal = (np.empty_like(fen) for _ in range(4))
    kn.write_yuan(fen, np.zeros_like(fen), fen, fen.size, pay, prin, inte, bal)
    assert (prin == pay).all()
    assert (bal == pay).all()
    assert not inte.any()
    return pay


def test_to_yuan_is_the_correctly_rounded_quotient_for_every_fen_below_a_million() -> None:
    fen = np.arange(0, 1_000_000 if JIT else 20_000, dtype=np.float64)
    assert (_yuan_rows(fen) == fen / 100.0).all()
    assert [kn.to_yuan(x) for x in (0.0, 1.0, 336248.0, -5.0)] == [0.0, 0.01, 3362.48, -0.05]


@pytest.mark.jit_only
def test_to_yuan_matches_division_on_random_fen_up_to_2_to_the_52() -> None:
    rng = np.random.default_rng(52)
    for high in (10**9, 10**13, 2**52):
        fen = rng.integers(0, high, 200_000).astype(np.float64)
        assert (_yuan_rows(fen) == fen / 100.0).all(), high
        assert (_yuan_rows(-fen) == -fen / 100.0).all(), high


# --- (1 + r)**n, integer ratios, floor division -------------------------------------------


@given(st.one_of(st.integers(0, 10_000_000), st.integers(0, 999)), st.integers(0, 1023))
def test_growth_excess_keeps_full_precision_even_at_tiny_rates(units: int, n: int) -> None:
    r = units / 10_000_000 / 12.0
    exact = (1 + Fraction(r)) ** n - 1  # of the float r the kernels use
    got = kn.growth_excess(r, n)
    # square-and-multiply: relative error ~ n ulps when (1 + r)ⁿ is large, a few when r is tiny
    assert abs(Fraction(got) - exact) <= exact * Fraction(n + 16, 2**51)
    if units < 1000:  # below 0.01 % a year: a few ulps, where 1 + r would keep 12 digits of r
        assert abs(Fraction(got) - exact) <= exact * Fraction(16, 2**53)


def test_payments_at_a_rate_of_1e7_a_year_are_exact() -> None:
    # 1 + r in float64 would keep only about 8 digits of r = 1e-7 / 12
    s = gjjcalc.equal_installment(Decimal("319269.56"), Decimal("1E-7"), 5, convention="exact")
    got = batch.schedules([319269.56], 1e-7, 5, convention="exact")
    assert got.balance[0].tolist() == [float(x) for x in s.balance]
    assert got.balance[0, 2] == 127707.83  # exactly 12770782.5596 fen


@given(st.integers(0, 100_000_000_000), st.integers(0, 10_000_000))
def test_ratio_half_up_rounds_the_monthly_interest_exactly(fen: int, units: int) -> None:
    exact = (2 * fen * units + kn.MONTH) // (2 * kn.MONTH)
    assert kn.ratio_half_up(fen, units) == exact
    assert exact == int(Fraction(fen * units, kn.MONTH) + Fraction(1, 2))


@given(st.integers(0, 2**50), st.integers(1, 2 * 600 * kn.MONTH))
def test_floor_div_is_integer_floor_division(x: int, d: int) -> None:
    assert kn.floor_div(x, d, 1.0 / d) == x // d


@given(st.integers(0, 100_000_000_000), st.integers(0, 10_000_000), st.integers(0, 100_000))
def test_payoff_interest_is_exact_half_up(fen: int, units: int, days: int) -> None:
    exact = Fraction(fen * days * units, 360 * kn.RATE_SCALE)
    assert kn.payoff_interest(float(fen), units, days) == int(exact + Fraction(1, 2))


# --- equal principal: each period in closed form, exactly ---------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(loans(method="equal_principal", convention="center", annual_rates=rates(places=7),
             max_principal="1000000000", max_months=600))
def test_equal_principal_rows_equal_the_exact_reference_with_no_exception(case) -> None:
    fen = int(case.principal * 100)
    units = int(case.annual_rate * kn.RATE_SCALE)
    rows = [np.empty(case.months) for _ in range(4)]
    kn.principal_row(fen, units, case.months, *rows)
    s = case.schedule()
    assert rows[0].tolist() == [float(x) for x in s.payment]
    assert rows[1].tolist() == [float(x) for x in s.principal]
    assert rows[2].tolist() == [float(x) for x in s.interest]
    assert rows[3].tolist() == [float(x) for x in s.balance]


@settings(max_examples=EXAMPLES, deadline=None)
@given(loans(method="equal_principal", annual_rates=rates(places=7), max_months=600), st.data())
def test_equal_principal_summaries_and_balances_are_exact(case, data) -> None:
    k = data.draw(st.integers(0, case.months))
    args = ([float(case.principal)], [float(case.annual_rate)], [case.months])
    got = batch.summaries(*args, method="equal_principal", convention=case.convention)
    after = batch.balances_after(*args, k=[k], method="equal_principal", convention=case.convention)
    s = case.schedule()
    assert got.total_interest[0] == float(s.total_interest)
    assert got.total_payment[0] == float(s.total_payment)
    assert got.first_payment[0] == float(s.first_payment)
    assert got.last_payment[0] == float(s.last_payment)
    assert after[0] == float(s.balance_after(k))


# --- equal installment: the closed form of the scheduled interest -------------------------


@settings(max_examples=EXAMPLES * 3, deadline=None)
@given(st.integers(100, 10**11), st.integers(1, 1_000_000), st.integers(1, 600),
       st.sampled_from([kn.CENTER, kn.EXACT]))
def test_closed_form_interest_matches_the_period_by_period_sum(fen: int, units: int, n: int,
                                                               conv: int) -> None:
    """Up to 10 % a year, 600 months and 1e9 yuan. Float error grows with the amounts summed
    and with (1 + r)ⁿ (the remainder the last period pays compounds): the closed form is
    within a few ulps of them of the float simulation, and closer still to the exact sum."""
    rate = units / kn.RATE_SCALE
    level, _ = kn.level_one(float(fen), rate, n, kn.INSTALLMENT, conv)
    e = float(np.expm1(n * np.log1p(rate / 12.0)))
    closed = kn.carried_interest(float(fen), rate, n, level, e)
    end, paid, _, _ = kn.run_carried(float(fen), rate / 12.0, n, n, level)
    simulated = paid - (fen - end)
    scale = (fen + n * level) * (1.0 + e)
    assert abs(closed - simulated) <= 1e-15 * scale + 1e-7, (closed, simulated)
    if conv == kn.CENTER:
        run = Run()
        run.extend(Fraction(fen, 100), Fraction(units, kn.RATE_SCALE), n,
                   Method.EQUAL_INSTALLMENT, Convention.CENTER, level=Fraction(int(level), 100))
        exact = run.total_interest * 100
        assert abs(Fraction(closed) - exact) <= Fraction(2.5e-16 * scale + 1e-8), (closed, float(exact))


def _prepay_exact(p: float, r: float, n: int, amount: float, days: int, mode: str,
                  method: Method, conv: Convention, recompute: bool):
    start = date(2020, 1, 1)
    return gjjcalc.prepay(balance=Decimal(repr(p)), annual_rate=Fraction(repr(r)),
                          remaining_months=n, amount=Decimal(repr(amount)),
                          on=start + timedelta(days=days), interest_from=start, mode=mode,
                          method=method, convention=conv, recompute_payment=recompute)


@settings(max_examples=EXAMPLES, deadline=None)
@given(portfolios(max_size=8, annual_rates=rates(places=5), max_months=360),
       st.sampled_from([Convention.LEDGER, Convention.CENTER, Convention.EXACT]), st.data())
def test_interest_saved_is_exact_for_equal_principal_and_ledger(p, conv, data) -> None:
    """No near-tie exception here: equal principal (every convention) and ledger (either
    method) compute interest saved in integers."""
    method = Method.EQUAL_PRINCIPAL if conv is not Convention.LEDGER else data.draw(
        st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]))
    size = len(p.principal)
    share = np.array([data.draw(st.integers(1, 10_000)) for _ in range(size)])
    amount = np.floor(p.principal * 100 * share / 10_000) / 100
    amount = np.where(amount > 0, amount, p.principal)
    modes = [data.draw(st.sampled_from(["lower_payment", "shorten_term"])) for _ in range(size)]
    recompute = data.draw(st.booleans())
    got = batch.prepay(*p[:3], amount=amount, days=9, mode=modes, method=method, convention=conv,
                       recompute_payment=recompute, errors="mask")
    for i in range(size):
        if got.status[i]:
            assert got.status[i] == batch_module.STATUS["payment"]  # a level rounded to 0
            continue
        e = _prepay_exact(float(p.principal[i]), float(p.annual_rate[i]), int(p.months[i]),
                          float(amount[i]), 9, modes[i], method, conv, recompute)
        assert got.interest_saved[i] == float(e.interest_saved)
        assert got.payment[i] == float(e.payment)
        assert got.remaining_months[i] == e.remaining_months


# --- the kernel that checks inputs ---------------------------------------------------------


@given(st.lists(st.tuples(
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**12).map(lambda x: x / 100)),
    st.one_of(st.floats(-1, 2), st.integers(-10, 10**7 + 10).map(lambda x: x / 10**7),
              st.integers(0, 10**7).map(lambda x: x / 10**7 + 1e-16), st.just(float("nan"))),
    st.one_of(st.integers(-2, 700), st.floats(-2, 700))), min_size=1, max_size=30), st.booleans())
def test_check_loans_applies_the_documented_rules_row_by_row(rows, grid) -> None:
    p = np.array([x[0] for x in rows], dtype=np.float64)
    r = np.array([x[1] for x in rows], dtype=np.float64)
    n = np.array([x[2] for x in rows], dtype=np.float64)
    status = np.empty(len(rows), dtype=np.int8)
    with np.errstate(over="ignore", invalid="ignore"):  # uncompiled (NUMBA_DISABLE_JIT) runs
        bad, off, free = kn.check_loans(p, r, n, 600, grid, status)
    near = []
    for i, (pi, ri, ni) in enumerate(zip(p.tolist(), r.tolist(), n.tolist(), strict=True)):
        # whole fen up to a few ulps; a rate from 0 to 1, under ledger (grid) within 1e-8 of
        # a 7-place rate (1e-15 a year)
        ok_p = (np.isfinite(pi) and 0 < pi <= 1e9
                and abs(pi * 100 - round(pi * 100)) <= 1e-6 + abs(pi * 100) * 1e-14)
        near.append(bool(np.isfinite(ri) and abs(ri * 1e7 - round(ri * 1e7)) <= 1e-8))
        ok_r = np.isfinite(ri) and 0 <= ri <= 1 and (near[-1] or not grid)
        ok_n = np.isfinite(ni) and ni == int(ni) and 1 <= ni <= 600
        expected = 0 if ok_p and ok_r and ok_n else (1 if not ok_p else 2 if not ok_r else 3)
        assert status[i] == expected, (pi, ri, ni)
    assert bad == np.count_nonzero(status)
    good = status == 0
    on = np.array(near, dtype=np.bool_)
    assert free == np.count_nonzero(good & ~on)
    assert off == np.count_nonzero(good & on & (r != np.floor(r * 1e7 + 0.5) / 1e7))


def test_the_first_bad_argument_is_named_before_later_arguments_of_earlier_rows() -> None:
    # row 0 has a bad rate, row 1 a bad principal: the principal column is reported first
    with pytest.raises(InputError, match=r"principal\[1\]=-5.0"):
        batch.payments([1000.0, -5.0], [np.nan, 0.03], 12)
    with pytest.raises(InputError, match=r"annual_rate\[0\]=nan"):
        batch.payments([1000.0, 5.0], [np.nan, 0.03], [0, 12])
    with pytest.raises(InputError, match=r"remaining_months\[1\]=0.0 .* from 1 to 600"):
        batch.reprice([1000.0, 5.0], new_rate=0.03, remaining_months=[12, 0])
    masked = batch.summaries([1000.0, -5.0, 7.0, 8.0], [np.nan, 0.03, 0.03, 0.03],
                             [12, 12, 601, 12], errors="mask")
    assert masked.status.tolist() == [2, 1, 3, 0]
    assert masked.total_payment[:3].tolist() == [0.0, 0.0, 0.0]
    assert masked.total_payment[3] == float(gjjcalc.equal_installment("8", "0.03", 12).total_payment)


# --- inputs used as they are, or converted once -------------------------------------------


def test_contiguous_float64_columns_are_used_without_a_copy() -> None:
    p = np.array([690000.0, 1000.0])
    assert batch_module._floats("principal", p, 2) is p
    months = np.array([300, 12])
    assert batch_module._months(months, 2, "months") is months
    strided = np.array([690000.0, 0.0, 1000.0, 0.0])[::2]
    assert batch_module._floats("principal", strided, 2).flags.c_contiguous


@settings(max_examples=EXAMPLES, deadline=None)
@given(portfolios(max_size=12), st.sampled_from(list(Convention)), st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]))
def test_every_input_form_gives_the_same_rows(p, conv, method) -> None:
    """float64 / int64 arrays, lists, strings, float months, strided views, Decimal."""
    kw = {"method": method, "convention": conv}
    base = batch.summaries(*p, **kw)
    forms = [
        (p.principal.tolist(), p.annual_rate.tolist(), p.months.tolist()),
        ([repr(x) for x in p.principal.tolist()], [repr(x) for x in p.annual_rate.tolist()],
         p.months.astype(np.float64)),
        (np.repeat(p.principal, 2)[::2], np.repeat(p.annual_rate, 2)[::2], p.months.astype(np.int32)),
        ([Decimal(repr(x)) for x in p.principal.tolist()], p.annual_rate, p.months),
    ]
    for args in forms:
        got = batch.summaries(*args, **kw)
        for field in base._fields:
            assert (getattr(got, field) == getattr(base, field)).all(), field


@settings(max_examples=EXAMPLES, deadline=None)
@given(portfolios(max_size=20, annual_rates=rates(places=5)), st.data())
def test_mixed_methods_conventions_and_bad_rows_each_equal_their_own_call(p, data) -> None:
    """The two passes of ``payments_batch`` (vectorized float rows, then the others) and the
    lanes of ``schedules_batch`` mix equal principal, zero rates and masked rows freely."""
    size = len(p.principal)
    codes = np.array([data.draw(st.integers(0, 1)) for _ in range(size)])
    conv = data.draw(st.sampled_from(list(Convention)))
    bad = np.array([data.draw(st.integers(0, 5)) == 0 for _ in range(size)])
    principal = np.where(bad, -1.0, p.principal)
    pays = batch.payments(principal, p.annual_rate, p.months, method=codes, convention=conv,
                          errors="mask")
    sched = batch.schedules(principal, p.annual_rate, p.months, method=codes, convention=conv,
                            errors="mask")
    for i in range(size):
        if bad[i]:
            assert np.ma.is_masked(pays[i])  # a bare array masks a bad row, never a plausible 0.0
            assert not sched.payment[i].any()
            assert sched.status[i] == 1
            continue
        alone = batch.schedules(p.principal[i:i + 1], p.annual_rate[i:i + 1], p.months[i:i + 1],
                                method=int(codes[i]), convention=conv)
        width = int(p.months[i])
        assert pays[i] == alone.payment[0, 0]
        for field in ("payment", "principal", "interest", "balance"):
            row = getattr(sched, field)[i]
            assert (row[:width] == getattr(alone, field)[0]).all(), field
            assert not row[width:].any()


# --- half-fen ties and a kept payment that cannot repay ------------------------------------


@pytest.mark.parametrize(("fen", "rate", "months"), [
    (100107347, 0.0325, 360),  # annuity 435673.4999997 fen: within TIE_EPS of a half fen
    (100003472, 0.031, 300),
    (100772002, 0.0285, 240),  # 551342.5000007 fen
])
def test_rows_near_a_half_fen_tie_are_settled_by_the_exact_reference(fen, rate, months) -> None:
    _, tie = kn.level_one(float(fen), rate, months, kn.INSTALLMENT, kn.CENTER)
    assert tie
    principal = fen / 100
    s = gjjcalc.equal_installment(Decimal(fen) / 100, Decimal(repr(rate)), months)
    assert batch.payments(principal, rate, months).tolist() == [float(s.first_payment)]
    sched = batch.schedules([principal], rate, months)
    assert sched.payment[0].tolist() == [float(x) for x in s.payment]
    assert sched.balance[0].tolist() == [float(x) for x in s.balance]
    summ = batch.summaries(principal, rate, months)
    assert summ.total_interest.tolist() == [float(s.total_interest)]
    got = batch.prepay([principal, principal], rate, months, amount=[0.0, 10000.0], days=3,
                       mode=["lower_payment", "shorten_term"])
    e = _prepay_exact(principal, rate, months, 10000.0, 3, "shorten_term",
                      Method.EQUAL_INSTALLMENT, Convention.CENTER, False)
    assert got.payment.tolist() == [float(s.first_payment), float(e.payment)]
    assert got.interest_saved[1] == float(e.interest_saved)


def test_shorten_term_with_a_payment_rounded_to_zero_is_a_bad_row_not_a_crash() -> None:
    # 0.03 yuan over 600 months: the level payment rounds to 0 fen, which never repays the
    # rest; the single-loan prepay refuses the kept payment (shorten_term) or the amount
    # (lower_payment), and so does the batch, naming the same argument
    args = ([0.03, 1000.0], 0.03, 600)
    rest = {"amount": [0.01, 100.0], "days": 5}
    with pytest.raises(InputError, match=r"payment=Decimal\('0.00'\)"):
        gjjcalc.prepay(balance=0.03, annual_rate=0.03, remaining_months=600, amount=0.01, on="2000-01-06",
                       interest_from="2000-01-01", mode="shorten_term")
    with pytest.raises(InputError, match=r"payment\[0\]=0.0 .* month's interest"):
        batch.prepay(*args, **rest, mode="shorten_term")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"amount\[0\]=0.01 .* month's interest"):
        batch.prepay(*args, **rest, mode="lower_payment")  # type: ignore[arg-type]
    masked = batch.prepay(*args, **rest, mode="shorten_term", errors="mask")  # type: ignore[arg-type]
    assert masked.status.tolist() == [batch_module.Status.PAYMENT, 0]
    assert masked.payment[0] == 0.0
    assert masked.payment[1] > 0
    masked = batch.prepay(*args, **rest, mode="lower_payment", errors="mask")  # type: ignore[arg-type]
    assert masked.status.tolist() == [batch_module.NO_REPAY, 0]


def test_a_tie_row_takes_its_level_from_the_exact_reference(monkeypatch) -> None:
    # a marker level (the exact one plus 1 yuan) shows which rows used the exact reference
    real = batch_module._exact_level
    monkeypatch.setattr(batch_module, "_exact_level", lambda lo, i: real(lo, i) + 100.0)
    tie, plain = 1001073.47, 1001073.48
    got = batch.payments([tie, plain], 0.0325, 360)
    assert got[0] == float(gjjcalc.payment(Decimal("1001073.47"), "3.25%", 360)) + 1.0
    assert got[1] == float(gjjcalc.payment(Decimal("1001073.48"), "3.25%", 360))
    sched = batch.schedules([tie, plain], 0.0325, 360)
    assert sched.payment[:, 0].tolist() == got.tolist()


def test_mapping_new_pages_up_front_leaves_every_value_as_it_was() -> None:
    arrays = [np.arange(2**20, dtype=np.float64) * k for k in range(1, 4)]  # 24 MiB in all
    before = [a.copy() for a in arrays]
    assert batch_module._mapped(arrays) is arrays
    assert all((a == b).all() for a, b in zip(arrays, before, strict=True))
    out = tuple(batch_module._mapped(batch_module._fresh(4, (3, 2))))  # small: nothing to map
    assert batch.schedules([1000.0, 2000.0, 3000.0], 0.03, 2, out=out).payment is out[0]
