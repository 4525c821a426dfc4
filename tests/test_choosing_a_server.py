"""The Choosing a server page's example under TestClient (docs/choosing_a_server.md);
the real servers are in tests/e2e/test_choosing_a_server_real.py."""

from __future__ import annotations

import importlib.metadata
import json
import sys
import types

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


def test_the_wrappers_pass_the_app_and_whom_to_trust(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Granian and Hypercorn are in the e2e environment only (where
    # tests/e2e/test_choosing_a_server_proxy.py runs the wrapped app behind
    # nginx); here stand-ins record what each factory hands them.
    calls: list[tuple[str, tuple[object, ...], dict[str, object]]] = []

    def recorder(name: str) -> object:
        def record(*args: object, **kwargs: object) -> str:
            calls.append((name, args, kwargs))
            return name

        return record

    proxies = types.ModuleType("granian.utils.proxies")
    proxies.wrap_asgi_with_proxy_headers = recorder("granian")  # type: ignore[attr-defined]
    middleware = types.ModuleType("hypercorn.middleware")
    middleware.ProxyFixMiddleware = recorder("hypercorn")  # type: ignore[attr-defined]
    for name in ("granian", "granian.utils", "hypercorn"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "granian.utils.proxies", proxies)
    monkeypatch.setitem(sys.modules, "hypercorn.middleware", middleware)

    assert server_report.granian_app() == "granian"
    assert server_report.hypercorn_app() == "hypercorn"
    assert calls == [
        ("granian", (server_report.app,), {"trusted_hosts": "127.0.0.1"}),
        ("hypercorn", (server_report.app,), {"mode": "legacy", "trusted_hops": 1}),
    ]
