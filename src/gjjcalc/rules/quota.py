"""Loan quota (贷款额度): the least of the limits a center's pack enables.

A center computes the largest loan as the minimum of
independent limits (region cap, house price × loan-to-value, account balance
× multiple, repayment capacity), after gates that refuse outright (an
unsettled loan, a too-old second-hand house, a term past the age limit).
Each limit is rounded down to the pack's unit (the fen when the pack states
none), so the quota is always exactly one of the limits, or 0 when refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from gjjcalc._display import Record, Ruled
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_flag, to_months, to_rate, yuan
from gjjcalc.rules.packs import Pack, QuotaRules, Sourced, load_pack
from gjjcalc.rules.results import Limit, Reason, raise_if

__all__ = ["AreaLoan", "QuotaResult", "loan_from_area", "loan_quota"]

_FEN = Fraction(1, 100)


@dataclass(frozen=True, slots=True)
class QuotaResult(Ruled):
    """A loan quota and what bound it.

    ``amount`` is the largest loan (0 when refused), ``binding`` the name of
    the limit or refusal that set it, ``limits`` every constraint considered
    (each rounded down to the pack's unit) and ``reasons`` the refusals.
    """

    amount: Decimal
    binding: str
    limits: tuple[Limit, ...]
    reasons: tuple[Reason, ...]

    @property
    def ok(self) -> bool:
        """True unless a gate refused the loan."""
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


def _ltv(rules: QuotaRules, first_home: bool) -> Sourced[Fraction] | None:
    specific = rules.ltv_first_home if first_home else rules.ltv_second_home
    return specific if specific is not None else rules.ltv


def _multiple(rules: QuotaRules, first_home: bool) -> Sourced[Fraction] | None:
    if not first_home and rules.balance_multiple_second_home is not None:
        return rules.balance_multiple_second_home
    return rules.balance_multiple


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
    names = ", ".join(a for g in pack.quota.region_caps for a in g.areas)
    raise InputError("area", area, f"a purchase location the {pack.name} pack names: {names}")


def loan_quota(
    pack: Pack | str,
    *,
    area: str | None = None,
    house_price: object = None,
    first_home: bool = True,
    house_type: str | None = None,
    house_age: object = None,
    months: object = None,
    annual_rate: object = None,
    monthly_income: object = None,
    monthly_debt: object = 0,
    balance: object = None,
    spouse_balance: object = None,
    age: object = None,
    sex: str | None = None,
    has_unsettled_loan: bool = False,
    monthly_contribution: object = None,
    combined_ratio: object = None,
    enforce: bool = False,
) -> QuotaResult:
    """The largest provident fund loan a center allows (贷款额度).

    Parameters
    ----------
    pack : Pack or str
        The center pack.
    area : str, optional
        Purchase location, for region caps (Liangshan: ``"西昌市"``,
        ``"会理县"`` or ``"会理市"`` …).
    house_price : amount, optional
        The price (房价总额), for a loan-to-value limit.
    first_home : bool
        First home (首套); ``False`` selects second-home ratios where the pack
        has them.
    house_type : str, optional
        One of the pack's house types (Qingdao: 普通商品住房, 再交易住房 …).
    house_age : int, optional
        Age of a second-hand house in whole years (房龄).
    months : int, optional
        Term in months, for repayment capacity and age/term limits.
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
        The borrower's age in whole years, with ``sex`` (``"male"`` or
        ``"female"``), for an age limit.
    has_unsettled_loan : bool
        The borrower still owes a provident fund loan.
    enforce : bool
        Raise :class:`~gjjcalc.errors.RuleViolation` on a refusal.

    Returns
    -------
    QuotaResult
        ``amount`` (Decimal, 0 when refused), ``binding``, ``limits`` and
        ``reasons``. Every limit is rounded down to the pack's ``unit``;
        ``amount`` equals the smallest.

    Raises
    ------
    InputError
        For a bad argument, a fact an enabled limit needs but was not given,
        an area or house type the pack does not name, or a pack that enables
        no amount limit (when the request is not refused).
    RuleViolation
        With ``enforce=True``, when a gate refuses.

    Notes
    -----
    Limits: region cap; ``house_price × ltv``;
    ``(balance + spouse_balance) × multiple`` (a pack floor lifts a small
    balance); repayment capacity ``spare = income × ratio − monthly_debt``
    turned into principal as an annuity at ``annual_rate`` over ``months``
    or linearly as ``spare × months``. Gates: unsettled loan (Qingdao manual §8.1),
    house age over the maximum (Qingdao manual §8.1: 30 years), house age + term,
    term beyond retirement age + extra years or the maximum term.

    Examples
    --------
    Liangshan, a 700,000 home in 西昌市: 80% of the price (560,000) is below
    the 600,000 cap, so the loan-to-value binds.

    >>> q = loan_quota("liangshan", area="西昌市", house_price=700_000)
    >>> q.amount, q.binding
    (Decimal('560000.00'), 'loan_to_value')
    >>> [(l.name, l.value) for l in q.limits]
    [('region_cap', Decimal('600000.00')), ('loan_to_value', Decimal('560000.00'))]

    Qingdao refuses a second-hand house older than 30 years:

    >>> loan_quota("qingdao", house_type="再交易住房", house_age=31).binding
    'house_age'
    """
    rules_pack = load_pack(pack)
    rules = rules_pack.quota
    unit = rules.unit.value if rules.unit is not None else _FEN
    unit_text = f"rounded down to {yuan(unit)}"
    first = to_flag(first_home, "first_home")
    unsettled = to_flag(has_unsettled_loan, "has_unsettled_loan")
    enforce = to_flag(enforce, "enforce")
    term = to_months(months) if months is not None else None
    house_years = (
        to_months(house_age, "house_age", minimum=0, maximum=200) if house_age is not None else None
    )

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
                f"the age of the {house_type} in years (the {rules_pack.name} pack limits it)",
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
    if rules.house_age_plus_term_max is not None and house_years is not None:
        limit = rules.house_age_plus_term_max.value
        term = _need_term(term, "house age + term", rules_pack)
        if house_years + math.ceil(term / 12) > limit:
            reasons.append(
                Reason(
                    "house_age_plus_term",
                    limit,
                    rules.house_age_plus_term_max.source,
                    f"house age {house_years} + term {math.ceil(term / 12)} years exceeds {limit}",
                )
            )
    if (
        rules.max_term_months is not None
        and term is not None
        and term > rules.max_term_months.value
    ):
        reasons.append(
            Reason(
                "max_term",
                rules.max_term_months.value,
                rules.max_term_months.source,
                f"a term of {term} months is longer than {rules.max_term_months.value}",
            )
        )
    if rules.retirement_age_male is not None or rules.retirement_age_female is not None:
        if sex not in ("male", "female"):
            raise InputError(
                "sex", sex, f"'male' or 'female' (the {rules_pack.name} pack's age limit needs it)"
            )
        ret = rules.retirement_age_male if sex == "male" else rules.retirement_age_female
        if ret is None:
            raise InputError(
                "sex", sex, f"a sex the {rules_pack.name} pack gives a retirement age for"
            )
        years = to_months(_need(age, "age", "age", rules_pack), "age", minimum=16, maximum=100)
        term = _need_term(term, "age", rules_pack)
        extra = rules.age_extra_years.value if rules.age_extra_years is not None else 0
        allowed_months = (ret.value + extra - years) * 12
        if term > allowed_months:
            reasons.append(
                Reason(
                    "age",
                    ret.value + extra,
                    ret.source,
                    f"a {term}-month term from age {years} ends after age {ret.value + extra}",
                )
            )

    if reasons:
        found = tuple(reasons)
        raise_if(enforce, found)
        refusals = tuple(Limit(r.name, Decimal("0.00"), r.source, r.message) for r in found)
        return QuotaResult(Decimal("0.00"), found[0].name, refusals, found)

    raw: list[tuple[str, Fraction, str, str]] = []
    if rules.region_caps:
        cap = _region_cap(rules_pack, area)
        raw.append((cap.name, Fraction(cap.value), cap.source, cap.detail))
    ltv = _ltv(rules, first)
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
    multiple = _multiple(rules, first)
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
    if not raw:
        raise InputError(
            "pack",
            rules_pack.name,
            "a pack that enables an amount limit (region_cap, ltv, balance_multiple or capacity_ratio); this one publishes none",
        )
    limits = tuple(
        Limit(name, yuan(_floor(value, unit)), source, f"{detail}, {unit_text}")
        for name, value, source, detail in raw
    )
    best = min(limits, key=lambda limit: limit.value)
    return QuotaResult(best.value, best.name, limits, ())


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
