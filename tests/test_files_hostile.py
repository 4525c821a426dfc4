"""Every example of docs/files.md answers hostile input with a 2xx, 3xx or 4xx
and a bounded body, except the route that fails on purpose (tests/hostile.py)."""

from __future__ import annotations

from types import ModuleType

import pytest

from examples.files import (
    compressed_export,
    conditional_requests,
    download_report,
    head_requests,
    inline_view,
    missing_file,
    non_ascii_filename,
    reports_by_name,
    resume_download,
    text_file_charset,
)
from tests.hostile import failing_routes, failures, is_mistake, page_examples

EXAMPLES = [
    compressed_export,
    conditional_requests,
    download_report,
    head_requests,
    inline_view,
    missing_file,
    non_ascii_filename,
    reports_by_name,
    resume_download,
    text_file_charset,
]
# The routes the page shows failing, next to their fix in the same example.
FAILS_ON_PURPOSE = {missing_file: {"/unchecked"}}
# Examples the page shows as a mistake; their docstring starts "Mistake:".
MISTAKES = {compressed_export, missing_file, text_file_charset}


def test_every_example_of_the_page_is_checked() -> None:
    assert set(page_examples("files")) == set(EXAMPLES)
    assert set(FAILS_ON_PURPOSE) <= MISTAKES


@pytest.mark.parametrize("module", EXAMPLES, ids=lambda m: m.__name__)
def test_hostile_input_gets_2xx_to_4xx_and_a_bounded_body(module: ModuleType) -> None:
    expected = FAILS_ON_PURPOSE.get(module, set())

    assert failing_routes(module.app) == expected, [
        str(failure) for failure in failures(module.app)
    ]


@pytest.mark.parametrize("module", EXAMPLES, ids=lambda m: m.__name__)
def test_an_example_shown_as_a_mistake_says_so(module: ModuleType) -> None:
    assert is_mistake(module) == (module in MISTAKES)
