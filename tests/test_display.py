"""What users see: short reprs, notebook HTML whose cost does not depend on the number of loans,
ImportErrors that name the extra, the kernel warm-up, and docs search that finds Chinese terms."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import gjjcalc
from gjjcalc import _display, cli
from gjjcalc.amortize import batch as engine

ROOT = Path(__file__).resolve().parent.parent
N = 1_000_000


@pytest.fixture(scope="module")
def seed_schedule():
    return gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")


# --- a schedule's short text ---------------------------------------------------------------------


def test_schedule_summary_text_is_short_and_says_what_the_schedule_is(seed_schedule):
    text = _display.schedule_repr(seed_schedule)
    assert len(text) < 600
    for part in ("equal_installment", "center", "690000.00", "0.0325", "300 months", "3362.48",
                 "318744.90", "1008744.90", "period 1 2015-09-28", "period 300 2040-08-28"):
        assert part in text
    assert len(_display.schedule_repr(gjjcalc.equal_principal(1_000_000, "4.9%", 360))) < 600
    one = _display.schedule_repr(gjjcalc.equal_installment(1000, "3.25%", 1))
    assert "1 month;" in one
    assert "..." not in one


def test_repr_of_a_schedule_is_short(seed_schedule):
    assert repr(seed_schedule) == _display.schedule_repr(seed_schedule)
    assert len(repr(seed_schedule)) < 600


def test_the_whole_table_is_still_there(seed_schedule):
    html = seed_schedule._repr_html_()
    assert "300 rows" in html
    assert "646609.84" not in html  # row 28 is elided in the notebook view ...
    assert "646609.84" in gjjcalc.to_json(seed_schedule)  # ... and in the full data


# --- batch results -------------------------------------------------------------------------------


def _million():
    rng = np.random.default_rng(1)
    values = rng.uniform(100, 5000, N).round(2)
    status = np.zeros(N, dtype=np.int8)
    status[-1] = 1
    return {
        "summary": engine.BatchSummary(values, values, values, values, status),
        "payoff": engine.BatchPayoff(values, values, values, status),
        "prepayment": engine.BatchPrepayment(values, values, values, np.full(N, 12), values, values, status),
    }


@pytest.mark.parametrize("kind", ["summary", "payoff", "prepayment"])
def test_batch_html_of_a_million_loans_takes_milliseconds(kind):
    result = _million()[kind]
    result._repr_html_()  # warm
    start = time.perf_counter()
    html = result._repr_html_()
    elapsed = time.perf_counter() - start
    assert elapsed < 0.25, elapsed  # a few ms here; building every row took seconds
    assert "1000000 rows" in html
    assert "<th>rows with bad input</th><td>1</td>" in html
    assert html.count("<tr><td>") == 11  # the first 5, a row of "…", the last 5


def test_batch_html_builds_only_the_rows_it_shows(monkeypatch):
    built = []
    real = engine._Rows.__init__

    def counting(self, size, make):
        real(self, size, lambda i: built.append(i) or make(i))

    monkeypatch.setattr(engine._Rows, "__init__", counting)
    html = _million()["payoff"]._repr_html_()
    assert built == [0, 1, 2, 3, 4, N - 5, N - 4, N - 3, N - 2, N - 1]
    assert f"<td>{N - 1}</td>" in html


def test_batch_schedule_html_shows_each_loans_first_payment_and_row_sums():
    s = gjjcalc.batch.schedules([690000, 1000], 0.0325, [300, 2])
    html = s._repr_html_()
    assert "<th>periods</th><td>302</td>" in html
    assert "<td>3,362.48</td><td>1,008,744.90</td><td>318,744.86</td>" in html
    assert "<th>first_payment (yuan)</th>" in html


def test_batch_repr_is_short_at_a_million_loans():
    for result in _million().values():
        text = repr(result)
        assert len(text) < 600
        assert text.startswith(f"{type(result).__name__}(1,000,000 loans, 1 with bad input; ")


# --- extras that are not installed ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "blocked", "extra"),
    [
        ("gjjcalc.plot", "matplotlib", "plot"),
        ("gjjcalc.testing", "hypothesis", "testing"),
        ("gjjcalc.dask", "dask", "dask"),
        ("gjjcalc.dask", "pandas", "dask"),
    ],
)
def test_a_missing_extra_is_named_in_the_import_error(module, blocked, extra):
    code = (
        f"import sys; sys.modules[{blocked!r}] = None\n"
        f"try:\n    import {module}\n"
        "except ModuleNotFoundError as e:\n    print('ModuleNotFoundError', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("ModuleNotFoundError ")
    assert f"pip install 'gjjcalc[{extra}]'" in out.stdout


# --- warm-up -------------------------------------------------------------------------------------


def test_warmup_returns_the_seconds_and_is_quick_the_second_time():
    first = gjjcalc.batch.warmup()
    assert isinstance(first, float)
    assert first >= 0
    assert gjjcalc.batch.warmup() < 1.5
    assert "warmup" in gjjcalc.batch.__all__


def test_cli_warmup_prints_the_seconds(capsys):
    assert cli.main(["warmup", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"seconds", "cached"}
    assert re.fullmatch(r"\d+\.\d{3}", data["seconds"])
    assert cli.main(["warmup"]) == 0
    assert "seconds" in capsys.readouterr().out


@pytest.mark.jit_only
def test_warmup_compiles_every_kernel_from_a_cold_cache(tmp_path):
    code = (
        "from numba.core.registry import CPUDispatcher\n"
        "from gjjcalc.amortize import batch, _kernels as kn\n"
        "batch.warmup()\n"
        "print([n for n, v in vars(kn).items() if isinstance(v, CPUDispatcher)"
        " and not v.signatures and v.targetoptions.get('inline') != 'always'])\n"
    )
    env = {**__import__("os").environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env, timeout=300)
    assert out.stdout.strip() == "[]"  # no kernel is left to compile on a first real call


# --- docs search in Chinese ----------------------------------------------------------------------


def _search_separator():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+lang: \[en, zh\]$", text, re.MULTILINE)
    (sep,) = re.findall(r"^\s+separator: '(.*)'$", text, re.MULTILINE)
    return re.compile(sep.replace("''", "'"))


def test_docs_search_splits_chinese_into_searchable_terms():
    sep = _search_separator()

    def tokens(text):
        return [t for t in sep.split(text) if t]

    assert tokens("按等额本息计算月供") == list("按等额本息计算月供")
    assert tokens("equal installment（等额本息）") == ["equal", "installment", "等", "额", "本", "息"]
    assert tokens("balance_after(28)") == ["balance", "after", "28"]


@pytest.mark.parametrize("page", ["index.md", "conventions.md"])
def test_the_pages_that_describe_them_name_yuegong_and_dengebenxi(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert "月供" in text
    assert "等额本息" in text
