"""Each convention choice on a worked example, figures computed here by hand with Fractions.

Also: a plain reference of the definitions (written independently of the engine, row by
row in Fractions) against which every convention of the choice space is checked, the
lump-sum method, and :func:`gjjcalc.infer_convention`.
"""

from __future__ import annotations

import copy
import pickle
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import Convention, InputError, Method
from gjjcalc.testing import loans

R = Fraction(6, 100) / 12  # 6 % a year: 0.5 % a month
G = (1 + R) ** 3


def fen(x: Fraction) -> Fraction:
    """Half-up to the fen, by hand (x >= 0)."""
    return Fraction(int(x * 100 + Fraction(1, 2)), 100)


def down(x: Fraction) -> Fraction:
    return Fraction(int(x * 100), 100)


def d(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


def rows(s: gjjcalc.Schedule) -> list[tuple[Decimal, Decimal, Decimal, Decimal]]:
    return [(r.payment, r.principal, r.interest, r.balance) for r in s]


# -- the worked loan: 1,000 at 6 % over 3 months --------------------------------------------

A = 1000 * R * G / (G - 1)  # 336.6722...
LEVEL = fen(A)  # 336.67
B1 = 1000 * (1 + R) - LEVEL  # 668.33 exactly: the first interest is 5.00
B2 = B1 * (1 + R) - LEVEL
LAST = B2 * (1 + R)


def test_the_worked_loan_by_hand() -> None:
    assert Fraction("336.67") == LEVEL
    assert Fraction("668.33") == B1
    assert fen(LAST) == Fraction("336.68")


def test_payment_fen_and_unrounded() -> None:
    center = gjjcalc.equal_installment(1000, "6%", 3)
    assert center.payment == (d(LEVEL), d(LEVEL), d(fen(LAST)))
    assert center.total_payment == d(fen(2 * LEVEL + LAST))  # 1010.02
    unrounded = gjjcalc.equal_installment(1000, "6%", 3, convention=Convention(payment="unrounded"))
    assert unrounded.convention is Convention.EXACT
    assert unrounded.total_payment == d(fen(3 * A)) == Decimal("1010.02")
    assert unrounded.payment[2] == d(fen(A)) == Decimal("336.67")  # the last row pays A too


def test_totals_level_is_the_rounded_payment_times_the_months() -> None:
    s = gjjcalc.equal_installment(1000, "6%", 3, convention=Convention(totals="level"))
    assert s.total_payment == d(3 * LEVEL) == Decimal("1010.01")
    assert s.total_interest == d(3 * LEVEL - 1000) == Decimal("10.01")
    assert s.payment[2] == Decimal("336.68")  # the rows are the center's


def test_totals_rows_is_the_sum_of_the_shown_rows() -> None:
    s = gjjcalc.equal_installment(1000, "6%", 3, convention=Convention("exact", totals="rows"))
    assert s.total_payment == d(3 * fen(A)) == Decimal("1010.01")  # exact sum: 1010.02
    assert s.total_interest == sum(s.interest) == Decimal("10.01")


def test_rounding_down_truncates_the_totals() -> None:
    s = gjjcalc.equal_installment(1000, "6%", 3, convention=Convention(rounding="down"))
    exact_total = 2 * LEVEL + down(LAST) * 0 + LAST  # the last row absorbs, exactly
    assert s.total_payment == d(down(exact_total)) == Decimal("1010.01")
    assert s.payment[2] == d(down(LAST)) == Decimal("336.67")


def test_split_truncate_principal() -> None:
    s = gjjcalc.equal_installment(1000, "6%", 3, convention=Convention(split="truncate_principal"))
    principal = LEVEL - B1 * R  # 333.32835
    assert s.principal[1] == d(down(principal)) == Decimal("333.32")
    assert s.interest[1] == d(LEVEL - down(principal)) == Decimal("3.35")
    assert gjjcalc.equal_installment(1000, "6%", 3).principal[1] == Decimal("333.33")


def test_split_independent_can_differ_from_principal_plus_interest() -> None:
    a = 1001 * R * G / (G - 1)  # unrounded level payment of 1,001
    b1 = 1001 * (1 + R) - a
    principal2 = a - b1 * R
    s = gjjcalc.equal_installment(
        1001, "6%", 3, convention=Convention(payment="unrounded", split="independent")
    )
    assert s.principal[1] == d(fen(principal2)) == Decimal("333.66")
    assert s.payment[1] == d(fen(a)) == Decimal("337.01")
    assert s.interest[1] == d(fen(b1 * R)) == Decimal("3.34")
    assert s.payment[1] != s.principal[1] + s.interest[1]  # by a fen, as such calculators show
    remainder = gjjcalc.equal_installment(1001, "6%", 3, convention="exact")
    assert remainder.principal[1] == Decimal("333.67")


def test_rounding_half_even_on_a_tie() -> None:
    # 1,001 at 6 %: the first interest is 5.005, an exact tie
    assert Fraction("5.005") == 1001 * R
    ledger = gjjcalc.equal_installment(1001, "6%", 3, convention="ledger")
    even = gjjcalc.equal_installment(1001, "6%", 3, convention=Convention("ledger", rounding="half_even"))
    assert ledger.interest[0] == Decimal("5.01")
    assert even.interest[0] == Decimal("5.00")
    truncated = gjjcalc.equal_installment(1001, "6%", 3, convention=Convention("ledger", rounding="down"))
    assert truncated.interest[0] == Decimal("5.00")


def test_carry_fen_rounds_each_interest_into_the_balance() -> None:
    s = gjjcalc.equal_installment(1001, "6%", 3, convention="ledger")
    level = fen(1001 * R * G / (G - 1))
    b1 = 1001 - (level - fen(1001 * R))
    assert s.balance[0] == d(b1)
    b2 = b1 - (level - fen(b1 * R))
    assert s.balance[1] == d(b2)
    assert s.payment[2] == d(b2 + fen(b2 * R))


def test_principal_part_fen_for_equal_principal() -> None:
    carried = gjjcalc.equal_principal(1000, "6%", 3)
    part = Fraction(1000, 3)
    assert carried.payment[2] == d(fen(part + part * R)) == Decimal("335.00")
    fen_part = gjjcalc.equal_principal(1000, "6%", 3, convention=Convention(principal_part="fen"))
    last = 1000 - 2 * fen(part)  # 333.34: the remainder
    assert fen_part.principal == (Decimal("333.33"), Decimal("333.33"), d(last))
    assert fen_part.payment[2] == d(fen(last + last * R)) == Decimal("335.01")


def test_totals_level_is_refused_for_equal_principal() -> None:
    with pytest.raises(InputError, match=r"convention.totals='level'.*equal_principal"):
        gjjcalc.equal_principal(1000, "6%", 3, convention=Convention(totals="level"))


def test_daily_rate_places_in_a_payoff() -> None:
    # 6.15 % / 360 = 0.000170833...; taken as 0.017 % (5 places) by some systems
    plain = gjjcalc.payoff(balance=100000, annual_rate="6.15%", on="2024-01-31", interest_from="2024-01-01")
    assert plain.interest == d(fen(100000 * Fraction("0.0615") / 360 * 30)) == Decimal("512.50")
    rounded = gjjcalc.payoff(balance=100000, annual_rate="6.15%", on="2024-01-31",
                             interest_from="2024-01-01", convention=Convention(daily_rate_places=5))
    assert rounded.interest == d(100000 * Fraction("0.00017") * 30) == Decimal("510.00")


def test_daily_rate_places_in_a_loan_prepayment() -> None:
    conv = Convention(daily_rate_places=5)
    loan = gjjcalc.Loan(100000, "6.15%", 120, released="2024-01-01", convention=conv)
    r, _ = loan.prepay(amount=10000, on="2024-01-31", mode="lower_payment")
    assert r.interest == d(10000 * Fraction("0.00017") * 30) == Decimal("51.00")


def test_carry_fen_needs_whole_fen_parts() -> None:
    with pytest.raises(InputError, match=r"convention.carry='fen'.*payment='unrounded'"):
        Convention(carry="fen", payment="unrounded")
    with pytest.raises(InputError, match=r"convention.daily_rate_places=True"):
        Convention(daily_rate_places=True)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"convention.rounding='up'"):
        Convention(rounding="up")  # type: ignore[arg-type]


