"""The arguments the pages document exist in the installed FastAPI and Starlette.

The reference page is rendered by mkdocstrings from the installed packages, so
it follows the pins by itself; the prose does not. These tests fail when a
page documents an argument the installed signature no longer has, or when a
page's argument table misses one the signature gained.
"""

from __future__ import annotations

import collections.abc
import inspect
import re
import typing
from pathlib import Path

import jinja2
import pytest
from fastapi import (
    APIRouter,
    BackgroundTasks,
    Body,
    Depends,
    FastAPI,
    HTTPException,
    Request,
)
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.testclient import TestClient
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from tests.consistency import fail_on
from tests.support import Message, asgi_messages

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Callables whose keyword arguments the pages write as `name=`.
DOCUMENTED_CALLABLES = (
    FastAPI,
    APIRouter.get,
    Response,
    Response.set_cookie,
    JSONResponse,
    HTMLResponse,
    PlainTextResponse,
    StreamingResponse,
    FileResponse,
    EventSourceResponse,
    HTTPException,
    jinja2.Environment,  # the Templates page builds one by hand
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


def keyword_spans(docs: Path = DOCS) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in sorted(docs.glob("*.md")):
        for name in re.findall(r"`([a-z_]+)=", page.read_text()):
            found.setdefault(name, set()).add(page.name)
    return found


def unknown_keyword_problems(docs: Path = DOCS) -> list[str]:
    """Each `name=` span on a page that is no argument of a documented callable."""
    removed = {removed_name for _, removed_name in REMOVED}
    known = set().union(*(parameters(c) for c in DOCUMENTED_CALLABLES))
    known |= parameters(ServerSentEvent) | removed | NOT_ARGUMENTS
    return [
        f"`{name}=` on {', '.join(sorted(spans))} is no argument of the installed "
        "FastAPI or Starlette; fix the name, or, if it is an argument of another "
        "callable, add that callable to DOCUMENTED_CALLABLES in "
        "tests/test_reference.py, or, if it is not an argument at all (a header "
        "value, a json.dumps option), add it to NOT_ARGUMENTS there"
        for name, spans in sorted(keyword_spans(docs).items())
        if name not in known
    ]


def test_the_pages_use_keyword_arguments() -> None:
    assert {"response_class", "media_type", "headers"} <= set(keyword_spans())


def test_every_keyword_a_page_names_exists() -> None:
    fail_on(unknown_keyword_problems())


def test_an_unknown_keyword_is_reported_with_the_table_to_extend(
    tmp_path: Path,
) -> None:
    (tmp_path / "demo.md").write_text(
        "Pass `media_type=` and `status_code=`, or `colour=`.\n"
    )

    assert unknown_keyword_problems(tmp_path) == [
        (
            "`colour=` on demo.md is no argument of the installed FastAPI or "
            "Starlette; fix the name, or, if it is an argument of another callable, "
            "add that callable to DOCUMENTED_CALLABLES in tests/test_reference.py, "
            "or, if it is not an argument at all (a header value, a json.dumps "
            "option), add it to NOT_ARGUMENTS there"
        )
    ]


def test_server_sent_event_fields_the_page_lists_exist() -> None:
    text = (DOCS / "server_sent_events.md").read_text()
    named = set(re.findall(r"`(data|raw_data|event|id|retry|comment)`", text))

    assert named, "the SSE page names no ServerSentEvent field"
    assert named <= parameters(ServerSentEvent)


def test_the_fastapi_http_exception_types_the_reference_page_names() -> None:
    """docs/reference.md shows FastAPI's HTTPException without its annotations
    (they embed their own docs), so it names the types in prose."""
    text = reference_prose()
    hints = typing.get_type_hints(HTTPException.__init__)
    documented = typing.get_type_hints(HTTPException.__init__, include_extras=True)

    assert hints["status_code"] is int
    assert hints["detail"] is typing.Any
    assert hints["headers"] == collections.abc.Mapping[str, str] | None
    assert "`status_code` is an `int`, `detail` is `Any`" in text
    assert "`headers` is a `Mapping[str, str]` or `None`" in text
    # "FastAPI describes each of its arguments inside the argument's type"
    for name in ("status_code", "detail", "headers"):
        assert type(documented[name].__metadata__[0]).__name__ == "Doc"


def reference_prose() -> str:
    """docs/reference.md with its lines joined, so re-wrapping changes nothing."""
    return " ".join((DOCS / "reference.md").read_text().split())


def test_request_validation_error_holds_the_errors_and_the_parsed_body() -> None:
    """docs/reference.md: `errors()` is the 422's detail, `body` the parsed body."""
    seen: dict[str, object] = {}
    app = FastAPI()

    @app.exception_handler(RequestValidationError)
    async def keep(request: Request, exc: RequestValidationError) -> JSONResponse:
        seen.update(errors=exc.errors(), body=exc.body, ctx=exc.endpoint_ctx)
        return await request_validation_exception_handler(request, exc)

    @app.post("/items")
    def create(count: int = Body(embed=True)) -> int:
        return count

    response = TestClient(app).post("/items", json={"count": "many"})

    assert response.status_code == 422
    assert response.json()["detail"] == jsonable_encoder(seen["errors"])
    assert seen["body"] == {"count": "many"}
    assert seen["ctx"] is not None  # filled in by FastAPI
    text = reference_prose()
    assert "Its `errors()` method returns the list of problems" in text
    assert "its `body` attribute holds the request body as FastAPI parsed it" in text


def test_the_validation_errors_share_fastapis_base_class() -> None:
    from fastapi.exceptions import (
        ResponseValidationError,
        ValidationException,
        WebSocketRequestValidationError,
    )

    for error in (
        RequestValidationError,
        ResponseValidationError,
        WebSocketRequestValidationError,
    ):
        assert error.__bases__ == (ValidationException,)
    assert ValidationException.__module__ == "fastapi.exceptions"
    assert "`ValidationException`, is FastAPI's own" in reference_prose()


def test_the_default_handler_takes_starlettes_http_exception() -> None:
    """docs/reference.md: the HTTPException in http_exception_handler's
    signature is Starlette's class."""
    hints = typing.get_type_hints(http_exception_handler)

    assert hints["exc"] is StarletteHTTPException
    assert issubclass(HTTPException, hints["exc"])
    assert "`http_exception_handler` is Starlette's class" in reference_prose()


def test_background_tasks_as_the_reference_page_describes_them() -> None:
    """docs/reference.md's Background tasks section: a route and a dependency
    ask for `BackgroundTasks`, `add_task(func, *args, **kwargs)` queues a call
    that runs after the response is sent, and a `BackgroundTask` holds one
    call for a response's `background=`."""
    done: list[str] = []
    app = FastAPI()

    def note(*words: str, end: str = "") -> None:
        done.append(" ".join(words) + end)

    def audit(tasks: BackgroundTasks) -> None:
        tasks.add_task(note, "dependency")

    @app.get("/queued", dependencies=[Depends(audit)])
    def queued(tasks: BackgroundTasks) -> str:
        tasks.add_task(note, "route", "task", end="!")
        return "queued"

    @app.get("/one")
    def one() -> PlainTextResponse:
        return PlainTextResponse("one", background=BackgroundTask(note, "one"))

    at_each_message: list[list[str]] = []  # what had run when each was sent

    def seen(message: Message) -> None:
        at_each_message.append(list(done))

    for path, tasks in [
        ("/queued", ["dependency", "route task!"]),
        ("/one", ["one"]),
    ]:
        done.clear()
        at_each_message.clear()

        asgi_messages(app, path, on_message=seen)

        assert len(at_each_message) >= 2  # the start, then the body
        assert all(ran == [] for ran in at_each_message)  # none before the end
        assert done == tasks
    assert list(inspect.signature(BackgroundTasks.add_task).parameters) == [
        "self",
        "func",
        "args",
        "kwargs",
    ]
    text = reference_prose()
    assert (
        "`fastapi.BackgroundTasks` is the parameter type a route or a dependency"
        " asks for; its `add_task(func, *args, **kwargs)` queues a call to run"
        " after the response is sent." in text
    )
    assert (
        "`starlette.background.BackgroundTask` holds one such call for a"
        " response's `background=`" in text
    )
