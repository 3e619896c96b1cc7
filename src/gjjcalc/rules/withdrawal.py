"""Withdrawal caps (提取): how much a kind of withdrawal may take from the account.

A pack declares the kinds its center offers and, for each, the caps,
conditions and frequency rules its source states; the function knows no kind
by name, so a kind a pack declares works like the built-in ones. Every cap is
also limited by the account balance (with the spouse's, where the pack allows
it): no withdrawal ever exceeds it. A kind whose source states no cap is
limited by the balance alone.

Every result lists the facts it used and those it was given but ignored
(``used_facts``, ``ignored_facts``): a fact the kind's rules do not read is
never dropped silently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from gjjcalc import _deprecated
from gjjcalc._display import Ruled
from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_date, to_flag, to_months, yuan
from gjjcalc.rules.packs import WITHDRAWAL_KINDS, Pack, Sourced, WithdrawalRules, load_pack
from gjjcalc.rules.results import Limit, Reason, raise_if

__all__ = ["FREQUENCIES", "RULE_KEYS", "WITHDRAWAL_FACTS", "WithdrawalResult", "withdrawal_cap"]

WITHDRAWAL_FACTS = (
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
    "spouse_balance",
    "on",
    "last_withdrawal",
    "last_withdrawal_kind",
    "previous_withdrawals",
)
"""Every fact :func:`withdrawal_cap` accepts as a keyword."""

FREQUENCIES = ("once", "yearly", "every_12_months")
"""Values of a kind's ``frequency`` rule: one withdrawal ever (of that kind, from
this account), one per calendar year, or one in any 12 months."""

RULE_KEYS = ("frequency", "refused_after", "spouse_balance")
"""The withdrawal rule keys this module reads from ``[withdrawal.<kind>]``
besides the ones :class:`~gjjcalc.rules.packs.WithdrawalRules` declares."""

_FEN = Fraction(1, 100)


@dataclass(frozen=True, slots=True)
class WithdrawalResult(Ruled):
    """A withdrawal cap and what bound it.

    ``amount`` is the most that may be withdrawn (0 when refused), never more
    than the balance (the employee's and, where the pack allows it, the
    spouse's); ``binding`` names the limit or refusal that set it;
    ``limits`` lists every cap considered; ``reasons`` the refusals;
    ``closes_account`` is true for a full withdrawal (全额提取, 销户).
    ``spouse_amount`` is the part of ``amount`` beyond the employee's own
    balance, taken from the spouse's (0 unless the pack allows it).
    ``used_facts`` names ``balance`` and every fact the kind's rules read;
    ``ignored_facts`` every fact given (not ``None``) that they do not read.
    """

    kind: str
    amount: Decimal
    binding: str
    limits: tuple[Limit, ...]
    reasons: tuple[Reason, ...]
    closes_account: bool
    spouse_amount: Decimal = Decimal("0.00")
    used_facts: tuple[str, ...] = ()
    ignored_facts: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True unless a condition refused the withdrawal."""
        return not self.reasons


def _given(facts: dict[str, object], key: str) -> bool:
    """Whether a fact was given: any value but ``None``, which for ``last_withdrawal`` means never."""
    return key in facts and (facts[key] is not None or key == "last_withdrawal")


class _Facts:
    def __init__(self, facts: dict[str, object], kind: str, pack: Pack) -> None:
        for key in facts:
            if key not in WITHDRAWAL_FACTS:
                raise InputError(key, facts[key], "a withdrawal fact, one of " + ", ".join(WITHDRAWAL_FACTS))
        self.facts = facts
        self.pack = pack
        self.where = f"the {pack.name} pack's {kind!r} withdrawal needs it"
        self.used: list[str] = []

    def use(self, key: str) -> object:
        if key not in self.used:
            self.used.append(key)
        return self.facts.get(key)

    def ignored(self) -> tuple[str, ...]:
        return tuple(k for k in WITHDRAWAL_FACTS if _given(self.facts, k) and k not in self.used)

    def amount(self, key: str, *, default: Fraction | None = None) -> Fraction:
        value = self.use(key)
        if value is None:
            if default is not None:
                return default
            raise InputError(key, None, f"an amount in yuan ({self.where})")
        return to_amount(value, key, allow_zero=True)

    def flag(self, key: str) -> bool:
        value = self.use(key)
        try:
            return to_flag(value, key)
        except InputError:
            raise InputError(key, value, f"True or False ({self.where})") from None

    def count(self, key: str, minimum: int, maximum: int) -> int:
        value = self.use(key)
        if value is None:
            raise InputError(key, None, f"an integer from {minimum} to {maximum} ({self.where})")
        return to_months(value, key, minimum=minimum, maximum=maximum)

    def day(self, key: str) -> date:
        value = self.use(key)
        if value is None:
            raise InputError(key, None, f"a date ({self.where})")
        return to_date(value, key)

    def kind_name(self, value: object, name: str) -> str:
        kinds = tuple(dict.fromkeys((*self.pack.withdrawal_kinds, *WITHDRAWAL_KINDS)))
        if not isinstance(value, str) or value not in kinds:
            raise InputError(name, value, "a withdrawal kind, one of " + ", ".join(kinds))
        return value

    def history(self) -> list[tuple[date, str]]:
        """The earlier withdrawals, from ``last_withdrawal`` (and its kind) and ``previous_withdrawals``."""
        allowed = (
            "a date, or None for never, with last_withdrawal_kind; or previous_withdrawals, "
            f"a sequence of (date, kind) pairs ({self.where})"
        )
        given_last = "last_withdrawal" in self.facts
        given_all = self.facts.get("previous_withdrawals") is not None
        if not given_last and not given_all:
            raise InputError("last_withdrawal", None, allowed)
        out: list[tuple[date, str]] = []
        if given_last:
            last = self.use("last_withdrawal")
            if last is not None:
                day = to_date(last, "last_withdrawal")
                kind = self.use("last_withdrawal_kind")
                if kind is None:
                    raise InputError(
                        "last_withdrawal_kind", None, f"the kind of the withdrawal of {day.isoformat()} ({self.where})"
                    )
                out.append((day, self.kind_name(kind, "last_withdrawal_kind")))
        if given_all:
            raw = self.use("previous_withdrawals")
            pairs = "a sequence of (date, kind) pairs"
            if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Sequence):
                raise InputError("previous_withdrawals", raw, pairs)
            for i, item in enumerate(raw):
                name = f"previous_withdrawals[{i}]"
                if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
                    raise InputError(name, item, "a (date, kind) pair")
                out.append((to_date(item[0], f"{name}[0]"), self.kind_name(item[1], f"{name}[1]")))
        return out


