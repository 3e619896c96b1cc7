"""Plots of schedules, prepayment strategies and portfolio repricing (needs matplotlib).

Install the ``plot`` extra (``pip install 'gjjcalc[plot]'``); without it
``import gjjcalc.plot`` raises an ImportError that says so. matplotlib is
imported inside each function, so ``import gjjcalc.plot`` stays light.

Every function draws with matplotlib's object API (a
:class:`matplotlib.figure.Figure`, never pyplot's global state), so it works
under any backend, headless ``Agg`` included, and returns the figure: save it
with ``fig.savefig(...)``, or show it in a notebook by leaving it as a cell's
last value. The figure renders itself as a PNG there (``_repr_png_``), with
no ``%matplotlib inline`` needed. Pass ``axes=`` (or ``ax=``) to draw into
axes of your own figure instead; the function then returns that figure.

Chinese text (``lang="zh"`` labels, or titles and legend labels of your own)
is drawn with a CJK font chosen from those installed (Noto Sans CJK, Source
Han Sans, WenQuanYi, Microsoft YaHei, PingFang, SimHei …), set for these
figures only: matplotlib's global settings are not changed. When none is
installed, one warning says how to install one (e.g.
``apt install fonts-noto-cjk``) instead of a warning per missing glyph.

Amounts are plotted as floats of the exact ``Decimal`` values (yuan), so the
plotted data equals the schedule's columns to the fen.

>>> import gjjcalc
>>> from gjjcalc import plot
>>> s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
>>> fig = plot.schedule(s)
>>> [ax.get_ylabel() for ax in fig.axes]
['balance (yuan)', 'payment (yuan)']
>>> fig._repr_png_()[:4]  # what a notebook shows
b'\x89PNG'
>>> [ax.get_ylabel() for ax in plot.schedule(s, lang="zh").axes]
['贷款余额（元）', '月供（元）']
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from dateutil.relativedelta import relativedelta

from gjjcalc._types import AmountLike
from gjjcalc.account._plot import fund_strategies
from gjjcalc.amortize.schedule import Schedule
from gjjcalc.conventions import Method, PrepayMode
from gjjcalc.errors import InputError
from gjjcalc.loan import Loan
from gjjcalc.money import to_date

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import ArrayLike

if importlib.util.find_spec("matplotlib") is None:
    raise ModuleNotFoundError(
        "gjjcalc.plot needs matplotlib, which is not installed: pip install 'gjjcalc[plot]'",
        name="matplotlib",
    )

__all__ = ["cjk_font", "compare", "fund_strategies", "prepayment_strategies", "repricing_histogram", "schedule"]

_WIDTH = (8.0, 6.0)
"""Default size of a new figure, in inches (800 × 600 pixels at dpi=100)."""
_STRATEGIES: dict[str, PrepayMode | None] = {
    "no prepayment": None,
    "lower payment": PrepayMode.LOWER_PAYMENT,
    "shorten term": PrepayMode.SHORTEN_TERM,
}

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "balance": "balance", "payment": "payment", "principal": "principal", "interest": "interest",
        "balance_axis": "balance (yuan)", "payment_axis": "payment (yuan)",
        "due_date": "due date", "period": "period", "prepaid": "prepaid {amount:,}",
        "cumulative_axis": "cumulative interest (yuan)", "total_interest": "total interest",
        "no prepayment": "no prepayment", "lower payment": "lower payment", "shorten term": "shorten term",
        "equal_installment": "equal installment", "equal_principal": "equal principal",
        "repriced": " (repriced to {rate})",
        "schedule_title": "{loan:,} yuan at {rate}, {months} monthly payments ({method})",
        "prepay_title": "Prepaying {paid:,} on {day}: lower the payment, shorten the term, or not",
        "change_axis": "change in monthly payment (yuan)", "loans": "loans",
        "median": "median {median:+,.2f}", "histogram_title": "Payment change at repricing: {n:,} loans",
    },
    "zh": {
        "balance": "贷款余额", "payment": "月供", "principal": "本金", "interest": "利息",
        "balance_axis": "贷款余额（元）", "payment_axis": "月供（元）",
        "due_date": "还款日", "period": "期数", "prepaid": "提前还本 {amount:,}",
        "cumulative_axis": "累计利息（元）", "total_interest": "利息总额",
        "no prepayment": "不提前还款", "lower payment": "减少月供", "shorten term": "缩短期限",
        "equal_installment": "等额本息", "equal_principal": "等额本金",
        "repriced": "（调整为 {rate}）",
        "schedule_title": "贷款 {loan:,} 元，年利率 {rate}，{months} 期（{method}）",
        "prepay_title": "{day} 提前还本 {paid:,} 元：减少月供、缩短期限还是不提前还款",
        "change_axis": "月供变化（元）", "loans": "贷款笔数",
        "median": "中位数 {median:+,.2f}", "histogram_title": "利率调整后的月供变化：{n:,} 笔贷款",
    },
}
"""The figures' words: English (the default) or Chinese (``lang="zh"``)."""

CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "SimHei", "Sarasa Gothic SC", "Droid Sans Fallback",
    "Noto Sans CJK TC", "Source Han Sans TC", "Noto Sans CJK JP", "Source Han Sans",
    "AR PL UMing CN", "AR PL UKai CN", "Arial Unicode MS",
)
"""Fonts with the Chinese characters, in order of preference (simplified Chinese first)."""

NO_CJK_FONT = (
    "gjjcalc.plot: no font with Chinese characters is installed, so Chinese text draws as boxes; "
    "install one, e.g. `apt install fonts-noto-cjk` (Debian, Ubuntu), "
    "`dnf install google-noto-sans-cjk-fonts` (Fedora) or `brew install --cask font-noto-sans-cjk-sc` "
    "(macOS), then remove matplotlib's font cache (matplotlib.get_cachedir()) and restart Python"
)
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_GLYPH = r"Glyph \d+ .*missing from (current )?font"
_warned = False

P = ParamSpec("P")
T = TypeVar("T")


# --- fonts and display --------------------------------------------------------------------------


def choose_font(installed: Iterable[str]) -> str | None:
    """The preferred CJK font among the names of ``installed`` fonts, or None.

    A known name (:data:`CJK_FONTS`) first, else any whose name says CJK,
    Han, Hei or GB.

    >>> choose_font(["DejaVu Sans", "WenQuanYi Zen Hei", "Noto Sans CJK SC"])
    'Noto Sans CJK SC'
    >>> choose_font(["DejaVu Sans", "Some CJK Font"])
    'Some CJK Font'
    >>> choose_font(["DejaVu Sans"]) is None
    True
    """
    names = set(installed)
    for name in CJK_FONTS:
        if name in names:
            return name
    others = sorted(n for n in names if re.search(r"\bCJK\b|Han Sans|Hei\b|\bGB\b", n))
    return others[0] if others else None


_CJK_FILE = re.compile(
    r"cjk|sourcehan|source-han|wqy|wenquanyi|msyh|yahei|pingfang|simhei|simsun|hiragino|heiti|"
    r"droidsansfallback|sarasa|ukai|uming|notosanssc|notoserifsc|notosanstc|arialuni",
    re.IGNORECASE,
)
"""File names of fonts with Chinese characters (NotoSansCJK-Regular.ttc, wqy-zenhei.ttc, msyh.ttc …)."""


