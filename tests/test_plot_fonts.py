"""Chinese in figures: a CJK font is found even when matplotlib's font cache predates it, and a
figure with Chinese text draws without a single "Glyph … missing" warning when one is installed."""

from __future__ import annotations

import io
import warnings

import pytest

pytest.importorskip("matplotlib")

from matplotlib import font_manager

import gjjcalc
from gjjcalc import plot


@pytest.fixture
def fresh_choice():
    """cjk_font() chooses again in the test, and again after it (the real list restored)."""
    plot.cjk_font.cache_clear()
    yield
    plot.cjk_font.cache_clear()


def _latin_only(monkeypatch: pytest.MonkeyPatch) -> list[font_manager.FontEntry]:
    """matplotlib's font list as a cache made before any CJK font was installed."""
    entries = [f for f in font_manager.fontManager.ttflist if plot.choose_font([f.name]) is None]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", entries)
    return entries


def test_a_cjk_font_installed_after_matplotlibs_cache_was_made_is_found(monkeypatch, fresh_choice):
    entries = _latin_only(monkeypatch)
    files = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]
    added: list[str] = []

    def addfont(path: str) -> None:  # what matplotlib's addfont does with that file, minus reading it
        added.append(path)
        entries.append(font_manager.FontEntry(fname=path, name="Noto Sans CJK SC"))

    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: files)
    monkeypatch.setattr(font_manager.fontManager, "addfont", addfont)
    assert plot.cjk_font() == "Noto Sans CJK SC"
    assert added == ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]  # CJK files only


def test_a_font_file_that_cannot_be_read_is_skipped(monkeypatch, fresh_choice):
    _latin_only(monkeypatch)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: ["/nowhere/wqy-zenhei.ttc"])

    def addfont(path: str) -> None:
        raise OSError(path)

    monkeypatch.setattr(font_manager.fontManager, "addfont", addfont)
    assert plot.cjk_font() is None


def test_the_cached_list_is_used_when_it_has_a_cjk_font(monkeypatch, fresh_choice):
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [font_manager.FontEntry(fname="x.ttf", name="WenQuanYi Zen Hei")])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: pytest.fail("scanned"))
    assert plot.cjk_font() == "WenQuanYi Zen Hei"


def _installed_cjk_font() -> str | None:
    plot.cjk_font.cache_clear()
    return plot.cjk_font()


@pytest.mark.skipif(_installed_cjk_font() is None, reason="no CJK font installed (e.g. fonts-noto-cjk)")
def test_with_a_cjk_font_installed_chinese_figures_draw_without_a_single_warning():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    loan = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would be a UserWarning
        figs = [
            plot.schedule(s, lang="zh"),
            plot.schedule(s, title="我的还款计划：公积金贷款"),
            plot.prepayment_strategies(loan, amount=10000, on="2018-01-10", lang="zh"),
            plot.repricing_histogram([3362.48, 4352.06], [3312.41, 4270.16], lang="zh"),
        ]
        for fig in figs:
            assert fig._repr_png_()[:4] == b"\x89PNG"
            fig.savefig(io.BytesIO(), format="svg")
