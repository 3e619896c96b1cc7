"""gjjcalc.plot: the figures hold exactly the schedule's numbers, and bad input is refused."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")  # before matplotlib is imported anywhere

import io
import subprocess
import sys
import warnings
from datetime import date
from decimal import Decimal
from itertools import accumulate

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gjjcalc
from gjjcalc.errors import InputError

pytest.importorskip("matplotlib")

from matplotlib.container import BarContainer
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from gjjcalc import plot

SEED = {"released": "2015-08-28", "first_due": "2015-09-28", "pack": "jilin"}


def floats(values):
    return [float(v) for v in values]


def suptitle(fig):
    """The figure's title (``Figure.get_suptitle`` is matplotlib 3.8+)."""
    if hasattr(fig, "get_suptitle"):
        return fig.get_suptitle()
    return fig._suptitle.get_text() if fig._suptitle is not None else ""


def labelled(lines):
    """The data lines, without helper lines whose labels start with an underscore."""
    return [line for line in lines if not line.get_label().startswith("_")]


@pytest.fixture(scope="module")
def seed_schedule():
    return gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")


@pytest.fixture(scope="module")
def seed_loan():
    return gjjcalc.Loan(690000, "3.25%", 300, **SEED)


# --- schedule ------------------------------------------------------------------------------------


def test_schedule_draws_the_balance_line_at_the_due_dates(seed_schedule):
    fig = plot.schedule(seed_schedule)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    top = fig.axes[0]
    (line,) = top.get_lines()
    assert line.get_label() == "balance"
    assert line.get_ydata().tolist() == floats(seed_schedule.balance)
    assert line.get_xdata().tolist() == [float(date2num(d)) for d in seed_schedule.due_dates]
    assert line.get_ydata()[27] == 646609.84  # seed 001: balance after 28 payments
    assert top.get_ylabel() == "balance (yuan)"


def test_schedule_splits_each_payment_into_principal_and_interest(seed_schedule):
    bottom = plot.schedule(seed_schedule).axes[1]
    payment, principal = bottom.containers
    assert isinstance(payment, BarContainer)
    assert (payment.get_label(), principal.get_label()) == ("payment", "principal")
    assert len(payment) == len(principal) == 300
    assert [bar.get_height() for bar in payment] == floats(seed_schedule.payment)
    assert [bar.get_height() for bar in principal] == floats(seed_schedule.principal)
    assert all(bar.get_y() == 0 for bar in (*payment, *principal))
    # what shows above the principal is the interest: 3362.48 - 1493.73 = 1868.75
    shown = [p.get_height() - q.get_height() for p, q in zip(payment, principal, strict=True)]
    assert shown == pytest.approx(floats(seed_schedule.interest), abs=1e-9)
    assert shown[0] == pytest.approx(1868.75, abs=1e-9)
    legend = [text.get_text() for text in bottom.get_legend().get_texts()]
    assert legend == ["principal", "interest"]


def test_schedule_bars_span_their_periods_edge_to_edge(seed_schedule):
    payment = plot.schedule(seed_schedule).axes[1].containers[0]
    lefts = [bar.get_x() for bar in payment]
    rights = [bar.get_x() + bar.get_width() for bar in payment]
    due = [float(date2num(d)) for d in seed_schedule.due_dates]
    assert rights == pytest.approx(due, abs=1e-9)  # each bar ends on its due date
    assert lefts[1:] == due[:-1]  # and starts on the previous one
    assert lefts[0] == float(date2num(date(2015, 8, 28)))  # one month before the first due date
    assert {round(bar.get_width()) for bar in payment} <= {28, 29, 30, 31}


def test_schedule_without_due_dates_uses_the_period_numbers():
    s = gjjcalc.equal_principal(120000, "3.1%", 24)
    fig = plot.schedule(s)
    line = fig.axes[0].get_lines()[0]
    assert line.get_xdata().tolist() == list(range(1, 25))
    assert line.get_ydata().tolist() == floats(s.balance)
    assert line.get_ydata()[-1] == 0.0
    assert fig.axes[1].get_xlabel() == "period"
    payment, principal = fig.axes[1].containers
    assert [bar.get_x() for bar in payment] == list(range(24))  # period k spans [k - 1, k]
    assert [bar.get_width() for bar in payment] == [1.0] * 24
    heights = [bar.get_height() for bar in payment]
    assert heights == floats(s.payment)
    assert heights == sorted(heights, reverse=True)  # equal principal: the payment falls
    assert [bar.get_height() for bar in principal] == floats(s.principal)


