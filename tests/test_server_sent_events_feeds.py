"""Feeds: resuming with Last-Event-ID, a producer faster than the client, cleanup
when the client leaves, and a cookie that signs a feed in
(docs/server_sent_events.md)."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import AsyncIterable, Iterator

import anyio
import pytest
from fastapi import FastAPI
from fastapi.sse import EventSourceResponse
from fastapi.testclient import TestClient

from examples.server_sent_events import (
    cookie_auth,
    fast_producer,
    fast_producer_checked,
    resume_last_event_id,
    subscribers_cleanup,
)
from tests.server_sent_events_support import SSE_HEADERS
from tests.support import Message, scope_for

# --- Last-Event-ID ----------------------------------------------------------


def test_without_last_event_id_the_feed_starts_at_the_beginning() -> None:
    response = TestClient(resume_last_event_id.app).get("/messages")

    assert response.text == (
        "data: hello\nid: 0\n\n"
        "data: how are you?\nid: 1\n\n"
        "data: fine, thanks\nid: 2\n\n"
        "data: bye\nid: 3\n\n"
    )


def test_last_event_id_resumes_after_that_event() -> None:
    response = TestClient(resume_last_event_id.app).get(
        "/messages", headers={"Last-Event-ID": "1"}
    )

    assert response.text == "data: fine, thanks\nid: 2\n\ndata: bye\nid: 3\n\n"


def test_last_event_id_of_the_last_event_sends_nothing() -> None:
    response = TestClient(resume_last_event_id.app).get(
        "/messages", headers={"Last-Event-ID": "3"}
    )

    assert response.status_code == 200
    assert response.text == ""


# Before the first byte, FastAPI checks the header: a bad id gets a 422 with a
# JSON body, never a 200 event stream that breaks off (which EventSource would
# retry forever). Browsers never send an empty Last-Event-ID: they leave the
# header out when they have no id.
BAD_IDS = {
    "abc": "int_parsing",
    "-3": "greater_than_equal",
    "-1": "greater_than_equal",
    "4": "less_than",
    "9" * 40: "less_than",
    "9" * 5000: "int_parsing_size",
    "": "int_parsing",
    " ": "int_parsing",
    "1.5": "int_parsing",
}


@pytest.mark.parametrize("bad", BAD_IDS, ids=lambda bad: repr(bad[:12]))
def test_a_bad_last_event_id_gets_422_before_the_stream_starts(bad: str) -> None:
    client = TestClient(resume_last_event_id.app)
    with client.stream("GET", "/messages", headers={"Last-Event-ID": bad}) as response:
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/json"
        response.read()
        detail = response.json()["detail"]

    assert [(d["type"], d["loc"]) for d in detail] == [
        (BAD_IDS[bad], ["header", "last-event-id"])
    ]


def test_an_error_inside_the_generator_comes_after_the_200() -> None:
    """Why the check belongs in the signature: the generator runs too late."""
    app = FastAPI()

    @app.get("/messages", response_class=EventSourceResponse)
    async def messages(last_event_id: str = "abc") -> AsyncIterable[str]:
        start = int(last_event_id)  # ValueError, but the headers are out
        yield str(start)

    client = TestClient(app, raise_server_exceptions=False)
    with client.stream("GET", "/messages") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == SSE_HEADERS["content-type"]
        assert response.read() == b""  # no event: the stream just stops


# --- A producer faster than the client ----------------------------------------


def events_before_the_client_leaves(app: FastAPI) -> int:
    """Call `app` as uvicorn would, with a client already gone: count the events."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = scope_for("/numbers")
    scope["query_string"] = b"count=1000"
    anyio.run(app, scope, receive, send)
    return sum(m.get("body", b"").count(b"data: ") for m in sent)


def test_the_checked_generator_stops_once_the_client_has_gone() -> None:
    assert events_before_the_client_leaves(fast_producer_checked.app) == 0


def test_both_send_every_event_to_a_client_that_stays() -> None:
    for app in [fast_producer.app, fast_producer_checked.app]:
        response = TestClient(app).get("/numbers", params={"count": 1000})
        assert response.text.count("data: ") == 1000
        assert response.text.endswith("data: 1000\nid: 1000\n\n")


