"""The figure of :func:`gjjcalc.account.compare_fund_strategies` (needs matplotlib).

``gjjcalc.plot`` re-exports :func:`fund_strategies`. The drawing shares
``gjjcalc.plot``'s figure class, fonts and axes checks (imported when the
function runs, so that ``gjjcalc.plot`` may import this module).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gjjcalc.account.offset import FundStrategies
from gjjcalc.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FUND_WORDS", "fund_strategies"]

FUND_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "offset_monthly": "offset monthly", "offset_yearly": "offset yearly",
        "prepay_lower_payment": "prepay, lower payment", "prepay_shorten_term": "prepay, shorter term",
        "do_nothing": "do nothing",
        "card_paid": "paid from the card", "fund_paid": "paid from the fund",
        "loan_interest": "loan interest", "fund_interest": "fund interest",
        "amounts_axis": "yuan, {on} to {horizon}", "net_axis": "net (yuan)",
        "net": "fund balance − card paid − loan balance at {horizon}",
        "title": "Using the fund from {on}: best is {best}",
    },
    "zh": {
        "offset_monthly": "逐月冲还贷", "offset_yearly": "每年提取",
        "prepay_lower_payment": "提前还款·减少月供", "prepay_shorten_term": "提前还款·缩短期限",
        "do_nothing": "不动用公积金",
        "card_paid": "还款卡支付", "fund_paid": "公积金支付",
        "loan_interest": "贷款利息", "fund_interest": "公积金利息",
        "amounts_axis": "元（{on} 至 {horizon}）", "net_axis": "净额（元）",
        "net": "{horizon} 公积金余额 − 还款卡支付 − 贷款余额",
        "title": "{on} 起如何使用公积金：{best} 最优",
    },
}
"""The figure's words: English (the default) or Chinese (``lang="zh"``)."""

_BARS = ("card_paid", "fund_paid", "loan_interest", "fund_interest")


def fund_strategies(
    comparison: FundStrategies,
    *,
    axes: Iterable[Axes] | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Figure:
    """The five uses of the fund side by side (公积金使用方式比较).

    Parameters
    ----------
    comparison : FundStrategies
        What :func:`gjjcalc.account.compare_fund_strategies` returns.
    axes : two matplotlib Axes (a list, tuple or array), optional
        Where to draw (top: the amounts; bottom: the net). By default a new
        8 × 6 inch figure with two stacked axes sharing the x axis.
    title : str, optional
        The figure's title (default: the day and the best strategy).
    lang : ``"en"`` or ``"zh"``
        The language of the labels (逐月冲还贷, 每年提取, 提前还款 …).

    Returns
    -------
    matplotlib.figure.Figure
        Top: four bar containers, one bar per strategy in the order of
        ``comparison.strategies``: ``"paid from the card"``, ``"paid from
        the fund"``, ``"loan interest"`` and ``"fund interest"`` (the
        strategies' ``card_paid``, ``fund_paid``, ``loan_interest`` and
        ``fund_interest`` as floats). Bottom: one container of the
        strategies' ``net``, the best one in another color.

    Raises
    ------
    InputError
        ``comparison`` is not a FundStrategies; ``axes`` is not two Axes;
        ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples
    --------
    The Jilin center's loan (吉林省住房公积金管理中心《个人网厅操作手册》) and an account
    of 80,000 receiving 2,400 a month:

    >>> from gjjcalc.account import Account, compare_fund_strategies
    >>> from gjjcalc.loan import Loan
    >>> loan = Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> acct = Account("2018-01-01", 80000).monthly_deposits(2400, "2018-01-15")
    >>> fig = fund_strategies(compare_fund_strategies(loan, acct, on="2018-01-29"))
    >>> top, bottom = fig.axes
    >>> [c.get_label() for c in top.containers]
    ['paid from the card', 'paid from the fund', 'loan interest', 'fund interest']
    >>> [float(bar.get_height()) for bar in bottom.containers[0]]
    [-173132.47, -167884.73, -21495.03, 22948.42, -22294.33]
    >>> [t.get_text() for t in bottom.get_xticklabels()][3]
    'prepay, shorter term'
    >>> fund_strategies("best")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: comparison='str' is out of range: expected a gjjcalc.account.FundStrategies
    """
    # gjjcalc.plot's figure class and fonts; imported here because gjjcalc.plot imports this module
    from gjjcalc import plot as base

    if not isinstance(comparison, FundStrategies):
        raise InputError("comparison", type(comparison).__name__, "a gjjcalc.account.FundStrategies")
    if not isinstance(lang, str) or lang not in FUND_WORDS:
        raise InputError("lang", lang, "'en' or 'zh'")
    words = FUND_WORDS[lang]
    with base._style():
        fig, (top, bottom) = base._figure_and_axes(2, axes, "axes")
        strategies = comparison.strategies
        x = list(range(len(strategies)))
        width = 0.8 / len(_BARS)
        for k, field in enumerate(_BARS):
            top.bar([i + (k - 1.5) * width for i in x], [float(getattr(s, field)) for s in strategies], width,
                    label=words[field], color=f"C{k}")
        dates = {"on": comparison.on.isoformat(), "horizon": comparison.horizon.isoformat()}
        top.set_ylabel(words["amounts_axis"].format(**dates))
        top.legend(loc="upper right", fontsize="small")
        base._yuan_axis(top)
        colors = ["C2" if s.name == comparison.best else "0.6" for s in strategies]
        bottom.bar(x, [float(s.net) for s in strategies], 0.6, color=colors, label=words["net"].format(**dates))
        bottom.axhline(0, color="0.3", linewidth=0.8)
        bottom.set_ylabel(words["net_axis"])
        bottom.legend(loc="lower right", fontsize="small")
        base._yuan_axis(bottom)
        bottom.set_xticks(x, [words[s.name] for s in strategies], rotation=15)
        default = words["title"].format(best=words[comparison.best], **dates)
        base._title(fig, top, title, default, own=axes is None)
    base._warn_without_font(fig, stacklevel=2)
    return fig
