"""The "Tested with" note matches the pins, and the pins are what was tested."""

from __future__ import annotations

import os
import sys
from importlib.metadata import version

import pytest

from tools.tested_with import FRAGMENT, SHOWN, guide, pins, render


def test_the_note_on_the_pages_is_rendered_from_the_pins() -> None:
    assert FRAGMENT.read_text() == render(), "run: python -m tools.tested_with"


@pytest.mark.parametrize("package", SHOWN)
def test_this_run_uses_the_versions_the_note_names(package: str) -> None:
    expected = pins()[package]
    if package in {"fastapi", "starlette"}:
        # The matrix's "oldest" leg sets these to [tool.guide] oldest-fastapi
        # and oldest-starlette.
        expected = os.environ.get(f"GUIDE_EXPECT_{package.upper()}", expected)
        assert expected in {pins()[package], guide()[f"oldest-{package}"]}
    assert version(package) == expected


def test_this_python_is_one_the_note_names() -> None:
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in guide()["pythons"]


def test_the_note_names_each_version_it_promises() -> None:
    note = " ".join(render().split())
    for package in SHOWN:
        assert pins()[package] in note
    assert guide()["oldest-fastapi"] in note
    assert guide()["oldest-starlette"] in note
    assert all(python in note for python in guide()["pythons"])


@pytest.mark.parametrize("page", ["docs/versions.md", "docs/index.md"])
def test_the_pages_name_the_oldest_pair_the_matrix_runs(page: str) -> None:
    text = " ".join((FRAGMENT.parent.parent / page).read_text().split())
    oldest = f"FastAPI {guide()['oldest-fastapi']} with Starlette {guide()['oldest-starlette']}"
    assert oldest in text, f"{page} must name the oldest pair: {oldest}"
