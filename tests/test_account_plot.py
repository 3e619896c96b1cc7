"""The fund strategies' figure holds exactly the comparison's numbers, and bad input is refused."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")  # before matplotlib is imported anywhere

import pytest

pytest.importorskip("matplotlib")

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from gjjcalc.account import Account, compare_fund_strategies
from gjjcalc.account._plot import fund_strategies
from gjjcalc.errors import InputError
from gjjcalc.loan import Loan

ZERO = Loan(24000, 0, 24, released="2020-07-10")


@pytest.fixture(scope="module")
def comparison():  # type: ignore[no-untyped-def]
    return compare_fund_strategies(ZERO, Account("2020-07-01", 5000).monthly_deposits(600, "2020-07-05"),
                                   on="2020-07-10")


def test_every_bar_is_a_strategy_value(comparison) -> None:  # type: ignore[no-untyped-def]
    fig = fund_strategies(comparison)
    top, bottom = fig.axes
    fields = ["card_paid", "fund_paid", "loan_interest", "fund_interest"]
    for container, name in zip(top.containers, fields, strict=True):
        assert [bar.get_height() for bar in container] == [float(getattr(s, name)) for s in comparison]
    (net,) = bottom.containers
    assert [bar.get_height() for bar in net] == [float(s.net) for s in comparison]
    best = [s.name for s in comparison].index(comparison.best)
    colors = {tuple(bar.get_facecolor()) for k, bar in enumerate(net) if k != best}
    assert tuple(net[best].get_facecolor()) not in colors  # the best stands out
    assert comparison.best in ("prepay_lower_payment", "prepay_shorten_term", "do_nothing",
                               "offset_monthly", "offset_yearly")
    assert fig._suptitle is not None
    assert "2020-07-10" in fig._suptitle.get_text()
    assert fig._repr_png_()[:4] == b"\x89PNG"  # type: ignore[attr-defined]


@pytest.mark.filterwarnings("ignore:gjjcalc.plot. no font with Chinese")  # (none where fonts are missing)
def test_the_labels_in_chinese(comparison) -> None:  # type: ignore[no-untyped-def]
    fig = fund_strategies(comparison, lang="zh")
    ticks = [t.get_text() for t in fig.axes[1].get_xticklabels()]
    assert ticks == ["逐月冲还贷", "每年提取", "提前还款·减少月供", "提前还款·缩短期限", "不动用公积金"]
    assert [c.get_label() for c in fig.axes[0].containers] == ["还款卡支付", "公积金支付", "贷款利息", "公积金利息"]


def test_drawing_into_the_callers_axes_returns_their_figure(comparison) -> None:  # type: ignore[no-untyped-def]
    mine = Figure()
    axes = mine.subplots(2, 1)
    assert fund_strategies(comparison, axes=axes, title="mine") is mine
    assert axes[0].get_title() == "mine"


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"lang": "fr"}, "lang"),
    ({"axes": "top"}, "axes"),
])
def test_bad_input_names_the_argument(comparison, kwargs: dict[str, object], name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as err:
        fund_strategies(comparison, **kwargs)  # type: ignore[arg-type]
    assert err.value.name == name
    with pytest.raises(InputError) as err:
        fund_strategies(comparison.do_nothing)  # type: ignore[arg-type]
    assert err.value.name == "comparison"
