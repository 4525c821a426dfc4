"""The guide's settings, read from pyproject.toml in one place.

    from tools.settings import guide, group, pins, oldest, ENVIRONMENT

pyproject.toml holds the pins (its dependency groups) and `[tool.guide]` (the
Pythons and the oldest supported FastAPI and Starlette). noxfile.py, dev.py,
the tools and the tests all read them through this module.

dev.py imports it on a bare Python with no packages, so everything at module
level is standard library; `packaging` is imported only inside the functions
that parse requirements and versions.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"

# Environment variables every run gets (dev.py and noxfile.py apply them; the
# tests pass them to the programs they start). A value already set wins.
ENVIRONMENT = {
    # uv uses the Pythons already on this machine and never downloads one.
    "UV_PYTHON_DOWNLOADS": "never",
    # mkdocs need not advertise its successor on every build.
    "NO_MKDOCS_2_WARNING": "1",
}


def apply_environment(env: MutableMapping[str, str] = os.environ) -> None:
    """Set each ENVIRONMENT variable in `env` that is not set there already."""
    for name, value in ENVIRONMENT.items():
        env.setdefault(name, value)


@functools.cache
def project(path: Path = PYPROJECT) -> dict[str, Any]:
    """pyproject.toml, parsed once."""
    return tomllib.loads(path.read_text())


def guide() -> dict[str, Any]:
    """`[tool.guide]`: pythons, oldest-fastapi, oldest-starlette."""
    return project()["tool"]["guide"]


def group(name: str, *, includes: bool = True) -> list[str]:
    """The requirement strings of a dependency group, with those of the groups
    it includes (unless includes=False)."""
    found: list[str] = []
    for entry in project()["dependency-groups"][name]:
        if isinstance(entry, str):
            found.append(entry)
        elif includes:
            found += group(entry["include-group"])
    return found


def requirements(*groups: str, includes: bool = True) -> list[Requirement]:
    """The groups' requirements, parsed by `packaging`."""
    from packaging.requirements import Requirement

    return [
        Requirement(text) for name in groups for text in group(name, includes=includes)
    ]


def pins(*groups: str, includes: bool = True) -> dict[str, Version]:
    """Each `name==version` pin of the groups, by canonical name."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    found = {}
    for requirement in requirements(*groups, includes=includes):
        exact = [spec for spec in requirement.specifier if spec.operator == "=="]
        if len(exact) == 1 and "*" not in exact[0].version:
            found[canonicalize_name(requirement.name)] = Version(exact[0].version)
    return found


def oldest(package: str) -> Version:
    """The oldest supported release of fastapi or starlette (`[tool.guide]`)."""
    from packaging.version import Version

    return Version(guide()[f"oldest-{package}"])
