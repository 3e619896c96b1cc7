"""Every input coercion and the one rounding rule for money.

Amounts enter as ``int``, ``str``, ``Decimal`` or ``float`` (floats through
``str``, never their binary value; a float within float noise of whole fen,
such as ``0.1 + 0.2``, is that amount, as in the batch engine) and are held
exactly as ``Fraction`` yuan.
They leave as ``Decimal`` quantized to the fen with ROUND_HALF_UP (a default:
no center's published figure falls on a half fen, so none tells half-up from half-even).
"""

from __future__ import annotations

import functools
import math
import operator
import re
from datetime import date, datetime
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction

from gjjcalc.errors import InputError

__all__ = [
    "MAX_AMOUNT",
    "MAX_DIGITS",
    "MAX_MONTHS",
    "MAX_RATE_DIGITS",
    "RATE_GRID_TOLERANCE",
    "fen",
    "finite_decimal",
    "grid_units",
    "round_fen",
    "to_amount",
    "to_date",
    "to_flag",
    "to_months",
    "to_rate",
    "yuan",
]

MAX_AMOUNT = Fraction(10_000_000_000)
"""Largest amount accepted (10 billion yuan: 1e12 fen, exact in int64 and float64)."""
MAX_MONTHS = 600
"""Longest term accepted, in months (50 years; real loans stop at 360)."""

_CENT = Decimal("0.01")


MAX_DIGITS = 40
"""Longest number accepted as text, in characters (digits, sign, point and exponent)."""
EXACT = Context(prec=4 * MAX_DIGITS + 20, Emax=999_999, Emin=-999_999)
"""The decimal context of every Decimal the library makes (exact for the values it accepts):
results never depend on the caller's decimal context (its precision, rounding or traps)."""
MAX_RATE_DIGITS = 17
"""Most significant digits accepted in a rate (``"3.25%"`` has 3): every float's shortest
decimal (its ``repr``) has at most 17, so every float rate from 1e-40 to 1 is accepted as
the decimal it prints as. The smallest non-zero rate is 1e-40 (see :data:`MAX_DIGITS`)."""
RATE_GRID_PLACES = 7
"""Decimal places of the rates every center publishes (and of the batch engine's ``ledger``)."""
RATE_GRID_TOLERANCE = 1e-8
"""A float rate within this many 1e-7 of a 7-place rate (1e-15 a year) is that rate: float
arithmetic's noise (``0.001 + 0.0002`` is ``0.0012000000000000001``) is read as the rate meant,
alike by :func:`to_rate` and the batch engine. No decimal of 12 places or fewer is that close
to a 7-place rate without being one."""
_GRID = 10**RATE_GRID_PLACES



def __getattr__(name: str) -> object:
    if name == "MAX_RATE_PLACES":  # no longer a limit: rates are bounded by significant digits
        from gjjcalc._deprecated import warn

        warn("gjjcalc.money.MAX_RATE_PLACES (rates are no longer limited to 12 decimal places)",
             "gjjcalc.money.MAX_RATE_DIGITS (17 significant digits)")
        return 12
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def _to_decimal(value: object, name: str, allowed: str) -> Decimal:
    """A finite ``Decimal`` with a bounded number of digits and a bounded exponent.

    Text longer than :data:`MAX_DIGITS` characters, or with an exponent
    beyond ±:data:`MAX_DIGITS`, is refused before any arithmetic, so no input
    can make a later conversion expand a huge exponent. Commas are accepted
    only as thousands separators (``"646,609.84"``), never as a decimal mark.
    """
    if isinstance(value, bool | bytes | bytearray) or getattr(getattr(value, "dtype", None), "kind", "") == "b":
        raise InputError(name, value, allowed)  # numpy.bool_ too: True is not one yuan
    if isinstance(value, Fraction):
        if value.denominator > 10**MAX_DIGITS or abs(value.numerator) > 10**MAX_DIGITS:
            raise InputError(name, value, allowed)
        return EXACT.divide(Decimal(value.numerator), Decimal(value.denominator))
    if isinstance(value, int) and abs(value) > 10**MAX_DIGITS:
        raise InputError(name, value, allowed)
    if isinstance(value, Decimal):
        dec = value
    elif isinstance(value, int | float | str):
        text = str(value).strip().replace("_", "")
        if "," in text:
            if not _THOUSANDS.fullmatch(text):
                raise InputError(name, value, allowed)
            text = text.replace(",", "")
        if len(text) > MAX_DIGITS:
            raise InputError(name, value, allowed)
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise InputError(name, value, allowed) from None
    else:
        try:
            dec = Decimal(repr(float(value)))  # type: ignore[arg-type]
        except (TypeError, ValueError, InvalidOperation, OverflowError):
            raise InputError(name, value, allowed) from None
    if not dec.is_finite():
        raise InputError(name, value, allowed)
    digits = dec.as_tuple()
    if len(digits.digits) > MAX_DIGITS or abs(dec.adjusted()) > MAX_DIGITS:
        if dec.is_zero():
            return Decimal(0)
        raise InputError(name, value, allowed)
    return dec


