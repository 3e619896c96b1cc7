"""The error hierarchy: one base class, a few subclasses, catchable as built-ins.

Every message names the argument, the value and the allowed range.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["GjjcalcError", "InputError", "RuleViolation", "RuntimeLayerError"]


class GjjcalcError(Exception):
    """Base class of every error gjjcalc raises on purpose."""


class InputError(GjjcalcError, ValueError):
    """An argument is outside its allowed range.

    >>> raise InputError("months", 0, "an integer from 1 to 600")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: months=0 is out of range: expected an integer from 1 to 600
    """

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name = name
        self.value = value
        self.allowed = allowed
        super().__init__(f"{name}={_short(value)} is out of range: expected {allowed}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.value, self.allowed))


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters (a hostile input can be huge)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"<int of {value.bit_length()} bits>"
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class RuleViolation(GjjcalcError):
    """A center's rule refuses the request; ``reasons`` names each violated rule.

    >>> err = RuleViolation(["multiple: amount must be a multiple of 1000"])
    >>> err.reasons
    ('multiple: amount must be a multiple of 1000',)
    """

    def __init__(self, reasons: Sequence[object]) -> None:
        self.reasons = tuple(reasons)
        super().__init__("; ".join(str(r) for r in self.reasons) or "refused")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reasons,))


class RuntimeLayerError(GjjcalcError, RuntimeError):
    """A batch call that the compiled kernels' threading layer cannot run safely here.

    Raised in a process forked from one that ran batch kernels on GNU OpenMP (which
    cannot run again after ``fork``): start workers with ``spawn``, or install ``tbb``.
    """
