"""The consistency checks hold for this repository, and each fails when broken."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tests import consistency

ROOT = Path(__file__).resolve().parent.parent

GOOD_EXAMPLE = '''\
"""A tiny app."""

# --8<-- [start:app]
from fastapi import FastAPI

app = FastAPI()
# --8<-- [end:app]

if __name__ == "__main__":
    # --8<-- [start:try_it]
    print("hi")
    # --8<-- [end:try_it]
'''

GOOD_PAGE = """\
# Demo

```python
--8<-- "examples/demo/tiny.py:app"
```

```python
--8<-- "examples/demo/tiny.py:try_it"
```

Serve it with `uvicorn examples.demo.tiny:app`.

--8<-- "docs/tested-with.txt"
"""

GOOD_TEST = "from examples.demo import tiny\n"


@pytest.mark.parametrize("check", consistency.REPO_CHECKS, ids=lambda c: c.__name__)
def test_repository_passes(check) -> None:
    assert check(ROOT) == []


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A minimal project that passes every check; tests break one thing each."""
    write(tmp_path, "examples/demo/tiny.py", GOOD_EXAMPLE)
    write(tmp_path, "docs/demo.md", GOOD_PAGE)
    write(tmp_path, "tests/test_demo.py", GOOD_TEST)
    write(tmp_path, "docs/tested-with.txt", '!!! info "Tested with"\n    FastAPI\n')
    return tmp_path


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def all_problems(root: Path) -> list[str]:
    return [problem for check in consistency.REPO_CHECKS for problem in check(root)]


def test_the_minimal_tree_passes(tree: Path) -> None:
    assert all_problems(tree) == []


def test_a_page_without_the_tested_with_note_is_reported(tree: Path) -> None:
    write(tree, "docs/extra.md", "# Extra\n\nNo versions here.\n")

    assert consistency.check_pages_show_tested_with(tree) == [
        "docs/extra.md does not include docs/tested-with.txt"
    ]


def test_an_example_no_page_includes_is_reported(tree: Path) -> None:
    write(tree, "examples/demo/orphan.py", GOOD_EXAMPLE)
    write(tree, "tests/test_demo.py", "from examples.demo import orphan, tiny\n")

    assert consistency.check_examples_included(tree) == [
        "examples/demo/orphan.py is included by no page"
    ]


def test_a_transcript_no_page_includes_is_reported(tree: Path) -> None:
    write(tree, "examples/demo/transcripts/tiny.txt", "$ curl -i http://x/\n")

    assert consistency.check_examples_included(tree) == [
        "examples/demo/transcripts/tiny.txt is included by no page"
    ]


def test_an_include_of_a_missing_file_is_reported(tree: Path) -> None:
    write(
        tree,
        "docs/demo.md",
        GOOD_PAGE + '\n```python\n--8<-- "examples/demo/gone.py"\n```\n',
    )

    assert consistency.check_includes_resolve(tree) == [
        "docs/demo.md:16 includes examples/demo/gone.py, which does not exist"
    ]


def test_an_include_of_a_missing_section_is_reported(tree: Path) -> None:
    write(tree, "docs/demo.md", GOOD_PAGE.replace("tiny.py:try_it", "tiny.py:tryit"))

    assert consistency.check_includes_resolve(tree) == [
        (
            "docs/demo.md:8 includes section 'tryit' of examples/demo/tiny.py, "
            "which has no such section"
        )
    ]


def test_an_example_no_test_imports_is_reported(tree: Path) -> None:
    write(tree, "tests/test_demo.py", "import examples.demo\n")

    assert consistency.check_examples_tested(tree) == [
        "examples/demo/tiny.py is not imported by tests/test_demo.py or tests/test_demo_*.py"
    ]


def test_an_example_tested_only_from_another_page_is_reported(tree: Path) -> None:
    (tree / "tests/test_demo.py").unlink()
    write(tree, "tests/test_other.py", GOOD_TEST)

    assert consistency.check_examples_tested(tree) == [
        "examples/demo/tiny.py is not imported by tests/test_demo.py or tests/test_demo_*.py"
    ]


def test_an_example_imported_by_a_split_test_module_counts(tree: Path) -> None:
    (tree / "tests/test_demo.py").unlink()
    write(tree, "tests/test_demo_basics.py", GOOD_TEST)

    assert consistency.check_examples_tested(tree) == []


def test_a_module_of_a_page_with_a_longer_name_does_not_count(tree: Path) -> None:
    (tree / "tests/test_demo.py").unlink()
    write(tree, "tests/test_demonstration.py", GOOD_TEST)

    assert consistency.check_examples_tested(tree) == [
        "examples/demo/tiny.py is not imported by tests/test_demo.py or tests/test_demo_*.py"
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
        "docs/demo.md:16 types Python into the page (fence opened at line 15)"
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
            "`uvicorn examples.demo.tiny:app`"
        )
    ]


def test_a_serve_command_for_a_missing_module_is_reported(tree: Path) -> None:
    write(tree, "docs/demo.md", GOOD_PAGE + "\nOr `uvicorn examples.demo.gone:app`.\n")

    assert consistency.check_examples_served(tree) == [
        "docs/demo.md serves examples.demo.gone, which does not exist"
    ]


