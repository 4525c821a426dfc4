"""The markers of tests/conftest.py select by folder, and what -m rules out is
never imported: a bare `pytest` must run without playwright or schemathesis.

Each test builds a small copy of the layout (this repository's pyproject.toml
and tests/conftest.py, with stand-in test modules) and collects it in a fresh
pytest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow  # each test starts a pytest (about 2 s)

ROOT = Path(__file__).resolve().parent.parent

# Stand-in test modules, by path.
MODULES = {
    "tests/test_fast.py": "def test_fast():\n    pass\n",
    "tests/test_examples.py": "def test_example():\n    pass\n",
    "tests/e2e/test_real.py": (
        "import pytest\n\n\ndef test_real():\n    pass\n\n\n"
        "@pytest.mark.slow\ndef test_real_and_slow():\n    pass\n"
    ),
    "tests/e2e/apps/app.py": "APP = 1\n",
    "tests/site/test_built.py": "def test_built():\n    pass\n",
}
BROKEN = "raise ImportError('imported although -m rules this folder out')\n"


def layout(pytester: pytest.Pytester, *, broken: tuple[str, ...] = ()) -> None:
    """Write the stand-in tree; test modules under the `broken` folders fail
    on import, as the real ones do where playwright is missing."""
    (pytester.path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    files = {
        "tests/__init__.py": "",
        "tests/conftest.py": (ROOT / "tests" / "conftest.py").read_text(),
        # The conftest reads the project's settings through the loader.
        "tools/__init__.py": "",
        "tools/settings.py": (ROOT / "tools" / "settings.py").read_text(),
        "tests/e2e/__init__.py": "",
        "tests/e2e/apps/__init__.py": "",
        "tests/site/__init__.py": "",
        **MODULES,
    }
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = name.split("/")[1]
        failing = folder in broken and Path(name).name.startswith("test_")
        path.write_text(BROKEN + text if failing else text)


def collected(pytester: pytest.Pytester, *args: str) -> set[str]:
    result = pytester.runpytest_subprocess(
        "--collect-only", "-q", "-p", "no:cacheprovider", *args
    )
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED), (
        result.stdout.str()
    )
    return {line for line in result.stdout.lines if "::" in line}


def test_a_bare_pytest_collects_only_the_fast_suite_and_imports_no_e2e_module(
    pytester: pytest.Pytester,
) -> None:
    layout(pytester, broken=("e2e", "site"))

    assert collected(pytester) == {"tests/test_fast.py::test_fast"}


E2E = {
    "tests/e2e/test_real.py::test_real",
    "tests/e2e/test_real.py::test_real_and_slow",
}


@pytest.mark.parametrize(
    ("markexpr", "broken", "expected"),
    [
        ("e2e", ("site",), E2E),
        ("site", ("e2e",), {"tests/site/test_built.py::test_built"}),
        (
            "not e2e and not site",
            ("e2e", "site"),
            {"tests/test_fast.py::test_fast", "tests/test_examples.py::test_example"},
        ),
        ("slow", (), {"tests/e2e/test_real.py::test_real_and_slow"}),
    ],
)
def test_dash_m_collects_its_marker_and_imports_no_folder_it_rules_out(
    pytester: pytest.Pytester, markexpr: str, broken: tuple[str, ...], expected: set
) -> None:
    layout(pytester, broken=broken)

    assert collected(pytester, "-m", markexpr) == expected


def test_a_path_named_on_the_command_line_runs_without_a_default_marker(
    pytester: pytest.Pytester,
) -> None:
    layout(pytester, broken=("site",))

    assert collected(pytester, "tests/e2e", "tests/test_examples.py") == {
        *E2E,
        "tests/test_examples.py::test_example",
    }