# -- the object ---------------------------------------------------------------------------

def test_presets_keep_their_names_and_equal_their_strings() -> None:
    assert [c.value for c in Convention] == ["center", "ledger", "exact"]
    assert Convention("center") is Convention.CENTER
    assert Convention.LEDGER == "ledger"
    assert Convention.EXACT != "center"
    assert str(Convention.LEDGER) == "ledger"
    assert {Convention.CENTER: 1}["center"] == 1  # hashes as its name
    custom = Convention(totals="level", rounding="down")
    assert custom.preset is None
    assert custom == Convention(rounding="down", totals="level")
    assert repr(custom) == "Convention(totals='level', rounding='down')"
    assert eval(repr(custom), {"Convention": Convention}) is custom
    assert pickle.loads(pickle.dumps(custom)) is custom
    assert copy.deepcopy(custom) is custom
    with pytest.raises(AttributeError, match="frozen"):
        custom.rounding = "half_up"  # type: ignore[misc]
    assert custom.replace(totals="exact", rounding="half_up") is Convention.CENTER


def test_a_custom_convention_goes_to_json_as_its_choices() -> None:
    s = gjjcalc.equal_installment(1000, "6%", 3, convention=Convention(totals="level"))
    assert s.to_dict()["convention"]["totals"] == "level"
    assert gjjcalc.equal_installment(1000, "6%", 3).to_dict()["convention"] == "center"


