"""Every code block in docs/*.md and README.md is run or checked, so the docs cannot rot.

Blocks with ``>>>`` run as doctests (pytest's ``--doctest-glob=*.md``); this file covers the
rest: shell lines calling ``gjjcalc`` run through the CLI, ``pip install`` extras, ``make``
targets and script paths must exist, TOML packs must load, and the one long Python block (the
10,000,000-loan dask run) runs on a smaller portfolio. A block of any other kind fails here
until it gets a check.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest

from gjjcalc.cli import main
from gjjcalc.rules import load_pack

ROOT = Path(__file__).resolve().parents[1]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def _blocks() -> list[tuple[str, str, str]]:
    found = []
    for page in PAGES:
        for m in FENCE.finditer(page.read_text(encoding="utf-8")):
            found.append((page.relative_to(ROOT).as_posix(), m.group(1), m.group(2)))
    return found


BLOCKS = _blocks()
SHELL = [(page, body) for page, lang, body in BLOCKS if lang in ("", "console", "shell", "bash")]
TOML = [(page, body) for page, lang, body in BLOCKS if lang == "toml"]
PLAIN_PYTHON = [
    (page, body) for page, lang, body in BLOCKS if lang in ("python", "pycon") and ">>>" not in body
]


def _commands(body: str) -> list[list[str]]:
    """The commands of a shell block: prompts, comments, continuations and redirections dropped."""
    text = body.replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        line = line.strip().removeprefix("$ ")
        words = shlex.split(line, comments=True)
        if ">" in words:
            words = words[: words.index(">")]
        if words:
            commands.append(words)
    return commands


def test_every_block_is_of_a_kind_this_suite_checks() -> None:
    kinds = {lang for _, lang, _ in BLOCKS}
    assert kinds <= {"", "console", "python", "pycon", "toml"}, kinds
    assert len(BLOCKS) > 50


@pytest.mark.parametrize(("page", "body"), SHELL, ids=[p for p, _ in SHELL])
def test_shell_blocks_run_or_name_what_exists(page: str, body: str, capsys: pytest.CaptureFixture[str]) -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    for words in _commands(body):
        program, args = words[0], words[1:]
        if program == "gjjcalc":
            assert main(args) == 0, (page, words, capsys.readouterr().err)
        elif program == "pip":
            assert args[0] == "install"
            for spec in args[1:]:
                for extra in re.findall(r"\[(.*)\]", spec):
                    assert set(extra.split(",")) <= set(extras), (page, spec)
        elif program == "make":
            assert set(args) <= targets, (page, words)
        elif program in ("python", "jupytext"):
            paths = [a for a in args if a.endswith(".py") or a in ("benchmarks",)]
            assert paths, (page, words)
            for path in paths:
                assert (ROOT / path).exists(), (page, path)
        else:
            pytest.fail(f"{page}: no check for the command {words}")


@pytest.mark.parametrize(("page", "body"), TOML, ids=[p for p, _ in TOML])
def test_toml_blocks_are_valid_packs(page: str, body: str, tmp_path: Path) -> None:
    path = tmp_path / "pack.toml"
    path.write_text(body, encoding="utf-8")
    pack = load_pack(path)
    assert pack.name == tomllib.loads(body)["pack"]["name"]


@pytest.mark.jit_only
@pytest.mark.parametrize(("page", "body"), PLAIN_PYTHON, ids=[p for p, _ in PLAIN_PYTHON])
def test_plain_python_blocks_run(page: str, body: str) -> None:
    snippet = re.fullmatch(r'--8<-- "(.+)"\n', body)
    if snippet:  # pymdownx.snippets includes a file: tests/test_examples.py runs it
        assert (ROOT / "docs" / snippet.group(1)).exists()
        return
    assert "10_000_000" in body, f"{page}: a plain Python block with no check"
    scope: dict[str, object] = {}
    exec(compile(body.replace("10_000_000", "20_000"), page, "exec"), scope)  # the dask run, smaller
    totals = scope["totals"]
    assert totals["total_payment"] > totals["total_interest"] > 0  # type: ignore[index]
