"""docs/testing.md: its examples run as they are written, so they cannot rot."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from dxplan._hypothesis_plugin import _register

DOC = Path(__file__).resolve().parents[1] / "docs" / "testing.md"
# Fewer examples than hypothesis' default keep this file quick; the examples are unchanged.
EXAMPLES = settings(max_examples=25, deadline=None)
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _blocks() -> list[str]:
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def _run(code: str) -> list[str]:
    """Run a block in a fresh namespace, then every test function it defines."""
    namespace: dict[str, Any] = {"__name__": "docs_testing_example"}
    exec(compile(code, str(DOC), "exec"), namespace)
    tests = [name for name, value in namespace.items() if name.startswith("test_")]
    for name in tests:
        EXAMPLES(namespace[name])()
    return tests


def test_the_doc_has_examples() -> None:
    """The page shows python examples, the first one a property test of a user's rule."""
    blocks = _blocks()
    assert len(blocks) >= 2
    assert "def share_of_targets_met" in blocks[0]


@pytest.mark.parametrize("number", range(len(_blocks())))
def test_each_example_runs(number: int) -> None:
    """Each python block runs in a fresh namespace and its test functions pass."""
    _register()  # what the hypothesis entry point does once dxplan is installed
    assert _run(_blocks()[number])


def test_the_first_example_is_under_15_lines() -> None:
    """The user's rule and its property test fit in under 15 lines, imports aside."""
    code = _blocks()[0]
    tree = ast.parse(code)
    imports = {
        line
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }
    lines = [
        text
        for number, text in enumerate(code.splitlines(), start=1)
        if text.strip() and number not in imports
    ]
    assert len(lines) < 15, lines
