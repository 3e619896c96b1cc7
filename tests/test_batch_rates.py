"""Rates with more than 7 decimal places in the batch engine: refused with the way out named
(never rounded silently, never a plausible wrong number)."""

from __future__ import annotations

import numpy as np
import pytest

from gjjcalc import InputError, batch


def test_a_rate_off_the_seven_place_grid_names_the_rounding_to_apply() -> None:
    rates = np.linspace(0.02, 0.04, 1000)  # 0.02002002002…: 17 places
    with pytest.raises(InputError) as err:
        batch.summaries(np.full(1000, 100000.0), rates, np.full(1000, 120))
    assert err.value.name == "annual_rate[1]"
    assert "np.round(annual_rate, 7)" in str(err.value)
    assert "single-loan functions" in str(err.value)
    rounded = batch.summaries(np.full(1000, 100000.0), np.round(rates, 7), np.full(1000, 120))
    assert (rounded.status == 0).all()


def test_masked_rows_are_flagged_not_numbers() -> None:
    got = batch.summaries([100000.0, 100000.0], [0.031, 0.031234567891], [120, 120], errors="mask")
    assert got.status.tolist() == [0, int(batch.Status.RATE)]
