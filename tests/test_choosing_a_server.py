"""The Choosing a server page's example under TestClient (docs/choosing_a_server.md);
the real servers are in tests/e2e/test_choosing_a_server_real.py."""

from __future__ import annotations

import importlib.metadata
import json
import sys
import types
from typing import Any

import pytest
from fastapi.testclient import TestClient
from packaging.requirements import Requirement

from examples.choosing_a_server import server_report
from tests.support import asgi_messages


def test_testclient_declares_no_spec_version_and_two_extensions_of_its_own() -> None:
    response = TestClient(server_report.app).get("/server")

    assert response.status_code == 200
    assert response.json() == {
        "spec_version": "2.0",
        "extensions": ["http.response.debug", "http.response.trailers"],
    }


def test_the_report_reads_what_the_server_put_in_the_scope() -> None:
    messages = asgi_messages(
        server_report.app,
        "/server",
        spec_version="2.4",
        extensions={"http.response.pathsend": {}},
    )

    assert messages[0]["status"] == 200
    assert json.loads(messages[1]["body"]) == {
        "spec_version": "2.4",
        "extensions": ["http.response.pathsend"],
    }


def test_lines_stream_three_lines() -> None:
    response = TestClient(server_report.app).get("/lines")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "line 1\nline 2\nline 3\n"


def test_plain_uvicorn_brings_h11_and_the_standard_extra_httptools_and_uvloop() -> None:
    requirements = [
        Requirement(text) for text in importlib.metadata.requires("uvicorn") or []
    ]
    plain = {r.name for r in requirements if r.marker is None}
    standard = {
        r.name
        for r in requirements
        if r.marker is not None
        and "extra" in str(r.marker)
        and r.marker.evaluate({"extra": "standard"})
    }

    assert "h11" in plain
    assert {"httptools", "uvloop"} <= standard
    assert not {"httptools", "uvloop"} & plain


def test_the_app_reads_forwarded_headers_only_through_the_server() -> None:
    # TestClient believes no proxy headers: the app sees what the server put
    # in the scope (the e2e tests show each server behind nginx).
    response = TestClient(server_report.app).get(
        "/where/",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
    )

    assert response.status_code == 200
    assert response.json() == {"client": "testclient", "scheme": "http"}
    moved = TestClient(server_report.app).get("/where", follow_redirects=False)
    assert moved.status_code == 307
    assert moved.headers["location"] == "http://testserver/where/"


def stand_ins(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[list[tuple[str, tuple[object, ...], dict[str, object]]], list[dict]]:
    """Granian and Hypercorn are in the e2e environment only (where
    tests/e2e/test_choosing_a_server_proxy.py runs the wrapped app behind
    nginx); here stand-ins record what each factory hands them, and the
    scopes Hypercorn's middleware would get."""
    calls: list[tuple[str, tuple[object, ...], dict[str, object]]] = []
    scopes: list[dict] = []

    def granian(*args: object, **kwargs: object) -> str:
        calls.append(("granian", args, kwargs))
        return "granian"

    def hypercorn(app: Any, **kwargs: object) -> Any:
        calls.append(("hypercorn", (app,), kwargs))

        async def middleware(scope: dict, receive: Any, send: Any) -> None:
            scopes.append(scope)
            await app(scope, receive, send)

        return middleware

    proxies = types.ModuleType("granian.utils.proxies")
    proxies.wrap_asgi_with_proxy_headers = granian  # type: ignore[attr-defined]
    middleware = types.ModuleType("hypercorn.middleware")
    middleware.ProxyFixMiddleware = hypercorn  # type: ignore[attr-defined]
    for name in ("granian", "granian.utils", "hypercorn"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "granian.utils.proxies", proxies)
    monkeypatch.setitem(sys.modules, "hypercorn.middleware", middleware)
    return calls, scopes


def test_the_wrappers_pass_the_app_and_whom_to_trust(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls, _ = stand_ins(monkeypatch)

    assert server_report.granian_app() == "granian"
    server_report.hypercorn_app()
    assert calls == [
        ("granian", (server_report.app,), {"trusted_hosts": "127.0.0.1"}),
        ("hypercorn", (server_report.app,), {"mode": "legacy", "trusted_hops": 1}),
    ]


FORGED = {
    "X-Forwarded-For": "6.6.6.6",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "javascript",
}


def test_hypercorns_middleware_sees_only_nginx_and_only_its_two_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, scopes = stand_ins(monkeypatch)
    app = server_report.hypercorn_app()

    # From nginx's address: X-Forwarded-Host is dropped, and so is a scheme
    # other than http or https.
    nginx = TestClient(app, client=("127.0.0.1", 50000))
    assert nginx.get("/where/", headers=FORGED).status_code == 200
    passed = {name for name, _ in scopes[-1]["headers"]}
    assert b"x-forwarded-for" in passed
    assert not passed & {b"x-forwarded-host", b"x-forwarded-proto"}
    nginx.get("/where/", headers={"X-Forwarded-Proto": "https"})
    assert (b"x-forwarded-proto", b"https") in scopes[-1]["headers"]

    # From any other address, the middleware never sees the request.
    count = len(scopes)
    other = TestClient(app, client=("127.0.0.2", 50000))
    answer = other.get("/where/", headers=FORGED)
    assert answer.json() == {"client": "127.0.0.2", "scheme": "http"}
    assert len(scopes) == count
