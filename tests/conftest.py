"""Options shared by the whole suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.settings import ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture(scope="session")
def built_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The site `mkdocs build --strict` makes: --site-dir's, or a fresh build."""
    given = request.config.getoption("--site-dir")
    if given:
        return (ROOT / given).resolve()
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", out],
        cwd=ROOT,
        check=False,  # the assertion below shows mkdocs' own complaint
        capture_output=True,
        text=True,
        env={**os.environ, **ENVIRONMENT},
        timeout=120,
    )
    assert build.returncode == 0, build.stderr
    return out