@functools.cache
def cjk_font() -> str | None:
    """The installed font gjjcalc's figures draw Chinese with, or None when there is none.

    Chosen once per process from matplotlib's font list (see
    :data:`CJK_FONTS`). matplotlib keeps that list in a cache file made
    when it first ran, so a font installed after that (``apt install
    fonts-noto-cjk`` on a machine that already used matplotlib) is not in
    it: when the list has no CJK font, the system's font files whose names
    say CJK (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei,
    PingFang, SimHei …) are added to it for this process. A font installed
    while Python runs needs a new process.

    >>> cjk_font() is None or isinstance(cjk_font(), str)
    True
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    found = choose_font(f.name for f in manager.ttflist)
    if found is not None:
        return found
    for path in sorted(font_manager.findSystemFonts()):
        if _CJK_FILE.search(Path(path).name):
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # an unreadable or unsupported file
                continue
    return choose_font(f.name for f in manager.ttflist)


@contextmanager
def _style() -> Iterator[str | None]:
    """matplotlib settings for gjjcalc's figures only: the CJK font after the usual ones (each
    glyph is drawn with the first font that has it), and no per-glyph warnings without one."""
    import matplotlib

    font = cjk_font()
    families = [f for f in matplotlib.rcParams["font.family"] if f != font]
    settings = {} if font is None else {"font.family": [*families, font]}
    with matplotlib.rc_context(settings), warnings.catch_warnings():  # type: ignore[arg-type]
        if font is None:
            warnings.filterwarnings("ignore", message=_GLYPH, category=UserWarning)
        yield font


def _warn_without_font(fig: Figure, stacklevel: int) -> None:
    """One warning per process when a figure holds Chinese text and no CJK font is installed."""
    global _warned
    from matplotlib.text import Text

    if _warned or cjk_font() is not None:
        return
    texts = [t for t in fig.findobj(Text) if isinstance(t, Text)]
    if any(_CJK.search(t.get_text()) for t in texts):
        _warned = True
        warnings.warn(NO_CJK_FONT, UserWarning, stacklevel=stacklevel)


def _styled(fn: Callable[P, T]) -> Callable[P, T]:
    """Draw inside :func:`_style`; warn once when Chinese text has no font."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with _style():
            out = fn(*args, **kwargs)
        _warn_without_font(out, stacklevel=3)  # type: ignore[arg-type]
        return out

    return wrapper


@functools.cache
def _figure_class() -> type[Figure]:
    """The figures gjjcalc makes: matplotlib Figures that show themselves in a notebook."""
    from matplotlib.figure import Figure

    class _Figure(Figure):
        """A Figure that renders as PNG in IPython and Jupyter without ``%matplotlib inline``.

        IPython shows a bare Figure as its text (``<Figure size ...>``) unless
        pyplot's inline backend registered a formatter; ``_repr_png_`` is what
        IPython asks any object for. It also draws with gjjcalc's font settings.
        """

        def _repr_png_(self) -> bytes:
            buf = io.BytesIO()
            self.savefig(buf, format="png", bbox_inches="tight")
            return buf.getvalue()

        def draw(self, renderer: Any) -> None:
            with _style():
                super().draw(renderer)

    _Figure.__module__ = __name__  # pickled by name: this module's __getattr__ finds it
    _Figure.__qualname__ = "_Figure"
    return _Figure


def __getattr__(name: str) -> Any:
    if name == "_Figure":
        return _figure_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _words(lang: object) -> dict[str, str]:
    if not isinstance(lang, str) or lang not in _LABELS:
        raise InputError("lang", lang, "'en' or 'zh'")
    return _LABELS[lang]


# --- helpers ------------------------------------------------------------------------------------


def _figure_and_axes(count: int, axes: object, name: str) -> tuple[Figure, list[Axes]]:
    """A new figure with ``count`` stacked axes sharing x, or the caller's axes checked."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if axes is None:
        fig = _figure_class()(figsize=(_WIDTH[0], 3.0 * count), layout="constrained")
        grid = fig.subplots(count, 1, sharex=True, squeeze=False)
        return fig, [grid[k, 0] for k in range(count)]
    given: list[object] = []
    if count == 1 and isinstance(axes, Axes):
        given = [axes]
    elif isinstance(axes, Iterable) and not isinstance(axes, str | bytes | Axes):
        given = list(axes)  # a list, a tuple, or the array Figure.subplots returns
    chosen = [ax for ax in given if isinstance(ax, Axes)]
    if len(chosen) != count or len(given) != count:
        what = "a matplotlib Axes" if count == 1 else f"{count} matplotlib Axes (top to bottom)"
        raise InputError(name, axes, f"{what} or None")
    owner = chosen[0].figure
    root = owner if isinstance(owner, Figure) else owner.figure  # a SubFigure's root figure
    return root, chosen


def _x(s: Schedule) -> tuple[list[float], bool]:
    """The x values of a schedule's periods: matplotlib date numbers of the due dates, or periods."""
    if s.due_dates is None:
        return [float(k) for k in range(1, s.months + 1)], False
    return [_date_number(d) for d in s.due_dates], True