def test_schedule_marks_the_period_of_a_prepayment(seed_loan):
    _, after = seed_loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    s = after.schedule()
    top = plot.schedule(s).axes[0]
    balance, mark = top.get_lines()
    assert balance.get_ydata().tolist() == floats(s.balance)
    assert len(balance.get_ydata()) == 294  # 28 paid + 266 left
    assert mark.get_label() == "prepaid 10,000.00"
    k = next(i for i, p in enumerate(s.prepaid) if p)
    assert s.due_dates[k] == date(2018, 1, 28)  # applied before the installment after 2018-01-10
    assert mark.get_xdata()[0] == float(date2num(s.due_dates[k]))


def test_schedule_title_names_the_loan(seed_schedule):
    fig = plot.schedule(seed_schedule)
    assert suptitle(fig) == (
        "690,000.00 yuan at 3.25%, 300 monthly payments (equal installment)"
    )
    assert suptitle(plot.schedule(seed_schedule, title="mine")) == "mine"


def test_schedule_title_mentions_a_repricing():
    s = gjjcalc.Loan(690000, None, 300, released="2015-08-28").schedule()
    assert "3.25% (repriced to 2.6%)" in suptitle(plot.schedule(s))


def test_schedule_draws_into_the_callers_axes(seed_schedule):
    fig = Figure()
    axes = fig.subplots(1, 2)  # a numpy array of two Axes
    assert plot.schedule(seed_schedule, axes=axes) is fig
    assert len(fig.axes) == 2
    assert axes[0].get_lines()[0].get_ydata().tolist() == floats(seed_schedule.balance)
    assert suptitle(fig) == ""  # the caller's figure keeps its own title
    plot.schedule(seed_schedule, axes=tuple(axes), title="seed 001")
    assert axes[0].get_title() == "seed 001"


def test_schedule_on_subfigure_axes_returns_the_root_figure(seed_schedule):
    fig = Figure()
    sub = fig.subfigures(1, 2)[1]
    assert plot.schedule(seed_schedule, axes=sub.subplots(2, 1)) is fig


def test_schedule_figure_saves_as_png_without_pyplot(seed_schedule):
    buffer = io.BytesIO()
    plot.schedule(seed_schedule).savefig(buffer, format="png", dpi=50)
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("bad", ["3362.48", None, [Decimal("1")], gjjcalc.payment(1000, 0, 1)])
def test_schedule_refuses_what_is_not_a_schedule(bad):
    with pytest.raises(InputError, match=r"^s=.* expected a gjjcalc.Schedule"):
        plot.schedule(bad)


@pytest.mark.parametrize("count", [1, 3])
def test_schedule_refuses_axes_that_are_not_two(seed_schedule, count):
    axes = Figure().subplots(count, 1, squeeze=False)[:, 0].tolist()
    with pytest.raises(InputError, match=r"^axes=.* 2 matplotlib Axes \(top to bottom\) or None"):
        plot.schedule(seed_schedule, axes=axes)


def test_schedule_refuses_non_axes(seed_schedule):
    top = Figure().subplots()
    for bad in (["top", "bottom"], "ab", top, [top, None]):
        with pytest.raises(InputError, match=r"^axes="):
            plot.schedule(seed_schedule, axes=bad)


@settings(max_examples=15, deadline=None)
@given(
    # at least a yuan a month, so the rounded payment repays (smaller loans are refused)
    principal=st.integers(min_value=6000, max_value=2_000_000_00).map(lambda f: Decimal(f) / 100),
    rate=st.sampled_from(["0", "2.1%", "2.6%", "3.25%", "4.9%"]),
    months=st.integers(min_value=1, max_value=60),
    method=st.sampled_from(["equal_installment", "equal_principal"]),
    convention=st.sampled_from(["center", "ledger", "exact"]),
)
def test_schedule_plots_every_column_exactly_as_floats(principal, rate, months, method, convention):
    make = gjjcalc.equal_installment if method == "equal_installment" else gjjcalc.equal_principal
    s = make(principal, rate, months, convention=convention)
    top, bottom = plot.schedule(s).axes
    assert top.get_lines()[0].get_ydata().tolist() == floats(s.balance)
    payment_bars, principal_bars = bottom.containers
    assert [b.get_height() for b in payment_bars] == floats(s.payment)
    assert [b.get_height() for b in principal_bars] == floats(s.principal)
    assert all(s.payment[k] == s.principal[k] + s.interest[k] for k in range(s.months))


