"""Hostile input for every route of an example: odd path values, odd query
values, odd headers, odd request bodies and methods the route does not declare.

A copyable example must answer anything with a 2xx, 3xx or 4xx and a bounded
body. `failures(app)` sends each route a fixed, bounded set of hostile requests
through TestClient and returns the ones that got a 5xx or a body over
MAX_BODY. It reads at most MAX_BODY + 1 bytes of each answer, and stops reading
a stream STREAM_SECONDS after its headers, so an endless stream ends too.
An example that fails on purpose says so with a module docstring starting
"Mistake:" (`is_mistake`), and FAILS_ON_PURPOSE lists the routes that fail.
tests/test_hostile_input.py checks every example of every page.
"""

from __future__ import annotations

import importlib
import re
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, Self

import anyio.lowlevel
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examples.after_the_response import yield_mistakes
from examples.common_mistakes import (
    large_file_read_into_memory,
    raw_bytes_from_json_route,
)
from examples.cookies import attribute_injection
from examples.files import missing_file
from examples.handling_errors import catch_all, default_422, middleware_raises
from examples.html_and_text import not_a_string
from examples.json_response import encode_first, not_a_number
from examples.response_already_started import fails_mid_stream
from examples.security import download_name
from tests.consistency import example_files, module_name

# The largest answer of an example is a 1 MiB stream (docs/performance.md); the
# largest file, 80 KB.
MAX_BODY = 1024 * 1024
# How long a hostile request reads a stream that has not ended: long enough for
# the first chunks, short enough that ~30 requests per route stay quick.
STREAM_SECONDS = 0.05

# The routes the pages show failing, next to their fix in the same example or the
# next one on the page (each of these examples is a "Mistake:"). Any other route
# that fails is a bug.
FAILS_ON_PURPOSE: dict[ModuleType, set[str]] = {
    attribute_injection: {"/view"},
    catch_all: {"/average/{player}"},
    default_422: {"/orders"},
    download_name: {"/export"},
    encode_first: {"/broken-date", "/broken-model"},
    fails_mid_stream: {"/orders/{customer}"},
    large_file_read_into_memory: {"/logo.png"},
    middleware_raises: {"/stats"},
    missing_file: {"/unchecked"},
    not_a_number: {"/raw"},
    not_a_string: {"/profile-broken"},
    raw_bytes_from_json_route: {"/pixel.png", "/pixel-typed.png"},
    yield_mistakes: {"/orders/{order_id}/pay"},
}

# Values put in place of every path parameter: numbers too big or negative for
# the route, things that are not numbers, traversal, NUL, invalid UTF-8.
PATH_VALUES = [
    "0",
    "-1",
    "9" * 30,
    "9" * 5000,
    "-" + "9" * 5000,
    "1e309",
    "nan",
    "%00",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "%ff%fe",
    "a" * 5000,
    "",
    # absolute paths, as a route that joins the value to a folder would see them
    "%2fetc%2fpasswd",
    "%2F%2Fetc%2Fpasswd",
    "C:%5cWindows%5cwin.ini",
    "%5c%5cserver%5cshare",
]

# Headers sent to every route (with each path parameter set to "1").
HEADERS = [
    {"Range": "bytes=abc"},
    {"Range": "bytes=" + "9" * 40 + "-"},
    {"Range": "bytes=-0"},
    {"Range": "bytes=5-2"},
    {"Range": "bytes=" + ",".join(["0-1"] * 200)},
    {"Range": "bytes=0-9", "If-Range": 'W/"x"'},
    {"Range": "bytes=0-9", "If-Range": "not a date"},
    {"If-None-Match": "*"},
    {"If-None-Match": '"'},
    {"If-None-Match": "W/"},
    {"If-None-Match": ",,," * 1000},
    {"If-Modified-Since": "not a date"},
    {"Accept": "*/*;q=nan"},
    {"Accept-Encoding": "gzip;q=2, br, *;q=-1"},
    {"Last-Event-ID": ""},
    {"Last-Event-ID": "-1"},
    {"Last-Event-ID": "not a number"},
    {"Last-Event-ID": "9" * 5000},
    {"Cookie": "session=" + "x" * 5000},
    {"Cookie": "; ".join(f"c{n}=1" for n in range(1000))},
    {"Cookie": 'session="\\101\\"; ;;; =; a'},
]