def _period_starts(s: Schedule, x: Sequence[float]) -> list[float]:
    """Where each period starts on the x axis: the previous due date (or period number).

    Period 1 starts one month before the first due date (period 0 without dates).
    """
    if not x:
        return []
    if s.due_dates is None:
        first = x[0] - 1.0
    else:
        first = _date_number(s.due_dates[0] - relativedelta(months=1))
    return [first, *x[:-1]]


def _date_number(day: date) -> float:
    """matplotlib's number for a date (days since its configured epoch)."""
    from matplotlib import dates

    convert: Callable[[date], float] = dates.date2num  # matplotlib.dates ships no annotations
    return float(convert(day))


def _floats(values: Sequence[Decimal]) -> list[float]:
    return [float(v) for v in values]


def _check_schedule(s: object, name: str) -> Schedule:
    if not isinstance(s, Schedule):
        raise InputError(name, type(s).__name__, "a gjjcalc.Schedule")
    return s


def _format_x(ax: Axes, dated: bool, words: Mapping[str, str]) -> None:
    if dated:
        ax.xaxis_date()
        ax.set_xlabel(words["due_date"])
    else:
        ax.set_xlabel(words["period"])


def _yuan_axis(ax: Axes) -> None:
    from matplotlib.ticker import StrMethodFormatter

    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_axisbelow(True)  # the grid behind the bars
    ax.grid(True, alpha=0.3)


# --- public functions ---------------------------------------------------------------------------


