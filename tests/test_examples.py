"""docs/examples/*.py: each script runs, writes its PNGs, and is a valid jupytext notebook."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import runpy
import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLES = DOCS / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SCRIPTS = {
    "seed_loan.py": ["seed_schedule.png", "seed_prepayment.png"],
    "portfolio_repricing.py": ["portfolio_repricing.png"],
}
CASES = [
    pytest.param("seed_loan.py", id="seed_loan"),
    # 100,000 loans through the batch kernels: too slow as plain Python under NUMBA_DISABLE_JIT
    pytest.param("portfolio_repricing.py", id="portfolio_repricing", marks=pytest.mark.jit_only),
]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_script_in_docs_examples_is_listed_here():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(SCRIPTS)


@pytest.mark.parametrize("script", CASES)
def test_example_script_writes_its_pngs_to_the_directory_given(script, tmp_path, monkeypatch):
    monkeypatch.setenv("GJJCALC_IMG_DIR", str(tmp_path))
    committed = {name: (DOCS / "img" / name).stat().st_mtime_ns for name in SCRIPTS[script]}
    namespace = runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SCRIPTS[script])
    for name in SCRIPTS[script]:
        path = tmp_path / name
        assert path.stat().st_size > 10_000  # a real figure, not an empty canvas
        width, height = png_size(path)
        assert width == 800  # 8 inches at dpi=100: small enough to commit
        assert 400 <= height <= 600
        # the committed figure is not touched when another directory is given
        assert (DOCS / "img" / name).stat().st_mtime_ns == committed[name]
    assert "output_dir" in namespace


def test_seed_loan_script_shows_the_centers_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GJJCALC_IMG_DIR", str(tmp_path))
    namespace = runpy.run_path(str(EXAMPLES / "seed_loan.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "payment 3362.48" in out
    assert "balance 646609.84, 272 months left" in out
    assert "interest  10.83  payment 3362.48  months left 266  maturity 2040-02-28" in out
    schedule = namespace["schedule"]
    line = namespace["schedule_figure"].axes[0].get_lines()[0]
    assert line.get_ydata().tolist() == [float(b) for b in schedule.balance]


@pytest.mark.jit_only
def test_portfolio_script_reprices_100000_loans(tmp_path, monkeypatch):
    monkeypatch.setenv("GJJCALC_IMG_DIR", str(tmp_path))
    namespace = runpy.run_path(str(EXAMPLES / "portfolio_repricing.py"), run_name="__main__")
    change = namespace["change"]
    assert change.shape == (100_000,)
    assert (change <= 0).all()  # a rate cut never raises a payment
    assert (namespace["new_rate"] <= namespace["old_rate"]).all()
    heights = [p.get_height() for p in namespace["figure"].axes[0].patches]
    assert sum(heights) == 100_000


def test_importing_an_example_writes_nothing(tmp_path, monkeypatch):
    """pytest's doctest collection imports docs/examples/*.py: that must not write files."""
    monkeypatch.setenv("GJJCALC_IMG_DIR", str(tmp_path / "out"))
    runpy.run_path(str(EXAMPLES / "seed_loan.py"), run_name="seed_loan")
    assert not (tmp_path / "out").exists()


def test_seed_loan_runs_as_a_plain_script_with_the_output_dir_as_argument(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GJJCALC_IMG_DIR"}
    env["MPLBACKEND"] = "Agg"
    out = tmp_path / "figures"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "seed_loan.py"), str(out)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(SCRIPTS["seed_loan.py"])
    assert f"wrote {out / 'seed_schedule.png'}" in done.stdout


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_committed_pngs_exist_and_are_shown_in_the_docs(script):
    page = (DOCS / "examples.md").read_text(encoding="utf-8")
    assert f'--8<-- "examples/{script}"' in page
    for name in SCRIPTS[script]:
        path = DOCS / "img" / name
        assert png_size(path)[0] == 800
        assert path.stat().st_size < 200_000
        assert f"(img/{name})" in page


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_example_is_a_jupytext_percent_notebook(script):
    jupytext = pytest.importorskip("jupytext")
    path = EXAMPLES / script
    notebook = jupytext.read(path)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown"
    assert notebook.cells[0].source.startswith("# ")  # the title
    assert kinds.count("markdown") >= 3
    assert kinds.count("code") >= 3
    for k, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            compile(cell.source, f"{script} cell {k}", "exec")
    # the file is in canonical percent format: writing the notebook back gives the same text
    assert jupytext.writes(notebook, fmt="py:percent") == path.read_text(encoding="utf-8")
