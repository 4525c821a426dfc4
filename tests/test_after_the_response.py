"""Behaviour of the examples on docs/after_the_response.md: background tasks,
their errors, the tasks that never run, and when yield dependencies clean up."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
from fastapi import BackgroundTasks, Depends, FastAPI, Request
from fastapi.exceptions import FastAPIError, ResponseValidationError
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from examples.after_the_response import (
    background_tasks,
    kept_tasks,
    lost_tasks,
    task_logs,
    task_raises,
    yield_fixed,
    yield_mistakes,
    yield_timing,
)


@pytest.fixture(autouse=True)
def empty_records() -> None:
    for records in (
        background_tasks.RECEIPTS,
        task_raises.SENT,
        task_logs.SENT,
        lost_tasks.AUDIT,
        kept_tasks.AUDIT,
        yield_timing.EVENTS,
        yield_mistakes.LOG,
        yield_fixed.LOG,
    ):
        records.clear()


# --- background_tasks -------------------------------------------------------------


def test_the_route_answers_and_testclient_returns_after_the_task_ran() -> None:
    client = TestClient(background_tasks.app)

    response = client.post("/orders/7")

    assert response.status_code == 200
    assert response.json() == {"order": 7, "status": "received"}
    assert background_tasks.RECEIPTS == [7]
    assert client.get("/receipts").json() == [7]


@pytest.mark.parametrize("order_id", ["0", "1001", "x"])
def test_order_ids_are_bounded(order_id: str) -> None:
    response = TestClient(background_tasks.app).post(f"/orders/{order_id}")

    assert response.status_code == 422
    assert background_tasks.RECEIPTS == []


def test_the_receipts_list_stays_bounded() -> None:
    client = TestClient(background_tasks.app)
    background_tasks.RECEIPT_SECONDS, saved = 0, background_tasks.RECEIPT_SECONDS
    try:
        for order_id in range(1, 13):
            client.post(f"/orders/{order_id}")
    finally:
        background_tasks.RECEIPT_SECONDS = saved

    assert client.get("/receipts").json() == list(range(3, 13))


# --- task_raises (Mistake) and task_logs -------------------------------------------


def test_testclient_raises_the_tasks_exception() -> None:
    with pytest.raises(ConnectionError, match="warehouse unreachable"):
        TestClient(task_raises.app).post("/orders/7")


def test_the_client_got_its_200_and_the_next_task_never_ran() -> None:
    client = TestClient(task_raises.app, raise_server_exceptions=False)

    response = client.post("/orders/8")

    assert response.status_code == 200
    assert response.json() == {"order": 8, "status": "received"}
    assert client.get("/sent").json() == []


def test_with_the_warehouse_up_the_receipt_goes_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def reachable(order_id: int) -> None:
        return None

    monkeypatch.setattr(task_raises, "notify_warehouse", reachable)
    client = TestClient(task_raises.app)

    assert client.post("/orders/5").status_code == 200
    assert client.get("/sent").json() == ["receipt 5"]


def test_an_exception_handler_runs_but_its_response_is_thrown_away() -> None:
    app = FastAPI()
    handled: list[Exception] = []

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        handled.append(exc)
        return JSONResponse({"error": "internal_error"}, status_code=500)

    @app.post("/orders/{order_id}")
    def place_order(order_id: int, tasks: BackgroundTasks) -> dict[str, str]:
        tasks.add_task(task_raises.notify_warehouse, order_id)
        return {"status": "received"}

    response = TestClient(app, raise_server_exceptions=False).post("/orders/1")

    assert [type(exc) for exc in handled] == [ConnectionError]
    assert response.status_code == 200
    assert response.json() == {"status": "received"}


def test_a_task_that_logs_its_error_lets_the_next_task_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(task_logs.app)  # would raise anything a task let out

    with caplog.at_level(logging.ERROR, logger="shop.tasks"):
        response = client.post("/orders/7")

    assert response.status_code == 200
    assert response.json() == {"order": 7, "status": "received"}
    assert client.get("/sent").json() == ["receipt 7"]
    [record] = caplog.records
    assert record.name == "shop.tasks"
    assert record.getMessage() == "Could not notify the warehouse of order 7"
    assert record.exc_info is not None  # logger.exception adds the traceback
    assert record.exc_info[0] is ConnectionError


def test_without_a_logging_setup_only_warnings_and_errors_reach_stderr_bare() -> None:
    script = (
        "import logging, sys\n"
        "logger = logging.getLogger('shop.tasks')\n"
        "if sys.argv[1:] == ['configured']:\n"
        "    logging.basicConfig(level=logging.INFO)\n"
        "logger.info('order 7 placed')\n"
        "logger.error('Could not notify the warehouse of order 7')\n"
    )

    def stderr(*args: str) -> str:
        run = [sys.executable, "-c", script, *args]
        return subprocess.run(run, capture_output=True, text=True, check=True).stderr

    assert stderr() == "Could not notify the warehouse of order 7\n"
    assert stderr("configured") == (
        "INFO:shop.tasks:order 7 placed\n"
        "ERROR:shop.tasks:Could not notify the warehouse of order 7\n"
    )


def test_the_task_logs_sent_list_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    async def reachable(order_id: int) -> None:
        return None

    async def no_receipt(order_id: int) -> None:
        return None

    monkeypatch.setattr(task_logs, "call_warehouse", reachable)
    monkeypatch.setattr(task_logs, "send_receipt", no_receipt)
    client = TestClient(task_logs.app)
    for order_id in range(1, 13):
        client.post(f"/orders/{order_id}")

    assert client.get("/sent").json() == [f"warehouse {n}" for n in range(3, 13)]


def test_a_working_warehouse_is_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    async def reachable(order_id: int) -> None:
        return None

    monkeypatch.setattr(task_logs, "call_warehouse", reachable)
    client = TestClient(task_logs.app)

    client.post("/orders/3")

    assert client.get("/sent").json() == ["warehouse 3", "receipt 3"]


# --- lost_tasks (Mistake) and kept_tasks -------------------------------------------


def test_tasks_added_before_an_http_exception_are_dropped() -> None:
    client = TestClient(lost_tasks.app)

    refused = client.post("/orders/1/cancel")
    cancelled = client.post("/orders/2/cancel")

    assert refused.status_code == 409
    assert refused.json() == {"detail": "Order already shipped"}
    assert cancelled.status_code == 200
    assert cancelled.json() == {"order": 2, "status": "cancelled"}
    assert lost_tasks.AUDIT == ["cancel requested for 2"]


def test_a_responses_own_background_wins_over_the_injected_tasks() -> None:
    response = TestClient(lost_tasks.app).get("/export")

    assert response.status_code == 200
    assert response.json() == {"orders": 3}
    assert lost_tasks.AUDIT == ["export file removed"]


def test_a_returned_error_response_runs_the_tasks() -> None:
    client = TestClient(kept_tasks.app)

    refused = client.post("/orders/1/cancel")
    cancelled = client.post("/orders/2/cancel")

    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/json"
    assert refused.json() == {"detail": "Order already shipped"}
    assert cancelled.json() == {"order": 2, "status": "cancelled"}
    assert kept_tasks.AUDIT == ["cancel requested for 1", "cancel requested for 2"]


def test_tasks_passed_as_background_all_run_in_order() -> None:
    response = TestClient(kept_tasks.app).get("/export")

    assert response.json() == {"orders": 3}
    assert kept_tasks.AUDIT == ["export requested", "export file removed"]
    assert TestClient(kept_tasks.app).get("/audit").json() == kept_tasks.AUDIT


def test_a_returned_response_without_background_gets_the_injected_tasks() -> None:
    app = FastAPI()
    done: list[str] = []

    @app.get("/export")
    def export(tasks: BackgroundTasks) -> JSONResponse:
        tasks.add_task(done.append, "export requested")
        return JSONResponse({"orders": 3})

    assert TestClient(app).get("/export").json() == {"orders": 3}
    assert done == ["export requested"]


def test_the_lost_tasks_audit_route_reads_the_log() -> None:
    TestClient(lost_tasks.app).get("/export")

    assert TestClient(lost_tasks.app).get("/audit").json() == ["export file removed"]


# --- yield_timing ------------------------------------------------------------------


def test_default_scope_cleanup_runs_after_the_response_and_the_tasks() -> None:
    response = TestClient(yield_timing.app).get("/report")

    assert response.json() == {"report": "ready"}
    assert yield_timing.EVENTS == [
        "session opened",
        "lock taken",
        "route ran",
        "lock released",
        "response sent",
        "task ran",
        "session closed",
    ]


def test_a_stream_runs_inside_the_default_scope_but_after_the_function_scope() -> None:
    response = TestClient(yield_timing.app).get("/report.txt")

    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "line 0\nline 1\n"
    assert yield_timing.EVENTS == [
        "session opened",
        "lock taken",
        "route ran",
        "lock released",
        "line 0 made",
        "line 1 made",
        "response sent",
        "session closed",
    ]


def test_the_events_route_shows_the_last_requests_events_and_adds_none() -> None:
    client = TestClient(yield_timing.app)
    client.get("/report")

    first = client.get("/events")
    second = client.get("/events")

    assert first.status_code == 200
    assert first.json() == second.json() == yield_timing.EVENTS
    assert first.json()[-3:] == ["response sent", "task ran", "session closed"]
    assert len(first.json()) == 7


def test_the_events_list_stays_bounded() -> None:
    client = TestClient(yield_timing.app)
    for _ in range(4):
        client.get("/report")

    assert len(client.get("/events").json()) == 20


def test_scope_request_is_the_default_scope() -> None:
    events: list[str] = []

    def default() -> Iterator[None]:
        yield
        events.append("default closed")

    def request_scope() -> Iterator[None]:
        yield
        events.append("request closed")

    app = FastAPI()

    @app.get("/")
    def route(
        tasks: BackgroundTasks,
        first: None = Depends(default),
        second: None = Depends(request_scope, scope="request"),
    ) -> None:
        tasks.add_task(events.append, "task ran")

    TestClient(app).get("/")

    # both close after the background task, innermost (last opened) first
    assert events == ["task ran", "request closed", "default closed"]


def test_function_scope_cleanup_runs_after_the_return_value_is_serialised() -> None:
    seen: list[str] = []

    def guard() -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            seen.append(type(exc).__name__)
            raise

    app = FastAPI()

    @app.get("/count")
    def count(guarded: None = Depends(guard, scope="function")) -> int:
        seen.append("route returned")
        return "many"  # type: ignore[return-value]  # not an int

    response = TestClient(app, raise_server_exceptions=False).get("/count")

    assert response.status_code == 500
    # the return value was checked against `-> int` before the cleanup ran
    assert seen == ["route returned", ResponseValidationError.__name__]


# --- yield_mistakes (Mistake) and yield_fixed ---------------------------------------


def test_a_dependency_that_swallows_the_404_turns_it_into_a_500() -> None:
    with pytest.raises(FastAPIError, match="Response not awaited"):
        TestClient(yield_mistakes.app).post("/orders/9/pay")
    assert yield_mistakes.LOG == ["rolled back"]

    response = TestClient(yield_mistakes.app, raise_server_exceptions=False).post(
        "/orders/9/pay"
    )
    assert response.status_code == 500
    assert response.text == "Internal Server Error"


def test_a_failing_commit_after_the_yield_comes_after_the_200() -> None:
    with pytest.raises(RuntimeError, match="response already started"):
        TestClient(yield_mistakes.app).post("/orders/2/pay")

    response = TestClient(yield_mistakes.app, raise_server_exceptions=False).post(
        "/orders/2/pay"
    )
    assert response.status_code == 200
    assert response.json() == {"order": 2, "status": "paid"}
    assert "committed" not in yield_mistakes.LOG


@pytest.mark.parametrize("order_id", ["x", "0", "1001"])
def test_a_bad_order_id_reaches_the_dependency_and_its_422_is_swallowed_too(
    order_id: str,
) -> None:
    response = TestClient(yield_mistakes.app, raise_server_exceptions=False).post(
        f"/orders/{order_id}/pay"
    )

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert yield_mistakes.LOG == ["rolled back"]  # although the route never ran


@pytest.mark.parametrize("order_id", ["x", "0", "1001"])
def test_a_dependency_that_re_raises_lets_the_422_through(order_id: str) -> None:
    client = TestClient(yield_fixed.app)
    response = client.post(f"/orders/{order_id}/pay")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "order_id"]
    assert client.get("/log").json() == ["rolled back"]


def test_the_log_routes_show_what_the_dependency_did() -> None:
    mistakes = TestClient(yield_mistakes.app)
    fixed = TestClient(yield_fixed.app)
    mistakes.post("/orders/1/pay")
    fixed.post("/orders/1/pay")
    fixed.post("/orders/9/pay")

    assert mistakes.get("/log").json() == ["committed"]
    assert fixed.get("/log").json() == ["committed", "rolled back"]


def test_the_mistakes_app_commits_a_good_order() -> None:
    response = TestClient(yield_mistakes.app).post("/orders/1/pay")

    assert response.json() == {"order": 1, "status": "paid"}
    assert yield_mistakes.LOG == ["committed"]


def test_a_dependency_that_re_raises_lets_the_404_through() -> None:
    response = TestClient(yield_fixed.app).post("/orders/9/pay")

    assert response.status_code == 404
    assert response.json() == {"detail": "Order not found"}
    assert yield_fixed.LOG == ["rolled back"]


def test_a_function_scope_commit_failure_reaches_the_client() -> None:
    client = TestClient(yield_fixed.app)

    locked = client.post("/orders/2/pay")
    paid = client.post("/orders/1/pay")

    assert locked.status_code == 409
    assert locked.json() == {"detail": "Order is locked"}
    assert paid.status_code == 200
    assert paid.json() == {"order": 1, "status": "paid"}
    assert yield_fixed.LOG == ["committed"]
