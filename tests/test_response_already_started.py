"""Behaviour of the examples on docs/response_already_started.md through
TestClient: a stream that fails after its status was sent, the checks that
belong before the first byte, and the error record or event that reports a
failure inside the stream."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from examples.response_already_started import (
    checked_first,
    fails_mid_stream,
    feed_cut_off,
    feed_failure_event,
)
from tests.hostile import HEADERS, MAX_BODY

# --- fails_mid_stream (the mistake) ------------------------------------------


def test_a_whole_stream_is_a_200_with_every_line() -> None:
    response = TestClient(fails_mid_stream.app).get("/orders/ada")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == '{"id": 1, "cents": 1250}\n{"id": 2, "cents": 300}\n'


@pytest.mark.parametrize(
    ("customer", "error"),
    [("bob", KeyError), ("zed", KeyError), ("cy", fails_mid_stream.Archived)],
)
def test_testclient_re_raises_an_exception_from_the_stream(
    customer: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        TestClient(fails_mid_stream.app).get(f"/orders/{customer}")


@pytest.mark.parametrize(
    ("customer", "body"),
    [("bob", '{"id": 3, "cents": 725}\n'), ("zed", ""), ("cy", "")],
)
def test_without_re_raising_testclient_shows_a_200_and_the_lines_sent_before(
    customer: str, body: str
) -> None:
    client = TestClient(fails_mid_stream.app, raise_server_exceptions=False)
    response = client.get(f"/orders/{customer}")

    # The status and headers went out before the generator failed.
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == body


def app_with_handler(exc_class: type[Exception], calls: list[str]) -> FastAPI:
    """The mistake's route, on an app with a handler for `exc_class`."""
    app = FastAPI()
    app.add_api_route("/orders/{customer}", fails_mid_stream.export_orders)

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        calls.append(type(exc).__name__)
        return JSONResponse({"error": "export_failed"}, status_code=500)

    app.add_exception_handler(exc_class, handle)
    return app


def test_a_handler_for_exception_runs_but_its_response_is_dropped() -> None:
    calls: list[str] = []
    app = app_with_handler(Exception, calls)
    response = TestClient(app, raise_server_exceptions=False).get("/orders/bob")

    assert calls == ["KeyError"]  # it ran, so it can log...
    assert response.status_code == 200  # ...but the client keeps the first status
    assert response.text == '{"id": 3, "cents": 725}\n'
    with pytest.raises(KeyError):  # and the exception still goes on to the server
        TestClient(app).get("/orders/bob")


def test_a_handler_for_the_exceptions_class_is_not_called_at_all() -> None:
    calls: list[str] = []
    app = app_with_handler(KeyError, calls)

    with pytest.raises(RuntimeError) as raised:
        TestClient(app).get("/orders/bob")

    assert calls == []
    assert (
        str(raised.value) == "Caught handled exception, but response already started."
    )
    assert isinstance(raised.value.__cause__, KeyError)


def test_an_http_exception_raised_inside_a_yielding_route_is_too_late() -> None:
    app = FastAPI()

    @app.get("/orders/{customer}")
    async def export_orders(customer: str):
        raise HTTPException(status_code=404, detail="Unknown customer")
        yield {"customer": customer}

    response = TestClient(app, raise_server_exceptions=False).get("/orders/zed")

    # The body of a generator runs only once the 200 has gone out.
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == ""


# --- checked_first (the fix) --------------------------------------------------


def test_an_unknown_customer_is_a_404_before_the_stream() -> None:
    response = TestClient(checked_first.app).get("/orders/zed")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Unknown customer"}


def test_an_archived_customer_is_a_410_because_the_first_row_is_read_first() -> None:
    response = TestClient(checked_first.app).get("/orders/cy")

    assert response.status_code == 410
    assert response.json() == {"detail": "Customer archived"}


def test_a_long_customer_name_is_a_422() -> None:
    response = TestClient(checked_first.app).get("/orders/" + "x" * 21)

    assert response.status_code == 422


def test_the_fix_streams_every_row_of_a_good_export() -> None:
    response = TestClient(checked_first.app).get("/orders/ada")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == '{"id": 1, "cents": 1250}\n{"id": 2, "cents": 300}\n'


def test_the_first_row_is_sent_once_and_first(monkeypatch: pytest.MonkeyPatch) -> None:
    orders = [{"id": n, "amount": 1.0} for n in range(1, 4)]
    monkeypatch.setitem(checked_first.ORDERS, "ada", orders)
    response = TestClient(checked_first.app).get("/orders/ada")

    assert [json.loads(line)["id"] for line in response.text.splitlines()] == [1, 2, 3]


