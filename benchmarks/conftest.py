"""Record library versions in every benchmark's extra_info (read by report.py)."""

from __future__ import annotations

import numba
import numpy
import numpy_financial
import pytest

import gjjcalc

VERSIONS = {
    "numpy_version": numpy.__version__,
    "numba_version": numba.__version__,
    "numpy_financial_version": numpy_financial.__version__,
    "gjjcalc_version": getattr(gjjcalc, "__version__", "editable"),
}


@pytest.fixture(autouse=True)
def _versions(request: pytest.FixtureRequest) -> None:
    if "benchmark" in request.fixturenames:
        request.getfixturevalue("benchmark").extra_info.update(VERSIONS)