# --- compare and prepayment_strategies -----------------------------------------------------------


def test_compare_draws_balance_and_running_interest_per_schedule():
    schedules = {
        "3.25%": gjjcalc.equal_installment(1_000_000, "3.25%", 360),
        "2.6%": gjjcalc.equal_installment(1_000_000, "2.6%", 360),
        "equal principal": gjjcalc.equal_principal(1_000_000, "2.6%", 360),
    }
    top, bottom = plot.compare(schedules).axes
    assert [line.get_label() for line in top.get_lines()] == list(schedules)
    assert [line.get_label() for line in bottom.get_lines()] == list(schedules)
    for line, s in zip(top.get_lines(), schedules.values(), strict=True):
        assert line.get_ydata().tolist() == floats(s.balance)
    for line, s in zip(bottom.get_lines(), schedules.values(), strict=True):
        assert line.get_ydata().tolist() == floats(accumulate(s.interest))
    legend = [text.get_text() for text in bottom.get_legend().get_texts()]
    assert legend == [f"{k}: {s.total_interest:,}" for k, s in schedules.items()]
    assert legend[1] == "2.6%: 441,222.43"


def test_compare_refuses_bad_input():
    s = gjjcalc.equal_installment(1000, "3%", 12)
    dated = gjjcalc.equal_installment(1000, "3%", 12, first_due="2020-01-15")
    with pytest.raises(InputError, match=r"^schedules=\{\} .* a non-empty mapping"):
        plot.compare({})
    with pytest.raises(InputError, match=r"^schedules=\[.* a non-empty mapping"):
        plot.compare([s])  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^schedules\['b'\]='int' .* a gjjcalc.Schedule"):
        plot.compare({"a": s, "b": 3})  # type: ignore[dict-item]
    with pytest.raises(InputError, match=r"all have due dates, or none"):
        plot.compare({"a": s, "b": dated})


def test_prepayment_strategies_plots_the_three_schedules_of_the_seed_loan(seed_loan):
    fig = plot.prepayment_strategies(seed_loan, amount=10000, on="2018-01-10")
    top, bottom = fig.axes
    expected = {
        "no prepayment": seed_loan.schedule(),
        "lower payment": seed_loan.prepay(amount=10000, on="2018-01-10", mode="lower_payment")[1].schedule(),
        "shorten term": seed_loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term")[1].schedule(),
    }
    balance = labelled(top.get_lines())
    interest = labelled(bottom.get_lines())
    assert [line.get_label() for line in balance] == list(expected)
    for line, s in zip(balance, expected.values(), strict=True):
        assert line.get_ydata().tolist() == floats(s.balance)
    for line, s in zip(interest, expected.values(), strict=True):
        assert line.get_ydata().tolist() == floats(accumulate(s.interest))
    # seed 001: shortening keeps 3362.48 and ends in 2040-02 (28 paid + 266 left)
    assert [len(line.get_xdata()) for line in balance] == [300, 300, 294]
    # prepaying saves interest, shortening saves more
    totals = [line.get_ydata()[-1] for line in interest]
    assert totals[0] > totals[1] > totals[2]
    # a dotted line marks the prepayment date on both axes
    for ax in (top, bottom):
        (mark,) = [line for line in ax.get_lines() if line.get_label() == "_prepayment"]
        assert mark.get_xdata()[0] == float(date2num(date(2018, 1, 10)))
    assert suptitle(fig).startswith("Prepaying 10,000.00 on 2018-01-10")


def test_prepayment_strategies_refuses_bad_input(seed_loan):
    with pytest.raises(InputError, match=r"^loan='Schedule' .* a gjjcalc.Loan"):
        plot.prepayment_strategies(seed_loan.schedule(), amount=10000, on="2018-01-10")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^amount="):
        plot.prepayment_strategies(seed_loan, amount=-1, on="2018-01-10")
    with pytest.raises(InputError, match=r"^on="):
        plot.prepayment_strategies(seed_loan, amount=10000, on="2015-01-01")


# --- repricing_histogram -------------------------------------------------------------------------