# -- the definitions, written plainly, against the engine ---------------------------------

def _round(x: Fraction, mode: str) -> Fraction:
    """Round to the fen by mode, by Decimal (independent of the engine's integer rounding)."""
    from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, localcontext

    with localcontext() as ctx:
        ctx.prec = 200
        value = Decimal(x.numerator) / Decimal(x.denominator)
        how = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}[mode]
        return Fraction(value.quantize(Decimal("0.01"), rounding=how))


def reference(principal: Fraction, annual: Fraction, n: int, method: Method, c: Convention):  # type: ignore[no-untyped-def]
    """Rows (payment, principal, interest, balance) shown and the totals, from the definitions."""
    rnd = lambda x: _round(x, c.rounding)  # noqa: E731
    r = annual / 12
    if method is Method.EQUAL_INSTALLMENT:
        g = (1 + r) ** n
        level = principal / n if r == 0 else principal * r * g / (g - 1)
        if c.payment == "fen":
            level = rnd(level)
    else:
        level = principal / n
        if c.principal_part == "fen":
            level = rnd(level)
    bal = principal
    out = []
    paid = Fraction(0)
    interest_sum = Fraction(0)
    levels = 0
    for k in range(n):
        interest = bal * r
        if c.carry == "fen":
            interest = rnd(interest)
        part = level - interest if method is Method.EQUAL_INSTALLMENT else level
        last = k == n - 1 or part >= bal
        if last:
            part = bal
        pay = part + interest
        bal -= part
        paid += pay
        interest_sum += interest
        if method is Method.EQUAL_INSTALLMENT:
            levels += 1
        shown_pay = rnd(level) if (method is Method.EQUAL_INSTALLMENT and not last) else rnd(pay)
        if c.split == "remainder":
            si = rnd(interest)
            sp = shown_pay - si
        elif c.split == "independent":
            si, sp = rnd(interest), rnd(part)
        else:
            sp = _round(part, "down")
            si = shown_pay - sp
        out.append((shown_pay, sp, si, rnd(bal)))
        if bal == 0:
            out.extend([(Fraction(0),) * 4] * (n - k - 1))
            break
    if c.totals == "rows":
        tp, ti = sum(p for p, *_ in out), sum(i for _, _, i, _ in out)
    elif c.totals == "level":
        tp = rnd(level) * levels
        ti = tp - principal
    else:
        tp, ti = rnd(paid), rnd(interest_sum)
    return out, tp, ti


@st.composite
def conventions(draw: st.DrawFn) -> Convention:
    carry = draw(st.sampled_from(["unrounded", "fen"]))
    if carry == "fen":
        payment, part = "fen", "fen"
    else:
        payment = draw(st.sampled_from(["fen", "unrounded"]))
        part = draw(st.sampled_from(["carried", "fen"]))
    return Convention(
        payment=payment, carry=carry, principal_part=part,  # type: ignore[arg-type]
        split=draw(st.sampled_from(["remainder", "independent", "truncate_principal"])),
        totals=draw(st.sampled_from(["exact", "rows", "level"])),
        rounding=draw(st.sampled_from(["half_up", "half_even", "down"])),
    )