def _rule_constant(raw: object, name: str) -> tuple[object, str, date | None, str]:
    """A pack constant ``{ value, source, effective?, note? }`` read from the pack's raw data."""
    allowed = "a constant: an inline table { value = ..., source = '...', effective = YYYY-MM-DD, note = '...' }"
    if not isinstance(raw, Mapping) or "value" not in raw:
        raise InputError(name, raw, allowed)
    for key in raw:
        if key not in ("value", "source", "effective", "note"):
            raise InputError(f"{name}.{key}", raw[key], "one of the keys value, source, effective, note")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise InputError(f"{name}.source", source, "a non-empty string")
    effective = raw.get("effective")
    if effective is not None and not (isinstance(effective, date) and not isinstance(effective, datetime)):
        if effective != "undated":
            raise InputError(f"{name}.effective", effective, 'a TOML date (YYYY-MM-DD) or "undated"')
        effective = None
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise InputError(f"{name}.note", note, "a string")
    return raw["value"], source.strip(), effective, note


@dataclass(frozen=True, slots=True)
class _KindRules:
    """The rules of :data:`RULE_KEYS` for one kind, from the pack."""

    frequency: Sourced[str] | None = None
    refused_after: Sourced[tuple[str, ...]] | None = None
    spouse_balance: Sourced[bool] | None = None


def _kind_rules(pack: Pack, rules: WithdrawalRules) -> _KindRules:
    """Read :data:`RULE_KEYS`: from ``rules`` when the pack schema declares them, else from ``pack.raw``."""
    tables: Any = pack.raw.get("withdrawal", {}) if isinstance(pack.raw, Mapping) else {}
    table: Any = tables.get(rules.kind, {}) if isinstance(tables, Mapping) else {}
    if not isinstance(table, Mapping):
        table = {}
    found: dict[str, Sourced[Any]] = {}
    for key in RULE_KEYS:
        declared = getattr(rules, key, None)
        if isinstance(declared, Sourced):
            found[key] = declared
            continue
        if key not in table:
            continue
        name = f"{pack.origin}: withdrawal.{rules.kind}.{key}"
        value, source, effective, note = _rule_constant(table[key], name)
        default_effective = rules.effective if "effective" not in table[key] else effective
        found[key] = Sourced(value=value, source=source, effective=default_effective, note=note)
    frequency = found.get("frequency")
    if frequency is not None and frequency.value not in FREQUENCIES:
        raise InputError(
            f"{pack.origin}: withdrawal.{rules.kind}.frequency.value",
            frequency.value,
            "one of " + ", ".join(repr(f) for f in FREQUENCIES),
        )
    after = found.get("refused_after")
    if after is not None:
        name = f"{pack.origin}: withdrawal.{rules.kind}.refused_after.value"
        value = after.value
        if isinstance(value, list):
            value = tuple(value)
        if not isinstance(value, tuple) or not value:
            raise InputError(name, after.value, "a non-empty array of the pack's withdrawal kinds")
        for i, kind in enumerate(value):
            if kind not in pack.withdrawal_kinds:
                raise InputError(
                    f"{name}[{i}]", kind, "one of the pack's kinds " + ", ".join(pack.withdrawal_kinds)
                )
        found["refused_after"] = Sourced(
            value=value, source=after.source, effective=after.effective, note=after.note
        )
    spouse = found.get("spouse_balance")
    if spouse is not None and not isinstance(spouse.value, bool):
        name = f"{pack.origin}: withdrawal.{rules.kind}.spouse_balance.value"
        raise InputError(name, spouse.value, "true or false")
    return _KindRules(**found)


