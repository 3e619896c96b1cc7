"""The error hierarchy: one base class, a few subclasses, catchable as built-ins.

Every message names the argument, the value and the allowed range.
"""

from __future__ import annotations

import re
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

    @property
    def loc(self) -> tuple[str | int, ...]:
        """Where the bad value is, as a path: the argument, then row indexes, event positions,
        fields, or a pack file and its keys.

        >>> InputError("principal[3]", -5.0, "an amount").loc
        ('principal', 3)
        >>> InputError("events[2].amount", 9e9, "an amount").loc
        ('events', 2, 'amount')
        >>> InputError("jilin.toml: quota.caps[1].value", "x", "an amount").loc
        ('jilin.toml', 'quota', 'caps', 1, 'value')
        """
        head, sep, rest = self.name.partition(": ")
        parts: list[str | int] = [head] if sep else []
        for key, index in _LOC.findall(rest if sep else self.name):
            parts.append(int(index) if index else key)
        return tuple(parts)

    @property
    def argument(self) -> str:
        """The argument (or file) the bad value was given in: ``loc[0]``."""
        return str(self.loc[0]) if self.loc else self.name


_LOC = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters (a hostile input can be huge)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"<int of {value.bit_length()} bits>"
    text = " ".join(repr(value).split())  # one line, even for a multi-line repr
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
