"""Withdrawal caps (提取): how much a kind of withdrawal may take from the account.

A pack names the kinds its center offers and, for each, the caps and
conditions its source states. Every cap is also limited by the
account balance: no withdrawal ever exceeds it. A kind whose source states
no cap is limited by the balance alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from gjjcalc._display import Ruled
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_flag, to_months, yuan
from gjjcalc.rules.packs import Pack, WithdrawalRules, load_pack
from gjjcalc.rules.results import Limit, Reason, raise_if

__all__ = ["FACTS", "WithdrawalResult", "withdrawal_cap"]

FACTS = (
    "price_paid",
    "annual_rent",
    "annual_household_income",
    "repaid_last_year",
    "loan_amount",
    "withdrawn_for_loan",
    "remaining_principal_and_interest",
    "spouse_withdrawal",
    "medical_costs",
    "costs",
    "age",
    "sex",
    "account_sealed",
    "has_unsettled_loan",
    "months_unemployed",
    "months_sealed",
)
"""Every fact :func:`withdrawal_cap` accepts as a keyword."""

_FEN = Fraction(1, 100)


@dataclass(frozen=True, slots=True)
class WithdrawalResult(Ruled):
    """A withdrawal cap and what bound it.

    ``amount`` is the most that may be withdrawn (0 when refused), never more
    than the balance; ``binding`` names the limit or refusal that set it;
    ``limits`` lists every cap considered; ``reasons`` the refusals;
    ``closes_account`` is true for a full withdrawal (全额提取, 销户).
    """

    kind: str
    amount: Decimal
    binding: str
    limits: tuple[Limit, ...]
    reasons: tuple[Reason, ...]
    closes_account: bool

    @property
    def ok(self) -> bool:
        """True unless a condition refused the withdrawal."""
        return not self.reasons


class _Facts:
    def __init__(self, facts: dict[str, object], kind: str, pack: Pack) -> None:
        for key in facts:
            if key not in FACTS:
                raise InputError(key, facts[key], "a withdrawal fact, one of " + ", ".join(FACTS))
        self.facts = facts
        self.where = f"the {pack.name} pack's {kind!r} withdrawal needs it"

    def amount(self, key: str, *, default: Fraction | None = None) -> Fraction:
        if key not in self.facts or self.facts[key] is None:
            if default is not None:
                return default
            raise InputError(key, None, f"an amount in yuan ({self.where})")
        return to_amount(self.facts[key], key, allow_zero=True)

    def flag(self, key: str) -> bool:
        value = self.facts.get(key)
        try:
            return to_flag(value, key)
        except InputError:
            raise InputError(key, value, f"True or False ({self.where})") from None

    def count(self, key: str, minimum: int, maximum: int) -> int:
        if self.facts.get(key) is None:
            raise InputError(key, None, f"an integer from {minimum} to {maximum} ({self.where})")
        return to_months(self.facts[key], key, minimum=minimum, maximum=maximum)


def _conditions(rules: WithdrawalRules, facts: _Facts) -> list[Reason]:
    reasons: list[Reason] = []
    if rules.retirement_age_male is not None or rules.retirement_age_female is not None:
        sex = facts.facts.get("sex")
        if sex not in ("male", "female"):
            raise InputError("sex", sex, f"'male' or 'female' ({facts.where})")
        ages = rules.retirement_age_male if sex == "male" else rules.retirement_age_female
        if ages is None:
            raise InputError("sex", sex, "a sex the pack gives a retirement age for")
        age = facts.count("age", 0, 130)
        if age < ages.value:
            reasons.append(
                Reason(
                    "retirement_age",
                    ages.value,
                    ages.source,
                    f"a {sex} employee aged {age} is under {ages.value}",
                )
            )
    if (
        rules.account_sealed is not None
        and rules.account_sealed.value
        and not facts.flag("account_sealed")
    ):
        reasons.append(
            Reason(
                "account_sealed",
                True,
                rules.account_sealed.source,
                "the account is not sealed (封存)",
            )
        )
    if (
        rules.loan_settled is not None
        and rules.loan_settled.value
        and facts.flag("has_unsettled_loan")
    ):
        reasons.append(
            Reason(
                "loan_settled",
                True,
                rules.loan_settled.source,
                "a provident fund loan is not settled",
            )
        )
    more = rules.unemployed_months_more_than
    if more is not None:
        months = facts.count("months_unemployed", 0, 1200)
        if not months > more.value:
            reasons.append(
                Reason(
                    "unemployed_months",
                    more.value,
                    more.source,
                    f"{months} months without work is not more than {more.value}",
                )
            )
    least = rules.unemployed_months_at_least
    if least is not None:
        months = facts.count("months_unemployed", 0, 1200)
        if months < least.value:
            reasons.append(
                Reason(
                    "unemployed_months",
                    least.value,
                    least.source,
                    f"{months} months without work is fewer than {least.value}",
                )
            )
    sealed = rules.sealed_months_at_least
    if sealed is not None:
        months = facts.count("months_sealed", 0, 1200)
        if months < sealed.value:
            reasons.append(
                Reason(
                    "sealed_months",
                    sealed.value,
                    sealed.source,
                    f"the account has been sealed {months} months, fewer than {sealed.value}",
                )
            )
    return reasons


def _caps(rules: WithdrawalRules, facts: _Facts) -> list[tuple[str, Fraction, str, str]]:
    caps: list[tuple[str, Fraction, str, str]] = []
    if rules.within_price_paid is not None and rules.within_price_paid.value:
        paid = facts.amount("price_paid")
        caps.append(("price_paid", paid, rules.within_price_paid.source, "the price paid"))
    if rules.within_repaid is not None and rules.within_repaid.value:
        repaid = facts.amount("repaid_last_year")
        caps.append(
            ("repaid_last_year", repaid, rules.within_repaid.source, "repaid in the last year")
        )
    if rules.total_within_loan is not None and rules.total_within_loan.value:
        loan = facts.amount("loan_amount")
        before = facts.amount("withdrawn_for_loan", default=Fraction(0))
        caps.append(
            (
                "loan_amount",
                max(loan - before, Fraction(0)),
                rules.total_within_loan.source,
                f"the loan {yuan(loan)} less {yuan(before)} already withdrawn for it",
            )
        )
    if rules.couple_within_remaining is not None and rules.couple_within_remaining.value:
        remaining = facts.amount("remaining_principal_and_interest")
        spouse = facts.amount("spouse_withdrawal", default=Fraction(0))
        caps.append(
            (
                "remaining_principal_and_interest",
                max(remaining - spouse, Fraction(0)),
                rules.couple_within_remaining.source,
                f"remaining principal and interest {yuan(remaining)} less the spouse's {yuan(spouse)}",
            )
        )
    if rules.income_share is not None:
        rent = facts.amount("annual_rent")
        income = facts.amount("annual_household_income")
        share = rules.income_share.value
        caps.append(
            (
                "rent_above_income_share",
                max(rent - income * share, Fraction(0)),
                rules.income_share.source,
                f"rent {yuan(rent)} above {float(share):.4g} of household income {yuan(income)}",
            )
        )
    if rules.fixed_amount is not None:
        caps.append(
            ("fixed_amount", rules.fixed_amount.value, rules.fixed_amount.source, "a fixed amount")
        )
    if rules.within_medical_costs is not None and rules.within_medical_costs.value:
        costs = facts.amount("medical_costs")
        caps.append(
            ("medical_costs", costs, rules.within_medical_costs.source, "the medical costs")
        )
    if rules.within_costs is not None and rules.within_costs.value:
        costs = facts.amount("costs")
        caps.append(
            ("costs", costs, rules.within_costs.source, "the costs of the disaster or accident")
        )
    return caps


def withdrawal_cap(
    pack: Pack | str,
    kind: str,
    *,
    balance: object,
    enforce: bool = False,
    **facts: object,
) -> WithdrawalResult:
    """The most a withdrawal of one kind may take (提取额度).

    Parameters
    ----------
    pack : Pack or str
        The center pack.
    kind : str
        A kind the pack names (``pack.withdrawal_kinds``): ``"purchase"``,
        ``"repayment"``, ``"payoff"``, ``"rent"``, ``"illness"``,
        ``"disaster"``, ``"retirement"``, ``"unemployed"`` ….
    balance : amount
        The account balance (at least 0).
    enforce : bool
        Raise :class:`~gjjcalc.errors.RuleViolation` on a refusal.
    **facts
        What the kind's rules need (see :data:`FACTS`): ``price_paid``,
        ``annual_rent`` and ``annual_household_income``,
        ``repaid_last_year``, ``loan_amount`` (and ``withdrawn_for_loan``,
        default 0), ``remaining_principal_and_interest`` (and
        ``spouse_withdrawal``, default 0), ``medical_costs``, ``costs``,
        ``age`` and ``sex`` (``"male"``/``"female"``), ``account_sealed``,
        ``has_unsettled_loan``, ``months_unemployed``, ``months_sealed``.

    Returns
    -------
    WithdrawalResult
        ``amount`` = the least of the balance and the kind's caps, rounded
        down to the pack's unit (the fen when it states none; never up, so
        never above a cap), or 0 when a condition refuses.

    Raises
    ------
    InputError
        For a kind the pack does not name, an unknown fact, a missing fact
        the kind's rules need, or a bad value.
    RuleViolation
        With ``enforce=True``, when a condition refuses.

    Notes
    -----
    Liangshan (凉山州住房公积金管理中心 网站页面, http://gjj.lsz.gov.cn/): purchase in units of 100 yuan; yearly repayment,
    total within the loan; payoff, husband and wife together within the
    remaining principal and interest; rent, the part above 15% of household
    income; illness within medical costs; disaster within costs; full
    withdrawals after sealing and with the loan settled. Qingdao (青岛市住房公积金管理中心 个人专业版网厅操作手册 §6.2.1.7):
    rent a fixed 8,400. Jilin (吉林省住房公积金管理中心《个人网厅操作手册》 §4): retirement at 60 (men) / 55
    (women) with the account sealed.

    Examples
    --------
    Liangshan rent: 24,000 a year against a household income of 100,000;
    15% of income is 15,000, so 9,000 may be withdrawn:

    >>> r = withdrawal_cap("liangshan", "rent", balance=30_000,
    ...                    annual_rent=24_000, annual_household_income=100_000)
    >>> r.amount, r.binding
    (Decimal('9000.00'), 'rent_above_income_share')

    Qingdao rent is a fixed 8,400, and never more than the balance:

    >>> withdrawal_cap("qingdao", "rent", balance="5000.55").amount
    Decimal('5000.55')
    """
    rules_pack = load_pack(pack)
    rules = rules_pack.withdrawal(kind)
    enforce = to_flag(enforce, "enforce")
    held = to_amount(balance, "balance", allow_zero=True)
    given = _Facts(dict(facts), kind, rules_pack)
    closes = rules.full is not None and rules.full.value

    reasons = tuple(_conditions(rules, given))
    balance_limit = (
        "balance",
        held,
        "the account balance (no withdrawal exceeds it)",
        "the whole balance" if closes else "the account balance",
    )
    caps = [balance_limit, *_caps(rules, given)]
    if reasons:
        raise_if(enforce, reasons)
        refusals = tuple(Limit(r.name, Decimal("0.00"), r.source, r.message) for r in reasons)
        limits = tuple(Limit(n, yuan(v), s, d) for n, v, s, d in caps) + refusals
        return WithdrawalResult(kind, Decimal("0.00"), reasons[0].name, limits, reasons, closes)

    unit = rules.unit.value if rules.unit is not None else _FEN
    name, least, _, _ = min(caps, key=lambda cap: cap[1])
    amount = math.floor(least / unit) * unit if least > 0 else Fraction(0)
    limits = tuple(Limit(n, yuan(math.floor(v * 100) / Fraction(100)), s, d) for n, v, s, d in caps)
    if rules.unit is not None:
        limits += (
            Limit(
                "unit",
                yuan(amount),
                rules.unit.source,
                f"rounded down to a multiple of {yuan(unit)}",
            ),
        )
    return WithdrawalResult(kind, yuan(amount), name, limits, (), closes)