@settings(max_examples=150, deadline=None)
@given(loans(max_months=60, max_principal="2000000"), conventions())
def test_every_conventions_rows_and_totals_satisfy_its_definition(case, conv) -> None:  # type: ignore[no-untyped-def]
    method = case.method
    if method is Method.EQUAL_PRINCIPAL and conv.totals == "level":
        conv = conv.replace(totals="exact")
    build = gjjcalc.equal_installment if method is Method.EQUAL_INSTALLMENT else gjjcalc.equal_principal
    p, a = Fraction(case.principal), Fraction(case.annual_rate)
    try:
        s = build(case.principal, case.annual_rate, case.months, convention=conv)
    except InputError:  # a payment that does not repay: the reference must agree
        g = (1 + a / 12) ** case.months
        level = p / case.months if a == 0 else p * a / 12 * g / (g - 1)
        level = _round(level, conv.rounding) if conv.payment == "fen" else level
        first = p * a / 12
        first = _round(first, conv.rounding) if conv.carry == "fen" else first
        assert level <= first
        return
    want, tp, ti = reference(p, a, case.months, method, conv)
    got = [tuple(Fraction(x) for x in row) for row in rows(s)]
    assert got == want
    assert (Fraction(s.total_payment), Fraction(s.total_interest)) == (tp, ti)
    if conv.split != "independent":
        assert all(pay == pr + i for pay, pr, i, _ in rows(s))


# -- lump sum (到期一次还本付息) -------------------------------------------------------------

def test_lump_sum_of_a_year_and_of_six_months() -> None:
    assert 50000 * (1 + Fraction("0.021") * 12 / 12) == Fraction("51050")
    assert gjjcalc.payment(50000, "2.1%", 12, method="lump_sum") == Decimal("51050.00")
    six = gjjcalc.lump_sum(50000, "2.1%", 6)
    assert 50000 * (1 + Fraction("0.021") * 6 / 12) == Fraction("50525")
    assert rows(six) == [(Decimal("50525.00"), Decimal("50000.00"), Decimal("525.00"), Decimal("0.00"))]
    assert six.total_payment == Decimal("50525.00")
    assert six.total_interest == Decimal("525.00")
    assert six.method is Method.LUMP_SUM
    assert len(six) == 1


def test_lump_sum_rounds_the_interest_as_the_convention_says() -> None:
    # 10,001 at 3 % for 2 months: 50.005 of interest, a tie
    assert 10001 * Fraction("0.03") * 2 / 12 == Fraction("50.005")
    assert gjjcalc.payment(10001, "3%", 2, method="lump_sum") == Decimal("10051.01")
    even = Convention(rounding="half_even")
    assert gjjcalc.payment(10001, "3%", 2, method="lump_sum", convention=even) == Decimal("10051.00")


def test_lump_sum_is_for_a_year_at_most() -> None:
    with pytest.raises(InputError, match=r"months=13 .* from 1 to 12 for method='lump_sum'"):
        gjjcalc.lump_sum(50000, "2.1%", 13)
    with pytest.raises(InputError, match=r"method.*lump_sum"):
        gjjcalc.prepay(balance=50000, annual_rate="2.1%", remaining_months=6, amount=1000,
                       on="2024-03-01", interest_from="2024-01-01", mode="lower_payment",
                       method="lump_sum")


# -- infer_convention ---------------------------------------------------------------------

def test_infer_center_not_ledger_for_the_seed_balance() -> None:
    found = gjjcalc.infer_convention(690000, "3.25%", 300, payment="3362.48",
                                     rows=[(28, None, None, None, "646609.84")])
    assert found[0] is Convention.CENTER
    assert Convention.LEDGER not in found
    ledger = gjjcalc.infer_convention(690000, "3.25%", 300, payment="3362.48",
                                      rows=[(28, None, None, None, "646609.83")])
    assert ledger[0] is Convention.LEDGER
    assert Convention.CENTER not in ledger


