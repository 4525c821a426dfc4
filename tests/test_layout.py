"""tests/ holds tests and their helpers; the tooling lives in tools/ and never
imports from tests/ (the bench and the version tools run without the suite).
README's Layout block names every top-level folder, and every path it names
exists."""

from __future__ import annotations

import ast
import re
import subprocess
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


def layout_block() -> str:
    """The ```text block under README's "## Layout" heading."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Layout\n", 1)[1]
    return section.split("```text\n", 1)[1].split("\n```", 1)[0]


def named_paths(block: str) -> list[str]:
    """The paths in the left column: each line that does not start with a space
    starts with one or more paths (`, ` between them), then two spaces."""
    return [
        path.strip()
        for line in block.splitlines()
        if line and not line[0].isspace()
        for path in line.split("  ", 1)[0].split(", ")
        if path.strip()
    ]


def test_every_path_the_layout_names_exists() -> None:
    paths = named_paths(layout_block())
    assert "tools/waiting.py" in paths
    assert "tests/e2e/http_clients.py" in paths
    missing = [
        p
        for p in paths
        if not list(ROOT.glob(re.sub(r"<\w+>", "*", p).rstrip("/") or "."))
    ]
    assert not missing, f"README's Layout names paths that do not exist: {missing}"


def test_the_layout_names_every_top_level_folder() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    folders = {path.split("/", 1)[0] for path in tracked if "/" in path}
    named = {p.split("/", 1)[0] for p in named_paths(layout_block())}
    assert "tests" in folders
    assert not folders - named, (
        f"README's Layout does not name these top-level folders: {folders - named}"
    )
