"""docs/behind_nginx.md: proxy_read_timeout against FastAPI's SSE pings.

sse_timeout.conf cuts a connection to the app that is silent for 2 s. The
feed waits PAUSE (3 s) between its events: with pings every 0.5 s it is never
silent that long and arrives whole; with the default ping interval (15 s)
nginx cuts it after the first event.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import nginx, timed_markers
from tools.servers import serve

PAUSE = 3.0  # seconds between events: longer than the 2 s timeout
FEED = "examples.behind_nginx.feeds:app"


@pytest.mark.slow
def test_pings_more_often_than_the_timeout_keep_an_idle_feed(tmp_path: Path) -> None:
    overrides = {"PAUSE": PAUSE, "fastapi.routing._PING_INTERVAL": 0.5}
    with (
        serve(FEED, overrides=overrides) as app,
        nginx("sse_timeout.conf", app.port, tmp_path) as port,
    ):
        arrival = timed_markers(port, "/events?count=2", pattern=r": ping|\d+\}")
    assert arrival.status == 200
    assert arrival.complete  # the feed ended normally, with its last chunk
    assert arrival.text.count('data: {"number": ') == 2
    assert arrival.text.count(": ping\n\n") >= 2  # what kept it alive
    assert arrival.seen["2}"] >= PAUSE * 0.9  # after the quiet stretch
    assert "timed out" not in (tmp_path / "error.log").read_text()


@pytest.mark.slow
def test_an_idle_feed_without_pings_in_time_is_cut(tmp_path: Path) -> None:
    import fastapi.routing

    assert fastapi.routing._PING_INTERVAL == 15.0  # the default, not replaced
    with (
        serve(FEED, overrides={"PAUSE": PAUSE}) as app,
        nginx("sse_timeout.conf", app.port, tmp_path) as port,
    ):
        arrival = timed_markers(port, "/events?count=2", pattern=r": ping|\d+\}")
    assert arrival.status == 200  # the headers had long gone
    assert not arrival.complete  # cut: no closing zero-length chunk
    assert arrival.text == 'data: {"number": 1}\nid: 1\n\n'
    # Cut about 2 s (the timeout) after the first event, before the second.
    assert 1.5 <= arrival.ended - arrival.seen["1}"] < PAUSE
    assert "upstream timed out" in (tmp_path / "error.log").read_text()
