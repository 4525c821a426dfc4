"""Hostile input for every route of an example: odd path values, odd headers and
methods the route does not declare.

A copyable example must answer anything with a 2xx, 3xx or 4xx and a bounded
body. `failures(app)` sends each route a fixed, bounded set of hostile requests
through TestClient and returns the ones that got a 5xx or a body over
MAX_BODY. An example that fails on purpose says so with a module docstring
starting "Mistake:" (`is_mistake`), and its test lists the routes that fail.
"""

from __future__ import annotations

import importlib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from examples.files import missing_file
from tests.consistency import example_files, module_name

MAX_BODY = 1024 * 1024  # the largest file an example of these pages sends is 80 KB

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
]

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

    def __str__(self) -> str:
        asked = {name: value[:30] for name, value in self.headers.items()}
        return (
            f"{self.method} {self.path[:60]} {asked}: "
            f"{self.status}, {self.body_length} bytes"
        )


def requests_for(route: APIRoute) -> list[tuple[str, dict[str, str]]]:
    """(path, headers) pairs for one route: each odd value, then each odd header."""
    asked: list[tuple[str, dict[str, str]]] = []
    if PARAMETER.search(route.path):
        asked += [(PARAMETER.sub(value, route.path), {}) for value in PATH_VALUES]
    plain = PARAMETER.sub("1", route.path)
    asked += [(plain, headers) for headers in HEADERS]
    return asked


def other_methods(route: APIRoute) -> list[str]:
    """The methods of METHODS that the route does not declare."""
    return [method for method in METHODS if method not in route.methods]


class Client(Protocol):
    """What `failures` needs of a client: TestClient, or httpx2.Client on a server."""

    def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None
    ) -> Any: ...


def failures(app: FastAPI, client: Client | None = None) -> list[Failure]:
    """Every hostile request that got a 5xx or a body over MAX_BODY.

    Sent through TestClient, or through `client` (an httpx2.Client whose
    base_url is a real server running `app`).
    """
    if client is None:
        client = TestClient(app, raise_server_exceptions=False)
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
    for method in other_methods(route):
        response = client.request(method, plain, headers={})
        length = len(response.content)
        if response.status_code >= 500 or length > MAX_BODY:
            found.append(Failure(method, plain, {}, response.status_code, length))
    return found


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


# The routes of docs/files.md's examples that fail on purpose, next to their
# fix in the same example (tests/test_files_hostile.py and the real-server
# check in tests/e2e/test_bad_input_real.py).
FAILS_ON_PURPOSE: dict[ModuleType, set[str]] = {missing_file: {"/unchecked"}}
