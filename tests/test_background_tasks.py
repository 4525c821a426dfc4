"""Behaviour of the examples on docs/background_tasks.md: what the page claims, asserted."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import BackgroundTasks, Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from starlette.background import BackgroundTask

from examples.background_tasks import after_the_last_byte, signup, temp_file_mistake
from tests.support import Message, asgi_messages

WORKER = "(thread 'AnyIO worker thread')"
LOOP = "(event loop)"


@pytest.fixture(autouse=True)
def fresh_logs() -> Iterator[None]:
    signup.DONE.clear()
    after_the_last_byte.DONE.clear()
    yield
    signup.DONE.clear()
    after_the_last_byte.DONE.clear()


# signup.py: the route's and the dependency's tasks, sync and async


def test_the_dependency_and_the_route_share_one_list_run_in_the_order_added() -> None:
    client = TestClient(signup.app)

    response = client.post("/signups", params={"email": "ada@example.com"})

    assert response.status_code == 200
    assert response.json() == {"email": "ada@example.com", "status": "signed up"}
    assert client.get("/done").json() == [
        f"signed up ada@example.com {LOOP}",  # the route itself
        f"audited ada@example.com {WORKER}",  # the dependency's task, added first
        f"welcomed ada@example.com {LOOP}",  # the route's task
    ]


def test_the_dependency_gets_the_very_object_the_route_gets() -> None:
    app = FastAPI()
    seen: list[BackgroundTasks] = []

    def dependency(tasks: BackgroundTasks) -> None:
        seen.append(tasks)

    @app.get("/")
    def route(tasks: BackgroundTasks, _: None = Depends(dependency)) -> None:
        seen.append(tasks)

    assert TestClient(app).get("/").status_code == 200
    assert len(seen) == 2
    assert seen[0] is seen[1]


def test_a_def_task_runs_in_a_worker_thread_an_async_one_on_the_loop() -> None:
    TestClient(signup.app).post("/signups", params={"email": "ada@example.com"})

    audited = next(line for line in signup.DONE if line.startswith("audited"))
    welcomed = next(line for line in signup.DONE if line.startswith("welcomed"))
    assert audited.endswith(WORKER)
    assert welcomed.endswith(LOOP)


@pytest.mark.parametrize("email", ["ab", "a" * 81])
def test_an_email_out_of_bounds_is_refused_and_no_task_runs(email: str) -> None:
    response = TestClient(signup.app).post("/signups", params={"email": email})

    assert response.status_code == 422
    assert signup.DONE == []


def test_the_done_list_keeps_the_last_twenty() -> None:
    client = TestClient(signup.app)
    for number in range(8):
        client.post("/signups", params={"email": f"user{number}@example.com"})

    done = client.get("/done").json()
    assert len(done) == 20
    assert done[-1] == f"welcomed user7@example.com {LOOP}"


def both_ways_app(own_background: str) -> FastAPI:
    """signup's dependency adds its task; the route returns a response with no
    background, or one of its own: just one task, or the injected tasks plus
    one."""
    app = FastAPI()

    @app.post("/signups")
    def sign_up(
        email: Annotated[str, Depends(signup.audited_email)], tasks: BackgroundTasks
    ) -> JSONResponse:
        if own_background == "none":
            return JSONResponse({"email": email})
        if own_background == "one task":
            background: BackgroundTask = BackgroundTask(signup.send_welcome, email)
        else:
            tasks.add_task(signup.send_welcome, email)
            background = tasks
        return JSONResponse({"email": email}, background=background)

    return app


def test_a_returned_response_without_background_gets_the_injected_tasks() -> None:
    client = TestClient(both_ways_app("none"))

    assert client.post("/signups", params={"email": "ada@example.com"}).is_success
    assert [f"audited ada@example.com {WORKER}"] == signup.DONE


def test_a_response_with_its_own_background_drops_the_injected_tasks() -> None:
    client = TestClient(both_ways_app("one task"))

    assert client.post("/signups", params={"email": "ada@example.com"}).is_success
    assert [f"welcomed ada@example.com {LOOP}"] == signup.DONE  # no "audited"


def test_passing_the_injected_tasks_as_background_keeps_them_all() -> None:
    client = TestClient(both_ways_app("the injected tasks"))

    assert client.post("/signups", params={"email": "ada@example.com"}).is_success
    assert [
        f"audited ada@example.com {WORKER}",
        f"welcomed ada@example.com {LOOP}",
    ] == signup.DONE


# after_the_last_byte.py: background= on a stream and on a file


def watched(
    path: str, headers: dict[str, str] | None = None
) -> list[tuple[Message, dict]]:
    """Every ASGI message the app sends for GET `path` (no query string),
    each with what /done said at the moment it was sent."""
    seen: list[tuple[Message, dict]] = []

    def on_message(message: Message) -> None:
        seen.append((message, done_now()))

    asgi_messages(after_the_last_byte.app, path, headers=headers, on_message=on_message)
    return seen


def done_now() -> dict[str, object]:
    """What /done answers now, copied (done() returns the live DONE list)."""
    return copy.deepcopy(after_the_last_byte.done())


def test_the_stream_task_runs_after_the_last_chunk_was_sent() -> None:
    seen = watched("/report.txt")  # 3 lines by default

    bodies = [message for message, _ in seen if message["type"] == "http.response.body"]
    assert (
        b"".join(message["body"] for message in bodies) == b"line 1\nline 2\nline 3\n"
    )
    assert bodies[-1]["more_body"] is False  # the last message of the response
    assert all(done["tasks"] == [] for _, done in seen)  # not even at the last one
    assert after_the_last_byte.DONE == ["sent a report of 3 lines"]


def test_the_file_task_runs_after_the_file_then_the_cleanup_deletes_it() -> None:
    seen = watched("/export.csv")  # 3 rows by default

    start = seen[0][0]
    assert start["status"] == 200
    assert (b"content-disposition", b'attachment; filename="export.csv"') in start[
        "headers"
    ]
    body = b"".join(m.get("body", b"") for m, _ in seen)
    assert body == b"id,total\n1,10\n2,20\n3,30\n"
    # The file is on disk while it is sent, and no task has run yet.
    assert all(done == {"tasks": [], "exports_on_disk": 1} for _, done in seen)
    assert done_now() == {"tasks": ["sent an export of 3 rows"], "exports_on_disk": 0}


def test_the_cleanup_runs_after_the_background_task() -> None:
    on_disk_when_the_task_ran: list[object] = []
    original = after_the_last_byte.record

    def record(line: str) -> None:
        on_disk_when_the_task_ran.append(done_now()["exports_on_disk"])
        original(line)

    after_the_last_byte.record = record  # the route looks the name up per call
    try:
        TestClient(after_the_last_byte.app).get("/export.csv")
    finally:
        after_the_last_byte.record = original

    assert on_disk_when_the_task_ran == [1]
    assert done_now()["exports_on_disk"] == 0


@pytest.mark.parametrize(
    ("bad_range", "status"), [("bytes=abc", 400), ("bytes=99999-", 416)]
)
def test_a_bad_range_skips_the_task_but_the_file_is_deleted(
    bad_range: str, status: int
) -> None:
    client = TestClient(after_the_last_byte.app)

    response = client.get("/export.csv", headers={"Range": bad_range})

    assert response.status_code == status
    assert client.get("/done").json() == {"tasks": [], "exports_on_disk": 0}


def test_a_good_range_runs_the_task() -> None:
    client = TestClient(after_the_last_byte.app)

    response = client.get("/export.csv", headers={"Range": "bytes=0-7"})

    assert response.status_code == 206
    assert response.content == b"id,total"
    assert client.get("/done").json() == {
        "tasks": ["sent an export of 3 rows"],
        "exports_on_disk": 0,
    }


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/report.txt", {"lines": 0}),
        ("/report.txt", {"lines": 101}),
        ("/export.csv", {"rows": 0}),
        ("/export.csv", {"rows": 1001}),
    ],
)
def test_sizes_out_of_bounds_are_refused_before_any_file_or_task(
    path: str, params: dict[str, int]
) -> None:
    client = TestClient(after_the_last_byte.app)

    assert client.get(path, params=params).status_code == 422
    assert client.get("/done").json() == {"tasks": [], "exports_on_disk": 0}


def test_the_largest_answers_are_small() -> None:
    client = TestClient(after_the_last_byte.app)

    assert len(client.get("/report.txt", params={"lines": 100}).content) == 792
    assert len(client.get("/export.csv", params={"rows": 1000}).content) < 16_000


# temp_file_mistake.py: the attack, then the fix above


@pytest.mark.parametrize("bad_range", ["bytes=abc", "bytes=99999-"])
def test_each_bad_range_leaves_a_file_behind_in_the_mistake(bad_range: str) -> None:
    client = TestClient(temp_file_mistake.app)
    before = client.get("/exports-on-disk").json()

    for _ in range(3):
        assert client.get("/export.csv", headers={"Range": bad_range}).status_code in (
            400,
            416,
        )

    assert client.get("/exports-on-disk").json() == before + 3


def test_the_mistake_deletes_the_file_after_a_plain_download() -> None:
    client = TestClient(temp_file_mistake.app)
    before = client.get("/exports-on-disk").json()

    response = client.get("/export.csv", params={"rows": 2})

    assert response.text == "id,total\n1,10\n2,20\n"
    assert client.get("/exports-on-disk").json() == before


def test_the_same_attack_leaves_nothing_behind_with_the_fix() -> None:
    client = TestClient(after_the_last_byte.app)

    for bad_range in ["bytes=abc", "bytes=99999-"] * 3:
        assert client.get("/export.csv", headers={"Range": bad_range}).status_code in (
            400,
            416,
        )

    assert client.get("/done").json()["exports_on_disk"] == 0
