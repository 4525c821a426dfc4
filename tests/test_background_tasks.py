"""Behaviour of the examples on docs/background_tasks.md: what the page claims, asserted."""

from __future__ import annotations

import copy
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
import pytest
from fastapi import BackgroundTasks, Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect

from examples.background_tasks import after_the_last_byte, signup, temp_file_mistake
from tests.support import Message, asgi_messages, scope_for

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


def test_a_def_task_waits_while_a_def_route_holds_the_only_worker_thread() -> None:
    """One thread in the pool: a def route holds it, so signup's def task,
    whose response is already sent, only runs once the route lets go."""
    let_go = threading.Event()
    app = FastAPI()

    @app.get("/hold")
    def hold() -> None:  # def: runs in a worker thread
        let_go.wait(30)
        signup.record("the def route let go")

    @app.post("/signups")
    async def sign_up(tasks: BackgroundTasks) -> None:  # async: needs no thread
        tasks.add_task(signup.audit_signup, "ada@example.com")
        signup.record("signed up")

    sent: list[Message] = []
    seen_while_held: list[list[str]] = []

    async def main() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = 1  # this event loop's pool: one thread
        async with anyio.create_task_group() as group:
            group.start_soon(call, app, scope_for("/hold"), [])
            with anyio.fail_after(20):
                while limiter.borrowed_tokens < 1:
                    await anyio.sleep(0.01)
            group.start_soon(call, app, scope_for("/signups", method="POST"), sent)
            with anyio.fail_after(20):
                while not sent or not is_last_body(sent[-1]):
                    await anyio.sleep(0.01)
            await anyio.sleep(1)  # ample time for a task that had a thread
            seen_while_held.append(list(signup.DONE))
            let_go.set()

    anyio.run(main)

    assert sent[0]["status"] == 200
    assert seen_while_held == [["signed up (event loop)"]]
    assert [
        "signed up (event loop)",
        f"the def route let go {WORKER}",
        f"audited ada@example.com {WORKER}",
    ] == signup.DONE


def is_last_body(message: Message) -> bool:
    return message["type"] == "http.response.body" and not message.get("more_body")


async def call(app: Any, scope: dict[str, Any], sent: list[Message]) -> None:
    """Call an ASGI app with a client that sends no body and never leaves."""

    async def receive() -> Message:
        if not sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)


@pytest.mark.parametrize("email", ["ab", "a" * 81, f"{'a' * 70}@example.com"])
def test_an_email_out_of_bounds_is_refused_and_no_task_runs(email: str) -> None:
    response = TestClient(signup.app).post("/signups", params={"email": email})

    assert response.status_code == 422
    assert signup.DONE == []


@pytest.mark.parametrize(
    "email",
    [
        "ada@example.com\r\nBcc: all@example.com",  # a mail header smuggled in
        "a\r\nX:1@example.com",
        "ada@example.com\n",
        "a\x00b@example.com",
        "../../etc/passwd",
        "ada example@example.com",
        "ada@example",
        "ada",
    ],
)
def test_an_email_not_shaped_like_an_address_is_refused_and_no_task_runs(
    email: str,
) -> None:
    response = TestClient(signup.app).post("/signups", params={"email": email})

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_pattern_mismatch"
    assert signup.DONE == []


@pytest.mark.parametrize("email", ["a.b+tag@mail.example.co.uk", "ada_1@example-2.org"])
def test_ordinary_addresses_are_accepted(email: str) -> None:
    response = TestClient(signup.app).post("/signups", params={"email": email})

    assert response.status_code == 200
    assert signup.DONE[-1] == f"welcomed {email} {LOOP}"


def test_the_done_list_keeps_the_last_twenty() -> None:
    client = TestClient(signup.app)
    for number in range(8):
        client.post("/signups", params={"email": f"user{number}@example.com"})

    done = client.get("/done").json()
    assert len(done) == 20
    assert done[-1] == f"welcomed user7@example.com {LOOP}"


def own_background_app(background: BackgroundTask | BackgroundTasks) -> FastAPI:
    """signup's dependency adds its task; the route returns a response with a
    background of its own."""
    app = FastAPI()

    @app.post("/signups")
    def sign_up(email: Annotated[str, Depends(signup.audited_email)]) -> JSONResponse:
        return JSONResponse({"email": email}, background=background)

    return app


def test_a_response_with_its_own_background_drops_the_dependencys_task_too() -> None:
    welcome = BackgroundTask(signup.send_welcome, "ada@example.com")
    client = TestClient(own_background_app(welcome))

    assert client.post("/signups", params={"email": "ada@example.com"}).is_success
    assert [f"welcomed ada@example.com {LOOP}"] == signup.DONE  # no "audited"


def test_an_empty_background_of_its_own_drops_the_injected_tasks_too() -> None:
    # FastAPI attaches its tasks only when background is None, not when empty.
    client = TestClient(own_background_app(BackgroundTasks()))

    assert client.post("/signups", params={"email": "ada@example.com"}).is_success
    assert signup.DONE == []  # no "audited"


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


async def first_line_then_wait(lines: int) -> AsyncIterator[str]:
    """A report stuck after its first line, as if the next one were slow."""
    yield "line 1\n"
    await anyio.sleep_forever()
    yield f"line {lines}\n"


def leave_after_the_first_line(spec_version: str) -> list[Message]:
    """GET /report.txt from a client that leaves once it has the first line,
    as a server declaring `spec_version` reports it: below 2.4 (uvicorn says
    2.3) receive() returns http.disconnect and send() does nothing; from 2.4
    on, send() raises OSError."""
    gone = anyio.Event()
    sent: list[Message] = []

    async def receive() -> Message:
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if gone.is_set() and spec_version == "2.4":
            raise OSError("connection lost")
        sent.append(message)
        if message.get("body"):  # the first line is out
            gone.set()

    async def main() -> None:
        with anyio.fail_after(20):
            await after_the_last_byte.app(
                scope_for("/report.txt", spec_version=spec_version), receive, send
            )

    anyio.run(main)
    return sent


def test_on_asgi_2_3_a_client_that_leaves_mid_stream_still_gets_the_task(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(after_the_last_byte, "report_lines", first_line_then_wait)

    sent = leave_after_the_first_line("2.3")  # what uvicorn 0.54 declares

    assert [m.get("body") for m in sent[1:]] == [b"line 1\n"]
    assert after_the_last_byte.DONE == ["sent a report of 3 lines"]


def test_on_asgi_2_4_a_client_that_leaves_mid_stream_gets_no_task() -> None:
    # The plain report: the server fails to send its second line.
    with pytest.raises(ClientDisconnect):
        leave_after_the_first_line("2.4")

    assert after_the_last_byte.DONE == []


@pytest.mark.parametrize("example", [after_the_last_byte, temp_file_mistake])
def test_the_export_folder_is_removed_when_the_app_shuts_down(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, example: Any
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.setattr(example, "EXPORTS", folder)

    with TestClient(example.app) as client:  # runs the lifespan
        response = client.get("/export.csv", headers={"Range": "bytes=abc"})
        assert response.status_code == 400
        assert folder.is_dir()

    assert not folder.exists()


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
def test_sizes_out_of_bounds_are_refused_and_leave_no_file_or_task(
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