def _frequency(kind: str, extra: _KindRules, facts: _Facts) -> list[Reason]:
    """Refusals by the kind's frequency rules, from the earlier withdrawals."""
    if extra.frequency is None and extra.refused_after is None:
        return []
    history = facts.history()
    reasons: list[Reason] = []
    if extra.frequency is not None:
        rule = extra.frequency
        same = sorted((day for day, k in history if k == kind), reverse=True)
        if rule.value == "once":
            if same:
                reasons.append(
                    Reason(
                        "frequency",
                        rule.value,
                        rule.source,
                        f"a {kind!r} withdrawal was made on {same[0].isoformat()}; the kind is withdrawn once",
                    )
                )
        elif same:  # the withdrawal date matters only when there is an earlier one of the kind
            on = facts.day("on")
            for day, _ in history:
                if day > on:
                    raise InputError(
                        "last_withdrawal", day.isoformat(), f"a date on or before the withdrawal date {on.isoformat()}"
                    )
            if rule.value == "yearly":
                hit = next((d for d in same if d.year == on.year), None)
                text = f"once a calendar year, and one was made on {hit.isoformat()}" if hit else ""
            else:
                try:
                    since = on.replace(year=on.year - 1)
                except ValueError:  # 29 February, or year 1
                    since = date.min if on.year == 1 else on.replace(year=on.year - 1, day=28)
                hit = next((d for d in same if d > since), None)
                text = f"once in 12 months, and one was made on {hit.isoformat()}" if hit else ""
            if hit is not None:
                reasons.append(
                    Reason("frequency", rule.value, rule.source, f"a {kind!r} withdrawal is allowed {text}")
                )
    if extra.refused_after is not None:
        rule_after = extra.refused_after
        before = sorted(((d, k) for d, k in history if k in rule_after.value), reverse=True)
        if before:
            day, previous = before[0]
            reasons.append(
                Reason(
                    "refused_after",
                    rule_after.value,
                    rule_after.source,
                    f"a {previous!r} withdrawal was made on {day.isoformat()}; no {kind!r} withdrawal after it",
                )
            )
    return reasons


