"""The one way the guide waits for something: poll a condition with a deadline.

Tests, the servers they start and the benchmarks all
wait through `wait_until`, so every wait is bounded in time and says what it
waited for when it gives up.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(
    condition: Callable[[], object],
    timeout: float,
    interval: float = 0.01,
    *,
    waiting_for: str | None = None,
) -> float | None:
    """Call `condition` every `interval` seconds until it returns something true.

    Returns the monotonic time at which it held. When `timeout` seconds pass
    first it returns None, or, given `waiting_for` (what the caller waits for),
    raises TimeoutError naming it. An exception `condition` raises (say, the
    server it polls has exited) ends the wait at once.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(interval)
    if waiting_for is not None:
        raise TimeoutError(f"gave up after {timeout} s waiting for {waiting_for}")
    return None