def test_a_customer_with_no_orders_gets_an_empty_200(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(checked_first.ORDERS, "ada", [])
    response = TestClient(checked_first.app).get("/orders/ada")

    assert response.status_code == 200
    assert response.text == ""


def test_a_failure_mid_stream_ends_with_an_error_record_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(checked_first.app)
    with (
        caplog.at_level(logging.ERROR, logger=checked_first.__name__),
        client.stream("GET", "/orders/bob") as response,
    ):
        status = response.status_code
        records = [json.loads(line) for line in response.iter_lines()]

    assert status == 200
    assert records == [{"id": 3, "cents": 725}, {"error": "export_failed"}]
    # The error record says nothing about the exception; the log has it all.
    [logged] = caplog.records
    assert logged.getMessage() == "Order export failed"
    assert logged.exc_info is not None
    assert logged.exc_info[0] is KeyError


# --- feed_cut_off (the mistake) -----------------------------------------------


def test_a_feed_that_raises_is_a_200_event_stream_cut_after_its_first_event() -> None:
    client = TestClient(feed_cut_off.app, raise_server_exceptions=False)
    response = client.get("/jobs/deploy/events")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.text == 'data: {"step": "checkout"}\nid: 1\n\n'


def test_testclient_re_raises_the_feeds_exception() -> None:
    # FastAPI runs the feed in a task group, so the exception comes in a group.
    with pytest.raises(ExceptionGroup) as raised:
        TestClient(feed_cut_off.app).get("/jobs/deploy/events")

    assert raised.group_contains(ConnectionError, match="upload failed")


def test_a_feed_that_does_not_fail_sends_every_step() -> None:
    response = TestClient(feed_cut_off.app).get("/jobs/build/events")

    assert response.text.count("data: ") == 3


# --- feed_failure_event (the fix) ---------------------------------------------


def events_of(text: str) -> list[dict[str, str]]:
    """The events of an event stream, each as {field: value}."""
    return [
        dict(line.split(": ", 1) for line in block.splitlines())
        for block in text.split("\n\n")
        if block
    ]


def test_a_failed_job_ends_its_feed_with_a_failure_event_and_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger=feed_failure_event.__name__):
        response = TestClient(feed_failure_event.app).get("/jobs/deploy/events")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert events_of(response.text) == [
        {"data": '{"step": "checkout"}', "id": "1", "retry": "10000"},
        {"event": "failure", "data": '{"error": "job_failed"}', "id": "end"},
    ]
    [logged] = caplog.records
    assert logged.getMessage() == "Job deploy failed"
    assert logged.exc_info is not None
    assert logged.exc_info[0] is ConnectionError
    assert "upload" not in response.text  # the exception's text stays in the log


def test_a_job_that_succeeds_ends_with_a_done_event() -> None:
    response = TestClient(feed_failure_event.app).get("/jobs/build/events")

    events = events_of(response.text)
    assert [event.get("event") for event in events] == [None, None, None, "done"]
    assert events[-1] == {"event": "done", "data": '{"steps": 3}', "id": "end"}


def test_a_reconnect_after_the_last_event_gets_a_204_and_no_body() -> None:
    client = TestClient(feed_failure_event.app)
    response = client.get("/jobs/deploy/events", headers={"Last-Event-ID": "end"})

    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


@pytest.mark.parametrize("last_id", ["1", "2", "x"])
def test_a_reconnect_after_another_event_starts_the_feed_again(last_id: str) -> None:
    client = TestClient(feed_failure_event.app)
    response = client.get("/jobs/deploy/events", headers={"Last-Event-ID": last_id})

    assert response.status_code == 200
    assert events_of(response.text)[0]["id"] == "1"


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/jobs/nope/events", {}),
        ("/jobs/deploy/events", {"Last-Event-ID": "x" * 21}),
    ],
)
def test_bad_input_is_a_422_before_the_stream(
    path: str, headers: dict[str, str]
) -> None:
    response = TestClient(feed_failure_event.app).get(path, headers=headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"


# The Last-Event-ID values tests/hostile.py sends, plus near misses of "end".
# hostile.py puts "1" in every path parameter, which `job` rejects with a 422
# before the header is read; here each value reaches the feed's real path.
GARBAGE_IDS = [h["Last-Event-ID"] for h in HEADERS if "Last-Event-ID" in h]
GARBAGE_IDS += ["END", " end ", "end,end", "%65nd", "null"]


@pytest.mark.parametrize("job", ["build", "deploy"])
@pytest.mark.parametrize("last_id", GARBAGE_IDS)
def test_garbage_in_last_event_id_is_a_new_feed_or_a_422_never_a_5xx(
    job: str, last_id: str
) -> None:
    client = TestClient(feed_failure_event.app)  # re-raises any server error
    response = client.get(f"/jobs/{job}/events", headers={"Last-Event-ID": last_id})

    assert len(response.content) <= MAX_BODY
    if len(last_id) > 20:
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/json"
    else:
        # Not "end" (TestClient sends " end " as is; uvicorn's h11 would strip
        # it): the feed starts again from its first event, and ends with "end".
        assert response.status_code == 200
        events = events_of(response.text)
        assert events[0]["id"] == "1"
        assert events[-1]["id"] == "end"
