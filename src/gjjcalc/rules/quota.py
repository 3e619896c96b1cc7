"""Loan quota (贷款额度): the least of the limits a center's pack enables, and its term.

A center computes the largest loan as the minimum of independent limits
(region cap, house price × loan-to-value, account balance × multiple,
repayment capacity, the unpaid part of the price), after gates that refuse
outright (an unsettled loan, a too-old second-hand house). Limits on the term
(the maximum term, house age + term, the borrower's age at the end of the
term) shorten the term to the longest one they allow, and the amount is
computed for that term; only a term limit that leaves no term refuses. Each
amount limit is rounded down to the pack's unit (the fen when the pack states
none), so the quota is always exactly one of the limits, or 0 when refused.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TypedDict, Unpack

from dateutil.relativedelta import relativedelta

from gjjcalc._display import Record, Ruled
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_date, to_flag, to_months, to_rate, yuan
from gjjcalc.rules.packs import Pack, QuotaRules, Sourced, UpliftRules, load_pack
from gjjcalc.rules.results import Limit, Reason, RuleValue, raise_if
from gjjcalc.rules.retirement import DECISION, retirement_age_months, retirement_date

__all__ = ["AreaLoan", "QuotaResult", "loan_from_area", "loan_quota"]

_FEN = Fraction(1, 100)
_UNPAID = "the loan pays at most the part of the price not yet paid (房价总额 − 已付金额)"


@dataclass(frozen=True, slots=True)
class QuotaResult(Ruled):
    """A loan quota, its term and what bound them.

    ``amount`` is the largest loan (0 when refused), ``binding`` the name of
    the limit or refusal that set it, ``limits`` every constraint considered
    (each rounded down to the pack's unit) and ``reasons`` the refusals.
    ``months`` is the term the amount is for (the requested term, or the
    longest one the term limits allow; ``None`` when no term was given or the
    request is refused), ``requested_months`` the term asked for and
    ``shortened_by`` every term limit the request exceeded, each with the
    longest term it allows as its value (the one that set ``months`` first).
    ``caps_used`` names the household cap keys the ``cap`` limit used (the
    base cap, then the top cap when there is one) and ``uplifts`` every uplift
    added to the base cap, each with the amount it added.
    """

    amount: Decimal
    binding: str
    limits: tuple[Limit, ...]
    reasons: tuple[Reason, ...]
    months: int | None = None
    requested_months: int | None = None
    shortened_by: tuple[Reason, ...] = ()
    caps_used: tuple[str, ...] = ()
    uplifts: tuple[Limit, ...] = ()

    @property
    def ok(self) -> bool:
        """True unless a gate refused the loan (a shortened term is an answer, not a refusal)."""
        return not self.reasons


@dataclass(frozen=True, slots=True)
class AreaLoan(Record):
    """Ningxia's 按面积计算: the house price, the down payment and the loan."""

    house_price: Decimal
    down_payment: Decimal
    amount: Decimal


def _floor(value: Fraction, unit: Fraction) -> Fraction:
    if value <= 0:
        return Fraction(0)
    return math.floor(value / unit) * unit


def _need(value: object, name: str, limit: str, pack: Pack) -> object:
    if value is None:
        raise InputError(name, None, f"a value: the {pack.name} pack's {limit} limit needs it")
    return value


def _need_term(term: int | None, limit: str, pack: Pack) -> int:
    if term is None:
        raise InputError(
            "months", None, f"the term in months: the {pack.name} pack's {limit} limit needs it"
        )
    return term


def _ltv(rules: QuotaRules, second_home: bool) -> Sourced[Fraction] | None:
    specific = rules.ltv_second_home if second_home else rules.ltv_first_home
    return specific if specific is not None else rules.ltv


def _multiple(rules: QuotaRules, second_home: bool) -> Sourced[Fraction] | None:
    if second_home and rules.balance_multiple_second_home is not None:
        return rules.balance_multiple_second_home
    return rules.balance_multiple


class _Deprecated(TypedDict, total=False):
    """Keywords :func:`loan_quota` still takes under their old names."""

    first_home: bool


def _second_home(second_home: object, deprecated: dict[str, object]) -> bool:
    """``second_home``, or the inverse of the deprecated ``first_home`` (never both)."""
    unknown = sorted(set(deprecated) - {"first_home"})
    if unknown:
        raise TypeError(f"loan_quota() got an unexpected keyword argument {unknown[0]!r}")
    if "first_home" not in deprecated:
        return False if second_home is None else to_flag(second_home, "second_home")
    first_home = deprecated["first_home"]
    if second_home is not None:
        raise InputError(
            "first_home",
            first_home,
            "None when second_home is given (first_home is the deprecated spelling of "
            "second_home=not first_home: give only second_home)",
        )
    warnings.warn(
        "loan_quota(first_home=...) is deprecated: use second_home= (second_home=not first_home, "
        "the name Loan and provident_rate use); first_home will be removed in gjjcalc 0.3",
        DeprecationWarning,
        stacklevel=3,
    )
    return not to_flag(first_home, "first_home")


def _present_value(spare: Fraction, monthly_rate: Fraction, months: int) -> Fraction:
    """The principal a level payment ``spare`` repays over ``months`` (annuity)."""
    if monthly_rate == 0:
        return spare * months
    growth = (1 + monthly_rate) ** months
    return spare * (growth - 1) / (monthly_rate * growth)


def _region_cap(pack: Pack, area: object) -> Limit:
    area = _need(area, "area", "region cap", pack)
    if isinstance(area, str):
        wanted = area.strip()
        for group in pack.quota.region_caps:
            if wanted in group.areas:
                return Limit(
                    "region_cap",
                    yuan(group.cap.value),
                    group.cap.source,
                    f"最高贷款额度 for a purchase in {wanted}",
                )
        for name, first in pack.pending_areas:
            if name == wanted:
                raise InputError(
                    "on",
                    pack.on.isoformat() if pack.on else None,
                    f"a date on or after {first} (the {pack.name} pack's first cap for {wanted} is in force then)",
                )
    names = ", ".join(a for g in pack.quota.region_caps for a in g.areas)
    raise InputError("area", area, f"a purchase location the {pack.name} pack names: {names}")


# --- caps by household, uplifts, top caps -------------------------------------------------


def _pick_cap(
    rules: QuotaRules, prefix: str, second: bool, couple: bool | None, pack: Pack
) -> tuple[str, Sourced[Fraction]] | None:
    """The most specific cap key the pack has for this home and household (see QuotaRules)."""
    stems = [f"{prefix}_second_home" if second else f"{prefix}_first_home", prefix]
    for stem in stems:
        single, pair = getattr(rules, f"{stem}_single"), getattr(rules, f"{stem}_couple")
        if single is not None or pair is not None:
            if couple is None:
                raise InputError(
                    "couple",
                    None,
                    f"True (夫妻双方缴存: both spouses contribute and apply together) or False "
                    f"(one borrower): the {pack.name} pack's {stem} differs by household",
                )
            key = f"{stem}_couple" if couple else f"{stem}_single"
            found: Sourced[Fraction] | None = getattr(rules, key)
            if found is not None:
                return key, found
        general: Sourced[Fraction] | None = getattr(rules, stem)
        if general is not None:
            return stem, general
    return None


def _uplift_applies(uplift: UpliftRules, second: bool) -> bool:
    if uplift.home is None:
        return True
    return uplift.home.value == ("second" if second else "first")


def _cap_limit(
    rules: QuotaRules,
    pack: Pack,
    *,
    second: bool,
    couple: bool | None,
    wanted: tuple[str, ...],
) -> tuple[tuple[str, Fraction, str, str], tuple[str, ...], tuple[Limit, ...]] | None:
    """The household cap with its uplifts, bounded by the top cap: (raw limit, keys, uplifts)."""
    names = {u.name: u for u in rules.uplifts}
    for name in wanted:
        if name not in names:
            allowed = ", ".join(repr(n) for n in names) or "(none: the pack has no uplifts)"
            raise InputError("uplifts", name, f"names of the {pack.name} pack's uplifts: {allowed}")
    base = _pick_cap(rules, "cap", second, couple, pack)
    if base is None:
        if wanted:
            raise InputError(
                "uplifts", list(wanted), f"no uplifts: the {pack.name} pack has no cap for them to raise"
            )
        return None
    key, cap = base
    chosen = [
        u
        for u in rules.uplifts
        if (u.name in wanted or (u.name == "first_home" and not second)) and _uplift_applies(u, second)
    ]
    added: list[tuple[UpliftRules, Fraction]] = []
    for u in chosen:
        if u.share is not None:
            added.append((u, cap.value * u.share.value))
        else:
            assert u.amount is not None
            added.append((u, u.amount.value))
    combine = rules.uplift_combine.value if rules.uplift_combine is not None else "sum"
    if combine == "sum":
        raised = sum((v for _, v in added), Fraction(0))
    else:
        raised = max((v for _, v in added), default=Fraction(0))
    total = cap.value + raised
    detail = f"{key} {yuan(cap.value)}"
    for u, v in added:
        how = f"{float(u.share.value) * 100:.4g}%" if u.share is not None else "amount"
        detail += f" + {u.name} ({u.label}, {how}) {yuan(_floor(v, _FEN))}"
    if added and combine == "max":
        detail += f"; the uplifts do not add up, the largest counts: {yuan(_floor(raised, _FEN))}"
    used = [key]
    sources = [cap.source]
    top = _pick_cap(rules, "top_cap", second, couple, pack)
    if top is not None:
        top_key, top_cap = top
        used.append(top_key)
        sources.append(top_cap.source)
        if total > top_cap.value:
            detail += f" = {yuan(total)}, bounded by {top_key} {yuan(top_cap.value)}"
            total = top_cap.value
        else:
            detail += f" = {yuan(total)}, within {top_key} {yuan(top_cap.value)}"
    elif added:
        detail += f" = {yuan(total)}"
    skipped = [u.name for u in rules.uplifts if u.name in wanted and u not in chosen]
    if skipped:
        kind = "a second home" if second else "a first home"
        detail += f" ({', '.join(skipped)}: not for {kind})"
    uplifts = tuple(
        Limit(u.name, yuan(_floor(v, _FEN)), (u.share or u.amount or u).source, u.label) for u, v in added
    )
    return ("cap", total, "; ".join(sources), detail), tuple(used), uplifts


# --- Guangzhou's form and monthly contributions ---------------------------------------------


def _contribution(value: object, name: str) -> Fraction:
    return to_amount(value, name, allow_zero=True)


def _months_to_retirement(
    birth: object, sex: object, original_age: object, day: date, *, prefix: str, pack: Pack
) -> tuple[int, date]:
    """Whole months from ``day`` to the statutory retirement date (0 once it has passed)."""
    if birth is None:
        raise InputError(
            f"{prefix}birth",
            None,
            f"a date of birth: the {pack.name} pack counts the months to statutory retirement",
        )
    try:
        retire = retirement_date(
            to_date(birth, "birth"),
            sex,  # type: ignore[arg-type]  # checked by retirement_date
            original_age,  # type: ignore[arg-type]
        )
    except InputError as err:
        raise InputError(f"{prefix}{err.name}", err.value, err.allowed) from None
    return max(_months_until(day, retire), 0), retire


def _statutory(sex: str, age: int) -> bool:
    """True when a pack's retirement age is an original statutory age the 2024 decision delays."""
    return age == 60 if sex == "male" else age in (50, 55)


def _months_until(start: date, end: date) -> int:
    """The most whole months ``n`` with ``start + n months`` on or before ``end`` (may be ≤ 0)."""
    n = (end.year - start.year) * 12 + (end.month - start.month)
    if start + relativedelta(months=n) > end:
        n -= 1
    return n


def _age_text(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} years {rest} months" if rest else f"{years}"


@dataclass(frozen=True, slots=True)
class _TermRule:
    """A rule that bounds the term: the longest allowed term in months and why."""

    name: str
    longest: int
    limit: RuleValue
    source: str
    why: str


def _age_rule(
    rules_pack: Pack,
    *,
    sex: object,
    age: object,
    birth: object,
    day: date,
) -> _TermRule:
    rules = rules_pack.quota
    if isinstance(sex, str) and sex.strip() in ("男", "女"):
        sex = "male" if sex.strip() == "男" else "female"
    if sex not in ("male", "female"):
        raise InputError(
            "sex", sex, f"'male' or 'female' (the {rules_pack.name} pack's age limit needs it)"
        )
    ret = rules.retirement_age_male if sex == "male" else rules.retirement_age_female
    if ret is None:
        raise InputError("sex", sex, f"a sex the {rules_pack.name} pack gives a retirement age for")
    extra = rules.age_extra_years.value if rules.age_extra_years is not None else 0
    delayed = _statutory(sex, ret.value)
    source = f"{ret.source}; retirement ages delayed by {DECISION}" if delayed else ret.source
    plus = f" + {extra} years" if extra else ""
    if birth is not None:
        if age is not None:
            raise InputError("age", age, "None when birth is given (give age or birth, not both)")
        born = to_date(birth, "birth")
        if born > day - relativedelta(years=16):
            raise InputError("birth", birth, f"a date of birth at least 16 years before {day}")
        try:
            if delayed:
                retire = retirement_date(born, sex, ret.value)
                what = f"statutory retirement on {retire}"
            else:
                retire = born + relativedelta(years=ret.value)
                what = f"age {ret.value} on {retire}"
            end = retire + relativedelta(years=extra)
        except (OverflowError, ValueError, InputError):
            raise InputError(
                "birth", birth, "a date of birth whose age limit falls before the year 10000"
            ) from None
        return _TermRule(
            "age",
            _months_until(day, end),
            end,
            source,
            f"the term from {day} must end by {end} ({what}{plus})",
        )
    years = to_months(_need(age, "age", "age", rules_pack), "age", minimum=16, maximum=100)
    if delayed:
        # the earliest birth consistent with this age on that day has the smallest delay
        try:
            earliest = day - relativedelta(years=years + 1) + timedelta(days=1)
        except (OverflowError, ValueError):
            raise InputError(
                "on", day, f"a day at least {years + 1} years after 0001-01-01"
            ) from None
        ret_months = retirement_age_months(earliest, sex, ret.value)
        what = f"the statutory retirement age {_age_text(ret_months)} for age {years} on {day}"
    else:
        ret_months = ret.value * 12
        what = f"age {ret.value}"
    limit_months = ret_months + extra * 12
    return _TermRule(
        "age",
        limit_months - years * 12,
        limit_months // 12 if limit_months % 12 == 0 else _age_text(limit_months),
        source,
        f"age {years} + term must not exceed {_age_text(limit_months)} ({what}{plus})",
    )


def _house_years(house_age: object, year_built: object, day: date) -> int | None:
    years = (
        to_months(house_age, "house_age", minimum=0, maximum=200) if house_age is not None else None
    )
    if year_built is None:
        return years
    built = to_months(year_built, "year_built", minimum=day.year - 200, maximum=day.year)
    if years is not None and years != day.year - built:
        raise InputError(
            "year_built",
            year_built,
            f"a year consistent with house_age={years} on {day} ({day.year - years}), or only one of them",
        )
    return day.year - built


def loan_quota(
    pack: Pack | str,
    *,
    area: str | None = None,
    house_price: object = None,
    paid_amount: object = None,
    second_home: bool | None = None,
    house_type: str | None = None,
    house_age: object = None,
    year_built: object = None,
    months: object = None,
    annual_rate: object = None,
    monthly_income: object = None,
    monthly_debt: object = 0,
    balance: object = None,
    spouse_balance: object = None,
    age: object = None,
    birth: date | str | None = None,
    sex: str | None = None,
    on: date | str | None = None,
    has_unsettled_loan: bool = False,
    monthly_contribution: object = None,
    combined_ratio: object = None,
    enforce: bool = False,
    couple: bool | None = None,
    uplifts: Sequence[str] = (),
    original_age: int | None = None,
    supplementary_contribution: object = None,
    spouse_monthly_contribution: object = None,
    spouse_supplementary_contribution: object = None,
    spouse_birth: date | str | None = None,
    spouse_sex: str | None = None,
    spouse_original_age: int | None = None,
    **deprecated: Unpack[_Deprecated],
) -> QuotaResult:
    """The largest provident fund loan a center allows (贷款额度), and its term.

    Parameters
    ----------
    pack : Pack or str
        The center pack.
    area : str, optional
        Purchase location, for region caps (Liangshan: ``"西昌市"``,
        ``"会理县"`` or ``"会理市"`` …).
    house_price : amount, optional
        The price (房价总额), for a loan-to-value limit and the unpaid price.
    paid_amount : amount, optional
        The amount already paid (已付金额), from 0 up to the price: the loan
        is at most the unpaid part of the price (required where the pack
        says so: Qingdao).
    second_home : bool, optional
        A second home (二套, as ``Loan(second_home=)`` and
        :func:`~gjjcalc.rules.provident_rate` say it): selects the pack's
        second-home ratios, multiples and caps where it has them. Default
        ``False`` (a first home, 首套).
    house_type : str, optional
        One of the pack's house types (Qingdao: 普通商品住房, 再交易住房 …).
    house_age : int, optional
        Age of a second-hand house in whole years (房龄).
    year_built : int, optional
        The year the house was built (建成年代); its age is the year of ``on``
        minus this year. Give it or ``house_age``.
    months : int, optional
        The term asked for, in months, for repayment capacity and the term
        limits (it is shortened to the longest one they allow).
    annual_rate : rate, optional
        Annual rate, for repayment capacity in annuity mode.
    monthly_income : amount, optional
        Declared monthly income; or give ``monthly_contribution`` and
        ``combined_ratio`` (employer + employee) to infer it.
    monthly_debt : amount
        Existing monthly repayments, subtracted from the capacity.
    balance, spouse_balance : amount, optional
        Fund balances, for a balance-multiple limit.
    age : int, optional
        The borrower's age in whole years on ``on``, with ``sex``, for an age
        limit. Or give ``birth``.
    birth : date or str, optional
        The borrower's date of birth, for an exact age limit (instead of ``age``).
    sex : str, optional
        ``"male"`` or ``"female"`` (also ``"男"`` / ``"女"``), for an age limit.
    on : date or str, optional
        The day the quota is asked for (the loan starts then): the term limits
        count from it and a house's age from ``year_built`` is counted to its
        year; a dated pack's constants (versions with ``effective`` dates)
        are the ones in force on it (:meth:`~gjjcalc.rules.Pack.in_force`).
        Default: today.
    has_unsettled_loan : bool
        The borrower still owes a provident fund loan.
    enforce : bool
        Raise :class:`~gjjcalc.errors.RuleViolation` on a refusal.
    couple : bool, optional
        ``True`` when both spouses contribute and apply together (夫妻双方缴存),
        ``False`` for one borrower: picks the pack's ``cap_couple`` or
        ``cap_single`` (and the ``top_cap`` keys); needed only where the pack
        distinguishes them.
    uplifts : sequence of str
        The uplifts of the pack's cap the borrower qualifies for (Shenzhen:
        ``"multi_child"`` …; see ``pack.quota.uplifts``). The uplift named
        ``first_home`` applies to every first home without being named.
    original_age : int, optional
        The borrower's original statutory retirement age (原法定退休年龄: 60
        for a man, the default; 50 or 55 for a woman, required), for a pack
        that counts the months to retirement (``formula_months =
        "to_retirement"``, with ``birth`` and ``sex``).
    supplementary_contribution, spouse_supplementary_contribution : amount, optional
        Monthly supplementary contributions (补充住房公积金月缴存额), counted
        where the pack says so (``supplementary_included``).
    spouse_monthly_contribution : amount, optional
        The spouse's monthly contribution (employee + employer), for the
        contribution forms.
    spouse_birth, spouse_sex, spouse_original_age : optional
        The spouse's birth date, sex and original retirement age, for the
        months to the spouse's retirement (Guangzhou's form with a spouse's
        contribution).
    **deprecated
        ``first_home=x`` (deprecated, a keyword only) is ``second_home=not x`` and warns
        with a ``DeprecationWarning``; giving both is an ``InputError``. It will be
        removed in gjjcalc 0.3.

    Returns
    -------
    QuotaResult
        ``amount`` (Decimal, 0 when refused), ``binding``, ``limits``,
        ``reasons`` (the refusals), ``months`` (the term the amount is for:
        the requested term, or the longest one the term limits allow),
        ``requested_months`` and ``shortened_by`` (each term limit the request
        exceeded, with the longest term it allows; the one that set ``months``
        first). Every limit is rounded down to the pack's ``unit``; ``amount``
        equals the smallest.

    Raises
    ------
    InputError
        For a bad argument, a fact an enabled limit needs but was not given,
        an area or house type the pack does not name, or a pack that enables
        no amount limit (when the request is not refused).
    RuleViolation
        With ``enforce=True``, when a gate refuses (a shortened term is not a
        refusal).

    Notes
    -----
    Amount limits: region cap; the household cap (``cap``: the pack's
    ``cap_single``, ``cap_couple``, ``cap_first_home_couple``,
    ``cap_second_home`` … for the home and
    the household, plus its uplifts, added up or the largest only as
    ``uplift_combine`` says, bounded by the matching ``top_cap``);
    Guangzhou's form (``balance_and_contributions``: for the borrower and the
    spouse, balance × ``formula_balance_multiple`` + monthly contribution ×
    months × ``formula_factor``, the months counted to statutory retirement
    or over the term as ``formula_months`` says); monthly contributions ×
    ``contribution_multiple`` (``monthly_contributions``);
    ``house_price × ltv``;
    ``(balance + spouse_balance) × multiple`` (a pack floor lifts a small
    balance); repayment capacity ``spare = income × ratio − monthly_debt``
    turned into principal as an annuity at ``annual_rate`` over the term or
    linearly as ``spare × months``; the unpaid price ``house_price −
    paid_amount`` when the amount paid is given.

    Term limits shorten the term instead of refusing: the maximum term; house
    age + term in years at most the pack's limit (so the longest term is
    ``(limit − house age) × 12``); the age limit, age + term at most the
    retirement age + the pack's extra years. A pack's retirement age of 60
    (men) or 50 or 55 (women) is the original statutory age, delayed under
    全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13, in force
    2025-01-01, https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm,
    see :func:`~gjjcalc.rules.retirement_date`); any other age is a fixed one.
    With ``birth`` the term ends on or before that date plus the extra years;
    with ``age`` alone, in whole years as centers state it, the delayed age is
    the one of the earliest birth consistent with ``age`` on ``on`` (the
    smallest, so the term is never longer than the exact one). Only a limit
    that leaves no term at all refuses.

    Gates (refusals): an unsettled loan (Qingdao's personal web hall
    manual, 贷款额度计算: 贷款尚未结清，不能进行贷款额度试算); a house older than
    the pack's maximum (Qingdao: 房龄超过30年不予计算).

    Examples
    --------
    Liangshan, a 700,000 home in 西昌市: 80% of the price (560,000) is below
    the 600,000 cap, so the loan-to-value binds.

    >>> q = loan_quota("liangshan", area="西昌市", house_price=700_000)
    >>> q.amount, q.binding
    (Decimal('560000.00'), 'loan_to_value')
    >>> [(l.name, l.value) for l in q.limits]
    [('region_cap', Decimal('600000.00')), ('loan_to_value', Decimal('560000.00'))]

    Qingdao's trial: a 1,000,000 second-hand house built in 2005, 300,000
    already paid; the loan is at most the unpaid 700,000:

    >>> q = loan_quota("qingdao", house_type="再交易住房", house_price=1_000_000,
    ...                paid_amount=300_000, year_built=2005, on="2026-06-01")
    >>> q.amount, q.binding
    (Decimal('700000.00'), 'unpaid_price')

    Qingdao refuses a second-hand house older than 30 years:

    >>> loan_quota("qingdao", house_type="再交易住房", year_built=1990, on="2026-06-01").binding
    'house_age'
    """
    day = to_date(on, "on") if on is not None else date.today()
    rules_pack = load_pack(pack).in_force(day)  # a dated pack's constants as in force on the day
    rules = rules_pack.quota
    unit = rules.unit.value if rules.unit is not None else _FEN
    unit_text = f"rounded down to {yuan(unit)}"
    second = _second_home(second_home, dict(deprecated))
    unsettled = to_flag(has_unsettled_loan, "has_unsettled_loan")
    enforce = to_flag(enforce, "enforce")
    requested = to_months(months) if months is not None else None
    house_years = _house_years(house_age, year_built, day)

    reasons: list[Reason] = []
    if (
        rules.house_types is not None
        and house_type is not None
        and house_type not in rules.house_types.value
    ):
        allowed = ", ".join(rules.house_types.value)
        raise InputError(
            "house_type", house_type, f"one of the {rules_pack.name} pack's house types: {allowed}"
        )
    if (
        rules.unsettled_loan_refused is not None
        and rules.unsettled_loan_refused.value
        and unsettled
    ):
        reasons.append(
            Reason(
                "unsettled_loan",
                True,
                rules.unsettled_loan_refused.source,
                "the borrower has an unsettled provident fund loan",
            )
        )
    if rules.house_age_max is not None:
        second_hand = (
            rules.second_hand_types is not None and house_type in rules.second_hand_types.value
        )
        if second_hand and house_years is None:
            raise InputError(
                "house_age",
                None,
                f"the age of the {house_type} in years, or year_built (the {rules_pack.name} pack limits it)",
            )
        if house_years is not None and house_years > rules.house_age_max.value:
            reasons.append(
                Reason(
                    "house_age",
                    rules.house_age_max.value,
                    rules.house_age_max.source,
                    f"the house is {house_years} years old, more than {rules.house_age_max.value}",
                )
            )

    term_rules: list[_TermRule] = []
    if rules.max_term_months is not None and requested is not None:
        term_rules.append(
            _TermRule(
                "max_term",
                rules.max_term_months.value,
                rules.max_term_months.value,
                rules.max_term_months.source,
                f"the longest term is {rules.max_term_months.value} months",
            )
        )
    if rules.house_age_plus_term_max is not None and house_years is not None:
        limit = rules.house_age_plus_term_max.value
        _need_term(requested, "house age + term", rules_pack)
        term_rules.append(
            _TermRule(
                "house_age_plus_term",
                (limit - house_years) * 12,
                limit,
                rules.house_age_plus_term_max.source,
                f"house age {house_years} + term in years must not exceed {limit}",
            )
        )
    if rules.retirement_age_male is not None or rules.retirement_age_female is not None:
        rule = _age_rule(rules_pack, sex=sex, age=age, birth=birth, day=day)
        _need_term(requested, "age", rules_pack)
        term_rules.append(rule)

    term = requested
    shortened: tuple[Reason, ...] = ()
    if requested is not None and term_rules:
        for rule in term_rules:
            if rule.longest < 1:
                reasons.append(
                    Reason(rule.name, rule.limit, rule.source, f"no term is allowed: {rule.why}")
                )
        exceeded = sorted(
            (r for r in term_rules if 1 <= r.longest < requested), key=lambda r: r.longest
        )
        shortened = tuple(
            Reason(
                r.name,
                r.longest,
                r.source,
                f"a {requested}-month term is too long: {r.why}; the longest is {r.longest} months",
            )
            for r in exceeded
        )
        term = min([requested, *(r.longest for r in term_rules)])

    if reasons:
        found = tuple(reasons)
        raise_if(enforce, found)
        refusals = tuple(Limit(r.name, Decimal("0.00"), r.source, r.message) for r in found)
        return QuotaResult(
            Decimal("0.00"), found[0].name, refusals, found, None, requested, shortened
        )

    raw: list[tuple[str, Fraction, str, str]] = []
    if rules.region_caps or rules_pack.pending_areas:  # a dated cap not yet in force is an error
        cap = _region_cap(rules_pack, area)
        raw.append((cap.name, Fraction(cap.value), cap.source, cap.detail))
    ltv = _ltv(rules, second)
    if ltv is not None:
        price = to_amount(
            _need(house_price, "house_price", "loan-to-value", rules_pack), "house_price"
        )
        raw.append(
            (
                "loan_to_value",
                price * ltv.value,
                ltv.source,
                f"{yuan(price)} × {float(ltv.value):.4g}",
            )
        )
    within = rules.within_unpaid_price
    if paid_amount is not None or (within is not None and within.value):
        price = to_amount(
            _need(house_price, "house_price", "unpaid price", rules_pack), "house_price"
        )
        paid = to_amount(
            _need(paid_amount, "paid_amount", "unpaid price", rules_pack),
            "paid_amount",
            allow_zero=True,
        )
        if paid > price:
            raise InputError(
                "paid_amount", paid_amount, f"an amount from 0 up to the price {yuan(price)}"
            )
        raw.append(
            (
                "unpaid_price",
                price - paid,
                within.source if within is not None and within.value else _UNPAID,
                f"房价总额 {yuan(price)} − 已付金额 {yuan(paid)}",
            )
        )
    multiple = _multiple(rules, second)
    if multiple is not None:
        own = to_amount(
            _need(balance, "balance", "balance multiple", rules_pack), "balance", allow_zero=True
        )
        spouse = (
            to_amount(spouse_balance, "spouse_balance", allow_zero=True)
            if spouse_balance is not None
            else Fraction(0)
        )
        held = own + spouse
        floor = rules.balance_floor
        if floor is not None and held < floor.value:
            held = floor.value
        raw.append(
            (
                "balance_multiple",
                held * multiple.value,
                multiple.source,
                f"balances {yuan(held)} × {multiple.value}",
            )
        )
    if rules.capacity_ratio is not None:
        ratio = rules.capacity_ratio
        if monthly_income is not None:
            income = to_amount(monthly_income, "monthly_income")
        elif monthly_contribution is not None and combined_ratio is not None:
            contribution = to_amount(monthly_contribution, "monthly_contribution")
            share = to_rate(combined_ratio, "combined_ratio", what="a ratio of income")
            if share == 0:
                raise InputError("combined_ratio", combined_ratio, "a ratio greater than 0")
            income = contribution / share
        else:
            raise InputError(
                "monthly_income",
                None,
                f"a monthly income, or monthly_contribution and combined_ratio (the {rules_pack.name} pack's repayment capacity limit needs it)",
            )
        debt = to_amount(monthly_debt, "monthly_debt", allow_zero=True)
        n = _need_term(term, "repayment capacity", rules_pack)
        spare = max(income * ratio.value - debt, Fraction(0))
        mode = rules.capacity_mode.value if rules.capacity_mode is not None else "annuity"
        if mode == "annuity":
            rate = to_rate(_need(annual_rate, "annual_rate", "repayment capacity", rules_pack))
            principal = _present_value(spare, rate / 12, n)
        else:
            principal = spare * n
        raw.append(
            (
                "repayment_capacity",
                principal,
                ratio.source,
                f"({yuan(income)} × {float(ratio.value):.4g} − {yuan(debt)}) a month over {n} months, {mode}",
            )
        )
    couple_flag = to_flag(couple, "couple") if couple is not None else None
    if isinstance(uplifts, str) or not isinstance(uplifts, Sequence | set | frozenset):
        raise InputError("uplifts", uplifts, "a list of uplift names, e.g. ['multi_child']")
    wanted = tuple(uplifts)
    for name in wanted:
        if not isinstance(name, str):
            raise InputError("uplifts", name, "uplift names (strings)")
    capped = _cap_limit(rules, rules_pack, second=second, couple=couple_flag, wanted=wanted)
    caps_used: tuple[str, ...] = ()
    applied: tuple[Limit, ...] = ()
    if capped is not None:
        entry, caps_used, applied = capped
        raw.insert(1 if rules.region_caps or rules_pack.pending_areas else 0, entry)
    supplementary = rules.supplementary_included is not None and rules.supplementary_included.value

    def monthly(value: object, name: str, extra: object, extra_name: str) -> Fraction:
        total = _contribution(value, name)
        if supplementary and extra is not None:
            total += _contribution(extra, extra_name)
        return total

    if rules.formula_balance_multiple is not None:
        k = rules.formula_balance_multiple
        how = rules.formula_months.value if rules.formula_months is not None else "to_retirement"
        factor = rules.formula_factor.value if rules.formula_factor is not None else Fraction(1)
        own_balance = to_amount(
            _need(balance, "balance", "balance and contributions", rules_pack), "balance", allow_zero=True
        )
        own_monthly = monthly(
            _need(monthly_contribution, "monthly_contribution", "balance and contributions", rules_pack),
            "monthly_contribution",
            supplementary_contribution,
            "supplementary_contribution",
        )
        people = [("borrower", own_balance, own_monthly, birth, sex, original_age, "")]
        if spouse_balance is not None or spouse_monthly_contribution is not None:
            people.append(
                (
                    "spouse",
                    _contribution(spouse_balance, "spouse_balance") if spouse_balance is not None else Fraction(0),
                    monthly(
                        spouse_monthly_contribution, "spouse_monthly_contribution",
                        spouse_supplementary_contribution, "spouse_supplementary_contribution",
                    )
                    if spouse_monthly_contribution is not None
                    else Fraction(0),
                    spouse_birth,
                    spouse_sex,
                    spouse_original_age,
                    "spouse_",
                )
            )
        value = Fraction(0)
        parts = []
        for who, held, paid, born, person_sex, person_age, prefix in people:
            if how == "term":
                n = _need_term(term, "balance and contributions", rules_pack)
                until = f"{n} months of the term"
            elif paid == 0:
                n, until = 0, "no contribution"
            else:
                n, retire = _months_to_retirement(
                    born, person_sex, person_age, day, prefix=prefix, pack=rules_pack
                )
                until = f"{n} months to retirement on {retire}"
            value += held * k.value + paid * n * factor
            times = f" × {factor}" if factor != 1 else ""
            parts.append(f"{who}: {yuan(held)} × {k.value} + {yuan(paid)} × {n}{times} ({until})")
        sources = [k.source] + [c.source for c in (rules.formula_months, rules.formula_factor) if c is not None]
        raw.append(("balance_and_contributions", value, "; ".join(sources), "; ".join(parts)))
    if rules.contribution_multiple is not None:
        m = rules.contribution_multiple
        paid = monthly(
            _need(monthly_contribution, "monthly_contribution", "monthly contributions", rules_pack),
            "monthly_contribution",
            supplementary_contribution,
            "supplementary_contribution",
        )
        if spouse_monthly_contribution is not None:
            paid += monthly(
                spouse_monthly_contribution, "spouse_monthly_contribution",
                spouse_supplementary_contribution, "spouse_supplementary_contribution",
            )
        counted = "monthly contributions" + (" with the supplementary ones" if supplementary else "")
        raw.append(
            ("monthly_contributions", paid * m.value, m.source, f"{counted} {yuan(paid)} × {m.value} months")
        )
    if not raw:
        raise InputError(
            "pack",
            rules_pack.name,
            "a pack that enables an amount limit (region_cap, cap, ltv, balance_multiple, "
            "formula_balance_multiple, contribution_multiple or capacity_ratio); this one publishes none",
        )
    limits = tuple(
        Limit(name, yuan(_floor(value, unit)), source, f"{detail}, {unit_text}")
        for name, value, source, detail in raw
    )
    best = min(limits, key=lambda limit: limit.value)
    return QuotaResult(
        best.value, best.name, limits, (), term, requested, shortened, caps_used, applied
    )


def loan_from_area(*, price_per_m2: object, area_m2: object, down_payment: object) -> AreaLoan:
    """Ningxia's loan by floor area (按面积计算).

    Parameters
    ----------
    price_per_m2 : amount
        Price per square metre (元/平米), greater than 0.
    area_m2 : number
        Floor area in m², greater than 0, at most 2 decimals.
    down_payment : rate
        The down-payment ratio (首付), ``0.3`` or ``"30%"``, from 0 up to
        (not including) 1.

    Returns
    -------
    AreaLoan
        ``house_price`` = price × area and ``amount`` = price × area × (1 −
        down payment), each rounded half-up to the fen;
        ``down_payment`` = house price − amount.

    Raises
    ------
    InputError
        For a bad argument.

    Notes
    -----
    Ningxia's app manual (宁夏住房公积金《手机APP使用手册》, 贷款计算器) lists the
    inputs; the formula is the one public calculators with the same inputs
    use (贷款总额 = 单价 × 面积 × 按揭成数). The loan then follows the
    normal schedule.

    Examples
    --------
    >>> loan_from_area(price_per_m2=6500, area_m2="89.5", down_payment="30%")
    AreaLoan(house_price=Decimal('581750.00'), down_payment=Decimal('174525.00'), amount=Decimal('407225.00'))
    """
    price = to_amount(price_per_m2, "price_per_m2")
    try:
        area = to_amount(area_m2, "area_m2", maximum=Fraction(100_000))
    except InputError:
        raise InputError(
            "area_m2",
            area_m2,
            "an area in m² greater than 0 and at most 100000, with at most 2 decimals",
        ) from None
    ratio = to_rate(down_payment, "down_payment", what="a down payment as a share of the price")
    if ratio >= 1:
        raise InputError(
            "down_payment",
            down_payment,
            "a ratio from 0 up to (not including) 1, e.g. 0.3 or '30%'",
        )
    house = yuan(price * area)
    loan = yuan(price * area * (1 - ratio))
    return AreaLoan(house_price=house, down_payment=house - loan, amount=loan)
