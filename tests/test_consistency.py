"""The consistency checks hold for this repository, and each fails when broken.

Site checks: test_consistency_site.py; mistakes and install lines:
test_consistency_mistakes.py; the page template: test_consistency_template.py.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tests import consistency
from tests.consistency_trees import (
    GOOD_EXAMPLE,
    GOOD_PAGE,
    GOOD_TEST,
    all_problems,
    make_tree,
    write,
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("check", consistency.REPO_CHECKS, ids=lambda c: c.__name__)
def test_repository_passes(check) -> None:
    consistency.fail_on(check(ROOT))


def test_a_failing_check_lists_every_problem_one_per_line(tree: Path) -> None:
    write(tree, "docs/extra.md", "# Extra\n")
    write(tree, "docs/more.md", "# More\n")
    problems = consistency.check_pages_show_tested_with(tree)
    assert len(problems) == 2

    with pytest.raises(pytest.fail.Exception) as failed:
        consistency.fail_on(problems)

    assert str(failed.value) == f"2 problems:\n{problems[0]}\n{problems[1]}"


def test_a_check_that_holds_does_not_fail(tree: Path) -> None:
    consistency.fail_on(consistency.check_pages_show_tested_with(tree))


def test_the_minimal_tree_passes(tree: Path) -> None:
    assert all_problems(tree) == []


def test_a_page_without_the_tested_with_note_is_reported(tree: Path) -> None:
    write(tree, "docs/extra.md", "# Extra\n\nNo versions here.\n")

    assert consistency.check_pages_show_tested_with(tree) == [
        (
            "docs/extra.md does not include docs/tested-with.txt; end the page "
            'with the line --8<-- "docs/tested-with.txt"'
        )
    ]


def test_an_example_no_page_includes_is_reported(tree: Path) -> None:
    write(tree, "examples/demo/orphan.py", GOOD_EXAMPLE)
    write(tree, "tests/test_demo.py", "from examples.demo import orphan, tiny\n")

    assert consistency.check_examples_included(tree) == [
        (
            "examples/demo/orphan.py is included by no page; include it with "
            '--8<-- "examples/demo/orphan.py:app" on its page, or delete it'
        )
    ]


def test_a_transcript_no_page_includes_is_reported(tree: Path) -> None:
    write(tree, "examples/demo/transcripts/tiny.txt", "$ curl -i http://x/\n")

    assert consistency.check_examples_included(tree) == [
        (
            "examples/demo/transcripts/tiny.txt is included by no page; include "
            'it with --8<-- "examples/demo/transcripts/tiny.txt" on its page, or '
            "delete it"
        )
    ]


def test_an_include_of_a_missing_file_is_reported(tree: Path) -> None:
    write(
        tree,
        "docs/demo.md",
        GOOD_PAGE + '\n```python\n--8<-- "examples/demo/gone.py"\n```\n',
    )

    assert consistency.check_includes_resolve(tree) == [
        (
            "docs/demo.md:16 includes examples/demo/gone.py, which does not "
            "exist; examples/demo/ has: tiny.py"
        )
    ]


def test_an_include_of_a_missing_section_is_reported(tree: Path) -> None:
    write(tree, "docs/demo.md", GOOD_PAGE.replace("tiny.py:try_it", "tiny.py:tryit"))

    assert consistency.check_includes_resolve(tree) == [
        (
            "docs/demo.md:8 includes section 'tryit' of examples/demo/tiny.py, "
            "which has no such section; it has: 'app', 'try_it' (a section is "
            "marked `# --8<-- [start:tryit]` ... `# --8<-- [end:tryit]`)"
        )
    ]


def test_an_example_no_test_imports_is_reported(tree: Path) -> None:
    write(tree, "tests/test_demo.py", "import examples.demo\n")

    assert consistency.check_examples_tested(tree) == [
        (
            "examples/demo/tiny.py is not imported by tests/test_demo.py or "
            "tests/test_demo_*.py; add `from examples.demo import tiny` to "
            "tests/test_demo.py and assert what the page claims"
        )
    ]


def test_an_example_tested_only_from_another_page_is_reported(tree: Path) -> None:
    (tree / "tests/test_demo.py").unlink()
    write(tree, "tests/test_other.py", GOOD_TEST)

    assert consistency.check_examples_tested(tree) == [
        (
            "examples/demo/tiny.py is not imported by tests/test_demo.py or "
            "tests/test_demo_*.py; add `from examples.demo import tiny` to "
            "tests/test_demo.py and assert what the page claims"
        )
    ]


def test_an_example_imported_by_a_split_test_module_counts(tree: Path) -> None:
    (tree / "tests/test_demo.py").unlink()
    write(tree, "tests/test_demo_basics.py", GOOD_TEST)

    assert consistency.check_examples_tested(tree) == []


def test_a_module_of_a_page_with_a_longer_name_does_not_count(tree: Path) -> None:
    (tree / "tests/test_demo.py").unlink()
    write(tree, "tests/test_demonstration.py", GOOD_TEST)

    assert consistency.check_examples_tested(tree) == [
        (
            "examples/demo/tiny.py is not imported by tests/test_demo.py or "
            "tests/test_demo_*.py; add `from examples.demo import tiny` to "
            "tests/test_demo.py and assert what the page claims"
        )
    ]


@pytest.mark.parametrize(
    "test_source",
    [
        "from examples.demo import tiny\n",
        "from examples.demo.tiny import app\n",
        "import examples.demo.tiny\n",
        "from examples.demo import (\n    other,\n    tiny,\n)\n",
    ],
)
def test_every_import_form_counts_as_tested(tree: Path, test_source: str) -> None:
    write(tree, "tests/test_demo.py", test_source)

    assert consistency.check_examples_tested(tree) == []


def test_python_typed_into_a_page_is_reported(tree: Path) -> None:
    write(tree, "docs/demo.md", GOOD_PAGE + "\n```py\nprint('typed by hand')\n```\n")

    assert consistency.check_no_typed_python(tree) == [
        (
            "docs/demo.md:16 types Python into the page (fence opened at line "
            "15); move the code into a file under examples/ and include it with "
            '--8<-- "examples/<page>/<name>.py:<section>"'
        )
    ]


def test_a_page_that_does_not_say_how_to_serve_its_example_is_reported(
    tree: Path,
) -> None:
    write(
        tree,
        "docs/demo.md",
        GOOD_PAGE.replace("Serve it with", "Run").replace(
            "`uvicorn examples.demo.tiny:app`", "it"
        ),
    )

    assert consistency.check_examples_served(tree) == [
        (
            "the page that shows examples/demo/tiny.py does not say "
            "`uvicorn examples.demo.tiny:app`; add 'Serve it with "
            "`uvicorn examples.demo.tiny:app`' under its include"
        )
    ]


def test_a_serve_command_for_a_missing_module_is_reported(tree: Path) -> None:
    write(tree, "docs/demo.md", GOOD_PAGE + "\nOr `uvicorn examples.demo.gone:app`.\n")

    assert consistency.check_examples_served(tree) == [
        (
            "docs/demo.md serves examples.demo.gone, which does not exist; fix "
            "the module path (the file would be examples/demo/gone.py)"
        )
    ]


def test_an_example_without_try_it_or_app_is_reported(tree: Path) -> None:
    source = (
        GOOD_EXAMPLE.replace("[start:try_it]", "[start:other]")
        .replace("[end:try_it]", "[end:other]")
        .replace("app = FastAPI()", "api = FastAPI()")
    )
    write(tree, "examples/demo/tiny.py", source)

    assert consistency.check_examples_served(tree) == [
        (
            "examples/demo/tiny.py has no 'try_it' section; mark it with "
            "`# --8<-- [start:try_it]` ... `# --8<-- [end:try_it]` (inside "
            '`if __name__ == "__main__":`)'
        ),
        (
            "examples/demo/tiny.py defines no module-level `app`; name the "
            "FastAPI app `app` at the top level of the module (`app = FastAPI()`)"
        ),
    ]


def test_sections_are_dedented_and_lose_nested_markers() -> None:
    source = dedent(
        """\
        if True:
            # --8<-- [start:outer]
            a = 1
            # --8<-- [start:inner]
            b = 2
            # --8<-- [end:inner]
            # --8<-- [end:outer]
        """
    )

    assert consistency.sections(source) == {"inner": "b = 2", "outer": "a = 1\nb = 2"}
