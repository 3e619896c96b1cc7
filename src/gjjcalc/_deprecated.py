"""Old names kept for one minor version: each use warns with a ``DeprecationWarning`` that
names the new form, and does exactly what the new form does."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

REMOVED_IN = "gjjcalc 0.3"


def warn(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` is deprecated in favour of ``new``.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("f(x=)", "f(y=)", stacklevel=1)
    >>> str(caught[0].message)
    'f(x=) is deprecated: use f(y=) (the old form will be removed in gjjcalc 0.3)'
    """
    warnings.warn(f"{old} is deprecated: use {new} (the old form will be removed in {REMOVED_IN})",
                  DeprecationWarning, stacklevel=stacklevel)


def renamed(func: Callable[P, R], old: str, new: str) -> Callable[P, R]:
    """``func`` under its old name ``old``: the same call, with a warning naming ``new``."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        warn(old, new)
        return func(*args, **kwargs)

    wrapper.__doc__ = f"Deprecated: use :func:`{new}` (the same call)."
    return wrapper


def module_getattr(module: str, moved: Mapping[str, tuple[str, Callable[[], Any]]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for names that moved: ``moved[old] = (new name, getter)``."""

    def getattr_(name: str) -> Any:
        if name in moved:
            new, get = moved[name]
            warn(f"{module}.{name}", new)
            return get()
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return getattr_


def pop_renamed_keyword(
    func: str, deprecated: dict[str, Any], old: str, new: str, value: Any, default: Any = None,
) -> Any:
    """The value of keyword ``new`` or of its deprecated spelling ``old`` (never both): any
    other keyword left in ``deprecated`` is a ``TypeError`` as Python gives it."""
    unknown = sorted(set(deprecated) - {old})
    if unknown:
        raise TypeError(f"{func}() got an unexpected keyword argument {unknown[0]!r}")
    if old not in deprecated:
        return value
    if value is not default:
        raise TypeError(f"{func}() got both {new}= and its deprecated spelling {old}=: give only {new}=")
    warn(f"{func}({old}=...)", f"{func}({new}=...)", stacklevel=4)
    return deprecated[old]
