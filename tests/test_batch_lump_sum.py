"""One-sum loans (到期一次还本付息) and conventions in the batch engine: equal to the
single-loan API, refused where a batch function has nothing to do with them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import Convention, InputError, batch


def _half_up_fen(value: Fraction) -> Fraction:
    fen = value * 100
    return Fraction((fen.numerator * 2 + fen.denominator) // (2 * fen.denominator), 100)


def test_lump_sum_totals_by_hand() -> None:
    # 50,000 at 2.1 % for 12 months: 50,000 × 0.021 × 12 / 12 = 1,050.00 of interest.
    interest = _half_up_fen(Fraction(50_000) * Fraction(21, 1000) * 12 / 12)
    assert interest == 1050
    s = batch.summaries([50_000, 50_000], 0.021, [12, 6], method="lump_sum")
    assert s.total_interest.tolist() == [1050.0, 525.0]
    assert s.total_payment.tolist() == [51050.0, 50525.0]
    assert s.first_payment.tolist() == s.last_payment.tolist() == [51050.0, 50525.0]


def test_lump_sum_rounding_half_up_by_hand() -> None:
    # 1,234.57 at 3.1 % for 5 months: 1,234.57 × 0.031 × 5 / 12 = 15.9465291… → 15.95.
    exact = Fraction(123457, 100) * Fraction(31, 1000) * 5 / 12
    assert _half_up_fen(exact) == Fraction(1595, 100)
    assert batch.payments([1234.57], 0.031, 5, method="lump_sum").tolist() == [1250.52]


def test_lump_sum_schedule_is_one_row_and_mixes_with_installments() -> None:
    s = batch.schedules([50_000, 1000], 0.021, [6, 3], method=["lump_sum", "equal_installment"])
    assert s.months.tolist() == [1, 3]
    assert s.payment[0].tolist() == [50525.0, 0.0, 0.0]
    assert (s.principal[0, 0], s.interest[0, 0], s.balance[0, 0]) == (50000.0, 525.0, 0.0)
    frame = s.to_frame()
    assert frame["loan"].tolist() == [0, 1, 1, 1]


def test_lump_sum_balance_is_the_principal_until_the_one_payment() -> None:
    got = batch.balances_after([50_000, 50_000], 0.021, 6, k=[0, 1], method="lump_sum")
    assert got.tolist() == [50000.0, 0.0]
    with pytest.raises(InputError, match=r"k\[0\]=2"):
        batch.balances_after([50_000], 0.021, 6, k=[2], method="lump_sum")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**11), st.integers(0, 10**7), st.integers(1, 12)),
                min_size=1, max_size=20),
       st.sampled_from(["center", "ledger", "exact"]))
def test_lump_sum_batch_equals_the_single_loan_api(rows: list[tuple[int, int, int]], conv: str) -> None:
    fen, units, months = (np.array(c) for c in zip(*rows, strict=True))
    got = batch.summaries(fen / 100, units / 1e7, months, method="lump_sum", convention=conv)
    for i, (f, u, n) in enumerate(rows):
        one = gjjcalc.lump_sum(Decimal(f) / 100, Decimal(u) / Decimal(10**7), n, convention=conv)
        assert Decimal(str(got.total_interest[i])) == one.total_interest
        assert Decimal(str(got.total_payment[i])) == one.total_payment


def test_lump_sum_longer_than_a_year_is_refused_or_masked() -> None:
    with pytest.raises(InputError, match=r"months\[1\]=13.*at most 12 months for method='lump_sum'"):
        batch.summaries([1, 2], 0.02, [12, 13], method="lump_sum")
    s = batch.summaries([1, 2], 0.02, [12, 13], method="lump_sum", errors="mask")
    assert s.status.tolist() == [batch.Status.OK, batch.Status.MONTHS]
    assert s.total_payment[0] == 1.02


def test_prepay_and_reprice_refuse_lump_sum_naming_the_row() -> None:
    with pytest.raises(InputError, match=r"method\[1\]='lump_sum'.*nothing to prepay"):
        batch.prepay([1000, 2000], 0.02, 12, method=[0, 2], amount=1, days=1, mode="shorten_term")
    with pytest.raises(InputError, match=r"method\[0\]='lump_sum'.*no rate change"):
        batch.reprice([1000], new_rate=0.02, remaining_months=12, method="lump_sum")


def test_a_convention_object_equal_to_a_preset_runs_as_that_preset() -> None:
    by_name = batch.balances_after(690000, 0.0325, 300, k=28, convention="ledger")
    by_object = batch.balances_after(690000, 0.0325, 300, k=28, convention=Convention("ledger"))
    rebuilt = Convention("center", carry="fen")
    assert rebuilt.preset == "ledger"
    assert by_name.tolist() == by_object.tolist() == [646609.83]
    assert batch.balances_after(690000, 0.0325, 300, k=28, convention=rebuilt).tolist() == [646609.83]


@pytest.mark.parametrize(("convention", "choice"), [
    (Convention(totals="level"), r"convention\.totals='level'"),
    (Convention("ledger", rounding="half_even"), r"convention\.rounding='half_even'"),
    (Convention("exact", daily_rate_places=5), r"convention\.daily_rate_places=5"),
])
def test_a_custom_convention_is_refused_by_its_choice(convention: Convention, choice: str) -> None:
    with pytest.raises(InputError, match=choice + ".*single-loan functions"):
        batch.summaries([1000], 0.03, 12, convention=convention)