@_styled
def schedule(
    s: Schedule,
    *,
    axes: Iterable[Axes] | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Figure:
    """A schedule's balance over time and its principal/interest split per period (还款计划图).

    Parameters
    ----------
    s : Schedule
        Any :class:`gjjcalc.Schedule`: from :func:`gjjcalc.equal_installment`,
        :func:`gjjcalc.equal_principal` or :meth:`gjjcalc.Loan.schedule`
        (prepayments included).
    axes : two matplotlib Axes (a list, tuple or array), optional
        Where to draw (top: balance; bottom: payment split). By default a
        new 8 × 6 inch figure with two stacked axes sharing the x axis.
    title : str, optional
        The figure's title (default: the loan, rate and term).
    lang : ``"en"`` or ``"zh"``
        The language of the labels, legends and default title: English (the
        default) or Chinese (贷款余额, 月供, 本金, 利息, 还款日).

    Returns
    -------
    matplotlib.figure.Figure
        The top axes hold one line labelled ``"balance"``: x = the due dates
        (or the periods 1..n when the schedule has no dates), y =
        ``s.balance`` as floats (the balance after each period). A period
        with a prepayment (``s.prepaid``) gets a dotted vertical line. The
        bottom axes show each payment split into principal and interest, one
        bar per period spanning it (from the previous due date to its own):
        two bar containers drawn from 0, ``"payment"`` (``s.payment``) and
        in front of it ``"principal"`` (``s.principal``), so that what shows
        of the payment above the principal is the interest. Every plotted
        number is a schedule value as a float.

    Raises
    ------
    InputError
        ``s`` is not a Schedule; ``axes`` is not two Axes; ``lang`` is neither
        ``"en"`` nor ``"zh"``.

    Examples
    --------
    >>> import gjjcalc
    >>> s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    >>> fig = schedule(s)
    >>> top, bottom = fig.axes
    >>> line = top.lines[0]
    >>> line.get_label(), float(line.get_ydata()[27])
    ('balance', 646609.84)
    >>> payment, principal = bottom.containers
    >>> payment.get_label(), principal.get_label()
    ('payment', 'principal')
    >>> float(payment[0].get_height()), float(principal[0].get_height())  # 1868.75 interest
    (3362.48, 1493.73)
    >>> zh = schedule(s, lang="zh")
    >>> [t.get_text() for t in zh.axes[1].get_legend().get_texts()], zh.axes[1].get_xlabel()
    (['本金', '利息'], '还款日')
    >>> zh.get_suptitle()
    '贷款 690,000.00 元，年利率 3.25%，300 期（等额本息）'
    >>> schedule("3362.48")
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: s='str' is out of range: expected a gjjcalc.Schedule
    """
    s = _check_schedule(s, "s")
    words = _words(lang)
    fig, (top, bottom) = _figure_and_axes(2, axes, "axes")
    x, dated = _x(s)
    top.plot(x, _floats(s.balance), label=words["balance"], color="C0")
    for k, amount in enumerate(s.prepaid):
        if amount:
            top.axvline(x[k], color="C3", linestyle=":", label=words["prepaid"].format(amount=amount))
    top.set_ylabel(words["balance_axis"])
    top.set_ylim(bottom=0)
    top.legend(loc="upper right")
    _yuan_axis(top)

    # Each period's bar spans the period (from the previous due date to its own). The
    # payment bar is drawn from 0 and the principal bar in front of it from 0, so the
    # visible top part is the interest (payment = principal + interest on every row)
    # and both containers hold the schedule's own numbers: matplotlib's ``bottom=``
    # stacking would store each height as (bottom + height) - bottom, off in the last bit.
    starts = _period_starts(s, x)
    widths = [end - begin for begin, end in zip(starts, x, strict=True)]
    payment = _floats(s.payment)
    # edges in the bar's own color close the hairline seams between adjacent bars
    paid = bottom.bar(starts, payment, widths, align="edge", color="C1", edgecolor="C1",
                      linewidth=0.6, label=words["payment"])
    part = bottom.bar(starts, _floats(s.principal), widths, align="edge", color="C0",
                      edgecolor="C0", linewidth=0.6, label=words["principal"])
    bottom.set_ylim(0, max(payment, default=0.0) * 1.3 or 1.0)  # room for the legend
    bottom.set_ylabel(words["payment_axis"])
    bottom.legend([part, paid], [words["principal"], words["interest"]], loc="upper center", ncols=2)
    _yuan_axis(bottom)
    _format_x(bottom, dated, words)
    _title(fig, top, title, _describe(s, words), own=axes is None)
    return fig


@_styled
def compare(
    schedules: Mapping[str, Schedule],
    *,
    axes: Iterable[Axes] | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Figure:
    """Several schedules of one loan side by side: balance and cumulative interest over time.

    Parameters
    ----------
    schedules : mapping of str to Schedule
        Labels and schedules, drawn in order (colors C0, C1, ...). Either all
        have due dates (x = dates) or none has (x = periods). At least one.
    axes : two matplotlib Axes (a list, tuple or array), optional
        Where to draw (top: balance; bottom: cumulative interest). By
        default a new figure with two stacked axes sharing the x axis.
    title : str, optional
        The figure's title.
    lang : ``"en"`` or ``"zh"``
        The language of the axis labels (贷款余额, 累计利息, 利息总额 in Chinese).

    Returns
    -------
    matplotlib.figure.Figure
        Per schedule, one line on each axes labelled with its key: the
        balance after each period (``s.balance``) and the running sum of the
        interest column as shown (``s.interest``, summed exactly, as floats).
        The legend of the bottom axes shows each ``s.total_interest`` (利息总额,
        the exact interest rounded once), which can differ by a few fen from
        the sum of the rounded column under ``center`` and ``exact``.

    Raises
    ------
    InputError
        An empty mapping, a value that is not a Schedule, schedules with and
        without due dates mixed, ``axes`` not two Axes.

    Examples
    --------
    >>> import gjjcalc
    >>> fig = compare({
    ...     "3.25%": gjjcalc.equal_installment(1_000_000, "3.25%", 360),
    ...     "2.6%": gjjcalc.equal_installment(1_000_000, "2.6%", 360),
    ... })
    >>> interest = fig.axes[1].lines
    >>> [(line.get_label(), float(line.get_ydata()[-1])) for line in interest]
    [('3.25%', 566743.68), ('2.6%', 441222.38)]
    >>> [text.get_text() for text in fig.axes[1].get_legend().get_texts()]
    ['3.25%: 566,743.54', '2.6%: 441,222.43']
    """
    if not isinstance(schedules, Mapping) or not schedules:
        raise InputError("schedules", schedules, "a non-empty mapping of labels to gjjcalc.Schedule")
    checked = {str(k): _check_schedule(v, f"schedules[{k!r}]") for k, v in schedules.items()}
    if len({s.due_dates is None for s in checked.values()}) > 1:
        raise InputError(
            "schedules", list(checked), "schedules that all have due dates, or none of which has"
        )
    words = _words(lang)
    fig, (top, bottom) = _figure_and_axes(2, axes, "axes")
    _compare(checked, top, bottom, words)
    _title(fig, top, title, None, own=axes is None)
    return fig


def _compare(checked: Mapping[str, Schedule], top: Axes, bottom: Axes, words: Mapping[str, str]) -> None:
    dated = False
    for k, (label, s) in enumerate(checked.items()):
        x, dated = _x(s)
        top.plot(x, _floats(s.balance), label=label, color=f"C{k}")
        running = _floats(list(accumulate(s.interest)))
        bottom.plot(x, running, label=label, color=f"C{k}")
    top.set_ylabel(words["balance_axis"])
    top.set_ylim(bottom=0)
    top.legend(loc="upper right")
    _yuan_axis(top)
    bottom.set_ylabel(words["cumulative_axis"])
    bottom.set_ylim(bottom=0)
    bottom.legend(
        [f"{label}: {s.total_interest:,}" for label, s in checked.items()],
        title=words["total_interest"],
        loc="lower right",
    )
    _yuan_axis(bottom)
    _format_x(bottom, dated, words)


@_styled
def prepayment_strategies(
    loan: Loan,
    *,
    amount: AmountLike,
    on: date | str,
    axes: Iterable[Axes] | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Figure:
    """Prepay or not: lower the payment vs shorten the term vs no prepayment (提前还款方式比较).

    Parameters
    ----------
    loan : Loan
        A :class:`gjjcalc.Loan` (its history and pack rules apply).
    amount
        The principal to prepay, as for :meth:`gjjcalc.Loan.prepay`.
    on : date or 'YYYY-MM-DD'
        The prepayment date.
    axes : two matplotlib Axes (a list, tuple or array), optional
        As for :func:`compare`.
    title : str, optional
        The figure's title (default: the amount and the date).
    lang : ``"en"`` or ``"zh"``
        The language of the labels and default title; in Chinese the three
        schedules are 不提前还款, 减少月供 and 缩短期限.

    Returns
    -------
    matplotlib.figure.Figure
        :func:`compare` of three schedules, labelled ``"no prepayment"``
        (``loan.schedule()``), ``"lower payment"`` and ``"shorten term"``
        (the schedules of the loans :meth:`gjjcalc.Loan.prepay` returns with
        those modes), plus a dotted vertical line on each axes at ``on``.
        The cumulative interest is the scheduled interest; the interest on
        the prepaid amount itself (``PrepaymentResult.interest``, the same
        for both modes) is not in it.

    Raises
    ------
    InputError
        ``loan`` is not a Loan; whatever :meth:`gjjcalc.Loan.prepay` raises
        for ``amount`` and ``on``.

    Examples
    --------
    The loan in the Jilin center's manual (吉林省住房公积金管理中心《个人网厅操作手册》) prepaying 10,000 on 2018-01-10:

    >>> import gjjcalc
    >>> loan = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    >>> fig = prepayment_strategies(loan, amount=10000, on="2018-01-10")
    >>> balance = [line for line in fig.axes[0].lines if not line.get_label().startswith("_")]
    >>> [(line.get_label(), len(line.get_xdata())) for line in balance]
    [('no prepayment', 300), ('lower payment', 300), ('shorten term', 294)]
    >>> zh = prepayment_strategies(loan, amount=10000, on="2018-01-10", lang="zh")
    >>> [line.get_label() for line in zh.axes[0].lines if not line.get_label().startswith("_")]
    ['不提前还款', '减少月供', '缩短期限']
    """
    words = _words(lang)
    if not isinstance(loan, Loan):
        raise InputError("loan", type(loan).__name__, "a gjjcalc.Loan")
    day = to_date(on, "on")
    schedules: dict[str, Schedule] = {}
    paid = Decimal(0)
    for label, mode in _STRATEGIES.items():
        if mode is None:
            schedules[words[label]] = loan.schedule()
            continue
        result, after = loan.prepay(amount=amount, on=day, mode=mode)
        schedules[words[label]] = after.schedule()
        paid = result.amount
    fig, (top, bottom) = _figure_and_axes(2, axes, "axes")
    _compare(schedules, top, bottom, words)
    mark = _date_number(day)
    for ax in (top, bottom):
        ax.axvline(mark, color="0.4", linestyle=":", label="_prepayment")
    default = words["prepay_title"].format(paid=paid, day=day.isoformat())
    _title(fig, top, title, default, own=axes is None)
    return fig


@_styled
def repricing_histogram(
    old_payment: ArrayLike,
    new_payment: ArrayLike,
    *,
    bins: int = 50,
    ax: Axes | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Figure:
    """How a portfolio's monthly payments change at a repricing (存量贷款利率调整): a histogram.

    Parameters
    ----------
    old_payment, new_payment : array_like of float
        One-dimensional, the same length (at least 1), finite: each loan's
        payment before and after, e.g. from :func:`gjjcalc.batch.reprice`
        at the old and the new rate.
    bins : int
        Number of histogram bins, from 1 to 10,000.
    ax : matplotlib Axes, optional
        Where to draw; by default a new 8 × 4.5 inch figure.
    title : str, optional
        The title (default: the number of loans).
    lang : ``"en"`` or ``"zh"``
        The language of the labels and default title (月供变化, 贷款笔数, 中位数).

    Returns
    -------
    matplotlib.figure.Figure
        The axes hold the histogram of ``new_payment - old_payment`` (one bar
        patch per bin; the heights sum to the number of loans) and a dashed
        vertical line labelled ``"median ..."`` at the median change.

    Raises
    ------
    InputError
        Arrays that are not one-dimensional, differ in length, are empty or
        hold NaN or infinity (naming the first bad element); ``bins`` out of
        range; ``ax`` not an Axes.

    Examples
    --------
    >>> fig = repricing_histogram([3362.48, 4352.06, 2100.0], [3312.41, 4270.16, 2100.0], bins=4)
    >>> ax = fig.axes[0]
    >>> [int(p.get_height()) for p in ax.patches]
    [1, 1, 0, 1]
    >>> ax.lines[0].get_label()
    'median -50.07'
    >>> repricing_histogram([1.0, 2.0], [1.0])
    Traceback (most recent call last):
    ...
    gjjcalc.errors.InputError: new_payment=(1,) is out of range: expected the shape of old_payment, (2,)
    """
    import numpy as np

    words = _words(lang)
    old = _payments(old_payment, "old_payment")
    new = _payments(new_payment, "new_payment")
    if new.shape != old.shape:
        raise InputError("new_payment", new.shape, f"the shape of old_payment, {old.shape}")
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or not 1 <= bins <= 10_000:
        raise InputError("bins", bins, "an integer from 1 to 10000")
    if ax is None:
        fig, (axis,) = _figure_and_axes(1, None, "ax")
        fig.set_size_inches(_WIDTH[0], 4.5)
    else:
        fig, (axis,) = _figure_and_axes(1, ax, "ax")
    change = new - old
    median = float(np.median(change))
    axis.hist(change, bins=int(bins), color="C0", label=words["loans"])
    axis.axvline(median, color="C3", linestyle="--", label=words["median"].format(median=median))
    axis.set_xlabel(words["change_axis"])
    axis.set_ylabel(words["loans"])
    axis.set_axisbelow(True)
    axis.grid(True, alpha=0.3)
    axis.legend(loc="upper left")
    axis.set_title(title or words["histogram_title"].format(n=change.size))
    return fig


# --- small helpers for the public functions -------------------------------------------------------


def _payments(values: ArrayLike, name: str) -> Any:
    import numpy as np

    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(name, values, "a one-dimensional array of numbers") from None
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(name, arr.shape, "a one-dimensional array of at least one payment")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}[{i}]", arr[i].item(), "a finite number")
    return arr


def _describe(s: Schedule, words: Mapping[str, str]) -> str:
    method = words[Method(s.method).value]
    rate = f"{float(s.annual_rate) * 100:g}%"
    if s.rate and s.rate[-1] != s.annual_rate:
        rate += words["repriced"].format(rate=f"{float(s.rate[-1]) * 100:g}%")
    return words["schedule_title"].format(loan=s.loan, rate=rate, months=s.months, method=method)


def _title(fig: Figure, top: Axes, title: str | None, default: str | None, *, own: bool) -> None:
    """Our own figure gets ``title`` or the default; the caller's axes only a title asked for."""
    if own and (title or default):
        fig.suptitle(title or default or "")
    elif not own and title:
        top.set_title(title)
