"""Options shared by the whole suite."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--site-dir",
        default=None,
        help="a site already built by `mkdocs build`; without it tests/site builds one",
    )
    parser.addoption(
        "--update-transcripts",
        action="store_true",
        help="rewrite the curl transcripts under examples/*/transcripts/ from a real server",
    )
