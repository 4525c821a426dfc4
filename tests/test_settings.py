"""tools/settings.py: pyproject.toml read in one place, the environment set in one."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.version import Version

from tools import settings
from tools.settings import ENVIRONMENT, ROOT, apply_environment, group, oldest, pins


def test_pins_are_parsed_versions_of_the_installed_packages() -> None:
    pinned = pins("examples")
    assert set(pinned) == {
        "fastapi",
        "starlette",
        "pydantic",
        "uvicorn",
        "orjson",
        "jinja2",
    }
    assert all(isinstance(found, Version) for found in pinned.values())
    # The matrix's "oldest" leg installs another fastapi and starlette.
    for package in ("pydantic", "uvicorn", "orjson", "jinja2"):
        assert pinned[package] == Version(version(package))


def test_a_group_includes_the_groups_it_names() -> None:
    bench = group("bench")
    assert "matplotlib==3.11.2" in bench
    assert set(group("tests")) <= set(bench)
    assert set(group("examples")) <= set(group("tests"))
    assert all(isinstance(entry, str) for entry in bench)


def test_the_oldest_supported_pair_is_older_than_the_pins() -> None:
    for package in ("fastapi", "starlette"):
        assert oldest(package) <= pins("examples")[package]


def test_dev_py_needs_only_the_standard_library() -> None:
    """dev.py runs on a bare Python: the loader's stdlib part must not import
    packaging (-S leaves site-packages, where packaging lives, out)."""
    code = (
        "import sys\n"
        "from tools.settings import group, apply_environment\n"
        "from tools.waiting import wait_until\n"
        "print(' '.join(group('runner')))\n"
        "assert 'packaging' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-E", "-s", "-S", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == group("runner")


def test_a_variable_already_set_wins() -> None:
    env = {"UV_PYTHON_DOWNLOADS": "automatic"}
    apply_environment(env)
    assert env == {**ENVIRONMENT, "UV_PYTHON_DOWNLOADS": "automatic"}


@pytest.mark.parametrize("name", sorted(ENVIRONMENT))
def test_each_variable_is_set_in_one_place(name: str) -> None:
    """Only tools/settings.py sets it (README's table explains it)."""
    places = [
        ROOT / "dev.py",
        ROOT / "noxfile.py",
        ROOT / ".ci" / "run",
        *sorted((ROOT / "tests").rglob("*.py")),
        *sorted((ROOT / "tools").rglob("*.py")),
    ]
    naming = [
        path.relative_to(ROOT).as_posix()
        for path in places
        if name in path.read_text()
        and path not in {ROOT / "tools" / "settings.py", Path(__file__).resolve()}
    ]
    assert naming == []


def test_readme_lists_every_variable_the_project_reads() -> None:
    code = "\n".join(
        path.read_text()
        for path in [
            ROOT / "dev.py",
            ROOT / "noxfile.py",
            ROOT / ".ci" / "run",
            *(ROOT / "tests").rglob("*.py"),
            *(ROOT / "tools").rglob("*.py"),
        ]
    )
    read = set(ENVIRONMENT) | set(re.findall(r"\bGUIDE_[A-Z0-9_]*[A-Z0-9]", code))
    assert "GUIDE_REQUIRE_E2E" in read
    table = (ROOT / "README.md").read_text().split("## Environment variables")[1]
    # GUIDE_EXPECT_{package} is one row: GUIDE_EXPECT_FASTAPI, _STARLETTE.
    missing = [
        name
        for name in sorted(read)
        if f"`{name}`" not in table and not name.startswith("GUIDE_EXPECT")
    ]
    assert missing == []
    assert "`GUIDE_EXPECT_FASTAPI`" in table
    assert settings.PYPROJECT.exists()
