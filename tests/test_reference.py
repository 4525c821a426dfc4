"""The arguments the pages document exist in the installed FastAPI and Starlette.

The reference page is rendered by mkdocstrings from the installed packages, so
it follows the pins by itself; the prose does not. These tests fail when a
page documents an argument the installed signature no longer has, or when a
page's argument table misses one the signature gained.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from fastapi.sse import EventSourceResponse, ServerSentEvent

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Callables whose keyword arguments the pages write as `name=`.
DOCUMENTED_CALLABLES = (
    FastAPI,
    APIRouter.get,
    Response,
    JSONResponse,
    HTMLResponse,
    PlainTextResponse,
    StreamingResponse,
    FileResponse,
    EventSourceResponse,
)
# `name=` spans on the pages that are not FastAPI/Starlette arguments.
NOT_ARGUMENTS = {
    "allow_nan",  # json.dumps options JSONResponse uses, named on the JSON page
    "ensure_ascii",
    "separators",
    "bytes",  # Range header values such as bytes=0-9
}
# Arguments a page says were removed; they must stay absent.
REMOVED = {(FileResponse, "method")}


def parameters(target: object) -> set[str]:
    if target is ServerSentEvent:
        return set(ServerSentEvent.model_fields)
    return set(inspect.signature(target).parameters) - {"self"}


def argument_table(page: str) -> list[str]:
    """First-column names of the page's "| Argument | ..." table."""
    rows = []
    in_table = False
    for line in (DOCS / page).read_text().splitlines():
        if line.startswith("| Argument |"):
            in_table = True
        elif in_table and (match := re.match(r"^\| `(\w+)` \|", line)):
            rows.append(match[1])
        elif in_table and not line.startswith("|"):
            break
    return rows


def test_the_file_response_table_lists_exactly_the_installed_arguments() -> None:
    table = argument_table("files.md")

    assert table, "files.md has no argument table"
    assert set(table) == parameters(FileResponse)


@pytest.mark.parametrize(("target", "name"), sorted(REMOVED, key=str))
def test_arguments_the_pages_call_removed_are_absent(target: object, name: str) -> None:
    assert name not in parameters(target)


def keyword_spans() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in sorted(DOCS.glob("*.md")):
        for name in re.findall(r"`([a-z_]+)=", page.read_text()):
            found.setdefault(name, set()).add(page.name)
    return found


def test_the_pages_use_keyword_arguments() -> None:
    assert {"response_class", "media_type", "headers"} <= set(keyword_spans())


@pytest.mark.parametrize("name", sorted(keyword_spans()))
def test_every_keyword_a_page_names_exists(name: str) -> None:
    if name in NOT_ARGUMENTS:
        return
    removed = {removed_name for _, removed_name in REMOVED}
    known = set().union(*(parameters(c) for c in DOCUMENTED_CALLABLES))
    known |= parameters(ServerSentEvent)
    assert name in known or name in removed, (
        f"`{name}=` on {sorted(keyword_spans()[name])} is no argument of the "
        "installed FastAPI or Starlette"
    )


def test_server_sent_event_fields_the_page_lists_exist() -> None:
    text = (DOCS / "server_sent_events.md").read_text()
    named = set(re.findall(r"`(data|raw_data|event|id|retry|comment)`", text))

    assert named, "the SSE page names no ServerSentEvent field"
    assert named <= parameters(ServerSentEvent)
