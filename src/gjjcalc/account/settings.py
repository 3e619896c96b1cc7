"""The account's settings: contribution rounding and bounds, the settlement date, the deposit rates.

A center's account rules are few, and they are data: :class:`AccountRules`
holds them (with the source of each value a caller gives), and
:class:`DepositRates` is the table of the deposit rate in force on each day,
read from ``data/deposit_rates.csv`` (each row names the document that set it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from gjjcalc.errors import InputError
from gjjcalc.money import to_amount, to_date, to_rate

if TYPE_CHECKING:
    from gjjcalc.rules.packs import Pack

__all__ = ["SHANGHAI_SUPPLEMENTARY", "AccountRules", "DepositRate", "DepositRates", "Rounding", "deposit_rates"]

Rounding = Literal["yuan", "fen"]
"""How each side of a monthly contribution is rounded: half-up to the yuan, or to the fen."""

NATIONAL_RATIOS = (
    "住房和城乡建设部 财政部 中国人民银行《关于住房公积金管理若干具体问题的指导意见》"
    "(建金〔2005〕5号) 二: 单位和职工缴存比例不应低于5%，原则上不高于12%"
)
"""The source of the default 5 %–12 % ratio range (the national guidance, as quoted by centers)."""

YUAN_ROUNDING = (
    "上海市公积金管理中心's published monthly limits are whole yuan for each side: the 2025 "
    "bounds 2,690 and 37,302 at 7% give 188 and 2,611 a side, 376 and 5,222 together "
    "(AASTOCKS, 2025-09-19, https://secure.aastocks.com/en/mobile/News.aspx?NewsID=NOW.1471493"
    "&NewsSource=HK6); the Ningxia center's app shows 汇缴 568.00 a month "
    "(宁夏住房公积金 手机APP使用手册, 账户明细)"
)
"""Why the default rounding is to the yuan (the tie rule, half-up, is not visible in these figures)."""

SHANGHAI_SUPPLEMENTARY = (
    "上海市公积金管理中心, Adjustment to the Municipality's Housing Provident Fund Payment Base, "
    "Payment Rates & Upper and Lower Limits of Monthly Payment Amounts Effective as of 1st July "
    "(2016, https://m.shgjj.com/html/en/news/90809.html): the payment rates of employees and units for "
    "the additional (supplementary) housing provident fund, where applicable, within 1-5 pct"
)
"""A public example of supplementary fund (补充住房公积金) bounds: Shanghai's 1 %–5 % a side."""


@dataclass(frozen=True, slots=True)
class DepositRate:
    """One row of the deposit rate table: the rates in force from ``effective``.

    ``current_year`` applies to the year's deposits (当年归集) and
    ``carried_over`` to the balance brought forward at the last settlement
    (上年结转); from 2016-02-21 both are the same 1.50 %.
    """

    effective: date
    current_year: Fraction
    carried_over: Fraction
    source: str


@dataclass(frozen=True, slots=True)
class DepositRates:
    """The provident fund deposit rate table (住房公积金个人账户存款利率), by effective date.

    >>> table = deposit_rates()
    >>> [(r.effective.isoformat(), float(r.current_year), float(r.carried_over)) for r in table.rows]
    [('2015-10-24', 0.0035, 0.011), ('2016-02-21', 0.015, 0.015)]
    >>> table.on("2020-06-30").current_year
    Fraction(3, 200)
    >>> table.on("2015-01-01")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: on='2015-01-01' is out of range: expected a date on or after 2015-10-24, the first deposit rate the table sources (pass rules=AccountRules(deposit_rates=...) for earlier years)
    """

    rows: tuple[DepositRate, ...]
    name: str = "gjjcalc/account/data/deposit_rates.csv"

    def __post_init__(self) -> None:
        if not self.rows:
            raise InputError("rows", (), "at least one deposit rate row")
        for k in range(1, len(self.rows)):
            if self.rows[k].effective <= self.rows[k - 1].effective:
                raise InputError(f"rows[{k}].effective", self.rows[k].effective.isoformat(),
                                 f"a date after {self.rows[k - 1].effective}")

    @property
    def start(self) -> date:
        """The first day the table gives a rate for."""
        return self.rows[0].effective

    def index_on(self, day: date) -> int:
        """The index of the row in force on ``day``."""
        if day < self.start:
            raise InputError(
                "on", day.isoformat(),
                f"a date on or after {self.start}, the first deposit rate the table sources "
                "(pass rules=AccountRules(deposit_rates=...) for earlier years)",
            )
        k = 0
        while k + 1 < len(self.rows) and self.rows[k + 1].effective <= day:
            k += 1
        return k

    def on(self, day: date | str) -> DepositRate:
        """The row in force on ``day``."""
        return self.rows[self.index_on(to_date(day, "on"))]

    @classmethod
    def from_csv(cls, text: str, *, name: str = "deposit_rates.csv") -> DepositRates:
        """Read a table from CSV text with columns ``effective,current_year,carried_over,source``.

        >>> DepositRates.from_csv("effective,current_year,carried_over,source\\n"
        ...                       "2010-01-01,1%,2%,my own\\n").rows[0].carried_over
        Fraction(1, 50)
        """
        rows = []
        reader = csv.DictReader(io.StringIO(text))
        for line, record in enumerate(reader, start=2):
            where = f"{name}:{line}"
            try:
                rows.append(DepositRate(
                    effective=to_date(record["effective"], f"{where} effective"),
                    current_year=to_rate(record["current_year"], f"{where} current_year",
                                         what="a deposit rate"),
                    carried_over=to_rate(record["carried_over"], f"{where} carried_over",
                                         what="a deposit rate"),
                    source=(record.get("source") or "").strip(),
                ))
            except KeyError as err:
                raise InputError(name, str(err), "columns effective,current_year,carried_over,source") from None
            if not rows[-1].source:
                raise InputError(f"{where} source", "", "the document that set the rate")
        return cls(tuple(rows), name=name)


