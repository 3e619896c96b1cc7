"""What a new user sees first: the README opens with how to install and call gjjcalc, the
package says its licence and the Python versions it runs on, and no URL leads nowhere."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def test_there_is_a_licence_and_the_metadata_names_it():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert PROJECT["license"] == "MIT"  # the License-Expression field (PEP 639)
    assert PROJECT["license-files"] == ["LICENSE"]
    # with a licence expression, PEP 639 has tools refuse a "License ::" classifier beside it
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]


def test_classifiers_name_every_supported_python():
    assert PROJECT["requires-python"] == ">=3.11"
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in PROJECT["classifiers"]
    assert "Typing :: Typed" in PROJECT["classifiers"]


def test_no_project_url_is_a_placeholder():
    for url in PROJECT.get("urls", {}).values():
        assert url.startswith("https://"), url
        assert "example" not in url, url
    for name in ("pyproject.toml", "README.md", "mkdocs.yml"):
        assert "example.invalid" not in (ROOT / name).read_text(encoding="utf-8"), name
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^(repo_url|site_url|edit_uri):", mkdocs, re.M)  # no site yet, no link to one


def test_the_readme_opens_with_install_then_a_three_line_example():
    blocks = FENCE.findall(README)
    (kind, install), (lang, example) = blocks[0], blocks[1]
    assert kind == ""
    assert install.strip() == "pip install gjjcalc"
    assert lang == "python"
    assert len([line for line in example.splitlines() if line.startswith(">>>")]) <= 3
    assert "Decimal('3362.48')" in example
    first_prose = README.index("gjjcalc is a typed")
    assert README.index("pip install gjjcalc") < README.index(">>> import gjjcalc") < first_prose


def test_the_readme_keeps_the_two_make_commands():
    assert re.search(r"^make demo\b", README, re.M)
    assert re.search(r"^make test\b", README, re.M)
    assert README.index("pip install gjjcalc") < README.index("make demo")


def test_the_readme_lists_every_shipped_pack():
    from gjjcalc.rules import pack_names

    for name in pack_names():
        assert name.capitalize() in README, name
