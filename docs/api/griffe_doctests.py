"""A griffe extension for the API pages: show bare doctest blocks as code.

Many gjjcalc docstrings put a worked example right after the summary, without
a numpydoc ``Examples`` heading. griffe's numpy parser turns ``>>>`` lines into
code only inside an ``Examples`` section; elsewhere Markdown would render them
as nested block quotes. This extension wraps each such block (a ``>>>`` line
up to the next blank line) in a ``pycon`` fence before the docstring is parsed.
Blocks inside an ``Examples`` section or an existing fence are left alone.

mkdocs.yml loads it with ``extensions: [docs/api/griffe_doctests.py]``; it is
not a page (``exclude_docs``) and only needs griffe, which comes with
mkdocstrings[python].
"""

from __future__ import annotations

import re
from typing import Any

try:
    from griffe import Extension
except ImportError:  # only the docs build loads this module; pytest may import it without griffe
    Extension = object  # type: ignore[assignment,misc]

_DASHES = re.compile(r"^\s*-{3,}\s*$")
_FLAGS = re.compile(r"\s*#\s*doctest:.*$")
_EXAMPLE_SECTIONS = {"example", "examples"}


def fence_doctests(text: str) -> str:
    """Wrap doctest blocks outside a numpydoc ``Examples`` section in ``pycon`` fences.

    >>> fence_doctests("Sum.\\n\\n>>> 1 + 1\\n2\\n\\nMore text.").split("\\n")
    ['Sum.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More text.']
    >>> doc = "Sum.\\n\\nExamples\\n--------\\n>>> 1 + 1\\n2"
    >>> fence_doctests(doc) == doc
    True
    """
    lines = text.split("\n")
    out: list[str] = []
    section = ""
    in_fence = False
    in_block = False
    for k, line in enumerate(lines):
        following = lines[k + 1] if k + 1 < len(lines) else ""
        if in_block and not line.strip():
            out.append("```")
            in_block = False
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif not in_fence and not in_block and line.strip() and _DASHES.match(following):
            section = line.strip().lower()
        if (
            not in_fence
            and not in_block
            and line.startswith(">>>")
            and section not in _EXAMPLE_SECTIONS
        ):
            out.append("```pycon")
            in_block = True
        out.append(_FLAGS.sub("", line) if in_block else line)
    if in_block:
        out.append("```")
    return "\n".join(out)


class FenceDoctests(Extension):  # type: ignore[misc]
    """Rewrite every docstring with :func:`fence_doctests` as griffe loads it."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        """Fence the object's bare doctest blocks (griffe calls this for every object)."""
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
