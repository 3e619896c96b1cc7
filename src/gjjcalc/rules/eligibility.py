"""Loan eligibility (贷款条件) and the contribution ratio (缴存比例).

Liangshan's center page (凉山州住房公积金管理中心, http://gjj.lsz.gov.cn/)
states six conditions for a provident fund loan and the
5%-12% contribution ratio; Qingdao's web hall manual (§8.1) refuses a borrower whose
previous loan is unsettled. A pack enables the conditions its source states.

A result lists the facts the conditions used and those given but ignored
(``used_facts``, ``ignored_facts``). A pack that states no loan condition
checks nothing, and says so: ``checked=()`` and ``ok=None`` (not known), never
``ok=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from dateutil.relativedelta import relativedelta

from gjjcalc._display import Ruled
from gjjcalc.errors import InputError
from gjjcalc.money import to_date, to_flag, to_months, to_rate
from gjjcalc.rules.packs import Pack, load_pack
from gjjcalc.rules.results import CheckResult, Reason, raise_if

__all__ = ["ELIGIBILITY_FACTS", "EligibilityResult", "check_contribution_ratio", "check_eligibility"]

ELIGIBILITY_FACTS = (
    "on",
    "contribution_months",
    "employer_unpaid_months",
    "last_withdrawal",
    "other_housing_loan",
    "guarantee",
    "overdue_consecutive",
    "overdue_total",
    "purchase_date",
    "homes",
    "has_unsettled_loan",
)
"""Every fact :func:`check_eligibility` accepts as a keyword."""


@dataclass(frozen=True, slots=True)
class EligibilityResult(Ruled):
    """Outcome of :func:`check_eligibility`.

    ``ok`` is ``True`` when conditions were checked and none refused,
    ``False`` when one refused, and ``None`` when the pack states no loan
    condition, so nothing was checked (``checked == ()``): not known, and
    falsy, so ``if result.ok:`` never admits an unchecked borrower.
    ``reasons`` names each violation; ``checked`` every condition evaluated;
    ``used_facts`` the facts the conditions read; ``ignored_facts`` the facts
    given (not ``None``) that no condition of the pack reads.
    """

    ok: bool | None
    reasons: tuple[Reason, ...]
    checked: tuple[str, ...]
    used_facts: tuple[str, ...] = ()
    ignored_facts: tuple[str, ...] = ()
    _table: ClassVar[str] = "reasons"


def _given(facts: dict[str, object], key: str) -> bool:
    """Whether a fact was given: any value but ``None``, which for ``last_withdrawal`` means never."""
    return key in facts and (facts[key] is not None or key == "last_withdrawal")


class _Facts:
    def __init__(self, facts: dict[str, object], pack: Pack) -> None:
        for key in facts:
            if key not in ELIGIBILITY_FACTS:
                raise InputError(
                    key, facts[key], "an eligibility fact, one of " + ", ".join(ELIGIBILITY_FACTS)
                )
        self.facts = facts
        self.pack = pack.name
        self.where = f"the {pack.name} pack's eligibility rules need it"
        self.used: list[str] = []

    def use(self, key: str) -> object:
        if key not in self.used:
            self.used.append(key)
        return self.facts.get(key)

    def ignored(self) -> tuple[str, ...]:
        return tuple(k for k in ELIGIBILITY_FACTS if _given(self.facts, k) and k not in self.used)

    def count(self, key: str) -> int:
        value = self.use(key)
        if value is None:
            raise InputError(key, None, f"a whole number from 0 to 1200 ({self.where})")
        return to_months(value, key, minimum=0, maximum=1200)

    def flag(self, key: str) -> bool:
        value = self.use(key)
        try:
            return to_flag(value, key)
        except InputError:
            raise InputError(key, value, f"True or False ({self.where})") from None

    def day(self, key: str) -> date:
        value = self.use(key)
        if value is None:
            raise InputError(key, None, f"a date ({self.where})")
        return to_date(value, key)

    def before(self, key: str, *, months: int = 0, years: int = 0) -> date:
        """The date ``key`` less a number of months or years; an InputError before year 1."""
        day = self.day(key)
        try:
            return day - relativedelta(months=months, years=years)
        except (ValueError, OverflowError):
            span = f"{years} years" if years else f"{months} months"
            raise InputError(
                key,
                self.facts[key],
                f"a date at least {span} after {date.min.isoformat()} (the {self.pack} pack's rules look back {span})",
            ) from None


def check_eligibility(
    pack: Pack | str, *, enforce: bool = False, **facts: object
) -> EligibilityResult:
    """Check a borrower against a center's loan conditions (贷款条件).

    Parameters
    ----------
    pack : Pack or str
        The center pack.
    enforce : bool
        Raise :class:`~gjjcalc.errors.RuleViolation` when refused.
    **facts
        The facts the pack's conditions need (:data:`ELIGIBILITY_FACTS`):
        ``on`` (the application date; a dated pack's conditions are the
        ones in force on it), ``contribution_months`` (consecutive
        months paid on time and in full), ``employer_unpaid_months``
        (consecutive months, counted back from ``on``, the employer has not
        paid), ``last_withdrawal`` (date of the last withdrawal, or ``None``
        for never), ``other_housing_loan`` and ``guarantee`` (bool),
        ``overdue_consecutive`` and ``overdue_total`` (the worse of the two
        spouses' credit reports), ``purchase_date``, ``homes`` (homes
        owned, this one included), ``has_unsettled_loan`` (bool).

    Returns
    -------
    EligibilityResult
        ``ok``, the ``reasons`` (each with the rule's value and source), the
        conditions ``checked``, and the facts used and ignored. A pack with
        no conditions checks none: ``checked=()`` and ``ok=None`` (not
        known; with ``enforce=True`` nothing is raised, as nothing refused).

    Raises
    ------
    InputError
        For an unknown fact, or a fact a condition needs but was not given.
    RuleViolation
        With ``enforce=True``, when refused.

    Notes
    -----
    Liangshan's 贷款条件 1-6. Condition 2 joins "the employer has not paid
    for 6 consecutive months" and "the employee withdrew within a year"
    (``arrears_join``: ``"and"`` in the shipped pack; a pack may say
    ``"or"``). Overdue counts refuse at 3 consecutive or 6 in total.

    Examples
    --------
    >>> facts = dict(on="2024-06-01", contribution_months=5, employer_unpaid_months=0,
    ...              last_withdrawal=None, other_housing_loan=False, guarantee=False,
    ...              overdue_consecutive=0, overdue_total=2, purchase_date="2023-09-01", homes=1)
    >>> result = check_eligibility("liangshan", **facts)
    >>> result.ok, [r.name for r in result.reasons]
    (False, ['contribution_months'])
    >>> check_eligibility("liangshan", **{**facts, "contribution_months": 6}).ok
    True

    A pack that states no loan condition checks nothing and says so; a fact
    given to it is listed as ignored:

    >>> nothing = check_eligibility("jilin", contribution_months=24)
    >>> nothing.ok, nothing.checked, nothing.ignored_facts
    (None, (), ('contribution_months',))
    """
    rules_pack = load_pack(pack)
    if facts.get("on") is not None:  # a dated pack's conditions as in force on the application date
        rules_pack = rules_pack.in_force(facts["on"])
    rules = rules_pack.eligibility
    enforce = to_flag(enforce, "enforce")
    given = _Facts(dict(facts), rules_pack)
    if facts.get("on") is not None:
        given.use("on")
    reasons: list[Reason] = []
    checked: list[str] = []

    if rules.min_contribution_months is not None:
        checked.append("contribution_months")
        need = rules.min_contribution_months
        months = given.count("contribution_months")
        if months < need.value:
            reasons.append(
                Reason(
                    "contribution_months",
                    need.value,
                    need.source,
                    f"{months} consecutive months of contributions, fewer than {need.value}",
                )
            )
    if rules.employer_arrears_months is not None or rules.withdrawal_within_months is not None:
        checked.append("employer_arrears")
        parts: list[tuple[bool, str, str]] = []
        if rules.employer_arrears_months is not None:
            limit = rules.employer_arrears_months.value
            unpaid = given.count("employer_unpaid_months")
            parts.append(
                (
                    unpaid >= limit,
                    f"the employer has not paid for {unpaid} months (limit {limit})",
                    rules.employer_arrears_months.source,
                )
            )
        if rules.withdrawal_within_months is not None:
            window = rules.withdrawal_within_months.value
            if "last_withdrawal" not in given.facts:
                raise InputError(
                    "last_withdrawal", None, f"a date, or None for never ({given.where})"
                )
            last = given.use("last_withdrawal")
            since = given.before("on", months=window)
            recent = last is not None and to_date(last, "last_withdrawal") > since
            parts.append(
                (
                    recent,
                    f"a withdrawal within {window} months",
                    rules.withdrawal_within_months.source,
                )
            )
        join = rules.arrears_join.value if rules.arrears_join is not None else "and"
        hits = [hit for hit, _, _ in parts]
        refused = all(hits) if join == "and" else any(hits)
        if refused:
            reasons.append(
                Reason(
                    "employer_arrears",
                    join,
                    "; ".join(src for _, _, src in parts),
                    f" {join} ".join(text for _, text, _ in parts),
                )
            )
    for key, fact, text in (
        ("no_other_housing_loan", "other_housing_loan", "another housing loan is outstanding"),
        ("no_guarantee", "guarantee", "the borrower is a guarantor"),
        ("no_unsettled_loan", "has_unsettled_loan", "a provident fund loan is unsettled"),
    ):
        rule = getattr(rules, key)
        if rule is not None and rule.value:
            checked.append(fact)
            if given.flag(fact):
                reasons.append(Reason(fact, True, rule.source, text))
    for key, fact, text in (
        ("overdue_consecutive_refused_at", "overdue_consecutive", "consecutive overdue periods"),
        ("overdue_total_refused_at", "overdue_total", "overdue periods in total"),
    ):
        rule = getattr(rules, key)
        if rule is not None:
            checked.append(fact)
            count = given.count(fact)
            if count >= rule.value:
                reasons.append(
                    Reason(
                        fact,
                        rule.value,
                        rule.source,
                        f"{count} {text} on a credit report (refused at {rule.value})",
                    )
                )
    if rules.purchase_within_years is not None:
        checked.append("purchase_date")
        years = rules.purchase_within_years.value
        bought = given.day("purchase_date")
        on = given.day("on")
        if bought > on:
            raise InputError(
                "purchase_date",
                bought.isoformat(),
                f"a date on or before the application date {on.isoformat()}",
            )
        if bought < given.before("on", years=years):
            reasons.append(
                Reason(
                    "purchase_date",
                    years,
                    rules.purchase_within_years.source,
                    f"bought on {bought.isoformat()}, more than {years} years before {on.isoformat()}",
                )
            )
    if rules.max_homes is not None:
        checked.append("homes")
        homes = given.count("homes")
        if homes > rules.max_homes.value:
            reasons.append(
                Reason(
                    "homes",
                    rules.max_homes.value,
                    rules.max_homes.source,
                    f"{homes} homes, more than {rules.max_homes.value}",
                )
            )
    found = tuple(reasons)
    raise_if(enforce, found)
    return EligibilityResult(
        ok=(not found) if checked else None,
        reasons=found,
        checked=tuple(checked),
        used_facts=tuple(given.used),
        ignored_facts=given.ignored(),
    )


def check_contribution_ratio(
    pack: Pack | str, ratio: object, *, enforce: bool = False
) -> CheckResult:
    """Check a contribution ratio (缴存比例) against the pack's range.

    Parameters
    ----------
    pack : Pack or str
        The center pack.
    ratio : rate
        The employer's or the employee's ratio: ``0.12`` or ``"12%"``.
    enforce : bool
        Raise :class:`~gjjcalc.errors.RuleViolation` when out of range.

    Returns
    -------
    CheckResult
        ``ok`` when ``ratio_min <= ratio <= ratio_max`` (both inclusive);
        a pack with no range checks nothing.

    Raises
    ------
    InputError
        If ``ratio`` is not a rate from 0 to 1.
    RuleViolation
        With ``enforce=True``, when out of range.

    Notes
    -----
    Liangshan's center page: 单位和职工住房公积金缴存比例不低于5%，不高于12%.

    Examples
    --------
    >>> check_contribution_ratio("liangshan", "12%").ok
    True
    >>> str(check_contribution_ratio("liangshan", 0.13).reasons[0])
    'ratio_max: 13% is above 12% (rule: 12%; source: 凉山州住房公积金管理中心 网站页面 (官方网站 http://gjj.lsz.gov.cn/; undated): 单位和职工住房公积金缴存比例不高于12%)'
    """
    rules_pack = load_pack(pack)
    enforce = to_flag(enforce, "enforce")
    value = to_rate(ratio, "ratio", what="a contribution ratio")
    rules = rules_pack.contribution
    reasons: list[Reason] = []
    checked: list[str] = []
    shown = f"{float(value * 100):g}%"
    if rules.ratio_min is not None:
        checked.append("ratio_min")
        low = rules.ratio_min
        if value < low.value:
            reasons.append(
                Reason(
                    "ratio_min",
                    f"{float(low.value * 100):g}%",
                    low.source,
                    f"{shown} is below {float(low.value * 100):g}%",
                )
            )
    if rules.ratio_max is not None:
        checked.append("ratio_max")
        high = rules.ratio_max
        if value > high.value:
            reasons.append(
                Reason(
                    "ratio_max",
                    f"{float(high.value * 100):g}%",
                    high.source,
                    f"{shown} is above {float(high.value * 100):g}%",
                )
            )
    found = tuple(reasons)
    raise_if(enforce, found)
    return CheckResult(ok=not found, reasons=found, checked=tuple(checked))
