"""Moved to :mod:`gjjcalc.loan.history` (the policy layer, :mod:`gjjcalc.loan`); this alias warns.

``gjjcalc.amortize`` is the arithmetic and knows no center. The names that lived
here are importable from ``gjjcalc`` and ``gjjcalc.loan``; this module forwards
them with a ``DeprecationWarning`` until gjjcalc 0.3.
"""

from __future__ import annotations

import importlib
import warnings


def __getattr__(name: str) -> object:
    if name.startswith("__"):
        raise AttributeError(name)
    target = importlib.import_module("gjjcalc.loan.history")
    if not hasattr(target, name):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"gjjcalc.amortize.loan.{name} moved to gjjcalc.loan.{name} (also gjjcalc.{name} where "
        "it is public there); this alias will be removed in gjjcalc 0.3",
        DeprecationWarning, stacklevel=2,
    )
    return getattr(target, name)
