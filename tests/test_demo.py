"""The README's main job, ``make demo``, prints the seed center's real figures."""

from __future__ import annotations

import pytest

from gjjcalc import demo


@pytest.mark.jit_only  # a million loans through the batch engine
def test_demo_prints_the_seed_figures(capsys: pytest.CaptureFixture[str]) -> None:
    demo.main()
    out = capsys.readouterr().out
    for figure in ("3362.48", "646609.84", "646609.83", "318744.90", "1008744.90",
                   "9.93", "10009.93", "3310.48", "10.83", "266", "2040-02-28", "647310.33",
                   "3322.38", "3262.98", "3207.68", "600000.00 (bound by region_cap)"):
        assert figure in out, figure
    assert "1,000,000 loans" in out