@cache
def deposit_rates() -> DepositRates:
    """The shipped table (``gjjcalc/account/data/deposit_rates.csv``), read once.

    >>> deposit_rates().on("2016-02-21").source.startswith("中国人民银行 住房城乡建设部 财政部")
    True
    """
    text = (resources.files("gjjcalc.account") / "data" / "deposit_rates.csv").read_text("utf-8")
    return DepositRates.from_csv(text, name="gjjcalc/account/data/deposit_rates.csv")


@dataclass(frozen=True, slots=True, init=False)
class AccountRules:
    """A center's account settings (a caller's, or the defaults below).

    Parameters
    ----------
    rounding : {"yuan", "fen"}
        Each side of a monthly contribution (单位 / 个人月缴存额) rounded
        half-up to the whole yuan (default) or to the fen. The default is the
        yuan because the centers' published figures are whole yuan (see
        ``YUAN_ROUNDING`` in this module); centers that round to the fen exist too,
        so it is a setting.
    base_min, base_max : amount or None
        The contribution base bounds (缴存基数下限 / 上限), commonly the local
        minimum wage and 3 × the local average wage; ``None`` (default):
        no bound. Give ``base_min_source`` / ``base_max_source`` to cite them.
    ratio_min, ratio_max : rate-like
        The contribution ratio range, 5 % and 12 % by default (the national
        guidance, 建金〔2005〕5号).
    settlement : (month, day)
        The yearly settlement day (结息日), 30 June by default: the year runs
        from 1 July to 30 June and the interest is booked on 30 June, as the
        Ningxia center's statement shows (年终结息 dated 2020-06-30).
    day_basis : int
        Days in the interest year: interest = 积数 × annual rate / ``day_basis``
        (360 by default, the daily rate = annual / 360 convention).
    withdraw_from : {"current_first", "carried_first"}
        Which part a withdrawal takes first while the year's deposits and the
        carried-over balance earn different rates (before 2016-02-21). No
        public source found; ``"current_first"`` by default.
    deposit_rates : DepositRates or None
        The rate table (default: the shipped one).
    supplementary_min, supplementary_max : rate-like
        The supplementary fund (补充住房公积金) ratio range of each side. No
        national rule bounds it (a center sets it where it runs a
        supplementary fund): the default accepts a ratio above 0 up to
        ``ratio_max``; Shanghai's 1 %–5 % is ``AccountRules(supplementary_min="1%",
        supplementary_max="5%", supplementary_source=SHANGHAI_SUPPLEMENTARY)``.
    pack : Pack or None
        The pack the settings come from (:meth:`from_pack` sets it), whose
        ``[offset]`` settings :func:`gjjcalc.account.offset_plan` applies.

    Examples
    --------
    >>> AccountRules().rounding, AccountRules().settlement
    ('yuan', (6, 30))
    >>> AccountRules(base_min=2690, base_max=37302, base_max_source="Shanghai 2025").base_max
    Fraction(37302, 1)
    >>> AccountRules(ratio_min="13%")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: ratio_min=Fraction(13, 100) is out of range: expected a ratio from 0 to ratio_max=Fraction(3, 25)
    """

    rounding: Rounding
    base_min: Fraction | None
    base_max: Fraction | None
    base_min_source: str
    base_max_source: str
    ratio_min: Fraction
    ratio_max: Fraction
    ratio_source: str
    settlement: tuple[int, int]
    day_basis: int
    withdraw_from: Literal["current_first", "carried_first"]
    deposit_rates: DepositRates = field(repr=False)
    supplementary_min: Fraction | None
    supplementary_max: Fraction | None
    supplementary_source: str
    pack: Pack | None = field(repr=False, compare=False)

    def __init__(
        self,
        *,
        rounding: Rounding = "yuan",
        base_min: object = None,
        base_max: object = None,
        base_min_source: str = "",
        base_max_source: str = "",
        ratio_min: object = "5%",
        ratio_max: object = "12%",
        ratio_source: str = NATIONAL_RATIOS,
        settlement: Sequence[int] = (6, 30),
        day_basis: int = 360,
        withdraw_from: Literal["current_first", "carried_first"] = "current_first",
        deposit_rates: DepositRates | None = None,
        supplementary_min: object = None,
        supplementary_max: object = None,
        supplementary_source: str = "",
        pack: Pack | None = None,
    ) -> None:
        if rounding not in ("yuan", "fen"):
            raise InputError("rounding", rounding, "'yuan' or 'fen'")
        low = None if base_min is None else to_amount(base_min, "base_min")
        high = None if base_max is None else to_amount(base_max, "base_max")
        if low is not None and high is not None and low > high:
            raise InputError("base_min", low, f"at most base_max={high}")
        rmin = to_rate(ratio_min, "ratio_min", what="a contribution ratio")
        rmax = to_rate(ratio_max, "ratio_max", what="a contribution ratio")
        if rmin > rmax:
            raise InputError("ratio_min", rmin, f"a ratio from 0 to ratio_max={rmax!r}")
        month, day = (*tuple(settlement), 0, 0)[:2]
        try:
            date(2001, month, day)  # a day every year has (never 29 February)
        except (TypeError, ValueError):
            raise InputError("settlement", tuple(settlement), "(month, day) of a day every year has") from None
        if isinstance(day_basis, bool) or day_basis not in (360, 365):
            raise InputError("day_basis", day_basis, "360 or 365")
        if withdraw_from not in ("current_first", "carried_first"):
            raise InputError("withdraw_from", withdraw_from, "'current_first' or 'carried_first'")
        smin = None if supplementary_min is None else to_rate(
            supplementary_min, "supplementary_min", what="a supplementary ratio")
        smax = None if supplementary_max is None else to_rate(
            supplementary_max, "supplementary_max", what="a supplementary ratio")
        if smin is not None and smax is not None and smin > smax:
            raise InputError("supplementary_min", smin, f"a ratio from 0 to supplementary_max={smax!r}")
        for name, value in (
            ("rounding", rounding), ("base_min", low), ("base_max", high),
            ("base_min_source", base_min_source), ("base_max_source", base_max_source),
            ("ratio_min", rmin), ("ratio_max", rmax), ("ratio_source", ratio_source),
            ("settlement", (month, day)), ("day_basis", day_basis),
            ("withdraw_from", withdraw_from),
            ("deposit_rates", deposit_rates if deposit_rates is not None else _shipped()),
            ("supplementary_min", smin), ("supplementary_max", smax),
            ("supplementary_source", str(supplementary_source)), ("pack", pack),
        ):
            object.__setattr__(self, name, value)

    @classmethod
    def from_pack(cls, pack: object, **overrides: object) -> AccountRules:
        """The settings a center pack states (its ``[contribution]`` ratio range), defaults elsewhere.

        >>> r = AccountRules.from_pack("liangshan")
        >>> r.ratio_min, r.ratio_max, r.ratio_source[:12]
        (Fraction(1, 20), Fraction(3, 25), '凉山州住房公积金管理中心')
        """
        from gjjcalc.rules.packs import Pack, load_pack

        loaded = pack if isinstance(pack, Pack) else load_pack(pack)
        given: dict[str, object] = {"pack": loaded}
        c = loaded.contribution
        if c.ratio_min is not None:
            given["ratio_min"] = c.ratio_min.value
            given["ratio_source"] = c.ratio_min.source
        if c.ratio_max is not None:
            given["ratio_max"] = c.ratio_max.value
            sources = [str(given.get("ratio_source", "")), c.ratio_max.source]
            given["ratio_source"] = "; ".join(dict.fromkeys(s for s in sources if s))
        given.update(overrides)
        return cls(**given)  # type: ignore[arg-type]

    def settlement_on_or_after(self, day: date) -> date:
        """The first settlement day on or after ``day``.

        >>> AccountRules().settlement_on_or_after(date(2019, 7, 1))
        datetime.date(2020, 6, 30)
        """
        month, dd = self.settlement
        this = date(day.year, month, dd)
        return this if this >= day else date(day.year + 1, month, dd)


def _shipped() -> DepositRates:
    return deposit_rates()


def resolve(rules: object) -> AccountRules:
    """``None`` → the defaults; an :class:`AccountRules` as it is; a pack (name, path or loaded)."""
    if rules is None:
        return AccountRules()
    if isinstance(rules, AccountRules):
        return rules
    return AccountRules.from_pack(rules)