def test_repricing_histogram_counts_every_loan_and_marks_the_median():
    rng = np.random.default_rng(7)
    old = rng.uniform(1000, 6000, size=1000).round(2)
    new = (old - rng.uniform(0, 120, size=1000)).round(2)
    fig = plot.repricing_histogram(old, new, bins=25)
    (ax,) = fig.axes
    heights = [patch.get_height() for patch in ax.patches]
    assert len(heights) == 25
    assert sum(heights) == 1000
    counts, _ = np.histogram(new - old, bins=25)
    assert heights == counts.tolist()
    (median,) = ax.get_lines()
    assert median.get_xdata()[0] == pytest.approx(np.median(new - old))
    assert median.get_label() == f"median {np.median(new - old):+,.2f}"
    assert ax.get_title() == "Payment change at repricing: 1,000 loans"


def test_repricing_histogram_draws_into_the_callers_axes():
    fig = Figure()
    ax = fig.subplots()
    assert plot.repricing_histogram([3362.48], [3312.41], ax=ax, title="one loan") is fig
    assert ax.get_title() == "one loan"
    assert sum(p.get_height() for p in ax.patches) == 1


@pytest.mark.parametrize(
    ("old", "new", "kwargs", "message"),
    [
        ([1.0, 2.0], [1.0], {}, r"^new_payment=\(1,\) .* the shape of old_payment, \(2,\)"),
        ([], [], {}, r"^old_payment=\(0,\) .* at least one payment"),
        ([[1.0, 2.0]], [[1.0, 2.0]], {}, r"^old_payment=\(1, 2\) .* one-dimensional"),
        ([1.0, float("nan")], [1.0, 2.0], {}, r"^old_payment\[1\]=nan .* a finite number"),
        ([1.0, 2.0], [1.0, float("inf")], {}, r"^new_payment\[1\]=inf .* a finite number"),
        (["a"], [1.0], {}, r"^old_payment=\['a'\] .* array of numbers"),
        ([1.0], [2.0], {"bins": 0}, r"^bins=0 .* from 1 to 10000"),
        ([1.0], [2.0], {"bins": True}, r"^bins=True "),
        ([1.0], [2.0], {"bins": 2.5}, r"^bins=2.5 "),
        ([1.0], [2.0], {"ax": "axes"}, r"^ax='axes' .* a matplotlib Axes or None"),
    ],
)
def test_repricing_histogram_refuses_bad_input(old, new, kwargs, message):
    with pytest.raises(InputError, match=message):
        plot.repricing_histogram(old, new, **kwargs)


# --- import cost ---------------------------------------------------------------------------------


def test_importing_gjjcalc_plot_does_not_import_matplotlib():
    code = "import sys, gjjcalc.plot; print('matplotlib' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- notebooks: a figure shows itself ------------------------------------------------------------


def _png_shown(obj):
    """What a notebook displays for ``obj`` as a cell's value: IPython's formatter if IPython is
    installed (without ``%matplotlib inline``), else the ``_repr_png_`` it would call."""
    try:
        from IPython.core.formatters import DisplayFormatter
    except ImportError:
        return obj._repr_png_()
    data, _ = DisplayFormatter().format(obj)
    return data.get("image/png")


