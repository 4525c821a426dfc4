"""What an event stream sends: EventSourceResponse's headers and fields, keep-alive
pings, and the same by hand with StreamingResponse (docs/server_sent_events.md)."""

from __future__ import annotations

from collections.abc import AsyncIterable

import fastapi.routing
import fastapi.sse
import pytest
from fastapi import FastAPI
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.testclient import TestClient

from examples.server_sent_events import (
    ticks_event_source,
    ticks_streaming_response,
    what_you_can_yield,
)
from tests.server_sent_events_support import SSE_HEADERS

# --- EventSourceResponse ----------------------------------------------------


def test_event_source_response_sends_these_headers_and_no_others() -> None:
    response = TestClient(ticks_event_source.app).get("/ticks")

    assert response.status_code == 200
    assert dict(response.headers) == SSE_HEADERS


def test_ticks_wire_format() -> None:
    response = TestClient(ticks_event_source.app).get("/ticks", params={"count": 2})

    assert response.text == (
        'event: tick\ndata: {"tick": 1}\nid: 1\n\n'
        'event: tick\ndata: {"tick": 2}\nid: 2\n\n'
    )


def test_each_event_arrives_as_it_is_yielded() -> None:
    client = TestClient(ticks_event_source.app)

    with client.stream("GET", "/ticks", params={"count": 3}) as response:
        chunks = list(response.iter_raw())

    assert chunks == [
        f'event: tick\ndata: {{"tick": {n}}}\nid: {n}\n\n'.encode() for n in (1, 2, 3)
    ]


@pytest.mark.parametrize("app", [ticks_event_source.app, ticks_streaming_response.app])
@pytest.mark.parametrize("count", ["0", "-1", "101", "9" * 40, "abc", ""])
def test_a_tick_count_outside_1_to_100_gets_422_not_a_stream(
    app: FastAPI, count: str
) -> None:
    response = TestClient(app).get("/ticks", params={"count": count})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"][0]["loc"] == ["query", "count"]


def test_100_ticks_is_the_most_one_request_gets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ticks_event_source, "INTERVAL", 0)
    response = TestClient(ticks_event_source.app).get("/ticks", params={"count": 100})

    assert response.status_code == 200
    assert response.text.count("event: tick\n") == 100


def test_what_each_yielded_value_becomes() -> None:
    response = TestClient(what_you_can_yield.app).get("/mixed")

    assert dict(response.headers) == SSE_HEADERS
    assert response.text.split("\n\n") == [
        'data: {"symbol":"ACME","value":12.5}',
        'data: {"symbol":"ACME","value":12.75}',
        'data: "market open"',
        "data: market open",
        'event: status\ndata: "closing"\nid: 7\nretry: 5000',
        ": a comment, ignored by EventSource",
        "",
    ]


def test_plain_items_are_validated_against_the_return_type() -> None:
    app = FastAPI()

    @app.get("/prices", response_class=EventSourceResponse)
    async def prices() -> AsyncIterable[what_you_can_yield.Price]:
        yield {"symbol": "ACME", "value": "12.5", "undeclared": True}

    assert TestClient(app).get("/prices").text == (
        'data: {"symbol":"ACME","value":12.5}\n\n'
    )


def test_server_sent_event_data_skips_the_return_type() -> None:
    app = FastAPI()

    @app.get("/prices", response_class=EventSourceResponse)
    async def prices() -> AsyncIterable[what_you_can_yield.Price | ServerSentEvent]:
        yield ServerSentEvent(data={"symbol": "ACME", "value": "12.5", "x": 1})

    assert TestClient(app).get("/prices").text == (
        'data: {"symbol": "ACME", "value": "12.5", "x": 1}\n\n'
    )


def test_fields_come_in_a_fixed_order_whatever_order_you_pass_them() -> None:
    app = FastAPI()

    @app.get("/one", response_class=EventSourceResponse)
    async def one() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(retry=10, id="3", data=1, event="e", comment="c")

    assert TestClient(app).get("/one").text == (
        ": c\nevent: e\ndata: 1\nid: 3\nretry: 10\n\n"
    )


def test_multi_line_data_becomes_several_data_lines() -> None:
    app = FastAPI()

    @app.get("/lines", response_class=EventSourceResponse)
    async def lines() -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(raw_data="first\nsecond")

    assert TestClient(app).get("/lines").text == "data: first\ndata: second\n\n"


def test_data_and_raw_data_cannot_be_combined() -> None:
    with pytest.raises(ValueError, match="Cannot set both 'data' and 'raw_data'"):
        ServerSentEvent(data="x", raw_data="x")


def test_sse_works_over_post_too() -> None:
    app = FastAPI()

    @app.post("/chat", response_class=EventSourceResponse)
    async def chat(prompt: str) -> AsyncIterable[str]:
        for word in prompt.split():
            yield word

    response = TestClient(app).post("/chat", params={"prompt": "hi there"})

    assert dict(response.headers) == SSE_HEADERS
    assert response.text == 'data: "hi"\n\ndata: "there"\n\n'


# --- Keep-alive pings -------------------------------------------------------


def test_ping_interval_is_15_seconds() -> None:
    assert fastapi.sse._PING_INTERVAL == 15.0
    assert fastapi.routing._PING_INTERVAL == 15.0  # the copy the router reads
    assert fastapi.sse.KEEPALIVE_COMMENT == b": ping\n\n"


def test_an_idle_feed_sends_ping_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastapi.routing, "_PING_INTERVAL", 0.02)
    monkeypatch.setattr(ticks_event_source, "INTERVAL", 0.2)

    text = TestClient(ticks_event_source.app).get("/ticks", params={"count": 2}).text
    events = text.split("\n\n")

    assert events[0] == 'event: tick\ndata: {"tick": 1}\nid: 1'
    assert events[-1] == ""
    assert 'event: tick\ndata: {"tick": 2}\nid: 2' in events
    pings = [e for e in events[1:-1] if e != 'event: tick\ndata: {"tick": 2}\nid: 2']
    assert len(pings) >= 3
    assert set(pings) == {": ping"}


def test_a_busy_feed_sends_no_pings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastapi.routing, "_PING_INTERVAL", 0.2)

    text = TestClient(ticks_event_source.app).get("/ticks", params={"count": 5}).text

    assert ": ping" not in text


# --- By hand, with StreamingResponse ----------------------------------------


def test_streaming_response_sends_only_content_type() -> None:
    response = TestClient(ticks_streaming_response.app).get("/ticks")

    assert dict(response.headers) == {
        "content-type": "text/event-stream; charset=utf-8"
    }


def test_streaming_response_sends_your_text_unchanged() -> None:
    response = TestClient(ticks_streaming_response.app).get("/ticks")

    assert response.text == "data: tick 1\n\ndata: tick 2\n\ndata: tick 3\n\n"


def test_streaming_response_sends_no_pings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastapi.routing, "_PING_INTERVAL", 0.02)
    monkeypatch.setattr(ticks_streaming_response, "INTERVAL", 0.1)

    response = TestClient(ticks_streaming_response.app).get("/ticks")

    assert response.text == "data: tick 1\n\ndata: tick 2\n\ndata: tick 3\n\n"
