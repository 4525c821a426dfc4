"""tests/ holds tests and their helpers; the tooling lives in tools/ and never
imports from tests/ (the bench and the version tools run without the suite)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = sorted((ROOT / "tools").rglob("*.py"))


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", TOOLS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_tool_never_imports_the_tests(path: Path) -> None:
    assert not {
        name for name in imported(path) if name == "tests" or name.startswith("tests.")
    }


def test_the_tools_are_found() -> None:
    assert ROOT / "tools" / "settings.py" in TOOLS


@pytest.mark.parametrize(
    "moved",
    ["bench", "version_probes", "tested_with.py", "version_notes.py",
     "version_bisect.py", "newest_report.py", "servers.py", "launch.py",
     "static_server.py"],
)  # fmt: skip
def test_tooling_is_not_back_under_tests(moved: str) -> None:
    assert not (ROOT / "tests" / moved).exists(), f"tests/{moved} belongs in tools/"
    assert (ROOT / "tools" / moved).exists()
