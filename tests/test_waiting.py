"""tools/waiting.py: the one wait-until loop every test, server and bench uses."""

from __future__ import annotations

import time

import pytest

from tools.waiting import wait_until


def test_returns_when_the_condition_first_holds() -> None:
    calls = []

    def third_time() -> bool:
        calls.append(time.monotonic())
        return len(calls) == 3

    held = wait_until(third_time, timeout=30, interval=0.01)
    assert held is not None
    assert held >= calls[-1]
    assert len(calls) == 3


def test_gives_up_with_none_after_the_timeout() -> None:
    calls = []
    started = time.monotonic()
    assert wait_until(lambda: calls.append(1), timeout=0.2, interval=0.05) is None
    assert time.monotonic() - started >= 0.2
    assert 1 <= len(calls) <= 5


def test_says_what_it_waited_for_when_asked_to_raise() -> None:
    with pytest.raises(TimeoutError, match=r"after 0.1 s waiting for the server"):
        wait_until(lambda: False, 0.1, waiting_for="the server")


def test_an_error_in_the_condition_ends_the_wait_at_once() -> None:
    def exited() -> bool:
        raise RuntimeError("uvicorn exited with 1 before serving")

    with pytest.raises(RuntimeError, match="exited"):
        wait_until(exited, timeout=30, waiting_for="the server")
