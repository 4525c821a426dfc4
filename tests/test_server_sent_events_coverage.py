"""Behaviour of server-sent events examples, checked without TestClient's thread.

On Python 3.11, coverage.py does not always see the lines of an async
generator that TestClient runs in its portal thread, though they run (the
tests in tests/test_server_sent_events.py read every event). Driving the
generator here, on this thread, asserts the same behaviour and lets the tests
session count those lines.
"""

from __future__ import annotations

import anyio

from examples.server_sent_events import fast_producer_checked


class StayingClient:
    """A request whose client never leaves."""

    async def is_disconnected(self) -> bool:
        return False


class LeavingClient:
    """A request whose client leaves after `stays` checks."""

    def __init__(self, stays: int) -> None:
        self.checks = 0
        self.stays = stays

    async def is_disconnected(self) -> bool:
        self.checks += 1
        return self.checks > self.stays


def events(request: object, count: int) -> list[tuple[object, str | None]]:
    async def collect() -> list[tuple[object, str | None]]:
        stream = fast_producer_checked.numbers(request, count)
        return [(event.data, event.id) async for event in stream]

    return anyio.run(collect)


def test_the_checked_generator_yields_every_number_while_the_client_stays() -> None:
    assert events(StayingClient(), 3) == [(1, "1"), (2, "2"), (3, "3")]


def test_the_checked_generator_stops_at_the_first_check_after_the_client_left() -> None:
    client = LeavingClient(stays=2)

    assert events(client, 10) == [(1, "1"), (2, "2")]
    assert client.checks == 3
