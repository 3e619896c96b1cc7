"""Conventions (how amounts are rounded and carried), methods and modes.

A :class:`Convention` is a frozen set of seven named choices; ``center``,
``ledger`` and ``exact`` are presets of them, and plain strings name the presets
everywhere:

| preset | payment | carry | split | principal_part | totals | rounding | reproduces |
| --- | --- | --- | --- | --- | --- | --- | --- |
| ``center`` | fen | unrounded | remainder | carried | exact | half_up | the Jilin provincial center (个人网厅操作手册) |
| ``ledger`` | fen | fen | remainder | fen | exact | half_up | bank statements |
| ``exact`` | unrounded | unrounded | remainder | carried | exact | half_up | web calculators, numpy-financial |

``daily_rate_places`` is ``None`` in all three.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, ClassVar, Literal, TypeVar, cast, get_args

from gjjcalc.errors import InputError

_EXACT = Context(prec=60)  # whole fen as yuan, exact whatever the caller's decimal context

__all__ = [
    "AccrualStart",
    "Convention",
    "Method",
    "PrepayMode",
    "parse_enum",
    "to_convention",
]

PaymentChoice = Literal["fen", "unrounded"]
CarryChoice = Literal["unrounded", "fen"]
SplitChoice = Literal["remainder", "independent", "truncate_principal"]
PrincipalPartChoice = Literal["carried", "fen"]
TotalsChoice = Literal["exact", "rows", "level"]
RoundingChoice = Literal["half_up", "half_even", "down"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "payment": get_args(PaymentChoice),
    "carry": get_args(CarryChoice),
    "split": get_args(SplitChoice),
    "principal_part": get_args(PrincipalPartChoice),
    "totals": get_args(TotalsChoice),
    "rounding": get_args(RoundingChoice),
}
_FIELDS = (*_CHOICES, "daily_rate_places")
_MAX_PLACES = 20
_Key = tuple[str, str, str, str, str, str, "int | None"]
_PRESET_KEYS: dict[str, _Key] = {
    "center": ("fen", "unrounded", "remainder", "carried", "exact", "half_up", None),
    "ledger": ("fen", "fen", "remainder", "fen", "exact", "half_up", None),
    "exact": ("unrounded", "unrounded", "remainder", "carried", "exact", "half_up", None),
}
_PRESET_OF = {key: name for name, key in _PRESET_KEYS.items()}
_DECIMAL_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


def round_div(num: int, den: int, rounding: str) -> int:
    """``num / den`` rounded to an integer: half away from zero, half to even, or toward zero.

    >>> round_div(5, 2, "half_up"), round_div(5, 2, "half_even"), round_div(5, 2, "down")
    (3, 2, 2)
    >>> round_div(-5, 2, "half_up"), round_div(-7, 2, "half_even"), round_div(-5, 2, "down")
    (-3, -4, -2)
    """
    if den < 0:
        num, den = -num, -den
    sign = -1 if num < 0 else 1
    q, r = divmod(abs(num), den)
    if rounding == "half_up":
        q += 2 * r >= den
    elif rounding == "half_even":
        q += 2 * r > den or (2 * r == den and q % 2 == 1)
    return sign * q


class _ConventionType(type):
    """Iterating the class gives the presets, as iterating the old enum gave its members."""

    def __iter__(cls) -> Any:
        return iter([Convention.CENTER, Convention.LEDGER, Convention.EXACT])

    def __len__(cls) -> int:
        return len(_PRESET_KEYS)


class Convention(metaclass=_ConventionType):
    """How amounts are rounded, carried between periods and totalled: seven named choices.

    ``Convention("ledger")`` (or the string ``"ledger"`` anywhere a convention is
    taken) is a preset; keywords change choices, starting from ``center`` or from the
    preset given first. Equal choices give the same object, so a custom convention
    that matches a preset *is* that preset.

    payment
        ``"fen"``: the level payment (等额本息) is rounded to the fen; ``"unrounded"``: it is not.
    carry
        ``"unrounded"``: the balance is carried exactly; ``"fen"``: each period's
        interest is rounded to the fen, so every amount and the balance are whole fen
        (with ``payment="fen"`` and ``principal_part="fen"``, which ``carry="fen"`` sets
        unless they are given).
    split
        How a shown row is split: ``"remainder"`` (interest rounded, principal = shown
        payment − shown interest), ``"independent"`` (each column rounded on its own:
        payment may differ from principal + interest by a fen) or
        ``"truncate_principal"`` (principal truncated to the fen, interest the remainder).
    principal_part
        Equal principal (等额本金): ``"carried"`` (principal / months unrounded) or
        ``"fen"`` (rounded to the fen; the last period takes the remainder).
    totals
        ``"exact"`` (the exact sums, rounded once), ``"rows"`` (the sums of the shown
        rows) or ``"level"`` (rounded payment × months, interest = that − principal;
        equal installment only).
    rounding
        ``"half_up"`` (half away from zero), ``"half_even"`` or ``"down"`` (truncate):
        every rounding to the fen.
    daily_rate_places
        ``None``, or the decimal places the daily rate (annual / 360) is rounded to
        before a payoff's or prepayment's interest (5: 6.15 % / 360 taken as 0.00017).

    Examples
    --------
    >>> Convention("ledger")
    <Convention.LEDGER: 'ledger'>
    >>> Convention(carry="fen") is Convention.LEDGER
    True
    >>> Convention(totals="level")
    Convention(totals='level')
    >>> Convention.CENTER == "center", Convention("exact", rounding="down").payment
    (True, 'unrounded')
    >>> Convention(split="sideways")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: convention.split='sideways' is out of range: expected one of 'remainder', 'independent', 'truncate_principal'
    """

    __slots__ = ("_key", "_preset", *_FIELDS)

    CENTER: ClassVar[Convention]
    """Payment rounded to the fen; balance carried unrounded, shown rounded (the Jilin center's figures)."""
    LEDGER: ClassVar[Convention]
    """Every amount in whole fen; the principal column sums exactly to the loan."""
    EXACT: ClassVar[Convention]
    """Nothing rounded until display (web calculators, numpy-financial)."""

    payment: PaymentChoice
    carry: CarryChoice
    split: SplitChoice
    principal_part: PrincipalPartChoice
    totals: TotalsChoice
    rounding: RoundingChoice
    daily_rate_places: int | None
    _key: _Key
    _preset: str | None

    _interned: ClassVar[dict[_Key, Convention]] = {}

    def __new__(
        cls,
        preset: Convention | Literal["center", "ledger", "exact"] | None = None,
        /,
        *,
        payment: PaymentChoice | None = None,
        carry: CarryChoice | None = None,
        split: SplitChoice | None = None,
        principal_part: PrincipalPartChoice | None = None,
        totals: TotalsChoice | None = None,
        rounding: RoundingChoice | None = None,
        daily_rate_places: int | Literal["keep"] | None = "keep",
    ) -> Convention:
        base = _PRESET_KEYS["center"] if preset is None else to_convention(preset)._key
        given: dict[str, object] = {
            "payment": payment, "carry": carry, "split": split, "principal_part": principal_part,
            "totals": totals, "rounding": rounding,
        }
        values: list[object] = []
        for name, old in zip(_CHOICES, base, strict=False):
            new = given[name]
            if new is None:
                values.append(old)
            elif isinstance(new, str) and new in _CHOICES[name]:
                values.append(new)
            else:
                allowed = ", ".join(repr(c) for c in _CHOICES[name])
                raise InputError(f"convention.{name}", new, f"one of {allowed}")
        places: object = base[6] if daily_rate_places == "keep" else daily_rate_places
        if places is not None and (
            type(places) is not int or not 0 <= places <= _MAX_PLACES
        ):
            raise InputError(
                "convention.daily_rate_places", places, f"None or an integer from 0 to {_MAX_PLACES}"
            )
        values.append(places)
        if values[1] == "fen" and carry is not None:  # whole-fen parts follow, unless given
            values[0] = "fen" if payment is None else values[0]
            values[3] = "fen" if principal_part is None else values[3]
        key = cast(_Key, tuple(values))
        if key[1] == "fen" and (key[0] != "fen" or key[3] != "fen"):
            raise InputError(
                "convention.carry", "fen",
                "carry='fen' with payment='fen' and principal_part='fen' (a balance carried in "
                f"whole fen needs whole-fen parts; got payment={key[0]!r}, principal_part={key[3]!r})",
            )
        found = cls._interned.get(key)
        if found is not None:
            return found
        self = object.__new__(cls)
        for name, value in zip(_FIELDS, key, strict=True):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_preset", _PRESET_OF.get(key))
        cls._interned[key] = self
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Convention is frozen: build another with Convention(convention, {name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Convention is frozen")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self._key,))

    def __copy__(self) -> Convention:
        return self

    def __deepcopy__(self, memo: object) -> Convention:
        return self

    @property
    def preset(self) -> str | None:
        """``"center"``, ``"ledger"`` or ``"exact"`` when the choices are a preset's; otherwise ``None``."""
        return self._preset

    @property
    def value(self) -> str:
        """The preset's name, or the keyword form of a custom convention (as the old enum's value)."""
        return self.preset or repr(self)

    @property
    def name(self) -> str:
        """``"CENTER"``, ``"LEDGER"``, ``"EXACT"``, or ``"CUSTOM"``."""
        return (self.preset or "custom").upper()

    def choices(self) -> dict[str, str | int | None]:
        """The seven choices by name.

        >>> Convention.LEDGER.choices()["carry"]
        'fen'
        """
        return dict(zip(_FIELDS, self._key, strict=True))

    def replace(self, **changes: Any) -> Convention:
        """This convention with some choices changed.

        >>> Convention.CENTER.replace(rounding="half_even").rounding
        'half_even'
        """
        return Convention(self, **changes)

    def __repr__(self) -> str:
        if self.preset is not None:
            return f"<Convention.{self.name}: {self.preset!r}>"
        center = _PRESET_KEYS["center"]
        diff = ", ".join(
            f"{name}={value!r}" for name, value, old in zip(_FIELDS, self._key, center, strict=True)
            if value != old
        )
        return f"Convention({diff})"

    def __str__(self) -> str:
        return self.value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Convention):
            return self is other
        if isinstance(other, str):
            return self.preset == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.preset) if self.preset is not None else hash(self._key)

    # -- rounding to the fen, as this convention rounds ------------------------------------------

    def round_fen(self, value: Fraction) -> int:
        """An exact amount in yuan rounded to whole fen (an ``int``) by :attr:`rounding`.

        >>> Convention.CENTER.round_fen(Fraction(3, 200)), Convention("center", rounding="down").round_fen(Fraction(3, 200))
        (2, 1)
        """
        return round_div(value.numerator * 100, value.denominator, self.rounding)

    def fen(self, value: Fraction) -> Fraction:
        """An exact amount rounded to the fen by :attr:`rounding`, staying exact."""
        return Fraction(self.round_fen(value), 100)

    def yuan(self, value: Fraction) -> Decimal:
        """An exact amount as a ``Decimal`` of whole fen, rounded by :attr:`rounding`.

        >>> Convention("center", rounding="half_even").yuan(Fraction(1, 200))
        Decimal('0.00')
        """
        return Decimal(self.round_fen(value)).scaleb(-2, _EXACT)

    def daily_rate(self, annual_rate: Fraction) -> Fraction:
        """The daily rate annual / 360, rounded to :attr:`daily_rate_places` when set.

        >>> Convention("center", daily_rate_places=5).daily_rate(Fraction("0.0615"))
        Fraction(17, 100000)
        """
        daily = annual_rate / 360
        if self.daily_rate_places is None:
            return daily
        scale = 10**self.daily_rate_places
        return Fraction(round_div(daily.numerator * scale, daily.denominator, self.rounding), scale)

    @property
    def decimal_rounding(self) -> str:
        """The :mod:`decimal` rounding constant of :attr:`rounding`."""
        return _DECIMAL_ROUNDING[self.rounding]


def _restore(key: _Key) -> Convention:
    payment, carry, split, part, totals, rounding, places = key
    return Convention(
        payment=cast(PaymentChoice, payment), carry=cast(CarryChoice, carry), split=cast(SplitChoice, split),
        principal_part=cast(PrincipalPartChoice, part), totals=cast(TotalsChoice, totals),
        rounding=cast(RoundingChoice, rounding), daily_rate_places=places,
    )


Convention.CENTER = Convention(payment="fen", carry="unrounded", principal_part="carried")
Convention.LEDGER = Convention(payment="fen", carry="fen", principal_part="fen")
Convention.EXACT = Convention(payment="unrounded", carry="unrounded", principal_part="carried")


def to_convention(value: object, name: str = "convention") -> Convention:
    """A :class:`Convention` from itself or a preset's name.

    >>> to_convention("ledger")
    <Convention.LEDGER: 'ledger'>
    >>> to_convention("bank")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: convention='bank' is out of range: expected one of 'center', 'ledger', 'exact', or a gjjcalc.Convention
    """
    if isinstance(value, Convention):
        return value
    if isinstance(value, str):
        key = _PRESET_KEYS.get(value)
        if key is not None:
            return Convention._interned[key]
    raise InputError(name, value, "one of 'center', 'ledger', 'exact', or a gjjcalc.Convention")


class Method(StrEnum):
    """Repayment method (还款方式)."""

    EQUAL_INSTALLMENT = "equal_installment"
    """等额本息: the same payment every month."""
    EQUAL_PRINCIPAL = "equal_principal"
    """等额本金: the same principal every month; the payment falls."""
    LUMP_SUM = "lump_sum"
    """到期一次还本付息: a loan of at most 12 months repaid in one sum at maturity,
    principal × (1 + annual rate × months / 12)."""


class PrepayMode(StrEnum):
    """What a partial prepayment (部分提前还本) changes (Jilin center manual, 6 部分提前还本)."""

    LOWER_PAYMENT = "lower_payment"
    """还款额下降, 止贷期不变: keep the maturity, lower the payment."""
    SHORTEN_TERM = "shorten_term"
    """还款额不变, 止贷期提前: keep the payment, end earlier."""


class AccrualStart(StrEnum):
    """The day interest starts to accrue after a due date (起息日规则)."""

    DUE_DATE = "due_date"
    """Interest accrues from the due date itself (the default without a center)."""
    DAY_AFTER_DUE = "day_after_due"
    """Interest accrues from the day after the due date (Jilin center manual: 2017-12-29 after 12-28)."""


E = TypeVar("E", bound=StrEnum)


def parse_enum(cls: type[E], value: object, name: str) -> E:
    """Turn a member or its string value into a member of ``cls``.

    >>> parse_enum(Method, "equal_principal", "method")
    <Method.EQUAL_PRINCIPAL: 'equal_principal'>
    >>> parse_enum(PrepayMode, "sideways", "mode")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: mode='sideways' is out of range: expected one of 'lower_payment', 'shorten_term'
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    allowed = ", ".join(repr(m.value) for m in cls)
    raise InputError(name, value, f"one of {allowed}")
