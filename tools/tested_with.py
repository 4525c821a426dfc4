"""The "Tested with" note every page shows, rendered from the pins.

    python -m tools.tested_with        # rewrite docs/tested-with.txt

The versions come from pyproject.toml, read by tools/settings.py: the pinned
groups and [tool.guide] (the Pythons, and the oldest FastAPI and Starlette the
matrix runs). Nothing is typed by hand; tests/test_tested_with.py fails when
the file and the pins disagree, and when a test run's installed versions are
not the ones the note names.
"""

from __future__ import annotations

import textwrap

from tools import settings
from tools.settings import ROOT, guide

FRAGMENT = ROOT / "docs" / "tested-with.txt"
SHOWN = ("fastapi", "starlette", "pydantic", "uvicorn")
__all__ = ["FRAGMENT", "SHOWN", "guide", "pins", "render"]


def pins() -> dict[str, str]:
    """Exact `name==version` pins of the examples group."""
    return {name: str(version) for name, version in settings.pins("examples").items()}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def render() -> str:
    pinned = pins()
    settings = guide()
    text = (
        f"FastAPI {pinned['fastapi']} with Starlette {pinned['starlette']}, and the "
        f"oldest supported pair, FastAPI {settings['oldest-fastapi']} with Starlette "
        f"{settings['oldest-starlette']}; Pydantic {pinned['pydantic']} and uvicorn "
        f"{pinned['uvicorn']}; Python {_and(settings['pythons'])}. Every example on "
        "this page ran on each of them; see "
        "[which versions, and why](versions.md#oldest-supported)."
    )
    return (
        '!!! info "Tested with"\n'
        + textwrap.fill(text, width=79, initial_indent="    ", subsequent_indent="    ")
        + "\n"
    )


if __name__ == "__main__":
    FRAGMENT.write_text(render())
    print(f"wrote {FRAGMENT.relative_to(ROOT)}")