@pytest.mark.parametrize(
    ("app", "most"), [(fast_producer.app, 100_000), (fast_producer_checked.app, 5_000)]
)
def test_more_numbers_than_the_bound_gets_422(app: FastAPI, most: int) -> None:
    with TestClient(app) as client:
        # The bound itself is accepted; reading its first event is enough.
        with client.stream("GET", "/numbers", params={"count": most}) as response:
            assert response.status_code == 200
            assert next(response.iter_lines()) == "data: 1"
        assert client.get("/numbers", params={"count": most + 1}).status_code == 422


# --- When the client goes away ----------------------------------------------


@pytest.fixture
def connected() -> Iterator[Counter[str]]:
    subscribers_cleanup.connected.clear()
    yield subscribers_cleanup.connected
    subscribers_cleanup.connected.clear()


def test_the_yield_dependency_cleans_up_when_the_client_leaves(
    connected: Counter[str],
) -> None:
    gc.disable()  # so only the disconnect, not a chance collection, runs code
    try:
        with TestClient(subscribers_cleanup.app) as client:
            with client.stream("GET", "/feed", params={"client": "ada"}) as response:
                lines = response.iter_lines()
                assert next(lines) == 'data: {"to": "ada", "n": 1}'
                assert next(lines) == "id: 1"
                assert connected == {"ada": 1}
            assert connected == {}
    finally:
        gc.enable()


def test_two_streams_under_one_name_are_counted_apart(
    connected: Counter[str],
) -> None:
    # With a set of names (before), ada's first stream leaving removed "ada"
    # while her second stream was still open: connected was {} here.
    gc.disable()
    try:
        with TestClient(subscribers_cleanup.app) as client:
            params = {"client": "ada"}
            with client.stream("GET", "/feed", params=params) as second:
                second_lines = second.iter_lines()
                with client.stream("GET", "/feed", params=params) as first:
                    first_lines = first.iter_lines()
                    assert next(first_lines) == 'data: {"to": "ada", "n": 1}'
                    assert next(second_lines) == 'data: {"to": "ada", "n": 1}'
                    assert connected == {"ada": 2}
                assert connected == {"ada": 1}  # the second stream still counts
                assert next(second_lines) == "id: 1"
            assert connected == {}
    finally:
        gc.enable()


@pytest.mark.parametrize("name", ["", "x" * 41])
def test_a_client_name_must_be_1_to_40_characters(name: str) -> None:
    response = TestClient(subscribers_cleanup.app).get("/feed", params={"client": name})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "client"]


def test_the_feed_ends_after_limit_events(
    monkeypatch: pytest.MonkeyPatch, connected: Counter[str]
) -> None:
    monkeypatch.setattr(subscribers_cleanup, "LIMIT", 3)
    monkeypatch.setattr(subscribers_cleanup, "INTERVAL", 0)

    client = TestClient(subscribers_cleanup.app)
    response = client.get("/feed", params={"client": "ada"})

    assert response.text.count("data: ") == 3
    assert response.text.endswith('data: {"to": "ada", "n": 3}\nid: 3\n\n')
    assert connected == {}


# --- Signing a feed in with a cookie ------------------------------------------


@pytest.mark.parametrize("cookie", [None, "wrong", "s3cr3t-ada" + "x" * 60])
def test_without_a_known_session_cookie_the_feed_is_401(cookie: str | None) -> None:
    client = TestClient(cookie_auth.app)
    if cookie is not None:
        client.cookies.set("session", cookie)
    response = client.get("/notifications")

    assert response.status_code in {401, 422}  # 422: longer than 64 characters
    assert response.headers["content-type"] == "application/json"
    if len(cookie or "") <= 64:
        assert response.json() == {"detail": "Not signed in"}


def test_the_session_cookie_signs_the_feed_in() -> None:
    client = TestClient(cookie_auth.app)
    client.cookies.set("session", "s3cr3t-ada")
    response = client.get("/notifications", params={"count": 2})

    assert dict(response.headers) == SSE_HEADERS
    assert response.text == (
        'data: {"to": "ada", "n": 1}\nid: 1\n\ndata: {"to": "ada", "n": 2}\nid: 2\n\n'
    )


def test_an_authorization_header_is_not_what_this_feed_reads() -> None:
    response = TestClient(cookie_auth.app).get(
        "/notifications", headers={"Authorization": "Bearer s3cr3t-ada"}
    )

    assert response.status_code == 401