@pytest.mark.parametrize("kind", ["schedule", "compare", "strategies", "histogram"])
def test_figures_render_as_png_in_a_notebook_without_magic(kind, seed_schedule, seed_loan):
    figures = {
        "schedule": lambda: plot.schedule(seed_schedule),
        "compare": lambda: plot.compare({"a": seed_schedule}),
        "strategies": lambda: plot.prepayment_strategies(seed_loan, amount=10000, on="2018-01-10"),
        "histogram": lambda: plot.repricing_histogram([1.0, 2.0], [1.5, 2.5]),
    }
    fig = figures[kind]()
    assert isinstance(fig, Figure)
    png = _png_shown(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000


def test_a_figure_still_pickles_and_keeps_its_class(seed_schedule):
    import pickle

    fig = pickle.loads(pickle.dumps(plot.schedule(seed_schedule)))
    assert type(fig).__name__ == "_Figure"
    assert fig._repr_png_()[:4] == b"\x89PNG"


# --- Chinese ---------------------------------------------------------------------------------------


def test_schedule_in_chinese_labels_every_part(seed_schedule):
    fig = plot.schedule(seed_schedule, lang="zh")
    top, bottom = fig.axes
    assert top.lines[0].get_label() == "贷款余额"
    assert [top.get_ylabel(), bottom.get_ylabel(), bottom.get_xlabel()] == ["贷款余额（元）", "月供（元）", "还款日"]
    assert [c.get_label() for c in bottom.containers] == ["月供", "本金"]
    assert [t.get_text() for t in bottom.get_legend().get_texts()] == ["本金", "利息"]
    assert suptitle(fig) == "贷款 690,000.00 元，年利率 3.25%，300 期（等额本息）"
    # English stays the default
    assert plot.schedule(seed_schedule).axes[0].lines[0].get_label() == "balance"


def test_other_figures_take_lang(seed_schedule, seed_loan):
    fig = plot.compare({"甲": seed_schedule}, lang="zh")
    assert fig.axes[1].get_ylabel() == "累计利息（元）"
    assert fig.axes[1].get_legend().get_title().get_text() == "利息总额"
    fig = plot.prepayment_strategies(seed_loan, amount=10000, on="2018-01-10", lang="zh")
    assert [ln.get_label() for ln in labelled(fig.axes[1].lines)] == ["不提前还款", "减少月供", "缩短期限"]
    assert suptitle(fig).startswith("2018-01-10 提前还本 10,000.00 元")
    fig = plot.repricing_histogram([1.0, 2.0], [1.5, 2.5], lang="zh")
    assert fig.axes[0].get_ylabel() == "贷款笔数"


@pytest.mark.parametrize("lang", ["fr", "ZH", None, 1])
def test_lang_is_checked(seed_schedule, lang):
    with pytest.raises(InputError, match="lang"):
        plot.schedule(seed_schedule, lang=lang)


def test_choose_font_prefers_simplified_chinese_fonts():
    assert plot.choose_font(["DejaVu Sans", "SimHei", "PingFang SC"]) == "PingFang SC"
    assert plot.choose_font(["Microsoft YaHei", "Noto Sans CJK JP"]) == "Microsoft YaHei"
    assert plot.choose_font(["DejaVu Sans", "Noto Sans CJK JP"]) == "Noto Sans CJK JP"
    assert plot.choose_font(["Foo Han Sans"]) == "Foo Han Sans"
    assert plot.choose_font(["DejaVu Sans", "STIXGeneral"]) is None


def test_a_cjk_font_is_set_for_gjjcalcs_figures_only(monkeypatch, seed_schedule):
    import matplotlib

    monkeypatch.setattr(plot, "cjk_font", lambda: "DejaVu Sans Mono")  # stands in for a CJK font
    before = list(matplotlib.rcParams["font.family"])
    fig = plot.schedule(seed_schedule, lang="zh", title="还款计划")
    assert list(matplotlib.rcParams["font.family"]) == before  # the global settings are untouched
    title = fig._suptitle
    assert title.get_fontfamily() == [*before, "DejaVu Sans Mono"]
    assert fig.axes[0].get_legend().get_texts()[0].get_fontfamily()[-1] == "DejaVu Sans Mono"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a font is "installed": no warning from gjjcalc
        warnings.filterwarnings("ignore", message="Glyph")  # (the stand-in has no Chinese glyphs)
        plot.schedule(seed_schedule, lang="zh")
        fig._repr_png_()


def test_without_a_cjk_font_one_warning_names_how_to_install_one(monkeypatch, seed_schedule):
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    monkeypatch.setattr(plot, "_warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figs = [plot.schedule(seed_schedule, lang="zh") for _ in range(3)]
        for fig in figs:
            fig.savefig(io.BytesIO(), format="png")
            fig._repr_png_()
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages  # not one per missing glyph
    assert "fonts-noto-cjk" in messages[0]
    assert caught[0].category is UserWarning
    assert caught[0].filename == __file__  # points at the caller


def test_english_figures_never_warn_about_fonts(monkeypatch, seed_schedule):
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    monkeypatch.setattr(plot, "_warned", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot.schedule(seed_schedule)._repr_png_()


# --- without the extra -----------------------------------------------------------------------------


def test_without_matplotlib_the_import_error_names_the_extra():
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "try:\n    import gjjcalc.plot\n"
        "except ImportError as e:\n    print(type(e).__name__, isinstance(e, ModuleNotFoundError), e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("ModuleNotFoundError True ")
    assert "pip install 'gjjcalc[plot]'" in out.stdout