# Values put in each query parameter in turn (others left out), URL-encoded: a
# character beyond Latin-1 (a 500 when it reaches a header), NUL, CR LF, and
# "http://[", a URL that urllib.parse.urlsplit refuses with ValueError.
QUERY_VALUES = ["%E2%82%AC", "%00", "%0D%0A", "http%3A%2F%2F%5B"]

# Bodies sent to every POST, PUT and PATCH route (path parameters set to "1"):
# (a name for reports, content-type or None, the bytes). A 422 that echoes its
# input answers the first two with over MAX_BODY bytes, and NaN or invalid UTF-8
# with a 500 (JSON has no NaN; the echoed bytes cannot be decoded).
MANY_KEYS = "{" + ",".join(f'"k{n}":{n}' for n in range(100_000)) + "}"
BODIES: list[tuple[str, str | None, bytes]] = [
    ("JSON string over 1 MiB", "application/json", b'"' + b"x" * MAX_BODY + b'"'),
    ("JSON object, 100000 keys", "application/json", MANY_KEYS.encode()),
    ("JSON NaN", "application/json", b"NaN"),
    ("JSON Infinity in an object", "application/json", b'{"a": Infinity}'),
    ("JSON 1e309", "application/json", b"1e309"),
    ("invalid UTF-8 as text/plain", "text/plain", b"\xff\xfe"),
    ("invalid UTF-8, no content-type", None, b"\xff\xfe"),
]
BODY_METHODS = {"POST", "PUT", "PATCH"}

# Methods sent to every route that does not declare them (path parameters set
# to "1", no extra headers): a 405, or whatever the app answers, must not be 5xx.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]

PARAMETER = re.compile(r"{[^}]+}")


@dataclass(frozen=True)
class Failure:
    method: str
    path: str
    headers: dict[str, str]
    status: int
    body_length: int
    sent: str = ""  # the name of the body sent, from BODIES

    def __str__(self) -> str:
        asked = {name: value[:30] for name, value in self.headers.items()}
        return (
            f"{self.method} {self.path[:60]} {asked} {self.sent}: "
            f"{self.status}, {self.body_length} bytes"
        )


def requests_for(route: APIRoute) -> list[tuple[str, dict[str, str]]]:
    """(path, headers) pairs for one route: each odd value, then each odd header."""
    asked: list[tuple[str, dict[str, str]]] = []
    if PARAMETER.search(route.path):
        asked += [(PARAMETER.sub(value, route.path), {}) for value in PATH_VALUES]
    plain = PARAMETER.sub("1", route.path)
    asked += [(plain, headers) for headers in HEADERS]
    asked += [
        (f"{plain}?{name}={value}", {})
        for name in sorted(query_names(route.dependant))
        for value in QUERY_VALUES
    ]
    return asked


