"""The newest-versions report names what broke, grouped by page.

It reads pytest's own short summary (`-rfE`), as tools.newest_report runs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools.newest_report import SUMMARY_ARGS, SUMMARY_ENV, page_of, summarise

PAGES = ["files", "server_sent_events", "streaming", "json_response", "index"]

OUTPUT = """\
..F.E.F                                                                  [100%]
=========================== short test summary info ============================
FAILED tests/test_files_ranges.py::test_range - AssertionError: assert 200 == 206
FAILED tests/test_examples.py::test_example[examples/json_response/x.py] - ImportError: cannot import name 'EventSourceResponse'
ERROR tests/test_server_sent_events_disconnect.py::test_gone - RuntimeError: fixture broke
2 failed, 4 passed, 1 error in 3.21s
"""


def test_report_groups_failures_by_page() -> None:
    assert summarise(OUTPUT, known=PAGES) == (
        "newest versions: 3 of 7 tests broke\n"
        "\n"
        "files (docs/files.md) - 1 broke\n"
        "  - test_files_ranges.py::test_range: AssertionError: assert 200 == 206\n"
        "\n"
        "json_response (docs/json_response.md) - 1 broke\n"
        "  - test_examples.py::test_example[examples/json_response/x.py]: "
        "ImportError: cannot import name 'EventSourceResponse'\n"
        "\n"
        "server_sent_events (docs/server_sent_events.md) - 1 broke\n"
        "  - test_server_sent_events_disconnect.py::test_gone: "
        "RuntimeError: fixture broke"
    )


def test_a_split_module_belongs_to_its_page_not_to_its_own_name() -> None:
    # The JUnit reader this replaced named "files_ranges", a page that does
    # not exist; the longest page name that prefixes the module wins.
    assert page_of("tests/test_files_ranges.py::test_range", PAGES) == "files"
    assert page_of("tests/test_files.py::t", PAGES) == "files"
    assert page_of("tests/test_streaming_threads.py::t", PAGES) == "streaming"
    assert (
        page_of("tests/test_server_sent_events_disconnect.py::t", PAGES)
        == "server_sent_events"
    )
    assert page_of("tests/test_consistency.py::t", PAGES) is None
    assert page_of("tests/test_filesystem.py::t", PAGES) is None


def test_a_test_of_no_page_is_reported_under_its_module() -> None:
    output = (
        "FAILED tests/test_consistency.py::test_x - AssertionError: boom\n"
        "1 failed, 2 passed in 0.10s\n"
    )
    assert summarise(output, known=PAGES) == (
        "newest versions: 1 of 3 tests broke\n"
        "\n"
        "tests/test_consistency.py (no page) - 1 broke\n"
        "  - test_consistency.py::test_x: AssertionError: boom"
    )


def test_report_says_when_nothing_broke() -> None:
    assert summarise("....\n4 passed in 0.50s\n", known=PAGES).endswith(
        "newest versions: 0 of 4 tests broke\nnothing broke: the pins can move"
    )


def test_a_module_that_fails_to_import_is_named_with_its_error() -> None:
    output = (
        "=========================== short test summary info ===================\n"
        "ERROR tests/test_files_download.py - DeprecationWarning: "
        "The anyio.abc.BlockingPortal alias is deprecated\n"
        "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!\n"
        "1 error in 0.42s\n"
    )
    assert summarise(output, "starlette 1.6.0", known=PAGES) == (
        "starlette 1.6.0: 1 of 1 tests broke\n"
        "\n"
        "files (docs/files.md) - 1 broke\n"
        "  - test_files_download.py: collection failure: DeprecationWarning: "
        "The anyio.abc.BlockingPortal alias is deprecated"
    )


def test_output_without_pytest_summary_is_shown_not_guessed() -> None:
    report = summarise("Traceback ...\nImportError: no pytest\n", known=PAGES)
    assert report.startswith("newest versions: pytest printed no summary")
    assert report.endswith("ImportError: no pytest")


@pytest.mark.slow  # over 3 s
def test_the_report_reads_what_pytest_really_prints(tmp_path: Path) -> None:
    """A real pytest run with SUMMARY_ARGS: long messages arrive whole."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_files_ranges.py").write_text(
        "import pytest\n"
        "def test_ok():\n    pass\n"
        "def test_range():\n"
        "    assert 200 == 206, 'a long message ' + 'x' * 100\n"
        "@pytest.fixture\n"
        "def broken():\n    raise RuntimeError('fixture broke')\n"
        "def test_err(broken):\n    pass\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *SUMMARY_ARGS, "tests"],
        cwd=tmp_path,
        env={"PATH": "", "COLUMNS": "80", **SUMMARY_ENV},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stdout
    assert summarise(done.stdout, known=PAGES) == (
        "newest versions: 2 of 3 tests broke\n"
        "\n"
        "files (docs/files.md) - 2 broke\n"
        "  - test_files_ranges.py::test_range: AssertionError: a long message "
        + "x"
        * 100
        + "\n"
        "  - test_files_ranges.py::test_err: RuntimeError: fixture broke"
    )
