"""The checks on `Mistake:` examples and on the `pip install` lines of pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import consistency
from tests.consistency_trees import (
    GOOD_EXAMPLE,
    GOOD_PAGE,
    all_problems,
    make_tree,
    write,
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


MISTAKE_EXAMPLE = GOOD_EXAMPLE.replace(
    '"""A tiny app."""', '"""Mistake: a tiny bug."""'
)


def mistake_page(*includes: str) -> str:
    fences = "".join(f'\n```python\n--8<-- "{inc}"\n```\n' for inc in includes)
    return f"# Mistakes\n{fences}\nServe it with `uvicorn examples.demo.bug:app`.\n"


NO_FIX = (
    "include, on the same page, an example whose docstring does not start with "
    '"Mistake:"'
)


@pytest.fixture
def tree_with_mistake(tree: Path) -> Path:
    """The minimal tree plus a mistake shown with its fix (tiny.py)."""
    write(tree, "examples/demo/bug.py", MISTAKE_EXAMPLE)
    write(tree, "tests/test_demo.py", "from examples.demo import bug, tiny\n")
    write(
        tree,
        "docs/demo.md",
        GOOD_PAGE
        + mistake_page("examples/demo/bug.py:app", "examples/demo/bug.py:try_it"),
    )
    return tree


def test_a_mistake_shown_with_its_failure_and_a_fix_passes(
    tree_with_mistake: Path,
) -> None:
    assert all_problems(tree_with_mistake) == []


def test_an_example_without_a_docstring_is_reported(tree: Path) -> None:
    write(tree, "examples/demo/tiny.py", GOOD_EXAMPLE.replace('"""A tiny app."""', ""))

    assert consistency.check_mistakes_shown_with_fix(tree) == [
        (
            "examples/demo/tiny.py has no module docstring; start the file with "
            'a one-line """docstring""" saying what it shows ("Mistake: ..." if '
            "it fails on purpose)"
        )
    ]


def test_a_mistake_whose_failure_no_page_shows_is_reported(
    tree_with_mistake: Path,
) -> None:
    write(
        tree_with_mistake,
        "docs/demo.md",
        GOOD_PAGE + mistake_page("examples/demo/bug.py:app"),
    )

    assert consistency.check_mistakes_shown_with_fix(tree_with_mistake) == [
        (
            "examples/demo/bug.py is a mistake, but no page shows its failure; "
            'include --8<-- "examples/demo/bug.py:try_it" (or a transcript named '
            "examples/demo/transcripts/bug_*.txt) on its page"
        )
    ]


def test_a_mistake_shown_by_a_transcript_passes(tree_with_mistake: Path) -> None:
    write(tree_with_mistake, "examples/demo/transcripts/bug_500.txt", "HTTP/1.1 500")
    write(
        tree_with_mistake,
        "docs/demo.md",
        GOOD_PAGE
        + mistake_page(
            "examples/demo/bug.py:app", "examples/demo/transcripts/bug_500.txt"
        ),
    )

    assert consistency.check_mistakes_shown_with_fix(tree_with_mistake) == []


def test_a_mistake_shown_without_a_fix_is_reported(tree_with_mistake: Path) -> None:
    write(tree_with_mistake, "docs/demo.md", GOOD_PAGE)
    write(
        tree_with_mistake,
        "docs/bugs.md",
        mistake_page("examples/demo/bug.py:app", "examples/demo/bug.py:try_it")
        + '\n--8<-- "docs/tested-with.txt"\n',
    )

    assert consistency.check_mistakes_shown_with_fix(tree_with_mistake) == [
        (f"examples/demo/bug.py is a mistake, but docs/bugs.md shows no fix; {NO_FIX}")
    ]


def test_another_mistake_is_not_a_fix(tree_with_mistake: Path) -> None:
    write(tree_with_mistake, "examples/demo/tiny.py", MISTAKE_EXAMPLE)

    assert consistency.check_mistakes_shown_with_fix(tree_with_mistake) == [
        (f"examples/demo/bug.py is a mistake, but docs/demo.md shows no fix; {NO_FIX}"),
        (
            "examples/demo/tiny.py is a mistake, but docs/demo.md shows no fix; "
            f"{NO_FIX}"
        ),
    ]


INSTALL_PYPROJECT = """\
[dependency-groups]
examples = ["fastapi==0.165.0", "uvicorn==0.54.0"]
tests = [{ include-group = "examples" }, "httpx2==2.16.2"]
"""
INSTALL_CONSTRAINTS = (
    "fastapi==0.165.0\nhttpx2==2.16.2\nuvicorn==0.54.0\nrich==14.0.0\n"
)


def with_install_line(tree: Path, line: str) -> Path:
    write(tree, "pyproject.toml", INSTALL_PYPROJECT)
    write(tree, "requirements/constraints.txt", INSTALL_CONSTRAINTS)
    page = tree / "docs/demo.md"
    page.write_text(page.read_text() + f"\n```console\n{line}\n```\n")
    return tree


def test_an_install_line_of_pinned_packages_passes(tree: Path) -> None:
    line = "$ pip install -c requirements/constraints.txt fastapi uvicorn httpx2"
    assert all_problems(with_install_line(tree, line)) == []


def test_an_install_line_naming_an_unpinned_package_is_reported(tree: Path) -> None:
    line = "$ pip install -c requirements/constraints.txt fastapi orjson"
    problems = consistency.check_install_lines_pinned(with_install_line(tree, line))
    assert problems == [
        (
            "docs/demo.md:16: orjson is not pinned in requirements/constraints.txt; "
            "pin it (README, Pins) or leave it out"
        ),
        (
            "docs/demo.md:16: orjson is in none of the groups examples, tests of "
            "pyproject.toml; add it to the examples group with its pin"
        ),
    ]


def test_an_install_line_naming_a_package_of_no_group_is_reported(tree: Path) -> None:
    line = "$ pip install -c requirements/constraints.txt fastapi rich"
    problems = consistency.check_install_lines_pinned(with_install_line(tree, line))
    assert problems == [
        (
            "docs/demo.md:16: rich is in none of the groups examples, tests of "
            "pyproject.toml; add it to the examples group with its pin"
        )
    ]


def test_an_install_line_without_the_constraints_is_reported(tree: Path) -> None:
    line = "$ pip install fastapi uvicorn"
    problems = consistency.check_install_lines_pinned(with_install_line(tree, line))
    assert problems == [
        (
            "docs/demo.md:16: pip install does not start with -c "
            "requirements/constraints.txt; write `pip install -c "
            "requirements/constraints.txt <packages>`"
        )
    ]
