"""The newest-versions report names what broke, grouped by page."""

from __future__ import annotations

from pathlib import Path

from tests.newest_report import summarise

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
<testcase classname="tests.test_files" name="test_ok" />
<testcase classname="tests.test_files" name="test_range">
  <failure message="AssertionError: assert 200 == 206&#10;more">trace</failure>
</testcase>
<testcase classname="tests.test_examples" name="test_example[x.py]">
  <error message="ImportError: cannot import name 'EventSourceResponse'" />
</testcase>
</testsuite></testsuites>
"""


def test_report_groups_failures_by_page(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(JUNIT)

    assert summarise(report) == (
        "newest versions: 2 of 3 tests broke\n"
        "\n"
        "test_examples.py (page: examples) - 1 broke\n"
        "  - test_example[x.py]: ImportError: cannot import name "
        "'EventSourceResponse'\n"
        "\n"
        "test_files.py (page: files) - 1 broke\n"
        "  - test_range: AssertionError: assert 200 == 206"
    )


def test_report_says_when_nothing_broke(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="tests.test_files" name="t" />'
        "</testsuite></testsuites>"
    )

    assert summarise(report).endswith("nothing broke: the pins can move")


def test_a_module_that_fails_to_import_is_named_with_its_error(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="" name="tests.test_files">'
        '<error message="collection failure">tests/test_files.py:16: in &lt;module&gt;\n'
        "E   DeprecationWarning: The anyio.abc.BlockingPortal alias is deprecated"
        "</error></testcase></testsuite></testsuites>"
    )

    assert summarise(report, "starlette 1.6.0") == (
        "starlette 1.6.0: 1 of 1 tests broke\n"
        "\n"
        "test_files.py (page: files) - 1 broke\n"
        "  - tests.test_files: collection failure: DeprecationWarning: "
        "The anyio.abc.BlockingPortal alias is deprecated"
    )
