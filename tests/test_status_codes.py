"""Behaviour of the examples on docs/status_codes.md: what the page claims, asserted."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import starlette.status
from fastapi import FastAPI, Request, Response, status
from fastapi.testclient import TestClient
from starlette.exceptions import StarletteDeprecationWarning
from starlette.middleware.trustedhost import TrustedHostMiddleware

from examples.status_codes import (
    created,
    json_no_content,
    no_content,
    reset_content,
    reset_on_decorator,
    returned_status_wins,
    status_in_one_place,
)
from tests.support import asgi_messages


@pytest.fixture
def client() -> Iterator[TestClient]:
    created.NOTES.clear()
    yield TestClient(created.app)
    created.NOTES.clear()


def responses_of(app: FastAPI, path: str, method: str) -> dict[str, Any]:
    return app.openapi()["paths"][path][method]["responses"]


# 201 and Location


def test_a_create_answers_201_with_a_relative_location(client: TestClient) -> None:
    response = client.post("/notes", params={"text": "buy milk"})

    assert response.status_code == 201
    assert response.headers["location"] == "/notes/1"
    assert response.json() == {"text": "buy milk"}
    # a client resolves it against the URL it asked
    assert str(response.url.join(response.headers["location"])) == (
        "http://testserver/notes/1"
    )
    assert client.get("/notes/1").json() == {"text": "buy milk"}


def test_a_client_does_not_follow_the_location_of_a_201(client: TestClient) -> None:
    response = client.post("/notes", params={"text": "buy milk"}, follow_redirects=True)

    assert response.status_code == 201
    assert response.history == []
    assert response.request.url.path == "/notes"


def test_the_next_create_takes_the_first_free_id(client: TestClient) -> None:
    client.put("/notes/1", params={"text": "a"})

    response = client.post("/notes", params={"text": "b"})

    assert response.headers["location"] == "/notes/2"


def test_creating_stops_at_100_notes_with_a_409(client: TestClient) -> None:
    for _ in range(100):
        assert client.post("/notes", params={"text": "x"}).status_code == 201

    response = client.post("/notes", params={"text": "one too many"})

    assert response.status_code == 409
    assert response.json() == {"detail": "All 100 notes are taken."}
    assert "location" not in response.headers
    assert len(created.NOTES) == 100


class SlowStore(dict[int, str]):
    """A dict that takes a moment to store, like a database: two requests that
    check for a free id at the same time both see it free unless a lock orders
    them."""

    def __setitem__(self, key: int, value: str) -> None:
        time.sleep(0.01)
        super().__setitem__(key, value)


@pytest.mark.parametrize("method", ["post", "put"])
def test_concurrent_creates_get_distinct_locations(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    monkeypatch.setattr(created, "NOTES", SlowStore())

    def create(i: int) -> tuple[int, str | None]:
        path = "/notes" if method == "post" else "/notes/5"
        response = getattr(client, method)(path, params={"text": f"note {i}"})
        return response.status_code, response.headers.get("location")

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(create, range(8)))

    if method == "post":
        # eight notes, eight Locations: no create overwrote another
        assert sorted(location for _, location in answers) == [
            f"/notes/{i}" for i in range(1, 9)
        ]
        assert len(created.NOTES) == 8
    else:
        # one PUT created note 5, the seven others replaced it
        assert sorted(code for code, _ in answers) == [200] * 7 + [201]


def test_the_location_follows_a_mount_and_a_root_path() -> None:
    created.NOTES.clear()
    outer = FastAPI()
    outer.mount("/api", created.app)
    mounted = TestClient(outer)

    response = mounted.post("/api/notes", params={"text": "a"})

    assert response.headers["location"] == "/api/notes/1"
    assert mounted.get(response.headers["location"]).json() == {"text": "a"}
    # the path url_path_for gives is not where the note is
    assert created.app.url_path_for("read_note", note_id=1) == "/notes/1"
    assert mounted.get("/notes/1").status_code == 404
    # behind a proxy that strips /api (uvicorn --root-path /api)
    proxied = TestClient(created.app, root_path="/api")
    response = proxied.post("/notes", params={"text": "b"}, headers={"host": "evil.x"})
    assert response.headers["location"] == "/api/notes/2"
    put = proxied.put("/notes/9", params={"text": "c"})
    assert put.headers["location"] == "/api/notes/9"
    created.NOTES.clear()


def test_the_trailing_slash_redirect_takes_the_clients_host(
    client: TestClient,
) -> None:
    response = client.get(
        "/notes/1/", headers={"host": "evil.example"}, follow_redirects=False
    )

    assert response.status_code == 307
    assert response.headers["location"] == "http://evil.example/notes/1"


def where_app() -> FastAPI:
    app = FastAPI()

    @app.get("/notes/{note_id}")
    def read_note(note_id: int) -> int:
        return note_id

    @app.get("/where")
    def where(request: Request) -> str:
        return str(request.url_for("read_note", note_id=1))

    return app


def test_an_absolute_location_from_url_for_takes_the_clients_host() -> None:
    evil = TestClient(where_app()).get("/where", headers={"host": "evil.example"})

    assert evil.json() == "http://evil.example/notes/1"
    # the path the example takes from it does not depend on the Host
    created.NOTES.clear()
    response = TestClient(created.app).post(
        "/notes", params={"text": "a"}, headers={"host": "evil.example"}
    )
    assert response.headers["location"] == "/notes/1"
    created.NOTES.clear()


def test_trusted_host_middleware_refuses_a_host_it_does_not_know() -> None:
    app = where_app()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["notes.example"])
    client = TestClient(app)

    assert client.get("/where", headers={"host": "evil.example"}).status_code == 400
    ok = client.get("/where", headers={"host": "notes.example"})
    assert ok.json() == "http://notes.example/notes/1"
    # and the trailing-slash redirect FastAPI sends: refused before routing
    slash = client.get(
        "/notes/1/", headers={"host": "evil.example"}, follow_redirects=False
    )
    assert slash.status_code == 400
    assert "location" not in slash.headers


# create-or-update through the injected Response


def test_a_put_that_creates_answers_201_with_a_location(client: TestClient) -> None:
    response = client.put("/notes/7", params={"text": "call Ada"})

    assert response.status_code == 201
    assert response.headers["location"] == "/notes/7"
    assert response.json() == {"text": "call Ada"}


def test_a_put_that_replaces_answers_200_without_a_location(
    client: TestClient,
) -> None:
    client.put("/notes/7", params={"text": "call Ada"})

    response = client.put("/notes/7", params={"text": "call Ada at 5"})

    assert response.status_code == 200
    assert "location" not in response.headers
    assert client.get("/notes/7").json() == {"text": "call Ada at 5"}


@pytest.mark.parametrize("text", ["", "x" * 201])
def test_note_texts_are_bounded(client: TestClient, text: str) -> None:
    assert client.post("/notes", params={"text": text}).status_code == 422
    assert client.put("/notes/1", params={"text": text}).status_code == 422
    assert created.NOTES == {}


@pytest.mark.parametrize("note_id", ["0", "101", "x"])
def test_note_ids_are_bounded(client: TestClient, note_id: str) -> None:
    assert client.put(f"/notes/{note_id}", params={"text": "x"}).status_code == 422
    assert created.NOTES == {}


def test_openapi_documents_the_decorator_status_and_the_declared_201() -> None:
    assert sorted(responses_of(created.app, "/notes", "post")) == ["201", "409", "422"]
    put = responses_of(created.app, "/notes/{note_id}", "put")
    # 200 from the decorator's default, 201 only because responses= declares it
    assert sorted(put) == ["200", "201", "422"]
    assert put["201"]["description"] == "Created"
    assert put["201"]["content"] == put["200"]["content"]
    post = responses_of(created.app, "/notes", "post")
    for documented in (post["201"], put["201"]):
        assert documented["headers"] == {
            "Location": {"description": "The new note", "schema": {"type": "string"}}
        }
    assert "headers" not in put["200"]


# 204, HEAD


def test_delete_answers_204_with_no_body(client: TestClient) -> None:
    client.put("/notes/7", params={"text": "x"})

    response = client.delete("/notes/7")

    assert response.status_code == 204
    assert response.content == b""
    assert "content-length" not in response.headers
    assert client.get("/notes/7").status_code == 404


def test_openapi_documents_a_204_without_content() -> None:
    assert responses_of(created.app, "/notes/{note_id}", "delete")["204"] == {
        "description": "Successful Response"
    }


def test_head_gets_the_headers_of_a_get_and_no_body(client: TestClient) -> None:
    client.put("/notes/7", params={"text": "call Ada at 5"})

    get = client.get("/notes/7")
    head = client.head("/notes/7")

    assert head.status_code == get.status_code == 200
    assert head.headers["content-length"] == str(len(get.content)) == "24"
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.content == b""
    assert client.head("/notes/8").status_code == 404


def test_a_route_without_head_answers_405_to_it(client: TestClient) -> None:
    response = client.head("/notes")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    # a GET route alone does not answer HEAD either
    app = FastAPI()
    app.get("/only-get")(lambda: {"a": 1})
    assert TestClient(app).head("/only-get").status_code == 405


def test_get_and_head_are_two_documented_operations() -> None:
    operations = created.app.openapi()["paths"]["/notes/{note_id}"]
    assert sorted(operations) == ["delete", "get", "head", "put"]
    assert operations["get"]["operationId"] != operations["head"]["operationId"]
    # the head operation documents the body a GET gets, which HEAD never sends
    assert (
        operations["head"]["responses"]["200"] == operations["get"]["responses"]["200"]
    )
    assert "content" in operations["head"]["responses"]["200"]


# 204 with a body


def test_jsonresponse_204_sends_null_as_its_body() -> None:
    response = TestClient(json_no_content.app).delete("/sessions/1")

    assert response.status_code == 204
    assert response.content == b"null"
    assert "content-length" not in response.headers


def test_jsonresponse_204_hands_the_server_a_body_message_with_null() -> None:
    messages = asgi_messages(json_no_content.app, "/sessions/2", method="DELETE")

    assert messages[0]["status"] == 204
    assert [m["body"] for m in messages[1:]] == [b"null"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/sessions/1", "application/json"),
        ("/v2/sessions/2", None),
        ("/old/sessions/3", "application/json"),
    ],
)
def test_each_fix_sends_204_with_no_body(path: str, content_type: str | None) -> None:
    no_content.SESSIONS.update({1, 2, 3})
    messages = asgi_messages(no_content.app, path, method="DELETE")
    headers = dict(messages[0]["headers"])

    assert messages[0]["status"] == 204
    assert [m["body"] for m in messages[1:]] == [b""]
    assert b"content-length" not in headers
    assert headers.get(b"content-type") == (
        content_type.encode() if content_type else None
    )
    assert int(path.rsplit("/", 1)[1]) not in no_content.SESSIONS


@pytest.mark.parametrize("code", [204, 304])
def test_fastapi_empties_the_body_and_its_length_for_these(code: int) -> None:
    app = FastAPI()

    @app.get("/", status_code=code)
    def answer():  # no return type, as in the example
        return {"a": 1}

    messages = asgi_messages(app, "/")

    assert messages[0]["status"] == code
    assert b"content-length" not in dict(messages[0]["headers"])
    assert [m["body"] for m in messages[1:]] == [b""]


@pytest.mark.parametrize("returned", [{"a": 1}, None], ids=["dict", "None"])
def test_a_205_on_the_decorator_keeps_the_dropped_bodys_length(returned: Any) -> None:
    app = FastAPI()

    @app.get("/", status_code=205)
    def answer():
        return returned

    messages = asgi_messages(app, "/")
    headers = dict(messages[0]["headers"])

    assert messages[0]["status"] == 205
    # the length of {"a":1} (7 bytes) or null (4), for a body that is not sent
    assert headers[b"content-length"] == (b"7" if returned else b"4")
    assert [m["body"] for m in messages[1:]] == [b""]


def test_the_205_mistake_declares_4_bytes_and_sends_none() -> None:
    messages = asgi_messages(reset_on_decorator.app, "/drafts/2/clear", method="POST")

    assert messages[0]["status"] == 205
    assert dict(messages[0]["headers"])[b"content-length"] == b"4"
    assert [m["body"] for m in messages[1:]] == [b""]


def test_a_returned_response_sends_205_with_length_0() -> None:
    reset_content.DRAFTS[2] = "Hi Bob"
    messages = asgi_messages(reset_content.app, "/drafts/2/clear", method="POST")

    assert messages[0]["status"] == 205
    assert messages[0]["headers"] == [(b"content-length", b"0")]
    assert [m["body"] for m in messages[1:]] == [b""]
    assert 2 not in reset_content.DRAFTS
    # documented as what it sends: a 205 with no content, no 200
    responses = reset_content.app.openapi()["paths"]["/drafts/{draft_id}/clear"][
        "post"
    ]["responses"]
    assert responses["205"] == {"description": "Successful Response"}
    assert "200" not in responses


@pytest.mark.parametrize("code", [204, 205, 304])
def test_a_route_whose_return_type_has_a_body_is_refused_at_startup(
    code: int,
) -> None:
    app = FastAPI()

    def ended() -> dict[str, int]:
        return {"ended": 1}

    with pytest.raises(AssertionError, match=f"{code} must not have a response body"):
        app.delete("/sessions", status_code=code)(ended)


def test_a_204_route_typed_none_or_response_is_accepted() -> None:
    app = FastAPI()

    def typed_none() -> None:
        return None

    def typed_response() -> Response:
        return Response(status_code=204)

    app.delete("/a", status_code=204)(typed_none)
    app.delete("/b", status_code=204)(typed_response)
    client = TestClient(app)
    assert [client.delete(p).status_code for p in ("/a", "/b")] == [204, 204]


# the decorator's status_code against a returned response


def test_a_returned_response_keeps_its_own_status() -> None:
    response = TestClient(returned_status_wins.app).post(
        "/reports", params={"month": 5}
    )

    # neither the decorator's 202 nor the injected Response's 201
    assert response.status_code == 200
    assert response.json() == {"month": 5, "state": "queued"}


def test_openapi_still_documents_the_decorators_status() -> None:
    documented = responses_of(returned_status_wins.app, "/reports", "post")

    assert sorted(documented) == ["202", "422"]


def test_returning_data_sends_and_documents_the_decorators_status() -> None:
    response = TestClient(status_in_one_place.app).post("/reports", params={"month": 5})

    assert response.status_code == 202
    assert response.json() == {"month": 5, "state": "queued"}
    documented = responses_of(status_in_one_place.app, "/reports", "post")
    assert sorted(documented) == ["202", "422"]
    assert documented["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Report"
    }


@pytest.mark.parametrize(
    "app", [returned_status_wins.app, status_in_one_place.app], ids=["mistake", "fix"]
)
def test_the_month_is_bounded(app: FastAPI) -> None:
    assert TestClient(app).post("/reports", params={"month": 13}).status_code == 422


# fastapi.status


def test_fastapi_status_is_starlettes_module_of_plain_ints() -> None:
    assert status is starlette.status
    assert status.HTTP_201_CREATED == 201
    assert status.HTTP_204_NO_CONTENT == 204
    assert status.HTTP_304_NOT_MODIFIED == 304
    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    # plain ints, not an IntEnum
    assert type(status.HTTP_201_CREATED) is int
    assert type(status.HTTP_204_NO_CONTENT) is int
    assert type(status.HTTP_304_NOT_MODIFIED) is int


def test_a_typo_in_a_constant_is_an_error() -> None:
    with pytest.raises(AttributeError):
        _ = status.HTTP_201_CREATD  # type: ignore[attr-defined]


def test_the_old_name_of_422_warns() -> None:
    with pytest.warns(
        StarletteDeprecationWarning, match="HTTP_422_UNPROCESSABLE_CONTENT"
    ):
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422


def test_the_old_name_of_422_fails_a_suite_that_makes_warnings_errors() -> None:
    # a UserWarning, so Python shows it by default, unlike a DeprecationWarning
    assert issubclass(StarletteDeprecationWarning, UserWarning)
    assert not issubclass(StarletteDeprecationWarning, DeprecationWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(StarletteDeprecationWarning):
            _ = status.HTTP_422_UNPROCESSABLE_ENTITY


def test_python_prints_the_old_names_warning_by_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from fastapi import status; status.HTTP_422_UNPROCESSABLE_ENTITY",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=True,
    )

    assert "StarletteDeprecationWarning: 'HTTP_422_UNPROCESSABLE_ENTITY'" in run.stderr
