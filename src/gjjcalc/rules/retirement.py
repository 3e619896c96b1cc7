"""Statutory retirement age (法定退休年龄) under the gradual delay from 2025.

Source: 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定
(adopted 2024-09-13 at the 11th session of the Standing Committee of the 14th
National People's Congress, in force 2025-01-01), with the approved
国务院关于渐进式延迟法定退休年龄的办法 and its annexes 1-3 (男职工延迟法定退休年龄对照表;
原法定退休年龄五十五周岁的女职工延迟法定退休年龄对照表;
原法定退休年龄五十周岁的女职工延迟法定退休年龄对照表), published by Xinhua on
2024-09-13 at https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm
(also https://www.mohrss.gov.cn/SYrlzyhshbzb/ztzl/zt202409/qwfb/202409/t20240913_525781.html).

办法 第一条: from 2025-01-01 the statutory retirement age of men (originally
60) and of women whose original age is 55 is delayed by one month every four
months, up to 63 and 58; that of women whose original age is 50 by one month
every two months, up to 55. The annex tables list, by month of birth, the age
and the year-month of retirement; they amount to this rule:

=====================  ==========  ============  =========  ==================
original age           first born  one month per  at most    full delay from
=====================  ==========  ============  =========  ==================
60 (men)               1965-01     4 months       36 months  born 1976-09 (63)
55 (women)             1970-01     4 months       36 months  born 1981-09 (58)
50 (women)             1975-01     2 months       60 months  born 1984-11 (55)
=====================  ==========  ============  =========  ==================

A person born ``k`` months after the first month is delayed
``min(k // step + 1, most)`` months; anyone born earlier reached the original
age before 2025 and keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from dateutil.relativedelta import relativedelta

from gjjcalc.errors import InputError
from gjjcalc.money import to_date

__all__ = ["DECISION", "Sex", "retirement_age_months", "retirement_date"]

DECISION: Final = (
    "全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13, in force "
    "2025-01-01), 国务院关于渐进式延迟法定退休年龄的办法 第一条 and 附件1-3 对照表, "
    "https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm"
)
"""The public source of the delayed retirement ages, as rule results cite it."""

Sex = Literal["male", "female", "男", "女"]
"""``"male"`` or ``"female"`` (also ``"男"`` / ``"女"``)."""


@dataclass(frozen=True, slots=True)
class _Schedule:
    first_birth: tuple[int, int]  # (year, month) of the first delayed birth month
    step: int  # months of birth per month of delay
    most: int  # the largest delay, in months


_SCHEDULES: Final = {
    60: _Schedule((1965, 1), 4, 36),
    55: _Schedule((1970, 1), 4, 36),
    50: _Schedule((1975, 1), 2, 60),
}
_ORIGINAL: Final = {"male": (60,), "female": (50, 55)}
_SEX: Final = {"male": "male", "female": "female", "男": "male", "女": "female"}


def _sex(value: object) -> str:
    key = value.strip().lower() if isinstance(value, str) else value
    if isinstance(key, str) and key in _SEX:
        return _SEX[key]
    raise InputError("sex", value, "'male' or 'female' (or 男 / 女)")


def _original(sex: str, original_age: object) -> int:
    allowed = _ORIGINAL[sex]
    if original_age is None:
        if sex == "male":
            return 60
        raise InputError(
            "original_age",
            None,
            "50 or 55 for a woman: her original statutory age (50 for workers, 55 for cadres)",
        )
    if (
        isinstance(original_age, int)
        and not isinstance(original_age, bool)
        and original_age in allowed
    ):
        return original_age
    text = " or ".join(str(a) for a in allowed)
    raise InputError("original_age", original_age, f"{text} for a {sex} employee")


def retirement_age_months(
    birth: date | str, sex: Sex | str, original_age: int | None = None
) -> int:
    """The statutory retirement age (法定退休年龄) in months, after the delay from 2025.

    Parameters
    ----------
    birth : date or str
        Date of birth (``date`` or ``"YYYY-MM-DD"``); only its year and month
        decide the delay.
    sex : str
        ``"male"`` or ``"female"`` (also ``"男"`` / ``"女"``).
    original_age : int, optional
        The original statutory age (原法定退休年龄): 60 for a man (the default
        for men), 50 or 55 for a woman (required: 50 for workers, 55 for cadres).

    Returns
    -------
    int
        The age in whole months: ``original_age × 12`` plus the delay.

    Raises
    ------
    InputError
        For a bad date, sex, or an original age the decision does not know for
        that sex.

    Notes
    -----
    全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13),
    国务院关于渐进式延迟法定退休年龄的办法 第一条 and its annex tables,
    https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm.

    Examples
    --------
    A man born in May 1965 retires at 60 years 2 months (annex 1):

    >>> divmod(retirement_age_months("1965-05-20", "male"), 12)
    (60, 2)
    >>> divmod(retirement_age_months("1990-03-01", "女", 50), 12)
    (55, 0)
    """
    born = to_date(birth, "birth")
    who = _sex(sex)
    age = _original(who, original_age)
    schedule = _SCHEDULES[age]
    first_year, first_month = schedule.first_birth
    offset = (born.year - first_year) * 12 + (born.month - first_month)
    delay = 0 if offset < 0 else min(offset // schedule.step + 1, schedule.most)
    return age * 12 + delay


def retirement_date(birth: date | str, sex: Sex | str, original_age: int | None = None) -> date:
    """The day a person reaches the statutory retirement age (法定退休年龄).

    Parameters
    ----------
    birth : date or str
        Date of birth (``date`` or ``"YYYY-MM-DD"``).
    sex : str
        ``"male"`` or ``"female"`` (also ``"男"`` / ``"女"``).
    original_age : int, optional
        The original statutory age (原法定退休年龄): 60 for a man (the default
        for men), 50 or 55 for a woman (required: 50 for workers, 55 for cadres).

    Returns
    -------
    date
        The day the person reaches the (delayed) age: the birth date plus
        :func:`retirement_age_months` months, which falls in the year-month the
        decision's annex tables give as 退休时间. The day of the month is the
        day of birth (the day the person reaches that age, 周岁), or the last
        day of the month when that month is shorter (born on the 31st, or on
        29 February).

    Raises
    ------
    InputError
        For a bad date, sex, or an original age the decision does not know for
        that sex.

    Notes
    -----
    全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定, adopted 2024-09-13,
    in force 2025-01-01; 国务院关于渐进式延迟法定退休年龄的办法 第一条: men and women
    whose original age is 55 retire one month later for every four months
    (from those born in January 1965 and January 1970), up to 63 and 58;
    women whose original age is 50 one month later for every two months (from
    those born in January 1975), up to 55. Annex tables 1-3 (对照表) at
    https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm. Anyone who
    reached the original age before 2025 keeps it. Special cases the State
    provides for elsewhere (国家另有规定的, e.g. arduous posts) and the
    voluntary early or late retirement of 办法 第二条-第三条 are not modelled.

    Examples
    --------
    A man born in January 1965 retires at 60 years 1 month, in February 2025;
    one born in December 1976 at 63, in December 2039:

    >>> retirement_date("1965-01-15", "male")
    datetime.date(2025, 2, 15)
    >>> retirement_date("1976-12-03", "male")
    datetime.date(2039, 12, 3)

    A woman (original age 55) born in January 1970 retires at 55 years 1 month;
    a woman (original age 50) born in June 1975 at 50 years 3 months:

    >>> retirement_date("1970-01-31", "female", 55)
    datetime.date(2025, 2, 28)
    >>> retirement_date("1975-06-10", "女", 50)
    datetime.date(2025, 9, 10)

    Born in December 1964, a man reached 60 in 2024, unchanged:

    >>> retirement_date("1964-12-31", "男")
    datetime.date(2024, 12, 31)
    """
    born = to_date(birth, "birth")
    months = retirement_age_months(born, sex, original_age)
    try:
        return born + relativedelta(months=months)
    except (OverflowError, ValueError):
        raise InputError(
            "birth", birth, "a date of birth whose retirement falls before 10000"
        ) from None
