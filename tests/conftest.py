"""Options, markers and fixtures shared by the whole suite.

Each folder (or module) below gets one marker on all its tests, so that `-m`
selects by kind: `pytest -m e2e` runs the real-server and browser tests,
`pytest -m site` the checks on the built HTML, `pytest -m examples` the example
files; `tooling` marks the checks of the repository itself, which the matrix
runs on one leg. A bare `pytest` (no -m and no paths) runs the fast TestClient suite, as
if given DEFAULT_MARKEXPR; named paths run as named. A folder whose marker the
`-m` expression rules out is not even collected, so its modules (and the
packages they import, such as playwright) are never imported.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

from tools.settings import ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
STARTED = pytest.StashKey[float]()  # when this run began

# Where a marker applies to every test: a folder or a module under tests/.
MARKED = {
    TESTS / "e2e": "e2e",
    TESTS / "site": "site",
    TESTS / "test_examples.py": "examples",
    # Checks of the repository and its tools, not of FastAPI's behaviour: the
    # same on every Python and FastAPI, so one matrix leg runs them.
    **{
        TESTS / f"test_{name}.py": "tooling"
        for name in (
            "browser_runtime",
            "consistency",
            "consistency_mistakes",
            "consistency_site",
            "consistency_template",
            "dev_stop",
            "layout",
            "markers",
            "newest_report",
            "settings",
            "static_server",
            "waiting",
        )
    },
}


DEFAULT_MARKEXPR = "not e2e and not site and not examples"


def pytest_configure(config: pytest.Config) -> None:
    config.stash[STARTED] = time.time()
    if (
        not config.option.markexpr
        and config.args_source == pytest.Config.ArgsSource.TESTPATHS
    ):
        config.option.markexpr = DEFAULT_MARKEXPR


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """The Run buttons' figures, when this run measured them
    (tests/e2e/test_run_in_browser.py writes them)."""
    figures = ROOT / "build" / "run-in-browser.json"
    if figures.exists() and figures.stat().st_mtime >= config.stash[STARTED]:
        terminalreporter.section("Run in the browser: figures")
        terminalreporter.write_line(figures.read_text().rstrip())


def marker_of(path: Path) -> str | None:
    """The marker every test under `path` gets, if any."""
    for place, marker in MARKED.items():
        if path == place or place in path.parents:
            return marker
    return None


def could_select(markexpr: str, marker: str | None) -> bool:
    """Could `-m markexpr` select any test that has `marker` (or none of ours)?

    Markers of MARKED are fixed (the one a folder gives, none of the others);
    any other name in the expression (such as `slow`) may go either way, so
    every combination of them is tried.
    """
    expression = Expression.compile(markexpr)
    ours = set(MARKED.values())
    free = sorted(
        set(re.findall(r"[A-Za-z_][\w.]*", markexpr)) - {"and", "or", "not"} - ours
    )
    for values in itertools.product((False, True), repeat=len(free)):
        chosen = {name for name, value in zip(free, values, strict=True) if value}
        if marker:
            chosen.add(marker)
        if expression.evaluate(lambda name, /, chosen=chosen, **_: name in chosen):
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip collecting a folder or module whose marker `-m` rules out."""
    markexpr = config.option.markexpr
    if not markexpr:
        return None
    path = collection_path.resolve()
    if not (path.is_dir() or path.name.startswith("test_")):
        return None
    if TESTS not in path.parents:
        return None
    if path.is_dir() and path not in MARKED:
        return None  # a folder without its own marker may hold marked modules
    return None if could_select(markexpr, marker_of(path)) else True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = marker_of(item.path.resolve())
        if marker:
            item.add_marker(marker)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--site-dir",
        default=None,
        help="a site already built by `mkdocs build`; without it tests/site builds one",
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