def _conditions(rules: WithdrawalRules, facts: _Facts) -> list[Reason]:
    reasons: list[Reason] = []
    if rules.retirement_age_male is not None or rules.retirement_age_female is not None:
        sex = facts.use("sex")
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
        A kind the pack declares (``pack.withdrawal_kinds``): the built-in
        names ``"purchase"``, ``"repayment"``, ``"payoff"``, ``"rent"``,
        ``"illness"``, ``"disaster"``, ``"retirement"``, ``"unemployed"`` …
        or a kind of the pack's own; its rules come from the pack alone.
    balance : amount
        The account balance (at least 0).
    enforce : bool
        Raise :class:`~gjjcalc.errors.RuleViolation` on a refusal.
    **facts
        What the kind's rules need (see :data:`WITHDRAWAL_FACTS`): ``price_paid``,
        ``annual_rent`` and ``annual_household_income``,
        ``repaid_last_year``, ``loan_amount`` (and ``withdrawn_for_loan``,
        default 0), ``remaining_principal_and_interest`` (and
        ``spouse_withdrawal``, default 0), ``medical_costs``, ``costs``,
        ``age`` and ``sex`` (``"male"``/``"female"``), ``account_sealed``,
        ``has_unsettled_loan``, ``months_unemployed``, ``months_sealed``;
        ``spouse_balance`` where the pack lets the spouse's balance be
        withdrawn too (not given: the employee's balance alone); for frequency rules the earlier
        withdrawals for the same home and loan: ``last_withdrawal`` (a date,
        or ``None`` for never) with ``last_withdrawal_kind``, and/or
        ``previous_withdrawals`` (``(date, kind)`` pairs), and ``on`` (the
        date of this withdrawal) once there is an earlier one of the kind.
        When ``on`` is given, a dated pack's constants are the ones in force
        on it (:meth:`~gjjcalc.rules.Pack.in_force`), and ``on`` is used.
        A fact given as ``None`` is not given (except ``last_withdrawal``,
        where ``None`` means never).

    Returns
    -------
    WithdrawalResult
        ``amount`` = the least of the balance (with the spouse's where
        allowed) and the kind's caps, rounded down to the pack's unit (the
        fen when it states none; never up, so never above a cap), or 0 when
        a condition or a frequency rule refuses; ``spouse_amount`` the part
        beyond the employee's balance; ``used_facts`` (``balance`` and
        every fact the rules read, defaults included) and
        ``ignored_facts`` (every fact given that no rule of the kind reads).

    Raises
    ------
    InputError
        For a kind the pack does not declare, an unknown fact, a missing fact
        the kind's rules need, a bad value, or a bad rule key in the pack
        (naming the pack file and the key).
    RuleViolation
        With ``enforce=True``, when a condition or a frequency rule refuses.

    Notes
    -----
    Liangshan (凉山州住房公积金管理中心 网站页面, http://gjj.lsz.gov.cn/): purchase in units of 100 yuan; yearly repayment,
    total within the loan; payoff, husband and wife together within the
    remaining principal and interest; rent, the part above 15% of household
    income; illness within medical costs; disaster within costs; full
    withdrawals after sealing and with the loan settled. Qingdao (青岛市住房公积金管理中心 个人专业版网厅操作手册 §6.2.1.7):
    rent a fixed 8,400. Jilin (吉林省住房公积金管理中心《个人网厅操作手册》 §4): retirement at 60 (men) / 55
    (women) with the account sealed.

    Besides the keys :class:`~gjjcalc.rules.packs.WithdrawalRules` holds, a
    kind's table may state (:data:`RULE_KEYS`): ``frequency`` (``"once"``;
    ``"yearly"``, once a calendar year; ``"every_12_months"``),
    ``refused_after`` (kinds after which this one is refused: Liangshan's
    一次性偿还贷款…以后年度不再提取 is ``["payoff"]`` on ``repayment`` and
    ``payoff``) and ``spouse_balance`` (``true``: the spouse's balance may
    be withdrawn too, as Liangshan's 部分提取 5 allows for illness).

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

    Qingdao's manual states no cap for an illness withdrawal, so medical
    costs do not bound it, and the result says they were ignored:

    >>> r = withdrawal_cap("qingdao", "illness", balance=20_000, medical_costs=1000)
    >>> r.amount, r.used_facts, r.ignored_facts
    (Decimal('20000.00'), ('balance',), ('medical_costs',))
    """
    rules_pack = load_pack(pack)
    if facts.get("on") is not None:  # a dated pack's constants as in force on the day
        rules_pack = rules_pack.in_force(facts["on"])
    rules = rules_pack.withdrawal(kind)
    enforce = to_flag(enforce, "enforce")
    held = to_amount(balance, "balance", allow_zero=True)
    given = _Facts(dict(facts), kind, rules_pack)
    if facts.get("on") is not None:
        given.use("on")
    extra = _kind_rules(rules_pack, rules)
    closes = rules.full is not None and rules.full.value

    reasons = tuple(_conditions(rules, given) + _frequency(kind, extra, given))
    spouse = Fraction(0)
    allowed = extra.spouse_balance is not None and extra.spouse_balance.value
    if allowed and extra.spouse_balance is not None and facts.get("spouse_balance") is not None:
        spouse = given.amount("spouse_balance")
        balance_limit = (
            "balance",
            held + spouse,
            extra.spouse_balance.source,
            f"the employee's balance {yuan(held)} and the spouse's {yuan(spouse)}",
        )
    else:
        balance_limit = (
            "balance",
            held,
            "the account balance (no withdrawal exceeds it)",
            "the whole balance" if closes else "the account balance",
        )
    caps = [balance_limit, *_caps(rules, given)]
    used = ("balance", *given.used)
    ignored = given.ignored()
    if reasons:
        raise_if(enforce, reasons)
        refusals = tuple(Limit(r.name, Decimal("0.00"), r.source, r.message) for r in reasons)
        limits = tuple(Limit(n, yuan(v), s, d) for n, v, s, d in caps) + refusals
        return WithdrawalResult(
            kind, Decimal("0.00"), reasons[0].name, limits, reasons, closes,
            used_facts=used, ignored_facts=ignored,
        )  # fmt: skip

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
    from_spouse = max(amount - held, Fraction(0))
    return WithdrawalResult(
        kind, yuan(amount), name, limits, (), closes,
        spouse_amount=yuan(from_spouse), used_facts=used, ignored_facts=ignored,
    )  # fmt: skip


__getattr__ = _deprecated.module_getattr(
    "gjjcalc.rules.withdrawal",
    {"FACTS": ("gjjcalc.rules.withdrawal.WITHDRAWAL_FACTS", lambda: WITHDRAWAL_FACTS)},
)
