"""``[loan] lump_sum_months``: a center that repays short loans in one sum at maturity
(到期一次还本付息). A Loan with the pack and no ``method`` follows it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gjjcalc import InputError, Method
from gjjcalc.loan import Loan
from gjjcalc.money import yuan
from gjjcalc.rules import load_pack, parse_pack

SOURCE = "中国人民银行《个人住房贷款管理办法》(1998): 贷款期限在1年以内(含1年)的，实行到期本息一次性清偿"


def pack_with(months: object) -> object:
    return parse_pack({
        "pack": {"name": "short", "title": "A center with one-sum short loans", "effective": "undated"},
        "loan": {"lump_sum_months": {"value": months, "source": SOURCE}},
    }, origin="short.toml")


def test_the_key_is_read_with_its_source() -> None:
    pack = pack_with(12)
    assert pack.lump_sum_months == 12
    assert pack.lump_sum_months_source == SOURCE


@pytest.mark.parametrize("months", [0, 13, 24, "12", 6.5, True])
def test_the_key_is_a_term_of_at_most_a_year(months: object) -> None:
    with pytest.raises(InputError) as err:
        pack_with(months)
    assert "loan.lump_sum_months" in err.value.name
    assert "short.toml" in err.value.name


def test_a_short_loan_with_the_pack_is_repaid_in_one_sum() -> None:
    pack = pack_with(12)
    # 80,000 at 2.6 % for 9 months: interest 80,000 × 0.026 × 9 / 12 = 1,560.00
    interest = Fraction(80000) * Fraction(26, 1000) * 9 / 12
    assert interest == 1560
    loan = Loan(80000, "2.6%", 9, released="2024-03-15", pack=pack)
    assert loan.method is Method.LUMP_SUM
    s = loan.schedule()
    assert s.payment == (yuan(80000 + interest),)
    assert s.due_dates[0].isoformat() == "2024-12-15"
    assert loan.payoff(on="2024-06-15").interest == yuan(Fraction(80000) * Fraction(26, 1000) / 360 * 92)


def test_a_longer_term_or_an_explicit_method_is_not_changed() -> None:
    pack = pack_with(6)
    assert Loan(80000, "2.6%", 7, released="2024-03-15", pack=pack).method is Method.EQUAL_INSTALLMENT
    given = Loan(80000, "2.6%", 6, released="2024-03-15", pack=pack, method="equal_principal")
    assert given.method is Method.EQUAL_PRINCIPAL
    assert Loan(80000, "2.6%", 6, released="2024-03-15").method is Method.EQUAL_INSTALLMENT


def test_no_shipped_pack_claims_it_without_a_center_source() -> None:
    from gjjcalc.rules import pack_names

    for name in pack_names():
        assert load_pack(name).lump_sum_months is None, name
    assert Loan(50000, "2.1%", 12, released="2024-03-15", pack="jilin").method is Method.EQUAL_INSTALLMENT
    r = Fraction(21, 1000) / 12
    level = 50000 * r * (1 + r) ** 12 / ((1 + r) ** 12 - 1)  # 4,214.2144…
    assert yuan(level) == Decimal("4214.21")
    assert Loan(50000, "2.1%", 12, released="2024-03-15", pack="jilin").state_on("2024-03-20").payment == yuan(level)
