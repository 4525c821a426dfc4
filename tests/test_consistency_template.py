"""The page template (templates/) passes every check once its names are filled in.

README's "Add a page" tells a newcomer to copy templates/page.md,
templates/example.py and templates/test_page.py with `your_page` and
`your_example` replaced. These tests do exactly that in a temporary tree, so
the template cannot drift from what the checks require.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import consistency
from tests.test_reference import unknown_keyword_problems
from tools import version_notes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PAGE, NAME = "greetings", "hello_name"


def filled(template: str) -> str:
    text = (TEMPLATES / template).read_text()
    return text.replace("your_page", PAGE).replace("your_example", NAME)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree holding the filled-in template and the files it includes or links."""
    root = tmp_path_factory.mktemp("from_template")
    files = {
        f"docs/{PAGE}.md": filled("page.md"),
        f"examples/{PAGE}/{NAME}.py": filled("example.py"),
        f"tests/test_{PAGE}.py": filled("test_page.py"),
        f"examples/{PAGE}/__init__.py": "",
        "examples/__init__.py": "",
        "tests/__init__.py": "",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    for shared in (
        "docs/tested-with.txt",
        "docs/versions.md",
        "pyproject.toml",
        "tests/consistency.py",
        "tests/hostile.py",
        "tests/test_examples.py",
        "tools/__init__.py",
        "tools/settings.py",  # tests/consistency.py reads pyproject.toml through it
    ):
        (root / shared).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / shared, root / shared)
    return root


def test_the_template_names_its_placeholders() -> None:
    for template in ("page.md", "test_page.py"):
        text = (TEMPLATES / template).read_text()
        assert "your_page" in text, template
        assert "your_example" in text, template


@pytest.mark.parametrize("check", consistency.REPO_CHECKS, ids=lambda c: c.__name__)
def test_a_page_made_from_the_template_passes(tree: Path, check) -> None:
    consistency.fail_on(check(tree))


def test_its_version_pointer_has_the_form_the_versions_check_wants(
    tree: Path,
) -> None:
    pointers = version_notes.pointers_on_pages(tree)
    assert [p.note.page for p in pointers] == [f"docs/{PAGE}.md"]
    consistency.fail_on(version_notes.pointer_problems(tree))


def test_its_reference_links_name_entries_of_the_reference_page() -> None:
    """The strict build checks anchors only on built pages; the template is not one."""
    links = re.findall(r"\(reference\.md#([\w.]+)\)", filled("page.md"))
    entries = re.findall(
        r"^::: ([\w.]+)$", (ROOT / "docs/reference.md").read_text(), re.MULTILINE
    )

    assert links
    assert set(links) <= set(entries)


def test_its_prose_names_only_known_arguments(tree: Path) -> None:
    consistency.fail_on(unknown_keyword_problems(tree / "docs"))


@pytest.mark.slow  # over 3 s
def test_its_example_prints_what_its_output_lines_say(tree: Path) -> None:
    path = tree / "examples" / PAGE / f"{NAME}.py"
    shown = [
        line.strip().removeprefix("#> ")
        for line in path.read_text().splitlines()
        if line.strip().startswith("#>")
    ]

    run = subprocess.run(
        [sys.executable, "-m", f"examples.{PAGE}.{NAME}"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert shown
    assert run.stdout.splitlines() == shown


@pytest.mark.slow  # over 3 s
def test_its_test_passes_and_its_example_passes_the_examples_session(
    tree: Path,
) -> None:
    """The filled-in test passes; the example runs, prints its #> lines and
    passes the lint and format check of tests/test_examples.py."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"tests/test_{PAGE}.py",
            "tests/test_examples.py::test_example",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(tree)},
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout  # three page tests and the example


def test_its_test_module_passes_ruff(tree: Path) -> None:
    test_module = f"tests/test_{PAGE}.py"
    for command in (["check"], ["format", "--check"]):
        run = subprocess.run(
            [sys.executable, "-m", "ruff", *command, test_module],
            cwd=tree,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert run.returncode == 0, run.stdout + run.stderr