def test_an_example_without_try_it_or_app_is_reported(tree: Path) -> None:
    source = (
        GOOD_EXAMPLE.replace("[start:try_it]", "[start:other]")
        .replace("[end:try_it]", "[end:other]")
        .replace("app = FastAPI()", "api = FastAPI()")
    )
    write(tree, "examples/demo/tiny.py", source)

    assert consistency.check_examples_served(tree) == [
        "examples/demo/tiny.py has no 'try_it' section",
        "examples/demo/tiny.py defines no module-level `app`",
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


def site_page(*blocks: str) -> str:
    body = "".join(
        '<div class="language-python highlight"><pre><span></span><code>'
        f"{block}</code></pre></div>"
        for block in blocks
    )
    return f"<html><body>{body}</body></html>"


def test_a_site_block_that_comes_from_an_example_passes(tree: Path) -> None:
    site = tree / "site"
    write(
        tree,
        "site/demo/index.html",
        site_page(
            '<span class="kn">from</span> fastapi import FastAPI\n\napp = FastAPI()\n',
            'print(<span class="s2">"hi"</span>)\n',
        ),
    )

    assert consistency.check_site_blocks(site, tree) == []


def test_a_site_block_typed_by_hand_is_reported(tree: Path) -> None:
    site = tree / "site"
    write(tree, "site/demo/index.html", site_page("app = FastAPI(debug=True)\n"))

    assert consistency.check_site_blocks(site, tree) == [
        (
            "demo/index.html: a Python block starting 'app = FastAPI(debug=True)' "
            "matches no file under examples/"
        )
    ]


def test_site_blocks_in_other_languages_are_not_checked(tree: Path) -> None:
    site = tree / "site"
    html = '<div class="language-console highlight"><pre><code>$ ls</code></pre></div>'
    write(tree, "site/demo/index.html", html)

    assert consistency.check_site_blocks(site, tree) == []


def test_a_built_site_that_loads_only_its_own_files_passes(tmp_path: Path) -> None:
    write(
        tmp_path,
        "index.html",
        '<link rel="stylesheet" href="assets/main.css">'
        '<script src="assets/bundle.js"></script>'
        '<a href="https://fastapi.tiangolo.com/">a link is not a request</a>'
        '<link rel="canonical" href="https://example.org/">',
    )
    write(tmp_path, "assets/main.css", "body { background: url('img/bg.png'); }")

    assert consistency.check_site_offline(tmp_path) == []


def test_a_built_site_that_loads_from_another_host_is_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "index.html",
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example.net/lib.js"></script>',
    )
    write(tmp_path, "assets/main.css", '@import "https://fonts.example.com/x.css";')

    assert consistency.check_site_offline(tmp_path) == [
        "index.html loads https://fonts.googleapis.com/css?family=Roboto",
        "index.html loads //cdn.example.net/lib.js",
        "assets/main.css loads https://fonts.example.com/x.css",
    ]


MISTAKE_EXAMPLE = GOOD_EXAMPLE.replace(
    '"""A tiny app."""', '"""Mistake: a tiny bug."""'
)


def mistake_page(*includes: str) -> str:
    fences = "".join(f'\n```python\n--8<-- "{inc}"\n```\n' for inc in includes)
    return f"# Mistakes\n{fences}\nServe it with `uvicorn examples.demo.bug:app`.\n"


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
        "examples/demo/tiny.py has no module docstring"
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
            "examples/demo/bug.py is a mistake, but no page shows its failure "
            "(its try_it part or a transcript)"
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
        (
            "examples/demo/bug.py is a mistake, but docs/bugs.md shows no fix "
            "(an example that is not a mistake)"
        )
    ]


def test_another_mistake_is_not_a_fix(tree_with_mistake: Path) -> None:
    write(tree_with_mistake, "examples/demo/tiny.py", MISTAKE_EXAMPLE)

    assert consistency.check_mistakes_shown_with_fix(tree_with_mistake) == [
        (
            "examples/demo/bug.py is a mistake, but docs/demo.md shows no fix "
            "(an example that is not a mistake)"
        ),
        (
            "examples/demo/tiny.py is a mistake, but docs/demo.md shows no fix "
            "(an example that is not a mistake)"
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
        "docs/demo.md:16: orjson is not pinned in requirements/constraints.txt",
        (
            "docs/demo.md:16: orjson is in none of the groups examples, tests of "
            "pyproject.toml"
        ),
    ]


def test_an_install_line_naming_a_package_of_no_group_is_reported(tree: Path) -> None:
    line = "$ pip install -c requirements/constraints.txt fastapi rich"
    problems = consistency.check_install_lines_pinned(with_install_line(tree, line))
    assert problems == [
        (
            "docs/demo.md:16: rich is in none of the groups examples, tests of "
            "pyproject.toml"
        )
    ]


def test_an_install_line_without_the_constraints_is_reported(tree: Path) -> None:
    line = "$ pip install fastapi uvicorn"
    problems = consistency.check_install_lines_pinned(with_install_line(tree, line))
    assert problems == [
        (
            "docs/demo.md:16: pip install does not start with -c "
            "requirements/constraints.txt"
        )
    ]