def _places(dec: Decimal) -> int:
    """Decimal places of a finite Decimal once trailing zeros are dropped."""
    exponent = dec.normalize(EXACT).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def to_amount(
    value: object,
    name: str,
    *,
    allow_zero: bool = False,
    maximum: Fraction = MAX_AMOUNT,
) -> Fraction:
    """An amount in yuan, whole fen, as an exact ``Fraction``.

    >>> to_amount("646,609.84", "balance")
    Fraction(16165246, 25)
    >>> to_amount(0.1, "amount")
    Fraction(1, 10)
    >>> to_amount(0.1 + 0.2, "amount")     # 0.30000000000000004: float noise on 30 fen
    Fraction(3, 10)
    >>> to_amount("690000,50", "principal")   # a comma is never a decimal mark
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: principal='690000,50' is out of range: expected an amount in yuan greater than 0 and at most 10000000000.00, in whole fen
    >>> to_amount(-5, "principal")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: principal=-5 is out of range: expected an amount in yuan greater than 0 and at most 10000000000.00, in whole fen
    """
    if type(value) is int and (value > 0 or (allow_zero and value == 0)) and value <= maximum:
        return Fraction(value)  # the common case, before any message is formatted
    low = "at least 0" if allow_zero else "greater than 0"
    allowed = f"an amount in yuan {low} and at most {yuan(maximum)}, in whole fen"
    whole = _float_fen(value)
    if whole is not None:
        frac = Fraction(whole, 100)
    elif isinstance(value, Fraction):
        frac = value
    else:
        dec = _to_decimal(value, name, allowed)
        if _places(dec) > 2 or dec.adjusted() > 12:
            raise InputError(name, value, allowed)
        frac = Fraction(dec)
    if frac < 0 or (frac == 0 and not allow_zero) or frac > maximum:
        raise InputError(name, value, allowed)
    if (frac * 100).denominator != 1:
        raise InputError(name, value, allowed)
    return frac


def _float_fen(value: object) -> int | None:
    """A float amount within float noise of whole fen as those fen (``0.1 + 0.2`` yuan is 30
    fen), as the batch engine reads one: within 1e-6 fen plus 1e-14 of the amount; else None
    (and for anything but a float)."""
    if not (isinstance(value, float) or getattr(getattr(value, "dtype", None), "kind", "") == "f"):
        return None
    fen = float(value) * 100.0  # type: ignore[arg-type]
    if not (math.isfinite(fen) and fen >= 0.0):  # (a negative amount is refused, never noise on 0)
        return None
    whole = math.floor(fen + 0.5)
    return whole if abs(fen - whole) <= 1e-6 + abs(fen) * 1e-14 else None


def to_rate(value: object, name: str = "annual_rate", *, what: str = "an annual rate") -> Fraction:
    """An annual rate (or, with ``what``, another ratio) as an exact fraction: ``0.0325`` or ``"3.25%"``.

    A rate is a decimal of at most 17 significant digits from 0 to 1 (the smallest non-zero
    rate is 1e-40). A float is read as the decimal it prints as, so every float from 0 to 1
    qualifies; one within float noise (1e-15) of a 7-place rate is that rate, as in the batch
    engine (so a float below 1e-15 is 0).

    >>> to_rate("3.25%")
    Fraction(13, 400)
    >>> to_rate(0.0325) == to_rate(Decimal("0.0325"))
    True
    >>> to_rate(0.02002002002002002)   # a float is the decimal its repr shows
    Fraction(1001001001001001, 50000000000000000)
    >>> to_rate(0.001 + 0.0002)        # 0.0012000000000000001: float noise on 0.0012
    Fraction(3, 2500)
    >>> to_rate(3.25)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: annual_rate=3.25 is out of range: expected an annual rate from 0 to 1 (a fraction such as 0.0325, or a string such as '3.25%')
    >>> to_rate("1e-1000")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: annual_rate='1e-1000' is out of range: expected an annual rate from 0 to 1 (a fraction such as 0.0325, or a string such as '3.25%'), a decimal of at most 17 significant digits, zero or at least 1e-40
    >>> to_rate(240000, "down_payment", what="a share of the price")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: down_payment=240000 is out of range: expected a share of the price from 0 to 1 (a fraction such as 0.0325, or a string such as '3.25%')
    """
    if type(value) in _CACHED and what == "an annual rate":  # rates repeat: parsed once each
        try:
            return _cached_rate(type(value).__name__, value, name)
        except TypeError:  # unhashable after all
            pass
    return _parse_rate(value, name, what)


_CACHED = frozenset({int, float, str, Decimal})


@functools.lru_cache(maxsize=4096)
def _cached_rate(kind: str, value: object, name: str) -> Fraction:
    """:func:`to_rate` of a hashable value, remembered (a refused value is never cached)."""
    return _parse_rate(value, name, "an annual rate")


