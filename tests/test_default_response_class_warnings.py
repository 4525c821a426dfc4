"""How the ORJSONResponse deprecation warning is shown, and what happens without
orjson installed (docs/default_response_class.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.exceptions import FastAPIDeprecationWarning

ROOT = Path(__file__).resolve().parent.parent


def test_deprecation_warning_is_a_user_warning() -> None:
    assert issubclass(FastAPIDeprecationWarning, UserWarning)
    assert not issubclass(FastAPIDeprecationWarning, DeprecationWarning)


@pytest.mark.slow  # over 3 s
def test_warning_is_shown_with_default_filters() -> None:
    code = (
        "from fastapi.testclient import TestClient\n"
        "from examples.default_response_class.orjson_default import app\n"
        "TestClient(app).get('/typed')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"},
    )

    assert "FastAPIDeprecationWarning: ORJSONResponse is deprecated" in run.stderr


def printed_warnings(*python_options: str) -> list[str]:
    """Run four requests (two per route) in a fresh Python with default filters;
    return the warning lines it prints."""
    code = (
        "from fastapi.testclient import TestClient\n"
        "from examples.default_response_class.orjson_default import app\n"
        "client = TestClient(app)\n"
        "for path in ['/untyped', '/typed', '/untyped', '/typed']:\n"
        "    assert client.get(path).status_code == 200\n"
    )
    run = subprocess.run(
        [sys.executable, *python_options, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"},
    )
    return [line for line in run.stderr.splitlines() if "Warning:" in line]


@pytest.mark.slow  # over 3 s
def test_default_filters_print_the_warning_once_pointing_at_fastapi() -> None:
    lines = printed_warnings()

    # Issued on every request, printed once: the default filters show a
    # warning once per place that issues it, and that place is in FastAPI.
    assert len(lines) == 1
    place, _, message = lines[0].partition(": FastAPIDeprecationWarning: ")
    assert message.startswith("ORJSONResponse is deprecated")
    assert re.search(r"/fastapi/routing\.py:\d+$", place), place
    assert "examples" not in place


@pytest.mark.slow  # over 3 s
def test_with_w_always_every_request_prints_it() -> None:
    lines = printed_warnings("-W", "always")

    assert len(lines) == 4
    assert all("/fastapi/routing.py:" in line for line in lines)


def test_without_orjson_the_import_works_but_a_response_fails() -> None:
    code = (
        "import sys\n"
        "sys.modules['orjson'] = None\n"
        "import warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from fastapi.responses import ORJSONResponse\n"
        "print('imported')\n"
        "ORJSONResponse({'a': 1})\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.stdout == "imported\n"
    assert run.returncode != 0
    assert "AssertionError: orjson must be installed" in run.stderr
