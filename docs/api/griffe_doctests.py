"""A griffe extension for the API pages: docstrings written for doctest and Sphinx, shown as Markdown.

Two things in gjjcalc's docstrings read well in source but not in Markdown:

* Many put a worked example right after the summary, without a numpydoc
  ``Examples`` heading. griffe's numpy parser turns ``>>>`` lines into code
  only inside an ``Examples`` section; elsewhere Markdown would render them as
  nested block quotes. Each such block (a ``>>>`` line up to the next blank
  line) is wrapped in a ``pycon`` fence. Blocks inside an ``Examples``
  section or an existing fence are left alone. A bare block after an item
  section (``Parameters``, ``Returns``, ``Raises`` ...) would be read as more
  items, so an ``Examples`` heading is put before it instead.
* Sphinx roles (``:func:`payment```, ``:class:`~gjjcalc.Loan```) would show
  their role markup; they become inline code (``~`` keeps the last name).

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
_ITEM_SECTIONS = {
    "parameters", "other parameters", "returns", "yields", "receives", "raises",
    "warns", "attributes", "functions", "methods", "classes", "modules",
}
_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")


def plain_roles(text: str) -> str:
    """Sphinx cross-reference roles as inline code.

    >>> plain_roles("See :func:`gjjcalc.payment` and :class:`~gjjcalc.rules.rates.RateTable`.")
    'See `gjjcalc.payment` and `RateTable`.'
    """
    return _ROLE.sub(lambda m: f"`{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}`", text)


def fence_doctests(text: str) -> str:
    """Wrap doctest blocks outside a numpydoc ``Examples`` section in ``pycon`` fences.

    >>> fence_doctests("Sum.\\n\\n>>> 1 + 1\\n2\\n\\nMore text.").split("\\n")
    ['Sum.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More text.']
    >>> doc = "Sum.\\n\\nExamples\\n--------\\n>>> 1 + 1\\n2"
    >>> fence_doctests(doc) == doc
    True
    >>> fence_doctests("Sum.\\n\\nRaises\\n------\\nValueError\\n\\n>>> 1\\n1").split("\\n")[-4:]
    ['Examples', '--------', '>>> 1', '1']
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
        if not in_fence and not in_block and line.startswith(">>>"):
            if section in _ITEM_SECTIONS:
                if out and out[-1].strip():
                    out.append("")
                out.extend(["Examples", "--------"])
                section = "examples"
            elif section not in _EXAMPLE_SECTIONS:
                out.append("```pycon")
                in_block = True
        out.append(_FLAGS.sub("", line) if in_block else line)
    if in_block:
        out.append("```")
    return "\n".join(out)


class FenceDoctests(Extension):  # type: ignore[misc]
    """Rewrite every docstring with ``fence_doctests`` and ``plain_roles`` as griffe loads it."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        """Rewrite the object's docstring (griffe calls this for every object it loads)."""
        if obj.docstring is not None:
            text = obj.docstring.value
            if ">>>" in text:
                text = fence_doctests(text)
            obj.docstring.value = plain_roles(text)
