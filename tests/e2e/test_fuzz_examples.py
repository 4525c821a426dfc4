"""Every example that is not a `Mistake:` survives schemathesis under real uvicorn.

Each app is served on its own uvicorn (tools/servers.py) and fuzzed by
tests/fuzzing.py: no 5xx, no answer slower than TIME_CAP (then, sent again,
RETRY_TIME_CAP) or bigger than SIZE_CAP, no connection broken mid-answer. A few apps run at once, since most
of the time goes into starting uvicorn and waiting for answers.

The harness itself is shown to find each kind of failure on a test-only app
with known bugs (tests/e2e/apps/broken_for_fuzzing.py).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from tests.fuzzing import (
    RETRY_TIME_CAP,
    ROOT,
    SIZE_CAP,
    Failure,
    examples_to_fuzz,
    fuzz_app,
    fuzz_or_report,
)

APPS = examples_to_fuzz()
WORKERS = 3  # apps fuzzed at once; each is a uvicorn process and a client process


@pytest.fixture(scope="session")
def fuzz_results(request: pytest.FixtureRequest) -> dict[str, list[Failure]]:
    """Fuzz every app a selected test asks about, WORKERS at a time."""
    wanted = [
        item.callspec.params["app"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_example_survives_fuzzing"
    ]
    spawn = multiprocessing.get_context("spawn")  # a clean interpreter each
    with ProcessPoolExecutor(WORKERS, mp_context=spawn) as pool:
        return dict(zip(wanted, pool.map(fuzz_or_report, wanted), strict=True))


@pytest.mark.slow
@pytest.mark.timeout(900)  # the first one waits for every app's fuzzing
@pytest.mark.parametrize("app", APPS)
def test_example_survives_fuzzing(
    app: str, fuzz_results: dict[str, list[Failure]]
) -> None:
    failures = fuzz_results[app]

    assert failures == [], "\n".join(str(failure) for failure in failures)


def test_mistakes_are_left_out_and_everything_else_is_fuzzed() -> None:
    examples = sorted((ROOT / "examples").rglob("*.py"))
    mistakes = {path for path in examples if path.read_text().startswith('"""Mistake:')}

    assert mistakes, "the guide shows no mistake: is the convention still in use?"
    assert {app.partition(":")[0] for app in APPS} == {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in examples
        if path.name != "__init__.py" and path not in mistakes
    }


@pytest.fixture(scope="module")
def broken_app_failures() -> list[Failure]:
    return fuzz_app("tests.e2e.apps.broken_for_fuzzing:app")


@pytest.mark.slow
@pytest.mark.timeout(300)  # fuzzes the broken app (its fixture)
def test_the_harness_finds_every_bug_of_the_broken_app(
    broken_app_failures: list[Failure],
) -> None:
    found = {(failure.operation, failure.kind) for failure in broken_app_failures}

    assert found == {
        ("GET /ratio", "server error"),
        ("GET /countdown", "too slow"),
        ("GET /blocks", "too big"),
        ("GET /cached", "server error"),  # only a header it does not declare
    }


@pytest.mark.slow
@pytest.mark.timeout(300)  # fuzzes the broken app if run alone
def test_each_failure_names_the_request_that_caused_it(
    broken_app_failures: list[Failure],
) -> None:
    by_operation = {failure.operation: failure for failure in broken_app_failures}

    assert "whole=0" in by_operation["GET /ratio"].request
    assert "If-None-Match: *" in by_operation["GET /cached"].request
    assert by_operation["GET /countdown"].problem.startswith(
        f"too slow: no end within {RETRY_TIME_CAP} s"
    )
    assert by_operation["GET /blocks"].problem.startswith(
        f"too big: over {SIZE_CAP} bytes"
    )
