"""What users read cites public sources only: no internal file names or section numbers.

A user can look up a center, its document and a URL; nobody outside the project can
resolve an engineers' notes section ("SPEC §3", "DOMAIN §1.1") or a file of the
project's source collection ("seed 001", "004_3629cb0dd04f287f.txt"). This scans the
package (its modules, docstrings, messages and the packs' TOML and CSV data), the docs
pages and the README, and lists every hit as ``file:line``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "gjjcalc"

INTERNAL = re.compile(r"SPEC §|DOMAIN|[Ss]eed 0\d\d|_[0-9a-f]{16}\.txt")
"""The internal references: an engineers' notes section, a source file's number or name."""

PENDING: set[Path] = set()  # paths being rewritten elsewhere, exempt until they are clean
SUFFIXES = {".py", ".toml", ".csv", ".md", ".txt", ".yml", ".yaml"}


def _pending(path: Path) -> bool:
    return any(path == p or p in path.parents for p in PENDING)


def _user_facing_files() -> list[Path]:
    files = [p for p in sorted(SRC.rglob("*")) if p.is_file() and p.suffix in SUFFIXES]
    files += sorted((ROOT / "docs").glob("*.md"))
    files += sorted((ROOT / "docs" / "examples").glob("*.py"))
    files += [ROOT / "README.md", ROOT / "mkdocs.yml"]
    return [p for p in files if "__pycache__" not in p.parts and not _pending(p)]


def internal_citations(paths: list[Path], root: Path = ROOT) -> list[str]:
    """Every line of ``paths`` that cites something internal, as ``file:line: text`` (from ``root``)."""
    hits = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if INTERNAL.search(line):
                hits.append(f"{path.relative_to(root).as_posix()}:{number}: {line.strip()}")
    return hits


def test_the_scan_covers_the_package_the_packs_the_docs_and_the_readme() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _user_facing_files()}
    for expected in (
        "README.md",
        "mkdocs.yml",
        "docs/index.md",
        "docs/rules.md",
        "src/gjjcalc/cli.py",
        "src/gjjcalc/rules/packs.py",
        "src/gjjcalc/rules/data/jilin.toml",
        "src/gjjcalc/rules/data/liangshan.toml",
        "src/gjjcalc/rules/data/provident_rates.csv",
        "src/gjjcalc/amortize/schedule.py",
        "src/gjjcalc/loan/history.py",
        "docs/testing.md",
        "docs/performance.md",
    ):
        assert expected in names, expected


@pytest.mark.parametrize(
    "line",
    [
        'source = "seed 004_3629cb0dd04f287f.txt: 单位和职工住房公积金缴存比例不高于12%"',
        "Seed 001's loan prepaying 10,000 (SPEC §3):",
        "Rules (DOMAIN §1.1):",
        "see 001_931fad59ef8a442f.txt §6",
    ],
)
def test_the_pattern_catches_each_kind_of_internal_citation(line: str, tmp_path: Path) -> None:
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text(f"fine\n{line}\n", encoding="utf-8")
    assert internal_citations([page], root=tmp_path) == [f"docs/page.md:2: {line}"]


def test_a_public_citation_passes() -> None:
    page = [
        "吉林省住房公积金管理中心《个人网厅操作手册》(screens dated 2018-01-05) §6 注: 提前还本金额须为1000的倍数",
        "凉山州住房公积金管理中心 网站页面 (官方网站 http://gjj.lsz.gov.cn/; undated)",
        "synthetic_portfolio(10, partitions=3, seed=1)",
    ]
    assert not any(INTERNAL.search(line) for line in page)


def test_no_user_facing_text_cites_an_internal_file_or_section() -> None:
    hits = internal_citations(_user_facing_files())
    assert not hits, "internal citations (cite the center, document, URL and date instead):\n" + "\n".join(hits)