def grid_units(rate: float) -> int | None:
    """The 7-place rate a float stands for, in 1e-7 (``None`` if it is not within
    :data:`RATE_GRID_TOLERANCE` of one): the batch kernels' test, in the same float64 arithmetic.

    >>> grid_units(0.0325), grid_units(0.001 + 0.0002), grid_units(0.02002002002002002)
    (325000, 12000, None)
    """
    scaled = rate * _GRID
    units = math.floor(scaled + 0.5)
    return units if abs(scaled - units) <= RATE_GRID_TOLERANCE else None


def _parse_rate(value: object, name: str, what: str) -> Fraction:
    allowed = f"{what} from 0 to 1 (a fraction such as 0.0325, or a string such as '3.25%')"
    digits = (f"{allowed}, a decimal of at most {MAX_RATE_DIGITS} significant digits, "
              f"zero or at least 1e-{MAX_DIGITS}")
    if isinstance(value, float) or getattr(getattr(value, "dtype", None), "kind", "") == "f":
        x = float(value)  # type: ignore[arg-type]
        units = grid_units(x) if 0.0 <= x <= 1.0 else None
        if units is not None:  # float noise on a 7-place rate (below 1e-15: on zero)
            return Fraction(units, _GRID)
    if isinstance(value, Fraction):
        if not 0 <= value <= 1:
            raise InputError(name, value, allowed)
        dec = finite_decimal(value)
        if dec is None:
            raise InputError(name, value, digits)
    elif isinstance(value, str) and value.strip().endswith("%"):
        try:
            dec = _to_decimal(value.strip()[:-1], name, digits).scaleb(-2, EXACT)
        except InputError:
            raise InputError(name, value, digits) from None
    else:
        dec = _to_decimal(value, name, digits)
    if not 0 <= dec <= 1:
        raise InputError(name, value, allowed)
    if dec and (len(dec.normalize(EXACT).as_tuple().digits) > MAX_RATE_DIGITS
                or dec.adjusted() < -MAX_DIGITS):
        raise InputError(name, value, digits)
    return Fraction(dec)


def finite_decimal(value: Fraction) -> Decimal | None:
    """A fraction as the finite decimal it equals, exactly (``None`` if it has none, or a
    denominator above 10**MAX_DIGITS).

    >>> finite_decimal(Fraction(13, 400)), finite_decimal(Fraction(1, 3))
    (Decimal('0.0325'), None)
    """
    den = value.denominator
    if den > 10**MAX_DIGITS:
        return None
    twos = (den & -den).bit_length() - 1
    rest = den >> twos
    fives = 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return None
    places = max(twos, fives)
    return Decimal(value.numerator * 10**places // den).scaleb(-places, EXACT)


def to_months(
    value: object, name: str = "months", *, minimum: int = 1, maximum: int = MAX_MONTHS
) -> int:
    """A whole number of months in ``[minimum, maximum]``.

    >>> to_months(300)
    300
    >>> to_months(12.5)
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: months=12.5 is out of range: expected an integer from 1 to 600
    """
    allowed = f"an integer from {minimum} to {maximum}"
    if isinstance(value, bool):
        raise InputError(name, value, allowed)
    try:
        months = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise InputError(name, value, allowed) from None
    if not minimum <= months <= maximum:
        raise InputError(name, value, allowed)
    return months


def to_date(value: object, name: str) -> date:
    """A calendar date from a ``date``, ``datetime`` or ISO string.

    >>> to_date("2018-01-09", "on")
    datetime.date(2018, 1, 9)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(name, value, "a date (datetime.date or 'YYYY-MM-DD')")


def to_flag(value: object, name: str) -> bool:
    """A yes/no option: a ``bool`` (or numpy's), never a truthy string or number.

    >>> to_flag(True, "enforce")
    True
    >>> to_flag("yes", "recompute_payment")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: recompute_payment='yes' is out of range: expected True or False
    """
    if isinstance(value, bool):
        return value
    if type(value).__name__ in ("bool_", "bool") and type(value).__module__ == "numpy":
        return bool(value)  # numpy.bool_ (named numpy.bool from numpy 2)
    raise InputError(name, value, "True or False")


def round_fen(value: Fraction) -> int:
    """Round an exact amount in yuan half-up to whole fen (an ``int``).

    >>> round_fen(Fraction(3, 200))   # 1.5 fen: a tie, rounds up
    2
    >>> round_fen(Fraction(-3, 200))  # half away from zero, like ROUND_HALF_UP
    -2
    """
    num = value.numerator * 100
    den = value.denominator
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def fen(value: Fraction) -> Fraction:
    """Round an exact amount half-up to the fen, staying exact.

    >>> fen(Fraction(4801, 200))
    Fraction(2401, 100)
    """
    return Fraction(round_fen(value), 100)


def yuan(value: Fraction) -> Decimal:
    """An exact amount as a ``Decimal`` quantized to the fen (ROUND_HALF_UP).

    >>> yuan(Fraction(84062, 25))
    Decimal('3362.48')

    Whatever the caller's decimal context (its precision, its traps): whole fen × 0.01
    in a fixed context is exact.
    """
    return EXACT.multiply(Decimal(round_fen(value)), _CENT)