@pytest.mark.parametrize(
    "conv",
    [
        Convention(totals="level"),
        Convention("exact", totals="rows"),
        Convention(split="truncate_principal"),
        Convention(payment="unrounded", split="independent"),
        Convention(rounding="down"),
        Convention("ledger", rounding="half_even"),
    ],
)
def test_infer_finds_the_convention_an_example_was_built_with(conv: Convention) -> None:
    s = gjjcalc.equal_installment(1001, "6%", 3, convention=conv)
    found = gjjcalc.infer_convention(
        1001, "6%", 3, total_payment=s.total_payment, total_interest=s.total_interest,
        rows=[(r.period, r.payment, r.principal, r.interest, r.balance) for r in s],
    )
    assert conv in found
    for other in found:  # everything found reproduces every figure
        t = gjjcalc.equal_installment(1001, "6%", 3, convention=other)
        assert rows(t) == rows(s)
        assert t.total_payment == s.total_payment


def test_infer_the_level_totals_of_a_calculator_page() -> None:
    # 100,000 at 3.1 % over 120 months: 970.23 a month, and 970.23 × 120 − 100,000 of interest
    assert fen(100000 * Fraction("0.031") / 12 * ((1 + Fraction("0.031") / 12) ** 120)
               / ((1 + Fraction("0.031") / 12) ** 120 - 1)) == Fraction("970.23")
    found = gjjcalc.infer_convention(100000, "3.1%", 120, payment="970.23", total_interest="16427.60")
    assert Convention(totals="level") in found
    assert Convention.CENTER not in found


def test_infer_returns_nothing_when_no_convention_fits_and_needs_a_figure() -> None:
    assert gjjcalc.infer_convention(690000, "3.25%", 300, payment="3000.00") == []
    with pytest.raises(InputError, match="at least one figure"):
        gjjcalc.infer_convention(690000, "3.25%", 300)
    with pytest.raises(InputError, match=r"rows\[0\]"):
        gjjcalc.infer_convention(690000, "3.25%", 300, rows=[(1, 2)])


def test_infer_lump_sum() -> None:
    found = gjjcalc.infer_convention(10001, "3%", 2, method="lump_sum", total_payment="10051.00")
    assert Convention(rounding="half_even") in found
    assert Convention.CENTER not in found


def test_a_loan_repaid_in_one_sum() -> None:
    loan = gjjcalc.Loan(50000, "2.1%", 12, released="2024-03-15", method="lump_sum")
    assert loan.first_due == loan.maturity == date(2025, 3, 15)  # due at maturity, a year on
    assert rows(loan.schedule()) == [
        (Decimal("51050.00"), Decimal("50000.00"), Decimal("1050.00"), Decimal("0.00"))
    ]
    before = loan.state_on("2024-06-01")
    assert before.balance == Decimal("50000.00")
    assert before.payment == Decimal("51050.00")
    after = loan.state_on("2025-03-15")
    assert after.balance == Decimal("0.00")
    assert after.interest_repaid == Decimal("1050.00")
    # paid off early: the days used, at ACT/360 (184 days from 2024-03-15 to 2024-09-15)
    q = loan.payoff(on="2024-09-15")
    assert q.days == 184
    assert q.interest == d(fen(50000 * Fraction("0.021") * 184 / 360)) == Decimal("536.67")


def test_a_loan_repaid_in_one_sum_has_no_installments_to_change() -> None:
    loan = gjjcalc.Loan(50000, "2.1%", 6, released="2024-03-15", method="lump_sum")
    with pytest.raises(InputError, match=r"method='lump_sum'.*prepay\(\)"):
        loan.prepay(amount=1000, on="2024-05-01", mode="lower_payment")
    with pytest.raises(InputError, match=r"method='lump_sum'.*change_term\(\)"):
        loan.change_term(on="2024-05-01", remaining_months=3)
    with pytest.raises(InputError, match=r"method='lump_sum'.*events"):
        loan.change_rate(on="2024-05-01", annual_rate="2%")
    with pytest.raises(InputError, match=r"months=13 .* 1 to 12"):
        gjjcalc.Loan(50000, "2.1%", 13, released="2024-03-15", method="lump_sum")
    with pytest.raises(InputError, match=r"annual_rate=None .* contract rate"):
        gjjcalc.Loan(50000, None, 12, released="2024-03-15", method="lump_sum")