def query_names(dependant: Dependant) -> set[str]:
    """The names of the query parameters of a route and of its dependencies."""
    names = {field.alias for field in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_names(dependency)
    return names


def other_methods(route: APIRoute) -> list[str]:
    """The methods of METHODS that the route does not declare."""
    return [method for method in METHODS if method not in route.methods]


class Client(Protocol):
    """What `failures` needs of a client: TestClient, or httpx2.Client on a server."""

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Any: ...


def failures(app: FastAPI, client: Client | None = None) -> list[Failure]:
    """Every hostile request that got a 5xx or a body over MAX_BODY.

    Sent through TestClient (BoundedTestClient, inside the app's lifespan as
    on a server), or through `client` (an httpx2.Client whose base_url is a
    real server running `app`, or a BoundedTestClient already entered).
    """
    if client is None:
        with BoundedTestClient(app) as entered:
            return failures(app, entered)
    found = []
    # As under a real server, a warning is printed, not raised: it is no answer
    # (pytest's filterwarnings = error would otherwise turn it into a 500).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for route in app.routes:
            if isinstance(route, APIRoute):
                found += _failures_of(client, route)
    return found


def _failures_of(client: Client, route: APIRoute) -> list[Failure]:
    found = []
    for method in sorted(route.methods):
        for path, headers in requests_for(route):
            response = client.request(method, path, headers=headers)
            length = len(response.content)
            if response.status_code >= 500 or length > MAX_BODY:
                found.append(
                    Failure(method, path, headers, response.status_code, length)
                )
    plain = PARAMETER.sub("1", route.path)
    for method in sorted(route.methods & BODY_METHODS):
        for name, content_type, content in BODIES:
            headers = {"content-type": content_type} if content_type else {}
            response = client.request(method, plain, headers=headers, content=content)
            length = len(response.content)
            if response.status_code >= 500 or length > MAX_BODY:
                found.append(
                    Failure(method, plain, headers, response.status_code, length, name)
                )
    for method in other_methods(route):
        response = client.request(method, plain, headers={})
        length = len(response.content)
        if response.status_code >= 500 or length > MAX_BODY:
            found.append(Failure(method, plain, {}, response.status_code, length))
    return found


def bounded(app: ASGIApp, cut: list[Exception]) -> ASGIApp:
    """`app`, but each answer ends after MAX_BODY + 1 bytes or STREAM_SECONDS.

    When either is reached the client gets the end of the body, as if the
    stream had ended, and the app hears that the client has gone (as from a
    real server) and gets no more of its messages through. An error the app
    raises after its first byte and before its last goes into `cut`.
    """

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        sent = 0
        deadline = 0.0
        started = ended = False

        async def bounded_send(message: Message) -> None:
            nonlocal sent, deadline, started, ended
            if ended:  # the client has gone: drop it, and let the app notice
                await anyio.lowlevel.checkpoint()
                return
            if message["type"] == "http.response.start":
                started = True
                deadline = time.monotonic() + STREAM_SECONDS
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
                ended = not message.get("more_body", False)
                if not ended and (sent > MAX_BODY or time.monotonic() > deadline):
                    message = {**message, "more_body": False}
                    ended = True
            await send(message)

        try:
            await app(scope, receive, bounded_send)
        except Exception as error:
            if started and not ended:
                cut.append(error)
            raise

    return wrapped


@dataclass(frozen=True)
class Answer:
    status_code: int
    content: bytes


class BoundedTestClient:
    """TestClient on `bounded(app)`. An answer cut by an error after its first
    byte counts as a 500: a real server would close the connection mid-answer."""

    def __init__(self, app: ASGIApp, base_url: str = "http://testserver") -> None:
        self.cut: list[Exception] = []
        # every status answered, so a test can see the requests reached the routes
        self.statuses: Counter[int] = Counter()
        self.client = TestClient(
            bounded(app, self.cut), base_url=base_url, raise_server_exceptions=False
        )

    def __enter__(self) -> Self:
        """Run the app's lifespan startup (and its shutdown at __exit__), as a
        server does: an app may make what its routes need there."""
        self.client.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.client.__exit__(*exc_info)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Answer:
        self.cut.clear()
        response = self.client.request(method, url, headers=headers, content=content)
        answer = Answer(500 if self.cut else response.status_code, response.content)
        self.statuses[answer.status_code] += 1
        return answer


def failing_routes(app: FastAPI, client: Client | None = None) -> set[str]:
    """The route paths (with their {parameters}) that some hostile request broke."""
    return routes_of(app, failures(app, client))


def routes_of(app: FastAPI, found: list[Failure]) -> set[str]:
    """The route paths (with their {parameters}) of the requests in `found`."""
    by_path = {}
    for route in app.routes:
        if isinstance(route, APIRoute):
            for path, _ in requests_for(route):
                by_path.setdefault(path, route.path)
    return {by_path[failure.path] for failure in found}


def is_mistake(module: ModuleType) -> bool:
    return (module.__doc__ or "").startswith("Mistake:")


def page_examples(page: str) -> list[ModuleType]:
    """Every example module of a page, imported."""
    root = Path(__file__).resolve().parent.parent
    return [
        importlib.import_module(module_name(root, path))
        for path in example_files(root)
        if path.parent.name == page
    ]
