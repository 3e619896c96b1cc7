"""The wheel ships the typed package, every data file, the extras and the console script."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import gjjcalc

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "gjjcalc"

pytest.importorskip("build")
pytest.importorskip("hatchling")


def project_files(root: Path) -> list[str] | None:
    """The regular files git tracks or would add (not ignored) under ``root``; no symlinks."""
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True, check=False,
    )
    if listed.returncode != 0:
        return None
    names = sorted(set(listed.stdout.decode().split("\0")) - {""})
    return [n for n in names if not (root / n).is_symlink() and (root / n).is_file()]


def test_the_build_copy_skips_symlinks_and_ignored_files(tmp_path: Path) -> None:
    # a stray link to /dev/zero once filled a disk when the whole tree was copied
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "kept.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "big.bin").write_bytes(b"0")
    (tmp_path / "zero").symlink_to("/dev/zero")
    assert project_files(tmp_path) == [".gitignore", "kept.py"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    if not (ROOT / "pyproject.toml").exists():
        pytest.skip("not running from a source tree")
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "gjjcalc"
    # build from a copy of the project's own files (tracked, or new and not ignored), so that
    # no build artefacts land in the work tree and nothing else is read: no symlink is
    # followed, no device or stray file is copied
    files = project_files(ROOT)
    if files is None:
        pytest.skip("not a git checkout")
    for name in files:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target, follow_symlinks=False)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("gjjcalc-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_contains_py_typed_and_every_data_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "gjjcalc/py.typed" in names
    data = sorted(
        p.relative_to(PACKAGE.parent).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix in {".toml", ".csv"}
    )
    assert len(data) >= 7  # five packs, the provident rate and LPR tables
    assert set(data) <= names
    sources = {
        p.relative_to(PACKAGE.parent).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts
    }
    assert sources <= names
    assert not [n for n in names if n.endswith((".nbi", ".nbc", ".pyc"))]


def test_wheel_metadata_has_the_version_extras_and_console_script(wheel: zipfile.ZipFile) -> None:
    (meta_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    meta = Parser().parsestr(wheel.read(meta_name).decode())
    assert meta["Version"] == gjjcalc.__version__
    extras = set(meta.get_all("Provides-Extra") or [])
    assert {"pandas", "plot", "dask", "testing", "progress", "docs", "test"} <= extras
    assert "Typing :: Typed" in (meta.get_all("Classifier") or [])
    (entry_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "gjjcalc = gjjcalc.cli:main" in wheel.read(entry_name).decode()
